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

/* The page count of x bytes, rounded up; at most 2^64 / ZEN_PAGE_SIZE, so
 * it never overflows. */
/*@ assigns \nothing;
    ensures \result == zen_seg_pages(x);
 */
static inline uint64_t zen_seg_pages_of(uint64_t x)
{
    return x / ZEN_PAGE_SIZE + (x % ZEN_PAGE_SIZE != 0u ? 1u : 0u);
}

/* The end of a segment of size bytes, rounded up to pages, from the page
 * boundary `from`; ZEN_SEG_PAST_END when that passes 2^64 - 1 (an end is a
 * page multiple, that value is none). */
#define ZEN_SEG_PAST_END UINT64_MAX

/*@ requires from % ZEN_PAGE_SIZE == 0;
    assigns \nothing;
    ensures from + zen_seg_round(size) <= UINT64_MAX ==>
      \result == from + zen_seg_round(size) && \result % ZEN_PAGE_SIZE == 0 && from <= \result;
    ensures from + zen_seg_round(size) > UINT64_MAX ==> \result == ZEN_SEG_PAST_END;
 */
static inline uint64_t zen_seg_end(uint64_t from, uint64_t size)
{
    uint64_t pages = zen_seg_pages_of(size);
    if (pages > (UINT64_MAX - from) / ZEN_PAGE_SIZE)
        return ZEN_SEG_PAST_END;
    return from + pages * ZEN_PAGE_SIZE;
}

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

/* The access check.
 *
 * An access of `len` bytes from `addr` is allowed when every byte it
 * touches lies in a mapped segment that allows it: the segment has the
 * access's flag (ZEN_SEG_R, ZEN_SEG_W or ZEN_SEG_X), and is not
 * system-only (ZEN_SEG_S) for a user-mode access. Segments hold whole
 * pages, so that is the rule of every page the access touches, and an
 * access that straddles segments is checked in each of them.
 *
 * A refused access is a fault. It names the first byte refused, the cause,
 * and the signal a kernel delivers for it: SIGSEGV for every cause. A page
 * the stack may grow into, or the heap above its break, is in no segment:
 * the fault handler, not the access check, grows them. */
enum zen_seg_mode {
    ZEN_SEG_USER = 0,
    ZEN_SEG_SYSTEM = 1
};

enum zen_fault_cause {
    ZEN_FAULT_NONE = 0,       /* allowed */
    ZEN_FAULT_NULL_PAGE = 1,  /* the NULL page, in any mode */
    ZEN_FAULT_NO_SEGMENT = 2, /* a byte in no mapped segment */
    ZEN_FAULT_MODE = 3,       /* a system-only segment, in user mode */
    ZEN_FAULT_PERMISSION = 4  /* a segment without the access's flag */
};

#define ZEN_SIGSEGV 11 /* SIGSEGV's number on Linux and the BSDs */

/* Where no mapped segment holds an address (zen_seg_find). */
#define ZEN_SEG_NONE ZEN_SEG_KINDS

typedef struct zen_fault {
    uint64_t addr;   /* the first byte refused */
    uint32_t cause;  /* enum zen_fault_cause, never ZEN_FAULT_NONE */
    uint32_t signal; /* ZEN_SIGSEGV */
} zen_fault;

/*@ // Byte a lies in segment s.
    predicate zen_seg_covers(zen_segment s, integer a) = s.base <= a < s.base + s.size;

    // Segment s allows an access of kind `access` in mode `mode`.
    predicate zen_seg_allows(zen_segment s, integer access, integer mode) =
      zen_seg_has(s.flags, access) && (mode == ZEN_SEG_SYSTEM || !zen_seg_has(s.flags, ZEN_SEG_S));

    // Byte a may be accessed: a mapped segment covers it and allows it.
    predicate zen_seg_byte_ok(zen_layout *l, integer a, integer access, integer mode) =
      \exists integer k; 0 <= k < ZEN_SEG_MAPPED && zen_seg_covers(l->seg[k], a) &&
                         zen_seg_allows(l->seg[k], access, mode);

    // Every byte of [a, a + n) may be accessed.
    predicate zen_seg_range_ok(zen_layout *l, integer a, integer n, integer access, integer mode) =
      \forall integer b; a <= b < a + n ==> zen_seg_byte_ok(l, b, access, mode);

    // Segment k holds byte a, and no other mapped segment does; or k is
    // ZEN_SEG_NONE and none does.
    predicate zen_seg_holder(zen_layout *l, integer a, integer k) =
      (k == ZEN_SEG_NONE || 0 <= k < ZEN_SEG_MAPPED) &&
      (k < ZEN_SEG_MAPPED ==> zen_seg_covers(l->seg[k], a)) &&
      (\forall integer j; 0 <= j < ZEN_SEG_MAPPED && j != k ==> !zen_seg_covers(l->seg[j], a));

    // Why segment k (ZEN_SEG_NONE: none) refuses an access; ZEN_FAULT_NONE
    // when it does not. (The flag tests are zen_seg_has, written out: a
    // term's condition cannot be a predicate.)
    logic integer zen_seg_cause(zen_layout *l, integer k, integer access, integer mode) =
      k == ZEN_SEG_NONE ? ZEN_FAULT_NO_SEGMENT :
      k == ZEN_SEG_NULL ? ZEN_FAULT_NULL_PAGE :
      mode == ZEN_SEG_USER && (l->seg[k].flags / ZEN_SEG_S) % 2 != 0 ? ZEN_FAULT_MODE :
      (l->seg[k].flags / access) % 2 == 0 ? ZEN_FAULT_PERMISSION : ZEN_FAULT_NONE;

    // A request the access check takes: a length, a known access, a known mode.
    predicate zen_seg_request_ok(integer len, integer access, integer mode) =
      len > 0 && (access == ZEN_SEG_R || access == ZEN_SEG_W || access == ZEN_SEG_X) &&
      (mode == ZEN_SEG_USER || mode == ZEN_SEG_SYSTEM);
 */

/* Why segment k (ZEN_SEG_NONE: none) refuses an access of a known kind
 * in a known mode; ZEN_FAULT_NONE when it allows it. */
/*@ requires \valid_read(l) && zen_seg_layout_ok(l);
    requires k == ZEN_SEG_NONE || k < ZEN_SEG_MAPPED;
    requires zen_seg_request_ok(1, access, mode);
    assigns \nothing;
    ensures \result == zen_seg_cause(l, k, access, mode);
    ensures k < ZEN_SEG_MAPPED ==> (\result == ZEN_FAULT_NONE <==> zen_seg_allows(l->seg[k], access, mode));
 */
static inline uint32_t zen_seg_refusal(const zen_layout *l, unsigned k, uint32_t access, uint32_t mode)
{
    if (k == ZEN_SEG_NONE)
        return ZEN_FAULT_NO_SEGMENT;
    if (k == ZEN_SEG_NULL)
        return ZEN_FAULT_NULL_PAGE; /* no flags: it allows nothing */
    if (mode == ZEN_SEG_USER && zen_seg_has_flag(l->seg[k].flags, ZEN_SEG_S))
        return ZEN_FAULT_MODE;
    if (!zen_seg_has_flag(l->seg[k].flags, access))
        return ZEN_FAULT_PERMISSION;
    return ZEN_FAULT_NONE;
}

/* The mapped segment that holds byte addr: its kind, or ZEN_SEG_NONE.
 * At most one does: the layout's segments do not overlap. O(1): ten
 * comparisons at most. */
/*@ requires \valid_read(l) && zen_seg_layout_ok(l);
    assigns \nothing;
    ensures zen_seg_holder(l, addr, \result);
 */
unsigned zen_seg_find(const zen_layout *l, uint64_t addr);

/* Check an access of len bytes from addr, of kind `access` (ZEN_SEG_R,
 * ZEN_SEG_W or ZEN_SEG_X), in mode `mode` (enum zen_seg_mode), against
 * layout *l.
 *
 *   ZEN_OK              every byte may be accessed; *fault is not written;
 *   ZEN_ERR_FAULT       *fault holds the first byte refused (addr, or the
 *                       start of a page after it), the cause, and
 *                       ZEN_SIGSEGV; every byte before it may be accessed;
 *   ZEN_ERR_INVAL       len 0, an unknown access or an unknown mode;
 *   ZEN_ERR_OVERFLOW    the access runs past 2^64 - 1.
 * INVAL is checked before OVERFLOW; neither writes anything.
 * O(1): a step per segment the access touches, ten at most. */
/*@ requires \valid_read(l) && zen_seg_layout_ok(l) && \valid(fault) && \separated(l, fault);
    assigns *fault;
    behavior bad_request:
      assumes !zen_seg_request_ok(len, access, mode);
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL;
    behavior wraps:
      assumes zen_seg_request_ok(len, access, mode) && addr + len - 1 > UINT64_MAX;
      assigns \nothing;
      ensures \result == ZEN_ERR_OVERFLOW;
    behavior allowed:
      assumes zen_seg_request_ok(len, access, mode) && addr + len - 1 <= UINT64_MAX;
      assumes zen_seg_range_ok(l, addr, len, access, mode);
      assigns \nothing;
      ensures \result == ZEN_OK;
    behavior faults:
      assumes zen_seg_request_ok(len, access, mode) && addr + len - 1 <= UINT64_MAX;
      assumes !zen_seg_range_ok(l, addr, len, access, mode);
      ensures \result == ZEN_ERR_FAULT;
      ensures addr <= fault->addr < addr + len;
      ensures fault->addr == addr || fault->addr % ZEN_PAGE_SIZE == 0;
      // In *l (which is not written): every byte before it may be accessed;
      // it may not; the cause is that of the segment holding it, or none.
      ensures \let a = fault->addr; \old(zen_seg_range_ok(l, addr, a - addr, access, mode));
      ensures \let a = fault->addr; \old(!zen_seg_byte_ok(l, a, access, mode));
      ensures \let a = fault->addr; \let c = fault->cause;
        \old(\exists integer k; zen_seg_holder(l, a, k) && c == zen_seg_cause(l, k, access, mode));
      ensures fault->cause != ZEN_FAULT_NONE;
      ensures fault->signal == ZEN_SIGSEGV; // for every cause
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_seg_access(const zen_layout *l, uint64_t addr, uint64_t len, uint32_t access, uint32_t mode,
                          zen_fault *fault);

#endif
