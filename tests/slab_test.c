/* Unit tests of the Zen slab allocator and kmalloc (core/zen_slab.h).
 *
 * No framework: CHECK counts one passed or failed check; the program prints
 * "N checks passed, M failed" last and exits non-zero when anything failed.
 *
 * Expected values come from the header: the slab order rule (smallest order
 * with at most 1/8 left over), the allocation policy (partial, then empty,
 * then a new slab; lowest free slot), the error of each bad free, the size
 * classes, and the hooks rule. The zone set is one usable range of frames
 * 256 .. 511 (1 MiB .. 2 MiB, all in DMA), so every frame the slab layer
 * takes comes from the zone allocator's lowest-address policy.
 *
 * White-box writes to records and frame descriptors are used only to corrupt
 * the state on purpose for the checker tests. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "zen_slab.h"

static unsigned long g_passed, g_failed;
static const char *g_ctx = "";

#define CHECK(c) check_((c), #c, __LINE__)
#define CHECK_EQ(got, want) check_eq_((uint64_t)(got), (uint64_t)(want), #got, #want, __LINE__)
#define CHECK_ST(got, want) CHECK_EQ((got), (want))

static void check_(int ok, const char *what, int line)
{
    if (ok) {
        g_passed++;
        return;
    }
    g_failed++;
    fprintf(stderr, "slab_test.c:%d: FAILED [%s]: %s\n", line, g_ctx, what);
}

static void check_eq_(uint64_t got, uint64_t want, const char *x, const char *y, int line)
{
    if (got == want) {
        g_passed++;
        return;
    }
    g_failed++;
    fprintf(stderr, "slab_test.c:%d: FAILED [%s]: %s == %s: got %" PRIu64 " (0x%" PRIx64
            "), want %" PRIu64 "\n", line, g_ctx, x, y, got, got, want);
}

/* ---- fixture: a zone set over frames 256 .. 511 and a kmem on it ---------- */

#define FIRST_PFN 256u
#define NFRAMES 256u
#define NRECORDS 64u

typedef struct fx {
    zen_zone_set zones;
    zen_page_frame frames[NFRAMES];
    uint64_t words[256];
    zen_slab records[NRECORDS];
    zen_kmem k;
    const zen_slab_cache *caches[8]; /* the live caches, for the checker */
    uint32_t ncaches;
} fx;

static fx g_fx; /* large: kept off the stack */

static fx *fx_open(uint32_t nrecords, const zen_hooks *hooks)
{
    fx *f = &g_fx;
    memset(f, 0, sizeof *f);
    zen_mem_range map[1] = {{(uint64_t)FIRST_PFN << ZEN_PAGE_SHIFT, (uint64_t)NFRAMES << ZEN_PAGE_SHIFT,
                             ZEN_MEM_USABLE}};
    zen_zone_layout plan;
    CHECK_ST(zen_zone_plan(map, 1, 1, &plan), ZEN_OK);
    CHECK(plan.frames_needed <= NFRAMES && plan.words_needed <= 256u);
    CHECK_ST(zen_zone_init(&f->zones, map, 1, 1, f->frames, NFRAMES, f->words, 256, 0), ZEN_OK);
    CHECK_ST(zen_zone_set_watermarks(&f->zones, ZEN_ZONE_DMA, 0, 0, 0), ZEN_OK);
    CHECK_ST(zen_kmem_init(&f->k, &f->zones, f->records, nrecords, hooks), ZEN_OK);
    return f;
}

/* zen_slab_cache_create, and the cache joins the ones the checker walks. */
static zen_status create(fx *f, zen_slab_cache *c, uint64_t size, uint64_t align, zen_slab_ctor_fn ctor,
                         void *ctx, unsigned flags)
{
    zen_status st = zen_slab_cache_create(&f->k, c, size, align, ctor, ctx, flags);
    if (st == ZEN_OK && f->ncaches < 8u)
        f->caches[f->ncaches++] = c;
    return st;
}

/* zen_slab_cache_destroy, and the cache leaves the checker's list. */
static zen_status destroy(fx *f, zen_slab_cache *c)
{
    zen_status st = zen_slab_cache_destroy(&f->k, c);
    for (uint32_t i = 0; st == ZEN_OK && i < f->ncaches; i++)
        if (f->caches[i] == c)
            f->caches[i--] = f->caches[--f->ncaches];
    return st;
}

static uint64_t free_frames(const fx *f)
{
    zen_zone_info info;
    CHECK_ST(zen_zone_stats(&f->zones, ZEN_ZONE_DMA, &info), ZEN_OK);
    return info.free_frames;
}

static void check_ok(const fx *f)
{
    zen_slab_check_report rep;
    zen_status st = zen_kmem_check(&f->k, f->caches, f->ncaches, &rep);
    CHECK_ST(st, ZEN_OK);
    if (st != ZEN_OK)
        fprintf(stderr, "  invariant %u record %u\n", rep.invariant, rep.record);
    zen_zone_check_report zrep;
    CHECK_ST(zen_zone_check((zen_zone_set *)&f->zones, &zrep), ZEN_OK);
}

static zen_paddr page_addr(zen_pfn pfn) { return (zen_paddr)pfn << ZEN_PAGE_SHIFT; }

/* ---- tests ------------------------------------------------------------------ */

static void test_create(void)
{
    g_ctx = "create";
    fx *f = fx_open(NRECORDS, 0);
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 0, 0, 0, 0, 0), ZEN_ERR_INVAL);
    CHECK_ST(create(f, &c, 64, 3, 0, 0, 0), ZEN_ERR_INVAL);
    CHECK_ST(create(f, &c, 64, 2 * ZEN_PAGE_SIZE, 0, 0, 0), ZEN_ERR_INVAL);
    CHECK_ST(create(f, &c, 64, 0, 0, 0, 8u), ZEN_ERR_INVAL);
    CHECK_ST(create(f, &c, 64, 0, 0, 0, ZEN_SLAB_DMA | ZEN_SLAB_DMA32), ZEN_ERR_INVAL);
    CHECK_ST(create(f, &c, UINT64_MAX, 16, 0, 0, 0), ZEN_ERR_OVERFLOW);
    CHECK_ST(create(f, &c, ZEN_SLAB_MAX_SIZE + 1u, 0, 0, 0, 0), ZEN_ERR_INVAL);
    CHECK_EQ(f->k.stats.rejected, 7);
    /* Geometry: stride, order and slots per the 1/8 rule. */
    struct { uint64_t size, align, stride, order, nslots; } g[] = {
        {1, 0, 8, 0, 512},     /* at least 8 */
        {8, 0, 8, 0, 512},
        {64, 0, 64, 0, 64},
        {100, 0, 104, 0, 39},  /* 4096 - 39*104 = 40 left */
        {100, 64, 128, 0, 32},
        {1000, 0, 1000, 0, 4}, /* 96 left <= 512 */
        {3000, 0, 3000, 2, 5}, /* order 0: 1096 left, 1: 2192, 2: 1384 <= 2048 */
        {4096, 0, 4096, 0, 1},
        {20000, 0, 20000, 3, 1}, /* no order manages 1/8: order 3 leaves the least share */
        {ZEN_SLAB_MAX_SIZE, 0, ZEN_SLAB_MAX_SIZE, 3, 1},
    };
    for (unsigned i = 0; i < sizeof g / sizeof g[0]; i++) {
        CHECK_ST(create(f, &c, g[i].size, g[i].align, 0, 0, 0), ZEN_OK);
        CHECK_EQ(c.stride, g[i].stride);
        CHECK_EQ(c.order, g[i].order);
        CHECK_EQ(c.nslots, g[i].nslots);
        CHECK_ST(destroy(f, &c), ZEN_OK);
    }
    check_ok(f);
}

static void test_alloc_policy(void)
{
    g_ctx = "alloc policy";
    fx *f = fx_open(NRECORDS, 0);
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 1000, 0, 0, 0, 0), ZEN_OK); /* 4 slots, order 0 */
    uint64_t before = free_frames(f);
    zen_paddr a[9];
    for (unsigned i = 0; i < 9; i++)
        CHECK_ST(zen_slab_alloc(&f->k, &c, &a[i]), ZEN_OK);
    /* The zone hands out frames lowest first: slabs at pfn 256, 257, 258. */
    for (unsigned i = 0; i < 9; i++)
        CHECK_EQ(a[i], page_addr(FIRST_PFN + i / 4u) + (i % 4u) * 1000u);
    CHECK_EQ(free_frames(f), before - 3u);
    CHECK_EQ(c.stats.slabs, 3);
    CHECK_EQ(c.stats.in_use, 9);
    check_ok(f);
    /* Free slot 2 of the first slab: it becomes partial and is preferred
     * over the partial third slab (it went to the head of the list). */
    CHECK_ST(zen_slab_free(&f->k, &c, a[2]), ZEN_OK);
    zen_paddr x;
    CHECK_ST(zen_slab_alloc(&f->k, &c, &x), ZEN_OK);
    CHECK_EQ(x, a[2]);
    /* Free both of slab 2's objects 5 and 7: lowest free slot comes first. */
    CHECK_ST(zen_slab_free(&f->k, &c, a[7]), ZEN_OK);
    CHECK_ST(zen_slab_free(&f->k, &c, a[5]), ZEN_OK);
    CHECK_ST(zen_slab_alloc(&f->k, &c, &x), ZEN_OK);
    CHECK_EQ(x, a[5]);
    CHECK_ST(zen_slab_alloc(&f->k, &c, &x), ZEN_OK);
    CHECK_EQ(x, a[7]);
    /* Empty the third slab: it stays with the cache until shrink. */
    CHECK_ST(zen_slab_free(&f->k, &c, a[8]), ZEN_OK);
    CHECK_EQ(c.stats.empty_slabs, 1);
    CHECK_EQ(free_frames(f), before - 3u);
    check_ok(f);
    /* An empty slab is taken again before a new one is made. */
    CHECK_ST(zen_slab_alloc(&f->k, &c, &x), ZEN_OK);
    CHECK_EQ(x, a[8]);
    CHECK_EQ(c.stats.slabs, 3);
    for (unsigned i = 0; i < 9; i++)
        CHECK_ST(zen_slab_free(&f->k, &c, a[i]), ZEN_OK);
    CHECK_EQ(c.stats.in_use, 0);
    CHECK_EQ(c.stats.empty_slabs, 3);
    uint64_t released = 0;
    CHECK_ST(zen_slab_shrink(&f->k, &c, &released), ZEN_OK);
    CHECK_EQ(released, 3);
    CHECK_EQ(free_frames(f), before);
    CHECK_EQ(f->k.stats.spare_records, NRECORDS);
    check_ok(f);
}

static void test_alignment(void)
{
    g_ctx = "alignment";
    fx *f = fx_open(NRECORDS, 0);
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 100, 256, 0, 0, 0), ZEN_OK);
    CHECK_EQ(c.stride, 256);
    for (unsigned i = 0; i < 40; i++) {
        zen_paddr x;
        CHECK_ST(zen_slab_alloc(&f->k, &c, &x), ZEN_OK);
        CHECK_EQ(x % 256u, 0);
    }
    check_ok(f);
}

static void test_bad_frees(void)
{
    g_ctx = "bad frees";
    fx *f = fx_open(NRECORDS, 0);
    zen_slab_cache c, d;
    CHECK_ST(create(f, &c, 1000, 0, 0, 0, 0), ZEN_OK);
    CHECK_ST(create(f, &d, 64, 0, 0, 0, 0), ZEN_OK);
    zen_paddr a, b;
    CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_OK);
    CHECK_ST(zen_slab_alloc(&f->k, &d, &b), ZEN_OK);
    zen_pfn user = 0;
    CHECK_ST(zen_zone_alloc(&f->zones, ZEN_ZONE_NORMAL, 0, 0, &user), ZEN_OK);
    check_ok(f);
    zen_slab before_rec = f->records[0];
    uint64_t in_use = c.stats.in_use;
    CHECK_ST(zen_slab_free(&f->k, &c, 0), ZEN_ERR_FOREIGN);                       /* no zone */
    CHECK_ST(zen_slab_free(&f->k, &c, page_addr(FIRST_PFN + 100u)), ZEN_ERR_FOREIGN); /* free frame */
    CHECK_ST(zen_slab_free(&f->k, &c, page_addr(user)), ZEN_ERR_FOREIGN);         /* user block */
    CHECK_ST(zen_slab_free(&f->k, &c, b), ZEN_ERR_WRONG_CACHE);
    CHECK_ST(zen_slab_free(&f->k, &c, a + 8u), ZEN_ERR_NOT_HEAD);
    CHECK_ST(zen_slab_free(&f->k, &c, a + 1000u), ZEN_ERR_NOT_ALLOCATED);          /* slot 1: free */
    CHECK_ST(zen_slab_free(&f->k, &c, a + 4000u), ZEN_ERR_FOREIGN);               /* leftover bytes */
    CHECK_EQ(c.stats.rejected, 7);
    CHECK_EQ(c.stats.in_use, in_use);
    CHECK(memcmp(&before_rec, &f->records[0], sizeof before_rec) == 0);
    CHECK_ST(zen_slab_free(&f->k, &c, a), ZEN_OK);
    CHECK_ST(zen_slab_free(&f->k, &c, a), ZEN_ERR_NOT_ALLOCATED);                  /* double free */
    /* A stale tag: the frame names record 0 but the record moved on. */
    CHECK_ST(zen_slab_shrink(&f->k, &c, 0), ZEN_OK);
    CHECK_ST(zen_slab_free(&f->k, &c, a), ZEN_ERR_FOREIGN);
    /* A destroyed cache, and a cache of no kmem. */
    zen_slab_cache e;
    memset(&e, 0, sizeof e);
    CHECK_ST(zen_slab_free(&f->k, &e, b), ZEN_ERR_INVAL);
    CHECK_ST(zen_slab_alloc(&f->k, &e, &a), ZEN_ERR_INVAL);
    check_ok(f);
}

static void test_destroy(void)
{
    g_ctx = "destroy";
    fx *f = fx_open(NRECORDS, 0);
    uint64_t before = free_frames(f);
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 64, 0, 0, 0, 0), ZEN_OK);
    zen_paddr a;
    CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_OK);
    CHECK_ST(destroy(f, &c), ZEN_ERR_BUSY);
    CHECK_EQ(c.stats.slabs, 1);
    check_ok(f);
    CHECK_ST(zen_slab_free(&f->k, &c, a), ZEN_OK);
    CHECK_ST(destroy(f, &c), ZEN_OK);
    CHECK_EQ(free_frames(f), before);
    CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_ERR_INVAL);
    CHECK_ST(destroy(f, &c), ZEN_ERR_INVAL);
    CHECK_ST(destroy(f, &f->k.classes[0]), ZEN_ERR_INVAL);
    check_ok(f);
}

/* Shrink and destroy believe no list field alone: a slab with a live object
 * never goes back, whatever list names it, and destroy refuses a cache whose
 * partial or full list holds a slab while no object is live. */
static void test_release_checks(void)
{
    g_ctx = "release checks";
    fx *f = fx_open(NRECORDS, 0);
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 1000, 0, 0, 0, 0), ZEN_OK);
    zen_paddr a;
    CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_OK);
    uint64_t held = free_frames(f);
    /* record 0, a partial slab, moved by hand to the empty list */
    CHECK_EQ(c.head[ZEN_SLAB_PARTIAL - 1u], 0);
    c.head[ZEN_SLAB_PARTIAL - 1u] = ZEN_SLAB_NONE;
    c.head[ZEN_SLAB_EMPTY - 1u] = 0;
    f->records[0].list = ZEN_SLAB_EMPTY;
    uint64_t released = 7;
    CHECK_ST(zen_slab_shrink(&f->k, &c, &released), ZEN_ERR_CORRUPT);
    CHECK_EQ(free_frames(f), held);
    CHECK(f->records[0].cache == &c);
    CHECK_EQ(c.stats.slabs, 1);
    c.head[ZEN_SLAB_EMPTY - 1u] = ZEN_SLAB_NONE;
    c.head[ZEN_SLAB_PARTIAL - 1u] = 0;
    f->records[0].list = ZEN_SLAB_PARTIAL;
    check_ok(f);
    CHECK_ST(zen_slab_free(&f->k, &c, a), ZEN_OK);
    /* no object live, but the full list names a slab */
    c.head[ZEN_SLAB_FULL - 1u] = 0;
    CHECK_ST(destroy(f, &c), ZEN_ERR_CORRUPT);
    CHECK(c.kmem == &f->k);
    CHECK_EQ(free_frames(f), held);
    c.head[ZEN_SLAB_FULL - 1u] = ZEN_SLAB_NONE;
    check_ok(f);
    CHECK_ST(destroy(f, &c), ZEN_OK);
    check_ok(f);
}

/* The constructor runs on every slot when a slab is made, and only then. */
typedef struct ctor_log {
    unsigned calls;
    zen_paddr last;
} ctor_log;

static void log_ctor(void *ctx, zen_paddr obj)
{
    ctor_log *l = ctx;
    l->calls++;
    l->last = obj;
}

static void test_ctor(void)
{
    g_ctx = "constructor";
    fx *f = fx_open(NRECORDS, 0);
    ctor_log log = {0, 0};
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 512, 0, log_ctor, &log, 0), ZEN_OK);
    CHECK_EQ(log.calls, 0);
    zen_paddr a, b;
    CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_OK);
    CHECK_EQ(log.calls, 8);
    CHECK_EQ(log.last, a + 7u * 512u);
    CHECK_ST(zen_slab_free(&f->k, &c, a), ZEN_OK);
    CHECK_ST(zen_slab_alloc(&f->k, &c, &b), ZEN_OK);
    CHECK_EQ(b, a);
    CHECK_EQ(log.calls, 8);
    check_ok(f);
}

static void test_exhaustion(void)
{
    g_ctx = "exhaustion";
    /* Records run out first: 4 records, 4 slabs of one object each. */
    fx *f = fx_open(4, 0);
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 4096, 0, 0, 0, 0), ZEN_OK);
    uint64_t before = free_frames(f);
    zen_paddr a;
    for (unsigned i = 0; i < 4; i++)
        CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_OK);
    CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_ERR_NOMEM);
    CHECK_EQ(c.stats.oom_count, 1);
    CHECK_EQ(free_frames(f), before - 4u);
    check_ok(f);
    /* Then the frames: take every frame but 1, and ask for a slab of 2. */
    f = fx_open(NRECORDS, 0);
    zen_pfn p;
    while (free_frames(f) > 1u)
        CHECK_ST(zen_zone_alloc(&f->zones, ZEN_ZONE_NORMAL, 0, 0, &p), ZEN_OK);
    CHECK_ST(create(f, &c, 3000, 0, 0, 0, 0), ZEN_OK); /* order 2 */
    CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_ERR_NOMEM);
    CHECK_EQ(free_frames(f), 1);
    CHECK_EQ(f->k.stats.spare_records, NRECORDS);
    CHECK_ST(zen_kmalloc(&f->k, 5000, 0, &a), ZEN_ERR_NOMEM);
    CHECK_ST(zen_kmalloc(&f->k, 64, 0, &a), ZEN_OK); /* one frame is enough */
    CHECK_ST(zen_kmalloc(&f->k, 128, 0, &a), ZEN_ERR_NOMEM);
    CHECK_EQ(free_frames(f), 0);
    check_ok(f);
}

/* Fault injection refuses a frame request as out of memory; nothing leaks. */
static int fail_second(void *ctx, unsigned order)
{
    unsigned *calls = ctx;
    (void)order;
    return ++*calls == 2u;
}

static void test_fail_injection(void)
{
    g_ctx = "fault injection";
    fx *f = fx_open(NRECORDS, 0);
    unsigned calls = 0;
    zen_kmem_set_fail(&f->k, fail_second, &calls);
    uint64_t before = free_frames(f);
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 4096, 0, 0, 0, 0), ZEN_OK);
    zen_paddr a, b;
    CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_OK);
    CHECK_ST(zen_slab_alloc(&f->k, &c, &b), ZEN_ERR_NOMEM);
    CHECK_EQ(c.stats.oom_count, 1);
    CHECK_EQ(free_frames(f), before - 1u);
    CHECK_EQ(f->k.stats.spare_records, NRECORDS - 1u);
    CHECK_ST(zen_slab_alloc(&f->k, &c, &b), ZEN_OK);
    calls = 1;
    CHECK_ST(zen_kmalloc(&f->k, 8192, 0, &b), ZEN_ERR_NOMEM);
    CHECK_EQ(f->k.stats.oom_count, 1);
    CHECK_EQ(calls, 2);
    zen_kmem_set_fail(&f->k, 0, 0);
    CHECK_ST(zen_kmalloc(&f->k, 8192, 0, &b), ZEN_OK);
    check_ok(f);
}

static void test_kmalloc(void)
{
    g_ctx = "kmalloc";
    const uint32_t sizes[ZEN_KMALLOC_CLASSES] = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048};
    for (unsigned i = 0; i < ZEN_KMALLOC_CLASSES; i++)
        CHECK_EQ(zen_kmalloc_class_size(i), sizes[i]);
    /* The class of every size is the smallest that holds it. */
    for (uint64_t s = 1; s <= ZEN_KMALLOC_MAX_SLAB_SIZE; s++) {
        unsigned want = 0;
        while (sizes[want] < s)
            want++;
        if (zen_kmalloc_class(s) != want)
            CHECK_EQ(zen_kmalloc_class(s), want);
    }
    CHECK_EQ(zen_kmalloc_class(0), ZEN_KMALLOC_CLASSES);
    CHECK_EQ(zen_kmalloc_class(ZEN_KMALLOC_MAX_SLAB_SIZE + 1u), ZEN_KMALLOC_CLASSES);

    fx *f = fx_open(NRECORDS, 0);
    uint64_t before = free_frames(f);
    zen_paddr a = 7, b, big, big2;
    CHECK_ST(zen_kmalloc(&f->k, 0, 0, &a), ZEN_ERR_INVAL);
    CHECK_ST(zen_kmalloc(&f->k, 8, 2u, &a), ZEN_ERR_INVAL);
    CHECK_ST(zen_kmalloc(&f->k, UINT64_MAX, 0, &a), ZEN_ERR_OVERFLOW);
    CHECK_ST(zen_kmalloc(&f->k, UINT64_MAX - ZEN_PAGE_SIZE + 2u, 0, &a), ZEN_ERR_OVERFLOW);
    CHECK_ST(zen_kmalloc(&f->k, ZEN_KMALLOC_MAX_SIZE + 1u, 0, &a), ZEN_ERR_INVAL);
    CHECK_EQ(a, 7);
    CHECK_EQ(f->k.stats.rejected, 5);
    CHECK_ST(zen_kmalloc(&f->k, 100, 0, &a), ZEN_OK); /* class 128 */
    CHECK_EQ(f->k.classes[5].stats.in_use, 1);
    CHECK_ST(zen_kmalloc(&f->k, 2049, 0, &big), ZEN_OK); /* one frame */
    CHECK_EQ(big % ZEN_PAGE_SIZE, 0);
    CHECK_ST(zen_kmalloc(&f->k, 5000, ZEN_KMALLOC_ATOMIC, &big2), ZEN_OK); /* two frames */
    CHECK_EQ(big2 % (2u * ZEN_PAGE_SIZE), 0);
    CHECK_EQ(f->k.stats.large_blocks, 2);
    CHECK_EQ(f->k.stats.large_frames, 3);
    CHECK_EQ(free_frames(f), before - 4u);
    check_ok(f);
    CHECK_ST(zen_kfree(&f->k, big2 + ZEN_PAGE_SIZE), ZEN_ERR_NOT_HEAD);
    CHECK_ST(zen_kfree(&f->k, big + 8u), ZEN_ERR_NOT_HEAD);
    CHECK_ST(zen_kfree(&f->k, a + 8u), ZEN_ERR_NOT_HEAD);
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 128, 0, 0, 0, 0), ZEN_OK);
    CHECK_ST(zen_slab_alloc(&f->k, &c, &b), ZEN_OK);
    CHECK_ST(zen_kfree(&f->k, b), ZEN_ERR_WRONG_CACHE);
    CHECK_ST(zen_slab_free(&f->k, &c, a), ZEN_ERR_WRONG_CACHE);
    CHECK_ST(zen_kfree(&f->k, big), ZEN_OK);
    CHECK_ST(zen_kfree(&f->k, big), ZEN_ERR_FOREIGN); /* the frame is free now */
    CHECK_ST(zen_kfree(&f->k, big2), ZEN_OK);
    CHECK_ST(zen_kfree(&f->k, a), ZEN_OK);
    CHECK_ST(zen_kfree(&f->k, a), ZEN_ERR_NOT_ALLOCATED);
    CHECK_EQ(f->k.stats.large_blocks, 0);
    CHECK_EQ(f->k.stats.rejected, 5u + 6u);
    check_ok(f);
}

/* The enter hook runs once before and the leave hook once after every
 * changing operation, whatever it answers. */
typedef struct hook_log {
    unsigned enters, leaves, depth, bad;
} hook_log;

static void hook_enter(void *ctx)
{
    hook_log *h = ctx;
    h->enters++;
    if (h->depth++ != 0u)
        h->bad++;
}

static void hook_leave(void *ctx)
{
    hook_log *h = ctx;
    h->leaves++;
    if (h->depth-- != 1u)
        h->bad++;
}

static void test_hooks(void)
{
    g_ctx = "hooks";
    hook_log h = {0, 0, 0, 0};
    zen_hooks hooks = {hook_enter, hook_leave, &h};
    fx *f = fx_open(NRECORDS, &hooks);
    zen_slab_cache c;
    zen_paddr a;
    uint64_t n;
    CHECK_ST(create(f, &c, 64, 0, 0, 0, 0), ZEN_OK);
    CHECK_ST(create(f, &c, 0, 0, 0, 0, 0), ZEN_ERR_INVAL);
    CHECK_ST(create(f, &c, 64, 0, 0, 0, 0), ZEN_OK);
    CHECK_ST(zen_slab_alloc(&f->k, &c, &a), ZEN_OK);
    CHECK_ST(zen_slab_free(&f->k, &c, a), ZEN_OK);
    CHECK_ST(zen_slab_free(&f->k, &c, a), ZEN_ERR_NOT_ALLOCATED);
    CHECK_ST(zen_slab_shrink(&f->k, &c, &n), ZEN_OK);
    CHECK_ST(zen_kmalloc(&f->k, 10, 0, &a), ZEN_OK);
    CHECK_ST(zen_kmalloc(&f->k, 0, 0, &a), ZEN_ERR_INVAL);
    CHECK_ST(zen_kfree(&f->k, a), ZEN_OK);
    CHECK_ST(destroy(f, &c), ZEN_OK);
    CHECK_EQ(h.enters, 11);
    CHECK_EQ(h.leaves, 11);
    CHECK_EQ(h.bad, 0);
}

static void expect_corrupt(fx *f, unsigned invariant)
{
    zen_slab_check_report rep;
    CHECK_ST(zen_kmem_check(&f->k, f->caches, f->ncaches, &rep), ZEN_ERR_CORRUPT);
    CHECK_EQ(rep.invariant, invariant);
}

static void test_check(void)
{
    g_ctx = "checker";
    fx *f = fx_open(NRECORDS, 0);
    zen_slab_cache c;
    CHECK_ST(create(f, &c, 1000, 0, 0, 0, 0), ZEN_OK);
    zen_paddr a[5];
    for (unsigned i = 0; i < 5; i++)
        CHECK_ST(zen_slab_alloc(&f->k, &c, &a[i]), ZEN_OK);
    check_ok(f);
    /* record 0 is the full first slab, record 1 the partial second */
    zen_slab saved = f->records[1];
    f->records[1].free_map[0] ^= 1u;
    expect_corrupt(f, ZEN_SINV_BITMAP);
    f->records[1] = saved;
    f->records[1].free_map[1] = 1u; /* a slot past the last */
    expect_corrupt(f, ZEN_SINV_BITMAP);
    f->records[1] = saved;
    f->records[1].nfree = 4; /* an empty count on the partial list */
    f->records[1].free_map[0] = 15u;
    expect_corrupt(f, ZEN_SINV_PLACE);
    f->records[1] = saved;
    f->records[1].prev = 5;
    expect_corrupt(f, ZEN_SINV_LINKS);
    f->records[1] = saved;
    f->records[1].order = 1;
    expect_corrupt(f, ZEN_SINV_RECORD);
    f->records[1] = saved;
    zen_page_frame *fr = &f->frames[f->zones.zone[ZEN_ZONE_DMA].frame_off + (f->records[1].pfn -
                                    f->zones.zone[ZEN_ZONE_DMA].pages.start)];
    fr->tag = 0;
    expect_corrupt(f, ZEN_SINV_FRAMES);
    fr->tag = 1;
    c.stats.in_use++;
    expect_corrupt(f, ZEN_SINV_COUNTS);
    c.stats.in_use--;
    f->k.stats.spare_records++;
    expect_corrupt(f, ZEN_SINV_COUNTS);
    f->k.stats.spare_records--;
    c.stride = 1001;
    expect_corrupt(f, ZEN_SINV_CACHE);
    c.stride = 1000;
    f->records[0].next = 0; /* the full list runs in a circle */
    expect_corrupt(f, ZEN_SINV_LINKS);
    f->records[0].next = ZEN_SLAB_NONE;
    f->ncaches--; /* a live cache the checker is not told of: its records are lost */
    expect_corrupt(f, ZEN_SINV_COUNTS);
    f->ncaches++;
    zen_paddr big;
    CHECK_ST(zen_kmalloc(&f->k, 9000, 0, &big), ZEN_OK);
    f->k.stats.large_frames++;
    expect_corrupt(f, ZEN_SINV_COUNTS);
    f->k.stats.large_frames--;
    check_ok(f);
}

int main(void)
{
    if (ZEN_PAGE_SHIFT != 12u) {
        fprintf(stderr, "slab_test assumes 4 KiB frames\n");
        return 1;
    }
    test_create();
    test_alloc_policy();
    test_alignment();
    test_bad_frees();
    test_destroy();
    test_release_checks();
    test_ctor();
    test_exhaustion();
    test_fail_injection();
    test_kmalloc();
    test_hooks();
    test_check();
    printf("%lu checks passed, %lu failed\n", g_passed, g_failed);
    return g_failed == 0u ? 0 : 1;
}
