/* kmalloc: a ladder of size-class caches inside the zen_kmem, and whole
 * blocks of frames from the zone allocator above half a page. */
#include "zen_slab_internal.h"

/*@ // The classes' geometry and numbers lie apart from the zones' frame
    // descriptors, the one place of uint32 fields a zone call writes: with
    // this in view before the call, the classes read the same after it.
    predicate zen_kmem_classes_off_frames(zen_kmem *k) =
      \forall integer i; 0 <= i < ZEN_KMALLOC_CLASSES ==>
        \separated(k->zones->frames + (0 .. k->zones->nframes - 1), &k->classes[i].align,
                   &k->classes[i].stride, &k->classes[i].order, &k->classes[i].nslots,
                   &k->classes[i].kmalloc_class);
 */

/* The class sizes, smallest first. */
static const uint32_t zen_kmalloc_sizes[ZEN_KMALLOC_CLASSES] = {
    8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048
};

/* Class of each 8-byte step up to 256 bytes: index (size + 7) / 8. */
static const uint8_t zen_kmalloc_small[33] = {
    0, 0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5,
    6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7
};

uint32_t zen_kmalloc_class_size(unsigned i)
{
    return zen_kmalloc_sizes[i];
}

unsigned zen_kmalloc_class(uint64_t size)
{
    if (size == 0u || size > ZEN_KMALLOC_MAX_SLAB_SIZE)
        return ZEN_KMALLOC_CLASSES;
    if (size <= 256u)
        return zen_kmalloc_small[(size + 7u) / 8u];
    if (size <= 512u)
        return 8u;
    return size <= 1024u ? 9u : 10u;
}

/* Every record spare, chained in index order. */
/*@ requires 0 < nslabs && \valid(slabs + (0 .. nslabs - 1));
    assigns slabs[0 .. nslabs - 1];
    ensures \forall integer j; 0 <= j < nslabs ==>
      slabs[j].cache == \null && slabs[j].list == ZEN_SLAB_SPARE;
 */
static void zen_kmem_spare_all(zen_slab *slabs, uint32_t nslabs)
{
    /*@ loop invariant 0 <= r <= nslabs;
        loop invariant \forall integer j; 0 <= j < r ==>
          slabs[j].cache == \null && slabs[j].list == ZEN_SLAB_SPARE;
        loop assigns r, slabs[0 .. nslabs - 1];
        loop variant nslabs - r; */
    for (uint32_t r = 0; r < nslabs; r++) {
        zen_slab_make_spare(&slabs[r], r + 1u < nslabs ? r + 1u : ZEN_SLAB_NONE);
    }
}

/*@ // Every class size is a multiple of 8 between 8 and 2048 bytes.
    lemma zen_kmalloc_class_bytes_range: \forall integer i; 0 <= i < ZEN_KMALLOC_CLASSES ==>
      8 <= zen_kmalloc_class_bytes(i) <= 2048 && zen_kmalloc_class_bytes(i) % 8 == 0;

    // A class size's stride, with default alignment, is the size itself.
    lemma zen_kmalloc_class_stride: \forall integer size; 8 <= size <= 2048 && size % 8 == 0 ==>
      zen_slab_stride_of(size, zen_slab_align_of(0)) == size;
 */

/* The classes, added largest first so the cache list starts at 8 bytes. */
/*@ requires \valid(k);
    assigns k->classes[0 .. ZEN_KMALLOC_CLASSES - 1];
    ensures zen_kmem_classes_ok(k);
 */
static void zen_kmem_make_classes(zen_kmem *k)
{
    /*@ loop invariant 0 <= i <= ZEN_KMALLOC_CLASSES;
        loop invariant \forall integer j; i <= j < ZEN_KMALLOC_CLASSES ==>
          k->classes[j].kmem == k && zen_slab_geometry(&k->classes[j]) && k->classes[j].kmalloc_class == j + 1;
        loop assigns i, k->classes[0 .. ZEN_KMALLOC_CLASSES - 1];
        loop variant i; */
    for (unsigned i = ZEN_KMALLOC_CLASSES; i-- > 0u;) {
        uint32_t size = zen_kmalloc_class_size(i);
        /*@ assert 8 <= size <= 2048 && size % 8 == 0; */
        /* A good request with default alignment and flags, whose stride is
         * the size. The remainder is asserted first: provers cannot reduce
         * it inside zen_slab_request_bad's definition, and as a lemma the
         * fact slows unrelated goals (zen_bits.h's bit operations). */
        /*@ assert ZEN_PAGE_SIZE % zen_slab_align_of(0) == 0; */
        /*@ assert !zen_slab_request_bad(size, 0, 0) && !zen_slab_request_overflows(size, 0); */
        /*@ assert zen_slab_stride_of(size, zen_slab_align_of(0)) <= ZEN_SLAB_MAX_SIZE; */
        (void)zen_slab_cache_setup(k, &k->classes[i], size, 0, 0, 0, 0);
        /*@ assert k->classes[i].kmem == k && zen_slab_geometry(&k->classes[i]); */
        /*@ assert \forall integer j; i < j < ZEN_KMALLOC_CLASSES ==>
              k->classes[j].kmem == k && zen_slab_geometry(&k->classes[j]) && k->classes[j].kmalloc_class == j + 1; */
        k->classes[i].kmalloc_class = i + 1u;
        /*@ assert \forall integer j; i < j < ZEN_KMALLOC_CLASSES ==>
              k->classes[j].kmem == k && zen_slab_geometry(&k->classes[j]) && k->classes[j].kmalloc_class == j + 1; */
        /*@ assert k->classes[i].kmem == k && zen_slab_geometry(&k->classes[i]) && k->classes[i].kmalloc_class == i + 1; */
    }
}

/* Everything of k but its classes: the zone set, the record pool, no
 * spare record yet, zeroed counters but for spare_records, hooks, and no
 * fault injection. */
/*@ requires \valid(k) && (hooks == \null || \valid_read(hooks));
    assigns k->zones, k->slabs, k->nslabs, k->spare, k->hooks, k->fail, k->fail_ctx, k->stats;
    ensures k->zones == zones && k->slabs == slabs && k->nslabs == nslabs;
    ensures k->spare == 0 && k->stats.spare_records == nslabs;
 */
static void zen_kmem_fill_fields(zen_kmem *k, zen_zone_set *zones, zen_slab *slabs, uint32_t nslabs,
                                 const zen_hooks *hooks)
{
    k->zones = zones;
    k->slabs = slabs;
    k->nslabs = nslabs;
    k->spare = 0;
    k->hooks = hooks != 0 ? *hooks : (zen_hooks){0, 0, 0};
    k->fail = 0;
    k->fail_ctx = 0;
    k->stats = (zen_kmem_stats){0};
    k->stats.spare_records = nslabs;
}

/* Everything of k: its fields, the kmalloc classes and the record pool
 * with every record spare. */
/*@ requires \valid(k) && 0 < nslabs < ZEN_SLAB_NONE && \valid(slabs + (0 .. nslabs - 1));
    // The first separation is also init_apart's first conjunct; stated on
    // its own, it proves the first postcondition (through the predicate
    // alone, that goal times out).
    requires \separated(k, slabs + (0 .. nslabs - 1)) && zen_kmem_init_apart(k, zones, slabs, nslabs);
    requires hooks == \null || \valid_read(hooks);
    assigns *k, slabs[0 .. nslabs - 1];
    ensures k->zones == zones && k->slabs == slabs && k->nslabs == nslabs;
    // The zone set, apart from what the fill writes, reads the same:
    ensures zen_zone_set_same_shape{Pre, Post}(zones);
    ensures zen_frames_same{Pre, Post}(\at(zones->frames, Pre), \at(zones->nframes, Pre));
    ensures zen_kmem_classes_ok(k);
    ensures \forall integer r; 0 <= r < nslabs ==> slabs[r].cache == \null && slabs[r].list == ZEN_SLAB_SPARE;
    ensures k->spare == 0 && k->stats.spare_records == nslabs;
 */
static void zen_kmem_fill(zen_kmem *k, zen_zone_set *zones, zen_slab *slabs, uint32_t nslabs,
                          const zen_hooks *hooks)
{
    /* Each step is a call, and the zone set's shape is shown kept across
     * each on its own, in parts (over the whole fill at once, or across
     * plain field writes, the provers time out). */
    zen_kmem_fill_fields(k, zones, slabs, nslabs, hooks);
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(zones); */
    /*@ assert zen_zone_set_same_places{Pre, Here}(zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(zones); */
    /*@ assert zen_zone_set_same_levels{Pre, Here}(zones); */
    /*@ assert zen_zone_set_same_trees{Pre, Here}(zones); */
    /*@ assert zen_zone_set_same_shape{Pre, Here}(zones); */
Fields: __attribute__((unused));
    zen_kmem_spare_all(slabs, nslabs);
    /*@ assert zen_zone_set_same_arrays{Fields, Here}(zones); */
    /*@ assert zen_zone_set_same_places{Fields, Here}(zones); */
    /*@ assert zen_zone_set_same_spans{Fields, Here}(zones); */
    /*@ assert zen_zone_set_same_levels{Fields, Here}(zones); */
    /*@ assert zen_zone_set_same_trees{Fields, Here}(zones); */
    /*@ assert zen_zone_set_same_shape{Fields, Here}(zones); */
Records: __attribute__((unused));
    zen_kmem_make_classes(k);
    /*@ assert zen_zone_set_same_arrays{Records, Here}(zones); */
    /*@ assert zen_zone_set_same_places{Records, Here}(zones); */
    /*@ assert zen_zone_set_same_spans{Records, Here}(zones); */
    /*@ assert zen_zone_set_same_levels{Records, Here}(zones); */
    /*@ assert zen_zone_set_same_trees{Records, Here}(zones); */
    /*@ assert zen_zone_set_same_shape{Records, Here}(zones); */
}

zen_status zen_kmem_init(zen_kmem *k, zen_zone_set *zones, zen_slab *slabs, uint32_t nslabs,
                         const zen_hooks *hooks)
{
    if (zones == 0 || slabs == 0 || nslabs == 0u || nslabs == ZEN_SLAB_NONE)
        return ZEN_ERR_INVAL;
    zen_kmem_fill(k, zones, slabs, nslabs, hooks);
    /* The fill keeps the zone set (its contract); the lemma
     * zen_zone_set_kept_whole turns the whole frame array into each
     * present zone's slice. */
    /*@ assert \forall integer y; 0 <= y < ZEN_ZONE_COUNT && \at(zones->zone[y].present, Pre) != 0 ==>
          zen_zone_carved{Pre}(zones, y) && 0 <= \at(zones->zone[y].frame_off, Pre); */
    /*@ assert zen_zone_set_kept{Pre, Here}(zones); */
    /*@ assert zen_zone_set_valid(zones) && zen_kmem_zones_apart(k, &k->classes[0]); */
    return ZEN_OK;
}

void zen_kmem_set_fail(zen_kmem *k, zen_fail_fn fail, void *ctx)
{
    k->fail = fail;
    k->fail_ctx = ctx;
}

/*@ // Each field a record keeps is an equality, so keeping chains.
    lemma zen_slab_record_kept_trans{L1, L2, L3}: \forall zen_kmem *k, integer q;
      zen_slab_record_kept{L1, L2}(k, q) && zen_slab_record_kept{L2, L3}(k, q) ==>
      zen_slab_record_kept{L1, L3}(k, q);
 */

/* One more kmalloc answer ZEN_ERR_NOMEM; the kmem stays valid. */
/*@ requires zen_kmem_valid(k);
    assigns k->stats.oom_count;
    ensures zen_kmem_valid(k) && zen_kmem_classes_same{Pre, Post}(k);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures k->stats.oom_count == (uint64_t)(\old(k->stats.oom_count) + 1);
 */
static void zen_kmem_count_oom(zen_kmem *k)
{
    k->stats.oom_count++;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* One more large block of 2^order frames handed out; the kmem stays valid. */
/*@ requires zen_kmem_valid(k) && order <= ZEN_PAGE_MAX_ORDER;
    assigns k->stats.large_blocks, k->stats.large_frames;
    ensures zen_kmem_valid(k);
 */
static void zen_kmem_count_large(zen_kmem *k, unsigned order)
{
    k->stats.large_blocks++;
    k->stats.large_frames += (uint64_t)1 << order;
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_places{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_levels{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_trees{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Smallest order whose block holds size bytes (size <= ZEN_KMALLOC_MAX_SIZE). */
/*@ requires 0 < size <= ZEN_KMALLOC_MAX_SIZE;
    assigns \nothing;
    ensures \result <= ZEN_PAGE_MAX_ORDER;
    ensures size <= ZEN_PAGE_SIZE * zen_block_size(\result);
    ensures \result == 0 || ZEN_PAGE_SIZE * zen_block_size(\result - 1) < size;
 */
static unsigned zen_kmalloc_order(uint64_t size)
{
    uint64_t pages = (size + ZEN_PAGE_SIZE - 1u) >> ZEN_PAGE_SHIFT;
    unsigned order = 0;
    /*@ loop invariant 0 <= order <= ZEN_PAGE_MAX_ORDER;
        loop invariant order == 0 || zen_block_size(order - 1) < pages;
        loop assigns order;
        loop variant ZEN_PAGE_MAX_ORDER - order; */
    while (((uint64_t)1 << order) < pages)
        order++;
    return order;
}

/* A whole block for a large request, owned as a kmalloc block. */
/*@ requires zen_kmem_valid(k) && 0 < size <= ZEN_KMALLOC_MAX_SIZE && zflags <= ZEN_ZONE_ATOMIC;
    requires \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) &&
      zen_zone_writes_apart(k->zones, obj);
    assigns *obj, k->stats.oom_count, k->stats.large_blocks, k->stats.large_frames,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
    ensures \result != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k);
    ensures \result == ZEN_OK ==> *obj % ZEN_PAGE_SIZE == 0;
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static zen_status zen_kmalloc_large(zen_kmem *k, uint64_t size, unsigned zflags, zen_paddr *obj)
{
    unsigned order = zen_kmalloc_order(size);
    /*@ assert zen_kmem_classes_off_frames(k); */
    zen_kmem_block got = zen_kmem_get_block(k, ZEN_ZONE_NORMAL, order, zflags, ZEN_OWNER_KMALLOC, 0);
    zen_status st = got.status;
    zen_pfn pfn = got.pfn;
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    /*@ assert st != ZEN_ERR_CORRUPT ==> zen_kmem_zones_apart(k, &k->classes[0]); */
    /*@ assert st != ZEN_ERR_CORRUPT ==> zen_zone_writes_apart(k->zones, obj); */
    if (st != ZEN_OK) {
        if (st == ZEN_ERR_NOMEM)
            zen_kmem_count_oom(k);
        return st;
    }
    zen_kmem_count_large(k, order);
    zen_kmem_put_obj(k, obj, pfn * ZEN_PAGE_SIZE);
    return ZEN_OK;
}

zen_status zen_kmalloc(zen_kmem *k, uint64_t size, unsigned flags, zen_paddr *obj)
{
    zen_status st;
    unsigned zflags = (flags & ZEN_KMALLOC_ATOMIC) != 0u ? ZEN_ZONE_ATOMIC : 0u;
    zen_hooks_enter(&k->hooks);
    if (size == 0u || flags > ZEN_KMALLOC_FLAGS_ALL)
        st = ZEN_ERR_INVAL;
    else if (size > UINT64_MAX - (ZEN_PAGE_SIZE - 1u))
        st = ZEN_ERR_OVERFLOW;
    else if (size > ZEN_KMALLOC_MAX_SIZE)
        st = ZEN_ERR_INVAL;
    else if (size > ZEN_KMALLOC_MAX_SLAB_SIZE)
        st = zen_kmalloc_large(k, size, zflags, obj);
    else {
        unsigned i = zen_kmalloc_class(size);
        /*@ assert i < ZEN_KMALLOC_CLASSES && i == zen_kmalloc_class_of(size); */
        st = zen_slab_alloc_in(k, &k->classes[i], zflags, obj);
        /*@ assert st == ZEN_OK ==> \exists integer q, j; zen_slab_taken{Pre, Here}(k, &k->classes[i], q, j, *obj); */
        /*@ assert st == ZEN_OK ==>
              \exists integer q, j; zen_slab_taken{Pre, Here}(k, &k->classes[zen_kmalloc_class_of(size)], q, j, *obj); */
        /*@ assert st == ZEN_ERR_NOMEM ==>
              \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Here}(k, q); */
Taken: __attribute__((unused));
        if (st == ZEN_ERR_NOMEM)
            zen_kmem_count_oom(k);
        /*@ assert st == ZEN_ERR_NOMEM ==> \forall integer q; 0 <= q < k->nslabs ==>
              zen_slab_record_kept{Pre, Taken}(k, q) && zen_slab_record_kept{Taken, Here}(k, q) &&
              zen_slab_record_kept{Pre, Here}(k, q); */
    }
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    if (st == ZEN_ERR_INVAL || st == ZEN_ERR_OVERFLOW)
        zen_kmem_count_rejected(k);
    /*@ assert zen_kmem_classes_same{Pre, Here}(k) && zen_kmem_classes_ok(k); */
    zen_hooks_leave(&k->hooks);
    return st;
}

/* One large block of 2^order frames returned; the kmem stays valid. */
/*@ requires zen_kmem_valid(k) && order <= ZEN_PAGE_MAX_ORDER;
    assigns k->stats.large_blocks, k->stats.large_frames;
    ensures zen_kmem_valid(k);
 */
static void zen_kmem_uncount_large(zen_kmem *k, unsigned order)
{
    k->stats.large_blocks--;
    k->stats.large_frames -= (uint64_t)1 << order;
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_places{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_levels{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_trees{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Free the large block at frame head, of 2^order frames, as
 * zen_zone_block_of found it allocated from obj's frame: ZEN_ERR_NOT_HEAD
 * (and nothing changes) unless obj is the block's first byte. Then head is
 * obj's own frame, and the zones' validity bounds the order. */
/*@ requires zen_kmem_valid(k);
    requires \exists integer z; 0 <= z < ZEN_ZONE_COUNT && zen_zone_holds(k->zones, z, obj / ZEN_PAGE_SIZE);
    requires \let a = &k->zones->zone[zen_zone_of(obj / ZEN_PAGE_SIZE)].pages;
      zen_is_state(a, head, ZEN_FRAME_ALLOCATED) && a->frames[head - a->start].order == order;
    assigns k->stats.large_blocks, k->stats.large_frames, ZEN_KMEM_ZONE_WRITES(k);
    ensures zen_kmem_classes_same{Pre, Post}(k);
    behavior inside:
      assumes obj % ZEN_PAGE_SIZE != 0 || obj / ZEN_PAGE_SIZE != head;
      assigns \nothing;
      ensures \result == ZEN_ERR_NOT_HEAD && zen_frames_same{Pre, Post}(k->zones->frames, k->zones->nframes);
      ensures zen_kmem_valid(k) && \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    behavior at_head:
      assumes obj % ZEN_PAGE_SIZE == 0 && obj / ZEN_PAGE_SIZE == head;
      ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==> zen_kmem_valid(k);
    complete behaviors;
    disjoint behaviors;
 */
static zen_status zen_kfree_large(zen_kmem *k, zen_pfn head, unsigned order, zen_paddr obj)
{
    if (obj % ZEN_PAGE_SIZE != 0u || obj / ZEN_PAGE_SIZE != head)
        return ZEN_ERR_NOT_HEAD;
    /*@ assert zen_page_valid(&k->zones->zone[zen_zone_of(head)].pages); */
    /*@ assert order <= ZEN_PAGE_MAX_ORDER; */
    /*@ assert zen_kmem_classes_off_frames(k); */
    zen_status st = zen_zone_free(k->zones, head, order);
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    if (st != ZEN_OK)
        return st;
    /*@ assert zen_zone_set_valid(k->zones) && zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_zones_apart(k, &k->classes[0]); */
    /*@ assert zen_kmem_valid(k); */
    zen_kmem_uncount_large(k, order);
    return ZEN_OK;
}

/*@ // A kmalloc class is a cache apart from the kmem's own fields, its
    // records and the zones, as zen_kmem_valid says of the first.
    lemma zen_kmem_class_apart: \forall zen_kmem *k, integer i;
      zen_kmem_valid(k) && 0 <= i < ZEN_KMALLOC_CLASSES ==>
      zen_slab_cache_apart(k, &k->classes[i]) && zen_kmem_zones_apart(k, &k->classes[i]);
 */

/*@ // The slab layer writes of a class only its lists and counters, which
    // lie apart from every class's geometry.
    lemma zen_kmem_class_classes_apart: \forall zen_kmem *k, integer i;
      0 <= i < ZEN_KMALLOC_CLASSES ==> zen_kmem_classes_apart(k, &k->classes[i]);

    // The classes' geometry and numbers carry where their fields read the same.
    lemma zen_kmem_classes_ok_kept{L1, L2}: \forall zen_kmem *k;
      zen_kmem_classes_ok{L1}(k) && zen_kmem_classes_same{L1, L2}(k) ==> zen_kmem_classes_ok{L2}(k);
 */

/* What a refused kfree keeps between L1 and L2: every record and the
 * frame descriptors. */
#define ZEN_KFREE_REFUSED(L1, L2, k, st)                                                                \
    ((st) != ZEN_OK && (st) != ZEN_ERR_CORRUPT ==>                                                     \
      zen_frames_same{L1, L2}((k)->zones->frames, (k)->zones->nframes) &&                              \
      \forall integer q; 0 <= q < (k)->nslabs ==> zen_slab_record_kept{L1, L2}(k, q))

/* One more refused kfree: only the kmem's `rejected` changes. */
/*@ requires zen_kmem_valid(k);
    assigns k->stats.rejected;
    ensures zen_kmem_valid(k) && zen_kmem_classes_same{Pre, Post}(k);
    ensures k->zones == \old(k->zones) && k->zones->frames == \old(k->zones->frames) &&
      k->zones->nframes == \old(k->zones->nframes);
    ensures ZEN_KFREE_REFUSED(Pre, Post, k, ZEN_ERR_FOREIGN);
 */
static void zen_kfree_count_refused(zen_kmem *k)
{
    zen_kmem_count_rejected(k);
}

/* Which class i is, spelled out: the form in which a write to the heads
 * of class i is seen inside ZEN_KMEM_CLASS_HEADS. The provers do not find
 * the case split themselves in a caller's context; here it is alone. */
/*@ ghost
  /@ requires i < ZEN_KMALLOC_CLASSES;
     assigns \nothing;
     ensures &k->classes[i] == &k->classes[0] || &k->classes[i] == &k->classes[1] ||
       &k->classes[i] == &k->classes[2] || &k->classes[i] == &k->classes[3] ||
       &k->classes[i] == &k->classes[4] || &k->classes[i] == &k->classes[5] ||
       &k->classes[i] == &k->classes[6] || &k->classes[i] == &k->classes[7] ||
       &k->classes[i] == &k->classes[8] || &k->classes[i] == &k->classes[9] ||
       &k->classes[i] == &k->classes[10];
  @/
  static void zen_kmem_class_cases(zen_kmem *k, unsigned i) {}
*/

/* The postconditions both frees of a class object share (in clauses, each
 * a goal of its own): the kmem and its classes still valid and of the same
 * geometry, the answers of zen_slab_free_in, a refusal that changes no
 * record, and the frame descriptors as they were. */
#define ZEN_KFREE_OBJECT_ENSURES(k)                                                                     \
    ensures zen_kmem_valid(k) && zen_kmem_classes_ok(k);                                               \
    ensures zen_kmem_classes_same{Pre, Post}(k);                                                       \
    ensures \result == ZEN_OK || \result == ZEN_ERR_WRONG_CACHE || \result == ZEN_ERR_FOREIGN ||       \
            \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED || \result == ZEN_ERR_CORRUPT; \
    ensures \result != ZEN_OK && \result != ZEN_ERR_CORRUPT ==>                                        \
      \forall integer q; 0 <= q < (k)->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);              \
    ensures zen_frames_same{Pre, Post}((k)->zones->frames, (k)->zones->nframes);

/* Free obj in the slab of record r as an object of class i. Its writes
 * name the records whole and the heads of class i alone: the forms that
 * zen_kfree's frame reads without arithmetic on offsets. */
/*@ requires zen_kmem_valid(k) && zen_kmem_classes_ok(k) && r < k->nslabs && i < ZEN_KMALLOC_CLASSES;
    assigns ZEN_KMEM_RECORD_WRITES(k), k->classes[i].head[0 .. ZEN_SLAB_LISTS - 1],
            k->classes[i].stats.in_use, k->classes[i].stats.empty_slabs;
    ZEN_KFREE_OBJECT_ENSURES(k)
    ensures \result == ZEN_OK ==> ZEN_SLAB_FREED(Pre, Post, k, &k->classes[i], r, obj);
 */
static zen_status zen_kfree_in_class(zen_kmem *k, unsigned i, uint32_t r, zen_paddr obj)
{
    zen_slab_cache *c = &k->classes[i];
    zen_status st = zen_slab_free_in(k, c, r, obj);
    /*@ assert k->zones == \at(k->zones, Pre) && k->zones->frames == \at(k->zones->frames, Pre) &&
          k->zones->nframes == \at(k->zones->nframes, Pre); */
    /* The frame descriptors read as before: the records' list fields, the
     * one uint8_t memory the free writes, lie apart from each of them. The
     * step names each list field apart from the descriptor's two fields,
     * as the free's frame condition reads them (from the separation of the
     * whole ranges alone, the provers time out). */
    /*@ ghost uint64_t f = 0; */
    /*@ ghost
      /@ loop invariant 0 <= f <= k->zones->nframes;
         loop invariant zen_frames_same{Pre, Here}(k->zones->frames, f);
         loop assigns f;
         loop variant k->zones->nframes - f; @/
      for (f = 0; f < k->zones->nframes; f++) {
        /@ assert \let i = (integer)f; \at(\separated(&k->zones->frames[i], k->slabs + (0 .. k->nslabs - 1)), Pre); @/
        /@ assert \let i = (integer)f; \forall integer j; 0 <= j < k->nslabs ==>
             &k->slabs[j].list != &k->zones->frames[i].state && &k->slabs[j].list != &k->zones->frames[i].order; @/
        /@ assert \let i = (integer)f; k->zones->frames[i].state == \at(k->zones->frames[i].state, Pre) &&
             k->zones->frames[i].order == \at(k->zones->frames[i].order, Pre); @/
      }
    */
    /*@ assert zen_frames_same{Pre, Here}(k->zones->frames, k->zones->nframes); */
    /*@ assert zen_kmem_valid(k) && zen_kmem_classes_ok(k); */
    /*@ assert st == ZEN_OK ==> k->slabs[r].cache == c; */
    /*@ assert st == ZEN_OK ==> \let off = obj - k->slabs[r].pfn * ZEN_PAGE_SIZE;
          0 <= off && off % c->stride == 0 && off / c->stride < c->nslots; */
    /*@ assert st == ZEN_OK ==> \let i = (obj - k->slabs[r].pfn * ZEN_PAGE_SIZE) / c->stride;
          !zen_slab_slot_free{Pre}(k, r, i) && zen_slab_slot_free(k, r, i); */
    /*@ assert st == ZEN_OK ==> \let i = (obj - k->slabs[r].pfn * ZEN_PAGE_SIZE) / c->stride;
          \forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j != i ==>
            (zen_slab_slot_free(k, r, j) <==> zen_slab_slot_free{Pre}(k, r, j)); */
    /*@ assert st == ZEN_OK ==> \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert st == ZEN_OK ==> ZEN_SLAB_FREED(Pre, Here, k, c, r, obj); */
    return st;
}

/* Free obj in the slab of record r if that slab is one of a kmalloc class:
 * the record's kclass names the class, and its cache must be that class. */
/*@ requires zen_kmem_valid(k) && zen_kmem_classes_ok(k) && r < k->nslabs;
    assigns ZEN_KMEM_RECORD_WRITES(k), ZEN_KMEM_CLASS_HEADS(k),
            k->classes[0 .. ZEN_KMALLOC_CLASSES - 1].stats.in_use,
            k->classes[0 .. ZEN_KMALLOC_CLASSES - 1].stats.empty_slabs;
    ZEN_KFREE_OBJECT_ENSURES(k)
    ensures \result == ZEN_OK ==>
      \exists integer i; 0 <= i < ZEN_KMALLOC_CLASSES && ZEN_SLAB_FREED(Pre, Post, k, &k->classes[i], r, obj);
 */
static zen_status zen_kfree_object(zen_kmem *k, uint32_t r, zen_paddr obj)
{
    unsigned kclass = k->slabs[r].kclass;
    if (kclass == 0u || kclass > ZEN_KMALLOC_CLASSES || k->slabs[r].cache != &k->classes[kclass - 1u])
        return ZEN_ERR_WRONG_CACHE;
    unsigned i = kclass - 1u;
    /*@ ghost zen_kmem_class_cases(k, i); */
    return zen_kfree_in_class(k, i, r, obj);
}

zen_status zen_kfree(zen_kmem *k, zen_paddr obj)
{
    zen_status st;
    zen_zone_block b;
    uint32_t r = 0;
    zen_hooks_enter(&k->hooks);
    if (zen_zone_block_of(k->zones, obj / ZEN_PAGE_SIZE, &b) != ZEN_OK) {
        st = ZEN_ERR_FOREIGN;
        /*@ assert ZEN_KFREE_REFUSED(Pre, Here, k, st); */
    } else if (b.owner == ZEN_OWNER_KMALLOC) {
        /*@ assert \let a = &k->zones->zone[zen_zone_of(obj / ZEN_PAGE_SIZE)].pages;
              zen_is_state(a, b.head, ZEN_FRAME_ALLOCATED) && a->frames[b.head - a->start].owner == ZEN_OWNER_KMALLOC; */
        st = zen_kfree_large(k, b.head, b.order, obj);
        /*@ assert st == ZEN_OK ==> obj % ZEN_PAGE_SIZE == 0 && obj / ZEN_PAGE_SIZE == b.head; */
        /*@ assert st == ZEN_OK ==> ZEN_KFREE_LARGE_FREED(Pre, k, obj); */
        /*@ assert ZEN_KFREE_REFUSED(Pre, Here, k, st); */
    } else if ((st = zen_slab_record_in(k, &b, &r)) == ZEN_OK) {
        st = zen_kfree_object(k, r, obj);
        /*@ assert ZEN_KFREE_REFUSED(Pre, Here, k, st); */
        /*@ assert st == ZEN_OK ==> \exists integer i, q; 0 <= i < ZEN_KMALLOC_CLASSES &&
              ZEN_SLAB_FREED(Pre, Here, k, &k->classes[i], q, obj); */
    } else {
        /*@ assert ZEN_KFREE_REFUSED(Pre, Here, k, st); */
    }
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    /*@ assert st != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k); */
    /*@ assert st == ZEN_OK ==> ZEN_KFREE_LARGE_FREED(Pre, k, obj) ||
          \exists integer i, q; 0 <= i < ZEN_KMALLOC_CLASSES && ZEN_SLAB_FREED(Pre, Here, k, &k->classes[i], q, obj); */
    /*@ assert ZEN_KFREE_REFUSED(Pre, Here, k, st); */
Found: __attribute__((unused));
    /* A corrupt kmem is not written further: only refusals are counted. */
    if (st != ZEN_OK && st != ZEN_ERR_CORRUPT)
        zen_kfree_count_refused(k);
    /*@ assert ZEN_KFREE_REFUSED(Found, Here, k, st); */
    /*@ assert k->zones == \at(k->zones, Found) && k->zones->frames == \at(k->zones->frames, Found) &&
          k->zones->nframes == \at(k->zones->nframes, Found) && k->nslabs == \at(k->nslabs, Found); */
    /*@ assert st != ZEN_OK && st != ZEN_ERR_CORRUPT ==>
          zen_frames_same{Pre, Here}(k->zones->frames, k->zones->nframes); */
    /*@ assert st != ZEN_OK && st != ZEN_ERR_CORRUPT ==> \forall integer q; 0 <= q < k->nslabs ==>
          zen_slab_record_kept{Pre, Found}(k, q) && zen_slab_record_kept{Found, Here}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert zen_kmem_classes_same{Pre, Here}(k) && zen_kmem_classes_ok(k); */
    zen_hooks_leave(&k->hooks);
    return st;
}
