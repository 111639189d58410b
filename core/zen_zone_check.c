/* Consistency checker of the zone allocator (zen_zone_check in zen_zone.h). */
#include "zen_zone_internal.h"

/* The first broken invariant of zone z, or ZEN_ZINV_NONE. The lower zones'
 * slices end at frames_used and words_used. */
static uint32_t zen_zone_check_one(zen_zone_set *s, unsigned z, uint64_t frames_used,
                                   uint64_t words_used, zen_page_check_report *pages)
{
    zen_zone *zone = &s->zone[z];
    if (!zone->present)
        return zone->min == 0u && zone->low == 0u && zone->high == 0u ? ZEN_ZINV_NONE : ZEN_ZINV_ABSENT;
    zen_pfn first = z == ZEN_ZONE_DMA ? 0u : z == ZEN_ZONE_DMA32 ? ZEN_ZONE_DMA32_START : ZEN_ZONE_NORMAL_START;
    zen_pfn end = zen_zone_limit(first);
    if (zone->pages.start < first || zone->pages.start >= end ||
        zone->pages.nframes > end - zone->pages.start)
        return ZEN_ZINV_BOUNDS;
    if (zone->frame_off > s->nframes || zone->pages.nframes > s->nframes - zone->frame_off ||
        zone->word_off > s->nwords || zone->pages.nwords > s->nwords - zone->word_off ||
        zone->pages.frames != s->frames + zone->frame_off ||
        zone->pages.words != s->words + zone->word_off ||
        zone->frame_off < frames_used || zone->word_off < words_used)
        return ZEN_ZINV_CARVING;
    if (zone->min > zone->low || zone->low > zone->high || zone->high > zone->pages.stats.managed)
        return ZEN_ZINV_WATERMARKS;
    if (zen_page_check(&zone->pages, pages) != ZEN_OK)
        return ZEN_ZINV_PAGES;
    return ZEN_ZINV_NONE;
}

zen_status zen_zone_check(zen_zone_set *s, zen_zone_check_report *report)
{
    report->invariant = ZEN_ZINV_NONE;
    report->zone = 0;
    report->pages.invariant = ZEN_INV_NONE;
    report->pages.pfn = 0;
    /* Slices of the set's arrays already taken by lower zones. */
    uint64_t frames_used = 0;
    uint64_t words_used = 0;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        uint32_t inv = zen_zone_check_one(s, z, frames_used, words_used, &report->pages);
        const zen_zone *zone = &s->zone[z];
        if (inv == ZEN_ZINV_NONE && zone->present) {
            frames_used = zone->frame_off + zone->pages.nframes;
            words_used = zone->word_off + zone->pages.nwords;
        }
        if (inv != ZEN_ZINV_NONE) {
            report->invariant = inv;
            report->zone = z;
            return ZEN_ERR_CORRUPT;
        }
    }
    return ZEN_OK;
}
