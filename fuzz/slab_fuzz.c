/* Differential fuzzer: core slab layer (core/zen_slab.c, zen_kmalloc.c,
 * zen_slab_check.c, over the zone allocator) against the executable spec
 * (spec/slab_spec.c over spec/zone_spec.c).
 *
 * Input layout:
 *   4 bytes  frames of the DMA range (8 + b0 % 248, at pfn 16), frames of
 *            the DMA32 range (b1 % 256, at pfn 4096; 0: none), record pool
 *            size (1 + b2 % 64), min watermarks (b3: 2 bits per zone)
 *   then operations, one selector byte each plus arguments (run_op).
 *
 * Each operation runs on the core and on the spec; any difference in
 * status, address, cache geometry, per-cache statistics, kmem counters or
 * zone free frames (all compared after every operation), a consistency
 * checker (zen_kmem_check, zen_zone_check) that fails, or a broken hook
 * count is a crash (__builtin_trap after a line on stderr).
 *
 * Memory: the fuzzer owns a host buffer per range as the direct map of its
 * frames. Every live object is filled with a pattern derived from its
 * allocation serial, checked when it is freed, so overlapping objects show
 * up. A constructor cache's constructor writes a per-cache header word into
 * each object; an object must carry it when handed out, and the harness
 * writes it back before the free (objects stay constructed). The
 * constructor must run exactly nslots times when the spec says a slab was
 * made, on slot addresses of that slab.
 *
 * Fault injection: both sides get a fail function that refuses their n-th
 * frame request (an operation sets n); the two request counters must stay
 * equal. Invalid frees cover foreign addresses (no zone, free frames, a
 * block the harness took from the zones itself), objects of another cache,
 * interior pointers, the leftover bytes of a slab, double frees and frees
 * through a destroyed cache. At the end everything is freed and every
 * frame must be back with the zones. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slab_spec.h"
#include "zen_slab.h"

#define MAX_OPS 400u
#define MAX_LIVE 4096u
#define DEAD_RING 8u
#define MAX_USER 32u
#define DMA_FIRST 16u
#define DMA32_FIRST 4096u
#define DMA_MAX 256u
#define DMA32_MAX 256u
#define MAX_RECORDS 64u

#define FAIL(...)                                   \
    do {                                            \
        fprintf(stderr, "slab_fuzz: " __VA_ARGS__); \
        fprintf(stderr, "\n");                      \
        __builtin_trap();                           \
    } while (0)

typedef unsigned long long ull;

/* ---- input reader ---------------------------------------------------------- */

typedef struct reader {
    const uint8_t *data;
    size_t size, pos;
} reader;

static uint8_t u8(reader *r) { return r->pos < r->size ? r->data[r->pos++] : 0; }
static uint16_t u16(reader *r) { return (uint16_t)(u8(r) | (u8(r) << 8)); }

/* ---- the world: core and spec side by side --------------------------------- */

typedef struct live_obj {
    zen_paddr addr;
    uint64_t size;   /* bytes the harness fills */
    uint32_t cache;  /* spec cache id; SLAB_SPEC_NO_CACHE for kmalloc */
    uint32_t serial;
} live_obj;

typedef struct fail_counter {
    uint64_t requests, fail_at; /* fail_at 0: never */
} fail_counter;

typedef struct world {
    zen_zone_set zones;
    zen_page_frame frames[DMA32_FIRST + DMA32_MAX];
    uint64_t words[4096];
    zen_slab records[MAX_RECORDS];
    zen_kmem k;
    zen_slab_cache caches[SLAB_SPEC_MAX_CACHES]; /* user caches, by spec id */
    zone_spec zspec;
    slab_spec spec;
    fail_counter core_fail, spec_fail;
    live_obj live[MAX_LIVE];
    uint32_t nlive, serial;
    zen_paddr dead[DEAD_RING]; /* recently freed, for double frees */
    uint32_t ndead;
    zen_pfn user[MAX_USER];    /* blocks taken straight from the zones */
    uint32_t nuser;
    uint64_t ctor_calls;
    zen_paddr ctor_last;
    unsigned enters, leaves, depth;
} world;

static world W;
static uint8_t dmap_dma[DMA_MAX << ZEN_PAGE_SHIFT];
static uint8_t dmap_dma32[DMA32_MAX << ZEN_PAGE_SHIFT];
static uint32_t n_dma, n_dma32;

/* The direct map: a pointer to the bytes at physical address a (a must lie
 * in a range). */
static uint8_t *host(zen_paddr a)
{
    zen_pfn pfn = a >> ZEN_PAGE_SHIFT;
    if (pfn >= DMA_FIRST && pfn < DMA_FIRST + n_dma)
        return dmap_dma + (a - ((zen_paddr)DMA_FIRST << ZEN_PAGE_SHIFT));
    if (pfn >= DMA32_FIRST && pfn < DMA32_FIRST + n_dma32)
        return dmap_dma32 + (a - ((zen_paddr)DMA32_FIRST << ZEN_PAGE_SHIFT));
    FAIL("address 0x%llx outside the managed ranges", (ull)a);
}

static uint64_t ctor_word(uint32_t id) { return 0xc0c0c0c000000000ull | id; }

static void ctor(void *ctx, zen_paddr obj)
{
    uint32_t id = (uint32_t)(uintptr_t)ctx;
    uint64_t w = ctor_word(id);
    memcpy(host(obj), &w, sizeof w);
    W.ctor_calls++;
    W.ctor_last = obj;
}

static int fail_request(fail_counter *f)
{
    f->requests++;
    return f->fail_at != 0 && f->requests == f->fail_at;
}
static int core_fail(void *ctx, unsigned order) { (void)order; return fail_request(ctx); }
static int spec_fail(void *ctx, unsigned order) { (void)order; return fail_request(ctx); }

static void hook_enter(void *ctx)
{
    (void)ctx;
    if (W.depth++ != 0)
        FAIL("enter hook nested");
    W.enters++;
}

static void hook_leave(void *ctx)
{
    (void)ctx;
    if (W.depth-- != 1)
        FAIL("leave hook without enter");
    W.leaves++;
}

static zen_slab_cache *core_cache(uint32_t id)
{
    return id < ZEN_KMALLOC_CLASSES ? &W.k.classes[id] : &W.caches[id];
}

/* ---- patterns --------------------------------------------------------------- */

static uint8_t pattern_byte(uint32_t serial, uint64_t j) { return (uint8_t)(serial * 131u + j * 7u + 1u); }

/* The bytes the harness fills: the whole object, or for large blocks the
 * first and last 64 bytes of each frame. */
static void fill(const live_obj *o, bool check)
{
    for (uint64_t j = 0; j < o->size; j++) {
        if (o->size > ZEN_KMALLOC_MAX_SLAB_SIZE && o->cache == SLAB_SPEC_NO_CACHE &&
            (j % ZEN_PAGE_SIZE) >= 64 && (j % ZEN_PAGE_SIZE) < ZEN_PAGE_SIZE - 64)
            continue;
        uint8_t *p = host(o->addr + j);
        if (!check)
            *p = pattern_byte(o->serial, j);
        else if (*p != pattern_byte(o->serial, j))
            FAIL("object 0x%llx (serial %u) overwritten at byte %llu", (ull)o->addr, o->serial, (ull)j);
    }
}

/* ---- comparisons ------------------------------------------------------------ */

static void same_status(const char *what, zen_status core, zen_status spec)
{
    if (core != spec)
        FAIL("%s: core %d, spec %d", what, (int)core, (int)spec);
}

static void compare_all(void)
{
    for (uint32_t id = 0; id < SLAB_SPEC_MAX_CACHES; id++) {
        const slab_spec_cache *s = &W.spec.cache[id];
        if (!s->live)
            continue;
        const zen_slab_cache *c = core_cache(id);
        if (c->stats.in_use != s->in_use || c->stats.slabs != s->nslabs ||
            c->stats.empty_slabs != slab_spec_empty_slabs(&W.spec, id) ||
            c->stats.oom_count != s->oom_count || c->stats.rejected != s->rejected)
            FAIL("cache %u stats: core in_use %llu slabs %llu empty %llu oom %llu rejected %llu; "
                 "spec %llu %u %llu %llu %llu", id, (ull)c->stats.in_use, (ull)c->stats.slabs,
                 (ull)c->stats.empty_slabs, (ull)c->stats.oom_count, (ull)c->stats.rejected,
                 (ull)s->in_use, s->nslabs, (ull)slab_spec_empty_slabs(&W.spec, id),
                 (ull)s->oom_count, (ull)s->rejected);
    }
    const zen_kmem_stats *k = &W.k.stats;
    if (k->rejected != W.spec.rejected || k->oom_count != W.spec.oom_count ||
        k->large_blocks != W.spec.nlarge || k->large_frames != slab_spec_large_frames(&W.spec) ||
        k->spare_records != W.spec.nrecords - W.spec.held)
        FAIL("kmem stats: core rejected %llu oom %llu large %llu/%llu spare %llu; spec %llu %llu %u/%llu %u",
             (ull)k->rejected, (ull)k->oom_count, (ull)k->large_blocks, (ull)k->large_frames,
             (ull)k->spare_records, (ull)W.spec.rejected, (ull)W.spec.oom_count, W.spec.nlarge,
             (ull)slab_spec_large_frames(&W.spec), W.spec.nrecords - W.spec.held);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        zen_zone_info a, b;
        same_status("zone stats", zen_zone_stats(&W.zones, z, &a), zone_spec_stats(&W.zspec, z, &b));
        if (a.present != b.present || a.free_frames != b.free_frames)
            FAIL("zone %u free frames: core %llu, spec %llu", z, (ull)a.free_frames, (ull)b.free_frames);
    }
    if (W.core_fail.requests != W.spec_fail.requests)
        FAIL("frame requests: core %llu, spec %llu", (ull)W.core_fail.requests, (ull)W.spec_fail.requests);
    if (W.enters != W.leaves)
        FAIL("hooks: %u enters, %u leaves", W.enters, W.leaves);
    const zen_slab_cache *named[SLAB_SPEC_MAX_CACHES];
    uint32_t n = 0;
    for (uint32_t id = ZEN_KMALLOC_CLASSES; id < SLAB_SPEC_MAX_CACHES; id++)
        if (W.spec.cache[id].live)
            named[n++] = &W.caches[id];
    zen_slab_check_report rep;
    if (zen_kmem_check(&W.k, named, n, &rep) != ZEN_OK)
        FAIL("zen_kmem_check: invariant %u record %u", rep.invariant, rep.record);
    zen_zone_check_report zrep;
    if (zen_zone_check(&W.zones, &zrep) != ZEN_OK)
        FAIL("zen_zone_check: invariant %u zone %u", zrep.invariant, zrep.zone);
}

/* ---- operations --------------------------------------------------------------- */

static void forget(uint32_t i)
{
    W.dead[W.ndead++ % DEAD_RING] = W.live[i].addr;
    W.live[i] = W.live[--W.nlive];
}

static void do_alloc(uint32_t id)
{
    zen_paddr a = 0, b = 0;
    bool new_slab = false;
    uint64_t calls = W.ctor_calls;
    unsigned enters = W.enters;
    zen_status st = zen_slab_alloc(&W.k, core_cache(id), &a);
    zen_status ss = slab_spec_alloc(&W.spec, id, a, &b, &new_slab);
    same_status("slab_alloc", st, ss);
    if (W.enters != enters + 1u)
        FAIL("slab_alloc: %u enter hooks", W.enters - enters);
    if (st != ZEN_OK)
        return;
    if (a != b)
        FAIL("slab_alloc cache %u: core 0x%llx, spec 0x%llx", id, (ull)a, (ull)b);
    const slab_spec_cache *c = &W.spec.cache[id];
    bool has_ctor = core_cache(id)->ctor != NULL;
    uint64_t want = has_ctor && new_slab ? c->nslots : 0;
    if (W.ctor_calls - calls != want)
        FAIL("constructor ran %llu times, want %llu", (ull)(W.ctor_calls - calls), (ull)want);
    if (has_ctor) {
        uint64_t w;
        memcpy(&w, host(a), sizeof w);
        if (w != ctor_word(id))
            FAIL("object 0x%llx of cache %u handed out unconstructed", (ull)a, id);
    }
    if (W.nlive == MAX_LIVE)
        FAIL("live table full");
    live_obj *o = &W.live[W.nlive++];
    *o = (live_obj){a, c->size, id, ++W.serial};
    fill(o, false);
}

static void do_kmalloc(uint64_t size, unsigned flags)
{
    zen_paddr a = 0, b = 0;
    unsigned enters = W.enters;
    zen_status st = zen_kmalloc(&W.k, size, flags, &a);
    zen_status ss = slab_spec_kmalloc(&W.spec, size, flags, a, &b);
    same_status("kmalloc", st, ss);
    if (W.enters != enters + 1u)
        FAIL("kmalloc: %u enter hooks", W.enters - enters);
    if (st != ZEN_OK)
        return;
    if (a != b)
        FAIL("kmalloc %llu: core 0x%llx, spec 0x%llx", (ull)size, (ull)a, (ull)b);
    if (W.nlive == MAX_LIVE)
        FAIL("live table full");
    live_obj *o = &W.live[W.nlive++];
    *o = (live_obj){a, size, SLAB_SPEC_NO_CACHE, ++W.serial};
    fill(o, false);
}

/* Free live object i the right way. */
static void do_free_live(uint32_t i)
{
    live_obj *o = &W.live[i];
    fill(o, true);
    zen_status st, ss;
    if (o->cache == SLAB_SPEC_NO_CACHE) {
        st = zen_kfree(&W.k, o->addr);
        ss = slab_spec_kfree(&W.spec, o->addr);
    } else {
        if (core_cache(o->cache)->ctor != NULL) {
            uint64_t w = ctor_word(o->cache);
            memcpy(host(o->addr), &w, sizeof w);
        }
        st = zen_slab_free(&W.k, core_cache(o->cache), o->addr);
        ss = slab_spec_free(&W.spec, o->cache, o->addr);
    }
    same_status("free live", st, ss);
    if (st != ZEN_OK)
        FAIL("free of live object 0x%llx: %d", (ull)o->addr, (int)st);
    forget(i);
}

/* An address chosen to be wrong in some way (or, by chance, right). */
static zen_paddr odd_address(reader *r)
{
    uint8_t kind = u8(r);
    uint16_t v = u16(r);
    switch (kind % 8) {
    case 0: /* inside or just past a live object */
        if (W.nlive != 0) {
            const live_obj *o = &W.live[v % W.nlive];
            return o->addr + 1u + (uint64_t)u8(r) % (o->size + 8u);
        }
        return 0;
    case 1: /* recently freed */
        return W.ndead != 0 ? W.dead[v % (W.ndead < DEAD_RING ? W.ndead : DEAD_RING)] : 0;
    case 2: /* anywhere in the DMA range, on an 8-byte step */
        return ((zen_paddr)DMA_FIRST << ZEN_PAGE_SHIFT) + (uint64_t)v * 8u % ((uint64_t)n_dma << ZEN_PAGE_SHIFT);
    case 3: /* a block the harness took from the zones */
        return W.nuser != 0 ? W.user[v % W.nuser] << ZEN_PAGE_SHIFT : 12345;
    case 4: /* outside every zone */
        return (zen_paddr)v << 20;
    case 5: /* the end of a slab: its leftover bytes */
        if (W.nlive != 0)
            return (W.live[v % W.nlive].addr | (ZEN_PAGE_SIZE - 1u)) - (u8(r) % 64u);
        return 0;
    default: /* a live object itself */
        return W.nlive != 0 ? W.live[v % W.nlive].addr : 0;
    }
}

/* A free that may be wrong: the live table follows whatever both sides did. */
static void do_free_odd(reader *r, bool through_kfree)
{
    zen_paddr a = odd_address(r);
    uint32_t id = u8(r) % SLAB_SPEC_MAX_CACHES;
    uint32_t hit = W.nlive;
    for (uint32_t i = 0; i < W.nlive; i++)
        if (W.live[i].addr == a)
            hit = i;
    if (hit < W.nlive)
        fill(&W.live[hit], true);
    zen_status st, ss;
    if (through_kfree) {
        st = zen_kfree(&W.k, a);
        ss = slab_spec_kfree(&W.spec, a);
    } else {
        if (hit < W.nlive && W.live[hit].cache == id && core_cache(id)->ctor != NULL) {
            uint64_t w = ctor_word(id);
            memcpy(host(a), &w, sizeof w);
        }
        st = zen_slab_free(&W.k, core_cache(id), a);
        ss = slab_spec_free(&W.spec, id, a);
    }
    same_status(through_kfree ? "kfree" : "slab_free", st, ss);
    if (st == ZEN_OK) {
        if (hit == W.nlive)
            FAIL("free of 0x%llx succeeded but it is not live", (ull)a);
        forget(hit);
    } else if (hit < W.nlive) {
        fill(&W.live[hit], false); /* a ctor header may have been written */
    }
}

static void do_create(reader *r)
{
    static const uint64_t aligns[] = {0, 1, 8, 16, 64, 256, 4096, 3, 8192};
    uint8_t sel = u8(r);
    uint64_t size = 1u + u16(r) % 5000u;
    if (sel & 0x80)
        size = sel & 0x40 ? UINT64_MAX - u8(r) : 30000u + u16(r) % 10000u;
    uint64_t align = aligns[u8(r) % (sizeof aligns / sizeof aligns[0])];
    /* Mostly valid flags: DMA with DMA32 (invalid) only when bit 5 is set. */
    unsigned flags = (sel >> 1) & 7u;
    if ((sel & 0x20) == 0 && (flags & ZEN_SLAB_DMA32) != 0u)
        flags &= ~(unsigned)ZEN_SLAB_DMA;
    uint32_t id = SLAB_SPEC_NO_CACHE;
    /* The spec picks the id; keep a spare id so the model never runs out. */
    uint32_t used = 0;
    for (uint32_t i = ZEN_KMALLOC_CLASSES; i < SLAB_SPEC_MAX_CACHES; i++)
        used += W.spec.cache[i].live;
    if (used == SLAB_SPEC_MAX_CACHES - ZEN_KMALLOC_CLASSES)
        return;
    zen_status ss = slab_spec_create(&W.spec, size, align, flags, &id);
    zen_slab_cache scratch;
    zen_slab_cache *c = ss == ZEN_OK ? &W.caches[id] : &scratch;
    bool with_ctor = (sel & 1u) != 0;
    zen_status st = zen_slab_cache_create(&W.k, c, size, align, with_ctor ? ctor : NULL,
                                          (void *)(uintptr_t)id, flags);
    same_status("cache_create", st, ss);
    if (st != ZEN_OK)
        return;
    const slab_spec_cache *s = &W.spec.cache[id];
    if (c->stride != s->stride || c->order != s->order || c->nslots != s->nslots)
        FAIL("cache geometry of size %llu align %llu: core %u/%u/%u, spec %llu/%u/%u", (ull)size,
             (ull)align, c->stride, c->order, c->nslots, (ull)s->stride, s->order, s->nslots);
}

static void do_destroy(uint32_t id)
{
    zen_status st = zen_slab_cache_destroy(&W.k, core_cache(id));
    zen_status ss = slab_spec_destroy(&W.spec, id);
    same_status("cache_destroy", st, ss);
}

static void do_shrink(uint32_t id)
{
    uint64_t a = 0, b = 0;
    zen_status st = zen_slab_shrink(&W.k, core_cache(id), &a);
    zen_status ss = slab_spec_shrink(&W.spec, id, &b);
    same_status("shrink", st, ss);
    if (a != b)
        FAIL("shrink released %llu slabs, spec %llu", (ull)a, (ull)b);
}

static void do_user_block(reader *r)
{
    uint8_t sel = u8(r);
    if ((sel & 1) && W.nuser != 0) {
        uint32_t i = (sel >> 1) % W.nuser;
        same_status("user free", zen_zone_free(&W.zones, W.user[i], 0), zone_spec_free(&W.zspec, W.user[i], 0));
        W.user[i] = W.user[--W.nuser];
        return;
    }
    if (W.nuser == MAX_USER)
        return;
    zen_pfn a = 0, b = 0;
    zen_status st = zen_zone_alloc(&W.zones, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ATOMIC, &a);
    zen_status ss = zone_spec_alloc(&W.zspec, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ATOMIC, &b);
    same_status("user alloc", st, ss);
    if (st == ZEN_OK) {
        if (a != b)
            FAIL("user alloc: core %llu, spec %llu", (ull)a, (ull)b);
        W.user[W.nuser++] = a;
    }
}

static uint64_t kmalloc_size(reader *r)
{
    uint8_t sel = u8(r);
    uint16_t v = u16(r);
    switch (sel % 8) {
    case 0: return v % 17u;                     /* 0 and tiny */
    case 1: return 2040u + v % 16u;              /* around the last class */
    case 2: return 2048u + v % 20000u;           /* whole blocks */
    case 3: return sel & 0x80 ? UINT64_MAX - v % 8192u : ZEN_KMALLOC_MAX_SIZE + (v % 3u) - 1u;
    default: return 1u + v % 2048u;
    }
}

static uint32_t pick_cache(reader *r)
{
    return u8(r) % SLAB_SPEC_MAX_CACHES;
}

static void run_op(reader *r)
{
    uint8_t sel = u8(r);
    switch (sel % 12) {
    case 0: do_create(r); break;
    case 1: do_destroy(pick_cache(r)); break;
    case 2: case 10: {
        uint32_t id = pick_cache(r);
        unsigned n = 1u + (sel >> 4) % 8u;
        for (unsigned i = 0; i < n; i++)
            do_alloc(id);
        break;
    }
    case 3: case 11:
        if (W.nlive != 0)
            do_free_live(u16(r) % W.nlive);
        break;
    case 4: do_free_odd(r, false); break;
    case 5: do_shrink(pick_cache(r)); break;
    case 6: {
        uint64_t size = kmalloc_size(r);
        do_kmalloc(size, (sel >> 4) % 3u);
        break;
    }
    case 7: do_free_odd(r, true); break;
    case 8: {
        uint8_t n = u8(r);
        W.core_fail.fail_at = n % 4 == 0 ? 0 : W.core_fail.requests + 1u + n % 8u;
        W.spec_fail.fail_at = n % 4 == 0 ? 0 : W.spec_fail.requests + 1u + n % 8u;
        break;
    }
    case 9: do_user_block(r); break;
    }
}

/* ---- one input ---------------------------------------------------------------- */

static bool setup(reader *r)
{
    memset(&W, 0, sizeof W);
    n_dma = 8u + u8(r) % (DMA_MAX - 8u);
    n_dma32 = u8(r) % DMA32_MAX;
    uint32_t nrecords = 1u + u8(r) % MAX_RECORDS;
    uint8_t mins = u8(r);
    zen_mem_range map[2] = {
        {(uint64_t)DMA_FIRST << ZEN_PAGE_SHIFT, (uint64_t)n_dma << ZEN_PAGE_SHIFT, ZEN_MEM_USABLE},
        {(uint64_t)DMA32_FIRST << ZEN_PAGE_SHIFT, (uint64_t)n_dma32 << ZEN_PAGE_SHIFT, ZEN_MEM_USABLE},
    };
    uint64_t count = n_dma32 != 0 ? 2 : 1;
    zen_zone_layout plan;
    if (zen_zone_plan(map, count, count, &plan) != ZEN_OK || plan.frames_needed > sizeof W.frames / sizeof W.frames[0] ||
        plan.words_needed > sizeof W.words / sizeof W.words[0])
        FAIL("zone plan of the fixed map");
    if (zen_zone_init(&W.zones, map, count, count, W.frames, plan.frames_needed, W.words,
                      plan.words_needed, NULL) != ZEN_OK)
        FAIL("zone init");
    if (zone_spec_init(&W.zspec, map, count, count) != ZEN_OK)
        FAIL("zone spec init");
    for (unsigned z = 0; z < 2; z++) {
        if (z == 1 && n_dma32 == 0)
            continue;
        uint64_t min = (mins >> (2 * z)) & 3u;
        same_status("watermarks", zen_zone_set_watermarks(&W.zones, z, min, min, min),
                    zone_spec_set_watermarks(&W.zspec, z, min, min, min));
    }
    zen_hooks hooks = {hook_enter, hook_leave, NULL};
    if (zen_kmem_init(&W.k, &W.zones, W.records, nrecords, &hooks) != ZEN_OK)
        FAIL("kmem init");
    zen_kmem_set_fail(&W.k, core_fail, &W.core_fail);
    slab_spec_init(&W.spec, &W.zspec, nrecords);
    W.spec.fail = spec_fail;
    W.spec.fail_ctx = &W.spec_fail;
    for (uint32_t id = 0; id < ZEN_KMALLOC_CLASSES; id++)
        if (W.k.classes[id].stride != W.spec.cache[id].stride ||
            W.k.classes[id].nslots != W.spec.cache[id].nslots)
            FAIL("kmalloc class %u geometry", id);
    return true;
}

/* Free everything; every frame must be back with the zones. */
static void teardown(void)
{
    W.core_fail.fail_at = W.spec_fail.fail_at = 0;
    while (W.nlive != 0)
        do_free_live(W.nlive - 1u);
    for (uint32_t id = 0; id < SLAB_SPEC_MAX_CACHES; id++) {
        if (!W.spec.cache[id].live)
            continue;
        if (id < ZEN_KMALLOC_CLASSES)
            do_shrink(id);
        else
            do_destroy(id);
    }
    while (W.nuser != 0) {
        W.nuser--;
        same_status("user free", zen_zone_free(&W.zones, W.user[W.nuser], 0),
                    zone_spec_free(&W.zspec, W.user[W.nuser], 0));
    }
    compare_all();
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        zen_zone_info a;
        (void)zen_zone_stats(&W.zones, z, &a);
        if (a.free_frames != a.managed)
            FAIL("zone %u: %llu of %llu frames free after teardown", z, (ull)a.free_frames, (ull)a.managed);
    }
    if (W.k.stats.spare_records != W.k.nslabs)
        FAIL("records leaked");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size, 0};
    if (size < 4 || !setup(&r))
        return 0;
    for (unsigned op = 0; op < MAX_OPS && r.pos < r.size; op++) {
        run_op(&r);
        compare_all();
    }
    teardown();
    zone_spec_destroy(&W.zspec);
    return 0;
}
