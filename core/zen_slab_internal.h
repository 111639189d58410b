/* Slab records and lists, shared by the caches (zen_slab.c), kmalloc
 * (zen_kmalloc.c) and the consistency checker (zen_slab_check.c). Not part
 * of the public API. */
#ifndef ZEN_SLAB_INTERNAL_H
#define ZEN_SLAB_INTERNAL_H

#include "zen_slab.h"

/*@ // The zone set reads the same at L1 and L2 for its validity: its shape
    // and the frame descriptors of its present zones. The slab layer's own
    // writes (records, caches, counters) lie apart from the zone set and
    // keep it; the lemmas below carry the set's validity across them. Their
    // hypotheses spell out the memory they need valid at L2: the provers get
    // the integer ranges of the fields a lemma reads itself, not of those
    // read inside a predicate, and the steps need them.
    predicate zen_zone_set_kept{L1, L2}(zen_zone_set *s) =
      zen_zone_set_same_shape{L1, L2}(s) &&
      \forall integer y; 0 <= y < ZEN_ZONE_COUNT && \at(s->zone[y].present, L1) != 0 ==>
        zen_frames_same{L1, L2}(\at(s->zone[y].pages.frames, L1), \at(s->zone[y].pages.nframes, L1));

    // The set's shape in parts, each a goal the provers close on its own
    // after a write of the slab layer (zen_zone_set_same_shape at once
    // times out there): its arrays, the zones' places in them, their spans
    // and direct maps, and their bitmap trees.
    predicate zen_zone_set_same_arrays{L1, L2}(zen_zone_set *s) =
      \at(s->frames, L1) == \at(s->frames, L2) && \at(s->nframes, L1) == \at(s->nframes, L2) &&
      \at(s->words, L1) == \at(s->words, L2) && \at(s->nwords, L1) == \at(s->nwords, L2);

    predicate zen_zone_set_same_places{L1, L2}(zen_zone_set *s) =
      \forall integer y; 0 <= y < ZEN_ZONE_COUNT ==>
        \at(s->zone[y].present, L1) == \at(s->zone[y].present, L2) &&
        \at(s->zone[y].frame_off, L1) == \at(s->zone[y].frame_off, L2) &&
        \at(s->zone[y].word_off, L1) == \at(s->zone[y].word_off, L2);

    predicate zen_zone_set_same_spans{L1, L2}(zen_zone_set *s) =
      \forall integer y; 0 <= y < ZEN_ZONE_COUNT ==>
        \at(s->zone[y].pages.start, L1) == \at(s->zone[y].pages.start, L2) &&
        \at(s->zone[y].pages.nframes, L1) == \at(s->zone[y].pages.nframes, L2) &&
        \at(s->zone[y].pages.nwords, L1) == \at(s->zone[y].pages.nwords, L2) &&
        \at(s->zone[y].pages.frames, L1) == \at(s->zone[y].pages.frames, L2) &&
        \at(s->zone[y].pages.words, L1) == \at(s->zone[y].pages.words, L2) &&
        \at(s->zone[y].pages.memory, L1) == \at(s->zone[y].pages.memory, L2);

    predicate zen_zone_set_same_levels{L1, L2}(zen_zone_set *s) =
      \forall integer y, o; 0 <= y < ZEN_ZONE_COUNT && 0 <= o <= ZEN_PAGE_MAX_ORDER ==>
        \at(s->zone[y].pages.tree[o].levels, L1) == \at(s->zone[y].pages.tree[o].levels, L2);

    predicate zen_zone_set_same_trees{L1, L2}(zen_zone_set *s) =
      \forall integer y, o, l; 0 <= y < ZEN_ZONE_COUNT &&
        0 <= o <= ZEN_PAGE_MAX_ORDER && 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
        \at(s->zone[y].pages.tree[o].offset[l], L1) == \at(s->zone[y].pages.tree[o].offset[l], L2) &&
        \at(s->zone[y].pages.tree[o].length[l], L1) == \at(s->zone[y].pages.tree[o].length[l], L2);

    lemma zen_zone_set_same_shape_parts{L1, L2}: \forall zen_zone_set *s;
      zen_zone_set_same_arrays{L1, L2}(s) && zen_zone_set_same_places{L1, L2}(s) &&
      zen_zone_set_same_spans{L1, L2}(s) && zen_zone_set_same_levels{L1, L2}(s) &&
      zen_zone_set_same_trees{L1, L2}(s) ==>
      zen_zone_set_same_shape{L1, L2}(s);

    // Its frame descriptors read the same when the set's whole array does:
    // each present zone's descriptors are its slice of it.
    lemma zen_zone_set_kept_whole{L1, L2}: \forall zen_zone_set *s;
      zen_zone_set_same_shape{L1, L2}(s) &&
      zen_frames_same{L1, L2}(\at(s->frames, L1), \at(s->nframes, L1)) &&
      (\forall integer y; 0 <= y < ZEN_ZONE_COUNT && \at(s->zone[y].present, L1) != 0 ==>
        zen_zone_carved{L1}(s, y) && 0 <= \at(s->zone[y].frame_off, L1)) ==>
      zen_zone_set_kept{L1, L2}(s);

    lemma zen_zones_apart_in_set_kept{L1, L2}: \forall zen_zone_set *s, integer y, z;
      0 <= y < ZEN_ZONE_COUNT && 0 <= z < ZEN_ZONE_COUNT &&
      zen_zones_apart{L1}(s, y, z) && zen_zone_set_same_shape{L1, L2}(s) ==>
      zen_zones_apart{L2}(s, y, z);

    lemma zen_zone_same_in_set{L1, L2}: \forall zen_zone_set *s, integer z;
      0 <= z < ZEN_ZONE_COUNT && \at(s->zone[z].present, L1) != 0 && zen_zone_set_kept{L1, L2}(s) ==>
      zen_zone_same{L1, L2}(s, z);

    lemma zen_zone_set_valid_kept{L1, L2}: \forall zen_zone_set *s;
      zen_zone_set_valid{L1}(s) && zen_zone_set_kept{L1, L2}(s) &&
      \valid{L2}(s) && \valid{L2}(\at(s->frames, L1) + (0 .. \at(s->nframes, L1) - 1)) &&
      \valid{L2}(\at(s->words, L1) + (0 .. \at(s->nwords, L1) - 1)) &&
      (\at(s->zone[0].present, L1) != 0 && \at(s->zone[0].pages.memory, L1) != \null ==>
        \valid{L2}(\at(s->zone[0].pages.memory, L1) +
                   (0 .. \at(s->zone[0].pages.nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) &&
      (\at(s->zone[1].present, L1) != 0 && \at(s->zone[1].pages.memory, L1) != \null ==>
        \valid{L2}(\at(s->zone[1].pages.memory, L1) +
                   (0 .. \at(s->zone[1].pages.nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) &&
      (\at(s->zone[2].present, L1) != 0 && \at(s->zone[2].pages.memory, L1) != \null ==>
        \valid{L2}(\at(s->zone[2].pages.memory, L1) +
                   (0 .. \at(s->zone[2].pages.nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) ==>
      zen_zone_set_valid{L2}(s);

    // Cache c's partial and full lists start where they did: a release
    // touches only the empty list.
    predicate zen_slab_busy_lists_kept{L1, L2}(zen_slab_cache *c) =
      \at(c->head[ZEN_SLAB_PARTIAL - 1], L1) == \at(c->head[ZEN_SLAB_PARTIAL - 1], L2) &&
      \at(c->head[ZEN_SLAB_FULL - 1], L1) == \at(c->head[ZEN_SLAB_FULL - 1], L2);

    // Where the zone set's memory lies (its arrays, spans and direct maps)
    // is the same at L1 and L2, and so is the set: what
    // zen_zone_writes_apart reads.
    predicate zen_kmem_zone_places_kept{L1, L2}(zen_kmem *k) =
      \at(k->zones, L1) == \at(k->zones, L2) &&
      zen_zone_set_same_arrays{L1, L2}(\at(k->zones, L1)) && zen_zone_set_same_spans{L1, L2}(\at(k->zones, L1));

    lemma zen_zone_writes_apart_kept{L1, L2}: \forall zen_zone_set *s, zen_pfn *p;
      zen_zone_writes_apart{L1}(s, p) &&
      zen_zone_set_same_arrays{L1, L2}(s) && zen_zone_set_same_spans{L1, L2}(s) ==>
      zen_zone_writes_apart{L2}(s, p);

    // The kmem's own view of its records and zone set reads the same at L1
    // and L2.
    predicate zen_kmem_kept{L1, L2}(zen_kmem *k) =
      \at(k->zones, L1) == \at(k->zones, L2) && \at(k->slabs, L1) == \at(k->slabs, L2) &&
      \at(k->nslabs, L1) == \at(k->nslabs, L2) && zen_zone_set_kept{L1, L2}(\at(k->zones, L1));

    // Where the zone set's memory lies is its shape alone: it stays apart
    // across the zones' own allocations too.
    lemma zen_kmem_zones_apart_kept{L1, L2}: \forall zen_kmem *k, zen_slab_cache *c;
      zen_kmem_zones_apart{L1}(k, c) && \at(k->zones, L1) == \at(k->zones, L2) &&
      \at(k->slabs, L1) == \at(k->slabs, L2) && \at(k->nslabs, L1) == \at(k->nslabs, L2) &&
      zen_zone_set_same_shape{L1, L2}(\at(k->zones, L1)) ==>
      zen_kmem_zones_apart{L2}(k, c);

    lemma zen_kmem_valid_kept{L1, L2}: \forall zen_kmem *k;
      zen_kmem_valid{L1}(k) && zen_kmem_kept{L1, L2}(k) &&
      \valid{L2}(k) && \valid{L2}(\at(k->slabs, L1) + (0 .. \at(k->nslabs, L1) - 1)) &&
      \valid{L2}(\at(k->zones, L1)) &&
      \valid{L2}(\at(k->zones->frames, L1) + (0 .. \at(k->zones->nframes, L1) - 1)) &&
      \valid{L2}(\at(k->zones->words, L1) + (0 .. \at(k->zones->nwords, L1) - 1)) &&
      (\at(k->zones->zone[0].present, L1) != 0 && \at(k->zones->zone[0].pages.memory, L1) != \null ==>
        \valid{L2}(\at(k->zones->zone[0].pages.memory, L1) +
                   (0 .. \at(k->zones->zone[0].pages.nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) &&
      (\at(k->zones->zone[1].present, L1) != 0 && \at(k->zones->zone[1].pages.memory, L1) != \null ==>
        \valid{L2}(\at(k->zones->zone[1].pages.memory, L1) +
                   (0 .. \at(k->zones->zone[1].pages.nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) &&
      (\at(k->zones->zone[2].present, L1) != 0 && \at(k->zones->zone[2].pages.memory, L1) != \null ==>
        \valid{L2}(\at(k->zones->zone[2].pages.memory, L1) +
                   (0 .. \at(k->zones->zone[2].pages.nframes, L1) * ZEN_PAGE_WORDS_PER_FRAME - 1))) ==>
      zen_kmem_valid{L2}(k);
 */

/* Where a slab with nfree free slots of nslots belongs. */
/*@ assigns \nothing;
    ensures ZEN_SLAB_EMPTY <= \result <= ZEN_SLAB_FULL;
    ensures \result == ZEN_SLAB_EMPTY <==> nfree == nslots;
    ensures \result == ZEN_SLAB_FULL <==> nfree != nslots && nfree == 0;
 */
static inline unsigned zen_slab_list_for(uint32_t nfree, uint32_t nslots)
{
    if (nfree == nslots)
        return ZEN_SLAB_EMPTY;
    return nfree == 0u ? ZEN_SLAB_FULL : ZEN_SLAB_PARTIAL;
}

/* The cache flags' highest zone. */
/*@ assigns \nothing;
    ensures \result <= ZEN_ZONE_NORMAL;
 */
static inline unsigned zen_slab_max_zone(unsigned flags)
{
    if ((flags & ZEN_SLAB_DMA) != 0u)
        return ZEN_ZONE_DMA;
    return (flags & ZEN_SLAB_DMA32) != 0u ? ZEN_ZONE_DMA32 : ZEN_ZONE_NORMAL;
}

/* The caller's functions, which WP cannot follow: under Frama-C these are
 * declarations whose contracts are the assumption (proofs/RECORD.md), as
 * for the hooks; compilers get the short bodies. */
#ifdef __FRAMAC__
/* Whether k's fault injection refuses a frame request of this order. */
/*@ requires \valid_read(k);
    assigns \nothing;
 */
int zen_kmem_refused(const zen_kmem *k, unsigned order);

/* Run c's constructor on the object at obj. */
/*@ requires \valid_read(c);
    assigns \nothing;
 */
void zen_slab_construct(const zen_slab_cache *c, zen_paddr obj);
#else
static inline int zen_kmem_refused(const zen_kmem *k, unsigned order)
{
    return k->fail != 0 && k->fail(k->fail_ctx, order) != 0;
}

static inline void zen_slab_construct(const zen_slab_cache *c, zen_paddr obj)
{
    c->ctor(c->ctor_ctx, obj);
}
#endif

/* Number of set bits of x (for the checker: one step per bit). */
/*@ assigns \nothing;
    ensures \result <= 64;
 */
static inline unsigned zen_popcount64(uint64_t x)
{
    unsigned n = 0;
    /*@ loop invariant 0 <= b <= 64 && n <= b;
        loop assigns b, n;
        loop variant 64 - b; */
    for (unsigned b = 0; b < 64u; b++)
        n += (unsigned)((x >> b) & 1u);
    return n;
}

/* Make *s a spare record, first on the spare list before next. */
/*@ requires \valid(s);
    assigns *s;
    ensures s->cache == \null && s->list == ZEN_SLAB_SPARE && s->next == next && s->prev == ZEN_SLAB_NONE;
 */
static inline void zen_slab_make_spare(zen_slab *s, uint32_t next)
{
    zen_slab spare = {0};
    spare.list = ZEN_SLAB_SPARE;
    spare.prev = ZEN_SLAB_NONE;
    spare.next = next;
    *s = spare;
}

/* What zen_kmem_get_block answers: a status and, on ZEN_OK, the block's
 * first frame. Returned by value: a caller that passed the address of a
 * local instead would change WP's allocation table, and every \valid fact
 * of the kmem's validity would have to be proved again across it. */
typedef struct zen_kmem_block {
    zen_status status;
    zen_pfn pfn;
} zen_kmem_block;

/* A block of 2^order frames for the slab layer or kmalloc: the fault
 * injection asks first, then the zones give the block and record owner and
 * tag in its head descriptor. Nothing is taken when this fails:
 * ZEN_ERR_NOMEM when the injection or the zones refuse, ZEN_ERR_CORRUPT for
 * any other zone answer. */
/*@ requires \valid_read(k) && zen_zone_set_valid(k->zones) && zen_zone_maps_apart(k->zones);
    requires \separated(k, k->zones);
    requires max_zone <= ZEN_ZONE_NORMAL && order <= ZEN_PAGE_MAX_ORDER && zflags <= ZEN_ZONE_ATOMIC;
    requires owner <= ZEN_OWNER_LAST;
    assigns ZEN_KMEM_ZONE_WRITES(k);
    ensures \result.status == ZEN_OK || \result.status == ZEN_ERR_NOMEM || \result.status == ZEN_ERR_CORRUPT;
    ensures \result.status != ZEN_ERR_CORRUPT ==> zen_zone_set_valid(k->zones);
    ensures \result.status != ZEN_ERR_CORRUPT ==> zen_zone_set_same_shape{Pre, Post}(k->zones);
    ensures \result.status == ZEN_OK ==> \result.pfn < ZEN_PFN_LIMIT;
 */
zen_kmem_block zen_kmem_get_block(zen_kmem *k, unsigned max_zone, unsigned order, unsigned zflags,
                                  unsigned owner, uint32_t tag);

/* Store the answer v in *obj, a word apart from the kmem, its records and
 * its zone set: the kmem stays valid. The callers' last write, in a
 * function of its own so that the validity carries across it with nothing
 * else in view. */
/*@ requires zen_kmem_valid(k) && \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1));
    requires zen_zone_writes_apart(k->zones, obj);
    assigns *obj;
    ensures *obj == v && zen_kmem_valid(k);
 */
static inline void zen_kmem_put_obj(zen_kmem *k, zen_paddr *obj, zen_paddr v)
{
    (void)k; /* named by the contract only */
    *obj = v;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* One more refused request (a bad cache, size or address): the kmem stays
 * valid and reads the same. */
/*@ requires zen_kmem_valid(k);
    assigns k->stats.rejected;
    ensures zen_kmem_valid(k) && zen_kmem_kept{Pre, Post}(k);
    ensures k->stats.rejected == (uint64_t)(\old(k->stats.rejected) + 1);
 */
static inline void zen_kmem_count_rejected(zen_kmem *k)
{
    k->stats.rejected++;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* The record of the slab block b (as zen_zone_block_of found it): ZEN_OK
 * with *r when b is owned by the slab layer and its tag names a record of
 * that very block; ZEN_ERR_FOREIGN otherwise. */
/*@ requires zen_slab_records_ok(k) && \valid_read(b) && \valid(r);
    requires \separated(r, k, k->slabs + (0 .. k->nslabs - 1), b);
    assigns *r;
    ensures \result == ZEN_OK || \result == ZEN_ERR_FOREIGN;
    ensures \result == ZEN_OK ==> *r == b->tag && *r < k->nslabs && b->owner == ZEN_OWNER_SLAB &&
      k->slabs[*r].cache != \null && k->slabs[*r].pfn == b->head && k->slabs[*r].order == b->order;
 */
zen_status zen_slab_record_in(const zen_kmem *k, const zen_zone_block *b, uint32_t *r);

/* The record of the slab that holds obj, as zen_slab_record_in. */
/*@ requires zen_kmem_valid(k) && \valid(r);
    requires \separated(r, k, k->slabs + (0 .. k->nslabs - 1), k->zones);
    assigns *r;
    ensures \result == ZEN_OK || \result == ZEN_ERR_FOREIGN;
    ensures \result == ZEN_OK ==> *r < k->nslabs && k->slabs[*r].cache != \null &&
      k->slabs[*r].pfn <= obj / ZEN_PAGE_SIZE < k->slabs[*r].pfn + zen_block_size(k->slabs[*r].order);
 */
zen_status zen_slab_record_of(const zen_kmem *k, zen_paddr obj, uint32_t *r);

/* Free the object obj of cache c found in record r: the checks after the
 * record is found, and the list move. An error other than ZEN_ERR_CORRUPT
 * changes nothing; ZEN_ERR_CORRUPT after the slot is freed means the
 * record's list field was broken. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_slab_geometry(c) && r < k->nslabs && zen_kmem_classes_apart(k, c);
    assigns k->slabs[r].free_map[0 .. ZEN_SLAB_MAP_WORDS - 1], k->slabs[r].nfree,
            k->slabs[0 .. k->nslabs - 1].next, k->slabs[0 .. k->nslabs - 1].prev,
            k->slabs[0 .. k->nslabs - 1].list, c->head[0 .. ZEN_SLAB_LISTS - 1],
            c->stats.empty_slabs, c->stats.in_use;
    ensures \result == ZEN_OK || \result == ZEN_ERR_WRONG_CACHE || \result == ZEN_ERR_FOREIGN ||
            \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED || \result == ZEN_ERR_CORRUPT;
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_slab_geometry(c) && zen_kmem_classes_same{Pre, Post}(k);
    // Every answer but OK and CORRUPT leaves the slots as they were:
    ensures \result != ZEN_OK && \result != ZEN_ERR_CORRUPT ==> zen_slab_record_kept{Pre, Post}(k, r);
    ensures \result == ZEN_ERR_WRONG_CACHE ==> k->slabs[r].cache != c && k->slabs[r].order == \old(k->slabs[r].order);
    ensures \result == ZEN_ERR_NOT_HEAD ==> k->slabs[r].cache == c &&
      zen_slab_inside_at(obj, k->slabs[r].pfn, c->stride, c->nslots);
    ensures \result == ZEN_ERR_NOT_ALLOCATED ==> k->slabs[r].cache == c &&
      zen_slab_head_at(obj, k->slabs[r].pfn, c->stride, c->nslots) &&
      zen_slab_slot_free(k, r, zen_slab_slot_of(obj, k->slabs[r].pfn, c->stride));
    // OK: the object was the start of a live slot of c's slab, and exactly
    // that slot is free now.
    ensures \result == ZEN_OK ==> k->slabs[r].cache == c &&
      \let off = obj - k->slabs[r].pfn * ZEN_PAGE_SIZE;
      0 <= off && off % c->stride == 0 && off / c->stride < c->nslots;
    ensures \result == ZEN_OK ==>
      \let i = (obj - k->slabs[r].pfn * ZEN_PAGE_SIZE) / c->stride;
      !\at(zen_slab_slot_free(k, r, i), Pre) && zen_slab_slot_free(k, r, i);
    ensures \result == ZEN_OK ==>
      \let i = (obj - k->slabs[r].pfn * ZEN_PAGE_SIZE) / c->stride;
      \forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j != i ==>
        (zen_slab_slot_free(k, r, j) <==> \at(zen_slab_slot_free(k, r, j), Pre));
 */
zen_status zen_slab_free_in(zen_kmem *k, zen_slab_cache *c, uint32_t r, zen_paddr obj);

/* Set up cache c for kmem k; the create checks without the hooks. */
/*@ requires \valid(c);
    assigns *c;
    behavior bad_request:
      assumes zen_slab_request_bad(size, align, flags);
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL;
    behavior overflow:
      assumes !zen_slab_request_bad(size, align, flags) && zen_slab_request_overflows(size, align);
      assigns \nothing;
      ensures \result == ZEN_ERR_OVERFLOW;
    behavior too_large:
      assumes !zen_slab_request_bad(size, align, flags) && !zen_slab_request_overflows(size, align);
      assumes zen_slab_stride_of(size, zen_slab_align_of(align)) > ZEN_SLAB_MAX_SIZE;
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL;
    behavior made:
      assumes !zen_slab_request_bad(size, align, flags) && !zen_slab_request_overflows(size, align);
      assumes zen_slab_stride_of(size, zen_slab_align_of(align)) <= ZEN_SLAB_MAX_SIZE;
      ensures \result == ZEN_OK && c->kmem == k && zen_slab_geometry(c);
      ensures c->size == size && c->align == zen_slab_align_of(align) && c->flags == flags &&
              c->stride == zen_slab_stride_of(size, zen_slab_align_of(align)) &&
              c->ctor == ctor && c->ctor_ctx == ctor_ctx && c->kmalloc_class == 0;
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
zen_status zen_slab_cache_setup(zen_kmem *k, zen_slab_cache *c, uint64_t size, uint64_t align,
                                zen_slab_ctor_fn ctor, void *ctor_ctx, unsigned flags);

/* zen_slab_alloc without the hooks; zflags are the zone flags of a request
 * for a new slab. ZEN_ERR_NOMEM takes nothing; ZEN_ERR_CORRUPT means a
 * record or the zone metadata was found broken. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_slab_geometry(c) && zflags <= ZEN_ZONE_ATOMIC && zen_kmem_classes_apart(k, c);
    requires \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) && \separated(obj, c) &&
      zen_zone_writes_apart(k->zones, obj);
    assigns *obj, k->spare, k->stats.spare_records, ZEN_KMEM_RECORD_WRITES(k),
            c->head[0 .. ZEN_SLAB_LISTS - 1], c->stats,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
    ensures zen_kmem_classes_same{Pre, Post}(k);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    ensures c->kmem == \old(c->kmem) && c->stride == \old(c->stride) && c->nslots == \old(c->nslots) &&
      c->align == \old(c->align) && c->order == \old(c->order);
    // Success: a slot of a slab of c, free before, in use now, aligned.
    ensures \result == ZEN_OK ==> \exists integer q, i; zen_slab_taken{Pre, Post}(k, c, q, i, *obj);
    ensures \result == ZEN_OK ==> *obj % c->align == 0;
    // Out of memory: no record changed.
    ensures \result == ZEN_ERR_NOMEM ==> \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
 */
zen_status zen_slab_alloc_in(zen_kmem *k, zen_slab_cache *c, unsigned zflags, zen_paddr *obj);

#endif
