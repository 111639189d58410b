/* Differential fuzzer: the core's process layout builder and access check
 * (core/zen_seg.h, zen_seg_layout.c, zen_seg_access.c) against the
 * executable spec (spec/seg_spec.c).
 *
 * Input: an image description of 12 bytes, then operations of 4 bytes each
 * on its layout (a shorter tail is ignored). Image byte 0 picks the page
 * size (ZEN_PAGE_SIZE unless it is 0xFF, then half of it) and whether the
 * initial stack exceeds its limit (bit 0 of byte 1); bytes 2..11 are one
 * size selector each, for TEXT, RODATA, DATA, BSS, COMM, DEBUG, the heap
 * limit, the stack limit, the initial stack and the top (decode_size):
 * zero, a few bytes, whole pages, a large power of two plus a remainder,
 * or close to 2^64; the top is a page multiple unless its selector says
 * otherwise.
 *
 * An operation is an access check. Byte 0: the access (bits 0-1: R, W, X,
 * R) and the mode (bit 2: user or system), except that top bits 111 ask
 * for R|W, which is no access, and 110 for an unknown mode. Byte 1: the
 * anchor, the base (bit 0 clear) or end of a segment, of the heap's or the
 * stack's reach, or the top ((byte >> 1) % 13). Byte 2: a signed offset
 * from the anchor in quarter pages, plus its low bits in bytes, so that
 * accesses start inside, at and across page and segment boundaries
 * (wrapping past 2^64 too). Byte 3: the length (decode_length).
 *
 * Checks, for the image: zen_seg_layout and seg_spec_layout_of answer the
 * same status; on ZEN_OK every segment (base, size, flags, kind) and the
 * heap's and stack's reach and the top are the spec's, and the layout
 * keeps the invariants of zen_seg.h (page-aligned, in order, apart, no W
 * with X, X only with R, NULL without flags, the guard page between the
 * reaches); on an error the output is not written. For each operation on a
 * built layout: zen_seg_access and seg_spec_access answer the same status
 * and, on a fault, the same address, cause and signal; an answer other
 * than a fault does not write the fault. Any difference is a crash
 * (__builtin_trap, after a line on stderr naming what differed). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "seg_spec.h"
#include "zen_seg.h"

#define IMAGE_BYTES 12u
#define OP_BYTES 4u

static void fail(const char *what, unsigned k)
{
    fprintf(stderr, "seg_fuzz: %s (segment %u)\n", what, k);
    __builtin_trap();
}

/* A size from selector byte b and the running word w. */
static uint64_t decode_size(uint8_t b, uint64_t w)
{
    switch (b >> 5) {
    case 0:
        return 0;
    case 1:
        return b & 0x1Fu;                                  /* a few bytes */
    case 2:
        return (uint64_t)(b & 0x1Fu) * ZEN_PAGE_SIZE;      /* whole pages */
    case 3:
        return (uint64_t)(b & 0x1Fu) * ZEN_PAGE_SIZE + 1u; /* a byte past */
    case 4:
    case 5:
        return ((uint64_t)1 << (12u + (b & 0x1Fu))) + (w & 0xFFFu); /* 4 KiB .. 2^43 */
    case 6:
        return ((uint64_t)1 << (32u + (b & 0x1Fu))) - (w & 0xFFFFu); /* 2^32 .. 2^63 */
    default:
        return UINT64_MAX - (b & 0x1Fu) * ZEN_PAGE_SIZE - (w & 0xFFFu); /* near 2^64 */
    }
}

static void check_invariants(const zen_layout *l)
{
    for (unsigned k = 0; k < ZEN_SEG_KINDS; k++) {
        const zen_segment *s = &l->seg[k];
        if (s->kind != k)
            fail("kind is not the index", k);
        if (s->base % ZEN_PAGE_SIZE != 0u || s->size % ZEN_PAGE_SIZE != 0u)
            fail("segment not page-aligned", k);
        if (s->base + s->size < s->base)
            fail("segment wraps past 2^64", k);
        if ((s->flags & ZEN_SEG_W) != 0u && (s->flags & ZEN_SEG_X) != 0u)
            fail("segment both W and X", k);
        if ((s->flags & ZEN_SEG_X) != 0u && (s->flags & ZEN_SEG_R) == 0u)
            fail("segment X without R", k);
        if (k + 1u < ZEN_SEG_MAPPED && s->base + s->size > l->seg[k + 1u].base)
            fail("segment overlaps or passes the next", k);
    }
    if (l->seg[ZEN_SEG_NULL].flags != 0u || l->seg[ZEN_SEG_NULL].base != 0u)
        fail("NULL with flags or not at 0", ZEN_SEG_NULL);
    if (l->heap_end + ZEN_PAGE_SIZE > l->stack_floor || l->stack_floor > l->seg[ZEN_SEG_STACK].base)
        fail("no guard page between the heap's and the stack's reach", ZEN_SEG_STACK);
    if (l->seg[ZEN_SEG_STACK].base + l->seg[ZEN_SEG_STACK].size != l->top)
        fail("stack does not end at the top", ZEN_SEG_STACK);
}

/* An access length from byte b: 0, 1 to 64 bytes, 1 to 64 pages less or
 * more a few bytes, or far past the end of the space. */
static uint64_t decode_length(uint8_t b)
{
    switch (b >> 6) {
    case 0:
        return b;
    case 1:
        return (uint64_t)(b & 0x3Fu) * ZEN_PAGE_SIZE + 1u;
    case 2:
        return (uint64_t)((b & 0x3Fu) + 1u) * ZEN_PAGE_SIZE - (b & 7u);
    default:
        return UINT64_MAX - (uint64_t)(b & 0x3Fu) * ZEN_PAGE_SIZE;
    }
}

/* The address an operation names: an anchor of the layout plus an offset. */
static uint64_t decode_address(const zen_layout *l, uint8_t anchor, uint8_t offset)
{
    unsigned which = (anchor >> 1) % 13u;
    bool end = (anchor & 1u) != 0u;
    uint64_t at;
    if (which < ZEN_SEG_MAPPED)
        at = l->seg[which].base + (end ? l->seg[which].size : 0u);
    else if (which == 10u)
        at = end ? l->heap_end : l->seg[ZEN_SEG_HEAP].base;
    else if (which == 11u)
        at = end ? l->seg[ZEN_SEG_STACK].base : l->stack_floor;
    else
        at = l->top;
    int64_t quarters = (int8_t)offset;
    return at + (uint64_t)(quarters * (int64_t)(ZEN_PAGE_SIZE / 4u)) + (offset & 3u);
}

static void run_access(const zen_layout *core, const seg_spec_layout *spec, const uint8_t *op)
{
    static const uint32_t accesses[4] = {ZEN_SEG_R, ZEN_SEG_W, ZEN_SEG_X, ZEN_SEG_R};
    uint32_t access = (op[0] >> 5) == 7u ? ZEN_SEG_R | ZEN_SEG_W : accesses[op[0] & 3u];
    uint32_t mode = (op[0] >> 5) == 6u ? 2u : (op[0] >> 2) & 1u;
    uint64_t addr = decode_address(core, op[1], op[2]);
    uint64_t len = decode_length(op[3]);
    zen_fault got = {0x5A5A, 0x5A5A, 0x5A5A};
    zen_fault want = {0, 0, 0};
    zen_status st = zen_seg_access(core, addr, len, access, mode, &got);
    zen_status want_st = seg_spec_access(spec, addr, len, access, mode, &want);
    if (st != want_st) {
        fprintf(stderr, "seg_fuzz: access 0x%llx+0x%llx (%u, mode %u): status %d, spec %d\n",
                (unsigned long long)addr, (unsigned long long)len, access, mode, (int)st, (int)want_st);
        fail("access statuses differ", 0);
    }
    if (st != ZEN_ERR_FAULT) {
        if (got.addr != 0x5A5A || got.cause != 0x5A5A || got.signal != 0x5A5A)
            fail("fault written without a fault", 0);
        return;
    }
    if (got.addr != want.addr || got.cause != want.cause || got.signal != want.signal) {
        fprintf(stderr, "seg_fuzz: access 0x%llx+0x%llx: fault at 0x%llx cause %u, spec 0x%llx cause %u\n",
                (unsigned long long)addr, (unsigned long long)len, (unsigned long long)got.addr, got.cause,
                (unsigned long long)want.addr, want.cause);
        fail("faults differ", 0);
    }
    unsigned holder = zen_seg_find(core, got.addr);
    if (holder != ZEN_SEG_NONE && (got.addr < core->seg[holder].base ||
                                   got.addr - core->seg[holder].base >= core->seg[holder].size))
        fail("zen_seg_find names a segment that does not hold the address", holder);
}

/* Build the layout of the image at in, compare it with the spec's, and
 * return whether it was built. */
static bool run_image(const uint8_t *in, zen_layout *core, seg_spec_layout *spec)
{
    uint64_t w = 0;
    for (unsigned i = 0; i < 8u; i++)
        w = (w << 8) | in[i];
    zen_image img;
    memset(&img, 0, sizeof img);
    img.page_size = in[0] == 0xFFu ? ZEN_PAGE_SIZE / 2u : ZEN_PAGE_SIZE;
    img.text_size = decode_size(in[2], w);
    img.rodata_size = decode_size(in[3], w >> 4);
    img.data_size = decode_size(in[4], w >> 8);
    img.bss_size = decode_size(in[5], w >> 12);
    img.comm_size = decode_size(in[6], w >> 16);
    img.debug_size = decode_size(in[7], w >> 20);
    img.heap_limit = decode_size(in[8], w >> 24);
    img.stack_limit = decode_size(in[9], w >> 28);
    /* The initial stack: past its limit when asked (and possible), else
     * its own size when within the limit, else half the limit. */
    uint64_t stack = decode_size(in[10], w >> 32);
    if ((in[1] & 1u) != 0u && img.stack_limit != UINT64_MAX)
        img.stack_size = img.stack_limit + 1u;
    else
        img.stack_size = stack <= img.stack_limit ? stack : img.stack_limit / 2u;
    img.top = decode_size(in[11], w >> 36);
    if ((in[11] & 1u) == 0u)
        img.top &= ~(uint64_t)(ZEN_PAGE_SIZE - 1u);

    zen_layout untouched;
    memset(core, 0x5A, sizeof *core);
    memcpy(&untouched, core, sizeof *core);
    zen_status st = zen_seg_layout(&img, core);
    zen_status want = seg_spec_layout_of(&img, spec);
    if (st != want) {
        fprintf(stderr, "seg_fuzz: status %d, spec %d\n", (int)st, (int)want);
        fail("statuses differ", 0);
    }
    if (st != ZEN_OK) {
        if (memcmp(core, &untouched, sizeof *core) != 0)
            fail("refused layout written", 0);
        return false;
    }
    for (unsigned k = 0; k < ZEN_SEG_KINDS; k++) {
        if (core->seg[k].base != spec->seg[k].base || core->seg[k].size != spec->seg[k].size ||
            core->seg[k].flags != spec->seg[k].flags)
            fail("segment differs from the spec", k);
    }
    if (core->heap_end != spec->heap_end || core->stack_floor != spec->stack_floor || core->top != spec->top)
        fail("reach or top differs from the spec", 0);
    check_invariants(core);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zen_layout core;
    seg_spec_layout spec;
    if (size < IMAGE_BYTES || !run_image(data, &core, &spec))
        return 0;
    for (size_t at = IMAGE_BYTES; at + OP_BYTES <= size; at += OP_BYTES)
        run_access(&core, &spec, data + at);
    return 0;
}
