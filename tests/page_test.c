/* Unit and property tests of the Zen page allocator (core/zen_page.h).
 *
 * No framework: CHECK counts one passed or failed check, the program prints
 * "N passed, N failed" last and exits non-zero when anything failed.
 *
 * Everything here is derived from the public header: the policy (smallest
 * sufficient order, lowest address, keep the lower half, XOR-buddy merging up
 * to ZEN_PAGE_MAX_ORDER), the error of each bad input and the rule that an
 * error leaves the allocator as it was except for `rejected` (and `oom_count`
 * for ZEN_ERR_NOMEM), and the documented layout of the bitmap words. The
 * property tests drive the allocator and a small reference model side by side
 * (the model keeps only which frames are usable and which are allocated, and
 * derives the free blocks from that) and compare every status, every returned
 * pfn, every descriptor, every bitmap word and every counter after every
 * operation, with zen_page_check() run after each one too.
 *
 * White-box writes to the descriptor and bitmap arrays (they belong to the
 * caller) are used only to reach a refcount of UINT32_MAX quickly and to
 * corrupt the metadata on purpose for the checker tests. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zen_page.h"

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
    if (g_failed <= 60)
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
    if (g_failed <= 60)
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
        "ZEN_ERR_BUSY", "ZEN_ERR_CORRUPT"};
    unsigned i = (unsigned)s;
    return i < sizeof names / sizeof names[0] ? names[i] : "(unknown status)";
}

static const char *inv_name(uint32_t inv)
{
    static const char *const names[] = {
        "NONE", "FRAME_STATE", "HEAD_ALIGN", "TAIL", "REFCOUNT",
        "NOT_MAXIMAL", "BITMAP", "SUMMARY", "COUNTS"};
    return inv < sizeof names / sizeof names[0] ? names[inv] : "(unknown invariant)";
}

static int check_st_(zen_status got, zen_status want, const char *call, const char *file, int line)
{
    if (got == want) {
        g_passed++;
        return 1;
    }
    g_failed++;
    if (g_failed <= 60)
        fprintf(stderr, "%s:%d: FAILED [%s]: %s returned %s, want %s\n", file, line, g_ctx,
                call, status_name(got), status_name(want));
    return 0;
}

#define CHECK(c) check_((c) ? 1 : 0, #c, __FILE__, __LINE__)
#define CHECK_EQ(x, y) check_eq_((uint64_t)(x), (uint64_t)(y), #x, #y, __FILE__, __LINE__)
#define CHECK_ST(call, want) check_st_((call), (want), #call, __FILE__, __LINE__)

static void ctx(const char *fmt, const char *name, uint64_t a, uint64_t b)
{
    snprintf(g_ctx, sizeof g_ctx, fmt, name, a, b);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1u, size ? size : 1u);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

/* splitmix64: small, seeded, reproducible. */
static uint64_t g_rng;
static uint64_t rnd(void)
{
    uint64_t z = (g_rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}
static uint64_t rnd_below(uint64_t n) { return n ? rnd() % n : 0u; }

#define BLOCK(k) ((uint64_t)1 << (k))

/* ---- fixture ------------------------------------------------------------- */

typedef struct fx {
    zen_page_allocator a;
    zen_page_frame *frames;
    uint64_t *words;
    uint64_t nwords;
    uint64_t *memory;
    zen_pfn start;
    uint64_t n;
} fx;

static void fx_open(fx *f, zen_pfn start, uint64_t n, int with_memory)
{
    memset(f, 0, sizeof *f);
    f->start = start;
    f->n = n;
    f->nwords = zen_page_bitmap_words(start, n);
    CHECK(f->nwords != 0u);
    f->frames = xcalloc((size_t)n, sizeof *f->frames);
    f->words = xcalloc((size_t)f->nwords, sizeof *f->words);
    if (with_memory)
        f->memory = xcalloc((size_t)(n * ZEN_PAGE_WORDS_PER_FRAME), sizeof(uint64_t));
    CHECK_ST(zen_page_init(&f->a, start, n, f->frames, f->words, f->nwords, f->memory, NULL),
             ZEN_OK);
}

static void fx_close(fx *f)
{
    free(f->frames);
    free(f->words);
    free(f->memory);
    memset(f, 0, sizeof *f);
}

static zen_page_frame *fr(fx *f, zen_pfn pfn) { return &f->frames[pfn - f->start]; }

static int fx_check(fx *f, const char *where)
{
    zen_page_check_report r;
    memset(&r, 0xA5, sizeof r);
    zen_status st = zen_page_check(&f->a, &r);
    if (st == ZEN_OK && r.invariant == ZEN_INV_NONE)
        return check_(1, where, __FILE__, __LINE__);
    char msg[240];
    snprintf(msg, sizeof msg, "zen_page_check after %s: %s, invariant %s at pfn %" PRIu64,
             where, status_name(st), inv_name(r.invariant), r.pfn);
    return check_(0, msg, __FILE__, __LINE__);
}

static zen_pfn fx_alloc(fx *f, unsigned order)
{
    zen_pfn p = UINT64_MAX;
    CHECK_ST(zen_page_alloc(&f->a, order, 0, &p), ZEN_OK);
    fx_check(f, "alloc");
    return p;
}

static void fx_free(fx *f, zen_pfn p, unsigned order)
{
    CHECK_ST(zen_page_free(&f->a, p, order), ZEN_OK);
    fx_check(f, "free");
}

/* ---- snapshots: "an error changes nothing but the counters" -------------- */

typedef struct snap {
    zen_page_allocator a;
    zen_page_frame *frames;
    uint64_t *words;
    uint64_t *memory;
    size_t membytes;
} snap;

static void snap_take(snap *s, const fx *f)
{
    s->a = f->a;
    s->frames = xcalloc((size_t)f->n, sizeof *s->frames);
    memcpy(s->frames, f->frames, (size_t)f->n * sizeof *s->frames);
    s->words = xcalloc((size_t)f->nwords, sizeof *s->words);
    memcpy(s->words, f->words, (size_t)f->nwords * sizeof *s->words);
    s->memory = NULL;
    s->membytes = 0;
    if (f->memory != NULL) {
        s->membytes = (size_t)(f->n * ZEN_PAGE_SIZE);
        s->memory = xcalloc(s->membytes, 1);
        memcpy(s->memory, f->memory, s->membytes);
    }
}

static void snap_drop(snap *s)
{
    free(s->frames);
    free(s->words);
    free(s->memory);
}

/* Everything as in the snapshot except rejected (+dr) and oom_count (+doom). */
static int snap_same(const snap *s, const fx *f, uint64_t dr, uint64_t doom)
{
    const zen_page_allocator *x = &s->a, *y = &f->a;
    int ok = x->start == y->start && x->nframes == y->nframes && x->frames == y->frames &&
             x->words == y->words && x->nwords == y->nwords && x->memory == y->memory;
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++) {
        ok = ok && x->tree[k].levels == y->tree[k].levels;
        for (unsigned l = 0; l < ZEN_BITMAP_MAX_LEVELS; l++)
            ok = ok && x->tree[k].offset[l] == y->tree[k].offset[l] &&
                 x->tree[k].length[l] == y->tree[k].length[l];
    }
    zen_page_stats want = x->stats;
    want.rejected += dr;
    want.oom_count += doom;
    if (memcmp(&want, &y->stats, sizeof want) != 0) {
        fprintf(stderr, "  stats differ: rejected %" PRIu64 "/%" PRIu64 " oom %" PRIu64
                "/%" PRIu64 " free %" PRIu64 "/%" PRIu64 "\n",
                want.rejected, y->stats.rejected, want.oom_count, y->stats.oom_count,
                want.free_frames, y->stats.free_frames);
        ok = 0;
    }
    if (memcmp(s->frames, f->frames, (size_t)f->n * sizeof *s->frames) != 0) {
        fprintf(stderr, "  descriptors differ\n");
        ok = 0;
    }
    if (memcmp(s->words, f->words, (size_t)f->nwords * sizeof *s->words) != 0) {
        fprintf(stderr, "  bitmap words differ\n");
        ok = 0;
    }
    if (s->memory != NULL && memcmp(s->memory, f->memory, s->membytes) != 0) {
        fprintf(stderr, "  direct-map memory differs\n");
        ok = 0;
    }
    return ok;
}

/* The call must fail with `want` and change nothing but `rejected` (+1). */
#define EXPECT_REJECT(f, call, want)                                                   \
    do {                                                                               \
        snap s_;                                                                       \
        snap_take(&s_, (f));                                                           \
        CHECK_ST((call), (want));                                                      \
        check_(snap_same(&s_, (f), 1, 0), "unchanged but rejected+1 after " #call,     \
               __FILE__, __LINE__);                                                    \
        snap_drop(&s_);                                                                \
        fx_check((f), #call);                                                          \
    } while (0)

/* ---- expected free blocks ------------------------------------------------ */

typedef struct blk {
    zen_pfn pfn;
    unsigned order;
} blk;

/* The free blocks must be exactly `want` (ascending), and the per-order
 * counters and free_frames must agree with it. */
static int expect_free_(fx *f, const blk *want, size_t nwant, const char *file, int line)
{
    int ok = 1;
    size_t j = 0;
    uint64_t count[ZEN_PAGE_ORDERS] = {0};
    uint64_t frames = 0;
    for (uint64_t i = 0; i < f->n; i++) {
        const zen_page_frame *d = &f->frames[i];
        if (d->state != ZEN_FRAME_FREE)
            continue;
        zen_pfn pfn = f->start + i;
        if (j >= nwant || want[j].pfn != pfn || want[j].order != d->order) {
            fprintf(stderr, "  free block %" PRIu64 ":%u, expected %s%" PRIu64 ":%u\n", pfn,
                    (unsigned)d->order, j < nwant ? "" : "none, ",
                    j < nwant ? want[j].pfn : 0u, j < nwant ? want[j].order : 0u);
            ok = 0;
        }
        j++;
    }
    if (j != nwant) {
        fprintf(stderr, "  %zu free blocks, expected %zu\n", j, nwant);
        ok = 0;
    }
    for (size_t i = 0; i < nwant; i++) {
        count[want[i].order]++;
        frames += BLOCK(want[i].order);
    }
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        if (f->a.stats.free_blocks[k] != count[k]) {
            fprintf(stderr, "  free_blocks[%u] = %" PRIu64 ", expected %" PRIu64 "\n", k,
                    f->a.stats.free_blocks[k], count[k]);
            ok = 0;
        }
    if (f->a.stats.free_frames != frames) {
        fprintf(stderr, "  free_frames = %" PRIu64 ", expected %" PRIu64 "\n",
                f->a.stats.free_frames, frames);
        ok = 0;
    }
    return check_(ok, "free blocks as worked out", file, line);
}
#define EXPECT_FREE(f, ...)                                                            \
    do {                                                                               \
        static const blk want_[] = {__VA_ARGS__};                                      \
        expect_free_((f), want_, sizeof want_ / sizeof want_[0], __FILE__, __LINE__);  \
    } while (0)

/* ---- bitmap helpers (layout documented in zen_page.h) -------------------- */

static uint64_t block_index(const fx *f, zen_pfn pfn, unsigned k)
{
    return (pfn >> k) - (f->start >> k);
}

/* Set or clear bit i of level 0 of order k's tree, keeping the summary levels
 * right (used to build consistent corruptions). */
static void tree_bit(fx *f, unsigned k, uint64_t i, int set)
{
    const zen_bitmap_tree *t = &f->a.tree[k];
    for (uint32_t l = 0; l < t->levels; l++) {
        uint64_t *w = &f->words[t->offset[l] + i / 64u];
        uint64_t old = *w, bit = (uint64_t)1 << (i % 64u);
        *w = set ? old | bit : old & ~bit;
        if (set ? old != 0u : *w != 0u)
            break;
        i /= 64u;
    }
}

static int level0_bit(const fx *f, unsigned k, uint64_t i)
{
    const zen_bitmap_tree *t = &f->a.tree[k];
    return (int)((f->words[t->offset[0] + i / 64u] >> (i % 64u)) & 1u);
}

/* ---- reference model ----------------------------------------------------- */

#define NONE UINT64_MAX

typedef struct model {
    zen_pfn start;
    uint64_t n;
    int has_memory;
    uint8_t *usable;  /* added by add_range */
    uint64_t *head;   /* index of the allocated block's head covering the frame, or NONE */
    uint8_t *order;   /* allocated heads */
    uint32_t *ref;    /* allocated heads */
    uint8_t *owner;   /* allocated heads */
    uint64_t *run;    /* scratch: free frames from i onward */
    uint8_t *state;   /* scratch: expected descriptor states */
    uint64_t *bh;     /* derived free blocks (head index, ascending) */
    uint8_t *bo;      /* and their orders */
    uint64_t nb;
    uint64_t in_use;
    zen_page_stats stats;
} model;

static void model_open(model *m, zen_pfn start, uint64_t n, int has_memory)
{
    memset(m, 0, sizeof *m);
    m->start = start;
    m->n = n;
    m->has_memory = has_memory;
    m->usable = xcalloc((size_t)n, 1);
    m->head = xcalloc((size_t)n, sizeof *m->head);
    m->order = xcalloc((size_t)n, 1);
    m->ref = xcalloc((size_t)n, sizeof *m->ref);
    m->owner = xcalloc((size_t)n, 1);
    m->run = xcalloc((size_t)n + 1u, sizeof *m->run);
    m->state = xcalloc((size_t)n, 1);
    m->bh = xcalloc((size_t)n, sizeof *m->bh);
    m->bo = xcalloc((size_t)n, 1);
    for (uint64_t i = 0; i < n; i++)
        m->head[i] = NONE;
}

static void model_close(model *m)
{
    free(m->usable);
    free(m->head);
    free(m->order);
    free(m->ref);
    free(m->owner);
    free(m->run);
    free(m->state);
    free(m->bh);
    free(m->bo);
}

static int model_is_free(const model *m, uint64_t i) { return m->usable[i] && m->head[i] == NONE; }

/* The canonical decomposition: from the left, the largest naturally aligned
 * block (order <= MAX) of free frames starting at the first uncovered free
 * frame. Aligned blocks nest, so these are exactly the maximal ones. */
static void model_decompose(model *m)
{
    m->run[m->n] = 0;
    for (uint64_t i = m->n; i-- > 0;)
        m->run[i] = model_is_free(m, i) ? m->run[i + 1u] + 1u : 0u;
    m->nb = 0;
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        m->stats.free_blocks[k] = 0;
    uint64_t i = 0;
    while (i < m->n) {
        if (!model_is_free(m, i)) {
            i++;
            continue;
        }
        zen_pfn p = m->start + i;
        unsigned k = 0;
        while (k < ZEN_PAGE_MAX_ORDER && (p & (BLOCK(k + 1u) - 1u)) == 0u &&
               m->run[i] >= BLOCK(k + 1u))
            k++;
        m->bh[m->nb] = i;
        m->bo[m->nb] = (uint8_t)k;
        m->nb++;
        m->stats.free_blocks[k]++;
        i += BLOCK(k);
    }
    m->stats.managed = 0;
    for (uint64_t j = 0; j < m->n; j++)
        m->stats.managed += m->usable[j];
    m->stats.free_frames = m->stats.managed - m->in_use;
}

static zen_status model_reject(model *m, zen_status st)
{
    m->stats.rejected++;
    return st;
}

static zen_status model_alloc(model *m, unsigned order, unsigned flags, zen_pfn *pfn)
{
    if (order > ZEN_PAGE_MAX_ORDER || (flags & ~ZEN_PAGE_FLAGS_ALL) != 0u ||
        ((flags & ZEN_PAGE_FLAG_ZERO) != 0u && !m->has_memory))
        return model_reject(m, ZEN_ERR_INVAL);
    model_decompose(m);
    uint64_t best = NONE;
    for (uint64_t b = 0; b < m->nb; b++)
        if (m->bo[b] >= order && (best == NONE || m->bo[b] < m->bo[best]))
            best = b; /* ascending, so the first of the smallest order is the lowest */
    if (best == NONE) {
        m->stats.oom_count++;
        return ZEN_ERR_NOMEM;
    }
    uint64_t h = m->bh[best];
    for (uint64_t j = 0; j < BLOCK(order); j++)
        m->head[h + j] = h;
    m->order[h] = (uint8_t)order;
    m->ref[h] = 1;
    m->owner[h] = ZEN_OWNER_USER;
    m->in_use += BLOCK(order);
    if (m->in_use > m->stats.peak_in_use)
        m->stats.peak_in_use = m->in_use;
    *pfn = m->start + h;
    return ZEN_OK;
}

static zen_status model_lookup(const model *m, zen_pfn pfn, uint64_t *index)
{
    if (pfn < m->start || pfn - m->start >= m->n)
        return ZEN_ERR_RANGE;
    uint64_t i = pfn - m->start;
    if (!m->usable[i])
        return ZEN_ERR_RESERVED;
    if (m->head[i] == NONE)
        return ZEN_ERR_NOT_ALLOCATED;
    if (m->head[i] != i)
        return ZEN_ERR_NOT_HEAD;
    *index = i;
    return ZEN_OK;
}

static void model_drop(model *m, uint64_t h)
{
    if (m->ref[h] > 1u) {
        m->ref[h]--;
        return;
    }
    uint64_t size = BLOCK(m->order[h]);
    for (uint64_t j = 0; j < size; j++)
        m->head[h + j] = NONE;
    m->ref[h] = 0;
    m->in_use -= size;
}

static zen_status model_free(model *m, zen_pfn pfn, unsigned order)
{
    uint64_t h;
    if (order > ZEN_PAGE_MAX_ORDER)
        return model_reject(m, ZEN_ERR_INVAL);
    zen_status st = model_lookup(m, pfn, &h);
    if (st != ZEN_OK)
        return model_reject(m, st);
    if (m->order[h] != order)
        return model_reject(m, ZEN_ERR_ORDER);
    model_drop(m, h);
    return ZEN_OK;
}

static zen_status model_put(model *m, zen_pfn pfn)
{
    uint64_t h;
    zen_status st = model_lookup(m, pfn, &h);
    if (st != ZEN_OK)
        return model_reject(m, st);
    model_drop(m, h);
    return ZEN_OK;
}

static zen_status model_get(model *m, zen_pfn pfn)
{
    uint64_t h;
    zen_status st = model_lookup(m, pfn, &h);
    if (st != ZEN_OK)
        return model_reject(m, st);
    if (m->ref[h] == UINT32_MAX)
        return model_reject(m, ZEN_ERR_OVERFLOW);
    m->ref[h]++;
    return ZEN_OK;
}

static zen_status model_set_owner(model *m, zen_pfn pfn, unsigned owner)
{
    uint64_t h;
    if (owner > ZEN_OWNER_LAST)
        return model_reject(m, ZEN_ERR_INVAL);
    zen_status st = model_lookup(m, pfn, &h);
    if (st != ZEN_OK)
        return model_reject(m, st);
    m->owner[h] = (uint8_t)owner;
    return ZEN_OK;
}

static zen_status model_add_range(model *m, zen_pfn pfn, uint64_t count)
{
    if (count == 0u)
        return model_reject(m, ZEN_ERR_INVAL);
    if (pfn < m->start || pfn - m->start >= m->n || count > m->n - (pfn - m->start))
        return model_reject(m, ZEN_ERR_RANGE);
    uint64_t first = pfn - m->start;
    for (uint64_t i = 0; i < count; i++)
        if (m->usable[first + i])
            return model_reject(m, ZEN_ERR_BUSY);
    for (uint64_t i = 0; i < count; i++)
        m->usable[first + i] = 1;
    return ZEN_OK;
}

/* Compare every descriptor, every bitmap word and every counter with what
 * the model predicts. */
static int model_matches(model *m, fx *f)
{
    model_decompose(m);
    int ok = 1;
    /* descriptors */
    for (uint64_t i = 0; i < m->n; i++)
        m->state[i] = !m->usable[i] ? ZEN_FRAME_RESERVED
                      : m->head[i] == NONE ? ZEN_FRAME_TAIL /* fixed below for free heads */
                      : m->head[i] == i ? ZEN_FRAME_ALLOCATED : ZEN_FRAME_TAIL;
    for (uint64_t b = 0; b < m->nb; b++)
        m->state[m->bh[b]] = ZEN_FRAME_FREE;
    uint64_t b = 0;
    for (uint64_t i = 0; i < m->n && ok; i++) {
        const zen_page_frame *d = &f->frames[i];
        zen_pfn pfn = m->start + i;
        if (d->state != m->state[i]) {
            fprintf(stderr, "  pfn %" PRIu64 ": state %u, model %u\n", pfn, (unsigned)d->state,
                    (unsigned)m->state[i]);
            ok = 0;
        } else if (d->state == ZEN_FRAME_FREE) {
            while (m->bh[b] != i)
                b++;
            if (d->order != m->bo[b] || d->refcount != 0u) {
                fprintf(stderr, "  free pfn %" PRIu64 ": order %u ref %u, model order %u\n", pfn,
                        (unsigned)d->order, (unsigned)d->refcount, (unsigned)m->bo[b]);
                ok = 0;
            }
        } else if (d->state == ZEN_FRAME_ALLOCATED) {
            if (d->order != m->order[i] || d->refcount != m->ref[i] || d->owner != m->owner[i]) {
                fprintf(stderr,
                        "  allocated pfn %" PRIu64 ": order %u ref %u owner %u, model %u %u %u\n",
                        pfn, (unsigned)d->order, (unsigned)d->refcount, (unsigned)d->owner,
                        (unsigned)m->order[i], (unsigned)m->ref[i], (unsigned)m->owner[i]);
                ok = 0;
            }
        }
    }
    /* bitmap words: level 0 from the free blocks, each summary bit set
     * exactly when the word below it is non-zero, nothing else set */
    uint64_t *want = xcalloc((size_t)f->nwords, sizeof *want);
    for (uint64_t j = 0; j < m->nb; j++) {
        unsigned k = m->bo[j];
        const zen_bitmap_tree *t = &f->a.tree[k];
        uint64_t idx = ((m->start + m->bh[j]) >> k) - (m->start >> k);
        want[t->offset[0] + idx / 64u] |= (uint64_t)1 << (idx % 64u);
    }
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++) {
        const zen_bitmap_tree *t = &f->a.tree[k];
        for (uint32_t l = 1; l < t->levels; l++)
            for (uint64_t w = 0; w < t->length[l - 1u]; w++)
                if (want[t->offset[l - 1u] + w] != 0u)
                    want[t->offset[l] + w / 64u] |= (uint64_t)1 << (w % 64u);
    }
    for (uint64_t w = 0; w < f->nwords; w++)
        if (want[w] != f->words[w]) {
            fprintf(stderr, "  bitmap word %" PRIu64 ": %016" PRIx64 ", model %016" PRIx64 "\n",
                    w, f->words[w], want[w]);
            ok = 0;
            break;
        }
    free(want);
    /* counters */
    if (memcmp(&m->stats, &f->a.stats, sizeof m->stats) != 0) {
        const zen_page_stats *x = &f->a.stats, *y = &m->stats;
        fprintf(stderr,
                "  stats: managed %" PRIu64 "/%" PRIu64 " free %" PRIu64 "/%" PRIu64
                " peak %" PRIu64 "/%" PRIu64 " oom %" PRIu64 "/%" PRIu64 " rejected %" PRIu64
                "/%" PRIu64 " (core/model)\n",
                x->managed, y->managed, x->free_frames, y->free_frames, x->peak_in_use,
                y->peak_in_use, x->oom_count, y->oom_count, x->rejected, y->rejected);
        ok = 0;
    }
    return ok;
}

/* ========================================================================== */
/* 1. bitmap_words and init                                                   */
/* ========================================================================== */

static void test_bitmap_words(void)
{
    ctx("%s", "bitmap_words", 0, 0);
    CHECK_EQ(zen_page_bitmap_words(0, 0), 0);
    CHECK_EQ(zen_page_bitmap_words(5, 0), 0);
    CHECK_EQ(zen_page_bitmap_words(0, ZEN_PAGE_MAX_FRAMES + 1u), 0);
    CHECK_EQ(zen_page_bitmap_words(0, UINT64_MAX), 0);
    CHECK_EQ(zen_page_bitmap_words(ZEN_PFN_LIMIT - 5u, 6), 0);
    CHECK_EQ(zen_page_bitmap_words(ZEN_PFN_LIMIT, 1), 0);
    CHECK_EQ(zen_page_bitmap_words(UINT64_MAX - 2u, 5), 0); /* start + nframes wraps */
    CHECK(zen_page_bitmap_words(ZEN_PFN_LIMIT - 5u, 5) != 0u);
    CHECK(zen_page_bitmap_words(ZEN_PFN_LIMIT - 1u, 1) != 0u);
    /* one frame: one word per order (a single-level tree each) */
    CHECK_EQ(zen_page_bitmap_words(0, 1), ZEN_PAGE_ORDERS);
    /* the largest range: order 0 alone needs 2^26 level-0 words */
    CHECK(zen_page_bitmap_words(0, ZEN_PAGE_MAX_FRAMES) >= ((uint64_t)1 << 26));
    CHECK(zen_page_bitmap_words(1, ZEN_PAGE_MAX_FRAMES) >= ((uint64_t)1 << 26));
    CHECK(zen_page_bitmap_words(ZEN_PFN_LIMIT - ZEN_PAGE_MAX_FRAMES, ZEN_PAGE_MAX_FRAMES) != 0u);
}

/* The layout the header documents: per order, level 0 has a bit for every
 * possible block, each level above has a bit per word below, the top level
 * is a single word, and every level lies inside the words. */
static void check_layout(fx *f)
{
    zen_pfn last = f->start + f->n - 1u;
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++) {
        const zen_bitmap_tree *t = &f->a.tree[k];
        uint64_t blocks = (last >> k) - (f->start >> k) + 1u;
        CHECK(t->levels >= 1u && t->levels <= ZEN_BITMAP_MAX_LEVELS);
        if (t->levels < 1u || t->levels > ZEN_BITMAP_MAX_LEVELS)
            continue;
        CHECK(t->length[0] * 64u >= blocks);
        for (uint32_t l = 0; l < t->levels; l++) {
            CHECK(t->length[l] >= 1u);
            CHECK(t->offset[l] + t->length[l] <= f->nwords);
            if (l > 0u)
                CHECK(t->length[l] * 64u >= t->length[l - 1u]);
        }
        CHECK_EQ(t->length[t->levels - 1u], 1);
    }
}

static void test_init(void)
{
    ctx("%s", "init", 0, 0);
    zen_page_frame frames[40];
    uint64_t words[64];
    zen_page_allocator a, a0;
    const zen_pfn start = 3;
    const uint64_t n = 29;
    uint64_t need = zen_page_bitmap_words(start, n);
    CHECK(need > 0u && need <= 64u);

    /* Each bad call must write nothing: not the allocator, not the arrays. */
    memset(&a, 0x5A, sizeof a);
    memset(frames, 0xC3, sizeof frames);
    memset(words, 0xC3, sizeof words);
    memcpy(&a0, &a, sizeof a);
    zen_page_frame frames0[40];
    uint64_t words0[64];
    memcpy(frames0, frames, sizeof frames);
    memcpy(words0, words, sizeof words);
#define INIT_BAD(st_, n_, fr_, w_, nw_)                                                   \
    do {                                                                                  \
        CHECK_ST(zen_page_init(&a, (st_), (n_), (fr_), (w_), (nw_), NULL, NULL), ZEN_ERR_INVAL); \
        CHECK(memcmp(&a, &a0, sizeof a) == 0);                                            \
        CHECK(memcmp(frames, frames0, sizeof frames) == 0);                               \
        CHECK(memcmp(words, words0, sizeof words) == 0);                                  \
    } while (0)
    INIT_BAD(start, 0, frames, words, 64);                               /* zero range */
    INIT_BAD(start, ZEN_PAGE_MAX_FRAMES + 1u, frames, words, 64);        /* oversized */
    INIT_BAD(0, UINT64_MAX, frames, words, 64);                          /* oversized */
    INIT_BAD(ZEN_PFN_LIMIT - 5u, 6, frames, words, 64);                  /* past ZEN_PFN_LIMIT */
    INIT_BAD(ZEN_PFN_LIMIT, 1, frames, words, 64);                       /* starts at the limit */
    INIT_BAD(UINT64_MAX - 2u, 5, frames, words, 64);                     /* start + n wraps */
    INIT_BAD(start, n, frames, words, need - 1u);                        /* one word short */
    INIT_BAD(start, n, frames, words, 0);                                /* no words */
    INIT_BAD(start, n, NULL, words, 64);                                 /* NULL frames */
    INIT_BAD(start, n, frames, NULL, 64);                                /* NULL words */
#undef INIT_BAD

    /* Exactly enough words, at the very top of the pfn space. */
    uint64_t need_top = zen_page_bitmap_words(ZEN_PFN_LIMIT - 5u, 5);
    CHECK(need_top > 0u && need_top <= 64u);
    CHECK_ST(zen_page_init(&a, ZEN_PFN_LIMIT - 5u, 5, frames, words, need_top, NULL, NULL), ZEN_OK);

    /* A good init: every frame reserved, counters zero, nothing to hand out. */
    CHECK_ST(zen_page_init(&a, start, n, frames, words, need, NULL, NULL), ZEN_OK);
    CHECK_EQ(a.start, start);
    CHECK_EQ(a.nframes, n);
    CHECK(a.frames == frames && a.words == words && a.memory == NULL);
    for (uint64_t i = 0; i < n; i++)
        CHECK_EQ(frames[i].state, ZEN_FRAME_RESERVED);
    CHECK_EQ(memcmp(&frames[n], &frames0[n], sizeof frames - n * sizeof frames[0]), 0);
    CHECK_EQ(memcmp(&words[need], &words0[need], sizeof words - need * sizeof words[0]), 0);
    CHECK_EQ(a.stats.managed, 0);
    CHECK_EQ(a.stats.free_frames, 0);
    CHECK_EQ(a.stats.peak_in_use, 0);
    CHECK_EQ(a.stats.oom_count, 0);
    CHECK_EQ(a.stats.rejected, 0);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        CHECK_EQ(a.stats.free_blocks[k], 0);
    zen_page_check_report r;
    CHECK_ST(zen_page_check(&a, &r), ZEN_OK);
    CHECK_EQ(r.invariant, ZEN_INV_NONE);
    zen_pfn p = 77;
    CHECK_ST(zen_page_alloc(&a, 0, 0, &p), ZEN_ERR_NOMEM);
    CHECK_EQ(p, 77);
    CHECK_EQ(a.stats.oom_count, 1);
    CHECK_ST(zen_page_free(&a, start, 0), ZEN_ERR_RESERVED);
    CHECK_ST(zen_page_free(&a, start + n - 1u, 0), ZEN_ERR_RESERVED);

    /* Layout of bigger trees (summary levels), without touching frames. */
    fx f;
    fx_open(&f, 3, 29, 0);
    check_layout(&f);
    fx_close(&f);
    fx_open(&f, 12345, 70000, 0); /* order 0: 70000 bits -> 1094, 18, 1 words */
    check_layout(&f);
    CHECK_EQ(f.a.tree[0].levels, 3);
    fx_close(&f);
    fx_open(&f, 1, 300000, 0); /* order 0: 300000 bits -> 4688, 74, 2, 1 words */
    check_layout(&f);
    CHECK_EQ(f.a.tree[0].levels, 4);
    fx_close(&f);
}

/* ========================================================================== */
/* 2. add_range                                                               */
/* ========================================================================== */

static void test_add_range(void)
{
    ctx("%s", "add_range", 0, 0);
    fx f;
    fx_open(&f, 3, 29, 0); /* [3, 32) */
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 3, 0), ZEN_ERR_INVAL);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 1000, 0), ZEN_ERR_INVAL); /* count 0 first */
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 2, 1), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 0, 5), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 32, 1), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 30, 3), ZEN_ERR_RANGE); /* runs past the end */
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 3, 30), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 3, UINT64_MAX), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 4, UINT64_MAX - 2u), ZEN_ERR_RANGE); /* wraps */
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, UINT64_MAX, 2), ZEN_ERR_RANGE);
    CHECK_EQ(f.a.stats.rejected, 10);

    CHECK_ST(zen_page_add_range(&f.a, 10, 5), ZEN_OK); /* [10, 15): 10:1 12:1 14:0 */
    fx_check(&f, "add 10+5");
    CHECK_EQ(f.a.stats.managed, 5);
    EXPECT_FREE(&f, {10, 1}, {12, 1}, {14, 0});
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 14, 1), ZEN_ERR_BUSY);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 10, 5), ZEN_ERR_BUSY);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 3, 29), ZEN_ERR_BUSY);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 9, 2), ZEN_ERR_BUSY);  /* overlaps at 10 */
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 14, 4), ZEN_ERR_BUSY); /* overlaps at 14 */
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 14, 100), ZEN_ERR_RANGE); /* range before busy */

    /* Adjacent ranges merge: [15, 16) joins 14 into 14:1, then 12:2; 8 and
     * 9 added later complete 8:3 (buddy of 8:3 is 0: outside the range). */
    CHECK_ST(zen_page_add_range(&f.a, 15, 1), ZEN_OK);
    fx_check(&f, "add 15+1");
    EXPECT_FREE(&f, {10, 1}, {12, 2});
    CHECK_ST(zen_page_add_range(&f.a, 8, 2), ZEN_OK);
    fx_check(&f, "add 8+2");
    EXPECT_FREE(&f, {8, 3});
    CHECK_EQ(f.a.stats.managed, 8);

    /* Allocated frames are usable too: BUSY, and nothing changes. */
    zen_pfn p = fx_alloc(&f, 0);
    CHECK_EQ(p, 8);
    EXPECT_REJECT(&f, zen_page_add_range(&f.a, 8, 1), ZEN_ERR_BUSY);
    CHECK_EQ(f.a.stats.peak_in_use, 1);
    fx_close(&f);
}

/* ========================================================================== */
/* 3. policy on hand-worked examples                                          */
/* ========================================================================== */

static void test_policy_start3(void)
{
    ctx("%s", "policy start=3 nframes=29", 0, 0);
    fx f;
    fx_open(&f, 3, 29, 0); /* [3, 32) */
    CHECK_ST(zen_page_add_range(&f.a, 3, 29), ZEN_OK);
    fx_check(&f, "add");
    /* Greedy aligned blocks: 3 is odd -> 3:0; 4 is 4-aligned and 8 is not
     * reachable from 4 without crossing 8 -> 4:2 (4..7); 8 is 8- but not
     * 16-aligned -> 8:3 (8..15); 16 is 16-aligned, 32-block would end past 32
     * -> 16:4 (16..31). */
    EXPECT_FREE(&f, {3, 0}, {4, 2}, {8, 3}, {16, 4});
    CHECK_EQ(f.a.stats.managed, 29);

    /* alloc(5): the largest free block is order 4 -> NOMEM, frames are free. */
    snap s;
    snap_take(&s, &f);
    zen_pfn p = 999;
    CHECK_ST(zen_page_alloc(&f.a, 5, 0, &p), ZEN_ERR_NOMEM);
    CHECK(snap_same(&s, &f, 0, 1));
    CHECK_EQ(p, 999);
    snap_drop(&s);

    /* alloc(0): order 0 has 3 -> 3.                     free 4:2 8:3 16:4 */
    CHECK_EQ(fx_alloc(&f, 0), 3);
    EXPECT_FREE(&f, {4, 2}, {8, 3}, {16, 4});
    /* alloc(0): smallest order with a block is 2 (4..7): split into 4..5 and
     * 6..7 (6:1 freed), then 4 and 5 (5:0 freed); keep 4.  free 5:0 6:1 8:3 16:4 */
    CHECK_EQ(fx_alloc(&f, 0), 4);
    EXPECT_FREE(&f, {5, 0}, {6, 1}, {8, 3}, {16, 4});
    /* alloc(1): 6:1 exactly -> 6.                        free 5:0 8:3 16:4 */
    CHECK_EQ(fx_alloc(&f, 1), 6);
    EXPECT_FREE(&f, {5, 0}, {8, 3}, {16, 4});
    /* alloc(2): order 3 at 8: keep 8..11, free 12:2 -> 8. free 5:0 12:2 16:4 */
    CHECK_EQ(fx_alloc(&f, 2), 8);
    EXPECT_FREE(&f, {5, 0}, {12, 2}, {16, 4});
    /* alloc(0): 5:0 -> 5.                                free 12:2 16:4 */
    CHECK_EQ(fx_alloc(&f, 0), 5);
    /* alloc(3): order 4 at 16: keep 16..23, free 24:3 -> 16. free 12:2 24:3 */
    CHECK_EQ(fx_alloc(&f, 3), 16);
    EXPECT_FREE(&f, {12, 2}, {24, 3});
    /* alloc(4): nothing of order >= 4 -> NOMEM. */
    p = 999;
    CHECK_ST(zen_page_alloc(&f.a, 4, 0, &p), ZEN_ERR_NOMEM);
    CHECK_EQ(p, 999);
    CHECK_EQ(f.a.stats.oom_count, 2);
    /* alloc(0): smallest is order 2 (12:2, not 24:3): split 12 -> 12:1 + 14:1
     * freed, 12 -> 12 + 13:0 freed -> 12.                free 13:0 14:1 24:3 */
    CHECK_EQ(fx_alloc(&f, 0), 12);
    EXPECT_FREE(&f, {13, 0}, {14, 1}, {24, 3});
    CHECK_EQ(f.a.stats.peak_in_use, 1 + 1 + 2 + 4 + 1 + 8 + 1);

    /* Frees, coalescing with XOR buddies:
     * free 12:0 -> buddy 13:0 free -> 12:1 -> buddy 14:1 free -> 12:2 ->
     * buddy 8 is allocated -> stop.                      free 12:2 24:3 */
    fx_free(&f, 12, 0);
    EXPECT_FREE(&f, {12, 2}, {24, 3});
    /* free 8:2 -> buddy 12:2 -> 8:3 -> buddy 0 is outside -> stop. */
    fx_free(&f, 8, 2);
    EXPECT_FREE(&f, {8, 3}, {24, 3});
    /* free 16:3 -> buddy 24:3 -> 16:4 -> buddy 0..15 would be order 4 at 0:
     * outside the range -> stop. */
    fx_free(&f, 16, 3);
    EXPECT_FREE(&f, {8, 3}, {16, 4});
    /* free 5:0 -> buddy 4 allocated -> stop. */
    fx_free(&f, 5, 0);
    EXPECT_FREE(&f, {5, 0}, {8, 3}, {16, 4});
    /* free 4:0 -> buddy 5 -> 4:1 -> buddy 6:1 allocated -> stop. */
    fx_free(&f, 4, 0);
    EXPECT_FREE(&f, {4, 1}, {8, 3}, {16, 4});
    /* free 6:1 -> buddy 4:1 -> 4:2 -> buddy 0 outside -> stop. */
    fx_free(&f, 6, 1);
    EXPECT_FREE(&f, {4, 2}, {8, 3}, {16, 4});
    /* free 3:0 -> buddy 2 outside -> stop: back to the start. */
    fx_free(&f, 3, 0);
    EXPECT_FREE(&f, {3, 0}, {4, 2}, {8, 3}, {16, 4});
    CHECK_EQ(f.a.stats.peak_in_use, 18);
    fx_close(&f);
}

static void test_policy_holes(void)
{
    ctx("%s", "policy start=5 nframes=20 with a hole", 0, 0);
    fx f;
    fx_open(&f, 5, 20, 0); /* [5, 25) */
    /* [5, 15): 5:0, 6:1 (6 is not 4-aligned), 8:2 (8:3 would reach 16 > 15),
     * 12:1 (12:2 would reach 16), 14:0. */
    CHECK_ST(zen_page_add_range(&f.a, 5, 10), ZEN_OK);
    fx_check(&f, "add 5+10");
    EXPECT_FREE(&f, {5, 0}, {6, 1}, {8, 2}, {12, 1}, {14, 0});
    /* [17, 25): 17:0, 18:1, 20:2, 24:0; 17's buddy 16 is the hole. */
    CHECK_ST(zen_page_add_range(&f.a, 17, 8), ZEN_OK);
    fx_check(&f, "add 17+8");
    EXPECT_FREE(&f, {5, 0}, {6, 1}, {8, 2}, {12, 1}, {14, 0}, {17, 0}, {18, 1}, {20, 2}, {24, 0});
    /* The hole is reserved: never handed out, RESERVED on free. */
    EXPECT_REJECT(&f, zen_page_free(&f.a, 15, 0), ZEN_ERR_RESERVED);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 16, 0), ZEN_ERR_RESERVED);
    /* Filling the hole [15, 17): 15 merges 14 -> 14:1, 12:1 -> 12:2, 8:2 ->
     * 8:3 (buddy 0 outside); 16 merges 17 -> 16:1, 18:1 -> 16:2, 20:2 -> 16:3
     * (buddy 24:3 would end at 32 > 25: outside). Same as adding [5, 25) at
     * once: 5:0 6:1 8:3 16:3 24:0. */
    CHECK_ST(zen_page_add_range(&f.a, 15, 2), ZEN_OK);
    fx_check(&f, "add 15+2");
    EXPECT_FREE(&f, {5, 0}, {6, 1}, {8, 3}, {16, 3}, {24, 0});
    CHECK_EQ(f.a.stats.managed, 20);

    /* Lowest address among the smallest order: 5:0 before 24:0. */
    CHECK_EQ(fx_alloc(&f, 0), 5);
    CHECK_EQ(fx_alloc(&f, 0), 24);
    /* 6:1 split: keep 6, free 7:0. */
    CHECK_EQ(fx_alloc(&f, 0), 6);
    EXPECT_FREE(&f, {7, 0}, {8, 3}, {16, 3});
    /* order 1: none free; order 3 at 8 (lowest of 8:3, 16:3): 8 | 10:1 | 12:2 */
    CHECK_EQ(fx_alloc(&f, 1), 8);
    EXPECT_FREE(&f, {7, 0}, {10, 1}, {12, 2}, {16, 3});
    CHECK_EQ(fx_alloc(&f, 2), 12);
    CHECK_EQ(fx_alloc(&f, 3), 16);
    EXPECT_FREE(&f, {7, 0}, {10, 1});
    /* 15 (once the hole) is now a tail of the allocated 12:2 */
    EXPECT_REJECT(&f, zen_page_free(&f.a, 15, 3), ZEN_ERR_NOT_HEAD);
    fx_free(&f, 8, 1);  /* + 10:1 -> 8:2; buddy 12 allocated */
    EXPECT_FREE(&f, {7, 0}, {8, 2});
    fx_free(&f, 6, 0);  /* + 7:0 -> 6:1; buddy 4 outside */
    EXPECT_FREE(&f, {6, 1}, {8, 2});
    fx_free(&f, 12, 2); /* + 8:2 -> 8:3; buddy 0 outside */
    EXPECT_FREE(&f, {6, 1}, {8, 3});
    fx_free(&f, 5, 0);  /* buddy 4 outside */
    fx_free(&f, 16, 3); /* buddy 24:3 not inside */
    fx_free(&f, 24, 0); /* buddy 25 outside */
    EXPECT_FREE(&f, {5, 0}, {6, 1}, {8, 3}, {16, 3}, {24, 0});
    fx_close(&f);
}

static void test_policy_max_order(void)
{
    ctx("%s", "policy start=0 nframes=3000", 0, 0);
    fx f;
    fx_open(&f, 0, 3000, 0);
    CHECK_ST(zen_page_add_range(&f.a, 0, 3000), ZEN_OK);
    fx_check(&f, "add");
    /* Blocks stop at ZEN_PAGE_MAX_ORDER (10): two order-10 blocks side by
     * side never merge; the tail 2048..2999 (952 = 512+256+128+32+16+8). */
    EXPECT_FREE(&f, {0, 10}, {1024, 10}, {2048, 9}, {2560, 8}, {2816, 7}, {2944, 5},
                {2976, 4}, {2992, 3});
    CHECK_EQ(fx_alloc(&f, 10), 0);
    CHECK_EQ(fx_alloc(&f, 10), 1024);
    zen_pfn p = 5;
    CHECK_ST(zen_page_alloc(&f.a, 10, 0, &p), ZEN_ERR_NOMEM);
    CHECK_EQ(p, 5);
    /* alloc(6): smallest order >= 6 is 7 (2816): keep 2816, free 2880:6. */
    CHECK_EQ(fx_alloc(&f, 6), 2816);
    CHECK_EQ(fx_alloc(&f, 6), 2880);
    EXPECT_FREE(&f, {2048, 9}, {2560, 8}, {2944, 5}, {2976, 4}, {2992, 3});
    fx_free(&f, 1024, 10); /* order 10: no merging above the maximum */
    fx_free(&f, 0, 10);
    EXPECT_FREE(&f, {0, 10}, {1024, 10}, {2048, 9}, {2560, 8}, {2944, 5}, {2976, 4}, {2992, 3});
    fx_free(&f, 2880, 6);
    fx_free(&f, 2816, 6);
    EXPECT_FREE(&f, {0, 10}, {1024, 10}, {2048, 9}, {2560, 8}, {2816, 7}, {2944, 5},
                {2976, 4}, {2992, 3});
    fx_close(&f);
}

static void test_policy_top_of_pfn_space(void)
{
    ctx("%s", "policy at ZEN_PFN_LIMIT", 0, 0);
    const zen_pfn L = ZEN_PFN_LIMIT;
    fx f;
    fx_open(&f, L - 1027u, 1027, 0);
    CHECK_ST(zen_page_add_range(&f.a, L - 1027u, 1027), ZEN_OK);
    fx_check(&f, "add");
    /* L-1027 = 1 (mod 4) -> order 0; L-1026 = 2 (mod 4) -> order 1; L-1024 is
     * 1024-aligned -> order 10 up to the limit. */
    blk want[] = {{L - 1027u, 0}, {L - 1026u, 1}, {L - 1024u, 10}};
    expect_free_(&f, want, 3, __FILE__, __LINE__);
    CHECK_EQ(fx_alloc(&f, 10), L - 1024u);
    CHECK_EQ(fx_alloc(&f, 1), L - 1026u);
    CHECK_EQ(fx_alloc(&f, 0), L - 1027u);
    EXPECT_REJECT(&f, zen_page_free(&f.a, L, 0), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_free(&f.a, UINT64_MAX, 0), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_free(&f.a, L - 1u, 10), ZEN_ERR_NOT_HEAD);
    fx_free(&f, L - 1024u, 10);
    fx_free(&f, L - 1027u, 0);
    fx_free(&f, L - 1026u, 1);
    expect_free_(&f, want, 3, __FILE__, __LINE__);
    fx_close(&f);
}

/* Splitting keeps the lower half: alloc(0) from one order-10 block returns
 * its first frame and leaves the upper halves 1:0, 2:1, 4:2, ..., 512:9. */
static void test_split_lower_half(void)
{
    ctx("%s", "split keeps lower half", 0, 0);
    fx f;
    fx_open(&f, 1024, 1024, 0);
    CHECK_ST(zen_page_add_range(&f.a, 1024, 1024), ZEN_OK);
    EXPECT_FREE(&f, {1024, 10});
    CHECK_EQ(fx_alloc(&f, 0), 1024);
    EXPECT_FREE(&f, {1025, 0}, {1026, 1}, {1028, 2}, {1032, 3}, {1040, 4}, {1056, 5},
                {1088, 6}, {1152, 7}, {1280, 8}, {1536, 9});
    CHECK_EQ(fx_alloc(&f, 9), 1536);
    CHECK_EQ(fx_alloc(&f, 3), 1032);
    CHECK_EQ(fx_alloc(&f, 2), 1028);
    CHECK_EQ(fx_alloc(&f, 2), 1040); /* splits 1040:4 -> keeps 1040, frees 1044:2, 1048:3 */
    EXPECT_FREE(&f, {1025, 0}, {1026, 1}, {1044, 2}, {1048, 3}, {1056, 5}, {1088, 6},
                {1152, 7}, {1280, 8});
    fx_close(&f);
}

/* ========================================================================== */
/* 4. alignment, and coalescing back after freeing everything                 */
/* ========================================================================== */

static void test_alignment(void)
{
    fx f;
    const zen_pfn start = 1000003; /* odd */
    const uint64_t n = 5000;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        ctx("%s seed %" PRIu64 "%.0" PRIu64, "alignment", seed, 0);
        g_rng = seed;
        fx_open(&f, start, n, 0);
        CHECK_ST(zen_page_add_range(&f.a, start, n), ZEN_OK);
        uint8_t *taken = xcalloc((size_t)n, 1);
        unsigned fails = 0;
        uint64_t got = 0;
        while (fails < 50u) {
            unsigned order = (unsigned)rnd_below(ZEN_PAGE_MAX_ORDER + 1u);
            zen_pfn p = 0;
            zen_status st = zen_page_alloc(&f.a, order, 0, &p);
            if (st == ZEN_ERR_NOMEM) {
                fails++;
                continue;
            }
            CHECK_ST(st, ZEN_OK);
            if (st != ZEN_OK)
                break;
            /* naturally aligned in absolute pfn terms, inside the range,
             * and overlapping nothing handed out before */
            CHECK_EQ(p & (BLOCK(order) - 1u), 0);
            CHECK(p >= start && p - start + BLOCK(order) <= n);
            int overlap = 0;
            for (uint64_t j = 0; j < BLOCK(order) && p >= start && p - start + j < n; j++) {
                overlap |= taken[p - start + j];
                taken[p - start + j] = 1;
            }
            CHECK(!overlap);
            got += BLOCK(order);
        }
        CHECK_EQ(got, n - f.a.stats.free_frames);
        fx_check(&f, "after filling");
        free(taken);
        fx_close(&f);
    }
}

typedef struct decomp {
    uint8_t *state;
    uint8_t *order;
    uint64_t *words;
    zen_page_stats stats;
} decomp;

static void decomp_take(decomp *d, const fx *f)
{
    d->state = xcalloc((size_t)f->n, 1);
    d->order = xcalloc((size_t)f->n, 1);
    d->words = xcalloc((size_t)f->nwords, sizeof *d->words);
    for (uint64_t i = 0; i < f->n; i++) {
        d->state[i] = f->frames[i].state;
        d->order[i] = f->frames[i].order;
    }
    memcpy(d->words, f->words, (size_t)f->nwords * sizeof *d->words);
    d->stats = f->a.stats;
}

/* Same free blocks (state of every frame, order of every head), same bitmap
 * words, same managed / free counters. */
static int decomp_same(const decomp *d, const fx *f, int quiet)
{
    for (uint64_t i = 0; i < f->n; i++) {
        if (d->state[i] != f->frames[i].state ||
            ((d->state[i] == ZEN_FRAME_FREE || d->state[i] == ZEN_FRAME_ALLOCATED) &&
             d->order[i] != f->frames[i].order)) {
            if (!quiet)
                fprintf(stderr, "  pfn %" PRIu64 ": state %u order %u, initially %u %u\n",
                        f->start + i, (unsigned)f->frames[i].state, (unsigned)f->frames[i].order,
                        (unsigned)d->state[i], (unsigned)d->order[i]);
            return 0;
        }
    }
    if (memcmp(d->words, f->words, (size_t)f->nwords * sizeof *d->words) != 0)
        return 0;
    if (memcmp(d->stats.free_blocks, f->a.stats.free_blocks, sizeof d->stats.free_blocks) != 0)
        return 0;
    return d->stats.managed == f->a.stats.managed && d->stats.free_frames == f->a.stats.free_frames;
}

static void decomp_drop(decomp *d)
{
    free(d->state);
    free(d->order);
    free(d->words);
}

static void shuffle(blk *v, uint64_t n)
{
    for (uint64_t i = n; i > 1u; i--) {
        uint64_t j = rnd_below(i);
        blk t = v[i - 1u];
        v[i - 1u] = v[j];
        v[j] = t;
    }
}

static void test_coalesce_back(void)
{
    const zen_pfn start = 1000003;
    const uint64_t n = 1500;
    fx f;
    fx_open(&f, start, n, 0);
    /* Holes at [600, 650) and [1350, 1500). */
    CHECK_ST(zen_page_add_range(&f.a, start, 600), ZEN_OK);
    CHECK_ST(zen_page_add_range(&f.a, start + 650u, 700), ZEN_OK);
    fx_check(&f, "add");
    decomp init;
    decomp_take(&init, &f);
    blk *live = xcalloc((size_t)n, sizeof *live);

    /* Way of filling x way of freeing: all order 0 or random orders 0..6;
     * freed ascending, descending, or shuffled with several seeds. */
    for (unsigned fill = 0; fill < 2u; fill++) {
        for (unsigned way = 0; way < 5u; way++) {
            ctx("%s fill %" PRIu64 " free way %" PRIu64, "coalesce back", fill, way);
            g_rng = 1000u + way * 7u + fill;
            uint64_t nlive = 0;
            unsigned misses = 0;
            while (misses < 40u) {
                unsigned order = fill == 0u ? 0u : (unsigned)rnd_below(7);
                zen_pfn p;
                zen_status st = zen_page_alloc(&f.a, order, 0, &p);
                if (st == ZEN_ERR_NOMEM) {
                    if (order == 0u)
                        break;
                    misses++;
                    continue;
                }
                CHECK_ST(st, ZEN_OK);
                if (st != ZEN_OK)
                    break;
                live[nlive].pfn = p;
                live[nlive].order = order;
                nlive++;
            }
            if (fill == 0u)
                CHECK_EQ(nlive, 1300); /* every usable frame, one by one */
            CHECK(!decomp_same(&init, &f, 1));
            if (way == 1u) /* descending */
                for (uint64_t i = 0; i < nlive / 2u; i++) {
                    blk t = live[i];
                    live[i] = live[nlive - 1u - i];
                    live[nlive - 1u - i] = t;
                }
            if (way >= 2u)
                shuffle(live, nlive);
            for (uint64_t i = 0; i < nlive; i++) {
                CHECK_ST(zen_page_free(&f.a, live[i].pfn, live[i].order), ZEN_OK);
                if (i % 97u == 0u)
                    fx_check(&f, "free during coalesce-back");
            }
            fx_check(&f, "all freed");
            CHECK(decomp_same(&init, &f, 0));
        }
    }
    free(live);
    decomp_drop(&init);
    fx_close(&f);
}

/* ========================================================================== */
/* 5. free / get / put / set_owner errors, refcounts                          */
/* ========================================================================== */

static void test_free_errors(void)
{
    ctx("%s", "free errors", 0, 0);
    fx f;
    fx_open(&f, 5, 20, 0); /* [5, 25), hole [15, 17) */
    CHECK_ST(zen_page_add_range(&f.a, 5, 10), ZEN_OK);
    CHECK_ST(zen_page_add_range(&f.a, 17, 8), ZEN_OK);
    /* free: 5:0 6:1 8:2 12:1 14:0 17:0 18:1 20:2 24:0 */
    zen_pfn q = fx_alloc(&f, 2); /* 8:2 exactly */
    CHECK_EQ(q, 8);
    zen_pfn r = fx_alloc(&f, 0); /* 5 */
    CHECK_EQ(r, 5);
    uint64_t rej = f.a.stats.rejected;

    /* INVAL: order above the maximum, whatever the pfn */
    EXPECT_REJECT(&f, zen_page_free(&f.a, q, ZEN_PAGE_MAX_ORDER + 1u), ZEN_ERR_INVAL);
    EXPECT_REJECT(&f, zen_page_free(&f.a, q, UINT32_MAX), ZEN_ERR_INVAL);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 0, ZEN_PAGE_MAX_ORDER + 1u), ZEN_ERR_INVAL);
    /* RANGE */
    EXPECT_REJECT(&f, zen_page_free(&f.a, 4, 0), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 0, 0), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 25, 0), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_free(&f.a, UINT64_MAX, 0), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 4, 2), ZEN_ERR_RANGE);
    /* RESERVED: the hole */
    EXPECT_REJECT(&f, zen_page_free(&f.a, 15, 0), ZEN_ERR_RESERVED);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 16, 1), ZEN_ERR_RESERVED);
    /* NOT_HEAD: tails of the allocated 8..11, with the right order or not */
    EXPECT_REJECT(&f, zen_page_free(&f.a, 9, 2), ZEN_ERR_NOT_HEAD);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 10, 1), ZEN_ERR_NOT_HEAD);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 11, 0), ZEN_ERR_NOT_HEAD);
    /* NOT_ALLOCATED: a free head, a tail of a free block (20:2 -> 21..23),
     * never allocated */
    EXPECT_REJECT(&f, zen_page_free(&f.a, 20, 2), ZEN_ERR_NOT_ALLOCATED);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 23, 0), ZEN_ERR_NOT_ALLOCATED);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 19, 1), ZEN_ERR_NOT_ALLOCATED);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 14, 3), ZEN_ERR_NOT_ALLOCATED); /* not ORDER */
    /* ORDER: the head of 8:2 with another order */
    EXPECT_REJECT(&f, zen_page_free(&f.a, q, 0), ZEN_ERR_ORDER);
    EXPECT_REJECT(&f, zen_page_free(&f.a, q, 3), ZEN_ERR_ORDER);
    EXPECT_REJECT(&f, zen_page_free(&f.a, r, 1), ZEN_ERR_ORDER);
    CHECK_EQ(f.a.stats.rejected, rej + 20u);
    /* double free: the first one works, the second is NOT_ALLOCATED (5 is
     * then a free head: its buddy 4 is outside the range) */
    fx_free(&f, r, 0);
    EXPECT_REJECT(&f, zen_page_free(&f.a, r, 0), ZEN_ERR_NOT_ALLOCATED);
    /* 8:2 does not merge: its buddy 12 heads 12:1, not a whole 12:2 */
    fx_free(&f, q, 2);
    EXPECT_REJECT(&f, zen_page_free(&f.a, q, 2), ZEN_ERR_NOT_ALLOCATED);
    /* order 1: 6:1, 12:1 and 18:1 are free; the two lowest come out */
    zen_pfn s1 = fx_alloc(&f, 1);
    zen_pfn s2 = fx_alloc(&f, 1);
    CHECK_EQ(s1, 6);
    CHECK_EQ(s2, 12);
    fx_free(&f, s2, 1); /* buddy 14 heads 14:0, not 14:1: stays 12:1 */
    fx_free(&f, s1, 1); /* buddy 4 is outside: stays 6:1 */
    EXPECT_REJECT(&f, zen_page_free(&f.a, s1, 1), ZEN_ERR_NOT_ALLOCATED);
    fx_close(&f);

    /* A freed block that merged upwards: its head becomes a tail of a free
     * block, and freeing it again is still NOT_ALLOCATED. */
    ctx("%s", "double free after merge", 0, 0);
    fx_open(&f, 0, 16, 0);
    CHECK_ST(zen_page_add_range(&f.a, 0, 16), ZEN_OK);
    zen_pfn a0 = fx_alloc(&f, 0), a1 = fx_alloc(&f, 0);
    CHECK_EQ(a0, 0);
    CHECK_EQ(a1, 1);
    fx_free(&f, a0, 0);
    fx_free(&f, a1, 0); /* merges all the way back to 0:4 */
    EXPECT_FREE(&f, {0, 4});
    CHECK_EQ(f.frames[1].state, ZEN_FRAME_TAIL);
    EXPECT_REJECT(&f, zen_page_free(&f.a, a1, 0), ZEN_ERR_NOT_ALLOCATED);
    EXPECT_REJECT(&f, zen_page_free(&f.a, a0, 0), ZEN_ERR_NOT_ALLOCATED);
    fx_close(&f);
}

static void test_refcounts(void)
{
    ctx("%s", "get/put refcounts", 0, 0);
    fx f;
    fx_open(&f, 5, 20, 0); /* [5, 25), hole [15, 17) */
    CHECK_ST(zen_page_add_range(&f.a, 5, 10), ZEN_OK);
    CHECK_ST(zen_page_add_range(&f.a, 17, 8), ZEN_OK);
    zen_pfn p = fx_alloc(&f, 1); /* 6:1 */
    CHECK_EQ(p, 6);
    CHECK_EQ(fr(&f, p)->refcount, 1);
    CHECK_EQ(fr(&f, p)->owner, ZEN_OWNER_USER);
    uint64_t free0 = f.a.stats.free_frames;

    CHECK_ST(zen_page_get(&f.a, p), ZEN_OK);
    CHECK_EQ(fr(&f, p)->refcount, 2);
    CHECK_ST(zen_page_get(&f.a, p), ZEN_OK);
    CHECK_EQ(fr(&f, p)->refcount, 3);
    fx_check(&f, "get");
    EXPECT_REJECT(&f, zen_page_free(&f.a, p, 0), ZEN_ERR_ORDER); /* order checked while shared */
    /* free with references left: one reference goes, the block stays */
    CHECK_ST(zen_page_free(&f.a, p, 1), ZEN_OK);
    CHECK_EQ(fr(&f, p)->refcount, 2);
    CHECK_EQ(fr(&f, p)->state, ZEN_FRAME_ALLOCATED);
    CHECK_EQ(f.a.stats.free_frames, free0);
    CHECK_ST(zen_page_put(&f.a, p), ZEN_OK);
    CHECK_EQ(fr(&f, p)->refcount, 1);
    CHECK_EQ(f.a.stats.free_frames, free0);
    fx_check(&f, "put shared");
    /* the last reference frees it */
    CHECK_ST(zen_page_put(&f.a, p), ZEN_OK);
    CHECK(fr(&f, p)->state != ZEN_FRAME_ALLOCATED);
    CHECK_EQ(f.a.stats.free_frames, free0 + 2u);
    fx_check(&f, "put last");
    EXPECT_FREE(&f, {5, 0}, {6, 1}, {8, 2}, {12, 1}, {14, 0}, {17, 0}, {18, 1}, {20, 2}, {24, 0});

    /* errors of get and put, each changing nothing but rejected */
    zen_pfn q = fx_alloc(&f, 2); /* 8:2 */
    CHECK_EQ(q, 8);
    EXPECT_REJECT(&f, zen_page_put(&f.a, p), ZEN_ERR_NOT_ALLOCATED);    /* free head */
    EXPECT_REJECT(&f, zen_page_get(&f.a, p), ZEN_ERR_NOT_ALLOCATED);
    EXPECT_REJECT(&f, zen_page_get(&f.a, 21), ZEN_ERR_NOT_ALLOCATED);   /* tail of free 20:2 */
    EXPECT_REJECT(&f, zen_page_put(&f.a, 21), ZEN_ERR_NOT_ALLOCATED);
    EXPECT_REJECT(&f, zen_page_get(&f.a, q + 1u), ZEN_ERR_NOT_HEAD);
    EXPECT_REJECT(&f, zen_page_put(&f.a, q + 3u), ZEN_ERR_NOT_HEAD);
    EXPECT_REJECT(&f, zen_page_get(&f.a, 16), ZEN_ERR_RESERVED);
    EXPECT_REJECT(&f, zen_page_put(&f.a, 15), ZEN_ERR_RESERVED);
    EXPECT_REJECT(&f, zen_page_get(&f.a, 4), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_put(&f.a, 25), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_get(&f.a, UINT64_MAX), ZEN_ERR_RANGE);

    /* OVERFLOW: reaching 2^32 - 1 by calls would take 4 billion of them, so
     * the count is set in the caller's descriptor array (a reachable state). */
    fr(&f, q)->refcount = UINT32_MAX - 1u;
    fx_check(&f, "refcount set high");
    CHECK_ST(zen_page_get(&f.a, q), ZEN_OK);
    CHECK_EQ(fr(&f, q)->refcount, UINT32_MAX);
    EXPECT_REJECT(&f, zen_page_get(&f.a, q), ZEN_ERR_OVERFLOW);
    EXPECT_REJECT(&f, zen_page_get(&f.a, q), ZEN_ERR_OVERFLOW);
    CHECK_EQ(fr(&f, q)->refcount, UINT32_MAX);
    CHECK_ST(zen_page_put(&f.a, q), ZEN_OK);
    CHECK_EQ(fr(&f, q)->refcount, UINT32_MAX - 1u);
    CHECK_ST(zen_page_free(&f.a, q, 2), ZEN_OK);
    CHECK_EQ(fr(&f, q)->refcount, UINT32_MAX - 2u);
    CHECK_EQ(fr(&f, q)->state, ZEN_FRAME_ALLOCATED);
    fr(&f, q)->refcount = 1;
    CHECK_ST(zen_page_put(&f.a, q), ZEN_OK);
    fx_check(&f, "put after overflow");
    EXPECT_FREE(&f, {5, 0}, {6, 1}, {8, 2}, {12, 1}, {14, 0}, {17, 0}, {18, 1}, {20, 2}, {24, 0});
    fx_close(&f);
}

static void test_set_owner(void)
{
    ctx("%s", "set_owner", 0, 0);
    fx f;
    fx_open(&f, 5, 20, 0);
    CHECK_ST(zen_page_add_range(&f.a, 5, 10), ZEN_OK);
    CHECK_ST(zen_page_add_range(&f.a, 17, 8), ZEN_OK);
    zen_pfn p = fx_alloc(&f, 2); /* 8:2 */
    CHECK_EQ(p, 8);
    CHECK_EQ(fr(&f, p)->owner, ZEN_OWNER_USER);
    CHECK_ST(zen_page_set_owner(&f.a, p, ZEN_OWNER_SLAB, 0u), ZEN_OK);
    CHECK_EQ(fr(&f, p)->owner, ZEN_OWNER_SLAB);
    fx_check(&f, "set_owner slab");
    CHECK_ST(zen_page_set_owner(&f.a, p, ZEN_OWNER_ZONE, 0u), ZEN_OK);
    CHECK_EQ(fr(&f, p)->owner, ZEN_OWNER_ZONE);
    CHECK_ST(zen_page_set_owner(&f.a, p, ZEN_OWNER_NONE, 0u), ZEN_OK);
    CHECK_EQ(fr(&f, p)->owner, ZEN_OWNER_NONE);
    CHECK_ST(zen_page_set_owner(&f.a, p, ZEN_OWNER_SLAB, 77u), ZEN_OK);
    CHECK_EQ(fr(&f, p)->tag, 77u);
    EXPECT_REJECT(&f, zen_page_set_owner(&f.a, p, ZEN_OWNER_LAST + 1u, 0u), ZEN_ERR_INVAL);
    EXPECT_REJECT(&f, zen_page_set_owner(&f.a, p, UINT32_MAX, 0u), ZEN_ERR_INVAL);
    EXPECT_REJECT(&f, zen_page_set_owner(&f.a, 0, ZEN_OWNER_LAST + 1u, 0u), ZEN_ERR_INVAL);
    EXPECT_REJECT(&f, zen_page_set_owner(&f.a, 4, ZEN_OWNER_USER, 0u), ZEN_ERR_RANGE);
    EXPECT_REJECT(&f, zen_page_set_owner(&f.a, 15, ZEN_OWNER_USER, 0u), ZEN_ERR_RESERVED);
    EXPECT_REJECT(&f, zen_page_set_owner(&f.a, p + 2u, ZEN_OWNER_USER, 0u), ZEN_ERR_NOT_HEAD);
    EXPECT_REJECT(&f, zen_page_set_owner(&f.a, 5, ZEN_OWNER_USER, 0u), ZEN_ERR_NOT_ALLOCATED);
    EXPECT_REJECT(&f, zen_page_set_owner(&f.a, 19, ZEN_OWNER_USER, 0u), ZEN_ERR_NOT_ALLOCATED);
    CHECK_EQ(fr(&f, p)->owner, ZEN_OWNER_SLAB);
    CHECK_EQ(fr(&f, p)->tag, 77u);
    /* a new allocation is owned by USER again, with tag 0 */
    fx_free(&f, p, 2);
    CHECK_EQ(fx_alloc(&f, 2), p);
    CHECK_EQ(fr(&f, p)->owner, ZEN_OWNER_USER);
    CHECK_EQ(fr(&f, p)->tag, 0u);
    fx_close(&f);
}

/* zen_page_find answers the head of the block that holds any of its frames
 * and names why a frame is in no allocated block. */
static void test_find(void)
{
    ctx("%s", "find", 0, 0);
    fx f;
    fx_open(&f, 5, 20, 0);
    CHECK_ST(zen_page_add_range(&f.a, 5, 10), ZEN_OK);
    CHECK_ST(zen_page_add_range(&f.a, 17, 8), ZEN_OK);
    zen_pfn p = fx_alloc(&f, 2); /* 8:2 */
    CHECK_EQ(p, 8);
    zen_pfn head = 999;
    for (zen_pfn q = p; q < p + 4u; q++) {
        head = 999;
        CHECK_ST(zen_page_find(&f.a, q, &head), ZEN_OK);
        CHECK_EQ(head, p);
    }
    head = 999;
    CHECK_ST(zen_page_find(&f.a, 4, &head), ZEN_ERR_RANGE);
    CHECK_ST(zen_page_find(&f.a, 25, &head), ZEN_ERR_RANGE);
    CHECK_ST(zen_page_find(&f.a, 15, &head), ZEN_ERR_RESERVED);
    CHECK_ST(zen_page_find(&f.a, 5, &head), ZEN_ERR_NOT_ALLOCATED);
    CHECK_ST(zen_page_find(&f.a, 19, &head), ZEN_ERR_NOT_ALLOCATED); /* inside a free block */
    CHECK_EQ(head, 999); /* written only on success */
    /* a tail whose descriptors lead to no head is corruption */
    fr(&f, p)->state = ZEN_FRAME_TAIL;
    CHECK_ST(zen_page_find(&f.a, p + 1u, &head), ZEN_ERR_CORRUPT);
    fr(&f, p)->state = ZEN_FRAME_ALLOCATED;
    fx_close(&f);
}

/* What the hooks saw: how often each ran, whether they nest, and the
 * free-frame count at each, to show they run before and after the change. */
typedef struct hook_log {
    zen_page_allocator *a;
    int inside;
    unsigned enters, leaves, nested;
    uint64_t free_at_enter, free_at_leave;
} hook_log;

static void log_hook(hook_log *h, int entering)
{
    if (h->inside == entering)
        h->nested++;
    h->inside = entering;
    if (entering) {
        h->enters++;
        h->free_at_enter = h->a->stats.free_frames;
    } else {
        h->leaves++;
        h->free_at_leave = h->a->stats.free_frames;
    }
}

static void log_enter(void *ctx) { log_hook(ctx, 1); }
static void log_leave(void *ctx) { log_hook(ctx, 0); }

/* One enter and one leave per call of a changing operation, whatever it
 * answers; none for init, check and the size query. */
#define EXPECT_HOOKED(h_, call_, want_)                                                  \
    do {                                                                                 \
        unsigned e_ = (h_)->enters, l_ = (h_)->leaves;                                   \
        CHECK_ST((call_), (want_));                                                      \
        CHECK_EQ((h_)->enters, e_ + 1u);                                                 \
        CHECK_EQ((h_)->leaves, l_ + 1u);                                                 \
        CHECK_EQ((h_)->nested, 0u);                                                      \
    } while (0)

static void test_hooks(void)
{
    ctx("%s", "hooks", 0, 0);
    zen_page_allocator a;
    zen_page_frame frames[64];
    uint64_t words[64];
    uint64_t need = zen_page_bitmap_words(64, 64);
    CHECK(need != 0u && need <= 64u);
    hook_log h = { .a = &a };
    const zen_hooks hooks = { log_enter, log_leave, &h };
    CHECK_ST(zen_page_init(&a, 64, 64, frames, words, need, NULL, &hooks), ZEN_OK);
    CHECK_EQ(h.enters, 0u);

    EXPECT_HOOKED(&h, zen_page_add_range(&a, 64, 0), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_page_add_range(&a, 64, 64), ZEN_OK);
    CHECK_EQ(h.free_at_enter, 0u);
    CHECK_EQ(h.free_at_leave, 64u);
    EXPECT_HOOKED(&h, zen_page_add_range(&a, 64, 1), ZEN_ERR_BUSY);

    zen_pfn p = 0;
    EXPECT_HOOKED(&h, zen_page_alloc(&a, 2, 0, &p), ZEN_OK);
    CHECK_EQ(p, 64u);
    CHECK_EQ(h.free_at_enter, 64u);
    CHECK_EQ(h.free_at_leave, 60u);
    EXPECT_HOOKED(&h, zen_page_alloc(&a, 7, 0, &p), ZEN_ERR_NOMEM);
    EXPECT_HOOKED(&h, zen_page_alloc(&a, 0, ZEN_PAGE_FLAG_ZERO, &p), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_page_get(&a, 64), ZEN_OK);
    EXPECT_HOOKED(&h, zen_page_get(&a, 65), ZEN_ERR_NOT_HEAD);
    EXPECT_HOOKED(&h, zen_page_set_owner(&a, 64, ZEN_OWNER_SLAB, 0u), ZEN_OK);
    EXPECT_HOOKED(&h, zen_page_set_owner(&a, 64, ZEN_OWNER_LAST + 1u, 0u), ZEN_ERR_INVAL);
    EXPECT_HOOKED(&h, zen_page_put(&a, 64), ZEN_OK);
    EXPECT_HOOKED(&h, zen_page_put(&a, 1), ZEN_ERR_RANGE);
    EXPECT_HOOKED(&h, zen_page_free(&a, 64, 1), ZEN_ERR_ORDER);
    EXPECT_HOOKED(&h, zen_page_free(&a, 64, 2), ZEN_OK);
    CHECK_EQ(h.free_at_enter, 60u);
    CHECK_EQ(h.free_at_leave, 64u);
    EXPECT_HOOKED(&h, zen_page_free(&a, 64, 2), ZEN_ERR_NOT_ALLOCATED);

    unsigned before = h.enters;
    zen_page_check_report report;
    CHECK_ST(zen_page_check(&a, &report), ZEN_OK);
    CHECK_EQ(zen_page_bitmap_words(64, 64), need);
    CHECK_EQ(h.enters, before);
    CHECK_EQ(h.leaves, before);

    /* Only an enter hook: it runs, the missing leave is skipped. */
    hook_log only = { .a = &a };
    const zen_hooks enter_only = { log_enter, NULL, &only };
    CHECK_ST(zen_page_init(&a, 64, 64, frames, words, need, NULL, &enter_only), ZEN_OK);
    CHECK_ST(zen_page_add_range(&a, 64, 64), ZEN_OK);
    CHECK_ST(zen_page_alloc(&a, 0, 0, &p), ZEN_OK);
    CHECK_EQ(only.enters, 2u);
    CHECK_EQ(only.leaves, 0u);
    CHECK_EQ(h.enters, before);
}

/* ========================================================================== */
/* 6. zero-fill, NOMEM, flags, peak, free_blocks                              */
/* ========================================================================== */

static int bytes_are(const void *p, size_t n, unsigned char v)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i] != v)
            return 0;
    return 1;
}

static void test_zero_fill(void)
{
    ctx("%s", "zero-fill", 0, 0);
    fx f;
    const zen_pfn start = 100;
    const uint64_t n = 64; /* [100, 164): 100:2 104:3 112:4 128:5 160:2 */
    fx_open(&f, start, n, 1);
    CHECK_ST(zen_page_add_range(&f.a, start, n), ZEN_OK);
    unsigned char *mem = (unsigned char *)f.memory;
    const size_t page = (size_t)ZEN_PAGE_SIZE;
    memset(mem, 0xA5, (size_t)n * page); /* dirty every frame */

    /* without the flag nothing is written */
    zen_pfn p0 = fx_alloc(&f, 0);
    CHECK_EQ(p0, 100);
    CHECK(bytes_are(mem, (size_t)n * page, 0xA5));

    /* ZERO zeroes exactly the block: 104:3 -> 104..111 */
    zen_pfn p = 0;
    CHECK_ST(zen_page_alloc(&f.a, 3, ZEN_PAGE_FLAG_ZERO, &p), ZEN_OK);
    CHECK_EQ(p, 104);
    fx_check(&f, "alloc zero");
    size_t off = (size_t)(p - start) * page;
    CHECK(bytes_are(mem + off, 8u * page, 0));
    CHECK(bytes_are(mem, off, 0xA5));
    CHECK(bytes_are(mem + off + 8u * page, (size_t)n * page - off - 8u * page, 0xA5));

    /* an order-0 zeroed block taken from a split: 101 */
    memset(mem + off, 0x3C, 8u * page);
    CHECK_ST(zen_page_alloc(&f.a, 0, ZEN_PAGE_FLAG_ZERO, &p), ZEN_OK);
    CHECK_EQ(p, 101);
    CHECK(bytes_are(mem + page, page, 0));
    CHECK(bytes_are(mem, page, 0xA5));
    CHECK(bytes_are(mem + 2u * page, page, 0xA5));
    CHECK(bytes_are(mem + off, 8u * page, 0x3C));

    /* flags: unknown bits are INVAL and change nothing, memory included */
    EXPECT_REJECT(&f, zen_page_alloc(&f.a, 0, 2u, &p), ZEN_ERR_INVAL);
    EXPECT_REJECT(&f, zen_page_alloc(&f.a, 0, ZEN_PAGE_FLAG_ZERO | 0x80u, &p), ZEN_ERR_INVAL);
    EXPECT_REJECT(&f, zen_page_alloc(&f.a, ZEN_PAGE_MAX_ORDER + 1u, ZEN_PAGE_FLAG_ZERO, &p),
                  ZEN_ERR_INVAL);
    fx_close(&f);

    /* ZERO without a direct map is INVAL, *pfn untouched */
    fx_open(&f, start, n, 0);
    CHECK_ST(zen_page_add_range(&f.a, start, n), ZEN_OK);
    p = 4242;
    EXPECT_REJECT(&f, zen_page_alloc(&f.a, 0, ZEN_PAGE_FLAG_ZERO, &p), ZEN_ERR_INVAL);
    CHECK_EQ(p, 4242);
    fx_close(&f);
}

static void test_nomem_peak_counts(void)
{
    ctx("%s", "NOMEM, peak, free_blocks", 0, 0);
    fx f;
    fx_open(&f, 3, 29, 0); /* 3:0 4:2 8:3 16:4 */
    CHECK_ST(zen_page_add_range(&f.a, 3, 29), ZEN_OK);
    CHECK_EQ(f.a.stats.free_blocks[0], 1);
    CHECK_EQ(f.a.stats.free_blocks[1], 0);
    CHECK_EQ(f.a.stats.free_blocks[2], 1);
    CHECK_EQ(f.a.stats.free_blocks[3], 1);
    CHECK_EQ(f.a.stats.free_blocks[4], 1);
    for (unsigned k = 5; k <= ZEN_PAGE_MAX_ORDER; k++)
        CHECK_EQ(f.a.stats.free_blocks[k], 0);
    CHECK_EQ(f.a.stats.free_frames, 29);
    CHECK_EQ(f.a.stats.peak_in_use, 0);

    zen_pfn a = fx_alloc(&f, 3);  /* 8 */
    zen_pfn b = fx_alloc(&f, 2);  /* 4 */
    zen_pfn c = fx_alloc(&f, 0);  /* 3 */
    CHECK_EQ(a, 8);
    CHECK_EQ(b, 4);
    CHECK_EQ(c, 3);
    CHECK_EQ(f.a.stats.peak_in_use, 13);
    fx_free(&f, a, 3);
    CHECK_EQ(f.a.stats.peak_in_use, 13); /* the peak stays */
    zen_pfn d = fx_alloc(&f, 1);          /* in use 7 */
    CHECK_EQ(d, 8);                       /* 8:3 split: 8:1 kept, 10:1, 12:2 freed */
    CHECK_EQ(f.a.stats.peak_in_use, 13);
    EXPECT_REJECT(&f, zen_page_free(&f.a, 9, 0), ZEN_ERR_NOT_HEAD);
    CHECK_EQ(f.a.stats.peak_in_use, 13);
    zen_pfn e = fx_alloc(&f, 4);          /* 16: in use 23 */
    CHECK_EQ(e, 16);
    CHECK_EQ(f.a.stats.peak_in_use, 23);
    EXPECT_FREE(&f, {10, 1}, {12, 2});

    /* NOMEM: only oom_count changes, *pfn untouched */
    uint64_t rej = f.a.stats.rejected;
    for (unsigned order = 3; order <= ZEN_PAGE_MAX_ORDER; order++) {
        snap s;
        snap_take(&s, &f);
        zen_pfn p = 31337;
        CHECK_ST(zen_page_alloc(&f.a, order, 0, &p), ZEN_ERR_NOMEM);
        CHECK(snap_same(&s, &f, 0, 1));
        CHECK_EQ(p, 31337);
        snap_drop(&s);
        fx_check(&f, "nomem");
    }
    CHECK_EQ(f.a.stats.oom_count, ZEN_PAGE_MAX_ORDER - 2u);
    CHECK_EQ(f.a.stats.rejected, rej);
    /* exhaust completely: then even order 0 is NOMEM */
    CHECK_EQ(fx_alloc(&f, 0), 10);
    CHECK_EQ(fx_alloc(&f, 0), 11);
    CHECK_EQ(fx_alloc(&f, 2), 12);
    CHECK_EQ(f.a.stats.free_frames, 0);
    CHECK_EQ(f.a.stats.peak_in_use, 29);
    for (unsigned k = 0; k <= ZEN_PAGE_MAX_ORDER; k++)
        CHECK_EQ(f.a.stats.free_blocks[k], 0);
    snap s;
    snap_take(&s, &f);
    zen_pfn p = 1;
    CHECK_ST(zen_page_alloc(&f.a, 0, 0, &p), ZEN_ERR_NOMEM);
    CHECK(snap_same(&s, &f, 0, 1));
    CHECK_EQ(p, 1);
    snap_drop(&s);
    fx_close(&f);
}

/* ========================================================================== */
/* 7. zen_page_check detects corruption                                       */
/* ========================================================================== */

static void expect_corrupt_(fx *f, uint32_t inv, int check_pfn, zen_pfn pfn, const char *what,
                            int line)
{
    zen_page_check_report r;
    memset(&r, 0, sizeof r);
    zen_status st = zen_page_check(&f->a, &r);
    char msg[240];
    int len = snprintf(msg, sizeof msg, "%s: check gave %s, %s at pfn %" PRIu64
                       "; want ZEN_ERR_CORRUPT, %s", what, status_name(st),
                       inv_name(r.invariant), r.pfn, inv_name(inv));
    if (check_pfn && len > 0 && (size_t)len < sizeof msg)
        snprintf(msg + len, sizeof msg - (size_t)len, " at pfn %" PRIu64, pfn);
    check_(st == ZEN_ERR_CORRUPT && r.invariant == inv && (!check_pfn || r.pfn == pfn), msg,
           __FILE__, line);
}

/* Corrupt, check, restore, check clean again. */
#define CORRUPT(f, s, inv, check_pfn, pfn, what, ...)                                     \
    do {                                                                                  \
        __VA_ARGS__;                                                                      \
        expect_corrupt_((f), (inv), (check_pfn), (pfn), (what), __LINE__);                \
        memcpy((f)->frames, (s)->frames, (size_t)(f)->n * sizeof *(f)->frames);           \
        memcpy((f)->words, (s)->words, (size_t)(f)->nwords * sizeof *(f)->words);         \
        (f)->a = (s)->a;                                                                  \
        fx_check((f), "restored after " what);                                            \
    } while (0)

static void test_check_detects(void)
{
    ctx("%s", "check detects corruption", 0, 0);
    fx f;
    fx_open(&f, 3, 200, 0); /* [3, 203) with a hole [153, 160) */
    CHECK_ST(zen_page_add_range(&f.a, 3, 150), ZEN_OK);
    CHECK_ST(zen_page_add_range(&f.a, 160, 43), ZEN_OK);
    /* [3, 153): 3:0 4:2 8:3 16:4 32:5 64:6 128:4 144:3 152:0
     * [160, 203): 160:5 192:3 200:1 202:0 */
    EXPECT_FREE(&f, {3, 0}, {4, 2}, {8, 3}, {16, 4}, {32, 5}, {64, 6}, {128, 4}, {144, 3},
                {152, 0}, {160, 5}, {192, 3}, {200, 1}, {202, 0});
    CHECK_EQ(fx_alloc(&f, 0), 3);
    CHECK_EQ(fx_alloc(&f, 2), 4);
    CHECK_EQ(fx_alloc(&f, 3), 8);
    /* allocated 3:0 4:2 8:3; free 16:4 32:5 64:6 128:4 144:3 152:0 160:5
     * 192:3 200:1 202:0; reserved 153..159 */
    CHECK(f.a.tree[0].levels >= 2u); /* 200 order-0 bits: 4 words + 1 summary word */
    snap s;
    snap_take(&s, &f);

    /* descriptor states and orders */
    CORRUPT(&f, &s, ZEN_INV_FRAME_STATE, 1, 8, "allocated head with state 7",
            fr(&f, 8)->state = 7);
    CORRUPT(&f, &s, ZEN_INV_FRAME_STATE, 1, 155, "reserved frame with state 200",
            fr(&f, 155)->state = 200);
    CORRUPT(&f, &s, ZEN_INV_FRAME_STATE, 1, 16, "free head with order MAX+1",
            fr(&f, 16)->order = ZEN_PAGE_MAX_ORDER + 1u);
    CORRUPT(&f, &s, ZEN_INV_FRAME_STATE, 1, 8, "allocated head with order 200",
            fr(&f, 8)->order = 200);
    /* zen_page_valid() (the precondition of every function) requires every
     * frame's order <= MAX, and FRAME_STATE is "order above the maximum":
     * a tail or a reserved frame with such an order must be reported too. */
    CORRUPT(&f, &s, ZEN_INV_FRAME_STATE, 1, 17, "tail with order MAX+1",
            fr(&f, 17)->order = ZEN_PAGE_MAX_ORDER + 1u);
    CORRUPT(&f, &s, ZEN_INV_FRAME_STATE, 1, 156, "reserved frame with order MAX+1",
            fr(&f, 156)->order = ZEN_PAGE_MAX_ORDER + 1u);

    /* head alignment */
    CORRUPT(&f, &s, ZEN_INV_HEAD_ALIGN, 1, 3, "order-0 head at odd pfn given order 1",
            fr(&f, 3)->order = 1);
    CORRUPT(&f, &s, ZEN_INV_HEAD_ALIGN, 1, 202, "last frame's block grown past the range",
            fr(&f, 202)->order = 1);

    /* tails */
    CORRUPT(&f, &s, ZEN_INV_TAIL, 1, 20, "tail of a free block made reserved",
            fr(&f, 20)->state = ZEN_FRAME_RESERVED);
    CORRUPT(&f, &s, ZEN_INV_TAIL, 1, 9, "tail of an allocated block made a free head",
            fr(&f, 9)->state = ZEN_FRAME_FREE);
    CORRUPT(&f, &s, ZEN_INV_TAIL, 1, 154, "reserved frame made a tail (outside any block)",
            fr(&f, 154)->state = ZEN_FRAME_TAIL);

    /* reference counts */
    CORRUPT(&f, &s, ZEN_INV_REFCOUNT, 1, 4, "allocated head with refcount 0",
            fr(&f, 4)->refcount = 0);
    CORRUPT(&f, &s, ZEN_INV_REFCOUNT, 1, 32, "free head with refcount 1",
            fr(&f, 32)->refcount = 1);

    /* maximality: 64:6 split into 64:5 + 96:5 with bitmap and counters made
     * consistent, so only "not coalesced" is wrong */
    CORRUPT(&f, &s, ZEN_INV_NOT_MAXIMAL, 1, 64, "free buddies 64:5 and 96:5 not merged",
            fr(&f, 64)->order = 5; *fr(&f, 96) = *fr(&f, 64);
            tree_bit(&f, 6, block_index(&f, 64, 6), 0);
            tree_bit(&f, 5, block_index(&f, 64, 5), 1);
            tree_bit(&f, 5, block_index(&f, 96, 5), 1);
            f.a.stats.free_blocks[6]--; f.a.stats.free_blocks[5] += 2u);

    /* bitmap */
    CHECK(level0_bit(&f, 4, block_index(&f, 128, 4)));
    CORRUPT(&f, &s, ZEN_INV_BITMAP, 1, 128, "bit of free block 128:4 cleared",
            tree_bit(&f, 4, block_index(&f, 128, 4), 0));
    CORRUPT(&f, &s, ZEN_INV_BITMAP, 0, 0, "bit set for allocated 8:3",
            tree_bit(&f, 3, block_index(&f, 8, 3), 1));
    CORRUPT(&f, &s, ZEN_INV_BITMAP, 0, 0, "order-0 bit set for a tail (pfn 17)",
            tree_bit(&f, 0, block_index(&f, 17, 0), 1));
    /* order 0 has 200 possible blocks: bit 250 lies past the end; its word
     * (3) is non-zero already (202:0 is index 199), so only level 0 changes */
    CORRUPT(&f, &s, ZEN_INV_BITMAP, 0, 0, "order-0 bit past the last block",
            f.words[f.a.tree[0].offset[0] + 3u] |= (uint64_t)1 << (250u - 192u));
    CORRUPT(&f, &s, ZEN_INV_BITMAP, 0, 0, "raw level-0 bit flip for a reserved frame",
            f.words[f.a.tree[0].offset[0] + block_index(&f, 155, 0) / 64u] ^=
            (uint64_t)1 << (block_index(&f, 155, 0) % 64u));

    /* summary levels: order-0 level-0 word 1 (indices 64..127) is zero,
     * words 2 (152:0) and 3 (202:0) are not */
    CHECK_EQ(f.words[f.a.tree[0].offset[0] + 1u], 0);
    CHECK(f.words[f.a.tree[0].offset[0] + 2u] != 0u);
    CORRUPT(&f, &s, ZEN_INV_SUMMARY, 0, 0, "summary bit set over an empty word",
            f.words[f.a.tree[0].offset[1]] |= (uint64_t)1 << 1);
    CORRUPT(&f, &s, ZEN_INV_SUMMARY, 0, 0, "summary bit cleared over a non-empty word",
            f.words[f.a.tree[0].offset[1]] &= ~((uint64_t)1 << 2));
    CORRUPT(&f, &s, ZEN_INV_SUMMARY, 0, 0, "summary bit past the level below",
            f.words[f.a.tree[0].offset[1]] |= (uint64_t)1 << 5);

    /* counters */
    CORRUPT(&f, &s, ZEN_INV_COUNTS, 0, 0, "free_frames + 1", f.a.stats.free_frames++);
    CORRUPT(&f, &s, ZEN_INV_COUNTS, 0, 0, "managed - 1", f.a.stats.managed--);
    CORRUPT(&f, &s, ZEN_INV_COUNTS, 0, 0, "free_blocks[5] + 1", f.a.stats.free_blocks[5]++);
    CORRUPT(&f, &s, ZEN_INV_COUNTS, 0, 0, "free_blocks[0] - 1", f.a.stats.free_blocks[0]--);
    CORRUPT(&f, &s, ZEN_INV_COUNTS, 0, 0, "peak below in use",
            f.a.stats.peak_in_use = f.a.stats.managed - f.a.stats.free_frames - 1u);
    snap_drop(&s);
    fx_close(&f);
}

/* ========================================================================== */
/* 8. long random sequences against the model                                 */
/* ========================================================================== */

typedef struct geom {
    const char *name;
    zen_pfn start;
    uint64_t n;
    int memory;
    uint64_t add[4][2]; /* (offset, count) ranges added at the start */
    unsigned nadd;
    unsigned ops;
    unsigned every; /* zen_page_check and full model comparison every this many ops */
    unsigned seeds;
} geom;

static void fill_pattern(fx *f, zen_pfn pfn, unsigned order)
{
    uint64_t *w = f->memory + (pfn - f->start) * ZEN_PAGE_WORDS_PER_FRAME;
    for (uint64_t j = 0; j < BLOCK(order) * ZEN_PAGE_WORDS_PER_FRAME; j++)
        w[j] = pfn * 0x9E3779B97F4A7C15u + j;
}

static int pattern_ok(fx *f, zen_pfn pfn, unsigned order)
{
    const uint64_t *w = f->memory + (pfn - f->start) * ZEN_PAGE_WORDS_PER_FRAME;
    for (uint64_t j = 0; j < BLOCK(order) * ZEN_PAGE_WORDS_PER_FRAME; j++)
        if (w[j] != pfn * 0x9E3779B97F4A7C15u + j)
            return 0;
    return 1;
}

static int zeroed(fx *f, zen_pfn pfn, unsigned order)
{
    const uint64_t *w = f->memory + (pfn - f->start) * ZEN_PAGE_WORDS_PER_FRAME;
    for (uint64_t j = 0; j < BLOCK(order) * ZEN_PAGE_WORDS_PER_FRAME; j++)
        if (w[j] != 0u)
            return 0;
    return 1;
}

static void random_run(const geom *g, uint64_t seed)
{
    fx f;
    model m;
    g_rng = seed * 0x2545F4914F6CDD1Du + 17u;
    fx_open(&f, g->start, g->n, g->memory);
    model_open(&m, g->start, g->n, g->memory);
    for (unsigned i = 0; i < g->nadd; i++) {
        CHECK_ST(zen_page_add_range(&f.a, g->start + g->add[i][0], g->add[i][1]), ZEN_OK);
        CHECK_ST(model_add_range(&m, g->start + g->add[i][0], g->add[i][1]), ZEN_OK);
    }
    if (f.memory != NULL)
        memset(f.memory, 0x5A, (size_t)(g->n * ZEN_PAGE_SIZE));
    ctx("%s seed %" PRIu64 " setup%.0" PRIu64, g->name, seed, 0);
    fx_check(&f, "setup");
    CHECK(model_matches(&m, &f));

    blk *live = xcalloc((size_t)g->n, sizeof *live);
    uint64_t nlive = 0;
    unsigned mismatches = 0;
    for (unsigned op = 0; op < g->ops && mismatches < 3u; op++) {
        ctx("%s seed %" PRIu64 " op %" PRIu64, g->name, seed, op);
        unsigned r = (unsigned)rnd_below(100);
        zen_status got = ZEN_OK, want = ZEN_OK;
        snap s;
        snap_take(&s, &f);
        const char *what = "";
        uint64_t li = nlive ? rnd_below(nlive) : 0u;
        if (r < 40u || nlive == 0u) {
            unsigned pick = (unsigned)rnd_below(100);
            unsigned order = pick < 70u ? (unsigned)rnd_below(3)
                             : pick < 95u ? (unsigned)rnd_below(6)
                                          : (unsigned)rnd_below(ZEN_PAGE_MAX_ORDER + 2u);
            unsigned flags = 0;
            unsigned fl = (unsigned)rnd_below(100);
            if (fl < 2u)
                flags = 2u;
            else if (fl < 30u)
                flags = ZEN_PAGE_FLAG_ZERO;
            zen_pfn p1 = 0xDEAD, p2 = 0xBEEF;
            got = zen_page_alloc(&f.a, order, flags, &p1);
            want = model_alloc(&m, order, flags, &p2);
            what = "alloc";
            if (got == ZEN_OK && want == ZEN_OK) {
                CHECK_EQ(p1, p2);
                CHECK_EQ(p1 & (BLOCK(order) - 1u), 0);
                if (f.memory != NULL) {
                    if (flags & ZEN_PAGE_FLAG_ZERO)
                        CHECK(zeroed(&f, p1, order));
                    fill_pattern(&f, p1, order);
                }
                live[nlive].pfn = p2;
                live[nlive].order = order;
                nlive++;
            } else {
                CHECK_EQ(p1, 0xDEAD); /* written only on success */
            }
        } else if (r < 70u) {
            blk b = live[li];
            if (f.memory != NULL && m.ref[b.pfn - m.start] == 1u)
                CHECK(pattern_ok(&f, b.pfn, b.order));
            got = zen_page_free(&f.a, b.pfn, b.order);
            want = model_free(&m, b.pfn, b.order);
            what = "free";
        } else if (r < 75u) {
            got = zen_page_get(&f.a, live[li].pfn);
            want = model_get(&m, live[li].pfn);
            what = "get";
        } else if (r < 80u) {
            blk b = live[li];
            if (f.memory != NULL && m.ref[b.pfn - m.start] == 1u)
                CHECK(pattern_ok(&f, b.pfn, b.order));
            got = zen_page_put(&f.a, b.pfn);
            want = model_put(&m, b.pfn);
            what = "put";
        } else if (r < 83u) {
            unsigned owner = (unsigned)rnd_below(ZEN_OWNER_LAST + 2u);
            got = zen_page_set_owner(&f.a, live[li].pfn, owner, 0u);
            want = model_set_owner(&m, live[li].pfn, owner);
            what = "set_owner";
        } else if (r < 96u) {
            /* a request at an arbitrary or nearly-right place: tails, heads
             * with a wrong order, free blocks, holes, outside */
            zen_pfn p;
            if (nlive != 0u && rnd_below(2) == 0u)
                p = live[li].pfn + rnd_below(BLOCK(live[li].order) + 1u);
            else
                p = g->start + rnd_below(g->n + 4u) - 2u; /* may wrap below 0: RANGE */
            unsigned order = (unsigned)rnd_below(ZEN_PAGE_MAX_ORDER + 2u);
            switch (rnd_below(4)) {
            case 0:
                got = zen_page_free(&f.a, p, order);
                want = model_free(&m, p, order);
                what = "free(any)";
                break;
            case 1:
                got = zen_page_get(&f.a, p);
                want = model_get(&m, p);
                what = "get(any)";
                break;
            case 2:
                got = zen_page_put(&f.a, p);
                want = model_put(&m, p);
                what = "put(any)";
                break;
            default:
                got = zen_page_set_owner(&f.a, p, order % (ZEN_OWNER_LAST + 2u), 0u);
                want = model_set_owner(&m, p, order % (ZEN_OWNER_LAST + 2u));
                what = "set_owner(any)";
                break;
            }
        } else {
            zen_pfn p = g->start + rnd_below(g->n + 4u) - 2u;
            uint64_t count = rnd_below(12);
            got = zen_page_add_range(&f.a, p, count);
            want = model_add_range(&m, p, count);
            what = "add_range";
        }
        if (!check_st_(got, want, what, __FILE__, __LINE__))
            mismatches++;
        if (want == ZEN_ERR_NOMEM)
            check_(snap_same(&s, &f, 0, 1), "NOMEM changes only oom_count", __FILE__, __LINE__);
        else if (want != ZEN_OK)
            check_(snap_same(&s, &f, 1, 0), "an error changes only rejected", __FILE__,
                   __LINE__);
        snap_drop(&s);
        /* blocks whose last reference went are no longer live */
        for (uint64_t i = 0; i < nlive;) {
            if (m.head[live[i].pfn - m.start] != live[i].pfn - m.start)
                live[i] = live[--nlive];
            else
                i++;
        }
        if (op % g->every != 0u && op + 1u != g->ops)
            continue;
        if (!fx_check(&f, what))
            mismatches++;
        if (!check_(model_matches(&m, &f), "descriptors, bitmap and counters as the model",
                        __FILE__, __LINE__))
                mismatches++;
    }
    /* drop every reference, in random order, then compare once more: the
     * free space must be the canonical decomposition of the usable frames */
    ctx("%s seed %" PRIu64 " teardown%.0" PRIu64, g->name, seed, 0);
    while (nlive != 0u) {
        uint64_t i = rnd_below(nlive);
        CHECK_ST(zen_page_put(&f.a, live[i].pfn), ZEN_OK);
        model_put(&m, live[i].pfn);
        if (m.head[live[i].pfn - m.start] == NONE)
            live[i] = live[--nlive];
    }
    fx_check(&f, "teardown");
    CHECK(model_matches(&m, &f));
    CHECK_EQ(f.a.stats.free_frames, f.a.stats.managed);
    free(live);
    model_close(&m);
    fx_close(&f);
}

static void test_random(void)
{
    static const geom geoms[] = {
        /* name, start, nframes, direct map, ranges added, ops, check every, seeds */
        {"tiny start=3 n=29", 3, 29, 0, {{0, 29}}, 1, 3000, 1, 3},
        {"hole start=5 n=20", 5, 20, 0, {{0, 10}, {12, 8}}, 2, 3000, 1, 3},
        {"pfn 0 n=3000", 0, 3000, 0, {{0, 3000}}, 1, 4000, 1, 3},
        {"odd start, holes", 1000003, 1500, 0, {{0, 600}, {650, 700}}, 2, 5000, 1, 3},
        {"top of pfn space", ZEN_PFN_LIMIT - 2500u, 2500, 0, {{0, 2500}}, 1, 4000, 1, 3},
        {"3-level tree, holes", 4093, 4200, 0, {{0, 1000}, {1003, 2000}, {3100, 1100}}, 3,
         4000, 1, 3},
        {"direct map", 77, 200, 1, {{0, 190}}, 1, 3000, 1, 3},
        {"4-level tree", 1, 300000, 0, {{0, 150000}, {150001, 149999}}, 2, 1000, 25, 1},
    };
    for (size_t i = 0; i < sizeof geoms / sizeof geoms[0]; i++)
        for (uint64_t seed = 1; seed <= geoms[i].seeds; seed++)
            random_run(&geoms[i], seed);
}

/* ========================================================================== */

int main(void)
{
    test_bitmap_words();
    test_init();
    test_add_range();
    test_policy_start3();
    test_policy_holes();
    test_policy_max_order();
    test_policy_top_of_pfn_space();
    test_split_lower_half();
    test_alignment();
    test_coalesce_back();
    test_free_errors();
    test_refcounts();
    test_set_owner();
    test_find();
    test_hooks();
    test_zero_fill();
    test_nomem_peak_counts();
    test_check_detects();
    test_random();
    printf("%lu passed, %lu failed\n", g_passed, g_failed);
    return g_failed == 0u ? 0 : 1;
}
