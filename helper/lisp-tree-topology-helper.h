/*
 * lisp-tree-topology-helper.h - LispTreeTopologyHelper: many LISP sites (up to 262,144)
 * registering to one Map-Server/Map-Resolver across a tree of routers, for scale studies.
 *
 *   LispTreeTopologyHelper tree;            // 100,000 xTRs, no hosts
 *   tree.SetSites(100000);
 *   tree.SetHostsPerSite(0);
 *   tree.Build();
 *   tree.GetXtr(0), tree.GetMapServer(), tree.GetRouterCount() ...
 *
 * Why a sibling of LispTopologyHelper rather than a mode of it: that helper's address plan
 * (a /16 of EID space and 172.16.(s+1).0/30 per site) and its chain of core routers are
 * what the TestSuites, examples and pcap checks name literally, and neither scales: 10/8
 * holds 256 /16s, a chain makes paths O(sites) long, and its all-pairs routing is
 * quadratic. A tree needs a different address plan, so it gets its own class; both share
 * the discipline described below, and the sites, the MS/MR and their accessors
 * (LispSitesHelperBase).
 */
#ifndef LISP_TREE_TOPOLOGY_HELPER_H
#define LISP_TREE_TOPOLOGY_HELPER_H

#include "lisp-helper.h"
#include "lisp-sites-helper-base.h"

#include "ns3/application-container.h"
#include "ns3/csma-helper.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/point-to-point-helper.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup lisp
 * N LISP sites under a tree of routers, and one Map-Server/Map-Resolver at the root.
 *
 * \verbatim
 *                              root ---- MS/MR
 *                  /            |             \
 *              router   ...  router   ...   router          (levels as needed)
 *             /  |   \
 *          edge edge edge ...                               (edge routers)
 *         / | \
 *      xTR xTR xTR ... (fanout per edge router)  ==csma== host(s), if any
 * \endverbatim
 *
 * Shape: every router has at most `fanout` children (SetFanout, default 64): edge routers
 * have xTRs, the others routers; sites fill edge routers in order (site s is child s mod
 * fanout of edge router s / fanout), edge routers fill the next level the same way, up to
 * one root. A router thus has at most fanout + 2 interfaces (loopback, children, and its
 * uplink or, at the root, the MS/MR link): ns-3's IPv4 stack visits every interface of a
 * node per packet, so a hub with thousands of links would measure ns-3 rather than LISP.
 *
 * Addresses. EIDs: site s has EID-prefix 10.0.0.0 + 64 s /26 (so 262,144 sites fit in
 * 10/8); with hosts, that /26 is the site LAN (xTR .1, hosts .2 ...; at most 61).
 * Underlay (RLOCs): 100.64.0.0/10 (RFC 6598) is split hierarchically: each router owns an
 * aligned power-of-two block that holds its children's blocks and then a /30 per child
 * link (the router .1, the child .2). So the root owns the whole underlay in use and an
 * xTR's RLOC is inside its edge router's block, inside its parent's, and so on.
 *
 * Routing: static routes only, read off the tree rather than computed by shortest paths:
 * a router routes each child router's block toward that child and the underlay
 * (100.64.0.0/10) toward its parent; xTRs and the MS/MR route the underlay toward their
 * router. A router thus holds O(fanout) routes whatever the number of sites, and nothing
 * routes EID space natively: an EID-bound packet outside the overlay is dropped at the
 * first router. Hosts have a default route via their xTR; each xTR routes 10.0.0.0/8 into
 * its LISP tunnel.
 *
 * LISP configuration, no global oracle: xTR s knows its EID-prefix, its RLOC, the MS/MR
 * address and the site key; the Map-Server knows the sites (name "site-<s>", prefix, key).
 * The xTRs start one after another, evenly over the start window (SetStartWindow, default
 * 10 s), as a network's xTRs would not all boot in the same microsecond: 100,000
 * Map-Registers at one instant would overflow the queues toward the MS/MR. Only IPv4.
 *
 * ns-3 specifics, both for scale: addresses are set on the interfaces directly, not through
 * Ipv4AddressHelper, whose global collision check (Ipv4AddressGenerator) scans a list of
 * every address allocated so far and so makes numbering quadratic in the addresses; so
 * clashes with addresses that other code assigns through that generator go undetected. And no queue
 * discs are installed (Ipv4AddressHelper would add ns-3's default FqCoDel on every device), so
 * packets queue in the devices' own queues, and the point-to-point helpers have flow control
 * disabled (no queue disc to stop).
 */
class LispTreeTopologyHelper : public LispSitesHelperBase
{
  public:
    LispTreeTopologyHelper();

    /* ---- shape, before Build (and the setters of LispSitesHelperBase) ---- */

    /**
     * 1 to 262,144 sites (default 2). With fanout 64 all fit in the underlay /10; with a
     * small fanout the blocks waste more space and Build aborts when they do not fit.
     */
    void SetSites(uint32_t sites);
    /** 0 to 61 hosts per site (default 1); with 0, a site is its xTR alone (no LAN). */
    void SetHostsPerSite(uint32_t hosts);
    /** Children per router, 2 to 96 (default 64). */
    void SetFanout(uint32_t fanout);
    /** xTR s starts at window * s / sites (default 10 s; 0: all at 0 s). */
    void SetStartWindow(Time window);
    /**
     * Whether Build installs the LISP applications (default true). Without them the nodes,
     * links, addresses and routes are the same: a baseline for what LISP itself costs.
     * GetXtr and GetMapServer then return nullptr.
     */
    void SetLispApps(bool install);

    /** Create nodes, links, addresses, routes and (SetLispApps) the LISP applications. */
    void Build();

    /* ---- the result (and the accessors of LispSitesHelperBase) ---- */

    Ipv4Address GetXtrRloc(uint32_t site) const override;
    Ipv4Address GetMapServerAddress() const override;
    /** Routers, edge routers first and the root last. */
    uint32_t GetRouterCount() const;
    Ptr<Node> GetRouter(uint32_t i) const;
    Ptr<Node> GetRoot() const;
    /** Router levels, edge routers and root included (1 when one router serves all). */
    uint32_t GetLevels() const;

  protected:
    /** 10.0.0.0 + 64 s. */
    Ipv4Address SiteNetwork(uint32_t site) const override;

  private:
    /** A router's place in the tree and in the address plan. */
    struct Router {
        uint32_t level;      // 0: an edge router, whose children are xTRs
        uint32_t firstChild; // index of its first child (a router, or a site at level 0)
        uint32_t children;
        uint32_t base;     // first address of its block
        uint32_t size;     // the block's size, a power of two
        uint32_t linkBase; // its first child link's /30, after the children's blocks
    };

    /** The /30 between a router (.1) and one of its children (.2). */
    struct Link {
        Ipv4Address routerAddress;
        Ipv4Address childAddress;
        uint32_t routerIf; // Ipv4 interface indices
        uint32_t childIf;
    };

    void PlanShape();
    void PlanAddresses();
    /** Connect `child` as child number `k` of router `r`, routing the underlay up. */
    Link ConnectChild(uint32_t r, uint32_t k, Ptr<Node> child, PointToPointHelper &links);
    void BuildSites();
    void InstallLisp();

    uint32_t m_fanout;
    Time m_startWindow;
    bool m_lisp;

    std::vector<uint32_t> m_levelStart; // index of each level's first router; then the count
    std::vector<Router> m_plan;         // by router index (m_routers)
};

} // namespace ns3

#endif /* LISP_TREE_TOPOLOGY_HELPER_H */
