/* eval --probabilities: how well the probabilities of a volume match how often its classes are right. */
#include "eval_calibration.h"

#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "probs_store.h"

/* For each of the n numbers, its index among the m numbers of the volume (-1: absent). */
static void index_numbers(const int32_t *want, int n, const int32_t *have, int m, int *out)
{
    for (int a = 0; a < n; a++) {
        out[a] = -1;
        for (int b = 0; b < m && out[a] < 0; b++)
            if (have[b] == want[a])
                out[a] = b;
    }
}

static fc_status score(fc_probs_reader *rd, const char *path, const fc_survey *pred, const char *pred_path,
                       const fc_label_point *p, int64_t n, const int *ii, const int *jj, float *trace,
                       fc_calibration *c, fc_error *err)
{
    const fc_probs_info *pi = fc_probs_reader_info(rd);
    const fc_survey_info *in = fc_survey_get_info(pred);
    int at_i = -1, at_j = -1;
    for (int64_t q = 0; q < n; q++) {
        if (fc_survey_trace_at(pred, p[q].i, p[q].j) < 0)
            continue; /* not scored for the classes either */
        int i = ii[p[q].i], j = jj[p[q].j];
        if (i < 0 || j < 0)
            return fc_fail(err, FC_ERR_MISMATCH,
                           "%s: has no trace at inline %d crossline %d, which %s holds and is labelled: give the "
                           "probabilities apply wrote beside the facies volume",
                           path, (int)in->inline_numbers[p[q].i], (int)in->crossline_numbers[p[q].j], pred_path);
        int k = fc_classes_find(&pi->classes_info, p[q].code);
        if (k < 0)
            return fc_fail(err, FC_ERR_MISMATCH,
                           "%s: label code %d (inline %d crossline %d) is not one of its classes: the model never "
                           "predicts it",
                           path, (int)p[q].code, (int)in->inline_numbers[p[q].i], (int)in->crossline_numbers[p[q].j]);
        if (i != at_i || j != at_j) {
            fc_status st = fc_probs_reader_trace(rd, i, j, trace, err);
            if (st)
                return st;
            at_i = i;
            at_j = j;
        }
        const float *pk = trace + (size_t)p[q].k * pi->classes;
        double sum = 0.0;
        for (int c2 = 0; c2 < pi->classes; c2++)
            sum += pk[c2];
        if (!(sum > 0.5)) /* zeros: apply did not classify this trace (--lines) */
            return fc_fail(err, FC_ERR_MISMATCH,
                           "%s: holds no probabilities at inline %d crossline %d, which %s holds and is labelled: "
                           "give the probabilities apply wrote with the facies volume",
                           path, (int)in->inline_numbers[p[q].i], (int)in->crossline_numbers[p[q].j], pred_path);
        fc_calibration_add(c, pk, pi->classes, 1, k);
    }
    return FC_OK;
}

fc_status fc_eval_calibration(const char *path, const fc_survey *pred, const char *pred_path, const fc_label_point *p,
                              int64_t n, fc_calibration *out, fc_error *err)
{
    const fc_survey_info *in = fc_survey_get_info(pred);
    fc_probs_reader *rd = NULL;
    fc_status st = fc_probs_reader_open(&rd, path, err);
    if (st)
        return st;
    const fc_probs_info *pi = fc_probs_reader_info(rd);
    if (pi->ns != in->sample_count) {
        st = fc_fail(err, FC_ERR_MISMATCH, "%s: %d samples per trace, but %s has %d: not its probabilities", path,
                     pi->ns, pred_path, in->sample_count);
        fc_probs_reader_close(rd);
        return st;
    }
    int *ii = malloc(sizeof(int) * (size_t)in->inline_count), *jj = malloc(sizeof(int) * (size_t)in->crossline_count);
    float *trace = malloc(sizeof(float) * (size_t)pi->ns * (size_t)pi->classes);
    fc_calibration c;
    memset(&c, 0, sizeof c);
    if (!ii || !jj || !trace)
        st = fc_fail(err, FC_ERR_NOMEM, "eval: out of memory");
    if (!st) {
        index_numbers(in->inline_numbers, in->inline_count, pi->il_numbers, pi->n_il, ii);
        index_numbers(in->crossline_numbers, in->crossline_count, pi->xl_numbers, pi->n_xl, jj);
        st = score(rd, path, pred, pred_path, p, n, ii, jj, trace, &c, err);
    }
    free(ii);
    free(jj);
    free(trace);
    fc_probs_reader_close(rd);
    if (st)
        return st;
    fc_calibration_finish(&c);
    *out = c;
    return FC_OK;
}
