/* Internal: a whole-section evaluator (struct fc_sweep) and its plan (sweep_plan.c): the ops from the network's
 * layers, the kernel of each convolution and the tile, chosen by a cost model. sweep_tower.c creates it and runs
 * the tiles; sweep.c holds a multi-scale network's towers in it (scales). */
#ifndef FACIES_SWEEP_PLAN_H
#define FACIES_SWEEP_PLAN_H

#include <stddef.h>

#include "facies/sweep.h"
#include "nn_impl.h"
#include "sweep_ops.h"
#include "sweep_scales.h"

#define TILE 160              /* output tile side without an FFT layer */
#define COL_FLOATS (2u << 20) /* im2col chunk: 8 MB */
#define CONV_CHUNKS 8         /* a direct convolution's rows are cut into at least this many chunks for the threads */
#define FC_MAX_CLASSES_DENSE 256
#define MEMORY_BUDGET (192u << 20) /* bytes for the FFT weights, the shared maps and PLAN_THREADS threads' scratch */
/* The geometry is planned for this many threads whatever the count in use, so that every thread count (and every
 * MPI layout) computes the same tiles and gives the same bits; memory is the weights and one tile's maps, plus the
 * FFT scratch per thread. */
#define PLAN_THREADS 2

struct fc_sweep {
    fc_net *net;
    int nops;
    dop *ops;
    int in_c, classes, span_r, span_c, exact, threads;
    fc_sweep_options opt;
    fc_sweep_method method;
    int fft_op;         /* index of the op with KERNEL_FFT, or -1 */
    int fft_n0, fft_n1; /* its sub-grid size (0 before the first run) */
    int tile_r, tile_c; /* output tile */
    size_t map_floats;  /* largest map of a full tile */
    float *maps;        /* [map_floats], shared by the threads: an op's input at one end, its output at the other */
    float *col;         /* [threads][COL_FLOATS] */
    double last_flops;
    char describe[512];
    /* Multi-scale networks: `scales` evaluates the towers and the head (sweep_scales.c) with one evaluator per
     * tower, each of which (part >= 0) runs that tower and its share of the head's first dense layer, with the
     * weights of that share in part_w (and zero biases in part_b but for tower 0), and gives the sums un-activated.
     * part = -1: the whole network. */
    sweep_scales *scales;
    int part;
    float *part_w, *part_b;
};

/* The ops of d's network (or of its part: a tower and its share of the head), with d's span, input channels,
 * classes and exactness. */
fc_status sweep_plan_ops(fc_sweep *d, fc_error *err);

/* The fast method: the FFT for the costliest dilated kernel it pays for, Winograd for the 3 x 3 ones that pay. */
fc_status sweep_plan_kernels(fc_sweep *d, fc_error *err);

/* Maps and Winograd scratch for tiles of the current size (grown, never shrunk). */
fc_status sweep_plan_maps(fc_sweep *d, fc_error *err);

/* With an FFT layer, the tile follows the section of rows x cols outputs: re-planned when its size changes. */
fc_status sweep_plan_fit(fc_sweep *d, int rows, int cols, fc_error *err);

/* The text of fc_sweep_describe, into d->describe. */
void sweep_plan_describe(fc_sweep *d);

/* FLOPs of a direct convolution per output position. */
double sweep_direct_flops(const dop *o);

/* FLOPs of one tile of th x tw outputs (weighted for the cost model, or as executed), and the floats its maps need:
 * the largest input plus output of one op (they share one buffer, from its two ends). */
double sweep_tile_cost(const fc_sweep *d, int th, int tw, int n0, int n1, int weighted, size_t *map_floats);

#endif
