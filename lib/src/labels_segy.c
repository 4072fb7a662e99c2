/* Labels from a SEG-Y volume on the survey's grid: sample value = facies code. */
#include <math.h>
#include <stdlib.h>

#include "fail.h"
#include "labels_impl.h"

static fc_status same_grid(const fc_survey *s, const fc_survey *l, const char *path, fc_error *err)
{
    const fc_survey_info *a = fc_survey_get_info(s), *b = fc_survey_get_info(l);
    if (a->kind != b->kind || a->inline_count != b->inline_count || a->crossline_count != b->crossline_count ||
        a->sample_count != b->sample_count)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: label volume is %d x %d x %d (%s), the survey %s is %d x %d x %d (%s): labels must be "
                       "on the survey's grid",
                       path, b->inline_count, b->crossline_count, b->sample_count, fc_survey_kind_name(b->kind),
                       a->path, a->inline_count, a->crossline_count, a->sample_count, fc_survey_kind_name(a->kind));
    for (int i = 0; i < a->inline_count; i++)
        if (a->inline_numbers[i] != b->inline_numbers[i])
            return fc_fail(err, FC_ERR_MISMATCH, "%s: inline %d of the label grid is %d in the survey %s", path,
                           (int)b->inline_numbers[i], (int)a->inline_numbers[i], a->path);
    for (int j = 0; j < a->crossline_count; j++)
        if (a->crossline_numbers[j] != b->crossline_numbers[j])
            return fc_fail(err, FC_ERR_MISMATCH, "%s: crossline %d of the label grid is %d in the survey %s", path,
                           (int)b->crossline_numbers[j], (int)a->crossline_numbers[j], a->path);
    if (fabs(a->sample_interval_ms - b->sample_interval_ms) > 1e-9 || fabs(a->start_time_ms - b->start_time_ms) > 1e-9)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: samples start at %g ms every %g ms, the survey's at %g ms every %g ms", path,
                       b->start_time_ms, b->sample_interval_ms, a->start_time_ms, a->sample_interval_ms);
    return FC_OK;
}

fc_status fc_labels_load_segy(fc_label_collector *c, fc_survey *s, const char *path, const fc_survey_options *opt,
                              fc_error *err)
{
    fc_survey *l = NULL;
    fc_status st = fc_survey_open(&l, path, opt, err);
    if (st)
        return st;
    st = same_grid(s, l, path, err);
    const fc_survey_info *in = fc_survey_get_info(l);
    float *tr = malloc(sizeof(float) * (size_t)in->sample_count);
    if (!st && !tr)
        st = fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    for (int i = 0; i < in->inline_count && !st; i++) {
        for (int j = 0; j < in->crossline_count && !st; j++) {
            int64_t t = fc_survey_trace_at(l, i, j);
            if (t < 0)
                continue;
            if (fc_survey_trace_at(s, i, j) < 0) {
                st = fc_fail(err, FC_ERR_MISMATCH,
                             "%s: trace %lld (inline %d crossline %d) labels a trace the survey %s lacks", path,
                             (long long)t + 1, (int)in->inline_numbers[i], (int)in->crossline_numbers[j],
                             fc_survey_get_info(s)->path);
                break;
            }
            st = fc_survey_read_trace(l, t, tr, err);
            for (int k = 0; k < in->sample_count && !st; k++) {
                float v = tr[k];
                if (v != floorf(v) || fabsf(v) > 2147483520.0f)
                    st = fc_fail(err, FC_ERR_FORMAT, "%s: trace %lld sample %d holds %g, not a whole facies code", path,
                                 (long long)t + 1, k + 1, (double)v);
                else if ((int32_t)v > fc_label_unlabelled_max(c))
                    st = fc_label_push(c, s, i, j, k, (int32_t)v, t + 1, err);
            }
        }
    }
    free(tr);
    fc_survey_close(l);
    return st;
}
