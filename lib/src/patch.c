#include "facies/patch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"

static const char *const channel_names[FC_CHANNEL_KINDS] = {"amplitude", "envelope", "cos-phase"};

int fc_channels_parse(const char *list, fc_channel *out, int max)
{
    int n = 0;
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int found = -1;
        for (int c = 0; c < FC_CHANNEL_KINDS; c++)
            if (strlen(channel_names[c]) == len && !strncmp(p, channel_names[c], len))
                found = c;
        if (found < 0 || n == max)
            return -1;
        for (int i = 0; i < n; i++)
            if (out[i] == (fc_channel)found)
                return -1;
        out[n++] = (fc_channel)found;
        if (!e)
            break;
        p = e + 1;
    }
    return n > 0 ? n : -1;
}

void fc_channels_format(const fc_channel *ch, int n, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && at < size; i++) {
        int w = snprintf(buf + at, size - at, "%s%s", i ? "," : "", channel_names[ch[i]]);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

struct fc_sectioner {
    int width, samples, nch;
    fc_channel ch[FC_CHANNEL_KINDS];
    double inv_scale;
    fc_analytic *analytic;
    float *env, *cph;
};

fc_status fc_sectioner_create(fc_sectioner **out, int width, int samples, const fc_channel *ch, int nch,
                              const fc_normalisation *norm, fc_error *err)
{
    if (width <= 0 || samples <= 0 || nch <= 0 || nch > FC_CHANNEL_KINDS || !(norm->scale > 0.0))
        return fc_fail(err, FC_ERR_ARGUMENT, "sectioner: bad shape %d x %d, %d channels or scale %g", width, samples,
                       nch, norm->scale);
    fc_sectioner *s = calloc(1, sizeof *s);
    if (!s)
        return fc_fail(err, FC_ERR_NOMEM, "sectioner: out of memory");
    s->width = width;
    s->samples = samples;
    s->nch = nch;
    memcpy(s->ch, ch, sizeof(fc_channel) * (size_t)nch);
    s->inv_scale = 1.0 / norm->scale;
    int need_hilbert = 0;
    for (int c = 0; c < nch; c++)
        need_hilbert |= ch[c] != FC_CHANNEL_AMPLITUDE;
    if (need_hilbert) {
        fc_status st = fc_analytic_create(&s->analytic, samples, err);
        s->env = malloc(sizeof(float) * (size_t)samples);
        s->cph = malloc(sizeof(float) * (size_t)samples);
        if (st || !s->env || !s->cph) {
            fc_sectioner_destroy(s);
            return st ? st : fc_fail(err, FC_ERR_NOMEM, "sectioner: out of memory");
        }
    }
    *out = s;
    return FC_OK;
}

void fc_sectioner_destroy(fc_sectioner *s)
{
    if (!s)
        return;
    fc_analytic_destroy(s->analytic);
    free(s->env);
    free(s->cph);
    free(s);
}

static float clampf(float v, float lo, float hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void fc_sectioner_apply(fc_sectioner *s, const float *raw, float *out)
{
    size_t plane = (size_t)s->width * (size_t)s->samples;
    float inv = (float)s->inv_scale;
    for (int t = 0; t < s->width; t++) {
        const float *x = raw + (size_t)t * s->samples;
        if (s->analytic)
            fc_analytic_apply(s->analytic, x, s->env, s->cph);
        for (int c = 0; c < s->nch; c++) {
            float *o = out + c * plane + (size_t)t * s->samples;
            for (int k = 0; k < s->samples; k++) {
                switch (s->ch[c]) {
                case FC_CHANNEL_AMPLITUDE: o[k] = clampf(x[k] * inv, -1.0f, 1.0f); break;
                case FC_CHANNEL_ENVELOPE: o[k] = clampf(s->env[k] * inv, 0.0f, 1.0f); break;
                case FC_CHANNEL_COS_PHASE: o[k] = s->cph[k]; break;
                }
            }
        }
    }
}

int fc_patch_cut(const float *planes, int nch, int width, int samples, const unsigned char *present, int t, int k,
                 int height, int pw, float *out)
{
    int t0 = t - pw / 2, k0 = k - height / 2;
    if (present)
        for (int w = 0; w < pw; w++)
            if (!present[fc_reflect(t0 + w, width)])
                return -1;
    size_t plane = (size_t)width * (size_t)samples;
    for (int c = 0; c < nch; c++) {
        const float *p = planes + c * plane;
        float *o = out + (size_t)c * height * pw;
        for (int w = 0; w < pw; w++) {
            const float *tr = p + (size_t)fc_reflect(t0 + w, width) * samples;
            for (int h = 0; h < height; h++)
                o[(size_t)h * pw + w] = tr[fc_reflect(k0 + h, samples)];
        }
    }
    return 0;
}
