/* Benchmark of the Zen slab layer (core/zen_slab.h) against glibc malloc,
 * mimalloc and jemalloc. Not a test: it prints a table and the targets with
 * OK/MISS and always exits 0 unless an allocator returns an error it should
 * not, or zen_kmem_check / zen_zone_check fails after the run.
 *
 * Zen side: a zone set built from a one-entry memory map (ZONE_BYTES usable
 * at ZONE_BASE, all in ZEN_ZONE_DMA32, watermarks 0) and a zen_kmem with
 * NRECORDS slab records. Descriptors, bitmap words and records come from
 * calloc; there is no direct map. Zen objects are physical addresses and the
 * core never touches object memory; to match, the benchmark writes no
 * object memory for any contender: every returned address or pointer only
 * goes into a volatile sink. (The malloc contenders still write their own
 * free-list links into freed blocks; Zen's metadata is out of band.)
 *
 * Contenders; Zen, mimalloc and jemalloc are called directly in the timed
 * loops, glibc through two pointers held in registers (an indirect call,
 * comparable to the indirect jump of the others' PLT calls):
 *   Zen       zen_slab_alloc / zen_slab_free, zen_kmalloc / zen_kfree
 *   glibc     glibc's own malloc / free, looked up with dlsym in the handle
 *             of libc.so.6 and called through pointers: libmimalloc and
 *             libjemalloc both export malloc and free, and libmimalloc also
 *             exports __libc_malloc and __libc_free, so in this process
 *             those names reach whichever allocator library comes first
 *   mimalloc  mi_malloc / mi_free
 *   jemalloc  mallocx(size, 0) / dallocx(ptr, 0): jemalloc's non-standard
 *             API, exported only by jemalloc
 * The library each entry point lives in is found with dladdr and printed.
 *
 * Workloads, each figure the median over REPS repetitions of a batch of
 * BATCH operations timed with clock_gettime(CLOCK_MONOTONIC):
 *   (a) cache pair: one 64-byte allocation immediately followed by its free
 *       (hot LIFO); ns per pair. Zen uses a cache made by
 *       zen_slab_cache_create(k, &c, 64, 0, 0, 0, 0). Every contender holds
 *       one 64-byte object live beforehand, so Zen's slab stays partial;
 *   (b) kmalloc mixed: MIXED_LIVE objects live, sizes uniform in
 *       MIXED_MIN..MIXED_MAX bytes; each step frees a random live object and
 *       allocates one of a random size in its place; ns per step (one free
 *       plus one alloc). The random words are drawn before each repetition,
 *       and the same words drive every contender, so all do the same
 *       sequence of requests.
 * Within each repetition the contenders run one after the other in an order
 * that rotates with the repetition, so machine noise falls on all of them
 * alike. */
#define _GNU_SOURCE /* dlsym(RTLD_DEFAULT, ...) and dladdr */

#include <dlfcn.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jemalloc/jemalloc.h>
#include <mimalloc.h>

#include "zen_slab.h"

#define BENCH_NAME "slab_bench"
#include "bench_util.h"

#define REPS 31u
#define BATCH 100000u
#define PAIR_SIZE 64u
#define MIXED_LIVE 1000u
#define MIXED_MIN 16u
#define MIXED_MAX 1024u
#define ZONE_BASE (1ull << 30)  /* 1 GiB: zone DMA32 */
#define ZONE_BYTES (64ull << 20)
#define NRECORDS 4096u

#define TARGET_PAIR_VS_GLIBC 0.5
#define TARGET_MIXED_VS_MIMALLOC 1.0

enum { ZEN = 0, GLIBC = 1, MIMALLOC = 2, JEMALLOC = 3, NCONTENDERS = 4 };

static volatile uint64_t g_sink;

static void die_null(const char *who)
{
    fprintf(stderr, "slab_bench: %s returned NULL\n", who);
    exit(1);
}

/* ---- random words ------------------------------------------------------------ */

static uint64_t g_rng = 0x51AB5EEDu;
/* A mixed step's live slot (low half of x) and size (high half of x). */
static inline uint32_t step_slot(uint64_t x)
{
    return (uint32_t)(((x & 0xFFFFFFFFu) * MIXED_LIVE) >> 32);
}

static inline size_t step_size(uint64_t x)
{
    return (size_t)(MIXED_MIN + (((x >> 32) * (MIXED_MAX - MIXED_MIN + 1u)) >> 32));
}

/* ---- Zen -------------------------------------------------------------------- */

typedef struct zen_side {
    zen_zone_set zones;
    zen_page_frame *frames;
    uint64_t *words;
    uint64_t nframes, nwords;
    zen_slab *records;
    zen_kmem k;
    zen_slab_cache c64;          /* the cache of the pair workload */
    zen_paddr held;              /* one object of c64 kept live */
    zen_paddr live[MIXED_LIVE];  /* the mixed workload's live kmalloc objects */
} zen_side;

static void zen_open(zen_side *z)
{
    zen_mem_range map[1] = {{ZONE_BASE, ZONE_BYTES, ZEN_MEM_USABLE}};
    zen_zone_layout plan;
    zen_status st = zen_zone_plan(map, 1, 1, &plan);
    if (st != ZEN_OK)
        die("zen_zone_plan", st);
    z->nframes = plan.frames_needed;
    z->nwords = plan.words_needed;
    z->frames = xcalloc((size_t)z->nframes, sizeof *z->frames);
    z->words = xcalloc((size_t)z->nwords, sizeof *z->words);
    st = zen_zone_init(&z->zones, map, 1, 1, z->frames, z->nframes, z->words, z->nwords, NULL);
    if (st != ZEN_OK)
        die("zen_zone_init", st);
    st = zen_zone_set_watermarks(&z->zones, ZEN_ZONE_DMA32, 0, 0, 0);
    if (st != ZEN_OK)
        die("zen_zone_set_watermarks", st);
    z->records = xcalloc(NRECORDS, sizeof *z->records);
    st = zen_kmem_init(&z->k, &z->zones, z->records, NRECORDS, NULL);
    if (st != ZEN_OK)
        die("zen_kmem_init", st);
    st = zen_slab_cache_create(&z->k, &z->c64, PAIR_SIZE, 0, 0, 0, 0);
    if (st != ZEN_OK)
        die("zen_slab_cache_create", st);
    st = zen_slab_alloc(&z->k, &z->c64, &z->held);
    if (st != ZEN_OK)
        die("zen_slab_alloc (held)", st);
}

/* ncaches is 1 while c64 is a cache of the kmem, 0 once it is destroyed. */
static void zen_check(zen_side *z, const char *when, uint32_t ncaches)
{
    zen_slab_check_report r;
    const zen_slab_cache *caches[1] = {&z->c64};
    zen_status st = zen_kmem_check(&z->k, caches, ncaches, &r);
    if (st != ZEN_OK) {
        fprintf(stderr, "slab_bench: zen_kmem_check %s: invariant %u at record %u\n", when,
                (unsigned)r.invariant, (unsigned)r.record);
        exit(1);
    }
    zen_zone_check_report zr;
    st = zen_zone_check(&z->zones, &zr);
    if (st != ZEN_OK) {
        fprintf(stderr, "slab_bench: zen_zone_check %s: invariant %u in zone %u\n", when,
                (unsigned)zr.invariant, (unsigned)zr.zone);
        exit(1);
    }
}

static uint64_t zen_free_frames(const zen_side *z)
{
    zen_zone_info info;
    zen_status st = zen_zone_stats(&z->zones, ZEN_ZONE_DMA32, &info);
    if (st != ZEN_OK)
        die("zen_zone_stats", st);
    return info.free_frames;
}

/* (a) BATCH times alloc + free on the 64-byte cache; ns per pair. */
static double zen_pair(zen_side *z)
{
    zen_kmem *k = &z->k;
    zen_slab_cache *c = &z->c64;
    uint64_t sum = 0;
    double t0 = now_ns();
    for (unsigned i = 0; i < BATCH; i++) {
        zen_paddr a;
        zen_status st = zen_slab_alloc(k, c, &a);
        if (st != ZEN_OK)
            die("zen_slab_alloc (pair)", st);
        sum += a;
        st = zen_slab_free(k, c, a);
        if (st != ZEN_OK)
            die("zen_slab_free (pair)", st);
    }
    double t1 = now_ns();
    g_sink += sum;
    return (t1 - t0) / BATCH;
}

/* The frame-descriptor lookup that opens every zen_slab_free, alone:
 * zen_zone_block_of on the held object's frame, BATCH times. Each lookup's
 * frame depends on the last one's answer (its tag, always below 2^31), as a
 * free's address depends on the alloc before it, so this is the lookup's
 * latency on the pair's critical path; ns per lookup. Not a contender. */
static double zen_lookup_chain(zen_side *z)
{
    zen_pfn pfn = z->held >> ZEN_PAGE_SHIFT;
    double t0 = now_ns();
    for (unsigned i = 0; i < BATCH; i++) {
        zen_zone_block b;
        zen_status st = zen_zone_block_of(&z->zones, pfn, &b);
        if (st != ZEN_OK)
            die("zen_zone_block_of (lookup)", st);
        pfn = (z->held >> ZEN_PAGE_SHIFT) | (b.tag >> 31);
    }
    double t1 = now_ns();
    g_sink += pfn;
    return (t1 - t0) / BATCH;
}

static void zen_fill(zen_side *z, const uint64_t *rnd)
{
    for (unsigned i = 0; i < MIXED_LIVE; i++) {
        zen_status st = zen_kmalloc(&z->k, step_size(rnd[i]), 0, &z->live[i]);
        if (st != ZEN_OK)
            die("zen_kmalloc (fill)", st);
    }
}

/* (b) one free + one alloc per random word; ns per step. */
static double zen_mixed(zen_side *z, const uint64_t *rnd)
{
    zen_kmem *k = &z->k;
    zen_paddr *live = z->live;
    uint64_t sum = 0;
    double t0 = now_ns();
    for (unsigned i = 0; i < BATCH; i++) {
        uint64_t x = rnd[i];
        uint32_t v = step_slot(x);
        zen_status st = zen_kfree(k, live[v]);
        if (st != ZEN_OK)
            die("zen_kfree (mixed)", st);
        st = zen_kmalloc(k, step_size(x), 0, &live[v]);
        if (st != ZEN_OK)
            die("zen_kmalloc (mixed)", st);
        sum += live[v];
    }
    double t1 = now_ns();
    g_sink += sum;
    return (t1 - t0) / BATCH;
}

/* Free everything, return every empty slab, and check that the zone got
 * all its frames back. */
static void zen_close(zen_side *z)
{
    zen_status st;
    for (unsigned i = 0; i < MIXED_LIVE; i++)
        if ((st = zen_kfree(&z->k, z->live[i])) != ZEN_OK)
            die("zen_kfree (drain)", st);
    if ((st = zen_slab_free(&z->k, &z->c64, z->held)) != ZEN_OK)
        die("zen_slab_free (held)", st);
    if ((st = zen_slab_cache_destroy(&z->k, &z->c64)) != ZEN_OK)
        die("zen_slab_cache_destroy", st);
    for (unsigned i = 0; i < ZEN_KMALLOC_CLASSES; i++)
        if ((st = zen_slab_shrink(&z->k, &z->k.classes[i], NULL)) != ZEN_OK)
            die("zen_slab_shrink", st);
    zen_check(z, "after draining", 0);
    if (zen_free_frames(z) != ZONE_BYTES >> ZEN_PAGE_SHIFT || z->k.stats.spare_records != NRECORDS) {
        fprintf(stderr, "slab_bench: Zen: frames or records lost after draining\n");
        exit(1);
    }
    free(z->records);
    free(z->frames);
    free(z->words);
}

/* ---- malloc-style contenders -------------------------------------------------- */

typedef void *(*alloc_fn)(size_t size);
typedef void (*free_fn)(void *ptr);

/* glibc's malloc and free, from libc.so.6 itself (resolve_glibc). */
static alloc_fn g_glibc_malloc;
static free_fn g_glibc_free;

static void resolve_glibc(void)
{
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    if (libc == NULL) {
        fprintf(stderr, "slab_bench: libc.so.6 not found: %s\n", dlerror());
        exit(2);
    }
    /* POSIX guarantees that dlsym's object pointer converts to a function pointer. */
    g_glibc_malloc = (alloc_fn)dlsym(libc, "malloc");
    g_glibc_free = (free_fn)dlsym(libc, "free");
    if (g_glibc_malloc == NULL || g_glibc_free == NULL) {
        fprintf(stderr, "slab_bench: malloc/free not found in libc.so.6\n");
        exit(2);
    }
}

static void *je_alloc(size_t size) { return mallocx(size, 0); }
static void je_free(void *ptr) { dallocx(ptr, 0); }

typedef struct malloc_side {
    void *held;
    void *live[MIXED_LIVE];
} malloc_side;

/* The bodies below are forced inline into one wrapper per contender, so
 * each timed loop calls its allocator directly. */
#define BENCH_INLINE static inline __attribute__((always_inline))

BENCH_INLINE double malloc_pair(alloc_fn al, free_fn fr, const char *who)
{
    uint64_t sum = 0;
    double t0 = now_ns();
    for (unsigned i = 0; i < BATCH; i++) {
        void *p = al(PAIR_SIZE);
        if (p == NULL)
            die_null(who);
        sum += (uint64_t)(uintptr_t)p;
        fr(p);
    }
    double t1 = now_ns();
    g_sink += sum;
    return (t1 - t0) / BATCH;
}

BENCH_INLINE double malloc_mixed(alloc_fn al, free_fn fr, const char *who, malloc_side *m,
                                 const uint64_t *rnd)
{
    void **live = m->live;
    uint64_t sum = 0;
    double t0 = now_ns();
    for (unsigned i = 0; i < BATCH; i++) {
        uint64_t x = rnd[i];
        uint32_t v = step_slot(x);
        fr(live[v]);
        void *p = al(step_size(x));
        if (p == NULL)
            die_null(who);
        live[v] = p;
        sum += (uint64_t)(uintptr_t)p;
    }
    double t1 = now_ns();
    g_sink += sum;
    return (t1 - t0) / BATCH;
}

static void malloc_open(alloc_fn al, const char *who, malloc_side *m, const uint64_t *rnd)
{
    if ((m->held = al(PAIR_SIZE)) == NULL)
        die_null(who);
    for (unsigned i = 0; i < MIXED_LIVE; i++)
        if ((m->live[i] = al(step_size(rnd[i]))) == NULL)
            die_null(who);
}

static void malloc_close(free_fn fr, malloc_side *m)
{
    for (unsigned i = 0; i < MIXED_LIVE; i++)
        fr(m->live[i]);
    fr(m->held);
}

static double glibc_pair(void)
{
    alloc_fn al = g_glibc_malloc; /* in registers for the whole loop */
    free_fn fr = g_glibc_free;
    return malloc_pair(al, fr, "glibc malloc");
}
static double mi_pair(void) { return malloc_pair(mi_malloc, mi_free, "mi_malloc"); }
static double je_pair(void) { return malloc_pair(je_alloc, je_free, "mallocx"); }

static double glibc_mixed(malloc_side *m, const uint64_t *rnd)
{
    alloc_fn al = g_glibc_malloc;
    free_fn fr = g_glibc_free;
    return malloc_mixed(al, fr, "glibc malloc", m, rnd);
}
static double mi_mixed(malloc_side *m, const uint64_t *rnd)
{
    return malloc_mixed(mi_malloc, mi_free, "mi_malloc", m, rnd);
}
static double je_mixed(malloc_side *m, const uint64_t *rnd)
{
    return malloc_mixed(je_alloc, je_free, "mallocx", m, rnd);
}

/* ---- driver ------------------------------------------------------------------- */

static zen_side g_zen;                 /* large: kept off the stack */
static malloc_side g_m[NCONTENDERS];   /* [GLIBC], [MIMALLOC], [JEMALLOC] */
static double g_pair[NCONTENDERS][REPS], g_mix[NCONTENDERS][REPS], g_lookup[REPS];

static double run_pair(unsigned who)
{
    switch (who) {
    case ZEN:
        return zen_pair(&g_zen);
    case GLIBC:
        return glibc_pair();
    case MIMALLOC:
        return mi_pair();
    default:
        return je_pair();
    }
}

static double run_mixed(unsigned who, const uint64_t *rnd)
{
    switch (who) {
    case ZEN:
        return zen_mixed(&g_zen, rnd);
    case GLIBC:
        return glibc_mixed(&g_m[GLIBC], rnd);
    case MIMALLOC:
        return mi_mixed(&g_m[MIMALLOC], rnd);
    default:
        return je_mixed(&g_m[JEMALLOC], rnd);
    }
}

/* The file name of the library that holds addr. */
static const char *library_of(void *addr)
{
    Dl_info info;
    if (addr == NULL || dladdr(addr, &info) == 0 || info.dli_fname == NULL)
        return "?";
    const char *slash = strrchr(info.dli_fname, '/');
    return slash != NULL ? slash + 1 : info.dli_fname;
}

static void print_row(const char *label, const double *v)
{
    printf("| %-46s | %6.1f | %8.1f | %11.1f | %11.1f | %9.2f | %12.2f | %12.2f |\n", label,
           v[ZEN], v[GLIBC], v[MIMALLOC], v[JEMALLOC], v[ZEN] / v[GLIBC], v[ZEN] / v[MIMALLOC],
           v[ZEN] / v[JEMALLOC]);
}

/* Where each contender's allocation entry point lives, and where the plain
 * names resolve in this process; a contender outside its library is marked. */
static void print_symbols(void)
{
    struct { const char *name, *expect; void *addr; } syms[] = {
        {"glibc malloc", "libc.so", NULL},
        {"mi_malloc", "mimalloc", dlsym(RTLD_DEFAULT, "mi_malloc")},
        {"mallocx", "jemalloc", dlsym(RTLD_DEFAULT, "mallocx")},
    };
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    syms[0].addr = libc != NULL ? dlsym(libc, "malloc") : NULL;
    printf("entry points:");
    for (unsigned i = 0; i < sizeof syms / sizeof syms[0]; i++) {
        const char *file = library_of(syms[i].addr);
        printf(" %s in %s%s%s", syms[i].name, file,
               strstr(file, syms[i].expect) != NULL ? "" : " (UNEXPECTED)",
               i + 1u < sizeof syms / sizeof syms[0] ? "," : ";\n");
    }
    printf("  plain malloc is in %s, __libc_malloc in %s.\n",
           library_of(dlsym(RTLD_DEFAULT, "malloc")), library_of(dlsym(RTLD_DEFAULT, "__libc_malloc")));
}

int main(void)
{
    uint64_t *rnd = xcalloc(BATCH, sizeof *rnd);

    /* Set up: the same MIXED_LIVE sizes prefilled in every contender. */
    for (unsigned i = 0; i < MIXED_LIVE; i++)
        rnd[i] = splitmix64(&g_rng);
    zen_open(&g_zen);
    zen_fill(&g_zen, rnd);
    resolve_glibc();
    malloc_open(g_glibc_malloc, "glibc malloc", &g_m[GLIBC], rnd);
    malloc_open(mi_malloc, "mi_malloc", &g_m[MIMALLOC], rnd);
    malloc_open(je_alloc, "mallocx", &g_m[JEMALLOC], rnd);

    /* Warm-up: one untimed batch of everything. */
    for (unsigned i = 0; i < BATCH; i++)
        rnd[i] = splitmix64(&g_rng);
    for (unsigned c = 0; c < NCONTENDERS; c++) {
        (void)run_pair(c);
        (void)run_mixed(c, rnd);
    }
    (void)zen_lookup_chain(&g_zen);

    for (unsigned rep = 0; rep < REPS; rep++) {
        for (unsigned i = 0; i < BATCH; i++)
            rnd[i] = splitmix64(&g_rng);
        for (unsigned j = 0; j < NCONTENDERS; j++) {
            unsigned c = (rep + j) % NCONTENDERS;
            g_pair[c][rep] = run_pair(c);
        }
        g_lookup[rep] = zen_lookup_chain(&g_zen);
        for (unsigned j = 0; j < NCONTENDERS; j++) {
            unsigned c = (rep + j) % NCONTENDERS;
            g_mix[c][rep] = run_mixed(c, rnd);
        }
    }

    /* The Zen state after the run, checked before anything is printed. */
    zen_check(&g_zen, "after the run", 1);
    uint64_t slabs = 0, empty = 0;
    for (unsigned i = 0; i < ZEN_KMALLOC_CLASSES; i++) {
        slabs += g_zen.k.classes[i].stats.slabs;
        empty += g_zen.k.classes[i].stats.empty_slabs;
    }
    uint64_t used_frames = (ZONE_BYTES >> ZEN_PAGE_SHIFT) - zen_free_frames(&g_zen);
    uint64_t spare = g_zen.k.stats.spare_records;

    double pair[NCONTENDERS], mix[NCONTENDERS];
    for (unsigned c = 0; c < NCONTENDERS; c++) {
        pair[c] = median(g_pair[c], REPS);
        mix[c] = median(g_mix[c], REPS);
    }

    double meta = (double)(g_zen.nframes * sizeof(zen_page_frame) + g_zen.nwords * sizeof(uint64_t) +
                           NRECORDS * sizeof(zen_slab)) / (1024.0 * 1024.0);
    printf("Zen slab benchmark: median of %u repetitions of %u operations; the benchmark\n"
           "writes no object memory. Zen: %" PRIu64 " MiB usable at %" PRIu64 " GiB (zone DMA32), "
           "%u slab records, %.2f MiB metadata.\n",
           REPS, BATCH, (uint64_t)(ZONE_BYTES >> 20), (uint64_t)(ZONE_BASE >> 30), NRECORDS, meta);
    print_symbols();
    char label[2][64];
    snprintf(label[0], sizeof label[0], "cache pair: %u B alloc + free, per pair", PAIR_SIZE);
    snprintf(label[1], sizeof label[1], "kmalloc mixed: %u..%u B, %u live, per step", MIXED_MIN,
             MIXED_MAX, MIXED_LIVE);
    printf("\n| %-46s | Zen ns | glibc ns | mimalloc ns | jemalloc ns | Zen/glibc | Zen/mimalloc |"
           " Zen/jemalloc |\n", "workload");
    printf("|------------------------------------------------|--------|----------|-------------|"
           "-------------|-----------|--------------|--------------|\n");
    print_row(label[0], pair);
    print_row(label[1], mix);
    printf("\n(step = one free of a random live object + one alloc of a random size.)\n");
    printf("Zen after the run: kmalloc classes hold %" PRIu64 " slabs (%" PRIu64 " empty), "
           "%" PRIu64 " frames taken, %" PRIu64 " of %u records spare.\n\n",
           slabs, empty, used_frames, spare, NRECORDS);

    double lookup = median(g_lookup, REPS), pair_goal = TARGET_PAIR_VS_GLIBC * pair[GLIBC];
    printf("Not a target: the frame-descriptor lookup that opens every Zen free (zen_zone_block_of,\n"
           "each lookup waiting on the last) alone takes %.1f ns, %.2fx the pair target's %.1f ns.\n\n",
           lookup, lookup / pair_goal, pair_goal);

    double rp = pair[ZEN] / pair[GLIBC], rm = mix[ZEN] / mix[MIMALLOC];
    printf("Targets:\n");
    printf("  cache pair    <= %.1fx glibc:    %.2fx  %s\n", TARGET_PAIR_VS_GLIBC, rp,
           rp <= TARGET_PAIR_VS_GLIBC ? "OK" : "MISS");
    printf("  kmalloc mixed <= %.1fx mimalloc: %.2fx  %s\n", TARGET_MIXED_VS_MIMALLOC, rm,
           rm <= TARGET_MIXED_VS_MIMALLOC ? "OK" : "MISS");

    zen_close(&g_zen);
    malloc_close(g_glibc_free, &g_m[GLIBC]);
    malloc_close(mi_free, &g_m[MIMALLOC]);
    malloc_close(je_free, &g_m[JEMALLOC]);
    free(rnd);
    return 0;
}
