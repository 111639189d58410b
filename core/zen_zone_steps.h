/* Proof steps of the zones themselves (zen_zone.c), from one zone's work
 * to the whole set. Only zen_zone.c includes this header: in other files'
 * goals the lemmas cost the provers time (the map reading's lemma goal
 * among them) and serve no proof. Not part of the public API. */
#ifndef ZEN_ZONE_STEPS_H
#define ZEN_ZONE_STEPS_H

#include "zen_zone.h"

/*@ // A valid set's zone y, apart from zone z, reads the same while only
    // z's allocator works: the case split over the pairs of zones, on its own.
    lemma zen_zone_other_same{L1, L2}: \forall zen_zone_set *s, integer z, integer y;
      0 <= z < ZEN_ZONE_COUNT && 0 <= y < ZEN_ZONE_COUNT && y != z &&
      \at(s->zone[z].present, L1) != 0 && \at(s->zone[y].present, L1) != 0 &&
      zen_zone_set_valid{L1}(s) && zen_zone_others_same{L1, L2}(s, z) ==>
      zen_zone_same{L1, L2}(s, y);

    // A zone other than z stays well formed while only z's allocator works.
    lemma zen_zone_other_ok{L1, L2}: \forall zen_zone_set *s, integer z, integer y;
      0 <= z < ZEN_ZONE_COUNT && 0 <= y < ZEN_ZONE_COUNT && y != z &&
      \at(s->zone[z].present, L1) != 0 && zen_zone_set_valid{L1}(s) &&
      zen_zone_others_same{L1, L2}(s, z) &&
      \valid{L2}(s) && \valid{L2}(\at(s->frames, L1) + (0 .. \at(s->nframes, L1) - 1)) &&
      \valid{L2}(\at(s->words, L1) + (0 .. \at(s->nwords, L1) - 1)) &&
      (\at(s->zone[y].present, L1) != 0 && \at(s->zone[y].pages.memory, L1) != \null ==>
        \valid{L2}(\at(s->zone[y].pages.memory, L1) +
                   (0 .. \at(s->zone[y].pages.nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) ==>
      zen_zone_ok{L2}(s, y);

    // So the whole set stays valid once zone z itself is.
    lemma zen_zone_set_kept{L1, L2}: \forall zen_zone_set *s, integer z;
      0 <= z < ZEN_ZONE_COUNT && \at(s->zone[z].present, L1) != 0 &&
      zen_zone_set_valid{L1}(s) && zen_zone_others_same{L1, L2}(s, z) && zen_zone_ok{L2}(s, z) &&
      \valid{L2}(s) && \valid{L2}(\at(s->frames, L1) + (0 .. \at(s->nframes, L1) - 1)) &&
      \valid{L2}(\at(s->words, L1) + (0 .. \at(s->nwords, L1) - 1)) &&
      (\forall integer y; 0 <= y < ZEN_ZONE_COUNT &&
        \at(s->zone[y].present, L1) != 0 && \at(s->zone[y].pages.memory, L1) != \null ==>
        \valid{L2}(\at(s->zone[y].pages.memory, L1) +
                   (0 .. \at(s->zone[y].pages.nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) ==>
      zen_zone_set_valid{L2}(s);
*/

#endif
