/* Synthetic surveys: geometry, labels against picks and horizons, the
 * wavelet's spectrum, the FFT convolution, and determinism. */
#include "testutil.h"

#include <math.h>

#include "facies/facies.h"

static fc_synth_options small(void)
{
    fc_synth_options o = fc_synth_options_default();
    o.inlines = 12;
    o.crosslines = 20;
    o.samples = 64;
    return o;
}

static void make(const char *name, const fc_synth_options *o, char *dir, size_t n, fc_synth_summary *s)
{
    test_path(dir, n, name);
    fc_error err;
    fc_error_clear(&err);
    if (fc_synth_write(dir, o, s, &err))
        fail_msg("synth: %s", err.message);
}

static fc_survey *open_in(const char *dir, const char *file, const fc_survey_options *opt)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    fc_survey *s = NULL;
    fc_error err;
    if (fc_survey_open(&s, path, opt, &err))
        fail_msg("%s", err.message);
    return s;
}

static void test_geometry_and_variants(void **state)
{
    (void)state;
    fc_synth_options o = small();
    o.missing = 0.2;
    o.byte_order = FC_BYTE_ORDER_LITTLE;
    o.format = FC_SAMPLE_FORMAT_INT16;
    o.iline_byte = 9;
    o.xline_byte = 17;
    o.dt_ms = 2.0;
    char dir[4096];
    fc_synth_summary sum;
    make("variant", &o, dir, sizeof dir, &sum);
    fc_survey_options so = fc_survey_options_default();
    so.iline_byte = 9;
    so.xline_byte = 17;
    const char *files[] = {"survey.sgy", "labels.sgy"};
    for (int f = 0; f < 2; f++) {
        fc_survey *s = open_in(dir, files[f], &so);
        const fc_survey_info *in = fc_survey_get_info(s);
        assert_int_equal(in->inline_count, 12);
        assert_int_equal(in->crossline_count, 20);
        assert_int_equal(in->inline_numbers[0], 1000);
        assert_int_equal(in->crossline_numbers[19], 2019);
        assert_int_equal(in->sample_count, 64);
        assert_true(in->sample_interval_ms == 2.0);
        assert_int_equal(in->byte_order, FC_BYTE_ORDER_LITTLE);
        assert_int_equal(in->format, f == 0 ? FC_SAMPLE_FORMAT_INT16 : FC_SAMPLE_FORMAT_INT16);
        assert_int_equal(in->missing_traces, sum.missing_traces);
        assert_int_equal(in->trace_count, sum.traces);
        fc_survey_close(s);
    }
    /* About the asked fraction is missing (240 cells, 20%). */
    assert_true(sum.missing_traces > 24 && sum.missing_traces < 80);
    for (int c = 1; c <= FC_SYNTH_FACIES; c++)
        assert_true(sum.samples_per_facies[c] > 0);
}

/* Facies code at (inline number, crossline number, sample) of labels.sgy, or -1 if missing. */
static int label_at(fc_survey *lab, int il, int xl, int k)
{
    int i = fc_survey_inline_index(lab, il), j = fc_survey_crossline_index(lab, xl);
    int64_t t = fc_survey_trace_at(lab, i, j);
    if (t < 0)
        return -1;
    float tr[1024];
    fc_error err;
    assert_int_equal(fc_survey_read_trace(lab, t, tr, &err), FC_OK);
    return (int)tr[k];
}

static void test_labels_agree_with_picks(void **state)
{
    (void)state;
    fc_synth_options o = small();
    o.missing = 0.1;
    char dir[4096], path[4200];
    fc_synth_summary sum;
    make("picks", &o, dir, sizeof dir, &sum);
    fc_survey *lab = open_in(dir, "labels.sgy", NULL);
    snprintf(path, sizeof path, "%s/picks.csv", dir);
    FILE *f = fopen(path, "r");
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "inline,crossline,time_ms,facies\n");
    int n = 0, il, xl, code;
    double t;
    while (fscanf(f, "%d,%d,%lf,%d", &il, &xl, &t, &code) == 4) {
        int k = (int)lround(t / o.dt_ms);
        assert_int_equal(label_at(lab, il, xl, k), code);
        n++;
    }
    fclose(f);
    assert_int_equal(n, sum.picks);
    assert_true(n > 50);
    fc_survey_close(lab);
}

static void test_labels_agree_with_horizons(void **state)
{
    (void)state;
    fc_synth_options o = small();
    char dir[4096], path[4200];
    make("horizons", &o, dir, sizeof dir, NULL);
    fc_survey *lab = open_in(dir, "labels.sgy", NULL);
    int cells = o.inlines * o.crosslines;
    double *h = malloc(sizeof(double) * 7 * (size_t)cells);
    for (int u = 0; u < 7; u++) {
        snprintf(path, sizeof path, "%s/horizons/H%d.txt", dir, u);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        int il, xl, n = 0;
        double t;
        while (fscanf(f, "%d %d %lf", &il, &xl, &t) == 3) {
            h[u * cells + (il - 1000) * o.crosslines + (xl - 2000)] = t;
            n++;
        }
        fclose(f);
        assert_int_equal(n, cells);
    }
    int unit_facies[6];
    snprintf(path, sizeof path, "%s/horizons/intervals.csv", dir);
    FILE *f = fopen(path, "r");
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    for (int u = 0; u < 6; u++) {
        int top, base;
        assert_int_equal(fscanf(f, "H%d.txt,H%d.txt,%d\n", &top, &base, &unit_facies[u]), 3);
        assert_int_equal(top, u);
        assert_int_equal(base, u + 1);
    }
    fclose(f);
    long agree = 0, body = 0;
    float tr[64];
    fc_error err;
    for (int c = 0; c < cells; c++) {
        for (int u = 0; u < 6; u++) /* horizons never cross */
            assert_true(h[u * cells + c] <= h[(u + 1) * cells + c]);
        assert_int_equal(fc_survey_read_trace(lab, c, tr, &err), FC_OK);
        for (int k = 0; k < o.samples; k++) {
            double t = k * o.dt_ms;
            int u = 0;
            while (u < 5 && t >= h[(u + 1) * cells + c])
                u++;
            int code = (int)tr[k];
            if (code == unit_facies[u])
                agree++;
            else if (code == 5 || code == 6) /* channel and salt bodies cut across the units */
                body++;
            else
                fail_msg("cell %d sample %d: label %d, horizon interval says %d", c, k, code, unit_facies[u]);
        }
    }
    assert_true(agree > 3 * body && body > 0);
    free(h);
    fc_survey_close(lab);
}

static void test_ricker_spectrum_peaks_at_frequency(void **state)
{
    (void)state;
    const int n = 1024;
    const double dt_ms = 2.0;
    float w[1024];
    double spec[513];
    fc_error err;
    for (double f = 15.0; f <= 60.0; f += 15.0) {
        fc_ricker(w, n - 1, f, dt_ms);
        w[n - 1] = 0.0f;
        assert_true(w[(n - 1) / 2] == 1.0f);
        assert_int_equal(fc_amplitude_spectrum(w, n, spec, &err), FC_OK);
        int peak = 0;
        for (int k = 1; k <= n / 2; k++)
            if (spec[k] > spec[peak])
                peak = k;
        double df = 1000.0 / (n * dt_ms);
        assert_true(fabs(peak * df - f) <= df);
    }
}

static void test_fft_convolution_matches_direct(void **state)
{
    (void)state;
    const int n = 50, wn = 9;
    float x[50], w[9], y[50];
    fc_rng r;
    fc_rng_seed(&r, 7);
    for (int i = 0; i < n; i++)
        x[i] = (float)fc_rng_normal(&r);
    for (int j = 0; j < wn; j++)
        w[j] = (float)fc_rng_normal(&r);
    fc_convolver *c = NULL;
    fc_error err;
    assert_int_equal(fc_convolver_create(&c, n, w, wn, &err), FC_OK);
    fc_convolver_apply(c, x, y);
    for (int k = 0; k < n; k++) {
        double d = 0.0;
        for (int j = 0; j < wn; j++) {
            int i = k - j + wn / 2;
            if (i >= 0 && i < n)
                d += (double)x[i] * w[j];
        }
        assert_true(fabs(d - y[k]) < 1e-5);
    }
    fc_convolver_destroy(c);
    assert_int_equal(fc_convolver_create(&c, n, w, 8, &err), FC_ERR_ARGUMENT);
}

static int same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    fc_synth_options o = small();
    char a[4096], b[4096], c[4096];
    make("seed-a", &o, a, sizeof a, NULL);
    make("seed-b", &o, b, sizeof b, NULL);
    o.seed = 2;
    make("seed-c", &o, c, sizeof c, NULL);
    const char *files[] = {"survey.sgy",  "labels.sgy",      "picks.csv",
                           "classes.csv", "horizons/H3.txt", "horizons/intervals.csv"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char pa[4200], pb[4200];
        snprintf(pa, sizeof pa, "%s/%s", a, files[f]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[f]);
        if (!same_file(pa, pb))
            fail_msg("%s differs between two runs with the same seed", files[f]);
    }
    char pa[4200], pc[4200];
    snprintf(pa, sizeof pa, "%s/survey.sgy", a);
    snprintf(pc, sizeof pc, "%s/survey.sgy", c);
    assert_false(same_file(pa, pc));
}

static void test_bad_options(void **state)
{
    (void)state;
    char dir[4096];
    test_path(dir, sizeof dir, "bad");
    fc_error err;
    fc_synth_options o = small();
    o.samples = 8;
    assert_int_equal(fc_synth_write(dir, &o, NULL, &err), FC_ERR_ARGUMENT);
    o = small();
    o.freq_hz = 200.0; /* above Nyquist at 4 ms */
    assert_int_equal(fc_synth_write(dir, &o, NULL, &err), FC_ERR_ARGUMENT);
    assert_contains(err.message, "Nyquist");
    o = small();
    o.iline_byte = 115; /* overlaps the sample count */
    assert_int_equal(fc_synth_write(dir, &o, NULL, &err), FC_ERR_ARGUMENT);
    o = small();
    o.missing = 0.95;
    assert_int_equal(fc_synth_write(dir, &o, NULL, &err), FC_ERR_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry_and_variants),
        cmocka_unit_test(test_labels_agree_with_picks),
        cmocka_unit_test(test_labels_agree_with_horizons),
        cmocka_unit_test(test_ricker_spectrum_peaks_at_frequency),
        cmocka_unit_test(test_fft_convolution_matches_direct),
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests_name("synth", tests, NULL, NULL);
}
