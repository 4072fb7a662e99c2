/* The SEG-Y layout internals (segy_layout.h) on headers built byte by byte: big-endian field readers at 1-based
 * positions, sample format sizes, the binary header's byte order, format, revision, extended headers and sample
 * count, the refusal of formats facies does not read (named), the trace size and count from the file size, and
 * sample decoding and encoding on hand-worked bit patterns. */
#include "testutil.h"

#include <math.h>

#include "segy_layout.h"

/* Big- or little-endian 2- and 4-byte fields at a 1-based SEG-Y byte position of a header. */
static void put16(unsigned char *h, int pos, unsigned v, int little)
{
    unsigned char *p = h + pos - 1;
    p[little ? 1 : 0] = (unsigned char)(v >> 8);
    p[little ? 0 : 1] = (unsigned char)v;
}

static void put32(unsigned char *h, int pos, uint32_t v, int little)
{
    unsigned char *p = h + pos - 1;
    for (int b = 0; b < 4; b++)
        p[little ? b : 3 - b] = (unsigned char)(v >> (8 * b));
}

/* A 3600-byte head: format, samples, interval 4000 us, revision 1 (0x0100), no extended headers. */
static void make_head(unsigned char *h, int format, int samples, int little)
{
    memset(h, 0, FC_SEGY_HEAD_BYTES);
    memset(h, 0x40, FC_SEGY_TEXT_BYTES); /* EBCDIC blanks */
    put16(h, 3217, 4000, little);
    put16(h, 3221, (unsigned)samples, little);
    put16(h, 3225, (unsigned)format, little);
    put16(h, 3501, 0x0100, little);
}

static fc_status binary(const unsigned char *h, int64_t size, fc_segy_layout *l, fc_error *err)
{
    fc_error_clear(err);
    return fc_segy_layout_binary(h, size, "f.sgy", l, err);
}

/* Positions are 1-based and fields big-endian, signed or not as named. */
static void test_field_readers(void **state)
{
    (void)state;
    const unsigned char h[] = {0x12, 0x34, 0x56, 0x78, 0xFF, 0xFE, 0x80, 0x00, 0x00, 0x01};
    assert_int_equal(fc_be_i32(h, 1), 0x12345678);
    assert_int_equal(fc_be_i32(h, 5), (int32_t)0xFFFE8000u); /* -98304 */
    assert_int_equal(fc_be_i16(h, 5), -2);
    assert_int_equal(fc_be_u16(h, 5), 65534u);
    assert_int_equal(fc_be_i16(h, 7), -32768);
    assert_int_equal(fc_be_u16(h, 9), 1u);
    assert_int_equal(fc_be_i16(h, 2), 0x3456);
}

/* Bytes per sample of every format code: the six facies reads, none for the rest. */
static void test_format_sizes(void **state)
{
    (void)state;
    static const int sizes[17] = {0, 4, 4, 2, 4, 4, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int f = 0; f <= 16; f++)
        if (fc_segy_format_bytes(f) != sizes[f])
            fail_msg("format %d: %d bytes, expected %d", f, fc_segy_format_bytes(f), sizes[f]);
    assert_int_equal(fc_segy_format_bytes(-1), 0);
    assert_int_equal(fc_segy_format_bytes(256), 0);
}

/* A big-endian IEEE file of 10 traces of 50 samples: trace0 3600, 440-byte traces, revision 1; the same fields
 * little-endian are read as little-endian; the rev 2 marker at 3297-3300 decides over the format code. */
static void test_layout_of_regular_files(void **state)
{
    (void)state;
    unsigned char h[FC_SEGY_HEAD_BYTES], th[FC_SEGY_TRACE_HEADER_BYTES] = {0};
    fc_segy_layout l;
    fc_error err;
    int64_t size = FC_SEGY_HEAD_BYTES + 10 * (240 + 50 * 4);
    for (int little = 0; little < 2; little++) {
        make_head(h, 5, 50, little);
        assert_int_equal(binary(h, size, &l, &err), FC_OK);
        assert_int_equal(l.byte_order, little ? FC_BYTE_ORDER_LITTLE : FC_BYTE_ORDER_BIG);
        assert_int_equal(l.format, 5);
        assert_int_equal(l.bytes_per_sample, 4);
        assert_int_equal(l.revision, 1);
        assert_int_equal(l.ext_headers, 0);
        assert_int_equal(l.trace0, 3600);
        assert_int_equal(l.sample_count, 50);
        assert_int_equal(l.binary_interval_us, 4000);
        assert_int_equal(fc_segy_layout_traces(&l, th, size, "f.sgy", &err), FC_OK);
        assert_int_equal(l.trace_bytes, 440);
        assert_int_equal(fc_segy_sample_bytes(&l), 200);
        assert_int_equal(l.trace_count, 10);
    }
    /* 2-byte integers, 1-byte integers: the trace size follows the format. */
    make_head(h, 3, 50, 0);
    assert_int_equal(binary(h, FC_SEGY_HEAD_BYTES + 7 * 340, &l, &err), FC_OK);
    assert_int_equal(fc_segy_layout_traces(&l, th, FC_SEGY_HEAD_BYTES + 7 * 340, "f.sgy", &err), FC_OK);
    assert_int_equal(l.trace_bytes, 340);
    assert_int_equal(l.trace_count, 7);
    make_head(h, 8, 50, 0);
    assert_int_equal(binary(h, FC_SEGY_HEAD_BYTES + 3 * 290, &l, &err), FC_OK);
    assert_int_equal(fc_segy_layout_traces(&l, th, FC_SEGY_HEAD_BYTES + 3 * 290, "f.sgy", &err), FC_OK);
    assert_int_equal(l.trace_count, 3);

    /* Marker 0x04030201 (little-endian) with the fields little-endian; 0x01020304 with them big-endian. */
    make_head(h, 1, 50, 1);
    put32(h, 3297, 0x01020304u, 1);
    assert_int_equal(binary(h, size, &l, &err), FC_OK);
    assert_int_equal(l.byte_order, FC_BYTE_ORDER_LITTLE);
    assert_int_equal(l.format, 1);
    make_head(h, 2, 50, 0);
    put32(h, 3297, 0x01020304u, 0);
    assert_int_equal(binary(h, size, &l, &err), FC_OK);
    assert_int_equal(l.byte_order, FC_BYTE_ORDER_BIG);

    /* Revisions: 0x0200 is 2; 1 and 2 as plain numbers (older files) are 1 and 2; 7 is garbage, read as 0. */
    static const unsigned revs[][2] = {{0x0200, 2}, {0x0201, 2}, {1, 1}, {2, 2}, {0, 0}, {7, 0}, {0x0300, 0}};
    for (size_t r = 0; r < sizeof revs / sizeof revs[0]; r++) {
        make_head(h, 5, 50, 0);
        put16(h, 3501, revs[r][0], 0);
        assert_int_equal(binary(h, size, &l, &err), FC_OK);
        if ((unsigned)l.revision != revs[r][1])
            fail_msg("revision field 0x%04x read as %d, expected %u", revs[r][0], l.revision, revs[r][1]);
    }

    /* Two extended textual headers move the first trace to 3600 + 2 * 3200. */
    make_head(h, 5, 50, 0);
    put16(h, 3505, 2, 0);
    assert_int_equal(binary(h, 10000 + 440, &l, &err), FC_OK);
    assert_int_equal(l.ext_headers, 2);
    assert_int_equal(l.trace0, 10000);
    assert_int_equal(fc_segy_layout_traces(&l, th, 10000 + 440, "f.sgy", &err), FC_OK);
    assert_int_equal(l.trace_count, 1);

    /* Rev 2: a sample count at 3269-3272 overrides 3221's; in rev 1 it is ignored. */
    make_head(h, 5, 50, 0);
    put32(h, 3269, 70000, 0);
    assert_int_equal(binary(h, size, &l, &err), FC_OK);
    assert_int_equal(l.sample_count, 50);
    put16(h, 3501, 0x0200, 0);
    assert_int_equal(binary(h, size, &l, &err), FC_OK);
    assert_int_equal(l.sample_count, 70000);

    /* No count in the binary header: the first trace's (bytes 115-116, big-endian as segyio gives it). */
    make_head(h, 5, 0, 0);
    assert_int_equal(binary(h, size, &l, &err), FC_OK);
    assert_int_equal(l.sample_count, 0);
    put16(th, 115, 50, 0);
    assert_int_equal(fc_segy_layout_traces(&l, th, size, "f.sgy", &err), FC_OK);
    assert_int_equal(l.sample_count, 50);
    assert_int_equal(l.trace_count, 10);
}

/* Refused with this status, the message naming the file and saying `text`. */
#define EXPECT(call, status, text)                                                                                     \
    do {                                                                                                               \
        assert_fails_with(call, status, err, text);                                                                    \
        assert_contains(err.message, "f.sgy");                                                                         \
    } while (0)

/* Every format code SEG-Y defines but facies does not read is refused as unsupported, by name; a code SEG-Y does
 * not define is a format error, as are implausible counts and a file shorter than its headers. */
static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        int format;
        const char *name;
    } unsupported[] = {{6, "(8-byte IEEE float)"},        {7, "(3-byte integer)"},
                       {9, "(8-byte integer)"},           {10, "(4-byte unsigned integer)"},
                       {11, "(2-byte unsigned integer)"}, {12, "(8-byte unsigned integer)"},
                       {15, "(3-byte unsigned integer)"}, {16, "(1-byte unsigned integer)"}};
    unsigned char h[FC_SEGY_HEAD_BYTES], th[FC_SEGY_TRACE_HEADER_BYTES] = {0};
    fc_segy_layout l;
    fc_error err;
    int64_t size = FC_SEGY_HEAD_BYTES + 10 * 440;
    for (size_t u = 0; u < sizeof unsupported / sizeof unsupported[0]; u++) {
        for (int little = 0; little < 2; little++) {
            make_head(h, unsupported[u].format, 50, little);
            EXPECT(binary(h, size, &l, &err), FC_ERR_UNSUPPORTED, unsupported[u].name);
            assert_contains(err.message, "byte 3225");
            assert_contains(err.message, "format 5");
        }
    }
    make_head(h, 13, 50, 0); /* 0x000d; read little-endian 0x0d00: defined neither way */
    EXPECT(binary(h, size, &l, &err), FC_ERR_FORMAT,
           "sample format code 13 is not a SEG-Y format in either byte order");
    make_head(h, 0, 50, 0);
    EXPECT(binary(h, size, &l, &err), FC_ERR_FORMAT, "is this a SEG-Y file?");
    make_head(h, 13, 50, 0);
    put32(h, 3297, 0x01020304u, 0); /* the order stated: the code is just not a format */
    EXPECT(binary(h, size, &l, &err), FC_ERR_FORMAT, "byte 3225: sample format code 13 is not a SEG-Y format");

    make_head(h, 5, 50, 0);
    put16(h, 3501, 0x0201, 0);
    put32(h, 3507, 1, 0);
    EXPECT(binary(h, size, &l, &err), FC_ERR_UNSUPPORTED, "bytes 3507-3510: 1 additional trace headers");
    make_head(h, 5, 50, 0);
    put16(h, 3505, 0xFFFF, 0); /* -1: "count them yourself" */
    EXPECT(binary(h, size, &l, &err), FC_ERR_UNSUPPORTED, "an unknown number (-1) of extended textual headers");
    put16(h, 3505, FC_SEGY_MAX_EXT_HEADERS + 1, 0);
    EXPECT(binary(h, size, &l, &err), FC_ERR_FORMAT, "4097 extended textual headers is not plausible");
    put16(h, 3505, FC_SEGY_MAX_EXT_HEADERS, 0);
    EXPECT(binary(h, size, &l, &err), FC_ERR_FORMAT, "shorter than its headers");
    make_head(h, 5, 50, 0);
    put16(h, 3501, 0x0200, 0);
    put32(h, 3269, FC_SEGY_MAX_SAMPLES + 1, 0);
    EXPECT(binary(h, size, &l, &err), FC_ERR_FORMAT, "1048577 samples per trace is more than facies accepts");
    make_head(h, 5, 50, 0);
    EXPECT(binary(h, 3599, &l, &err), FC_ERR_FORMAT, "file is 3599 bytes, shorter than its headers");

    /* Traces: none, a count of 0 everywhere, one that does not fit, a last one cut short. */
    make_head(h, 5, 50, 0);
    assert_int_equal(binary(h, size, &l, &err), FC_OK);
    fc_segy_layout keep = l;
    EXPECT(fc_segy_layout_traces(&l, th, 3600 + 239, "f.sgy", &err), FC_ERR_FORMAT, "holds no traces");
    l = keep;
    EXPECT(fc_segy_layout_traces(&l, NULL, size, "f.sgy", &err), FC_ERR_FORMAT, "holds no traces");
    l = keep;
    EXPECT(fc_segy_layout_traces(&l, th, 3600 + 439, "f.sgy", &err), FC_ERR_FORMAT,
           "trace 1 needs 440 bytes (50 samples of format 5) but only 439 remain");
    l = keep;
    EXPECT(fc_segy_layout_traces(&l, th, size + 100, "f.sgy", &err), FC_ERR_FORMAT,
           "trace 11 is truncated: the file ends 100 bytes into it");
    make_head(h, 5, 0, 0);
    assert_int_equal(binary(h, size, &l, &err), FC_OK);
    EXPECT(fc_segy_layout_traces(&l, th, size, "f.sgy", &err), FC_ERR_FORMAT,
           "sample count is 0 in the binary header (byte 3221) and in trace 1 (byte 115)");
}

/* Hand-worked bit patterns of each format (big-endian), decoded; and encoded back where the format is written. */
static void test_decode_and_encode(void **state)
{
    (void)state;
    /* IBM: 0x42640000 = +16^2 * 0x64/256 = 100; 0xC276A000 = -16^2 * 0x76A/4096 = -118.625; 0x40800000 = 16^0 * 8/16
     * = 0.5; 0x00000000 = 0; 0x80000000 (negative zero) = 0. */
    const unsigned char ibm[] = {0x42, 0x64, 0, 0, 0xC2, 0x76, 0xA0, 0, 0x40, 0x80, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0};
    float out[5];
    assert_int_equal(fc_segy_decode(1, ibm, 5, out), -1);
    assert_true(out[0] == 100.0f && out[1] == -118.625f && out[2] == 0.5f && out[3] == 0.0f && out[4] == 0.0f);
    unsigned char raw[20];
    const float ibm_values[] = {100.0f, -118.625f, 0.5f, 0.0f};
    fc_segy_encode(1, ibm_values, 4, raw);
    assert_memory_equal(raw, ibm, 16);

    const unsigned char i32[] = {0xFF, 0xFF, 0xFF, 0xFE, 0x00, 0x01, 0x00, 0x00};
    assert_int_equal(fc_segy_decode(2, i32, 2, out), -1);
    assert_true(out[0] == -2.0f && out[1] == 65536.0f);
    const unsigned char i16[] = {0x80, 0x00, 0x7F, 0xFF, 0xFF, 0x9C};
    assert_int_equal(fc_segy_decode(3, i16, 3, out), -1);
    assert_true(out[0] == -32768.0f && out[1] == 32767.0f && out[2] == -100.0f);
    const unsigned char i8[] = {0x80, 0x7F, 0xFD};
    assert_int_equal(fc_segy_decode(8, i8, 3, out), -1);
    assert_true(out[0] == -128.0f && out[1] == 127.0f && out[2] == -3.0f);
    const unsigned char ieee[] = {0x3F, 0xC0, 0, 0, 0xC1, 0x20, 0, 0};
    assert_int_equal(fc_segy_decode(5, ieee, 2, out), -1);
    assert_true(out[0] == 1.5f && out[1] == -10.0f);
    /* Fixed point with gain: byte 1 zero, byte 2 the gain exponent, bytes 3-4 the mantissa: 40 * 2^-3 = 5; -8 * 2^-1
     * = -4. A non-zero first byte is not a value of the format: its index comes back. */
    const unsigned char fixed[] = {0, 3, 0x00, 0x28, 0, 1, 0xFF, 0xF8, 1, 0, 0, 1};
    assert_int_equal(fc_segy_decode(4, fixed, 2, out), -1);
    assert_true(out[0] == 5.0f && out[1] == -4.0f);
    assert_int_equal(fc_segy_decode(4, fixed, 3, out), 2);

    /* Integers: rounded to nearest, clipped to the type, NaN written as 0. */
    const float ints[] = {1.4f, -2.6f, 40000.0f, -40000.0f, NAN};
    fc_segy_encode(3, ints, 5, raw);
    const unsigned char want16[] = {0, 1, 0xFF, 0xFD, 0x7F, 0xFF, 0x80, 0x00, 0, 0};
    assert_memory_equal(raw, want16, 10);
    fc_segy_encode(8, ints, 5, raw);
    const unsigned char want8[] = {1, 0xFD, 0x7F, 0x80, 0};
    assert_memory_equal(raw, want8, 5);
    fc_segy_encode(2, ints, 2, raw);
    const unsigned char want32[] = {0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFD};
    assert_memory_equal(raw, want32, 8);
    const float ieee_values[] = {1.5f, -10.0f};
    fc_segy_encode(5, ieee_values, 2, raw);
    assert_memory_equal(raw, ieee, 8);

    /* IBM round trip: the hexadecimal exponent leaves at least 21 bits of mantissa, so float -> IBM -> float is
     * within 2^-21 relative. */
    float *x = test_normal_floats(1000, 5), y[1000];
    unsigned char *b = malloc(4000);
    assert_non_null(x);
    assert_non_null(b);
    for (int i = 0; i < 1000; i++)
        x[i] *= powf(10.0f, (float)(i % 13 - 6));
    fc_segy_encode(1, x, 1000, b);
    fc_segy_decode(1, b, 1000, y);
    for (int i = 0; i < 1000; i++)
        if (fabsf(y[i] - x[i]) > ldexpf(fabsf(x[i]), -21))
            fail_msg("IBM round trip of %.9g gave %.9g", x[i], y[i]);
    free(x);
    free(b);
}

/* IBM decoding, every exponent with both signs and mantissas from the smallest to the largest: the value the
 * format defines, mant 16^(exp - 64) / 2^24 (by ldexp here), rounded to float, to the bit; underflow to 0 and
 * overflow to infinity as that rounding gives. */
static void test_ibm_every_exponent(void **state)
{
    (void)state;
    const uint32_t mants[] = {1, 0x0F, 0x10, 0x7FFF, 0x100000, 0x123456, 0x800000, 0xABCDEF, 0xFFFFFF};
    enum { NM = (int)(sizeof mants / sizeof mants[0]) };
    for (uint32_t sign = 0; sign < 2; sign++)
        for (uint32_t e = 0; e < 128; e++)
            for (int m = 0; m < NM; m++) {
                uint32_t u = sign << 31 | e << 24 | mants[m];
                unsigned char raw[4] = {(unsigned char)(u >> 24), (unsigned char)(u >> 16), (unsigned char)(u >> 8),
                                        (unsigned char)u};
                float got, want = (float)ldexp((double)mants[m], 4 * ((int)e - 64) - 24);
                want = sign ? -want : want;
                fc_segy_decode(1, raw, 1, &got);
                if (memcmp(&got, &want, sizeof got) != 0)
                    fail_msg("IBM %08x decoded as %.9g, not %.9g", (unsigned)u, got, want);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_readers),           cmocka_unit_test(test_format_sizes),
        cmocka_unit_test(test_layout_of_regular_files), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_decode_and_encode),       cmocka_unit_test(test_ibm_every_exponent),
    };
    return cmocka_run_group_tests_name("segy_layout", tests, NULL, NULL);
}
