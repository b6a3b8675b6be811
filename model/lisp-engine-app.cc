/*
 * lisp-engine-app.cc - the common part of the LISP role applications (lisp-engine-app.h).
 */
#include "lisp-engine-app.h"

#include "lisp-data-header.h"
#include "lisp-locator-tap.h"
#include "lisp-time.h"
#include "lisp_workspace.h"

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
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/udp-l4-protocol.h"

#include <cstring>
#include <deque>
#include <memory>
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

uint32_t LispIfIndex(Ptr<const NetDevice> device)
{
    return device ? device->GetIfIndex() + 1 : 0;
}

std::string LispEndpointToString(const lisp_endpoint &endpoint)
{
    char buf[64];
    return lisp_endpoint_to_str(&endpoint, buf, sizeof buf);
}

/* ---------------------------------------------------------------------------------------- */
/* Engine calls: never nested, in the whole process                                          */
/* ---------------------------------------------------------------------------------------- */

namespace lisp_host_call
{
namespace
{
unsigned g_depth;                          // engine calls in progress (0 or 1, plus Leave's)
std::deque<std::function<void()>> g_queue; // inputs that arrived during one

struct WorkspaceDeleter
{
    void operator()(lisp_workspace *ws) const
    {
        lisp_workspace_free(ws);
    }
};

/* The scratch every engine of the process borrows during a call (engine calls never nest). */
lisp_workspace *SharedWorkspace()
{
    static std::unique_ptr<lisp_workspace, WorkspaceDeleter> ws(lisp_workspace_new(nullptr));
    NS_ABORT_MSG_UNLESS(ws, "LISP: cannot allocate the engines' workspace");
    return ws.get();
}
} // namespace

Input &CurrentInput()
{
    static Input input;
    return input;
}

bool Busy()
{
    return g_depth > 0;
}

void Enter()
{
    g_depth++;
}

void Defer(std::function<void()> call)
{
    g_queue.push_back(std::move(call));
}

/* Run what was queued while the outermost call ran, then leave it. */
void Leave()
{
    if (g_depth == 1) {
        while (!g_queue.empty()) {
            std::function<void()> next = std::move(g_queue.front());
            g_queue.pop_front();
            next();
        }
    }
    g_depth--;
}
} // namespace lisp_host_call

/* ---------------------------------------------------------------------------------------- */
/* The application                                                                          */
/* ---------------------------------------------------------------------------------------- */

TypeId LispEngineApp::GetTypeId()
{
    static TypeId tid = [] {
        TypeId t =
            TypeId("ns3::LispEngineApp")
                .SetParent<Application>()
                .SetGroupName("Lisp")
                .AddAttribute(
                    "EnableIpv4",
                    "Listen on the LISP UDP ports for IPv4 (on nodes with an IPv4 stack).",
                    BooleanValue(true), MakeBooleanAccessor(&LispEngineApp::m_enableIpv4),
                    MakeBooleanChecker())
                .AddAttribute(
                    "EnableIpv6",
                    "Listen on the LISP UDP ports for IPv6 (on nodes with an IPv6 stack).",
                    BooleanValue(true), MakeBooleanAccessor(&LispEngineApp::m_enableIpv6),
                    MakeBooleanChecker());
        LispTraceSources::AddTo(t, &LispTraceSources::Find<LispEngineApp, &LispEngineApp::m_traces>,
                                LispTraceSources::AllKinds());
        return t;
    }();
    return tid;
}

LispEngineApp::LispEngineApp()
    : m_engine(nullptr), m_enableIpv4(true), m_enableIpv6(true), m_running(false),
      m_armedFor(LISP_TIME_NEVER)
{
    NS_LOG_FUNCTION(this);
    m_rng = CreateObject<UniformRandomVariable>();
}

LispEngineApp::~LispEngineApp()
{
    NS_LOG_FUNCTION(this);
    lisp_engine_free(m_engine);
}

int64_t LispEngineApp::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_rng->SetStream(stream);
    return 1;
}

void LispEngineApp::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    CloseEndpoints();
    CancelTimer();
    lisp_engine_free(m_engine);
    m_engine = nullptr;
    m_rng = nullptr;
    m_udp = nullptr;
    Application::DoDispose();
}

bool LispEngineApp::IsRunning() const
{
    return m_running;
}

lisp_engine *LispEngineApp::Engine() const
{
    return m_engine;
}

const lisp_engine *LispEngineApp::GetLispEngine() const
{
    return m_engine;
}

lisp_time_t LispEngineApp::EngineNow()
{
    return LispTimeFromNs3(Simulator::Now());
}

std::vector<lisp_stat> LispEngineApp::GetCounters() const
{
    std::vector<lisp_stat> stats;
    if (m_engine) {
        stats.resize(lisp_engine_stats(m_engine, nullptr, 0));
        lisp_engine_stats(m_engine, stats.data(), stats.size());
    }
    return stats;
}

int LispEngineApp::NotifyLocatorEvent(const lisp_locator_event &event)
{
    if (!m_engine || !m_running) {
        return LISP_ERR_INVALID_ARG;
    }
    const lisp_locator_event copy = event;
    if (lisp_host_call::Busy()) { // from inside an engine call: runs right after it
        CallEngine([this, copy] { lisp_engine_locator_event(m_engine, EngineNow(), &copy); });
        return LISP_OK;
    }
    int rc = LISP_OK;
    CallEngine([this, copy, &rc] { rc = lisp_engine_locator_event(m_engine, EngineNow(), &copy); });
    return rc;
}

void LispEngineApp::StartApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = true;
    m_udp = GetNode()->GetObject<UdpL4Protocol>(); // the engine may send as it starts
    if (m_engine) {
        OpenEndpoints();
        CallEngine([this] { EngineRestarted(EngineNow()); });
        return;
    }
    CallEngine([this] {
        m_engine = CreateEngine(MakeHost(), EngineNow());
        NS_ABORT_MSG_IF(!m_engine, "LISP application on node "
                                       << GetNode()->GetId()
                                       << ": the engine refused its configuration (see the "
                                          "LispEngineApp log for the reason)");
    });
    OpenEndpoints();
    if (m_engine->ops->locator_event) {
        LispLocatorSink sink;
        sink.notify = MakeCallback(&LispEngineApp::OnLocatorEvent, Ptr<LispEngineApp>(this));
        sink.own = MakeCallback(&LispEngineApp::IsOwnDevice, Ptr<LispEngineApp>(this));
        LispInstallLocatorTaps(GetNode(), sink);
    }
}

void LispEngineApp::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    CloseEndpoints();
    CancelTimer();
}

void LispEngineApp::EngineRestarted(lisp_time_t now)
{
    (void)now;
}

void LispEngineApp::OpenEndpoints()
{
    Ptr<Node> node = GetNode();
    if (!m_udp || !m_engine) {
        return; // no Internet stack: nothing to listen on, nothing to send with
    }
    std::vector<uint16_t> ports;
    if (m_engine->ops->ports & LISP_ENGINE_PORT_CONTROL) {
        ports.push_back(LISP_CONTROL_PORT);
    }
    if (m_engine->ops->ports & LISP_ENGINE_PORT_DATA) {
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
    lisp_dgram d;
    std::memset(&d, 0, sizeof d);
    d.src = LispEndpointFromAddress(header.GetSource(), sport);
    d.dst = LispEndpointFromAddress(header.GetDestination(), port);
    d.ifindex = incoming ? LispIfIndex(incoming->GetDevice()) : 0;
    d.ttl = header.GetTtl();
    d.tos = header.GetTos();
    Receive(d, packet);
}

void LispEngineApp::Receive6(uint16_t port, Ptr<Packet> packet, Ipv6Header header,
                             uint16_t sport, Ptr<Ipv6Interface> incoming)
{
    lisp_dgram d;
    std::memset(&d, 0, sizeof d);
    d.src = LispEndpointFromAddress(header.GetSource(), sport);
    d.dst = LispEndpointFromAddress(header.GetDestination(), port);
    d.ifindex = incoming ? LispIfIndex(incoming->GetDevice()) : 0;
    d.ttl = header.GetHopLimit();
    d.tos = header.GetTrafficClass();
    Receive(d, packet);
}

void LispEngineApp::Receive(const lisp_dgram &dgram, Ptr<Packet> packet)
{
    if (!m_running || !m_engine) {
        return;
    }
    NS_LOG_LOGIC("node " << GetNode()->GetId() << ": " << packet->GetSize() << " bytes from "
                         << LispEndpointToString(dgram.src) << " to "
                         << LispEndpointToString(dgram.dst));
    CallEngineOnBytes(packet, [this, dgram](const uint8_t *payload, size_t len) {
        lisp_engine_input(m_engine, EngineNow(), &dgram, payload, len);
    });
}

void LispEngineApp::InputEidPacket(Ptr<const Packet> packet)
{
    CallEngineOnBytes(packet, [this](const uint8_t *bytes, size_t len) {
        lisp_packet_info info;
        std::memset(&info, 0, sizeof info);
        lisp_engine_eid_input(m_engine, EngineNow(), &info, bytes, len);
    });
}

void LispEngineApp::CallEngine(std::function<void()> call)
{
    if (lisp_host_call::Busy()) {
        Ptr<LispEngineApp> self(this);
        lisp_host_call::Defer([self, call] {
            call();
            self->Rearm();
        });
        return;
    }
    lisp_host_call::Enter();
    call();
    Rearm();
    lisp_host_call::Leave();
}

void LispEngineApp::Rearm()
{
    const lisp_time_t next =
        m_running && m_engine ? lisp_engine_next_expiry(m_engine) : LISP_TIME_NEVER;
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
    CallEngine([this] {
        if (m_engine) {
            lisp_engine_handle_expiry(m_engine, EngineNow());
        }
    });
}

bool LispEngineApp::IsOwnDevice(Ptr<NetDevice> device) const
{
    (void)device;
    return false;
}

void LispEngineApp::OnLocatorEvent(const lisp_locator_event &event)
{
    NS_LOG_INFO("node " << GetNode()->GetId() << ": locator " << LispEndpointToString(event.addr)
                        << " " << lisp_locator_event_name(event.kind));
    NotifyLocatorEvent(event);
}

bool LispEngineApp::EngineDeliver(const uint8_t *packet, size_t len)
{
    (void)packet;
    NS_LOG_WARN("node " << GetNode()->GetId() << ": no EID side, " << len << " bytes dropped");
    return false;
}

bool LispEngineApp::EngineForwardNative(const uint8_t *packet, size_t len)
{
    (void)packet;
    NS_LOG_WARN("node " << GetNode()->GetId() << ": cannot forward natively, " << len
                        << " bytes dropped");
    return false;
}

/* ---- the host contract: user_data is this application ---- */

lisp_host LispEngineApp::MakeHost()
{
    lisp_host host;
    std::memset(&host, 0, sizeof host);
    host.env.user_data = this;
    host.env.alloc = nullptr;
    host.env.random = &LispEngineApp::HostRandom;
    host.env.trace = &LispEngineApp::HostTrace;
    host.env.log = &LispEngineApp::HostLog;
    host.env.workspace = lisp_host_call::SharedWorkspace();
    host.out.send = &LispEngineApp::HostSend;
    host.out.deliver = &LispEngineApp::HostDeliver;
    host.out.forward_native = &LispEngineApp::HostForwardNative;
    return host;
}

int LispEngineApp::HostSend(void *user, const lisp_dgram *d, const uint8_t *payload, size_t len)
{
    return static_cast<LispEngineApp *>(user)->Send(*d, payload, len);
}

int LispEngineApp::HostDeliver(void *user, const lisp_packet_info *info, const uint8_t *packet,
                               size_t len)
{
    (void)info;
    return static_cast<LispEngineApp *>(user)->EngineDeliver(packet, len) ? LISP_OK
                                                                          : LISP_ERR_INVALID_ARG;
}

int LispEngineApp::HostForwardNative(void *user, const uint8_t *packet, size_t len)
{
    return static_cast<LispEngineApp *>(user)->EngineForwardNative(packet, len)
               ? LISP_OK
               : LISP_ERR_INVALID_ARG;
}

uint64_t LispEngineApp::HostRandom(void *user)
{
    Ptr<UniformRandomVariable> rng = static_cast<LispEngineApp *>(user)->m_rng;
    const uint64_t high = rng->GetInteger(0, UINT32_MAX);
    const uint64_t low = rng->GetInteger(0, UINT32_MAX);
    return (high << 32) | low;
}

void LispEngineApp::HostTrace(void *user, const lisp_trace *event)
{
    static_cast<LispEngineApp *>(user)->Trace(*event);
}

void LispEngineApp::HostLog(void *user, int level, const char *message)
{
    const uint32_t node = static_cast<LispEngineApp *>(user)->GetNode()->GetId();
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

/* ---- sending ---- */

Ptr<Packet> LispEngineApp::PacketOf(const uint8_t *bytes, size_t len) const
{
    const lisp_host_call::Input &input = lisp_host_call::CurrentInput();
    if (input.packet) {
        const uintptr_t at = reinterpret_cast<uintptr_t>(bytes);
        const uintptr_t base = reinterpret_cast<uintptr_t>(input.bytes.data());
        const size_t inputLen = input.bytes.size();
        if (at >= base && at - base <= inputLen && len <= inputLen - (at - base)) {
            return input.packet->CreateFragment(static_cast<uint32_t>(at - base),
                                           static_cast<uint32_t>(len));
        }
        if (len == LISP_DATA_HDR_LEN + inputLen &&
            std::memcmp(bytes + LISP_DATA_HDR_LEN, input.bytes.data(), inputLen) == 0) {
            Ptr<Packet> packet = input.packet->Copy();
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

int LispEngineApp::Send(const lisp_dgram &d, const uint8_t *payload, size_t len)
{
    const lisp_endpoint &src = d.src;
    const lisp_endpoint &dst = d.dst;
    const bool v6 = dst.afi == LISP_AFI_IPV6;
    if (dst.afi != LISP_AFI_IPV4 && !v6) {
        NS_LOG_WARN("node " << GetNode()->GetId() << ": datagram to an unspecified address");
        return LISP_ERR_INVALID_ARG;
    }
    if (!m_udp) {
        NS_LOG_WARN("node " << GetNode()->GetId() << ": no UDP; datagram dropped");
        return LISP_ERR_INVALID_ARG;
    }

    // The engine's source address, when it names one of the destination's family (the
    // ITR's RLOC, a multi-homed node's choice); otherwise the route's. UDP's IP layer then
    // does the one route lookup of the datagram.
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
            return LISP_ERR_INVALID_ARG;
        }
    }
    Ptr<Packet> packet = PacketOf(payload, len);
    // TTL and TOS travel as the socket tags ns-3's IP layers read for their header.
    if (!v6) {
        if (d.ttl) {
            SocketIpTtlTag ttl;
            ttl.SetTtl(d.ttl);
            packet->AddPacketTag(ttl);
        }
        if (d.tos) {
            SocketIpTosTag tos;
            tos.SetTos(d.tos);
            packet->AddPacketTag(tos);
        }
        m_udp->Send(packet, Ipv4Address::ConvertFrom(from), Ipv4Of(dst.addr), src.port, dst.port);
    } else {
        if (d.ttl) {
            SocketIpv6HopLimitTag hopLimit;
            hopLimit.SetHopLimit(d.ttl);
            packet->AddPacketTag(hopLimit);
        }
        if (d.tos) {
            SocketIpv6TclassTag tclass;
            tclass.SetTclass(d.tos);
            packet->AddPacketTag(tclass);
        }
        m_udp->Send(packet, Ipv6Address::ConvertFrom(from), Ipv6Of(dst.addr), src.port, dst.port);
    }
    return LISP_OK;
}

/* ---- tracing ---- */

void LispEngineApp::Trace(const lisp_trace &event)
{
    NS_LOG_DEBUG(
        "node " << GetNode()->GetId() << " " << lisp_role_name(event.role) << ": "
                << lisp_trace_kind_name(event.kind) << " " << LispEidToString(event.eid) << " peer "
                << LispEndpointToString(event.peer)
                << (event.kind == LISP_TRACE_DROP ? " reason " : "")
                << (event.kind == LISP_TRACE_DROP ? lisp_drop_reason_name(event.reason) : ""));
    m_traces.Fire(event);
}

} // namespace ns3
