/* Internal: the input volumes of an apply run. The --volume set must name the model's volumes (any order; taken in
 * the model's), each on the survey's grid; each is normalised by its own scale, measured from it as the survey's
 * is, or the model's training scale with use_training_scale. */
#ifndef FACIES_APPLY_VOLUMES_H
#define FACIES_APPLY_VOLUMES_H

#include "apply_resample.h"
#include "facies/apply.h"
#include "facies/model.h"
#include "volume_set.h"

/* Open and prepare the volumes for sections of nsm samples; *survey_scale gets the survey's scale. Free with
 * fc_volume_set_close. */
fc_status fc_apply_volumes_open(fc_volume_set **out, fc_survey *s, const fc_apply_options *o, const fc_model_meta *meta,
                                int nsm, double *survey_scale, fc_error *err);

/* fc_volume_prep_fn for --resample: each volume's section onto the model's samples (ctx: the fc_apply_grid). */
const float *fc_apply_volumes_resampled(void *ctx, const float *raw, int width);

#endif
