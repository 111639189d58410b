/* Block geometry shared by the page allocator and its consistency checker.
 * Not part of the public API. */
#ifndef ZEN_PAGE_INTERNAL_H
#define ZEN_PAGE_INTERNAL_H

#include "zen_page.h"

/* Index of the order-k block holding pfn, counted from the block holding the
 * first frame of the range. */
/*@ requires \valid_read(a) && k <= ZEN_PAGE_MAX_ORDER;
    assigns \nothing; */
static inline uint64_t zen_block_index(const zen_page_allocator *a, zen_pfn pfn, unsigned k)
{
    return (pfn >> k) - (a->start >> k);
}

/* True when pfn lies inside the managed range. */
/*@ requires \valid_read(a);
    assigns \nothing;
    ensures \result != 0 <==> zen_in_range(a, pfn);
 */
static inline int zen_pfn_inside(const zen_page_allocator *a, zen_pfn pfn)
{
    return pfn >= a->start && pfn - a->start < a->nframes;
}

/* True when the block of 2^k frames at head lies inside the managed range. */
/*@ requires \valid_read(a) && k <= ZEN_PAGE_MAX_ORDER;
    assigns \nothing;
    ensures \result != 0 ==> a->start <= head &&
            head - a->start + zen_block_size(k) <= a->nframes &&
            zen_block_size(k) >= 1;
 */
static inline int zen_block_inside(const zen_page_allocator *a, zen_pfn head, unsigned k)
{
    uint64_t size = (uint64_t)1 << k;
    return size != 0u && head >= a->start && size <= a->nframes &&
           head - a->start <= a->nframes - size;
}

#endif
