/*
 * lisp-locator-tap.cc - node interface and address notifications as locator events
 * (lisp-locator-tap.h).
 */
#include "lisp-locator-tap.h"

#include "lisp-engine-app.h"

#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/ipv6-route.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/loopback-net-device.h"
#include "ns3/node.h"

#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LispLocatorTap");

NS_OBJECT_ENSURE_REGISTERED(LispIpv4LocatorTap);
NS_OBJECT_ENSURE_REGISTERED(LispIpv6LocatorTap);

namespace
{

/* Asked only when every other protocol of the list has no route. */
const int16_t TAP_PRIORITY = -32768;

/* Locators live on real devices: not loopback, not the application's own (its tunnel). */
bool LocatorDevice(const LispLocatorSink &sink, Ptr<NetDevice> device)
{
    return device && !DynamicCast<LoopbackNetDevice>(device) &&
           !(!sink.own.IsNull() && sink.own(device));
}

lisp_locator_event LocatorEvent(uint8_t kind, Ptr<NetDevice> device, const Address &address)
{
    lisp_locator_event ev;
    std::memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.ifindex = LispIfIndex(device); // as LispEngineApp numbers received datagrams
    ev.addr = LispEndpointFromAddress(address);
    return ev;
}

/* The address of an interface address, and whether it can be a locator at all. */
Ipv4Address LocalAddress(const Ipv4InterfaceAddress &address)
{
    return address.GetLocal();
}

Ipv6Address LocalAddress(const Ipv6InterfaceAddress &address)
{
    return address.GetAddress();
}

bool LocatorAddress(Ipv4Address address)
{
    return !address.IsLocalhost() && !address.IsAny();
}

bool LocatorAddress(Ipv6Address address)
{
    return !address.IsLocalhost() && !address.IsAny() && !address.IsLinkLocal();
}

/* Add a tap of type Tap to the node's list routing of type List; false (and a warning) when
 * the node's `family` routing is no such list. */
template <typename Ip, typename List, typename Tap>
bool InstallTap(Ptr<Node> node, Ptr<Ip> ip, const LispLocatorSink &sink, const char *family,
                const char *list)
{
    Ptr<List> routing = DynamicCast<List>(ip->GetRoutingProtocol());
    if (!routing) {
        NS_LOG_WARN("node " << node->GetId() << ": " << family << " routing is no " << list
                            << "; its interface changes will not reach the LISP engine");
        return false;
    }
    Ptr<Tap> tap = CreateObject<Tap>();
    tap->SetSink(sink);
    routing->AddRoutingProtocol(tap, TAP_PRIORITY);
    return true;
}

} // namespace

/* ---- both versions ---- */

template <typename Ip, typename IfAddress> void LispLocatorTapCore<Ip, IfAddress>::SetIp(Ptr<Ip> ip)
{
    m_ip = ip;
}

template <typename Ip, typename IfAddress>
void LispLocatorTapCore<Ip, IfAddress>::SetSink(const LispLocatorSink &sink)
{
    m_sink = sink;
}

template <typename Ip, typename IfAddress>
void LispLocatorTapCore<Ip, IfAddress>::Emit(uint8_t kind, uint32_t interface,
                                             const IfAddress &address)
{
    if (!m_ip || m_sink.notify.IsNull() || !LocatorAddress(LocalAddress(address))) {
        return;
    }
    Ptr<NetDevice> device = m_ip->GetNetDevice(interface);
    if (LocatorDevice(m_sink, device)) {
        m_sink.notify(LocatorEvent(kind, device, LocalAddress(address)));
    }
}

template <typename Ip, typename IfAddress>
void LispLocatorTapCore<Ip, IfAddress>::EmitAll(uint8_t kind, uint32_t interface)
{
    for (uint32_t i = 0; m_ip && i < m_ip->GetNAddresses(interface); i++) {
        Emit(kind, interface, m_ip->GetAddress(interface, i));
    }
}

template <typename Ip, typename IfAddress> void LispLocatorTapCore<Ip, IfAddress>::Dispose()
{
    m_ip = nullptr;
    m_sink = LispLocatorSink();
}

template class LispLocatorTapCore<Ipv4, Ipv4InterfaceAddress>;
template class LispLocatorTapCore<Ipv6, Ipv6InterfaceAddress>;

/* ---- IPv4 ---- */

TypeId LispIpv4LocatorTap::GetTypeId()
{
    static TypeId tid = TypeId("ns3::LispIpv4LocatorTap")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Lisp")
                            .AddConstructor<LispIpv4LocatorTap>();
    return tid;
}

void LispIpv4LocatorTap::SetSink(const LispLocatorSink &sink)
{
    m_tap.SetSink(sink);
}

Ptr<Ipv4Route> LispIpv4LocatorTap::RouteOutput(Ptr<Packet> p, const Ipv4Header &header,
                                               Ptr<NetDevice> oif, Socket::SocketErrno &sockerr)
{
    (void)p;
    (void)header;
    (void)oif;
    sockerr = Socket::ERROR_NOROUTETOHOST;
    return nullptr;
}

bool LispIpv4LocatorTap::RouteInput(Ptr<const Packet> p, const Ipv4Header &header,
                                    Ptr<const NetDevice> idev,
                                    LISP_NS3_ROUTE_INPUT_CALLBACK(UnicastForwardCallback) ucb,
                                    LISP_NS3_ROUTE_INPUT_CALLBACK(MulticastForwardCallback) mcb,
                                    LISP_NS3_ROUTE_INPUT_CALLBACK(LocalDeliverCallback) lcb,
                                    LISP_NS3_ROUTE_INPUT_CALLBACK(ErrorCallback) ecb)
{
    (void)p;
    (void)header;
    (void)idev;
    (void)ucb;
    (void)mcb;
    (void)lcb;
    (void)ecb;
    return false;
}

void LispIpv4LocatorTap::NotifyInterfaceUp(uint32_t interface)
{
    m_tap.EmitAll(LISP_LOCATOR_UP, interface);
}

void LispIpv4LocatorTap::NotifyInterfaceDown(uint32_t interface)
{
    m_tap.EmitAll(LISP_LOCATOR_DOWN, interface);
}

void LispIpv4LocatorTap::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_tap.Emit(LISP_LOCATOR_ADDED, interface, address);
}

void LispIpv4LocatorTap::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_tap.Emit(LISP_LOCATOR_REMOVED, interface, address);
}

void LispIpv4LocatorTap::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_tap.SetIp(ipv4);
}

void LispIpv4LocatorTap::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    (void)stream; // no routes
    (void)unit;
}

void LispIpv4LocatorTap::DoDispose()
{
    m_tap.Dispose();
    Ipv4RoutingProtocol::DoDispose();
}

/* ---- IPv6 ---- */

TypeId LispIpv6LocatorTap::GetTypeId()
{
    static TypeId tid = TypeId("ns3::LispIpv6LocatorTap")
                            .SetParent<Ipv6RoutingProtocol>()
                            .SetGroupName("Lisp")
                            .AddConstructor<LispIpv6LocatorTap>();
    return tid;
}

void LispIpv6LocatorTap::SetSink(const LispLocatorSink &sink)
{
    m_tap.SetSink(sink);
}

Ptr<Ipv6Route> LispIpv6LocatorTap::RouteOutput(Ptr<Packet> p, const Ipv6Header &header,
                                               Ptr<NetDevice> oif, Socket::SocketErrno &sockerr)
{
    (void)p;
    (void)header;
    (void)oif;
    sockerr = Socket::ERROR_NOROUTETOHOST;
    return nullptr;
}

bool LispIpv6LocatorTap::RouteInput(Ptr<const Packet> p, const Ipv6Header &header,
                                    Ptr<const NetDevice> idev,
                                    LISP_NS3_ROUTE_INPUT_CALLBACK(UnicastForwardCallback) ucb,
                                    LISP_NS3_ROUTE_INPUT_CALLBACK(MulticastForwardCallback) mcb,
                                    LISP_NS3_ROUTE_INPUT_CALLBACK(LocalDeliverCallback) lcb,
                                    LISP_NS3_ROUTE_INPUT_CALLBACK(ErrorCallback) ecb)
{
    (void)p;
    (void)header;
    (void)idev;
    (void)ucb;
    (void)mcb;
    (void)lcb;
    (void)ecb;
    return false;
}

void LispIpv6LocatorTap::NotifyInterfaceUp(uint32_t interface)
{
    m_tap.EmitAll(LISP_LOCATOR_UP, interface);
}

void LispIpv6LocatorTap::NotifyInterfaceDown(uint32_t interface)
{
    m_tap.EmitAll(LISP_LOCATOR_DOWN, interface);
}

void LispIpv6LocatorTap::NotifyAddAddress(uint32_t interface, Ipv6InterfaceAddress address)
{
    m_tap.Emit(LISP_LOCATOR_ADDED, interface, address);
}

void LispIpv6LocatorTap::NotifyRemoveAddress(uint32_t interface, Ipv6InterfaceAddress address)
{
    m_tap.Emit(LISP_LOCATOR_REMOVED, interface, address);
}

void LispIpv6LocatorTap::NotifyAddRoute(Ipv6Address dst, Ipv6Prefix mask, Ipv6Address nextHop,
                                        uint32_t interface, Ipv6Address prefixToUse)
{
    (void)dst; // routes are not locators
    (void)mask;
    (void)nextHop;
    (void)interface;
    (void)prefixToUse;
}

void LispIpv6LocatorTap::NotifyRemoveRoute(Ipv6Address dst, Ipv6Prefix mask, Ipv6Address nextHop,
                                           uint32_t interface, Ipv6Address prefixToUse)
{
    (void)dst;
    (void)mask;
    (void)nextHop;
    (void)interface;
    (void)prefixToUse;
}

void LispIpv6LocatorTap::SetIpv6(Ptr<Ipv6> ipv6)
{
    m_tap.SetIp(ipv6);
}

void LispIpv6LocatorTap::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    (void)stream; // no routes
    (void)unit;
}

void LispIpv6LocatorTap::DoDispose()
{
    m_tap.Dispose();
    Ipv6RoutingProtocol::DoDispose();
}

/* ---- installation ---- */

unsigned LispInstallLocatorTaps(Ptr<Node> node, const LispLocatorSink &sink)
{
    unsigned added = 0;
    if (Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>()) {
        added += InstallTap<Ipv4, Ipv4ListRouting, LispIpv4LocatorTap>(node, ipv4, sink, "IPv4",
                                                                       "Ipv4ListRouting");
    }
    if (Ptr<Ipv6> ipv6 = node->GetObject<Ipv6>()) {
        added += InstallTap<Ipv6, Ipv6ListRouting, LispIpv6LocatorTap>(node, ipv6, sink, "IPv6",
                                                                       "Ipv6ListRouting");
    }
    return added;
}

} // namespace ns3
