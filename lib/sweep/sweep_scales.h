/* Internal: dense evaluation of a multi-scale network (fc_net_config.nscales > 1), tower by tower. sweep_tower.c
 * builds the evaluator of one tower and its share of the head's first dense layer (sweep_part_create); sweep_scales.c
 * runs the finest tower on its input, each coarse one on the polyphase sub-grids of its own, sums the shares and runs
 * the rest of the head per position. */
#ifndef FACIES_DENSE_SCALES_H
#define FACIES_DENSE_SCALES_H

#include "facies/sweep.h"
#include "nn_impl.h"

typedef struct sweep_scales sweep_scales;

fc_status sweep_scales_create(sweep_scales **out, fc_net *net, const fc_sweep_options *opt, fc_error *err);
void sweep_scales_destroy(sweep_scales *m);
fc_sweep *sweep_scales_tower(const sweep_scales *m, int s);
int sweep_scales_factors(const sweep_scales *m, int *factor);
const char *sweep_scales_describe(sweep_scales *m);
/* FLOPs per position of the direct method (last = 0), or those the last run executed (last = 1). */
double sweep_scales_flops(const sweep_scales *m, int last);
fc_status sweep_scales_run(sweep_scales *m, const float *const *in, int rows, int cols, float *out, fc_error *err);

#endif
