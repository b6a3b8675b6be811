/*
 * lisp-map-server.cc - ns3::LispMapServer (lisp-map-server.h): Map-Server and Map-Resolver
 * engines on one node and one port.
 */
#include "lisp-map-server.h"

#include "lisp-time.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LispMapServer");

NS_OBJECT_ENSURE_REGISTERED(LispMapServer);

TypeId LispMapServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LispMapServer")
            .SetParent<LispEngineApp>()
            .SetGroupName("Lisp")
            .AddConstructor<LispMapServer>()
            .AddAttribute(
                "RegistrationTtl", "How long a registration lives without a new Map-Register.",
                TimeValue(Minutes(3)), MakeTimeAccessor(&LispMapServer::m_registrationTtl),
                MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("UnregisteredTtl",
                          "Record TTL of negative Map-Replies for EIDs of a site that is not "
                          "registered (sent in whole minutes, rounded down).",
                          TimeValue(Minutes(1)),
                          MakeTimeAccessor(&LispMapServer::m_unregisteredTtl),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("NegativeTtl",
                          "Record TTL of the Map-Server's negative Map-Replies for EIDs "
                          "outside every site (whole minutes, rounded down).",
                          TimeValue(Minutes(15)), MakeTimeAccessor(&LispMapServer::m_negativeTtl),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("NotifyTimeout",
                          "Time before an unsolicited Map-Notify (sent when a registration's "
                          "locator set changes) is sent again without a Map-Notify-Ack; then "
                          "doubling.",
                          TimeValue(Seconds(1)), MakeTimeAccessor(&LispMapServer::m_notifyTimeout),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("NotifyRetries",
                          "Retransmissions of an unsolicited Map-Notify before the Map-Server "
                          "gives up on that xTR (counted in its stats).",
                          UintegerValue(3), MakeUintegerAccessor(&LispMapServer::m_notifyRetries),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("RejectZeroNonce",
                          "Refuse Map-Registers with nonce 0 (LISPmob lig sends them; they "
                          "cannot be checked for replay).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&LispMapServer::m_rejectZeroNonce),
                          MakeBooleanChecker())
            .AddAttribute("ResolverNegativeTtl",
                          "Record TTL of the Map-Resolver's negative Map-Replies for EIDs no "
                          "Map-Server serves (whole minutes, rounded down).",
                          TimeValue(Minutes(15)),
                          MakeTimeAccessor(&LispMapServer::m_resolverNegativeTtl),
                          MakeTimeChecker(NanoSeconds(1)));
    return tid;
}

LispMapServer::LispMapServer()
{
    NS_LOG_FUNCTION(this);
}

LispMapServer::~LispMapServer()
{
    NS_LOG_FUNCTION(this);
}

lisp_ms *LispMapServer::Ms() const
{
    return lisp_ms_mr_ms(Engine());
}

lisp_mr *LispMapServer::Mr() const
{
    return lisp_ms_mr_mr(Engine());
}

void LispMapServer::CheckNotStarted(const char *what) const
{
    NS_ABORT_MSG_IF(Engine(), "LispMapServer::" << what << " after the application started");
}

uint32_t LispMapServer::AddSite(const std::string &name, uint16_t keyId, const std::string &key,
                                bool proxyReply)
{
    CheckNotStarted("AddSite");
    m_sites.push_back(Site{name, keyId, key, proxyReply, {}});
    return static_cast<uint32_t>(m_sites.size() - 1);
}

void LispMapServer::AddSitePrefix(uint32_t site, const lisp_eid &prefix, bool acceptMoreSpecifics)
{
    CheckNotStarted("AddSitePrefix");
    NS_ABORT_MSG_IF(site >= m_sites.size(), "LispMapServer: no site " << site);
    lisp_ms_prefix_config p;
    std::memset(&p, 0, sizeof p);
    p.prefix = prefix;
    p.accept_more_specifics = acceptMoreSpecifics;
    m_sites[site].prefixes.push_back(p);
}

void LispMapServer::AddSitePrefix(uint32_t site, Ipv4Address network, Ipv4Mask mask,
                                  bool acceptMoreSpecifics, uint32_t iid)
{
    AddSitePrefix(site, LispEidFromIpv4(network, mask, iid), acceptMoreSpecifics);
}

void LispMapServer::AddSitePrefix(uint32_t site, Ipv6Address network, Ipv6Prefix prefix,
                                  bool acceptMoreSpecifics, uint32_t iid)
{
    AddSitePrefix(site, LispEidFromIpv6(network, prefix, iid), acceptMoreSpecifics);
}

void LispMapServer::AddResolverEntry(const lisp_eid &prefix, Address mapServer)
{
    CheckNotStarted("AddResolverEntry");
    lisp_mr_entry entry;
    std::memset(&entry, 0, sizeof entry);
    entry.prefix = prefix;
    entry.map_server = LispEndpointFromAddress(mapServer, LISP_CONTROL_PORT);
    NS_ABORT_MSG_IF(entry.map_server.afi == LISP_AFI_NONE,
                    "a Map-Server is an Ipv4Address or Ipv6Address");
    m_resolverEntries.push_back(entry);
}

lisp_ms_stats LispMapServer::GetMapServerStats() const
{
    lisp_ms_stats stats;
    if (Ms()) {
        stats = *lisp_ms_get_stats(Ms());
    } else {
        std::memset(&stats, 0, sizeof stats);
    }
    return stats;
}

lisp_mr_stats LispMapServer::GetMapResolverStats() const
{
    lisp_mr_stats stats;
    if (Mr()) {
        stats = *lisp_mr_get_stats(Mr());
    } else {
        std::memset(&stats, 0, sizeof stats);
    }
    return stats;
}

uint32_t LispMapServer::GetRegistrationCount() const
{
    return Ms() ? static_cast<uint32_t>(lisp_ms_registration_count(Ms())) : 0;
}

bool LispMapServer::IsRegistered(const lisp_eid &prefix) const
{
    lisp_ms_registration registration;
    return Ms() && lisp_ms_get_registration(Ms(), &prefix, &registration);
}

const lisp_ms *LispMapServer::GetMapServerEngine() const
{
    return Ms();
}

const lisp_mr *LispMapServer::GetMapResolverEngine() const
{
    return Mr();
}

lisp_engine *LispMapServer::CreateEngine(const lisp_host &host, lisp_time_t now)
{
    std::vector<lisp_ms_site_config> sites(m_sites.size());
    for (size_t i = 0; i < m_sites.size(); i++) {
        lisp_ms_site_config &s = sites[i];
        std::memset(&s, 0, sizeof s);
        s.name = m_sites[i].name.c_str();
        s.key_id = m_sites[i].keyId;
        s.key = reinterpret_cast<const uint8_t *>(m_sites[i].key.data());
        s.key_len = m_sites[i].key.size();
        s.prefixes = m_sites[i].prefixes.data();
        s.n_prefixes = m_sites[i].prefixes.size();
        s.proxy_reply = m_sites[i].proxyReply;
    }
    lisp_ms_mr_config cfg;
    lisp_ms_mr_config_default(&cfg);
    cfg.ms.sites = sites.data();
    cfg.ms.n_sites = sites.size();
    cfg.ms.registration_ttl = LispTimeFromNs3(m_registrationTtl);
    cfg.ms.unregistered_ttl = LispTimeFromNs3(m_unregisteredTtl);
    cfg.ms.negative_ttl = LispTimeFromNs3(m_negativeTtl);
    cfg.ms.notify_timeout = LispTimeFromNs3(m_notifyTimeout);
    cfg.ms.notify_retries = m_notifyRetries;
    cfg.ms.reject_zero_nonce = m_rejectZeroNonce;
    cfg.mr.entries = m_resolverEntries.data();
    cfg.mr.n_entries = m_resolverEntries.size();
    cfg.mr.negative_ttl = LispTimeFromNs3(m_resolverNegativeTtl);
    return lisp_ms_mr_new(&cfg, &host, now); // copies the configuration
}

} // namespace ns3
