/* Dense evaluation of multi-scale networks (ingest --scales) equals patch-by-patch classification of the patches
 * the cutter takes, edges included: both methods, sizes that are not multiples of the factors or of the tiles, FFT
 * block and tile seams, 2 threads. */
#include "testutil.h"

#include <math.h>

#include "facies/facies.h"

/* A network of `scales` with seeded weights, non-zero biases (tower 0 alone carries the head's bias: a tower that
 * added it too would be off) and batch norm statistics. */
static fc_net *make_net(const char *spec, int nch, const fc_scales *sc, int ph, int pw, int classes)
{
    fc_net_config cfg = {.spec = spec,
                         .in_c = nch * sc->n,
                         .in_h = ph,
                         .in_w = pw,
                         .classes = classes,
                         .max_batch = 1,
                         .threads = 1,
                         .seed = 3,
                         .nscales = sc->n};
    memcpy(cfg.scale, sc->factor, sizeof(int) * (size_t)sc->n);
    fc_net *net = NULL;
    fc_error err;
    if (fc_net_create(&net, &cfg, &err))
        fail_msg("%s", err.message);
    for (int li = 0; li < fc_net_layer_count(net); li++) {
        float *p[4];
        int64_t n[4];
        int np = fc_net_layer_params(net, li, p, n);
        for (int64_t k = 0; np == 2 && k < n[1]; k++)
            p[1][k] = 0.05f * (float)((k + li) % 7) - 0.1f;
        for (int64_t k = 0; np == 4 && k < n[0]; k++) {
            p[0][k] = 1.0f + 0.1f * (float)k;
            p[1][k] = 0.05f * (float)k;
            p[2][k] = 0.2f;
            p[3][k] = 0.5f + 0.1f * (float)k;
        }
    }
    return net;
}

/* Dense probabilities of every sample of a width x ns section against the patch pass at every position within
 * `edge` of the section's sides and at random ones. */
static void check_method(const char *spec, int nch, const char *scales, int ph, int pw, int width, int ns,
                         const fc_sweep_options *opt, double tol, const char *must_use)
{
    enum { K = 4 };
    fc_scales sc;
    assert_int_equal(fc_scales_parse(scales, &sc, NULL), FC_OK);
    fc_net *net = make_net(spec, nch, &sc, ph, pw, K);
    size_t plane = (size_t)width * ns;
    float *planes = test_normal_floats(plane * (size_t)nch * (size_t)sc.n, 17);
    fc_error err;
    fc_sweep *d = NULL;
    if (fc_sweep_create(&d, net, opt, &err))
        fail_msg("%s", err.message);
    assert_true(fc_sweep_exact(d));
    int factor[FC_NET_MAX_SCALES];
    assert_int_equal(fc_sweep_scales(d, factor), sc.n);
    assert_int_equal(factor[sc.n - 1], sc.factor[sc.n - 1]);
    int sr, scol;
    fc_sweep_span(d, &sr, &scol);
    float *din = malloc(sizeof(float) * fc_patch_pad_floats(nch, &sc, width, ns, sr, scol));
    const float *in[FC_MAX_SCALES];
    fc_patch_pad_scales(planes, nch, &sc, width, ns, ph, pw, sr, scol, din, in);
    float *out = malloc(sizeof(float) * K * plane);
    if (fc_sweep_run_scales(d, in, ns, width, out, &err))
        fail_msg("%s", err.message);
    if (must_use && !strstr(fc_sweep_describe(d), must_use))
        fail_msg("%s: expected %s among the kernels: %s", spec, must_use, fc_sweep_describe(d));
    float *patch = malloc(sizeof(float) * (size_t)nch * sc.n * ph * pw), probs[K];
    fc_rng r;
    fc_rng_seed(&r, 5);
    double worst = 0.0;
    int checked = 0;
    for (int s = 0; s < 400; s++) {
        int k = (int)fc_rng_below(&r, (uint64_t)ns), t = (int)fc_rng_below(&r, (uint64_t)width);
        if (s < 100) /* the first and last rows and columns, where the coarse patches reflect most */
            k = s % 4 == 0 ? s / 4 % ns : s % 4 == 1 ? ns - 1 - s / 4 % ns : k;
        if (s < 100 && s % 4 >= 2)
            t = s % 4 == 2 ? s / 4 % width : width - 1 - s / 4 % width;
        assert_int_equal(fc_patch_cut_scales(planes, nch, &sc, width, ns, NULL, t, k, ph, pw, patch), 0);
        assert_int_equal(fc_net_predict(net, patch, 1, probs, NULL), FC_OK);
        for (int c = 0; c < K; c++)
            worst = fmax(worst, fabs(probs[c] - out[((size_t)c * ns + k) * width + t]));
        checked++;
    }
    if (worst > tol)
        fail_msg("%s at scales %s (%s): dense and patch-by-patch differ by %g", spec, scales, fc_sweep_describe(d),
                 worst);
    assert_int_equal(checked, 400);
    free(patch);
    free(out);
    free(din);
    free(planes);
    fc_sweep_destroy(d);
    fc_net_destroy(net);
}

static void check(const char *spec, int nch, const char *scales, int ph, int pw, int width, int ns)
{
    fc_sweep_options direct = {.threads = 2, .method = FC_SWEEP_DIRECT};
    check_method(spec, nch, scales, ph, pw, width, ns, &direct, 2e-5, "direct");
    fc_sweep_options fast = {.threads = 2, .method = FC_SWEEP_FAST, .force_fast = 1};
    check_method(spec, nch, scales, ph, pw, width, ns, &fast, 1e-4, "winograd");
}

static void test_two_scales(void **state)
{
    (void)state;
    /* A factor of 3 on a section of 37 x 41 (neither a multiple of 3): sub-grids of 13 and 12 phases' outputs; the
     * coarse patch (3 x 17 = 51 samples) is wider than the section, so it reflects on both sides. */
    check("conv4-pool-conv8-pool-flatten-dense8-dense", 1, "1,3", 17, 17, 37, 41);
}

static void test_three_scales_other_layers(void **state)
{
    (void)state;
    /* Two channels, a non-square patch, batch norm and average pooling in the towers, a dropout before the head. */
    check("conv6k5-avgpool3s2-conv8-batchnorm-pool-flatten-dropout0.5-dense12-dense", 2, "1,2,4", 31, 23, 45, 52);
    /* A global average pool ends the towers; the head is the output layer alone. */
    check("conv4-conv6-gap-dense", 1, "1,5", 9, 11, 23, 30);
}

/* The reference network's structure at --scales 1,4 across FFT block seams (blocks of 8: seams every 24 outputs of
 * the fine tower and of each sub-grid) and tile seams (72), on a section whose sub-grids are not whole tiles. */
static void test_reference_across_seams(void **state)
{
    (void)state;
    if (getenv("FACIES_VALGRIND"))
        skip(); /* the smaller networks above take the same paths under valgrind */
    const char *ref = "conv8-pool-conv8-pool-conv16-pool-flatten-dense16-dropout0.5-dense";
    fc_sweep_options fast = {.threads = 2, .method = FC_SWEEP_FAST, .force_fast = 1, .fft_size = 8, .tile = 72};
    check_method(ref, 1, "1,4", 65, 65, 150, 97, &fast, 1e-4, "fft 8x8");
    fc_sweep_options direct = {.threads = 2, .method = FC_SWEEP_DIRECT};
    check_method(ref, 1, "1,4", 65, 65, 150, 97, &direct, 2e-5, "direct");
}

/* A network of several scales refuses the one-input entry point rather than run the fine tower alone. */
static void test_one_input_refused(void **state)
{
    (void)state;
    fc_scales sc;
    assert_int_equal(fc_scales_parse("1,2", &sc, NULL), FC_OK);
    fc_net *net = make_net("conv4-pool-flatten-dense", 1, &sc, 9, 9, 3);
    fc_sweep *d = NULL;
    fc_error err;
    assert_int_equal(fc_sweep_create(&d, net, NULL, &err), FC_OK);
    float in[20 * 20] = {0}, out[3 * 12 * 12];
    assert_int_equal(fc_sweep_run(d, in, 20, 20, out, &err), FC_ERR_ARGUMENT);
    fc_sweep_destroy(d);
    fc_net_destroy(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_scales),
        cmocka_unit_test(test_three_scales_other_layers),
        cmocka_unit_test(test_reference_across_seams),
        cmocka_unit_test(test_one_input_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
