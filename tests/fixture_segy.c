#include "fixture_segy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

fixture_spec fixture_default(void)
{
    fixture_spec s = {.format = 5,
                      .samples = 7,
                      .interval_us = 4000,
                      .n_il = 3,
                      .n_xl = 4,
                      .il0 = 100,
                      .il_step = 1,
                      .xl0 = 20,
                      .xl_step = 2};
    return s;
}

float fixture_value(const fixture_spec *s, int i, int j, int k)
{
    /* Fits int8 for the small grids used with format 8. */
    int v = (i * 31 + j * 7 + k * 3) % 200 - 100;
    (void)s;
    return (float)v;
}

static void put(unsigned char *p, uint32_t v, int bytes, int le)
{
    for (int b = 0; b < bytes; b++) {
        int shift = le ? 8 * b : 8 * (bytes - 1 - b);
        p[b] = (unsigned char)(v >> shift);
    }
}

static uint32_t ibm_bits(float f)
{
    /* Exact for small integers: v = F * 16^E with F in [1/16, 1). */
    if (f == 0.0f)
        return 0;
    uint32_t sign = f < 0 ? 0x80000000u : 0;
    double a = fabs((double)f);
    int e = 0;
    while (a >= 1.0) {
        a /= 16.0;
        e++;
    }
    while (a < 1.0 / 16.0) {
        a *= 16.0;
        e--;
    }
    return sign | (uint32_t)(e + 64) << 24 | (uint32_t)(a * 16777216.0);
}

static int sample_bytes(int format)
{
    switch (format) {
    case 3:
    case 11: return 2;
    case 8:
    case 16: return 1;
    case 6:
    case 9:
    case 12: return 8;
    case 7:
    case 15: return 3;
    default: return 4;
    }
}

static void put_sample(unsigned char *p, int format, float v, int le)
{
    uint32_t bits;
    switch (format) {
    case 1: put(p, ibm_bits(v), 4, le); break;
    case 2: put(p, (uint32_t)(int32_t)v, 4, le); break;
    case 3: put(p, (uint32_t)(uint16_t)(int16_t)v, 2, le); break;
    case 4: {
        /* Fixed point with gain: 0, gain g, int16 mantissa m, value m / 2^g; g in 0..2 exercises the exponent. */
        int g = abs((int)v) % 3;
        put(p, (uint32_t)g << 16 | (uint16_t)(int16_t)((int)v * (1 << g)), 4, le);
        break;
    }
    case 8: p[0] = (unsigned char)(signed char)v; break;
    case 5:
        memcpy(&bits, &v, 4);
        put(p, bits, 4, le);
        break;
    default: memset(p, 0, (size_t)sample_bytes(format)); break;
    }
}

int fixture_write(const char *path, const fixture_spec *s)
{
    int le = s->little_endian, bps = sample_bytes(s->format);
    int il_byte = s->il_byte ? s->il_byte : 189, xl_byte = s->xl_byte ? s->xl_byte : 193;
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    unsigned char head[3600];
    memset(head, 0x40, 3200); /* EBCDIC spaces */
    memset(head + 3200, 0, 400);
    put(head + 3216, (uint32_t)s->interval_us, 2, le);
    put(head + 3220, (uint32_t)s->samples, 2, le);
    put(head + 3224, (uint32_t)s->format, 2, le);
    put(head + 3500, 0x0100, 2, le);
    put(head + 3504, (uint32_t)s->ext_headers, 2, le);
    fwrite(head, 1, sizeof head, f);
    for (int e = 0; e < s->ext_headers; e++) {
        unsigned char ext[3200];
        memset(ext, 0x40, sizeof ext);
        fwrite(ext, 1, sizeof ext, f);
    }
    size_t tb = 240 + (size_t)s->samples * (size_t)bps;
    unsigned char *tr = calloc(1, tb);
    int offsets = s->offsets > 1 ? s->offsets : 1;
    int outer = s->crossline_sorted ? s->n_xl : s->n_il, inner = s->crossline_sorted ? s->n_il : s->n_xl;
    long seq = 0;
    for (int a = 0; a < outer; a++) {
        for (int b = 0; b < inner; b++) {
            int i = s->crossline_sorted ? b : a, j = s->crossline_sorted ? a : b;
            if (s->missing && s->missing[i * s->n_xl + j])
                continue;
            for (int off = 0; off < offsets; off++) {
                memset(tr, 0, tb);
                put(tr + 0, (uint32_t)(seq + 1), 4, le);
                put(tr + 20, (uint32_t)(s->two_d ? 1001 + seq : 0), 4, le); /* CDP */
                put(tr + 36, (uint32_t)(off + 1), 4, le);                   /* offset */
                put(tr + 108, (uint32_t)s->delay_ms, 2, le);
                put(tr + 114, (uint32_t)s->samples, 2, le);
                put(tr + 116, (uint32_t)s->trace_interval_us, 2, le);
                put(tr + 214, (uint32_t)(uint16_t)(int16_t)s->delay_scalar, 2, le);
                if (!s->two_d) {
                    put(tr + il_byte - 1, (uint32_t)(s->il0 + i * s->il_step), 4, le);
                    put(tr + xl_byte - 1, (uint32_t)(s->xl0 + j * s->xl_step), 4, le);
                }
                for (int k = 0; k < s->samples; k++)
                    put_sample(tr + 240 + (size_t)k * (size_t)bps, s->format, fixture_value(s, i, j, k), le);
                fwrite(tr, 1, tb, f);
                seq++;
            }
        }
    }
    free(tr);
    long size = ftell(f);
    if (fclose(f) != 0)
        return -1;
    if (s->truncate_bytes > 0 && truncate(path, size - s->truncate_bytes) != 0)
        return -1;
    return 0;
}
