/* The checks of the spec tests: CHECK counts one passed or failed
 * condition and prints a line for each failure; spec_check_report prints
 * `N passed, N failed` and gives the exit status (non-zero on any
 * failure). One file's counters: include it once per test program. */
#ifndef SPEC_CHECK_H
#define SPEC_CHECK_H

#include <stdio.h>

static unsigned passed, failed;

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (cond) {                                                             \
            passed++;                                                           \
        } else {                                                                \
            failed++;                                                           \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);              \
        }                                                                       \
    } while (0)

static inline int spec_check_report(void)
{
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

#endif
