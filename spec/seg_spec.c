/* Executable specification of the Zen process layout: see seg_spec.h. */
#include "seg_spec.h"

#if defined(__clang__) && __clang_major__ >= 13
#define SPEC_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define SPEC_NO_COVERAGE
#endif

typedef unsigned __int128 u128;

static const u128 PAGE = ZEN_PAGE_SIZE;
static const u128 SPACE = (u128)1 << 64; /* bytes in the address space */

/* Pages needed for n bytes. */
static u128 pages(uint64_t n)
{
    return ((u128)n + PAGE - 1) / PAGE;
}

SPEC_NO_COVERAGE
zen_status seg_spec_layout_of(const zen_image *img, seg_spec_layout *out)
{
    if (img->page_size != ZEN_PAGE_SIZE || img->stack_size > img->stack_limit)
        return ZEN_ERR_INVAL;
    if (img->top % ZEN_PAGE_SIZE != 0)
        return ZEN_ERR_MISALIGNED;

    /* Page numbers, in address order. */
    u128 text = 3;
    u128 rodata = text + pages(img->text_size);
    u128 data = rodata + pages(img->rodata_size);
    u128 bss = data + pages(img->data_size);
    u128 comm = bss + pages(img->bss_size);
    u128 heap = comm + pages(img->comm_size);
    u128 heap_end = heap + pages(img->heap_limit);
    u128 top = img->top / PAGE;
    u128 stack = top - pages(img->stack_size); /* stack_size <= stack_limit, checked below */
    u128 debug = pages(img->debug_size);

    /* The last byte of the space is byte 2^64 - 1: an end may be 2^64
     * only if it is never stored, and every end is stored. */
    if (heap_end * PAGE > SPACE - 1 || debug * PAGE > SPACE - 1)
        return ZEN_ERR_OVERFLOW;
    /* The stack at its limit, then the guard page, above the heap's reach. */
    if (heap_end + 1 + pages(img->stack_limit) > top)
        return ZEN_ERR_NO_FIT;
    u128 floor = top - pages(img->stack_limit);

    const struct { u128 first, end; uint32_t flags; } s[ZEN_SEG_KINDS] = {
        [ZEN_SEG_NULL] = {0, 1, 0},
        [ZEN_SEG_TRAPVEC] = {1, 2, ZEN_SEG_S | ZEN_SEG_R | ZEN_SEG_X | ZEN_SEG_P},
        [ZEN_SEG_ZENVARS] = {2, 3, ZEN_SEG_R | ZEN_SEG_P},
        [ZEN_SEG_TEXT] = {text, rodata, ZEN_SEG_R | ZEN_SEG_X},
        [ZEN_SEG_RODATA] = {rodata, data, ZEN_SEG_R},
        [ZEN_SEG_DATA] = {data, bss, ZEN_SEG_R | ZEN_SEG_W},
        [ZEN_SEG_BSS] = {bss, comm, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO},
        [ZEN_SEG_COMM] = {comm, heap, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO},
        [ZEN_SEG_HEAP] = {heap, heap, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO},
        [ZEN_SEG_STACK] = {stack, top, ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO | ZEN_SEG_DOWN},
        [ZEN_SEG_DEBUG] = {0, debug, ZEN_SEG_NOLOAD},
    };
    for (unsigned k = 0; k < ZEN_SEG_KINDS; k++) {
        out->seg[k].base = (uint64_t)(s[k].first * PAGE);
        out->seg[k].size = (uint64_t)((s[k].end - s[k].first) * PAGE);
        out->seg[k].flags = s[k].flags;
    }
    out->heap_end = (uint64_t)(heap_end * PAGE);
    out->stack_floor = (uint64_t)(floor * PAGE);
    out->top = img->top;
    return ZEN_OK;
}

SPEC_NO_COVERAGE
uint32_t seg_spec_page_fault(const seg_spec_layout *l, uint64_t page_addr, uint32_t access, uint32_t mode)
{
    for (unsigned k = 0; k < ZEN_SEG_MAPPED; k++) {
        const seg_spec_range *s = &l->seg[k];
        if (page_addr < s->base || (u128)page_addr >= (u128)s->base + s->size)
            continue;
        if (k == ZEN_SEG_NULL)
            return ZEN_FAULT_NULL_PAGE;
        if (mode == ZEN_SEG_USER && (s->flags & ZEN_SEG_S) != 0)
            return ZEN_FAULT_MODE;
        if ((s->flags & access) == 0)
            return ZEN_FAULT_PERMISSION;
        return ZEN_FAULT_NONE;
    }
    return ZEN_FAULT_NO_SEGMENT;
}

SPEC_NO_COVERAGE
zen_status seg_spec_access(const seg_spec_layout *l, uint64_t addr, uint64_t len, uint32_t access, uint32_t mode,
                           zen_fault *fault)
{
    if (len == 0 || (access != ZEN_SEG_R && access != ZEN_SEG_W && access != ZEN_SEG_X) ||
        (mode != ZEN_SEG_USER && mode != ZEN_SEG_SYSTEM))
        return ZEN_ERR_INVAL;
    if ((u128)addr + len > SPACE)
        return ZEN_ERR_OVERFLOW;
    u128 first = addr / PAGE, last = ((u128)addr + len - 1) / PAGE;

    /* The page rule's answer changes only where a segment starts or ends,
     * so the first refused page is the first page touched or one of those
     * boundaries: the rule is asked of each, and the lowest refusal kept. */
    u128 candidate[1 + 2 * ZEN_SEG_MAPPED];
    unsigned n = 0;
    candidate[n++] = first;
    for (unsigned k = 0; k < ZEN_SEG_MAPPED; k++) {
        candidate[n++] = l->seg[k].base / PAGE;
        candidate[n++] = ((u128)l->seg[k].base + l->seg[k].size) / PAGE;
    }
    bool refused = false;
    u128 first_refused = 0;
    uint32_t cause = ZEN_FAULT_NONE;
    for (unsigned i = 0; i < n; i++) {
        u128 page = candidate[i];
        if (page < first || page > last || (refused && page >= first_refused))
            continue;
        uint32_t c = seg_spec_page_fault(l, (uint64_t)(page * PAGE), access, mode);
        if (c != ZEN_FAULT_NONE) {
            refused = true;
            first_refused = page;
            cause = c;
        }
    }
    if (!refused)
        return ZEN_OK;
    fault->addr = first_refused == first ? addr : (uint64_t)(first_refused * PAGE);
    fault->cause = cause;
    fault->signal = ZEN_SIGSEGV;
    return ZEN_ERR_FAULT;
}
