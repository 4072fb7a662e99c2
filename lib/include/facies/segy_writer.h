/* facies — writing SEG-Y files.
 *
 * A writer fills a temporary file `<path>.partial` and only fc_segy_writer_commit
 * renames it to `<path>`: an interrupted or failed run never leaves a
 * half-written file under the final name, and never damages an existing one.
 *
 * Two ways to start: from a template survey (the output copies its textual,
 * binary and trace headers, trace for trace, and takes new samples in a chosen
 * format), or from scratch with headers the caller builds.
 */
#ifndef FACIES_SEGY_WRITER_H
#define FACIES_SEGY_WRITER_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/survey.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fc_segy_writer fc_segy_writer;

/* Start a file shaped like `like`: same byte order, headers and trace count.
 * format is the new sample format (1, 2, 3, 5 or 8). text, if not NULL, is up
 * to 3200 ASCII characters (40 lines of 80) that replace the textual header,
 * stored as EBCDIC. The template stays owned by the caller and must stay open
 * while traces are copied from it. */
fc_status fc_segy_writer_open_like(fc_segy_writer **out, const char *path, fc_survey *like, fc_sample_format format,
                                   const char *text, fc_error *err);

/* Continue an interrupted writer: reopen `<path>.partial` (made by
 * fc_segy_writer_open_like with the same template and format) for more traces. */
fc_status fc_segy_writer_resume(fc_segy_writer **out, const char *path, fc_survey *like, fc_sample_format format,
                                fc_error *err);

/* Push what was written to the operating system (for resumable runs). */
fc_status fc_segy_writer_flush(fc_segy_writer *w, fc_error *err);

/* Start a file from scratch. head is the 3600-byte textual and binary header
 * exactly as it is to be stored (see fc_segy_head_init), in byte order `order`;
 * its sample count, format and extended-header count decide the trace size. */
fc_status fc_segy_writer_create(fc_segy_writer **out, const char *path, const unsigned char head[FC_SEGY_HEAD_BYTES],
                                fc_byte_order order, fc_error *err);

/* Write trace `trace` (0-based): a 240-byte header with standard fields in
 * big-endian order (as fc_survey_read_trace_header gives them) and
 * sample_count samples. Traces may be written in any order. */
fc_status fc_segy_writer_put(fc_segy_writer *w, int64_t trace, const unsigned char header[FC_SEGY_TRACE_HEADER_BYTES],
                             const float *samples, fc_error *err);

/* For writers made with fc_segy_writer_open_like: write trace `trace` with
 * the template's header for that trace. */
fc_status fc_segy_writer_put_like(fc_segy_writer *w, int64_t trace, const float *samples, fc_error *err);

/* Several processes, one file (MPI apply): one process creates the file,
 * writes every header with put_header and sizes it with reserve; the others
 * open it with fc_segy_writer_resume, put their own traces and end with
 * close_shared, which leaves the file for the creator to commit. */
fc_status fc_segy_writer_put_header(fc_segy_writer *w, int64_t trace,
                                    const unsigned char header[FC_SEGY_TRACE_HEADER_BYTES], fc_error *err);
fc_status fc_segy_writer_reserve(fc_segy_writer *w, int64_t traces, fc_error *err);
fc_status fc_segy_writer_close_shared(fc_segy_writer *w, fc_error *err);

/* Flush, sync and rename the temporary file to the final name: finish, then publish. A caller committing several
 * files finishes them all before publishing any, so that a failure (disk full) replaces none of the old ones. */
fc_status fc_segy_writer_commit(fc_segy_writer *w, fc_error *err);
fc_status fc_segy_writer_finish(fc_segy_writer *w, fc_error *err);  /* close and sync the temporary file */
fc_status fc_segy_writer_publish(fc_segy_writer *w, fc_error *err); /* rename it to the final name */

/* Free; an uncommitted temporary file is removed. NULL is accepted. */
void fc_segy_writer_destroy(fc_segy_writer *w);

/* Fill a 3600-byte head: text (ASCII, up to 3200 characters, NULL for
 * blank) as EBCDIC, and a SEG-Y rev 1 binary header with the sample interval
 * (microseconds), sample count and format, in the given byte order. */
void fc_segy_head_init(unsigned char head[FC_SEGY_HEAD_BYTES], const char *text, int sample_count, int interval_us,
                       fc_sample_format format, fc_byte_order order);

/* Assemble a 3200-character textual header (plus NUL, text sized 3201) from n <= 39 lines, each cut or
 * padded to 80 columns; the lines after them read "Cnn" and the last "C40 END TEXTUAL HEADER". */
void fc_segy_text_lines(const char *const *lines, int n, char *text);

/* Set a big-endian 4- or 2-byte field of a trace header at 1-based byte pos. */
void fc_header_set_i32(unsigned char *header, int pos, int32_t value);
void fc_header_set_i16(unsigned char *header, int pos, int32_t value);

/* ASCII to EBCDIC (code page 037) of n bytes, in place; unknown bytes become spaces. */
void fc_ascii_to_ebcdic(unsigned char *buf, size_t n);
/* EBCDIC (037) to ASCII of n bytes, in place; unmapped bytes become spaces. */
void fc_ebcdic_to_ascii(unsigned char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
