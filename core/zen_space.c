/* Address spaces: the table's size, init, and the frame of a page. */
#include "zen_space_steps.h"

uint64_t zen_space_slot(const zen_space *sp, uint64_t addr)
{
    const zen_layout *l = &sp->layout;
    //@ assert l->heap_end + ZEN_PAGE_SIZE <= l->stack_floor <= l->top;
    //@ assert (l->heap_end - zen_image_text_base) % ZEN_PAGE_SIZE == 0;
    //@ assert (l->top - l->stack_floor) % ZEN_PAGE_SIZE == 0;
    if (addr >= l->seg[ZEN_SEG_TEXT].base && addr < l->heap_end) {
        //@ assert (addr - zen_image_text_base) / ZEN_PAGE_SIZE < (l->heap_end - zen_image_text_base) / ZEN_PAGE_SIZE;
        return (addr - l->seg[ZEN_SEG_TEXT].base) / ZEN_PAGE_SIZE;
    }
    if (addr >= l->stack_floor && addr < l->top) {
        //@ assert (addr - l->stack_floor) / ZEN_PAGE_SIZE < (l->top - l->stack_floor) / ZEN_PAGE_SIZE;
        return sp->low_slots + (addr - l->stack_floor) / ZEN_PAGE_SIZE;
    }
    return sp->slots;
}

zen_status zen_space_slots(const zen_image *img, uint64_t *slots)
{
    zen_layout l;
    const zen_status st = zen_seg_layout(img, &l);
    if (st != ZEN_OK)
        return st;
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
    *slots = (low + high) / ZEN_PAGE_SIZE;
    //@ assert *slots == \at(zen_image_slots(img), Pre);
    return ZEN_OK;
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

zen_status zen_space_init(zen_space *sp, const zen_image *img, zen_zone_set *zones, unsigned max_zone,
                          zen_pfn *table, uint64_t capacity, const zen_hooks *hooks)
{
    uint64_t slots;
    const zen_status st = zen_space_slots(img, &slots);
    if (st != ZEN_OK)
        return st;
    //@ assert !zen_image_refused(img) && slots == zen_image_slots(img);
    if (!zen_space_args_ok(img, zones, max_zone))
        return ZEN_ERR_INVAL;
    if (capacity < slots)
        return ZEN_ERR_CAPACITY;
    /*@ loop invariant 0 <= i <= slots;
        loop invariant \forall integer j; 0 <= j < i ==> table[j] == ZEN_SPACE_NO_FRAME;
        loop assigns i, table[0 .. slots - 1];
        loop variant slots - i; */
    for (uint64_t i = 0; i < slots; i++)
        table[i] = ZEN_SPACE_NO_FRAME;
    /*@ ghost Cleared: ; */
    (void)zen_seg_layout(img, &sp->layout);
    //@ assert zen_seg_layout_of(&sp->layout, img) && zen_seg_layout_ok(&sp->layout);
    sp->brk = sp->layout.seg[ZEN_SEG_HEAP].base;
    sp->zones = zones;
    sp->max_zone = max_zone;
    sp->table = table;
    sp->slots = slots;
    sp->low_slots = (sp->layout.heap_end - sp->layout.seg[ZEN_SEG_TEXT].base) / ZEN_PAGE_SIZE;
    sp->load[0] = img->text;
    sp->load[1] = img->rodata;
    sp->load[2] = img->data;
    sp->load_words[0] = zen_space_words_of(img->text_size);
    sp->load_words[1] = zen_space_words_of(img->rodata_size);
    sp->load_words[2] = zen_space_words_of(img->data_size);
    sp->hooks.enter = hooks != 0 ? hooks->enter : 0;
    sp->hooks.leave = hooks != 0 ? hooks->leave : 0;
    sp->hooks.ctx = hooks != 0 ? hooks->ctx : 0;
    sp->stats.mapped = 0;
    sp->stats.peak = 0;
    sp->stats.refused = 0;
    sp->stats.oom_count = 0;
    sp->stats.rejected = 0;
    /* Only the space and its table were written: the image and the zones
     * read the same. */
    //@ assert zen_image_same{Pre, Here}(img);
    /*@ assert zen_zone_same{Pre, Here}(zones, ZEN_ZONE_DMA); */
    /*@ assert zen_zone_same{Pre, Here}(zones, ZEN_ZONE_DMA32); */
    /*@ assert zen_zone_same{Pre, Here}(zones, ZEN_ZONE_NORMAL); */
    //@ assert zen_zone_set_valid(zones) && zen_space_zones_ok(zones, max_zone);
    //@ assert zen_seg_layout_of(&sp->layout, img) && zen_seg_layout_ok(&sp->layout);
    //@ assert \forall integer j; 0 <= j < slots ==> table[j] == ZEN_SPACE_NO_FRAME;
    /* The table's geometry: both ranges are whole pages. */
    //@ assert sp->layout.seg[ZEN_SEG_TEXT].base == zen_image_text_base;
    //@ assert (sp->layout.heap_end - zen_image_text_base) % ZEN_PAGE_SIZE == 0;
    //@ assert (sp->layout.top - sp->layout.stack_floor) % ZEN_PAGE_SIZE == 0;
    /*@ assert (sp->layout.heap_end - zen_image_text_base + sp->layout.top - sp->layout.stack_floor) / ZEN_PAGE_SIZE ==
          (sp->layout.heap_end - zen_image_text_base) / ZEN_PAGE_SIZE + (sp->layout.top - sp->layout.stack_floor) / ZEN_PAGE_SIZE; */
    //@ assert sp->slots == zen_space_slot_count(&sp->layout);
    //@ assert zen_space_shape_ok(sp);
    //@ assert \valid_read(sp->load[0] + (0 .. sp->load_words[0] - 1));
    //@ assert \valid_read(sp->load[1] + (0 .. sp->load_words[1] - 1));
    //@ assert \valid_read(sp->load[2] + (0 .. sp->load_words[2] - 1));
    //@ assert zen_space_words_apart(zones, (uint64_t *)sp->load[0], sp->load_words[0]);
    //@ assert zen_space_words_apart(zones, (uint64_t *)sp->load[1], sp->load_words[1]);
    //@ assert zen_space_words_apart(zones, (uint64_t *)sp->load[2], sp->load_words[2]);
    //@ assert zen_space_apart(zones, sp) && zen_space_words_apart(zones, table, slots);
    //@ assert zen_space_apart_all(sp);
    //@ assert zen_space_memory_ok(sp);
    //@ assert zen_space_table_ok(sp);
    return ZEN_OK;
}

zen_status zen_space_frame_at(const zen_space *sp, uint64_t addr, zen_pfn *pfn)
{
    const uint64_t i = zen_space_slot(sp, addr);
    if (i == sp->slots)
        return ZEN_ERR_RANGE;
    const zen_pfn frame = sp->table[i];
    if (frame == ZEN_SPACE_NO_FRAME)
        return ZEN_ERR_NOT_ALLOCATED;
    *pfn = frame;
    //@ assert sp->table[i] == frame;
    return ZEN_OK;
}
