/*
 * lisp-helper.cc - LispTopologyHelper: the chain of core routers, its address plan, its
 * static routes, and the proxy xTR and non-LISP hosts.
 */
#include "lisp-helper.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-list-routing-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node-list.h"
#include "ns3/nstime.h"

#include <deque>
#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LispHelper");

namespace
{

const Ipv4Mask SITE_LAN_MASK("255.255.255.0");
const Ipv4Mask SITE_PREFIX_MASK("255.255.0.0");
const Ipv4Mask UNDERLAY_MASK("255.255.255.252");
const Ipv4Address NON_LISP_NETWORK("198.51.100.0"); // hosts that are not LISP (RFC 6832)
const Ipv4Mask NON_LISP_MASK("255.255.255.0");
const Ipv4Address PROXY_LINK("172.24.0.0"); // the proxy xTR's access link, PxTR at .2

} // namespace

LispTopologyHelper::LispTopologyHelper()
    : LispSitesHelperBase("LispTopologyHelper", SITE_PREFIX_MASK), m_nCore(2),
      m_eidSpace("10.0.0.0"), m_eidSpaceMask("255.0.0.0"), m_proxy(false), m_pitr(false),
      m_petr(false), m_proxyRouter(0), m_nNonLisp(0), m_nonLispRouter(0)
{
}

void LispTopologyHelper::SetSites(uint32_t sites)
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(sites < 1 || sites > 250, "LispTopologyHelper: 1 to 250 sites");
    m_nSites = sites;
}

void LispTopologyHelper::SetHostsPerSite(uint32_t hosts)
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(hosts < 1 || hosts > 250, "LispTopologyHelper: 1 to 250 hosts per site");
    m_nHosts = hosts;
}

void LispTopologyHelper::SetCoreRouters(uint32_t routers)
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(routers < 1 || routers > 250, "LispTopologyHelper: 1 to 250 core routers");
    m_nCore = routers;
}

void LispTopologyHelper::SetEidSpace(Ipv4Address network, Ipv4Mask mask)
{
    CheckNotBuilt();
    m_eidSpace = network.CombineMask(mask);
    m_eidSpaceMask = mask;
}

void LispTopologyHelper::SetProxyXtr(bool pitr, bool petr, uint32_t router)
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(!pitr && !petr, "LispTopologyHelper: a proxy xTR is a PITR, a PETR or both");
    m_proxy = true;
    m_pitr = pitr;
    m_petr = petr;
    m_proxyRouter = router;
}

void LispTopologyHelper::SetNonLispHosts(uint32_t hosts, uint32_t router)
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(hosts > 250, "LispTopologyHelper: at most 250 non-LISP hosts");
    m_nNonLisp = hosts;
    m_nonLispRouter = router;
}

void LispTopologyHelper::SetXtrKey(uint32_t site, const std::string &key)
{
    CheckNotBuilt();
    if (m_xtrKeys.size() <= site) {
        m_xtrKeys.resize(site + 1);
    }
    m_xtrKeys[site] = key;
}

void LispTopologyHelper::AddUnderlayLink(Ptr<Node> a, Ptr<Node> b, PointToPointHelper &helper,
                                         Ipv4Address net)
{
    NetDeviceContainer devices = helper.Install(a, b);
    m_p2pDevices.Add(devices);
    Ipv4AddressHelper addresses;
    addresses.SetBase(net, UNDERLAY_MASK);
    Ipv4InterfaceContainer ifaces = addresses.Assign(devices);
    Link link;
    link.a = a;
    link.b = b;
    link.ifA = ifaces.Get(0).second;
    link.ifB = ifaces.Get(1).second;
    link.addrA = ifaces.GetAddress(0);
    link.addrB = ifaces.GetAddress(1);
    link.network = net;
    link.mask = UNDERLAY_MASK;
    m_links.push_back(link);
}

/*
 * Static routes for the underlay subnets: from every underlay node, a breadth-first search
 * over the underlay links gives the first hop toward every other node, and each subnet not
 * attached to the node is routed via the first hop toward its nearer end. A stub prefix is
 * routed, by the nodes listed with it, via the first hop toward the node it is behind.
 */
void LispTopologyHelper::AddUnderlayRoutes(const std::vector<StubRoute> &stubs)
{
    std::map<uint32_t, std::vector<size_t>> linksOf; // node id -> indices into m_links
    for (size_t l = 0; l < m_links.size(); l++) {
        linksOf[m_links[l].a->GetId()].push_back(l);
        linksOf[m_links[l].b->GetId()].push_back(l);
    }
    Ipv4StaticRoutingHelper staticRouting;
    for (const auto &entry : linksOf) {
        const uint32_t self = entry.first;
        // BFS: distance and first link taken from `self`, per node id.
        std::map<uint32_t, uint32_t> distance;
        std::map<uint32_t, size_t> firstLink;
        std::deque<uint32_t> queue;
        distance[self] = 0;
        queue.push_back(self);
        while (!queue.empty()) {
            const uint32_t n = queue.front();
            queue.pop_front();
            for (size_t l : linksOf[n]) {
                const uint32_t peer =
                    m_links[l].a->GetId() == n ? m_links[l].b->GetId() : m_links[l].a->GetId();
                if (distance.count(peer)) {
                    continue;
                }
                distance[peer] = distance[n] + 1;
                firstLink[peer] = n == self ? l : firstLink[n];
                queue.push_back(peer);
            }
        }
        Ptr<Node> node = NodeList::GetNode(self);
        Ptr<Ipv4StaticRouting> routing = staticRouting.GetStaticRouting(node->GetObject<Ipv4>());
        for (const Link &target : m_links) {
            const uint32_t a = target.a->GetId();
            const uint32_t b = target.b->GetId();
            if (a == self || b == self) {
                continue; // attached: a connected route
            }
            const uint32_t toward = distance.at(a) <= distance.at(b) ? a : b;
            const Link &first = m_links[firstLink.at(toward)];
            const bool selfIsA = first.a->GetId() == self;
            routing->AddNetworkRouteTo(target.network, target.mask,
                                       selfIsA ? first.addrB : first.addrA,
                                       selfIsA ? first.ifA : first.ifB);
        }
        for (const StubRoute &stub : stubs) {
            bool listed = false;
            for (auto i = stub.on.Begin(); i != stub.on.End(); ++i) {
                listed = listed || (*i)->GetId() == self;
            }
            if (!listed || stub.toward->GetId() == self) {
                continue;
            }
            const Link &first = m_links[firstLink.at(stub.toward->GetId())];
            const bool selfIsA = first.a->GetId() == self;
            routing->AddNetworkRouteTo(stub.network, stub.mask, selfIsA ? first.addrB : first.addrA,
                                       selfIsA ? first.ifA : first.ifB);
        }
    }
}

void LispTopologyHelper::Build()
{
    CheckNotBuilt();
    NS_ABORT_MSG_IF(m_proxy && m_proxyRouter >= m_nCore,
                    "LispTopologyHelper: no core router " << m_proxyRouter << " for the PxTR");
    NS_ABORT_MSG_IF(m_nNonLisp && m_nonLispRouter >= m_nCore, "LispTopologyHelper: no core router "
                                                                  << m_nonLispRouter
                                                                  << " for the non-LISP hosts");
    m_built = true;

    CreateNodes(m_nCore);
    if (m_proxy) {
        m_proxyNode = CreateObject<Node>();
    }
    m_nonLispHosts.Create(m_nNonLisp);

    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    // Static routes only, set below; inside ns-3's list routing, so that an xTR's locator tap
    // can join the list and interface changes reach the engine (lisp-locator-tap.h).
    Ipv4ListRoutingHelper routing;
    routing.Add(Ipv4StaticRoutingHelper(), 0);
    stack.SetRoutingHelper(routing);
    stack.Install(GetAllNodes());

    // Underlay: the core chain, the access links, the MS/MR link.
    for (uint32_t k = 0; k + 1 < m_nCore; k++) {
        AddUnderlayLink(m_routers.Get(k), m_routers.Get(k + 1), m_coreLinks,
                        Ipv4Address(0xAC140000u | (k << 8))); // 172.20.k.0/30
    }
    for (uint32_t s = 0; s < m_nSites; s++) {
        AddUnderlayLink(m_routers.Get(s % m_nCore), m_xtrs.Get(s), m_accessLinks,
                        Ipv4Address(0xAC100000u | ((s + 1) << 8))); // 172.16.(s+1).0/30
    }
    AddUnderlayLink(m_routers.Get(0), m_msNode, m_accessLinks, Ipv4Address("172.30.0.0"));
    std::vector<StubRoute> stubs;
    if (m_proxy) {
        AddUnderlayLink(m_routers.Get(m_proxyRouter), m_proxyNode, m_accessLinks, PROXY_LINK);
        if (m_pitr) { // the core attracts EID-bound traffic of non-LISP hosts to the PITR
            stubs.push_back({m_proxyNode, m_eidSpace, m_eidSpaceMask, m_routers});
        }
    }
    if (m_nNonLisp) { // routed by everything in the underlay but the xTRs
        NodeContainer on(m_msNode, m_routers);
        if (m_proxy) {
            on.Add(m_proxyNode);
        }
        stubs.push_back({m_routers.Get(m_nonLispRouter), NON_LISP_NETWORK, NON_LISP_MASK, on});
    }
    AddUnderlayRoutes(stubs);

    // Sites: a LAN with the xTR (.1) and the hosts (.2 ...), default route via the xTR.
    Ipv4StaticRoutingHelper staticRouting;
    for (uint32_t s = 0; s < m_nSites; s++) {
        NodeContainer lan(m_xtrs.Get(s), m_hosts[s]);
        NetDeviceContainer devices = m_siteLinks.Install(lan);
        m_csmaDevices.Add(devices);
        Ipv4AddressHelper addresses;
        addresses.SetBase(SiteNetwork(s), SITE_LAN_MASK);
        Ipv4InterfaceContainer ifaces = addresses.Assign(devices);
        for (uint32_t h = 0; h < m_nHosts; h++) {
            Ptr<Ipv4> ipv4 = m_hosts[s].Get(h)->GetObject<Ipv4>();
            staticRouting.GetStaticRouting(ipv4)->SetDefaultRoute(ifaces.GetAddress(0),
                                                                  ifaces.Get(h + 1).second);
        }
    }

    // Non-LISP hosts: a LAN with their core router (.1), default route via it.
    if (m_nNonLisp) {
        NodeContainer lan(m_routers.Get(m_nonLispRouter), m_nonLispHosts);
        NetDeviceContainer devices = m_siteLinks.Install(lan);
        m_csmaDevices.Add(devices);
        Ipv4AddressHelper addresses;
        addresses.SetBase(NON_LISP_NETWORK, NON_LISP_MASK);
        Ipv4InterfaceContainer ifaces = addresses.Assign(devices);
        for (uint32_t h = 0; h < m_nNonLisp; h++) {
            Ptr<Ipv4> ipv4 = m_nonLispHosts.Get(h)->GetObject<Ipv4>();
            staticRouting.GetStaticRouting(ipv4)->SetDefaultRoute(ifaces.GetAddress(0),
                                                                  ifaces.Get(h + 1).second);
        }
    }

    // LISP: the Map-Server knows the sites; each xTR knows only itself and the MS/MR.
    InstallSites(m_eidSpace, m_eidSpaceMask);
    if (m_petr) { // non-LISP destinations too reach the ITR
        for (uint32_t s = 0; s < m_nSites; s++) {
            Ptr<LispXtr> xtr = GetXtr(s);
            xtr->AddPetr(GetProxyXtrRloc());
            if (m_eidSpaceMask != Ipv4Mask::GetZero()) {
                xtr->AddRemoteEidSpace(Ipv4Address::GetAny(), Ipv4Mask::GetZero());
            }
        }
    }
    // The proxy xTR: no EID-prefix, no registration; a PITR resolves through the MS/MR.
    if (m_proxy) {
        m_proxyApps = m_xtrHelper.Install(m_proxyNode);
        Ptr<LispXtr> proxy = GetProxyXtr();
        proxy->SetAttribute("Pitr", BooleanValue(m_pitr));
        proxy->SetAttribute("Petr", BooleanValue(m_petr));
        proxy->AddRloc(GetProxyXtrRloc());
        if (m_pitr) {
            proxy->AddMapResolver(GetMapServerAddress());
            proxy->AddRemoteEidSpace(m_eidSpace, m_eidSpaceMask);
        }
        m_proxyApps.Start(Seconds(0));
    }
}

Ipv4Address LispTopologyHelper::SiteNetwork(uint32_t site) const
{
    return Ipv4Address(0x0A000000u | ((site + 1) << 16)); // 10.(s+1).0.0
}

Ipv4Address LispTopologyHelper::GetXtrRloc(uint32_t site) const
{
    return Ipv4Address(0xAC100002u | ((site + 1) << 8)); // 172.16.(s+1).2
}

Ipv4Address LispTopologyHelper::GetMapServerAddress() const
{
    return Ipv4Address("172.30.0.2");
}

Ptr<Node> LispTopologyHelper::GetCoreRouter(uint32_t i) const
{
    CheckBuilt();
    return m_routers.Get(i);
}

Ptr<Node> LispTopologyHelper::GetProxyXtrNode() const
{
    CheckBuilt();
    return m_proxyNode;
}

Ptr<LispXtr> LispTopologyHelper::GetProxyXtr() const
{
    CheckBuilt();
    return m_proxyApps.GetN() ? DynamicCast<LispXtr>(m_proxyApps.Get(0)) : nullptr;
}

Ipv4Address LispTopologyHelper::GetProxyXtrRloc() const
{
    return Ipv4Address(PROXY_LINK.Get() + 2);
}

uint32_t LispTopologyHelper::GetNonLispHosts() const
{
    return m_nNonLisp;
}

Ptr<Node> LispTopologyHelper::GetNonLispHost(uint32_t host) const
{
    CheckBuilt();
    return m_nonLispHosts.Get(host);
}

Ipv4Address LispTopologyHelper::GetNonLispHostAddress(uint32_t host) const
{
    return Ipv4Address(NON_LISP_NETWORK.Get() + 2 + host);
}

NodeContainer LispTopologyHelper::GetAllNodes() const
{
    NodeContainer all = LispSitesHelperBase::GetAllNodes();
    if (m_proxyNode) {
        all.Add(m_proxyNode);
    }
    all.Add(m_nonLispHosts);
    return all;
}

ApplicationContainer LispTopologyHelper::GetLispApps() const
{
    ApplicationContainer apps = LispSitesHelperBase::GetLispApps();
    apps.Add(m_proxyApps);
    return apps;
}

NodeContainer LispTopologyHelper::GetLispNodes() const
{
    NodeContainer lisp = LispSitesHelperBase::GetLispNodes();
    if (m_proxyNode) {
        lisp.Add(m_proxyNode);
    }
    return lisp;
}

void LispTopologyHelper::EnablePcap(const std::string &prefix)
{
    CheckBuilt();
    m_siteLinks.EnablePcap(prefix, m_csmaDevices, false);
    m_accessLinks.EnablePcap(prefix, m_p2pDevices, false);
}

} // namespace ns3
