/* Whole-system fuzzer: one zone set shared at the same time by kmalloc, two
 * slab caches, two address spaces and direct zone allocations (core/ sources,
 * no spec: every answer is predicted here from the harness's own books).
 *
 * Input layout:
 *   byte 0     DMA frames: 32 + b % 128, at pfn 16
 *   byte 1     DMA32 frames: none below 192, else b - 192, at pfn 4096
 *   byte 2     bits 0-3 NORMAL frames at pfn 2^20 (0: none); bit 6 a
 *              reserved entry that makes a two-frame hole inside DMA; bit 7
 *              NORMAL without a direct map (then its zeroed allocations and
 *              spaces that may take its frames are refused)
 *   byte 3     slab records: 1 + b % 64
 *   byte 4     min watermarks, 2 bits per zone (low = high = min)
 *   bytes 5-8  two slab caches, 2 bytes each (cache_spec: size, align,
 *              flags, constructor); byte 7 == 0: no second cache at first
 *   bytes 9-24 two images of 8 bytes (decode_image): TEXT, RODATA and DATA
 *              of 0-7 pages plus a ragged tail, BSS and COMM of 0-7 pages,
 *              DEBUG, heap limit 0-63 pages (or one that overflows), stack
 *              limit 1-32 pages and initial stack (or one past the limit),
 *              top 1-8 MiB (or misaligned, or too low), the space's max
 *              zone, init trials (max zone 3, capacity one short, TEXT
 *              without words), hooks, the seed of the image's words
 *   byte 25    bit 0 space 0 from image 0; bit 1 space 1, from image 1
 *              when bit 2 is set, else image 0
 *   then up to MAX_OPS operations, one selector byte each plus arguments;
 *   by selector % 16 (run_op):
 *     0  kmalloc: sizes 0, tiny, around 2 KiB, whole blocks, past the
 *        largest or near 2^64; flags none, atomic or unknown
 *     1  kfree of a live object (a cache object is refused)
 *     2  1-8 allocations from one cache (dead or never made: refused)
 *     3  free of a live object the right way
 *     4  free at an odd address (odd_address: inside or past an object,
 *        freed, anywhere in a span, a zone block, a space page's frame,
 *        outside every zone, a slab's leftover bytes, a hole, inside a
 *        large block) through kfree or either cache
 *     5  zone_alloc: max zone, order 0-3 (or 10, or past the largest),
 *        flags atomic/zero (or unknown)
 *     6  zone_free of a live block
 *     7  zone_free that may be wrong (do_zone_free_odd): wrong order,
 *        interior frame, freed frame, hole, outside, any frame, order past
 *        the largest, a space page's frame
 *     8, 9  a space fault: space, anchor (segment bases and ends, the
 *        break, the heap's reach, the stack's floor and base, the guard
 *        page, the top), signed page offset and sub-page bytes, R/W/X,
 *        user/system (or no access, or no mode)
 *     10 a burst: up to 32 faults on consecutive pages, up or down
 *     11 brk from the heap's base, the break or its reach, plus an offset
 *     12 teardown, then possibly a re-init from either image
 *     13 fault injection: off, refuse a frame request a few ahead, hog
 *        (zone blocks until the zones run dry), release the zone blocks
 *     14 cache destroy, create, shrink; shrink or destroy a kmalloc class
 *     15 set_owner on a zone block: valid, unknown owner, not a head
 *
 * Answers: each call's status is predicted from the books (live objects,
 * zone blocks, space mappings, cache geometry, zone statistics and
 * watermarks, the spare record count, the frame descriptors through
 * zen_zone_block_of, the slab records for frees) and must match exactly;
 * NOMEM only when no zone can serve the request (or no spare record, or
 * the injected failure), and a frame from the highest zone that can; the
 * frames each call takes or gives back per zone; the frame requests the
 * slab layer makes and their order; the enter hooks each call runs (one of
 * its own instance; of the zone set one per frame a space takes or gives
 * back); refused calls write no output.
 *
 * Checks after every operation (a burst of faults is one operation):
 * zen_zone_check, zen_kmem_check (naming every live cache), zen_space_check
 * of every live space, and the hooks of the zone set, the kmem and each
 * space balanced and never nested. Every frame of every zone is then
 * classified (a walk over the descriptors): frames of live zone blocks,
 * kmalloc blocks, slab objects and space pages must not coincide (a space
 * frame shares with nothing), each must be allocated with the right owner,
 * head and order (zone blocks: the owner and tag set last); each object
 * lies in one slab of its own cache; holes are reserved; any other
 * allocated frame must belong to a slab. The frames in use per
 * zone must equal the sum of zone blocks, kmalloc blocks, slabs (per cache
 * statistics) and mapped pages; in_use of every cache and the kmem's large
 * block counts match the books; each space's layout (heap by its break,
 * stack by its faults) and every mapped page's frame match the model.
 *
 * Memory: each zone has a direct map sized exactly to its span (the
 * harness keeps NORMAL's even when the zone is not given it). Live
 * kmalloc and cache objects are filled with a pattern of their serial,
 * large kmalloc blocks and zone blocks in the first and last bytes of each
 * frame, checked when freed (and lightly after every operation), so
 * overlaps show up. A fault that maps a page is checked right away: the
 * frame holds the image's words for TEXT, RODATA and DATA pages (zeros past
 * them) and zeros elsewhere; its last word then gets a mark, and the whole
 * frame is checked again when brk or teardown gives it back. Image words
 * are allocated to their exact length, so a read past them is caught.
 * A constructor cache's objects must come out constructed.
 *
 * Fault injection: kmem's fail hook refuses the n-th frame request (an
 * operation sets n); hog operations take frames out with direct zone
 * allocations until the zones run dry, and release them later.
 *
 * At the end every object, block and space is freed, and every zone's free
 * frames must equal its count right after the set was built. Any failure
 * prints one line on stderr and traps. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zen_slab.h"
#include "zen_space.h"

#define MAX_OPS 256u
#define MAX_OBJS 512u
#define MAX_BLOCKS 256u
#define DEAD_RING 16u
#define NSPACES 2u
#define NCACHES 2u
#define NIMAGES 2u
#define HOG_MAX 64u
#define BURST_MAX 32u
#define DMA_FIRST 16u
#define DMA32_FIRST ZEN_ZONE_DMA32_START
#define NORMAL_FIRST ZEN_ZONE_NORMAL_START
#define WPF ZEN_PAGE_WORDS_PER_FRAME
#define MIB ((uint64_t)1 << 20)

#define FAIL(...)                                    \
    do {                                             \
        fprintf(stderr, "system_fuzz: " __VA_ARGS__); \
        fputc('\n', stderr);                         \
        __builtin_trap();                            \
    } while (0)

/* The harness's own functions, apart from the operation decoders, are not
 * coverage-instrumented: their bookkeeping loops would add features and
 * comparison callbacks that slow every run; the core's coverage and the
 * decoders' guide the fuzzer. */
#if defined(__clang__)
#define QUIET __attribute__((no_sanitize("coverage")))
#else
#define QUIET
#endif

typedef unsigned long long ull;

/* ---- input reader ---------------------------------------------------------- */

typedef struct reader {
    const uint8_t *data;
    size_t size, pos;
} reader;

static uint8_t u8(reader *r)
{
    return r->pos < r->size ? r->data[r->pos++] : 0u;
}

static uint16_t u16(reader *r)
{
    uint16_t lo = u8(r);
    return (uint16_t)(lo | (uint16_t)(u8(r) << 8));
}

QUIET static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9u;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBu;
    x ^= x >> 31;
    return x;
}

/* ---- the world ------------------------------------------------------------- */

typedef struct hook_count {
    const char *name;
    unsigned depth;
    uint64_t enters, leaves;
} hook_count;

enum obj_kind { OBJ_KMALLOC = 0, OBJ_LARGE = 1, OBJ_CACHE = 2 };

/* A live kmalloc or cache object. cls: the kmalloc class (OBJ_KMALLOC) or
 * the cache (OBJ_CACHE); order: the block order (OBJ_LARGE). */
typedef struct obj {
    zen_paddr addr;
    uint64_t size;
    uint32_t serial;
    uint8_t kind, cls, order;
} obj;

/* A block taken straight from the zones. */
typedef struct zblock {
    zen_pfn pfn;
    uint32_t serial;
    uint32_t tag;
    uint8_t order, owner;
} zblock;

/* A mapped page of a space: its frame and the mark in its last word. */
typedef struct mapping {
    uint64_t page;
    zen_pfn pfn;
    uint64_t mark;
} mapping;

typedef struct image_def {
    zen_image img;
    uint64_t *words[ZEN_SPACE_LOADED];
    uint64_t nwords[ZEN_SPACE_LOADED];
    zen_status layout_st; /* zen_seg_layout's answer */
    zen_layout layout;    /* its layout when ZEN_OK */
    unsigned max_zone;    /* the zone spaces of this image use */
    unsigned trial_zone;  /* max zone of the first init (3: invalid) */
    bool trial_short;     /* first init with capacity one short */
    bool trial_no_text;   /* first init without TEXT's words */
    bool hooks_on;
} image_def;

typedef struct space_state {
    zen_space sp;
    bool live;
    bool hooks_on;
    unsigned image;
    unsigned max_zone;
    zen_pfn *table;
    uint64_t slots;
    mapping *map;
    uint32_t nmap;
    uint64_t brk, stack_base; /* the model of the moving parts */
    hook_count hooks;
} space_state;

typedef struct cache_state {
    zen_slab_cache c;
    bool live;
    bool ctor;
    uint64_t size, align;
    unsigned flags;
} cache_state;

struct world;

typedef struct ctor_ctx {
    struct world *w;
    unsigned ci;
} ctor_ctx;

enum claim { CL_NONE = 0, CL_ZONE, CL_LARGE, CL_SLAB, CL_SPACE };
#define NO_HEAD UINT32_MAX

typedef struct world {
    zen_zone_set zones;
    zen_page_frame *frames;
    uint64_t *words;
    uint64_t *dmap[ZEN_ZONE_COUNT];
    bool attached[ZEN_ZONE_COUNT]; /* the zone was given its direct map */
    zen_pfn span_start[ZEN_ZONE_COUNT];
    uint64_t span_n[ZEN_ZONE_COUNT];
    uint32_t span_off[ZEN_ZONE_COUNT];
    uint32_t span_total;
    uint8_t *claim;         /* per frame: enum claim, rebuilt by every sweep */
    uint32_t *head;         /* per frame: index of its allocated block's head, or NO_HEAD */
    zen_pfn hole_first;
    uint32_t hole_n;
    uint64_t initial_free[ZEN_ZONE_COUNT];
    zen_kmem k;
    zen_slab *records;
    uint32_t nrecords;
    cache_state cache[NCACHES];
    ctor_ctx cctx[NCACHES];
    image_def image[NIMAGES];
    space_state space[NSPACES];
    obj objs[MAX_OBJS];
    uint32_t nobjs;
    zblock blocks[MAX_BLOCKS];
    uint32_t nblocks;
    zen_paddr dead[DEAD_RING];
    uint32_t ndead;
    zen_pfn dead_pfn[DEAD_RING];
    uint32_t ndead_pfn;
    uint32_t serial;
    hook_count zone_hooks, kmem_hooks;
    uint64_t fail_requests, fail_at;
    bool fail_fired;
    unsigned fail_order;
    uint64_t ctor_calls;
    zen_paddr ctor_min, ctor_max;
    unsigned step;
} world;

/* ---- hooks, fault injection, constructor ------------------------------------ */

QUIET static void hook_enter(void *ctx)
{
    hook_count *h = ctx;
    if (h->depth != 0)
        FAIL("%s: enter hook nested", h->name);
    h->depth = 1;
    h->enters++;
}

QUIET static void hook_leave(void *ctx)
{
    hook_count *h = ctx;
    if (h->depth != 1)
        FAIL("%s: leave hook without enter", h->name);
    h->depth = 0;
    h->leaves++;
}

QUIET static void hooks_ran(const hook_count *h, uint64_t before, uint64_t want, const char *what)
{
    if (h->enters - before != want)
        FAIL("%s: %llu %s enter hooks, want %llu", what, (ull)(h->enters - before), h->name, (ull)want);
}

QUIET static int fail_fn(void *ctx, unsigned order)
{
    world *w = ctx;
    w->fail_requests++;
    w->fail_order = order;
    if (w->fail_at != 0 && w->fail_requests == w->fail_at) {
        w->fail_fired = true;
        return 1;
    }
    return 0;
}

/* ---- frames and the direct maps --------------------------------------------- */

QUIET static unsigned zone_of(zen_pfn pfn)
{
    return pfn < ZEN_ZONE_DMA32_START ? ZEN_ZONE_DMA : pfn < ZEN_ZONE_NORMAL_START ? ZEN_ZONE_DMA32 : ZEN_ZONE_NORMAL;
}

/* The index of pfn in the harness's frame arrays, or false outside every span. */
QUIET static bool frame_index(const world *w, zen_pfn pfn, uint32_t *idx)
{
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        if (w->span_n[z] != 0 && pfn >= w->span_start[z] && pfn - w->span_start[z] < w->span_n[z]) {
            *idx = w->span_off[z] + (uint32_t)(pfn - w->span_start[z]);
            return true;
        }
    return false;
}

QUIET static bool in_hole(const world *w, zen_pfn pfn)
{
    return w->hole_n != 0 && pfn >= w->hole_first && pfn < w->hole_first + w->hole_n;
}

/* The direct-mapped bytes at physical address a. */
QUIET static uint8_t *host(const world *w, zen_paddr a)
{
    zen_pfn pfn = a >> ZEN_PAGE_SHIFT;
    unsigned z = zone_of(pfn);
    if (w->span_n[z] == 0 || pfn < w->span_start[z] || pfn - w->span_start[z] >= w->span_n[z])
        FAIL("address %#llx outside every zone's direct map", (ull)a);
    return (uint8_t *)w->dmap[z] + (a - w->span_start[z] * ZEN_PAGE_SIZE);
}

QUIET static uint64_t *frame_words(const world *w, zen_pfn pfn)
{
    return (uint64_t *)(void *)host(w, pfn << ZEN_PAGE_SHIFT);
}

QUIET static uint64_t ctor_word(unsigned ci)
{
    return 0xC7C7C7C700000000u | ci;
}

QUIET static void ctor_fn(void *ctx, zen_paddr obj_addr)
{
    ctor_ctx *c = ctx;
    world *w = c->w;
    uint64_t v = ctor_word(c->ci);
    memcpy(host(w, obj_addr), &v, sizeof v);
    if (obj_addr < w->ctor_min)
        w->ctor_min = obj_addr;
    if (obj_addr > w->ctor_max)
        w->ctor_max = obj_addr;
    w->ctor_calls++;
}

/* ---- zone statistics ----------------------------------------------------------- */

QUIET static zen_zone_info zinfo(const world *w, unsigned z)
{
    zen_zone_info i;
    if (zen_zone_stats(&w->zones, z, &i) != ZEN_OK)
        FAIL("zen_zone_stats(%u) failed", z);
    return i;
}

QUIET static void free_counts(const world *w, uint64_t out[ZEN_ZONE_COUNT])
{
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        out[z] = zinfo(w, z).free_frames;
}

/* 1 + the highest zone <= max_zone that can serve the request (the rule of
 * zen_zone.h: a free block large enough and, unless atomic, min free
 * frames left), or 0 when none can. */
QUIET static unsigned serving_zone(const world *w, unsigned max_zone, unsigned order, unsigned flags)
{
    for (unsigned z = max_zone + 1u; z-- > 0;) {
        zen_zone_info i = zinfo(w, z);
        if (!i.present)
            continue;
        if ((flags & ZEN_ZONE_ATOMIC) == 0 &&
            (i.free_frames < i.min || i.free_frames - i.min < ((uint64_t)1 << order)))
            continue;
        for (unsigned k = order; k <= ZEN_PAGE_MAX_ORDER; k++)
            if (i.free_blocks[k] != 0)
                return z + 1u;
    }
    return 0;
}

/* Some present zone at or below max_zone has no direct map. */
QUIET static bool unmapped_below(const world *w, unsigned max_zone)
{
    for (unsigned z = 0; z <= max_zone && z < ZEN_ZONE_COUNT; z++)
        if (w->span_n[z] != 0 && !w->attached[z])
            return true;
    return false;
}

/* The frames of zone z taken by a call: before - after must be `frames`
 * in zone z and 0 elsewhere. */
QUIET static void frames_taken(const uint64_t before[ZEN_ZONE_COUNT], const uint64_t after[ZEN_ZONE_COUNT],
                               unsigned z, uint64_t frames, const char *what)
{
    for (unsigned y = 0; y < ZEN_ZONE_COUNT; y++) {
        uint64_t want = y == z ? frames : 0;
        if (before[y] - after[y] != want)
            FAIL("%s: zone %u free frames %llu -> %llu, want %llu taken", what, y, (ull)before[y], (ull)after[y],
                 (ull)want);
    }
}

/* ---- patterns ------------------------------------------------------------------ */

QUIET static uint8_t pattern_byte(uint32_t serial, uint64_t j)
{
    return (uint8_t)(serial * 131u + j * 7u + 1u);
}

QUIET static uint64_t block_word(zen_pfn pfn, uint32_t serial)
{
    return mix64(pfn ^ ((uint64_t)serial << 40) ^ 0x5A5A000000000000u);
}

/* Bytes of a large block the harness fills: the first and last 64 of each frame. */
QUIET static bool large_byte(uint64_t j)
{
    return j % ZEN_PAGE_SIZE < 64u || j % ZEN_PAGE_SIZE >= ZEN_PAGE_SIZE - 64u;
}

QUIET static void obj_fill(const world *w, const obj *o)
{
    uint8_t *p = host(w, o->addr);
    if (o->kind == OBJ_LARGE) {
        for (uint64_t f = 0; f < ((uint64_t)1 << o->order); f++)
            for (uint64_t j = f * ZEN_PAGE_SIZE; j < (f + 1u) * ZEN_PAGE_SIZE; j++) {
                if (!large_byte(j))
                    j += ZEN_PAGE_SIZE - 128u;
                p[j] = pattern_byte(o->serial, j);
            }
        return;
    }
    for (uint64_t j = 0; j < o->size; j++)
        p[j] = pattern_byte(o->serial, j);
}

/* full: every filled byte; otherwise the first and the last. */
QUIET static void obj_check(const world *w, const obj *o, bool full)
{
    const uint8_t *p = host(w, o->addr);
    uint64_t n = o->kind == OBJ_LARGE ? ZEN_PAGE_SIZE << o->order : o->size;
    for (uint64_t j = 0; j < n; j = full ? j + 1u : (j + 1u < n ? n - 1u : n)) {
        if (o->kind == OBJ_LARGE && !large_byte(j))
            j += ZEN_PAGE_SIZE - 128u; /* on to the frame's last 64 bytes */
        if (p[j] != pattern_byte(o->serial, j))
            FAIL("object %#llx (kind %u, serial %u, size %llu) overwritten at byte %llu", (ull)o->addr, o->kind,
                 o->serial, (ull)o->size, (ull)j);
    }
}

QUIET static void block_fill(const world *w, const zblock *b)
{
    for (uint64_t i = 0; i < ((uint64_t)1 << b->order); i++) {
        uint64_t *f = frame_words(w, b->pfn + i);
        f[0] = block_word(b->pfn + i, b->serial);
        f[WPF - 1u] = ~block_word(b->pfn + i, b->serial);
    }
}

QUIET static void block_check(const world *w, const zblock *b, bool full)
{
    uint64_t n = full ? (uint64_t)1 << b->order : 1u;
    for (uint64_t i = 0; i < n; i++) {
        const uint64_t *f = frame_words(w, b->pfn + i);
        if (f[0] != block_word(b->pfn + i, b->serial) || f[WPF - 1u] != ~block_word(b->pfn + i, b->serial))
            FAIL("zone block %llu (order %u) overwritten at frame %llu", (ull)b->pfn, b->order, (ull)(b->pfn + i));
    }
}

/* ---- spaces: the model ------------------------------------------------------- */

QUIET static uint64_t image_word(unsigned im, unsigned n, uint64_t j, uint64_t seed)
{
    return mix64(seed ^ ((uint64_t)im << 62) ^ ((uint64_t)n << 56) ^ j);
}

QUIET static uint64_t heap_size(const world *w, const space_state *ss)
{
    uint64_t base = w->image[ss->image].layout.seg[ZEN_SEG_HEAP].base;
    return zen_seg_pages_of(ss->brk - base) * ZEN_PAGE_SIZE;
}

/* The segment that judges a fault at addr in the model (the stack for a
 * byte it may grow into), or ZEN_SEG_NONE. */
QUIET static unsigned judge(const world *w, const space_state *ss, uint64_t addr)
{
    const zen_layout *l = &w->image[ss->image].layout;
    if (addr >= l->stack_floor && addr < ss->stack_base)
        return ZEN_SEG_STACK;
    for (unsigned k = 0; k < ZEN_SEG_MAPPED; k++) {
        uint64_t base = k == ZEN_SEG_STACK ? ss->stack_base : l->seg[k].base;
        uint64_t size = k == ZEN_SEG_HEAP ? heap_size(w, ss) : k == ZEN_SEG_STACK ? l->top - ss->stack_base
                                                                                  : l->seg[k].size;
        if (size != 0 && addr >= base && addr - base < size)
            return k;
    }
    return ZEN_SEG_NONE;
}

/* The access rule of zen_seg.h for segment k. */
QUIET static uint32_t refusal(const zen_layout *l, unsigned k, uint32_t access, uint32_t mode)
{
    if (k == ZEN_SEG_NONE)
        return ZEN_FAULT_NO_SEGMENT;
    if (k == ZEN_SEG_NULL)
        return ZEN_FAULT_NULL_PAGE;
    if (mode == ZEN_SEG_USER && (l->seg[k].flags & ZEN_SEG_S) != 0)
        return ZEN_FAULT_MODE;
    if ((l->seg[k].flags & access) == 0)
        return ZEN_FAULT_PERMISSION;
    return ZEN_FAULT_NONE;
}

/* Whether the space has a page-table slot for addr. */
QUIET static bool has_slot(const world *w, const space_state *ss, uint64_t addr)
{
    const zen_layout *l = &w->image[ss->image].layout;
    return (addr >= l->seg[ZEN_SEG_TEXT].base && addr < l->heap_end) || (addr >= l->stack_floor && addr < l->top);
}

QUIET static mapping *find_mapping(space_state *ss, uint64_t page)
{
    for (uint32_t i = 0; i < ss->nmap; i++)
        if (ss->map[i].page == page)
            return &ss->map[i];
    return NULL;
}

/* Word j of a freshly mapped page: the image's word for TEXT, RODATA and
 * DATA pages (zero past the image's words), zero elsewhere. */
QUIET static uint64_t page_word(const world *w, const space_state *ss, uint64_t page, uint64_t j)
{
    const image_def *im = &w->image[ss->image];
    for (unsigned n = 0; n < ZEN_SPACE_LOADED; n++) {
        const zen_segment *s = &im->layout.seg[ZEN_SEG_TEXT + n];
        if (s->size != 0 && page >= s->base && page - s->base < s->size) {
            uint64_t idx = (page - s->base) / ZEN_PAGE_SIZE * WPF + j;
            return idx < im->nwords[n] ? im->words[n][idx] : 0u;
        }
    }
    return 0;
}

/* The whole frame of mapping m: as loaded, with the mark in its last word. */
QUIET static void mapping_check(const world *w, const space_state *ss, const mapping *m, unsigned s)
{
    const uint64_t *f = frame_words(w, m->pfn);
    for (uint64_t j = 0; j + 1u < WPF; j++)
        if (f[j] != page_word(w, ss, m->page, j))
            FAIL("space %u page %#llx (frame %llu) changed at word %llu: %#llx, want %#llx", s, (ull)m->page,
                 (ull)m->pfn, (ull)j, (ull)f[j], (ull)page_word(w, ss, m->page, j));
    if (f[WPF - 1u] != m->mark)
        FAIL("space %u page %#llx (frame %llu): mark overwritten", s, (ull)m->page, (ull)m->pfn);
}

QUIET static void push_dead_pfn(world *w, zen_pfn pfn)
{
    w->dead_pfn[w->ndead_pfn++ % DEAD_RING] = pfn;
}

QUIET static void push_dead(world *w, zen_paddr a)
{
    w->dead[w->ndead++ % DEAD_RING] = a;
}

/* ---- the consistency sweep ----------------------------------------------------- */

QUIET static void claim_frames(world *w, zen_pfn first, uint64_t n, uint8_t what, const char *name, ull id)
{
    static const char *const names[] = { "nothing", "a zone block", "a kmalloc block", "a slab object",
                                         "a space page" };
    for (uint64_t i = 0; i < n; i++) {
        uint32_t idx;
        if (!frame_index(w, first + i, &idx))
            FAIL("%s %#llx: frame %llu outside every zone", name, id, (ull)(first + i));
        uint8_t old = w->claim[idx];
        if (old != CL_NONE && !(old == CL_SLAB && what == CL_SLAB))
            FAIL("%s %#llx: frame %llu is also held by %s", name, id, (ull)(first + i), names[old]);
        w->claim[idx] = what;
    }
}

QUIET static void expect_block(const world *w, zen_pfn pfn, zen_pfn head, unsigned order, unsigned owner,
                               const char *name)
{
    zen_zone_block b;
    zen_status st = zen_zone_block_of(&w->zones, pfn, &b);
    if (st != ZEN_OK || b.head != head || b.order != order || b.owner != owner)
        FAIL("%s: frame %llu reads %d head %llu order %u owner %u, want head %llu order %u owner %u", name,
             (ull)pfn, (int)st, (ull)(st == ZEN_OK ? b.head : 0), st == ZEN_OK ? b.order : 0,
             st == ZEN_OK ? b.owner : 0, (ull)head, order, owner);
}

/* The descriptor of the allocated block that holds pfn, from the sweep's
 * map, or NULL when pfn is free, reserved or outside every span. */
QUIET static const zen_page_frame *held_block(const world *w, zen_pfn pfn, zen_pfn *head)
{
    uint32_t idx;
    if (!frame_index(w, pfn, &idx) || w->head[idx] == NO_HEAD)
        return NULL;
    unsigned z = zone_of(pfn);
    uint64_t h = w->head[idx] - w->span_off[z];
    *head = w->span_start[z] + h;
    return &w->zones.zone[z].pages.frames[h];
}

QUIET static void expect_held(const world *w, zen_pfn pfn, zen_pfn head, unsigned order, unsigned owner,
                              const char *name)
{
    zen_pfn h = 0;
    const zen_page_frame *f = held_block(w, pfn, &h);
    if (f == NULL || h != head || f->order != order || f->owner != owner)
        FAIL("%s: frame %llu in block %llu of order %u owner %u, want head %llu order %u owner %u", name,
             (ull)pfn, (ull)(f != NULL ? h : 0), f != NULL ? f->order : 0u, f != NULL ? f->owner : 0u, (ull)head,
             order, owner);
}

/* Walk each zone's descriptors block by block: reserved exactly in the
 * holes, no tail where a block starts; map every frame of an allocated
 * block to its head. */
QUIET static void map_blocks(world *w, const char *after)
{
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        const zen_page_allocator *a = &w->zones.zone[z].pages;
        if (w->span_n[z] == 0)
            continue;
        for (uint64_t i = 0; i < a->nframes;) {
            const zen_page_frame *f = &a->frames[i];
            zen_pfn pfn = a->start + i;
            if ((f->state == ZEN_FRAME_RESERVED) != in_hole(w, pfn))
                FAIL("after %s: frame %llu has state %u (hole %d)", after, (ull)pfn, f->state, (int)in_hole(w, pfn));
            if (f->state == ZEN_FRAME_TAIL || f->order > ZEN_PAGE_MAX_ORDER)
                FAIL("after %s: frame %llu: tail or order %u where a block should start", after, (ull)pfn,
                     f->order);
            uint64_t n = f->state == ZEN_FRAME_RESERVED ? 1u : (uint64_t)1 << f->order;
            if (i + n > a->nframes)
                FAIL("after %s: block %llu of order %u passes the span", after, (ull)pfn, f->order);
            uint32_t h = f->state == ZEN_FRAME_ALLOCATED ? w->span_off[z] + (uint32_t)i : NO_HEAD;
            for (uint64_t j = 0; j < n; j++)
                w->head[w->span_off[z] + i + j] = h;
            i += n;
        }
    }
}

QUIET static const zen_slab_cache *obj_cache(const world *w, const obj *o)
{
    return o->kind == OBJ_KMALLOC ? &w->k.classes[o->cls] : &w->cache[o->cls].c;
}

QUIET static void check_space(world *w, unsigned s)
{
    space_state *ss = &w->space[s];
    if (!ss->live)
        return;
    zen_space_check_report rep;
    if (zen_space_check(&ss->sp, &rep) != ZEN_OK)
        FAIL("zen_space_check(space %u): invariant %u slot %llu", s, rep.invariant, (ull)rep.slot);
    const zen_layout *l = &w->image[ss->image].layout;
    const zen_layout *g = &ss->sp.layout;
    for (unsigned k = 0; k < ZEN_SEG_KINDS; k++) {
        if (k == ZEN_SEG_HEAP || k == ZEN_SEG_STACK)
            continue;
        if (memcmp(&g->seg[k], &l->seg[k], sizeof g->seg[k]) != 0)
            FAIL("space %u: segment %u moved", s, k);
    }
    if (g->heap_end != l->heap_end || g->stack_floor != l->stack_floor || g->top != l->top)
        FAIL("space %u: reaches or top moved", s);
    if (ss->sp.brk != ss->brk || g->seg[ZEN_SEG_HEAP].base != l->seg[ZEN_SEG_HEAP].base ||
        g->seg[ZEN_SEG_HEAP].size != heap_size(w, ss))
        FAIL("space %u: break %#llx heap size %#llx, model %#llx %#llx", s, (ull)ss->sp.brk,
             (ull)g->seg[ZEN_SEG_HEAP].size, (ull)ss->brk, (ull)heap_size(w, ss));
    if (g->seg[ZEN_SEG_STACK].base != ss->stack_base || g->seg[ZEN_SEG_STACK].size != l->top - ss->stack_base)
        FAIL("space %u: stack base %#llx, model %#llx", s, (ull)g->seg[ZEN_SEG_STACK].base, (ull)ss->stack_base);
    if (ss->sp.stats.mapped != ss->nmap)
        FAIL("space %u: %llu frames mapped, model %u", s, (ull)ss->sp.stats.mapped, ss->nmap);
    for (uint32_t i = 0; i < ss->nmap; i++) {
        const mapping *m = &ss->map[i];
        zen_pfn pfn = ZEN_SPACE_NO_FRAME;
        zen_status st = zen_space_frame_at(&ss->sp, m->page + (m->pfn & 0xFFFu), &pfn);
        if (st != ZEN_OK || pfn != m->pfn)
            FAIL("space %u page %#llx: frame_at %d %llu, model %llu", s, (ull)m->page, (int)st, (ull)pfn,
                 (ull)m->pfn);
        if (zone_of(m->pfn) > ss->max_zone)
            FAIL("space %u page %#llx: frame %llu above max zone %u", s, (ull)m->page, (ull)m->pfn, ss->max_zone);
        if (frame_words(w, m->pfn)[WPF - 1u] != m->mark)
            FAIL("space %u page %#llx (frame %llu): mark overwritten", s, (ull)m->page, (ull)m->pfn);
        claim_frames(w, m->pfn, 1, CL_SPACE, "space page", m->page);
        expect_held(w, m->pfn, m->pfn, 0, ZEN_OWNER_USER, "space page");
    }
    if (ss->hooks.depth != 0 || ss->hooks.enters != ss->hooks.leaves)
        FAIL("space %u hooks: %llu enters, %llu leaves", s, (ull)ss->hooks.enters, (ull)ss->hooks.leaves);
}

QUIET static void check_world(world *w, const char *after)
{
    zen_zone_check_report zr;
    if (zen_zone_check(&w->zones, &zr) != ZEN_OK)
        FAIL("after %s: zen_zone_check: invariant %u zone %u (page invariant %u at %llu)", after, zr.invariant,
             zr.zone, zr.pages.invariant, (ull)zr.pages.pfn);
    const zen_slab_cache *named[NCACHES];
    uint32_t nnamed = 0;
    for (unsigned i = 0; i < NCACHES; i++)
        if (w->cache[i].live)
            named[nnamed++] = &w->cache[i].c;
    zen_slab_check_report sr;
    if (zen_kmem_check(&w->k, named, nnamed, &sr) != ZEN_OK)
        FAIL("after %s: zen_kmem_check: invariant %u record %u", after, sr.invariant, sr.record);
    if (w->zone_hooks.depth != 0 || w->zone_hooks.enters != w->zone_hooks.leaves || w->kmem_hooks.depth != 0 ||
        w->kmem_hooks.enters != w->kmem_hooks.leaves)
        FAIL("after %s: hooks unbalanced", after);

    memset(w->claim, 0, w->span_total);
    map_blocks(w, after);
    for (unsigned s = 0; s < NSPACES; s++)
        check_space(w, s);

    uint64_t in_use[ZEN_KMALLOC_CLASSES + NCACHES] = { 0 };
    uint64_t large_frames = 0, large_blocks = 0, block_frames = 0, space_frames = 0;
    for (uint32_t i = 0; i < w->nobjs; i++) {
        const obj *o = &w->objs[i];
        obj_check(w, o, false);
        if (o->kind == OBJ_LARGE) {
            zen_pfn head = o->addr >> ZEN_PAGE_SHIFT;
            claim_frames(w, head, (uint64_t)1 << o->order, CL_LARGE, "kmalloc block", o->addr);
            expect_held(w, head, head, o->order, ZEN_OWNER_KMALLOC, "kmalloc block");
            large_blocks++;
            large_frames += (uint64_t)1 << o->order;
            continue;
        }
        zen_pfn first = o->addr >> ZEN_PAGE_SHIFT, last = (o->addr + o->size - 1u) >> ZEN_PAGE_SHIFT;
        claim_frames(w, first, last - first + 1u, CL_SLAB, "slab object", o->addr);
        zen_pfn head = 0;
        const zen_page_frame *f = held_block(w, first, &head);
        if (f == NULL || f->owner != ZEN_OWNER_SLAB || f->tag >= w->nrecords ||
            last >= head + ((uint64_t)1 << f->order))
            FAIL("after %s: object %#llx not inside one slab block", after, (ull)o->addr);
        if (w->records[f->tag].cache != obj_cache(w, o) || w->records[f->tag].pfn != head)
            FAIL("after %s: object %#llx lies in a slab of another cache", after, (ull)o->addr);
        in_use[o->kind == OBJ_KMALLOC ? o->cls : ZEN_KMALLOC_CLASSES + o->cls]++;
    }
    for (uint32_t i = 0; i < w->nblocks; i++) {
        const zblock *b = &w->blocks[i];
        block_check(w, b, false);
        claim_frames(w, b->pfn, (uint64_t)1 << b->order, CL_ZONE, "zone block", b->pfn);
        expect_held(w, b->pfn, b->pfn, b->order, b->owner, "zone block");
        zen_pfn head = 0;
        if (held_block(w, b->pfn, &head)->tag != b->tag)
            FAIL("after %s: zone block %llu tag %u, want %u", after, (ull)b->pfn,
                 held_block(w, b->pfn, &head)->tag, b->tag);
        block_frames += (uint64_t)1 << b->order;
    }
    for (unsigned s = 0; s < NSPACES; s++)
        if (w->space[s].live)
            space_frames += w->space[s].nmap;

    /* An allocated block no book holds must be a slab's (slabs with no
     * live object are in no book). */
    for (uint32_t idx = 0; idx < w->span_total; idx++) {
        if (w->head[idx] != idx || w->claim[idx] != CL_NONE)
            continue;
        zen_pfn head = 0, pfn = 0;
        for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
            if (idx >= w->span_off[z] && idx - w->span_off[z] < w->span_n[z])
                pfn = w->span_start[z] + (idx - w->span_off[z]);
        const zen_page_frame *f = held_block(w, pfn, &head);
        if (f->owner != ZEN_OWNER_SLAB)
            FAIL("after %s: block %llu (order %u, owner %u) allocated but in no book", after, (ull)pfn, f->order,
                 f->owner);
    }

    /* Frames in use: exactly the books' and the slabs'. */
    uint64_t slab_frames = 0;
    for (unsigned i = 0; i < ZEN_KMALLOC_CLASSES; i++) {
        const zen_slab_cache *c = &w->k.classes[i];
        if (c->stats.in_use != in_use[i])
            FAIL("after %s: kmalloc class %u in_use %llu, books %llu", after, i, (ull)c->stats.in_use,
                 (ull)in_use[i]);
        slab_frames += c->stats.slabs << c->order;
    }
    for (unsigned i = 0; i < NCACHES; i++) {
        const cache_state *cs = &w->cache[i];
        if (!cs->live) {
            if (in_use[ZEN_KMALLOC_CLASSES + i] != 0)
                FAIL("after %s: objects of destroyed cache %u", after, i);
            continue;
        }
        if (cs->c.stats.in_use != in_use[ZEN_KMALLOC_CLASSES + i])
            FAIL("after %s: cache %u in_use %llu, books %llu", after, i, (ull)cs->c.stats.in_use,
                 (ull)in_use[ZEN_KMALLOC_CLASSES + i]);
        slab_frames += cs->c.stats.slabs << cs->c.order;
    }
    if (w->k.stats.large_blocks != large_blocks || w->k.stats.large_frames != large_frames)
        FAIL("after %s: kmem large %llu/%llu, books %llu/%llu", after, (ull)w->k.stats.large_blocks,
             (ull)w->k.stats.large_frames, (ull)large_blocks, (ull)large_frames);
    uint64_t used = 0;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        zen_zone_info i = zinfo(w, z);
        used += i.managed - i.free_frames;
    }
    uint64_t want = block_frames + large_frames + slab_frames + space_frames;
    if (used != want)
        FAIL("after %s: %llu frames in use; blocks %llu + kmalloc %llu + slabs %llu + spaces %llu = %llu", after,
             (ull)used, (ull)block_frames, (ull)large_frames, (ull)slab_frames, (ull)space_frames, (ull)want);
}

/* ---- kmalloc and caches -------------------------------------------------------- */

static const uint32_t class_size[ZEN_KMALLOC_CLASSES] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048 };

QUIET static unsigned class_of(uint64_t size)
{
    unsigned i = 0;
    while (class_size[i] < size)
        i++;
    return i;
}

QUIET static unsigned large_order(uint64_t size)
{
    unsigned k = 0;
    while ((ZEN_PAGE_SIZE << k) < size)
        k++;
    return k;
}

QUIET static bool overlaps_live(const world *w, zen_paddr a, uint64_t size)
{
    for (uint32_t i = 0; i < w->nobjs; i++) {
        const obj *o = &w->objs[i];
        uint64_t n = o->kind == OBJ_LARGE ? ZEN_PAGE_SIZE << o->order : o->size;
        if (a < o->addr + n && o->addr < a + size)
            return true;
    }
    return false;
}

/* What a slab allocation from c will do: 0 a free slot, 1 a new slab
 * (served by zone *zone), 2 NOMEM without a frame request, 3 NOMEM after
 * one (refused by injection or by the zones). */
QUIET static unsigned predict_slab(const world *w, const zen_slab_cache *c, unsigned max_zone, unsigned zflags,
                                   unsigned *zone)
{
    *zone = 0;
    if (c->stats.slabs * c->nslots > c->stats.in_use)
        return 0;
    if (w->k.spare == ZEN_SLAB_NONE)
        return 2;
    if (w->fail_at != 0 && w->fail_at == w->fail_requests + 1u)
        return 3;
    unsigned s = serving_zone(w, max_zone, c->order, zflags);
    if (s == 0)
        return 3;
    *zone = s - 1u;
    return 1;
}

QUIET static void add_obj(world *w, zen_paddr a, uint64_t size, uint8_t kind, uint8_t cls, uint8_t order)
{
    if (w->nobjs == MAX_OBJS)
        FAIL("object table full");
    uint64_t n = kind == OBJ_LARGE ? ZEN_PAGE_SIZE << order : size;
    if (overlaps_live(w, a, n))
        FAIL("new object %#llx (+%llu) overlaps a live one", (ull)a, (ull)n);
    obj *o = &w->objs[w->nobjs++];
    *o = (obj){ a, size, ++w->serial, kind, cls, order };
    obj_fill(w, o);
}

/* Check a slab allocation's outcome against the prediction. */
QUIET static void slab_outcome(world *w, const char *what, zen_status st, unsigned pred, unsigned zone,
                               const zen_slab_cache *c, uint64_t slabs_before, const uint64_t fb[ZEN_ZONE_COUNT],
                               uint64_t requests_before, zen_paddr a)
{
    uint64_t fa[ZEN_ZONE_COUNT];
    free_counts(w, fa);
    zen_status want = pred <= 1u ? ZEN_OK : ZEN_ERR_NOMEM;
    if (st != want)
        FAIL("%s: answered %d, expected %d (prediction %u)", what, (int)st, (int)want, pred);
    uint64_t requests = w->fail_requests - requests_before;
    if (requests != (pred == 1u || pred == 3u ? 1u : 0u))
        FAIL("%s: %llu frame requests (prediction %u)", what, (ull)requests, pred);
    if (requests != 0 && w->fail_order != c->order)
        FAIL("%s: frame request of order %u, slabs of order %u", what, w->fail_order, c->order);
    if (pred == 1u) {
        frames_taken(fb, fa, zone, (uint64_t)1 << c->order, what);
        if (c->stats.slabs != slabs_before + 1u)
            FAIL("%s: a new slab, but slabs %llu -> %llu", what, (ull)slabs_before, (ull)c->stats.slabs);
        if (a % (ZEN_PAGE_SIZE << c->order) != 0 || zone_of(a >> ZEN_PAGE_SHIFT) != zone)
            FAIL("%s: %#llx is not slot 0 of a new slab in zone %u", what, (ull)a, zone);
    } else {
        frames_taken(fb, fa, 0, 0, what);
        if (c->stats.slabs != slabs_before)
            FAIL("%s: slabs %llu -> %llu", what, (ull)slabs_before, (ull)c->stats.slabs);
    }
    if (st == ZEN_OK && (a % c->align != 0 || a % ZEN_SLAB_MIN_ALIGN != 0))
        FAIL("%s: %#llx not aligned to %u", what, (ull)a, c->align);
}

QUIET static void do_kmalloc(world *w, uint64_t size, unsigned flags)
{
    if (w->nobjs == MAX_OBJS)
        return; /* the books are full */
    unsigned zflags = (flags & ZEN_KMALLOC_ATOMIC) != 0 ? ZEN_ZONE_ATOMIC : 0u;
    uint64_t fb[ZEN_ZONE_COUNT];
    free_counts(w, fb);
    uint64_t enters = w->kmem_hooks.enters, requests = w->fail_requests;
    zen_paddr a = 0xDEADu;
    if (size == 0 || flags > ZEN_KMALLOC_FLAGS_ALL || size > ZEN_KMALLOC_MAX_SIZE) {
        zen_status want = size > UINT64_MAX - (ZEN_PAGE_SIZE - 1u) && flags <= ZEN_KMALLOC_FLAGS_ALL
                              ? ZEN_ERR_OVERFLOW : ZEN_ERR_INVAL;
        zen_status st = zen_kmalloc(&w->k, size, flags, &a);
        hooks_ran(&w->kmem_hooks, enters, 1, "kmalloc");
        if (st != want || a != 0xDEADu)
            FAIL("kmalloc(%llu, %u): answered %d, expected %d, or wrote *obj", (ull)size, flags, (int)st, (int)want);
        return;
    }
    if (size > ZEN_KMALLOC_MAX_SLAB_SIZE) {
        unsigned order = large_order(size);
        bool fails = w->fail_at != 0 && w->fail_at == w->fail_requests + 1u;
        unsigned s = fails ? 0 : serving_zone(w, ZEN_ZONE_NORMAL, order, zflags);
        w->fail_fired = false;
        zen_status st = zen_kmalloc(&w->k, size, flags, &a);
        hooks_ran(&w->kmem_hooks, enters, 1, "kmalloc");
        zen_status want = s != 0 ? ZEN_OK : ZEN_ERR_NOMEM;
        if (st != want)
            FAIL("kmalloc(%llu, %u): answered %d, expected %d", (ull)size, flags, (int)st, (int)want);
        if (w->fail_requests - requests != 1u || w->fail_order != order || w->fail_fired != fails)
            FAIL("kmalloc(%llu): frame requests %llu of order %u, want 1 of order %u", (ull)size,
                 (ull)(w->fail_requests - requests), w->fail_order, order);
        uint64_t fa[ZEN_ZONE_COUNT];
        free_counts(w, fa);
        frames_taken(fb, fa, s != 0 ? s - 1u : 0u, s != 0 ? (uint64_t)1 << order : 0u, "kmalloc large");
        if (st != ZEN_OK)
            return;
        if (a % (ZEN_PAGE_SIZE << order) != 0 || zone_of(a >> ZEN_PAGE_SHIFT) != s - 1u)
            FAIL("kmalloc(%llu): block %#llx not aligned to order %u or not from zone %u", (ull)size, (ull)a, order,
                 s - 1u);
        add_obj(w, a, size, OBJ_LARGE, 0, (uint8_t)order);
        return;
    }
    unsigned cls = class_of(size);
    const zen_slab_cache *c = &w->k.classes[cls];
    unsigned zone;
    unsigned pred = predict_slab(w, c, ZEN_ZONE_NORMAL, zflags, &zone);
    uint64_t slabs = c->stats.slabs;
    zen_status st = zen_kmalloc(&w->k, size, flags, &a);
    hooks_ran(&w->kmem_hooks, enters, 1, "kmalloc");
    slab_outcome(w, "kmalloc", st, pred, zone, c, slabs, fb, requests, a);
    if (st == ZEN_OK) {
        if (c->stride < size || class_size[cls] != c->size)
            FAIL("kmalloc(%llu): class %u of size %u", (ull)size, cls, c->size);
        add_obj(w, a, size, OBJ_KMALLOC, (uint8_t)cls, 0);
    }
}

QUIET static void do_cache_alloc(world *w, unsigned ci)
{
    cache_state *cs = &w->cache[ci];
    uint64_t enters = w->kmem_hooks.enters, requests = w->fail_requests;
    zen_paddr a = 0xDEADu;
    if (w->nobjs == MAX_OBJS)
        return; /* the books are full */
    if (!cs->live) {
        zen_status st = zen_slab_alloc(&w->k, &cs->c, &a);
        hooks_ran(&w->kmem_hooks, enters, 1, "slab_alloc");
        if (st != ZEN_ERR_INVAL || a != 0xDEADu)
            FAIL("slab_alloc(dead cache %u): answered %d or wrote *obj", ci, (int)st);
        return;
    }
    unsigned max_zone = (cs->flags & ZEN_SLAB_DMA) != 0 ? ZEN_ZONE_DMA
                        : (cs->flags & ZEN_SLAB_DMA32) != 0 ? ZEN_ZONE_DMA32 : ZEN_ZONE_NORMAL;
    unsigned zflags = (cs->flags & ZEN_SLAB_ATOMIC) != 0 ? ZEN_ZONE_ATOMIC : 0u;
    uint64_t fb[ZEN_ZONE_COUNT];
    free_counts(w, fb);
    unsigned zone;
    unsigned pred = predict_slab(w, &cs->c, max_zone, zflags, &zone);
    uint64_t slabs = cs->c.stats.slabs, calls = w->ctor_calls;
    w->ctor_min = UINT64_MAX;
    w->ctor_max = 0;
    zen_status st = zen_slab_alloc(&w->k, &cs->c, &a);
    hooks_ran(&w->kmem_hooks, enters, 1, "slab_alloc");
    slab_outcome(w, "slab_alloc", st, pred, zone, &cs->c, slabs, fb, requests, a);
    uint64_t want_calls = cs->ctor && pred == 1u ? cs->c.nslots : 0u;
    if (w->ctor_calls - calls != want_calls)
        FAIL("slab_alloc(cache %u): constructor ran %llu times, want %llu", ci, (ull)(w->ctor_calls - calls),
             (ull)want_calls);
    if (want_calls != 0 &&
        (w->ctor_min != a || w->ctor_max + cs->c.stride > a + ((uint64_t)cs->c.nslots * cs->c.stride)))
        FAIL("slab_alloc(cache %u): constructor ran outside the new slab", ci);
    if (st != ZEN_OK)
        return;
    if (cs->align != 0 && a % cs->align != 0)
        FAIL("slab_alloc(cache %u): %#llx not aligned to %llu", ci, (ull)a, (ull)cs->align);
    if (cs->ctor) {
        uint64_t v;
        memcpy(&v, host(w, a), sizeof v);
        if (v != ctor_word(ci))
            FAIL("slab_alloc(cache %u): object %#llx handed out unconstructed", ci, (ull)a);
    }
    add_obj(w, a, cs->size, OBJ_CACHE, (uint8_t)ci, 0);
}

QUIET static void forget_obj(world *w, uint32_t i)
{
    push_dead(w, w->objs[i].addr);
    if (w->objs[i].kind == OBJ_LARGE)
        push_dead_pfn(w, w->objs[i].addr >> ZEN_PAGE_SHIFT);
    w->objs[i] = w->objs[--w->nobjs];
}

/* What zen_kfree (ci < 0) or zen_slab_free through cache ci answers for
 * address a; *hit is the live object at a, or nobjs. */
QUIET static zen_status expect_free(const world *w, int ci, zen_paddr a, uint32_t *hit)
{
    *hit = w->nobjs;
    for (uint32_t i = 0; i < w->nobjs; i++)
        if (w->objs[i].addr == a)
            *hit = i;
    if (ci >= 0 && !w->cache[ci].live)
        return ZEN_ERR_INVAL;
    zen_zone_block b;
    if (zen_zone_block_of(&w->zones, a >> ZEN_PAGE_SHIFT, &b) != ZEN_OK)
        return ZEN_ERR_FOREIGN;
    if (ci < 0 && b.owner == ZEN_OWNER_KMALLOC) {
        if (a % ZEN_PAGE_SIZE != 0 || a >> ZEN_PAGE_SHIFT != b.head)
            return ZEN_ERR_NOT_HEAD;
        if (*hit == w->nobjs || w->objs[*hit].kind != OBJ_LARGE)
            FAIL("kmalloc block %#llx in no book", (ull)a);
        return ZEN_OK;
    }
    if (b.owner != ZEN_OWNER_SLAB || b.tag >= w->nrecords)
        return ZEN_ERR_FOREIGN;
    const zen_slab *s = &w->records[b.tag];
    if (s->cache == NULL || s->pfn != b.head || s->order != b.order)
        return ZEN_ERR_FOREIGN;
    const zen_slab_cache *c = s->cache;
    if (ci < 0) {
        if (s->kclass == 0 || s->kclass > ZEN_KMALLOC_CLASSES || c != &w->k.classes[s->kclass - 1u])
            return ZEN_ERR_WRONG_CACHE;
    } else if (c != &w->cache[ci].c) {
        return ZEN_ERR_WRONG_CACHE;
    }
    uint64_t off = a - b.head * ZEN_PAGE_SIZE;
    if (off >= ZEN_SLAB_MAX_SIZE || off / c->stride >= c->nslots)
        return ZEN_ERR_FOREIGN;
    if (off % c->stride != 0)
        return ZEN_ERR_NOT_HEAD;
    if (*hit == w->nobjs)
        return ZEN_ERR_NOT_ALLOCATED;
    if (obj_cache(w, &w->objs[*hit]) != c || w->objs[*hit].kind == OBJ_LARGE)
        FAIL("object %#llx: the books and the slab records disagree on its cache", (ull)a);
    return ZEN_OK;
}

/* Free address a through kfree (ci < 0) or cache ci, right or wrong. */
QUIET static void do_free_addr(world *w, int ci, zen_paddr a)
{
    uint32_t hit;
    zen_status want = expect_free(w, ci, a, &hit);
    if (hit < w->nobjs) {
        obj_check(w, &w->objs[hit], true);
        if (want == ZEN_OK && w->objs[hit].kind == OBJ_CACHE && w->cache[w->objs[hit].cls].ctor) {
            uint64_t v = ctor_word(w->objs[hit].cls); /* objects go back constructed */
            memcpy(host(w, a), &v, sizeof v);
        }
    }
    uint64_t enters = w->kmem_hooks.enters;
    uint64_t fb[ZEN_ZONE_COUNT];
    free_counts(w, fb);
    zen_status st = ci < 0 ? zen_kfree(&w->k, a) : zen_slab_free(&w->k, &w->cache[ci].c, a);
    hooks_ran(&w->kmem_hooks, enters, 1, ci < 0 ? "kfree" : "slab_free");
    if (st != want)
        FAIL("%s(%d, %#llx): answered %d, expected %d", ci < 0 ? "kfree" : "slab_free", ci, (ull)a, (int)st,
             (int)want);
    if (st == ZEN_OK) {
        uint64_t fa[ZEN_ZONE_COUNT];
        free_counts(w, fa);
        const obj *o = &w->objs[hit];
        for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
            uint64_t back = o->kind == OBJ_LARGE && z == zone_of(a >> ZEN_PAGE_SHIFT) ? (uint64_t)1 << o->order : 0;
            if (fa[z] - fb[z] != back)
                FAIL("free of %#llx gave back %llu frames of zone %u, want %llu", (ull)a, (ull)(fa[z] - fb[z]), z,
                     (ull)back);
        }
        forget_obj(w, hit);
    } else if (hit < w->nobjs) {
        obj_check(w, &w->objs[hit], true);
    }
}

/* Free live object i the right way. */
QUIET static void do_free_live(world *w, uint32_t i)
{
    const obj *o = &w->objs[i];
    do_free_addr(w, o->kind == OBJ_CACHE ? (int)o->cls : -1, o->addr);
}

/* An address chosen to be wrong in some way (or, by chance, right). */
static zen_paddr odd_address(world *w, reader *r)
{
    uint8_t kind = u8(r);
    uint16_t v = u16(r);
    uint8_t x = u8(r);
    switch (kind % 10u) {
    case 0: /* inside or just past a live object */
        if (w->nobjs != 0) {
            const obj *o = &w->objs[v % w->nobjs];
            return o->addr + 1u + x % (o->size + 8u);
        }
        return 0;
    case 1: /* recently freed */
        return w->ndead != 0 ? w->dead[v % (w->ndead < DEAD_RING ? w->ndead : DEAD_RING)] : 4096u;
    case 2: { /* anywhere in a span, on an 8-byte step */
        uint32_t f = v % w->span_total;
        for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
            if (f < w->span_n[z])
                return ((w->span_start[z] + f) << ZEN_PAGE_SHIFT) + (uint64_t)x * 8u % ZEN_PAGE_SIZE;
            f -= (uint32_t)w->span_n[z];
        }
        return 0;
    }
    case 3: /* a zone block: its head or another frame */
        if (w->nblocks != 0) {
            const zblock *b = &w->blocks[v % w->nblocks];
            return (b->pfn + x % (1u << b->order)) << ZEN_PAGE_SHIFT;
        }
        return 0;
    case 4: /* a space page's frame */
        for (unsigned s = 0; s < NSPACES; s++) {
            const space_state *ss = &w->space[(s + v) % NSPACES];
            if (ss->live && ss->nmap != 0)
                return (ss->map[x % ss->nmap].pfn << ZEN_PAGE_SHIFT) + (v & 0xFF8u);
        }
        return 0;
    case 5: { /* outside every zone */
        static const zen_paddr outside[4] = { 0, (zen_paddr)DMA_FIRST << ZEN_PAGE_SHIFT >> 1,
                                              (zen_paddr)3000 << ZEN_PAGE_SHIFT, (zen_paddr)1 << 62 };
        return outside[x % 4u] + (v & 0xFF8u);
    }
    case 6: /* the end of a slab page: its leftover bytes */
        if (w->nobjs != 0)
            return (w->objs[v % w->nobjs].addr | (ZEN_PAGE_SIZE - 1u)) - x % 64u;
        return 0;
    case 8: /* a hole */
        return w->hole_n != 0 ? (w->hole_first << ZEN_PAGE_SHIFT) + (v & 0xFF8u) : 0;
    case 9: /* inside a large block */
        for (uint32_t i = 0; i < w->nobjs; i++) {
            const obj *o = &w->objs[(i + v) % w->nobjs];
            if (o->kind == OBJ_LARGE)
                return o->addr + ((uint64_t)x << 6) % (ZEN_PAGE_SIZE << o->order);
        }
        return 0;
    default: /* a live object itself */
        return w->nobjs != 0 ? w->objs[v % w->nobjs].addr : 0;
    }
}

QUIET static void cache_spec(uint8_t a, uint8_t b, cache_state *cs)
{
    static const uint64_t aligns[8] = { 0, 8, 16, 64, 256, 4096, 24, 32 };
    cs->size = a == 255u ? 0 : a >= 240u ? 4096u + (uint64_t)(a - 240u) * 300u : 1u + (uint64_t)a * 11u % 2600u;
    cs->align = aligns[b & 7u];
    cs->flags = (b >> 3) & 7u;
    cs->ctor = (b & 0x40u) != 0;
}

QUIET static void do_create(world *w, unsigned ci, uint8_t a, uint8_t b)
{
    cache_state *cs = &w->cache[ci];
    if (cs->live)
        return; /* creating over a live cache would lose its slabs */
    cache_spec(a, b, cs);
    uint64_t al = cs->align == 0 ? ZEN_SLAB_MIN_ALIGN : cs->align;
    bool bad_align = (al & (al - 1u)) != 0 || al > ZEN_PAGE_SIZE;
    uint64_t stride = bad_align ? 0 : (cs->size + al - 1u) / al * al;
    if (stride < 8u)
        stride = 8u;
    bool bad = cs->size == 0 || bad_align || (cs->flags & 3u) == 3u || stride > ZEN_SLAB_MAX_SIZE;
    uint64_t enters = w->kmem_hooks.enters;
    w->cctx[ci] = (ctor_ctx){ w, ci };
    zen_status st = zen_slab_cache_create(&w->k, &cs->c, cs->size, cs->align, cs->ctor ? ctor_fn : NULL,
                                          &w->cctx[ci], cs->flags);
    hooks_ran(&w->kmem_hooks, enters, 1, "cache_create");
    if (st != (bad ? ZEN_ERR_INVAL : ZEN_OK))
        FAIL("cache_create(size %llu, align %llu, flags %u): answered %d", (ull)cs->size, (ull)cs->align, cs->flags,
             (int)st);
    if (st != ZEN_OK)
        return;
    if (cs->c.stride != stride || cs->c.nslots == 0 || cs->c.order > ZEN_SLAB_MAX_ORDER ||
        (uint64_t)cs->c.nslots * cs->c.stride > ZEN_PAGE_SIZE << cs->c.order || cs->c.stats.slabs != 0)
        FAIL("cache_create(size %llu, align %llu): stride %u (want %llu), %u slots of order %u", (ull)cs->size,
             (ull)cs->align, cs->c.stride, (ull)stride, cs->c.nslots, cs->c.order);
    cs->live = true;
}

QUIET static void do_destroy(world *w, unsigned ci)
{
    cache_state *cs = &w->cache[ci];
    zen_status want = !cs->live ? ZEN_ERR_INVAL : cs->c.stats.in_use != 0 ? ZEN_ERR_BUSY : ZEN_OK;
    uint64_t slabs = cs->live ? cs->c.stats.slabs << cs->c.order : 0;
    uint64_t fb[ZEN_ZONE_COUNT], fa[ZEN_ZONE_COUNT];
    free_counts(w, fb);
    uint64_t enters = w->kmem_hooks.enters;
    zen_status st = zen_slab_cache_destroy(&w->k, &cs->c);
    hooks_ran(&w->kmem_hooks, enters, 1, "cache_destroy");
    if (st != want)
        FAIL("cache_destroy(%u): answered %d, expected %d", ci, (int)st, (int)want);
    free_counts(w, fa);
    uint64_t back = 0;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        back += fa[z] - fb[z];
    if (back != (st == ZEN_OK ? slabs : 0u))
        FAIL("cache_destroy(%u): %llu frames back, want %llu", ci, (ull)back, (ull)slabs);
    if (st == ZEN_OK)
        cs->live = false;
}

/* Shrink cache ci (ci >= NCACHES: kmalloc class ci - NCACHES). */
QUIET static void do_shrink(world *w, unsigned ci)
{
    zen_slab_cache *c = ci < NCACHES ? &w->cache[ci].c : &w->k.classes[(ci - NCACHES) % ZEN_KMALLOC_CLASSES];
    bool live = ci >= NCACHES || w->cache[ci].live;
    uint64_t empty = live ? c->stats.empty_slabs : 0, slabs = live ? c->stats.slabs : 0;
    uint64_t fb[ZEN_ZONE_COUNT], fa[ZEN_ZONE_COUNT];
    free_counts(w, fb);
    uint64_t released = 12345u, enters = w->kmem_hooks.enters;
    zen_status st = zen_slab_shrink(&w->k, c, &released);
    hooks_ran(&w->kmem_hooks, enters, 1, "shrink");
    if (st != (live ? ZEN_OK : ZEN_ERR_INVAL))
        FAIL("shrink(%u): answered %d", ci, (int)st);
    if (!live)
        return;
    free_counts(w, fa);
    uint64_t back = 0;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        back += fa[z] - fb[z];
    if (released != empty || c->stats.empty_slabs != 0 || c->stats.slabs != slabs - empty ||
        back != empty << c->order)
        FAIL("shrink(%u): released %llu of %llu empty slabs, %llu frames back", ci, (ull)released, (ull)empty,
             (ull)back);
}

/* ---- direct zone blocks -------------------------------------------------------- */

QUIET static bool do_zone_alloc(world *w, unsigned max_zone, unsigned order, unsigned flags)
{
    bool bad = max_zone > ZEN_ZONE_NORMAL || order > ZEN_PAGE_MAX_ORDER || flags > ZEN_ZONE_FLAGS_ALL ||
               ((flags & ZEN_ZONE_ZERO) != 0 && unmapped_below(w, max_zone));
    unsigned s = bad ? 0 : serving_zone(w, max_zone, order, flags);
    zen_status want = bad ? ZEN_ERR_INVAL : s != 0 ? ZEN_OK : ZEN_ERR_NOMEM;
    uint64_t fb[ZEN_ZONE_COUNT], fa[ZEN_ZONE_COUNT];
    free_counts(w, fb);
    uint64_t enters = w->zone_hooks.enters;
    zen_pfn pfn = 0xDEADu;
    zen_status st = zen_zone_alloc(&w->zones, max_zone, order, flags, &pfn);
    hooks_ran(&w->zone_hooks, enters, 1, "zone_alloc");
    if (st != want)
        FAIL("zone_alloc(max %u, order %u, flags %u): answered %d, expected %d", max_zone, order, flags, (int)st,
             (int)want);
    free_counts(w, fa);
    frames_taken(fb, fa, s != 0 ? s - 1u : 0u, st == ZEN_OK ? (uint64_t)1 << order : 0u, "zone_alloc");
    if (st != ZEN_OK) {
        if (pfn != 0xDEADu)
            FAIL("zone_alloc answered %d but wrote *pfn", (int)st);
        return false;
    }
    if (zone_of(pfn) != s - 1u || pfn % ((zen_pfn)1 << order) != 0)
        FAIL("zone_alloc(order %u): block %llu not aligned or not from zone %u", order, (ull)pfn, s - 1u);
    if ((flags & ZEN_ZONE_ZERO) != 0)
        for (uint64_t i = 0; i < ((uint64_t)1 << order); i++) {
            const uint64_t *f = frame_words(w, pfn + i);
            for (uint64_t j = 0; j < WPF; j++)
                if (f[j] != 0)
                    FAIL("zone_alloc ZERO block %llu not zero at frame %llu word %llu", (ull)pfn, (ull)(pfn + i),
                         (ull)j);
        }
    if (w->nblocks == MAX_BLOCKS) {
        /* No room in the books: give it straight back. */
        if (zen_zone_free(&w->zones, pfn, order) != ZEN_OK)
            FAIL("zone_free of a fresh block %llu failed", (ull)pfn);
        return false;
    }
    zblock *b = &w->blocks[w->nblocks++];
    *b = (zblock){ pfn, ++w->serial, 0, (uint8_t)order, ZEN_OWNER_USER };
    block_fill(w, b);
    return true;
}

/* What zen_zone_free(pfn, order) answers; *hit is the zone block headed
 * by pfn, or nblocks. */
QUIET static zen_status expect_zone_free(const world *w, zen_pfn pfn, unsigned order, uint32_t *hit)
{
    *hit = w->nblocks;
    for (uint32_t i = 0; i < w->nblocks; i++)
        if (w->blocks[i].pfn == pfn)
            *hit = i;
    if (order > ZEN_PAGE_MAX_ORDER)
        return ZEN_ERR_INVAL;
    uint32_t idx;
    zen_zone_block b;
    zen_status st = zen_zone_block_of(&w->zones, pfn, &b);
    if (!frame_index(w, pfn, &idx) && st != ZEN_ERR_RANGE)
        FAIL("block_of(%llu) outside every span answered %d", (ull)pfn, (int)st);
    if (in_hole(w, pfn) && st != ZEN_ERR_RESERVED)
        FAIL("block_of(%llu) in a hole answered %d", (ull)pfn, (int)st);
    if (st != ZEN_OK)
        return st;
    if (b.head != pfn)
        return ZEN_ERR_NOT_HEAD;
    return b.order != order ? ZEN_ERR_ORDER : ZEN_OK;
}

QUIET static void do_zone_free(world *w, zen_pfn pfn, unsigned order)
{
    uint32_t hit;
    zen_status want = expect_zone_free(w, pfn, order, &hit);
    if (want == ZEN_OK && hit == w->nblocks)
        return; /* a slab's, a kmalloc block or a space page: not the harness's to free */
    if (want == ZEN_OK)
        block_check(w, &w->blocks[hit], true);
    uint64_t fb[ZEN_ZONE_COUNT], fa[ZEN_ZONE_COUNT];
    free_counts(w, fb);
    uint64_t enters = w->zone_hooks.enters;
    zen_status st = zen_zone_free(&w->zones, pfn, order);
    hooks_ran(&w->zone_hooks, enters, 1, "zone_free");
    if (st != want)
        FAIL("zone_free(%llu, order %u): answered %d, expected %d", (ull)pfn, order, (int)st, (int)want);
    free_counts(w, fa);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        uint64_t back = st == ZEN_OK && z == zone_of(pfn) ? (uint64_t)1 << order : 0;
        if (fa[z] - fb[z] != back)
            FAIL("zone_free(%llu): zone %u got %llu frames back, want %llu", (ull)pfn, z, (ull)(fa[z] - fb[z]),
                 (ull)back);
    }
    if (st == ZEN_OK) {
        push_dead_pfn(w, pfn);
        w->blocks[hit] = w->blocks[--w->nblocks];
    }
}

/* A frame number chosen to be wrong in some way, and an order. */
static void do_zone_free_odd(world *w, reader *r)
{
    uint8_t kind = u8(r);
    uint16_t v = u16(r);
    unsigned order = (kind >> 4) % 4u;
    zen_pfn pfn = 0;
    switch (kind % 8u) {
    case 0: /* a live block with the wrong order */
        if (w->nblocks == 0)
            return;
        pfn = w->blocks[v % w->nblocks].pfn;
        order = w->blocks[v % w->nblocks].order + 1u + (kind >> 7);
        if (order > 3u + (kind >> 7))
            order = 0;
        break;
    case 1: /* inside a live block or a kmalloc block */
        if (w->nblocks != 0 && (v & 1u) == 0) {
            const zblock *b = &w->blocks[(v >> 1) % w->nblocks];
            pfn = b->pfn + (v >> 4) % (1u << b->order);
        } else if (w->nobjs != 0) {
            const obj *o = &w->objs[(v >> 1) % w->nobjs];
            pfn = (o->addr >> ZEN_PAGE_SHIFT) + (o->kind == OBJ_LARGE ? (v >> 4) % (1u << o->order) : 0u);
        }
        break;
    case 2: /* freed recently: double free, or someone else's by now */
        pfn = w->ndead_pfn != 0 ? w->dead_pfn[v % (w->ndead_pfn < DEAD_RING ? w->ndead_pfn : DEAD_RING)] : 17u;
        break;
    case 3: /* a hole */
        pfn = w->hole_n != 0 ? w->hole_first + (v & 1u) : 0;
        break;
    case 4: { /* outside every span */
        const zen_pfn outside[6] = { 0, DMA_FIRST - 1u, DMA_FIRST + w->span_n[0], DMA32_FIRST - 1u,
                                     ZEN_PFN_LIMIT - 1u, ZEN_PFN_LIMIT + v };
        pfn = outside[v % 6u];
        break;
    }
    case 5: { /* any frame of a span */
        uint32_t f = v % w->span_total;
        for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
            if (f < w->span_n[z]) {
                pfn = w->span_start[z] + f;
                break;
            }
            f -= (uint32_t)w->span_n[z];
        }
        break;
    }
    case 6: /* an order past the largest */
        pfn = w->nblocks != 0 ? w->blocks[v % w->nblocks].pfn : DMA_FIRST;
        order = ZEN_PAGE_MAX_ORDER + 1u + (v & 3u);
        break;
    default: /* a space page's frame with order 1 (or 0: not ours, not called) */
        for (unsigned s = 0; s < NSPACES; s++) {
            const space_state *ss = &w->space[(s + v) % NSPACES];
            if (ss->live && ss->nmap != 0) {
                pfn = ss->map[(v >> 1) % ss->nmap].pfn;
                break;
            }
        }
        order = 1u;
        break;
    }
    do_zone_free(w, pfn, order);
}

/* ---- spaces: operations -------------------------------------------------------- */

/* The frames of mappings [from, nmap) went back: each checked before the
 * call, each free after. */
QUIET static void released_free(world *w, const mapping *gone, uint32_t n, const char *what)
{
    for (uint32_t i = 0; i < n; i++) {
        zen_zone_block b;
        zen_status st = zen_zone_block_of(&w->zones, gone[i].pfn, &b);
        if (st != ZEN_ERR_NOT_ALLOCATED)
            FAIL("%s: frame %llu of page %#llx reads %d after its release", what, (ull)gone[i].pfn,
                 (ull)gone[i].page, (int)st);
        push_dead_pfn(w, gone[i].pfn);
    }
}

QUIET static void do_fault(world *w, unsigned s, uint64_t addr, uint32_t access, uint32_t mode)
{
    space_state *ss = &w->space[s];
    if (!ss->live)
        return;
    const zen_layout *l = &w->image[ss->image].layout;
    bool bad = (access != ZEN_SEG_R && access != ZEN_SEG_W && access != ZEN_SEG_X) ||
               (mode != ZEN_SEG_USER && mode != ZEN_SEG_SYSTEM);
    unsigned k = judge(w, ss, addr);
    uint32_t cause = bad ? ZEN_FAULT_NONE : refusal(l, k, access, mode);
    uint64_t page = addr - addr % ZEN_PAGE_SIZE;
    mapping *m = find_mapping(ss, page);
    unsigned serve = serving_zone(w, ss->max_zone, 0, 0);
    zen_status want = bad ? ZEN_ERR_INVAL
                      : cause != ZEN_FAULT_NONE ? ZEN_ERR_FAULT
                      : k == ZEN_SEG_TRAPVEC || k == ZEN_SEG_ZENVARS ? ZEN_ERR_RANGE
                      : m != NULL ? ZEN_OK
                      : serve != 0 ? ZEN_OK : ZEN_ERR_NOMEM;

    zen_pfn fp = 0xDEADu;
    zen_status fs = zen_space_frame_at(&ss->sp, addr, &fp);
    zen_status fwant = m != NULL ? ZEN_OK : has_slot(w, ss, addr) ? ZEN_ERR_NOT_ALLOCATED : ZEN_ERR_RANGE;
    if (fs != fwant || (m != NULL ? fp != m->pfn : fp != 0xDEADu))
        FAIL("frame_at(space %u, %#llx): answered %d frame %llu, expected %d", s, (ull)addr, (int)fs, (ull)fp,
             (int)fwant);

    zen_fault f, poison;
    memset(&f, 0xA5, sizeof f);
    memcpy(&poison, &f, sizeof f);
    uint64_t fb[ZEN_ZONE_COUNT], fa[ZEN_ZONE_COUNT];
    free_counts(w, fb);
    uint64_t senters = ss->hooks.enters, zenters = w->zone_hooks.enters;
    zen_status st = zen_space_fault(&ss->sp, addr, access, mode, &f);
    hooks_ran(&ss->hooks, senters, ss->hooks_on ? 1u : 0u, "space_fault");
    hooks_ran(&w->zone_hooks, zenters, (want == ZEN_OK && m == NULL) || want == ZEN_ERR_NOMEM ? 1u : 0u,
              "space_fault");
    if (st != want)
        FAIL("fault(space %u, %#llx, access %u, mode %u): answered %d, expected %d (segment %u, cause %u)", s,
             (ull)addr, access, mode, (int)st, (int)want, k, cause);
    if (st == ZEN_ERR_FAULT) {
        if (f.addr != addr || f.cause != cause || f.signal != ZEN_SIGSEGV)
            FAIL("fault(space %u, %#llx): fault %#llx cause %u signal %u, want cause %u", s, (ull)addr,
                 (ull)f.addr, f.cause, f.signal, cause);
    } else if (memcmp(&f, &poison, sizeof f) != 0) {
        FAIL("fault(space %u, %#llx) answered %d but wrote *fault", s, (ull)addr, (int)st);
    }
    free_counts(w, fa);
    bool mapped_now = st == ZEN_OK && m == NULL;
    frames_taken(fb, fa, serve != 0 ? serve - 1u : 0u, mapped_now ? 1u : 0u, "space_fault");
    if (!mapped_now)
        return;

    zen_pfn pfn = ZEN_SPACE_NO_FRAME;
    if (zen_space_frame_at(&ss->sp, addr, &pfn) != ZEN_OK)
        FAIL("fault(space %u, %#llx) mapped no frame", s, (ull)addr);
    if (zone_of(pfn) != serve - 1u)
        FAIL("fault(space %u, %#llx): frame %llu not from zone %u", s, (ull)addr, (ull)pfn, serve - 1u);
    expect_block(w, pfn, pfn, 0, ZEN_OWNER_USER, "fresh space page");
    uint64_t *fw = frame_words(w, pfn);
    for (uint64_t j = 0; j < WPF; j++)
        if (fw[j] != page_word(w, ss, page, j))
            FAIL("fault(space %u, %#llx, segment %u): frame %llu word %llu is %#llx, want %#llx", s, (ull)addr, k,
                 (ull)pfn, (ull)j, (ull)fw[j], (ull)page_word(w, ss, page, j));
    if (k == ZEN_SEG_STACK && page < ss->stack_base)
        ss->stack_base = page;
    if (ss->nmap == ss->slots)
        FAIL("space %u: more pages mapped than slots", s);
    mapping *n = &ss->map[ss->nmap++];
    *n = (mapping){ page, pfn, mix64(((uint64_t)s << 60) ^ page ^ ((uint64_t)++w->serial << 32)) };
    fw[WPF - 1u] = n->mark;
}

QUIET static void do_brk(world *w, unsigned s, uint64_t nb)
{
    space_state *ss = &w->space[s];
    if (!ss->live)
        return;
    const zen_layout *l = &w->image[ss->image].layout;
    uint64_t base = l->seg[ZEN_SEG_HEAP].base;
    zen_status want = nb < base ? ZEN_ERR_INVAL : nb > l->heap_end ? ZEN_ERR_NO_FIT : ZEN_OK;
    uint64_t new_end = want == ZEN_OK ? base + zen_seg_pages_of(nb - base) * ZEN_PAGE_SIZE : 0;
    mapping gone[256];
    uint32_t ngone = 0;
    if (want == ZEN_OK)
        for (uint32_t i = 0; i < ss->nmap;) {
            mapping *m = &ss->map[i];
            if (m->page >= new_end && m->page < l->heap_end) {
                mapping_check(w, ss, m, s);
                gone[ngone++] = *m;
                *m = ss->map[--ss->nmap];
            } else {
                i++;
            }
        }
    uint64_t senters = ss->hooks.enters, zenters = w->zone_hooks.enters;
    zen_status st = zen_space_brk(&ss->sp, nb);
    hooks_ran(&ss->hooks, senters, ss->hooks_on ? 1u : 0u, "brk");
    hooks_ran(&w->zone_hooks, zenters, ngone, "brk");
    if (st != want)
        FAIL("brk(space %u, %#llx): answered %d, expected %d", s, (ull)nb, (int)st, (int)want);
    if (st == ZEN_OK)
        ss->brk = nb;
    released_free(w, gone, ngone, "brk");
}

QUIET static void do_teardown(world *w, unsigned s)
{
    space_state *ss = &w->space[s];
    if (!ss->live)
        return;
    for (uint32_t i = 0; i < ss->nmap; i++)
        mapping_check(w, ss, &ss->map[i], s);
    uint64_t senters = ss->hooks.enters, zenters = w->zone_hooks.enters;
    zen_status st = zen_space_teardown(&ss->sp);
    hooks_ran(&ss->hooks, senters, ss->hooks_on ? 1u : 0u, "teardown");
    hooks_ran(&w->zone_hooks, zenters, ss->nmap, "teardown");
    if (st != ZEN_OK)
        FAIL("teardown(space %u): answered %d", s, (int)st);
    uint32_t n = ss->nmap;
    ss->nmap = 0;
    released_free(w, ss->map, n, "teardown");
}

/* (Re-)build space s from image im; trials: first the image's invalid
 * variant when it asks for one. The space must hold no frame. */
QUIET static void space_init(world *w, unsigned s, unsigned im, bool trials)
{
    space_state *ss = &w->space[s];
    const image_def *id = &w->image[im];
    if (ss->live && ss->nmap != 0)
        FAIL("space %u re-built with frames", s);
    free(ss->table);
    free(ss->map);
    ss->table = NULL;
    ss->map = NULL;
    ss->live = false;
    ss->nmap = 0;
    uint64_t slots = 0;
    zen_status lst = zen_space_slots(&id->img, &slots);
    if (lst != id->layout_st)
        FAIL("space_slots(image %u) answered %d, seg_layout %d", im, (int)lst, (int)id->layout_st);
    uint64_t cap = lst == ZEN_OK ? slots : 1u;
    ss->table = malloc((cap != 0 ? cap : 1u) * sizeof *ss->table);
    ss->map = malloc((cap != 0 ? cap : 1u) * sizeof *ss->map);
    if (ss->table == NULL || ss->map == NULL)
        abort();
    ss->image = im;
    ss->slots = cap;
    ss->hooks_on = id->hooks_on;
    const zen_hooks hooks = { hook_enter, hook_leave, &ss->hooks };

    for (unsigned attempt = trials ? 0u : 1u; attempt < 2u && !ss->live; attempt++) {
        zen_image img = id->img;
        unsigned mz = id->max_zone;
        uint64_t c = cap;
        if (attempt == 0) {
            if (id->trial_zone <= ZEN_ZONE_NORMAL && !id->trial_short && !id->trial_no_text)
                continue;
            mz = id->trial_zone;
            if (id->trial_no_text)
                img.text = NULL;
            if (id->trial_short && cap != 0)
                c = cap - 1u;
        }
        zen_status want = lst != ZEN_OK ? lst
                          : mz > ZEN_ZONE_NORMAL || unmapped_below(w, mz) || (img.text == NULL && img.text_size != 0)
                              ? ZEN_ERR_INVAL
                          : c < slots ? ZEN_ERR_CAPACITY : ZEN_OK;
        zen_space poison;
        memset(&ss->sp, 0xA5, sizeof ss->sp);
        memcpy(&poison, &ss->sp, sizeof poison);
        for (uint64_t i = 0; i < cap; i++)
            ss->table[i] = 0x5A5A5A5Au;
        uint64_t enters = ss->hooks.enters;
        zen_status st = zen_space_init(&ss->sp, &img, &w->zones, mz, ss->table, c, id->hooks_on ? &hooks : NULL);
        hooks_ran(&ss->hooks, enters, 0, "space_init");
        if (st != want)
            FAIL("space_init(space %u, image %u, max zone %u, capacity %llu of %llu, text %s): answered %d, "
                 "expected %d", s, im, mz, (ull)c, (ull)slots, img.text == NULL ? "none" : "given", (int)st,
                 (int)want);
        if (st != ZEN_OK) {
            if (memcmp(&ss->sp, &poison, sizeof poison) != 0)
                FAIL("space_init answered %d but wrote the space", (int)st);
            for (uint64_t i = 0; i < cap; i++)
                if (ss->table[i] != 0x5A5A5A5Au)
                    FAIL("space_init answered %d but wrote the table", (int)st);
            continue;
        }
        ss->live = true;
        ss->max_zone = mz;
    }
    if (!ss->live)
        return;
    const zen_layout *l = &id->layout;
    if (memcmp(&ss->sp.layout, l, sizeof *l) != 0 || ss->sp.brk != l->seg[ZEN_SEG_HEAP].base ||
        ss->sp.slots != slots || ss->sp.max_zone != ss->max_zone || ss->sp.stats.mapped != 0 ||
        ss->sp.stats.peak != 0)
        FAIL("space_init(space %u, image %u): layout, break, slots or counters not as built", s, im);
    for (uint64_t i = 0; i < slots; i++)
        if (ss->table[i] != ZEN_SPACE_NO_FRAME)
            FAIL("space_init: slot %llu not empty", (ull)i);
    ss->brk = l->seg[ZEN_SEG_HEAP].base;
    ss->stack_base = l->seg[ZEN_SEG_STACK].base;
}

/* An address anchored on the space's layout. */
QUIET static uint64_t space_anchor(const world *w, const space_state *ss, unsigned which)
{
    const zen_layout *l = &w->image[ss->image].layout;
    switch (which % 16u) {
    case 0: return 0;
    case 1: return l->seg[ZEN_SEG_TRAPVEC].base;
    case 2: return l->seg[ZEN_SEG_ZENVARS].base;
    case 3: return l->seg[ZEN_SEG_TEXT].base;
    case 4: return l->seg[ZEN_SEG_RODATA].base;
    case 5: return l->seg[ZEN_SEG_DATA].base;
    case 6: return l->seg[ZEN_SEG_BSS].base;
    case 7: return l->seg[ZEN_SEG_COMM].base;
    case 8: return l->seg[ZEN_SEG_HEAP].base;
    case 9: return ss->brk;
    case 10: return l->heap_end;
    case 11: return l->stack_floor;
    case 12: return l->stack_floor - ZEN_PAGE_SIZE; /* the guard page */
    case 13: return ss->stack_base;
    case 14: return l->top;
    default: return l->seg[ZEN_SEG_DATA].base + l->seg[ZEN_SEG_DATA].size;
    }
}

/* A signed page offset (b >> 3: -16 .. 15) and a sub-page byte offset. */
QUIET static uint64_t space_offset(uint8_t b)
{
    static const uint64_t sub[8] = { 0, 1, 8, 100, ZEN_PAGE_SIZE / 2u, ZEN_PAGE_SIZE - 8u, ZEN_PAGE_SIZE - 1u, 0 };
    int64_t pages = (int64_t)(int8_t)b >> 3;
    return (uint64_t)pages * ZEN_PAGE_SIZE + sub[b & 7u];
}

static void op_fault(world *w, reader *r)
{
    uint8_t a = u8(r), b = u8(r), c = u8(r);
    unsigned s = a & 1u;
    const space_state *ss = &w->space[s];
    if (!ss->live)
        return;
    uint64_t addr = space_anchor(w, ss, (unsigned)a >> 1) + space_offset(b);
    static const uint32_t accesses[4] = { ZEN_SEG_R, ZEN_SEG_W, ZEN_SEG_X, ZEN_SEG_R };
    uint32_t access = accesses[c & 3u];
    if ((c & 3u) == 3u && (c & 0x80u) != 0)
        access = (c & 0x40u) != 0 ? ZEN_SEG_R | ZEN_SEG_W : 0u; /* no access */
    uint32_t mode = (c >> 2) & 1u;
    if ((c & 0x70u) == 0x70u)
        mode = 2u; /* no mode */
    do_fault(w, s, addr, access, mode);
}

static void op_burst(world *w, reader *r)
{
    uint8_t a = u8(r), b = u8(r);
    unsigned s = a & 1u;
    const space_state *ss = &w->space[s];
    if (!ss->live)
        return;
    uint64_t addr = space_anchor(w, ss, (unsigned)a >> 1);
    unsigned n = 1u + b % BURST_MAX;
    bool down = (b & 0x80u) != 0;
    uint32_t access = (b & 0x40u) != 0 ? ZEN_SEG_R : ZEN_SEG_W;
    for (unsigned i = 0; i < n; i++) {
        uint64_t off = (uint64_t)i * ZEN_PAGE_SIZE;
        do_fault(w, s, down ? addr - ZEN_PAGE_SIZE - off : addr + off, access, ZEN_SEG_USER);
    }
}

static void op_brk(world *w, reader *r)
{
    uint8_t a = u8(r), b = u8(r);
    unsigned s = a & 1u;
    const space_state *ss = &w->space[s];
    if (!ss->live)
        return;
    const zen_layout *l = &w->image[ss->image].layout;
    uint64_t anchor = (a >> 1) % 4u == 0 ? l->seg[ZEN_SEG_HEAP].base : (a >> 1) % 4u == 1 ? ss->brk
                      : (a >> 1) % 4u == 2 ? l->heap_end : l->seg[ZEN_SEG_HEAP].base + (uint64_t)(a >> 3) * 1000u;
    do_brk(w, s, anchor + space_offset(b));
}

static void op_teardown(world *w, reader *r)
{
    uint8_t a = u8(r);
    unsigned s = a & 1u;
    do_teardown(w, s);
    if ((a & 2u) != 0 && w->space[s].nmap == 0)
        space_init(w, s, (a >> 2) & 1u, (a & 8u) != 0);
}

/* ---- fault injection, caches, owners ------------------------------------------- */

static void op_inject(world *w, reader *r)
{
    uint8_t a = u8(r);
    switch (a % 5u) {
    case 0:
        w->fail_at = 0;
        break;
    case 1:
    case 2:
        w->fail_at = w->fail_requests + 1u + (a >> 3) % 8u;
        break;
    case 3: { /* hog: take blocks until the zones run dry */
        unsigned order = (a >> 3) % 3u;
        unsigned flags = (a & 0x20u) != 0 ? ZEN_ZONE_ATOMIC : 0u;
        unsigned max_zone = (a >> 6) % 3u;
        for (unsigned i = 0; i < HOG_MAX; i++)
            if (!do_zone_alloc(w, max_zone, order, flags))
                break;
        break;
    }
    default: /* release: every zone block, or every other one */
        for (uint32_t i = w->nblocks; i-- > 0;)
            if ((a & 8u) == 0 || i % 2u == 0)
                do_zone_free(w, w->blocks[i].pfn, w->blocks[i].order);
        break;
    }
}

static void op_cache_admin(world *w, reader *r)
{
    uint8_t a = u8(r), b = u8(r), c = u8(r);
    unsigned ci = (a >> 3) & 1u;
    switch (a % 5u) {
    case 0:
        do_destroy(w, ci);
        break;
    case 1:
        do_create(w, ci, b, c);
        break;
    case 2:
        do_shrink(w, ci);
        break;
    case 3:
        do_shrink(w, NCACHES + b % ZEN_KMALLOC_CLASSES);
        break;
    default: { /* a kmalloc class is not the caller's to destroy */
        zen_slab_cache *k = &w->k.classes[b % ZEN_KMALLOC_CLASSES];
        uint64_t enters = w->kmem_hooks.enters;
        zen_status st = zen_slab_cache_destroy(&w->k, k);
        hooks_ran(&w->kmem_hooks, enters, 1, "cache_destroy");
        if (st != ZEN_ERR_INVAL || k->kmem != &w->k)
            FAIL("cache_destroy(kmalloc class %u) answered %d", b % ZEN_KMALLOC_CLASSES, (int)st);
        break;
    }
    }
}

static void op_owner(world *w, reader *r)
{
    uint8_t a = u8(r);
    uint16_t v = u16(r);
    if (w->nblocks == 0)
        return;
    zblock *b = &w->blocks[v % w->nblocks];
    unsigned owner = (a & 1u) != 0 ? ZEN_OWNER_ZONE : ZEN_OWNER_USER;
    zen_pfn pfn = b->pfn;
    zen_status want = ZEN_OK;
    switch ((a >> 1) % 3u) {
    case 1: /* an unknown owner */
        owner = ZEN_OWNER_LAST + 1u + (a >> 3);
        want = ZEN_ERR_INVAL;
        break;
    case 2: /* not a head */
        if (b->order == 0)
            return;
        pfn += 1u + (v >> 8) % ((1u << b->order) - 1u);
        want = ZEN_ERR_NOT_HEAD;
        break;
    default:
        break;
    }
    uint64_t enters = w->zone_hooks.enters;
    zen_status st = zen_zone_set_owner(&w->zones, pfn, owner, v);
    hooks_ran(&w->zone_hooks, enters, 1, "set_owner");
    if (st != want)
        FAIL("set_owner(%llu, owner %u): answered %d, expected %d", (ull)pfn, owner, (int)st, (int)want);
    if (st == ZEN_OK) {
        b->owner = (uint8_t)owner;
        b->tag = v;
    }
}

static uint64_t kmalloc_size(reader *r)
{
    uint8_t sel = u8(r);
    uint16_t v = u16(r);
    switch (sel % 8u) {
    case 0: return v % 17u;                     /* 0 and tiny */
    case 1: return 2040u + v % 16u;              /* around the last class */
    case 2: return 2048u + v % 20000u;           /* whole blocks */
    case 3: return (sel & 0x80u) != 0 ? UINT64_MAX - v % 8192u : ZEN_KMALLOC_MAX_SIZE + v % 3u - 1u;
    default: return 1u + v % 2048u;
    }
}

static const char *const op_names[16] = {
    "kmalloc", "kfree", "cache alloc", "free", "odd free", "zone alloc", "zone free", "odd zone free",
    "fault", "fault", "fault burst", "brk", "teardown", "injection", "cache admin", "owner",
};

static void run_op(world *w, reader *r)
{
    uint8_t sel = u8(r);
    unsigned op = sel % 16u;
    switch (op) {
    case 0: {
        uint64_t size = kmalloc_size(r);
        do_kmalloc(w, size, (unsigned)(sel >> 4) % 3u);
        break;
    }
    case 1: /* kfree of any live object: cache objects are refused */
        if (w->nobjs != 0)
            do_free_addr(w, -1, w->objs[u16(r) % w->nobjs].addr);
        break;
    case 2: {
        unsigned n = 1u + (unsigned)(sel >> 5);
        for (unsigned i = 0; i < n; i++)
            do_cache_alloc(w, (sel >> 4) & 1u);
        break;
    }
    case 3:
        if (w->nobjs != 0)
            do_free_live(w, u16(r) % w->nobjs);
        break;
    case 4: {
        zen_paddr a = odd_address(w, r);
        do_free_addr(w, (sel & 0x10u) != 0 ? -1 : (int)((sel >> 5) & 1u), a);
        break;
    }
    case 5: {
        uint8_t a = u8(r);
        unsigned max_zone = a % 4u == 3u && (a & 0x80u) == 0 ? ZEN_ZONE_NORMAL : a % 4u;
        unsigned order = (a >> 2) % 4u;
        if ((a & 0x70u) == 0x70u)
            order = (a & 0x80u) != 0 ? ZEN_PAGE_MAX_ORDER + 1u : ZEN_PAGE_MAX_ORDER;
        unsigned flags = (unsigned)(sel >> 4) % 5u;
        do_zone_alloc(w, max_zone, order, flags);
        break;
    }
    case 6:
        if (w->nblocks != 0) {
            const zblock *b = &w->blocks[u16(r) % w->nblocks];
            do_zone_free(w, b->pfn, b->order);
        }
        break;
    case 7:
        do_zone_free_odd(w, r);
        break;
    case 8:
    case 9:
        op_fault(w, r);
        break;
    case 10:
        op_burst(w, r);
        break;
    case 11:
        op_brk(w, r);
        break;
    case 12:
        op_teardown(w, r);
        break;
    case 13:
        op_inject(w, r);
        break;
    case 14:
        op_cache_admin(w, r);
        break;
    default:
        op_owner(w, r);
        break;
    }
    check_world(w, op_names[op]);
}

/* ---- set-up and the end ---------------------------------------------------------- */

QUIET static void decode_image(world *w, unsigned im, reader *r)
{
    static const uint64_t tails[8] = { 0, 0, 1, 8, 100, 2047, 4095, 4088 };
    image_def *id = &w->image[im];
    uint8_t b[8];
    for (unsigned i = 0; i < 8u; i++)
        b[i] = u8(r);
    zen_image *img = &id->img;
    img->page_size = ZEN_PAGE_SIZE;
    uint64_t *sizes[3] = { &img->text_size, &img->rodata_size, &img->data_size };
    for (unsigned n = 0; n < 3u; n++)
        *sizes[n] = (uint64_t)(b[n] & 7u) * ZEN_PAGE_SIZE + tails[(b[n] >> 3) & 7u];
    img->bss_size = (uint64_t)(b[3] & 7u) * ZEN_PAGE_SIZE + ((b[3] >> 3) & 1u) * 5u;
    img->comm_size = (uint64_t)((b[3] >> 4) & 7u) * ZEN_PAGE_SIZE + (b[3] >> 7) * 3u;
    img->debug_size = (uint64_t)(b[0] >> 6) * 3000u;
    img->heap_limit = b[4] == 0xFFu ? UINT64_MAX - ZEN_PAGE_SIZE
                                    : (uint64_t)(b[4] & 63u) * ZEN_PAGE_SIZE + ((b[4] >> 6) & 1u) * 17u;
    uint64_t limit_pages = 1u + (b[5] & 31u);
    img->stack_limit = limit_pages * ZEN_PAGE_SIZE;
    unsigned st = (b[5] >> 5) & 7u;
    img->stack_size = st == 7u ? img->stack_limit + 1u
                      : (st < limit_pages ? st : limit_pages) * ZEN_PAGE_SIZE - (st == 3u ? 100u : 0u);
    unsigned t = b[6] >> 3;
    img->top = (1u + (uint64_t)(b[6] & 7u)) * MIB;
    if (t == 30u)
        img->top += ZEN_PAGE_SIZE / 2u; /* misaligned */
    else if (t == 31u)
        img->top = 16u * ZEN_PAGE_SIZE; /* too low for the layout */
    id->trial_zone = b[7] & 3u;
    id->max_zone = id->trial_zone > ZEN_ZONE_NORMAL ? ZEN_ZONE_NORMAL : id->trial_zone;
    id->trial_short = (b[7] & 4u) != 0;
    id->trial_no_text = (b[7] & 8u) != 0;
    id->hooks_on = (b[7] & 16u) != 0;
    uint64_t seed = mix64((uint64_t)(b[7] >> 5) + 1u);
    const uint64_t **ptrs[3] = { &img->text, &img->rodata, &img->data };
    for (unsigned n = 0; n < 3u; n++) {
        id->nwords[n] = (*sizes[n] + 7u) / 8u;
        id->words[n] = NULL;
        if (id->nwords[n] != 0) {
            id->words[n] = malloc(id->nwords[n] * sizeof(uint64_t));
            if (id->words[n] == NULL)
                abort();
            for (uint64_t j = 0; j < id->nwords[n]; j++)
                id->words[n][j] = image_word(im, n, j, seed);
        }
        *ptrs[n] = id->words[n];
    }
    id->layout_st = zen_seg_layout(img, &id->layout);
}

QUIET static void setup(world *w, reader *r)
{
    w->zone_hooks.name = "zone";
    w->kmem_hooks.name = "kmem";
    w->space[0].hooks.name = "space 0";
    w->space[1].hooks.name = "space 1";
    uint8_t b0 = u8(r), b1 = u8(r), b2 = u8(r), b3 = u8(r), b4 = u8(r);
    uint64_t n_dma = 32u + b0 % 128u;
    uint64_t n_dma32 = b1 < 192u ? 0 : b1 - 192u;
    uint64_t n_normal = b2 & 15u;
    w->nrecords = 1u + b3 % 64u;

    zen_mem_range map[4];
    uint64_t count = 0;
    map[count++] = (zen_mem_range){ DMA_FIRST * ZEN_PAGE_SIZE, n_dma * ZEN_PAGE_SIZE, ZEN_MEM_USABLE };
    if (n_dma32 != 0)
        map[count++] = (zen_mem_range){ DMA32_FIRST * ZEN_PAGE_SIZE, n_dma32 * ZEN_PAGE_SIZE, ZEN_MEM_USABLE };
    if (n_normal != 0)
        map[count++] = (zen_mem_range){ NORMAL_FIRST * ZEN_PAGE_SIZE, n_normal * ZEN_PAGE_SIZE, ZEN_MEM_USABLE };
    if ((b2 & 64u) != 0) {
        /* A reserved entry over two frames (rounded outward), inside the span. */
        w->hole_first = DMA_FIRST + 1u + (b0 * 7u) % (n_dma - 3u);
        w->hole_n = 2;
        map[count++] = (zen_mem_range){ w->hole_first * ZEN_PAGE_SIZE + 16u, ZEN_PAGE_SIZE, ZEN_MEM_RESERVED };
    }
    const uint64_t ns[ZEN_ZONE_COUNT] = { n_dma, n_dma32, n_normal };
    const zen_pfn starts[ZEN_ZONE_COUNT] = { DMA_FIRST, DMA32_FIRST, NORMAL_FIRST };
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        w->span_start[z] = starts[z];
        w->span_n[z] = ns[z];
        w->span_off[z] = w->span_total;
        w->span_total += (uint32_t)ns[z];
    }

    zen_zone_layout plan;
    if (zen_zone_plan(map, count, count, &plan) != ZEN_OK)
        FAIL("zone plan of the map");
    w->frames = malloc(plan.frames_needed * sizeof *w->frames);
    w->words = malloc(plan.words_needed * sizeof *w->words);
    w->claim = malloc(w->span_total);
    w->head = malloc(w->span_total * sizeof *w->head);
    if (w->frames == NULL || w->words == NULL || w->claim == NULL || w->head == NULL)
        abort();
    const zen_hooks zhooks = { hook_enter, hook_leave, &w->zone_hooks };
    if (zen_zone_init(&w->zones, map, count, count, w->frames, plan.frames_needed, w->words, plan.words_needed,
                      &zhooks) != ZEN_OK)
        FAIL("zone init");
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        const zen_zone *zone = &w->zones.zone[z];
        if ((zone->present != 0) != (ns[z] != 0) ||
            (ns[z] != 0 && (zone->pages.start != starts[z] || zone->pages.nframes != ns[z])))
            FAIL("zone %u: span [%llu, +%llu), want [%llu, +%llu)", z, (ull)zone->pages.start,
                 (ull)zone->pages.nframes, (ull)starts[z], (ull)ns[z]);
        if (ns[z] == 0)
            continue;
        w->dmap[z] = calloc(ns[z] * WPF, sizeof(uint64_t));
        if (w->dmap[z] == NULL)
            abort();
        w->attached[z] = z != ZEN_ZONE_NORMAL || (b2 & 0x80u) == 0;
        if (w->attached[z] && zen_zone_attach_memory(&w->zones, z, w->dmap[z]) != ZEN_OK)
            FAIL("attach zone %u", z);
        uint64_t min = (b4 >> (2u * z)) & 3u;
        if (min > ns[z] - (z == 0 ? w->hole_n : 0u))
            min = 0;
        if (zen_zone_set_watermarks(&w->zones, z, min, min, min) != ZEN_OK)
            FAIL("watermarks of zone %u", z);
    }
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        zen_zone_info i = zinfo(w, z);
        w->initial_free[z] = i.free_frames;
        if (i.free_frames != i.managed || i.managed != ns[z] - (z == 0 ? w->hole_n : 0u))
            FAIL("zone %u: %llu free of %llu managed after init", z, (ull)i.free_frames, (ull)i.managed);
    }

    w->records = malloc(w->nrecords * sizeof *w->records);
    if (w->records == NULL)
        abort();
    const zen_hooks khooks = { hook_enter, hook_leave, &w->kmem_hooks };
    if (zen_kmem_init(&w->k, &w->zones, w->records, w->nrecords, &khooks) != ZEN_OK)
        FAIL("kmem init");
    zen_kmem_set_fail(&w->k, fail_fn, w);

    uint8_t c0 = u8(r), c1 = u8(r), c2 = u8(r), c3 = u8(r);
    do_create(w, 0, c0, c1);
    if (c2 != 0)
        do_create(w, 1, c2, c3);
    for (unsigned im = 0; im < NIMAGES; im++)
        decode_image(w, im, r);
    uint8_t sp = u8(r);
    if ((sp & 1u) != 0)
        space_init(w, 0, 0, true);
    if ((sp & 2u) != 0)
        space_init(w, 1, (sp >> 2) & 1u, true);
    check_world(w, "set-up");
}

/* Free everything; every zone must be whole again. */
QUIET static void finish(world *w)
{
    w->fail_at = 0;
    while (w->nobjs != 0)
        do_free_live(w, w->nobjs - 1u);
    for (unsigned ci = 0; ci < NCACHES; ci++)
        if (w->cache[ci].live)
            do_destroy(w, ci);
    for (unsigned i = 0; i < ZEN_KMALLOC_CLASSES; i++)
        do_shrink(w, NCACHES + i);
    while (w->nblocks != 0)
        do_zone_free(w, w->blocks[w->nblocks - 1u].pfn, w->blocks[w->nblocks - 1u].order);
    for (unsigned s = 0; s < NSPACES; s++)
        do_teardown(w, s);
    check_world(w, "the final release");
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        zen_zone_info i = zinfo(w, z);
        if (i.free_frames != w->initial_free[z])
            FAIL("zone %u: %llu frames free at the end, %llu after set-up", z, (ull)i.free_frames,
                 (ull)w->initial_free[z]);
    }
    if (w->k.stats.spare_records != w->nrecords)
        FAIL("%llu of %u slab records spare at the end", (ull)w->k.stats.spare_records, w->nrecords);
}

QUIET static void release_memory(world *w)
{
    for (unsigned s = 0; s < NSPACES; s++) {
        free(w->space[s].table);
        free(w->space[s].map);
    }
    for (unsigned im = 0; im < NIMAGES; im++)
        for (unsigned n = 0; n < ZEN_SPACE_LOADED; n++)
            free(w->image[im].words[n]);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        free(w->dmap[z]);
    free(w->records);
    free(w->claim);
    free(w->head);
    free(w->words);
    free(w->frames);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    world *w = calloc(1, sizeof *w);
    if (w == NULL)
        abort();
    reader r = { data, size, 0 };
    setup(w, &r);
    for (w->step = 0; w->step < MAX_OPS && r.pos < r.size; w->step++)
        run_op(w, &r);
    finish(w);
    release_memory(w);
    free(w);
    return 0;
}
