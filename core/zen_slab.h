/* Zen slab allocator: object caches and kmalloc over the zone allocator.
 *
 * A cache (zen_slab_cache) serves objects of one size and alignment. Its
 * memory comes in slabs: blocks of 2^order frames from the zone allocator
 * (zen_zone.h), cut into equal slots of `stride` bytes (the size rounded up
 * to the alignment). The order is the smallest one at which the slab's
 * leftover bytes are at most 1/8 of the slab; when no order up to
 * ZEN_SLAB_MAX_ORDER manages that, the order with the smallest leftover
 * share. A slab holds at most ZEN_SLAB_MAX_SLOTS slots.
 *
 * Objects are named by physical byte address (zen_paddr): pfn << ZEN_PAGE_SHIFT
 * plus the offset. The core never reads or writes object memory; a kernel
 * turns an address into a pointer through its own direct map.
 *
 * Metadata is out of band: one zen_slab record per slab, from a pool of
 * records the caller gives to zen_kmem_init, each with a bitmap of its free
 * slots. The head frame descriptor of every slab block has owner
 * ZEN_OWNER_SLAB and the record's number as its tag, so a free finds the
 * record of any address in O(ZEN_PAGE_MAX_ORDER) through zen_zone_block_of
 * and validates it against the record (same head, order and cache).
 *
 * Policy, fixed so that the executable spec can check every answer:
 *   - allocation takes the slab at the head of the cache's partial list,
 *     else the head of its empty list, else a new slab; within the slab the
 *     lowest free slot;
 *   - a slab that changes list (empty, partial, full) goes to the head of
 *     its new list;
 *   - empty slabs stay with the cache until zen_slab_shrink or
 *     zen_slab_cache_destroy returns them to the zone allocator.
 *
 * A constructor, when given, runs on every slot of a slab when the slab is
 * made, so objects are always handed out constructed (Bonwick); a caller
 * returns them in constructed state. It runs inside the allocation that
 * makes the slab, before the slab's record is written, so it must not call
 * into the kmem (the proofs assume it writes nothing the core reads).
 *
 * kmalloc: zen_kmalloc serves sizes up to ZEN_KMALLOC_MAX_SLAB_SIZE (half a
 * page) from a ladder of size-class caches inside the zen_kmem, and larger
 * sizes as whole blocks of 2^k frames from the zone allocator (owner
 * ZEN_OWNER_KMALLOC). zen_kfree tells the two apart from the frame
 * descriptor. A caller's cache must not overlap those classes (the
 * contracts' zen_kmem_classes_apart): its list heads and counters are
 * written, and a class under them would lose its geometry.
 *
 * Serialisation is the caller's: every operation that changes a zen_kmem or
 * one of its caches calls the kmem's enter hook once at its start and its
 * leave hook once before it returns (zen_hooks.h). The zone set keeps its
 * own hooks.
 *
 * Every function returns a zen_status; on any error the kmem, its caches and
 * the zone set are left as they were except for diagnostic counters. */
#ifndef ZEN_SLAB_H
#define ZEN_SLAB_H

#include "zen_zone.h"

typedef uint64_t zen_paddr;

#define ZEN_SLAB_MAX_ORDER 3u    /* slabs of at most 8 frames */
#define ZEN_SLAB_MAX_FRAMES (1u << ZEN_SLAB_MAX_ORDER)
#define ZEN_SLAB_MAP_WORDS 8u    /* bitmap words per slab record */
#define ZEN_SLAB_MAX_SLOTS (64u * ZEN_SLAB_MAP_WORDS)
#define ZEN_SLAB_MIN_ALIGN 8u    /* alignment 0 means this */
/* Largest object a cache serves: one slot filling a slab of the top order. */
#define ZEN_SLAB_MAX_SIZE ((uint64_t)ZEN_PAGE_SIZE << ZEN_SLAB_MAX_ORDER)
#define ZEN_SLAB_NONE UINT32_MAX /* no record: end of a list */

/* zen_slab_cache_create flags: where the slab frames come from. */
#define ZEN_SLAB_DMA 1u    /* only from ZEN_ZONE_DMA */
#define ZEN_SLAB_DMA32 2u  /* from ZEN_ZONE_DMA32 or below */
#define ZEN_SLAB_ATOMIC 4u /* frame requests may dip below a zone's min */
#define ZEN_SLAB_FLAGS_ALL (ZEN_SLAB_DMA | ZEN_SLAB_DMA32 | ZEN_SLAB_ATOMIC)

/* zen_kmalloc flags. */
#define ZEN_KMALLOC_ATOMIC 1u /* frame requests may dip below a zone's min */
#define ZEN_KMALLOC_FLAGS_ALL ZEN_KMALLOC_ATOMIC

/* The size classes of kmalloc: 8 16 32 64 96 128 192 256 512 1024 2048. */
#define ZEN_KMALLOC_CLASSES 11u
#define ZEN_KMALLOC_MAX_SLAB_SIZE (ZEN_PAGE_SIZE / 2u)
/* Largest kmalloc: one block of the top order. */
#define ZEN_KMALLOC_MAX_SIZE ((uint64_t)ZEN_PAGE_SIZE << ZEN_PAGE_MAX_ORDER)

/* Which list a slab record is on. */
enum zen_slab_list {
    ZEN_SLAB_SPARE = 0,   /* record not in use */
    ZEN_SLAB_EMPTY = 1,   /* every slot free */
    ZEN_SLAB_PARTIAL = 2, /* some slots free */
    ZEN_SLAB_FULL = 3     /* no slot free */
};
#define ZEN_SLAB_LISTS 3u /* empty, partial, full: a cache's list heads */

struct zen_slab_cache;

/* One slab: the out-of-band record of a block of 2^order frames. */
typedef struct zen_slab {
    struct zen_slab_cache *cache;       /* owning cache; NULL for a spare record */
    zen_pfn pfn;                        /* first frame of the block */
    uint32_t next, prev;                /* neighbours on its list, ZEN_SLAB_NONE at the ends */
    uint16_t nfree;                     /* free slots */
    uint8_t list;                       /* enum zen_slab_list */
    uint8_t order;
    uint8_t kclass;                     /* the cache's kmalloc_class */
    uint64_t free_map[ZEN_SLAB_MAP_WORDS]; /* bit i set: slot i is free */
} zen_slab;

/* Fault injection (as a kernel's fail_page_alloc): called before every
 * frame request of the slab layer with its order; a non-zero answer refuses
 * the request as if the zones were out of memory. */
typedef int (*zen_fail_fn)(void *ctx, unsigned order);

/* A constructor: puts the object at obj into its constructed state. */
typedef void (*zen_slab_ctor_fn)(void *ctx, zen_paddr obj);

typedef struct zen_slab_cache_stats {
    uint64_t in_use;     /* objects handed out */
    uint64_t peak_in_use;
    uint64_t slabs;      /* slabs held, of every list */
    uint64_t empty_slabs;
    uint64_t allocs;     /* successful allocations */
    uint64_t oom_count;  /* allocations answered ZEN_ERR_NOMEM */
    uint64_t rejected;   /* frees refused for bad input */
} zen_slab_cache_stats;

struct zen_kmem;

typedef struct zen_slab_cache {
    const struct zen_kmem *kmem; /* the kmem it lives in; NULL once destroyed */
    uint32_t size, align, stride;
    uint32_t nslots;  /* slots per slab */
    uint32_t order;   /* frames per slab: 2^order */
    uint32_t flags;
    uint32_t kmalloc_class; /* 1 + class index for the kmalloc classes, 0 otherwise */
    zen_slab_ctor_fn ctor;
    void *ctor_ctx;
    uint32_t head[ZEN_SLAB_LISTS]; /* first record of the empty, partial, full lists */
    zen_slab_cache_stats stats;
} zen_slab_cache;

typedef struct zen_kmem_stats {
    uint64_t large_blocks; /* whole-page kmalloc blocks handed out */
    uint64_t large_frames; /* their frames */
    uint64_t spare_records;
    uint64_t oom_count;    /* kmalloc answers ZEN_ERR_NOMEM for large blocks or records */
    uint64_t rejected;     /* bad kmalloc sizes and kfree addresses */
} zen_kmem_stats;

typedef struct zen_kmem {
    zen_zone_set *zones;
    zen_slab *slabs;        /* the record pool */
    uint32_t nslabs;
    uint32_t spare;         /* first spare record, ZEN_SLAB_NONE when none */
    zen_slab_cache classes[ZEN_KMALLOC_CLASSES];
    zen_hooks hooks;
    zen_fail_fn fail;       /* fault injection, or NULL */
    void *fail_ctx;
    zen_kmem_stats stats;
} zen_kmem;

/* Which invariant the consistency checker found broken. */
enum zen_slab_invariant {
    ZEN_SINV_NONE = 0,
    ZEN_SINV_RECORD,  /* a record with a bad list, order, cache or slot count */
    ZEN_SINV_LINKS,   /* a list's links are broken, cyclic or hold a record twice */
    ZEN_SINV_BITMAP,  /* free bits disagree with nfree, or mark slots past the last */
    ZEN_SINV_PLACE,   /* a slab on the wrong list for its free slots */
    ZEN_SINV_FRAMES,  /* a slab's frames are not its block, owned by it */
    ZEN_SINV_COUNTS,  /* statistics disagree with the records or frames */
    ZEN_SINV_CACHE    /* a cache of another kmem, or with inconsistent geometry */
};

typedef struct zen_slab_check_report {
    uint32_t invariant; /* enum zen_slab_invariant */
    uint32_t record;    /* record where it was found, or ZEN_SLAB_NONE */
    const zen_slab_cache *cache;
} zen_slab_check_report;

/* The records a slab operation may write. The list fields are named as
 * well as the whole records: a list move writes just those fields of every
 * record, and WP proves such a write inside its caller's frame only when
 * the caller names the same fields (the whole records alone leave an
 * inclusion the provers do not close). */
#define ZEN_KMEM_RECORD_WRITES(k)                                                                       \
    (k)->slabs[0 .. (k)->nslabs - 1], (k)->slabs[0 .. (k)->nslabs - 1].next,                            \
    (k)->slabs[0 .. (k)->nslabs - 1].prev, (k)->slabs[0 .. (k)->nslabs - 1].list

/* For assigns clauses: what taking or returning a block of k's zones may
 * write (the zone set's statistics, frame descriptors and bitmap words, and
 * each zone's page statistics). No direct map: the slab layer never asks
 * for a zeroed block, and the zones write a map only to zero one. */
#define ZEN_KMEM_ZONE_WRITES(k)                                                                         \
    (k)->zones->stats, (k)->zones->frames[0 .. (k)->zones->nframes - 1],                                \
    (k)->zones->words[0 .. (k)->zones->nwords - 1],                                                     \
    (k)->zones->zone[0 .. ZEN_ZONE_COUNT - 1].pages.stats

/* For assigns clauses: the list heads of the kmalloc classes, class by
 * class (zen_kmalloc's and zen_kfree's). Their writes to the heads of one
 * class, through zen_slab_alloc_in and zen_slab_free_in, are then seen
 * inside one of these; inside a single two-dimensional range over all
 * classes the provers do not find which. */
#define ZEN_KMEM_CLASS_HEADS(k)                                                                         \
    (k)->classes[0].head[0 .. ZEN_SLAB_LISTS - 1], (k)->classes[1].head[0 .. ZEN_SLAB_LISTS - 1],        \
    (k)->classes[2].head[0 .. ZEN_SLAB_LISTS - 1], (k)->classes[3].head[0 .. ZEN_SLAB_LISTS - 1],        \
    (k)->classes[4].head[0 .. ZEN_SLAB_LISTS - 1], (k)->classes[5].head[0 .. ZEN_SLAB_LISTS - 1],        \
    (k)->classes[6].head[0 .. ZEN_SLAB_LISTS - 1], (k)->classes[7].head[0 .. ZEN_SLAB_LISTS - 1],        \
    (k)->classes[8].head[0 .. ZEN_SLAB_LISTS - 1], (k)->classes[9].head[0 .. ZEN_SLAB_LISTS - 1],        \
    (k)->classes[10].head[0 .. ZEN_SLAB_LISTS - 1]

/* A compile-time check that ZEN_KMEM_CLASS_HEADS names every class. */
typedef char zen_kmem_class_heads_named[ZEN_KMALLOC_CLASSES == 11u ? 1 : -1];

/*@ // The record pool: valid, apart from the kmem.
    predicate zen_slab_records_ok(zen_kmem *k) =
      \valid(k) && 0 < k->nslabs < ZEN_SLAB_NONE &&
      \valid(k->slabs + (0 .. k->nslabs - 1)) &&
      \separated(k, k->slabs + (0 .. k->nslabs - 1));

    // A cache apart from the kmem's own fields and its records: one the
    // caller owns, or one of the kmem's kmalloc classes (which lie in *k).
    predicate zen_slab_cache_apart(zen_kmem *k, zen_slab_cache *c) =
      \valid(c) && \separated(c, k->slabs + (0 .. k->nslabs - 1)) &&
      \separated(c, &k->zones, &k->slabs, &k->nslabs, &k->spare, &k->hooks, &k->fail, &k->fail_ctx,
                 &k->stats);

    // The zone set's direct maps lie apart from its struct, present zone or
    // not (a zone may have none: a NULL map is apart from every valid
    // place). The zones' writes name all three maps, so the set's struct
    // stays as it was across them only with this.
    predicate zen_zone_maps_apart(zen_zone_set *s) =
      \separated(s, s->zone[0].pages.memory + (0 .. s->zone[0].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)) &&
      \separated(s, s->zone[1].pages.memory + (0 .. s->zone[1].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)) &&
      \separated(s, s->zone[2].pages.memory + (0 .. s->zone[2].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));

    // What the zone set writes (its struct, arrays and direct maps) lies
    // apart from the slab layer's own memory: the kmem, its records, and the
    // cache c (the kmem's own classes lie inside *k).
    predicate zen_kmem_zones_apart(zen_kmem *k, zen_slab_cache *c) =
      \separated(k->zones, k, k->slabs + (0 .. k->nslabs - 1)) && \separated(k->zones, c) &&
      \separated(k->zones->frames + (0 .. k->zones->nframes - 1), k, k->slabs + (0 .. k->nslabs - 1)) &&
      \separated(k->zones->frames + (0 .. k->zones->nframes - 1), c) &&
      \separated(k->zones->words + (0 .. k->zones->nwords - 1), k, k->slabs + (0 .. k->nslabs - 1)) &&
      \separated(k->zones->words + (0 .. k->zones->nwords - 1), c) &&
      \separated(k->zones->zone[0].pages.memory +
                   (0 .. k->zones->zone[0].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                 k, k->slabs + (0 .. k->nslabs - 1)) &&
      \separated(k->zones->zone[0].pages.memory +
                   (0 .. k->zones->zone[0].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1), c) &&
      \separated(k->zones->zone[1].pages.memory +
                   (0 .. k->zones->zone[1].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                 k, k->slabs + (0 .. k->nslabs - 1)) &&
      \separated(k->zones->zone[1].pages.memory +
                   (0 .. k->zones->zone[1].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1), c) &&
      \separated(k->zones->zone[2].pages.memory +
                   (0 .. k->zones->zone[2].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                 k, k->slabs + (0 .. k->nslabs - 1)) &&
      \separated(k->zones->zone[2].pages.memory +
                   (0 .. k->zones->zone[2].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1), c) &&
      zen_zone_maps_apart(k->zones);

    // What the zone set's alloc, free and set_owner write lies apart from p,
    // and the direct maps from the set's struct.
    predicate zen_zone_writes_apart(zen_zone_set *s, zen_pfn *p) =
      \separated(p, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1)) &&
      \separated(p, s->zone[0].pages.memory + (0 .. s->zone[0].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)) &&
      \separated(p, s->zone[1].pages.memory + (0 .. s->zone[1].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)) &&
      \separated(p, s->zone[2].pages.memory + (0 .. s->zone[2].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1)) &&
      zen_zone_maps_apart(s);

    predicate zen_kmem_valid(zen_kmem *k) =
      zen_slab_records_ok(k) && zen_zone_set_valid(k->zones) &&
      zen_kmem_zones_apart(k, &k->classes[0]);

    // A cache's geometry as zen_slab_cache_create sets it up, in values:
    // where a cache's four fields are known to read the same at two
    // states, its geometry then carries from one to the other by
    // congruence, which the provers do not find through memory.
    predicate zen_slab_shape(integer align, integer stride, integer order, integer nslots) =
      1 <= align <= ZEN_PAGE_SIZE && ZEN_PAGE_SIZE % align == 0 &&
      ZEN_SLAB_MIN_ALIGN <= stride <= ZEN_SLAB_MAX_SIZE && stride % align == 0 &&
      order <= ZEN_SLAB_MAX_ORDER && 1 <= nslots <= ZEN_SLAB_MAX_SLOTS &&
      nslots * stride <= ZEN_PAGE_SIZE * zen_block_size(order);

    predicate zen_slab_geometry(zen_slab_cache *c) = zen_slab_shape(c->align, c->stride, c->order, c->nslots);


    // Cache c's geometry, kmem and live count read the same at L1 and L2.
    predicate zen_slab_cache_kept{L1, L2}(zen_slab_cache *c) =
      \at(c->kmem, L1) == \at(c->kmem, L2) && \at(c->stride, L1) == \at(c->stride, L2) &&
      \at(c->nslots, L1) == \at(c->nslots, L2) && \at(c->align, L1) == \at(c->align, L2) &&
      \at(c->order, L1) == \at(c->order, L2) && \at(c->stats.in_use, L1) == \at(c->stats.in_use, L2);

    // Record q's cache, block, free count and free-slot bitmap read the
    // same at L1 and L2 (its links and list may differ).
    predicate zen_slab_record_kept{L1, L2}(zen_kmem *k, integer q) =
      \at(k->slabs[q].cache, L1) == \at(k->slabs[q].cache, L2) &&
      \at(k->slabs[q].pfn, L1) == \at(k->slabs[q].pfn, L2) &&
      \at(k->slabs[q].nfree, L1) == \at(k->slabs[q].nfree, L2) &&
      (\forall integer w; 0 <= w < ZEN_SLAB_MAP_WORDS ==>
        \at(k->slabs[q].free_map[w], L1) == \at(k->slabs[q].free_map[w], L2));

    // A cache request: the alignment it names (0 means ZEN_SLAB_MIN_ALIGN),
    // the stride it gets, and when it is refused.
    logic integer zen_slab_align_of(integer align) = align == 0 ? ZEN_SLAB_MIN_ALIGN : align;
    logic integer zen_slab_stride_of(integer size, integer a) =
      (size + a - 1) / a * a < ZEN_SLAB_MIN_ALIGN ? ZEN_SLAB_MIN_ALIGN : (size + a - 1) / a * a;
    predicate zen_slab_request_bad(integer size, integer align, integer flags) =
      size == 0 || zen_slab_align_of(align) > ZEN_PAGE_SIZE || ZEN_PAGE_SIZE % zen_slab_align_of(align) != 0 ||
      flags > ZEN_SLAB_FLAGS_ALL ||
      (flags & (ZEN_SLAB_DMA | ZEN_SLAB_DMA32)) == (ZEN_SLAB_DMA | ZEN_SLAB_DMA32);
    predicate zen_slab_request_overflows(integer size, integer align) =
      size > 0xFFFFFFFFFFFFFFFF - (zen_slab_align_of(align) - 1);

    // The bytes of an order-o slab, and how many stride-byte slots it holds.
    logic integer zen_slab_bytes(integer o) = ZEN_PAGE_SIZE * zen_block_size(o);
    logic integer zen_slab_slots_at(integer stride, integer o) =
      zen_slab_bytes(o) / stride > ZEN_SLAB_MAX_SLOTS ? ZEN_SLAB_MAX_SLOTS : zen_slab_bytes(o) / stride;
    // An order-o slab of such slots leaves at most 1/8 of it unused.
    predicate zen_slab_order_fits(integer stride, integer o) =
      1 <= zen_slab_slots_at(stride, o) &&
      (zen_slab_bytes(o) - zen_slab_slots_at(stride, o) * stride) * 8 <= zen_slab_bytes(o);

    // Slot i of the slab in record r is free.
    predicate zen_slab_slot_free(zen_kmem *k, integer r, integer i) =
      zen_bit(k->slabs[r].free_map[i / 64], i % 64) == 1;

    // The first byte of slot i of the slab at frame pfn, for stride-byte
    // slots; and of the slab in record r. In values, like zen_slab_shape,
    // so that a slot's address carries to a state where the block is known
    // the same.
    logic integer zen_slab_slot_at(integer pfn, integer stride, integer i) = pfn * ZEN_PAGE_SIZE + i * stride;
    logic integer zen_slab_slot_addr(zen_kmem *k, integer r, integer stride, integer i) =
      zen_slab_slot_at(k->slabs[r].pfn, stride, i);

    // Where obj falls in the slab at frame pfn, for stride-byte slots: its
    // slot, and whether it lies inside a slot but past its first byte, or at
    // a slot's first byte. Over values, so that they carry to a state where
    // the block and the stride are known the same.
    logic integer zen_slab_slot_of(integer obj, integer pfn, integer stride) = (obj - pfn * ZEN_PAGE_SIZE) / stride;
    predicate zen_slab_inside_at(integer obj, integer pfn, integer stride, integer nslots) =
      \let off = obj - pfn * ZEN_PAGE_SIZE; 0 <= off && off / stride < nslots && off % stride != 0;
    predicate zen_slab_head_at(integer obj, integer pfn, integer stride, integer nslots) =
      \let off = obj - pfn * ZEN_PAGE_SIZE; 0 <= off && off % stride == 0 && off / stride < nslots;

    // At L2, obj is the first byte of slot i of record q, a slab of c, and
    // the slot is in use; at L1 the slot was free in c's slab q, or q was a
    // spare record (a new slab). No other slot of q and no other record
    // changed.
    predicate zen_slab_taken{L1, L2}(zen_kmem *k, zen_slab_cache *c, integer q, integer i, zen_paddr obj) =
      0 <= q < \at(k->nslabs, L2) && 0 <= i < \at(c->nslots, L2) && \at(k->slabs[q].cache, L2) == c &&
      obj == zen_slab_slot_addr{L2}(k, q, \at(c->stride, L2), i) && !zen_slab_slot_free{L2}(k, q, i) &&
      (\at(k->slabs[q].cache, L1) == \null ||
       (\at(k->slabs[q].cache, L1) == c && zen_slab_slot_free{L1}(k, q, i) &&
        \forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j != i ==>
          (zen_slab_slot_free{L2}(k, q, j) <==> zen_slab_slot_free{L1}(k, q, j)))) &&
      (\forall integer p; 0 <= p < \at(k->nslabs, L2) && p != q ==> zen_slab_record_kept{L1, L2}(k, p));
 */

/* For contracts: at L1, obj was the first byte of a live slot of record r,
 * a slab of c; at L2 exactly that slot is free, and no other record
 * changed. A macro, not a predicate: the provers match its parts against
 * the postconditions of zen_slab_free_in one by one, where a predicate
 * must first be unfolded (that goal alone took over a minute). */
#define ZEN_SLAB_FREED(L1, L2, k, c, r, obj)                                                           \
    (0 <= (r) < \at((k)->nslabs, L2) && \at((k)->slabs[(r)].cache, L2) == (c) &&                       \
     (\let freed_off = (obj) - \at((k)->slabs[(r)].pfn, L2) * ZEN_PAGE_SIZE;                           \
      \let freed_slot = freed_off / \at((c)->stride, L2);                                              \
      0 <= freed_off && freed_off % \at((c)->stride, L2) == 0 && freed_slot < \at((c)->nslots, L2) &&  \
      !zen_slab_slot_free{L1}(k, r, freed_slot) && zen_slab_slot_free{L2}(k, r, freed_slot) &&         \
      (\forall integer freed_j; 0 <= freed_j < ZEN_SLAB_MAX_SLOTS && freed_j != freed_slot ==>         \
        (zen_slab_slot_free{L2}(k, r, freed_j) <==> zen_slab_slot_free{L1}(k, r, freed_j)))) &&        \
     (\forall integer freed_q; 0 <= freed_q < \at((k)->nslabs, L2) && freed_q != (r) ==>               \
       zen_slab_record_kept{L1, L2}(k, freed_q)))

/*@ // What zen_kmem_init needs of its caller: the records lie apart from the
    // kmem, and what the zone set s writes (its struct, arrays and direct
    // maps) lies apart from both, and the maps from the set's struct:
    // zen_kmem_zones_apart once k is set up.
    predicate zen_kmem_init_apart(zen_kmem *k, zen_zone_set *s, zen_slab *slabs, integer n) =
      \separated(k, slabs + (0 .. n - 1)) &&
      \separated(s, k, slabs + (0 .. n - 1)) &&
      \separated(s->frames + (0 .. s->nframes - 1), k, slabs + (0 .. n - 1)) &&
      \separated(s->words + (0 .. s->nwords - 1), k, slabs + (0 .. n - 1)) &&
      \separated(s->zone[0].pages.memory + (0 .. s->zone[0].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                 k, slabs + (0 .. n - 1)) &&
      \separated(s->zone[1].pages.memory + (0 .. s->zone[1].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                 k, slabs + (0 .. n - 1)) &&
      \separated(s->zone[2].pages.memory + (0 .. s->zone[2].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1),
                 k, slabs + (0 .. n - 1)) &&
      zen_zone_maps_apart(s);

    // What the slab layer writes of cache c (its list heads and its
    // counters) lies apart from every kmalloc class's kmem, geometry and
    // number: true of each class itself and of a cache apart from them.
    predicate zen_kmem_classes_apart(zen_kmem *k, zen_slab_cache *c) =
      \forall integer i; 0 <= i < ZEN_KMALLOC_CLASSES ==>
        \separated(c->head + (0 .. ZEN_SLAB_LISTS - 1), &c->stats, &k->classes[i].kmem, &k->classes[i].align,
                   &k->classes[i].stride, &k->classes[i].order, &k->classes[i].nslots,
                   &k->classes[i].kmalloc_class);

    // Every kmalloc class's kmem, geometry and number read the same at L1
    // and L2. In values, so that it chains across calls by equality alone.
    predicate zen_kmem_classes_same{L1, L2}(zen_kmem *k) =
      \forall integer i; 0 <= i < ZEN_KMALLOC_CLASSES ==>
        \at(k->classes[i].kmem, L1) == \at(k->classes[i].kmem, L2) &&
        \at(k->classes[i].align, L1) == \at(k->classes[i].align, L2) &&
        \at(k->classes[i].stride, L1) == \at(k->classes[i].stride, L2) &&
        \at(k->classes[i].order, L1) == \at(k->classes[i].order, L2) &&
        \at(k->classes[i].nslots, L1) == \at(k->classes[i].nslots, L2) &&
        \at(k->classes[i].kmalloc_class, L1) == \at(k->classes[i].kmalloc_class, L2);

    // The kmalloc classes of k: class i is a live cache of k with the
    // geometry zen_slab_cache_create gives, numbered i + 1.
    predicate zen_kmem_classes_ok(zen_kmem *k) =
      \forall integer i; 0 <= i < ZEN_KMALLOC_CLASSES ==>
        k->classes[i].kmem == k && zen_slab_geometry(&k->classes[i]) && k->classes[i].kmalloc_class == i + 1;
 */

/* Set up k over the zone set `zones` (already built by zen_zone_init) with
 * the record pool slabs[0 .. nslabs - 1], and make the kmalloc classes.
 * hooks, when not NULL, is copied. No frame is taken yet.
 * Returns ZEN_OK, or ZEN_ERR_INVAL for NULL arrays or nslabs 0 or equal to
 * ZEN_SLAB_NONE (nothing is written then). The caller keeps the records and
 * the zone set's memory apart from k and from each other
 * (zen_kmem_init_apart). On ZEN_OK every record is spare and each kmalloc
 * class i is a cache of k numbered i + 1. O(nslabs). */
/*@ requires \valid(k);
    requires hooks == \null || \valid_read(hooks);
    assigns *k, slabs[0 .. nslabs - 1];
    behavior bad_args:
      assumes zones == \null || slabs == \null || nslabs == 0 || nslabs == ZEN_SLAB_NONE;
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL;
    behavior made:
      assumes zones != \null && slabs != \null && nslabs != 0 && nslabs != ZEN_SLAB_NONE;
      requires \valid(slabs + (0 .. nslabs - 1));
      requires zen_zone_set_valid(zones) && zen_kmem_init_apart(k, zones, slabs, nslabs);
      ensures \result == ZEN_OK;
      ensures k->zones == zones && k->slabs == slabs && k->nslabs == nslabs;
      ensures zen_kmem_valid(k) && zen_kmem_classes_ok(k);
      ensures \forall integer r; 0 <= r < nslabs ==> slabs[r].cache == \null && slabs[r].list == ZEN_SLAB_SPARE;
      ensures k->spare == 0 && k->stats.spare_records == nslabs;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_kmem_init(zen_kmem *k, zen_zone_set *zones, zen_slab *slabs, uint32_t nslabs,
                         const zen_hooks *hooks);

/* Install (fail not NULL) or remove fault injection for every later frame
 * request of k's caches and kmalloc. O(1). */
/*@ requires \valid(k);
    assigns k->fail, k->fail_ctx;
    ensures k->fail == fail && k->fail_ctx == ctx;
 */
void zen_kmem_set_fail(zen_kmem *k, zen_fail_fn fail, void *ctx);

/* Make c a cache of objects of `size` bytes aligned to `align` (a power of
 * two up to ZEN_PAGE_SIZE; 0 means ZEN_SLAB_MIN_ALIGN), with an optional
 * constructor ctor(ctor_ctx, obj) and flags ZEN_SLAB_*. The stride is size
 * rounded up to the alignment, and at least 8.
 * Returns ZEN_OK; ZEN_ERR_INVAL for size 0, a stride above
 * ZEN_SLAB_MAX_SIZE, a bad alignment, unknown flags or DMA with DMA32;
 * ZEN_ERR_OVERFLOW when rounding the size up overflows. No frame is taken
 * until the first allocation. O(ZEN_SLAB_MAX_ORDER). */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires \separated(c, k);
    assigns *c, k->stats.rejected;
    ensures zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    behavior bad_request:
      assumes zen_slab_request_bad(size, align, flags);
      assigns k->stats.rejected;
      ensures \result == ZEN_ERR_INVAL && k->stats.rejected == (uint64_t)(\old(k->stats.rejected) + 1);
    behavior overflow:
      assumes !zen_slab_request_bad(size, align, flags) && zen_slab_request_overflows(size, align);
      assigns k->stats.rejected;
      ensures \result == ZEN_ERR_OVERFLOW && k->stats.rejected == (uint64_t)(\old(k->stats.rejected) + 1);
    behavior too_large:
      assumes !zen_slab_request_bad(size, align, flags) && !zen_slab_request_overflows(size, align);
      assumes zen_slab_stride_of(size, zen_slab_align_of(align)) > ZEN_SLAB_MAX_SIZE;
      assigns k->stats.rejected;
      ensures \result == ZEN_ERR_INVAL && k->stats.rejected == (uint64_t)(\old(k->stats.rejected) + 1);
    behavior made:
      assumes !zen_slab_request_bad(size, align, flags) && !zen_slab_request_overflows(size, align);
      assumes zen_slab_stride_of(size, zen_slab_align_of(align)) <= ZEN_SLAB_MAX_SIZE;
      assigns *c;
      ensures \result == ZEN_OK && c->kmem == k && zen_slab_geometry(c);
      ensures c->size == size && c->align == zen_slab_align_of(align) && c->flags == flags &&
              c->stride == zen_slab_stride_of(size, zen_slab_align_of(align)) &&
              c->ctor == ctor && c->ctor_ctx == ctor_ctx;
      // Slabs by the 1/8 rule: the smallest order that keeps it, when one does.
      ensures c->nslots == zen_slab_slots_at(c->stride, c->order);
      ensures (\exists integer o; 0 <= o <= ZEN_SLAB_MAX_ORDER && zen_slab_order_fits(c->stride, o)) ==>
        zen_slab_order_fits(c->stride, c->order) &&
        \forall integer o; 0 <= o < c->order ==> !zen_slab_order_fits(c->stride, o);
      // No slab and no object yet:
      ensures \forall integer l; 0 <= l < ZEN_SLAB_LISTS ==> c->head[l] == ZEN_SLAB_NONE;
      ensures c->stats.in_use == 0 && c->stats.slabs == 0 && c->stats.empty_slabs == 0;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_slab_cache_create(zen_kmem *k, zen_slab_cache *c, uint64_t size, uint64_t align,
                                 zen_slab_ctor_fn ctor, void *ctor_ctx, unsigned flags);

/* Allocate one object of cache c by the policy above; store its address in
 * *obj. On ZEN_OK *obj is the start of a slot that was free, inside a slab of
 * c, aligned to c's alignment; the object is constructed when c has a
 * constructor. Errors: ZEN_ERR_INVAL when c is not a live cache of k;
 * ZEN_ERR_NOMEM when no slab has a free slot and no new slab can be made (no
 * spare record, or the zone allocator refuses): nothing is taken then.
 * *obj is written only on success. O(ZEN_SLAB_MAP_WORDS) plus, for a new
 * slab, the zone allocation and nslots constructor calls. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires c->kmem == k ==> zen_slab_geometry(c);
    requires zen_kmem_classes_apart(k, c);
    requires \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) && \separated(obj, c) &&
      zen_zone_writes_apart(k->zones, obj);
    assigns *obj, k->stats.rejected, k->spare, k->stats.spare_records, ZEN_KMEM_RECORD_WRITES(k),
            c->head[0 .. ZEN_SLAB_LISTS - 1], c->stats,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures c->kmem == \old(c->kmem) && zen_kmem_classes_same{Pre, Post}(k);
    behavior not_a_cache:
      assumes c->kmem != k;
      assigns k->stats.rejected;
      ensures \result == ZEN_ERR_INVAL && zen_kmem_valid(k);
    behavior cache:
      assumes c->kmem == k;
      ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
      ensures \result != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
      // Success: *obj is the first byte of a slot of a slab of c that was
      // free (or whose slab is new), in use now, aligned; no other slot of
      // any slab changed.
      ensures \result == ZEN_OK ==> \exists integer q, i; zen_slab_taken{Pre, Post}(k, c, q, i, *obj);
      ensures \result == ZEN_OK ==> *obj % c->align == 0;
      // Out of memory takes nothing: every record reads as before.
      ensures \result == ZEN_ERR_NOMEM ==>
        \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_slab_alloc(zen_kmem *k, zen_slab_cache *c, zen_paddr *obj);

/* Return the object at obj to cache c. Validated through the frame
 * descriptor of obj's page; each error changes nothing but c's `rejected`:
 *   ZEN_ERR_INVAL          c is not a live cache of k
 *   ZEN_ERR_FOREIGN        obj lies in no slab (no zone, a free or
 *                          reserved frame, a block of another owner, or
 *                          the leftover bytes after a slab's last slot)
 *   ZEN_ERR_WRONG_CACHE    obj lies in a slab of another cache
 *   ZEN_ERR_NOT_HEAD       obj lies inside an object, not at its start
 *   ZEN_ERR_NOT_ALLOCATED  the object is free (double free)
 * On ZEN_OK exactly that slot is free again. O(ZEN_PAGE_MAX_ORDER). */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires c->kmem == k ==> zen_slab_geometry(c);
    requires zen_kmem_classes_apart(k, c);
    assigns k->stats.rejected, c->stats.rejected, c->stats.in_use, c->stats.empty_slabs,
            c->head[0 .. ZEN_SLAB_LISTS - 1], ZEN_KMEM_RECORD_WRITES(k);
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c) && zen_kmem_classes_same{Pre, Post}(k);
    ensures c->kmem == \old(c->kmem);
    behavior not_a_cache:
      assumes c->kmem != k;
      assigns k->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
    behavior cache:
      assumes c->kmem == k;
      ensures \result == ZEN_OK || \result == ZEN_ERR_FOREIGN || \result == ZEN_ERR_WRONG_CACHE ||
              \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED || \result == ZEN_ERR_CORRUPT;
      // A refusal changes no slab: every record reads as before.
      ensures \result != ZEN_OK && \result != ZEN_ERR_CORRUPT ==>
        \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
      // Each refusal names what the record of obj's slab says:
      ensures \result == ZEN_ERR_WRONG_CACHE ==> \exists integer r; 0 <= r < k->nslabs &&
        k->slabs[r].cache != \null && k->slabs[r].cache != c &&
        k->slabs[r].pfn <= obj / ZEN_PAGE_SIZE < k->slabs[r].pfn + zen_block_size(k->slabs[r].order);
      ensures \result == ZEN_ERR_NOT_HEAD ==> \exists integer r; 0 <= r < k->nslabs && k->slabs[r].cache == c &&
        zen_slab_inside_at(obj, k->slabs[r].pfn, c->stride, c->nslots);
      ensures \result == ZEN_ERR_NOT_ALLOCATED ==> \exists integer r; 0 <= r < k->nslabs &&
        k->slabs[r].cache == c && zen_slab_head_at(obj, k->slabs[r].pfn, c->stride, c->nslots) &&
        zen_slab_slot_free(k, r, zen_slab_slot_of(obj, k->slabs[r].pfn, c->stride));
      // Success: obj was the first byte of a live slot of a slab of c, and
      // exactly that slot is free now.
      ensures \result == ZEN_OK ==> \exists integer r; 0 <= r < k->nslabs && k->slabs[r].cache == c &&
        \let off = obj - k->slabs[r].pfn * ZEN_PAGE_SIZE;
        \let i = off / c->stride;
        0 <= off && off % c->stride == 0 && i < c->nslots &&
        !\at(zen_slab_slot_free(k, r, i), Pre) && zen_slab_slot_free(k, r, i) &&
        (\forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j != i ==>
          (zen_slab_slot_free(k, r, j) <==> \at(zen_slab_slot_free(k, r, j), Pre))) &&
        (\forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Post}(k, q));
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_slab_free(zen_kmem *k, zen_slab_cache *c, zen_paddr obj);

/* Return every empty slab of c to the zone allocator; *released (when not
 * NULL) is the number of slabs returned. A slab with a live object never
 * goes: its record is checked to be empty first. ZEN_ERR_INVAL when c is
 * not a live cache of k. O(empty slabs * zone free). */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires released == \null || (\valid(released) && \separated(released, c, k, k->slabs + (0 .. k->nslabs - 1)) &&
      zen_zone_writes_apart(k->zones, released));
    assigns *released, k->stats.rejected, k->spare, k->stats.spare_records, ZEN_KMEM_RECORD_WRITES(k),
            c->head[0 .. ZEN_SLAB_LISTS - 1], c->stats.slabs, c->stats.empty_slabs,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures c->kmem == \old(c->kmem);
    behavior not_a_cache:
      assumes c->kmem != k;
      assigns *released, k->stats.rejected;
      ensures \result == ZEN_ERR_INVAL && zen_kmem_valid(k);
      ensures released != \null ==> *released == 0;
    behavior cache:
      assumes c->kmem == k;
      ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
      // Success: c has no empty slab left.
      ensures \result == ZEN_OK ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c) &&
        c->head[ZEN_SLAB_EMPTY - 1] == ZEN_SLAB_NONE;
      ensures zen_slab_cache_kept{Pre, Post}(c);
      // Only empty slabs of c go: every other record reads as before.
      ensures \forall integer q; 0 <= q < k->nslabs &&
        (\old(k->slabs[q].cache) != c || \old(k->slabs[q].nfree) != c->nslots) ==>
        zen_slab_record_kept{Pre, Post}(k, q);
      ensures released != \null ==> *released <= k->nslabs;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_slab_shrink(zen_kmem *k, zen_slab_cache *c, uint64_t *released);

/* Destroy cache c: ZEN_ERR_BUSY while any object is live (nothing changes
 * then but c's `rejected`); otherwise its empty slabs go back to the zone
 * allocator and c is no longer a cache of k. ZEN_ERR_INVAL when c is not a
 * live cache of k, or is one of the kmalloc classes; ZEN_ERR_CORRUPT when
 * no object is live but a partial or full list is not empty. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    assigns c->kmem, c->stats.rejected, k->stats.rejected, k->spare, k->stats.spare_records,
            ZEN_KMEM_RECORD_WRITES(k), c->head[0 .. ZEN_SLAB_LISTS - 1], c->stats.slabs, c->stats.empty_slabs,
            ZEN_KMEM_ZONE_WRITES(k);
    behavior not_a_cache:
      assumes c->kmem != k || c->kmalloc_class != 0;
      assigns k->stats.rejected;
      ensures \result == ZEN_ERR_INVAL && zen_kmem_valid(k);
    behavior busy:
      assumes c->kmem == k && c->kmalloc_class == 0 && c->stats.in_use != 0;
      assigns c->stats.rejected;
      ensures \result == ZEN_ERR_BUSY && zen_kmem_valid(k) && c->kmem == k;
    behavior idle:
      assumes c->kmem == k && c->kmalloc_class == 0 && c->stats.in_use == 0;
      ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
      // Success: c held no slab but empty ones, and they are gone with c.
      ensures \result == ZEN_OK ==> zen_kmem_valid(k) && c->kmem == \null &&
        c->head[ZEN_SLAB_EMPTY - 1] == ZEN_SLAB_NONE && c->head[ZEN_SLAB_PARTIAL - 1] == ZEN_SLAB_NONE &&
        c->head[ZEN_SLAB_FULL - 1] == ZEN_SLAB_NONE;
      ensures \result != ZEN_OK ==> c->kmem == k;
      ensures \forall integer q; 0 <= q < k->nslabs && \old(k->slabs[q].cache) != c ==>
        zen_slab_record_kept{Pre, Post}(k, q);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_slab_cache_destroy(zen_kmem *k, zen_slab_cache *c);

/*@ // The object size of each kmalloc class.
    logic integer zen_kmalloc_class_bytes(integer i) =
      i == 0 ? 8 : i == 1 ? 16 : i == 2 ? 32 : i == 3 ? 64 : i == 4 ? 96 : i == 5 ? 128 :
      i == 6 ? 192 : i == 7 ? 256 : i == 8 ? 512 : i == 9 ? 1024 : 2048;
    // The class that serves a kmalloc of size bytes (0 < size <= ZEN_KMALLOC_MAX_SLAB_SIZE).
    logic integer zen_kmalloc_class_of(integer size) =
      size <= 8 ? 0 : size <= 16 ? 1 : size <= 32 ? 2 : size <= 64 ? 3 : size <= 96 ? 4 :
      size <= 128 ? 5 : size <= 192 ? 6 : size <= 256 ? 7 : size <= 512 ? 8 : size <= 1024 ? 9 : 10;
 */

/* The kmalloc class index for size (0 < size <= ZEN_KMALLOC_MAX_SLAB_SIZE),
 * the smallest class whose size is at least size; ZEN_KMALLOC_CLASSES for a
 * size outside that range. O(1). */
/*@ assigns \nothing;
    ensures \result <= ZEN_KMALLOC_CLASSES;
    ensures (size == 0 || size > ZEN_KMALLOC_MAX_SLAB_SIZE) <==> \result == ZEN_KMALLOC_CLASSES;
    // The smallest class that holds size:
    ensures \result < ZEN_KMALLOC_CLASSES ==> size <= zen_kmalloc_class_bytes(\result) &&
      (\result == 0 || zen_kmalloc_class_bytes(\result - 1) < size);
    ensures \result < ZEN_KMALLOC_CLASSES ==> \result == zen_kmalloc_class_of(size);
 */
unsigned zen_kmalloc_class(uint64_t size);

/* The object size of kmalloc class i (i < ZEN_KMALLOC_CLASSES). */
/*@ requires i < ZEN_KMALLOC_CLASSES;
    assigns \nothing;
    ensures \result == zen_kmalloc_class_bytes(i);
 */
uint32_t zen_kmalloc_class_size(unsigned i);

/* Allocate size bytes: an object of the smallest class that holds size, or
 * above ZEN_KMALLOC_MAX_SLAB_SIZE the smallest block of 2^k frames that
 * holds it, aligned to its own size. Errors: ZEN_ERR_INVAL for size 0, a
 * size above ZEN_KMALLOC_MAX_SIZE or unknown flags; ZEN_ERR_OVERFLOW when
 * rounding size up to whole pages overflows; ZEN_ERR_NOMEM when the memory
 * or the record pool runs out (nothing is taken then). */
/*@ requires zen_kmem_valid(k) && zen_kmem_classes_ok(k);
    requires \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) &&
      zen_zone_writes_apart(k->zones, obj);
    assigns *obj, k->stats, k->spare, ZEN_KMEM_RECORD_WRITES(k),
            ZEN_KMEM_CLASS_HEADS(k),
            k->classes[0 .. ZEN_KMALLOC_CLASSES - 1].stats,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures zen_kmem_classes_ok(k);
    behavior bad_size:
      assumes size == 0 || flags > ZEN_KMALLOC_FLAGS_ALL ||
              (ZEN_KMALLOC_MAX_SIZE < size <= 0xFFFFFFFFFFFFFFFF - (ZEN_PAGE_SIZE - 1));
      assigns k->stats.rejected;
      ensures \result == ZEN_ERR_INVAL && zen_kmem_valid(k);
    behavior overflow:
      assumes size != 0 && flags <= ZEN_KMALLOC_FLAGS_ALL && size > 0xFFFFFFFFFFFFFFFF - (ZEN_PAGE_SIZE - 1);
      assigns k->stats.rejected;
      ensures \result == ZEN_ERR_OVERFLOW && zen_kmem_valid(k);
    behavior slab_object:
      assumes flags <= ZEN_KMALLOC_FLAGS_ALL && 0 < size <= ZEN_KMALLOC_MAX_SLAB_SIZE;
      ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
      ensures \result != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k);
      // Success: a slot of class zen_kmalloc_class_of(size), free before (or
      // in a new slab), in use now; no other slot changed.
      ensures \result == ZEN_OK ==>
        \exists integer q, i; zen_slab_taken{Pre, Post}(k, &k->classes[zen_kmalloc_class_of(size)], q, i, *obj);
      // Out of memory takes nothing: every record reads as before.
      ensures \result == ZEN_ERR_NOMEM ==>
        \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    behavior large:
      assumes flags <= ZEN_KMALLOC_FLAGS_ALL && ZEN_KMALLOC_MAX_SLAB_SIZE < size <= ZEN_KMALLOC_MAX_SIZE;
      assigns *obj, k->stats.oom_count, k->stats.large_blocks, k->stats.large_frames,
            ZEN_KMEM_ZONE_WRITES(k);
      ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
      ensures \result != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k);
      // Success: *obj is the first byte of a whole block, page-aligned.
      ensures \result == ZEN_OK ==> *obj % ZEN_PAGE_SIZE == 0;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_kmalloc(zen_kmem *k, uint64_t size, unsigned flags, zen_paddr *obj);

/* kfree's large-block success: obj is the first byte of a block that was
 * allocated at L1 and owned by kmalloc. */
#define ZEN_KFREE_LARGE_FREED(L1, k, obj)                                                               \
    ((obj) % ZEN_PAGE_SIZE == 0 &&                                                                     \
     \at(\let a = &(k)->zones->zone[zen_zone_of((obj) / ZEN_PAGE_SIZE)].pages;                         \
         \let f = (obj) / ZEN_PAGE_SIZE - a->start;                                                    \
         a->frames[f].state == ZEN_FRAME_ALLOCATED && a->frames[f].owner == ZEN_OWNER_KMALLOC, L1))

/* Free what zen_kmalloc returned. The frame descriptor of obj's page tells
 * a slab object (then as zen_slab_free for its class, ZEN_ERR_WRONG_CACHE
 * when the slab belongs to a cache that is not a kmalloc class) from a whole
 * block (ZEN_ERR_NOT_HEAD unless obj is the block's first byte). Any other
 * address is ZEN_ERR_FOREIGN. Each refusal changes nothing but the kmem's
 * `rejected`. ZEN_ERR_CORRUPT (a broken record or zone found on the way) is
 * not a refusal: it is not counted, and the kmem is not written further.
 * O(ZEN_PAGE_MAX_ORDER * levels). */
/*@ requires zen_kmem_valid(k) && zen_kmem_classes_ok(k);
    assigns k->stats.rejected, k->stats.large_blocks, k->stats.large_frames, ZEN_KMEM_RECORD_WRITES(k),
            ZEN_KMEM_CLASS_HEADS(k),
            k->classes[0 .. ZEN_KMALLOC_CLASSES - 1].stats.in_use,
            k->classes[0 .. ZEN_KMALLOC_CLASSES - 1].stats.empty_slabs,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures zen_kmem_classes_ok(k);
    behavior foreign:
      assumes \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> !zen_zone_holds(k->zones, z, obj / ZEN_PAGE_SIZE);
      assigns k->stats.rejected;
      ensures \result == ZEN_ERR_FOREIGN && zen_kmem_valid(k);
    behavior held:
      assumes \exists integer z; 0 <= z < ZEN_ZONE_COUNT && zen_zone_holds(k->zones, z, obj / ZEN_PAGE_SIZE);
      ensures \result == ZEN_OK || \result == ZEN_ERR_FOREIGN || \result == ZEN_ERR_WRONG_CACHE ||
              \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED || \result == ZEN_ERR_CORRUPT;
      ensures \result != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k);
      // A refusal changes no slab and no frame:
      ensures \result != ZEN_OK && \result != ZEN_ERR_CORRUPT ==>
        (\forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q)) &&
        zen_frames_same{Pre, Post}(k->zones->frames, k->zones->nframes);
      // Success: obj was the first byte of a live slot of a kmalloc class's
      // slab, and exactly that slot is free now; or obj was the first byte
      // of a whole block handed out by kmalloc, and the block is returned.
      ensures \result == ZEN_OK ==>
        (\exists integer i, r; 0 <= i < ZEN_KMALLOC_CLASSES && ZEN_SLAB_FREED(Pre, Post, k, &k->classes[i], r, obj)) ||
        ZEN_KFREE_LARGE_FREED(Pre, k, obj);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_kfree(zen_kmem *k, zen_paddr obj);

/*@ // The geometry zen_kmem_check accepts for a cache, in the checker's
    // 32- and 64-bit arithmetic (none of it wraps once the order, slot
    // count and alignment tests before it hold).
    predicate zen_slab_check_geometry(zen_slab_cache *c) =
      c->order <= ZEN_SLAB_MAX_ORDER && 1 <= c->nslots <= ZEN_SLAB_MAX_SLOTS &&
      c->align != 0 && (c->align & (uint32_t)(c->align - 1)) == 0 &&
      (uint32_t)(c->stride % c->align) == 0 && c->size <= c->stride &&
      (uint64_t)(c->nslots * c->stride) <= (uint64_t)(ZEN_PAGE_SIZE << c->order);

    // Cache c passes zen_kmem_check's first tests as a cache of k with
    // kmalloc_class klass: its kmem, its class and its geometry.
    predicate zen_slab_check_header(zen_kmem *k, zen_slab_cache *c, integer klass) =
      c->kmem == k && c->kmalloc_class == klass && zen_slab_check_geometry(c);

    // The caches zen_kmem_check walks: the kmalloc classes, then the
    // caller's caches, as many as ZEN_KMALLOC_CLASSES + ncaches in 32-bit
    // arithmetic (a count that wraps walks fewer).
    logic integer zen_kmem_check_count(integer ncaches) = (uint32_t)(ZEN_KMALLOC_CLASSES + ncaches);
    logic zen_slab_cache *zen_kmem_check_cache(zen_kmem *k, zen_slab_cache **caches, integer i) =
      i < ZEN_KMALLOC_CLASSES ? &k->classes[i] : caches[i - ZEN_KMALLOC_CLASSES];
    logic integer zen_kmem_check_class(integer i) = i < ZEN_KMALLOC_CLASSES ? i + 1 : 0;
 */

/* Walk the kmalloc classes and the caches caches[0 .. ncaches - 1] (every
 * live cache of k must be named, or its records count as lost), every
 * record and the frames of every slab and large block: list links and
 * placement, bitmaps against free counts, each slab's frames one block owned
 * by it, statistics. Reads only. Returns ZEN_OK with ZEN_SINV_NONE,
 * ZEN_SLAB_NONE and no cache in *report, or ZEN_ERR_CORRUPT with the first
 * broken invariant, the record where it was found and the cache it belongs
 * to (none for the spare records, the zone frames and the kmem's own
 * statistics). The record is ZEN_SLAB_NONE for a cache's geometry and for
 * statistics, and a record of the pool for a record's fields, bitmap or
 * list; for broken links and frames it is the number that was found, which
 * may lie outside the pool. A cache of another kmem, with the wrong
 * kmalloc_class for its place or with a bad geometry is always found:
 * ZEN_ERR_CORRUPT, and ZEN_SINV_CACHE is reported only for such a cache.
 * O(records * ZEN_SLAB_MAP_WORDS + zone frames). */
/*@ requires zen_kmem_valid(k) && \valid(report) && \separated(report, k);
    requires \valid_read(caches + (0 .. ncaches - 1));
    requires \forall integer i; 0 <= i < ncaches ==> \valid_read(caches[i]);
    assigns *report;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK <==> report->invariant == ZEN_SINV_NONE;
    ensures \result == ZEN_OK ==> report->record == ZEN_SLAB_NONE && report->cache == \null;
    ensures \result == ZEN_ERR_CORRUPT ==> ZEN_SINV_RECORD <= report->invariant <= ZEN_SINV_CACHE;
    ensures \result == ZEN_ERR_CORRUPT ==>
      (report->invariant == ZEN_SINV_CACHE || report->invariant == ZEN_SINV_COUNTS ==>
        report->record == ZEN_SLAB_NONE) &&
      (report->invariant == ZEN_SINV_RECORD || report->invariant == ZEN_SINV_BITMAP ||
       report->invariant == ZEN_SINV_PLACE ==> report->record < k->nslabs);
    behavior bad_cache:
      assumes \exists integer i; 0 <= i < zen_kmem_check_count(ncaches) &&
        !zen_slab_check_header(k, zen_kmem_check_cache(k, caches, i), zen_kmem_check_class(i));
      ensures \result == ZEN_ERR_CORRUPT;
    behavior caches_ok:
      assumes \forall integer i; 0 <= i < zen_kmem_check_count(ncaches) ==>
        zen_slab_check_header(k, zen_kmem_check_cache(k, caches, i), zen_kmem_check_class(i));
      ensures report->invariant != ZEN_SINV_CACHE;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_kmem_check(const zen_kmem *k, const zen_slab_cache *const *caches, uint32_t ncaches,
                          zen_slab_check_report *report);

#endif
