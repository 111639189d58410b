/* Consistency checker of the page allocator: walks every descriptor and every
 * bitmap word and reports the first invariant it finds broken. */
#include "zen_page_internal.h"

/* Number of set bits of x; the checker is not on a hot path. */
/*@ assigns \nothing;
    ensures \result <= 64; */
static unsigned zen_popcount64(uint64_t x)
{
    unsigned n = 0;
    /*@ loop invariant 0 <= b <= 64 && n <= b;
        loop assigns b, n;
        loop variant 64 - b; */
    for (unsigned b = 0; b < 64u; b++)
        n += (unsigned)((x >> b) & 1u);
    return n;
}

/*@ requires zen_page_valid(a) && k <= ZEN_PAGE_MAX_ORDER;
    assigns \nothing; */
static int zen_bit_is_set(const zen_page_allocator *a, unsigned k, uint64_t index)
{
    const zen_bitmap_tree *t = &a->tree[k];
    if (index / 64u >= t->length[0])
        return 0;
    return (int)((a->words[t->offset[0] + index / 64u] >> (index % 64u)) & 1u);
}

/* A summary bit is set exactly when the word it stands for is non-zero, and
 * bits past the end of the level below are clear. */
/*@ requires zen_page_valid(a) && k <= ZEN_PAGE_MAX_ORDER;
    assigns \nothing; */
static int zen_summary_ok(const zen_page_allocator *a, unsigned k)
{
    const zen_bitmap_tree *t = &a->tree[k];
    /*@ loop invariant 1 <= l <= t->levels || (l == 1 && t->levels < 1);
        loop assigns l;
        loop variant t->levels - l; */
    for (uint32_t l = 1; l < t->levels; l++) {
        /*@ loop invariant 0 <= w <= t->length[l];
            loop assigns w;
            loop variant t->length[l] - w; */
        for (uint64_t w = 0; w < t->length[l]; w++) {
            uint64_t word = a->words[t->offset[l] + w];
            /*@ loop invariant 0 <= b <= 64;
                loop assigns b;
                loop variant 64 - b; */
            for (unsigned b = 0; b < 64u; b++) {
                uint64_t child = w * 64u + b;
                int expect = child < t->length[l - 1u] &&
                             a->words[t->offset[l - 1u] + child] != 0u;
                if ((int)((word >> b) & 1u) != expect)
                    return 0;
            }
        }
    }
    return 1;
}

/* What the descriptor walk counts, for comparison with bitmaps and stats. */
typedef struct zen_check_totals {
    uint64_t free_blocks[ZEN_PAGE_ORDERS];
    uint64_t free_frames;
    uint64_t managed;
} zen_check_totals;

/* Walk the descriptors block by block: states, orders, head alignment, tails,
 * reference counts, the bitmap bit of every free head, maximality. Returns the
 * first broken invariant (its frame in *where) or ZEN_INV_NONE with the
 * totals filled in. */
/*@ requires zen_page_valid(a) && \valid(where) && \valid(totals);
    requires \separated(where, totals, a, a->frames + (0 .. a->nframes - 1),
                        a->words + (0 .. a->nwords - 1));
    requires \separated(totals, a, a->frames + (0 .. a->nframes - 1),
                        a->words + (0 .. a->nwords - 1));
    assigns *where, *totals;
    ensures \result <= ZEN_INV_COUNTS;
 */
static unsigned zen_check_frames(const zen_page_allocator *a, zen_pfn *where,
                                 zen_check_totals *totals)
{
    /*@ loop invariant 0 <= k <= ZEN_PAGE_ORDERS;
        loop assigns k, totals->free_blocks[0 .. ZEN_PAGE_MAX_ORDER];
        loop variant ZEN_PAGE_ORDERS - k; */
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        totals->free_blocks[k] = 0;
    totals->free_frames = 0;
    totals->managed = 0;
    *where = 0;

    uint64_t i = 0;
    /*@ loop invariant 0 <= i <= a->nframes;
        loop assigns i, *where, *totals;
        loop variant a->nframes - i; */
    while (i < a->nframes) {
        const zen_page_frame *f = &a->frames[i];
        zen_pfn pfn = a->start + i;
        *where = pfn;
        if (f->state == ZEN_FRAME_RESERVED) {
            if (f->order > ZEN_PAGE_MAX_ORDER)
                return ZEN_INV_FRAME_STATE;
            if (f->refcount != 0u)
                return ZEN_INV_REFCOUNT;
            i++;
            continue;
        }
        if (f->state == ZEN_FRAME_TAIL)
            return ZEN_INV_TAIL;
        if ((f->state != ZEN_FRAME_FREE && f->state != ZEN_FRAME_ALLOCATED) ||
            f->order > ZEN_PAGE_MAX_ORDER)
            return ZEN_INV_FRAME_STATE;

        unsigned k = f->order;
        uint64_t size = (uint64_t)1 << k;
        /*@ assert size == zen_block_size(k); */
        if ((pfn & (size - 1u)) != 0u || !zen_block_inside(a, pfn, k))
            return ZEN_INV_HEAD_ALIGN;
        if (f->state == ZEN_FRAME_FREE) {
            if (f->refcount != 0u)
                return ZEN_INV_REFCOUNT;
            if (!zen_bit_is_set(a, k, zen_block_index(a, pfn, k)))
                return ZEN_INV_BITMAP;
            zen_pfn buddy = pfn ^ size;
            if (k < ZEN_PAGE_MAX_ORDER && zen_block_inside(a, buddy, k) &&
                a->frames[buddy - a->start].state == ZEN_FRAME_FREE &&
                a->frames[buddy - a->start].order == k)
                return ZEN_INV_NOT_MAXIMAL;
            totals->free_blocks[k]++;
            totals->free_frames += size;
        } else if (f->refcount == 0u) {
            return ZEN_INV_REFCOUNT;
        }
        /*@ loop invariant 1 <= j <= size;
            loop assigns j, *where;
            loop variant size - j; */
        for (uint64_t j = 1; j < size; j++) {
            *where = pfn + j;
            if (a->frames[i + j].state != ZEN_FRAME_TAIL)
                return ZEN_INV_TAIL;
            if (a->frames[i + j].order > ZEN_PAGE_MAX_ORDER)
                return ZEN_INV_FRAME_STATE;
        }
        totals->managed += size;
        i += size;
    }
    *where = 0;
    return ZEN_INV_NONE;
}

/* Compare the bitmaps, their summary levels and the statistics with the
 * totals of the descriptor walk. Every free head has its bit (checked by the
 * walk), so equal counts mean no stray bits. */
/*@ requires zen_page_valid(a) && \valid_read(totals);
    assigns \nothing;
    ensures \result <= ZEN_INV_COUNTS;
 */
static unsigned zen_check_bitmaps(const zen_page_allocator *a, const zen_check_totals *totals)
{
    /*@ loop invariant 0 <= k <= ZEN_PAGE_MAX_ORDER + 1;
        loop assigns k;
        loop variant ZEN_PAGE_MAX_ORDER + 1 - k; */
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++) {
        const zen_bitmap_tree *t = &a->tree[k];
        uint64_t bits = 0;
        /*@ loop invariant 0 <= w <= t->length[0];
            loop assigns w, bits;
            loop variant t->length[0] - w; */
        for (uint64_t w = 0; w < t->length[0]; w++)
            bits += zen_popcount64(a->words[t->offset[0] + w]);
        if (bits != totals->free_blocks[k])
            return ZEN_INV_BITMAP;
        if (!zen_summary_ok(a, k))
            return ZEN_INV_SUMMARY;
        if (a->stats.free_blocks[k] != totals->free_blocks[k])
            return ZEN_INV_COUNTS;
    }
    if (a->stats.free_frames != totals->free_frames || a->stats.managed != totals->managed ||
        a->stats.peak_in_use < totals->managed - totals->free_frames)
        return ZEN_INV_COUNTS;
    return ZEN_INV_NONE;
}

zen_status zen_page_check(zen_page_allocator *a, zen_page_check_report *report)
{
    zen_check_totals totals;
    zen_pfn where;
    unsigned invariant = zen_check_frames(a, &where, &totals);
    if (invariant == ZEN_INV_NONE)
        invariant = zen_check_bitmaps(a, &totals);
    report->invariant = invariant;
    report->pfn = where;
    return invariant == ZEN_INV_NONE ? ZEN_OK : ZEN_ERR_CORRUPT;
}
