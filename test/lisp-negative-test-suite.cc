/*
 * lisp-negative-test-suite.cc - ns-3 TestSuite "lisp-negative": negative Map-Replies
 * through the real ns-3 path, ITR -> Map-Resolver / Map-Server -> ITR, for several
 * layouts of configured EID space, IPv4 and IPv6.
 *
 *   IPv4: host0 == xtr0 -- core0 -- core1 -- xtr1 == host1     sites 10.1.0.0/16, 10.2.0.0/16
 *                            |
 *                          ms-mr
 *   IPv6: host == xtr -- ms-mr            sites fd00:0:1::/48 (registered), fd00:0:2::/48
 *
 * host0 (host) sends one UDP packet to each destination; xtr0 routes every destination
 * into its tunnel, so each one makes its ITR send a Map-Request. For each, the test follows
 * the nonce (who answered), checks the Map-Reply as it arrived at the ITR (decoded with the
 * engines' codec: prefix, TTL in minutes, action, A bit, no locator), the map-cache insert
 * trace (prefix, locator count 0) and the map-cache entry itself (action, expiry = TTL).
 *
 * Rules (lisp_mr.h, lisp_ms.h): outside every configured prefix, the Map-Resolver answers
 * with the shortest prefix that covers the EID and no configured prefix, TTL
 * ResolverNegativeTtl (15 min); inside a configured prefix that is not registered, the
 * Map-Server answers with the configured prefix (when nothing inside it is registered),
 * TTL UnregisteredTtl (1 min). Both natively-forward, authoritative.
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
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/* ---------------------------------------------------------------------------------------- */
/* What a run records                                                                       */
/* ---------------------------------------------------------------------------------------- */

using Event = LispTraceRecorder::Event; // labels "xtr", "ms", "mr"

/* A map-cache entry of the ITR at the end of the run. */
struct CacheEntry {
    std::string prefix;
    unsigned locators;
    unsigned action;
    bool authoritative;
    Time expires;
};

struct RunResult {
    LispTraceRecorder trace;                    // the events
    std::vector<std::vector<uint8_t>> received; // IP packets the ITR's node received
    std::vector<CacheEntry> cache;
    lisp_ms_stats ms;
    lisp_mr_stats mr;
};

void CaptureRx(RunResult *r, Ptr<const Packet> packet)
{
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    r->received.push_back(std::move(bytes));
}

void CaptureRx4(RunResult *r, Ptr<const Packet> packet, Ptr<Ipv4>, uint32_t)
{
    CaptureRx(r, packet);
}

void CaptureRx6(RunResult *r, Ptr<const Packet> packet, Ptr<Ipv6>, uint32_t)
{
    CaptureRx(r, packet);
}

int SnapshotEntry(void *user, const lisp_mapcache_entry *e)
{
    static_cast<std::vector<CacheEntry> *>(user)->push_back(
        {LispEidToString(e->prefix), e->loc_count, e->action, e->authoritative,
         LispTimeToNs3(e->expires)});
    return 0;
}

/* Connect the recorders to the ITR and the MS/MR. */
void Observe(RunResult *r, Ptr<LispXtr> itr, Ptr<LispMapServer> server)
{
    r->trace.SetEngineLabel(LISP_ROLE_MS, "ms");
    r->trace.SetEngineLabel(LISP_ROLE_MR, "mr");
    r->trace.Connect(itr, "xtr");
    r->trace.Connect(server, "ms");
    Ptr<Node> node = itr->GetNode();
    if (Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>()) {
        ipv4->TraceConnectWithoutContext("Rx", MakeBoundCallback(&CaptureRx4, r));
    }
    if (Ptr<Ipv6L3Protocol> ipv6 = node->GetObject<Ipv6L3Protocol>()) {
        ipv6->TraceConnectWithoutContext("Rx", MakeBoundCallback(&CaptureRx6, r));
    }
}

/* After the run, before Simulator::Destroy. */
void Collect(RunResult *r, Ptr<LispXtr> itr, Ptr<LispMapServer> server)
{
    lisp_mapcache_foreach(lisp_xtr_mapcache(itr->GetEngine()), &SnapshotEntry, &r->cache);
    r->ms = server->GetMapServerStats();
    r->mr = server->GetMapResolverStats();
}

/* One UDP packet from `host` to each destination, from `start` on, 100 ms apart. */
void SendOneEach(Ptr<Node> host, const std::vector<std::string> &destinations, Time start)
{
    for (size_t i = 0; i < destinations.size(); i++) {
        const char *text = destinations[i].c_str();
        const Address to = destinations[i].find(':') != std::string::npos
                               ? Address(Ipv6Address(text))
                               : Address(Ipv4Address(text));
        UdpClientHelper client(to, 5000);
        client.SetAttribute("MaxPackets", UintegerValue(1));
        client.SetAttribute("PacketSize", UintegerValue(64));
        client.Install(host).Start(start + MilliSeconds(100 * i));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The IPv4 layout: two sites of LispTopologyHelper                                         */
/* ---------------------------------------------------------------------------------------- */

struct V4Config {
    std::vector<std::string> destinations;
    bool site1Runs = true; // false: 10.2.0.0/16 is configured but never registered
    Time resolverNegativeTtl = Minutes(15);
    Time unregisteredTtl = Minutes(1);
    Time simTime = Seconds(5);
};

RunResult RunIpv4(const V4Config &cfg)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    RunResult result;
    LispTopologyHelper topo;
    topo.SetSites(2);
    topo.SetCoreRouters(2);
    // Every destination enters xtr0's tunnel, so every one is resolved.
    topo.SetEidSpace(Ipv4Address::GetAny(), Ipv4Mask::GetZero());
    topo.MapServerHelper().SetAttribute("ResolverNegativeTtl", TimeValue(cfg.resolverNegativeTtl));
    topo.MapServerHelper().SetAttribute("UnregisteredTtl", TimeValue(cfg.unregisteredTtl));
    topo.Build();
    topo.AssignStreams(0);
    if (!cfg.site1Runs) {
        topo.GetXtr(1)->SetStartTime(cfg.simTime + Seconds(1)); // never starts
    }
    Observe(&result, topo.GetXtr(0), topo.GetMapServer());
    SendOneEach(topo.GetHost(0, 0), cfg.destinations, Seconds(2));

    Simulator::Stop(cfg.simTime);
    Simulator::Run();
    Collect(&result, topo.GetXtr(0), topo.GetMapServer());
    Simulator::Destroy();
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    return result;
}

/* ---------------------------------------------------------------------------------------- */
/* Checks shared by the cases                                                               */
/* ---------------------------------------------------------------------------------------- */

struct Expected {
    std::string destination; // the EID asked for
    std::string prefix;      // the negative prefix
    Time ttl;
    std::string by; // "mr" or "ms"
};

class LispNegativeTestCase : public TestCase
{
  public:
    explicit LispNegativeTestCase(const std::string &name) : TestCase(name)
    {
    }

  protected:
    static std::string HostPrefix(const std::string &destination)
    {
        return destination + (destination.find(':') != std::string::npos ? "/128" : "/32");
    }

    /* The resolution of one destination, end to end. */
    void CheckNegative(const RunResult &r, const Expected &x)
    {
        const std::string what = x.destination + ": ";
        const Event *request = nullptr;
        for (const Event &e : r.trace.GetEvents()) {
            if (e.label == "xtr" && e.trace.kind == LISP_TRACE_MAP_REQUEST_SENT &&
                LispEidToString(e.trace.eid) == HostPrefix(x.destination)) {
                NS_TEST_ASSERT_MSG_EQ(request, nullptr, what << "one Map-Request");
                request = &e;
            }
        }
        REQUIRE(request, what << "the ITR sent a Map-Request");
        const uint64_t nonce = request->trace.nonce;

        // Who answered, with what: the reply-sent trace of the answering engine.
        const Event *sent = nullptr;
        const Event *received = nullptr;
        for (const Event &e : r.trace.GetEvents()) {
            if (e.trace.nonce != nonce) {
                continue;
            }
            if (e.trace.kind == LISP_TRACE_MAP_REPLY_SENT) {
                NS_TEST_ASSERT_MSG_EQ(sent, nullptr, what << "one Map-Reply");
                sent = &e;
            }
            if (e.label == "xtr" && e.trace.kind == LISP_TRACE_MAP_REPLY_RECEIVED) {
                received = &e;
            }
            NS_TEST_ASSERT_MSG_EQ(
                (e.trace.kind == LISP_TRACE_MAP_REQUEST_FORWARDED && e.label != "mr"), false,
                what << "not forwarded to an ETR");
        }
        REQUIRE(sent, what << "answered");
        NS_TEST_ASSERT_MSG_EQ(sent->label, x.by, what << "answered by");
        NS_TEST_ASSERT_MSG_EQ(LispEidToString(sent->trace.eid), x.prefix, what << "prefix sent");
        NS_TEST_ASSERT_MSG_EQ(sent->trace.count, 0u, what << "no locator sent");
        REQUIRE(received, what << "the ITR received the reply");
        NS_TEST_ASSERT_MSG_EQ(received->trace.count, 0u, what << "no locator received");

        // The map-cache insert trace, right when the reply arrived.
        const Event *insert = nullptr;
        for (const Event &e : r.trace.GetEvents()) {
            if (e.label == "xtr" && e.trace.kind == LISP_TRACE_MAPCACHE_INSERT &&
                LispEidToString(e.trace.eid) == x.prefix) {
                insert = &e;
            }
        }
        REQUIRE(insert, what << "map-cache insert of " << x.prefix);
        NS_TEST_ASSERT_MSG_EQ(insert->trace.count, 0u, what << "locator count 0");
        NS_TEST_ASSERT_MSG_EQ(insert->time, received->time, what << "inserted on arrival");

        // The Map-Reply as it arrived at the ITR.
        bool onWire = false;
        for (const std::vector<uint8_t> &bytes : r.received) {
            lisp_ipudp ip;
            const uint8_t *payload;
            size_t len;
            auto msg = std::make_unique<lisp_msg>();
            if (lisp_ipudp_decode(&ip, bytes.data(), bytes.size(), &payload, &len) < 0 ||
                ip.sport != LISP_CONTROL_PORT || lisp_msg_decode(msg.get(), payload, len) < 0 ||
                msg->type != LISP_MAP_REPLY || msg->u.mrep.nonce != nonce) {
                continue;
            }
            onWire = true;
            REQUIRE(msg->u.mrep.record_count == 1, what << "one record");
            const lisp_record &rec = msg->u.mrep.records[0];
            lisp_eid eid;
            NS_TEST_ASSERT_MSG_EQ(lisp_mapcache_eid_from_prefix(&eid, &rec.eid), LISP_OK,
                                  what << "record EID");
            NS_TEST_ASSERT_MSG_EQ(LispEidToString(eid), x.prefix, what << "record prefix");
            NS_TEST_ASSERT_MSG_EQ(unsigned(rec.loc_count), 0u, what << "record: no locator");
            NS_TEST_ASSERT_MSG_EQ(unsigned(rec.action), unsigned(LISP_ACT_NATIVELY_FORWARD),
                                  what << "action natively-forward");
            NS_TEST_ASSERT_MSG_EQ(rec.authoritative, true, what << "A bit");
            NS_TEST_ASSERT_MSG_EQ(uint64_t(rec.ttl), uint64_t(x.ttl.GetMinutes()),
                                  what << "record TTL, minutes");
        }
        NS_TEST_ASSERT_MSG_EQ(onWire, true, what << "the Map-Reply reached the ITR's node");

        // The map-cache entry: negative, natively-forward, expiring after the TTL.
        const CacheEntry *entry = nullptr;
        for (const CacheEntry &c : r.cache) {
            if (c.prefix == x.prefix) {
                entry = &c;
            }
        }
        REQUIRE(entry, what << "in the map-cache at the end");
        NS_TEST_ASSERT_MSG_EQ(entry->locators, 0u, what << "entry without locators");
        NS_TEST_ASSERT_MSG_EQ(entry->action, unsigned(LISP_ACT_NATIVELY_FORWARD),
                              what << "entry action");
        NS_TEST_ASSERT_MSG_EQ(entry->authoritative, true, what << "entry authoritative");
        NS_TEST_ASSERT_MSG_EQ(entry->expires, insert->time + x.ttl, what << "expires after TTL");
    }
};

/* ---------------------------------------------------------------------------------------- */
/* IPv4: outside the configured EID space                                                   */
/* ---------------------------------------------------------------------------------------- */

class LispNegativeOutsideTestCase : public LispNegativeTestCase
{
  public:
    LispNegativeOutsideTestCase()
        : LispNegativeTestCase("10.1.0.0 and 10.2.0.0 (16 bits) configured: the "
                               "Map-Resolver's negative prefixes, 15 minutes")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<Expected> expected = {
            {"10.3.0.5", "10.3.0.0/16", Minutes(15), "mr"},
            {"11.0.0.1", "11.0.0.0/8", Minutes(15), "mr"},
            {"10.0.0.1", "10.0.0.0/16", Minutes(15), "mr"},
            {"10.200.0.1", "10.128.0.0/9", Minutes(15), "mr"},
            {"192.0.2.1", "128.0.0.0/1", Minutes(15), "mr"},
        };
        V4Config cfg;
        for (const Expected &x : expected) {
            cfg.destinations.push_back(x.destination);
        }
        cfg.destinations.push_back("10.2.0.2"); // a registered EID, for contrast
        const RunResult r = RunIpv4(cfg);

        for (const Expected &x : expected) {
            CheckNegative(r, x);
        }
        NS_TEST_ASSERT_MSG_EQ(r.mr.negative_replies, uint64_t(expected.size()),
                              "every negative reply from the Map-Resolver");
        NS_TEST_ASSERT_MSG_EQ(r.ms.negative_replies + r.ms.unregistered_replies, 0u,
                              "none from the Map-Server");
        NS_TEST_ASSERT_MSG_EQ(r.ms.forwarded, 1u, "the registered EID went to its ETR");
        bool positive = false;
        for (const CacheEntry &c : r.cache) {
            if (c.prefix == "10.2.0.0/16") {
                positive = c.locators == 1;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(positive, true, "10.2.0.2: a positive mapping with its locator");
        NS_TEST_ASSERT_MSG_EQ(r.cache.size(), expected.size() + 1, "nothing else cached");
    }
};

/* ---------------------------------------------------------------------------------------- */
/* IPv4: configured but not registered                                                      */
/* ---------------------------------------------------------------------------------------- */

class LispNegativeUnregisteredTestCase : public LispNegativeTestCase
{
  public:
    LispNegativeUnregisteredTestCase()
        : LispNegativeTestCase("a configured EID-prefix nobody registered: the Map-Server's "
                               "short negative reply, 1 minute, then expiry")
    {
    }

  private:
    void DoRun() override
    {
        V4Config cfg;
        cfg.site1Runs = false;
        cfg.destinations = {"10.2.0.2", "10.2.255.1", "10.3.0.5"};
        cfg.simTime = Seconds(70);
        const RunResult r = RunIpv4(cfg);

        // 10.2.0.2's entry expired before the end: check it through the traces alone.
        const Expected unregistered = {"10.2.0.2", "10.2.0.0/16", Minutes(1), "ms"};
        const Event *insert = nullptr;
        const Event *expire = nullptr;
        const Event *sent = nullptr;
        for (const Event &e : r.trace.GetEvents()) {
            const std::string eid = LispEidToString(e.trace.eid);
            if (e.label == "xtr" && e.trace.kind == LISP_TRACE_MAPCACHE_INSERT &&
                eid == "10.2.0.0/16") {
                NS_TEST_ASSERT_MSG_EQ(insert, nullptr, "one insert: 10.2.255.1 hit the entry");
                insert = &e;
            }
            if (e.label == "xtr" && e.trace.kind == LISP_TRACE_MAPCACHE_EXPIRE &&
                eid == "10.2.0.0/16") {
                expire = &e;
            }
            if (e.label == "ms" && e.trace.kind == LISP_TRACE_MAP_REPLY_SENT) {
                NS_TEST_ASSERT_MSG_EQ(sent, nullptr, "one reply from the Map-Server");
                sent = &e;
            }
        }
        REQUIRE(insert, "the negative entry for the site prefix");
        NS_TEST_ASSERT_MSG_EQ(insert->trace.count, 0u, "locator count 0");
        REQUIRE(sent, "the Map-Server answered");
        NS_TEST_ASSERT_MSG_EQ(LispEidToString(sent->trace.eid), unregistered.prefix, "prefix");
        REQUIRE(expire, "the entry expired");
        NS_TEST_ASSERT_MSG_EQ(expire->time, insert->time + unregistered.ttl,
                              "exactly UnregisteredTtl after the reply");
        NS_TEST_ASSERT_MSG_EQ(r.ms.unregistered_replies, 1u, "counted as unregistered");
        NS_TEST_ASSERT_MSG_EQ(r.ms.forwarded, 0u, "no ETR to forward to");
        NS_TEST_ASSERT_MSG_EQ(r.mr.local, 1u, "the Map-Resolver handed it to the Map-Server");

        // The wire reply for 10.2.0.2 (TTL 1 minute), and 10.3.0.5 from the Map-Resolver.
        bool onWire = false;
        for (const std::vector<uint8_t> &bytes : r.received) {
            lisp_ipudp ip;
            const uint8_t *payload;
            size_t len;
            auto msg = std::make_unique<lisp_msg>();
            if (lisp_ipudp_decode(&ip, bytes.data(), bytes.size(), &payload, &len) == LISP_OK &&
                ip.sport == LISP_CONTROL_PORT && lisp_msg_decode(msg.get(), payload, len) == 0 &&
                msg->type == LISP_MAP_REPLY && msg->u.mrep.nonce == sent->trace.nonce) {
                onWire = true;
                NS_TEST_ASSERT_MSG_EQ(msg->u.mrep.records[0].ttl, 1u, "TTL 1 minute");
                NS_TEST_ASSERT_MSG_EQ(unsigned(msg->u.mrep.records[0].action),
                                      unsigned(LISP_ACT_NATIVELY_FORWARD), "natively-forward");
                NS_TEST_ASSERT_MSG_EQ(msg->u.mrep.records[0].authoritative, true, "A bit");
                NS_TEST_ASSERT_MSG_EQ(unsigned(msg->u.mrep.records[0].loc_count), 0u, "no locator");
            }
        }
        NS_TEST_ASSERT_MSG_EQ(onWire, true, "the Map-Server's reply on the wire");
        CheckNegative(r, {"10.3.0.5", "10.3.0.0/16", Minutes(15), "mr"});
    }
};

/* ---------------------------------------------------------------------------------------- */
/* IPv4: TTLs from the attributes                                                           */
/* ---------------------------------------------------------------------------------------- */

class LispNegativeTtlAttributesTestCase : public LispNegativeTestCase
{
  public:
    LispNegativeTtlAttributesTestCase()
        : LispNegativeTestCase("ResolverNegativeTtl 5 min and UnregisteredTtl 2 min reach the "
                               "wire and the map-cache")
    {
    }

  private:
    void DoRun() override
    {
        V4Config cfg;
        cfg.site1Runs = false;
        cfg.resolverNegativeTtl = Minutes(5);
        cfg.unregisteredTtl = Minutes(2) + Seconds(59); // whole minutes on the wire: 2
        cfg.destinations = {"11.0.0.1", "10.2.0.2"};
        const RunResult r = RunIpv4(cfg);
        CheckNegative(r, {"11.0.0.1", "11.0.0.0/8", Minutes(5), "mr"});
        CheckNegative(r, {"10.2.0.2", "10.2.0.0/16", Minutes(2), "ms"});
    }
};

/* ---------------------------------------------------------------------------------------- */
/* IPv6                                                                                     */
/* ---------------------------------------------------------------------------------------- */

class LispNegativeIpv6TestCase : public LispNegativeTestCase
{
  public:
    LispNegativeIpv6TestCase()
        : LispNegativeTestCase("IPv6: fd00:0:1:: and fd00:0:2:: (48 bits) configured, "
                               "negative prefixes from the Map-Resolver and the Map-Server")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

        // host ==csma== xtr --p2p-- ms: the MS/MR is on the xTR's link, no routes needed.
        Ptr<Node> host = CreateObject<Node>();
        Ptr<Node> xtrNode = CreateObject<Node>();
        Ptr<Node> msNode = CreateObject<Node>();
        InternetStackHelper stack;
        stack.SetIpv4StackInstall(false);
        stack.Install(NodeContainer(host, xtrNode, msNode));
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        CsmaHelper csma;
        Ipv6AddressHelper addresses;
        addresses.SetBase(Ipv6Address("fc00:1::"), Ipv6Prefix(64));
        Ipv6InterfaceContainer link = addresses.Assign(p2p.Install(xtrNode, msNode));
        addresses.SetBase(Ipv6Address("fd00:0:1::"), Ipv6Prefix(64));
        Ipv6InterfaceContainer lan = addresses.Assign(csma.Install(NodeContainer(xtrNode, host)));
        Ipv6StaticRoutingHelper routing;
        routing.GetStaticRouting(host->GetObject<Ipv6>())
            ->SetDefaultRoute(lan.GetAddress(0, 1), lan.GetInterfaceIndex(1));
        xtrNode->GetObject<Ipv6>()->SetAttribute("IpForward", BooleanValue(true));
        const Ipv6Address rloc = link.GetAddress(0, 1);
        const Ipv6Address ms = link.GetAddress(1, 1);

        Ptr<LispMapServer> server =
            DynamicCast<LispMapServer>(LispMapServerHelper().Install(msNode).Get(0));
        const uint32_t site1 = server->AddSite("v6-1", 2, "v6-key");
        server->AddSitePrefix(site1, Ipv6Address("fd00:0:1::"), Ipv6Prefix(48));
        const uint32_t site2 = server->AddSite("v6-2", 2, "v6-key"); // nobody registers it
        server->AddSitePrefix(site2, Ipv6Address("fd00:0:2::"), Ipv6Prefix(48));
        Ptr<LispXtr> xtr = DynamicCast<LispXtr>(LispXtrHelper().Install(xtrNode).Get(0));
        xtr->AddEidPrefix(Ipv6Address("fd00:0:1::"), Ipv6Prefix(48));
        xtr->AddRloc(rloc);
        xtr->AddMapResolver(ms);
        xtr->AddMapServer(ms, 2, "v6-key");
        xtr->AddRemoteEidSpace(Ipv6Address("fd00::"), Ipv6Prefix(8));
        // After duplicate address detection.
        server->SetStartTime(Seconds(2));
        xtr->SetStartTime(Seconds(2));
        LispAppHelper::AssignStreams(NodeContainer(xtrNode, msNode), 0);

        RunResult r;
        Observe(&r, xtr, server);
        // fd00:3::1 differs from the sites in bits 16..31 already: fd00:2::/31 is the
        // shortest prefix that covers it and neither site.
        const std::vector<Expected> expected = {
            {"fd00:0:3::1", "fd00:0:3::/48", Minutes(15), "mr"},
            {"fd00:3::1", "fd00:2::/31", Minutes(15), "mr"},
            {"fd01::1", "fd01::/16", Minutes(15), "mr"},
            {"fd00:0:2::5", "fd00:0:2::/48", Minutes(1), "ms"},
        };
        std::vector<std::string> destinations;
        for (const Expected &x : expected) {
            destinations.push_back(x.destination);
        }
        SendOneEach(host, destinations, Seconds(4));

        Simulator::Stop(Seconds(6));
        Simulator::Run();
        Collect(&r, xtr, server);
        const bool registered = xtr->IsRegistered();
        Simulator::Destroy();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));

        NS_TEST_ASSERT_MSG_EQ(registered, true, "fd00:0:1::/48 registered");
        for (const Expected &x : expected) {
            CheckNegative(r, x);
        }
        NS_TEST_ASSERT_MSG_EQ(r.mr.negative_replies, 3u, "three from the Map-Resolver");
        NS_TEST_ASSERT_MSG_EQ(r.ms.unregistered_replies, 1u, "one from the Map-Server");
    }
};

class LispNegativeTestSuite : public TestSuite
{
  public:
    LispNegativeTestSuite() : TestSuite("lisp-negative", Type::SYSTEM)
    {
        AddTestCase(new LispNegativeOutsideTestCase);
        AddTestCase(new LispNegativeUnregisteredTestCase);
        AddTestCase(new LispNegativeTtlAttributesTestCase);
        AddTestCase(new LispNegativeIpv6TestCase);
    }
};

LispNegativeTestSuite g_lispNegativeTestSuite;

} // namespace
