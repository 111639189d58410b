/* Address spaces: the consistency checker. */
#include "zen_space_steps.h"
#include "zen_zone_internal.h"

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
