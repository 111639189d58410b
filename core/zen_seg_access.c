/* The access check: which segment holds an address, and whether a range
 * of bytes may be read, written or executed in a mode. */
#include "zen_seg.h"

/*@ // Each mapped segment ends at or before the next one's base.
    predicate zen_seg_in_order(zen_layout *l) =
      \forall integer i; 0 <= i < ZEN_SEG_MAPPED - 1 ==> l->seg[i].base + l->seg[i].size <= l->seg[i + 1].base;
 */

/* Lemma functions (ghost): a layout's mapped segments are in order (the
 * layout states it segment by segment, in zen_seg_ok_at); so segment k
 * ends at or before the base of every mapped segment after it, not only
 * the next one. Each loop carries its bound a segment at a time. */
/*@ ghost
  /@ requires \valid_read(l) && zen_seg_layout_ok(l);
     assigns \nothing;
     ensures zen_seg_in_order(l);
   @/
  void zen_seg_layout_in_order(const zen_layout *l)
  {
    /@ loop invariant i <= ZEN_SEG_MAPPED - 1;
       loop invariant \forall integer j; 0 <= j < i ==> l->seg[j].base + l->seg[j].size <= l->seg[j + 1].base;
       loop assigns i;
       loop variant ZEN_SEG_MAPPED - 1 - i; @/
    for (unsigned i = 0; i < ZEN_SEG_MAPPED - 1; i++) {
      /@ assert zen_seg_ok_at(l, i); @/
    }
  }

  /@ requires \valid_read(l) && zen_seg_in_order(l) && k < ZEN_SEG_MAPPED;
     assigns \nothing;
     ensures \forall integer j; k < j < ZEN_SEG_MAPPED ==> l->seg[k].base + l->seg[k].size <= l->seg[j].base;
   @/
  void zen_seg_apart_after(const zen_layout *l, unsigned k)
  {
    /@ loop invariant k < m <= ZEN_SEG_MAPPED;
       loop invariant \forall integer j; k < j < m ==> l->seg[k].base + l->seg[k].size <= l->seg[j].base;
       loop invariant m < ZEN_SEG_MAPPED ==> l->seg[k].base + l->seg[k].size <= l->seg[m].base;
       loop assigns m;
       loop variant ZEN_SEG_MAPPED - m; @/
    for (unsigned m = k + 1; m < ZEN_SEG_MAPPED; m++) {
      /@ assert m + 1 < ZEN_SEG_MAPPED ==> l->seg[m].base + l->seg[m].size <= l->seg[m + 1].base; @/
    }
  }
*/

unsigned zen_seg_find(const zen_layout *l, uint64_t addr)
{
    /*@ loop invariant k <= ZEN_SEG_MAPPED;
        loop invariant \forall integer j; 0 <= j < k ==> !zen_seg_covers(l->seg[j], addr);
        loop assigns k;
        loop variant ZEN_SEG_MAPPED - k; */
    for (unsigned k = 0; k < ZEN_SEG_MAPPED; k++) {
        /* base + size <= 2^64 - 1 (the layout), so addr - base < size is
         * addr < base + size. */
        if (addr >= l->seg[k].base && addr - l->seg[k].base < l->seg[k].size) {
            //@ ghost zen_seg_layout_in_order(l);
            //@ ghost zen_seg_apart_after(l, k);
            return k;
        }
    }
    return ZEN_SEG_NONE;
}

zen_status zen_seg_access(const zen_layout *l, uint64_t addr, uint64_t len, uint32_t access, uint32_t mode,
                          zen_fault *fault)
{
    if (len == 0 || (access != ZEN_SEG_R && access != ZEN_SEG_W && access != ZEN_SEG_X) ||
        (mode != ZEN_SEG_USER && mode != ZEN_SEG_SYSTEM))
        return ZEN_ERR_INVAL;
    if (len - 1u > UINT64_MAX - addr)
        return ZEN_ERR_OVERFLOW;
    const uint64_t last = addr + (len - 1u);
    /* A step per segment: the bytes from `at` to the end of the segment
     * that holds it may all be accessed, or `at` is the first refused. */
    uint64_t at = addr;
    /*@ loop invariant addr <= at <= last;
        loop invariant at == addr || at % ZEN_PAGE_SIZE == 0;
        loop invariant zen_seg_range_ok(l, addr, at - addr, access, mode);
        loop assigns at;
        loop variant last - at; */
    for (;;) {
        unsigned k = zen_seg_find(l, at);
        uint32_t cause = zen_seg_refusal(l, k, access, mode);
        if (cause != ZEN_FAULT_NONE) {
            //@ assert !zen_seg_byte_ok(l, at, access, mode);
            fault->addr = at;
            fault->cause = cause;
            fault->signal = ZEN_SIGSEGV;
            return ZEN_ERR_FAULT;
        }
        /* Segment k holds at and allows the access: so do all its bytes. */
        //@ assert k < ZEN_SEG_MAPPED && zen_seg_ok_at(l, k) && zen_seg_allows(l->seg[k], access, mode);
        uint64_t end = l->seg[k].base + l->seg[k].size;
        //@ assert \forall integer b; at <= b < end ==> zen_seg_covers(l->seg[k], b);
        //@ assert \forall integer b; at <= b < end ==> zen_seg_byte_ok(l, b, access, mode);
        //@ assert zen_seg_range_ok(l, addr, end - addr, access, mode);
        if (end > last) {
            //@ assert zen_seg_range_ok(l, addr, len, access, mode);
            return ZEN_OK;
        }
        at = end;
    }
}
