/* Backward of a ReLU convolution whose output feeds a max pool. The pool passes the gradient of one position per
 * window, and only where that maximum is > 0, so at least three quarters of the convolution's output gradient are
 * zeros, which the dense GEMMs of nn_conv.c multiply all the same. Here only the pool's winners are visited:
 *   dW[f] += g * patch(p)                          for each winner (f, p) with gradient g
 *   dpatch(p) = sum over the winners at p of g * W[f], added back into dx.
 * Patches are read from a channel-last (HWC), zero-padded copy of the input, where the patch of an output position
 * is k runs of k*C contiguous floats; the weights are permuted to that (ki, kj, c) order for the pass. The sums are
 * the dense path's in another order; the finite-difference checks cover both paths. */
#include <math.h>
#include <string.h>

#include "nn_support.h"

typedef struct {
    int C, F, k, s, pad, H, W, OH, OW, Hp, Wp, P, Q, kC;
    size_t padded;  /* floats of xp */
    size_t winners; /* at most one per pool output */
} geometry;

/* One thread's buffers, carved out of the layer's per-thread blocks (sizes in fc_conv_pooled_sizes). */
typedef struct {
    float *xp, *dxp; /* [Hp][Wp][C] padded input and its gradient */
    float *dw;       /* [F][Q] weight gradient in (ki, kj, c) order */
    float *acc;      /* [Q] one position's patch gradient */
    float *cols;     /* [P][Q] every position's patch (the layer's im2col buffer) */
    int32_t *fstart; /* [F + 1] the pool's winners by filter: offsets into pos and val */
    int32_t *pos;    /* [winners] their positions p */
    float *val;      /* [winners] their gradients */
    int32_t *pstart; /* [P + 1] the same winners by position: offsets into filt and pval */
    int32_t *filt;   /* [winners] their filters */
    float *pval;     /* [winners] their gradients */
} workspace;

static geometry geometry_of(const layer *l, const layer *pool)
{
    geometry g = {.C = l->in_c,
                  .F = l->filters,
                  .k = l->k,
                  .s = l->stride,
                  .pad = l->pad,
                  .H = l->in_h,
                  .W = l->in_w,
                  .OH = l->out_h,
                  .OW = l->out_w,
                  .winners = pool->out_size};
    /* Exactly the rows and columns the patches reach: padding on top and left, and below and right as far as the
     * last patch goes (input rows past it take no part in the output). */
    g.Hp = (g.OH - 1) * g.s + g.k;
    g.Wp = (g.OW - 1) * g.s + g.k;
    g.P = g.OH * g.OW;
    g.kC = g.k * g.C;
    g.Q = g.k * g.kC;
    g.padded = (size_t)g.Hp * (size_t)g.Wp * (size_t)g.C;
    return g;
}

static size_t floats_per_thread(const geometry *g)
{
    return 2 * g->padded + (size_t)g->F * g->Q + (size_t)g->Q + 2 * g->winners;
}

static size_t ints_per_thread(const geometry *g)
{
    return (size_t)g->F + 1 + (size_t)g->P + 1 + 2 * g->winners;
}

void fc_conv_pooled_sizes(const layer *l, const layer *pool, size_t *floats, size_t *ints)
{
    geometry g = geometry_of(l, pool);
    *floats = floats_per_thread(&g);
    *ints = ints_per_thread(&g);
}

static workspace workspace_of(const layer *l, const geometry *g, int t)
{
    workspace w;
    w.xp = l->pooled_f + (size_t)t * floats_per_thread(g);
    w.dxp = w.xp + g->padded;
    w.dw = w.dxp + g->padded;
    w.acc = w.dw + (size_t)g->F * g->Q;
    w.val = w.acc + g->Q;
    w.pval = w.val + g->winners;
    w.cols = l->col + (size_t)t * l->col_size;
    w.fstart = l->pooled_i + (size_t)t * ints_per_thread(g);
    w.pos = w.fstart + g->F + 1;
    w.pstart = w.pos + g->winners;
    w.filt = w.pstart + g->P + 1;
    return w;
}

/* acc[i] += ga a[i] + gb b[i] + gc c[i] + gd d[i]: four winners per pass over acc, fused multiply-adds. */
FC_FMA_CLONES
static void madd4(float *restrict acc, const float *restrict a, const float *restrict b, const float *restrict c,
                  const float *restrict d, float ga, float gb, float gc, float gd, int n)
{
    for (int i = 0; i < n; i++)
        acc[i] = fmaf(gd, d[i], fmaf(gc, c[i], fmaf(gb, b[i], fmaf(ga, a[i], acc[i]))));
}

FC_VECTOR_CLONES
static void add_to(float *restrict y, const float *restrict x, int n)
{
    for (int i = 0; i < n; i++)
        y[i] += x[i];
}

/* acc += sum over j < m of g[j] * base[idx[j] * n .. + n), four rows per pass; zeros stands in past the end. */
static void madd_gather(float *acc, const float *base, const int32_t *idx, const float *g, int m, const float *zeros,
                        int n)
{
    for (int j = 0; j < m; j += 4) {
        const float *r[4];
        float c[4];
        for (int i = 0; i < 4; i++) {
            r[i] = j + i < m ? base + (size_t)idx[j + i] * n : zeros;
            c[i] = j + i < m ? g[j + i] : 0.0f;
        }
        madd4(acc, r[0], r[1], r[2], r[3], c[0], c[1], c[2], c[3], n);
    }
}

/* Per filter, its a x b block transposed: dst[f][j][i] = src[f][i][j]. Takes the weights between the layer's
 * (c, ki, kj) order (a = C, b = k * k) and the pass's (ki, kj, c), and the weight gradient back. */
static void transpose_each(float *dst, const float *src, int F, int a, int b)
{
    for (int f = 0; f < F; f++, dst += (size_t)a * b, src += (size_t)a * b)
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                dst[(size_t)j * a + i] = src[(size_t)i * b + j];
}

/* xp[h + pad][w + pad][c] = x[c][h][w]; the border stays zero from allocation. */
static void to_padded_hwc(const geometry *g, const float *x, float *xp)
{
    for (int c = 0; c < g->C; c++)
        for (int h = 0; h < g->H && h + g->pad < g->Hp; h++) {
            const float *xr = x + ((size_t)c * g->H + h) * g->W;
            float *row = xp + (size_t)(h + g->pad) * g->Wp * g->C + c;
            for (int w = 0; w < g->W && w + g->pad < g->Wp; w++)
                row[(size_t)(w + g->pad) * g->C] = xr[w];
        }
}

/* dx[c][h][w] = dxp[h + pad][w + pad][c] (0 for input rows and columns no patch reaches). */
static void from_padded_hwc(const geometry *g, const float *dxp, float *dx)
{
    for (int c = 0; c < g->C; c++)
        for (int h = 0; h < g->H; h++) {
            float *xr = dx + ((size_t)c * g->H + h) * g->W;
            if (h + g->pad >= g->Hp) {
                memset(xr, 0, sizeof(float) * (size_t)g->W);
                continue;
            }
            const float *row = dxp + (size_t)(h + g->pad) * g->Wp * g->C + c;
            for (int w = 0; w < g->W; w++)
                xr[w] = w + g->pad < g->Wp ? row[(size_t)(w + g->pad) * g->C] : 0.0f;
        }
}

/* The top-left of output position p's patch in a padded HWC buffer. */
static size_t patch_at(const geometry *g, int p)
{
    int oh = p / g->OW, ow = p % g->OW;
    return ((size_t)oh * g->s * g->Wp + (size_t)ow * g->s) * g->C;
}

/* The pool's winners for one sample, by filter: pool outputs are channel-major, so filter f's are the f-th run of
 * per = out_h * out_w; a winner is the argmax (f * P + p) of an output above 0 with a gradient. */
static void winners_of(const geometry *g, const layer *pool, int sample, const workspace *w)
{
    size_t o0 = (size_t)sample * pool->out_size, per = (size_t)pool->out_h * pool->out_w;
    const float *y = pool->out + o0, *dy = pool->dout + o0;
    const int32_t *am = pool->argmax + o0;
    int32_t m = 0;
    for (int f = 0; f < g->F; f++) {
        w->fstart[f] = m;
        for (size_t o = (size_t)f * per; o < (size_t)(f + 1) * per; o++)
            if (y[o] > 0.0f && dy[o] != 0.0f) {
                w->pos[m] = am[o] - f * g->P;
                w->val[m++] = dy[o];
            }
    }
    w->fstart[g->F] = m;
}

/* dW[f] += g * patch(p) and db[f] += g over filter f's winners. */
static void weight_grads(const geometry *g, const workspace *w, const float *zeros, float *db)
{
    for (int p = 0; p < g->P; p++) {
        size_t at = patch_at(g, p);
        for (int ki = 0; ki < g->k; ki++)
            memcpy(w->cols + (size_t)p * g->Q + (size_t)ki * g->kC, w->xp + at + (size_t)ki * g->Wp * g->C,
                   sizeof(float) * (size_t)g->kC);
    }
    for (int f = 0; f < g->F; f++) {
        int32_t b = w->fstart[f], e = w->fstart[f + 1];
        madd_gather(w->dw + (size_t)f * g->Q, w->cols, w->pos + b, w->val + b, e - b, zeros, g->Q);
        for (int32_t i = b; i < e; i++)
            db[f] += w->val[i];
    }
}

/* dx from the winners: each position's patch gradient sum_f g W'[f], added into the padded HWC gradient. */
static void input_grads(const geometry *g, const workspace *w, const float *wperm, const float *zeros, float *dx)
{
    /* Counting sort by position, stable (filters ascending within a position). */
    int32_t m = w->fstart[g->F];
    memset(w->pstart, 0, sizeof(int32_t) * (size_t)(g->P + 1));
    for (int32_t i = 0; i < m; i++)
        w->pstart[w->pos[i] + 1]++;
    for (int p = 0; p < g->P; p++)
        w->pstart[p + 1] += w->pstart[p];
    for (int f = 0; f < g->F; f++)
        for (int32_t i = w->fstart[f]; i < w->fstart[f + 1]; i++) {
            int32_t at = w->pstart[w->pos[i]]++;
            w->filt[at] = f;
            w->pval[at] = w->val[i];
        }
    /* Each pstart[p] has moved on to the end of p's winners, the start of p + 1's. */
    memset(w->dxp, 0, sizeof(float) * g->padded);
    for (int p = 0; p < g->P; p++) {
        int32_t b = p ? w->pstart[p - 1] : 0, e = w->pstart[p];
        if (b == e)
            continue;
        memset(w->acc, 0, sizeof(float) * (size_t)g->Q);
        madd_gather(w->acc, wperm, w->filt + b, w->pval + b, e - b, zeros, g->Q);
        float *d = w->dxp + patch_at(g, p);
        for (int ki = 0; ki < g->k; ki++)
            add_to(d + (size_t)ki * g->Wp * g->C, w->acc + (size_t)ki * g->kC, g->kC);
    }
    from_padded_hwc(g, w->dxp, dx);
}

void fc_conv_backward_pooled(const fc_pass *pass, layer *l, const layer *pool, const float *in, float *din, int n)
{
    geometry g = geometry_of(l, pool);
    int grads = !l->frozen, T = pass->threads, kk = g.k * g.k;
    if (din)
        transpose_each(l->wperm, l->p[0], g.F, g.C, kk);
    if (grads)
        for (int t = 0; t < T; t++) {
            memset(workspace_of(l, &g, t).dw, 0, sizeof(float) * (size_t)g.F * g.Q);
            memset(l->tgrad + (size_t)t * l->tgrad_len, 0, sizeof(float) * (size_t)l->tgrad_len);
        }
#pragma omp parallel num_threads(T)
    {
        int t = fc_thread_id();
        workspace w = workspace_of(l, &g, t);
        float *db = l->tgrad + (size_t)t * l->tgrad_len + (size_t)g.F * g.Q;
#pragma omp for schedule(static)
        for (int s = 0; s < n; s++) {
            winners_of(&g, pool, s, &w);
            if (grads) {
                to_padded_hwc(&g, in + (size_t)s * l->in_size, w.xp);
                weight_grads(&g, &w, l->pooled_zeros, db);
            }
            if (din)
                input_grads(&g, &w, l->wperm, l->pooled_zeros, din + (size_t)s * l->in_size);
        }
    }
    if (!grads)
        return;
    /* Back to the layer's (c, ki, kj) order, per thread, then the usual thread-ordered sum. */
    for (int t = 0; t < T; t++)
        transpose_each(l->tgrad + (size_t)t * l->tgrad_len, workspace_of(l, &g, t).dw, g.F, kk, g.C);
    fc_reduce_grads(l, pass->threads);
}

int fc_conv_pooled_usable(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); /* an x86-64-v3 clone of madd4 */
#else
    return 1;
#endif
}
