/* Address spaces: the fault handler. */
#include "zen_space_steps.h"

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
