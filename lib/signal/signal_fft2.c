/* Batched 2-D real FFTs in single precision (see fft2.h). */
#include "fft2.h"

#include <fftw3.h>
#include <stdlib.h>

#include "fail.h"

struct fc_fft2 {
    int n0, n1, howmany;
    fftwf_plan forward, inverse;
};

fc_status fc_fft2_create(fc_fft2 **out, int n0, int n1, int howmany, fc_fft2_layout layout, fc_error *err)
{
    if (n0 < 1 || n1 < 1 || howmany < 1)
        return fc_fail(err, FC_ERR_ARGUMENT, "fft: bad batch %d x %d x %d", howmany, n0, n1);
    fc_fft2 *f = calloc(1, sizeof *f);
    if (!f)
        return fc_fail(err, FC_ERR_NOMEM, "fft: out of memory");
    *f = (fc_fft2){.n0 = n0, .n1 = n1, .howmany = howmany};
    int bins = fc_fft2_bins(f), n[2] = {n0, n1};
    /* The planner only looks at these arrays (FFTW_ESTIMATE does not write them); the executions get their own. */
    float *r = fftwf_alloc_real((size_t)howmany * n0 * n1);
    fftwf_complex *s = fftwf_alloc_complex((size_t)howmany * bins);
    /* Bin by bin: consecutive bins of one array are `howmany` apart, consecutive arrays adjacent. */
    int stride = layout == FC_FFT2_BY_BIN ? howmany : 1, dist = layout == FC_FFT2_BY_BIN ? 1 : bins;
    if (r && s) {
        f->forward = fftwf_plan_many_dft_r2c(2, n, howmany, r, NULL, 1, n0 * n1, s, NULL, stride, dist, FFTW_ESTIMATE);
        f->inverse = fftwf_plan_many_dft_c2r(2, n, howmany, s, NULL, stride, dist, r, NULL, 1, n0 * n1,
                                             FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
    }
    fftwf_free(r);
    fftwf_free(s);
    if (!f->forward || !f->inverse) {
        fc_fft2_destroy(f);
        return fc_fail(err, FC_ERR_NOMEM, "fft: FFTW could not plan %d transforms of %d x %d", howmany, n0, n1);
    }
    *out = f;
    return FC_OK;
}

void fc_fft2_destroy(fc_fft2 *f)
{
    if (!f)
        return;
    if (f->forward)
        fftwf_destroy_plan(f->forward);
    if (f->inverse)
        fftwf_destroy_plan(f->inverse);
    free(f);
}

int fc_fft2_bins(const fc_fft2 *f)
{
    return f->n0 * (f->n1 / 2 + 1);
}

float *fc_fft2_alloc(size_t floats)
{
    return fftwf_alloc_real(floats);
}

void fc_fft2_free(void *p)
{
    fftwf_free(p);
}

void fc_fft2_forward(const fc_fft2 *f, float *real, float *spec)
{
    fftwf_execute_dft_r2c(f->forward, real, (fftwf_complex *)spec);
}

void fc_fft2_inverse(const fc_fft2 *f, float *spec, float *real)
{
    fftwf_execute_dft_c2r(f->inverse, (fftwf_complex *)spec, real);
}
