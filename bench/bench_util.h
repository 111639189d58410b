/* Helpers shared by the benchmarks: the clock, allocation and exits that
 * name the benchmark, splitmix64 random words, and the median. A benchmark
 * defines BENCH_NAME (its name in messages) before including this. */
#ifndef ZEN_BENCH_UTIL_H
#define ZEN_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "zen_status.h"

static inline double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL) {
        fprintf(stderr, BENCH_NAME ": out of memory\n");
        exit(2);
    }
    return p;
}

static inline void die(const char *what, zen_status st)
{
    fprintf(stderr, BENCH_NAME ": %s failed with status %d\n", what, (int)st);
    exit(1);
}

/* The next splitmix64 word of the sequence in *state. */
static inline uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static inline int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The median of v[0 .. n - 1] (sorts v). */
static inline double median(double *v, unsigned n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2u];
}

#endif
