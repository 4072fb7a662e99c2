/* The sequential network: building, running layers in order, the softmax cross-entropy loss. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "blas.h"
#include "facies/rng.h"
#include "fail.h"
#include "nn_impl.h"

int fc_thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

static int available_threads(void)
{
#ifdef _OPENMP
    return omp_get_num_procs();
#else
    return 1;
#endif
}

void fc_reduce_grads(fc_net *net, layer *l)
{
    float *g = l->tgrad; /* thread 0's partials become the sum */
    for (int t = 1; t < net->threads; t++) {
        const float *gt = l->tgrad + (size_t)t * l->tgrad_len;
        for (int64_t i = 0; i < l->tgrad_len; i++)
            g[i] += gt[i];
    }
    int64_t at = 0;
    for (int p = 0; p < l->ntrain; p++) {
        memcpy(l->g[p], g + at, sizeof(float) * (size_t)l->psize[p]);
        at += l->psize[p];
    }
}

/* Uniform(-limit, limit) weights: He for ReLU layers, Glorot for the output layer. */
static void init_layer(layer *l, fc_rng *r)
{
    if (l->kind == FC_LAYER_BATCHNORM) {
        for (int c = 0; c < l->out_c; c++) {
            l->p[0][c] = 1.0f;
            l->p[1][c] = 0.0f;
            l->p[2][c] = 0.0f;
            l->p[3][c] = 1.0f;
        }
        return;
    }
    if (l->kind != FC_LAYER_CONV && l->kind != FC_LAYER_DENSE)
        return;
    double fan_in = (double)l->psize[0] / (double)l->psize[1];
    double fan_out = l->kind == FC_LAYER_CONV ? (double)l->filters * l->k * l->k : (double)l->filters;
    double limit = l->relu ? sqrt(6.0 / fan_in) : sqrt(6.0 / (fan_in + fan_out));
    for (int64_t i = 0; i < l->psize[0]; i++)
        l->p[0][i] = (float)((2.0 * fc_rng_uniform(r) - 1.0) * limit);
    memset(l->p[1], 0, sizeof(float) * (size_t)l->psize[1]);
}

static void *alloc_floats(size_t n)
{
    return calloc(n ? n : 1, sizeof(float));
}

static fc_status alloc_layer(fc_net *net, layer *l)
{
    size_t B = (size_t)net->cfg.max_batch, T = (size_t)net->threads;
    switch (l->kind) {
    case FC_LAYER_CONV:
        l->nparam = l->ntrain = 2;
        l->psize[0] = (int64_t)l->filters * l->in_c * l->k * l->k;
        l->psize[1] = l->filters;
        l->col = alloc_floats(T * l->col_size);
        l->scratch = alloc_floats(T * l->col_size);
        if (!l->col || !l->scratch)
            return FC_ERR_NOMEM;
        break;
    case FC_LAYER_DENSE:
        l->nparam = l->ntrain = 2;
        l->psize[0] = (int64_t)l->out_size * (int64_t)l->in_size;
        l->psize[1] = (int64_t)l->out_size;
        break;
    case FC_LAYER_BATCHNORM:
        l->nparam = 4;
        l->ntrain = 2;
        for (int p = 0; p < 4; p++)
            l->psize[p] = l->out_c;
        l->xhat = alloc_floats(B * l->out_size);
        l->scratch = alloc_floats(T * 2 * (size_t)l->out_c);
        l->mean = alloc_floats((size_t)l->out_c);
        l->inv_std = alloc_floats((size_t)l->out_c);
        l->stats = calloc(2 * (size_t)l->out_c, sizeof(double));
        if (!l->xhat || !l->scratch || !l->mean || !l->inv_std || !l->stats)
            return FC_ERR_NOMEM;
        break;
    case FC_LAYER_MAXPOOL:
        l->argmax = calloc(B * l->out_size, sizeof(int32_t));
        if (!l->argmax)
            return FC_ERR_NOMEM;
        break;
    case FC_LAYER_DROPOUT:
        l->mask = alloc_floats(B * l->out_size);
        if (!l->mask)
            return FC_ERR_NOMEM;
        break;
    default: break;
    }
    for (int p = 0; p < l->nparam; p++) {
        l->p[p] = alloc_floats((size_t)l->psize[p]);
        l->g[p] = alloc_floats((size_t)l->psize[p]);
        l->m[p] = alloc_floats((size_t)l->psize[p]);
        l->v[p] = alloc_floats((size_t)l->psize[p]);
        if (!l->p[p] || !l->g[p] || !l->m[p] || !l->v[p])
            return FC_ERR_NOMEM;
    }
    l->tgrad_len = 0;
    for (int p = 0; p < l->ntrain; p++)
        l->tgrad_len += l->psize[p];
    if (l->tgrad_len) {
        l->tgrad = alloc_floats(T * (size_t)l->tgrad_len);
        if (!l->tgrad)
            return FC_ERR_NOMEM;
    }
    l->out = alloc_floats(B * l->out_size);
    l->dout = alloc_floats(B * l->out_size);
    return l->out && l->dout ? FC_OK : FC_ERR_NOMEM;
}

/* A ReLU conv feeding a max pool that strides: its output gradient is at least three quarters zeros, and the
 * pooled backward (nn_conv_pooled.c) visits only the rest. Worth it once a patch row (k * C floats) fills a
 * vector; below that (a first layer on one channel) the dense GEMM is as quick. */
static fc_status alloc_pooled(fc_net *net, layer *l, const layer *pool)
{
    if (net->cfg.gemm_backward || !l->relu_by_next || pool->ps < 2 || l->k * l->in_c < 16 || !fc_conv_pooled_usable())
        return FC_OK;
    size_t T = (size_t)net->threads, nf, ni, Q = (size_t)l->in_c * l->k * l->k;
    fc_conv_pooled_sizes(l, pool, &nf, &ni);
    l->wperm = alloc_floats((size_t)l->filters * Q);
    l->pooled_f = alloc_floats(T * nf);
    l->pooled_i = calloc(T * ni, sizeof(int32_t));
    l->pooled_zeros = alloc_floats(Q);
    if (!l->wperm || !l->pooled_f || !l->pooled_i || !l->pooled_zeros)
        return FC_ERR_NOMEM;
    l->pooled_back = 1;
    return FC_OK;
}

static void free_layer(layer *l)
{
    for (int p = 0; p < l->nparam; p++) {
        free(l->p[p]);
        free(l->g[p]);
        free(l->m[p]);
        free(l->v[p]);
    }
    free(l->tgrad);
    free(l->out);
    free(l->dout);
    free(l->col);
    free(l->scratch);
    free(l->wperm);
    free(l->pooled_f);
    free(l->pooled_i);
    free(l->pooled_zeros);
    free(l->argmax);
    free(l->mask);
    free(l->xhat);
    free(l->mean);
    free(l->inv_std);
    free(l->stats);
    memset(l, 0, sizeof *l);
}

fc_status fc_net_create(fc_net **out, const fc_net_config *cfg, fc_error *err)
{
    if (!cfg->spec || cfg->in_c < 1 || cfg->in_h < 1 || cfg->in_w < 1 || cfg->classes < 2 || cfg->max_batch < 1 ||
        cfg->threads < 0)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "network: need a spec, an input shape, 2 or more classes and a batch size");
    fc_net *net = calloc(1, sizeof *net);
    if (!net)
        return fc_fail(err, FC_ERR_NOMEM, "network: out of memory");
    net->cfg = *cfg;
    snprintf(net->spec, sizeof net->spec, "%s", cfg->spec);
    net->cfg.spec = net->spec;
    net->threads = cfg->threads > 0 ? cfg->threads : available_threads();
    if (net->threads > FC_MAX_THREADS)
        net->threads = FC_MAX_THREADS;
    if (net->threads > cfg->max_batch)
        net->threads = cfg->max_batch;
    fc_blas_single_thread();
    fc_status st = fc_towers_build(net, err);
    for (int i = 0; i < net->nl && !st; i++)
        if (alloc_layer(net, &net->L[i]))
            st = fc_fail(err, FC_ERR_NOMEM, "network: out of memory for layer %s (batch %d)", net->L[i].name,
                         cfg->max_batch);
    if (!st)
        st = fc_towers_link(net, err);
    net->probs = st ? NULL : alloc_floats((size_t)cfg->max_batch * (size_t)cfg->classes);
    if (!st && !net->probs)
        st = fc_fail(err, FC_ERR_NOMEM, "network: out of memory");
    if (st) {
        fc_net_destroy(net);
        return st;
    }
    fc_rng r;
    fc_rng_seed(&r, cfg->seed);
    for (int i = 0; i < net->nl; i++)
        init_layer(&net->L[i], &r);
    for (int i = 0; i + 1 < net->nl; i++)
        net->L[i].relu_by_next = net->L[i].kind == FC_LAYER_CONV && net->L[i + 1].kind == FC_LAYER_MAXPOOL;
    for (int i = 0; i + 1 < net->nl && !st; i++)
        if (alloc_pooled(net, &net->L[i], &net->L[i + 1]))
            st = fc_fail(err, FC_ERR_NOMEM, "network: out of memory for layer %s (batch %d)", net->L[i].name,
                         cfg->max_batch);
    if (st) {
        fc_net_destroy(net);
        return st;
    }
    *out = net;
    return FC_OK;
}

void fc_net_destroy(fc_net *net)
{
    if (!net)
        return;
    for (int i = 0; i < net->nl; i++)
        free_layer(&net->L[i]);
    free(net->L);
    free(net->probs);
    free(net->xs);
    free(net->dxs);
    free(net->cat);
    free(net->dcat);
    free(net);
}

const fc_net_config *fc_net_get_config(const fc_net *net)
{
    return &net->cfg;
}

int fc_net_layer_count(const fc_net *net)
{
    return net->nl;
}

void fc_net_layer_info(const fc_net *net, int i, fc_layer_info *o)
{
    const layer *l = &net->L[i];
    memset(o, 0, sizeof *o);
    o->kind = l->kind;
    snprintf(o->name, sizeof o->name, "%s", l->name);
    snprintf(o->config, sizeof o->config, "%s", l->config);
    o->in_c = l->in_c;
    o->in_h = l->in_h;
    o->in_w = l->in_w;
    o->out_c = l->out_c;
    o->out_h = l->out_h;
    o->out_w = l->out_w;
    o->kernel = l->kind == FC_LAYER_CONV ? l->k : l->pk;
    o->stride = l->kind == FC_LAYER_CONV ? l->stride : l->ps;
    o->pad = l->pad;
    for (int p = 0; p < l->nparam; p++)
        o->params += l->psize[p];
    if (!l->frozen)
        for (int p = 0; p < l->ntrain; p++)
            o->trainable += l->psize[p];
    o->has_weights = l->nparam > 0;
    o->pooled_backward = l->pooled_back;
    o->tower = l->tower;
}

int fc_net_pooled_backward_available(void)
{
    return fc_conv_pooled_usable();
}

int64_t fc_net_param_count(const fc_net *net, int64_t *trainable)
{
    int64_t all = 0, tr = 0;
    for (int i = 0; i < net->nl; i++) {
        fc_layer_info info;
        fc_net_layer_info(net, i, &info);
        all += info.params;
        tr += info.trainable;
    }
    if (trainable)
        *trainable = tr;
    return all;
}

void fc_net_freeze(fc_net *net, int k)
{
    int seen = 0;
    for (int i = 0; i < net->nl; i++) {
        if (net->L[i].nparam > 0)
            seen++;
        net->L[i].frozen = seen <= k && net->L[i].nparam > 0;
    }
}

fc_status fc_net_replace_head(fc_net *net, int classes, fc_error *err)
{
    layer *l = &net->L[net->nl - 1];
    layer old = *l, fresh;
    memset(&fresh, 0, sizeof fresh);
    fresh.kind = FC_LAYER_DENSE;
    fresh.tower = old.tower;
    fresh.src = old.src;
    fresh.dsrc = old.dsrc;
    memcpy(fresh.name, old.name, sizeof fresh.name);
    fresh.in_c = old.in_c;
    fresh.in_h = old.in_h;
    fresh.in_w = old.in_w;
    fresh.in_size = old.in_size;
    fresh.filters = fresh.out_c = classes;
    fresh.out_h = fresh.out_w = 1;
    fresh.out_size = (size_t)classes;
    snprintf(fresh.config, sizeof fresh.config, "%d softmax", classes);
    *l = fresh;
    float *probs = alloc_floats((size_t)net->cfg.max_batch * (size_t)classes);
    if (alloc_layer(net, l) || !probs) {
        free_layer(l);
        free(probs);
        *l = old;
        return fc_fail(err, FC_ERR_NOMEM, "network: out of memory for a new output layer");
    }
    free_layer(&old);
    free(net->probs);
    net->probs = probs;
    net->cfg.classes = classes;
    fc_rng r;
    fc_rng_seed(&r, net->cfg.seed ^ 0x6865616400000000ull);
    init_layer(l, &r);
    return FC_OK;
}

/* The whole batch is in this process. */
static void batch_here(fc_net *net, int n)
{
    net->comm = NULL;
    net->first = 0;
    net->total = n;
}

static void forward(fc_net *net, const float *x, int n, int train)
{
    net->x = x;
    if (net->towers > 1)
        fc_towers_split(net, x, n, NULL);
    for (int i = 0; i < net->nl; i++) {
        layer *l = &net->L[i];
        const float *in = l->src ? l->src : x;
        if (net->towers > 1 && i == net->head)
            fc_towers_join(net, n, 0);
        switch (l->kind) {
        case FC_LAYER_CONV: fc_conv_forward(net, l, in, n); break;
        case FC_LAYER_MAXPOOL:
        case FC_LAYER_AVGPOOL: fc_pool_forward(net, l, in, n); break;
        case FC_LAYER_BATCHNORM: fc_bn_forward(net, l, in, n, train); break;
        case FC_LAYER_DROPOUT: fc_dropout_forward(net, l, in, n, train); break;
        case FC_LAYER_FLATTEN: memcpy(l->out, in, sizeof(float) * l->out_size * (size_t)n); break;
        case FC_LAYER_GAP: fc_gap_forward(net, l, in, n); break;
        case FC_LAYER_DENSE: fc_dense_forward(net, l, in, n); break;
        }
    }
    /* Softmax of the logits, stable. */
    const layer *last = &net->L[net->nl - 1];
    int K = net->cfg.classes;
    for (int s = 0; s < n; s++) {
        const float *z = last->out + (size_t)s * K;
        float *p = net->probs + (size_t)s * K;
        float mx = z[0];
        for (int c = 1; c < K; c++)
            mx = z[c] > mx ? z[c] : mx;
        double sum = 0.0;
        for (int c = 0; c < K; c++) {
            p[c] = expf(z[c] - mx);
            sum += p[c];
        }
        for (int c = 0; c < K; c++)
            p[c] = (float)(p[c] / sum);
    }
}

/* Summed weighted cross-entropy of the n samples here and their correct count; with dlogits, also the gradient of
 * the whole batch's mean loss (net->total samples) into the last layer's dout. */
static double loss_of(fc_net *net, const int32_t *labels, int n, const float *w, int *correct, int dlogits)
{
    int K = net->cfg.classes;
    layer *last = &net->L[net->nl - 1];
    double loss = 0.0;
    int ok = 0;
    for (int s = 0; s < n; s++) {
        const float *p = net->probs + (size_t)s * K;
        int y = labels[s];
        float ws = w ? w[y] : 1.0f;
        loss += -ws * log(p[y] > 1e-30f ? (double)p[y] : 1e-30);
        int best = 0;
        for (int c = 1; c < K; c++)
            if (p[c] > p[best])
                best = c;
        ok += best == y;
        if (dlogits) {
            float *d = last->dout + (size_t)s * K;
            for (int c = 0; c < K; c++)
                d[c] = ws * (p[c] - (c == y ? 1.0f : 0.0f)) / (float)net->total;
        }
    }
    if (correct)
        *correct = ok;
    return loss;
}

/* Backward through every layer that needs it: layers with nothing trainable at or below them are skipped. */
static void backward(fc_net *net, int n, float *dx)
{
    for (int i = net->nl - 1; i >= 0; i--) {
        layer *l = &net->L[i];
        int below = dx || fc_towers_trains_below(net, i);
        if (!below && !(l->nparam > 0 && !l->frozen))
            continue;
        const float *in = l->src ? l->src : net->x;
        float *din = !below ? NULL : l->dsrc ? l->dsrc : dx;
        const layer *prev = i > 0 && l->src == net->L[i - 1].out ? &net->L[i - 1] : NULL;
        switch (l->kind) {
        case FC_LAYER_CONV:
            if (l->pooled_back)
                fc_conv_backward_pooled(net, l, &net->L[i + 1], in, din, n);
            else
                fc_conv_backward(net, l, in, din, n);
            break;
        case FC_LAYER_MAXPOOL:
        case FC_LAYER_AVGPOOL:
            if (din && !(prev && prev->pooled_back)) /* a pooled conv reads its gradient itself */
                fc_pool_backward(net, l, din, n, prev && prev->relu_by_next);
            break;
        case FC_LAYER_BATCHNORM: fc_bn_backward(net, l, din, n, 1); break;
        case FC_LAYER_DROPOUT:
            if (din)
                fc_dropout_backward(net, l, din, n);
            break;
        case FC_LAYER_FLATTEN:
            if (din)
                memcpy(din, l->dout, sizeof(float) * l->out_size * (size_t)n);
            break;
        case FC_LAYER_GAP:
            if (din)
                fc_gap_backward(net, l, din, n);
            break;
        case FC_LAYER_DENSE: fc_dense_backward(net, l, in, din, n); break;
        }
        if (net->towers > 1 && i == net->head && din)
            fc_towers_join(net, n, 1);
    }
    if (net->towers > 1 && dx)
        fc_towers_split(net, NULL, n, dx);
}

double fc_net_loss_and_grads(fc_net *net, const float *x, const int32_t *labels, int n, const float *w,
                             uint64_t mask_seed, int do_backward, float *dx)
{
    batch_here(net, n);
    net->mask_seed = mask_seed;
    forward(net, x, n, 1);
    double loss = loss_of(net, labels, n, w, NULL, do_backward) / n;
    if (do_backward)
        backward(net, n, dx);
    return loss;
}

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

static void update(fc_net *net, const fc_optimizer *o)
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

double fc_net_train_step_shard(fc_net *net, const fc_optimizer *opt, const float *x, const int32_t *labels, int n,
                               const float *class_weights, const fc_comm *comm, int first, int total, int *correct)
{
    net->comm = comm;
    net->first = first;
    net->total = total;
    net->mask_seed = net->cfg.seed * 0x9e3779b97f4a7c15ull + (uint64_t)net->step;
    forward(net, x, n, 1);
    double loss = loss_of(net, labels, n, class_weights, correct, 1);
    backward(net, n, NULL);
    if (fc_comm_parallel(comm)) /* every rank steps with the whole batch's gradient */
        for (int i = 0; i < net->nl; i++) {
            layer *l = &net->L[i];
            if (l->frozen || l->kind == FC_LAYER_BATCHNORM) /* batch norm's were summed in its backward */
                continue;
            for (int p = 0; p < l->ntrain; p++)
                comm->sum_f32(comm->ctx, l->g[p], l->psize[p]);
        }
    update(net, opt);
    batch_here(net, 0);
    return loss;
}

void fc_net_train_step(fc_net *net, const fc_optimizer *opt, const float *x, const int32_t *labels, int n,
                       const float *class_weights, double *loss, int *correct)
{
    double l = fc_net_train_step_shard(net, opt, x, labels, n, class_weights, NULL, 0, n, correct);
    if (loss)
        *loss = l / n;
}

void fc_net_evaluate(fc_net *net, const float *x, const int32_t *labels, int n, double *loss, int *correct)
{
    batch_here(net, n);
    forward(net, x, n, 0);
    double l = loss_of(net, labels, n, NULL, correct, 0) / n;
    if (loss)
        *loss = l;
}

void fc_net_predict(fc_net *net, const float *x, int n, float *probs)
{
    batch_here(net, n);
    forward(net, x, n, 0);
    memcpy(probs, net->probs, sizeof(float) * (size_t)n * (size_t)net->cfg.classes);
}

int fc_net_layer_params(fc_net *net, int i, float **data, int64_t *size)
{
    layer *l = &net->L[i];
    for (int p = 0; p < l->nparam; p++) {
        data[p] = l->p[p];
        size[p] = l->psize[p];
    }
    return l->nparam;
}

int fc_net_layer_grads(fc_net *net, int i, float **data, int64_t *size)
{
    layer *l = &net->L[i];
    for (int p = 0; p < l->ntrain; p++) {
        data[p] = l->g[p];
        size[p] = l->psize[p];
    }
    return l->ntrain;
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

int64_t *fc_net_step_counter(fc_net *net)
{
    return &net->step;
}
