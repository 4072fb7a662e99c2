/* Test fixtures: small SEG-Y files written byte by byte, independently of
 * the library's reader and writer, so that tests check one against the other. */
#ifndef FACIES_TEST_FIXTURE_SEGY_H
#define FACIES_TEST_FIXTURE_SEGY_H

#include <stdint.h>

typedef struct fixture_spec {
    int format; /* 1, 2, 3, 5, 8 (or another code to test refusals) */
    int little_endian;
    int samples;
    int interval_us; /* binary header; 0 leaves it unset */
    int trace_interval_us;
    int delay_ms, delay_scalar;
    int n_il, n_xl; /* grid; a 2-D line uses n_il = 1 and two_d */
    int il0, il_step, xl0, xl_step;
    int il_byte, xl_byte; /* 189 / 193 by default when 0 */
    int crossline_sorted;
    int two_d;                    /* il = xl = 0 in headers, CDP at byte 21 = 1001 + trace */
    int offsets;                  /* > 1 writes pre-stack gathers */
    const unsigned char *missing; /* [n_il * n_xl], 1 = leave out, or NULL */
    int ext_headers;
    long truncate_bytes; /* remove this many bytes from the end */
} fixture_spec;

fixture_spec fixture_default(void);

/* The value the fixture stores at (inline index, crossline index, sample):
 * exactly representable in every format (small integers). */
float fixture_value(const fixture_spec *s, int i, int j, int k);

/* Write the file; returns 0 on success. */
int fixture_write(const char *path, const fixture_spec *s);

#endif
