/* Dense apply speed: the reference network over a 951 x 462 section (the F3 inline's size), direct and fast
 * methods at 1 and 2 threads: seconds per section, samples/s, the GFLOP each method executed per section (its own
 * kernels, tile halos included) and their rate, the fast method's kernels, and how far the fast probabilities are
 * from the direct ones; first the CPU's multiply-add peak, the ceiling those rates are measured against.
 * usage: bench_apply [repeats (default 3)] [threads (default: 1 and 2)] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "blas_select.h"
#include "bench_util.h"
#include "facies/facies.h"

enum { TRACES = 951, SAMPLES = 462, CLASSES = 6 };

/* Seconds per section (median of `repeats` after a warm-up); the probabilities of the last run stay in out. */
static double time_method(fc_net *net, fc_sweep_method method, int threads, int repeats, const float *in, int H, int W,
                          float *out, double *gflop, fc_sweep **keep)
{
    fc_error err;
    fc_sweep_options opt = {.threads = threads, .method = method};
    fc_sweep *d = NULL;
    if (fc_sweep_create(&d, net, &opt, &err)) {
        fprintf(stderr, "%s\n", err.message);
        exit(1);
    }
    double best = 1e30;
    for (int k = 0; k <= repeats; k++) {
        double t0 = bench_now();
        if (fc_sweep_run(d, in, H, W, out, &err)) {
            fprintf(stderr, "%s\n", err.message);
            exit(1);
        }
        double s = bench_now() - t0;
        if (k > 0 && s < best)
            best = s; /* the first run plans and warms up */
    }
    *gflop = fc_sweep_last_flops(d) / 1e9;
    *keep = d;
    return best;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define FMA_STEP(x) x = _mm256_fmadd_ps(x, b, c)
/* `iters` rounds of twelve independent chains of 8-wide fused multiply-adds, enough to cover the instruction's
 * latency, kept in registers (the empty asm makes each step's result count as used). Its own function: an OpenMP
 * region's body does not take the target attribute of the function around it. */
__attribute__((target("avx2,fma"))) static void fma_chains(long iters)
{
    __m256 b = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(0.001f), a0 = _mm256_set1_ps(1.0f), a1 = a0, a2 = a0, a3 = a0,
           a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
    for (long i = 0; i < iters; i++) {
        FMA_STEP(a0);
        FMA_STEP(a1);
        FMA_STEP(a2);
        FMA_STEP(a3);
        FMA_STEP(a4);
        FMA_STEP(a5);
        FMA_STEP(a6);
        FMA_STEP(a7);
        FMA_STEP(a8);
        FMA_STEP(a9);
        FMA_STEP(a10);
        FMA_STEP(a11);
        __asm__ volatile(""
                         : "+x"(a0), "+x"(a1), "+x"(a2), "+x"(a3), "+x"(a4), "+x"(a5), "+x"(a6), "+x"(a7), "+x"(a8),
                           "+x"(a9), "+x"(a10), "+x"(a11));
    }
}

/* GFLOP/s of those chains on each of `threads` threads. */
static double fma_peak(int threads)
{
    const long iters = 50000000;
    double t0 = bench_now();
#pragma omp parallel num_threads(threads)
    fma_chains(iters);
    return 2.0 * 8 * 12 * (double)iters * threads / (bench_now() - t0) / 1e9;
}
#undef FMA_STEP
#endif

int main(int argc, char **argv)
{
    blas_select(argv);
    int repeats = argc > 1 ? atoi(argv[1]) : 3, only = argc > 2 ? atoi(argv[2]) : 0;
    repeats = repeats < 1 ? 1 : repeats;
    fc_net_config cfg = {.spec = BENCH_REFERENCE_SPEC,
                         .in_c = 1,
                         .in_h = 64,
                         .in_w = 64,
                         .classes = CLASSES,
                         .max_batch = 1,
                         .threads = 1,
                         .seed = 1};
    fc_net *net = NULL;
    fc_error err;
    if (fc_net_create(&net, &cfg, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    int sr = 62, sc = 62; /* the reference network's span, checked below */
    int H = SAMPLES + sr - 1, W = TRACES + sc - 1;
    size_t nout = (size_t)CLASSES * SAMPLES * TRACES;
    float *in = malloc(sizeof(float) * (size_t)H * W), *direct = malloc(sizeof(float) * nout),
          *fast = malloc(sizeof(float) * nout);
    fc_rng r;
    fc_rng_seed(&r, 1);
    for (long i = 0; i < (long)H * W; i++)
        in[i] = (float)fc_rng_normal(&r);
    printf("BLAS core: %s; section %d traces x %d samples; best of %d runs\n", fc_blas_core(), TRACES, SAMPLES,
           repeats);
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        printf("FMA peak (8-wide fused multiply-adds, 12 chains): %.1f GFLOP/s at 1 thread, %.1f at 2\n", fma_peak(1),
               fma_peak(2));
#endif
    printf("%-8s %-7s %10s %12s %12s %9s\n", "threads", "method", "s/section", "samples/s", "GFLOP/sect", "GFLOP/s");
    double n = (double)TRACES * SAMPLES;
    for (int threads = 1; threads <= 2; threads++) {
        if (only && threads != only)
            continue;
        double g[2], s[2];
        fc_sweep *d[2];
        const char *names[2] = {"direct", "fast"};
        s[0] = time_method(net, FC_SWEEP_DIRECT, threads, repeats, in, H, W, direct, &g[0], &d[0]);
        s[1] = time_method(net, FC_SWEEP_FAST, threads, repeats, in, H, W, fast, &g[1], &d[1]);
        fc_sweep_span(d[0], &sr, &sc);
        if (sr != 62 || sc != 62) {
            fprintf(stderr, "bench_apply: the reference network's span is %d x %d, not 62 x 62\n", sr, sc);
            return 1;
        }
        for (int m = 0; m < 2; m++)
            printf("%-8d %-7s %10.3f %12.0f %12.1f %9.1f\n", threads, names[m], s[m], n / s[m], g[m], g[m] / s[m]);
        double worst = 0.0;
        for (size_t i = 0; i < nout; i++)
            worst = fmax(worst, fabs((double)fast[i] - direct[i]));
        printf("%-8d fast/direct: %.2fx faster, %.2fx fewer FLOPs; max |p_fast - p_direct| = %.2g\n", threads,
               s[0] / s[1], g[0] / g[1], worst);
        printf("kernels: %s\n", fc_sweep_describe(d[1]));
        fc_sweep_destroy(d[0]);
        fc_sweep_destroy(d[1]);
    }
    free(in);
    free(direct);
    free(fast);
    fc_net_destroy(net);
    return 0;
}
