#include "facies/patch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"

static const char *const channel_names[FC_CHANNEL_KINDS] = {"amplitude", "envelope", "cos-phase"};

fc_status fc_channels_parse(const char *list, fc_channel *out, int max, int *count, fc_error *err)
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
        if (found < 0)
            return fc_fail(err, FC_ERR_ARGUMENT, "'%.*s' is no channel: use amplitude, envelope, cos-phase", (int)len,
                           p);
        if (n == max)
            return fc_fail(err, FC_ERR_ARGUMENT, "'%s': more than %d channels", list, max);
        for (int i = 0; i < n; i++)
            if (out[i] == (fc_channel)found)
                return fc_fail(err, FC_ERR_ARGUMENT, "'%s': %s twice", list, channel_names[found]);
        out[n++] = (fc_channel)found;
        if (!e)
            break;
        p = e + 1;
    }
    if (n == 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "no channel given: use amplitude, envelope, cos-phase");
    *count = n;
    return FC_OK;
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
    fc_scales scales;
    fc_lowpass *lowpass[FC_MAX_SCALES]; /* [0] unused: scale 1 is the section */
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
    for (int i = 0; i < FC_MAX_SCALES; i++)
        fc_lowpass_destroy(s->lowpass[i]);
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
    for (int i = 1; i < s->scales.n; i++)
        for (int c = 0; c < s->nch; c++)
            fc_lowpass_apply(s->lowpass[i], out + c * plane, out + ((size_t)i * s->nch + c) * plane);
}

/* The patch of every K-th sample and trace around (t, k); K = 1 is the usual patch. */
static int cut_every(const float *planes, int nch, int width, int samples, const unsigned char *present, int t, int k,
                     int height, int pw, int K, float *out)
{
    long t0 = t - (long)K * (pw / 2), k0 = k - (long)K * (height / 2);
    if (present)
        for (int w = 0; w < pw; w++)
            if (!present[fc_reflect(t0 + (long)K * w, width)])
                return -1;
    size_t plane = (size_t)width * (size_t)samples;
    for (int c = 0; c < nch; c++) {
        const float *p = planes + c * plane;
        float *o = out + (size_t)c * height * pw;
        for (int w = 0; w < pw; w++) {
            const float *tr = p + (size_t)fc_reflect(t0 + (long)K * w, width) * samples;
            for (int h = 0; h < height; h++)
                o[(size_t)h * pw + w] = tr[fc_reflect(k0 + (long)K * h, samples)];
        }
    }
    return 0;
}

int fc_patch_cut(const float *planes, int nch, int width, int samples, const unsigned char *present, int t, int k,
                 int height, int pw, float *out)
{
    return cut_every(planes, nch, width, samples, present, t, k, height, pw, 1, out);
}

int fc_patch_cut_scales(const float *planes, int nch, const fc_scales *scales, int width, int samples,
                        const unsigned char *present, int t, int k, int height, int pw, float *out)
{
    size_t plane = (size_t)width * (size_t)samples, patch = (size_t)height * pw;
    for (int i = 0; i < fc_scales_count(scales); i++) {
        int K = i ? scales->factor[i] : 1;
        if (cut_every(planes + (size_t)i * nch * plane, nch, width, samples, present, t, k, height, pw, K,
                      out + (size_t)i * nch * patch))
            return -1;
    }
    return 0;
}

size_t fc_patch_pad_floats(int nch, const fc_scales *scales, int width, int samples, int sr, int sc)
{
    size_t n = 0;
    for (int s = 0; s < fc_scales_count(scales); s++) {
        size_t K = (size_t)(s ? scales->factor[s] : 1);
        n += (size_t)nch * ((size_t)samples + K * (size_t)(sr - 1)) * ((size_t)width + K * (size_t)(sc - 1));
    }
    return n;
}

void fc_patch_pad_scales(const float *planes, int nch, const fc_scales *scales, int width, int samples, int height,
                         int pw, int sr, int sc, float *out, const float **in)
{
    size_t plane = (size_t)width * samples;
    for (int s = 0; s < fc_scales_count(scales); s++) {
        int K = s ? scales->factor[s] : 1, H = samples + K * (sr - 1), W = width + K * (sc - 1);
        in[s] = out;
        for (int c = 0; c < nch; c++) {
            const float *src = planes + (size_t)(s * nch + c) * plane;
            for (int y = 0; y < H; y++) {
                long k = fc_reflect(y - (long)K * (height / 2), samples);
                float *dst = out + ((size_t)c * H + y) * W;
                for (int x = 0; x < W; x++)
                    dst[x] = src[(size_t)fc_reflect(x - (long)K * (pw / 2), width) * samples + k];
            }
        }
        out += (size_t)nch * H * W;
    }
}

int fc_scales_count(const fc_scales *s)
{
    return s && s->n > 1 ? s->n : 1;
}

fc_status fc_scales_parse(const char *list, fc_scales *out, fc_error *err)
{
    fc_scales s = {0};
    const char *p = list;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        int bad = end == p || (*end && *end != ',') || s.n == FC_MAX_SCALES ||
                  (s.n == 0 ? v != 1 : v <= s.factor[s.n - 1] || v > FC_MAX_SCALE_FACTOR);
        if (bad)
            break;
        s.factor[s.n++] = (int)v;
        p = *end ? end + 1 : end;
        if (*end && !*p) {
            s.n = 0;
            break;
        }
    }
    if (*p || s.n == 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "'%s': give 1 then increasing factors 2..%d, at most %d in all (e.g. 1,4)",
                       list, FC_MAX_SCALE_FACTOR, FC_MAX_SCALES);
    *out = s;
    return FC_OK;
}

void fc_scales_format(const fc_scales *s, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < fc_scales_count(s) && at < size; i++) {
        int w = snprintf(buf + at, size - at, "%s%d", i ? "," : "", i ? s->factor[i] : 1);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

fc_status fc_sectioner_set_scales(fc_sectioner *s, const fc_scales *scales, fc_error *err)
{
    for (int i = 1; i < fc_scales_count(scales); i++) {
        fc_status st = fc_lowpass_create(&s->lowpass[i], s->width, s->samples, scales->factor[i], err);
        if (st)
            return st;
    }
    s->scales = *scales;
    return FC_OK;
}
