/* The only module that includes FFTW. */
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "facies/signal.h"
#include "fail.h"

/* Reproducible plans: no measuring, no SIMD-dependent codelet choice. */
#define PLAN_FLAGS (FFTW_ESTIMATE | FFTW_NO_SIMD)

void fc_ricker(float *w, int n, double f_hz, double dt_ms)
{
    double a = M_PI * f_hz;
    for (int i = 0; i < n; i++) {
        double t = (i - n / 2) * dt_ms * 1e-3;
        double x = a * a * t * t;
        w[i] = (float)((1.0 - 2.0 * x) * exp(-x));
    }
}

struct fc_convolver {
    int n, nfft, wn;
    double *time;
    fftw_complex *freq, *wspec;
    fftw_plan forward, backward;
};

fc_status fc_convolver_create(fc_convolver **out, int n, const float *wavelet, int wn, fc_error *err)
{
    if (n <= 0 || wn <= 0 || wn % 2 == 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "convolver: trace length %d and odd wavelet length %d required", n, wn);
    fc_convolver *c = calloc(1, sizeof *c);
    if (!c)
        return fc_fail(err, FC_ERR_NOMEM, "convolver: out of memory");
    c->n = n;
    c->wn = wn;
    int need = n + wn, nfft = 1;
    while (nfft < need)
        nfft *= 2;
    c->nfft = nfft;
    c->time = fftw_alloc_real((size_t)nfft);
    c->freq = fftw_alloc_complex((size_t)nfft / 2 + 1);
    c->wspec = fftw_alloc_complex((size_t)nfft / 2 + 1);
    if (!c->time || !c->freq || !c->wspec) {
        fc_convolver_destroy(c);
        return fc_fail(err, FC_ERR_NOMEM, "convolver: out of memory");
    }
    c->forward = fftw_plan_dft_r2c_1d(nfft, c->time, c->freq, PLAN_FLAGS);
    c->backward = fftw_plan_dft_c2r_1d(nfft, c->freq, c->time, PLAN_FLAGS);
    if (!c->forward || !c->backward) {
        fc_convolver_destroy(c);
        return fc_fail(err, FC_ERR_NOMEM, "convolver: FFTW could not plan a transform of %d", nfft);
    }
    /* Wavelet spectrum, with its centre moved to sample 0 (circular shift). */
    memset(c->time, 0, sizeof(double) * (size_t)nfft);
    for (int j = 0; j < wn; j++)
        c->time[(j - wn / 2 + nfft) % nfft] = wavelet[j];
    fftw_execute(c->forward);
    memcpy(c->wspec, c->freq, sizeof(fftw_complex) * ((size_t)nfft / 2 + 1));
    *out = c;
    return FC_OK;
}

void fc_convolver_apply(fc_convolver *c, const float *in, float *out)
{
    memset(c->time, 0, sizeof(double) * (size_t)c->nfft);
    for (int k = 0; k < c->n; k++)
        c->time[k] = in[k];
    fftw_execute(c->forward);
    for (int f = 0; f <= c->nfft / 2; f++) {
        double re = c->freq[f][0] * c->wspec[f][0] - c->freq[f][1] * c->wspec[f][1];
        double im = c->freq[f][0] * c->wspec[f][1] + c->freq[f][1] * c->wspec[f][0];
        c->freq[f][0] = re;
        c->freq[f][1] = im;
    }
    fftw_execute(c->backward);
    for (int k = 0; k < c->n; k++)
        out[k] = (float)(c->time[k] / c->nfft);
}

void fc_convolver_destroy(fc_convolver *c)
{
    if (!c)
        return;
    if (c->forward)
        fftw_destroy_plan(c->forward);
    if (c->backward)
        fftw_destroy_plan(c->backward);
    fftw_free(c->time);
    fftw_free(c->freq);
    fftw_free(c->wspec);
    free(c);
}

fc_status fc_amplitude_spectrum(const float *x, int n, double *out, fc_error *err)
{
    if (n <= 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "spectrum: length %d", n);
    double *t = fftw_alloc_real((size_t)n);
    fftw_complex *f = fftw_alloc_complex((size_t)n / 2 + 1);
    fftw_plan p = t && f ? fftw_plan_dft_r2c_1d(n, t, f, PLAN_FLAGS) : NULL;
    if (!p) {
        fftw_free(t);
        fftw_free(f);
        return fc_fail(err, FC_ERR_NOMEM, "spectrum: out of memory");
    }
    for (int i = 0; i < n; i++)
        t[i] = x[i];
    fftw_execute(p);
    for (int k = 0; k <= n / 2; k++)
        out[k] = hypot(f[k][0], f[k][1]);
    fftw_destroy_plan(p);
    fftw_free(t);
    fftw_free(f);
    return FC_OK;
}

struct fc_analytic {
    int n;
    double *time;
    fftw_complex *half, *full;
    fftw_plan forward, backward;
};

fc_status fc_analytic_create(fc_analytic **out, int n, fc_error *err)
{
    if (n <= 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "analytic signal: length %d", n);
    fc_analytic *a = calloc(1, sizeof *a);
    if (!a)
        return fc_fail(err, FC_ERR_NOMEM, "analytic signal: out of memory");
    a->n = n;
    a->time = fftw_alloc_real((size_t)n);
    a->half = fftw_alloc_complex((size_t)n / 2 + 1);
    a->full = fftw_alloc_complex((size_t)n);
    if (a->time && a->half && a->full) {
        a->forward = fftw_plan_dft_r2c_1d(n, a->time, a->half, PLAN_FLAGS);
        a->backward = fftw_plan_dft_1d(n, a->full, a->full, FFTW_BACKWARD, PLAN_FLAGS);
    }
    if (!a->forward || !a->backward) {
        fc_analytic_destroy(a);
        return fc_fail(err, FC_ERR_NOMEM, "analytic signal: out of memory for a transform of %d", n);
    }
    *out = a;
    return FC_OK;
}

void fc_analytic_apply(fc_analytic *a, const float *x, float *envelope, float *cos_phase)
{
    int n = a->n;
    for (int k = 0; k < n; k++)
        a->time[k] = x[k];
    fftw_execute(a->forward);
    /* Analytic spectrum: keep DC (and Nyquist), double positive, zero negative frequencies. */
    memset(a->full, 0, sizeof(fftw_complex) * (size_t)n);
    for (int f = 0; f <= n / 2; f++) {
        double w = (f == 0 || (n % 2 == 0 && f == n / 2)) ? 1.0 : 2.0;
        a->full[f][0] = w * a->half[f][0];
        a->full[f][1] = w * a->half[f][1];
    }
    fftw_execute(a->backward);
    for (int k = 0; k < n; k++) {
        double re = a->full[k][0] / n, im = a->full[k][1] / n;
        double env = hypot(re, im);
        if (envelope)
            envelope[k] = (float)env;
        if (cos_phase)
            cos_phase[k] = env > 0.0 ? (float)(re / env) : 0.0f;
    }
}

void fc_analytic_destroy(fc_analytic *a)
{
    if (!a)
        return;
    if (a->forward)
        fftw_destroy_plan(a->forward);
    if (a->backward)
        fftw_destroy_plan(a->backward);
    fftw_free(a->time);
    fftw_free(a->half);
    fftw_free(a->full);
    free(a);
}
