/*
 * lisp-time-test-suite.cc - ns-3 TestSuite "lisp-time": LispTimeFromNs3 and LispTimeToNs3.
 */
#include "ns3/lisp-time.h"
#include "ns3/test.h"

#include <cstdint>
#include <iostream>
#include <limits>

using namespace ns3;

namespace
{

/* Deadlines around step boundaries, for the properties every resolution must keep. */
const lisp_time_t DEADLINES[] = {0, 1, 999, 1000, 1001, 1999, 123456789, 10 * LISP_NS_PER_SEC};

/* At nanosecond resolution (or finer) both directions are exact. */
class LispTimeExactTestCase : public TestCase
{
  public:
    LispTimeExactTestCase() : TestCase("exact conversions at nanosecond resolution")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(Seconds(0)), lisp_time_t{0}, "zero");
        NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(NanoSeconds(1)), lisp_time_t{1}, "1 ns");
        NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(Seconds(3)), 3 * LISP_NS_PER_SEC, "3 s");
        NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(NanoSeconds(-5)), lisp_time_t{0}, "negative is 0");
        NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(Time::Min()), lisp_time_t{0}, "Time::Min() is 0");
        NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(Time::Max()), LISP_TIME_NEVER, "Max is NEVER");

        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(0), Seconds(0), "zero");
        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(1), NanoSeconds(1), "1 ns");
        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(3 * LISP_NS_PER_SEC), Seconds(3), "3 s");
        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(LISP_TIME_NEVER), Time::Max(), "NEVER is Max");
        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(LISP_TIME_NEVER - 1), Time::Max(),
                              "beyond the range of Time saturates");

        for (lisp_time_t d : DEADLINES) {
            NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(LispTimeToNs3(d)), d, "round trip of " << d);
        }
    }
};

/*
 * At a resolution coarser than 1 ns a deadline rounds up to the next step, so a timer
 * never fires before it. Time::SetResolution works once per process only, so this case
 * is the suite's last; ctest and ns-3's test.py run every suite in its own process.
 */
class LispTimeRoundingTestCase : public TestCase
{
  public:
    LispTimeRoundingTestCase() : TestCase("deadlines round up at microsecond resolution")
    {
    }

  private:
    void DoRun() override
    {
        if (Time::GetResolution() != Time::NS) {
            // Another suite in this process changed it already; a second change would crash.
            std::cerr << "lisp-time: resolution already changed, rounding not checked; "
                         "run this suite alone (--suite=lisp-time)\n";
            return;
        }
        Time::SetResolution(Time::US);

        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(0), Seconds(0), "zero stays zero");
        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(1), MicroSeconds(1), "1 ns rounds up to 1 us");
        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(1000), MicroSeconds(1), "1000 ns is exactly 1 us");
        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(1001), MicroSeconds(2), "1001 ns rounds up to 2 us");
        NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(MicroSeconds(2)), lisp_time_t{2000}, "2 us");

        for (lisp_time_t d : DEADLINES) {
            const Time at = LispTimeToNs3(d);
            NS_TEST_ASSERT_MSG_GT_OR_EQ(LispTimeFromNs3(at), d, "deadline " << d << " early");
            if (d > 0) {
                NS_TEST_ASSERT_MSG_LT(LispTimeFromNs3(at - TimeStep(1)), d,
                                      "deadline " << d << " rounded up by more than a step");
            }
        }

        NS_TEST_ASSERT_MSG_EQ(LispTimeToNs3(LISP_TIME_NEVER), Time::Max(), "NEVER is Max");
        NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(Time::Max()), LISP_TIME_NEVER, "Max is NEVER");
        const int64_t huge = std::numeric_limits<int64_t>::max() - 1; // microseconds
        NS_TEST_ASSERT_MSG_EQ(LispTimeFromNs3(TimeStep(huge)), LISP_TIME_NEVER,
                              "beyond 64-bit nanoseconds saturates");
    }
};

class LispTimeTestSuite : public TestSuite
{
  public:
    LispTimeTestSuite() : TestSuite("lisp-time", Type::UNIT)
    {
        AddTestCase(new LispTimeExactTestCase);
        AddTestCase(new LispTimeRoundingTestCase); // changes the resolution
    }
};

LispTimeTestSuite g_lispTimeTestSuite;

} // namespace
