/*
 * lisp-nat.h - a NAT44 on an ns-3 router: the C NAT engine (lisp_nat.h) between an inside
 * and an outside interface of the node.
 *
 * The NAT is the node's top-level Ipv4RoutingProtocol and wraps the routing protocol the
 * node had (its list routing with static and global routing). Ipv4L3Protocol::Receive hands
 * every received packet to the top-level RouteInput, before anything delivers it locally,
 * so the NAT sees inbound packets to its public addresses; a NAT that were one child of the
 * node's Ipv4ListRouting would not, because the list delivers packets for the node's own
 * addresses before asking its children (docs/design.md, "NAT in ns-3"). No change to ns-3.
 *
 *   - a packet that arrives on the inside interface and that the wrapped protocol forwards
 *     out of the outside interface goes through lisp_nat_outbound; so does one from the
 *     inside to a public address of the NAT (hairpinning);
 *   - every packet that arrives on the outside interface goes through lisp_nat_inbound;
 *   - the verdict decides: FORWARD hands the rewritten packet (a new Ipv4Header and a copy
 *     of the packet whose rewritten leading bytes are replaced) to the wrapped protocol's
 *     forwarding, HAIRPIN routes it back in, PASS gives the unchanged packet to the wrapped
 *     protocol (the router's own traffic), DROP drops it (the engine counts and traces it);
 *   - packets the router itself sends (RouteOutput), and packets between other interfaces,
 *     pass through the wrapped protocol untouched.
 * The adapter decides nothing about translation: which packets cross the NAT follows from
 * the interfaces and the wrapped protocol's routes; what happens to them is the engine's.
 *
 * Every field of lisp_nat_config is an attribute; "Preset" names a preset of the engine and
 * the behaviour attributes left at "preset" take its value. Timers: one ns-3 event at the
 * engine's next expiry, rounded up (lisp-time.h). Randomness: a UniformRandomVariable
 * (AssignStreams). Trace sources: NatMappingCreated, NatMappingRefreshed,
 * NatMappingExpired, Drop (reason "nat-filtered", "nat-no-mapping", "nat-table-full", ...)
 * and LispTrace (lisp-trace-sources.h).
 *
 * Routes of the wrapped protocol can still be changed through GetWrappedRoutingProtocol().
 */
#ifndef LISP_NAT_NS3_H
#define LISP_NAT_NS3_H

#include "lisp-trace-sources.h"
#include "lisp_nat.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/lisp-ns3-compat.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"

#include <string>
#include <vector>

namespace ns3
{

class UniformRandomVariable;

/**
 * \ingroup lisp
 * A NAT44 (RFC 4787 / 5382 / 5508 behaviours) as the top-level IPv4 routing protocol of a
 * router node, wrapping the node's own routing protocol.
 */
class LispNat : public Ipv4RoutingProtocol
{
  public:
    /** Mapping and filtering behaviour attributes: the preset's, or one of RFC 4787's. */
    enum Behaviour {
        BEHAVIOUR_PRESET = -1,
        ENDPOINT_INDEPENDENT = LISP_NAT_ENDPOINT_INDEPENDENT,
        ADDRESS_DEPENDENT = LISP_NAT_ADDRESS_DEPENDENT,
        ADDRESS_PORT_DEPENDENT = LISP_NAT_ADDRESS_PORT_DEPENDENT,
    };

    /** The "PortPolicy" attribute. */
    enum PortPolicy {
        PORT_PRESET = -1,
        PORT_PRESERVE = LISP_NAT_PORT_PRESERVE,
        PORT_SEQUENTIAL = LISP_NAT_PORT_SEQUENTIAL,
        PORT_RANDOM = LISP_NAT_PORT_RANDOM,
    };

    /** The "Pooling" attribute. */
    enum Pooling {
        POOLING_PRESET = -1,
        POOLING_PAIRED = LISP_NAT_POOL_PAIRED,
        POOLING_ARBITRARY = LISP_NAT_POOL_ARBITRARY,
    };

    static TypeId GetTypeId();
    LispNat();
    ~LispNat() override;

    /**
     * The interfaces (Ipv4 interface indices) and the routing protocol the NAT wraps: the
     * node's own, already bound to the node's Ipv4. Called once, before SetIpv4 (the helper
     * does both).
     */
    void Configure(uint32_t insideInterface, uint32_t outsideInterface,
                   Ptr<Ipv4RoutingProtocol> wrapped);
    /** A public address of the NAT (up to LISP_NAT_MAX_PUBLIC). None: the outside
     * interface's first address. Before the NAT starts. */
    void AddPublicAddress(Ipv4Address address);

    /** The node's routing protocol that the NAT wraps (to add routes). */
    Ptr<Ipv4RoutingProtocol> GetWrappedRoutingProtocol() const;

    /**
     * Use a fixed random variable stream for the engine's randomness (ports).
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /** The engine's named counters (lisp_engine_stats); empty before the NAT starts. */
    std::vector<lisp_stat> GetCounters() const;
    /** The engine's counters (nullptr before the NAT starts). */
    const lisp_nat_stats *GetStats() const;
    /** The active mappings (empty before the NAT starts). */
    std::vector<lisp_nat_mapping_info> GetMappings() const;
    /** The public addresses in use (after the NAT starts). */
    std::vector<Ipv4Address> GetPublicAddresses() const;

    /* ---- Ipv4RoutingProtocol ---- */
    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p, const Ipv4Header &header, Ptr<NetDevice> oif,
                               Socket::SocketErrno &sockerr) override;
    bool RouteInput(Ptr<const Packet> p, const Ipv4Header &header, Ptr<const NetDevice> idev,
                    LISP_NS3_ROUTE_INPUT_CALLBACK(UnicastForwardCallback) ucb,
                    LISP_NS3_ROUTE_INPUT_CALLBACK(MulticastForwardCallback) mcb,
                    LISP_NS3_ROUTE_INPUT_CALLBACK(LocalDeliverCallback) lcb,
                    LISP_NS3_ROUTE_INPUT_CALLBACK(ErrorCallback) ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    void DoInitialize() override;
    void DoDispose() override;

  private:
    /** The engine's configuration from the attributes and addresses. */
    lisp_nat_config MakeConfig() const;
    /** Create the engine when it does not exist yet (aborts on a refused config). */
    void Start();

    /** Run the engine on `header` + `p` (lisp_nat_outbound or lisp_nat_inbound); on
     * FORWARD and HAIRPIN, `header` and `p` become the rewritten ones. */
    int Translate(bool outbound, Ipv4Header &header, Ptr<const Packet> &p);
    bool IsPublicAddress(Ipv4Address address) const;
    /** ns-3's UDP sends a computed zero checksum as 0x0000: make it RFC 768's 0xffff. */
    static void RepairNs3UdpChecksum(const Ipv4Header &header, uint8_t *l4, uint32_t len);

    void Rearm();
    void Expire();

    static uint64_t HostRandom(void *user);
    static void HostTrace(void *user, const lisp_trace *event);
    static void HostLog(void *user, int level, const char *message);

    /* attributes */
    std::string m_preset;
    Behaviour m_mapping;
    Behaviour m_filtering;
    PortPolicy m_portPolicy;
    Pooling m_pooling;
    uint16_t m_portMin;
    uint16_t m_portMax;
    Time m_udpTimeout;
    Time m_tcpEstablishedTimeout;
    Time m_tcpTransitoryTimeout;
    Time m_icmpTimeout;
    bool m_inboundRefresh;
    bool m_hairpinning;
    uint32_t m_maxMappings;

    Ptr<Ipv4> m_ipv4;
    Ptr<Ipv4RoutingProtocol> m_wrapped;
    uint32_t m_inside;
    uint32_t m_outside;
    std::vector<Ipv4Address> m_public;
    lisp_nat *m_nat;
    Ptr<UniformRandomVariable> m_rng;
    EventId m_timer;
    lisp_time_t m_armedFor;       // the deadline m_timer is scheduled for, or LISP_TIME_NEVER
    std::vector<uint8_t> m_bytes; // the packet the engine works on, reused
    LispTraceSources m_traces;
};

} // namespace ns3

#endif /* LISP_NAT_NS3_H */
