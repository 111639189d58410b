/* The lemmas that carry an address space's invariant across the stores
 * of its steps. Only the files whose functions store through the space
 * include it: in other files' goals the lemmas cost the provers time and
 * serve no proof. Not part of the public API. */
#ifndef ZEN_SPACE_LEMMAS_H
#define ZEN_SPACE_LEMMAS_H

#include "zen_space_steps.h"

/* Every word the space writes after init (its counters, its break, the
 * heap's and the stack's sizes, its table, a frame) is a word outside the
 * zone set and its arrays, stored through zen_zone_put_pfn: the set stays
 * valid and keeps its shape across it. The lemmas below carry the rest of
 * zen_space_ok across such stores. */
/*@
    // The space's memory stays apart from the zones' while the set's shape
    // and the space's fixed fields stay.
    lemma zen_space_apart_kept{L1, L2}: \forall zen_zone_set *s, zen_space *sp;
      zen_space_apart{L1}(s, sp) && zen_zone_set_same_shape{L1, L2}(s) ==> zen_space_apart{L2}(s, sp);

    lemma zen_space_words_apart_kept{L1, L2}: \forall zen_zone_set *s, uint64_t *p, integer n;
      zen_space_words_apart{L1}(s, p, n) && zen_zone_set_same_shape{L1, L2}(s) ==> zen_space_words_apart{L2}(s, p, n);

    lemma zen_space_apart_all_kept{L1, L2}: \forall zen_space *sp;
      zen_space_apart_all{L1}(sp) && zen_space_fixed{L1, L2}(sp) &&
      zen_zone_set_same_shape{L1, L2}(\at(sp->zones, L1)) ==>
      zen_space_apart_all{L2}(sp);

    lemma zen_space_ok_at_kept{L1, L2}: \forall zen_layout *l, integer k;
      0 <= k < ZEN_SEG_KINDS && zen_seg_ok_at{L1}(l, k) && zen_space_layout_same{L1, L2}(l) ==>
      zen_seg_ok_at{L2}(l, k);

    lemma zen_space_seg_same{L1, L2}: \forall zen_layout *l, integer k;
      0 <= k < ZEN_SEG_KINDS && zen_space_layout_same{L1, L2}(l) ==>
      \at(l->seg[k].base, L1) == \at(l->seg[k].base, L2) && \at(l->seg[k].size, L1) == \at(l->seg[k].size, L2) &&
      \at(l->seg[k].flags, L1) == \at(l->seg[k].flags, L2);

    lemma zen_space_layout_ok_kept{L1, L2}: \forall zen_layout *l;
      zen_seg_layout_ok{L1}(l) && zen_space_layout_same{L1, L2}(l) ==> zen_seg_layout_ok{L2}(l);

    lemma zen_space_layout_same_but_trans{L1, L2, L3}: \forall zen_layout *l, integer j;
      zen_space_layout_same_but{L1, L2}(l, j) && zen_space_layout_same_but{L2, L3}(l, j) ==>
      zen_space_layout_same_but{L1, L3}(l, j);

    lemma zen_space_ok_at_kept_but{L1, L2}: \forall zen_layout *l, integer k, j;
      0 <= k < ZEN_SEG_KINDS && k != j && k + 1 != j && zen_seg_ok_at{L1}(l, k) &&
      zen_space_layout_same_but{L1, L2}(l, j) ==>
      zen_seg_ok_at{L2}(l, k);

    // The segments around the two that move, named: the provers find these
    // instances of zen_seg_layout_ok's quantifier only when a goal names them.
    lemma zen_space_layout_ok_around: \forall zen_layout *l;
      zen_seg_layout_ok(l) ==>
      zen_seg_ok_at(l, ZEN_SEG_COMM) && zen_seg_ok_at(l, ZEN_SEG_HEAP) && zen_seg_ok_at(l, ZEN_SEG_STACK);

    lemma zen_space_heap_moved_comm{L1, L2}: \forall zen_layout *l;
      zen_seg_ok_at{L1}(l, ZEN_SEG_COMM) && zen_space_heap_moved{L1, L2}(l) ==> zen_seg_ok_at{L2}(l, ZEN_SEG_COMM);

    lemma zen_space_stack_moved_heap{L1, L2}: \forall zen_layout *l;
      zen_seg_ok_at{L1}(l, ZEN_SEG_HEAP) &&
      \at(l->seg[ZEN_SEG_HEAP].base + l->seg[ZEN_SEG_HEAP].size <= l->heap_end, L1) &&
      \at(l->heap_end + ZEN_PAGE_SIZE <= l->stack_floor, L1) &&
      zen_space_stack_moved{L1, L2}(l) ==> zen_seg_ok_at{L2}(l, ZEN_SEG_HEAP);

    lemma zen_space_stack_moved_stack{L1, L2}: \forall zen_layout *l;
      zen_seg_ok_at{L1}(l, ZEN_SEG_STACK) && \at(l->top % ZEN_PAGE_SIZE == 0, L1) &&
      \at(l->seg[ZEN_SEG_STACK].base + l->seg[ZEN_SEG_STACK].size == l->top, L1) &&
      zen_space_stack_moved{L1, L2}(l) ==> zen_seg_ok_at{L2}(l, ZEN_SEG_STACK);

    lemma zen_space_stack_moved_at{L1, L2}: \forall zen_layout *l;
      zen_seg_layout_ok{L1}(l) && zen_space_stack_moved{L1, L2}(l) ==>
      zen_seg_ok_at{L2}(l, ZEN_SEG_HEAP) && zen_seg_ok_at{L2}(l, ZEN_SEG_STACK);

    lemma zen_space_heap_moved_before{L1, L2}: \forall zen_layout *l;
      zen_seg_layout_ok{L1}(l) && zen_space_heap_moved{L1, L2}(l) ==>
      zen_seg_ok_at{L2}(l, ZEN_SEG_COMM);

    // (The heap's own place, asserted where it moves, is a hypothesis.)
    lemma zen_space_heap_resized{L1, L2}: \forall zen_layout *l;
      zen_seg_layout_ok{L1}(l) && zen_space_heap_moved{L1, L2}(l) && zen_seg_ok_at{L2}(l, ZEN_SEG_HEAP) ==>
      zen_seg_layout_ok{L2}(l);

    lemma zen_space_stack_grown{L1, L2}: \forall zen_layout *l;
      zen_seg_layout_ok{L1}(l) && zen_space_stack_moved{L1, L2}(l) ==> zen_seg_layout_ok{L2}(l);

    lemma zen_space_table_ok_kept{L1, L2}: \forall zen_space *sp;
      zen_space_table_ok{L1}(sp) && zen_space_table_same{L1, L2}(sp) && zen_space_layout_same{L1, L2}(\at(&sp->layout, L1)) ==>
      zen_space_table_ok{L2}(sp);

    // The stack grown down: every slot in a segment still is.
    lemma zen_space_table_ok_grown{L1, L2}: \forall zen_space *sp;
      zen_space_table_ok{L1}(sp) && zen_space_table_same{L1, L2}(sp) &&
      \at(sp->layout.seg[ZEN_SEG_HEAP].base, L1) == \at(sp->layout.seg[ZEN_SEG_HEAP].base, L2) &&
      \at(sp->layout.seg[ZEN_SEG_HEAP].size, L1) == \at(sp->layout.seg[ZEN_SEG_HEAP].size, L2) &&
      \at(sp->layout.heap_end, L1) == \at(sp->layout.heap_end, L2) &&
      \at(sp->layout.stack_floor, L1) == \at(sp->layout.stack_floor, L2) &&
      \at(sp->layout.seg[ZEN_SEG_STACK].base, L2) <= \at(sp->layout.seg[ZEN_SEG_STACK].base, L1) ==>
      zen_space_table_ok{L2}(sp);

    // One slot set to a frame, for a page in a segment.
    lemma zen_space_table_ok_set{L1, L2}: \forall zen_space *sp, integer i;
      zen_space_table_ok{L1}(sp) && zen_space_layout_same{L1, L2}(\at(&sp->layout, L1)) &&
      \at(sp->table, L1) == \at(sp->table, L2) && \at(sp->slots, L1) == \at(sp->slots, L2) &&
      0 <= i < \at(sp->slots, L1) &&
      (\forall integer j; 0 <= j < \at(sp->slots, L1) && j != i ==> \at(sp->table[j], L1) == \at(sp->table[j], L2)) &&
      \at(sp->table[i], L2) < ZEN_PFN_LIMIT && zen_space_slot_in_segment{L1}(\at(&sp->layout, L1), i) ==>
      zen_space_table_ok{L2}(sp);

    lemma zen_space_zones_ok_kept{L1, L2}: \forall zen_zone_set *s, integer max_zone;
      zen_space_zones_ok{L1}(s, max_zone) && zen_zone_set_valid{L2}(s) && zen_zone_set_same_shape{L1, L2}(s) ==>
      zen_space_zones_ok{L2}(s, max_zone);
 */

#endif
