/* facies — dense, exact evaluation of a patch classifier over whole sections.
 *
 * The network is run as its fully convolutional equivalent: every stride (of
 * a convolution or a pool) becomes a dilation of the layers after it, and the
 * first dense layer becomes a convolution with the last feature map's size as
 * its kernel. Each output position then gets exactly the class probabilities
 * the patch classifier gives the patch whose top-left corner is there, at the
 * cost of one pass. Exactness needs every convolution inside the patch to be
 * 'valid'; a network with 'same' padding is evaluated as an approximation
 * (fc_sweep_exact says which).
 *
 * Two methods compute the same function. Direct: every convolution as im2col
 * and one matrix product (SGEMM). Fast (the default): 3x3 convolutions through
 * Winograd F(4x4, 3x3), and the largest dilated kernel (the first dense layer,
 * a 6 x 6 kernel dilated by 8 in the reference network) by FFT convolution on
 * its polyphase sub-grids, each where a cost model says it does less work;
 * probabilities agree with the direct method to ~1e-6 (tests hold them to 1e-4
 * against the patch-by-patch forward pass, across tile seams).
 *
 * Work goes tile by tile: memory is bounded by the tile size, not the section.
 */
#ifndef FACIES_SWEEP_H
#define FACIES_SWEEP_H

#include "facies/error.h"
#include "facies/net.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fc_sweep fc_sweep;

typedef enum { FC_SWEEP_FAST = 0, FC_SWEEP_DIRECT = 1 } fc_sweep_method;

typedef struct fc_sweep_options {
    int threads;            /* 0: all cores */
    fc_sweep_method method; /* FC_SWEEP_FAST (0) unless asked */
    int force_fast;         /* fast method: every layer the fast kernels can take uses them, whatever the cost model
                             * says (tests, benchmarks) */
    int fft_size;           /* fast method: side of the FFT sub-grids (>= kernel + 1), 0 = chosen by the cost model;
                             * small sizes make many block seams (tests) */
    int tile;               /* fast method with an FFT layer: output tile side (rounded up to whole phases), 0 = chosen
                             * by the cost model (tests: many tile seams) */
} fc_sweep_options;

/* Plan the dense form of a network (which must stay alive and unchanged).
 * opt NULL: defaults (fast, all cores). Free with fc_sweep_destroy. */
fc_status fc_sweep_create(fc_sweep **out, fc_net *net, const fc_sweep_options *opt, fc_error *err);
void fc_sweep_destroy(fc_sweep *d);

/* 1 when the dense output equals patch-by-patch output (no 'same' padding). */
int fc_sweep_exact(const fc_sweep *d);

/* The method in use: FC_SWEEP_DIRECT when asked, or when the network is not exact (the fast kernels are proven
 * only on the exact form). */
fc_sweep_method fc_sweep_method_used(const fc_sweep *d);

/* One line naming each convolution's kernel (direct, winograd, fft with its size), valid until the next call of
 * fc_sweep_run or fc_sweep_destroy. */
const char *fc_sweep_describe(const fc_sweep *d);

/* Rows and columns of input one output depends on: at most the model's patch
 * size for an exact network (pools drop odd rows, so it can be less). */
void fc_sweep_span(const fc_sweep *d, int *rows, int *cols);

/* Multiply-add work per output position of the direct method, counted as 2 FLOP each (tile halos not included). */
double fc_sweep_flops_per_position(const fc_sweep *d);

/* FLOPs the last fc_sweep_run executed, with the kernels it used, tile halos included (the FFT's transforms counted
 * as 2.5 n log2 n each, complex multiply-adds as 8). */
double fc_sweep_last_flops(const fc_sweep *d);

/* Probabilities for every top-left position of a patch inside `in`:
 * in is [C][H][W] (row = time, column = trace), out is [K][H - sr + 1][W - sc + 1]
 * where (sr, sc) is the span: out[k][y][x] is the probability of class k
 * for the patch whose top-left corner is in[.][y][x] (for an exact network,
 * whatever the patch holds beyond the span does not matter). */
fc_status fc_sweep_run(fc_sweep *d, const float *in, int height, int width, float *out, fc_error *err);

/* Scales of the network (ingest --scales): how many, and their factors into factor (up to FC_NET_MAX_SCALES; may be
 * NULL). 1 for a network of one scale. */
int fc_sweep_scales(const fc_sweep *d, int *factor);

/* Probabilities for rows x cols top-left positions of a network of any number of scales: in[s] is the input of
 * scale s with factor K, [C][rows + K (sr - 1)][cols + K (sc - 1)] (sr, sc: the span): row y of it is the section
 * row under output row y - K (ph / 2)... as the patch cutter reflects it, so that output (y, x) sees in[s] rows
 * y + K i and columns x + K j (every K-th, the view ingest cut). out is [K][rows][cols].
 *
 * The towers run apart: the finest as fc_sweep_run does, and a coarse one of factor K on each of the K x K polyphase
 * sub-grids of its input (rows a + K m, columns b + K n), where it is an ordinary dense evaluation; its share of the
 * head's first dense layer is then a kernel dilated by 8 K on the full grid. The shares are summed, interleaved, and
 * the rest of the head runs per position. The fast method applies per tower and sub-grid. One scale: fc_sweep_run
 * on in[0]. */
fc_status fc_sweep_run_scales(fc_sweep *d, const float *const *in, int rows, int cols, float *out, fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
