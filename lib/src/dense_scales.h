/* Internal: dense evaluation of a multi-scale network (fc_net_config.nscales > 1), tower by tower. dense.c builds the
 * evaluator of one tower and its share of the head's first dense layer (dense_part_create); dense_scales.c runs the
 * finest tower on its input, each coarse one on the polyphase sub-grids of its own, sums the shares and runs the
 * rest of the head per position. */
#ifndef FACIES_DENSE_SCALES_H
#define FACIES_DENSE_SCALES_H

#include "facies/dense.h"
#include "nn_impl.h"

typedef struct dense_scales dense_scales;

/* part >= 0: the evaluator of tower `part` and its share of the head's first dense layer, giving its un-activated
 * sums [units][rows][cols]; -1: the whole network (fc_dense_create); -2: a multi-scale network (dense_scales). */
fc_status dense_part_create(fc_dense **out, fc_net *net, const fc_dense_options *opt, int part, fc_error *err);

fc_status dense_scales_create(dense_scales **out, fc_net *net, const fc_dense_options *opt, fc_error *err);
void dense_scales_destroy(dense_scales *m);
fc_dense *dense_scales_tower(const dense_scales *m, int s);
int dense_scales_factors(const dense_scales *m, int *factor);
const char *dense_scales_describe(dense_scales *m);
/* FLOPs per position of the direct method (last = 0), or those the last run executed (last = 1). */
double dense_scales_flops(const dense_scales *m, int last);
fc_status dense_scales_run(dense_scales *m, const float *const *in, int rows, int cols, float *out, fc_error *err);

#endif
