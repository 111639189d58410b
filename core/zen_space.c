/* Address spaces: the page table, the fault handler, brk and teardown. */
#include "zen_space.h"
#include "zen_zone_internal.h"

/* Every word the space writes after init (its counters, its break, the
 * heap's and the stack's sizes, its table, a frame) is a word outside the
 * zone set and its arrays, stored through zen_zone_put_pfn: the set stays
 * valid and keeps its shape across it. The lemmas below carry the rest of
 * zen_space_ok across such stores. */
/*@
    // The space's fields that never change after init read the same.
    predicate zen_space_fixed{L1, L2}(zen_space *sp) =
      \at(sp->zones, L1) == \at(sp->zones, L2) && \at(sp->max_zone, L1) == \at(sp->max_zone, L2) &&
      \at(sp->table, L1) == \at(sp->table, L2) && \at(sp->slots, L1) == \at(sp->slots, L2) &&
      \at(sp->low_slots, L1) == \at(sp->low_slots, L2) &&
      (\forall integer n; 0 <= n < ZEN_SPACE_LOADED ==>
        \at(sp->load[n], L1) == \at(sp->load[n], L2) && \at(sp->load_words[n], L1) == \at(sp->load_words[n], L2));

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

    // A layout that reads the same at L1 and L2 keeps its invariants.
    predicate zen_space_layout_same{L1, L2}(zen_layout *l) =
      (\forall integer k; 0 <= k < ZEN_SEG_KINDS ==>
        \at(l->seg[k].base, L1) == \at(l->seg[k].base, L2) && \at(l->seg[k].size, L1) == \at(l->seg[k].size, L2) &&
        \at(l->seg[k].flags, L1) == \at(l->seg[k].flags, L2) && \at(l->seg[k].kind, L1) == \at(l->seg[k].kind, L2)) &&
      \at(l->heap_end, L1) == \at(l->heap_end, L2) && \at(l->stack_floor, L1) == \at(l->stack_floor, L2) &&
      \at(l->top, L1) == \at(l->top, L2);

    lemma zen_space_ok_at_kept{L1, L2}: \forall zen_layout *l, integer k;
      0 <= k < ZEN_SEG_KINDS && zen_seg_ok_at{L1}(l, k) && zen_space_layout_same{L1, L2}(l) ==>
      zen_seg_ok_at{L2}(l, k);
    lemma zen_space_seg_same{L1, L2}: \forall zen_layout *l, integer k;
      0 <= k < ZEN_SEG_KINDS && zen_space_layout_same{L1, L2}(l) ==>
      \at(l->seg[k].base, L1) == \at(l->seg[k].base, L2) && \at(l->seg[k].size, L1) == \at(l->seg[k].size, L2) &&
      \at(l->seg[k].flags, L1) == \at(l->seg[k].flags, L2);

    lemma zen_space_layout_ok_kept{L1, L2}: \forall zen_layout *l;
      zen_seg_layout_ok{L1}(l) && zen_space_layout_same{L1, L2}(l) ==> zen_seg_layout_ok{L2}(l);

    // The same, but for the size (and for the stack, the base) of segment
    // j, the heap or the stack, which stays within its reach.
    predicate zen_space_layout_same_but{L1, L2}(zen_layout *l, integer j) =
      (\forall integer k; 0 <= k < ZEN_SEG_KINDS && k != j ==>
        \at(l->seg[k].base, L1) == \at(l->seg[k].base, L2) && \at(l->seg[k].size, L1) == \at(l->seg[k].size, L2) &&
        \at(l->seg[k].flags, L1) == \at(l->seg[k].flags, L2) && \at(l->seg[k].kind, L1) == \at(l->seg[k].kind, L2)) &&
      \at(l->seg[j].flags, L1) == \at(l->seg[j].flags, L2) && \at(l->seg[j].kind, L1) == \at(l->seg[j].kind, L2) &&
      \at(l->heap_end, L1) == \at(l->heap_end, L2) && \at(l->stack_floor, L1) == \at(l->stack_floor, L2) &&
      \at(l->top, L1) == \at(l->top, L2);

    lemma zen_space_layout_same_trans{L1, L2, L3}: \forall zen_layout *l;
      zen_space_layout_same{L1, L2}(l) && zen_space_layout_same{L2, L3}(l) ==> zen_space_layout_same{L1, L3}(l);
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

    // The heap's size changed within its reach: COMM and the heap stay in place.
    predicate zen_space_heap_moved{L1, L2}(zen_layout *l) =
      zen_space_layout_same_but{L1, L2}(l, ZEN_SEG_HEAP) &&
      \at(l->seg[ZEN_SEG_HEAP].base, L1) == \at(l->seg[ZEN_SEG_HEAP].base, L2) &&
      \at(l->seg[ZEN_SEG_HEAP].size, L2) % ZEN_PAGE_SIZE == 0 &&
      \at(l->seg[ZEN_SEG_HEAP].base + l->seg[ZEN_SEG_HEAP].size, L2) <= \at(l->heap_end, L2);
    lemma zen_space_heap_moved_comm{L1, L2}: \forall zen_layout *l;
      zen_seg_ok_at{L1}(l, ZEN_SEG_COMM) && zen_space_heap_moved{L1, L2}(l) ==> zen_seg_ok_at{L2}(l, ZEN_SEG_COMM);
    // The stack grew or shrank within its reach, ending at the top.
    predicate zen_space_stack_moved{L1, L2}(zen_layout *l) =
      zen_space_layout_same_but{L1, L2}(l, ZEN_SEG_STACK) &&
      \at(l->stack_floor, L2) <= \at(l->seg[ZEN_SEG_STACK].base, L2) &&
      \at(l->seg[ZEN_SEG_STACK].base, L2) % ZEN_PAGE_SIZE == 0 &&
      \at(l->seg[ZEN_SEG_STACK].base + l->seg[ZEN_SEG_STACK].size, L2) == \at(l->top, L2);
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

    // The table, read the same in the same layout, keeps its invariant.
    predicate zen_space_table_same{L1, L2}(zen_space *sp) =
      \at(sp->table, L1) == \at(sp->table, L2) && \at(sp->slots, L1) == \at(sp->slots, L2) &&
      \forall integer i; 0 <= i < \at(sp->slots, L1) ==> \at(sp->table[i], L1) == \at(sp->table[i], L2);
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

/* The slot of the page that holds addr, or sp->slots when no slot has it.
 * The two ranges are page-aligned and apart (the guard page lies between),
 * so a subtraction and a division find it. */
/*@ requires \valid_read(sp) && zen_space_shape_ok(sp);
    assigns \nothing;
    ensures zen_space_slot_of(&sp->layout, addr) >= 0 ==>
      \result == zen_space_slot_of(&sp->layout, addr) && \result < sp->slots;
    ensures zen_space_slot_of(&sp->layout, addr) < 0 ==> \result == sp->slots;
 */
static uint64_t zen_space_slot(const zen_space *sp, uint64_t addr)
{
    const zen_layout *l = &sp->layout;
    //@ assert l->heap_end + ZEN_PAGE_SIZE <= l->stack_floor <= l->top;
    //@ assert (l->heap_end - zen_image_text_base) % ZEN_PAGE_SIZE == 0;
    //@ assert (l->top - l->stack_floor) % ZEN_PAGE_SIZE == 0;
    if (addr >= l->seg[ZEN_SEG_TEXT].base && addr < l->heap_end) {
        //@ assert (addr - zen_image_text_base) / ZEN_PAGE_SIZE < (l->heap_end - zen_image_text_base) / ZEN_PAGE_SIZE;
        return (addr - l->seg[ZEN_SEG_TEXT].base) / ZEN_PAGE_SIZE;
    }
    if (addr >= l->stack_floor && addr < l->top) {
        //@ assert (addr - l->stack_floor) / ZEN_PAGE_SIZE < (l->top - l->stack_floor) / ZEN_PAGE_SIZE;
        return sp->low_slots + (addr - l->stack_floor) / ZEN_PAGE_SIZE;
    }
    return sp->slots;
}

/* The segment a fault at addr is judged by (zen_space_judge). */
/*@ requires \valid_read(sp) && zen_seg_layout_ok(&sp->layout);
    assigns \nothing;
    ensures zen_space_judge(&sp->layout, addr, \result);
    ensures \result == ZEN_SEG_NONE || \result < ZEN_SEG_MAPPED;
 */
static unsigned zen_space_judge(const zen_space *sp, uint64_t addr)
{
    const zen_layout *l = &sp->layout;
    if (addr >= l->stack_floor && addr < l->seg[ZEN_SEG_STACK].base)
        return ZEN_SEG_STACK;
    return zen_seg_find(l, addr);
}

/* Add one to `counter`, one of the space's counters of refusals. */
/*@ requires zen_space_ok(sp);
    requires counter == &sp->stats.rejected || counter == &sp->stats.refused || counter == &sp->stats.oom_count;
    assigns *counter;
    ensures zen_space_ok(sp);
 */
static void zen_space_count(zen_space *sp, uint64_t *counter)
{
    zen_zone_put_pfn(sp->zones, counter, *counter + 1u);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_ok(sp);
}

/*@ // Frame pfn is one the zones may hand the space: in a present zone at
    // or below max_zone, which has a direct map.
    predicate zen_space_frame_ok(zen_zone_set *s, integer max_zone, integer pfn) =
      zen_zone_of(pfn) <= max_zone && zen_zone_holds(s, zen_zone_of(pfn), pfn);

    // The first word of frame pfn in its zone's direct map.
    logic integer zen_space_frame_at(zen_zone_set *s, integer pfn) =
      (pfn - s->zone[zen_zone_of(pfn)].pages.start) * ZEN_PAGE_WORDS_PER_FRAME;
 */

/* Fill frame pfn for the page at `page` of segment k: the image's words
 * for that page when k is a loaded segment (TEXT, RODATA, DATA), zeros
 * for the rest of the frame. Writes nothing else: the zones stay valid. */
/*@ requires zen_space_ok(sp) && zen_space_frame_ok(sp->zones, sp->max_zone, pfn);
    requires ZEN_SEG_TEXT <= k <= ZEN_SEG_STACK;
    requires k < ZEN_SEG_TEXT + ZEN_SPACE_LOADED ==>
      sp->layout.seg[k].base <= page < sp->layout.seg[k].base + sp->layout.seg[k].size;
    assigns sp->zones->zone[zen_zone_of(pfn)].pages.memory[zen_space_frame_at(sp->zones, pfn) ..
              zen_space_frame_at(sp->zones, pfn) + ZEN_PAGE_WORDS_PER_FRAME - 1];
    ensures zen_space_ok(sp) && zen_zone_set_same_shape{Pre, Post}(sp->zones);
    ensures zen_space_layout_same{Pre, Post}(&sp->layout) && zen_space_table_same{Pre, Post}(sp);
 */
static void zen_space_fill(zen_space *sp, unsigned k, uint64_t page, zen_pfn pfn)
{
    zen_zone_set *s = sp->zones;
    const unsigned z = zen_zone_index(pfn);
    //@ assert zen_zone_ok(s, z) && s->zone[z].pages.memory != \null;
    uint64_t *frame = s->zone[z].pages.memory + (pfn - s->zone[z].pages.start) * ZEN_PAGE_WORDS_PER_FRAME;
    /* The loaded words of this page: from `first`, `count` of them. */
    const uint64_t *from = 0;
    uint64_t count = 0;
    if (k < ZEN_SEG_TEXT + ZEN_SPACE_LOADED) {
        const unsigned n = k - ZEN_SEG_TEXT;
        const uint64_t first = (page - sp->layout.seg[k].base) / ZEN_PAGE_SIZE * ZEN_PAGE_WORDS_PER_FRAME;
        if (first < sp->load_words[n]) {
            count = sp->load_words[n] - first;
            if (count > ZEN_PAGE_WORDS_PER_FRAME)
                count = ZEN_PAGE_WORDS_PER_FRAME;
            from = sp->load[n] + first;
        }
    }
    /*@ loop invariant 0 <= j <= ZEN_PAGE_WORDS_PER_FRAME;
        loop invariant zen_zone_set_valid(s) && zen_zone_set_same_shape{Pre, Here}(s);
        loop assigns j, frame[0 .. ZEN_PAGE_WORDS_PER_FRAME - 1];
        loop variant ZEN_PAGE_WORDS_PER_FRAME - j; */
    for (uint64_t j = 0; j < ZEN_PAGE_WORDS_PER_FRAME; j++)
        zen_zone_put_pfn(s, &frame[j], j < count ? from[j] : 0u);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    //@ assert zen_space_table_ok(sp);
}

/* Grow the stack down to `page`, a page between its lowest reach and its
 * base. */
/*@ requires zen_space_ok(sp);
    requires page % ZEN_PAGE_SIZE == 0 && sp->layout.stack_floor <= page < sp->layout.seg[ZEN_SEG_STACK].base;
    assigns sp->layout.seg[ZEN_SEG_STACK].base, sp->layout.seg[ZEN_SEG_STACK].size;
    ensures zen_space_ok(sp) && sp->layout.seg[ZEN_SEG_STACK].base == page;
    ensures zen_space_table_same{Pre, Post}(sp);
 */
static void zen_space_grow_stack(zen_space *sp, uint64_t page)
{
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_STACK) && sp->layout.top % ZEN_PAGE_SIZE == 0;
    zen_zone_put_pfn(sp->zones, &sp->layout.seg[ZEN_SEG_STACK].size, sp->layout.top - page);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_layout_same_but{Pre, Here}(&sp->layout, ZEN_SEG_STACK);
    /*@ ghost Sized: ; */
    zen_zone_put_pfn(sp->zones, &sp->layout.seg[ZEN_SEG_STACK].base, page);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_layout_same_but{Sized, Here}(&sp->layout, ZEN_SEG_STACK);
    //@ assert zen_space_layout_same_but{Pre, Here}(&sp->layout, ZEN_SEG_STACK);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_stack_moved{Pre, Here}(&sp->layout);
    //@ assert zen_seg_layout_ok(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert sp->layout.seg[ZEN_SEG_HEAP].base == \at(sp->layout.seg[ZEN_SEG_HEAP].base, Pre);
    //@ assert sp->layout.seg[ZEN_SEG_HEAP].size == \at(sp->layout.seg[ZEN_SEG_HEAP].size, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    //@ assert zen_space_table_ok(sp);
}

/* Record frame pfn in slot i, which is empty and whose page lies in a
 * segment; count it. */
/*@ requires zen_space_ok(sp) && i < sp->slots && sp->table[i] == ZEN_SPACE_NO_FRAME && pfn < ZEN_PFN_LIMIT;
    requires zen_space_slot_in_segment(&sp->layout, i);
    assigns sp->table[i], sp->stats.mapped, sp->stats.peak;
    ensures zen_space_ok(sp) && sp->table[i] == pfn;
    ensures \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \old(sp->table[j]);
 */
static void zen_space_record(zen_space *sp, uint64_t i, zen_pfn pfn)
{
    const uint64_t mapped = sp->stats.mapped + 1u;
    const uint64_t peak = mapped > sp->stats.peak ? mapped : sp->stats.peak;
    zen_zone_put_pfn(sp->zones, &sp->stats.mapped, mapped);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    /*@ ghost Mapped: ; */
    zen_zone_put_pfn(sp->zones, &sp->stats.peak, peak);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_layout_same{Mapped, Here}(&sp->layout);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert \separated(sp->table + i, sp);
    /*@ ghost Counted: ; */
    zen_zone_put_pfn(sp->zones, &sp->table[i], pfn);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_layout_same{Counted, Here}(&sp->layout);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \at(sp->table[j], Pre);
    //@ assert zen_space_table_ok(sp);
}

/*@ // A single frame without ZEN_ZONE_ZERO is a well-formed request.
    lemma zen_space_no_zero_flag: \forall integer f; f == 0 ==> (f & ZEN_ZONE_ZERO) == 0;
    lemma zen_space_frame_request: \forall zen_zone_set *s, integer max_zone;
      0 <= max_zone <= ZEN_ZONE_NORMAL ==> !zen_zone_bad_request(s, max_zone, 0, 0);
 */

/* zen_zone_alloc of one frame, its contract cut down to what the space
 * uses: the set's own memory and *pfn written, nothing else. */
/*@ requires zen_zone_set_valid(s) && max_zone <= ZEN_ZONE_NORMAL && \valid(pfn);
    requires \separated(pfn, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    requires \forall integer z; 0 <= z < ZEN_ZONE_COUNT && s->zone[z].present != 0 &&
      s->zone[z].pages.memory != \null ==>
      \separated(pfn, s->zone[z].pages.memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    assigns *s, s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1], *pfn;
    ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
    ensures \result != ZEN_ERR_CORRUPT ==> zen_zone_set_valid(s) && zen_zone_set_same_shape{Pre, Post}(s);
    ensures \result == ZEN_OK ==> zen_space_frame_ok(s, max_zone, *pfn) && *pfn < ZEN_PFN_LIMIT;
 */
static zen_status zen_space_alloc(zen_zone_set *s, unsigned max_zone, zen_pfn *pfn)
{
    //@ assert !zen_zone_bad_request(s, max_zone, 0, 0);
    return zen_zone_alloc(s, max_zone, 0, 0, pfn);
}

/* Take a frame from the zones for the space, in *pfn; count a refusal
 * for want of frames. */
/*@ requires zen_space_ok(sp) && \valid(pfn) && \separated(pfn, sp, sp->table + (0 .. sp->slots - 1));
    requires zen_space_words_apart(sp->zones, pfn, 1);
    assigns *pfn, sp->stats.oom_count, ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
    ensures \result != ZEN_ERR_CORRUPT ==> zen_space_ok(sp);
    ensures \result != ZEN_ERR_CORRUPT ==>
      zen_space_layout_same{Pre, Post}(&sp->layout) && zen_space_table_same{Pre, Post}(sp);
    ensures \result == ZEN_OK ==> zen_space_frame_ok(sp->zones, sp->max_zone, *pfn) && *pfn < ZEN_PFN_LIMIT;
 */
static zen_status zen_space_take(zen_space *sp, zen_pfn *pfn)
{
    zen_zone_set *const s = sp->zones;
    /* What the zones may write lies apart from the space and its table. */
    //@ assert \separated(sp, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    //@ assert \separated(sp->table + (0 .. sp->slots - 1), s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    //@ assert \separated(&sp->layout, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    const zen_status st = zen_space_alloc(s, sp->max_zone, pfn);
    if (st == ZEN_ERR_CORRUPT)
        return st;
    //@ assert zen_zone_set_same_shape{Pre, Here}(sp->zones);
    //@ assert sp->zones == \at(sp->zones, Pre) && sp->max_zone == \at(sp->max_zone, Pre);
    //@ assert sp->table == \at(sp->table, Pre);
    //@ assert sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert sp->load_words[0] == \at(sp->load_words[0], Pre);
    //@ assert zen_space_fixed{Pre, Here}(sp);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    /* The layout, a field at a time. */
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].base == \at(sp->layout.seg[k].base, Pre);
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].size == \at(sp->layout.seg[k].size, Pre);
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].flags == \at(sp->layout.seg[k].flags, Pre);
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].kind == \at(sp->layout.seg[k].kind, Pre);
    //@ assert sp->layout.heap_end == \at(sp->layout.heap_end, Pre);
    //@ assert sp->layout.stack_floor == \at(sp->layout.stack_floor, Pre) && sp->layout.top == \at(sp->layout.top, Pre);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    //@ assert zen_space_table_ok(sp);
    if (st == ZEN_ERR_NOMEM) {
        zen_space_count(sp, &sp->stats.oom_count);
        return st;
    }
    return ZEN_OK;
}

/* Map a frame for the page of addr, which segment k judges and allows and
 * slot i, empty, holds: take a frame from the zones, fill it, record it. */
/*@ requires zen_space_ok(sp);
    requires ZEN_SEG_TEXT <= k <= ZEN_SEG_STACK && zen_space_judge(&sp->layout, addr, k);
    requires i == zen_space_slot_of(&sp->layout, addr) && 0 <= i < sp->slots;
    requires sp->table[i] == ZEN_SPACE_NO_FRAME;
    assigns sp->stats, sp->layout.seg[ZEN_SEG_STACK].base, sp->layout.seg[ZEN_SEG_STACK].size, sp->table[i],
            ZEN_SPACE_ZONE_WRITES(sp->zones), ZEN_SPACE_FRAME_WRITES(sp->zones);
    ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
    ensures \result != ZEN_ERR_CORRUPT ==> zen_space_ok(sp);
    ensures \result == ZEN_OK ==> sp->table[i] != ZEN_SPACE_NO_FRAME;
    ensures \result != ZEN_OK ==> sp->table[i] == ZEN_SPACE_NO_FRAME;
 */
static zen_status zen_space_map(zen_space *sp, uint64_t i, unsigned k, uint64_t addr)
{
    zen_pfn pfn;
    const zen_status st = zen_space_take(sp, &pfn);
    if (st != ZEN_OK)
        return st;
    const uint64_t page = addr - addr % ZEN_PAGE_SIZE;
    zen_space_fill(sp, k, page, pfn);
    if (k == ZEN_SEG_STACK && page < sp->layout.seg[ZEN_SEG_STACK].base)
        zen_space_grow_stack(sp, page);
    zen_space_record(sp, i, pfn);
    return ZEN_OK;
}

/* Empty slots [from, to) and give their frames back to the zones:
 * ZEN_OK, or ZEN_ERR_CORRUPT when the zones refused one. The zones are
 * not called again once they answered ZEN_ERR_CORRUPT themselves. */
/*@ requires zen_space_ok(sp) && from <= to <= sp->slots;
    assigns sp->stats.mapped, sp->table[from .. to - 1], ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \forall integer j; from <= j < to ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
    ensures \result == ZEN_OK ==> zen_space_ok(sp);
 */
static zen_status zen_space_release(zen_space *sp, uint64_t from, uint64_t to)
{
    zen_status st = ZEN_OK;
    int zones_broken = 0;
    /*@ loop invariant from <= i <= to;
        loop invariant \forall integer j; from <= j < i ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
        loop invariant st == ZEN_OK || st == ZEN_ERR_CORRUPT;
        loop invariant st == ZEN_OK ==> zen_space_ok(sp);
        loop assigns i, st, zones_broken, sp->stats.mapped, sp->table[from .. to - 1],
                     ZEN_SPACE_ZONE_WRITES(sp->zones);
        loop variant to - i; */
    for (uint64_t i = from; i < to; i++) {
        const zen_pfn pfn = sp->table[i];
        if (pfn == ZEN_SPACE_NO_FRAME)
            continue;
        sp->table[i] = ZEN_SPACE_NO_FRAME;
        sp->stats.mapped--;
        if (zones_broken)
            continue;
        const zen_status r = zen_zone_free(sp->zones, pfn, 0);
        if (r != ZEN_OK)
            st = ZEN_ERR_CORRUPT;
        if (r == ZEN_ERR_CORRUPT)
            zones_broken = 1;
    }
    return st;
}

zen_status zen_space_slots(const zen_image *img, uint64_t *slots)
{
    zen_layout l;
    const zen_status st = zen_seg_layout(img, &l);
    if (st != ZEN_OK)
        return st;
    /* The image's fields lie apart from the local layout: the call kept them. */
    //@ assert \separated(&img->page_size, &l);
    //@ assert \separated(&img->text_size, &l);
    //@ assert \separated(&img->rodata_size, &l);
    //@ assert \separated(&img->data_size, &l);
    //@ assert \separated(&img->bss_size, &l);
    //@ assert \separated(&img->comm_size, &l);
    //@ assert \separated(&img->debug_size, &l);
    //@ assert \separated(&img->heap_limit, &l);
    //@ assert \separated(&img->stack_size, &l);
    //@ assert \separated(&img->stack_limit, &l);
    //@ assert \separated(&img->top, &l);
    //@ assert \separated(&img->text, &l);
    //@ assert \separated(&img->rodata, &l);
    //@ assert \separated(&img->data, &l);
    //@ assert zen_image_same{Pre, Here}(img);
    //@ assert zen_seg_layout_of(&l, img) && zen_seg_layout_ok(&l);
    //@ assert l.heap_end == zen_image_heap_end(img) && l.seg[ZEN_SEG_TEXT].base == zen_image_text_base;
    //@ assert l.top == img->top && l.stack_floor == zen_image_stack_floor(img);
    const uint64_t low = l.heap_end - l.seg[ZEN_SEG_TEXT].base;
    const uint64_t high = l.top - l.stack_floor;
    //@ assert low == zen_image_heap_end(img) - zen_image_text_base;
    //@ assert high == img->top - zen_image_stack_floor(img);
    //@ assert low + high <= UINT64_MAX;
    *slots = (low + high) / ZEN_PAGE_SIZE;
    //@ assert *slots == \at(zen_image_slots(img), Pre);
    return ZEN_OK;
}

/* The words of a loaded segment of `bytes` bytes: whole words, the last
 * one partly used when bytes is not a multiple of 8. */
/*@ assigns \nothing;
    ensures \result == zen_space_words(bytes);
 */
static uint64_t zen_space_words_of(uint64_t bytes)
{
    return bytes / 8u + (bytes % 8u != 0u ? 1u : 0u);
}

/* init's argument rule past the layout (zen_space_args_bad). */
/*@ requires \valid_read(img) && zen_zone_set_valid(zones);
    assigns \nothing;
    ensures \result == 0 <==> zen_space_args_bad(img, zones, max_zone);
 */
static int zen_space_args_ok(const zen_image *img, const zen_zone_set *zones, unsigned max_zone)
{
    if (max_zone > ZEN_ZONE_NORMAL)
        return 0;
    /*@ loop invariant 0 <= z <= max_zone + 1;
        loop invariant \forall integer y; 0 <= y < z ==>
          !(zones->zone[y].present != 0 && zones->zone[y].pages.memory == \null);
        loop assigns z;
        loop variant max_zone + 1 - z; */
    for (unsigned z = 0; z <= max_zone; z++)
        if (zones->zone[z].present != 0u && zones->zone[z].pages.memory == 0)
            return 0;
    if ((img->text_size != 0u && img->text == 0) || (img->rodata_size != 0u && img->rodata == 0) ||
        (img->data_size != 0u && img->data == 0))
        return 0;
    return 1;
}

zen_status zen_space_init(zen_space *sp, const zen_image *img, zen_zone_set *zones, unsigned max_zone,
                          zen_pfn *table, uint64_t capacity, const zen_hooks *hooks)
{
    uint64_t slots;
    const zen_status st = zen_space_slots(img, &slots);
    if (st != ZEN_OK)
        return st;
    if (!zen_space_args_ok(img, zones, max_zone))
        return ZEN_ERR_INVAL;
    if (capacity < slots)
        return ZEN_ERR_CAPACITY;
    /*@ loop invariant 0 <= i <= slots;
        loop invariant \forall integer j; 0 <= j < i ==> table[j] == ZEN_SPACE_NO_FRAME;
        loop assigns i, table[0 .. slots - 1];
        loop variant slots - i; */
    for (uint64_t i = 0; i < slots; i++)
        table[i] = ZEN_SPACE_NO_FRAME;
    (void)zen_seg_layout(img, &sp->layout);
    sp->brk = sp->layout.seg[ZEN_SEG_HEAP].base;
    sp->zones = zones;
    sp->max_zone = max_zone;
    sp->table = table;
    sp->slots = slots;
    sp->low_slots = (sp->layout.heap_end - sp->layout.seg[ZEN_SEG_TEXT].base) / ZEN_PAGE_SIZE;
    sp->load[0] = img->text;
    sp->load[1] = img->rodata;
    sp->load[2] = img->data;
    sp->load_words[0] = zen_space_words_of(img->text_size);
    sp->load_words[1] = zen_space_words_of(img->rodata_size);
    sp->load_words[2] = zen_space_words_of(img->data_size);
    sp->hooks.enter = hooks != 0 ? hooks->enter : 0;
    sp->hooks.leave = hooks != 0 ? hooks->leave : 0;
    sp->hooks.ctx = hooks != 0 ? hooks->ctx : 0;
    sp->stats.mapped = 0;
    sp->stats.peak = 0;
    sp->stats.refused = 0;
    sp->stats.oom_count = 0;
    sp->stats.rejected = 0;
    /*@ assert zen_zone_same{Pre, Here}(zones, ZEN_ZONE_DMA); */
    /*@ assert zen_zone_same{Pre, Here}(zones, ZEN_ZONE_DMA32); */
    /*@ assert zen_zone_same{Pre, Here}(zones, ZEN_ZONE_NORMAL); */
    return ZEN_OK;
}

/* Count a request refused for bad input; answer `status`. */
/*@ requires zen_space_ok(sp);
    assigns sp->stats.rejected;
    ensures zen_space_ok(sp) && \result == status;
 */
static zen_status zen_space_reject(zen_space *sp, zen_status status)
{
    zen_space_count(sp, &sp->stats.rejected);
    return status;
}

/* Record a refused access in *f: the first byte refused, the cause and the
 * signal. *f lies apart from the zone set, so the set stays valid. */
/*@ requires zen_zone_set_valid(s) && \valid(f);
    requires \separated(f, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    assigns *f;
    ensures f->addr == addr && f->cause == cause && f->signal == ZEN_SIGSEGV;
    ensures zen_zone_set_valid(s) && zen_zone_set_same_shape{Pre, Post}(s);
 */
static void zen_space_put_fault(zen_zone_set *s, zen_fault *f, uint64_t addr, uint32_t cause)
{
    (void)s; /* named by the contract only */
    f->addr = addr;
    f->cause = cause;
    f->signal = ZEN_SIGSEGV;
    /*@ assert zen_zone_same{Pre, Here}(s, 0) && zen_zone_ok(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1) && zen_zone_ok(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2) && zen_zone_ok(s, 2); */
    /*@ assert zen_zones_apart(s, 0, 1) && zen_zones_apart(s, 0, 2) && zen_zones_apart(s, 1, 2); */
}

/* Answer a refused access: the fault at addr, its cause and signal. */
/*@ requires zen_space_ok(sp) && \valid(fault) && \separated(fault, sp, sp->table + (0 .. sp->slots - 1));
    requires \separated(fault, sp->zones, sp->zones->frames + (0 .. sp->zones->nframes - 1),
                        sp->zones->words + (0 .. sp->zones->nwords - 1));
    assigns *fault, sp->stats.refused;
    ensures zen_space_ok(sp) && \result == ZEN_ERR_FAULT;
    ensures fault->addr == addr && fault->cause == cause && fault->signal == ZEN_SIGSEGV;
 */
static zen_status zen_space_refuse(zen_space *sp, zen_fault *fault, uint64_t addr, uint32_t cause)
{
    zen_space_put_fault(sp->zones, fault, addr, cause);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_ok(sp);
    zen_space_count(sp, &sp->stats.refused);
    return ZEN_ERR_FAULT;
}

zen_status zen_space_fault(zen_space *sp, uint64_t addr, uint32_t access, uint32_t mode, zen_fault *fault)
{
    zen_status st;
    zen_hooks_enter(&sp->hooks);
    if ((access != ZEN_SEG_R && access != ZEN_SEG_W && access != ZEN_SEG_X) ||
        (mode != ZEN_SEG_USER && mode != ZEN_SEG_SYSTEM)) {
        st = zen_space_reject(sp, ZEN_ERR_INVAL);
    } else {
        const unsigned k = zen_space_judge(sp, addr);
        const uint32_t cause = zen_seg_refusal(&sp->layout, k, access, mode);
        const uint64_t i = zen_space_slot(sp, addr);
        if (cause != ZEN_FAULT_NONE)
            st = zen_space_refuse(sp, fault, addr, cause);
        else if (i == sp->slots)
            st = ZEN_ERR_RANGE; /* TRAPVEC or ZENVARS */
        else if (sp->table[i] != ZEN_SPACE_NO_FRAME)
            st = ZEN_OK;
        else
            st = zen_space_map(sp, i, k, addr);
    }
    zen_hooks_leave(&sp->hooks);
    return st;
}

zen_status zen_space_frame_at(const zen_space *sp, uint64_t addr, zen_pfn *pfn)
{
    const uint64_t i = zen_space_slot(sp, addr);
    if (i == sp->slots)
        return ZEN_ERR_RANGE;
    const zen_pfn frame = sp->table[i];
    if (frame == ZEN_SPACE_NO_FRAME)
        return ZEN_ERR_NOT_ALLOCATED;
    *pfn = frame;
    //@ assert sp->table[i] == frame;
    return ZEN_OK;
}

/* Set the break and the heap's size, which holds the break's pages. */
/*@ requires zen_space_ok(sp);
    requires sp->layout.seg[ZEN_SEG_HEAP].base <= new_break <= sp->layout.heap_end;
    requires end == sp->layout.seg[ZEN_SEG_HEAP].base + zen_seg_round(new_break - sp->layout.seg[ZEN_SEG_HEAP].base);
    // The pages above the new end have no frame any more.
    requires \forall integer j; 0 <= j < sp->low_slots && zen_space_page_of(&sp->layout, j) >= end ==>
      sp->table[j] == ZEN_SPACE_NO_FRAME;
    assigns sp->brk, sp->layout.seg[ZEN_SEG_HEAP].size;
    ensures zen_space_ok(sp) && sp->brk == new_break;
    ensures sp->layout.seg[ZEN_SEG_HEAP].base + sp->layout.seg[ZEN_SEG_HEAP].size == end;
 */
static void zen_space_set_break(zen_space *sp, uint64_t new_break, uint64_t end)
{
    const uint64_t base = sp->layout.seg[ZEN_SEG_HEAP].base;
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_HEAP) && sp->layout.heap_end % ZEN_PAGE_SIZE == 0;
    //@ assert (sp->layout.heap_end - base) % ZEN_PAGE_SIZE == 0;
    //@ assert zen_seg_round(sp->layout.heap_end - base) == sp->layout.heap_end - base;
    //@ assert zen_seg_round(new_break - base) <= zen_seg_round(sp->layout.heap_end - base);
    //@ assert base <= end <= sp->layout.heap_end && (end - base) % ZEN_PAGE_SIZE == 0;
    zen_zone_put_pfn(sp->zones, &sp->brk, new_break);
    //@ assert zen_space_apart_all(sp);
    zen_zone_put_pfn(sp->zones, &sp->layout.seg[ZEN_SEG_HEAP].size, end - base);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_heap_moved{Pre, Here}(&sp->layout);
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_HEAP);
    //@ assert zen_seg_layout_ok(&sp->layout);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert \forall integer i; 0 <= i < sp->slots ==> sp->table[i] == \at(sp->table[i], Pre);
    //@ assert zen_space_table_ok(sp);
}

/* Move the break within the heap's reach: release the frames of the
 * pages above the new end, then set the break. */
/*@ requires zen_space_ok(sp);
    requires sp->layout.seg[ZEN_SEG_HEAP].base <= new_break <= sp->layout.heap_end;
    assigns sp->brk, sp->layout.seg[ZEN_SEG_HEAP].size, sp->stats.mapped, sp->table[0 .. sp->slots - 1],
            ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==> zen_space_ok(sp) && sp->brk == new_break;
    ensures \result == ZEN_OK ==>
      sp->layout.seg[ZEN_SEG_HEAP].size == zen_seg_round(new_break - sp->layout.seg[ZEN_SEG_HEAP].base);
    ensures \result == ZEN_OK ==> \forall integer i; 0 <= i < sp->slots ==>
      (zen_space_slot_in_segment(&sp->layout, i) ? sp->table[i] == \old(sp->table[i])
                                                 : sp->table[i] == ZEN_SPACE_NO_FRAME);
 */
static zen_status zen_space_move_break(zen_space *sp, uint64_t new_break)
{
    const uint64_t base = sp->layout.seg[ZEN_SEG_HEAP].base;
    /* At most the heap's reach, a page multiple: never past the end. */
    const uint64_t end = zen_seg_end(base, new_break - base);
    const uint64_t old_end = base + sp->layout.seg[ZEN_SEG_HEAP].size;
    if (end < old_end) {
        /* Low slots count pages from TEXT's base. */
        const uint64_t text = sp->layout.seg[ZEN_SEG_TEXT].base;
        const zen_status st =
            zen_space_release(sp, (end - text) / ZEN_PAGE_SIZE, (old_end - text) / ZEN_PAGE_SIZE);
        if (st != ZEN_OK)
            return st;
    }
    zen_space_set_break(sp, new_break, end);
    return ZEN_OK;
}

zen_status zen_space_brk(zen_space *sp, uint64_t new_break)
{
    zen_status st;
    zen_hooks_enter(&sp->hooks);
    if (new_break < sp->layout.seg[ZEN_SEG_HEAP].base)
        st = zen_space_reject(sp, ZEN_ERR_INVAL);
    else if (new_break > sp->layout.heap_end)
        st = zen_space_reject(sp, ZEN_ERR_NO_FIT);
    else
        st = zen_space_move_break(sp, new_break);
    zen_hooks_leave(&sp->hooks);
    return st;
}

zen_status zen_space_teardown(zen_space *sp)
{
    zen_hooks_enter(&sp->hooks);
    const zen_status st = zen_space_release(sp, 0, sp->slots);
    zen_hooks_leave(&sp->hooks);
    return st;
}

/* The first broken invariant of the layout's moving parts, or ZEN_SPACE_INV_NONE. */
/*@ requires \valid_read(sp);
    assigns \nothing;
 */
static uint32_t zen_space_check_layout(const zen_space *sp)
{
    const zen_layout *l = &sp->layout;
    const zen_segment *heap = &l->seg[ZEN_SEG_HEAP];
    const zen_segment *stack = &l->seg[ZEN_SEG_STACK];
    if (heap->base % ZEN_PAGE_SIZE != 0u || sp->brk < heap->base || sp->brk > l->heap_end ||
        heap->size != zen_seg_end(heap->base, sp->brk - heap->base) - heap->base)
        return ZEN_SPACE_INV_LAYOUT;
    if (stack->base % ZEN_PAGE_SIZE != 0u || stack->base < l->stack_floor || stack->base > l->top ||
        stack->size != l->top - stack->base)
        return ZEN_SPACE_INV_LAYOUT;
    return ZEN_SPACE_INV_NONE;
}

/* The first broken invariant of slot i, or ZEN_SPACE_INV_NONE. */
/*@ requires zen_space_ok(sp) && i < sp->slots;
    assigns \nothing;
 */
static uint32_t zen_space_check_slot(const zen_space *sp, uint64_t i)
{
    const zen_pfn pfn = sp->table[i];
    if (pfn == ZEN_SPACE_NO_FRAME)
        return ZEN_SPACE_INV_NONE;
    const zen_layout *l = &sp->layout;
    if (i < sp->low_slots ? l->seg[ZEN_SEG_TEXT].base + i * ZEN_PAGE_SIZE >=
                                l->seg[ZEN_SEG_HEAP].base + l->seg[ZEN_SEG_HEAP].size
                          : l->stack_floor + (i - sp->low_slots) * ZEN_PAGE_SIZE < l->seg[ZEN_SEG_STACK].base)
        return ZEN_SPACE_INV_OUTSIDE;
    zen_zone_block b;
    if (zen_zone_block_of(sp->zones, pfn, &b) != ZEN_OK || b.head != pfn || b.order != 0u ||
        zen_zone_index(pfn) > sp->max_zone)
        return ZEN_SPACE_INV_FRAME;
    /*@ loop invariant i + 1 <= j <= sp->slots;
        loop assigns j;
        loop variant sp->slots - j; */
    for (uint64_t j = i + 1; j < sp->slots; j++)
        if (sp->table[j] == pfn)
            return ZEN_SPACE_INV_SHARED;
    return ZEN_SPACE_INV_NONE;
}

zen_status zen_space_check(const zen_space *sp, zen_space_check_report *report)
{
    uint32_t broken = zen_space_check_layout(sp);
    uint64_t at = 0;
    uint64_t mapped = 0;
    /* Only locals are written before *report, once, at the end. */
    /*@ loop invariant 0 <= i <= sp->slots && mapped <= i;
        loop assigns i, mapped, broken, at;
        loop variant sp->slots - i; */
    for (uint64_t i = 0; i < sp->slots && broken == ZEN_SPACE_INV_NONE; i++) {
        broken = zen_space_check_slot(sp, i);
        at = i;
        if (sp->table[i] != ZEN_SPACE_NO_FRAME)
            mapped++;
    }
    if (broken == ZEN_SPACE_INV_NONE && (mapped != sp->stats.mapped || mapped > sp->stats.peak))
        broken = ZEN_SPACE_INV_COUNT;
    report->invariant = broken;
    report->slot = broken == ZEN_SPACE_INV_NONE || broken == ZEN_SPACE_INV_COUNT || broken == ZEN_SPACE_INV_LAYOUT ? 0 : at;
    return broken == ZEN_SPACE_INV_NONE ? ZEN_OK : ZEN_ERR_CORRUPT;
}
