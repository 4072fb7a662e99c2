/* facies — a small convolutional network library for patch classification.
 *
 * A sequential network built from an architecture spec string such as
 *   conv32-pool-conv64-pool-conv128-pool-flatten-dense128-dropout0.5-dense
 * Layers: convN[kK][sS][pvalid|psame] (ReLU implied), pool/maxpool[K][sS],
 * avgpool[K][sS], batchnorm, dropoutP, flatten, gap (global average pool),
 * denseN (ReLU implied) and a last `dense` sized to the class count, which
 * feeds softmax with cross-entropy. Tensors are float32 NCHW.
 *
 * The network owns every buffer, sized at creation for max_batch samples:
 * forward and backward passes do not allocate, and every call that takes a
 * batch of n samples refuses (FC_ERR_ARGUMENT) an n above max_batch. Work is split over `threads`
 * OpenMP threads by sample; results are identical for the same seed and
 * thread count.
 */
#ifndef FACIES_NET_H
#define FACIES_NET_H

#include <stdint.h>

#include "facies/comm.h"
#include "facies/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fc_layer_kind {
    FC_LAYER_CONV,
    FC_LAYER_MAXPOOL,
    FC_LAYER_AVGPOOL,
    FC_LAYER_BATCHNORM,
    FC_LAYER_DROPOUT,
    FC_LAYER_FLATTEN,
    FC_LAYER_GAP,
    FC_LAYER_DENSE,
} fc_layer_kind;

/* One layer as the summary shows it. */
typedef struct fc_layer_info {
    fc_layer_kind kind;
    char name[32];           /* "conv2d_1", "max_pooling2d", ... */
    char config[64];         /* "32 3x3 s1 valid relu", ... */
    int in_c, in_h, in_w;    /* input shape */
    int out_c, out_h, out_w; /* output shape (dense and flatten: out_c = features, h = w = 1) */
    int kernel, stride, pad; /* conv and pools: window, stride, zero padding */
    int64_t params;          /* weights and biases (batch norm: gamma, beta, moving mean and variance) */
    int64_t trainable;       /* params updated by training (0 when frozen; batch norm's moving stats never) */
    int has_weights;         /* layers counted by --freeze */
    int pooled_backward;     /* conv: gradients from the next max pool's winners (see gemm_backward), not GEMMs */
    int tower;               /* multi-scale: the tower (0: the finest scale) of a layer below the head; -1 head */
} fc_layer_info;

typedef struct fc_net fc_net;

#define FC_NET_MAX_SCALES 4

typedef struct fc_net_config {
    const char *spec;
    int in_c, in_h, in_w;
    int classes;
    int max_batch;
    int threads;   /* 0: all cores */
    uint64_t seed; /* weight initialisation and dropout */
    /* 0 (default): a ReLU conv feeding a max pool computes its gradients from the pool's winners only (at least
     * three quarters of its output gradient are zeros). 1: dense GEMMs for every conv, the textbook way; same
     * gradients up to rounding. For tests and benchmarks. */
    int gemm_backward;
    /* Multi-scale input (ingest --scales): 0 or 1 for one patch. n > 1: the input's in_c channels are n groups of
     * in_c / n, one per scale (scale[0] = 1, then the coarse factors; carried for the sweep, which needs
     * them), and the network is n towers of the spec's layers up to its flatten (or gap), each with its own weights
     * on its own group, whose features are concatenated for the rest of the spec (the head). */
    int nscales;
    int scale[FC_NET_MAX_SCALES];
} fc_net_config;

/* Whether this CPU can take the pooled conv backward (AVX2 and FMA); without it every conv uses dense GEMMs. */
int fc_net_pooled_backward_available(void);

/* Build and initialise (He-uniform for ReLU layers, Glorot-uniform for the
 * output layer, zero biases). Free with fc_net_destroy. */
fc_status fc_net_create(fc_net **out, const fc_net_config *cfg, fc_error *err);
void fc_net_destroy(fc_net *net);

const fc_net_config *fc_net_get_config(const fc_net *net);
int fc_net_layer_count(const fc_net *net);
void fc_net_layer_info(const fc_net *net, int layer, fc_layer_info *out);
int64_t fc_net_param_count(const fc_net *net, int64_t *trainable);

/* Keep the first k layers that have weights (conv, dense, batch norm) fixed. */
void fc_net_freeze(fc_net *net, int k);

/* Replace the output layer with a fresh one for `classes` classes (transfer learning). */
fc_status fc_net_replace_head(fc_net *net, int classes, fc_error *err);

/* Class probabilities for 0 <= n <= max_batch inputs [n][C][H][W] into probs
 * [n][classes] (inference: dropout off, batch norm on running statistics). */
fc_status fc_net_predict(fc_net *net, const float *x, int n, float *probs, fc_error *err);

/* Optimisers. */
typedef enum fc_optimizer_kind { FC_OPTIMIZER_ADAM = 0, FC_OPTIMIZER_SGD = 1 } fc_optimizer_kind;

typedef struct fc_optimizer {
    fc_optimizer_kind kind;
    double lr;           /* Adam 1e-3, SGD 1e-2 */
    double beta1, beta2; /* Adam: 0.9, 0.999 */
    double epsilon;      /* Adam: 1e-7 (as Keras) */
    double momentum;     /* SGD: 0.9 */
    double weight_decay; /* SGD: L2 coefficient added to gradients (0) */
} fc_optimizer;

fc_optimizer fc_optimizer_default(fc_optimizer_kind kind);

/* One training step on 1 <= n <= max_batch samples: forward in training mode,
 * softmax cross-entropy against labels (weighted by class_weights [classes]
 * if not NULL), backward, optimiser update of the unfrozen layers. Gives the
 * mean loss and the number of correct top-1 predictions (either may be NULL). */
fc_status fc_net_train_step(fc_net *net, const fc_optimizer *opt, const float *x, const int32_t *labels, int n,
                            const float *class_weights, double *loss, int *correct, fc_error *err);

/* Data-parallel training step: the n samples here are rows [first, first + n)
 * of a batch of `total` spread over the ranks of comm (0 <= n <= max_batch).
 * Gradients and batch-norm statistics are summed over the ranks, so every rank
 * takes the step one process would take on the whole batch (equal up to float
 * rounding). Collective: every rank calls it for every batch. A NULL comm is
 * one process (first 0, total n), as fc_net_train_step. Gives the summed (not
 * mean) loss of the samples here; correct counts them (either may be NULL). */
fc_status fc_net_train_step_shard(fc_net *net, const fc_optimizer *opt, const float *x, const int32_t *labels, int n,
                                  const float *class_weights, const fc_comm *comm, int first, int total, double *loss,
                                  int *correct, fc_error *err);

/* Mean loss and correct predictions of 1 <= n <= max_batch samples in inference mode (validation). */
fc_status fc_net_evaluate(fc_net *net, const float *x, const int32_t *labels, int n, double *loss, int *correct,
                          fc_error *err);

/* --- parameters, for model files, gradient checks and resuming --- */

/* The parameter tensors of a layer, in a fixed order: conv/dense: weights,
 * bias; batch norm: gamma, beta, moving mean, moving variance; others none.
 * Returns how many; fills up to 4 pointers and sizes. Training state
 * (Adam moments) has the same layout: fc_net_layer_state. */
int fc_net_layer_params(fc_net *net, int layer, float **data, int64_t *size);
int fc_net_layer_grads(fc_net *net, int layer, float **data, int64_t *size);
/* Optimiser moments m and v of a layer's parameters (same order). */
int fc_net_layer_state(fc_net *net, int layer, float **m, float **v, int64_t *size);
/* Optimiser steps taken (Adam's bias correction and the dropout masks depend on it): read, and set when a model
 * file resumes training. */
int64_t fc_net_steps(const fc_net *net);
void fc_net_set_steps(fc_net *net, int64_t steps);
/* A fresh optimiser on the same weights (transfer learning): no steps taken, every moment zero. */
void fc_net_reset_optimizer(fc_net *net);

/* For gradient checks: mean loss of 1 <= n <= max_batch samples in training
 * mode with dropout masks fixed by `mask_seed`, and (if backward) the gradients
 * of every parameter and of the input (dx [n][C][H][W], may be NULL), without
 * any update. */
fc_status fc_net_loss_and_grads(fc_net *net, const float *x, const int32_t *labels, int n, const float *class_weights,
                                uint64_t mask_seed, int backward, float *dx, double *loss, fc_error *err);

/* Name of a layer kind ("conv2d", "max_pooling2d", ...). */
const char *fc_layer_kind_name(fc_layer_kind k);

/* Which BLAS kernel runs the matrix products, e.g. "OpenBLAS SkylakeX". */
const char *fc_blas_core(void);

#ifdef __cplusplus
}
#endif

#endif
