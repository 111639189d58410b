/* Differential fuzzer: core page allocator (core/zen_page.c) against the
 * executable spec (spec/page_spec.c).
 *
 * Each input decodes into a managed range (unaligned starts, ranges ending at
 * ZEN_PFN_LIMIT, 1..1024 frames), a few add_range calls (holes, invalid
 * ranges), whether a direct map exists, and up to MAX_OPS operations, valid
 * and invalid. Every operation runs on both; any difference in status, pfn,
 * or any statistic, any allocated block whose descriptor disagrees with the
 * spec's allocation map, any free block of the spec's canonical decomposition
 * that is not a free head of that order in the core, or zen_page_check() !=
 * ZEN_OK is a crash (__builtin_trap, after a line on stderr naming what
 * differed).
 *
 * Big mode (head byte & 0x7c == 0x78): 4097..8192 frames and at most
 * BIG_MAX_OPS operations, no direct map. With 1024 frames the summary trees
 * have two levels; big ranges give the order-0 tree a third, so the code that
 * propagates summary bits above level 1 runs too.
 *
 * Hooks: the core gets enter/leave hooks that fail on nesting; every
 * operation the harness calls must run exactly one enter and one leave,
 * whatever it answers, and zen_page_check none.
 *
 * Memory: every allocated frame gets a pattern derived from (pfn, allocation
 * serial) in its first and last word of the static direct-map buffer; the
 * pattern is checked when the block is released, so overlapping blocks show
 * up. With ZEN_PAGE_FLAG_ZERO the whole block must read zero first. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "page_spec.h"
#include "zen_page.h"

#define MAX_FRAMES 1024u          /* normal mode; also the direct map's size */
#define MAX_OPS 256u
#define BIG_MIN_FRAMES 4097u      /* > 64 * 64 order-0 bits: three levels */
#define BIG_FRAMES 8192u
#define BIG_MAX_OPS 64u
#define MAX_LIVE BIG_FRAMES
#define DEAD_RING 16u

#define FAIL(...)                                                               \
    do {                                                                        \
        fprintf(stderr, "page_fuzz: " __VA_ARGS__);                             \
        fprintf(stderr, "\n");                                                  \
        __builtin_trap();                                                       \
    } while (0)

/* Direct map of the range: frame start + i is words [i*W, (i+1)*W). In big
 * mode only the first MAX_FRAMES frames have patterns (and the core gets no
 * direct map). */
static uint64_t memory[MAX_FRAMES * ZEN_PAGE_WORDS_PER_FRAME];

/* The spec's canonical free blocks, for compare_all. */
static page_spec_block free_list[BIG_FRAMES];

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

static uint64_t u64(reader *r)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)u8(r) << (8u * i);
    return v;
}

/* ---- the two allocators and the harness's own book-keeping ----------------- */

typedef struct live_block {
    zen_pfn pfn;
    unsigned order;
    uint64_t serial;
} live_block;

/* What the enter/leave hooks saw. */
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

typedef struct world {
    zen_page_allocator core;
    zen_page_frame *frames;
    uint64_t *words;
    page_spec spec;
    bool has_memory;
    bool big;
    live_block live[MAX_LIVE];
    uint32_t nlive;
    zen_pfn dead[DEAD_RING]; /* recently released heads, for double frees */
    uint32_t ndead;
    uint64_t serial;
    hook_count hooks;
    uint64_t changing_calls; /* operations that must run the hooks */
} world;

static uint64_t pattern(zen_pfn pfn, uint64_t serial)
{
    return (pfn * 0x9E3779B97F4A7C15u) ^ (serial * 0xD6E8FEB86659FD93u) ^ 0x5A5A5A5A5A5A5A5Au;
}

static uint64_t *frame_words(const world *w, zen_pfn pfn)
{
    return &memory[(pfn - w->core.start) * ZEN_PAGE_WORDS_PER_FRAME];
}

static bool in_memory(const world *w, zen_pfn pfn)
{
    return pfn - w->core.start < MAX_FRAMES;
}

static void fill_pattern(const world *w, const live_block *b)
{
    for (uint64_t i = 0; i < ((uint64_t)1 << b->order) && in_memory(w, b->pfn + i); i++) {
        uint64_t *fw = frame_words(w, b->pfn + i);
        fw[0] = pattern(b->pfn + i, b->serial);
        fw[ZEN_PAGE_WORDS_PER_FRAME - 1] = ~pattern(b->pfn + i, b->serial);
    }
}

static void check_pattern(const world *w, const live_block *b)
{
    for (uint64_t i = 0; i < ((uint64_t)1 << b->order) && in_memory(w, b->pfn + i); i++) {
        const uint64_t *fw = frame_words(w, b->pfn + i);
        if (fw[0] != pattern(b->pfn + i, b->serial) ||
            fw[ZEN_PAGE_WORDS_PER_FRAME - 1] != ~pattern(b->pfn + i, b->serial))
            FAIL("pattern of block pfn=%llu order=%u overwritten at frame %llu",
                 (unsigned long long)b->pfn, b->order, (unsigned long long)(b->pfn + i));
    }
}

static void check_zero(const world *w, zen_pfn pfn, unsigned order)
{
    const uint64_t *fw = frame_words(w, pfn);
    uint64_t n = ((uint64_t)1 << order) * ZEN_PAGE_WORDS_PER_FRAME;
    for (uint64_t j = 0; j < n; j++)
        if (fw[j] != 0)
            FAIL("ZERO block pfn=%llu order=%u not zero at word %llu",
                 (unsigned long long)pfn, order, (unsigned long long)j);
}

static void same_status(const char *what, zen_pfn pfn, zen_status core, zen_status spec)
{
    if (core != spec)
        FAIL("%s(pfn=%llu): core %d, spec %d", what, (unsigned long long)pfn, (int)core,
             (int)spec);
}

/* Everything observable must agree, and the core must pass its own check.
 * `full` also compares the spec's list of free blocks with the core's free
 * heads (it costs as much as the stats again, so run_op asks for it on every
 * 16th operation; the counts per order are compared every time). */
static void compare_all(world *w, bool full)
{
    zen_page_stats want;
    page_spec_stats(&w->spec, &want);
    const zen_page_stats *got = &w->core.stats;
    if (got->managed != want.managed || got->free_frames != want.free_frames ||
        got->peak_in_use != want.peak_in_use || got->oom_count != want.oom_count ||
        got->rejected != want.rejected)
        FAIL("stats differ: managed %llu/%llu free %llu/%llu peak %llu/%llu oom %llu/%llu "
             "rejected %llu/%llu (core/spec)",
             (unsigned long long)got->managed, (unsigned long long)want.managed,
             (unsigned long long)got->free_frames, (unsigned long long)want.free_frames,
             (unsigned long long)got->peak_in_use, (unsigned long long)want.peak_in_use,
             (unsigned long long)got->oom_count, (unsigned long long)want.oom_count,
             (unsigned long long)got->rejected, (unsigned long long)want.rejected);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        if (got->free_blocks[k] != want.free_blocks[k])
            FAIL("free_blocks[%u]: core %llu, spec %llu", k,
                 (unsigned long long)got->free_blocks[k], (unsigned long long)want.free_blocks[k]);

    /* The allocation map and the canonical free blocks against the
     * descriptors. */
    uint64_t heads = 0, free_heads = 0;
    for (uint64_t i = 0; i < w->core.nframes; i++) {
        if (w->frames[i].state == ZEN_FRAME_ALLOCATED)
            heads++;
        else if (w->frames[i].state == ZEN_FRAME_FREE)
            free_heads++;
    }
    uint64_t nfree = 0;
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        nfree += want.free_blocks[k];
    if (nfree != free_heads)
        FAIL("free blocks: core %llu free heads, spec %llu", (unsigned long long)free_heads,
             (unsigned long long)nfree);
    if (full && page_spec_free_blocks(&w->spec, free_list, BIG_FRAMES) != nfree)
        FAIL("spec: free-block list and free_blocks[] disagree");
    for (uint64_t i = 0; full && i < nfree; i++) {
        const zen_page_frame *f = &w->frames[free_list[i].head - w->core.start];
        if (f->state != ZEN_FRAME_FREE || f->order != free_list[i].order)
            FAIL("free block (%llu, %u) of the spec: core state %u order %u",
                 (unsigned long long)free_list[i].head, free_list[i].order, f->state, f->order);
    }
    if (heads != w->spec.nblocks)
        FAIL("allocated heads: core %llu, spec %llu", (unsigned long long)heads,
             (unsigned long long)w->spec.nblocks);
    for (uint64_t b = 0; b < w->spec.nblocks; b++) {
        const page_spec_block *sb = &w->spec.blocks[b];
        const zen_page_frame *f = &w->frames[sb->head - w->core.start];
        if (f->state != ZEN_FRAME_ALLOCATED || f->order != sb->order ||
            f->refcount != sb->refcount || f->owner != sb->owner)
            FAIL("block %llu: core state %u order %u ref %u owner %u, spec order %u ref %u owner %u",
                 (unsigned long long)sb->head, f->state, f->order, f->refcount, f->owner,
                 sb->order, sb->refcount, sb->owner);
    }

    zen_page_check_report report;
    if (zen_page_check(&w->core, &report) != ZEN_OK)
        FAIL("zen_page_check: invariant %u at pfn %llu", report.invariant,
             (unsigned long long)report.pfn);
    if (w->hooks.inside || w->hooks.enters != w->changing_calls ||
        w->hooks.leaves != w->changing_calls)
        FAIL("hooks: %llu enters, %llu leaves for %llu operations",
             (unsigned long long)w->hooks.enters, (unsigned long long)w->hooks.leaves,
             (unsigned long long)w->changing_calls);
}

/* ---- operations --------------------------------------------------------------- */

static bool do_alloc(world *w, unsigned order, unsigned flags)
{
    zen_pfn pc = 0, ps = 0;
    w->changing_calls++;
    zen_status sc = zen_page_alloc(&w->core, order, flags, &pc);
    zen_status ss = page_spec_alloc(&w->spec, order, flags, &ps);
    if (sc != ss)
        FAIL("alloc(order=%u, flags=%#x): core %d, spec %d", order, flags, (int)sc, (int)ss);
    if (sc != ZEN_OK)
        return false;
    if (pc != ps)
        FAIL("alloc(order=%u): core pfn %llu, spec pfn %llu", order, (unsigned long long)pc,
             (unsigned long long)ps);
    if ((flags & ZEN_PAGE_FLAG_ZERO) != 0)
        check_zero(w, pc, order);
    if (w->nlive >= MAX_LIVE)
        FAIL("more live blocks than frames");
    live_block *b = &w->live[w->nlive++];
    *b = (live_block){ .pfn = pc, .order = order, .serial = ++w->serial };
    fill_pattern(w, b);
    return true;
}

/* After a successful free/put at pfn: if the spec no longer has the block,
 * it was released; check its pattern and forget it. */
static void after_drop(world *w, zen_pfn pfn)
{
    const page_spec_block *sb = NULL;
    if (page_spec_lookup(&w->spec, pfn, &sb) == ZEN_OK)
        return; /* references remain */
    for (uint32_t i = 0; i < w->nlive; i++) {
        if (w->live[i].pfn == pfn) {
            check_pattern(w, &w->live[i]);
            w->live[i] = w->live[--w->nlive];
            w->dead[w->ndead++ % DEAD_RING] = pfn;
            return;
        }
    }
    FAIL("released pfn %llu that the harness never saw allocated", (unsigned long long)pfn);
}

static zen_status do_free(world *w, zen_pfn pfn, unsigned order)
{
    w->changing_calls++;
    zen_status sc = zen_page_free(&w->core, pfn, order);
    zen_status ss = page_spec_free(&w->spec, pfn, order);
    same_status("free", pfn, sc, ss);
    if (sc == ZEN_OK)
        after_drop(w, pfn);
    return sc;
}

static zen_status do_put(world *w, zen_pfn pfn)
{
    w->changing_calls++;
    zen_status sc = zen_page_put(&w->core, pfn);
    zen_status ss = page_spec_put(&w->spec, pfn);
    same_status("put", pfn, sc, ss);
    if (sc == ZEN_OK)
        after_drop(w, pfn);
    return sc;
}

static void do_get(world *w, zen_pfn pfn)
{
    w->changing_calls++;
    same_status("get", pfn, zen_page_get(&w->core, pfn), page_spec_get(&w->spec, pfn));
}

static void do_set_owner(world *w, zen_pfn pfn, unsigned owner)
{
    w->changing_calls++;
    same_status("set_owner", pfn, zen_page_set_owner(&w->core, pfn, owner, 0u),
                page_spec_set_owner(&w->spec, pfn, owner));
}

static void do_add_range(world *w, zen_pfn pfn, uint64_t count)
{
    w->changing_calls++;
    same_status("add_range", pfn, zen_page_add_range(&w->core, pfn, count),
                page_spec_add_range(&w->spec, pfn, count));
}

/* One of free (with a chosen order), put, get, set_owner at pfn. */
static void do_any(world *w, reader *r, zen_pfn pfn)
{
    uint8_t sel = u8(r);
    switch (sel % 4u) {
    case 0:
        do_free(w, pfn, (unsigned)(sel >> 2) % (ZEN_PAGE_MAX_ORDER + 2u));
        break;
    case 1:
        do_put(w, pfn);
        break;
    case 2:
        do_get(w, pfn);
        break;
    default:
        do_set_owner(w, pfn, (unsigned)(sel >> 2) % (ZEN_OWNER_LAST + 3u));
        break;
    }
}

static const live_block *pick_live(world *w, reader *r)
{
    uint8_t i = u8(r);
    return w->nlive == 0 ? NULL : &w->live[i % w->nlive];
}

static unsigned pick_order(reader *r)
{
    uint8_t o = u8(r);
    if (o < 160u)
        return o % 4u; /* small orders most of the time */
    return o % (ZEN_PAGE_MAX_ORDER + 2u); /* includes MAX + 1 */
}

static unsigned pick_flags(reader *r)
{
    uint8_t f = u8(r);
    switch (f % 8u) {
    case 4:
    case 5:
        return ZEN_PAGE_FLAG_ZERO;
    case 6:
        return 2u;
    case 7:
        return (unsigned)f << 1 | ZEN_PAGE_FLAG_ZERO; /* unknown bits */
    default:
        return 0;
    }
}

/* Drop every reference of one live block (bounded: refcounts stay small). */
static void release_fully(world *w, zen_pfn pfn)
{
    for (unsigned n = 0; n < 2u * MAX_OPS + 2u; n++)
        if (do_put(w, pfn) != ZEN_OK)
            return;
}

static void run_op(world *w, reader *r, bool full)
{
    const zen_pfn start = w->core.start;
    const uint64_t nframes = w->core.nframes;
    const live_block *b;
    uint8_t op = u8(r);

    switch (op % 16u) {
    case 0:
    case 1: { /* alloc */
        unsigned order = pick_order(r);
        do_alloc(w, order, pick_flags(r));
        break;
    }
    case 2:
    case 3: /* free a live block with its order */
        if ((b = pick_live(w, r)) != NULL)
            do_free(w, b->pfn, b->order);
        break;
    case 4: /* wrong-order free */
        if ((b = pick_live(w, r)) != NULL) {
            uint8_t d = u8(r);
            unsigned order = (b->order + 1u + d % (ZEN_PAGE_MAX_ORDER + 1u)) % (ZEN_PAGE_MAX_ORDER + 2u);
            if (order == b->order)
                order = ZEN_PAGE_MAX_ORDER + 1u;
            do_free(w, b->pfn, order);
        }
        break;
    case 5: { /* double free of a released head (or a free frame) */
        uint8_t i = u8(r);
        zen_pfn pfn = w->ndead == 0 ? start + i % nframes
                                    : w->dead[i % (w->ndead < DEAD_RING ? w->ndead : DEAD_RING)];
        do_free(w, pfn, (unsigned)(i >> 4) % (ZEN_PAGE_MAX_ORDER + 1u));
        break;
    }
    case 6: /* a tail frame of a live block */
        if ((b = pick_live(w, r)) != NULL && b->order > 0) {
            uint64_t size = (uint64_t)1 << b->order;
            do_any(w, r, b->pfn + 1u + u16(r) % (size - 1u));
        }
        break;
    case 7: { /* a foreign pfn */
        uint8_t kind = u8(r);
        uint64_t x = u8(r);
        zen_pfn pfn;
        switch (kind % 4u) {
        case 0: pfn = start - 1u - x; break; /* may wrap to the top */
        case 1: pfn = start + nframes + x; break;
        case 2: pfn = UINT64_MAX - x; break;
        default: pfn = ZEN_PFN_LIMIT + x; break;
        }
        do_any(w, r, pfn);
        break;
    }
    case 8: /* any frame in the range: reserved, free, tail or head */
        do_any(w, r, start + u16(r) % nframes);
        break;
    case 9:
        if ((b = pick_live(w, r)) != NULL)
            do_get(w, b->pfn);
        break;
    case 10:
        if ((b = pick_live(w, r)) != NULL)
            do_put(w, b->pfn);
        break;
    case 11:
        if ((b = pick_live(w, r)) != NULL)
            do_set_owner(w, b->pfn, u8(r) % (ZEN_OWNER_LAST + 3u));
        break;
    case 12: { /* exhaustion burst: allocate one order until NOMEM */
        uint8_t o = u8(r);
        unsigned order = o % (ZEN_PAGE_MAX_ORDER + 1u);
        unsigned flags = (o & 0x80u) != 0 && w->has_memory ? ZEN_PAGE_FLAG_ZERO : 0u;
        for (unsigned n = 0; n <= MAX_FRAMES; n++)
            if (!do_alloc(w, order, flags))
                break;
        break;
    }
    case 13: { /* release burst: every live block, or every other one */
        uint8_t how = u8(r);
        for (uint32_t i = w->nlive; i-- > 0;) {
            if ((how & 1u) != 0 && i % 2u == 0)
                continue;
            if (i < w->nlive)
                release_fully(w, w->live[i].pfn);
        }
        break;
    }
    case 14: { /* late add_range, often busy, sometimes past the end */
        uint16_t off = u16(r);
        uint8_t cnt = u8(r);
        do_add_range(w, start + off % nframes, cnt % 65u);
        break;
    }
    default: /* reference count at the top: OVERFLOW, then put it back */
        if ((b = pick_live(w, r)) != NULL) {
            zen_page_frame *f = &w->frames[b->pfn - start];
            const page_spec_block *sb = NULL;
            if (page_spec_lookup(&w->spec, b->pfn, &sb) != ZEN_OK)
                FAIL("live block %llu unknown to the spec", (unsigned long long)b->pfn);
            page_spec_block *msb = &w->spec.blocks[sb - w->spec.blocks];
            uint32_t saved = msb->refcount;
            if (f->refcount != saved)
                FAIL("refcount of %llu: core %u, spec %u", (unsigned long long)b->pfn,
                     f->refcount, saved);
            f->refcount = UINT32_MAX - 1u;
            msb->refcount = UINT32_MAX - 1u;
            do_get(w, b->pfn); /* OK, now at UINT32_MAX */
            do_get(w, b->pfn); /* OVERFLOW */
            if (f->refcount != UINT32_MAX || msb->refcount != UINT32_MAX)
                FAIL("saturated refcount of %llu moved", (unsigned long long)b->pfn);
            f->refcount = saved;
            msb->refcount = saved;
        }
        break;
    }
    compare_all(w, full);
}

/* ---- set-up -------------------------------------------------------------------- */

/* Invalid ranges: both must refuse with ZEN_ERR_INVAL, writing nothing. */
static void try_bad_init(reader *r)
{
    static zen_page_frame frame1[1];
    static uint64_t word1[1];
    zen_page_allocator a;
    page_spec s;
    uint8_t v = u8(r);
    zen_pfn start = u16(r);
    uint64_t nframes = 1;
    switch (v % 4u) {
    case 0: nframes = 0; break;
    case 1: { /* [LIMIT - d, LIMIT - d + nframes) passes the limit */
        uint64_t d = start % 8u;
        start = ZEN_PFN_LIMIT - d;
        nframes = d + 1u + v;
        break;
    }
    case 2: nframes = ZEN_PAGE_MAX_FRAMES + 1u + v; break;
    default: start = UINT64_MAX - v; nframes = 1u + v; break;
    }
    if (zen_page_bitmap_words(start, nframes) != 0)
        FAIL("bitmap_words(%llu, %llu) != 0 for a bad range", (unsigned long long)start,
             (unsigned long long)nframes);
    zen_status sc = zen_page_init(&a, start, nframes, frame1, word1, 1, NULL, NULL);
    zen_status ss = page_spec_init(&s, start, nframes, false);
    same_status("init", start, sc, ss);
    if (sc != ZEN_ERR_INVAL)
        FAIL("bad init answered %d", (int)sc);
    page_spec_destroy(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static world w;
    reader r = { data, size, 0 };

    uint8_t head = u8(&r);
    w.big = (head & 0x7cu) == 0x78u;
    uint64_t nframes = w.big ? BIG_MIN_FRAMES + u16(&r) % (BIG_FRAMES - BIG_MIN_FRAMES + 1u)
                             : u16(&r) % MAX_FRAMES + 1u;
    zen_pfn start;
    switch (head % 4u) {
    case 0: /* small and unaligned */
        start = u16(&r);
        break;
    case 1: /* ending at or just below ZEN_PFN_LIMIT */
        start = ZEN_PFN_LIMIT - nframes - u8(&r) % 4u;
        break;
    case 2: /* anywhere below the limit */
        start = u64(&r) & (ZEN_PFN_LIMIT - 1u);
        if (start > ZEN_PFN_LIMIT - nframes)
            start = ZEN_PFN_LIMIT - nframes;
        break;
    default: /* well aligned, plus a small offset */
        start = ((uint64_t)u16(&r) << 10) + u8(&r) % 4u;
        break;
    }
    w.has_memory = (head & 0x80u) != 0 && !w.big;
    if ((head & 0x7cu) == 0x7cu)
        try_bad_init(&r);

    uint64_t nwords = zen_page_bitmap_words(start, nframes);
    if (nwords == 0)
        FAIL("bitmap_words(%llu, %llu) == 0 for a good range", (unsigned long long)start,
             (unsigned long long)nframes);
    w.frames = malloc((size_t)nframes * sizeof *w.frames);
    w.words = malloc((size_t)nwords * sizeof *w.words);
    if (w.frames == NULL || w.words == NULL)
        abort();
    w.hooks = (hook_count){ false, 0, 0 };
    w.changing_calls = 0;
    const zen_hooks hooks = { hook_enter, hook_leave, &w.hooks };
    /* Too few words: refused, nothing written. */
    if (zen_page_init(&w.core, start, nframes, w.frames, w.words, nwords - 1u,
                      w.has_memory ? memory : NULL, &hooks) != ZEN_ERR_INVAL)
        FAIL("init with nwords - 1 words accepted");
    same_status("init", start,
                zen_page_init(&w.core, start, nframes, w.frames, w.words, nwords,
                              w.has_memory ? memory : NULL, &hooks),
                page_spec_init(&w.spec, start, nframes, w.has_memory));
    if (w.core.start != start)
        FAIL("init failed on a good range");
    w.nlive = 0;
    w.ndead = 0;
    w.serial = 0;

    /* Usable frames: the whole range, or a few ranges (holes, invalid ones). */
    uint8_t nranges = u8(&r) % 8u;
    if (nranges == 0)
        do_add_range(&w, start, nframes);
    for (unsigned i = 0; i < nranges; i++) {
        uint8_t kind = u8(&r);
        uint64_t off = u16(&r) % nframes;
        uint64_t cnt = u16(&r);
        switch (kind % 8u) {
        case 0: do_add_range(&w, start + off, 0); break;
        case 1: do_add_range(&w, start - 1u - off, cnt % 8u + 1u); break;
        case 2: do_add_range(&w, UINT64_MAX - off, cnt + 2u); break;
        case 3: do_add_range(&w, start + off, UINT64_MAX - cnt); break;
        case 4: do_add_range(&w, start + off, cnt % (nframes + 8u) + 1u); break;
        default: do_add_range(&w, start + off, cnt % (nframes - off) + 1u); break;
        }
    }
    compare_all(&w, true);

    for (unsigned n = 0; n < (w.big ? BIG_MAX_OPS : MAX_OPS) && more(&r); n++)
        run_op(&w, &r, n % 16u == 15u);
    compare_all(&w, true);

    /* Drain: every live block's pattern must survive to its release. */
    while (w.nlive > 0) {
        uint32_t before = w.nlive;
        release_fully(&w, w.live[w.nlive - 1].pfn);
        if (w.nlive == before)
            FAIL("block %llu survived its release", (unsigned long long)w.live[w.nlive - 1].pfn);
    }
    compare_all(&w, true);

    page_spec_destroy(&w.spec);
    free(w.frames);
    free(w.words);
    return 0;
}
