/* Hand-worked examples for the page allocator spec. Every expected pfn below
 * is derived by hand in the comments, not by running the spec.
 * Prints one line per failure and `N passed, N failed` last; exits non-zero
 * on any failure. ZEN_PAGE_MAX_ORDER is assumed to be 10 (the default). */
#include <stdio.h>
#include <string.h>

#include "page_spec.h"
#include "spec_check.h"

/* alloc and expect OK at `want`. */
#define ALLOC_AT(s, order, want)                                                \
    do {                                                                        \
        zen_pfn got_ = 0;                                                       \
        CHECK(page_spec_alloc((s), (order), 0, &got_) == ZEN_OK);               \
        CHECK(got_ == (zen_pfn)(want));                                         \
    } while (0)

static zen_page_stats stats(page_spec *s)
{
    zen_page_stats st;
    page_spec_stats(s, &st);
    return st;
}

/* Range [3, 16): start unaligned, 13 frames. The canonical decomposition is
 * (3,0) [3], (4,2) [4..7], (8,3) [8..15]: 3 is odd; 4 is a multiple of 4 but
 * (0,3) starts before the range; 8..15 is a whole order-3 block and (0,4)
 * leaves the range. */
static void test_unaligned(void)
{
    page_spec s;
    zen_pfn p = 0;
    CHECK(page_spec_init(&s, 3, 13, false) == ZEN_OK);
    CHECK(stats(&s).managed == 0 && stats(&s).free_frames == 0);
    CHECK(page_spec_alloc(&s, 0, 0, &p) == ZEN_ERR_NOMEM); /* nothing usable yet */
    CHECK(page_spec_add_range(&s, 3, 13) == ZEN_OK);
    zen_page_stats st = stats(&s);
    CHECK(st.managed == 13 && st.free_frames == 13);
    CHECK(st.free_blocks[0] == 1 && st.free_blocks[1] == 0 && st.free_blocks[2] == 1 &&
          st.free_blocks[3] == 1 && st.free_blocks[4] == 0);

    ALLOC_AT(&s, 0, 3); /* order 0 exists: (3,0) */
    ALLOC_AT(&s, 0, 4); /* no order 0 or 1; (4,2) splits: keep 4, free (5,0), (6,1) */
    ALLOC_AT(&s, 1, 6); /* (6,1) */
    ALLOC_AT(&s, 2, 8); /* no order 2; (8,3) splits: keep (8,2), free (12,2) */
    st = stats(&s);
    CHECK(st.free_frames == 5 && st.free_blocks[0] == 1 && st.free_blocks[2] == 1);
    CHECK(st.peak_in_use == 8); /* 1 + 1 + 2 + 4 */
    CHECK(page_spec_alloc(&s, 3, 0, &p) == ZEN_ERR_NOMEM);
    CHECK(stats(&s).oom_count == 2 && stats(&s).rejected == 0);

    /* free 4: (4,0) and (5,0) merge into (4,1); (4,2) is not free (6 is
     * allocated) so (4,1) is canonical. */
    CHECK(page_spec_free(&s, 4, 0) == ZEN_OK);
    st = stats(&s);
    CHECK(st.free_blocks[0] == 0 && st.free_blocks[1] == 1 && st.free_blocks[2] == 1);
    /* free 6: [4..7] free; (0,3) starts outside the range: (4,2) canonical. */
    CHECK(page_spec_free(&s, 6, 1) == ZEN_OK);
    st = stats(&s);
    CHECK(st.free_blocks[1] == 0 && st.free_blocks[2] == 2);
    /* free 3: buddy 2 is outside the range, so (3,0) stays alone. */
    CHECK(page_spec_free(&s, 3, 0) == ZEN_OK);
    /* free 8: (8,2)+(12,2) merge to (8,3). Back to the start. */
    CHECK(page_spec_free(&s, 8, 2) == ZEN_OK);
    st = stats(&s);
    CHECK(st.free_frames == 13 && st.free_blocks[0] == 1 && st.free_blocks[2] == 1 &&
          st.free_blocks[3] == 1 && st.peak_in_use == 8);
    page_spec_destroy(&s);
}

/* Exhaustion over [3, 16): order-0 allocations come out in address order
 * 3, 4, ..., 15 (each split keeps the lower half and the lowest free block
 * of the smallest order is always the next frame up); the 14th is NOMEM. */
static void test_exhaustion(void)
{
    page_spec s;
    zen_pfn p = 0;
    CHECK(page_spec_init(&s, 3, 13, false) == ZEN_OK);
    CHECK(page_spec_add_range(&s, 3, 13) == ZEN_OK);
    for (zen_pfn want = 3; want < 16; want++)
        ALLOC_AT(&s, 0, want);
    CHECK(page_spec_alloc(&s, 0, 0, &p) == ZEN_ERR_NOMEM);
    zen_page_stats st = stats(&s);
    CHECK(st.free_frames == 0 && st.peak_in_use == 13 && st.oom_count == 1);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        CHECK(st.free_blocks[k] == 0);
    /* free every other frame: 3,5,...,15 are isolated order-0 blocks. */
    for (zen_pfn q = 3; q < 16; q += 2)
        CHECK(page_spec_free(&s, q, 0) == ZEN_OK);
    st = stats(&s);
    CHECK(st.free_frames == 7 && st.free_blocks[0] == 7 && st.free_blocks[1] == 0);
    /* now an order-1 request fails even with 7 free frames */
    CHECK(page_spec_alloc(&s, 1, 0, &p) == ZEN_ERR_NOMEM);
    /* free 4: 4+5 form (4,1), and 3 stays (3,0). */
    CHECK(page_spec_free(&s, 4, 0) == ZEN_OK);
    ALLOC_AT(&s, 1, 4);
    page_spec_destroy(&s);
}

/* [0, 16) with a hole at 4..7: decomposition (0,2), (8,3). */
static void test_holes(void)
{
    page_spec s;
    zen_pfn p = 0;
    CHECK(page_spec_init(&s, 0, 16, false) == ZEN_OK);
    CHECK(page_spec_add_range(&s, 0, 4) == ZEN_OK);
    CHECK(page_spec_add_range(&s, 8, 8) == ZEN_OK);
    zen_page_stats st = stats(&s);
    CHECK(st.managed == 12 && st.free_blocks[2] == 1 && st.free_blocks[3] == 1 &&
          st.free_blocks[4] == 0);
    ALLOC_AT(&s, 3, 8);
    CHECK(page_spec_alloc(&s, 3, 0, &p) == ZEN_ERR_NOMEM); /* 0..3 is too small */
    ALLOC_AT(&s, 2, 0);
    CHECK(page_spec_alloc(&s, 0, 0, &p) == ZEN_ERR_NOMEM); /* the hole is never used */
    CHECK(page_spec_free(&s, 5, 0) == ZEN_ERR_RESERVED);
    /* filling the hole: 4..7 free; (0,3) has 0..3 allocated -> (4,2) canonical */
    CHECK(page_spec_add_range(&s, 4, 4) == ZEN_OK);
    st = stats(&s);
    CHECK(st.managed == 16 && st.free_frames == 4 && st.free_blocks[2] == 1);
    ALLOC_AT(&s, 0, 4);
    /* free 0 and 8: (0,2) + (4,0)... 4 is allocated so 0..3 stays (0,2);
     * (8,3) has buddy (0,3) not free -> (8,3). */
    CHECK(page_spec_free(&s, 0, 2) == ZEN_OK);
    CHECK(page_spec_free(&s, 8, 3) == ZEN_OK);
    st = stats(&s);
    CHECK(st.free_blocks[0] == 1 && st.free_blocks[1] == 1 && st.free_blocks[2] == 1 &&
          st.free_blocks[3] == 1); /* (5,0), (6,1), (0,2), (8,3) */
    /* free 4: the whole [0,16) is (0,4). */
    CHECK(page_spec_free(&s, 4, 0) == ZEN_OK);
    st = stats(&s);
    CHECK(st.free_blocks[4] == 1 && st.free_blocks[3] == 0 && st.free_frames == 16);
    page_spec_destroy(&s);
}

/* [0, 1000): 1000 = 512 + 256 + 128 + 64 + 32 + 8, so the decomposition is
 * (0,9), (512,8), (768,7), (896,6), (960,5), (992,3). */
static void test_non_power_of_two(void)
{
    page_spec s;
    zen_pfn p = 0;
    CHECK(page_spec_init(&s, 0, 1000, false) == ZEN_OK);
    CHECK(page_spec_add_range(&s, 0, 1000) == ZEN_OK);
    zen_page_stats st = stats(&s);
    CHECK(st.free_blocks[9] == 1 && st.free_blocks[8] == 1 && st.free_blocks[7] == 1 &&
          st.free_blocks[6] == 1 && st.free_blocks[5] == 1 && st.free_blocks[4] == 0 &&
          st.free_blocks[3] == 1 && st.free_blocks[10] == 0);
    CHECK(page_spec_alloc(&s, 10, 0, &p) == ZEN_ERR_NOMEM);
    ALLOC_AT(&s, 4, 960); /* smallest order >= 4 is (960,5): keep 960, free (976,4) */
    ALLOC_AT(&s, 4, 976);
    ALLOC_AT(&s, 4, 896); /* next: (896,6) -> keep (896,4), free (912,4), (928,5) */
    ALLOC_AT(&s, 0, 992); /* smallest order >= 0 is (992,3) */
    ALLOC_AT(&s, 9, 0);
    ALLOC_AT(&s, 5, 928);
    st = stats(&s);
    /* left: (993,0), (994,1), (996,2), (912,4), (512,8), (768,7) */
    CHECK(st.free_frames == 1 + 2 + 4 + 16 + 256 + 128);
    page_spec_destroy(&s);
}

/* A range ending at ZEN_PFN_LIMIT (a multiple of 2^52): [L-5, L) is
 * (L-5,0), (L-4,2). */
static void test_near_limit(void)
{
    page_spec s;
    const zen_pfn L = ZEN_PFN_LIMIT;
    CHECK(page_spec_init(&s, L - 5, 5, false) == ZEN_OK);
    CHECK(page_spec_add_range(&s, L - 5, 5) == ZEN_OK);
    ALLOC_AT(&s, 1, L - 4);
    ALLOC_AT(&s, 1, L - 2);
    ALLOC_AT(&s, 0, L - 5);
    CHECK(page_spec_free(&s, L, 0) == ZEN_ERR_RANGE);
    CHECK(page_spec_free(&s, L - 3, 0) == ZEN_ERR_NOT_HEAD);
    page_spec_destroy(&s);
}

static void test_init_errors(void)
{
    page_spec s;
    CHECK(page_spec_init(&s, 0, 0, false) == ZEN_ERR_INVAL);
    CHECK(page_spec_init(&s, ZEN_PFN_LIMIT - 1, 2, false) == ZEN_ERR_INVAL);
    CHECK(page_spec_init(&s, ZEN_PFN_LIMIT, 1, false) == ZEN_ERR_INVAL);
    CHECK(page_spec_init(&s, UINT64_MAX, 1, false) == ZEN_ERR_INVAL);
    CHECK(page_spec_init(&s, 0, ZEN_PAGE_MAX_FRAMES + 1, false) == ZEN_ERR_INVAL);
    CHECK(page_spec_init(&s, ZEN_PFN_LIMIT - 4, 4, false) == ZEN_OK);
    page_spec_destroy(&s);
}

/* Every error code and its precedence, over [16, 32) with 16..23 usable. */
static void test_errors(void)
{
    page_spec s;
    zen_pfn p = 0;
    CHECK(page_spec_init(&s, 16, 16, false) == ZEN_OK);
    CHECK(page_spec_add_range(&s, 16, 8) == ZEN_OK); /* (16,3) free; 24..31 reserved */

    /* add_range */
    CHECK(page_spec_add_range(&s, 16, 0) == ZEN_ERR_INVAL);
    CHECK(page_spec_add_range(&s, 99, 0) == ZEN_ERR_INVAL);  /* count first */
    CHECK(page_spec_add_range(&s, 15, 1) == ZEN_ERR_RANGE);
    CHECK(page_spec_add_range(&s, 30, 3) == ZEN_ERR_RANGE);  /* 32 is outside */
    CHECK(page_spec_add_range(&s, 20, UINT64_MAX) == ZEN_ERR_RANGE); /* wraps */
    CHECK(page_spec_add_range(&s, UINT64_MAX, 2) == ZEN_ERR_RANGE);
    CHECK(page_spec_add_range(&s, 23, 2) == ZEN_ERR_BUSY);   /* 23 is usable */
    CHECK(stats(&s).rejected == 7 && stats(&s).managed == 8);

    /* alloc */
    CHECK(page_spec_alloc(&s, ZEN_PAGE_MAX_ORDER + 1, 0, &p) == ZEN_ERR_INVAL);
    CHECK(page_spec_alloc(&s, ZEN_PAGE_MAX_ORDER + 1, 2, &p) == ZEN_ERR_INVAL);
    CHECK(page_spec_alloc(&s, 0, 2, &p) == ZEN_ERR_INVAL);
    CHECK(page_spec_alloc(&s, 0, ZEN_PAGE_FLAG_ZERO, &p) == ZEN_ERR_INVAL); /* no direct map */
    CHECK(page_spec_alloc(&s, 4, 0, &p) == ZEN_ERR_NOMEM); /* not counted as rejected */
    CHECK(stats(&s).rejected == 11 && stats(&s).oom_count == 1);
    ALLOC_AT(&s, 2, 16); /* (16,3) -> keep (16,2), free (20,2) */

    /* free, in precedence order */
    CHECK(page_spec_free(&s, 15, ZEN_PAGE_MAX_ORDER + 1) == ZEN_ERR_INVAL); /* order first */
    CHECK(page_spec_free(&s, 15, 0) == ZEN_ERR_RANGE);
    CHECK(page_spec_free(&s, 32, 0) == ZEN_ERR_RANGE);
    CHECK(page_spec_free(&s, 24, 0) == ZEN_ERR_RESERVED);
    CHECK(page_spec_free(&s, 17, 2) == ZEN_ERR_NOT_HEAD);
    CHECK(page_spec_free(&s, 20, 2) == ZEN_ERR_NOT_ALLOCATED); /* head of a free block */
    CHECK(page_spec_free(&s, 21, 0) == ZEN_ERR_NOT_ALLOCATED); /* tail of a free block */
    CHECK(page_spec_free(&s, 16, 1) == ZEN_ERR_ORDER);
    CHECK(stats(&s).rejected == 19);
    CHECK(stats(&s).free_frames == 4); /* errors changed nothing */
    CHECK(page_spec_free(&s, 16, 2) == ZEN_OK);
    CHECK(page_spec_free(&s, 16, 2) == ZEN_ERR_NOT_ALLOCATED); /* double free */

    /* get / put / set_owner */
    CHECK(page_spec_get(&s, 15) == ZEN_ERR_RANGE);
    CHECK(page_spec_get(&s, 24) == ZEN_ERR_RESERVED);
    CHECK(page_spec_put(&s, 16) == ZEN_ERR_NOT_ALLOCATED);
    CHECK(page_spec_set_owner(&s, 24, ZEN_OWNER_LAST + 1) == ZEN_ERR_INVAL); /* owner first */
    CHECK(page_spec_set_owner(&s, 24, ZEN_OWNER_SLAB) == ZEN_ERR_RESERVED);
    CHECK(page_spec_set_owner(&s, 40, ZEN_OWNER_SLAB) == ZEN_ERR_RANGE);
    ALLOC_AT(&s, 1, 16);
    CHECK(page_spec_get(&s, 17) == ZEN_ERR_NOT_HEAD);
    CHECK(page_spec_put(&s, 17) == ZEN_ERR_NOT_HEAD);
    CHECK(page_spec_set_owner(&s, 17, ZEN_OWNER_SLAB) == ZEN_ERR_NOT_HEAD);
    CHECK(page_spec_get(&s, 18) == ZEN_ERR_NOT_ALLOCATED);
    CHECK(stats(&s).rejected == 30); /* 19 + 11 refusals above */
    page_spec_destroy(&s);
}

static uint32_t refcount_of(const page_spec *s, zen_pfn pfn)
{
    const page_spec_block *b = NULL;
    return page_spec_lookup(s, pfn, &b) == ZEN_OK ? b->refcount : 0;
}

static void test_refcounts(void)
{
    page_spec s;
    const page_spec_block *b = NULL;
    CHECK(page_spec_init(&s, 0, 8, true) == ZEN_OK);
    CHECK(page_spec_add_range(&s, 0, 8) == ZEN_OK);
    zen_pfn p = 0;
    CHECK(page_spec_alloc(&s, 1, ZEN_PAGE_FLAG_ZERO, &p) == ZEN_OK); /* direct map: ZERO ok */
    CHECK(p == 0);
    CHECK(page_spec_lookup(&s, 0, &b) == ZEN_OK && b->owner == ZEN_OWNER_USER && b->order == 1);
    CHECK(page_spec_get(&s, 0) == ZEN_OK);
    CHECK(page_spec_get(&s, 0) == ZEN_OK);
    CHECK(refcount_of(&s, 0) == 3);
    CHECK(page_spec_free(&s, 0, 1) == ZEN_OK);
    CHECK(refcount_of(&s, 0) == 2 && stats(&s).free_frames == 6);
    CHECK(page_spec_set_owner(&s, 0, ZEN_OWNER_SLAB) == ZEN_OK);
    CHECK(page_spec_lookup(&s, 0, &b) == ZEN_OK && b->owner == ZEN_OWNER_SLAB);
    CHECK(page_spec_put(&s, 0) == ZEN_OK);
    CHECK(refcount_of(&s, 0) == 1 && stats(&s).free_frames == 6);
    CHECK(page_spec_put(&s, 0) == ZEN_OK); /* last reference: (0,3) whole again */
    CHECK(stats(&s).free_frames == 8 && stats(&s).free_blocks[3] == 1);
    CHECK(page_spec_put(&s, 0) == ZEN_ERR_NOT_ALLOCATED);

    /* Overflow: drive the count to the top by hand (4e9 gets would be slow). */
    ALLOC_AT(&s, 0, 0);
    s.blocks[0].refcount = UINT32_MAX - 1;
    CHECK(page_spec_get(&s, 0) == ZEN_OK);
    CHECK(refcount_of(&s, 0) == UINT32_MAX);
    uint64_t rej = stats(&s).rejected;
    CHECK(page_spec_get(&s, 0) == ZEN_ERR_OVERFLOW);
    CHECK(refcount_of(&s, 0) == UINT32_MAX && stats(&s).rejected == rej + 1);
    page_spec_destroy(&s);
}

/* The free-block listing: order 0 first, by address within an order. */
static void test_free_block_list(void)
{
    page_spec s;
    page_spec_block list[8];
    CHECK(page_spec_init(&s, 3, 13, false) == ZEN_OK);
    CHECK(page_spec_free_blocks(&s, list, 8) == 0); /* nothing usable yet */
    CHECK(page_spec_add_range(&s, 3, 13) == ZEN_OK);
    /* [3,16) is (3,0), (4,2), (8,3) (see test_unaligned). */
    CHECK(page_spec_free_blocks(&s, list, 8) == 3);
    CHECK(list[0].head == 3 && list[0].order == 0);
    CHECK(list[1].head == 4 && list[1].order == 2);
    CHECK(list[2].head == 8 && list[2].order == 3);
    CHECK(list[0].refcount == 0 && list[2].owner == ZEN_OWNER_NONE);
    /* cap 1: only the first is written, the total is still 3 */
    list[1].head = 99;
    CHECK(page_spec_free_blocks(&s, list, 1) == 3 && list[0].head == 3 && list[1].head == 99);
    /* take 3 (order 0), then 4: (4,2) splits into [4], (5,0), (6,1) */
    ALLOC_AT(&s, 0, 3);
    ALLOC_AT(&s, 0, 4);
    CHECK(page_spec_free_blocks(&s, list, 8) == 3);
    CHECK(list[0].head == 5 && list[0].order == 0);
    CHECK(list[1].head == 6 && list[1].order == 1);
    CHECK(list[2].head == 8 && list[2].order == 3);
    page_spec_destroy(&s);

    /* [0,16) with 4..7 a hole: (0,2), (8,3); with 0..3 allocated as one
     * order-2 block only (8,3) is left. */
    CHECK(page_spec_init(&s, 0, 16, false) == ZEN_OK);
    CHECK(page_spec_add_range(&s, 0, 4) == ZEN_OK);
    CHECK(page_spec_add_range(&s, 8, 8) == ZEN_OK);
    CHECK(page_spec_free_blocks(&s, list, 8) == 2);
    CHECK(list[0].head == 0 && list[0].order == 2 && list[1].head == 8 && list[1].order == 3);
    ALLOC_AT(&s, 2, 0);
    CHECK(page_spec_free_blocks(&s, list, 8) == 1 && list[0].head == 8 && list[0].order == 3);
    page_spec_destroy(&s);
}

int main(void)
{
    test_unaligned();
    test_exhaustion();
    test_holes();
    test_non_power_of_two();
    test_near_limit();
    test_init_errors();
    test_errors();
    test_refcounts();
    test_free_block_list();
    return spec_check_report();
}
