/* Status codes shared by every Zen core component.
 *
 * Every operation returns one of these. Each error names one cause, so a
 * caller (and a differential fuzzer) can tell exactly why a request was
 * refused. An operation that returns an error leaves the instance as it was,
 * apart from its diagnostic counters. */
#ifndef ZEN_STATUS_H
#define ZEN_STATUS_H

typedef enum zen_status {
    ZEN_OK = 0,
    ZEN_ERR_NOMEM = 1,         /* no free block large enough */
    ZEN_ERR_INVAL = 2,         /* malformed argument: order out of range, unknown flag, bad sizes */
    ZEN_ERR_RANGE = 3,         /* address outside the managed range (foreign) */
    ZEN_ERR_RESERVED = 4,      /* frame is reserved or a hole: never handed out */
    ZEN_ERR_NOT_HEAD = 5,      /* frame lies inside a live block but is not its first frame */
    ZEN_ERR_NOT_ALLOCATED = 6, /* frame is free: double free or never allocated */
    ZEN_ERR_ORDER = 7,         /* order does not match the live block */
    ZEN_ERR_OVERFLOW = 8,      /* a count or an address computation would overflow */
    ZEN_ERR_BUSY = 9,          /* the resource is already in use */
    ZEN_ERR_CORRUPT = 10,      /* the consistency checker found a broken invariant */
    ZEN_ERR_CAPACITY = 11,     /* more entries than the caller's buffer holds */
    ZEN_ERR_NO_USABLE = 12,    /* a memory map without a single usable frame */
    ZEN_ERR_FOREIGN = 13,      /* address in no block this allocator handed out */
    ZEN_ERR_WRONG_CACHE = 14,  /* object of another cache */
    ZEN_ERR_MISALIGNED = 15,   /* an address that must be page-aligned is not */
    ZEN_ERR_NO_FIT = 16,       /* a layout whose segments do not fit its address space */
    ZEN_ERR_FAULT = 17         /* an access the layout does not allow: the fault says where and why */
} zen_status;

#endif
