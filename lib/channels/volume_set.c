/* The input volumes of an ingest or apply run, read section by section into channel planes. */
#include "volume_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"

struct fc_volume_set {
    int count; /* the survey and count - 1 more */
    fc_survey *s[FC_MAX_VOLUMES];
    const char *path[FC_MAX_VOLUMES];
    char name[FC_MAX_VOLUMES][FC_VOLUME_NAME_SIZE];
    fc_sectioner *sec[FC_MAX_VOLUMES][3]; /* per volume and orientation */
    int nkinds, nsm, maxw, nscales;
    float *scratch; /* one section of another volume [maxw][ns] */
    float *one;     /* with several scales: one volume's planes [nscales][nkinds][maxw][nsm] before they are placed */
};

static int find_arg(const fc_volume_arg *given, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(given[i].name, name))
            return i;
    return -1;
}

fc_status fc_volume_args_order(const fc_volume_list *want, const char *what, const fc_volume_arg *given, int n,
                               fc_volume_arg *ordered, fc_error *err)
{
    char expect[512] = "", missing[256] = "", extra[256] = "";
    for (int v = 1; v < want->count; v++) {
        size_t at = strlen(expect);
        snprintf(expect + at, sizeof expect - at, " --volume %s=FILE", want->v[v].name);
        if (find_arg(given, n, want->v[v].name) < 0) {
            at = strlen(missing);
            snprintf(missing + at, sizeof missing - at, "%s%s", at ? ", " : "", want->v[v].name);
        }
    }
    for (int i = 0; i < n; i++) {
        int known = 0;
        for (int v = 1; v < want->count; v++)
            known |= !strcmp(want->v[v].name, given[i].name);
        for (int k = 0; k < i; k++)
            known &= strcmp(given[k].name, given[i].name) != 0; /* twice is once too many */
        if (!known) {
            size_t at = strlen(extra);
            snprintf(extra + at, sizeof extra - at, "%s%s", at ? ", " : "", given[i].name);
        }
    }
    if (missing[0] || extra[0]) {
        if (want->count == 1)
            return fc_fail(err, FC_ERR_MISMATCH, "%s takes the survey alone, no --volume (given: %s)", what, extra);
        return fc_fail(err, FC_ERR_MISMATCH, "%s takes the survey and%s; %s%s%s%s%s", what, expect,
                       missing[0] ? "missing: " : "", missing, missing[0] && extra[0] ? "; " : "",
                       extra[0] ? "not among them (or given twice): " : "", extra);
    }
    for (int v = 1; v < want->count; v++)
        ordered[v - 1] = given[find_arg(given, n, want->v[v].name)];
    return FC_OK;
}

fc_status fc_volume_set_open(fc_volume_set **out, fc_survey *s, const char *survey_path, const fc_volume_arg *extra,
                             int n, const fc_survey_options *so, fc_error *err)
{
    if (n < 0 || n > FC_MAX_VOLUMES - 1)
        return fc_fail(err, FC_ERR_ARGUMENT, "at most %d --volume beside the survey (got %d)", FC_MAX_VOLUMES - 1, n);
    for (int i = 0; i < n; i++)
        if (find_arg(extra, i, extra[i].name) >= 0)
            return fc_fail(err, FC_ERR_ARGUMENT, "--volume %s is given twice", extra[i].name);
    fc_volume_set *vs = calloc(1, sizeof *vs);
    if (!vs)
        return fc_fail(err, FC_ERR_NOMEM, "out of memory");
    vs->count = 1 + n;
    vs->s[0] = s;
    vs->path[0] = survey_path;
    snprintf(vs->name[0], sizeof vs->name[0], "survey");
    const fc_survey_info *in = fc_survey_get_info(s);
    vs->maxw = in->inline_count > in->crossline_count ? in->inline_count : in->crossline_count;
    fc_status st = FC_OK;
    for (int i = 0; i < n && !st; i++) {
        vs->path[1 + i] = extra[i].path;
        snprintf(vs->name[1 + i], sizeof vs->name[1 + i], "%s", extra[i].name);
        st = fc_survey_open(&vs->s[1 + i], extra[i].path, so, err);
        char why[600];
        if (!st && fc_survey_grid_compare(s, vs->s[1 + i], survey_path, extra[i].path, why, sizeof why))
            st = fc_fail(err, FC_ERR_MISMATCH,
                         "--volume %s=%s is not on the survey's grid: %s (run facies info %s --like %s)", extra[i].name,
                         extra[i].path, why, extra[i].path, survey_path);
    }
    if (!st && n > 0) {
        vs->scratch = malloc(sizeof(float) * (size_t)vs->maxw * (size_t)in->sample_count);
        if (!vs->scratch)
            st = fc_fail(err, FC_ERR_NOMEM, "out of memory for a section of %d x %d", vs->maxw, in->sample_count);
    }
    if (st) {
        fc_volume_set_close(vs);
        return st;
    }
    *out = vs;
    return FC_OK;
}

void fc_volume_set_close(fc_volume_set *vs)
{
    if (!vs)
        return;
    for (int v = 0; v < FC_MAX_VOLUMES; v++) {
        for (int o = 0; o < 3; o++)
            fc_sectioner_destroy(vs->sec[v][o]);
        if (v > 0)
            fc_survey_close(vs->s[v]);
    }
    free(vs->scratch);
    free(vs->one);
    free(vs);
}

int fc_volume_set_count(const fc_volume_set *vs)
{
    return vs->count;
}

void fc_volume_set_refs(const fc_volume_set *vs, fc_volume_list *vl)
{
    vl->count = vs->count;
    for (int v = 0; v < vs->count; v++) {
        fc_volume_ref *r = &vl->v[v];
        snprintf(r->name, sizeof r->name, "%s", vs->name[v]);
        snprintf(r->path, sizeof r->path, "%s", vs->path[v]);
        r->size = fc_survey_get_info(vs->s[v])->file_size;
        fc_survey_fingerprint(vs->s[v], r->hash);
    }
}

fc_status fc_volume_set_measure(fc_volume_set *vs, double percentile, int stats_traces, fc_volume_list *vl,
                                fc_error *err)
{
    for (int v = 0; v < vs->count; v++) {
        fc_amplitude_stats a;
        fc_status st = fc_survey_amplitude_stats(vs->s[v], stats_traces, &a, err);
        if (st)
            return st;
        vl->v[v].scale = percentile >= 99.9 ? a.abs_p999 : a.abs_p99;
        if (!(vl->v[v].scale > 0.0))
            return fc_fail(err, FC_ERR_FORMAT, "%s: the sampled traces are all zero; nothing to normalise by",
                           vs->path[v]);
    }
    return FC_OK;
}

fc_status fc_volume_set_prepare(fc_volume_set *vs, const fc_channel *kinds, int nkinds, const fc_scales *scales,
                                int nsm, const fc_volume_list *vl, fc_error *err)
{
    if (vl->count != vs->count)
        return fc_fail(err, FC_ERR_ARGUMENT, "volumes: %d scales for %d volumes", vl->count, vs->count);
    vs->nkinds = nkinds;
    vs->nsm = nsm;
    vs->nscales = scales ? fc_scales_count(scales) : 1;
    if (vs->nscales > 1) {
        vs->one = malloc(sizeof(float) * (size_t)vs->nscales * (size_t)nkinds * (size_t)vs->maxw * (size_t)nsm);
        if (!vs->one)
            return fc_fail(err, FC_ERR_NOMEM, "volumes: out of memory for sections of %d scales", vs->nscales);
    }
    fc_status st = FC_OK;
    for (int v = 0; v < vs->count && !st; v++) {
        fc_normalisation norm = {.method = "clip_abs_percentile", .scale = vl->v[v].scale};
        for (int o = 0; o < 3 && !st; o++) {
            int width = fc_survey_section_width(vs->s[0], (fc_orientation)o);
            if (width > 0)
                st = fc_sectioner_create(&vs->sec[v][o], width, nsm, kinds, nkinds, &norm, err);
            if (!st && width > 0 && vs->nscales > 1)
                st = fc_sectioner_set_scales(vs->sec[v][o], scales, err);
        }
    }
    return st;
}

fc_status fc_volume_set_section(fc_volume_set *vs, fc_orientation o, int line, float *raw, unsigned char *present,
                                fc_volume_prep_fn prep, void *ctx, float *planes, fc_error *err)
{
    int width = fc_survey_section_width(vs->s[0], o), ns = fc_survey_get_info(vs->s[0])->sample_count;
    size_t volume_floats = (size_t)vs->nkinds * (size_t)width * (size_t)vs->nsm;
    for (int v = 0; v < vs->count; v++) {
        float *into = v == 0 ? raw : vs->scratch;
        fc_status st = fc_survey_read_section(vs->s[v], o, line, 0, ns, into, v == 0 ? present : NULL, err);
        if (st)
            return st;
        const float *use = prep ? prep(ctx, into, width) : into;
        if (vs->nscales == 1) {
            fc_sectioner_apply(vs->sec[v][o], use, planes + (size_t)v * volume_floats);
            continue;
        }
        fc_sectioner_apply(vs->sec[v][o], use, vs->one); /* [scale][kind], placed at [scale][volume][kind] */
        for (int k = 0; k < vs->nscales; k++)
            memcpy(planes + ((size_t)k * vs->count + v) * volume_floats, vs->one + (size_t)k * volume_floats,
                   sizeof(float) * volume_floats);
    }
    return FC_OK;
}

int64_t fc_volume_set_extra_trace_bytes(const fc_volume_set *vs)
{
    int64_t b = 0;
    for (int v = 1; v < vs->count; v++)
        b += fc_survey_get_info(vs->s[v])->trace_bytes;
    return b;
}
