/*
 * lisp-engine-app.h - the one ns-3 host of the LISP engines: an Application that runs any
 * engine (or bundle) through the generic engine interface (lisp_engine.h).
 *
 * The adapter moves bytes, time and randomness between ns-3 and a C engine; it makes no
 * protocol decision. A subclass (LispXtr, LispMapServer) only turns its attributes into the
 * engine's configuration (CreateEngine) and, for roles with an EID side, moves packets
 * between the engine and the node's IP stack. This base class:
 *   - takes the engine's UDP ports (lisp_engine_ops.ports: 4342, and 4341 for the data
 *     plane) from the node's UdpL4Protocol, for IPv4 and, on nodes with an IPv6 stack, for
 *     IPv6, and hands every datagram to lisp_engine_input with its metadata: source, the
 *     local address and port it arrived on, the incoming interface (the ns-3 NetDevice
 *     index + 1; 0 is "unknown"), TTL / hop limit and TOS / traffic class. It uses UDP
 *     endpoints, as ns-3's own sockets do inside, rather than sockets: the engine takes each
 *     datagram at once, so a socket's receive queue and packet-info tags would only add work;
 *   - sends what the engine sends with UdpL4Protocol::Send, from the engine's source
 *     address when it names one (else the route's), its source port, and its TTL and TOS
 *     when it names them (socket tags, as ns-3's sockets pass them); a datagram without a
 *     route is reported back to the engine as not sent;
 *   - after every engine call asks the engine for its next expiry and re-arms ONE event
 *     (time converts only through lisp-time.h);
 *   - draws the engine's random bits from a UniformRandomVariable (AssignStreams);
 *   - turns the typed lisp_trace events into trace sources (lisp-trace-sources.h): one per
 *     kind of the table in lisp_trace.h (MapRequestSent, Encapsulated, StateChange,
 *     LocatorChange, ...), "Drop" with the reason's name, and "LispTrace" with every event;
 *     log lines go to NS_LOG;
 *   - lends every engine of the process one workspace (lisp_workspace.h), so an idle
 *     engine holds no packet-sized buffer;
 *   - for engines with locators (lisp_engine_ops.locator_event), feeds the node's interface
 *     and address changes to the engine as locator events, through taps in the node's list
 *     routing (lisp-locator-tap.h), as ns-3's routing protocols learn of them.
 *
 * Engine calls never nest, in the whole process: an input that arrives while any engine
 * call is running (a packet delivered into the node and routed straight back, or to another
 * LISP application of the same node) is queued and handled right after the running call
 * returns, at the same simulated time. That is what makes one shared workspace safe.
 */
#ifndef LISP_ENGINE_APP_H
#define LISP_ENGINE_APP_H

#include "lisp-trace-sources.h"
#include "lisp_engine.h"
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

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{

class Ipv4EndPoint;
class NetDevice;
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
/** The interface number the engines see for `device` (lisp_dgram.ifindex,
 * lisp_locator_event.ifindex): its NetDevice index + 1; 0 (unknown) for none. */
uint32_t LispIfIndex(Ptr<const NetDevice> device);

/**
 * \ingroup lisp
 * The host of a LISP engine on an ns-3 node: UDP ports, the host contract, one timer, RNG,
 * and trace sources.
 */
class LispEngineApp : public Application
{
  public:
    static TypeId GetTypeId();
    LispEngineApp();
    ~LispEngineApp() override;

    /**
     * Use fixed random variable streams for the engines' randomness (nonces).
     * \param stream first stream index to use
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /** The engine's named counters (lisp_engine_stats); empty before the application
     * starts. */
    std::vector<lisp_stat> GetCounters() const;

    /**
     * Tell the engine about a local locator (lisp_engine_locator_event): ns-3 interface
     * changes that a subclass or a user (a handover script) observes. Returns the engine's
     * answer, LISP_ERR_INVALID_ARG when its role has no locators or it has not started.
     */
    int NotifyLocatorEvent(const lisp_locator_event &event);

    /** The engine (nullptr before the application starts), for inspection. */
    const lisp_engine *GetLispEngine() const;

  protected:
    void DoDispose() override;
    void StartApplication() override;
    void StopApplication() override;

    /* ---- for the subclasses ---- */

    /** Create the engine from the attributes, with this host; nullptr aborts with a
     * message naming the node. Called once, when the application first starts. */
    virtual lisp_engine *CreateEngine(const lisp_host &host, lisp_time_t now) = 0;
    /** The application starts again after a stop; the engine kept its state. */
    virtual void EngineRestarted(lisp_time_t now);
    /** out.deliver: a decapsulated packet for the EID side (roles with an EID side). */
    virtual bool EngineDeliver(const uint8_t *packet, size_t len);
    /** out.forward_native: an IP packet for the underlay, not encapsulated. */
    virtual bool EngineForwardNative(const uint8_t *packet, size_t len);
    /** Devices of the application itself (the LISP tunnel): never locators. */
    virtual bool IsOwnDevice(Ptr<NetDevice> device) const;

    /** The engine, for the subclass's typed accessors (nullptr before start). */
    lisp_engine *Engine() const;

    /** Hand a packet from the EID side to the engine (lisp_engine_eid_input). */
    void InputEidPacket(Ptr<const Packet> packet);

    /**
     * An ns-3 packet with the `len` bytes at `bytes` that the engine hands back. When they
     * are part of the input being handled (a decapsulated inner packet), it is a fragment
     * of that input packet; when they are that input with a LISP data header in front
     * (encapsulation), it is the input packet with a LispDataHeader added; otherwise a new
     * packet with a copy of the bytes. Reusing the input keeps what ns-3 keeps when a router
     * forwards a packet: its uid, its tags, and its payload, which a traffic generator
     * leaves virtual (zero-filled) and ns-3 then never copies. The bytes are the same in
     * every case.
     */
    Ptr<Packet> PacketOf(const uint8_t *bytes, size_t len) const;

    /** Whether StartApplication ran and StopApplication did not. */
    bool IsRunning() const;

    /** The engines' clock: the simulator's, converted by lisp-time.h. */
    static lisp_time_t EngineNow();

  private:
    static int HostSend(void *user, const lisp_dgram *d, const uint8_t *payload, size_t len);
    static int HostDeliver(void *user, const lisp_packet_info *info, const uint8_t *packet,
                           size_t len);
    static int HostForwardNative(void *user, const uint8_t *packet, size_t len);
    static uint64_t HostRandom(void *user);
    static void HostTrace(void *user, const lisp_trace *event);
    static void HostLog(void *user, int level, const char *message);
    lisp_host MakeHost();

    /** Take the engine's ports from the node's UDP for IPv4 and IPv6. */
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
    void Receive(const lisp_dgram &dgram, Ptr<Packet> packet);
    /** The source address the node's routing picks toward dst; invalid when no route. */
    Address RouteSource(const lisp_endpoint &dst) const;
    int Send(const lisp_dgram &d, const uint8_t *payload, size_t len);
    void Trace(const lisp_trace &event);
    /** A locator event from the node's taps (lisp-locator-tap.h). */
    void OnLocatorEvent(const lisp_locator_event &event);

    /**
     * Run `handle(bytes, len)` on `packet`'s bytes inside an engine call. Outside any
     * engine call (every data packet) the bytes go into a buffer that is reused and
     * `handle` runs directly, so the per-packet path allocates nothing; inside one, a copy
     * is queued. `handle` must capture by value.
     */
    template <typename Handle>
    void CallEngineOnBytes(Ptr<const Packet> packet, Handle handle);
    /** Run `call` as an engine call of this application (queued inside another one). */
    void CallEngine(std::function<void()> call);
    void Rearm();
    void CancelTimer();
    void Expire();

    lisp_engine *m_engine;
    Ptr<UniformRandomVariable> m_rng;
    bool m_enableIpv4;
    bool m_enableIpv6;
    bool m_running;
    Ptr<UdpL4Protocol> m_udp;                 // the node's: sends and receives
    std::vector<Ipv4EndPoint *> m_endpoints4; // the engine's ports, owned by m_udp
    std::vector<Ipv6EndPoint *> m_endpoints6;
    EventId m_timer;
    lisp_time_t m_armedFor; // the engine deadline m_timer is scheduled for, or NEVER

    LispTraceSources m_traces; // "LispTrace", "Drop" and one per kind (lisp-trace-sources.h)
};

/* The process-wide engine-call state (lisp-engine-app.cc). */
namespace lisp_host_call
{
/** True while an engine call of any application runs. */
bool Busy();
/** Enter an engine call. */
void Enter();
/** Queue a call to run when the running engine call returns. */
void Defer(std::function<void()> call);
/** Leave an engine call; the outermost one first runs what was queued during it. */
void Leave();

/** The input of the running call: its bytes, reused by every call of the process (calls
 * never nest, so one buffer serves all applications), and the packet they came from. */
struct Input
{
    std::vector<uint8_t> bytes;
    Ptr<const Packet> packet; // null outside a call, and for queued inputs
};
Input &CurrentInput();
} // namespace lisp_host_call

template <typename Handle>
void LispEngineApp::CallEngineOnBytes(Ptr<const Packet> packet, Handle handle)
{
    const size_t len = packet->GetSize();
    if (lisp_host_call::Busy()) {
        std::vector<uint8_t> bytes(len);
        packet->CopyData(bytes.data(), len);
        Ptr<LispEngineApp> self(this);
        lisp_host_call::Defer([self, handle, bytes = std::move(bytes)] {
            if (self->m_running && self->m_engine) {
                handle(bytes.data(), bytes.size());
            }
            self->Rearm();
        });
        return;
    }
    lisp_host_call::Input &input = lisp_host_call::CurrentInput();
    input.bytes.resize(len);
    packet->CopyData(input.bytes.data(), len);
    lisp_host_call::Enter();
    input.packet = packet;
    handle(input.bytes.data(), len);
    input.packet = nullptr; // the queued inputs that Leave runs have their own bytes
    Rearm();
    lisp_host_call::Leave();
}

} // namespace ns3

#endif /* LISP_ENGINE_APP_H */
