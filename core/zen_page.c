/* Zen page allocator: binary buddy system. See zen_page.h for the contract. */
#include "zen_page_internal.h"

/*@ // Canonical except for pairs that involve the frame at head: the state
    // of the merge loop, where head is the block still being coalesced.
    predicate zen_frames_canonical_except(zen_page_frame *f, integer start, integer n, integer head) =
      \forall integer p, k; 0 <= k < ZEN_PAGE_MAX_ORDER && zen_frames_free_head(f, start, n, p, k) &&
        p != head && zen_buddy(p, k) != head ==> !zen_frames_free_head(f, start, n, zen_buddy(p, k), k);

    predicate zen_page_canonical_except(zen_page_allocator *a, integer head) =
      zen_frames_canonical_except(a->frames, a->start, a->nframes, head);

    // Between L1 and L2 no frame became or stopped being reserved.
    predicate zen_frames_same_reserved{L1, L2}(zen_page_frame *f, integer n) =
      \forall integer i; 0 <= i < n ==>
        (\at(f[i].state, L1) == ZEN_FRAME_RESERVED <==> \at(f[i].state, L2) == ZEN_FRAME_RESERVED);

    lemma zen_frames_same_reserved_trans{L1, L2, L3}: \forall zen_page_frame *f, integer n;
      zen_frames_same_reserved{L1, L2}(f, n) ==> zen_frames_same_reserved{L2, L3}(f, n) ==>
      zen_frames_same_reserved{L1, L3}(f, n);
 */

/* ---- summary tree over one order's free bitmap --------------------------- */

/* Fill one descriptor. */
/*@ requires \valid(f);
    requires state <= ZEN_FRAME_TAIL && order <= ZEN_PAGE_MAX_ORDER && owner <= ZEN_OWNER_LAST;
    assigns *f;
    ensures f->state == state && f->order == order && f->owner == owner && f->refcount == refcount;
 */
static inline void zen_frame_init(zen_page_frame *f, unsigned state, unsigned order,
                                  unsigned owner, uint32_t refcount)
{
    f->state = (uint8_t)state;
    f->order = (uint8_t)order;
    f->owner = (uint8_t)owner;
    f->pad = 0;
    f->refcount = refcount;
    f->tag = 0;
}

/* Write the descriptor of frame index (a pfn minus the range start). */
/*@ requires zen_page_valid(a) && index < a->nframes;
    requires state <= ZEN_FRAME_TAIL && order <= ZEN_PAGE_MAX_ORDER && owner <= ZEN_OWNER_LAST;
    assigns a->frames[index];
    ensures zen_page_valid(a);
    ensures a->frames[index].state == state && a->frames[index].order == order &&
            a->frames[index].owner == owner && a->frames[index].refcount == refcount;
 */
static inline void zen_frame_set(zen_page_allocator *a, uint64_t index, unsigned state,
                                 unsigned order, unsigned owner, uint32_t refcount)
{
    zen_frame_init(&a->frames[index], state, order, owner, refcount);
}

/* Write a descriptor that heads no free block (allocated, tail, reserved).
 * Taking a free head away never makes two free blocks buddies, so the
 * decomposition stays canonical. */
/*@ requires zen_page_valid(a) && index < a->nframes && zen_page_canonical(a);
    requires state <= ZEN_FRAME_TAIL && state != ZEN_FRAME_FREE;
    requires order <= ZEN_PAGE_MAX_ORDER && owner <= ZEN_OWNER_LAST;
    assigns a->frames[index];
    ensures zen_page_valid(a) && zen_page_canonical(a);
    ensures a->frames[index].state == state && a->frames[index].order == order &&
            a->frames[index].owner == owner && a->frames[index].refcount == refcount;
 */
static inline void zen_frame_set_used(zen_page_allocator *a, uint64_t index, unsigned state,
                                      unsigned order, unsigned owner, uint32_t refcount)
{
    zen_frame_set(a, index, state, order, owner, refcount);
}

/* Lay out the trees of every order one after the other; returns the number of
 * words used, or 0 if a tree would need more than ZEN_BITMAP_MAX_LEVELS. */
/*@ requires \valid(tree + (0 .. ZEN_PAGE_MAX_ORDER));
    requires 0 < nframes <= ZEN_PAGE_MAX_FRAMES && start + nframes <= ZEN_PFN_LIMIT;
    assigns tree[0 .. ZEN_PAGE_MAX_ORDER];
    ensures \result != 0 ==>
      \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
        1 <= tree[k].levels <= ZEN_BITMAP_MAX_LEVELS &&
        (\forall integer l; 0 <= l < tree[k].levels ==>
           1 <= tree[k].length[l] && tree[k].offset[l] + tree[k].length[l] <= \result);
 */
static uint64_t zen_tree_layout(zen_pfn start, uint64_t nframes, zen_bitmap_tree *tree)
{
    uint64_t used = 0;
    /* First and last block index of order k: pfns shifted right by k. */
    zen_pfn lo = start;
    zen_pfn hi = start + nframes - 1u;
    /*@ loop invariant 0 <= k <= ZEN_PAGE_MAX_ORDER + 1;
        loop invariant used <= k * (ZEN_PAGE_MAX_FRAMES + 1);
        loop invariant lo <= hi < ZEN_PFN_LIMIT;
        loop invariant \forall integer j; 0 <= j < k ==>
          1 <= tree[j].levels <= ZEN_BITMAP_MAX_LEVELS &&
          (\forall integer l; 0 <= l < tree[j].levels ==>
             1 <= tree[j].length[l] && tree[j].offset[l] + tree[j].length[l] <= used);
        loop assigns k, used, lo, hi, tree[0 .. ZEN_PAGE_MAX_ORDER];
        loop variant ZEN_PAGE_MAX_ORDER + 1 - k; */
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++) {
        uint64_t bits = hi - lo + 1u;
        uint32_t l = 0;
        uint64_t len;
        if (bits > ZEN_PAGE_MAX_FRAMES)
            return 0;
        /*@ loop invariant 0 <= l < ZEN_BITMAP_MAX_LEVELS;
            loop invariant 1 <= bits <= ZEN_PAGE_MAX_FRAMES;
            loop invariant used <= k * (ZEN_PAGE_MAX_FRAMES + 1) + (ZEN_PAGE_MAX_FRAMES + 1) - bits;
            loop invariant \forall integer j; 0 <= j < k ==>
              1 <= tree[j].levels <= ZEN_BITMAP_MAX_LEVELS &&
              (\forall integer m; 0 <= m < tree[j].levels ==>
                 1 <= tree[j].length[m] && tree[j].offset[m] + tree[j].length[m] <= used);
            loop invariant \forall integer m; 0 <= m < l ==>
                 1 <= tree[k].length[m] && tree[k].offset[m] + tree[k].length[m] <= used;
            loop invariant l > 0 ==> bits == tree[k].length[l - 1];
            loop assigns l, len, bits, used, tree[k].offset[0 .. ZEN_BITMAP_MAX_LEVELS - 1],
                         tree[k].length[0 .. ZEN_BITMAP_MAX_LEVELS - 1];
            loop variant ZEN_BITMAP_MAX_LEVELS - l; */
        do {
            len = (bits + 63u) / 64u;
            tree[k].offset[l] = used;
            tree[k].length[l] = len;
            used += len;
            bits = len;
            l++;
        } while (len > 1u && l < ZEN_BITMAP_MAX_LEVELS);
        if (len > 1u)
            return 0;
        tree[k].levels = l;
        lo /= 2u;
        hi /= 2u;
    }
    return used;
}

/* Set bit i of level 0 of order k's tree and the summary bits above it that
 * were clear. */
/*@ requires zen_page_valid(a) && k <= ZEN_PAGE_MAX_ORDER;
    assigns a->words[0 .. a->nwords - 1];
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
 */
static zen_status zen_tree_set(zen_page_allocator *a, unsigned k, uint64_t i)
{
    const zen_bitmap_tree *t = &a->tree[k];
    uint64_t *words = a->words;
    /*@ loop invariant 0 <= l <= t->levels;
        loop assigns l, i, words[0 .. \at(a->nwords, Pre) - 1];
        loop variant t->levels - l; */
    for (uint32_t l = 0; l < t->levels; l++) {
        uint64_t w = i / 64u;
        if (w >= t->length[l])
            return ZEN_ERR_CORRUPT;
        uint64_t old = words[t->offset[l] + w];
        words[t->offset[l] + w] = old | ((uint64_t)1 << (i % 64u));
        if (old != 0u)
            break;
        i = w;
    }
    return ZEN_OK;
}

/* Clear bit i of level 0 of order k's tree and the summary bits whose word
 * became empty. */
/*@ requires zen_page_valid(a) && k <= ZEN_PAGE_MAX_ORDER;
    assigns a->words[0 .. a->nwords - 1];
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
 */
static zen_status zen_tree_clear(zen_page_allocator *a, unsigned k, uint64_t i)
{
    const zen_bitmap_tree *t = &a->tree[k];
    uint64_t *words = a->words;
    /*@ loop invariant 0 <= l <= t->levels;
        loop assigns l, i, words[0 .. \at(a->nwords, Pre) - 1];
        loop variant t->levels - l; */
    for (uint32_t l = 0; l < t->levels; l++) {
        uint64_t w = i / 64u;
        if (w >= t->length[l])
            return ZEN_ERR_CORRUPT;
        uint64_t now = words[t->offset[l] + w] & ~((uint64_t)1 << (i % 64u));
        words[t->offset[l] + w] = now;
        if (now != 0u)
            break;
        i = w;
    }
    return ZEN_OK;
}

/* Lowest set bit of level 0 of order k's tree, found from the top word down. */
/*@ requires zen_page_valid(a) && k <= ZEN_PAGE_MAX_ORDER && \valid(first);
    requires \separated(first, a);
    assigns *first;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
 */
static zen_status zen_tree_first(const zen_page_allocator *a, unsigned k, uint64_t *first)
{
    const zen_bitmap_tree *t = &a->tree[k];
    uint64_t i = 0;
    /*@ loop invariant 0 <= l <= t->levels;
        loop assigns l, i;
        loop variant l; */
    for (uint32_t l = t->levels; l > 0u; l--) {
        if (i >= t->length[l - 1u])
            return ZEN_ERR_CORRUPT;
        unsigned bit = zen_ctz64(a->words[t->offset[l - 1u] + i]);
        if (bit >= 64u)
            return ZEN_ERR_CORRUPT;
        i = i * 64u + bit;
    }
    *first = i;
    return ZEN_OK;
}

/* ---- free-block bookkeeping ---------------------------------------------- */

/* Mark head as the head of a free block of order k. Its buddy must not be
 * one: then the free blocks stay a canonical decomposition. */
/*@ requires zen_page_valid(a) && k <= ZEN_PAGE_MAX_ORDER && zen_in_range(a, head);
    requires zen_page_canonical_except(a, head);
    requires k < ZEN_PAGE_MAX_ORDER ==> !zen_free_head(a, zen_buddy(head, k), k);
    assigns a->frames[head - a->start];
    ensures zen_page_valid(a);
    ensures zen_page_canonical(a);
    ensures zen_free_head(a, head, k);
    ensures \old(a->frames[head - a->start].state) != ZEN_FRAME_RESERVED ==>
            zen_frames_same_reserved{Pre, Post}(a->frames, a->nframes);
 */
static inline void zen_mark_free(zen_page_allocator *a, zen_pfn head, unsigned k)
{
    zen_frame_set(a, head - a->start, ZEN_FRAME_FREE, k, ZEN_OWNER_NONE, 0);
}

/* Put head on the free lists as a free block of order k (zen_mark_free). */
/*@ requires zen_page_valid(a) && k <= ZEN_PAGE_MAX_ORDER && zen_in_range(a, head);
    requires zen_page_canonical_except(a, head);
    requires k < ZEN_PAGE_MAX_ORDER ==> !zen_free_head(a, zen_buddy(head, k), k);
    assigns a->frames[head - a->start], a->stats.free_blocks[k], a->words[0 .. a->nwords - 1];
    ensures zen_page_valid(a);
    ensures zen_page_canonical(a);
    ensures a->stats.free_frames == \old(a->stats.free_frames);
    ensures a->frames[head - a->start].state == ZEN_FRAME_FREE &&
            a->frames[head - a->start].order == k;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \old(a->frames[head - a->start].state) != ZEN_FRAME_RESERVED ==>
            zen_frames_same_reserved{Pre, Post}(a->frames, a->nframes);
 */
static zen_status zen_free_list_add(zen_page_allocator *a, zen_pfn head, unsigned k)
{
    zen_mark_free(a, head, k);
    a->stats.free_blocks[k]++;
    return zen_tree_set(a, k, zen_block_index(a, head, k));
}

/*@ requires zen_page_valid(a) && k <= ZEN_PAGE_MAX_ORDER;
    assigns a->stats.free_blocks[k], a->words[0 .. a->nwords - 1];
    ensures zen_page_valid(a);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
 */
static zen_status zen_free_list_remove(zen_page_allocator *a, zen_pfn head, unsigned k)
{
    a->stats.free_blocks[k]--;
    return zen_tree_clear(a, k, zen_block_index(a, head, k));
}

/* Coalesce the block at head with its buddy, a free block of the same order
 * whose descriptor is already off the free lists: the upper half becomes a
 * tail. Returns the lower half, the head of the merged block. */
/*@ requires zen_page_valid(a) && zen_in_range(a, head) && zen_in_range(a, buddy) && buddy != head;
    requires zen_page_canonical_except(a, head);
    requires a->frames[head - a->start].state != ZEN_FRAME_RESERVED;
    requires a->frames[buddy - a->start].state != ZEN_FRAME_RESERVED;
    assigns a->frames[(head > buddy ? head : buddy) - a->start];
    ensures zen_page_valid(a);
    ensures \result == (head < buddy ? head : buddy);
    ensures a->frames[(head > buddy ? head : buddy) - a->start].state == ZEN_FRAME_TAIL;
    ensures zen_page_canonical_except(a, \result);
    ensures a->frames[\result - a->start].state == \old(a->frames[\result - a->start].state);
    ensures zen_frames_same_reserved{Pre, Post}(a->frames, a->nframes);
 */
static inline zen_pfn zen_merge_halves(zen_page_allocator *a, zen_pfn head, zen_pfn buddy)
{
    if (head > buddy) {
        zen_frame_set(a, head - a->start, ZEN_FRAME_TAIL, 0, ZEN_OWNER_NONE, 0);
        /*@ assert zen_page_canonical_except(a, buddy); */
        return buddy;
    }
    zen_frame_set(a, buddy - a->start, ZEN_FRAME_TAIL, 0, ZEN_OWNER_NONE, 0);
    /*@ assert zen_page_canonical_except(a, head); */
    return head;
}

/* Account for size frames joining the free space. */
/*@ requires zen_page_valid(a) && zen_page_canonical(a);
    assigns a->stats.free_frames;
    ensures zen_page_valid(a) && zen_page_canonical(a);
    ensures a->stats.free_frames == (uint64_t)(\old(a->stats.free_frames) + size);
 */
static inline void zen_count_free(zen_page_allocator *a, uint64_t size)
{
    a->stats.free_frames += size;
}

/* Return the block of 2^k frames at head to the free space, merging it with
 * its XOR buddy while the buddy is a whole free block of the same order. The
 * old head ends up free (it heads the merged block) or a tail. */
/*@ requires zen_page_valid(a) && k <= ZEN_PAGE_MAX_ORDER && zen_in_range(a, head);
    requires zen_page_canonical(a);
    requires a->frames[head - a->start].state != ZEN_FRAME_RESERVED;
    assigns a->frames[0 .. a->nframes - 1], a->stats.free_frames,
            a->stats.free_blocks[0 .. ZEN_PAGE_MAX_ORDER], a->words[0 .. a->nwords - 1];
    ensures zen_page_valid(a);
    ensures \result == ZEN_OK ==> zen_page_canonical(a);
    ensures \result == ZEN_OK ==>
      a->stats.free_frames == (uint64_t)(\old(a->stats.free_frames) + zen_block_size(k));
    ensures \result == ZEN_OK ==> a->frames[head - a->start].state == ZEN_FRAME_FREE ||
                                  a->frames[head - a->start].state == ZEN_FRAME_TAIL;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures zen_frames_same_reserved{Pre, Post}(a->frames, a->nframes);
 */
static zen_status zen_release(zen_page_allocator *a, zen_pfn head, unsigned k)
{
    /*@ ghost zen_page_frame *frames = a->frames; */
    /*@ ghost uint64_t *words = a->words; */
    /*@ ghost zen_pfn freed = head; */
    uint64_t size = (uint64_t)1 << k;
    /*@ assert size == zen_block_size(k); */
    /*@ loop invariant \at(k, Pre) <= k <= ZEN_PAGE_MAX_ORDER;
        loop invariant zen_page_valid(a);
        loop invariant zen_in_range(a, head);
        loop invariant a->frames == frames && a->words == words;
        loop invariant a->stats.free_frames == \at(a->stats.free_frames, Pre);
        loop invariant head == freed || a->frames[freed - a->start].state == ZEN_FRAME_TAIL;
        loop invariant zen_page_canonical_except(a, head);
        loop invariant a->frames[head - a->start].state != ZEN_FRAME_RESERVED;
        loop invariant zen_frames_same_reserved{Pre, Here}(frames, \at(a->nframes, Pre));
        loop assigns k, head, frames[0 .. \at(a->nframes, Pre) - 1],
                     a->stats.free_blocks[0 .. ZEN_PAGE_MAX_ORDER],
                     words[0 .. \at(a->nwords, Pre) - 1];
        loop variant ZEN_PAGE_MAX_ORDER - k; */
    while (k < ZEN_PAGE_MAX_ORDER) {
        zen_pfn buddy = head ^ ((uint64_t)1 << k);
        /*@ assert buddy == zen_buddy(head, k); */
        if (!zen_pfn_inside(a, buddy))
            break;
        const zen_page_frame *b = &a->frames[buddy - a->start];
        if (b->state != ZEN_FRAME_FREE || b->order != k)
            break;
        zen_status st = zen_free_list_remove(a, buddy, k);
        if (st != ZEN_OK)
            return st;
        head = zen_merge_halves(a, head, buddy);
        k++;
    }
    /*@ assert k < ZEN_PAGE_MAX_ORDER ==> !zen_free_head(a, zen_buddy(head, k), k); */
    /*@ assert zen_frames_same_reserved{Pre, Here}(a->frames, a->nframes); */
    zen_status st = zen_free_list_add(a, head, k);
    /*@ assert zen_frames_same_reserved{Pre, Here}(a->frames, a->nframes); */
    zen_count_free(a, size);
    return st;
}

/* Whether the frames [pfn, pfn + count), all in the range, are all reserved. */
/*@ requires zen_page_valid(a) && zen_in_range(a, pfn) && count <= a->nframes - (pfn - a->start);
    assigns \nothing;
    ensures \result != 0 <==>
      (\forall integer i; pfn <= i < pfn + count ==> zen_is_state(a, i, ZEN_FRAME_RESERVED));
 */
static int zen_all_reserved(const zen_page_allocator *a, zen_pfn pfn, uint64_t count)
{
    /*@ loop invariant 0 <= n <= count;
        loop invariant \forall integer i; pfn <= i < pfn + n ==> zen_is_state(a, i, ZEN_FRAME_RESERVED);
        loop assigns n;
        loop variant count - n; */
    for (uint64_t n = 0; n < count; n++) {
        if (a->frames[pfn - a->start + n].state != ZEN_FRAME_RESERVED) {
            /*@ assert !zen_is_state(a, pfn + n, ZEN_FRAME_RESERVED); */
            return 0;
        }
    }
    return 1;
}

/* Free the frames [pfn, end) as the largest aligned blocks that fit; each
 * merges with what is already free around it. A block's frames, head
 * included, stop being reserved before zen_release sees it. */
/*@ requires zen_page_valid(a) && zen_in_range(a, pfn) && pfn < end <= a->start + a->nframes;
    requires zen_page_canonical(a);
    requires a->stats.free_frames + (end - pfn) <= UINT64_MAX;
    assigns a->frames[0 .. a->nframes - 1], a->words[0 .. a->nwords - 1],
            a->stats.free_frames, a->stats.free_blocks[0 .. ZEN_PAGE_MAX_ORDER];
    ensures zen_page_valid(a);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==> zen_page_canonical(a);
    ensures \result == ZEN_OK ==>
      a->stats.free_frames == \old(a->stats.free_frames) + (end - pfn);
    ensures \result == ZEN_OK ==> \forall integer i; 0 <= i < a->nframes ==>
      (a->frames[i].state == ZEN_FRAME_RESERVED <==>
        (\old(a->frames[i].state) == ZEN_FRAME_RESERVED && !(pfn <= a->start + i < end)));
 */
static zen_status zen_release_range(zen_page_allocator *a, zen_pfn pfn, zen_pfn end)
{
    /*@ ghost zen_page_frame *frames = a->frames; */
    /*@ ghost uint64_t *words = a->words; */
    zen_pfn p = pfn;
    /*@ loop invariant pfn <= p <= end;
        loop invariant zen_page_valid(a) && a->frames == frames && a->words == words;
        loop invariant a->stats.free_frames == \at(a->stats.free_frames, Pre) + (p - pfn);
        loop invariant zen_page_canonical(a);
        loop invariant \forall integer i; 0 <= i < a->nframes ==>
          (a->frames[i].state == ZEN_FRAME_RESERVED <==>
            (\at(a->frames[i].state, Pre) == ZEN_FRAME_RESERVED && !(pfn <= a->start + i < p)));
        loop assigns p, frames[0 .. \at(a->nframes, Pre) - 1], words[0 .. \at(a->nwords, Pre) - 1],
                     a->stats.free_frames, a->stats.free_blocks[0 .. ZEN_PAGE_MAX_ORDER];
        loop variant end - p; */
    while (p < end) {
        unsigned k = 0;
        uint64_t size = 1;
        /*@ loop invariant 0 <= k <= ZEN_PAGE_MAX_ORDER;
            loop invariant size == zen_block_size(k);
            loop invariant 1 <= size <= end - p && size <= ZEN_PAGE_MAX_FRAMES;
            loop assigns k, size;
            loop variant ZEN_PAGE_MAX_ORDER - k; */
        while (k < ZEN_PAGE_MAX_ORDER && p % (2u * size) == 0u && 2u * size <= end - p) {
            k++;
            size *= 2u;
        }
        /*@ loop invariant 0 <= j <= size;
            loop invariant zen_page_valid(a) && a->frames == frames;
            loop invariant zen_page_canonical(a);
            loop invariant \forall integer i; p - a->start <= i < p - a->start + j ==>
              a->frames[i].state == ZEN_FRAME_TAIL;
            loop assigns j, frames[p - a->start .. p - a->start + size - 1];
            loop variant size - j; */
        for (uint64_t j = 0; j < size; j++)
            zen_frame_set_used(a, p - a->start + j, ZEN_FRAME_TAIL, 0, ZEN_OWNER_NONE, 0);
        /*@ assert \forall integer i; 0 <= i < a->nframes ==>
              (a->frames[i].state == ZEN_FRAME_RESERVED <==>
                (\at(a->frames[i].state, Pre) == ZEN_FRAME_RESERVED && !(pfn <= a->start + i < p + size))); */
        zen_status st = zen_release(a, p, k);
        if (st != ZEN_OK)
            return st;
        p += size;
    }
    return ZEN_OK;
}

/* Classify pfn for free/get/put/set_owner: ZEN_OK with *index when pfn heads
 * an allocated block, otherwise the error that names why it does not. */
/*@ requires zen_page_valid(a) && \valid(index) && \separated(index, a);
    assigns *index;
    behavior foreign:
      assumes !zen_in_range(a, pfn);
      ensures \result == ZEN_ERR_RANGE;
    behavior allocated:
      assumes zen_is_state(a, pfn, ZEN_FRAME_ALLOCATED);
      ensures \result == ZEN_OK && *index == pfn - a->start;
    behavior reserved:
      assumes zen_is_state(a, pfn, ZEN_FRAME_RESERVED);
      ensures \result == ZEN_ERR_RESERVED;
    behavior free_head:
      assumes zen_is_state(a, pfn, ZEN_FRAME_FREE);
      ensures \result == ZEN_ERR_NOT_ALLOCATED;
    behavior tail:
      assumes zen_is_state(a, pfn, ZEN_FRAME_TAIL);
      ensures \result == ZEN_ERR_NOT_HEAD || \result == ZEN_ERR_NOT_ALLOCATED ||
              \result == ZEN_ERR_CORRUPT;
    behavior unknown_state:
      assumes zen_in_range(a, pfn) && a->frames[pfn - a->start].state > ZEN_FRAME_TAIL;
      ensures \result == ZEN_ERR_CORRUPT;
    complete behaviors;
    disjoint behaviors;
 */
static zen_status zen_lookup(const zen_page_allocator *a, zen_pfn pfn, uint64_t *index)
{
    zen_pfn head;
    zen_status st = zen_page_find(a, pfn, &head);
    if (st != ZEN_OK)
        return st;
    if (head != pfn)
        return ZEN_ERR_NOT_HEAD;
    *index = pfn - a->start;
    return ZEN_OK;
}

/*@ requires zen_page_valid(a);
    assigns a->stats.rejected;
    ensures zen_page_valid(a);
    ensures a->stats.rejected == (uint64_t)(\old(a->stats.rejected) + 1);
    ensures \result == st;
 */
static zen_status zen_reject(zen_page_allocator *a, zen_status st)
{
    a->stats.rejected++;
    return st;
}

/*@ requires zen_page_valid(a);
    assigns a->stats.oom_count;
    ensures zen_page_valid(a);
    ensures a->stats.oom_count == (uint64_t)(\old(a->stats.oom_count) + 1);
    ensures \result == ZEN_ERR_NOMEM;
 */
static zen_status zen_count_oom(zen_page_allocator *a)
{
    a->stats.oom_count++;
    return ZEN_ERR_NOMEM;
}

/* Drop one of several references on the allocated block at index. */
/*@ requires zen_page_valid(a) && index < a->nframes && a->frames[index].refcount > 1;
    assigns a->frames[index].refcount;
    ensures zen_page_valid(a);
    ensures a->frames[index].refcount == \old(a->frames[index].refcount) - 1;
    ensures \result == ZEN_OK;
 */
static zen_status zen_unref(zen_page_allocator *a, uint64_t index)
{
    a->frames[index].refcount--;
    return ZEN_OK;
}

/* Record the owner and its tag of the block at index. State and order stay,
 * and with them the free blocks. */
/*@ requires zen_page_valid(a) && index < a->nframes && zen_page_canonical(a);
    requires owner <= ZEN_OWNER_LAST;
    assigns a->frames[index].owner, a->frames[index].tag;
    ensures zen_page_valid(a) && zen_page_canonical(a);
    ensures a->frames[index].owner == owner && a->frames[index].tag == tag;
 */
static inline void zen_frame_set_owner(zen_page_allocator *a, uint64_t index, unsigned owner,
                                       uint32_t tag)
{
    a->frames[index].owner = (uint8_t)owner;
    a->frames[index].tag = tag;
    /*@ assert \forall integer i; 0 <= i < a->nframes ==>
          a->frames[i].state == \at(a->frames[i].state, Pre) &&
          a->frames[i].order == \at(a->frames[i].order, Pre); */
}

/* ---- initialisation helpers ---------------------------------------------- */

/*@ requires \valid(dst + (0 .. ZEN_PAGE_MAX_ORDER)) && \valid_read(src + (0 .. ZEN_PAGE_MAX_ORDER));
    requires \separated(dst + (0 .. ZEN_PAGE_MAX_ORDER), src + (0 .. ZEN_PAGE_MAX_ORDER));
    assigns dst[0 .. ZEN_PAGE_MAX_ORDER];
    ensures \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
      dst[k].levels == src[k].levels &&
      (\forall integer l; 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
         dst[k].offset[l] == src[k].offset[l] && dst[k].length[l] == src[k].length[l]);
 */
static void zen_tree_copy(zen_bitmap_tree *dst, const zen_bitmap_tree *src)
{
    /*@ loop invariant 0 <= k <= ZEN_PAGE_ORDERS;
        loop invariant \forall integer j; 0 <= j < k ==>
          dst[j].levels == src[j].levels &&
          (\forall integer l; 0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
             dst[j].offset[l] == src[j].offset[l] && dst[j].length[l] == src[j].length[l]);
        loop assigns k, dst[0 .. ZEN_PAGE_MAX_ORDER];
        loop variant ZEN_PAGE_ORDERS - k; */
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++) {
        dst[k].levels = src[k].levels;
        /*@ loop invariant 0 <= l <= ZEN_BITMAP_MAX_LEVELS;
            loop invariant \forall integer m; 0 <= m < l ==>
              dst[k].offset[m] == src[k].offset[m] && dst[k].length[m] == src[k].length[m];
            loop assigns l, dst[k].offset[0 .. ZEN_BITMAP_MAX_LEVELS - 1],
                         dst[k].length[0 .. ZEN_BITMAP_MAX_LEVELS - 1];
            loop variant ZEN_BITMAP_MAX_LEVELS - l; */
        for (unsigned l = 0; l < ZEN_BITMAP_MAX_LEVELS; l++) {
            dst[k].offset[l] = src[k].offset[l];
            dst[k].length[l] = src[k].length[l];
        }
    }
}

/*@ requires \valid(counts + (0 .. ZEN_PAGE_MAX_ORDER));
    assigns counts[0 .. ZEN_PAGE_MAX_ORDER];
    ensures \forall integer k; 0 <= k <= ZEN_PAGE_MAX_ORDER ==> counts[k] == 0;
 */
static void zen_zero_counts(uint64_t *counts)
{
    /*@ loop invariant 0 <= k <= ZEN_PAGE_ORDERS;
        loop invariant \forall integer j; 0 <= j < k ==> counts[j] == 0;
        loop assigns k, counts[0 .. ZEN_PAGE_MAX_ORDER];
        loop variant ZEN_PAGE_ORDERS - k; */
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        counts[k] = 0;
}

/* Every frame starts reserved: nothing is handed out before add_range. */
/*@ requires \valid(frames + (0 .. n - 1));
    assigns frames[0 .. n - 1];
    ensures \forall integer j; 0 <= j < n ==>
      frames[j].state == ZEN_FRAME_RESERVED && frames[j].order == 0 && frames[j].refcount == 0;
 */
static void zen_frames_reserve(zen_page_frame *frames, uint64_t n)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer j; 0 <= j < i ==>
          frames[j].state == ZEN_FRAME_RESERVED && frames[j].order == 0 && frames[j].refcount == 0;
        loop assigns i, frames[0 .. n - 1];
        loop variant n - i; */
    for (uint64_t i = 0; i < n; i++)
        zen_frame_init(&frames[i], ZEN_FRAME_RESERVED, 0, ZEN_OWNER_NONE, 0);
}

/*@ requires \valid(words + (0 .. n - 1));
    assigns words[0 .. n - 1];
    ensures \forall integer j; 0 <= j < n ==> words[j] == 0;
 */
static void zen_words_clear(uint64_t *words, uint64_t n)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer j; 0 <= j < i ==> words[j] == 0;
        loop assigns i, words[0 .. n - 1];
        loop variant n - i; */
    for (uint64_t i = 0; i < n; i++)
        words[i] = 0;
}

/* ---- allocation steps ------------------------------------------------------ */

/* Smallest order >= order with a free block, or ZEN_PAGE_ORDERS if none. */
/*@ requires zen_page_valid(a) && order <= ZEN_PAGE_MAX_ORDER;
    assigns \nothing;
    ensures order <= \result <= ZEN_PAGE_ORDERS;
    ensures \forall integer j; order <= j < \result ==> a->stats.free_blocks[j] == 0;
    ensures \result <= ZEN_PAGE_MAX_ORDER ==> a->stats.free_blocks[\result] != 0;
 */
static unsigned zen_first_order(const zen_page_allocator *a, unsigned order)
{
    unsigned k = order;
    /*@ loop invariant order <= k <= ZEN_PAGE_ORDERS;
        loop invariant \forall integer j; order <= j < k ==> a->stats.free_blocks[j] == 0;
        loop assigns k;
        loop variant ZEN_PAGE_ORDERS - k; */
    while (k <= ZEN_PAGE_MAX_ORDER && a->stats.free_blocks[k] == 0u)
        k++;
    return k;
}

/* Take the lowest free block of order k out of the free space and split it
 * down to order, keeping the lower half and freeing each upper one. The
 * descriptor of the returned head still reads free; the caller marks it.
 * Every fact the contract states is checked at run time too, so corrupted
 * metadata yields ZEN_ERR_CORRUPT rather than a wrong block. */
/*@ requires zen_page_valid(a) && order <= k <= ZEN_PAGE_MAX_ORDER;
    requires zen_page_canonical(a);
    requires \valid(head) && \separated(head, a, a->frames + (0 .. a->nframes - 1),
                                         a->words + (0 .. a->nwords - 1));
    assigns *head, a->frames[0 .. a->nframes - 1], a->stats.free_blocks[0 .. ZEN_PAGE_MAX_ORDER],
            a->words[0 .. a->nwords - 1];
    ensures zen_page_valid(a);
    ensures \result == ZEN_OK ==> zen_page_canonical(a);
    ensures a->stats.free_frames == \old(a->stats.free_frames);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==>
      zen_in_range(a, *head) && *head - a->start + zen_block_size(order) <= a->nframes &&
      zen_aligned(*head, order) &&
      \let h = *head; \at(a->frames[h - a->start].state, Pre) == ZEN_FRAME_FREE &&
                      \at(a->frames[h - a->start].order, Pre) == k;
 */
static zen_status zen_take_block(zen_page_allocator *a, unsigned k, unsigned order, zen_pfn *head)
{
    uint64_t index;
    zen_status st = zen_tree_first(a, k, &index);
    if (st != ZEN_OK)
        return st;
    zen_pfn h = ((a->start >> k) + index) << k;
    /* The order test and the bounds test in the split loop below follow from
     * the order-k test for sound metadata; stating them gives the prover the
     * bounds without reasoning about shifts, at a compare each. */
    if (!zen_block_inside(a, h, k) || !zen_block_inside(a, h, order))
        return ZEN_ERR_CORRUPT;
    const zen_page_frame *f = &a->frames[h - a->start];
    if (f->state != ZEN_FRAME_FREE || f->order != k)
        return ZEN_ERR_CORRUPT;
    uint64_t size = (uint64_t)1 << order;
    /*@ assert size == zen_block_size(order); */
    if ((h & (size - 1u)) != 0u)
        return ZEN_ERR_CORRUPT;
    /*@ assert zen_aligned(h, order); */

    /*@ ghost zen_page_frame *frames = a->frames; */
    /*@ ghost uint64_t *words = a->words; */
    st = zen_free_list_remove(a, h, k);
    /*@ loop invariant order <= k <= \at(k, Pre);
        loop invariant st == ZEN_OK || st == ZEN_ERR_CORRUPT;
        loop invariant zen_page_valid(a) && a->frames == frames && a->words == words;
        loop invariant a->frames[h - a->start].state == ZEN_FRAME_FREE &&
                       a->frames[h - a->start].order == \at(k, Pre);
        loop invariant st == ZEN_OK ==> zen_page_canonical(a);
        loop assigns k, st, frames[0 .. \at(a->nframes, Pre) - 1],
                     a->stats.free_blocks[0 .. ZEN_PAGE_MAX_ORDER], words[0 .. \at(a->nwords, Pre) - 1];
        loop variant k; */
    while (st == ZEN_OK && k > order) {
        k--;
        /* The upper half: h is aligned to 2^(k+1), so this is h + 2^k. */
        zen_pfn upper = h ^ ((uint64_t)1 << k);
        /*@ assert upper == zen_buddy(h, k) && h == zen_buddy(upper, k); */
        if (!zen_pfn_inside(a, upper))
            return ZEN_ERR_CORRUPT;
        st = zen_free_list_add(a, upper, k);
    }
    if (st != ZEN_OK)
        return st;
    /*@ assert zen_in_range(a, h) && h - a->start + zen_block_size(order) <= a->nframes; */
    /*@ assert zen_aligned(h, order); */
    *head = h;
    return ZEN_OK;
}

/* Account for 2^order frames leaving the free space. */
/*@ requires zen_page_valid(a) && order <= ZEN_PAGE_MAX_ORDER;
    assigns a->stats.free_frames, a->stats.peak_in_use;
    ensures zen_page_valid(a);
    ensures a->stats.free_frames == (uint64_t)(\old(a->stats.free_frames) - zen_block_size(order));
 */
static void zen_count_alloc(zen_page_allocator *a, unsigned order)
{
    uint64_t size = (uint64_t)1 << order;
    /*@ assert size == zen_block_size(order); */
    a->stats.free_frames -= size;
    uint64_t in_use = a->stats.managed - a->stats.free_frames;
    if (in_use > a->stats.peak_in_use)
        a->stats.peak_in_use = in_use;
}

/* Zero the 2^order frames at head through the direct map. */
/*@ requires zen_page_valid(a) && a->memory != \null && order <= ZEN_PAGE_MAX_ORDER;
    requires a->start <= head && head - a->start + zen_block_size(order) <= a->nframes;
    assigns a->memory[(head - a->start) * ZEN_PAGE_WORDS_PER_FRAME ..
                      (head - a->start + zen_block_size(order)) * ZEN_PAGE_WORDS_PER_FRAME - 1];
    ensures zen_page_valid(a);
    // Said outright: the direct map shares its memory type with these.
    ensures a->start == \old(a->start) && a->nframes == \old(a->nframes) &&
            a->stats.free_frames == \old(a->stats.free_frames);
    ensures \forall integer j; (head - a->start) * ZEN_PAGE_WORDS_PER_FRAME <= j <
      (head - a->start + zen_block_size(order)) * ZEN_PAGE_WORDS_PER_FRAME ==> a->memory[j] == 0;
 */
static void zen_zero_fill(zen_page_allocator *a, zen_pfn head, unsigned order)
{
    uint64_t size = (uint64_t)1 << order;
    /*@ assert size == zen_block_size(order); */
    uint64_t first = (head - a->start) * ZEN_PAGE_WORDS_PER_FRAME;
    uint64_t end = first + size * ZEN_PAGE_WORDS_PER_FRAME;
    /*@ loop invariant first <= j <= end;
        loop invariant \forall integer i; first <= i < j ==> a->memory[i] == 0;
        loop assigns j, a->memory[first .. end - 1];
        loop variant end - j; */
    for (uint64_t j = first; j < end; j++)
        a->memory[j] = 0;
}

/* zen_page_alloc once the request is valid and order k >= order has a
 * free block: take the block, mark it allocated, account for it, zero it. */
/*@ requires zen_page_valid(a) && order <= k <= ZEN_PAGE_MAX_ORDER && \valid(pfn);
    requires zen_page_canonical(a);
    requires !zen_page_bad_request(a, order, flags);
    requires \separated(pfn, a, a->frames + (0 .. a->nframes - 1), a->words + (0 .. a->nwords - 1));
    requires a->memory != \null ==>
               \separated(pfn, a->memory + (0 .. a->nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    assigns *pfn, a->frames[0 .. a->nframes - 1], a->words[0 .. a->nwords - 1],
            a->stats.free_frames, a->stats.peak_in_use, a->stats.free_blocks[0 .. ZEN_PAGE_MAX_ORDER],
            a->memory[0 .. ((flags & ZEN_PAGE_FLAG_ZERO) != 0 ? a->nframes * ZEN_PAGE_WORDS_PER_FRAME : 0) - 1];
    ensures zen_page_valid(a);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK ==> zen_page_canonical(a);
    ensures \result == ZEN_OK ==>
      a->start <= *pfn && *pfn - a->start + zen_block_size(order) <= a->nframes &&
      zen_aligned(*pfn, order);
    ensures \result == ZEN_OK ==>
      \let p = *pfn; \at(a->frames[p - a->start].state, Pre) == ZEN_FRAME_FREE &&
                     \at(a->frames[p - a->start].order, Pre) >= order;
    ensures \result == ZEN_OK ==>
      a->frames[*pfn - a->start].state == ZEN_FRAME_ALLOCATED &&
      a->frames[*pfn - a->start].order == order &&
      a->frames[*pfn - a->start].refcount == 1 &&
      a->frames[*pfn - a->start].owner == ZEN_OWNER_USER;
    ensures \result == ZEN_OK ==>
      a->stats.free_frames == (uint64_t)(\old(a->stats.free_frames) - zen_block_size(order));
    ensures \result == ZEN_OK && (flags & ZEN_PAGE_FLAG_ZERO) != 0 ==>
      \forall integer j; (*pfn - a->start) * ZEN_PAGE_WORDS_PER_FRAME <= j <
        (*pfn - a->start + zen_block_size(order)) * ZEN_PAGE_WORDS_PER_FRAME ==> a->memory[j] == 0;
 */
static zen_status zen_alloc_from(zen_page_allocator *a, unsigned k, unsigned order, unsigned flags,
                                 zen_pfn *pfn)
{
    zen_status st = zen_take_block(a, k, order, pfn);
    if (st != ZEN_OK)
        return st;
    zen_pfn head = *pfn;
    if ((flags & ZEN_PAGE_FLAG_ZERO) != 0u)
        zen_zero_fill(a, head, order);
    zen_frame_set_used(a, head - a->start, ZEN_FRAME_ALLOCATED, order, ZEN_OWNER_USER, 1);
    zen_count_alloc(a, order);
    return ZEN_OK;
}

/* ---- public API ---------------------------------------------------------- */

uint64_t zen_page_bitmap_words(zen_pfn start, uint64_t nframes)
{
    zen_bitmap_tree tree[ZEN_PAGE_ORDERS];
    if (nframes == 0u || nframes > ZEN_PAGE_MAX_FRAMES || start > ZEN_PFN_LIMIT ||
        nframes > ZEN_PFN_LIMIT - start)
        return 0;
    return zen_tree_layout(start, nframes, tree);
}

zen_status zen_page_init(zen_page_allocator *a, zen_pfn start, uint64_t nframes,
                         zen_page_frame *frames, uint64_t *words, uint64_t nwords,
                         uint64_t *memory, const zen_hooks *hooks)
{
    zen_bitmap_tree tree[ZEN_PAGE_ORDERS];
    if (a == 0 || frames == 0 || words == 0)
        return ZEN_ERR_INVAL;
    if (nframes == 0u || nframes > ZEN_PAGE_MAX_FRAMES || start > ZEN_PFN_LIMIT ||
        nframes > ZEN_PFN_LIMIT - start)
        return ZEN_ERR_INVAL;
    uint64_t needed = zen_tree_layout(start, nframes, tree);
    if (needed == 0u || nwords < needed)
        return ZEN_ERR_INVAL;

    /* The hooks first: the pointer fields below are then the last written. */
    a->hooks.enter = hooks != 0 ? hooks->enter : 0;
    a->hooks.leave = hooks != 0 ? hooks->leave : 0;
    a->hooks.ctx = hooks != 0 ? hooks->ctx : 0;
    a->start = start;
    a->nframes = nframes;
    a->frames = frames;
    a->words = words;
    a->nwords = nwords;
    a->memory = memory;
    a->stats.managed = 0;
    a->stats.free_frames = 0;
    a->stats.peak_in_use = 0;
    a->stats.oom_count = 0;
    a->stats.rejected = 0;
    zen_tree_copy(a->tree, tree);
    zen_zero_counts(a->stats.free_blocks);
    zen_words_clear(words, nwords);
    zen_frames_reserve(frames, nframes);
    /*@ assert zen_page_canonical(a); */
    return ZEN_OK;
}

zen_status zen_page_add_range(zen_page_allocator *a, zen_pfn pfn, uint64_t count)
{
    zen_status st;
    zen_hooks_enter(&a->hooks);
    if (count == 0u)
        st = zen_reject(a, ZEN_ERR_INVAL);
    else if (!zen_pfn_inside(a, pfn) || count > a->nframes - (pfn - a->start))
        st = zen_reject(a, ZEN_ERR_RANGE);
    else if (!zen_all_reserved(a, pfn, count))
        st = zen_reject(a, ZEN_ERR_BUSY);
    else if (a->stats.free_frames > UINT64_MAX - count)
        /* At most nframes <= 2^32 frames are ever free; more is corrupt. */
        st = ZEN_ERR_CORRUPT;
    else {
        a->stats.managed += count;
        st = zen_release_range(a, pfn, pfn + count);
    }
    zen_hooks_leave(&a->hooks);
    return st;
}

zen_status zen_page_alloc(zen_page_allocator *a, unsigned order, unsigned flags, zen_pfn *pfn)
{
    zen_status st;
    zen_hooks_enter(&a->hooks);
    if (order > ZEN_PAGE_MAX_ORDER || flags > ZEN_PAGE_FLAGS_ALL ||
        ((flags & ZEN_PAGE_FLAG_ZERO) != 0u && a->memory == 0)) {
        st = zen_reject(a, ZEN_ERR_INVAL);
    } else {
        unsigned k = zen_first_order(a, order);
        if (k > ZEN_PAGE_MAX_ORDER)
            st = zen_count_oom(a);
        else
            st = zen_alloc_from(a, k, order, flags, pfn);
    }
    zen_hooks_leave(&a->hooks);
    return st;
}

zen_status zen_page_free(zen_page_allocator *a, zen_pfn pfn, unsigned order)
{
    uint64_t index;
    zen_status st;
    zen_hooks_enter(&a->hooks);
    if (order > ZEN_PAGE_MAX_ORDER)
        st = zen_reject(a, ZEN_ERR_INVAL);
    else if ((st = zen_lookup(a, pfn, &index)) != ZEN_OK)
        st = zen_reject(a, st);
    else if (a->frames[index].order != order)
        st = zen_reject(a, ZEN_ERR_ORDER);
    else if (a->frames[index].refcount > 1u)
        st = zen_unref(a, index);
    else
        st = zen_release(a, pfn, order);
    zen_hooks_leave(&a->hooks);
    return st;
}

zen_status zen_page_put(zen_page_allocator *a, zen_pfn pfn)
{
    uint64_t index;
    zen_status st;
    zen_hooks_enter(&a->hooks);
    if ((st = zen_lookup(a, pfn, &index)) != ZEN_OK)
        st = zen_reject(a, st);
    else if (a->frames[index].refcount > 1u)
        st = zen_unref(a, index);
    else
        st = zen_release(a, pfn, a->frames[index].order);
    zen_hooks_leave(&a->hooks);
    return st;
}

zen_status zen_page_get(zen_page_allocator *a, zen_pfn pfn)
{
    uint64_t index;
    zen_status st;
    zen_hooks_enter(&a->hooks);
    if ((st = zen_lookup(a, pfn, &index)) != ZEN_OK)
        st = zen_reject(a, st);
    else if (a->frames[index].refcount == UINT32_MAX)
        st = zen_reject(a, ZEN_ERR_OVERFLOW);
    else
        a->frames[index].refcount++;
    zen_hooks_leave(&a->hooks);
    return st;
}

zen_status zen_page_set_owner(zen_page_allocator *a, zen_pfn pfn, unsigned owner, uint32_t tag)
{
    uint64_t index;
    zen_status st;
    zen_hooks_enter(&a->hooks);
    if (owner > ZEN_OWNER_LAST)
        st = zen_reject(a, ZEN_ERR_INVAL);
    else if ((st = zen_lookup(a, pfn, &index)) != ZEN_OK)
        st = zen_reject(a, st);
    else
        zen_frame_set_owner(a, index, owner, tag);
    zen_hooks_leave(&a->hooks);
    return st;
}

zen_status zen_page_find(const zen_page_allocator *a, zen_pfn pfn, zen_pfn *head)
{
    if (!zen_pfn_inside(a, pfn))
        return ZEN_ERR_RANGE;
    switch (a->frames[pfn - a->start].state) {
    case ZEN_FRAME_ALLOCATED:
        *head = pfn;
        return ZEN_OK;
    case ZEN_FRAME_RESERVED:
        return ZEN_ERR_RESERVED;
    case ZEN_FRAME_FREE:
        return ZEN_ERR_NOT_ALLOCATED;
    case ZEN_FRAME_TAIL:
        break;
    default:
        return ZEN_ERR_CORRUPT;
    }
    /* A tail: the first head met while rounding pfn down to ever larger
     * alignments is the head of the block that holds it, if that block
     * reaches pfn. */
    /*@ loop invariant 1 <= k <= ZEN_PAGE_MAX_ORDER + 1;
        loop assigns k;
        loop variant ZEN_PAGE_MAX_ORDER + 1 - k; */
    for (unsigned k = 1; k <= ZEN_PAGE_MAX_ORDER; k++) {
        zen_pfn h = pfn - (pfn & (((zen_pfn)1 << k) - 1u));
        if (!zen_pfn_inside(a, h))
            break;
        unsigned s = a->frames[h - a->start].state;
        if (s == ZEN_FRAME_ALLOCATED) {
            if (h < pfn && pfn - h < ((uint64_t)1 << a->frames[h - a->start].order)) {
                *head = h;
                return ZEN_OK;
            }
            break;
        }
        if (s == ZEN_FRAME_FREE)
            return ZEN_ERR_NOT_ALLOCATED;
        if (s != ZEN_FRAME_TAIL)
            break;
    }
    return ZEN_ERR_CORRUPT;
}
