/* Training throughput of the reference network (1x64x64 -> conv32-pool-conv64-pool-conv128-pool-flatten-dense128-
 * dropout0.5-dense6, Adam, batch 32) at 1 and 2 threads, with the default (pooled) conv backward and with dense
 * GEMMs throughout: patches/s and GFLOP/s. The FLOPs are the dense network's (3 x 55.6 M per patch, as the PyTorch
 * script counts them), so the pooled rows, which skip the zeros of the gradient, can pass the machine's FMA peak.
 * The timed patches are uniform noise in [-1, 1] with random labels (as timed in every earlier figure).
 * Each path must also learn: a fresh network of the same configuration trains MIN_STEPS steps on learnable patches
 * (each class a horizontal band of its own spatial frequency, at a random phase, in noise) and must lower their
 * loss, or the run fails (exit 1) and no speed is printed for a broken path.
 * usage: bench_train [seconds per run (default 10)] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "blas_select.h"
#include "bench_util.h"
#include "facies/facies.h"

#define FORWARD_MFLOP 55.6 /* per patch, multiply-adds counted as 2 (shared/bench/model.py) */
#define MIN_STEPS 40       /* steps a run takes before its loss is checked, timed or not */
#define LOSS_FALL 0.7      /* the loss after a run must be below this fraction of the loss before it */

/* Patch i of class y[i]: sin(2 pi (2 + y) row / 64 + phase) * 0.6 plus uniform noise of +-0.4. */
static void make_patches(float *x, int32_t *y, int n)
{
    fc_rng r;
    fc_rng_seed(&r, 1);
    for (int i = 0; i < n; i++) {
        y[i] = (int32_t)fc_rng_below(&r, 6);
        double phase = 2.0 * M_PI * fc_rng_uniform(&r);
        for (int row = 0; row < 64; row++) {
            double wave = 0.6 * sin(2.0 * M_PI * (2 + y[i]) * row / 64.0 + phase);
            for (int col = 0; col < 64; col++)
                x[(size_t)i * 4096 + row * 64 + col] = (float)(wave + 0.8 * (fc_rng_uniform(&r) - 0.5));
        }
    }
}

static double held_loss(fc_net *net, const float *x, const int32_t *y, int n)
{
    double loss = 0.0;
    int correct = 0;
    if (fc_net_evaluate(net, x, y, n, &loss, &correct, NULL))
        return NAN; /* the check that the loss falls fails */
    return loss;
}

int main(int argc, char **argv)
{
    blas_select(argv);
    double seconds = argc > 1 ? atof(argv[1]) : 10.0;
    const int batch = 32, pool = 64;
    float *x = malloc(sizeof(float) * 64 * 64 * batch * pool);
    int32_t *y = malloc(sizeof(int32_t) * batch * pool);
    float *lx = malloc(sizeof(float) * 64 * 64 * batch * pool);
    int32_t *ly = malloc(sizeof(int32_t) * batch * pool);
    if (!x || !y || !lx || !ly)
        return 1;
    fc_rng r;
    fc_rng_seed(&r, 1);
    for (long i = 0; i < 64L * 64 * batch * pool; i++)
        x[i] = (float)(2.0 * fc_rng_uniform(&r) - 1.0);
    for (int i = 0; i < batch * pool; i++)
        y[i] = (int32_t)fc_rng_below(&r, 6);
    make_patches(lx, ly, batch * pool);
    printf("BLAS core: %s\n", fc_blas_core());
    printf("%-8s %-9s %12s %12s %10s %15s\n", "threads", "backward", "patches/s", "GFLOP/s", "batches",
           "loss before/after");
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
                             .gemm_backward = dense};
        fc_net *net = NULL;
        fc_error err;
        if (fc_net_create(&net, &cfg, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        fc_optimizer opt = fc_optimizer_default(FC_OPTIMIZER_ADAM);
        for (int w = 0; w < 3; w++) /* warm up */
            fc_net_train_step(net, &opt, x, y, batch, NULL, NULL, NULL, NULL);
        long steps = 0;
        double t0 = bench_now(), t;
        do {
            int b = (int)(steps % pool);
            fc_net_train_step(net, &opt, x + (size_t)b * batch * 4096, y + b * batch, batch, NULL, NULL, NULL, NULL);
            steps++;
        } while ((t = bench_now() - t0) < seconds);
        double pps = (double)steps * batch / t;
        fc_net_destroy(net);
        /* The same path, untimed, on patches it can learn. */
        if (fc_net_create(&net, &cfg, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        opt = fc_optimizer_default(FC_OPTIMIZER_ADAM);
        double before = held_loss(net, lx, ly, batch);
        for (long s = 0; s < MIN_STEPS; s++)
            fc_net_train_step(net, &opt, lx + (size_t)(s % pool) * batch * 4096, ly + (s % pool) * batch, batch, NULL,
                              NULL, NULL, NULL);
        double after = held_loss(net, lx, ly, batch);
        if (!(after < LOSS_FALL * before)) {
            fprintf(stderr,
                    "bench_train: %d thread(s), %s backward: the loss did not fall (%.3f before, %.3f after): this "
                    "path is broken, its speed is not reported\n",
                    threads, dense ? "dense" : "pooled", before, after);
            return 1;
        }
        /* Training costs about three forward passes (forward, input gradient, weight gradient). */
        printf("%-8d %-9s %12.1f %12.1f %10ld %8.3f/%.3f\n", threads, dense ? "dense" : "pooled", pps,
               pps * 3.0 * FORWARD_MFLOP / 1000.0, steps, before, after);
        fc_net_destroy(net);
    }
    free(x);
    free(y);
    free(lx);
    free(ly);
    return 0;
}
