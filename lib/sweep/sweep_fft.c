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

#include "sweep_ops.h"
#include "fail.h"
#include "fft2.h"
#include "nn_impl.h"
#include "nn_support.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FC_HAVE_AVX2_KERNEL 1
#else
#define FC_HAVE_AVX2_KERNEL 0
#endif

#define MAX_GROUP 16 /* phases per transform batch: bounds a thread's scratch (see sweep_fft_scratch_bytes) */
#define PB 4         /* complex product: rows (phases) and output channels per register block */
#define FB 8
#define BLOCKS 2 /* blocks per pass over one frequency's weights (each pass streams them all from memory) */
#define PLANES 4 /* one frequency's inputs as planes a, b, a + b, b - a of [phases][cin] (cmul_bin) */

struct sweep_fft {
    int n0, n1, bins, group;
    int avx2;                    /* the CPU runs cmul_avx2 */
    fc_fft2 *in_plan, *out_plan; /* group * cin arrays forward, group * cout back */
    float *w;                    /* [bins][KB][cin][2][FB]: the weights' spectra, conjugated and scaled (w_at) */
    float *scratch;              /* per thread: real, x, y, and the avx2 kernel's planes (see scratch_sizes) */
    size_t real_n, x_n, y_n, per_thread;
    size_t bin_floats; /* one frequency's weights */
};

int sweep_fft_group(int dil)
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

double sweep_fft_tile_flops(int cin, int cout, int dil, int n0, int n1)
{
    double phases = (double)dil * dil, bins = (double)n0 * (n1 / 2 + 1);
    return phases * (8.0 * bins * cin * cout + (cin + cout) * fft_flops(n0, n1));
}

/* Output channels in blocks of FB (the last one padded with zeros). */
static int out_blocks(int cout)
{
    return (cout + FB - 1) / FB;
}

size_t sweep_fft_weight_bytes(int cin, int cout, int n0, int n1)
{
    return (size_t)n0 * (size_t)(n1 / 2 + 1) * (size_t)cin * (size_t)out_blocks(cout) * FB * 8;
}

/* Where the real part of weight (c, k) sits within one frequency's weights (the imaginary part is FB further): for
 * each block of FB output channels, input channel by input channel, FB real parts then FB imaginary ones, so that the
 * product kernel reads one frequency's block as one contiguous stream. */
static size_t w_at(int c, int k, int cin)
{
    return ((size_t)(k / FB) * cin + c) * 2 * FB + k % FB;
}

static size_t round_up(size_t n)
{
    return (n + FC_FFT2_ALIGN - 1) / FC_FFT2_ALIGN * FC_FFT2_ALIGN;
}

/* Floats of one thread's scratch: the gathered sub-grids [g][max(cin, cout)][n0][n1], the spectra of the inputs
 * [bins][g cin][2] and of the products [bins][g cout][2] (bin-major; with as many outputs as inputs the products
 * take the inputs' place, none apart), each for BLOCKS blocks; then one frequency's planes [PLANES][g][cin]. */
static void scratch_sizes(int cin, int cout, int g, int n0, int n1, size_t *real_n, size_t *x_n, size_t *y_n)
{
    size_t bins = (size_t)n0 * (n1 / 2 + 1), c = (size_t)(cin > cout ? cin : cout);
    *real_n = round_up((size_t)g * c * n0 * n1);
    *x_n = round_up(2 * bins * g * cin);
    *y_n = cin == cout ? 0 : round_up(2 * bins * g * cout); /* 0: the products overwrite x (cmul_bin) */
}

size_t sweep_fft_scratch_bytes(int cin, int cout, int dil, int n0, int n1)
{
    size_t r, x, y;
    scratch_sizes(cin, cout, sweep_fft_group(dil), n0, n1, &r, &x, &y);
    return sizeof(float) * (r + BLOCKS * (x + y) + PLANES * (size_t)sweep_fft_group(dil) * cin);
}

void sweep_fft_destroy(sweep_fft *f)
{
    if (!f)
        return;
    fc_fft2_destroy(f->in_plan);
    fc_fft2_destroy(f->out_plan);
    fc_fft2_free(f->w);
    fc_fft2_free(f->scratch);
    free(f);
}

/* The weights' spectra, one input channel at a time (the kernels it feeds to every output channel: one batched
 * transform); input channels are shared among the threads (FFTW executes concurrently; the plan is made before). */
static fc_status transform_weights(sweep_fft *f, const dop *o, int threads, fc_error *err)
{
    fc_fft2 *plan = NULL;
    fc_status st = fc_fft2_create(&plan, f->n0, f->n1, o->cout, FC_FFT2_BY_ARRAY, err);
    if (st)
        return st;
    size_t nreal = round_up((size_t)o->cout * f->n0 * f->n1), per = round_up(nreal + 2 * (size_t)f->bins * o->cout);
    float *buf = fc_fft2_alloc(per * (size_t)threads);
    if (!buf) {
        fc_fft2_destroy(plan);
        return fc_fail(err, FC_ERR_NOMEM, "fft: out of memory for the weights' spectra");
    }
    float scale = 1.0f / ((float)f->n0 * (float)f->n1);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int c = 0; c < o->cin; c++) {
        float *real = buf + per * (size_t)fc_thread_id(), *spec = real + nreal;
        memset(real, 0, sizeof(float) * nreal);
        for (int k = 0; k < o->cout; k++)
            for (int i = 0; i < o->kh; i++)
                for (int j = 0; j < o->kw; j++)
                    real[((size_t)k * f->n0 + i) * f->n1 + j] =
                        o->w[(((size_t)k * o->cin + c) * o->kh + i) * o->kw + j];
        fc_fft2_forward(plan, real, spec);
        for (int b = 0; b < f->bins; b++) {
            float *wb = f->w + (size_t)b * f->bin_floats;
            for (int k = 0; k < o->cout; k++) {
                size_t from = 2 * ((size_t)k * f->bins + b), at = w_at(c, k, o->cin);
                wb[at] = spec[from] * scale;
                wb[at + FB] = -spec[from + 1] * scale;
            }
        }
    }
    fc_fft2_free(buf);
    fc_fft2_destroy(plan);
    return FC_OK;
}

fc_status sweep_fft_create(sweep_fft **out, const dop *o, int n0, int n1, int threads, fc_error *err)
{
    sweep_fft *f = calloc(1, sizeof *f);
    if (!f)
        return fc_fail(err, FC_ERR_NOMEM, "fft: out of memory");
    f->n0 = n0;
    f->n1 = n1;
    f->bins = n0 * (n1 / 2 + 1);
    f->group = sweep_fft_group(o->dil);
#if FC_HAVE_AVX2_KERNEL
    __builtin_cpu_init();
    f->avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    scratch_sizes(o->cin, o->cout, f->group, n0, n1, &f->real_n, &f->x_n, &f->y_n);
    f->per_thread = round_up(f->real_n + BLOCKS * (f->x_n + f->y_n) + PLANES * (size_t)f->group * o->cin);
    fc_status st = fc_fft2_create(&f->in_plan, n0, n1, f->group * o->cin, FC_FFT2_BY_BIN, err);
    if (!st)
        st = fc_fft2_create(&f->out_plan, n0, n1, f->group * o->cout, FC_FFT2_BY_BIN, err);
    if (!st) {
        f->bin_floats = (size_t)out_blocks(o->cout) * o->cin * 2 * FB;
        f->w = fc_fft2_alloc(f->bin_floats * (size_t)f->bins);
        f->scratch = fc_fft2_alloc(f->per_thread * (size_t)threads);
        if (f->w) /* the padding of the last block */
            memset(f->w, 0, sizeof(float) * f->bin_floats * (size_t)f->bins);
        if (!f->w || !f->scratch)
            st = fc_fail(err, FC_ERR_NOMEM, "fft: out of memory for %d x %d transforms of %d channels", n0, n1, o->cin);
    }
    if (!st)
        st = transform_weights(f, o, threads, err);
    if (st) {
        sweep_fft_destroy(f);
        return st;
    }
    *out = f;
    return FC_OK;
}

/* One frequency: y[q][k] = sum_c x[q][c] w[c][k] over complex numbers, for np rows (phases), cin inputs and cout
 * outputs; x as planes of real and imaginary parts ([np][cin] each), y interleaved ([np][cout][2]: one bin of the
 * bin-major spectra), w one frequency's weights (w_at). The plain loop serves every CPU and the remainders. */
static void cmul_plain(int p0, int pn, int k0, int kn, int cin, int cout, const float *xa, const float *xb,
                       const float *w, float *y)
{
    for (int q = p0; q < p0 + pn; q++)
        for (int k = k0; k < k0 + kn; k++) {
            float sr = 0.0f, si = 0.0f;
            for (int c = 0; c < cin; c++) {
                float a = xa[(size_t)q * cin + c], b = xb[(size_t)q * cin + c];
                float r = w[w_at(c, k, cin)], i = w[w_at(c, k, cin) + FB];
                sr += a * r - b * i;
                si += a * i + b * r;
            }
            y[2 * ((size_t)q * cout + k)] = sr;
            y[2 * ((size_t)q * cout + k) + 1] = si;
        }
}

#if FC_HAVE_AVX2_KERNEL
/* The same with three real multiplications per complex one instead of four (Gauss): with x = a + ib, w = r + ii,
 * s1 = a (r + i), s2 = (a + b) i, s3 = (b - a) r, the product is (s1 - s2) + i (s1 + s3). The x side's a, a + b and
 * b - a are made once per frequency (t: three planes of [np][cin]), r + i once per weight load; the adds run beside
 * the fused multiply-adds, so three FMAs stand for four. A block of PB rows by FB outputs stays in registers (12
 * accumulators, three weight vectors, one broadcast) across c; the result is interleaved back to (re, im) pairs. */
__attribute__((target("avx2,fma"))) static void cmul_avx2(int np, int cin, int cout, const float *t, const float *w,
                                                          float *y)
{
    int pb = np / PB * PB, kb = cout / FB * FB;
    size_t plane = (size_t)np * cin;
    const float *ta = t, *tab = t + plane, *tba = t + 2 * plane;
    for (int k0 = 0; k0 < kb; k0 += FB) /* this block's weights (cin x FB) stay in L1 over every row */
        for (int p0 = 0; p0 < pb; p0 += PB) {
            __m256 s[PB][3];
            for (int q = 0; q < PB; q++)
                s[q][0] = s[q][1] = s[q][2] = _mm256_setzero_ps();
            size_t row = (size_t)p0 * cin;
            for (int c = 0; c < cin; c++) {
                const float *wc = w + w_at(c, k0, cin);
                __m256 r = _mm256_loadu_ps(wc), i = _mm256_loadu_ps(wc + FB);
                __m256 ri = _mm256_add_ps(r, i);
                for (int q = 0; q < PB; q++) {
                    size_t at = row + (size_t)q * cin + c;
                    s[q][0] = _mm256_fmadd_ps(_mm256_broadcast_ss(ta + at), ri, s[q][0]);
                    s[q][1] = _mm256_fmadd_ps(_mm256_broadcast_ss(tab + at), i, s[q][1]);
                    s[q][2] = _mm256_fmadd_ps(_mm256_broadcast_ss(tba + at), r, s[q][2]);
                }
            }
            for (int q = 0; q < PB; q++) {
                __m256 re = _mm256_sub_ps(s[q][0], s[q][1]), im = _mm256_add_ps(s[q][0], s[q][2]);
                __m256 lo = _mm256_unpacklo_ps(re, im), hi = _mm256_unpackhi_ps(re, im);
                float *dst = y + 2 * ((size_t)(p0 + q) * cout + k0);
                _mm256_storeu_ps(dst, _mm256_permute2f128_ps(lo, hi, 0x20));
                _mm256_storeu_ps(dst + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
            }
        }
}
#endif

/* One frequency's products. x = a + ib is first copied into t as PLANES planes of np x cin (a, a + b, b - a for the
 * avx2 kernel, then b), so that y may be x itself (with as many outputs as inputs, the products overwrite the
 * inputs: no separate array). */
static void cmul_bin(int avx2, int np, int cin, int cout, const float *x, const float *w, float *t, float *y)
{
    size_t n = (size_t)np * cin;
    for (size_t j = 0; j < n; j++) {
        float a = x[2 * j], b = x[2 * j + 1];
        t[j] = a;
        t[n + j] = a + b;
        t[2 * n + j] = b - a;
        t[3 * n + j] = b;
    }
    const float *xa = t, *xb = t + 3 * n;
#if FC_HAVE_AVX2_KERNEL
    if (avx2) {
        cmul_avx2(np, cin, cout, t, w, y);
        int pb = np / PB * PB, kb = cout / FB * FB;
        if (kb < cout)
            cmul_plain(0, pb, kb, cout - kb, cin, cout, xa, xb, w, y);
        if (pb < np)
            cmul_plain(pb, np - pb, 0, cout, cin, cout, xa, xb, w, y);
        return;
    }
#endif
    (void)avx2;
    cmul_plain(0, np, 0, cout, cin, cout, xa, xb, w, y);
}

#if FC_HAVE_AVX2_KERNEL
/* r[k][l] <- r[l][k] for eight vectors of eight floats. */
__attribute__((target("avx2"))) static void transpose8(__m256 r[8])
{
    __m256 t[8], u[8];
    for (int k = 0; k < 8; k += 2) {
        t[k] = _mm256_unpacklo_ps(r[k], r[k + 1]);
        t[k + 1] = _mm256_unpackhi_ps(r[k], r[k + 1]);
    }
    for (int k = 0; k < 8; k += 4) {
        u[k] = _mm256_shuffle_ps(t[k], t[k + 2], 0x44);
        u[k + 1] = _mm256_shuffle_ps(t[k], t[k + 2], 0xEE);
        u[k + 2] = _mm256_shuffle_ps(t[k + 1], t[k + 3], 0x44);
        u[k + 3] = _mm256_shuffle_ps(t[k + 1], t[k + 3], 0xEE);
    }
    for (int k = 0; k < 4; k++) {
        r[k] = _mm256_permute2f128_ps(u[k], u[k + 4], 0x20);
        r[k + 4] = _mm256_permute2f128_ps(u[k], u[k + 4], 0x31);
    }
}

/* Dilation 8, a whole row of phases (px = 0..7): dst[px * stride + j] = src[8 j + px] for j < n (n a multiple of 8),
 * eight values of each phase at a time through a transpose instead of one strided load each. */
__attribute__((target("avx2"))) static void gather_row8(const float *src, float *dst, size_t stride, int n)
{
    for (int j = 0; j < n; j += 8) {
        __m256 r[8];
        for (int k = 0; k < 8; k++)
            r[k] = _mm256_loadu_ps(src + 8 * (size_t)(j + k));
        transpose8(r);
        for (int px = 0; px < 8; px++)
            _mm256_storeu_ps(dst + px * stride + j, r[px]);
    }
}

/* From a channel-last map: eight columns of `cin` channels (the columns `step` floats apart) to dst[c * plane + j] for
 * j < 8, eight channels at a time through a transpose. */
__attribute__((target("avx2"))) static void gather_cols8_last(const float *src, size_t step, int cin, float *dst,
                                                              size_t plane)
{
    for (int c0 = 0; c0 < cin; c0 += 8) {
        __m256 r[8];
        for (int k = 0; k < 8; k++)
            r[k] = _mm256_loadu_ps(src + (size_t)k * step + c0);
        transpose8(r);
        for (int c = 0; c < 8; c++)
            _mm256_storeu_ps(dst + (size_t)(c0 + c) * plane, r[c]);
    }
}

/* The reverse, with the bias and the ReLU: dst[8 j + px] = act(src[px * stride + j] + bias) for j < n. */
__attribute__((target("avx2"))) static void scatter_row8(const float *src, size_t stride, float bias, int relu,
                                                         float *dst, int n)
{
    __m256 b = _mm256_set1_ps(bias), zero = _mm256_setzero_ps();
    for (int j = 0; j < n; j += 8) {
        __m256 r[8];
        for (int px = 0; px < 8; px++) {
            r[px] = _mm256_add_ps(_mm256_loadu_ps(src + px * stride + j), b);
            r[px] = relu ? _mm256_max_ps(r[px], zero) : r[px];
        }
        transpose8(r);
        for (int k = 0; k < 8; k++)
            _mm256_storeu_ps(dst + 8 * (size_t)(j + k), r[k]);
    }
}
#endif

/* The gather of block_forward from a channel-last map: real[q][c][i][j] = in[py + D (r0 + i)][px + D (c0 + j)][c],
 * eight columns at a time where the CPU has AVX2 and the channels come in eights. */
static void gather_last(const sweep_fft *f, const dop *o, float *real, const float *in, int h, int w, int p0, int r0,
                        int c0)
{
    int D = o->dil, n0 = f->n0, n1 = f->n1, cin = o->cin;
    size_t plane = (size_t)n0 * n1;
    for (int q = 0; q < f->group; q++) {
        int py = (p0 + q) / D, px = (p0 + q) % D;
        int hp = (h - py + D - 1) / D - r0, wp = (w - px + D - 1) / D - c0;
        hp = hp < 0 ? 0 : hp < n0 ? hp : n0;
        wp = wp < 0 ? 0 : wp < n1 ? wp : n1;
        float *base = real + (size_t)q * cin * plane;
        for (int i = 0; i < hp; i++) {
            const float *row = in + ((size_t)(py + D * (r0 + i)) * w + px + (size_t)D * c0) * cin;
            int j = 0;
#if FC_HAVE_AVX2_KERNEL
            if (f->avx2 && cin % 8 == 0)
                for (; j + 8 <= wp; j += 8)
                    gather_cols8_last(row + (size_t)D * j * cin, (size_t)D * cin, cin, base + (size_t)i * n1 + j,
                                      plane);
#endif
            for (; j < wp; j++)
                for (int c = 0; c < cin; c++)
                    base[(size_t)c * plane + (size_t)i * n1 + j] = row[(size_t)D * j * cin + c];
            for (int c = 0; c < cin && wp < n1; c++)
                memset(base + (size_t)c * plane + (size_t)i * n1 + wp, 0, sizeof(float) * (size_t)(n1 - wp));
        }
        for (int c = 0; c < cin && hp < n0; c++)
            memset(base + (size_t)c * plane + (size_t)hp * n1, 0, sizeof(float) * (size_t)(n0 - hp) * n1);
    }
}

/* One block of every phase of group p0 into the frequency domain (x): sub-grid rows [r0, r0 + n0) and columns
 * [c0, c0 + n1) of each phase gathered into real, then transformed. */
static void block_forward(sweep_fft *f, const dop *o, float *real, float *x, const float *in, int h, int w, int p0,
                          int r0, int c0)
{
    if (o->in_last) {
        gather_last(f, o, real, in, h, w, p0, r0, c0);
        fc_fft2_forward(f->in_plan, real, x);
        return;
    }
    int D = o->dil, n0 = f->n0, n1 = f->n1, g = f->group;
    int vec8 = f->avx2 && D == 8; /* rows of eight phases by transposes (gather_row8) */
    /* Gather: real[q][c][i][j] = in[c][py + D (r0 + i)][px + D (c0 + j)] (zero beyond the map and the block: only
     * there, since most blocks lie inside). The phases of the group that share a row offset py read each input row
     * once, while it is in cache. */
    for (int c = 0; c < o->cin; c++)
        for (int q0 = 0; q0 < g;) {
            int py = (p0 + q0) / D, q1 = q0;
            while (q1 < g && (p0 + q1) / D == py)
                q1++;
            int hp = (h - py + D - 1) / D - r0;
            hp = hp < 0 ? 0 : hp < n0 ? hp : n0;
            /* With dilation 8 and all eight phases of the row here, the first columns that every phase has go
             * eight by eight through a transpose (gather_row8). */
            int wmin = (w - (q1 - q0 - 1) + D - 1) / D - c0, fast = vec8 && q1 - q0 == 8 ? wmin / 8 * 8 : 0;
            fast = fast < 0 ? 0 : fast > n1 / 8 * 8 ? n1 / 8 * 8 : fast;
            for (int i = 0; i < hp; i++) {
                const float *src = in + ((size_t)c * h + (size_t)(py + D * (r0 + i))) * w;
#if FC_HAVE_AVX2_KERNEL
                if (fast)
                    gather_row8(src + (size_t)D * c0, real + (((size_t)q0 * o->cin + c) * n0 + i) * n1,
                                (size_t)o->cin * n0 * n1, fast);
#endif
                for (int q = q0; q < q1; q++) {
                    int px = (p0 + q) % D, wp = (w - px + D - 1) / D - c0;
                    wp = wp < 0 ? 0 : wp < n1 ? wp : n1;
                    const float *s = src + px + (size_t)D * c0;
                    float *dst = real + (((size_t)q * o->cin + c) * n0 + i) * n1;
                    for (int j = fast; j < wp; j++)
                        dst[j] = s[(size_t)D * j];
                    if (wp < n1)
                        memset(dst + wp, 0, sizeof(float) * (size_t)(n1 - wp));
                }
            }
            for (int q = q0; q < q1 && hp < n0; q++)
                memset(real + (((size_t)q * o->cin + c) * n0 + hp) * n1, 0, sizeof(float) * (size_t)(n0 - hp) * n1);
            q0 = q1;
        }
    fc_fft2_forward(f->in_plan, real, x);
}

/* The products of the block back to the sub-grids (y through real), and its valid outputs (rows [r0, r0 + n0 - kh +
 * 1) and likewise) scattered: out[k][py + D (r0 + i)][px + D (c0 + j)], the phases sharing py row by row so that each
 * output row is written while it is in cache. */
static void block_inverse(sweep_fft *f, const dop *o, float *real, float *y, int h, int w, float *out, int p0, int r0,
                          int c0)
{
    int D = o->dil, oh = dop_out(h, o->kh, D), ow = dop_out(w, o->kw, D), n0 = f->n0, n1 = f->n1, g = f->group;
    int vec8 = f->avx2 && D == 8; /* rows of eight phases by transposes (scatter_row8) */
    fc_fft2_inverse(f->out_plan, y, real);
    int vr = n0 - o->kh + 1, vc = n1 - o->kw + 1;
    for (int k = 0; k < o->cout; k++) {
        float *dst = out + (size_t)k * oh * ow, bias = o->b[k];
        for (int q0 = 0; q0 < g;) {
            int py = (p0 + q0) / D, q1 = q0;
            while (q1 < g && (p0 + q1) / D == py)
                q1++;
            int ohp = py < oh ? (oh - py + D - 1) / D - r0 : 0;
            ohp = ohp < vr ? ohp : vr;
            int omin = (ow - (q1 - q0 - 1) + D - 1) / D - c0, fast = vec8 && q1 - q0 == 8 ? omin / 8 * 8 : 0;
            fast = fast < 0 ? 0 : fast > vc / 8 * 8 ? vc / 8 * 8 : fast;
            for (int i = 0; i < ohp; i++) {
                float *row = dst + (size_t)(py + D * (r0 + i)) * ow;
#if FC_HAVE_AVX2_KERNEL
                if (fast)
                    scatter_row8(real + (((size_t)q0 * o->cout + k) * n0 + i) * n1, (size_t)o->cout * n0 * n1, bias,
                                 o->relu, row + (size_t)D * c0, fast);
#endif
                for (int q = q0; q < q1; q++) {
                    int px = (p0 + q) % D, owp = px < ow ? (ow - px + D - 1) / D - c0 : 0;
                    owp = owp < vc ? owp : vc;
                    const float *src = real + (((size_t)q * o->cout + k) * n0 + i) * n1;
                    float *o_row = row + px + (size_t)D * c0;
                    for (int j = fast; j < owp; j++) {
                        float v = src[j] + bias;
                        o_row[(size_t)D * j] = o->relu && v < 0.0f ? 0.0f : v;
                    }
                }
            }
            q0 = q1;
        }
    }
}

/* nb (<= BLOCKS) blocks side by side from column c0 of group p0, row r0: each transformed, then frequency by
 * frequency the products of every block (the spectra are bin-major, so one frequency of every array is contiguous;
 * the frequency's weights, read from memory for the first block, are still in cache for the next), then each
 * transformed back and scattered. */
static void run_blocks(sweep_fft *f, const dop *o, float *scratch, const float *in, int h, int w, float *out, int p0,
                       int r0, int c0, int nb)
{
    int g = f->group, vc = f->n1 - o->kw + 1;
    size_t bins = (size_t)f->bins, np = (size_t)g * o->cout;
    float *real = scratch, *x = real + f->real_n, *t = x + BLOCKS * (f->x_n + f->y_n);
    float *y = f->y_n ? x + BLOCKS * f->x_n : x; /* the products in place of the inputs when cin == cout */
    size_t ystep = f->y_n ? f->y_n : f->x_n;
    for (int j = 0; j < nb; j++)
        block_forward(f, o, real, x + j * f->x_n, in, h, w, p0, r0, c0 + j * vc);
    for (size_t b = 0; b < bins; b++)
        for (int j = 0; j < nb; j++)
            cmul_bin(f->avx2, g, o->cin, o->cout, x + j * f->x_n + 2 * b * g * o->cin, f->w + b * f->bin_floats, t,
                     y + j * ystep + 2 * b * np);
    for (int j = 0; j < nb; j++)
        block_inverse(f, o, real, y + j * ystep, h, w, out, p0, r0, c0 + j * vc);
}

void sweep_fft_run(sweep_fft *f, const dop *o, const float *in, int h, int w, float *out)
{
    int D = o->dil, oh = dop_out(h, o->kh, D), ow = dop_out(w, o->kw, D);
    /* The largest phase's outputs (phase 0), in blocks of the transforms' valid part; each thread claims the next
     * job (group of phases, block row, BLOCKS block columns) as it finishes one. */
    int ohp = (oh + D - 1) / D, owp = (ow + D - 1) / D, vr = f->n0 - o->kh + 1, vc = f->n1 - o->kw + 1;
    int nr = (ohp + vr - 1) / vr, nc = (owp + vc - 1) / vc, nj = (nc + BLOCKS - 1) / BLOCKS;
    int n = (D * D + f->group - 1) / f->group * nr * nj;
#pragma omp for schedule(dynamic, 1) nowait
    for (int k = 0; k < n; k++) {
        float *scratch = f->scratch + (size_t)fc_thread_id() * f->per_thread;
        int j = k % nj * BLOCKS, nb = nc - j < BLOCKS ? nc - j : BLOCKS;
        run_blocks(f, o, scratch, in, h, w, out, k / (nr * nj) * f->group, (k / nj) % nr * vr, j * vc, nb);
    }
}

double sweep_fft_map_flops(int cin, int cout, int dil, int n0, int n1, int kh, int kw, int oh, int ow)
{
    int ohp = (oh + dil - 1) / dil, owp = (ow + dil - 1) / dil;
    double blocks = (double)((ohp + n0 - kh) / (n0 - kh + 1)) * ((owp + n1 - kw) / (n1 - kw + 1));
    return blocks * sweep_fft_tile_flops(cin, cout, dil, n0, n1);
}
