/* Labels from a SEG-Y volume (sample value = facies code), its traces matched to the survey's by line numbers: the
 * label volume may be sorted otherwise, cover part of the survey, lack traces, or keep its numbers at other bytes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "labels_impl.h"

static fc_status same_samples(const fc_survey *s, const fc_survey *l, const char *path, fc_error *err)
{
    const fc_survey_info *a = fc_survey_get_info(s), *b = fc_survey_get_info(l);
    if (a->kind != b->kind)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: the label volume is a %s (line numbers read from bytes %d/%d), the survey %s a %s: check "
                       "--labels-iline-byte/--labels-xline-byte for the labels and --iline-byte/--xline-byte for the "
                       "survey",
                       path, fc_survey_kind_name(b->kind), b->iline_byte, b->xline_byte, a->path,
                       fc_survey_kind_name(a->kind));
    if (a->sample_count != b->sample_count)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: label traces have %d samples, the survey %s's %d: labels must be sampled as the survey",
                       path, b->sample_count, a->path, a->sample_count);
    if (fabs(a->sample_interval_ms - b->sample_interval_ms) > 1e-9 || fabs(a->start_time_ms - b->start_time_ms) > 1e-9)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: samples start at %g ms every %g ms, the survey's at %g ms every %g ms", path,
                       b->start_time_ms, b->sample_interval_ms, a->start_time_ms, a->sample_interval_ms);
    return FC_OK;
}

/* Read a label trace; fails on a sample that is not a whole code. */
static fc_status read_codes(fc_survey *l, int64_t t, float *tr, const char *path, fc_error *err)
{
    fc_status st = fc_survey_read_trace(l, t, tr, err);
    for (int k = 0; k < fc_survey_get_info(l)->sample_count && !st; k++)
        if (tr[k] != floorf(tr[k]) || fabsf(tr[k]) > 2147483520.0f)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: trace %lld sample %d holds %g, not a whole facies code", path,
                         (long long)t + 1, k + 1, (double)tr[k]);
    return st;
}

/* The survey's grid position of a label grid position, or -1 (off the survey's grid). */
static int survey_cell(const fc_survey *s, const fc_survey_info *lin, int li, int lj, int *i, int *j)
{
    *i = fc_survey_get_info(s)->kind == FC_SURVEY_KIND_2D ? 0 : fc_survey_inline_index(s, lin->inline_numbers[li]);
    *j = fc_survey_crossline_index(s, lin->crossline_numbers[lj]);
    return *i >= 0 && *j >= 0 ? 0 : -1;
}

/* One label trace at survey cell (i, j): its labelled samples pushed, or, where the survey has no trace, counted as
 * on a missing trace if it holds any (refused with refuse_missing). */
static fc_status load_trace(fc_label_collector *c, fc_survey *s, fc_survey *l, int64_t t, int i, int j, float *tr,
                            const char *path, fc_error *err)
{
    const fc_survey_info *in = fc_survey_get_info(l);
    int32_t none = fc_label_unlabelled_max(c);
    fc_status st = read_codes(l, t, tr, path, err);
    if (!st && fc_survey_trace_at(s, i, j) < 0) {
        int k = 0;
        while (k < in->sample_count && (int32_t)tr[k] <= none)
            k++;
        if (k == in->sample_count)
            return FC_OK;
        if (fc_label_filter_of(c)->refuse_missing)
            return fc_fail(err, FC_ERR_MISMATCH,
                           "%s: trace %lld (inline %d crossline %d) labels a trace the survey %s lacks", path,
                           (long long)t + 1, (int)fc_survey_get_info(s)->inline_numbers[i],
                           (int)fc_survey_get_info(s)->crossline_numbers[j], fc_survey_get_info(s)->path);
        fc_label_note_missing(c, t + 1);
        return FC_OK;
    }
    for (int k = 0; k < in->sample_count && !st; k++)
        if ((int32_t)tr[k] > none)
            st = fc_label_push(c, s, i, j, k, (int32_t)tr[k], t + 1, err);
    return st;
}

/* Survey traces in the chosen lines that the label volume has no trace for. */
static int64_t survey_traces_unlabelled(const fc_label_collector *c, const fc_survey *s, const fc_survey *l)
{
    const fc_survey_info *in = fc_survey_get_info(s);
    int two_d = in->kind == FC_SURVEY_KIND_2D;
    int64_t n = 0;
    for (int i = 0; i < in->inline_count; i++)
        for (int j = 0; j < in->crossline_count; j++) {
            if (fc_survey_trace_at(s, i, j) < 0 ||
                !fc_label_lines_wanted(c, in->inline_numbers[i], in->crossline_numbers[j]))
                continue;
            int li = two_d ? 0 : fc_survey_inline_index(l, in->inline_numbers[i]);
            n += fc_survey_trace_at(l, li, fc_survey_crossline_index(l, in->crossline_numbers[j])) < 0;
        }
    return n;
}

static fc_status no_overlap(const fc_survey *s, const fc_survey *l, const char *path, fc_error *err)
{
    const fc_survey_info *a = fc_survey_get_info(s), *b = fc_survey_get_info(l);
    return fc_fail(err, FC_ERR_MISMATCH,
                   "%s: no trace of the label volume (inlines %d..%d, crosslines %d..%d from bytes %d/%d) is on a "
                   "trace of the survey %s (inlines %d..%d, crosslines %d..%d from bytes %d/%d): check the line "
                   "numbers and --labels-iline-byte/--labels-xline-byte",
                   path, (int)b->inline_numbers[0], (int)b->inline_numbers[b->inline_count - 1],
                   (int)b->crossline_numbers[0], (int)b->crossline_numbers[b->crossline_count - 1], b->iline_byte,
                   b->xline_byte, a->path, (int)a->inline_numbers[0], (int)a->inline_numbers[a->inline_count - 1],
                   (int)a->crossline_numbers[0], (int)a->crossline_numbers[a->crossline_count - 1], a->iline_byte,
                   a->xline_byte);
}

fc_status fc_labels_load_segy(fc_label_collector *c, fc_survey *s, const char *path, const fc_survey_options *opt,
                              fc_error *err)
{
    fc_survey *l = NULL;
    fc_status st = fc_survey_open(&l, path, opt, err);
    if (st) { /* the survey reader's advice names the survey's flags; a label volume has its own */
        char *flags = strstr(err->message, "--iline-byte and --xline-byte");
        if (flags) {
            char tail[sizeof err->message];
            snprintf(tail, sizeof tail, "%s", flags + strlen("--iline-byte and --xline-byte"));
            snprintf(flags, sizeof err->message - (size_t)(flags - err->message), "%s%s",
                     "--labels-iline-byte and --labels-xline-byte", tail);
        }
        return st;
    }
    st = same_samples(s, l, path, err);
    const fc_survey_info *in = fc_survey_get_info(l);
    float *tr = malloc(sizeof(float) * (size_t)in->sample_count);
    if (!st && !tr)
        st = fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    int64_t overlap = 0; /* label traces on survey traces, whatever the line ranges */
    for (int li = 0; li < in->inline_count && !st; li++) {
        int on_line;
        const int64_t *cells = fc_survey_inline_traces(l, li, &on_line);
        for (int lj = 0; lj < in->crossline_count && on_line > 0 && !st; lj++) {
            int64_t t = cells[lj];
            int i, j;
            if (t < 0)
                continue;
            on_line--; /* past its last trace the line is left */
            int on_grid = survey_cell(s, in, li, lj, &i, &j) == 0;
            overlap += on_grid && fc_survey_trace_at(s, i, j) >= 0;
            int32_t il = on_grid ? fc_survey_get_info(s)->inline_numbers[i] : in->inline_numbers[li];
            if (!fc_label_lines_wanted(c, il, in->crossline_numbers[lj]))
                continue;
            if (on_grid)
                st = load_trace(c, s, l, t, i, j, tr, path, err);
            else
                fc_label_note_off_grid(c);
        }
    }
    if (!st && overlap == 0 && in->trace_count > 0)
        st = no_overlap(s, l, path, err);
    if (!st)
        fc_label_note_survey_traces(c, survey_traces_unlabelled(c, s, l));
    free(tr);
    fc_survey_close(l);
    return st;
}
