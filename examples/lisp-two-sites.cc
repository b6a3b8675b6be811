/*
 * lisp-two-sites.cc - the first LISP overlay: two sites, a routed core and a Map-Server /
 * Map-Resolver, with UDP echo traffic and a ping between EID hosts.
 *
 *   host0-0 ==csma== xtr0 --2ms-- core0 --10ms-- core1 --2ms-- xtr1 ==csma== host1-0
 *   10.1.0.2          172.16.1.2    |                           172.16.2.2      10.2.0.2
 *                                 ms-mr 172.30.0.2
 *
 * The xTRs register their EID-prefixes (10.1.0.0/16, 10.2.0.0/16) at start. host0-0 sends
 * UDP echo requests to host1-0 from 1 s on: the first one misses xtr0's map-cache, xtr0
 * sends an ECM Map-Request to the MS/MR, which forwards it to xtr1, which answers with a
 * Map-Reply; then packets go encapsulated. With --missPolicy=drop the first packet is lost
 * (and the first echo reply too, as xtr1 resolves 10.1.0.2 the same way); with
 * --missPolicy=queue they wait for the Map-Reply. host1-0 pings host0-0 from 1.5 s on.
 *
 * The program prints the registrations, the ordered control messages of the first
 * resolution with their times, and counts; with --pcap it writes one pcap per device into
 * --pcapDir, with real IPv4/UDP checksums (GlobalValue ChecksumEnabled), to be read with
 *
 *   tshark -X lua_script:wireshark/lisp-ports.lua -o udp.try_heuristic_first:TRUE -r FILE
 *
 * Run: lisp-two-sites --help
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-helper.h"
#include "ns3/lisp-ns3-compat.h"
#include "ns3/lisp-time.h"
#include "ns3/lisp-trace-recorder.h"
#include "ns3/network-module.h"

#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

LispTraceRecorder g_recorder;
uint32_t g_pingReplies = 0;

#if LISP_NS3_HAS_PING
void PingRtt(uint16_t seq, Time rtt) // Ping's Rtt trace (ns-3.38 on)
{
    (void)seq;
#else
void PingRtt(Time rtt) // V4Ping's
{
#endif
    (void)rtt;
    g_pingReplies++;
}

} // namespace

int main(int argc, char *argv[])
{
    std::string missPolicy = "drop";
    double simTime = 10.0;
    bool pcap = false;
    std::string pcapDir = "lisp-two-sites-pcap";
    uint32_t seed = 1;
    uint64_t run = 1;
    uint32_t packets = 5;
    double interval = 1.0;
    bool ping = true;

    CommandLine cmd(__FILE__);
    cmd.Usage("Two LISP sites, a routed core and a Map-Server/Map-Resolver; UDP echo and ping "
              "between EID hosts, with a summary of what the LISP control plane did.");
    cmd.AddValue("missPolicy", "xTR map-cache miss policy: drop or queue", missPolicy);
    cmd.AddValue("simTime", "simulated time, seconds", simTime);
    cmd.AddValue("packets", "UDP echo requests host0-0 sends to host1-0", packets);
    cmd.AddValue("interval", "seconds between UDP echo requests", interval);
    cmd.AddValue("ping", "host1-0 pings host0-0 from 1.5 s on", ping);
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
    // Real IPv4 header and UDP checksums: ns-3 writes zeros otherwise, which pcap readers
    // (and udp.check_checksum) report. Must be set before packets are built.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    LispTopologyHelper topo;
    topo.SetSites(2);
    topo.SetHostsPerSite(1);
    topo.SetCoreRouters(2);
    topo.XtrHelper().SetAttribute(
        "MissPolicy", EnumValue(missPolicy == "queue" ? LispXtr::MISS_QUEUE : LispXtr::MISS_DROP));
    topo.Build();
    topo.AssignStreams(0);

    // Names for the summary and the pcap file names.
    std::map<uint32_t, std::string> nameOf;
    auto name = [&nameOf](Ptr<Node> node, const std::string &n) {
        Names::Add(n, node);
        nameOf[node->GetId()] = n;
    };
    name(topo.GetMapServerNode(), "ms-mr");
    name(topo.GetCoreRouter(0), "core0");
    name(topo.GetCoreRouter(1), "core1");
    for (uint32_t s = 0; s < 2; s++) {
        name(topo.GetXtrNode(s), "xtr" + std::to_string(s));
        name(topo.GetHost(s, 0), "host" + std::to_string(s) + "-0");
    }
    ApplicationContainer lisp = topo.GetLispApps();
    for (uint32_t i = 0; i < lisp.GetN(); i++) {
        g_recorder.Connect(lisp.Get(i), nameOf[lisp.Get(i)->GetNode()->GetId()]);
    }

    // Traffic: UDP echo host0-0 -> host1-0, ping host1-0 -> host0-0.
    const Ipv4Address host0 = topo.GetHostAddress(0, 0);
    const Ipv4Address host1 = topo.GetHostAddress(1, 0);
    UdpEchoServerHelper echoServer(9);
    ApplicationContainer server = echoServer.Install(topo.GetHost(1, 0));
    server.Start(Seconds(0.5));
    UdpEchoClientHelper echoClient(host1, 9);
    echoClient.SetAttribute("MaxPackets", UintegerValue(packets));
    echoClient.SetAttribute("Interval", TimeValue(Seconds(interval)));
    echoClient.SetAttribute("PacketSize", UintegerValue(200));
    ApplicationContainer client = echoClient.Install(topo.GetHost(0, 0));
    client.Start(Seconds(1.0));
    uint32_t echoSent = 0;
    uint32_t echoReceived = 0;
    client.Get(0)->TraceConnectWithoutContext(
        "Tx", MakeBoundCallback(
                  +[](uint32_t *n, Ptr<const Packet>) { ++*n; }, &echoSent));
    client.Get(0)->TraceConnectWithoutContext(
        "Rx", MakeBoundCallback(
                  +[](uint32_t *n, Ptr<const Packet>) { ++*n; }, &echoReceived));
    uint32_t pingsSent = 0;
    ping = ping && simTime > 2.0; // it starts at 1.5 s and stops 0.5 s before the end
    if (ping) {
#if LISP_NS3_HAS_PING
        PingHelper pinger(host0);
        pinger.SetAttribute("VerboseMode", EnumValue(Ping::SILENT)); // the summary counts
#else
        V4PingHelper pinger(host0);
#endif
        pinger.SetAttribute("Interval", TimeValue(Seconds(1)));
        ApplicationContainer p = pinger.Install(topo.GetHost(1, 0));
        p.Start(Seconds(1.5));
        p.Stop(Seconds(simTime - 0.5));
        p.Get(0)->TraceConnectWithoutContext("Rtt", MakeCallback(&PingRtt));
        // It sends at 1.5 s, 2.5 s, ... while running.
        for (double t = 1.5; t < simTime - 0.5; t += 1.0) {
            pingsSent++;
        }
    }

    if (pcap) {
        std::filesystem::create_directories(pcapDir);
        topo.EnablePcap(pcapDir + "/lisp");
    }

    Simulator::Stop(Seconds(simTime));
    Simulator::Run();

    // ---- summary ----
    std::cout << "LISP two sites: miss policy " << missPolicy << ", seed " << seed << " run " << run
              << ", " << simTime << " s simulated\n"
              << "  host0-0 " << host0 << " behind xtr0 (RLOC " << topo.GetXtrRloc(0)
              << "), host1-0 " << host1 << " behind xtr1 (RLOC " << topo.GetXtrRloc(1)
              << "), MS/MR " << topo.GetMapServerAddress() << "\n\n";

    std::cout << "Registration (first round):\n";
    const std::vector<LispTraceRecorder::Event> &events = g_recorder.GetEvents();
    size_t firstRequest = events.size();
    for (size_t i = 0; i < events.size(); i++) {
        const uint8_t kind = events[i].trace.kind;
        if (kind == LISP_TRACE_MAP_REQUEST_SENT) {
            firstRequest = i;
            break;
        }
        if (LispTraceRecorder::IsControl(kind) && events[i].time < Seconds(1)) {
            std::cout << "  " << LispTraceRecorder::Describe(events[i]) << "\n";
        }
    }

    // The first resolution: the events carrying the first Map-Request's nonce, the packet
    // that triggered it (if dropped), the map-cache entry the reply made and the first packet
    // encapsulated with it.
    std::cout << "\nFirst resolution, in order:\n";
    if (firstRequest < events.size()) {
        for (const std::string &line : g_recorder.DescribeResolution(events[firstRequest])) {
            std::cout << "  " << line << "\n";
        }
    } else {
        std::cout << "  (no Map-Request was sent)\n";
    }

    std::cout << "\nTraffic:\n"
              << "  UDP echo host0-0 -> host1-0: " << echoSent << " sent, " << echoReceived
              << " echoed back\n";
    if (ping) {
        std::cout << "  ping host1-0 -> host0-0: " << pingsSent << " sent, " << g_pingReplies
                  << " replies\n";
    }
    std::cout << "\nxTR counters:\n";
    for (uint32_t s = 0; s < 2; s++) {
        const lisp_xtr_stats st = topo.GetXtr(s)->GetStats();
        std::cout << "  xtr" << s << ": encapsulated " << st.encapsulated << ", decapsulated "
                  << st.decapsulated << ", map-requests " << st.map_requests_sent
                  << ", map-replies received " << st.map_replies_received << " sent "
                  << st.map_replies_sent << ", map-registers " << st.map_registers_sent
                  << ", map-notifies " << st.map_notifies_received << ", map-cache "
                  << topo.GetXtr(s)->GetMapCacheSize() << " entries";
        std::cout << LispTraceRecorder::DropCounters(st) << "\n";
    }
    const lisp_ms_stats ms = topo.GetMapServer()->GetMapServerStats();
    const lisp_mr_stats mr = topo.GetMapServer()->GetMapResolverStats();
    std::cout << "  ms-mr: map-registers " << ms.map_registers << ", map-notifies "
              << ms.map_notifies_sent << ", map-requests resolved " << mr.map_requests
              << " (forwarded to ETRs " << ms.forwarded << ", proxy replies " << ms.proxy_replies
              << ", negative " << ms.negative_replies + mr.negative_replies << "), registrations "
              << topo.GetMapServer()->GetRegistrationCount() << ", authentication failures "
              << ms.common.drops[LISP_DROP_AUTH_FAILED] << "\n";
    if (pcap) {
        std::cout << "\npcap files (checksums enabled): " << pcapDir << "/lisp-<node>-<device>"
                  << ".pcap\n";
    }

    Simulator::Destroy();
    return 0;
}
