/* Hand-worked examples for the zone allocator spec. Every expected value
 * below is derived by hand in the comments, not by running the spec.
 * Prints one line per failure and `N passed, N failed` last; exits non-zero
 * on any failure. ZEN_PAGE_MAX_ORDER is assumed to be 10 (the default).
 *
 * Frame numbers: frame p is bytes [p * 0x1000, p * 0x1000 + 0xFFF]. DMA is
 * frames 0 .. 4095, DMA32 4096 .. 1048575 (0xFFFFF), NORMAL from 1048576. */
#include <stdio.h>
#include <string.h>

#include "zone_spec.h"
#include "spec_check.h"

/* alloc and expect OK at `want`. */
#define ALLOC_AT(s, max_zone, order, flags, want)                               \
    do {                                                                        \
        zen_pfn got_ = 0;                                                       \
        CHECK(zone_spec_alloc((s), (max_zone), (order), (flags), &got_) == ZEN_OK); \
        CHECK(got_ == (zen_pfn)(want));                                         \
    } while (0)

#define COUNT(map) ((uint64_t)(sizeof(map) / sizeof((map)[0])))

#define USABLE ZEN_MEM_USABLE
#define RESERVED ZEN_MEM_RESERVED

static zen_zone_info info_of(zone_spec *s, unsigned z)
{
    zen_zone_info info;
    memset(&info, 0xAB, sizeof info); /* every field must be written */
    CHECK(zone_spec_stats(s, z, &info) == ZEN_OK);
    return info;
}

/* Free blocks of zone z, orders 0..10, against want[]. */
static bool blocks_are(zone_spec *s, unsigned z, const uint64_t want[ZEN_PAGE_ORDERS])
{
    zen_zone_info info = info_of(s, z);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        if (info.free_blocks[k] != want[k])
            return false;
    return true;
}

static unsigned level_of(zone_spec *s, unsigned z)
{
    unsigned level = 99;
    CHECK(zone_spec_watermark(s, z, &level) == ZEN_OK);
    return level;
}

/* ---- reading a map -------------------------------------------------------- */

/* An E820-like map, entries out of order:
 *   e0 usable   [0, 0x9FC00)         whole frames 0 .. 158 (frame 159 ends
 *                                     at 0x9FFFF, past 0x9FBFF); frame 0 is
 *                                     never usable: 1 .. 158
 *   e1 reserved [0x9FC00, +0x400)     frame 159 (not usable anyway)
 *   e2 reserved [0xF0000, +0x10000)   frames 240 .. 255 (not usable anyway)
 *   e3 usable   [0x100000, +0x1000000) = [1 MiB, 17 MiB): frames 256 .. 4351,
 *                                     straddling 16 MiB (frame 4096)
 *   e4 reserved [0x200800, +0x1000)   bytes 0x200800 .. 0x2017FF: rounded
 *                                     outward, frames 512 and 513
 *   e5 type 17  [0x300000, +1)        an unknown type is reserved: frame 768
 *   e6 ACPI     [0x10F0000, +0x20000) frames 4336 .. 4367: eats 4336 .. 4351
 *   e7 usable   [0x10F8000, +0x10000) frames 4344 .. 4359, all under e6
 *   e8 usable   [0x2000123, +0x3000)  bytes 0x2000123 .. 0x2003122: whole
 *                                     frames 8193 (0x2001) and 8194 (0x2002)
 *   e9 usable   [0xFFFFF000, +0x3000) frames 0xFFFFF = 1048575 (DMA32) and
 *                                     1048576, 1048577 (NORMAL): straddles 4 GiB
 * Usable frames:
 *   DMA:    1..158, 256..511, 514..767, 769..4095
 *           managed 158 + 256 + 254 + 3327 = 3995; span 1 .. 4095 (4095 frames)
 *   DMA32:  4096..4335 (240), 8193, 8194, 1048575: managed 243;
 *           span 4096 .. 1048575: 1048575 - 4096 + 1 = 1044480 frames
 *   NORMAL: 1048576, 1048577: managed 2, span 2 frames
 *   frames_needed = 4095 + 1044480 + 2 = 1048577. */
static const zen_mem_range e820[] = {
    {0x9FC00, 0x400, RESERVED},
    {0x100000, 0x1000000, USABLE},
    {0x0, 0x9FC00, USABLE},
    {0x10F0000, 0x20000, ZEN_MEM_ACPI_RECLAIM},
    {0xF0000, 0x10000, RESERVED},
    {0x200800, 0x1000, RESERVED},
    {0x300000, 1, 17},
    {0x10F8000, 0x10000, USABLE},
    {0x2000123, 0x3000, USABLE},
    {0xFFFFF000, 0x3000, USABLE},
};

static void test_frame_rule(void)
{
    const zen_mem_range *m = e820;
    uint64_t n = COUNT(e820);
    CHECK(!zone_spec_frame_usable(m, n, 0));   /* frame 0 */
    CHECK(zone_spec_frame_usable(m, n, 1));
    CHECK(zone_spec_frame_usable(m, n, 158));
    CHECK(!zone_spec_frame_usable(m, n, 159)); /* partial in e0, reserved e1 */
    CHECK(!zone_spec_frame_usable(m, n, 200)); /* in no entry */
    CHECK(!zone_spec_frame_usable(m, n, 255)); /* reserved e2 */
    CHECK(zone_spec_frame_usable(m, n, 256));
    CHECK(zone_spec_frame_usable(m, n, 511));
    CHECK(!zone_spec_frame_usable(m, n, 512)); /* e4 */
    CHECK(!zone_spec_frame_usable(m, n, 513)); /* e4's last byte 0x2017FF */
    CHECK(zone_spec_frame_usable(m, n, 514));
    CHECK(zone_spec_frame_usable(m, n, 767));
    CHECK(!zone_spec_frame_usable(m, n, 768)); /* type 17 */
    CHECK(zone_spec_frame_usable(m, n, 769));
    CHECK(zone_spec_frame_usable(m, n, 4095));
    CHECK(zone_spec_frame_usable(m, n, 4096));
    CHECK(zone_spec_frame_usable(m, n, 4335));
    CHECK(!zone_spec_frame_usable(m, n, 4336)); /* ACPI over usable */
    CHECK(!zone_spec_frame_usable(m, n, 4350)); /* under e3, e7 and e6 */
    CHECK(!zone_spec_frame_usable(m, n, 4359)); /* under e7 and e6 */
    CHECK(!zone_spec_frame_usable(m, n, 8192)); /* holds e8's first byte */
    CHECK(zone_spec_frame_usable(m, n, 8193));
    CHECK(zone_spec_frame_usable(m, n, 8194));
    CHECK(!zone_spec_frame_usable(m, n, 8195)); /* holds e8's last byte */
    CHECK(zone_spec_frame_usable(m, n, 1048575));
    CHECK(zone_spec_frame_usable(m, n, 1048576));
    CHECK(zone_spec_frame_usable(m, n, 1048577));
    CHECK(!zone_spec_frame_usable(m, n, 1048578));
    CHECK(!zone_spec_frame_usable(m, n, ZEN_PFN_LIMIT));

    /* Edges of the outward rounding: usable [0x1000, 0x4000) is frames 1..3;
     * reserved [0x1000, 0x2000) ends on a page boundary and takes frame 1
     * only; a reserved byte at 0x3FFF takes frame 3. Only frame 2 is left. */
    const zen_mem_range edges[] = {
        {0x1000, 0x3000, USABLE},
        {0x1000, 0x1000, RESERVED},
        {0x3FFF, 1, ZEN_MEM_BAD},
    };
    CHECK(!zone_spec_frame_usable(edges, 3, 1));
    CHECK(zone_spec_frame_usable(edges, 3, 2));
    CHECK(!zone_spec_frame_usable(edges, 3, 3));
    CHECK(!zone_spec_frame_usable(edges, 3, 4));
    CHECK(zone_spec_frame_usable(edges, 1, 3)); /* without the reserved entries */
    zen_zone_layout lay;
    CHECK(zone_spec_plan(edges, 3, 3, &lay) == ZEN_OK);
    CHECK(lay.start[0] == 2 && lay.nframes[0] == 1 && lay.nframes[1] == 0 &&
          lay.nframes[2] == 0 && lay.frames_needed == 1);
}

static void test_e820(void)
{
    zen_zone_layout lay;
    memset(&lay, 0xAB, sizeof lay);
    CHECK(zone_spec_plan(e820, COUNT(e820), COUNT(e820), &lay) == ZEN_OK);
    CHECK(lay.start[0] == 1 && lay.nframes[0] == 4095);
    CHECK(lay.start[1] == 4096 && lay.nframes[1] == 1044480);
    CHECK(lay.start[2] == 1048576 && lay.nframes[2] == 2);
    CHECK(lay.frames_needed == 1048577);
    CHECK(lay.nwords[0] == 0 && lay.nwords[1] == 0 && lay.nwords[2] == 0 &&
          lay.words_needed == 0);

    zone_spec s;
    CHECK(zone_spec_init(&s, e820, COUNT(e820), 16) == ZEN_OK);
    zen_zone_info d = info_of(&s, ZEN_ZONE_DMA);
    zen_zone_info d32 = info_of(&s, ZEN_ZONE_DMA32);
    zen_zone_info nm = info_of(&s, ZEN_ZONE_NORMAL);
    CHECK(d.present == 1 && d.start == 1 && d.nframes == 4095);
    CHECK(d.managed == 3995 && d.free_frames == 3995);
    CHECK(d32.present == 1 && d32.start == 4096 && d32.nframes == 1044480);
    CHECK(d32.managed == 243 && d32.free_frames == 243);
    CHECK(nm.present == 1 && nm.start == 1048576 && nm.nframes == 2);
    CHECK(nm.managed == 2 && nm.free_frames == 2);

    /* Default watermarks: min = managed / 128, low = min + min/4,
     * high = min + min/2.
     *   DMA    3995 / 128 = 31 (128 * 31 = 3968): low 31 + 7 = 38, high 31 + 15 = 46
     *   DMA32  243 / 128 = 1: low 1 + 0, high 1 + 0
     *   NORMAL 2 / 128 = 0 */
    CHECK(d.min == 31 && d.low == 38 && d.high == 46);
    CHECK(d32.min == 1 && d32.low == 1 && d32.high == 1);
    CHECK(nm.min == 0 && nm.low == 0 && nm.high == 0);

    /* DMA's free blocks, run by run (heads aligned to their size; a parent
     * block would reach a frame that is not usable):
     *   1..158:    (1,0) (2,1) (4,2) (8,3) (16,4) (32,5) (64,6) then 128..158:
     *              (128,4) (144,3) (152,2) (156,1) (158,0)   [159 not usable]
     *   256..511:  (256,8)                                   [0 not usable]
     *   514..767:  (514,1) (516,2) (520,3) (528,4) (544,5) (576,6) (640,7)
     *   769..4095: (769,0) (770,1) (772,2) (776,3) (784,4) (800,5) (832,6)
     *              (896,7) (1024,10) (2048,10) (3072,10)
     * per order: 0: 1,158,769; 1: 2,156,514,770; 2: 4,152,516,772;
     * 3: 8,144,520,776; 4: 16,128,528,784; 5: 32,544,800; 6: 64,576,832;
     * 7: 640,896; 8: 256; 10: three. */
    const uint64_t dma_blocks[ZEN_PAGE_ORDERS] = {3, 4, 4, 4, 4, 3, 3, 2, 1, 0, 3};
    CHECK(blocks_are(&s, ZEN_ZONE_DMA, dma_blocks));
    /* DMA32: 4096..4335 is 240 = 128 + 64 + 32 + 16: (4096,7) (4224,6)
     * (4288,5) (4320,4); then (8193,0), (8194,0) (8195 is not usable) and
     * (1048575,0). */
    const uint64_t dma32_blocks[ZEN_PAGE_ORDERS] = {3, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0};
    CHECK(blocks_are(&s, ZEN_ZONE_DMA32, dma32_blocks));
    /* NORMAL: (1048576,1); its parent would run past the span. */
    const uint64_t normal_blocks[ZEN_PAGE_ORDERS] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    CHECK(blocks_are(&s, ZEN_ZONE_NORMAL, normal_blocks));

    /* Holes of a zone's span are reserved; usable frames are free. */
    CHECK(zone_spec_free(&s, 512, 0) == ZEN_ERR_RESERVED);
    CHECK(zone_spec_free(&s, 5000, 0) == ZEN_ERR_RESERVED);
    CHECK(zone_spec_free(&s, 8193, 0) == ZEN_ERR_NOT_ALLOCATED);
    CHECK(zone_spec_free(&s, 0, 0) == ZEN_ERR_RANGE); /* frame 0: before DMA's span */
    CHECK(s.rejected == 1 && s.oom_count == 0 && s.fallbacks == 0 && s.atomic_reserve == 0);
    zone_spec_destroy(&s);

    /* Overlapping usable entries: frames 1..4 and 3..7 add up to 1..7, each
     * once: (1,0) (2,1) (4,2). */
    const zen_mem_range twice[] = {
        {0x1000, 0x4000, USABLE},
        {0x3000, 0x5000, USABLE},
    };
    CHECK(zone_spec_init(&s, twice, 2, 2) == ZEN_OK);
    d = info_of(&s, ZEN_ZONE_DMA);
    CHECK(d.start == 1 && d.nframes == 7 && d.managed == 7 && d.free_frames == 7);
    const uint64_t twice_blocks[ZEN_PAGE_ORDERS] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    CHECK(blocks_are(&s, ZEN_ZONE_DMA, twice_blocks));
    CHECK(info_of(&s, ZEN_ZONE_DMA32).present == 0 && info_of(&s, ZEN_ZONE_NORMAL).present == 0);
    zone_spec_destroy(&s);
}

/* The top of the address space: usable [2^64 - 0x2800, 2^64) has whole
 * frames 2^52 - 2 (its base is 0x800 into frame 2^52 - 3) and 2^52 - 1
 * (its last byte is 2^64 - 1). A reserved last byte takes 2^52 - 1. */
static void test_top_of_memory(void)
{
    const zen_pfn L = ZEN_PFN_LIMIT;
    const zen_mem_range top[] = {
        {0xFFFFFFFFFFFFD800u, 0x2800, USABLE},
        {0xFFFFFFFFFFFFFFFFu, 1, RESERVED},
    };
    zen_zone_layout lay;
    CHECK(zone_spec_plan(top, 1, 2, &lay) == ZEN_OK);
    CHECK(lay.nframes[0] == 0 && lay.nframes[1] == 0 && lay.start[0] == 0 && lay.start[1] == 0);
    CHECK(lay.start[2] == L - 2 && lay.nframes[2] == 2 && lay.frames_needed == 2);
    CHECK(zone_spec_plan(top, 2, 2, &lay) == ZEN_OK);
    CHECK(lay.start[2] == L - 2 && lay.nframes[2] == 1);
    CHECK(!zone_spec_frame_usable(top, 2, L - 1));

    zone_spec s;
    CHECK(zone_spec_init(&s, top, 1, 1) == ZEN_OK);
    zen_zone_info nm = info_of(&s, ZEN_ZONE_NORMAL);
    CHECK(nm.present == 1 && nm.start == L - 2 && nm.nframes == 2 && nm.managed == 2);
    CHECK(nm.free_blocks[1] == 1); /* (L-2, 1): L is a multiple of 2^52 */
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 1, 0, L - 2);
    CHECK(zone_spec_free(&s, L, 0) == ZEN_ERR_RANGE);
    CHECK(zone_spec_free(&s, L - 1, 1) == ZEN_ERR_NOT_HEAD);
    CHECK(zone_spec_free(&s, L - 2, 1) == ZEN_OK);
    zone_spec_destroy(&s);
}

/* ---- map errors ----------------------------------------------------------- */

static void test_map_errors(void)
{
    zen_zone_layout lay, before;
    memset(&before, 0x5A, sizeof before);
    lay = before;
    zone_spec s;

    const zen_mem_range good = {0x100000, 0x1000, USABLE}; /* frame 256 */
    const zen_mem_range empty = {0x100000, 0, USABLE};
    const zen_mem_range past = {0xFFFFFFFFFFFFF000u, 0x1001, RESERVED}; /* ends at 2^64 + 1 */
    const zen_mem_range top = {0xFFFFFFFFFFFFF000u, 0x1000, RESERVED};  /* ends at 2^64 */

    /* count > capacity first, whatever the entries hold. */
    const zen_mem_range m1[3] = {empty, past, good};
    CHECK(zone_spec_plan(m1, 3, 2, &lay) == ZEN_ERR_CAPACITY);
    CHECK(zone_spec_init(&s, m1, 3, 2) == ZEN_ERR_CAPACITY);
    CHECK(zone_spec_plan(m1, 1, 0, &lay) == ZEN_ERR_CAPACITY);
    CHECK(memcmp(&lay, &before, sizeof lay) == 0);

    /* The first malformed entry decides. */
    CHECK(zone_spec_plan(m1, 3, 3, &lay) == ZEN_ERR_INVAL);
    const zen_mem_range m2[3] = {good, past, empty};
    CHECK(zone_spec_plan(m2, 3, 3, &lay) == ZEN_ERR_OVERFLOW);
    CHECK(zone_spec_init(&s, m2, 3, 3) == ZEN_ERR_OVERFLOW);
    const zen_mem_range m3[3] = {good, empty, past};
    CHECK(zone_spec_plan(m3, 3, 3, &lay) == ZEN_ERR_INVAL);
    CHECK(zone_spec_init(&s, m3, 3, 3) == ZEN_ERR_INVAL);
    /* Within one entry, length 0 is checked first: base 2^64 - 1, length 0
     * is empty, not past the top; length 1 ends at 2^64; length 2 runs past. */
    const zen_mem_range m4[2] = {good, {UINT64_MAX, 0, RESERVED}};
    CHECK(zone_spec_plan(m4, 2, 2, &lay) == ZEN_ERR_INVAL);
    const zen_mem_range m5[2] = {good, {UINT64_MAX, 1, RESERVED}};
    CHECK(zone_spec_plan(m5, 2, 2, &lay) == ZEN_OK);
    const zen_mem_range m6[2] = {good, {UINT64_MAX, 2, RESERVED}};
    CHECK(zone_spec_plan(m6, 2, 2, &lay) == ZEN_ERR_OVERFLOW);
    /* Base 1, length 2^64 - 1 ends exactly at 2^64: well formed; it covers
     * frames 1 .. 2^52 - 1 whole, far more than ZONE_SPEC_MAX_FRAMES. */
    const zen_mem_range m7[2] = {{1, UINT64_MAX, USABLE}, good};
    CHECK(zone_spec_plan(m7, 2, 2, &lay) == ZONE_SPEC_TOO_BIG);
    const zen_mem_range m8[2] = {good, {2, UINT64_MAX, USABLE}}; /* 2^64 + 1 */
    CHECK(zone_spec_plan(m8, 2, 2, &lay) == ZEN_ERR_OVERFLOW);
    /* Only the first count entries are read: m2 with count 1 is just `good`. */
    CHECK(zone_spec_plan(m2, 1, 3, &lay) == ZEN_OK);
    CHECK(lay.start[0] == 256 && lay.nframes[0] == 1 && lay.frames_needed == 1);
    /* A well-formed entry ending at 2^64 is fine. */
    const zen_mem_range m9[2] = {top, good};
    CHECK(zone_spec_plan(m9, 2, 2, &lay) == ZEN_OK);

    /* Malformed entries win over everything the classification would say. */
    const zen_mem_range m10[2] = {{0x1000, 0x1000000000, USABLE}, empty}; /* 2^24 frames */
    CHECK(zone_spec_plan(m10, 2, 2, &lay) == ZEN_ERR_INVAL);
    lay = before;

    /* NO_USABLE: no map at all; a sub-page usable range (bytes 0x1001 ..
     * 0x1FFF: no whole frame); frame 0 alone; usable frames 1..2 under a
     * reserved range touching frames 0..3 (bytes 0x800 .. 0x3000). */
    CHECK(zone_spec_plan(m1, 0, 0, &lay) == ZEN_ERR_NO_USABLE);
    const zen_mem_range sub[1] = {{0x1001, 0xFFF, USABLE}};
    CHECK(zone_spec_plan(sub, 1, 1, &lay) == ZEN_ERR_NO_USABLE);
    CHECK(zone_spec_init(&s, sub, 1, 1) == ZEN_ERR_NO_USABLE);
    const zen_mem_range zero[1] = {{0, 0x1000, USABLE}};
    CHECK(zone_spec_plan(zero, 1, 1, &lay) == ZEN_ERR_NO_USABLE);
    const zen_mem_range covered[2] = {{0x1000, 0x2000, USABLE}, {0x800, 0x2801, ZEN_MEM_ACPI_NVS}};
    CHECK(zone_spec_plan(covered, 2, 2, &lay) == ZEN_ERR_NO_USABLE);
    CHECK(zone_spec_plan(covered, 1, 2, &lay) == ZEN_OK); /* without the reserved one */
    CHECK(lay.start[0] == 1 && lay.nframes[0] == 2);
    lay = before;

    /* RANGE: NORMAL usable frames 2^20 (byte 2^32) and 2^20 + 2^32 (byte
     * 2^32 + 2^44) span 2^32 + 1 frames, one more than ZEN_PAGE_MAX_FRAMES. */
    const zen_mem_range wide[2] = {
        {(uint64_t)1 << 32, 0x1000, USABLE},
        {((uint64_t)1 << 32) + ((uint64_t)1 << 44), 0x1000, USABLE},
    };
    CHECK(zone_spec_plan(wide, 2, 2, &lay) == ZEN_ERR_RANGE);
    CHECK(zone_spec_init(&s, wide, 2, 2) == ZEN_ERR_RANGE); /* RANGE before TOO_BIG */
    CHECK(memcmp(&lay, &before, sizeof lay) == 0);
    /* One frame lower, the span is exactly 2^32: the plan accepts it; the
     * model cannot build a page model that large. */
    const zen_mem_range widest[2] = {
        {(uint64_t)1 << 32, 0x1000, USABLE},
        {((uint64_t)1 << 32) + ((uint64_t)1 << 44) - 0x1000, 0x1000, USABLE},
    };
    CHECK(zone_spec_plan(widest, 2, 2, &lay) == ZEN_OK);
    CHECK(lay.start[2] == ((zen_pfn)1 << 20) && lay.nframes[2] == ((uint64_t)1 << 32) &&
          lay.frames_needed == ((uint64_t)1 << 32));
    CHECK(zone_spec_init(&s, widest, 2, 2) == ZONE_SPEC_TOO_BIG);
    /* Span 2^24 + 1 in NORMAL: fine for the plan, too big for init. */
    const zen_mem_range wider[2] = {
        {(uint64_t)1 << 32, 0x1000, USABLE},
        {((uint64_t)1 << 32) + ((uint64_t)1 << 36), 0x1000, USABLE},
    };
    CHECK(zone_spec_plan(wider, 2, 2, &lay) == ZEN_OK);
    CHECK(lay.nframes[2] == ((uint64_t)1 << 24) + 1);
    CHECK(zone_spec_init(&s, wider, 2, 2) == ZONE_SPEC_TOO_BIG);
    zone_spec_destroy(&s); /* harmless after a refused init */
}

/* The model's own cap: usable entries cover at most ZONE_SPEC_MAX_FRAMES
 * (2^22) whole frames, counted per entry. */
static void test_too_big(void)
{
    zen_zone_layout lay;
    const uint64_t G4 = (uint64_t)1 << 32;           /* byte of frame 2^20 */
    const uint64_t cap_bytes = ZONE_SPEC_MAX_FRAMES * 0x1000; /* 2^34 */
    /* Exactly 2^22 frames from frame 2^20: accepted. */
    const zen_mem_range just[1] = {{G4, cap_bytes, USABLE}};
    CHECK(zone_spec_plan(just, 1, 1, &lay) == ZEN_OK);
    CHECK(lay.start[2] == ((zen_pfn)1 << 20) && lay.nframes[2] == ZONE_SPEC_MAX_FRAMES);
    /* One frame more. */
    const zen_mem_range over[1] = {{G4, cap_bytes + 0x1000, USABLE}};
    CHECK(zone_spec_plan(over, 1, 1, &lay) == ZONE_SPEC_TOO_BIG);
    /* A partial page more is not a whole frame: still 2^22. */
    const zen_mem_range partial[1] = {{G4 - 0x800, cap_bytes + 0xFFF, USABLE}};
    CHECK(zone_spec_plan(partial, 1, 1, &lay) == ZEN_OK);
    /* Two overlapping entries of 2^21 + 1 frames each: 2^22 + 2 counted per
     * entry, though only 2^21 + 2 distinct frames. */
    const uint64_t half = (ZONE_SPEC_MAX_FRAMES / 2 + 1) * 0x1000;
    const zen_mem_range both[2] = {{G4, half, USABLE}, {G4 + 0x1000, half, USABLE}};
    CHECK(zone_spec_plan(both, 2, 2, &lay) == ZONE_SPEC_TOO_BIG);
    CHECK(zone_spec_plan(both, 1, 2, &lay) == ZEN_OK);
    /* TOO_BIG comes before NO_USABLE (it is decided before classifying). */
    const zen_mem_range hidden[2] = {{G4, cap_bytes + 0x1000, USABLE},
                                     {G4, cap_bytes + 0x1000, RESERVED}};
    CHECK(zone_spec_plan(hidden, 2, 2, &lay) == ZONE_SPEC_TOO_BIG);
    /* Non-usable entries are not counted. */
    const zen_mem_range big_reserved[2] = {{0x1000, 0x1000, USABLE}, {0, UINT64_MAX, RESERVED}};
    CHECK(zone_spec_plan(big_reserved, 2, 2, &lay) == ZEN_ERR_NO_USABLE);
}

/* ---- a small machine with all three zones --------------------------------- */

/* DMA frames 1..255 (255 frames), DMA32 frames 4096..5119 (1024), NORMAL
 * frames 1048576..1048831 (256). Free blocks:
 *   DMA    (1,0) (2,1) (4,2) (8,3) (16,4) (32,5) (64,6) (128,7)
 *   DMA32  (4096,10)
 *   NORMAL (1048576,8)
 * Default watermarks (min, low, high):
 *   DMA    255 / 128 = 1:  (1, 1 + 0, 1 + 0)  = (1, 1, 1)
 *   DMA32  1024 / 128 = 8: (8, 8 + 2, 8 + 4)  = (8, 10, 12)
 *   NORMAL 256 / 128 = 2:  (2, 2 + 0, 2 + 1)  = (2, 2, 3) */
static const zen_mem_range small[] = {
    {0x100000000u, 0x100000, USABLE}, /* 256 frames from 2^20 */
    {0x1000, 0xFF000, USABLE},        /* frames 1 .. 255 */
    {0x1000000, 0x400000, USABLE},    /* frames 4096 .. 5119 */
};
#define N 1048576u /* first NORMAL frame */

static void test_defaults(void)
{
    zone_spec s;
    CHECK(zone_spec_init(&s, small, 3, 3) == ZEN_OK);
    zen_zone_info i0 = info_of(&s, 0), i1 = info_of(&s, 1), i2 = info_of(&s, 2);
    CHECK(i0.start == 1 && i0.nframes == 255 && i0.managed == 255);
    CHECK(i1.start == 4096 && i1.nframes == 1024 && i1.managed == 1024);
    CHECK(i2.start == N && i2.nframes == 256 && i2.managed == 256);
    CHECK(i0.min == 1 && i0.low == 1 && i0.high == 1);
    CHECK(i1.min == 8 && i1.low == 10 && i1.high == 12);
    CHECK(i2.min == 2 && i2.low == 2 && i2.high == 3);
    const uint64_t b0[ZEN_PAGE_ORDERS] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    const uint64_t b1[ZEN_PAGE_ORDERS] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const uint64_t b2[ZEN_PAGE_ORDERS] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
    CHECK(blocks_are(&s, 0, b0) && blocks_are(&s, 1, b1) && blocks_are(&s, 2, b2));
    CHECK(level_of(&s, 0) == ZEN_LEVEL_HIGH && level_of(&s, 1) == ZEN_LEVEL_HIGH);
    CHECK(s.rejected == 0 && s.oom_count == 0 && s.fallbacks == 0 && s.atomic_reserve == 0);
    zen_zone_info info;
    CHECK(zone_spec_stats(&s, 3, &info) == ZEN_ERR_INVAL);
    zone_spec_destroy(&s);
}

static void test_watermarks(void)
{
    zone_spec s;
    unsigned level = 99;
    CHECK(zone_spec_init(&s, small, 3, 3) == ZEN_OK);

    /* Refusals: unknown zone, min > low, low > high, high > managed (1024). */
    CHECK(zone_spec_set_watermarks(&s, 3, 0, 0, 0) == ZEN_ERR_INVAL);
    CHECK(zone_spec_set_watermarks(&s, 1, 5, 4, 6) == ZEN_ERR_INVAL);
    CHECK(zone_spec_set_watermarks(&s, 1, 4, 6, 5) == ZEN_ERR_INVAL);
    CHECK(zone_spec_set_watermarks(&s, 1, 4, 5, 1025) == ZEN_ERR_INVAL);
    CHECK(zone_spec_set_watermarks(&s, 1, 1025, 1025, 1025) == ZEN_ERR_INVAL);
    CHECK(s.rejected == 5);
    zen_zone_info i1 = info_of(&s, 1);
    CHECK(i1.min == 8 && i1.low == 10 && i1.high == 12); /* unchanged */
    CHECK(zone_spec_watermark(&s, 3, &level) == ZEN_ERR_INVAL && level == 99);
    CHECK(s.rejected == 5); /* queries count nothing */

    /* Accepted: equal values, and high == managed. */
    CHECK(zone_spec_set_watermarks(&s, 1, 1024, 1024, 1024) == ZEN_OK);
    CHECK(level_of(&s, 1) == ZEN_LEVEL_HIGH); /* 1024 free, not below 1024 */
    CHECK(zone_spec_set_watermarks(&s, 1, 0, 0, 0) == ZEN_OK);
    CHECK(level_of(&s, 1) == ZEN_LEVEL_HIGH);
    CHECK(zone_spec_set_watermarks(&s, 1, 100, 200, 300) == ZEN_OK);
    i1 = info_of(&s, 1);
    CHECK(i1.min == 100 && i1.low == 200 && i1.high == 300);

    /* Walk DMA32 down through the levels (max_zone DMA32: NORMAL untouched).
     * 1024 free; order 9 takes (4096,9), leaving (4608,9): 512 >= 300. */
    ALLOC_AT(&s, 1, 9, 0, 4096);
    CHECK(level_of(&s, 1) == ZEN_LEVEL_HIGH);
    /* order 8 splits (4608,9): takes 4608, leaves (4864,8); 256 free:
     * below high 300, not below low 200. */
    ALLOC_AT(&s, 1, 8, 0, 4608);
    CHECK(level_of(&s, 1) == ZEN_LEVEL_BELOW_HIGH);
    /* order 6 splits (4864,8): 4864, leaves (4928,6) (4992,7); 192 free < 200. */
    ALLOC_AT(&s, 1, 6, 0, 4864);
    CHECK(level_of(&s, 1) == ZEN_LEVEL_BELOW_LOW);
    /* order 7 without ATOMIC: 192 < 100 + 128, DMA32 cannot serve; falls
     * back to DMA (255 >= 1 + 128), whose only order >= 7 block is (128,7). */
    ALLOC_AT(&s, 1, 7, 0, 128);
    CHECK(s.fallbacks == 1 && s.atomic_reserve == 0);
    /* The same request ATOMIC: DMA32's (4992,7); 64 free < min 100. */
    ALLOC_AT(&s, 1, 7, ZEN_ZONE_ATOMIC, 4992);
    CHECK(s.fallbacks == 1 && s.atomic_reserve == 1);
    CHECK(level_of(&s, 1) == ZEN_LEVEL_BELOW_MIN);
    CHECK(info_of(&s, 1).free_frames == 64);
    /* Watermarks above what is free are still accepted (<= managed). */
    CHECK(zone_spec_set_watermarks(&s, 1, 64, 65, 65) == ZEN_OK);
    CHECK(level_of(&s, 1) == ZEN_LEVEL_BELOW_LOW);
    CHECK(zone_spec_set_watermarks(&s, 1, 64, 64, 65) == ZEN_OK);
    CHECK(level_of(&s, 1) == ZEN_LEVEL_BELOW_HIGH);
    CHECK(s.rejected == 5);
    zone_spec_destroy(&s);
}

/* Fallback NORMAL -> DMA32 -> DMA, never above max_zone; non-atomic requests
 * stop at min, atomic ones go below. */
static void test_fallback(void)
{
    zone_spec s;
    zen_pfn p = 7;
    CHECK(zone_spec_init(&s, small, 3, 3) == ZEN_OK);

    /* Each request goes to the zone it names while that zone can serve. */
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 0, 0, N);  /* (N,8) splits, leaves (N+1,0) .. (N+128,7) */
    ALLOC_AT(&s, ZEN_ZONE_DMA32, 0, 0, 4096); /* (4096,10) splits, leaves (4097,0) .. (4608,9) */
    ALLOC_AT(&s, ZEN_ZONE_DMA, 0, 0, 1);     /* (1,0) */
    CHECK(s.fallbacks == 0);

    /* Drain NORMAL (min 2) without ATOMIC. Free 255, blocks (N+1,0) (N+2,1)
     * (N+4,2) (N+8,3) (N+16,4) (N+32,5) (N+64,6) (N+128,7):
     *   order 7: 255 >= 2 + 128 -> N+128, free 127
     *   order 6: 127 >= 66      -> N+64,  free 63
     *   order 5: 63 >= 34       -> N+32,  free 31
     *   order 4: 31 >= 18       -> N+16,  free 15
     *   order 3: 15 >= 10       -> N+8,   free 7
     *   order 2: 7 >= 6         -> N+4,   free 3 */
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 7, 0, N + 128);
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 6, 0, N + 64);
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 5, 0, N + 32);
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 4, 0, N + 16);
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 3, 0, N + 8);
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 2, 0, N + 4);
    CHECK(s.fallbacks == 0 && s.atomic_reserve == 0);
    CHECK(level_of(&s, ZEN_ZONE_NORMAL) == ZEN_LEVEL_HIGH); /* 3 free, high 3 */

    /* order 1: NORMAL has (N+2,1) but 3 < 2 + 2: refused at min. DMA32 is
     * next; its smallest block of order >= 1 is (4098,1). */
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 1, 0, 4098);
    CHECK(s.fallbacks == 1 && s.atomic_reserve == 0);
    /* ATOMIC takes NORMAL's (N+2,1): 1 free < min 2. */
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 1, ZEN_ZONE_ATOMIC, N + 2);
    CHECK(s.fallbacks == 1 && s.atomic_reserve == 1);
    CHECK(level_of(&s, ZEN_ZONE_NORMAL) == ZEN_LEVEL_BELOW_MIN);
    /* Non-atomic order 0 skips NORMAL (1 < 2 + 1): DMA32's (4097,0). */
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 0, 0, 4097);
    CHECK(s.fallbacks == 2);
    /* ATOMIC order 0: NORMAL's last frame N+1; 0 free < 2 again. */
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ATOMIC, N + 1);
    CHECK(s.fallbacks == 2 && s.atomic_reserve == 2);
    CHECK(info_of(&s, ZEN_ZONE_NORMAL).free_frames == 0);
    /* NORMAL is empty: even ATOMIC falls to DMA32. DMA32 has used 4096,
     * 4097, 4098..4099: its smallest block is (4100,2); order 2 -> 4100.
     * 1024 - 4 - 4 = 1016 free, far above min 8: not a reserve use. */
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 2, ZEN_ZONE_ATOMIC, 4100);
    CHECK(s.fallbacks == 3 && s.atomic_reserve == 2);

    /* Never above max_zone: drain DMA (min 1), then DMA requests fail
     * although DMA32 has plenty. DMA used (1,0); free 254, blocks (2,1)
     * (4,2) (8,3) (16,4) (32,5) (64,6) (128,7):
     *   7: 254 >= 129 -> 128, free 126;  6: 126 >= 65 -> 64, free 62;
     *   5: 62 >= 33 -> 32, free 30;      4: 30 >= 17 -> 16, free 14;
     *   3: 14 >= 9 -> 8, free 6;         2: 6 >= 5 -> 4, free 2. */
    ALLOC_AT(&s, ZEN_ZONE_DMA, 7, 0, 128);
    ALLOC_AT(&s, ZEN_ZONE_DMA, 6, 0, 64);
    ALLOC_AT(&s, ZEN_ZONE_DMA, 5, 0, 32);
    ALLOC_AT(&s, ZEN_ZONE_DMA, 4, 0, 16);
    ALLOC_AT(&s, ZEN_ZONE_DMA, 3, 0, 8);
    ALLOC_AT(&s, ZEN_ZONE_DMA, 2, 0, 4);
    /* order 1: (2,1) exists but 2 < 1 + 2; nothing below DMA. */
    CHECK(zone_spec_alloc(&s, ZEN_ZONE_DMA, 1, 0, &p) == ZEN_ERR_NOMEM && p == 7);
    CHECK(s.oom_count == 1);
    /* order 0 non-atomic: 2 >= 1 + 1, the block (2,1) splits: 2. */
    ALLOC_AT(&s, ZEN_ZONE_DMA, 0, 0, 2);
    /* order 0 non-atomic again: 1 < 1 + 1. ATOMIC: 3, leaving 0 < 1. */
    CHECK(zone_spec_alloc(&s, ZEN_ZONE_DMA, 0, 0, &p) == ZEN_ERR_NOMEM);
    ALLOC_AT(&s, ZEN_ZONE_DMA, 0, ZEN_ZONE_ATOMIC, 3);
    CHECK(s.atomic_reserve == 3 && s.oom_count == 2);
    CHECK(zone_spec_alloc(&s, ZEN_ZONE_DMA, 0, ZEN_ZONE_ATOMIC, &p) == ZEN_ERR_NOMEM);
    CHECK(s.oom_count == 3 && p == 7);
    /* The zones' own page models counted no oom: the set answered. */
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        zen_page_stats ps;
        page_spec_stats(&s.pages[z], &ps);
        CHECK(ps.oom_count == 0);
    }
    /* A DMA32 request still falls back past nothing: DMA32 serves it. */
    ALLOC_AT(&s, ZEN_ZONE_DMA32, 0, 0, 4104); /* (4100,2) taken; (4104,3) splits */
    CHECK(s.fallbacks == 3);
    /* Freeing DMA's frame 3 makes DMA serve ATOMIC again. */
    CHECK(zone_spec_free(&s, 3, 0) == ZEN_OK);
    ALLOC_AT(&s, ZEN_ZONE_DMA, 0, ZEN_ZONE_ATOMIC, 3);
    CHECK(s.atomic_reserve == 4 && s.rejected == 0);
    zone_spec_destroy(&s);
}

/* Bad requests and ZERO: INVAL before anything else, counted as rejected. */
static void test_bad_requests(void)
{
    zone_spec s;
    zen_pfn p = 7;
    CHECK(zone_spec_init(&s, small, 3, 3) == ZEN_OK);
    CHECK(zone_spec_alloc(&s, 3, 0, 0, &p) == ZEN_ERR_INVAL);
    CHECK(zone_spec_alloc(&s, 2, ZEN_PAGE_MAX_ORDER + 1, 0, &p) == ZEN_ERR_INVAL);
    CHECK(zone_spec_alloc(&s, 2, 0, 4, &p) == ZEN_ERR_INVAL);
    CHECK(zone_spec_alloc(&s, 2, 0, 0xFFFFFFFFu, &p) == ZEN_ERR_INVAL);
    /* ZERO without direct maps */
    CHECK(zone_spec_alloc(&s, 2, 0, ZEN_ZONE_ZERO, &p) == ZEN_ERR_INVAL);
    CHECK(s.rejected == 5 && p == 7);

    /* attach_memory: unknown zone refused; NORMAL alone is not enough for a
     * request that may fall back to DMA32 and DMA. */
    CHECK(zone_spec_attach_memory(&s, 3) == ZEN_ERR_INVAL);
    CHECK(s.rejected == 6);
    CHECK(zone_spec_attach_memory(&s, ZEN_ZONE_NORMAL) == ZEN_OK);
    CHECK(zone_spec_alloc(&s, 2, 0, ZEN_ZONE_ZERO, &p) == ZEN_ERR_INVAL);
    CHECK(zone_spec_attach_memory(&s, ZEN_ZONE_DMA) == ZEN_OK);
    CHECK(zone_spec_alloc(&s, 2, 0, ZEN_ZONE_ZERO | ZEN_ZONE_ATOMIC, &p) == ZEN_ERR_INVAL);
    CHECK(s.rejected == 8);
    /* A request named DMA only needs DMA's map: (1,0). */
    ALLOC_AT(&s, ZEN_ZONE_DMA, 0, ZEN_ZONE_ZERO, 1);
    CHECK(zone_spec_attach_memory(&s, ZEN_ZONE_DMA32) == ZEN_OK);
    /* Order 10: NORMAL has no such block; DMA32's (4096,10) would leave
     * 0 < min 8 free, so only ATOMIC gets it. */
    CHECK(zone_spec_alloc(&s, ZEN_ZONE_NORMAL, 10, ZEN_ZONE_ZERO, &p) == ZEN_ERR_NOMEM);
    CHECK(s.oom_count == 1);
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 10, ZEN_ZONE_ZERO | ZEN_ZONE_ATOMIC, 4096);
    CHECK(s.fallbacks == 1 && s.atomic_reserve == 1);

    /* INVAL comes before NOMEM: no zone has an order-10 block any more
     * (DMA32's is taken, NORMAL's largest is (N,8), DMA's (128,7)). */
    CHECK(zone_spec_alloc(&s, 2, 10, ZEN_ZONE_ATOMIC, &p) == ZEN_ERR_NOMEM);
    CHECK(s.oom_count == 2);
    CHECK(zone_spec_alloc(&s, 2, 10, 8, &p) == ZEN_ERR_INVAL);
    CHECK(zone_spec_alloc(&s, 2, 11, 0, &p) == ZEN_ERR_INVAL);
    CHECK(s.rejected == 10 && s.oom_count == 2 && p == 7);
    zone_spec_destroy(&s);

    /* A map with NORMAL only (frames N .. N+3): the other zones are absent. */
    const zen_mem_range high[1] = {{0x100000000u, 0x4000, USABLE}};
    CHECK(zone_spec_init(&s, high, 1, 1) == ZEN_OK);
    unsigned level = 99;
    CHECK(zone_spec_attach_memory(&s, ZEN_ZONE_DMA) == ZEN_ERR_INVAL);
    CHECK(zone_spec_attach_memory(&s, ZEN_ZONE_DMA32) == ZEN_ERR_INVAL);
    CHECK(zone_spec_set_watermarks(&s, ZEN_ZONE_DMA, 0, 0, 0) == ZEN_ERR_INVAL);
    CHECK(s.rejected == 3);
    CHECK(zone_spec_watermark(&s, ZEN_ZONE_DMA32, &level) == ZEN_ERR_INVAL && level == 99);
    CHECK(s.rejected == 3);
    zen_zone_info d = info_of(&s, ZEN_ZONE_DMA);
    CHECK(d.present == 0 && d.start == 0 && d.nframes == 0 && d.managed == 0 &&
          d.free_frames == 0 && d.min == 0 && d.low == 0 && d.high == 0);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        CHECK(d.free_blocks[k] == 0);
    /* 4 frames: min 0, so non-atomic requests may take all of them. */
    CHECK(zone_spec_alloc(&s, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ZERO, &p) == ZEN_ERR_INVAL);
    CHECK(zone_spec_attach_memory(&s, ZEN_ZONE_NORMAL) == ZEN_OK);
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 2, ZEN_ZONE_ZERO, N);
    /* Absent zones need no map; with no present zone at or below DMA32
     * there is nothing to try: NOMEM. */
    CHECK(zone_spec_alloc(&s, ZEN_ZONE_DMA32, 0, ZEN_ZONE_ZERO, &p) == ZEN_ERR_NOMEM);
    CHECK(zone_spec_alloc(&s, ZEN_ZONE_DMA, 0, 0, &p) == ZEN_ERR_NOMEM);
    CHECK(s.oom_count == 2 && s.rejected == 4 && s.atomic_reserve == 0);
    zone_spec_destroy(&s);
}

/* Free: the zone is found from the pfn. DMA: usable frames 16..31 with a
 * reserved hole at 20, 21; DMA32: frames 4096..4103. NORMAL absent.
 * DMA free blocks: (16,2), (22,1), (24,3). */
static void test_free(void)
{
    const zen_mem_range holed[] = {
        {0x10000, 0x10000, USABLE},    /* frames 16 .. 31 */
        {0x14000, 0x2000, RESERVED},   /* frames 20, 21 */
        {0x1000000, 0x8000, USABLE},   /* frames 4096 .. 4103 */
    };
    zone_spec s;
    CHECK(zone_spec_init(&s, holed, 3, 3) == ZEN_OK);
    zen_zone_info d = info_of(&s, ZEN_ZONE_DMA);
    CHECK(d.start == 16 && d.nframes == 16 && d.managed == 14);
    const uint64_t b0[ZEN_PAGE_ORDERS] = {0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    CHECK(blocks_are(&s, ZEN_ZONE_DMA, b0));

    /* Foreign pfns: outside every present zone's span. */
    CHECK(zone_spec_free(&s, 15, 0) == ZEN_ERR_RANGE);
    CHECK(zone_spec_free(&s, 32, 0) == ZEN_ERR_RANGE);
    CHECK(zone_spec_free(&s, 4095, 0) == ZEN_ERR_RANGE);
    CHECK(zone_spec_free(&s, 4104, 0) == ZEN_ERR_RANGE);
    CHECK(zone_spec_free(&s, N, 0) == ZEN_ERR_RANGE); /* NORMAL is absent */
    CHECK(zone_spec_free(&s, UINT64_MAX, 0) == ZEN_ERR_RANGE);
    CHECK(s.rejected == 6);
    /* The order is checked first. */
    CHECK(zone_spec_free(&s, 15, ZEN_PAGE_MAX_ORDER + 1) == ZEN_ERR_INVAL);
    CHECK(zone_spec_free(&s, 16, ZEN_PAGE_MAX_ORDER + 1) == ZEN_ERR_INVAL);
    CHECK(s.rejected == 8);

    /* Inside a zone, the page model's errors (not counted by the set). */
    CHECK(zone_spec_free(&s, 20, 0) == ZEN_ERR_RESERVED); /* the hole */
    CHECK(zone_spec_free(&s, 21, 1) == ZEN_ERR_RESERVED);
    CHECK(zone_spec_free(&s, 22, 1) == ZEN_ERR_NOT_ALLOCATED); /* a free block */
    ALLOC_AT(&s, ZEN_ZONE_DMA, 2, 0, 16);  /* smallest order >= 2: (16,2) */
    CHECK(zone_spec_free(&s, 16, 1) == ZEN_ERR_ORDER);
    CHECK(zone_spec_free(&s, 17, 2) == ZEN_ERR_NOT_HEAD);
    CHECK(zone_spec_free(&s, 16, 2) == ZEN_OK);
    CHECK(zone_spec_free(&s, 16, 2) == ZEN_ERR_NOT_ALLOCATED); /* double free */
    CHECK(s.rejected == 8);
    CHECK(info_of(&s, ZEN_ZONE_DMA).free_frames == 14);

    /* The DMA32 side: (4096,3), min 8 / 128 = 0; max_zone NORMAL falls to it. */
    ALLOC_AT(&s, ZEN_ZONE_NORMAL, 3, 0, 4096);
    CHECK(s.fallbacks == 1);
    CHECK(zone_spec_free(&s, 4100, 0) == ZEN_ERR_NOT_HEAD);
    CHECK(zone_spec_free(&s, 4096, 0) == ZEN_ERR_ORDER);
    CHECK(zone_spec_free(&s, 4096, 3) == ZEN_OK);
    CHECK(info_of(&s, ZEN_ZONE_DMA32).free_frames == 8);
    CHECK(s.rejected == 8);
    zone_spec_destroy(&s);
}

int main(void)
{
    test_frame_rule();
    test_e820();
    test_top_of_memory();
    test_map_errors();
    test_too_big();
    test_defaults();
    test_watermarks();
    test_fallback();
    test_bad_requests();
    test_free();
    return spec_check_report();
}
