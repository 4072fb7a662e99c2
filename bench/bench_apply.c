/* Dense apply speed: the reference network over a 951 x 462 section (the F3 inline's size), at 1 and 2 threads:
 * seconds per section, samples/s and the GFLOP/s the dense form achieves (its own multiply-adds per output sample,
 * tile halos not counted). usage: bench_apply [repeats (default 3)] */
#include <stdio.h>
#include <stdlib.h>

#include "blas_select.h"
#include "bench_util.h"
#include "facies/facies.h"

int main(int argc, char **argv)
{
    blas_select(argv);
    int repeats = argc > 1 ? atoi(argv[1]) : 3;
    const int traces = 951, samples = 462;
    fc_net_config cfg = {.spec = BENCH_REFERENCE_SPEC,
                         .in_c = 1,
                         .in_h = 64,
                         .in_w = 64,
                         .classes = 6,
                         .max_batch = 1,
                         .threads = 1,
                         .seed = 1};
    fc_net *net = NULL;
    fc_error err;
    if (fc_net_create(&net, &cfg, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    printf("BLAS core: %s; section %d traces x %d samples\n", fc_blas_core(), traces, samples);
    printf("%-8s %12s %14s %10s\n", "threads", "s/section", "samples/s", "GFLOP/s");
    for (int threads = 1; threads <= 2; threads++) {
        fc_dense *d = NULL;
        if (fc_dense_create(&d, net, threads, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        int sr, sc;
        fc_dense_span(d, &sr, &sc);
        int H = samples + sr - 1, W = traces + sc - 1;
        float *in = malloc(sizeof(float) * (size_t)H * W), *out = malloc(sizeof(float) * 6 * (size_t)samples * traces);
        fc_rng r;
        fc_rng_seed(&r, 1);
        for (long i = 0; i < (long)H * W; i++)
            in[i] = (float)fc_rng_normal(&r);
        fc_dense_run(d, in, H, W, out, &err); /* warm up */
        double t0 = bench_now();
        for (int k = 0; k < repeats; k++)
            fc_dense_run(d, in, H, W, out, &err);
        double s = (bench_now() - t0) / repeats, n = (double)traces * samples;
        printf("%-8d %12.2f %14.0f %10.1f\n", threads, s, n / s, n * fc_dense_flops_per_position(d) / s / 1e9);
        free(in);
        free(out);
        fc_dense_destroy(d);
    }
    fc_net_destroy(net);
    return 0;
}
