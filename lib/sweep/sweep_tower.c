/* One evaluator over one input: a single-scale network, or one tower of a multi-scale network with its share of the
 * head (sweep_scales.c adds the towers up). Its creation and planning, its runs tile by tile, and the direct kernels;
 * the fast ones are in sweep_winograd.c and sweep_fft.c, the plan in sweep_plan.c. */
#include "sweep_tower.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "blas.h"
#include "fail.h"
#include "nn_support.h"
#include "sweep_plan.h"

/* Threads in the current team (1 outside a parallel region). */
static int team_size(void)
{
#ifdef _OPENMP
    return omp_get_num_threads();
#else
    return 1;
#endif
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
#ifdef _OPENMP
    d->threads = d->opt.threads > 0 ? d->opt.threads : omp_get_num_procs();
#else
    d->threads = 1;
#endif
    d->tile_r = d->tile_c = TILE;
    fc_blas_single_thread();
    fc_status st = sweep_plan_ops(d, err);
    if (!st) {
        d->method = d->exact ? d->opt.method : FC_SWEEP_DIRECT;
        st = sweep_plan_kernels(d, err);
    }
    if (!st) {
        d->col = malloc(sizeof(float) * COL_FLOATS * (size_t)d->threads);
        if (!d->col)
            st = fc_fail(err, FC_ERR_NOMEM, "dense: out of memory for %d threads", d->threads);
    }
    if (!st && d->fft_op < 0)
        st = sweep_plan_maps(d, err);
    if (st) {
        sweep_tower_destroy(d);
        return st;
    }
    sweep_plan_describe(d);
    *out = d;
    return FC_OK;
}

void sweep_tower_destroy(fc_sweep *d)
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
    free(d);
}

void sweep_tower_span(const fc_sweep *d, int *rows, int *cols)
{
    *rows = d->span_r;
    *cols = d->span_c;
}

const char *sweep_tower_describe(const fc_sweep *d)
{
    return d->describe;
}

double sweep_tower_flops(const fc_sweep *d)
{
    double f = 0.0;
    for (int i = 0; i < d->nops; i++)
        if (d->ops[i].kind == OP_CONV)
            f += sweep_direct_flops(&d->ops[i]);
    return f;
}

double sweep_tower_last_flops(const fc_sweep *d)
{
    return d->last_flops;
}

/* Output rows [r0, r0 + nr) of a convolution: their windows copied into col (im2col), then one GEMM into out (rows of
 * ldo floats apart by channel). */
static void conv_rows(const dop *o, const float *in, int h, int w, int r0, int nr, float *col, float *out, int ldo)
{
    int ow = dop_out(w, o->kw, o->dil), p = nr * ow, q = o->cin * o->kh * o->kw;
    for (int c = 0; c < o->cin; c++)
        for (int i = 0; i < o->kh; i++)
            for (int j = 0; j < o->kw; j++) {
                float *dst = col + ((size_t)(c * o->kh + i) * o->kw + j) * p;
                for (int r = 0; r < nr; r++)
                    memcpy(dst + (size_t)r * ow,
                           in + ((size_t)c * h + (size_t)(r0 + r + i * o->dil)) * w + (size_t)j * o->dil,
                           sizeof(float) * (size_t)ow);
            }
    fc_sgemm(0, 0, o->cout, p, q, 1.0f, o->w, q, col, p, 0.0f, out, ldo);
}

/* out[cout][oh][ow] = act(W * dilated windows of in[cin][h][w] + b), row chunks through im2col and GEMM; the
 * threads of the team claim chunks as they finish one, each with its own im2col buffer (col: the team's, one per
 * thread). A 1 x 1 kernel's windows are the map's own rows: the GEMM reads them in place, without the copy. The
 * chunks (at least CONV_CHUNKS) do not depend on the thread count: a GEMM of another width may sum in another
 * order. */
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
        if (o->kh == 1 && o->kw == 1)
            fc_sgemm(0, 0, o->cout, p, q, 1.0f, o->w, q, in + (size_t)r0 * w, h * w, 0.0f, out + (size_t)r0 * ow,
                     oh * ow);
        else
            conv_rows(o, in, h, w, r0, nr, col, out + (size_t)r0 * ow, oh * ow);
        for (int f = 0; f < o->cout; f++) {
            float *of = out + (size_t)f * oh * ow + (size_t)r0 * ow, b = o->b[f];
            for (int i = 0; i < p; i++) {
                float v = of[i] + b;
                of[i] = o->relu && v < 0.0f ? 0.0f : v;
            }
        }
    }
}

/* dst[k] = max(dst[k], src[k]) for a maximum pool, dst[k] + src[k] for an average one, k < n. */
static void fold(op_kind kind, const float *src, float *dst, int n)
{
    if (kind == OP_MAXPOOL)
        for (int k = 0; k < n; k++)
            dst[k] = src[k] > dst[k] ? src[k] : dst[k];
    else
        for (int k = 0; k < n; k++)
            dst[k] += src[k];
}

/* A channel-last map pooled into a channel-last map: the threads claim rows; each window's values are whole runs of
 * channels. */
static void pool_last(const dop *o, const float *in, int h, int w, float *out)
{
    int oh = dop_out(h, o->kh, o->dil), ow = dop_out(w, o->kw, o->dil), C = o->cin;
    float inv = 1.0f / (float)(o->kh * o->kw);
#pragma omp for schedule(dynamic, 1) nowait
    for (int y = 0; y < oh; y++) {
        if (o->kind == OP_MAXPOOL && o->kh == 2 && o->kw == 2) { /* the usual pool: a row is one run, in one pass */
            const float *a = in + (size_t)y * w * C, *b = a + (size_t)o->dil * w * C;
            float *dst = out + (size_t)y * ow * C;
            size_t d = (size_t)o->dil * C, n = (size_t)ow * C;
            for (size_t k = 0; k < n; k++) {
                float m0 = a[k] > a[k + d] ? a[k] : a[k + d], m1 = b[k] > b[k + d] ? b[k] : b[k + d];
                dst[k] = m0 > m1 ? m0 : m1;
            }
            continue;
        }
        for (int x = 0; x < ow; x++) {
            float *dst = out + ((size_t)y * ow + x) * C;
            for (int i = 0; i < o->kh; i++)
                for (int j = 0; j < o->kw; j++) {
                    const float *src = in + ((size_t)(y + i * o->dil) * w + (size_t)(x + j * o->dil)) * C;
                    if (i == 0 && j == 0)
                        memcpy(dst, src, sizeof(float) * (size_t)C);
                    else
                        fold(o->kind, src, dst, C);
                }
            if (o->kind == OP_AVGPOOL)
                for (int c = 0; c < C; c++)
                    dst[c] *= inv;
        }
    }
}

/* The threads of the team claim channels to pool. */
static void pool(const dop *o, const float *in, int h, int w, float *out)
{
    if (o->in_last) {
        pool_last(o, in, h, w, out);
        return;
    }
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
                    fold(o->kind, src, dst, ow);
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
static void run_tile(fc_sweep *d, int ith, int nth, const float *in, int H, int W, int r0, int c0, int th, int tw,
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

fc_status sweep_tower_run(fc_sweep *d, const float *in, int H, int W, float *out, fc_error *err)
{
    int rows = H - d->span_r + 1, cols = W - d->span_c + 1;
    if (rows < 1 || cols < 1)
        return fc_fail(err, FC_ERR_ARGUMENT, "dense: a %d x %d input is smaller than the network's %d x %d span", H, W,
                       d->span_r, d->span_c);
    fc_status st = sweep_plan_fit(d, rows, cols, err);
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
            run_tile(d, ith, nth, in, H, W, r0, c0, th, tw, out, rows, cols);
        }
    }
    d->last_flops = 0.0;
    for (int k = 0; k < nt; k++) {
        int r0 = (k / ntx) * TR, c0 = (k % ntx) * TC;
        int th = rows - r0 < TR ? rows - r0 : TR, tw = cols - c0 < TC ? cols - c0 : TC;
        d->last_flops += sweep_tile_cost(d, th, tw, d->fft_n0, d->fft_n1, 0, NULL);
    }
    return FC_OK;
}
