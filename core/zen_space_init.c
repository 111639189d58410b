/* Address spaces: the table's size and init. */
#include "zen_space_steps.h"

/* The slots an image's space needs, or its layout's error: by value, so
 * that init's caller-visible memory is not written (a local's address
 * would change WP's allocation table across init). */
typedef struct zen_space_size {
    zen_status status;
    uint64_t slots;
    uint64_t low_slots; /* the slots of TEXT's base .. the heap's reach */
    uint64_t brk;       /* the heap's base */
} zen_space_size;

/*@
    // The set's shape from its parts: the case split over the three zones.
    lemma zen_space_init_shape{L1, L2}: \forall zen_zone_set *s;
      \at(s->frames, L1) == \at(s->frames, L2) && \at(s->nframes, L1) == \at(s->nframes, L2) &&
      \at(s->words, L1) == \at(s->words, L2) && \at(s->nwords, L1) == \at(s->nwords, L2) &&
      (\forall integer y; 0 <= y < ZEN_ZONE_COUNT ==>
        \at(s->zone[y].present, L1) == \at(s->zone[y].present, L2) &&
        \at(s->zone[y].frame_off, L1) == \at(s->zone[y].frame_off, L2) &&
        \at(s->zone[y].word_off, L1) == \at(s->zone[y].word_off, L2)) &&
      zen_page_same_shape{L1, L2}(\at(&s->zone[0].pages, L1)) &&
      zen_page_same_shape{L1, L2}(\at(&s->zone[1].pages, L1)) &&
      zen_page_same_shape{L1, L2}(\at(&s->zone[2].pages, L1)) ==>
      zen_zone_set_same_shape{L1, L2}(s);

    // What the space keeps apart from the zones stays apart while the set
    // keeps its shape.
    lemma zen_space_init_apart_kept{L1, L2}: \forall zen_zone_set *s, zen_space *sp;
      zen_space_apart{L1}(s, sp) && zen_zone_set_same_shape{L1, L2}(s) ==> zen_space_apart{L2}(s, sp);
    lemma zen_space_init_words_kept{L1, L2}: \forall zen_zone_set *s, uint64_t *p, integer n, m;
      zen_space_words_apart{L1}(s, p, n) && zen_zone_set_same_shape{L1, L2}(s) && 0 <= m <= n ==>
      zen_space_words_apart{L2}(s, p, m);
    // (zen_space_zones_ok past the set's validity.)
    lemma zen_space_init_zones_kept{L1, L2}: \forall zen_image *i, zen_zone_set *s, integer max_zone;
      !zen_space_args_bad{L1}(i, s, max_zone) && zen_zone_set_same_shape{L1, L2}(s) ==>
      max_zone <= ZEN_ZONE_NORMAL &&
      \forall integer z; 0 <= z <= max_zone && \at(s->zone[z].present, L2) != 0 ==>
        \at(s->zone[z].pages.memory, L2) != \null;

    // zen_space_apart_all's and zen_space_memory_ok's quantifiers over the
    // three loaded segments, at their instances.
    lemma zen_space_init_apart_all: \forall zen_space *sp;
      zen_space_apart(sp->zones, sp) && zen_space_words_apart(sp->zones, sp->table, sp->slots) &&
      zen_space_words_apart(sp->zones, (uint64_t *)sp->load[0], sp->load_words[0]) &&
      zen_space_words_apart(sp->zones, (uint64_t *)sp->load[1], sp->load_words[1]) &&
      zen_space_words_apart(sp->zones, (uint64_t *)sp->load[2], sp->load_words[2]) ==>
      zen_space_apart_all(sp);
    lemma zen_space_init_memory_ok: \forall zen_space *sp;
      \valid(sp) && \valid(sp->table + (0 .. sp->slots - 1)) && \separated(sp, sp->table + (0 .. sp->slots - 1)) &&
      \valid_read(sp->load[0] + (0 .. sp->load_words[0] - 1)) &&
      \valid_read(sp->load[1] + (0 .. sp->load_words[1] - 1)) &&
      \valid_read(sp->load[2] + (0 .. sp->load_words[2] - 1)) && zen_space_apart_all(sp) ==>
      zen_space_memory_ok(sp);
 */

/*@ requires \valid_read(img);
    assigns \nothing;
    ensures \result.status == ZEN_OK || \result.status == ZEN_ERR_INVAL || \result.status == ZEN_ERR_MISALIGNED ||
            \result.status == ZEN_ERR_OVERFLOW || \result.status == ZEN_ERR_NO_FIT;
    behavior malformed:
      assumes zen_image_malformed(img);
      ensures \result.status == ZEN_ERR_INVAL;
    behavior misaligned:
      assumes !zen_image_malformed(img) && zen_image_misaligned(img);
      ensures \result.status == ZEN_ERR_MISALIGNED;
    behavior overflows:
      assumes !zen_image_malformed(img) && !zen_image_misaligned(img) && zen_image_overflows(img);
      ensures \result.status == ZEN_ERR_OVERFLOW;
    behavior collides:
      assumes !zen_image_malformed(img) && !zen_image_misaligned(img) && !zen_image_overflows(img);
      assumes zen_image_collides(img);
      ensures \result.status == ZEN_ERR_NO_FIT;
    behavior fits:
      assumes !zen_image_refused(img);
      ensures \result.status == ZEN_OK && \result.slots == \old(zen_image_slots(img));
      ensures \result.brk == \old(zen_image_heap_base(img));
      ensures \result.low_slots == \old(zen_image_heap_end(img) - zen_image_text_base) / ZEN_PAGE_SIZE;
      ensures \result.slots == \result.low_slots + \old(img->top - zen_image_stack_floor(img)) / ZEN_PAGE_SIZE;
    complete behaviors;
    disjoint behaviors;
 */
static zen_space_size zen_space_size_of(const zen_image *img)
{
    zen_space_size size = { ZEN_ERR_INVAL, 0, 0, 0 };
    zen_layout l;
    size.status = zen_seg_layout(img, &l);
    if (size.status != ZEN_OK)
        return size;
    /* The image's fields lie apart from the local layout: the call kept them. */
    //@ assert \separated(&img->page_size, &l);
    //@ assert \separated(&img->text_size, &l);
    //@ assert \separated(&img->rodata_size, &l);
    //@ assert \separated(&img->data_size, &l);
    //@ assert \separated(&img->bss_size, &l);
    //@ assert \separated(&img->comm_size, &l);
    //@ assert \separated(&img->debug_size, &l);
    //@ assert \separated(&img->heap_limit, &l);
    //@ assert \separated(&img->stack_size, &l);
    //@ assert \separated(&img->stack_limit, &l);
    //@ assert \separated(&img->top, &l);
    //@ assert \separated(&img->text, &l);
    //@ assert \separated(&img->rodata, &l);
    //@ assert \separated(&img->data, &l);
    //@ assert zen_image_same{Pre, Here}(img);
    //@ assert zen_seg_layout_of(&l, img) && zen_seg_layout_ok(&l);
    //@ assert l.heap_end == zen_image_heap_end(img) && l.seg[ZEN_SEG_TEXT].base == zen_image_text_base;
    //@ assert l.top == img->top && l.stack_floor == zen_image_stack_floor(img);
    const uint64_t low = l.heap_end - l.seg[ZEN_SEG_TEXT].base;
    const uint64_t high = l.top - l.stack_floor;
    //@ assert low == zen_image_heap_end(img) - zen_image_text_base;
    //@ assert high == img->top - zen_image_stack_floor(img);
    //@ assert low + high <= UINT64_MAX;
    /* Both ranges are whole pages. */
    //@ assert low % ZEN_PAGE_SIZE == 0 && high % ZEN_PAGE_SIZE == 0;
    //@ assert (low + high) / ZEN_PAGE_SIZE == low / ZEN_PAGE_SIZE + high / ZEN_PAGE_SIZE;
    size.slots = (low + high) / ZEN_PAGE_SIZE;
    size.low_slots = low / ZEN_PAGE_SIZE;
    size.brk = l.seg[ZEN_SEG_HEAP].base;
    //@ assert size.slots == \at(zen_image_slots(img), Pre);
    //@ assert size.brk == \at(zen_image_heap_base(img), Pre);
    //@ assert size.low_slots == \at(zen_image_heap_end(img) - zen_image_text_base, Pre) / ZEN_PAGE_SIZE;
    return size;
}

zen_status zen_space_slots(const zen_image *img, uint64_t *slots)
{
    const zen_space_size size = zen_space_size_of(img);
    if (size.status == ZEN_OK)
        *slots = size.slots;
    return size.status;
}

/* The words of a loaded segment of `bytes` bytes: whole words, the last
 * one partly used when bytes is not a multiple of 8. */
/*@ assigns \nothing;
    ensures \result == zen_space_words(bytes);
 */
static uint64_t zen_space_words_of(uint64_t bytes)
{
    return bytes / 8u + (bytes % 8u != 0u ? 1u : 0u);
}

/* init's argument rule past the layout (zen_space_args_bad). */
/*@ requires \valid_read(img) && zen_zone_set_valid(zones);
    assigns \nothing;
    ensures \result == 0 <==> zen_space_args_bad(img, zones, max_zone);
 */
static int zen_space_args_ok(const zen_image *img, const zen_zone_set *zones, unsigned max_zone)
{
    if (max_zone > ZEN_ZONE_NORMAL)
        return 0;
    /*@ loop invariant 0 <= z <= max_zone + 1;
        loop invariant \forall integer y; 0 <= y < z ==>
          !(zones->zone[y].present != 0 && zones->zone[y].pages.memory == \null);
        loop assigns z;
        loop variant max_zone + 1 - z; */
    for (unsigned z = 0; z <= max_zone; z++)
        if (zones->zone[z].present != 0u && zones->zone[z].pages.memory == 0)
            return 0;
    if ((img->text_size != 0u && img->text == 0) || (img->rodata_size != 0u && img->rodata == 0) ||
        (img->data_size != 0u && img->data == 0))
        return 0;
    return 1;
}

/* Empty table[0 .. n-1]. The image, apart from the table, reads the same. */
/*@ requires \valid(table + (0 .. n - 1)) && \valid_read(img) && \separated(img, table + (0 .. n - 1));
    assigns table[0 .. n - 1];
    ensures \forall integer j; 0 <= j < n ==> table[j] == ZEN_SPACE_NO_FRAME;
    ensures zen_image_same{Pre, Post}(img);
 */
static void zen_space_wipe(const zen_image *img, zen_pfn *table, uint64_t n)
{
    (void)img; /* named by the contract only */
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer j; 0 <= j < i ==> table[j] == ZEN_SPACE_NO_FRAME;
        loop invariant zen_image_same{Pre, Here}(img);
        loop assigns i, table[0 .. n - 1];
        loop variant n - i; */
    for (uint64_t i = 0; i < n; i++)
        table[i] = ZEN_SPACE_NO_FRAME;
}

/* Every field of the space but its layout. The image and the table, apart
 * from the space, read the same. */
/*@ requires \valid(sp) && \valid_read(img) && \separated(sp, img);
    requires hooks == \null || (\valid_read(hooks) && \separated(hooks, sp));
    requires \separated(sp, table + (0 .. size.slots - 1));
    requires \forall integer j; 0 <= j < size.slots ==> table[j] == ZEN_SPACE_NO_FRAME;
    assigns sp->brk, sp->zones, sp->max_zone, sp->table, sp->slots, sp->low_slots, sp->load[0 .. 2],
            sp->load_words[0 .. 2], sp->hooks, sp->stats;
    ensures sp->brk == size.brk && sp->zones == s && sp->max_zone == max_zone && sp->table == table;
    ensures sp->slots == size.slots && sp->low_slots == size.low_slots;
    ensures sp->load[0] == \old(img->text) && sp->load[1] == \old(img->rodata) && sp->load[2] == \old(img->data);
    ensures sp->load_words[0] == zen_space_words(\old(img->text_size));
    ensures sp->load_words[1] == zen_space_words(\old(img->rodata_size));
    ensures sp->load_words[2] == zen_space_words(\old(img->data_size));
    ensures sp->stats.mapped == 0 && sp->stats.peak == 0 &&
            sp->stats.refused == 0 && sp->stats.oom_count == 0 && sp->stats.rejected == 0;
    ensures \forall integer j; 0 <= j < size.slots ==> table[j] == ZEN_SPACE_NO_FRAME;
    ensures zen_image_same{Pre, Post}(img);
 */
static void zen_space_put_fields(zen_space *sp, zen_zone_set *s, unsigned max_zone, zen_pfn *table,
                                 zen_space_size size, const zen_image *img, const zen_hooks *hooks)
{
    /* The image's words and sizes, read before any store. */
    const uint64_t *const text = img->text;
    const uint64_t *const rodata = img->rodata;
    const uint64_t *const data = img->data;
    const uint64_t text_words = zen_space_words_of(img->text_size);
    const uint64_t rodata_words = zen_space_words_of(img->rodata_size);
    const uint64_t data_words = zen_space_words_of(img->data_size);
    //@ assert \separated(&img->page_size, sp) && \separated(&img->text_size, sp);
    //@ assert \separated(&img->rodata_size, sp) && \separated(&img->data_size, sp);
    //@ assert \separated(&img->bss_size, sp) && \separated(&img->comm_size, sp);
    //@ assert \separated(&img->debug_size, sp) && \separated(&img->heap_limit, sp);
    //@ assert \separated(&img->stack_size, sp) && \separated(&img->stack_limit, sp);
    //@ assert \separated(&img->top, sp) && \separated(&img->text, sp);
    //@ assert \separated(&img->rodata, sp) && \separated(&img->data, sp);
    sp->brk = size.brk;
    sp->zones = s;
    sp->max_zone = max_zone;
    sp->table = table;
    sp->slots = size.slots;
    sp->low_slots = size.low_slots;
    sp->load[0] = text;
    sp->load[1] = rodata;
    sp->load[2] = data;
    sp->load_words[0] = text_words;
    sp->load_words[1] = rodata_words;
    sp->load_words[2] = data_words;
    sp->hooks.enter = hooks != 0 ? hooks->enter : 0;
    sp->hooks.leave = hooks != 0 ? hooks->leave : 0;
    sp->hooks.ctx = hooks != 0 ? hooks->ctx : 0;
    sp->stats.mapped = 0;
    sp->stats.peak = 0;
    sp->stats.refused = 0;
    sp->stats.oom_count = 0;
    sp->stats.rejected = 0;
}

/* The space's layout, the last of its fields written. The image, the
 * table and the other fields read the same. */
/*@ requires \valid(sp) && \valid_read(img) && \separated(sp, img) && !zen_image_refused(img);
    requires \separated(sp, table + (0 .. n - 1));
    requires \forall integer j; 0 <= j < n ==> table[j] == ZEN_SPACE_NO_FRAME;
    assigns sp->layout;
    ensures zen_seg_layout_of(&sp->layout, img) && zen_seg_layout_ok(&sp->layout);
    ensures zen_space_fixed{Pre, Post}(sp) && sp->brk == \old(sp->brk);
    ensures sp->stats.mapped == \old(sp->stats.mapped) && sp->stats.peak == \old(sp->stats.peak) &&
            sp->stats.refused == \old(sp->stats.refused) && sp->stats.oom_count == \old(sp->stats.oom_count) &&
            sp->stats.rejected == \old(sp->stats.rejected);
    ensures \forall integer j; 0 <= j < n ==> table[j] == ZEN_SPACE_NO_FRAME;
    ensures zen_image_same{Pre, Post}(img);
 */
static void zen_space_lay(zen_space *sp, const zen_image *img, const zen_pfn *table, uint64_t n)
{
    (void)table; /* table and n: named by the contract only */
    (void)n;
    //@ assert \separated(table + (0 .. n - 1), &sp->layout);
    //@ assert \separated(&img->page_size, &sp->layout) && \separated(&img->text_size, &sp->layout);
    //@ assert \separated(&img->rodata_size, &sp->layout) && \separated(&img->data_size, &sp->layout);
    //@ assert \separated(&img->bss_size, &sp->layout) && \separated(&img->comm_size, &sp->layout);
    //@ assert \separated(&img->debug_size, &sp->layout) && \separated(&img->heap_limit, &sp->layout);
    //@ assert \separated(&img->stack_size, &sp->layout) && \separated(&img->stack_limit, &sp->layout);
    //@ assert \separated(&img->top, &sp->layout);
    (void)zen_seg_layout(img, &sp->layout);
}

/* The whole space and its empty table: every write of init. */
/*@ requires \valid(sp) && \valid_read(img) && \valid(table + (0 .. size.slots - 1));
    requires \separated(sp, img, table + (0 .. size.slots - 1)) && \separated(img, table + (0 .. size.slots - 1));
    requires hooks == \null || (\valid_read(hooks) && \separated(hooks, sp));
    requires !zen_image_refused(img) && size.slots == zen_image_slots(img) && size.brk == zen_image_heap_base(img);
    requires size.low_slots == (zen_image_heap_end(img) - zen_image_text_base) / ZEN_PAGE_SIZE;
    requires size.slots == size.low_slots + (img->top - zen_image_stack_floor(img)) / ZEN_PAGE_SIZE;
    assigns *sp, table[0 .. size.slots - 1];
    ensures zen_seg_layout_of(&sp->layout, img) && zen_seg_layout_ok(&sp->layout);
    ensures sp->brk == zen_image_heap_base(img) && sp->slots == zen_image_slots(img);
    ensures sp->layout.seg[ZEN_SEG_HEAP].base == sp->brk;
    ensures sp->low_slots == zen_space_low_slots(&sp->layout) && sp->slots == zen_space_slot_count(&sp->layout);
    ensures sp->zones == s && sp->max_zone == max_zone && sp->table == table;
    ensures sp->slots == size.slots && sp->low_slots == size.low_slots;
    ensures sp->load[0] == \old(img->text) && sp->load[1] == \old(img->rodata) && sp->load[2] == \old(img->data);
    ensures sp->load_words[0] == zen_space_words(\old(img->text_size));
    ensures sp->load_words[1] == zen_space_words(\old(img->rodata_size));
    ensures sp->load_words[2] == zen_space_words(\old(img->data_size));
    ensures sp->stats.mapped == 0 && sp->stats.peak == 0 &&
            sp->stats.refused == 0 && sp->stats.oom_count == 0 && sp->stats.rejected == 0;
    ensures \forall integer j; 0 <= j < size.slots ==> table[j] == ZEN_SPACE_NO_FRAME;
    ensures zen_image_same{Pre, Post}(img);
 */
static void zen_space_build(zen_space *sp, const zen_image *img, zen_zone_set *s, unsigned max_zone,
                            zen_pfn *table, zen_space_size size, const zen_hooks *hooks)
{
    zen_space_wipe(img, table, size.slots);
    /*@ ghost Wiped: ; */
    zen_space_put_fields(sp, s, max_zone, table, size, img, hooks);
    /*@ ghost Put: ; */
    //@ assert zen_image_same{Pre, Put}(img);
    //@ assert !zen_image_refused(img);
    zen_space_lay(sp, img, table, size.slots);
    //@ assert zen_image_same{Pre, Here}(img);
    //@ assert zen_image_slots(img) == size.slots && zen_image_heap_base(img) == size.brk;
    //@ assert zen_image_heap_end(img) == \at(zen_image_heap_end(img), Pre);
    //@ assert zen_image_stack_floor(img) == \at(zen_image_stack_floor(img), Pre) && img->top == \at(img->top, Pre);
    //@ assert sp->layout.heap_end == zen_image_heap_end(img) && sp->layout.seg[ZEN_SEG_HEAP].base == zen_image_heap_base(img);
    //@ assert sp->layout.top == img->top && sp->layout.stack_floor == zen_image_stack_floor(img);
    //@ assert sp->low_slots == size.low_slots && sp->slots == size.slots;
    //@ assert sp->load[0] == \at(sp->load[0], Put) && sp->load[1] == \at(sp->load[1], Put);
    //@ assert sp->load[2] == \at(sp->load[2], Put);
    //@ assert sp->load_words[0] == \at(sp->load_words[0], Put) && sp->load_words[1] == \at(sp->load_words[1], Put);
    //@ assert sp->load_words[2] == \at(sp->load_words[2], Put);
}

/* init's writes, past which the zone set stays valid: the space and its
 * table lie apart from it. */
/*@ requires \valid(sp) && \valid_read(img) && \valid(table + (0 .. size.slots - 1));
    requires \separated(sp, img, table + (0 .. size.slots - 1)) && \separated(img, table + (0 .. size.slots - 1));
    requires hooks == \null || (\valid_read(hooks) && \separated(hooks, sp));
    requires !zen_image_refused(img) && size.slots == zen_image_slots(img) && size.brk == zen_image_heap_base(img);
    requires size.low_slots == (zen_image_heap_end(img) - zen_image_text_base) / ZEN_PAGE_SIZE;
    requires size.slots == size.low_slots + (img->top - zen_image_stack_floor(img)) / ZEN_PAGE_SIZE;
    requires zen_zone_set_valid(s) && \separated(sp, s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    requires \separated(table + (0 .. size.slots - 1), s, s->frames + (0 .. s->nframes - 1), s->words + (0 .. s->nwords - 1));
    assigns *sp, table[0 .. size.slots - 1];
    ensures zen_seg_layout_of(&sp->layout, img) && zen_seg_layout_ok(&sp->layout);
    ensures sp->brk == zen_image_heap_base(img) && sp->slots == zen_image_slots(img);
    ensures sp->layout.seg[ZEN_SEG_HEAP].base == sp->brk;
    ensures sp->low_slots == zen_space_low_slots(&sp->layout) && sp->slots == zen_space_slot_count(&sp->layout);
    ensures sp->zones == s && sp->max_zone == max_zone && sp->table == table;
    ensures sp->slots == size.slots && sp->low_slots == size.low_slots;
    ensures sp->load[0] == \old(img->text) && sp->load[1] == \old(img->rodata) && sp->load[2] == \old(img->data);
    ensures sp->load_words[0] == zen_space_words(\old(img->text_size));
    ensures sp->load_words[1] == zen_space_words(\old(img->rodata_size));
    ensures sp->load_words[2] == zen_space_words(\old(img->data_size));
    ensures sp->stats.mapped == 0 && sp->stats.peak == 0 &&
            sp->stats.refused == 0 && sp->stats.oom_count == 0 && sp->stats.rejected == 0;
    ensures \forall integer j; 0 <= j < size.slots ==> table[j] == ZEN_SPACE_NO_FRAME;
    ensures zen_zone_set_valid(s);
    ensures zen_zone_set_same_shape{Pre, Post}(s);
 */
static void zen_space_build_kept(zen_space *sp, const zen_image *img, zen_zone_set *s, unsigned max_zone,
                                 zen_pfn *table, zen_space_size size, const zen_hooks *hooks)
{
    zen_space_build(sp, img, s, max_zone, table, size, hooks);
    /* Only the space and its table were written: the set reads the same,
     * a field at a time. */
    /*@ assert s->frames == \at(s->frames, Pre) && s->nframes == \at(s->nframes, Pre) &&
               s->words == \at(s->words, Pre) && s->nwords == \at(s->nwords, Pre); */
    //@ assert \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> s->zone[z].present == \at(s->zone[z].present, Pre);
    //@ assert \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> s->zone[z].frame_off == \at(s->zone[z].frame_off, Pre);
    //@ assert \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> s->zone[z].word_off == \at(s->zone[z].word_off, Pre);
    //@ assert \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> s->zone[z].pages.start == \at(s->zone[z].pages.start, Pre);
    //@ assert \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> s->zone[z].pages.nframes == \at(s->zone[z].pages.nframes, Pre);
    //@ assert \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==> s->zone[z].pages.nwords == \at(s->zone[z].pages.nwords, Pre);
    /*@ assert \forall integer z; 0 <= z < ZEN_ZONE_COUNT ==>
          s->zone[z].pages.frames == \at(s->zone[z].pages.frames, Pre) &&
          s->zone[z].pages.words == \at(s->zone[z].pages.words, Pre) &&
          s->zone[z].pages.memory == \at(s->zone[z].pages.memory, Pre); */
    /*@ assert \forall integer z, k; 0 <= z < ZEN_ZONE_COUNT && 0 <= k <= ZEN_PAGE_MAX_ORDER ==>
          s->zone[z].pages.tree[k].levels == \at(s->zone[z].pages.tree[k].levels, Pre); */
    /*@ assert \forall integer z, k, l; 0 <= z < ZEN_ZONE_COUNT && 0 <= k <= ZEN_PAGE_MAX_ORDER &&
          0 <= l < ZEN_BITMAP_MAX_LEVELS ==>
          s->zone[z].pages.tree[k].offset[l] == \at(s->zone[z].pages.tree[k].offset[l], Pre) &&
          s->zone[z].pages.tree[k].length[l] == \at(s->zone[z].pages.tree[k].length[l], Pre); */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[0].pages); */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[1].pages); */
    /*@ assert zen_page_same_shape{Pre, Here}(&s->zone[2].pages); */
    /*@ assert zen_zone_same{Pre, Here}(s, 0); */
    /*@ assert zen_zone_same{Pre, Here}(s, 1); */
    /*@ assert zen_zone_same{Pre, Here}(s, 2); */
    /*@ assert zen_zone_ok(s, 0); */
    /*@ assert zen_zone_ok(s, 1); */
    /*@ assert zen_zone_ok(s, 2); */
    /*@ assert zen_zones_apart(s, 0, 1) && zen_zones_apart(s, 0, 2) && zen_zones_apart(s, 1, 2); */
    /*@ assert zen_zone_set_same_shape{Pre, Here}(s); */
}

zen_status zen_space_init(zen_space *sp, const zen_image *img, zen_zone_set *zones, unsigned max_zone,
                          zen_pfn *table, uint64_t capacity, const zen_hooks *hooks)
{
    const zen_space_size size = zen_space_size_of(img);
    if (size.status != ZEN_OK)
        return size.status;
    if (!zen_space_args_ok(img, zones, max_zone))
        return ZEN_ERR_INVAL;
    if (capacity < size.slots)
        return ZEN_ERR_CAPACITY;
    //@ assert !zen_image_refused(img) && !zen_space_args_bad(img, zones, max_zone);
    //@ assert size.slots == zen_image_slots(img) && size.brk == zen_image_heap_base(img);
    //@ assert size.low_slots == (zen_image_heap_end(img) - zen_image_text_base) / ZEN_PAGE_SIZE;
    //@ assert size.slots == size.low_slots + (img->top - zen_image_stack_floor(img)) / ZEN_PAGE_SIZE;
    //@ assert zen_space_words_apart(zones, table, size.slots);
    zen_space_build_kept(sp, img, zones, max_zone, table, size, hooks);
    //@ assert zen_zone_set_valid(zones) && zen_zone_set_same_shape{Pre, Here}(zones);
    //@ assert zen_space_zones_ok(zones, max_zone);
    //@ assert sp->layout.seg[ZEN_SEG_TEXT].base == zen_image_text_base;
    //@ assert sp->layout.seg[ZEN_SEG_HEAP].size == 0 && zen_seg_round(sp->brk - sp->layout.seg[ZEN_SEG_HEAP].base) == 0;
    //@ assert zen_space_shape_ok(sp);
    //@ assert \valid_read(sp->load[0] + (0 .. sp->load_words[0] - 1));
    //@ assert \valid_read(sp->load[1] + (0 .. sp->load_words[1] - 1));
    //@ assert \valid_read(sp->load[2] + (0 .. sp->load_words[2] - 1));
    //@ assert zen_space_words_apart(sp->zones, (uint64_t *)sp->load[0], sp->load_words[0]);
    //@ assert zen_space_words_apart(sp->zones, (uint64_t *)sp->load[1], sp->load_words[1]);
    //@ assert zen_space_words_apart(sp->zones, (uint64_t *)sp->load[2], sp->load_words[2]);
    //@ assert zen_space_apart(sp->zones, sp);
    //@ assert zen_space_words_apart(sp->zones, sp->table, sp->slots);
    //@ assert zen_space_apart_all(sp);
    //@ assert \valid(sp->table + (0 .. sp->slots - 1)) && \separated(sp, sp->table + (0 .. sp->slots - 1));
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_table_ok(sp);
    return ZEN_OK;
}
