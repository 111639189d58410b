/* Bit helpers for the bitmaps of the allocators.
 *
 * zen_ctz64 is the one place a compiler builtin is used. Under Frama-C (and
 * on compilers without the builtin) the portable loop below is compiled
 * instead; its contract is proved, and the proof record lists "the builtin
 * returns what the portable twin returns for a non-zero word" as the single
 * assumption. */
#ifndef ZEN_BITS_H
#define ZEN_BITS_H

#include <stdint.h>

/*@ logic integer zen_bit(integer w, integer b) = (w >> b) & 1; */

/*@ assigns \nothing;
    ensures \result <= 64;
    ensures \forall integer j; 0 <= j < \result ==> zen_bit(x, j) == 0;
    ensures \result < 64 ==> zen_bit(x, \result) == 1;
 */
static inline unsigned zen_ctz64_portable(uint64_t x)
{
    unsigned n = 0;
    /*@ loop invariant 0 <= n <= 64;
        loop invariant \forall integer j; 0 <= j < n ==> zen_bit(x, j) == 0;
        loop assigns n;
        loop variant 64 - n; */
    while (n < 64u && ((x >> n) & 1u) == 0u)
        n++;
    return n;
}

/* Index of the lowest set bit of x; 64 when x is 0. */
/*@ assigns \nothing;
    ensures \result <= 64;
    ensures \forall integer j; 0 <= j < \result ==> zen_bit(x, j) == 0;
    ensures \result < 64 ==> zen_bit(x, \result) == 1;
 */
static inline unsigned zen_ctz64(uint64_t x)
{
#if (defined(__GNUC__) || defined(__clang__)) && !defined(__FRAMAC__)
    return x != 0u ? (unsigned)__builtin_ctzll(x) : 64u;
#else
    return zen_ctz64_portable(x);
#endif
}

/* x with bit b cleared. */
/*@ requires b < 64;
    assigns \nothing;
    ensures zen_bit(\result, b) == 0;
    ensures \forall integer j; 0 <= j < 64 && j != b ==> zen_bit(\result, j) == zen_bit(x, j);
 */
static inline uint64_t zen_bit_clear64(uint64_t x, unsigned b)
{
    return x & ~((uint64_t)1 << b);
}

/* x with bit b set. */
/*@ requires b < 64;
    assigns \nothing;
    ensures zen_bit(\result, b) == 1;
    ensures \forall integer j; 0 <= j < 64 && j != b ==> zen_bit(\result, j) == zen_bit(x, j);
 */
static inline uint64_t zen_bit_set64(uint64_t x, unsigned b)
{
    return x | ((uint64_t)1 << b);
}

/* Bit b of x, as 0 or 1. */
/*@ requires b < 64;
    assigns \nothing;
    ensures \result == zen_bit(x, b);
 */
static inline unsigned zen_bit_get64(uint64_t x, unsigned b)
{
    return (unsigned)((x >> b) & 1u);
}

#endif
