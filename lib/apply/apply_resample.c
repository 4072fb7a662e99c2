/* Apply on a survey at another sample interval than the model's (see apply_resample.h). */
#include "apply_resample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"

fc_status fc_apply_grid_open(fc_apply_grid *g, int resample, const char *model_path, double model_dt_ms,
                             const char *survey_path, double survey_dt_ms, int ns, int maxw, int K, char *note,
                             size_t note_size, fc_error *err)
{
    memset(g, 0, sizeof *g);
    g->ns = g->nsm = ns;
    note[0] = '\0';
    if (fc_sample_intervals_match(model_dt_ms, survey_dt_ms)) {
        if (resample && model_dt_ms > 0.0)
            snprintf(note, note_size, "--resample: the survey's %g ms is the model's interval; nothing to resample",
                     survey_dt_ms);
        else if (resample)
            snprintf(note, note_size, "--resample: %s records no sample interval; the survey's %g ms is used as is",
                     model_path, survey_dt_ms);
        return FC_OK;
    }
    if (!resample)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: samples every %g ms, but %s was trained on %g ms samples; add --resample to classify "
                       "it resampled to %g ms",
                       survey_path, survey_dt_ms, model_path, model_dt_ms, model_dt_ms);
    fc_status st = fc_resampler_create(&g->rs, ns, survey_dt_ms, model_dt_ms, err);
    if (st)
        return st;
    g->nsm = fc_resampler_length(g->rs);
    g->raw = malloc(sizeof(float) * (size_t)maxw * g->nsm);
    g->probs = malloc(sizeof(float) * (size_t)maxw * ns * (size_t)K);
    if (!g->raw || !g->probs) {
        fc_apply_grid_free(g);
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory for resampled sections of %d x %d", maxw, ns);
    }
    snprintf(note, note_size, "resampling %g ms traces to the model's %g ms (%d samples to %d), and back", survey_dt_ms,
             model_dt_ms, ns, g->nsm);
    return FC_OK;
}

void fc_apply_grid_traces(fc_apply_grid *g, const float *raw, int width)
{
    for (int t = 0; t < width; t++)
        fc_resampler_apply(g->rs, raw + (size_t)t * g->ns, g->raw + (size_t)t * g->nsm);
}

void fc_apply_grid_back(fc_apply_grid *g, const float *probs, int width, int K, int32_t *cls)
{
    int ns = g->ns, nsm = g->nsm;
    for (int k = 0; k < ns; k++) {
        int lo;
        float w;
        fc_resampler_position(g->rs, k, &lo, &w);
        int hi = w > 0.0f ? lo + 1 : lo, near = w >= 0.5f ? hi : lo;
        for (int t = 0; t < width; t++) {
            int best = 0;
            for (int c = 0; c < K; c++) {
                const float *p = probs + (size_t)c * nsm * width + t;
                g->probs[((size_t)c * ns + k) * width + t] =
                    (1.0f - w) * p[(size_t)lo * width] + w * p[(size_t)hi * width];
                if (p[(size_t)near * width] > probs[((size_t)best * nsm + near) * width + t])
                    best = c;
            }
            cls[(size_t)t * ns + k] = best;
        }
    }
}

void fc_apply_grid_free(fc_apply_grid *g)
{
    fc_resampler_destroy(g->rs);
    free(g->raw);
    free(g->probs);
    memset(g, 0, sizeof *g);
}
