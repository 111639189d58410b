/* Unit and property tests of the Zen zone allocator (core/zen_zone.h).
 *
 * No framework: CHECK counts one passed or failed check, the program prints
 * "N checks passed, M failed" last and exits non-zero when anything failed.
 *
 * Every expected value is derived from the header: the per-frame usability
 * rule (frame 0 never; covered whole by a usable entry; no byte touched by an
 * entry of any other type), the zone bounds (16 MiB, 4 GiB), spans from the
 * lowest to the highest usable frame of a zone, the default watermarks, the
 * fallback order and the min rule, the error of each bad input and its
 * precedence, and the enter/leave hook rule. Fixed maps have their zones,
 * counts and answers worked out by hand in the comments; the property test
 * classifies frames one at a time with its own classifier (frame_usable
 * below, written on byte addresses rather than on rounded frame numbers) and
 * derives the expected zones and answers from that.
 *
 * Page size: the arithmetic in the comments assumes 4 KiB frames
 * (ZEN_PAGE_SHIFT 12), which test_constants checks first.
 *
 * White-box writes to the zone set (watermarks, carving pointers, span start)
 * and to the descriptor array (which belongs to the caller) are used only to
 * corrupt the set on purpose for the checker tests. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zen_zone.h"

/* ---- tiny harness -------------------------------------------------------- */

static unsigned long g_passed;
static unsigned long g_failed;
static char g_ctx[160]; /* what is running, printed with a failure */

static int check_(int ok, const char *what, const char *file, int line)
{
    if (ok) {
        g_passed++;
        return 1;
    }
    g_failed++;
    if (g_failed <= 80)
        fprintf(stderr, "%s:%d: FAILED [%s]: %s\n", file, line, g_ctx, what);
    return 0;
}

static int check_eq_(uint64_t got, uint64_t want, const char *x, const char *y,
                     const char *file, int line)
{
    if (got == want) {
        g_passed++;
        return 1;
    }
    g_failed++;
    if (g_failed <= 80)
        fprintf(stderr, "%s:%d: FAILED [%s]: %s == %s: got %" PRIu64 " (0x%" PRIx64
                "), want %" PRIu64 " (0x%" PRIx64 ")\n",
                file, line, g_ctx, x, y, got, got, want, want);
    return 0;
}

static const char *status_name(zen_status s)
{
    static const char *const names[] = {
        "ZEN_OK", "ZEN_ERR_NOMEM", "ZEN_ERR_INVAL", "ZEN_ERR_RANGE", "ZEN_ERR_RESERVED",
        "ZEN_ERR_NOT_HEAD", "ZEN_ERR_NOT_ALLOCATED", "ZEN_ERR_ORDER", "ZEN_ERR_OVERFLOW",
        "ZEN_ERR_BUSY", "ZEN_ERR_CORRUPT", "ZEN_ERR_CAPACITY", "ZEN_ERR_NO_USABLE"};
    unsigned i = (unsigned)s;
    return i < sizeof names / sizeof names[0] ? names[i] : "(unknown status)";
}

static int check_st_(zen_status got, zen_status want, const char *call, const char *file, int line)
{
    if (got == want) {
        g_passed++;
        return 1;
    }
    g_failed++;
    if (g_failed <= 80)
        fprintf(stderr, "%s:%d: FAILED [%s]: %s returned %s, want %s\n", file, line, g_ctx,
                call, status_name(got), status_name(want));
    return 0;
}

#define CHECK(c) check_((c) ? 1 : 0, #c, __FILE__, __LINE__)
#define CHECK_EQ(x, y) check_eq_((uint64_t)(x), (uint64_t)(y), #x, #y, __FILE__, __LINE__)
#define CHECK_ST(call, want) check_st_((call), (want), #call, __FILE__, __LINE__)

static void ctx(const char *what)
{
    snprintf(g_ctx, sizeof g_ctx, "%s", what);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1u);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

/* xorshift64: small, seeded, reproducible. */
static uint64_t g_xs;
static uint64_t xs(void)
{
    uint64_t x = g_xs;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    g_xs = x;
    return x;
}
static uint64_t xs_below(uint64_t n) { return n ? xs() % n : 0u; }

#define PG 0x1000u             /* bytes per frame (checked in test_constants) */
#define DMA32_PFN 4096u        /* 16 MiB / 4 KiB */
#define NORMAL_PFN 1048576u    /* 4 GiB / 4 KiB = 2^20 */
#define TOP_PFN 0xFFFFFFFFFFFFFu /* 2^52 - 1: the last frame of the address space */
#define BLOCK(k) ((uint64_t)1 << (k))
#define NZ 3u

#define USABLE ZEN_MEM_USABLE
#define RESV ZEN_MEM_RESERVED
#define ACPI ZEN_MEM_ACPI_RECLAIM
#define NVS ZEN_MEM_ACPI_NVS
#define BAD ZEN_MEM_BAD
#define NMAP(m) ((uint64_t)(sizeof(m) / sizeof((m)[0])))

/* ---- independent classifier ---------------------------------------------- */

/* The rule of zen_zone.h on byte addresses: frame pfn holds bytes
 * [pfn * 4096, pfn * 4096 + 4095]; a usable entry must hold all of them, an
 * entry of any other type must hold none of them. Entry i holds bytes
 * [base, base + length - 1] (well-formed maps only: the last byte fits). */
static int frame_usable(const zen_mem_range *m, uint64_t n, zen_pfn pfn)
{
    if (pfn == 0u)
        return 0;
    uint64_t lo = pfn * PG, hi = lo + (PG - 1u);
    int covered = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t last = m[i].base + (m[i].length - 1u);
        if (m[i].type == ZEN_MEM_USABLE) {
            if (m[i].base <= lo && hi <= last)
                covered = 1;
        } else if (m[i].base <= hi && lo <= last) {
            return 0;
        }
    }
    return covered;
}

static unsigned zone_of(zen_pfn pfn)
{
    return pfn < DMA32_PFN ? 0u : pfn < NORMAL_PFN ? 1u : 2u;
}

/* ---- fixture ------------------------------------------------------------- */

typedef struct zfx {
    zen_zone_set s;
    zen_zone_layout plan;
    zen_page_frame *frames;
    uint64_t nframes;
    uint64_t *words;
    uint64_t nwords;
    unsigned char *mem[NZ]; /* direct maps, when attached */
} zfx;

static void zfx_open(zfx *f, const zen_mem_range *map, uint64_t n, const zen_hooks *hooks)
{
    memset(f, 0, sizeof *f);
    CHECK_ST(zen_zone_plan(map, n, n, &f->plan), ZEN_OK);
    f->nframes = f->plan.frames_needed;
    f->nwords = f->plan.words_needed;
    f->frames = xmalloc((size_t)f->nframes * sizeof *f->frames);
    f->words = xmalloc((size_t)f->nwords * sizeof *f->words);
    /* garbage in both arrays: init must write what it uses */
    memset(f->frames, 0xEE, (size_t)f->nframes * sizeof *f->frames);
    memset(f->words, 0xEE, (size_t)f->nwords * sizeof *f->words);
    CHECK_ST(zen_zone_init(&f->s, map, n, n, f->frames, f->nframes, f->words, f->nwords, hooks),
             ZEN_OK);
}

static void zfx_close(zfx *f)
{
    free(f->frames);
    free(f->words);
    for (unsigned z = 0; z < NZ; z++)
        free(f->mem[z]);
    memset(f, 0, sizeof *f);
}

/* Give zone z a direct map of its span filled with 0xAA. */
static void zfx_attach(zfx *f, unsigned z)
{
    size_t bytes = (size_t)(f->s.zone[z].pages.nframes * PG);
    f->mem[z] = xmalloc(bytes);
    memset(f->mem[z], 0xAA, bytes);
    CHECK_ST(zen_zone_attach_memory(&f->s, z, (uint64_t *)(void *)f->mem[z]), ZEN_OK);
}

static int zfx_check_(zfx *f, const char *file, int line)
{
    zen_zone_check_report r;
    memset(&r, 0xA5, sizeof r);
    zen_status st = zen_zone_check(&f->s, &r);
    if (st == ZEN_OK && r.invariant == ZEN_ZINV_NONE)
        return check_(1, "", file, line);
    char msg[200];
    snprintf(msg, sizeof msg, "zen_zone_check: %s, invariant %u in zone %u (pages %u at pfn %" PRIu64 ")",
             status_name(st), r.invariant, r.zone, r.pages.invariant, r.pages.pfn);
    return check_(0, msg, file, line);
}
#define ZFX_CHECK(f) zfx_check_((f), __FILE__, __LINE__)

static zen_zone_info zinfo(const zfx *f, unsigned z)
{
    zen_zone_info i;
    memset(&i, 0xA5, sizeof i);
    CHECK_ST(zen_zone_stats(&f->s, z, &i), ZEN_OK);
    return i;
}

/* Zone z reports exactly these values (zen_zone_stats). */
static void expect_zone_(const zfx *f, unsigned z, zen_pfn start, uint64_t nframes,
                         uint64_t managed, uint64_t free_frames, uint64_t min, uint64_t low,
                         uint64_t high, const char *file, int line)
{
    zen_zone_info i = zinfo(f, z);
    char what[64];
    snprintf(what, sizeof what, "zone %u", z);
    check_eq_(i.present, 1u, what, "present", file, line);
    check_eq_(i.start, start, what, "start", file, line);
    check_eq_(i.nframes, nframes, what, "nframes", file, line);
    check_eq_(i.managed, managed, what, "managed", file, line);
    check_eq_(i.free_frames, free_frames, what, "free_frames", file, line);
    check_eq_(i.min, min, what, "min", file, line);
    check_eq_(i.low, low, what, "low", file, line);
    check_eq_(i.high, high, what, "high", file, line);
}
#define EXPECT_ZONE(f, z, start, n, managed, free_, min, low, high) \
    expect_zone_((f), (z), (start), (n), (managed), (free_), (min), (low), (high), __FILE__, __LINE__)

static uint64_t zfree(const zfx *f, unsigned z) { return zinfo(f, z).free_frames; }

static zen_pfn zalloc_ok_(zfx *f, unsigned max_zone, unsigned order, unsigned flags,
                          const char *file, int line)
{
    zen_pfn p = 0xDEADBEEFu;
    check_st_(zen_zone_alloc(&f->s, max_zone, order, flags, &p), ZEN_OK, "zen_zone_alloc", file,
              line);
    zfx_check_(f, file, line);
    return p;
}
#define ZALLOC(f, mz, o, fl) zalloc_ok_((f), (mz), (o), (fl), __FILE__, __LINE__)

/* ---- snapshots: "an error changes nothing but the diagnostic counters" --- */

#define ANY UINT64_MAX

typedef struct zsnap {
    zen_zone_set s;
    zen_page_frame *frames;
    uint64_t *words;
} zsnap;

static void snap_take(zsnap *n, const zfx *f)
{
    memcpy(&n->s, &f->s, sizeof n->s);
    n->frames = xmalloc((size_t)f->nframes * sizeof *n->frames);
    memcpy(n->frames, f->frames, (size_t)f->nframes * sizeof *n->frames);
    n->words = xmalloc((size_t)f->nwords * sizeof *n->words);
    memcpy(n->words, f->words, (size_t)f->nwords * sizeof *n->words);
}

static void snap_drop(zsnap *n)
{
    free(n->frames);
    free(n->words);
}

/* Everything as in the snapshot except the set's rejected (+dr, or any
 * value for ANY) and oom_count (+doom), and the page allocators' own
 * diagnostic counters (rejected, oom_count). */
static int snap_same(const zsnap *n, const zfx *f, uint64_t dr, uint64_t doom)
{
    int ok = 1;
    zen_zone_set cur;
    memcpy(&cur, &f->s, sizeof cur);
    if (dr != ANY && cur.stats.rejected != n->s.stats.rejected + dr) {
        fprintf(stderr, "  rejected %" PRIu64 ", want %" PRIu64 "\n", cur.stats.rejected,
                n->s.stats.rejected + dr);
        ok = 0;
    }
    if (cur.stats.oom_count != n->s.stats.oom_count + doom) {
        fprintf(stderr, "  oom_count %" PRIu64 ", want %" PRIu64 "\n", cur.stats.oom_count,
                n->s.stats.oom_count + doom);
        ok = 0;
    }
    cur.stats.rejected = n->s.stats.rejected;
    cur.stats.oom_count = n->s.stats.oom_count;
    for (unsigned z = 0; z < NZ; z++) {
        cur.zone[z].pages.stats.rejected = n->s.zone[z].pages.stats.rejected;
        cur.zone[z].pages.stats.oom_count = n->s.zone[z].pages.stats.oom_count;
    }
    if (memcmp(&cur, &n->s, sizeof cur) != 0) {
        fprintf(stderr, "  zone set fields differ\n");
        ok = 0;
    }
    if (memcmp(n->frames, f->frames, (size_t)f->nframes * sizeof *n->frames) != 0) {
        fprintf(stderr, "  descriptors differ\n");
        ok = 0;
    }
    if (memcmp(n->words, f->words, (size_t)f->nwords * sizeof *n->words) != 0) {
        fprintf(stderr, "  bitmap words differ\n");
        ok = 0;
    }
    return ok;
}

/* The call must answer `want` and change nothing but the counters. */
#define EXPECT_REJECT(f, call, want, dr, doom)                                          \
    do {                                                                                \
        zsnap n_;                                                                       \
        snap_take(&n_, (f));                                                            \
        CHECK_ST((call), (want));                                                       \
        check_(snap_same(&n_, (f), (dr), (doom)), "unchanged but counters after " #call, \
               __FILE__, __LINE__);                                                     \
        snap_drop(&n_);                                                                 \
        ZFX_CHECK(f);                                                                   \
    } while (0)

static int bytes_are(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

/* ========================================================================== */
/* 0. constants the arithmetic below relies on                                */
/* ========================================================================== */

static void test_constants(void)
{
    ctx("constants");
    CHECK_EQ(ZEN_PAGE_SIZE, 4096u);
    CHECK_EQ(ZEN_ZONE_DMA32_START, 4096u);     /* 16 MiB = 0x1000000 bytes */
    CHECK_EQ(ZEN_ZONE_NORMAL_START, 1048576u); /* 4 GiB = 0x100000000 bytes */
    CHECK_EQ(ZEN_PFN_LIMIT, 0x10000000000000u);
    CHECK_EQ(ZEN_PAGE_MAX_FRAMES, 0x100000000u);
    CHECK_EQ(ZEN_PAGE_MAX_ORDER, 10u);
    CHECK_EQ(ZEN_ZONE_COUNT, 3u);
    CHECK_EQ(ZEN_ZONE_FLAGS_ALL, 3u);
}

/* ========================================================================== */
/* 1. zen_zone_plan on E820-like maps                                         */
/* ========================================================================== */

/* Unsorted, overlapping, unaligned; one usable entry straddles 16 MiB and one
 * straddles 4 GiB. Frames each entry speaks for (usable inward, others
 * outward):
 *   U 0xFFFF0000 +0x20000      [0xFFFF0, 0x100010) = [1048560, 1048592)   straddles 4 GiB
 *   R 0x9FC00 +0x400           bytes 0x9FC00..0x9FFFF -> frame 159
 *   U 0x100000 +0x1100000      [256, 4608)                                straddles 16 MiB
 *   5 0x100203FFF +1           one byte -> frame 0x100203 = 1049091
 *   U 0x0 +0x9FC00             [0, 0x9FC00 / 0x1000 = 159) -> frames 1..158 (frame 0 dropped)
 *   3 0x7FF800 +0x1000         bytes 0x7FF800..0x8007FF -> frames 2047, 2048
 *   R 0xFEC00000 +0x1000       frame 0xFEC00 (inside the DMA32 span: a hole)
 *   U 0x100200800 +0x3800      bytes ..0x100203FFF -> [ceil 0x100201, 0x100204) = 1049089..1049091
 *   17 0x1100000 +1            frame 4352 (unknown type: reserved)
 *   U 0x100100000 +0x7FF       sub-page: [0x100100, 0x100100) -> nothing
 *   U 0x1000000 +0x10000       [4096, 4112), inside the 16 MiB straddler
 *   4 0x100008000 +0x800       frame 0x100008 = 1048584
 *   R 0xE0000 +0x20000         frames 224..255
 * Zones:
 *   DMA    lowest usable 1, highest 4095       -> start 1, nframes 4095
 *   DMA32  lowest 4096, highest 0xFFFFF        -> start 4096, nframes 1048576 - 4096 = 1044480
 *   NORMAL lowest 1048576; 1049091 is reserved by the one-byte BAD entry, so the
 *          highest is 1049090                 -> start 1048576, nframes 1049091 - 1048576 = 515
 *   frames_needed = 4095 + 1044480 + 515 = 1049090 */
static const zen_mem_range map_a[] = {
    {0xFFFF0000u, 0x20000u, USABLE},
    {0x9FC00u, 0x400u, RESV},
    {0x100000u, 0x1100000u, USABLE},
    {0x100203FFFu, 1u, BAD},
    {0x0u, 0x9FC00u, USABLE},
    {0x7FF800u, 0x1000u, ACPI},
    {0xFEC00000u, 0x1000u, RESV},
    {0x100200800u, 0x3800u, USABLE},
    {0x1100000u, 1u, 17u},
    {0x100100000u, 0x7FFu, USABLE},
    {0x1000000u, 0x10000u, USABLE},
    {0x100008000u, 0x800u, NVS},
    {0xE0000u, 0x20000u, RESV},
};

static int plan_unwritten(const zen_zone_layout *p)
{
    zen_zone_layout sentinel;
    memset(&sentinel, 0xA5, sizeof sentinel);
    return memcmp(p, &sentinel, sizeof *p) == 0;
}

static zen_status plan_of(const zen_mem_range *m, uint64_t count, uint64_t cap, zen_zone_layout *p)
{
    memset(p, 0xA5, sizeof *p);
    return zen_zone_plan(m, count, cap, p);
}

/* Plan answered OK with these spans; nwords is what the page allocator needs
 * for each span (zen_page_bitmap_words, tested in page_test) and 0 for an
 * absent zone. */
static void expect_plan_(const zen_zone_layout *p, const zen_pfn start[NZ], const uint64_t n[NZ],
                         const char *file, int line)
{
    uint64_t words = 0, frames = 0;
    for (unsigned z = 0; z < NZ; z++) {
        char what[48];
        snprintf(what, sizeof what, "plan zone %u", z);
        check_eq_(p->nframes[z], n[z], what, "nframes", file, line);
        if (n[z] != 0u) {
            check_eq_(p->start[z], start[z], what, "start", file, line);
            uint64_t w = zen_page_bitmap_words(start[z], n[z]);
            check_(w != 0u, "bitmap words for the span", file, line);
            check_eq_(p->nwords[z], w, what, "nwords", file, line);
            words += w;
        } else {
            check_eq_(p->nwords[z], 0u, what, "nwords (absent)", file, line);
        }
        frames += n[z];
    }
    check_eq_(p->frames_needed, frames, "plan", "frames_needed", file, line);
    check_eq_(p->words_needed, words, "plan", "words_needed", file, line);
}
#define EXPECT_PLAN(p, s0, n0, s1, n1, s2, n2)                                           \
    do {                                                                               \
        const zen_pfn s_[NZ] = {(s0), (s1), (s2)};                                     \
        const uint64_t n_[NZ] = {(n0), (n1), (n2)};                                    \
        expect_plan_((p), s_, n_, __FILE__, __LINE__);                                 \
    } while (0)

static void test_plan_e820(void)
{
    ctx("plan: E820-like map");
    zen_zone_layout p;
    CHECK_ST(plan_of(map_a, NMAP(map_a), NMAP(map_a), &p), ZEN_OK);
    EXPECT_PLAN(&p, 1, 4095, 4096, 1044480, 1048576, 515);
    CHECK_EQ(p.frames_needed, 1049090u);
    /* a larger buffer than the count changes nothing */
    zen_mem_range big[20];
    memset(big, 0, sizeof big);
    memcpy(big, map_a, sizeof map_a);
    CHECK_ST(plan_of(big, NMAP(map_a), 20, &p), ZEN_OK);
    EXPECT_PLAN(&p, 1, 4095, 4096, 1044480, 1048576, 515);

    /* The same map plus one usable frame at the very top: base
     * 0xFFFFFFFFFFFFF000, length 0x1000 ends exactly at 2^64 (well formed),
     * frame 2^52 - 1. NORMAL would span [2^20, 2^52) = 2^52 - 2^20 frames
     * > 2^32 = ZEN_PAGE_MAX_FRAMES: ZEN_ERR_RANGE, plan not written. */
    big[NMAP(map_a)] = (zen_mem_range){0xFFFFFFFFFFFFF000u, 0x1000u, USABLE};
    CHECK_ST(plan_of(big, NMAP(map_a) + 1u, 20, &p), ZEN_ERR_RANGE);
    CHECK(plan_unwritten(&p));

    /* The top entry alone: NORMAL = the one frame 0xFFFFFFFFFFFFF. */
    const zen_mem_range top[] = {{0xFFFFFFFFFFFFF000u, 0x1000u, USABLE}};
    CHECK_ST(plan_of(top, 1, 1, &p), ZEN_OK);
    EXPECT_PLAN(&p, 0, 0, 0, 0, TOP_PFN, 1);
}

static void test_plan_small(void)
{
    zen_zone_layout p;

    ctx("plan: usable trimmed inward");
    /* bytes 0x1800..0x47FF: first whole frame ceil(0x1800/0x1000) = 2, end
     * floor(0x4800/0x1000) = 4 -> frames 2, 3 */
    const zen_mem_range trim[] = {{0x1800u, 0x3000u, USABLE}};
    CHECK_ST(plan_of(trim, 1, 1, &p), ZEN_OK);
    EXPECT_PLAN(&p, 2, 2, 0, 0, 0, 0);

    ctx("plan: reserved rounded outward at both edges");
    /* usable [1, 17) (0x1000 + 0x10000 = 0x11000); reserved bytes
     * 0x10FFF..0x11000 touch frames 16 and 17; reserved byte 0x1FFF touches
     * frame 1 -> usable 2..15: start 2, nframes 14 */
    const zen_mem_range outward[] = {
        {0x10FFFu, 2u, RESV}, {0x1000u, 0x10000u, USABLE}, {0x1FFFu, 1u, 17u}};
    CHECK_ST(plan_of(outward, 3, 3, &p), ZEN_OK);
    EXPECT_PLAN(&p, 2, 14, 0, 0, 0, 0);

    ctx("plan: frame 0 dropped");
    /* usable bytes 0..0x2FFF: frames 0, 1, 2; frame 0 never usable */
    const zen_mem_range zero[] = {{0x0u, 0x3000u, USABLE}};
    CHECK_ST(plan_of(zero, 1, 1, &p), ZEN_OK);
    EXPECT_PLAN(&p, 1, 2, 0, 0, 0, 0);

    ctx("plan: exact 16 MiB and 4 GiB splits");
    /* usable [4095, 4097): frame 4095 in DMA, 4096 in DMA32;
     * usable [0xFFFFF, 0x100001): frame 1048575 in DMA32, 1048576 in NORMAL */
    const zen_mem_range split[] = {
        {0xFFFFF000u, 0x2000u, USABLE}, {0xFFF000u, 0x2000u, USABLE}};
    CHECK_ST(plan_of(split, 2, 2, &p), ZEN_OK);
    EXPECT_PLAN(&p, 4095, 1, 4096, 1048576 - 4096, 1048576, 1);

    ctx("plan: span of exactly ZEN_PAGE_MAX_FRAMES");
    /* frames 2^20 and 2^20 + 2^32 - 1 (base 0x1000FFFFF000): span 2^32, accepted;
     * 2^20 + 2^32 (base 0x100100000000): span 2^32 + 1, ZEN_ERR_RANGE */
    const zen_mem_range max_ok[] = {
        {0x100000000u, 0x1000u, USABLE}, {0x1000FFFFF000u, 0x1000u, USABLE}};
    CHECK_ST(plan_of(max_ok, 2, 2, &p), ZEN_OK);
    EXPECT_PLAN(&p, 0, 0, 0, 0, 1048576, 0x100000000u);
    const zen_mem_range max_bad[] = {
        {0x100000000u, 0x1000u, USABLE}, {0x100100000000u, 0x1000u, USABLE}};
    CHECK_ST(plan_of(max_bad, 2, 2, &p), ZEN_ERR_RANGE);
    CHECK(plan_unwritten(&p));

    ctx("plan: last byte entries are well formed");
    /* reserved bytes 0xFFFFFFFFFFFFF001..0xFFFFFFFFFFFFFFFF end at 2^64; base
     * UINT64_MAX length 1 too; usable frame 1 stays */
    const zen_mem_range edge[] = {
        {0x1000u, 0x1000u, USABLE}, {0xFFFFFFFFFFFFF001u, 0xFFFu, RESV},
        {UINT64_MAX, 1u, BAD}};
    CHECK_ST(plan_of(edge, 3, 3, &p), ZEN_OK);
    EXPECT_PLAN(&p, 1, 1, 0, 0, 0, 0);

    ctx("plan: count below capacity ignores the rest");
    const zen_mem_range tail[] = {{0x1000u, 0x1000u, USABLE}, {0x0u, 0x0u, USABLE}};
    CHECK_ST(plan_of(tail, 1, 2, &p), ZEN_OK);
    EXPECT_PLAN(&p, 1, 1, 0, 0, 0, 0);
}

static void test_plan_errors(void)
{
    zen_zone_layout p;

    ctx("plan errors: capacity");
    /* count > capacity wins even though both entries are malformed */
    const zen_mem_range bad2[] = {{0x1000u, 0x0u, USABLE}, {UINT64_MAX, 2u, USABLE}};
    CHECK_ST(plan_of(bad2, 3, 2, &p), ZEN_ERR_CAPACITY);
    CHECK(plan_unwritten(&p));
    CHECK_ST(plan_of(bad2, 1, 0, &p), ZEN_ERR_CAPACITY);
    CHECK(plan_unwritten(&p));
    CHECK_ST(plan_of(bad2, UINT64_MAX, 2, &p), ZEN_ERR_CAPACITY);
    CHECK(plan_unwritten(&p));
    const zen_mem_range good1[] = {{0x1000u, 0x1000u, USABLE}};
    CHECK_ST(plan_of(good1, 2, 1, &p), ZEN_ERR_CAPACITY);
    CHECK(plan_unwritten(&p));

    ctx("plan errors: first malformed entry decides");
    const zen_mem_range inval_first[] = {
        {0x1000u, 0x1000u, USABLE}, {0x2000u, 0x0u, RESV}, {0xFFFFFFFFFFFFF000u, 0x1001u, USABLE}};
    CHECK_ST(plan_of(inval_first, 3, 3, &p), ZEN_ERR_INVAL);
    CHECK(plan_unwritten(&p));
    const zen_mem_range over_first[] = {
        {0x1000u, 0x1000u, USABLE}, {0xFFFFFFFFFFFFF000u, 0x1001u, USABLE}, {0x2000u, 0x0u, USABLE}};
    CHECK_ST(plan_of(over_first, 3, 3, &p), ZEN_ERR_OVERFLOW);
    CHECK(plan_unwritten(&p));
    /* the malformed entry past count is not read */
    CHECK_ST(plan_of(over_first, 1, 3, &p), ZEN_OK);

    ctx("plan errors: overflow boundaries");
    /* base + length: 2 + (2^64 - 1) = 2^64 + 1 -> overflow;
     * 0xFFFFFFFFFFFFF001 + 0x1000 = 2^64 + 1 -> overflow;
     * UINT64_MAX + 2 -> overflow */
    const zen_mem_range o1[] = {{0x1000u, 0x1000u, USABLE}, {2u, UINT64_MAX, RESV}};
    CHECK_ST(plan_of(o1, 2, 2, &p), ZEN_ERR_OVERFLOW);
    CHECK(plan_unwritten(&p));
    const zen_mem_range o2[] = {{0x1000u, 0x1000u, USABLE}, {0xFFFFFFFFFFFFF001u, 0x1000u, RESV}};
    CHECK_ST(plan_of(o2, 2, 2, &p), ZEN_ERR_OVERFLOW);
    const zen_mem_range o3[] = {{UINT64_MAX, 2u, USABLE}};
    CHECK_ST(plan_of(o3, 1, 1, &p), ZEN_ERR_OVERFLOW);
    /* 1 + (2^64 - 1) = 2^64 exactly: well formed; as a reserved entry it
     * touches every frame but 0, so nothing is usable */
    const zen_mem_range o4[] = {{0x1000u, 0x1000u, USABLE}, {1u, UINT64_MAX, RESV}};
    CHECK_ST(plan_of(o4, 2, 2, &p), ZEN_ERR_NO_USABLE);
    CHECK(plan_unwritten(&p));
    const zen_mem_range l0[] = {{0x0u, 0x0u, USABLE}};
    CHECK_ST(plan_of(l0, 1, 1, &p), ZEN_ERR_INVAL);
    CHECK(plan_unwritten(&p));

    ctx("plan errors: no usable frame");
    CHECK_ST(plan_of(good1, 0, 1, &p), ZEN_ERR_NO_USABLE); /* empty map */
    CHECK(plan_unwritten(&p));
    /* sub-page usable: bytes 0x1800..0x1FFF (first 2, end 2) */
    const zen_mem_range sub[] = {{0x1800u, 0x800u, USABLE}};
    CHECK_ST(plan_of(sub, 1, 1, &p), ZEN_ERR_NO_USABLE);
    CHECK(plan_unwritten(&p));
    /* one page long but unaligned: bytes 0x1800..0x27FF hold no whole frame */
    const zen_mem_range sub2[] = {{0x1800u, 0x1000u, USABLE}};
    CHECK_ST(plan_of(sub2, 1, 1, &p), ZEN_ERR_NO_USABLE);
    /* usable [256, 272) covered by reserved bytes 0xFFFFF..0x110000 (frames 255..272) */
    const zen_mem_range covered[] = {{0x100000u, 0x10000u, USABLE}, {0xFFFFFu, 0x10002u, RESV}};
    CHECK_ST(plan_of(covered, 2, 2, &p), ZEN_ERR_NO_USABLE);
    CHECK(plan_unwritten(&p));
    /* usable [256, 272) and unknown type 0 over bytes 0x100FFF..0x10F000 (frames 256..271) */
    const zen_mem_range covered0[] = {{0x100FFFu, 0xE002u, 0u}, {0x100000u, 0x10000u, USABLE}};
    CHECK_ST(plan_of(covered0, 2, 2, &p), ZEN_ERR_NO_USABLE);
    /* only frame 0: bytes 0..0xFFF, and 0..0x1FFE (frame 1 not whole) */
    const zen_mem_range only0[] = {{0x0u, 0x1000u, USABLE}, {0x0u, 0x1FFFu, USABLE}};
    CHECK_ST(plan_of(only0, 2, 2, &p), ZEN_ERR_NO_USABLE);
    CHECK(plan_unwritten(&p));
    /* only reserved entries */
    const zen_mem_range resv_only[] = {{0x1000u, 0x100000u, RESV}, {0x100000000u, 0x1000u, BAD}};
    CHECK_ST(plan_of(resv_only, 2, 2, &p), ZEN_ERR_NO_USABLE);
}

/* ========================================================================== */
/* 2. zen_zone_init                                                           */
/* ========================================================================== */

/* Map B: small spans, holes in every zone; unsorted.
 *   U 0x100000 +0x1100000     [256, 4608)          straddles 16 MiB
 *   R 0x4FFFFF +2             bytes 0x4FFFFF..0x500000 -> frames 1279, 1280
 *   U 0x100000000 +0x10000    [1048576, 1048592)
 *   R 0x9FC00 +0x400          frame 159
 *   17 0x1100000 +1           frame 4352
 *   U 0x0 +0x9FC00            frames 1..158
 *   5 0x100004000 +0x1000     frame 1048580
 *   3 0x7FF800 +0x1000        frames 2047, 2048
 *   U 0x100020800 +0x2000     bytes ..0x1000227FF -> [0x100021, 0x100022) = frame 1048609
 *   R 0xE0000 +0x20000        frames 224..255
 *   U 0x11FF800 +0x3000       bytes 0x11FF800..0x12027FF -> [4608, 4610)
 *   U 0x1000 +0x4000          frames 1..4 again (overlap)
 *   R 0x1202800 +0x800        bytes 0x1202800..0x1202FFF -> frame 4610 (adjacent, not 4609)
 * DMA:    start 1, end 4096 -> nframes 4095; managed 158 (1..158)
 *         + 3840 (256..4095) - 4 (1279, 1280, 2047, 2048) = 3994;
 *         min 3994/128 = 31 (31 * 128 = 3968), low 31 + 31/4 = 38, high 31 + 31/2 = 46
 * DMA32:  start 4096, end 4610 -> nframes 514; managed 514 - 1 (4352) = 513;
 *         min 513/128 = 4, low 4 + 1 = 5, high 4 + 2 = 6
 * NORMAL: start 1048576, end 1048610 -> nframes 34; managed 16 - 1 (1048580) + 1 = 16;
 *         min 0, low 0, high 0
 * frames_needed 4095 + 514 + 34 = 4643 */
static const zen_mem_range map_b[] = {
    {0x100000u, 0x1100000u, USABLE},
    {0x4FFFFFu, 2u, RESV},
    {0x100000000u, 0x10000u, USABLE},
    {0x9FC00u, 0x400u, RESV},
    {0x1100000u, 1u, 17u},
    {0x0u, 0x9FC00u, USABLE},
    {0x100004000u, 0x1000u, BAD},
    {0x7FF800u, 0x1000u, ACPI},
    {0x100020800u, 0x2000u, USABLE},
    {0xE0000u, 0x20000u, RESV},
    {0x11FF800u, 0x3000u, USABLE},
    {0x1000u, 0x4000u, USABLE},
    {0x1202800u, 0x800u, RESV},
};

/* Map C: one usable entry straddling 4 GiB, plain low memory.
 *   U 0x0 +0x200000           frames 1..511 (frame 0 dropped)
 *   R 0xFEC00000 +0x1000      frame 0xFEC00 (below the DMA32 span: no effect)
 *   U 0xFF000000 +0x1400000   [0xFF000, 0x100400) = [1044480, 1049600)
 * DMA:    start 1, nframes 511, managed 511; min 511/128 = 3, low 3 + 0 = 3, high 3 + 1 = 4
 *         free blocks 1:0 2:1 4:2 8:3 16:4 32:5 64:6 128:7 256:8
 * DMA32:  start 1044480, nframes 1048576 - 1044480 = 4096, managed 4096;
 *         min 32, low 32 + 8 = 40, high 32 + 16 = 48;
 *         free blocks (1044480 = 255 * 4096) 0xFF000:10 0xFF400:10 0xFF800:10 0xFFC00:10
 * NORMAL: start 1048576, nframes 1024, managed 1024; min 8, low 10, high 12;
 *         free block 1048576:10
 * frames_needed 511 + 4096 + 1024 = 5631 */
static const zen_mem_range map_c[] = {
    {0x0u, 0x200000u, USABLE},
    {0xFEC00000u, 0x1000u, RESV},
    {0xFF000000u, 0x1400000u, USABLE},
};

/* Every frame of every zone's span is reserved exactly when the classifier
 * says it is not usable; every usable frame is free (a free head or a tail
 * of a free block) in the zone of its address; every usable frame of the
 * scanned pfn ranges lies in its zone's span. Returns the usable frames
 * counted per zone in managed[]. */
static void compare_frames_(zfx *f, const zen_mem_range *m, uint64_t n, const zen_pfn *scan,
                            unsigned nscan, uint64_t managed[NZ], const char *file, int line)
{
    unsigned bad = 0;
    for (unsigned z = 0; z < NZ; z++) {
        managed[z] = 0;
        const zen_zone *zone = &f->s.zone[z];
        if (!zone->present)
            continue;
        for (uint64_t i = 0; i < zone->pages.nframes; i++) {
            zen_pfn pfn = zone->pages.start + i;
            int u = frame_usable(m, n, pfn);
            uint8_t st = zone->pages.frames[i].state;
            int ok = u ? (st == ZEN_FRAME_FREE || st == ZEN_FRAME_TAIL) : st == ZEN_FRAME_RESERVED;
            if (!ok && bad++ < 5)
                fprintf(stderr, "  zone %u pfn %" PRIu64 ": state %u, usable %d\n", z, pfn,
                        (unsigned)st, u);
            managed[z] += u ? 1u : 0u;
        }
    }
    check_(bad == 0u, "every frame of every span classified as the rule says", file, line);
    /* usable frames outside the spans */
    unsigned outside = 0;
    for (unsigned r = 0; r < nscan; r++)
        for (zen_pfn pfn = scan[2 * r]; pfn < scan[2 * r + 1]; pfn++) {
            if (!frame_usable(m, n, pfn))
                continue;
            const zen_zone *zone = &f->s.zone[zone_of(pfn)];
            if (!zone->present || pfn < zone->pages.start ||
                pfn - zone->pages.start >= zone->pages.nframes)
                if (outside++ < 5)
                    fprintf(stderr, "  usable pfn %" PRIu64 " outside its zone\n", pfn);
        }
    check_(outside == 0u, "every usable frame inside its zone's span", file, line);
}

static void test_init_map_b(void)
{
    ctx("init: map B");
    zfx f;
    zfx_open(&f, map_b, NMAP(map_b), NULL);
    EXPECT_PLAN(&f.plan, 1, 4095, 4096, 514, 1048576, 34);
    CHECK_EQ(f.plan.frames_needed, 4643u);
    CHECK(f.s.frames == f.frames);
    CHECK(f.s.words == f.words);
    CHECK_EQ(f.s.nframes, 4643u);
    CHECK_EQ(f.s.nwords, f.plan.words_needed);
    EXPECT_ZONE(&f, 0, 1, 4095, 3994, 3994, 31, 38, 46);
    EXPECT_ZONE(&f, 1, 4096, 514, 513, 513, 4, 5, 6);
    EXPECT_ZONE(&f, 2, 1048576, 34, 16, 16, 0, 0, 0);
    /* carved in zone order: DMA first */
    CHECK_EQ(f.s.zone[0].frame_off, 0u);
    CHECK_EQ(f.s.zone[1].frame_off, 4095u);
    CHECK_EQ(f.s.zone[2].frame_off, 4095u + 514u);
    CHECK_EQ(f.s.zone[0].word_off, 0u);
    CHECK_EQ(f.s.zone[1].word_off, f.plan.nwords[0]);
    CHECK_EQ(f.s.zone[2].word_off, f.plan.nwords[0] + f.plan.nwords[1]);
    for (unsigned z = 0; z < NZ; z++) {
        CHECK(f.s.zone[z].pages.frames == f.frames + f.s.zone[z].frame_off);
        CHECK(f.s.zone[z].pages.words == f.words + f.s.zone[z].word_off);
        CHECK(f.s.zone[z].pages.memory == NULL);
        CHECK(f.s.zone[z].pages.hooks.enter == NULL && f.s.zone[z].pages.hooks.leave == NULL);
    }
    CHECK_EQ(f.s.stats.rejected, 0u);
    CHECK_EQ(f.s.stats.oom_count, 0u);
    CHECK_EQ(f.s.stats.fallbacks, 0u);
    CHECK_EQ(f.s.stats.atomic_reserve, 0u);
    /* a few frames by hand */
    CHECK_EQ(f.frames[0].state, ZEN_FRAME_FREE);        /* pfn 1 */
    CHECK_EQ(f.frames[158].state, ZEN_FRAME_RESERVED);  /* pfn 159 */
    CHECK_EQ(f.frames[1278].state, ZEN_FRAME_RESERVED); /* pfn 1279 */
    CHECK_EQ(f.frames[4095 + (4352 - 4096)].state, ZEN_FRAME_RESERVED);
    CHECK(f.frames[4095 + (4609 - 4096)].state != ZEN_FRAME_RESERVED); /* pfn 4609 */
    CHECK_EQ(f.frames[4609 + 4].state, ZEN_FRAME_RESERVED);  /* pfn 1048580 */
    CHECK_EQ(f.frames[4609 + 33].state, ZEN_FRAME_FREE);     /* pfn 1048609 */
    uint64_t managed[NZ];
    const zen_pfn scan[] = {0, 8192, NORMAL_PFN - 4096u, NORMAL_PFN + 4096u};
    compare_frames_(&f, map_b, NMAP(map_b), scan, 2, managed, __FILE__, __LINE__);
    CHECK_EQ(managed[0], 3994u);
    CHECK_EQ(managed[1], 513u);
    CHECK_EQ(managed[2], 16u);
    ZFX_CHECK(&f);
    zfx_close(&f);

    ctx("init: map C");
    zfx_open(&f, map_c, NMAP(map_c), NULL);
    EXPECT_PLAN(&f.plan, 1, 511, 1044480, 4096, 1048576, 1024);
    CHECK_EQ(f.plan.frames_needed, 5631u);
    EXPECT_ZONE(&f, 0, 1, 511, 511, 511, 3, 3, 4);
    EXPECT_ZONE(&f, 1, 1044480, 4096, 4096, 4096, 32, 40, 48);
    EXPECT_ZONE(&f, 2, 1048576, 1024, 1024, 1024, 8, 10, 12);
    zen_zone_info i = zinfo(&f, 0);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        CHECK_EQ(i.free_blocks[k], k <= 8u ? 1u : 0u);
    i = zinfo(&f, 1);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        CHECK_EQ(i.free_blocks[k], k == 10u ? 4u : 0u);
    i = zinfo(&f, 2);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        CHECK_EQ(i.free_blocks[k], k == 10u ? 1u : 0u);
    const zen_pfn scan_c[] = {0, 8192, NORMAL_PFN - 8192u, NORMAL_PFN + 8192u};
    compare_frames_(&f, map_c, NMAP(map_c), scan_c, 2, managed, __FILE__, __LINE__);
    CHECK_EQ(managed[0], 511u);
    CHECK_EQ(managed[1], 4096u);
    CHECK_EQ(managed[2], 1024u);
    ZFX_CHECK(&f);
    zfx_close(&f);

    ctx("init: only the top frame");
    const zen_mem_range top[] = {{0xFFFFFFFFFFFFF000u, 0x1000u, USABLE}};
    zfx_open(&f, top, 1, NULL);
    CHECK_EQ(f.s.zone[0].present, 0u);
    CHECK_EQ(f.s.zone[1].present, 0u);
    EXPECT_ZONE(&f, 2, TOP_PFN, 1, 1, 1, 0, 0, 0);
    ZFX_CHECK(&f);
    zen_pfn p = 0;
    CHECK_ST(zen_zone_alloc(&f.s, ZEN_ZONE_DMA32, 0, 0, &p), ZEN_ERR_NOMEM); /* both absent */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, 0), TOP_PFN);
    CHECK_ST(zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ATOMIC, &p), ZEN_ERR_NOMEM);
    CHECK_ST(zen_zone_free(&f.s, TOP_PFN, 0), ZEN_OK);
    CHECK_ST(zen_zone_free(&f.s, TOP_PFN + 1u, 0), ZEN_ERR_RANGE); /* pfn 2^52 */
    CHECK_EQ(zfree(&f, 2), 1u);
    ZFX_CHECK(&f);
    zfx_close(&f);
}

/* zen_zone_init must answer `want` and write neither *s nor the arrays. */
static void init_refused_(const zen_mem_range *m, uint64_t count, uint64_t cap, uint64_t nframes,
                          uint64_t nwords, zen_status want, const char *file, int line)
{
    zen_zone_set s, sentinel;
    memset(&s, 0x5C, sizeof s);
    memset(&sentinel, 0x5C, sizeof sentinel);
    zen_page_frame *frames = xmalloc((size_t)(nframes + 1u) * sizeof *frames);
    uint64_t *words = xmalloc((size_t)(nwords + 1u) * sizeof *words);
    memset(frames, 0x77, (size_t)(nframes + 1u) * sizeof *frames);
    memset(words, 0x77, (size_t)(nwords + 1u) * sizeof *words);
    check_st_(zen_zone_init(&s, m, count, cap, frames, nframes, words, nwords, NULL), want,
              "zen_zone_init", file, line);
    check_(memcmp(&s, &sentinel, sizeof s) == 0, "*s not written", file, line);
    check_(bytes_are((const unsigned char *)frames, (size_t)(nframes + 1u) * sizeof *frames, 0x77),
           "descriptors not written", file, line);
    check_(bytes_are((const unsigned char *)words, (size_t)(nwords + 1u) * sizeof *words, 0x77),
           "bitmap words not written", file, line);
    free(frames);
    free(words);
}
#define INIT_REFUSED(m, count, cap, nf, nw, want) \
    init_refused_((m), (count), (cap), (nf), (nw), (want), __FILE__, __LINE__)

static void test_init_errors(void)
{
    ctx("init errors: arrays too short");
    zen_zone_layout p;
    CHECK_ST(plan_of(map_c, NMAP(map_c), NMAP(map_c), &p), ZEN_OK);
    CHECK_EQ(p.frames_needed, 5631u);
    uint64_t nf = p.frames_needed, nw = p.words_needed;
    INIT_REFUSED(map_c, 3, 3, nf - 1u, nw, ZEN_ERR_NOMEM);
    INIT_REFUSED(map_c, 3, 3, nf, nw - 1u, ZEN_ERR_NOMEM);
    INIT_REFUSED(map_c, 3, 3, 0, 0, ZEN_ERR_NOMEM);

    ctx("init errors: map errors");
    const zen_mem_range bad2[] = {{0x1000u, 0x0u, USABLE}, {UINT64_MAX, 2u, USABLE}};
    INIT_REFUSED(bad2, 3, 2, nf, nw, ZEN_ERR_CAPACITY);
    INIT_REFUSED(bad2, 2, 2, nf, nw, ZEN_ERR_INVAL);
    INIT_REFUSED(bad2 + 1, 1, 1, nf, nw, ZEN_ERR_OVERFLOW);
    const zen_mem_range sub[] = {{0x1800u, 0x800u, USABLE}};
    INIT_REFUSED(sub, 1, 1, nf, nw, ZEN_ERR_NO_USABLE);
    const zen_mem_range range[] = {
        {0x100000000u, 0x1000u, USABLE}, {0xFFFFFFFFFFFFF000u, 0x1000u, USABLE}};
    INIT_REFUSED(range, 2, 2, nf, nw, ZEN_ERR_RANGE);

    ctx("init: longer arrays than needed");
    zen_zone_set s;
    zen_page_frame *frames = xmalloc((size_t)(nf + 7u) * sizeof *frames);
    uint64_t *words = xmalloc((size_t)(nw + 3u) * sizeof *words);
    CHECK_ST(zen_zone_init(&s, map_c, 3, 3, frames, nf + 7u, words, nw + 3u, NULL), ZEN_OK);
    CHECK_EQ(s.nframes, nf + 7u);
    CHECK_EQ(s.nwords, nw + 3u);
    zen_zone_check_report r;
    CHECK_ST(zen_zone_check(&s, &r), ZEN_OK);
    free(frames);
    free(words);
}

/* ========================================================================== */
/* 3. zen_zone_alloc                                                          */
/* ========================================================================== */

static void expect_level_(const zfx *f, unsigned z, unsigned want, const char *file, int line)
{
    unsigned level = 99;
    check_st_(zen_zone_watermark(&f->s, z, &level), ZEN_OK, "zen_zone_watermark", file, line);
    check_eq_(level, want, "level", "want", file, line);
}
#define EXPECT_LEVEL(f, z, want) expect_level_((f), (z), (want), __FILE__, __LINE__)

static void expect_counters_(const zfx *f, uint64_t rejected, uint64_t oom, uint64_t fallbacks,
                             uint64_t atomic, const char *file, int line)
{
    check_eq_(f->s.stats.rejected, rejected, "stats.rejected", "want", file, line);
    check_eq_(f->s.stats.oom_count, oom, "stats.oom_count", "want", file, line);
    check_eq_(f->s.stats.fallbacks, fallbacks, "stats.fallbacks", "want", file, line);
    check_eq_(f->s.stats.atomic_reserve, atomic, "stats.atomic_reserve", "want", file, line);
}
#define EXPECT_COUNTERS(f, r, o, fb, a) expect_counters_((f), (r), (o), (fb), (a), __FILE__, __LINE__)

static void test_alloc_fallback(void)
{
    ctx("alloc: fallback NORMAL -> DMA32 -> DMA on map C");
    zfx f;
    zfx_open(&f, map_c, NMAP(map_c), NULL);
    /* NORMAL: 1024 free, min 8; one block 1048576:10.
     * order 10 asks 8 + 1024 > 1024: NORMAL is skipped, DMA32 serves its
     * lowest order-10 block 0xFF000 = 1044480 (a fallback) */
    zen_pfn p = ZALLOC(&f, ZEN_ZONE_NORMAL, 10, 0);
    CHECK_EQ(p, 1044480u);
    EXPECT_COUNTERS(&f, 0, 0, 1, 0);
    CHECK_ST(zen_zone_free(&f.s, p, 10), ZEN_OK);
    CHECK_EQ(zfree(&f, 1), 4096u);

    /* Carving NORMAL down: each request leaves free >= min = 8.
     *   order 9: 1024 >= 8 + 512 -> 1048576, free 512 (1049088:9 left)
     *   order 8: 512 >= 8 + 256  -> 1049088, free 256 (1049344:8 left)
     *   order 7: 256 >= 136      -> 1049344, free 128
     *   order 6: 128 >= 72       -> 1049472, free 64
     *   order 5: 64 >= 40        -> 1049536, free 32
     *   order 4: 32 >= 24        -> 1049568, free 16
     *   order 3: 16 >= 8 + 8     -> 1049584, free 8 (exactly min: still served) */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 9, 0), 1048576u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 8, 0), 1049088u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 7, 0), 1049344u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 6, 0), 1049472u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 5, 0), 1049536u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 4, 0), 1049568u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 3, 0), 1049584u);
    CHECK_EQ(zfree(&f, 2), 8u);
    EXPECT_COUNTERS(&f, 0, 0, 1, 0);
    EXPECT_LEVEL(&f, 2, ZEN_LEVEL_BELOW_LOW); /* 8 >= min 8, 8 < low 10 */

    /* order 0: 8 < 8 + 1 -> NORMAL skipped; DMA32 (4096 free, min 32) serves
     * its lowest frame 1044480 (split of 0xFF000:10) */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, 0), 1044480u);
    EXPECT_COUNTERS(&f, 0, 0, 2, 0);
    /* naming DMA32 itself is no fallback: next frame 1044481 */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA32, 0, 0), 1044481u);
    EXPECT_COUNTERS(&f, 0, 0, 2, 0);
    CHECK_EQ(zfree(&f, 1), 4094u);

    /* atomic ignores min: NORMAL's 1049592:3 is split, 1049592 handed out,
     * free 7 < min 8 -> atomic_reserve */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ATOMIC), 1049592u);
    EXPECT_COUNTERS(&f, 0, 0, 2, 1);
    EXPECT_LEVEL(&f, 2, ZEN_LEVEL_BELOW_MIN);
    /* exhaust NORMAL atomically: left 1049593:0 1049594:1 1049596:2 */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 2, ZEN_ZONE_ATOMIC), 1049596u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 1, ZEN_ZONE_ATOMIC), 1049594u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ATOMIC), 1049593u);
    EXPECT_COUNTERS(&f, 0, 0, 2, 4);
    CHECK_EQ(zfree(&f, 2), 0u);
    /* NORMAL empty: an atomic request falls back to DMA32, whose lowest free
     * block is now 1044482:1 -> split, 1044482; DMA32 free 4093 >= min */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ATOMIC), 1044482u);
    EXPECT_COUNTERS(&f, 0, 0, 3, 4);

    /* DMA32 min raised to its free count 4093: a plain request skips
     * NORMAL (empty) and DMA32 (4093 < 4093 + 1) and lands in DMA at pfn 1
     * (DMA: 511 free >= 3 + 1; order-0 block 1:0) */
    CHECK_ST(zen_zone_set_watermarks(&f.s, ZEN_ZONE_DMA32, 4093, 4093, 4093), ZEN_OK);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, 0), 1u);
    EXPECT_COUNTERS(&f, 0, 0, 4, 4);
    /* never a zone above the one named: DMA min raised to its free count
     * 510; a DMA request is refused although DMA32 has 4093 free */
    CHECK_ST(zen_zone_set_watermarks(&f.s, ZEN_ZONE_DMA32, 0, 0, 0), ZEN_OK);
    CHECK_ST(zen_zone_set_watermarks(&f.s, ZEN_ZONE_DMA, 510, 510, 510), ZEN_OK);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA, 0, 0, &p), ZEN_ERR_NOMEM, 0, 1);
    EXPECT_COUNTERS(&f, 0, 1, 4, 4);
    /* a DMA32 request is served by DMA32 (lowest order-0: 1044483, left by
     * the split of 1044482:1), not NORMAL */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA32, 0, 0), 1044483u);
    EXPECT_COUNTERS(&f, 0, 1, 4, 4);
    /* an atomic DMA request takes DMA's reserve: order-0 none free, 2:1 split -> 2;
     * free 509 < min 510 */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 0, ZEN_ZONE_ATOMIC), 2u);
    EXPECT_COUNTERS(&f, 0, 1, 4, 5);
    /* an atomic order-10 NORMAL request: NORMAL has nothing, DMA32's lowest
     * order-10 block is 0xFF400 = 1045504; min 0 there, no reserve used */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 10, ZEN_ZONE_ATOMIC), 1045504u);
    EXPECT_COUNTERS(&f, 0, 1, 5, 5);
    /* every zone out of order-10 blocks in reach of DMA: NOMEM */
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA, 9, ZEN_ZONE_ATOMIC, &p), ZEN_ERR_NOMEM, 0, 1);
    EXPECT_COUNTERS(&f, 0, 2, 5, 5);

    /* free everything: counts back to managed */
    const struct { zen_pfn pfn; unsigned order; } live[] = {
        {1048576, 9}, {1049088, 8}, {1049344, 7}, {1049472, 6}, {1049536, 5}, {1049568, 4},
        {1049584, 3}, {1044480, 0}, {1044481, 0}, {1049592, 0}, {1049596, 2}, {1049594, 1},
        {1049593, 0}, {1044482, 0}, {1, 0}, {1044483, 0}, {2, 0}, {1045504, 10}};
    for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
        CHECK_ST(zen_zone_free(&f.s, live[i].pfn, live[i].order), ZEN_OK);
    CHECK_EQ(zfree(&f, 0), 511u);
    CHECK_EQ(zfree(&f, 1), 4096u);
    CHECK_EQ(zfree(&f, 2), 1024u);
    ZFX_CHECK(&f);
    zfx_close(&f);
}

static void test_alloc_min_atomic(void)
{
    ctx("alloc: min watermark and atomic on DMA of map C");
    zfx f;
    zfx_open(&f, map_c, NMAP(map_c), NULL);
    zen_pfn p = 0;
    /* DMA: 511 free, min 3, low 3, high 4; blocks 1:0 2:1 4:2 ... 256:8.
     * Requests naming DMA, each needs free >= 3 + 2^order:
     *   order 8: 511 >= 259 -> 256, free 255
     *   order 7: 255 >= 131 -> 128, free 127
     *   order 6: 127 >= 67  -> 64,  free 63
     *   order 5: 63 >= 35   -> 32,  free 31
     *   order 4: 31 >= 19   -> 16,  free 15
     *   order 3: 15 >= 11   -> 8,   free 7
     *   order 2: 7 >= 7     -> 4,   free 3 (boundary: exactly min left) */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 8, 0), 256u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 7, 0), 128u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 6, 0), 64u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 5, 0), 32u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 4, 0), 16u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 3, 0), 8u);
    EXPECT_LEVEL(&f, 0, ZEN_LEVEL_HIGH); /* 7 >= high 4 */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 2, 0), 4u);
    CHECK_EQ(zfree(&f, 0), 3u);
    EXPECT_LEVEL(&f, 0, ZEN_LEVEL_BELOW_HIGH); /* 3 >= min 3, >= low 3, < high 4 */
    EXPECT_COUNTERS(&f, 0, 0, 0, 0);
    /* free 3: order 1 needs 3 + 2, order 0 needs 3 + 1: both refused */
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA, 1, 0, &p), ZEN_ERR_NOMEM, 0, 1);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA, 0, 0, &p), ZEN_ERR_NOMEM, 0, 1);
    EXPECT_COUNTERS(&f, 0, 2, 0, 0);
    /* atomic: 2:1 -> 2, free 1 < 3; then 1:0 -> 1, free 0 */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 1, ZEN_ZONE_ATOMIC), 2u);
    EXPECT_COUNTERS(&f, 0, 2, 0, 1);
    EXPECT_LEVEL(&f, 0, ZEN_LEVEL_BELOW_MIN);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 0, ZEN_ZONE_ATOMIC), 1u);
    EXPECT_COUNTERS(&f, 0, 2, 0, 2);
    /* nothing left, atomic or not */
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA, 0, ZEN_ZONE_ATOMIC, &p), ZEN_ERR_NOMEM, 0, 1);
    EXPECT_COUNTERS(&f, 0, 3, 0, 2);
    CHECK_EQ(zfree(&f, 0), 0u);
    /* an atomic request with free >= min afterwards is not counted:
     * free the order-8 block (free 256), atomic order 0 -> lowest order-0
     * none, 256:8 split down -> 256, free 255 >= 3 */
    CHECK_ST(zen_zone_free(&f.s, 256, 8), ZEN_OK);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 0, ZEN_ZONE_ATOMIC), 256u);
    EXPECT_COUNTERS(&f, 0, 3, 0, 2);
    zfx_close(&f);
}

static void test_alloc_invalid(void)
{
    ctx("alloc: invalid requests");
    zfx f;
    zfx_open(&f, map_c, NMAP(map_c), NULL);
    zen_pfn p = 0xDEADBEEFu;
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, 3, 0, 0, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, UINT32_MAX, 0, 0, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 11, 0, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA, UINT32_MAX, 0, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 0, 4, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 0, 7, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA, 0, ZEN_ZONE_ZERO, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ZERO | ZEN_ZONE_ATOMIC, &p),
                  ZEN_ERR_INVAL, 1, 0);
    /* a bad request is INVAL even when no zone could serve it */
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, 3, 11, 8, &p), ZEN_ERR_INVAL, 1, 0);
    CHECK_EQ(p, 0xDEADBEEFu); /* written only on success */
    EXPECT_COUNTERS(&f, 9, 0, 0, 0);
    /* NOMEM: order 10 anywhere with everything taken at that order
     * (DMA has none; DMA32's four and NORMAL's one are taken atomically) */
    for (unsigned i = 0; i < 5; i++)
        ZALLOC(&f, ZEN_ZONE_NORMAL, 10, ZEN_ZONE_ATOMIC);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 10, ZEN_ZONE_ATOMIC, &p), ZEN_ERR_NOMEM, 0, 1);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 10, 0, &p), ZEN_ERR_NOMEM, 0, 1);
    CHECK_EQ(p, 0xDEADBEEFu);
    /* first atomic order-10 request: NORMAL's block, no fallback, NORMAL left
     * 0 < min 8 (reserve 1); the next four from DMA32 (fallbacks 4), leaving
     * 3072, 2048, 1024, 0: only the last is below min 32 (reserve 2) */
    EXPECT_COUNTERS(&f, 9, 2, 4, 2);
    zfx_close(&f);
}

/* Map D: small zones for zero-fill.
 *   U 0x0 +0x40000          frames 1..63           DMA start 1, nframes 63, min 0
 *   U 0x1000000 +0x80000    [4096, 4224)           DMA32 nframes 128, min 1, low 1, high 1
 *   U 0x100000000 +0x40000  [1048576, 1048640)     NORMAL nframes 64, min 0 */
static const zen_mem_range map_d[] = {
    {0x0u, 0x40000u, USABLE},
    {0x1000000u, 0x80000u, USABLE},
    {0x100000000u, 0x40000u, USABLE},
};

static void test_zero(void)
{
    ctx("alloc: ZEN_ZONE_ZERO and direct maps");
    zfx f;
    zfx_open(&f, map_d, NMAP(map_d), NULL);
    EXPECT_ZONE(&f, 0, 1, 63, 63, 63, 0, 0, 0);
    EXPECT_ZONE(&f, 1, 4096, 128, 128, 128, 1, 1, 1);
    EXPECT_ZONE(&f, 2, 1048576, 64, 64, 64, 0, 0, 0);
    zen_pfn p = 0xDEADBEEFu;
    const size_t page = PG;
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ZERO, &p), ZEN_ERR_INVAL, 1, 0);
    zfx_attach(&f, ZEN_ZONE_NORMAL);
    /* DMA and DMA32 could still be tried and have no map */
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ZERO, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA32, 0, ZEN_ZONE_ZERO, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA, 0, ZEN_ZONE_ZERO, &p), ZEN_ERR_INVAL, 1, 0);
    CHECK_EQ(p, 0xDEADBEEFu);
    zfx_attach(&f, ZEN_ZONE_DMA);
    /* only DMA can be tried: DMA's 1:0 -> 1, bytes [0, 4096) of its map */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 0, ZEN_ZONE_ZERO), 1u);
    CHECK(bytes_are(f.mem[0], page, 0));
    CHECK(bytes_are(f.mem[0] + page, 62u * page, 0xAA));
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_DMA32, 0, ZEN_ZONE_ZERO, &p), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 3, ZEN_ZONE_ZERO, &p), ZEN_ERR_INVAL, 1, 0);
    CHECK(bytes_are(f.mem[2], 64u * page, 0xAA)); /* refused: nothing written */
    zfx_attach(&f, ZEN_ZONE_DMA32);
    /* NORMAL: one block 1048576:6; order 2 -> 1048576, map bytes [0, 4 pages) */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 2, ZEN_ZONE_ZERO), 1048576u);
    CHECK(bytes_are(f.mem[2], 4u * page, 0));
    CHECK(bytes_are(f.mem[2] + 4u * page, 60u * page, 0xAA));
    /* left 1048580:2 1048584:3 1048592:4 1048608:5; order 3 -> 1048584,
     * pages [8, 16) zero, the free 1048580:2 (pages 4..7) untouched */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 3, ZEN_ZONE_ZERO), 1048584u);
    CHECK(bytes_are(f.mem[2] + 8u * page, 8u * page, 0));
    CHECK(bytes_are(f.mem[2] + 4u * page, 4u * page, 0xAA));
    CHECK(bytes_are(f.mem[2] + 16u * page, 48u * page, 0xAA));
    /* DMA32 (free 128 >= 1 + 2): block 4096:7 split -> 4096:1, pages [0, 2) */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA32, 1, ZEN_ZONE_ZERO), 4096u);
    CHECK(bytes_are(f.mem[1], 2u * page, 0));
    CHECK(bytes_are(f.mem[1] + 2u * page, 126u * page, 0xAA));
    /* without the flag nothing is written: DMA 2:1 -> 2, pages [1, 3) stay */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 1, 0), 2u);
    CHECK(bytes_are(f.mem[0] + page, 62u * page, 0xAA));
    /* ZERO with atomic also fine */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 2, ZEN_ZONE_ZERO | ZEN_ZONE_ATOMIC), 4u);
    CHECK(bytes_are(f.mem[0] + 3u * page, 4u * page, 0));
    CHECK(bytes_are(f.mem[0] + 7u * page, 56u * page, 0xAA));
    EXPECT_COUNTERS(&f, 6, 0, 0, 0);

    ctx("attach_memory errors");
    uint64_t buf[1];
    EXPECT_REJECT(&f, zen_zone_attach_memory(&f.s, 3, buf), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_attach_memory(&f.s, UINT32_MAX, buf), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_attach_memory(&f.s, ZEN_ZONE_DMA, NULL), ZEN_ERR_INVAL, 1, 0);
    CHECK(f.s.zone[0].pages.memory == (uint64_t *)(void *)f.mem[0]);
    EXPECT_COUNTERS(&f, 9, 0, 0, 0);
    zfx_close(&f);
}

/* Map E: DMA32 absent.
 *   U 0x1000 +0x7000         frames 1..7             DMA start 1, nframes 7, min 0
 *   R 0x1000000 +0x100000    frames 4096..4351 (no usable there anyway)
 *   U 0x2000000 +0x800       sub-page in DMA32: nothing
 *   U 0x100000000 +0x8000    [1048576, 1048584)      NORMAL nframes 8, min 0 */
static const zen_mem_range map_e[] = {
    {0x1000u, 0x7000u, USABLE},
    {0x1000000u, 0x100000u, RESV},
    {0x2000000u, 0x800u, USABLE},
    {0x100000000u, 0x8000u, USABLE},
};

static void test_absent_zone(void)
{
    ctx("absent zone");
    zfx f;
    zfx_open(&f, map_e, NMAP(map_e), NULL);
    EXPECT_PLAN(&f.plan, 1, 7, 0, 0, 1048576, 8);
    CHECK_EQ(f.s.zone[1].present, 0u);
    EXPECT_ZONE(&f, 0, 1, 7, 7, 7, 0, 0, 0);
    EXPECT_ZONE(&f, 2, 1048576, 8, 8, 8, 0, 0, 0);
    /* stats of the absent zone: present 0 and zeros */
    zen_zone_info i;
    memset(&i, 0xA5, sizeof i);
    CHECK_ST(zen_zone_stats(&f.s, ZEN_ZONE_DMA32, &i), ZEN_OK);
    CHECK_EQ(i.present, 0u);
    CHECK_EQ(i.start, 0u);
    CHECK_EQ(i.nframes, 0u);
    CHECK_EQ(i.managed, 0u);
    CHECK_EQ(i.free_frames, 0u);
    CHECK_EQ(i.min, 0u);
    CHECK_EQ(i.low, 0u);
    CHECK_EQ(i.high, 0u);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        CHECK_EQ(i.free_blocks[k], 0u);
    unsigned level = 99;
    CHECK_ST(zen_zone_watermark(&f.s, ZEN_ZONE_DMA32, &level), ZEN_ERR_INVAL);
    CHECK_EQ(level, 99u);
    uint64_t buf[1];
    EXPECT_REJECT(&f, zen_zone_attach_memory(&f.s, ZEN_ZONE_DMA32, buf), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_set_watermarks(&f.s, ZEN_ZONE_DMA32, 0, 0, 0), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 4096, 0), ZEN_ERR_RANGE, 1, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 8192, 0), ZEN_ERR_RANGE, 1, 0); /* the sub-page entry */
    /* naming DMA32 falls to DMA: 1:0 -> 1 (a fallback) */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA32, 0, 0), 1u);
    EXPECT_COUNTERS(&f, 4, 0, 1, 0);
    /* NORMAL 1048576:3 whole */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 3, 0), 1048576u);
    /* NORMAL empty, DMA32 absent, DMA 2:1 split -> 2 */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, 0), 2u);
    EXPECT_COUNTERS(&f, 4, 0, 2, 0);
    /* ZERO needs maps of present zones only */
    zfx_attach(&f, ZEN_ZONE_DMA);
    zfx_attach(&f, ZEN_ZONE_NORMAL);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, ZEN_ZONE_ZERO), 3u);
    CHECK(bytes_are(f.mem[0] + 2u * PG, PG, 0));        /* pfn 3 is page 2 of the map from 1 */
    CHECK(bytes_are(f.mem[0] + 3u * PG, 4u * PG, 0xAA)); /* 4..7 free */
    EXPECT_COUNTERS(&f, 4, 0, 3, 0);
    ZFX_CHECK(&f);
    zfx_close(&f);
}

/* ========================================================================== */
/* 4. zen_zone_free                                                           */
/* ========================================================================== */

static void test_free(void)
{
    ctx("free on map B");
    zfx f;
    zfx_open(&f, map_b, NMAP(map_b), NULL);
    zen_zone_info before[NZ];
    for (unsigned z = 0; z < NZ; z++)
        before[z] = zinfo(&f, z);
    /* NORMAL free blocks: 1048576:2 1048581:0 1048582:1 1048584:3 1048609:0
     * (1048580 is the BAD frame). Smallest order first, lowest address. */
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, 0), 1048581u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 1, 0), 1048582u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 2, 0), 1048576u);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 3, 0), 1048584u);
    CHECK_EQ(zfree(&f, 2), 1u); /* only 1048609 */

    /* order too big: INVAL before anything else */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048581, 11), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, UINT64_MAX, 11), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048581, UINT32_MAX), ZEN_ERR_INVAL, 1, 0);
    /* no zone holds the pfn */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 0, 0), ZEN_ERR_RANGE, 1, 0);       /* below DMA start 1 */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 4610, 0), ZEN_ERR_RANGE, 1, 0);    /* just past DMA32 */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 500000, 0), ZEN_ERR_RANGE, 1, 0);  /* between zones */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048575, 0), ZEN_ERR_RANGE, 1, 0); /* just below NORMAL */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048610, 0), ZEN_ERR_RANGE, 1, 0); /* just past NORMAL */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, (zen_pfn)1 << 52, 0), ZEN_ERR_RANGE, 1, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, UINT64_MAX, 0), ZEN_ERR_RANGE, 1, 0);
    EXPECT_COUNTERS(&f, 10, 0, 0, 0);
    /* holes inside a zone (the page allocator's errors: whether the set's
     * own rejected counts them is not specified) */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 159, 0), ZEN_ERR_RESERVED, ANY, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 200, 0), ZEN_ERR_RESERVED, ANY, 0);  /* no entry at all */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 2048, 0), ZEN_ERR_RESERVED, ANY, 0); /* ACPI reclaim */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 4352, 0), ZEN_ERR_RESERVED, ANY, 0); /* type 17 */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048580, 0), ZEN_ERR_RESERVED, ANY, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048600, 2), ZEN_ERR_RESERVED, ANY, 0);
    /* wrong order, interior, never allocated */
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048582, 0), ZEN_ERR_ORDER, ANY, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048584, 2), ZEN_ERR_ORDER, ANY, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048583, 1), ZEN_ERR_NOT_HEAD, ANY, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048591, 0), ZEN_ERR_NOT_HEAD, ANY, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048609, 0), ZEN_ERR_NOT_ALLOCATED, ANY, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1, 0), ZEN_ERR_NOT_ALLOCATED, ANY, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 4097, 0), ZEN_ERR_NOT_ALLOCATED, ANY, 0); /* free tail */
    CHECK_EQ(f.s.stats.oom_count, 0u);
    /* double free: 1048582:1 freed does not merge (its buddy 1048580:1
     * holds the BAD frame), so it is a free head */
    CHECK_ST(zen_zone_free(&f.s, 1048582, 1), ZEN_OK);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048582, 1), ZEN_ERR_NOT_ALLOCATED, ANY, 0);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048583, 0), ZEN_ERR_NOT_ALLOCATED, ANY, 0);
    CHECK_ST(zen_zone_free(&f.s, 1048581, 0), ZEN_OK);
    CHECK_ST(zen_zone_free(&f.s, 1048584, 3), ZEN_OK);
    CHECK_ST(zen_zone_free(&f.s, 1048576, 2), ZEN_OK);
    EXPECT_REJECT(&f, zen_zone_free(&f.s, 1048576, 2), ZEN_ERR_NOT_ALLOCATED, ANY, 0);

    /* round trips in DMA and DMA32 */
    zen_pfn a = ZALLOC(&f, ZEN_ZONE_DMA, 10, 0);
    zen_pfn b = ZALLOC(&f, ZEN_ZONE_DMA32, 5, 0);
    zen_pfn c = ZALLOC(&f, ZEN_ZONE_DMA, 0, ZEN_ZONE_ATOMIC);
    /* DMA's aligned 1024-frame blocks: [0, 1024) holds frame 0 and 159..255,
     * [1024, 2048) holds 1279, 1280 and 2047, [2048, 3072) holds 2048; only
     * [3072, 4096) is whole: 3072:10 */
    CHECK_EQ(a, 3072u);
    /* DMA32 [4096, 4610) less 4352: free blocks 4096:8 | 4353:0 4354:1 4356:2
     * 4360:3 4368:4 4384:5 4416:6 4480:7 4608:1; an order-5 block exists,
     * so the smallest sufficient order is 5 itself: 4384 */
    CHECK_EQ(b, 4384u);
    /* DMA order-0 blocks: 1 and 158 (frames 1..158 = 1:0 2:1 4:2 8:3 16:4
     * 32:5 64:6 128:4 144:3 152:2 156:1 158:0) and 1278; lowest 1 */
    CHECK_EQ(c, 1u);
    CHECK_ST(zen_zone_free(&f.s, c, 0), ZEN_OK);
    CHECK_ST(zen_zone_free(&f.s, b, 5), ZEN_OK);
    CHECK_ST(zen_zone_free(&f.s, a, 10), ZEN_OK);
    for (unsigned z = 0; z < NZ; z++) {
        zen_zone_info now = zinfo(&f, z);
        CHECK_EQ(now.free_frames, before[z].free_frames);
        CHECK_EQ(now.managed, before[z].managed);
        for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
            CHECK_EQ(now.free_blocks[k], before[z].free_blocks[k]);
    }
    ZFX_CHECK(&f);
    zfx_close(&f);
}

/* ========================================================================== */
/* 5. watermarks and statistics                                               */
/* ========================================================================== */

static void test_watermarks(void)
{
    ctx("watermarks");
    zfx f;
    zfx_open(&f, map_c, NMAP(map_c), NULL);
    EXPECT_LEVEL(&f, 0, ZEN_LEVEL_HIGH);
    EXPECT_LEVEL(&f, 1, ZEN_LEVEL_HIGH);
    EXPECT_LEVEL(&f, 2, ZEN_LEVEL_HIGH);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 0, 0), 1048576u); /* NORMAL: managed 1024, free 1023 */
    /* each level at its boundary, f = 1023 */
    CHECK_ST(zen_zone_set_watermarks(&f.s, 2, 1024, 1024, 1024), ZEN_OK); /* high == managed */
    EXPECT_ZONE(&f, 2, 1048576, 1024, 1024, 1023, 1024, 1024, 1024);
    EXPECT_LEVEL(&f, 2, ZEN_LEVEL_BELOW_MIN);  /* 1023 < min 1024 */
    CHECK_ST(zen_zone_set_watermarks(&f.s, 2, 1023, 1024, 1024), ZEN_OK);
    EXPECT_LEVEL(&f, 2, ZEN_LEVEL_BELOW_LOW);  /* f == min, f < low */
    CHECK_ST(zen_zone_set_watermarks(&f.s, 2, 1023, 1023, 1024), ZEN_OK);
    EXPECT_LEVEL(&f, 2, ZEN_LEVEL_BELOW_HIGH); /* f == low, f < high */
    CHECK_ST(zen_zone_set_watermarks(&f.s, 2, 1023, 1023, 1023), ZEN_OK);
    EXPECT_LEVEL(&f, 2, ZEN_LEVEL_HIGH);       /* f == high */
    CHECK_ST(zen_zone_set_watermarks(&f.s, 2, 0, 0, 0), ZEN_OK);
    EXPECT_LEVEL(&f, 2, ZEN_LEVEL_HIGH);
    CHECK_ST(zen_zone_set_watermarks(&f.s, 2, 100, 200, 300), ZEN_OK);
    EXPECT_ZONE(&f, 2, 1048576, 1024, 1024, 1023, 100, 200, 300);
    EXPECT_COUNTERS(&f, 0, 0, 0, 0);
    /* refused: nothing changes */
    EXPECT_REJECT(&f, zen_zone_set_watermarks(&f.s, 2, 201, 200, 300), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_set_watermarks(&f.s, 2, 100, 301, 300), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_set_watermarks(&f.s, 2, 0, 0, 1025), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_set_watermarks(&f.s, 2, 1025, 1025, 1025), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_set_watermarks(&f.s, 2, UINT64_MAX, UINT64_MAX, UINT64_MAX),
                  ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_set_watermarks(&f.s, 0, 0, 0, 512), ZEN_ERR_INVAL, 1, 0); /* DMA managed 511 */
    EXPECT_REJECT(&f, zen_zone_set_watermarks(&f.s, 3, 0, 0, 0), ZEN_ERR_INVAL, 1, 0);
    EXPECT_REJECT(&f, zen_zone_set_watermarks(&f.s, UINT32_MAX, 0, 0, 0), ZEN_ERR_INVAL, 1, 0);
    EXPECT_ZONE(&f, 2, 1048576, 1024, 1024, 1023, 100, 200, 300);
    CHECK_ST(zen_zone_set_watermarks(&f.s, 0, 511, 511, 511), ZEN_OK);
    EXPECT_LEVEL(&f, 0, ZEN_LEVEL_HIGH); /* DMA free 511 == high */
    EXPECT_COUNTERS(&f, 8, 0, 0, 0);
    /* queries on bad zones */
    unsigned level = 99;
    CHECK_ST(zen_zone_watermark(&f.s, 3, &level), ZEN_ERR_INVAL);
    CHECK_ST(zen_zone_watermark(&f.s, UINT32_MAX, &level), ZEN_ERR_INVAL);
    CHECK_EQ(level, 99u);
    zen_zone_info i, sentinel;
    memset(&i, 0xA5, sizeof i);
    memset(&sentinel, 0xA5, sizeof sentinel);
    CHECK_ST(zen_zone_stats(&f.s, 3, &i), ZEN_ERR_INVAL);
    CHECK(memcmp(&i, &sentinel, sizeof i) == 0);
    /* queries change nothing, not even counters */
    zsnap n;
    snap_take(&n, &f);
    CHECK_ST(zen_zone_watermark(&f.s, 2, &level), ZEN_OK);
    CHECK_ST(zen_zone_stats(&f.s, 2, &i), ZEN_OK);
    zen_zone_check_report r;
    CHECK_ST(zen_zone_check(&f.s, &r), ZEN_OK);
    CHECK(snap_same(&n, &f, 0, 0));
    snap_drop(&n);
    zfx_close(&f);
}

/* ========================================================================== */
/* 6. hooks                                                                   */
/* ========================================================================== */

/* What the hooks saw: how often each ran, whether they nest, and the free
 * frames of the whole set at each, to show they run around the change. */
typedef struct hook_log {
    const zen_zone_set *s;
    int inside;
    unsigned enters, leaves, nested;
    uint64_t free_at_enter, free_at_leave;
} hook_log;

static uint64_t set_free(const zen_zone_set *s)
{
    uint64_t n = 0;
    for (unsigned z = 0; z < NZ; z++)
        if (s->zone[z].present)
            n += s->zone[z].pages.stats.free_frames;
    return n;
}

static void log_hook(hook_log *h, int entering)
{
    if (h->inside == entering)
        h->nested++;
    h->inside = entering;
    if (entering) {
        h->enters++;
        h->free_at_enter = set_free(h->s);
    } else {
        h->leaves++;
        h->free_at_leave = set_free(h->s);
    }
}

static void log_enter(void *c) { log_hook(c, 1); }
static void log_leave(void *c) { log_hook(c, 0); }
static void other_hook(void *c) { (*(unsigned *)c)++; }

#define EXPECT_HOOKED(h_, call_, want_)                                                  \
    do {                                                                                 \
        unsigned e_ = (h_)->enters, l_ = (h_)->leaves;                                   \
        CHECK_ST((call_), (want_));                                                      \
        CHECK_EQ((h_)->enters, e_ + 1u);                                                 \
        CHECK_EQ((h_)->leaves, l_ + 1u);                                                 \
        CHECK_EQ((h_)->nested, 0u);                                                      \
        CHECK_EQ((h_)->inside, 0);                                                       \
    } while (0)

#define EXPECT_UNHOOKED(h_, call_, want_)                                                \
    do {                                                                                 \
        unsigned e_ = (h_)->enters, l_ = (h_)->leaves;                                   \
        CHECK_ST((call_), (want_));                                                      \
        CHECK_EQ((h_)->enters, e_);                                                      \
        CHECK_EQ((h_)->leaves, l_);                                                      \
    } while (0)

static void test_hooks(void)
{
    ctx("hooks");
    zfx f;
    hook_log h;
    memset(&h, 0, sizeof h);
    h.s = &f.s;
    unsigned other = 0;
    zen_hooks hooks = {log_enter, log_leave, &h};
    zfx_open(&f, map_b, NMAP(map_b), &hooks);
    CHECK_EQ(h.enters, 0u); /* init runs none */
    CHECK_EQ(h.leaves, 0u);
    /* the hooks were copied: changing the caller's struct changes nothing */
    hooks.enter = other_hook;
    hooks.leave = other_hook;
    hooks.ctx = &other;

    zen_zone_layout p;
    EXPECT_UNHOOKED(&h, zen_zone_plan(map_b, NMAP(map_b), NMAP(map_b), &p), ZEN_OK);
    uint64_t total = 3994u + 513u + 16u; /* managed of map B */
    zen_pfn pfn = 0;
    EXPECT_HOOKED(&h, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 0, 0, &pfn), ZEN_OK);
    CHECK_EQ(pfn, 1048581u);
    CHECK_EQ(h.free_at_enter, total);
    CHECK_EQ(h.free_at_leave, total - 1u);
    EXPECT_HOOKED(&h, zen_zone_alloc(&f.s, 3, 0, 0, &pfn), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_zone_alloc(&f.s, 0, 11, 0, &pfn), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_zone_alloc(&f.s, 0, 0, 4, &pfn), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_zone_alloc(&f.s, 0, 0, ZEN_ZONE_ZERO, &pfn), ZEN_ERR_INVAL);
    /* order 10 naming NORMAL: only DMA has an order-10 block (3072:10) */
    EXPECT_HOOKED(&h, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 10, 0, &pfn), ZEN_OK);
    CHECK_EQ(pfn, 3072u);
    EXPECT_HOOKED(&h, zen_zone_alloc(&f.s, ZEN_ZONE_NORMAL, 10, 0, &pfn), ZEN_ERR_NOMEM);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, 3072, 10), ZEN_OK);
    /* DMA32's only order-0 block is 4353, just past the type-17 frame */
    EXPECT_HOOKED(&h, zen_zone_alloc(&f.s, ZEN_ZONE_DMA32, 0, ZEN_ZONE_ATOMIC, &pfn), ZEN_OK);
    CHECK_EQ(pfn, 4353u);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, pfn, 0), ZEN_OK);
    CHECK_EQ(h.free_at_enter, total - 2u);
    CHECK_EQ(h.free_at_leave, total - 1u);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, 1048581, 11), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, 0, 0), ZEN_ERR_RANGE);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, 159, 0), ZEN_ERR_RESERVED);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, 1048609, 0), ZEN_ERR_NOT_ALLOCATED);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, 1048581, 1), ZEN_ERR_ORDER);
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_NORMAL, 3, 0), 1048584u);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, 1048585, 0), ZEN_ERR_NOT_HEAD);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, 1048584, 3), ZEN_OK);
    EXPECT_HOOKED(&h, zen_zone_free(&f.s, 1048581, 0), ZEN_OK);
    EXPECT_HOOKED(&h, zen_zone_set_watermarks(&f.s, 0, 1, 2, 3), ZEN_OK);
    EXPECT_HOOKED(&h, zen_zone_set_watermarks(&f.s, 0, 3, 2, 3), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_zone_set_watermarks(&f.s, 0, 1, 4, 3), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_zone_set_watermarks(&f.s, 2, 0, 0, 17), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_zone_set_watermarks(&f.s, 3, 0, 0, 0), ZEN_ERR_INVAL);
    uint64_t *buf = xmalloc((size_t)(34u * PG));
    EXPECT_HOOKED(&h, zen_zone_attach_memory(&f.s, 2, buf), ZEN_OK);
    EXPECT_HOOKED(&h, zen_zone_attach_memory(&f.s, 2, NULL), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_zone_attach_memory(&f.s, 3, buf), ZEN_ERR_INVAL);
    unsigned level;
    zen_zone_info info;
    zen_zone_check_report r;
    EXPECT_UNHOOKED(&h, zen_zone_watermark(&f.s, 0, &level), ZEN_OK);
    EXPECT_UNHOOKED(&h, zen_zone_watermark(&f.s, 3, &level), ZEN_ERR_INVAL);
    EXPECT_UNHOOKED(&h, zen_zone_stats(&f.s, 1, &info), ZEN_OK);
    EXPECT_UNHOOKED(&h, zen_zone_stats(&f.s, 3, &info), ZEN_ERR_INVAL);
    EXPECT_UNHOOKED(&h, zen_zone_check(&f.s, &r), ZEN_OK);
    CHECK_EQ(other, 0u);
    /* an init with hooks that fails runs none either */
    zen_zone_set s2;
    const zen_hooks again = {log_enter, log_leave, &h};
    EXPECT_UNHOOKED(&h, zen_zone_init(&s2, map_b, NMAP(map_b), NMAP(map_b), f.frames, 1, f.words,
                                      f.nwords, &again),
                    ZEN_ERR_NOMEM);
    free(buf);
    zfx_close(&f);

    ctx("hooks: enter only");
    hook_log only;
    memset(&only, 0, sizeof only);
    const zen_hooks enter_only = {log_enter, NULL, &only};
    zfx_open(&f, map_c, NMAP(map_c), &enter_only);
    only.s = &f.s;
    CHECK_EQ(ZALLOC(&f, ZEN_ZONE_DMA, 0, 0), 1u);
    CHECK_ST(zen_zone_free(&f.s, 1, 0), ZEN_OK);
    CHECK_EQ(only.enters, 2u);
    CHECK_EQ(only.leaves, 0u);
    zfx_close(&f);
}

/* ========================================================================== */
/* 7. the checker finds corruption                                            */
/* ========================================================================== */

static void expect_corrupt_(zfx *f, uint32_t inv, uint32_t zone, const char *what,
                            const char *file, int line)
{
    zen_zone_check_report r;
    memset(&r, 0xA5, sizeof r);
    zen_status st = zen_zone_check(&f->s, &r);
    char msg[200];
    snprintf(msg, sizeof msg, "%s: check answered %s, invariant %u zone %u; want invariant %u zone %u",
             what, status_name(st), r.invariant, r.zone, inv, zone);
    check_(st == ZEN_ERR_CORRUPT && r.invariant == inv && r.zone == zone, msg, file, line);
    if (inv == ZEN_ZINV_PAGES)
        check_(r.pages.invariant != ZEN_INV_NONE, "pages report names the invariant", file, line);
}
#define EXPECT_CORRUPT(f, inv, zone, what) expect_corrupt_((f), (inv), (zone), (what), __FILE__, __LINE__)

static void test_check_detects(void)
{
    ctx("check detects corruption (map C)");
    zfx f;
    zfx_open(&f, map_c, NMAP(map_c), NULL);
    ZFX_CHECK(&f);

    /* watermarks: DMA32 min 41 > low 40 */
    f.s.zone[1].min = 41;
    EXPECT_CORRUPT(&f, ZEN_ZINV_WATERMARKS, 1, "min > low");
    f.s.zone[1].min = 32;
    f.s.zone[2].low = 13; /* NORMAL low 13 > high 12 */
    EXPECT_CORRUPT(&f, ZEN_ZINV_WATERMARKS, 2, "low > high");
    f.s.zone[2].low = 10;
    f.s.zone[0].high = 512; /* DMA high > managed 511 */
    f.s.zone[0].low = 512;
    f.s.zone[0].min = 512;
    EXPECT_CORRUPT(&f, ZEN_ZINV_WATERMARKS, 0, "high > managed");
    f.s.zone[0].min = 3;
    f.s.zone[0].low = 3;
    f.s.zone[0].high = 4;
    ZFX_CHECK(&f);

    /* carving */
    f.s.zone[1].pages.frames += 1;
    EXPECT_CORRUPT(&f, ZEN_ZINV_CARVING, 1, "DMA32 frames pointer shifted");
    f.s.zone[1].pages.frames -= 1;
    f.s.zone[0].pages.words += 1;
    EXPECT_CORRUPT(&f, ZEN_ZINV_CARVING, 0, "DMA words pointer shifted");
    f.s.zone[0].pages.words -= 1;
    f.s.zone[2].frame_off -= 1;
    EXPECT_CORRUPT(&f, ZEN_ZINV_CARVING, 2, "NORMAL frame_off changed");
    f.s.zone[2].frame_off += 1;
    f.s.nframes -= 1; /* NORMAL's slice now runs past the set's array */
    EXPECT_CORRUPT(&f, ZEN_ZINV_CARVING, 2, "set array shorter than the slices");
    f.s.nframes += 1;
    /* DMA32's slice moved back by one frame, consistently: it now overlaps
     * DMA's last descriptor. */
    f.s.zone[1].frame_off -= 1;
    f.s.zone[1].pages.frames -= 1;
    EXPECT_CORRUPT(&f, ZEN_ZINV_CARVING, 1, "DMA32 slice overlaps DMA's");
    f.s.zone[1].frame_off += 1;
    f.s.zone[1].pages.frames += 1;
    ZFX_CHECK(&f);

    /* page allocator state: DMA pfn 1 is the free order-0 head, frames[0] */
    CHECK_EQ(f.frames[0].state, ZEN_FRAME_FREE);
    f.frames[0].state = ZEN_FRAME_ALLOCATED;
    EXPECT_CORRUPT(&f, ZEN_ZINV_PAGES, 0, "free head marked allocated (DMA)");
    f.frames[0].state = ZEN_FRAME_FREE;
    /* NORMAL pfn 1048576 heads the free 1048576:10 */
    size_t ni = (size_t)f.s.zone[2].frame_off;
    CHECK_EQ(f.frames[ni].state, ZEN_FRAME_FREE);
    f.frames[ni].state = ZEN_FRAME_ALLOCATED;
    EXPECT_CORRUPT(&f, ZEN_ZINV_PAGES, 2, "free head marked allocated (NORMAL)");
    f.frames[ni].state = ZEN_FRAME_FREE;
    f.s.zone[1].pages.stats.free_frames--;
    EXPECT_CORRUPT(&f, ZEN_ZINV_PAGES, 1, "DMA32 free count off by one");
    f.s.zone[1].pages.stats.free_frames++;
    ZFX_CHECK(&f);

    /* bounds */
    zen_pfn s1 = f.s.zone[1].pages.start;
    f.s.zone[1].pages.start = 4095; /* DMA32 starting below 16 MiB */
    EXPECT_CORRUPT(&f, ZEN_ZINV_BOUNDS, 1, "DMA32 span starts below 16 MiB");
    f.s.zone[1].pages.start = 1048576u - 4095u; /* 4096 frames from there cross 4 GiB */
    EXPECT_CORRUPT(&f, ZEN_ZINV_BOUNDS, 1, "DMA32 span crosses 4 GiB");
    f.s.zone[1].pages.start = s1;
    f.s.zone[2].pages.start = 1048575; /* NORMAL starting below 4 GiB */
    EXPECT_CORRUPT(&f, ZEN_ZINV_BOUNDS, 2, "NORMAL span starts below 4 GiB");
    f.s.zone[2].pages.start = 1048576;
    /* DMA's span moved whole above 16 MiB (by 2^20, so the page allocator's
     * own metadata, which is relative to its start, stays consistent): the
     * span [1048577, 1049088) is outside DMA's bounds [0, 4096) */
    f.s.zone[0].pages.start = 1u + ((zen_pfn)1 << 20);
    EXPECT_CORRUPT(&f, ZEN_ZINV_BOUNDS, 0, "DMA span moved above 4 GiB");
    f.s.zone[0].pages.start = 1;
    ZFX_CHECK(&f);
    zfx_close(&f);

    ctx("check detects corruption (map E, absent DMA32)");
    zfx_open(&f, map_e, NMAP(map_e), NULL);
    ZFX_CHECK(&f);
    f.s.zone[1].min = 1;
    f.s.zone[1].low = 1;
    f.s.zone[1].high = 1;
    EXPECT_CORRUPT(&f, ZEN_ZINV_ABSENT, 1, "absent zone with watermarks");
    f.s.zone[1].min = 0;
    f.s.zone[1].low = 0;
    f.s.zone[1].high = 0;
    ZFX_CHECK(&f);
    zfx_close(&f);
}

/* ========================================================================== */
/* 8. random maps and operations                                              */
/* ========================================================================== */

#define RMAX 20u
#define SCAN_LO_END 16384u                /* 64 MiB / 4 KiB */
#define SCAN_HI_BEGIN (NORMAL_PFN - 8192u) /* 4 GiB - 32 MiB */
#define SCAN_HI_END (NORMAL_PFN + 8192u)   /* 4 GiB + 32 MiB */

typedef struct rzone {
    int present;
    zen_pfn start;
    uint64_t n;
    uint64_t managed;
    uint8_t *usable;  /* per frame of the span */
    uint64_t *owner;  /* head pfn + 1 of the live block holding the frame, 0 if none */
    uint8_t *order;   /* order of a live head */
    uint64_t free_frames;
    uint64_t min, low, high;
} rzone;

typedef struct rlive {
    zen_pfn pfn;
    unsigned order;
} rlive;

static void gen_map(zen_mem_range *m, uint64_t *count)
{
    unsigned mode = (unsigned)xs_below(2);
    /* mode 0: low window [0, 64 MiB), high window [4 GiB, 4 GiB + 32 MiB);
     * mode 1: low window [0, 16 MiB), high window [4 GiB - 32 MiB, 4 GiB + 32 MiB).
     * DMA32 then holds usable frames on one side only: spans stay below
     * 12288 frames (mode 0: [4096, 16384)) or 8192 (mode 1). */
    uint64_t lo_end = mode == 0u ? 0x4000000u : 0x1000000u;
    uint64_t hi_begin = mode == 0u ? 0x100000000u : 0xFE000000u;
    uint64_t hi_end = 0x102000000u;
    uint64_t n = 4u + xs_below(11); /* at most 14, 3 more and the top entry: 18 <= RMAX */
    for (uint64_t i = 0; i < n; i++) {
        unsigned r = (unsigned)xs_below(100);
        uint32_t type = r < 55u   ? (uint32_t)USABLE
                        : r < 75u ? (uint32_t)RESV
                        : r < 82u ? (uint32_t)ACPI
                        : r < 87u ? (uint32_t)NVS
                        : r < 91u ? (uint32_t)BAD
                        : r < 96u ? 17u
                                  : (xs_below(2) ? 0u : UINT32_MAX);
        uint64_t w_lo = xs_below(2) ? 0u : hi_begin;
        uint64_t w_hi = w_lo == 0u ? lo_end : hi_end;
        uint64_t size = w_hi - w_lo;
        unsigned c = (unsigned)xs_below(10);
        uint64_t len = c < 3u ? 1u + xs_below(0x3000u)
                       : c < 8u ? 1u + xs_below(0x400000u)
                                : 1u + xs_below(size / 2u);
        uint64_t base = w_lo + xs_below(size);
        if (xs_below(2)) { /* page aligned */
            base &= ~(uint64_t)(PG - 1u);
            len = (len + PG - 1u) & ~(uint64_t)(PG - 1u);
        }
        if (base + len > w_hi)
            len = w_hi - base;
        m[i] = (zen_mem_range){base, len, type};
    }
    if (xs_below(2) == 0u) {
        /* one usable entry inside each zone's part of the windows, so that
         * most such maps have all three zones */
        const uint64_t zlo[NZ] = {0u, mode == 0u ? 0x1000000u : 0xFE000000u, 0x100000000u};
        const uint64_t zhi[NZ] = {0x1000000u, mode == 0u ? 0x4000000u : 0x100000000u, 0x102000000u};
        for (unsigned z = 0; z < NZ; z++) {
            uint64_t base = zlo[z] + xs_below(zhi[z] - zlo[z]);
            uint64_t len = 1u + xs_below(0x800000u);
            if (base + len > zhi[z])
                len = zhi[z] - base;
            m[n++] = (zen_mem_range){base, len, USABLE};
        }
    }
    if (xs_below(8) == 0u) /* now and then the top of the address space, reserved */
        m[n++] = (zen_mem_range){0xFFFFFFFFFFFFF000u, 0x1000u, RESV};
    *count = n;
}

static int in_span(const rzone *rz, zen_pfn pfn)
{
    return rz->present && pfn >= rz->start && pfn - rz->start < rz->n;
}

/* Some aligned block of 2^order frames inside the span is usable and not
 * allocated: then the zone has a free block of order >= order (the free
 * blocks are the maximal aligned ones). */
static int has_free_block(const rzone *rz, unsigned order)
{
    if (!rz->present)
        return 0;
    uint64_t size = BLOCK(order);
    zen_pfn first = (rz->start + size - 1u) & ~(size - 1u);
    for (zen_pfn h = first; h + size <= rz->start + rz->n; h += size) {
        uint64_t i0 = h - rz->start, i;
        for (i = 0; i < size; i++)
            if (!rz->usable[i0 + i] || rz->owner[i0 + i] != 0u)
                break;
        if (i == size)
            return 1;
    }
    return 0;
}

static void random_run(unsigned map_no, unsigned ops)
{
    zen_mem_range m[RMAX];
    uint64_t count = 0;
    gen_map(m, &count);
    char what[96];
    snprintf(what, sizeof what, "random map %u", map_no);
    ctx(what);

    /* expected zones from the classifier */
    zen_pfn lo[NZ] = {0, 0, 0}, hi[NZ] = {0, 0, 0};
    int any[NZ] = {0, 0, 0};
    const zen_pfn scan[4] = {0, SCAN_LO_END, SCAN_HI_BEGIN, SCAN_HI_END};
    for (unsigned r = 0; r < 2; r++)
        for (zen_pfn pfn = scan[2 * r]; pfn < scan[2 * r + 1]; pfn++) {
            if (!frame_usable(m, count, pfn))
                continue;
            unsigned z = zone_of(pfn);
            if (!any[z])
                lo[z] = pfn;
            any[z] = 1;
            hi[z] = pfn;
        }
    zen_zone_layout plan;
    zen_status st = plan_of(m, count, RMAX, &plan);
    if (!any[0] && !any[1] && !any[2]) {
        CHECK_ST(st, ZEN_ERR_NO_USABLE);
        CHECK(plan_unwritten(&plan));
        return;
    }
    if (!CHECK_ST(st, ZEN_OK))
        return;
    for (unsigned z = 0; z < NZ; z++) {
        CHECK_EQ(plan.nframes[z], any[z] ? hi[z] - lo[z] + 1u : 0u);
        if (any[z])
            CHECK_EQ(plan.start[z], lo[z]);
    }

    zfx f;
    zfx_open(&f, m, count, NULL);
    rzone rz[NZ];
    uint64_t span_total = 0;
    for (unsigned z = 0; z < NZ; z++) {
        memset(&rz[z], 0, sizeof rz[z]);
        rz[z].present = any[z];
        CHECK_EQ(f.s.zone[z].present != 0u, any[z] != 0);
        if (!any[z])
            continue;
        rz[z].start = lo[z];
        rz[z].n = hi[z] - lo[z] + 1u;
        span_total += rz[z].n;
        rz[z].usable = xmalloc((size_t)rz[z].n);
        rz[z].owner = xmalloc((size_t)rz[z].n * sizeof *rz[z].owner);
        rz[z].order = xmalloc((size_t)rz[z].n);
        for (uint64_t i = 0; i < rz[z].n; i++) {
            rz[z].usable[i] = (uint8_t)frame_usable(m, count, rz[z].start + i);
            rz[z].owner[i] = 0;
            rz[z].order[i] = 0;
            rz[z].managed += rz[z].usable[i];
        }
        rz[z].free_frames = rz[z].managed;
        rz[z].min = rz[z].managed / 128u;
        rz[z].low = rz[z].min + rz[z].min / 4u;
        rz[z].high = rz[z].min + rz[z].min / 2u;
        EXPECT_ZONE(&f, z, rz[z].start, rz[z].n, rz[z].managed, rz[z].managed, rz[z].min,
                    rz[z].low, rz[z].high);
    }
    uint64_t managed[NZ];
    compare_frames_(&f, m, count, scan, 2, managed, __FILE__, __LINE__);
    ZFX_CHECK(&f);

    rlive *live = xmalloc((size_t)(span_total + 1u) * sizeof *live);
    uint64_t nlive = 0;
    uint64_t rej_lo = 0, rej_hi = 0, oom = 0, fallbacks = 0, atomic = 0;
    unsigned failures_before = (unsigned)g_failed;
    for (unsigned op = 0; op < ops && (unsigned)g_failed - failures_before < 5u; op++) {
        snprintf(what, sizeof what, "random map %u op %u", map_no, op);
        ctx(what);
        unsigned r = (unsigned)xs_below(100);
        if (r < 50u || nlive == 0u) {
            unsigned max_zone = (unsigned)xs_below(3);
            unsigned pick = (unsigned)xs_below(100);
            unsigned order = pick < 60u ? (unsigned)xs_below(3)
                             : pick < 95u ? (unsigned)xs_below(7)
                                          : (unsigned)xs_below(ZEN_PAGE_MAX_ORDER + 2u);
            unsigned fl = (unsigned)xs_below(100);
            unsigned flags = fl < 70u ? 0u : fl < 95u ? ZEN_ZONE_ATOMIC
                             : fl < 98u ? ZEN_ZONE_ZERO | (unsigned)xs_below(2)
                                        : 4u + (unsigned)xs_below(4);
            if (xs_below(100) == 0u)
                max_zone = 3u + (unsigned)xs_below(3);
            /* expected answer */
            int bad = max_zone > 2u || order > ZEN_PAGE_MAX_ORDER || flags > 3u;
            if (!bad && (flags & ZEN_ZONE_ZERO) != 0u)
                for (unsigned z = 0; z <= max_zone; z++)
                    if (rz[z].present)
                        bad = 1; /* no direct maps in this test */
            int want_zone = -1;
            if (!bad)
                for (int y = (int)max_zone; y >= 0 && want_zone < 0; y--) {
                    const rzone *q = &rz[y];
                    if (q->present && has_free_block(q, order) &&
                        ((flags & ZEN_ZONE_ATOMIC) != 0u || q->free_frames >= q->min + BLOCK(order)))
                        want_zone = y;
                }
            zen_pfn p = 0xDEADBEEFu;
            st = zen_zone_alloc(&f.s, max_zone, order, flags, &p);
            if (bad) {
                CHECK_ST(st, ZEN_ERR_INVAL);
                rej_lo++;
                rej_hi++;
            } else if (want_zone < 0) {
                CHECK_ST(st, ZEN_ERR_NOMEM);
                oom++;
            } else if (CHECK_ST(st, ZEN_OK)) {
                unsigned z = zone_of(p);
                rzone *q = &rz[z];
                CHECK(z <= max_zone);
                CHECK_EQ(z, (unsigned)want_zone);
                CHECK(in_span(q, p) && p - q->start + BLOCK(order) <= q->n);
                CHECK_EQ(p & (BLOCK(order) - 1u), 0u);
                if (z == (unsigned)want_zone && in_span(q, p) && p - q->start + BLOCK(order) <= q->n) {
                    uint64_t i0 = p - q->start;
                    int clean = 1;
                    for (uint64_t i = 0; i < BLOCK(order); i++) {
                        if (!q->usable[i0 + i] || q->owner[i0 + i] != 0u)
                            clean = 0;
                        q->owner[i0 + i] = p + 1u;
                    }
                    CHECK(clean); /* usable frames that were free */
                    q->order[i0] = (uint8_t)order;
                    q->free_frames -= BLOCK(order);
                    live[nlive].pfn = p;
                    live[nlive].order = order;
                    nlive++;
                    if (z < max_zone)
                        fallbacks++;
                    if (q->free_frames < q->min)
                        atomic++;
                    if ((flags & ZEN_ZONE_ATOMIC) == 0u)
                        CHECK(q->free_frames >= q->min);
                }
            }
            if (st != ZEN_OK)
                CHECK_EQ(p, 0xDEADBEEFu);
        } else if (r < 85u) {
            uint64_t li = xs_below(nlive);
            rlive b = live[li];
            CHECK_ST(zen_zone_free(&f.s, b.pfn, b.order), ZEN_OK);
            rzone *q = &rz[zone_of(b.pfn)];
            for (uint64_t i = 0; i < BLOCK(b.order); i++)
                q->owner[b.pfn - q->start + i] = 0;
            q->free_frames += BLOCK(b.order);
            live[li] = live[--nlive];
        } else if (r < 95u) {
            /* a free at an arbitrary place */
            zen_pfn p;
            unsigned c = (unsigned)xs_below(4);
            if (c == 0u && nlive != 0u) {
                rlive b = live[xs_below(nlive)];
                p = b.pfn + xs_below(BLOCK(b.order) + 1u);
            } else if (c <= 2u) {
                unsigned z = (unsigned)xs_below(3);
                p = rz[z].present ? rz[z].start + xs_below(rz[z].n + 2u) - 1u
                                  : scan[2u * (z == 0u ? 0u : 1u)] + xs_below(8192);
            } else {
                p = xs_below(2) ? xs_below(SCAN_LO_END) : SCAN_HI_BEGIN + xs_below(16384);
                if (xs_below(20) == 0u)
                    p = xs();
            }
            unsigned order = (unsigned)xs_below(ZEN_PAGE_MAX_ORDER + 2u);
            if (xs_below(2))
                order = (unsigned)xs_below(3);
            zen_status want;
            rzone *q = &rz[zone_of(p)];
            uint64_t i = p - q->start;
            if (order > ZEN_PAGE_MAX_ORDER)
                want = ZEN_ERR_INVAL;
            else if (!in_span(q, p))
                want = ZEN_ERR_RANGE;
            else if (!q->usable[i])
                want = ZEN_ERR_RESERVED;
            else if (q->owner[i] == p + 1u)
                want = q->order[i] == order ? ZEN_OK : ZEN_ERR_ORDER;
            else if (q->owner[i] != 0u)
                want = ZEN_ERR_NOT_HEAD;
            else
                want = ZEN_ERR_NOT_ALLOCATED;
            CHECK_ST(zen_zone_free(&f.s, p, order), want);
            if (want == ZEN_ERR_INVAL || want == ZEN_ERR_RANGE) {
                rej_lo++;
                rej_hi++;
            } else if (want != ZEN_OK) {
                rej_hi++; /* the set may or may not count these */
            } else {
                for (uint64_t j = 0; j < BLOCK(order); j++)
                    q->owner[i + j] = 0;
                q->free_frames += BLOCK(order);
                for (uint64_t j = 0; j < nlive; j++)
                    if (live[j].pfn == p) {
                        live[j] = live[--nlive];
                        break;
                    }
            }
        } else {
            unsigned z = (unsigned)xs_below(4);
            uint64_t mg = z < NZ ? rz[z].managed : 100u;
            uint64_t a = xs_below(mg / 8u + 2u), b = a + xs_below(mg / 8u + 2u),
                     c = b + xs_below(mg / 8u + 2u);
            if (xs_below(5) == 0u) { /* out of order */
                uint64_t t = a;
                a = c;
                c = t;
            }
            int ok = z < NZ && rz[z].present && a <= b && b <= c && c <= rz[z].managed;
            CHECK_ST(zen_zone_set_watermarks(&f.s, z, a, b, c), ok ? ZEN_OK : ZEN_ERR_INVAL);
            if (ok) {
                rz[z].min = a;
                rz[z].low = b;
                rz[z].high = c;
            } else {
                rej_lo++;
                rej_hi++;
            }
        }
        /* after every operation */
        ZFX_CHECK(&f);
        for (unsigned z = 0; z < NZ; z++) {
            if (!rz[z].present)
                continue;
            zen_zone_info i = zinfo(&f, z);
            CHECK_EQ(i.free_frames, rz[z].free_frames);
            CHECK_EQ(i.min, rz[z].min);
            CHECK_EQ(i.low, rz[z].low);
            CHECK_EQ(i.high, rz[z].high);
            unsigned level = 99;
            CHECK_ST(zen_zone_watermark(&f.s, z, &level), ZEN_OK);
            uint64_t fr = rz[z].free_frames;
            CHECK_EQ(level, fr < rz[z].min    ? ZEN_LEVEL_BELOW_MIN
                            : fr < rz[z].low  ? ZEN_LEVEL_BELOW_LOW
                            : fr < rz[z].high ? ZEN_LEVEL_BELOW_HIGH
                                              : ZEN_LEVEL_HIGH);
        }
        CHECK_EQ(f.s.stats.oom_count, oom);
        CHECK_EQ(f.s.stats.fallbacks, fallbacks);
        CHECK_EQ(f.s.stats.atomic_reserve, atomic);
        CHECK(f.s.stats.rejected >= rej_lo && f.s.stats.rejected <= rej_hi);
    }
    snprintf(what, sizeof what, "random map %u teardown", map_no);
    ctx(what);
    while (nlive != 0u) {
        uint64_t li = xs_below(nlive);
        CHECK_ST(zen_zone_free(&f.s, live[li].pfn, live[li].order), ZEN_OK);
        live[li] = live[--nlive];
    }
    ZFX_CHECK(&f);
    for (unsigned z = 0; z < NZ; z++) {
        if (!rz[z].present)
            continue;
        zen_zone_info i = zinfo(&f, z);
        CHECK_EQ(i.free_frames, i.managed);
        CHECK_EQ(i.managed, rz[z].managed);
        free(rz[z].usable);
        free(rz[z].owner);
        free(rz[z].order);
    }
    free(live);
    zfx_close(&f);
}

static void test_random(void)
{
    g_xs = 0x9E3779B97F4A7C15u;
    unsigned built = 0;
    for (unsigned map_no = 0; map_no < 40u && built < 12u; map_no++) {
        unsigned long before = g_passed + g_failed;
        random_run(map_no, 1500);
        if (g_passed + g_failed > before + 10u)
            built++;
    }
    ctx("random");
    CHECK(built >= 12u);
}

/* ========================================================================== */

int main(void)
{
    test_constants();
    test_plan_e820();
    test_plan_small();
    test_plan_errors();
    test_init_map_b();
    test_init_errors();
    test_alloc_fallback();
    test_alloc_min_atomic();
    test_alloc_invalid();
    test_zero();
    test_absent_zone();
    test_free();
    test_watermarks();
    test_hooks();
    test_check_detects();
    test_random();
    printf("%lu checks passed, %lu failed\n", g_passed, g_failed);
    return g_failed == 0u ? 0 : 1;
}
