#include "segy_layout.h"

#include <math.h>
#include <string.h>

#include "fail.h"

int32_t fc_be_i32(const unsigned char *h, int pos)
{
    const unsigned char *p = h + pos - 1;
    uint32_t u = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (int32_t)u;
}

int32_t fc_be_i16(const unsigned char *h, int pos)
{
    const unsigned char *p = h + pos - 1;
    return (int16_t)(uint16_t)((unsigned)p[0] << 8 | p[1]);
}

uint32_t fc_be_u16(const unsigned char *h, int pos)
{
    const unsigned char *p = h + pos - 1;
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t le_u16(const unsigned char *h, int pos)
{
    const unsigned char *p = h + pos - 1;
    return (uint32_t)p[1] << 8 | p[0];
}

static int32_t le_i32(const unsigned char *h, int pos)
{
    const unsigned char *p = h + pos - 1;
    uint32_t u = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
    return (int32_t)u;
}

int fc_segy_format_bytes(int format)
{
    switch (format) {
    case 1:
    case 2:
    case 4:
    case 5: return 4;
    case 3: return 2;
    case 8: return 1;
    default: return 0;
    }
}

/* Format codes defined by SEG-Y rev 2; facies reads the ones with a size above. */
static int format_defined(int format)
{
    return (format >= 1 && format <= 12) || format == 15 || format == 16;
}

static const char *unsupported_format_name(int format)
{
    switch (format) {
    case 6: return "8-byte IEEE float";
    case 7: return "3-byte integer";
    case 9: return "8-byte integer";
    case 10: return "4-byte unsigned integer";
    case 11: return "2-byte unsigned integer";
    case 12: return "8-byte unsigned integer";
    case 15: return "3-byte unsigned integer";
    case 16: return "1-byte unsigned integer";
    default: return "undefined";
    }
}

/* Field readers for the detected byte order, on the whole 3600-byte head. */
static int32_t head_i16(const unsigned char *h, int pos, fc_byte_order o)
{
    return o == FC_BYTE_ORDER_BIG ? fc_be_i16(h, pos) : (int16_t)(uint16_t)le_u16(h, pos);
}

static uint32_t head_u16(const unsigned char *h, int pos, fc_byte_order o)
{
    return o == FC_BYTE_ORDER_BIG ? fc_be_u16(h, pos) : le_u16(h, pos);
}

static int32_t head_i32(const unsigned char *h, int pos, fc_byte_order o)
{
    return o == FC_BYTE_ORDER_BIG ? fc_be_i32(h, pos) : le_i32(h, pos);
}

static fc_status detect_byte_order(const unsigned char *h, const char *path, fc_byte_order *out, fc_error *err)
{
    /* SEG-Y rev 2 states the order outright at bytes 3297-3300. */
    uint32_t marker = (uint32_t)fc_be_i32(h, 3297);
    if (marker == 0x01020304u) {
        *out = FC_BYTE_ORDER_BIG;
        return FC_OK;
    }
    if (marker == 0x04030201u) {
        *out = FC_BYTE_ORDER_LITTLE;
        return FC_OK;
    }
    /* Otherwise the format code decides: a code in 1..16 read one way is
     * 256 or more read the other way, so at most one reading is defined. */
    int big = (int)fc_be_u16(h, 3225), little = (int)le_u16(h, 3225);
    if (format_defined(big)) {
        *out = FC_BYTE_ORDER_BIG;
        return FC_OK;
    }
    if (format_defined(little)) {
        *out = FC_BYTE_ORDER_LITTLE;
        return FC_OK;
    }
    return fc_fail(err, FC_ERR_FORMAT,
                   "%s: byte 3225: sample format code %d is not a SEG-Y format in either byte order; "
                   "is this a SEG-Y file?",
                   path, big);
}

fc_status fc_segy_layout_binary(const unsigned char head[FC_SEGY_HEAD_BYTES], int64_t file_size, const char *path,
                                fc_segy_layout *out, fc_error *err)
{
    fc_segy_layout l;
    memset(&l, 0, sizeof l);
    fc_status st = detect_byte_order(head, path, &l.byte_order, err);
    if (st)
        return st;
    fc_byte_order o = l.byte_order;

    l.format = (int)head_u16(head, 3225, o);
    if (!format_defined(l.format))
        return fc_fail(err, FC_ERR_FORMAT, "%s: byte 3225: sample format code %d is not a SEG-Y format", path,
                       l.format);
    l.bytes_per_sample = fc_segy_format_bytes(l.format);
    if (!l.bytes_per_sample)
        return fc_fail(err, FC_ERR_UNSUPPORTED,
                       "%s: byte 3225: sample format %d (%s) is not supported; convert the file to "
                       "IEEE float (format 5) or IBM float (format 1)",
                       path, l.format, unsupported_format_name(l.format));

    /* Revision: 0x0100 is rev 1; files that predate rev 1 often hold 1 or 2 here. */
    uint32_t rev = head_u16(head, 3501, o);
    l.revision = rev >= 0x100 ? (int)(rev >> 8) : (rev <= 2 ? (int)rev : 0);
    if (l.revision > 2)
        l.revision = 0; /* garbage in an old file's unassigned area */

    if (l.revision >= 2) {
        int32_t extra = head_i32(head, 3507, o);
        if (extra != 0)
            return fc_fail(err, FC_ERR_UNSUPPORTED,
                           "%s: bytes 3507-3510: %d additional trace headers per trace (SEG-Y rev 2.1 "
                           "extensions) are not supported",
                           path, (int)extra);
    }

    /* Honoured in any revision: older writers set it too, and segyio does. */
    int ext = head_i16(head, 3505, o);
    if (ext < 0)
        return fc_fail(err, FC_ERR_UNSUPPORTED,
                       "%s: bytes 3505-3506: an unknown number (%d) of extended textual headers is not "
                       "supported; set the count in the binary header",
                       path, ext);
    if (ext > FC_SEGY_MAX_EXT_HEADERS)
        return fc_fail(err, FC_ERR_FORMAT, "%s: bytes 3505-3506: %d extended textual headers is not plausible", path,
                       ext);
    l.ext_headers = ext;
    l.trace0 = FC_SEGY_HEAD_BYTES + (int64_t)ext * FC_SEGY_TEXT_BYTES;

    long samples = (long)head_u16(head, 3221, o);
    if (l.revision >= 2) {
        int32_t ext_samples = head_i32(head, 3269, o);
        if (ext_samples > 0)
            samples = ext_samples;
    }
    l.sample_count = samples > FC_SEGY_MAX_SAMPLES ? -1 : (int)samples;
    if (l.sample_count < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: binary header: %ld samples per trace is more than facies accepts (%d)",
                       path, samples, FC_SEGY_MAX_SAMPLES);
    l.binary_interval_us = (int)head_u16(head, 3217, o); /* unsigned: up to 65,535 us */

    if (file_size < l.trace0)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: file is %lld bytes, shorter than its headers (%lld bytes with %d extended "
                       "textual headers); the file is truncated",
                       path, (long long)file_size, (long long)l.trace0, ext);
    *out = l;
    return FC_OK;
}

fc_status fc_segy_layout_traces(fc_segy_layout *l, const unsigned char *th, int64_t file_size, const char *path,
                                fc_error *err)
{
    int64_t data = file_size - l->trace0;
    if (data < FC_SEGY_TRACE_HEADER_BYTES || !th)
        return fc_fail(err, FC_ERR_FORMAT, "%s: the file holds no traces after its %lld header bytes", path,
                       (long long)l->trace0);
    if (l->sample_count == 0) {
        /* Binary header left it unset: take the first trace's count (bytes 115-116). */
        l->sample_count = (int)fc_be_u16(th, 115);
        if (l->sample_count == 0)
            return fc_fail(err, FC_ERR_FORMAT,
                           "%s: sample count is 0 in the binary header (byte 3221) and in trace 1 (byte 115)", path);
    }
    int64_t tb = FC_SEGY_TRACE_HEADER_BYTES + (int64_t)l->sample_count * l->bytes_per_sample;
    if (tb > data)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: trace 1 needs %lld bytes (%d samples of format %d) but only %lld remain; "
                       "the sample count in the binary header (byte 3221) is wrong or the file is truncated",
                       path, (long long)tb, l->sample_count, l->format, (long long)data);
    l->trace_bytes = (int)tb;
    l->trace_count = data / tb;
    int64_t rest = data % tb;
    if (rest != 0)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: trace %lld is truncated: the file ends %lld bytes into it (each trace is %lld "
                       "bytes); the file was cut short or traces vary in length",
                       path, (long long)(l->trace_count + 1), (long long)rest, (long long)tb);
    return FC_OK;
}

/* 2^e for -1022 <= e <= 1023, built from its bits (ldexp's call cost most of a trace's decoding). */
static double pow2(int e)
{
    uint64_t bits = (uint64_t)(1023 + e) << 52;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* mant 16^(exp - 64) / 2^24: the product of a 24-bit integer and a power of two (2^-280 to 2^228) is exact in
 * double, as ldexp's is, and rounds to float the same way. */
static float ibm_to_float(uint32_t u)
{
    uint32_t mant = u & 0x00ffffffu;
    if (mant == 0)
        return 0.0f;
    int exp16 = (int)((u >> 24) & 0x7f) - 64;
    double v = (double)mant * pow2(4 * exp16 - 24);
    return (float)((u & 0x80000000u) ? -v : v);
}

static uint32_t float_to_ibm(float f)
{
    if (!(f == f) || f == 0.0f)
        return 0;
    uint32_t sign = f < 0 ? 0x80000000u : 0;
    double a = fabs((double)f);
    int e2;
    frexp(a, &e2); /* a = m * 2^e2, m in [0.5, 1) */
    int e16 = e2 >= 0 ? (e2 + 3) / 4 : -((-e2) / 4);
    double frac = ldexp(a, -4 * e16); /* in [1/16, 1) */
    while (frac >= 1.0) {
        frac /= 16.0;
        e16++;
    }
    while (frac < 1.0 / 16.0) {
        frac *= 16.0;
        e16--;
    }
    uint32_t mant = (uint32_t)lround(ldexp(frac, 24));
    if (mant >= (1u << 24)) {
        mant >>= 4;
        e16++;
    }
    if (e16 + 64 > 127)
        return sign | 0x7fffffffu;
    if (e16 + 64 < 0)
        return 0;
    return sign | (uint32_t)(e16 + 64) << 24 | mant;
}

static uint32_t be_u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be_u32(unsigned char *p, uint32_t u)
{
    p[0] = (unsigned char)(u >> 24);
    p[1] = (unsigned char)(u >> 16);
    p[2] = (unsigned char)(u >> 8);
    p[3] = (unsigned char)u;
}

long fc_segy_decode(int format, const unsigned char *raw, long n, float *out)
{
    long bad = -1;
    for (long i = 0; i < n; i++) {
        switch (format) {
        case 1: out[i] = ibm_to_float(be_u32(raw + 4 * i)); break;
        case 2: out[i] = (float)(int32_t)be_u32(raw + 4 * i); break;
        case 3: out[i] = (float)(int16_t)(uint16_t)(raw[2 * i] << 8 | raw[2 * i + 1]); break;
        case 4: {
            const unsigned char *p = raw + 4 * i;
            if (p[0] != 0 && bad < 0)
                bad = i;
            int16_t m = (int16_t)(uint16_t)(p[2] << 8 | p[3]);
            out[i] = (float)ldexp((double)m, -(int)p[1]);
            break;
        }
        case 5: {
            uint32_t u = be_u32(raw + 4 * i);
            float f;
            memcpy(&f, &u, sizeof f);
            out[i] = f;
            break;
        }
        case 8: out[i] = (float)(signed char)raw[i]; break;
        default: out[i] = 0.0f; break;
        }
    }
    return bad;
}

static long clip_round(float v, long lo, long hi)
{
    if (!(v == v))
        return 0;
    double r = nearbyint((double)v);
    if (r < (double)lo)
        return lo;
    if (r > (double)hi)
        return hi;
    return (long)r;
}

void fc_segy_encode(int format, const float *in, long n, unsigned char *raw)
{
    for (long i = 0; i < n; i++) {
        switch (format) {
        case 1: put_be_u32(raw + 4 * i, float_to_ibm(in[i])); break;
        case 2: put_be_u32(raw + 4 * i, (uint32_t)(int32_t)clip_round(in[i], INT32_MIN, INT32_MAX)); break;
        case 3: {
            uint16_t u = (uint16_t)(int16_t)clip_round(in[i], INT16_MIN, INT16_MAX);
            raw[2 * i] = (unsigned char)(u >> 8);
            raw[2 * i + 1] = (unsigned char)u;
            break;
        }
        case 5: {
            uint32_t u;
            memcpy(&u, &in[i], sizeof u);
            put_be_u32(raw + 4 * i, u);
            break;
        }
        case 8: raw[i] = (unsigned char)(signed char)clip_round(in[i], -128, 127); break;
        default: memset(raw + (long)fc_segy_format_bytes(format) * i, 0, (size_t)fc_segy_format_bytes(format)); break;
        }
    }
}
