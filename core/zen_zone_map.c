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
        loop invariant \forall integer j; 0 <= j < i ==>
          (zen_range_first(map[j]) > pos ==> next <= zen_range_first(map[j])) &&
          (zen_range_end(map[j]) > pos ==> next <= zen_range_end(map[j]));
        loop invariant in_usable != 0 <==>
          (\exists integer j; 0 <= j < i && map[j].type == ZEN_MEM_USABLE && zen_range_covers(map[j], pos));
        loop invariant in_other != 0 <==>
          (\exists integer j; 0 <= j < i && map[j].type != ZEN_MEM_USABLE && zen_range_covers(map[j], pos));
        loop assigns i, next, in_usable, in_other;
        loop variant count - i; */
    for (uint64_t i = 0; i < count; i++) {
        zen_pfn first = zen_range_first_pfn(&map[i]);
        zen_pfn stop = zen_range_end_pfn(&map[i]);
        if (first > pos && first < next)
            next = first;
        if (stop > pos && stop < next)
            next = stop;
        if (first <= pos && pos < stop) {
            if (map[i].type == ZEN_MEM_USABLE)
                in_usable = 1;
            else
                in_other = 1;
        }
    }
    /*@ assert \forall integer j, p; 0 <= j < count && pos <= p < next ==>
          (zen_range_covers(map[j], p) <==> zen_range_covers(map[j], pos)); */
    *end = next;
    return pos != 0u && in_usable != 0 && in_other == 0;
}

zen_status zen_zone_plan(const zen_mem_range *map, uint64_t count, uint64_t capacity,
                         zen_zone_layout *plan)
{
    zen_status st = zen_map_validate(map, count, capacity);
    if (st != ZEN_OK)
        return st;
    zen_pfn first[ZEN_ZONE_COUNT] = {0, 0, 0};
    zen_pfn stop[ZEN_ZONE_COUNT] = {0, 0, 0};
    zen_pfn pos = 0;
    /*@ loop invariant 0 <= pos <= ZEN_PFN_LIMIT;
        loop invariant \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==>
          (stop[z] != 0 ==> zen_zone_first(z) <= first[z] < stop[z] <= zen_zone_end(z) &&
                            stop[z] <= pos && zen_map_usable(map, count, first[z]));
        loop invariant \forall integer p; 0 <= p < pos && zen_map_usable(map, count, p) ==>
          first[zen_zone_of(p)] <= p < stop[zen_zone_of(p)];
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
    /*@ loop invariant 0 <= z <= ZEN_ZONE_COUNT;
        loop invariant \forall integer y; 0 <= y < z ==> stop[y] - first[y] <= ZEN_PAGE_MAX_FRAMES;
        loop assigns z;
        loop variant ZEN_ZONE_COUNT - z; */
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if (stop[z] - first[z] > ZEN_PAGE_MAX_FRAMES)
            return ZEN_ERR_RANGE;
    }
    uint64_t words[ZEN_ZONE_COUNT] = {0, 0, 0};
    uint64_t total = 0;
    /*@ loop invariant 0 <= z <= ZEN_ZONE_COUNT;
        loop assigns z, total, words[0 .. ZEN_ZONE_COUNT - 1];
        loop variant ZEN_ZONE_COUNT - z; */
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if (stop[z] != 0u)
            words[z] = zen_page_bitmap_words(first[z], stop[z] - first[z]);
        /* A zone of at most 2^32 frames needs about 2^27 words; never more
         * than 2^64 in all. */
        if (words[z] > UINT64_MAX - total)
            return ZEN_ERR_RANGE;
        total += words[z];
    }
    /*@ loop invariant 0 <= z <= ZEN_ZONE_COUNT;
        loop invariant \forall integer y; 0 <= y < z ==>
          plan->start[y] == first[y] && plan->nframes[y] == stop[y] - first[y];
        loop assigns z, plan->start[0 .. ZEN_ZONE_COUNT - 1],
                     plan->nframes[0 .. ZEN_ZONE_COUNT - 1], plan->nwords[0 .. ZEN_ZONE_COUNT - 1];
        loop variant ZEN_ZONE_COUNT - z; */
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        plan->start[z] = first[z];
        plan->nframes[z] = stop[z] - first[z];
        plan->nwords[z] = words[z];
    }
    plan->frames_needed = (stop[0] - first[0]) + (stop[1] - first[1]) + (stop[2] - first[2]);
    plan->words_needed = total;
    return ZEN_OK;
}
