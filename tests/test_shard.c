/* The data-parallel training step: ranks that each hold a share of a batch (uneven shares, batch norm and dropout
 * included) end the step with the gradients and, under SGD without momentum, the weights that one process gets from
 * the whole batch. The ranks are threads here, joined by an fc_comm whose sums add the ranks' buffers in rank
 * order, as MPI_Allreduce does; a gradient-scale error (a rank dividing by its own share) fails this test. */
#include "testutil.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "facies/facies.h"

#define RANKS 3
#define TOTAL 7 /* shares 3, 2, 2 */
#define SPEC "conv4-batchnorm-pool-flatten-dense8-dropout0.3-dense"
#define C 2
#define H 12
#define W 12
#define CLASSES 3

/* What the ranks share: a barrier, and each rank's buffer during a sum. */
typedef struct shared {
    pthread_barrier_t barrier;
    const void *buf[RANKS];
} shared;

typedef struct rank_ctx {
    shared *sh;
    int rank;
} rank_ctx;

/* Sum n elements of type T over the ranks, in rank order, into v. */
#define SUM_OVER_RANKS(T, ctx, v, n)                                                                                   \
    do {                                                                                                               \
        rank_ctx *rc = (ctx);                                                                                          \
        T *sum = calloc((size_t)(n) > 0 ? (size_t)(n) : 1, sizeof(T));                                                 \
        rc->sh->buf[rc->rank] = (v);                                                                                   \
        pthread_barrier_wait(&rc->sh->barrier);                                                                        \
        for (int r = 0; r < RANKS; r++)                                                                                \
            for (int64_t i = 0; i < (n); i++)                                                                          \
                sum[i] += ((const T *)rc->sh->buf[r])[i];                                                              \
        pthread_barrier_wait(&rc->sh->barrier);                                                                        \
        memcpy((v), sum, sizeof(T) * (size_t)(n));                                                                     \
        free(sum);                                                                                                     \
    } while (0)

static int sum_f32(void *ctx, float *v, int64_t n)
{
    SUM_OVER_RANKS(float, ctx, v, n);
    return 0;
}

static int sum_f64(void *ctx, double *v, int64_t n)
{
    SUM_OVER_RANKS(double, ctx, v, n);
    return 0;
}

static int sum_i64(void *ctx, int64_t *v, int64_t n)
{
    SUM_OVER_RANKS(int64_t, ctx, v, n);
    return 0;
}

static int barrier(void *ctx)
{
    pthread_barrier_wait(&((rank_ctx *)ctx)->sh->barrier);
    return 0;
}

static float X[TOTAL * C * H * W];
static int32_t Y[TOTAL];

static fc_net *make_net(void)
{
    fc_net_config cfg = {
        .spec = SPEC, .in_c = C, .in_h = H, .in_w = W, .classes = CLASSES, .max_batch = TOTAL, .threads = 1, .seed = 5};
    fc_net *net = NULL;
    fc_error err;
    if (fc_net_create(&net, &cfg, &err))
        return NULL;
    return net;
}

typedef struct rank_job {
    rank_ctx ctx;
    fc_net *net;
    fc_optimizer opt;
    int first, n, steps;
    fc_status st; /* the first step that failed */
} rank_job;

static void *run_rank(void *arg)
{
    rank_job *j = arg;
    fc_comm comm = {.rank = j->ctx.rank,
                    .size = RANKS,
                    .ctx = &j->ctx,
                    .sum_f32 = sum_f32,
                    .sum_f64 = sum_f64,
                    .sum_i64 = sum_i64,
                    .barrier = barrier};
    for (int s = 0; s < j->steps && !j->st; s++)
        j->st = fc_net_train_step_shard(j->net, &j->opt, X + (size_t)j->first * C * H * W, Y + j->first, j->n, NULL,
                                        &comm, j->first, TOTAL, NULL, NULL, NULL);
    return NULL;
}

/* Relative difference ||a - b|| / (||a|| + ||b||) of two tensors. */
static double rel_diff(const float *a, const float *b, int64_t n)
{
    double d = 0, na = 0, nb = 0;
    for (int64_t i = 0; i < n; i++) {
        d += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        na += (double)a[i] * a[i];
        nb += (double)b[i] * b[i];
    }
    return d == 0 ? 0 : sqrt(d) / (sqrt(na) + sqrt(nb));
}

/* The tensors that `get` gives of layer li agree between the whole-batch net and rank k's. */
static void same_tensors(int k, int li, const char *what, int (*get)(fc_net *, int, float **, int64_t *), fc_net *whole,
                         fc_net *rank)
{
    float *a[4], *b[4];
    int64_t sa[4], sb[4];
    int n = get(whole, li, a, sa);
    assert_int_equal(get(rank, li, b, sb), n);
    for (int t = 0; t < n; t++) {
        assert_int_equal(sa[t], sb[t]);
        double e = rel_diff(a[t], b[t], sa[t]);
        if (e > 1e-5)
            fail_msg("rank %d layer %d %s %d differs from the whole batch's: %g", k, li, what, t, e);
    }
}

/* After `steps` steps on RANKS ranks and on one process, every rank's gradients (of the last step) and parameters
 * match the whole batch's, tensor by tensor. */
static void compare_with_whole_batch(fc_optimizer opt, int steps)
{
    fc_rng r;
    fc_rng_seed(&r, 21);
    for (size_t i = 0; i < sizeof X / sizeof X[0]; i++)
        X[i] = (float)fc_rng_normal(&r);
    for (int i = 0; i < TOTAL; i++)
        Y[i] = (int32_t)fc_rng_below(&r, CLASSES);

    fc_net *whole = make_net();
    assert_non_null(whole);
    for (int s = 0; s < steps; s++)
        assert_int_equal(fc_net_train_step(whole, &opt, X, Y, TOTAL, NULL, NULL, NULL, NULL), FC_OK);

    shared sh;
    assert_int_equal(pthread_barrier_init(&sh.barrier, NULL, RANKS), 0);
    rank_job jobs[RANKS];
    pthread_t th[RANKS];
    static const int first[RANKS] = {0, 3, 5}, count[RANKS] = {3, 2, 2};
    for (int k = 0; k < RANKS; k++) {
        jobs[k] = (rank_job){
            .ctx = {&sh, k}, .net = make_net(), .opt = opt, .first = first[k], .n = count[k], .steps = steps};
        assert_non_null(jobs[k].net);
    }
    for (int k = 0; k < RANKS; k++)
        assert_int_equal(pthread_create(&th[k], NULL, run_rank, &jobs[k]), 0);
    for (int k = 0; k < RANKS; k++)
        pthread_join(th[k], NULL);
    pthread_barrier_destroy(&sh.barrier);

    for (int k = 0; k < RANKS; k++) {
        assert_int_equal(jobs[k].st, FC_OK);
        for (int li = 0; li < fc_net_layer_count(whole); li++) {
            same_tensors(k, li, "parameter", fc_net_layer_params, whole, jobs[k].net);
            same_tensors(k, li, "gradient", fc_net_layer_grads, whole, jobs[k].net);
        }
        fc_net_destroy(jobs[k].net);
    }
    fc_net_destroy(whole);
}

static void test_sgd_without_momentum(void **state)
{
    (void)state;
    fc_optimizer opt = fc_optimizer_default(FC_OPTIMIZER_SGD);
    opt.momentum = 0.0;
    opt.lr = 0.05;
    compare_with_whole_batch(opt, 1);
    compare_with_whole_batch(opt, 4);
}

static void test_adam(void **state)
{
    (void)state;
    compare_with_whole_batch(fc_optimizer_default(FC_OPTIMIZER_ADAM), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sgd_without_momentum),
        cmocka_unit_test(test_adam),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
