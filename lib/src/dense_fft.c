/* The dense head in the frequency domain: a kh x kw convolution dilated by D (the first dense layer of a patch
 * classifier, seen fully convolutionally, is a 6 x 6 kernel dilated by 8 over 128 channels: 86% of the direct
 * method's arithmetic).
 *
 * Dilation by D splits the map into D x D phases (row mod D, col mod D), each an undilated convolution of its own
 * sub-grid. Each sub-grid is cut into overlapping blocks of n0 x n1 (overlap-save: the first n0 - kh + 1 rows and
 * n1 - kw + 1 columns of a block's circular correlation are valid outputs). Per block and group of phases: gather the
 * block of every input channel, transform them (one batched r2c), multiply by the weights' spectra and sum over input
 * channels (a complex matrix product per frequency, [phases x cin] by [cin x cout], cmul_bin), transform back (one
 * batched c2r) and scatter. The weights' spectra are conjugated (correlation, not convolution) and carry the
 * 1 / (n0 n1) of the inverse transform; they are computed once per block size. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dense_impl.h"
#include "fail.h"
#include "fft2.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FC_HAVE_AVX2_KERNEL 1
#else
#define FC_HAVE_AVX2_KERNEL 0
#endif

#define MAX_GROUP 32 /* phases per transform batch: bounds a thread's scratch (see dense_fft_scratch_bytes) */
#define BINS 8       /* frequencies whose products are written out together */
#define PB 4         /* complex product: rows (phases) and output channels per register block */
#define FB 8

struct dense_fft {
    int n0, n1, bins, group;
    int avx2;                    /* the CPU runs cmul_avx2 */
    fc_fft2 *in_plan, *out_plan; /* group * cin arrays forward, group * cout back */
    float *wr, *wi;              /* [bins][cin][cout]: the weights' spectra, conjugated and scaled */
    float *scratch;              /* per thread: real, x, y, and one frequency's products (see scratch_sizes) */
    size_t real_n, x_n, y_n, per_thread;
};

int dense_fft_group(int dil)
{
    int g = dil * dil;
    while (g > MAX_GROUP)
        g /= 2;
    while ((dil * dil) % g)
        g--;
    return g;
}

static double fft_flops(int n0, int n1)
{
    double n = (double)n0 * n1;
    return 2.5 * n * log2(n);
}

double dense_fft_tile_flops(int cin, int cout, int dil, int n0, int n1)
{
    double phases = (double)dil * dil, bins = (double)n0 * (n1 / 2 + 1);
    return phases * (8.0 * bins * cin * cout + (cin + cout) * fft_flops(n0, n1));
}

size_t dense_fft_weight_bytes(int cin, int cout, int n0, int n1)
{
    return (size_t)n0 * (size_t)(n1 / 2 + 1) * (size_t)cin * cout * 8;
}

static size_t round_up(size_t n)
{
    return (n + FC_FFT2_ALIGN - 1) / FC_FFT2_ALIGN * FC_FFT2_ALIGN;
}

/* Floats of one thread's scratch: the gathered sub-grids [g][max(cin, cout)][n0][n1], the spectra of the inputs
 * [g cin][bins][2] and of the products [g cout][bins][2]; then BINS frequencies' products, [2][BINS][g][cout]. */
static void scratch_sizes(int cin, int cout, int g, int n0, int n1, size_t *real_n, size_t *x_n, size_t *y_n)
{
    size_t bins = (size_t)n0 * (n1 / 2 + 1), c = (size_t)(cin > cout ? cin : cout);
    *real_n = round_up((size_t)g * c * n0 * n1);
    *x_n = round_up(2 * bins * g * cin);
    *y_n = round_up(2 * bins * g * cout);
}

size_t dense_fft_scratch_bytes(int cin, int cout, int dil, int n0, int n1)
{
    size_t r, x, y;
    scratch_sizes(cin, cout, dense_fft_group(dil), n0, n1, &r, &x, &y);
    return sizeof(float) * (r + x + y + 2 * BINS * (size_t)dense_fft_group(dil) * cout);
}

void dense_fft_destroy(dense_fft *f)
{
    if (!f)
        return;
    fc_fft2_destroy(f->in_plan);
    fc_fft2_destroy(f->out_plan);
    fc_fft2_free(f->wr);
    fc_fft2_free(f->wi);
    fc_fft2_free(f->scratch);
    free(f);
}

/* The weights' spectra, one output channel at a time through a plan for cin kernels. */
static fc_status transform_weights(dense_fft *f, const dop *o, fc_error *err)
{
    fc_fft2 *plan = NULL;
    fc_status st = fc_fft2_create(&plan, f->n0, f->n1, o->cin, err);
    if (st)
        return st;
    size_t nreal = round_up((size_t)o->cin * f->n0 * f->n1);
    float *real = fc_fft2_alloc(nreal + 2 * (size_t)f->bins * o->cin), *spec = real + nreal;
    if (!real)
        st = fc_fail(err, FC_ERR_NOMEM, "fft: out of memory for the weights' spectra");
    float scale = 1.0f / ((float)f->n0 * (float)f->n1);
    for (int k = 0; !st && k < o->cout; k++) {
        memset(real, 0, sizeof(float) * nreal);
        for (int c = 0; c < o->cin; c++)
            for (int i = 0; i < o->kh; i++)
                for (int j = 0; j < o->kw; j++)
                    real[((size_t)c * f->n0 + i) * f->n1 + j] =
                        o->w[(((size_t)k * o->cin + c) * o->kh + i) * o->kw + j];
        fc_fft2_forward(plan, real, spec);
        for (int c = 0; c < o->cin; c++)
            for (int b = 0; b < f->bins; b++) {
                size_t at = ((size_t)b * o->cin + c) * o->cout + k, from = 2 * ((size_t)c * f->bins + b);
                f->wr[at] = spec[from] * scale;
                f->wi[at] = -spec[from + 1] * scale;
            }
    }
    fc_fft2_free(real);
    fc_fft2_destroy(plan);
    return st;
}

fc_status dense_fft_create(dense_fft **out, const dop *o, int n0, int n1, int threads, fc_error *err)
{
    dense_fft *f = calloc(1, sizeof *f);
    if (!f)
        return fc_fail(err, FC_ERR_NOMEM, "fft: out of memory");
    f->n0 = n0;
    f->n1 = n1;
    f->bins = n0 * (n1 / 2 + 1);
    f->group = dense_fft_group(o->dil);
#if FC_HAVE_AVX2_KERNEL
    __builtin_cpu_init();
    f->avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    scratch_sizes(o->cin, o->cout, f->group, n0, n1, &f->real_n, &f->x_n, &f->y_n);
    f->per_thread = round_up(f->real_n + f->x_n + f->y_n + 2 * BINS * (size_t)f->group * o->cout);
    fc_status st = fc_fft2_create(&f->in_plan, n0, n1, f->group * o->cin, err);
    if (!st)
        st = fc_fft2_create(&f->out_plan, n0, n1, f->group * o->cout, err);
    if (!st) {
        size_t wn = (size_t)f->bins * o->cout * o->cin;
        f->wr = fc_fft2_alloc(wn);
        f->wi = fc_fft2_alloc(wn);
        f->scratch = fc_fft2_alloc(f->per_thread * (size_t)threads);
        if (!f->wr || !f->wi || !f->scratch)
            st = fc_fail(err, FC_ERR_NOMEM, "fft: out of memory for %d x %d transforms of %d channels", n0, n1, o->cin);
    }
    if (!st)
        st = transform_weights(f, o, err);
    if (st) {
        dense_fft_destroy(f);
        return st;
    }
    *out = f;
    return FC_OK;
}

/* One frequency: y[p][k] = sum_c x[p][c] w[c][k] over complex numbers, for np rows, cin inputs and cout outputs;
 * x[p][c] is the interleaved pair at x + 2 (p cin + c) xs (the spectra are stored array by array, xs bins apart),
 * w and y are split planes, [cin][cout] and [np][cout]. The plain loop serves every CPU and the remainders; cmul_avx2
 * holds a block of PB rows by FB outputs in registers across c (it is ~2x OpenBLAS's cgemm at these shapes: 16 x 128 x
 * 128 per frequency, weights used once per call, so the library's packing dominates there). */
static void cmul_plain(int p0, int pn, int k0, int kn, int cin, int cout, const float *x, size_t xs, const float *wr,
                       const float *wi, float *yr, float *yi)
{
    for (int q = p0; q < p0 + pn; q++)
        for (int k = k0; k < k0 + kn; k++) {
            float sr = 0.0f, si = 0.0f;
            for (int c = 0; c < cin; c++) {
                const float *z = x + 2 * ((size_t)q * cin + c) * xs;
                float a = z[0], b = z[1];
                float r = wr[(size_t)c * cout + k], i = wi[(size_t)c * cout + k];
                sr += a * r - b * i;
                si += a * i + b * r;
            }
            yr[(size_t)q * cout + k] = sr;
            yi[(size_t)q * cout + k] = si;
        }
}

#if FC_HAVE_AVX2_KERNEL
__attribute__((target("avx2,fma"))) static void cmul_avx2(int np, int cin, int cout, const float *x, size_t xs,
                                                          const float *wr, const float *wi, float *yr, float *yi)
{
    int pb = np / PB * PB, kb = cout / FB * FB;
    for (int p0 = 0; p0 < pb; p0 += PB)
        for (int k0 = 0; k0 < kb; k0 += FB) {
            __m256 ar0 = _mm256_setzero_ps(), ar1 = ar0, ar2 = ar0, ar3 = ar0;
            __m256 ai0 = ar0, ai1 = ar0, ai2 = ar0, ai3 = ar0;
            const float *x0 = x + 2 * (size_t)p0 * cin * xs;
            size_t step = 2 * (size_t)cin * xs; /* from row q to row q + 1 */
            for (int c = 0; c < cin; c++) {
                __m256 r = _mm256_loadu_ps(wr + (size_t)c * cout + k0), i = _mm256_loadu_ps(wi + (size_t)c * cout + k0);
#define CMUL_ROW(q, ar, ai)                                                                                            \
    do {                                                                                                               \
        const float *z = x0 + (q)*step + 2 * (size_t)c * xs;                                                           \
        __m256 a = _mm256_broadcast_ss(z), b = _mm256_broadcast_ss(z + 1);                                             \
        ar = _mm256_fmadd_ps(a, r, ar);                                                                                \
        ar = _mm256_fnmadd_ps(b, i, ar);                                                                               \
        ai = _mm256_fmadd_ps(a, i, ai);                                                                                \
        ai = _mm256_fmadd_ps(b, r, ai);                                                                                \
    } while (0)
                CMUL_ROW(0, ar0, ai0);
                CMUL_ROW(1, ar1, ai1);
                CMUL_ROW(2, ar2, ai2);
                CMUL_ROW(3, ar3, ai3);
#undef CMUL_ROW
            }
            float *r0 = yr + (size_t)p0 * cout + k0, *i0 = yi + (size_t)p0 * cout + k0;
            _mm256_storeu_ps(r0, ar0);
            _mm256_storeu_ps(r0 + cout, ar1);
            _mm256_storeu_ps(r0 + 2 * (size_t)cout, ar2);
            _mm256_storeu_ps(r0 + 3 * (size_t)cout, ar3);
            _mm256_storeu_ps(i0, ai0);
            _mm256_storeu_ps(i0 + cout, ai1);
            _mm256_storeu_ps(i0 + 2 * (size_t)cout, ai2);
            _mm256_storeu_ps(i0 + 3 * (size_t)cout, ai3);
        }
    if (kb < cout)
        cmul_plain(0, pb, kb, cout - kb, cin, cout, x, xs, wr, wi, yr, yi);
    if (pb < np)
        cmul_plain(pb, np - pb, 0, cout, cin, cout, x, xs, wr, wi, yr, yi);
}
#endif

static void cmul_bin(int avx2, int np, int cin, int cout, const float *x, size_t xs, const float *wr, const float *wi,
                     float *yr, float *yi)
{
#if FC_HAVE_AVX2_KERNEL
    if (avx2) {
        cmul_avx2(np, cin, cout, x, xs, wr, wi, yr, yi);
        return;
    }
#endif
    (void)avx2;
    cmul_plain(0, np, 0, cout, cin, cout, x, xs, wr, wi, yr, yi);
}

/* One block of every phase of group p0: sub-grid rows [r0, r0 + n0) and columns [c0, c0 + n1) of each phase (outputs
 * [r0, r0 + n0 - kh + 1) and likewise), through the transforms and the products. */
static void run_block(dense_fft *f, const dop *o, float *scratch, const float *in, int h, int w, float *out, int p0,
                      int r0, int c0)
{
    int D = o->dil, oh = dop_out(h, o->kh, D), ow = dop_out(w, o->kw, D), n0 = f->n0, n1 = f->n1, g = f->group;
    size_t plane = (size_t)n0 * n1, bins = (size_t)f->bins, np = (size_t)g * o->cout;
    float *real = scratch, *x = real + f->real_n, *y = x + f->x_n, *yr = y + f->y_n, *yi = yr + BINS * np;
    /* Gather: real[q][c][i][j] = in[c][py + D (r0 + i)][px + D (c0 + j)] (zero beyond the map and the block). The
     * phases of the group that share a row offset py read each input row once, while it is in cache. */
    memset(real, 0, sizeof(float) * (size_t)g * o->cin * plane);
    for (int c = 0; c < o->cin; c++)
        for (int q0 = 0; q0 < g;) {
            int py = (p0 + q0) / D, q1 = q0;
            while (q1 < g && (p0 + q1) / D == py)
                q1++;
            int hp = (h - py + D - 1) / D - r0;
            hp = hp < n0 ? hp : n0;
            for (int i = 0; i < hp; i++) {
                const float *src = in + ((size_t)c * h + (size_t)(py + D * (r0 + i))) * w;
                for (int q = q0; q < q1; q++) {
                    int px = (p0 + q) % D, wp = (w - px + D - 1) / D - c0;
                    wp = wp < n1 ? wp : n1;
                    const float *s = src + px + (size_t)D * c0;
                    float *dst = real + (((size_t)q * o->cin + c) * n0 + i) * n1;
                    for (int j = 0; j < wp; j++)
                        dst[j] = s[(size_t)D * j];
                }
            }
            q0 = q1;
        }
    fc_fft2_forward(f->in_plan, real, x);
    /* Frequency by frequency (consecutive bins share cache lines of every array's spectrum); the products of BINS
     * frequencies are written out together, a cache line per array. */
    for (size_t b0 = 0; b0 < bins; b0 += BINS) {
        size_t nb = bins - b0 < BINS ? bins - b0 : BINS;
        for (size_t b = 0; b < nb; b++)
            cmul_bin(f->avx2, g, o->cin, o->cout, x + 2 * (b0 + b), bins, f->wr + (b0 + b) * o->cin * o->cout,
                     f->wi + (b0 + b) * o->cin * o->cout, yr + b * np, yi + b * np);
        for (size_t j = 0; j < np; j++) {
            float *dst = y + 2 * (j * bins + b0);
            for (size_t b = 0; b < nb; b++) {
                dst[2 * b] = yr[b * np + j];
                dst[2 * b + 1] = yi[b * np + j];
            }
        }
    }
    fc_fft2_inverse(f->out_plan, y, real);
    /* Scatter the block's valid outputs: out[k][py + D (r0 + i)][px + D (c0 + j)], the phases sharing py row by row
     * so that each output row is written while it is in cache. */
    int vr = n0 - o->kh + 1, vc = n1 - o->kw + 1;
    for (int k = 0; k < o->cout; k++) {
        float *dst = out + (size_t)k * oh * ow, bias = o->b[k];
        for (int q0 = 0; q0 < g;) {
            int py = (p0 + q0) / D, q1 = q0;
            while (q1 < g && (p0 + q1) / D == py)
                q1++;
            int ohp = py < oh ? (oh - py + D - 1) / D - r0 : 0;
            ohp = ohp < vr ? ohp : vr;
            for (int i = 0; i < ohp; i++) {
                float *row = dst + (size_t)(py + D * (r0 + i)) * ow;
                for (int q = q0; q < q1; q++) {
                    int px = (p0 + q) % D, owp = px < ow ? (ow - px + D - 1) / D - c0 : 0;
                    owp = owp < vc ? owp : vc;
                    const float *src = real + (((size_t)q * o->cout + k) * n0 + i) * n1;
                    float *o_row = row + px + (size_t)D * c0;
                    for (int j = 0; j < owp; j++) {
                        float v = src[j] + bias;
                        o_row[(size_t)D * j] = o->relu && v < 0.0f ? 0.0f : v;
                    }
                }
            }
            q0 = q1;
        }
    }
}

void dense_fft_run(dense_fft *f, const dop *o, int thread, const float *in, int h, int w, float *out)
{
    int D = o->dil, oh = dop_out(h, o->kh, D), ow = dop_out(w, o->kw, D);
    /* The largest phase's outputs (phase 0), in blocks of the transforms' valid part. */
    int ohp = (oh + D - 1) / D, owp = (ow + D - 1) / D, vr = f->n0 - o->kh + 1, vc = f->n1 - o->kw + 1;
    float *scratch = f->scratch + (size_t)thread * f->per_thread;
    for (int p0 = 0; p0 < D * D; p0 += f->group)
        for (int r0 = 0; r0 < ohp; r0 += vr)
            for (int c0 = 0; c0 < owp; c0 += vc)
                run_block(f, o, scratch, in, h, w, out, p0, r0, c0);
}

double dense_fft_map_flops(int cin, int cout, int dil, int n0, int n1, int kh, int kw, int oh, int ow)
{
    int ohp = (oh + dil - 1) / dil, owp = (ow + dil - 1) / dil;
    double blocks = (double)((ohp + n0 - kh) / (n0 - kh + 1)) * ((owp + n1 - kw) / (n1 - kw + 1));
    return blocks * dense_fft_tile_flops(cin, cout, dil, n0, n1);
}
