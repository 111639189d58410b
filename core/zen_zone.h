/* Zen zone allocator: the physical memory of a machine as zones with a
 * purpose, each a page allocator (zen_page.h) over its own frames.
 *
 * Zones split physical memory at fixed addresses, as on x86:
 *   ZEN_ZONE_DMA     frames below 16 MiB   (pfn < ZEN_ZONE_DMA32_START)
 *   ZEN_ZONE_DMA32   frames below 4 GiB    (pfn < ZEN_ZONE_NORMAL_START)
 *   ZEN_ZONE_NORMAL  the rest              (pfn < ZEN_PFN_LIMIT)
 *
 * The zones are built from a firmware memory map: (base, length, type)
 * entries, unsorted, possibly overlapping and unaligned. A frame is usable
 * exactly when
 *   - it is not frame 0,
 *   - some ZEN_MEM_USABLE entry covers it whole (usable entries are trimmed
 *     inward to page boundaries), and
 *   - no entry of any other type touches any byte of it (every other type,
 *     including values this header does not name, is treated as reserved and
 *     wins over usable; such entries are rounded outward).
 * Each zone's page allocator spans its lowest to its highest usable frame;
 * the frames in between that are not usable (holes) stay reserved and are
 * never handed out. A zone with no usable frame is absent.
 *
 * Allocation names the highest zone it accepts and tries zones downward from
 * it (NORMAL -> DMA32 -> DMA), never a zone above. Each zone has watermarks
 * min <= low <= high (in frames). A request without ZEN_ZONE_ATOMIC skips a
 * zone whose free frames would drop below min; an atomic request may use the
 * reserve below min. The default watermarks, set by zen_zone_init, are
 *   min = managed / 128,  low = min + min / 4,  high = min + min / 2
 * (managed: the zone's usable frames); zen_zone_set_watermarks changes them.
 * The core does not reclaim: low and high are for the caller's reclaimer,
 * which zen_zone_watermark() tells where a zone stands.
 *
 * Metadata lives in two caller-provided typed arrays, one of frame
 * descriptors and one of bitmap words, which zen_zone_init carves into the
 * zones in zone order; zen_zone_plan() says how long each must be. Nothing is
 * static; a zone set is not thread-safe by itself: every operation that
 * changes it calls the enter hook given at init once at its start and the
 * leave hook once before it returns (zen_hooks.h). Its zones' page
 * allocators have no hooks of their own.
 *
 * Every function returns a zen_status; on any error the zone set is left as
 * it was except for its diagnostic counters. */
#ifndef ZEN_ZONE_H
#define ZEN_ZONE_H

#include "zen_page.h"

/* Zone identifiers, lowest first. */
enum zen_zone_id {
    ZEN_ZONE_DMA = 0,
    ZEN_ZONE_DMA32 = 1,
    ZEN_ZONE_NORMAL = 2
};
#define ZEN_ZONE_COUNT 3u

/* First pfn of DMA32 (16 MiB) and of NORMAL (4 GiB). */
#define ZEN_ZONE_DMA32_START ((zen_pfn)1 << 12)
#define ZEN_ZONE_NORMAL_START ((zen_pfn)1 << 20)

/* Memory map entry types (E820 numbering). Only USABLE memory is handed
 * out; every other value, named here or not, is reserved. */
enum zen_mem_type {
    ZEN_MEM_USABLE = 1,
    ZEN_MEM_RESERVED = 2,
    ZEN_MEM_ACPI_RECLAIM = 3, /* ACPI tables: reclaimable once parsed, not here */
    ZEN_MEM_ACPI_NVS = 4,
    ZEN_MEM_BAD = 5           /* failed memory */
};

/* One firmware memory map entry: bytes [base, base + length). */
typedef struct zen_mem_range {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* enum zen_mem_type */
} zen_mem_range;

/* zen_zone_alloc flags. */
#define ZEN_ZONE_ATOMIC 1u /* may dip below a zone's min watermark */
#define ZEN_ZONE_ZERO 2u   /* fill the block with zero bytes (needs direct maps) */
#define ZEN_ZONE_FLAGS_ALL (ZEN_ZONE_ATOMIC | ZEN_ZONE_ZERO)

/* For contracts: the words of zone z's direct map that an allocation with
 * these flags may write, all of them to zero a block, none otherwise. */
#define ZEN_ZONE_ZEROED_WORDS(s, z, flags) \
    (((flags) & ZEN_ZONE_ZERO) != 0 ? (s)->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME : 0)

/* Where a zone's free frames stand against its watermarks. */
enum zen_zone_level {
    ZEN_LEVEL_BELOW_MIN = 0, /* only atomic requests are served */
    ZEN_LEVEL_BELOW_LOW = 1, /* time to reclaim */
    ZEN_LEVEL_BELOW_HIGH = 2,
    ZEN_LEVEL_HIGH = 3       /* at or above high: reclaim may stop */
};

/* What zen_zone_plan computes from a map: the span of each zone's page
 * allocator (nframes 0: the zone is absent) and the array lengths that
 * zen_zone_init needs. */
typedef struct zen_zone_layout {
    zen_pfn start[ZEN_ZONE_COUNT];
    uint64_t nframes[ZEN_ZONE_COUNT];
    uint64_t nwords[ZEN_ZONE_COUNT];
    uint64_t frames_needed; /* sum of nframes */
    uint64_t words_needed;  /* sum of nwords */
} zen_zone_layout;

typedef struct zen_zone {
    zen_page_allocator pages; /* meaningful only when present */
    uint32_t present;         /* the zone has usable frames */
    uint64_t frame_off;       /* its descriptors: frames[frame_off ..] of the set */
    uint64_t word_off;        /* its bitmap words: words[word_off ..] of the set */
    uint64_t min, low, high;  /* watermarks, in frames */
} zen_zone;

/* Diagnostics of the set as a whole; each zone's page allocator keeps its
 * own (managed, free, free blocks per order, peak, oom). */
typedef struct zen_zone_set_stats {
    uint64_t rejected;  /* requests refused for bad input */
    uint64_t oom_count; /* allocations no accepted zone could serve */
    uint64_t fallbacks; /* allocations served by a zone below the one named */
    uint64_t atomic_reserve; /* allocations that left a zone below min (only atomic ones may) */
} zen_zone_set_stats;

typedef struct zen_zone_set {
    zen_zone zone[ZEN_ZONE_COUNT];
    zen_page_frame *frames; /* the caller's descriptor array, nframes long */
    uint64_t nframes;
    uint64_t *words;        /* the caller's bitmap word array, nwords long */
    uint64_t nwords;
    zen_hooks hooks;
    zen_zone_set_stats stats;
} zen_zone_set;

/* Per-zone statistics, as zen_zone_stats() reports them. */
typedef struct zen_zone_info {
    uint32_t present;
    zen_pfn start;        /* span of the zone's page allocator */
    uint64_t nframes;
    uint64_t managed;     /* usable frames */
    uint64_t free_frames;
    uint64_t free_blocks[ZEN_PAGE_ORDERS];
    uint64_t min, low, high;
} zen_zone_info;

/* An allocated block as zen_zone_block_of() finds it from any of its
 * frames: its head, its order, and what its head descriptor records. */
typedef struct zen_zone_block {
    zen_pfn head;
    uint32_t order;
    uint32_t owner; /* enum zen_frame_owner */
    uint32_t tag;   /* the owner's tag (zen_zone_set_owner) */
} zen_zone_block;

/* Which zone invariant the consistency checker found broken. */
enum zen_zone_invariant {
    ZEN_ZINV_NONE = 0,
    ZEN_ZINV_PAGES,      /* a zone's page allocator failed zen_page_check */
    ZEN_ZINV_BOUNDS,     /* a zone's span leaves its address bounds */
    ZEN_ZINV_CARVING,    /* a zone's arrays are not its slice of the set's, or slices overlap */
    ZEN_ZINV_WATERMARKS, /* not min <= low <= high <= managed */
    ZEN_ZINV_ABSENT      /* an absent zone with frames, or a present one without */
};

typedef struct zen_zone_check_report {
    uint32_t invariant; /* enum zen_zone_invariant */
    uint32_t zone;      /* zone where it was found */
    zen_page_check_report pages; /* for ZEN_ZINV_PAGES: what the page check found */
} zen_zone_check_report;

/*@ // Zone address bounds, in pfns.
    logic integer zen_zone_first(integer z) =
      z == ZEN_ZONE_DMA ? 0 : z == ZEN_ZONE_DMA32 ? ZEN_ZONE_DMA32_START : ZEN_ZONE_NORMAL_START;
    logic integer zen_zone_end(integer z) =
      z == ZEN_ZONE_DMA ? ZEN_ZONE_DMA32_START : z == ZEN_ZONE_DMA32 ? ZEN_ZONE_NORMAL_START : ZEN_PFN_LIMIT;
    // The zone a frame's address belongs to.
    logic integer zen_zone_of(integer pfn) =
      pfn < ZEN_ZONE_DMA32_START ? ZEN_ZONE_DMA : pfn < ZEN_ZONE_NORMAL_START ? ZEN_ZONE_DMA32 : ZEN_ZONE_NORMAL;

    // Frames an entry speaks for: usable entries trimmed inward to whole
    // pages, all others rounded outward.
    logic integer zen_range_first(zen_mem_range r) =
      r.type == ZEN_MEM_USABLE ? (r.base + ZEN_PAGE_SIZE - 1) / ZEN_PAGE_SIZE : r.base / ZEN_PAGE_SIZE;
    logic integer zen_range_end(zen_mem_range r) =
      r.type == ZEN_MEM_USABLE ? (r.base + r.length) / ZEN_PAGE_SIZE
                               : (r.base + r.length + ZEN_PAGE_SIZE - 1) / ZEN_PAGE_SIZE;
    predicate zen_range_covers(zen_mem_range r, integer pfn) =
      zen_range_first(r) <= pfn < zen_range_end(r);

    // A well-formed map: no empty entry, none past the top of the 64-bit
    // physical address space.
    predicate zen_map_well_formed(zen_mem_range *m, integer n) =
      \forall integer i; 0 <= i < n ==> m[i].length != 0 && m[i].base + m[i].length <= 0x10000000000000000;

    // The per-frame rule of the header comment.
    predicate zen_map_usable(zen_mem_range *m, integer n, integer pfn) =
      pfn != 0 &&
      (\exists integer i; 0 <= i < n && m[i].type == ZEN_MEM_USABLE && zen_range_covers(m[i], pfn)) &&
      !(\exists integer i; 0 <= i < n && m[i].type != ZEN_MEM_USABLE && zen_range_covers(m[i], pfn));

    predicate zen_map_has_usable(zen_mem_range *m, integer n) =
      \exists integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(m, n, p);

    // The descriptors and bitmap words of zone z are its slice of the set's
    // arrays, and the slices follow each other in zone order.
    predicate zen_zone_carved(zen_zone_set *s, integer z) =
      s->zone[z].pages.frames == s->frames + s->zone[z].frame_off &&
      s->zone[z].pages.words == s->words + s->zone[z].word_off &&
      s->zone[z].frame_off + s->zone[z].pages.nframes <= s->nframes &&
      s->zone[z].word_off + s->zone[z].pages.nwords <= s->nwords;

    predicate zen_zones_apart(zen_zone_set *s, integer y, integer z) =
      (s->zone[y].present != 0 && s->zone[z].present != 0) ==>
        (s->zone[y].frame_off + s->zone[y].pages.nframes <= s->zone[z].frame_off &&
         s->zone[y].word_off + s->zone[y].pages.nwords <= s->zone[z].word_off &&
         (s->zone[y].pages.memory != \null && s->zone[z].pages.memory != \null ==>
           \separated(s->zone[y].pages.memory + (0 .. s->zone[y].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                      s->zone[z].pages.memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1))));

    predicate zen_zone_ok(zen_zone_set *s, integer z) =
      s->zone[z].present != 0 ==>
        zen_page_valid(&s->zone[z].pages) && zen_page_canonical(&s->zone[z].pages) &&
        zen_zone_carved(s, z) &&
        zen_zone_first(z) <= s->zone[z].pages.start &&
        s->zone[z].pages.start + s->zone[z].pages.nframes <= zen_zone_end(z) &&
        (s->zone[z].pages.memory != \null ==>
          \separated(s->zone[z].pages.memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                     s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1)));

    predicate zen_zone_set_valid(zen_zone_set *s) =
      \valid(s) &&
      \valid(s->frames + (0 .. s->nframes - 1)) && \valid(s->words + (0 .. s->nwords - 1)) &&
      \separated(s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1)) &&
      zen_zone_ok(s, ZEN_ZONE_DMA) && zen_zone_ok(s, ZEN_ZONE_DMA32) && zen_zone_ok(s, ZEN_ZONE_NORMAL) &&
      zen_zones_apart(s, ZEN_ZONE_DMA, ZEN_ZONE_DMA32) &&
      zen_zones_apart(s, ZEN_ZONE_DMA, ZEN_ZONE_NORMAL) &&
      zen_zones_apart(s, ZEN_ZONE_DMA32, ZEN_ZONE_NORMAL);

    // Zone z's part of the set reads the same at L1 and L2: what
    // zen_zone_ok(s, z) depends on, so the lemma below carries it across
    // writes to other zones and to counters.
    predicate zen_zone_same{L1, L2}(zen_zone_set *s, integer z) =
      \at(s->zone[z].present, L1) == \at(s->zone[z].present, L2) &&
      \at(s->zone[z].frame_off, L1) == \at(s->zone[z].frame_off, L2) &&
      \at(s->zone[z].word_off, L1) == \at(s->zone[z].word_off, L2) &&
      \at(s->frames, L1) == \at(s->frames, L2) && \at(s->nframes, L1) == \at(s->nframes, L2) &&
      \at(s->words, L1) == \at(s->words, L2) && \at(s->nwords, L1) == \at(s->nwords, L2) &&
      zen_page_same_shape{L1, L2}(\at(&s->zone[z].pages, L1)) &&
      zen_frames_same{L1, L2}(\at(s->zone[z].pages.frames, L1), \at(s->zone[z].pages.nframes, L1));

    lemma zen_zone_ok_kept{L1, L2}: \forall zen_zone_set *s, integer z;
      0 <= z < ZEN_ZONE_COUNT && zen_zone_ok{L1}(s, z) && zen_zone_same{L1, L2}(s, z) &&
      \valid{L2}(s) && \valid{L2}(\at(s->frames, L1) + (0 .. \at(s->nframes, L1) - 1)) &&
      \valid{L2}(\at(s->words, L1) + (0 .. \at(s->nwords, L1) - 1)) &&
      (\at(s->zone[z].present, L1) != 0 && \at(s->zone[z].pages.memory, L1) != \null ==>
        \valid{L2}(\at(s->zone[z].pages.memory, L1) +
                   (0 .. \at(s->zone[z].pages.nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) ==>
      zen_zone_ok{L2}(s, z);

    // The set's shape reads the same at L1 and L2: its arrays, every zone's
    // place in them and every zone's shape (span, arrays, direct map, tree
    // layout). Alloc, free and set_owner keep it, so a caller's framing of
    // what the set writes carries across their calls.
    predicate zen_zone_set_same_shape{L1, L2}(zen_zone_set *s) =
      \at(s->frames, L1) == \at(s->frames, L2) && \at(s->nframes, L1) == \at(s->nframes, L2) &&
      \at(s->words, L1) == \at(s->words, L2) && \at(s->nwords, L1) == \at(s->nwords, L2) &&
      (\forall integer y; 0 <= y < ZEN_ZONE_COUNT ==>
        \at(s->zone[y].present, L1) == \at(s->zone[y].present, L2) &&
        \at(s->zone[y].frame_off, L1) == \at(s->zone[y].frame_off, L2) &&
        \at(s->zone[y].word_off, L1) == \at(s->zone[y].word_off, L2) &&
        zen_page_same_shape{L1, L2}(\at(&s->zone[y].pages, L1)));

    lemma zen_zone_set_same_shape_trans{L1, L2, L3}: \forall zen_zone_set *s;
      zen_zone_set_same_shape{L1, L2}(s) && zen_zone_set_same_shape{L2, L3}(s) ==>
      zen_zone_set_same_shape{L1, L3}(s);

    // Between L1 and L2 only zone z's page allocator was at work: the set's
    // shape is the same (spelled out as in zen_zone_set_same_shape: the
    // provers close the zone proofs faster over the flat form), and so are
    // the set's frame descriptors outside zone z's slice.
    predicate zen_zone_others_same{L1, L2}(zen_zone_set *s, integer z) =
      \at(s->frames, L1) == \at(s->frames, L2) && \at(s->nframes, L1) == \at(s->nframes, L2) &&
      \at(s->words, L1) == \at(s->words, L2) && \at(s->nwords, L1) == \at(s->nwords, L2) &&
      (\forall integer y; 0 <= y < ZEN_ZONE_COUNT ==>
        \at(s->zone[y].present, L1) == \at(s->zone[y].present, L2) &&
        \at(s->zone[y].frame_off, L1) == \at(s->zone[y].frame_off, L2) &&
        \at(s->zone[y].word_off, L1) == \at(s->zone[y].word_off, L2) &&
        zen_page_same_shape{L1, L2}(\at(&s->zone[y].pages, L1))) &&
      (\forall integer i; 0 <= i < \at(s->nframes, L1) &&
        (i < \at(s->zone[z].frame_off, L1) ||
         i >= \at(s->zone[z].frame_off + s->zone[z].pages.nframes, L1)) ==>
        \at(s->frames[i].state, L1) == \at(s->frames[i].state, L2) &&
        \at(s->frames[i].order, L1) == \at(s->frames[i].order, L2));

    // Zone y's descriptor i is the set's descriptor frame_off + i.
    lemma zen_zone_frame_index: \forall zen_zone_set *s, integer y;
      zen_zone_carved(s, y) ==>
      \forall integer i; s->zone[y].pages.frames + i == s->frames + (s->zone[y].frame_off + i);

    // So zone y's descriptors read the same when the set's do over its slice.
    lemma zen_zone_slice_same{L1, L2}: \forall zen_zone_set *s, integer y;
      (\forall integer i; \at(s->zone[y].pages.frames + i, L1) ==
                          \at(s->frames + (s->zone[y].frame_off + i), L1)) &&
      (\forall integer i; \at(s->zone[y].frame_off, L1) <= i <
                          \at(s->zone[y].frame_off + s->zone[y].pages.nframes, L1) ==>
        \at(s->frames[i].state, L1) == \at(\at(s->frames, L1)[i].state, L2) &&
        \at(s->frames[i].order, L1) == \at(\at(s->frames, L1)[i].order, L2)) ==>
      zen_frames_same{L1, L2}(\at(s->zone[y].pages.frames, L1), \at(s->zone[y].pages.nframes, L1));

    // A zone other than z whose slice lies apart from z's keeps its frames.
    lemma zen_zone_other_frames_same{L1, L2}: \forall zen_zone_set *s, integer z, integer y;
      0 <= z < ZEN_ZONE_COUNT && 0 <= y < ZEN_ZONE_COUNT && y != z &&
      zen_zone_others_same{L1, L2}(s, z) &&
      \at(s->zone[y].present, L1) != 0 && zen_zone_carved{L1}(s, y) &&
      (\at(s->zone[y].frame_off + s->zone[y].pages.nframes, L1) <= \at(s->zone[z].frame_off, L1) ||
       \at(s->zone[z].frame_off + s->zone[z].pages.nframes, L1) <= \at(s->zone[y].frame_off, L1)) ==>
      zen_frames_same{L1, L2}(\at(s->zone[y].pages.frames, L1), \at(s->zone[y].pages.nframes, L1));

    predicate zen_zone_holds(zen_zone_set *s, integer z, integer pfn) =
      s->zone[z].present != 0 && zen_in_range(&s->zone[z].pages, pfn);

    // Frame pfn of zone z is handed out or free: not a hole.
    predicate zen_zone_frame_usable(zen_zone_set *s, integer z, integer pfn) =
      zen_zone_holds(s, z, pfn) && !zen_is_state(&s->zone[z].pages, pfn, ZEN_FRAME_RESERVED);

    // Whether a request is malformed, before any zone is looked at.
    predicate zen_zone_bad_request(zen_zone_set *s, integer max_zone, integer order, integer flags) =
      max_zone > ZEN_ZONE_NORMAL || order > ZEN_PAGE_MAX_ORDER || flags > ZEN_ZONE_FLAGS_ALL ||
      ((flags & ZEN_ZONE_ZERO) != 0 &&
        \exists integer z; 0 <= z <= max_zone && s->zone[z].present != 0 && s->zone[z].pages.memory == \null);
 */

/* Check the map and compute the zones it makes, without building them.
 * map holds count entries in a buffer of capacity entries.
 * Errors, in this order (the first malformed entry decides):
 *   ZEN_ERR_CAPACITY   count > capacity
 *   ZEN_ERR_INVAL      an entry of length 0
 *   ZEN_ERR_OVERFLOW   an entry that runs past the top of the address space
 *   ZEN_ERR_NO_USABLE  no usable frame at all
 *   ZEN_ERR_RANGE      a zone would span more than ZEN_PAGE_MAX_FRAMES
 * *plan is written only on success. O(count^2). */
/*@ requires \valid(plan);
    requires \valid_read(map + (0 .. capacity - 1));
    requires \separated(plan, map + (0 .. capacity - 1));
    assigns *plan;
    behavior too_many:
      assumes count > capacity;
      assigns \nothing;
      ensures \result == ZEN_ERR_CAPACITY;
    behavior malformed:
      assumes count <= capacity && !zen_map_well_formed(map, count);
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL || \result == ZEN_ERR_OVERFLOW;
    behavior no_usable:
      assumes count <= capacity && zen_map_well_formed(map, count) && !zen_map_has_usable(map, count);
      assigns \nothing;
      ensures \result == ZEN_ERR_NO_USABLE;
    behavior usable:
      assumes count <= capacity && zen_map_well_formed(map, count) && zen_map_has_usable(map, count);
      ensures \result == ZEN_OK || \result == ZEN_ERR_RANGE;
      ensures \result == ZEN_OK ==> \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==>
        plan->nframes[z] <= ZEN_PAGE_MAX_FRAMES &&
        (plan->nframes[z] != 0 ==> zen_zone_first(z) <= plan->start[z] &&
                                   plan->start[z] + plan->nframes[z] <= zen_zone_end(z));
      ensures \result == ZEN_OK ==> \forall integer z, p;
        0 <= p < ZEN_PFN_LIMIT && zen_zone_of(p) == z && zen_map_usable(map, count, p) ==>
        plan->start[z] <= p < plan->start[z] + plan->nframes[z];
      ensures \result == ZEN_OK ==>
        plan->frames_needed == plan->nframes[0] + plan->nframes[1] + plan->nframes[2] &&
        plan->words_needed == plan->nwords[0] + plan->nwords[1] + plan->nwords[2];
      ensures \result != ZEN_OK ==> *plan == \old(*plan);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_plan(const zen_mem_range *map, uint64_t count, uint64_t capacity,
                         zen_zone_layout *plan);

/* Build the zones of the map into *s. frames must hold plan.frames_needed
 * descriptors and words plan.words_needed words (zen_zone_plan); hooks, when
 * not NULL, is copied. The map errors are zen_zone_plan's; ZEN_ERR_NOMEM when
 * an array is too short; *s is then not written. ZEN_ERR_CORRUPT when a
 * zone's page allocator refuses its span or a run (which the plan rules
 * out); *s is then partly written and must not be used. On success every usable
 * frame of the map is free in the zone its address belongs to, every other
 * frame of a zone's span is reserved, and the watermarks have their default
 * values. O(count^2 + frames_needed + words_needed). */
/*@ requires \valid(s) && \valid_read(map + (0 .. capacity - 1));
    requires \valid(frames + (0 .. nframes - 1)) && \valid(words + (0 .. nwords - 1));
    requires \separated(s, map + (0 .. capacity - 1), frames + (0 .. nframes - 1), words + (0 .. nwords - 1));
    requires hooks == \null || (\valid_read(hooks) && \separated(hooks, s));
    assigns *s, frames[0 .. nframes - 1], words[0 .. nwords - 1];
    behavior too_many:
      assumes count > capacity;
      assigns \nothing;
      ensures \result == ZEN_ERR_CAPACITY;
    behavior malformed:
      assumes count <= capacity && !zen_map_well_formed(map, count);
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL || \result == ZEN_ERR_OVERFLOW;
    behavior no_usable:
      assumes count <= capacity && zen_map_well_formed(map, count) && !zen_map_has_usable(map, count);
      assigns \nothing;
      ensures \result == ZEN_ERR_NO_USABLE;
    behavior usable:
      assumes count <= capacity && zen_map_well_formed(map, count) && zen_map_has_usable(map, count);
      ensures \result == ZEN_OK || \result == ZEN_ERR_RANGE || \result == ZEN_ERR_NOMEM ||
              \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==> zen_zone_set_valid(s);
      ensures \result == ZEN_OK ==> s->frames == frames && s->words == words;
      // Every zone holds exactly the usable frames of its address bounds:
      ensures \result == ZEN_OK ==> \forall integer z, p; 0 <= z < ZEN_ZONE_COUNT && zen_zone_holds(s, z, p) ==>
        (zen_zone_frame_usable(s, z, p) <==> zen_map_usable(map, count, p));
      ensures \result == ZEN_OK ==> \forall integer p; 0 <= p < ZEN_PFN_LIMIT && zen_map_usable(map, count, p) ==>
        zen_zone_holds(s, zen_zone_of(p), p);
      ensures \result == ZEN_OK ==> \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> !zen_zone_frame_usable(s, z, 0);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_init(zen_zone_set *s, const zen_mem_range *map, uint64_t count, uint64_t capacity,
                         zen_page_frame *frames, uint64_t nframes, uint64_t *words, uint64_t nwords,
                         const zen_hooks *hooks);

/* Give zone z a direct map of its span (pages.nframes * ZEN_PAGE_SIZE bytes),
 * which ZEN_ZONE_ZERO needs. ZEN_ERR_INVAL for an unknown or absent zone or a
 * NULL map. O(1). */
/*@ requires zen_zone_set_valid(s);
    requires z < ZEN_ZONE_COUNT && s->zone[z].present != 0 ==>
      \valid(memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)) &&
      \separated(memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                 s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1)) &&
      \forall integer y; 0 <= y < ZEN_ZONE_COUNT && y != z && s->zone[y].present != 0 &&
        s->zone[y].pages.memory != \null ==>
        \separated(memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                   s->zone[y].pages.memory + (0 .. s->zone[y].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    assigns s->zone[0 .. ZEN_ZONE_COUNT - 1].pages.memory, s->stats.rejected;
    ensures zen_zone_set_valid(s);
    behavior bad_zone:
      assumes z >= ZEN_ZONE_COUNT || s->zone[z].present == 0 || memory == \null;
      assigns s->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
    behavior attached:
      assumes z < ZEN_ZONE_COUNT && s->zone[z].present != 0 && memory != \null;
      assigns s->zone[z].pages.memory;
      ensures \result == ZEN_OK && s->zone[z].pages.memory == memory;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_attach_memory(zen_zone_set *s, unsigned z, uint64_t *memory);

/* Set zone z's watermarks. ZEN_ERR_INVAL for an unknown or absent zone or
 * unless min <= low <= high <= managed frames of the zone. O(1). */
/*@ requires zen_zone_set_valid(s);
    assigns s->zone[0 .. ZEN_ZONE_COUNT - 1].min, s->zone[0 .. ZEN_ZONE_COUNT - 1].low,
            s->zone[0 .. ZEN_ZONE_COUNT - 1].high, s->stats.rejected;
    ensures zen_zone_set_valid(s);
    behavior bad:
      assumes z >= ZEN_ZONE_COUNT || s->zone[z].present == 0 || min > low || low > high ||
              high > s->zone[z].pages.stats.managed;
      assigns s->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
    behavior set:
      assumes z < ZEN_ZONE_COUNT && s->zone[z].present != 0 && min <= low <= high &&
              high <= s->zone[z].pages.stats.managed;
      assigns s->zone[z].min, s->zone[z].low, s->zone[z].high;
      ensures \result == ZEN_OK;
      ensures s->zone[z].min == min && s->zone[z].low == low && s->zone[z].high == high;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_set_watermarks(zen_zone_set *s, unsigned z, uint64_t min, uint64_t low,
                                   uint64_t high);

/*@ // Zone z can serve an order-`order` request with these flags: it is
    // present, has a free block large enough, and (unless atomic) keeps at
    // least min free frames after it.
    predicate zen_zone_can_serve(zen_zone_set *s, integer z, integer order, integer flags) =
      s->zone[z].present != 0 &&
      (\exists integer k; order <= k <= ZEN_PAGE_MAX_ORDER && s->zone[z].pages.stats.free_blocks[k] != 0) &&
      ((flags & ZEN_ZONE_ATOMIC) != 0 ||
        s->zone[z].pages.stats.free_frames >= s->zone[z].min + zen_block_size(order));
 */

/* Allocate 2^order frames from the highest zone <= max_zone that can serve
 * the request (zen_zone_can_serve), by that zone's page allocator policy;
 * store the first pfn in *pfn. flags: ZEN_ZONE_ATOMIC, ZEN_ZONE_ZERO.
 * Returns ZEN_OK; ZEN_ERR_INVAL for an unknown zone, an order above
 * ZEN_PAGE_MAX_ORDER, an unknown flag, or ZERO while a zone that could be
 * tried has no direct map; ZEN_ERR_NOMEM when no zone can serve it. *pfn is
 * written only on success. O(ZEN_ZONE_COUNT * ZEN_PAGE_MAX_ORDER * levels). */
/*@ requires zen_zone_set_valid(s) && \valid(pfn);
    requires \separated(pfn, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    requires \forall integer z; 0 <= z < ZEN_ZONE_COUNT && s->zone[z].present != 0 &&
      s->zone[z].pages.memory != \null ==>
      \separated(pfn, s->zone[z].pages.memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    assigns *pfn, s->stats, s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1],
            s->zone[0 .. ZEN_ZONE_COUNT - 1].pages.stats,
            // The direct maps only to zero the block: without ZEN_ZONE_ZERO
            // these ranges are empty.
            s->zone[0].pages.memory[0 .. ZEN_ZONE_ZEROED_WORDS(s, 0, flags) - 1],
            s->zone[1].pages.memory[0 .. ZEN_ZONE_ZEROED_WORDS(s, 1, flags) - 1],
            s->zone[2].pages.memory[0 .. ZEN_ZONE_ZEROED_WORDS(s, 2, flags) - 1];
    ensures zen_zone_set_same_shape{Pre, Post}(s);
    behavior bad_request:
      assumes zen_zone_bad_request(s, max_zone, order, flags);
      assigns s->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
      ensures zen_zone_set_valid(s);
    behavior exhausted:
      assumes !zen_zone_bad_request(s, max_zone, order, flags);
      assumes \forall integer z; 0 <= z <= max_zone ==> !zen_zone_can_serve(s, z, order, flags);
      assigns s->stats.oom_count;
      ensures \result == ZEN_ERR_NOMEM;
      ensures zen_zone_set_valid(s);
    behavior available:
      assumes !zen_zone_bad_request(s, max_zone, order, flags);
      assumes \exists integer z; 0 <= z <= max_zone && zen_zone_can_serve(s, z, order, flags);
      ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==> zen_zone_set_valid(s);
      // From the highest zone that can serve, never a zone above the request:
      ensures \result == ZEN_OK ==>
        \let z = zen_zone_of(*pfn);
        z <= max_zone && zen_zone_holds(s, z, *pfn) &&
        \at(zen_zone_can_serve(s, z, order, flags), Pre) &&
        (\forall integer y; z < y <= max_zone ==> !\at(zen_zone_can_serve(s, y, order, flags), Pre)) &&
        zen_aligned(*pfn, order) &&
        *pfn - s->zone[z].pages.start + zen_block_size(order) <= s->zone[z].pages.nframes &&
        zen_is_state(&s->zone[z].pages, *pfn, ZEN_FRAME_ALLOCATED) &&
        s->zone[z].pages.frames[*pfn - s->zone[z].pages.start].order == order &&
        s->zone[z].pages.stats.free_frames ==
          (uint64_t)(\at(s->zone[z].pages.stats.free_frames, Pre) - zen_block_size(order));
      // Only an atomic request leaves a zone below its min watermark:
      ensures \result == ZEN_OK && (flags & ZEN_ZONE_ATOMIC) == 0 ==>
        s->zone[zen_zone_of(*pfn)].pages.stats.free_frames >= s->zone[zen_zone_of(*pfn)].min;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_alloc(zen_zone_set *s, unsigned max_zone, unsigned order, unsigned flags,
                          zen_pfn *pfn);

/* Free the block of 2^order frames at pfn in whichever zone holds pfn
 * (zen_page_free drops a reference and frees the block on the last one).
 * Errors: ZEN_ERR_INVAL for an order above ZEN_PAGE_MAX_ORDER; ZEN_ERR_RANGE
 * when no zone holds pfn; otherwise those of zen_page_free for the zone's
 * page allocator (a hole is ZEN_ERR_RESERVED), which counts them in its own
 * `rejected`, not the set's. O(ZEN_PAGE_MAX_ORDER * levels). */
/*@ requires zen_zone_set_valid(s);
    assigns s->stats.rejected, s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1],
            s->zone[0 .. ZEN_ZONE_COUNT - 1].pages.stats;
    ensures zen_zone_set_same_shape{Pre, Post}(s);
    behavior bad_order:
      assumes order > ZEN_PAGE_MAX_ORDER;
      assigns s->stats.rejected;
      ensures \result == ZEN_ERR_INVAL && zen_zone_set_valid(s);
    behavior foreign:
      assumes order <= ZEN_PAGE_MAX_ORDER;
      assumes \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> !zen_zone_holds(s, z, pfn);
      assigns s->stats.rejected;
      ensures \result == ZEN_ERR_RANGE && zen_zone_set_valid(s);
    behavior held:
      assumes order <= ZEN_PAGE_MAX_ORDER;
      assumes \exists integer z; 0 <= z < ZEN_ZONE_COUNT && zen_zone_holds(s, z, pfn);
      ensures zen_zone_holds(s, zen_zone_of(pfn), pfn);
      ensures \result != ZEN_ERR_CORRUPT ==> zen_zone_set_valid(s);
      ensures \let a = &s->zone[zen_zone_of(pfn)].pages; \let i = pfn - a->start;
        (\at(a->frames[i].state, Pre) == ZEN_FRAME_RESERVED ==> \result == ZEN_ERR_RESERVED) &&
        (\at(a->frames[i].state, Pre) == ZEN_FRAME_FREE ==> \result == ZEN_ERR_NOT_ALLOCATED) &&
        (\at(a->frames[i].state, Pre) == ZEN_FRAME_TAIL ==>
          \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED || \result == ZEN_ERR_CORRUPT) &&
        (\at(a->frames[i].state, Pre) == ZEN_FRAME_ALLOCATED && \at(a->frames[i].order, Pre) != order ==>
          \result == ZEN_ERR_ORDER) &&
        (\at(a->frames[i].state, Pre) == ZEN_FRAME_ALLOCATED && \at(a->frames[i].order, Pre) == order ==>
          (\result == ZEN_OK || \result == ZEN_ERR_CORRUPT)) &&
        (\at(a->frames[i].state, Pre) == ZEN_FRAME_ALLOCATED && \at(a->frames[i].order, Pre) == order &&
         \at(a->frames[i].refcount, Pre) > 1 ==>
          \result == ZEN_OK && a->frames[i].refcount == \at(a->frames[i].refcount, Pre) - 1) &&
        (\at(a->frames[i].state, Pre) == ZEN_FRAME_ALLOCATED && \at(a->frames[i].order, Pre) == order &&
         \at(a->frames[i].refcount, Pre) <= 1 && \result == ZEN_OK ==>
          a->frames[i].state != ZEN_FRAME_ALLOCATED &&
          a->stats.free_frames == (uint64_t)(\at(a->stats.free_frames, Pre) + zen_block_size(order)));
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_free(zen_zone_set *s, zen_pfn pfn, unsigned order);

/* Record who owns the allocated block headed by pfn and the owner's tag for
 * it (zen_page_set_owner in the zone that holds pfn). Errors: ZEN_ERR_RANGE
 * when no zone holds pfn (counted in the set's `rejected`); otherwise those
 * of zen_page_set_owner, counted by the zone's page allocator. O(1). */
/*@ requires zen_zone_set_valid(s);
    assigns s->stats.rejected, s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1],
            s->zone[0 .. ZEN_ZONE_COUNT - 1].pages.stats;
    ensures zen_zone_set_same_shape{Pre, Post}(s);
    behavior foreign:
      assumes \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> !zen_zone_holds(s, z, pfn);
      assigns s->stats.rejected;
      ensures \result == ZEN_ERR_RANGE && zen_zone_set_valid(s);
    behavior held:
      assumes \exists integer z; 0 <= z < ZEN_ZONE_COUNT && zen_zone_holds(s, z, pfn);
      ensures zen_zone_holds(s, zen_zone_of(pfn), pfn) && zen_zone_set_valid(s);
      ensures \let a = &s->zone[zen_zone_of(pfn)].pages; \let i = pfn - a->start;
        (owner > ZEN_OWNER_LAST ==> \result == ZEN_ERR_INVAL) &&
        (owner <= ZEN_OWNER_LAST && \at(a->frames[i].state, Pre) == ZEN_FRAME_ALLOCATED ==>
          \result == ZEN_OK && a->frames[i].owner == owner && a->frames[i].tag == tag) &&
        (\at(a->frames[i].state, Pre) != ZEN_FRAME_ALLOCATED ==> \result != ZEN_OK);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_set_owner(zen_zone_set *s, zen_pfn pfn, unsigned owner, uint32_t tag);

/* The allocated block that holds pfn, found from any of its frames, in *b.
 * Reads only. Errors: ZEN_ERR_RANGE when no zone holds pfn; otherwise those
 * of zen_page_find (a hole is ZEN_ERR_RESERVED, a free frame
 * ZEN_ERR_NOT_ALLOCATED). *b is written only on success.
 * O(ZEN_PAGE_MAX_ORDER). */
/*@ requires zen_zone_set_valid(s) && \valid(b) && \separated(b, s);
    assigns *b;
    behavior foreign:
      assumes \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> !zen_zone_holds(s, z, pfn);
      assigns \nothing;
      ensures \result == ZEN_ERR_RANGE;
    behavior held:
      assumes \exists integer z; 0 <= z < ZEN_ZONE_COUNT && zen_zone_holds(s, z, pfn);
      ensures \let a = &s->zone[zen_zone_of(pfn)].pages;
        \result == ZEN_OK ==>
          zen_is_state(a, b->head, ZEN_FRAME_ALLOCATED) && b->head <= pfn &&
          pfn < b->head + zen_block_size(b->order) &&
          b->order == a->frames[b->head - a->start].order &&
          b->owner == a->frames[b->head - a->start].owner &&
          b->tag == a->frames[b->head - a->start].tag;
      ensures \let a = &s->zone[zen_zone_of(pfn)].pages; \let i = pfn - a->start;
        (a->frames[i].state == ZEN_FRAME_ALLOCATED ==> \result == ZEN_OK && b->head == pfn) &&
        (a->frames[i].state == ZEN_FRAME_RESERVED ==> \result == ZEN_ERR_RESERVED) &&
        (a->frames[i].state == ZEN_FRAME_FREE ==> \result == ZEN_ERR_NOT_ALLOCATED);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_block_of(const zen_zone_set *s, zen_pfn pfn, zen_zone_block *b);

/* Where zone z's free frames stand against its watermarks (enum
 * zen_zone_level) in *level. ZEN_ERR_INVAL for an unknown or absent zone. */
/*@ requires zen_zone_set_valid(s) && \valid(level) && \separated(level, s);
    assigns *level;
    behavior bad_zone:
      assumes z >= ZEN_ZONE_COUNT || s->zone[z].present == 0;
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL;
    behavior known:
      assumes z < ZEN_ZONE_COUNT && s->zone[z].present != 0;
      ensures \result == ZEN_OK;
      ensures \let f = s->zone[z].pages.stats.free_frames;
        *level == (f < s->zone[z].min ? ZEN_LEVEL_BELOW_MIN :
                   f < s->zone[z].low ? ZEN_LEVEL_BELOW_LOW :
                   f < s->zone[z].high ? ZEN_LEVEL_BELOW_HIGH : ZEN_LEVEL_HIGH);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_watermark(const zen_zone_set *s, unsigned z, unsigned *level);

/* Copy zone z's statistics into *info (present 0 and zeros for an absent
 * zone). ZEN_ERR_INVAL for an unknown zone. O(ZEN_PAGE_ORDERS). */
/*@ requires zen_zone_set_valid(s) && \valid(info) && \separated(info, s);
    assigns *info;
    behavior bad_zone:
      assumes z >= ZEN_ZONE_COUNT;
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL;
    behavior known:
      assumes z < ZEN_ZONE_COUNT;
      ensures \result == ZEN_OK && info->present == s->zone[z].present;
      ensures s->zone[z].present != 0 ==>
        info->start == s->zone[z].pages.start && info->nframes == s->zone[z].pages.nframes &&
        info->managed == s->zone[z].pages.stats.managed &&
        info->free_frames == s->zone[z].pages.stats.free_frames &&
        info->min == s->zone[z].min && info->low == s->zone[z].low && info->high == s->zone[z].high &&
        (\forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
           info->free_blocks[k] == s->zone[z].pages.stats.free_blocks[k]);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_zone_stats(const zen_zone_set *s, unsigned z, zen_zone_info *info);

/* Check every zone: its page allocator (zen_page_check), its span inside its
 * address bounds, its arrays the slice of the set's given by its offsets
 * (slices in zone order, none overlapping the one before),
 * min <= low <= high <= managed. Returns ZEN_OK, or ZEN_ERR_CORRUPT with the
 * first broken invariant in *report. O(frames + words). */
/*@ requires zen_zone_set_valid(s) && \valid(report) && \separated(report, s);
    requires \separated(report, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    assigns *report;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK <==> report->invariant == ZEN_ZINV_NONE;
 */
zen_status zen_zone_check(zen_zone_set *s, zen_zone_check_report *report);

/* Store pfn in *out, a word outside the set and its arrays: no zone reads
 * it, so every zone stays valid (zen_zone_ok_kept). Callers that answer a
 * frame number store it through this, so the set's validity and shape carry
 * across the store. */
/*@ requires zen_zone_set_valid(s) && \valid(out);
    requires \separated(out, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    assigns *out;
    ensures *out == pfn;
    ensures zen_zone_set_valid(s);
    ensures zen_zone_set_same_shape{Pre, Post}(s);
 */
static inline void zen_zone_put_pfn(zen_zone_set *s, zen_pfn *out, zen_pfn pfn)
{
    (void)s; /* named by the contract only */
    *out = pfn;
    /*@ assert zen_zone_same{Pre, Here}(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2); */
    /*@ assert zen_zone_ok(s, 0); */
    /*@ assert zen_zone_ok(s, 1); */
    /*@ assert zen_zone_ok(s, 2); */
}

#endif
