/* Internal: the layout of a SEG-Y file from its binary header and file size.
 * Pure functions over bytes (no I/O), so the header logic can be fuzzed and
 * so that no header value reaches segyio before it has been checked. */
#ifndef FACIES_SEGY_LAYOUT_H
#define FACIES_SEGY_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "facies/error.h"
#include "facies/survey.h"

/* Upper bound on samples per trace accepted from a header (rev 2 allows 2^31). */
#define FC_SEGY_MAX_SAMPLES (1 << 20)
/* Upper bound on extended textual headers accepted from a header. */
#define FC_SEGY_MAX_EXT_HEADERS 4096

typedef struct fc_segy_layout {
    fc_byte_order byte_order;
    int format; /* SEG-Y format code, one of the supported ones */
    int bytes_per_sample;
    int revision; /* major */
    int ext_headers;
    int64_t trace0;
    int sample_count;
    int binary_interval_us; /* 0 when unset; unsigned 16-bit (up to 65,535 us) */
    int trace_bytes;
    int64_t trace_count;
} fc_segy_layout;

/* Big-endian readers of header fields (segyio hands headers back big-endian;
 * raw headers are converted first with fc_segy_to_big_endian). pos is the
 * 1-based SEG-Y byte number relative to the start of the header given. */
int32_t fc_be_i32(const unsigned char *h, int pos);
int32_t fc_be_i16(const unsigned char *h, int pos);
uint32_t fc_be_u16(const unsigned char *h, int pos);

/* Step 1: from the first 3600 bytes as stored, find byte order, format,
 * revision, extended textual headers and trace0. path names the file in err. */
fc_status fc_segy_layout_binary(const unsigned char head[FC_SEGY_HEAD_BYTES], int64_t file_size, const char *path,
                                fc_segy_layout *out, fc_error *err);

/* Step 2: given the first trace header (big-endian, 240 bytes, or NULL when
 * the file has none), settle sample count, trace size and trace count. */
fc_status fc_segy_layout_traces(fc_segy_layout *l, const unsigned char *trace_header_be, int64_t file_size,
                                const char *path, fc_error *err);

/* Bytes of samples in one trace (segyio's trace_bsize: without the header). */
static inline int fc_segy_sample_bytes(const fc_segy_layout *l)
{
    return l->trace_bytes - FC_SEGY_TRACE_HEADER_BYTES;
}

/* Bytes per sample of a SEG-Y format code, 0 if the code is not one facies reads. */
int fc_segy_format_bytes(int format);

/* Convert raw sample bytes (big-endian, as segyio returns them) to floats.
 * Returns the index of the first sample that is not a valid value of the
 * format (only format 4 can have such), or -1 when all are valid. */
long fc_segy_decode(int format, const unsigned char *raw, long n, float *out);

/* Encode floats as big-endian sample bytes of a format (1, 2, 3, 5 or 8);
 * integers are rounded to nearest and clipped to the type's range. */
void fc_segy_encode(int format, const float *in, long n, unsigned char *raw);

#endif
