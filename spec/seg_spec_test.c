/* Hand-worked examples for the process layout spec. Every expected value
 * below is derived by hand in the comments, not by running the spec.
 * Prints one line per failure and `N passed, N failed` last; exits non-zero
 * on any failure. Pages are 4 KiB: page p is bytes [p * 0x1000, p * 0x1000
 * + 0xFFF]. */
#include <stdio.h>
#include <string.h>

#include "seg_spec.h"
#include "spec_check.h"

#define P 0x1000u

/* TEXT 2 pages (5000 bytes), RODATA 0, DATA 1 page (1 byte), BSS 1 page,
 * COMM 0, heap limit 4 pages, stack 1 page of a 3-page limit, top at page
 * 32, DEBUG 3 pages. */
static zen_image example(void)
{
    zen_image img;
    memset(&img, 0, sizeof img);
    img.page_size = P;
    img.text_size = 5000;
    img.data_size = 1;
    img.bss_size = P;
    img.heap_limit = 4 * P;
    img.stack_size = P;
    img.stack_limit = 3 * P;
    img.top = 32 * P;
    img.debug_size = 3 * P - 7;
    return img;
}

static void test_layout(void)
{
    zen_image img = example();
    seg_spec_layout l;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_OK);
    /* Pages: NULL 0, TRAPVEC 1, ZENVARS 2, TEXT 3-4, RODATA empty at 5,
     * DATA 5, BSS 6, COMM empty at 7, HEAP empty at 7 with its reach
     * ending at page 11 (7 + 4); the stack's reach is pages 29-31
     * (32 - 3), its initial page 31. */
    CHECK(l.seg[ZEN_SEG_NULL].base == 0 && l.seg[ZEN_SEG_NULL].size == P && l.seg[ZEN_SEG_NULL].flags == 0);
    CHECK(l.seg[ZEN_SEG_TRAPVEC].base == P && l.seg[ZEN_SEG_TRAPVEC].size == P);
    CHECK(l.seg[ZEN_SEG_ZENVARS].base == 2 * P && l.seg[ZEN_SEG_ZENVARS].size == P);
    CHECK(l.seg[ZEN_SEG_TEXT].base == 3 * P && l.seg[ZEN_SEG_TEXT].size == 2 * P);
    CHECK(l.seg[ZEN_SEG_RODATA].base == 5 * P && l.seg[ZEN_SEG_RODATA].size == 0);
    CHECK(l.seg[ZEN_SEG_DATA].base == 5 * P && l.seg[ZEN_SEG_DATA].size == P);
    CHECK(l.seg[ZEN_SEG_BSS].base == 6 * P && l.seg[ZEN_SEG_BSS].size == P);
    CHECK(l.seg[ZEN_SEG_COMM].base == 7 * P && l.seg[ZEN_SEG_COMM].size == 0);
    CHECK(l.seg[ZEN_SEG_HEAP].base == 7 * P && l.seg[ZEN_SEG_HEAP].size == 0);
    CHECK(l.heap_end == 11 * P);
    CHECK(l.stack_floor == 29 * P);
    CHECK(l.seg[ZEN_SEG_STACK].base == 31 * P && l.seg[ZEN_SEG_STACK].size == P);
    CHECK(l.seg[ZEN_SEG_DEBUG].base == 0 && l.seg[ZEN_SEG_DEBUG].size == 3 * P);
    CHECK(l.top == 32 * P);
}

static void test_errors(void)
{
    seg_spec_layout l;
    zen_image img = example();
    img.page_size = 2 * P;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_ERR_INVAL);
    img = example();
    img.stack_size = 3 * P + 1;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_ERR_INVAL);
    img = example();
    img.top = 32 * P + 8;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_ERR_MISALIGNED);
    /* Heap reach 7 + 2^52 - 7 pages = 2^52 pages = 2^64 bytes: one too many. */
    img = example();
    img.heap_limit = ((uint64_t)1 << 52) * P - 7 * P;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_ERR_OVERFLOW);
    /* One page less ends at 2^64 - P: representable, but no room under any top. */
    img.heap_limit -= P;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_ERR_NO_FIT);
    img = example();
    img.debug_size = UINT64_MAX; /* rounds to 2^64 */
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_ERR_OVERFLOW);
    /* Reach page 11, guard page 11, stack reach 3 pages: top 15 fits
     * exactly, top 14 does not. */
    img = example();
    img.top = 15 * P;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_OK && l.stack_floor == 12 * P);
    img.top = 14 * P;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_ERR_NO_FIT);
}

static void test_access(void)
{
    zen_image img = example();
    seg_spec_layout l;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_OK);
    /* NULL: nothing, in either mode. */
    CHECK(!seg_spec_page_allows(&l, 0, ZEN_SEG_R, false));
    CHECK(!seg_spec_page_allows(&l, 0, ZEN_SEG_X, false));
    /* TRAPVEC: system read and exec; user nothing. */
    CHECK(seg_spec_page_allows(&l, P, ZEN_SEG_X, false));
    CHECK(!seg_spec_page_allows(&l, P, ZEN_SEG_W, false));
    CHECK(!seg_spec_page_allows(&l, P, ZEN_SEG_R, true));
    /* ZENVARS: read in both modes, never written. */
    CHECK(seg_spec_page_allows(&l, 2 * P, ZEN_SEG_R, true));
    CHECK(!seg_spec_page_allows(&l, 2 * P, ZEN_SEG_W, true));
    CHECK(!seg_spec_page_allows(&l, 2 * P, ZEN_SEG_W, false));
    /* TEXT pages 3-4: read and exec; DATA page 5: read and write, no exec. */
    CHECK(seg_spec_page_allows(&l, 4 * P, ZEN_SEG_X, true));
    CHECK(!seg_spec_page_allows(&l, 4 * P, ZEN_SEG_W, true));
    CHECK(seg_spec_page_allows(&l, 5 * P, ZEN_SEG_W, true));
    CHECK(!seg_spec_page_allows(&l, 5 * P, ZEN_SEG_X, true));
    /* BSS page 6 yes; page 7 (empty COMM and heap) no. */
    CHECK(seg_spec_page_allows(&l, 6 * P, ZEN_SEG_W, true));
    CHECK(!seg_spec_page_allows(&l, 7 * P, ZEN_SEG_R, true));
    /* Stack page 31 yes; page 30 (within reach, not yet grown) and the
     * guard page below the reach no; page 32 (the top) no. */
    CHECK(seg_spec_page_allows(&l, 31 * P, ZEN_SEG_W, true));
    CHECK(!seg_spec_page_allows(&l, 30 * P, ZEN_SEG_R, true));
    CHECK(!seg_spec_page_allows(&l, 28 * P, ZEN_SEG_R, true));
    CHECK(!seg_spec_page_allows(&l, 32 * P, ZEN_SEG_R, false));
}

int main(void)
{
    test_layout();
    test_errors();
    test_access();
    return spec_check_report();
}
