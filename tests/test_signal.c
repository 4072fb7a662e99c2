/* Resampling traces between sample intervals: analytic band-limited signals, the anti-alias cut, the map back to
 * the input's samples, and the interval comparison; the Hilbert transform's envelope and cos-phase. */
#include "testutil.h"

#include <math.h>

#include "facies/facies.h"

/* Two tones well inside every band used below (the 4 ms Nyquist is 125 Hz, its taper starts at 106 Hz). */
static double tones(double t_ms)
{
    double t = t_ms * 1e-3;
    return sin(2.0 * M_PI * 20.0 * t + 0.3) + 0.5 * cos(2.0 * M_PI * 45.0 * t - 1.1);
}

static fc_resampler *make(int n, double din, double dout)
{
    fc_resampler *r = NULL;
    fc_error err;
    fc_error_clear(&err);
    if (fc_resampler_create(&r, n, din, dout, &err))
        fail_msg("resampler: %s", err.message);
    return r;
}

/* Largest |error| against the analytic tones, over output samples [from, to). */
static double max_error(const float *y, double dout, int from, int to)
{
    double e = 0.0;
    for (int j = from; j < to; j++)
        e = fmax(e, fabs(y[j] - tones(j * dout)));
    return e;
}

/* Inside the trace the only error is what the periodic extension leaks: its blend has a continuous value and slope,
 * so the leak falls as 1/f^3 and a tenth of a second from the ends is measured at 3e-5 of the amplitude 1.5 (float
 * rounding alone is 1e-7); nearest the ends, where the blend's curvature jump sits, at up to 1.4e-2 (4 -> 2 ms).
 * The bounds leave a few times that; a wrong scale, a shifted grid or no band limit misses them by far. */
#define TOL_INTERIOR 2e-4
#define TOL_ENDS 3e-2

static void check_ratio(double din, double dout)
{
    int n = (int)lround(600.0 / din) + 1; /* 0 .. 600 ms */
    float *x = malloc(sizeof(float) * (size_t)n);
    for (int i = 0; i < n; i++)
        x[i] = (float)tones(i * din);
    fc_resampler *r = make(n, din, dout);
    int m = fc_resampler_length(r);
    assert_int_equal(m, (int)floor((n - 1) * din / dout + 1e-9) + 1);
    float *y = malloc(sizeof(float) * (size_t)m);
    fc_resampler_apply(r, x, y);
    int edge = (int)lround(100.0 / dout);
    double inner = max_error(y, dout, edge, m - edge), all = max_error(y, dout, 0, m);
    print_message("%g ms -> %g ms: %d -> %d samples, max error %.2e inside, %.2e with the ends\n", din, dout, n, m,
                  inner, all);
    assert_true(inner < TOL_INTERIOR);
    assert_true(all < TOL_ENDS);
    fc_resampler_destroy(r);
    free(x);
    free(y);
}

static void test_2_to_4_ms(void **state)
{
    (void)state;
    check_ratio(2.0, 4.0);
}

static void test_4_to_2_ms(void **state)
{
    (void)state;
    check_ratio(4.0, 2.0);
}

static void test_3_to_4_ms(void **state)
{
    (void)state;
    check_ratio(3.0, 4.0);
    check_ratio(4.0, 3.0);
}

/* RMS of a tone after 2 ms -> 4 ms, away from the ends. */
static double tone_rms_after_decimation(double f_hz)
{
    int n = 501;
    float x[501], y[501];
    for (int i = 0; i < n; i++)
        x[i] = (float)sin(2.0 * M_PI * f_hz * i * 2e-3 + 0.7);
    fc_resampler *r = make(n, 2.0, 4.0);
    int m = fc_resampler_length(r);
    fc_resampler_apply(r, x, y);
    fc_resampler_destroy(r);
    double s = 0.0;
    int count = 0;
    for (int j = 25; j < m - 25; j++, count++)
        s += (double)y[j] * y[j];
    return sqrt(s / count);
}

/* 200 Hz sampled at 2 ms is a clean tone; taken every other sample it would alias to 50 Hz at full strength (RMS
 * 0.707). The low-pass must remove it, and leave a tone inside the new band alone. Measured: 1.2e-4 left of the
 * 200 Hz tone (a hard cut at the new Nyquist, without the cosine taper, leaves 3.9e-3: the bound tells them apart). */
static void test_decimation_suppresses_tone_above_new_nyquist(void **state)
{
    (void)state;
    double above = tone_rms_after_decimation(200.0), inside = tone_rms_after_decimation(60.0);
    print_message("2 ms -> 4 ms: RMS of a 200 Hz tone %.2e, of a 60 Hz tone %.4f\n", above, inside);
    assert_true(above < 1e-3);
    assert_true(fabs(inside - sqrt(0.5)) < 0.01);
}

/* Input sample k at k dt_in lands between output samples lo and lo + 1 at fraction w. */
static void test_positions(void **state)
{
    (void)state;
    fc_resampler *r = make(10, 3.0, 4.0); /* 0..27 ms in; 0, 4, .., 24 ms out: 7 samples */
    assert_int_equal(fc_resampler_length(r), 7);
    int lo;
    float w;
    fc_resampler_position(r, 0, &lo, &w);
    assert_int_equal(lo, 0);
    assert_float_equal(w, 0.0f, 1e-7);
    fc_resampler_position(r, 1, &lo, &w); /* 3 ms */
    assert_int_equal(lo, 0);
    assert_float_equal(w, 0.75f, 1e-6);
    fc_resampler_position(r, 7, &lo, &w); /* 21 ms */
    assert_int_equal(lo, 5);
    assert_float_equal(w, 0.25f, 1e-6);
    fc_resampler_position(r, 9, &lo, &w); /* 27 ms: past the last output sample, clamped */
    assert_int_equal(lo, 6);
    assert_float_equal(w, 0.0f, 1e-7);
    fc_resampler_destroy(r);
}

static void test_intervals_match_and_bad_arguments(void **state)
{
    (void)state;
    assert_true(fc_sample_intervals_match(4.0, 4.0 * (1 + 1e-8)));
    assert_false(fc_sample_intervals_match(4.0, 2.0));
    assert_false(fc_sample_intervals_match(4.0, 4.001));
    assert_true(fc_sample_intervals_match(0.0, 2.0)); /* unknown: a file from before intervals were recorded */
    fc_resampler *r = NULL;
    fc_error err;
    fc_error_clear(&err);
    assert_int_equal(fc_resampler_create(&r, 1, 2.0, 4.0, &err), FC_ERR_ARGUMENT);
    assert_int_equal(fc_resampler_create(&r, 100, 0.0, 4.0, &err), FC_ERR_ARGUMENT);
    assert_null(r);
    fc_resampler_destroy(NULL);
}

/* The analytic signal of an amplitude-modulated carrier whose frequencies all sit on the transform's bins:
 * x = a(t) cos(w t + p) with a = 1 + 0.5 cos(2 pi 3 k / n) and the carrier on bin 40 has spectral lines at bins
 * 37, 40 and 43 only, so H[x] = a sin(w t + p) exactly: the envelope is a and cos-phase is cos(w t + p), up to
 * float rounding. An odd length and a trace with zeros check the edge cases. */
static void test_hilbert_envelope_and_phase(void **state)
{
    (void)state;
    static const int lengths[] = {256, 255};
    for (int li = 0; li < 2; li++) {
        int n = lengths[li];
        float *x = malloc(sizeof(float) * (size_t)n), *env = malloc(sizeof(float) * (size_t)n);
        float *cph = malloc(sizeof(float) * (size_t)n);
        assert_non_null(x);
        assert_non_null(env);
        assert_non_null(cph);
        fc_analytic *a = NULL;
        fc_error err;
        assert_int_equal(fc_analytic_create(&a, n, &err), FC_OK);
        double worst_env = 0, worst_phase = 0;
        for (int k = 0; k < n; k++) {
            double am = 1.0 + 0.5 * cos(2 * M_PI * 3 * k / n), ph = 2 * M_PI * 40 * k / n + 0.7;
            x[k] = (float)(am * cos(ph));
        }
        fc_analytic_apply(a, x, env, cph);
        for (int k = 0; k < n; k++) {
            double am = 1.0 + 0.5 * cos(2 * M_PI * 3 * k / n), ph = 2 * M_PI * 40 * k / n + 0.7;
            worst_env = fmax(worst_env, fabs(env[k] - am));
            worst_phase = fmax(worst_phase, fabs(cph[k] - cos(ph)));
        }
        if (worst_env > 1e-5 || worst_phase > 1e-5)
            fail_msg("n %d: envelope off by %g, cos-phase by %g", n, worst_env, worst_phase);
        /* Silence: envelope 0 and cos-phase 0 (not NaN); either output may be NULL. */
        for (int k = 0; k < n; k++)
            x[k] = 0.0f;
        fc_analytic_apply(a, x, NULL, cph);
        fc_analytic_apply(a, x, env, NULL);
        for (int k = 0; k < n; k++)
            assert_true(env[k] == 0.0f && cph[k] == 0.0f);
        fc_analytic_destroy(a);
        free(x);
        free(env);
        free(cph);
    }
}

/* The low-pass of --scales at factor 4 on a 60-trace x 200-sample section: a slow wave (0.02 cycles per sample,
 * well below the 0.125 cut) along time and traces passes within 2%, a fast one (0.4) is gone (< 1% left), and a
 * constant section stays constant up to its edges (reflection, unit gain). */
static void test_lowpass_of_scales(void **state)
{
    (void)state;
    enum { W = 60, N = 200 };
    fc_lowpass *lp = NULL;
    fc_error err;
    assert_int_equal(fc_lowpass_create(&lp, W, N, 4, &err), FC_OK);
    static float in[W * N], out[W * N];
    double worst_slow = 0.0, worst_fast = 0.0, worst_flat = 0.0;
    for (int pass = 0; pass < 3; pass++) {
        double f = pass == 0 ? 0.02 : 0.4;
        for (int t = 0; t < W; t++)
            for (int k = 0; k < N; k++)
                in[t * N + k] = pass == 2 ? 3.0f : (float)(cos(2 * M_PI * f * k) * cos(2 * M_PI * f * t));
        fc_lowpass_apply(lp, in, out);
        for (int t = 0; t < W; t++)
            for (int k = 0; k < N; k++) {
                double e = fabs(out[t * N + k] - (pass == 1 ? 0.0 : in[t * N + k]));
                int inner = t >= 20 && t < W - 20 && k >= 20 && k < N - 20; /* the waves reflect imperfectly */
                if (pass == 0 && inner)
                    worst_slow = fmax(worst_slow, e);
                if (pass == 1 && inner)
                    worst_fast = fmax(worst_fast, e);
                if (pass == 2)
                    worst_flat = fmax(worst_flat, e);
            }
    }
    assert_true(worst_slow < 0.02);
    assert_true(worst_fast < 0.01);
    assert_true(worst_flat < 1e-5);
    fc_lowpass_destroy(lp);
    assert_int_equal(fc_lowpass_create(&lp, W, N, 1, &err), FC_ERR_ARGUMENT);
    fc_lowpass_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2_to_4_ms),
        cmocka_unit_test(test_4_to_2_ms),
        cmocka_unit_test(test_3_to_4_ms),
        cmocka_unit_test(test_decimation_suppresses_tone_above_new_nyquist),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_intervals_match_and_bad_arguments),
        cmocka_unit_test(test_hilbert_envelope_and_phase),
        cmocka_unit_test(test_lowpass_of_scales),
    };
    return cmocka_run_group_tests_name("signal", tests, NULL, NULL);
}
