/* Training throughput of the reference network (1x64x64 -> conv32-pool-conv64-pool-conv128-pool-flatten-dense128-
 * dropout0.5-dense6, Adam, batch 32) at 1 and 2 threads, with the default (pooled) conv backward and with dense
 * GEMMs throughout: patches/s and GFLOP/s. The FLOPs are the dense network's (3 x 55.6 M per patch, as the PyTorch
 * script counts them), so the pooled rows, which skip the zeros of the gradient, can pass the machine's FMA peak.
 * usage: bench_train [seconds per run (default 10)] */
#include <stdio.h>
#include <stdlib.h>

#include "blas_select.h"
#include "bench_util.h"
#include "facies/facies.h"

#define FORWARD_MFLOP 55.6 /* per patch, multiply-adds counted as 2 (shared/bench/model.py) */

int main(int argc, char **argv)
{
    blas_select(argv);
    double seconds = argc > 1 ? atof(argv[1]) : 10.0;
    const int batch = 32, pool = 64;
    float *x = malloc(sizeof(float) * 64 * 64 * batch * pool);
    int32_t *y = malloc(sizeof(int32_t) * batch * pool);
    fc_rng r;
    fc_rng_seed(&r, 1);
    for (long i = 0; i < 64L * 64 * batch * pool; i++)
        x[i] = (float)(2.0 * fc_rng_uniform(&r) - 1.0);
    for (int i = 0; i < batch * pool; i++)
        y[i] = (int32_t)fc_rng_below(&r, 6);
    printf("BLAS core: %s\n", fc_blas_core());
    printf("%-8s %-9s %12s %12s %10s\n", "threads", "backward", "patches/s", "GFLOP/s", "batches");
    for (int run = 0; run < 4; run++) {
        int threads = 1 + run / 2, dense = run % 2;
        fc_net_config cfg = {.spec = BENCH_REFERENCE_SPEC,
                             .in_c = 1,
                             .in_h = 64,
                             .in_w = 64,
                             .classes = 6,
                             .max_batch = batch,
                             .threads = threads,
                             .seed = 1,
                             .dense_backward = dense};
        fc_net *net = NULL;
        fc_error err;
        if (fc_net_create(&net, &cfg, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        fc_optimizer opt = fc_optimizer_default(FC_OPTIMIZER_ADAM);
        for (int w = 0; w < 3; w++) /* warm up */
            fc_net_train_step(net, &opt, x, y, batch, NULL, NULL, NULL);
        long steps = 0;
        double t0 = bench_now(), t;
        do {
            int b = (int)(steps % pool);
            fc_net_train_step(net, &opt, x + (size_t)b * batch * 4096, y + b * batch, batch, NULL, NULL, NULL);
            steps++;
        } while ((t = bench_now() - t0) < seconds);
        double pps = (double)steps * batch / t;
        /* Training costs about three forward passes (forward, input gradient, weight gradient). */
        printf("%-8d %-9s %12.1f %12.1f %10ld\n", threads, dense ? "dense" : "pooled", pps,
               pps * 3.0 * FORWARD_MFLOP / 1000.0, steps);
        fc_net_destroy(net);
    }
    free(x);
    free(y);
    return 0;
}
