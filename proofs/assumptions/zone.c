/* The zone allocator's standing assumptions, each alone in a function of
 * its own, for the proof gate's smoke tests (see slab.c). */
#include "zen_zone.h"

/* A zone set, as every query and free assumes it. */
/*@ requires zen_zone_set_valid(s);
    assigns \nothing;
 */
void zen_assume_zones(zen_zone_set *s)
{
    (void)s;
}

/* A zone set and the caller's frame number, as zen_zone_alloc assumes them. */
/*@ requires zen_zone_set_valid(s) && \valid(pfn);
    requires \separated(pfn, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    requires \forall integer z; 0 <= z < ZEN_ZONE_COUNT && s->zone[z].present != 0 &&
      s->zone[z].pages.memory != \null ==>
      \separated(pfn, s->zone[z].pages.memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    assigns \nothing;
 */
void zen_assume_zone_alloc(zen_zone_set *s, zen_pfn *pfn)
{
    (void)s;
    (void)pfn;
}
