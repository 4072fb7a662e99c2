/* Dense evaluation of a network: dilated ("a trous") convolutions and pools, dense layers as convolutions.
 * Planning (which kernel each convolution uses, and the tile size) is here; the fast kernels are in
 * sweep_winograd.c and sweep_fft.c, the direct ones below. */
#include "facies/sweep.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "blas.h"
#include "sweep_impl.h"
#include "sweep_scales.h"
#include "fail.h"
#include "nn_impl.h"
#include "nn_support.h"

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

/* Threads in the current team (1 outside a parallel region). */
static int team_size(void)
{
#ifdef _OPENMP
    return omp_get_num_threads();
#else
    return 1;
#endif
}

/* Tower d->part's share of the head's first dense layer: its columns of the weights, as a kernel over the tower's
 * last map; the bias goes with tower 0 and the ReLU after the sum (sweep_scales.c). */
static int share_weights(fc_sweep *d, const layer *l, dop *o)
{
    size_t share = l->in_size / (size_t)d->net->towers, out = (size_t)l->filters;
    d->part_w = malloc(sizeof(float) * share * out);
    d->part_b = calloc(out, sizeof(float));
    if (!d->part_w || !d->part_b)
        return -1;
    for (size_t f = 0; f < out; f++)
        memcpy(d->part_w + f * share, l->p[0] + f * l->in_size + (size_t)d->part * share, sizeof(float) * share);
    if (d->part == 0)
        memcpy(d->part_b, l->p[1], sizeof(float) * out);
    o->cin = (int)share / (o->kh * o->kw);
    o->w = d->part_w;
    o->b = d->part_b;
    o->relu = 0;
    return 0;
}

static fc_status plan(fc_sweep *d, fc_error *err)
{
    fc_net *net = d->net;
    d->ops = calloc((size_t)net->nl, sizeof *d->ops);
    if (!d->ops)
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
    int dil = 1, c = net->cfg.in_c / (d->part >= 0 ? net->towers : 1), flat_h = 0, flat_w = 0;
    d->exact = 1;
    d->span_r = d->span_c = 1;
    d->in_c = c;
    d->classes = net->cfg.classes;
    for (int i = d->part >= 0 ? d->part * net->tower_len : 0; i < net->nl; i++) {
        if (d->part >= 0 && i == (d->part + 1) * net->tower_len)
            i = net->head; /* the tower's share of the head */
        layer *l = &net->L[i];
        dop *o = &d->ops[d->nops];
        memset(o, 0, sizeof *o);
        o->dil = dil;
        o->cin = c;
        switch (l->kind) {
        case FC_LAYER_CONV:
            o->kind = OP_CONV;
            o->kh = o->kw = l->k;
            o->cout = l->filters;
            o->relu = 1;
            o->w = l->p[0];
            o->b = l->p[1];
            if (l->pad > 0)
                d->exact = 0; /* zero padding inside the patch has no dense equivalent */
            dil *= l->stride;
            break;
        case FC_LAYER_MAXPOOL:
        case FC_LAYER_AVGPOOL:
            o->kind = l->kind == FC_LAYER_MAXPOOL ? OP_MAXPOOL : OP_AVGPOOL;
            o->kh = o->kw = l->pk;
            o->cout = c;
            dil *= l->ps;
            break;
        case FC_LAYER_BATCHNORM:
            if (d->part >= 0 && i >= net->head)
                return fc_fail(err, FC_ERR_ARGUMENT,
                               "dense: a network with several scales needs a dense layer first in its head");
            o->kind = OP_AFFINE;
            o->cout = c;
            o->kh = o->kw = 1;
            o->scale = malloc(sizeof(float) * (size_t)c);
            o->shift = malloc(sizeof(float) * (size_t)c);
            if (!o->scale || !o->shift)
                return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
            for (int k = 0; k < c; k++) {
                o->scale[k] = l->p[0][k] / sqrtf(l->p[3][k] + FC_BN_EPSILON);
                o->shift[k] = l->p[1][k] - l->p[2][k] * o->scale[k];
            }
            break;
        case FC_LAYER_DROPOUT: continue;
        case FC_LAYER_FLATTEN:
            flat_h = l->in_h;
            flat_w = l->in_w;
            continue;
        case FC_LAYER_GAP:
            o->kind = OP_AVGPOOL;
            o->kh = l->in_h;
            o->kw = l->in_w;
            o->cout = c;
            flat_h = flat_w = 1;
            break;
        case FC_LAYER_DENSE:
            o->kind = OP_CONV;
            o->kh = flat_h > 0 ? flat_h : 1;
            o->kw = flat_w > 0 ? flat_w : 1;
            o->cin = (int)l->in_size / (o->kh * o->kw);
            o->cout = l->filters;
            o->relu = l->relu;
            o->w = l->p[0];
            o->b = l->p[1];
            flat_h = flat_w = 1; /* later dense layers are 1x1 */
            if (d->part >= 0 && share_weights(d, l, o))
                return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
            break;
        }
        d->span_r += (o->kh - 1) * o->dil;
        d->span_c += (o->kw - 1) * o->dil;
        c = o->cout;
        d->nops++;
        if (d->part >= 0 && o->kind == OP_CONV && i >= net->head) {
            d->classes = o->cout; /* the head's first dense layer: the part ends there */
            break;
        }
    }
    return FC_OK;
}

/* --- The cost model ---------------------------------------------------------------------------------------------
 * Work is counted in FLOPs weighted by how fast each kind runs (measured with bench_apply on an AVX2 EPYC, where
 * im2col + SGEMM runs at ~31 GFLOP/s a core): direct convolutions at their FLOPs, Winograd at WEIGHT_WINO times its
 * FLOPs (products and transforms: its transforms and gathers take half as long as its products), the FFT head at
 * WEIGHT_FFT times its FLOPs (counted with four multiplications per complex product; it runs three, and its
 * transforms, gathers and scatters take a fifth of its time). A kernel is chosen where it costs less than im2col +
 * SGEMM on the same outputs; the FFT block size and the tile are those that make the section cheapest, halos and
 * partly used blocks included, within MEMORY_BUDGET. */
#define WEIGHT_WINO 1.6
#define WEIGHT_FFT 1.25

static double direct_flops(const dop *o)
{
    return 2.0 * o->cin * o->cout * o->kh * o->kw;
}

/* Winograd pays when the matrix products are big enough to run at speed: 8 input channels or more. */
static int wino_fits(const dop *o, int force)
{
    if (o->kind != OP_CONV || o->kh != 3 || o->kw != 3)
        return 0;
    return force || (o->cin >= 8 && sweep_wino_flops(o->cin, o->cout) * WEIGHT_WINO < direct_flops(o));
}

/* The FFT takes one dilated kernel other than 3 x 3 and 1 x 1: the costliest (the first dense layer in practice).
 * Without a dilation of 2 or more there are too few phases to share each frequency's weights. */
static int pick_fft_op(const fc_sweep *d, int force)
{
    int best = -1;
    for (int i = 0; i < d->nops; i++) {
        const dop *o = &d->ops[i];
        if (o->kind != OP_CONV || o->kh * o->kw < 2 || (o->kh == 3 && o->kw == 3) || (!force && o->dil < 2))
            continue;
        /* The FFT's work per output on a 32 x 32 sub-grid, against the direct method's. */
        int n = 32;
        double per_out = 2.0 * sweep_fft_tile_flops(o->cin, o->cout, o->dil, n, n) /
                         ((double)o->dil * o->dil * (n - o->kh + 1) * (n - o->kw + 1));
        if (!force && per_out > 0.5 * direct_flops(o))
            continue;
        if (best < 0 || direct_flops(o) > direct_flops(&d->ops[best]))
            best = i;
    }
    return best;
}

/* FLOPs of one tile of th x tw outputs (weighted for the cost model, or as executed), and the floats its maps need:
 * the largest input plus output of one op (they share one buffer, from its two ends). */
static double tile_cost(const fc_sweep *d, int th, int tw, int n0, int n1, int weighted, size_t *map_floats)
{
    int h = th + d->span_r - 1, w = tw + d->span_c - 1;
    double cost = 0.0, slow = weighted ? WEIGHT_FFT : 1.0, wino = weighted ? WEIGHT_WINO : 1.0;
    size_t in = (size_t)d->in_c * h * w, big = in;
    for (int i = 0; i < d->nops; i++) {
        const dop *o = &d->ops[i];
        int oh = dop_out(h, o->kh, o->dil), ow = dop_out(w, o->kw, o->dil);
        double outs = (double)oh * ow;
        if (o->kind == OP_CONV) {
            if (o->kernel == KERNEL_FFT)
                cost += slow * sweep_fft_map_flops(o->cin, o->cout, o->dil, n0, n1, o->kh, o->kw, oh, ow);
            else if (o->kernel == KERNEL_WINOGRAD)
                cost += wino * sweep_wino_flops(o->cin, o->cout) * outs;
            else
                cost += direct_flops(o) * outs;
        }
        size_t out = (size_t)o->cout * oh * ow;
        big = in + out > big ? in + out : big;
        in = out;
        h = oh;
        w = ow;
    }
    if (map_floats)
        *map_floats = big;
    return cost;
}

/* The FFT sub-grid sides the cost model tries: the ones FFTW 3.3 (FFTW_ESTIMATE, batched 2-D real transforms)
 * runs at full speed. Measured on AVX2 (one forward and one inverse transform): 16: 1.0 us, 20: 1.6 us, 32: 5.6 us,
 * 64: 29 us, i.e. ~0.27 ns x n log2 n throughout, while 24, 30, 35, 40 and 48 take two to four times that. */
static const int fft_sides[] = {8, 10, 12, 16, 20, 32, 64};
enum { FFT_SIDES = (int)(sizeof fft_sides / sizeof fft_sides[0]) };

/* Tiles along one axis: `count` of them, each a multiple of D outputs (whole phases), covering `outs`. */
static int tile_side(int outs, int count, int D)
{
    int share = (outs + count - 1) / count;
    return (share + D - 1) / D * D;
}

#define MAX_TILES_PER_AXIS 12

/* The FFT block size and the tile: the cheapest section by the cost model (halos and partly used blocks included)
 * within MEMORY_BUDGET, or the FFT size asked for. */
static fc_status fft_geometry(fc_sweep *d, int rows, int cols, fc_error *err)
{
    const dop *o = &d->ops[d->fft_op];
    double best = DBL_MAX;
    int forced = d->opt.fft_size, D = o->dil;
    for (int ia = 0; ia < (forced ? 1 : FFT_SIDES); ia++)
        for (int ib = 0; ib < (forced ? 1 : FFT_SIDES); ib++) {
            int a = forced ? forced : fft_sides[ia], b = forced ? forced : fft_sides[ib];
            if (a < o->kh + 1 || b < o->kw + 1)
                continue;
            size_t fixed = sweep_fft_weight_bytes(o->cin, o->cout, a, b) +
                           (size_t)PLAN_THREADS * sweep_fft_scratch_bytes(o->cin, o->cout, D, a, b);
            for (int ntr = 1; ntr <= MAX_TILES_PER_AXIS; ntr++)
                for (int ntc = 1; ntc <= MAX_TILES_PER_AXIS; ntc++) {
                    int th = tile_side(rows, ntr, D), tw = tile_side(cols, ntc, D);
                    if (d->opt.tile > 0) { /* as asked */
                        if (ntr > 1 || ntc > 1)
                            continue;
                        th = tw = (d->opt.tile + D - 1) / D * D;
                        ntr = (rows + th - 1) / th;
                        ntc = (cols + tw - 1) / tw;
                    }
                    if ((ntr > 1 && th * (ntr - 1) >= rows) || (ntc > 1 && tw * (ntc - 1) >= cols))
                        continue; /* fewer tiles cover it */
                    size_t maps;
                    double cost = (double)ntr * ntc * tile_cost(d, th, tw, a, b, 1, &maps);
                    size_t bytes = fixed + maps * sizeof(float);
                    if (!forced && bytes > MEMORY_BUDGET)
                        continue;
                    if (cost < best) {
                        best = cost;
                        d->tile_r = th;
                        d->tile_c = tw;
                        d->fft_n0 = a;
                        d->fft_n1 = b;
                    }
                }
        }
    if (best == DBL_MAX)
        return fc_fail(err, FC_ERR_ARGUMENT, "dense: no FFT size up to %d fits a %d x %d kernel%s",
                       fft_sides[FFT_SIDES - 1], o->kh, o->kw, forced ? " (the size asked for is too small)" : "");
    return FC_OK;
}

static void describe(fc_sweep *d)
{
    size_t n =
        (size_t)snprintf(d->describe, sizeof d->describe, "%s method:", d->method == FC_SWEEP_FAST ? "fast" : "direct");
    int first = 1;
    for (int i = 0; i < d->nops && n < sizeof d->describe; i++) {
        const dop *o = &d->ops[i];
        if (o->kind != OP_CONV)
            continue;
        const char *k = o->kernel == KERNEL_WINOGRAD ? "winograd F(4x4,3x3)" : o->kernel == KERNEL_FFT ? "fft" : "gemm";
        n += (size_t)snprintf(d->describe + n, sizeof d->describe - n, "%s conv %dx%d %d->%d dil %d %s",
                              first ? "" : ",", o->kh, o->kw, o->cin, o->cout, o->dil, k);
        first = 0;
        if (o->kernel == KERNEL_FFT && d->fft_n0 && n < sizeof d->describe)
            n += (size_t)snprintf(d->describe + n, sizeof d->describe - n, " %dx%d (tiles of %dx%d outputs)", d->fft_n0,
                                  d->fft_n1, d->tile_r, d->tile_c);
    }
}

/* Maps and Winograd scratch for tiles of the current size (grown, never shrunk). */
static fc_status size_maps(fc_sweep *d, fc_error *err)
{
    size_t need;
    tile_cost(d, d->tile_r, d->tile_c, d->fft_n0, d->fft_n1, 0, &need);
    int h = d->tile_r + d->span_r - 1, w = d->tile_c + d->span_c - 1;
    for (int i = 0; i < d->nops; i++) {
        const dop *o = &d->ops[i];
        fc_status st = o->wino ? sweep_wino_reserve(o->wino, o, h, w, err) : FC_OK;
        if (st)
            return st;
        h = dop_out(h, o->kh, o->dil);
        w = dop_out(w, o->kw, o->dil);
    }
    if (need <= d->map_floats)
        return FC_OK;
    free(d->maps);
    d->map_floats = need;
    d->maps = malloc(sizeof(float) * d->map_floats);
    if (!d->maps)
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory for a tile of %d x %d", d->tile_r, d->tile_c);
    return FC_OK;
}

static fc_status choose_kernels(fc_sweep *d, fc_error *err)
{
    d->fft_op = -1;
    if (d->method != FC_SWEEP_FAST)
        return FC_OK;
    int force = d->opt.force_fast;
    d->fft_op = pick_fft_op(d, force);
    if (d->fft_op >= 0)
        d->ops[d->fft_op].kernel = KERNEL_FFT;
    for (int i = 0; i < d->nops; i++) {
        dop *o = &d->ops[i];
        if (o->kernel != KERNEL_FFT && wino_fits(o, force)) {
            o->kernel = KERNEL_WINOGRAD;
            fc_status st = sweep_wino_create(&o->wino, o, d->threads, err);
            if (st)
                return st;
        }
    }
    return FC_OK;
}

fc_status fc_sweep_create(fc_sweep **out, fc_net *net, const fc_sweep_options *opt, fc_error *err)
{
    return sweep_part_create(out, net, opt, net->towers > 1 ? -2 : -1, err);
}

fc_status sweep_part_create(fc_sweep **out, fc_net *net, const fc_sweep_options *opt, int part, fc_error *err)
{
    fc_sweep *d = calloc(1, sizeof *d);
    if (!d)
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
    d->net = net;
    d->part = part;
    if (opt)
        d->opt = *opt;
    if (part == -2) { /* several scales: one evaluator per tower */
        fc_status st = sweep_scales_create(&d->scales, net, &d->opt, err);
        if (st) {
            fc_sweep_destroy(d);
            return st;
        }
        *out = d;
        return FC_OK;
    }
#ifdef _OPENMP
    d->threads = d->opt.threads > 0 ? d->opt.threads : omp_get_num_procs();
#else
    d->threads = 1;
#endif
    d->tile_r = d->tile_c = TILE;
    fc_blas_single_thread();
    fc_status st = plan(d, err);
    if (!st) {
        d->method = d->exact ? d->opt.method : FC_SWEEP_DIRECT;
        st = choose_kernels(d, err);
    }
    if (!st) {
        d->col = malloc(sizeof(float) * COL_FLOATS * (size_t)d->threads);
        if (!d->col)
            st = fc_fail(err, FC_ERR_NOMEM, "dense: out of memory for %d threads", d->threads);
    }
    if (!st && d->fft_op < 0)
        st = size_maps(d, err);
    if (st) {
        fc_sweep_destroy(d);
        return st;
    }
    describe(d);
    *out = d;
    return FC_OK;
}

void fc_sweep_destroy(fc_sweep *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->nops; i++) {
        free(d->ops[i].scale);
        free(d->ops[i].shift);
        sweep_wino_destroy(d->ops[i].wino);
        sweep_fft_destroy(d->ops[i].fft);
    }
    free(d->ops);
    free(d->maps);
    free(d->col);
    free(d->part_w);
    free(d->part_b);
    sweep_scales_destroy(d->scales);
    free(d);
}

int fc_sweep_exact(const fc_sweep *d)
{
    return d->scales ? fc_sweep_exact(sweep_scales_tower(d->scales, 0)) : d->exact;
}

fc_sweep_method fc_sweep_method_used(const fc_sweep *d)
{
    return d->scales ? fc_sweep_method_used(sweep_scales_tower(d->scales, 0)) : d->method;
}

const char *fc_sweep_describe(const fc_sweep *d)
{
    return d->scales ? sweep_scales_describe(d->scales) : d->describe;
}

double fc_sweep_flops_per_position(const fc_sweep *d)
{
    if (d->scales)
        return sweep_scales_flops(d->scales, 0);
    double f = 0.0;
    for (int i = 0; i < d->nops; i++)
        if (d->ops[i].kind == OP_CONV)
            f += direct_flops(&d->ops[i]);
    return f;
}

double fc_sweep_last_flops(const fc_sweep *d)
{
    return d->scales ? sweep_scales_flops(d->scales, 1) : d->last_flops;
}

void fc_sweep_span(const fc_sweep *d, int *rows, int *cols)
{
    if (d->scales) {
        fc_sweep_span(sweep_scales_tower(d->scales, 0), rows, cols);
        return;
    }
    *rows = d->span_r;
    *cols = d->span_c;
}

/* out[cout][oh][ow] = act(W * dilated windows of in[cin][h][w] + b), row chunks through im2col and GEMM; the
 * threads of the team claim chunks as they finish one, each with its own im2col buffer (col: the team's, one per
 * thread). The chunks (at least CONV_CHUNKS) do not depend on the thread count: a GEMM of another width may sum in
 * another order. */
static void conv(const dop *o, const float *in, int h, int w, float *out, float *cols)
{
    int oh = dop_out(h, o->kh, o->dil), ow = dop_out(w, o->kw, o->dil), q = o->cin * o->kh * o->kw;
    int rows = (int)(COL_FLOATS / ((size_t)q * (size_t)ow)), share = (oh + CONV_CHUNKS - 1) / CONV_CHUNKS;
    rows = rows < 1 ? 1 : rows > share ? share : rows;
#pragma omp for schedule(dynamic, 1) nowait
    for (int k = 0; k < (oh + rows - 1) / rows; k++) {
        int r0 = k * rows;
        float *col = cols + (size_t)fc_thread_id() * COL_FLOATS;
        int nr = oh - r0 < rows ? oh - r0 : rows, p = nr * ow;
        for (int c = 0; c < o->cin; c++)
            for (int i = 0; i < o->kh; i++)
                for (int j = 0; j < o->kw; j++) {
                    float *dst = col + ((size_t)(c * o->kh + i) * o->kw + j) * p;
                    for (int r = 0; r < nr; r++)
                        memcpy(dst + (size_t)r * ow,
                               in + ((size_t)c * h + (size_t)(r0 + r + i * o->dil)) * w + (size_t)j * o->dil,
                               sizeof(float) * (size_t)ow);
                }
        fc_sgemm(0, 0, o->cout, p, q, 1.0f, o->w, q, col, p, 0.0f, out + (size_t)r0 * ow, oh * ow);
        for (int f = 0; f < o->cout; f++) {
            float *of = out + (size_t)f * oh * ow + (size_t)r0 * ow, b = o->b[f];
            for (int i = 0; i < p; i++) {
                float v = of[i] + b;
                of[i] = o->relu && v < 0.0f ? 0.0f : v;
            }
        }
    }
}

/* The threads of the team claim channels to pool. */
static void pool(const dop *o, const float *in, int h, int w, float *out)
{
    int oh = dop_out(h, o->kh, o->dil), ow = dop_out(w, o->kw, o->dil);
    float inv = 1.0f / (float)(o->kh * o->kw);
#pragma omp for schedule(dynamic, 1) nowait
    for (int c = 0; c < o->cin; c++)
        for (int y = 0; y < oh; y++) {
            float *dst = out + ((size_t)c * oh + y) * ow;
            if (o->kind == OP_MAXPOOL && o->kh == 2 && o->kw == 2) { /* the usual pool, in one pass */
                const float *a = in + ((size_t)c * h + (size_t)y) * w, *b = a + (size_t)o->dil * w;
                int d = o->dil;
                for (int x = 0; x < ow; x++) {
                    float m0 = a[x] > a[x + d] ? a[x] : a[x + d], m1 = b[x] > b[x + d] ? b[x] : b[x + d];
                    dst[x] = m0 > m1 ? m0 : m1;
                }
                continue;
            }
            for (int x = 0; x < ow; x++)
                dst[x] = o->kind == OP_MAXPOOL ? -FLT_MAX : 0.0f;
            for (int i = 0; i < o->kh; i++)
                for (int j = 0; j < o->kw; j++) {
                    const float *src = in + ((size_t)c * h + (size_t)(y + i * o->dil)) * w + (size_t)j * o->dil;
                    if (o->kind == OP_MAXPOOL)
                        for (int x = 0; x < ow; x++)
                            dst[x] = src[x] > dst[x] ? src[x] : dst[x];
                    else
                        for (int x = 0; x < ow; x++)
                            dst[x] += src[x];
                }
            if (o->kind == OP_AVGPOOL)
                for (int x = 0; x < ow; x++)
                    dst[x] *= inv;
        }
}

/* One tile: in region rows [r0, r0 + th + span_r - 1), cols likewise, to out positions [r0, r0+th) x [c0, c0+tw).
 * Every thread of the team calls it; each does its share of each op (the costly ones claimed piece by piece, so that
 * a thread held up elsewhere delays only its piece), and all wait for each other between ops (the maps are shared: one
 * tile at a time takes the whole memory budget, so tiles are large and their halos small). */
static void tile(fc_sweep *d, int ith, int nth, const float *in, int H, int W, int r0, int c0, int th, int tw,
                 float *out, int OH, int OW)
{
    float *buf = d->maps, *a = buf, *b;
    int h = th + d->span_r - 1, w = tw + d->span_c - 1, at_start = 1;
    for (int k = ith; k < d->in_c * h; k += nth) {
        int c = k / h, y = k % h;
        memcpy(a + ((size_t)c * h + y) * w, in + ((size_t)c * H + (size_t)(r0 + y)) * W + c0,
               sizeof(float) * (size_t)w);
    }
#pragma omp barrier
    for (int i = 0; i < d->nops; i++) {
        const dop *o = &d->ops[i];
        size_t out_floats = (size_t)o->cout * dop_out(h, o->kh, o->dil) * dop_out(w, o->kw, o->dil);
        b = at_start ? buf + d->map_floats - out_floats : buf; /* the other end: input + output fit (tile_cost) */
        switch (o->kind) {
        case OP_CONV:
            if (o->kernel == KERNEL_WINOGRAD)
                sweep_wino_run(o->wino, o, nth, a, h, w, b);
            else if (o->kernel == KERNEL_FFT)
                sweep_fft_run(o->fft, o, a, h, w, b);
            else
                conv(o, a, h, w, b, d->col);
            break;
        case OP_MAXPOOL:
        case OP_AVGPOOL: pool(o, a, h, w, b); break;
        case OP_AFFINE:
#pragma omp for schedule(dynamic, 1) nowait
            for (int c = 0; c < o->cin; c++)
                for (int k = 0; k < h * w; k++)
                    b[(size_t)c * h * w + k] = a[(size_t)c * h * w + k] * o->scale[c] + o->shift[c];
            break;
        }
        h = dop_out(h, o->kh, o->dil);
        w = dop_out(w, o->kw, o->dil);
        a = b;
        at_start = !at_start;
#pragma omp barrier
    }
    /* a: logits [K][th][tw]; softmax per position into out [K][OH][OW], every nth row (a part: as they are). */
    int K = d->classes;
    if (d->part >= 0) {
        for (int r = ith; r < K * th; r += nth)
            memcpy(out + ((size_t)(r / th) * OH + (size_t)(r0 + r % th)) * OW + c0, a + (size_t)r * tw,
                   sizeof(float) * (size_t)tw);
#pragma omp barrier
        return;
    }
    for (int y = ith; y < th; y += nth)
        for (int x = 0; x < tw; x++) {
            size_t at = (size_t)y * tw + x;
            float mx = a[at];
            for (int k = 1; k < K; k++)
                mx = a[(size_t)k * th * tw + at] > mx ? a[(size_t)k * th * tw + at] : mx;
            double sum = 0.0;
            float e[FC_MAX_CLASSES_DENSE];
            for (int k = 0; k < K; k++) {
                e[k] = expf(a[(size_t)k * th * tw + at] - mx);
                sum += e[k];
            }
            for (int k = 0; k < K; k++)
                out[((size_t)k * OH + (size_t)(r0 + y)) * OW + (size_t)(c0 + x)] = (float)(e[k] / sum);
        }
#pragma omp barrier
}

/* With an FFT layer, the tile follows the section: re-planned (FFT plans, weight spectra) when its size changes. */
static fc_status fit_section(fc_sweep *d, int rows, int cols, fc_error *err)
{
    if (d->fft_op < 0)
        return FC_OK;
    int n0 = d->fft_n0, n1 = d->fft_n1;
    fc_status st = fft_geometry(d, rows, cols, err);
    if (st)
        return st;
    dop *o = &d->ops[d->fft_op];
    if (o->fft && n0 == d->fft_n0 && n1 == d->fft_n1)
        return FC_OK;
    sweep_fft_destroy(o->fft);
    o->fft = NULL;
    st = sweep_fft_create(&o->fft, o, d->fft_n0, d->fft_n1, d->threads, err);
    if (!st)
        st = size_maps(d, err);
    describe(d);
    return st;
}

int fc_sweep_scales(const fc_sweep *d, int *factor)
{
    if (!d->scales) {
        if (factor)
            factor[0] = 1;
        return 1;
    }
    return sweep_scales_factors(d->scales, factor);
}

fc_status fc_sweep_run_scales(fc_sweep *d, const float *const *in, int rows, int cols, float *out, fc_error *err)
{
    if (!d->scales)
        return fc_sweep_run(d, in[0], rows + d->span_r - 1, cols + d->span_c - 1, out, err);
    return sweep_scales_run(d->scales, in, rows, cols, out, err);
}

fc_status fc_sweep_run(fc_sweep *d, const float *in, int H, int W, float *out, fc_error *err)
{
    if (d->scales)
        return fc_fail(err, FC_ERR_ARGUMENT, "dense: a network with several scales runs by fc_sweep_run_scales");
    int rows = H - d->span_r + 1, cols = W - d->span_c + 1;
    if (rows < 1 || cols < 1)
        return fc_fail(err, FC_ERR_ARGUMENT, "dense: a %d x %d input is smaller than the network's %d x %d span", H, W,
                       d->span_r, d->span_c);
    fc_status st = fit_section(d, rows, cols, err);
    if (st)
        return st;
    int TR = d->tile_r, TC = d->tile_c;
    int nty = (rows + TR - 1) / TR, ntx = (cols + TC - 1) / TC, nt = nty * ntx;
    /* Only positions whose whole patch fits are computed; tiles write straight into out. */
#pragma omp parallel num_threads(d->threads)
    {
        int ith = fc_thread_id(), nth = team_size();
        for (int k = 0; k < nt; k++) {
            int r0 = (k / ntx) * TR, c0 = (k % ntx) * TC;
            int th = rows - r0 < TR ? rows - r0 : TR, tw = cols - c0 < TC ? cols - c0 : TC;
            tile(d, ith, nth, in, H, W, r0, c0, th, tw, out, rows, cols);
        }
    }
    d->last_flops = 0.0;
    for (int k = 0; k < nt; k++) {
        int r0 = (k / ntx) * TR, c0 = (k % ntx) * TC;
        int th = rows - r0 < TR ? rows - r0 : TR, tw = cols - c0 < TC ? cols - c0 : TC;
        d->last_flops += tile_cost(d, th, tw, d->fft_n0, d->fft_n1, 0, NULL);
    }
    return FC_OK;
}
