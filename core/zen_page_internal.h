/* Block geometry shared by the page allocator and its consistency checker.
 * Not part of the public API. */
#ifndef ZEN_PAGE_INTERNAL_H
#define ZEN_PAGE_INTERNAL_H

#include "zen_page.h"

/* Index of the order-k block holding pfn, counted from the block holding the
 * first frame of the range. */
static inline uint64_t zen_block_index(const zen_page_allocator *a, zen_pfn pfn, unsigned k)
{
    return (pfn >> k) - (a->start >> k);
}

/* True when the block of 2^k frames at head lies inside the managed range. */
static inline int zen_block_inside(const zen_page_allocator *a, zen_pfn head, unsigned k)
{
    uint64_t size = (uint64_t)1 << k;
    return head >= a->start && size <= a->nframes && head - a->start <= a->nframes - size;
}

static inline void zen_frame_set(zen_page_frame *f, unsigned state, unsigned order,
                                 unsigned owner, uint32_t refcount)
{
    f->state = (uint8_t)state;
    f->order = (uint8_t)order;
    f->owner = (uint8_t)owner;
    f->pad = 0;
    f->refcount = refcount;
}

#endif
