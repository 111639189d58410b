/* Differential fuzzer: the core's address spaces (core/zen_space.h,
 * zen_space.c) against the executable spec (spec/space_spec.c), each over
 * its own zone allocator (the core's zone set, the spec's zone model) built
 * from the same memory map.
 *
 * Input: a head of 16 bytes, then operations of 4 bytes each (a shorter
 * tail is ignored).
 *   head[0]   memory: 1 + b % 48 usable frames at 1 MiB (zone DMA)
 *   head[1]   b % 24 usable frames at 16 MiB (zone DMA32; 0: absent)
 *   head[2]   bits 0-1 max_zone (3: an unknown zone), bit 2 no direct map
 *             for DMA32, bit 3 the page table one slot short, bit 4 the
 *             image's page size halved, bit 5 the initial stack above its
 *             limit, bit 6 no words for DATA
 *   head[3..11] one size selector each (decode_size) for TEXT, RODATA,
 *             DATA, BSS, COMM, DEBUG, the heap limit, the stack limit and
 *             the initial stack
 *   head[12]  the top (decode_top): a few MiB, misaligned, or near 2^64
 *   head[13..15] unused, kept for later fields
 * An operation's byte 0 picks it (op[0] % 8):
 *   0-3  fault: op[1] an anchor (decode_address), op[2] an offset in
 *        quarter pages, op[3] the access (bits 0-1: R, W, X, or R|W which
 *        is none) and mode (bit 2; bit 3 an unknown mode)
 *   4    brk: the heap's base plus op[1..2] bytes in quarter pages, or
 *        under the base / past the reach (op[3])
 *   5    frame_at: an address as for a fault
 *   6    teardown
 *   7    take (op[1] even) or give back a frame straight from the zones,
 *        so that faults meet exhausted zones
 *
 * Checks: zen_space_slots and zen_space_init answer as the spec (status;
 * init writes nothing on an error); on every operation the core and the
 * spec answer the same status, the same fault (address, cause, signal;
 * *fault written only for ZEN_ERR_FAULT), the same frame for a new mapping
 * and for frame_at, the same break, heap and stack; the new frame's words
 * are the spec's (the image's words for a loaded page, zeros otherwise);
 * zen_space_check and zen_zone_check pass after every operation, and
 * stats.mapped is the spec's count. At the end, teardown gives every
 * zone's free frames back to their count before the space mapped any.
 * Any difference is a crash (__builtin_trap, after a line on stderr naming
 * what differed). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "space_spec.h"
#include "zen_space.h"
#include "zone_spec.h"

#define HEAD_BYTES 16u
#define OP_BYTES 4u
#define MAX_SLOTS 4096u  /* larger images are only checked up to init */
#define MAX_WORDS 65536u /* image words per loaded segment, at most */
#define MAX_TAKEN 64u

static void fail(const char *what, uint64_t detail)
{
    fprintf(stderr, "space_fuzz: %s (%llu)\n", what, (unsigned long long)detail);
    __builtin_trap();
}

/* A size from selector byte b: zero, a few bytes, whole pages, pages and
 * a few bytes, or far too large. */
static uint64_t decode_size(uint8_t b)
{
    switch (b >> 5) {
    case 0:
        return 0;
    case 1:
        return b & 0x1Fu;
    case 2:
    case 3:
        return (uint64_t)(b & 7u) * ZEN_PAGE_SIZE;
    case 4:
    case 5:
        return (uint64_t)(b & 7u) * ZEN_PAGE_SIZE + ((uint64_t)(b >> 3 & 3u) + 1u) * 1000u;
    case 6:
        return ((uint64_t)1 << (20u + (b & 0x1Fu))); /* 1 MiB .. 2^51 */
    default:
        return UINT64_MAX - (b & 0x1Fu) * ZEN_PAGE_SIZE;
    }
}

static uint64_t decode_top(uint8_t b)
{
    switch (b >> 6) {
    case 0:
    case 1:
        return ((uint64_t)(b & 7u) + 1u) << 20; /* 1 .. 8 MiB */
    case 2:
        return (((uint64_t)(b & 7u) + 1u) << 20) + (b & 0x38u); /* misaligned */
    default:
        return UINT64_MAX - ZEN_PAGE_SIZE + 1u - (uint64_t)(b & 0x3Fu) * ZEN_PAGE_SIZE;
    }
}

/* The address an operation names: an anchor of the layout plus a signed
 * offset in quarter pages. */
static uint64_t decode_address(const zen_layout *l, uint64_t brk, uint8_t anchor, uint8_t offset)
{
    unsigned which = (anchor >> 1) % 14u;
    bool end = (anchor & 1u) != 0u;
    uint64_t at;
    if (which < ZEN_SEG_KINDS)
        at = l->seg[which].base + (end ? l->seg[which].size : 0u);
    else if (which == 11u)
        at = end ? l->heap_end : brk;
    else if (which == 12u)
        at = l->stack_floor;
    else
        at = l->top;
    int64_t quarters = (int8_t)offset;
    return at + (uint64_t)(quarters * (int64_t)(ZEN_PAGE_SIZE / 4u)) + (anchor & 0x18u);
}

/* One test world: the same memory in a zone set and a zone model, an
 * address space over each. */
typedef struct world {
    zen_mem_range map[2];
    uint64_t count;
    zen_zone_set zones;
    zen_page_frame *frames;
    uint64_t *words;
    uint64_t *memory[ZEN_ZONE_COUNT];
    zone_spec zspec;
    zen_image image;
    uint64_t *load[3];
    zen_space core;
    space_spec spec;
    zen_pfn *table;
    uint64_t free_before[ZEN_ZONE_COUNT];
    zen_pfn taken[MAX_TAKEN];
    unsigned ntaken;
} world;

static uint64_t free_frames(const zen_zone_set *s, unsigned z)
{
    zen_zone_info info;
    if (zen_zone_stats(s, z, &info) != ZEN_OK)
        fail("zen_zone_stats", z);
    return info.present ? info.free_frames : 0;
}

/* The zones: returns false when the map cannot be built (never, for these
 * maps, unless the host is out of memory). */
static bool build_zones(world *w, const uint8_t *head)
{
    w->count = 0;
    w->map[w->count++] = (zen_mem_range){(uint64_t)1 << 20, (1u + head[0] % 48u) * ZEN_PAGE_SIZE, ZEN_MEM_USABLE};
    if (head[1] % 24u != 0u)
        w->map[w->count++] = (zen_mem_range){(uint64_t)16 << 20, (head[1] % 24u) * ZEN_PAGE_SIZE, ZEN_MEM_USABLE};
    zen_zone_layout plan;
    if (zen_zone_plan(w->map, w->count, 2, &plan) != ZEN_OK)
        fail("zen_zone_plan", 0);
    w->frames = malloc(plan.frames_needed * sizeof *w->frames);
    w->words = malloc((plan.words_needed > 0 ? plan.words_needed : 1u) * sizeof *w->words);
    if (w->frames == NULL || w->words == NULL)
        return false;
    if (zen_zone_init(&w->zones, w->map, w->count, 2, w->frames, plan.frames_needed, w->words,
                      plan.words_needed, NULL) != ZEN_OK)
        fail("zen_zone_init", 0);
    if (zone_spec_init(&w->zspec, w->map, w->count, 2) != ZEN_OK)
        fail("zone_spec_init", 0);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++) {
        if (plan.nframes[z] == 0u || (z == ZEN_ZONE_DMA32 && (head[2] & 4u) != 0u))
            continue;
        w->memory[z] = calloc(plan.nframes[z] * ZEN_PAGE_WORDS_PER_FRAME, sizeof(uint64_t));
        if (w->memory[z] == NULL)
            return false;
        if (zen_zone_attach_memory(&w->zones, z, w->memory[z]) != ZEN_OK ||
            zone_spec_attach_memory(&w->zspec, z) != ZEN_OK)
            fail("attach_memory", z);
    }
    return true;
}

/* A loaded segment's words: a pattern naming the segment and the word. */
static uint64_t *make_words(uint64_t bytes, unsigned n)
{
    uint64_t count = bytes / 8u + (bytes % 8u != 0u);
    if (count == 0u || count > MAX_WORDS)
        return NULL;
    uint64_t *words = malloc(count * sizeof *words);
    if (words == NULL)
        return NULL;
    for (uint64_t i = 0; i < count; i++)
        words[i] = ((uint64_t)(n + 1u) << 56) ^ (i * 0x9E3779B97F4A7C15ull) ^ 1u;
    return words;
}

static void decode_image(world *w, const uint8_t *head)
{
    zen_image *img = &w->image;
    img->page_size = (head[2] & 0x10u) != 0u ? ZEN_PAGE_SIZE / 2u : ZEN_PAGE_SIZE;
    img->text_size = decode_size(head[3]);
    img->rodata_size = decode_size(head[4]);
    img->data_size = decode_size(head[5]);
    img->bss_size = decode_size(head[6]);
    img->comm_size = decode_size(head[7]);
    img->debug_size = decode_size(head[8]);
    img->heap_limit = decode_size(head[9]);
    img->stack_limit = decode_size(head[10]);
    img->stack_size = decode_size(head[11]);
    if (img->stack_size > img->stack_limit && (head[2] & 0x20u) == 0u)
        img->stack_size = img->stack_limit;
    img->top = decode_top(head[12]);
    w->load[0] = make_words(img->text_size, 0);
    w->load[1] = make_words(img->rodata_size, 1);
    w->load[2] = (head[2] & 0x40u) != 0u ? NULL : make_words(img->data_size, 2);
    img->text = w->load[0];
    img->rodata = w->load[1];
    img->data = w->load[2];
}

static void compare_space(world *w)
{
    const zen_layout *l = &w->core.layout;
    const seg_spec_layout *s = &w->spec.layout;
    for (unsigned k = 0; k < ZEN_SEG_KINDS; k++)
        if (l->seg[k].base != s->seg[k].base || l->seg[k].size != s->seg[k].size ||
            l->seg[k].flags != s->seg[k].flags)
            fail("segment differs from the spec", k);
    if (w->core.brk != w->spec.brk)
        fail("break differs from the spec", w->core.brk);
    if (w->core.stats.mapped != w->spec.count)
        fail("mapped count differs from the spec", w->core.stats.mapped);
    zen_space_check_report r;
    if (zen_space_check(&w->core, &r) != ZEN_OK)
        fail("zen_space_check", r.invariant);
    zen_zone_check_report zr;
    if (zen_zone_check(&w->zones, &zr) != ZEN_OK)
        fail("zen_zone_check", zr.invariant);
}

/* The new frame of the page at addr holds the spec's words. */
static void check_contents(const world *w, uint64_t addr, zen_pfn pfn)
{
    const zen_page_allocator *a = &w->zones.zone[pfn < ZEN_ZONE_DMA32_START ? 0 : 1].pages;
    const uint64_t *frame = a->memory + (pfn - a->start) * ZEN_PAGE_WORDS_PER_FRAME;
    const uint64_t page = addr - addr % ZEN_PAGE_SIZE;
    for (uint64_t j = 0; j < ZEN_PAGE_WORDS_PER_FRAME; j++)
        if (frame[j] != space_spec_word(&w->spec, page, j))
            fail("frame word differs from the image", j);
}

static void run_fault(world *w, const uint8_t *op, bool query)
{
    static const uint32_t accesses[4] = {ZEN_SEG_R, ZEN_SEG_W, ZEN_SEG_X, ZEN_SEG_R | ZEN_SEG_W};
    const uint64_t addr = decode_address(&w->core.layout, w->core.brk, op[1], op[2]);
    if (query) {
        zen_pfn got = 7, want = 7;
        zen_status sc = zen_space_frame_at(&w->core, addr, &got);
        zen_status ss = space_spec_frame_at(&w->spec, addr, &want);
        if (sc != ss || got != want)
            fail("frame_at differs from the spec", addr);
        return;
    }
    const uint32_t access = accesses[op[3] & 3u];
    const uint32_t mode = (op[3] & 8u) != 0u ? 2u : (op[3] >> 2) & 1u;
    zen_fault fc = {0x5A5A, 0x5A5A, 0x5A5A}, fs = {0x5A5A, 0x5A5A, 0x5A5A};
    const uint64_t before = w->core.stats.mapped;
    zen_status sc = zen_space_fault(&w->core, addr, access, mode, &fc);
    zen_pfn want;
    zen_status ss = space_spec_fault(&w->spec, addr, access, mode, &fs, &want);
    if (sc != ss)
        fail("fault status differs from the spec", (uint64_t)sc * 100u + (uint64_t)ss);
    if (fc.addr != fs.addr || fc.cause != fs.cause || fc.signal != fs.signal)
        fail("fault record differs from the spec", fc.cause);
    if (sc != ZEN_OK)
        return;
    if (want == ZEN_SPACE_NO_FRAME) {
        if (w->core.stats.mapped != before)
            fail("a fault on a mapped page mapped a frame", addr);
        return;
    }
    zen_pfn got;
    if (zen_space_frame_at(&w->core, addr, &got) != ZEN_OK || got != want)
        fail("new frame differs from the spec", got);
    check_contents(w, addr, got);
}

static void run_brk(world *w, const uint8_t *op)
{
    const zen_segment *heap = &w->core.layout.seg[ZEN_SEG_HEAP];
    uint64_t to = heap->base + ((uint64_t)op[1] | (uint64_t)op[2] << 8) * (ZEN_PAGE_SIZE / 16u) + (op[3] & 0xFu);
    if (op[3] >= 0xF0u)
        to = heap->base - 1u - (op[3] & 0xFu);
    else if (op[3] >= 0xE0u)
        to = w->core.layout.heap_end + (op[3] & 0xFu);
    zen_status sc = zen_space_brk(&w->core, to);
    zen_status ss = space_spec_brk(&w->spec, to);
    if (sc != ss)
        fail("brk status differs from the spec", to);
}

static void run_take(world *w, const uint8_t *op)
{
    if ((op[1] & 1u) == 0u && w->ntaken < MAX_TAKEN) {
        zen_pfn pc = 0, ps = 0;
        zen_status sc = zen_zone_alloc(&w->zones, ZEN_ZONE_DMA32, op[2] % 3u, 0, &pc);
        zen_status ss = zone_spec_alloc(&w->zspec, ZEN_ZONE_DMA32, op[2] % 3u, 0, &ps);
        if (sc != ss || (sc == ZEN_OK && pc != ps))
            fail("zone alloc differs from the spec", pc);
        if (sc == ZEN_OK)
            w->taken[w->ntaken++] = pc | (zen_pfn)(op[2] % 3u) << 60;
    } else if (w->ntaken > 0u) {
        unsigned i = op[2] % w->ntaken;
        zen_pfn pfn = w->taken[i] & (((zen_pfn)1 << 60) - 1u);
        unsigned order = (unsigned)(w->taken[i] >> 60);
        if (zen_zone_free(&w->zones, pfn, order) != ZEN_OK || zone_spec_free(&w->zspec, pfn, order) != ZEN_OK)
            fail("zone free of a taken block", pfn);
        w->taken[i] = w->taken[--w->ntaken];
    }
}

static void run_ops(world *w, const uint8_t *ops, size_t n)
{
    for (size_t at = 0; at + OP_BYTES <= n; at += OP_BYTES) {
        const uint8_t *op = ops + at;
        switch (op[0] % 8u) {
        case 4:
            run_brk(w, op);
            break;
        case 5:
            run_fault(w, op, true);
            break;
        case 6:
            if (zen_space_teardown(&w->core) != space_spec_teardown(&w->spec))
                fail("teardown differs from the spec", 0);
            break;
        case 7:
            run_take(w, op);
            break;
        default:
            run_fault(w, op, false);
        }
        compare_space(w);
    }
}

/* init: the same answer as the spec; nothing written on an error. */
static bool init_space(world *w, const uint8_t *head)
{
    const unsigned max_zone = head[2] & 3u;
    uint64_t slots = 0, want = 0;
    zen_status sc = zen_space_slots(&w->image, &slots);
    zen_status ss = space_spec_slots(&w->image, &want);
    if (sc != ss || slots != want)
        fail("slots differ from the spec", slots);
    const uint64_t room = sc == ZEN_OK && slots <= MAX_SLOTS ? slots : MAX_SLOTS;
    const uint64_t capacity = (head[2] & 8u) != 0u && room > 0u ? room - 1u : room;
    w->table = malloc((room > 0u ? room : 1u) * sizeof *w->table);
    if (w->table == NULL)
        return false;
    memset(w->table, 0xA5, (room > 0u ? room : 1u) * sizeof *w->table);
    memset(&w->core, 0xA5, sizeof w->core);
    sc = zen_space_init(&w->core, &w->image, &w->zones, max_zone, w->table, capacity, NULL);
    ss = space_spec_init(&w->spec, &w->image, &w->zspec, max_zone, capacity);
    if (sc != ss)
        fail("init status differs from the spec", (uint64_t)sc * 100u + (uint64_t)ss);
    if (sc != ZEN_OK) {
        const uint8_t *p = (const uint8_t *)&w->core;
        for (size_t i = 0; i < sizeof w->core; i++)
            if (p[i] != 0xA5u)
                fail("init wrote the space on an error", i);
        for (uint64_t i = 0; i < room; i++)
            if (w->table[i] != (zen_pfn)0xA5A5A5A5A5A5A5A5ull)
                fail("init wrote the table on an error", i);
        return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEAD_BYTES)
        return 0;
    world *w = calloc(1, sizeof *w);
    if (w == NULL)
        return 0;
    if (build_zones(w, data)) {
        decode_image(w, data);
        for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
            w->free_before[z] = free_frames(&w->zones, z);
        if (init_space(w, data)) {
            compare_space(w);
            run_ops(w, data + HEAD_BYTES, size - HEAD_BYTES);
            while (w->ntaken > 0u)
                run_take(w, (const uint8_t[]){7, 1, 0, 0});
            if (zen_space_teardown(&w->core) != ZEN_OK || space_spec_teardown(&w->spec) != ZEN_OK)
                fail("final teardown", 0);
            for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
                if (free_frames(&w->zones, z) != w->free_before[z])
                    fail("teardown left frames out of the zones", z);
            space_spec_destroy(&w->spec);
        }
        zone_spec_destroy(&w->zspec);
    }
    for (unsigned n = 0; n < 3; n++)
        free(w->load[n]);
    for (unsigned z = 0; z < ZEN_ZONE_COUNT; z++)
        free(w->memory[z]);
    free(w->table);
    free(w->frames);
    free(w->words);
    free(w);
    return 0;
}
