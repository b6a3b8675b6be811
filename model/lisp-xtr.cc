/*
 * lisp-xtr.cc - ns3::LispXtr (lisp-xtr.h): the xTR engine on an ns-3 node.
 */
#include "lisp-xtr.h"

#include "lisp-ns3-compat.h"
#include "lisp-time.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/ipv6-route.h"
#include "ns3/ipv6-static-routing.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/virtual-net-device.h"

#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LispXtr");

NS_OBJECT_ENSURE_REGISTERED(LispXtr);

namespace
{

const uint16_t ETHERTYPE_IPV4 = 0x0800;
const uint16_t ETHERTYPE_IPV6 = 0x86DD;

Ptr<Ipv4StaticRouting> FindStaticRouting(Ptr<Ipv4> ipv4)
{
    Ptr<Ipv4RoutingProtocol> routing = ipv4->GetRoutingProtocol();
    if (Ptr<Ipv4StaticRouting> found = DynamicCast<Ipv4StaticRouting>(routing)) {
        return found;
    }
    if (Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting>(routing)) {
        for (uint32_t i = 0; i < list->GetNRoutingProtocols(); i++) {
            int16_t priority;
            if (Ptr<Ipv4StaticRouting> found =
                    DynamicCast<Ipv4StaticRouting>(list->GetRoutingProtocol(i, priority))) {
                return found;
            }
        }
    }
    return nullptr;
}

Ptr<Ipv6StaticRouting> FindStaticRouting(Ptr<Ipv6> ipv6)
{
    Ptr<Ipv6RoutingProtocol> routing = ipv6->GetRoutingProtocol();
    if (Ptr<Ipv6StaticRouting> found = DynamicCast<Ipv6StaticRouting>(routing)) {
        return found;
    }
    if (Ptr<Ipv6ListRouting> list = DynamicCast<Ipv6ListRouting>(routing)) {
        for (uint32_t i = 0; i < list->GetNRoutingProtocols(); i++) {
            int16_t priority;
            if (Ptr<Ipv6StaticRouting> found =
                    DynamicCast<Ipv6StaticRouting>(list->GetRoutingProtocol(i, priority))) {
                return found;
            }
        }
    }
    return nullptr;
}

} // namespace

TypeId LispXtr::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LispXtr")
            .SetParent<LispEngineApp>()
            .SetGroupName("Lisp")
            .AddConstructor<LispXtr>()
            .AddAttribute("RegisterInterval", "Time between two Map-Registers to each Map-Server.",
                          TimeValue(Seconds(60)), MakeTimeAccessor(&LispXtr::m_registerInterval),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("WantMapNotify",
                          "Ask the Map-Servers to acknowledge Map-Registers (M bit).",
                          BooleanValue(true), MakeBooleanAccessor(&LispXtr::m_wantMapNotify),
                          MakeBooleanChecker())
            .AddAttribute("ProxyReply",
                          "Ask the Map-Servers to answer Map-Requests for our EIDs (P bit).",
                          BooleanValue(false), MakeBooleanAccessor(&LispXtr::m_proxyReply),
                          MakeBooleanChecker())
            .AddAttribute("XtrId",
                          "xTR-ID of our Map-Registers: 32 hex digits (128 bits), e.g. "
                          "\"000102030405060708090a0b0c0d0e0f\"; empty: no xTR-ID (I bit "
                          "clear). The Map-Server merges the registrations of one site's xTRs "
                          "by xTR-ID, so each xTR of a site needs its own: set it per "
                          "application, not for a whole helper. Checked when the application "
                          "starts.",
                          StringValue(""), MakeStringAccessor(&LispXtr::m_xtrId),
                          MakeStringChecker())
            .AddAttribute("SiteId",
                          "Site-ID (64 bits) sent with the xTR-ID; ignored without an XtrId.",
                          UintegerValue(0), MakeUintegerAccessor(&LispXtr::m_siteId),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("RegisterRetryTimeout",
                          "Without a Map-Notify, time before the first Map-Register "
                          "retransmission (then doubling).",
                          TimeValue(Seconds(1)), MakeTimeAccessor(&LispXtr::m_registerRetryTimeout),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("RegisterRetries",
                          "Map-Register retransmissions of a round before the registration "
                          "with that Map-Server counts as failed (it starts again a "
                          "RegisterInterval later).",
                          UintegerValue(3), MakeUintegerAccessor(&LispXtr::m_registerRetries),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("RecordTtl",
                          "Record TTL of our Map-Replies and Map-Registers; the wire carries "
                          "whole minutes, so it is rounded down to a minute.",
                          TimeValue(Minutes(1440)), MakeTimeAccessor(&LispXtr::m_recordTtl),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("MissPolicy",
                          "What happens to a packet whose destination misses the map-cache "
                          "while its Map-Request is outstanding.",
                          EnumValue(LispXtr::MISS_DROP),
                          LispMakeEnumAccessor<LispXtr::MissPolicy>(&LispXtr::m_missPolicy),
                          MakeEnumChecker(LispXtr::MISS_DROP, "Drop", LispXtr::MISS_QUEUE, "Queue"))
            .AddAttribute("QueuePackets",
                          "Hold-queue slots for packets awaiting a Map-Reply (all "
                          "destinations together; MissPolicy Queue).",
                          UintegerValue(64), MakeUintegerAccessor(&LispXtr::m_queuePackets),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("MaxPending", "Destinations being resolved at once.", UintegerValue(64),
                          MakeUintegerAccessor(&LispXtr::m_maxPending),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("RequestTimeout",
                          "Time before the first Map-Request retransmission (then doubling).",
                          TimeValue(Seconds(1)), MakeTimeAccessor(&LispXtr::m_requestTimeout),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("RequestRetries",
                          "Map-Request retransmissions before a resolution fails.",
                          UintegerValue(3), MakeUintegerAccessor(&LispXtr::m_requestRetries),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("MapCacheMaxEntries", "Map-cache size bound (0: unbounded).",
                          UintegerValue(100000),
                          MakeUintegerAccessor(&LispXtr::m_mapCacheMaxEntries),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("MapCacheMaxTtl",
                          "Longest a mapping stays in the map-cache, whatever TTL its "
                          "Map-Reply gave (whole minutes, at least one).",
                          TimeValue(Hours(24)), MakeTimeAccessor(&LispXtr::m_mapCacheMaxTtl),
                          MakeTimeChecker(Minutes(1)))
            .AddAttribute("FixedDataPort",
                          "Send LISP data from source port 4341 instead of a port derived "
                          "from the inner flow (for middleboxes that pass only 4341).",
                          BooleanValue(false), MakeBooleanAccessor(&LispXtr::m_fixedDataPort),
                          MakeBooleanChecker())
            .AddAttribute("InstanceId",
                          "Instance-ID of packets whose source is none of our EID-prefixes.",
                          UintegerValue(0), MakeUintegerAccessor(&LispXtr::m_instanceId),
                          MakeUintegerChecker<uint32_t>(0, 0xFFFFFF))
            .AddAttribute("MaxPacket", "Largest EID packet the engine handles, bytes.",
                          UintegerValue(2048), MakeUintegerAccessor(&LispXtr::m_maxPacket),
                          MakeUintegerChecker<uint16_t>(64))
            .AddAttribute("Pitr", "Proxy-ITR: Map-Requests carry the p bit and no source EID.",
                          BooleanValue(false), MakeBooleanAccessor(&LispXtr::m_pitr),
                          MakeBooleanChecker())
            .AddAttribute(
                "Petr", "Proxy-ETR: decapsulate for any destination and forward natively.",
                BooleanValue(false), MakeBooleanAccessor(&LispXtr::m_petr), MakeBooleanChecker())
            .AddAttribute("TunnelAddress",
                          "IPv4 address (/32) of the tunnel interface; it only numbers the "
                          "interface and is never sent to other nodes.",
                          Ipv4AddressValue(Ipv4Address("169.254.0.1")),
                          MakeIpv4AddressAccessor(&LispXtr::m_tunnelAddress),
                          MakeIpv4AddressChecker())
            .AddAttribute("TunnelMtu",
                          "MTU of the tunnel device: the underlay MTU minus the outer "
                          "IPv4 + UDP + LISP headers (36 bytes) avoids outer fragmentation.",
                          UintegerValue(1464), MakeUintegerAccessor(&LispXtr::m_tunnelMtu),
                          MakeUintegerChecker<uint16_t>(68));
    return tid;
}

LispXtr::LispXtr()
{
    NS_LOG_FUNCTION(this);
    lisp_xtr_config_default(&m_config);
}

LispXtr::~LispXtr()
{
    NS_LOG_FUNCTION(this);
}

void LispXtr::DoDispose()
{
    NS_LOG_FUNCTION(this);
    LispEngineApp::DoDispose();
    m_tunnel = nullptr; // the node disposes its devices
}

void LispXtr::CheckNotStarted(const char *what) const
{
    NS_ABORT_MSG_IF(Engine(), "LispXtr::" << what << " after the application started");
}

/* ---- configuration ---- */

void LispXtr::AddEidPrefix(const lisp_eid &prefix)
{
    CheckNotStarted("AddEidPrefix");
    NS_ABORT_MSG_IF(m_config.n_eids >= LISP_XTR_MAX_EIDS, "too many EID-prefixes");
    m_config.eids[m_config.n_eids++] = prefix;
}

void LispXtr::AddEidPrefix(Ipv4Address network, Ipv4Mask mask, uint32_t iid)
{
    AddEidPrefix(LispEidFromIpv4(network, mask, iid));
}

void LispXtr::AddEidPrefix(Ipv6Address network, Ipv6Prefix prefix, uint32_t iid)
{
    AddEidPrefix(LispEidFromIpv6(network, prefix, iid));
}

void LispXtr::AddRloc(Address address, uint8_t priority, uint8_t weight)
{
    CheckNotStarted("AddRloc");
    NS_ABORT_MSG_IF(m_config.n_rlocs >= LISP_XTR_MAX_RLOCS, "too many RLOCs");
    const lisp_endpoint e = LispEndpointFromAddress(address);
    NS_ABORT_MSG_IF(e.afi == LISP_AFI_NONE, "an RLOC is an Ipv4Address or an Ipv6Address");
    lisp_mapcache_loc &loc = m_config.rlocs[m_config.n_rlocs++];
    std::memset(&loc, 0, sizeof loc);
    loc.afi = e.afi;
    std::memcpy(loc.addr, e.addr, sizeof loc.addr);
    loc.priority = priority;
    loc.weight = weight;
    loc.mpriority = 255; // not used for multicast
}

void LispXtr::AddMapResolver(Address address)
{
    CheckNotStarted("AddMapResolver");
    NS_ABORT_MSG_IF(m_config.n_map_resolvers >= LISP_XTR_MAX_SERVERS, "too many Map-Resolvers");
    const lisp_endpoint e = LispEndpointFromAddress(address, LISP_CONTROL_PORT);
    NS_ABORT_MSG_IF(e.afi == LISP_AFI_NONE, "a Map-Resolver is an Ipv4Address or Ipv6Address");
    m_config.map_resolvers[m_config.n_map_resolvers++] = e;
}

void LispXtr::AddMapServer(Address address, uint16_t keyId, const std::string &key)
{
    CheckNotStarted("AddMapServer");
    NS_ABORT_MSG_IF(m_config.n_map_servers >= LISP_XTR_MAX_SERVERS, "too many Map-Servers");
    NS_ABORT_MSG_IF(key.size() > LISP_XTR_KEY_MAX,
                    "Map-Server key longer than " << LISP_XTR_KEY_MAX << " bytes");
    const lisp_endpoint e = LispEndpointFromAddress(address, LISP_CONTROL_PORT);
    NS_ABORT_MSG_IF(e.afi == LISP_AFI_NONE, "a Map-Server is an Ipv4Address or Ipv6Address");
    lisp_xtr_map_server &ms = m_config.map_servers[m_config.n_map_servers++];
    std::memset(&ms, 0, sizeof ms);
    ms.addr = e;
    ms.key_id = keyId;
    ms.key_len = static_cast<uint16_t>(key.size());
    std::memcpy(ms.key, key.data(), key.size());
}

void LispXtr::AddPetr(Address address)
{
    CheckNotStarted("AddPetr");
    NS_ABORT_MSG_IF(m_config.n_petrs >= LISP_XTR_MAX_SERVERS, "too many PETRs");
    const lisp_endpoint e = LispEndpointFromAddress(address, LISP_DATA_PORT);
    NS_ABORT_MSG_IF(e.afi == LISP_AFI_NONE, "a PETR is an Ipv4Address or Ipv6Address");
    m_config.petrs[m_config.n_petrs++] = e;
}

void LispXtr::AddRemoteEidSpace(Ipv4Address network, Ipv4Mask mask)
{
    NS_ABORT_MSG_IF(m_tunnel, "LispXtr::AddRemoteEidSpace after initialization");
    m_remote4.emplace_back(network.CombineMask(mask), mask);
}

void LispXtr::AddRemoteEidSpace(Ipv6Address network, Ipv6Prefix prefix)
{
    NS_ABORT_MSG_IF(m_tunnel, "LispXtr::AddRemoteEidSpace after initialization");
    m_remote6.emplace_back(network.CombinePrefix(prefix), prefix);
}

/* ---- state ---- */

lisp_xtr_stats LispXtr::GetStats() const
{
    lisp_xtr_stats stats;
    if (Xtr()) {
        stats = *lisp_xtr_get_stats(Xtr());
    } else {
        std::memset(&stats, 0, sizeof stats);
    }
    return stats;
}

uint32_t LispXtr::GetMapCacheSize() const
{
    return Xtr() ? static_cast<uint32_t>(lisp_mapcache_count(lisp_xtr_mapcache(Xtr()))) : 0;
}

bool LispXtr::IsRegistered() const
{
    return Xtr() && lisp_xtr_registered(Xtr());
}

Ptr<VirtualNetDevice> LispXtr::GetTunnelDevice() const
{
    return m_tunnel;
}

const lisp_xtr *LispXtr::GetEngine() const
{
    return Xtr();
}

lisp_xtr *LispXtr::Xtr() const
{
    return lisp_xtr_from_engine(Engine());
}

/* ---- the EID side: a tunnel device and routes ---- */

void LispXtr::DoInitialize()
{
    NS_LOG_FUNCTION(this);
    CreateTunnel();
    LispEngineApp::DoInitialize();
}

void LispXtr::CreateTunnel()
{
    Ptr<Node> node = GetNode();
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ptr<Ipv6> ipv6 = node->GetObject<Ipv6>();
    // IPv6 on the tunnel: for IPv6 EIDs, and on a PETR, which forwards IPv6 packets
    // natively through it (ForwardNative6) even without IPv6 EIDs of its own.
    bool ipv6Tunnel = !m_remote6.empty() || m_petr;
    for (unsigned i = 0; i < m_config.n_eids; i++) {
        ipv6Tunnel = ipv6Tunnel || m_config.eids[i].afi == LISP_AFI_IPV6;
    }

    m_tunnel = CreateObject<VirtualNetDevice>();
    m_tunnel->SetNeedsArp(false);
    m_tunnel->SetSupportsSendFrom(false);
    m_tunnel->SetMtu(m_tunnelMtu);
    if (ipv6 && ipv6Tunnel) {
        m_tunnel->SetAddress(Mac48Address::Allocate()); // for the IPv6 link-local address
    }
    m_tunnel->SetSendCallback(MakeCallback(&LispXtr::TunnelSend, this));
    node->AddDevice(m_tunnel);

    if (ipv4) {
        const int32_t ifIndex = static_cast<int32_t>(ipv4->AddInterface(m_tunnel));
        ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(m_tunnelAddress, Ipv4Mask::GetOnes()));
        ipv4->SetForwarding(ifIndex, true); // decapsulated packets go on into the site
        ipv4->SetUp(ifIndex);
        Ptr<Ipv4StaticRouting> routing = FindStaticRouting(ipv4);
        NS_ABORT_MSG_IF(!m_remote4.empty() && !routing,
                        "LispXtr: node " << node->GetId() << " has no Ipv4StaticRouting");
        for (const auto &space : m_remote4) {
            routing->AddNetworkRouteTo(space.first, space.second, ifIndex);
        }
    } else {
        NS_ABORT_MSG_IF(!m_remote4.empty(), "IPv4 remote EID space on a node without IPv4");
    }
    if (ipv6 && ipv6Tunnel) {
        const int32_t ifIndex = static_cast<int32_t>(ipv6->AddInterface(m_tunnel));
        ipv6->SetForwarding(ifIndex, true);
        ipv6->SetUp(ifIndex);
        Ptr<Ipv6StaticRouting> routing = FindStaticRouting(ipv6);
        NS_ABORT_MSG_IF(!m_remote6.empty() && !routing,
                        "LispXtr: node " << node->GetId() << " has no Ipv6StaticRouting");
        // Through a link-local next hop, the engine's end of the tunnel, as IPv6 routes
        // into a point-to-point tunnel usually are: ns-3 picks a route's source address on
        // its interface for the next hop, and the tunnel has only its link-local address.
        // Without a next hop it would look there for a global address toward the remote
        // EID (and assert, with ns-3's assertions on).
        const Ipv6Address engineEnd("fe80::1");
        for (const auto &space : m_remote6) {
            routing->AddNetworkRouteTo(space.first, space.second, engineEnd, ifIndex);
        }
    } else {
        NS_ABORT_MSG_IF(!m_remote6.empty(), "IPv6 remote EID space on a node without IPv6");
    }
}

bool LispXtr::TunnelSend(Ptr<Packet> packet, const Address &source, const Address &destination,
                         uint16_t protocol)
{
    (void)source;
    (void)destination;
    (void)protocol;
    if (!IsRunning() || !Engine()) {
        NS_LOG_LOGIC("node " << GetNode()->GetId() << ": xTR not running, EID packet dropped");
        return false;
    }
    InputEidPacket(packet);
    return true;
}

bool LispXtr::EngineDeliver(const uint8_t *packet, size_t len)
{
    if (len == 0) {
        return false;
    }
    const uint16_t protocol = (packet[0] >> 4) == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
    return m_tunnel->Receive(PacketOf(packet, len), protocol, m_tunnel->GetAddress(),
                             m_tunnel->GetAddress(), NetDevice::PACKET_HOST);
}

bool LispXtr::IsOwnDevice(Ptr<NetDevice> device) const
{
    return device == m_tunnel;
}

bool LispXtr::EngineForwardNative(const uint8_t *packet, size_t len)
{
    const unsigned version = len > 0 ? packet[0] >> 4 : 0;
    if (version == 4) {
        return ForwardNative4(packet, len);
    }
    if (version == 6) {
        return ForwardNative6(packet, len);
    }
    NS_LOG_WARN("node " << GetNode()->GetId()
                        << ": not an IP packet; native forwarding dropped it");
    return false;
}

/* Whether native forwarding has a route (its output device; nullptr for none) that does not
 * lead into the LISP tunnel: the destination would then be remote EID space, and going back
 * into the tunnel would loop. */
template <typename IpAddress>
bool LispXtr::NativeRouteUsable(Ptr<NetDevice> output, IpAddress destination) const
{
    if (!output) {
        NS_LOG_WARN("node " << GetNode()->GetId() << ": no native route to " << destination
                            << "; packet dropped");
        return false;
    }
    if (output == m_tunnel) {
        NS_LOG_WARN("node " << GetNode()->GetId() << ": native route to " << destination
                            << " leads into the LISP tunnel; packet dropped");
        return false;
    }
    return true;
}

/* IPv4: sent with its own header (TTL untouched) along the route looked up here. */
bool LispXtr::ForwardNative4(const uint8_t *packet, size_t len)
{
    Ptr<Ipv4L3Protocol> ipv4 = GetNode()->GetObject<Ipv4L3Protocol>();
    if (!ipv4) {
        NS_LOG_WARN("node " << GetNode()->GetId() << ": no IPv4 stack; packet dropped");
        return false;
    }
    Ptr<Packet> p = PacketOf(packet, len);
    Ipv4Header header;
    p->RemoveHeader(header);
    Socket::SocketErrno err = Socket::ERROR_NOTERROR;
    Ptr<Ipv4Route> route = ipv4->GetRoutingProtocol()->RouteOutput(p, header, nullptr, err);
    if (!NativeRouteUsable(route ? route->GetOutputDevice() : nullptr, header.GetDestination())) {
        return false;
    }
    ipv4->SendWithHeader(p, header, route);
    return true;
}

/*
 * IPv6: Ipv6L3Protocol has no SendWithHeader, so the packet enters the node's IPv6 stack as
 * if it had arrived on the tunnel (forwarding is enabled there), and the node forwards it as
 * a router: its own header, the hop limit decremented once, ICMPv6 errors from the stack.
 * The route is checked first, so that a route into the tunnel or none is the engine's
 * no-route drop rather than a loop or a silent drop inside the stack.
 */
bool LispXtr::ForwardNative6(const uint8_t *packet, size_t len)
{
    Ptr<Ipv6> ipv6 = GetNode()->GetObject<Ipv6>();
    if (!ipv6 || ipv6->GetInterfaceForDevice(m_tunnel) < 0) {
        NS_LOG_WARN("node " << GetNode()->GetId()
                            << ": no IPv6 on the LISP tunnel; IPv6 packet dropped");
        return false;
    }
    Ipv6Header header;
    if (len < header.GetSerializedSize()) { // the engine parsed it; never expected
        NS_LOG_WARN("node " << GetNode()->GetId() << ": truncated IPv6 packet dropped");
        return false;
    }
    Ptr<Packet> p = PacketOf(packet, len);
    p->PeekHeader(header);
    Socket::SocketErrno err = Socket::ERROR_NOTERROR;
    Ptr<Ipv6Route> route = ipv6->GetRoutingProtocol()->RouteOutput(nullptr, header, nullptr, err);
    if (!NativeRouteUsable(route ? route->GetOutputDevice() : nullptr, header.GetDestination())) {
        return false;
    }
    m_tunnel->Receive(p, ETHERTYPE_IPV6, m_tunnel->GetAddress(), m_tunnel->GetAddress(),
                      NetDevice::PACKET_HOST);
    return true;
}

/* ---- the engine ---- */

/* The interface of each RLOC, numbered as the host numbers them (NetDevice index + 1), so
 * that the node's interface events name the same locators; 0 when the node does not have
 * the address (yet). */
void LispXtr::ConfigureRlocInterfaces(lisp_xtr_config &cfg) const
{
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    Ptr<Ipv6> ipv6 = GetNode()->GetObject<Ipv6>();
    for (unsigned i = 0; i < cfg.n_rlocs; i++) {
        const lisp_mapcache_loc &rloc = cfg.rlocs[i];
        int32_t interface = -1;
        Ptr<NetDevice> device;
        if (rloc.afi == LISP_AFI_IPV4 && ipv4) {
            interface = ipv4->GetInterfaceForAddress(Ipv4Address::Deserialize(rloc.addr));
            device = interface >= 0 ? ipv4->GetNetDevice(interface) : nullptr;
        } else if (rloc.afi == LISP_AFI_IPV6 && ipv6) {
            interface = ipv6->GetInterfaceForAddress(Ipv6Address::Deserialize(rloc.addr));
            device = interface >= 0 ? ipv6->GetNetDevice(interface) : nullptr;
        }
        cfg.rloc_ifindex[i] = LispIfIndex(device);
    }
}

/* The I bit of our Map-Registers: xTR-ID and site-ID from the attributes. */
void LispXtr::ConfigureXtrId(lisp_xtr_config &cfg) const
{
    const uint32_t node = GetNode()->GetId();
    cfg.use_xtr_id = !m_xtrId.empty();
    if (!cfg.use_xtr_id) {
        if (m_siteId != 0) {
            NS_LOG_WARN("LispXtr on node " << node << ": SiteId is not sent without an XtrId");
        }
        return;
    }
    NS_ABORT_MSG_UNLESS(lisp_xtr_id_parse(m_xtrId.c_str(), cfg.xtr_id) == LISP_OK,
                        "LispXtr on node " << node << ": XtrId \"" << m_xtrId
                                           << "\" is not 32 hex digits (128 bits)");
    for (size_t i = 0; i < sizeof cfg.site_id; i++) { // network byte order
        cfg.site_id[i] = static_cast<uint8_t>(m_siteId >> (8 * (sizeof cfg.site_id - 1 - i)));
    }
}

void LispXtr::EngineRestarted(lisp_time_t now)
{
    lisp_xtr_start(Xtr(), now); // registers again at once
}

lisp_engine *LispXtr::CreateEngine(const lisp_host &host, lisp_time_t now)
{
    lisp_xtr_config cfg = m_config;
    cfg.register_interval = LispTimeFromNs3(m_registerInterval);
    cfg.want_map_notify = m_wantMapNotify;
    cfg.proxy_reply = m_proxyReply;
    ConfigureXtrId(cfg);
    cfg.mapping_ttl = LispTimeFromNs3(m_recordTtl);
    cfg.register_retry_timeout = LispTimeFromNs3(m_registerRetryTimeout);
    cfg.register_retries = m_registerRetries;
    cfg.mapcache_max_ttl = LispTimeFromNs3(m_mapCacheMaxTtl);
    cfg.fixed_data_port = m_fixedDataPort;
    ConfigureRlocInterfaces(cfg);
    cfg.miss_policy = static_cast<lisp_miss_policy>(m_missPolicy);
    cfg.queue_packets = m_queuePackets;
    cfg.max_pending = m_maxPending;
    cfg.request_timeout = LispTimeFromNs3(m_requestTimeout);
    cfg.request_retries = m_requestRetries;
    cfg.mapcache_max_entries = m_mapCacheMaxEntries;
    cfg.iid = m_instanceId;
    cfg.max_packet = m_maxPacket;
    cfg.pitr = m_pitr;
    cfg.petr = m_petr;

    // The role's create, as any host would: it creates and starts the engine.
    lisp_engine *engine = lisp_xtr_role.create(&cfg, &host, now);
    NS_ABORT_MSG_IF(!engine, "LispXtr on node "
                                 << GetNode()->GetId()
                                 << ": the xTR engine refused its configuration (an "
                                    "RLOC is needed with Map-Resolvers or Map-Servers; "
                                    "EID-prefixes must be canonical; key-id 1 or 2)");
    return engine;
}

} // namespace ns3
