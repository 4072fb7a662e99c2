/* Dense evaluation equals patch-by-patch classification, for every kind of layer, non-square patches and several
 * channels. */
#include "testutil.h"

#include <math.h>

#include "facies/facies.h"

static void check(const char *spec, int c, int ph, int pw, int H, int W, int threads)
{
    fc_net_config cfg = {
        .spec = spec, .in_c = c, .in_h = ph, .in_w = pw, .classes = 5, .max_batch = 1, .threads = 1, .seed = 3};
    fc_net *net = NULL;
    fc_error err;
    if (fc_net_create(&net, &cfg, &err))
        fail_msg("%s", err.message);
    /* Give batch norm layers non-trivial statistics. */
    for (int li = 0; li < fc_net_layer_count(net); li++) {
        fc_layer_info info;
        fc_net_layer_info(net, li, &info);
        if (info.kind != FC_LAYER_BATCHNORM)
            continue;
        float *p[4];
        int64_t n[4];
        fc_net_layer_params(net, li, p, n);
        for (int64_t k = 0; k < n[0]; k++) {
            p[0][k] = 1.0f + 0.1f * (float)k;
            p[1][k] = 0.05f * (float)k;
            p[2][k] = 0.2f;
            p[3][k] = 0.5f + 0.1f * (float)k;
        }
    }
    fc_rng r;
    fc_rng_seed(&r, 17);
    float *in = malloc(sizeof(float) * (size_t)c * H * W);
    for (long i = 0; i < (long)c * H * W; i++)
        in[i] = (float)fc_rng_normal(&r);
    fc_dense *d = NULL;
    assert_int_equal(fc_dense_create(&d, net, threads, &err), FC_OK);
    assert_true(fc_dense_exact(d));
    int sr, sc;
    fc_dense_span(d, &sr, &sc);
    assert_true(sr <= ph && sc <= pw);
    int orows = H - sr + 1, ocols = W - sc + 1, rows = H - ph + 1, cols = W - pw + 1;
    float *out = malloc(sizeof(float) * 5 * (size_t)orows * (size_t)ocols);
    assert_int_equal(fc_dense_run(d, in, H, W, out, &err), FC_OK);
    float *patch = malloc(sizeof(float) * (size_t)c * ph * pw), probs[5];
    double worst = 0.0;
    for (int s = 0; s < 60; s++) {
        /* Corners and edges first, then random positions. */
        int y = s < 4 ? (s & 1) * (rows - 1) : (int)fc_rng_below(&r, (uint64_t)rows);
        int x = s < 4 ? (s >> 1) * (cols - 1) : (int)fc_rng_below(&r, (uint64_t)cols);
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < ph; i++)
                memcpy(patch + ((size_t)ch * ph + i) * pw, in + ((size_t)ch * H + y + i) * W + x,
                       sizeof(float) * (size_t)pw);
        fc_net_predict(net, patch, 1, probs);
        for (int k = 0; k < 5; k++) {
            double e = fabs(probs[k] - out[((size_t)k * orows + y) * ocols + x]);
            worst = e > worst ? e : worst;
        }
    }
    if (worst > 2e-5)
        fail_msg("%s: dense and patch-by-patch differ by %g", spec, worst);
    free(in);
    free(out);
    free(patch);
    fc_dense_destroy(d);
    fc_net_destroy(net);
}

static void test_reference_shape(void **state)
{
    (void)state;
    /* The reference network's structure (odd pooled sizes dropped by floor), fewer filters. */
    check("conv8-pool-conv8-pool-conv16-pool-flatten-dense16-dropout0.5-dense", 1, 65, 65, 180, 200, 2);
}

static void test_other_layers(void **state)
{
    (void)state;
    check("conv6k5-avgpool3s2-conv8-batchnorm-pool-flatten-dense12-dense", 2, 31, 23, 80, 70, 2);
    check("conv4s2-conv6-gap-dense", 1, 17, 21, 50, 60, 1);
    check("batchnorm-conv4k1-pool-flatten-dense8-dense8-dense", 3, 9, 11, 40, 30, 2);
}

static void test_same_padding_is_flagged(void **state)
{
    (void)state;
    fc_net_config cfg = {.spec = "conv4psame-pool-flatten-dense",
                         .in_c = 1,
                         .in_h = 9,
                         .in_w = 9,
                         .classes = 2,
                         .max_batch = 1,
                         .threads = 1,
                         .seed = 1};
    fc_net *net = NULL;
    fc_error err;
    assert_int_equal(fc_net_create(&net, &cfg, &err), FC_OK);
    fc_dense *d = NULL;
    assert_int_equal(fc_dense_create(&d, net, 1, &err), FC_OK);
    assert_false(fc_dense_exact(d));
    fc_dense_destroy(d);
    fc_net_destroy(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_shape),
        cmocka_unit_test(test_other_layers),
        cmocka_unit_test(test_same_padding_is_flagged),
    };
    return cmocka_run_group_tests_name("dense", tests, NULL, NULL);
}
