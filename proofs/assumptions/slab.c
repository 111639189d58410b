/* The slab layer's standing assumptions, each alone in a function of its
 * own: the proof gate's smoke tests try to prove each contradictory. Were
 * one contradictory, every goal that assumes it would hold vacuously. */
#include "zen_slab.h"

/* The kmem itself, as every slab and kmalloc function assumes it. */
/*@ requires zen_kmem_valid(k);
    assigns \nothing;
 */
void zen_assume_kmem(zen_kmem *k)
{
    (void)k;
}

/* A caller's cache of the kmem, as zen_slab_alloc and zen_slab_free assume
 * it, with an object pointer apart from both. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, c) && zen_kmem_zones_apart(k, c);
    requires zen_slab_geometry(c);
    requires \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) && \separated(obj, c) &&
      zen_zone_writes_apart(k->zones, obj);
    assigns \nothing;
 */
void zen_assume_cache(zen_kmem *k, zen_slab_cache *c, zen_paddr *obj)
{
    (void)k;
    (void)c;
    (void)obj;
}

/* A kmalloc class, which lies inside the kmem, as zen_kmalloc hands it to
 * zen_slab_alloc_in, with an object pointer apart from the kmem. */
/*@ requires zen_kmem_valid(k) && zen_slab_cache_apart(k, &k->classes[0]) &&
      zen_kmem_zones_apart(k, &k->classes[0]) && zen_slab_geometry(&k->classes[0]);
    requires \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) &&
      \separated(obj, &k->classes[0]) && zen_zone_writes_apart(k->zones, obj);
    assigns \nothing;
 */
void zen_assume_class(zen_kmem *k, zen_paddr *obj)
{
    (void)k;
    (void)obj;
}

/* A kmem over a zone set whose two lower zones are present without a
 * direct map (the zone layer allows it; ZEN_ZONE_ZERO requests then fail). */
/*@ requires zen_kmem_valid(k) && \valid(obj) && zen_zone_writes_apart(k->zones, obj);
    requires k->zones->zone[0].present != 0 && k->zones->zone[0].pages.memory == \null;
    requires k->zones->zone[1].present != 0 && k->zones->zone[1].pages.memory == \null;
    assigns \nothing;
 */
void zen_assume_no_direct_maps(zen_kmem *k, zen_paddr *obj)
{
    (void)k;
    (void)obj;
}

/* The kmem with its kmalloc classes, as zen_kmalloc assumes it. */
/*@ requires zen_kmem_valid(k) && zen_kmem_classes_ok(k);
    requires \valid(obj) && \separated(obj, k, k->slabs + (0 .. k->nslabs - 1)) &&
      zen_zone_writes_apart(k->zones, obj);
    assigns \nothing;
 */
void zen_assume_kmalloc(zen_kmem *k, zen_paddr *obj)
{
    (void)k;
    (void)obj;
}

/* What zen_kmem_init assumes of a kmem to be made. */
/*@ requires \valid(k) && 0 < nslabs < ZEN_SLAB_NONE && \valid(slabs + (0 .. nslabs - 1));
    requires zen_zone_set_valid(zones) && zen_kmem_init_apart(k, zones, slabs, nslabs);
    assigns \nothing;
 */
void zen_assume_init(zen_kmem *k, zen_zone_set *zones, zen_slab *slabs, uint32_t nslabs)
{
    (void)k;
    (void)zones;
    (void)slabs;
    (void)nslabs;
}
