/* The steps of an address space's operations: each store of a word, a
 * frame taken and filled, the stack grown, a slot recorded or emptied. */
#include "zen_space_steps.h"
#include "zen_space_lemmas.h"
#include "zen_zone_internal.h"

/* Add one to `counter`, one of the space's counters of refusals. */
/*@ requires zen_space_ok(sp);
    requires counter == &sp->stats.rejected || counter == &sp->stats.refused || counter == &sp->stats.oom_count;
    assigns *counter;
    ensures zen_space_ok(sp) && zen_zone_set_same_shape{Pre, Post}(sp->zones);
    ensures zen_space_layout_same{Pre, Post}(&sp->layout) && zen_space_table_same{Pre, Post}(sp);
 */
static void zen_space_count(zen_space *sp, uint64_t *counter)
{
    zen_zone_put_pfn(sp->zones, counter, *counter + 1u);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    //@ assert zen_space_table_ok(sp);
}

void zen_space_fill(zen_space *sp, unsigned k, uint64_t page, zen_pfn pfn)
{
    zen_zone_set *s = sp->zones;
    const unsigned z = zen_zone_index(pfn);
    //@ assert zen_zone_ok(s, z) && s->zone[z].pages.memory != \null;
    uint64_t *frame = s->zone[z].pages.memory + (pfn - s->zone[z].pages.start) * ZEN_PAGE_WORDS_PER_FRAME;
    /* The loaded words of this page: from `first`, `count` of them. */
    const uint64_t *from = 0;
    uint64_t count = 0;
    if (k < ZEN_SEG_TEXT + ZEN_SPACE_LOADED) {
        const unsigned n = k - ZEN_SEG_TEXT;
        const uint64_t first = (page - sp->layout.seg[k].base) / ZEN_PAGE_SIZE * ZEN_PAGE_WORDS_PER_FRAME;
        if (first < sp->load_words[n]) {
            count = sp->load_words[n] - first;
            if (count > ZEN_PAGE_WORDS_PER_FRAME)
                count = ZEN_PAGE_WORDS_PER_FRAME;
            from = sp->load[n] + first;
        }
    }
    /*@ loop invariant 0 <= j <= ZEN_PAGE_WORDS_PER_FRAME;
        loop invariant zen_zone_set_valid(s) && zen_zone_set_same_shape{Pre, Here}(s);
        loop assigns j, frame[0 .. ZEN_PAGE_WORDS_PER_FRAME - 1];
        loop variant ZEN_PAGE_WORDS_PER_FRAME - j; */
    for (uint64_t j = 0; j < ZEN_PAGE_WORDS_PER_FRAME; j++)
        zen_zone_put_pfn(s, &frame[j], j < count ? from[j] : 0u);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    //@ assert zen_space_table_ok(sp);
}

void zen_space_grow_stack(zen_space *sp, uint64_t page)
{
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_STACK) && sp->layout.top % ZEN_PAGE_SIZE == 0;
    zen_zone_put_pfn(sp->zones, &sp->layout.seg[ZEN_SEG_STACK].size, sp->layout.top - page);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_layout_same_but{Pre, Here}(&sp->layout, ZEN_SEG_STACK);
    /*@ ghost Sized: ; */
    zen_zone_put_pfn(sp->zones, &sp->layout.seg[ZEN_SEG_STACK].base, page);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_layout_same_but{Sized, Here}(&sp->layout, ZEN_SEG_STACK);
    //@ assert zen_space_layout_same_but{Pre, Here}(&sp->layout, ZEN_SEG_STACK);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_stack_moved{Pre, Here}(&sp->layout);
    //@ assert zen_seg_layout_ok(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert sp->layout.seg[ZEN_SEG_HEAP].base == \at(sp->layout.seg[ZEN_SEG_HEAP].base, Pre);
    //@ assert sp->layout.seg[ZEN_SEG_HEAP].size == \at(sp->layout.seg[ZEN_SEG_HEAP].size, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    //@ assert zen_space_table_ok(sp);
}

void zen_space_record(zen_space *sp, uint64_t i, zen_pfn pfn)
{
    const uint64_t mapped = sp->stats.mapped + 1u;
    const uint64_t peak = mapped > sp->stats.peak ? mapped : sp->stats.peak;
    zen_zone_put_pfn(sp->zones, &sp->stats.mapped, mapped);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    /*@ ghost Mapped: ; */
    zen_zone_put_pfn(sp->zones, &sp->stats.peak, peak);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_layout_same{Mapped, Here}(&sp->layout);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert \separated(sp->table + i, sp);
    /*@ ghost Counted: ; */
    zen_zone_put_pfn(sp->zones, &sp->table[i], pfn);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_layout_same{Counted, Here}(&sp->layout);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \at(sp->table[j], Pre);
    //@ assert zen_space_table_ok(sp);
}

/*@ // A single frame without ZEN_ZONE_ZERO is a well-formed request.
    lemma zen_space_no_zero_flag: \forall integer f; f == 0 ==> (f & ZEN_ZONE_ZERO) == 0;
    lemma zen_space_frame_request: \forall zen_zone_set *s, integer max_zone;
      0 <= max_zone <= ZEN_ZONE_NORMAL ==> !zen_zone_bad_request(s, max_zone, 0, 0);
 */

/* zen_zone_alloc of one frame, its contract cut down to what the space
 * uses: the set's own memory written, nothing else. The frame comes back
 * by value (zen_space_taken). */
/*@ requires zen_zone_set_valid(s) && max_zone <= ZEN_ZONE_NORMAL;
    assigns *s, s->frames[0 .. s->nframes - 1], s->words[0 .. s->nwords - 1];
    ensures \result.status == ZEN_OK || \result.status == ZEN_ERR_NOMEM || \result.status == ZEN_ERR_CORRUPT;
    ensures \result.status != ZEN_ERR_CORRUPT ==> zen_zone_set_valid(s) && zen_zone_set_same_shape{Pre, Post}(s);
    ensures \result.status == ZEN_OK ==> zen_space_frame_ok(s, max_zone, \result.pfn) && \result.pfn < ZEN_PFN_LIMIT;
 */
static zen_space_taken zen_space_alloc(zen_zone_set *s, unsigned max_zone)
{
    zen_space_taken got = { ZEN_ERR_NOMEM, 0 };
    zen_pfn pfn = 0;
    //@ assert !zen_zone_bad_request(s, max_zone, 0, 0);
    got.status = zen_zone_alloc(s, max_zone, 0, 0, &pfn);
    got.pfn = pfn;
    return got;
}

zen_space_taken zen_space_take(zen_space *sp)
{
    zen_zone_set *const s = sp->zones;
    /* What the zones may write lies apart from the space and its table. */
    //@ assert \separated(sp, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    //@ assert \separated(sp->table + (0 .. sp->slots - 1), s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    //@ assert \separated(&sp->layout, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    const zen_space_taken got = zen_space_alloc(s, sp->max_zone);
    /* The table reads the same, whatever the zones answered. */
    //@ assert sp->table == \at(sp->table, Pre);
    //@ assert sp->slots == \at(sp->slots, Pre);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    if (got.status == ZEN_ERR_CORRUPT)
        return got;
    //@ assert sp->zones == \at(sp->zones, Pre) && sp->max_zone == \at(sp->max_zone, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert sp->load_words[0] == \at(sp->load_words[0], Pre);
    //@ assert zen_space_fixed{Pre, Here}(sp);
    //@ assert zen_zone_set_same_shape{Pre, Here}(sp->zones);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    /* The layout, a field at a time. */
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].base == \at(sp->layout.seg[k].base, Pre);
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].size == \at(sp->layout.seg[k].size, Pre);
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].flags == \at(sp->layout.seg[k].flags, Pre);
    //@ assert \forall integer k; 0 <= k < ZEN_SEG_KINDS ==> sp->layout.seg[k].kind == \at(sp->layout.seg[k].kind, Pre);
    //@ assert sp->layout.heap_end == \at(sp->layout.heap_end, Pre);
    //@ assert sp->layout.stack_floor == \at(sp->layout.stack_floor, Pre) && sp->layout.top == \at(sp->layout.top, Pre);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_ok(sp);
    //@ assert zen_space_ok(sp);
    if (got.status == ZEN_ERR_NOMEM) {
        /*@ ghost Refused: ; */
        zen_space_count(sp, &sp->stats.oom_count);
        //@ assert zen_zone_set_same_shape{Pre, Here}(sp->zones);
        //@ assert zen_space_layout_same{Refused, Here}(&sp->layout) && zen_space_table_same{Refused, Here}(sp);
        //@ assert zen_space_layout_same{Pre, Here}(&sp->layout) && zen_space_table_same{Pre, Here}(sp);
        return got;
    }
    return got;
}

zen_space_taken zen_space_new_frame(zen_space *sp, unsigned k, uint64_t page)
{
    const zen_space_taken got = zen_space_take(sp);
    if (got.status != ZEN_OK)
        return got;
    /*@ ghost Taken: ; */
    /* The frame lies in one of the direct maps the contract names, which
     * have not moved. */
    //@ assert zen_zone_of(got.pfn) == 0 || zen_zone_of(got.pfn) == 1 || zen_zone_of(got.pfn) == 2;
    //@ assert sp->zones == \at(sp->zones, Pre);
    //@ assert zen_zone_set_same_shape{Pre, Here}(sp->zones);
    /*@ assert \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==>
          sp->zones->zone[z].pages.memory == \at(sp->zones->zone[z].pages.memory, Pre) &&
          sp->zones->zone[z].pages.nframes == \at(sp->zones->zone[z].pages.nframes, Pre); */
    /*@ assert 0 <= zen_space_frame_at(sp->zones, got.pfn) &&
          zen_space_frame_at(sp->zones, got.pfn) + ZEN_PAGE_WORDS_PER_FRAME <=
          sp->zones->zone[zen_zone_of(got.pfn)].pages.nframes * ZEN_PAGE_WORDS_PER_FRAME; */
    zen_space_fill(sp, k, page, got.pfn);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout) && zen_space_table_same{Pre, Here}(sp);
    return got;
}

zen_status zen_space_reject(zen_space *sp, zen_status status)
{
    zen_space_count(sp, &sp->stats.rejected);
    return status;
}

/* Record a refused access in *f: the first byte refused, the cause and the
 * signal. *f lies apart from the zone set, so the set stays valid. */
/*@ requires zen_zone_set_valid(s) && \valid(f);
    requires \separated(f, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    assigns *f;
    ensures f->addr == addr && f->cause == cause && f->signal == ZEN_SIGSEGV;
    ensures zen_zone_set_valid(s) && zen_zone_set_same_shape{Pre, Post}(s);
 */
static void zen_space_put_fault(zen_zone_set *s, zen_fault *f, uint64_t addr, uint32_t cause)
{
    (void)s; /* named by the contract only */
    f->addr = addr;
    f->cause = cause;
    f->signal = ZEN_SIGSEGV;
    /*@ assert zen_zone_same{Pre, Here}(s, 0) && zen_zone_ok(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1) && zen_zone_ok(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2) && zen_zone_ok(s, 2); */
    /*@ assert zen_zones_apart(s, 0, 1) && zen_zones_apart(s, 0, 2) && zen_zones_apart(s, 1, 2); */
}

zen_status zen_space_refuse(zen_space *sp, zen_fault *fault, uint64_t addr, uint32_t cause)
{
    zen_space_put_fault(sp->zones, fault, addr, cause);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    //@ assert sp->brk == \at(sp->brk, Pre) && sp->slots == \at(sp->slots, Pre);
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert zen_space_table_ok(sp);
    /*@ ghost Put: ; */
    zen_space_count(sp, &sp->stats.refused);
    //@ assert zen_space_layout_same{Put, Here}(&sp->layout);
    //@ assert zen_space_layout_same{Pre, Here}(&sp->layout);
    return ZEN_ERR_FAULT;
}

void zen_space_set_break(zen_space *sp, uint64_t new_break, uint64_t end)
{
    const uint64_t base = sp->layout.seg[ZEN_SEG_HEAP].base;
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_HEAP) && sp->layout.heap_end % ZEN_PAGE_SIZE == 0;
    //@ assert (sp->layout.heap_end - base) % ZEN_PAGE_SIZE == 0;
    //@ assert zen_seg_round(sp->layout.heap_end - base) == sp->layout.heap_end - base;
    //@ assert zen_seg_round(new_break - base) <= zen_seg_round(sp->layout.heap_end - base);
    //@ assert base <= end <= sp->layout.heap_end && (end - base) % ZEN_PAGE_SIZE == 0;
    zen_zone_put_pfn(sp->zones, &sp->brk, new_break);
    //@ assert zen_space_apart_all(sp);
    zen_zone_put_pfn(sp->zones, &sp->layout.seg[ZEN_SEG_HEAP].size, end - base);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_heap_moved{Pre, Here}(&sp->layout);
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_HEAP);
    //@ assert zen_seg_layout_ok(&sp->layout);
    //@ assert zen_space_shape_ok(sp);
    //@ assert zen_space_zones_ok(sp->zones, sp->max_zone);
    //@ assert \forall integer i; 0 <= i < sp->slots ==> sp->table[i] == \at(sp->table[i], Pre);
    //@ assert zen_space_table_ok(sp);
}
