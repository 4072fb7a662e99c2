/* The models of an apply run: loaded, checked against each other, calibrated; a section's passes averaged. */
#include "apply_members.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/calibration.h"
#include "facies/patch.h"
#include "facies/signal.h"
#include "fail.h"
#include "log_line.h"

#define PREVIEW_BATCH 64

/* The first thing member b (at pb) does not share with the first model a (at pa), as FC_ERR_MISMATCH. */
static fc_status check_member(const fc_model_meta *a, const char *pa, const fc_model_meta *b, const char *pb,
                              int training_scale, fc_error *err)
{
    char what[32] = "", mine[1200] = "", first[1200] = "";
    if (a->classes.count != b->classes.count) {
        snprintf(what, sizeof what, "classes");
        snprintf(mine, sizeof mine, "%d classes", b->classes.count);
        snprintf(first, sizeof first, "%d", a->classes.count);
    }
    for (int c = 0; c < a->classes.count && !what[0]; c++)
        if (a->classes.c[c].code != b->classes.c[c].code || strcmp(a->classes.c[c].name, b->classes.c[c].name)) {
            snprintf(what, sizeof what, "classes");
            snprintf(mine, sizeof mine, "class %d is %d %s", c + 1, (int)b->classes.c[c].code, b->classes.c[c].name);
            snprintf(first, sizeof first, "%d %s", (int)a->classes.c[c].code, a->classes.c[c].name);
        }
    if (!what[0] && (a->in_h != b->in_h || a->in_w != b->in_w)) {
        snprintf(what, sizeof what, "patch size");
        snprintf(mine, sizeof mine, "takes %dx%d patches", b->in_h, b->in_w);
        snprintf(first, sizeof first, "%dx%d", a->in_h, a->in_w);
    }
    char ca[FC_MAX_CHANNELS * 48], cb[FC_MAX_CHANNELS * 48];
    fc_channel_names_format(a->channel, a->channels, &a->volumes, ca, sizeof ca);
    fc_channel_names_format(b->channel, b->channels, &b->volumes, cb, sizeof cb);
    if (!what[0] && strcmp(ca, cb)) {
        snprintf(what, sizeof what, "channels");
        snprintf(mine, sizeof mine, "takes channels %s", cb);
        snprintf(first, sizeof first, "%s", ca);
    }
    fc_scales_format(&a->scales, ca, sizeof ca);
    fc_scales_format(&b->scales, cb, sizeof cb);
    if (!what[0] && strcmp(ca, cb)) {
        snprintf(what, sizeof what, "scales");
        snprintf(mine, sizeof mine, "takes scales %s", cb);
        snprintf(first, sizeof first, "%s", ca);
    }
    if (!what[0] && !fc_sample_intervals_match(a->sample_interval_ms, b->sample_interval_ms)) {
        snprintf(what, sizeof what, "sample interval");
        snprintf(mine, sizeof mine, "was trained on %g ms samples", b->sample_interval_ms);
        snprintf(first, sizeof first, "%g ms", a->sample_interval_ms);
    }
    if (!what[0] && (strcmp(a->norm.method, b->norm.method) || a->norm.percentile != b->norm.percentile ||
                     (training_scale && a->norm.scale != b->norm.scale))) {
        snprintf(what, sizeof what, "normalisation");
        snprintf(mine, sizeof mine, "normalises by %s p%g (scale %g)", b->norm.method, b->norm.percentile,
                 b->norm.scale);
        snprintf(first, sizeof first, "%s p%g (scale %g)", a->norm.method, a->norm.percentile, a->norm.scale);
    }
    for (int v = 1; v < a->volumes.count && !what[0] && training_scale; v++) /* the other volumes' scales too */
        if (a->volumes.v[v].scale != b->volumes.v[v].scale) {
            snprintf(what, sizeof what, "volume scales");
            snprintf(mine, sizeof mine, "normalises volume %s by %g", b->volumes.v[v].name, b->volumes.v[v].scale);
            snprintf(first, sizeof first, "%g for %s", a->volumes.v[v].scale, a->volumes.v[v].name);
        }
    if (!what[0])
        return FC_OK;
    return fc_fail(err, FC_ERR_MISMATCH,
                   "%s: %s, but the first model %s has %s: the models of an ensemble must share their %s", pb, mine, pa,
                   first, what);
}

static fc_status load_member(fc_apply_members *m, const fc_apply_options *o, int i, const char *path,
                             fc_model_meta *first, fc_error *err)
{
    fc_model_meta *meta = i == 0 ? first : malloc(sizeof *meta);
    if (!meta)
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory");
    int batch = o->step > 1 ? PREVIEW_BATCH : 1;
    fc_status st = fc_model_load(path, batch, o->threads, &m->net[i], meta, NULL, err);
    if (!st && i > 0)
        st = check_member(first, o->model_path, meta, path, o->use_training_scale, err);
    double t = meta->temperature > 0.0 ? meta->temperature : 1.0;
    m->temperature[i] = o->no_calibration ? 1.0 : t;
    if (!st && m->temperature[i] != 1.0)
        st = fc_model_set_temperature(m->net[i], m->temperature[i], err);
    m->fitted[i] = meta->temperature;
    if (i > 0)
        free(meta);
    return st;
}

fc_status fc_apply_members_open(fc_apply_members *m, const fc_apply_options *o, fc_model_meta *meta, fc_error *err)
{
    memset(m, 0, sizeof *m);
    if (o->nmembers < 0 || o->nmembers >= FC_APPLY_MAX_MODELS)
        return fc_fail(err, FC_ERR_ARGUMENT, "apply: at most %d models", FC_APPLY_MAX_MODELS);
    fc_status st = FC_OK;
    for (int i = 0; i <= o->nmembers && !st; i++) {
        st = load_member(m, o, i, i ? o->member_paths[i - 1] : o->model_path, meta, err);
        m->n = i + 1;
    }
    if (st)
        return st;
    m->classes = meta->classes.count;
    m->channels = meta->in_c;
    m->nch = meta->channels;
    m->scales = meta->scales;
    m->ph = meta->in_h;
    m->pw = meta->in_w;
    m->step = o->step;
    m->flip = o->tta_flip;
    m->disagreement = o->uncertainty == FC_UNCERTAINTY_DISAGREEMENT;
    m->exact = 1;
    fc_sweep_options dopt = {.threads = o->threads, .method = o->direct ? FC_SWEEP_DIRECT : FC_SWEEP_FAST};
    for (int i = 0; i < m->n && !st; i++) {
        st = fc_sweep_create(&m->dense[i], m->net[i], &dopt, err);
        if (st)
            break;
        int sr, sc;
        fc_sweep_span(m->dense[i], &sr, &sc);
        if (i == 0) {
            m->sr = sr;
            m->sc = sc;
        } else if (sr != m->sr || sc != m->sc) {
            return fc_fail(err, FC_ERR_MISMATCH,
                           "%s: each output depends on %dx%d input samples, but for the first model %s on %dx%d: the "
                           "models of an ensemble must share it (the same patch size and pooling)",
                           o->member_paths[i - 1], sr, sc, o->model_path, m->sr, m->sc);
        }
        m->exact &= fc_sweep_exact(m->dense[i]);
    }
    return st;
}

fc_status fc_apply_members_reserve(fc_apply_members *m, int maxw, int nsm, fc_error *err)
{
    size_t C = (size_t)m->channels, K = (size_t)m->classes, sec = (size_t)maxw * nsm;
    m->din = malloc(sizeof(float) * fc_patch_pad_floats(m->nch, &m->scales, maxw, nsm, m->sr, m->sc));
    m->batch = malloc(sizeof(float) * C * (size_t)m->ph * m->pw * PREVIEW_BATCH);
    if (m->step > 1)
        m->grid = malloc(sizeof(float) * (size_t)((nsm + m->step - 1) / m->step) *
                         (size_t)((maxw + m->step - 1) / m->step) * K);
    int mixed = m->n > 1 || m->flip || m->disagreement;
    if (mixed) {
        m->one = malloc(sizeof(float) * K * sec);
        m->member = malloc(sizeof(float) * K * sec);
    }
    if (!m->din || !m->batch || (m->step > 1 && !m->grid) || (mixed && (!m->one || !m->member)))
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory for sections of %d x %d", maxw, nsm);
    return FC_OK;
}

void fc_apply_members_say(const fc_apply_members *m, const fc_apply_options *o)
{
    for (int i = 0; i < m->n; i++) {
        const char *path = i ? o->member_paths[i - 1] : o->model_path;
        if (m->fitted[i] > 0.0)
            fc_log_line(o->report.log, o->report.ctx, "calibration: %s: temperature %.4f%s", path, m->fitted[i],
                        o->no_calibration ? " not used (--no-calibration)" : "");
        if (fc_sweep_exact(m->dense[i]))
            fc_log_line(o->report.log, o->report.ctx, "%s%s%s", m->n > 1 ? path : "", m->n > 1 ? ": " : "",
                        fc_sweep_describe(m->dense[i]));
    }
}

int fc_apply_members_planes(const fc_apply_members *m)
{
    return m->classes + (m->disagreement ? 1 : 0);
}

/* --step N: classify every Nth sample and trace with the patch network, fill the rest from the nearest. */
static fc_status preview(fc_apply_members *m, fc_net *net, const float *planes, int width, int ns, float *out,
                         fc_error *err)
{
    int step = m->step, K = m->classes;
    int nk = (ns + step - 1) / step, nt = (width + step - 1) / step;
    size_t psz = (size_t)m->channels * m->ph * m->pw;
    int64_t total = (int64_t)nk * nt;
    for (int64_t a = 0; a < total; a += PREVIEW_BATCH) {
        int n = (int)(total - a < PREVIEW_BATCH ? total - a : PREVIEW_BATCH);
        for (int b = 0; b < n; b++) {
            int64_t g = a + b;
            int k = (int)(g / nt) * step, t = (int)(g % nt) * step;
            fc_patch_cut_scales(planes, m->nch, &m->scales, width, ns, NULL, t, k, m->ph, m->pw,
                                m->batch + (size_t)b * psz);
        }
        fc_status st = fc_net_predict(net, m->batch, n, m->grid + (size_t)a * K, err);
        if (st)
            return st;
    }
    for (int k = 0; k < ns; k++)
        for (int t = 0; t < width; t++) {
            int gk = (k + step / 2) / step, gt = (t + step / 2) / step;
            gk = gk >= nk ? nk - 1 : gk;
            gt = gt >= nt ? nt - 1 : gt;
            for (int c = 0; c < K; c++)
                out[((size_t)c * ns + k) * width + t] = m->grid[((size_t)gk * nt + gt) * K + c];
        }
    return FC_OK;
}

static fc_status pass(fc_apply_members *m, int i, const float *planes, int width, int ns, float *out, fc_error *err)
{
    if (m->step > 1)
        return preview(m, m->net[i], planes, width, ns, out, err);
    const float *in[FC_MAX_SCALES];
    fc_patch_pad_scales(planes, m->nch, &m->scales, width, ns, m->ph, m->pw, m->sr, m->sc, m->din, in);
    return fc_sweep_run_scales(m->dense[i], in, ns, width, out, err);
}

/* Left-right: trace t <-> width - 1 - t in every channel. */
static void mirror_planes(float *planes, int channels, int width, int ns)
{
    for (int c = 0; c < channels; c++) {
        float *p = planes + (size_t)c * width * ns;
        for (int t = 0; t < width / 2; t++) {
            float *a = p + (size_t)t * ns, *b = p + (size_t)(width - 1 - t) * ns;
            for (int k = 0; k < ns; k++) {
                float v = a[k];
                a[k] = b[k];
                b[k] = v;
            }
        }
    }
}

/* One member's probabilities into m->member: its pass, and with flip the mean with its pass on the mirror. */
static fc_status member_pass(fc_apply_members *m, int i, float *planes, int width, int ns, fc_error *err)
{
    fc_status st = pass(m, i, planes, width, ns, m->member, err);
    if (st || !m->flip)
        return st;
    mirror_planes(planes, m->channels, width, ns);
    st = pass(m, i, planes, width, ns, m->one, err);
    mirror_planes(planes, m->channels, width, ns);
    size_t rows = (size_t)m->classes * ns;
    for (size_t r = 0; r < rows && !st; r++) {
        float *dst = m->member + r * width;
        const float *src = m->one + r * width;
        for (int t = 0; t < width; t++)
            dst[t] = 0.5f * (dst[t] + src[width - 1 - t]);
    }
    return st;
}

fc_status fc_apply_members_run(fc_apply_members *m, float *planes, int width, int ns, float *out, fc_error *err)
{
    if (m->n == 1 && !m->flip && !m->disagreement)
        return pass(m, 0, planes, width, ns, out, err);
    size_t plane = (size_t)ns * width, n = (size_t)m->classes * plane;
    memset(out, 0, sizeof(float) * (size_t)fc_apply_members_planes(m) * plane);
    float share = 1.0f / (float)m->n;
    for (int i = 0; i < m->n; i++) {
        fc_status st = member_pass(m, i, planes, width, ns, err);
        if (st)
            return st;
        for (size_t j = 0; j < n; j++)
            out[j] += share * m->member[j];
        if (m->disagreement)
            for (size_t j = 0; j < plane; j++)
                out[n + j] += share * (float)fc_entropy(m->member + j, m->classes, plane);
    }
    return FC_OK;
}

void fc_apply_members_free(fc_apply_members *m)
{
    for (int i = 0; i < m->n; i++) {
        fc_sweep_destroy(m->dense[i]);
        fc_net_destroy(m->net[i]);
    }
    free(m->din);
    free(m->batch);
    free(m->grid);
    free(m->one);
    free(m->member);
    memset(m, 0, sizeof *m);
}
