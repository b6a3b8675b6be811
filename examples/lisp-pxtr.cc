/*
 * lisp-pxtr.cc - interworking between a LISP site and a non-LISP host through a proxy xTR
 * that is both PITR and PETR (RFC 6832), in both directions.
 *
 *   host0-0 ==csma== xtr0 --2ms-- core0 --10ms-- core1 --2ms-- pxtr (PITR + PETR)
 *   10.1.0.2         172.16.1.2     |              |            172.24.0.2
 *                                 ms-mr          ==csma== nonlisp0 198.51.100.2
 *                                 172.30.0.2
 *
 * (a) non-LISP -> LISP. nonlisp0 sends UDP to host0-0. EIDs are not routed in the core,
 *     except that every core router routes the EID space 10.0.0.0/8 toward the PITR (that
 *     is how a PITR attracts traffic). The PITR misses its map-cache, sends an ECM'd
 *     Map-Request with the p bit and no source EID to the MS/MR, which forwards it to xtr0;
 *     xtr0 answers the PITR, which then encapsulates to xtr0, which decapsulates.
 * (b) LISP -> non-LISP. host0-0 sends UDP to nonlisp0. xtr0 routes everything outside the
 *     underlay into its tunnel; its Map-Request for 198.51.100.2 gets a negative Map-Reply
 *     (natively-forward) from the Map-Resolver, and since xtr0 is configured with the PETR,
 *     it encapsulates to the PETR, which decapsulates and forwards natively to nonlisp0.
 *
 * The program prints, per direction, packets sent and received, the control messages of
 * the resolution in order, who encapsulated, decapsulated and forwarded natively, and the
 * negative Map-Reply's prefix and TTL (from xtr0's map-cache). With --pcap it writes one
 * pcap per device into --pcapDir, with real IPv4/UDP checksums, to be read with
 *
 *   tshark -X lua_script:wireshark/lisp-ports.lua -o udp.try_heuristic_first:TRUE -r FILE
 *
 * Run: lisp-pxtr --help
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-helper.h"
#include "ns3/lisp-time.h"
#include "ns3/lisp-trace-recorder.h"
#include "ns3/lisp_ipudp.h"
#include "ns3/lisp_msg.h"
#include "ns3/network-module.h"

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

LispTraceRecorder g_recorder;

/*
 * The first resolution of `destination` by the ITR on `node`, in order: its Map-Request,
 * every control event with that nonce, the map-cache entry the reply made, the first packet
 * encapsulated with it and where it was decapsulated. Returns the map-cache insert event
 * (nullptr when there was none).
 */
const LispTraceRecorder::Event *PrintResolution(const std::string &node, Ipv4Address address)
{
    std::ostringstream text;
    text << address;
    const std::string destination = text.str();
    for (const LispTraceRecorder::Event *e : g_recorder.Select(node, LISP_TRACE_MAP_REQUEST_SENT)) {
        if (LispEidToString(e->trace.eid) == destination + "/32") {
            const LispTraceRecorder::Event *insert = nullptr;
            for (const std::string &line :
                 g_recorder.DescribeResolution(*e, destination + "/32", &insert)) {
                std::cout << "    " << line << "\n";
            }
            return insert;
        }
    }
    std::cout << "    (" << node << " sent no Map-Request for " << destination << ")\n";
    return nullptr;
}

std::string Counters(const std::string &name, const lisp_xtr_stats &st)
{
    std::ostringstream os;
    os << "  " << name << ": encapsulated " << st.encapsulated << ", decapsulated "
       << st.decapsulated << ", forwarded natively " << st.forwarded_native << ", map-requests "
       << st.map_requests_sent << ", map-replies received " << st.map_replies_received << " sent "
       << st.map_replies_sent << ", map-registers " << st.map_registers_sent;
    os << LispTraceRecorder::DropCounters(st);
    return os.str();
}

/* The first Map-Request a node sent, as on the wire (decoded with the engines' codec). */
struct WireRequest {
    bool seen = false;
    uint32_t flags = 0;
    std::string sourceEid;
    std::string itrRlocs;
    std::string eid;
};

/* Ipv4L3Protocol "Tx" of the PITR's node: IP packets with their header, as sent. */
void CaptureRequest(WireRequest *out, Ptr<const Packet> packet, Ptr<Ipv4>, uint32_t)
{
    if (out->seen) {
        return;
    }
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    lisp_ipudp ip;
    const uint8_t *payload;
    size_t len;
    if (lisp_ipudp_decode(&ip, bytes.data(), bytes.size(), &payload, &len) < 0 ||
        ip.dport != LISP_CONTROL_PORT) {
        return;
    }
    auto ecm = std::make_unique<lisp_msg>();
    auto msg = std::make_unique<lisp_msg>();
    if (lisp_msg_decode(ecm.get(), payload, len) < 0 || ecm->type != LISP_ECM ||
        lisp_msg_decode(msg.get(), ecm->u.ecm.payload, ecm->u.ecm.payload_len) < 0 ||
        msg->type != LISP_MAP_REQUEST) {
        return;
    }
    const lisp_map_request &q = msg->u.mreq;
    char text[LISP_ADDR_STR_MAX];
    out->seen = true;
    out->flags = q.flags;
    out->sourceEid = q.source_eid.a.afi == LISP_AFI_NONE
                         ? "none (AFI 0)"
                         : lisp_addr_to_str(&q.source_eid, text, sizeof text);
    for (unsigned i = 0; i < q.itr_rloc_count; i++) {
        out->itrRlocs +=
            (i ? ", " : "") + std::string(lisp_addr_to_str(&q.itr_rlocs[i], text, sizeof text));
    }
    if (q.record_count) {
        out->eid = std::string(lisp_addr_to_str(&q.records[0].addr, text, sizeof text)) + "/" +
                   std::to_string(q.records[0].mask_len);
    }
}

struct SentCounter {
    Ipv4Address destination;
    uint32_t count;
};

/* Ipv4L3Protocol "SendOutgoing" of a sending host: its own packets, as they leave. */
void CountSent(SentCounter *counter, const Ipv4Header &header, Ptr<const Packet>, uint32_t)
{
    if (header.GetDestination() == counter->destination) {
        counter->count++;
    }
}

} // namespace

int main(int argc, char *argv[])
{
    std::string missPolicy = "queue";
    double simTime = 10.0;
    bool pcap = false;
    std::string pcapDir = "lisp-pxtr-pcap";
    uint32_t seed = 1;
    uint64_t run = 1;
    uint32_t packets = 5;
    double interval = 1.0;

    CommandLine cmd(__FILE__);
    cmd.Usage("A LISP site and a non-LISP host, connected through a proxy xTR that is PITR and "
              "PETR (RFC 6832); UDP in both directions, with a summary of who resolved, "
              "encapsulated, decapsulated and forwarded natively.");
    cmd.AddValue("missPolicy", "map-cache miss policy of the xTR and the PITR: drop or queue",
                 missPolicy);
    cmd.AddValue("simTime", "simulated time, seconds", simTime);
    cmd.AddValue("packets", "UDP packets per direction", packets);
    cmd.AddValue("interval", "seconds between UDP packets", interval);
    cmd.AddValue("pcap", "write a pcap file per device", pcap);
    cmd.AddValue("pcapDir", "directory of the pcap files (created)", pcapDir);
    cmd.AddValue("seed", "random seed (RngSeedManager::SetSeed)", seed);
    cmd.AddValue("run", "run number (RngSeedManager::SetRun)", run);
    cmd.Parse(argc, argv);

    if (missPolicy != "drop" && missPolicy != "queue") {
        std::cerr << "--missPolicy must be drop or queue\n";
        return 2;
    }
    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);
    // Real IPv4 header and UDP checksums in the packets and the pcap files.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    LispTopologyHelper topo;
    topo.SetSites(1);
    topo.SetHostsPerSite(1);
    topo.SetCoreRouters(2);
    topo.SetProxyXtr(true, true, 1); // PITR and PETR, off core1
    topo.SetNonLispHosts(1, 1);      // 198.51.100.0/24 behind core1
    topo.XtrHelper().SetAttribute(
        "MissPolicy", EnumValue(missPolicy == "queue" ? LispXtr::MISS_QUEUE : LispXtr::MISS_DROP));
    topo.Build();
    topo.AssignStreams(0);

    std::map<uint32_t, std::string> nameOf;
    auto name = [&nameOf](Ptr<Node> node, const std::string &n) {
        Names::Add(n, node);
        nameOf[node->GetId()] = n;
    };
    name(topo.GetMapServerNode(), "ms-mr");
    name(topo.GetCoreRouter(0), "core0");
    name(topo.GetCoreRouter(1), "core1");
    name(topo.GetXtrNode(0), "xtr0");
    name(topo.GetHost(0, 0), "host0-0");
    name(topo.GetProxyXtrNode(), "pxtr");
    name(topo.GetNonLispHost(0), "nonlisp0");
    ApplicationContainer lisp = topo.GetLispApps();
    for (uint32_t i = 0; i < lisp.GetN(); i++) {
        g_recorder.Connect(lisp.Get(i), nameOf[lisp.Get(i)->GetNode()->GetId()]);
    }

    // (a) nonlisp0 -> host0-0 from 1 s, (b) host0-0 -> nonlisp0 from 1.5 s; one-way UDP.
    const Ipv4Address host = topo.GetHostAddress(0, 0);
    const Ipv4Address nonLisp = topo.GetNonLispHostAddress(0);
    const uint16_t ports[2] = {4000, 4001};
    ApplicationContainer sinks;
    sinks.Add(UdpServerHelper(ports[0]).Install(topo.GetHost(0, 0)));
    sinks.Add(UdpServerHelper(ports[1]).Install(topo.GetNonLispHost(0)));
    const Ptr<Node> senders[2] = {topo.GetNonLispHost(0), topo.GetHost(0, 0)};
    const Ipv4Address receivers[2] = {host, nonLisp};
    SentCounter sent[2] = {{host, 0}, {nonLisp, 0}};
    for (int d = 0; d < 2; d++) {
        senders[d]->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "SendOutgoing", MakeBoundCallback(&CountSent, &sent[d]));
        if (packets == 0) { // MaxPackets 0 would mean "no limit"
            break;
        }
        UdpClientHelper client(receivers[d], ports[d]);
        client.SetAttribute("MaxPackets", UintegerValue(packets));
        client.SetAttribute("Interval", TimeValue(Seconds(interval)));
        client.SetAttribute("PacketSize", UintegerValue(200));
        ApplicationContainer app = client.Install(senders[d]);
        app.Start(Seconds(d == 0 ? 1.0 : 1.5));
    }

    WireRequest pitrRequest;
    topo.GetProxyXtrNode()->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Tx", MakeBoundCallback(&CaptureRequest, &pitrRequest));

    if (pcap) {
        std::filesystem::create_directories(pcapDir);
        topo.EnablePcap(pcapDir + "/lisp");
    }

    Simulator::Stop(Seconds(simTime));
    Simulator::Run();

    // ---- summary ----
    const Ptr<LispXtr> xtr = topo.GetXtr(0);
    const Ptr<LispXtr> pxtr = topo.GetProxyXtr();
    const lisp_xtr_stats xs = xtr->GetStats();
    const lisp_xtr_stats ps = pxtr->GetStats();
    uint64_t received[2];
    for (int d = 0; d < 2; d++) {
        received[d] = DynamicCast<UdpServer>(sinks.Get(d))->GetReceived();
    }
    std::cout << "LISP proxy xTR (RFC 6832): miss policy " << missPolicy << ", seed " << seed
              << " run " << run << ", " << simTime << " s simulated\n"
              << "  host0-0 " << host << " behind xtr0 (RLOC " << topo.GetXtrRloc(0)
              << "), nonlisp0 " << nonLisp << " (not LISP), pxtr PITR + PETR (RLOC "
              << topo.GetProxyXtrRloc() << "), MS/MR " << topo.GetMapServerAddress() << "\n"
              << "  underlay: core routers route the EID space 10.0.0.0/8 toward pxtr; xtr0 "
                 "routes 10.0.0.0/8 and 0.0.0.0/0 into its tunnel, PETR "
              << topo.GetProxyXtrRloc() << "\n\n";

    std::cout << "(a) non-LISP -> LISP: nonlisp0 -> host0-0, through the PITR\n"
              << "  UDP: " << sent[0].count << " sent, " << received[0] << " received\n"
              << "  resolution by the PITR:\n";
    PrintResolution("pxtr", host);
    if (pitrRequest.seen) {
        std::cout << "  the PITR's Map-Request on the wire: EID " << pitrRequest.eid << ", p bit "
                  << ((pitrRequest.flags & LISP_MREQ_F_PITR) ? "set" : "clear") << ", source EID "
                  << pitrRequest.sourceEid << ", ITR-RLOC " << pitrRequest.itrRlocs << "\n";
    }
    const Address xtrRloc = topo.GetXtrRloc(0);
    const Address petrRloc = topo.GetProxyXtrRloc();
    std::cout << "  encapsulated by pxtr (PITR) to xtr0: "
              << g_recorder.Count("pxtr", LISP_TRACE_ENCAP, xtrRloc)
              << ", decapsulated by xtr0 (from the PITR): "
              << g_recorder.Count("xtr0", LISP_TRACE_DECAP, petrRloc) << "\n\n";

    std::cout << "(b) LISP -> non-LISP: host0-0 -> nonlisp0, through the PETR\n"
              << "  UDP: " << sent[1].count << " sent, " << received[1] << " received\n"
              << "  resolution by xtr0 (negative Map-Reply):\n";
    const LispTraceRecorder::Event *insert = PrintResolution("xtr0", nonLisp);
    if (insert) {
        const lisp_mapcache_entry *entry =
            lisp_mapcache_get(lisp_xtr_mapcache(xtr->GetEngine()), &insert->trace.eid);
        std::cout << "  negative Map-Reply: prefix " << LispEidToString(insert->trace.eid);
        if (entry) {
            const Time ttl = LispTimeToNs3(entry->expires) - insert->time;
            std::cout << ", TTL " << ttl.GetMinutes() << " min, action "
                      << (entry->action == LISP_ACT_NATIVELY_FORWARD ? "natively-forward" : "other")
                      << ", locators " << unsigned(entry->loc_count)
                      << (entry->authoritative ? ", authoritative" : "");
        }
        std::cout << "\n";
    }
    std::cout << "  encapsulated by xtr0 to the PETR: "
              << g_recorder.Count("xtr0", LISP_TRACE_ENCAP, petrRloc)
              << ", decapsulated by pxtr (PETR, from xtr0): "
              << g_recorder.Count("pxtr", LISP_TRACE_DECAP, xtrRloc)
              << ", forwarded natively by pxtr: " << ps.forwarded_native << "\n\n";

    std::cout << "Counters:\n" << Counters("xtr0", xs) << "\n" << Counters("pxtr", ps) << "\n";
    const lisp_ms_stats ms = topo.GetMapServer()->GetMapServerStats();
    const lisp_mr_stats mr = topo.GetMapServer()->GetMapResolverStats();
    std::cout << "  ms-mr: map-registers " << ms.map_registers << ", map-requests resolved "
              << mr.map_requests << " (forwarded to ETRs " << ms.forwarded
              << ", negative replies: Map-Resolver " << mr.negative_replies << ", Map-Server "
              << ms.negative_replies + ms.unregistered_replies << ")\n";
    if (pcap) {
        std::cout << "\npcap files (checksums enabled): " << pcapDir << "/lisp-<node>-<device>"
                  << ".pcap\n";
    }

    Simulator::Destroy();
    return 0;
}
