/* Address spaces: the fault handler. */
#include "zen_space_steps.h"

/* The segment a fault at addr is judged by (zen_space_judge). */
/*@ requires \valid_read(sp) && zen_seg_layout_ok(&sp->layout);
    assigns \nothing;
    ensures zen_space_judge(&sp->layout, addr, \result);
    ensures \result == ZEN_SEG_NONE || \result < ZEN_SEG_MAPPED;
 */
static unsigned zen_space_judge(const zen_space *sp, uint64_t addr)
{
    const zen_layout *l = &sp->layout;
    if (addr >= l->stack_floor && addr < l->seg[ZEN_SEG_STACK].base)
        return ZEN_SEG_STACK;
    return zen_seg_find(l, addr);
}

/*@ // The segments under the heap, named: each ends before the next.
    lemma zen_space_layout_ok_low: \forall zen_layout *l;
      zen_seg_layout_ok(l) ==>
      zen_seg_ok_at(l, ZEN_SEG_TRAPVEC) && zen_seg_ok_at(l, ZEN_SEG_ZENVARS) &&
      zen_seg_ok_at(l, ZEN_SEG_TEXT) && zen_seg_ok_at(l, ZEN_SEG_RODATA) && zen_seg_ok_at(l, ZEN_SEG_DATA) &&
      zen_seg_ok_at(l, ZEN_SEG_BSS) && zen_seg_ok_at(l, ZEN_SEG_COMM) && zen_seg_ok_at(l, ZEN_SEG_HEAP) &&
      zen_seg_ok_at(l, ZEN_SEG_STACK);

    // A fault is judged by one segment at most.
    lemma zen_space_judge_unique: \forall zen_layout *l, integer a, k, j;
      zen_space_judge(l, a, k) && zen_space_judge(l, a, j) ==> k == j;

    // The judging segment and its cause read the same in the same layout.
    lemma zen_space_judge_kept{L1, L2}: \forall zen_layout *l, integer a, k;
      zen_space_layout_same{L1, L2}(l) && zen_space_judge{L1}(l, a, k) ==> zen_space_judge{L2}(l, a, k);
    lemma zen_space_cause_kept{L1, L2}: \forall zen_layout *l, integer k, access, mode;
      zen_space_layout_same{L1, L2}(l) && (k == ZEN_SEG_NONE || 0 <= k < ZEN_SEG_KINDS) ==>
      zen_seg_cause{L1}(l, k, access, mode) == zen_seg_cause{L2}(l, k, access, mode);

    // The page that holds byte a, from a page boundary b at or under it.
    lemma zen_space_page_floor: \forall integer a, b;
      0 <= b <= a && b % ZEN_PAGE_SIZE == 0 ==>
      b <= a - a % ZEN_PAGE_SIZE && b + (a - b) / ZEN_PAGE_SIZE * ZEN_PAGE_SIZE == a - a % ZEN_PAGE_SIZE;
 */

/* Map a frame for the page of addr, which segment k judges and allows and
 * slot i, empty, holds: take a frame from the zones, fill it, record it. */
/*@ requires zen_space_ok(sp);
    requires ZEN_SEG_TEXT <= k <= ZEN_SEG_STACK && zen_space_judge(&sp->layout, addr, k);
    requires i == zen_space_slot_of(&sp->layout, addr) && 0 <= i < sp->slots;
    requires sp->table[i] == ZEN_SPACE_NO_FRAME;
    assigns sp->stats, sp->layout.seg[ZEN_SEG_STACK].base, sp->layout.seg[ZEN_SEG_STACK].size, sp->table[i],
            ZEN_SPACE_ZONE_WRITES(sp->zones), ZEN_SPACE_FRAME_WRITES(sp->zones);
    ensures \result == ZEN_OK || \result == ZEN_ERR_NOMEM || \result == ZEN_ERR_CORRUPT;
    ensures \result != ZEN_ERR_CORRUPT ==> zen_space_ok(sp);
    ensures \result == ZEN_OK ==> sp->table[i] != ZEN_SPACE_NO_FRAME;
    ensures \result != ZEN_OK ==> sp->table[i] == ZEN_SPACE_NO_FRAME;
    ensures \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \old(sp->table[j]);
    ensures \result == ZEN_OK ==> zen_space_slot_of(&sp->layout, addr) == i;
 */
static zen_status zen_space_map(zen_space *sp, uint64_t i, unsigned k, uint64_t addr)
{
    const uint64_t page = addr - addr % ZEN_PAGE_SIZE;
    /* Where the page lies, read before the zones are called: in segment k,
     * under the heap's end for the segments from TEXT to HEAP, in the
     * stack's reach for the stack. */
    //@ assert k == 3 || k == 4 || k == 5 || k == 6 || k == 7 || k == 8 || k == 9;
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_TEXT) && zen_seg_ok_at(&sp->layout, ZEN_SEG_RODATA);
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_DATA) && zen_seg_ok_at(&sp->layout, ZEN_SEG_BSS);
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_COMM) && zen_seg_ok_at(&sp->layout, ZEN_SEG_HEAP);
    //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_STACK);
    //@ assert page == addr - addr % ZEN_PAGE_SIZE;
    //@ assert page % ZEN_PAGE_SIZE == 0 && page <= addr < page + ZEN_PAGE_SIZE;
    //@ assert k < ZEN_SEG_STACK ==> zen_seg_covers(sp->layout.seg[k], addr) && sp->layout.seg[k].base % ZEN_PAGE_SIZE == 0;
    /*@ assert k < ZEN_SEG_STACK ==>
          sp->layout.seg[k].base <= page < sp->layout.seg[k].base + sp->layout.seg[k].size; */
    /*@ assert k < ZEN_SEG_STACK ==>
          page < sp->layout.seg[ZEN_SEG_HEAP].base + sp->layout.seg[ZEN_SEG_HEAP].size; */
    //@ assert sp->layout.stack_floor % ZEN_PAGE_SIZE == 0 && sp->layout.stack_floor <= sp->layout.seg[ZEN_SEG_STACK].base;
    //@ assert k == ZEN_SEG_STACK ==> sp->layout.stack_floor <= addr < sp->layout.top;
    //@ assert k == ZEN_SEG_STACK ==> sp->layout.stack_floor <= page < sp->layout.top;
    //@ assert k < ZEN_SEG_STACK ==> zen_image_text_base <= addr < sp->layout.heap_end;
    //@ assert k < ZEN_SEG_STACK ==> i == (addr - zen_image_text_base) / ZEN_PAGE_SIZE;
    //@ assert k < ZEN_SEG_STACK ==> zen_image_text_base + (addr - zen_image_text_base) / ZEN_PAGE_SIZE * ZEN_PAGE_SIZE == page;
    //@ assert sp->layout.heap_end % ZEN_PAGE_SIZE == 0;
    //@ assert (sp->layout.heap_end - zen_image_text_base) % ZEN_PAGE_SIZE == 0;
    //@ assert k < ZEN_SEG_STACK ==> i < sp->low_slots;
    //@ assert k < ZEN_SEG_STACK ==> page == zen_space_page_of(&sp->layout, i);
    //@ assert k == ZEN_SEG_STACK ==> sp->layout.heap_end < sp->layout.stack_floor <= addr < sp->layout.top;
    //@ assert k == ZEN_SEG_STACK ==> i == sp->low_slots + (addr - sp->layout.stack_floor) / ZEN_PAGE_SIZE;
    //@ assert sp->layout.stack_floor % ZEN_PAGE_SIZE == 0;
    //@ assert k == ZEN_SEG_STACK ==> sp->layout.stack_floor + (addr - sp->layout.stack_floor) / ZEN_PAGE_SIZE * ZEN_PAGE_SIZE == page;
    //@ assert k == ZEN_SEG_STACK ==> i >= sp->low_slots;
    //@ assert k == ZEN_SEG_STACK ==> page == zen_space_page_of(&sp->layout, i);
    //@ assert k == ZEN_SEG_STACK && page >= sp->layout.seg[ZEN_SEG_STACK].base ==> zen_space_slot_in_segment(&sp->layout, i);
    //@ assert k < ZEN_SEG_STACK ==> zen_space_slot_in_segment(&sp->layout, i);
    const zen_space_taken got = zen_space_new_frame(sp, k, page);
    if (got.status != ZEN_OK) {
        //@ assert zen_space_table_same{Pre, Here}(sp);
        //@ assert \forall integer j; 0 <= j < sp->slots ==> sp->table[j] == \at(sp->table[j], Pre);
        return got.status;
    }
    const zen_pfn pfn = got.pfn;
    //@ assert sp->table[i] == ZEN_SPACE_NO_FRAME;
    //@ assert sp->layout.seg[ZEN_SEG_HEAP].base == \at(sp->layout.seg[ZEN_SEG_HEAP].base, Pre);
    //@ assert sp->layout.seg[ZEN_SEG_HEAP].size == \at(sp->layout.seg[ZEN_SEG_HEAP].size, Pre);
    /*@ ghost Filled: ; */
    if (k == ZEN_SEG_STACK && page < sp->layout.seg[ZEN_SEG_STACK].base) {
        zen_space_grow_stack(sp, page);
        //@ assert sp->layout.seg[ZEN_SEG_STACK].base == page;
    }
    /* The page's slot, read again in the layout as it is now. */
    //@ assert sp->layout.heap_end == \at(sp->layout.heap_end, Pre);
    //@ assert sp->layout.stack_floor == \at(sp->layout.stack_floor, Pre) && sp->layout.top == \at(sp->layout.top, Pre);
    //@ assert zen_space_slot_of(&sp->layout, addr) == i;
    //@ assert sp->low_slots == \at(sp->low_slots, Pre);
    //@ assert page == zen_space_page_of(&sp->layout, i);
    //@ assert k == ZEN_SEG_STACK ==> sp->layout.seg[ZEN_SEG_STACK].base <= page;
    //@ assert k < ZEN_SEG_STACK ==> sp->layout.seg[ZEN_SEG_HEAP].base == \at(sp->layout.seg[ZEN_SEG_HEAP].base, Pre);
    //@ assert k < ZEN_SEG_STACK ==> sp->layout.seg[ZEN_SEG_HEAP].size == \at(sp->layout.seg[ZEN_SEG_HEAP].size, Pre);
    //@ assert zen_space_table_same{Filled, Here}(sp);
    //@ assert zen_space_table_same{Pre, Here}(sp);
    //@ assert sp->table[i] == ZEN_SPACE_NO_FRAME;
    //@ assert zen_space_slot_in_segment(&sp->layout, i);
    /*@ ghost Placed: ; */
    zen_space_record(sp, i, pfn);
    //@ assert sp->layout.heap_end == \at(sp->layout.heap_end, Placed) && sp->layout.top == \at(sp->layout.top, Placed);
    //@ assert sp->layout.stack_floor == \at(sp->layout.stack_floor, Placed);
    //@ assert zen_space_slot_of(&sp->layout, addr) == i;
    //@ assert \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \at(sp->table[j], Placed);
    //@ assert \forall integer j; 0 <= j < sp->slots && j != i ==> sp->table[j] == \at(sp->table[j], Pre);
    //@ assert zen_space_ok(sp) && sp->table[i] != ZEN_SPACE_NO_FRAME;
    return ZEN_OK;
}

/* A known access in a known mode (zen_space_request_ok). One call, so
 * that the fault handler's goals do not multiply by the test's paths. */
/*@ assigns \nothing;
    ensures \result != 0 <==> zen_space_request_ok(access, mode);
 */
static int zen_space_request_known(uint32_t access, uint32_t mode)
{
    return (access == ZEN_SEG_R || access == ZEN_SEG_W || access == ZEN_SEG_X) &&
           (mode == ZEN_SEG_USER || mode == ZEN_SEG_SYSTEM);
}

zen_status zen_space_fault(zen_space *sp, uint64_t addr, uint32_t access, uint32_t mode, zen_fault *fault)
{
    zen_status st;
    zen_hooks_enter(&sp->hooks);
    if (!zen_space_request_known(access, mode)) {
        st = zen_space_reject(sp, ZEN_ERR_INVAL);
    } else {
        const unsigned k = zen_space_judge(sp, addr);
        //@ assert \forall integer j; zen_space_judge(&sp->layout, addr, j) ==> j == k;
        const uint32_t cause = zen_seg_refusal(&sp->layout, k, access, mode);
        /*@ assert cause != ZEN_FAULT_NONE <==>
              !(\exists integer j; zen_space_judge(&sp->layout, addr, j) && j != ZEN_SEG_NONE &&
                                  zen_seg_allows(sp->layout.seg[j], access, mode)); */
        const uint64_t i = zen_space_slot(sp, addr);
        //@ assert i == sp->slots <==> zen_space_slot_of(&sp->layout, addr) < 0;
        if (cause != ZEN_FAULT_NONE) {
            /*@ ghost Judged: ; */
            st = zen_space_refuse(sp, fault, addr, cause);
            //@ assert zen_space_judge{Judged}(&sp->layout, addr, k) && zen_space_judge(&sp->layout, addr, k);
            //@ assert fault->cause == zen_seg_cause(&sp->layout, k, access, mode);
        } else if (i == sp->slots) {
            st = ZEN_ERR_RANGE; /* TRAPVEC or ZENVARS */
        } else if (sp->table[i] != ZEN_SPACE_NO_FRAME) {
            st = ZEN_OK;
        } else {
            /* A slot's page lies at or above TEXT's base, over the
             * segments the kernel maps. */
            //@ assert zen_seg_ok_at(&sp->layout, ZEN_SEG_TRAPVEC) && zen_seg_ok_at(&sp->layout, ZEN_SEG_ZENVARS);
            //@ assert zen_image_text_base <= addr;
            //@ assert ZEN_SEG_TEXT <= k <= ZEN_SEG_STACK;
            st = zen_space_map(sp, i, k, addr);
            //@ assert st == ZEN_OK ==> zen_space_slot_of(&sp->layout, addr) == i && sp->table[i] != ZEN_SPACE_NO_FRAME;
        }
    }
    zen_hooks_leave(&sp->hooks);
    return st;
}
