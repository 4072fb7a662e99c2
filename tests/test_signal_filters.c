/* Signal processing against closed forms not covered by test_signal.c: the envelope and cos-phase of a linear chirp,
 * the low-pass of --scales along each axis alone and at other factors, resampling at equal intervals and by a
 * large factor, and the batched 2-D FFT (fft2.h): where each bin of each array lands in both layouts, and forward
 * then inverse gives the input back. */
#include "testutil.h"

#include <math.h>

#include "facies/signal.h"
#include "fft2.h"

/* A linear chirp x = A cos(phi(t)), phi = 2 pi (f0 t + (f1 - f0) t^2 / (2 T)) + p0, sweeping 15 -> 60 Hz over 1024
 * samples at 2 ms (Nyquist 250 Hz): its analytic signal is A exp(i phi), up to the leakage of the jump where the
 * transform wraps the trace round, which decays away from the ends. Inside the middle three quarters the envelope is
 * A and the cos-phase cos(phi): measured 6.7e-3 (relative) and 3.5e-3 off at most. Without the Hilbert part (the
 * positive frequencies not doubled) the envelope is |x| and the cos-phase +-1, off by up to A and 1. */
static double chirp_phase(int k, double dt, double T)
{
    double t = k * dt, f0 = 15.0, f1 = 60.0;
    return 2.0 * M_PI * (f0 * t + (f1 - f0) * t * t / (2.0 * T)) + 0.4;
}

static void test_chirp_envelope_and_cos_phase(void **state)
{
    (void)state;
    enum { N = 1024 };
    const double dt = 2e-3, T = (N - 1) * dt, A = 2.5;
    static float x[N], env[N], cph[N];
    for (int k = 0; k < N; k++)
        x[k] = (float)(A * cos(chirp_phase(k, dt, T)));
    fc_analytic *a = NULL;
    fc_error err;
    assert_int_equal(fc_analytic_create(&a, N, &err), FC_OK);
    fc_analytic_apply(a, x, env, cph);
    double worst_env = 0.0, worst_phase = 0.0;
    for (int k = N / 8; k < N - N / 8; k++) {
        worst_env = fmax(worst_env, fabs(env[k] - A) / A);
        worst_phase = fmax(worst_phase, fabs(cph[k] - cos(chirp_phase(k, dt, T))));
    }
    print_message("chirp 15 -> 60 Hz: envelope off by %.2e (relative), cos-phase by %.2e\n", worst_env, worst_phase);
    assert_true(worst_env < 1e-2);
    assert_true(worst_phase < 1e-2);
    fc_analytic_destroy(a);
}

/* The low-pass at factor K on a section that varies along one axis only: a cosine of frequency f (cycles per sample)
 * along time, or along traces, and constant along the other. Returns the largest |out - gain * cosine| away from the
 * edges along that axis. */
static double lowpass_error(int factor, double f, int along_traces, double gain)
{
    enum { W = 96, N = 160 };
    static float in[W * N], want[W * N];
    for (int t = 0; t < W; t++)
        for (int k = 0; k < N; k++)
            in[t * N + k] = (float)cos(2.0 * M_PI * f * (along_traces ? t : k) + 0.3);
    fc_lowpass *lp = NULL;
    fc_error err;
    assert_int_equal(fc_lowpass_create(&lp, W, N, factor, &err), FC_OK);
    fc_lowpass_apply(lp, in, in); /* in place: out may alias in */
    fc_lowpass_destroy(lp);
    for (int t = 0; t < W; t++)
        for (int k = 0; k < N; k++)
            want[t * N + k] = (float)cos(2.0 * M_PI * f * (along_traces ? t : k) + 0.3);
    int margin = 8 * factor; /* the filter's reach, 4 K taps each side, twice over */
    double worst = 0.0;
    for (int t = along_traces ? margin : 0; t < (along_traces ? W - margin : W); t++)
        for (int k = along_traces ? 0 : margin; k < (along_traces ? N : N - margin); k++)
            worst = fmax(worst, fabs(in[t * N + k] - gain * want[t * N + k]));
    return worst;
}

/* Cut-off 0.5 / K: a cosine at a quarter of it passes within 2%, one at 1.6 times it is gone to within 1%, along
 * either axis, at factors 2 and 5. Measured: passed within 1.0e-3 (K = 2) and 3.2e-3 (K = 5), at most 1.1e-3 left of
 * the cut ones. */
static void test_lowpass_each_axis(void **state)
{
    (void)state;
    static const int factors[] = {2, 5};
    for (int fi = 0; fi < 2; fi++) {
        int K = factors[fi];
        double cut = 0.5 / K;
        for (int axis = 0; axis < 2; axis++) {
            double slow = lowpass_error(K, 0.25 * cut, axis, 1.0), fast = lowpass_error(K, 1.6 * cut, axis, 0.0);
            print_message("factor %d along %s: %.2e off at %.3f, %.2e left at %.3f cycles/sample\n", K,
                          axis ? "traces" : "time", slow, 0.25 * cut, fast, 1.6 * cut);
            assert_true(slow < 0.02);
            assert_true(fast < 0.01);
        }
    }
}

/* Equal intervals: the band-limited series through the samples is sampled where they are, so the output is the
 * input (a slow tone and a chirp). Measured exact. */
static void test_resample_equal_intervals_is_identity(void **state)
{
    (void)state;
    enum { N = 301 };
    float x[N], y[N];
    for (int k = 0; k < N; k++)
        x[k] = (float)(sin(0.05 * k + 0.2) + 0.3 * cos(0.002 * k * k));
    fc_resampler *r = NULL;
    fc_error err;
    assert_int_equal(fc_resampler_create(&r, N, 4.0, 4.0, &err), FC_OK);
    assert_int_equal(fc_resampler_length(r), N);
    fc_resampler_apply(r, x, y);
    double worst = 0.0;
    for (int k = 0; k < N; k++)
        worst = fmax(worst, fabs(y[k] - x[k]));
    print_message("4 ms -> 4 ms: off by %.2e\n", worst);
    assert_true(worst < 1e-5);
    fc_resampler_destroy(r);
}

/* 4 ms -> 1 ms (four output samples per input) of sin(2 pi 30 t + 0.5): every output sample against the closed form,
 * the three new ones between each input pair included; the ones on the input grid are the input. Measured 1.7e-5
 * inside 100 ms from the ends, 1.0e-2 with them, exact on the input's samples; linear interpolation would be off by
 * 2.2e-2 inside (1 - cos(pi f dt) at 30 Hz, 4 ms). */
static void test_resample_upsample_by_four(void **state)
{
    (void)state;
    enum { N = 151 }; /* 0 .. 600 ms */
    float x[N], y[4 * N];
    for (int k = 0; k < N; k++)
        x[k] = (float)sin(2.0 * M_PI * 30.0 * k * 4e-3 + 0.5);
    fc_resampler *r = NULL;
    fc_error err;
    assert_int_equal(fc_resampler_create(&r, N, 4.0, 1.0, &err), FC_OK);
    int m = fc_resampler_length(r);
    assert_int_equal(m, 4 * (N - 1) + 1);
    fc_resampler_apply(r, x, y);
    double inner = 0.0, all = 0.0, on_grid = 0.0;
    for (int j = 0; j < m; j++) {
        double e = fabs(y[j] - sin(2.0 * M_PI * 30.0 * j * 1e-3 + 0.5));
        all = fmax(all, e);
        if (j >= 100 && j < m - 100)
            inner = fmax(inner, e);
        if (j % 4 == 0)
            on_grid = fmax(on_grid, fabs(y[j] - x[j / 4]));
    }
    print_message("4 ms -> 1 ms: off by %.2e inside, %.2e with the ends, %.2e on the input's samples\n", inner, all,
                  on_grid);
    assert_true(inner < 2e-4);
    assert_true(all < 3e-2);
    assert_true(on_grid < 1e-5);
    fc_resampler_destroy(r);
}

/* Bin (u, v) of the half spectrum of array a, as (re, im), in the plan's layout. */
static const float *bin_at(const float *spec, int bins, int howmany, fc_fft2_layout layout, int a, int b)
{
    size_t at = layout == FC_FFT2_BY_BIN ? (size_t)b * howmany + a : (size_t)a * bins + b;
    return spec + 2 * at;
}

/* Array a holds cos(2 pi (u_a r / n0 + v_a c / n1)) * (a + 1): its half spectrum is n0 n1 (a + 1) / 2 at bin
 * (u_a, v_a) (v_a inside the half, not 0 or n1/2: the conjugate bin is not stored) and 0 elsewhere; found where
 * the layout says, in either layout. Then the inverse gives n0 n1 times the input back. Shapes even and odd. */
static void check_fft2(int n0, int n1, int howmany, fc_fft2_layout layout)
{
    fc_fft2 *f = NULL;
    fc_error err;
    assert_int_equal(fc_fft2_create(&f, n0, n1, howmany, layout, &err), FC_OK);
    int bins = fc_fft2_bins(f);
    assert_int_equal(bins, n0 * (n1 / 2 + 1));
    size_t nreal = (size_t)howmany * n0 * n1;
    float *x = fc_fft2_alloc(nreal), *back = fc_fft2_alloc(nreal), *spec = fc_fft2_alloc(2 * (size_t)howmany * bins);
    assert_non_null(x);
    assert_non_null(back);
    assert_non_null(spec);
    for (int a = 0; a < howmany; a++) {
        int u = (a + 1) % n0, v = 1 + a % (n1 / 2 - 1 > 0 ? n1 / 2 - 1 : 1);
        for (int r = 0; r < n0; r++)
            for (int c = 0; c < n1; c++)
                x[((size_t)a * n0 + r) * n1 + c] =
                    (float)((a + 1) * cos(2.0 * M_PI * ((double)u * r / n0 + (double)v * c / n1)));
    }
    fc_fft2_forward(f, x, spec);
    double scale = (double)n0 * n1, worst_bin = 0.0;
    for (int a = 0; a < howmany; a++) {
        int u = (a + 1) % n0, v = 1 + a % (n1 / 2 - 1 > 0 ? n1 / 2 - 1 : 1);
        for (int b = 0; b < bins; b++) {
            const float *z = bin_at(spec, bins, howmany, layout, a, b);
            double want = b == u * (n1 / 2 + 1) + v ? scale * (a + 1) / 2.0 : 0.0;
            worst_bin = fmax(worst_bin, fmax(fabs(z[0] - want), fabs(z[1])) / scale);
        }
    }
    fc_fft2_inverse(f, spec, back);
    double worst_back = 0.0;
    for (size_t i = 0; i < nreal; i++)
        worst_back = fmax(worst_back, fabs(back[i] / scale - x[i]));
    if (worst_bin > 1e-5 || worst_back > 1e-5)
        fail_msg("%d arrays of %d x %d, %s: bins off by %g, round trip by %g", howmany, n0, n1,
                 layout == FC_FFT2_BY_BIN ? "by bin" : "by array", worst_bin, worst_back);
    fc_fft2_free(x);
    fc_fft2_free(back);
    fc_fft2_free(spec);
    fc_fft2_destroy(f);
}

static void test_fft2_bins_and_round_trip(void **state)
{
    (void)state;
    for (int l = 0; l < 2; l++) {
        fc_fft2_layout layout = l ? FC_FFT2_BY_BIN : FC_FFT2_BY_ARRAY;
        check_fft2(8, 6, 3, layout);
        check_fft2(7, 9, 4, layout);
        check_fft2(16, 16, 1, layout);
    }
    /* Random arrays: forward then inverse is n0 n1 times the input. */
    enum { H = 5, N0 = 12, N1 = 10 };
    fc_fft2 *f = NULL;
    fc_error err;
    assert_int_equal(fc_fft2_create(&f, N0, N1, H, FC_FFT2_BY_BIN, &err), FC_OK);
    float *x = test_normal_floats(H * N0 * N1, 19), *back = fc_fft2_alloc(H * N0 * N1);
    float *spec = fc_fft2_alloc(2 * (size_t)H * fc_fft2_bins(f)), *in = fc_fft2_alloc(H * N0 * N1);
    assert_non_null(x);
    memcpy(in, x, sizeof(float) * H * N0 * N1);
    fc_fft2_forward(f, in, spec);
    fc_fft2_inverse(f, spec, back);
    for (int i = 0; i < H * N0 * N1; i++) {
        assert_true(in[i] == x[i]); /* the forward transform leaves its input alone */
        assert_float_equal(back[i] / (N0 * N1), x[i], 1e-5);
    }
    free(x);
    fc_fft2_free(back);
    fc_fft2_free(spec);
    fc_fft2_free(in);
    fc_fft2_destroy(f);
    assert_int_equal(fc_fft2_create(&f, 0, 4, 1, FC_FFT2_BY_ARRAY, &err), FC_ERR_ARGUMENT);
    assert_int_equal(fc_fft2_create(&f, 4, 4, 0, FC_FFT2_BY_BIN, &err), FC_ERR_ARGUMENT);
    fc_fft2_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chirp_envelope_and_cos_phase),
        cmocka_unit_test(test_lowpass_each_axis),
        cmocka_unit_test(test_resample_equal_intervals_is_identity),
        cmocka_unit_test(test_resample_upsample_by_four),
        cmocka_unit_test(test_fft2_bins_and_round_trip),
    };
    return cmocka_run_group_tests_name("signal_filters", tests, NULL, NULL);
}
