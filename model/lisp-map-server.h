/*
 * lisp-map-server.h - ns3::LispMapServer, the ns-3 application of a co-located Map-Server
 * (lisp_ms.h) and Map-Resolver (lisp_mr.h) sharing UDP port 4342.
 *
 * It runs the "ms+mr" bundle of the engines (lisp_ms_mr_new): the Map-Resolver gets the
 * Map-Server as lisp_mr_config.local_ms, so every EID-prefix of a configured site is
 * resolved locally; explicit Map-Resolver entries (AddResolverEntry) send other prefixes to
 * remote Map-Servers. The bundle demultiplexes port 4342 (lisp_mr_handle_shared_udp); the
 * host (LispEngineApp) sees one engine.
 *
 * Configure with the attributes and, before the application starts, AddSite /
 * AddSitePrefix / AddResolverEntry.
 */
#ifndef LISP_MAP_SERVER_APP_H
#define LISP_MAP_SERVER_APP_H

#include "lisp-engine-app.h"
#include "lisp_mr.h"
#include "lisp_ms.h"

#include "ns3/nstime.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup lisp
 * A Map-Server with a co-located Map-Resolver on one node.
 */
class LispMapServer : public LispEngineApp
{
  public:
    static TypeId GetTypeId();
    LispMapServer();
    ~LispMapServer() override;

    /* ---- configuration, before the application starts ---- */

    /**
     * A LISP site whose ETRs may register.
     * \param name for logs
     * \param keyId LISP_KEY_ID_HMAC_SHA1_96 (1) or LISP_KEY_ID_HMAC_SHA256_128 (2)
     * \param key the key shared with the site's ETRs
     * \param proxyReply answer Map-Requests for the site even without the P bit
     * \return the site's index, for AddSitePrefix
     */
    uint32_t AddSite(const std::string &name, uint16_t keyId, const std::string &key,
                     bool proxyReply = false);
    /** An EID-prefix of a site; acceptMoreSpecifics admits registrations inside it. */
    void AddSitePrefix(uint32_t site, const lisp_eid &prefix, bool acceptMoreSpecifics = false);
    void AddSitePrefix(uint32_t site, Ipv4Address network, Ipv4Mask mask,
                       bool acceptMoreSpecifics = false, uint32_t iid = 0);
    void AddSitePrefix(uint32_t site, Ipv6Address network, Ipv6Prefix prefix,
                       bool acceptMoreSpecifics = false, uint32_t iid = 0);
    /**
     * A Map-Resolver table entry: ECM Map-Requests for EIDs in `prefix` go to the Map-Server
     * at `mapServer` (Ipv4Address or Ipv6Address, port 4342). The sites' prefixes need no
     * entry: they are resolved by the co-located Map-Server.
     */
    void AddResolverEntry(const lisp_eid &prefix, Address mapServer);

    /* ---- state ---- */

    lisp_ms_stats GetMapServerStats() const;
    lisp_mr_stats GetMapResolverStats() const;
    /** EID-prefixes currently registered. */
    uint32_t GetRegistrationCount() const;
    /** Whether exactly `prefix` is registered. */
    bool IsRegistered(const lisp_eid &prefix) const;
    /** The engines (nullptr before start), for inspection. */
    const lisp_ms *GetMapServerEngine() const;
    const lisp_mr *GetMapResolverEngine() const;

  private:
    struct Site {
        std::string name;
        uint16_t keyId;
        std::string key;
        bool proxyReply;
        std::vector<lisp_ms_prefix_config> prefixes;
    };

    lisp_engine *CreateEngine(const lisp_host &host, lisp_time_t now) override;
    void CheckNotStarted(const char *what) const;
    /** The bundle's engines (nullptr before start). */
    lisp_ms *Ms() const;
    lisp_mr *Mr() const;

    std::vector<Site> m_sites;
    std::vector<lisp_mr_entry> m_resolverEntries;

    // Attributes.
    Time m_registrationTtl;
    Time m_unregisteredTtl;
    Time m_negativeTtl;
    Time m_resolverNegativeTtl;
    Time m_notifyTimeout;
    uint8_t m_notifyRetries;
    bool m_rejectZeroNonce;
};

} // namespace ns3

#endif /* LISP_MAP_SERVER_APP_H */
