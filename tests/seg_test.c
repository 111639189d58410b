/* Unit and property tests of the Zen process layout builder (core/zen_seg.h).
 *
 * No framework: CHECK counts one passed or failed check, the program prints
 * "N checks passed, M failed" last and exits non-zero when anything failed.
 *
 * Expected values come from the header's table: a hand-worked image with
 * every address in the comments, each error with its precedence, the exact
 * fit at the guard page, and random images whose layouts are checked
 * against the invariants and against a placement computed here in pages
 * (rather than in rounded bytes, as the core does). The arithmetic in the
 * comments assumes 4 KiB pages, which test_constants checks first. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "zen_seg.h"

static unsigned long g_passed;
static unsigned long g_failed;

static void check_eq_(uint64_t got, uint64_t want, const char *x, const char *y, int line)
{
    if (got == want) {
        g_passed++;
        return;
    }
    g_failed++;
    if (g_failed <= 40)
        fprintf(stderr, "seg_test.c:%d: FAILED: %s == %s: got %" PRIu64 " (0x%" PRIx64 "), want %" PRIu64
                " (0x%" PRIx64 ")\n", line, x, y, got, got, want, want);
}
#define CHECK_EQ(x, y) check_eq_((uint64_t)(x), (uint64_t)(y), #x, #y, __LINE__)
#define CHECK(c) CHECK_EQ((c) != 0, 1)

#define PAGE ZEN_PAGE_SIZE

/* An image that fits: sizes of a small program under a 4 GiB top. */
static zen_image small_image(void)
{
    zen_image img;
    memset(&img, 0, sizeof img);
    img.page_size = PAGE;
    img.text_size = 10000;    /* 3 pages */
    img.rodata_size = 1;      /* 1 page */
    img.data_size = PAGE;     /* 1 page */
    img.bss_size = 0;         /* empty */
    img.comm_size = 5000;     /* 2 pages */
    img.debug_size = 100;     /* 1 page, never mapped */
    img.heap_limit = 1u << 20;
    img.stack_size = 8192;    /* 2 pages */
    img.stack_limit = 65536;  /* 16 pages */
    img.top = (uint64_t)1 << 32;
    return img;
}

static void check_segment(const zen_layout *l, unsigned k, uint64_t base, uint64_t size, uint32_t flags)
{
    CHECK_EQ(l->seg[k].kind, k);
    CHECK_EQ(l->seg[k].base, base);
    CHECK_EQ(l->seg[k].size, size);
    CHECK_EQ(l->seg[k].flags, flags);
}

static void test_constants(void)
{
    CHECK_EQ(PAGE, 4096);
    CHECK_EQ(ZEN_SEG_X, 1);
    CHECK_EQ(ZEN_SEG_W, 2);
    CHECK_EQ(ZEN_SEG_R, 4);
    CHECK_EQ(ZEN_SEG_WIRED, ZEN_SEG_P);
    CHECK(zen_seg_has_flag(ZEN_SEG_R | ZEN_SEG_X, ZEN_SEG_X));
    CHECK(!zen_seg_has_flag(ZEN_SEG_R | ZEN_SEG_X, ZEN_SEG_W));
    CHECK(zen_seg_has_flag(ZEN_SEG_NOLOAD | ZEN_SEG_R, ZEN_SEG_NOLOAD));
}

static void test_small_image(void)
{
    zen_image img = small_image();
    zen_layout l;
    CHECK_EQ(zen_seg_layout(&img, &l), ZEN_OK);
    const uint64_t top = (uint64_t)1 << 32;
    check_segment(&l, ZEN_SEG_NULL, 0, PAGE, 0);
    check_segment(&l, ZEN_SEG_TRAPVEC, PAGE, PAGE, ZEN_SEG_S | ZEN_SEG_R | ZEN_SEG_X | ZEN_SEG_P);
    check_segment(&l, ZEN_SEG_ZENVARS, 2 * PAGE, PAGE, ZEN_SEG_R | ZEN_SEG_P);
    check_segment(&l, ZEN_SEG_TEXT, 12288, 12288, ZEN_SEG_R | ZEN_SEG_X);            /* pages 3..5 */
    check_segment(&l, ZEN_SEG_RODATA, 24576, 4096, ZEN_SEG_R);                       /* page 6 */
    check_segment(&l, ZEN_SEG_DATA, 28672, 4096, ZEN_SEG_R | ZEN_SEG_W);             /* page 7 */
    check_segment(&l, ZEN_SEG_BSS, 32768, 0, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO);  /* empty at page 8 */
    check_segment(&l, ZEN_SEG_COMM, 32768, 8192, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO); /* pages 8..9 */
    check_segment(&l, ZEN_SEG_HEAP, 40960, 0, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO); /* empty at page 10 */
    check_segment(&l, ZEN_SEG_STACK, top - 8192, 8192, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO | ZEN_SEG_DOWN);
    check_segment(&l, ZEN_SEG_DEBUG, 0, 4096, ZEN_SEG_NOLOAD);
    CHECK_EQ(l.heap_end, 40960 + (1u << 20));
    CHECK_EQ(l.stack_floor, top - 65536);
    CHECK_EQ(l.top, top);
}

/* Run zen_seg_layout on img and check it answers want and, on an error,
 * leaves *out byte for byte as it was. */
static void check_refused(const zen_image *img, zen_status want, int line)
{
    zen_layout l, before;
    memset(&l, 0xA5, sizeof l);
    memcpy(&before, &l, sizeof l);
    zen_status st = zen_seg_layout(img, &l);
    check_eq_((uint64_t)st, (uint64_t)want, "zen_seg_layout(img)", "want", line);
    check_eq_((uint64_t)(memcmp(&l, &before, sizeof l) == 0), 1, "out unchanged", "1", line);
}

static void test_errors(void)
{
    zen_image img = small_image();
    img.page_size = 2 * PAGE;
    check_refused(&img, ZEN_ERR_INVAL, __LINE__);
    img.page_size = 0;
    check_refused(&img, ZEN_ERR_INVAL, __LINE__);

    img = small_image();
    img.stack_size = img.stack_limit + 1;
    check_refused(&img, ZEN_ERR_INVAL, __LINE__);

    img = small_image();
    img.top += 1;
    check_refused(&img, ZEN_ERR_MISALIGNED, __LINE__);

    /* Sizes whose rounded sum passes 2^64 - 1: each segment in turn. */
    for (unsigned which = 0; which < 6; which++) {
        img = small_image();
        uint64_t *f[6] = {&img.text_size, &img.rodata_size, &img.data_size, &img.bss_size, &img.comm_size,
                          &img.heap_limit};
        *f[which] = UINT64_MAX - 4 * PAGE;
        check_refused(&img, ZEN_ERR_OVERFLOW, __LINE__);
        *f[which] = UINT64_MAX;
        check_refused(&img, ZEN_ERR_OVERFLOW, __LINE__);
    }
    img = small_image();
    img.debug_size = UINT64_MAX - PAGE + 2; /* rounds up to 2^64 */
    check_refused(&img, ZEN_ERR_OVERFLOW, __LINE__);
    img.debug_size = UINT64_MAX - PAGE + 1; /* the last page: fits */
    zen_layout l;
    CHECK_EQ(zen_seg_layout(&img, &l), ZEN_OK);
    CHECK_EQ(l.seg[ZEN_SEG_DEBUG].size, UINT64_MAX - PAGE + 1);

    /* Precedence: malformed before misaligned before overflow before no fit. */
    img = small_image();
    img.page_size = 1;
    img.top += 1;
    img.text_size = UINT64_MAX;
    check_refused(&img, ZEN_ERR_INVAL, __LINE__);
    img.page_size = PAGE;
    check_refused(&img, ZEN_ERR_MISALIGNED, __LINE__);
    img.top -= 1;
    check_refused(&img, ZEN_ERR_OVERFLOW, __LINE__);
    img.text_size = 0;
    img.top = PAGE; /* below everything */
    check_refused(&img, ZEN_ERR_NO_FIT, __LINE__);
    img.top = 0;
    check_refused(&img, ZEN_ERR_NO_FIT, __LINE__);
}

/* The guard page: heap_end + one page + the stack's limit fits the top
 * exactly; a page less of top does not. */
static void test_exact_fit(void)
{
    zen_image img = small_image();
    uint64_t heap_end = 40960 + (1u << 20);
    img.top = heap_end + PAGE + 65536;
    zen_layout l;
    CHECK_EQ(zen_seg_layout(&img, &l), ZEN_OK);
    CHECK_EQ(l.stack_floor, heap_end + PAGE);
    CHECK_EQ(l.seg[ZEN_SEG_STACK].base, img.top - 8192);
    img.top -= PAGE;
    check_refused(&img, ZEN_ERR_NO_FIT, __LINE__);
    /* A stack limit just over 16 pages rounds up to 17: no fit either. */
    img.top += PAGE;
    img.stack_limit = 65537;
    check_refused(&img, ZEN_ERR_NO_FIT, __LINE__);
    /* The top of the 64-bit space, with everything large. */
    img = small_image();
    img.top = UINT64_MAX - PAGE + 1;
    img.stack_limit = (uint64_t)1 << 40;
    img.heap_limit = (uint64_t)1 << 62;
    CHECK_EQ(zen_seg_layout(&img, &l), ZEN_OK);
    CHECK_EQ(l.stack_floor, img.top - ((uint64_t)1 << 40));
}

/* ---- random images --------------------------------------------------------- */

static uint64_t g_rng = 0x5E65EEDu;
static uint64_t next_random(void)
{
    uint64_t z = (g_rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* A size of mixed scale: zero, small, page multiples, large; near 2^64
 * one time in eight when big. */
static uint64_t random_size(int big)
{
    uint64_t r = next_random();
    if (big && r % 8u == 0u)
        return UINT64_MAX - (r >> 8) % ((uint64_t)1 << 20);
    switch (r % 5u) {
    case 0:
        return 0;
    case 1:
        return (r >> 8) % 100000u;
    case 2:
        return ((r >> 8) % 64u) * PAGE;
    case 3:
        return (r >> 8) % ((uint64_t)1 << 40);
    default:
        return r >> (r % 64u);
    }
}

/* The page count of x bytes, rounded up, as 128-bit-free arithmetic. */
static uint64_t pages_of(uint64_t x)
{
    return x / PAGE + (x % PAGE != 0u);
}

static void check_invariants(const zen_layout *l)
{
    for (unsigned k = 0; k < ZEN_SEG_KINDS; k++) {
        const zen_segment *s = &l->seg[k];
        CHECK_EQ(s->kind, k);
        CHECK_EQ(s->base % PAGE, 0);
        CHECK_EQ(s->size % PAGE, 0);
        CHECK(s->base + s->size >= s->base); /* no wrap */
        CHECK(!((s->flags & ZEN_SEG_W) != 0u && (s->flags & ZEN_SEG_X) != 0u));
        CHECK((s->flags & ZEN_SEG_X) == 0u || (s->flags & ZEN_SEG_R) != 0u);
        if (k + 1u < ZEN_SEG_MAPPED)
            CHECK(s->base + s->size <= l->seg[k + 1u].base);
    }
    CHECK_EQ(l->seg[ZEN_SEG_NULL].flags, 0);
    CHECK(l->heap_end + PAGE <= l->stack_floor);
    CHECK(l->stack_floor <= l->seg[ZEN_SEG_STACK].base);
    CHECK_EQ(l->seg[ZEN_SEG_STACK].base + l->seg[ZEN_SEG_STACK].size, l->top);
}

static void test_random(void)
{
    unsigned ok = 0, refused[ZEN_ERR_NO_FIT + 1] = {0};
    for (unsigned n = 0; n < 20000; n++) {
        zen_image img;
        memset(&img, 0, sizeof img);
        img.page_size = next_random() % 50u == 0u ? PAGE / 2 : PAGE;
        /* Near-2^64 sizes in few images, so that some also fit. */
        int big = next_random() % 4u == 0u;
        img.text_size = random_size(big);
        img.rodata_size = random_size(big);
        img.data_size = random_size(big);
        img.bss_size = random_size(big);
        img.comm_size = random_size(big);
        img.debug_size = random_size(big);
        img.heap_limit = random_size(big);
        img.stack_limit = random_size(big);
        img.stack_size = next_random() % 30u == 0u ? img.stack_limit + 1u : img.stack_limit / 2u;
        img.top = next_random() % 40u == 0u ? random_size(0) : (next_random() >> 12) << 12;

        /* The expected answer, in page counts (none of them past 2^52). */
        zen_status want = ZEN_OK;
        uint64_t heap_page = 3u + pages_of(img.text_size) + pages_of(img.rodata_size) +
                             pages_of(img.data_size) + pages_of(img.bss_size) + pages_of(img.comm_size);
        uint64_t end_page = heap_page + pages_of(img.heap_limit);
        const uint64_t last_page = UINT64_MAX / PAGE; /* 2^52 - 1: the page count of the space, less one */
        if (img.page_size != PAGE || img.stack_size > img.stack_limit)
            want = ZEN_ERR_INVAL;
        else if (img.top % PAGE != 0u)
            want = ZEN_ERR_MISALIGNED;
        else if (end_page > last_page + 1u || pages_of(img.debug_size) > last_page)
            want = ZEN_ERR_OVERFLOW;
        else if (end_page + 1u + pages_of(img.stack_limit) > img.top / PAGE)
            want = ZEN_ERR_NO_FIT;

        zen_layout l;
        zen_status st = zen_seg_layout(&img, &l);
        CHECK_EQ(st, want);
        if (st != ZEN_OK) {
            if ((unsigned)st <= ZEN_ERR_NO_FIT)
                refused[st]++;
            continue;
        }
        ok++;
        check_invariants(&l);
        CHECK_EQ(l.seg[ZEN_SEG_HEAP].base, heap_page * PAGE);
        CHECK_EQ(l.heap_end, end_page * PAGE);
        CHECK_EQ(l.stack_floor, img.top - pages_of(img.stack_limit) * PAGE);
        CHECK_EQ(l.seg[ZEN_SEG_STACK].size, pages_of(img.stack_size) * PAGE);
        CHECK_EQ(l.seg[ZEN_SEG_TEXT].size, pages_of(img.text_size) * PAGE);
        CHECK_EQ(l.seg[ZEN_SEG_DEBUG].size, pages_of(img.debug_size) * PAGE);
    }
    /* Every answer was met often enough to mean something. */
    CHECK(ok > 1000u);
    CHECK(refused[ZEN_ERR_INVAL] > 100u);
    CHECK(refused[ZEN_ERR_MISALIGNED] > 100u);
    CHECK(refused[ZEN_ERR_OVERFLOW] > 100u);
    CHECK(refused[ZEN_ERR_NO_FIT] > 100u);
    printf("random images: %u built, %u INVAL, %u MISALIGNED, %u OVERFLOW, %u NO_FIT\n", ok,
           refused[ZEN_ERR_INVAL], refused[ZEN_ERR_MISALIGNED], refused[ZEN_ERR_OVERFLOW],
           refused[ZEN_ERR_NO_FIT]);
}

/* ---- the access check ------------------------------------------------------ */

/* zen_seg_access on l, expecting a fault at `at` with `cause`. */
static void check_fault(const zen_layout *l, uint64_t addr, uint64_t len, uint32_t access, uint32_t mode,
                        uint64_t at, uint32_t cause, int line)
{
    zen_fault f = {0, 0, 0};
    zen_status st = zen_seg_access(l, addr, len, access, mode, &f);
    check_eq_(st, ZEN_ERR_FAULT, "status", "ZEN_ERR_FAULT", line);
    check_eq_(f.addr, at, "fault address", "expected", line);
    check_eq_(f.cause, cause, "fault cause", "expected", line);
    check_eq_(f.signal, ZEN_SIGSEGV, "fault signal", "ZEN_SIGSEGV", line);
}
#define CHECK_FAULT(addr, len, access, mode, at, cause) \
    check_fault(&l, addr, len, access, mode, at, cause, __LINE__)

/* zen_seg_access on l, expecting `want` and *fault untouched. */
static void check_answer(const zen_layout *l, uint64_t addr, uint64_t len, uint32_t access, uint32_t mode,
                         zen_status want, int line)
{
    zen_fault f = {7, 7, 7};
    check_eq_(zen_seg_access(l, addr, len, access, mode, &f), want, "status", "expected", line);
    check_eq_(f.addr == 7 && f.cause == 7 && f.signal == 7, 1, "fault untouched", "true", line);
}
#define CHECK_ANSWER(addr, len, access, mode, want) check_answer(&l, addr, len, access, mode, want, __LINE__)

#define USER ZEN_SEG_USER
#define SYSTEM ZEN_SEG_SYSTEM

/* The small image's layout (pages in test_small_image): NULL 0, TRAPVEC 1,
 * ZENVARS 2, TEXT 3-5, RODATA 6, DATA 7, BSS empty at 8, COMM 8-9, HEAP
 * empty at 10, STACK the two pages under the top (2^32). */
static void test_access_small(void)
{
    zen_image img = small_image();
    zen_layout l;
    CHECK_EQ(zen_seg_layout(&img, &l), ZEN_OK);
    const uint64_t top = (uint64_t)1 << 32;

    /* Which segment holds a byte. */
    CHECK_EQ(zen_seg_find(&l, 0), ZEN_SEG_NULL);
    CHECK_EQ(zen_seg_find(&l, PAGE), ZEN_SEG_TRAPVEC);
    CHECK_EQ(zen_seg_find(&l, 6 * PAGE - 1), ZEN_SEG_TEXT);
    CHECK_EQ(zen_seg_find(&l, 8 * PAGE), ZEN_SEG_COMM); /* not the empty BSS at the same base */
    CHECK_EQ(zen_seg_find(&l, 10 * PAGE), ZEN_SEG_NONE);
    CHECK_EQ(zen_seg_find(&l, top - 1), ZEN_SEG_STACK);
    CHECK_EQ(zen_seg_find(&l, top - 8193), ZEN_SEG_NONE);
    CHECK_EQ(zen_seg_find(&l, top), ZEN_SEG_NONE);
    CHECK_EQ(zen_seg_find(&l, UINT64_MAX), ZEN_SEG_NONE);

    /* Bad requests, before the range's wrap; then the wrap. */
    CHECK_ANSWER(3 * PAGE, 0, ZEN_SEG_R, USER, ZEN_ERR_INVAL);
    CHECK_ANSWER(3 * PAGE, 1, 0, USER, ZEN_ERR_INVAL);
    CHECK_ANSWER(3 * PAGE, 1, ZEN_SEG_R | ZEN_SEG_X, USER, ZEN_ERR_INVAL);
    CHECK_ANSWER(3 * PAGE, 1, ZEN_SEG_S, SYSTEM, ZEN_ERR_INVAL);
    CHECK_ANSWER(3 * PAGE, 1, ZEN_SEG_R, 2, ZEN_ERR_INVAL);
    CHECK_ANSWER(UINT64_MAX, 2, ZEN_SEG_R, 2, ZEN_ERR_INVAL);
    CHECK_ANSWER(UINT64_MAX, 2, ZEN_SEG_R, USER, ZEN_ERR_OVERFLOW);
    CHECK_ANSWER(2, UINT64_MAX, ZEN_SEG_R, SYSTEM, ZEN_ERR_OVERFLOW);

    /* The NULL page, whatever the access and mode, and from inside it on. */
    CHECK_FAULT(0, 1, ZEN_SEG_R, SYSTEM, 0, ZEN_FAULT_NULL_PAGE);
    CHECK_FAULT(5, 8, ZEN_SEG_X, USER, 5, ZEN_FAULT_NULL_PAGE);
    CHECK_FAULT(PAGE - 1, 2, ZEN_SEG_R, SYSTEM, PAGE - 1, ZEN_FAULT_NULL_PAGE);
    /* TRAPVEC: system read and exec, no write; nothing in user mode. */
    CHECK_ANSWER(PAGE, PAGE, ZEN_SEG_X, SYSTEM, ZEN_OK);
    CHECK_FAULT(PAGE + 8, 8, ZEN_SEG_W, SYSTEM, PAGE + 8, ZEN_FAULT_PERMISSION);
    CHECK_FAULT(PAGE + 8, 8, ZEN_SEG_R, USER, PAGE + 8, ZEN_FAULT_MODE);
    CHECK_FAULT(PAGE + 8, 8, ZEN_SEG_W, USER, PAGE + 8, ZEN_FAULT_MODE);
    /* ZENVARS read in user mode, also read on into TEXT; from it back into
     * TRAPVEC faults on TRAPVEC's last byte. */
    CHECK_ANSWER(2 * PAGE, 2 * PAGE, ZEN_SEG_R, USER, ZEN_OK);
    CHECK_FAULT(2 * PAGE - 1, 2, ZEN_SEG_R, USER, 2 * PAGE - 1, ZEN_FAULT_MODE);
    CHECK_FAULT(2 * PAGE + 100, 4, ZEN_SEG_W, SYSTEM, 2 * PAGE + 100, ZEN_FAULT_PERMISSION);
    /* Reading from ZENVARS to the end of COMM crosses six segments (BSS
     * empty); one byte more is in no segment. */
    CHECK_ANSWER(2 * PAGE, 8 * PAGE, ZEN_SEG_R, USER, ZEN_OK);
    CHECK_FAULT(2 * PAGE, 8 * PAGE + 1, ZEN_SEG_R, USER, 10 * PAGE, ZEN_FAULT_NO_SEGMENT);
    /* Executing from TEXT's last page into RODATA faults at RODATA's base. */
    CHECK_FAULT(6 * PAGE - 2, 4, ZEN_SEG_X, USER, 6 * PAGE, ZEN_FAULT_PERMISSION);
    /* Writing from RODATA's last byte faults there; from DATA on through
     * COMM is allowed. */
    CHECK_FAULT(7 * PAGE - 1, 2, ZEN_SEG_W, USER, 7 * PAGE - 1, ZEN_FAULT_PERMISSION);
    CHECK_ANSWER(7 * PAGE, 3 * PAGE, ZEN_SEG_W, USER, ZEN_OK);
    /* The heap is empty: its base and the page under the guard are in no
     * segment. */
    CHECK_FAULT(10 * PAGE, 1, ZEN_SEG_R, SYSTEM, 10 * PAGE, ZEN_FAULT_NO_SEGMENT);
    /* The stack's two pages; the byte under them and the top are in none. */
    CHECK_ANSWER(top - 2 * PAGE, 2 * PAGE, ZEN_SEG_W, USER, ZEN_OK);
    CHECK_FAULT(top - 2 * PAGE - 1, 2, ZEN_SEG_W, USER, top - 2 * PAGE - 1, ZEN_FAULT_NO_SEGMENT);
    CHECK_FAULT(top - 4, 8, ZEN_SEG_R, USER, top, ZEN_FAULT_NO_SEGMENT);
    CHECK_FAULT(top - 4, 8, ZEN_SEG_X, USER, top - 4, ZEN_FAULT_PERMISSION);
    /* The last byte of the space, and all of it from page 3. */
    CHECK_FAULT(UINT64_MAX, 1, ZEN_SEG_R, SYSTEM, UINT64_MAX, ZEN_FAULT_NO_SEGMENT);
    CHECK_FAULT(3 * PAGE, UINT64_MAX - 3 * PAGE + 1, ZEN_SEG_R, SYSTEM, 10 * PAGE, ZEN_FAULT_NO_SEGMENT);
}

/* The access rule page by page, as the header states it: the answer of
 * the one mapped segment holding page p, or none. */
static uint32_t page_cause(const zen_layout *l, uint64_t p, uint32_t access, uint32_t mode)
{
    for (unsigned k = 0; k < ZEN_SEG_MAPPED; k++) {
        const zen_segment *s = &l->seg[k];
        if (p < s->base || p - s->base >= s->size)
            continue;
        if (k == ZEN_SEG_NULL)
            return ZEN_FAULT_NULL_PAGE;
        if (mode == USER && (s->flags & ZEN_SEG_S) != 0u)
            return ZEN_FAULT_MODE;
        return (s->flags & access) != 0u ? ZEN_FAULT_NONE : ZEN_FAULT_PERMISSION;
    }
    return ZEN_FAULT_NO_SEGMENT;
}

/* Random accesses of up to five pages near the segments' ends, in random
 * layouts, against page_cause for every page touched. */
static void test_access_random(void)
{
    static const uint32_t accesses[3] = {ZEN_SEG_R, ZEN_SEG_W, ZEN_SEG_X};
    unsigned seen[ZEN_FAULT_PERMISSION + 1] = {0}, wrapped = 0;
    for (unsigned n = 0; n < 2000; n++) {
        zen_image img = small_image();
        img.text_size = (next_random() % 6u) * PAGE / 2u;
        img.rodata_size = (next_random() % 4u) * PAGE;
        img.data_size = next_random() % (3u * PAGE);
        img.bss_size = (next_random() % 3u) * PAGE;
        img.comm_size = (next_random() % 3u) * PAGE;
        img.stack_size = (next_random() % 4u) * PAGE;
        zen_layout l;
        CHECK_EQ(zen_seg_layout(&img, &l), ZEN_OK);
        for (unsigned a = 0; a < 50; a++) {
            const zen_segment *near = &l.seg[next_random() % ZEN_SEG_MAPPED];
            uint64_t addr = near->base + (next_random() % 2u) * near->size;
            addr += next_random() % (4u * PAGE) - 2u * PAGE;
            uint64_t len = 1u + next_random() % (5u * PAGE);
            uint32_t access = accesses[next_random() % 3u];
            uint32_t mode = (uint32_t)(next_random() % 2u);
            if (addr + (len - 1u) < addr) { /* from under NULL's base, wrapped */
                wrapped++;
                CHECK_ANSWER(addr, len, access, mode, ZEN_ERR_OVERFLOW);
                continue;
            }
            /* The first page touched that refuses, if any. */
            uint32_t cause = ZEN_FAULT_NONE;
            uint64_t at = addr;
            const uint64_t last_page = (addr + (len - 1u)) / PAGE;
            for (uint64_t p = addr / PAGE; p <= last_page; p++) {
                cause = page_cause(&l, p * PAGE, access, mode);
                if (cause != ZEN_FAULT_NONE) {
                    at = p * PAGE < addr ? addr : p * PAGE;
                    break;
                }
            }
            seen[cause]++;
            if (cause == ZEN_FAULT_NONE)
                CHECK_ANSWER(addr, len, access, mode, ZEN_OK);
            else
                CHECK_FAULT(addr, len, access, mode, at, cause);
        }
    }
    /* Each answer was met often enough to mean something. */
    for (unsigned c = ZEN_FAULT_NONE; c <= ZEN_FAULT_PERMISSION; c++)
        CHECK(seen[c] > 500u);
    CHECK(wrapped > 500u);
    printf("random accesses: %u allowed, %u NULL page, %u no segment, %u mode, %u permission, %u past 2^64\n",
           seen[ZEN_FAULT_NONE], seen[ZEN_FAULT_NULL_PAGE], seen[ZEN_FAULT_NO_SEGMENT], seen[ZEN_FAULT_MODE],
           seen[ZEN_FAULT_PERMISSION], wrapped);
}

int main(void)
{
    test_constants();
    test_small_image();
    test_errors();
    test_exact_fit();
    test_random();
    test_access_small();
    test_access_random();
    printf("%lu checks passed, %lu failed\n", g_passed, g_failed);
    return g_failed == 0u ? 0 : 1;
}
