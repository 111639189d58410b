/* Zen zone allocator: building the zones and allocating from them. See
 * zen_zone.h for the contract. */
#include "zen_zone_internal.h"
#include "zen_page_internal.h"

/* ---- building -------------------------------------------------------------- */

/* Default watermarks of a zone with `managed` usable frames. */
/*@ requires \valid(zone);
    assigns zone->min, zone->low, zone->high;
    ensures zone->min <= zone->low <= zone->high <= managed;
 */
static void zen_zone_default_watermarks(zen_zone *zone, uint64_t managed)
{
    uint64_t min = managed / 128u;
    zone->min = min;
    zone->low = min + min / 4u;
    zone->high = min + min / 2u;
}

zen_status zen_zone_init(zen_zone_set *s, const zen_mem_range *map, uint64_t count, uint64_t capacity,
                         zen_page_frame *frames, uint64_t nframes, uint64_t *words, uint64_t nwords,
                         const zen_hooks *hooks)
{
    zen_zone_layout plan;
    zen_status st = zen_zone_plan(map, count, capacity, &plan);
    if (st != ZEN_OK)
        return st;
    if (plan.frames_needed > nframes || plan.words_needed > nwords)
        return ZEN_ERR_NOMEM;

    s->frames = frames;
    s->nframes = nframes;
    s->words = words;
    s->nwords = nwords;
    s->hooks.enter = hooks != 0 ? hooks->enter : 0;
    s->hooks.leave = hooks != 0 ? hooks->leave : 0;
    s->hooks.ctx = hooks != 0 ? hooks->ctx : 0;
    s->stats.rejected = 0;
    s->stats.oom_count = 0;
    s->stats.fallbacks = 0;
    s->stats.atomic_reserve = 0;

    uint64_t frame_off = 0;
    uint64_t word_off = 0;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        zen_zone *zone = &s->zone[z];
        zone->present = plan.nframes[z] != 0u;
        zone->frame_off = frame_off;
        zone->word_off = word_off;
        zone->min = 0;
        zone->low = 0;
        zone->high = 0;
        if (zone->present) {
            st = zen_page_init(&zone->pages, plan.start[z], plan.nframes[z], frames + frame_off,
                               words + word_off, plan.nwords[z], 0, 0);
            if (st != ZEN_OK)
                return ZEN_ERR_CORRUPT;
        }
        frame_off += plan.nframes[z];
        word_off += plan.nwords[z];
    }

    /* Second sweep: hand each usable run to the zone that holds it. */
    zen_pfn pos = 0;
    while (pos < ZEN_PFN_LIMIT) {
        zen_pfn end;
        if (zen_map_run(map, count, pos, &end)) {
            st = zen_page_add_range(&s->zone[zen_zone_index(pos)].pages, pos, end - pos);
            if (st != ZEN_OK)
                return ZEN_ERR_CORRUPT;
        }
        pos = end;
    }

    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if (s->zone[z].present)
            zen_zone_default_watermarks(&s->zone[z], s->zone[z].pages.stats.managed);
    }
    return ZEN_OK;
}

/* ---- changing the set ------------------------------------------------------ */

/* Add one to `counter`, one of the set's counters (zen_zone_set_stats). No
 * zone reads the counters, so every zone stays valid (zen_zone_ok_kept). */
/*@ requires zen_zone_set_valid(s);
    requires counter == &s->stats.rejected || counter == &s->stats.oom_count ||
             counter == &s->stats.fallbacks || counter == &s->stats.atomic_reserve;
    assigns *counter;
    ensures zen_zone_set_valid(s);
 */
static void zen_zone_count(zen_zone_set *s, uint64_t *counter)
{
    (void)s; /* named by the contract only */
    (*counter)++;
    /*@ assert zen_zone_same{Pre, Here}(s, 0) && zen_zone_ok(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1) && zen_zone_ok(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2) && zen_zone_ok(s, 2); */
}

/* Store pfn in *out, a word outside the set and its arrays: no zone reads
 * it, so every zone stays valid (zen_zone_ok_kept). */
/*@ requires zen_zone_set_valid(s) && \valid(out);
    requires \separated(out, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    assigns *out;
    ensures *out == pfn && zen_zone_set_valid(s);
 */
static void zen_zone_put_pfn(zen_zone_set *s, zen_pfn *out, zen_pfn pfn)
{
    (void)s; /* named by the contract only */
    *out = pfn;
    /*@ assert zen_zone_same{Pre, Here}(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2); */
    /*@ assert zen_zone_ok(s, 0); */
    /*@ assert zen_zone_ok(s, 1); */
    /*@ assert zen_zone_ok(s, 2); */
}

/* Count a request refused for bad input; returns st. */
/*@ requires zen_zone_set_valid(s);
    assigns s->stats.rejected;
    ensures zen_zone_set_valid(s);
    ensures \result == st;
 */
static zen_status zen_zone_reject(zen_zone_set *s, zen_status st)
{
    zen_zone_count(s, &s->stats.rejected);
    return st;
}

/* Give a page allocator its direct map. */
/*@ requires zen_page_valid(a) && zen_page_canonical(a);
    requires \valid(memory + (0 .. a->nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    requires \separated(memory + (0 .. a->nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                        a, a->frames + (0 .. a->nframes - 1), a->words + (0 .. a->nwords - 1));
    assigns a->memory;
    ensures zen_page_valid(a) && zen_page_canonical(a) && a->memory == memory;
 */
static void zen_pages_set_memory(zen_page_allocator *a, uint64_t *memory)
{
    a->memory = memory;
}

zen_status zen_zone_attach_memory(zen_zone_set *s, unsigned z, uint64_t *memory)
{
    zen_status st = ZEN_OK;
    zen_hooks_enter(&s->hooks);
    if (z >= ZEN_ZONE_COUNT || !s->zone[z].present || memory == 0) {
        st = zen_zone_reject(s, ZEN_ERR_INVAL);
    } else {
        /*@ assert s->zone[z].pages.frames == s->frames + s->zone[z].frame_off &&
                   s->zone[z].frame_off + s->zone[z].pages.nframes <= s->nframes; */
        /*@ assert \separated(memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                              &s->zone[z].pages); */
        /*@ assert \separated(memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                              s->zone[z].pages.frames + (0 .. s->zone[z].pages.nframes - 1)); */
        /*@ assert \separated(memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                              s->zone[z].pages.words + (0 .. s->zone[z].pages.nwords - 1)); */
        zen_pages_set_memory(&s->zone[z].pages, memory);
        /*@ assert zen_zone_ok(s, z); */
        /*@ assert z != 0 ==> zen_zone_same{Pre, Here}(s, 0) && zen_zone_ok(s, 0); */
        /*@ assert z != 1 ==> zen_zone_same{Pre, Here}(s, 1) && zen_zone_ok(s, 1); */
        /*@ assert z != 2 ==> zen_zone_same{Pre, Here}(s, 2) && zen_zone_ok(s, 2); */
        /*@ assert zen_zone_set_valid(s); */
    }
    zen_hooks_leave(&s->hooks);
    return st;
}

zen_status zen_zone_set_watermarks(zen_zone_set *s, unsigned z, uint64_t min, uint64_t low,
                                   uint64_t high)
{
    zen_status st = ZEN_OK;
    zen_hooks_enter(&s->hooks);
    if (z >= ZEN_ZONE_COUNT || !s->zone[z].present || min > low || low > high ||
        high > s->zone[z].pages.stats.managed) {
        st = zen_zone_reject(s, ZEN_ERR_INVAL);
    } else {
        zen_zone *zone = &s->zone[z];
        zone->min = min;
        zone->low = low;
        zone->high = high;
        /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[0].pages); */
        /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[1].pages); */
        /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[2].pages); */
        /*@ assert zen_zone_same{Pre, Here}(s, 0) && zen_zone_ok(s, 0); */
        /*@ assert zen_zone_same{Pre, Here}(s, 1) && zen_zone_ok(s, 1); */
        /*@ assert zen_zone_same{Pre, Here}(s, 2) && zen_zone_ok(s, 2); */
        /*@ assert zen_zone_set_valid(s); */
    }
    zen_hooks_leave(&s->hooks);
    return st;
}

/* ---- allocation ------------------------------------------------------------ */

/* Whether zone z can serve the request (zen_zone_can_serve). */
/*@ requires zen_zone_set_valid(s) && z < ZEN_ZONE_COUNT && order <= ZEN_PAGE_MAX_ORDER;
    assigns \nothing;
    ensures \result != 0 <==> zen_zone_can_serve(s, z, order, flags);
 */
static int zen_zone_serves(const zen_zone_set *s, unsigned z, unsigned order, unsigned flags)
{
    const zen_zone *zone = &s->zone[z];
    if (!zone->present)
        return 0;
    if ((flags & ZEN_ZONE_ATOMIC) == 0u) {
        uint64_t free_frames = zone->pages.stats.free_frames;
        if (free_frames < zone->min || free_frames - zone->min < ((uint64_t)1 << order))
            return 0;
    }
    /*@ assert (flags & ZEN_ZONE_ATOMIC) != 0 ||
          zone->pages.stats.free_frames >= zone->min + zen_block_size(order); */
    /*@ loop invariant order <= k <= ZEN_PAGE_MAX_ORDER + 1;
        loop invariant \forall integer j; order <= j < k ==> zone->pages.stats.free_blocks[j] == 0;
        loop assigns k;
        loop variant ZEN_PAGE_MAX_ORDER + 1 - k; */
    for (unsigned k = order; k <= ZEN_PAGE_MAX_ORDER; k++) {
        if (zone->pages.stats.free_blocks[k] != 0u)
            return 1;
    }
    return 0;
}

/* The highest zone <= max_zone that can serve the request, in *z. */
/*@ requires zen_zone_set_valid(s) && max_zone < ZEN_ZONE_COUNT && order <= ZEN_PAGE_MAX_ORDER;
    requires \valid(z) && \separated(z, s);
    assigns *z;
    ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM;
    ensures \result == ZEN_OK ==> *z <= max_zone && zen_zone_can_serve(s, *z, order, flags) &&
      (\forall integer y; *z < y <= max_zone ==> !zen_zone_can_serve(s, y, order, flags));
    ensures \result == ZEN_ERR_NOMEM <==>
      (\forall integer y; 0 <= y <= max_zone ==> !zen_zone_can_serve(s, y, order, flags));
 */
static zen_status zen_zone_pick(const zen_zone_set *s, unsigned max_zone, unsigned order,
                                unsigned flags, unsigned *z)
{
    unsigned y = max_zone;
    /*@ loop invariant y <= max_zone;
        loop invariant \forall integer x; y < x <= max_zone ==> !zen_zone_can_serve(s, x, order, flags);
        loop assigns y;
        loop variant y; */
    for (;;) {
        if (zen_zone_serves(s, y, order, flags)) {
            *z = y;
            return ZEN_OK;
        }
        if (y == 0u)
            return ZEN_ERR_NOMEM;
        y--;
    }
}

/* Whether every present zone <= max_zone has a direct map (for ZERO). */
/*@ requires zen_zone_set_valid(s) && max_zone < ZEN_ZONE_COUNT;
    assigns \nothing;
    ensures \result != 0 <==> \forall integer z; 0 <= z <= max_zone ==>
      s->zone[z].present == 0 || s->zone[z].pages.memory != \null;
 */
static int zen_zone_direct_maps(const zen_zone_set *s, unsigned max_zone)
{
    /*@ loop invariant 0 <= z <= max_zone + 1;
        loop invariant \forall integer y; 0 <= y < z ==>
          s->zone[y].present == 0 || s->zone[y].pages.memory != \null;
        loop assigns z;
        loop variant max_zone + 1 - z; */
    for (unsigned z = 0; z <= max_zone; z++) {
        if (s->zone[z].present && s->zone[z].pages.memory == 0)
            return 0;
    }
    return 1;
}

/* Allocate from present zone z, which can serve the request, through its
 * page allocator. The other zones are not touched, so the set stays valid
 * when zone z does (lemma zen_zone_set_kept). */
/*@ requires zen_zone_set_valid(s) && z < ZEN_ZONE_COUNT && s->zone[z].present != 0;
    requires \valid(pfn) && \separated(pfn, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    requires s->zone[z].pages.memory != \null ==>
      \separated(pfn, s->zone[z].pages.memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    requires !zen_page_bad_request(&s->zone[z].pages, order, page_flags);
    requires \exists integer k; order <= k <= ZEN_PAGE_MAX_ORDER && s->zone[z].pages.stats.free_blocks[k] != 0;
    assigns *pfn, s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1], s->zone[z].pages.stats,
            s->zone[z].pages.memory[0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1];
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==> zen_zone_set_valid(s);
    ensures \result == ZEN_OK ==>
      \let a = &s->zone[z].pages;
      a->start <= *pfn && *pfn - a->start + zen_block_size(order) <= a->nframes &&
      zen_aligned(*pfn, order) &&
      a->frames[*pfn - a->start].state == ZEN_FRAME_ALLOCATED &&
      a->frames[*pfn - a->start].order == order &&
      a->stats.free_frames == (uint64_t)(\old(a->stats.free_frames) - zen_block_size(order));
 */
static zen_status zen_zone_alloc_from(zen_zone_set *s, unsigned z, unsigned order, unsigned page_flags,
                                      zen_pfn *pfn)
{
    /*@ assert zen_zone_ok(s, z) && zen_zone_carved(s, z); */
    /*@ assert \separated(s, s->zone[z].pages.frames + (0 .. s->zone[z].pages.nframes - 1),
                          s->zone[z].pages.words + (0 .. s->zone[z].pages.nwords - 1)); */
    /*@ assert \separated(pfn, &s->zone[z].pages, s->zone[z].pages.frames + (0 .. s->zone[z].pages.nframes - 1),
                          s->zone[z].pages.words + (0 .. s->zone[z].pages.nwords - 1)); */
    /*@ assert \separated(s, s->zone[z].pages.memory +
                          (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)); */
    /*@ assert \forall integer y; 0 <= y < ZEN_ZONE_COUNT ==>
          \separated(&s->zone[y], s->zone[z].pages.memory +
                     (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)); */
    /*@ assert \separated(&s->nframes, s->zone[z].pages.memory +
                     (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)); */
    /*@ assert \separated(&s->nwords, s->zone[z].pages.memory +
                     (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)); */
    /*@ assert slice_apart: \forall integer i; 0 <= i < s->nframes &&
          (i < s->zone[z].frame_off || i >= s->zone[z].frame_off + s->zone[z].pages.nframes) ==>
          \separated(s->frames + i, s->zone[z].pages.frames + (0 .. s->zone[z].pages.nframes - 1)); */
    /* The page allocator answers into a local, outside everything the set
     * reads; *pfn is written last (zen_zone_put_pfn). Below, one assert per
     * zone and field group keeps each framing goal small. */
    zen_pfn got = 0;
    zen_status st = zen_page_alloc(&s->zone[z].pages, order, page_flags, &got) == ZEN_OK ? ZEN_OK : ZEN_ERR_CORRUPT;
    /*@ assert \at(s->frames, Pre) == s->frames && \at(s->nframes, Pre) == s->nframes &&
          \at(s->words, Pre) == s->words && \at(s->nwords, Pre) == s->nwords; */
    /*@ assert \at(s->zone[0].present, Pre) == s->zone[0].present &&
          \at(s->zone[0].frame_off, Pre) == s->zone[0].frame_off &&
          \at(s->zone[0].word_off, Pre) == s->zone[0].word_off; */
    /*@ assert \at(s->zone[1].present, Pre) == s->zone[1].present &&
          \at(s->zone[1].frame_off, Pre) == s->zone[1].frame_off &&
          \at(s->zone[1].word_off, Pre) == s->zone[1].word_off; */
    /*@ assert \at(s->zone[2].present, Pre) == s->zone[2].present &&
          \at(s->zone[2].frame_off, Pre) == s->zone[2].frame_off &&
          \at(s->zone[2].word_off, Pre) == s->zone[2].word_off; */
    /*@ assert \at(s->zone[0].pages.start, Pre) == s->zone[0].pages.start &&
          \at(s->zone[0].pages.nframes, Pre) == s->zone[0].pages.nframes &&
          \at(s->zone[0].pages.nwords, Pre) == s->zone[0].pages.nwords; */
    /*@ assert \at(s->zone[1].pages.start, Pre) == s->zone[1].pages.start &&
          \at(s->zone[1].pages.nframes, Pre) == s->zone[1].pages.nframes &&
          \at(s->zone[1].pages.nwords, Pre) == s->zone[1].pages.nwords; */
    /*@ assert \at(s->zone[2].pages.start, Pre) == s->zone[2].pages.start &&
          \at(s->zone[2].pages.nframes, Pre) == s->zone[2].pages.nframes &&
          \at(s->zone[2].pages.nwords, Pre) == s->zone[2].pages.nwords; */
    /*@ assert \at(s->zone[0].pages.frames, Pre) == s->zone[0].pages.frames &&
          \at(s->zone[0].pages.words, Pre) == s->zone[0].pages.words &&
          \at(s->zone[0].pages.memory, Pre) == s->zone[0].pages.memory; */
    /*@ assert \at(s->zone[1].pages.frames, Pre) == s->zone[1].pages.frames &&
          \at(s->zone[1].pages.words, Pre) == s->zone[1].pages.words &&
          \at(s->zone[1].pages.memory, Pre) == s->zone[1].pages.memory; */
    /*@ assert \at(s->zone[2].pages.frames, Pre) == s->zone[2].pages.frames &&
          \at(s->zone[2].pages.words, Pre) == s->zone[2].pages.words &&
          \at(s->zone[2].pages.memory, Pre) == s->zone[2].pages.memory; */
    /*@ assert \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
          \at(s->zone[0].pages.tree[k].levels, Pre) == s->zone[0].pages.tree[k].levels; */
    /*@ assert \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
          \at(s->zone[1].pages.tree[k].levels, Pre) == s->zone[1].pages.tree[k].levels; */
    /*@ assert \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
          \at(s->zone[2].pages.tree[k].levels, Pre) == s->zone[2].pages.tree[k].levels; */
    /*@ assert \forall integer k, l;
          0 <= k <= ZEN_PAGE_MAX_ORDER && 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
          \at(s->zone[0].pages.tree[k].offset[l], Pre) == s->zone[0].pages.tree[k].offset[l] &&
          \at(s->zone[0].pages.tree[k].length[l], Pre) == s->zone[0].pages.tree[k].length[l]; */
    /*@ assert \forall integer k, l;
          0 <= k <= ZEN_PAGE_MAX_ORDER && 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
          \at(s->zone[1].pages.tree[k].offset[l], Pre) == s->zone[1].pages.tree[k].offset[l] &&
          \at(s->zone[1].pages.tree[k].length[l], Pre) == s->zone[1].pages.tree[k].length[l]; */
    /*@ assert \forall integer k, l;
          0 <= k <= ZEN_PAGE_MAX_ORDER && 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
          \at(s->zone[2].pages.tree[k].offset[l], Pre) == s->zone[2].pages.tree[k].offset[l] &&
          \at(s->zone[2].pages.tree[k].length[l], Pre) == s->zone[2].pages.tree[k].length[l]; */
    /*@ assert frames_below: \forall integer i; 0 <= i < \at(s->zone[z].frame_off, Pre) ==>
          \at(s->frames[i].state, Pre) == s->frames[i].state &&
          \at(s->frames[i].order, Pre) == s->frames[i].order; */
    /*@ assert frames_above: \forall integer i;
          \at(s->zone[z].frame_off + s->zone[z].pages.nframes, Pre) <= i < \at(s->nframes, Pre) ==>
          \at(s->frames[i].state, Pre) == s->frames[i].state &&
          \at(s->frames[i].order, Pre) == s->frames[i].order; */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[0].pages); */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[1].pages); */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[2].pages); */
    /*@ assert zen_zone_others_same{Pre, Here}(s, z); */
    /*@ assert \valid(s) && \valid(s->frames + (0 .. s->nframes - 1)) &&
          \valid(s->words + (0 .. s->nwords - 1)); */
    /*@ assert \forall integer y; 0 <= y < ZEN_ZONE_COUNT && s->zone[y].present != 0 &&
          s->zone[y].pages.memory != \null ==>
          \valid(s->zone[y].pages.memory + (0 .. s->zone[y].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)); */
    /*@ assert st == ZEN_OK ==> zen_zone_ok(s, z); */
    /*@ assert st == ZEN_OK ==> zen_zone_set_valid(s); */
    if (st == ZEN_OK)
        zen_zone_put_pfn(s, pfn, got);
    return st;
}

zen_status zen_zone_alloc(zen_zone_set *s, unsigned max_zone, unsigned order, unsigned flags,
                          zen_pfn *pfn)
{
    zen_status st;
    unsigned z = 0;
    zen_hooks_enter(&s->hooks);
    if (max_zone > ZEN_ZONE_NORMAL || order > ZEN_PAGE_MAX_ORDER || flags > ZEN_ZONE_FLAGS_ALL ||
        ((flags & ZEN_ZONE_ZERO) != 0u && !zen_zone_direct_maps(s, max_zone))) {
        st = zen_zone_reject(s, ZEN_ERR_INVAL);
    } else if (zen_zone_pick(s, max_zone, order, flags, &z) != ZEN_OK) {
        zen_zone_count(s, &s->stats.oom_count);
        st = ZEN_ERR_NOMEM;
    } else {
        const zen_zone *zone = &s->zone[z];
        uint64_t free_frames = zone->pages.stats.free_frames;
        /* Only an atomic request may take the zone below min (zen_zone_pick). */
        int below_min = free_frames < zone->min || free_frames - zone->min < ((uint64_t)1 << order);
        unsigned page_flags = (flags & ZEN_ZONE_ZERO) != 0u ? ZEN_PAGE_FLAG_ZERO : 0u;
        /*@ assert z == 0 || z == 1 || z == 2; */
        /* The page allocator's preconditions, for the zone picked. */
        /*@ assert s->zone[z].pages.memory != \null ==>
              \separated(pfn, s->zone[z].pages.memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)); */
        /*@ assert (flags & ZEN_ZONE_ZERO) != 0 ==> s->zone[z].pages.memory != \null; */
        /*@ assert order <= ZEN_PAGE_MAX_ORDER && page_flags <= ZEN_PAGE_FLAGS_ALL; */
        /*@ assert (page_flags & ZEN_PAGE_FLAG_ZERO) != 0 ==> s->zone[z].pages.memory != \null; */
        /*@ assert !zen_page_bad_request(&s->zone[z].pages, order, page_flags); */
        /*@ assert \exists integer k; order <= k <= ZEN_PAGE_MAX_ORDER &&
              s->zone[z].pages.stats.free_blocks[k] != 0; */
        st = zen_zone_alloc_from(s, z, order, page_flags, pfn);
        /*@ assert st == ZEN_OK ==> zen_zone_holds(s, z, *pfn) && zen_zone_of(*pfn) == z; */
        /* Served requests only: a zone that can serve always does unless
         * its metadata is corrupt. */
        if (st == ZEN_OK && z < max_zone)
            zen_zone_count(s, &s->stats.fallbacks);
        if (st == ZEN_OK && below_min)
            zen_zone_count(s, &s->stats.atomic_reserve);
        /* The block, carried across the counter writes. */
        /*@ assert st == ZEN_OK ==> zen_zone_of(*pfn) == z && zen_zone_holds(s, z, *pfn); */
        /*@ assert st == ZEN_OK ==> z <= max_zone && zen_aligned(*pfn, order) &&
              *pfn - s->zone[z].pages.start + zen_block_size(order) <= s->zone[z].pages.nframes &&
              zen_is_state(&s->zone[z].pages, *pfn, ZEN_FRAME_ALLOCATED) &&
              s->zone[z].pages.frames[*pfn - s->zone[z].pages.start].order == order; */
    }
    zen_hooks_leave(&s->hooks);
    return st;
}

/* The zone that holds pfn, if any: only the zone of pfn's address can. */
/*@ requires zen_zone_set_valid(s) && \valid(z) && \separated(z, s);
    assigns *z;
    ensures *z == zen_zone_of(pfn);
    ensures \result != 0 <==> zen_zone_holds(s, *z, pfn);
    ensures \result == 0 ==> \forall integer y; 0 <= y < ZEN_ZONE_COUNT ==> !zen_zone_holds(s, y, pfn);
 */
static int zen_zone_find(const zen_zone_set *s, zen_pfn pfn, unsigned *z)
{
    unsigned y = zen_zone_index(pfn);
    *z = y;
    return s->zone[y].present && zen_pfn_inside(&s->zone[y].pages, pfn);
}

zen_status zen_zone_free(zen_zone_set *s, zen_pfn pfn, unsigned order)
{
    zen_status st;
    unsigned z = 0;
    zen_hooks_enter(&s->hooks);
    if (order > ZEN_PAGE_MAX_ORDER) {
        st = zen_zone_reject(s, ZEN_ERR_INVAL);
    } else if (!zen_zone_find(s, pfn, &z)) {
        st = zen_zone_reject(s, ZEN_ERR_RANGE);
    } else {
        /*@ assert zen_zone_ok(s, z) && zen_zone_carved(s, z) && s->zone[z].present != 0; */
        st = zen_page_free(&s->zone[z].pages, pfn, order);
        /* The other zones are not touched: the set stays valid when zone z
         * does (lemma zen_zone_set_kept). */
        /*@ assert \at(s->frames, Pre) == s->frames && \at(s->nframes, Pre) == s->nframes &&
              \at(s->words, Pre) == s->words && \at(s->nwords, Pre) == s->nwords; */
        /*@ assert \forall integer y; 0 <= y < ZEN_ZONE_COUNT ==>
              \at(s->zone[y].present, Pre) == s->zone[y].present &&
              \at(s->zone[y].frame_off, Pre) == s->zone[y].frame_off &&
              \at(s->zone[y].word_off, Pre) == s->zone[y].word_off &&
              \at(s->zone[y].pages.start, Pre) == s->zone[y].pages.start &&
              \at(s->zone[y].pages.nframes, Pre) == s->zone[y].pages.nframes &&
              \at(s->zone[y].pages.nwords, Pre) == s->zone[y].pages.nwords &&
              \at(s->zone[y].pages.frames, Pre) == s->zone[y].pages.frames &&
              \at(s->zone[y].pages.words, Pre) == s->zone[y].pages.words &&
              \at(s->zone[y].pages.memory, Pre) == s->zone[y].pages.memory; */
        /*@ assert \forall integer y, k; 0 <= y < ZEN_ZONE_COUNT && 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
              \at(s->zone[y].pages.tree[k].levels, Pre) == s->zone[y].pages.tree[k].levels; */
        /*@ assert \forall integer y, k, l; 0 <= y < ZEN_ZONE_COUNT &&
              0 <= k <= ZEN_PAGE_MAX_ORDER && 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
              \at(s->zone[y].pages.tree[k].offset[l], Pre) == s->zone[y].pages.tree[k].offset[l] &&
              \at(s->zone[y].pages.tree[k].length[l], Pre) == s->zone[y].pages.tree[k].length[l]; */
        /*@ assert frames_outside: \forall integer i; 0 <= i < s->nframes &&
              (i < s->zone[z].frame_off || i >= s->zone[z].frame_off + s->zone[z].pages.nframes) ==>
              \at(s->frames[i].state, Pre) == s->frames[i].state &&
              \at(s->frames[i].order, Pre) == s->frames[i].order; */
        /*@ assert zen_zone_others_same{Pre, Here}(s, z); */
        /*@ assert \valid(s) && \valid(s->frames + (0 .. s->nframes - 1)) &&
              \valid(s->words + (0 .. s->nwords - 1)); */
        /*@ assert \forall integer y; 0 <= y < ZEN_ZONE_COUNT && s->zone[y].present != 0 &&
              s->zone[y].pages.memory != \null ==>
              \valid(s->zone[y].pages.memory + (0 .. s->zone[y].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)); */
        /*@ assert st != ZEN_ERR_CORRUPT ==> zen_zone_ok(s, z); */
        /*@ assert st != ZEN_ERR_CORRUPT ==> zen_zone_set_valid(s); */
    }
    zen_hooks_leave(&s->hooks);
    return st;
}

/* ---- queries ----------------------------------------------------------------- */

zen_status zen_zone_watermark(const zen_zone_set *s, unsigned z, unsigned *level)
{
    if (z >= ZEN_ZONE_COUNT || !s->zone[z].present)
        return ZEN_ERR_INVAL;
    const zen_zone *zone = &s->zone[z];
    uint64_t f = zone->pages.stats.free_frames;
    if (f < zone->min)
        *level = ZEN_LEVEL_BELOW_MIN;
    else if (f < zone->low)
        *level = ZEN_LEVEL_BELOW_LOW;
    else if (f < zone->high)
        *level = ZEN_LEVEL_BELOW_HIGH;
    else
        *level = ZEN_LEVEL_HIGH;
    return ZEN_OK;
}

zen_status zen_zone_stats(const zen_zone_set *s, unsigned z, zen_zone_info *info)
{
    if (z >= ZEN_ZONE_COUNT)
        return ZEN_ERR_INVAL;
    const zen_zone *zone = &s->zone[z];
    int present = zone->present != 0u;
    info->present = zone->present;
    info->start = present ? zone->pages.start : 0u;
    info->nframes = present ? zone->pages.nframes : 0u;
    info->managed = present ? zone->pages.stats.managed : 0u;
    info->free_frames = present ? zone->pages.stats.free_frames : 0u;
    info->min = zone->min;
    info->low = zone->low;
    info->high = zone->high;
    /*@ loop invariant 0 <= k <= ZEN_PAGE_MAX_ORDER + 1;
        loop invariant present ==> \forall integer j; 0 <= j < k ==>
          info->free_blocks[j] == zone->pages.stats.free_blocks[j];
        loop assigns k, info->free_blocks[0 .. ZEN_PAGE_MAX_ORDER];
        loop variant ZEN_PAGE_MAX_ORDER + 1 - k; */
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        info->free_blocks[k] = present ? zone->pages.stats.free_blocks[k] : 0u;
    return ZEN_OK;
}
