/*
 * lisp-helper.h - the LISP helpers: those that install the LISP applications
 * (lisp-app-helper.h), and one that builds the common LISP test topology.
 *
 *   LispXtrHelper xtr;                      // like UdpEchoServerHelper: attributes + Install
 *   xtr.SetAttribute("MissPolicy", EnumValue(LispXtr::MISS_QUEUE));
 *   ApplicationContainer apps = xtr.Install(nodes);
 *   DynamicCast<LispXtr>(apps.Get(0))->AddEidPrefix(...);   // per-node configuration
 *   // an xTR-ID is per node as well (each xTR of a multihomed site has its own):
 *   apps.Get(1)->SetAttribute("XtrId", StringValue("000102030405060708090a0b0c0d0e0f"));
 *
 *   LispTopologyHelper topo;                // N sites, a routed core, one MS/MR
 *   topo.SetSites(2);
 *   topo.Build();
 *   topo.GetHost(0, 0), topo.GetXtr(1), topo.GetMapServer() ...
 *
 * Captures: set GlobalValue "ChecksumEnabled" to true before building anything, so that
 * ns-3 writes real IPv4 and UDP checksums into the packets (and the pcap files) instead of
 * zeros; the LISP engines ignore the inner checksums, Wireshark does not.
 */
#ifndef LISP_HELPER_H
#define LISP_HELPER_H

#include "lisp-app-helper.h"
#include "lisp-sites-helper-base.h"

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
 * The common LISP topology: N sites, a routed core, and a Map-Server/Map-Resolver.
 *
 * \verbatim
 *  host(s) ==csma== xTR0 --p2p-- core0 --p2p-- core1 -- ... --p2p-- xTR1 ==csma== host(s)
 *                                  |
 *                                MS/MR
 * \endverbatim
 *
 * Site s has EID-prefix 10.(s+1).0.0/16, its LAN 10.(s+1).0.0/24 (xTR .1, hosts .2 ...).
 * The core is a chain of routers; site s hangs off core router s mod (routers), the MS/MR
 * off core router 0. Underlay (RLOC) links are /30s of 172.16.0.0/12: access links
 * 172.16.(s+1).0/30 (xTR .2), core links 172.20.k.0/30, the MS/MR at 172.30.0.2.
 *
 * Routing: static routes only (in ns-3's list routing, so that interface and address changes
 * reach the xTRs as locator events), computed from the topology this helper built (shortest
 * paths over the underlay links), for the underlay subnets only. No node of the core has
 * a route to EID space, so EIDs are not reachable natively; hosts have a default route
 * via their xTR; each xTR routes the remote EID space (default 10.0.0.0/8) into its LISP
 * tunnel. Global routing is not used because it would advertise the site LANs into the
 * core.
 *
 * LISP configuration, no global oracle: xTR s knows its EID-prefix, its RLOC, the MS/MR
 * address and its site key; the Map-Server knows the sites (name, prefix, key), as an
 * operator would configure it. Only IPv4 is installed.
 *
 * Interworking with non-LISP hosts (RFC 6832), both optional:
 *
 * \verbatim
 *  host(s) ==csma== xTR0 --p2p-- core0 --p2p-- core1 --p2p-- PxTR          (PITR and/or PETR)
 *                                  |             |
 *                                MS/MR         ==csma== non-LISP host(s)
 * \endverbatim
 *
 *  - SetNonLispHosts: hosts on a LAN 198.51.100.0/24 behind a core router (the router .1,
 *    hosts .2 ...; default route via the router). The core routers, the MS/MR and the
 *    PxTR route the LAN; the xTRs do not, so sites reach it only through LISP.
 *  - SetProxyXtr: a PxTR node off a core router, RLOC 172.24.0.2 (link 172.24.0.0/30),
 *    running one LispXtr with no EID-prefixes (attributes Pitr and Petr). As a PITR it
 *    resolves through the MS/MR, routes the EID space into its tunnel, and every core
 *    router routes the EID space toward it: that is how it attracts non-LISP traffic. As a
 *    PETR it is every xTR's PETR (AddPetr), and each xTR also routes 0.0.0.0/0 into its
 *    tunnel, so that packets to non-LISP destinations reach its ITR; what the ITR does with
 *    them (Map-Request, negative Map-Reply, encapsulation to the PETR) is the engine's.
 */
class LispTopologyHelper : public LispSitesHelperBase
{
  public:
    LispTopologyHelper();

    /* ---- shape, before Build (and the setters of LispSitesHelperBase) ---- */

    void SetSites(uint32_t sites);
    void SetHostsPerSite(uint32_t hosts);
    void SetCoreRouters(uint32_t routers);
    /** Remote EID space routed into every xTR's tunnel (default 10.0.0.0/8). */
    void SetEidSpace(Ipv4Address network, Ipv4Mask mask);
    /**
     * A proxy xTR node (RFC 6832) off core router `router` (see the class description).
     * \param pitr run it as a PITR (attribute Pitr; core routers route the EID space to it)
     * \param petr run it as a PETR (attribute Petr; every xTR uses it for non-LISP space)
     * \param router index of the core router it hangs off
     */
    void SetProxyXtr(bool pitr, bool petr, uint32_t router = 0);
    /** `hosts` non-LISP hosts on the LAN 198.51.100.0/24 behind core router `router`. */
    void SetNonLispHosts(uint32_t hosts, uint32_t router = 0);
    /** The key the xTR of `site` uses, if not the site's (to provoke failures). */
    void SetXtrKey(uint32_t site, const std::string &key);

    /** Create nodes, links, addresses, routes and the LISP applications (started at 0 s). */
    void Build();

    /* ---- the result (and the accessors of LispSitesHelperBase) ---- */

    /** 172.16.(s+1).2. */
    Ipv4Address GetXtrRloc(uint32_t site) const override;
    /** 172.30.0.2. */
    Ipv4Address GetMapServerAddress() const override;
    Ptr<Node> GetCoreRouter(uint32_t i) const;
    /** The proxy xTR (SetProxyXtr); nullptr without one. */
    Ptr<Node> GetProxyXtrNode() const;
    Ptr<LispXtr> GetProxyXtr() const;
    /** The proxy xTR's RLOC, 172.24.0.2. */
    Ipv4Address GetProxyXtrRloc() const;
    /** The number of non-LISP hosts (SetNonLispHosts). */
    uint32_t GetNonLispHosts() const;
    Ptr<Node> GetNonLispHost(uint32_t host) const;
    /** 198.51.100.(2 + host). */
    Ipv4Address GetNonLispHostAddress(uint32_t host) const;
    /** Every host, xTR, core router, the MS/MR, the proxy xTR and the non-LISP hosts. */
    NodeContainer GetAllNodes() const override;
    /** The LISP applications: the MS/MR first, then the xTRs by site, then the proxy xTR. */
    ApplicationContainer GetLispApps() const override;

    /** A pcap file per device, "<prefix>-<node>-<device>.pcap". */
    void EnablePcap(const std::string &prefix);

  protected:
    /** 10.(s+1).0.0. */
    Ipv4Address SiteNetwork(uint32_t site) const override;
    /** The MS/MR, the xTRs and the proxy xTR. */
    NodeContainer GetLispNodes() const override;

  private:
    struct Link {
        Ptr<Node> a;
        Ptr<Node> b;
        uint32_t ifA; // Ipv4 interface indices
        uint32_t ifB;
        Ipv4Address addrA;
        Ipv4Address addrB;
        Ipv4Address network;
        Ipv4Mask mask;
    };

    /** A prefix behind an underlay node, routed toward it by the nodes `on`. */
    struct StubRoute {
        Ptr<Node> toward;
        Ipv4Address network;
        Ipv4Mask mask;
        NodeContainer on;
    };

    void AddUnderlayLink(Ptr<Node> a, Ptr<Node> b, PointToPointHelper &helper, Ipv4Address net);
    void AddUnderlayRoutes(const std::vector<StubRoute> &stubs);

    uint32_t m_nCore;
    Ipv4Address m_eidSpace;
    Ipv4Mask m_eidSpaceMask;
    bool m_proxy; // SetProxyXtr
    bool m_pitr;
    bool m_petr;
    uint32_t m_proxyRouter;
    uint32_t m_nNonLisp;
    uint32_t m_nonLispRouter;

    std::vector<Link> m_links; // the underlay; the core routers are m_routers
    NetDeviceContainer m_p2pDevices;
    Ptr<Node> m_proxyNode;
    ApplicationContainer m_proxyApps;
    NodeContainer m_nonLispHosts;
};

} // namespace ns3

#endif /* LISP_HELPER_H */
