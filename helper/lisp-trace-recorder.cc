/*
 * lisp-trace-recorder.cc - see lisp-trace-recorder.h.
 */
#include "lisp-trace-recorder.h"

#include "ns3/callback.h"
#include "ns3/simulator.h"

#include <iomanip>
#include <sstream>

namespace ns3
{

bool LispTraceRecorder::Connect(Ptr<Application> app, const std::string &label)
{
    return app->TraceConnect("LispTrace", label, MakeCallback(&LispTraceRecorder::Record, this));
}

void LispTraceRecorder::SetEngineLabel(lisp_role role, const std::string &label)
{
    m_engineLabels[role] = label;
}

void LispTraceRecorder::Record(std::string label, const lisp_trace &event)
{
    const auto it = m_engineLabels.find(static_cast<lisp_role>(event.role));
    if (it != m_engineLabels.end()) {
        label = it->second;
    }
    m_events.push_back({Simulator::Now(), label, static_cast<lisp_role>(event.role), event});
}

const std::vector<LispTraceRecorder::Event> &LispTraceRecorder::GetEvents() const
{
    return m_events;
}

void LispTraceRecorder::Clear()
{
    m_events.clear();
}

std::vector<const LispTraceRecorder::Event *> LispTraceRecorder::Select(const std::string &label,
                                                                        int kind) const
{
    std::vector<const Event *> out;
    for (const Event &e : m_events) {
        if (e.label == label && e.trace.kind == kind) {
            out.push_back(&e);
        }
    }
    return out;
}

std::vector<const LispTraceRecorder::Event *> LispTraceRecorder::WithNonce(uint64_t nonce) const
{
    std::vector<const Event *> out;
    for (const Event &e : m_events) {
        if (e.trace.nonce == nonce) {
            out.push_back(&e);
        }
    }
    return out;
}

uint32_t LispTraceRecorder::Count(const std::string &label, int kind, const Address &peer) const
{
    uint32_t n = 0;
    for (const Event &e : m_events) {
        if (e.label == label && e.trace.kind == kind &&
            (peer.IsInvalid() || LispEndpointIp(e.trace.peer) == peer)) {
            n++;
        }
    }
    return n;
}

std::vector<std::string> LispTraceRecorder::DescribeResolution(const Event &request,
                                                               const std::string &encapEid,
                                                               const Event **insert) const
{
    std::vector<std::string> lines;
    const Event *inserted = nullptr;
    bool replied = false;
    const uint64_t nonce = request.trace.nonce;
    for (size_t i = static_cast<size_t>(&request - m_events.data()); i < m_events.size(); i++) {
        const Event &e = m_events[i];
        const uint8_t kind = e.trace.kind;
        const bool ours = e.label == request.label && e.engine == request.engine;
        bool show = IsControl(kind) && e.trace.nonce == nonce;
        show = show || (ours && kind == LISP_TRACE_DROP && e.time == request.time);
        if (ours && kind == LISP_TRACE_MAPCACHE_INSERT && replied && !inserted) {
            show = true;
            inserted = &e;
        }
        if (ours && kind == LISP_TRACE_MAP_REPLY_RECEIVED && e.trace.nonce == nonce) {
            replied = true;
        }
        if (inserted && ours && kind == LISP_TRACE_ENCAP &&
            (encapEid.empty() || LispEidToString(e.trace.eid) == encapEid)) {
            lines.push_back(Describe(e) + "   <- first packet encapsulated");
            for (size_t j = i + 1; j < m_events.size(); j++) {
                if (m_events[j].trace.kind == LISP_TRACE_DECAP) {
                    lines.push_back(Describe(m_events[j]));
                    break;
                }
            }
            break;
        }
        if (show) {
            lines.push_back(Describe(e));
        }
    }
    if (insert) {
        *insert = inserted;
    }
    return lines;
}

std::string LispTraceRecorder::Describe(const Event &e)
{
    const lisp_trace &t = e.trace;
    std::ostringstream os;
    os << std::fixed << std::setprecision(6) << std::setw(10) << e.time.GetSeconds() << " s  "
       << std::left << std::setw(6) << e.label << " " << std::setw(12)
       << lisp_role_name(e.engine) << " " << std::setw(22)
       << lisp_trace_kind_name(t.kind) << std::right;
    if (t.kind == LISP_TRACE_DROP) {
        os << " (" << lisp_drop_reason_name(t.reason) << ")";
    }
    if (t.eid.afi) {
        os << " " << LispEidToString(t.eid);
    }
    if (t.nonce) {
        os << " nonce 0x" << std::hex << t.nonce << std::dec;
    }
    if (t.peer.afi) {
        os << " peer " << LispEndpointToString(t.peer);
    }
    if (t.kind == LISP_TRACE_MAPCACHE_INSERT || t.kind == LISP_TRACE_MAP_REPLY_RECEIVED ||
        t.kind == LISP_TRACE_MAP_REPLY_SENT) {
        os << " locators " << t.count;
    }
    return os.str();
}

bool LispTraceRecorder::IsControl(uint8_t kind)
{
    switch (static_cast<lisp_trace_kind>(kind)) {
    case LISP_TRACE_ENCAP:
    case LISP_TRACE_DECAP:
    case LISP_TRACE_FORWARD_NATIVE:
    case LISP_TRACE_DROP:
    case LISP_TRACE_STATE_CHANGE: // engine state, not a message or a mapping
    case LISP_TRACE_LOCATOR_CHANGE:
    case LISP_TRACE_REMOTE_LOCATOR_STATUS:
    case LISP_TRACE_INTERNAL_ERROR:
        return false;
    default:
        return true;
    }
}

std::string LispTraceRecorder::DropCounters(const lisp_xtr_stats &stats)
{
    std::ostringstream os;
    for (int r = 1; r < LISP_DROP_REASON_COUNT; r++) {
        if (stats.common.drops[r]) {
            os << ", dropped (" << lisp_drop_reason_name(r) << ") " << stats.common.drops[r];
        }
    }
    return os.str();
}

} // namespace ns3
