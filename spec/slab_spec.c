/* Executable specification of the Zen slab layer: see slab_spec.h. */
#include "slab_spec.h"

#include <string.h>

static const uint32_t class_size[ZEN_KMALLOC_CLASSES] = {
    8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048
};

unsigned slab_spec_class(uint64_t size)
{
    if (size == 0)
        return ZEN_KMALLOC_CLASSES;
    for (unsigned i = 0; i < ZEN_KMALLOC_CLASSES; i++)
        if (size <= class_size[i])
            return i;
    return ZEN_KMALLOC_CLASSES;
}

zen_status slab_spec_geometry(uint64_t size, uint64_t align, unsigned flags, uint64_t *stride,
                              unsigned *order, uint32_t *nslots)
{
    if (align == 0)
        align = ZEN_SLAB_MIN_ALIGN;
    bool power_of_two = align != 0 && (align & (align - 1)) == 0;
    if (size == 0 || !power_of_two || align > ZEN_PAGE_SIZE || flags > ZEN_SLAB_FLAGS_ALL ||
        ((flags & ZEN_SLAB_DMA) && (flags & ZEN_SLAB_DMA32)))
        return ZEN_ERR_INVAL;
    if (size > UINT64_MAX - (align - 1))
        return ZEN_ERR_OVERFLOW;
    uint64_t st = (size + align - 1) / align * align;
    if (st < ZEN_SLAB_MIN_ALIGN)
        st = ZEN_SLAB_MIN_ALIGN;
    if (st > ZEN_SLAB_MAX_SIZE)
        return ZEN_ERR_INVAL;
    /* Slots of each order, capped; the first order with at most 1/8 left
     * over wins, else the order whose leftover is the smallest share of its
     * slab (waste_a / bytes_a < waste_b / bytes_b, compared crosswise). */
    unsigned best = ZEN_SLAB_MAX_ORDER + 1;
    for (unsigned o = 0; o <= ZEN_SLAB_MAX_ORDER; o++) {
        uint64_t bytes = ZEN_PAGE_SIZE << o;
        uint64_t n = bytes / st < ZEN_SLAB_MAX_SLOTS ? bytes / st : ZEN_SLAB_MAX_SLOTS;
        if (n == 0)
            continue;
        uint64_t waste = bytes - n * st;
        if (8 * waste <= bytes) {
            best = o;
            break;
        }
        if (best > ZEN_SLAB_MAX_ORDER) {
            best = o;
        } else {
            uint64_t bb = ZEN_PAGE_SIZE << best;
            uint64_t nb = bb / st < ZEN_SLAB_MAX_SLOTS ? bb / st : ZEN_SLAB_MAX_SLOTS;
            if (waste * bb < (bb - nb * st) * bytes)
                best = o;
        }
    }
    uint64_t bytes = ZEN_PAGE_SIZE << best;
    *stride = st;
    *order = best;
    *nslots = (uint32_t)(bytes / st < ZEN_SLAB_MAX_SLOTS ? bytes / st : ZEN_SLAB_MAX_SLOTS);
    return ZEN_OK;
}

static void cache_setup(slab_spec_cache *c, uint64_t size, uint64_t align, unsigned flags)
{
    memset(c, 0, sizeof *c);
    (void)slab_spec_geometry(size, align, flags, &c->stride, &c->order, &c->nslots);
    c->live = true;
    c->size = size;
    c->align = align == 0 ? ZEN_SLAB_MIN_ALIGN : align;
    c->flags = flags;
}

void slab_spec_init(slab_spec *s, zone_spec *zones, uint32_t nrecords)
{
    memset(s, 0, sizeof *s);
    s->zones = zones;
    s->nrecords = nrecords;
    for (unsigned i = 0; i < ZEN_KMALLOC_CLASSES; i++) {
        cache_setup(&s->cache[i], class_size[i], 0, 0);
        s->cache[i].kmalloc_class = true;
    }
}

zen_status slab_spec_create(slab_spec *s, uint64_t size, uint64_t align, unsigned flags, uint32_t *id)
{
    uint64_t stride;
    unsigned order;
    uint32_t nslots;
    zen_status st = slab_spec_geometry(size, align, flags, &stride, &order, &nslots);
    if (st != ZEN_OK) {
        s->rejected++;
        return st;
    }
    for (uint32_t i = ZEN_KMALLOC_CLASSES; i < SLAB_SPEC_MAX_CACHES; i++) {
        if (!s->cache[i].live) {
            cache_setup(&s->cache[i], size, align, flags);
            *id = i;
            return ZEN_OK;
        }
    }
    return ZEN_ERR_CAPACITY; /* the model's own limit: callers keep below it */
}

static bool cache_ok(const slab_spec *s, uint32_t id)
{
    return id < SLAB_SPEC_MAX_CACHES && s->cache[id].live;
}

static bool slab_holds(const slab_spec_slab *b, zen_pfn pfn)
{
    return b->pfn <= pfn && pfn < b->pfn + ((zen_pfn)1 << b->order);
}

/* A frame request of the slab layer: fault injection, then the zones. */
static zen_status request_frames(slab_spec *s, unsigned max_zone, unsigned order, unsigned zflags,
                                 zen_pfn *pfn)
{
    if (s->fail != NULL && s->fail(s->fail_ctx, order))
        return ZEN_ERR_NOMEM;
    return zone_spec_alloc(s->zones, max_zone, order, zflags, pfn);
}

static unsigned max_zone_of(unsigned flags)
{
    if (flags & ZEN_SLAB_DMA)
        return ZEN_ZONE_DMA;
    return (flags & ZEN_SLAB_DMA32) ? ZEN_ZONE_DMA32 : ZEN_ZONE_NORMAL;
}

/* The slab the policy may take: partial if any, else empty; the one that
 * holds hint when allowed, else the lowest-addressed allowed one; -1 if
 * none. */
static int pick_slab(const slab_spec_cache *c, zen_paddr hint)
{
    for (int want_partial = 1; want_partial >= 0; want_partial--) {
        int lowest = -1;
        for (uint32_t i = 0; i < c->nslabs; i++) {
            const slab_spec_slab *b = &c->slabs[i];
            bool partial = b->live > 0 && b->live < c->nslots;
            bool allowed = want_partial ? partial : b->live == 0;
            if (!allowed)
                continue;
            if (slab_holds(b, hint >> ZEN_PAGE_SHIFT))
                return (int)i;
            if (lowest < 0 || b->pfn < c->slabs[lowest].pfn)
                lowest = (int)i;
        }
        if (lowest >= 0)
            return lowest;
    }
    return -1;
}

static zen_status cache_alloc(slab_spec *s, slab_spec_cache *c, unsigned zflags, zen_paddr hint,
                              zen_paddr *obj, bool *new_slab)
{
    *new_slab = false;
    int i = pick_slab(c, hint);
    if (i < 0) {
        zen_pfn pfn;
        zen_status st = s->held == s->nrecords || c->nslabs == SLAB_SPEC_MAX_SLABS
                            ? ZEN_ERR_NOMEM
                            : request_frames(s, max_zone_of(c->flags), c->order, zflags, &pfn);
        if (st != ZEN_OK) {
            if (st == ZEN_ERR_NOMEM)
                c->oom_count++;
            return st;
        }
        i = (int)c->nslabs++;
        memset(&c->slabs[i], 0, sizeof c->slabs[i]);
        c->slabs[i].pfn = pfn;
        c->slabs[i].order = c->order;
        s->held++;
        *new_slab = true;
    }
    slab_spec_slab *b = &c->slabs[i];
    uint32_t slot = 0;
    while (b->used[slot])
        slot++;
    b->used[slot] = true;
    b->live++;
    c->in_use++;
    *obj = (b->pfn << ZEN_PAGE_SHIFT) + slot * c->stride;
    return ZEN_OK;
}

zen_status slab_spec_alloc(slab_spec *s, uint32_t id, zen_paddr hint, zen_paddr *obj, bool *new_slab)
{
    *new_slab = false;
    if (!cache_ok(s, id)) {
        s->rejected++;
        return ZEN_ERR_INVAL;
    }
    slab_spec_cache *c = &s->cache[id];
    return cache_alloc(s, c, (c->flags & ZEN_SLAB_ATOMIC) ? ZEN_ZONE_ATOMIC : 0, hint, obj, new_slab);
}

/* The cache and slab that hold obj's frame, if any. */
static bool find_slab(slab_spec *s, zen_paddr obj, uint32_t *id, uint32_t *i)
{
    for (uint32_t c = 0; c < SLAB_SPEC_MAX_CACHES; c++) {
        if (!s->cache[c].live)
            continue;
        for (uint32_t j = 0; j < s->cache[c].nslabs; j++) {
            if (slab_holds(&s->cache[c].slabs[j], obj >> ZEN_PAGE_SHIFT)) {
                *id = c;
                *i = j;
                return true;
            }
        }
    }
    return false;
}

/* Free obj, known to lie in slab i of cache c. */
static zen_status free_in(slab_spec_cache *c, uint32_t i, zen_paddr obj)
{
    slab_spec_slab *b = &c->slabs[i];
    uint64_t off = obj - (b->pfn << ZEN_PAGE_SHIFT);
    if (off / c->stride >= c->nslots)
        return ZEN_ERR_FOREIGN;
    if (off % c->stride != 0)
        return ZEN_ERR_NOT_HEAD;
    uint64_t slot = off / c->stride;
    if (!b->used[slot])
        return ZEN_ERR_NOT_ALLOCATED;
    b->used[slot] = false;
    b->live--;
    c->in_use--;
    return ZEN_OK;
}

zen_status slab_spec_free(slab_spec *s, uint32_t id, zen_paddr obj)
{
    if (!cache_ok(s, id)) {
        s->rejected++;
        return ZEN_ERR_INVAL;
    }
    uint32_t owner, i;
    zen_status st;
    if (!find_slab(s, obj, &owner, &i))
        st = ZEN_ERR_FOREIGN;
    else if (owner != id)
        st = ZEN_ERR_WRONG_CACHE;
    else
        st = free_in(&s->cache[id], i, obj);
    if (st != ZEN_OK)
        s->cache[id].rejected++;
    return st;
}

/* Give every empty slab of c back to the zones. */
static uint64_t release_empty(slab_spec *s, slab_spec_cache *c)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < c->nslabs;) {
        if (c->slabs[i].live != 0) {
            i++;
            continue;
        }
        if (zone_spec_free(s->zones, c->slabs[i].pfn, c->slabs[i].order) != ZEN_OK)
            return n; /* the zone model disagrees: the differential shows it */
        c->slabs[i] = c->slabs[--c->nslabs];
        s->held--;
        n++;
    }
    return n;
}

zen_status slab_spec_shrink(slab_spec *s, uint32_t id, uint64_t *released)
{
    *released = 0;
    if (!cache_ok(s, id)) {
        s->rejected++;
        return ZEN_ERR_INVAL;
    }
    *released = release_empty(s, &s->cache[id]);
    return ZEN_OK;
}

zen_status slab_spec_destroy(slab_spec *s, uint32_t id)
{
    if (!cache_ok(s, id) || s->cache[id].kmalloc_class) {
        s->rejected++;
        return ZEN_ERR_INVAL;
    }
    if (s->cache[id].in_use != 0) {
        s->cache[id].rejected++;
        return ZEN_ERR_BUSY;
    }
    release_empty(s, &s->cache[id]);
    s->cache[id].live = false;
    return ZEN_OK;
}

zen_status slab_spec_kmalloc(slab_spec *s, uint64_t size, unsigned flags, zen_paddr hint, zen_paddr *obj)
{
    zen_status st;
    unsigned zflags = (flags & ZEN_KMALLOC_ATOMIC) ? ZEN_ZONE_ATOMIC : 0;
    bool new_slab;
    if (size == 0 || flags > ZEN_KMALLOC_FLAGS_ALL) {
        st = ZEN_ERR_INVAL;
    } else if (size > UINT64_MAX - (ZEN_PAGE_SIZE - 1)) {
        st = ZEN_ERR_OVERFLOW;
    } else if (size > ZEN_KMALLOC_MAX_SIZE) {
        st = ZEN_ERR_INVAL;
    } else if (size <= ZEN_KMALLOC_MAX_SLAB_SIZE) {
        st = cache_alloc(s, &s->cache[slab_spec_class(size)], zflags, hint, obj, &new_slab);
        if (st == ZEN_ERR_NOMEM)
            s->oom_count++;
        return st;
    } else {
        unsigned order = 0;
        while ((ZEN_PAGE_SIZE << order) < size)
            order++;
        zen_pfn pfn;
        st = s->nlarge == SLAB_SPEC_MAX_LARGE ? ZEN_ERR_NOMEM
                                              : request_frames(s, ZEN_ZONE_NORMAL, order, zflags, &pfn);
        if (st == ZEN_OK) {
            s->large[s->nlarge].pfn = pfn;
            s->large[s->nlarge].order = order;
            s->nlarge++;
            *obj = pfn << ZEN_PAGE_SHIFT;
        } else if (st == ZEN_ERR_NOMEM) {
            s->oom_count++;
        }
        return st;
    }
    s->rejected++;
    return st;
}

zen_status slab_spec_kfree(slab_spec *s, zen_paddr obj)
{
    zen_pfn pfn = obj >> ZEN_PAGE_SHIFT;
    zen_status st = ZEN_ERR_FOREIGN;
    uint32_t id, i;
    for (uint32_t j = 0; j < s->nlarge; j++) {
        const slab_spec_large *l = &s->large[j];
        if (l->pfn <= pfn && pfn < l->pfn + ((zen_pfn)1 << l->order)) {
            if (obj != l->pfn << ZEN_PAGE_SHIFT) {
                st = ZEN_ERR_NOT_HEAD;
            } else {
                st = zone_spec_free(s->zones, l->pfn, l->order);
                if (st == ZEN_OK)
                    s->large[j] = s->large[--s->nlarge];
            }
            goto out;
        }
    }
    if (find_slab(s, obj, &id, &i))
        st = s->cache[id].kmalloc_class ? free_in(&s->cache[id], i, obj) : ZEN_ERR_WRONG_CACHE;
out:
    if (st != ZEN_OK)
        s->rejected++;
    return st;
}

uint64_t slab_spec_empty_slabs(const slab_spec *s, uint32_t id)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < s->cache[id].nslabs; i++)
        n += s->cache[id].slabs[i].live == 0;
    return n;
}

uint64_t slab_spec_large_frames(const slab_spec *s)
{
    uint64_t n = 0;
    for (uint32_t j = 0; j < s->nlarge; j++)
        n += (uint64_t)1 << s->large[j].order;
    return n;
}
