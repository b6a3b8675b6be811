/*
 * lisp-engine-app.cc - the common part of the LISP role applications (lisp-engine-app.h).
 */
#include "lisp-engine-app.h"

#include "lisp-data-header.h"
#include "lisp-time.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-end-point.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-end-point.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-interface.h"
#include "ns3/ipv6-route.h"
#include "ns3/ipv6-routing-protocol.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/udp-l4-protocol.h"

#include <cstring>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LispEngineApp");

NS_OBJECT_ENSURE_REGISTERED(LispEngineApp);

/* ---------------------------------------------------------------------------------------- */
/* Conversions                                                                              */
/* ---------------------------------------------------------------------------------------- */

namespace
{

void ClearHostBits(lisp_eid &eid)
{
    const unsigned bits = eid.afi == LISP_AFI_IPV4 ? 32 : 128;
    for (unsigned i = eid.mask_len; i < bits; i++) {
        eid.addr[i / 8] &= static_cast<uint8_t>(~(0x80u >> (i % 8)));
    }
}

Ipv4Address Ipv4Of(const uint8_t *addr)
{
    return Ipv4Address::Deserialize(addr);
}

Ipv6Address Ipv6Of(const uint8_t *addr)
{
    return Ipv6Address::Deserialize(addr);
}

} // namespace

lisp_eid LispEidFromIpv4(Ipv4Address network, Ipv4Mask mask, uint32_t iid)
{
    lisp_eid eid;
    std::memset(&eid, 0, sizeof eid);
    eid.iid = iid;
    eid.afi = LISP_AFI_IPV4;
    eid.mask_len = static_cast<uint8_t>(mask.GetPrefixLength());
    network.Serialize(eid.addr);
    ClearHostBits(eid);
    return eid;
}

lisp_eid LispEidFromIpv6(Ipv6Address network, Ipv6Prefix prefix, uint32_t iid)
{
    lisp_eid eid;
    std::memset(&eid, 0, sizeof eid);
    eid.iid = iid;
    eid.afi = LISP_AFI_IPV6;
    eid.mask_len = prefix.GetPrefixLength();
    network.Serialize(eid.addr);
    ClearHostBits(eid);
    return eid;
}

std::string LispEidToString(const lisp_eid &eid)
{
    std::ostringstream os;
    if (eid.iid != 0) {
        os << "[" << eid.iid << "]";
    }
    if (eid.afi == LISP_AFI_IPV4) {
        os << Ipv4Of(eid.addr);
    } else if (eid.afi == LISP_AFI_IPV6) {
        os << Ipv6Of(eid.addr);
    } else {
        return "none";
    }
    os << "/" << unsigned{eid.mask_len};
    return os.str();
}

lisp_endpoint LispEndpointFromAddress(const Address &address, uint16_t port)
{
    lisp_endpoint e;
    std::memset(&e, 0, sizeof e);
    e.port = port;
    if (Ipv4Address::IsMatchingType(address)) {
        e.afi = LISP_AFI_IPV4;
        Ipv4Address::ConvertFrom(address).Serialize(e.addr);
    } else if (Ipv6Address::IsMatchingType(address)) {
        e.afi = LISP_AFI_IPV6;
        Ipv6Address::ConvertFrom(address).Serialize(e.addr);
    } else if (InetSocketAddress::IsMatchingType(address)) {
        const InetSocketAddress a = InetSocketAddress::ConvertFrom(address);
        e.afi = LISP_AFI_IPV4;
        e.port = a.GetPort();
        a.GetIpv4().Serialize(e.addr);
    } else if (Inet6SocketAddress::IsMatchingType(address)) {
        const Inet6SocketAddress a = Inet6SocketAddress::ConvertFrom(address);
        e.afi = LISP_AFI_IPV6;
        e.port = a.GetPort();
        a.GetIpv6().Serialize(e.addr);
    }
    return e;
}

Address LispEndpointIp(const lisp_endpoint &endpoint)
{
    if (endpoint.afi == LISP_AFI_IPV4) {
        return Ipv4Of(endpoint.addr);
    }
    if (endpoint.afi == LISP_AFI_IPV6) {
        return Ipv6Of(endpoint.addr);
    }
    return Address();
}

std::string LispEndpointToString(const lisp_endpoint &endpoint)
{
    char buf[64];
    return lisp_endpoint_to_str(&endpoint, buf, sizeof buf);
}

/* ---------------------------------------------------------------------------------------- */
/* The application                                                                          */
/* ---------------------------------------------------------------------------------------- */

TypeId LispEngineApp::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LispEngineApp")
            .SetParent<Application>()
            .SetGroupName("Lisp")
            .AddAttribute("EnableIpv4",
                          "Listen on the LISP UDP ports for IPv4 (on nodes with an IPv4 stack).",
                          BooleanValue(true), MakeBooleanAccessor(&LispEngineApp::m_enableIpv4),
                          MakeBooleanChecker())
            .AddAttribute("EnableIpv6",
                          "Listen on the LISP UDP ports for IPv6 (on nodes with an IPv6 stack).",
                          BooleanValue(true), MakeBooleanAccessor(&LispEngineApp::m_enableIpv6),
                          MakeBooleanChecker())
            .AddTraceSource("LispTrace", "Every typed event of every engine of the application.",
                            MakeTraceSourceAccessor(&LispEngineApp::m_rawTrace),
                            "ns3::LispEngineApp::RawTraceCallback")
            .AddTraceSource("MapCacheInsert",
                            "A Map-Reply record entered the map-cache (count: locators).",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapCacheInsertTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapCacheExpire", "A map-cache entry's TTL ran out.",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapCacheExpireTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapRequestSent", "A Map-Request left (count: attempt).",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapRequestSentTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapRequestReceived",
                            "A Map-Request arrived (peer: the ITR-RLOC to answer).",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapRequestReceivedTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapRequestForwarded",
                            "A Map-Request went on to a Map-Server or an ETR.",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapRequestForwardedTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapReplySent", "A Map-Reply left (count: locators).",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapReplySentTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapReplyReceived", "A Map-Reply answered one of our Map-Requests.",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapReplyReceivedTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapRegisterSent", "A Map-Register left (count: records).",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapRegisterSentTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapRegisterAccepted",
                            "A Map-Server registered or refreshed an EID-prefix.",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapRegisterAcceptedTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapNotifySent", "A Map-Server acknowledged a Map-Register.",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapNotifySentTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("MapNotifyReceived",
                            "A Map-Notify acknowledged our latest Map-Register.",
                            MakeTraceSourceAccessor(&LispEngineApp::m_mapNotifyReceivedTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("RegistrationExpired",
                            "A Map-Server's registration of an EID-prefix timed out.",
                            MakeTraceSourceAccessor(&LispEngineApp::m_registrationExpiredTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("Encapsulated",
                            "An EID packet left encapsulated (peer: the RLOC; count: bytes).",
                            MakeTraceSourceAccessor(&LispEngineApp::m_encapsulatedTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("Decapsulated",
                            "A LISP data packet was decapsulated (count: inner bytes).",
                            MakeTraceSourceAccessor(&LispEngineApp::m_decapsulatedTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("ForwardedNatively", "An EID packet left without encapsulation.",
                            MakeTraceSourceAccessor(&LispEngineApp::m_forwardedNativelyTrace),
                            "ns3::LispEngineApp::EventTraceCallback")
            .AddTraceSource("Drop",
                            "An engine dropped a packet or message; the reason comes first "
                            "(\"map-cache-miss\", \"auth-failed\", ...).",
                            MakeTraceSourceAccessor(&LispEngineApp::m_dropTrace),
                            "ns3::LispEngineApp::DropTraceCallback");
    return tid;
}

LispEngineApp::LispEngineApp()
    : m_enableIpv4(true), m_enableIpv6(true), m_running(false), m_armedFor(LISP_TIME_NEVER),
      m_depth(0)
{
    NS_LOG_FUNCTION(this);
    m_ioContext[XTR] = {this, XTR};
    m_ioContext[MAP_SERVER] = {this, MAP_SERVER};
    m_ioContext[MAP_RESOLVER] = {this, MAP_RESOLVER};
    m_rng = CreateObject<UniformRandomVariable>();
}

LispEngineApp::~LispEngineApp()
{
    NS_LOG_FUNCTION(this);
}

int64_t LispEngineApp::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_rng->SetStream(stream);
    return 1;
}

const char *LispEngineApp::EngineName(Engine engine)
{
    switch (engine) {
    case XTR:
        return "xtr";
    case MAP_SERVER:
        return "map-server";
    case MAP_RESOLVER:
        return "map-resolver";
    }
    return "unknown";
}

void LispEngineApp::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    CloseEndpoints();
    CancelTimer();
    m_pending.clear();
    m_rng = nullptr;
    m_udp = nullptr;
    Application::DoDispose();
}

bool LispEngineApp::IsRunning() const
{
    return m_running;
}

lisp_time_t LispEngineApp::EngineNow()
{
    return LispTimeFromNs3(Simulator::Now());
}

void LispEngineApp::StartApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = true;
    OpenEndpoints();
    CallEngine([this] { EngineStart(EngineNow()); });
}

void LispEngineApp::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    CloseEndpoints();
    CancelTimer();
    m_pending.clear();
}

void LispEngineApp::OpenEndpoints()
{
    Ptr<Node> node = GetNode();
    m_udp = node->GetObject<UdpL4Protocol>();
    if (!m_udp) {
        return; // no Internet stack: nothing to listen on, nothing to send with
    }
    std::vector<uint16_t> ports{LISP_CONTROL_PORT};
    if (UsesDataPort()) {
        ports.push_back(LISP_DATA_PORT);
    }
    for (const uint16_t port : ports) {
        if (m_enableIpv4 && node->GetObject<Ipv4>()) {
            m_endpoints4.push_back(
                Listen(m_udp->Allocate(nullptr, port), port, "IPv4", &LispEngineApp::Receive4));
        }
        if (m_enableIpv6 && node->GetObject<Ipv6>()) {
            m_endpoints6.push_back(
                Listen(m_udp->Allocate6(nullptr, port), port, "IPv6", &LispEngineApp::Receive6));
        }
    }
}

template <typename EndPoint, typename Handler>
EndPoint *LispEngineApp::Listen(EndPoint *endpoint, uint16_t port, const char *family,
                                Handler receive)
{
    NS_ABORT_MSG_UNLESS(endpoint, "node " << GetNode()->GetId() << ": UDP port " << port << " ("
                                          << family
                                          << ") is taken; is another LISP application on "
                                             "this node?");
    endpoint->SetRxCallback(MakeCallback(receive, this, port));
    endpoint->SetDestroyCallback(MakeCallback(&LispEngineApp::ForgetEndpoints, this));
    return endpoint;
}

void LispEngineApp::CloseEndpoints()
{
    for (Ipv4EndPoint *endpoint : m_endpoints4) {
        endpoint->SetDestroyCallback(MakeNullCallback<void>());
        m_udp->DeAllocate(endpoint);
    }
    for (Ipv6EndPoint *endpoint : m_endpoints6) {
        endpoint->SetDestroyCallback(MakeNullCallback<void>());
        m_udp->DeAllocate(endpoint);
    }
    ForgetEndpoints();
}

void LispEngineApp::ForgetEndpoints()
{
    // The UDP protocol deletes its endpoints when it is disposed, which may come first.
    m_endpoints4.clear();
    m_endpoints6.clear();
}

void LispEngineApp::Receive4(uint16_t port, Ptr<Packet> packet, Ipv4Header header,
                             uint16_t sport, Ptr<Ipv4Interface> incoming)
{
    (void)incoming;
    Receive(LispEndpointFromAddress(header.GetSource(), sport),
            LispEndpointFromAddress(header.GetDestination(), port), packet);
}

void LispEngineApp::Receive6(uint16_t port, Ptr<Packet> packet, Ipv6Header header,
                             uint16_t sport, Ptr<Ipv6Interface> incoming)
{
    (void)incoming;
    Receive(LispEndpointFromAddress(header.GetSource(), sport),
            LispEndpointFromAddress(header.GetDestination(), port), packet);
}

void LispEngineApp::Receive(const lisp_endpoint &src, const lisp_endpoint &dst,
                            Ptr<Packet> packet)
{
    if (!m_running) {
        return;
    }
    NS_LOG_LOGIC("node " << GetNode()->GetId() << ": " << packet->GetSize() << " bytes from "
                         << LispEndpointToString(src) << " to " << LispEndpointToString(dst));
    CallEngineOnBytes(packet, [this, src, dst](const uint8_t *payload, size_t len) {
        EngineHandleUdp(EngineNow(), src, dst, payload, len);
    });
}

void LispEngineApp::CallEngine(std::function<void()> call)
{
    if (m_depth > 0) {
        m_pending.push_back(std::move(call));
        return;
    }
    EnterEngine();
    call();
    LeaveEngine();
}

void LispEngineApp::EnterEngine()
{
    m_depth++;
}

void LispEngineApp::LeaveEngine()
{
    while (!m_pending.empty()) {
        std::function<void()> next = std::move(m_pending.front());
        m_pending.pop_front();
        next();
    }
    m_depth--;
    Rearm();
}

void LispEngineApp::Rearm()
{
    const lisp_time_t next = m_running ? EngineNextExpiry() : LISP_TIME_NEVER;
    // Most engine calls (every data packet) leave the deadline where it was: keep the
    // scheduled event then, without asking the scheduler about it.
    if (next == m_armedFor) {
        return;
    }
    CancelTimer();
    if (next == LISP_TIME_NEVER) {
        return;
    }
    const Time at = LispTimeToNs3(next);
    const Time now = Simulator::Now();
    m_timer = Simulator::Schedule(at > now ? at - now : Time(0), &LispEngineApp::Expire, this);
    m_armedFor = next;
}

void LispEngineApp::CancelTimer()
{
    m_timer.Cancel();
    m_armedFor = LISP_TIME_NEVER;
}

void LispEngineApp::Expire()
{
    NS_LOG_FUNCTION(this);
    m_armedFor = LISP_TIME_NEVER; // this event has run
    CallEngine([this] { EngineHandleExpiry(EngineNow()); });
}

void LispEngineApp::EngineDeliver(const uint8_t *packet, size_t len)
{
    (void)packet;
    NS_LOG_WARN("node " << GetNode()->GetId() << ": no EID side, " << len << " bytes dropped");
}

bool LispEngineApp::EngineForwardNative(const uint8_t *packet, size_t len)
{
    (void)packet;
    NS_LOG_WARN("node " << GetNode()->GetId() << ": cannot forward natively, " << len
                        << " bytes dropped");
    return false;
}

lisp_io LispEngineApp::MakeIo(Engine engine, bool withDeliver, bool withForwardNative)
{
    lisp_io io;
    std::memset(&io, 0, sizeof io);
    io.user_data = &m_ioContext[engine];
    io.send = &LispEngineApp::IoSend;
    io.deliver = withDeliver ? &LispEngineApp::IoDeliver : nullptr;
    io.forward_native = withForwardNative ? &LispEngineApp::IoForwardNative : nullptr;
    io.random = &LispEngineApp::IoRandom;
    io.trace = &LispEngineApp::IoTrace;
    io.log = &LispEngineApp::IoLog;
    return io;
}

/* ---- the callbacks: user_data is an IoContext ---- */

void LispEngineApp::IoSend(void *user, const lisp_endpoint *src, const lisp_endpoint *dst,
                           const uint8_t *payload, size_t len)
{
    static_cast<IoContext *>(user)->app->Send(*src, *dst, payload, len);
}

void LispEngineApp::IoDeliver(void *user, const uint8_t *packet, size_t len)
{
    static_cast<IoContext *>(user)->app->EngineDeliver(packet, len);
}

int LispEngineApp::IoForwardNative(void *user, const uint8_t *packet, size_t len)
{
    return static_cast<IoContext *>(user)->app->EngineForwardNative(packet, len)
               ? LISP_OK
               : LISP_ERR_INVALID_ARG;
}

uint64_t LispEngineApp::IoRandom(void *user)
{
    Ptr<UniformRandomVariable> rng = static_cast<IoContext *>(user)->app->m_rng;
    const uint64_t high = rng->GetInteger(0, UINT32_MAX);
    const uint64_t low = rng->GetInteger(0, UINT32_MAX);
    return (high << 32) | low;
}

void LispEngineApp::IoTrace(void *user, const lisp_trace *event)
{
    const IoContext *context = static_cast<IoContext *>(user);
    context->app->Trace(context->engine, *event);
}

void LispEngineApp::IoLog(void *user, int level, const char *message)
{
    const IoContext *context = static_cast<IoContext *>(user);
    const uint32_t node = context->app->GetNode()->GetId();
    const char *engine = EngineName(context->engine);
    switch (level) {
    case LISP_LOG_DEBUG:
        NS_LOG_DEBUG("node " << node << " " << engine << ": " << message);
        break;
    case LISP_LOG_INFO:
        NS_LOG_INFO("node " << node << " " << engine << ": " << message);
        break;
    case LISP_LOG_WARN:
        NS_LOG_WARN("node " << node << " " << engine << ": " << message);
        break;
    default:
        NS_LOG_ERROR("node " << node << " " << engine << ": " << message);
        break;
    }
}

/* ---- sending ---- */

Ptr<Packet> LispEngineApp::PacketOf(const uint8_t *bytes, size_t len) const
{
    if (m_input) {
        const uintptr_t at = reinterpret_cast<uintptr_t>(bytes);
        const uintptr_t base = reinterpret_cast<uintptr_t>(m_inputBuffer.data());
        const size_t inputLen = m_inputBuffer.size();
        if (at >= base && at - base <= inputLen && len <= inputLen - (at - base)) {
            return m_input->CreateFragment(static_cast<uint32_t>(at - base),
                                           static_cast<uint32_t>(len));
        }
        if (len == LISP_DATA_HDR_LEN + inputLen &&
            std::memcmp(bytes + LISP_DATA_HDR_LEN, m_inputBuffer.data(), inputLen) == 0) {
            Ptr<Packet> packet = m_input->Copy();
            packet->AddHeader(LispDataHeader(bytes));
            return packet;
        }
    }
    return Create<Packet>(bytes, len);
}

Address LispEngineApp::RouteSource(const lisp_endpoint &dst) const
{
    Ptr<Packet> probe = Create<Packet>();
    Socket::SocketErrno err = Socket::ERROR_NOTERROR;
    if (dst.afi == LISP_AFI_IPV4) {
        Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
        if (!ipv4 || !ipv4->GetRoutingProtocol()) {
            return Address();
        }
        Ipv4Header header;
        header.SetDestination(Ipv4Of(dst.addr));
        Ptr<Ipv4Route> route = ipv4->GetRoutingProtocol()->RouteOutput(probe, header, nullptr, err);
        return route ? Address(route->GetSource()) : Address();
    }
    Ptr<Ipv6> ipv6 = GetNode()->GetObject<Ipv6>();
    if (!ipv6 || !ipv6->GetRoutingProtocol()) {
        return Address();
    }
    Ipv6Header header;
    header.SetDestination(Ipv6Of(dst.addr));
    Ptr<Ipv6Route> route = ipv6->GetRoutingProtocol()->RouteOutput(probe, header, nullptr, err);
    return route ? Address(route->GetSource()) : Address();
}

void LispEngineApp::Send(const lisp_endpoint &src, const lisp_endpoint &dst, const uint8_t *payload,
                         size_t len)
{
    const bool v6 = dst.afi == LISP_AFI_IPV6;
    if (dst.afi != LISP_AFI_IPV4 && !v6) {
        NS_LOG_WARN("node " << GetNode()->GetId() << ": datagram to an unspecified address");
        return;
    }
    Ptr<Packet> packet = PacketOf(payload, len);

    // The engine's source address, when it names one of the destination's family (the
    // ITR's RLOC, a multi-homed node's choice); otherwise the route's. UDP's IP layer then
    // does the one route lookup of the datagram (and drops it when there is none).
    Address from;
    if (src.afi == dst.afi) {
        from = LispEndpointIp(src);
        if ((!v6 && Ipv4Address::ConvertFrom(from) == Ipv4Address::GetAny()) ||
            (v6 && Ipv6Address::ConvertFrom(from) == Ipv6Address::GetAny())) {
            from = Address();
        }
    }
    if (from.IsInvalid()) {
        from = RouteSource(dst); // the UDP checksum needs the source before IP sees it
        if (from.IsInvalid()) {
            NS_LOG_WARN("node " << GetNode()->GetId() << ": no route to "
                                << LispEndpointToString(dst) << "; datagram dropped");
            return;
        }
    }
    NS_ABORT_MSG_UNLESS(m_udp, "LISP applications need an Internet stack on the node");
    if (!v6) {
        m_udp->Send(packet, Ipv4Address::ConvertFrom(from), Ipv4Of(dst.addr), src.port, dst.port);
    } else {
        m_udp->Send(packet, Ipv6Address::ConvertFrom(from), Ipv6Of(dst.addr), src.port, dst.port);
    }
}

/* ---- tracing ---- */

TracedCallback<const lisp_trace &> *LispEngineApp::KindTrace(int kind)
{
    switch (static_cast<lisp_trace_kind>(kind)) {
    case LISP_TRACE_MAPCACHE_INSERT:
        return &m_mapCacheInsertTrace;
    case LISP_TRACE_MAPCACHE_EXPIRE:
        return &m_mapCacheExpireTrace;
    case LISP_TRACE_MAP_REQUEST_SENT:
        return &m_mapRequestSentTrace;
    case LISP_TRACE_MAP_REQUEST_RECEIVED:
        return &m_mapRequestReceivedTrace;
    case LISP_TRACE_MAP_REQUEST_FORWARDED:
        return &m_mapRequestForwardedTrace;
    case LISP_TRACE_MAP_REPLY_SENT:
        return &m_mapReplySentTrace;
    case LISP_TRACE_MAP_REPLY_RECEIVED:
        return &m_mapReplyReceivedTrace;
    case LISP_TRACE_MAP_REGISTER_SENT:
        return &m_mapRegisterSentTrace;
    case LISP_TRACE_MAP_REGISTER_ACCEPTED:
        return &m_mapRegisterAcceptedTrace;
    case LISP_TRACE_MAP_NOTIFY_SENT:
        return &m_mapNotifySentTrace;
    case LISP_TRACE_MAP_NOTIFY_RECEIVED:
        return &m_mapNotifyReceivedTrace;
    case LISP_TRACE_REGISTRATION_EXPIRED:
        return &m_registrationExpiredTrace;
    case LISP_TRACE_ENCAP:
        return &m_encapsulatedTrace;
    case LISP_TRACE_DECAP:
        return &m_decapsulatedTrace;
    case LISP_TRACE_FORWARD_NATIVE:
        return &m_forwardedNativelyTrace;
    case LISP_TRACE_DROP:
        return nullptr;
    }
    return nullptr;
}

void LispEngineApp::Trace(Engine engine, const lisp_trace &event)
{
    NS_LOG_DEBUG(
        "node " << GetNode()->GetId() << " " << EngineName(engine) << ": "
                << lisp_trace_kind_name(event.kind) << " " << LispEidToString(event.eid) << " peer "
                << LispEndpointToString(event.peer)
                << (event.kind == LISP_TRACE_DROP ? " reason " : "")
                << (event.kind == LISP_TRACE_DROP ? lisp_drop_reason_name(event.reason) : ""));
    m_rawTrace(engine, event);
    if (event.kind == LISP_TRACE_DROP) {
        if (!m_dropTrace.IsEmpty()) {
            m_dropTrace(lisp_drop_reason_name(event.reason), event);
        }
        return;
    }
    TracedCallback<const lisp_trace &> *trace = KindTrace(event.kind);
    if (trace) {
        (*trace)(event);
    }
}

} // namespace ns3
