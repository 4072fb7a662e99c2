/* Dense evaluation of a network: dilated ("a trous") convolutions and pools, dense layers as convolutions. */
#include "facies/dense.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "blas.h"
#include "fail.h"
#include "nn_impl.h"

#define TILE 160
#define COL_FLOATS (2u << 20) /* im2col chunk: 8 MB */
#define FC_MAX_CLASSES_DENSE 256

typedef enum { OP_CONV, OP_MAXPOOL, OP_AVGPOOL, OP_AFFINE } op_kind;

typedef struct dop {
    op_kind kind;
    int cin, cout, kh, kw, dil, relu;
    const float *w, *b;   /* conv: [cout][cin][kh][kw], [cout] */
    float *scale, *shift; /* affine (batch norm in inference) */
} dop;

struct fc_dense {
    fc_net *net;
    int nops;
    dop *ops;
    int in_c, classes, span_r, span_c, exact, threads;
    size_t map_floats; /* largest map of a full tile */
    float *maps;       /* [threads][2][map_floats] */
    float *col;        /* [threads][COL_FLOATS] */
};

static fc_status plan(fc_dense *d, fc_error *err)
{
    fc_net *net = d->net;
    d->ops = calloc((size_t)net->nl, sizeof *d->ops);
    if (!d->ops)
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
    int dil = 1, c = net->cfg.in_c, flat_h = 0, flat_w = 0;
    d->exact = 1;
    d->span_r = d->span_c = 1;
    for (int i = 0; i < net->nl; i++) {
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
            o->kind = OP_AFFINE;
            o->cout = c;
            o->kh = o->kw = 1;
            o->scale = malloc(sizeof(float) * (size_t)c);
            o->shift = malloc(sizeof(float) * (size_t)c);
            if (!o->scale || !o->shift)
                return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
            for (int k = 0; k < c; k++) {
                o->scale[k] = l->p[0][k] / sqrtf(l->p[3][k] + 1e-3f);
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
            break;
        }
        d->span_r += (o->kh - 1) * o->dil;
        d->span_c += (o->kw - 1) * o->dil;
        c = o->cout;
        d->nops++;
    }
    d->in_c = net->cfg.in_c;
    d->classes = net->cfg.classes;
    /* The largest map of a full tile, input included. */
    int h = TILE + d->span_r - 1, w = TILE + d->span_c - 1;
    d->map_floats = (size_t)d->in_c * h * w;
    for (int i = 0; i < d->nops; i++) {
        h -= (d->ops[i].kh - 1) * d->ops[i].dil;
        w -= (d->ops[i].kw - 1) * d->ops[i].dil;
        size_t n = (size_t)d->ops[i].cout * h * w;
        d->map_floats = n > d->map_floats ? n : d->map_floats;
    }
    return FC_OK;
}

fc_status fc_dense_create(fc_dense **out, fc_net *net, int threads, fc_error *err)
{
    fc_dense *d = calloc(1, sizeof *d);
    if (!d)
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
    d->net = net;
#ifdef _OPENMP
    d->threads = threads > 0 ? threads : omp_get_num_procs();
#else
    (void)threads;
    d->threads = 1;
#endif
    fc_blas_single_thread();
    fc_status st = plan(d, err);
    if (!st) {
        d->maps = malloc(sizeof(float) * d->map_floats * 2 * (size_t)d->threads);
        d->col = malloc(sizeof(float) * COL_FLOATS * (size_t)d->threads);
        if (!d->maps || !d->col)
            st = fc_fail(err, FC_ERR_NOMEM, "dense: out of memory for %d tiles of %d x %d", d->threads, TILE, TILE);
    }
    if (st) {
        fc_dense_destroy(d);
        return st;
    }
    *out = d;
    return FC_OK;
}

void fc_dense_destroy(fc_dense *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->nops; i++) {
        free(d->ops[i].scale);
        free(d->ops[i].shift);
    }
    free(d->ops);
    free(d->maps);
    free(d->col);
    free(d);
}

int fc_dense_exact(const fc_dense *d)
{
    return d->exact;
}

double fc_dense_flops_per_position(const fc_dense *d)
{
    double f = 0.0;
    for (int i = 0; i < d->nops; i++)
        if (d->ops[i].kind == OP_CONV)
            f += 2.0 * d->ops[i].cout * d->ops[i].cin * d->ops[i].kh * d->ops[i].kw;
    return f;
}

void fc_dense_span(const fc_dense *d, int *rows, int *cols)
{
    *rows = d->span_r;
    *cols = d->span_c;
}

/* out[cout][oh][ow] = act(W * dilated windows of in[cin][h][w] + b), row chunks through im2col and GEMM. */
static void conv(const dop *o, const float *in, int h, int w, float *out, float *col)
{
    int oh = h - (o->kh - 1) * o->dil, ow = w - (o->kw - 1) * o->dil, q = o->cin * o->kh * o->kw;
    int rows = (int)(COL_FLOATS / ((size_t)q * (size_t)ow));
    rows = rows < 1 ? 1 : rows > oh ? oh : rows;
    for (int r0 = 0; r0 < oh; r0 += rows) {
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
    }
    for (int f = 0; f < o->cout; f++) {
        float *of = out + (size_t)f * oh * ow, b = o->b[f];
        for (int i = 0; i < oh * ow; i++) {
            float v = of[i] + b;
            of[i] = o->relu && v < 0.0f ? 0.0f : v;
        }
    }
}

static void pool(const dop *o, const float *in, int h, int w, float *out)
{
    int oh = h - (o->kh - 1) * o->dil, ow = w - (o->kw - 1) * o->dil;
    float inv = 1.0f / (float)(o->kh * o->kw);
    for (int c = 0; c < o->cin; c++)
        for (int y = 0; y < oh; y++) {
            float *dst = out + ((size_t)c * oh + y) * ow;
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

/* One tile: in region rows [r0, r0 + th + span_r - 1), cols likewise, to out positions [r0, r0+th) x [c0, c0+tw). */
static void tile(fc_dense *d, int t, const float *in, int H, int W, int r0, int c0, int th, int tw, float *out, int OH,
                 int OW)
{
    float *a = d->maps + (size_t)t * 2 * d->map_floats, *b = a + d->map_floats;
    float *col = d->col + (size_t)t * COL_FLOATS;
    int h = th + d->span_r - 1, w = tw + d->span_c - 1;
    for (int c = 0; c < d->in_c; c++)
        for (int y = 0; y < h; y++)
            memcpy(a + ((size_t)c * h + y) * w, in + ((size_t)c * H + (size_t)(r0 + y)) * W + c0,
                   sizeof(float) * (size_t)w);
    for (int i = 0; i < d->nops; i++) {
        const dop *o = &d->ops[i];
        switch (o->kind) {
        case OP_CONV: conv(o, a, h, w, b, col); break;
        case OP_MAXPOOL:
        case OP_AVGPOOL: pool(o, a, h, w, b); break;
        case OP_AFFINE:
            for (int c = 0; c < o->cin; c++)
                for (int k = 0; k < h * w; k++)
                    b[(size_t)c * h * w + k] = a[(size_t)c * h * w + k] * o->scale[c] + o->shift[c];
            break;
        }
        h -= (o->kh - 1) * o->dil;
        w -= (o->kw - 1) * o->dil;
        float *s = a;
        a = b;
        b = s;
    }
    /* a: logits [K][th][tw]; softmax per position into out [K][OH][OW]. */
    int K = d->classes;
    for (int y = 0; y < th; y++)
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
}

fc_status fc_dense_run(fc_dense *d, const float *in, int H, int W, float *out, fc_error *err)
{
    int rows = H - d->span_r + 1, cols = W - d->span_c + 1;
    if (rows < 1 || cols < 1)
        return fc_fail(err, FC_ERR_ARGUMENT, "dense: a %d x %d input is smaller than the network's %d x %d span", H, W,
                       d->span_r, d->span_c);
    int nty = (rows + TILE - 1) / TILE, ntx = (cols + TILE - 1) / TILE, nt = nty * ntx;
    /* Only positions whose whole patch fits are computed; tiles write straight into out. */
#pragma omp parallel for schedule(dynamic, 1) num_threads(d->threads)
    for (int k = 0; k < nt; k++) {
        int r0 = (k / ntx) * TILE, c0 = (k % ntx) * TILE;
        int th = rows - r0 < TILE ? rows - r0 : TILE, tw = cols - c0 < TILE ? cols - c0 : TILE;
        tile(d, fc_thread_id(), in, H, W, r0, c0, th, tw, out, rows, cols);
    }
    return FC_OK;
}
