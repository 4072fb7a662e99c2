/* The sequential network: building it (layers, buffers, initial weights), what it holds, freezing and a new head.
 * nn_run.c runs it, nn_optim.c trains its weights. */
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
#include "nn_support.h"

static int available_threads(void)
{
#ifdef _OPENMP
    return omp_get_num_procs();
#else
    return 1;
#endif
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

static fc_status alloc_layer(fc_net *net, layer *l)
{
    size_t B = (size_t)net->cfg.max_batch, T = (size_t)net->threads;
    switch (l->kind) {
    case FC_LAYER_CONV:
        l->nparam = l->ntrain = 2;
        l->psize[0] = (int64_t)l->filters * l->in_c * l->k * l->k;
        l->psize[1] = l->filters;
        l->col = fc_nn_alloc_floats(T * l->col_size);
        l->scratch = fc_nn_alloc_floats(T * l->col_size);
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
        l->xhat = fc_nn_alloc_floats(B * l->out_size);
        l->scratch = fc_nn_alloc_floats(T * 2 * (size_t)l->out_c);
        l->mean = fc_nn_alloc_floats((size_t)l->out_c);
        l->inv_std = fc_nn_alloc_floats((size_t)l->out_c);
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
        l->mask = fc_nn_alloc_floats(B * l->out_size);
        if (!l->mask)
            return FC_ERR_NOMEM;
        break;
    default: break;
    }
    for (int p = 0; p < l->nparam; p++) {
        l->p[p] = fc_nn_alloc_floats((size_t)l->psize[p]);
        l->g[p] = fc_nn_alloc_floats((size_t)l->psize[p]);
        l->m[p] = fc_nn_alloc_floats((size_t)l->psize[p]);
        l->v[p] = fc_nn_alloc_floats((size_t)l->psize[p]);
        if (!l->p[p] || !l->g[p] || !l->m[p] || !l->v[p])
            return FC_ERR_NOMEM;
    }
    l->tgrad_len = 0;
    for (int p = 0; p < l->ntrain; p++)
        l->tgrad_len += l->psize[p];
    if (l->tgrad_len) {
        l->tgrad = fc_nn_alloc_floats(T * (size_t)l->tgrad_len);
        if (!l->tgrad)
            return FC_ERR_NOMEM;
    }
    l->out = fc_nn_alloc_floats(B * l->out_size);
    l->dout = fc_nn_alloc_floats(B * l->out_size);
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
    l->wperm = fc_nn_alloc_floats((size_t)l->filters * Q);
    l->pooled_f = fc_nn_alloc_floats(T * nf);
    l->pooled_i = calloc(T * ni, sizeof(int32_t));
    l->pooled_zeros = fc_nn_alloc_floats(Q);
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
    net->probs = st ? NULL : fc_nn_alloc_floats((size_t)cfg->max_batch * (size_t)cfg->classes);
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
    for (int i = 0; i < net->nl; i++)
        net->L[i].index = i;
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
    fresh.index = old.index;
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
    float *probs = fc_nn_alloc_floats((size_t)net->cfg.max_batch * (size_t)classes);
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
