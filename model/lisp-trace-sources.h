/*
 * lisp-trace-sources.h - the engines' typed events (lisp_trace.h) as ns-3 trace sources,
 * for every ns-3 object that hosts an engine (LispEngineApp, LispNat).
 *
 * An object keeps one LispTraceSources, registers its sources in its GetTypeId with
 * LispTraceSources::AddTo and fires them from its trace callback with Fire:
 *   - "LispTrace": every event;
 *   - "Drop": a dropped packet, with the reason's name first ("nat-filtered", ...);
 *   - one source per trace kind the object's engine emits, named and documented by the
 *     row of the kind table in lisp_trace.h ("MapRequestSent", "NatMappingCreated", ...).
 * The per-kind sources live in an array, which ns-3's MakeTraceSourceAccessor cannot point
 * at; the accessor here finds them through the owner's member.
 */
#ifndef LISP_TRACE_SOURCES_H
#define LISP_TRACE_SOURCES_H

#include "lisp_trace.h"

#include "ns3/object-base.h"
#include "ns3/traced-callback.h"
#include "ns3/type-id.h"

#include <array>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup lisp
 * The trace sources of one engine host: "LispTrace", "Drop" and one per trace kind.
 */
class LispTraceSources
{
  public:
    /** Signature of "LispTrace" and of the per-kind trace sources (event.role says which
     * engine of a bundle emitted it). */
    typedef void (*EventTraceCallback)(const lisp_trace &event);
    /** Signature of the trace source "Drop": the reason ("map-cache-miss") and the event. */
    typedef void (*DropTraceCallback)(const std::string &reason, const lisp_trace &event);

    /** Finds the LispTraceSources of an object of the owner's type (nullptr: another type). */
    typedef LispTraceSources *(*Finder)(ObjectBase *object);

    /**
     * Register "LispTrace", "Drop" and one source per kind in `kinds` (LISP_TRACE_DROP is
     * the "Drop" source and is skipped) on `tid`.
     */
    static void AddTo(TypeId &tid, Finder find, const std::vector<int> &kinds);
    /** Every kind of the table (1 .. LISP_TRACE_KIND_COUNT-1). */
    static std::vector<int> AllKinds();

    /** The owner's Finder for LispTraceSources `member` of class T. */
    template <typename T, LispTraceSources T::*member>
    static LispTraceSources *Find(ObjectBase *object)
    {
        T *owner = dynamic_cast<T *>(object);
        return owner ? &(owner->*member) : nullptr;
    }

    /** Fire "LispTrace", and "Drop" or the event's kind. */
    void Fire(const lisp_trace &event);

  private:
    class KindAccessor;
    template <typename Traced> class MemberAccessor;

    TracedCallback<const lisp_trace &> m_raw;
    std::array<TracedCallback<const lisp_trace &>, LISP_TRACE_KIND_COUNT> m_kinds;
    TracedCallback<const std::string &, const lisp_trace &> m_drop;
};

} // namespace ns3

#endif /* LISP_TRACE_SOURCES_H */
