/* Dense evaluation equals patch-by-patch classification, for every kind of layer, non-square patches and several
 * channels. */
#include "testutil.h"

#include <math.h>

#include "facies/facies.h"

/* A network with seeded weights and batch norm layers given non-trivial statistics. */
static fc_net *make_net(const char *spec, int c, int ph, int pw, int classes)
{
    fc_net_config cfg = {
        .spec = spec, .in_c = c, .in_h = ph, .in_w = pw, .classes = classes, .max_batch = 1, .threads = 1, .seed = 3};
    fc_net *net = NULL;
    fc_error err;
    if (fc_net_create(&net, &cfg, &err))
        fail_msg("%s", err.message);
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
    return net;
}

/* The dense output of a method on an H x W input; describes the kernels into `kernels`. */
static float *run_dense(fc_net *net, const fc_sweep_options *opt, const float *in, int H, int W, int *orows, int *ocols,
                        char *kernels, size_t ksize)
{
    fc_error err;
    fc_sweep *d = NULL;
    assert_int_equal(fc_sweep_create(&d, net, opt, &err), FC_OK);
    assert_true(fc_sweep_exact(d));
    int sr, sc;
    fc_sweep_span(d, &sr, &sc);
    *orows = H - sr + 1;
    *ocols = W - sc + 1;
    int K = fc_net_get_config(net)->classes;
    float *out = malloc(sizeof(float) * (size_t)K * (size_t)*orows * (size_t)*ocols);
    if (fc_sweep_run(d, in, H, W, out, &err))
        fail_msg("%s", err.message);
    snprintf(kernels, ksize, "%s", fc_sweep_describe(d));
    fc_sweep_destroy(d);
    return out;
}

/* Dense probabilities against the patch-by-patch forward pass at the corners, at both sides of every seam (between
 * the FFT blocks of a seam_k x seam_k kernel dilated by seam_dil, and between tiles) and at random positions: within
 * tol, and the same top class wherever the patch pass's top-2 margin exceeds 1e-3. */
static void check_method(const char *spec, int c, int ph, int pw, int H, int W, const fc_sweep_options *opt, double tol,
                         const char *must_use, int seam_k, int seam_dil)
{
    enum { K = 5 };
    fc_net *net = make_net(spec, c, ph, pw, K);
    float *in = test_normal_floats((size_t)c * H * W, 17);
    int orows, ocols;
    char kernels[512];
    float *out = run_dense(net, opt, in, H, W, &orows, &ocols, kernels, sizeof kernels);
    for (const char *m = must_use; m && *m;) { /* ';'-separated parts that the kernels' description must name */
        size_t n = strcspn(m, ";");
        char part[128];
        snprintf(part, sizeof part, "%.*s", (int)n, m);
        if (!strstr(kernels, part))
            fail_msg("%s: expected %s among the kernels: %s", spec, part, kernels);
        m += n + (m[n] == ';');
    }
    int rows = H - ph + 1, cols = W - pw + 1;
    assert_true(rows <= orows && cols <= ocols);
    fc_rng r;
    fc_rng_seed(&r, 5);
    float *patch = malloc(sizeof(float) * (size_t)c * ph * pw), probs[K];
    double worst = 0.0;
    /* Seams: between FFT blocks (every dil (n - k + 1) outputs for a k x k kernel dilated by dil), and tiles. */
    int checked = 0, block = opt->fft_size > 0 ? seam_dil * (opt->fft_size - seam_k + 1) : 0;
    for (int s = 0; s < 160; s++) {
        int y, x, seam = s < 80 ? block : opt->tile;
        if (s < 4) { /* corners */
            y = (s & 1) * (rows - 1);
            x = (s >> 1) * (cols - 1);
        } else if ((s % 80) < 40 && seam > 0) { /* both sides of the seams, along rows and along columns */
            int k = (s % 80 - 4) / 4 + 1, side = (s % 80 - 4) % 2, axis = ((s % 80 - 4) / 2) % 2;
            if (s % 80 < 4)
                continue;
            int at = k * seam - 1 + side;
            y = axis ? (int)fc_rng_below(&r, (uint64_t)rows) : at;
            x = axis ? at : (int)fc_rng_below(&r, (uint64_t)cols);
            if (y >= rows || x >= cols)
                continue;
        } else {
            y = (int)fc_rng_below(&r, (uint64_t)rows);
            x = (int)fc_rng_below(&r, (uint64_t)cols);
        }
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < ph; i++)
                memcpy(patch + ((size_t)ch * ph + i) * pw, in + ((size_t)ch * H + y + i) * W + x,
                       sizeof(float) * (size_t)pw);
        assert_int_equal(fc_net_predict(net, patch, 1, probs, NULL), FC_OK);
        int top = 0, dtop = 0;
        float second = -1.0f;
        for (int k = 0; k < K; k++) {
            float dk = out[((size_t)k * orows + y) * ocols + x];
            worst = fmax(worst, fabs(probs[k] - dk));
            top = probs[k] > probs[top] ? k : top;
            dtop = dk > out[((size_t)dtop * orows + y) * ocols + x] ? k : dtop;
        }
        for (int k = 0; k < K; k++)
            if (k != top && probs[k] > second)
                second = probs[k];
        if (probs[top] - second > 1e-3f && dtop != top)
            fail_msg("%s at (%d, %d): dense class %d, patch class %d", spec, y, x, dtop, top);
        checked++;
    }
    if (worst > tol)
        fail_msg("%s (%s): dense and patch-by-patch differ by %g", spec, kernels, worst);
    assert_true(checked > 90);
    free(in);
    free(out);
    free(patch);
    fc_net_destroy(net);
}

static void check(const char *spec, int c, int ph, int pw, int H, int W, int threads)
{
    fc_sweep_options direct = {.threads = threads, .method = FC_SWEEP_DIRECT};
    check_method(spec, c, ph, pw, H, W, &direct, 2e-5, NULL, 0, 0);
    fc_sweep_options fast = {.threads = threads, .method = FC_SWEEP_FAST, .force_fast = 1};
    check_method(spec, c, ph, pw, H, W, &fast, 1e-4, NULL, 0, 0);
}

static void test_reference_shape(void **state)
{
    (void)state;
    /* The reference network's structure (odd pooled sizes dropped by floor), fewer filters. */
    check("conv8-pool-conv8-pool-conv16-pool-flatten-dense16-dropout0.5-dense", 1, 65, 65, 130, 140, 2);
}

static void test_other_layers(void **state)
{
    (void)state;
    check("conv6k5-avgpool3s2-conv8-batchnorm-pool-flatten-dense12-dense", 2, 31, 23, 80, 70, 2);
    check("conv4s2-conv6-gap-dense", 1, 17, 21, 50, 60, 1);
    check("batchnorm-conv4k1-pool-flatten-dense8-dense8-dense", 3, 9, 11, 40, 30, 2);
    /* Undilated 3 x 3 layers (one phase, fewer than the threads): the threads share the tiles' chunks, on the plain
     * path (one channel in) and the channel-vector path (8 in), over three chunks. */
    check("conv8-conv8-pool-flatten-dense8-dense", 1, 13, 13, 100, 90, 2);
}

/* The fast method across many seams: FFT blocks of 8 give 3 valid rows per phase, seams every 8 x 3 = 24 outputs,
 * and tiles of 72 (three blocks each): a 150 x 161 input (89 x 100 outputs, multiples of neither) has two partly
 * used tiles each way; 2 threads; Winograd on both 3x3 layers with 8 channels in (the channel-vector path) and on the
 * first (one channel in: the plain path). */
static void test_fast_across_seams(void **state)
{
    (void)state;
    fc_sweep_options fast = {.threads = 2, .method = FC_SWEEP_FAST, .force_fast = 1, .fft_size = 8, .tile = 72};
    const char *ref = "conv8-pool-conv8-pool-conv16-pool-flatten-dense16-dropout0.5-dense";
    check_method(ref, 1, 65, 65, 150, 161, &fast, 1e-4, "fft 8x8;8->8 dil 2 winograd;1->8 dil 1 winograd", 6, 8);
    /* Blocks of 16: eleven valid columns per phase, so rows of the eight phases of dilation 8 gather and scatter
     * eight columns at a time through transposes (AVX2), the rest one by one. */
    fc_sweep_options wide = {.threads = 2, .method = FC_SWEEP_FAST, .force_fast = 1, .fft_size = 16};
    check_method(ref, 1, 65, 65, 150, 230, &wide, 1e-4, "fft 16x16", 6, 8);
    /* Batch norm and average pooling; the FFT layer here is a 5 x 3 kernel dilated by 4. */
    fast.fft_size = 9; /* blocks of 5 x 7 phase outputs (5 x 3 kernel): row seams every 20 outputs, tiles of 40 */
    fast.tile = 40;
    check_method("conv6k5-avgpool3s2-conv8-batchnorm-pool-flatten-dense12-dense", 2, 31, 23, 90, 110, &fast, 1e-4,
                 "fft 9x9", 5, 4);
}

/* Channel-last maps between the fast kernels: Winograd writes them for a pool (maximum or average) and reads them
 * after it, and the FFT gathers its blocks from them (eight columns at a time and one by one); the first layer (one
 * channel) stays channel-major. */
static void test_channel_last_maps(void **state)
{
    (void)state;
    fc_sweep_options fast = {.threads = 2, .method = FC_SWEEP_FAST, .force_fast = 1, .fft_size = 12, .tile = 96};
    check_method("conv8-conv8-avgpool-conv16-pool-flatten-dense16-dense", 1, 32, 32, 150, 131, &fast, 1e-4,
                 "8->8 dil 1 winograd;8->16 dil 2 winograd;fft 12x12", 6, 4);
}

/* The phases of a row of the dilated 3 x 3 layer taken band by band (16 rows of Winograd tiles at a time), each band
 * gathered from its own first row: tiles of 240 outputs give that layer's phases 32 rows of tiles, two bands. */
static void test_winograd_bands(void **state)
{
    (void)state;
    fc_sweep_options fast = {.threads = 2, .method = FC_SWEEP_FAST, .force_fast = 1, .tile = 240};
    check_method("conv8-pool-conv8-pool-flatten-dense8-dense", 1, 22, 22, 400, 60, &fast, 1e-4,
                 "8->8 dil 2 winograd;fft", 0, 0);
}

/* The reference network at full width: the fast method's probabilities against the direct method's everywhere (the
 * cost model's choices, not forced ones), on a small section: the suite also runs under valgrind. */
static void test_fast_reference_network(void **state)
{
    (void)state;
    if (getenv("FACIES_VALGRIND"))
        skip(); /* 75 s under valgrind; the smaller networks above take the same code paths there, and ASan runs it */
    const char *spec = "conv32-pool-conv64-pool-conv128-pool-flatten-dense128-dropout0.5-dense";
    fc_net *net = make_net(spec, 1, 64, 64, 6);
    int H = 61 + 24, W = 61 + 20, r1, c1, r2, c2;
    float *in = test_normal_floats((size_t)H * W, 23);
    char k1[512], k2[512];
    fc_sweep_options direct = {.threads = 2, .method = FC_SWEEP_DIRECT}, fast = {.threads = 2};
    float *a = run_dense(net, &direct, in, H, W, &r1, &c1, k1, sizeof k1);
    float *b = run_dense(net, &fast, in, H, W, &r2, &c2, k2, sizeof k2);
    assert_int_equal(r1, r2);
    assert_int_equal(c1, c2);
    if (!strstr(k2, "fft") || !strstr(k2, "64->128 dil 4 winograd"))
        fail_msg("the cost model should take FFT and Winograd for the reference network: %s", k2);
    double worst = 0.0;
    for (size_t i = 0; i < (size_t)6 * r1 * c1; i++)
        worst = fmax(worst, fabs((double)a[i] - b[i]));
    if (worst > 1e-4)
        fail_msg("fast and direct differ by %g (%s)", worst, k2);
    /* The same bits whatever the thread count (the tiles are planned for a fixed count). */
    fast.threads = 1;
    float *c = run_dense(net, &fast, in, H, W, &r2, &c2, k1, sizeof k1);
    assert_memory_equal(b, c, sizeof(float) * (size_t)6 * r1 * c1);
    assert_string_equal(k1, k2);
    free(c);
    free(a);
    free(b);
    free(in);
    fc_net_destroy(net);
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
    fc_sweep *d = NULL;
    assert_int_equal(fc_sweep_create(&d, net, NULL, &err), FC_OK);
    assert_false(fc_sweep_exact(d));
    assert_int_equal(fc_sweep_method_used(d), FC_SWEEP_DIRECT); /* the fast kernels are proven on exact networks */
    fc_sweep_destroy(d);
    fc_net_destroy(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_shape),         cmocka_unit_test(test_other_layers),
        cmocka_unit_test(test_same_padding_is_flagged), cmocka_unit_test(test_fast_across_seams),
        cmocka_unit_test(test_fast_reference_network),  cmocka_unit_test(test_winograd_bands),
        cmocka_unit_test(test_channel_last_maps),
    };
    return cmocka_run_group_tests_name("dense", tests, NULL, NULL);
}
