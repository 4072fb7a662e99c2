#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fail.h"
#include "input_file.h"
#include "survey_impl.h"

fc_survey_options fc_survey_options_default(void)
{
    fc_survey_options o = {.iline_byte = 189, .xline_byte = 193, .cdp_byte = 21, .mode = FC_GEOMETRY_AUTO};
    return o;
}

int fc_segyio_flags(int format, fc_byte_order order)
{
    return format | (order == FC_BYTE_ORDER_LITTLE ? SEGY_LSB : SEGY_MSB);
}

const char *fc_segyio_strerror(int code)
{
    switch (code) {
    case SEGY_FOPEN_ERROR: return "cannot open";
    case SEGY_FSEEK_ERROR: return "seek failed";
    case SEGY_FREAD_ERROR: return "read failed (file truncated?)";
    case SEGY_FWRITE_ERROR: return "write failed (disk full?)";
    case SEGY_READONLY: return "file is read-only";
    default: return "segyio error";
    }
}

static fc_status check_header_byte(int byte, const char *what, fc_error *err)
{
    if (byte < 1 || byte > FC_SEGY_TRACE_HEADER_BYTES - 3)
        return fc_fail(err, FC_ERR_ARGUMENT, "%s %d is not a trace-header byte of a 4-byte field (1..237)", what, byte);
    return FC_OK;
}

static fc_status read_head(fc_survey *s, int64_t *file_size, fc_error *err)
{
    FILE *f;
    fc_status opened = fc_input_open(s->path, &f, err);
    if (opened)
        return opened;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        int e = errno;
        fclose(f);
        return fc_fail(err, FC_ERR_IO, "%s: cannot open: %s", s->path, strerror(e));
    }
    *file_size = (int64_t)st.st_size;
    size_t got = fread(s->head, 1, sizeof s->head, f);
    fclose(f);
    if (got < sizeof s->head)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: file is %lld bytes, shorter than the 3600-byte SEG-Y textual and binary headers", s->path,
                       (long long)*file_size);
    return FC_OK;
}

/* The first trace header, big-endian, read by segyio. */
static fc_status first_trace_header(fc_survey *s, int64_t file_size, unsigned char *th, int *have, fc_error *err)
{
    *have = 0;
    if (file_size - s->layout.trace0 < FC_SEGY_TRACE_HEADER_BYTES)
        return FC_OK;
    /* trace_bsize only positions trace 0, so any plausible size will do. */
    int rc = segy_traceheader(s->fp, 0, (char *)th, (long)s->layout.trace0, 0);
    if (rc != SEGY_OK)
        return fc_fail(err, FC_ERR_IO, "%s: trace 1 header: %s", s->path, fc_segyio_strerror(rc));
    *have = 1;
    return FC_OK;
}

static fc_status read_keys(fc_survey *s, const fc_survey_options *o, fc_error *err)
{
    int64_t n = s->layout.trace_count;
    int32_t *buf = malloc((size_t)n * 4 * sizeof *buf);
    if (!buf)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory reading %lld trace headers", s->path, (long long)n);
    fc_trace_keys k = {.il = buf,
                       .xl = buf + n,
                       .offset = buf + 2 * n,
                       .cdp = buf + 3 * n,
                       .n = n,
                       .il_byte = o->iline_byte,
                       .xl_byte = o->xline_byte,
                       .cdp_byte = o->cdp_byte};
    int32_t *il = buf, *xl = buf + n, *off = buf + 2 * n, *cdp = buf + 3 * n;
    unsigned char th[FC_SEGY_TRACE_HEADER_BYTES];
    for (int64_t t = 0; t < n; t++) {
        int rc = segy_traceheader(s->fp, (int)t, (char *)th, (long)s->layout.trace0, fc_segy_sample_bytes(&s->layout));
        if (rc != SEGY_OK) {
            free(buf);
            return fc_fail(err, FC_ERR_IO, "%s: trace %lld header: %s", s->path, (long long)t + 1,
                           fc_segyio_strerror(rc));
        }
        il[t] = fc_be_i32(th, o->iline_byte);
        xl[t] = fc_be_i32(th, o->xline_byte);
        off[t] = fc_be_i32(th, 37);
        cdp[t] = fc_be_i32(th, o->cdp_byte);
    }
    fc_status st = fc_geometry_build(&s->geo, &k, o->mode, s->path, err);
    free(buf);
    return st;
}

/* Delay recording time (bytes 109-110) with the time scalar (bytes 215-216). */
static double start_time_ms(const unsigned char *th)
{
    double delay = fc_be_i16(th, 109);
    int scalar = fc_be_i16(th, 215);
    if (scalar > 0)
        return delay * scalar;
    if (scalar < 0)
        return delay / -scalar;
    return delay;
}

static void fill_info(fc_survey *s, const unsigned char *th, const fc_survey_options *o)
{
    fc_survey_info *in = &s->info;
    const fc_segy_layout *l = &s->layout;
    in->path = s->path;
    in->kind = s->geo.kind;
    in->format = (fc_sample_format)l->format;
    in->byte_order = l->byte_order;
    in->sorting = s->geo.sorting;
    in->revision = l->revision;
    in->trace0 = l->trace0;
    in->trace_bytes = l->trace_bytes;
    in->trace_count = l->trace_count;
    in->sample_count = l->sample_count;
    int trace_dt = (int)fc_be_u16(th, 117); /* unsigned, as in the binary header */
    if (l->binary_interval_us > 0) {
        in->sample_interval_ms = l->binary_interval_us / 1000.0;
        in->interval_source = FC_INTERVAL_BINARY_HEADER;
    } else if (trace_dt > 0) {
        in->sample_interval_ms = trace_dt / 1000.0;
        in->interval_source = FC_INTERVAL_TRACE_HEADER;
    } else {
        in->sample_interval_ms = 4.0;
        in->interval_source = FC_INTERVAL_ASSUMED;
    }
    in->start_time_ms = start_time_ms(th);
    in->extended_text_headers = l->ext_headers;
    in->inline_count = s->geo.n_il;
    in->crossline_count = s->geo.n_xl;
    in->inline_step = s->geo.il_step;
    in->crossline_step = s->geo.xl_step;
    in->inline_numbers = s->geo.il_numbers;
    in->crossline_numbers = s->geo.xl_numbers;
    in->missing_traces = s->geo.missing;
    in->iline_byte = o->iline_byte;
    in->xline_byte = o->xline_byte;
    in->cdp_byte = o->cdp_byte;
}

static fc_status open_checked(fc_survey *s, const fc_survey_options *o, fc_error *err)
{
    int64_t file_size = 0;
    fc_status st = read_head(s, &file_size, err);
    if (!st)
        st = fc_segy_layout_binary(s->head, file_size, s->path, &s->layout, err);
    if (st)
        return st;
    s->info.file_size = file_size;
    /* Only now, with the header values checked, is the file handed to segyio. */
    s->fp = segy_open(s->path, "rb");
    if (!s->fp)
        return fc_fail(err, FC_ERR_IO, "%s: cannot open: %s", s->path, strerror(errno));
    if (segy_set_format(s->fp, fc_segyio_flags(s->layout.format, s->layout.byte_order)) != SEGY_OK)
        return fc_fail(err, FC_ERR_UNSUPPORTED, "%s: segyio refused sample format %d", s->path, s->layout.format);
    unsigned char th[FC_SEGY_TRACE_HEADER_BYTES] = {0};
    int have = 0;
    st = first_trace_header(s, file_size, th, &have, err);
    if (!st)
        st = fc_segy_layout_traces(&s->layout, have ? th : NULL, file_size, s->path, err);
    if (!st && s->layout.trace_count > INT32_MAX)
        st = fc_fail(err, FC_ERR_UNSUPPORTED, "%s: %lld traces is more than segyio can address", s->path,
                     (long long)s->layout.trace_count);
    if (!st)
        st = read_keys(s, o, err);
    if (st)
        return st;
    s->raw = malloc((size_t)s->layout.sample_count * (size_t)s->layout.bytes_per_sample);
    if (!s->raw)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", s->path);
    fill_info(s, th, o);
    return FC_OK;
}

fc_status fc_survey_open(fc_survey **out, const char *path, const fc_survey_options *opt, fc_error *err)
{
    fc_survey_options o = opt ? *opt : fc_survey_options_default();
    fc_status st = check_header_byte(o.iline_byte, "--iline-byte", err);
    if (!st)
        st = check_header_byte(o.xline_byte, "--xline-byte", err);
    if (!st)
        st = check_header_byte(o.cdp_byte, "--cdp-byte", err);
    if (!st && o.x_byte)
        st = check_header_byte(o.x_byte, "--x-byte", err);
    if (!st && o.y_byte)
        st = check_header_byte(o.y_byte, "--y-byte", err);
    if (!st && !o.x_byte != !o.y_byte)
        st = fc_fail(err, FC_ERR_ARGUMENT, "--x-byte and --y-byte go together: name both header bytes");
    if (st)
        return st;
    if (!out || !path)
        return fc_fail(err, FC_ERR_ARGUMENT, "fc_survey_open: NULL argument");
    fc_survey *s = calloc(1, sizeof *s);
    if (!s)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    s->path = strdup(path);
    if (!s->path) {
        free(s);
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    }
    s->x_byte = o.x_byte;
    s->y_byte = o.y_byte;
    st = open_checked(s, &o, err);
    if (st) {
        fc_survey_close(s);
        return st;
    }
    *out = s;
    return FC_OK;
}

void fc_survey_close(fc_survey *s)
{
    if (!s)
        return;
    if (s->fp)
        segy_close(s->fp);
    fc_geometry_free(&s->geo);
    free(s->coords);
    free(s->raw);
    free(s->path);
    free(s);
}

const fc_survey_info *fc_survey_get_info(const fc_survey *s)
{
    return &s->info;
}

const unsigned char *fc_survey_text_header(const fc_survey *s)
{
    return s->head;
}

const unsigned char *fc_survey_binary_header(const fc_survey *s)
{
    return s->head + FC_SEGY_TEXT_BYTES;
}

int64_t fc_survey_nonfinite_count(const fc_survey *s)
{
    return s->nonfinite;
}

int32_t fc_header_i32(const unsigned char *header, int pos)
{
    return fc_be_i32(header, pos);
}

int32_t fc_header_i16(const unsigned char *header, int pos)
{
    return fc_be_i16(header, pos);
}

const char *fc_sample_format_name(fc_sample_format f)
{
    switch (f) {
    case FC_SAMPLE_FORMAT_IBM: return "ibm-float";
    case FC_SAMPLE_FORMAT_INT32: return "int32";
    case FC_SAMPLE_FORMAT_INT16: return "int16";
    case FC_SAMPLE_FORMAT_FIXED_GAIN: return "fixed-gain";
    case FC_SAMPLE_FORMAT_IEEE: return "ieee-float";
    case FC_SAMPLE_FORMAT_INT8: return "int8";
    }
    return "unknown";
}

const char *fc_byte_order_name(fc_byte_order b)
{
    return b == FC_BYTE_ORDER_LITTLE ? "little-endian" : "big-endian";
}

const char *fc_sorting_name(fc_sorting s)
{
    switch (s) {
    case FC_SORTING_INLINE: return "inline";
    case FC_SORTING_CROSSLINE: return "crossline";
    case FC_SORTING_UNSORTED: return "unsorted";
    case FC_SORTING_LINE: return "2-d line";
    }
    return "unknown";
}

const char *fc_survey_kind_name(fc_survey_kind k)
{
    return k == FC_SURVEY_KIND_2D ? "2-D line" : "3-D volume";
}
