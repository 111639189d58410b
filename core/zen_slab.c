/* Object caches: slab records, their lists, allocation and validated free.
 * The policy and the error order are those of zen_slab.h. */
#include "zen_slab_internal.h"

/* ---- records and lists ------------------------------------------------------ */

/* Put record r at the head of cache c's list `list`. */
static void zen_slab_push(zen_kmem *k, zen_slab_cache *c, uint32_t r, unsigned list)
{
    zen_slab *s = &k->slabs[r];
    uint32_t *head = &c->head[zen_slab_head_index(list)];
    s->list = (uint8_t)list;
    s->prev = ZEN_SLAB_NONE;
    s->next = *head;
    if (*head != ZEN_SLAB_NONE)
        k->slabs[*head].prev = r;
    *head = r;
}

/* Take record r off its list in cache c. */
static void zen_slab_unlink(zen_kmem *k, zen_slab_cache *c, uint32_t r)
{
    zen_slab *s = &k->slabs[r];
    if (s->prev != ZEN_SLAB_NONE)
        k->slabs[s->prev].next = s->next;
    else
        c->head[zen_slab_head_index(s->list)] = s->next;
    if (s->next != ZEN_SLAB_NONE)
        k->slabs[s->next].prev = s->prev;
    s->next = ZEN_SLAB_NONE;
    s->prev = ZEN_SLAB_NONE;
}

/* Move record r to the list its free count calls for, if it is elsewhere. */
static void zen_slab_place(zen_kmem *k, zen_slab_cache *c, uint32_t r)
{
    zen_slab *s = &k->slabs[r];
    unsigned list = zen_slab_list_for(s->nfree, c->nslots);
    if (s->list == list)
        return;
    if (s->list == ZEN_SLAB_EMPTY)
        c->stats.empty_slabs--;
    if (list == ZEN_SLAB_EMPTY)
        c->stats.empty_slabs++;
    zen_slab_unlink(k, c, r);
    zen_slab_push(k, c, r, list);
}

/* Mark slots 0 .. n - 1 free and the rest of the bitmap used. */
static void zen_slab_map_fill(zen_slab *s, uint32_t n)
{
    for (unsigned w = 0; w < ZEN_SLAB_MAP_WORDS; w++) {
        uint64_t first = (uint64_t)w * 64u;
        if (n >= first + 64u)
            s->free_map[w] = ~(uint64_t)0;
        else if (n > first)
            s->free_map[w] = ((uint64_t)1 << (n - first)) - 1u;
        else
            s->free_map[w] = 0;
    }
}

/* ---- slabs from and back to the zone allocator ------------------------------- */

/* Make a new empty slab for c: a spare record, a block from the zones owned
 * by the slab layer with the record as tag, every slot constructed. On
 * failure nothing is taken: ZEN_ERR_NOMEM without a spare record or when the
 * zones refuse. */
static zen_status zen_slab_grow(zen_kmem *k, zen_slab_cache *c, unsigned zflags, uint32_t *out)
{
    uint32_t r = k->spare;
    if (r == ZEN_SLAB_NONE || zen_kmem_refused(k, c->order))
        return ZEN_ERR_NOMEM;
    zen_pfn pfn = 0;
    zen_status st = zen_zone_alloc(k->zones, zen_slab_max_zone(c->flags), c->order, zflags, &pfn);
    if (st != ZEN_OK)
        return st;
    st = zen_zone_set_owner(k->zones, pfn, ZEN_OWNER_SLAB, r);
    if (st != ZEN_OK) {
        (void)zen_zone_free(k->zones, pfn, c->order);
        return st;
    }
    zen_slab *s = &k->slabs[r];
    k->spare = s->next;
    k->stats.spare_records--;
    s->cache = c;
    s->pfn = pfn;
    s->order = (uint8_t)c->order;
    s->nfree = (uint16_t)c->nslots;
    zen_slab_map_fill(s, c->nslots);
    zen_slab_push(k, c, r, ZEN_SLAB_EMPTY);
    c->stats.slabs++;
    c->stats.empty_slabs++;
    if (c->ctor != 0) {
        zen_paddr base = pfn << ZEN_PAGE_SHIFT;
        for (uint32_t i = 0; i < c->nslots; i++)
            c->ctor(c->ctor_ctx, base + (zen_paddr)i * c->stride);
    }
    *out = r;
    return ZEN_OK;
}

/* Return the empty slab in record r to the zones and the record to the
 * spare list. */
static zen_status zen_slab_release(zen_kmem *k, zen_slab_cache *c, uint32_t r)
{
    zen_slab *s = &k->slabs[r];
    zen_status st = zen_zone_free(k->zones, s->pfn, s->order);
    if (st != ZEN_OK)
        return st;
    zen_slab_unlink(k, c, r);
    c->stats.slabs--;
    c->stats.empty_slabs--;
    s->cache = 0;
    s->pfn = 0;
    s->nfree = 0;
    s->order = 0;
    s->list = ZEN_SLAB_SPARE;
    zen_slab_map_fill(s, 0);
    s->next = k->spare;
    k->spare = r;
    k->stats.spare_records++;
    return ZEN_OK;
}

/* Release every empty slab of c; *released counts them. */
static zen_status zen_slab_release_empty(zen_kmem *k, zen_slab_cache *c, uint64_t *released)
{
    uint64_t n = 0;
    zen_status st = ZEN_OK;
    uint32_t *head = &c->head[zen_slab_head_index(ZEN_SLAB_EMPTY)];
    while (*head != ZEN_SLAB_NONE && st == ZEN_OK) {
        st = zen_slab_release(k, c, *head);
        if (st == ZEN_OK)
            n++;
    }
    *released = n;
    return st;
}

/* ---- caches ------------------------------------------------------------------- */

/* c is a cache of k that has not been destroyed. */
static int zen_slab_cache_ok(const zen_kmem *k, const zen_slab_cache *c)
{
    return c != 0 && c->kmem == k;
}

/* The order of a slab of stride-byte slots: the smallest order whose
 * leftover is at most 1/8 of the slab, else the smallest leftover share. */
static unsigned zen_slab_pick_order(uint64_t stride, uint32_t *nslots)
{
    unsigned best = ZEN_SLAB_MAX_ORDER + 1u;
    uint64_t best_waste = 0;
    for (unsigned o = 0; o <= ZEN_SLAB_MAX_ORDER; o++) {
        uint64_t bytes = ZEN_PAGE_SIZE << o;
        uint64_t n = bytes / stride;
        if (n > ZEN_SLAB_MAX_SLOTS)
            n = ZEN_SLAB_MAX_SLOTS;
        if (n == 0u)
            continue;
        uint64_t waste = bytes - n * stride;
        if (waste * 8u <= bytes) {
            *nslots = (uint32_t)n;
            return o;
        }
        /* Shares compared over the largest slab: waste / bytes scaled. */
        uint64_t share = waste << (ZEN_SLAB_MAX_ORDER - o);
        if (best > ZEN_SLAB_MAX_ORDER || share < best_waste) {
            best = o;
            best_waste = share;
        }
    }
    uint64_t n = (ZEN_PAGE_SIZE << best) / stride;
    *nslots = (uint32_t)(n > ZEN_SLAB_MAX_SLOTS ? ZEN_SLAB_MAX_SLOTS : n);
    return best;
}

zen_status zen_slab_cache_setup(zen_kmem *k, zen_slab_cache *c, uint64_t size, uint64_t align,
                                zen_slab_ctor_fn ctor, void *ctor_ctx, unsigned flags)
{
    if (align == 0u)
        align = ZEN_SLAB_MIN_ALIGN;
    if (size == 0u || align > ZEN_PAGE_SIZE || (align & (align - 1u)) != 0u ||
        flags > ZEN_SLAB_FLAGS_ALL || (flags & (ZEN_SLAB_DMA | ZEN_SLAB_DMA32)) == (ZEN_SLAB_DMA | ZEN_SLAB_DMA32))
        return ZEN_ERR_INVAL;
    if (size > UINT64_MAX - (align - 1u))
        return ZEN_ERR_OVERFLOW;
    uint64_t stride = (size + align - 1u) & ~(align - 1u);
    if (stride < ZEN_SLAB_MIN_ALIGN)
        stride = ZEN_SLAB_MIN_ALIGN;
    if (stride > ZEN_SLAB_MAX_SIZE)
        return ZEN_ERR_INVAL;
    uint32_t nslots = 0;
    unsigned order = zen_slab_pick_order(stride, &nslots);
    c->kmem = k;
    c->size = (uint32_t)size;
    c->align = (uint32_t)align;
    c->stride = (uint32_t)stride;
    c->nslots = nslots;
    c->order = order;
    c->flags = flags;
    c->ctor = ctor;
    c->ctor_ctx = ctor_ctx;
    for (unsigned l = 0; l < ZEN_SLAB_LISTS; l++)
        c->head[l] = ZEN_SLAB_NONE;
    c->stats = (zen_slab_cache_stats){0};
    c->next = k->caches;
    k->caches = c;
    return ZEN_OK;
}

zen_status zen_slab_cache_create(zen_kmem *k, zen_slab_cache *c, uint64_t size, uint64_t align,
                                 zen_slab_ctor_fn ctor, void *ctor_ctx, unsigned flags)
{
    zen_hooks_enter(&k->hooks);
    zen_status st = zen_slab_cache_setup(k, c, size, align, ctor, ctor_ctx, flags);
    if (st != ZEN_OK)
        k->stats.rejected++;
    zen_hooks_leave(&k->hooks);
    return st;
}

zen_status zen_slab_alloc_in(zen_kmem *k, zen_slab_cache *c, unsigned zflags, zen_paddr *obj)
{
    uint32_t r = c->head[zen_slab_head_index(ZEN_SLAB_PARTIAL)];
    if (r == ZEN_SLAB_NONE)
        r = c->head[zen_slab_head_index(ZEN_SLAB_EMPTY)];
    if (r == ZEN_SLAB_NONE) {
        zen_status st = zen_slab_grow(k, c, zflags, &r);
        if (st != ZEN_OK) {
            if (st == ZEN_ERR_NOMEM)
                c->stats.oom_count++;
            return st;
        }
    }
    zen_slab *s = &k->slabs[r];
    unsigned w = 0;
    while (w < ZEN_SLAB_MAP_WORDS && s->free_map[w] == 0u)
        w++;
    if (w == ZEN_SLAB_MAP_WORDS)
        return ZEN_ERR_CORRUPT;
    unsigned bit = zen_ctz64(s->free_map[w]);
    uint32_t slot = w * 64u + bit;
    if (slot >= c->nslots)
        return ZEN_ERR_CORRUPT;
    s->free_map[w] &= ~((uint64_t)1 << bit);
    s->nfree--;
    zen_slab_place(k, c, r);
    c->stats.in_use++;
    c->stats.allocs++;
    if (c->stats.in_use > c->stats.peak_in_use)
        c->stats.peak_in_use = c->stats.in_use;
    *obj = (s->pfn << ZEN_PAGE_SHIFT) + (zen_paddr)slot * c->stride;
    return ZEN_OK;
}

zen_status zen_slab_alloc(zen_kmem *k, zen_slab_cache *c, zen_paddr *obj)
{
    zen_status st;
    zen_hooks_enter(&k->hooks);
    if (!zen_slab_cache_ok(k, c)) {
        k->stats.rejected++;
        st = ZEN_ERR_INVAL;
    } else {
        st = zen_slab_alloc_in(k, c, (c->flags & ZEN_SLAB_ATOMIC) != 0u ? ZEN_ZONE_ATOMIC : 0u, obj);
    }
    zen_hooks_leave(&k->hooks);
    return st;
}

zen_status zen_slab_record_of(const zen_kmem *k, zen_paddr obj, uint32_t *r)
{
    zen_zone_block b;
    if (zen_zone_block_of(k->zones, obj >> ZEN_PAGE_SHIFT, &b) != ZEN_OK ||
        b.owner != ZEN_OWNER_SLAB || b.tag >= k->nslabs)
        return ZEN_ERR_FOREIGN;
    const zen_slab *s = &k->slabs[b.tag];
    /* The tag is only an index: the record must describe this very block. */
    if (s->cache == 0 || s->pfn != b.head || s->order != b.order)
        return ZEN_ERR_FOREIGN;
    *r = b.tag;
    return ZEN_OK;
}

zen_status zen_slab_free_in(zen_kmem *k, zen_slab_cache *c, uint32_t r, zen_paddr obj)
{
    zen_slab *s = &k->slabs[r];
    if (s->cache != c)
        return ZEN_ERR_WRONG_CACHE;
    uint64_t off = obj - (s->pfn << ZEN_PAGE_SHIFT);
    uint64_t slot = off / c->stride;
    if (slot >= c->nslots)
        return ZEN_ERR_FOREIGN;
    if (off % c->stride != 0u)
        return ZEN_ERR_NOT_HEAD;
    uint64_t mask = (uint64_t)1 << (slot % 64u);
    if ((s->free_map[slot / 64u] & mask) != 0u)
        return ZEN_ERR_NOT_ALLOCATED;
    s->free_map[slot / 64u] |= mask;
    s->nfree++;
    zen_slab_place(k, c, r);
    c->stats.in_use--;
    return ZEN_OK;
}

zen_status zen_slab_free(zen_kmem *k, zen_slab_cache *c, zen_paddr obj)
{
    zen_status st;
    uint32_t r = 0;
    zen_hooks_enter(&k->hooks);
    if (!zen_slab_cache_ok(k, c)) {
        k->stats.rejected++;
        st = ZEN_ERR_INVAL;
    } else {
        st = zen_slab_record_of(k, obj, &r);
        if (st == ZEN_OK)
            st = zen_slab_free_in(k, c, r, obj);
        if (st != ZEN_OK)
            c->stats.rejected++;
    }
    zen_hooks_leave(&k->hooks);
    return st;
}

zen_status zen_slab_shrink(zen_kmem *k, zen_slab_cache *c, uint64_t *released)
{
    zen_status st;
    uint64_t n = 0;
    zen_hooks_enter(&k->hooks);
    if (!zen_slab_cache_ok(k, c)) {
        k->stats.rejected++;
        st = ZEN_ERR_INVAL;
    } else {
        st = zen_slab_release_empty(k, c, &n);
    }
    if (released != 0)
        *released = n;
    zen_hooks_leave(&k->hooks);
    return st;
}

/* c is one of k's kmalloc classes. */
static int zen_slab_is_class(const zen_kmem *k, const zen_slab_cache *c)
{
    for (unsigned i = 0; i < ZEN_KMALLOC_CLASSES; i++)
        if (c == &k->classes[i])
            return 1;
    return 0;
}

zen_status zen_slab_cache_destroy(zen_kmem *k, zen_slab_cache *c)
{
    zen_status st;
    uint64_t n = 0;
    zen_hooks_enter(&k->hooks);
    if (!zen_slab_cache_ok(k, c) || zen_slab_is_class(k, c)) {
        k->stats.rejected++;
        st = ZEN_ERR_INVAL;
    } else if (c->stats.in_use != 0u) {
        c->stats.rejected++;
        st = ZEN_ERR_BUSY;
    } else if ((st = zen_slab_release_empty(k, c, &n)) == ZEN_OK) {
        zen_slab_cache **link = &k->caches;
        while (*link != 0 && *link != c)
            link = &(*link)->next;
        if (*link == c)
            *link = c->next;
        c->next = 0;
        c->kmem = 0;
    }
    zen_hooks_leave(&k->hooks);
    return st;
}
