#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facies/files.h"
#include "facies/segy_writer.h"
#include "fail.h"
#include "folder.h"
#include "survey_impl.h"

struct fc_segy_writer {
    segy_file *fp;
    char *path, *partial;
    fc_segy_layout layout;
    fc_survey *like;
    unsigned char *raw;
    int created, committed;
};

static fc_status writer_alloc(fc_segy_writer **out, const char *path, fc_error *err)
{
    fc_segy_writer *w = calloc(1, sizeof *w);
    size_t n = strlen(path) + sizeof ".partial";
    if (w) {
        w->path = strdup(path);
        w->partial = malloc(n);
    }
    if (!w || !w->path || !w->partial) {
        fc_segy_writer_destroy(w);
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    }
    fc_partial_name(path, w->partial, n);
    *out = w;
    return FC_OK;
}

/* Write the head with stdio (segyio would re-encode the text), then reopen with segyio for traces. */
static fc_status writer_start(fc_segy_writer *w, const unsigned char *head, int ext_headers, const unsigned char *ext,
                              fc_error *err)
{
    fc_partial_unlink(w->partial);
    FILE *f = fopen(w->partial, "wb");
    if (!f)
        return fc_fail(err, FC_ERR_IO, "%s: cannot create: %s", w->partial, strerror(errno));
    w->created = 1;
    int ok = fwrite(head, 1, FC_SEGY_HEAD_BYTES, f) == FC_SEGY_HEAD_BYTES;
    if (ok && ext_headers > 0)
        ok = fwrite(ext, FC_SEGY_TEXT_BYTES, (size_t)ext_headers, f) == (size_t)ext_headers;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok)
        return fc_fail(err, FC_ERR_IO, "%s: cannot write headers: %s", w->partial, strerror(errno));
    w->fp = segy_open(w->partial, "r+b");
    if (!w->fp)
        return fc_fail(err, FC_ERR_IO, "%s: cannot reopen: %s", w->partial, strerror(errno));
    segy_set_format(w->fp, fc_segyio_flags(w->layout.format, w->layout.byte_order));
    w->raw = malloc((size_t)fc_segy_sample_bytes(&w->layout));
    if (!w->raw)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", w->path);
    return FC_OK;
}

static fc_status check_out_format(fc_sample_format f, const char *path, fc_error *err)
{
    if (f == FC_SAMPLE_FORMAT_FIXED_GAIN || !fc_segy_format_bytes((int)f))
        return fc_fail(err, FC_ERR_ARGUMENT, "%s: facies writes sample formats 1, 2, 3, 5 and 8, not %d", path, (int)f);
    return FC_OK;
}

fc_status fc_segy_writer_create(fc_segy_writer **out, const char *path, const unsigned char head[FC_SEGY_HEAD_BYTES],
                                fc_byte_order order, fc_error *err)
{
    fc_segy_writer *w = NULL;
    fc_status st = writer_alloc(&w, path, err);
    if (st)
        return st;
    st = fc_segy_layout_binary(head, INT64_MAX / 2, path, &w->layout, err);
    if (!st && w->layout.byte_order != order)
        st = fc_fail(err, FC_ERR_ARGUMENT, "%s: the head's format code is not in the byte order asked for", path);
    if (!st)
        st = check_out_format((fc_sample_format)w->layout.format, path, err);
    if (!st && (w->layout.sample_count <= 0 || w->layout.ext_headers != 0))
        st = fc_fail(err, FC_ERR_ARGUMENT, "%s: the head must set a sample count and no extended headers", path);
    if (!st) {
        w->layout.trace_bytes = FC_SEGY_TRACE_HEADER_BYTES + w->layout.sample_count * w->layout.bytes_per_sample;
        st = writer_start(w, head, 0, NULL, err);
    }
    if (st) {
        fc_segy_writer_destroy(w);
        return st;
    }
    *out = w;
    return FC_OK;
}

static void set_head16(unsigned char *head, int pos, int v, fc_byte_order o)
{
    uint16_t u = (uint16_t)v;
    head[pos - 1] = (unsigned char)(o == FC_BYTE_ORDER_BIG ? u >> 8 : u & 0xff);
    head[pos] = (unsigned char)(o == FC_BYTE_ORDER_BIG ? u & 0xff : u >> 8);
}

/* The template's extended textual headers, read as stored. */
static fc_status read_ext(const fc_survey *like, unsigned char **ext, fc_error *err)
{
    int n = like->layout.ext_headers;
    *ext = NULL;
    if (n == 0)
        return FC_OK;
    *ext = malloc((size_t)n * FC_SEGY_TEXT_BYTES);
    FILE *f = fopen(like->path, "rb");
    int ok = *ext && f && fseek(f, FC_SEGY_HEAD_BYTES, SEEK_SET) == 0 &&
             fread(*ext, FC_SEGY_TEXT_BYTES, (size_t)n, f) == (size_t)n;
    if (f)
        fclose(f);
    if (!ok)
        return fc_fail(err, FC_ERR_IO, "%s: cannot read extended textual headers", like->path);
    return FC_OK;
}

/* A writer for a file shaped like `like` (byte order, headers, sample count) with samples in `format`. */
static fc_status writer_like(fc_segy_writer **out, const char *path, fc_survey *like, fc_sample_format format,
                             fc_error *err)
{
    fc_status st = check_out_format(format, path, err);
    if (st)
        return st;
    fc_segy_writer *w = NULL;
    st = writer_alloc(&w, path, err);
    if (st)
        return st;
    w->like = like;
    w->layout = like->layout;
    w->layout.format = (int)format;
    w->layout.bytes_per_sample = fc_segy_format_bytes((int)format);
    w->layout.trace_bytes = FC_SEGY_TRACE_HEADER_BYTES + w->layout.sample_count * w->layout.bytes_per_sample;
    *out = w;
    return FC_OK;
}

fc_status fc_segy_writer_open_like(fc_segy_writer **out, const char *path, fc_survey *like, fc_sample_format format,
                                   const char *text, fc_error *err)
{
    fc_segy_writer *w = NULL;
    fc_status st = writer_like(&w, path, like, format, err);
    if (st)
        return st;
    unsigned char head[FC_SEGY_HEAD_BYTES];
    memcpy(head, like->head, sizeof head);
    if (text) {
        memset(head, ' ', FC_SEGY_TEXT_BYTES);
        size_t n = strlen(text);
        memcpy(head, text, n < FC_SEGY_TEXT_BYTES ? n : FC_SEGY_TEXT_BYTES);
        fc_ascii_to_ebcdic(head, FC_SEGY_TEXT_BYTES);
    }
    set_head16(head, 3225, (int)format, w->layout.byte_order);
    unsigned char *ext = NULL;
    st = read_ext(like, &ext, err);
    if (!st)
        st = writer_start(w, head, w->layout.ext_headers, ext, err);
    free(ext);
    if (st) {
        fc_segy_writer_destroy(w);
        return st;
    }
    *out = w;
    return FC_OK;
}

fc_status fc_segy_writer_resume(fc_segy_writer **out, const char *path, fc_survey *like, fc_sample_format format,
                                fc_error *err)
{
    fc_segy_writer *w = NULL;
    fc_status st = writer_like(&w, path, like, format, err);
    if (st)
        return st;
    w->fp = segy_open(w->partial, "r+b");
    if (!w->fp) {
        st = fc_fail(err, FC_ERR_IO, "%s: cannot reopen to resume: %s", w->partial, strerror(errno));
        fc_segy_writer_destroy(w);
        return st;
    }
    w->created = 1;
    segy_set_format(w->fp, fc_segyio_flags(w->layout.format, w->layout.byte_order));
    w->raw = malloc((size_t)fc_segy_sample_bytes(&w->layout));
    if (!w->raw) {
        fc_segy_writer_destroy(w);
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    }
    *out = w;
    return FC_OK;
}

fc_status fc_segy_writer_flush(fc_segy_writer *w, fc_error *err)
{
    if (segy_flush(w->fp, false) != SEGY_OK)
        return fc_fail(err, FC_ERR_IO, "%s: flush failed (disk full?)", w->partial);
    return FC_OK;
}

fc_status fc_segy_writer_put(fc_segy_writer *w, int64_t trace, const unsigned char header[FC_SEGY_TRACE_HEADER_BYTES],
                             const float *samples, fc_error *err)
{
    if (trace < 0 || trace > INT32_MAX)
        return fc_fail(err, FC_ERR_RANGE, "%s: trace index %lld out of range", w->path, (long long)trace);
    fc_segy_encode(w->layout.format, samples, w->layout.sample_count, w->raw);
    int bsize = fc_segy_sample_bytes(&w->layout);
    int rc = segy_write_traceheader(w->fp, (int)trace, (const char *)header, (long)w->layout.trace0, bsize);
    if (rc == SEGY_OK)
        rc = segy_writetrace(w->fp, (int)trace, w->raw, (long)w->layout.trace0, bsize);
    if (rc != SEGY_OK)
        return fc_fail(err, FC_ERR_IO, "%s: writing trace %lld failed (%s): disk full or file too large?", w->partial,
                       (long long)trace + 1, fc_segyio_strerror(rc));
    return FC_OK;
}

fc_status fc_segy_writer_put_header(fc_segy_writer *w, int64_t trace,
                                    const unsigned char header[FC_SEGY_TRACE_HEADER_BYTES], fc_error *err)
{
    if (trace < 0 || trace > INT32_MAX)
        return fc_fail(err, FC_ERR_RANGE, "%s: trace index %lld out of range", w->path, (long long)trace);
    int rc = segy_write_traceheader(w->fp, (int)trace, (const char *)header, (long)w->layout.trace0,
                                    fc_segy_sample_bytes(&w->layout));
    if (rc != SEGY_OK)
        return fc_fail(err, FC_ERR_IO, "%s: writing header %lld failed (%s): disk full or file too large?", w->partial,
                       (long long)trace + 1, fc_segyio_strerror(rc));
    return FC_OK;
}

fc_status fc_segy_writer_reserve(fc_segy_writer *w, int64_t traces, fc_error *err)
{
    fc_status st = fc_segy_writer_flush(w, err);
    if (st)
        return st;
    off_t size = (off_t)w->layout.trace0 + (off_t)traces * w->layout.trace_bytes;
    int fd = open(w->partial, O_WRONLY);
    if (fd < 0 || ftruncate(fd, size) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return fc_fail(err, FC_ERR_IO, "%s: cannot size to %lld bytes: %s", w->partial, (long long)size, strerror(e));
    }
    close(fd);
    return FC_OK;
}

fc_status fc_segy_writer_close_shared(fc_segy_writer *w, fc_error *err)
{
    int rc = segy_close(w->fp);
    w->fp = NULL;
    w->created = 0; /* the file is another process's to commit or remove */
    if (rc != SEGY_OK)
        return fc_fail(err, FC_ERR_IO, "%s: closing failed (disk full?): %s", w->partial, fc_segyio_strerror(rc));
    return FC_OK;
}

fc_status fc_segy_writer_put_like(fc_segy_writer *w, int64_t trace, const float *samples, fc_error *err)
{
    if (!w->like)
        return fc_fail(err, FC_ERR_ARGUMENT, "%s: writer has no template survey", w->path);
    unsigned char th[FC_SEGY_TRACE_HEADER_BYTES];
    fc_status st = fc_survey_read_trace_header(w->like, trace, th, err);
    if (st)
        return st;
    return fc_segy_writer_put(w, trace, th, samples, err);
}

fc_status fc_segy_writer_commit(fc_segy_writer *w, fc_error *err)
{
    fc_status st = fc_segy_writer_finish(w, err);
    return st ? st : fc_segy_writer_publish(w, err);
}

fc_status fc_segy_writer_finish(fc_segy_writer *w, fc_error *err)
{
    int rc = segy_close(w->fp);
    w->fp = NULL;
    if (rc != SEGY_OK)
        return fc_fail(err, FC_ERR_IO, "%s: closing failed (disk full?): %s", w->partial, fc_segyio_strerror(rc));
    int fd = open(w->partial, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return fc_fail(err, FC_ERR_IO, "%s: cannot sync: %s", w->partial, strerror(e));
    }
    close(fd);
    return FC_OK;
}

fc_status fc_segy_writer_publish(fc_segy_writer *w, fc_error *err)
{
    if (rename(w->partial, w->path) != 0)
        return fc_fail(err, FC_ERR_IO, "%s: cannot rename to %s: %s", w->partial, w->path, strerror(errno));
    w->committed = 1;
    return FC_OK;
}

void fc_segy_writer_destroy(fc_segy_writer *w)
{
    if (!w)
        return;
    if (w->fp)
        segy_close(w->fp);
    if (w->created && !w->committed)
        remove(w->partial);
    free(w->raw);
    free(w->path);
    free(w->partial);
    free(w);
}
