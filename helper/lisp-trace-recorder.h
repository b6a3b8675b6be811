/*
 * lisp-trace-recorder.h - records the typed lisp_trace events of LISP applications (trace
 * source "LispTrace") in order, and describes, selects and counts them. No protocol logic:
 * only recording and formatting, for examples and tests.
 *
 *   LispTraceRecorder recorder;
 *   recorder.SetEngineLabel(LispEngineApp::MAP_RESOLVER, "mr"); // optional
 *   recorder.Connect(topo.GetXtr(0), "xtr0");
 *   Simulator::Run();
 *   for (const LispTraceRecorder::Event &e : recorder.GetEvents())
 *       std::cout << LispTraceRecorder::Describe(e) << "\n";
 */
#ifndef LISP_TRACE_RECORDER_H
#define LISP_TRACE_RECORDER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/lisp-engine-app.h"
#include "ns3/lisp_xtr.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup lisp
 * Keeps the events of the "LispTrace" sources it is connected to, with the simulation time
 * and a label per application (the node's name, or a label per engine).
 */
class LispTraceRecorder
{
  public:
    /** One engine event. */
    struct Event {
        Time time;                    //!< Simulator::Now() when it was traced
        std::string label;            //!< the application's label (or its engine's)
        lisp_role engine;             //!< the role of the engine that emitted it
        lisp_trace trace;             //!< the event
    };

    /**
     * Record the "LispTrace" events of an application (a LispEngineApp) under `label`.
     * \return false when the application has no such trace source
     */
    bool Connect(Ptr<Application> app, const std::string &label);

    /**
     * Label the events of `engine` with `label` instead of the application's label
     * (e.g. "ms" and "mr" for the two engines of a Map-Server application).
     */
    void SetEngineLabel(lisp_role role, const std::string &label);

    /** Record one event now (the "LispTrace" callback, with the label as context). */
    void Record(std::string label, const lisp_trace &event);

    /** The events, in the order they were traced. */
    const std::vector<Event> &GetEvents() const;

    /** Forget the recorded events (the connections stay). */
    void Clear();

    /** The events with this label and kind, in order. */
    std::vector<const Event *> Select(const std::string &label, int kind) const;

    /** The events carrying `nonce`, in order. */
    std::vector<const Event *> WithNonce(uint64_t nonce) const;

    /**
     * How many events of `kind` have this label and, when `peer` is given, that peer IP
     * address (LispEndpointIp).
     */
    uint32_t Count(const std::string &label, int kind, const Address &peer = Address()) const;

    /**
     * The events of the resolution started by the Map-Request-sent event `request` (one of
     * GetEvents()), in order: every control event with its nonce, the drop of the packet
     * that triggered it, the first map-cache entry the requester inserted after the reply,
     * then the first packet it encapsulated with it (to `encapEid` when not empty) and the
     * next decapsulation. Each as a Describe() line; the encapsulation is marked
     * "   <- first packet encapsulated".
     * \param insert set to the map-cache insert event (nullptr when there was none)
     */
    std::vector<std::string> DescribeResolution(const Event &request,
                                                const std::string &encapEid = std::string(),
                                                const Event **insert = nullptr) const;

    /**
     * One event as a line: time, label, engine, kind, then the drop reason, EID, nonce,
     * peer and locator count when they apply.
     */
    static std::string Describe(const Event &e);

    /** A control-plane kind: not encapsulation, decapsulation, native forwarding or drop. */
    static bool IsControl(uint8_t kind);

    /** ", dropped (<reason>) <n>" for every drop reason an xTR counted, or "". */
    static std::string DropCounters(const lisp_xtr_stats &stats);

  private:
    std::vector<Event> m_events;
    std::map<lisp_role, std::string> m_engineLabels;
};

} // namespace ns3

#endif /* LISP_TRACE_RECORDER_H */
