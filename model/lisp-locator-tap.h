/*
 * lisp-locator-tap.h - the interface and address notifications of an ns-3 node, as local
 * locator events for a LISP engine (lisp_locator_event, lisp_engine.h).
 *
 * ns-3 tells a node's routing protocols when an interface goes up or down and when an
 * address is added or removed (Ipv4RoutingProtocol::NotifyInterfaceUp, NotifyAddAddress,
 * ...); nothing else is told. A tap is therefore a routing protocol that routes nothing:
 * LispEngineApp adds one per IP version to the node's list routing, at the lowest priority
 * (it is asked for a route only when every other protocol has none, and answers "none"),
 * and turns each notification into lisp_locator_events: interface up or down -> UP or
 * DOWN for each of its addresses; address added or removed -> ADDED or REMOVED. ns-3 has
 * no "renumbered" notification: a new DHCP lease arrives as REMOVED then ADDED. Loopback,
 * link-local and the application's own devices (the LISP tunnel) are not locators and are
 * left out. The tap makes no protocol decision: whether an event concerns one of its RLOCs
 * is the engine's business.
 */
#ifndef LISP_LOCATOR_TAP_H
#define LISP_LOCATOR_TAP_H

#include "lisp-ns3-compat.h"
#include "lisp_host.h"

#include "ns3/callback.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv6-routing-protocol.h"

namespace ns3
{

/** Where a tap sends its events; `own` says which devices to leave out. */
struct LispLocatorSink
{
    Callback<void, const lisp_locator_event &> notify;
    Callback<bool, Ptr<NetDevice>> own;
};

/**
 * What both taps do with a notification, for one IP version: `Ip` is Ipv4 or Ipv6 and
 * `IfAddress` its Ipv4InterfaceAddress or Ipv6InterfaceAddress (lisp-locator-tap.cc).
 */
template <typename Ip, typename IfAddress> class LispLocatorTapCore
{
  public:
    void SetIp(Ptr<Ip> ip);
    void SetSink(const LispLocatorSink &sink);
    /** An event for `address` of `interface`, unless it is no locator (see above). */
    void Emit(uint8_t kind, uint32_t interface, const IfAddress &address);
    /** An event for each address of `interface`. */
    void EmitAll(uint8_t kind, uint32_t interface);
    /** Forget the IP stack and the sink. */
    void Dispose();

  private:
    Ptr<Ip> m_ip;
    LispLocatorSink m_sink;
};

/**
 * \ingroup lisp
 * IPv4 interface and address notifications as locator events (routes nothing).
 */
class LispIpv4LocatorTap : public Ipv4RoutingProtocol
{
  public:
    static TypeId GetTypeId();
    void SetSink(const LispLocatorSink &sink);

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
    void DoDispose() override;

  private:
    LispLocatorTapCore<Ipv4, Ipv4InterfaceAddress> m_tap;
};

/**
 * \ingroup lisp
 * IPv6 interface and address notifications as locator events (routes nothing).
 */
class LispIpv6LocatorTap : public Ipv6RoutingProtocol
{
  public:
    static TypeId GetTypeId();
    void SetSink(const LispLocatorSink &sink);

    Ptr<Ipv6Route> RouteOutput(Ptr<Packet> p, const Ipv6Header &header, Ptr<NetDevice> oif,
                               Socket::SocketErrno &sockerr) override;
    bool RouteInput(Ptr<const Packet> p, const Ipv6Header &header, Ptr<const NetDevice> idev,
                    LISP_NS3_ROUTE_INPUT_CALLBACK(UnicastForwardCallback) ucb,
                    LISP_NS3_ROUTE_INPUT_CALLBACK(MulticastForwardCallback) mcb,
                    LISP_NS3_ROUTE_INPUT_CALLBACK(LocalDeliverCallback) lcb,
                    LISP_NS3_ROUTE_INPUT_CALLBACK(ErrorCallback) ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv6InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv6InterfaceAddress address) override;
    void NotifyAddRoute(Ipv6Address dst, Ipv6Prefix mask, Ipv6Address nextHop,
                        uint32_t interface, Ipv6Address prefixToUse) override;
    void NotifyRemoveRoute(Ipv6Address dst, Ipv6Prefix mask, Ipv6Address nextHop,
                           uint32_t interface, Ipv6Address prefixToUse) override;
    void SetIpv6(Ptr<Ipv6> ipv6) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    void DoDispose() override;

  private:
    LispLocatorTapCore<Ipv6, Ipv6InterfaceAddress> m_tap;
};

/**
 * Add taps for the node's IPv4 and IPv6 list routing (a family whose routing is not an
 * Ipv4ListRouting / Ipv6ListRouting gets none, and a warning). Returns how many were added.
 */
unsigned LispInstallLocatorTaps(Ptr<Node> node, const LispLocatorSink &sink);

} // namespace ns3

#endif /* LISP_LOCATOR_TAP_H */
