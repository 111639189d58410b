/* Executable specification of Zen address spaces: see space_spec.h. */
#include "space_spec.h"

#include <stdlib.h>

#if defined(__clang__) && __clang_major__ >= 13
#define SPEC_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define SPEC_NO_COVERAGE
#endif

#define PAGE ZEN_PAGE_SIZE
#define TEXT_BASE (3 * PAGE)

SPEC_NO_COVERAGE
zen_status space_spec_slots(const zen_image *img, uint64_t *slots)
{
    seg_spec_layout l;
    zen_status st = seg_spec_layout_of(img, &l);
    if (st != ZEN_OK)
        return st;
    *slots = (l.heap_end - TEXT_BASE) / PAGE + (l.top - l.stack_floor) / PAGE;
    return ZEN_OK;
}

SPEC_NO_COVERAGE
zen_status space_spec_init(space_spec *s, const zen_image *img, zone_spec *zones, unsigned max_zone,
                           uint64_t capacity)
{
    uint64_t slots;
    zen_status st = space_spec_slots(img, &slots);
    if (st != ZEN_OK)
        return st;
    if (max_zone > ZEN_ZONE_NORMAL)
        return ZEN_ERR_INVAL;
    for (unsigned z = 0; z <= max_zone; z++)
        if (zones->present[z] && !zones->pages[z].has_memory)
            return ZEN_ERR_INVAL;
    if ((img->text_size > 0 && img->text == NULL) || (img->rodata_size > 0 && img->rodata == NULL) ||
        (img->data_size > 0 && img->data == NULL))
        return ZEN_ERR_INVAL;
    if (capacity < slots)
        return ZEN_ERR_CAPACITY;
    (void)seg_spec_layout_of(img, &s->layout);
    s->brk = s->layout.seg[ZEN_SEG_HEAP].base;
    s->zones = zones;
    s->max_zone = max_zone;
    s->image = *img;
    s->slots = slots;
    s->count = 0;
    s->mapped = malloc((slots > 0 ? slots : 1) * sizeof *s->mapped);
    if (s->mapped == NULL)
        abort(); /* the model assumes host memory */
    return ZEN_OK;
}

SPEC_NO_COVERAGE
void space_spec_destroy(space_spec *s)
{
    free(s->mapped);
    s->mapped = NULL;
}

/* The entry of the page at `page`, or s->count. */
SPEC_NO_COVERAGE
static uint64_t find(const space_spec *s, uint64_t page)
{
    for (uint64_t i = 0; i < s->count; i++)
        if (s->mapped[i].page == page)
            return i;
    return s->count;
}

/* Whether the space has a slot for the page: TEXT's base up to the heap's
 * reach, or the stack's reach. */
SPEC_NO_COVERAGE
static bool has_slot(const space_spec *s, uint64_t page)
{
    return (page >= TEXT_BASE && page < s->layout.heap_end) ||
           (page >= s->layout.stack_floor && page < s->layout.top);
}

SPEC_NO_COVERAGE
zen_status space_spec_fault(space_spec *s, uint64_t addr, uint32_t access, uint32_t mode, zen_fault *fault,
                            zen_pfn *pfn)
{
    *pfn = ZEN_SPACE_NO_FRAME;
    if ((access != ZEN_SEG_R && access != ZEN_SEG_W && access != ZEN_SEG_X) ||
        (mode != ZEN_SEG_USER && mode != ZEN_SEG_SYSTEM))
        return ZEN_ERR_INVAL;
    const uint64_t page = addr - addr % PAGE;
    seg_spec_range *stack = &s->layout.seg[ZEN_SEG_STACK];
    /* A page the stack may grow into is judged as the stack: as if the
     * stack reached down to it. */
    const bool grows = page >= s->layout.stack_floor && page < stack->base;
    seg_spec_layout judged = s->layout;
    if (grows) {
        judged.seg[ZEN_SEG_STACK].base = page;
        judged.seg[ZEN_SEG_STACK].size = s->layout.top - page;
    }
    const uint32_t cause = seg_spec_page_fault(&judged, page, access, mode);
    if (cause != ZEN_FAULT_NONE) {
        fault->addr = addr;
        fault->cause = cause;
        fault->signal = ZEN_SIGSEGV;
        return ZEN_ERR_FAULT;
    }
    if (!has_slot(s, page))
        return ZEN_ERR_RANGE;
    if (find(s, page) < s->count)
        return ZEN_OK;
    zen_pfn got;
    zen_status st = zone_spec_alloc(s->zones, s->max_zone, 0, ZEN_ZONE_ZERO, &got);
    if (st != ZEN_OK)
        return st;
    if (grows)
        *stack = judged.seg[ZEN_SEG_STACK];
    s->mapped[s->count].page = page;
    s->mapped[s->count].pfn = got;
    s->count++;
    *pfn = got;
    return ZEN_OK;
}

SPEC_NO_COVERAGE
zen_status space_spec_frame_at(const space_spec *s, uint64_t addr, zen_pfn *pfn)
{
    const uint64_t page = addr - addr % PAGE;
    if (!has_slot(s, page))
        return ZEN_ERR_RANGE;
    uint64_t i = find(s, page);
    if (i == s->count)
        return ZEN_ERR_NOT_ALLOCATED;
    *pfn = s->mapped[i].pfn;
    return ZEN_OK;
}

/* Drop the entries of pages in [from, to), giving their frames back. */
SPEC_NO_COVERAGE
static zen_status drop_pages(space_spec *s, uint64_t from, uint64_t to)
{
    zen_status st = ZEN_OK;
    uint64_t kept = 0;
    for (uint64_t i = 0; i < s->count; i++) {
        if (s->mapped[i].page >= from && s->mapped[i].page < to) {
            if (zone_spec_free(s->zones, s->mapped[i].pfn, 0) != ZEN_OK)
                st = ZEN_ERR_CORRUPT;
        } else {
            s->mapped[kept++] = s->mapped[i];
        }
    }
    s->count = kept;
    return st;
}

SPEC_NO_COVERAGE
zen_status space_spec_brk(space_spec *s, uint64_t new_break)
{
    seg_spec_range *heap = &s->layout.seg[ZEN_SEG_HEAP];
    if (new_break < heap->base)
        return ZEN_ERR_INVAL;
    if (new_break > s->layout.heap_end)
        return ZEN_ERR_NO_FIT;
    const uint64_t old_end = heap->base + heap->size;
    const uint64_t size = (new_break - heap->base + PAGE - 1) / PAGE * PAGE;
    zen_status st = drop_pages(s, heap->base + size, old_end);
    if (st != ZEN_OK)
        return st; /* the break stays */
    heap->size = size;
    s->brk = new_break;
    return ZEN_OK;
}

SPEC_NO_COVERAGE
zen_status space_spec_teardown(space_spec *s)
{
    return drop_pages(s, 0, UINT64_MAX);
}

SPEC_NO_COVERAGE
uint64_t space_spec_word(const space_spec *s, uint64_t page, uint64_t j)
{
    static const unsigned loaded[] = {ZEN_SEG_TEXT, ZEN_SEG_RODATA, ZEN_SEG_DATA};
    const uint64_t *words[] = {s->image.text, s->image.rodata, s->image.data};
    const uint64_t bytes[] = {s->image.text_size, s->image.rodata_size, s->image.data_size};
    for (unsigned n = 0; n < 3; n++) {
        const seg_spec_range *r = &s->layout.seg[loaded[n]];
        if (page < r->base || page >= r->base + r->size)
            continue;
        /* Byte offset of word j in the segment; the image has (bytes + 7) / 8 words. */
        const uint64_t w = (page - r->base) / 8 + j;
        return w < (bytes[n] + 7) / 8 ? words[n][w] : 0;
    }
    return 0;
}
