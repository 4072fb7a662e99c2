/* The plan of a whole-section evaluator: its ops from the network's layers, which kernel each convolution uses,
 * the FFT block and the tile (the cost model), and the memory of the tiles' maps. */
#include "sweep_plan.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"

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

/* Where the walk over the layers is: the dilation so far, the channels, and the map a flatten layer saw. */
typedef struct plan_walk {
    int dil, c, flat_h, flat_w;
} plan_walk;

/* Layer i's op into o, from the walk's state (updated); *none: the layer has no op (dropout, flatten). */
static fc_status layer_op(fc_sweep *d, int i, const layer *l, plan_walk *pw, dop *o, int *none, fc_error *err)
{
    fc_net *net = d->net;
    int c = pw->c;
    *none = 0;
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
        pw->dil *= l->stride;
        break;
    case FC_LAYER_MAXPOOL:
    case FC_LAYER_AVGPOOL:
        o->kind = l->kind == FC_LAYER_MAXPOOL ? OP_MAXPOOL : OP_AVGPOOL;
        o->kh = o->kw = l->pk;
        o->cout = c;
        pw->dil *= l->ps;
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
    case FC_LAYER_DROPOUT: *none = 1; break;
    case FC_LAYER_FLATTEN:
        pw->flat_h = l->in_h;
        pw->flat_w = l->in_w;
        *none = 1;
        break;
    case FC_LAYER_GAP:
        o->kind = OP_AVGPOOL;
        o->kh = l->in_h;
        o->kw = l->in_w;
        o->cout = c;
        pw->flat_h = pw->flat_w = 1;
        break;
    case FC_LAYER_DENSE:
        o->kind = OP_CONV;
        o->kh = pw->flat_h > 0 ? pw->flat_h : 1;
        o->kw = pw->flat_w > 0 ? pw->flat_w : 1;
        o->cin = (int)l->in_size / (o->kh * o->kw);
        o->cout = l->filters;
        o->relu = l->relu;
        o->w = l->p[0];
        o->b = l->p[1];
        pw->flat_h = pw->flat_w = 1; /* later dense layers are 1x1 */
        if (d->part >= 0 && share_weights(d, l, o))
            return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
        break;
    }
    return FC_OK;
}

fc_status sweep_plan_ops(fc_sweep *d, fc_error *err)
{
    fc_net *net = d->net;
    d->ops = calloc((size_t)net->nl, sizeof *d->ops);
    if (!d->ops)
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
    plan_walk pw = {.dil = 1, .c = net->cfg.in_c / (d->part >= 0 ? net->towers : 1), .flat_h = 0, .flat_w = 0};
    d->exact = 1;
    d->span_r = d->span_c = 1;
    d->in_c = pw.c;
    d->classes = net->cfg.classes;
    for (int i = d->part >= 0 ? d->part * net->tower_len : 0; i < net->nl; i++) {
        if (d->part >= 0 && i == (d->part + 1) * net->tower_len)
            i = net->head; /* the tower's share of the head */
        layer *l = &net->L[i];
        dop *o = &d->ops[d->nops];
        memset(o, 0, sizeof *o);
        o->dil = pw.dil;
        o->cin = pw.c;
        int none = 0;
        fc_status st = layer_op(d, i, l, &pw, o, &none, err);
        if (st)
            return st;
        if (none)
            continue;
        d->span_r += (o->kh - 1) * o->dil;
        d->span_c += (o->kw - 1) * o->dil;
        pw.c = o->cout;
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

double sweep_direct_flops(const dop *o)
{
    return 2.0 * o->cin * o->cout * o->kh * o->kw;
}

/* Winograd pays when the matrix products are big enough to run at speed: 8 input channels or more. */
static int wino_fits(const dop *o, int force)
{
    if (o->kind != OP_CONV || o->kh != 3 || o->kw != 3)
        return 0;
    return force || (o->cin >= 8 && sweep_wino_flops(o->cin, o->cout) * WEIGHT_WINO < sweep_direct_flops(o));
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
        if (!force && per_out > 0.5 * sweep_direct_flops(o))
            continue;
        if (best < 0 || sweep_direct_flops(o) > sweep_direct_flops(&d->ops[best]))
            best = i;
    }
    return best;
}

/* FLOPs of one tile of th x tw outputs (weighted for the cost model, or as executed), and the floats its maps need:
 * the largest input plus output of one op (they share one buffer, from its two ends). */
double sweep_tile_cost(const fc_sweep *d, int th, int tw, int n0, int n1, int weighted, size_t *map_floats)
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
                cost += sweep_direct_flops(o) * outs;
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
                    double cost = (double)ntr * ntc * sweep_tile_cost(d, th, tw, a, b, 1, &maps);
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

void sweep_plan_describe(fc_sweep *d)
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
fc_status sweep_plan_maps(fc_sweep *d, fc_error *err)
{
    size_t need;
    sweep_tile_cost(d, d->tile_r, d->tile_c, d->fft_n0, d->fft_n1, 0, &need);
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

static int is_pool(const dop *o)
{
    return o->kind == OP_MAXPOOL || o->kind == OP_AVGPOOL;
}

/* Winograd's channel-vector path, which reads and writes either layout. */
static int wino_lanes(const dop *o)
{
    return o->kernel == KERNEL_WINOGRAD && sweep_wino_lanes(o->wino);
}

/* Op i can read a channel-last map: Winograd's channel-vector path, the FFT, or a pool whose output the next op can
 * read so. */
static int reads_last(const fc_sweep *d, int i)
{
    const dop *o = &d->ops[i];
    if (o->kernel == KERNEL_FFT || wino_lanes(o))
        return 1;
    return is_pool(o) && i + 1 < d->nops && reads_last(d, i + 1);
}

/* Channel-last maps between the fast kernels that take them: Winograd's channel-vector path gathers its inputs
 * channel-last and computes eight channels at once (into a channel-major map each of its outputs is eight stores a
 * plane apart; into a channel-last one, one store), a pool takes runs of channels at a time, and the FFT gathers its
 * blocks from either. A map is channel-last where its maker writes it so (Winograd, or a pool of a channel-last map)
 * and its reader takes it (Winograd, the FFT, or a pool whose own output is read so); every other map, the tile's
 * input and the logits stay channel-major. The arithmetic is the same either way: only where the values lie changes.
 */
static void plan_layouts(fc_sweep *d)
{
    for (int i = 0; i < d->nops; i++) {
        dop *o = &d->ops[i];
        o->in_last = i > 0 && d->ops[i - 1].out_last;
        int writes = wino_lanes(o) || (is_pool(o) && o->in_last);
        o->out_last = writes && i + 1 < d->nops && reads_last(d, i + 1);
    }
}

fc_status sweep_plan_kernels(fc_sweep *d, fc_error *err)
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
    plan_layouts(d);
    return FC_OK;
}

/* With an FFT layer, the tile follows the section: re-planned (FFT plans, weight spectra) when its size changes. */
fc_status sweep_plan_fit(fc_sweep *d, int rows, int cols, fc_error *err)
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
        st = sweep_plan_maps(d, err);
    sweep_plan_describe(d);
    return st;
}
