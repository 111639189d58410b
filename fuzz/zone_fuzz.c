/* Differential fuzzer: core zone allocator (core/zen_zone.c, zen_zone_map.c,
 * zen_zone_check.c) against the executable spec (spec/zone_spec.c).
 *
 * Input layout:
 *   head   bits 0-2 region (which anchors the entries use, below; region 6
 *          is the wide one only with bits 6-7 set too), bit 3 init once
 *          with one descriptor or bitmap word too few (bit 4 says which),
 *          bit 5 attach nothing before the operations
 *   count  1 + count % 12 entries
 *   cap    capacity of the map buffer: count + cap % 4, or (cap >= 240)
 *          below count, so ZEN_ERR_CAPACITY happens; 224 .. 239 also
 *          build the set without hooks
 *   count entries of 7 bytes: anchor, offset (u16), length kind, length
 *          (u16), type (decode_entry)
 *   attach which zones get a direct map, and an invalid attach
 *   then operations, one selector byte each plus arguments (run_op).
 *
 * Entries are built from anchors: 0, 1 MiB, 16 MiB (the DMA/DMA32
 * boundary), 4 GiB - 8 MiB, 4 GiB (the DMA32/NORMAL boundary), 4 GiB + 4 MiB
 * and 2^64 - 4 MiB, plus a signed offset of up to 1 MiB with unaligned low
 * bits. The region keeps most maps small: low memory only, memory around
 * 4 GiB only, low memory plus NORMAL, the top of the address space, or
 * (rarely) both sides of DMA32, whose span is then about 2^20 frames.
 * Lengths are mostly up to 1 MiB; some are 0 or run past 2^64 (malformed),
 * end exactly at 2^64, are sub-page, or reach 64 MiB. Types are mostly
 * usable or reserved, some ACPI, NVS, bad and unknown values.
 *
 * Checks: zen_zone_plan and zone_spec_plan agree (status; on ZEN_OK each
 * zone's start and nframes and frames_needed), the plan is written only on
 * success, each zone's span starts and ends at a usable frame inside its
 * bounds; zen_zone_init agrees with zone_spec_init, answers ZEN_ERR_NOMEM
 * with nothing written when an array is one element short, and leaves every
 * frame of every span reserved exactly when zone_spec_frame_usable says it
 * is not usable (frames at every entry's edges are also checked against the
 * header's rule computed here). A map the spec cannot model
 * (ZONE_SPEC_TOO_BIG) ends the input after the plan check.
 *
 * Then up to MAX_OPS operations (allocations, valid and invalid frees,
 * watermarks, attaches, queries) run on both; any difference in status,
 * pfn, level, per-zone statistics or set counters (compared after every
 * operation), zen_zone_check() != ZEN_OK, or a broken hook count is a crash
 * (__builtin_trap, after a line on stderr naming what differed). The check
 * runs after every operation in which some call answered ZEN_OK and after
 * every fourth one regardless. Every 16th operation also compares each
 * zone's page counters, its free blocks and the descriptors of the live
 * blocks. Some queries break one zone invariant by hand and expect
 * zen_zone_check to name it. Each operation charges the frames of all zone
 * spans to a budget (the spec scans them), so big maps run fewer
 * operations. Spans above BIG_SPAN frames run in big mode: at most MIN_OPS
 * operations, each compared by status, pfn, set counters and hooks only,
 * the statistics and zen_zone_check once at the end, and only the frames at
 * entry edges checked against the spec's rule.
 *
 * Hooks: the zone set gets enter/leave hooks that fail on nesting;
 * attach_memory, set_watermarks, alloc and free must each run exactly one
 * enter and one leave whatever they answer; plan, init, stats, watermark and
 * check none. A set built without hooks must not call them.
 *
 * Memory: a zone whose span is at most MAP_FRAMES frames may get a direct
 * map, placed at the end of its own static buffer so that a write past the
 * span hits the buffer's redzone. Every live block in such a zone carries a
 * pattern derived from (pfn, allocation serial) in the first and last word
 * of each frame, checked when the block is freed; a ZEN_ZONE_ZERO block must
 * read zero before it is filled. At the end every block is freed and every
 * zone's free frames must equal its managed frames. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zone_spec.h"
#include "zen_zone.h"

#define MAX_ENTRIES 12u
#define MAX_OPS 200u
#define MIN_OPS 4u
#define BURST 64u                       /* allocations in one burst at most */
#define MAP_FRAMES 2048u                /* largest span that gets a direct map */
#define MAX_LIVE 16384u
#define DEAD_RING 16u
#define WORK_BUDGET ((uint64_t)1 << 18) /* span frames times operations */
#define BIG_SPAN ((uint64_t)1 << 16)    /* frames_needed above this: big mode */

#define MIB ((uint64_t)1 << 20)
#define GIB ((uint64_t)1 << 30)

#define FAIL(...)                                                               \
    do {                                                                        \
        fprintf(stderr, "zone_fuzz: " __VA_ARGS__);                             \
        fprintf(stderr, "\n");                                                  \
        __builtin_trap();                                                       \
    } while (0)

/* Built with -DZONE_FUZZ_TRACE, every call to the core is printed. */
#ifdef ZONE_FUZZ_TRACE
#define TRACE(...) fprintf(stderr, "  " __VA_ARGS__)
#else
#define TRACE(...) ((void)0)
#endif

typedef unsigned long long ull;

/* Direct maps, one buffer per zone so that each has its own redzone. */
static uint64_t dmap_dma[MAP_FRAMES * ZEN_PAGE_WORDS_PER_FRAME];
static uint64_t dmap_dma32[MAP_FRAMES * ZEN_PAGE_WORDS_PER_FRAME];
static uint64_t dmap_normal[MAP_FRAMES * ZEN_PAGE_WORDS_PER_FRAME];
static uint64_t *const dmap_buf[ZEN_ZONE_COUNT] = { dmap_dma, dmap_dma32, dmap_normal };

/* The spec's free blocks of one zone, for the full comparison. */
static page_spec_block free_list[MAP_FRAMES * 4u];

/* ---- input reader ---------------------------------------------------------- */

typedef struct reader {
    const uint8_t *data;
    size_t size;
    size_t pos;
} reader;

static bool more(const reader *r)
{
    return r->pos < r->size;
}

static uint8_t u8(reader *r)
{
    return r->pos < r->size ? r->data[r->pos++] : 0u;
}

static uint16_t u16(reader *r)
{
    uint16_t lo = u8(r);
    return (uint16_t)(lo | (uint16_t)(u8(r) << 8));
}

/* ---- the memory map ------------------------------------------------------------ */

enum anchor_id { A_ZERO, A_1M, A_16M, A_4G_M8, A_4G, A_4G_P4, A_TOP, A_COUNT };

static const uint64_t anchor_base[A_COUNT] = {
    0, 1u * MIB, 16u * MIB, 4u * GIB - 8u * MIB, 4u * GIB, 4u * GIB + 4u * MIB,
    (uint64_t)0 - 4u * MIB,
};

/* Anchors each region draws from. An anchor marked non-negative takes the
 * absolute value of its offset, so the region does not reach below it. */
typedef struct region {
    unsigned n;
    uint8_t anchor[6];
    uint8_t nonneg[6];
} region;

static const region regions[8] = {
    { 3, { A_ZERO, A_1M, A_16M }, { 1, 0, 0 } },                          /* low */
    { 4, { A_ZERO, A_1M, A_1M, A_16M }, { 1, 0, 0, 0 } },                 /* low */
    { 3, { A_4G_M8, A_4G, A_4G_P4 }, { 0, 0, 0 } },                       /* 4 GiB */
    { 4, { A_4G_M8, A_4G, A_4G, A_4G_P4 }, { 0, 0, 0, 0 } },              /* 4 GiB */
    { 5, { A_ZERO, A_1M, A_16M, A_4G, A_4G_P4 }, { 1, 0, 0, 1, 1 } },     /* three zones */
    { 5, { A_ZERO, A_1M, A_16M, A_4G, A_4G_P4 }, { 1, 0, 1, 1, 1 } },     /* three zones */
    { 6, { A_ZERO, A_1M, A_16M, A_4G_M8, A_4G, A_4G_P4 }, { 1, 0, 0, 0, 0, 0 } }, /* wide */
    { 5, { A_1M, A_16M, A_4G, A_TOP, A_TOP }, { 0, 0, 1, 0, 0 } },        /* top */
};

/* Sub-page byte offsets. */
static const uint64_t sub_page[8] = { 1, 8, 512, 2048, 3072, 4094, 4095, 100 };

static uint32_t decode_type(uint8_t t)
{
    if (t < 128u)
        return ZEN_MEM_USABLE;
    if (t < 200u)
        return ZEN_MEM_RESERVED;
    if (t < 210u)
        return ZEN_MEM_ACPI_RECLAIM;
    if (t < 220u)
        return ZEN_MEM_ACPI_NVS;
    if (t < 230u)
        return ZEN_MEM_BAD;
    if (t < 240u)
        return 0u;
    if (t < 248u)
        return 6u + (t & 7u);
    return t == 255u ? UINT32_MAX : 0x80000000u | t;
}

static zen_mem_range decode_entry(reader *r, const region *rg)
{
    uint8_t a = u8(r);
    uint16_t off = u16(r);
    uint8_t lk = u8(r);
    uint16_t lv = u16(r);
    uint8_t t = u8(r);

    unsigned slot = a % rg->n;
    int64_t pages = (int64_t)(int16_t)off / 128; /* -256 .. 255 */
    if (rg->nonneg[slot] && pages < 0)
        pages = -pages;
    unsigned lo = off & 127u;
    uint64_t sub = lo < 80u ? 0u : sub_page[lo % 8u];
    uint64_t base = anchor_base[rg->anchor[slot]] + (uint64_t)pages * ZEN_PAGE_SIZE + sub;

    uint64_t length;
    switch (lk % 32u) {
    case 0: /* malformed: empty */
        length = 0;
        break;
    case 1: /* malformed: past 2^64 (unless base is 0) */
        length = ((uint64_t)0 - base) + 1u + lv;
        break;
    case 2: /* up to the top exactly */
        length = (uint64_t)0 - base;
        break;
    case 3:
    case 4: /* sub-page */
        length = lv % ZEN_PAGE_SIZE + 1u;
        break;
    case 5: /* large: 1 .. 64 MiB */
        length = (lv % 64u + 1u) * MIB;
        break;
    default: { /* 1 .. 256 pages, sometimes with a ragged end */
        static const uint64_t tail[8] = { 0, 0, 0, 0, 0, 1, 4095, 2048 };
        length = (uint64_t)(lv % 256u + 1u) * ZEN_PAGE_SIZE + tail[(lv >> 8) & 7u];
        if ((lk & 0x80u) != 0 && length > ZEN_PAGE_SIZE)
            length -= ZEN_PAGE_SIZE; /* shorter by a page: edges that nearly meet */
        break;
    }
    }
    return (zen_mem_range){ .base = base, .length = length, .type = decode_type(t) };
}

/* The rule of zen_zone.h for one frame, computed independently of the spec
 * for a well-formed map. */
static bool entry_covers(const zen_mem_range *e, zen_pfn pfn)
{
    uint64_t end_byte = e->base + e->length; /* 0 when the entry ends at 2^64 */
    zen_pfn first, end;
    if (e->type == ZEN_MEM_USABLE) {
        first = (e->base >> ZEN_PAGE_SHIFT) + ((e->base & (ZEN_PAGE_SIZE - 1u)) != 0);
        end = end_byte == 0 ? ZEN_PFN_LIMIT : end_byte >> ZEN_PAGE_SHIFT;
    } else {
        first = e->base >> ZEN_PAGE_SHIFT;
        end = end_byte == 0 ? ZEN_PFN_LIMIT
                            : (end_byte >> ZEN_PAGE_SHIFT) + ((end_byte & (ZEN_PAGE_SIZE - 1u)) != 0);
    }
    return first <= pfn && pfn < end;
}

static bool rule_usable(const zen_mem_range *map, uint64_t count, zen_pfn pfn)
{
    if (pfn == 0)
        return false;
    bool usable = false;
    for (uint64_t i = 0; i < count; i++) {
        if (!entry_covers(&map[i], pfn))
            continue;
        if (map[i].type != ZEN_MEM_USABLE)
            return false;
        usable = true;
    }
    return usable;
}

static unsigned zone_of(zen_pfn pfn)
{
    return pfn < ZEN_ZONE_DMA32_START ? ZEN_ZONE_DMA
           : pfn < ZEN_ZONE_NORMAL_START ? ZEN_ZONE_DMA32 : ZEN_ZONE_NORMAL;
}

static const zen_pfn zone_first[ZEN_ZONE_COUNT] = { 0, ZEN_ZONE_DMA32_START, ZEN_ZONE_NORMAL_START };
static const zen_pfn zone_end[ZEN_ZONE_COUNT] = { ZEN_ZONE_DMA32_START, ZEN_ZONE_NORMAL_START,
                                                  ZEN_PFN_LIMIT };

/* ---- hooks -------------------------------------------------------------------- */

typedef struct hook_count {
    bool inside;
    uint64_t enters;
    uint64_t leaves;
} hook_count;

static void hook_enter(void *ctx)
{
    hook_count *h = ctx;
    if (h->inside)
        FAIL("enter hook called inside an operation");
    h->inside = true;
    h->enters++;
}

static void hook_leave(void *ctx)
{
    hook_count *h = ctx;
    if (!h->inside)
        FAIL("leave hook called outside an operation");
    h->inside = false;
    h->leaves++;
}

/* ---- the two zone sets and the harness's book-keeping ------------------------- */

typedef struct live_block {
    zen_pfn pfn;
    unsigned order;
    unsigned zone;
    uint64_t serial;
} live_block;

typedef struct world {
    zen_zone_set core;
    zone_spec spec;
    zen_mem_range *map;
    uint64_t count;
    zen_page_frame *frames;
    uint64_t *words;
    uint64_t span_frames;                /* frames_needed: all spans */
    bool big;                            /* span_frames > BIG_SPAN */
    uint64_t *memory[ZEN_ZONE_COUNT];    /* direct map of each zone, or NULL */
    live_block live[MAX_LIVE];
    uint32_t nlive;
    zen_pfn dead[DEAD_RING];             /* recently freed heads */
    uint32_t ndead;
    uint64_t serial;
    uint64_t work;                       /* charged against WORK_BUDGET */
    hook_count hooks;
    bool hooks_on;                       /* the set was given the hooks */
    uint64_t changing_calls;             /* hook pairs the set must have run */
    bool changed;                        /* some call answered ZEN_OK since the last check */
} world;

static uint64_t pattern(zen_pfn pfn, uint64_t serial)
{
    return (pfn * 0x9E3779B97F4A7C15u) ^ (serial * 0xD6E8FEB86659FD93u) ^ 0x5A5A5A5A5A5A5A5Au;
}

static uint64_t *frame_words(const world *w, unsigned z, zen_pfn pfn)
{
    return w->memory[z] + (pfn - w->core.zone[z].pages.start) * ZEN_PAGE_WORDS_PER_FRAME;
}

static void fill_pattern(const world *w, const live_block *b)
{
    if (w->memory[b->zone] == NULL)
        return;
    for (uint64_t i = 0; i < ((uint64_t)1 << b->order); i++) {
        uint64_t *fw = frame_words(w, b->zone, b->pfn + i);
        fw[0] = pattern(b->pfn + i, b->serial);
        fw[ZEN_PAGE_WORDS_PER_FRAME - 1] = ~pattern(b->pfn + i, b->serial);
    }
}

static void check_pattern(const world *w, const live_block *b)
{
    if (w->memory[b->zone] == NULL)
        return;
    for (uint64_t i = 0; i < ((uint64_t)1 << b->order); i++) {
        const uint64_t *fw = frame_words(w, b->zone, b->pfn + i);
        if (fw[0] != pattern(b->pfn + i, b->serial) ||
            fw[ZEN_PAGE_WORDS_PER_FRAME - 1] != ~pattern(b->pfn + i, b->serial))
            FAIL("pattern of block pfn=%llu order=%u overwritten at frame %llu", (ull)b->pfn,
                 b->order, (ull)(b->pfn + i));
    }
}

static void check_zero(const world *w, unsigned z, zen_pfn pfn, unsigned order)
{
    if (w->memory[z] == NULL)
        FAIL("ZERO block pfn=%llu from zone %u, which has no direct map", (ull)pfn, z);
    const uint64_t *fw = frame_words(w, z, pfn);
    uint64_t n = ((uint64_t)1 << order) * ZEN_PAGE_WORDS_PER_FRAME;
    for (uint64_t j = 0; j < n; j++)
        if (fw[j] != 0)
            FAIL("ZERO block pfn=%llu order=%u not zero at word %llu", (ull)pfn, order, (ull)j);
}

static void same_status(const char *what, ull arg, zen_status core, zen_status spec)
{
    if (core != spec)
        FAIL("%s(%llu): core %d, spec %d", what, arg, (int)core, (int)spec);
}

/* One zone's statistics, field by field. */
static void compare_zone(world *w, unsigned z)
{
    zen_zone_info got, want;
    memset(&got, 0xA5, sizeof got);
    memset(&want, 0x5A, sizeof want);
    zen_status sc = zen_zone_stats(&w->core, z, &got);
    zen_status ss = zone_spec_stats(&w->spec, z, &want);
    if (sc != ZEN_OK || ss != ZEN_OK)
        FAIL("stats(zone %u): core %d, spec %d", z, (int)sc, (int)ss);
    if (got.present != want.present || got.start != want.start || got.nframes != want.nframes ||
        got.managed != want.managed || got.free_frames != want.free_frames ||
        got.min != want.min || got.low != want.low || got.high != want.high)
        FAIL("zone %u stats differ (core/spec): present %u/%u start %llu/%llu nframes %llu/%llu "
             "managed %llu/%llu free %llu/%llu min %llu/%llu low %llu/%llu high %llu/%llu",
             z, got.present, want.present, (ull)got.start, (ull)want.start, (ull)got.nframes,
             (ull)want.nframes, (ull)got.managed, (ull)want.managed, (ull)got.free_frames,
             (ull)want.free_frames, (ull)got.min, (ull)want.min, (ull)got.low, (ull)want.low,
             (ull)got.high, (ull)want.high);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        if (got.free_blocks[k] != want.free_blocks[k])
            FAIL("zone %u free_blocks[%u]: core %llu, spec %llu", z, k, (ull)got.free_blocks[k],
                 (ull)want.free_blocks[k]);
    if (got.present && !(got.min <= got.low && got.low <= got.high && got.high <= got.managed))
        FAIL("zone %u watermarks %llu/%llu/%llu, managed %llu", z, (ull)got.min, (ull)got.low,
             (ull)got.high, (ull)got.managed);
}

/* Deeper, every 16th operation: each zone's page counters, its free blocks
 * against the core's free heads, and the live blocks' descriptors. */
static void compare_deep(world *w)
{
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if (!w->core.zone[z].present)
            continue;
        const zen_page_allocator *a = &w->core.zone[z].pages;
        zen_page_stats want;
        page_spec_stats(&w->spec.pages[z], &want);
        if (a->stats.peak_in_use != want.peak_in_use || a->stats.oom_count != want.oom_count ||
            a->stats.rejected != want.rejected)
            FAIL("zone %u page counters differ: peak %llu/%llu oom %llu/%llu rejected %llu/%llu "
                 "(core/spec)",
                 z, (ull)a->stats.peak_in_use, (ull)want.peak_in_use, (ull)a->stats.oom_count,
                 (ull)want.oom_count, (ull)a->stats.rejected, (ull)want.rejected);
        if (a->nframes > MAP_FRAMES * 4u)
            continue;
        uint64_t n = page_spec_free_blocks(&w->spec.pages[z], free_list, MAP_FRAMES * 4u);
        uint64_t heads = 0;
        for (uint64_t i = 0; i < a->nframes; i++)
            heads += a->frames[i].state == ZEN_FRAME_FREE;
        if (n != heads)
            FAIL("zone %u: core %llu free heads, spec %llu free blocks", z, (ull)heads, (ull)n);
        for (uint64_t i = 0; i < n; i++) {
            const zen_page_frame *f = &a->frames[free_list[i].head - a->start];
            if (f->state != ZEN_FRAME_FREE || f->order != free_list[i].order)
                FAIL("zone %u: free block (%llu, %u) of the spec has core state %u order %u", z,
                     (ull)free_list[i].head, free_list[i].order, f->state, f->order);
        }
    }
    for (uint32_t i = 0; i < w->nlive; i++) {
        const live_block *b = &w->live[i];
        const zen_page_allocator *a = &w->core.zone[b->zone].pages;
        const zen_page_frame *f = &a->frames[b->pfn - a->start];
        if (f->state != ZEN_FRAME_ALLOCATED || f->order != b->order || f->refcount != 1)
            FAIL("live block %llu order %u: core state %u order %u refcount %u", (ull)b->pfn,
                 b->order, f->state, f->order, f->refcount);
        const page_spec_block *sb = NULL;
        if (page_spec_lookup(&w->spec.pages[b->zone], b->pfn, &sb) != ZEN_OK ||
            sb->order != b->order)
            FAIL("live block %llu order %u unknown to the spec", (ull)b->pfn, b->order);
    }
}

/* The set's counters and the hook counts. */
static void compare_counters(world *w)
{
    const zen_zone_set_stats *c = &w->core.stats;
    const zone_spec *s = &w->spec;
    if (c->rejected != s->rejected || c->oom_count != s->oom_count ||
        c->fallbacks != s->fallbacks || c->atomic_reserve != s->atomic_reserve)
        FAIL("set counters differ: rejected %llu/%llu oom %llu/%llu fallbacks %llu/%llu "
             "atomic_reserve %llu/%llu (core/spec)",
             (ull)c->rejected, (ull)s->rejected, (ull)c->oom_count, (ull)s->oom_count,
             (ull)c->fallbacks, (ull)s->fallbacks, (ull)c->atomic_reserve,
             (ull)s->atomic_reserve);
    if (w->hooks.inside || w->hooks.enters != w->changing_calls ||
        w->hooks.leaves != w->changing_calls)
        FAIL("hooks: %llu enters, %llu leaves for %llu operations", (ull)w->hooks.enters,
             (ull)w->hooks.leaves, (ull)w->changing_calls);
}

/* Everything observable must agree, and (when `check`) the core must pass
 * its own check. */
static void compare_all(world *w, bool deep, bool check)
{
    compare_counters(w);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        compare_zone(w, z);
    if (deep)
        compare_deep(w);
    if (!check)
        return;
    w->changed = false;
    zen_zone_check_report report;
    if (zen_zone_check(&w->core, &report) != ZEN_OK)
        FAIL("zen_zone_check: invariant %u in zone %u (page invariant %u at pfn %llu)",
             report.invariant, report.zone, report.pages.invariant, (ull)report.pages.pfn);
    if (report.invariant != ZEN_ZINV_NONE)
        FAIL("zen_zone_check: ZEN_OK with invariant %u", report.invariant);
    if (w->hooks.enters != w->changing_calls)
        FAIL("zen_zone_check ran the hooks");
}

/* ---- operations --------------------------------------------------------------- */

static bool do_alloc(world *w, unsigned max_zone, unsigned order, unsigned flags)
{
    if (w->nlive >= MAX_LIVE)
        return false;
    zen_pfn pc = 0xDEADBEEFu, ps = 0;
    uint64_t free_before[ZEN_ZONE_COUNT];
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        free_before[z] = w->core.zone[z].present ? w->core.zone[z].pages.stats.free_frames : 0;
    w->changing_calls += w->hooks_on;
    w->work += w->span_frames;
    zen_status sc = zen_zone_alloc(&w->core, max_zone, order, flags, &pc);
    zen_status ss = zone_spec_alloc(&w->spec, max_zone, order, flags, &ps);
    TRACE("alloc(max_zone=%u, order=%u, flags=%#x) = %d pfn %llu\n", max_zone, order, flags,
          (int)sc, (ull)pc);
    if (sc != ss)
        FAIL("alloc(max_zone=%u, order=%u, flags=%#x): core %d, spec %d", max_zone, order, flags,
             (int)sc, (int)ss);
    if (sc != ZEN_OK) {
        if (pc != 0xDEADBEEFu)
            FAIL("alloc answered %d but wrote *pfn", (int)sc);
        return false;
    }
    if (pc != ps)
        FAIL("alloc(max_zone=%u, order=%u, flags=%#x): core pfn %llu, spec pfn %llu", max_zone,
             order, flags, (ull)pc, (ull)ps);
    w->changed = true;

    /* The header's promises, independently of the spec. */
    unsigned z = zone_of(pc);
    const zen_zone *zone = &w->core.zone[z];
    if (z > max_zone || !zone->present || pc < zone->pages.start ||
        pc - zone->pages.start + ((uint64_t)1 << order) > zone->pages.nframes ||
        (pc & (((uint64_t)1 << order) - 1u)) != 0)
        FAIL("alloc(max_zone=%u, order=%u): pfn %llu outside zone %u or misaligned", max_zone,
             order, (ull)pc, z);
    if (zone->pages.stats.free_frames != free_before[z] - ((uint64_t)1 << order))
        FAIL("alloc(order=%u) from zone %u: free frames %llu -> %llu", order, z,
             (ull)free_before[z], (ull)zone->pages.stats.free_frames);
    if ((flags & ZEN_ZONE_ATOMIC) == 0 && zone->pages.stats.free_frames < zone->min)
        FAIL("non-atomic alloc left zone %u below min (%llu < %llu)", z,
             (ull)zone->pages.stats.free_frames, (ull)zone->min);

    if ((flags & ZEN_ZONE_ZERO) != 0)
        check_zero(w, z, pc, order);
    live_block *b = &w->live[w->nlive++];
    *b = (live_block){ .pfn = pc, .order = order, .zone = z, .serial = ++w->serial };
    fill_pattern(w, b);
    return true;
}

static zen_status do_free(world *w, zen_pfn pfn, unsigned order)
{
    w->changing_calls += w->hooks_on;
    w->work += w->span_frames / 4u;
    zen_status sc = zen_zone_free(&w->core, pfn, order);
    zen_status ss = zone_spec_free(&w->spec, pfn, order);
    TRACE("free(pfn=%llu, order=%u) = %d\n", (ull)pfn, order, (int)sc);
    if (sc != ss)
        FAIL("free(pfn=%llu, order=%u): core %d, spec %d", (ull)pfn, order, (int)sc, (int)ss);
    if (sc != ZEN_OK)
        return sc;
    w->changed = true;
    for (uint32_t i = 0; i < w->nlive; i++) {
        if (w->live[i].pfn == pfn) {
            if (w->live[i].order != order)
                FAIL("free(pfn=%llu) with order %u of a block of order %u answered OK",
                     (ull)pfn, order, w->live[i].order);
            check_pattern(w, &w->live[i]);
            w->live[i] = w->live[--w->nlive];
            w->dead[w->ndead++ % DEAD_RING] = pfn;
            return sc;
        }
    }
    FAIL("freed pfn %llu that the harness never saw allocated", (ull)pfn);
}

static void do_attach(world *w, unsigned z, uint64_t *memory)
{
    w->changing_calls += w->hooks_on;
    zen_status sc = zen_zone_attach_memory(&w->core, z, memory);
    /* The model keeps no map pointer: a NULL map is refused as an unknown
     * zone is (INVAL, one more rejected request). */
    zen_status ss = zone_spec_attach_memory(&w->spec, memory == NULL ? ZEN_ZONE_COUNT : z);
    TRACE("attach_memory(zone %u, %s) = %d\n", z, memory ? "map" : "NULL", (int)sc);
    same_status("attach_memory", z, sc, ss);
    bool valid = z < ZEN_ZONE_COUNT && w->core.zone[z].present && memory != NULL;
    if ((sc == ZEN_OK) != valid)
        FAIL("attach_memory(zone %u, %s) answered %d", z, memory ? "map" : "NULL", (int)sc);
    if (sc == ZEN_OK) {
        w->changed = true;
        if (w->core.zone[z].pages.memory != memory)
            FAIL("attach_memory(zone %u) did not record the map", z);
        w->memory[z] = memory;
    }
}

static void do_set_watermarks(world *w, unsigned z, uint64_t min, uint64_t low, uint64_t high)
{
    w->changing_calls += w->hooks_on;
    zen_status sc = zen_zone_set_watermarks(&w->core, z, min, low, high);
    zen_status ss = zone_spec_set_watermarks(&w->spec, z, min, low, high);
    TRACE("set_watermarks(zone %u, %llu, %llu, %llu) = %d\n", z, (ull)min, (ull)low, (ull)high,
          (int)sc);
    if (sc != ss)
        FAIL("set_watermarks(zone %u, %llu, %llu, %llu): core %d, spec %d", z, (ull)min,
             (ull)low, (ull)high, (int)sc, (int)ss);
    w->changed |= sc == ZEN_OK;
    if (sc == ZEN_OK &&
        (w->core.zone[z].min != min || w->core.zone[z].low != low || w->core.zone[z].high != high))
        FAIL("set_watermarks(zone %u) stored %llu/%llu/%llu", z, (ull)w->core.zone[z].min,
             (ull)w->core.zone[z].low, (ull)w->core.zone[z].high);
}

static void do_watermark(world *w, unsigned z)
{
    unsigned lc = 77u, ls = 88u;
    zen_status sc = zen_zone_watermark(&w->core, z, &lc);
    zen_status ss = zone_spec_watermark(&w->spec, z, &ls);
    TRACE("watermark(zone %u) = %d level %u\n", z, (int)sc, lc);
    same_status("watermark", z, sc, ss);
    if (sc != ZEN_OK) {
        if (lc != 77u)
            FAIL("watermark(zone %u) answered %d but wrote *level", z, (int)sc);
        return;
    }
    if (lc != ls)
        FAIL("watermark(zone %u): core level %u, spec level %u", z, lc, ls);
    const zen_zone *zone = &w->core.zone[z];
    uint64_t f = zone->pages.stats.free_frames;
    unsigned want = f < zone->min ? ZEN_LEVEL_BELOW_MIN
                    : f < zone->low ? ZEN_LEVEL_BELOW_LOW
                    : f < zone->high ? ZEN_LEVEL_BELOW_HIGH : ZEN_LEVEL_HIGH;
    if (lc != want)
        FAIL("watermark(zone %u): level %u, free %llu min %llu low %llu high %llu", z, lc, (ull)f,
             (ull)zone->min, (ull)zone->low, (ull)zone->high);
}

static const live_block *pick_live(world *w, reader *r)
{
    uint8_t i = u8(r);
    return w->nlive == 0 ? NULL : &w->live[i % w->nlive];
}

static unsigned pick_zone(reader *r)
{
    uint8_t v = u8(r);
    if (v < 224u)
        return v % 3u;
    if (v < 248u)
        return 3u;
    return v == 255u ? UINT32_MAX : 4u + (v & 7u);
}

static unsigned pick_order(reader *r)
{
    uint8_t o = u8(r);
    if (o < 144u)
        return o % 4u; /* small orders most of the time */
    if (o < 248u)
        return o % (ZEN_PAGE_MAX_ORDER + 2u); /* includes MAX + 1 */
    return o == 255u ? UINT32_MAX : 32u + o;
}

static unsigned pick_flags(reader *r)
{
    uint8_t f = u8(r);
    if (f < 112u)
        return 0;
    if (f < 160u)
        return ZEN_ZONE_ATOMIC;
    if (f < 200u)
        return ZEN_ZONE_ZERO;
    if (f < 232u)
        return ZEN_ZONE_ATOMIC | ZEN_ZONE_ZERO;
    if (f < 248u)
        return f % 8u; /* 4 .. 7 unknown */
    return (unsigned)f << 4;
}

/* A present zone chosen by the input, or the first present one. */
static unsigned pick_present(const world *w, uint8_t v)
{
    for (unsigned i = 0; i < ZEN_ZONE_COUNT; i++) {
        unsigned z = (v + i) % ZEN_ZONE_COUNT;
        if (w->core.zone[z].present)
            return z;
    }
    FAIL("no zone present after a successful init");
}

/* m * v / 2^16: a fraction of m (a zone manages fewer than 2^33 frames). */
static uint64_t scaled(uint64_t m, uint16_t v)
{
    return (m * v) >> 16;
}

static void op_watermarks(world *w, reader *r, bool valid)
{
    uint8_t kind = u8(r);
    uint16_t a = u16(r), b = u16(r), c = u16(r);
    unsigned z = pick_present(w, kind >> 4);
    const zen_zone *zone = &w->core.zone[z];
    uint64_t m = zone->pages.stats.managed;
    uint64_t f = zone->pages.stats.free_frames;
    uint64_t min, low, high;
    if (valid) {
        switch (kind % 6u) {
        case 0: { /* anywhere up to managed */
            uint64_t x = scaled(m + 1u, a), y = scaled(m + 1u, b), t = scaled(m + 1u, c);
            if (x > y) { uint64_t s = x; x = y; y = s; }
            if (y > t) { uint64_t s = y; y = t; t = s; }
            if (x > y) { uint64_t s = x; x = y; y = s; }
            min = x; low = y; high = t;
            break;
        }
        case 1: /* min just around the free frames: pressure on the next alloc */
            min = f > (a & 7u) ? f - (a & 7u) : 0;
            if ((a & 8u) != 0 && min < m)
                min++;
            low = min + (b & 3u) > m ? m : min + (b & 3u);
            high = low + (c & 3u) > m ? m : low + (c & 3u);
            break;
        case 2: /* everything reserved */
            min = low = high = m;
            break;
        case 3:
            min = low = high = 0;
            break;
        case 4: /* the defaults */
            min = m / 128u;
            low = min + min / 4u;
            high = min + min / 2u;
            break;
        default: /* low and high at the edges */
            min = scaled(m + 1u, a) / 2u;
            low = min;
            high = m;
            break;
        }
    } else {
        switch (kind % 6u) {
        case 0: /* min > low */
            low = scaled(m, a);
            min = low + 1u + (b & 15u);
            high = m;
            break;
        case 1: /* low > high */
            high = scaled(m, a);
            low = high + 1u;
            min = 0;
            break;
        case 2: /* high > managed */
            min = low = 0;
            high = m + 1u + (b & 3u);
            break;
        case 3:
            min = low = high = UINT64_MAX;
            break;
        case 4: /* unknown zone */
            do_set_watermarks(w, 3u + (a & 3u), 0, 0, 0);
            return;
        default: { /* an absent zone, if there is one */
            for (unsigned y = 0; y < ZEN_ZONE_COUNT; y++)
                if (!w->core.zone[y].present) {
                    do_set_watermarks(w, y, 0, 0, 0);
                    return;
                }
            min = low = high = m + 1u;
            break;
        }
        }
    }
    do_set_watermarks(w, z, min, low, high);
}

static void op_foreign(world *w, reader *r)
{
    uint8_t kind = u8(r);
    uint64_t x = u8(r);
    unsigned z = pick_present(w, kind >> 5);
    const zen_page_allocator *a = &w->core.zone[z].pages;
    unsigned order = (kind >> 3) % (ZEN_PAGE_MAX_ORDER + 1u);
    zen_pfn pfn;
    switch (kind % 8u) {
    case 0: pfn = a->start - 1u - x; break;          /* below the span; may wrap */
    case 1: pfn = a->start + a->nframes + x; break;   /* past the span */
    case 2: pfn = UINT64_MAX - x; break;
    case 3: pfn = ZEN_PFN_LIMIT + x; break;
    case 4: pfn = ZEN_PFN_LIMIT - 1u - x; break;
    case 5: pfn = zone_first[(z + 1u + (x & 1u)) % ZEN_ZONE_COUNT] + x; break; /* other zone */
    case 6: pfn = zone_end[z] - 1u - x; break;        /* end of the zone's bounds */
    default: pfn = x; break;                          /* frame 0 and low frames */
    }
    do_free(w, pfn, order);
}

/* Break one zone invariant of the core's set by hand, expect zen_zone_check
 * to name it, and put the set back. */
static void check_detects(world *w, uint8_t q)
{
    unsigned z = pick_present(w, q >> 3);
    unsigned absent = ZEN_ZONE_COUNT;
    for (unsigned y = ZEN_ZONE_COUNT; y-- > 0;)
        if (!w->core.zone[y].present)
            absent = y;
    if (q % 4u == 3u && (q & 4u) != 0 && absent < ZEN_ZONE_COUNT)
        z = absent;
    zen_zone *zone = &w->core.zone[z];
    const zen_zone saved = *zone;
    uint32_t want;
    switch (q % 4u) {
    case 0: /* min above low */
        if (zone->low == UINT64_MAX)
            return;
        zone->min = zone->low + 1u;
        want = ZEN_ZINV_WATERMARKS;
        break;
    case 1: /* high above managed */
        zone->high = zone->pages.stats.managed + 1u;
        want = ZEN_ZINV_WATERMARKS;
        break;
    case 2: /* descriptors that are not the zone's slice */
        zone->frame_off++;
        want = ZEN_ZINV_CARVING;
        break;
    default:
        if (!zone->present) { /* an absent zone with watermarks */
            zone->min = zone->low = zone->high = 1u;
            want = ZEN_ZINV_ABSENT;
        } else { /* a span out of its zone's bounds */
            zone->pages.start = zone_end[z];
            want = ZEN_ZINV_BOUNDS;
        }
        break;
    }
    zen_zone_check_report report;
    zen_status st = zen_zone_check(&w->core, &report);
    *zone = saved;
    if (st != ZEN_ERR_CORRUPT || report.invariant != want || report.zone != z)
        FAIL("zen_zone_check on a broken zone %u: %d, invariant %u zone %u (want %u)", z,
             (int)st, report.invariant, report.zone, want);
}

/* Operation n of the input. zen_zone_check runs after every operation in
 * which some call answered ZEN_OK, and after every fourth one regardless:
 * an error answer must leave the set as it was, which the statistics
 * compared after every operation already watch, and the check's walk over
 * every frame is most of the time an operation costs. */
static void run_op(world *w, reader *r, unsigned n)
{
    const bool deep = n % 16u == 15u;
    const live_block *b;
    uint8_t op = u8(r);

    switch (op % 16u) {
    case 0:
    case 1:
    case 2: { /* alloc */
        unsigned max_zone = pick_zone(r);
        unsigned order = pick_order(r);
        do_alloc(w, max_zone, order, pick_flags(r));
        break;
    }
    case 3:
    case 4: /* free a live block with its order */
        if ((b = pick_live(w, r)) != NULL)
            do_free(w, b->pfn, b->order);
        break;
    case 5: /* wrong order, sometimes above the maximum */
        if ((b = pick_live(w, r)) != NULL) {
            uint8_t d = u8(r);
            unsigned order = d >= 240u ? 64u + d
                                       : (b->order + 1u + d % (ZEN_PAGE_MAX_ORDER + 1u)) %
                                             (ZEN_PAGE_MAX_ORDER + 2u);
            if (order == b->order)
                order = ZEN_PAGE_MAX_ORDER + 1u;
            do_free(w, b->pfn, order);
        }
        break;
    case 6: /* a tail frame of a live block */
        if ((b = pick_live(w, r)) != NULL && b->order > 0) {
            uint64_t size = (uint64_t)1 << b->order;
            uint16_t v = u16(r);
            do_free(w, b->pfn + 1u + v % (size - 1u), (v & 0x8000u) != 0 ? 0u : b->order);
        }
        break;
    case 7: { /* double free of a freed head */
        uint8_t i = u8(r);
        if (w->ndead > 0)
            do_free(w, w->dead[i % (w->ndead < DEAD_RING ? w->ndead : DEAD_RING)],
                    (unsigned)(i >> 4) % (ZEN_PAGE_MAX_ORDER + 1u));
        break;
    }
    case 8:
        op_foreign(w, r);
        break;
    case 9: { /* any frame of a span: hole, free, tail or head */
        uint8_t zv = u8(r);
        uint16_t off = u16(r);
        const zen_page_allocator *a = &w->core.zone[pick_present(w, zv)].pages;
        do_free(w, a->start + off % a->nframes, (zv >> 2) % (ZEN_PAGE_MAX_ORDER + 1u));
        break;
    }
    case 10:
        op_watermarks(w, r, true);
        break;
    case 11:
        op_watermarks(w, r, false);
        break;
    case 12: { /* queries */
        uint8_t q = u8(r);
        do_watermark(w, q % 5u);
        zen_zone_info info;
        memset(&info, 0xA5, sizeof info);
        zen_zone_info copy = info;
        unsigned bad = 3u + (q >> 5);
        zen_status sc = zen_zone_stats(&w->core, bad, &info);
        zen_status ss = zone_spec_stats(&w->spec, bad, &copy);
        same_status("stats", bad, sc, ss);
        if (sc != ZEN_ERR_INVAL || memcmp(&info, &copy, sizeof info) != 0)
            FAIL("stats(zone %u) answered %d or wrote *info", bad, (int)sc);
        if (q >= 224u)
            check_detects(w, q);
        break;
    }
    case 13: { /* burst: one kind of request until it fails */
        unsigned max_zone = pick_zone(r);
        unsigned order = u8(r) % (ZEN_PAGE_MAX_ORDER + 1u);
        unsigned flags = pick_flags(r);
        for (unsigned n = 0; n < BURST && w->work < WORK_BUDGET; n++)
            if (!do_alloc(w, max_zone, order, flags))
                break;
        break;
    }
    case 14: { /* release burst: every live block, or every other one */
        uint8_t how = u8(r);
        for (uint32_t i = w->nlive; i-- > 0;) {
            if ((how & 1u) != 0 && i % 2u == 0)
                continue;
            if (i < w->nlive)
                do_free(w, w->live[i].pfn, w->live[i].order);
        }
        break;
    }
    default: { /* attach: invalid, or the same map again */
        uint8_t kind = u8(r);
        unsigned z = pick_present(w, kind >> 2);
        switch (kind % 4u) {
        case 0:
            do_attach(w, 3u + (kind >> 2), dmap_buf[0]);
            break;
        case 1:
            for (unsigned y = 0; y < ZEN_ZONE_COUNT; y++)
                if (!w->core.zone[y].present) {
                    do_attach(w, y, dmap_buf[y]);
                    break;
                }
            break;
        case 2:
            do_attach(w, z, NULL);
            break;
        default:
            if (w->memory[z] != NULL)
                do_attach(w, z, w->memory[z]);
            break;
        }
        break;
    }
    }
    w->work += w->span_frames;
    if (w->big)
        compare_counters(w);
    else
        compare_all(w, deep, deep || w->changed || n % 4u == 3u);
}

/* ---- set-up -------------------------------------------------------------------- */

/* The map errors: zen_zone_init answers as zen_zone_plan did, writes nothing
 * and runs no hook. */
static void check_bad_init(world *w, uint64_t capacity, zen_status want)
{
    static zen_page_frame frame1[1];
    static uint64_t word1[1];
    static zen_zone_set poisoned, copy;
    memset(&poisoned, 0xA5, sizeof poisoned);
    memcpy(&copy, &poisoned, sizeof copy);
    const zen_hooks hooks = { hook_enter, hook_leave, &w->hooks };
    zen_status sc =
        zen_zone_init(&poisoned, w->map, w->count, capacity, frame1, 1, word1, 1, &hooks);
    if (sc != want)
        FAIL("init answered %d where plan answered %d", (int)sc, (int)want);
    if (memcmp(&poisoned, &copy, sizeof copy) != 0)
        FAIL("init answered %d but wrote the zone set", (int)sc);
    if (w->hooks.enters != 0)
        FAIL("init ran the hooks");
}

/* Frames at the edges of every entry: the spec's rule, the rule computed
 * here, and the core's descriptors must agree. */
static void check_edges(world *w)
{
    for (uint64_t i = 0; i < w->count; i++) {
        const zen_mem_range *e = &w->map[i];
        uint64_t end_byte = e->base + e->length;
        zen_pfn lo = e->base >> ZEN_PAGE_SHIFT;
        zen_pfn hi = end_byte == 0 ? ZEN_PFN_LIMIT : end_byte >> ZEN_PAGE_SHIFT;
        zen_pfn probe[6] = { lo - 1u, lo, lo + 1u, hi - 1u, hi, hi + 1u };
        for (unsigned j = 0; j < 6u; j++) {
            zen_pfn p = probe[j];
            if (p >= ZEN_PFN_LIMIT)
                continue;
            bool want = zone_spec_frame_usable(w->map, w->count, p);
            if (want != rule_usable(w->map, w->count, p))
                FAIL("spec: zone_spec_frame_usable(%llu) = %d against the header's rule", (ull)p,
                     (int)want);
            unsigned z = zone_of(p);
            const zen_zone *zone = &w->core.zone[z];
            bool got = zone->present && p >= zone->pages.start &&
                       p - zone->pages.start < zone->pages.nframes &&
                       zone->pages.frames[p - zone->pages.start].state != ZEN_FRAME_RESERVED;
            if (got != want)
                FAIL("frame %llu (edge of entry %llu): core usable %d, spec %d", (ull)p, (ull)i,
                     (int)got, (int)want);
        }
    }
}

/* Every frame of every span: reserved exactly when not usable. */
static void check_frames(world *w)
{
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        const zen_zone *zone = &w->core.zone[z];
        if (!zone->present)
            continue;
        if (zone->pages.hooks.enter != NULL || zone->pages.hooks.leave != NULL)
            FAIL("zone %u: its page allocator has hooks", z);
        for (uint64_t i = 0; i < zone->pages.nframes; i++) {
            bool reserved = zone->pages.frames[i].state == ZEN_FRAME_RESERVED;
            if (reserved == zone_spec_frame_usable(w->map, w->count, zone->pages.start + i))
                FAIL("zone %u frame %llu: core %s, spec %s", z, (ull)(zone->pages.start + i),
                     reserved ? "reserved" : "usable", reserved ? "usable" : "reserved");
        }
    }
}

static void release_all(world *w)
{
    while (w->nlive > 0) {
        const live_block *b = &w->live[w->nlive - 1];
        zen_pfn pfn = b->pfn;
        if (do_free(w, pfn, b->order) != ZEN_OK)
            FAIL("live block %llu could not be freed", (ull)pfn);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static world w;
    reader r = { data, size, 0 };

    uint8_t head = u8(&r);
    const region *rg = &regions[(head & 7u) == 6u && (head & 0xC0u) != 0xC0u ? 5u : head & 7u];
    uint64_t count = 1u + u8(&r) % MAX_ENTRIES;
    uint8_t cap = u8(&r);
    uint64_t capacity = cap >= 240u ? (count > 1u + (cap & 3u) ? count - 1u - (cap & 3u) : 0)
                                    : count + (cap & 3u);
    zen_mem_range entries[MAX_ENTRIES];
    for (uint64_t i = 0; i < count; i++)
        entries[i] = decode_entry(&r, rg);

    /* The map buffer holds exactly capacity entries; slots past count hold
     * entries that would be malformed if they were read. */
    w.map = malloc((capacity > 0 ? capacity : 1u) * sizeof *w.map);
    if (w.map == NULL)
        abort();
    for (uint64_t i = 0; i < capacity; i++)
        w.map[i] = i < count ? entries[i] : (zen_mem_range){ 0, 0, ZEN_MEM_USABLE };
    w.count = count;
    w.hooks = (hook_count){ false, 0, 0 };
    w.hooks_on = (cap & 0xF0u) != 0xE0u;
    w.changing_calls = 0;

    /* Plan. */
    zen_zone_layout cp, sp, poison;
    memset(&cp, 0xA5, sizeof cp);
    memcpy(&poison, &cp, sizeof poison);
    memset(&sp, 0, sizeof sp);
    zen_status pc = zen_zone_plan(w.map, count, capacity, &cp);
    int ps = zone_spec_plan(w.map, count, capacity, &sp);
    TRACE("plan(count %llu, capacity %llu) = %d, spec %d\n", (ull)count, (ull)capacity, (int)pc,
          ps);
    for (uint64_t i = 0; i < count; i++)
        TRACE("  entry %llu: base %#llx length %#llx type %u\n", (ull)i, (ull)entries[i].base,
              (ull)entries[i].length, entries[i].type);
    for (unsigned z = 0; pc == ZEN_OK && z < ZEN_ZONE_COUNT; z++)
        TRACE("  zone %u: start %llu nframes %llu\n", z, (ull)cp.start[z], (ull)cp.nframes[z]);
    if (ps == ZONE_SPEC_TOO_BIG) {
        if (pc != ZEN_OK && pc != ZEN_ERR_RANGE && pc != ZEN_ERR_NO_USABLE)
            FAIL("plan: core %d where the spec cannot model the map", (int)pc);
        free(w.map);
        return 0;
    }
    if ((int)pc != ps)
        FAIL("plan: core %d, spec %d", (int)pc, ps);
    if (pc != ZEN_OK) {
        if (memcmp(&cp, &poison, sizeof cp) != 0)
            FAIL("plan answered %d but wrote *plan", (int)pc);
        check_bad_init(&w, capacity, pc);
        free(w.map);
        return 0;
    }
    uint64_t fsum = 0, wsum = 0;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if (cp.nframes[z] != sp.nframes[z] || (cp.nframes[z] != 0 && cp.start[z] != sp.start[z]))
            FAIL("plan zone %u: core start %llu nframes %llu, spec start %llu nframes %llu", z,
                 (ull)cp.start[z], (ull)cp.nframes[z], (ull)sp.start[z], (ull)sp.nframes[z]);
        if (cp.nframes[z] != 0) {
            zen_pfn first = cp.start[z], last = cp.start[z] + cp.nframes[z] - 1u;
            if (first < zone_first[z] || cp.nframes[z] > zone_end[z] - first ||
                !rule_usable(w.map, count, first) || !rule_usable(w.map, count, last))
                FAIL("plan zone %u: span [%llu, +%llu) not from usable frame to usable frame "
                     "inside its bounds", z, (ull)first, (ull)cp.nframes[z]);
            if (cp.nwords[z] < zen_page_bitmap_words(cp.start[z], cp.nframes[z]))
                FAIL("plan zone %u: %llu bitmap words, the page allocator needs %llu", z,
                     (ull)cp.nwords[z], (ull)zen_page_bitmap_words(cp.start[z], cp.nframes[z]));
        } else if (cp.nwords[z] != 0) {
            FAIL("plan zone %u: absent with %llu words", z, (ull)cp.nwords[z]);
        }
        fsum += cp.nframes[z];
        wsum += cp.nwords[z];
    }
    if (cp.frames_needed != sp.frames_needed || cp.frames_needed != fsum ||
        cp.words_needed != wsum)
        FAIL("plan: frames_needed core %llu spec %llu sum %llu, words_needed %llu sum %llu",
             (ull)cp.frames_needed, (ull)sp.frames_needed, (ull)fsum, (ull)cp.words_needed,
             (ull)wsum);

    /* Init: the arrays are exactly as long as the plan asks. */
    w.span_frames = cp.frames_needed;
    w.big = cp.frames_needed > BIG_SPAN;
    w.frames = malloc((size_t)cp.frames_needed * sizeof *w.frames);
    w.words = malloc((size_t)cp.words_needed * sizeof *w.words);
    if (w.frames == NULL || w.words == NULL)
        abort();
    const zen_hooks hooks = { hook_enter, hook_leave, &w.hooks };
    if ((head & 8u) != 0) {
        bool short_words = (head & 16u) != 0;
        uint64_t nf = cp.frames_needed - (short_words ? 0u : 1u);
        uint64_t nw = cp.words_needed - (short_words ? 1u : 0u);
        memset(w.frames, 0xA5, (size_t)cp.frames_needed * sizeof *w.frames);
        memset(w.words, 0xA5, (size_t)cp.words_needed * sizeof *w.words);
        static zen_zone_set copy;
        memset(&w.core, 0x5A, sizeof w.core);
        memcpy(&copy, &w.core, sizeof copy);
        zen_status sc = zen_zone_init(&w.core, w.map, count, capacity, w.frames, nf, w.words, nw,
                                      &hooks);
        if (sc != ZEN_ERR_NOMEM)
            FAIL("init with %s one short answered %d", short_words ? "words" : "frames", (int)sc);
        if (memcmp(&w.core, &copy, sizeof copy) != 0)
            FAIL("init answered NOMEM but wrote the zone set");
        const uint8_t *fb = (const uint8_t *)w.frames;
        for (size_t i = 0; i < (size_t)cp.frames_needed * sizeof *w.frames; i++)
            if (fb[i] != 0xA5u)
                FAIL("init answered NOMEM but wrote descriptor byte %zu", i);
        for (uint64_t i = 0; i < cp.words_needed; i++)
            if (w.words[i] != 0xA5A5A5A5A5A5A5A5u)
                FAIL("init answered NOMEM but wrote bitmap word %llu", (ull)i);
    }
    zen_status sc = zen_zone_init(&w.core, w.map, count, capacity, w.frames, cp.frames_needed,
                                  w.words, cp.words_needed, w.hooks_on ? &hooks : NULL);
    int ss = zone_spec_init(&w.spec, w.map, count, capacity);
    if (ss == ZONE_SPEC_TOO_BIG) {
        free(w.frames);
        free(w.words);
        free(w.map);
        return 0;
    }
    if ((int)sc != ss)
        FAIL("init: core %d, spec %d", (int)sc, ss);
    if (sc != ZEN_OK)
        FAIL("init answered %d after plan answered ZEN_OK", (int)sc);
    if (w.core.frames != w.frames || w.core.words != w.words || w.hooks.enters != 0)
        FAIL("init: arrays not recorded, or hooks run");
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        bool present = cp.nframes[z] != 0;
        if ((w.core.zone[z].present != 0) != present ||
            (present && (w.core.zone[z].pages.start != cp.start[z] ||
                         w.core.zone[z].pages.nframes != cp.nframes[z])))
            FAIL("init zone %u does not match its plan", z);
        w.memory[z] = NULL;
    }
    w.nlive = 0;
    w.ndead = 0;
    w.serial = 0;
    w.work = 0;
    w.changed = false;
    if (w.big) {
        compare_counters(&w);
    } else {
        compare_all(&w, true, true);
        check_frames(&w);
    }
    check_edges(&w);

    /* Direct maps for the zones the input names, when they are small. */
    uint8_t att = u8(&r);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if ((head & 32u) != 0 || (att & (1u << z)) == 0 || !w.core.zone[z].present ||
            w.core.zone[z].pages.nframes > MAP_FRAMES)
            continue;
        do_attach(&w, z, dmap_buf[z] + (MAP_FRAMES - w.core.zone[z].pages.nframes) *
                                           ZEN_PAGE_WORDS_PER_FRAME);
    }
    switch ((att >> 3) % 8u) {
    case 1:
        do_attach(&w, 3u + (att >> 6), dmap_buf[0]);
        break;
    case 2:
        for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
            if (!w.core.zone[z].present) {
                do_attach(&w, z, dmap_buf[z]);
                break;
            }
        break;
    case 3:
        do_attach(&w, att >> 6, NULL);
        break;
    default:
        break;
    }
    if (w.big)
        compare_counters(&w);
    else
        compare_all(&w, false, true);

    for (unsigned n = 0; n < MAX_OPS && more(&r) && (n < MIN_OPS || w.work < WORK_BUDGET); n++)
        run_op(&w, &r, n);
    if (!w.big)
        compare_all(&w, true, true);

    /* Free everything: each zone is whole again. */
    release_all(&w);
    compare_all(&w, !w.big, true);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        const zen_zone *zone = &w.core.zone[z];
        if (zone->present && zone->pages.stats.free_frames != zone->pages.stats.managed)
            FAIL("zone %u: %llu free of %llu managed after freeing everything", z,
                 (ull)zone->pages.stats.free_frames, (ull)zone->pages.stats.managed);
    }

    zone_spec_destroy(&w.spec);
    free(w.frames);
    free(w.words);
    free(w.map);
    return 0;
}
