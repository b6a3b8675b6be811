/*
 * lisp-engine-app.h - what every LISP role's ns-3 Application has in common: UDP ports 4341
 * and 4342, the lisp_io callback table, one timer, randomness and tracing.
 *
 * The adapter moves bytes, time and randomness between ns-3 and a C engine; it makes no
 * protocol decision. A subclass (LispXtr, LispMapServer) owns the engine(s) and implements
 * the Engine* hooks; this base class:
 *   - takes port 4342 (and 4341 when the role has a data plane) from the node's
 *     UdpL4Protocol, for IPv4 and, on nodes with an IPv6 stack, for IPv6, and hands every
 *     datagram to EngineHandleUdp with its source and the local address it arrived on.
 *     It uses UDP endpoints, as ns-3's own sockets do inside, rather than sockets: the
 *     engine takes each datagram at once, so a socket's receive queue and packet-info tags
 *     would only add work to every data packet;
 *   - sends what the engine sends with UdpL4Protocol::Send, from the engine's source
 *     address when it names one (else the route's) and the engine's source port; the IP
 *     layer does the datagram's one route lookup;
 *   - after every engine call asks the engine for its next expiry and re-arms ONE event
 *     (time converts only through lisp-time.h);
 *   - draws the engine's random bits from a UniformRandomVariable (AssignStreams);
 *   - turns the engines' typed lisp_trace events into trace sources, and their log lines
 *     into NS_LOG output.
 *
 * Engine callbacks never re-enter an engine: an input that arrives while an engine call is
 * running (a packet delivered into the node and routed straight back to the xTR) is handled
 * right after that call returns, at the same simulated time.
 */
#ifndef LISP_ENGINE_APP_H
#define LISP_ENGINE_APP_H

#include "lisp_io.h"
#include "lisp_mapcache.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv6-address.h"
#include "ns3/ipv6-header.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{

class Ipv4EndPoint;
class Ipv4Interface;
class Ipv6EndPoint;
class Ipv6Interface;
class UdpL4Protocol;
class UniformRandomVariable;

/* ---- conversions between ns-3 addresses and the engines' types (no protocol logic) ---- */

/** An EID-prefix from an IPv4 network and mask; host bits are cleared. */
lisp_eid LispEidFromIpv4(Ipv4Address network, Ipv4Mask mask, uint32_t iid = 0);
/** An EID-prefix from an IPv6 network and prefix; host bits are cleared. */
lisp_eid LispEidFromIpv6(Ipv6Address network, Ipv6Prefix prefix, uint32_t iid = 0);
/** "10.1.0.0/16", "2001:db8::/32", with "[iid]" in front when the instance-ID is not 0. */
std::string LispEidToString(const lisp_eid &eid);

/**
 * An engine endpoint from an ns-3 address: Ipv4Address or Ipv6Address (with `port`),
 * InetSocketAddress or Inet6SocketAddress (their own port). Anything else gives afi
 * LISP_AFI_NONE.
 */
lisp_endpoint LispEndpointFromAddress(const Address &address, uint16_t port = 0);
/** "192.0.2.1:4342", "[2001:db8::1]:4342", "none:0". */
std::string LispEndpointToString(const lisp_endpoint &endpoint);
/** The IP address of an endpoint (Ipv4Address or Ipv6Address), empty for none. */
Address LispEndpointIp(const lisp_endpoint &endpoint);

/**
 * \ingroup lisp
 * Base class of the LISP role applications: UDP ports, callbacks, timer, RNG and traces.
 */
class LispEngineApp : public Application
{
  public:
    /** Which engine of the application emitted a trace event. */
    enum Engine {
        XTR = 0,
        MAP_SERVER = 1,
        MAP_RESOLVER = 2,
    };

    static TypeId GetTypeId();
    LispEngineApp();
    ~LispEngineApp() override;

    /**
     * Use fixed random variable streams for the engines' randomness (nonces).
     * \param stream first stream index to use
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /** Name of an Engine value: "xtr", "map-server", "map-resolver". */
    static const char *EngineName(Engine engine);

    /**
     * Signature of the raw trace source "LispTrace": every event of every engine of the
     * application, with the engine that emitted it.
     */
    typedef void (*RawTraceCallback)(LispEngineApp::Engine engine, const lisp_trace &event);
    /** Signature of the named trace sources (MapRequestSent, Encapsulated, ...). */
    typedef void (*EventTraceCallback)(const lisp_trace &event);
    /** Signature of the trace source "Drop": the reason ("map-cache-miss") and the event. */
    typedef void (*DropTraceCallback)(const std::string &reason, const lisp_trace &event);

  protected:
    void DoDispose() override;
    void StartApplication() override;
    void StopApplication() override;

    /* ---- for the subclasses ---- */

    /** Whether the role receives LISP data (port 4341) besides control (4342). */
    virtual bool UsesDataPort() const = 0;
    /** Create and start the engine(s); the UDP ports are open. */
    virtual void EngineStart(lisp_time_t now) = 0;
    /** A datagram that arrived on local port dst.port. */
    virtual void EngineHandleUdp(lisp_time_t now, const lisp_endpoint &src,
                                 const lisp_endpoint &dst, const uint8_t *payload, size_t len) = 0;
    /** The soonest deadline of the engine(s), LISP_TIME_NEVER when none. */
    virtual lisp_time_t EngineNextExpiry() const = 0;
    virtual void EngineHandleExpiry(lisp_time_t now) = 0;
    /** io->deliver: a decapsulated packet for the EID side (roles with a site only). */
    virtual void EngineDeliver(const uint8_t *packet, size_t len);
    /** io->forward_native: an IP packet for the underlay, not encapsulated. */
    virtual bool EngineForwardNative(const uint8_t *packet, size_t len);

    /**
     * The callback table for one engine; user_data points into this object, which must
     * outlive the engine. forward_native and deliver are filled in only when asked for.
     */
    lisp_io MakeIo(Engine engine, bool withDeliver, bool withForwardNative);

    /**
     * Run `call` (which calls into an engine), then re-arm the timer. Called while another
     * engine call is running (a callback's side effect came back to us), `call` is queued
     * and runs as soon as the outer call returns, at the same simulated time.
     */
    void CallEngine(std::function<void()> call);

    /**
     * Run `handle(bytes, len)` on `packet`'s bytes, as CallEngine runs a call. Outside an
     * engine call (every data packet) the bytes go into a buffer that is reused and
     * `handle` runs directly, so the per-packet path allocates nothing; inside one, a
     * copy is queued. `handle` must capture by value.
     */
    template <typename Handle>
    void CallEngineOnBytes(Ptr<const Packet> packet, Handle handle);

    /**
     * An ns-3 packet with the `len` bytes at `bytes` that the engine hands back. When they
     * are part of the input CallEngineOnBytes is handling (a decapsulated inner packet),
     * it is a fragment of that input packet; when they are that input with a LISP data
     * header in front (encapsulation), it is the input packet with a LispDataHeader added;
     * otherwise a new packet with a copy of the bytes. Reusing the input keeps what ns-3
     * keeps when a router forwards a packet: its uid, its tags, and its payload, which a
     * traffic generator leaves virtual (zero-filled) and ns-3 then never copies. The
     * bytes are the same in every case.
     */
    Ptr<Packet> PacketOf(const uint8_t *bytes, size_t len) const;

    /** Whether StartApplication ran and StopApplication did not. */
    bool IsRunning() const;

    /** The engines' clock: the simulator's, converted by lisp-time.h. */
    static lisp_time_t EngineNow();

  private:
    struct IoContext {
        LispEngineApp *app;
        Engine engine;
    };

    static void IoSend(void *user, const lisp_endpoint *src, const lisp_endpoint *dst,
                       const uint8_t *payload, size_t len);
    static void IoDeliver(void *user, const uint8_t *packet, size_t len);
    static int IoForwardNative(void *user, const uint8_t *packet, size_t len);
    static uint64_t IoRandom(void *user);
    static void IoTrace(void *user, const lisp_trace *event);
    static void IoLog(void *user, int level, const char *message);

    /** Take ports 4342 (and 4341) from the node's UDP for IPv4 and IPv6. */
    void OpenEndpoints();
    /** `endpoint` (nullptr: the port is taken, fatal) delivering to `receive`. */
    template <typename EndPoint, typename Handler>
    EndPoint *Listen(EndPoint *endpoint, uint16_t port, const char *family, Handler receive);
    void CloseEndpoints();
    void ForgetEndpoints();
    void Receive4(uint16_t port, Ptr<Packet> packet, Ipv4Header header, uint16_t sport,
                  Ptr<Ipv4Interface> incoming);
    void Receive6(uint16_t port, Ptr<Packet> packet, Ipv6Header header, uint16_t sport,
                  Ptr<Ipv6Interface> incoming);
    void Receive(const lisp_endpoint &src, const lisp_endpoint &dst, Ptr<Packet> packet);
    /** The source address the node's routing picks toward dst; invalid when no route. */
    Address RouteSource(const lisp_endpoint &dst) const;
    void Send(const lisp_endpoint &src, const lisp_endpoint &dst, const uint8_t *payload,
              size_t len);
    void Trace(Engine engine, const lisp_trace &event);
    void EnterEngine();
    /** Run the inputs queued during the call, then re-arm the timer. */
    void LeaveEngine();
    void Rearm();
    void CancelTimer();
    void Expire();

    std::array<IoContext, 3> m_ioContext;
    Ptr<UniformRandomVariable> m_rng;
    bool m_enableIpv4;
    bool m_enableIpv6;
    bool m_running;
    Ptr<UdpL4Protocol> m_udp;                 // the node's: sends and receives
    std::vector<Ipv4EndPoint *> m_endpoints4; // ports 4342 and 4341, owned by m_udp
    std::vector<Ipv6EndPoint *> m_endpoints6;
    EventId m_timer;
    lisp_time_t m_armedFor; // the engine deadline m_timer is scheduled for, or NEVER
    unsigned m_depth;                            // engine calls in progress
    std::deque<std::function<void()>> m_pending; // inputs that arrived during one
    std::vector<uint8_t> m_inputBuffer; // CallEngineOnBytes outside engine calls
    Ptr<const Packet> m_input;          // whose bytes m_inputBuffer holds, during the call

    /** The named trace source of an event kind; nullptr for drops and unknown kinds. */
    TracedCallback<const lisp_trace &> *KindTrace(int kind);

    TracedCallback<Engine, const lisp_trace &> m_rawTrace;
    TracedCallback<const lisp_trace &> m_mapCacheInsertTrace;
    TracedCallback<const lisp_trace &> m_mapCacheExpireTrace;
    TracedCallback<const lisp_trace &> m_mapRequestSentTrace;
    TracedCallback<const lisp_trace &> m_mapRequestReceivedTrace;
    TracedCallback<const lisp_trace &> m_mapRequestForwardedTrace;
    TracedCallback<const lisp_trace &> m_mapReplySentTrace;
    TracedCallback<const lisp_trace &> m_mapReplyReceivedTrace;
    TracedCallback<const lisp_trace &> m_mapRegisterSentTrace;
    TracedCallback<const lisp_trace &> m_mapRegisterAcceptedTrace;
    TracedCallback<const lisp_trace &> m_mapNotifySentTrace;
    TracedCallback<const lisp_trace &> m_mapNotifyReceivedTrace;
    TracedCallback<const lisp_trace &> m_registrationExpiredTrace;
    TracedCallback<const lisp_trace &> m_encapsulatedTrace;
    TracedCallback<const lisp_trace &> m_decapsulatedTrace;
    TracedCallback<const lisp_trace &> m_forwardedNativelyTrace;
    TracedCallback<const std::string &, const lisp_trace &> m_dropTrace;
};

template <typename Handle>
void LispEngineApp::CallEngineOnBytes(Ptr<const Packet> packet, Handle handle)
{
    const size_t len = packet->GetSize();
    if (m_depth > 0) {
        std::vector<uint8_t> bytes(len);
        packet->CopyData(bytes.data(), len);
        m_pending.push_back(
            [handle, bytes = std::move(bytes)] { handle(bytes.data(), bytes.size()); });
        return;
    }
    m_inputBuffer.resize(len);
    packet->CopyData(m_inputBuffer.data(), len);
    EnterEngine();
    m_input = packet;
    handle(m_inputBuffer.data(), len);
    m_input = nullptr; // the queued inputs that LeaveEngine runs have their own bytes
    LeaveEngine();
}

} // namespace ns3

#endif /* LISP_ENGINE_APP_H */
