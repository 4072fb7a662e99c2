/* Anti-alias low-pass of sections for the coarse views of --scales: a Hann-windowed sinc along each trace and then
 * along each time slice, each by FFT convolution (fc_convolver) of the line extended by reflection, so that the
 * edges follow the padding rule of ingest and apply. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "facies/signal.h"
#include "fail.h"

struct fc_lowpass {
    int width, samples, half;
    fc_convolver *along_time, *along_traces;
    float *line, *filtered; /* [max(width, samples) + 2 half] */
};

/* Cut-off at the decimated grid's Nyquist (0.5 / K cycles per sample), 4 K taps each side: the filter is symmetric,
 * so it commutes with the left-right mirror of --tta flip. */
static void design(float *h, int half, int factor)
{
    double sum = 0.0, fc = 0.5 / factor;
    for (int i = -half; i <= half; i++) {
        double x = 2.0 * fc * i, sinc = i == 0 ? 1.0 : sin(M_PI * x) / (M_PI * x);
        double hann = 0.5 + 0.5 * cos(M_PI * i / (half + 1));
        h[i + half] = (float)(2.0 * fc * sinc * hann);
        sum += h[i + half];
    }
    for (int i = 0; i <= 2 * half; i++)
        h[i] = (float)(h[i] / sum); /* unit gain at zero frequency */
}

fc_status fc_lowpass_create(fc_lowpass **out, int width, int samples, int factor, fc_error *err)
{
    if (width < 1 || samples < 1 || factor < 2 || factor > FC_MAX_SCALE_FACTOR)
        return fc_fail(err, FC_ERR_ARGUMENT, "low-pass: bad section %d x %d or factor %d (2..%d)", width, samples,
                       factor, FC_MAX_SCALE_FACTOR);
    fc_lowpass *lp = calloc(1, sizeof *lp);
    if (!lp)
        return fc_fail(err, FC_ERR_NOMEM, "low-pass: out of memory");
    lp->width = width;
    lp->samples = samples;
    lp->half = 4 * factor;
    int taps = 2 * lp->half + 1, longest = (width > samples ? width : samples) + 2 * lp->half;
    float *h = malloc(sizeof(float) * (size_t)taps);
    lp->line = malloc(sizeof(float) * (size_t)longest);
    lp->filtered = malloc(sizeof(float) * (size_t)longest);
    fc_status st = h && lp->line && lp->filtered ? FC_OK : fc_fail(err, FC_ERR_NOMEM, "low-pass: out of memory");
    if (!st) {
        design(h, lp->half, factor);
        st = fc_convolver_create(&lp->along_time, samples + 2 * lp->half, h, taps, err);
    }
    if (!st)
        st = fc_convolver_create(&lp->along_traces, width + 2 * lp->half, h, taps, err);
    free(h);
    if (st) {
        fc_lowpass_destroy(lp);
        return st;
    }
    *out = lp;
    return FC_OK;
}

void fc_lowpass_destroy(fc_lowpass *lp)
{
    if (!lp)
        return;
    fc_convolver_destroy(lp->along_time);
    fc_convolver_destroy(lp->along_traces);
    free(lp->line);
    free(lp->filtered);
    free(lp);
}

/* One line of n values at stride `step` in place: extend by reflection, convolve, keep the middle. */
static void filter_line(fc_lowpass *lp, fc_convolver *c, float *x, int n, size_t step)
{
    int half = lp->half;
    for (int i = 0; i < n + 2 * half; i++)
        lp->line[i] = x[(size_t)fc_reflect(i - half, n) * step];
    fc_convolver_apply(c, lp->line, lp->filtered);
    for (int i = 0; i < n; i++)
        x[(size_t)i * step] = lp->filtered[i + half];
}

void fc_lowpass_apply(fc_lowpass *lp, const float *in, float *out)
{
    size_t ns = (size_t)lp->samples;
    if (out != in)
        memcpy(out, in, sizeof(float) * (size_t)lp->width * ns);
    for (int t = 0; t < lp->width; t++)
        filter_line(lp, lp->along_time, out + (size_t)t * ns, lp->samples, 1);
    for (size_t k = 0; k < ns; k++)
        filter_line(lp, lp->along_traces, out + k, lp->width, ns);
}
