/* Consistency checker of the slab layer: caches, their lists and records,
 * the spare records, and the frames of every slab and large block. The
 * caller names its caches; the kmalloc classes are checked always.
 *
 * The parts of the walk return what they found by value (zen_slab_finding)
 * and write no memory; only zen_kmem_check writes, into *report, as it
 * returns. */
#include "zen_slab_internal.h"

/* What a part of the walk found: the first broken invariant (ZEN_SINV_NONE
 * when the part holds) and the record where it was found; when it holds,
 * what it counted (a cache's slabs, the spare records, the kmalloc blocks
 * and their frames). */
typedef struct zen_slab_finding {
    uint32_t invariant;
    uint32_t record;
    uint64_t count;
    uint64_t frames;
} zen_slab_finding;

/* A finding: invariant broken at record. */
/*@ assigns \nothing;
    ensures \result.invariant == invariant && \result.record == record;
    ensures \result.count == 0 && \result.frames == 0;
 */
static zen_slab_finding zen_slab_finding_of(uint32_t invariant, uint32_t record)
{
    zen_slab_finding f = { invariant, record, 0u, 0u };
    return f;
}

/* Record the first broken invariant; ZEN_ERR_CORRUPT. */
/*@ requires \valid(report);
    assigns *report;
    ensures \result == ZEN_ERR_CORRUPT;
    ensures report->invariant == invariant && report->record == record && report->cache == c;
 */
static zen_status zen_slab_broken(zen_slab_check_report *report, uint32_t invariant, uint32_t record,
                                  const zen_slab_cache *c)
{
    report->invariant = invariant;
    report->record = record;
    report->cache = c;
    return ZEN_ERR_CORRUPT;
}

/* Frame pfn finds the block of record r (as zen_zone_block_of finds it):
 * headed by the record's first frame, of its order, owned by the slab layer
 * with r as its tag. */
/*@ requires \valid_read(k) && zen_zone_set_valid(k->zones);
    requires r < k->nslabs && \valid_read(k->slabs + r);
    assigns \nothing;
    ensures \result == 0 || \result == 1;
 */
static int zen_slab_frame_ok(const zen_kmem *k, uint32_t r, zen_pfn pfn)
{
    const zen_slab *s = &k->slabs[r];
    zen_zone_block b;
    if (zen_zone_block_of(k->zones, pfn, &b) != ZEN_OK)
        return 0;
    return b.head == s->pfn && b.order == s->order && b.owner == ZEN_OWNER_SLAB && b.tag == r;
}

/* Every frame of record r's block finds that block, owned by the slab layer
 * with r as its tag. */
/*@ requires \valid_read(k) && zen_zone_set_valid(k->zones);
    requires r < k->nslabs && \valid_read(k->slabs + r);
    requires k->slabs[r].order <= ZEN_SLAB_MAX_ORDER;
    assigns \nothing;
    ensures \result == 0 || \result == 1;
 */
static int zen_slab_frames_ok(const zen_kmem *k, uint32_t r)
{
    const zen_slab *s = &k->slabs[r];
    /*@ loop invariant 0 <= j <= zen_block_size(s->order);
        loop assigns j;
        loop variant zen_block_size(s->order) - j; */
    for (uint64_t j = 0; j < ((uint64_t)1 << s->order); j++) {
        if (!zen_slab_frame_ok(k, r, s->pfn + j))
            return 0;
    }
    return 1;
}

/* The record r on list `list` of cache c: its fields, bitmap and frames.
 * The broken invariant, or ZEN_SINV_NONE. */
/*@ requires \valid_read(k) && zen_zone_set_valid(k->zones);
    requires r < k->nslabs && \valid_read(k->slabs + r);
    requires \valid_read(c) && c->order <= ZEN_SLAB_MAX_ORDER;
    assigns \nothing;
    ensures \result == ZEN_SINV_NONE || \result == ZEN_SINV_RECORD || \result == ZEN_SINV_BITMAP ||
            \result == ZEN_SINV_PLACE || \result == ZEN_SINV_FRAMES;
 */
static uint32_t zen_slab_check_record(const zen_kmem *k, const zen_slab_cache *c, uint32_t r,
                                      unsigned list)
{
    const zen_slab *s = &k->slabs[r];
    if (s->cache != c || s->list != list || s->order != c->order || s->nfree > c->nslots ||
        s->kclass != c->kmalloc_class)
        return ZEN_SINV_RECORD;
    unsigned bits = 0;
    /*@ loop invariant 0 <= w <= ZEN_SLAB_MAP_WORDS && bits <= 64 * w;
        loop assigns w, bits;
        loop variant ZEN_SLAB_MAP_WORDS - w; */
    for (unsigned w = 0; w < ZEN_SLAB_MAP_WORDS; w++) {
        uint64_t first = (uint64_t)w * 64u;
        uint64_t word = s->free_map[w];
        uint64_t past = c->nslots >= first + 64u ? 0u
                      : c->nslots > first      ? ~(((uint64_t)1 << (c->nslots - first)) - 1u)
                                               : ~(uint64_t)0;
        if ((word & past) != 0u)
            return ZEN_SINV_BITMAP;
        bits += zen_popcount64(word);
    }
    if (bits != s->nfree)
        return ZEN_SINV_BITMAP;
    if (zen_slab_list_for(s->nfree, c->nslots) != list)
        return ZEN_SINV_PLACE;
    if (!zen_slab_frames_ok(k, r))
        return ZEN_SINV_FRAMES;
    return ZEN_SINV_NONE;
}

/* Cache c's geometry: zen_slab_check_geometry. */
/*@ requires \valid_read(c);
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> zen_slab_check_geometry(c);
 */
static int zen_slab_geometry_ok(const zen_slab_cache *c)
{
    if (c->order > ZEN_SLAB_MAX_ORDER || c->nslots == 0u || c->nslots > ZEN_SLAB_MAX_SLOTS ||
        c->align == 0u || (c->align & (c->align - 1u)) != 0u || c->stride % c->align != 0u ||
        c->stride < c->size)
        return 0;
    return (uint64_t)c->nslots * c->stride <= (ZEN_PAGE_SIZE << c->order);
}

/* Cache c: geometry, each list, and its statistics. held counts the slabs
 * of the caches walked before; when c holds, the finding counts its slabs. */
/*@ requires \valid_read(k) && zen_zone_set_valid(k->zones);
    requires 0 < k->nslabs < ZEN_SLAB_NONE && \valid_read(k->slabs + (0 .. k->nslabs - 1));
    requires \valid_read(c) && held <= k->nslabs;
    assigns \nothing;
    ensures \result.invariant == ZEN_SINV_NONE || \result.invariant == ZEN_SINV_RECORD ||
            \result.invariant == ZEN_SINV_LINKS || \result.invariant == ZEN_SINV_BITMAP ||
            \result.invariant == ZEN_SINV_PLACE || \result.invariant == ZEN_SINV_FRAMES ||
            \result.invariant == ZEN_SINV_COUNTS || \result.invariant == ZEN_SINV_CACHE;
    ensures \result.invariant == ZEN_SINV_CACHE <==> !zen_slab_check_geometry(c);
    ensures \result.invariant == ZEN_SINV_CACHE || \result.invariant == ZEN_SINV_COUNTS ==>
      \result.record == ZEN_SLAB_NONE;
    ensures \result.invariant == ZEN_SINV_RECORD || \result.invariant == ZEN_SINV_BITMAP ||
            \result.invariant == ZEN_SINV_PLACE ==> \result.record < k->nslabs;
    ensures \result.invariant == ZEN_SINV_NONE ==> held + \result.count <= k->nslabs;
 */
static zen_slab_finding zen_slab_check_cache(const zen_kmem *k, const zen_slab_cache *c, uint64_t held)
{
    if (!zen_slab_geometry_ok(c))
        return zen_slab_finding_of(ZEN_SINV_CACHE, ZEN_SLAB_NONE);
    uint64_t slabs = 0, empty = 0, in_use = 0;
    /*@ loop invariant ZEN_SLAB_EMPTY <= list <= ZEN_SLAB_FULL + 1;
        loop invariant held + slabs <= k->nslabs;
        loop assigns list, slabs, empty, in_use;
        loop variant ZEN_SLAB_FULL + 1 - list; */
    for (unsigned list = ZEN_SLAB_EMPTY; list <= ZEN_SLAB_FULL; list++) {
        uint32_t prev = ZEN_SLAB_NONE;
        /*@ loop invariant held + slabs <= k->nslabs;
            loop assigns r, prev, slabs, empty, in_use;
            loop variant k->nslabs - held - slabs; */
        for (uint32_t r = c->head[list - 1u]; r != ZEN_SLAB_NONE; r = k->slabs[r].next) {
            if (r >= k->nslabs || k->slabs[r].prev != prev || held + slabs >= k->nslabs)
                return zen_slab_finding_of(ZEN_SINV_LINKS, r);
            uint32_t inv = zen_slab_check_record(k, c, r, list);
            if (inv != ZEN_SINV_NONE)
                return zen_slab_finding_of(inv, r);
            slabs++;
            empty += list == ZEN_SLAB_EMPTY;
            in_use += c->nslots - k->slabs[r].nfree;
            prev = r;
        }
    }
    if (c->stats.slabs != slabs || c->stats.empty_slabs != empty || c->stats.in_use != in_use ||
        c->stats.peak_in_use < in_use)
        return zen_slab_finding_of(ZEN_SINV_COUNTS, ZEN_SLAB_NONE);
    zen_slab_finding f = zen_slab_finding_of(ZEN_SINV_NONE, ZEN_SLAB_NONE);
    f.count = slabs;
    return f;
}

/* The spare records: a chain of unused records. When it holds, the
 * finding counts them. */
/*@ requires \valid_read(k) && 0 < k->nslabs < ZEN_SLAB_NONE;
    requires \valid_read(k->slabs + (0 .. k->nslabs - 1));
    assigns \nothing;
    ensures \result.invariant == ZEN_SINV_NONE || \result.invariant == ZEN_SINV_LINKS ||
            \result.invariant == ZEN_SINV_RECORD;
    ensures \result.invariant == ZEN_SINV_RECORD ==> \result.record < k->nslabs;
    ensures \result.invariant == ZEN_SINV_NONE ==> \result.count <= k->nslabs;
 */
static zen_slab_finding zen_slab_check_spare(const zen_kmem *k)
{
    uint64_t n = 0;
    /*@ loop invariant n <= k->nslabs;
        loop assigns r, n;
        loop variant k->nslabs - n; */
    for (uint32_t r = k->spare; r != ZEN_SLAB_NONE; r = k->slabs[r].next) {
        if (r >= k->nslabs || n >= k->nslabs)
            return zen_slab_finding_of(ZEN_SINV_LINKS, r);
        if (k->slabs[r].cache != 0 || k->slabs[r].list != ZEN_SLAB_SPARE)
            return zen_slab_finding_of(ZEN_SINV_RECORD, r);
        n++;
    }
    zen_slab_finding f = zen_slab_finding_of(ZEN_SINV_NONE, ZEN_SLAB_NONE);
    f.count = n;
    return f;
}

/* The frames of the page allocator a of a zone: every slab-owned head
 * frame names a record of its block. When that holds, the finding counts
 * the kmalloc blocks and their frames. */
/*@ requires \valid_read(k) && 0 < k->nslabs < ZEN_SLAB_NONE;
    requires \valid_read(k->slabs + (0 .. k->nslabs - 1));
    requires zen_page_valid(a);
    assigns \nothing;
    ensures \result.invariant == ZEN_SINV_NONE || \result.invariant == ZEN_SINV_FRAMES;
 */
static zen_slab_finding zen_slab_check_zone(const zen_kmem *k, const zen_page_allocator *a)
{
    uint64_t blocks = 0, frames = 0;
    /*@ loop invariant 0 <= i <= a->nframes;
        loop assigns i, blocks, frames;
        loop variant a->nframes - i; */
    for (uint64_t i = 0; i < a->nframes; i++) {
        const zen_page_frame *f = &a->frames[i];
        if (f->state != ZEN_FRAME_ALLOCATED)
            continue;
        zen_pfn pfn = a->start + i;
        if (f->owner == ZEN_OWNER_SLAB &&
            (f->tag >= k->nslabs || k->slabs[f->tag].cache == 0 || k->slabs[f->tag].pfn != pfn))
            return zen_slab_finding_of(ZEN_SINV_FRAMES, f->tag);
        if (f->owner == ZEN_OWNER_KMALLOC) {
            blocks++;
            frames += (uint64_t)1 << f->order;
        }
    }
    zen_slab_finding f = zen_slab_finding_of(ZEN_SINV_NONE, ZEN_SLAB_NONE);
    f.count = blocks;
    f.frames = frames;
    return f;
}

/* Every slab-owned head frame names a record of its block; the kmalloc
 * blocks add up to the statistics. */
/*@ requires \valid_read(k) && zen_zone_set_valid(k->zones);
    requires 0 < k->nslabs < ZEN_SLAB_NONE && \valid_read(k->slabs + (0 .. k->nslabs - 1));
    assigns \nothing;
    ensures \result.invariant == ZEN_SINV_NONE || \result.invariant == ZEN_SINV_FRAMES ||
            \result.invariant == ZEN_SINV_COUNTS;
    ensures \result.invariant == ZEN_SINV_COUNTS ==> \result.record == ZEN_SLAB_NONE;
 */
static zen_slab_finding zen_slab_check_zone_frames(const zen_kmem *k)
{
    uint64_t blocks = 0, frames = 0;
    /*@ loop invariant 0 <= z <= ZEN_ZONE_COUNT;
        loop assigns z, blocks, frames;
        loop variant ZEN_ZONE_COUNT - z; */
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        const zen_zone *zone = &k->zones->zone[z];
        if (!zone->present)
            continue;
        /*@ assert zen_zone_ok(k->zones, z); */
        zen_slab_finding f = zen_slab_check_zone(k, &zone->pages);
        if (f.invariant != ZEN_SINV_NONE)
            return f;
        blocks += f.count;
        frames += f.frames;
    }
    if (blocks != k->stats.large_blocks || frames != k->stats.large_frames)
        return zen_slab_finding_of(ZEN_SINV_COUNTS, ZEN_SLAB_NONE);
    return zen_slab_finding_of(ZEN_SINV_NONE, ZEN_SLAB_NONE);
}

zen_status zen_kmem_check(const zen_kmem *k, const zen_slab_cache *const *caches, uint32_t ncaches,
                          zen_slab_check_report *report)
{
    uint64_t held = 0;
    /*@ loop invariant 0 <= i <= zen_kmem_check_count(ncaches);
        loop invariant held <= k->nslabs;
        loop invariant \forall integer j; 0 <= j < i ==>
          zen_slab_check_header(k, zen_kmem_check_cache(k, caches, j), zen_kmem_check_class(j));
        loop assigns i, held;
        loop variant zen_kmem_check_count(ncaches) - i; */
    for (uint32_t i = 0; i < ZEN_KMALLOC_CLASSES + ncaches; i++) {
        const zen_slab_cache *c = i < ZEN_KMALLOC_CLASSES ? &k->classes[i] : caches[i - ZEN_KMALLOC_CLASSES];
        /* Where every header is good (behavior caches_ok), the walk never
         * reports ZEN_SINV_CACHE: stated at each step, path by path. */
        /*@ assert c == zen_kmem_check_cache(k, caches, i); */
        if (c->kmem != k || c->kmalloc_class != (i < ZEN_KMALLOC_CLASSES ? i + 1u : 0u)) {
            /*@ for caches_ok: assert bad_header_unreachable: \false; */
            return zen_slab_broken(report, ZEN_SINV_CACHE, ZEN_SLAB_NONE, c);
        }
        /*@ for caches_ok: assert geometry_passes: zen_slab_check_geometry(c); */
        zen_slab_finding f = zen_slab_check_cache(k, c, held);
        /*@ for caches_ok: assert finding_not_cache: f.invariant != ZEN_SINV_CACHE; */
        if (f.invariant != ZEN_SINV_NONE)
            return zen_slab_broken(report, f.invariant, f.record, c);
        held += f.count;
    }
    zen_slab_finding spare = zen_slab_check_spare(k);
    if (spare.invariant != ZEN_SINV_NONE)
        return zen_slab_broken(report, spare.invariant, spare.record, 0);
    /* Every record is on the spare list or on a list of a named cache. */
    if (held + spare.count != k->nslabs || spare.count != k->stats.spare_records)
        return zen_slab_broken(report, ZEN_SINV_COUNTS, ZEN_SLAB_NONE, 0);
    zen_slab_finding frames = zen_slab_check_zone_frames(k);
    if (frames.invariant != ZEN_SINV_NONE)
        return zen_slab_broken(report, frames.invariant, frames.record, 0);
    report->invariant = ZEN_SINV_NONE;
    report->record = ZEN_SLAB_NONE;
    report->cache = 0;
    return ZEN_OK;
}
