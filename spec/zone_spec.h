/* Executable specification of the Zen zone allocator (core/zen_zone.h).
 *
 * Written to be read, not to be fast. The zones are computed straight from
 * the memory map by classifying frames one at a time with the rule of
 * zen_zone.h (zone_spec_frame_usable); each zone is a page model
 * (page_spec.h) over the span from its lowest to its highest usable frame,
 * with exactly its usable frames added. Allocation walks the zones from the
 * one named down to DMA and takes the first that can serve the request
 * (present, a free block of order >= the request, and unless atomic at least
 * min + 2^order free frames), then asks that zone's page model.
 *
 * Status codes and their precedence are exactly those of the core.
 *
 * Cap: the classification visits every frame that some usable entry covers,
 * so zone_spec_init refuses (ZONE_SPEC_TOO_BIG, not a core status) maps
 * whose usable entries cover more than ZONE_SPEC_MAX_FRAMES frames in all or
 * whose zones would span more than PAGE_SPEC_MAX_FRAMES; a differential
 * fuzzer skips such inputs. Host malloc failure answers ZEN_ERR_NOMEM. */
#ifndef ZONE_SPEC_H
#define ZONE_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include "page_spec.h"
#include "zen_zone.h"

#define ZONE_SPEC_MAX_FRAMES ((uint64_t)1 << 22)
/* Not a zen_status: the map is valid but too large for the model. */
#define ZONE_SPEC_TOO_BIG 1000

typedef struct zone_spec {
    bool present[ZEN_ZONE_COUNT];
    page_spec pages[ZEN_ZONE_COUNT]; /* initialised only when present */
    uint64_t min[ZEN_ZONE_COUNT], low[ZEN_ZONE_COUNT], high[ZEN_ZONE_COUNT];
    uint64_t rejected, oom_count, fallbacks, atomic_reserve;
} zone_spec;

/* The rule of zen_zone.h for one frame: not frame 0, covered whole by a
 * usable entry, no byte touched by an entry of another type. Assumes the
 * entries are well formed. */
bool zone_spec_frame_usable(const zen_mem_range *map, uint64_t count, zen_pfn pfn);

/* zen_zone_plan's answer for the map: the same errors in the same order,
 * and on ZEN_OK the same start and nframes per zone and frames_needed (the
 * model leaves nwords and words_needed 0: bitmap sizing is the core's own
 * layout), or ZONE_SPEC_TOO_BIG. */
int zone_spec_plan(const zen_mem_range *map, uint64_t count, uint64_t capacity,
                   zen_zone_layout *layout);

/* zen_zone_init's answer when its arrays are large enough: the map errors,
 * ZONE_SPEC_TOO_BIG, ZEN_ERR_NOMEM (host), or ZEN_OK with every zone built
 * and default watermarks. */
int zone_spec_init(zone_spec *s, const zen_mem_range *map, uint64_t count, uint64_t capacity);
void zone_spec_destroy(zone_spec *s);

/* As zen_zone_attach_memory: INVAL for an unknown or absent zone (the model
 * keeps only whether a zone has a direct map). */
zen_status zone_spec_attach_memory(zone_spec *s, unsigned z);

zen_status zone_spec_set_watermarks(zone_spec *s, unsigned z, uint64_t min, uint64_t low,
                                    uint64_t high);

/* As zen_zone_alloc: the same status and the same pfn. */
zen_status zone_spec_alloc(zone_spec *s, unsigned max_zone, unsigned order, unsigned flags,
                           zen_pfn *pfn);

/* As zen_zone_free. */
zen_status zone_spec_free(zone_spec *s, zen_pfn pfn, unsigned order);

zen_status zone_spec_watermark(zone_spec *s, unsigned z, unsigned *level);

/* As zen_zone_stats. */
zen_status zone_spec_stats(zone_spec *s, unsigned z, zen_zone_info *info);

#endif
