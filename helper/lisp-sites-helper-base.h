/*
 * lisp-sites-helper-base.h - LispSitesHelperBase: what the topology helpers
 * (LispTopologyHelper, LispTreeTopologyHelper) share: N LISP sites (an xTR and its hosts
 * each), one Map-Server/Map-Resolver, the link and application helpers they are built with,
 * the site key, the accessors of the result, and the LISP configuration that knows no global
 * oracle. Each derived helper builds its own underlay (routers, links, addresses, routes).
 */
#ifndef LISP_SITES_HELPER_BASE_H
#define LISP_SITES_HELPER_BASE_H

#include "lisp-app-helper.h"

#include "ns3/application-container.h"
#include "ns3/csma-helper.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/point-to-point-helper.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup lisp
 * The sites, the MS/MR and their accessors, common to the LISP topology helpers.
 *
 * Site s has an EID-prefix (GetSitePrefix) whose first addresses are its LAN: the xTR .1,
 * hosts .2 ... (GetHostAddress). Its xTR knows its EID-prefix, its RLOC, the MS/MR address
 * and its site key; the Map-Server knows the sites (name "site-<s>", prefix, key), as an
 * operator would configure it.
 */
class LispSitesHelperBase
{
  public:
    virtual ~LispSitesHelperBase();

    /* ---- shape, before Build ---- */

    /** Key-id and key of every site (default 2, HMAC-SHA-256-128, "lisp-site-key"). */
    void SetAuthentication(uint16_t keyId, const std::string &key);

    /** The site LANs (default 100 Mb/s, 100 us). */
    CsmaHelper &SiteLinks();
    /** xTR and MS/MR links to their router (default 100 Mb/s, 2 ms). */
    PointToPointHelper &AccessLinks();
    /** Links between routers (default 1 Gb/s, 10 ms). */
    PointToPointHelper &CoreLinks();
    /** Attributes of the xTRs and of the MS/MR installed by Build. */
    LispXtrHelper &XtrHelper();
    LispMapServerHelper &MapServerHelper();

    /* ---- the result ---- */

    uint32_t GetSites() const;
    Ptr<Node> GetHost(uint32_t site, uint32_t host) const;
    Ipv4Address GetHostAddress(uint32_t site, uint32_t host) const;
    Ptr<Node> GetXtrNode(uint32_t site) const;
    /** nullptr without LISP applications. */
    Ptr<LispXtr> GetXtr(uint32_t site) const;
    /** The RLOC of the site's xTR. */
    virtual Ipv4Address GetXtrRloc(uint32_t site) const = 0;
    /** The site's EID-prefix. */
    lisp_eid GetSitePrefix(uint32_t site) const;
    Ptr<Node> GetMapServerNode() const;
    /** nullptr without LISP applications. */
    Ptr<LispMapServer> GetMapServer() const;
    virtual Ipv4Address GetMapServerAddress() const = 0;
    /** Every node Build created: the MS/MR, the routers, the xTRs, the hosts (and more). */
    virtual NodeContainer GetAllNodes() const;
    /** The LISP applications: the MS/MR first, then the xTRs by site (and more). */
    virtual ApplicationContainer GetLispApps() const;

    /**
     * Fixed random streams for everything Build installed that draws random numbers: the
     * LISP applications, the Internet stacks (ARP jitter) and the CSMA devices (backoff).
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

  protected:
    /**
     * \param name the derived helper's name, for abort messages
     * \param sitePrefixMask the mask of every site's EID-prefix
     */
    LispSitesHelperBase(const std::string &name, Ipv4Mask sitePrefixMask);

    /** The first address of the site's EID-prefix (and LAN). */
    virtual Ipv4Address SiteNetwork(uint32_t site) const = 0;
    /** The nodes that run LISP applications: the MS/MR and the xTRs (and more). */
    virtual NodeContainer GetLispNodes() const;

    /** Abort unless Build has run / if it has. */
    void CheckBuilt() const;
    void CheckNotBuilt() const;

    /** Create the MS/MR node, `routers` routers, an xTR per site and its hosts, in this order. */
    void CreateNodes(uint32_t routers);

    /**
     * Install the MS/MR and an xTR per site, both started at 0 s. The Map-Server knows the
     * sites; xTR s knows its EID-prefix, its RLOC, the MS/MR (as its Map-Resolver and
     * Map-Server, with its key) and routes `eidSpace` into its tunnel.
     */
    void InstallSites(Ipv4Address eidSpace, Ipv4Mask eidSpaceMask);

    std::string m_name;
    Ipv4Mask m_sitePrefixMask;
    uint32_t m_nSites;
    uint32_t m_nHosts;
    uint16_t m_keyId;
    std::string m_key;
    std::vector<std::string> m_xtrKeys; // per site; empty: the site key
    CsmaHelper m_siteLinks;
    PointToPointHelper m_accessLinks;
    PointToPointHelper m_coreLinks;
    LispXtrHelper m_xtrHelper;
    LispMapServerHelper m_msHelper;
    bool m_built;

    Ptr<Node> m_msNode;
    NodeContainer m_routers;
    NodeContainer m_xtrs;
    std::vector<NodeContainer> m_hosts; // by site; empty without hosts
    NetDeviceContainer m_csmaDevices;
    ApplicationContainer m_msApps;
    ApplicationContainer m_xtrApps;
};

} // namespace ns3

#endif /* LISP_SITES_HELPER_BASE_H */
