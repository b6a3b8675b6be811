/*
 * lisp-tree-topology-helper.cc - LispTreeTopologyHelper: the tree, its address plan, its
 * static routes, and the LISP applications.
 */
#include "lisp-tree-topology-helper.h"

#include "ns3/abort.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"

#include <algorithm>

namespace ns3
{

namespace
{

const uint32_t MAX_SITES = 1u << 18; // /26s in 10/8
const uint32_t MAX_HOSTS = 61;       // a /26 less the network, broadcast and xTR addresses
const uint32_t MIN_FANOUT = 2;
const uint32_t MAX_FANOUT = 96;
const Ipv4Address EID_SPACE("10.0.0.0");
const Ipv4Mask EID_SPACE_MASK("255.0.0.0");
const Ipv4Mask SITE_MASK("255.255.255.192");
const uint32_t SITE_SIZE = 64;
const Ipv4Address UNDERLAY("100.64.0.0");
const Ipv4Mask UNDERLAY_MASK("255.192.0.0");
const uint32_t UNDERLAY_SIZE = 1u << 22;
const Ipv4Mask LINK_MASK("255.255.255.252");
const uint32_t LINK_SIZE = 4;

uint32_t CeilDiv(uint32_t a, uint32_t b)
{
    return (a + b - 1) / b;
}

uint64_t PowerOfTwoAtLeast(uint64_t n)
{
    uint64_t p = LINK_SIZE;
    while (p < n) {
        p *= 2;
    }
    return p;
}

/* Number `device` of `node` with `address`/`mask` and bring it up (what Ipv4AddressHelper
 * does, without its global collision registry and without a queue disc). */
uint32_t AddInterface(Ptr<Node> node, Ptr<NetDevice> device, Ipv4Address address, Ipv4Mask mask)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    const uint32_t i = ipv4->AddInterface(device);
    ipv4->AddAddress(i, Ipv4InterfaceAddress(address, mask));
    ipv4->SetMetric(i, 1);
    ipv4->SetUp(i);
    return i;
}

Ptr<Ipv4StaticRouting> StaticRouting(Ptr<Node> node)
{
    return Ipv4StaticRoutingHelper().GetStaticRouting(node->GetObject<Ipv4>());
}

} // namespace

LispTreeTopologyHelper::LispTreeTopologyHelper()
    : LispSitesHelperBase("LispTreeTopologyHelper", SITE_MASK), m_fanout(64),
      m_startWindow(Seconds(10)), m_lisp(true)
{
    m_accessLinks.DisableFlowControl(); // no queue disc that flow control could stop
    m_coreLinks.DisableFlowControl();
}

void LispTreeTopologyHelper::SetSites(uint32_t sites)
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(sites < 1 || sites > MAX_SITES,
                    "LispTreeTopologyHelper: 1 to " << MAX_SITES << " sites");
    m_nSites = sites;
}

void LispTreeTopologyHelper::SetHostsPerSite(uint32_t hosts)
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(hosts > MAX_HOSTS,
                    "LispTreeTopologyHelper: 0 to " << MAX_HOSTS << " hosts per site");
    m_nHosts = hosts;
}

void LispTreeTopologyHelper::SetFanout(uint32_t fanout)
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(fanout < MIN_FANOUT || fanout > MAX_FANOUT,
                    "LispTreeTopologyHelper: fanout " << MIN_FANOUT << " to " << MAX_FANOUT);
    m_fanout = fanout;
}

void LispTreeTopologyHelper::SetStartWindow(Time window)
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(window.IsNegative(), "LispTreeTopologyHelper: negative start window");
    m_startWindow = window;
}

void LispTreeTopologyHelper::SetLispApps(bool install)
{
    CheckNotBuilt();
    m_lisp = install;
}

/* Levels bottom-up: ceil(sites / fanout) edge routers, then ceil(routers / fanout) above
 * them, and so on until one router is left, the root. */
void LispTreeTopologyHelper::PlanShape()
{
    m_levelStart = {0};
    uint32_t count = CeilDiv(m_nSites, m_fanout);
    while (true) {
        m_levelStart.push_back(m_levelStart.back() + count);
        if (count == 1) {
            break;
        }
        count = CeilDiv(count, m_fanout);
    }
    m_plan.assign(m_levelStart.back(), Router{});
    for (uint32_t level = 0; level + 1 < m_levelStart.size(); level++) {
        const uint32_t below =
            level == 0 ? m_nSites : m_levelStart[level] - m_levelStart[level - 1];
        for (uint32_t r = m_levelStart[level]; r < m_levelStart[level + 1]; r++) {
            Router &router = m_plan[r];
            const uint32_t j = r - m_levelStart[level];
            router.level = level;
            router.firstChild = (level == 0 ? 0 : m_levelStart[level - 1]) + j * m_fanout;
            router.children = std::min(m_fanout, below - j * m_fanout);
        }
    }
}

/*
 * Blocks bottom-up, then bases top-down. A router's block holds its child routers' blocks,
 * each aligned to its own size, then one /30 per child link (and the MS/MR's at the root),
 * rounded up to a power of two so that the block is one prefix.
 */
void LispTreeTopologyHelper::PlanAddresses()
{
    const uint32_t root = m_plan.size() - 1;
    std::vector<uint64_t> offset(m_plan.size(), 0); // of a router's block in its parent's
    for (uint32_t r = 0; r <= root; r++) {
        Router &router = m_plan[r];
        uint64_t used = 0;
        for (uint32_t c = 0; router.level > 0 && c < router.children; c++) {
            const uint64_t size = m_plan[router.firstChild + c].size;
            used = (used + size - 1) / size * size;
            offset[router.firstChild + c] = used;
            used += size;
        }
        const uint32_t links = router.children + (r == root ? 1 : 0);
        router.linkBase = static_cast<uint32_t>(used); // relative, until the pass below
        const uint64_t size = PowerOfTwoAtLeast(used + uint64_t{LINK_SIZE} * links);
        NS_ABORT_MSG_IF(size > UNDERLAY_SIZE,
                        "LispTreeTopologyHelper: " << m_nSites << " sites with fanout " << m_fanout
                                                   << " do not fit in the underlay /10");
        router.size = static_cast<uint32_t>(size);
    }
    m_plan[root].base = UNDERLAY.Get();
    for (uint32_t r = root + 1; r-- > 0;) { // parents before their children
        Router &router = m_plan[r];
        router.linkBase += router.base;
        for (uint32_t c = 0; router.level > 0 && c < router.children; c++) {
            m_plan[router.firstChild + c].base =
                router.base + static_cast<uint32_t>(offset[router.firstChild + c]);
        }
    }
}

LispTreeTopologyHelper::Link LispTreeTopologyHelper::ConnectChild(uint32_t r, uint32_t k,
                                                                  Ptr<Node> child,
                                                                  PointToPointHelper &links)
{
    Ptr<Node> router = m_routers.Get(r);
    NetDeviceContainer devices = links.Install(router, child);
    Link link;
    link.routerAddress = Ipv4Address(m_plan[r].linkBase + k * LINK_SIZE + 1);
    link.childAddress = Ipv4Address(m_plan[r].linkBase + k * LINK_SIZE + 2);
    link.routerIf = AddInterface(router, devices.Get(0), link.routerAddress, LINK_MASK);
    link.childIf = AddInterface(child, devices.Get(1), link.childAddress, LINK_MASK);
    // The child reaches the whole underlay through its router.
    StaticRouting(child)->AddNetworkRouteTo(UNDERLAY, UNDERLAY_MASK, link.routerAddress,
                                            link.childIf);
    return link;
}

void LispTreeTopologyHelper::Build()
{
    CheckNotBuilt();
    m_built = true;
    PlanShape();
    PlanAddresses();

    CreateNodes(m_plan.size());
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.SetRoutingHelper(Ipv4StaticRoutingHelper()); // routes are set below, nothing else
    stack.Install(GetAllNodes());

    // The tree: a router routes each child router's block toward it.
    for (uint32_t r = 0; r < m_plan.size(); r++) {
        const Router &router = m_plan[r];
        for (uint32_t k = 0; k < router.children; k++) {
            const uint32_t child = router.firstChild + k;
            if (router.level == 0) {
                ConnectChild(r, k, m_xtrs.Get(child), m_accessLinks);
                continue;
            }
            const Link link = ConnectChild(r, k, m_routers.Get(child), m_coreLinks);
            StaticRouting(m_routers.Get(r))
                ->AddNetworkRouteTo(Ipv4Address(m_plan[child].base),
                                    Ipv4Mask(~(m_plan[child].size - 1)), link.childAddress,
                                    link.routerIf);
        }
    }
    ConnectChild(m_plan.size() - 1, m_plan.back().children, m_msNode, m_accessLinks);

    BuildSites();
    if (m_lisp) {
        InstallLisp();
    }
}

/* A LAN per site with the xTR (.1) and the hosts (.2 ...), default route via the xTR. */
void LispTreeTopologyHelper::BuildSites()
{
    for (uint32_t site = 0; m_nHosts && site < m_nSites; site++) {
        NodeContainer lan(m_xtrs.Get(site), m_hosts[site]);
        NetDeviceContainer devices = m_siteLinks.Install(lan);
        m_csmaDevices.Add(devices);
        const Ipv4Address xtr(SiteNetwork(site).Get() + 1);
        AddInterface(m_xtrs.Get(site), devices.Get(0), xtr, SITE_MASK);
        for (uint32_t h = 0; h < m_nHosts; h++) {
            Ptr<Node> host = m_hosts[site].Get(h);
            const uint32_t i =
                AddInterface(host, devices.Get(h + 1), GetHostAddress(site, h), SITE_MASK);
            StaticRouting(host)->SetDefaultRoute(xtr, i);
        }
    }
}

/* The Map-Server knows the sites; each xTR knows only itself and the MS/MR. The xTRs start
 * one after another over the start window. */
void LispTreeTopologyHelper::InstallLisp()
{
    InstallSites(EID_SPACE, EID_SPACE_MASK);
    const int64_t window = m_startWindow.GetNanoSeconds();
    for (uint32_t s = 0; s < m_nSites; s++) {
        GetXtr(s)->SetStartTime(NanoSeconds(window * s / m_nSites));
    }
}

Ipv4Address LispTreeTopologyHelper::SiteNetwork(uint32_t site) const
{
    return Ipv4Address(EID_SPACE.Get() + site * SITE_SIZE);
}

Ipv4Address LispTreeTopologyHelper::GetXtrRloc(uint32_t site) const
{
    CheckBuilt();
    return Ipv4Address(m_plan.at(site / m_fanout).linkBase + site % m_fanout * LINK_SIZE + 2);
}

Ipv4Address LispTreeTopologyHelper::GetMapServerAddress() const
{
    CheckBuilt();
    const Router &root = m_plan.back();
    return Ipv4Address(root.linkBase + root.children * LINK_SIZE + 2);
}

uint32_t LispTreeTopologyHelper::GetRouterCount() const
{
    CheckBuilt();
    return m_routers.GetN();
}

Ptr<Node> LispTreeTopologyHelper::GetRouter(uint32_t i) const
{
    CheckBuilt();
    return m_routers.Get(i);
}

Ptr<Node> LispTreeTopologyHelper::GetRoot() const
{
    CheckBuilt();
    return m_routers.Get(m_routers.GetN() - 1);
}

uint32_t LispTreeTopologyHelper::GetLevels() const
{
    CheckBuilt();
    return m_levelStart.size() - 1;
}

} // namespace ns3
