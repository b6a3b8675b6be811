/*
 * lisp-time.h - the one place where ns-3 time and engine time convert.
 *
 * The C engines count time as lisp_time_t: unsigned nanoseconds, with LISP_TIME_NEVER
 * meaning "no deadline" (lisp_types.h). ns-3 counts signed steps of a global resolution
 * (nanoseconds unless Time::SetResolution changed it). Every adapter converts through
 * these two functions and nowhere else.
 */
#ifndef LISP_TIME_H
#define LISP_TIME_H

#include "lisp_types.h"

#include "ns3/nstime.h"

namespace ns3
{

/**
 * Simulator time to engine time.
 *
 * Negative times give 0. Time::Max() gives LISP_TIME_NEVER, and so does any time too
 * large for 64-bit nanoseconds (over 584 years). Steps finer than a nanosecond are
 * truncated, which keeps the engine's clock from running ahead of the simulator.
 */
lisp_time_t LispTimeFromNs3(Time t);

/**
 * Engine time (a deadline) to simulator time.
 *
 * Rounds up to the simulator's resolution, so that an event scheduled for a deadline
 * never fires before it: LispTimeFromNs3(LispTimeToNs3(d)) >= d for every d. (ns-3's
 * Click integration converts timers the same way.) LISP_TIME_NEVER, and any deadline
 * beyond the range of Time, gives Time::Max().
 */
Time LispTimeToNs3(lisp_time_t t);

} // namespace ns3

#endif /* LISP_TIME_H */
