/*
 * lisp-scale-topology-test-suite.cc - ns-3 TestSuite "lisp-scale-topology": the tree of
 * LispTreeTopologyHelper, small and with a few thousand sites.
 *
 * Each case builds a tree and checks
 *   - its discipline: no router has more than fanout + 2 interfaces or more than
 *     2 fanout + 3 routes (so routes aggregate), and none routes EID space;
 *   - registration: by the end of the start window plus a round trip every xTR has been
 *     Map-Notified and the Map-Server holds every site's prefix, registered once;
 *   - the overlay: UDP packets from a host of the first site to a host of the last (which
 *     are in different subtrees of the root) arrive, encapsulated by the first xTR and
 *     decapsulated by the last, after one Map-Request.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-tree-topology-helper.h"
#include "ns3/network-module.h"
#include "ns3/test.h"

#include "lisp-test-util.h"

#include <sstream>
#include <string>

using namespace ns3;

namespace
{

const uint16_t PORT = 4000;
const uint32_t PACKETS = 3;
const Time START_WINDOW = Seconds(2);
const Time TRAFFIC_START = Seconds(3); // everyone is registered by then
const Time SIM_END = Seconds(5);

class LispScaleTreeTestCase : public TestCase
{
  public:
    LispScaleTreeTestCase(uint32_t sites, uint32_t fanout, uint32_t hosts, uint32_t levels)
        : TestCase("tree of " + std::to_string(sites) + " sites, fanout " + std::to_string(fanout) +
                   ", " + std::to_string(hosts) + " host(s) per site"),
          m_sites(sites), m_fanout(fanout), m_hosts(hosts), m_levels(levels)
    {
    }

  private:
    void DoRun() override;
    void CheckShape(const LispTreeTopologyHelper &tree);

    uint32_t m_sites;
    uint32_t m_fanout;
    uint32_t m_hosts;
    uint32_t m_levels; // expected router levels
};

void LispScaleTreeTestCase::CheckShape(const LispTreeTopologyHelper &tree)
{
    NS_TEST_ASSERT_MSG_EQ(tree.GetLevels(), m_levels, "router levels");
    std::ostringstream eid; // any EID
    eid << tree.GetHostAddress(m_sites - 1, 0);
    for (uint32_t r = 0; r < tree.GetRouterCount(); r++) {
        Ptr<Node> router = tree.GetRouter(r);
        Ptr<Ipv4> ipv4 = router->GetObject<Ipv4>();
        NS_TEST_ASSERT_MSG_LT_OR_EQ(ipv4->GetNInterfaces(), m_fanout + 2,
                                    "interfaces of router " << r);
        Ptr<Ipv4StaticRouting> routing =
            Ipv4StaticRoutingHelper().GetStaticRouting(router->GetObject<Ipv4>());
        NS_TEST_ASSERT_MSG_LT_OR_EQ(routing->GetNRoutes(), 2 * m_fanout + 3,
                                    "routes of router " << r);
        NS_TEST_ASSERT_MSG_EQ(lisptest::LookupRoute(router, eid.str().c_str()), nullptr,
                              "router " << r << " routes EID space");
    }
}

void LispScaleTreeTestCase::DoRun()
{
    LispTreeTopologyHelper tree;
    tree.SetSites(m_sites);
    tree.SetFanout(m_fanout);
    tree.SetHostsPerSite(m_hosts);
    tree.SetStartWindow(START_WINDOW);
    tree.XtrHelper().SetAttribute("MissPolicy", EnumValue(LispXtr::MISS_QUEUE));
    tree.Build();
    tree.AssignStreams(0);
    CheckShape(tree);

    const uint32_t last = m_sites - 1;
    UdpServerHelper serverHelper(PORT);
    ApplicationContainer server = serverHelper.Install(tree.GetHost(last, m_hosts - 1));
    UdpClientHelper clientHelper(tree.GetHostAddress(last, m_hosts - 1), PORT);
    clientHelper.SetAttribute("MaxPackets", UintegerValue(PACKETS));
    clientHelper.SetAttribute("Interval", TimeValue(MilliSeconds(100)));
    ApplicationContainer client = clientHelper.Install(tree.GetHost(0, 0));
    client.Start(TRAFFIC_START);

    uint32_t notifiedAtTrafficStart = 0;
    Simulator::Schedule(TRAFFIC_START, [&]() {
        for (uint32_t s = 0; s < m_sites; s++) {
            notifiedAtTrafficStart += tree.GetXtr(s)->IsRegistered();
        }
    });
    Simulator::Stop(SIM_END);
    Simulator::Run();

    Ptr<LispMapServer> ms = tree.GetMapServer();
    NS_TEST_ASSERT_MSG_EQ(notifiedAtTrafficStart, m_sites, "xTRs Map-Notified");
    NS_TEST_ASSERT_MSG_EQ(ms->GetRegistrationCount(), m_sites, "prefixes registered");
    NS_TEST_ASSERT_MSG_EQ(ms->GetMapServerStats().records_accepted, m_sites,
                          "one registration per site");
    NS_TEST_ASSERT_MSG_EQ(ms->IsRegistered(tree.GetSitePrefix(last)), true, "last site");
    NS_TEST_ASSERT_MSG_EQ(DynamicCast<UdpServer>(server.Get(0))->GetReceived(), PACKETS,
                          "packets delivered");
    const lisp_xtr_stats first = tree.GetXtr(0)->GetStats();
    const lisp_xtr_stats far = tree.GetXtr(last)->GetStats();
    NS_TEST_ASSERT_MSG_EQ(first.encapsulated, PACKETS, "encapsulated by the first xTR");
    NS_TEST_ASSERT_MSG_EQ(first.map_requests_sent, 1, "one Map-Request");
    NS_TEST_ASSERT_MSG_EQ(far.decapsulated, PACKETS, "decapsulated by the last xTR");
    Simulator::Destroy();
}

class LispScaleTopologyTestSuite : public TestSuite
{
  public:
    LispScaleTopologyTestSuite() : TestSuite("lisp-scale-topology", Type::SYSTEM)
    {
        // One router serving both sites; then three levels with a small fanout and hosts.
        AddTestCase(new LispScaleTreeTestCase(2, 64, 1, 1));
        AddTestCase(new LispScaleTreeTestCase(9, 2, 2, 4));
        // A few thousand sites: 3,000 / 16 = 188 edge routers, 12 above them, the root.
        AddTestCase(new LispScaleTreeTestCase(3000, 16, 1, 3));
    }
};

LispScaleTopologyTestSuite g_lispScaleTopologyTestSuite;

} // namespace
