/* Consistency checker of the slab layer: caches, their lists and records,
 * the spare records, and the frames of every slab and large block. The
 * caller names its caches; the kmalloc classes are checked always. */
#include "zen_slab_internal.h"

/* Record the first broken invariant; ZEN_ERR_CORRUPT. */
static zen_status zen_slab_broken(zen_slab_check_report *report, unsigned invariant, uint32_t record,
                                  const zen_slab_cache *c)
{
    report->invariant = invariant;
    report->record = record;
    report->cache = c;
    return ZEN_ERR_CORRUPT;
}

/* Every frame of record r's block finds that block, owned by the slab layer
 * with r as its tag. */
static int zen_slab_frames_ok(const zen_kmem *k, uint32_t r)
{
    const zen_slab *s = &k->slabs[r];
    for (uint64_t j = 0; j < ((uint64_t)1 << s->order); j++) {
        zen_zone_block b;
        if (zen_zone_block_of(k->zones, s->pfn + j, &b) != ZEN_OK || b.head != s->pfn ||
            b.order != s->order || b.owner != ZEN_OWNER_SLAB || b.tag != r)
            return 0;
    }
    return 1;
}

/* The record r on list `list` of cache c: its fields, bitmap and frames. */
static zen_status zen_slab_check_record(const zen_kmem *k, const zen_slab_cache *c, uint32_t r,
                                        unsigned list, zen_slab_check_report *report)
{
    const zen_slab *s = &k->slabs[r];
    if (s->cache != c || s->list != list || s->order != c->order || s->nfree > c->nslots ||
        s->kclass != c->kmalloc_class)
        return zen_slab_broken(report, ZEN_SINV_RECORD, r, c);
    unsigned bits = 0;
    for (unsigned w = 0; w < ZEN_SLAB_MAP_WORDS; w++) {
        uint64_t first = (uint64_t)w * 64u;
        uint64_t word = s->free_map[w];
        uint64_t past = c->nslots >= first + 64u ? 0u
                      : c->nslots > first      ? ~(((uint64_t)1 << (c->nslots - first)) - 1u)
                                               : ~(uint64_t)0;
        if ((word & past) != 0u)
            return zen_slab_broken(report, ZEN_SINV_BITMAP, r, c);
        bits += zen_popcount64(word);
    }
    if (bits != s->nfree)
        return zen_slab_broken(report, ZEN_SINV_BITMAP, r, c);
    if (zen_slab_list_for(s->nfree, c->nslots) != list)
        return zen_slab_broken(report, ZEN_SINV_PLACE, r, c);
    if (!zen_slab_frames_ok(k, r))
        return zen_slab_broken(report, ZEN_SINV_FRAMES, r, c);
    return ZEN_OK;
}

/* Cache c: geometry, each list, and its statistics. *held counts its slabs. */
static zen_status zen_slab_check_cache(const zen_kmem *k, const zen_slab_cache *c, uint64_t *held,
                                       zen_slab_check_report *report)
{
    if (c->order > ZEN_SLAB_MAX_ORDER || c->nslots == 0u || c->nslots > ZEN_SLAB_MAX_SLOTS ||
        c->align == 0u || (c->align & (c->align - 1u)) != 0u || c->stride % c->align != 0u ||
        c->stride < c->size || (uint64_t)c->nslots * c->stride > (ZEN_PAGE_SIZE << c->order))
        return zen_slab_broken(report, ZEN_SINV_CACHE, ZEN_SLAB_NONE, c);
    uint64_t slabs = 0, empty = 0, in_use = 0;
    for (unsigned list = ZEN_SLAB_EMPTY; list <= ZEN_SLAB_FULL; list++) {
        uint32_t prev = ZEN_SLAB_NONE;
        for (uint32_t r = c->head[list - 1u]; r != ZEN_SLAB_NONE; r = k->slabs[r].next) {
            if (r >= k->nslabs || k->slabs[r].prev != prev || *held + slabs >= k->nslabs)
                return zen_slab_broken(report, ZEN_SINV_LINKS, r, c);
            zen_status st = zen_slab_check_record(k, c, r, list, report);
            if (st != ZEN_OK)
                return st;
            slabs++;
            empty += list == ZEN_SLAB_EMPTY;
            in_use += c->nslots - k->slabs[r].nfree;
            prev = r;
        }
    }
    if (c->stats.slabs != slabs || c->stats.empty_slabs != empty || c->stats.in_use != in_use ||
        c->stats.peak_in_use < in_use)
        return zen_slab_broken(report, ZEN_SINV_COUNTS, ZEN_SLAB_NONE, c);
    *held += slabs;
    return ZEN_OK;
}

/* The spare records: a chain of unused records. *spare counts them. */
static zen_status zen_slab_check_spare(const zen_kmem *k, uint64_t *spare, zen_slab_check_report *report)
{
    uint64_t n = 0;
    for (uint32_t r = k->spare; r != ZEN_SLAB_NONE; r = k->slabs[r].next) {
        if (r >= k->nslabs || n >= k->nslabs)
            return zen_slab_broken(report, ZEN_SINV_LINKS, r, 0);
        if (k->slabs[r].cache != 0 || k->slabs[r].list != ZEN_SLAB_SPARE)
            return zen_slab_broken(report, ZEN_SINV_RECORD, r, 0);
        n++;
    }
    *spare = n;
    return ZEN_OK;
}

/* Every slab-owned head frame names a record of its block; the kmalloc
 * blocks add up to the statistics. */
static zen_status zen_slab_check_zone_frames(const zen_kmem *k, zen_slab_check_report *report)
{
    uint64_t blocks = 0, frames = 0;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        const zen_zone *zone = &k->zones->zone[z];
        if (!zone->present)
            continue;
        for (uint64_t i = 0; i < zone->pages.nframes; i++) {
            const zen_page_frame *f = &zone->pages.frames[i];
            if (f->state != ZEN_FRAME_ALLOCATED)
                continue;
            zen_pfn pfn = zone->pages.start + i;
            if (f->owner == ZEN_OWNER_SLAB &&
                (f->tag >= k->nslabs || k->slabs[f->tag].cache == 0 || k->slabs[f->tag].pfn != pfn))
                return zen_slab_broken(report, ZEN_SINV_FRAMES, f->tag, 0);
            if (f->owner == ZEN_OWNER_KMALLOC) {
                blocks++;
                frames += (uint64_t)1 << f->order;
            }
        }
    }
    if (blocks != k->stats.large_blocks || frames != k->stats.large_frames)
        return zen_slab_broken(report, ZEN_SINV_COUNTS, ZEN_SLAB_NONE, 0);
    return ZEN_OK;
}

zen_status zen_kmem_check(const zen_kmem *k, const zen_slab_cache *const *caches, uint32_t ncaches,
                          zen_slab_check_report *report)
{
    uint64_t held = 0, spare = 0;
    zen_status st;
    for (uint32_t i = 0; i < ZEN_KMALLOC_CLASSES + ncaches; i++) {
        const zen_slab_cache *c = i < ZEN_KMALLOC_CLASSES ? &k->classes[i] : caches[i - ZEN_KMALLOC_CLASSES];
        if (c->kmem != k || c->kmalloc_class != (i < ZEN_KMALLOC_CLASSES ? i + 1u : 0u))
            return zen_slab_broken(report, ZEN_SINV_CACHE, ZEN_SLAB_NONE, c);
        if ((st = zen_slab_check_cache(k, c, &held, report)) != ZEN_OK)
            return st;
    }
    if ((st = zen_slab_check_spare(k, &spare, report)) != ZEN_OK)
        return st;
    /* Every record is on the spare list or on a list of a named cache. */
    if (held + spare != k->nslabs || spare != k->stats.spare_records)
        return zen_slab_broken(report, ZEN_SINV_COUNTS, ZEN_SLAB_NONE, 0);
    if ((st = zen_slab_check_zone_frames(k, report)) != ZEN_OK)
        return st;
    report->invariant = ZEN_SINV_NONE;
    report->record = ZEN_SLAB_NONE;
    report->cache = 0;
    return ZEN_OK;
}
