/* facies — reading SEG-Y surveys.
 *
 * A survey is opened once; its geometry is built from the trace headers
 * (never inferred from assumptions about regularity), so irregular volumes
 * with missing traces, either sorting, custom header bytes and 2-D lines all
 * read the same way. Samples are read a section (or a time window of one) at
 * a time: memory stays bounded by a section, whatever the volume size.
 *
 * Indexing: inline and crossline *indices* are 0-based positions on the
 * survey's grid; inline and crossline *numbers* are the header values.
 * Sample indices are 0-based. Times are in milliseconds.
 *
 * A survey handle is not thread-safe: open one handle per thread.
 */
#ifndef FACIES_SURVEY_H
#define FACIES_SURVEY_H

#include <stdint.h>

#include "facies/error.h"

/* The fixed parts of a SEG-Y file, in bytes: the textual header, the binary header, both (the head), and each
 * trace's header. */
#define FC_SEGY_TEXT_BYTES 3200
#define FC_SEGY_BINARY_BYTES 400
#define FC_SEGY_HEAD_BYTES 3600
#define FC_SEGY_TRACE_HEADER_BYTES 240

#ifdef __cplusplus
extern "C" {
#endif

/* Sample formats, numbered as in the SEG-Y binary header (byte 3225). */
typedef enum fc_sample_format {
    FC_SAMPLE_FORMAT_IBM = 1,        /* 4-byte IBM float */
    FC_SAMPLE_FORMAT_INT32 = 2,      /* 4-byte two's complement integer */
    FC_SAMPLE_FORMAT_INT16 = 3,      /* 2-byte two's complement integer */
    FC_SAMPLE_FORMAT_FIXED_GAIN = 4, /* 4-byte fixed point with gain (obsolete) */
    FC_SAMPLE_FORMAT_IEEE = 5,       /* 4-byte IEEE float */
    FC_SAMPLE_FORMAT_INT8 = 8,       /* 1-byte two's complement integer */
} fc_sample_format;

typedef enum fc_byte_order {
    FC_BYTE_ORDER_BIG = 0,
    FC_BYTE_ORDER_LITTLE = 1,
} fc_byte_order;

typedef enum fc_survey_kind {
    FC_SURVEY_KIND_3D = 0, /* post-stack volume on an inline/crossline grid */
    FC_SURVEY_KIND_2D = 1, /* one line: traces in file order, x = CDP number */
} fc_survey_kind;

/* How traces follow each other in the file. */
typedef enum fc_sorting {
    FC_SORTING_INLINE = 0,    /* crossline varies fastest */
    FC_SORTING_CROSSLINE = 1, /* inline varies fastest */
    FC_SORTING_UNSORTED = 2,  /* neither: still readable through the grid */
    FC_SORTING_LINE = 3,      /* a 2-D line */
} fc_sorting;

/* Which section: numbered as in /positions of patches.h5. */
typedef enum fc_orientation {
    FC_ORIENTATION_INLINE = 0,    /* one inline: traces along crosslines */
    FC_ORIENTATION_CROSSLINE = 1, /* one crossline: traces along inlines */
    FC_ORIENTATION_LINE = 2,      /* the one section of a 2-D line */
} fc_orientation;

typedef enum fc_geometry_mode {
    FC_GEOMETRY_AUTO = 0, /* 3-D unless every trace has the same inline/crossline */
    FC_GEOMETRY_3D = 1,
    FC_GEOMETRY_2D = 2,
} fc_geometry_mode;

typedef struct fc_survey_options {
    int iline_byte;        /* 1-based byte of the 4-byte inline number (189) */
    int xline_byte;        /* 1-based byte of the 4-byte crossline number (193) */
    int cdp_byte;          /* 1-based byte of the 2-D trace number (21) */
    fc_geometry_mode mode; /* FC_GEOMETRY_AUTO */
    int x_byte, y_byte;    /* bytes of the 4-byte X and Y coordinates (0: CDP X/Y at 181/185, or source X/Y at
                            * 73/77 when every CDP X/Y is zero; see coords.h) */
} fc_survey_options;

/* Defaults: bytes 189, 193, 21, automatic geometry, coordinates found as coords.h says. */
fc_survey_options fc_survey_options_default(void);

/* Where the sample interval came from. */
typedef enum fc_interval_source {
    FC_INTERVAL_BINARY_HEADER = 0, /* bytes 3217-3218 */
    FC_INTERVAL_TRACE_HEADER = 1,  /* bytes 117-118 of the first trace */
    FC_INTERVAL_ASSUMED = 2,       /* neither set: 4 ms assumed */
} fc_interval_source;

/* Facts about an open survey. Pointers stay valid while the survey is open. */
typedef struct fc_survey_info {
    const char *path;
    fc_survey_kind kind;
    fc_sample_format format;
    fc_byte_order byte_order;
    fc_sorting sorting;
    int revision;              /* SEG-Y revision major number (0, 1 or 2) */
    int64_t file_size;         /* bytes */
    int64_t trace0;            /* byte offset of the first trace header */
    int trace_bytes;           /* header plus samples */
    int64_t trace_count;       /* traces in the file */
    int sample_count;          /* samples per trace */
    double sample_interval_ms; /* > 0 */
    fc_interval_source interval_source;
    double start_time_ms;             /* time of sample 0, from delay recording time (109) and scalar (215) */
    int extended_text_headers;        /* 3200-byte records after the binary header */
    int inline_count;                 /* grid size along inlines (1 for a 2-D line) */
    int crossline_count;              /* grid size along crosslines (traces for a 2-D line) */
    int inline_step;                  /* header increment between grid inlines (0 when one) */
    int crossline_step;               /* likewise for crosslines; 0 for a 2-D line */
    const int32_t *inline_numbers;    /* [inline_count] header values of the grid */
    const int32_t *crossline_numbers; /* [crossline_count] (CDP numbers for 2-D) */
    int64_t missing_traces;           /* grid cells with no trace in the file */
    int iline_byte, xline_byte, cdp_byte;
} fc_survey_info;

typedef struct fc_survey fc_survey;

/* Open a SEG-Y file and build its geometry from the trace headers.
 * opt may be NULL (defaults). On success *out owns the survey: free it with
 * fc_survey_close. Refuses, with the reason in err: unreadable or truncated
 * files, sample formats 6, 7, 9-12, 15, 16, rev 2.1 trace header extensions,
 * pre-stack gathers, and headers whose values do not fit the file size. */
fc_status fc_survey_open(fc_survey **out, const char *path, const fc_survey_options *opt, fc_error *err);

/* Close and free. NULL is accepted. */
void fc_survey_close(fc_survey *s);

/* Geometry and format facts; valid until fc_survey_close. */
const fc_survey_info *fc_survey_get_info(const fc_survey *s);

/* Trace index in the file of grid cell (inline index, crossline index),
 * or -1 when the cell has no trace or the indices are outside the grid. */
int64_t fc_survey_trace_at(const fc_survey *s, int inline_index, int crossline_index);

/* The cells of one inline (for a 2-D line, index 0): the trace index of each crossline index (crossline_count of
 * them, -1 where no trace), and in *traces how many traces the inline has; NULL and 0 outside the grid. Walking a
 * sparse grid line by line skips the empty lines. Valid until fc_survey_close. */
const int64_t *fc_survey_inline_traces(const fc_survey *s, int inline_index, int *traces);

/* Grid index of a header line number, or -1 if that number is not on the grid.
 * For 2-D lines, crossline numbers are CDP numbers. */
int fc_survey_inline_index(const fc_survey *s, int32_t inline_number);
int fc_survey_crossline_index(const fc_survey *s, int32_t crossline_number);

/* Number of traces in a section of that orientation (crossline_count for an
 * inline or a 2-D line, inline_count for a crossline) and the number of
 * sections of that orientation; 0 for an orientation the survey lacks. */
int fc_survey_section_width(const fc_survey *s, fc_orientation o);
int fc_survey_section_count(const fc_survey *s, fc_orientation o);

/* Read one whole trace (sample_count floats, caller-sized) by file index.
 * Non-finite samples (NaN, Inf) are replaced by 0 and counted. */
fc_status fc_survey_read_trace(fc_survey *s, int64_t trace, float *out, fc_error *err);

/* Read samples [sample_start, sample_start + nsamples) of every trace of a
 * section into out, trace-major: out[t * nsamples + k]. The caller sizes out
 * for fc_survey_section_width(o) * nsamples floats and present (optional)
 * for fc_survey_section_width(o) bytes. Missing traces read as zeros with
 * present[t] = 0. */
fc_status fc_survey_read_section(fc_survey *s, fc_orientation o, int line_index, int sample_start, int nsamples,
                                 float *out, unsigned char *present, fc_error *err);

/* The 240-byte trace header of a trace, with every standard field in
 * big-endian order whatever the file's byte order (read 4-byte fields with
 * fc_header_i32). */
fc_status fc_survey_read_trace_header(fc_survey *s, int64_t trace, unsigned char out[FC_SEGY_TRACE_HEADER_BYTES],
                                      fc_error *err);

/* The 3200-byte textual header as stored (EBCDIC or ASCII) and the
 * 400-byte binary header as stored (the file's own byte order). */
const unsigned char *fc_survey_text_header(const fc_survey *s);
const unsigned char *fc_survey_binary_header(const fc_survey *s);

/* A big-endian integer field of a header, at 1-based byte pos (4 or 2 bytes). */
int32_t fc_header_i32(const unsigned char *header, int pos);
int32_t fc_header_i16(const unsigned char *header, int pos);

/* Non-finite samples replaced by zero so far by reads on this handle. */
int64_t fc_survey_nonfinite_count(const fc_survey *s);

/* Amplitude statistics from a bounded, evenly spread subset of traces. */
typedef struct fc_amplitude_stats {
    int64_t traces_used;
    int64_t samples_used;
    double min, max, mean, rms;
    double p01, p1, p5, p50, p95, p99, p999; /* percentiles of amplitude: 0.1, 1, 5, ... 99.9 */
    double abs_p99, abs_p999;                /* percentiles of |amplitude| */
} fc_amplitude_stats;

/* Reads at most max_traces live traces (evenly spread over the file, but at
 * most 4 Mi samples in all) and computes their statistics. */
fc_status fc_survey_amplitude_stats(fc_survey *s, int max_traces, fc_amplitude_stats *out, fc_error *err);

/* Human-readable names ("ibm-float", "big-endian", "inline", ...). */
const char *fc_sample_format_name(fc_sample_format f);
const char *fc_byte_order_name(fc_byte_order b);
const char *fc_sorting_name(fc_sorting s);
const char *fc_survey_kind_name(fc_survey_kind k);

/* Which sections of a 3-D survey a verb cuts or sweeps (bit mask): inlines, crosslines or both. */
enum { FC_CUT_INLINE = 1, FC_CUT_CROSSLINE = 2 };

/* Fingerprint of a survey file: FNV-1a 64 of its size and 3600-byte head, as 16 hex digits. */
void fc_survey_fingerprint(const fc_survey *s, char out[17]);

#ifdef __cplusplus
}
#endif

#endif
