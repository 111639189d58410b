/* Hand-worked examples for the address-space spec. Every expected value
 * below is derived by hand in the comments, not by running the spec.
 * Prints one line per failure and `N passed, N failed` last; exits non-zero
 * on any failure. Pages are 4 KiB. */
#include <string.h>

#include "space_spec.h"
#include "spec_check.h"

#define P 0x1000u

/* The image of seg_spec_test.c: TEXT pages 3-4 (5000 bytes), DATA page 5
 * (1 byte), BSS page 6, heap empty at page 7 with its reach ending at page
 * 11, stack page 31 of a reach from page 29, top at page 32. */
static const uint64_t text[625] = {[0] = 0x1111, [512] = 0x2222, [624] = 0x3333};
static const uint64_t data[1] = {0x4444};

static zen_image example(void)
{
    zen_image img;
    memset(&img, 0, sizeof img);
    img.page_size = P;
    img.text_size = 5000;
    img.text = text;
    img.data_size = 1;
    img.data = data;
    img.bss_size = P;
    img.heap_limit = 4 * P;
    img.stack_size = P;
    img.stack_limit = 3 * P;
    img.top = 32 * P;
    return img;
}

/* Four usable frames at 1 MiB: pfns 256-259, all in zone DMA. */
static const zen_mem_range four[] = {{0x100000, 4 * P, ZEN_MEM_USABLE}};

static void test_init(zone_spec *z)
{
    zen_image img = example();
    uint64_t slots;
    /* Pages 3..10 (8 slots), then 29..31 (3 slots). */
    CHECK(space_spec_slots(&img, &slots) == ZEN_OK && slots == 11);
    space_spec s;
    CHECK(space_spec_init(&s, &img, z, ZEN_ZONE_NORMAL + 1, 11) == ZEN_ERR_INVAL);
    CHECK(space_spec_init(&s, &img, z, ZEN_ZONE_DMA, 10) == ZEN_ERR_CAPACITY);
    img.data = NULL;
    CHECK(space_spec_init(&s, &img, z, ZEN_ZONE_DMA, 11) == ZEN_ERR_INVAL);
    img.top = 32 * P + 1; /* the layout's error comes first */
    CHECK(space_spec_init(&s, &img, z, ZEN_ZONE_DMA, 11) == ZEN_ERR_MISALIGNED);
}

static void test_faults(zone_spec *z)
{
    zen_image img = example();
    space_spec s;
    zen_fault f;
    zen_pfn pfn;
    CHECK(space_spec_init(&s, &img, z, ZEN_ZONE_DMA, 11) == ZEN_OK);
    /* Page 4 of TEXT: the zone model's lowest free frame, 256; word 0 of
     * the page is text word 512, word 112 is text word 624, 113 is past. */
    CHECK(space_spec_fault(&s, 4 * P + 8, ZEN_SEG_X, ZEN_SEG_USER, &f, &pfn) == ZEN_OK && pfn == 256);
    CHECK(space_spec_word(&s, 4 * P, 0) == 0x2222 && space_spec_word(&s, 4 * P, 112) == 0x3333);
    CHECK(space_spec_word(&s, 4 * P, 113) == 0);
    CHECK(space_spec_word(&s, 5 * P, 0) == 0x4444 && space_spec_word(&s, 6 * P, 0) == 0);
    /* Again: mapped already, nothing new. */
    CHECK(space_spec_fault(&s, 4 * P, ZEN_SEG_R, ZEN_SEG_USER, &f, &pfn) == ZEN_OK && pfn == ZEN_SPACE_NO_FRAME);
    /* A write to TEXT, the NULL page, TRAPVEC in user mode. */
    CHECK(space_spec_fault(&s, 3 * P, ZEN_SEG_W, ZEN_SEG_USER, &f, &pfn) == ZEN_ERR_FAULT &&
          f.addr == 3 * P && f.cause == ZEN_FAULT_PERMISSION && f.signal == ZEN_SIGSEGV);
    CHECK(space_spec_fault(&s, 7, ZEN_SEG_R, ZEN_SEG_SYSTEM, &f, &pfn) == ZEN_ERR_FAULT &&
          f.cause == ZEN_FAULT_NULL_PAGE);
    CHECK(space_spec_fault(&s, P, ZEN_SEG_R, ZEN_SEG_USER, &f, &pfn) == ZEN_ERR_FAULT && f.cause == ZEN_FAULT_MODE);
    /* ZENVARS may be read, but the kernel maps it. */
    CHECK(space_spec_fault(&s, 2 * P, ZEN_SEG_R, ZEN_SEG_USER, &f, &pfn) == ZEN_ERR_RANGE);
    /* The heap is empty: page 7 is in no segment until brk. */
    CHECK(space_spec_fault(&s, 7 * P, ZEN_SEG_W, ZEN_SEG_USER, &f, &pfn) == ZEN_ERR_FAULT &&
          f.cause == ZEN_FAULT_NO_SEGMENT);
    /* Break at page 8 + 1 byte: the heap holds pages 7 and 8. */
    CHECK(space_spec_brk(&s, 8 * P + 1) == ZEN_OK && s.layout.seg[ZEN_SEG_HEAP].size == 2 * P);
    CHECK(space_spec_fault(&s, 8 * P, ZEN_SEG_W, ZEN_SEG_USER, &f, &pfn) == ZEN_OK && pfn == 257);
    /* Page 29 grows the stack down to it; page 28 is the guard page. */
    CHECK(space_spec_fault(&s, 29 * P, ZEN_SEG_W, ZEN_SEG_USER, &f, &pfn) == ZEN_OK && pfn == 258);
    CHECK(s.layout.seg[ZEN_SEG_STACK].base == 29 * P && s.layout.seg[ZEN_SEG_STACK].size == 3 * P);
    CHECK(space_spec_fault(&s, 29 * P - 1, ZEN_SEG_W, ZEN_SEG_USER, &f, &pfn) == ZEN_ERR_FAULT &&
          f.cause == ZEN_FAULT_NO_SEGMENT);
    CHECK(space_spec_fault(&s, 31 * P, ZEN_SEG_R, ZEN_SEG_USER, &f, &pfn) == ZEN_OK && pfn == 259);
    /* Four frames taken: the fifth page finds none. */
    CHECK(space_spec_fault(&s, 6 * P, ZEN_SEG_R, ZEN_SEG_USER, &f, &pfn) == ZEN_ERR_NOMEM);
    /* The break back to the heap's base frees page 8's frame. */
    CHECK(space_spec_brk(&s, 7 * P - 1) == ZEN_ERR_INVAL && space_spec_brk(&s, 11 * P + 1) == ZEN_ERR_NO_FIT);
    CHECK(space_spec_brk(&s, 7 * P) == ZEN_OK && s.count == 3);
    CHECK(space_spec_frame_at(&s, 8 * P, &pfn) == ZEN_ERR_NOT_ALLOCATED);
    CHECK(space_spec_frame_at(&s, 28 * P, &pfn) == ZEN_ERR_RANGE);
    CHECK(space_spec_frame_at(&s, 29 * P + 5, &pfn) == ZEN_OK && pfn == 258);
    CHECK(space_spec_fault(&s, 6 * P, ZEN_SEG_R, ZEN_SEG_USER, &f, &pfn) == ZEN_OK && pfn == 257);
    CHECK(space_spec_teardown(&s) == ZEN_OK && s.count == 0);
    zen_zone_info info;
    CHECK(zone_spec_stats(z, ZEN_ZONE_DMA, &info) == ZEN_OK && info.free_frames == 4);
    space_spec_destroy(&s);
}

int main(void)
{
    zone_spec z;
    CHECK(zone_spec_init(&z, four, 1, 1) == ZEN_OK);
    CHECK(zone_spec_attach_memory(&z, ZEN_ZONE_DMA) == ZEN_OK);
    test_init(&z);
    test_faults(&z);
    zone_spec_destroy(&z);
    return spec_check_report();
}
