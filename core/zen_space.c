/* Address spaces: the slot of an address and the frame of a page. */
#include "zen_space_steps.h"

uint64_t zen_space_slot(const zen_space *sp, uint64_t addr)
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

zen_status zen_space_frame_at(const zen_space *sp, uint64_t addr, zen_pfn *pfn)
{
    const uint64_t i = zen_space_slot(sp, addr);
    if (i == sp->slots)
        return ZEN_ERR_RANGE;
    const zen_pfn frame = sp->table[i];
    if (frame == ZEN_SPACE_NO_FRAME)
        return ZEN_ERR_NOT_ALLOCATED;
    /*@ ghost Found: ; */
    *pfn = frame;
    //@ assert sp->table[i] == frame;
    //@ assert sp->layout.heap_end == \at(sp->layout.heap_end, Found) && sp->layout.top == \at(sp->layout.top, Found);
    //@ assert sp->layout.stack_floor == \at(sp->layout.stack_floor, Found);
    //@ assert zen_space_slot_of(&sp->layout, addr) == i;
    return ZEN_OK;
}
