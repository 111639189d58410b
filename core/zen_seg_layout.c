/* The layout builder: the Zen process map of an image description. */
#include "zen_seg.h"

/* Where the segments after TEXT start, and the two reaches, as
 * zen_seg_layout computes them before writing anything. */
typedef struct zen_seg_ends {
    uint64_t rodata, data, bss, comm, heap, heap_end, debug_size;
} zen_seg_ends;

/*@ predicate zen_seg_ends_of(zen_seg_ends e, zen_image *i) =
      e.rodata == zen_image_rodata_base(i) && e.data == zen_image_data_base(i) &&
      e.bss == zen_image_bss_base(i) && e.comm == zen_image_comm_base(i) &&
      e.heap == zen_image_heap_base(i) && e.heap_end == zen_image_heap_end(i) &&
      e.debug_size == zen_seg_round(i->debug_size);

    // The same ends as plain numbers: page multiples, in order.
    predicate zen_seg_ends_ok(zen_seg_ends e) =
      3 * ZEN_PAGE_SIZE <= e.rodata <= e.data <= e.bss <= e.comm <= e.heap <= e.heap_end &&
      e.rodata % ZEN_PAGE_SIZE == 0 && e.data % ZEN_PAGE_SIZE == 0 && e.bss % ZEN_PAGE_SIZE == 0 &&
      e.comm % ZEN_PAGE_SIZE == 0 && e.heap % ZEN_PAGE_SIZE == 0 && e.heap_end % ZEN_PAGE_SIZE == 0 &&
      e.debug_size % ZEN_PAGE_SIZE == 0;

    // The layout zen_seg_fill writes from the ends, in plain numbers.
    predicate zen_seg_layout_from(zen_layout *l, zen_seg_ends e, integer top, integer stack, integer floor) =
      zen_seg_layout_at(l, e.rodata, e.data, e.bss, e.comm, e.heap, e.heap_end, e.debug_size, top, stack, floor);
 */

/* The stack's lowest reach, top - stack_limit rounded up, when the stack
 * at its limit and the guard page fit between the heap's reach and the
 * top (both page multiples); ZEN_SEG_PAST_END when they do not. */
/*@ requires top % ZEN_PAGE_SIZE == 0 && heap_end % ZEN_PAGE_SIZE == 0;
    assigns \nothing;
    ensures heap_end + ZEN_PAGE_SIZE + zen_seg_round(stack_limit) <= top ==>
      \result == top - zen_seg_round(stack_limit) && \result % ZEN_PAGE_SIZE == 0;
    ensures heap_end + ZEN_PAGE_SIZE + zen_seg_round(stack_limit) > top ==> \result == ZEN_SEG_PAST_END;
 */
static uint64_t zen_seg_floor(uint64_t top, uint64_t heap_end, uint64_t stack_limit)
{
    if (top < heap_end || top - heap_end < ZEN_PAGE_SIZE)
        return ZEN_SEG_PAST_END;
    uint64_t room = top - heap_end - ZEN_PAGE_SIZE;
    uint64_t pages = zen_seg_pages_of(stack_limit);
    /*@ assert pages > room / ZEN_PAGE_SIZE <==> pages * ZEN_PAGE_SIZE > room; */
    if (pages > room / ZEN_PAGE_SIZE)
        return ZEN_SEG_PAST_END;
    return top - pages * ZEN_PAGE_SIZE;
}

/*@ // The layout from ends in order, with the guard page between the
    // heap's reach and the stack's.
    predicate zen_seg_layout_from_fits(zen_layout *l, zen_seg_ends e, integer top, integer stack,
                                       integer floor) =
      zen_seg_ends_ok(e) && top % ZEN_PAGE_SIZE == 0 && stack % ZEN_PAGE_SIZE == 0 &&
      floor % ZEN_PAGE_SIZE == 0 && e.heap_end + ZEN_PAGE_SIZE <= floor <= top - stack && top <= UINT64_MAX &&
      zen_seg_layout_from(l, e, top, stack, floor);
 */

/* Lemma function (ghost): with the ends of image i, that layout is the
 * image's. A call names the instance, which the provers do not find
 * among the main function's paths. */
/*@ ghost
  /@ requires zen_seg_ends_of(e, i) && stack == zen_seg_round(i->stack_size);
     requires floor == zen_image_stack_floor(i) && zen_seg_layout_from(l, e, i->top, stack, floor);
     assigns \nothing;
     ensures zen_seg_layout_of(l, i);
   @/
  void zen_seg_layout_from_image(zen_layout *l, zen_seg_ends e, const zen_image *i, uint64_t stack, uint64_t floor)
  {
  }
*/

/* Lemma functions (ghost): such a layout keeps the invariants at segment
 * k, then at every k. The provers take the case split on k only as
 * branches with k known (as a quantified goal over eleven kinds they time
 * out), and the loop gathers the cases into the quantified invariant. */
/*@ ghost
  /@ requires zen_seg_layout_from_fits(l, e, top, stack, floor) && k < ZEN_SEG_KINDS;
     assigns \nothing;
     ensures zen_seg_ok_at(l, k);
   @/
  void zen_seg_ok_one(zen_layout *l, zen_seg_ends e, uint64_t top, uint64_t stack, uint64_t floor, unsigned k)
  {
    if (k == 0) { /@ assert zen_seg_ok_at(l, 0); @/ }
    else if (k == 1) { /@ assert zen_seg_ok_at(l, 1); @/ }
    else if (k == 2) { /@ assert zen_seg_ok_at(l, 2); @/ }
    else if (k == 3) { /@ assert zen_seg_ok_at(l, 3); @/ }
    else if (k == 4) { /@ assert zen_seg_ok_at(l, 4); @/ }
    else if (k == 5) { /@ assert zen_seg_ok_at(l, 5); @/ }
    else if (k == 6) { /@ assert zen_seg_ok_at(l, 6); @/ }
    else if (k == 7) { /@ assert zen_seg_ok_at(l, 7); @/ }
    else if (k == 8) { /@ assert zen_seg_ok_at(l, 8); @/ }
    else if (k == 9) { /@ assert zen_seg_ok_at(l, 9); @/ }
    else { /@ assert k == 10 && zen_seg_ok_at(l, 10); @/ }
  }

  /@ requires zen_seg_layout_from_fits(l, e, top, stack, floor);
     assigns \nothing;
     ensures zen_seg_layout_ok(l);
   @/
  void zen_seg_layout_from_ok(zen_layout *l, zen_seg_ends e, uint64_t top, uint64_t stack, uint64_t floor)
  {
    /@ loop invariant k <= ZEN_SEG_KINDS;
       loop invariant \forall integer j; 0 <= j < k ==> zen_seg_ok_at(l, j);
       loop assigns k;
       loop variant ZEN_SEG_KINDS - k; @/
    for (unsigned k = 0; k < ZEN_SEG_KINDS; k++)
      zen_seg_ok_one(l, e, top, stack, floor, k);
  }
*/

/* Write the layout of an image that fits, from its ends e, its top, its
 * stack's initial bytes and its lowest reach: page multiples in order, the
 * guard page between the heap's reach and the stack's. */
/*@ requires \valid(out) && zen_seg_ends_ok(e);
    requires top % ZEN_PAGE_SIZE == 0 && stack % ZEN_PAGE_SIZE == 0 && floor % ZEN_PAGE_SIZE == 0;
    requires e.heap_end + ZEN_PAGE_SIZE <= floor <= top - stack;
    assigns *out;
    ensures zen_seg_layout_from(out, e, top, stack, floor);
 */
static void zen_seg_fill(zen_layout *out, zen_seg_ends e, uint64_t top, uint64_t stack, uint64_t floor)
{
    /* Field by field, as plain stores: the provers follow those to the
     * layout's predicates, where they lose their way through as many
     * writes of whole segments or calls that write one. */
    const uint64_t text = 3u * ZEN_PAGE_SIZE;
    out->seg[ZEN_SEG_NULL].base = 0;
    out->seg[ZEN_SEG_NULL].size = ZEN_PAGE_SIZE;
    out->seg[ZEN_SEG_NULL].flags = 0;
    out->seg[ZEN_SEG_NULL].kind = ZEN_SEG_NULL;
    out->seg[ZEN_SEG_TRAPVEC].base = ZEN_PAGE_SIZE;
    out->seg[ZEN_SEG_TRAPVEC].size = ZEN_PAGE_SIZE;
    out->seg[ZEN_SEG_TRAPVEC].flags = ZEN_SEG_S | ZEN_SEG_R | ZEN_SEG_X | ZEN_SEG_P;
    out->seg[ZEN_SEG_TRAPVEC].kind = ZEN_SEG_TRAPVEC;
    out->seg[ZEN_SEG_ZENVARS].base = 2u * ZEN_PAGE_SIZE;
    out->seg[ZEN_SEG_ZENVARS].size = ZEN_PAGE_SIZE;
    out->seg[ZEN_SEG_ZENVARS].flags = ZEN_SEG_R | ZEN_SEG_P;
    out->seg[ZEN_SEG_ZENVARS].kind = ZEN_SEG_ZENVARS;
    out->seg[ZEN_SEG_TEXT].base = text;
    out->seg[ZEN_SEG_TEXT].size = e.rodata - text;
    out->seg[ZEN_SEG_TEXT].flags = ZEN_SEG_R | ZEN_SEG_X;
    out->seg[ZEN_SEG_TEXT].kind = ZEN_SEG_TEXT;
    out->seg[ZEN_SEG_RODATA].base = e.rodata;
    out->seg[ZEN_SEG_RODATA].size = e.data - e.rodata;
    out->seg[ZEN_SEG_RODATA].flags = ZEN_SEG_R;
    out->seg[ZEN_SEG_RODATA].kind = ZEN_SEG_RODATA;
    out->seg[ZEN_SEG_DATA].base = e.data;
    out->seg[ZEN_SEG_DATA].size = e.bss - e.data;
    out->seg[ZEN_SEG_DATA].flags = ZEN_SEG_R | ZEN_SEG_W;
    out->seg[ZEN_SEG_DATA].kind = ZEN_SEG_DATA;
    out->seg[ZEN_SEG_BSS].base = e.bss;
    out->seg[ZEN_SEG_BSS].size = e.comm - e.bss;
    out->seg[ZEN_SEG_BSS].flags = ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO;
    out->seg[ZEN_SEG_BSS].kind = ZEN_SEG_BSS;
    out->seg[ZEN_SEG_COMM].base = e.comm;
    out->seg[ZEN_SEG_COMM].size = e.heap - e.comm;
    out->seg[ZEN_SEG_COMM].flags = ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO;
    out->seg[ZEN_SEG_COMM].kind = ZEN_SEG_COMM;
    out->seg[ZEN_SEG_HEAP].base = e.heap;
    out->seg[ZEN_SEG_HEAP].size = 0;
    out->seg[ZEN_SEG_HEAP].flags = ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO;
    out->seg[ZEN_SEG_HEAP].kind = ZEN_SEG_HEAP;
    out->seg[ZEN_SEG_STACK].base = top - stack;
    out->seg[ZEN_SEG_STACK].size = stack;
    out->seg[ZEN_SEG_STACK].flags = ZEN_SEG_R | ZEN_SEG_W | ZEN_SEG_ZERO | ZEN_SEG_DOWN;
    out->seg[ZEN_SEG_STACK].kind = ZEN_SEG_STACK;
    out->seg[ZEN_SEG_DEBUG].base = 0;
    out->seg[ZEN_SEG_DEBUG].size = e.debug_size;
    out->seg[ZEN_SEG_DEBUG].flags = ZEN_SEG_NOLOAD;
    out->seg[ZEN_SEG_DEBUG].kind = ZEN_SEG_DEBUG;
    out->heap_end = e.heap_end;
    out->stack_floor = floor;
    out->top = top;
}

zen_status zen_seg_layout(const zen_image *img, zen_layout *out)
{
    if (img->page_size != ZEN_PAGE_SIZE || img->stack_size > img->stack_limit)
        return ZEN_ERR_INVAL;
    if (img->top % ZEN_PAGE_SIZE != 0u)
        return ZEN_ERR_MISALIGNED;
    /* Each segment's base is the end of the one before it, the heap's
     * highest reach the last end. One of them past 2^64 - 1 puts the
     * reach there too. The ends stay in plain variables and a structure
     * value: the provers lose their way through structures in memory. */
    uint64_t rodata = zen_seg_end(3u * ZEN_PAGE_SIZE, img->text_size);
    if (rodata == ZEN_SEG_PAST_END)
        return ZEN_ERR_OVERFLOW;
    //@ assert rodata == zen_image_rodata_base(img);
    uint64_t data = zen_seg_end(rodata, img->rodata_size);
    if (data == ZEN_SEG_PAST_END)
        return ZEN_ERR_OVERFLOW;
    //@ assert data == zen_image_data_base(img);
    uint64_t bss = zen_seg_end(data, img->data_size);
    if (bss == ZEN_SEG_PAST_END)
        return ZEN_ERR_OVERFLOW;
    //@ assert bss == zen_image_bss_base(img);
    uint64_t comm = zen_seg_end(bss, img->bss_size);
    if (comm == ZEN_SEG_PAST_END)
        return ZEN_ERR_OVERFLOW;
    //@ assert comm == zen_image_comm_base(img);
    uint64_t heap = zen_seg_end(comm, img->comm_size);
    if (heap == ZEN_SEG_PAST_END)
        return ZEN_ERR_OVERFLOW;
    //@ assert heap == zen_image_heap_base(img);
    uint64_t heap_end = zen_seg_end(heap, img->heap_limit);
    if (heap_end == ZEN_SEG_PAST_END)
        return ZEN_ERR_OVERFLOW;
    //@ assert heap_end == zen_image_heap_end(img);
    uint64_t debug_size = zen_seg_end(0, img->debug_size);
    if (debug_size == ZEN_SEG_PAST_END)
        return ZEN_ERR_OVERFLOW;
    //@ assert debug_size == zen_seg_round(img->debug_size);
    uint64_t floor = zen_seg_floor(img->top, heap_end, img->stack_limit);
    if (floor == ZEN_SEG_PAST_END)
        return ZEN_ERR_NO_FIT;
    //@ assert floor == zen_image_stack_floor(img);
    /* Never past the end: at most the stack's reach, under the top. */
    uint64_t stack = zen_seg_end(0, img->stack_size);
    /*@ assert stack == zen_seg_round(img->stack_size) <= zen_seg_round(img->stack_limit); */
    zen_seg_ends e = {rodata, data, bss, comm, heap, heap_end, debug_size};
    /*@ assert zen_seg_ends_of(e, img) && zen_seg_ends_ok(e); */
    zen_seg_fill(out, e, img->top, stack, floor);
    //@ assert stack == zen_seg_round(img->stack_size) && floor == zen_image_stack_floor(img);
    //@ ghost zen_seg_layout_from_ok(out, e, img->top, stack, floor);
    //@ ghost zen_seg_layout_from_image(out, e, img, stack, floor);
    return ZEN_OK;
}
