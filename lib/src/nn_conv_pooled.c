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

#include "nn_impl.h"

/* One thread's buffers, carved out of the layer's per-thread blocks (sizes in fc_conv_pooled_sizes). */
typedef struct {
    float *xp, *dxp; /* [Hp][Wp][C] padded input and its gradient */
    float *dw;       /* [F][Q] weight gradient in (ki, kj, c) order */
    float *acc;      /* [Q] one position's patch gradient */
    float *cols;     /* [P][Q] every position's patch (the layer's im2col buffer) */
    int32_t *where;  /* [winners] the pool's winners: f * P + p, grouped by filter */
    float *val;      /* [winners] their gradients */
    int32_t *start;  /* [P + 1] the winners sorted by position: CSR offsets */
    int32_t *filt;   /* [winners] their filters */
    float *sval;     /* [winners] their gradients */
} workspace;

typedef struct {
    int C, F, k, s, pad, H, W, OH, OW, Hp, Wp, P, Q, kC;
    size_t padded; /* floats of xp */
} geometry;

static geometry geometry_of(const layer *l)
{
    geometry g = {.C = l->in_c,
                  .F = l->filters,
                  .k = l->k,
                  .s = l->stride,
                  .pad = l->pad,
                  .H = l->in_h,
                  .W = l->in_w,
                  .OH = l->out_h,
                  .OW = l->out_w};
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

void fc_conv_pooled_sizes(const layer *l, const layer *pool, size_t *floats, size_t *ints)
{
    geometry g = geometry_of(l);
    *floats = 2 * g.padded + (size_t)g.F * g.Q + (size_t)g.Q + 2 * pool->out_size;
    *ints = (size_t)g.P + 1 + 2 * pool->out_size;
}

static workspace workspace_of(const layer *l, const layer *pool, int t)
{
    geometry g = geometry_of(l);
    size_t nf, ni;
    fc_conv_pooled_sizes(l, pool, &nf, &ni);
    workspace w;
    w.xp = l->pooled_f + (size_t)t * nf;
    w.dxp = w.xp + g.padded;
    w.dw = w.dxp + g.padded;
    w.acc = w.dw + (size_t)g.F * g.Q;
    w.val = w.acc + g.Q;
    w.sval = w.val + pool->out_size;
    w.cols = l->col + (size_t)t * l->col_size;
    w.start = l->pooled_i + (size_t)t * ni;
    w.where = w.start + g.P + 1;
    w.filt = w.where + pool->out_size;
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

/* acc += sum of g[j] * rows[j] over m rows, four at a time; zeros stands in for missing rows. */
static void madd_rows(float *acc, const float *const *rows, const float *g, int m, const float *zeros, int n)
{
    for (int j = 0; j < m; j += 4) {
        const float *r[4];
        float c[4];
        for (int i = 0; i < 4; i++) {
            r[i] = j + i < m ? rows[j + i] : zeros;
            c[i] = j + i < m ? g[j + i] : 0.0f;
        }
        madd4(acc, r[0], r[1], r[2], r[3], c[0], c[1], c[2], c[3], n);
    }
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

/* The pool's winners for one sample: winners[i] = position in the convolution's output (f * P + p), and their
 * gradients; in pool-output order, so grouped by filter. Returns how many. */
static int winners_of(const layer *pool, int sample, int32_t *where, float *val)
{
    size_t o0 = (size_t)sample * pool->out_size;
    const float *y = pool->out + o0, *dy = pool->dout + o0;
    const int32_t *am = pool->argmax + o0;
    int m = 0;
    for (size_t o = 0; o < pool->out_size; o++)
        if (y[o] > 0.0f && dy[o] != 0.0f) {
            where[m] = am[o];
            val[m++] = dy[o];
        }
    return m;
}

/* dW[f] += g * patch(p) and db[f] += g over the winners (already grouped by filter). */
static void weight_grads(const geometry *g, const workspace *w, const int32_t *where, const float *val, int m,
                         const float *zeros, float *db)
{
    for (int p = 0; p < g->P; p++) {
        size_t at = patch_at(g, p);
        for (int ki = 0; ki < g->k; ki++)
            memcpy(w->cols + (size_t)p * g->Q + (size_t)ki * g->kC, w->xp + at + (size_t)ki * g->Wp * g->C,
                   sizeof(float) * (size_t)g->kC);
    }
    const float *rows[4];
    float gains[4];
    int n = 0, f = -1;
    for (int i = 0; i <= m; i++) {
        int fi = i < m ? where[i] / g->P : -1;
        if (n == 4 || (n > 0 && fi != f)) {
            madd_rows(w->dw + (size_t)f * g->Q, rows, gains, n, zeros, g->Q);
            n = 0;
        }
        if (i == m)
            break;
        f = fi;
        rows[n] = w->cols + (size_t)(where[i] % g->P) * g->Q;
        gains[n++] = val[i];
        db[f] += val[i];
    }
}

/* dx from the winners: each position's patch gradient sum_f g W'[f], added into the padded HWC gradient. */
static void input_grads(const geometry *g, const workspace *w, const float *wperm, const int32_t *where,
                        const float *val, int m, const float *zeros, float *dx)
{
    memset(w->start, 0, sizeof(int32_t) * (size_t)(g->P + 1));
    for (int i = 0; i < m; i++)
        w->start[where[i] % g->P + 1]++;
    for (int p = 0; p < g->P; p++)
        w->start[p + 1] += w->start[p];
    /* Fill by position (stable: filters ascending); afterwards start[p] is where p's winners end. */
    for (int i = 0; i < m; i++) {
        int32_t at = w->start[where[i] % g->P]++;
        w->filt[at] = where[i] / g->P;
        w->sval[at] = val[i];
    }
    memset(w->dxp, 0, sizeof(float) * g->padded);
    const float *rows[64];
    for (int p = 0; p < g->P; p++) {
        int32_t b = p ? w->start[p - 1] : 0, e = w->start[p];
        if (b == e)
            continue;
        memset(w->acc, 0, sizeof(float) * (size_t)g->Q);
        for (int32_t j = b; j < e; j += 64) {
            int cnt = e - j < 64 ? e - j : 64;
            for (int i = 0; i < cnt; i++)
                rows[i] = wperm + (size_t)w->filt[j + i] * g->Q;
            madd_rows(w->acc, rows, w->sval + j, cnt, zeros, g->Q);
        }
        float *d = w->dxp + patch_at(g, p);
        for (int ki = 0; ki < g->k; ki++)
            add_to(d + (size_t)ki * g->Wp * g->C, w->acc + (size_t)ki * g->kC, g->kC);
    }
    from_padded_hwc(g, w->dxp, dx);
}

void fc_conv_backward_pooled(fc_net *net, layer *l, const layer *pool, const float *in, float *din, int n)
{
    geometry g = geometry_of(l);
    int grads = !l->frozen, T = net->threads;
    const float *zeros = l->pooled_zeros;
    if (din) /* W'[f][ki][kj][c] = W[f][c][ki][kj] */
        for (int f = 0; f < g.F; f++)
            for (int c = 0; c < g.C; c++)
                for (int kk = 0; kk < g.k * g.k; kk++)
                    l->wperm[(size_t)f * g.Q + (size_t)kk * g.C + c] =
                        l->p[0][(size_t)f * g.Q + (size_t)c * g.k * g.k + kk];
    if (grads)
        for (int t = 0; t < T; t++) {
            workspace w = workspace_of(l, pool, t);
            memset(w.dw, 0, sizeof(float) * (size_t)g.F * g.Q);
            memset(l->tgrad + (size_t)t * l->tgrad_len, 0, sizeof(float) * (size_t)l->tgrad_len);
        }
#pragma omp parallel for schedule(static) num_threads(T)
    for (int s = 0; s < n; s++) {
        int t = fc_thread_id();
        workspace w = workspace_of(l, pool, t);
        int m = winners_of(pool, s, w.where, w.val);
        if (grads) {
            to_padded_hwc(&g, in + (size_t)s * l->in_size, w.xp);
            weight_grads(&g, &w, w.where, w.val, m, zeros, l->tgrad + (size_t)t * l->tgrad_len + (size_t)g.F * g.Q);
        }
        if (din)
            input_grads(&g, &w, l->wperm, w.where, w.val, m, zeros, din + (size_t)s * l->in_size);
    }
    if (!grads)
        return;
    /* Back to the layer's (c, ki, kj) order, per thread, then the usual thread-ordered sum. */
    for (int t = 0; t < T; t++) {
        workspace w = workspace_of(l, pool, t);
        float *dw = l->tgrad + (size_t)t * l->tgrad_len;
        for (int f = 0; f < g.F; f++)
            for (int c = 0; c < g.C; c++)
                for (int kk = 0; kk < g.k * g.k; kk++)
                    dw[(size_t)f * g.Q + (size_t)c * g.k * g.k + kk] = w.dw[(size_t)f * g.Q + (size_t)kk * g.C + c];
    }
    fc_reduce_grads(net, l);
}

int fc_conv_pooled_usable(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("fma");
#else
    return 1;
#endif
}
