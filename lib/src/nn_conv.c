/* 2-D convolution with implied ReLU, as im2col plus a GEMM.
 * y[f][p] = relu(sum_q W[f][q] col[q][p] + b[f]); col rows q = (c, ki, kj), columns p = (oh, ow). */
#include <string.h>

#include "blas.h"
#include "nn_impl.h"

/* col[(c*k + ki)*k + kj][oh*OW + ow] = x[c][oh*s + ki - pad][ow*s + kj - pad] (0 outside). */
static void im2col(const layer *l, const float *x, float *col)
{
    int k = l->k, s = l->stride, pad = l->pad, H = l->in_h, W = l->in_w, OH = l->out_h, OW = l->out_w;
    for (int c = 0; c < l->in_c; c++) {
        const float *xc = x + (size_t)c * H * W;
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) {
                float *row = col + ((size_t)(c * k + ki) * k + kj) * OH * OW;
                for (int oh = 0; oh < OH; oh++) {
                    int ih = oh * s + ki - pad;
                    float *r = row + (size_t)oh * OW;
                    if (ih < 0 || ih >= H) {
                        memset(r, 0, sizeof(float) * (size_t)OW);
                        continue;
                    }
                    const float *xr = xc + (size_t)ih * W;
                    if (s == 1 && pad == 0) {
                        memcpy(r, xr + kj, sizeof(float) * (size_t)OW);
                        continue;
                    }
                    for (int ow = 0; ow < OW; ow++) {
                        int iw = ow * s + kj - pad;
                        r[ow] = iw >= 0 && iw < W ? xr[iw] : 0.0f;
                    }
                }
            }
        }
    }
}

/* The adjoint of im2col: dx[c][ih][iw] += dcol[...] (dx zeroed first). */
static void col2im(const layer *l, const float *col, float *dx)
{
    int k = l->k, s = l->stride, pad = l->pad, H = l->in_h, W = l->in_w, OH = l->out_h, OW = l->out_w;
    memset(dx, 0, sizeof(float) * l->in_size);
    for (int c = 0; c < l->in_c; c++) {
        float *xc = dx + (size_t)c * H * W;
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) {
                const float *row = col + ((size_t)(c * k + ki) * k + kj) * OH * OW;
                for (int oh = 0; oh < OH; oh++) {
                    int ih = oh * s + ki - pad;
                    if (ih < 0 || ih >= H)
                        continue;
                    float *xr = xc + (size_t)ih * W;
                    const float *r = row + (size_t)oh * OW;
                    for (int ow = 0; ow < OW; ow++) {
                        int iw = ow * s + kj - pad;
                        if (iw >= 0 && iw < W)
                            xr[iw] += r[ow];
                    }
                }
            }
        }
    }
}

void fc_conv_forward(fc_net *net, layer *l, const float *in, int n)
{
    int F = l->filters, P = l->out_h * l->out_w, Q = l->in_c * l->k * l->k;
    const float *w = l->p[0], *b = l->p[1];
#pragma omp parallel for schedule(static) num_threads(net->threads)
    for (int s = 0; s < n; s++) {
        float *col = l->col + (size_t)s * l->col_size;
        float *y = l->out + (size_t)s * l->out_size;
        im2col(l, in + (size_t)s * l->in_size, col);
        fc_sgemm(0, 0, F, P, Q, 1.0f, w, Q, col, P, 0.0f, y, P);
        for (int f = 0; f < F; f++) {
            float *yf = y + (size_t)f * P, bf = b[f];
            for (int p = 0; p < P; p++) {
                float v = yf[p] + bf;
                yf[p] = v > 0.0f ? v : 0.0f;
            }
        }
    }
}

void fc_conv_backward(fc_net *net, layer *l, const float *in, float *din, int n)
{
    (void)in;
    int F = l->filters, P = l->out_h * l->out_w, Q = l->in_c * l->k * l->k;
    int grads = !l->frozen;
    if (grads)
        memset(l->tgrad, 0, sizeof(float) * (size_t)l->tgrad_len * (size_t)net->threads);
#pragma omp parallel for schedule(static) num_threads(net->threads)
    for (int s = 0; s < n; s++) {
        int t = fc_thread_id();
        const float *y = l->out + (size_t)s * l->out_size;
        float *dy = l->dout + (size_t)s * l->out_size;
        for (size_t i = 0; i < l->out_size; i++) /* through the ReLU */
            if (y[i] <= 0.0f)
                dy[i] = 0.0f;
        if (grads) {
            float *dw = l->tgrad + (size_t)t * l->tgrad_len, *db = dw + (size_t)F * Q;
            fc_sgemm(0, 1, F, Q, P, 1.0f, dy, P, l->col + (size_t)s * l->col_size, P, 1.0f, dw, Q);
            for (int f = 0; f < F; f++) {
                const float *dyf = dy + (size_t)f * P;
                float acc = 0.0f;
                for (int p = 0; p < P; p++)
                    acc += dyf[p];
                db[f] += acc;
            }
        }
        if (din) {
            float *dcol = l->scratch + (size_t)t * l->col_size;
            fc_sgemm(1, 0, Q, P, F, 1.0f, l->p[0], Q, dy, P, 0.0f, dcol, P);
            col2im(l, dcol, din + (size_t)s * l->in_size);
        }
    }
    if (grads)
        fc_reduce_grads(net, l);
}
