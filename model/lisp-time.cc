/*
 * lisp-time.cc - conversions between ns-3 Time and engine lisp_time_t (see lisp-time.h).
 *
 * Both directions work on raw time steps rather than through NanoSeconds() and
 * GetNanoSeconds(): at a resolution coarser than 1 ns those truncate, while a deadline
 * must round up, and far from 0 they overflow where these functions saturate.
 */
#include "lisp-time.h"

#include <cstdint>

namespace ns3
{

namespace
{

/* Resolutions run from Time::Y (coarsest) to Time::FS (finest); at NS and finer, one
 * nanosecond is a whole number of steps, otherwise one step is many nanoseconds. */
bool NanosecondIsWholeSteps()
{
    return Time::GetResolution() >= Time::NS;
}

uint64_t StepsPerNanosecond()
{
    return static_cast<uint64_t>(NanoSeconds(1).GetTimeStep());
}

uint64_t NanosecondsPerStep()
{
    return static_cast<uint64_t>(TimeStep(1).GetNanoSeconds());
}

} // namespace

lisp_time_t LispTimeFromNs3(Time t)
{
    if (t.IsStrictlyNegative()) {
        return 0;
    }
    if (t == Time::Max()) {
        return LISP_TIME_NEVER;
    }
    const auto steps = static_cast<uint64_t>(t.GetTimeStep());
    if (NanosecondIsWholeSteps()) {
        return steps / StepsPerNanosecond(); // truncates: never ahead of the simulator
    }
    const uint64_t nsPerStep = NanosecondsPerStep();
    if (steps > (LISP_TIME_NEVER - 1) / nsPerStep) {
        return LISP_TIME_NEVER; // saturate rather than wrap around
    }
    return steps * nsPerStep;
}

Time LispTimeToNs3(lisp_time_t t)
{
    if (t == LISP_TIME_NEVER) {
        return Time::Max();
    }
    if (NanosecondIsWholeSteps()) {
        const auto maxSteps = static_cast<uint64_t>(Time::Max().GetTimeStep());
        const uint64_t stepsPerNs = StepsPerNanosecond();
        return t > maxSteps / stepsPerNs ? Time::Max() : TimeStep(t * stepsPerNs);
    }
    // Round up: a timer scheduled one step early would find its deadline not yet reached.
    const uint64_t nsPerStep = NanosecondsPerStep();
    return TimeStep(t / nsPerStep + (t % nsPerStep != 0 ? 1 : 0));
}

} // namespace ns3
