/* facies — signal processing along traces (FFTW).
 *
 * Wavelets, convolution, spectra and resampling. The FFT plans are made with
 * FFTW_ESTIMATE and without SIMD codelets so that results are the same on
 * every machine for a given FFTW version.
 */
#ifndef FACIES_SIGNAL_H
#define FACIES_SIGNAL_H

#include "facies/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Zero-phase Ricker wavelet of peak frequency f_hz sampled at dt_ms, centred
 * on sample n/2 (n odd). w is caller-sized for n floats; peak value 1. */
void fc_ricker(float *w, int n, double f_hz, double dt_ms);

/* Convolves traces of a fixed length with a fixed zero-phase wavelet,
 * through the FFT. Owns its plans and buffers. */
typedef struct fc_convolver fc_convolver;

/* n: trace length; wavelet of wn samples (odd), centred. Free with
 * fc_convolver_destroy. */
fc_status fc_convolver_create(fc_convolver **out, int n, const float *wavelet, int wn, fc_error *err);

/* out[k] = sum_j in[k - j + wn/2] * wavelet[j]: the same length as in, zero outside. in and out may alias. */
void fc_convolver_apply(fc_convolver *c, const float *in, float *out);

void fc_convolver_destroy(fc_convolver *c);

/* Amplitude spectrum |X(f)| of a real signal of n samples, for the n/2 + 1
 * frequencies k / (n dt). out is caller-sized for n/2 + 1 doubles. */
fc_status fc_amplitude_spectrum(const float *x, int n, double *out, fc_error *err);

/* Instantaneous attributes of traces of a fixed length, from the analytic
 * signal x + i H[x] (Hilbert transform through the FFT). */
typedef struct fc_analytic fc_analytic;

fc_status fc_analytic_create(fc_analytic **out, int n, fc_error *err);

/* envelope[k] = |x + iH[x]|, cos_phase[k] = x / envelope (0 where the
 * envelope is 0). Either output may be NULL. */
void fc_analytic_apply(fc_analytic *a, const float *x, float *envelope, float *cos_phase);

void fc_analytic_destroy(fc_analytic *a);

/* 1 when two sample intervals (ms) are the same to 1e-6 relative, or when either is unknown (<= 0: a file written
 * before facies recorded intervals); 0 otherwise. */
int fc_sample_intervals_match(double a_ms, double b_ms);

/* Anti-alias low-pass of sections before sampling them every K samples and K traces (the coarse views of
 * --scales): a zero-phase windowed sinc cut at 0.5 / K cycles per sample along both axes, the section extended
 * by reflection at its edges (the padding rule of ingest and apply). */
#define FC_MAX_SCALE_FACTOR 16
typedef struct fc_lowpass fc_lowpass;

/* Sections of width traces x samples samples, factor 2..FC_MAX_SCALE_FACTOR. Free with fc_lowpass_destroy. */
fc_status fc_lowpass_create(fc_lowpass **out, int width, int samples, int factor, fc_error *err);

/* in, out: trace-major [width][samples]; they may alias. */
void fc_lowpass_apply(fc_lowpass *lp, const float *in, float *out);

void fc_lowpass_destroy(fc_lowpass *lp);

/* Band-limited resampling of traces of a fixed length from one sample interval to another (Fourier interpolation,
 * through FFTW's type-I DCT of the trace extended by even reflection, so its ends do not ring as a periodic
 * extension would). The output grid starts at the input's first sample and covers its time span: sample j is at
 * j * dt_out, j = 0 .. floor((n_in - 1) dt_in / dt_out). Decimating (dt_out > dt_in), the spectrum is cut at the
 * new Nyquist with a cosine taper over its top 15%, so nothing above it folds back. Intervals are taken to the
 * microsecond (as SEG-Y stores them); any ratio works, 3 ms -> 4 ms as well as 2 -> 4. Owns its plans and
 * buffers: make one per trace length, outside parallel regions (FFTW's planner is not thread-safe); one
 * resampler runs one trace at a time. */
typedef struct fc_resampler fc_resampler;

/* n_in >= 2 samples at dt_in_ms to dt_out_ms (both 0.001 .. 65.535 ms). Free with fc_resampler_destroy. */
fc_status fc_resampler_create(fc_resampler **out, int n_in, double dt_in_ms, double dt_out_ms, fc_error *err);

/* Samples of an output trace. */
int fc_resampler_length(const fc_resampler *r);

/* out (caller-sized for fc_resampler_length floats) = in (n_in floats) on the new grid. */
void fc_resampler_apply(fc_resampler *r, const float *in, float *out);

/* Where input sample k falls on the output grid: between output samples *lo and *lo + 1, at fraction *w of the
 * way (0 <= w < 1; *lo + 1 stays inside the output, w = 0 at its last sample). The nearest output sample is
 * *lo + (*w >= 0.5). */
void fc_resampler_position(const fc_resampler *r, int k, int *lo, float *w);

void fc_resampler_destroy(fc_resampler *r);

/* Index into [0, n) by reflection about the ends without repeating the edge
 * sample (..., 2, 1, 0, 1, 2, ..., n-2, n-1, n-2, ...), the padding rule of
 * ingest and apply. n = 1 gives 0. */
static inline long fc_reflect(long x, long n)
{
    if (n <= 1)
        return 0;
    long p = 2 * (n - 1);
    x %= p;
    if (x < 0)
        x += p;
    return x >= n ? p - x : x;
}

#ifdef __cplusplus
}
#endif

#endif
