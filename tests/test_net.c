/* The CNN library: shapes and parameter counts (Keras' numbers), hand-worked forward cases, finite-difference
 * gradient checks for every layer kind and the loss, learning a toy problem, determinism, freezing. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "facies/facies.h"
#include "nn_impl.h" /* the ReLU states and max-pool winners, to skip kinks */

static const char *REFERENCE = "conv32-pool-conv64-pool-conv128-pool-flatten-dense128-dropout0.5-dense";

static fc_net *make_from(const fc_net_config *cfg)
{
    fc_net *net = NULL;
    fc_error err;
    if (fc_net_create(&net, cfg, &err))
        fail_msg("%s: %s", cfg->spec, err.message);
    return net;
}

static fc_net *make(const char *spec, int c, int h, int w, int classes, int batch, int threads, uint64_t seed)
{
    fc_net_config cfg = {.spec = spec,
                         .in_c = c,
                         .in_h = h,
                         .in_w = w,
                         .classes = classes,
                         .max_batch = batch,
                         .threads = threads,
                         .seed = seed};
    return make_from(&cfg);
}

/* N(0, 1) inputs and uniform labels below classes. */
static void random_batch(uint64_t seed, float *x, int64_t xs, int32_t *y, int n, int classes)
{
    fc_rng r;
    fc_rng_seed(&r, seed);
    for (int64_t i = 0; i < xs; i++)
        x[i] = (float)fc_rng_normal(&r);
    for (int s = 0; s < n; s++)
        y[s] = (int32_t)fc_rng_below(&r, (uint64_t)classes);
}

static void test_reference_summary_matches_keras(void **state)
{
    (void)state;
    fc_net *net = make(REFERENCE, 1, 64, 64, 6, 4, 1, 1);
    int64_t trainable;
    assert_int_equal(fc_net_param_count(net, &trainable), 683398);
    assert_int_equal(trainable, 683398);
    static const int shapes[][4] = {{32, 62, 62, 320},    {32, 31, 31, 0}, {64, 29, 29, 18496}, {64, 14, 14, 0},
                                    {128, 12, 12, 73856}, {128, 6, 6, 0},  {4608, 1, 1, 0},     {128, 1, 1, 589952},
                                    {128, 1, 1, 0},       {6, 1, 1, 774}};
    assert_int_equal(fc_net_layer_count(net), 10);
    for (int i = 0; i < 10; i++) {
        fc_layer_info li;
        fc_net_layer_info(net, i, &li);
        assert_int_equal(li.out_c, shapes[i][0]);
        assert_int_equal(li.out_h, shapes[i][1]);
        assert_int_equal(li.out_w, shapes[i][2]);
        assert_int_equal(li.params, shapes[i][3]);
    }
    fc_layer_info li;
    fc_net_layer_info(net, 0, &li);
    assert_string_equal(li.name, "conv2d");
    fc_net_layer_info(net, 2, &li);
    assert_string_equal(li.name, "conv2d_1");
    fc_net_freeze(net, 2);
    assert_int_equal(fc_net_param_count(net, &trainable), 683398);
    assert_int_equal(trainable, 683398 - 320 - 18496);
    fc_net_destroy(net);
    net = make(REFERENCE, 3, 64, 64, 6, 4, 1, 1);
    fc_net_layer_info(net, 0, &li);
    assert_int_equal(li.params, 896);
    fc_net_destroy(net);
}

static void test_bad_specs(void **state)
{
    (void)state;
    static const char *bad[] = {"conv32-pool",
                                "conv-dense",
                                "conv32x-flatten-dense",
                                "pool-dense",
                                "dropout1.5-flatten-dense",
                                "flatten-dense7",
                                "conv8-pool-pool-pool-pool-pool-pool-flatten-dense",
                                "wibble-dense",
                                ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fc_net_config cfg = {
            .spec = bad[i], .in_c = 1, .in_h = 16, .in_w = 16, .classes = 3, .max_batch = 2, .threads = 1, .seed = 1};
        fc_net *net = NULL;
        fc_error err;
        fc_error_clear(&err);
        if (fc_net_create(&net, &cfg, &err) != FC_ERR_ARGUMENT)
            fail_msg("spec '%s' was accepted", bad[i]);
        assert_true(strlen(err.message) > 0);
    }
}

/* Set every parameter of layer i from a list. */
static void set_params(fc_net *net, int i, const float *w, const float *b)
{
    float *p[4];
    int64_t n[4];
    fc_net_layer_params(net, i, p, n);
    memcpy(p[0], w, sizeof(float) * (size_t)n[0]);
    memcpy(p[1], b, sizeof(float) * (size_t)n[1]);
}

static void test_hand_worked_forward(void **state)
{
    (void)state;
    /* 1x3x3 input, one 2x2 filter, then the output dense as identity-like 4 -> 2. */
    fc_net *net = make("conv1k2-flatten-dense", 1, 3, 3, 2, 1, 1, 1);
    const float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const float k[4] = {1, 0, 0, -1}, kb[1] = {10};
    set_params(net, 0, k, kb);
    /* conv: x[i][j] - x[i+1][j+1] + 10 = -4 + 10 = 6 everywhere; relu keeps 6. */
    const float w[8] = {1, 0, 0, 0, 0, 0, 0, 1}, b[2] = {0, 0.5f};
    set_params(net, 2, w, b);
    float probs[2];
    assert_int_equal(fc_net_predict(net, x, 1, probs, NULL), FC_OK);
    /* logits 6 and 6.5: softmax */
    double e = exp(0.5);
    assert_true(fabs(probs[0] - 1.0 / (1.0 + e)) < 1e-6);
    assert_true(fabs(probs[1] - e / (1.0 + e)) < 1e-6);
    fc_net_destroy(net);

    /* Max and average pooling of a known 1x4x4 input, through a dense of ones. */
    const float y[16] = {1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 1, 1, 2, 9, 1, 3};
    net = make("pool-flatten-dense", 1, 4, 4, 2, 1, 1, 1);
    const float ones[8] = {1, 1, 1, 1, 0, 0, 0, 0}, zero[2] = {0, 0};
    set_params(net, 2, ones, zero);
    assert_int_equal(fc_net_predict(net, y, 1, probs, NULL), FC_OK);
    /* max pool: 5, 8, 9, 3 -> logit 25 vs 0 */
    assert_true(fabs(probs[1] - 1.0 / (1.0 + exp(25.0))) < 1e-9);
    fc_net_destroy(net);
    net = make("avgpool-flatten-dense", 1, 4, 4, 2, 1, 1, 1);
    set_params(net, 2, ones, zero);
    assert_int_equal(fc_net_predict(net, y, 1, probs, NULL), FC_OK);
    /* avg pool: 13/4, 11/4, 11/4, 6/4 -> logit 10.25 */
    assert_true(fabs(probs[1] - 1.0 / (1.0 + exp(10.25))) < 1e-6);
    fc_net_destroy(net);
}

/* Finite-difference step, and the tolerance of an element: |num - ana| <= REL_TOL * max|num| + ABS_TOL. */
#define FD_EPS 2e-3
#define REL_TOL 1e-3
#define ABS_TOL 1e-4

/* How the elements of a gradient check went, over all the tensors of one network. */
typedef struct fd_tally {
    int64_t checked, kinks;
} fd_tally;

/* The kinks of the last forward pass over n samples: the on/off state of every ReLU output (conv, and dense with a
 * ReLU) and the winner of every max-pool window, into pattern (NULL: just count). Returns the length. */
static size_t kink_pattern(const fc_net *net, int n, int32_t *pattern)
{
    size_t at = 0;
    for (int li = 0; li < net->nl; li++) {
        const layer *l = &net->L[li];
        size_t m = (size_t)n * l->out_size;
        int relu = l->kind == FC_LAYER_CONV || (l->kind == FC_LAYER_DENSE && l->relu);
        int maxpool = l->kind == FC_LAYER_MAXPOOL;
        for (size_t i = 0; (relu || maxpool) && i < m; i++, at++)
            if (pattern)
                pattern[at] = maxpool ? l->argmax[i] : l->out[i] > 0.0f;
    }
    return at;
}

/* Check a tensor element by element against central differences with step FD_EPS. Where moving the element by
 * -e and +e changes a ReLU's state or a max pool's winner, the loss has a kink within the step and no difference
 * is a derivative: such points are counted and skipped (the caller bounds how many). */
static void check_tensor(const char *spec, const char *what, fc_net *net, float *v, const float *ana, int64_t size,
                         const float *x, const int32_t *y, int n, const float *cw, uint64_t mask, fd_tally *t)
{
    size_t plen = kink_pattern(net, n, NULL);
    int32_t *below = malloc(sizeof(int32_t) * (plen + 1)), *above = malloc(sizeof(int32_t) * (plen + 1));
    double *num = malloc(sizeof(double) * (size_t)size);
    char *kink = malloc((size_t)size);
    double top = 0.0;
    for (int64_t i = 0; i < size; i++) {
        float keep = v[i];
        v[i] = keep + (float)FD_EPS;
        double lp, lm;
        assert_int_equal(fc_net_loss_and_grads(net, x, y, n, cw, mask, 0, NULL, &lp, NULL), FC_OK);
        kink_pattern(net, n, above);
        v[i] = keep - (float)FD_EPS;
        assert_int_equal(fc_net_loss_and_grads(net, x, y, n, cw, mask, 0, NULL, &lm, NULL), FC_OK);
        kink_pattern(net, n, below);
        v[i] = keep;
        num[i] = (lp - lm) / (2 * FD_EPS);
        kink[i] = memcmp(above, below, sizeof(int32_t) * plen) != 0;
        if (!kink[i])
            top = fmax(top, fabs(num[i]));
    }
    double tol = REL_TOL * top + ABS_TOL;
    for (int64_t i = 0; i < size; i++) {
        if (kink[i]) {
            t->kinks++;
            continue;
        }
        t->checked++;
        if (fabs(num[i] - ana[i]) > tol)
            fail_msg("%s: %s element %lld: numeric %.6g, analytic %.6g (tolerance %.2g)", spec, what, (long long)i,
                     num[i], (double)ana[i], tol);
    }
    free(below);
    free(above);
    free(num);
    free(kink);
}

/* Central differences of the loss against the analytic gradients of every parameter and of the input, element by
 * element and tensor by tensor; at most a tenth of the elements may be skipped as kinks. */
static void grad_check_net(const char *spec, fc_net *net, int c, int h, int w, int classes, int n)
{
    int64_t xs = (int64_t)n * c * h * w;
    float *x = malloc(sizeof(float) * (size_t)xs), *dx = malloc(sizeof(float) * (size_t)xs);
    int32_t *y = malloc(sizeof(int32_t) * (size_t)n);
    float cw[8] = {1.0f, 2.0f, 0.5f, 1.5f, 1.0f, 1.0f, 1.0f, 1.0f};
    random_batch(11, x, xs, y, n, classes);
    const uint64_t mask = 99;
    assert_int_equal(fc_net_loss_and_grads(net, x, y, n, cw, mask, 1, dx, NULL, NULL), FC_OK);
    fd_tally t = {0, 0};
    for (int li = 0; li < fc_net_layer_count(net); li++) {
        float *p[4], *g[4];
        int64_t ps[4], gs[4];
        fc_net_layer_params(net, li, p, ps);
        int ng = fc_net_layer_grads(net, li, g, gs);
        for (int k = 0; k < ng; k++) {
            float *ana = malloc(sizeof(float) * (size_t)ps[k]);
            memcpy(ana, g[k], sizeof(float) * (size_t)ps[k]); /* the differences below overwrite the gradients */
            char what[64];
            snprintf(what, sizeof what, "layer %d parameter %d", li, k);
            check_tensor(spec, what, net, p[k], ana, ps[k], x, y, n, cw, mask, &t);
            free(ana);
        }
    }
    check_tensor(spec, "input gradient", net, x, dx, xs, x, y, n, cw, mask, &t);
    fprintf(stderr, "%s: %lld checked, %lld kinks\n", spec, (long long)t.checked, (long long)t.kinks);
    if (t.kinks * 10 > t.checked + t.kinks)
        fail_msg("%s: %lld of %lld elements sat on a kink: the check proves too little", spec, (long long)t.kinks,
                 (long long)(t.checked + t.kinks));
    free(x);
    free(dx);
    free(y);
    fc_net_destroy(net);
}

static void grad_check(const char *spec, int c, int h, int w, int classes, int n, int threads)
{
    grad_check_net(spec, make(spec, c, h, w, classes, n, threads, 7), c, h, w, classes, n);
}

/* Several scales: towers of their own weights on their own channels, the head on their features side by side
 * (gradients of every tower's parameters and of the whole input). */
static void test_gradients_towers(void **state)
{
    (void)state;
    fc_net_config cfg = {.spec = "conv3-pool-flatten-dense4-dense",
                         .in_c = 2,
                         .in_h = 8,
                         .in_w = 8,
                         .classes = 3,
                         .max_batch = 3,
                         .threads = 2,
                         .seed = 7,
                         .nscales = 2,
                         .scale = {1, 4}};
    fc_net *net = make_from(&cfg);
    assert_int_equal(fc_net_layer_count(net), 8); /* 3 per tower and the head's 2 */
    fc_layer_info info;
    fc_net_layer_info(net, 3, &info);
    assert_string_equal(info.name, "conv2d_x4");
    assert_int_equal(info.tower, 1);
    assert_int_equal(info.in_c, 1);
    fc_net_layer_info(net, 6, &info);
    assert_int_equal(info.in_c, 2 * 3 * 3 * 3); /* both towers' 3 x 3 x 3 features */
    grad_check_net(cfg.spec, net, 2, 8, 8, 3, 3);
    cfg.in_c = 6; /* three scales of two channels, a gap ending the towers, batch norm inside them */
    cfg.in_h = cfg.in_w = 6;
    cfg.nscales = 3;
    cfg.scale[2] = 8;
    cfg.spec = "conv2-batchnorm-gap-dropout0.3-dense";
    grad_check_net(cfg.spec, make_from(&cfg), 6, 6, 6, 3, 3);
    /* A head needs something to end the towers with. */
    cfg.spec = "conv2-conv2";
    fc_net *none = NULL;
    fc_error err;
    assert_int_equal(fc_net_create(&none, &cfg, &err), FC_ERR_ARGUMENT);
}

static void test_gradients_conv_pool_dense(void **state)
{
    (void)state;
    grad_check("conv3-pool-flatten-dense", 2, 8, 8, 3, 3, 1);
    grad_check("conv4k3s2psame-avgpool2-flatten-dense5-dense", 2, 9, 9, 4, 3, 2);
    grad_check("conv3k1-conv2k3-pool3s2-flatten-dense", 1, 9, 9, 2, 2, 1);
}

/* How many conv layers of a network take the pooled backward. */
static int pooled_layers(const char *spec, int c, int h, int w, int classes, int batch)
{
    fc_net *net = make(spec, c, h, w, classes, batch, 2, 7);
    int count = 0;
    for (int li = 0; li < fc_net_layer_count(net); li++) {
        fc_layer_info info;
        fc_net_layer_info(net, li, &info);
        count += info.pooled_backward;
    }
    fc_net_destroy(net);
    return count;
}

/* A ReLU conv feeding a max pool, with patch rows of 16 floats or more (k * channels), takes the pooled backward
 * (nn_conv_pooled.c): at the input layer and deeper, with stride and padding, overlapping windows, two threads.
 * Each network is asserted to take that path; on a CPU without it the dense path is checked and the case is
 * reported as skipped. */
static void test_gradients_pooled_conv(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        int c, h, w, classes, n, threads, pooled;
    } nets[] = {{"conv4-pool-flatten-dense", 6, 8, 8, 3, 3, 2, 1},
                {"conv6-conv5-pool-flatten-dense", 2, 10, 10, 3, 3, 2, 1},
                {"conv8-conv4k3s2psame-pool-flatten-dense", 1, 11, 11, 3, 2, 1, 1},
                {"conv6-conv4k5-pool3s2-flatten-dense", 1, 13, 13, 2, 3, 2, 1},
                {"conv6k3s2psame-conv7-pool-conv5-pool-flatten-dense", 2, 24, 24, 4, 3, 2, 2}};
    int available = fc_net_pooled_backward_available();
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
        int pooled = pooled_layers(nets[i].spec, nets[i].c, nets[i].h, nets[i].w, nets[i].classes, nets[i].n);
        if (pooled != (available ? nets[i].pooled : 0))
            fail_msg("%s: %d conv layers take the pooled backward, expected %d", nets[i].spec, pooled,
                     available ? nets[i].pooled : 0);
        grad_check(nets[i].spec, nets[i].c, nets[i].h, nets[i].w, nets[i].classes, nets[i].n, nets[i].threads);
    }
    if (!available)
        skip(); /* no AVX2 + FMA: the dense path was checked, the pooled one cannot run here */
}

/* A net for the pooled-against-dense comparison, with the loss gradients of one batch computed (dx: the input's). */
static fc_net *grads_of(const char *spec, int c, int h, int w, int n, int dense, float *dx)
{
    fc_net_config cfg = {.spec = spec,
                         .in_c = c,
                         .in_h = h,
                         .in_w = w,
                         .classes = 5,
                         .max_batch = n,
                         .threads = 2,
                         .seed = 3,
                         .gemm_backward = dense};
    fc_net *net = make_from(&cfg);
    int64_t xs = (int64_t)n * c * h * w;
    float *x = malloc(sizeof(float) * (size_t)xs);
    int32_t y[8];
    assert_true(n <= 8);
    random_batch(5, x, xs, y, n, 5);
    assert_int_equal(fc_net_loss_and_grads(net, x, y, n, NULL, 17, 1, dx, NULL, NULL), FC_OK);
    free(x);
    return net;
}

/* ||a - b|| / (||a|| + ||b||) of one tensor. */
static double rel_err(const float *a, const float *b, int64_t n)
{
    double d = 0, na = 0, nb = 0;
    for (int64_t i = 0; i < n; i++) {
        d += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        na += (double)a[i] * a[i];
        nb += (double)b[i] * b[i];
    }
    return sqrt(d) / (sqrt(na) + sqrt(nb) + 1e-30);
}

/* The pooled backward gives the dense GEMMs' gradients, up to summation order, tensor by tensor, on the reference
 * network and on one with multi-channel input, stride, padding and overlapping windows; and it is the path that
 * ran for every ReLU conv before a max pool whose patch rows fill a vector (never silently the dense one). */
static void test_pooled_backward_matches_dense(void **state)
{
    (void)state;
    if (!fc_net_pooled_backward_available())
        skip(); /* no AVX2 + FMA: every conv takes the dense GEMMs (listed by name as a skip) */
    const struct {
        const char *spec;
        int c, h, w, n;
        int pooled_layers;
    } nets[] = {{REFERENCE, 1, 64, 64, 5, 2}, {"conv8k3s2psame-pool-conv12k5-pool3s2-flatten-dense", 6, 29, 29, 4, 2}};
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
        int64_t xs = (int64_t)nets[i].n * nets[i].c * nets[i].h * nets[i].w;
        float *dxp = malloc(sizeof(float) * (size_t)xs), *dxd = malloc(sizeof(float) * (size_t)xs);
        fc_net *p = grads_of(nets[i].spec, nets[i].c, nets[i].h, nets[i].w, nets[i].n, 0, dxp);
        fc_net *d = grads_of(nets[i].spec, nets[i].c, nets[i].h, nets[i].w, nets[i].n, 1, dxd);
        int pooled = 0;
        for (int li = 0; li < fc_net_layer_count(p); li++) {
            fc_layer_info ip, id;
            fc_net_layer_info(p, li, &ip);
            fc_net_layer_info(d, li, &id);
            assert_int_equal(id.pooled_backward, 0);
            pooled += ip.pooled_backward;
            float *gp[4], *gd[4];
            int64_t sp[4], sd[4];
            int ng = fc_net_layer_grads(p, li, gp, sp);
            assert_int_equal(fc_net_layer_grads(d, li, gd, sd), ng);
            for (int k = 0; k < ng; k++) {
                assert_int_equal(sp[k], sd[k]);
                double e = rel_err(gp[k], gd[k], sp[k]);
                if (e > 1e-5)
                    fail_msg("%s: layer %d (%s) tensor %d: pooled and dense gradients differ: relative error %g",
                             nets[i].spec, li, ip.name, k, e);
            }
        }
        if (pooled != nets[i].pooled_layers)
            fail_msg("%s: %d conv layers took the pooled backward, expected %d", nets[i].spec, pooled,
                     nets[i].pooled_layers);
        double e = rel_err(dxp, dxd, xs);
        if (e > 1e-5)
            fail_msg("%s: input gradient: pooled and dense differ: relative error %g", nets[i].spec, e);
        fc_net_destroy(p);
        fc_net_destroy(d);
        free(dxp);
        free(dxd);
    }
}

static void test_gradients_batchnorm_dropout_gap(void **state)
{
    (void)state;
    grad_check("conv3-batchnorm-gap-dense", 2, 6, 6, 3, 4, 2);
    grad_check("flatten-dense6-dropout0.4-dense", 1, 4, 4, 3, 4, 1);
    grad_check("flatten-batchnorm-dense4-batchnorm-dense", 1, 3, 3, 2, 5, 2);
}

/* Two classes: horizontal or vertical stripes, with noise and a random phase. */
static void toy_batch(fc_rng *r, float *x, int32_t *y, int n)
{
    for (int s = 0; s < n; s++) {
        int cls = (int)fc_rng_below(r, 2), phase = (int)fc_rng_below(r, 4);
        y[s] = cls;
        for (int i = 0; i < 9; i++)
            for (int j = 0; j < 9; j++) {
                int along = cls ? j : i;
                x[s * 81 + i * 9 + j] = (float)((along + phase) % 4 < 2 ? 1.0 : -1.0) + 0.5f * (float)fc_rng_normal(r);
            }
    }
}

static void test_learns_a_toy_problem(void **state)
{
    (void)state;
    fc_net *net = make("conv4-pool-flatten-dense8-dense", 1, 9, 9, 2, 16, 2, 3);
    fc_optimizer opt = fc_optimizer_default(FC_OPTIMIZER_ADAM);
    opt.lr = 3e-3;
    fc_rng r;
    fc_rng_seed(&r, 5);
    float x[16 * 81];
    int32_t y[16];
    for (int step = 0; step < 300; step++) {
        toy_batch(&r, x, y, 16);
        assert_int_equal(fc_net_train_step(net, &opt, x, y, 16, NULL, NULL, NULL, NULL), FC_OK);
    }
    int right = 0;
    for (int b = 0; b < 20; b++) {
        int c;
        toy_batch(&r, x, y, 16);
        assert_int_equal(fc_net_evaluate(net, x, y, 16, NULL, &c, NULL), FC_OK);
        right += c;
    }
    assert_true(right >= 0.95 * 320);
    fc_net_destroy(net);

    /* SGD with momentum learns it too. */
    net = make("conv4-pool-flatten-dense", 1, 9, 9, 2, 16, 1, 3);
    opt = fc_optimizer_default(FC_OPTIMIZER_SGD);
    for (int step = 0; step < 300; step++) {
        toy_batch(&r, x, y, 16);
        assert_int_equal(fc_net_train_step(net, &opt, x, y, 16, NULL, NULL, NULL, NULL), FC_OK);
    }
    right = 0;
    for (int b = 0; b < 20; b++) {
        int c;
        toy_batch(&r, x, y, 16);
        assert_int_equal(fc_net_evaluate(net, x, y, 16, NULL, &c, NULL), FC_OK);
        right += c;
    }
    assert_true(right >= 0.9 * 320);
    fc_net_destroy(net);
}

static void train_some(fc_net *net, int steps)
{
    fc_optimizer opt = fc_optimizer_default(FC_OPTIMIZER_ADAM);
    fc_rng r;
    fc_rng_seed(&r, 8);
    float x[8 * 81];
    int32_t y[8];
    for (int s = 0; s < steps; s++) {
        toy_batch(&r, x, y, 8);
        assert_int_equal(fc_net_train_step(net, &opt, x, y, 8, NULL, NULL, NULL, NULL), FC_OK);
    }
}

static void test_same_seed_same_weights_and_freezing(void **state)
{
    (void)state;
    const char *spec = "conv4-batchnorm-pool-flatten-dense8-dropout0.3-dense";
    fc_net *a = make(spec, 1, 9, 9, 2, 8, 2, 42), *b = make(spec, 1, 9, 9, 2, 8, 2, 42);
    train_some(a, 20);
    train_some(b, 20);
    for (int li = 0; li < fc_net_layer_count(a); li++) {
        float *pa[4], *pb[4];
        int64_t na[4], nb[4];
        int k = fc_net_layer_params(a, li, pa, na);
        fc_net_layer_params(b, li, pb, nb);
        for (int p = 0; p < k; p++)
            assert_memory_equal(pa[p], pb[p], sizeof(float) * (size_t)na[p]);
    }
    fc_net_destroy(b);
    /* Freeze the conv and the batch norm: they stay put while the rest trains. */
    fc_net_freeze(a, 2);
    float *p[4];
    int64_t n[4];
    fc_net_layer_params(a, 0, p, n);
    float *before = malloc(sizeof(float) * (size_t)n[0]);
    memcpy(before, p[0], sizeof(float) * (size_t)n[0]);
    float *d[4];
    int64_t nd[4];
    fc_net_layer_params(a, 4, d, nd);
    float dense_before = d[0][3];
    train_some(a, 5);
    assert_memory_equal(before, p[0], sizeof(float) * (size_t)n[0]);
    assert_true(d[0][3] != dense_before);
    free(before);
    /* A new head for 3 classes. */
    fc_error err;
    assert_int_equal(fc_net_replace_head(a, 3, &err), FC_OK);
    assert_int_equal(fc_net_get_config(a)->classes, 3);
    float x[81] = {0}, probs[3];
    assert_int_equal(fc_net_predict(a, x, 1, probs, NULL), FC_OK);
    assert_true(fabsf(probs[0] + probs[1] + probs[2] - 1.0f) < 1e-5f);
    fc_net_destroy(a);
}

/* Every call that takes a batch refuses more samples than the network was built for, before touching anything. */
static void test_refuses_batches_over_capacity(void **state)
{
    (void)state;
    enum { CAP = 4, OVER = CAP + 1, PIX = 36 };
    fc_net *net = make("conv4-pool-flatten-dense", 1, 6, 6, 3, CAP, 2, 3);
    float x[OVER * PIX], probs[OVER * 3], dx[OVER * PIX];
    int32_t y[OVER];
    random_batch(8, x, OVER * PIX, y, OVER, 3);
    for (int i = 0; i < OVER * 3; i++)
        probs[i] = -1.0f;
    float *w[4];
    int64_t len[4];
    fc_net_layer_params(net, 0, w, len);
    float w0 = w[0][0];
    fc_optimizer opt = fc_optimizer_default(FC_OPTIMIZER_ADAM);
    fc_error err;
    double loss = -1.0;
    int correct = -1;

    assert_int_equal(fc_net_predict(net, x, OVER, probs, &err), FC_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "5 samples"));
    assert_non_null(strstr(err.message, "max_batch"));
    assert_true(probs[0] == -1.0f);
    assert_int_equal(fc_net_predict(net, x, -1, probs, &err), FC_ERR_ARGUMENT);
    assert_int_equal(fc_net_evaluate(net, x, y, OVER, &loss, &correct, &err), FC_ERR_ARGUMENT);
    assert_int_equal(fc_net_evaluate(net, x, y, 0, &loss, &correct, &err), FC_ERR_ARGUMENT);
    assert_true(loss == -1.0 && correct == -1);
    assert_int_equal(fc_net_loss_and_grads(net, x, y, OVER, NULL, 1, 1, dx, &loss, &err), FC_ERR_ARGUMENT);
    assert_int_equal(fc_net_train_step(net, &opt, x, y, OVER, NULL, &loss, &correct, &err), FC_ERR_ARGUMENT);
    assert_int_equal(fc_net_train_step_shard(net, &opt, x, y, OVER, NULL, NULL, 0, 2 * OVER, &loss, &correct, &err),
                     FC_ERR_ARGUMENT);
    /* Rows that are not within the batch. */
    assert_int_equal(fc_net_train_step_shard(net, &opt, x, y, 2, NULL, NULL, 3, 4, &loss, &correct, &err),
                     FC_ERR_ARGUMENT);
    assert_true(loss == -1.0 && correct == -1);
    assert_int_equal(fc_net_steps(net), 0);
    assert_true(w[0][0] == w0);

    /* A full batch is taken. */
    assert_int_equal(fc_net_predict(net, x, CAP, probs, &err), FC_OK);
    assert_true(fabsf(probs[0] + probs[1] + probs[2] - 1.0f) < 1e-5f);
    assert_true(probs[CAP * 3] == -1.0f);
    assert_int_equal(fc_net_train_step(net, &opt, x, y, CAP, NULL, &loss, &correct, &err), FC_OK);
    assert_true(loss > 0.0 && correct >= 0 && correct <= CAP);
    assert_int_equal(fc_net_steps(net), 1);
    assert_true(w[0][0] != w0);
    fc_net_destroy(net);
}

/* The step count is read and set through calls, and a reset starts the optimiser afresh. */
static void test_optimizer_steps_and_reset(void **state)
{
    (void)state;
    fc_net *net = make("conv4-pool-flatten-dense", 1, 6, 6, 3, 4, 1, 3);
    float x[4 * 36];
    int32_t y[4];
    random_batch(9, x, 4 * 36, y, 4, 3);
    fc_optimizer opt = fc_optimizer_default(FC_OPTIMIZER_ADAM);
    for (int s = 0; s < 3; s++)
        assert_int_equal(fc_net_train_step(net, &opt, x, y, 4, NULL, NULL, NULL, NULL), FC_OK);
    assert_int_equal(fc_net_steps(net), 3);
    float *m[4], *v[4];
    int64_t n[4];
    assert_int_equal(fc_net_layer_state(net, 0, m, v, n), 2);
    assert_true(m[0][0] != 0.0f && v[0][0] != 0.0f);
    fc_net_set_steps(net, 41);
    assert_int_equal(fc_net_steps(net), 41);
    fc_net_reset_optimizer(net);
    assert_int_equal(fc_net_steps(net), 0);
    for (int li = 0; li < fc_net_layer_count(net); li++) {
        int k = fc_net_layer_state(net, li, m, v, n);
        for (int p = 0; p < k; p++)
            for (int64_t i = 0; i < n[p]; i++)
                assert_true(m[p][i] == 0.0f && v[p][i] == 0.0f);
    }
    fc_net_destroy(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_summary_matches_keras),
        cmocka_unit_test(test_bad_specs),
        cmocka_unit_test(test_hand_worked_forward),
        cmocka_unit_test(test_gradients_conv_pool_dense),
        cmocka_unit_test(test_gradients_towers),
        cmocka_unit_test(test_gradients_pooled_conv),
        cmocka_unit_test(test_pooled_backward_matches_dense),
        cmocka_unit_test(test_gradients_batchnorm_dropout_gap),
        cmocka_unit_test(test_learns_a_toy_problem),
        cmocka_unit_test(test_same_seed_same_weights_and_freezing),
        cmocka_unit_test(test_refuses_batches_over_capacity),
        cmocka_unit_test(test_optimizer_steps_and_reset),
    };
    return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
