/*
 * lisp-failover-test-suite.cc - ns-3 TestSuite "lisp-failover": a multihomed site loses one
 * of its two locators mid-flow and gets it back (RFC 9300 locator reachability through the
 * locator-status-bits; run-time locators fed from the node's interfaces).
 *
 *   hostA ==csma== xtrA ==link1 (RLOC1 172.16.1.2, priority 1)== router == xtrB ==csma== hostB
 *                       ==link2 (RLOC2 172.16.2.2, priority 2)==   |
 *                                                                ms-mr
 *
 * Site A (10.1.0.0/16) has two RLOCs on two interfaces; site B (10.2.0.0/16) one. A UDP
 * flow runs each way every 10 ms. At 4 s xtrA's link1 interface goes down
 * (Ipv4::SetDown: the node's routing and the xTR learn it as ns-3 routing protocols do);
 * at 8 s it comes back (SetUp, and its default route again, as an operator or a DHCP
 * client would restore it). Expected: xtrA's packets to B carry locator-status-bits with
 * RLOC1 down, so xtrB stops encapsulating to RLOC1 and the B->A flow continues over RLOC2
 * with a bounded loss; after 8 s the bits say up again and xtrB returns to RLOC1 (the better
 * priority). The ITR of site A sends from RLOC2 while RLOC1 is down.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-helper.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include "lisp-test-util.h"

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const char *KEY = "lisp-site-key";
const uint16_t PORT = 9000;
const Time INTERVAL = MilliSeconds(10);
const Time FLOW_START = Seconds(1);
const Time DOWN_AT = Seconds(4);
const Time UP_AT = Seconds(8);
const Time SIM_END = Seconds(11);
const Time SETTLE = MilliSeconds(500); // after a change, by when the flow must have moved

struct Encap {
    Time at;
    std::string rloc;
};

struct FailoverResult {
    std::vector<Encap> encapsB;        // xtrB's encapsulations (toward site A)
    std::vector<std::pair<Time, std::string>> sourcesA; // outer source of xtrA's data packets
    std::set<uint32_t> receivedAtA;    // sequence numbers of the B->A flow
    std::vector<lisp_trace> locatorEventsA;
    std::vector<Time> registersA; // Map-Register send times of xtrA
};

std::string Ip4(const uint8_t *addr)
{
    return std::to_string(addr[0]) + "." + std::to_string(addr[1]) + "." + std::to_string(addr[2]) +
           "." + std::to_string(addr[3]);
}

void OnEncapB(FailoverResult *r, const lisp_trace &ev)
{
    r->encapsB.push_back({Simulator::Now(), Ip4(ev.peer.addr)});
}

void OnLocatorA(FailoverResult *r, const lisp_trace &ev)
{
    r->locatorEventsA.push_back(ev);
}

void OnRegisterA(FailoverResult *r, const lisp_trace &)
{
    r->registersA.push_back(Simulator::Now());
}

void OnRxA(FailoverResult *r, Ptr<const Packet> packet, const Address &)
{
    SeqTsHeader seq;
    Ptr<Packet> copy = packet->Copy();
    copy->RemoveHeader(seq);
    r->receivedAtA.insert(seq.GetSeq());
}

/* xtrA's outgoing LISP data packets: their outer source address. */
void OnTxA(FailoverResult *r, Ptr<const Packet> packet, Ptr<Ipv4>, uint32_t)
{
    Ipv4Header ip;
    UdpHeader udp;
    Ptr<Packet> copy = packet->Copy();
    copy->RemoveHeader(ip);
    if (ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER) {
        return;
    }
    copy->RemoveHeader(udp);
    if (udp.GetDestinationPort() == LISP_DATA_PORT) {
        std::ostringstream src;
        src << ip.GetSource();
        r->sourcesA.push_back({Simulator::Now(), src.str()});
    }
}

/* A site LAN: the xTR .1, the host .2; the host's default route via the xTR. */
Ipv4Address SiteLan(Ptr<Node> xtr, Ptr<Node> host, const char *net)
{
    CsmaHelper csma;
    NodeContainer pair(xtr, host);
    Ipv4AddressHelper addresses;
    addresses.SetBase(net, "255.255.255.0");
    Ipv4InterfaceContainer ifaces = addresses.Assign(csma.Install(pair));
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(host->GetObject<Ipv4>())
        ->SetDefaultRoute(ifaces.GetAddress(0), ifaces.Get(1).second);
    return ifaces.GetAddress(1);
}

FailoverResult RunFailover()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);

    Ptr<Node> router = CreateObject<Node>();
    Ptr<Node> msNode = CreateObject<Node>();
    Ptr<Node> xtrA = CreateObject<Node>();
    Ptr<Node> xtrB = CreateObject<Node>();
    Ptr<Node> hostA = CreateObject<Node>();
    Ptr<Node> hostB = CreateObject<Node>();
    NodeContainer all(router, msNode, xtrA, xtrB);
    all.Add(hostA);
    all.Add(hostB);
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    // ns-3's usual list routing (here with static routing only): the xTR's locator tap joins
    // the list (lisp-locator-tap.h).
    Ipv4ListRoutingHelper list;
    list.Add(Ipv4StaticRoutingHelper(), 0);
    stack.SetRoutingHelper(list);
    stack.Install(all);

    const lisptest::Link link1 = lisptest::Connect(router, xtrA, "172.16.1.0");
    const lisptest::Link link2 = lisptest::Connect(router, xtrA, "172.16.2.0");
    const lisptest::Link linkB = lisptest::Connect(router, xtrB, "172.16.3.0");
    const lisptest::Link linkMs = lisptest::Connect(router, msNode, "172.30.0.0");
    const Ipv4Address hostAAddr = SiteLan(xtrA, hostA, "10.1.0.0");
    SiteLan(xtrB, hostB, "10.2.0.0");

    Ipv4StaticRoutingHelper routing;
    Ptr<Ipv4StaticRouting> rA = routing.GetStaticRouting(xtrA->GetObject<Ipv4>());
    rA->AddNetworkRouteTo("0.0.0.0", "0.0.0.0", link1.addrA, link1.ifB, 0);
    rA->AddNetworkRouteTo("0.0.0.0", "0.0.0.0", link2.addrA, link2.ifB, 1);
    routing.GetStaticRouting(xtrB->GetObject<Ipv4>())->SetDefaultRoute(linkB.addrA, linkB.ifB);
    routing.GetStaticRouting(msNode->GetObject<Ipv4>())->SetDefaultRoute(linkMs.addrA, linkMs.ifB);

    Ptr<LispMapServer> server =
        DynamicCast<LispMapServer>(LispMapServerHelper().Install(msNode).Get(0));
    const uint32_t siteA = server->AddSite("a", LISP_KEY_ID_HMAC_SHA256_128, KEY);
    server->AddSitePrefix(siteA, Ipv4Address("10.1.0.0"), Ipv4Mask("255.255.0.0"));
    const uint32_t siteB = server->AddSite("b", LISP_KEY_ID_HMAC_SHA256_128, KEY);
    server->AddSitePrefix(siteB, Ipv4Address("10.2.0.0"), Ipv4Mask("255.255.0.0"));

    LispXtrHelper xtrHelper;
    xtrHelper.SetAttribute("MissPolicy", EnumValue(LispXtr::MISS_QUEUE));
    ApplicationContainer apps = xtrHelper.Install(NodeContainer(xtrA, xtrB));
    Ptr<LispXtr> a = DynamicCast<LispXtr>(apps.Get(0));
    Ptr<LispXtr> b = DynamicCast<LispXtr>(apps.Get(1));
    a->AddEidPrefix(Ipv4Address("10.1.0.0"), Ipv4Mask("255.255.0.0"));
    a->AddRloc(link1.addrB, 1, 100);
    a->AddRloc(link2.addrB, 2, 100);
    b->AddEidPrefix(Ipv4Address("10.2.0.0"), Ipv4Mask("255.255.0.0"));
    b->AddRloc(linkB.addrB, 1, 100);
    for (Ptr<LispXtr> x : {a, b}) {
        x->AddMapResolver(linkMs.addrB);
        x->AddMapServer(linkMs.addrB, LISP_KEY_ID_HMAC_SHA256_128, KEY);
        x->AddRemoteEidSpace(Ipv4Address("10.0.0.0"), Ipv4Mask("255.0.0.0"));
    }

    // The flows: B -> A counted by sequence number, A -> B carrying A's LSBs to xtrB.
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), PORT));
    ApplicationContainer sinks = sink.Install(NodeContainer(hostA, hostB));
    UdpClientHelper toA(hostAAddr, PORT);
    toA.SetAttribute("Interval", TimeValue(INTERVAL));
    toA.SetAttribute("MaxPackets", UintegerValue(100000));
    toA.SetAttribute("PacketSize", UintegerValue(200));
    ApplicationContainer clientB = toA.Install(hostB);
    UdpClientHelper toB(Ipv4Address("10.2.0.2"), PORT);
    toB.SetAttribute("Interval", TimeValue(INTERVAL));
    toB.SetAttribute("MaxPackets", UintegerValue(100000));
    toB.SetAttribute("PacketSize", UintegerValue(200));
    ApplicationContainer clientA = toB.Install(hostA);
    for (ApplicationContainer *c : {&clientA, &clientB}) {
        c->Start(FLOW_START);
        c->Stop(SIM_END - MilliSeconds(200));
    }
    LispAppHelper::AssignStreams(all, 0);

    FailoverResult r;
    b->TraceConnectWithoutContext("Encapsulated", MakeBoundCallback(&OnEncapB, &r));
    a->TraceConnectWithoutContext("LocatorChange", MakeBoundCallback(&OnLocatorA, &r));
    a->TraceConnectWithoutContext("MapRegisterSent", MakeBoundCallback(&OnRegisterA, &r));
    sinks.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&OnRxA, &r));
    xtrA->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext("Tx",
                                                                   MakeBoundCallback(&OnTxA, &r));

    Ptr<Ipv4> ipA = xtrA->GetObject<Ipv4>();
    const uint32_t if1 = link1.ifB;
    Simulator::Schedule(DOWN_AT, [ipA, if1] { ipA->SetDown(if1); });
    Simulator::Schedule(UP_AT, [ipA, if1, rA, link1] {
        ipA->SetUp(if1);
        rA->AddNetworkRouteTo("0.0.0.0", "0.0.0.0", link1.addrA, if1, 0);
    });
    Simulator::Stop(SIM_END);
    Simulator::Run();
    Simulator::Destroy();
    return r;
}

/* The sequence number of the B->A packet sent at time t (UdpClient: one per interval). */
uint32_t SeqAt(Time t)
{
    return static_cast<uint32_t>((t - FLOW_START).GetMilliSeconds() / INTERVAL.GetMilliSeconds());
}

class FailoverCase : public TestCase
{
  public:
    FailoverCase()
        : TestCase("a site's locator goes down mid-flow: the remote ITR stops using it "
                   "(LSB), the flow continues over the other with bounded loss, and returns "
                   "when it comes back")
    {
    }

  private:
    void DoRun() override
    {
        const FailoverResult r = RunFailover();
        const std::string rloc1 = "172.16.1.2", rloc2 = "172.16.2.2";

        // xtrA learned both changes of RLOC1 from the node, and re-registered at once.
        std::vector<uint8_t> kinds;
        for (const lisp_trace &ev : r.locatorEventsA) {
            if (Ip4(ev.u.locator.addr.addr) == rloc1) {
                kinds.push_back(ev.u.locator.event);
            }
        }
        REQUIRE(kinds.size() >= 2, "two locator events for RLOC1");
        NS_TEST_ASSERT_MSG_EQ(unsigned{kinds.front()}, unsigned{LISP_LOCATOR_DOWN}, "down first");
        NS_TEST_ASSERT_MSG_EQ(unsigned{kinds.back()}, unsigned{LISP_LOCATOR_UP}, "then up");
        bool reregisteredAtDown = false, reregisteredAtUp = false;
        for (Time t : r.registersA) {
            reregisteredAtDown = reregisteredAtDown || t == DOWN_AT;
            reregisteredAtUp = reregisteredAtUp || t == UP_AT;
        }
        NS_TEST_ASSERT_MSG_EQ(reregisteredAtDown, true, "Map-Register when RLOC1 went down");
        NS_TEST_ASSERT_MSG_EQ(reregisteredAtUp, true, "Map-Register when RLOC1 came back");

        // xtrB: RLOC1 before the failure, RLOC2 while it lasts, RLOC1 again after.
        std::map<std::string, unsigned> before, during, after;
        for (const Encap &e : r.encapsB) {
            if (e.at < DOWN_AT) {
                before[e.rloc]++;
            } else if (e.at >= DOWN_AT + SETTLE && e.at < UP_AT) {
                during[e.rloc]++;
            } else if (e.at >= UP_AT + SETTLE) {
                after[e.rloc]++;
            }
        }
        NS_TEST_ASSERT_MSG_GT(before[rloc1], 200u, "RLOC1 (priority 1) used before");
        NS_TEST_ASSERT_MSG_EQ(before[rloc2], 0u, "RLOC2 unused before");
        NS_TEST_ASSERT_MSG_EQ(during[rloc1], 0u, "RLOC1 unused while down");
        NS_TEST_ASSERT_MSG_GT(during[rloc2], 300u, "the flow moved to RLOC2");
        NS_TEST_ASSERT_MSG_GT(after[rloc1], 200u, "back to RLOC1 after it came up");
        NS_TEST_ASSERT_MSG_EQ(after[rloc2], 0u, "RLOC2 unused again");

        // xtrA sends from RLOC2 while RLOC1 is down.
        unsigned fromRloc1WhileDown = 0, fromRloc2WhileDown = 0;
        for (const auto &s : r.sourcesA) {
            if (s.first > DOWN_AT && s.first < UP_AT) {
                fromRloc1WhileDown += s.second == rloc1;
                fromRloc2WhileDown += s.second == rloc2;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(fromRloc1WhileDown, 0u, "no packet from the down RLOC");
        NS_TEST_ASSERT_MSG_GT(fromRloc2WhileDown, 300u, "xtrA's own traffic from RLOC2");

        // Loss: none before the failure, a few packets at it (those in flight and those sent
        // before xtrB saw the bits), none afterwards, none when RLOC1 returns.
        unsigned lostAtFailure = 0, lostElsewhere = 0;
        const uint32_t last = SeqAt(SIM_END - MilliSeconds(400));
        for (uint32_t seq = 0; seq < last; seq++) {
            if (r.receivedAtA.count(seq)) {
                continue;
            }
            if (seq >= SeqAt(DOWN_AT) && seq < SeqAt(DOWN_AT + SETTLE)) {
                lostAtFailure++;
            } else {
                lostElsewhere++;
            }
        }
        NS_TEST_ASSERT_MSG_LT_OR_EQ(lostAtFailure, 5u, "loss at the failure bounded (50 ms)");
        NS_TEST_ASSERT_MSG_EQ(lostElsewhere, 0u, "no other loss (the first packet is queued)");
    }
};

class FailoverSuite : public TestSuite
{
  public:
    FailoverSuite() : TestSuite("lisp-failover", Type::SYSTEM)
    {
        AddTestCase(new FailoverCase);
    }
};

FailoverSuite g_failoverSuite;

} // namespace
