/* Zen page allocator: a binary buddy system over physical page frames.
 *
 * Frames are named by absolute page frame number (pfn = physical address >>
 * ZEN_PAGE_SHIFT). A block of order k is 2^k contiguous frames whose first pfn
 * is a multiple of 2^k, so blocks are naturally aligned in absolute terms
 * whatever the start of the managed range.
 *
 * The managed range [start, start + nframes) may begin and end anywhere. Every
 * frame starts out reserved; zen_page_add_range() makes usable frames free.
 * Frames never added (holes, firmware reservations) are never handed out.
 *
 * Policy, fixed so that an executable model can predict every answer:
 *   - allocation takes the smallest order >= the request that has a free
 *     block, the lowest-addressed free block of that order, and splits it
 *     keeping the lower half;
 *   - a freed block merges with its XOR buddy while the buddy is a whole free
 *     block of the same order inside the range, up to ZEN_PAGE_MAX_ORDER.
 * After every operation the free frames form the canonical decomposition into
 * maximal free blocks.
 *
 * Serialisation is the caller's: add_range, alloc, free, get, put and
 * set_owner call the enter hook given at init once when they begin and the
 * leave hook once before they return, on every answer (zen_hooks.h).
 *
 * Metadata lives in caller-provided typed arrays: one zen_page_frame per frame
 * and zen_page_bitmap_words() 64-bit words for the per-order free bitmaps
 * (a summary tree over each bitmap makes "lowest free block" O(levels)).
 * Nothing is static; an instance is not thread-safe by itself.
 *
 * Costs: alloc and free are O(ZEN_PAGE_MAX_ORDER * levels), where levels is
 * at most 6 (log64 of the block count); they never scan the frames. init is
 * O(nframes), add_range O(count), check O(nframes + bitmap words).
 *
 * Every function returns a zen_status. On any error the allocator is left
 * exactly as it was except for its diagnostic counters (rejected, oom). */
#ifndef ZEN_PAGE_H
#define ZEN_PAGE_H

#include <stdint.h>
#include "zen_status.h"
#include "zen_bits.h"
#include "zen_hooks.h"

#ifndef ZEN_PAGE_MAX_ORDER
#define ZEN_PAGE_MAX_ORDER 10u
#endif
#define ZEN_PAGE_ORDERS (ZEN_PAGE_MAX_ORDER + 1u)

#ifndef ZEN_PAGE_SHIFT
#define ZEN_PAGE_SHIFT 12u
#endif
#define ZEN_PAGE_SIZE ((uint64_t)1 << ZEN_PAGE_SHIFT)
#define ZEN_PAGE_WORDS_PER_FRAME (ZEN_PAGE_SIZE / 8u)

/* At most 2^32 frames in one allocator (16 TiB of 4 KiB frames), and pfns
 * below 2^52 (a 64-bit physical address space of 4 KiB frames). */
#define ZEN_PAGE_MAX_FRAMES ((uint64_t)1 << 32)
#define ZEN_PFN_LIMIT ((uint64_t)1 << 52)

/* Levels of the summary tree over one order's bitmap: 64^6 > 2^32 blocks. */
#define ZEN_BITMAP_MAX_LEVELS 6u

/* zen_page_alloc flags. */
#define ZEN_PAGE_FLAG_ZERO 1u /* fill the block with zero bytes */
/* Flags are the low bits, so a flag set is valid exactly when <= FLAGS_ALL. */
#define ZEN_PAGE_FLAGS_ALL ZEN_PAGE_FLAG_ZERO

typedef uint64_t zen_pfn;

/* State of one frame descriptor. Only the first frame of a block (its head)
 * carries the block's order; every other frame of a block is a tail. */
enum zen_frame_state {
    ZEN_FRAME_RESERVED = 0,  /* hole or reserved: never handed out */
    ZEN_FRAME_FREE = 1,      /* head of a free block */
    ZEN_FRAME_ALLOCATED = 2, /* head of an allocated block */
    ZEN_FRAME_TAIL = 3       /* inside a block, not its head */
};

/* Who holds an allocated block (recorded for later layers and debugging). */
enum zen_frame_owner {
    ZEN_OWNER_NONE = 0,
    ZEN_OWNER_USER = 1, /* the default for zen_page_alloc */
    ZEN_OWNER_SLAB = 2,    /* a slab of object caches (zen_slab.h); tag: its slab record */
    ZEN_OWNER_ZONE = 3,
    ZEN_OWNER_KMALLOC = 4  /* a whole-page zen_kmalloc block */
};
#define ZEN_OWNER_LAST ZEN_OWNER_KMALLOC

typedef struct zen_page_frame {
    uint8_t state;     /* enum zen_frame_state */
    uint8_t order;     /* order of the block this frame heads */
    uint8_t owner;     /* enum zen_frame_owner, allocated heads only */
    uint8_t pad;
    uint32_t refcount; /* references to an allocated block; 0 otherwise */
    uint32_t tag;      /* the owner's word for an allocated head (0 until set) */
} zen_page_frame;

/* Where the summary tree of one order lives inside the bitmap words. Level 0
 * holds one bit per possible block of that order (bit set: the block is a
 * free block of that order); a bit of level l+1 is set when word of level l
 * it stands for is non-zero. The top level is a single word. */
typedef struct zen_bitmap_tree {
    uint32_t levels;
    uint64_t offset[ZEN_BITMAP_MAX_LEVELS];
    uint64_t length[ZEN_BITMAP_MAX_LEVELS];
} zen_bitmap_tree;

/* Diagnostics, cheap to read at any time. */
typedef struct zen_page_stats {
    uint64_t managed;     /* usable frames added so far */
    uint64_t free_frames; /* frames in free blocks */
    uint64_t peak_in_use; /* highest managed - free_frames seen */
    uint64_t oom_count;   /* allocations answered ZEN_ERR_NOMEM */
    uint64_t rejected;    /* requests refused for bad input */
    uint64_t free_blocks[ZEN_PAGE_ORDERS]; /* free blocks per order */
} zen_page_stats;

typedef struct zen_page_allocator {
    zen_pfn start;          /* first pfn of the managed range */
    uint64_t nframes;       /* frames in the managed range */
    zen_page_frame *frames; /* nframes descriptors; frames[i] is pfn start + i */
    uint64_t *words;        /* bitmap words */
    uint64_t nwords;
    uint64_t *memory;       /* optional direct map of the frames, for zero-fill */
    zen_hooks hooks;        /* enter/leave around every changing operation */
    zen_bitmap_tree tree[ZEN_PAGE_ORDERS];
    zen_page_stats stats;
} zen_page_allocator;

/* Which invariant the consistency checker found broken. */
enum zen_page_invariant {
    ZEN_INV_NONE = 0,
    ZEN_INV_FRAME_STATE,   /* unknown state or order above the maximum */
    ZEN_INV_HEAD_ALIGN,    /* block head not naturally aligned or past the range */
    ZEN_INV_TAIL,          /* a frame inside a block is not a tail, or a tail outside any block */
    ZEN_INV_REFCOUNT,      /* allocated with no reference, or free with some */
    ZEN_INV_NOT_MAXIMAL,   /* a free block whose buddy is free: not coalesced */
    ZEN_INV_BITMAP,        /* bitmap bit disagrees with the frame descriptors */
    ZEN_INV_SUMMARY,       /* summary level disagrees with the level below */
    ZEN_INV_COUNTS         /* statistics disagree with the descriptors */
};

typedef struct zen_page_check_report {
    uint32_t invariant; /* enum zen_page_invariant */
    zen_pfn pfn;        /* frame where it was found (or 0) */
} zen_page_check_report;

/*@ predicate zen_page_tree_ok(zen_page_allocator *a) =
      \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
        1 <= a->tree[k].levels <= ZEN_BITMAP_MAX_LEVELS &&
        (\forall integer l; 0 <= l < a->tree[k].levels ==>
           1 <= a->tree[k].length[l] &&
           a->tree[k].offset[l] + a->tree[k].length[l] <= a->nwords);

    predicate zen_page_valid(zen_page_allocator *a) =
      \valid(a) &&
      0 < a->nframes <= ZEN_PAGE_MAX_FRAMES &&
      a->start + a->nframes <= ZEN_PFN_LIMIT &&
      \valid(a->frames + (0 .. a->nframes - 1)) &&
      \valid(a->words + (0 .. a->nwords - 1)) &&
      \separated(a, a->frames + (0 .. a->nframes - 1), a->words + (0 .. a->nwords - 1)) &&
      (a->memory == \null ||
        (\valid(a->memory + (0 .. a->nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)) &&
         \separated(a->memory + (0 .. a->nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                    a, a->frames + (0 .. a->nframes - 1), a->words + (0 .. a->nwords - 1)))) &&
      zen_page_tree_ok(a) &&
      (\forall integer i; 0 <= i < a->nframes ==> a->frames[i].order <= ZEN_PAGE_MAX_ORDER);

    logic integer zen_block_size(integer k) = 1 << k;

    // Steps that the provers take from these rather than from the encoding
    // of the shift. Each is proved.
    lemma zen_block_size_shl: \forall integer k; 0 <= k ==>
      zen_block_size(k + 1) == (zen_block_size(k) << 1);
    lemma zen_shl_one: \forall integer x; 0 <= x ==> (x << 1) == 2 * x;
    lemma zen_block_size_double: \forall integer k; 0 <= k ==>
      zen_block_size(k + 1) == 2 * zen_block_size(k);
    lemma zen_block_size_pos: \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
      1 <= zen_block_size(k);

    predicate zen_aligned(integer pfn, integer k) = (pfn & (zen_block_size(k) - 1)) == 0;

    predicate zen_in_range(zen_page_allocator *a, integer pfn) =
      a->start <= pfn < a->start + a->nframes;

    predicate zen_is_state(zen_page_allocator *a, integer pfn, integer s) =
      zen_in_range(a, pfn) && a->frames[pfn - a->start].state == s;

    // Frame-level forms read only the descriptors, so the provers see at
    // once that writes to counters or bitmaps leave them unchanged.
    predicate zen_frames_free_head(zen_page_frame *f, integer start, integer n, integer pfn, integer k) =
      start <= pfn < start + n && f[pfn - start].state == ZEN_FRAME_FREE && f[pfn - start].order == k;

    predicate zen_free_head(zen_page_allocator *a, integer pfn, integer k) =
      zen_frames_free_head(a->frames, a->start, a->nframes, pfn, k);

    // The XOR buddy of the order-k block at pfn: the other half of the
    // order-(k+1) block that holds both.
    logic integer zen_buddy(integer pfn, integer k) = pfn ^ zen_block_size(k);

    // Steps on XOR that the provers take from these; each is proved, the
    // last ones through the bit-extraction axioms of WP's integer model.
    lemma zen_xor_involution: \forall integer p, s; ((p ^ s) ^ s) == p;
    lemma zen_xor_unique: \forall integer p, q, s; (p ^ s) == q ==> p == (q ^ s);
    lemma zen_buddy_unique: \forall integer p, q, k; zen_buddy(p, k) == q ==> p == zen_buddy(q, k);
    lemma zen_xor_flips_bit: \forall integer p, k; 0 <= k ==>
      ((((p ^ (1 << k)) & (1 << k)) != 0) <==> ((p & (1 << k)) == 0));
    lemma zen_buddy_differs: \forall integer p, k; 0 <= k ==> zen_buddy(p, k) != p;

    // The free frames form the canonical decomposition into maximal blocks:
    // no free block below the top order has a free buddy of its own order,
    // so no two free blocks could merge.
    predicate zen_frames_canonical(zen_page_frame *f, integer start, integer n) =
      \forall integer p, k; 0 <= k < ZEN_PAGE_MAX_ORDER && zen_frames_free_head(f, start, n, p, k) ==>
        !zen_frames_free_head(f, start, n, zen_buddy(p, k), k);

    predicate zen_page_canonical(zen_page_allocator *a) =
      zen_frames_canonical(a->frames, a->start, a->nframes);

    // What zen_page_valid and zen_page_canonical read. A write elsewhere
    // (another zone's metadata, a counter) that keeps all of it keeps both;
    // the two lemmas carry them across such writes.
    predicate zen_page_same_shape{L1, L2}(zen_page_allocator *a) =
      \at(a->start, L1) == \at(a->start, L2) && \at(a->nframes, L1) == \at(a->nframes, L2) &&
      \at(a->frames, L1) == \at(a->frames, L2) && \at(a->words, L1) == \at(a->words, L2) &&
      \at(a->nwords, L1) == \at(a->nwords, L2) && \at(a->memory, L1) == \at(a->memory, L2) &&
      (\forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
        \at(a->tree[k].levels, L1) == \at(a->tree[k].levels, L2) &&
        (\forall integer l; 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
          \at(a->tree[k].offset[l], L1) == \at(a->tree[k].offset[l], L2) &&
          \at(a->tree[k].length[l], L1) == \at(a->tree[k].length[l], L2)));

    predicate zen_frames_same{L1, L2}(zen_page_frame *f, integer n) =
      \forall integer i; 0 <= i < n ==>
        \at(f[i].state, L1) == \at(f[i].state, L2) && \at(f[i].order, L1) == \at(f[i].order, L2);

    lemma zen_page_valid_kept{L1, L2}: \forall zen_page_allocator *a;
      zen_page_valid{L1}(a) && zen_page_same_shape{L1, L2}(a) &&
      zen_frames_same{L1, L2}(\at(a->frames, L1), \at(a->nframes, L1)) &&
      \valid{L2}(a) && \valid{L2}(\at(a->frames, L1) + (0 .. \at(a->nframes, L1) - 1)) &&
      \valid{L2}(\at(a->words, L1) + (0 .. \at(a->nwords, L1) - 1)) &&
      (\at(a->memory, L1) == \null ||
        \valid{L2}(\at(a->memory, L1) + (0 .. \at(a->nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) ==>
      zen_page_valid{L2}(a);

    lemma zen_page_canonical_kept{L1, L2}: \forall zen_page_allocator *a;
      zen_page_canonical{L1}(a) && zen_page_same_shape{L1, L2}(a) &&
      zen_frames_same{L1, L2}(\at(a->frames, L1), \at(a->nframes, L1)) ==>
      zen_page_canonical{L2}(a);

    predicate zen_page_bad_request(zen_page_allocator *a, integer order, integer flags) =
      order > ZEN_PAGE_MAX_ORDER || flags > ZEN_PAGE_FLAGS_ALL ||
      ((flags & ZEN_PAGE_FLAG_ZERO) != 0 && a->memory == \null);
 */

/* Number of 64-bit bitmap words an allocator over [start, start + nframes)
 * needs. Returns 0 when nframes is 0, above ZEN_PAGE_MAX_FRAMES, or the range
 * passes ZEN_PFN_LIMIT. O(ZEN_PAGE_MAX_ORDER). */
/*@ assigns \nothing;
    ensures nframes == 0 || nframes > ZEN_PAGE_MAX_FRAMES ||
            start + nframes > ZEN_PFN_LIMIT ==> \result == 0;
 */
uint64_t zen_page_bitmap_words(zen_pfn start, uint64_t nframes);

/* Initialise an allocator over [start, start + nframes). frames must hold
 * nframes descriptors, words at least zen_page_bitmap_words(start, nframes)
 * words; memory, when not NULL, is the direct map of the range (nframes *
 * ZEN_PAGE_SIZE bytes) and enables ZEN_PAGE_FLAG_ZERO. hooks, when not NULL,
 * is copied: its enter/leave functions then run around every operation that
 * changes the allocator. Every frame starts reserved, so no frame can be
 * allocated until zen_page_add_range().
 * Returns ZEN_OK, or ZEN_ERR_INVAL for a NULL array, a zero or oversized
 * range, or too few words (nothing is written then). O(nframes + nwords). */
/*@ requires \valid(a);
    requires hooks == \null || (\valid_read(hooks) && \separated(hooks, a));
    requires \valid(frames + (0 .. nframes - 1));
    requires \valid(words + (0 .. nwords - 1));
    requires memory == \null || \valid(memory + (0 .. nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    requires \separated(a, frames + (0 .. nframes - 1), words + (0 .. nwords - 1));
    requires memory == \null || \separated(memory + (0 .. nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                                           a, frames + (0 .. nframes - 1), words + (0 .. nwords - 1));
    assigns *a, frames[0 .. nframes - 1], words[0 .. nwords - 1];
    behavior bad_range:
      assumes nframes == 0 || nframes > ZEN_PAGE_MAX_FRAMES || start + nframes > ZEN_PFN_LIMIT;
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL;
    behavior ok_or_short:
      assumes 0 < nframes <= ZEN_PAGE_MAX_FRAMES && start + nframes <= ZEN_PFN_LIMIT;
      ensures \result == ZEN_OK || \result == ZEN_ERR_INVAL;
      ensures \result == ZEN_OK ==> zen_page_valid(a);
      ensures \result == ZEN_OK ==> a->start == start && a->nframes == nframes &&
        a->frames == frames && a->words == words && a->nwords == nwords && a->memory == memory &&
        a->stats.managed == 0 && a->stats.free_frames == 0;
      ensures \result == ZEN_OK ==> zen_page_canonical(a);
      ensures \result == ZEN_OK ==>
        \forall integer i; 0 <= i < nframes ==> frames[i].state == ZEN_FRAME_RESERVED;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_page_init(zen_page_allocator *a, zen_pfn start, uint64_t nframes,
                         zen_page_frame *frames, uint64_t *words, uint64_t nwords,
                         uint64_t *memory, const zen_hooks *hooks);

/* Make the frames [pfn, pfn + count) usable: each must be in the range and
 * still reserved. They join the free blocks, merged with free neighbours into
 * the canonical maximal blocks. Returns ZEN_OK; ZEN_ERR_INVAL for count 0;
 * ZEN_ERR_RANGE when any frame lies outside the range; ZEN_ERR_BUSY when any
 * frame is already usable (nothing changes then); ZEN_ERR_CORRUPT when the
 * metadata is found inconsistent. O(count). */
/*@ requires zen_page_valid(a);
    requires zen_page_canonical(a);
    assigns a->frames[0 .. a->nframes - 1], a->words[0 .. a->nwords - 1], a->stats;
    ensures zen_page_valid(a);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_page_canonical(a);
    behavior empty:
      assumes count == 0;
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
    behavior outside:
      assumes count != 0 && !(zen_in_range(a, pfn) && count <= a->nframes - (pfn - a->start));
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_RANGE;
    behavior busy:
      assumes count != 0 && zen_in_range(a, pfn) && count <= a->nframes - (pfn - a->start);
      assumes \exists integer i; pfn <= i < pfn + count && !zen_is_state(a, i, ZEN_FRAME_RESERVED);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_BUSY;
    behavior fresh:
      assumes count != 0 && zen_in_range(a, pfn) && count <= a->nframes - (pfn - a->start);
      assumes \forall integer i; pfn <= i < pfn + count ==> zen_is_state(a, i, ZEN_FRAME_RESERVED);
      ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==> a->stats.managed == (uint64_t)(\old(a->stats.managed) + count);
      ensures \result == ZEN_OK ==>
        a->stats.free_frames == (uint64_t)(\old(a->stats.free_frames) + count);
      // Exactly the added frames stopped being reserved:
      ensures \result == ZEN_OK ==> \forall integer i; 0 <= i < a->nframes ==>
        (a->frames[i].state == ZEN_FRAME_RESERVED <==>
          (\old(a->frames[i].state) == ZEN_FRAME_RESERVED && !(pfn <= a->start + i < pfn + count)));
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_page_add_range(zen_page_allocator *a, zen_pfn pfn, uint64_t count);

/* Allocate a block of 2^order frames (order <= ZEN_PAGE_MAX_ORDER) by the
 * policy above; store its first pfn in *pfn. flags: ZEN_PAGE_FLAG_ZERO zeroes
 * the block through the direct map. The block is owned by ZEN_OWNER_USER with
 * reference count 1.
 * Returns ZEN_OK: *pfn is in the range, a multiple of 2^order, and the whole
 * block was free and is now allocated. ZEN_ERR_INVAL: order too large, an
 * unknown flag, or ZERO without a direct map. ZEN_ERR_NOMEM: no free block of
 * order >= order (oom_count grows). *pfn is written only on success.
 * O(ZEN_PAGE_MAX_ORDER * levels). */
/*@ requires zen_page_valid(a) && \valid(pfn);
    requires \separated(pfn, a, a->frames + (0 .. a->nframes - 1), a->words + (0 .. a->nwords - 1));
    requires a->memory != \null ==>
               \separated(pfn, a->memory + (0 .. a->nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    requires zen_page_canonical(a);
    // The direct map is written only to zero a block: without
    // ZEN_PAGE_FLAG_ZERO the range below is empty.
    assigns *pfn, a->frames[0 .. a->nframes - 1], a->words[0 .. a->nwords - 1], a->stats,
            a->memory[0 .. ((flags & ZEN_PAGE_FLAG_ZERO) != 0 ? a->nframes * ZEN_PAGE_WORDS_PER_FRAME : 0) - 1];
    ensures zen_page_valid(a);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_page_canonical(a);
    behavior bad_request:
      assumes zen_page_bad_request(a, order, flags);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
    behavior exhausted:
      assumes !zen_page_bad_request(a, order, flags);
      assumes \forall integer k; order <= k <= ZEN_PAGE_MAX_ORDER ==> a->stats.free_blocks[k] == 0;
      assigns a->stats.oom_count;
      ensures \result == ZEN_ERR_NOMEM;
    behavior available:
      assumes !zen_page_bad_request(a, order, flags);
      assumes \exists integer k; order <= k <= ZEN_PAGE_MAX_ORDER && a->stats.free_blocks[k] != 0;
      ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==>
        a->start <= *pfn && *pfn - a->start + zen_block_size(order) <= a->nframes &&
        zen_aligned(*pfn, order) &&
        (\let p = *pfn; \at(a->frames[p - a->start].state, Pre) == ZEN_FRAME_FREE &&
                        \at(a->frames[p - a->start].order, Pre) >= order) &&
        a->frames[*pfn - a->start].state == ZEN_FRAME_ALLOCATED &&
        a->frames[*pfn - a->start].order == order &&
        a->frames[*pfn - a->start].refcount == 1 &&
        a->frames[*pfn - a->start].owner == ZEN_OWNER_USER &&
        a->stats.free_frames == (uint64_t)(\old(a->stats.free_frames) - zen_block_size(order));
      ensures \result == ZEN_OK && (flags & ZEN_PAGE_FLAG_ZERO) != 0 ==>
        \forall integer j; (*pfn - a->start) * ZEN_PAGE_WORDS_PER_FRAME <= j <
          (*pfn - a->start + zen_block_size(order)) * ZEN_PAGE_WORDS_PER_FRAME ==> a->memory[j] == 0;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_page_alloc(zen_page_allocator *a, unsigned order, unsigned flags, zen_pfn *pfn);

/* Drop the reference the caller holds on the block of 2^order frames at pfn;
 * when it was the last one the block becomes free and merges with its buddies.
 * Errors, each leaving the allocator unchanged but for `rejected`:
 *   ZEN_ERR_INVAL          order > ZEN_PAGE_MAX_ORDER
 *   ZEN_ERR_RANGE          pfn outside the managed range
 *   ZEN_ERR_RESERVED       pfn is a reserved frame or a hole
 *   ZEN_ERR_NOT_HEAD       pfn lies inside an allocated block, not at its head
 *   ZEN_ERR_NOT_ALLOCATED  pfn is in a free block (double free)
 *   ZEN_ERR_ORDER          the block at pfn has another order
 * O(ZEN_PAGE_MAX_ORDER * levels). */
/*@ requires zen_page_valid(a);
    requires zen_page_canonical(a);
    assigns a->frames[0 .. a->nframes - 1], a->words[0 .. a->nwords - 1], a->stats;
    ensures zen_page_valid(a);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_page_canonical(a);
    behavior bad_order:
      assumes order > ZEN_PAGE_MAX_ORDER;
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
    behavior foreign:
      assumes order <= ZEN_PAGE_MAX_ORDER && !zen_in_range(a, pfn);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_RANGE;
    behavior reserved:
      assumes order <= ZEN_PAGE_MAX_ORDER && zen_is_state(a, pfn, ZEN_FRAME_RESERVED);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_RESERVED;
    behavior double_free:
      assumes order <= ZEN_PAGE_MAX_ORDER && zen_is_state(a, pfn, ZEN_FRAME_FREE);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_NOT_ALLOCATED;
    behavior interior:
      assumes order <= ZEN_PAGE_MAX_ORDER && zen_is_state(a, pfn, ZEN_FRAME_TAIL);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED ||
              \result == ZEN_ERR_CORRUPT;
    behavior corrupt_state:
      assumes order <= ZEN_PAGE_MAX_ORDER && zen_in_range(a, pfn) && a->frames[pfn - a->start].state > ZEN_FRAME_TAIL;
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_CORRUPT;
    behavior wrong_order:
      assumes order <= ZEN_PAGE_MAX_ORDER && zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED) &&
              a->frames[pfn - a->start].order != order;
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_ORDER;
    behavior shared:
      assumes order <= ZEN_PAGE_MAX_ORDER && zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED) &&
              a->frames[pfn - a->start].order == order && a->frames[pfn - a->start].refcount > 1;
      assigns a->frames[pfn - a->start].refcount;
      ensures \result == ZEN_OK;
      ensures a->frames[pfn - a->start].refcount == \old(a->frames[pfn - a->start].refcount) - 1;
    behavior last_reference:
      assumes order <= ZEN_PAGE_MAX_ORDER && zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED) &&
              a->frames[pfn - a->start].order == order && a->frames[pfn - a->start].refcount <= 1;
      ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==>
        a->frames[pfn - a->start].state != ZEN_FRAME_ALLOCATED &&
        a->stats.free_frames == (uint64_t)(\old(a->stats.free_frames) + zen_block_size(order));
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_page_free(zen_page_allocator *a, zen_pfn pfn, unsigned order);

/* Take one more reference on the allocated block headed by pfn. Errors as for
 * zen_page_free (no order check), plus ZEN_ERR_OVERFLOW when the count is at
 * UINT32_MAX. O(ZEN_PAGE_MAX_ORDER). */
/*@ requires zen_page_valid(a);
    requires zen_page_canonical(a);
    assigns a->frames[0 .. a->nframes - 1], a->words[0 .. a->nwords - 1], a->stats;
    ensures zen_page_valid(a);
    ensures zen_page_canonical(a);
    behavior foreign:
      assumes !zen_in_range(a, pfn);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_RANGE;
    behavior reserved:
      assumes zen_is_state(a, pfn, ZEN_FRAME_RESERVED);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_RESERVED;
    behavior double_free:
      assumes zen_is_state(a, pfn, ZEN_FRAME_FREE);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_NOT_ALLOCATED;
    behavior interior:
      assumes zen_is_state(a, pfn, ZEN_FRAME_TAIL);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED ||
              \result == ZEN_ERR_CORRUPT;
    behavior corrupt_state:
      assumes zen_in_range(a, pfn) && a->frames[pfn - a->start].state > ZEN_FRAME_TAIL;
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_CORRUPT;
    behavior saturated:
      assumes zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED) && a->frames[pfn - a->start].refcount == UINT32_MAX;
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_OVERFLOW;
    behavior taken:
      assumes zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED) && a->frames[pfn - a->start].refcount < UINT32_MAX;
      assigns a->frames[pfn - a->start].refcount;
      ensures \result == ZEN_OK;
      ensures a->frames[pfn - a->start].refcount == \old(a->frames[pfn - a->start].refcount) + 1;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_page_get(zen_page_allocator *a, zen_pfn pfn);

/* zen_page_free without the order check: drop one reference on the block
 * headed by pfn and free it when none is left. */
/*@ requires zen_page_valid(a);
    requires zen_page_canonical(a);
    assigns a->frames[0 .. a->nframes - 1], a->words[0 .. a->nwords - 1], a->stats;
    ensures zen_page_valid(a);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_page_canonical(a);
    behavior foreign:
      assumes !zen_in_range(a, pfn);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_RANGE;
    behavior reserved:
      assumes zen_is_state(a, pfn, ZEN_FRAME_RESERVED);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_RESERVED;
    behavior double_free:
      assumes zen_is_state(a, pfn, ZEN_FRAME_FREE);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_NOT_ALLOCATED;
    behavior interior:
      assumes zen_is_state(a, pfn, ZEN_FRAME_TAIL);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED ||
              \result == ZEN_ERR_CORRUPT;
    behavior corrupt_state:
      assumes zen_in_range(a, pfn) && a->frames[pfn - a->start].state > ZEN_FRAME_TAIL;
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_CORRUPT;
    behavior shared:
      assumes zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED) && a->frames[pfn - a->start].refcount > 1;
      assigns a->frames[pfn - a->start].refcount;
      ensures \result == ZEN_OK;
      ensures a->frames[pfn - a->start].refcount == \old(a->frames[pfn - a->start].refcount) - 1;
    behavior last_reference:
      assumes zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED) && a->frames[pfn - a->start].refcount <= 1;
      ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==>
        a->frames[pfn - a->start].state != ZEN_FRAME_ALLOCATED &&
        a->stats.free_frames == (uint64_t)(\old(a->stats.free_frames) +
                                           zen_block_size(\old(a->frames[pfn - a->start].order)));
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_page_put(zen_page_allocator *a, zen_pfn pfn);

/* Record who owns the allocated block headed by pfn (enum zen_frame_owner)
 * and the owner's tag for it (the slab layer keeps its slab record there).
 * Errors as for zen_page_get; ZEN_ERR_INVAL for an unknown owner. O(1). */
/*@ requires zen_page_valid(a);
    requires zen_page_canonical(a);
    assigns a->frames[0 .. a->nframes - 1], a->words[0 .. a->nwords - 1], a->stats;
    ensures zen_page_valid(a);
    ensures zen_page_canonical(a);
    behavior bad_owner:
      assumes owner > ZEN_OWNER_LAST;
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
    behavior foreign:
      assumes owner <= ZEN_OWNER_LAST && !zen_in_range(a, pfn);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_RANGE;
    behavior reserved:
      assumes owner <= ZEN_OWNER_LAST && zen_is_state(a, pfn, ZEN_FRAME_RESERVED);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_RESERVED;
    behavior double_free:
      assumes owner <= ZEN_OWNER_LAST && zen_is_state(a, pfn, ZEN_FRAME_FREE);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_NOT_ALLOCATED;
    behavior interior:
      assumes owner <= ZEN_OWNER_LAST && zen_is_state(a, pfn, ZEN_FRAME_TAIL);
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED ||
              \result == ZEN_ERR_CORRUPT;
    behavior corrupt_state:
      assumes owner <= ZEN_OWNER_LAST && zen_in_range(a, pfn) && a->frames[pfn - a->start].state > ZEN_FRAME_TAIL;
      assigns a->stats.rejected;
      ensures \result == ZEN_ERR_CORRUPT;
    behavior owned:
      assumes owner <= ZEN_OWNER_LAST && zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED);
      assigns a->frames[pfn - a->start].owner, a->frames[pfn - a->start].tag;
      ensures \result == ZEN_OK && a->frames[pfn - a->start].owner == owner &&
              a->frames[pfn - a->start].tag == tag;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_page_set_owner(zen_page_allocator *a, zen_pfn pfn, unsigned owner, uint32_t tag);

/* The allocated block that holds pfn: *head is its first frame (pfn itself
 * for a head, below it for a frame inside the block). Reads only.
 * Returns ZEN_OK; ZEN_ERR_RANGE outside the range; ZEN_ERR_RESERVED for a
 * reserved frame or a hole; ZEN_ERR_NOT_ALLOCATED for a frame of a free
 * block; ZEN_ERR_CORRUPT when the descriptors around pfn are inconsistent.
 * *head is written only on success. O(ZEN_PAGE_MAX_ORDER). */
/*@ requires zen_page_valid(a) && \valid(head) && \separated(head, a);
    assigns *head;
    behavior foreign:
      assumes !zen_in_range(a, pfn);
      ensures \result == ZEN_ERR_RANGE;
    behavior reserved:
      assumes zen_is_state(a, pfn, ZEN_FRAME_RESERVED);
      ensures \result == ZEN_ERR_RESERVED;
    behavior free_head:
      assumes zen_is_state(a, pfn, ZEN_FRAME_FREE);
      ensures \result == ZEN_ERR_NOT_ALLOCATED;
    behavior allocated:
      assumes zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED);
      ensures \result == ZEN_OK && *head == pfn;
    behavior tail:
      assumes zen_is_state(a, pfn, ZEN_FRAME_TAIL);
      ensures \result == ZEN_OK || \result == ZEN_ERR_NOT_ALLOCATED || \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==>
        zen_is_state(a, *head, ZEN_FRAME_ALLOCATED) && *head < pfn &&
        pfn < *head + zen_block_size(a->frames[*head - a->start].order);
    behavior unknown_state:
      assumes zen_in_range(a, pfn) && a->frames[pfn - a->start].state > ZEN_FRAME_TAIL;
      ensures \result == ZEN_ERR_CORRUPT;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_page_find(const zen_page_allocator *a, zen_pfn pfn, zen_pfn *head);

/* Walk every descriptor and every bitmap word and check all invariants:
 * descriptor states, head alignment, tails, reference counts, maximality of
 * free blocks (canonical decomposition), bitmap and summary levels, counters.
 * Returns ZEN_OK, or ZEN_ERR_CORRUPT with the first broken invariant in
 * *report. O(nframes + nwords). */
/*@ requires zen_page_valid(a) && \valid(report) && \separated(report, a);
    assigns *report;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK <==> report->invariant == ZEN_INV_NONE;
 */
zen_status zen_page_check(zen_page_allocator *a, zen_page_check_report *report);

#endif
