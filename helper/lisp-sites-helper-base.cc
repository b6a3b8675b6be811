/*
 * lisp-sites-helper-base.cc - LispSitesHelperBase: the sites, the MS/MR and their accessors.
 */
#include "lisp-sites-helper-base.h"

#include "ns3/abort.h"
#include "ns3/data-rate.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/nstime.h"
#include "ns3/string.h"

namespace ns3
{

LispSitesHelperBase::LispSitesHelperBase(const std::string &name, Ipv4Mask sitePrefixMask)
    : m_name(name), m_sitePrefixMask(sitePrefixMask), m_nSites(2), m_nHosts(1),
      m_keyId(LISP_KEY_ID_HMAC_SHA256_128), m_key("lisp-site-key"), m_built(false)
{
    m_siteLinks.SetChannelAttribute("DataRate", DataRateValue(DataRate("100Mbps")));
    m_siteLinks.SetChannelAttribute("Delay", TimeValue(MicroSeconds(100)));
    m_accessLinks.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    m_accessLinks.SetChannelAttribute("Delay", StringValue("2ms"));
    m_coreLinks.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    m_coreLinks.SetChannelAttribute("Delay", StringValue("10ms"));
}

LispSitesHelperBase::~LispSitesHelperBase() = default;

void LispSitesHelperBase::SetAuthentication(uint16_t keyId, const std::string &key)
{
    CheckNotBuilt();
    m_keyId = keyId;
    m_key = key;
}

CsmaHelper &LispSitesHelperBase::SiteLinks()
{
    return m_siteLinks;
}

PointToPointHelper &LispSitesHelperBase::AccessLinks()
{
    return m_accessLinks;
}

PointToPointHelper &LispSitesHelperBase::CoreLinks()
{
    return m_coreLinks;
}

LispXtrHelper &LispSitesHelperBase::XtrHelper()
{
    return m_xtrHelper;
}

LispMapServerHelper &LispSitesHelperBase::MapServerHelper()
{
    return m_msHelper;
}

void LispSitesHelperBase::CheckBuilt() const
{
    NS_ABORT_MSG_UNLESS(m_built, m_name << ": call Build() first");
}

void LispSitesHelperBase::CheckNotBuilt() const
{
    NS_ABORT_MSG_IF(m_built, m_name << ": already built");
}

void LispSitesHelperBase::CreateNodes(uint32_t routers)
{
    m_msNode = CreateObject<Node>();
    m_routers.Create(routers);
    m_xtrs.Create(m_nSites);
    if (m_nHosts) {
        m_hosts.resize(m_nSites);
        for (NodeContainer &hosts : m_hosts) {
            hosts.Create(m_nHosts);
        }
    }
}

void LispSitesHelperBase::InstallSites(Ipv4Address eidSpace, Ipv4Mask eidSpaceMask)
{
    const Ipv4Address ms = GetMapServerAddress();
    m_msApps = m_msHelper.Install(m_msNode);
    Ptr<LispMapServer> server = GetMapServer();
    for (uint32_t s = 0; s < m_nSites; s++) {
        const uint32_t site = server->AddSite("site-" + std::to_string(s), m_keyId, m_key);
        server->AddSitePrefix(site, SiteNetwork(s), m_sitePrefixMask);
    }
    m_xtrApps = m_xtrHelper.Install(m_xtrs);
    for (uint32_t s = 0; s < m_nSites; s++) {
        Ptr<LispXtr> xtr = GetXtr(s);
        const bool ownKey = s < m_xtrKeys.size() && !m_xtrKeys[s].empty();
        xtr->AddEidPrefix(SiteNetwork(s), m_sitePrefixMask);
        xtr->AddRloc(GetXtrRloc(s));
        xtr->AddMapResolver(ms);
        xtr->AddMapServer(ms, m_keyId, ownKey ? m_xtrKeys[s] : m_key);
        xtr->AddRemoteEidSpace(eidSpace, eidSpaceMask);
    }
    m_msApps.Start(Seconds(0));
    m_xtrApps.Start(Seconds(0));
}

uint32_t LispSitesHelperBase::GetSites() const
{
    return m_nSites;
}

Ptr<Node> LispSitesHelperBase::GetHost(uint32_t site, uint32_t host) const
{
    CheckBuilt();
    return m_hosts.at(site).Get(host);
}

Ipv4Address LispSitesHelperBase::GetHostAddress(uint32_t site, uint32_t host) const
{
    return Ipv4Address(SiteNetwork(site).Get() + 2 + host);
}

Ptr<Node> LispSitesHelperBase::GetXtrNode(uint32_t site) const
{
    CheckBuilt();
    return m_xtrs.Get(site);
}

Ptr<LispXtr> LispSitesHelperBase::GetXtr(uint32_t site) const
{
    CheckBuilt();
    return m_xtrApps.GetN() ? DynamicCast<LispXtr>(m_xtrApps.Get(site)) : nullptr;
}

lisp_eid LispSitesHelperBase::GetSitePrefix(uint32_t site) const
{
    return LispEidFromIpv4(SiteNetwork(site), m_sitePrefixMask);
}

Ptr<Node> LispSitesHelperBase::GetMapServerNode() const
{
    CheckBuilt();
    return m_msNode;
}

Ptr<LispMapServer> LispSitesHelperBase::GetMapServer() const
{
    CheckBuilt();
    return m_msApps.GetN() ? DynamicCast<LispMapServer>(m_msApps.Get(0)) : nullptr;
}

NodeContainer LispSitesHelperBase::GetAllNodes() const
{
    NodeContainer all(m_msNode);
    all.Add(m_routers);
    all.Add(m_xtrs);
    for (const NodeContainer &hosts : m_hosts) {
        all.Add(hosts);
    }
    return all;
}

ApplicationContainer LispSitesHelperBase::GetLispApps() const
{
    ApplicationContainer apps(m_msApps);
    apps.Add(m_xtrApps);
    return apps;
}

NodeContainer LispSitesHelperBase::GetLispNodes() const
{
    NodeContainer lisp(m_msNode);
    lisp.Add(m_xtrs);
    return lisp;
}

int64_t LispSitesHelperBase::AssignStreams(int64_t stream)
{
    CheckBuilt();
    int64_t used = LispAppHelper::AssignStreams(GetLispNodes(), stream);
    InternetStackHelper stack; // ARP request jitter and the like
    used += stack.AssignStreams(GetAllNodes(), stream + used);
    used += m_siteLinks.AssignStreams(m_csmaDevices, stream + used); // CSMA backoff
    return used;
}

} // namespace ns3
