/* Hand-worked examples for the slab spec. Every expected value below is
 * derived by hand in the comments, not by running the spec. Prints one line
 * per failure and `N passed, N failed` last; exits non-zero on any failure.
 * Assumes 4 KiB frames.
 *
 * The zone model is one usable range, frames 16 .. 47 (32 frames, zone DMA),
 * with min watermark 0, so frame requests are served lowest address first. */
#include <stdio.h>
#include <string.h>

#include "slab_spec.h"
#include "spec_check.h"

#define PAGE(p) ((zen_paddr)(p) << 12)

static zone_spec zones;
static slab_spec s;

static void open_model(uint32_t nrecords)
{
    zen_mem_range map[1] = {{PAGE(16), PAGE(32), ZEN_MEM_USABLE}};
    CHECK(zone_spec_init(&zones, map, 1, 1) == ZEN_OK);
    CHECK(zone_spec_set_watermarks(&zones, ZEN_ZONE_DMA, 0, 0, 0) == ZEN_OK);
    slab_spec_init(&s, &zones, nrecords);
}

static void geometry(void)
{
    uint64_t stride;
    unsigned order;
    uint32_t n;
    /* 100 bytes at 8: stride 104, 4096 / 104 = 39 slots, 40 bytes left. */
    CHECK(slab_spec_geometry(100, 0, 0, &stride, &order, &n) == ZEN_OK);
    CHECK(stride == 104 && order == 0 && n == 39);
    /* 3000: order 0 leaves 1096 (> 512), order 1 2192 (> 1024), order 2
     * 16384 - 5 * 3000 = 1384 (<= 2048). */
    CHECK(slab_spec_geometry(3000, 0, 0, &stride, &order, &n) == ZEN_OK);
    CHECK(stride == 3000 && order == 2 && n == 5);
    /* 20000: orders 0 and 1 hold none; order 2: 16384 holds none; order 3:
     * 32768 holds 1, 12768 left (> 4096): no order manages 1/8, the only
     * candidate is order 3. */
    CHECK(slab_spec_geometry(20000, 0, 0, &stride, &order, &n) == ZEN_OK);
    CHECK(order == 3 && n == 1);
    /* 5000: order 1 (8192, 1 slot, 3192 left = 39%), order 2 (16384, 3
     * slots, 1384 left = 8.4%): order 2 is within 1/8. */
    CHECK(slab_spec_geometry(5000, 0, 0, &stride, &order, &n) == ZEN_OK);
    CHECK(order == 2 && n == 3);
    /* 1 byte: stride 8, 512 slots (the cap is exactly one page of 8s). */
    CHECK(slab_spec_geometry(1, 0, 0, &stride, &order, &n) == ZEN_OK);
    CHECK(stride == 8 && order == 0 && n == 512);
    CHECK(slab_spec_geometry(0, 0, 0, &stride, &order, &n) == ZEN_ERR_INVAL);
    CHECK(slab_spec_geometry(8, 24, 0, &stride, &order, &n) == ZEN_ERR_INVAL);
    CHECK(slab_spec_geometry(8, 0, ZEN_SLAB_DMA | ZEN_SLAB_DMA32, &stride, &order, &n) == ZEN_ERR_INVAL);
    CHECK(slab_spec_geometry(UINT64_MAX, 64, 0, &stride, &order, &n) == ZEN_ERR_OVERFLOW);
    CHECK(slab_spec_geometry(32769, 0, 0, &stride, &order, &n) == ZEN_ERR_INVAL);
}

static void classes(void)
{
    CHECK(slab_spec_class(0) == ZEN_KMALLOC_CLASSES);
    CHECK(slab_spec_class(1) == 0);     /* 8 */
    CHECK(slab_spec_class(65) == 4);    /* 96 */
    CHECK(slab_spec_class(129) == 6);   /* 192 */
    CHECK(slab_spec_class(2048) == 10);
    CHECK(slab_spec_class(2049) == ZEN_KMALLOC_CLASSES);
}

static void policy(void)
{
    open_model(3);
    uint32_t id;
    zen_paddr a;
    bool fresh;
    /* 2000-byte objects: 2 per page, order 0. */
    CHECK(slab_spec_create(&s, 2000, 0, 0, &id) == ZEN_OK);
    CHECK(slab_spec_alloc(&s, id, 0, &a, &fresh) == ZEN_OK && a == PAGE(16) && fresh);
    CHECK(slab_spec_alloc(&s, id, 0, &a, &fresh) == ZEN_OK && a == PAGE(16) + 2000 && !fresh);
    CHECK(slab_spec_alloc(&s, id, 0, &a, &fresh) == ZEN_OK && a == PAGE(17) && fresh);
    /* Free slot 0 of frame 16: two partial slabs; a hint in frame 17 is
     * allowed and its lowest free slot is 2000 bytes in. */
    CHECK(slab_spec_free(&s, id, PAGE(16)) == ZEN_OK);
    CHECK(slab_spec_alloc(&s, id, PAGE(17), &a, &fresh) == ZEN_OK && a == PAGE(17) + 2000);
    /* Frame 17 is full now: the only partial slab is frame 16. */
    CHECK(slab_spec_alloc(&s, id, PAGE(17), &a, &fresh) == ZEN_OK && a == PAGE(16));
    /* Errors, in the core's order. */
    CHECK(slab_spec_free(&s, id, PAGE(16) + 8) == ZEN_ERR_NOT_HEAD);
    CHECK(slab_spec_free(&s, id, PAGE(16) + 4000) == ZEN_ERR_FOREIGN); /* leftover bytes */
    CHECK(slab_spec_free(&s, id, PAGE(20)) == ZEN_ERR_FOREIGN);        /* a free frame */
    CHECK(slab_spec_free(&s, 0, PAGE(16)) == ZEN_ERR_WRONG_CACHE);      /* the 8-byte class */
    CHECK(slab_spec_destroy(&s, id) == ZEN_ERR_BUSY);
    CHECK(s.cache[id].rejected == 4);
    /* A third slab, then the record pool (3) runs out. */
    CHECK(slab_spec_kmalloc(&s, 10, 0, 0, &a) == ZEN_OK && a == PAGE(18));
    CHECK(slab_spec_alloc(&s, id, 0, &a, &fresh) == ZEN_ERR_NOMEM);
    CHECK(s.cache[id].oom_count == 1);
    /* A large block: 5000 bytes are 2 frames, order 1 at the lowest free
     * pair, frames 20 .. 21 (19 is free alone, its buddy 18 is a slab). */
    CHECK(slab_spec_kmalloc(&s, 5000, 0, 0, &a) == ZEN_OK && a == PAGE(20));
    CHECK(slab_spec_kfree(&s, PAGE(21)) == ZEN_ERR_NOT_HEAD);
    CHECK(slab_spec_kfree(&s, PAGE(20)) == ZEN_OK);
    CHECK(slab_spec_kfree(&s, PAGE(20)) == ZEN_ERR_FOREIGN);
    CHECK(slab_spec_kfree(&s, PAGE(16)) == ZEN_ERR_WRONG_CACHE);
    CHECK(slab_spec_kmalloc(&s, 0, 0, 0, &a) == ZEN_ERR_INVAL);
    CHECK(slab_spec_kmalloc(&s, UINT64_MAX, 0, 0, &a) == ZEN_ERR_OVERFLOW);
    CHECK(s.rejected == 5);
    /* Free everything of the cache; shrink returns both slabs. */
    CHECK(slab_spec_free(&s, id, PAGE(16)) == ZEN_OK);
    CHECK(slab_spec_free(&s, id, PAGE(16) + 2000) == ZEN_OK);
    CHECK(slab_spec_free(&s, id, PAGE(17)) == ZEN_OK);
    CHECK(slab_spec_free(&s, id, PAGE(17) + 2000) == ZEN_OK);
    uint64_t n;
    CHECK(slab_spec_shrink(&s, id, &n) == ZEN_OK && n == 2);
    CHECK(slab_spec_destroy(&s, id) == ZEN_OK);
    CHECK(slab_spec_alloc(&s, id, 0, &a, &fresh) == ZEN_ERR_INVAL);
    zone_spec_destroy(&zones);
}

int main(void)
{
    geometry();
    classes();
    policy();
    return spec_check_report();
}
