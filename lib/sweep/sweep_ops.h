/* Internal: the operations of the whole-section evaluator (sweep.c, planned in sweep_plan.c) and the fast kernels it
 * may give them: Winograd F(4x4, 3x3) for 3x3 convolutions (sweep_winograd.c) and overlap-save FFT convolution on the
 * polyphase sub-grids of a dilated convolution (sweep_fft.c). Maps are [channels][rows][cols], row = time, or
 * channel-last, [rows][cols][channels], between the fast kernels that read and write that directly (in_last,
 * out_last: planned in sweep_plan.c). */
#ifndef FACIES_SWEEP_OPS_H
#define FACIES_SWEEP_OPS_H

#include <stddef.h>

#include "facies/error.h"

typedef enum { OP_CONV, OP_MAXPOOL, OP_AVGPOOL, OP_AFFINE } op_kind;
typedef enum { KERNEL_DIRECT, KERNEL_WINOGRAD, KERNEL_FFT } op_kernel;

typedef struct sweep_wino sweep_wino;
typedef struct sweep_fft sweep_fft;

typedef struct dop {
    op_kind kind;
    op_kernel kernel;
    int cin, cout, kh, kw, dil, relu;
    int in_last, out_last; /* its input, its output channel-last */
    const float *w, *b;    /* conv: [cout][cin][kh][kw], [cout] */
    float *scale, *shift;  /* affine (batch norm in inference) */
    sweep_wino *wino;      /* KERNEL_WINOGRAD */
    sweep_fft *fft;        /* KERNEL_FFT */
} dop;

/* Output size of an op on an h x w map. */
static inline int dop_out(int n, int k, int dil)
{
    return n - (k - 1) * dil;
}

/* Winograd F(4x4, 3x3), dilation via the polyphase view: the outputs of one phase (row mod dil, col mod dil) are an
 * undilated convolution of that phase's inputs. `threads` sets of scratch. */
fc_status sweep_wino_create(sweep_wino **out, const dop *o, int threads, fc_error *err);
void sweep_wino_destroy(sweep_wino *w);
/* Scratch for maps up to h x w (call before sweep_wino_run on them, outside parallel regions). */
fc_status sweep_wino_reserve(sweep_wino *w, const dop *o, int h, int wd, fc_error *err);
/* Every thread of the team (nth of them) calls it with the same maps, inside a parallel region; each claims a row of
 * phases as it finishes one (or, with fewer rows than threads, chunks of tiles), with the scratch of its thread
 * number. Returns without a barrier. */
void sweep_wino_run(sweep_wino *w, const dop *o, int nth, const float *in, int h, int wd, float *out);
/* FLOPs per output position (matrix products and transforms). */
double sweep_wino_flops(int cin, int cout);
/* 1: the channel-vector path (channels in multiples of eight), which reads and writes channel-last maps too. */
int sweep_wino_lanes(const sweep_wino *w);

/* FFT convolution of a kh x kw kernel dilated by D: the D x D phases are cut into overlapping blocks of n0 x n1
 * (overlap-save: n0 - kh + 1 valid rows each), transformed, multiplied per frequency across channels, and transformed
 * back. Any map size. */
fc_status sweep_fft_create(sweep_fft **out, const dop *o, int n0, int n1, int threads, fc_error *err);
void sweep_fft_destroy(sweep_fft *f);
/* Every thread of the team calls it (as sweep_wino_run); each claims the next block as it finishes one. */
void sweep_fft_run(sweep_fft *f, const dop *o, const float *in, int h, int w, float *out);
/* Phases transformed together (a divisor of D^2). */
int sweep_fft_group(int dil);
/* FLOPs of one block of n0 x n1 of all D^2 phases (FFTs counted as 2.5 n log2 n each), and of a whole map whose
 * outputs are oh x ow. */
double sweep_fft_tile_flops(int cin, int cout, int dil, int n0, int n1);
double sweep_fft_map_flops(int cin, int cout, int dil, int n0, int n1, int kh, int kw, int oh, int ow);
/* Bytes of the transformed weights and of one thread's scratch. */
size_t sweep_fft_weight_bytes(int cin, int cout, int n0, int n1);
size_t sweep_fft_scratch_bytes(int cin, int cout, int dil, int n0, int n1);

#endif
