/* Address spaces: the page table, the fault handler, brk and teardown. */
#include "zen_space.h"
#include "zen_zone_internal.h"

/* The slot of the page that holds addr, or sp->slots when no slot has it.
 * The two ranges are page-aligned and apart (the guard page lies between),
 * so a subtraction and a shift find it. */
static uint64_t zen_space_slot(const zen_space *sp, uint64_t addr)
{
    const zen_layout *l = &sp->layout;
    if (addr >= l->seg[ZEN_SEG_TEXT].base && addr < l->heap_end)
        return (addr - l->seg[ZEN_SEG_TEXT].base) / ZEN_PAGE_SIZE;
    if (addr >= l->stack_floor && addr < l->top)
        return sp->low_slots + (addr - l->stack_floor) / ZEN_PAGE_SIZE;
    return sp->slots;
}

/* The first byte of slot i's page. */
static uint64_t zen_space_page(const zen_space *sp, uint64_t i)
{
    if (i < sp->low_slots)
        return sp->layout.seg[ZEN_SEG_TEXT].base + i * ZEN_PAGE_SIZE;
    return sp->layout.stack_floor + (i - sp->low_slots) * ZEN_PAGE_SIZE;
}

/* The segment a fault at addr is judged by: the one that holds it, the
 * stack for a byte the stack may grow into, or ZEN_SEG_NONE. */
static unsigned zen_space_judge(const zen_space *sp, uint64_t addr)
{
    const zen_layout *l = &sp->layout;
    if (addr >= l->stack_floor && addr < l->seg[ZEN_SEG_STACK].base)
        return ZEN_SEG_STACK;
    return zen_seg_find(l, addr);
}

/* The direct-mapped words of frame pfn, which a zone at or below max_zone
 * holds (the zone allocator handed it out). */
static uint64_t *zen_space_frame_words(const zen_space *sp, zen_pfn pfn)
{
    const zen_zone *zone = &sp->zones->zone[zen_zone_index(pfn)];
    return zone->pages.memory + (pfn - zone->pages.start) * ZEN_PAGE_WORDS_PER_FRAME;
}

/* Load the image's words for the page at addr of loaded segment k (TEXT,
 * RODATA or DATA) into a zeroed frame: the page's share of them, the rest
 * of the frame stays zero. */
static void zen_space_load(const zen_space *sp, unsigned k, uint64_t addr, uint64_t *frame)
{
    const unsigned n = k - ZEN_SEG_TEXT;
    const uint64_t first = (addr - sp->layout.seg[k].base) / ZEN_PAGE_SIZE * ZEN_PAGE_WORDS_PER_FRAME;
    if (first >= sp->load_words[n])
        return;
    uint64_t count = sp->load_words[n] - first;
    if (count > ZEN_PAGE_WORDS_PER_FRAME)
        count = ZEN_PAGE_WORDS_PER_FRAME;
    const uint64_t *from = sp->load[n] + first;
    for (uint64_t j = 0; j < count; j++)
        frame[j] = from[j];
}

/* Record frame pfn in slot i, which was empty. */
static void zen_space_put(zen_space *sp, uint64_t i, zen_pfn pfn)
{
    sp->table[i] = pfn;
    sp->stats.mapped++;
    if (sp->stats.mapped > sp->stats.peak)
        sp->stats.peak = sp->stats.mapped;
}

/* Empty slot i and give its frame back to the zones: ZEN_OK, or
 * ZEN_ERR_CORRUPT when they refuse it. */
static zen_status zen_space_release(zen_space *sp, uint64_t i)
{
    const zen_pfn pfn = sp->table[i];
    if (pfn == ZEN_SPACE_NO_FRAME)
        return ZEN_OK;
    sp->table[i] = ZEN_SPACE_NO_FRAME;
    sp->stats.mapped--;
    return zen_zone_free(sp->zones, pfn, 0) == ZEN_OK ? ZEN_OK : ZEN_ERR_CORRUPT;
}

/* Release slots [from, to); the first error, or ZEN_OK. */
static zen_status zen_space_release_range(zen_space *sp, uint64_t from, uint64_t to)
{
    zen_status st = ZEN_OK;
    for (uint64_t i = from; i < to; i++) {
        const zen_status r = zen_space_release(sp, i);
        if (st == ZEN_OK)
            st = r;
    }
    return st;
}

zen_status zen_space_slots(const zen_image *img, uint64_t *slots)
{
    zen_layout l;
    const zen_status st = zen_seg_layout(img, &l);
    if (st != ZEN_OK)
        return st;
    *slots = (l.heap_end - l.seg[ZEN_SEG_TEXT].base + (l.top - l.stack_floor)) / ZEN_PAGE_SIZE;
    return ZEN_OK;
}

/* The words of a loaded segment of `bytes` bytes: whole words, the last
 * one partly used when bytes is not a multiple of 8. */
static uint64_t zen_space_words_of(uint64_t bytes)
{
    return bytes / 8u + (bytes % 8u != 0u ? 1u : 0u);
}

/* init's argument rule past the layout: a zone to take frames from, the
 * direct maps to fill them through, words for every loaded segment. */
static int zen_space_args_ok(const zen_image *img, const zen_zone_set *zones, unsigned max_zone)
{
    if (max_zone > ZEN_ZONE_NORMAL)
        return 0;
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
    if (!zen_space_args_ok(img, zones, max_zone))
        return ZEN_ERR_INVAL;
    if (capacity < slots)
        return ZEN_ERR_CAPACITY;
    (void)zen_seg_layout(img, &sp->layout);
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
    sp->stats.faults = 0;
    sp->stats.refused = 0;
    sp->stats.oom_count = 0;
    sp->stats.rejected = 0;
    for (uint64_t i = 0; i < slots; i++)
        table[i] = ZEN_SPACE_NO_FRAME;
    return ZEN_OK;
}

/* The fault handler between the hooks. */
static zen_status zen_space_fault_locked(zen_space *sp, uint64_t addr, uint32_t access, uint32_t mode,
                                         zen_fault *fault)
{
    if ((access != ZEN_SEG_R && access != ZEN_SEG_W && access != ZEN_SEG_X) ||
        (mode != ZEN_SEG_USER && mode != ZEN_SEG_SYSTEM)) {
        sp->stats.rejected++;
        return ZEN_ERR_INVAL;
    }
    const unsigned k = zen_space_judge(sp, addr);
    const uint32_t cause = zen_seg_refusal(&sp->layout, k, access, mode);
    if (cause != ZEN_FAULT_NONE) {
        fault->addr = addr;
        fault->cause = cause;
        fault->signal = ZEN_SIGSEGV;
        sp->stats.refused++;
        return ZEN_ERR_FAULT;
    }
    const uint64_t i = zen_space_slot(sp, addr);
    if (i == sp->slots)
        return ZEN_ERR_RANGE; /* TRAPVEC or ZENVARS */
    if (sp->table[i] != ZEN_SPACE_NO_FRAME)
        return ZEN_OK;
    zen_pfn pfn;
    const zen_status st = zen_zone_alloc(sp->zones, sp->max_zone, 0, ZEN_ZONE_ZERO, &pfn);
    if (st != ZEN_OK) {
        if (st == ZEN_ERR_NOMEM)
            sp->stats.oom_count++;
        return st;
    }
    const uint64_t page = addr - addr % ZEN_PAGE_SIZE;
    if (k >= ZEN_SEG_TEXT && k < ZEN_SEG_TEXT + ZEN_SPACE_LOADED)
        zen_space_load(sp, k, page, zen_space_frame_words(sp, pfn));
    if (page < sp->layout.seg[ZEN_SEG_STACK].base) {
        if (k == ZEN_SEG_STACK) {
            sp->layout.seg[ZEN_SEG_STACK].size = sp->layout.top - page;
            sp->layout.seg[ZEN_SEG_STACK].base = page;
        }
    }
    zen_space_put(sp, i, pfn);
    sp->stats.faults++;
    return ZEN_OK;
}

zen_status zen_space_fault(zen_space *sp, uint64_t addr, uint32_t access, uint32_t mode, zen_fault *fault)
{
    zen_hooks_enter(&sp->hooks);
    const zen_status st = zen_space_fault_locked(sp, addr, access, mode, fault);
    zen_hooks_leave(&sp->hooks);
    return st;
}

zen_status zen_space_frame_at(const zen_space *sp, uint64_t addr, zen_pfn *pfn)
{
    const uint64_t i = zen_space_slot(sp, addr);
    if (i == sp->slots)
        return ZEN_ERR_RANGE;
    if (sp->table[i] == ZEN_SPACE_NO_FRAME)
        return ZEN_ERR_NOT_ALLOCATED;
    *pfn = sp->table[i];
    return ZEN_OK;
}

/* brk between the hooks. */
static zen_status zen_space_brk_locked(zen_space *sp, uint64_t new_break)
{
    zen_segment *heap = &sp->layout.seg[ZEN_SEG_HEAP];
    if (new_break < heap->base) {
        sp->stats.rejected++;
        return ZEN_ERR_INVAL;
    }
    if (new_break > sp->layout.heap_end) {
        sp->stats.rejected++;
        return ZEN_ERR_NO_FIT;
    }
    /* At most the heap's reach, a page multiple: no overflow. */
    const uint64_t end = zen_seg_end(heap->base, new_break - heap->base);
    const uint64_t old_end = heap->base + heap->size;
    sp->brk = new_break;
    heap->size = end - heap->base;
    if (end >= old_end)
        return ZEN_OK;
    const uint64_t text = sp->layout.seg[ZEN_SEG_TEXT].base;
    return zen_space_release_range(sp, (end - text) / ZEN_PAGE_SIZE, (old_end - text) / ZEN_PAGE_SIZE);
}

zen_status zen_space_brk(zen_space *sp, uint64_t new_break)
{
    zen_hooks_enter(&sp->hooks);
    const zen_status st = zen_space_brk_locked(sp, new_break);
    zen_hooks_leave(&sp->hooks);
    return st;
}

zen_status zen_space_teardown(zen_space *sp)
{
    zen_hooks_enter(&sp->hooks);
    const zen_status st = zen_space_release_range(sp, 0, sp->slots);
    zen_hooks_leave(&sp->hooks);
    return st;
}

/* The first broken invariant of the layout's moving parts, or ZEN_SINV_NONE. */
static uint32_t zen_space_check_layout(const zen_space *sp)
{
    const zen_layout *l = &sp->layout;
    const zen_segment *heap = &l->seg[ZEN_SEG_HEAP];
    const zen_segment *stack = &l->seg[ZEN_SEG_STACK];
    if (sp->brk < heap->base || sp->brk > l->heap_end ||
        heap->base + heap->size != zen_seg_end(heap->base, sp->brk - heap->base))
        return ZEN_SINV_LAYOUT;
    if (stack->base % ZEN_PAGE_SIZE != 0u || stack->base < l->stack_floor || stack->base > l->top ||
        stack->size != l->top - stack->base)
        return ZEN_SINV_LAYOUT;
    return ZEN_SINV_NONE;
}

/* The first broken invariant of slot i, or ZEN_SINV_NONE. */
static uint32_t zen_space_check_slot(const zen_space *sp, uint64_t i)
{
    const zen_pfn pfn = sp->table[i];
    if (pfn == ZEN_SPACE_NO_FRAME)
        return ZEN_SINV_NONE;
    const uint64_t page = zen_space_page(sp, i);
    const zen_segment *heap = &sp->layout.seg[ZEN_SEG_HEAP];
    if (i < sp->low_slots ? page >= heap->base + heap->size : page < sp->layout.seg[ZEN_SEG_STACK].base)
        return ZEN_SINV_OUTSIDE;
    zen_zone_block b;
    if (zen_zone_block_of(sp->zones, pfn, &b) != ZEN_OK || b.head != pfn || b.order != 0u ||
        zen_zone_index(pfn) > sp->max_zone)
        return ZEN_SINV_FRAME;
    for (uint64_t j = i + 1; j < sp->slots; j++)
        if (sp->table[j] == pfn)
            return ZEN_SINV_SHARED;
    return ZEN_SINV_NONE;
}

zen_status zen_space_check(const zen_space *sp, zen_space_check_report *report)
{
    report->invariant = zen_space_check_layout(sp);
    report->slot = 0;
    if (report->invariant != ZEN_SINV_NONE)
        return ZEN_ERR_CORRUPT;
    uint64_t mapped = 0;
    for (uint64_t i = 0; i < sp->slots; i++) {
        report->invariant = zen_space_check_slot(sp, i);
        if (report->invariant != ZEN_SINV_NONE) {
            report->slot = i;
            return ZEN_ERR_CORRUPT;
        }
        if (sp->table[i] != ZEN_SPACE_NO_FRAME)
            mapped++;
    }
    if (mapped != sp->stats.mapped || mapped > sp->stats.peak) {
        report->invariant = ZEN_SINV_COUNT;
        return ZEN_ERR_CORRUPT;
    }
    return ZEN_OK;
}
