/*
 * lisp-overlay-test-suite.cc - ns-3 TestSuite "lisp-overlay": the xTR and MS/MR applications
 * in the two-site topology of LispTopologyHelper, observed through their trace sources.
 *
 *   host0 == xtr0 -- core0 -- core1 -- xtr1 == host1      (UDP host0 -> host1)
 *                      |
 *                    ms-mr
 *
 * Each case builds the topology, runs it and checks counts, the exact order of control
 * messages, timer cadences and expiries, authentication and determinism.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-helper.h"
#include "ns3/lisp-time.h"
#include "ns3/lisp-trace-recorder.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/test.h"

#include "lisp-test-util.h"

#include <cstring>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/* ---------------------------------------------------------------------------------------- */
/* A scenario: build, run, record                                                            */
/* ---------------------------------------------------------------------------------------- */

struct ScenarioConfig {
    LispXtr::MissPolicy missPolicy = LispXtr::MISS_DROP;
    Time simTime = Seconds(10);
    uint32_t packets = 5; // UDP host0 -> host1
    Time interval = Seconds(1);
    Time trafficStart = Seconds(2);
    Time etrRecordTtl = Minutes(1440); // xtr1's RecordTtl
    std::string xtr1Key;               // empty: the right key
    Time xtr1Stop;                     // zero: runs to the end
    uint32_t seed = 1;
    uint64_t run = 1;
};

/* One engine event: who (label "xtr0", "xtr1", "ms", "mr"), when, what. */
using Event = LispTraceRecorder::Event;

struct ScenarioResult {
    LispTraceRecorder trace; // the events
    uint64_t received = 0;   // by host1's UdpServer
    lisp_xtr_stats xtr[2];
    bool xtrRegistered[2];
    lisp_ms_stats ms;
    lisp_mr_stats mr;
    uint32_t registrations = 0;
    std::vector<uint8_t> wire; // time and bytes of every frame xtr0 sent to the core
};

void CaptureFrame(std::vector<uint8_t> *wire, Ptr<const Packet> packet)
{
    const uint64_t t = static_cast<uint64_t>(Simulator::Now().GetNanoSeconds());
    for (int i = 0; i < 8; i++) {
        wire->push_back(static_cast<uint8_t>(t >> (8 * i)));
    }
    const size_t at = wire->size();
    wire->resize(at + packet->GetSize());
    packet->CopyData(wire->data() + at, packet->GetSize());
}

ScenarioResult RunScenario(const ScenarioConfig &cfg)
{
    RngSeedManager::SetSeed(cfg.seed);
    RngSeedManager::SetRun(cfg.run);
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    ScenarioResult result;
    LispTopologyHelper topo;
    topo.SetSites(2);
    topo.SetCoreRouters(2);
    topo.XtrHelper().SetAttribute("MissPolicy", EnumValue(cfg.missPolicy));
    if (!cfg.xtr1Key.empty()) {
        topo.SetXtrKey(1, cfg.xtr1Key);
    }
    topo.Build();
    topo.AssignStreams(0);
    topo.GetXtr(1)->SetAttribute("RecordTtl", TimeValue(cfg.etrRecordTtl));
    if (!cfg.xtr1Stop.IsZero()) {
        topo.GetXtr(1)->SetStopTime(cfg.xtr1Stop);
    }

    result.trace.SetEngineLabel(LISP_ROLE_MS, "ms");
    result.trace.SetEngineLabel(LISP_ROLE_MR, "mr");
    result.trace.Connect(topo.GetMapServer(), "ms");
    for (uint32_t s = 0; s < 2; s++) {
        result.trace.Connect(topo.GetXtr(s), "xtr" + std::to_string(s));
    }
    Ptr<Node> xtr0 = topo.GetXtrNode(0);
    for (uint32_t i = 0; i < xtr0->GetNDevices(); i++) {
        if (Ptr<PointToPointNetDevice> d = DynamicCast<PointToPointNetDevice>(xtr0->GetDevice(i))) {
            d->TraceConnectWithoutContext("PhyTxBegin",
                                          MakeBoundCallback(&CaptureFrame, &result.wire));
        }
    }

    UdpServerHelper serverHelper(4000);
    ApplicationContainer server = serverHelper.Install(topo.GetHost(1, 0));
    if (cfg.packets > 0) { // MaxPackets 0 would mean "no limit"
        UdpClientHelper clientHelper(topo.GetHostAddress(1, 0), 4000);
        clientHelper.SetAttribute("MaxPackets", UintegerValue(cfg.packets));
        clientHelper.SetAttribute("Interval", TimeValue(cfg.interval));
        clientHelper.SetAttribute("PacketSize", UintegerValue(100));
        ApplicationContainer client = clientHelper.Install(topo.GetHost(0, 0));
        client.Start(cfg.trafficStart);
    }

    Simulator::Stop(cfg.simTime);
    Simulator::Run();

    result.received = DynamicCast<UdpServer>(server.Get(0))->GetReceived();
    for (uint32_t s = 0; s < 2; s++) {
        result.xtr[s] = topo.GetXtr(s)->GetStats();
        result.xtrRegistered[s] = topo.GetXtr(s)->IsRegistered();
    }
    result.ms = topo.GetMapServer()->GetMapServerStats();
    result.mr = topo.GetMapServer()->GetMapResolverStats();
    result.registrations = topo.GetMapServer()->GetRegistrationCount();
    Simulator::Destroy();
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    return result;
}

/* "who kind" of an event, with the reason for drops: "xtr0 drop:map-cache-miss". */
std::string Label(const Event &e)
{
    std::string s = e.label + " " + lisp_trace_kind_name(e.trace.kind);
    if (e.trace.kind == LISP_TRACE_DROP) {
        s += std::string(":") + lisp_drop_reason_name(e.trace.reason);
    }
    return s;
}

/* The events other than data-plane ones (encapsulation, decapsulation), in order. */
std::vector<const Event *> ControlEvents(const ScenarioResult &r)
{
    std::vector<const Event *> out;
    for (const Event &e : r.trace.GetEvents()) {
        // Messages, mappings and drops; not the data plane, nor the engines' state changes.
        if (LispTraceRecorder::IsControl(e.trace.kind) || e.trace.kind == LISP_TRACE_DROP) {
            out.push_back(&e);
        }
    }
    return out;
}

std::string Join(const std::vector<std::string> &v)
{
    std::ostringstream os;
    for (const std::string &s : v) {
        os << "\n    " << s;
    }
    return os.str();
}

lisp_endpoint Endpoint(const char *ip, uint16_t port)
{
    return LispEndpointFromAddress(Ipv4Address(ip), port);
}

bool SameEndpoint(const lisp_endpoint &a, const lisp_endpoint &b)
{
    return lisp_endpoint_equal(&a, &b);
}

const char *XTR0_RLOC = "172.16.1.2";
const char *XTR1_RLOC = "172.16.2.2";
const char *MS_ADDRESS = "172.30.0.2";

/* ---------------------------------------------------------------------------------------- */
/* Delivery and the first exchange, for each miss policy                                    */
/* ---------------------------------------------------------------------------------------- */

class LispOverlayFirstExchangeTestCase : public TestCase
{
  public:
    explicit LispOverlayFirstExchangeTestCase(LispXtr::MissPolicy policy)
        : TestCase(policy == LispXtr::MISS_DROP
                       ? "first exchange, miss policy Drop: first packet lost, rest delivered"
                       : "first exchange, miss policy Queue: every packet delivered"),
          m_policy(policy)
    {
    }

  private:
    void DoRun() override
    {
        const bool drop = m_policy == LispXtr::MISS_DROP;
        ScenarioConfig cfg;
        cfg.missPolicy = m_policy;
        cfg.packets = 5;
        cfg.simTime = Seconds(8);
        const ScenarioResult r = RunScenario(cfg);
        // Named: the test macros print an unparenthesized "drop ? 4u : 5u" wrongly.
        const uint32_t delivered = drop ? 4 : 5;
        const uint32_t misses = drop ? 1 : 0;

        // EID-to-EID delivery and the fate of the first packet.
        NS_TEST_ASSERT_MSG_EQ(r.received, delivered, "UDP packets delivered host0->host1");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[0].encapsulated, delivered, "xtr0 encapsulated");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[1].decapsulated, delivered, "xtr1 decapsulated");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[0].common.drops[LISP_DROP_MAP_CACHE_MISS], misses,
                              "xtr0 map-cache-miss drops");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[0].map_requests_sent, 1u, "one resolution at xtr0");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[1].map_requests_sent, 0u, "no traffic back: none at xtr1");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[1].map_replies_sent, 1u, "xtr1 answered once");
        NS_TEST_ASSERT_MSG_EQ(r.mr.map_requests, 1u, "the Map-Resolver saw one request");
        NS_TEST_ASSERT_MSG_EQ(r.mr.local, 1u, "resolved by the co-located Map-Server");
        NS_TEST_ASSERT_MSG_EQ(r.ms.forwarded, 1u, "the Map-Server forwarded it to the ETR");
        NS_TEST_ASSERT_MSG_EQ(r.ms.proxy_replies, 0u, "no proxy reply");
        NS_TEST_ASSERT_MSG_EQ(r.registrations, 2u, "both sites registered");
        NS_TEST_ASSERT_MSG_EQ((r.xtrRegistered[0] && r.xtrRegistered[1]), true, "Map-Notified");

        // The exact control messages, in order: registration, then the first resolution.
        std::vector<std::string> expected = {
            "xtr0 map-register-sent",   "xtr1 map-register-sent",   "ms map-register-accepted",
            "ms map-notify-sent",       "xtr0 map-notify-received", "ms map-register-accepted",
            "ms map-notify-sent",       "xtr1 map-notify-received", "xtr0 map-request-sent",
            "xtr0 drop:map-cache-miss", "mr map-request-received",  "mr map-request-forwarded",
            "ms map-request-received",  "ms map-request-forwarded", "xtr1 map-request-received",
            "xtr1 map-reply-sent",      "xtr0 map-reply-received",  "xtr0 map-cache-insert",
        };
        if (!drop) {
            expected.erase(expected.begin() + 9); // nothing is dropped
        }
        const std::vector<const Event *> control = ControlEvents(r);
        std::vector<std::string> got;
        for (const Event *e : control) {
            got.push_back(Label(*e));
        }
        NS_TEST_ASSERT_MSG_EQ(Join(got), Join(expected), "control messages and their order");

        // Who talked to whom, with which nonce.
        const Event &reg0 = *control[0];
        const Event &notify0 = *control[4];
        NS_TEST_ASSERT_MSG_EQ(SameEndpoint(reg0.trace.peer, Endpoint(MS_ADDRESS, 4342)), true,
                              "Map-Register to the Map-Server's control port");
        NS_TEST_ASSERT_MSG_EQ(reg0.trace.nonce, notify0.trace.nonce, "Map-Notify echoes nonce");
        NS_TEST_ASSERT_MSG_EQ(reg0.time, Seconds(0), "first Map-Register at start");
        const size_t q = 8;
        const uint64_t nonce = control[q]->trace.nonce;
        NS_TEST_ASSERT_MSG_EQ((control[q]->time >= cfg.trafficStart &&
                               control[q]->time < cfg.trafficStart + MilliSeconds(20)),
                              true, "the first packet (after ARP on the site LAN) triggers it");
        NS_TEST_ASSERT_MSG_EQ(LispEidToString(control[q]->trace.eid), "10.2.0.2/32",
                              "the Map-Request asks for the destination EID");
        NS_TEST_ASSERT_MSG_EQ(SameEndpoint(control[q]->trace.peer, Endpoint(MS_ADDRESS, 4342)),
                              true, "ECM Map-Request to the Map-Resolver");
        const size_t first = drop ? q + 2 : q + 1;
        for (size_t i = first; i < first + 7; i++) {
            NS_TEST_ASSERT_MSG_EQ(control[i]->trace.nonce, nonce,
                                  "same nonce end to end: " << Label(*control[i]));
        }
        NS_TEST_ASSERT_MSG_EQ(
            SameEndpoint(control[first + 3]->trace.peer, Endpoint(XTR1_RLOC, 4342)), true,
            "the Map-Server forwards to the ETR's RLOC");
        NS_TEST_ASSERT_MSG_EQ(
            SameEndpoint(control[first + 5]->trace.peer, Endpoint(XTR0_RLOC, 4342)), true,
            "the ETR replies to the ITR-RLOC");
        const Event &insert = *control[first + 7];
        NS_TEST_ASSERT_MSG_EQ(LispEidToString(insert.trace.eid), "10.2.0.0/16",
                              "the map-cache learns the site prefix");
        NS_TEST_ASSERT_MSG_EQ(insert.trace.count, 1u, "with one locator");
        NS_TEST_ASSERT_MSG_EQ((insert.time < cfg.trafficStart + MilliSeconds(100)), true,
                              "resolution takes a few RTTs of the underlay");

        // Then direct encapsulation to the ETR's RLOC, never before the mapping.
        const std::vector<const Event *> encaps = r.trace.Select("xtr0", LISP_TRACE_ENCAP);
        NS_TEST_ASSERT_MSG_EQ(encaps.empty(), false, "encapsulated packets");
        NS_TEST_ASSERT_MSG_EQ((encaps[0]->time >= insert.time), true, "encapsulation follows");
        if (!drop) {
            NS_TEST_ASSERT_MSG_EQ(encaps[0]->time, insert.time,
                                  "the held packet leaves when the Map-Reply arrives");
        } else {
            NS_TEST_ASSERT_MSG_EQ_TOL(encaps[0]->time, cfg.trafficStart + cfg.interval,
                                      MilliSeconds(1), "the second packet is the first delivered");
        }
        for (const Event *e : encaps) {
            NS_TEST_ASSERT_MSG_EQ(SameEndpoint(e->trace.peer, Endpoint(XTR1_RLOC, 4341)), true,
                                  "data to the ETR's RLOC, port 4341");
        }
        NS_TEST_ASSERT_MSG_EQ(r.trace.Select("xtr1", LISP_TRACE_DECAP).size(), encaps.size(),
                              "every encapsulated packet decapsulated");
    }

    LispXtr::MissPolicy m_policy;
};

/* ---------------------------------------------------------------------------------------- */
/* Map-Register cadence                                                                     */
/* ---------------------------------------------------------------------------------------- */

class LispOverlayRegisterCadenceTestCase : public TestCase
{
  public:
    LispOverlayRegisterCadenceTestCase()
        : TestCase("Map-Register every 60 s: 3 in 130 s, each acknowledged")
    {
    }

  private:
    void DoRun() override
    {
        ScenarioConfig cfg;
        cfg.packets = 0;
        cfg.simTime = Seconds(130);
        const ScenarioResult r = RunScenario(cfg);

        for (uint32_t s = 0; s < 2; s++) {
            const std::string who = "xtr" + std::to_string(s);
            const auto registers = r.trace.Select(who, LISP_TRACE_MAP_REGISTER_SENT);
            NS_TEST_ASSERT_MSG_EQ(registers.size(), 3u, who << " Map-Registers in 130 s");
            for (size_t i = 0; i < registers.size(); i++) {
                NS_TEST_ASSERT_MSG_EQ(registers[i]->time, Seconds(60.0 * i),
                                      who << " Map-Register " << i << " on time");
            }
            const auto notifies = r.trace.Select(who, LISP_TRACE_MAP_NOTIFY_RECEIVED);
            NS_TEST_ASSERT_MSG_EQ(notifies.size(), 3u, who << " Map-Notifies");
            for (size_t i = 0; i < notifies.size(); i++) {
                NS_TEST_ASSERT_MSG_EQ(notifies[i]->trace.nonce, registers[i]->trace.nonce,
                                      who << " Map-Notify " << i << " acknowledges");
            }
            NS_TEST_ASSERT_MSG_EQ(r.xtr[s].map_registers_sent, 3u, who << " counter");
            NS_TEST_ASSERT_MSG_EQ(r.xtrRegistered[s], true, who << " registered");
        }
        NS_TEST_ASSERT_MSG_EQ(r.ms.map_registers, 6u, "Map-Server accepted 6");
        NS_TEST_ASSERT_MSG_EQ(r.ms.map_notifies_sent, 6u, "and notified 6");
        NS_TEST_ASSERT_MSG_EQ(r.ms.registrations_expired, 0u, "nothing expired");
        NS_TEST_ASSERT_MSG_EQ(r.registrations, 2u, "both sites registered");
    }
};

/* ---------------------------------------------------------------------------------------- */
/* Authentication                                                                           */
/* ---------------------------------------------------------------------------------------- */

class LispOverlayWrongKeyTestCase : public TestCase
{
  public:
    LispOverlayWrongKeyTestCase()
        : TestCase("an xTR with a wrong key is refused and counted at the Map-Server")
    {
    }

  private:
    void DoRun() override
    {
        ScenarioConfig cfg;
        cfg.xtr1Key = "not-the-site-key";
        cfg.packets = 3;
        cfg.simTime = Seconds(70);
        const ScenarioResult r = RunScenario(cfg);

        // Without a Map-Notify the xTR retries with back-off (RegisterRetryTimeout 1 s,
        // RegisterRetries 3: at 0, 1, 3 and 7 s), then counts the round as failed.
        NS_TEST_ASSERT_MSG_EQ(r.xtr[1].map_registers_sent, 4u, "xtr1 tried 4 times (0-7 s)");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[1].registrations_failed, 1u, "and gave the round up");
        NS_TEST_ASSERT_MSG_EQ(r.ms.common.drops[LISP_DROP_AUTH_FAILED], 4u, "all refused");
        NS_TEST_ASSERT_MSG_EQ(r.ms.map_registers, 2u, "only xtr0's were accepted");
        NS_TEST_ASSERT_MSG_EQ(r.registrations, 1u, "only site 0 is registered");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[1].map_notifies_received, 0u, "no Map-Notify for xtr1");
        NS_TEST_ASSERT_MSG_EQ(r.xtrRegistered[1], false, "xtr1 not registered");
        NS_TEST_ASSERT_MSG_EQ(r.xtrRegistered[0], true, "xtr0 registered");
        const auto drops = r.trace.Select("ms", LISP_TRACE_DROP);
        NS_TEST_ASSERT_MSG_EQ(drops.size(), 4u, "four drops traced at the Map-Server");
        for (const Event *e : drops) {
            NS_TEST_ASSERT_MSG_EQ(Label(*e), "ms drop:auth-failed", "reason");
            NS_TEST_ASSERT_MSG_EQ(SameEndpoint(e->trace.peer, Endpoint(XTR1_RLOC, 4342)), true,
                                  "from xtr1");
            NS_TEST_ASSERT_MSG_EQ(LispEidToString(e->trace.eid), "10.2.0.0/16", "its prefix");
        }

        // Site 1 is configured but not registered: the Map-Server answers negatively
        // (natively-forward); xtr0 caches that, and its native route for 10.2.0.2 leads back
        // into the LISP tunnel, so the adapter drops the packets instead of looping.
        NS_TEST_ASSERT_MSG_EQ(r.ms.unregistered_replies, 1u, "negative Map-Reply");
        const auto inserts = r.trace.Select("xtr0", LISP_TRACE_MAPCACHE_INSERT);
        NS_TEST_ASSERT_MSG_EQ(inserts.size(), 1u, "one map-cache entry");
        NS_TEST_ASSERT_MSG_EQ(inserts[0]->trace.count, 0u, "a negative one");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[0].forwarded_native, 0u, "nothing left natively");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[0].common.drops[LISP_DROP_NO_ROUTE], 2u,
                              "the later packets are dropped: no native route");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[0].encapsulated, 0u, "none encapsulated");
        NS_TEST_ASSERT_MSG_EQ(r.received, 0u, "host1 unreachable");
    }
};

/* ---------------------------------------------------------------------------------------- */
/* Registration expiry                                                                      */
/* ---------------------------------------------------------------------------------------- */

class LispOverlayRegistrationExpiryTestCase : public TestCase
{
  public:
    LispOverlayRegistrationExpiryTestCase()
        : TestCase("registrations expire 3 min after the last Map-Register of a stopped xTR")
    {
    }

  private:
    void DoRun() override
    {
        ScenarioConfig cfg;
        cfg.packets = 0;
        cfg.xtr1Stop = Seconds(30); // registered at 0 s only
        cfg.simTime = Seconds(200);
        const ScenarioResult r = RunScenario(cfg);

        NS_TEST_ASSERT_MSG_EQ(r.xtr[1].map_registers_sent, 1u, "xtr1 registered once");
        NS_TEST_ASSERT_MSG_EQ(r.xtr[0].map_registers_sent, 4u, "xtr0 kept registering");
        std::vector<const Event *> accepted;
        for (const Event *e : r.trace.Select("ms", LISP_TRACE_MAP_REGISTER_ACCEPTED)) {
            if (LispEidToString(e->trace.eid) == "10.2.0.0/16") {
                accepted.push_back(e);
            }
        }
        NS_TEST_ASSERT_MSG_EQ(accepted.size(), 1u, "site 1 registered once");
        const auto expired = r.trace.Select("ms", LISP_TRACE_REGISTRATION_EXPIRED);
        NS_TEST_ASSERT_MSG_EQ(expired.size(), 1u, "one registration expired");
        NS_TEST_ASSERT_MSG_EQ(LispEidToString(expired[0]->trace.eid), "10.2.0.0/16", "site 1's");
        NS_TEST_ASSERT_MSG_EQ(expired[0]->time, accepted[0]->time + Minutes(3),
                              "exactly RegistrationTtl after the Map-Register arrived");
        NS_TEST_ASSERT_MSG_EQ(r.ms.registrations_expired, 1u, "counted");
        NS_TEST_ASSERT_MSG_EQ(r.registrations, 1u, "site 0 still registered");
    }
};

/* ---------------------------------------------------------------------------------------- */
/* Map-cache TTL                                                                            */
/* ---------------------------------------------------------------------------------------- */

class LispOverlayMapCacheTtlTestCase : public TestCase
{
  public:
    LispOverlayMapCacheTtlTestCase()
        : TestCase("a 1-minute record TTL expires the map-cache entry; the next packet "
                   "resolves again")
    {
    }

  private:
    void DoRun() override
    {
        ScenarioConfig cfg;
        cfg.etrRecordTtl = Minutes(1);
        cfg.packets = 15; // 2 s, 12 s, ..., 142 s
        cfg.interval = Seconds(10);
        cfg.simTime = Seconds(150);
        const ScenarioResult r = RunScenario(cfg);

        const auto requests = r.trace.Select("xtr0", LISP_TRACE_MAP_REQUEST_SENT);
        const auto inserts = r.trace.Select("xtr0", LISP_TRACE_MAPCACHE_INSERT);
        const auto expires = r.trace.Select("xtr0", LISP_TRACE_MAPCACHE_EXPIRE);
        NS_TEST_ASSERT_MSG_EQ(requests.size(), 3u, "Map-Requests at 2 s, 72 s and 142 s");
        NS_TEST_ASSERT_MSG_EQ(inserts.size(), 3u, "three map-cache inserts");
        NS_TEST_ASSERT_MSG_EQ(expires.size(), 2u, "two expiries");
        for (size_t i = 0; i < expires.size(); i++) {
            NS_TEST_ASSERT_MSG_EQ(expires[i]->time, inserts[i]->time + Minutes(1),
                                  "entry " << i << " lives exactly the record TTL");
            NS_TEST_ASSERT_MSG_EQ(LispEidToString(expires[i]->trace.eid), "10.2.0.0/16", "eid");
            NS_TEST_ASSERT_MSG_EQ((requests[i + 1]->time > expires[i]->time), true,
                                  "the next packet after the expiry resolves again");
            NS_TEST_ASSERT_MSG_EQ_TOL(
                requests[i + 1]->time, cfg.trafficStart + cfg.interval * (7 * (i + 1)),
                MilliSeconds(1), "triggered by the first packet after the expiry");
            NS_TEST_ASSERT_MSG_EQ((requests[i + 1]->trace.nonce != requests[i]->trace.nonce), true,
                                  "a fresh nonce");
        }
        NS_TEST_ASSERT_MSG_EQ(r.xtr[0].common.drops[LISP_DROP_MAP_CACHE_MISS], 3u, "three misses");
        NS_TEST_ASSERT_MSG_EQ(r.received, 12u, "the rest delivered");
    }
};

/* ---------------------------------------------------------------------------------------- */
/* Underlay routing                                                                         */
/* ---------------------------------------------------------------------------------------- */

class LispOverlayUnderlayTestCase : public TestCase
{
  public:
    LispOverlayUnderlayTestCase()
        : TestCase("EID space is not routed in the core; xTRs route it into the tunnel")
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
        topo.SetSites(3);
        topo.SetCoreRouters(3);
        topo.Build();
        Simulator::Stop(Seconds(0.001)); // initializes the applications (tunnels, routes)
        Simulator::Run();

        for (uint32_t k = 0; k < 3; k++) {
            for (const char *eid : {"10.1.0.2", "10.2.0.2", "10.3.0.2"}) {
                NS_TEST_ASSERT_MSG_EQ(Lookup(topo.GetCoreRouter(k), eid), nullptr,
                                      "core" << k << " has no route to " << eid);
            }
            for (uint32_t s = 0; s < 3; s++) {
                NS_TEST_ASSERT_MSG_NE(Lookup(topo.GetCoreRouter(k), "172.16.1.2"), nullptr,
                                      "core" << k << " reaches RLOCs");
            }
            NS_TEST_ASSERT_MSG_NE(Lookup(topo.GetCoreRouter(k), MS_ADDRESS), nullptr,
                                  "core" << k << " reaches the MS/MR");
        }
        NS_TEST_ASSERT_MSG_EQ(Lookup(topo.GetMapServerNode(), "10.1.0.2"), nullptr,
                              "the MS/MR has no route to EIDs");
        for (uint32_t s = 0; s < 3; s++) {
            Ptr<Node> xtr = topo.GetXtrNode(s);
            for (uint32_t t = 0; t < 3; t++) {
                Ptr<Ipv4Route> route = Lookup(xtr, t == 0   ? "10.1.0.2"
                                                   : t == 1 ? "10.2.0.2"
                                                            : "10.3.0.2");
                NS_TEST_ASSERT_MSG_NE(route, nullptr, "xtr" << s << " routes EIDs");
                NS_TEST_ASSERT_MSG_EQ(
                    (route->GetOutputDevice() == topo.GetXtr(s)->GetTunnelDevice()), (s != t),
                    "xtr" << s
                          << ": remote EIDs into the tunnel, its own "
                             "to the site LAN");
            }
            for (uint32_t u = 0; u < 3; u++) {
                NS_TEST_ASSERT_MSG_NE((Lookup(xtr, u == 0   ? "172.16.1.2"
                                                   : u == 1 ? "172.16.2.2"
                                                            : "172.16.3.2")),
                                      nullptr, "xtr" << s << " reaches every RLOC");
            }
        }
        Simulator::Destroy();
    }
};

/* ---------------------------------------------------------------------------------------- */
/* Determinism                                                                              */
/* ---------------------------------------------------------------------------------------- */

class LispOverlayDeterminismTestCase : public TestCase
{
  public:
    LispOverlayDeterminismTestCase()
        : TestCase("same seed: identical events and bytes; another seed: other nonces")
    {
    }

  private:
    static std::string Transcript(const ScenarioResult &r)
    {
        std::ostringstream os;
        for (const Event &e : r.trace.GetEvents()) {
            os << e.time.GetNanoSeconds() << " " << Label(e) << " " << LispEidToString(e.trace.eid)
               << " " << LispEndpointToString(e.trace.peer) << " " << e.trace.nonce << " "
               << e.trace.count << "\n";
        }
        return os.str();
    }

    static std::vector<uint64_t> Nonces(const ScenarioResult &r)
    {
        std::vector<uint64_t> nonces;
        for (const Event &e : r.trace.GetEvents()) {
            if (e.trace.kind == LISP_TRACE_MAP_REQUEST_SENT ||
                e.trace.kind == LISP_TRACE_MAP_REGISTER_SENT) {
                nonces.push_back(e.trace.nonce);
            }
        }
        return nonces;
    }

    void DoRun() override
    {
        ScenarioConfig cfg;
        cfg.packets = 4;
        cfg.simTime = Seconds(7);
        const ScenarioResult a = RunScenario(cfg);
        const ScenarioResult b = RunScenario(cfg);
        cfg.seed = 2;
        const ScenarioResult c = RunScenario(cfg);

        NS_TEST_ASSERT_MSG_EQ(a.trace.GetEvents().empty(), false, "events recorded");
        NS_TEST_ASSERT_MSG_EQ(Transcript(a), Transcript(b), "same seed: same events");
        NS_TEST_ASSERT_MSG_EQ(a.wire.empty(), false, "frames captured");
        NS_TEST_ASSERT_MSG_EQ((a.wire == b.wire), true, "same seed: same bytes on the wire");

        const std::vector<uint64_t> na = Nonces(a);
        const std::vector<uint64_t> nc = Nonces(c);
        NS_TEST_ASSERT_MSG_EQ(na.size(), 3u, "two Map-Registers and one Map-Request");
        NS_TEST_ASSERT_MSG_EQ(nc.size(), na.size(), "the same messages with another seed");
        for (size_t i = 0; i < na.size(); i++) {
            NS_TEST_ASSERT_MSG_NE(na[i], nc[i], "another seed: nonce " << i << " differs");
        }
        NS_TEST_ASSERT_MSG_EQ((a.wire != c.wire), true, "another seed: other bytes");
        NS_TEST_ASSERT_MSG_EQ(c.received, a.received, "but the same deliveries");
    }
};

/* ---------------------------------------------------------------------------------------- */
/* IPv6 underlay and IPv6 EIDs, built by hand                                               */
/* ---------------------------------------------------------------------------------------- */

class LispOverlayIpv6TestCase : public TestCase
{
  public:
    LispOverlayIpv6TestCase()
        : TestCase("IPv6 RLOCs and IPv6 EIDs: registration, resolution, delivery")
    {
    }

  private:
    void DoRun() override
    {
        // hostA ==csma== xtrA --p2p-- ms (router) --p2p-- xtrB ==csma== hostB
        // Both xTRs use the MS/MR's address on xtrA's link, so the multi-homed MS/MR must
        // answer xtrB from that address (the engine's choice), not from the address the
        // route toward xtrB would pick: xtrB accepts Map-Notifies only from its Map-Server.
        NodeContainer hosts;
        hosts.Create(2);
        NodeContainer xtrs;
        xtrs.Create(2);
        Ptr<Node> ms = CreateObject<Node>();
        InternetStackHelper stack;
        stack.SetIpv4StackInstall(false);
        stack.Install(hosts);
        stack.Install(xtrs);
        stack.Install(ms);

        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("5ms"));
        CsmaHelper csma;
        Ipv6AddressHelper addresses;
        Ipv6StaticRoutingHelper routing;
        const Ipv6Prefix p64(64);

        addresses.SetBase(Ipv6Address("fd00:1::"), p64);
        Ipv6InterfaceContainer linkA = addresses.Assign(p2p.Install(xtrs.Get(0), ms));
        addresses.SetBase(Ipv6Address("fd00:2::"), p64);
        Ipv6InterfaceContainer linkB = addresses.Assign(p2p.Install(ms, xtrs.Get(1)));
        const Ipv6Address rlocA = linkA.GetAddress(0, 1);
        const Ipv6Address msAddress = linkA.GetAddress(1, 1);
        const Ipv6Address rlocB = linkB.GetAddress(1, 1);
        routing.GetStaticRouting(xtrs.Get(0)->GetObject<Ipv6>())
            ->AddNetworkRouteTo("fd00:2::", p64, msAddress, linkA.GetInterfaceIndex(0));
        routing.GetStaticRouting(xtrs.Get(1)->GetObject<Ipv6>())
            ->AddNetworkRouteTo("fd00:1::", p64, linkB.GetAddress(0, 1), linkB.GetInterfaceIndex(1));

        // Not 2001:db8::/32: ns-3 refuses to forward documentation addresses.
        const char *lans[2] = {"fd00:0:a::", "fd00:0:b::"};
        Ipv6Address hostAddress[2];
        for (uint32_t s = 0; s < 2; s++) {
            addresses.SetBase(Ipv6Address(lans[s]), p64);
            Ipv6InterfaceContainer lan =
                addresses.Assign(csma.Install(NodeContainer(xtrs.Get(s), hosts.Get(s))));
            hostAddress[s] = lan.GetAddress(1, 1);
            routing.GetStaticRouting(hosts.Get(s)->GetObject<Ipv6>())
                ->SetDefaultRoute(lan.GetAddress(0, 1), lan.GetInterfaceIndex(1));
        }

        for (Ptr<Node> router : {xtrs.Get(0), xtrs.Get(1), ms}) {
            router->GetObject<Ipv6>()->SetAttribute("IpForward", BooleanValue(true));
        }
        // xtrB reaches msAddress (on linkA) through linkB.
        lisptest::UseWeakEndSystemModel6(ms);

        LispMapServerHelper msHelper;
        Ptr<LispMapServer> server = DynamicCast<LispMapServer>(msHelper.Install(ms).Get(0));
        LispXtrHelper xtrHelper;
        xtrHelper.SetAttribute("MissPolicy", EnumValue(LispXtr::MISS_QUEUE));
        ApplicationContainer xtrApps = xtrHelper.Install(xtrs);
        const Ipv6Address rlocs[2] = {rlocA, rlocB};
        for (uint32_t s = 0; s < 2; s++) {
            const uint32_t site = server->AddSite("v6-" + std::to_string(s), 2, "v6-key");
            server->AddSitePrefix(site, Ipv6Address(lans[s]), Ipv6Prefix(48));
            Ptr<LispXtr> xtr = DynamicCast<LispXtr>(xtrApps.Get(s));
            xtr->AddEidPrefix(Ipv6Address(lans[s]), Ipv6Prefix(48));
            xtr->AddRloc(rlocs[s]);
            xtr->AddMapResolver(msAddress);
            xtr->AddMapServer(msAddress, 2, "v6-key");
            xtr->AddRemoteEidSpace(Ipv6Address("fd00:0:a::"), Ipv6Prefix(47));
        }
        // After duplicate address detection.
        server->SetStartTime(Seconds(2));
        xtrApps.Start(Seconds(2));
        LispAppHelper::AssignStreams(NodeContainer(ms, xtrs), 0);

        UdpServerHelper serverHelper(4000);
        ApplicationContainer sink = serverHelper.Install(hosts.Get(1));
        UdpClientHelper clientHelper(hostAddress[1], 4000);
        clientHelper.SetAttribute("MaxPackets", UintegerValue(4));
        clientHelper.SetAttribute("Interval", TimeValue(Seconds(1)));
        ApplicationContainer client = clientHelper.Install(hosts.Get(0));
        client.Start(Seconds(4));

        Simulator::Stop(Seconds(9));
        Simulator::Run();

        Ptr<LispXtr> xtrA = DynamicCast<LispXtr>(xtrApps.Get(0));
        Ptr<LispXtr> xtrB = DynamicCast<LispXtr>(xtrApps.Get(1));
        NS_TEST_ASSERT_MSG_EQ(server->GetRegistrationCount(), 2u, "both IPv6 sites registered");
        NS_TEST_ASSERT_MSG_EQ(xtrA->IsRegistered(), true, "xtrA Map-Notified");
        NS_TEST_ASSERT_MSG_EQ(xtrB->IsRegistered(), true,
                              "xtrB Map-Notified (from the "
                              "Map-Server address it registered to)");
        NS_TEST_ASSERT_MSG_EQ(xtrA->GetStats().map_replies_received, 1u, "resolved once");
        NS_TEST_ASSERT_MSG_EQ(xtrA->GetStats().encapsulated, 4u, "all four encapsulated");
        NS_TEST_ASSERT_MSG_EQ(xtrB->GetStats().decapsulated, 4u, "and decapsulated");
        NS_TEST_ASSERT_MSG_EQ(DynamicCast<UdpServer>(sink.Get(0))->GetReceived(), 4u,
                              "IPv6 EID to EID delivery");
        Simulator::Destroy();
    }
};

class LispOverlayTestSuite : public TestSuite
{
  public:
    LispOverlayTestSuite() : TestSuite("lisp-overlay", Type::SYSTEM)
    {
        AddTestCase(new LispOverlayFirstExchangeTestCase(LispXtr::MISS_DROP));
        AddTestCase(new LispOverlayFirstExchangeTestCase(LispXtr::MISS_QUEUE));
        AddTestCase(new LispOverlayRegisterCadenceTestCase);
        AddTestCase(new LispOverlayWrongKeyTestCase);
        AddTestCase(new LispOverlayRegistrationExpiryTestCase);
        AddTestCase(new LispOverlayMapCacheTtlTestCase);
        AddTestCase(new LispOverlayUnderlayTestCase);
        AddTestCase(new LispOverlayDeterminismTestCase);
        AddTestCase(new LispOverlayIpv6TestCase);
    }
};

LispOverlayTestSuite g_lispOverlayTestSuite;

} // namespace
