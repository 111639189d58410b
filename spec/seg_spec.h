/* Executable specification of the Zen process layout (core/zen_seg.h).
 *
 * Written to be read, not to be fast. The layout is a plain list of
 * (range, flags), one per segment kind, computed by straight-line
 * arithmetic from the image in whole pages, in 128-bit integers so that no
 * step can wrap; the checks then compare with 2^64. The access rule is a
 * per-page predicate: a page allows an access when some mapped segment
 * covers it, has the access's flag, and is not system-only for a user
 * access.
 *
 * Status codes and their precedence are exactly those of the core. */
#ifndef SEG_SPEC_H
#define SEG_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include "zen_seg.h"

typedef struct seg_spec_range {
    uint64_t base, size; /* bytes [base, base + size) */
    uint32_t flags;
} seg_spec_range;

typedef struct seg_spec_layout {
    seg_spec_range seg[ZEN_SEG_KINDS]; /* indexed by enum zen_seg_kind */
    uint64_t heap_end, stack_floor, top;
} seg_spec_layout;

/* The layout of img, or the error of zen_seg_layout (out is then not
 * written). */
zen_status seg_spec_layout_of(const zen_image *img, seg_spec_layout *out);

/* The access rule, page by page: why the page at page_addr (a multiple of
 * ZEN_PAGE_SIZE) refuses an access of kind `access` (ZEN_SEG_R, ZEN_SEG_W
 * or ZEN_SEG_X) in mode `mode` (enum zen_seg_mode), or ZEN_FAULT_NONE
 * when it allows it. DEBUG is never mapped. */
uint32_t seg_spec_page_fault(const seg_spec_layout *l, uint64_t page_addr, uint32_t access, uint32_t mode);

/* zen_seg_access by the page rule: the answer for each page the access
 * touches, the first refusal (at addr, or at the start of its page) in
 * *fault. */
zen_status seg_spec_access(const seg_spec_layout *l, uint64_t addr, uint64_t len, uint32_t access, uint32_t mode,
                           zen_fault *fault);

#endif
