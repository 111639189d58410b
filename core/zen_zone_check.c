/* Consistency checker of the zone allocator (zen_zone_check in zen_zone.h). */
#include "zen_zone_internal.h"

/* zen_page_check of present zone z. It writes only *pages, outside the set,
 * so every zone stays valid (zen_zone_ok_kept). */
/*@ requires zen_zone_set_valid(s) && z < ZEN_ZONE_COUNT && s->zone[z].present != 0;
    requires \valid(pages) && \separated(pages, s);
    assigns *pages;
    ensures zen_zone_set_valid(s);
 */
static zen_status zen_zone_check_pages(zen_zone_set *s, unsigned z, zen_page_check_report *pages)
{
    zen_status st = zen_page_check(&s->zone[z].pages, pages);
    /* The provers carry the bitmap tree shapes field by field first. */
    /*@ assert \forall integer y, k; 0 <= y < ZEN_ZONE_COUNT && 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
          \at(s->zone[y].pages.tree[k].levels, Pre) == s->zone[y].pages.tree[k].levels; */
    /*@ assert \forall integer y, k, l; 0 <= y < ZEN_ZONE_COUNT && 0 <= k <= ZEN_PAGE_MAX_ORDER &&
          0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
          \at(s->zone[y].pages.tree[k].offset[l], Pre) == s->zone[y].pages.tree[k].offset[l] &&
          \at(s->zone[y].pages.tree[k].length[l], Pre) == s->zone[y].pages.tree[k].length[l]; */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[0].pages); */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[1].pages); */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[2].pages); */
    /*@ assert zen_zone_same{Pre, Here}(s, 0); */
    /*@ assert zen_zone_ok(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1) && zen_zone_ok(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2) && zen_zone_ok(s, 2); */
    return st;
}

/* The first broken invariant of zone z, or ZEN_ZINV_NONE. The lower zones'
 * slices end at frames_used and words_used. */
/*@ requires zen_zone_set_valid(s) && z < ZEN_ZONE_COUNT;
    requires \valid(pages) && \separated(pages, s);
    assigns *pages;
    ensures \result <= ZEN_ZINV_ABSENT;
    ensures zen_zone_set_valid(s);
 */
static uint32_t zen_zone_check_one(zen_zone_set *s, unsigned z, uint64_t frames_used,
                                   uint64_t words_used, zen_page_check_report *pages)
{
    zen_zone *zone = &s->zone[z];
    /*@ assert \valid(s) && \valid(zone); */
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
    if (zen_zone_check_pages(s, z, pages) != ZEN_OK)
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
    /*@ assert \valid(&report->pages) && \separated(&report->pages, s); */
    /*@ assert \forall integer y, k; 0 <= y < ZEN_ZONE_COUNT && 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
          \at(s->zone[y].pages.tree[k].levels, Pre) == s->zone[y].pages.tree[k].levels; */
    /*@ assert \forall integer y, k, l; 0 <= y < ZEN_ZONE_COUNT && 0 <= k <= ZEN_PAGE_MAX_ORDER &&
          0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
          \at(s->zone[y].pages.tree[k].offset[l], Pre) == s->zone[y].pages.tree[k].offset[l] &&
          \at(s->zone[y].pages.tree[k].length[l], Pre) == s->zone[y].pages.tree[k].length[l]; */
    /*@ assert zen_zone_same{Pre, Here}(s, 0); */
    /*@ assert zen_zone_ok(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1); */
    /*@ assert zen_zone_ok(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2); */
    /*@ assert zen_zone_ok(s, 2); */
    /*@ assert zen_zones_apart(s, 0, 1) && zen_zones_apart(s, 0, 2) && zen_zones_apart(s, 1, 2); */
    /*@ loop invariant 0 <= z <= ZEN_ZONE_COUNT;
        loop invariant zen_zone_set_valid(s);
        loop invariant report->invariant == ZEN_ZINV_NONE;
        loop assigns z, frames_used, words_used, report->pages;
        loop variant ZEN_ZONE_COUNT - z; */
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
