/* Internal: the network's layers. One file per layer kind (nn_conv.c, ...),
 * nn_net.c runs them in order. Each layer keeps shape, forward and backward
 * together. Per-sample work is split over threads with a static schedule,
 * so a given thread count always gives the same sums in the same order. */
#ifndef FACIES_NN_IMPL_H
#define FACIES_NN_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "facies/comm.h"
#include "facies/net.h"

#define MAX_PARAMS 4
#define FC_MAX_THREADS 256

/* Hot element-wise loops are compiled for AVX-512, AVX2 and the baseline, and the
 * loader picks the best the CPU has (GCC function multiversioning). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define FC_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define FC_VECTOR_CLONES
#endif

/* Loops written with fmaf(): x86-64-v3 and v4 have FMA, so fmaf becomes one vector instruction; the baseline
 * clone would call libm's per element, so the pooled path is not chosen there (fc_conv_pooled_usable). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define FC_FMA_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define FC_FMA_CLONES
#endif

typedef struct layer {
    fc_layer_kind kind;
    int tower;        /* multi-scale: tower of the layer, -1 in the head (and every layer of a one-scale net) */
    const float *src; /* input (NULL: the network's input) */
    float *dsrc;      /* where its input gradient goes (NULL: the caller's dx) */
    char name[32], config[64];
    int in_c, in_h, in_w, out_c, out_h, out_w;
    size_t in_size, out_size; /* floats per sample */
    /* conv */
    int filters, k, stride, pad, relu;
    int relu_by_next;    /* conv: the max pool after it already applies the ReLU's gradient mask */
    size_t col_size;     /* floats of one sample's im2col matrix */
    int pooled_back;     /* conv: backward from the max pool's winners (nn_conv_pooled.c) */
    float *wperm;        /* conv pooled: [F][ki][kj][c] weights */
    float *pooled_f;     /* conv pooled: [threads][floats of fc_conv_pooled_sizes] */
    int32_t *pooled_i;   /* conv pooled: [threads][ints of fc_conv_pooled_sizes] */
    float *pooled_zeros; /* conv pooled: [Q] zeros */
    /* pools */
    int pk, ps;
    /* dropout */
    float rate;
    /* parameters and their gradients and optimiser moments */
    int nparam; /* tensors */
    int ntrain; /* of them trained by gradient (batch norm's moving stats are not) */
    int64_t psize[MAX_PARAMS];
    float *p[MAX_PARAMS], *g[MAX_PARAMS], *m[MAX_PARAMS], *v[MAX_PARAMS];
    float *tgrad;      /* [threads][sum of trained psize]: per-thread partial gradients */
    int64_t tgrad_len; /* floats per thread */
    int frozen;
    /* buffers for max_batch samples */
    float *out, *dout;
    float *col;            /* conv: [max_batch][col_size] */
    float *scratch;        /* conv: [threads][col_size] for dcol; batch norm: [threads][2 * channels] */
    int32_t *argmax;       /* max pool: [max_batch][out_size] */
    float *mask;           /* dropout: [max_batch][out_size] */
    float *xhat;           /* batch norm: [max_batch][out_size] */
    float *mean, *inv_std; /* batch norm: [channels] of the current batch */
    double *stats;         /* batch norm: [2 * channels] sums and sums of squares of the batch */
} layer;

struct fc_net {
    fc_net_config cfg;
    char spec[512];
    int threads;
    int nl;
    layer *L;
    float *probs;   /* [max_batch][classes] */
    const float *x; /* current input */
    float *dx;      /* gradient of the input, or NULL */
    uint64_t mask_seed;
    int64_t step;
    /* Data-parallel step (fc_net_train_step_shard): the samples are rows [first, first + n) of a batch of
     * `total` spread over the ranks of comm; NULL comm: the batch is all here (first 0, total n). */
    const fc_comm *comm;
    int first, total;
    /* Multi-scale (cfg.nscales > 1): layers [s * tower_len, (s + 1) * tower_len) are tower s, ending with its
     * flatten; the head starts at layer `head` and reads the towers' features side by side. */
    int towers, tower_len, head;
    float *xs, *dxs;   /* [towers][max_batch][in_size / towers]: each tower's input and its gradient */
    float *cat, *dcat; /* [max_batch][features of all towers] */
};

/* Parse a spec into layers (shapes, names, configs); params and buffers are allocated by nn_net.c. */
fc_status fc_nn_parse_spec(const char *spec, int in_c, int in_h, int in_w, int classes, layer **out, int *n,
                           fc_error *err);

/* The same for a multi-scale network: `towers` copies of the spec's layers up to its flatten (or gap) on in_c
 * channels each (tower s's names end in _x<factor>), then the rest of the spec on their features side by side. */
fc_status fc_nn_parse_towers(const char *spec, int in_c, int in_h, int in_w, int classes, int towers, const int *factor,
                             layer **out, int *n, int *tower_len, fc_error *err);

/* nn_towers.c: build the layers (of the spec, or of its towers), link each layer's input and gradient target (and
 * the towers' buffers), split a batch's input among the towers (or, with dx, gather their input gradients into dx),
 * join the towers' features for the head (back: hand the head's input gradient to each tower's top), and whether a
 * layer below i on its path from the input (its tower, or for the head everything) trains. */
fc_status fc_towers_build(fc_net *net, fc_error *err);
fc_status fc_towers_link(fc_net *net, fc_error *err);
void fc_towers_split(fc_net *net, const float *x, int n, float *dx);
void fc_towers_join(fc_net *net, int n, int back);
int fc_towers_trains_below(const fc_net *net, int i);

/* Per-kind work. n samples; input of layer l is net->x or L[l-1].out. */
void fc_conv_forward(fc_net *net, layer *l, const float *in, int n);
void fc_conv_backward(fc_net *net, layer *l, const float *in, float *din, int n);
/* The sparse backward of a ReLU conv feeding max pool `pool`, reading the pool's winners and gradient (the
 * pool's own backward is skipped). Usable when the CPU has fast fused multiply-add; buffers per thread: */
int fc_conv_pooled_usable(void);
void fc_conv_pooled_sizes(const layer *l, const layer *pool, size_t *floats, size_t *ints);
void fc_conv_backward_pooled(fc_net *net, layer *l, const layer *pool, const float *in, float *din, int n);
void fc_pool_forward(fc_net *net, layer *l, const float *in, int n);
/* gate: the layer below is a ReLU conv whose gradient mask this applies (see relu_by_next). */
void fc_pool_backward(fc_net *net, layer *l, float *din, int n, int gate);
void fc_dense_forward(fc_net *net, layer *l, const float *in, int n);
void fc_dense_backward(fc_net *net, layer *l, const float *in, float *din, int n);
void fc_bn_forward(fc_net *net, layer *l, const float *in, int n, int train);
void fc_bn_backward(fc_net *net, layer *l, float *din, int n, int train);
void fc_dropout_forward(fc_net *net, layer *l, const float *in, int n, int train);
void fc_dropout_backward(fc_net *net, layer *l, float *din, int n);
void fc_gap_forward(fc_net *net, layer *l, const float *in, int n);
void fc_gap_backward(fc_net *net, layer *l, float *din, int n);

/* Sum the per-thread partial gradients of a layer into l->g, in thread order. */
void fc_reduce_grads(fc_net *net, layer *l);

/* Thread id inside a parallel region (0 outside). */
int fc_thread_id(void);

#endif
