/*
 * lisp-pxtr-test-suite.cc - ns-3 TestSuite "lisp-pxtr": a LISP site and a non-LISP host
 * connected through a proxy xTR that is PITR and PETR (RFC 6832), in both directions.
 *
 *   host0 == xtr0 -- core0 -- core1 -- pxtr (PITR + PETR)
 *                      |        |
 *                    ms-mr    == nonlisp0 (198.51.100.2)
 *
 * (a) nonlisp0 -> host0: the core routes the EID space to the PITR, which resolves the EID
 *     (ECM Map-Request with the p bit, no source EID) and encapsulates to xtr0.
 * (b) host0 -> nonlisp0: xtr0's Map-Request gets a negative Map-Reply (natively-forward),
 *     so xtr0 encapsulates to its PETR, which decapsulates and forwards natively.
 *
 * Observed through the applications' trace sources, their counters, and the IP packets
 * the nodes send and receive (Ipv4L3Protocol Tx/Rx), decoded with the engines' codec.
 *
 * An IPv6 case, built by hand, checks that the PETR forwards IPv6 natively with the packet's
 * own header: source, traffic class, flow label as sent, the hop limit one lower.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-helper.h"
#include "ns3/lisp-time.h"
#include "ns3/lisp-trace-recorder.h"
#include "ns3/lisp_ipudp.h"
#include "ns3/lisp_msg.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include "lisp-test-util.h"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const char *XTR0_RLOC = "172.16.1.2";
const char *PXTR_RLOC = "172.24.0.2";
const char *MS_ADDRESS = "172.30.0.2";
const char *HOST0 = "10.1.0.2";
const char *NON_LISP = "198.51.100.2";
const uint16_t PORT_TO_SITE = 4000;     // (a) nonlisp0 -> host0
const uint16_t PORT_TO_NON_LISP = 4001; // (b) host0 -> nonlisp0

/* ---------------------------------------------------------------------------------------- */
/* A scenario: build, run, record                                                            */
/* ---------------------------------------------------------------------------------------- */

struct ScenarioConfig {
    LispXtr::MissPolicy missPolicy = LispXtr::MISS_QUEUE;
    bool pitr = true;
    bool petr = true;
    uint32_t packets = 5; // per direction
    Time simTime = Seconds(8);
};

using Event = LispTraceRecorder::Event; // labels "xtr0", "pxtr", "ms", "mr"

/* An IP packet a node sent (Tx) or received (Rx), with its header. */
struct Frame {
    Time time;
    std::string who;
    bool tx;
    uint32_t interface; // Ipv4 interface index
    bool tunnel;        // the node's LISP tunnel interface (set after the run)
    std::vector<uint8_t> bytes;
};

struct ScenarioResult {
    LispTraceRecorder trace; // the events
    std::vector<Frame> frames;
    uint64_t received[2] = {0, 0}; // (a), (b)
    lisp_xtr_stats xtr;
    lisp_xtr_stats pxtr;
    lisp_ms_stats ms;
    lisp_mr_stats mr;
    uint32_t registrations = 0;
};

struct Recorder {
    ScenarioResult *result;
    std::string who;
};

void Capture(Recorder *r, bool tx, Ptr<const Packet> packet, Ptr<Ipv4>, uint32_t interface)
{
    Frame f{Simulator::Now(), r->who, tx, interface, false, {}};
    f.bytes.resize(packet->GetSize());
    packet->CopyData(f.bytes.data(), f.bytes.size());
    r->result->frames.push_back(std::move(f));
}

ScenarioResult RunScenario(const ScenarioConfig &cfg)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    ScenarioResult result;
    LispTopologyHelper topo;
    topo.SetSites(1);
    topo.SetCoreRouters(2);
    topo.SetProxyXtr(cfg.pitr, cfg.petr, 1);
    topo.SetNonLispHosts(1, 1);
    topo.XtrHelper().SetAttribute("MissPolicy", EnumValue(cfg.missPolicy));
    topo.Build();
    topo.AssignStreams(0);

    const Ptr<LispXtr> apps[2] = {topo.GetXtr(0), topo.GetProxyXtr()};
    Recorder recorders[3] = {{&result, "ms"}, {&result, "xtr0"}, {&result, "pxtr"}};
    result.trace.SetEngineLabel(LISP_ROLE_MS, "ms");
    result.trace.SetEngineLabel(LISP_ROLE_MR, "mr");
    result.trace.Connect(topo.GetMapServer(), recorders[0].who);
    for (int i = 0; i < 2; i++) {
        Ptr<Ipv4L3Protocol> ipv4 = apps[i]->GetNode()->GetObject<Ipv4L3Protocol>();
        result.trace.Connect(apps[i], recorders[1 + i].who);
        ipv4->TraceConnectWithoutContext("Tx",
                                         MakeBoundCallback(&Capture, &recorders[1 + i], true));
        ipv4->TraceConnectWithoutContext("Rx",
                                         MakeBoundCallback(&Capture, &recorders[1 + i], false));
    }

    ApplicationContainer sinks;
    sinks.Add(UdpServerHelper(PORT_TO_SITE).Install(topo.GetHost(0, 0)));
    sinks.Add(UdpServerHelper(PORT_TO_NON_LISP).Install(topo.GetNonLispHost(0)));
    const Ptr<Node> senders[2] = {topo.GetNonLispHost(0), topo.GetHost(0, 0)};
    const Ipv4Address receivers[2] = {topo.GetHostAddress(0, 0), topo.GetNonLispHostAddress(0)};
    const uint16_t ports[2] = {PORT_TO_SITE, PORT_TO_NON_LISP};
    for (int d = 0; d < 2 && cfg.packets > 0; d++) {
        UdpClientHelper client(receivers[d], ports[d]);
        client.SetAttribute("MaxPackets", UintegerValue(cfg.packets));
        client.SetAttribute("Interval", TimeValue(Seconds(1)));
        client.SetAttribute("PacketSize", UintegerValue(100));
        client.Install(senders[d]).Start(Seconds(d == 0 ? 1.0 : 1.5));
    }

    Simulator::Stop(cfg.simTime);
    Simulator::Run();

    for (int d = 0; d < 2; d++) {
        result.received[d] = DynamicCast<UdpServer>(sinks.Get(d))->GetReceived();
    }
    for (Frame &f : result.frames) { // the tunnels exist once the applications initialized
        const Ptr<LispXtr> app = f.who == "xtr0" ? apps[0] : apps[1];
        const int32_t tunnel =
            app->GetNode()->GetObject<Ipv4>()->GetInterfaceForDevice(app->GetTunnelDevice());
        f.tunnel = tunnel >= 0 && f.interface == static_cast<uint32_t>(tunnel);
    }
    result.xtr = apps[0]->GetStats();
    result.pxtr = apps[1]->GetStats();
    result.ms = topo.GetMapServer()->GetMapServerStats();
    result.mr = topo.GetMapServer()->GetMapResolverStats();
    result.registrations = topo.GetMapServer()->GetRegistrationCount();
    Simulator::Destroy();
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    return result;
}

/* ---------------------------------------------------------------------------------------- */
/* Reading the records                                                                      */
/* ---------------------------------------------------------------------------------------- */

/* "who kind" of every control event carrying `nonce`, in order. */
std::string NonceTrail(const ScenarioResult &r, uint64_t nonce)
{
    std::ostringstream os;
    for (const Event *e : r.trace.WithNonce(nonce)) {
        os << "\n    " << e->label << " " << lisp_trace_kind_name(e->trace.kind);
    }
    return os.str();
}

std::string Eid(const lisp_trace &t)
{
    return LispEidToString(t.eid);
}

std::string Peer(const lisp_trace &t)
{
    return LispEndpointToString(t.peer);
}

std::string Ip4(const uint8_t *addr)
{
    std::ostringstream os;
    os << unsigned(addr[0]) << "." << unsigned(addr[1]) << "." << unsigned(addr[2]) << "."
       << unsigned(addr[3]);
    return os.str();
}

std::string AddrText(const lisp_addr &a)
{
    char text[LISP_ADDR_STR_MAX];
    return a.a.afi == LISP_AFI_NONE ? "none" : lisp_addr_to_str(&a, text, sizeof text);
}

/* A LISP control message in an IP packet: plain, or the message inside an ECM. */
struct Control {
    lisp_ipudp ip;
    bool ecm = false;
    lisp_ipudp inner; // the ECM's inner IP/UDP header
    std::shared_ptr<lisp_msg> msg;
};

bool DecodeControl(const Frame &f, Control &out)
{
    const uint8_t *payload;
    size_t len;
    if (lisp_ipudp_decode(&out.ip, f.bytes.data(), f.bytes.size(), &payload, &len) < 0 ||
        (out.ip.dport != LISP_CONTROL_PORT && out.ip.sport != LISP_CONTROL_PORT)) {
        return false;
    }
    out.msg = std::make_shared<lisp_msg>();
    if (lisp_msg_decode(out.msg.get(), payload, len) < 0) {
        return false;
    }
    if (out.msg->type == LISP_ECM) {
        out.ecm = true;
        out.inner = out.msg->u.ecm.inner;
        const lisp_ecm ecm = out.msg->u.ecm; // borrows from f.bytes
        return lisp_msg_decode(out.msg.get(), ecm.payload, ecm.payload_len) == LISP_OK;
    }
    return true;
}

/* The ECM'd Map-Requests `who` sent. */
std::vector<Control> MapRequestsSent(const ScenarioResult &r, const std::string &who)
{
    std::vector<Control> out;
    for (const Frame &f : r.frames) {
        Control c;
        if (f.who == who && f.tx && DecodeControl(f, c) && c.ecm &&
            c.msg->type == LISP_MAP_REQUEST) {
            out.push_back(c);
        }
    }
    return out;
}

/* ---------------------------------------------------------------------------------------- */
/* Both directions                                                                          */
/* ---------------------------------------------------------------------------------------- */

class LispPxtrBothDirectionsTestCase : public TestCase
{
  public:
    explicit LispPxtrBothDirectionsTestCase(LispXtr::MissPolicy policy)
        : TestCase(policy == LispXtr::MISS_QUEUE
                       ? "PITR and PETR on one node, miss policy Queue: every packet delivered "
                         "both ways"
                       : "PITR and PETR on one node, miss policy Drop: the first packet of "
                         "each direction is lost"),
          m_policy(policy)
    {
    }

  private:
    void DoRun() override
    {
        const bool drop = m_policy == LispXtr::MISS_DROP;
        const uint32_t delivered = drop ? 4 : 5;
        const uint32_t misses = drop ? 1 : 0; // not inline: the test macros misprint "a ? b : c"
        ScenarioConfig cfg;
        cfg.missPolicy = m_policy;
        const ScenarioResult r = RunScenario(cfg);

        // Deliveries.
        NS_TEST_ASSERT_MSG_EQ(r.received[0], delivered, "(a) nonlisp0 -> host0 delivered");
        NS_TEST_ASSERT_MSG_EQ(r.received[1], delivered, "(b) host0 -> nonlisp0 delivered");
        NS_TEST_ASSERT_MSG_EQ(r.pxtr.common.drops[LISP_DROP_MAP_CACHE_MISS], misses,
                              "the PITR's miss");
        NS_TEST_ASSERT_MSG_EQ(r.xtr.common.drops[LISP_DROP_MAP_CACHE_MISS], misses, "xtr0's miss");
        NS_TEST_ASSERT_MSG_EQ(r.registrations, 1u, "only the site registers, not the PxTR");
        NS_TEST_ASSERT_MSG_EQ(r.pxtr.map_registers_sent, 0u, "a PxTR has no EID to register");

        CheckPitrDirection(r, delivered);
        CheckPetrDirection(r, delivered);
    }

    /* (a) nonlisp0 -> host0 through the PITR. */
    void CheckPitrDirection(const ScenarioResult &r, uint32_t delivered)
    {
        const auto requests = r.trace.Select("pxtr", LISP_TRACE_MAP_REQUEST_SENT);
        REQUIRE(requests.size() == 1, "the PITR resolved once");
        NS_TEST_ASSERT_MSG_EQ(Eid(requests[0]->trace), "10.1.0.2/32", "the destination EID");
        NS_TEST_ASSERT_MSG_EQ(Peer(requests[0]->trace), std::string(MS_ADDRESS) + ":4342",
                              "to the Map-Resolver");
        const std::string expected = "\n    pxtr map-request-sent"
                                     "\n    mr map-request-received"
                                     "\n    mr map-request-forwarded"
                                     "\n    ms map-request-received"
                                     "\n    ms map-request-forwarded"
                                     "\n    xtr0 map-request-received"
                                     "\n    xtr0 map-reply-sent"
                                     "\n    pxtr map-reply-received";
        NS_TEST_ASSERT_MSG_EQ(NonceTrail(r, requests[0]->trace.nonce), expected,
                              "the PITR's Map-Request: MR, MS, the site's ETR, back to the PITR");
        for (const Event &e : r.trace.GetEvents()) {
            if (e.trace.nonce != requests[0]->trace.nonce) {
                continue;
            }
            if (e.label == "ms" && e.trace.kind == LISP_TRACE_MAP_REQUEST_FORWARDED) {
                NS_TEST_ASSERT_MSG_EQ(Peer(e.trace), std::string(XTR0_RLOC) + ":4342",
                                      "the Map-Server forwards to the site's ETR");
            }
            if (e.label == "xtr0" && e.trace.kind == LISP_TRACE_MAP_REPLY_SENT) {
                NS_TEST_ASSERT_MSG_EQ(Peer(e.trace), std::string(PXTR_RLOC) + ":4342",
                                      "the ETR answers the PITR's ITR-RLOC");
            }
        }
        const auto inserts = r.trace.Select("pxtr", LISP_TRACE_MAPCACHE_INSERT);
        REQUIRE(inserts.size() == 1, "one map-cache entry at the PITR");
        NS_TEST_ASSERT_MSG_EQ(Eid(inserts[0]->trace), "10.1.0.0/16", "the site's prefix");
        NS_TEST_ASSERT_MSG_EQ(inserts[0]->trace.count, 1u, "with xtr0's locator");

        // The Map-Request as sent: ECM to the MS/MR, p bit, no source EID, the PITR's RLOC.
        const std::vector<Control> wire = MapRequestsSent(r, "pxtr");
        REQUIRE(wire.size() == 1, "one ECM'd Map-Request on the PITR's wire");
        const Control &c = wire[0];
        const lisp_map_request &q = c.msg->u.mreq;
        NS_TEST_ASSERT_MSG_EQ(Ip4(c.ip.dst), MS_ADDRESS, "sent to the Map-Resolver");
        NS_TEST_ASSERT_MSG_EQ(c.ip.dport, LISP_CONTROL_PORT, "port 4342");
        NS_TEST_ASSERT_MSG_EQ(Ip4(c.ip.src), PXTR_RLOC, "from the PITR's RLOC");
        NS_TEST_ASSERT_MSG_EQ(((q.flags & LISP_MREQ_F_PITR) != 0), true, "the p bit is set");
        NS_TEST_ASSERT_MSG_EQ(((q.flags & LISP_MREQ_F_P) != 0), false, "not a probe");
        NS_TEST_ASSERT_MSG_EQ(q.source_eid.a.afi, LISP_AFI_NONE, "no source EID (AFI 0)");
        NS_TEST_ASSERT_MSG_EQ(unsigned(q.itr_rloc_count), 1u, "one ITR-RLOC");
        NS_TEST_ASSERT_MSG_EQ(AddrText(q.itr_rlocs[0]), PXTR_RLOC, "the PITR's RLOC");
        NS_TEST_ASSERT_MSG_EQ(unsigned(q.record_count), 1u, "one EID-record");
        NS_TEST_ASSERT_MSG_EQ(AddrText(q.records[0].addr), HOST0, "for the destination");
        NS_TEST_ASSERT_MSG_EQ(unsigned(q.records[0].mask_len), 32u, "as a /32");
        NS_TEST_ASSERT_MSG_EQ(Ip4(c.inner.src), PXTR_RLOC,
                              "inner source: the PITR's RLOC, not the non-LISP host");
        NS_TEST_ASSERT_MSG_EQ(Ip4(c.inner.dst), HOST0, "inner destination: the EID");

        // Encapsulation by the PITR to xtr0, decapsulation at xtr0.
        const auto encaps = r.trace.Select("pxtr", LISP_TRACE_ENCAP);
        NS_TEST_ASSERT_MSG_EQ(encaps.size(), delivered, "the PITR encapsulated");
        for (const Event *e : encaps) {
            NS_TEST_ASSERT_MSG_EQ(Peer(e->trace), std::string(XTR0_RLOC) + ":4341",
                                  "to xtr0's RLOC");
            NS_TEST_ASSERT_MSG_EQ((e->time >= inserts[0]->time), true, "after the mapping");
        }
        const auto decaps = r.trace.Select("xtr0", LISP_TRACE_DECAP);
        NS_TEST_ASSERT_MSG_EQ(decaps.size(), delivered, "xtr0 decapsulated");
        for (const Event *e : decaps) {
            NS_TEST_ASSERT_MSG_EQ(Ip4(e->trace.peer.addr), PXTR_RLOC, "from the PITR");
            NS_TEST_ASSERT_MSG_EQ(Eid(e->trace), "10.1.0.2/32", "for host0");
        }
        NS_TEST_ASSERT_MSG_EQ(r.xtr.decapsulated, delivered, "xtr0 counters agree");
    }

    /* (b) host0 -> nonlisp0 through the PETR. */
    void CheckPetrDirection(const ScenarioResult &r, uint32_t delivered)
    {
        const auto requests = r.trace.Select("xtr0", LISP_TRACE_MAP_REQUEST_SENT);
        REQUIRE(requests.size() == 1, "xtr0 resolved once");
        NS_TEST_ASSERT_MSG_EQ(Eid(requests[0]->trace), "198.51.100.2/32", "the non-LISP host");
        const std::string expected = "\n    xtr0 map-request-sent"
                                     "\n    mr map-request-received"
                                     "\n    mr map-reply-sent"
                                     "\n    xtr0 map-reply-received";
        NS_TEST_ASSERT_MSG_EQ(NonceTrail(r, requests[0]->trace.nonce), expected,
                              "the Map-Resolver answers negatively itself");
        const auto replies = r.trace.Select("mr", LISP_TRACE_MAP_REPLY_SENT);
        REQUIRE(replies.size() == 1, "one negative Map-Reply");
        NS_TEST_ASSERT_MSG_EQ(Eid(replies[0]->trace), "128.0.0.0/1",
                              "the shortest prefix that covers no configured EID-prefix");
        NS_TEST_ASSERT_MSG_EQ(replies[0]->trace.count, 0u, "no locator");
        NS_TEST_ASSERT_MSG_EQ(r.mr.negative_replies, 1u, "counted by the Map-Resolver");
        const auto inserts = r.trace.Select("xtr0", LISP_TRACE_MAPCACHE_INSERT);
        REQUIRE(inserts.size() == 1, "one negative entry at xtr0");
        NS_TEST_ASSERT_MSG_EQ(Eid(inserts[0]->trace), "128.0.0.0/1", "its prefix");
        NS_TEST_ASSERT_MSG_EQ(inserts[0]->trace.count, 0u, "no locator");

        // xtr0's Map-Request is an ordinary one: no p bit, its source EID.
        const std::vector<Control> wire = MapRequestsSent(r, "xtr0");
        REQUIRE(wire.size() == 1, "one ECM'd Map-Request from xtr0");
        const lisp_map_request &q = wire[0].msg->u.mreq;
        NS_TEST_ASSERT_MSG_EQ(((q.flags & LISP_MREQ_F_PITR) != 0), false, "no p bit");
        NS_TEST_ASSERT_MSG_EQ(AddrText(q.source_eid), HOST0, "the source EID");

        // The negative Map-Reply as xtr0 received it.
        bool seen = false;
        for (const Frame &f : r.frames) {
            Control c;
            if (f.who != "xtr0" || f.tx || !DecodeControl(f, c) || c.ecm ||
                c.msg->type != LISP_MAP_REPLY) {
                continue;
            }
            NS_TEST_ASSERT_MSG_EQ(seen, false, "one Map-Reply reached xtr0");
            seen = true;
            const lisp_map_reply &m = c.msg->u.mrep;
            NS_TEST_ASSERT_MSG_EQ(Ip4(c.ip.src), MS_ADDRESS, "from the MS/MR");
            NS_TEST_ASSERT_MSG_EQ(m.nonce, requests[0]->trace.nonce, "echoing the nonce");
            NS_TEST_ASSERT_MSG_EQ(unsigned(m.record_count), 1u, "one record");
            NS_TEST_ASSERT_MSG_EQ(unsigned(m.records[0].loc_count), 0u, "negative");
            NS_TEST_ASSERT_MSG_EQ(unsigned(m.records[0].action),
                                  unsigned(LISP_ACT_NATIVELY_FORWARD), "natively-forward");
            NS_TEST_ASSERT_MSG_EQ(m.records[0].authoritative, true, "A bit");
            NS_TEST_ASSERT_MSG_EQ(m.records[0].ttl, 15u, "TTL 15 minutes");
        }
        NS_TEST_ASSERT_MSG_EQ(seen, true, "the negative Map-Reply on xtr0's wire");

        // xtr0 used the PETR: encapsulated to its RLOC, never natively.
        const auto encaps = r.trace.Select("xtr0", LISP_TRACE_ENCAP);
        NS_TEST_ASSERT_MSG_EQ(encaps.size(), delivered, "xtr0 encapsulated");
        for (const Event *e : encaps) {
            NS_TEST_ASSERT_MSG_EQ(Peer(e->trace), std::string(PXTR_RLOC) + ":4341",
                                  "to the PETR's RLOC, data port");
            NS_TEST_ASSERT_MSG_EQ(Eid(e->trace), "198.51.100.2/32", "for the non-LISP host");
            NS_TEST_ASSERT_MSG_EQ((e->time >= inserts[0]->time), true, "after the reply");
        }
        NS_TEST_ASSERT_MSG_EQ(r.xtr.forwarded_native, 0u, "xtr0 forwarded nothing natively");
        NS_TEST_ASSERT_MSG_EQ(r.xtr.common.drops[LISP_DROP_NEGATIVE_MAPPING], 0u, "nor dropped");
        NS_TEST_ASSERT_MSG_EQ(r.xtr.common.drops[LISP_DROP_NO_ROUTE], 0u, "nor failed to route");

        // The PETR decapsulated and forwarded natively: the plain packets leave its node
        // through the underlay, not the tunnel.
        const auto decaps = r.trace.Select("pxtr", LISP_TRACE_DECAP);
        NS_TEST_ASSERT_MSG_EQ(decaps.size(), delivered, "the PETR decapsulated");
        for (const Event *e : decaps) {
            NS_TEST_ASSERT_MSG_EQ(Ip4(e->trace.peer.addr), XTR0_RLOC, "from xtr0");
        }
        NS_TEST_ASSERT_MSG_EQ(r.pxtr.decapsulated, delivered, "PETR counter: decapsulated");
        NS_TEST_ASSERT_MSG_EQ(r.pxtr.forwarded_native, delivered, "PETR counter: native");
        uint32_t native = 0;
        for (const Frame &f : r.frames) {
            lisp_ip_flow flow;
            if (f.who != "pxtr" || !f.tx ||
                lisp_ip_flow_parse(&flow, f.bytes.data(), f.bytes.size()) < 0) {
                continue;
            }
            if (Ip4(flow.src) == HOST0 && Ip4(flow.dst) == NON_LISP) {
                NS_TEST_ASSERT_MSG_EQ(f.tunnel, false, "natively, not into the tunnel");
                NS_TEST_ASSERT_MSG_EQ(flow.dport, PORT_TO_NON_LISP, "the host's own UDP");
                native++;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(native, delivered, "plain packets host0 -> nonlisp0 sent by pxtr");
    }

    LispXtr::MissPolicy m_policy;
};

/* ---------------------------------------------------------------------------------------- */
/* A PETR alone                                                                             */
/* ---------------------------------------------------------------------------------------- */

class LispPxtrPetrOnlyTestCase : public TestCase
{
  public:
    LispPxtrPetrOnlyTestCase()
        : TestCase("PETR without PITR: LISP -> non-LISP works, non-LISP -> LISP has no route")
    {
    }

  private:
    void DoRun() override
    {
        ScenarioConfig cfg;
        cfg.pitr = false;
        const ScenarioResult r = RunScenario(cfg);
        NS_TEST_ASSERT_MSG_EQ(r.received[1], 5u, "(b) through the PETR");
        NS_TEST_ASSERT_MSG_EQ(r.received[0], 0u, "(a) EIDs are not routed in the core");
        NS_TEST_ASSERT_MSG_EQ(r.pxtr.map_requests_sent, 0u, "the PETR resolves nothing");
        NS_TEST_ASSERT_MSG_EQ(r.pxtr.encapsulated, 0u, "nor encapsulates");
        NS_TEST_ASSERT_MSG_EQ(r.pxtr.forwarded_native, 5u, "it forwards natively");
        NS_TEST_ASSERT_MSG_EQ(r.xtr.decapsulated, 0u, "nothing reaches xtr0 encapsulated");
    }
};

/* ---------------------------------------------------------------------------------------- */
/* Routing built by the helper                                                              */
/* ---------------------------------------------------------------------------------------- */

class LispPxtrRoutingTestCase : public TestCase
{
  public:
    LispPxtrRoutingTestCase()
        : TestCase("the core routes EIDs to the PITR; xTRs reach non-LISP space only "
                   "through their tunnel")
    {
    }

  private:
    static Ptr<Ipv4Route> Lookup(Ptr<Node> node, const char *destination)
    {
        return lisptest::LookupRoute(node, destination);
    }

    void DoRun() override
    {
        LispTopologyHelper topo;
        topo.SetSites(2);
        topo.SetCoreRouters(3);
        topo.SetProxyXtr(true, true, 2);
        topo.SetNonLispHosts(2, 1);
        topo.Build();
        Simulator::Stop(Seconds(0.001)); // initializes the applications (tunnels, routes)
        Simulator::Run();

        Ptr<Node> pxtr = topo.GetProxyXtrNode();
        Ptr<LispXtr> proxy = topo.GetProxyXtr();
        BooleanValue pitr;
        BooleanValue petr;
        proxy->GetAttribute("Pitr", pitr);
        proxy->GetAttribute("Petr", petr);
        NS_TEST_ASSERT_MSG_EQ((pitr.Get() && petr.Get()), true, "PITR and PETR");
        NS_TEST_ASSERT_MSG_EQ(topo.GetLispApps().GetN(), 4u, "MS/MR, two xTRs, the PxTR");
        NS_TEST_ASSERT_MSG_EQ(topo.GetNonLispHostAddress(1), Ipv4Address("198.51.100.3"),
                              "second non-LISP host");
        for (uint32_t k = 0; k < 3; k++) {
            Ptr<Node> core = topo.GetCoreRouter(k);
            for (const char *eid : {"10.1.0.2", "10.2.0.2"}) {
                Ptr<Ipv4Route> route = Lookup(core, eid);
                REQUIRE(route, "core" << k << " routes " << eid);
                if (k == 2) {
                    NS_TEST_ASSERT_MSG_EQ(route->GetGateway(), topo.GetProxyXtrRloc(),
                                          "core2 sends EIDs to the PITR");
                }
            }
            NS_TEST_ASSERT_MSG_NE(Lookup(core, "198.51.100.3"), nullptr,
                                  "core" << k << " reaches the non-LISP LAN");
        }
        NS_TEST_ASSERT_MSG_NE(Lookup(topo.GetMapServerNode(), "198.51.100.2"), nullptr,
                              "the MS/MR reaches the non-LISP LAN");
        NS_TEST_ASSERT_MSG_EQ(Lookup(topo.GetMapServerNode(), "10.1.0.2"), nullptr, "but not EIDs");
        Ptr<Ipv4Route> native = Lookup(pxtr, "198.51.100.2");
        REQUIRE(native, "the PETR routes the non-LISP LAN");
        NS_TEST_ASSERT_MSG_EQ((native->GetOutputDevice() == proxy->GetTunnelDevice()), false,
                              "natively");
        Ptr<Ipv4Route> eid = Lookup(pxtr, "10.2.0.2");
        REQUIRE(eid, "the PITR routes EIDs");
        NS_TEST_ASSERT_MSG_EQ((eid->GetOutputDevice() == proxy->GetTunnelDevice()), true,
                              "into its tunnel");
        for (uint32_t s = 0; s < 2; s++) {
            Ptr<Ipv4Route> route = Lookup(topo.GetXtrNode(s), "198.51.100.2");
            REQUIRE(route, "xtr" << s << " routes non-LISP space");
            NS_TEST_ASSERT_MSG_EQ((route->GetOutputDevice() == topo.GetXtr(s)->GetTunnelDevice()),
                                  true, "xtr" << s << ": only into its tunnel");
            Ptr<Ipv4Route> rloc = Lookup(topo.GetXtrNode(s), PXTR_RLOC);
            REQUIRE(rloc, "the PETR's RLOC is reachable");
            NS_TEST_ASSERT_MSG_EQ((rloc->GetOutputDevice() == topo.GetXtr(s)->GetTunnelDevice()),
                                  false, "natively");
        }
        Simulator::Destroy();
    }
};

/* ---------------------------------------------------------------------------------------- */
/* IPv6 through a PETR, built by hand                                                       */
/* ---------------------------------------------------------------------------------------- */

const uint8_t V6_HOP_LIMIT = 64;
const uint8_t V6_TRAFFIC_CLASS = 0xb8; // DSCP EF
const uint32_t V6_FLOW_LABEL = 0x12345;
const uint16_t V6_SOURCE_PORT = 5000;

/* An IPv6 packet a node sent (Tx) or received (Rx): its header and UDP destination port. */
struct Frame6 {
    std::string who;
    bool tx;
    uint32_t interface; // Ipv6 interface index
    Ipv6Header header;
    uint16_t dport; // 0: not UDP
};

struct Recorder6 {
    std::vector<Frame6> *frames;
    std::string who;
};

void Capture6(Recorder6 *r, bool tx, Ptr<const Packet> packet, Ptr<Ipv6>, uint32_t interface)
{
    Frame6 f{r->who, tx, interface, Ipv6Header(), 0};
    Ptr<Packet> copy = packet->Copy();
    copy->RemoveHeader(f.header);
    UdpHeader udp;
    if (f.header.GetNextHeader() == UdpL4Protocol::PROT_NUMBER && copy->PeekHeader(udp)) {
        f.dport = udp.GetDestinationPort();
    }
    r->frames->push_back(f);
}

/* A UDP datagram with a hand-made IPv6 header (a flow label, which ns-3's own IPv6 never
 * sets), handed to host0's LAN device for its router. */
void SendCrafted(Ptr<NetDevice> device, Address router, Ipv6Address source, Ipv6Address destination,
                 uint32_t seq)
{
    Ptr<Packet> p = Create<Packet>(100);
    SeqTsHeader seqTs;
    seqTs.SetSeq(seq);
    p->AddHeader(seqTs);
    UdpHeader udp;
    udp.SetSourcePort(V6_SOURCE_PORT);
    udp.SetDestinationPort(PORT_TO_NON_LISP);
    p->AddHeader(udp);
    Ipv6Header ip;
    ip.SetSource(source);
    ip.SetDestination(destination);
    ip.SetNextHeader(UdpL4Protocol::PROT_NUMBER);
    ip.SetPayloadLength(p->GetSize());
    ip.SetHopLimit(V6_HOP_LIMIT);
    ip.SetTrafficClass(V6_TRAFFIC_CLASS);
    ip.SetFlowLabel(V6_FLOW_LABEL);
    p->AddHeader(ip);
    device->Send(p, router, Ipv6L3Protocol::PROT_NUMBER);
}

class LispPxtrIpv6PetrTestCase : public TestCase
{
  public:
    LispPxtrIpv6PetrTestCase()
        : TestCase("IPv6 through a PETR: forwarded natively with its own header, hop limit "
                   "decremented once; no route is a no-route drop")
    {
    }

  private:
    void DoRun() override
    {
        // host0 ==lan== xtr0 --p2p-- core (MS/MR) --p2p-- pxtr (PETR) ==lan== nonlisp0
        //  fd00:0:1::/64       fd00:1::/64        fd00:2::/64          fd00:c::/64
        // The core has no route to the EIDs, xtr0 none to the non-LISP LAN but through its
        // tunnel: only the PETR can take host0's packets there. The PETR has no IPv6 EID,
        // no route to the rest of fd00:c::/48, and routes fd00:c:0:2::/64 into its tunnel.
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        NodeContainer nodes;
        nodes.Create(5);
        Ptr<Node> host0 = nodes.Get(0);
        Ptr<Node> xtr0 = nodes.Get(1);
        Ptr<Node> core = nodes.Get(2);
        Ptr<Node> pxtr = nodes.Get(3);
        Ptr<Node> nonLisp = nodes.Get(4);
        InternetStackHelper stack;
        stack.SetIpv4StackInstall(false);
        stack.Install(nodes);

        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("5ms"));
        CsmaHelper csma;
        Ipv6AddressHelper addresses;
        Ipv6StaticRoutingHelper routing;
        const Ipv6Prefix p64(64);
        addresses.SetBase(Ipv6Address("fd00:0:1::"), p64);
        NetDeviceContainer siteLan = csma.Install(NodeContainer(xtr0, host0));
        Ipv6InterfaceContainer site = addresses.Assign(siteLan);
        addresses.SetBase(Ipv6Address("fd00:1::"), p64);
        Ipv6InterfaceContainer linkA = addresses.Assign(p2p.Install(xtr0, core));
        addresses.SetBase(Ipv6Address("fd00:2::"), p64);
        Ipv6InterfaceContainer linkB = addresses.Assign(p2p.Install(core, pxtr));
        addresses.SetBase(Ipv6Address("fd00:c::"), p64);
        Ipv6InterfaceContainer outside =
            addresses.Assign(csma.Install(NodeContainer(pxtr, nonLisp)));
        const Ipv6Address hostAddress = site.GetAddress(1, 1);
        const Ipv6Address rloc = linkA.GetAddress(0, 1);
        const Ipv6Address msAddress = linkA.GetAddress(1, 1);
        const Ipv6Address petrRloc = linkB.GetAddress(1, 1);
        const Ipv6Address nonLispAddress = outside.GetAddress(1, 1);
        const Ipv6Address unroutable("fd00:c:0:1::2"); // non-LISP, but not on the PETR's LAN
        const Ipv6Address intoTunnel("fd00:c:0:2::2"); // the PETR routes it into its tunnel

        routing.GetStaticRouting(host0->GetObject<Ipv6>())
            ->SetDefaultRoute(site.GetAddress(0, 1), site.GetInterfaceIndex(1));
        routing.GetStaticRouting(xtr0->GetObject<Ipv6>())
            ->AddNetworkRouteTo("fd00:2::", p64, msAddress, linkA.GetInterfaceIndex(0));
        routing.GetStaticRouting(core->GetObject<Ipv6>())
            ->AddNetworkRouteTo("fd00:c::", p64, petrRloc, linkB.GetInterfaceIndex(0));
        routing.GetStaticRouting(pxtr->GetObject<Ipv6>())
            ->AddNetworkRouteTo("fd00:1::", p64, linkB.GetAddress(0, 1), linkB.GetInterfaceIndex(1));
        routing.GetStaticRouting(nonLisp->GetObject<Ipv6>())
            ->SetDefaultRoute(outside.GetAddress(0, 1), outside.GetInterfaceIndex(1));
        for (Ptr<Node> router : {xtr0, core, pxtr}) {
            router->GetObject<Ipv6>()->SetAttribute("IpForward", BooleanValue(true));
        }

        LispMapServerHelper msHelper;
        Ptr<LispMapServer> server = DynamicCast<LispMapServer>(msHelper.Install(core).Get(0));
        const uint32_t siteId = server->AddSite("v6-site", 2, "v6-key");
        server->AddSitePrefix(siteId, Ipv6Address("fd00:0:1::"), Ipv6Prefix(48));
        LispXtrHelper xtrHelper;
        xtrHelper.SetAttribute("MissPolicy", EnumValue(LispXtr::MISS_QUEUE));
        Ptr<LispXtr> itr = DynamicCast<LispXtr>(xtrHelper.Install(xtr0).Get(0));
        itr->AddEidPrefix(Ipv6Address("fd00:0:1::"), Ipv6Prefix(48));
        itr->AddRloc(rloc);
        itr->AddMapResolver(msAddress);
        itr->AddMapServer(msAddress, 2, "v6-key");
        itr->AddPetr(petrRloc);
        itr->AddRemoteEidSpace(Ipv6Address("fd00:c::"), Ipv6Prefix(48)); // non-LISP space
        Ptr<LispXtr> petr = DynamicCast<LispXtr>(xtrHelper.Install(pxtr).Get(0));
        petr->SetAttribute("Petr", BooleanValue(true));
        petr->AddRloc(petrRloc);
        petr->AddRemoteEidSpace(Ipv6Address("fd00:c:0:2::"), p64); // (misconfigured) loop
        // After duplicate address detection.
        for (Ptr<Application> app :
             {Ptr<Application>(server), Ptr<Application>(itr), Ptr<Application>(petr)}) {
            app->SetStartTime(Seconds(2));
        }
        LispAppHelper::AssignStreams(NodeContainer(core, xtr0, pxtr), 0);

        std::vector<Frame6> frames;
        Recorder6 recorders[2] = {{&frames, "pxtr"}, {&frames, "nonlisp0"}};
        const Ptr<Node> watched[2] = {pxtr, nonLisp};
        for (int i = 0; i < 2; i++) {
            Ptr<Ipv6L3Protocol> ipv6 = watched[i]->GetObject<Ipv6L3Protocol>();
            ipv6->TraceConnectWithoutContext("Tx",
                                             MakeBoundCallback(&Capture6, &recorders[i], true));
            ipv6->TraceConnectWithoutContext("Rx",
                                             MakeBoundCallback(&Capture6, &recorders[i], false));
        }
        ApplicationContainer sink = UdpServerHelper(PORT_TO_NON_LISP).Install(nonLisp);

        const uint32_t packets = 5;
        for (uint32_t i = 0; i < packets; i++) {
            Simulator::Schedule(Seconds(3 + i * 0.5), &SendCrafted, siteLan.Get(1),
                                siteLan.Get(0)->GetAddress(), hostAddress, nonLispAddress, i);
        }
        Simulator::Schedule(Seconds(6), &SendCrafted, siteLan.Get(1), siteLan.Get(0)->GetAddress(),
                            hostAddress, unroutable, packets);
        Simulator::Schedule(Seconds(6.5), &SendCrafted, siteLan.Get(1),
                            siteLan.Get(0)->GetAddress(), hostAddress, intoTunnel, packets + 1);
        Simulator::Stop(Seconds(8));
        Simulator::Run();

        const int32_t tunnel =
            pxtr->GetObject<Ipv6>()->GetInterfaceForDevice(petr->GetTunnelDevice());
        const lisp_xtr_stats itrStats = itr->GetStats();
        const lisp_xtr_stats petrStats = petr->GetStats();
        const uint64_t received = DynamicCast<UdpServer>(sink.Get(0))->GetReceived();
        Simulator::Destroy();

        // The ITR: a negative (natively-forward) reply, then encapsulation to the PETR.
        NS_TEST_ASSERT_MSG_EQ(itrStats.map_replies_received, 1u, "one negative Map-Reply");
        NS_TEST_ASSERT_MSG_EQ(itrStats.encapsulated, packets + 2, "all to the PETR");
        NS_TEST_ASSERT_MSG_EQ(itrStats.forwarded_native, 0u, "xtr0 forwards nothing natively");
        // The PETR: no IPv6 EID of its own, yet an IPv6 interface on its tunnel.
        REQUIRE(tunnel >= 0, "the PETR's tunnel has an IPv6 interface");
        NS_TEST_ASSERT_MSG_EQ(petrStats.decapsulated, uint64_t(packets), "PETR: decapsulated");
        NS_TEST_ASSERT_MSG_EQ(petrStats.forwarded_native, uint64_t(packets), "PETR: native");
        NS_TEST_ASSERT_MSG_EQ(petrStats.common.drops[LISP_DROP_NO_ROUTE], 2u,
                              "no route, or a route back into the tunnel: no-route drops");
        NS_TEST_ASSERT_MSG_EQ(petrStats.map_requests_sent + petrStats.encapsulated, 0u,
                              "nothing went back into the PETR's tunnel");
        NS_TEST_ASSERT_MSG_EQ(received, uint64_t(packets), "delivered to nonlisp0's UDP server");

        // The packets along the path, with their own header.
        uint32_t entered = 0;
        uint32_t left = 0;
        uint32_t arrived = 0;
        for (const Frame6 &f : frames) {
            if (f.dport != PORT_TO_NON_LISP) {
                continue;
            }
            const Ipv6Header &h = f.header;
            NS_TEST_ASSERT_MSG_EQ(h.GetSource(), hostAddress, f.who << ": host0's source");
            NS_TEST_ASSERT_MSG_EQ(unsigned(h.GetTrafficClass()), unsigned(V6_TRAFFIC_CLASS),
                                  f.who << ": its traffic class");
            NS_TEST_ASSERT_MSG_EQ(h.GetFlowLabel(), V6_FLOW_LABEL, f.who << ": its flow label");
            NS_TEST_ASSERT_MSG_EQ(unsigned(h.GetNextHeader()), 17u, f.who << ": UDP");
            NS_TEST_ASSERT_MSG_EQ(h.GetPayloadLength(), 8u + 12u + 100u, f.who << ": its payload");
            if (f.who == "pxtr" && !f.tx) {
                // Decapsulated and re-entered through the tunnel: xtr0 forwarded it once,
                // and the ETR took the smaller of the inner and outer hop limits (RFC 9300
                // 5.3): the outer header, copied from the inner at xtr0, lost one more at
                // the core router between xtr0 and the PETR.
                NS_TEST_ASSERT_MSG_EQ(f.interface, uint32_t(tunnel), "through the PETR's tunnel");
                NS_TEST_ASSERT_MSG_EQ(unsigned(h.GetHopLimit()), V6_HOP_LIMIT - 2u,
                                      "before the PETR's forwarding");
                entered += h.GetDestination() == nonLispAddress;
            } else if (f.who == "pxtr" && f.tx) {
                NS_TEST_ASSERT_MSG_NE(f.interface, uint32_t(tunnel), "natively, not the tunnel");
                NS_TEST_ASSERT_MSG_EQ(h.GetDestination(), nonLispAddress, "to nonlisp0");
                NS_TEST_ASSERT_MSG_EQ(unsigned(h.GetHopLimit()), V6_HOP_LIMIT - 3u,
                                      "the PETR decremented the hop limit once");
                left++;
            } else if (f.who == "nonlisp0" && !f.tx) {
                NS_TEST_ASSERT_MSG_EQ(h.GetDestination(), nonLispAddress, "to nonlisp0");
                NS_TEST_ASSERT_MSG_EQ(unsigned(h.GetHopLimit()), V6_HOP_LIMIT - 3u,
                                      "three routers on the way: xtr0, the core, the PETR");
                arrived++;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(entered, packets, "the PETR took them in through its tunnel");
        NS_TEST_ASSERT_MSG_EQ(left, packets, "the PETR sent them out natively");
        NS_TEST_ASSERT_MSG_EQ(arrived, packets, "nonlisp0 received them");
    }
};

class LispPxtrTestSuite : public TestSuite
{
  public:
    LispPxtrTestSuite() : TestSuite("lisp-pxtr", Type::SYSTEM)
    {
        AddTestCase(new LispPxtrBothDirectionsTestCase(LispXtr::MISS_QUEUE));
        AddTestCase(new LispPxtrBothDirectionsTestCase(LispXtr::MISS_DROP));
        AddTestCase(new LispPxtrPetrOnlyTestCase);
        AddTestCase(new LispPxtrRoutingTestCase);
        AddTestCase(new LispPxtrIpv6PetrTestCase);
    }
};

LispPxtrTestSuite g_lispPxtrTestSuite;

} // namespace
