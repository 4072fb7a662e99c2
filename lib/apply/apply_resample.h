/* Internal: apply on a survey whose sample interval is not the model's (see fc_apply_options.resample).
 *
 * Each section's traces are resampled to the model's interval (signal.h), classified there, and the results are
 * mapped back to the survey's own samples: the class of the nearest model sample, probabilities interpolated
 * linearly between the two around. One per run: the plans are made once, for the survey's trace length. */
#ifndef FACIES_APPLY_RESAMPLE_H
#define FACIES_APPLY_RESAMPLE_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/signal.h"

typedef struct fc_apply_grid {
    fc_resampler *rs; /* NULL: the intervals agree, nothing to do */
    int ns, nsm;      /* samples of a trace on the survey's grid and on the model's */
    float *raw;       /* one section resampled, [trace][nsm] */
    float *probs;     /* one section's probabilities on the survey's grid, [class][ns][trace] */
} fc_apply_grid;

/* Compares the survey's interval (survey_dt_ms, ns samples) with the model's. Unequal without resample: refused
 * (FC_ERR_MISMATCH, one line naming both files, both intervals and --resample). Unequal with it: g gets the
 * resampler and buffers for sections of up to maxw traces and K classes. Equal (or the model's interval unknown):
 * g stays empty, nsm = ns. *note (empty: nothing to say) is the line to log: what is resampled, or, when resample
 * was asked for, why nothing is. Free with fc_apply_grid_free. */
fc_status fc_apply_grid_open(fc_apply_grid *g, int resample, const char *model_path, double model_dt_ms,
                             const char *survey_path, double survey_dt_ms, int ns, int maxw, int K, char *note,
                             size_t note_size, fc_error *err);

/* raw [width][ns] on the survey's grid -> g->raw [width][nsm]. */
void fc_apply_grid_traces(fc_apply_grid *g, const float *raw, int width);

/* probs [K][nsm][width] on the model's grid -> g->probs [K][ns][width] (linear), and cls [width][ns]: the class
 * with the highest probability at the model sample nearest each survey sample. */
void fc_apply_grid_back(fc_apply_grid *g, const float *probs, int width, int K, int32_t *cls);

void fc_apply_grid_free(fc_apply_grid *g);

#endif
