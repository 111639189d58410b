/* Address spaces: the break and teardown. */
#include "zen_space_steps.h"
#include "zen_space_lemmas.h"

/* zen_zone_free of one frame, its contract cut down to what the space
 * uses: the set's own memory written, its shape kept on every answer, its
 * validity on every answer but ZEN_ERR_CORRUPT. */
/*@ requires zen_zone_set_valid(s);
    assigns *s, s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1];
    ensures zen_zone_set_same_shape{Pre, Post}(s);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_zone_set_valid(s);
 */
static zen_status zen_space_free_frame(zen_zone_set *s, zen_pfn pfn)
{
    return zen_zone_free(s, pfn, 0);
}

/* Give frame pfn, which no slot holds any more, back to the zones. The
 * space's fields, layout and table stay; the space stays ok unless the
 * zones answered ZEN_ERR_CORRUPT. */
/*@ requires zen_space_ok(sp);
    assigns ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures zen_space_fixed{Pre, Post}(sp) && zen_zone_set_same_shape{Pre, Post}(sp->zones);
    ensures zen_space_layout_same{Pre, Post}(&sp->layout) && zen_space_table_same{Pre, Post}(sp);
    ensures sp->brk == \old(sp->brk);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_space_ok(sp);
 */
static zen_status zen_space_give_back(zen_space *sp, zen_pfn pfn)
{
    zen_zone_set *const s = sp->zones;
    /* What the zones may write lies apart from the space and its table. */
    //@ assert \separated(sp, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    //@ assert \separated(sp->table + (0 .. sp->slots - 1), s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    //@ assert \separated(&sp->layout, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    const zen_status r = zen_space_free_frame(s, pfn);
    //@ assert sp->zones == \at(sp->zones, Pre) && sp->max_zone == \at(sp->max_zone, Pre);
    //@ assert sp->table == \at(sp->table, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_fixed{Pre, Here}(sp);
    /* The layout, a field at a time. */
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].base == \at(sp->layout.seg[k].base, Pre);
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].size == \at(sp->layout.seg[k].size, Pre);
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].flags == \at(sp->layout.seg[k].flags, Pre);
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].kind == \at(sp->layout.seg[k].kind, Pre);
    //@ assert sp->layout.heap_end == \at(sp->layout.heap_end, Pre);
    //@ assert sp->layout.stack_floor == \at(sp->layout.stack_floor, Pre) && sp->layout.top == \at(sp->layout.top, Pre);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    if (r == ZEN_ERR_CORRUPT)
        return r;
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_ok(sp);
    return r;
}

/* Empty slot i and count its frame gone. */
/*@ requires zen_space_ok(sp) && i < sp->slots;
    assigns sp->table[i], sp->stats.mapped;
    ensures zen_space_ok(sp) && sp->table[i] == ZEN_SPACE_NO_FRAME;
    ensures zen_space_fixed{Pre, Post}(sp) && zen_zone_set_same_shape{Pre, Post}(sp->zones);
    ensures zen_space_layout_same{Pre, Post}(&sp->layout) && sp->brk == \old(sp->brk);
    ensures \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \old(sp->table[j]);
 */
static void zen_space_empty(zen_space *sp, uint64_t i)
{
    //@ assert \separated(sp->table + i, sp);
    zen_zone_put_pfn(sp->zones, &sp->table[i], ZEN_SPACE_NO_FRAME);
    //@ assert zen_space_fixed{Pre, Here}(sp);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    /*@ ghost Emptied: ; */
    zen_zone_put_pfn(sp->zones, &sp->stats.mapped, sp->stats.mapped - 1u);
    //@ assert zen_space_fixed{Emptied, Here}(sp);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_layout_same{Emptied, Here}(&sp->layout);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \at(sp->table[j], Pre);
    //@ assert sp->table[i] == ZEN_SPACE_NO_FRAME;
    //@ assert zen_space_table_ok(sp);
}

/* Empty slots [from, to) without giving their frames back: the zones
 * answered ZEN_ERR_CORRUPT and are not called again. */
/*@ requires \valid(sp) && from <= to;
    requires \valid(sp->table + (from .. to - 1)) && \separated(sp, sp->table + (from .. to - 1));
    assigns sp->stats.mapped, sp->table[from .. to - 1];
    ensures \forall integer j; from <= j < to ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
 */
static void zen_space_drop(zen_space *sp, uint64_t from, uint64_t to)
{
    /*@ loop invariant from <= i <= to;
        loop invariant \forall integer j; from <= j < i ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
        loop assigns i, sp->stats.mapped, sp->table[from .. to - 1];
        loop variant to - i; */
    for (uint64_t i = from; i < to; i++) {
        if (sp->table[i] == ZEN_SPACE_NO_FRAME)
            continue;
        sp->table[i] = ZEN_SPACE_NO_FRAME;
        sp->stats.mapped--;
    }
}

/* Empty slot i and give the frame it held, if any, back to the zones:
 * their answer, or ZEN_OK for an empty slot. */
/*@ requires zen_space_ok(sp) && i < sp->slots;
    assigns sp->table[i], sp->stats.mapped, ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures sp->table[i] == ZEN_SPACE_NO_FRAME;
    ensures sp->table == \old(sp->table) && sp->slots == \old(sp->slots);
    ensures zen_space_fixed{Pre, Post}(sp) && zen_zone_set_same_shape{Pre, Post}(sp->zones);
    ensures zen_space_layout_same{Pre, Post}(&sp->layout) && sp->brk == \old(sp->brk);
    ensures \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \old(sp->table[j]);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_space_ok(sp);
 */
static zen_status zen_space_release_slot(zen_space *sp, uint64_t i)
{
    const zen_pfn pfn = sp->table[i];
    if (pfn == ZEN_SPACE_NO_FRAME)
        return ZEN_OK;
    zen_space_empty(sp, i);
    /*@ ghost Emptied: ; */
    const zen_status r = zen_space_give_back(sp, pfn);
    //@ assert zen_space_fixed{Pre, Here}(sp);
    //@ assert zen_zone_set_same_shape{Pre, Here}(sp->zones);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout) && sp->brk == \at(sp->brk, Pre);
    //@ assert sp->table == \at(sp->table, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert \forall integer j; 0 <= j < sp->slots ==> sp->table[j] == \at(sp->table[j], Emptied);
    return r;
}

/* Empty slots [from, to) and give their frames back to the zones:
 * ZEN_OK, or ZEN_ERR_CORRUPT when the zones refused one. The zones are
 * not called again once they answered ZEN_ERR_CORRUPT themselves. */
/*@ requires zen_space_ok(sp) && from <= to <= sp->slots;
    assigns sp->stats.mapped, sp->table[from .. to - 1], ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures sp->table == \old(sp->table) && sp->slots == \old(sp->slots);
    ensures emptied: \forall integer j; from <= j < to ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
    ensures kept: \forall integer j; 0 <= j < sp->slots && (j < from || to <= j) ==> sp->table[j] == \old(sp->table[j]);
    ensures \result == ZEN_OK ==> zen_space_ok(sp);
    ensures \result == ZEN_OK ==> zen_space_layout_same{Pre, Post}(&sp->layout) && sp->brk == \old(sp->brk);
 */
static zen_status zen_space_release(zen_space *sp, uint64_t from, uint64_t to)
{
    zen_status st = ZEN_OK;
    /* The places written, as they stood at entry: the zone calls rewrite
     * the set, which holds where its arrays are. */
    /*@ loop invariant from <= i <= to;
        loop invariant st == ZEN_OK || st == ZEN_ERR_CORRUPT;
        loop invariant zen_space_ok(sp);
        loop invariant sp->table == \at(sp->table, Pre) && sp->slots == \at(sp->slots, Pre);
        loop invariant fixed: zen_space_fixed{Pre, Here}(sp) && zen_zone_set_same_shape{Pre, Here}(sp->zones);
        loop invariant zen_space_layout_same{Pre, Here}(&sp->layout) && sp->brk == \at(sp->brk, Pre);
        loop invariant \forall integer j; from <= j < i ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
        loop invariant \forall integer j; 0 <= j < sp->slots && (j < from || i <= j) ==>
          sp->table[j] == \at(sp->table[j], Pre);
        loop assigns i, st, sp->stats.mapped, \at(sp->table, Pre)[from .. to - 1], *\at(sp->zones, Pre),
                     \at(sp->zones->frames, Pre)[0 .. \at(sp->zones->nframes, Pre) - 1],
                     \at(sp->zones->words, Pre)[0 .. \at(sp->zones->nwords, Pre) - 1];
        loop variant to - i; */
    for (uint64_t i = from; i < to; i++) {
        const zen_status r = zen_space_release_slot(sp, i);
        //@ assert sp->table == \at(sp->table, Pre) && sp->slots == \at(sp->slots, Pre);
        //@ assert sp->table[i] == ZEN_SPACE_NO_FRAME;
        //@ assert \forall integer j; from <= j < i ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
        //@ assert \forall integer j; from <= j <= i ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
        /*@ assert \forall integer j; 0 <= j < sp->slots && (j < from || i < j) ==>
              sp->table[j] == \at(sp->table[j], Pre); */
        //@ assert zen_space_fixed{Pre, Here}(sp);
        //@ assert zen_zone_set_same_shape{Pre, Here}(sp->zones);
        //@ assert zen_space_layout_same{Pre, Here}(&sp->layout) && sp->brk == \at(sp->brk, Pre);
        if (r == ZEN_ERR_CORRUPT) {
            //@ assert \separated(sp, sp->table + (0 .. sp->slots - 1));
            /*@ ghost Broken: ; */
            /* Slot i is empty already; the zones are not called again. */
            zen_space_drop(sp, i, to);
            //@ assert sp->table == \at(sp->table, Pre) && sp->slots == \at(sp->slots, Pre);
            //@ assert \forall integer j; 0 <= j < sp->slots && (j < i || to <= j) ==> sp->table[j] == \at(sp->table[j], Broken);
            //@ assert \forall integer j; from <= j < to ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
            /*@ assert \forall integer j; 0 <= j < sp->slots && (j < from || to <= j) ==>
                  sp->table[j] == \at(sp->table[j], Pre); */
            return ZEN_ERR_CORRUPT;
        }
        if (r != ZEN_OK)
            st = ZEN_ERR_CORRUPT;
    }
    //@ assert sp->table == \at(sp->table, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert \forall integer j; from <= j < to ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
    //@ assert \forall integer j; 0 <= j < sp->slots && (j < from || to <= j) ==> sp->table[j] == \at(sp->table[j], Pre);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout) && sp->brk == \at(sp->brk, Pre);
    return st;
}

/* Empty the slots of the pages at or above end, a page boundary in the
 * heap's reach, and give their frames back: those of the heap's pages
 * from end up (the slots above the heap's end are empty already). */
/*@ requires zen_space_ok(sp);
    requires sp->layout.seg[ZEN_SEG_HEAP].base <= end <= sp->layout.heap_end && end % ZEN_PAGE_SIZE == 0;
    assigns sp->stats.mapped, sp->table[0 .. sp->slots - 1], ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==> zen_space_ok(sp);
    ensures \result == ZEN_OK ==>
      zen_space_layout_same{Pre, Post}(&sp->layout) && sp->brk == \old(sp->brk) &&
      sp->slots == \old(sp->slots) && sp->low_slots == \old(sp->low_slots);
    ensures \result == ZEN_OK ==> \forall integer j;
      0 <= j < sp->low_slots && zen_image_text_base + j * ZEN_PAGE_SIZE >= end ==> sp->table[j] == ZEN_SPACE_NO_FRAME;
    ensures \result == ZEN_OK ==> \forall integer j;
      0 <= j < sp->slots && !(j < sp->low_slots && zen_image_text_base + j * ZEN_PAGE_SIZE >= end) ==>
      sp->table[j] == \old(sp->table[j]);
 */
static zen_status zen_space_cut(zen_space *sp, uint64_t end)
{
    const uint64_t base = sp->layout.seg[ZEN_SEG_HEAP].base;
    const uint64_t old_end = base + sp->layout.seg[ZEN_SEG_HEAP].size;
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_HEAP);
    //@ assert base + sp->layout.seg[ZEN_SEG_HEAP].size <= sp->layout.heap_end;
    //@ assert old_end == base + sp->layout.seg[ZEN_SEG_HEAP].size;
    //@ assert old_end <= sp->layout.heap_end && old_end % ZEN_PAGE_SIZE == 0;
    /* TEXT lies under the heap: the segments between follow in kind order. */
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_TEXT) && zen_seg_ok_at(&sp->layout, ZEN_SEG_RODATA);
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_DATA) && zen_seg_ok_at(&sp->layout, ZEN_SEG_BSS);
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_COMM);
    //@ assert zen_image_text_base <= base;
    //@ assert sp->low_slots == zen_space_low_slots(&sp->layout);
    /* The slots of pages at or above the heap's end have no frame. */
    /*@ assert \forall integer j; 0 <= j < sp->low_slots ==>
          zen_space_page_of(&sp->layout, j) == zen_image_text_base + j * ZEN_PAGE_SIZE; */
    /*@ assert \forall integer j; 0 <= j < sp->low_slots && zen_image_text_base + j * ZEN_PAGE_SIZE >= old_end ==>
          !zen_space_slot_in_segment(&sp->layout, j); */
    /*@ assert \forall integer j; 0 <= j < sp->low_slots && zen_image_text_base + j * ZEN_PAGE_SIZE >= old_end ==>
          sp->table[j] == ZEN_SPACE_NO_FRAME; */
    if (end >= old_end)
        return ZEN_OK;
    /* Low slots count pages from TEXT's base. */
    const uint64_t text = sp->layout.seg[ZEN_SEG_TEXT].base;
    //@ assert text == zen_image_text_base;
    //@ assert (end - text) % ZEN_PAGE_SIZE == 0 && (old_end - text) % ZEN_PAGE_SIZE == 0;
    //@ assert (end - text) / ZEN_PAGE_SIZE * ZEN_PAGE_SIZE == end - text;
    //@ assert (old_end - text) / ZEN_PAGE_SIZE * ZEN_PAGE_SIZE == old_end - text;
    //@ assert (old_end - text) / ZEN_PAGE_SIZE <= sp->low_slots <= sp->slots;
    return zen_space_release(sp, (end - text) / ZEN_PAGE_SIZE, (old_end - text) / ZEN_PAGE_SIZE);
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
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_HEAP) && sp->layout.heap_end % ZEN_PAGE_SIZE == 0;
    //@ assert (sp->layout.heap_end - base) % ZEN_PAGE_SIZE == 0;
    //@ assert zen_seg_round(sp->layout.heap_end - base) == sp->layout.heap_end - base;
    //@ assert zen_seg_round(new_break - base) <= sp->layout.heap_end - base;
    /* At most the heap's reach, a page multiple: never past the end. */
    const uint64_t end = zen_seg_end(base, new_break - base);
    //@ assert end == base + zen_seg_round(new_break - base) && end % ZEN_PAGE_SIZE == 0;
    //@ assert base <= end <= sp->layout.heap_end;
    const zen_status st = zen_space_cut(sp, end);
    if (st != ZEN_OK)
        return st;
    //@ assert sp->layout.seg[ZEN_SEG_HEAP].base == base;
    //@ assert sp->low_slots == zen_space_low_slots(&sp->layout);
    /*@ assert \forall integer j; 0 <= j < sp->low_slots ==>
          zen_space_page_of(&sp->layout, j) == zen_image_text_base + j * ZEN_PAGE_SIZE; */
    /*@ ghost Released: ; */
    zen_space_set_break(sp, new_break, end);
    //@ assert \forall integer j; 0 <= j < sp->slots ==> sp->table[j] == \at(sp->table[j], Released);
    //@ assert sp->slots == \at(sp->slots, Pre) && sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert sp->layout.heap_end == \at(sp->layout.heap_end, Pre);
    //@ assert sp->layout.stack_floor == \at(sp->layout.stack_floor, Pre);
    //@ assert sp->layout.seg[ZEN_SEG_STACK].base == \at(sp->layout.seg[ZEN_SEG_STACK].base, Pre);
    //@ assert sp->low_slots == zen_space_low_slots(&sp->layout) && sp->low_slots <= sp->slots;
    /* A low slot lies in a segment when its page is under the new end; a
     * stack slot as it did. */
    /*@ assert \forall integer j; 0 <= j < sp->low_slots ==>
          (zen_space_slot_in_segment(&sp->layout, j) <==> zen_image_text_base + j * ZEN_PAGE_SIZE < end); */
    /*@ assert \forall integer j; sp->low_slots <= j < sp->slots ==>
          (zen_space_slot_in_segment(&sp->layout, j) <==> \at(zen_space_slot_in_segment(&sp->layout, j), Pre)); */
    /*@ assert \forall integer j; sp->low_slots <= j < sp->slots ==>
          \at(sp->table[j], Pre) == ZEN_SPACE_NO_FRAME || \at(zen_space_slot_in_segment(&sp->layout, j), Pre); */
    /*@ assert \forall integer j; 0 <= j < sp->low_slots ==>
          (zen_space_slot_in_segment(&sp->layout, j) ? sp->table[j] == \at(sp->table[j], Pre)
                                                     : sp->table[j] == ZEN_SPACE_NO_FRAME); */
    /*@ assert \forall integer j; sp->low_slots <= j < sp->slots ==>
          (zen_space_slot_in_segment(&sp->layout, j) ? sp->table[j] == \at(sp->table[j], Pre)
                                                     : sp->table[j] == ZEN_SPACE_NO_FRAME); */
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
