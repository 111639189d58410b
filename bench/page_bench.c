/* Benchmark of the Zen page allocator (core/zen_page.h). Not a test: it
 * prints a table and the targets with PASS/MISS and always exits 0 unless
 * the allocator itself returns an error it should not.
 *
 * Managed ranges of 16 MiB, 256 MiB and 4 GiB of 4 KiB frames, every frame
 * added. Metadata only: the descriptor and bitmap arrays come from calloc,
 * there is no direct map and no frame is touched.
 *
 * Measured with clock_gettime(CLOCK_MONOTONIC), the median over REPS
 * repetitions of a batch of BATCH operations:
 *   (a) order-0 pair: zen_page_alloc(order 0) + zen_page_free on an allocator
 *       whose frames are all free, so each pair splits a maximal block down to
 *       order 0 and merges it back (the full split/merge chain);
 *   (b) mixed: a seeded random workload holding about MIXED_LIVE blocks of
 *       orders 0..5 (order k with probability 2^-(k+1), order 5 takes the
 *       rest), each step an alloc or a free of a random live block; ns per
 *       step;
 *   (c) glibc: posix_memalign(&p, 4096, 4096) + free, measured beside them.
 * Also printed, not a target: the order-0 pair when an order-0 block is
 * already free (no split, no merge).
 *
 * Within a repetition the three ranges run one after the other in an order
 * that rotates with the repetition, so machine noise falls on all of them
 * alike. Results are summed into a volatile sink so nothing is optimised
 * away, and zen_page_check() validates every instance at the end (outside
 * the timing). */
#define _POSIX_C_SOURCE 200112L

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zen_page.h"

#define BENCH_NAME "page_bench"
#include "bench_util.h"

#define REPS 31u
#define BATCH 100000u
#define MIXED_LIVE 256u
#define MIXED_MAX_ORDER 5u
#define START_PFN ((zen_pfn)0x100000) /* 4 GiB physical: aligned to every order */

#define TARGET_PAIR_NS 25.0
#define TARGET_SCALING 1.5

static volatile uint64_t g_sink;

typedef struct instance {
    zen_page_allocator a;
    zen_page_frame *frames;
    uint64_t *words;
    uint64_t nwords;
} instance;

static void instance_open(instance *in, uint64_t nframes)
{
    in->nwords = zen_page_bitmap_words(START_PFN, nframes);
    in->frames = xcalloc((size_t)nframes, sizeof *in->frames);
    in->words = xcalloc((size_t)in->nwords, sizeof *in->words);
    zen_status st = zen_page_init(&in->a, START_PFN, nframes, in->frames, in->words,
                                  in->nwords, NULL, NULL);
    if (st != ZEN_OK)
        die("zen_page_init", st);
    st = zen_page_add_range(&in->a, START_PFN, nframes);
    if (st != ZEN_OK)
        die("zen_page_add_range", st);
}

static void instance_check(instance *in, const char *name)
{
    zen_page_check_report r;
    zen_status st = zen_page_check(&in->a, &r);
    if (st != ZEN_OK) {
        fprintf(stderr, "page_bench: zen_page_check(%s): invariant %u at pfn %" PRIu64 "\n",
                name, (unsigned)r.invariant, r.pfn);
        exit(1);
    }
}

static void instance_close(instance *in)
{
    free(in->frames);
    free(in->words);
}

typedef struct live_block {
    zen_pfn pfn;
    unsigned order;
} live_block;

typedef struct range {
    const char *name;
    uint64_t nframes;
    instance cold;  /* all frames free: the order-0 pair */
    instance warm;  /* one order-0 frame pinned: its buddy is a free order-0 block */
    instance mixed; /* the mixed workload */
    live_block live[2u * MIXED_LIVE];
    uint64_t nlive;
    uint64_t nomem;
    double pair[REPS], warm_pair[REPS], mix[REPS], glibc[REPS];
} range;

/* (a) order-0 alloc + free, BATCH times; ns per pair */
static double bench_pair(instance *in)
{
    uint64_t sum = 0;
    double t0 = now_ns();
    for (unsigned i = 0; i < BATCH; i++) {
        zen_pfn p;
        zen_status st = zen_page_alloc(&in->a, 0, 0, &p);
        if (st != ZEN_OK)
            die("zen_page_alloc (pair)", st);
        sum += p;
        st = zen_page_free(&in->a, p, 0);
        if (st != ZEN_OK)
            die("zen_page_free (pair)", st);
    }
    double t1 = now_ns();
    g_sink += sum;
    return (t1 - t0) / BATCH;
}

/* (b) one mixed step per random word; ns per step */
static double bench_mixed(range *r, const uint64_t *rnd)
{
    instance *in = &r->mixed;
    uint64_t sum = 0, nlive = r->nlive, nomem = 0;
    double t0 = now_ns();
    for (unsigned i = 0; i < BATCH; i++) {
        uint64_t x = rnd[i];
        /* alloc with probability (2N - live) / 2N: the live count hovers at N */
        if ((x & 0xFFFFu) % (2u * MIXED_LIVE) >= nlive) {
            unsigned order = (unsigned)__builtin_ctzll((x >> 16) | (1u << MIXED_MAX_ORDER));
            zen_pfn p;
            zen_status st = zen_page_alloc(&in->a, order, 0, &p);
            if (st == ZEN_OK) {
                r->live[nlive].pfn = p;
                r->live[nlive].order = order;
                nlive++;
                sum += p;
            } else if (st == ZEN_ERR_NOMEM) {
                nomem++;
            } else {
                die("zen_page_alloc (mixed)", st);
            }
        } else {
            uint64_t v = (x >> 32) % nlive;
            zen_status st = zen_page_free(&in->a, r->live[v].pfn, r->live[v].order);
            if (st != ZEN_OK)
                die("zen_page_free (mixed)", st);
            r->live[v] = r->live[--nlive];
        }
    }
    double t1 = now_ns();
    r->nlive = nlive;
    r->nomem += nomem;
    g_sink += sum;
    return (t1 - t0) / BATCH;
}

/* (c) glibc page-sized, page-aligned allocation + free; ns per pair */
static double bench_glibc(void)
{
    uint64_t sum = 0;
    double t0 = now_ns();
    for (unsigned i = 0; i < BATCH; i++) {
        void *p;
        if (posix_memalign(&p, 4096, 4096) != 0) {
            fprintf(stderr, "page_bench: posix_memalign failed\n");
            exit(1);
        }
        sum += (uint64_t)(uintptr_t)p;
        free(p);
    }
    double t1 = now_ns();
    g_sink += sum;
    return (t1 - t0) / BATCH;
}

static uint64_t g_rng = 0x5EED5EEDu;
int main(void)
{
    static range ranges[] = {
        {.name = "16 MiB", .nframes = (16ull << 20) >> ZEN_PAGE_SHIFT},
        {.name = "256 MiB", .nframes = (256ull << 20) >> ZEN_PAGE_SHIFT},
        {.name = "4 GiB", .nframes = (4ull << 30) >> ZEN_PAGE_SHIFT},
    };
    const unsigned nr = sizeof ranges / sizeof ranges[0];
    uint64_t *rnd = xcalloc(BATCH, sizeof *rnd);

    for (unsigned i = 0; i < nr; i++) {
        range *r = &ranges[i];
        instance_open(&r->cold, r->nframes);
        instance_open(&r->warm, r->nframes);
        instance_open(&r->mixed, r->nframes);
        zen_pfn pinned;
        zen_status st = zen_page_alloc(&r->warm.a, 0, 0, &pinned);
        if (st != ZEN_OK)
            die("zen_page_alloc (pin)", st);
    }

    /* warm-up: one untimed batch of everything, and the mixed workload
     * brought to its steady state */
    for (unsigned i = 0; i < BATCH; i++)
        rnd[i] = splitmix64(&g_rng);
    for (unsigned i = 0; i < nr; i++) {
        (void)bench_pair(&ranges[i].cold);
        (void)bench_pair(&ranges[i].warm);
        (void)bench_mixed(&ranges[i], rnd);
        ranges[i].nomem = 0;
    }
    (void)bench_glibc();

    for (unsigned rep = 0; rep < REPS; rep++) {
        for (unsigned i = 0; i < BATCH; i++)
            rnd[i] = splitmix64(&g_rng);
        for (unsigned j = 0; j < nr; j++) {
            range *r = &ranges[(rep + j) % nr];
            r->pair[rep] = bench_pair(&r->cold);
            r->mix[rep] = bench_mixed(r, rnd);
            r->glibc[rep] = bench_glibc();
            r->warm_pair[rep] = bench_pair(&r->warm);
        }
    }

    for (unsigned i = 0; i < nr; i++) {
        range *r = &ranges[i];
        instance_check(&r->cold, r->name);
        instance_check(&r->warm, r->name);
        instance_check(&r->mixed, r->name);
        if (r->cold.a.stats.free_frames != r->cold.a.stats.managed) {
            fprintf(stderr, "page_bench: %s: frames lost in the pair benchmark\n", r->name);
            return 1;
        }
    }

    double pair[3], warm[3], mix[3], glibc[3];
    for (unsigned i = 0; i < nr; i++) {
        pair[i] = median(ranges[i].pair, REPS);
        warm[i] = median(ranges[i].warm_pair, REPS);
        mix[i] = median(ranges[i].mix, REPS);
        glibc[i] = median(ranges[i].glibc, REPS);
    }

    printf("Zen page allocator benchmark: median of %u repetitions of %u operations,\n"
           "4 KiB frames, all added, metadata only; mixed = ~%u live blocks of orders 0..%u.\n\n",
           REPS, BATCH, MIXED_LIVE, MIXED_MAX_ORDER);
    printf("| range   | frames  | metadata   | order-0 pair ns | mixed ns/op | glibc pair ns |"
           " ratio 4GiB/16MiB (pair, mixed) |\n");
    printf("|---------|---------|------------|-----------------|-------------|---------------|"
           "--------------------------------|\n");
    for (unsigned i = 0; i < nr; i++) {
        range *r = &ranges[i];
        double meta = (double)(r->nframes * sizeof(zen_page_frame) +
                               r->cold.nwords * sizeof(uint64_t)) / (1024.0 * 1024.0);
        char ratio[64];
        if (i == nr - 1u)
            snprintf(ratio, sizeof ratio, "%.2f, %.2f", pair[i] / pair[0], mix[i] / mix[0]);
        else
            snprintf(ratio, sizeof ratio, "(%.2f, %.2f)", pair[i] / pair[0], mix[i] / mix[0]);
        printf("| %-7s | %7" PRIu64 " | %6.2f MiB | %15.1f | %11.1f | %13.1f | %30s |\n",
               r->name, r->nframes, meta, pair[i], mix[i], glibc[i], ratio);
    }
    printf("\n(ratio column: each range against 16 MiB; the 4 GiB row is the target's.)\n");
    printf("order-0 pair with a free order-0 block at hand (no split/merge), not a target:");
    for (unsigned i = 0; i < nr; i++)
        printf(" %s %.1f ns%s", ranges[i].name, warm[i], i + 1u < nr ? "," : "\n");
    uint64_t nomem = 0;
    for (unsigned i = 0; i < nr; i++)
        nomem += ranges[i].nomem;
    printf("mixed workload NOMEM answers (counted as ops): %" PRIu64 "\n\n", nomem);

    printf("Targets:\n");
    for (unsigned i = 0; i < nr; i++)
        printf("  order-0 pair <= %.0f ns at %-7s: %5.1f ns  %s\n", TARGET_PAIR_NS,
               ranges[i].name, pair[i], pair[i] <= TARGET_PAIR_NS ? "PASS" : "MISS");
    double rp = pair[nr - 1u] / pair[0], rm = mix[nr - 1u] / mix[0];
    printf("  4 GiB cost <= %.1fx 16 MiB, order-0 pair: %.2fx  %s\n", TARGET_SCALING, rp,
           rp <= TARGET_SCALING ? "PASS" : "MISS");
    printf("  4 GiB cost <= %.1fx 16 MiB, mixed:        %.2fx  %s\n", TARGET_SCALING, rm,
           rm <= TARGET_SCALING ? "PASS" : "MISS");

    for (unsigned i = 0; i < nr; i++) {
        instance_close(&ranges[i].cold);
        instance_close(&ranges[i].warm);
        instance_close(&ranges[i].mixed);
    }
    free(rnd);
    return 0;
}
