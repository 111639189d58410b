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

/* The page rule, seg_spec_page_fault: ZEN_FAULT_NONE allows. */
#define U ZEN_SEG_USER
#define S ZEN_SEG_SYSTEM
static void test_page_rule(void)
{
    zen_image img = example();
    seg_spec_layout l;
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_OK);
    /* NULL: nothing, in either mode. */
    CHECK(seg_spec_page_fault(&l, 0, ZEN_SEG_R, S) == ZEN_FAULT_NULL_PAGE);
    CHECK(seg_spec_page_fault(&l, 0, ZEN_SEG_X, U) == ZEN_FAULT_NULL_PAGE);
    /* TRAPVEC: system read and exec; user nothing, whatever the access. */
    CHECK(seg_spec_page_fault(&l, P, ZEN_SEG_X, S) == ZEN_FAULT_NONE);
    CHECK(seg_spec_page_fault(&l, P, ZEN_SEG_W, S) == ZEN_FAULT_PERMISSION);
    CHECK(seg_spec_page_fault(&l, P, ZEN_SEG_R, U) == ZEN_FAULT_MODE);
    CHECK(seg_spec_page_fault(&l, P, ZEN_SEG_W, U) == ZEN_FAULT_MODE);
    /* ZENVARS: read in both modes, never written. */
    CHECK(seg_spec_page_fault(&l, 2 * P, ZEN_SEG_R, U) == ZEN_FAULT_NONE);
    CHECK(seg_spec_page_fault(&l, 2 * P, ZEN_SEG_W, U) == ZEN_FAULT_PERMISSION);
    CHECK(seg_spec_page_fault(&l, 2 * P, ZEN_SEG_W, S) == ZEN_FAULT_PERMISSION);
    /* TEXT pages 3-4: read and exec; DATA page 5: read and write, no exec. */
    CHECK(seg_spec_page_fault(&l, 4 * P, ZEN_SEG_X, U) == ZEN_FAULT_NONE);
    CHECK(seg_spec_page_fault(&l, 4 * P, ZEN_SEG_W, U) == ZEN_FAULT_PERMISSION);
    CHECK(seg_spec_page_fault(&l, 5 * P, ZEN_SEG_W, U) == ZEN_FAULT_NONE);
    CHECK(seg_spec_page_fault(&l, 5 * P, ZEN_SEG_X, U) == ZEN_FAULT_PERMISSION);
    /* BSS page 6 yes; page 7 (empty COMM and heap) is in no segment. */
    CHECK(seg_spec_page_fault(&l, 6 * P, ZEN_SEG_W, U) == ZEN_FAULT_NONE);
    CHECK(seg_spec_page_fault(&l, 7 * P, ZEN_SEG_R, U) == ZEN_FAULT_NO_SEGMENT);
    /* Stack page 31 yes; page 30 (within reach, not yet grown), the guard
     * page below the reach and page 32 (the top) are in no segment. */
    CHECK(seg_spec_page_fault(&l, 31 * P, ZEN_SEG_W, U) == ZEN_FAULT_NONE);
    CHECK(seg_spec_page_fault(&l, 30 * P, ZEN_SEG_R, U) == ZEN_FAULT_NO_SEGMENT);
    CHECK(seg_spec_page_fault(&l, 28 * P, ZEN_SEG_R, U) == ZEN_FAULT_NO_SEGMENT);
    CHECK(seg_spec_page_fault(&l, 32 * P, ZEN_SEG_R, S) == ZEN_FAULT_NO_SEGMENT);
}

/* seg_spec_access: ranges over several pages, in the example's layout. */
static void test_access(void)
{
    zen_image img = example();
    seg_spec_layout l;
    zen_fault f = {0, 0, 0};
    CHECK(seg_spec_layout_of(&img, &l) == ZEN_OK);
    /* Bad requests, then a range past 2^64 - 1. */
    CHECK(seg_spec_access(&l, 3 * P, 0, ZEN_SEG_R, U, &f) == ZEN_ERR_INVAL);
    CHECK(seg_spec_access(&l, 3 * P, 1, ZEN_SEG_R | ZEN_SEG_W, U, &f) == ZEN_ERR_INVAL);
    CHECK(seg_spec_access(&l, 3 * P, 1, ZEN_SEG_R, 2, &f) == ZEN_ERR_INVAL);
    CHECK(seg_spec_access(&l, UINT64_MAX, 2, ZEN_SEG_R, U, &f) == ZEN_ERR_OVERFLOW);
    CHECK(f.signal == 0); /* not written */
    /* The last byte of the space: in no segment, at itself. */
    CHECK(seg_spec_access(&l, UINT64_MAX, 1, ZEN_SEG_R, S, &f) == ZEN_ERR_FAULT);
    CHECK(f.addr == UINT64_MAX && f.cause == ZEN_FAULT_NO_SEGMENT && f.signal == ZEN_SIGSEGV);
    /* Reading TEXT page 3 to DATA page 5 crosses the empty RODATA: allowed. */
    CHECK(seg_spec_access(&l, 3 * P + 10, 2 * P + 5, ZEN_SEG_R, U, &f) == ZEN_OK);
    /* Writing from ZENVARS page 2 into DATA: refused at the first byte. */
    CHECK(seg_spec_access(&l, 2 * P + 9, 3 * P, ZEN_SEG_W, U, &f) == ZEN_ERR_FAULT);
    CHECK(f.addr == 2 * P + 9 && f.cause == ZEN_FAULT_PERMISSION);
    /* Writing DATA and BSS (pages 5-6) and one byte of page 7: refused at
     * page 7, in no segment. */
    CHECK(seg_spec_access(&l, 5 * P + 1, 3 * P - 1, ZEN_SEG_W, U, &f) == ZEN_ERR_FAULT);
    CHECK(f.addr == 7 * P && f.cause == ZEN_FAULT_NO_SEGMENT);
    /* Executing from the end of TEXT into DATA: refused at page 5. */
    CHECK(seg_spec_access(&l, 5 * P - 4, 8, ZEN_SEG_X, U, &f) == ZEN_ERR_FAULT);
    CHECK(f.addr == 5 * P && f.cause == ZEN_FAULT_PERMISSION);
    /* A user read from ZENVARS back into TRAPVEC: refused at its first byte. */
    CHECK(seg_spec_access(&l, 2 * P - 1, 2, ZEN_SEG_R, U, &f) == ZEN_ERR_FAULT);
    CHECK(f.addr == 2 * P - 1 && f.cause == ZEN_FAULT_MODE);
    /* The same in system mode: allowed. */
    CHECK(seg_spec_access(&l, 2 * P - 1, 2, ZEN_SEG_R, S, &f) == ZEN_OK);
    /* A system read from page 1 to the end of the space: pages 1-6 are
     * readable in system mode, page 7 is in no segment. */
    CHECK(seg_spec_access(&l, P, UINT64_MAX - P + 1, ZEN_SEG_R, S, &f) == ZEN_ERR_FAULT);
    CHECK(f.addr == 7 * P && f.cause == ZEN_FAULT_NO_SEGMENT);
    /* The whole stack page, and one byte more at the top. */
    CHECK(seg_spec_access(&l, 31 * P, P, ZEN_SEG_W, U, &f) == ZEN_OK);
    CHECK(seg_spec_access(&l, 31 * P, P + 1, ZEN_SEG_W, U, &f) == ZEN_ERR_FAULT);
    CHECK(f.addr == 32 * P && f.cause == ZEN_FAULT_NO_SEGMENT);
}

int main(void)
{
    test_layout();
    test_errors();
    test_page_rule();
    test_access();
    return spec_check_report();
}
