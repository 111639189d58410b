/* Executable specification of the Zen page allocator (core/zen_page.h).
 *
 * Written to be read, not to be fast. The model holds only:
 *   - the managed range [start, start + nframes),
 *   - one `usable` flag per frame (set by page_spec_add_range),
 *   - the allocation map: the allocated blocks (head pfn, order, refcount,
 *     owner), in no particular order,
 *   - the diagnostic counters that cannot be derived (peak, oom, rejected).
 * Everything else is DERIVED by scans:
 *   - a frame is free when it is usable and in no allocated block;
 *   - a block (p, k), p a multiple of 2^k, k <= ZEN_PAGE_MAX_ORDER, is
 *     "free-and-inside" when it lies inside the range and all its frames are
 *     free;
 *   - (p, k) is a free block of the canonical decomposition when it is
 *     free-and-inside and either k == ZEN_PAGE_MAX_ORDER or its parent
 *     (p rounded down to 2^(k+1), order k+1) is not free-and-inside;
 *   - the next allocation of order r takes the smallest k >= r that has a
 *     canonical free block, the lowest such block (p, k), and hands out
 *     (p, r) (splitting keeps the lower half).
 *
 * Status codes and their precedence are exactly those of the core; see the
 * comment of each function below.
 *
 * Cap: the model keeps one flag per frame in host memory, so page_spec_init
 * refuses (ZEN_ERR_INVAL) ranges above PAGE_SPEC_MAX_FRAMES frames, which the
 * core itself would accept. It answers ZEN_ERR_NOMEM if host malloc fails.
 * Use page_spec_destroy to release the host memory. */
#ifndef PAGE_SPEC_H
#define PAGE_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include "zen_page.h"
#include "zen_status.h"

#define PAGE_SPEC_MAX_FRAMES ((uint64_t)1 << 24)

/* One allocated block of the allocation map. */
typedef struct page_spec_block {
    zen_pfn head;      /* first pfn, a multiple of 2^order */
    unsigned order;
    uint32_t refcount; /* >= 1 while the block is in the map */
    unsigned owner;    /* enum zen_frame_owner */
} page_spec_block;

typedef struct page_spec {
    zen_pfn start;
    uint64_t nframes;
    bool has_memory;          /* a direct map exists: ZEN_PAGE_FLAG_ZERO allowed */
    bool *usable;             /* usable[i] for frame start + i */
    page_spec_block *blocks;  /* allocation map, blocks[0 .. nblocks-1] */
    uint64_t nblocks;
    uint64_t peak_in_use;
    uint64_t oom_count;
    uint64_t rejected;
    /* Scratch for the derivations, not state: free_before[i] is the number
     * of free frames among frames start .. start+i-1 (recomputed on use). */
    uint64_t *free_before;
} page_spec;

/* nframes == 0, nframes > ZEN_PAGE_MAX_FRAMES (or > PAGE_SPEC_MAX_FRAMES),
 * or start + nframes > ZEN_PFN_LIMIT: ZEN_ERR_INVAL. Every frame starts
 * not usable. */
zen_status page_spec_init(page_spec *s, zen_pfn start, uint64_t nframes, bool has_memory);
void page_spec_destroy(page_spec *s);

/* count == 0: INVAL; any frame outside the range (incl. overflow): RANGE;
 * any frame already usable: BUSY; else the frames become usable. */
zen_status page_spec_add_range(page_spec *s, zen_pfn pfn, uint64_t count);

/* order > MAX: INVAL; unknown flag: INVAL; ZERO without direct map: INVAL;
 * no canonical free block of order >= order: NOMEM (oom_count++, not
 * rejected); else OK, *pfn = head, refcount 1, owner ZEN_OWNER_USER. */
zen_status page_spec_alloc(page_spec *s, unsigned order, unsigned flags, zen_pfn *pfn);

/* order > MAX: INVAL; then the lookup errors of page_spec_lookup; then a
 * block of another order: ORDER; else drop one reference, release at 0. */
zen_status page_spec_free(page_spec *s, zen_pfn pfn, unsigned order);

/* Lookup errors; refcount == UINT32_MAX: OVERFLOW; else one more reference. */
zen_status page_spec_get(page_spec *s, zen_pfn pfn);

/* page_spec_free without the order check. */
zen_status page_spec_put(page_spec *s, zen_pfn pfn);

/* owner > ZEN_OWNER_LAST: INVAL; then lookup errors; else records owner. */
zen_status page_spec_set_owner(page_spec *s, zen_pfn pfn, unsigned owner);

/* Which allocated block pfn heads, without side effects (no counter moves):
 * RANGE outside the range; RESERVED for a frame never made usable;
 * NOT_HEAD inside an allocated block but not its head; NOT_ALLOCATED for a
 * usable frame in no allocated block; OK with *block pointing into the map. */
zen_status page_spec_lookup(const page_spec *s, zen_pfn pfn, const page_spec_block **block);

/* The counters the core keeps, derived from the model. */
void page_spec_stats(page_spec *s, zen_page_stats *out);

/* The free blocks of the canonical decomposition, order 0 first and by
 * address within an order: writes the first `cap` of them to out[] as
 * (head, order) with refcount 0 and owner ZEN_OWNER_NONE, and returns how
 * many there are in all (may exceed cap). */
uint64_t page_spec_free_blocks(page_spec *s, page_spec_block *out, uint64_t cap);

#endif
