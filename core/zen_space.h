/* Zen address spaces: a process layout (zen_seg.h) with demand paging.
 *
 * An address space is the layout of an image, a page table, and the zone
 * set (zen_zone.h) its frames come from. No page has a frame at first:
 *
 *   - The fault handler maps a frame on the first touch of a page that the
 *     access check allows: zero-filled for BSS, COMM, the heap and the
 *     stack; loaded for TEXT, RODATA and DATA (the image's words for that
 *     page, then zeros). A touch between the stack's lowest reach and its
 *     base grows the stack down to the touched page first; the guard page
 *     under the lowest reach, and every byte in no segment, faults.
 *   - brk moves the heap's break between the heap's base and its highest
 *     reach. The heap segment holds the whole pages up to the break;
 *     shrinking returns the frames of the pages it no longer holds.
 *   - Teardown returns every frame the space holds.
 *
 * TRAPVEC and ZENVARS are present (ZEN_SEG_P): the kernel maps them itself,
 * and the space has no frames for them. The access check of a space is that
 * of its layout: zen_seg_access(&sp->layout, ...).
 *
 * The page table is a caller-provided array of zen_pfn with one slot per
 * page the space may ever map, in address order: the pages from TEXT's base
 * up to the heap's highest reach, then those from the stack's lowest reach
 * up to the top. zen_space_slots() says how many that is for an image. An
 * empty slot holds ZEN_SPACE_NO_FRAME. A slot is found by arithmetic, so a
 * fault, and a lookup, is O(1).
 *
 * Frames are single pages (order 0) from the zones at or below max_zone,
 * filled through the zones' direct maps, which must be attached
 * (zen_zone_attach_memory) for every present zone the space may use. The
 * image's words are read at every fault that loads a page: they must stay
 * valid, unchanged and outside the zones' direct maps while the space lives.
 *
 * Nothing is static. A space is not thread-safe by itself: every operation
 * that changes it calls the enter hook given at init once at its start and
 * the leave hook once before it returns (zen_hooks.h). The zone set has its
 * own hooks, which its calls use.
 *
 * Errors leave the space as it was, apart from its diagnostic counters;
 * ZEN_ERR_CORRUPT (a frame of the table that the zones would not take back)
 * is the exception, and says that the table and the zones disagree. */
#ifndef ZEN_SPACE_H
#define ZEN_SPACE_H

#include "zen_hooks.h"
#include "zen_seg.h"
#include "zen_zone.h"

/* An empty page-table slot: no frame number reaches ZEN_PFN_LIMIT. */
#define ZEN_SPACE_NO_FRAME ((zen_pfn)ZEN_PFN_LIMIT)

/* The segments whose contents come from the image: TEXT, RODATA, DATA. */
#define ZEN_SPACE_LOADED 3u

/* For contracts: what the zone calls of a space may write (the set and its
 * arrays), and the direct maps a fault may fill. */
#define ZEN_SPACE_ZONE_WRITES(s) *(s), (s)->frames[0 .. (s)->nframes - 1], (s)->words[0 .. (s)->nwords - 1]
#define ZEN_SPACE_FRAME_WRITES(s)                                                                     \
    (s)->zone[0].pages.memory[0 .. (s)->zone[0].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1],       \
        (s)->zone[1].pages.memory[0 .. (s)->zone[1].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1],   \
        (s)->zone[2].pages.memory[0 .. (s)->zone[2].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1]

/* Diagnostics. */
typedef struct zen_space_stats {
    uint64_t mapped;    /* frames the space holds now */
    uint64_t peak;      /* the most it has held at once */
    uint64_t refused;   /* faults answered ZEN_ERR_FAULT */
    uint64_t oom_count; /* faults the zones had no frame for */
    uint64_t rejected;  /* requests refused for bad input */
} zen_space_stats;

typedef struct zen_space {
    zen_layout layout;    /* the heap's and the stack's sizes move; the rest is fixed */
    uint64_t brk;         /* the break: the heap holds [heap base, brk) rounded up to pages */
    zen_zone_set *zones;  /* where frames come from */
    unsigned max_zone;    /* the highest zone frames come from */
    zen_pfn *table;       /* the page table: slots entries */
    uint64_t slots;
    uint64_t low_slots;   /* slots of TEXT's base .. the heap's reach; the stack's follow */
    const uint64_t *load[ZEN_SPACE_LOADED]; /* the image's words of TEXT, RODATA, DATA */
    uint64_t load_words[ZEN_SPACE_LOADED];  /* how many of each */
    zen_hooks hooks;
    zen_space_stats stats;
} zen_space;

/* Which invariant zen_space_check found broken. */
enum zen_space_invariant {
    ZEN_SPACE_INV_NONE = 0,
    ZEN_SPACE_INV_LAYOUT, /* the heap not its break's pages, or the stack not ending at the top */
    ZEN_SPACE_INV_OUTSIDE, /* a slot with a frame for a page in no segment */
    ZEN_SPACE_INV_FRAME,   /* a slot's frame not an allocated single page of the zones */
    ZEN_SPACE_INV_SHARED,  /* two slots with the same frame */
    ZEN_SPACE_INV_COUNT    /* stats.mapped not the number of slots with a frame, or above peak */
};

typedef struct zen_space_check_report {
    uint32_t invariant; /* enum zen_space_invariant */
    uint64_t slot;      /* the slot where it was found, for OUTSIDE, FRAME and SHARED */
} zen_space_check_report;

/*@ // The page table's geometry for a layout: the low slots cover TEXT's
    // base up to the heap's reach, the stack slots the stack's reach.
    logic integer zen_space_low_slots(zen_layout *l) = (l->heap_end - zen_image_text_base) / ZEN_PAGE_SIZE;
    logic integer zen_space_slot_count(zen_layout *l) =
      zen_space_low_slots(l) + (l->top - l->stack_floor) / ZEN_PAGE_SIZE;

    // The slots an image's space needs, and its layout's error when it has
    // none (the order of zen_seg_layout's checks).
    logic integer zen_image_slots(zen_image *i) =
      (zen_image_heap_end(i) - zen_image_text_base + i->top - zen_image_stack_floor(i)) / ZEN_PAGE_SIZE;
    predicate zen_image_refused(zen_image *i) =
      zen_image_malformed(i) || zen_image_misaligned(i) || zen_image_overflows(i) || zen_image_collides(i);
    // The image's fields read the same at L1 and L2.
    predicate zen_image_same{L1, L2}(zen_image *i) =
      \at(i->page_size, L1) == \at(i->page_size, L2) && \at(i->text_size, L1) == \at(i->text_size, L2) &&
      \at(i->rodata_size, L1) == \at(i->rodata_size, L2) && \at(i->data_size, L1) == \at(i->data_size, L2) &&
      \at(i->bss_size, L1) == \at(i->bss_size, L2) && \at(i->comm_size, L1) == \at(i->comm_size, L2) &&
      \at(i->debug_size, L1) == \at(i->debug_size, L2) && \at(i->heap_limit, L1) == \at(i->heap_limit, L2) &&
      \at(i->stack_size, L1) == \at(i->stack_size, L2) && \at(i->stack_limit, L1) == \at(i->stack_limit, L2) &&
      \at(i->top, L1) == \at(i->top, L2) && \at(i->text, L1) == \at(i->text, L2) &&
      \at(i->rodata, L1) == \at(i->rodata, L2) && \at(i->data, L1) == \at(i->data, L2);

    // The words of a loaded segment of x bytes: (x + 7) / 8.
    logic integer zen_space_words(integer x) = x / 8 + (x % 8 != 0 ? 1 : 0);

    // init's argument rule past the layout.
    predicate zen_space_args_bad(zen_image *img, zen_zone_set *s, integer max_zone) =
      max_zone > ZEN_ZONE_NORMAL ||
      (\exists integer z; 0 <= z <= max_zone && s->zone[z].present != 0 && s->zone[z].pages.memory == \null) ||
      (img->text_size != 0 && img->text == \null) || (img->rodata_size != 0 && img->rodata == \null) ||
      (img->data_size != 0 && img->data == \null);

    // The slot of the page that holds byte a; -1 when no slot has it.
    logic integer zen_space_slot_of(zen_layout *l, integer a) =
      zen_image_text_base <= a < l->heap_end ? (a - zen_image_text_base) / ZEN_PAGE_SIZE :
      l->stack_floor <= a < l->top ? zen_space_low_slots(l) + (a - l->stack_floor) / ZEN_PAGE_SIZE : -1;

    // The first byte of slot i's page.
    logic integer zen_space_page_of(zen_layout *l, integer i) =
      i < zen_space_low_slots(l) ? zen_image_text_base + i * ZEN_PAGE_SIZE
                                 : l->stack_floor + (i - zen_space_low_slots(l)) * ZEN_PAGE_SIZE;

    // Slot i's page lies in a segment: under the heap segment's end for a
    // low slot (TEXT .. HEAP are contiguous), in the stack for the others.
    predicate zen_space_slot_in_segment(zen_layout *l, integer i) =
      i < zen_space_low_slots(l) ?
        zen_space_page_of(l, i) < l->seg[ZEN_SEG_HEAP].base + l->seg[ZEN_SEG_HEAP].size :
        l->seg[ZEN_SEG_STACK].base <= zen_space_page_of(l, i);

    // A byte the stack may grow into: under its base, at or above its
    // lowest reach (so never the guard page).
    predicate zen_space_growth(zen_layout *l, integer a) =
      l->stack_floor <= a < l->seg[ZEN_SEG_STACK].base;

    // The segment a fault at byte a is judged by: the segment that holds
    // it, the stack for a byte it may grow into, or ZEN_SEG_NONE.
    predicate zen_space_judge(zen_layout *l, integer a, integer k) =
      zen_space_growth(l, a) ? k == ZEN_SEG_STACK : zen_seg_holder(l, a, k);

    // A request the fault handler takes: a known access in a known mode.
    predicate zen_space_request_ok(integer access, integer mode) = zen_seg_request_ok(1, access, mode);

    // The zones frames come from: up to max_zone, each present one with
    // its direct map.
    predicate zen_space_zones_ok(zen_zone_set *s, integer max_zone) =
      zen_zone_set_valid(s) && 0 <= max_zone <= ZEN_ZONE_NORMAL &&
      \forall integer z; 0 <= z <= max_zone && s->zone[z].present != 0 ==> s->zone[z].pages.memory != \null;

    // The space's own memory lies apart from everything the zones write:
    // the set, its arrays, every present zone's direct map.
    predicate zen_space_apart(zen_zone_set *s, zen_space *sp) =
      \separated(sp, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1)) &&
      \forall integer z; 0 <= z < ZEN_ZONE_COUNT && s->zone[z].present != 0 ==>
        \separated(sp, s->zone[z].pages.memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    // So do the words [p, p + n): the page table, the image's words.
    predicate zen_space_words_apart(zen_zone_set *s, uint64_t *p, integer n) =
      \separated(p + (0 .. n - 1), s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1)) &&
      \forall integer z; 0 <= z < ZEN_ZONE_COUNT && s->zone[z].present != 0 ==>
        \separated(p + (0 .. n - 1),
                   s->zone[z].pages.memory + (0 .. s->zone[z].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));

    // The layout and the numbers the space keeps with it: TEXT at its
    // place, the heap holding the break's pages, the table's size.
    predicate zen_space_shape_ok(zen_space *sp) =
      zen_seg_layout_ok(&sp->layout) &&
      sp->layout.seg[ZEN_SEG_TEXT].base == zen_image_text_base &&
      sp->layout.seg[ZEN_SEG_HEAP].base <= sp->brk <= sp->layout.heap_end &&
      sp->layout.seg[ZEN_SEG_HEAP].size == zen_seg_round(sp->brk - sp->layout.seg[ZEN_SEG_HEAP].base) &&
      sp->low_slots == zen_space_low_slots(&sp->layout) &&
      sp->slots == zen_space_slot_count(&sp->layout);

    // The space's memory, its table and the image's words lie apart from
    // the zones' memory.
    predicate zen_space_apart_all(zen_space *sp) =
      zen_space_apart(sp->zones, sp) && zen_space_words_apart(sp->zones, sp->table, sp->slots) &&
      \forall integer n; 0 <= n < ZEN_SPACE_LOADED ==>
        zen_space_words_apart(sp->zones, (uint64_t *)sp->load[n], sp->load_words[n]);

    // The memory the space uses: its table, the image's words, all apart
    // from the zones' memory.
    predicate zen_space_memory_ok(zen_space *sp) =
      \valid(sp) && \valid(sp->table + (0 .. sp->slots - 1)) && \separated(sp, sp->table + (0 .. sp->slots - 1)) &&
      (\forall integer n; 0 <= n < ZEN_SPACE_LOADED ==> \valid_read(sp->load[n] + (0 .. sp->load_words[n] - 1))) &&
      zen_space_apart_all(sp);

    // Every slot empty, or holding a frame number for a page in a segment.
    predicate zen_space_table_ok(zen_space *sp) =
      \forall integer i; 0 <= i < sp->slots ==>
        sp->table[i] == ZEN_SPACE_NO_FRAME ||
        (sp->table[i] < ZEN_PFN_LIMIT && zen_space_slot_in_segment(&sp->layout, i));

    // A space as its operations keep it.
    predicate zen_space_ok(zen_space *sp) =
      zen_space_memory_ok(sp) && zen_space_shape_ok(sp) && zen_space_zones_ok(sp->zones, sp->max_zone) &&
      zen_space_table_ok(sp);
 */

/* The page-table slots an address space of image *img needs, in *slots.
 * Errors: those of zen_seg_layout, in its order; *slots is then not
 * written. O(1). */
/*@ requires \valid_read(img) && \valid(slots) && \separated(img, slots);
    assigns *slots;
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
    behavior fits:
      assumes !zen_image_refused(img);
      ensures \result == ZEN_OK && *slots == \old(zen_image_slots(img));
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_space_slots(const zen_image *img, uint64_t *slots);

/* Build an address space for image *img in *sp: its layout (zen_seg_layout),
 * the break at the heap's base, an empty page table in table[0 .. slots-1]
 * (capacity slots given, zen_space_slots() needed), frames from the zones of
 * *zones at or below max_zone. hooks, when not NULL, is copied.
 *
 * Errors, in this order, each writing nothing:
 *   those of zen_seg_layout for the image;
 *   ZEN_ERR_INVAL     max_zone above ZEN_ZONE_NORMAL, a present zone at or
 *                     below it without a direct map, or TEXT, RODATA or DATA
 *                     with bytes but no words;
 *   ZEN_ERR_CAPACITY  capacity below the slots the image needs.
 * O(slots). */
/*@ requires \valid(sp) && \valid_read(img) && zen_zone_set_valid(zones);
    requires \valid(table + (0 .. capacity - 1));
    requires \separated(sp, img, table + (0 .. capacity - 1)) && \separated(img, table + (0 .. capacity - 1));
    requires hooks == \null || (\valid_read(hooks) && \separated(hooks, sp));
    requires zen_space_apart(zones, sp) && zen_space_words_apart(zones, table, capacity);
    // The image's words, read at every fault that loads a page.
    requires \valid_read(img->text + (0 .. zen_space_words(img->text_size) - 1)) &&
             zen_space_words_apart(zones, (uint64_t *)img->text, zen_space_words(img->text_size));
    requires \valid_read(img->rodata + (0 .. zen_space_words(img->rodata_size) - 1)) &&
             zen_space_words_apart(zones, (uint64_t *)img->rodata, zen_space_words(img->rodata_size));
    requires \valid_read(img->data + (0 .. zen_space_words(img->data_size) - 1)) &&
             zen_space_words_apart(zones, (uint64_t *)img->data, zen_space_words(img->data_size));
    assigns *sp, table[0 .. capacity - 1];
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
    behavior bad_args:
      assumes !zen_image_refused(img) && zen_space_args_bad(img, zones, max_zone);
      assigns \nothing;
      ensures \result == ZEN_ERR_INVAL;
    behavior too_small:
      assumes !zen_image_refused(img) && !zen_space_args_bad(img, zones, max_zone);
      assumes capacity < zen_image_slots(img);
      assigns \nothing;
      ensures \result == ZEN_ERR_CAPACITY;
    behavior built:
      assumes !zen_image_refused(img) && !zen_space_args_bad(img, zones, max_zone);
      assumes capacity >= zen_image_slots(img);
      ensures \result == ZEN_OK && zen_space_ok(sp);
      ensures zen_seg_layout_of(&sp->layout, img) && sp->brk == zen_image_heap_base(img);
      ensures sp->zones == zones && sp->max_zone == max_zone && sp->table == table;
      ensures sp->slots == zen_image_slots(img);
      ensures \forall integer i; 0 <= i < sp->slots ==> sp->table[i] == ZEN_SPACE_NO_FRAME;
      ensures sp->stats.mapped == 0 && sp->stats.peak == 0 &&
              sp->stats.refused == 0 && sp->stats.oom_count == 0 && sp->stats.rejected == 0;
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_space_init(zen_space *sp, const zen_image *img, zen_zone_set *zones, unsigned max_zone,
                          zen_pfn *table, uint64_t capacity, const zen_hooks *hooks);

/* Handle a fault at byte addr for an access of kind `access` (ZEN_SEG_R,
 * ZEN_SEG_W or ZEN_SEG_X) in mode `mode` (enum zen_seg_mode).
 *
 * The access is judged by the segment that holds addr, or by the stack for
 * a byte it may grow into (zen_space_judge), with the causes of the access
 * check (zen_seg_cause). Answers, in this order:
 *   ZEN_ERR_INVAL   an unknown access or mode; nothing else is written;
 *   ZEN_ERR_FAULT   the access is refused: *fault holds addr, the cause and
 *                   ZEN_SIGSEGV (for every cause); the space is unchanged;
 *   ZEN_ERR_RANGE   the access is allowed but in a page the space does not
 *                   back (TRAPVEC, ZENVARS: the kernel maps them);
 *   ZEN_OK          the page has a frame: it had one already (nothing is
 *                   written), or one was mapped now, filled as the header
 *                   says, after growing the stack down to the page when addr
 *                   lies under the stack's base;
 *   ZEN_ERR_NOMEM   no zone at or below max_zone had a frame; the space is
 *                   unchanged;
 *   ZEN_ERR_CORRUPT the zones answered it; the zone set must not be used.
 * *fault is written only for ZEN_ERR_FAULT. At most one frame is mapped, and
 * only for a page in a segment that allows the access. O(1) apart from the
 * fill: ZEN_PAGE_WORDS_PER_FRAME words. */
/*@ requires zen_space_ok(sp) && \valid(fault) && \separated(fault, sp, sp->table + (0 .. sp->slots - 1));
    requires \separated(fault, sp->zones, sp->zones->frames + (0 .. sp->zones->nframes - 1),
                        sp->zones->words + (0 .. sp->zones->nwords - 1));
    assigns sp->stats, sp->layout.seg[ZEN_SEG_STACK].base, sp->layout.seg[ZEN_SEG_STACK].size,
            sp->table[0 .. sp->slots - 1], *fault, ZEN_SPACE_ZONE_WRITES(sp->zones),
            ZEN_SPACE_FRAME_WRITES(sp->zones);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_space_ok(sp);
    behavior bad_request:
      assumes !zen_space_request_ok(access, mode);
      assigns sp->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
    behavior refused:
      assumes zen_space_request_ok(access, mode);
      assumes !(\exists integer k; zen_space_judge(&sp->layout, addr, k) && k != ZEN_SEG_NONE &&
                                   zen_seg_allows(sp->layout.seg[k], access, mode));
      assigns *fault, sp->stats.refused;
      ensures \result == ZEN_ERR_FAULT;
      ensures fault->addr == addr && fault->signal == ZEN_SIGSEGV && fault->cause != ZEN_FAULT_NONE;
      ensures \exists integer k; zen_space_judge(&sp->layout, addr, k) &&
                                 fault->cause == zen_seg_cause(&sp->layout, k, access, mode);
    behavior unbacked:
      assumes zen_space_request_ok(access, mode);
      assumes \exists integer k; zen_space_judge(&sp->layout, addr, k) && k != ZEN_SEG_NONE &&
                                 zen_seg_allows(sp->layout.seg[k], access, mode);
      assumes zen_space_slot_of(&sp->layout, addr) < 0;
      assigns \nothing;
      ensures \result == ZEN_ERR_RANGE;
    behavior present:
      assumes zen_space_request_ok(access, mode);
      assumes \exists integer k; zen_space_judge(&sp->layout, addr, k) && k != ZEN_SEG_NONE &&
                                 zen_seg_allows(sp->layout.seg[k], access, mode);
      assumes zen_space_slot_of(&sp->layout, addr) >= 0;
      assumes sp->table[zen_space_slot_of(&sp->layout, addr)] != ZEN_SPACE_NO_FRAME;
      assigns \nothing;
      ensures \result == ZEN_OK;
    behavior absent:
      assumes zen_space_request_ok(access, mode);
      assumes \exists integer k; zen_space_judge(&sp->layout, addr, k) && k != ZEN_SEG_NONE &&
                                 zen_seg_allows(sp->layout.seg[k], access, mode);
      assumes zen_space_slot_of(&sp->layout, addr) >= 0;
      assumes sp->table[zen_space_slot_of(&sp->layout, addr)] == ZEN_SPACE_NO_FRAME;
      ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==> zen_space_ok(sp);
      // One slot changed: the page's, which now has a frame.
      ensures \result == ZEN_OK ==> \let i = zen_space_slot_of(&sp->layout, addr);
        sp->table[i] != ZEN_SPACE_NO_FRAME &&
        \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \old(sp->table[j]);
      ensures \result != ZEN_OK ==>
        \forall integer j; 0 <= j < sp->slots ==> sp->table[j] == \old(sp->table[j]);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_space_fault(zen_space *sp, uint64_t addr, uint32_t access, uint32_t mode, zen_fault *fault);

/* The frame of the page that holds addr, in *pfn. Errors: ZEN_ERR_RANGE for
 * an address no slot has (outside TEXT .. the heap's reach and the stack's
 * reach), ZEN_ERR_NOT_ALLOCATED for a page without a frame; *pfn is then
 * not written. Reads only. O(1). */
/*@ requires zen_space_ok(sp) && \valid(pfn) && \separated(pfn, sp, sp->table + (0 .. sp->slots - 1));
    assigns *pfn;
    behavior no_slot:
      assumes zen_space_slot_of(&sp->layout, addr) < 0;
      assigns \nothing;
      ensures \result == ZEN_ERR_RANGE;
    behavior empty:
      assumes zen_space_slot_of(&sp->layout, addr) >= 0;
      assumes sp->table[zen_space_slot_of(&sp->layout, addr)] == ZEN_SPACE_NO_FRAME;
      assigns \nothing;
      ensures \result == ZEN_ERR_NOT_ALLOCATED;
    behavior mapped:
      assumes zen_space_slot_of(&sp->layout, addr) >= 0;
      assumes sp->table[zen_space_slot_of(&sp->layout, addr)] != ZEN_SPACE_NO_FRAME;
      ensures \result == ZEN_OK && *pfn == sp->table[zen_space_slot_of(&sp->layout, addr)];
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_space_frame_at(const zen_space *sp, uint64_t addr, zen_pfn *pfn);

/* Move the break to new_break, which must lie between the heap's base and
 * its highest reach. The heap segment then holds the whole pages up to the
 * break; the frames of the pages it no longer holds go back to the zones.
 * Errors: ZEN_ERR_INVAL for a break under the heap's base, ZEN_ERR_NO_FIT
 * for one past its reach (nothing is written but the rejected count);
 * ZEN_ERR_CORRUPT when the zones refused a frame back: the break has not
 * moved, but the slots of the pages above the new break are emptied all
 * the same. O(pages the heap loses). */
/*@ requires zen_space_ok(sp);
    assigns sp->brk, sp->layout.seg[ZEN_SEG_HEAP].size, sp->stats, sp->table[0 .. sp->slots - 1],
            ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures \result != ZEN_ERR_CORRUPT ==> zen_space_ok(sp);
    behavior below:
      assumes new_break < sp->layout.seg[ZEN_SEG_HEAP].base;
      assigns sp->stats.rejected;
      ensures \result == ZEN_ERR_INVAL;
    behavior past:
      assumes new_break > sp->layout.heap_end;
      assigns sp->stats.rejected;
      ensures \result == ZEN_ERR_NO_FIT;
    behavior moved:
      assumes sp->layout.seg[ZEN_SEG_HEAP].base <= new_break <= sp->layout.heap_end;
      ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
      ensures \result == ZEN_OK ==> sp->brk == new_break;
      ensures \result == ZEN_OK ==>
        sp->layout.seg[ZEN_SEG_HEAP].size == zen_seg_round(new_break - sp->layout.seg[ZEN_SEG_HEAP].base);
      // The pages the heap still holds keep their frames; the others have none.
      ensures \result == ZEN_OK ==> \forall integer i; 0 <= i < sp->slots ==>
        (zen_space_slot_in_segment(&sp->layout, i) ? sp->table[i] == \old(sp->table[i])
                                                   : sp->table[i] == ZEN_SPACE_NO_FRAME);
    complete behaviors;
    disjoint behaviors;
 */
zen_status zen_space_brk(zen_space *sp, uint64_t new_break);

/* Return every frame of the space to the zones and empty its page table.
 * The layout stays: the space may fault again. ZEN_OK, or ZEN_ERR_CORRUPT
 * when the zones refused a frame back (every slot is emptied all the same).
 * O(slots). */
/*@ requires zen_space_ok(sp);
    assigns sp->stats.mapped, sp->table[0 .. sp->slots - 1], ZEN_SPACE_ZONE_WRITES(sp->zones);
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \forall integer i; 0 <= i < sp->slots ==> sp->table[i] == ZEN_SPACE_NO_FRAME;
    ensures \result == ZEN_OK ==> zen_space_ok(sp);
 */
zen_status zen_space_teardown(zen_space *sp);

/* Check the space against its zones: the heap holds its break's pages and
 * the stack ends at the top; every slot with a frame is for a page in a
 * segment, its frame an allocated single page of a zone at or below
 * max_zone, no two slots share a frame; stats.mapped counts the slots with
 * a frame and is at most peak. ZEN_OK, or ZEN_ERR_CORRUPT with the first
 * broken invariant in *report. Reads only the space, the table and the
 * zones. O(slots * mapped): for tests, fuzzers and debugging. */
/*@ requires zen_space_ok(sp) && \valid(report) && \separated(report, sp, sp->table + (0 .. sp->slots - 1));
    assigns *report;
    ensures \result == ZEN_OK || \result == ZEN_ERR_CORRUPT;
    ensures \result == ZEN_OK <==> report->invariant == ZEN_SPACE_INV_NONE;
 */
zen_status zen_space_check(const zen_space *sp, zen_space_check_report *report);

#endif
