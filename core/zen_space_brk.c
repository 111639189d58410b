/* Address spaces: the break and teardown. */
#include "zen_space_steps.h"

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
