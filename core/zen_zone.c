/* Zen zone allocator: building the zones and allocating from them. See
 * zen_zone.h for the contract. */
#include "zen_zone_steps.h"
#include "zen_zone_internal.h"
#include "zen_page_internal.h"

/* ---- building -------------------------------------------------------------- */


/*@ // Where the plan puts zone z's slices: after those of the zones below it.
    logic integer zen_layout_frame_off(zen_zone_layout l, integer z) =
      (z > 0 ? l.nframes[0] : 0) + (z > 1 ? l.nframes[1] : 0) + (z > 2 ? l.nframes[2] : 0);
    logic integer zen_layout_word_off(zen_zone_layout l, integer z) =
      (z > 0 ? l.nwords[0] : 0) + (z > 1 ? l.nwords[1] : 0) + (z > 2 ? l.nwords[2] : 0);

    // Zone z is built as plan l lays it out, with every frame still reserved.
    predicate zen_zone_built(zen_zone_set *s, zen_zone_layout l, integer z) =
      zen_zone_ok(s, z) &&
      (s->zone[z].present != 0 <==> l.nframes[z] != 0) &&
      s->zone[z].frame_off == zen_layout_frame_off(l, z) &&
      s->zone[z].word_off == zen_layout_word_off(l, z) &&
      (s->zone[z].present != 0 ==>
        s->zone[z].pages.start == l.start[z] && s->zone[z].pages.nframes == l.nframes[z] &&
        s->zone[z].pages.nwords == l.nwords[z] && s->zone[z].pages.memory == \null &&
        \forall integer i; 0 <= i < s->zone[z].pages.nframes ==>
          s->zone[z].pages.frames[i].state == ZEN_FRAME_RESERVED);

    // Zone z, present or not, reads the same at L1 and L2.
    predicate zen_zone_kept{L1, L2}(zen_zone_set *s, integer z) =
      \at(s->zone[z].present, L1) == \at(s->zone[z].present, L2) &&
      \at(s->zone[z].frame_off, L1) == \at(s->zone[z].frame_off, L2) &&
      \at(s->zone[z].word_off, L1) == \at(s->zone[z].word_off, L2) &&
      (\at(s->zone[z].present, L1) != 0 ==> zen_zone_same{L1, L2}(s, z));

    lemma zen_zone_built_kept{L1, L2}: \forall zen_zone_set *s, zen_zone_layout l, integer z;
      0 <= z < ZEN_ZONE_COUNT && zen_zone_built{L1}(s, l, z) && zen_zone_kept{L1, L2}(s, z) &&
      \valid{L2}(s) && \valid{L2}(\at(s->frames, L1) + (0 .. \at(s->nframes, L1) - 1)) &&
      \valid{L2}(\at(s->words, L1) + (0 .. \at(s->nwords, L1) - 1)) ==>
      zen_zone_built{L2}(s, l, z);

    // Zone bounds do not overlap: a frame inside zone z's bounds is of zone z.
    lemma zen_zone_of_inside: \forall integer z, p;
      0 <= z < ZEN_ZONE_COUNT && zen_zone_first(z) <= p < zen_zone_end(z) ==> zen_zone_of(p) == z;

    // Two zones that each read the same stay apart.
    lemma zen_zones_apart_kept{L1, L2}: \forall zen_zone_set *s, integer y, z;
      zen_zone_same{L1, L2}(s, y) && zen_zone_same{L1, L2}(s, z) && zen_zones_apart{L1}(s, y, z) ==>
      zen_zones_apart{L2}(s, y, z);

    // The map reads the same at L1 and L2: it decides the same frames.
    predicate zen_map_same{L1, L2}(zen_mem_range *m, integer n) =
      \forall integer i; 0 <= i < n ==>
        \at(m[i].base, L1) == \at(m[i].base, L2) && \at(m[i].length, L1) == \at(m[i].length, L2) &&
        \at(m[i].type, L1) == \at(m[i].type, L2);

    lemma zen_map_usable_kept{L1, L2}: \forall zen_mem_range *m, integer n, p;
      zen_map_same{L1, L2}(m, n) ==> (zen_map_usable{L1}(m, n, p) <==> zen_map_usable{L2}(m, n, p));
    lemma zen_map_well_formed_kept{L1, L2}: \forall zen_mem_range *m, integer n;
      zen_map_same{L1, L2}(m, n) && zen_map_well_formed{L1}(m, n) ==> zen_map_well_formed{L2}(m, n);
 */

/* Zone z over [start, start + n) (absent for n 0), its descriptors and words
 * the slices of the set's at the given offsets, every frame reserved.
 * zen_page_init's contract does not name the length and direct map it
 * records, so they are checked: a mismatch would be ZEN_ERR_CORRUPT. */
/*@ requires \valid(s) && z < ZEN_ZONE_COUNT;
    requires \valid(s->frames + (0 .. s->nframes - 1)) && \valid(s->words + (0 .. s->nwords - 1));
    requires \separated(s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    requires n <= ZEN_PAGE_MAX_FRAMES;
    requires n != 0 ==> zen_zone_first(z) <= start && start + n <= zen_zone_end(z);
    requires frame_off + n <= s->nframes && word_off + nw <= s->nwords;
    // The zones below z are left as they are; their slices end before z's.
    requires z > 0 && s->zone[0].present != 0 ==>
      zen_zone_carved(s, 0) && s->zone[0].frame_off + s->zone[0].pages.nframes <= frame_off;
    requires z > 1 && s->zone[1].present != 0 ==>
      zen_zone_carved(s, 1) && s->zone[1].frame_off + s->zone[1].pages.nframes <= frame_off;
    assigns s->zone[z], s->frames[frame_off .. frame_off + n - 1], s->words[word_off .. word_off + nw - 1];
    ensures z > 0 ==> zen_zone_kept{Pre, Post}(s, 0);
    ensures z > 1 ==> zen_zone_kept{Pre, Post}(s, 1);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures s->frames == \old(s->frames) && s->nframes == \old(s->nframes) &&
            s->words == \old(s->words) && s->nwords == \old(s->nwords);
    ensures s->zone[z].present != 0 <==> n != 0;
    ensures s->zone[z].frame_off == frame_off && s->zone[z].word_off == word_off;
    ensures \result == ZEN_OK ==> zen_zone_ok(s, z);
    ensures \result == ZEN_OK ==> (s->zone[z].present != 0 ==>
        s->zone[z].pages.start == start && s->zone[z].pages.nframes == n &&
        s->zone[z].pages.nwords == nw && s->zone[z].pages.memory == \null &&
        \forall integer i; 0 <= i < n ==> s->zone[z].pages.frames[i].state == ZEN_FRAME_RESERVED);
 */
static zen_status zen_zone_setup(zen_zone_set *s, unsigned z, zen_pfn start, uint64_t n, uint64_t nw,
                                 uint64_t frame_off, uint64_t word_off)
{
    zen_zone *zone = &s->zone[z];
    zone->present = n != 0u;
    zone->frame_off = frame_off;
    zone->word_off = word_off;
    zone->min = 0;
    zone->low = 0;
    zone->high = 0;
    if (zone->present) {
        zen_page_frame *f = s->frames + frame_off;
        /*@ assert 0 < n <= ZEN_PAGE_MAX_FRAMES && start + n <= ZEN_PFN_LIMIT; */
        /*@ assert \separated(s, f + (0 .. n - 1), s->words + (word_off .. word_off + nw - 1)); */
        /*@ assert \separated(&zone->present, &zone->frame_off, &zone->word_off, &zone->pages); */
        /*@ assert present_apart: \separated(&zone->present, f + (0 .. n - 1)); */
        /*@ assert \forall integer i; 0 <= i < frame_off ==> \separated(s->frames + i, f + (0 .. n - 1)); */
        zen_status st = zen_page_init(&zone->pages, start, n, f, s->words + word_off, nw, 0, 0);
        /* What the call left alone: the fields of the zones below first, then
         * their descriptors. Each assert is a hypothesis of the ones after it,
         * and the quantified descriptor facts slow the field goals threefold. */
        /*@ assert present_kept: zone->present != 0; */
        /*@ assert zone->frame_off == frame_off; */
        /*@ assert zone->word_off == word_off; */
        /*@ assert s->frames == \at(s->frames, Pre) && s->nframes == \at(s->nframes, Pre) &&
                   s->words == \at(s->words, Pre) && s->nwords == \at(s->nwords, Pre); */
        /*@ assert z > 0 ==> \at(s->zone[0].present, Pre) == s->zone[0].present &&
              \at(s->zone[0].frame_off, Pre) == s->zone[0].frame_off &&
              \at(s->zone[0].word_off, Pre) == s->zone[0].word_off; */
        /*@ assert z > 0 ==>
              \at(s->zone[0].pages.start, Pre) == s->zone[0].pages.start &&
              \at(s->zone[0].pages.nframes, Pre) == s->zone[0].pages.nframes &&
              \at(s->zone[0].pages.nwords, Pre) == s->zone[0].pages.nwords &&
              \at(s->zone[0].pages.frames, Pre) == s->zone[0].pages.frames &&
              \at(s->zone[0].pages.words, Pre) == s->zone[0].pages.words &&
              \at(s->zone[0].pages.memory, Pre) == s->zone[0].pages.memory; */
        /*@ assert z > 0 ==> \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
              \at(s->zone[0].pages.tree[k].levels, Pre) == s->zone[0].pages.tree[k].levels; */
        /*@ assert z > 0 ==> \forall integer k, l; 0 <= k <= ZEN_PAGE_MAX_ORDER && 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
              \at(s->zone[0].pages.tree[k].offset[l], Pre) == s->zone[0].pages.tree[k].offset[l] &&
              \at(s->zone[0].pages.tree[k].length[l], Pre) == s->zone[0].pages.tree[k].length[l]; */
        /*@ assert z > 0 && \at(s->zone[0].present, Pre) != 0 ==> zen_page_same_shape{Pre, Here}(&s->zone[0].pages); */
        /*@ assert z > 1 ==> \at(s->zone[1].present, Pre) == s->zone[1].present &&
              \at(s->zone[1].frame_off, Pre) == s->zone[1].frame_off &&
              \at(s->zone[1].word_off, Pre) == s->zone[1].word_off; */
        /*@ assert z > 1 ==>
              \at(s->zone[1].pages.start, Pre) == s->zone[1].pages.start &&
              \at(s->zone[1].pages.nframes, Pre) == s->zone[1].pages.nframes &&
              \at(s->zone[1].pages.nwords, Pre) == s->zone[1].pages.nwords &&
              \at(s->zone[1].pages.frames, Pre) == s->zone[1].pages.frames &&
              \at(s->zone[1].pages.words, Pre) == s->zone[1].pages.words &&
              \at(s->zone[1].pages.memory, Pre) == s->zone[1].pages.memory; */
        /*@ assert z > 1 ==> \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
              \at(s->zone[1].pages.tree[k].levels, Pre) == s->zone[1].pages.tree[k].levels; */
        /*@ assert z > 1 ==> \forall integer k, l; 0 <= k <= ZEN_PAGE_MAX_ORDER && 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
              \at(s->zone[1].pages.tree[k].offset[l], Pre) == s->zone[1].pages.tree[k].offset[l] &&
              \at(s->zone[1].pages.tree[k].length[l], Pre) == s->zone[1].pages.tree[k].length[l]; */
        /*@ assert z > 1 && \at(s->zone[1].present, Pre) != 0 ==> zen_page_same_shape{Pre, Here}(&s->zone[1].pages); */
        /* The zones below keep their descriptors, all of them below frame_off
         * (lemma zen_zone_slice_same). */
        /*@ assert below: \forall integer i; 0 <= i < frame_off ==>
              \at(s->frames[i].state, Pre) == \at(s->frames, Pre)[i].state &&
              \at(s->frames[i].order, Pre) == \at(s->frames, Pre)[i].order; */
        /*@ assert z > 0 && \at(s->zone[0].present, Pre) != 0 ==>
              zen_frames_same{Pre, Here}(\at(s->zone[0].pages.frames, Pre), \at(s->zone[0].pages.nframes, Pre)); */
        /*@ assert z > 1 && \at(s->zone[1].present, Pre) != 0 ==>
              zen_frames_same{Pre, Here}(\at(s->zone[1].pages.frames, Pre), \at(s->zone[1].pages.nframes, Pre)); */
        /*@ assert z > 0 ==> zen_zone_kept{Pre, Here}(s, 0); */
        /*@ assert z > 1 ==> zen_zone_kept{Pre, Here}(s, 1); */
        if (st != ZEN_OK || zone->pages.nwords != nw || zone->pages.memory != 0)
            return ZEN_ERR_CORRUPT;
        /*@ assert zen_page_valid(&zone->pages) && zen_page_canonical(&zone->pages); */
        /*@ assert zen_zone_carved(s, z); */
        /*@ assert zone->pages.start == start && zone->pages.nframes == n; */
        /*@ assert zone->pages.nwords == nw && zone->pages.memory == \null; */
        /*@ assert \forall integer i; 0 <= i < n ==> f[i].state == ZEN_FRAME_RESERVED; */
        /*@ assert zone->pages.frames == f; */
        /*@ assert \forall integer i; 0 <= i < n ==> zone->pages.frames[i].state == ZEN_FRAME_RESERVED; */
    }
    return ZEN_OK;
}

/* Every zone as plan lays it out, its slices carved in zone order from the
 * set's arrays, every frame reserved. One call per zone, lowest first, so
 * that each zone's slices start where those of the zone below end. */
/*@ requires \valid(s);
    requires \valid(s->frames + (0 .. s->nframes - 1)) && \valid(s->words + (0 .. s->nwords - 1));
    requires \separated(s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    requires \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> plan.nframes[z] <= ZEN_PAGE_MAX_FRAMES &&
      (plan.nframes[z] != 0 ==> zen_zone_first(z) <= plan.start[z] &&
                                plan.start[z] + plan.nframes[z] <= zen_zone_end(z));
    requires zen_layout_frame_off(plan, 3) <= s->nframes && zen_layout_word_off(plan, 3) <= s->nwords;
    assigns s->zone[0 .. ZEN_ZONE_COUNT - 1], s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1];
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures s->frames == \old(s->frames) && s->nframes == \old(s->nframes) &&
            s->words == \old(s->words) && s->nwords == \old(s->nwords);
    ensures \result == ZEN_OK ==> zen_zone_set_valid(s);
    ensures \result == ZEN_OK ==>
      zen_zone_built(s, plan, 0) && zen_zone_built(s, plan, 1) && zen_zone_built(s, plan, 2);
 */
static zen_status zen_zone_build(zen_zone_set *s, zen_zone_layout plan)
{
    if (zen_zone_setup(s, ZEN_ZONE_DMA, plan.start[0], plan.nframes[0], plan.nwords[0], 0, 0) != ZEN_OK)
        return ZEN_ERR_CORRUPT;
    /*@ assert zen_zone_built(s, plan, 0); */
    if (zen_zone_setup(s, ZEN_ZONE_DMA32, plan.start[1], plan.nframes[1], plan.nwords[1], plan.nframes[0],
                       plan.nwords[0]) != ZEN_OK)
        return ZEN_ERR_CORRUPT;
    /*@ assert zen_zone_built(s, plan, 1); */
    /*@ assert zen_zone_built(s, plan, 0); */
    if (zen_zone_setup(s, ZEN_ZONE_NORMAL, plan.start[2], plan.nframes[2], plan.nwords[2],
                       plan.nframes[0] + plan.nframes[1], plan.nwords[0] + plan.nwords[1]) != ZEN_OK)
        return ZEN_ERR_CORRUPT;
    /*@ assert zen_zone_built(s, plan, 2); */
    /*@ assert zen_zone_built(s, plan, 1); */
    /*@ assert zen_zone_built(s, plan, 0); */
    /*@ assert zen_zones_apart(s, 0, 1) && zen_zones_apart(s, 0, 2) && zen_zones_apart(s, 1, 2); */
    return ZEN_OK;
}

/*@ // From L1 to L2 zone z's usable frames grew by those of [pos, end).
    predicate zen_zone_grown{L1, L2}(zen_zone_set *s, integer z, integer pos, integer end) =
      \forall integer p; zen_zone_holds{L2}(s, z, p) ==>
        (zen_zone_frame_usable{L2}(s, z, p) <==> (zen_zone_frame_usable{L1}(s, z, p) || pos <= p < end));

    // At L, zone z's usable frames are the usable frames of the map (as it
    // reads at M) below pos.
    predicate zen_zone_swept{L, M}(zen_zone_set *s, integer z, zen_mem_range *m, integer n, integer pos) =
      \forall integer p; zen_zone_holds{L}(s, z, p) ==>
        (zen_zone_frame_usable{L}(s, z, p) <==> (p < pos && zen_map_usable{M}(m, n, p)));

    // Zone z holds and hands out the same frames at L1 and L2.
    predicate zen_zone_frames_kept{L1, L2}(zen_zone_set *s, integer z) =
      \forall integer p; (zen_zone_holds{L2}(s, z, p) <==> zen_zone_holds{L1}(s, z, p)) &&
        (zen_zone_frame_usable{L2}(s, z, p) <==> zen_zone_frame_usable{L1}(s, z, p));

    lemma zen_zone_frames_kept_trans{L1, L2, L3}: \forall zen_zone_set *s, integer z;
      zen_zone_frames_kept{L1, L2}(s, z) && zen_zone_frames_kept{L2, L3}(s, z) ==>
      zen_zone_frames_kept{L1, L3}(s, z);

    // A zone that reads the same, or stays absent, keeps its frames.
    lemma zen_zone_kept_frames_kept{L1, L2}: \forall zen_zone_set *s, integer z;
      zen_zone_kept{L1, L2}(s, z) ==> zen_zone_frames_kept{L1, L2}(s, z);

    lemma zen_zone_kept_trans{L1, L2, L3}: \forall zen_zone_set *s, integer z;
      zen_zone_kept{L1, L2}(s, z) && zen_zone_kept{L2, L3}(s, z) ==> zen_zone_kept{L1, L3}(s, z);

    // Sweeping facts carry over to a state where the zone and the map read
    // the same.
    lemma zen_zone_swept_kept{L1, L2}: \forall zen_zone_set *s, integer z, zen_mem_range *m, integer n, pos;
      zen_zone_swept{L1, L1}(s, z, m, n, pos) && zen_zone_frames_kept{L1, L2}(s, z) &&
      zen_map_same{L1, L2}(m, n) ==>
      zen_zone_swept{L2, L2}(s, z, m, n, pos);

    // At L zone z hands out exactly the frames it holds that the map makes
    // usable.
    predicate zen_zone_exact{L}(zen_zone_set *s, integer z, zen_mem_range *m, integer n) =
      \forall integer p; zen_zone_holds(s, z, p) ==>
        (zen_zone_frame_usable(s, z, p) <==> zen_map_usable(m, n, p));

    // Facts shown zone by zone hold for every zone index.
    lemma zen_zone_exact_all{L}: \forall zen_zone_set *s, zen_mem_range *m, integer n;
      zen_zone_exact(s, 0, m, n) && zen_zone_exact(s, 1, m, n) && zen_zone_exact(s, 2, m, n) ==>
      \forall integer z, p; 0 <= z < ZEN_ZONE_COUNT && zen_zone_holds(s, z, p) ==>
        (zen_zone_frame_usable(s, z, p) <==> zen_map_usable(m, n, p));
    lemma zen_zone_frame0_all{L}: \forall zen_zone_set *s;
      !zen_zone_frame_usable(s, 0, 0) && !zen_zone_frame_usable(s, 1, 0) && !zen_zone_frame_usable(s, 2, 0) ==>
      \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> !zen_zone_frame_usable(s, z, 0);

    // So a zone swept up to pos hands out none of its frames from pos on.
    lemma zen_zone_swept_reserved{L, M}:
      \forall zen_zone_set *s, integer z, zen_mem_range *m, integer n, pos, p;
      zen_zone_swept{L, M}(s, z, m, n, pos) && zen_zone_holds{L}(s, z, p) && pos <= p ==>
      zen_is_state{L}(\at(&s->zone[z].pages, L), p, ZEN_FRAME_RESERVED);
 */

/*@ // A zone whose part of the set reads the same and that holds no frame
    // of the run did not grow.
    lemma zen_zone_grown_none{L1, L2}: \forall zen_zone_set *s, integer z, pos, end;
      (\at(s->zone[z].present, L1) != 0 ==> zen_zone_same{L1, L2}(s, z)) &&
      \at(s->zone[z].present, L1) == \at(s->zone[z].present, L2) &&
      (\forall integer p; zen_zone_holds{L1}(s, z, p) ==> !(pos <= p < end)) ==>
      zen_zone_grown{L1, L2}(s, z, pos, end);

    // The zone that took the run grew by it, frame by frame.
    lemma zen_zone_grown_by{L1, L2}: \forall zen_zone_set *s, integer z, pos, end;
      \at(s->zone[z].present, L1) == \at(s->zone[z].present, L2) &&
      \at(s->zone[z].pages.start, L1) == \at(s->zone[z].pages.start, L2) &&
      \at(s->zone[z].pages.nframes, L1) == \at(s->zone[z].pages.nframes, L2) &&
      (\let a = \at(&s->zone[z].pages, L1); \forall integer p; zen_in_range{L2}(a, p) ==>
        (!zen_is_state{L2}(a, p, ZEN_FRAME_RESERVED) <==>
          (!zen_is_state{L1}(a, p, ZEN_FRAME_RESERVED) || pos <= p < end))) ==>
      zen_zone_grown{L1, L2}(s, z, pos, end);
 */

/* Make the usable run [pos, end) free in zone z, the one that holds it. */
/*@ requires zen_zone_set_valid(s);
    requires z == zen_zone_of(pos) && pos < end;
    requires \forall integer p; pos <= p < end ==> zen_zone_of(p) == zen_zone_of(pos);
    requires zen_zone_holds(s, zen_zone_of(pos), pos) && zen_zone_holds(s, zen_zone_of(pos), end - 1);
    requires \forall integer p; pos <= p < end ==>
      zen_is_state(&s->zone[zen_zone_of(pos)].pages, p, ZEN_FRAME_RESERVED);
    assigns s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1], s->zone[z].pages.stats;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==> zen_zone_set_valid(s);
    ensures s->frames == \old(s->frames) && s->nframes == \old(s->nframes) &&
            s->words == \old(s->words) && s->nwords == \old(s->nwords);
    ensures \forall integer y; 0 <= y < ZEN_ZONE_COUNT ==>
      s->zone[y].present == \old(s->zone[y].present) && s->zone[y].pages.start == \old(s->zone[y].pages.start) &&
      s->zone[y].pages.nframes == \old(s->zone[y].pages.nframes);
    ensures \result == ZEN_OK ==> zen_zone_grown{Pre, Post}(s, 0, pos, end) &&
      zen_zone_grown{Pre, Post}(s, 1, pos, end) && zen_zone_grown{Pre, Post}(s, 2, pos, end);
 */
static zen_status zen_zone_add_run(zen_zone_set *s, unsigned z, zen_pfn pos, zen_pfn end)
{
    /*@ assert zen_zone_ok(s, z) && zen_zone_carved(s, z) && s->zone[z].present != 0; */
    /*@ assert z == 0 || z == 1 || z == 2; */
    /*@ assert fresh: end - pos != 0 && zen_in_range(&s->zone[z].pages, pos) &&
          end - pos <= s->zone[z].pages.nframes - (pos - s->zone[z].pages.start); */
    zen_status st = zen_page_add_range(&s->zone[z].pages, pos, end - pos);
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
    /*@ assert st == ZEN_OK ==> zen_zone_ok(s, z); */
    /*@ assert st == ZEN_OK ==> zen_zone_set_valid(s); */
    /* Zone z grew by the run; the others hold none of it and did not. */
    /*@ assert grown_z: st == ZEN_OK ==> \forall integer p; zen_in_range(&s->zone[z].pages, p) ==>
          (!zen_is_state(&s->zone[z].pages, p, ZEN_FRAME_RESERVED) <==>
            (!\at(zen_is_state(&s->zone[z].pages, p, ZEN_FRAME_RESERVED), Pre) || pos <= p < end)); */
    /*@ assert z != 0 ==> \forall integer p; \at(zen_zone_holds(s, 0, p), Pre) ==> !(pos <= p < end); */
    /*@ assert z != 1 ==> \forall integer p; \at(zen_zone_holds(s, 1, p), Pre) ==> !(pos <= p < end); */
    /*@ assert z != 2 ==> \forall integer p; \at(zen_zone_holds(s, 2, p), Pre) ==> !(pos <= p < end); */
    /*@ assert z != 0 && s->zone[0].present != 0 ==> zen_zone_same{Pre, Here}(s, 0); */
    /*@ assert z != 1 && s->zone[1].present != 0 ==> zen_zone_same{Pre, Here}(s, 1); */
    /*@ assert z != 2 && s->zone[2].present != 0 ==> zen_zone_same{Pre, Here}(s, 2); */
    /*@ assert st == ZEN_OK && z == 0 ==> zen_zone_grown{Pre, Here}(s, 0, pos, end); */
    /*@ assert z != 0 ==> zen_zone_grown{Pre, Here}(s, 0, pos, end); */
    /*@ assert st == ZEN_OK && z == 1 ==> zen_zone_grown{Pre, Here}(s, 1, pos, end); */
    /*@ assert z != 1 ==> zen_zone_grown{Pre, Here}(s, 1, pos, end); */
    /*@ assert st == ZEN_OK && z == 2 ==> zen_zone_grown{Pre, Here}(s, 2, pos, end); */
    /*@ assert z != 2 ==> zen_zone_grown{Pre, Here}(s, 2, pos, end); */
    return st;
}

/* Hand the usable run [pos, end) of the map (zen_map_run) to the zone that
 * holds it. */
/*@ requires zen_zone_set_valid(s);
    requires \valid_read(map + (0 .. count - 1));
    requires \forall integer i; 0 <= i < count ==>
      \separated(map + i, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    requires pos < end <= ZEN_PFN_LIMIT;
    requires \forall integer p; pos <= p < end ==>
      zen_zone_of(p) == zen_zone_of(pos) && zen_map_usable(map, count, p);
    requires \forall integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(map, count, p) ==>
      zen_zone_holds(s, zen_zone_of(p), p);
    requires zen_zone_swept{Here, Here}(s, 0, map, count, pos) &&
             zen_zone_swept{Here, Here}(s, 1, map, count, pos) &&
             zen_zone_swept{Here, Here}(s, 2, map, count, pos);
    assigns s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1],
            s->zone[0].pages.stats, s->zone[1].pages.stats, s->zone[2].pages.stats;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==> zen_zone_set_valid(s);
    ensures s->frames == \old(s->frames) && s->nframes == \old(s->nframes) &&
            s->words == \old(s->words) && s->nwords == \old(s->nwords);
    ensures \forall integer y; 0 <= y < ZEN_ZONE_COUNT ==>
      s->zone[y].present == \old(s->zone[y].present) && s->zone[y].pages.start == \old(s->zone[y].pages.start) &&
      s->zone[y].pages.nframes == \old(s->zone[y].pages.nframes);
    ensures \result == ZEN_OK ==> zen_map_same{Pre, Post}(map, count);
    ensures \result == ZEN_OK ==> \forall integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(map, count, p) ==>
      zen_zone_holds(s, zen_zone_of(p), p);
    ensures \result == ZEN_OK ==> zen_zone_swept{Here, Here}(s, 0, map, count, end) &&
      zen_zone_swept{Here, Here}(s, 1, map, count, end) && zen_zone_swept{Here, Here}(s, 2, map, count, end);
 */
static zen_status zen_zone_sweep_run(zen_zone_set *s, const zen_mem_range *map, uint64_t count, zen_pfn pos,
                                     zen_pfn end)
{
    (void)map; /* named by the contract only */
    (void)count;
    unsigned z = zen_zone_index(pos);
    /*@ assert run_zone: z == zen_zone_of(pos) && (z == 0 || z == 1 || z == 2); */
    /*@ assert run_first: zen_zone_holds(s, z, pos); */
    /*@ assert run_last: zen_map_usable(map, count, end - 1) && zen_zone_of(end - 1) == z; */
    /*@ assert run_held: \forall integer p; pos <= p < end ==> zen_zone_holds(s, z, p); */
    /* Zone z holds no usable frame from pos on yet. */
    /*@ assert run_swept: zen_zone_swept{Here, Here}(s, z, map, count, pos); */
    /*@ assert run_reserved: \forall integer p; pos <= p < end ==>
          zen_is_state(&s->zone[z].pages, p, ZEN_FRAME_RESERVED); */
    /* The map lies apart from everything the page call writes. */
    /*@ assert run_map_apart: \forall integer i; 0 <= i < count ==>
          \separated(map + i, &s->zone[z].pages.stats, s->frames + (0 .. s->nframes - 1),
                     s->words + (0 .. s->nwords - 1)); */
    if (zen_zone_add_run(s, z, pos, end) != ZEN_OK)
        return ZEN_ERR_CORRUPT;
    /*@ assert run_map_base: \forall integer i; 0 <= i < count ==> \at(map[i].base, Pre) == map[i].base; */
    /*@ assert run_map_length: \forall integer i; 0 <= i < count ==> \at(map[i].length, Pre) == map[i].length; */
    /*@ assert run_map_type: \forall integer i; 0 <= i < count ==> \at(map[i].type, Pre) == map[i].type; */
    /*@ assert run_map_same: zen_map_same{Pre, Here}(map, count); */
    /*@ assert zen_zone_swept{Here, Pre}(s, 0, map, count, end); */
    /*@ assert zen_zone_swept{Here, Pre}(s, 1, map, count, end); */
    /*@ assert zen_zone_swept{Here, Pre}(s, 2, map, count, end); */
    /*@ assert \forall integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(map, count, p) ==>
          \at(zen_map_usable(map, count, p), Pre); */
    return ZEN_OK;
}

/* The default watermarks of zone z, if present, from its usable frames
 * (zen_zone.h): min 1/128 of them, low and high 5/4 and 3/2 of min. */
/*@ requires zen_zone_set_valid(s) && z < ZEN_ZONE_COUNT;
    assigns s->zone[z].min, s->zone[z].low, s->zone[z].high;
    ensures zen_zone_set_valid(s);
    ensures zen_zone_kept{Pre, Post}(s, 0) && zen_zone_kept{Pre, Post}(s, 1) && zen_zone_kept{Pre, Post}(s, 2);
    ensures s->zone[z].present != 0 ==>
      s->zone[z].min <= s->zone[z].low <= s->zone[z].high <= s->zone[z].pages.stats.managed;
 */
static void zen_zone_default_watermarks(zen_zone_set *s, unsigned z)
{
    zen_zone *zone = &s->zone[z];
    if (!zone->present)
        return;
    uint64_t min = zone->pages.stats.managed / 128u;
    zone->min = min;
    zone->low = min + min / 4u;
    zone->high = min + min / 2u;
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[0].pages); */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[1].pages); */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[2].pages); */
    /*@ assert zen_zone_same{Pre, Here}(s, 0) && zen_zone_ok(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1) && zen_zone_ok(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2) && zen_zone_ok(s, 2); */
}

/* Set the default watermarks of every present zone. The locations written
 * are listed one by one: callers then see every other field kept. */
/*@ requires zen_zone_set_valid(s);
    assigns s->zone[0].min, s->zone[0].low, s->zone[0].high, s->zone[1].min, s->zone[1].low,
            s->zone[1].high, s->zone[2].min, s->zone[2].low, s->zone[2].high;
    ensures zen_zone_set_valid(s);
    ensures zen_zone_kept{Pre, Post}(s, 0) && zen_zone_kept{Pre, Post}(s, 1) && zen_zone_kept{Pre, Post}(s, 2);
 */
static void zen_zone_set_defaults(zen_zone_set *s)
{
    zen_zone_default_watermarks(s, ZEN_ZONE_DMA);
    zen_zone_default_watermarks(s, ZEN_ZONE_DMA32);
    /*@ assert zen_zone_kept{Pre, Here}(s, 0) && zen_zone_kept{Pre, Here}(s, 1) &&
          zen_zone_kept{Pre, Here}(s, 2); */
    zen_zone_default_watermarks(s, ZEN_ZONE_NORMAL);
}

/* Once every usable run is in its zone: set the default watermarks, and
 * conclude that every zone hands out exactly the usable frames it holds,
 * in the words of zen_zone_init's contract. */
/*@ requires zen_zone_set_valid(s);
    requires \valid_read(map + (0 .. count - 1));
    requires \forall integer i; 0 <= i < count ==>
      \separated(map + i, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    requires \forall integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(map, count, p) ==>
      zen_zone_holds(s, zen_zone_of(p), p);
    requires \forall integer p; zen_zone_holds(s, 0, p) ==> p < ZEN_PFN_LIMIT;
    requires \forall integer p; zen_zone_holds(s, 1, p) ==> p < ZEN_PFN_LIMIT;
    requires \forall integer p; zen_zone_holds(s, 2, p) ==> p < ZEN_PFN_LIMIT;
    requires zen_zone_swept{Here, Here}(s, 0, map, count, ZEN_PFN_LIMIT) &&
             zen_zone_swept{Here, Here}(s, 1, map, count, ZEN_PFN_LIMIT) &&
             zen_zone_swept{Here, Here}(s, 2, map, count, ZEN_PFN_LIMIT);
    assigns s->zone[0].min, s->zone[0].low, s->zone[0].high, s->zone[1].min, s->zone[1].low,
            s->zone[1].high, s->zone[2].min, s->zone[2].low, s->zone[2].high;
    ensures zen_zone_set_valid(s);
    ensures \forall integer z, p; 0 <= z < ZEN_ZONE_COUNT && zen_zone_holds(s, z, p) ==>
      (zen_zone_frame_usable(s, z, p) <==> zen_map_usable(map, count, p));
    ensures \forall integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(map, count, p) ==>
      zen_zone_holds(s, zen_zone_of(p), p);
    ensures \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> !zen_zone_frame_usable(s, z, 0);
 */
static void zen_zone_finish(zen_zone_set *s, const zen_mem_range *map, uint64_t count)
{
    (void)map; /* named by the contract only */
    (void)count;
    zen_zone_set_defaults(s);
    /*@ assert defaults_base: \forall integer i; 0 <= i < count ==> \at(map[i].base, Pre) == map[i].base; */
    /*@ assert defaults_length: \forall integer i; 0 <= i < count ==> \at(map[i].length, Pre) == map[i].length; */
    /*@ assert defaults_type: \forall integer i; 0 <= i < count ==> \at(map[i].type, Pre) == map[i].type; */
    /*@ assert defaults_map: zen_map_same{Pre, Here}(map, count); */
    /*@ assert defaults_frames0: zen_zone_frames_kept{Pre, Here}(s, 0); */
    /*@ assert defaults_frames1: zen_zone_frames_kept{Pre, Here}(s, 1); */
    /*@ assert defaults_frames2: zen_zone_frames_kept{Pre, Here}(s, 2); */
    /*@ assert after0: \forall integer p; zen_zone_holds(s, 0, p) ==> p < ZEN_PFN_LIMIT; */
    /*@ assert after1: \forall integer p; zen_zone_holds(s, 1, p) ==> p < ZEN_PFN_LIMIT; */
    /*@ assert after2: \forall integer p; zen_zone_holds(s, 2, p) ==> p < ZEN_PFN_LIMIT; */
    /*@ assert swept0: zen_zone_swept{Here, Here}(s, 0, map, count, ZEN_PFN_LIMIT); */
    /*@ assert swept1: zen_zone_swept{Here, Here}(s, 1, map, count, ZEN_PFN_LIMIT); */
    /*@ assert swept2: zen_zone_swept{Here, Here}(s, 2, map, count, ZEN_PFN_LIMIT); */
    /*@ assert final_held: \forall integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(map, count, p) ==>
          zen_zone_holds(s, zen_zone_of(p), p); */
    /*@ assert final0: zen_zone_exact(s, 0, map, count); */
    /*@ assert final1: zen_zone_exact(s, 1, map, count); */
    /*@ assert final2: zen_zone_exact(s, 2, map, count); */
    /*@ assert frame0: !zen_zone_frame_usable(s, 0, 0) && !zen_zone_frame_usable(s, 1, 0) &&
          !zen_zone_frame_usable(s, 2, 0); */
    /*@ assert final_frame0: \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> !zen_zone_frame_usable(s, z, 0); */
}

zen_status zen_zone_init(zen_zone_set *s, const zen_mem_range *map, uint64_t count, uint64_t capacity,
                         zen_page_frame *frames, uint64_t nframes, uint64_t *words, uint64_t nwords,
                         const zen_hooks *hooks)
{
    zen_zone_layout plan;
    zen_status st = zen_zone_plan(map, count, capacity, &plan);
    if (st != ZEN_OK)
        return st;
    /* The plan succeeds only for a well-formed map with usable frames. */
    /*@ assert count <= capacity; */
    /*@ assert \at(zen_map_well_formed(map, count), Pre); */
    /*@ assert \at(zen_map_has_usable(map, count), Pre); */
    /*@ assert zen_map_same{Pre, Here}(map, count); */
    /*@ assert \forall integer z, p; 0 <= p < ZEN_PFN_LIMIT && zen_zone_of(p) == z &&
          \at(zen_map_usable(map, count, p), Pre) ==> plan.start[z] <= p < plan.start[z] + plan.nframes[z]; */
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

    /*@ assert \separated(map + (0 .. count - 1), s, frames + (0 .. nframes - 1), words + (0 .. nwords - 1)); */
    /*@ assert map_before_build: zen_map_same{Pre, Here}(map, count); */
    /*@ assert map_apart: \forall integer i; 0 <= i < count ==>
          \separated(map + i, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1)); */
    st = zen_zone_build(s, plan);
    if (st != ZEN_OK)
        return st;
    /*@ assert zen_zone_set_valid(s) && s->frames == frames && s->nframes == nframes &&
               s->words == words && s->nwords == nwords; */
    /*@ assert \separated(map + (0 .. count - 1), s, s->frames + (0 .. s->nframes - 1),
                          s->words + (0 .. s->nwords - 1)); */
    /*@ assert map_fields: \forall integer i; 0 <= i < count ==>
          \at(map[i].base, Pre) == map[i].base && \at(map[i].length, Pre) == map[i].length &&
          \at(map[i].type, Pre) == map[i].type; */
    /*@ assert map_after_build: zen_map_same{Pre, Here}(map, count); */
    /*@ assert \forall integer p; 0 <= p < ZEN_PFN_LIMIT && \at(zen_map_usable(map, count, p), Pre) ==>
          zen_zone_holds(s, zen_zone_of(p), p); */

    /*@ assert held_usable: \forall integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(map, count, p) ==>
          zen_zone_holds(s, zen_zone_of(p), p); */

    /* Second sweep: hand each usable run to the zone that holds it. */
    zen_pfn pos = 0;
    /*@ loop invariant 0 <= pos <= ZEN_PFN_LIMIT;
        loop invariant zen_zone_set_valid(s);
        loop invariant s->frames == frames && s->nframes == nframes && s->words == words && s->nwords == nwords;
        loop invariant \forall integer i; 0 <= i < count ==>
          \separated(map + i, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
        loop invariant zen_map_same{Pre, Here}(map, count);
        loop invariant \forall integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(map, count, p) ==>
          zen_zone_holds(s, zen_zone_of(p), p);
        // The zones hand out exactly the usable frames below pos:
        loop invariant zen_zone_swept{Here, Here}(s, 0, map, count, pos);
        loop invariant zen_zone_swept{Here, Here}(s, 1, map, count, pos);
        loop invariant zen_zone_swept{Here, Here}(s, 2, map, count, pos);
        loop assigns pos, frames[0 .. nframes - 1], words[0 .. nwords - 1],
                     s->zone[0].pages.stats, s->zone[1].pages.stats, s->zone[2].pages.stats;
        loop variant ZEN_PFN_LIMIT - pos; */
    while (pos < ZEN_PFN_LIMIT) {
        zen_pfn end;
        /*@ assert zen_map_well_formed(map, count); */
        if (zen_map_run(map, count, pos, &end)) {
            if (zen_zone_sweep_run(s, map, count, pos, end) != ZEN_OK)
                return ZEN_ERR_CORRUPT;
            /*@ assert sweep_map_same: zen_map_same{Pre, Here}(map, count); */
        }
        pos = end;
    }

    /* No zone holds a frame past the top: the swept facts cover every frame. */
    /*@ assert below0: \forall integer p; zen_zone_holds(s, 0, p) ==> p < ZEN_PFN_LIMIT; */
    /*@ assert below1: \forall integer p; zen_zone_holds(s, 1, p) ==> p < ZEN_PFN_LIMIT; */
    /*@ assert below2: \forall integer p; zen_zone_holds(s, 2, p) ==> p < ZEN_PFN_LIMIT; */
    zen_zone_finish(s, map, count);
    return ZEN_OK;
}

/* ---- changing the set ------------------------------------------------------ */

/* Add one to `counter`, one of the set's counters (zen_zone_set_stats). No
 * zone reads the counters, so every zone stays valid (zen_zone_ok_kept). */
/*@ requires zen_zone_set_valid(s);
    requires counter == &s->stats.rejected || counter == &s->stats.oom_count ||
             counter == &s->stats.fallbacks || counter == &s->stats.atomic_reserve;
    assigns *counter;
    ensures zen_zone_set_valid(s) && zen_zone_set_same_shape{Pre, Post}(s);
 */
static void zen_zone_count(zen_zone_set *s, uint64_t *counter)
{
    (void)s; /* named by the contract only */
    (*counter)++;
    /* One counter at a time: each is a fixed field apart from the zones. */
    /*@ assert counter == &s->stats.rejected ==>
          zen_zone_same{Pre, Here}(s, 0) && zen_zone_same{Pre, Here}(s, 1) && zen_zone_same{Pre, Here}(s, 2); */
    /*@ assert counter == &s->stats.oom_count ==>
          zen_zone_same{Pre, Here}(s, 0) && zen_zone_same{Pre, Here}(s, 1) && zen_zone_same{Pre, Here}(s, 2); */
    /*@ assert counter == &s->stats.fallbacks ==>
          zen_zone_same{Pre, Here}(s, 0) && zen_zone_same{Pre, Here}(s, 1) && zen_zone_same{Pre, Here}(s, 2); */
    /*@ assert counter == &s->stats.atomic_reserve ==>
          zen_zone_same{Pre, Here}(s, 0) && zen_zone_same{Pre, Here}(s, 1) && zen_zone_same{Pre, Here}(s, 2); */
    /*@ assert zen_zone_same{Pre, Here}(s, 0) && zen_zone_ok(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1) && zen_zone_ok(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2) && zen_zone_ok(s, 2); */
    /*@ assert zen_zones_apart(s, 0, 1) && zen_zones_apart(s, 0, 2) && zen_zones_apart(s, 1, 2); */
}

/* Count a request refused for bad input; returns st. */
/*@ requires zen_zone_set_valid(s);
    assigns s->stats.rejected;
    ensures zen_zone_set_valid(s) && zen_zone_set_same_shape{Pre, Post}(s);
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
        /*@ assert zen_zone_ok(s, 0) && zen_zone_ok(s, 1) && zen_zone_ok(s, 2); */
        /*@ assert zen_zones_apart(s, 0, 1); */
        /*@ assert zen_zones_apart(s, 0, 2); */
        /*@ assert zen_zones_apart(s, 1, 2); */
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
            s->zone[z].pages.memory[0 .. ((page_flags & ZEN_PAGE_FLAG_ZERO) != 0 ?
                                          s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME : 0) - 1];
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures zen_zone_set_same_shape{Pre, Post}(s);
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
    /*@ assert zen_zone_set_same_shape{Pre, Here}(s); */
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
        /*@ assert zeroes: (page_flags & ZEN_PAGE_FLAG_ZERO) != 0 ==> (flags & ZEN_ZONE_ZERO) != 0; */
        /*@ assert !zen_page_bad_request(&s->zone[z].pages, order, page_flags); */
        /*@ assert \exists integer k; order <= k <= ZEN_PAGE_MAX_ORDER &&
              s->zone[z].pages.stats.free_blocks[k] != 0; */
        st = zen_zone_alloc_from(s, z, order, page_flags, pfn);
        /*@ assert shape_taken: zen_zone_set_same_shape{Pre, Here}(s); */
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
        /*@ assert min_kept: st == ZEN_OK && (flags & ZEN_ZONE_ATOMIC) == 0 ==>
              zen_zone_of(*pfn) == z && s->zone[z].pages.stats.free_frames >= s->zone[z].min; */
        /*@ assert shape_counted: zen_zone_set_same_shape{Pre, Here}(s); */
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
        /*@ assert zen_zone_set_same_shape{Pre, Here}(s); */
        /*@ assert \valid(s) && \valid(s->frames + (0 .. s->nframes - 1)) &&
              \valid(s->words + (0 .. s->nwords - 1)); */
        /*@ assert \forall integer y; 0 <= y < ZEN_ZONE_COUNT && s->zone[y].present != 0 &&
              s->zone[y].pages.memory != \null ==>
              \valid(s->zone[y].pages.memory + (0 .. s->zone[y].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)); */
        /*@ assert st != ZEN_ERR_CORRUPT ==> zen_zone_ok(s, z); */
        /*@ assert st != ZEN_ERR_CORRUPT ==> zen_zone_set_valid(s); */
    }
    /*@ assert zen_zone_set_same_shape{Pre, Here}(s); */
    zen_hooks_leave(&s->hooks);
    return st;
}

zen_status zen_zone_set_owner(zen_zone_set *s, zen_pfn pfn, unsigned owner, uint32_t tag)
{
    zen_status st;
    unsigned z = 0;
    zen_hooks_enter(&s->hooks);
    if (!zen_zone_find(s, pfn, &z)) {
        st = zen_zone_reject(s, ZEN_ERR_RANGE);
    } else {
        /*@ assert zen_zone_ok(s, z) && zen_zone_carved(s, z) && s->zone[z].present != 0; */
        st = zen_page_set_owner(&s->zone[z].pages, pfn, owner, tag);
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
        /*@ assert zen_zone_set_same_shape{Pre, Here}(s); */
        /*@ assert \valid(s) && \valid(s->frames + (0 .. s->nframes - 1)) &&
              \valid(s->words + (0 .. s->nwords - 1)); */
        /*@ assert \forall integer y; 0 <= y < ZEN_ZONE_COUNT && s->zone[y].present != 0 &&
              s->zone[y].pages.memory != \null ==>
              \valid(s->zone[y].pages.memory + (0 .. s->zone[y].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)); */
        /*@ assert zen_zone_ok(s, z); */
        /*@ assert zen_zone_set_valid(s); */
    }
    zen_hooks_leave(&s->hooks);
    return st;
}

zen_status zen_zone_block_of(const zen_zone_set *s, zen_pfn pfn, zen_zone_block *b)
{
    unsigned z = 0;
    if (!zen_zone_find(s, pfn, &z))
        return ZEN_ERR_RANGE;
    /*@ assert zen_zone_ok(s, z) && s->zone[z].present != 0; */
    const zen_page_allocator *a = &s->zone[z].pages;
    zen_pfn head = 0;
    zen_status st = zen_page_find(a, pfn, &head);
    if (st != ZEN_OK)
        return st;
    const zen_page_frame *f = &a->frames[head - a->start];
    /* The block in pfn's own zone, stated before *b is written. */
    /*@ assert z == zen_zone_of(pfn) && zen_is_state(a, head, ZEN_FRAME_ALLOCATED) &&
          head <= pfn && pfn < head + zen_block_size(f->order); */
    b->head = head;
    b->order = f->order;
    b->owner = f->owner;
    b->tag = f->tag;
    return ZEN_OK;
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
