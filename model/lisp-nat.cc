/*
 * lisp-nat.cc - the NAT engine on an ns-3 router (lisp-nat.h).
 */
#include "lisp-nat.h"

#include "lisp-time.h"

#include "ns3/boolean.h"
#include "ns3/buffer.h"
#include "ns3/enum.h"
#include "ns3/header.h"
#include "ns3/ipv4-route.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cstring>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LispNat");

NS_OBJECT_ENSURE_REGISTERED(LispNat);

/**
 * \ingroup lisp
 * The leading bytes of a packet that the NAT engine rewrote (an L4 header with new ports
 * and checksum, an ICMP error with its embedded header). LispNat replaces that many bytes
 * of a copy of the packet with this header, so the packet keeps its uid, tags and the rest
 * of its payload as a router's forwarding keeps them.
 */
class LispNatRewrittenBytes : public Header
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::LispNatRewrittenBytes")
                                .SetParent<Header>()
                                .SetGroupName("Lisp")
                                .AddConstructor<LispNatRewrittenBytes>();
        return tid;
    }

    LispNatRewrittenBytes() = default;

    LispNatRewrittenBytes(const uint8_t *bytes, size_t len) : m_bytes(bytes, bytes + len)
    {
    }

    TypeId GetInstanceTypeId() const override
    {
        return GetTypeId();
    }

    void Print(std::ostream &os) const override
    {
        os << m_bytes.size() << " bytes rewritten by the NAT";
    }

    uint32_t GetSerializedSize() const override
    {
        return static_cast<uint32_t>(m_bytes.size());
    }

    void Serialize(Buffer::Iterator start) const override
    {
        start.Write(m_bytes.data(), static_cast<uint32_t>(m_bytes.size()));
    }

    uint32_t Deserialize(Buffer::Iterator start) override
    {
        start.Read(m_bytes.data(), static_cast<uint32_t>(m_bytes.size()));
        return static_cast<uint32_t>(m_bytes.size());
    }

  private:
    std::vector<uint8_t> m_bytes;
};

NS_OBJECT_ENSURE_REGISTERED(LispNatRewrittenBytes);

namespace
{

Time DurationOf(lisp_time_t t)
{
    return NanoSeconds(static_cast<int64_t>(t));
}

std::string PresetNames()
{
    std::string names;
    for (size_t i = 0; lisp_nat_preset_at(i); i++) {
        names += (i ? ", " : "") + std::string(lisp_nat_preset_at(i));
    }
    return names;
}

} // namespace

TypeId LispNat::GetTypeId()
{
    static TypeId tid = [] {
        lisp_nat_config d; // the engine's defaults are the attributes' defaults
        lisp_nat_config_default(&d);
        auto behaviour = [] {
            return MakeEnumChecker(BEHAVIOUR_PRESET, "preset", ENDPOINT_INDEPENDENT,
                                   "endpoint-independent", ADDRESS_DEPENDENT, "address-dependent",
                                   ADDRESS_PORT_DEPENDENT, "address-port-dependent");
        };
        TypeId t =
            TypeId("ns3::LispNat")
                .SetParent<Ipv4RoutingProtocol>()
                .SetGroupName("Lisp")
                .AddConstructor<LispNat>()
                .AddAttribute("Preset",
                              "A named preset of the NAT engine (" + PresetNames() +
                                  "); empty: the engine's defaults. The behaviour attributes "
                                  "left at \"preset\" take the preset's values.",
                              StringValue(""), MakeStringAccessor(&LispNat::m_preset),
                              MakeStringChecker())
                .AddAttribute("Mapping",
                              "Mapping behaviour (RFC 4787 section 4.1): which remote "
                              "endpoints share one external address and port.",
                              EnumValue(BEHAVIOUR_PRESET),
                              LispMakeEnumAccessor<Behaviour>(&LispNat::m_mapping), behaviour())
                .AddAttribute("Filtering",
                              "Filtering behaviour (RFC 4787 section 5): which remote "
                              "endpoints may send in through a mapping.",
                              EnumValue(BEHAVIOUR_PRESET),
                              LispMakeEnumAccessor<Behaviour>(&LispNat::m_filtering), behaviour())
                .AddAttribute("PortPolicy",
                              "External port of a new mapping (RFC 4787 section 4.2).",
                              EnumValue(PORT_PRESET),
                              LispMakeEnumAccessor<PortPolicy>(&LispNat::m_portPolicy),
                              MakeEnumChecker(PORT_PRESET, "preset", PORT_PRESERVE, "preserve",
                                              PORT_SEQUENTIAL, "sequential", PORT_RANDOM, "random"))
                .AddAttribute("Pooling",
                              "Public address of a new mapping when the NAT has several "
                              "(RFC 4787 REQ-2).",
                              EnumValue(POOLING_PRESET),
                              LispMakeEnumAccessor<Pooling>(&LispNat::m_pooling),
                              MakeEnumChecker(POOLING_PRESET, "preset", POOLING_PAIRED, "paired",
                                              POOLING_ARBITRARY, "arbitrary"))
                .AddAttribute("PortMin", "Lowest external port (and ICMP identifier).",
                              UintegerValue(d.port_min), MakeUintegerAccessor(&LispNat::m_portMin),
                              MakeUintegerChecker<uint16_t>(1))
                .AddAttribute("PortMax", "Highest external port (and ICMP identifier).",
                              UintegerValue(d.port_max), MakeUintegerAccessor(&LispNat::m_portMax),
                              MakeUintegerChecker<uint16_t>(1))
                .AddAttribute("UdpTimeout",
                              "Lifetime of an idle UDP mapping (RFC 4787 REQ-5: at least "
                              "2 min, 5 min recommended).",
                              TimeValue(DurationOf(d.udp_timeout)),
                              MakeTimeAccessor(&LispNat::m_udpTimeout), MakeTimeChecker(Seconds(0)))
                .AddAttribute("TcpEstablishedTimeout",
                              "Lifetime of an idle established TCP mapping (RFC 5382 REQ-5).",
                              TimeValue(DurationOf(d.tcp_established_timeout)),
                              MakeTimeAccessor(&LispNat::m_tcpEstablishedTimeout),
                              MakeTimeChecker(Seconds(0)))
                .AddAttribute("TcpTransitoryTimeout",
                              "Lifetime of a TCP mapping in a transitory state (SYN or "
                              "FIN/RST seen; RFC 5382 REQ-5).",
                              TimeValue(DurationOf(d.tcp_transitory_timeout)),
                              MakeTimeAccessor(&LispNat::m_tcpTransitoryTimeout),
                              MakeTimeChecker(Seconds(0)))
                .AddAttribute(
                    "IcmpTimeout", "Lifetime of an idle ICMP query mapping (RFC 5508 REQ-1).",
                    TimeValue(DurationOf(d.icmp_timeout)),
                    MakeTimeAccessor(&LispNat::m_icmpTimeout), MakeTimeChecker(Seconds(0)))
                .AddAttribute("InboundRefresh",
                              "Inbound packets refresh a mapping too (RFC 4787 REQ-6 allows "
                              "either).",
                              BooleanValue(d.inbound_refresh),
                              MakeBooleanAccessor(&LispNat::m_inboundRefresh), MakeBooleanChecker())
                .AddAttribute("Hairpinning",
                              "Packets from the inside to a public mapping of the NAT are "
                              "sent back in, with the external source (RFC 4787 REQ-9).",
                              BooleanValue(d.hairpinning),
                              MakeBooleanAccessor(&LispNat::m_hairpinning), MakeBooleanChecker())
                .AddAttribute("MaxMappings",
                              "Mappings the table holds; when full, new flows are refused "
                              "(counted, traced as nat-table-full).",
                              UintegerValue(d.max_mappings),
                              MakeUintegerAccessor(&LispNat::m_maxMappings),
                              MakeUintegerChecker<uint32_t>(1));
        LispTraceSources::AddTo(t, &LispTraceSources::Find<LispNat, &LispNat::m_traces>,
                                {LISP_TRACE_NAT_MAPPING_CREATED, LISP_TRACE_NAT_MAPPING_REFRESHED,
                                 LISP_TRACE_NAT_MAPPING_EXPIRED, LISP_TRACE_INTERNAL_ERROR});
        return t;
    }();
    return tid;
}

LispNat::LispNat()
    : m_mapping(BEHAVIOUR_PRESET), m_filtering(BEHAVIOUR_PRESET), m_portPolicy(PORT_PRESET),
      m_pooling(POOLING_PRESET), m_portMin(1024), m_portMax(65535), m_inboundRefresh(false),
      m_hairpinning(true), m_maxMappings(1), m_inside(0), m_outside(0), m_nat(nullptr),
      m_armedFor(LISP_TIME_NEVER)
{
    NS_LOG_FUNCTION(this);
    m_rng = CreateObject<UniformRandomVariable>();
}

LispNat::~LispNat()
{
    NS_LOG_FUNCTION(this);
    if (m_nat) {
        lisp_engine_free(lisp_nat_engine(m_nat));
    }
}

void LispNat::Configure(uint32_t insideInterface, uint32_t outsideInterface,
                        Ptr<Ipv4RoutingProtocol> wrapped)
{
    NS_LOG_FUNCTION(this << insideInterface << outsideInterface << wrapped);
    NS_ABORT_MSG_UNLESS(wrapped, "LispNat: no routing protocol to wrap");
    NS_ABORT_MSG_IF(insideInterface == outsideInterface,
                    "LispNat: the inside and outside interfaces are the same (" << insideInterface
                                                                                << ")");
    m_inside = insideInterface;
    m_outside = outsideInterface;
    m_wrapped = wrapped;
}

void LispNat::AddPublicAddress(Ipv4Address address)
{
    NS_ABORT_MSG_IF(m_nat, "LispNat: public addresses are set before the NAT starts");
    NS_ABORT_MSG_IF(m_public.size() >= LISP_NAT_MAX_PUBLIC,
                    "LispNat: at most " << LISP_NAT_MAX_PUBLIC << " public addresses");
    m_public.push_back(address);
}

Ptr<Ipv4RoutingProtocol> LispNat::GetWrappedRoutingProtocol() const
{
    return m_wrapped;
}

int64_t LispNat::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_rng->SetStream(stream);
    return 1;
}

std::vector<lisp_stat> LispNat::GetCounters() const
{
    if (!m_nat) {
        return {};
    }
    const lisp_engine *e = lisp_nat_engine(m_nat);
    std::vector<lisp_stat> stats(lisp_engine_stats(e, nullptr, 0));
    stats.resize(lisp_engine_stats(e, stats.data(), stats.size()));
    return stats;
}

const lisp_nat_stats *LispNat::GetStats() const
{
    return m_nat ? lisp_nat_get_stats(m_nat) : nullptr;
}

std::vector<lisp_nat_mapping_info> LispNat::GetMappings() const
{
    std::vector<lisp_nat_mapping_info> mappings;
    const size_t n = m_nat ? lisp_nat_mapping_count(m_nat) : 0;
    for (size_t i = 0; i < n; i++) {
        lisp_nat_mapping_info info;
        if (lisp_nat_mapping_at(m_nat, i, &info)) {
            mappings.push_back(info);
        }
    }
    return mappings;
}

std::vector<Ipv4Address> LispNat::GetPublicAddresses() const
{
    return m_public;
}

/* ---- starting and stopping ---- */

lisp_nat_config LispNat::MakeConfig() const
{
    lisp_nat_config cfg;
    lisp_nat_config_default(&cfg);
    if (!m_preset.empty()) {
        NS_ABORT_MSG_IF(lisp_nat_preset(&cfg, m_preset.c_str()) != LISP_OK,
                        "LispNat: unknown preset \"" << m_preset << "\"; known: " << PresetNames());
    }
    if (m_mapping != BEHAVIOUR_PRESET) {
        cfg.mapping = static_cast<uint8_t>(m_mapping);
    }
    if (m_filtering != BEHAVIOUR_PRESET) {
        cfg.filtering = static_cast<uint8_t>(m_filtering);
    }
    if (m_portPolicy != PORT_PRESET) {
        cfg.port_policy = static_cast<uint8_t>(m_portPolicy);
    }
    if (m_pooling != POOLING_PRESET) {
        cfg.pooling = static_cast<uint8_t>(m_pooling);
    }
    cfg.port_min = m_portMin;
    cfg.port_max = m_portMax;
    cfg.udp_timeout = LispTimeFromNs3(m_udpTimeout);
    cfg.tcp_established_timeout = LispTimeFromNs3(m_tcpEstablishedTimeout);
    cfg.tcp_transitory_timeout = LispTimeFromNs3(m_tcpTransitoryTimeout);
    cfg.icmp_timeout = LispTimeFromNs3(m_icmpTimeout);
    cfg.inbound_refresh = m_inboundRefresh;
    cfg.hairpinning = m_hairpinning;
    cfg.max_mappings = m_maxMappings;
    cfg.n_public = static_cast<uint8_t>(m_public.size());
    for (size_t i = 0; i < m_public.size(); i++) {
        m_public[i].Serialize(cfg.public_addrs[i]);
    }
    return cfg;
}

void LispNat::Start()
{
    if (m_nat) {
        return;
    }
    NS_ABORT_MSG_UNLESS(m_ipv4 && m_wrapped, "LispNat: not installed (see LispNatHelper)");
    if (m_public.empty()) {
        NS_ABORT_MSG_UNLESS(m_ipv4->GetNAddresses(m_outside) > 0,
                            "LispNat on node " << m_ipv4->GetObject<Node>()->GetId()
                                               << ": the outside interface " << m_outside
                                               << " has no address to use as public address");
        m_public.push_back(m_ipv4->GetAddress(m_outside, 0).GetLocal());
    }
    const lisp_nat_config cfg = MakeConfig();
    lisp_host host;
    std::memset(&host, 0, sizeof host);
    host.env.user_data = this;
    host.env.random = &LispNat::HostRandom;
    host.env.trace = &LispNat::HostTrace;
    host.env.log = &LispNat::HostLog;
    m_nat = lisp_nat_new(&cfg, &host, LispTimeFromNs3(Simulator::Now()));
    NS_ABORT_MSG_UNLESS(m_nat, "LispNat on node "
                                   << m_ipv4->GetObject<Node>()->GetId()
                                   << ": the NAT engine refused its configuration (port range "
                                   << m_portMin << "-" << m_portMax << ")");
    Rearm();
}

void LispNat::DoInitialize()
{
    NS_LOG_FUNCTION(this);
    if (m_wrapped) {
        m_wrapped->Initialize();
    }
    Start();
    Ipv4RoutingProtocol::DoInitialize();
}

void LispNat::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_timer.Cancel();
    m_armedFor = LISP_TIME_NEVER;
    if (m_nat) {
        lisp_engine_free(lisp_nat_engine(m_nat));
        m_nat = nullptr;
    }
    if (m_wrapped) {
        m_wrapped->Dispose();
    }
    m_wrapped = nullptr;
    m_ipv4 = nullptr;
    m_rng = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

/* ---- the routing protocol ---- */

Ptr<Ipv4Route> LispNat::RouteOutput(Ptr<Packet> p, const Ipv4Header &header, Ptr<NetDevice> oif,
                                    Socket::SocketErrno &sockerr)
{
    // The router's own packets are not translated (as Linux's SNAT of forwarded traffic).
    return m_wrapped->RouteOutput(p, header, oif, sockerr);
}

bool LispNat::RouteInput(Ptr<const Packet> p, const Ipv4Header &header, Ptr<const NetDevice> idev,
                         LISP_NS3_ROUTE_INPUT_CALLBACK(UnicastForwardCallback) ucb,
                         LISP_NS3_ROUTE_INPUT_CALLBACK(MulticastForwardCallback) mcb,
                         LISP_NS3_ROUTE_INPUT_CALLBACK(LocalDeliverCallback) lcb,
                         LISP_NS3_ROUTE_INPUT_CALLBACK(ErrorCallback) ecb)
{
    Start();
    const int32_t iif = m_ipv4->GetInterfaceForDevice(idev);
    const bool fromOutside = iif >= 0 && static_cast<uint32_t>(iif) == m_outside;
    const bool fromInside = iif >= 0 && static_cast<uint32_t>(iif) == m_inside;

    if (fromOutside || (fromInside && IsPublicAddress(header.GetDestination()))) {
        // Inbound, or from the inside to a public address (hairpinning, or the router).
        Ipv4Header rewritten = header;
        Ptr<const Packet> packet = p;
        switch (Translate(fromInside, rewritten, packet)) {
        case LISP_NAT_FORWARD:
        case LISP_NAT_HAIRPIN:
            return m_wrapped->RouteInput(packet, rewritten, idev, ucb, mcb, lcb, ecb);
        case LISP_NAT_PASS:
            return m_wrapped->RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
        default:
            return true; // dropped: the engine counted and traced it
        }
    }
    if (!fromInside) {
        return m_wrapped->RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
    }

    // From the inside: translated when the wrapped protocol forwards it out of the outside
    // interface (as Linux's SNAT in POSTROUTING).
    Ptr<NetDevice> outside = m_ipv4->GetNetDevice(m_outside);
    UnicastForwardCallback translateOut(
        [this, outside, ucb](Ptr<Ipv4Route> route, Ptr<const Packet> packet, const Ipv4Header &h) {
            if (route->GetOutputDevice() != outside) {
                ucb(route, packet, h);
                return;
            }
            Ipv4Header rewritten = h;
            Ptr<const Packet> translated = packet;
            switch (Translate(true, rewritten, translated)) {
            case LISP_NAT_FORWARD:
                ucb(route, translated, rewritten);
                break;
            case LISP_NAT_PASS:
                ucb(route, packet, h);
                break;
            default:
                break; // dropped (HAIRPIN needs a public destination, handled above)
            }
        });
    return m_wrapped->RouteInput(p, header, idev, translateOut, mcb, lcb, ecb);
}

bool LispNat::IsPublicAddress(Ipv4Address address) const
{
    for (const Ipv4Address &a : m_public) {
        if (a == address) {
            return true;
        }
    }
    return false;
}

int LispNat::Translate(bool outbound, Ipv4Header &header, Ptr<const Packet> &p)
{
    // The IPv4 packet as bytes: ns-3 keeps the header apart from the packet.
    Ipv4Header h = header;
    h.EnableChecksum(); // the engine updates the header checksum; give it a right one
    const uint32_t hlen = h.GetSerializedSize();
    const uint32_t plen = p->GetSize();
    Buffer headerBuf;
    headerBuf.AddAtStart(hlen);
    h.Serialize(headerBuf.Begin());
    m_bytes.resize(hlen + 2 * static_cast<size_t>(plen));
    headerBuf.CopyData(m_bytes.data(), hlen);
    p->CopyData(m_bytes.data() + hlen, plen);
    // The payload as it came, after the packet, to find what the engine rewrote.
    std::memcpy(m_bytes.data() + hlen + plen, m_bytes.data() + hlen, plen);
    RepairNs3UdpChecksum(header, m_bytes.data() + hlen, plen);

    const lisp_time_t now = LispTimeFromNs3(Simulator::Now());
    const int verdict = outbound ? lisp_nat_outbound(m_nat, now, m_bytes.data(), hlen + plen)
                                 : lisp_nat_inbound(m_nat, now, m_bytes.data(), hlen + plen);
    Rearm();
    NS_LOG_LOGIC((outbound ? "outbound " : "inbound ")
                 << header.GetSource() << " > " << header.GetDestination() << ": verdict "
                 << verdict);
    if (verdict != LISP_NAT_FORWARD && verdict != LISP_NAT_HAIRPIN) {
        return verdict;
    }

    headerBuf.Begin().Write(m_bytes.data(), hlen);
    Ipv4Header rewritten;
    if (Node::ChecksumEnabled()) {
        rewritten.EnableChecksum(); // as Ipv4L3Protocol::Receive does
    }
    rewritten.Deserialize(headerBuf.Begin());
    header = rewritten;

    // Replace the leading bytes up to the last one the engine changed.
    const uint8_t *now_ = m_bytes.data() + hlen;
    const uint8_t *before = now_ + plen;
    uint32_t changed = plen;
    while (changed > 0 && now_[changed - 1] == before[changed - 1]) {
        changed--;
    }
    if (changed > 0) {
        Ptr<Packet> copy = p->Copy();
        copy->RemoveAtStart(changed);
        copy->AddHeader(LispNatRewrittenBytes(now_, changed));
        p = copy;
    }
    return verdict;
}

void LispNat::RepairNs3UdpChecksum(const Ipv4Header &header, uint8_t *l4, uint32_t len)
{
    // ns-3's UDP writes a computed checksum of zero as 0x0000, where RFC 768 sends 0xffff
    // (0x0000 means "no checksum"), and its receiver verifies 0x0000 like any checksum.
    // The engine rightly leaves a "no checksum" zero alone while it rewrites the pseudo-
    // header, and the receiving ns-3 UDP then drops the datagram (about one in 65,536).
    // With ChecksumEnabled every ns-3 UDP datagram carries a computed checksum, so a zero
    // is that quirk: write it as RFC 768 does (the same value in one's complement).
    if (Node::ChecksumEnabled() && header.GetProtocol() == 17 && header.GetFragmentOffset() == 0 &&
        len >= 8 && l4[6] == 0 && l4[7] == 0) {
        l4[6] = 0xff;
        l4[7] = 0xff;
    }
}

void LispNat::NotifyInterfaceUp(uint32_t interface)
{
    m_wrapped->NotifyInterfaceUp(interface);
}

void LispNat::NotifyInterfaceDown(uint32_t interface)
{
    m_wrapped->NotifyInterfaceDown(interface);
}

void LispNat::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_wrapped->NotifyAddAddress(interface, address);
}

void LispNat::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_wrapped->NotifyRemoveAddress(interface, address);
}

void LispNat::SetIpv4(Ptr<Ipv4> ipv4)
{
    // The wrapped protocol is already bound to this Ipv4 (Configure); Ipv4ListRouting
    // refuses a second SetIpv4.
    NS_LOG_FUNCTION(this << ipv4);
    m_ipv4 = ipv4;
}

void LispNat::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    std::ostream &os = *stream->GetStream();
    os << "LispNat: inside interface " << m_inside << ", outside interface " << m_outside << ", "
       << (m_nat ? lisp_nat_mapping_count(m_nat) : 0) << " mappings; wraps:\n";
    m_wrapped->PrintRoutingTable(stream, unit);
}

/* ---- timers ---- */

void LispNat::Rearm()
{
    const lisp_time_t next =
        m_nat ? lisp_engine_next_expiry(lisp_nat_engine(m_nat)) : LISP_TIME_NEVER;
    if (next == m_armedFor) {
        return; // most packets leave the deadline where it was
    }
    m_timer.Cancel();
    m_armedFor = LISP_TIME_NEVER;
    if (next == LISP_TIME_NEVER) {
        return;
    }
    const Time at = LispTimeToNs3(next); // rounded up: never before the deadline
    const Time now = Simulator::Now();
    m_timer = Simulator::Schedule(at > now ? at - now : Time(0), &LispNat::Expire, this);
    m_armedFor = next;
}

void LispNat::Expire()
{
    m_armedFor = LISP_TIME_NEVER; // this event has run
    if (m_nat) {
        lisp_engine_handle_expiry(lisp_nat_engine(m_nat), LispTimeFromNs3(Simulator::Now()));
    }
    Rearm();
}

/* ---- the host contract: user_data is this NAT ---- */

uint64_t LispNat::HostRandom(void *user)
{
    Ptr<UniformRandomVariable> rng = static_cast<LispNat *>(user)->m_rng;
    const uint64_t high = rng->GetInteger(0, UINT32_MAX);
    const uint64_t low = rng->GetInteger(0, UINT32_MAX);
    return (high << 32) | low;
}

void LispNat::HostTrace(void *user, const lisp_trace *event)
{
    LispNat *nat = static_cast<LispNat *>(user);
    NS_LOG_DEBUG(
        "node " << nat->m_ipv4->GetObject<Node>()->GetId() << ": "
                << lisp_trace_kind_name(event->kind) << (event->kind == LISP_TRACE_DROP ? " " : "")
                << (event->kind == LISP_TRACE_DROP ? lisp_drop_reason_name(event->reason) : ""));
    nat->m_traces.Fire(*event);
}

void LispNat::HostLog(void *user, int level, const char *message)
{
    const uint32_t node = static_cast<LispNat *>(user)->m_ipv4->GetObject<Node>()->GetId();
    switch (level) {
    case LISP_LOG_DEBUG:
        NS_LOG_DEBUG("node " << node << ": " << message);
        break;
    case LISP_LOG_INFO:
        NS_LOG_INFO("node " << node << ": " << message);
        break;
    case LISP_LOG_WARN:
        NS_LOG_WARN("node " << node << ": " << message);
        break;
    default:
        NS_LOG_ERROR("node " << node << ": " << message);
        break;
    }
}

} // namespace ns3
