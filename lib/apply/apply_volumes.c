/* The input volumes of an apply run: the model's, from --volume, each normalised on its own. */
#include "apply_volumes.h"

#include <stdio.h>
#include <string.h>

#include "fail.h"

fc_status fc_apply_volumes_open(fc_volume_set **out, fc_survey *s, const fc_apply_options *o, const fc_model_meta *meta,
                                int nsm, double *survey_scale, fc_error *err)
{
    if (strcmp(meta->norm.method, "clip_abs_percentile"))
        return fc_fail(err, FC_ERR_UNSUPPORTED, "%s: unknown normalisation '%s'", o->model_path, meta->norm.method);
    fc_volume_arg ordered[FC_MAX_VOLUMES - 1];
    fc_volume_list vl = meta->volumes;
    if (vl.count < 1)
        fc_volume_list_single(&vl, meta->norm.scale);
    vl.v[0].scale = meta->norm.scale;
    fc_status st = fc_volume_args_order(&vl, o->model_path, o->volumes, o->nvolumes, ordered, err);
    fc_volume_set *vs = NULL;
    if (!st)
        st = fc_volume_set_open(&vs, s, o->survey_path, ordered, o->nvolumes, &o->survey, err);
    if (!st && !o->use_training_scale)
        st = fc_volume_set_measure(vs, meta->norm.percentile, 2000, &vl, err);
    int kinds = meta->channels / vl.count;
    if (!st && (kinds < 1 || kinds * vl.count != meta->channels))
        st = fc_fail(err, FC_ERR_FORMAT, "%s: %d channels are not the same kinds for each of %d volumes", o->model_path,
                     meta->channels, vl.count);
    if (!st)
        st = fc_volume_set_prepare(vs, meta->channel, kinds, &meta->scales, nsm, &vl, err);
    if (st) {
        fc_volume_set_close(vs);
        return st;
    }
    *survey_scale = vl.v[0].scale;
    *out = vs;
    return FC_OK;
}

const float *fc_apply_volumes_resampled(void *ctx, const float *raw, int width)
{
    fc_apply_grid *g = ctx;
    fc_apply_grid_traces(g, raw, width);
    return g->raw;
}
