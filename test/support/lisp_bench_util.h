/*
 * lisp_bench_util.h - what every C benchmark of test/bench needs: a deterministic random
 * sequence (the same run every time), two clocks and the comparison for taking a median.
 */
#ifndef LISP_BENCH_UTIL_H
#define LISP_BENCH_UTIL_H

#include <stdint.h>
#include <time.h>

#define BENCH_RNG_SEED 0x9E3779B97F4A7C15ull

/* xorshift64: fast, and repeatable from BENCH_RNG_SEED. */
static inline uint64_t bench_xorshift(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* Wall-clock seconds (CLOCK_MONOTONIC). */
static inline double bench_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of this thread: on a shared machine a figure per core should not count the
 * time other processes had the core (their cache pollution still counts). */
static inline double bench_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* qsort comparison of doubles, ascending. */
static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
