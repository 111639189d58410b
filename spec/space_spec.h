/* Executable specification of Zen address spaces (core/zen_space.h).
 *
 * Written to be read, not to be fast. A space is the spec's layout
 * (seg_spec.h), the break, and a list of (page, frame) pairs: the pages
 * that have a frame, in the order they got it, searched linearly. Frames
 * come from a zone model (zone_spec.h), which predicts the very frame the
 * core takes. The fault rule is the page rule of seg_spec_page_fault, with
 * the pages between the stack's lowest reach and its base judged as the
 * stack. A page's expected contents are computed from the image alone.
 *
 * Status codes and their precedence are exactly those of the core. Host
 * malloc failure is not modelled: the list has room for every page the
 * space may map. */
#ifndef SPACE_SPEC_H
#define SPACE_SPEC_H

#include <stdint.h>
#include "seg_spec.h"
#include "zen_space.h"
#include "zone_spec.h"

typedef struct space_spec_entry {
    uint64_t page; /* first byte of the page */
    zen_pfn pfn;
} space_spec_entry;

typedef struct space_spec {
    seg_spec_layout layout;
    uint64_t brk;
    zone_spec *zones;
    unsigned max_zone;
    zen_image image;          /* the image as given (its words are read at each load) */
    space_spec_entry *mapped; /* count pairs, room for slots */
    uint64_t count;
    uint64_t slots;
} space_spec;

/* zen_space_slots: the layout's errors, or the pages of TEXT's base up to
 * the heap's reach plus those of the stack's reach. */
zen_status space_spec_slots(const zen_image *img, uint64_t *slots);

/* zen_space_init over a zone model: the same errors in the same order; on
 * ZEN_OK *s is an empty space (free it with space_spec_destroy). */
zen_status space_spec_init(space_spec *s, const zen_image *img, zone_spec *zones, unsigned max_zone,
                           uint64_t capacity);
void space_spec_destroy(space_spec *s);

/* zen_space_fault: the same status, the same fault, and on a new mapping
 * the same frame, in *pfn (ZEN_SPACE_NO_FRAME when nothing was mapped). */
zen_status space_spec_fault(space_spec *s, uint64_t addr, uint32_t access, uint32_t mode, zen_fault *fault,
                            zen_pfn *pfn);

/* zen_space_frame_at. */
zen_status space_spec_frame_at(const space_spec *s, uint64_t addr, zen_pfn *pfn);

/* zen_space_brk. */
zen_status space_spec_brk(space_spec *s, uint64_t new_break);

/* zen_space_teardown. */
zen_status space_spec_teardown(space_spec *s);

/* Word j (0 .. ZEN_PAGE_WORDS_PER_FRAME - 1) of the frame of the page at
 * `page` right after it was mapped: the image's word for a TEXT, RODATA
 * or DATA page that has one, zero otherwise. */
uint64_t space_spec_word(const space_spec *s, uint64_t page, uint64_t j);

#endif
