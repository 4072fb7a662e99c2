/* Winograd F(4x4, 3x3) for the 3x3 convolutions of the whole-section evaluator.
 *
 * Four by four outputs come from six by six inputs d with 36 multiplications per channel pair instead of 144:
 * Y = A^T [(G g G^T) . (B^T d B)] A (Lavin and Gray, 2016). The 36 element-wise products summed over input
 * channels are 36 matrix products, [cout x cin] by [cin x tiles], through the BLAS. A dilated convolution is, for
 * each phase (row mod dil, col mod dil), an undilated one over that phase's samples, so tiles are laid out per
 * phase and gathered with a stride of dil. B^T and A^T are written out in BT_APPLY and AT_APPLY; G is below.
 * (B^T rows: [4 0 -5 0 1 0] [0 -4 -4 1 1 0] [0 4 -4 -1 1 0] [0 -2 -1 2 1 0] [0 2 -1 -2 1 0] [0 4 0 -5 0 1];
 * A^T rows: [1 1 1 1 1 0] [0 1 -1 2 -2 0] [0 1 1 4 4 0] [0 1 -1 8 -8 1].) Tiles past the map's edge read zeros and
 * write nothing. */
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "sweep_ops.h"
#include "fail.h"
#include "nn_impl.h"
#include "nn_support.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FC_HAVE_AVX2_KERNEL 1
#else
#define FC_HAVE_AVX2_KERNEL 0
#endif

#define M 4       /* outputs per tile side */
#define A (M + 2) /* inputs per tile side */
#define E (A * A) /* transformed elements */
#define CHUNK 256 /* tiles per round of matrix products */
#define BAND 16   /* tile rows of a phase taken at a time, every phase of the row in turn (run_lanes) */

static const float G[A][3] = {{1.0f / 4, 0, 0},
                              {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                              {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                              {1.0f / 24, 1.0f / 12, 1.0f / 6},
                              {1.0f / 24, -1.0f / 12, 1.0f / 6},
                              {0, 0, 1}};

struct sweep_wino {
    int threads;
    int lanes;      /* 1: cin and cout are multiples of LANES, the channel-vector path runs */
    int avx2;       /* the CPU runs gemm_avx2 (channel-vector path) */
    float *wt;      /* [E][cout][cin]: G g G^T by element */
    float *wtt;     /* channel-vector path with avx2: the same as [E][cin][cout] */
    float *scratch; /* [threads][E * (cin + cout) * CHUNK] */
    size_t per_thread;
    float *planes; /* channel-vector path: [threads][plane_floats], one phase channel-last */
    size_t plane_floats;
};

#define LANES 8
/* Eight channels at once; GCC and clang vector extension (AVX on the avx2 clone, SSE pairs on the baseline). Never
 * passed to or returned from a function (that would change the ABI between clones). */
typedef float v8 __attribute__((vector_size(32)));
typedef int v8i __attribute__((vector_size(32))); /* a comparison's lanes: all ones or zero */

double sweep_wino_flops(int cin, int cout)
{
    /* Products: 2 E cin cout per tile of M^2 outputs; transforms ~ 2 * 2 A^3 per channel per tile. */
    return (2.0 * E * cin * cout + 4.0 * A * A * A * (cin + cout)) / (M * M);
}

fc_status sweep_wino_create(sweep_wino **out, const dop *o, int threads, fc_error *err)
{
    sweep_wino *w = calloc(1, sizeof *w);
    if (!w)
        return fc_fail(err, FC_ERR_NOMEM, "winograd: out of memory");
    w->threads = threads;
    w->lanes = o->cin % LANES == 0 && o->cout % LANES == 0;
    w->per_thread = (size_t)E * (size_t)(o->cin + o->cout) * CHUNK;
    w->wt = malloc(sizeof(float) * E * (size_t)o->cout * o->cin);
    w->scratch = malloc(sizeof(float) * w->per_thread * (size_t)threads);
#if FC_HAVE_AVX2_KERNEL
    __builtin_cpu_init();
    w->avx2 = w->lanes && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    if (w->avx2)
        w->wtt = malloc(sizeof(float) * E * (size_t)o->cout * o->cin);
    if (!w->wt || !w->scratch || (w->avx2 && !w->wtt)) {
        sweep_wino_destroy(w);
        return fc_fail(err, FC_ERR_NOMEM, "winograd: out of memory for the transformed weights");
    }
    for (int f = 0; f < o->cout; f++)
        for (int c = 0; c < o->cin; c++) {
            const float *g = o->w + ((size_t)f * o->cin + c) * 9;
            float t[A][3]; /* G g */
            for (int i = 0; i < A; i++)
                for (int j = 0; j < 3; j++)
                    t[i][j] = G[i][0] * g[j] + G[i][1] * g[3 + j] + G[i][2] * g[6 + j];
            for (int i = 0; i < A; i++)
                for (int j = 0; j < A; j++) {
                    float v = t[i][0] * G[j][0] + t[i][1] * G[j][1] + t[i][2] * G[j][2];
                    w->wt[((size_t)(i * A + j) * o->cout + f) * o->cin + c] = v;
                }
        }
    if (w->avx2)
        for (int e = 0; e < E; e++)
            for (int f = 0; f < o->cout; f++)
                for (int c = 0; c < o->cin; c++)
                    w->wtt[((size_t)e * o->cin + c) * o->cout + f] = w->wt[((size_t)e * o->cout + f) * o->cin + c];
    *out = w;
    return FC_OK;
}

int sweep_wino_lanes(const sweep_wino *w)
{
    return w->lanes;
}

void sweep_wino_destroy(sweep_wino *w)
{
    if (!w)
        return;
    free(w->wt);
    free(w->wtt);
    free(w->scratch);
    free(w->planes);
    free(w);
}

/* r = B^T x for six values x[0], x[s], ..., x[5 s] (the rows of B^T, written out: most of its entries are 0 or 1);
 * floats or vectors of 8 channels. */
#define BT_APPLY(r, x, s)                                                                                              \
    do {                                                                                                               \
        __typeof__((x)[0]) x0 = (x)[0], x1 = (x)[(s)], x2 = (x)[2 * (s)], x3 = (x)[3 * (s)], x4 = (x)[4 * (s)],        \
                           x5 = (x)[5 * (s)];                                                                          \
        (r)[0] = 4.0f * x0 - 5.0f * x2 + x4;                                                                           \
        (r)[1] = -4.0f * (x1 + x2) + x3 + x4;                                                                          \
        (r)[2] = 4.0f * (x1 - x2) - x3 + x4;                                                                           \
        (r)[3] = 2.0f * (x3 - x1) - x2 + x4;                                                                           \
        (r)[4] = 2.0f * (x1 - x3) - x2 + x4;                                                                           \
        (r)[5] = 4.0f * x1 - 5.0f * x3 + x5;                                                                           \
    } while (0)

/* r = A^T x for six values x[0], x[s], ..., x[5 s]. */
#define AT_APPLY(r, x, s)                                                                                              \
    do {                                                                                                               \
        __typeof__((x)[0]) x0 = (x)[0], x1 = (x)[(s)], x2 = (x)[2 * (s)], x3 = (x)[3 * (s)], x4 = (x)[4 * (s)],        \
                           x5 = (x)[5 * (s)];                                                                          \
        __typeof__((x)[0]) p12 = x1 + x2, m12 = x1 - x2, p34 = x3 + x4, m34 = x3 - x4;                                 \
        (r)[0] = x0 + p12 + p34;                                                                                       \
        (r)[1] = m12 + 2.0f * m34;                                                                                     \
        (r)[2] = p12 + 4.0f * p34;                                                                                     \
        (r)[3] = m12 + 8.0f * m34 + x5;                                                                                \
    } while (0)

/* u[e * ld] = (B^T d B)[e] for the A x A inputs at in[(y0 + i dil) * w + x0 + j dil], zero beyond h x w. */
static void input_tile(const float *in, int h, int w, int y0, int x0, int dil, float *u, size_t ld)
{
    float d[A][A], t[A][A], v[A];
    if (y0 + (A - 1) * dil < h && x0 + (A - 1) * dil < w) {
        for (int i = 0; i < A; i++) {
            const float *row = in + (size_t)(y0 + i * dil) * w + x0;
            for (int j = 0; j < A; j++)
                d[i][j] = row[j * dil];
        }
    } else {
        for (int i = 0; i < A; i++) {
            int y = y0 + i * dil;
            for (int j = 0; j < A; j++) {
                int x = x0 + j * dil;
                d[i][j] = y < h && x < w ? in[(size_t)y * w + x] : 0.0f;
            }
        }
    }
    for (int j = 0; j < A; j++) {
        BT_APPLY(v, &d[0][j], A);
        for (int i = 0; i < A; i++)
            t[i][j] = v[i];
    }
    for (int i = 0; i < A; i++) {
        BT_APPLY(v, t[i], 1);
        for (int j = 0; j < A; j++)
            u[(size_t)(i * A + j) * ld] = v[j];
    }
}

/* out[(y0 + i dil) * ow + x0 + j dil] = (A^T m A)[i][j] + bias (ReLU'd), inside oh x ow only. */
static void output_tile(const float *m, size_t ld, float bias, int relu, float *out, int oh, int ow, int y0, int x0,
                        int dil)
{
    float x[A][A], t[M][A], r[M];
    for (int e = 0; e < E; e++)
        x[e / A][e % A] = m[(size_t)e * ld];
    for (int j = 0; j < A; j++) {
        AT_APPLY(r, &x[0][j], A);
        for (int i = 0; i < M; i++)
            t[i][j] = r[i];
    }
    for (int i = 0; i < M; i++) {
        int y = y0 + i * dil;
        if (y >= oh)
            break;
        AT_APPLY(r, t[i], 1);
        for (int j = 0; j < M; j++) {
            int xx = x0 + j * dil;
            if (xx >= ow)
                break;
            float s = r[j] + bias;
            out[(size_t)y * ow + xx] = relu && s < 0.0f ? 0.0f : s;
        }
    }
}

fc_status sweep_wino_reserve(sweep_wino *w, const dop *o, int h, int wd, fc_error *err)
{
    if (!w->lanes)
        return FC_OK;
    /* The largest phase, whole tiles of it: ceil(oh / dil) rounded up to M, plus the two extra input rows. */
    int dil = o->dil, ny = (dop_out(h, 3, dil) + dil - 1) / dil, nx = (dop_out(wd, 3, dil) + dil - 1) / dil;
    size_t need = (size_t)((ny + M - 1) / M * M + 2) * (size_t)((nx + M - 1) / M * M + 2) * (size_t)o->cin;
    if (need <= w->plane_floats)
        return FC_OK;
    free(w->planes);
    w->plane_floats = need;
    w->planes = malloc(sizeof(float) * need * (size_t)w->threads);
    return w->planes ? FC_OK : fc_fail(err, FC_ERR_NOMEM, "winograd: out of memory for %d x %d maps", h, wd);
}

/* Rows [y0, y1) of one phase, channel-last and zero-padded to whole tiles: p[((y - y0) pw + x) cin + c] =
 * in[c][py + dil y][px + dil x], or in[py + dil y][px + dil x][c] from a channel-last map (last). */
static void gather_phase(const float *in, int last, int h, int wd, int cin, int dil, int py, int px, int y0, int y1,
                         int pw, float *p)
{
    for (int y = y0; y < y1; y++) {
        int iy = py + dil * y;
        float *row = p + (size_t)(y - y0) * pw * cin;
        if (iy >= h) {
            memset(row, 0, sizeof(float) * (size_t)pw * cin);
            continue;
        }
        int valid = (wd - px + dil - 1) / dil;
        valid = valid < pw ? valid : pw;
        if (last) /* the map is channel-last too: one copy per position */
            for (int x = 0; x < valid; x++)
                memcpy(row + (size_t)x * cin, in + ((size_t)iy * wd + px + (size_t)x * dil) * cin,
                       sizeof(float) * (size_t)cin);
        else
            for (int c = 0; c < cin; c++) {
                const float *src = in + ((size_t)c * h + iy) * wd + px;
                for (int x = 0; x < valid; x++)
                    row[(size_t)x * cin + c] = src[(size_t)x * dil];
            }
        memset(row + (size_t)valid * cin, 0, sizeof(float) * (size_t)(pw - valid) * cin);
    }
}

#if FC_HAVE_AVX2_KERNEL
#define GR 6  /* product rows (tiles) ... */
#define GC 16 /* ... by output channels held in registers: 12 accumulators, two weight vectors, one broadcast */
/* m[t][k] = sum_c u[t][c] b[c][k] for n rows, cin inputs, cout outputs (a multiple of LANES): one element's product
 * of the channel-vector path. Without the BLAS's packing and beta pass: at these shapes (k = cin = 32 or 64) those
 * cost as much as the arithmetic they prepare. A column block of the weights (cin x GC) stays in L1 while the tiles
 * stream past it. */
/* One block of GR rows by GC outputs (its own function, so that the accumulators live in registers). */
__attribute__((target("avx2,fma"))) static void gemm_block(int cin, int cout, const float *a, size_t lda,
                                                           const float *b, float *m, size_t ldm)
{
    /* Named accumulators: GCC 12 keeps an array of them in memory across the loop. */
    __m256 z = _mm256_setzero_ps(), p0 = z, q0 = z, p1 = z, q1 = z, p2 = z, q2 = z, p3 = z, q3 = z, p4 = z, q4 = z,
           p5 = z, q5 = z;
    for (int c = 0; c < cin; c++) {
        __m256 b0 = _mm256_loadu_ps(b + (size_t)c * cout), b1 = _mm256_loadu_ps(b + (size_t)c * cout + 8), x;
#define GEMM_ROW(r, p, q)                                                                                              \
    x = _mm256_broadcast_ss(a + (size_t)(r)*lda + c);                                                                  \
    p = _mm256_fmadd_ps(x, b0, p);                                                                                     \
    q = _mm256_fmadd_ps(x, b1, q)
        GEMM_ROW(0, p0, q0);
        GEMM_ROW(1, p1, q1);
        GEMM_ROW(2, p2, q2);
        GEMM_ROW(3, p3, q3);
        GEMM_ROW(4, p4, q4);
        GEMM_ROW(5, p5, q5);
#undef GEMM_ROW
    }
    __m256 out[GR][2] = {{p0, q0}, {p1, q1}, {p2, q2}, {p3, q3}, {p4, q4}, {p5, q5}};
    for (int r = 0; r < GR; r++) {
        _mm256_storeu_ps(m + (size_t)r * ldm, out[r][0]);
        _mm256_storeu_ps(m + (size_t)r * ldm + 8, out[r][1]);
    }
}

/* A partial block: `rows` < GR rows, or one vector of LANES outputs. */
__attribute__((target("avx2,fma"))) static void gemm_edge(int rows, int width, int cin, int cout, const float *a,
                                                          size_t lda, const float *b, float *m, size_t ldm)
{
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < width; v += LANES) {
            __m256 acc = _mm256_setzero_ps();
            for (int c = 0; c < cin; c++)
                acc = _mm256_fmadd_ps(_mm256_broadcast_ss(a + (size_t)r * lda + c),
                                      _mm256_loadu_ps(b + (size_t)c * cout + v), acc);
            _mm256_storeu_ps(m + (size_t)r * ldm + v, acc);
        }
}

__attribute__((target("avx2,fma"))) static void gemm_avx2(int n, int cin, int cout, const float *u, size_t lda,
                                                          const float *b, float *m, size_t ldm)
{
    for (int t0 = 0; t0 < n; t0 += GR) {
        int rows = n - t0 < GR ? n - t0 : GR;
        for (int k0 = 0; k0 < cout; k0 += GC) {
            int width = cout - k0 < GC ? cout - k0 : GC;
            const float *a = u + (size_t)t0 * lda;
            float *dst = m + (size_t)t0 * ldm + k0;
            if (rows == GR && width == GC)
                gemm_block(cin, cout, a, lda, b + k0, dst, ldm);
            else
                gemm_edge(rows, width, cin, cout, a, lda, b + k0, dst, ldm);
        }
    }
}
#endif

/* The 36 element-wise products of a chunk of n tiles, tile-major: m[t][e] ([n][E][cout]) = u[t][e] ([n][E][cin]) by
 * the weights of element e. */
static void products(const sweep_wino *w, const dop *o, int n, const float *u, float *m)
{
    size_t lda = (size_t)E * o->cin, ldm = (size_t)E * o->cout;
    for (int e = 0; e < E; e++) {
        const float *ue = u + (size_t)e * o->cin;
        float *me = m + (size_t)e * o->cout;
#if FC_HAVE_AVX2_KERNEL
        if (w->avx2) {
            gemm_avx2(n, o->cin, o->cout, ue, lda, w->wtt + (size_t)e * o->cin * o->cout, me, ldm);
            continue;
        }
#endif
        fc_sgemm(0, 1, n, o->cout, o->cin, 1.0f, ue, (int)lda, w->wt + (size_t)e * o->cout * o->cin, o->cin, 0.0f, me,
                 (int)ldm);
    }
}

/* The channel-vector path: transforms over LANES channels at once from a channel-last phase; products
 * [tiles x cin] by [cin x cout] (tile-major, so the output transform reads LANES output channels at once). */

/* Geometry of one phase (py, px) of a map: its tiles (ty x tx of M x M outputs) and its channel-last plane (ph x pw).
 */
typedef struct wino_phase {
    int py, px, tx, nt, ph, pw;
    int r0; /* the tile row that the gathered plane starts at */
} wino_phase;

static wino_phase phase_of(int py, int px, int oh, int ow, int dil)
{
    int ny = (oh - py + dil - 1) / dil, nx = (ow - px + dil - 1) / dil;
    int ty = (ny + M - 1) / M, tx = (nx + M - 1) / M;
    return (wino_phase){.py = py, .px = px, .tx = tx, .nt = ty * tx, .ph = ty * M + 2, .pw = tx * M + 2, .r0 = 0};
}

/* Tiles [t0, t1) (at most CHUNK) of a gathered phase p: input transforms into u, products into m, output transforms
 * into out. */
FC_VECTOR_CLONES static void lanes_chunk(const sweep_wino *w, const dop *o, const wino_phase *g, int t0, int t1,
                                         const float *p, int oh, int ow, float *out, float *u, float *m)
{
    int dil = o->dil, cin = o->cin, cout = o->cout, py = g->py, px = g->px, tx = g->tx, pw = g->pw, n = t1 - t0;
    for (int t = 0; t < n; t++) {
        const float *base = p + ((size_t)((t0 + t) / tx - g->r0) * M * pw + (size_t)((t0 + t) % tx) * M) * cin;
        for (int c0 = 0; c0 < cin; c0 += LANES) {
            v8 d[A][A], r[A][A], v[A];
            for (int i = 0; i < A; i++)
                for (int j = 0; j < A; j++)
                    memcpy(&d[i][j], base + ((size_t)i * pw + j) * cin + c0, sizeof(v8));
            for (int j = 0; j < A; j++) {
                BT_APPLY(v, &d[0][j], A);
                for (int i = 0; i < A; i++)
                    r[i][j] = v[i];
            }
            for (int i = 0; i < A; i++) {
                BT_APPLY(v, r[i], 1);
                for (int j = 0; j < A; j++)
                    memcpy(u + ((size_t)t * E + i * A + j) * cin + c0, &v[j], sizeof(v8));
            }
        }
    }
    products(w, o, n, u, m);
    for (int t = 0; t < n; t++) {
        int y0 = py + ((t0 + t) / tx) * M * dil, x0 = px + ((t0 + t) % tx) * M * dil;
        const float *mt = m + (size_t)t * E * cout;
        for (int f0 = 0; f0 < cout; f0 += LANES) {
            v8 col[A], r[M][A], q[M], bias, zero = {0};
            memcpy(&bias, o->b + f0, sizeof bias);
            for (int j = 0; j < A; j++) { /* columns of A^T m first, straight from the products */
                for (int i = 0; i < A; i++)
                    memcpy(&col[i], mt + (size_t)(i * A + j) * cout + f0, sizeof(v8));
                AT_APPLY(q, col, 1);
                for (int i = 0; i < M; i++)
                    r[i][j] = q[i];
            }
            for (int i = 0; i < M && y0 + i * dil < oh; i++) {
                AT_APPLY(q, r[i], 1);
                for (int j = 0; j < M && x0 + j * dil < ow; j++) {
                    v8 s = q[j] + bias;
                    if (o->relu)
                        s = (v8)((v8i)s & (s > zero));
                    size_t at = (size_t)(y0 + i * dil) * ow + x0 + j * dil;
                    if (o->out_last) { /* channel-last: the eight channels side by side */
                        memcpy(out + at * cout + f0, &s, sizeof s);
                        continue;
                    }
                    float lane[LANES];
                    memcpy(lane, &s, sizeof lane);
                    float *dst = out + (size_t)f0 * oh * ow + at;
                    for (int l = 0; l < LANES; l++)
                        dst[(size_t)l * oh * ow] = lane[l];
                }
            }
        }
    }
}

/* Tiles [t0, t1) of a gathered phase, CHUNK at a time (a band of tile rows may be more than one round of products). */
static void lanes_tiles(const sweep_wino *w, const dop *o, const wino_phase *g, int t0, int t1, const float *p, int oh,
                        int ow, float *out, float *u, float *m)
{
    for (int t = t0; t < t1; t += CHUNK)
        lanes_chunk(w, o, g, t, t1 - t < CHUNK ? t1 : t + CHUNK, p, oh, ow, out, u, m);
}

static void run_lanes(sweep_wino *w, const dop *o, int nth, const float *in, int h, int wd, float *out)
{
    int dil = o->dil, oh = dop_out(h, 3, dil), ow = dop_out(wd, 3, dil), ith = fc_thread_id();
    float *u = w->scratch + (size_t)ith * w->per_thread, *m = u + (size_t)E * o->cin * CHUNK;
    float *p = w->planes + (size_t)ith * w->plane_floats;
    /* Each thread claims the next row of phases (py, every px) as it finishes one, so that it alone writes the output
     * rows py, py + dil, ... (phases of one row interleave within cache lines: two threads writing them would pass
     * the lines back and forth). It takes the row a band of tile rows at a time, every phase of the band in turn, so
     * that the lines the phases share are written while they are still in cache. With fewer rows of phases than
     * threads, every thread gathers each phase in turn and the threads claim its chunks of tiles (whole rows of
     * tiles). */
    int pyn = dil < oh ? dil : oh, pxn = dil < ow ? dil : ow;
    if (pyn >= nth) {
#pragma omp for schedule(dynamic, 1) nowait
        for (int py = 0; py < pyn; py++) {
            wino_phase g0 = phase_of(py, 0, oh, ow, dil);
            int rows = g0.nt / g0.tx, band = CHUNK / g0.tx; /* rows of tiles per round of products, 1 to BAND */
            band = band < 1 ? 1 : band > BAND ? BAND : band;
            for (int r0 = 0; r0 < rows; r0 += band) {
                int r1 = r0 + band < rows ? r0 + band : rows;
                for (int px = 0; px < pxn; px++) {
                    wino_phase g = phase_of(py, px, oh, ow, dil);
                    g.r0 = r0;
                    gather_phase(in, o->in_last, h, wd, o->cin, dil, g.py, g.px, r0 * M, r1 * M + 2, g.pw, p);
                    lanes_tiles(w, o, &g, r0 * g.tx, r1 * g.tx, p, oh, ow, out, u, m);
                }
            }
        }
        return;
    }
    for (int k = 0; k < pyn * pxn; k++) {
        wino_phase g = phase_of(k / pxn, k % pxn, oh, ow, dil);
        gather_phase(in, o->in_last, h, wd, o->cin, dil, g.py, g.px, 0, g.ph, g.pw, p);
#pragma omp for schedule(dynamic, 1) nowait
        for (int c = 0; c < (g.nt + CHUNK - 1) / CHUNK; c++)
            lanes_chunk(w, o, &g, c * CHUNK, (c + 1) * CHUNK < g.nt ? (c + 1) * CHUNK : g.nt, p, oh, ow, out, u, m);
    }
}

/* Chunk t0 of phase (py, px) on the plain path: every channel's input transforms, the products through the BLAS,
 * every output channel's transforms. */
static void plain_chunk(const sweep_wino *w, const dop *o, const wino_phase *g, int t0, const float *in, int h, int wd,
                        float *out, float *u, float *m)
{
    int dil = o->dil, oh = dop_out(h, 3, dil), ow = dop_out(wd, 3, dil), py = g->py, px = g->px, tx = g->tx, nt = g->nt;
    int n = nt - t0 < CHUNK ? nt - t0 : CHUNK;
    for (int c = 0; c < o->cin; c++) {
        const float *plane = in + (size_t)c * h * wd;
        for (int t = 0; t < n; t++) {
            int y0 = py + ((t0 + t) / tx) * M * dil, x0 = px + ((t0 + t) % tx) * M * dil;
            input_tile(plane, h, wd, y0, x0, dil, u + (size_t)c * n + t, (size_t)o->cin * n);
        }
    }
    for (int e = 0; e < E; e++)
        fc_sgemm(0, 0, o->cout, n, o->cin, 1.0f, w->wt + (size_t)e * o->cout * o->cin, o->cin,
                 u + (size_t)e * o->cin * n, n, 0.0f, m + (size_t)e * o->cout * n, n);
    for (int f = 0; f < o->cout; f++) {
        float *plane = out + (size_t)f * oh * ow;
        for (int t = 0; t < n; t++) {
            int y0 = py + ((t0 + t) / tx) * M * dil, x0 = px + ((t0 + t) % tx) * M * dil;
            output_tile(m + (size_t)f * n + t, (size_t)o->cout * n, o->b[f], o->relu, plane, oh, ow, y0, x0, dil);
        }
    }
}

void sweep_wino_run(sweep_wino *w, const dop *o, int nth, const float *in, int h, int wd, float *out)
{
    if (w->lanes) {
        run_lanes(w, o, nth, in, h, wd, out);
        return;
    }
    int dil = o->dil, oh = dop_out(h, 3, dil), ow = dop_out(wd, 3, dil), pyn = dil < oh ? dil : oh;
    int pxn = dil < ow ? dil : ow, ith = fc_thread_id();
    float *u = w->scratch + (size_t)ith * w->per_thread, *m = u + (size_t)E * o->cin * CHUNK;
    /* The threads claim the chunks of one phase after another (the plain path reads the map directly). */
    for (int k = 0; k < pyn * pxn; k++) {
        wino_phase g = phase_of(k / pxn, k % pxn, oh, ow, dil);
#pragma omp for schedule(dynamic, 1) nowait
        for (int c = 0; c < (g.nt + CHUNK - 1) / CHUNK; c++)
            plain_chunk(w, o, &g, c * CHUNK, in, h, wd, out, u, m);
    }
}
