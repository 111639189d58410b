/* Unit tests of the Zen address spaces (core/zen_space.h).
 *
 * No framework: CHECK counts one passed or failed check, the program prints
 * "N checks passed, M failed" last and exits non-zero when anything failed.
 *
 * Expected values come from the header: a hand-worked image whose layout,
 * slots and image words are spelled out below, the order of every
 * function's errors and what an error leaves unwritten, the causes of the
 * access check, the fill of each kind of page, stack growth, brk, teardown,
 * the checker's invariants (each broken by hand, then restored) and the
 * enter/leave hook rule. Frames come from a zone set built from a memory
 * map (zen_zone.h) whose direct maps are allocated here and filled with
 * 0xAA bytes, so a zero-filled frame is told apart from an untouched one.
 *
 * The arithmetic in the comments assumes 4 KiB pages, which test_constants
 * checks first.
 *
 * White-box writes to the space (its table, counters and layout) are used
 * only to corrupt it on purpose for the checker tests, and are undone. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zen_space.h"

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

static int check_eq_(uint64_t got, uint64_t want, const char *x, const char *y, const char *file, int line)
{
    if (got == want) {
        g_passed++;
        return 1;
    }
    g_failed++;
    if (g_failed <= 80)
        fprintf(stderr, "%s:%d: FAILED [%s]: %s == %s: got %" PRIu64 " (0x%" PRIx64 "), want %" PRIu64
                " (0x%" PRIx64 ")\n", file, line, g_ctx, x, y, got, got, want, want);
    return 0;
}

static const char *status_name(zen_status s)
{
    static const char *const names[] = {
        "ZEN_OK", "ZEN_ERR_NOMEM", "ZEN_ERR_INVAL", "ZEN_ERR_RANGE", "ZEN_ERR_RESERVED",
        "ZEN_ERR_NOT_HEAD", "ZEN_ERR_NOT_ALLOCATED", "ZEN_ERR_ORDER", "ZEN_ERR_OVERFLOW",
        "ZEN_ERR_BUSY", "ZEN_ERR_CORRUPT", "ZEN_ERR_CAPACITY", "ZEN_ERR_NO_USABLE",
        "ZEN_ERR_FOREIGN", "ZEN_ERR_WRONG_CACHE", "ZEN_ERR_MISALIGNED", "ZEN_ERR_NO_FIT",
        "ZEN_ERR_FAULT"};
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
        fprintf(stderr, "%s:%d: FAILED [%s]: %s returned %s, want %s\n", file, line, g_ctx, call,
                status_name(got), status_name(want));
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

/* ---- the test image ------------------------------------------------------ */

#define PAGE ZEN_PAGE_SIZE
#define WPF ZEN_PAGE_WORDS_PER_FRAME
#define P(n) ((uint64_t)(n) * PAGE) /* the first byte of page n */

/* With 4 KiB pages, test_image() lays out as:
 *   page 0 NULL, page 1 TRAPVEC, page 2 ZENVARS
 *   TEXT    pages 3..4    PAGE + 24 bytes: 515 words, 3 of them on page 4
 *   RODATA  page 5        100 bytes: 13 words
 *   DATA    pages 6..8    2 PAGE + 4 bytes: 1025 words, 1 of them on page 8
 *   BSS     page 9        10 bytes
 *   COMM    page 10       PAGE bytes
 *   HEAP    base page 11, empty; its reach ends at page 15 (4 pages)
 *   pages 15..250 in no segment (DEBUG's 20 pages cover 0..19, never mapped)
 *   guard   page 251
 *   STACK   reach from page 252 (4 pages), base page 255 (1 page), top page 256 (1 MiB)
 * Slots: pages 3..14 (12 low slots), then pages 252..255: 16. */
#define TEXT_WORDS 515u
#define RODATA_WORDS 13u
#define DATA_WORDS 1025u
#define TEXT_BASE P(3)
#define RODATA_BASE P(5)
#define DATA_BASE P(6)
#define BSS_BASE P(9)
#define COMM_BASE P(10)
#define HEAP_BASE P(11)
#define HEAP_END P(15)
#define GUARD P(251)
#define STACK_FLOOR P(252)
#define STACK_BASE P(255)
#define TOP P(256)
#define NSLOTS 16u
#define LOW_SLOTS 12u
#define TABLE_CAP 24u /* table arrays: a few entries past the slots, which nothing may write */

static uint64_t g_text[TEXT_WORDS];
static uint64_t g_rodata[RODATA_WORDS];
static uint64_t g_data[DATA_WORDS];

/* Distinct non-zero words: segment in bits 40.., index + 1 below. */
static void fill_image_words(void)
{
    for (uint64_t i = 0; i < TEXT_WORDS; i++)
        g_text[i] = 0x7E00000000000000u | ((uint64_t)1 << 40) | (i + 1u);
    for (uint64_t i = 0; i < RODATA_WORDS; i++)
        g_rodata[i] = 0x7E00000000000000u | ((uint64_t)2 << 40) | (i + 1u);
    for (uint64_t i = 0; i < DATA_WORDS; i++)
        g_data[i] = 0x7E00000000000000u | ((uint64_t)3 << 40) | (i + 1u);
}

static zen_image test_image(void)
{
    zen_image img;
    memset(&img, 0, sizeof img);
    img.page_size = PAGE;
    img.text_size = PAGE + 24u;
    img.rodata_size = 100u;
    img.data_size = 2u * PAGE + 4u;
    img.bss_size = 10u;
    img.comm_size = PAGE;
    img.debug_size = 20u * PAGE;
    img.heap_limit = 4u * PAGE;
    img.stack_size = PAGE;
    img.stack_limit = 4u * PAGE;
    img.top = TOP;
    img.text = g_text;
    img.rodata = g_rodata;
    img.data = g_data;
    return img;
}

/* The slot of the page that holds addr in the test image's space, computed
 * from the page numbers above; NSLOTS when no slot has it. */
static uint64_t slot_of(uint64_t addr)
{
    uint64_t page = addr / PAGE;
    if (page >= 3u && page < 15u)
        return page - 3u;
    if (page >= 252u && page < 256u)
        return LOW_SLOTS + (page - 252u);
    return NSLOTS;
}

/* ---- zone fixture -------------------------------------------------------- */

typedef struct zfx {
    zen_zone_set s;
    zen_page_frame *frames;
    uint64_t *words;
    uint64_t *mem[ZEN_ZONE_COUNT]; /* direct maps, when attached */
} zfx;

/* One usable range of 256 frames at 1 MiB: DMA, pfn 256..511. */
static const zen_mem_range map_main[] = {{0x100000u, 256u * 0x1000u, ZEN_MEM_USABLE}};
/* Two frames at 1 MiB: DMA, pfn 256..257, min watermark 0. */
static const zen_mem_range map_two[] = {{0x100000u, 2u * 0x1000u, ZEN_MEM_USABLE}};
/* One frame at 1 MiB. */
static const zen_mem_range map_one[] = {{0x100000u, 0x1000u, ZEN_MEM_USABLE}};
/* 16 frames at 1 MiB (DMA, pfn 256..271) and 16 at 16 MiB (DMA32, pfn 4096..4111). */
static const zen_mem_range map_dma32[] = {{0x100000u, 16u * 0x1000u, ZEN_MEM_USABLE},
                                          {0x1000000u, 16u * 0x1000u, ZEN_MEM_USABLE}};
#define NMAP(m) ((uint64_t)(sizeof(m) / sizeof((m)[0])))

/* Give present zone z a direct map filled with 0xAA bytes. */
static void zfx_attach(zfx *f, unsigned z)
{
    size_t bytes = (size_t)(f->s.zone[z].pages.nframes * PAGE);
    f->mem[z] = xmalloc(bytes);
    memset(f->mem[z], 0xAA, bytes);
    CHECK_ST(zen_zone_attach_memory(&f->s, z, f->mem[z]), ZEN_OK);
}

/* Build the zones of map; attach a direct map to each present zone whose
 * bit is set in attach_mask. */
static void zfx_open(zfx *f, const zen_mem_range *map, uint64_t n, unsigned attach_mask)
{
    zen_zone_layout plan;
    memset(f, 0, sizeof *f);
    CHECK_ST(zen_zone_plan(map, n, n, &plan), ZEN_OK);
    f->frames = xmalloc((size_t)plan.frames_needed * sizeof *f->frames);
    f->words = xmalloc((size_t)plan.words_needed * sizeof *f->words);
    CHECK_ST(zen_zone_init(&f->s, map, n, n, f->frames, plan.frames_needed, f->words, plan.words_needed, NULL),
             ZEN_OK);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        if (f->s.zone[z].present != 0u && (attach_mask & (1u << z)) != 0u)
            zfx_attach(f, z);
}

static void zfx_close(zfx *f)
{
    free(f->frames);
    free(f->words);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        free(f->mem[z]);
    memset(f, 0, sizeof *f);
}

/* Refill every attached direct map with 0xAA bytes. */
static void zfx_dirty(zfx *f)
{
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        if (f->mem[z] != NULL)
            memset(f->mem[z], 0xAA, (size_t)(f->s.zone[z].pages.nframes * PAGE));
}

static uint64_t zfree(const zfx *f, unsigned z)
{
    zen_zone_info i;
    memset(&i, 0, sizeof i);
    CHECK_ST(zen_zone_stats(&f->s, z, &i), ZEN_OK);
    return i.present != 0u ? i.free_frames : 0u;
}

static uint64_t total_free(const zfx *f)
{
    uint64_t n = 0;
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        n += zfree(f, z);
    return n;
}

/* The direct-mapped words of frame pfn, found from the zone spans; NULL
 * when no attached zone holds it. */
static uint64_t *frame_words(const zfx *f, zen_pfn pfn)
{
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        const zen_zone *zone = &f->s.zone[z];
        if (zone->present != 0u && f->mem[z] != NULL && pfn >= zone->pages.start &&
            pfn - zone->pages.start < zone->pages.nframes)
            return f->mem[z] + (pfn - zone->pages.start) * WPF;
    }
    return NULL;
}

static void zfx_check_(zfx *f, const char *file, int line)
{
    zen_zone_check_report r;
    memset(&r, 0, sizeof r);
    check_st_(zen_zone_check(&f->s, &r), ZEN_OK, "zen_zone_check", file, line);
}
#define ZFX_CHECK(f) zfx_check_((f), __FILE__, __LINE__)

/* ---- space fixture ------------------------------------------------------- */

typedef struct sfx {
    zfx z;
    zen_space sp;
    zen_pfn table[TABLE_CAP];
} sfx;

/* Zones of map (all attached) and a space of the test image over them. */
static void sfx_open_map(sfx *fx, const zen_mem_range *map, uint64_t n, const zen_hooks *hooks)
{
    memset(fx, 0, sizeof *fx);
    zfx_open(&fx->z, map, n, 7u);
    for (unsigned i = 0; i < TABLE_CAP; i++)
        fx->table[i] = 0x5151u;
    zen_image img = test_image();
    CHECK_ST(zen_space_init(&fx->sp, &img, &fx->z.s, ZEN_ZONE_DMA, fx->table, TABLE_CAP, hooks), ZEN_OK);
}

static void sfx_open(sfx *fx)
{
    sfx_open_map(fx, map_main, NMAP(map_main), NULL);
}

static void sfx_close(sfx *fx)
{
    zfx_close(&fx->z);
}

static int sp_check_(const zen_space *sp, const char *file, int line)
{
    zen_space_check_report r;
    memset(&r, 0xA5, sizeof r);
    zen_status st = zen_space_check(sp, &r);
    if (st == ZEN_OK && r.invariant == ZEN_SPACE_INV_NONE)
        return check_(1, "", file, line);
    char msg[160];
    snprintf(msg, sizeof msg, "zen_space_check: %s, invariant %u at slot %" PRIu64, status_name(st),
             r.invariant, r.slot);
    return check_(0, msg, file, line);
}
#define SP_CHECK(sp) sp_check_((sp), __FILE__, __LINE__)

/* zen_space_check answers CORRUPT with this invariant (and slot, unless
 * slot is NO_SLOT). */
#define NO_SLOT UINT64_MAX
static void expect_corrupt_(const zen_space *sp, uint32_t inv, uint64_t slot, const char *file, int line)
{
    zen_space_check_report r;
    memset(&r, 0xA5, sizeof r);
    check_st_(zen_space_check(sp, &r), ZEN_ERR_CORRUPT, "zen_space_check", file, line);
    check_eq_(r.invariant, inv, "report.invariant", "want", file, line);
    if (slot != NO_SLOT)
        check_eq_(r.slot, slot, "report.slot", "want", file, line);
}
#define EXPECT_CORRUPT(sp, inv, slot) expect_corrupt_((sp), (inv), (slot), __FILE__, __LINE__)

/* ---- snapshots: "an answer changes nothing but ..." ---------------------- */

typedef struct ssnap {
    zen_space sp;
    zen_pfn table[TABLE_CAP];
    uint64_t free;
} ssnap;

static void snap(ssnap *n, const sfx *fx)
{
    memcpy(&n->sp, &fx->sp, sizeof n->sp);
    memcpy(n->table, fx->table, sizeof n->table);
    n->free = total_free(&fx->z);
}

/* Everything of the space but its stats as in the snapshot; layout_too 0
 * leaves the layout out. The zones' free frames as well. */
static int same_space(const ssnap *n, const sfx *fx, int layout_too)
{
    const zen_space *a = &n->sp, *b = &fx->sp;
    int ok = 1;
    if (layout_too && memcmp(&a->layout, &b->layout, sizeof a->layout) != 0)
        ok = 0;
    if (a->brk != b->brk || a->zones != b->zones || a->max_zone != b->max_zone || a->table != b->table ||
        a->slots != b->slots || a->low_slots != b->low_slots)
        ok = 0;
    for (unsigned k = 0; k < ZEN_SPACE_LOADED; k++)
        if (a->load[k] != b->load[k] || a->load_words[k] != b->load_words[k])
            ok = 0;
    if (a->hooks.enter != b->hooks.enter || a->hooks.leave != b->hooks.leave || a->hooks.ctx != b->hooks.ctx)
        ok = 0;
    if (memcmp(n->table, fx->table, sizeof n->table) != 0)
        ok = 0;
    if (n->free != total_free(&fx->z))
        ok = 0;
    return ok;
}

/* The stats moved by exactly these amounts since the snapshot. */
static void stats_delta_(const ssnap *n, const sfx *fx, uint64_t dmapped, uint64_t drefused,
                         uint64_t doom, uint64_t drejected, const char *file, int line)
{
    const zen_space_stats *a = &n->sp.stats, *b = &fx->sp.stats;
    check_eq_(b->mapped, a->mapped + dmapped, "stats.mapped", "want", file, line);
    const uint64_t peak = a->peak > b->mapped ? a->peak : b->mapped;
    check_eq_(b->peak, peak, "stats.peak", "want", file, line);
    check_eq_(b->refused, a->refused + drefused, "stats.refused", "want", file, line);
    check_eq_(b->oom_count, a->oom_count + doom, "stats.oom_count", "want", file, line);
    check_eq_(b->rejected, a->rejected + drejected, "stats.rejected", "want", file, line);
}

static const zen_fault g_fault_pattern = {0x3C3C3C3C3C3C3C3Cu, 0x3C3C3C3Cu, 0x3C3C3C3Cu};

static int fault_untouched(const zen_fault *f)
{
    return f->addr == g_fault_pattern.addr && f->cause == g_fault_pattern.cause &&
           f->signal == g_fault_pattern.signal;
}

/* A fault refused with this cause: *fault says where and why, the space is
 * unchanged but for stats.refused. */
static void expect_refused_(sfx *fx, uint64_t addr, uint32_t access, uint32_t mode, uint32_t cause,
                            const char *file, int line)
{
    ssnap n;
    snap(&n, fx);
    zen_fault f = g_fault_pattern;
    check_st_(zen_space_fault(&fx->sp, addr, access, mode, &f), ZEN_ERR_FAULT, "zen_space_fault", file, line);
    check_eq_(f.addr, addr, "fault.addr", "addr", file, line);
    check_eq_(f.cause, cause, "fault.cause", "cause", file, line);
    check_eq_(f.signal, ZEN_SIGSEGV, "fault.signal", "ZEN_SIGSEGV", file, line);
    check_(same_space(&n, fx, 1), "space unchanged", file, line);
    stats_delta_(&n, fx, 0, 1, 0, 0, file, line);
}
#define EXPECT_REFUSED(fx, addr, acc, mode, cause) \
    expect_refused_((fx), (addr), (acc), (mode), (cause), __FILE__, __LINE__)

/* A fault answered want (INVAL, RANGE, NOMEM, or OK for a page that has a
 * frame already): *fault not written, the space unchanged but for the
 * counter want moves (rejected for INVAL, oom_count for NOMEM). */
static void expect_answer_(sfx *fx, uint64_t addr, uint32_t access, uint32_t mode, zen_status want,
                           const char *file, int line)
{
    ssnap n;
    snap(&n, fx);
    zen_fault f = g_fault_pattern;
    check_st_(zen_space_fault(&fx->sp, addr, access, mode, &f), want, "zen_space_fault", file, line);
    check_(fault_untouched(&f), "*fault not written", file, line);
    check_(same_space(&n, fx, 1), "space unchanged", file, line);
    stats_delta_(&n, fx, 0, 0, want == ZEN_ERR_NOMEM ? 1u : 0u, want == ZEN_ERR_INVAL ? 1u : 0u, file, line);
}
#define EXPECT_ANSWER(fx, addr, acc, mode, want) expect_answer_((fx), (addr), (acc), (mode), (want), __FILE__, __LINE__)

/* A fault that maps a frame for addr's page, which had none: ZEN_OK, *fault
 * not written, exactly that slot changed, one frame more from the zones, an
 * allocated single page, the one frame_at answers. new_stack_base 0: the
 * layout unchanged; otherwise the stack grew down to it. The frame. */
static zen_pfn map_ok_(sfx *fx, uint64_t addr, uint32_t access, uint32_t mode, uint64_t new_stack_base,
                       const char *file, int line)
{
    ssnap n;
    snap(&n, fx);
    const uint64_t i = slot_of(addr);
    check_(i < NSLOTS, "addr has a slot", file, line);
    if (i >= NSLOTS)
        return ZEN_SPACE_NO_FRAME;
    check_eq_(fx->table[i], ZEN_SPACE_NO_FRAME, "slot empty before", "NO_FRAME", file, line);
    zen_fault f = g_fault_pattern;
    check_st_(zen_space_fault(&fx->sp, addr, access, mode, &f), ZEN_OK, "zen_space_fault", file, line);
    check_(fault_untouched(&f), "*fault not written", file, line);
    const zen_pfn pfn = fx->table[i];
    check_(pfn != ZEN_SPACE_NO_FRAME, "slot has a frame", file, line);
    unsigned changed = 0;
    for (unsigned j = 0; j < TABLE_CAP; j++)
        if (fx->table[j] != n.table[j])
            changed++;
    check_eq_(changed, 1, "slots changed", "1", file, line);
    check_eq_(total_free(&fx->z), n.free - 1u, "zone free frames", "one fewer", file, line);
    stats_delta_(&n, fx, 1, 0, 0, 0, file, line);
    zen_zone_block b;
    check_st_(zen_zone_block_of(&fx->z.s, pfn, &b), ZEN_OK, "zen_zone_block_of", file, line);
    check_eq_(b.head, pfn, "block head", "pfn", file, line);
    check_eq_(b.order, 0, "block order", "0", file, line);
    zen_pfn at = 0xFEEDu;
    check_st_(zen_space_frame_at(&fx->sp, addr, &at), ZEN_OK, "zen_space_frame_at", file, line);
    check_eq_(at, pfn, "frame_at", "pfn", file, line);
    if (new_stack_base == 0u) {
        check_(memcmp(&n.sp.layout, &fx->sp.layout, sizeof n.sp.layout) == 0, "layout unchanged", file, line);
    } else {
        zen_layout want = n.sp.layout;
        want.seg[ZEN_SEG_STACK].base = new_stack_base;
        want.seg[ZEN_SEG_STACK].size = TOP - new_stack_base;
        check_eq_(fx->sp.layout.seg[ZEN_SEG_STACK].base, new_stack_base, "stack base", "want", file, line);
        check_eq_(fx->sp.layout.seg[ZEN_SEG_STACK].size, TOP - new_stack_base, "stack size", "want", file, line);
        check_(memcmp(&want, &fx->sp.layout, sizeof want) == 0, "layout: only the stack moved", file, line);
    }
    sp_check_(&fx->sp, file, line);
    return pfn;
}
#define MAP_OK(fx, addr, acc, mode) map_ok_((fx), (addr), (acc), (mode), 0u, __FILE__, __LINE__)
#define MAP_GROWS(fx, addr, acc, mode, base) map_ok_((fx), (addr), (acc), (mode), (base), __FILE__, __LINE__)

/* Frame pfn holds src[0 .. nsrc-1] and zeros after. */
static void expect_frame_(const sfx *fx, zen_pfn pfn, const uint64_t *src, uint64_t nsrc, const char *file,
                          int line)
{
    const uint64_t *w = frame_words(&fx->z, pfn);
    check_(w != NULL, "frame in a direct map", file, line);
    if (w == NULL)
        return;
    uint64_t bad = 0;
    for (uint64_t j = 0; j < WPF; j++)
        if (w[j] != (j < nsrc ? src[j] : 0u))
            bad++;
    check_eq_(bad, 0, "frame words not as loaded", "0", file, line);
}
#define EXPECT_FRAME(fx, pfn, src, n) expect_frame_((fx), (pfn), (src), (n), __FILE__, __LINE__)

static void expect_frame_at_(const zen_space *sp, uint64_t addr, zen_status want, zen_pfn want_pfn,
                             const char *file, int line)
{
    zen_pfn p = 0xFEEDu;
    check_st_(zen_space_frame_at(sp, addr, &p), want, "zen_space_frame_at", file, line);
    check_eq_(p, want == ZEN_OK ? want_pfn : 0xFEEDu, "*pfn", "want", file, line);
}
#define EXPECT_FRAME_AT(sp, addr, want, pfn) expect_frame_at_((sp), (addr), (want), (pfn), __FILE__, __LINE__)

/* brk answers want; on an error only stats.rejected moves. */
static void expect_brk_refused_(sfx *fx, uint64_t new_break, zen_status want, const char *file, int line)
{
    ssnap n;
    snap(&n, fx);
    check_st_(zen_space_brk(&fx->sp, new_break), want, "zen_space_brk", file, line);
    check_(same_space(&n, fx, 1), "space unchanged", file, line);
    stats_delta_(&n, fx, 0, 0, 0, 1, file, line);
}
#define EXPECT_BRK_REFUSED(fx, b, want) expect_brk_refused_((fx), (b), (want), __FILE__, __LINE__)

/* ========================================================================== */

static void test_constants(void)
{
    ctx("constants");
    CHECK_EQ(PAGE, 4096);
    CHECK_EQ(WPF, 512);
    CHECK_EQ(ZEN_SPACE_NO_FRAME, ZEN_PFN_LIMIT);
    CHECK_EQ(ZEN_SPACE_LOADED, 3);
    zen_image img = test_image();
    zen_layout l;
    CHECK_ST(zen_seg_layout(&img, &l), ZEN_OK);
    /* The layout the comments above work with. */
    CHECK_EQ(l.seg[ZEN_SEG_TEXT].base, TEXT_BASE);
    CHECK_EQ(l.seg[ZEN_SEG_TEXT].size, P(2));
    CHECK_EQ(l.seg[ZEN_SEG_RODATA].base, RODATA_BASE);
    CHECK_EQ(l.seg[ZEN_SEG_DATA].base, DATA_BASE);
    CHECK_EQ(l.seg[ZEN_SEG_DATA].size, P(3));
    CHECK_EQ(l.seg[ZEN_SEG_BSS].base, BSS_BASE);
    CHECK_EQ(l.seg[ZEN_SEG_COMM].base, COMM_BASE);
    CHECK_EQ(l.seg[ZEN_SEG_HEAP].base, HEAP_BASE);
    CHECK_EQ(l.seg[ZEN_SEG_HEAP].size, 0);
    CHECK_EQ(l.heap_end, HEAP_END);
    CHECK_EQ(l.stack_floor, STACK_FLOOR);
    CHECK_EQ(l.seg[ZEN_SEG_STACK].base, STACK_BASE);
    CHECK_EQ(l.seg[ZEN_SEG_DEBUG].size, P(20));
    CHECK_EQ(l.top, TOP);
}

/* ---- zen_space_slots ----------------------------------------------------- */

static void expect_slots_refused_(const zen_image *img, zen_status want, const char *file, int line)
{
    uint64_t s = 0xDEADBEEFu;
    check_st_(zen_space_slots(img, &s), want, "zen_space_slots", file, line);
    check_eq_(s, 0xDEADBEEFu, "*slots", "not written", file, line);
}
#define EXPECT_SLOTS_REFUSED(img, want) expect_slots_refused_((img), (want), __FILE__, __LINE__)

static void test_slots(void)
{
    ctx("zen_space_slots");
    zen_image img = test_image();
    uint64_t s = 0;
    CHECK_ST(zen_space_slots(&img, &s), ZEN_OK);
    CHECK_EQ(s, NSLOTS); /* pages 3..14 and 252..255 */

    /* heap_limit 5 pages + 1 byte: 6 pages, reach page 17; 4 MiB top, stack
     * limit 7 pages: 14 low slots + 7 = 21. */
    img.heap_limit = 5u * PAGE + 1u;
    img.top = P(1024);
    img.stack_limit = 7u * PAGE;
    CHECK_ST(zen_space_slots(&img, &s), ZEN_OK);
    CHECK_EQ(s, 21);

    /* Nothing but the fixed pages: TEXT's base is the heap's reach, the
     * stack reaches nothing: no slot at all. */
    zen_image empty;
    memset(&empty, 0, sizeof empty);
    empty.page_size = PAGE;
    empty.top = TOP;
    s = 99;
    CHECK_ST(zen_space_slots(&empty, &s), ZEN_OK);
    CHECK_EQ(s, 0);

    /* The exact fit: the stack's reach right above the guard page at page
     * 15 (the heap's reach): 12 + 240 slots. One page more is NO_FIT. */
    img = test_image();
    img.stack_limit = TOP - P(16);
    CHECK_ST(zen_space_slots(&img, &s), ZEN_OK);
    CHECK_EQ(s, LOW_SLOTS + 240u);
    img.stack_limit = TOP - P(15);
    EXPECT_SLOTS_REFUSED(&img, ZEN_ERR_NO_FIT);

    img = test_image();
    img.page_size = 2u * PAGE;
    EXPECT_SLOTS_REFUSED(&img, ZEN_ERR_INVAL);
    img = test_image();
    img.stack_size = img.stack_limit + 1u;
    EXPECT_SLOTS_REFUSED(&img, ZEN_ERR_INVAL);
    img = test_image();
    img.top = TOP + 8u;
    EXPECT_SLOTS_REFUSED(&img, ZEN_ERR_MISALIGNED);
    img = test_image();
    img.heap_limit = UINT64_MAX;
    EXPECT_SLOTS_REFUSED(&img, ZEN_ERR_OVERFLOW);
    img = test_image();
    img.debug_size = UINT64_MAX;
    EXPECT_SLOTS_REFUSED(&img, ZEN_ERR_OVERFLOW);
    /* Precedence: the layout's. */
    img = test_image();
    img.page_size = 1u;
    img.top = TOP + 8u;
    EXPECT_SLOTS_REFUSED(&img, ZEN_ERR_INVAL);
    img.page_size = PAGE;
    img.heap_limit = UINT64_MAX;
    EXPECT_SLOTS_REFUSED(&img, ZEN_ERR_MISALIGNED);
    img.top = TOP;
    img.stack_limit = TOP;
    EXPECT_SLOTS_REFUSED(&img, ZEN_ERR_OVERFLOW);
}

/* ---- zen_space_init ------------------------------------------------------ */

/* zen_space_init answers want and writes neither *sp nor the table. */
static void expect_init_refused_(const zen_image *img, zen_zone_set *zones, unsigned max_zone, uint64_t capacity,
                                 zen_status want, const char *file, int line)
{
    zen_space sp, sp0;
    zen_pfn table[TABLE_CAP], table0[TABLE_CAP];
    memset(&sp, 0x5A, sizeof sp);
    for (unsigned i = 0; i < TABLE_CAP; i++)
        table[i] = 0x7777u + i;
    memcpy(&sp0, &sp, sizeof sp);
    memcpy(table0, table, sizeof table);
    zen_hooks h = {NULL, NULL, NULL};
    check_st_(zen_space_init(&sp, img, zones, max_zone, table, capacity, &h), want, "zen_space_init", file, line);
    check_(memcmp(&sp, &sp0, sizeof sp) == 0, "*sp not written", file, line);
    check_(memcmp(table, table0, sizeof table) == 0, "table not written", file, line);
}
#define EXPECT_INIT_REFUSED(img, zones, mz, cap, want) \
    expect_init_refused_((img), (zones), (mz), (cap), (want), __FILE__, __LINE__)

static void test_init(void)
{
    ctx("zen_space_init errors");
    zfx f, bare;
    zfx_open(&f, map_main, NMAP(map_main), 7u);
    zfx_open(&bare, map_main, NMAP(map_main), 0u); /* DMA present, no direct map */
    zen_image img = test_image();

    /* Layout errors first, even with every later error present too. */
    zen_image bad = test_image();
    bad.page_size = 0u;
    EXPECT_INIT_REFUSED(&bad, &f.s, 3u, 0u, ZEN_ERR_INVAL);
    bad = test_image();
    bad.top = TOP + 1u;
    bad.text = NULL;
    EXPECT_INIT_REFUSED(&bad, &bare.s, 3u, 0u, ZEN_ERR_MISALIGNED);
    bad = test_image();
    bad.comm_size = UINT64_MAX - PAGE;
    EXPECT_INIT_REFUSED(&bad, &bare.s, 0u, 0u, ZEN_ERR_OVERFLOW);
    bad = test_image();
    bad.stack_limit = TOP - P(15);
    bad.data = NULL;
    EXPECT_INIT_REFUSED(&bad, &f.s, 7u, 0u, ZEN_ERR_NO_FIT);

    /* Then INVAL, before CAPACITY. */
    EXPECT_INIT_REFUSED(&img, &f.s, ZEN_ZONE_NORMAL + 1u, TABLE_CAP, ZEN_ERR_INVAL);
    EXPECT_INIT_REFUSED(&img, &f.s, UINT32_MAX, 0u, ZEN_ERR_INVAL);
    EXPECT_INIT_REFUSED(&img, &bare.s, ZEN_ZONE_DMA, TABLE_CAP, ZEN_ERR_INVAL);
    EXPECT_INIT_REFUSED(&img, &bare.s, ZEN_ZONE_NORMAL, 0u, ZEN_ERR_INVAL);
    bad = test_image();
    bad.text = NULL;
    EXPECT_INIT_REFUSED(&bad, &f.s, ZEN_ZONE_DMA, 0u, ZEN_ERR_INVAL);
    bad = test_image();
    bad.rodata = NULL;
    EXPECT_INIT_REFUSED(&bad, &f.s, ZEN_ZONE_DMA, TABLE_CAP, ZEN_ERR_INVAL);
    bad = test_image();
    bad.data = NULL;
    EXPECT_INIT_REFUSED(&bad, &f.s, ZEN_ZONE_DMA, TABLE_CAP, ZEN_ERR_INVAL);

    /* Then CAPACITY: one slot short. */
    EXPECT_INIT_REFUSED(&img, &f.s, ZEN_ZONE_DMA, NSLOTS - 1u, ZEN_ERR_CAPACITY);
    EXPECT_INIT_REFUSED(&img, &f.s, ZEN_ZONE_NORMAL, 0u, ZEN_ERR_CAPACITY);

    ctx("zen_space_init success");
    /* Exactly the slots needed; the entries past them are not written. */
    zen_space sp;
    zen_pfn table[TABLE_CAP];
    memset(&sp, 0x5A, sizeof sp);
    for (unsigned i = 0; i < TABLE_CAP; i++)
        table[i] = 0x7777u;
    CHECK_ST(zen_space_init(&sp, &img, &f.s, ZEN_ZONE_DMA, table, NSLOTS, NULL), ZEN_OK);
    unsigned empty = 0, untouched = 0;
    for (unsigned i = 0; i < NSLOTS; i++)
        if (table[i] == ZEN_SPACE_NO_FRAME)
            empty++;
    for (unsigned i = NSLOTS; i < TABLE_CAP; i++)
        if (table[i] == 0x7777u)
            untouched++;
    CHECK_EQ(empty, NSLOTS);
    CHECK_EQ(untouched, TABLE_CAP - NSLOTS);
    zen_layout l;
    CHECK_ST(zen_seg_layout(&img, &l), ZEN_OK);
    CHECK(memcmp(&sp.layout, &l, sizeof l) == 0);
    CHECK_EQ(sp.brk, HEAP_BASE);
    CHECK(sp.zones == &f.s);
    CHECK_EQ(sp.max_zone, ZEN_ZONE_DMA);
    CHECK(sp.table == table);
    CHECK_EQ(sp.slots, NSLOTS);
    CHECK_EQ(sp.low_slots, LOW_SLOTS);
    CHECK(sp.load[0] == g_text && sp.load[1] == g_rodata && sp.load[2] == g_data);
    CHECK_EQ(sp.load_words[0], TEXT_WORDS);
    CHECK_EQ(sp.load_words[1], RODATA_WORDS);
    CHECK_EQ(sp.load_words[2], DATA_WORDS);
    CHECK(sp.hooks.enter == NULL && sp.hooks.leave == NULL && sp.hooks.ctx == NULL);
    CHECK_EQ(sp.stats.mapped, 0);
    CHECK_EQ(sp.stats.peak, 0);
    CHECK_EQ(sp.stats.refused, 0);
    CHECK_EQ(sp.stats.oom_count, 0);
    CHECK_EQ(sp.stats.rejected, 0);
    SP_CHECK(&sp);
    /* init takes no frame. */
    CHECK_EQ(total_free(&f), 256);

    /* Absent zones need no direct map: DMA32 and NORMAL are absent here. */
    CHECK_ST(zen_space_init(&sp, &img, &f.s, ZEN_ZONE_NORMAL, table, TABLE_CAP, NULL), ZEN_OK);
    CHECK_EQ(sp.max_zone, ZEN_ZONE_NORMAL);
    SP_CHECK(&sp);

    /* A loaded segment without bytes needs no words. */
    zen_image no_text = test_image();
    no_text.text_size = 0u;
    no_text.text = NULL;
    CHECK_ST(zen_space_init(&sp, &no_text, &f.s, ZEN_ZONE_DMA, table, TABLE_CAP, NULL), ZEN_OK);
    CHECK_EQ(sp.slots, NSLOTS - 2u);
    CHECK_EQ(sp.load_words[0], 0);
    /* RODATA now starts at page 3 and loads from the rodata words. */
    zen_fault flt = g_fault_pattern;
    CHECK_ST(zen_space_fault(&sp, P(3) + 8u, ZEN_SEG_R, ZEN_SEG_USER, &flt), ZEN_OK);
    zen_pfn pfn = 0;
    CHECK_ST(zen_space_frame_at(&sp, P(3), &pfn), ZEN_OK);
    const uint64_t *w = frame_words(&f, pfn);
    CHECK(w != NULL);
    if (w != NULL) {
        uint64_t bad_words = 0;
        for (uint64_t j = 0; j < WPF; j++)
            if (w[j] != (j < RODATA_WORDS ? g_rodata[j] : 0u))
                bad_words++;
        CHECK_EQ(bad_words, 0);
    }
    /* Text: X at page 3 is refused by RODATA now. */
    zen_fault flt2 = g_fault_pattern;
    CHECK_ST(zen_space_fault(&sp, P(3), ZEN_SEG_X, ZEN_SEG_USER, &flt2), ZEN_ERR_FAULT);
    CHECK_EQ(flt2.cause, ZEN_FAULT_PERMISSION);
    CHECK_ST(zen_space_teardown(&sp), ZEN_OK);
    CHECK_EQ(total_free(&f), 256);

    /* An image with no slot at all: capacity 0 will do. */
    zen_image none;
    memset(&none, 0, sizeof none);
    none.page_size = PAGE;
    none.top = TOP;
    table[0] = 0x7777u;
    CHECK_ST(zen_space_init(&sp, &none, &f.s, ZEN_ZONE_DMA, table, 0u, NULL), ZEN_OK);
    CHECK_EQ(sp.slots, 0);
    CHECK_EQ(table[0], 0x7777u);
    SP_CHECK(&sp);
    flt = g_fault_pattern;
    CHECK_ST(zen_space_fault(&sp, TOP - 1u, ZEN_SEG_W, ZEN_SEG_USER, &flt), ZEN_ERR_FAULT);
    CHECK_EQ(flt.cause, ZEN_FAULT_NO_SEGMENT);
    CHECK_ST(zen_space_frame_at(&sp, P(3), &pfn), ZEN_ERR_RANGE);
    CHECK_ST(zen_space_teardown(&sp), ZEN_OK);

    zfx_close(&f);
    zfx_close(&bare);
}

/* ---- zen_space_fault: refusals and answers that map nothing -------------- */

static void test_fault_refused(void)
{
    ctx("zen_space_fault refused");
    static sfx fx;
    sfx_open(&fx);
    const uint32_t R = ZEN_SEG_R, W = ZEN_SEG_W, X = ZEN_SEG_X;
    const uint32_t U = ZEN_SEG_USER, S = ZEN_SEG_SYSTEM;

    /* Unknown access or mode: INVAL before anything else, even at the NULL page. */
    EXPECT_ANSWER(&fx, TEXT_BASE, R | W, U, ZEN_ERR_INVAL);
    EXPECT_ANSWER(&fx, TEXT_BASE, 0u, U, ZEN_ERR_INVAL);
    EXPECT_ANSWER(&fx, TEXT_BASE, ZEN_SEG_S, S, ZEN_ERR_INVAL);
    EXPECT_ANSWER(&fx, TEXT_BASE, R, 2u, ZEN_ERR_INVAL);
    EXPECT_ANSWER(&fx, TEXT_BASE, R, UINT32_MAX, ZEN_ERR_INVAL);
    EXPECT_ANSWER(&fx, 0u, R | X, U, ZEN_ERR_INVAL);
    CHECK_EQ(fx.sp.stats.rejected, 6);

    /* The NULL page, in any mode. */
    EXPECT_REFUSED(&fx, 0u, R, U, ZEN_FAULT_NULL_PAGE);
    EXPECT_REFUSED(&fx, 8u, X, U, ZEN_FAULT_NULL_PAGE);
    EXPECT_REFUSED(&fx, PAGE - 1u, W, S, ZEN_FAULT_NULL_PAGE);
    /* TRAPVEC: system only (mode before permission); the kernel maps it. */
    EXPECT_REFUSED(&fx, P(1), R, U, ZEN_FAULT_MODE);
    EXPECT_REFUSED(&fx, P(1) + 10u, X, U, ZEN_FAULT_MODE);
    EXPECT_REFUSED(&fx, P(1) + 20u, W, U, ZEN_FAULT_MODE);
    EXPECT_REFUSED(&fx, P(1) + 20u, W, S, ZEN_FAULT_PERMISSION);
    EXPECT_ANSWER(&fx, P(1), R, S, ZEN_ERR_RANGE);
    EXPECT_ANSWER(&fx, P(2) - 1u, X, S, ZEN_ERR_RANGE);
    /* ZENVARS: readable, the kernel maps it. */
    EXPECT_ANSWER(&fx, P(2), R, U, ZEN_ERR_RANGE);
    EXPECT_ANSWER(&fx, P(3) - 1u, R, S, ZEN_ERR_RANGE);
    EXPECT_REFUSED(&fx, P(2) + 8u, W, U, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, P(2) + 8u, X, S, ZEN_FAULT_PERMISSION);
    /* Permissions of the image's segments. */
    EXPECT_REFUSED(&fx, TEXT_BASE, W, U, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, P(4) + 100u, W, S, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, RODATA_BASE, W, U, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, RODATA_BASE + 5u, X, U, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, DATA_BASE, X, U, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, P(8) + 4095u, X, S, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, BSS_BASE, X, U, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, COMM_BASE, X, U, ZEN_FAULT_PERMISSION);
    /* The heap above its break (empty at first), up to its reach. */
    EXPECT_REFUSED(&fx, HEAP_BASE, R, U, ZEN_FAULT_NO_SEGMENT);
    EXPECT_REFUSED(&fx, HEAP_BASE + 1u, W, S, ZEN_FAULT_NO_SEGMENT);
    EXPECT_REFUSED(&fx, HEAP_END - 1u, W, U, ZEN_FAULT_NO_SEGMENT);
    /* Past the heap's reach; DEBUG covers pages 0..19 but is never mapped. */
    EXPECT_REFUSED(&fx, HEAP_END, R, U, ZEN_FAULT_NO_SEGMENT);
    EXPECT_REFUSED(&fx, P(17), R, U, ZEN_FAULT_NO_SEGMENT);
    EXPECT_REFUSED(&fx, P(20) - 1u, R, S, ZEN_FAULT_NO_SEGMENT);
    EXPECT_REFUSED(&fx, P(100), W, U, ZEN_FAULT_NO_SEGMENT);
    /* The guard page under the stack's reach. */
    EXPECT_REFUSED(&fx, GUARD, R, U, ZEN_FAULT_NO_SEGMENT);
    EXPECT_REFUSED(&fx, STACK_FLOOR - 1u, W, U, ZEN_FAULT_NO_SEGMENT);
    EXPECT_REFUSED(&fx, STACK_FLOOR - 1u, W, S, ZEN_FAULT_NO_SEGMENT);
    /* The stack is not executable: not in it, not where it may grow (which
     * does not grow it). */
    EXPECT_REFUSED(&fx, STACK_BASE, X, U, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, STACK_FLOOR, X, U, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, P(254) + 16u, X, S, ZEN_FAULT_PERMISSION);
    /* At and past the top. */
    EXPECT_REFUSED(&fx, TOP, R, U, ZEN_FAULT_NO_SEGMENT);
    EXPECT_REFUSED(&fx, UINT64_MAX, W, S, ZEN_FAULT_NO_SEGMENT);

    CHECK_EQ(fx.sp.stats.refused, 32);
    CHECK_EQ(fx.sp.stats.mapped, 0);
    CHECK_EQ(fx.sp.layout.seg[ZEN_SEG_STACK].base, STACK_BASE);
    CHECK_EQ(total_free(&fx.z), 256);
    unsigned empty = 0;
    for (unsigned i = 0; i < NSLOTS; i++)
        if (fx.table[i] == ZEN_SPACE_NO_FRAME)
            empty++;
    CHECK_EQ(empty, NSLOTS);
    SP_CHECK(&fx.sp);
    sfx_close(&fx);
}

/* ---- zen_space_fault: mapping and filling -------------------------------- */

static void test_fault_map(void)
{
    ctx("zen_space_fault maps");
    static sfx fx;
    sfx_open(&fx);
    const uint32_t R = ZEN_SEG_R, W = ZEN_SEG_W, X = ZEN_SEG_X;
    const uint32_t U = ZEN_SEG_USER, S = ZEN_SEG_SYSTEM;

    /* TEXT: page 3 holds words 0..511, page 4 words 512..514. */
    zen_pfn text0 = MAP_OK(&fx, TEXT_BASE + 100u, X, U);
    EXPECT_FRAME(&fx, text0, g_text, WPF);
    zen_pfn text1 = MAP_OK(&fx, P(5) - 1u, R, U);
    EXPECT_FRAME(&fx, text1, g_text + 512, 3u);
    /* RODATA: 13 words, the last one half used. */
    zen_pfn ro = MAP_OK(&fx, RODATA_BASE + 8u, R, S);
    EXPECT_FRAME(&fx, ro, g_rodata, RODATA_WORDS);
    /* DATA: pages 6, 7, 8 hold words 0..511, 512..1023, 1024. The second
     * page first. */
    zen_pfn data1 = MAP_OK(&fx, P(7) + 2048u, R, U);
    EXPECT_FRAME(&fx, data1, g_data + 512, WPF);
    zen_pfn data0 = MAP_OK(&fx, DATA_BASE, W, U);
    EXPECT_FRAME(&fx, data0, g_data, WPF);
    zen_pfn data2 = MAP_OK(&fx, P(9) - 1u, W, S);
    EXPECT_FRAME(&fx, data2, g_data + 1024, 1u);
    /* Zero-filled: BSS, COMM, the heap, the stack. */
    zen_pfn bss = MAP_OK(&fx, BSS_BASE + 16u, W, U);
    EXPECT_FRAME(&fx, bss, NULL, 0u);
    zen_pfn comm = MAP_OK(&fx, COMM_BASE, R, U);
    EXPECT_FRAME(&fx, comm, NULL, 0u);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE + 100u), ZEN_OK);
    zen_pfn heap = MAP_OK(&fx, HEAP_BASE + 50u, W, U);
    EXPECT_FRAME(&fx, heap, NULL, 0u);
    zen_pfn stack = MAP_OK(&fx, TOP - 8u, W, U);
    EXPECT_FRAME(&fx, stack, NULL, 0u);

    CHECK_EQ(fx.sp.stats.mapped, 10);
    CHECK_EQ(fx.sp.stats.peak, 10);
    CHECK_EQ(total_free(&fx.z), 246);

    /* A page with a frame: OK, nothing mapped, nothing reloaded. */
    uint64_t *w = frame_words(&fx.z, text0);
    CHECK(w != NULL);
    if (w != NULL)
        w[5] = 0x1234u;
    EXPECT_ANSWER(&fx, TEXT_BASE, R, U, ZEN_OK);
    EXPECT_ANSWER(&fx, P(4) - 1u, X, S, ZEN_OK);
    if (w != NULL)
        CHECK_EQ(w[5], 0x1234u);
    EXPECT_ANSWER(&fx, P(7), W, U, ZEN_OK);
    EXPECT_ANSWER(&fx, TOP - PAGE, R, S, ZEN_OK);
    EXPECT_FRAME_AT(&fx.sp, TEXT_BASE + 4000u, ZEN_OK, text0);
    EXPECT_FRAME_AT(&fx.sp, P(7), ZEN_OK, data1);
    /* Refused accesses to a mapped page stay refused. */
    EXPECT_REFUSED(&fx, TEXT_BASE, W, U, ZEN_FAULT_PERMISSION);
    EXPECT_REFUSED(&fx, DATA_BASE, X, U, ZEN_FAULT_PERMISSION);
    CHECK_EQ(fx.sp.stats.mapped, 10);
    SP_CHECK(&fx.sp);
    ZFX_CHECK(&fx.z);
    sfx_close(&fx);
}

/* ---- stack growth -------------------------------------------------------- */

static void test_stack_growth(void)
{
    ctx("stack growth");
    static sfx fx;
    sfx_open(&fx);
    const uint32_t R = ZEN_SEG_R, W = ZEN_SEG_W;
    const uint32_t U = ZEN_SEG_USER, S = ZEN_SEG_SYSTEM;

    /* In the stack: no growth. */
    (void)MAP_OK(&fx, STACK_BASE + 8u, W, U);
    /* Page 253: the stack grows down over pages 253..255, one frame mapped. */
    zen_pfn p253 = MAP_GROWS(&fx, P(253) + 100u, W, U, P(253));
    EXPECT_FRAME(&fx, p253, NULL, 0u);
    EXPECT_FRAME_AT(&fx.sp, P(254), ZEN_ERR_NOT_ALLOCATED, 0u);
    /* Page 254 lies in the stack now. */
    (void)MAP_OK(&fx, P(254), R, U);
    /* The lowest reach itself, in system mode. */
    zen_pfn p252 = MAP_GROWS(&fx, STACK_FLOOR, R, S, STACK_FLOOR);
    EXPECT_FRAME(&fx, p252, NULL, 0u);
    /* The byte under it is the guard page's. */
    EXPECT_REFUSED(&fx, STACK_FLOOR - 1u, W, U, ZEN_FAULT_NO_SEGMENT);
    EXPECT_ANSWER(&fx, STACK_FLOOR, W, U, ZEN_OK);
    CHECK_EQ(fx.sp.stats.mapped, 4);
    CHECK_EQ(fx.sp.layout.seg[ZEN_SEG_STACK].base, STACK_FLOOR);
    CHECK_EQ(fx.sp.layout.seg[ZEN_SEG_STACK].size, P(4));
    sfx_close(&fx);

    /* From the base straight to the lowest reach: one frame, pages 253 and
     * 254 in the stack without frames. */
    sfx_open(&fx);
    (void)MAP_GROWS(&fx, STACK_FLOOR + 5u, W, U, STACK_FLOOR);
    EXPECT_FRAME_AT(&fx.sp, P(253), ZEN_ERR_NOT_ALLOCATED, 0u);
    EXPECT_FRAME_AT(&fx.sp, P(254), ZEN_ERR_NOT_ALLOCATED, 0u);
    EXPECT_FRAME_AT(&fx.sp, STACK_BASE, ZEN_ERR_NOT_ALLOCATED, 0u);
    CHECK_EQ(fx.sp.stats.mapped, 1);
    CHECK_EQ(total_free(&fx.z), 255);
    /* Pages the stack grew over map without growing it. */
    (void)MAP_OK(&fx, P(253), W, U);
    (void)MAP_OK(&fx, STACK_BASE, R, U);
    sfx_close(&fx);
}

/* ---- out of frames ------------------------------------------------------- */

static void test_oom(void)
{
    ctx("out of frames: two frames");
    static sfx fx;
    const uint32_t R = ZEN_SEG_R, W = ZEN_SEG_W;
    const uint32_t U = ZEN_SEG_USER;
    sfx_open_map(&fx, map_two, NMAP(map_two), NULL);
    CHECK_EQ(total_free(&fx.z), 2);
    (void)MAP_OK(&fx, TEXT_BASE, R, U);
    (void)MAP_OK(&fx, DATA_BASE, W, U);
    CHECK_EQ(total_free(&fx.z), 0);
    /* A fault that would grow the stack: NOMEM, the stack not grown, the
     * table as it was. */
    EXPECT_ANSWER(&fx, P(253), W, U, ZEN_ERR_NOMEM);
    CHECK_EQ(fx.sp.layout.seg[ZEN_SEG_STACK].base, STACK_BASE);
    CHECK_EQ(fx.sp.layout.seg[ZEN_SEG_STACK].size, PAGE);
    EXPECT_FRAME_AT(&fx.sp, P(253), ZEN_ERR_NOT_ALLOCATED, 0u);
    EXPECT_ANSWER(&fx, BSS_BASE, W, U, ZEN_ERR_NOMEM);
    EXPECT_ANSWER(&fx, P(4), R, U, ZEN_ERR_NOMEM);
    CHECK_EQ(fx.sp.stats.oom_count, 3);
    CHECK_EQ(fx.sp.stats.mapped, 2);
    /* A page with a frame needs none. */
    EXPECT_ANSWER(&fx, TEXT_BASE + 8u, R, U, ZEN_OK);
    SP_CHECK(&fx.sp);
    /* Frames back, the same fault succeeds. */
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    CHECK_EQ(total_free(&fx.z), 2);
    (void)MAP_GROWS(&fx, P(253), W, U, P(253));
    CHECK_EQ(fx.sp.stats.oom_count, 3);
    sfx_close(&fx);

    ctx("out of frames: zones exhausted by hand");
    sfx_open(&fx);
    zen_pfn taken[256];
    unsigned ntaken = 0;
    zen_pfn p;
    while (ntaken < 256u && zen_zone_alloc(&fx.z.s, ZEN_ZONE_DMA, 0, 0, &p) == ZEN_OK)
        taken[ntaken++] = p;
    CHECK(ntaken > 0u && ntaken < 256u);
    EXPECT_ANSWER(&fx, TEXT_BASE, R, U, ZEN_ERR_NOMEM);
    EXPECT_ANSWER(&fx, STACK_FLOOR, R, U, ZEN_ERR_NOMEM);
    CHECK_EQ(fx.sp.stats.oom_count, 2);
    CHECK_EQ(fx.sp.layout.seg[ZEN_SEG_STACK].base, STACK_BASE);
    SP_CHECK(&fx.sp);
    CHECK_ST(zen_zone_free(&fx.z.s, taken[--ntaken], 0), ZEN_OK);
    (void)MAP_GROWS(&fx, STACK_FLOOR, R, U, STACK_FLOOR);
    while (ntaken != 0u)
        CHECK_ST(zen_zone_free(&fx.z.s, taken[--ntaken], 0), ZEN_OK);
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    CHECK_EQ(total_free(&fx.z), 256);
    ZFX_CHECK(&fx.z);
    sfx_close(&fx);
}

/* ---- zen_space_frame_at -------------------------------------------------- */

static void test_frame_at(void)
{
    ctx("zen_space_frame_at");
    static sfx fx;
    sfx_open(&fx);
    /* No slot: the fixed pages, past the heap's reach, the guard page, the top. */
    const uint64_t no_slot[] = {0u, PAGE - 1u, P(1), P(2), TEXT_BASE - 1u, HEAP_END, P(17), P(100), GUARD,
                                STACK_FLOOR - 1u, TOP, TOP + PAGE, UINT64_MAX};
    for (unsigned i = 0; i < sizeof no_slot / sizeof no_slot[0]; i++)
        EXPECT_FRAME_AT(&fx.sp, no_slot[i], ZEN_ERR_RANGE, 0u);
    /* A slot without a frame: also the heap above its break, and the pages
     * the stack may grow into. */
    const uint64_t empty[] = {TEXT_BASE, RODATA_BASE + 99u, DATA_BASE, BSS_BASE, COMM_BASE, HEAP_BASE,
                              HEAP_END - 1u, STACK_FLOOR, P(254), STACK_BASE, TOP - 1u};
    for (unsigned i = 0; i < sizeof empty / sizeof empty[0]; i++)
        EXPECT_FRAME_AT(&fx.sp, empty[i], ZEN_ERR_NOT_ALLOCATED, 0u);
    /* After a fault, the whole page answers its frame, and only that page. */
    zen_pfn d = MAP_OK(&fx, DATA_BASE + 10u, ZEN_SEG_W, ZEN_SEG_USER);
    EXPECT_FRAME_AT(&fx.sp, DATA_BASE, ZEN_OK, d);
    EXPECT_FRAME_AT(&fx.sp, P(7) - 1u, ZEN_OK, d);
    EXPECT_FRAME_AT(&fx.sp, P(7), ZEN_ERR_NOT_ALLOCATED, 0u);
    EXPECT_FRAME_AT(&fx.sp, P(6) - 1u, ZEN_ERR_NOT_ALLOCATED, 0u);
    zen_pfn s = MAP_OK(&fx, TOP - 1u, ZEN_SEG_W, ZEN_SEG_USER);
    EXPECT_FRAME_AT(&fx.sp, STACK_BASE, ZEN_OK, s);
    CHECK(s != d);
    sfx_close(&fx);
}

/* ---- zen_space_brk ------------------------------------------------------- */

static void test_brk(void)
{
    ctx("zen_space_brk");
    static sfx fx;
    sfx_open(&fx);
    const uint32_t W = ZEN_SEG_W, R = ZEN_SEG_R;
    const uint32_t U = ZEN_SEG_USER;
    zen_segment *heap = &fx.sp.layout.seg[ZEN_SEG_HEAP];

    EXPECT_BRK_REFUSED(&fx, HEAP_BASE - 1u, ZEN_ERR_INVAL);
    EXPECT_BRK_REFUSED(&fx, 0u, ZEN_ERR_INVAL);
    EXPECT_BRK_REFUSED(&fx, HEAP_END + 1u, ZEN_ERR_NO_FIT);
    EXPECT_BRK_REFUSED(&fx, UINT64_MAX, ZEN_ERR_NO_FIT);
    CHECK_EQ(fx.sp.stats.rejected, 4);

    /* Up to the reach exactly. */
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_END), ZEN_OK);
    CHECK_EQ(fx.sp.brk, HEAP_END);
    CHECK_EQ(heap->base, HEAP_BASE);
    CHECK_EQ(heap->size, P(4));
    SP_CHECK(&fx.sp);
    zen_pfn top_page = MAP_OK(&fx, HEAP_END - 1u, W, U);
    EXPECT_FRAME(&fx, top_page, NULL, 0u);
    /* Back to empty: that page's frame goes back. */
    uint64_t free0 = total_free(&fx.z);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE), ZEN_OK);
    CHECK_EQ(fx.sp.brk, HEAP_BASE);
    CHECK_EQ(heap->size, 0);
    CHECK_EQ(total_free(&fx.z), free0 + 1u);
    CHECK_EQ(fx.sp.stats.mapped, 0);
    EXPECT_FRAME_AT(&fx.sp, HEAP_END - 1u, ZEN_ERR_NOT_ALLOCATED, 0u);
    SP_CHECK(&fx.sp);

    /* One byte: a whole page; the page above stays out. */
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE + 1u), ZEN_OK);
    CHECK_EQ(heap->size, PAGE);
    SP_CHECK(&fx.sp);
    zen_pfn h0 = MAP_OK(&fx, HEAP_BASE + 4000u, W, U);
    EXPECT_REFUSED(&fx, HEAP_BASE + PAGE, W, U, ZEN_FAULT_NO_SEGMENT);
    /* A page and a byte: two pages; a byte of the second past the break
     * is in the heap. */
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE + PAGE + 1u), ZEN_OK);
    CHECK_EQ(heap->size, P(2));
    zen_pfn h1 = MAP_OK(&fx, HEAP_BASE + PAGE + 2000u, W, U);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE + P(3)), ZEN_OK);
    CHECK_EQ(heap->size, P(3));
    zen_pfn h2 = MAP_OK(&fx, HEAP_BASE + P(2), R, U);
    CHECK_EQ(fx.sp.stats.mapped, 3);

    /* Shrink to 10 bytes: pages 1 and 2 of the heap give their frames back,
     * page 0 keeps its frame and its words. */
    uint64_t *w0 = frame_words(&fx.z, h0);
    CHECK(w0 != NULL);
    if (w0 != NULL)
        w0[7] = 0xABCDu;
    free0 = total_free(&fx.z);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE + 10u), ZEN_OK);
    CHECK_EQ(fx.sp.brk, HEAP_BASE + 10u);
    CHECK_EQ(heap->size, PAGE);
    CHECK_EQ(total_free(&fx.z), free0 + 2u);
    CHECK_EQ(fx.sp.stats.mapped, 1);
    CHECK_EQ(fx.sp.stats.peak, 3);
    EXPECT_FRAME_AT(&fx.sp, HEAP_BASE, ZEN_OK, h0);
    EXPECT_FRAME_AT(&fx.sp, HEAP_BASE + PAGE, ZEN_ERR_NOT_ALLOCATED, 0u);
    EXPECT_FRAME_AT(&fx.sp, HEAP_BASE + P(2), ZEN_ERR_NOT_ALLOCATED, 0u);
    zen_zone_block b;
    CHECK_ST(zen_zone_block_of(&fx.z.s, h1, &b), ZEN_ERR_NOT_ALLOCATED);
    CHECK_ST(zen_zone_block_of(&fx.z.s, h2, &b), ZEN_ERR_NOT_ALLOCATED);
    CHECK_ST(zen_zone_block_of(&fx.z.s, h0, &b), ZEN_OK);
    if (w0 != NULL)
        CHECK_EQ(w0[7], 0xABCDu);
    EXPECT_REFUSED(&fx, HEAP_BASE + PAGE, R, U, ZEN_FAULT_NO_SEGMENT);
    EXPECT_ANSWER(&fx, HEAP_BASE + 4095u, R, U, ZEN_OK);
    SP_CHECK(&fx.sp);
    ZFX_CHECK(&fx.z);

    /* Moves inside the same page free nothing. */
    free0 = total_free(&fx.z);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE + PAGE), ZEN_OK);
    CHECK_EQ(heap->size, PAGE);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE + 1u), ZEN_OK);
    CHECK_EQ(heap->size, PAGE);
    CHECK_EQ(fx.sp.brk, HEAP_BASE + 1u);
    CHECK_EQ(total_free(&fx.z), free0);
    EXPECT_FRAME_AT(&fx.sp, HEAP_BASE, ZEN_OK, h0);
    SP_CHECK(&fx.sp);

    /* Errors leave the break where it is. */
    EXPECT_BRK_REFUSED(&fx, HEAP_BASE - PAGE, ZEN_ERR_INVAL);
    EXPECT_BRK_REFUSED(&fx, HEAP_END + PAGE, ZEN_ERR_NO_FIT);
    CHECK_EQ(fx.sp.brk, HEAP_BASE + 1u);

    /* To the base: the last heap frame goes back; grown again, the pages
     * come back without frames, and a new fault gives a zeroed one. */
    free0 = total_free(&fx.z);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE), ZEN_OK);
    CHECK_EQ(heap->size, 0);
    CHECK_EQ(total_free(&fx.z), free0 + 1u);
    CHECK_EQ(fx.sp.stats.mapped, 0);
    CHECK_ST(zen_zone_block_of(&fx.z.s, h0, &b), ZEN_ERR_NOT_ALLOCATED);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE + P(2)), ZEN_OK);
    CHECK_EQ(heap->size, P(2));
    EXPECT_FRAME_AT(&fx.sp, HEAP_BASE, ZEN_ERR_NOT_ALLOCATED, 0u);
    EXPECT_FRAME_AT(&fx.sp, HEAP_BASE + PAGE, ZEN_ERR_NOT_ALLOCATED, 0u);
    zen_pfn again = MAP_OK(&fx, HEAP_BASE, R, U);
    EXPECT_FRAME(&fx, again, NULL, 0u);
    /* The other segments do not move. */
    CHECK_EQ(fx.sp.layout.seg[ZEN_SEG_COMM].base, COMM_BASE);
    CHECK_EQ(fx.sp.layout.seg[ZEN_SEG_STACK].base, STACK_BASE);
    CHECK_EQ(fx.sp.layout.heap_end, HEAP_END);
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    CHECK_EQ(total_free(&fx.z), 256);
    sfx_close(&fx);
}

/* ---- zen_space_teardown -------------------------------------------------- */

static void test_teardown(void)
{
    ctx("zen_space_teardown");
    static sfx fx;
    sfx_open(&fx);
    const uint32_t R = ZEN_SEG_R, W = ZEN_SEG_W, X = ZEN_SEG_X;
    const uint32_t U = ZEN_SEG_USER;
    uint64_t before[ZEN_ZONE_COUNT];
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        before[z] = zfree(&fx.z, z);

    /* An empty space tears down to itself. */
    ssnap n;
    snap(&n, &fx);
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    CHECK(same_space(&n, &fx, 1));
    stats_delta_(&n, &fx, 0, 0, 0, 0, __FILE__, __LINE__);

    /* Every slot: every kind of segment. */
    (void)MAP_OK(&fx, TEXT_BASE, X, U);
    (void)MAP_OK(&fx, P(4), R, U);
    (void)MAP_OK(&fx, RODATA_BASE, R, U);
    (void)MAP_OK(&fx, DATA_BASE, W, U);
    (void)MAP_OK(&fx, P(7), W, U);
    (void)MAP_OK(&fx, P(8), R, U);
    (void)MAP_OK(&fx, BSS_BASE, W, U);
    (void)MAP_OK(&fx, COMM_BASE, W, U);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_END), ZEN_OK);
    for (uint64_t pg = 11; pg < 15; pg++)
        (void)MAP_OK(&fx, P(pg), W, U);
    (void)MAP_OK(&fx, STACK_BASE, W, U);
    (void)MAP_GROWS(&fx, P(254), W, U, P(254));
    (void)MAP_GROWS(&fx, P(253), W, U, P(253));
    (void)MAP_GROWS(&fx, STACK_FLOOR, W, U, STACK_FLOOR);
    CHECK_EQ(fx.sp.stats.mapped, NSLOTS);
    CHECK_EQ(total_free(&fx.z), 256u - NSLOTS);
    SP_CHECK(&fx.sp);

    zen_layout layout = fx.sp.layout;
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    unsigned empty = 0;
    for (unsigned i = 0; i < NSLOTS; i++)
        if (fx.table[i] == ZEN_SPACE_NO_FRAME)
            empty++;
    CHECK_EQ(empty, NSLOTS);
    CHECK_EQ(fx.sp.stats.mapped, 0);
    CHECK_EQ(fx.sp.stats.peak, NSLOTS);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        CHECK_EQ(zfree(&fx.z, z), before[z]);
    ZFX_CHECK(&fx.z);
    /* The layout stays: the break and the grown stack. */
    CHECK(memcmp(&layout, &fx.sp.layout, sizeof layout) == 0);
    CHECK_EQ(fx.sp.brk, HEAP_END);
    SP_CHECK(&fx.sp);

    /* The space faults again, and loads afresh into frames that held
     * other words. */
    zfx_dirty(&fx.z);
    zen_pfn t1 = MAP_OK(&fx, P(4) + 8u, R, U);
    EXPECT_FRAME(&fx, t1, g_text + 512, 3u);
    zen_pfn s = MAP_OK(&fx, STACK_FLOOR, W, U);
    EXPECT_FRAME(&fx, s, NULL, 0u);
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    CHECK_EQ(fx.sp.stats.mapped, 0);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        CHECK_EQ(zfree(&fx.z, z), before[z]);
    SP_CHECK(&fx.sp);
    sfx_close(&fx);
}

/* ---- zen_space_check ----------------------------------------------------- */

static void test_check_detects(void)
{
    ctx("zen_space_check detects");
    static sfx fx;
    sfx_open(&fx);
    const uint32_t W = ZEN_SEG_W, R = ZEN_SEG_R;
    const uint32_t U = ZEN_SEG_USER;
    SP_CHECK(&fx.sp);
    zen_pfn text0 = MAP_OK(&fx, TEXT_BASE, R, U);      /* slot 0 */
    zen_pfn data0 = MAP_OK(&fx, DATA_BASE, W, U);      /* slot 3 */
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_BASE + 1u), ZEN_OK);
    (void)MAP_OK(&fx, HEAP_BASE, W, U);                /* slot 8 */
    (void)MAP_OK(&fx, STACK_BASE, W, U);               /* slot 15 */
    SP_CHECK(&fx.sp);

    zen_space saved = fx.sp;
    zen_pfn saved_table[TABLE_CAP];
    memcpy(saved_table, fx.table, sizeof saved_table);
#define RESTORE()                                                 \
    do {                                                          \
        fx.sp = saved;                                            \
        memcpy(fx.table, saved_table, sizeof saved_table);        \
        SP_CHECK(&fx.sp);                                         \
    } while (0)
    /* One more slot with a frame, counted. */
#define ADD(slot, pfn)                                            \
    do {                                                          \
        fx.table[(slot)] = (pfn);                                 \
        fx.sp.stats.mapped++;                                     \
        fx.sp.stats.peak++;                                       \
    } while (0)

    zen_pfn q = 0;
    CHECK_ST(zen_zone_alloc(&fx.z.s, ZEN_ZONE_DMA, 0, 0, &q), ZEN_OK);

    /* OUTSIDE: an allocated frame for the heap's page 1 (above the break),
     * for the stack's reach under its base. */
    ADD(9, q);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_OUTSIDE, 9);
    RESTORE();
    ADD(11, q);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_OUTSIDE, 11);
    RESTORE();
    ADD(12, q);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_OUTSIDE, 12);
    RESTORE();
    ADD(14, q);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_OUTSIDE, 14);
    RESTORE();
    /* The same frame in a page of a segment is only one more mapping. */
    ADD(1, q);
    SP_CHECK(&fx.sp);
    RESTORE();

    /* FRAME: a free frame, a frame in no zone, the head and a tail of an
     * order-1 block. */
    zen_pfn r = 0;
    CHECK_ST(zen_zone_alloc(&fx.z.s, ZEN_ZONE_DMA, 0, 0, &r), ZEN_OK);
    CHECK_ST(zen_zone_free(&fx.z.s, r, 0), ZEN_OK);
    ADD(1, r);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_FRAME, 1);
    RESTORE();
    ADD(6, r);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_FRAME, 6);
    RESTORE();
    ADD(1, 5u);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_FRAME, 1);
    RESTORE();
    ADD(2, ZEN_PFN_LIMIT - 1u);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_FRAME, 2);
    RESTORE();
    zen_pfn o1 = 0;
    CHECK_ST(zen_zone_alloc(&fx.z.s, ZEN_ZONE_DMA, 1, 0, &o1), ZEN_OK);
    ADD(4, o1);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_FRAME, 4);
    RESTORE();
    ADD(4, o1 + 1u);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_FRAME, 4);
    RESTORE();
    CHECK_ST(zen_zone_free(&fx.z.s, o1, 1), ZEN_OK);
    /* A slot's frame freed behind the space's back. */
    CHECK_ST(zen_zone_free(&fx.z.s, data0, 0), ZEN_OK);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_FRAME, 3);
    /* Take it back: allocate until the zones hand it out, return the rest. */
    zen_pfn others[256];
    unsigned nothers = 0;
    int found = 0;
    while (!found && nothers < 256u) {
        zen_pfn back = 0;
        if (zen_zone_alloc(&fx.z.s, ZEN_ZONE_DMA, 0, ZEN_ZONE_ATOMIC, &back) != ZEN_OK)
            break;
        if (back == data0)
            found = 1;
        else
            others[nothers++] = back;
    }
    CHECK(found);
    while (nothers != 0u)
        CHECK_ST(zen_zone_free(&fx.z.s, others[--nothers], 0), ZEN_OK);
    SP_CHECK(&fx.sp);

    /* SHARED: reported at the first of the two slots. */
    ADD(1, data0);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_SHARED, 1);
    RESTORE();
    ADD(4, text0);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_SHARED, 0);
    RESTORE();
    ADD(7, text0);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_SHARED, 0);
    RESTORE();

    /* COUNT: mapped off by one either way, mapped above peak. */
    fx.sp.stats.mapped++;
    fx.sp.stats.peak++;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_COUNT, NO_SLOT);
    RESTORE();
    fx.sp.stats.mapped--;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_COUNT, NO_SLOT);
    RESTORE();
    fx.sp.stats.peak = fx.sp.stats.mapped - 1u;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_COUNT, NO_SLOT);
    RESTORE();
    /* An empty slot forgotten by the count. */
    fx.table[0] = ZEN_SPACE_NO_FRAME;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_COUNT, NO_SLOT);
    RESTORE();

    /* LAYOUT: the heap's size not its break's pages; the break out of
     * range; the stack not ending at the top, misaligned, under its reach. */
    fx.sp.layout.seg[ZEN_SEG_HEAP].size += PAGE;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_LAYOUT, NO_SLOT);
    RESTORE();
    fx.sp.layout.seg[ZEN_SEG_HEAP].size = 0u;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_LAYOUT, NO_SLOT);
    RESTORE();
    fx.sp.brk = HEAP_BASE + PAGE + 1u;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_LAYOUT, NO_SLOT);
    RESTORE();
    fx.sp.brk = HEAP_BASE - 1u;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_LAYOUT, NO_SLOT);
    RESTORE();
    fx.sp.brk = HEAP_END + 1u;
    fx.sp.layout.seg[ZEN_SEG_HEAP].size = P(5);
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_LAYOUT, NO_SLOT);
    RESTORE();
    fx.sp.layout.seg[ZEN_SEG_STACK].size += PAGE;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_LAYOUT, NO_SLOT);
    RESTORE();
    fx.sp.layout.seg[ZEN_SEG_STACK].base -= 8u;
    fx.sp.layout.seg[ZEN_SEG_STACK].size += 8u;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_LAYOUT, NO_SLOT);
    RESTORE();
    fx.sp.layout.seg[ZEN_SEG_STACK].base = GUARD;
    fx.sp.layout.seg[ZEN_SEG_STACK].size = TOP - GUARD;
    EXPECT_CORRUPT(&fx.sp, ZEN_SPACE_INV_LAYOUT, NO_SLOT);
    RESTORE();
#undef ADD
#undef RESTORE

    CHECK_ST(zen_zone_free(&fx.z.s, q, 0), ZEN_OK);
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    CHECK_EQ(total_free(&fx.z), 256);
    ZFX_CHECK(&fx.z);
    sfx_close(&fx);
}

/* ---- max_zone ------------------------------------------------------------ */

static void test_max_zone(void)
{
    ctx("max_zone");
    static zfx f;
    zfx_open(&f, map_dma32, NMAP(map_dma32), 1u); /* DMA32 without a direct map */
    zen_image img = test_image();
    EXPECT_INIT_REFUSED(&img, &f.s, ZEN_ZONE_DMA32, TABLE_CAP, ZEN_ERR_INVAL);
    EXPECT_INIT_REFUSED(&img, &f.s, ZEN_ZONE_NORMAL, TABLE_CAP, ZEN_ERR_INVAL);
    static zen_space low, high;
    static zen_pfn tlow[TABLE_CAP], thigh[TABLE_CAP];
    CHECK_ST(zen_space_init(&low, &img, &f.s, ZEN_ZONE_DMA, tlow, TABLE_CAP, NULL), ZEN_OK);
    zfx_attach(&f, ZEN_ZONE_DMA32);
    CHECK_ST(zen_space_init(&high, &img, &f.s, ZEN_ZONE_NORMAL, thigh, TABLE_CAP, NULL), ZEN_OK);
    const uint64_t dma0 = zfree(&f, ZEN_ZONE_DMA), dma32_0 = zfree(&f, ZEN_ZONE_DMA32);

    /* Two spaces on one zone set: the low one takes DMA frames only, the
     * other the highest zone that has one (DMA32). */
    zen_fault flt = g_fault_pattern;
    zen_pfn pl = 0, ph = 0;
    CHECK_ST(zen_space_fault(&low, DATA_BASE, ZEN_SEG_W, ZEN_SEG_USER, &flt), ZEN_OK);
    CHECK_ST(zen_space_fault(&high, DATA_BASE, ZEN_SEG_W, ZEN_SEG_USER, &flt), ZEN_OK);
    CHECK_ST(zen_space_frame_at(&low, DATA_BASE, &pl), ZEN_OK);
    CHECK_ST(zen_space_frame_at(&high, DATA_BASE, &ph), ZEN_OK);
    CHECK(pl >= 256u && pl < 272u);
    CHECK(ph >= 4096u && ph < 4112u);
    CHECK(fault_untouched(&flt));
    /* Both loaded their image words, each through its own zone's map. */
    const uint64_t *wl = frame_words(&f, pl), *wh = frame_words(&f, ph);
    CHECK(wl != NULL && wh != NULL);
    if (wl != NULL && wh != NULL) {
        CHECK_EQ(wl[0], g_data[0]);
        CHECK_EQ(wh[511], g_data[511]);
    }
    CHECK_EQ(zfree(&f, ZEN_ZONE_DMA), dma0 - 1u);
    CHECK_EQ(zfree(&f, ZEN_ZONE_DMA32), dma32_0 - 1u);
    SP_CHECK(&low);
    SP_CHECK(&high);

    /* A frame of a zone above max_zone in the low space: FRAME. The high
     * space's frame in its own table is fine there. */
    zen_pfn q = 0;
    CHECK_ST(zen_zone_alloc(&f.s, ZEN_ZONE_DMA32, 0, 0, &q), ZEN_OK);
    CHECK(q >= 4096u);
    tlow[0] = q;
    low.stats.mapped++;
    low.stats.peak++;
    EXPECT_CORRUPT(&low, ZEN_SPACE_INV_FRAME, 0);
    tlow[0] = ZEN_SPACE_NO_FRAME;
    low.stats.mapped--;
    low.stats.peak--;
    SP_CHECK(&low);
    CHECK_ST(zen_zone_free(&f.s, q, 0), ZEN_OK);

    CHECK_ST(zen_space_teardown(&low), ZEN_OK);
    CHECK_ST(zen_space_teardown(&high), ZEN_OK);
    CHECK_EQ(zfree(&f, ZEN_ZONE_DMA), dma0);
    CHECK_EQ(zfree(&f, ZEN_ZONE_DMA32), dma32_0);
    ZFX_CHECK(&f);
    zfx_close(&f);
}

/* ---- hooks --------------------------------------------------------------- */

typedef struct hk {
    unsigned enter, leave, depth, bad;
    const zen_space *sp;      /* when set, the hooks read its mapped count */
    uint64_t mapped_at_enter; /* stats.mapped when enter ran */
    uint64_t mapped_at_leave; /* stats.mapped when leave ran */
} hk;

static void hk_enter(void *c)
{
    hk *h = c;
    if (h->depth != 0u)
        h->bad++;
    h->depth++;
    h->enter++;
    if (h->sp != NULL)
        h->mapped_at_enter = h->sp->stats.mapped;
}

static void hk_leave(void *c)
{
    hk *h = c;
    if (h->depth != 1u)
        h->bad++;
    h->depth--;
    h->leave++;
    if (h->sp != NULL)
        h->mapped_at_leave = h->sp->stats.mapped;
}

static void expect_hooked_(hk *h, zen_status got, zen_status want, unsigned e0, unsigned l0, unsigned times,
                           const char *call, const char *file, int line)
{
    check_st_(got, want, call, file, line);
    check_eq_(h->enter, e0 + times, "enter calls", "want", file, line);
    check_eq_(h->leave, l0 + times, "leave calls", "want", file, line);
    check_eq_(h->depth, 0, "depth", "0", file, line);
    check_eq_(h->bad, 0, "nesting errors", "0", file, line);
}
#define EXPECT_HOOKS_N(h, call, want, n)                                                  \
    do {                                                                                  \
        unsigned e0_ = (h)->enter, l0_ = (h)->leave;                                      \
        zen_status st_ = (call);                                                          \
        expect_hooked_((h), st_, (want), e0_, l0_, (n), #call, __FILE__, __LINE__);       \
    } while (0)
#define EXPECT_HOOKED(h, call, want) EXPECT_HOOKS_N((h), (call), (want), 1u)
#define EXPECT_UNHOOKED(h, call, want) EXPECT_HOOKS_N((h), (call), (want), 0u)

static void test_hooks(void)
{
    ctx("hooks");
    static sfx fx;
    hk h;
    memset(&h, 0, sizeof h);
    const zen_hooks hooks = {hk_enter, hk_leave, &h};
    const uint32_t R = ZEN_SEG_R, W = ZEN_SEG_W;
    const uint32_t U = ZEN_SEG_USER, S = ZEN_SEG_SYSTEM;
    zen_fault flt;
    zen_pfn pfn;
    zen_space_check_report rep;

    /* init copies the hooks and calls neither. */
    sfx_open_map(&fx, map_two, NMAP(map_two), &hooks);
    CHECK_EQ(h.enter, 0);
    CHECK_EQ(h.leave, 0);
    CHECK(fx.sp.hooks.enter == hk_enter && fx.sp.hooks.leave == hk_leave && fx.sp.hooks.ctx == &h);
    h.sp = &fx.sp;

    /* A fault that maps: enter before the frame is recorded, leave after. */
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, TEXT_BASE, R, U, &flt), ZEN_OK);
    CHECK_EQ(h.mapped_at_enter, 0);
    CHECK_EQ(h.mapped_at_leave, 1);
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, TEXT_BASE, R, U, &flt), ZEN_OK);
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, TEXT_BASE, R | W, U, &flt), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, TEXT_BASE, R, 7u, &flt), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, 0u, R, U, &flt), ZEN_ERR_FAULT);
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, P(1), R, S, &flt), ZEN_ERR_RANGE);
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, P(253), W, U, &flt), ZEN_OK); /* grows, last frame */
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, DATA_BASE, W, U, &flt), ZEN_ERR_NOMEM);
    CHECK_EQ(h.mapped_at_enter, 2);
    CHECK_EQ(h.mapped_at_leave, 2);

    /* brk: growth, errors, and a shrink that gives frames back. */
    EXPECT_HOOKED(&h, zen_space_brk(&fx.sp, HEAP_BASE + P(2)), ZEN_OK);
    EXPECT_HOOKED(&h, zen_space_brk(&fx.sp, HEAP_BASE - 1u), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_space_brk(&fx.sp, HEAP_END + 1u), ZEN_ERR_NO_FIT);
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, HEAP_BASE + PAGE, W, U, &flt), ZEN_OK);
    EXPECT_HOOKED(&h, zen_space_brk(&fx.sp, HEAP_BASE + 1u), ZEN_OK);
    CHECK_EQ(h.mapped_at_enter, 1);
    CHECK_EQ(h.mapped_at_leave, 0);

    /* teardown, of a full and of an empty space. */
    EXPECT_HOOKED(&h, zen_space_fault(&fx.sp, BSS_BASE, W, U, &flt), ZEN_OK);
    EXPECT_HOOKED(&h, zen_space_teardown(&fx.sp), ZEN_OK);
    CHECK_EQ(h.mapped_at_enter, 1);
    CHECK_EQ(h.mapped_at_leave, 0);
    EXPECT_HOOKED(&h, zen_space_teardown(&fx.sp), ZEN_OK);

    /* Reads call no hook. */
    EXPECT_UNHOOKED(&h, zen_space_frame_at(&fx.sp, TEXT_BASE, &pfn), ZEN_ERR_NOT_ALLOCATED);
    EXPECT_UNHOOKED(&h, zen_space_frame_at(&fx.sp, 0u, &pfn), ZEN_ERR_RANGE);
    EXPECT_UNHOOKED(&h, zen_space_check(&fx.sp, &rep), ZEN_OK);
    sfx_close(&fx);

    /* Only one of the two set: only it is called. */
    memset(&h, 0, sizeof h);
    const zen_hooks enter_only = {hk_enter, NULL, &h};
    sfx_open_map(&fx, map_one, NMAP(map_one), &enter_only);
    CHECK_ST(zen_space_fault(&fx.sp, TEXT_BASE, R, U, &flt), ZEN_OK);
    CHECK_ST(zen_space_fault(&fx.sp, DATA_BASE, R, U, &flt), ZEN_ERR_NOMEM);
    CHECK_ST(zen_space_brk(&fx.sp, HEAP_END), ZEN_OK);
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    CHECK_EQ(h.enter, 4);
    CHECK_EQ(h.leave, 0);
    sfx_close(&fx);

    memset(&h, 0, sizeof h);
    h.depth = 1u; /* leave alone: each call finds depth 1 and leaves it 0 */
    const zen_hooks leave_only = {NULL, hk_leave, &h};
    sfx_open_map(&fx, map_one, NMAP(map_one), &leave_only);
    CHECK_ST(zen_space_fault(&fx.sp, TEXT_BASE, R, U, &flt), ZEN_OK);
    CHECK_EQ(h.leave, 1);
    CHECK_EQ(h.enter, 0);
    sfx_close(&fx);

    /* NULL functions with a context: nothing is called, all works. */
    const zen_hooks none = {NULL, NULL, &h};
    sfx_open_map(&fx, map_one, NMAP(map_one), &none);
    CHECK_ST(zen_space_fault(&fx.sp, TEXT_BASE, R, U, &flt), ZEN_OK);
    CHECK_ST(zen_space_teardown(&fx.sp), ZEN_OK);
    SP_CHECK(&fx.sp);
    sfx_close(&fx);
}

/* ========================================================================== */

int main(void)
{
    fill_image_words();
    test_constants();
    test_slots();
    test_init();
    test_fault_refused();
    test_fault_map();
    test_stack_growth();
    test_oom();
    test_frame_at();
    test_brk();
    test_teardown();
    test_check_detects();
    test_max_zone();
    test_hooks();
    printf("%lu checks passed, %lu failed\n", g_passed, g_failed);
    return g_failed == 0u ? 0 : 1;
}
