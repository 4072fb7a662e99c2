/* Max and average pooling (K x K windows, stride S, no padding: Keras 'valid'). */
#include <float.h>
#include <string.h>

#include "nn_layer.h"

/* The common 2x2, stride 2 max pool, without the general window loops. */
static void maxpool2(const layer *l, const float *x, float *y, int32_t *am)
{
    int H = l->in_h, W = l->in_w, OH = l->out_h, OW = l->out_w;
    for (int c = 0; c < l->in_c; c++) {
        const float *xc = x + (size_t)c * H * W;
        for (int oh = 0; oh < OH; oh++) {
            const float *r0 = xc + (size_t)(2 * oh) * W, *r1 = r0 + W;
            float *yo = y + ((size_t)c * OH + oh) * OW;
            int32_t *ao = am + ((size_t)c * OH + oh) * OW;
            int32_t base = (int32_t)((size_t)c * H * W + (size_t)(2 * oh) * W);
            for (int ow = 0; ow < OW; ow++) {
                int j = 2 * ow;
                float best = r0[j];
                int32_t arg = base + j;
                if (r0[j + 1] > best) {
                    best = r0[j + 1];
                    arg = base + j + 1;
                }
                if (r1[j] > best) {
                    best = r1[j];
                    arg = base + W + j;
                }
                if (r1[j + 1] > best) {
                    best = r1[j + 1];
                    arg = base + W + j + 1;
                }
                yo[ow] = best;
                ao[ow] = arg;
            }
        }
    }
}

void fc_pool_forward(const fc_pass *pass, layer *l, const float *in, int n)
{
    int K = l->pk, S = l->ps, H = l->in_h, W = l->in_w, OH = l->out_h, OW = l->out_w, avg = l->kind == FC_LAYER_AVGPOOL;
    float inv = 1.0f / (float)(K * K);
#pragma omp parallel for schedule(static) num_threads(pass->threads)
    for (int s = 0; s < n; s++) {
        const float *x = in + (size_t)s * l->in_size;
        float *y = l->out + (size_t)s * l->out_size;
        int32_t *am = avg ? NULL : l->argmax + (size_t)s * l->out_size;
        if (!avg && K == 2 && S == 2) {
            maxpool2(l, x, y, am);
            continue;
        }
        for (int c = 0; c < l->in_c; c++) {
            const float *xc = x + (size_t)c * H * W;
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    size_t o = ((size_t)c * OH + oh) * OW + ow;
                    float best = -FLT_MAX, sum = 0.0f;
                    int32_t arg = 0;
                    for (int i = 0; i < K; i++) {
                        const float *xr = xc + (size_t)(oh * S + i) * W + ow * S;
                        for (int j = 0; j < K; j++) {
                            sum += xr[j];
                            if (xr[j] > best) {
                                best = xr[j];
                                arg = (int32_t)((size_t)(oh * S + i) * W + ow * S + j);
                            }
                        }
                    }
                    if (avg) {
                        y[o] = sum * inv;
                    } else {
                        y[o] = best;
                        am[o] = (int32_t)((size_t)c * H * W) + arg;
                    }
                }
            }
        }
    }
}

void fc_pool_backward(const fc_pass *pass, layer *l, float *din, int n, int gate)
{
    int K = l->pk, S = l->ps, H = l->in_h, W = l->in_w, OH = l->out_h, OW = l->out_w, avg = l->kind == FC_LAYER_AVGPOOL;
    float inv = 1.0f / (float)(K * K);
#pragma omp parallel for schedule(static) num_threads(pass->threads)
    for (int s = 0; s < n; s++) {
        float *dx = din + (size_t)s * l->in_size;
        const float *dy = l->dout + (size_t)s * l->out_size;
        memset(dx, 0, sizeof(float) * l->in_size);
        if (!avg) {
            const int32_t *am = l->argmax + (size_t)s * l->out_size;
            if (gate) {
                /* The layer below is a ReLU: its gradient passes only where its output, the max here, is > 0. */
                const float *y = l->out + (size_t)s * l->out_size;
                for (size_t o = 0; o < l->out_size; o++)
                    if (y[o] > 0.0f)
                        dx[am[o]] += dy[o];
            } else {
                for (size_t o = 0; o < l->out_size; o++)
                    dx[am[o]] += dy[o];
            }
            continue;
        }
        for (int c = 0; c < l->in_c; c++)
            for (int oh = 0; oh < OH; oh++)
                for (int ow = 0; ow < OW; ow++) {
                    float g = dy[((size_t)c * OH + oh) * OW + ow] * inv;
                    for (int i = 0; i < K; i++)
                        for (int j = 0; j < K; j++)
                            dx[(size_t)c * H * W + (size_t)(oh * S + i) * W + ow * S + j] += g;
                }
    }
}

void fc_gap_forward(const fc_pass *pass, layer *l, const float *in, int n)
{
    int HW = l->in_h * l->in_w;
    float inv = 1.0f / (float)HW;
#pragma omp parallel for schedule(static) num_threads(pass->threads)
    for (int s = 0; s < n; s++)
        for (int c = 0; c < l->in_c; c++) {
            const float *x = in + (size_t)s * l->in_size + (size_t)c * HW;
            float acc = 0.0f;
            for (int i = 0; i < HW; i++)
                acc += x[i];
            l->out[(size_t)s * l->out_size + c] = acc * inv;
        }
}

void fc_gap_backward(const fc_pass *pass, layer *l, float *din, int n)
{
    int HW = l->in_h * l->in_w;
    float inv = 1.0f / (float)HW;
#pragma omp parallel for schedule(static) num_threads(pass->threads)
    for (int s = 0; s < n; s++)
        for (int c = 0; c < l->in_c; c++) {
            float g = l->dout[(size_t)s * l->out_size + c] * inv;
            float *dx = din + (size_t)s * l->in_size + (size_t)c * HW;
            for (int i = 0; i < HW; i++)
                dx[i] = g;
        }
}
