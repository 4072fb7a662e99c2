/* Shared helpers for the cmocka suites. */
#ifndef FACIES_TESTUTIL_H
#define FACIES_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* A fresh temporary directory per process, removed by the OS's tmp cleaner
 * only; tests name files inside it. */
const char *test_tmpdir(void);

/* path = tmpdir/name, into a static-per-call buffer owned by the caller. */
void test_path(char *buf, size_t n, const char *name);

/* Path of the shared real data folder, or NULL when it is absent. */
const char *test_realdata(void);

/* Write a text file (fails the test if it cannot). */
void test_write_text(const char *path, const char *text);

/* A whole file in memory (fails the test if unreadable); free the result. */
unsigned char *test_slurp(const char *path, long *size);

/* Assert that a message mentions a substring. */
#define assert_contains(haystack, needle)                                                                              \
    do {                                                                                                               \
        if (!strstr((haystack), (needle)))                                                                             \
            fail_msg("expected \"%s\" in \"%s\"", (needle), (haystack));                                               \
    } while (0)

/* Assert that a call returns `status` (an fc_status) and leaves a message in err (an fc_error) mentioning a
 * substring. */
#define assert_fails_with(call, status, err, needle)                                                                   \
    do {                                                                                                               \
        int got_ = (int)(call);                                                                                        \
        if (got_ != (int)(status))                                                                                     \
            fail_msg("status %d, expected %d (%s)", got_, (int)(status), (err).message);                               \
        assert_contains((err).message, (needle));                                                                      \
    } while (0)

/* n values drawn from N(0, 1) with this seed (malloc'd; NULL when out of memory). */
float *test_normal_floats(size_t n, uint64_t seed);

#endif
