/* Object caches: slab records, their lists, allocation and validated free.
 * The policy and the error order are those of zen_slab.h.
 *
 * The records are the truth; a frame descriptor's tag is only an index into
 * them, checked against the record before it is believed. Links and list
 * fields read from records are checked before they index anything, so a
 * corrupted record makes an operation answer ZEN_ERR_CORRUPT (or end a list
 * early), never read or write outside the pool. */

/* Stated before the includes: WP proves a lemma with every lemma above it
 * in view, and with the zone and page headers' lemmas the provers time out
 * on these, which alone they prove at once. */
/*@ // Multiples of m add up to a multiple of m.
    lemma zen_mod_add: \forall integer x, y, m;
      0 <= x && 0 <= y && 1 <= m && x % m == 0 && y % m == 0 ==> (x + y) % m == 0;
    // A quotient of naturals is at most the dividend, and at least 1 when
    // the divisor is; times the divisor, it is still at most the dividend.
    lemma zen_div_bounds: \forall integer a, b;
      0 <= a && 1 <= b ==> 0 <= a / b <= a && (b <= a ==> 1 <= a / b);
    lemma zen_div_mul_bound: \forall integer a, b;
      0 <= a && 1 <= b ==> 0 <= (a / b) * b <= a;
*/

#include <stdbool.h>
#include "zen_slab_internal.h"

/* Keeping a record is transitive: stated once so that the provers chain
 * two steps (the labels name the state between them) without searching. */
/*@ lemma zen_slab_record_kept_trans{L1, L2, L3}: \forall zen_kmem *k, integer q;
      zen_slab_record_kept{L1, L2}(k, q) && zen_slab_record_kept{L2, L3}(k, q) ==>
      zen_slab_record_kept{L1, L3}(k, q);
 */

/* ---- lists ------------------------------------------------------------------ */

/* Put record r at the head of cache c's list `list`. */
/*@ requires zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires r < k->nslabs && ZEN_SLAB_EMPTY <= list <= ZEN_SLAB_FULL;
    assigns k->slabs[r].list, k->slabs[r].next, k->slabs[0 .. k->nslabs - 1].prev, c->head[list - 1];
    ensures k->slabs[r].list == list && zen_slab_cache_kept{Pre, Post}(c);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures \old(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c)) ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_push(zen_kmem *k, zen_slab_cache *c, uint32_t r, unsigned list)
{
    zen_slab *s = &k->slabs[r];
    uint32_t head = c->head[list - 1u];
    s->list = (uint8_t)list;
    s->prev = ZEN_SLAB_NONE;
    s->next = head;
    if (head < k->nslabs)
        k->slabs[head].prev = r;
    c->head[list - 1u] = r;
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_places{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_levels{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_trees{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==>
          zen_frames_same{Pre, Here}(k->zones->frames, k->zones->nframes); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_kept{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_kmem_kept{Pre, Here}(k); */
}

/* Take record r off the list of cache c its list field names. A link that
 * leaves the pool ends the list. */
/*@ requires zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires r < k->nslabs && ZEN_SLAB_EMPTY <= k->slabs[r].list <= ZEN_SLAB_FULL;
    assigns k->slabs[0 .. k->nslabs - 1].next, k->slabs[0 .. k->nslabs - 1].prev,
            c->head[\at(k->slabs[r].list, Pre) - 1];
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c) && zen_slab_cache_kept{Pre, Post}(c);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures \old(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c)) ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures \old(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c)) ==> zen_kmem_zone_places_kept{Pre, Post}(k);
    ensures \old(k->slabs[r].list) == ZEN_SLAB_EMPTY ==> zen_slab_busy_lists_kept{Pre, Post}(c);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_unlink(zen_kmem *k, zen_slab_cache *c, uint32_t r)
{
    unsigned list = k->slabs[r].list;
    uint32_t prev = k->slabs[r].prev;
    uint32_t next = k->slabs[r].next;
    if (prev < k->nslabs)
        k->slabs[prev].next = next;
    else
        c->head[list - 1u] = next;
    if (next < k->nslabs)
        k->slabs[next].prev = prev;
    k->slabs[r].next = ZEN_SLAB_NONE;
    k->slabs[r].prev = ZEN_SLAB_NONE;
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_places{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_levels{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_trees{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_kmem_kept{Pre, Here}(k); */
}

/* Move record r to the list its free count calls for, counting empty slabs.
 * ZEN_ERR_CORRUPT when its list field names no list. */
/*@ requires zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires r < k->nslabs;
    assigns k->slabs[0 .. k->nslabs - 1].next, k->slabs[0 .. k->nslabs - 1].prev,
            k->slabs[0 .. k->nslabs - 1].list, c->head[0 .. ZEN_SLAB_LISTS - 1],
            c->stats.empty_slabs;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    // What callers state about the slots and the cache is kept:
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_slab_cache_kept{Pre, Post}(c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures \old(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c)) ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static zen_status zen_slab_place(zen_kmem *k, zen_slab_cache *c, uint32_t r)
{
    unsigned from = k->slabs[r].list;
    unsigned to = zen_slab_list_for(k->slabs[r].nfree, c->nslots);
    if (from < ZEN_SLAB_EMPTY || from > ZEN_SLAB_FULL)
        return ZEN_ERR_CORRUPT;
    if (from == to)
        return ZEN_OK;
    if (from == ZEN_SLAB_EMPTY)
        c->stats.empty_slabs--;
    if (to == ZEN_SLAB_EMPTY)
        c->stats.empty_slabs++;
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_kmem_kept{Pre, Here}(k); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c); */
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Here}(k, q); */
Counted: __attribute__((unused));
    zen_slab_unlink(k, c, r);
Unlinked: __attribute__((unused));
    zen_slab_push(k, c, r, to);
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==>
          zen_slab_record_kept{Counted, Unlinked}(k, q) && zen_slab_record_kept{Unlinked, Here}(k, q) &&
          zen_slab_record_kept{Counted, Here}(k, q) && zen_slab_record_kept{Pre, Counted}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    return ZEN_OK;
}

/* ---- slots ------------------------------------------------------------------- */

/* Mark slots 0 .. n - 1 free and every other bit used: one bit at a time,
 * which runs only when a slab is made or returned. */
/*@ requires \valid(s) && n <= ZEN_SLAB_MAX_SLOTS;
    assigns s->free_map[0 .. ZEN_SLAB_MAP_WORDS - 1];
    ensures \forall integer i; 0 <= i < n ==> zen_bit(s->free_map[i / 64], i % 64) == 1;
 */
static void zen_slab_map_fill(zen_slab *s, uint32_t n)
{
    /*@ loop invariant 0 <= w <= ZEN_SLAB_MAP_WORDS;
        loop assigns w, s->free_map[0 .. ZEN_SLAB_MAP_WORDS - 1];
        loop variant ZEN_SLAB_MAP_WORDS - w; */
    for (unsigned w = 0; w < ZEN_SLAB_MAP_WORDS; w++)
        s->free_map[w] = 0;
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer j; 0 <= j < i ==> zen_bit(s->free_map[j / 64], j % 64) == 1;
        loop assigns i, s->free_map[0 .. ZEN_SLAB_MAP_WORDS - 1];
        loop variant n - i; */
    for (uint32_t i = 0; i < n; i++) {
        s->free_map[i / 64u] = zen_bit_set64(s->free_map[i / 64u], i % 64u);
        /*@ assert \forall integer j; 0 <= j < i && j / 64 == i / 64 ==>
              zen_bit(s->free_map[j / 64], j % 64) == 1; */
    }
}

/* Lemma function (ghost): slot * stride grows no faster than slot times
 * the largest stride. The loop carries the induction on slot, each step of
 * which is linear. */
/*@ ghost
  /@ requires slot < ZEN_SLAB_MAX_SLOTS && stride <= ZEN_SLAB_MAX_SIZE;
     assigns \nothing;
     ensures 0 <= slot * stride <= slot * ZEN_SLAB_MAX_SIZE;
   @/
  void zen_slab_offset_bound(uint32_t slot, uint32_t stride)
  {
    int i = 0;
    /@ loop invariant 0 <= i <= slot;
       loop invariant 0 <= i * stride <= i * ZEN_SLAB_MAX_SIZE;
       loop assigns i;
       loop variant slot - i;
     @/
    while (i < slot) {
      /@ assert (i + 1) * stride == i * stride + stride; @/
      /@ assert (i + 1) * ZEN_SLAB_MAX_SIZE == i * ZEN_SLAB_MAX_SIZE + ZEN_SLAB_MAX_SIZE; @/
      i++;
    }
  }
*/

/* Lemma function (ghost): a times a multiple of m is a multiple of m, by
 * induction on a through zen_mod_add (the provers do not take the product
 * apart by themselves). */
/*@ ghost
  /@ requires 1 <= m && b % m == 0;
     assigns \nothing;
     ensures (a * b) % m == 0;
   @/
  void zen_mul_of_multiple(uint64_t a, uint64_t b, uint64_t m)
  {
    uint64_t j = 0;
    /@ loop invariant 0 <= j <= a;
       loop invariant 0 <= j * b && (j * b) % m == 0;
       loop assigns j;
       loop variant a - j;
     @/
    while (j < a) {
      /@ assert 0 <= j * b + b && (j * b + b) % m == 0; @/
      /@ assert (j + 1) * b == j * b + b; @/
      j++;
      /@ assert j == \at(j, LoopCurrent) + 1; @/
      /@ assert j * b == \at(j, LoopCurrent) * b + b; @/
    }
    /@ assert j == a; @/
  }
*/

/* Lemma function (ghost): the quotient times the divisor falls short of
 * the dividend by less than the divisor. */
/*@ ghost
  /@ requires 1 <= b;
     assigns \nothing;
     ensures a < (a / b) * b + b;
   @/
  void zen_div_mul_gt(uint64_t a, uint64_t b)
  {
    /@ assert a == (a / b) * b + a % b && a % b < b; @/
  }
*/

/* Lemma function (ghost): m divides itself. */
/*@ ghost
  /@ requires 1 <= m;
     assigns \nothing;
     ensures m % m == 0;
   @/
  void zen_mod_self(uint64_t m)
  {
    /@ assert m / m == 1; @/
  }
*/

/* The byte offset of a slot: slot * stride, which cannot wrap. */
/*@ requires slot < ZEN_SLAB_MAX_SLOTS && stride <= ZEN_SLAB_MAX_SIZE;
    assigns \nothing;
    ensures \result == slot * stride;
 */
static inline uint64_t zen_slab_offset(uint32_t slot, uint32_t stride)
{
    /*@ ghost zen_slab_offset_bound(slot, stride); */
    return (uint64_t)slot * stride;
}

/* Take the lowest free slot of record r, a slab of cache c: *obj is its
 * address. ZEN_ERR_CORRUPT, changing nothing, when the record has no free
 * slot below nslots, no free count, or a block past ZEN_PFN_LIMIT. */
/*@ requires zen_slab_records_ok(k) && zen_slab_cache_apart(k, c) && zen_slab_geometry(c);
    requires r < k->nslabs && \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) &&
      \separated(obj, c);
    assigns k->slabs[r].free_map[0 .. ZEN_SLAB_MAP_WORDS - 1], k->slabs[r].nfree, *obj;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==> \exists integer i; 0 <= i < c->nslots &&
      \at(zen_slab_slot_free(k, r, i), Pre) && !zen_slab_slot_free(k, r, i) &&
      *obj == zen_slab_slot_addr(k, r, c->stride, i) &&
      (\forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j != i ==>
        (zen_slab_slot_free(k, r, j) <==> \at(zen_slab_slot_free(k, r, j), Pre)));
    ensures \result == ZEN_OK ==> k->slabs[r].cache == c ==> \exists integer i; zen_slab_taken{Pre, Post}(k, c, r, i, *obj);
    ensures \result == ZEN_OK ==> *obj % c->align == 0;
    ensures \result == ZEN_OK ==> k->slabs[r].nfree == \old(k->slabs[r].nfree) - 1;
    ensures \result != ZEN_OK ==> k->slabs[r].nfree == \old(k->slabs[r].nfree) &&
      (\forall integer w; 0 <= w < ZEN_SLAB_MAP_WORDS ==>
        k->slabs[r].free_map[w] == \old(k->slabs[r].free_map[w]));
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static zen_status zen_slab_take_slot(zen_kmem *k, const zen_slab_cache *c, uint32_t r, zen_paddr *obj)
{
    zen_slab *s = &k->slabs[r];
    unsigned w = 0;
    unsigned bit = 64;
    /*@ loop invariant 0 <= w <= ZEN_SLAB_MAP_WORDS;
        loop assigns w, bit;
        loop variant ZEN_SLAB_MAP_WORDS - w; */
    while (w < ZEN_SLAB_MAP_WORDS) {
        bit = zen_ctz64(s->free_map[w]);
        if (bit < 64u)
            break;
        w++;
    }
    if (w == ZEN_SLAB_MAP_WORDS || s->nfree == 0u || s->pfn >= ZEN_PFN_LIMIT - ZEN_SLAB_MAX_FRAMES)
        return ZEN_ERR_CORRUPT;
    uint32_t slot = w * 64u + bit;
    uint64_t off = zen_slab_offset(slot, c->stride);
    if (slot >= c->nslots || off >= ZEN_SLAB_MAX_SIZE)
        return ZEN_ERR_CORRUPT;
    /*@ assert slot / 64 == w && slot % 64 == bit; */
    /*@ assert zen_slab_slot_free(k, r, slot); */
    s->free_map[w] = zen_bit_clear64(s->free_map[w], bit);
    /*@ assert \forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j != slot && j / 64 == w ==>
          (zen_slab_slot_free(k, r, j) <==> \at(zen_slab_slot_free(k, r, j), Pre)); */
    /*@ assert \forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j / 64 != w ==>
          (zen_slab_slot_free(k, r, j) <==> \at(zen_slab_slot_free(k, r, j), Pre)); */
    s->nfree--;
    /*@ assert s->pfn * ZEN_PAGE_SIZE < 0x10000000000000000; */
    uint64_t base = s->pfn * ZEN_PAGE_SIZE;
    /*@ assert base == s->pfn * ZEN_PAGE_SIZE; */
    /*@ assert off == slot * c->stride; */
    /*@ assert base + off < 0x10000000000000000; */
    /* Both parts are multiples of the alignment, which divides the page
     * size and the stride (zen_slab_geometry). */
    /*@ ghost zen_mul_of_multiple(s->pfn, ZEN_PAGE_SIZE, c->align); */
    /*@ ghost zen_mul_of_multiple(slot, c->stride, c->align); */
    *obj = base + off;
    /*@ assert !zen_slab_slot_free(k, r, slot); */
    /*@ assert \forall integer p; 0 <= p < k->nslabs && p != r ==> zen_slab_record_kept{Pre, Here}(k, p); */
    /*@ assert k->slabs[r].cache == c ==> zen_slab_taken{Pre, Here}(k, c, r, slot, *obj); */
    return ZEN_OK;
}

/* ---- slabs from and back to the zone allocator ------------------------------- */

/* Lemma function (ghost): flags of at most ZEN_ZONE_ATOMIC leave out
 * ZEN_ZONE_ZERO. Each branch fixes f, so the bit is a constant there. */
/*@ ghost
  /@ requires f <= ZEN_ZONE_ATOMIC;
     assigns \nothing;
     ensures (f & ZEN_ZONE_ZERO) == 0;
   @/
  void zen_zone_flags_plain(unsigned f)
  {
    if (f == 0u) {
      /@ assert (f & ZEN_ZONE_ZERO) == 0; @/
    } else {
      /@ assert f == ZEN_ZONE_ATOMIC; @/
      /@ assert (f & ZEN_ZONE_ZERO) == 0; @/
    }
  }
*/

zen_kmem_block zen_kmem_get_block(zen_kmem *k, unsigned max_zone, unsigned order, unsigned zflags,
                                  unsigned owner, uint32_t tag)
{
    zen_kmem_block got = { ZEN_ERR_NOMEM, 0 };
    zen_zone_set *s = k->zones;
    if (zen_kmem_refused(k, order)) {
        /*@ assert zen_zone_set_same_shape{Pre, Here}(s); */
        return got;
    }
    zen_pfn p = 0;
    /* Never ZEN_ZONE_ZERO: the zones write no direct map. */
    /*@ ghost zen_zone_flags_plain(zflags); */
    zen_status st = zen_zone_alloc(s, max_zone, order, zflags, &p);
    /*@ assert zen_zone_set_same_shape{Pre, Here}(s); */
    if (st != ZEN_OK) {
        /*@ assert st == ZEN_ERR_NOMEM ==> zen_zone_set_valid(s); */
        got.status = st == ZEN_ERR_NOMEM ? ZEN_ERR_NOMEM : ZEN_ERR_CORRUPT;
        return got;
    }
    /*@ assert zen_zone_holds(s, zen_zone_of(p), p) && zen_zone_set_valid(s); */
    /*@ assert p < ZEN_PFN_LIMIT; */
    /*@ assert s->frames == \at(k->zones->frames, Pre) && s->nframes == \at(k->zones->nframes, Pre) &&
          s->words == \at(k->zones->words, Pre) && s->nwords == \at(k->zones->nwords, Pre); */
    st = zen_zone_set_owner(s, p, owner, tag);
    /*@ assert owned: zen_zone_set_same_shape{Pre, Here}(s) && zen_zone_set_valid(s); */
    if (st != ZEN_OK) {
        /*@ assert s->frames == \at(k->zones->frames, Pre) && s->nframes == \at(k->zones->nframes, Pre) &&
              s->words == \at(k->zones->words, Pre) && s->nwords == \at(k->zones->nwords, Pre); */
        (void)zen_zone_free(s, p, order);
        got.status = ZEN_ERR_CORRUPT;
        return got;
    }
    got.status = ZEN_OK;
    got.pfn = p;
    return got;
}

/* Fill record s as an empty slab of c over the block at pfn: every slot
 * free, first on a list before next. A function of its own, so that the
 * callers' provers see one record-sized write rather than one per field. */
/*@ requires \valid(s) && \valid_read(c) && \separated(s, c) && zen_slab_geometry(c);
    assigns *s;
    ensures s->cache == c && s->pfn == pfn && s->nfree == c->nslots && s->list == ZEN_SLAB_EMPTY;
    ensures s->next == next && s->prev == ZEN_SLAB_NONE;
    ensures \forall integer i; 0 <= i < c->nslots ==> zen_bit(s->free_map[i / 64], i % 64) == 1;
 */
static void zen_slab_fill(zen_slab *s, zen_slab_cache *c, zen_pfn pfn, uint32_t next)
{
    zen_slab_map_fill(s, c->nslots);
    s->cache = c;
    s->pfn = pfn;
    s->next = next;
    s->prev = ZEN_SLAB_NONE;
    s->nfree = (uint16_t)c->nslots;
    s->list = ZEN_SLAB_EMPTY;
    s->order = (uint8_t)c->order;
    s->kclass = (uint8_t)c->kmalloc_class;
}

/* Store v as record r: one record-sized write, in a function of its own so
 * that the kmem's validity (which reads the zone set and where the records
 * lie, never what they hold) carries across it with nothing else in view. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c) && r < k->nslabs;
    requires \valid_read(v) && \separated(v, k, k->slabs + (0 .. k->nslabs - 1));
    assigns k->slabs[r];
    ensures zen_kmem_valid(k);
    ensures zen_kmem_zones_apart(k, c);
    ensures k->slabs[r] == \old(*v);
    ensures k->slabs[r].cache == \old(v->cache) && k->slabs[r].pfn == \old(v->pfn) &&
      k->slabs[r].nfree == \old(v->nfree);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs) && zen_slab_cache_kept{Pre, Post}(c);
    ensures \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_zone_places_kept{Pre, Post}(k);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_store(zen_kmem *k, zen_slab_cache *c, uint32_t r, const zen_slab *v)
{
    (void)c; /* named by the contract only */
    k->slabs[r] = *v;
    /* The classes kept, a few fields at a time: all six in one goal take
     * the provers over half a minute across the record-sized write. */
    /*@ assert \forall integer i; 0 <= i < ZEN_KMALLOC_CLASSES ==>
          k->classes[i].kmem == \at(k->classes[i].kmem, Pre); */
    /*@ assert \forall integer i; 0 <= i < ZEN_KMALLOC_CLASSES ==>
          k->classes[i].align == \at(k->classes[i].align, Pre) && k->classes[i].stride == \at(k->classes[i].stride, Pre); */
    /*@ assert \forall integer i; 0 <= i < ZEN_KMALLOC_CLASSES ==>
          k->classes[i].order == \at(k->classes[i].order, Pre) && k->classes[i].nslots == \at(k->classes[i].nslots, Pre) &&
          k->classes[i].kmalloc_class == \at(k->classes[i].kmalloc_class, Pre); */
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    /* The asserts lead the provers to zen_kmem_kept, from which the lemma
     * zen_kmem_valid_kept gives the validity: the zone set's shape in
     * parts, then its frame descriptors through the whole array, then the
     * set's own validity, the costly part of the kmem's. */
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_places{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_levels{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_trees{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_frames_same{Pre, Here}(k->zones->frames, k->zones->nframes); */
    /*@ assert \forall integer y; 0 <= y < ZEN_ZONE_COUNT && \at(k->zones->zone[y].present, Pre) != 0 ==>
          zen_zone_carved{Pre}(k->zones, y) && 0 <= \at(k->zones->zone[y].frame_off, Pre); */
    /*@ assert zen_zone_set_kept{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
    /*@ assert zen_zone_set_valid(k->zones); */
}

/* Take record r, the head of the spare list, off that list. */
/*@ requires zen_kmem_valid(k) && r < k->nslabs;
    assigns k->spare, k->stats.spare_records;
    ensures zen_kmem_valid(k) && k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures zen_kmem_zone_places_kept{Pre, Post}(k);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_unspare(zen_kmem *k, uint32_t r)
{
    k->spare = k->slabs[r].next;
    k->stats.spare_records--;
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_places{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_levels{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_trees{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Put record r at the head of c's empty list and count the new slab. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    assigns c->head[ZEN_SLAB_EMPTY - 1], c->stats.slabs, c->stats.empty_slabs;
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures c->head[ZEN_SLAB_EMPTY - 1] == r && zen_slab_cache_kept{Pre, Post}(c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures zen_kmem_zone_places_kept{Pre, Post}(k);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_count_new(zen_kmem *k, zen_slab_cache *c, uint32_t r)
{
    (void)k; /* named by the contract only */
    c->stats.slabs++;
    c->stats.empty_slabs++;
    c->head[ZEN_SLAB_EMPTY - 1u] = r;
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Link record q back to record r. */
/*@ requires zen_kmem_valid(k) && q < k->nslabs;
    assigns k->slabs[q].prev;
    ensures zen_kmem_valid(k) && k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures zen_kmem_zone_places_kept{Pre, Post}(k);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_set_prev(zen_kmem *k, uint32_t q, uint32_t r)
{
    k->slabs[q].prev = r;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Make spare record r, the head of the spare list, a slab of c over the
 * block at pfn: every slot free, at the head of c's empty list, counted.
 * The records are built in locals and written whole by zen_slab_store:
 * the old head of the empty list gets r as its predecessor, r the new slab. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires zen_slab_geometry(c) && r < k->nslabs;
    assigns k->spare, k->stats.spare_records, k->slabs[0 .. k->nslabs - 1],
            c->head[ZEN_SLAB_EMPTY - 1], c->stats.slabs, c->stats.empty_slabs;
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_slab_records_ok(k);
    ensures zen_slab_cache_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures zen_slab_cache_kept{Pre, Post}(c);
    ensures k->slabs[r].cache == c;
    ensures k->slabs[r].pfn == pfn;
    ensures k->slabs[r].nfree == c->nslots;
    ensures \forall integer i; 0 <= i < c->nslots ==> zen_slab_slot_free(k, r, i);
    ensures \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_zone_places_kept{Pre, Post}(k);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_claim(zen_kmem *k, zen_slab_cache *c, uint32_t r, zen_pfn pfn)
{
    uint32_t head = c->head[ZEN_SLAB_EMPTY - 1u];
    zen_slab fresh;
    zen_slab_fill(&fresh, c, pfn, head);
    zen_slab_unspare(k, r);
Spared: __attribute__((unused));
    zen_slab_count_new(k, c, r);
    /*@ assert zen_kmem_zone_places_kept{Pre, Spared}(k) && zen_kmem_zone_places_kept{Spared, Here}(k) &&
          zen_kmem_zone_places_kept{Pre, Here}(k); */
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert zen_slab_cache_kept{Pre, Here}(c); */
Counted: __attribute__((unused));
    if (head < k->nslabs)
        zen_slab_set_prev(k, head, r);
    /*@ assert zen_slab_cache_kept{Counted, Here}(c) && zen_slab_cache_kept{Pre, Here}(c); */
    /*@ assert k->slabs == \at(k->slabs, Pre) && k->nslabs == \at(k->nslabs, Pre) && r < k->nslabs; */
    /*@ assert fresh.cache == c && fresh.pfn == pfn && fresh.nfree == c->nslots &&
          \forall integer i; 0 <= i < c->nslots ==> zen_bit(fresh.free_map[i / 64], i % 64) == 1; */
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Counted, Here}(k, q); */
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==>
          zen_slab_record_kept{Counted, Here}(k, q) && zen_slab_record_kept{Pre, Counted}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
Linked: __attribute__((unused));
    /*@ assert zen_kmem_zone_places_kept{Counted, Here}(k) && zen_kmem_zone_places_kept{Pre, Counted}(k) &&
          zen_kmem_zone_places_kept{Pre, Here}(k); */
    zen_slab_store(k, c, r, &fresh);
    /*@ assert zen_kmem_zone_places_kept{Linked, Here}(k) && zen_kmem_zone_places_kept{Pre, Linked}(k) &&
          zen_kmem_zone_places_kept{Pre, Here}(k); */
    /*@ assert c->nslots == \at(c->nslots, Linked); */
    /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==>
          zen_slab_record_kept{Linked, Here}(k, q) && zen_slab_record_kept{Pre, Linked}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
}

/* Run c's constructor, if it has one, on every slot of the new slab at
 * pfn: objects stay constructed from then on. */
/*@ requires \valid_read(c) && zen_slab_geometry(c);
    assigns \nothing;
 */
static void zen_slab_construct_all(const zen_slab_cache *c, zen_pfn pfn)
{
    if (c->ctor == 0)
        return;
    zen_paddr base = pfn * ZEN_PAGE_SIZE;
    /*@ loop invariant 0 <= i <= c->nslots;
        loop assigns i;
        loop variant c->nslots - i; */
    for (uint32_t i = 0; i < c->nslots; i++)
        zen_slab_construct(c, base + zen_slab_offset(i, c->stride));
}

/* The zone operation of zen_slab_zone_call, alone: with one call and one
 * frame in view, the caller's walk carries every record across it. */
/*@ requires \valid_read(k) && zen_zone_set_valid(k->zones) && zen_zone_maps_apart(k->zones);
    requires \separated(k, k->zones) && max_zone <= ZEN_ZONE_NORMAL;
    requires !give ==> order <= ZEN_PAGE_MAX_ORDER && zflags <= ZEN_ZONE_ATOMIC;
    assigns ZEN_KMEM_ZONE_WRITES(k);
    ensures !give ==> \result.status == ZEN_OK || \result.status == ZEN_ERR_NOMEM || \result.status == ZEN_ERR_CORRUPT;
    ensures !give && \result.status == ZEN_OK ==> \result.pfn < ZEN_PFN_LIMIT;
    ensures \result.status != ZEN_ERR_CORRUPT ==> zen_zone_set_valid(k->zones);
    ensures give || \result.status != ZEN_ERR_CORRUPT ==> zen_zone_set_same_shape{Pre, Post}(k->zones);
 */
static zen_kmem_block zen_slab_zone_op(zen_kmem *k, bool give, zen_pfn pfn, unsigned order, unsigned max_zone,
                                       unsigned zflags, uint32_t r)
{
    if (!give)
        return zen_kmem_get_block(k, max_zone, order, zflags, ZEN_OWNER_SLAB, r);
    zen_kmem_block put = { zen_zone_free(k->zones, pfn, order), pfn };
    return put;
}

/* The slab layer's one call into the zones: take a block of 2^order frames
 * for c, owned by the slab layer with record r as tag (give false,
 * zen_kmem_get_block), or give the block at pfn back (give true,
 * zen_zone_free). The answer is the zones'. Only the zone set changes: c
 * and every record read as before.
 *
 * The zone call writes the zone set's statistics and bitmap words:
 * uint64_t memory, as are the records' blocks and bitmaps and c's live
 * count. The provers carry such a location across the call only with its
 * separation from each written region in view, one location at a time. So
 * the separations are stated here for every record and for c, and after
 * the call the records are walked one by one in ghost code; c's fields
 * carry across only when asserted in parts. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires !give ==> order <= ZEN_PAGE_MAX_ORDER && zflags <= ZEN_ZONE_ATOMIC;
    assigns ZEN_KMEM_ZONE_WRITES(k);
    ensures !give ==> \result.status == ZEN_OK || \result.status == ZEN_ERR_NOMEM || \result.status == ZEN_ERR_CORRUPT;
    ensures !give && \result.status == ZEN_OK ==> \result.pfn < ZEN_PFN_LIMIT;
    ensures \result.status != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs) && zen_slab_cache_kept{Pre, Post}(c);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures give || \result.status == ZEN_OK ==> zen_kmem_zone_places_kept{Pre, Post}(k);
    ensures zen_slab_busy_lists_kept{Pre, Post}(c);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static zen_kmem_block zen_slab_zone_call(zen_kmem *k, zen_slab_cache *c, bool give, zen_pfn pfn, unsigned order,
                                         unsigned zflags, uint32_t r)
{
    /*@ assert \forall integer p; 0 <= p < k->nslabs ==> \separated(&k->slabs[p], k->zones); */
    /*@ assert \forall integer p; 0 <= p < k->nslabs ==>
          \separated(&k->slabs[p], k->zones->words + (0 .. k->zones->nwords - 1)); */
    /*@ assert \separated(c, k->zones) && \separated(c, k->zones->words + (0 .. k->zones->nwords - 1)) &&
          \separated(c, k->zones->frames + (0 .. k->zones->nframes - 1)); */
    /*@ assert \separated(&c->stats.in_use, &k->zones->stats) &&
          \separated(&c->stats.in_use, &k->zones->stats.rejected) &&
          \separated(&c->stats.in_use, &k->zones->zone[0 .. ZEN_ZONE_COUNT - 1].pages.stats) &&
          \separated(&c->stats.in_use, k->zones->words + (0 .. k->zones->nwords - 1)); */
    zen_kmem_block got = zen_slab_zone_op(k, give, pfn, order, zen_slab_max_zone(c->flags), zflags, r);
    /*@ assert k->slabs == \at(k->slabs, Pre) && k->nslabs == \at(k->nslabs, Pre) && k->zones == \at(k->zones, Pre); */
    /*@ ghost uint32_t q = 0; */
    /*@ ghost
      /@ loop invariant 0 <= q <= k->nslabs;
         loop invariant \forall integer p; 0 <= p < q ==> zen_slab_record_kept{Pre, Here}(k, p);
         loop assigns q;
         loop variant k->nslabs - q; @/
      for (q = 0; q < k->nslabs; q++) {
        /@ assert \let j = (integer)q; \at(\separated(&k->slabs[j], k->zones) &&
                                           \separated(&k->slabs[j], k->zones->words + (0 .. k->zones->nwords - 1)), Pre); @/
        /@ assert \let j = (integer)q; \at(\separated(&k->slabs[j].pfn, &k->zones->stats) &&
                                           \separated(&k->slabs[j].pfn, &k->zones->zone[0 .. ZEN_ZONE_COUNT - 1].pages.stats) &&
                                           \separated(&k->slabs[j].pfn, k->zones->words + (0 .. k->zones->nwords - 1)), Pre); @/
        /@ assert \let j = (integer)q; \at(\forall integer w; 0 <= w < ZEN_SLAB_MAP_WORDS ==>
                   \separated(&k->slabs[j].free_map[w], &k->zones->stats) &&
                   \separated(&k->slabs[j].free_map[w], &k->zones->zone[0 .. ZEN_ZONE_COUNT - 1].pages.stats) &&
                   \separated(&k->slabs[j].free_map[w], k->zones->words + (0 .. k->zones->nwords - 1)), Pre); @/
        /@ assert \let j = (integer)q; k->slabs[j].pfn == \at(k->slabs[j].pfn, Pre) &&
                   \forall integer w; 0 <= w < ZEN_SLAB_MAP_WORDS ==>
                     k->slabs[j].free_map[w] == \at(k->slabs[j].free_map[w], Pre); @/
        /@ assert zen_slab_record_kept{Pre, Here}(k, (integer)q); @/
      }
    */
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert c->stats.in_use == \at(c->stats.in_use, Pre); */
    /*@ assert c->kmem == \at(c->kmem, Pre); */
    /*@ assert c->stride == \at(c->stride, Pre) && c->nslots == \at(c->nslots, Pre); */
    /*@ assert c->align == \at(c->align, Pre); */
    /*@ assert c->order == \at(c->order, Pre); */
    /*@ assert c->head[ZEN_SLAB_PARTIAL - 1] == \at(c->head[ZEN_SLAB_PARTIAL - 1], Pre); */
    /*@ assert c->head[ZEN_SLAB_FULL - 1] == \at(c->head[ZEN_SLAB_FULL - 1], Pre); */
    /*@ assert zen_slab_cache_kept{Pre, Here}(c); */
    /*@ assert got.status != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c); */
    /*@ assert give || got.status == ZEN_OK ==> zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert give || got.status == ZEN_OK ==> zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_slab_busy_lists_kept{Pre, Here}(c); */
    return got;
}

/* Make a new empty slab for c in the first spare record: a block from the
 * zones owned by the slab layer with the record as tag, every slot
 * constructed. On failure nothing is taken: ZEN_ERR_NOMEM without a spare
 * record, when the fault injection refuses, or when the zones do. The
 * caller reads the record's index from k->spare before the call. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires zen_slab_geometry(c) && zflags <= ZEN_ZONE_ATOMIC;
    assigns k->spare, k->stats.spare_records, k->slabs[0 .. k->nslabs - 1],
            c->head[0 .. ZEN_SLAB_LISTS - 1], c->stats.slabs, c->stats.empty_slabs,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
    ensures \result != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    ensures zen_slab_cache_kept{Pre, Post}(c);
    // A new slab: the record that was the first spare, now c's, every slot free.
    ensures \result == ZEN_OK ==> \let q = \old(k->spare); q < k->nslabs && \old(k->slabs[q].cache) == \null &&
      k->slabs[q].cache == c && k->slabs[q].nfree == c->nslots &&
      (\forall integer i; 0 <= i < c->nslots ==> zen_slab_slot_free(k, q, i));
    // Other records keep their slots, cache and block:
    ensures \result == ZEN_OK ==> \forall integer q; 0 <= q < k->nslabs && q != \old(k->spare) ==>
      zen_slab_record_kept{Pre, Post}(k, q);
    ensures \result != ZEN_OK ==> \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures \result == ZEN_OK ==> zen_kmem_zone_places_kept{Pre, Post}(k);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static zen_status zen_slab_grow(zen_kmem *k, zen_slab_cache *c, unsigned zflags)
{
    uint32_t r = k->spare;
    if (r >= k->nslabs)
        return r == ZEN_SLAB_NONE ? ZEN_ERR_NOMEM : ZEN_ERR_CORRUPT;
    if (k->slabs[r].cache != 0 || k->slabs[r].list != ZEN_SLAB_SPARE)
        return ZEN_ERR_CORRUPT;
    zen_kmem_block got = zen_slab_zone_call(k, c, false, 0, c->order, zflags, r);
    zen_status st = got.status;
    zen_pfn pfn = got.pfn;
    if (st != ZEN_OK)
        return st;
Got: __attribute__((unused));
    /*@ assert zen_slab_geometry(c); */
    /*@ assert zen_kmem_valid(k) && zen_kmem_zones_apart(k, c); */
    /*@ assert zen_kmem_zone_places_kept{Pre, Here}(k); */
    /* The block is c's from here on and nothing reads its objects until the
     * record is claimed, so they are constructed first: the geometry is
     * then read before the claim writes the record. */
    zen_slab_construct_all(c, pfn);
    zen_slab_claim(k, c, r, pfn);
    /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Got, Here}(k, q); */
    /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Got}(k, q); */
    /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==>
          zen_slab_record_kept{Got, Here}(k, q) && zen_slab_record_kept{Pre, Got}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert zen_slab_cache_kept{Got, Here}(c) && zen_slab_cache_kept{Pre, Got}(c) &&
          zen_slab_cache_kept{Pre, Here}(c); */
    /*@ assert zen_kmem_valid(k) && zen_kmem_zones_apart(k, c); */
    /*@ assert zen_kmem_zone_places_kept{Got, Here}(k); */
    /*@ assert zen_kmem_zone_places_kept{Pre, Got}(k); */
    /*@ assert k->zones == \at(k->zones, Pre); */
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_zone_places_kept{Pre, Here}(k); */
    return ZEN_OK;
}

/* Count a slab of c returned to the zones. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    assigns c->stats.slabs, c->stats.empty_slabs;
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs) && zen_slab_cache_kept{Pre, Post}(c);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_zone_places_kept{Pre, Post}(k);
 */
static void zen_slab_count_gone(zen_kmem *k, zen_slab_cache *c)
{
    (void)k; /* named by the contract only */
    c->stats.slabs--;
    c->stats.empty_slabs--;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Put record r, spare now, at the head of the spare list. */
/*@ requires zen_kmem_valid(k) && r < k->nslabs;
    assigns k->spare, k->stats.spare_records;
    ensures zen_kmem_valid(k) && k->spare == r;
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_zone_places_kept{Pre, Post}(k);
 */
static void zen_slab_respare(zen_kmem *k, uint32_t r)
{
    k->spare = r;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
Linked: __attribute__((unused));
    k->stats.spare_records++;
    /*@ assert zen_zone_set_same_shape{Linked, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Make record r, an empty slab of c whose block the zones have back,
 * spare: off c's empty list, counted, rewritten whole as a spare record
 * (built in a local, as the claim builds a new slab) and put at the head
 * of the spare list. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires r < k->nslabs && k->slabs[r].list == ZEN_SLAB_EMPTY;
    assigns k->spare, k->stats.spare_records, ZEN_KMEM_RECORD_WRITES(k),
            c->head[ZEN_SLAB_EMPTY - 1], c->stats.slabs, c->stats.empty_slabs;
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs) && zen_slab_cache_kept{Pre, Post}(c);
    ensures k->slabs[r].cache == \null && k->slabs[r].list == ZEN_SLAB_SPARE && k->spare == r;
    ensures \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_zone_places_kept{Pre, Post}(k) && zen_slab_busy_lists_kept{Pre, Post}(c);
 */
static void zen_slab_unclaim(zen_kmem *k, zen_slab_cache *c, uint32_t r)
{
    zen_slab_unlink(k, c, r);
    /*@ assert zen_slab_busy_lists_kept{Pre, Here}(c); */
Unlinked: __attribute__((unused));
    zen_slab_count_gone(k, c);
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==>
          zen_slab_record_kept{Pre, Unlinked}(k, q) && zen_slab_record_kept{Unlinked, Here}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert zen_slab_cache_kept{Pre, Here}(c); */
    /*@ assert zen_kmem_zone_places_kept{Pre, Unlinked}(k) && zen_kmem_zone_places_kept{Unlinked, Here}(k); */
    /*@ assert k->zones == \at(k->zones, Pre); */
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_slab_busy_lists_kept{Pre, Here}(c); */
Counted: __attribute__((unused));
    zen_slab spare;
    zen_slab_make_spare(&spare, k->spare);
    zen_slab_store(k, c, r, &spare);
    /*@ assert zen_slab_busy_lists_kept{Counted, Here}(c); */
    /*@ assert zen_slab_busy_lists_kept{Pre, Here}(c); */
Stored: __attribute__((unused));
    zen_slab_respare(k, r);
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Stored, Here}(k, q); */
    /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==>
          zen_slab_record_kept{Counted, Stored}(k, q) && zen_slab_record_kept{Stored, Here}(k, q) &&
          zen_slab_record_kept{Counted, Here}(k, q) && zen_slab_record_kept{Pre, Counted}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert zen_kmem_zone_places_kept{Counted, Stored}(k) && zen_kmem_zone_places_kept{Stored, Here}(k); */
    /*@ assert k->zones == \at(k->zones, Pre); */
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_zone_places_kept{Pre, Here}(k); */
    /*@ assert zen_slab_records_ok(k) && zen_slab_cache_apart(k, c); */
    /*@ assert c->head[ZEN_SLAB_PARTIAL - 1] == \at(c->head[ZEN_SLAB_PARTIAL - 1], Pre); */
    /*@ assert c->head[ZEN_SLAB_FULL - 1] == \at(c->head[ZEN_SLAB_FULL - 1], Pre); */
}

/* Return the empty slab in record r to the zones and the record to the
 * spare list. ZEN_ERR_CORRUPT, the records and c as they were, when r is
 * not an empty slab of c on c's empty list (its free count is checked too,
 * so a broken list field never returns a block with live objects), or
 * when the zones refuse the block. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires r < k->nslabs;
    assigns k->spare, k->stats.spare_records, ZEN_KMEM_RECORD_WRITES(k),
            c->head[ZEN_SLAB_EMPTY - 1], c->stats.slabs, c->stats.empty_slabs,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs) && zen_slab_cache_kept{Pre, Post}(c);
    // Only an empty slab of c goes, and its record is spare then:
    ensures \result == ZEN_OK ==> \old(k->slabs[r].cache) == c && \old(k->slabs[r].nfree) == c->nslots &&
      k->slabs[r].cache == \null && k->slabs[r].list == ZEN_SLAB_SPARE;
    ensures \result != ZEN_OK ==> zen_slab_record_kept{Pre, Post}(k, r);
    ensures \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_zone_places_kept{Pre, Post}(k) && zen_slab_busy_lists_kept{Pre, Post}(c);
 */
static zen_status zen_slab_release(zen_kmem *k, zen_slab_cache *c, uint32_t r)
{
    if (k->slabs[r].list != ZEN_SLAB_EMPTY || k->slabs[r].cache != c || k->slabs[r].nfree != c->nslots)
        return ZEN_ERR_CORRUPT;
    if (zen_slab_zone_call(k, c, true, k->slabs[r].pfn, k->slabs[r].order, 0, r).status != ZEN_OK)
        return ZEN_ERR_CORRUPT;
Freed: __attribute__((unused));
    zen_slab_unclaim(k, c, r);
    /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==>
          zen_slab_record_kept{Pre, Freed}(k, q) && zen_slab_record_kept{Freed, Here}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert zen_kmem_zone_places_kept{Pre, Freed}(k) && zen_kmem_zone_places_kept{Freed, Here}(k); */
    /*@ assert k->zones == \at(k->zones, Pre); */
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    return ZEN_OK;
}

/* What zen_slab_release_empty answers: a status and how many slabs went
 * back. Returned by value, as zen_kmem_block is. */
typedef struct zen_slab_released {
    zen_status status;
    uint64_t slabs;
} zen_slab_released;

/* Release every empty slab of c, counting them. The walk is bounded by the
 * pool, so a cyclic list ends as ZEN_ERR_CORRUPT. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    assigns k->spare, k->stats.spare_records, ZEN_KMEM_RECORD_WRITES(k),
            c->head[ZEN_SLAB_EMPTY - 1], c->stats.slabs, c->stats.empty_slabs,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures \result.status == ZEN_OK || \result.status == ZEN_ERR_CORRUPT;
    ensures \result.status == ZEN_OK ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c) &&
      c->head[ZEN_SLAB_EMPTY - 1] == ZEN_SLAB_NONE;
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs) && zen_slab_cache_kept{Pre, Post}(c);
    ensures \forall integer q; 0 <= q < k->nslabs &&
      (\old(k->slabs[q].cache) != c || \old(k->slabs[q].nfree) != c->nslots) ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures \result.slabs <= k->nslabs;
    ensures zen_kmem_zone_places_kept{Pre, Post}(k) && zen_slab_busy_lists_kept{Pre, Post}(c);
 */
static zen_slab_released zen_slab_release_empty(zen_kmem *k, zen_slab_cache *c)
{
    zen_slab_released out = { ZEN_OK, 0 };
    /* The loop's frame names the pool and the zone set's arrays through
     * ghost copies of their pointers, which the invariant keeps equal to
     * the kmem's: the releases' frames then fall inside it. */
    /*@ ghost zen_slab *slabs = k->slabs; */
    /*@ ghost zen_zone_set *zones = k->zones; */
    /*@ ghost zen_page_frame *frames = k->zones->frames; */
    /*@ ghost uint64_t *words = k->zones->words; */
    /*@ loop invariant out.slabs <= k->nslabs && (out.status == ZEN_OK || out.status == ZEN_ERR_CORRUPT);
        loop invariant out.status == ZEN_OK ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
        loop invariant zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
        loop invariant k->slabs == slabs && k->nslabs == \at(k->nslabs, Pre);
        loop invariant k->zones == zones && zones->frames == frames && zones->words == words;
        loop invariant zen_kmem_zone_places_kept{Pre, Here}(k) && zen_slab_busy_lists_kept{Pre, Here}(c);
        loop invariant zones->nframes == \at(k->zones->nframes, Pre) && zones->nwords == \at(k->zones->nwords, Pre);
        loop invariant zen_slab_cache_kept{Pre, Here}(c);
        loop invariant \forall integer q; 0 <= q < k->nslabs &&
          (\at(k->slabs[q].cache, Pre) != c || \at(k->slabs[q].nfree, Pre) != c->nslots) ==>
          zen_slab_record_kept{Pre, Here}(k, q);
        loop assigns out, k->spare, k->stats.spare_records,
          slabs[0 .. \at(k->nslabs, Pre) - 1], slabs[0 .. \at(k->nslabs, Pre) - 1].next,
          slabs[0 .. \at(k->nslabs, Pre) - 1].prev, slabs[0 .. \at(k->nslabs, Pre) - 1].list,
          c->head[ZEN_SLAB_EMPTY - 1], c->stats.slabs, c->stats.empty_slabs,
          zones->stats, frames[0 .. \at(k->zones->nframes, Pre) - 1], words[0 .. \at(k->zones->nwords, Pre) - 1],
          zones->zone[0 .. ZEN_ZONE_COUNT - 1].pages.stats;
        loop variant k->nslabs - out.slabs + (out.status == ZEN_OK ? 1 : 0); */
    while (out.status == ZEN_OK && c->head[ZEN_SLAB_EMPTY - 1u] != ZEN_SLAB_NONE) {
        uint32_t r = c->head[ZEN_SLAB_EMPTY - 1u];
        if (r >= k->nslabs || out.slabs >= k->nslabs) {
            out.status = ZEN_ERR_CORRUPT;
        } else {
Before: __attribute__((unused));
            out.status = zen_slab_release(k, c, r);
            /* A record kept so far is not one the release may take. */
            /*@ assert \forall integer q; 0 <= q < k->nslabs &&
                  (\at(k->slabs[q].cache, Pre) != c || \at(k->slabs[q].nfree, Pre) != c->nslots) ==>
                  zen_slab_record_kept{Before, Here}(k, q); */
            /*@ assert \forall integer q; 0 <= q < k->nslabs &&
                  (\at(k->slabs[q].cache, Pre) != c || \at(k->slabs[q].nfree, Pre) != c->nslots) ==>
                  zen_slab_record_kept{Pre, Before}(k, q) && zen_slab_record_kept{Before, Here}(k, q) &&
                  zen_slab_record_kept{Pre, Here}(k, q); */
            /*@ assert zen_kmem_zone_places_kept{Pre, Before}(k) && zen_kmem_zone_places_kept{Before, Here}(k); */
            /*@ assert k->zones == \at(k->zones, Pre); */
            /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
            /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
            if (out.status == ZEN_OK)
                out.slabs++;
        }
    }
    return out;
}

/* ---- caches ------------------------------------------------------------------- */

/* c is a cache of k that has not been destroyed. */
/*@ requires \valid_read(c);
    assigns \nothing;
    ensures \result != 0 <==> c->kmem == k;
 */
static int zen_slab_cache_ok(const zen_kmem *k, const zen_slab_cache *c)
{
    return c != 0 && c->kmem == k;
}

/* Lemma function (ghost): a quotient times its divisor does not exceed
 * the dividend, nor does the quotient, which is at least 1 when the
 * divisor does not exceed the dividend: the lemmas zen_div_bounds and
 * zen_div_mul_bound at a and b, so that a caller names the instance. */
/*@ ghost
  /@ requires 1 <= b;
     assigns \nothing;
     ensures (a / b) * b <= a;
     ensures 0 <= a / b <= a;
     ensures b <= a ==> 1 <= a / b;
   @/
  void zen_div_mul_le(uint64_t a, uint64_t b)
  {
    /@ assert 0 <= a / b <= a && (b <= a ==> 1 <= a / b); @/
    /@ assert 0 <= (a / b) * b <= a; @/
  }
*/

/* Lemma function (ghost): multiplying by s keeps the order. In this
 * file's context the provers take up to a minute on this product (stated
 * as a lemma, it is no quicker: no instance is found), so the slab gate
 * gives this function's goal a longer timeout. */
/*@ ghost
  /@ requires x <= y;
     assigns \nothing;
     ensures x * s <= y * s;
   @/
  void zen_mul_le(uint64_t x, uint64_t y, uint64_t s)
  {
  }
*/

/* Lemma function (ghost): the 1/8 rule for order o, in terms of the
 * slab's bytes and slot count. */
/*@ ghost
  /@ requires 1 <= stride && bytes == zen_slab_bytes(o) && n == zen_slab_slots_at(stride, o);
     assigns \nothing;
     ensures zen_slab_order_fits(stride, o) <==> 1 <= n && (bytes - n * stride) * 8 <= bytes;
     ensures n <= ZEN_SLAB_MAX_SLOTS && 0 <= n * stride <= bytes;
   @/
  void zen_slab_fits_by(uint64_t stride, unsigned o, uint64_t bytes, uint64_t n)
  {
    /@ assert zen_slab_order_fits(stride, o) <==> 1 <= n && (bytes - n * stride) * 8 <= bytes; @/
    zen_div_mul_le(bytes, stride);
    uint64_t q = bytes / stride;
    /@ assert q == bytes / stride; @/
    /@ assert n == (q > ZEN_SLAB_MAX_SLOTS ? ZEN_SLAB_MAX_SLOTS : q); @/
    zen_mul_le(0, n, stride);
    if (q > ZEN_SLAB_MAX_SLOTS) {
      zen_mul_le(ZEN_SLAB_MAX_SLOTS, q, stride);
      /@ assert n * stride <= q * stride; @/
    }
  }
*/

/* How many stride-byte slots fit in bytes, at most ZEN_SLAB_MAX_SLOTS. */
/*@ requires 1 <= stride;
    assigns \nothing;
    ensures \result == (bytes / stride > ZEN_SLAB_MAX_SLOTS ? ZEN_SLAB_MAX_SLOTS : bytes / stride);
    ensures \result <= ZEN_SLAB_MAX_SLOTS && 0 <= \result * stride <= bytes;
    ensures stride <= bytes ==> 1 <= \result;
 */
static uint64_t zen_slab_slots_in(uint64_t bytes, uint64_t stride)
{
    /*@ ghost zen_div_mul_le(bytes, stride); */
    uint64_t n = bytes / stride;
    /*@ assert n == bytes / stride; */
    if (n > ZEN_SLAB_MAX_SLOTS) {
        /*@ ghost zen_mul_le(ZEN_SLAB_MAX_SLOTS, n, stride); */
        n = ZEN_SLAB_MAX_SLOTS;
    }
    /*@ ghost zen_mul_le(0, n, stride); */
    return n;
}

/* What n stride-byte slots leave of bytes. */
/*@ requires 0 <= n * stride <= bytes;
    assigns \nothing;
    ensures \result == bytes - n * stride;
 */
static uint64_t zen_slab_leftover(uint64_t bytes, uint64_t n, uint64_t stride)
{
    return bytes - n * stride;
}

/* A leftover of waste is at most 1/8 of bytes. */
/*@ requires waste <= bytes <= 16 * ZEN_PAGE_SIZE;
    assigns \nothing;
    ensures \result != 0 <==> waste * 8 <= bytes;
 */
static int zen_slab_within_eighth(uint64_t waste, uint64_t bytes)
{
    return waste * 8u <= bytes;
}

/* A leftover of waste in bytes is a smaller share than best_waste in
 * best_bytes, compared crosswise (slabs are small enough not to wrap). */
/*@ assigns \nothing; */
static int zen_slab_wastes_less(uint64_t waste, uint64_t bytes, uint64_t best_waste, uint64_t best_bytes)
{
    return waste * best_bytes < best_waste * bytes;
}

/* The order of a slab of stride-byte slots: the smallest order whose
 * leftover is at most 1/8 of the slab, else the one with the smallest
 * leftover share (compared crosswise: waste / bytes < best_waste /
 * best_bytes). */
/*@ requires ZEN_SLAB_MIN_ALIGN <= stride <= ZEN_SLAB_MAX_SIZE && \valid(nslots);
    assigns *nslots;
    ensures \result <= ZEN_SLAB_MAX_ORDER && *nslots == zen_slab_slots_at(stride, \result);
    ensures 1 <= *nslots <= ZEN_SLAB_MAX_SLOTS && *nslots * stride <= zen_slab_bytes(\result);
    ensures (\exists integer o; 0 <= o <= ZEN_SLAB_MAX_ORDER && zen_slab_order_fits(stride, o)) ==>
      zen_slab_order_fits(stride, \result) &&
      \forall integer o; 0 <= o < \result ==> !zen_slab_order_fits(stride, o);
 */
static unsigned zen_slab_pick_order(uint64_t stride, uint32_t *nslots)
{
    unsigned best = ZEN_SLAB_MAX_ORDER + 1u;
    uint64_t best_slots = 0, best_waste = 0, best_bytes = 1;
    uint64_t bytes = ZEN_PAGE_SIZE;
    /*@ loop invariant 0 <= o <= ZEN_SLAB_MAX_ORDER + 1 && bytes == zen_slab_bytes(o);
        // The same, spelled out: the provers bound bytes from this form.
        loop invariant (o == 0 && bytes == ZEN_PAGE_SIZE) || (o == 1 && bytes == 2 * ZEN_PAGE_SIZE) ||
          (o == 2 && bytes == 4 * ZEN_PAGE_SIZE) || (o == 3 && bytes == 8 * ZEN_PAGE_SIZE) ||
          (o == 4 && bytes == 16 * ZEN_PAGE_SIZE);
        loop invariant \forall integer p; 0 <= p < o ==> !zen_slab_order_fits(stride, p);
        loop invariant best <= ZEN_SLAB_MAX_ORDER ==> best < o && best_slots == zen_slab_slots_at(stride, best) &&
          1 <= best_slots && best_bytes == zen_slab_bytes(best);
        loop invariant best > ZEN_SLAB_MAX_ORDER ==> best == ZEN_SLAB_MAX_ORDER + 1 && o <= ZEN_SLAB_MAX_ORDER;
        loop assigns o, bytes, best, best_slots, best_waste, best_bytes;
        loop variant ZEN_SLAB_MAX_ORDER + 1 - o; */
    for (unsigned o = 0; o <= ZEN_SLAB_MAX_ORDER; o++) {
        uint64_t n = zen_slab_slots_in(bytes, stride);
        /*@ assert n == zen_slab_slots_at(stride, o); */
        /*@ ghost zen_slab_fits_by(stride, o, bytes, n); */
        if (n != 0u) {
            uint64_t waste = zen_slab_leftover(bytes, n, stride);
            if (zen_slab_within_eighth(waste, bytes)) {
                /*@ assert 1 <= n <= ZEN_SLAB_MAX_SLOTS && n * stride <= zen_slab_bytes(o); */
                *nslots = (uint32_t)n;
                /*@ assert *nslots == n; */
                return o;
            }
            if (best > ZEN_SLAB_MAX_ORDER || zen_slab_wastes_less(waste, bytes, best_waste, best_bytes)) {
                best = o;
                best_slots = n;
                best_waste = waste;
                best_bytes = bytes;
            }
        }
        /*@ assert !zen_slab_order_fits(stride, o); */
        /*@ assert zen_block_size(o + 1) == 2 * zen_block_size(o); */
        bytes *= 2u;
    }
    /*@ ghost zen_slab_fits_by(stride, best, best_bytes, best_slots); */
    /*@ assert best <= ZEN_SLAB_MAX_ORDER && 1 <= best_slots <= ZEN_SLAB_MAX_SLOTS &&
          best_slots * stride <= zen_slab_bytes(best); */
    *nslots = (uint32_t)best_slots;
    /*@ assert *nslots == best_slots; */
    return best;
}

/* A cache's alignment: align, or ZEN_SLAB_MIN_ALIGN for 0. */
/*@ assigns \nothing;
    ensures \result == zen_slab_align_of(align);
 */
static inline uint64_t zen_slab_align_for(uint64_t align)
{
    return align == 0u ? ZEN_SLAB_MIN_ALIGN : align;
}

/* The stride of objects of size bytes (size > 0) at alignment a, a divisor
 * of the page size: size rounded up to a, and at least 8. 0 when rounding
 * up overflows. */
/*@ requires 0 < size && 1 <= a <= ZEN_PAGE_SIZE && ZEN_PAGE_SIZE % a == 0;
    assigns \nothing;
    ensures size > 0xFFFFFFFFFFFFFFFF - (a - 1) ==> \result == 0;
    ensures size <= 0xFFFFFFFFFFFFFFFF - (a - 1) ==>
      \result == zen_slab_stride_of(size, a) && ZEN_SLAB_MIN_ALIGN <= \result && \result % a == 0;
 */
static uint64_t zen_slab_stride_for(uint64_t size, uint64_t a)
{
    if (size > UINT64_MAX - (a - 1u))
        return 0;
    uint64_t rounded = size + (a - 1u);
    /*@ ghost zen_div_mul_le(rounded, a); */
    /*@ ghost zen_div_mul_gt(rounded, a); */
    /*@ ghost zen_mod_self(a); */
    /*@ ghost zen_mul_of_multiple(rounded / a, a, a); */
    uint64_t stride = rounded / a * a;
    /*@ assert stride == (size + a - 1) / a * a; */
    if (stride < ZEN_SLAB_MIN_ALIGN) {
        /* Then the alignment, a divisor of the page size below 8, divides 8. */
        /*@ ghost zen_mul_le(1, rounded / a, a); */
        /*@ assert a < ZEN_SLAB_MIN_ALIGN && ZEN_PAGE_SIZE % a == 0; */
        /*@ assert a != 3; */
        /*@ assert a != 5; */
        /*@ assert a != 6; */
        /*@ assert a != 7; */
        stride = ZEN_SLAB_MIN_ALIGN;
    }
    /*@ assert stride % a == 0; */
    /*@ assert stride == zen_slab_stride_of(size, a); */
    return stride;
}

/* Check a cache request (size, alignment, flags): ZEN_OK, or the error
 * zen_slab_cache_create answers for it. */
/*@ assigns \nothing;
    behavior bad_request:
      assumes zen_slab_request_bad(size, align, flags);
      ensures \result == ZEN_ERR_INVAL;
    behavior overflow:
      assumes !zen_slab_request_bad(size, align, flags) && zen_slab_request_overflows(size, align);
      ensures \result == ZEN_ERR_OVERFLOW;
    behavior too_large:
      assumes !zen_slab_request_bad(size, align, flags) && !zen_slab_request_overflows(size, align);
      assumes zen_slab_stride_of(size, zen_slab_align_of(align)) > ZEN_SLAB_MAX_SIZE;
      ensures \result == ZEN_ERR_INVAL;
    behavior made:
      assumes !zen_slab_request_bad(size, align, flags) && !zen_slab_request_overflows(size, align);
      assumes zen_slab_stride_of(size, zen_slab_align_of(align)) <= ZEN_SLAB_MAX_SIZE;
      ensures \result == ZEN_OK;
    complete behaviors;
    disjoint behaviors;
 */
static zen_status zen_slab_request_check(uint64_t size, uint64_t align, unsigned flags)
{
    uint64_t a = zen_slab_align_for(align);
    /* Up to a page, a power of two is exactly a divisor of the page size. */
    if (size == 0u || a > ZEN_PAGE_SIZE || ZEN_PAGE_SIZE % a != 0u ||
        flags > ZEN_SLAB_FLAGS_ALL || (flags & (ZEN_SLAB_DMA | ZEN_SLAB_DMA32)) == (ZEN_SLAB_DMA | ZEN_SLAB_DMA32))
        return ZEN_ERR_INVAL;
    uint64_t stride = zen_slab_stride_for(size, a);
    if (stride == 0u)
        return ZEN_ERR_OVERFLOW;
    return stride > ZEN_SLAB_MAX_SIZE ? ZEN_ERR_INVAL : ZEN_OK;
}

/* A new cache's counters: all zero. */
/*@ requires \valid(s);
    assigns *s;
    ensures s->in_use == 0 && s->peak_in_use == 0 && s->slabs == 0 && s->empty_slabs == 0;
    ensures s->allocs == 0 && s->oom_count == 0 && s->rejected == 0;
 */
static void zen_slab_stats_clear(zen_slab_cache_stats *s)
{
    s->in_use = 0;
    s->peak_in_use = 0;
    s->slabs = 0;
    s->empty_slabs = 0;
    s->allocs = 0;
    s->oom_count = 0;
    s->rejected = 0;
}

zen_status zen_slab_cache_setup(zen_kmem *k, zen_slab_cache *c, uint64_t size, uint64_t align,
                                zen_slab_ctor_fn ctor, void *ctor_ctx, unsigned flags)
{
    zen_status st = zen_slab_request_check(size, align, flags);
    if (st != ZEN_OK)
        return st;
    uint64_t a = zen_slab_align_for(align);
    uint64_t stride = zen_slab_stride_for(size, a);
    uint32_t nslots = 0;
    unsigned order = zen_slab_pick_order(stride, &nslots);
    c->kmem = k;
    c->size = (uint32_t)size;
    c->align = (uint32_t)a;
    c->stride = (uint32_t)stride;
    c->nslots = nslots;
    c->order = order;
    c->flags = flags;
    c->kmalloc_class = 0;
    c->ctor = ctor;
    c->ctor_ctx = ctor_ctx;
    /*@ loop invariant 0 <= l <= ZEN_SLAB_LISTS;
        loop invariant \forall integer j; 0 <= j < l ==> c->head[j] == ZEN_SLAB_NONE;
        loop assigns l, c->head[0 .. ZEN_SLAB_LISTS - 1];
        loop variant ZEN_SLAB_LISTS - l; */
    for (unsigned l = 0; l < ZEN_SLAB_LISTS; l++)
        c->head[l] = ZEN_SLAB_NONE;
    zen_slab_stats_clear(&c->stats);
    /*@ assert c->stride == stride && c->order == order && c->nslots == nslots && c->align == a; */
    /*@ assert 1 <= c->align <= ZEN_PAGE_SIZE && ZEN_PAGE_SIZE % c->align == 0; */
    /*@ assert ZEN_SLAB_MIN_ALIGN <= c->stride <= ZEN_SLAB_MAX_SIZE && c->stride % c->align == 0; */
    /*@ assert c->order <= ZEN_SLAB_MAX_ORDER && 1 <= c->nslots <= ZEN_SLAB_MAX_SLOTS; */
    /*@ assert c->nslots * c->stride <= ZEN_PAGE_SIZE * zen_block_size(c->order); */
    return ZEN_OK;
}

zen_status zen_slab_cache_create(zen_kmem *k, zen_slab_cache *c, uint64_t size, uint64_t align,
                                 zen_slab_ctor_fn ctor, void *ctor_ctx, unsigned flags)
{
    zen_hooks_enter(&k->hooks);
    /* The request is checked before c is written, so a refused one leaves c
     * as it was. */
    zen_status st = zen_slab_request_check(size, align, flags);
    if (st != ZEN_OK) {
        zen_kmem_count_rejected(k);
    } else {
        st = zen_slab_cache_setup(k, c, size, align, ctor, ctor_ctx, flags);
        /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
        /*@ assert zen_kmem_kept{Pre, Here}(k); */
    }
    zen_hooks_leave(&k->hooks);
    return st;
}

/* Count an allocation of c. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    assigns c->stats.in_use, c->stats.allocs, c->stats.peak_in_use;
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_count_alloc(zen_kmem *k, zen_slab_cache *c)
{
    (void)k; /* named by the contract only */
    c->stats.in_use++;
    c->stats.allocs++;
    if (c->stats.in_use > c->stats.peak_in_use)
        c->stats.peak_in_use = c->stats.in_use;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Count an allocation of c answered ZEN_ERR_NOMEM. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    assigns c->stats.oom_count;
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures zen_slab_cache_kept{Pre, Post}(c);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_count_oom(zen_kmem *k, zen_slab_cache *c)
{
    (void)k; /* named by the contract only */
    c->stats.oom_count++;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Count a refused free of c. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    assigns c->stats.rejected;
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures zen_slab_cache_kept{Pre, Post}(c);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static void zen_slab_count_rejected(zen_kmem *k, zen_slab_cache *c)
{
    (void)k; /* named by the contract only */
    c->stats.rejected++;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

/* Take the lowest free slot of c's slab r for *obj, move the slab to the
 * list its free count calls for, and count the allocation. ZEN_ERR_CORRUPT
 * when the record has no free slot or names no list. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires zen_slab_geometry(c) && r < k->nslabs && k->slabs[r].cache == c;
    requires \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) && \separated(obj, c) &&
      zen_zone_writes_apart(k->zones, obj);
    assigns *obj, k->slabs[r].free_map[0 .. ZEN_SLAB_MAP_WORDS - 1], k->slabs[r].nfree,
            k->slabs[0 .. k->nslabs - 1].next, k->slabs[0 .. k->nslabs - 1].prev,
            k->slabs[0 .. k->nslabs - 1].list, c->head[0 .. ZEN_SLAB_LISTS - 1],
            c->stats.empty_slabs, c->stats.in_use, c->stats.allocs, c->stats.peak_in_use;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures c->kmem == \old(c->kmem) && c->stride == \old(c->stride) && c->nslots == \old(c->nslots) &&
      c->align == \old(c->align) && c->order == \old(c->order);
    ensures \result == ZEN_OK ==> \exists integer i; zen_slab_taken{Pre, Post}(k, c, r, i, *obj);
    ensures \result == ZEN_OK ==> *obj % c->align == 0;
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static zen_status zen_slab_take_from(zen_kmem *k, zen_slab_cache *c, uint32_t r, zen_paddr *obj)
{
    /* After the take the zone set's shape is stated in its parts, which the
     * provers carry across the record writes one at a time, then the kmem
     * kept, from which zen_kmem_valid_kept gives the validity. */
    zen_status st = zen_slab_take_slot(k, c, r, obj);
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_places{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_levels{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_trees{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
    /*@ assert zen_kmem_valid(k) && zen_kmem_zones_apart(k, c); */
    /*@ assert k->slabs == \at(k->slabs, Pre) && k->nslabs == \at(k->nslabs, Pre); */
    /*@ assert \forall integer p; 0 <= p < k->nslabs && p != r ==> zen_slab_record_kept{Pre, Here}(k, p); */
    if (st != ZEN_OK)
        return st;
    /*@ assert \exists integer i; zen_slab_taken{Pre, Here}(k, c, r, i, *obj); */
Taken: __attribute__((unused));
    st = zen_slab_place(k, c, r);
    /*@ assert zen_kmem_valid(k) && zen_kmem_zones_apart(k, c); */
    /*@ assert k->slabs == \at(k->slabs, Pre) && k->nslabs == \at(k->nslabs, Pre); */
    if (st != ZEN_OK)
        return st;
Placed: __attribute__((unused));
    zen_slab_count_alloc(k, c);
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==>
          zen_slab_record_kept{Taken, Placed}(k, q) && zen_slab_record_kept{Placed, Here}(k, q) &&
          zen_slab_record_kept{Taken, Here}(k, q); */
    /*@ assert \forall integer p; 0 <= p < k->nslabs && p != r ==>
          zen_slab_record_kept{Pre, Taken}(k, p) && zen_slab_record_kept{Taken, Here}(k, p) &&
          zen_slab_record_kept{Pre, Here}(k, p); */
    /*@ assert zen_slab_record_kept{Taken, Here}(k, r); */
    /*@ assert \forall integer w; 0 <= w < ZEN_SLAB_MAP_WORDS ==>
          k->slabs[r].free_map[w] == \at(k->slabs[r].free_map[w], Taken); */
    /*@ assert k->slabs[r].pfn == \at(k->slabs[r].pfn, Taken) && *obj == \at(*obj, Taken) &&
          k->slabs[r].cache == c; */
    /*@ assert \forall integer i; 0 <= i < ZEN_SLAB_MAX_SLOTS ==>
          (zen_slab_slot_free(k, r, i) <==> \at(zen_slab_slot_free(k, r, i), Taken)); */
    /*@ assert c->stride == \at(c->stride, Taken) && c->nslots == \at(c->nslots, Taken) &&
          k->nslabs == \at(k->nslabs, Taken); */
    /*@ assert \forall integer i; zen_slab_taken{Pre, Taken}(k, c, r, i, \at(*obj, Taken)) ==>
          0 <= r < k->nslabs && 0 <= i < c->nslots && k->slabs[r].cache == c; */
    /*@ assert \forall integer i; zen_slab_taken{Pre, Taken}(k, c, r, i, \at(*obj, Taken)) ==>
          *obj == zen_slab_slot_addr(k, r, c->stride, i); */
    /*@ assert \forall integer i; zen_slab_taken{Pre, Taken}(k, c, r, i, \at(*obj, Taken)) ==>
          !zen_slab_slot_free(k, r, i); */
    /*@ assert \forall integer i; zen_slab_taken{Pre, Taken}(k, c, r, i, \at(*obj, Taken)) ==>
          zen_slab_taken{Pre, Here}(k, c, r, i, *obj); */
    return ZEN_OK;
}

/* Make a new slab for c (zen_slab_grow) and take its first slot for *obj.
 * Counts an out-of-memory answer; ZEN_ERR_NOMEM changes no record. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_kmem_classes_apart(k, c);
    requires zen_slab_geometry(c) && zflags <= ZEN_ZONE_ATOMIC;
    requires \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) && \separated(obj, c) &&
      zen_zone_writes_apart(k->zones, obj);
    assigns *obj, k->spare, k->stats.spare_records, ZEN_KMEM_RECORD_WRITES(k),
            c->head[0 .. ZEN_SLAB_LISTS - 1], c->stats,
            ZEN_KMEM_ZONE_WRITES(k);
    ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
    ensures \result != ZEN_ERR_CORRUPT ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    ensures c->kmem == \old(c->kmem) && c->stride == \old(c->stride) && c->nslots == \old(c->nslots) &&
      c->align == \old(c->align) && c->order == \old(c->order);
    ensures \result == ZEN_OK ==> \exists integer i; zen_slab_taken{Pre, Post}(k, c, \old(k->spare), i, *obj);
    ensures \result == ZEN_OK ==> *obj % c->align == 0;
    ensures \result == ZEN_ERR_NOMEM ==> \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
    ensures zen_kmem_classes_same{Pre, Post}(k);
 */
static zen_status zen_slab_alloc_new(zen_kmem *k, zen_slab_cache *c, unsigned zflags, zen_paddr *obj)
{
    uint32_t r = k->spare;
    zen_status st = zen_slab_grow(k, c, zflags);
Grown: __attribute__((unused));
    if (st == ZEN_ERR_NOMEM) {
        zen_slab_count_oom(k, c);
        /*@ assert \forall integer q; 0 <= q < k->nslabs ==>
              zen_slab_record_kept{Grown, Here}(k, q) && zen_slab_record_kept{Pre, Grown}(k, q) &&
              zen_slab_record_kept{Pre, Here}(k, q); */
    }
    if (st != ZEN_OK)
        return st;
    /*@ assert k->slabs == \at(k->slabs, Pre) && k->nslabs == \at(k->nslabs, Pre) &&
          k->zones == \at(k->zones, Pre); */
    /*@ assert zen_slab_cache_kept{Pre, Here}(c) && zen_slab_geometry(c); */
    /*@ assert r == \at(k->spare, Pre) && r < k->nslabs && k->slabs[r].cache == c && \let q = r; \at(k->slabs[q].cache, Pre) == \null; */
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones) && zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_zone_writes_apart(k->zones, obj); */
Chosen: __attribute__((unused));
    st = zen_slab_take_from(k, c, r, obj);
    /*@ assert st == ZEN_OK ==> \forall integer p; 0 <= p < k->nslabs && p != r ==>
          zen_slab_record_kept{Chosen, Here}(k, p) && zen_slab_record_kept{Pre, Chosen}(k, p) &&
          zen_slab_record_kept{Pre, Here}(k, p); */
    /*@ assert st == ZEN_OK ==> \forall integer i; zen_slab_taken{Chosen, Here}(k, c, r, i, *obj) ==>
          zen_slab_taken{Pre, Here}(k, c, r, i, *obj); */
    return st;
}

zen_status zen_slab_alloc_in(zen_kmem *k, zen_slab_cache *c, unsigned zflags, zen_paddr *obj)
{
    uint32_t r = c->head[ZEN_SLAB_PARTIAL - 1u];
    if (r == ZEN_SLAB_NONE)
        r = c->head[ZEN_SLAB_EMPTY - 1u];
    if (r == ZEN_SLAB_NONE)
        return zen_slab_alloc_new(k, c, zflags, obj);
    if (r >= k->nslabs || k->slabs[r].cache != c)
        return ZEN_ERR_CORRUPT;
    return zen_slab_take_from(k, c, r, obj);
}

zen_status zen_slab_alloc(zen_kmem *k, zen_slab_cache *c, zen_paddr *obj)
{
    zen_status st;
    zen_hooks_enter(&k->hooks);
    if (!zen_slab_cache_ok(k, c)) {
        zen_kmem_count_rejected(k);
        st = ZEN_ERR_INVAL;
    } else {
        st = zen_slab_alloc_in(k, c, (c->flags & ZEN_SLAB_ATOMIC) != 0u ? ZEN_ZONE_ATOMIC : 0u, obj);
    }
    zen_hooks_leave(&k->hooks);
    return st;
}

zen_status zen_slab_record_in(const zen_kmem *k, const zen_zone_block *b, uint32_t *r)
{
    if (b->owner != ZEN_OWNER_SLAB || b->tag >= k->nslabs)
        return ZEN_ERR_FOREIGN;
    const zen_slab *s = &k->slabs[b->tag];
    /* The tag is only an index: the record must describe this very block. */
    if (s->cache == 0 || s->pfn != b->head || s->order != b->order)
        return ZEN_ERR_FOREIGN;
    *r = b->tag;
    return ZEN_OK;
}

zen_status zen_slab_record_of(const zen_kmem *k, zen_paddr obj, uint32_t *r)
{
    zen_zone_block b;
    if (zen_zone_block_of(k->zones, obj >> ZEN_PAGE_SHIFT, &b) != ZEN_OK)
        return ZEN_ERR_FOREIGN;
    return zen_slab_record_in(k, &b, r);
}

zen_status zen_slab_free_in(zen_kmem *k, zen_slab_cache *c, uint32_t r, zen_paddr obj)
{
    zen_slab *s = &k->slabs[r];
    if (s->cache != c)
        return ZEN_ERR_WRONG_CACHE;
    if (s->pfn >= ZEN_PFN_LIMIT)
        return ZEN_ERR_CORRUPT;
    zen_paddr base = s->pfn * ZEN_PAGE_SIZE;
    /* Only the slots of the slab's block hold objects. */
    if (obj < base || obj - base >= ZEN_SLAB_MAX_SIZE)
        return ZEN_ERR_FOREIGN;
    uint32_t off = (uint32_t)(obj - base);
    /*@ assert base == s->pfn * ZEN_PAGE_SIZE && off == obj - s->pfn * ZEN_PAGE_SIZE; */
    uint32_t slot = off / c->stride;
    /* Ghost copies of the block and the stride, which nothing below
     * writes: the provers carry the slot's definition across the writes
     * through these plain values far more cheaply than through the fields. */
    /*@ ghost zen_pfn pfn0 = s->pfn; */
    /*@ ghost uint32_t stride0 = c->stride; */
    /*@ assert slot == (obj - pfn0 * ZEN_PAGE_SIZE) / stride0; */
    if (slot >= c->nslots)
        return ZEN_ERR_FOREIGN;
    if (off % c->stride != 0u)
        return ZEN_ERR_NOT_HEAD;
    if (zen_bit_get64(s->free_map[slot / 64u], slot % 64u) != 0u)
        return ZEN_ERR_NOT_ALLOCATED;
    /*@ assert !zen_slab_slot_free(k, r, slot); */
    if (s->nfree >= c->nslots)
        return ZEN_ERR_CORRUPT;
    s->free_map[slot / 64u] = zen_bit_set64(s->free_map[slot / 64u], slot % 64u);
    /*@ assert \forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j != slot && j / 64 == slot / 64 ==>
          (zen_slab_slot_free(k, r, j) <==> \at(zen_slab_slot_free(k, r, j), Pre)); */
    /*@ assert \forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j / 64 != slot / 64 ==>
          (zen_slab_slot_free(k, r, j) <==> \at(zen_slab_slot_free(k, r, j), Pre)); */
    /*@ assert zen_slab_slot_free(k, r, slot); */
    s->nfree++;
    c->stats.in_use--;
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    /* The zone set's shape in its parts, then the kmem kept, as in
     * zen_slab_store. */
    /*@ assert zen_zone_set_same_arrays{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_places{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_spans{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_levels{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_trees{Pre, Here}(k->zones); */
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
    /*@ assert zen_kmem_valid(k) && zen_kmem_zones_apart(k, c); */
    /*@ assert \let i = slot; zen_slab_slot_free(k, r, i) && !\at(zen_slab_slot_free(k, r, i), Pre); */
    /*@ assert \forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j != slot ==>
          (zen_slab_slot_free(k, r, j) <==> \at(zen_slab_slot_free(k, r, j), Pre)); */
    /*@ assert k->slabs[r].pfn == pfn0 && c->stride == stride0; */
    /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Here}(k, q); */
Counted: __attribute__((unused));
    zen_status st = zen_slab_place(k, c, r);
    /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==>
          zen_slab_record_kept{Pre, Counted}(k, q) && zen_slab_record_kept{Counted, Here}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert k->slabs[r].pfn == pfn0 && c->stride == stride0; */
    /*@ assert slot == (obj - k->slabs[r].pfn * ZEN_PAGE_SIZE) / c->stride; */
    /*@ assert \let i = slot; zen_slab_slot_free(k, r, i) && !\at(zen_slab_slot_free(k, r, i), Pre); */
    /*@ assert \forall integer j; 0 <= j < ZEN_SLAB_MAX_SLOTS && j != slot ==>
          (zen_slab_slot_free(k, r, j) <==> \at(zen_slab_slot_free(k, r, j), Pre)); */
    /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
    return st;
}

zen_status zen_slab_free(zen_kmem *k, zen_slab_cache *c, zen_paddr obj)
{
    zen_status st;
    uint32_t r = 0;
    zen_hooks_enter(&k->hooks);
    if (!zen_slab_cache_ok(k, c)) {
        zen_kmem_count_rejected(k);
        st = ZEN_ERR_INVAL;
    } else {
        st = zen_slab_record_of(k, obj, &r);
        /*@ assert \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Here}(k, q); */
Found: __attribute__((unused));
        if (st == ZEN_OK)
            st = zen_slab_free_in(k, c, r, obj);
        /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
        /*@ assert st == ZEN_ERR_WRONG_CACHE ==> r < k->nslabs && k->slabs[r].cache != \null && k->slabs[r].cache != c &&
              k->slabs[r].pfn <= obj / ZEN_PAGE_SIZE < k->slabs[r].pfn + zen_block_size(k->slabs[r].order); */
        /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Found, Here}(k, q); */
        /*@ assert \forall integer q; 0 <= q < k->nslabs && q != r ==> zen_slab_record_kept{Pre, Here}(k, q); */
        /*@ assert st != ZEN_OK && st != ZEN_ERR_CORRUPT ==>
              \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Here}(k, q); */
        /*@ assert st == ZEN_OK || st == ZEN_ERR_NOT_HEAD || st == ZEN_ERR_NOT_ALLOCATED ==>
              r < k->nslabs && k->slabs[r].cache == c; */
        /*@ assert \let q = r; \forall integer i; 0 <= i < ZEN_SLAB_MAX_SLOTS ==>
              (\at(zen_slab_slot_free(k, q, i), Found) <==> \at(zen_slab_slot_free(k, q, i), Pre)); */
        /*@ assert zen_slab_geometry(c); */
Freed: __attribute__((unused));
        if (st != ZEN_OK)
            zen_slab_count_rejected(k, c);
        /*@ assert zen_kmem_classes_same{Pre, Here}(k); */
        /*@ assert st == ZEN_ERR_WRONG_CACHE ==> r < k->nslabs && k->slabs[r].cache != \null && k->slabs[r].cache != c &&
              k->slabs[r].pfn <= obj / ZEN_PAGE_SIZE < k->slabs[r].pfn + zen_block_size(k->slabs[r].order); */
        /*@ assert \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Freed, Here}(k, q); */
        /*@ assert st != ZEN_OK && st != ZEN_ERR_CORRUPT ==> \forall integer q; 0 <= q < k->nslabs ==>
              zen_slab_record_kept{Pre, Freed}(k, q) && zen_slab_record_kept{Freed, Here}(k, q) &&
              zen_slab_record_kept{Pre, Here}(k, q); */
        /*@ assert r < k->nslabs ==> zen_slab_record_kept{Freed, Here}(k, r); */
        /*@ assert r < k->nslabs ==> k->slabs[r].pfn == \at(k->slabs[r].pfn, Freed) &&
              k->slabs[r].cache == \at(k->slabs[r].cache, Freed); */
        /*@ assert c->stride == \at(c->stride, Freed) && c->nslots == \at(c->nslots, Freed); */
        /*@ assert st == ZEN_ERR_NOT_ALLOCATED ==> r < k->nslabs &&
              zen_slab_head_at(obj, k->slabs[r].pfn, c->stride, c->nslots); */
        /*@ assert zen_slab_geometry(c); */
        /*@ assert st == ZEN_ERR_NOT_ALLOCATED ==> r < k->nslabs &&
              zen_slab_slot_of(obj, k->slabs[r].pfn, c->stride) ==
              \at(zen_slab_slot_of(obj, k->slabs[r].pfn, c->stride), Freed); */
        /*@ assert st == ZEN_ERR_NOT_ALLOCATED ==> r < k->nslabs &&
              \let i = zen_slab_slot_of(obj, k->slabs[r].pfn, c->stride);
              i == \at(zen_slab_slot_of(obj, k->slabs[r].pfn, c->stride), Freed) && 0 <= i < c->nslots &&
              0 <= i / 64 < ZEN_SLAB_MAP_WORDS; */
        /*@ assert st == ZEN_ERR_NOT_ALLOCATED ==> r < k->nslabs &&
              \let i = zen_slab_slot_of(obj, k->slabs[r].pfn, c->stride);
              k->slabs[r].free_map[i / 64] == \at(k->slabs[r].free_map[i / 64], Freed); */
        /*@ assert st == ZEN_ERR_NOT_ALLOCATED ==> r < k->nslabs &&
              zen_slab_slot_free(k, r, zen_slab_slot_of(obj, k->slabs[r].pfn, c->stride)); */
    }
    zen_hooks_leave(&k->hooks);
    return st;
}

/* Store n in *released, a word apart from the kmem, c, the records and
 * the zone set: all of them read as before. */
/*@ requires zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    requires \valid(released) && \separated(released, c, k, k->slabs + (0 .. k->nslabs - 1)) &&
      zen_zone_writes_apart(k->zones, released);
    assigns *released;
    ensures *released == n && k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures zen_slab_records_ok(k) && zen_slab_cache_apart(k, c);
    ensures \old(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c)) ==> zen_kmem_valid(k) && zen_kmem_zones_apart(k, c);
    ensures zen_slab_cache_kept{Pre, Post}(c) && c->head[ZEN_SLAB_EMPTY - 1] == \old(c->head[ZEN_SLAB_EMPTY - 1]);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
 */
static void zen_slab_put_count(zen_kmem *k, zen_slab_cache *c, uint64_t *released, uint64_t n)
{
    (void)k; /* named by the contract only */
    (void)c;
    *released = n;
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert \at(zen_kmem_valid(k) && zen_kmem_zones_apart(k, c), Pre) ==> zen_kmem_kept{Pre, Here}(k); */
}

zen_status zen_slab_shrink(zen_kmem *k, zen_slab_cache *c, uint64_t *released)
{
    zen_status st;
    uint64_t n = 0;
    zen_hooks_enter(&k->hooks);
    if (!zen_slab_cache_ok(k, c)) {
        zen_kmem_count_rejected(k);
        st = ZEN_ERR_INVAL;
        /*@ assert released != \null ==> zen_zone_writes_apart(k->zones, released); */
    } else {
        zen_slab_released out = zen_slab_release_empty(k, c);
        st = out.status;
        n = out.slabs;
        /*@ assert zen_kmem_zone_places_kept{Pre, Here}(k); */
        /*@ assert released != \null ==> zen_zone_writes_apart(k->zones, released); */
        /*@ assert \forall integer q; 0 <= q < k->nslabs &&
              (\at(k->slabs[q].cache, Pre) != c || \at(k->slabs[q].nfree, Pre) != c->nslots) ==>
              zen_slab_record_kept{Pre, Here}(k, q); */
    }
    /*@ assert c->kmem == k ==> \forall integer q; 0 <= q < k->nslabs &&
          (\at(k->slabs[q].cache, Pre) != c || \at(k->slabs[q].nfree, Pre) != c->nslots) ==>
          zen_slab_record_kept{Pre, Here}(k, q); */
    /*@ assert released != \null ==> zen_zone_writes_apart(k->zones, released); */
Counted: __attribute__((unused));
    if (released != 0)
        zen_slab_put_count(k, c, released, n);
    /*@ assert \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Counted, Here}(k, q); */
    /*@ assert c->nslots == \at(c->nslots, Counted) && c->kmem == \at(c->kmem, Counted); */
    /*@ assert c->kmem == k ==> \forall integer q; 0 <= q < k->nslabs &&
          (\at(k->slabs[q].cache, Pre) != c || \at(k->slabs[q].nfree, Pre) != c->nslots) ==>
          zen_slab_record_kept{Pre, Counted}(k, q) && zen_slab_record_kept{Counted, Here}(k, q) &&
          zen_slab_record_kept{Pre, Here}(k, q); */
    zen_hooks_leave(&k->hooks);
    return st;
}

/* Mark c destroyed: no longer a cache of any kmem. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    assigns c->kmem;
    ensures zen_kmem_valid(k) && c->kmem == \null;
    ensures k->slabs == \old(k->slabs) && k->nslabs == \old(k->nslabs);
    ensures \forall integer q; 0 <= q < k->nslabs ==> zen_slab_record_kept{Pre, Post}(k, q);
 */
static void zen_slab_retire(zen_kmem *k, zen_slab_cache *c)
{
    (void)k; /* named by the contract only */
    c->kmem = 0;
    /*@ assert zen_zone_set_same_shape{Pre, Here}(k->zones); */
    /*@ assert zen_kmem_kept{Pre, Here}(k); */
}

zen_status zen_slab_cache_destroy(zen_kmem *k, zen_slab_cache *c)
{
    zen_status st;
    zen_hooks_enter(&k->hooks);
    if (!zen_slab_cache_ok(k, c) || c->kmalloc_class != 0u) {
        zen_kmem_count_rejected(k);
        st = ZEN_ERR_INVAL;
    } else if (c->stats.in_use != 0u) {
        zen_slab_count_rejected(k, c);
        st = ZEN_ERR_BUSY;
    } else if (c->head[ZEN_SLAB_PARTIAL - 1u] != ZEN_SLAB_NONE || c->head[ZEN_SLAB_FULL - 1u] != ZEN_SLAB_NONE) {
        /* No object is live, so only the empty list may hold slabs. */
        st = ZEN_ERR_CORRUPT;
    } else {
        st = zen_slab_release_empty(k, c).status;
        /*@ assert \forall integer q; 0 <= q < k->nslabs && \at(k->slabs[q].cache, Pre) != c ==>
              zen_slab_record_kept{Pre, Here}(k, q); */
        if (st == ZEN_OK) {
            /*@ assert c->head[ZEN_SLAB_PARTIAL - 1] == ZEN_SLAB_NONE && c->head[ZEN_SLAB_FULL - 1] == ZEN_SLAB_NONE; */
Released: __attribute__((unused));
            zen_slab_retire(k, c);
            /*@ assert \forall integer q; 0 <= q < k->nslabs && \at(k->slabs[q].cache, Pre) != c ==>
                  zen_slab_record_kept{Pre, Released}(k, q) && zen_slab_record_kept{Released, Here}(k, q) &&
                  zen_slab_record_kept{Pre, Here}(k, q); */
        }
    }
    zen_hooks_leave(&k->hooks);
    return st;
}
