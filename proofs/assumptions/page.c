/* The page allocator's standing assumptions, each alone in a function of
 * its own, for the proof gate's smoke tests (see slab.c). */
#include "zen_page.h"

/* An allocator, as every query and free assumes it. */
/*@ requires zen_page_valid(a) && zen_page_canonical(a);
    assigns \nothing;
 */
void zen_assume_page(zen_page_allocator *a)
{
    (void)a;
}

/* An allocator and the caller's frame number, as zen_page_alloc assumes them. */
/*@ requires zen_page_valid(a) && \valid(pfn);
    requires \separated(pfn, a, a->frames + (0 .. a->nframes - 1), a->words + (0 .. a->nwords - 1));
    requires a->memory != \null ==>
               \separated(pfn, a->memory + (0 .. a->nframes * ZEN_PAGE_WORDS_PER_FRAME - 1));
    requires zen_page_canonical(a);
    assigns \nothing;
 */
void zen_assume_page_alloc(zen_page_allocator *a, zen_pfn *pfn)
{
    (void)a;
    (void)pfn;
}
