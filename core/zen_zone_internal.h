/* Memory-map reading shared by the zone builder (zen_zone.c) and the map
 * functions (zen_zone_map.c). Not part of the public API. */
#ifndef ZEN_ZONE_INTERNAL_H
#define ZEN_ZONE_INTERNAL_H

#include "zen_zone.h"

/* The map errors of zen_zone_plan, in its order: ZEN_ERR_CAPACITY, then the
 * first entry of length 0 (ZEN_ERR_INVAL) or past the top (ZEN_ERR_OVERFLOW). */
/*@ requires \valid_read(map + (0 .. capacity - 1));
    assigns \nothing;
    behavior too_many:
      assumes count > capacity;
      ensures \result == ZEN_ERR_CAPACITY;
    behavior malformed:
      assumes count <= capacity && !zen_map_well_formed(map, count);
      ensures \result == ZEN_ERR_INVAL || \result == ZEN_ERR_OVERFLOW;
    behavior well_formed:
      assumes count <= capacity && zen_map_well_formed(map, count);
      ensures \result == ZEN_OK;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_map_validate(const zen_mem_range *map, uint64_t count, uint64_t capacity);

/* One past the last frame of the zone that holds pfn. */
/*@ assigns \nothing;
    ensures \result == zen_zone_end(zen_zone_of(pfn));
 */
zen_pfn zen_zone_limit(zen_pfn pfn);

/* The zone that holds pfn (enum zen_zone_id). */
/*@ assigns \nothing;
    ensures \result == zen_zone_of(pfn);
    ensures zen_zone_first(\result) <= pfn;
    ensures pfn < ZEN_PFN_LIMIT ==> pfn < zen_zone_end(\result);
 */
unsigned zen_zone_index(zen_pfn pfn);

/* The run of frames that starts at pos: frames [pos, *end) all in pos's zone
 * and all usable or all not (the answer, non-zero for usable). */
/*@ requires \valid_read(map + (0 .. count - 1)) && zen_map_well_formed(map, count);
    requires pos < ZEN_PFN_LIMIT && \valid(end) && \separated(end, map + (0 .. count - 1));
    assigns *end;
    ensures pos < *end <= zen_zone_end(zen_zone_of(pos));
    ensures \forall integer p; pos <= p < *end ==> zen_zone_of(p) == zen_zone_of(pos);
    ensures \result != 0 ==> \forall integer p; pos <= p < *end ==> zen_map_usable(map, count, p);
    ensures \result == 0 ==> \forall integer p; pos <= p < *end ==> !zen_map_usable(map, count, p);
 */
int zen_map_run(const zen_mem_range *map, uint64_t count, zen_pfn pos, zen_pfn *end);

#endif
