#include <math.h>
#include <string.h>

#include "fail.h"
#include "survey_impl.h"

int64_t fc_survey_trace_at(const fc_survey *s, int i, int j)
{
    if (i < 0 || j < 0 || i >= s->geo.n_il || j >= s->geo.n_xl)
        return -1;
    return s->geo.cell_trace[(int64_t)i * s->geo.n_xl + j];
}

const int64_t *fc_survey_inline_traces(const fc_survey *s, int i, int *traces)
{
    if (i < 0 || i >= s->geo.n_il) {
        *traces = 0;
        return NULL;
    }
    *traces = s->geo.line_traces[i];
    return s->geo.cell_trace + (int64_t)i * s->geo.n_xl;
}

int fc_survey_inline_index(const fc_survey *s, int32_t number)
{
    return fc_geometry_il_index(&s->geo, number);
}

int fc_survey_crossline_index(const fc_survey *s, int32_t number)
{
    return fc_geometry_xl_index(&s->geo, number);
}

int fc_survey_section_width(const fc_survey *s, fc_orientation o)
{
    int two_d = s->geo.kind == FC_SURVEY_KIND_2D;
    switch (o) {
    case FC_ORIENTATION_INLINE: return two_d ? 0 : s->geo.n_xl;
    case FC_ORIENTATION_CROSSLINE: return two_d ? 0 : s->geo.n_il;
    case FC_ORIENTATION_LINE: return two_d ? s->geo.n_xl : 0;
    }
    return 0;
}

int fc_survey_section_count(const fc_survey *s, fc_orientation o)
{
    int two_d = s->geo.kind == FC_SURVEY_KIND_2D;
    switch (o) {
    case FC_ORIENTATION_INLINE: return two_d ? 0 : s->geo.n_il;
    case FC_ORIENTATION_CROSSLINE: return two_d ? 0 : s->geo.n_xl;
    case FC_ORIENTATION_LINE: return two_d ? 1 : 0;
    }
    return 0;
}

/* Read samples [k0, k0 + n) of a trace into out, decoding and masking. */
static fc_status read_window(fc_survey *s, int64_t trace, int k0, int n, float *out, fc_error *err)
{
    const fc_segy_layout *l = &s->layout;
    int rc;
    if (k0 == 0 && n == l->sample_count)
        rc = segy_readtrace(s->fp, (int)trace, s->raw, (long)l->trace0, fc_segy_sample_bytes(l));
    else
        rc = segy_readsubtr(s->fp, (int)trace, k0, k0 + n, 1, s->raw, NULL, (long)l->trace0, fc_segy_sample_bytes(l));
    if (rc != SEGY_OK)
        return fc_fail(err, FC_ERR_IO, "%s: trace %lld: %s", s->path, (long long)trace + 1, fc_segyio_strerror(rc));
    long bad = fc_segy_decode(l->format, s->raw, n, out);
    if (bad >= 0)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: trace %lld sample %ld is not a 4-byte fixed-point-with-gain value (its first byte "
                       "is not zero): the binary header says format 4 but the samples are something else, "
                       "most likely IEEE float; fix byte 3225",
                       s->path, (long long)trace + 1, k0 + bad + 1);
    for (int k = 0; k < n; k++) {
        if (!isfinite(out[k])) {
            out[k] = 0.0f;
            s->nonfinite++;
        }
    }
    return FC_OK;
}

fc_status fc_survey_read_trace(fc_survey *s, int64_t trace, float *out, fc_error *err)
{
    if (trace < 0 || trace >= s->layout.trace_count)
        return fc_fail(err, FC_ERR_RANGE, "%s: trace %lld is outside 1..%lld", s->path, (long long)trace + 1,
                       (long long)s->layout.trace_count);
    return read_window(s, trace, 0, s->layout.sample_count, out, err);
}

fc_status fc_survey_read_section(fc_survey *s, fc_orientation o, int line, int k0, int n, float *out,
                                 unsigned char *present, fc_error *err)
{
    int width = fc_survey_section_width(s, o), count = fc_survey_section_count(s, o);
    if (width == 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "%s: a %s has no %s sections", s->path, fc_survey_kind_name(s->geo.kind),
                       o == FC_ORIENTATION_LINE     ? "2-D line"
                       : o == FC_ORIENTATION_INLINE ? "inline"
                                                    : "crossline");
    if (line < 0 || line >= count)
        return fc_fail(err, FC_ERR_RANGE, "%s: section index %d is outside 0..%d", s->path, line, count - 1);
    if (k0 < 0 || n <= 0 || k0 + n > s->layout.sample_count)
        return fc_fail(err, FC_ERR_RANGE, "%s: samples %d..%d are outside 0..%d", s->path, k0, k0 + n - 1,
                       s->layout.sample_count - 1);
    for (int t = 0; t < width; t++) {
        int64_t trace = o == FC_ORIENTATION_CROSSLINE ? fc_survey_trace_at(s, t, line)
                                                      : fc_survey_trace_at(s, o == FC_ORIENTATION_LINE ? 0 : line, t);
        float *dst = out + (size_t)t * (size_t)n;
        if (present)
            present[t] = trace >= 0;
        if (trace < 0) {
            memset(dst, 0, (size_t)n * sizeof *dst);
            continue;
        }
        fc_status st = read_window(s, trace, k0, n, dst, err);
        if (st)
            return st;
    }
    return FC_OK;
}

fc_status fc_survey_read_trace_header(fc_survey *s, int64_t trace, unsigned char out[FC_SEGY_TRACE_HEADER_BYTES],
                                      fc_error *err)
{
    if (trace < 0 || trace >= s->layout.trace_count)
        return fc_fail(err, FC_ERR_RANGE, "%s: trace %lld is outside 1..%lld", s->path, (long long)trace + 1,
                       (long long)s->layout.trace_count);
    int rc = segy_traceheader(s->fp, (int)trace, (char *)out, (long)s->layout.trace0, fc_segy_sample_bytes(&s->layout));
    if (rc != SEGY_OK)
        return fc_fail(err, FC_ERR_IO, "%s: trace %lld header: %s", s->path, (long long)trace + 1,
                       fc_segyio_strerror(rc));
    return FC_OK;
}
