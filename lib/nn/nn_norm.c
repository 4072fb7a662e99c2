/* Batch normalisation (per channel over batch and space) and inverted dropout.
 * BN: y = gamma (x - mean) / sqrt(var + eps) + beta, batch statistics in training, moving ones otherwise. */
#include <math.h>
#include <string.h>

#include "facies/rng.h"
#include "nn_support.h"

void fc_bn_forward(const fc_pass *pass, layer *l, const float *in, int n)
{
    int C = l->out_c, HW = l->out_h * l->out_w;
    float *gamma = l->p[0], *beta = l->p[1], *mmean = l->p[2], *mvar = l->p[3];
    if (!pass->train || l->frozen) {
        /* Inference, and frozen layers (as Keras does for trainable=False): moving statistics. */
        for (int c = 0; c < C; c++) {
            l->mean[c] = mmean[c];
            l->inv_std[c] = 1.0f / sqrtf(mvar[c] + FC_BN_EPSILON);
        }
    } else {
        memset(l->scratch, 0, sizeof(float) * 2 * (size_t)C * (size_t)pass->threads);
#pragma omp parallel for schedule(static) num_threads(pass->threads)
        for (int s = 0; s < n; s++) {
            float *acc = l->scratch + (size_t)fc_thread_id() * 2 * C;
            for (int c = 0; c < C; c++) {
                const float *x = in + (size_t)s * l->in_size + (size_t)c * HW;
                float sum = 0.0f, sq = 0.0f;
                for (int i = 0; i < HW; i++) {
                    sum += x[i];
                    sq += x[i] * x[i];
                }
                acc[c] += sum;
                acc[C + c] += sq;
            }
        }
        double count = (double)pass->total * HW, *stat = l->stats;
        for (int c = 0; c < C; c++) {
            stat[c] = stat[C + c] = 0.0;
            for (int t = 0; t < pass->threads; t++) {
                stat[c] += l->scratch[(size_t)t * 2 * C + c];
                stat[C + c] += l->scratch[(size_t)t * 2 * C + C + c];
            }
        }
        if (fc_comm_parallel(pass->comm)) /* statistics of the whole batch, over every rank's share */
            pass->comm->sum_f64(pass->comm->ctx, stat, 2 * C);
        for (int c = 0; c < C; c++) {
            double sum = stat[c], sq = stat[C + c];
            double mean = sum / count, var = sq / count - mean * mean;
            if (var < 0.0)
                var = 0.0;
            l->mean[c] = (float)mean;
            l->inv_std[c] = (float)(1.0 / sqrt(var + FC_BN_EPSILON));
            double unbiased = count > 1 ? var * count / (count - 1) : var;
            mmean[c] = FC_BN_MOMENTUM * mmean[c] + (1.0f - FC_BN_MOMENTUM) * (float)mean;
            mvar[c] = FC_BN_MOMENTUM * mvar[c] + (1.0f - FC_BN_MOMENTUM) * (float)unbiased;
        }
    }
#pragma omp parallel for schedule(static) num_threads(pass->threads)
    for (int s = 0; s < n; s++)
        for (int c = 0; c < C; c++) {
            const float *x = in + (size_t)s * l->in_size + (size_t)c * HW;
            float *xh = l->xhat + (size_t)s * l->out_size + (size_t)c * HW;
            float *y = l->out + (size_t)s * l->out_size + (size_t)c * HW;
            for (int i = 0; i < HW; i++) {
                xh[i] = (x[i] - l->mean[c]) * l->inv_std[c];
                y[i] = gamma[c] * xh[i] + beta[c];
            }
        }
}

void fc_bn_backward(const fc_pass *pass, layer *l, float *din, int n)
{
    int C = l->out_c, HW = l->out_h * l->out_w;
    float *gamma = l->p[0];
    int batch_stats = pass->train && !l->frozen;
    if (!l->frozen) {
        memset(l->tgrad, 0, sizeof(float) * (size_t)l->tgrad_len * (size_t)pass->threads);
#pragma omp parallel for schedule(static) num_threads(pass->threads)
        for (int s = 0; s < n; s++) {
            float *dg = l->tgrad + (size_t)fc_thread_id() * l->tgrad_len, *dbeta = dg + C;
            for (int c = 0; c < C; c++) {
                const float *dy = l->dout + (size_t)s * l->out_size + (size_t)c * HW;
                const float *xh = l->xhat + (size_t)s * l->out_size + (size_t)c * HW;
                float a = 0.0f, b = 0.0f;
                for (int i = 0; i < HW; i++) {
                    a += dy[i] * xh[i];
                    b += dy[i];
                }
                dg[c] += a;
                dbeta[c] += b;
            }
        }
        fc_reduce_grads(l, pass->threads);
        if (fc_comm_parallel(pass->comm)) { /* dx below needs the whole batch's sums */
            pass->comm->sum_f32(pass->comm->ctx, l->g[0], C);
            pass->comm->sum_f32(pass->comm->ctx, l->g[1], C);
        }
    }
    if (!din)
        return;
    float count = (float)pass->total * (float)HW;
#pragma omp parallel for schedule(static) num_threads(pass->threads)
    for (int s = 0; s < n; s++)
        for (int c = 0; c < C; c++) {
            const float *dy = l->dout + (size_t)s * l->out_size + (size_t)c * HW;
            const float *xh = l->xhat + (size_t)s * l->out_size + (size_t)c * HW;
            float *dx = din + (size_t)s * l->in_size + (size_t)c * HW;
            float k = gamma[c] * l->inv_std[c];
            if (!batch_stats) {
                for (int i = 0; i < HW; i++)
                    dx[i] = k * dy[i];
                continue;
            }
            /* dx = gamma inv_std / N (N dy - sum dy - xhat sum(dy xhat)) */
            float dgamma = l->g[0][c], dbeta = l->g[1][c];
            for (int i = 0; i < HW; i++)
                dx[i] = k / count * (count * dy[i] - dbeta - xh[i] * dgamma);
        }
}

/* The dropout mask of one sample: a function of (seed, layer, sample) only, so any thread count gives the same. */
void fc_dropout_forward(const fc_pass *pass, layer *l, const float *in, int n)
{
    if (!pass->train || l->rate == 0.0f) {
        memcpy(l->out, in, sizeof(float) * l->out_size * (size_t)n);
        return;
    }
    float keep = 1.0f - l->rate, scale = 1.0f / keep;
    uint64_t lid = (uint64_t)l->index;
#pragma omp parallel for schedule(static) num_threads(pass->threads)
    for (int s = 0; s < n; s++) {
        fc_rng r;
        uint64_t row = (uint64_t)(pass->first + s); /* the row within the whole batch, on any rank */
        fc_rng_seed(&r, pass->mask_seed ^ (lid * 0x9e3779b97f4a7c15ull) ^ (row << 32));
        float *m = l->mask + (size_t)s * l->out_size;
        const float *x = in + (size_t)s * l->in_size;
        float *y = l->out + (size_t)s * l->out_size;
        for (size_t i = 0; i < l->out_size; i++) {
            m[i] = fc_rng_uniform(&r) < keep ? scale : 0.0f;
            y[i] = x[i] * m[i];
        }
    }
}

void fc_dropout_backward(layer *l, float *din, int n)
{
    size_t len = l->out_size * (size_t)n;
    if (l->rate == 0.0f) {
        memcpy(din, l->dout, sizeof(float) * len);
        return;
    }
    for (size_t i = 0; i < len; i++)
        din[i] = l->dout[i] * l->mask[i];
}
