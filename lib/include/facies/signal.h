/* facies — signal processing along traces (FFTW).
 *
 * Wavelets, convolution and spectra. The FFT plans are made with
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

#ifdef __cplusplus
}
#endif

#endif
