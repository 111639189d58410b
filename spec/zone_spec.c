/* Executable specification of the Zen zone allocator. See zone_spec.h.
 *
 * The map is read frame by frame: a frame is usable by the rule of
 * zen_zone.h, checked byte range against byte range in
 * zone_spec_frame_usable. The zones are then the lowest to the highest
 * usable frame of each address band, each one a page model (page_spec.h)
 * with exactly its usable frames added. Every query recomputes what it needs
 * from the page models (page_spec_stats). */
#include "zone_spec.h"

#include <stdlib.h>
#include <string.h>

/* Under a fuzzer the spec is the judge, not the target: its scans would
 * otherwise dominate the run time with coverage callbacks (the core keeps
 * its instrumentation; sanitizers still apply here). */
#if defined(__clang__) && __clang_major__ >= 13
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), apply_to = function)
#define ZONE_SPEC_NO_COVERAGE 1
#endif

/* ---- the memory map ------------------------------------------------------- */

/* The last byte of an entry. Well formed: length != 0 and base + length <=
 * 2^64, so base + length - 1 fits in 64 bits. */
static uint64_t last_byte(const zen_mem_range *r)
{
    return r->base + (r->length - 1);
}

/* The zone whose address band holds pfn. */
static unsigned zone_of(zen_pfn pfn)
{
    if (pfn < ZEN_ZONE_DMA32_START)
        return ZEN_ZONE_DMA;
    if (pfn < ZEN_ZONE_NORMAL_START)
        return ZEN_ZONE_DMA32;
    return ZEN_ZONE_NORMAL;
}

bool zone_spec_frame_usable(const zen_mem_range *map, uint64_t count, zen_pfn pfn)
{
    /* Frames at or above ZEN_PFN_LIMIT have no byte below 2^64. */
    if (pfn == 0 || pfn >= ZEN_PFN_LIMIT)
        return false;
    /* The frame is bytes [first, last]; last < 2^64 since pfn < 2^52. */
    uint64_t first = pfn * ZEN_PAGE_SIZE;
    uint64_t last = first + (ZEN_PAGE_SIZE - 1);

    bool covered = false;
    for (uint64_t i = 0; i < count; i++) {
        const zen_mem_range *r = &map[i];
        if (r->type == ZEN_MEM_USABLE) {
            /* Covers the whole frame. */
            if (r->base <= first && last <= last_byte(r))
                covered = true;
        } else {
            /* Touches any byte of the frame: the two byte ranges overlap. */
            if (r->base <= last && first <= last_byte(r))
                return false;
        }
    }
    return covered;
}

/* The frames a usable entry covers whole, [*first, *last]: the first frame
 * that starts at or after base, the last that ends at or before the entry's
 * last byte. False when there is none. Well-formed entries only. */
static bool whole_frames(const zen_mem_range *r, zen_pfn *first, zen_pfn *last)
{
    uint64_t end = last_byte(r);
    zen_pfn lo = r->base / ZEN_PAGE_SIZE;
    if (r->base % ZEN_PAGE_SIZE != 0)
        lo++; /* the frame holding base starts before it */
    zen_pfn hi = end / ZEN_PAGE_SIZE;
    if (end % ZEN_PAGE_SIZE != ZEN_PAGE_SIZE - 1) {
        if (hi == 0)
            return false; /* the frame holding the last byte ends after it */
        hi--;
    }
    if (lo > hi)
        return false;
    *first = lo;
    *last = hi;
    return true;
}

/* The map errors, in the core's order: too many entries; then the first
 * entry that is empty (INVAL) or runs past 2^64 (OVERFLOW). */
static zen_status check_map(const zen_mem_range *map, uint64_t count, uint64_t capacity)
{
    if (count > capacity)
        return ZEN_ERR_CAPACITY;
    for (uint64_t i = 0; i < count; i++) {
        if (map[i].length == 0)
            return ZEN_ERR_INVAL;
        /* base + length > 2^64, i.e. length > 2^64 - base, i.e. the last
         * byte base + length - 1 exceeds UINT64_MAX. */
        if (map[i].length - 1 > UINT64_MAX - map[i].base)
            return ZEN_ERR_OVERFLOW;
    }
    return ZEN_OK;
}

/* The zones of a map: for each zone, whether it has a usable frame and the
 * lowest and highest one. */
typedef struct zone_bounds {
    bool found[ZEN_ZONE_COUNT];
    zen_pfn lowest[ZEN_ZONE_COUNT];
    zen_pfn highest[ZEN_ZONE_COUNT];
} zone_bounds;

/* Classify the map (already checked well formed): every usable frame is
 * covered whole by some usable entry, so visiting the whole frames of every
 * usable entry visits all of them. ZONE_SPEC_TOO_BIG when those frames,
 * counted per entry, exceed ZONE_SPEC_MAX_FRAMES; then ZEN_ERR_NO_USABLE or
 * ZEN_ERR_RANGE (a span above ZEN_PAGE_MAX_FRAMES), or ZEN_OK. */
static int classify(const zen_mem_range *map, uint64_t count, zone_bounds *b)
{
    memset(b, 0, sizeof *b);

    uint64_t total = 0;
    for (uint64_t i = 0; i < count; i++) {
        zen_pfn first, last;
        if (map[i].type != ZEN_MEM_USABLE || !whole_frames(&map[i], &first, &last))
            continue;
        uint64_t frames = last - first + 1;
        if (frames > ZONE_SPEC_MAX_FRAMES - total)
            return ZONE_SPEC_TOO_BIG;
        total += frames;
    }

    for (uint64_t i = 0; i < count; i++) {
        zen_pfn first, last;
        if (map[i].type != ZEN_MEM_USABLE || !whole_frames(&map[i], &first, &last))
            continue;
        for (zen_pfn p = first; p <= last; p++) {
            if (!zone_spec_frame_usable(map, count, p))
                continue;
            unsigned z = zone_of(p);
            if (!b->found[z] || p < b->lowest[z])
                b->lowest[z] = p;
            if (!b->found[z] || p > b->highest[z])
                b->highest[z] = p;
            b->found[z] = true;
        }
    }

    if (!b->found[ZEN_ZONE_DMA] && !b->found[ZEN_ZONE_DMA32] && !b->found[ZEN_ZONE_NORMAL])
        return ZEN_ERR_NO_USABLE;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        if (b->found[z] && b->highest[z] - b->lowest[z] + 1 > ZEN_PAGE_MAX_FRAMES)
            return ZEN_ERR_RANGE;
    return ZEN_OK;
}

/* Frames in zone z's span (0 when absent). */
static uint64_t span(const zone_bounds *b, unsigned z)
{
    return b->found[z] ? b->highest[z] - b->lowest[z] + 1 : 0;
}

int zone_spec_plan(const zen_mem_range *map, uint64_t count, uint64_t capacity,
                   zen_zone_layout *layout)
{
    zen_status st = check_map(map, count, capacity);
    if (st != ZEN_OK)
        return (int)st;
    zone_bounds b;
    int answer = classify(map, count, &b);
    if (answer != ZEN_OK)
        return answer;

    memset(layout, 0, sizeof *layout); /* nwords and words_needed stay 0 */
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        layout->start[z] = b.found[z] ? b.lowest[z] : 0;
        layout->nframes[z] = span(&b, z);
        layout->frames_needed += layout->nframes[z];
    }
    return ZEN_OK;
}

/* ---- building ------------------------------------------------------------- */

int zone_spec_init(zone_spec *s, const zen_mem_range *map, uint64_t count, uint64_t capacity)
{
    /* Whatever the answer, *s is left destroyable: no zone is present
     * unless it was built. */
    memset(s, 0, sizeof *s);
    zen_status st = check_map(map, count, capacity);
    if (st != ZEN_OK)
        return (int)st;
    zone_bounds b;
    int answer = classify(map, count, &b);
    if (answer != ZEN_OK)
        return answer;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        if (span(&b, z) > PAGE_SPEC_MAX_FRAMES)
            return ZONE_SPEC_TOO_BIG;

    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if (!b.found[z])
            continue;
        st = page_spec_init(&s->pages[z], b.lowest[z], span(&b, z), false);
        if (st != ZEN_OK) {
            /* Only host malloc can fail: spans are 1 .. PAGE_SPEC_MAX_FRAMES
             * frames below ZEN_PFN_LIMIT. */
            zone_spec_destroy(s);
            return ZEN_ERR_NOMEM;
        }
        s->present[z] = true;
    }

    /* Add every usable frame, once: usable entries may overlap, and a frame
     * already added reads as free (NOT_ALLOCATED) rather than RESERVED. */
    for (uint64_t i = 0; i < count; i++) {
        zen_pfn first, last;
        if (map[i].type != ZEN_MEM_USABLE || !whole_frames(&map[i], &first, &last))
            continue;
        for (zen_pfn p = first; p <= last; p++) {
            if (!zone_spec_frame_usable(map, count, p))
                continue;
            page_spec *pages = &s->pages[zone_of(p)];
            const page_spec_block *unused = NULL;
            if (page_spec_lookup(pages, p, &unused) != ZEN_ERR_RESERVED)
                continue;
            if (page_spec_add_range(pages, p, 1) != ZEN_OK)
                abort(); /* p is inside its zone's span and not usable yet */
        }
    }

    /* Default watermarks from each zone's usable frames. */
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if (!s->present[z])
            continue;
        zen_page_stats ps;
        page_spec_stats(&s->pages[z], &ps);
        s->min[z] = ps.managed / 128;
        s->low[z] = s->min[z] + s->min[z] / 4;
        s->high[z] = s->min[z] + s->min[z] / 2;
    }
    return ZEN_OK;
}

void zone_spec_destroy(zone_spec *s)
{
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        if (s->present[z])
            page_spec_destroy(&s->pages[z]);
    memset(s, 0, sizeof *s);
}

/* ---- configuration -------------------------------------------------------- */

static bool known_zone(const zone_spec *s, unsigned z)
{
    return z < ZEN_ZONE_COUNT && s->present[z];
}

zen_status zone_spec_attach_memory(zone_spec *s, unsigned z)
{
    if (!known_zone(s, z)) {
        s->rejected++;
        return ZEN_ERR_INVAL;
    }
    s->pages[z].has_memory = true;
    return ZEN_OK;
}

zen_status zone_spec_set_watermarks(zone_spec *s, unsigned z, uint64_t min, uint64_t low,
                                    uint64_t high)
{
    if (!known_zone(s, z)) {
        s->rejected++;
        return ZEN_ERR_INVAL;
    }
    zen_page_stats ps;
    page_spec_stats(&s->pages[z], &ps);
    if (!(min <= low && low <= high && high <= ps.managed)) {
        s->rejected++;
        return ZEN_ERR_INVAL;
    }
    s->min[z] = min;
    s->low[z] = low;
    s->high[z] = high;
    return ZEN_OK;
}

/* ---- allocation ----------------------------------------------------------- */

/* Zone z is present, has a free block of order >= order, and unless the
 * request is atomic keeps at least min free frames after it. min <= managed
 * <= 2^32, so min + 2^order does not overflow. */
static bool can_serve(zone_spec *s, unsigned z, unsigned order, unsigned flags)
{
    if (!s->present[z])
        return false;
    zen_page_stats ps;
    page_spec_stats(&s->pages[z], &ps);
    bool has_block = false;
    for (unsigned k = order; k <= ZEN_PAGE_MAX_ORDER; k++)
        if (ps.free_blocks[k] != 0)
            has_block = true;
    if (!has_block)
        return false;
    if ((flags & ZEN_ZONE_ATOMIC) != 0)
        return true;
    return ps.free_frames >= s->min[z] + ((uint64_t)1 << order);
}

zen_status zone_spec_alloc(zone_spec *s, unsigned max_zone, unsigned order, unsigned flags,
                           zen_pfn *pfn)
{
    if (max_zone > ZEN_ZONE_NORMAL || order > ZEN_PAGE_MAX_ORDER || flags > ZEN_ZONE_FLAGS_ALL) {
        s->rejected++;
        return ZEN_ERR_INVAL;
    }
    if ((flags & ZEN_ZONE_ZERO) != 0) {
        /* Every zone that could be tried needs a direct map. */
        for (unsigned z = 0; z <= max_zone; z++) {
            if (s->present[z] && !s->pages[z].has_memory) {
                s->rejected++;
                return ZEN_ERR_INVAL;
            }
        }
    }

    /* From the zone named down to DMA, never above. */
    for (unsigned i = 0; i <= max_zone; i++) {
        unsigned z = max_zone - i;
        if (!can_serve(s, z, order, flags))
            continue;
        unsigned page_flags = (flags & ZEN_ZONE_ZERO) != 0 ? ZEN_PAGE_FLAG_ZERO : 0;
        if (page_spec_alloc(&s->pages[z], order, page_flags, pfn) != ZEN_OK)
            abort(); /* can_serve saw a free block of order >= order */
        if (z < max_zone)
            s->fallbacks++;
        zen_page_stats ps;
        page_spec_stats(&s->pages[z], &ps);
        if (ps.free_frames < s->min[z])
            s->atomic_reserve++; /* only an atomic request can get here */
        return ZEN_OK;
    }
    s->oom_count++;
    return ZEN_ERR_NOMEM;
}

zen_status zone_spec_free(zone_spec *s, zen_pfn pfn, unsigned order)
{
    if (order > ZEN_PAGE_MAX_ORDER) {
        s->rejected++;
        return ZEN_ERR_INVAL;
    }
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if (!s->present[z])
            continue;
        const page_spec *pages = &s->pages[z];
        if (pfn >= pages->start && pfn - pages->start < pages->nframes)
            return page_spec_free(&s->pages[z], pfn, order);
    }
    s->rejected++;
    return ZEN_ERR_RANGE;
}

/* ---- queries -------------------------------------------------------------- */

zen_status zone_spec_watermark(zone_spec *s, unsigned z, unsigned *level)
{
    if (!known_zone(s, z))
        return ZEN_ERR_INVAL;
    zen_page_stats ps;
    page_spec_stats(&s->pages[z], &ps);
    if (ps.free_frames < s->min[z])
        *level = ZEN_LEVEL_BELOW_MIN;
    else if (ps.free_frames < s->low[z])
        *level = ZEN_LEVEL_BELOW_LOW;
    else if (ps.free_frames < s->high[z])
        *level = ZEN_LEVEL_BELOW_HIGH;
    else
        *level = ZEN_LEVEL_HIGH;
    return ZEN_OK;
}

zen_status zone_spec_stats(zone_spec *s, unsigned z, zen_zone_info *info)
{
    if (z >= ZEN_ZONE_COUNT)
        return ZEN_ERR_INVAL;
    memset(info, 0, sizeof *info);
    if (!s->present[z])
        return ZEN_OK; /* present 0, and an absent zone's watermarks are 0 */
    zen_page_stats ps;
    page_spec_stats(&s->pages[z], &ps);
    info->present = 1;
    info->start = s->pages[z].start;
    info->nframes = s->pages[z].nframes;
    info->managed = ps.managed;
    info->free_frames = ps.free_frames;
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        info->free_blocks[k] = ps.free_blocks[k];
    info->min = s->min[z];
    info->low = s->low[z];
    info->high = s->high[z];
    return ZEN_OK;
}

#ifdef ZONE_SPEC_NO_COVERAGE
#pragma clang attribute pop
#endif
