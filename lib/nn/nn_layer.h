/* Internal: the network's layers. One file per layer kind (nn_conv.c, ...) keeps shape, forward and backward
 * together; a layer knows nothing of the network around it: what it needs of the pass it takes part in (threads,
 * training mode, the ranks sharing the batch, the dropout seed) comes in an fc_pass. Per-sample work is split over
 * threads with a static schedule, so a given thread count always gives the same sums in the same order. */
#ifndef FACIES_NN_LAYER_H
#define FACIES_NN_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "facies/comm.h"
#include "facies/net.h"

#define MAX_PARAMS 4
#define FC_MAX_THREADS 256

/* Batch normalisation's epsilon, y = gamma (x - mean) / sqrt(var + eps) + beta (Keras' default). Spelled once:
 * FC_BN_EPSILON_TEXT is how layer summaries show it. */
#define FC_BN_EPSILON_LITERAL 1e-3
#define FC_BN_EPSILON ((float)FC_BN_EPSILON_LITERAL)
#define FC_BN_TEXT_(x) #x
#define FC_BN_TEXT(x) FC_BN_TEXT_(x)
#define FC_BN_EPSILON_TEXT FC_BN_TEXT(FC_BN_EPSILON_LITERAL)
/* The running statistics' momentum (moving = m moving + (1 - m) batch; Keras' default), spelled once likewise. */
#define FC_BN_MOMENTUM_LITERAL 0.99
#define FC_BN_MOMENTUM ((float)FC_BN_MOMENTUM_LITERAL)
#define FC_BN_MOMENTUM_TEXT FC_BN_TEXT(FC_BN_MOMENTUM_LITERAL)

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
    int index;        /* position in the network (seeds its dropout masks) */
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

/* One pass of a batch through the layers, as the network runs it: the same for every layer of the pass. */
typedef struct fc_pass {
    int threads; /* OpenMP threads; the layers' per-thread buffers are sized for exactly this many */
    int train;   /* training mode: batch statistics and dropout masks (backward passes are always training) */
    /* The n samples of the call are rows [first, first + n) of a batch of `total` spread over the ranks of comm
     * (batch norm sums its statistics and gradients over them); NULL comm: the batch is all here. */
    const fc_comm *comm;
    int first, total;
    uint64_t mask_seed; /* dropout masks: with the layer's index and the row, the whole of their randomness */
} fc_pass;

/* Per-kind work on n samples: input `in`, output the layer's out; backward from its dout into din (NULL: the
 * input gradient is not needed) and the layer's gradients. */
void fc_conv_forward(const fc_pass *pass, layer *l, const float *in, int n);
void fc_conv_backward(const fc_pass *pass, layer *l, const float *in, float *din, int n);
/* The sparse backward of a ReLU conv feeding max pool `pool`, reading the pool's winners and gradient (the
 * pool's own backward is skipped). Usable when the CPU has fast fused multiply-add; buffers per thread: */
int fc_conv_pooled_usable(void);
void fc_conv_pooled_sizes(const layer *l, const layer *pool, size_t *floats, size_t *ints);
void fc_conv_backward_pooled(const fc_pass *pass, layer *l, const layer *pool, const float *in, float *din, int n);
void fc_pool_forward(const fc_pass *pass, layer *l, const float *in, int n);
/* gate: the layer below is a ReLU conv whose gradient mask this applies (see relu_by_next). */
void fc_pool_backward(const fc_pass *pass, layer *l, float *din, int n, int gate);
void fc_dense_forward(const fc_pass *pass, layer *l, const float *in, int n);
void fc_dense_backward(const fc_pass *pass, layer *l, const float *in, float *din, int n);
void fc_bn_forward(const fc_pass *pass, layer *l, const float *in, int n);
void fc_bn_backward(const fc_pass *pass, layer *l, float *din, int n);
void fc_dropout_forward(const fc_pass *pass, layer *l, const float *in, int n);
void fc_dropout_backward(layer *l, float *din, int n);
void fc_gap_forward(const fc_pass *pass, layer *l, const float *in, int n);
void fc_gap_backward(const fc_pass *pass, layer *l, float *din, int n);

#endif
