/* zen_ctz64 (the compiler builtin on gcc/clang) against its proved portable
 * twin zen_ctz64_portable: the one assumption of the proof record. */
#include <inttypes.h>
#include <stdio.h>

#include "zen_bits.h"

static unsigned failures;

static void compare(uint64_t x)
{
    unsigned fast = zen_ctz64(x);
    unsigned portable = zen_ctz64_portable(x);
    if (fast != portable) {
        failures++;
        if (failures <= 10)
            printf("FAILED: zen_ctz64(0x%016" PRIx64 ") = %u, portable twin = %u\n", x, fast,
                   portable);
    }
}

int main(void)
{
    unsigned checks = 0;
    compare(0);
    checks++;
    for (unsigned b = 0; b < 64u; b++) {
        uint64_t bit = (uint64_t)1 << b;
        compare(bit);                /* exactly bit b */
        compare(~(uint64_t)0 << b);  /* bit b and every bit above */
        compare(bit | ((uint64_t)1 << 63));
        checks += 3;
    }
    uint64_t state = 0x9E3779B97F4A7C15u;
    for (unsigned i = 0; i < 1000000u; i++) { /* splitmix64 words */
        state += 0x9E3779B97F4A7C15u;
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        z ^= z >> 31;
        compare(z);
        compare(z & (z - 1u) ? z << (i % 64u) : z); /* more trailing zeros */
        checks += 2;
    }
    printf("%u checks, %u failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
