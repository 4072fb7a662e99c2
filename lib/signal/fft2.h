/* Internal: batches of single-precision 2-D real FFTs for frequency-domain convolution
 * (sweep_fft.c). signal_fft2.c is, with signal_fft.c, the only code that includes FFTW.
 *
 * A batch is `howmany` real n0 x n1 arrays stored one after the other ([howmany][n0][n1]). Their half spectra
 * (n0 x (n1/2 + 1) bins each, interleaved re, im) are stored array by array ([howmany][bins][2], FC_FFT2_BY_ARRAY)
 * or bin by bin ([bins][howmany][2], FC_FFT2_BY_BIN: one frequency of every array is contiguous, as a product
 * across arrays per frequency wants it). The transforms are unnormalised (inverse(forward(x)) = n0 n1 x). */
#ifndef FACIES_FFT2_H
#define FACIES_FFT2_H

#include <stddef.h>

#include "facies/error.h"

typedef struct fc_fft2 fc_fft2;

typedef enum { FC_FFT2_BY_ARRAY, FC_FFT2_BY_BIN } fc_fft2_layout;

/* Plans both directions for this shape (FFTW_ESTIMATE: no measuring, the same plan every time). Not thread-safe
 * (FFTW's planner is not): create and destroy outside parallel regions. Executing is thread-safe. */
fc_status fc_fft2_create(fc_fft2 **out, int n0, int n1, int howmany, fc_fft2_layout layout, fc_error *err);
void fc_fft2_destroy(fc_fft2 *f);

/* Bins per array: n0 * (n1 / 2 + 1). */
int fc_fft2_bins(const fc_fft2 *f);

/* Memory aligned as the plans need (NULL when out of memory; free with fc_fft2_free). Arrays handed to the
 * transforms start at the pointer returned or at a multiple of FC_FFT2_ALIGN floats after it. */
#define FC_FFT2_ALIGN 16
float *fc_fft2_alloc(size_t floats);
void fc_fft2_free(void *p);

/* real [howmany][n0][n1] -> spec (in the plan's layout). */
void fc_fft2_forward(const fc_fft2 *f, float *real, float *spec);

/* spec (in the plan's layout) -> real [howmany][n0][n1]; spec is overwritten (complex-to-real destroys its input). */
void fc_fft2_inverse(const fc_fft2 *f, float *spec, float *real);

#endif
