/*
 * lisp-trace-sources.cc - the engines' typed events as ns-3 trace sources
 * (lisp-trace-sources.h).
 */
#include "lisp-trace-sources.h"

#include "ns3/trace-source-accessor.h"

#include <functional>

namespace ns3
{

/* Connects to one TracedCallback of an object, as the accessor ns-3 makes for a member
 * would; `find` reaches it through the owner's LispTraceSources. */
template <typename Traced> class LispTraceSources::MemberAccessor : public TraceSourceAccessor
{
  public:
    typedef std::function<Traced *(ObjectBase *)> Find;

    explicit MemberAccessor(Find find) : m_find(std::move(find))
    {
    }

    bool ConnectWithoutContext(ObjectBase *obj, const CallbackBase &cb) const override
    {
        Traced *trace = m_find(obj);
        if (trace) {
            trace->ConnectWithoutContext(cb);
        }
        return trace != nullptr;
    }

    bool Connect(ObjectBase *obj, std::string context, const CallbackBase &cb) const override
    {
        Traced *trace = m_find(obj);
        if (trace) {
            trace->Connect(cb, context);
        }
        return trace != nullptr;
    }

    bool DisconnectWithoutContext(ObjectBase *obj, const CallbackBase &cb) const override
    {
        Traced *trace = m_find(obj);
        if (trace) {
            trace->DisconnectWithoutContext(cb);
        }
        return trace != nullptr;
    }

    bool Disconnect(ObjectBase *obj, std::string context, const CallbackBase &cb) const override
    {
        Traced *trace = m_find(obj);
        if (trace) {
            trace->Disconnect(cb, context);
        }
        return trace != nullptr;
    }

  private:
    Find m_find;
};

void LispTraceSources::AddTo(TypeId &tid, Finder find, const std::vector<int> &kinds)
{
    typedef TracedCallback<const lisp_trace &> Event;
    typedef TracedCallback<const std::string &, const lisp_trace &> Drop;
    auto accessor = [](TraceSourceAccessor *a) { return Ptr<const TraceSourceAccessor>(a, false); };
    tid.AddTraceSource("LispTrace",
                       "Every typed event of the engine(s); event.role names the engine.",
                       accessor(new MemberAccessor<Event>([find](ObjectBase *obj) -> Event * {
                           LispTraceSources *s = find(obj);
                           return s ? &s->m_raw : nullptr;
                       })),
                       "ns3::LispTraceSources::EventTraceCallback");
    tid.AddTraceSource("Drop",
                       "An engine dropped a packet or message; the reason comes first "
                       "(\"map-cache-miss\", \"auth-failed\", \"nat-filtered\", ...).",
                       accessor(new MemberAccessor<Drop>([find](ObjectBase *obj) -> Drop * {
                           LispTraceSources *s = find(obj);
                           return s ? &s->m_drop : nullptr;
                       })),
                       "ns3::LispTraceSources::DropTraceCallback");
    for (const int kind : kinds) {
        const lisp_trace_kind_desc *desc = lisp_trace_kind_info(kind);
        if (kind == LISP_TRACE_DROP || !desc) {
            continue; // "Drop" above, with the reason's name
        }
        tid.AddTraceSource(
            desc->source, desc->help,
            accessor(new MemberAccessor<Event>([find, kind](ObjectBase *obj) -> Event * {
                LispTraceSources *s = find(obj);
                return s ? &s->m_kinds[kind] : nullptr;
            })),
            "ns3::LispTraceSources::EventTraceCallback");
    }
}

std::vector<int> LispTraceSources::AllKinds()
{
    std::vector<int> kinds;
    for (int kind = 1; kind < LISP_TRACE_KIND_COUNT; kind++) {
        kinds.push_back(kind);
    }
    return kinds;
}

void LispTraceSources::Fire(const lisp_trace &event)
{
    m_raw(event);
    if (event.kind == LISP_TRACE_DROP) {
        if (!m_drop.IsEmpty()) {
            m_drop(lisp_drop_reason_name(event.reason), event);
        }
        return;
    }
    if (event.kind > 0 && event.kind < LISP_TRACE_KIND_COUNT) {
        m_kinds[event.kind](event);
    }
}

} // namespace ns3
