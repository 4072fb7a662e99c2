/* Internal: one evaluator over one input (sweep_tower.c): a single-scale network's, or one tower's of a multi-scale
 * network with its share of the head's first dense layer. The public fc_sweep calls dispatch to these for a
 * single-scale network; sweep_scales.c calls them for each tower. */
#ifndef FACIES_SWEEP_TOWER_H
#define FACIES_SWEEP_TOWER_H

#include "facies/sweep.h"
#include "nn_impl.h"

/* part >= 0: the evaluator of tower `part` and its share of the head's first dense layer, giving its un-activated
 * sums [units][rows][cols]; -1: the whole (single-scale) network. Free with sweep_tower_destroy. */
fc_status sweep_part_create(fc_sweep **out, fc_net *net, const fc_sweep_options *opt, int part, fc_error *err);
void sweep_tower_destroy(fc_sweep *d);

/* As fc_sweep_span, fc_sweep_describe, fc_sweep_flops_per_position, fc_sweep_last_flops and fc_sweep_run. */
void sweep_tower_span(const fc_sweep *d, int *rows, int *cols);
const char *sweep_tower_describe(const fc_sweep *d);
double sweep_tower_flops(const fc_sweep *d);
double sweep_tower_last_flops(const fc_sweep *d);
fc_status sweep_tower_run(fc_sweep *d, const float *in, int H, int W, float *out, fc_error *err);

#endif
