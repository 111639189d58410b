/* The steps of an address space's operations, shared by the files of
 * zen_space: their contracts and the predicates that say what a step
 * keeps. Not part of the public API. */
#ifndef ZEN_SPACE_STEPS_H
#define ZEN_SPACE_STEPS_H

#include "zen_space.h"

/*@
    // The space's fields that never change after init read the same.
    predicate zen_space_fixed{L1, L2}(zen_space *sp) =
      \at(sp->zones, L1) == \at(sp->zones, L2) && \at(sp->max_zone, L1) == \at(sp->max_zone, L2) &&
      \at(sp->table, L1) == \at(sp->table, L2) && \at(sp->slots, L1) == \at(sp->slots, L2) &&
      \at(sp->low_slots, L1) == \at(sp->low_slots, L2) &&
      (\forall integer n; 0 <= n < ZEN_SPACE_LOADED ==>
        \at(sp->load[n], L1) == \at(sp->load[n], L2) && \at(sp->load_words[n], L1) == \at(sp->load_words[n], L2));

    // A layout that reads the same at L1 and L2 keeps its invariants.
    predicate zen_space_layout_same{L1, L2}(zen_layout *l) =
      (\forall integer k; 0 <= k < ZEN_SEG_KINDS ==>
        \at(l->seg[k].base, L1) == \at(l->seg[k].base, L2) && \at(l->seg[k].size, L1) == \at(l->seg[k].size, L2) &&
        \at(l->seg[k].flags, L1) == \at(l->seg[k].flags, L2) && \at(l->seg[k].kind, L1) == \at(l->seg[k].kind, L2)) &&
      \at(l->heap_end, L1) == \at(l->heap_end, L2) && \at(l->stack_floor, L1) == \at(l->stack_floor, L2) &&
      \at(l->top, L1) == \at(l->top, L2);

    // The same, but for the size (and for the stack, the base) of segment
    // j, the heap or the stack, which stays within its reach.
    predicate zen_space_layout_same_but{L1, L2}(zen_layout *l, integer j) =
      (\forall integer k; 0 <= k < ZEN_SEG_KINDS && k != j ==>
        \at(l->seg[k].base, L1) == \at(l->seg[k].base, L2) && \at(l->seg[k].size, L1) == \at(l->seg[k].size, L2) &&
        \at(l->seg[k].flags, L1) == \at(l->seg[k].flags, L2) && \at(l->seg[k].kind, L1) == \at(l->seg[k].kind, L2)) &&
      \at(l->seg[j].flags, L1) == \at(l->seg[j].flags, L2) && \at(l->seg[j].kind, L1) == \at(l->seg[j].kind, L2) &&
      \at(l->heap_end, L1) == \at(l->heap_end, L2) && \at(l->stack_floor, L1) == \at(l->stack_floor, L2) &&
      \at(l->top, L1) == \at(l->top, L2);

    // The heap's size changed within its reach: COMM and the heap stay in place.
    predicate zen_space_heap_moved{L1, L2}(zen_layout *l) =
      zen_space_layout_same_but{L1, L2}(l, ZEN_SEG_HEAP) &&
      \at(l->seg[ZEN_SEG_HEAP].base, L1) == \at(l->seg[ZEN_SEG_HEAP].base, L2) &&
      \at(l->seg[ZEN_SEG_HEAP].size, L2) % ZEN_PAGE_SIZE == 0 &&
      \at(l->seg[ZEN_SEG_HEAP].base + l->seg[ZEN_SEG_HEAP].size, L2) <= \at(l->heap_end, L2);

    // The stack grew or shrank within its reach, ending at the top.
    predicate zen_space_stack_moved{L1, L2}(zen_layout *l) =
      zen_space_layout_same_but{L1, L2}(l, ZEN_SEG_STACK) &&
      \at(l->stack_floor, L2) <= \at(l->seg[ZEN_SEG_STACK].base, L2) &&
      \at(l->seg[ZEN_SEG_STACK].base, L2) % ZEN_PAGE_SIZE == 0 &&
      \at(l->seg[ZEN_SEG_STACK].base + l->seg[ZEN_SEG_STACK].size, L2) == \at(l->top, L2);

    // The table, read the same in the same layout, keeps its invariant.
    predicate zen_space_table_same{L1, L2}(zen_space *sp) =
      \at(sp->table, L1) == \at(sp->table, L2) && \at(sp->slots, L1) == \at(sp->slots, L2) &&
      \forall integer i; 0 <= i < \at(sp->slots, L1) ==> \at(sp->table[i], L1) == \at(sp->table[i], L2);

    lemma zen_space_layout_same_trans{L1, L2, L3}: \forall zen_layout *l;
      zen_space_layout_same{L1, L2}(l) && zen_space_layout_same{L2, L3}(l) ==> zen_space_layout_same{L1, L3}(l);
    // The slot of a byte reads the same while the heap's and the stack's
    // reaches and the top do.
    lemma zen_space_slot_of_kept{L1, L2}: \forall zen_layout *l, integer a;
      \at(l->heap_end, L1) == \at(l->heap_end, L2) && \at(l->stack_floor, L1) == \at(l->stack_floor, L2) &&
      \at(l->top, L1) == \at(l->top, L2) ==>
      zen_space_slot_of{L1}(l, a) == zen_space_slot_of{L2}(l, a);
    lemma zen_space_table_same_trans{L1, L2, L3}: \forall zen_space *sp;
      zen_space_table_same{L1, L2}(sp) && zen_space_table_same{L2, L3}(sp) ==> zen_space_table_same{L1, L3}(sp);
 */

/*@ // Frame pfn is one the zones may hand the space: in a present zone at
    // or below max_zone, which has a direct map.
    predicate zen_space_frame_ok(zen_zone_set *s, integer max_zone, integer pfn) =
      zen_zone_of(pfn) <= max_zone && zen_zone_holds(s, zen_zone_of(pfn), pfn);

    // The first word of frame pfn in its zone's direct map.
    logic integer zen_space_frame_at(zen_zone_set *s, integer pfn) =
      (pfn - s->zone[zen_zone_of(pfn)].pages.start) * ZEN_PAGE_WORDS_PER_FRAME;
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
uint64_t zen_space_slot(const zen_space *sp, uint64_t addr);

/* A frame taken from the zones: its number, when status is ZEN_OK.
 * Returned by value: the address of a caller's local would change WP's
 * allocation table, and every \valid fact of zen_space_ok would have to be
 * proved again across the end of its life. */
typedef struct zen_space_taken {
    zen_status status;
    zen_pfn pfn;
} zen_space_taken;

/* Take a frame from the zones for the space; count a refusal for want of
 * frames. The table reads the same whatever the answer. */
/*@ requires zen_space_ok(sp);
    assigns sp->stats.oom_count, ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures \result.status == ZEN_OK || \result.status == ZEN_ERR_NOMEM || \result.status == ZEN_ERR_CORRUPT;
    ensures \result.status != ZEN_ERR_CORRUPT ==>
      zen_space_ok(sp) && zen_zone_set_same_shape{Pre, Post}(sp->zones) && zen_space_layout_same{Pre, Post}(&sp->layout);
    ensures zen_space_table_same{Pre, Post}(sp);
    ensures \result.status == ZEN_OK ==>
      zen_space_frame_ok(sp->zones, sp->max_zone, \result.pfn) && \result.pfn < ZEN_PFN_LIMIT;
 */
zen_space_taken zen_space_take(zen_space *sp);

/* A frame for the page at `page` of segment k: taken from the zones
 * (zen_space_take), then filled (zen_space_fill). */
/*@ requires zen_space_ok(sp) && ZEN_SEG_TEXT <= k <= ZEN_SEG_STACK;
    requires k < ZEN_SEG_TEXT + ZEN_SPACE_LOADED ==>
      sp->layout.seg[k].base <= page < sp->layout.seg[k].base + sp->layout.seg[k].size;
    assigns sp->stats.oom_count, ZEN_SPACE_ZONE_WRITES(sp->zones), ZEN_SPACE_FRAME_WRITES(sp->zones);
    ensures \result.status == ZEN_OK || \result.status == ZEN_ERR_NOMEM || \result.status == ZEN_ERR_CORRUPT;
    ensures \result.status != ZEN_ERR_CORRUPT ==> zen_space_ok(sp) && zen_space_layout_same{Pre, Post}(&sp->layout);
    ensures zen_space_table_same{Pre, Post}(sp);
    ensures \result.status == ZEN_OK ==> \result.pfn < ZEN_PFN_LIMIT;
 */
zen_space_taken zen_space_new_frame(zen_space *sp, unsigned k, uint64_t page);

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
void zen_space_fill(zen_space *sp, unsigned k, uint64_t page, zen_pfn pfn);

/* Grow the stack down to `page`, a page between its lowest reach and its
 * base. */
/*@ requires zen_space_ok(sp);
    requires page % ZEN_PAGE_SIZE == 0 && sp->layout.stack_floor <= page < sp->layout.seg[ZEN_SEG_STACK].base;
    assigns sp->layout.seg[ZEN_SEG_STACK].base, sp->layout.seg[ZEN_SEG_STACK].size;
    ensures zen_space_ok(sp) && sp->layout.seg[ZEN_SEG_STACK].base == page;
    ensures zen_space_table_same{Pre, Post}(sp);
 */
void zen_space_grow_stack(zen_space *sp, uint64_t page);

/* Record frame pfn in slot i, which is empty and whose page lies in a
 * segment; count it. */
/*@ requires zen_space_ok(sp) && i < sp->slots && sp->table[i] == ZEN_SPACE_NO_FRAME && pfn < ZEN_PFN_LIMIT;
    requires zen_space_slot_in_segment(&sp->layout, i);
    assigns sp->table[i], sp->stats.mapped, sp->stats.peak;
    ensures zen_space_ok(sp) && sp->table[i] == pfn && zen_space_layout_same{Pre, Post}(&sp->layout);
    ensures \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \old(sp->table[j]);
 */
void zen_space_record(zen_space *sp, uint64_t i, zen_pfn pfn);

/* Count a request refused for bad input; answer `status`. */
/*@ requires zen_space_ok(sp);
    assigns sp->stats.rejected;
    ensures zen_space_ok(sp) && \result == status;
 */
zen_status zen_space_reject(zen_space *sp, zen_status status);

/* Answer a refused access: the fault at addr, its cause and signal. */
/*@ requires zen_space_ok(sp) && \valid(fault) && \separated(fault, sp, sp->table + (0 .. sp->slots - 1));
    requires \separated(fault, sp->zones, sp->zones->frames + (0 .. sp->zones->nframes - 1),
                        sp->zones->words + (0 .. sp->zones->nwords - 1));
    assigns *fault, sp->stats.refused;
    ensures zen_space_ok(sp) && \result == ZEN_ERR_FAULT && zen_space_layout_same{Pre, Post}(&sp->layout);
    ensures fault->addr == addr && fault->cause == cause && fault->signal == ZEN_SIGSEGV;
 */
zen_status zen_space_refuse(zen_space *sp, zen_fault *fault, uint64_t addr, uint32_t cause);

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
void zen_space_set_break(zen_space *sp, uint64_t new_break, uint64_t end);

#endif
