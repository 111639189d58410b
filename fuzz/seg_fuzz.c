/* Differential fuzzer: the core's process layout builder (core/zen_seg.h,
 * zen_seg_layout.c) against the executable spec (spec/seg_spec.c).
 *
 * Input: a sequence of image descriptions, 12 bytes each (a shorter tail
 * is ignored). Byte 0 picks the page size (ZEN_PAGE_SIZE unless it is
 * 0xFF, then half of it) and whether the initial stack exceeds its limit
 * (bit 0 of byte 1); bytes 2..11 are one size selector each, for TEXT,
 * RODATA, DATA, BSS, COMM, DEBUG, the heap limit, the stack limit, the
 * initial stack and the top (decode_size): zero, a few bytes, whole pages,
 * a large power of two plus a remainder, or close to 2^64; the top is a
 * page multiple unless its selector says otherwise.
 *
 * Checks, for each image: zen_seg_layout and seg_spec_layout_of answer the
 * same status; on ZEN_OK every segment (base, size, flags, kind) and the
 * heap's and stack's reach and the top are the spec's, and the layout keeps
 * the invariants of zen_seg.h (page-aligned, in order, apart, no W with X,
 * X only with R, NULL without flags, the guard page between the reaches);
 * on an error the output is not written. Any difference is a crash
 * (__builtin_trap, after a line on stderr naming what differed). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "seg_spec.h"
#include "zen_seg.h"

#define IMAGE_BYTES 12u

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

static void run_image(const uint8_t *in)
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

    zen_layout core, untouched;
    memset(&core, 0x5A, sizeof core);
    memcpy(&untouched, &core, sizeof core);
    seg_spec_layout spec;
    zen_status st = zen_seg_layout(&img, &core);
    zen_status want = seg_spec_layout_of(&img, &spec);
    if (st != want) {
        fprintf(stderr, "seg_fuzz: status %d, spec %d\n", (int)st, (int)want);
        fail("statuses differ", 0);
    }
    if (st != ZEN_OK) {
        if (memcmp(&core, &untouched, sizeof core) != 0)
            fail("refused layout written", 0);
        return;
    }
    for (unsigned k = 0; k < ZEN_SEG_KINDS; k++) {
        if (core.seg[k].base != spec.seg[k].base || core.seg[k].size != spec.seg[k].size ||
            core.seg[k].flags != spec.seg[k].flags)
            fail("segment differs from the spec", k);
    }
    if (core.heap_end != spec.heap_end || core.stack_floor != spec.stack_floor || core.top != spec.top)
        fail("reach or top differs from the spec", 0);
    check_invariants(&core);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t at = 0; at + IMAGE_BYTES <= size; at += IMAGE_BYTES)
        run_image(data + at);
    return 0;
}
