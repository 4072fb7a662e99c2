/* Band-limited resampling of traces (see signal.h). With signal_fft.c and signal_fft2.c, the only code that includes
 * FFTW.
 *
 * A trace of n samples is made periodic over M samples (M dt_in = M' dt_out with M, M' integers): the P = M - n
 * samples after it blend, under a cos^2 window, the trace's odd reflection about its last sample into its odd
 * reflection about its first. The periodic signal then has a continuous value and slope everywhere, so its
 * spectrum falls as 1/f^3 and the band-limited series does not ring at the trace's ends as a plain FFT (a jump)
 * or an even reflection (a kink) would. Its M-point spectrum, bin for bin, is the M'-point spectrum of the same
 * series sampled at dt_out: the output is one inverse FFT of the scaled bins (cut at the new Nyquist, with a
 * cosine taper, when decimating). */
#include <fftw3.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "facies/signal.h"
#include "fail.h"

/* Reproducible plans: no measuring, no SIMD-dependent codelet choice (as signal_fft.c). */
#define PLAN_FLAGS (FFTW_ESTIMATE | FFTW_NO_SIMD)
#define MAX_FFT (1 << 24)   /* points of either transform: 128 MB of doubles */
#define TAPER_FRACTION 0.15 /* decimating: the top of the new band rolled off by a cosine */

struct fc_resampler {
    int n_in, n_out;
    int64_t p, q; /* dt_in / dt_out = p / q in lowest terms (microseconds) */
    int M, Mout;  /* periods of the input and the output, in their own samples */
    double *in, *out;
    fftw_complex *spec, *spec_out;
    fftw_plan forward, backward;
};

int fc_sample_intervals_match(double a_ms, double b_ms)
{
    if (!(a_ms > 0.0) || !(b_ms > 0.0))
        return 1;
    return fabs(a_ms - b_ms) <= 1e-6 * fmax(a_ms, b_ms);
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* 1 when m has no prime factor above 7: sizes FFTW transforms fast. */
static int smooth(int64_t m)
{
    static const int f[4] = {2, 3, 5, 7};
    for (int i = 0; i < 4; i++)
        while (m % f[i] == 0)
            m /= f[i];
    return m == 1;
}

fc_status fc_resampler_create(fc_resampler **out, int n_in, double dt_in_ms, double dt_out_ms, fc_error *err)
{
    int64_t din = llround(dt_in_ms * 1000.0), dout = llround(dt_out_ms * 1000.0);
    if (n_in < 2 || !(dt_in_ms > 0.0) || !(dt_out_ms > 0.0) || din < 1 || dout < 1 || din > 65535 || dout > 65535)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "resample: need 2 or more samples and intervals of 0.001..65.535 ms (got %d at %g ms to %g ms)",
                       n_in, dt_in_ms, dt_out_ms);
    int64_t g = gcd64(din, dout), p = din / g, q = dout / g;
    /* Padding of at least half the trace (and 16 samples): a gentle blend; M a multiple of q, M / q smooth. */
    int64_t need = n_in + (n_in / 2 > 16 ? n_in / 2 : 16), m = (need + q - 1) / q;
    while (!smooth(m))
        m++;
    int64_t M = m * q, Mout = m * p;
    if (M > MAX_FFT || Mout > MAX_FFT)
        return fc_fail(err, FC_ERR_ARGUMENT, "resample: %d samples from %g ms to %g ms need a transform of %lld points",
                       n_in, dt_in_ms, dt_out_ms, (long long)(M > Mout ? M : Mout));
    fc_resampler *r = calloc(1, sizeof *r);
    if (!r)
        return fc_fail(err, FC_ERR_NOMEM, "resample: out of memory");
    *r = (fc_resampler){.n_in = n_in, .p = p, .q = q, .M = (int)M, .Mout = (int)Mout};
    r->n_out = (int)((int64_t)(n_in - 1) * p / q + 1);
    r->in = fftw_alloc_real((size_t)M);
    r->out = fftw_alloc_real((size_t)Mout);
    r->spec = fftw_alloc_complex((size_t)M / 2 + 1);
    r->spec_out = fftw_alloc_complex((size_t)Mout / 2 + 1);
    if (r->in && r->out && r->spec && r->spec_out) {
        r->forward = fftw_plan_dft_r2c_1d((int)M, r->in, r->spec, PLAN_FLAGS);
        r->backward = fftw_plan_dft_c2r_1d((int)Mout, r->spec_out, r->out, PLAN_FLAGS);
    }
    if (!r->forward || !r->backward) {
        fc_resampler_destroy(r);
        return fc_fail(err, FC_ERR_NOMEM, "resample: out of memory for transforms of %lld and %lld points",
                       (long long)M, (long long)Mout);
    }
    *out = r;
    return FC_OK;
}

int fc_resampler_length(const fc_resampler *r)
{
    return r->n_out;
}

/* Weight of bin k: 1 in the band, a cosine roll-off to 0 at the new Nyquist when decimating. */
static double band(const fc_resampler *r, int k)
{
    if (r->Mout >= r->M)
        return 1.0;
    double nyquist = 0.5 * r->Mout, edge = (1.0 - TAPER_FRACTION) * nyquist;
    if (k <= edge)
        return 1.0;
    return k >= nyquist ? 0.0 : 0.5 * (1.0 + cos(M_PI * (k - edge) / (nyquist - edge)));
}

/* Sample i of the trace reflected evenly past its ends as often as needed (only very short traces need more than
 * once). */
static float at(const float *x, int n, int64_t i)
{
    int64_t period = 2 * (int64_t)(n - 1), m = ((i % period) + period) % period;
    return x[m < n ? m : period - m];
}

void fc_resampler_apply(fc_resampler *r, const float *in, float *out)
{
    int n = r->n_in, M = r->M, Mout = r->Mout, P = M - n;
    double first = in[0], last = in[n - 1];
    for (int i = 0; i < n; i++)
        r->in[i] = in[i];
    for (int i = 1; i <= P; i++) { /* pad sample n - 1 + i, which is sample -(P + 1 - i) of the next period */
        double w = cos(0.5 * M_PI * i / (P + 1.0));
        double tail = 2.0 * last - at(in, n, n - 1 - i), head = 2.0 * first - at(in, n, P + 1 - i);
        r->in[n - 1 + i] = w * w * tail + (1.0 - w * w) * head;
    }
    fftw_execute(r->forward);
    int half = M / 2, half_out = Mout / 2, kmax = half < half_out ? half : half_out;
    double scale = 1.0 / M;
    for (int k = 0; k <= half_out; k++) {
        double g = k <= kmax ? scale * band(r, k) : 0.0;
        r->spec_out[k][0] = k <= kmax ? g * r->spec[k][0] : 0.0;
        r->spec_out[k][1] = k <= kmax ? g * r->spec[k][1] : 0.0;
    }
    /* An even input's Nyquist bin stands for a cosine; inside a longer spectrum it is shared with its mirror. */
    if (Mout > M && M % 2 == 0) {
        r->spec_out[half][0] *= 0.5;
        r->spec_out[half][1] = 0.0;
    }
    fftw_execute(r->backward);
    for (int j = 0; j < r->n_out; j++)
        out[j] = (float)r->out[j];
}

void fc_resampler_position(const fc_resampler *r, int k, int *lo, float *w)
{
    int64_t num = (int64_t)k * r->p; /* k dt_in / dt_out = num / q output samples */
    int64_t at = num / r->q;
    if (at >= r->n_out - 1) {
        *lo = r->n_out - 1;
        *w = 0.0f;
        return;
    }
    *lo = (int)at;
    *w = (float)((double)(num % r->q) / (double)r->q);
}

void fc_resampler_destroy(fc_resampler *r)
{
    if (!r)
        return;
    if (r->forward)
        fftw_destroy_plan(r->forward);
    if (r->backward)
        fftw_destroy_plan(r->backward);
    fftw_free(r->in);
    fftw_free(r->out);
    fftw_free(r->spec);
    fftw_free(r->spec_out);
    free(r);
}
