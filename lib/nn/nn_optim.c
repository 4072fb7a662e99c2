/* The optimisers (Keras' Adam, SGD with momentum and weight decay) on the layers' gradients, their moments and the
 * step count. */
#include <math.h>
#include <string.h>

#include "nn_impl.h"

fc_optimizer fc_optimizer_default(fc_optimizer_kind kind)
{
    fc_optimizer o = {.kind = kind,
                      .lr = kind == FC_OPTIMIZER_ADAM ? 1e-3 : 1e-2,
                      .beta1 = 0.9,
                      .beta2 = 0.999,
                      .epsilon = 1e-7,
                      .momentum = 0.9,
                      .weight_decay = 0.0};
    return o;
}

/* Keras' Adam on a block of parameters. */
FC_VECTOR_CLONES
static void adam_block(float *w, const float *g, float *m, float *v, int64_t n, float lr_t, float b1, float b2,
                       float eps)
{
    for (int64_t j = 0; j < n; j++) {
        m[j] = b1 * m[j] + (1.0f - b1) * g[j];
        v[j] = b2 * v[j] + (1.0f - b2) * g[j] * g[j];
        w[j] -= lr_t * m[j] / (sqrtf(v[j]) + eps);
    }
}

/* SGD with momentum and L2 weight decay on a block. */
FC_VECTOR_CLONES
static void sgd_block(float *w, const float *g, float *m, int64_t n, float lr, float mu, float wd)
{
    for (int64_t j = 0; j < n; j++) {
        float gj = g[j] + wd * w[j];
        m[j] = mu * m[j] - lr * gj;
        w[j] += m[j];
    }
}

#define UPDATE_BLOCK 16384

void fc_nn_update(fc_net *net, const fc_optimizer *o)
{
    net->step++;
    double t = (double)net->step;
    /* Keras' Adam: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); w -= lr_t m / (sqrt(v) + eps). */
    float lr_t = (float)(o->lr * sqrt(1.0 - pow(o->beta2, t)) / (1.0 - pow(o->beta1, t)));
    float b1 = (float)o->beta1, b2 = (float)o->beta2, eps = (float)o->epsilon;
    float lr = (float)o->lr, mu = (float)o->momentum, wd = (float)o->weight_decay;
    for (int i = 0; i < net->nl; i++) {
        layer *l = &net->L[i];
        if (l->frozen)
            continue;
        for (int p = 0; p < l->ntrain; p++) {
            float *w = l->p[p], *g = l->g[p], *m = l->m[p], *v = l->v[p];
            int64_t len = l->psize[p];
            int64_t blocks = (len + UPDATE_BLOCK - 1) / UPDATE_BLOCK;
#pragma omp parallel for schedule(static) num_threads(net->threads)
            for (int64_t b = 0; b < blocks; b++) {
                int64_t a = b * UPDATE_BLOCK, n = len - a < UPDATE_BLOCK ? len - a : UPDATE_BLOCK;
                if (o->kind == FC_OPTIMIZER_ADAM)
                    adam_block(w + a, g + a, m + a, v + a, n, lr_t, b1, b2, eps);
                else
                    sgd_block(w + a, g + a, m + a, n, lr, mu, wd);
            }
        }
    }
}

int fc_net_layer_state(fc_net *net, int i, float **m, float **v, int64_t *size)
{
    layer *l = &net->L[i];
    for (int p = 0; p < l->ntrain; p++) {
        m[p] = l->m[p];
        v[p] = l->v[p];
        size[p] = l->psize[p];
    }
    return l->ntrain;
}

int64_t fc_net_steps(const fc_net *net)
{
    return net->step;
}

void fc_net_set_steps(fc_net *net, int64_t steps)
{
    net->step = steps;
}

void fc_net_reset_optimizer(fc_net *net)
{
    net->step = 0;
    for (int i = 0; i < net->nl; i++) {
        layer *l = &net->L[i];
        for (int p = 0; p < l->ntrain; p++) {
            memset(l->m[p], 0, sizeof(float) * (size_t)l->psize[p]);
            memset(l->v[p], 0, sizeof(float) * (size_t)l->psize[p]);
        }
    }
}
