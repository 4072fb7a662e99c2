/* 2-D convolution with implied ReLU, as im2col plus a GEMM.
 * y[f][p] = relu(sum_q W[f][q] col[q][p] + b[f]); col rows q = (c, ki, kj), columns p = (oh, ow). */
#include <string.h>

#include "blas.h"
#include "nn_support.h"

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

/* The adjoint of im2col: dx[c][ih][iw] += dcol[...] (dx zeroed first). The valid range of each row is worked
 * out once, so the inner loop is a plain, vectorisable add. */
static void col2im(const layer *l, const float *col, float *dx)
{
    int k = l->k, s = l->stride, pad = l->pad, H = l->in_h, W = l->in_w, OH = l->out_h, OW = l->out_w;
    memset(dx, 0, sizeof(float) * l->in_size);
    for (int c = 0; c < l->in_c; c++) {
        float *xc = dx + (size_t)c * H * W;
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) {
                const float *row = col + ((size_t)(c * k + ki) * k + kj) * OH * OW;
                /* ow with 0 <= ow * s + kj - pad < W */
                int lo = pad - kj > 0 ? (pad - kj + s - 1) / s : 0;
                int hi = (W - 1 + pad - kj) / s + 1;
                hi = hi > OW ? OW : hi;
                for (int oh = 0; oh < OH; oh++) {
                    int ih = oh * s + ki - pad;
                    if (ih < 0 || ih >= H || lo >= hi)
                        continue;
                    float *xr = xc + (size_t)ih * W + (kj - pad);
                    const float *r = row + (size_t)oh * OW;
                    if (s == 1)
                        for (int ow = lo; ow < hi; ow++)
                            xr[ow] += r[ow];
                    else
                        for (int ow = lo; ow < hi; ow++)
                            xr[ow * s] += r[ow];
                }
            }
        }
    }
}

/* Through the ReLU: dy = 0 where y = 0. Branch-free so it vectorises; cloned for AVX-512 and AVX2, chosen at run time.
 */
FC_VECTOR_CLONES
static void relu_backward(const float *y, float *dy, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

FC_VECTOR_CLONES
static void bias_relu(float *y, int n, float b)
{
    for (int i = 0; i < n; i++) {
        float v = y[i] + b;
        y[i] = v > 0.0f ? v : 0.0f;
    }
}

/* Sum of a row, in eight lanes so that the compiler may vectorise it without reassociating. */
FC_VECTOR_CLONES
static float row_sum(const float *x, int n)
{
    float acc[8] = {0};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++)
            acc[k] += x[i + k];
    float s = 0.0f;
    for (; i < n; i++)
        s += x[i];
    for (int k = 0; k < 8; k++)
        s += acc[k];
    return s;
}

void fc_conv_forward(const fc_pass *pass, layer *l, const float *in, int n)
{
    int F = l->filters, P = l->out_h * l->out_w, Q = l->in_c * l->k * l->k;
    const float *w = l->p[0], *b = l->p[1];
#pragma omp parallel for schedule(static) num_threads(pass->threads)
    for (int s = 0; s < n; s++) {
        float *col = l->col + (size_t)fc_thread_id() * l->col_size;
        float *y = l->out + (size_t)s * l->out_size;
        im2col(l, in + (size_t)s * l->in_size, col);
        fc_sgemm(0, 0, F, P, Q, 1.0f, w, Q, col, P, 0.0f, y, P);
        for (int f = 0; f < F; f++)
            bias_relu(y + (size_t)f * P, P, b[f]);
    }
}

void fc_conv_backward(const fc_pass *pass, layer *l, const float *in, float *din, int n)
{
    int F = l->filters, P = l->out_h * l->out_w, Q = l->in_c * l->k * l->k;
    int grads = !l->frozen;
    /* A thread's first sample writes its partial gradients (beta = 0), later ones add: no memset of the buffers. */
    unsigned char fresh[FC_MAX_THREADS];
    memset(fresh, 1, sizeof fresh);
#pragma omp parallel for schedule(static) num_threads(pass->threads)
    for (int s = 0; s < n; s++) {
        int t = fc_thread_id();
        const float *y = l->out + (size_t)s * l->out_size;
        float *dy = l->dout + (size_t)s * l->out_size;
        if (!l->relu_by_next)
            relu_backward(y, dy, l->out_size);
        if (grads) {
            float *dw = l->tgrad + (size_t)t * l->tgrad_len, *db = dw + (size_t)F * Q;
            /* im2col again: cheaper than keeping every sample's matrix, which would fall out of the caches. */
            float *col = l->col + (size_t)t * l->col_size;
            im2col(l, in + (size_t)s * l->in_size, col);
            fc_sgemm(0, 1, F, Q, P, 1.0f, dy, P, col, P, fresh[t] ? 0.0f : 1.0f, dw, Q);
            for (int f = 0; f < F; f++)
                db[f] = (fresh[t] ? 0.0f : db[f]) + row_sum(dy + (size_t)f * P, P);
            fresh[t] = 0;
        }
        if (din) {
            float *dcol = l->scratch + (size_t)t * l->col_size;
            fc_sgemm(1, 0, Q, P, F, 1.0f, l->p[0], Q, dy, P, 0.0f, dcol, P);
            col2im(l, dcol, din + (size_t)s * l->in_size);
        }
    }
    if (grads) {
        for (int t = 0; t < pass->threads; t++)
            if (fresh[t]) /* a thread that had no sample */
                memset(l->tgrad + (size_t)t * l->tgrad_len, 0, sizeof(float) * (size_t)l->tgrad_len);
        fc_reduce_grads(l, pass->threads);
    }
}
