/* Zen segments: the process memory layout.
 *
 * A process's address space is a fixed list of segments, one per kind,
 * built from an image description by zen_seg_layout():
 *
 *   kind      base                       flags           contents
 *   NULL      0, one page                none            every access faults
 *   TRAPVEC   1 page                     S R X P         system mode only
 *   ZENVARS   2 pages                    R P             per-process variables
 *   TEXT      3 pages                    R X             from the image
 *   RODATA    after TEXT                 R               from the image
 *   DATA      after RODATA               R W             from the image
 *   BSS       after DATA                 R W ZERO        zero-filled
 *   COMM      after BSS                  R W ZERO        common symbols, zero-filled
 *   HEAP      after COMM, empty at first R W ZERO        grows up with brk
 *   STACK     under the top              R W ZERO DOWN   grows down on faults
 *   DEBUG     never mapped (base 0)      NOLOAD          described, not loaded
 *
 * A page is ZEN_PAGE_SIZE bytes, the frame size of the zone allocator (a
 * build-time constant: ZEN_PAGE_SHIFT). Every segment starts on a page and
 * holds whole pages; a segment of size 0 is empty and covers nothing.
 *
 * The heap may grow to heap_limit bytes (rounded up to pages) above its
 * base; the stack may grow down to stack_limit bytes (rounded up) under the
 * top. The page right under the stack's lowest reach is the guard page: it
 * must lie above the heap's highest reach, so the two can never meet.
 *
 * The layout's invariants (zen_seg_layout_ok): every segment page-aligned;
 * the mapped segments (every kind but DEBUG) sorted by kind and not
 * overlapping; no segment both W and X; X only with R; NULL without flags.
 *
 * Nothing here is static; no function writes anything but its outputs. */
#ifndef ZEN_SEG_H
#define ZEN_SEG_H

#include <stdint.h>
#include "zen_status.h"
#include "zen_page.h"

/* Segment flags. X, W, R are bits 0, 1, 2 (OS-Zero's VM_PROT order). */
#define ZEN_SEG_X 0x001u      /* executable */
#define ZEN_SEG_W 0x002u      /* writable */
#define ZEN_SEG_R 0x004u      /* readable */
#define ZEN_SEG_S 0x008u      /* system mode only */
#define ZEN_SEG_P 0x010u      /* present: mapped for the life of the space */
#define ZEN_SEG_WIRED ZEN_SEG_P
#define ZEN_SEG_NT 0x020u     /* non-temporal hint */
#define ZEN_SEG_DOWN 0x040u   /* grows down (the stack) */
#define ZEN_SEG_ZERO 0x080u   /* zero-filled on first touch */
#define ZEN_SEG_NOLOAD 0x100u /* described by the image, never mapped */

/* Segment kinds: the index of each segment in a layout. The mapped kinds
 * come first, in address order; DEBUG, never mapped, is last. */
enum zen_seg_kind {
    ZEN_SEG_NULL = 0,
    ZEN_SEG_TRAPVEC = 1,
    ZEN_SEG_ZENVARS = 2,
    ZEN_SEG_TEXT = 3,
    ZEN_SEG_RODATA = 4,
    ZEN_SEG_DATA = 5,
    ZEN_SEG_BSS = 6,
    ZEN_SEG_COMM = 7,
    ZEN_SEG_HEAP = 8,
    ZEN_SEG_STACK = 9,
    ZEN_SEG_DEBUG = 10
};
#define ZEN_SEG_MAPPED 10u /* kinds 0 .. 9 are mapped */
#define ZEN_SEG_KINDS 11u

/* One segment: bytes [base, base + size). */
typedef struct zen_segment {
    uint64_t base;  /* a multiple of ZEN_PAGE_SIZE */
    uint64_t size;  /* a multiple of ZEN_PAGE_SIZE; 0: empty */
    uint32_t flags; /* ZEN_SEG_X ... ZEN_SEG_NOLOAD */
    uint32_t kind;  /* enum zen_seg_kind, its index in the layout */
} zen_segment;

/* What a program image says about its address space. Sizes are in bytes
 * and need not be page multiples: each segment is rounded up to whole
 * pages. The contents of TEXT, RODATA and DATA are words, (size + 7) / 8 of
 * each; the layout builder does not read them. */
typedef struct zen_image {
    uint64_t page_size;   /* the page size the image was linked for: ZEN_PAGE_SIZE */
    uint64_t text_size;
    uint64_t rodata_size;
    uint64_t data_size;
    uint64_t bss_size;
    uint64_t comm_size;
    uint64_t debug_size;
    uint64_t heap_limit;  /* the most bytes the heap may hold */
    uint64_t stack_size;  /* the stack's initial bytes, at most stack_limit */
    uint64_t stack_limit; /* the most bytes the stack may hold */
    uint64_t top;         /* end of user space: the stack ends here; page-aligned */
    const uint64_t *text;
    const uint64_t *rodata;
    const uint64_t *data;
} zen_image;

/* A process layout: the segments, indexed by kind, and the reach of the
 * two that move. */
typedef struct zen_layout {
    zen_segment seg[ZEN_SEG_KINDS];
    uint64_t heap_end;    /* the heap's highest reach: its base + heap_limit, rounded */
    uint64_t stack_floor; /* the stack's lowest reach: top - stack_limit, rounded */
    uint64_t top;         /* end of user space */
} zen_layout;

/*@ // Flag bit `bit` (a power of two) is set in f. Stated with division,
    // which the provers evaluate, where they do not see through `&`.
    predicate zen_seg_has(integer f, integer bit) = (f / bit) % 2 != 0;
 */

/* Flag bit `bit` (one of ZEN_SEG_X ... ZEN_SEG_NOLOAD) is set in flags. */
/*@ requires bit == ZEN_SEG_X || bit == ZEN_SEG_W || bit == ZEN_SEG_R || bit == ZEN_SEG_S ||
             bit == ZEN_SEG_P || bit == ZEN_SEG_NT || bit == ZEN_SEG_DOWN || bit == ZEN_SEG_ZERO ||
             bit == ZEN_SEG_NOLOAD;
    assigns \nothing;
    ensures \result != 0 <==> zen_seg_has(flags, bit);
 */
static inline int zen_seg_has_flag(uint32_t flags, uint32_t bit)
{
    return (flags / bit) % 2u != 0u;
}

/*@ // A byte count rounded up to whole pages, and its page count.
    logic integer zen_seg_pages(integer x) = x / ZEN_PAGE_SIZE + (x % ZEN_PAGE_SIZE != 0 ? 1 : 0);
    logic integer zen_seg_round(integer x) = zen_seg_pages(x) * ZEN_PAGE_SIZE;

    // Rounding up adds less than a page, and keeps the order.
    lemma zen_seg_round_bounds: \forall integer x; 0 <= x ==>
      x <= zen_seg_round(x) < x + ZEN_PAGE_SIZE && zen_seg_round(x) % ZEN_PAGE_SIZE == 0;
    lemma zen_seg_round_mono: \forall integer x, y; 0 <= x <= y ==> zen_seg_round(x) <= zen_seg_round(y);

    // Where the image's segments start, as unbounded integers: each one
    // page-aligned right after the one before it.
    logic integer zen_image_text_base = 3 * ZEN_PAGE_SIZE;
    logic integer zen_image_rodata_base(zen_image *i) = zen_image_text_base + zen_seg_round(i->text_size);
    logic integer zen_image_data_base(zen_image *i) = zen_image_rodata_base(i) + zen_seg_round(i->rodata_size);
    logic integer zen_image_bss_base(zen_image *i) = zen_image_data_base(i) + zen_seg_round(i->data_size);
    logic integer zen_image_comm_base(zen_image *i) = zen_image_bss_base(i) + zen_seg_round(i->bss_size);
    logic integer zen_image_heap_base(zen_image *i) = zen_image_comm_base(i) + zen_seg_round(i->comm_size);
    logic integer zen_image_heap_end(zen_image *i) = zen_image_heap_base(i) + zen_seg_round(i->heap_limit);
    logic integer zen_image_stack_floor(zen_image *i) = i->top - zen_seg_round(i->stack_limit);

    // The four ways an image can be refused, in the order they are checked.
    predicate zen_image_malformed(zen_image *i) =
      i->page_size != ZEN_PAGE_SIZE || i->stack_size > i->stack_limit;
    predicate zen_image_misaligned(zen_image *i) = i->top % ZEN_PAGE_SIZE != 0;
    // The heap's highest reach, or DEBUG's rounded size, past 2^64 - 1.
    predicate zen_image_overflows(zen_image *i) =
      zen_image_heap_end(i) > UINT64_MAX || zen_seg_round(i->debug_size) > UINT64_MAX;
    // No room for the guard page between the heap's and the stack's reach.
    predicate zen_image_collides(zen_image *i) =
      zen_image_heap_end(i) + ZEN_PAGE_SIZE > zen_image_stack_floor(i);

    predicate zen_seg_is(zen_segment s, integer kind, integer base, integer size, integer flags) =
      s.kind == kind && s.base == base && s.size == size && s.flags == flags;

    // The layout with these ends: TEXT from page 3 to rodata, RODATA to
    // data, DATA to bss, BSS to comm, COMM to heap, an empty HEAP at heap,
    // the stack's initial bytes under the top, DEBUG's rounded size.
    predicate zen_seg_layout_at(zen_layout *l, integer rodata, integer data, integer bss, integer comm,
                                integer heap, integer heap_end, integer debug, integer top, integer stack,
                                integer floor) =
      zen_seg_is(l->seg[ZEN_SEG_NULL], ZEN_SEG_NULL, 0, ZEN_PAGE_SIZE, 0) &&
      zen_seg_is(l->seg[ZEN_SEG_TRAPVEC], ZEN_SEG_TRAPVEC, ZEN_PAGE_SIZE, ZEN_PAGE_SIZE,
                 ZEN_SEG_S | ZEN_SEG_R | ZEN_SEG_X | ZEN_SEG_P) &&
      zen_seg_is(l->seg[ZEN_SEG_ZENVARS], ZEN_SEG_ZENVARS, 2 * ZEN_PAGE_SIZE, ZEN_PAGE_SIZE,
                 ZEN_SEG_R | ZEN_SEG_P) &&
      zen_seg_is(l->seg[ZEN_SEG_TEXT], ZEN_SEG_TEXT, zen_image_text_base, rodata - zen_image_text_base,
                 ZEN_SEG_R | ZEN_SEG_X) &&
      zen_seg_is(l->seg[ZEN_SEG_RODATA], ZEN_SEG_RODATA, rodata, data - rodata, ZEN_SEG_R) &&
      zen_seg_is(l->seg[ZEN_SEG_DATA], ZEN_SEG_DATA, data, bss - data, ZEN_SEG_R | ZEN_SEG_W) &&
      zen_seg_is(l->seg[ZEN_SEG_BSS], ZEN_SEG_BSS, bss, comm - bss, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO) &&
      zen_seg_is(l->seg[ZEN_SEG_COMM], ZEN_SEG_COMM, comm, heap - comm, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO) &&
      zen_seg_is(l->seg[ZEN_SEG_HEAP], ZEN_SEG_HEAP, heap, 0, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO) &&
      zen_seg_is(l->seg[ZEN_SEG_STACK], ZEN_SEG_STACK, top - stack, stack,
                 ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO | ZEN_SEG_DOWN) &&
      zen_seg_is(l->seg[ZEN_SEG_DEBUG], ZEN_SEG_DEBUG, 0, debug, ZEN_SEG_NOLOAD) &&
      l->heap_end == heap_end && l->stack_floor == floor && l->top == top;

    // The layout of a well-formed image that fits, segment by segment.
    predicate zen_seg_layout_of(zen_layout *l, zen_image *i) =
      zen_seg_layout_at(l, zen_image_rodata_base(i), zen_image_data_base(i), zen_image_bss_base(i),
                        zen_image_comm_base(i), zen_image_heap_base(i), zen_image_heap_end(i),
                        zen_seg_round(i->debug_size), i->top, zen_seg_round(i->stack_size),
                        zen_image_stack_floor(i));

    // The invariants every layout keeps, as the header's comment states them.
    predicate zen_seg_flags_ok(integer f) =
      !(zen_seg_has(f, ZEN_SEG_W) && zen_seg_has(f, ZEN_SEG_X)) &&
      (zen_seg_has(f, ZEN_SEG_X) ==> zen_seg_has(f, ZEN_SEG_R));
    // Segment k in its place, page-aligned, not past 2^64 - 1, with allowed
    // flags; and, when the segment after it is mapped, ending at or before
    // that one's base.
    predicate zen_seg_ok_at(zen_layout *l, integer k) =
      l->seg[k].kind == k && l->seg[k].base % ZEN_PAGE_SIZE == 0 && l->seg[k].size % ZEN_PAGE_SIZE == 0 &&
      l->seg[k].base + l->seg[k].size <= UINT64_MAX && zen_seg_flags_ok(l->seg[k].flags) &&
      (k + 1 < ZEN_SEG_MAPPED ==> l->seg[k].base + l->seg[k].size <= l->seg[k + 1].base);
    predicate zen_seg_layout_ok(zen_layout *l) =
      (\forall integer k; 0 <= k < ZEN_SEG_KINDS ==> zen_seg_ok_at(l, k)) &&
      l->seg[ZEN_SEG_NULL].base == 0 && l->seg[ZEN_SEG_NULL].size == ZEN_PAGE_SIZE &&
      l->seg[ZEN_SEG_NULL].flags == 0 &&
      // The heap and the stack within their reach, the guard page between.
      l->seg[ZEN_SEG_HEAP].base + l->seg[ZEN_SEG_HEAP].size <= l->heap_end &&
      l->heap_end + ZEN_PAGE_SIZE <= l->stack_floor &&
      l->stack_floor <= l->seg[ZEN_SEG_STACK].base &&
      l->seg[ZEN_SEG_STACK].base + l->seg[ZEN_SEG_STACK].size == l->top &&
      l->top % ZEN_PAGE_SIZE == 0 && l->heap_end % ZEN_PAGE_SIZE == 0 && l->stack_floor % ZEN_PAGE_SIZE == 0;
 */

/* Build the layout of image *img in *out, as the table above says.
 *
 * Errors, checked in this order, each writing nothing:
 *   ZEN_ERR_INVAL       a page size other than ZEN_PAGE_SIZE, or an
 *                       initial stack larger than its limit;
 *   ZEN_ERR_MISALIGNED  a top that is not page-aligned;
 *   ZEN_ERR_OVERFLOW    the heap's highest reach (the segments up to COMM
 *                       and the heap limit, rounded up), or the DEBUG
 *                       size rounded up, past 2^64 - 1;
 *   ZEN_ERR_NO_FIT      no room under the top for the stack at its limit
 *                       and the guard page above the heap's highest reach.
 * O(1). */
/*@ requires \valid_read(img) && \valid(out) && \separated(img, out);
    assigns *out;
    behavior malformed:
      assumes zen_image_malformed(img);
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL;
    behavior misaligned:
      assumes !zen_image_malformed(img) && zen_image_misaligned(img);
      assigns \nothing;
      ensures \result == ZEN_ERR_MISALIGNED;
    behavior overflows:
      assumes !zen_image_malformed(img) && !zen_image_misaligned(img) && zen_image_overflows(img);
      assigns \nothing;
      ensures \result == ZEN_ERR_OVERFLOW;
    behavior collides:
      assumes !zen_image_malformed(img) && !zen_image_misaligned(img) && !zen_image_overflows(img);
      assumes zen_image_collides(img);
      assigns \nothing;
      ensures \result == ZEN_ERR_NO_FIT;
    behavior built:
      assumes !zen_image_malformed(img) && !zen_image_misaligned(img) && !zen_image_overflows(img);
      assumes !zen_image_collides(img);
      ensures \result == ZEN_OK;
      ensures zen_seg_layout_of(out, img);
      ensures zen_seg_layout_ok(out);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_seg_layout(const zen_image *img, zen_layout *out);

#endif
