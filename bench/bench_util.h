/* What the benchmarks share: the reference network and a monotonic clock. */
#ifndef FACIES_BENCH_UTIL_H
#define FACIES_BENCH_UTIL_H

#include <time.h>

/* The textbook's network (issue 5; ../shared/bench/model.py). */
#define BENCH_REFERENCE_SPEC "conv32-pool-conv64-pool-conv128-pool-flatten-dense128-dropout0.5-dense"

/* Seconds on the monotonic clock. */
static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

#endif
