/* Zen page allocator: binary buddy system. See zen_page.h for the contract. */
#include "zen_page_internal.h"

/* ---- summary tree over one order's free bitmap --------------------------- */

/* Lay out the trees of every order one after the other; returns the number of
 * words used, or 0 if a tree would need more than ZEN_BITMAP_MAX_LEVELS. */
static uint64_t zen_tree_layout(zen_pfn start, uint64_t nframes, zen_bitmap_tree *tree)
{
    uint64_t used = 0;
    zen_pfn last = start + nframes - 1u;
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++) {
        uint64_t bits = (last >> k) - (start >> k) + 1u;
        uint32_t l = 0;
        uint64_t len;
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
    }
    return used;
}

/* Set bit i of level 0 and the summary bits above it that were clear. */
static zen_status zen_tree_set(uint64_t *words, const zen_bitmap_tree *t, uint64_t i)
{
    for (uint32_t l = 0; l < t->levels; l++) {
        uint64_t w = i >> 6;
        if (w >= t->length[l])
            return ZEN_ERR_CORRUPT;
        uint64_t old = words[t->offset[l] + w];
        words[t->offset[l] + w] = old | ((uint64_t)1 << (i & 63u));
        if (old != 0u)
            break;
        i = w;
    }
    return ZEN_OK;
}

/* Clear bit i of level 0 and the summary bits whose word became empty. */
static zen_status zen_tree_clear(uint64_t *words, const zen_bitmap_tree *t, uint64_t i)
{
    for (uint32_t l = 0; l < t->levels; l++) {
        uint64_t w = i >> 6;
        if (w >= t->length[l])
            return ZEN_ERR_CORRUPT;
        uint64_t now = words[t->offset[l] + w] & ~((uint64_t)1 << (i & 63u));
        words[t->offset[l] + w] = now;
        if (now != 0u)
            break;
        i = w;
    }
    return ZEN_OK;
}

/* Lowest set bit of level 0, found by descending from the top word. */
static zen_status zen_tree_first(const uint64_t *words, const zen_bitmap_tree *t, uint64_t *first)
{
    uint64_t i = 0;
    for (uint32_t l = t->levels; l > 0u; l--) {
        if (i >= t->length[l - 1u])
            return ZEN_ERR_CORRUPT;
        uint64_t word = words[t->offset[l - 1u] + i];
        unsigned bit = zen_ctz64(word);
        if (bit >= 64u)
            return ZEN_ERR_CORRUPT;
        i = (i << 6) + bit;
    }
    *first = i;
    return ZEN_OK;
}

/* ---- free-block bookkeeping ---------------------------------------------- */

static zen_status zen_free_list_add(zen_page_allocator *a, zen_pfn head, unsigned k)
{
    zen_frame_set(&a->frames[head - a->start], ZEN_FRAME_FREE, k, ZEN_OWNER_NONE, 0);
    a->stats.free_blocks[k]++;
    return zen_tree_set(a->words, &a->tree[k], zen_block_index(a, head, k));
}

static zen_status zen_free_list_remove(zen_page_allocator *a, zen_pfn head, unsigned k)
{
    a->stats.free_blocks[k]--;
    return zen_tree_clear(a->words, &a->tree[k], zen_block_index(a, head, k));
}

/* Return the block of 2^k frames at head to the free space, merging it with
 * its XOR buddy while the buddy is a whole free block of the same order. */
static zen_status zen_release(zen_page_allocator *a, zen_pfn head, unsigned k)
{
    a->stats.free_frames += (uint64_t)1 << k;
    while (k < ZEN_PAGE_MAX_ORDER) {
        zen_pfn buddy = head ^ ((uint64_t)1 << k);
        if (!zen_block_inside(a, buddy, k))
            break;
        zen_page_frame *b = &a->frames[buddy - a->start];
        if (b->state != ZEN_FRAME_FREE || b->order != k)
            break;
        zen_status st = zen_free_list_remove(a, buddy, k);
        if (st != ZEN_OK)
            return st;
        /* The upper half of the merged block becomes a tail. */
        zen_pfn upper = head > buddy ? head : buddy;
        zen_frame_set(&a->frames[upper - a->start], ZEN_FRAME_TAIL, 0, ZEN_OWNER_NONE, 0);
        head = head < buddy ? head : buddy;
        k++;
    }
    return zen_free_list_add(a, head, k);
}

/* Classify pfn for free/get/put/set_owner: ZEN_OK with *index when pfn heads
 * an allocated block, otherwise the error that names why it does not. */
static zen_status zen_lookup(const zen_page_allocator *a, zen_pfn pfn, uint64_t *index)
{
    if (pfn < a->start || pfn - a->start >= a->nframes)
        return ZEN_ERR_RANGE;
    switch (a->frames[pfn - a->start].state) {
    case ZEN_FRAME_ALLOCATED:
        *index = pfn - a->start;
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
     * alignments is the head of the block that holds it. */
    for (unsigned k = 1; k <= ZEN_PAGE_MAX_ORDER; k++) {
        zen_pfn h = (pfn >> k) << k;
        if (h < a->start)
            break;
        unsigned s = a->frames[h - a->start].state;
        if (s == ZEN_FRAME_ALLOCATED)
            return ZEN_ERR_NOT_HEAD;
        if (s == ZEN_FRAME_FREE)
            return ZEN_ERR_NOT_ALLOCATED;
        if (s != ZEN_FRAME_TAIL)
            break;
    }
    return ZEN_ERR_CORRUPT;
}

static zen_status zen_reject(zen_page_allocator *a, zen_status st)
{
    a->stats.rejected++;
    return st;
}

/* Drop one reference on the allocated block at index; free it at zero. */
static zen_status zen_drop(zen_page_allocator *a, uint64_t index)
{
    zen_page_frame *f = &a->frames[index];
    if (f->refcount > 1u) {
        f->refcount--;
        return ZEN_OK;
    }
    return zen_release(a, a->start + index, f->order);
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
                         uint64_t *memory)
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

    a->start = start;
    a->nframes = nframes;
    a->frames = frames;
    a->words = words;
    a->nwords = nwords;
    a->memory = memory;
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++) {
        a->tree[k] = tree[k];
        a->stats.free_blocks[k] = 0;
    }
    a->stats.managed = 0;
    a->stats.free_frames = 0;
    a->stats.peak_in_use = 0;
    a->stats.oom_count = 0;
    a->stats.rejected = 0;
    for (uint64_t i = 0; i < nframes; i++)
        zen_frame_set(&frames[i], ZEN_FRAME_RESERVED, 0, ZEN_OWNER_NONE, 0);
    for (uint64_t i = 0; i < nwords; i++)
        words[i] = 0;
    return ZEN_OK;
}

zen_status zen_page_add_range(zen_page_allocator *a, zen_pfn pfn, uint64_t count)
{
    if (count == 0u)
        return zen_reject(a, ZEN_ERR_INVAL);
    if (pfn < a->start || pfn - a->start >= a->nframes || count > a->nframes - (pfn - a->start))
        return zen_reject(a, ZEN_ERR_RANGE);
    uint64_t first = pfn - a->start;
    for (uint64_t i = 0; i < count; i++)
        if (a->frames[first + i].state != ZEN_FRAME_RESERVED)
            return zen_reject(a, ZEN_ERR_BUSY);

    /* Free the range as the largest aligned blocks that fit; each merges
     * with what is already free around it. */
    zen_pfn p = pfn;
    zen_pfn end = pfn + count;
    a->stats.managed += count;
    while (p < end) {
        unsigned k = 0;
        while (k < ZEN_PAGE_MAX_ORDER && ((p >> k) & 1u) == 0u &&
               ((uint64_t)2 << k) <= end - p)
            k++;
        for (uint64_t j = 1; j < ((uint64_t)1 << k); j++)
            zen_frame_set(&a->frames[p - a->start + j], ZEN_FRAME_TAIL, 0, ZEN_OWNER_NONE, 0);
        zen_status st = zen_release(a, p, k);
        if (st != ZEN_OK)
            return st;
        p += (uint64_t)1 << k;
    }
    return ZEN_OK;
}

zen_status zen_page_alloc(zen_page_allocator *a, unsigned order, unsigned flags, zen_pfn *pfn)
{
    if (order > ZEN_PAGE_MAX_ORDER || (flags & ~ZEN_PAGE_FLAGS_ALL) != 0u ||
        ((flags & ZEN_PAGE_FLAG_ZERO) != 0u && a->memory == 0))
        return zen_reject(a, ZEN_ERR_INVAL);

    unsigned k = order;
    while (k <= ZEN_PAGE_MAX_ORDER && a->stats.free_blocks[k] == 0u)
        k++;
    if (k > ZEN_PAGE_MAX_ORDER) {
        a->stats.oom_count++;
        return ZEN_ERR_NOMEM;
    }

    uint64_t index;
    zen_status st = zen_tree_first(a->words, &a->tree[k], &index);
    if (st != ZEN_OK)
        return st;
    zen_pfn head = ((a->start >> k) + index) << k;
    if (!zen_block_inside(a, head, k))
        return ZEN_ERR_CORRUPT;
    zen_page_frame *f = &a->frames[head - a->start];
    if (f->state != ZEN_FRAME_FREE || f->order != k)
        return ZEN_ERR_CORRUPT;

    st = zen_free_list_remove(a, head, k);
    /* Split, keeping the lower half and freeing the upper one. */
    while (st == ZEN_OK && k > order) {
        k--;
        st = zen_free_list_add(a, head + ((uint64_t)1 << k), k);
    }
    if (st != ZEN_OK)
        return st;

    zen_frame_set(f, ZEN_FRAME_ALLOCATED, order, ZEN_OWNER_USER, 1);
    a->stats.free_frames -= (uint64_t)1 << order;
    uint64_t in_use = a->stats.managed - a->stats.free_frames;
    if (in_use > a->stats.peak_in_use)
        a->stats.peak_in_use = in_use;

    if ((flags & ZEN_PAGE_FLAG_ZERO) != 0u) {
        uint64_t *m = a->memory + (head - a->start) * ZEN_PAGE_WORDS_PER_FRAME;
        uint64_t n = ((uint64_t)1 << order) * ZEN_PAGE_WORDS_PER_FRAME;
        for (uint64_t j = 0; j < n; j++)
            m[j] = 0;
    }
    *pfn = head;
    return ZEN_OK;
}

zen_status zen_page_free(zen_page_allocator *a, zen_pfn pfn, unsigned order)
{
    uint64_t index;
    if (order > ZEN_PAGE_MAX_ORDER)
        return zen_reject(a, ZEN_ERR_INVAL);
    zen_status st = zen_lookup(a, pfn, &index);
    if (st != ZEN_OK)
        return zen_reject(a, st);
    if (a->frames[index].order != order)
        return zen_reject(a, ZEN_ERR_ORDER);
    return zen_drop(a, index);
}

zen_status zen_page_put(zen_page_allocator *a, zen_pfn pfn)
{
    uint64_t index;
    zen_status st = zen_lookup(a, pfn, &index);
    if (st != ZEN_OK)
        return zen_reject(a, st);
    return zen_drop(a, index);
}

zen_status zen_page_get(zen_page_allocator *a, zen_pfn pfn)
{
    uint64_t index;
    zen_status st = zen_lookup(a, pfn, &index);
    if (st != ZEN_OK)
        return zen_reject(a, st);
    if (a->frames[index].refcount == UINT32_MAX)
        return zen_reject(a, ZEN_ERR_OVERFLOW);
    a->frames[index].refcount++;
    return ZEN_OK;
}

zen_status zen_page_set_owner(zen_page_allocator *a, zen_pfn pfn, unsigned owner)
{
    uint64_t index;
    if (owner > ZEN_OWNER_LAST)
        return zen_reject(a, ZEN_ERR_INVAL);
    zen_status st = zen_lookup(a, pfn, &index);
    if (st != ZEN_OK)
        return zen_reject(a, st);
    a->frames[index].owner = (uint8_t)owner;
    return ZEN_OK;
}
