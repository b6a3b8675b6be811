/*
 * lisp-xtr.h - ns3::LispXtr, the ns-3 application of the xTR engine (lisp_xtr.h): ITR and
 * ETR of a LISP site, and by attribute PITR or PETR.
 *
 * EID side. The application adds a VirtualNetDevice (the "LISP tunnel") to its node, with
 * an IPv4 interface numbered TunnelAddress (and, on a node with IPv6, an IPv6 interface
 * when IPv6 EIDs are configured or the xTR is a PETR), and adds static routes for the
 * "remote EID space" (AddRemoteEidSpace) through it. Packets the node routes there (IP
 * header included) go to lisp_xtr_eid_packet; decapsulated packets come back through
 * VirtualNetDevice::Receive, so the node's own IP stack forwards them into the site. The
 * site's own prefixes are connected routes on the site interface, longer than the remote
 * EID space, so they never enter the tunnel. Natively forwarded packets (PETR,
 * natively-forward actions) keep their own header: IPv4 ones go out through
 * Ipv4L3Protocol::SendWithHeader, IPv6 ones enter the node's IPv6 stack through the tunnel
 * and are forwarded like any routed packet (hop limit decremented). When their route points
 * back into the tunnel, or there is none, they are dropped (and logged) instead of looping.
 *
 * Configure with the attributes and, before the application starts, the Add* methods
 * (its own EID-prefixes and RLOCs, its Map-Resolvers and Map-Servers): a node knows only
 * its own configuration.
 *
 * Several xTRs of one site (multihoming): give each the same EID-prefixes and site key, its
 * own RLOCs and its own XtrId (per application: apps.Get(i)->SetAttribute("XtrId", ...)).
 * Their Map-Registers then carry the I bit and the Map-Server merges their locator sets by
 * xTR-ID (lisp_ms.h, "Merging"); without an XtrId it tells the xTRs apart by the
 * Map-Register's source address instead.
 */
#ifndef LISP_XTR_APP_H
#define LISP_XTR_APP_H

#include "lisp-engine-app.h"
#include "lisp_xtr.h"

#include "ns3/nstime.h"
#include "ns3/virtual-net-device.h"

#include <string>
#include <vector>

namespace ns3
{

class Packet;

/**
 * \ingroup lisp
 * A LISP tunnel router (xTR), or a proxy (PITR/PETR), on one node.
 */
class LispXtr : public LispEngineApp
{
  public:
    /** What the ITR does with a packet whose destination misses the map-cache. */
    enum MissPolicy {
        MISS_DROP = LISP_MISS_DROP,
        MISS_QUEUE = LISP_MISS_QUEUE,
    };

    static TypeId GetTypeId();
    LispXtr();
    ~LispXtr() override;

    /* ---- configuration, before the application starts ---- */

    /** An EID-prefix of the site (registered, served by this ETR). */
    void AddEidPrefix(const lisp_eid &prefix);
    void AddEidPrefix(Ipv4Address network, Ipv4Mask mask, uint32_t iid = 0);
    void AddEidPrefix(Ipv6Address network, Ipv6Prefix prefix, uint32_t iid = 0);
    /** A locator of the site: an address of this node on the underlay. */
    void AddRloc(Address address, uint8_t priority = 1, uint8_t weight = 100);
    /** A Map-Resolver (Ipv4Address or Ipv6Address; port 4342). */
    void AddMapResolver(Address address);
    /**
     * A Map-Server to register with.
     * \param address its Ipv4Address or Ipv6Address (port 4342)
     * \param keyId LISP_KEY_ID_HMAC_SHA1_96 (1) or LISP_KEY_ID_HMAC_SHA256_128 (2)
     * \param key the shared key, at most LISP_XTR_KEY_MAX bytes
     */
    void AddMapServer(Address address, uint16_t keyId, const std::string &key);
    /** A Proxy-ETR for destinations with a natively-forward mapping (port 4341). */
    void AddPetr(Address address);
    /**
     * EID space of other sites: the node routes it into the LISP tunnel. Takes effect when
     * the application is initialized (simulation start, or when installed later).
     */
    void AddRemoteEidSpace(Ipv4Address network, Ipv4Mask mask);
    void AddRemoteEidSpace(Ipv6Address network, Ipv6Prefix prefix);

    /* ---- state ---- */

    /** The engine's counters (zeros before the application starts). */
    lisp_xtr_stats GetStats() const;
    /** Entries in the map-cache. */
    uint32_t GetMapCacheSize() const;
    /** True once every Map-Server acknowledged the latest Map-Register. */
    bool IsRegistered() const;
    /** The tunnel device (nullptr before the application is initialized). */
    Ptr<VirtualNetDevice> GetTunnelDevice() const;
    /** The engine (nullptr before start), for inspection. */
    const lisp_xtr *GetEngine() const;

  protected:
    void DoInitialize() override;
    void DoDispose() override;

  private:
    lisp_engine *CreateEngine(const lisp_host &host, lisp_time_t now) override;
    void EngineRestarted(lisp_time_t now) override;
    bool EngineDeliver(const uint8_t *packet, size_t len) override;
    bool EngineForwardNative(const uint8_t *packet, size_t len) override;
    bool IsOwnDevice(Ptr<NetDevice> device) const override;
    bool ForwardNative4(const uint8_t *packet, size_t len);
    bool ForwardNative6(const uint8_t *packet, size_t len);
    template <typename IpAddress>
    bool NativeRouteUsable(Ptr<NetDevice> output, IpAddress destination) const;

    void CreateTunnel();
    bool TunnelSend(Ptr<Packet> packet, const Address &source, const Address &destination,
                    uint16_t protocol);
    void CheckNotStarted(const char *what) const;
    void ConfigureXtrId(lisp_xtr_config &cfg) const;
    void ConfigureRlocInterfaces(lisp_xtr_config &cfg) const;

    /** The engine (nullptr before start). */
    lisp_xtr *Xtr() const;

    lisp_xtr_config m_config; // lists (Add*); scalars come from the attributes at start
    Ptr<VirtualNetDevice> m_tunnel;
    std::vector<std::pair<Ipv4Address, Ipv4Mask>> m_remote4;
    std::vector<std::pair<Ipv6Address, Ipv6Prefix>> m_remote6;

    // Attributes.
    Time m_registerInterval;
    Time m_registerRetryTimeout;
    uint8_t m_registerRetries;
    Time m_mapCacheMaxTtl;
    bool m_fixedDataPort;
    bool m_wantMapNotify;
    bool m_proxyReply;
    std::string m_xtrId; // 32 hex digits, or empty
    uint64_t m_siteId;
    Time m_recordTtl;
    MissPolicy m_missPolicy;
    uint16_t m_queuePackets;
    uint16_t m_maxPending;
    Time m_requestTimeout;
    uint8_t m_requestRetries;
    uint32_t m_mapCacheMaxEntries;
    uint32_t m_instanceId;
    uint16_t m_maxPacket;
    bool m_pitr;
    bool m_petr;
    Ipv4Address m_tunnelAddress;
    uint16_t m_tunnelMtu;
};

} // namespace ns3

#endif /* LISP_XTR_APP_H */
