/* Slab records and lists, shared by the caches (zen_slab.c), kmalloc
 * (zen_kmalloc.c) and the consistency checker (zen_slab_check.c). Not part
 * of the public API. */
#ifndef ZEN_SLAB_INTERNAL_H
#define ZEN_SLAB_INTERNAL_H

#include "zen_slab.h"

/* Index of a list in a cache's heads. */
static inline unsigned zen_slab_head_index(unsigned list)
{
    return list - ZEN_SLAB_EMPTY;
}

/* Where a slab with nfree free slots of nslots belongs. */
static inline unsigned zen_slab_list_for(uint32_t nfree, uint32_t nslots)
{
    if (nfree == nslots)
        return ZEN_SLAB_EMPTY;
    return nfree == 0u ? ZEN_SLAB_FULL : ZEN_SLAB_PARTIAL;
}

/* The cache flags' highest zone. */
static inline unsigned zen_slab_max_zone(unsigned flags)
{
    if ((flags & ZEN_SLAB_DMA) != 0u)
        return ZEN_ZONE_DMA;
    return (flags & ZEN_SLAB_DMA32) != 0u ? ZEN_ZONE_DMA32 : ZEN_ZONE_NORMAL;
}

/* Ask k's fault injection whether a frame request of this order is
 * refused. */
static inline int zen_kmem_refused(const zen_kmem *k, unsigned order)
{
    return k->fail != 0 && k->fail(k->fail_ctx, order) != 0;
}

/* Number of set bits of x. */
static inline unsigned zen_popcount64(uint64_t x)
{
    unsigned n = 0;
    while (x != 0u) {
        x &= x - 1u;
        n++;
    }
    return n;
}

/* Finds the record of the slab that holds obj: ZEN_OK with *r when obj's
 * frame lies in a block owned by the slab layer whose tag names a record of
 * that block; ZEN_ERR_FOREIGN otherwise. */
zen_status zen_slab_record_of(const zen_kmem *k, zen_paddr obj, uint32_t *r);

/* Free the object obj of cache c (the record r holds it): the validation
 * after the record is found, and the list moves. */
zen_status zen_slab_free_in(zen_kmem *k, zen_slab_cache *c, uint32_t r, zen_paddr obj);

/* Set up cache c for kmem k; the create checks without the hooks. */
zen_status zen_slab_cache_setup(zen_kmem *k, zen_slab_cache *c, uint64_t size, uint64_t align,
                                zen_slab_ctor_fn ctor, void *ctor_ctx, unsigned flags);

/* zen_slab_alloc without the hooks; zflags are the zone flags of a request
 * for a new slab. */
zen_status zen_slab_alloc_in(zen_kmem *k, zen_slab_cache *c, unsigned zflags, zen_paddr *obj);

#endif
