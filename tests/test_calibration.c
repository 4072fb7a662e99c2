/* Ensemble disagreement, temperature scaling and calibration scores: hand-worked cases, a temperature recovered
 * from synthetic logits, the output layer scaled by 1/T giving softmax(logits / T), and the temperature kept in
 * model.h5. */
#include "testutil.h"

#include <math.h>

#include "facies/facies.h"

static void test_entropy_and_mutual_information(void **state)
{
    (void)state;
    const float uniform[4] = {0.25f, 0.25f, 0.25f, 0.25f}, onehot[4] = {0, 1, 0, 0};
    assert_true(fabs(fc_entropy(uniform, 4, 1) - log(4.0)) < 1e-6);
    assert_true(fabs(fc_entropy(onehot, 4, 1)) < 1e-12);
    /* strided: classes 3 apart */
    const float strided[6] = {0.5f, 9, 9, 0.5f, 9, 9};
    assert_true(fabs(fc_entropy(strided, 2, 3) - log(2.0)) < 1e-6);
    /* Members that agree: none, however uncertain each is. */
    const float agree[4] = {0.5f, 0.5f, 0.5f, 0.5f}, same[4] = {1, 0, 1, 0};
    assert_true(fabs(fc_mutual_information(agree, 2, 2)) < 1e-7);
    assert_true(fabs(fc_mutual_information(same, 2, 2)) < 1e-7);
    /* Two sure members that contradict each other: log 2, the most two members can disagree. */
    const float opposite[4] = {1, 0, 0, 1};
    assert_true(fabs(fc_mutual_information(opposite, 2, 2) - log(2.0)) < 1e-6);
    /* (0.9, 0.1) and (0.1, 0.9): mean (0.5, 0.5), entropy log 2 = 0.693147; each member 0.325083; MI 0.368064. */
    const float soft[4] = {0.9f, 0.1f, 0.1f, 0.9f};
    assert_true(fabs(fc_mutual_information(soft, 2, 2) - 0.368064) < 1e-5);
    /* Three members, three classes: one-hot on different classes: log 3. */
    const float three[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    assert_true(fabs(fc_mutual_information(three, 3, 3) - log(3.0)) < 1e-6);
}

static void test_temperature_nll_hand(void **state)
{
    (void)state;
    /* logits (0, log 3), label 1: p = 3/4, NLL log(4/3); at T = 2: logits/2 = (0, log sqrt 3), p = sqrt3/(1+sqrt3). */
    const float z[2] = {0.0f, (float)log(3.0)};
    const int32_t y[1] = {1};
    assert_true(fabs(fc_temperature_nll(z, y, 1, 2, 1.0) - log(4.0 / 3.0)) < 1e-6);
    double p = sqrt(3.0) / (1.0 + sqrt(3.0));
    assert_true(fabs(fc_temperature_nll(z, y, 1, 2, 2.0) + log(p)) < 1e-6);
    assert_true(fabs(fc_temperature_fit(z, y, 0, 2) - 1.0) < 1e-12); /* nothing to fit */
}

/* Labels drawn from softmax(z / t0) of random logits: the fit finds t0 again. */
static void recover(double t0)
{
    enum { N = 40000, K = 5 };
    float *z = malloc(sizeof(float) * N * K);
    int32_t *y = malloc(sizeof(int32_t) * N);
    assert_non_null(z);
    assert_non_null(y);
    fc_rng r;
    fc_rng_seed(&r, 7);
    for (int i = 0; i < N; i++) {
        double p[K], s = 0.0;
        for (int c = 0; c < K; c++) {
            z[i * K + c] = (float)(3.0 * fc_rng_normal(&r));
            p[c] = exp(z[i * K + c] / t0);
            s += p[c];
        }
        double u = fc_rng_uniform(&r) * s;
        int c = 0;
        while (c < K - 1 && (u -= p[c]) > 0.0)
            c++;
        y[i] = c;
    }
    double t = fc_temperature_fit(z, y, N, K);
    assert_true(fabs(t / t0 - 1.0) < 0.05);
    /* a minimum: a little either side is worse */
    double f = fc_temperature_nll(z, y, N, K, t);
    assert_true(f <= fc_temperature_nll(z, y, N, K, t * 1.1));
    assert_true(f <= fc_temperature_nll(z, y, N, K, t / 1.1));
    free(z);
    free(y);
}

static void test_temperature_recovered(void **state)
{
    (void)state;
    recover(2.0);
    recover(0.5);
    recover(1.0);
}

static void test_calibration_scores_hand(void **state)
{
    (void)state;
    fc_calibration c;
    memset(&c, 0, sizeof c);
    /* (0.8, 0.2) label 0: right at 0.8; (0.6, 0.4) label 1: wrong at 0.6; (0.3, 0.7) label 1: right at 0.7. */
    const float a[2] = {0.8f, 0.2f}, b[2] = {0.6f, 0.4f}, d[2] = {0.3f, 0.7f};
    fc_calibration_add(&c, a, 2, 1, 0);
    fc_calibration_add(&c, b, 2, 1, 1);
    fc_calibration_add(&c, d, 2, 1, 1);
    fc_calibration_finish(&c);
    assert_int_equal(c.n, 3);
    /* bins of width 1/15: 0.8 -> 12, 0.6 -> 9, 0.7 -> 10 */
    assert_int_equal(c.bin_count[12], 1);
    assert_int_equal(c.bin_count[9], 1);
    assert_int_equal(c.bin_count[10], 1);
    assert_true(isnan(c.bin_accuracy[0]));
    assert_true(fabs(c.bin_accuracy[9]) < 1e-12 && fabs(c.bin_accuracy[12] - 1.0) < 1e-12);
    /* ECE (|1 - 0.8| + |0 - 0.6| + |1 - 0.7|) / 3; Brier (0.08 + 0.72 + 0.18) / 3; NLL -(ln 0.8 + ln 0.4 + ln 0.7)/3 */
    assert_true(fabs(c.ece - 1.1 / 3.0) < 1e-6);
    assert_true(fabs(c.brier - 0.98 / 3.0) < 1e-6);
    assert_true(fabs(c.nll + (log(0.8) + log(0.4) + log(0.7)) / 3.0) < 1e-6);
    /* Two samples sharing a bin: its confidence and accuracy are their means; a probability of 1 is in the top bin;
     * a zero probability of the label costs -log 1e-12. */
    memset(&c, 0, sizeof c);
    const float e[3] = {0.0f, 0.0f, 1.0f}, f[3] = {1.0f, 0.0f, 0.0f};
    fc_calibration_add(&c, e, 3, 1, 2);
    fc_calibration_add(&c, f, 3, 1, 2);
    fc_calibration_finish(&c);
    assert_int_equal(c.bin_count[14], 2);
    assert_true(fabs(c.bin_accuracy[14] - 0.5) < 1e-12 && fabs(c.bin_confidence[14] - 1.0) < 1e-12);
    assert_true(fabs(c.ece - 0.5) < 1e-12);
    assert_true(fabs(c.brier - 1.0) < 1e-12);
    assert_true(fabs(c.nll + 0.5 * log(1e-12)) < 1e-9);
}

/* Scaling the output layer by 1/T gives softmax(logits / T): p_T proportional to p^(1/T). */
static void test_output_layer_scaled(void **state)
{
    (void)state;
    fc_net_config cfg = {.spec = "conv4-pool-flatten-dense8-dropout0.3-dense",
                         .in_c = 1,
                         .in_h = 8,
                         .in_w = 8,
                         .classes = 3,
                         .max_batch = 4,
                         .threads = 1,
                         .seed = 3};
    fc_net *net = NULL;
    fc_error err;
    assert_int_equal(fc_net_create(&net, &cfg, &err), FC_OK);
    float x[4 * 64], p[12], q[12];
    fc_rng r;
    fc_rng_seed(&r, 5);
    for (int i = 0; i < 4 * 64; i++)
        x[i] = (float)fc_rng_normal(&r);
    assert_int_equal(fc_net_predict(net, x, 4, p, NULL), FC_OK);
    const double t = 2.5;
    assert_int_equal(fc_model_set_temperature(net, t, &err), FC_OK);
    assert_int_equal(fc_net_predict(net, x, 4, q, NULL), FC_OK);
    for (int n = 0; n < 4; n++) {
        double s = 0.0;
        for (int c = 0; c < 3; c++)
            s += pow(p[n * 3 + c], 1.0 / t);
        for (int c = 0; c < 3; c++)
            assert_true(fabs(q[n * 3 + c] - pow(p[n * 3 + c], 1.0 / t) / s) < 1e-5);
    }
    assert_int_equal(fc_model_set_temperature(net, 0.0, &err), FC_ERR_ARGUMENT);
    fc_net_destroy(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entropy_and_mutual_information),
        cmocka_unit_test(test_temperature_nll_hand),
        cmocka_unit_test(test_temperature_recovered),
        cmocka_unit_test(test_calibration_scores_hand),
        cmocka_unit_test(test_output_layer_scaled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
