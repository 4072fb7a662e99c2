/* facies apply: classify every sample of a survey, section by section, densely and exactly. This unit opens the
 * run, prepares its model, volumes and buffers, and frees it; the units named in apply_run.h do the rest. */
#include "facies/apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apply_outputs.h"
#include "apply_pictures.h"
#include "apply_ranks.h"
#include "apply_resume.h"
#include "fail.h"
#include "folder.h"
#include "labels_impl.h"

fc_apply_options fc_apply_options_default(void)
{
    fc_apply_options o;
    memset(&o, 0, sizeof o);
    o.survey = fc_survey_options_default();
    o.il_min = o.xl_min = INT32_MIN;
    o.il_max = o.xl_max = INT32_MAX;
    o.orientations = FC_CUT_INLINE;
    o.step = 1;
    o.format = FC_SAMPLE_FORMAT_IEEE;
    return o;
}

static int selected(const apply_run *r, int i, int j)
{
    int32_t il = r->in->inline_numbers[i], xl = r->in->crossline_numbers[j];
    return il >= r->o->il_min && il <= r->o->il_max && xl >= r->o->xl_min && xl <= r->o->xl_max;
}

/* Output trace of every input trace: the selected traces keep their input order. */
static fc_status map_traces(apply_run *r, fc_error *err)
{
    int64_t n = r->in->trace_count;
    r->out_index = malloc(sizeof(int64_t) * (size_t)n);
    if (!r->out_index)
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory");
    for (int64_t t = 0; t < n; t++)
        r->out_index[t] = -1;
    for (int i = 0; i < r->in->inline_count; i++)
        for (int j = 0; j < r->in->crossline_count; j++) {
            int64_t t = fc_survey_trace_at(r->s, i, j);
            if (t >= 0 && selected(r, i, j))
                r->out_index[t] = 0;
        }
    int64_t k = 0;
    for (int64_t t = 0; t < n; t++)
        if (r->out_index[t] == 0)
            r->out_index[t] = k++;
        else
            r->out_index[t] = -1;
    r->sum->traces = k;
    if (k == 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "%s: no traces in the chosen lines", r->o->survey_path);
    return FC_OK;
}

static fc_status prepare(apply_run *r, fc_error *err)
{
    const fc_apply_options *o = r->o;
    if (o->uncertainty == FC_UNCERTAINTY_DISAGREEMENT && o->resample)
        return fc_fail(err, FC_ERR_ARGUMENT, "apply: the disagreement of an ensemble is not measured with --resample");
    fc_status st = fc_apply_members_open(&r->m, o, &r->meta, err);
    if (st)
        return st;
    r->K = r->meta.classes.count;
    r->KS = fc_apply_members_planes(&r->m);
    r->maxw = r->in->inline_count > r->in->crossline_count ? r->in->inline_count : r->in->crossline_count;
    double survey_dt = r->in->sample_interval_ms;
    if (r->in->interval_source == FC_INTERVAL_ASSUMED && r->meta.sample_interval_ms > 0.0) {
        if (o->resample)
            return fc_fail(err, FC_ERR_MISMATCH,
                           "%s: records no sample interval (binary header bytes 3217-3218 and trace bytes 117-118 "
                           "are 0), so --resample cannot tell what to resample from; write the interval into its "
                           "binary header",
                           o->survey_path);
        say(o, "warning: %s records no sample interval (bytes 3217-3218, 117-118): taken to be the model's %g ms",
            o->survey_path, r->meta.sample_interval_ms);
        survey_dt = r->meta.sample_interval_ms;
    }
    char note[256];
    st = fc_apply_grid_open(&r->grid, o->resample, o->model_path, r->meta.sample_interval_ms, o->survey_path, survey_dt,
                            r->in->sample_count, r->maxw, r->K, note, sizeof note, err);
    if (st)
        return st;
    if (note[0])
        say(o, "%s", note);
    int ns = r->in->sample_count, nsm = r->grid.nsm, nsx = ns > nsm ? ns : nsm;
    st = fc_apply_volumes_open(&r->vs, r->s, o, &r->meta, nsm, &r->sum->scale, err);
    if (st)
        return st;
    fc_apply_pictures_choose(r);
    r->sum->exact = r->m.exact && o->step <= 1 && !r->grid.rs; /* resampled: interpolated back */
    if (!r->m.exact)
        say(o, "warning: the network pads with zeros inside the patch ('same'); dense apply is an approximation of "
               "patch-by-patch classification, computed with the direct method");
    size_t sec = (size_t)r->maxw * ns, C = (size_t)r->meta.in_c;
    r->raw = malloc(sizeof(float) * sec);
    r->planes = malloc(sizeof(float) * (size_t)r->maxw * nsm * C);
    r->probs = malloc(sizeof(float) * (size_t)r->maxw * nsx * (size_t)r->KS);
    r->cls = malloc(sizeof(int32_t) * sec);
    r->codes = malloc(sizeof(float) * (size_t)ns);
    r->conf = malloc(sizeof(float) * (size_t)ns);
    r->present = malloc((size_t)r->maxw);
    if (!r->raw || !r->planes || !r->probs || !r->cls || !r->codes || !r->conf || !r->present)
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory for sections of %d x %d", r->maxw, ns);
    st = fc_apply_members_reserve(&r->m, r->maxw, nsm, err);
    if (!st)
        st = map_traces(r, err);
    if (!st)
        fc_apply_members_say(&r->m, o);
    return st;
}

/* Everything the run holds; the inline pass's store is removed (by rank 0, whose the file is). */
static void release(apply_run *r)
{
    if (r->inline_probs) {
        fclose(r->inline_probs);
        if (fc_comm_rank(r->o->comm) == 0)
            remove(r->inline_probs_path);
    }
    free(r->column);
    fc_segy_writer_destroy(r->wf);
    fc_segy_writer_destroy(r->wc);
    fc_probs_destroy(r->pr, 0);
    fc_probs_segy_destroy(r->ps);
    fc_volume_set_close(r->vs);
    fc_apply_members_free(&r->m);
    fc_survey_close(r->s);
    free(r->raw);
    free(r->planes);
    free(r->probs);
    free(r->cls);
    free(r->codes);
    free(r->conf);
    free(r->present);
    free(r->out_index);
    fc_apply_grid_free(&r->grid);
}

fc_status fc_apply(const fc_apply_options *o, fc_apply_summary *summary, fc_error *err)
{
    if (o->step < 1 || o->step > 1000 || !o->model_path || !o->survey_path || !o->out_path)
        return fc_fail(err, FC_ERR_ARGUMENT, "apply: a model, a survey, an output and a step of 1..1000 are needed");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    apply_run r;
    memset(&r, 0, sizeof r);
    fc_apply_summary sum;
    memset(&sum, 0, sizeof sum);
    r.o = o;
    r.sum = &sum;
    fc_status st =
        fc_comm_parallel(o->comm) /* each rank remembers its own sections */
            ? fc_path_format(r.state_path, sizeof r.state_path, err, "%s.partial.state.%d", o->out_path, o->comm->rank)
            : fc_path_format(r.state_path, sizeof r.state_path, err, "%s.partial.state", o->out_path);
    if (!st)
        st = fc_survey_open(&r.s, o->survey_path, &o->survey, err);
    if (!st) {
        r.in = fc_survey_get_info(r.s);
        st = fc_lines_on_2d(r.in, o->survey_path, o->il_min, o->il_max, err);
    }
    if (!st) {
        st = fc_apply_pictures_check(&r, err);
    }
    if (!st)
        st = prepare(&r, err);
    if (!st)
        st = fc_apply_count_sections(&r, err);
    int resuming = 0;
    if (!st && o->resume)
        st = fc_apply_resume_point(&r, &resuming, err);
    r.both = !st && o->orientations == (FC_CUT_INLINE | FC_CUT_CROSSLINE) && r.in->kind == FC_SURVEY_KIND_3D;
    if (!st && o->png_dir)
        st = fc_apply_pictures_folder(&r, resuming, err);
    int touched = !st; /* from here a failure leaves nothing worth resuming */
    if (!st)
        st = fc_apply_open_outputs(&r, resuming, err);
    if (!st && fc_comm_parallel(o->comm) && !resuming) /* a run killed before this rank's first section resumes */
        st = fc_apply_save_state(&r, err);
    if (!st)
        st = fc_apply_run_sections(&r, err);
    if (!st)
        st = fc_apply_commit(&r, err);
    if (st && touched)
        remove(r.state_path); /* failed outputs are removed below: nothing left to resume */
    release(&r);
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sum.seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    sum.nclasses = r.meta.classes.count;
    for (int c = 0; c < sum.nclasses; c++)
        sum.class_code[c] = r.meta.classes.c[c].code;
    if (!st && summary)
        *summary = sum;
    return st;
}
