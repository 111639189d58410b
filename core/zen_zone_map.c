/* Zen zone allocator, first half: reading the firmware memory map.
 * See zen_zone.h for the rules; zen_zone.c builds and runs the zones. */
#include "zen_zone_internal.h"

/* First frame an entry speaks for: usable entries round their base up to a
 * page boundary, all others round it down. */
/*@ requires \valid_read(r);
    assigns \nothing;
    ensures \result == zen_range_first(*r);
 */
static zen_pfn zen_range_first_pfn(const zen_mem_range *r)
{
    zen_pfn first = r->base / ZEN_PAGE_SIZE;
    if (r->type == ZEN_MEM_USABLE && r->base % ZEN_PAGE_SIZE != 0u)
        first++;
    return first;
}

/* One past the last frame an entry speaks for: usable entries round their
 * end down to a page boundary, all others round it up. Computed from the
 * last byte, which a well-formed entry keeps below 2^64. */
/*@ requires \valid_read(r) && r->length != 0 && r->base + r->length <= 0x10000000000000000;
    assigns \nothing;
    ensures \result == zen_range_end(*r);
    ensures \result <= ZEN_PFN_LIMIT;
 */
static zen_pfn zen_range_end_pfn(const zen_mem_range *r)
{
    uint64_t last = r->base + (r->length - 1u);
    zen_pfn end = last / ZEN_PAGE_SIZE;
    if (r->type != ZEN_MEM_USABLE || last % ZEN_PAGE_SIZE == ZEN_PAGE_SIZE - 1u)
        end++;
    return end;
}

zen_status zen_map_validate(const zen_mem_range *map, uint64_t count, uint64_t capacity)
{
    if (count > capacity)
        return ZEN_ERR_CAPACITY;
    /*@ loop invariant 0 <= i <= count;
        loop invariant zen_map_well_formed(map, i);
        loop assigns i;
        loop variant count - i; */
    for (uint64_t i = 0; i < count; i++) {
        if (map[i].length == 0u)
            return ZEN_ERR_INVAL;
        if (map[i].length - 1u > UINT64_MAX - map[i].base)
            return ZEN_ERR_OVERFLOW;
    }
    return ZEN_OK;
}

zen_pfn zen_zone_limit(zen_pfn pfn)
{
    if (pfn < ZEN_ZONE_DMA32_START)
        return ZEN_ZONE_DMA32_START;
    if (pfn < ZEN_ZONE_NORMAL_START)
        return ZEN_ZONE_NORMAL_START;
    return ZEN_PFN_LIMIT;
}

unsigned zen_zone_index(zen_pfn pfn)
{
    if (pfn < ZEN_ZONE_DMA32_START)
        return ZEN_ZONE_DMA;
    if (pfn < ZEN_ZONE_NORMAL_START)
        return ZEN_ZONE_DMA32;
    return ZEN_ZONE_NORMAL;
}

/*@ // The run that starts at pos and ends at next does not straddle a
    // boundary of r: r starts and ends at or after next, or at or before pos.
    predicate zen_run_stops_for(zen_mem_range r, integer pos, integer next) =
      (zen_range_first(r) > pos ==> next <= zen_range_first(r)) &&
      (zen_range_end(r) > pos ==> next <= zen_range_end(r));

    lemma zen_run_stops_sooner: \forall zen_mem_range r, integer pos, next, sooner;
      zen_run_stops_for(r, pos, next) && sooner <= next ==> zen_run_stops_for(r, pos, sooner);

    // So r covers every frame of such a run or none.
    lemma zen_run_uniform: \forall zen_mem_range r, integer pos, next, p;
      zen_run_stops_for(r, pos, next) && pos <= p < next ==>
        (zen_range_covers(r, p) <==> zen_range_covers(r, pos));
 */

/* next, lowered to the first boundary of *r after pos if one comes sooner. */
/*@ requires \valid_read(r) && r->length != 0 && r->base + r->length <= 0x10000000000000000;
    requires pos < next;
    assigns \nothing;
    ensures pos < \result <= next;
    ensures zen_run_stops_for(*r, pos, \result);
 */
static zen_pfn zen_run_clip(const zen_mem_range *r, zen_pfn pos, zen_pfn next)
{
    zen_pfn first = zen_range_first_pfn(r);
    zen_pfn stop = zen_range_end_pfn(r);
    if (first > pos && first < next)
        next = first;
    if (stop > pos && stop < next)
        next = stop;
    return next;
}

/* Whether *r covers frame pos. */
/*@ requires \valid_read(r) && r->length != 0 && r->base + r->length <= 0x10000000000000000;
    assigns \nothing;
    ensures \result != 0 <==> zen_range_covers(*r, pos);
 */
static int zen_range_holds(const zen_mem_range *r, zen_pfn pos)
{
    return zen_range_first_pfn(r) <= pos && pos < zen_range_end_pfn(r);
}

/* The run starts at pos and ends at the first entry boundary after it (or the
 * zone limit, or frame 1 after frame 0): no entry starts or ends strictly
 * inside, so every frame of the run is classified as pos is. */
int zen_map_run(const zen_mem_range *map, uint64_t count, zen_pfn pos, zen_pfn *end)
{
    zen_pfn next = pos == 0u ? 1u : zen_zone_limit(pos);
    int in_usable = 0;
    int in_other = 0;
    /*@ loop invariant 0 <= i <= count;
        loop invariant pos < next <= zen_zone_end(zen_zone_of(pos));
        loop invariant pos == 0 ==> next == 1;
        loop invariant \forall integer j; 0 <= j < i ==> zen_run_stops_for(map[j], pos, next);
        loop invariant in_usable != 0 <==>
          (\exists integer j; 0 <= j < i && map[j].type == ZEN_MEM_USABLE && zen_range_covers(map[j], pos));
        loop invariant in_other != 0 <==>
          (\exists integer j; 0 <= j < i && map[j].type != ZEN_MEM_USABLE && zen_range_covers(map[j], pos));
        loop assigns i, next, in_usable, in_other;
        loop variant count - i; */
    for (uint64_t i = 0; i < count; i++) {
        /*@ ghost zen_pfn before = next; */
        next = zen_run_clip(&map[i], pos, next);
        /*@ assert \forall integer j; 0 <= j < i ==> zen_run_stops_for(map[j], pos, before); */
        /*@ assert \forall integer j; 0 <= j <= i ==> zen_run_stops_for(map[j], pos, next); */
        if (zen_range_holds(&map[i], pos)) {
            if (map[i].type == ZEN_MEM_USABLE)
                in_usable = 1;
            else
                in_other = 1;
        }
    }
    /*@ assert \forall integer j, p; 0 <= j < count && pos <= p < next ==>
          (zen_range_covers(map[j], p) <==> zen_range_covers(map[j], pos)); */
    *end = next;
    int usable = pos != 0u && in_usable != 0 && in_other == 0;
    return usable;
}

zen_status zen_zone_plan(const zen_mem_range *map, uint64_t count, uint64_t capacity,
                         zen_zone_layout *plan)
{
    zen_status st = zen_map_validate(map, count, capacity);
    if (st != ZEN_OK)
        return st;
    /* First usable frame and one past the last, per zone; stop 0: none. */
    zen_pfn first[ZEN_ZONE_COUNT] = {0, 0, 0};
    zen_pfn stop[ZEN_ZONE_COUNT] = {0, 0, 0};
    zen_pfn pos = 0;
    /*@ loop invariant 0 <= pos <= ZEN_PFN_LIMIT;
        loop invariant \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==>
          (stop[z] == 0 ==> first[z] == 0) &&
          (stop[z] != 0 ==> zen_zone_first(z) <= first[z] < stop[z] <= zen_zone_end(z) &&
                            stop[z] <= pos && zen_map_usable(map, count, first[z]));
        loop invariant \forall integer z, p; 0 <= p < pos && zen_zone_of(p) == z &&
          zen_map_usable(map, count, p) ==> first[z] <= p < stop[z];
        loop assigns pos, first[0 .. ZEN_ZONE_COUNT - 1], stop[0 .. ZEN_ZONE_COUNT - 1];
        loop variant ZEN_PFN_LIMIT - pos; */
    while (pos < ZEN_PFN_LIMIT) {
        zen_pfn end;
        if (zen_map_run(map, count, pos, &end)) {
            unsigned z = zen_zone_index(pos);
            if (stop[z] == 0u)
                first[z] = pos;
            stop[z] = end;
        }
        pos = end;
    }
    if (stop[0] == 0u && stop[1] == 0u && stop[2] == 0u)
        return ZEN_ERR_NO_USABLE;
    zen_zone_layout out;
    uint64_t words = 0;
    /*@ loop invariant 0 <= z <= ZEN_ZONE_COUNT;
        loop invariant \forall integer y; 0 <= y < z ==>
          out.start[y] == first[y] && out.nframes[y] == stop[y] - first[y] &&
          out.nframes[y] <= ZEN_PAGE_MAX_FRAMES;
        loop invariant words == (z > 0 ? out.nwords[0] : 0) + (z > 1 ? out.nwords[1] : 0) +
                                (z > 2 ? out.nwords[2] : 0);
        loop assigns z, words, out.start[0 .. ZEN_ZONE_COUNT - 1], out.nframes[0 .. ZEN_ZONE_COUNT - 1],
                     out.nwords[0 .. ZEN_ZONE_COUNT - 1];
        loop variant ZEN_ZONE_COUNT - z; */
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        uint64_t n = stop[z] - first[z];
        if (n > ZEN_PAGE_MAX_FRAMES)
            return ZEN_ERR_RANGE;
        uint64_t w = n == 0u ? 0u : zen_page_bitmap_words(first[z], n);
        /* A zone of at most 2^32 frames needs about 2^27 words: never more
         * than 2^64 in all. */
        if (w > UINT64_MAX - words)
            return ZEN_ERR_RANGE;
        out.start[z] = first[z];
        out.nframes[z] = n;
        out.nwords[z] = w;
        words += w;
    }
    out.frames_needed = out.nframes[0] + out.nframes[1] + out.nframes[2];
    out.words_needed = words;
    *plan = out;
    return ZEN_OK;
}
