/* facies — dense, exact evaluation of a patch classifier over whole sections.
 *
 * The network is run as its fully convolutional equivalent: every stride (of
 * a convolution or a pool) becomes a dilation of the layers after it, and the
 * first dense layer becomes a convolution with the last feature map's size as
 * its kernel. Each output position then gets exactly the class probabilities
 * the patch classifier gives the patch whose top-left corner is there, at the
 * cost of one pass. Exactness needs every convolution inside the patch to be
 * 'valid'; a network with 'same' padding is evaluated as an approximation
 * (fc_dense_exact says which).
 *
 * Work goes tile by tile: memory is bounded by the tile size, not the section.
 */
#ifndef FACIES_DENSE_H
#define FACIES_DENSE_H

#include "facies/error.h"
#include "facies/net.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fc_dense fc_dense;

/* Plan the dense form of a network (which must stay alive and unchanged).
 * threads: 0 = all cores. */
fc_status fc_dense_create(fc_dense **out, fc_net *net, int threads, fc_error *err);
void fc_dense_destroy(fc_dense *d);

/* 1 when the dense output equals patch-by-patch output (no 'same' padding). */
int fc_dense_exact(const fc_dense *d);

/* Rows and columns of input one output depends on: at most the model's patch
 * size for an exact network (pools drop odd rows, so it can be less). */
void fc_dense_span(const fc_dense *d, int *rows, int *cols);

/* Multiply-add work per output position, counted as 2 FLOP each (tile halos not included). */
double fc_dense_flops_per_position(const fc_dense *d);

/* Probabilities for every top-left position of a patch inside `in`:
 * in is [C][H][W] (row = time, column = trace), out is [K][H - sr + 1][W - sc + 1]
 * where (sr, sc) is the span: out[k][y][x] is the probability of class k
 * for the patch whose top-left corner is in[.][y][x] (for an exact network,
 * whatever the patch holds beyond the span does not matter). */
fc_status fc_dense_run(fc_dense *d, const float *in, int height, int width, float *out, fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
