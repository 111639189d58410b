/* Executable specification of the Zen slab layer (core/zen_slab.h).
 *
 * Written to be read, not to be fast. Each cache is its geometry, the slabs
 * it holds (first frame, order, which slots are live) and nothing else: no
 * lists, no bitmaps, no records. Which list a slab is on follows from its
 * live count. The frames come from a zone model (zone_spec.h), so every
 * frame request and return is predicted too. kmalloc maps a size to its
 * class with a plain table scan; large blocks are a list of (first frame,
 * order).
 *
 * The core's policy picks "the head of the partial list", which depends on
 * the order slabs changed lists. The model does not track that order: an
 * allocation takes a hint (the core's answer) and accepts it when the hint
 * lies in a slab the policy allows (a partial slab when there is one, else
 * an empty one), and then answers the lowest free slot of that slab; with
 * no such hint it takes the lowest-addressed allowed slab. Everything else
 * (status, the slot, a new slab's frames) is the model's own.
 *
 * Fault injection: a request for frames first asks spec->fail(ctx, order),
 * exactly where the core asks its own; a non-zero answer is out of memory. */
#ifndef SLAB_SPEC_H
#define SLAB_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include "zen_slab.h"
#include "zone_spec.h"

#define SLAB_SPEC_MAX_CACHES 16u
#define SLAB_SPEC_MAX_SLABS 256u
#define SLAB_SPEC_MAX_LARGE 256u
#define SLAB_SPEC_NO_CACHE UINT32_MAX

typedef struct slab_spec_slab {
    zen_pfn pfn;
    unsigned order;
    uint32_t live;                        /* live objects */
    bool used[ZEN_SLAB_MAX_SLOTS];        /* slot i is live */
} slab_spec_slab;

typedef struct slab_spec_cache {
    bool live;          /* created and not destroyed */
    bool kmalloc_class;
    uint64_t size, align, stride;
    unsigned order;
    uint32_t nslots;
    unsigned flags;
    uint32_t nslabs;
    slab_spec_slab slabs[SLAB_SPEC_MAX_SLABS];
    uint64_t in_use, oom_count, rejected;
} slab_spec_cache;

typedef struct slab_spec_large {
    zen_pfn pfn;
    unsigned order;
} slab_spec_large;

typedef struct slab_spec {
    zone_spec *zones;
    uint32_t nrecords;  /* the record pool: one record per slab held */
    uint32_t held;      /* slabs held by all caches */
    slab_spec_cache cache[SLAB_SPEC_MAX_CACHES]; /* kmalloc classes first */
    uint32_t nlarge;
    slab_spec_large large[SLAB_SPEC_MAX_LARGE];
    int (*fail)(void *ctx, unsigned order);
    void *fail_ctx;
    uint64_t rejected, oom_count;
} slab_spec;

/* A model with no caches but the kmalloc classes (caches 0 ..
 * ZEN_KMALLOC_CLASSES - 1), over the zone model zones. */
void slab_spec_init(slab_spec *s, zone_spec *zones, uint32_t nrecords);

/* The geometry rule of zen_slab.h: stride, order and slots of a cache of
 * size-byte objects aligned to align (0: ZEN_SLAB_MIN_ALIGN), or the error
 * zen_slab_cache_create answers. */
zen_status slab_spec_geometry(uint64_t size, uint64_t align, unsigned flags, uint64_t *stride,
                              unsigned *order, uint32_t *nslots);

/* As zen_slab_cache_create; on ZEN_OK *id names the new cache. */
zen_status slab_spec_create(slab_spec *s, uint64_t size, uint64_t align, unsigned flags,
                            uint32_t *id);

/* As zen_slab_alloc on cache id (SLAB_SPEC_NO_CACHE or a destroyed cache:
 * ZEN_ERR_INVAL); hint as above. *new_slab tells whether a slab was made,
 * so a caller can check the constructor calls. */
zen_status slab_spec_alloc(slab_spec *s, uint32_t id, zen_paddr hint, zen_paddr *obj, bool *new_slab);

zen_status slab_spec_free(slab_spec *s, uint32_t id, zen_paddr obj);
zen_status slab_spec_shrink(slab_spec *s, uint32_t id, uint64_t *released);
zen_status slab_spec_destroy(slab_spec *s, uint32_t id);

/* kmalloc's class for size by a scan of the class table, or
 * ZEN_KMALLOC_CLASSES when no class holds it. */
unsigned slab_spec_class(uint64_t size);

zen_status slab_spec_kmalloc(slab_spec *s, uint64_t size, unsigned flags, zen_paddr hint,
                             zen_paddr *obj);
zen_status slab_spec_kfree(slab_spec *s, zen_paddr obj);

/* Slabs of cache id that are empty; objects live in it. */
uint64_t slab_spec_empty_slabs(const slab_spec *s, uint32_t id);
/* Frames of the large kmalloc blocks. */
uint64_t slab_spec_large_frames(const slab_spec *s);

#endif
