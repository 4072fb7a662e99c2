/* Survey coordinates (public API only): the grid fit of synthetic surveys whose X/Y are known exactly, the
 * inverse that places points on the nearest trace, and surveys without coordinates. */
#include <math.h>

#include "facies/facies.h"
#include "testutil.h"

/* A synth survey with this azimuth and bin, opened. */
static fc_survey *synth_open(const char *name, int inlines, int crosslines, double az, double bx, double by,
                             fc_synth_options *used)
{
    char dir[4096], path[4200];
    test_path(dir, sizeof dir, name);
    fc_synth_options o = fc_synth_options_default();
    o.inlines = inlines;
    o.crosslines = crosslines;
    o.samples = 40;
    o.azimuth_deg = az;
    o.bin_x = bx;
    o.bin_y = by;
    fc_error err;
    if (fc_synth_write(dir, &o, NULL, &err))
        fail_msg("synth: %s", err.message);
    snprintf(path, sizeof path, "%s/survey.sgy", dir);
    fc_survey *s = NULL;
    if (fc_survey_open(&s, path, NULL, &err))
        fail_msg("open: %s", err.message);
    *used = o;
    return s;
}

static void test_axis_aligned(void **state)
{
    (void)state;
    fc_synth_options o;
    fc_survey *s = synth_open("aligned", 5, 7, 90.0, 25.0, 25.0, &o);
    const fc_coords *c = NULL;
    fc_error err;
    assert_int_equal(fc_survey_coords(s, &c, &err), FC_OK);
    assert_true(c->present);
    assert_int_equal(c->x_byte, 181);
    assert_int_equal(c->from_source, 0);
    assert_int_equal(c->traces, 35);
    assert_true(fabs(c->inline_spacing - 25.0) < 1e-9 && fabs(c->crossline_spacing - 25.0) < 1e-9);
    assert_true(fabs(c->azimuth_deg - 90.0) < 1e-9);
    assert_true(c->max_misfit < 1e-9);
    assert_int_equal(c->ncorners, 4);
    assert_int_equal(c->corners[2].inline_number, 1004);
    assert_int_equal(c->corners[2].crossline_number, 2006);
    assert_true(fabs(c->corners[2].x - 600150.0) < 1e-6 && fabs(c->corners[2].y - 6000100.0) < 1e-6);
    /* The same pointer on a second call: fitted once. */
    const fc_coords *again = NULL;
    assert_int_equal(fc_survey_coords(s, &again, &err), FC_OK);
    assert_ptr_equal(c, again);
    fc_survey_close(s);
}

/* Every trace of a rotated grid with rectangular bins: the fit reproduces synth's X/Y, and the nearest cell of a
 * point within 0.45 bin of a trace is that trace, while 0.55 bin beyond the edge is off the grid. */
static void test_rotated(void **state)
{
    (void)state;
    fc_synth_options o;
    fc_survey *s = synth_open("rotated", 9, 13, 37.5, 12.5, 30.0, &o);
    const fc_coords *c = NULL;
    fc_error err;
    assert_int_equal(fc_survey_coords(s, &c, &err), FC_OK);
    assert_true(fabs(c->azimuth_deg - 37.5) < 0.01); /* cm rounding over 150 m: 0.002 deg */
    assert_true(fabs(c->crossline_spacing - 12.5) < 0.005 && fabs(c->inline_spacing - 30.0) < 0.005);
    assert_true(c->max_misfit < 0.01); /* centimetre rounding of the headers */
    for (int i = 0; i < o.inlines; i++)
        for (int j = 0; j < o.crosslines; j++) {
            double x, y, fx, fy;
            fc_synth_xy(&o, i, j, &x, &y);
            fc_coords_to_xy(c, i, j, &fx, &fy);
            assert_true(hypot(x - fx, y - fy) < 0.01);
            int ni = -1, nj = -1;
            fc_coords_to_xy(c, i + 0.45 * (i % 2 ? 1 : -1), j - 0.45, &x, &y);
            assert_int_equal(fc_coords_nearest(s, c, x, y, &ni, &nj), 0);
            assert_int_equal(ni, i);
            assert_int_equal(nj, j);
        }
    /* Fractional grid positions: the inverse of the fit. */
    double x, y, fi, fj;
    fc_coords_to_xy(c, 3.45, 7.55, &x, &y);
    fc_coords_to_grid(c, x, y, &fi, &fj);
    assert_true(fabs(fi - 3.45) < 1e-9 && fabs(fj - 7.55) < 1e-9);
    int ni, nj;
    assert_int_equal(fc_coords_nearest(s, c, x, y, &ni, &nj), 0);
    assert_int_equal(ni, 3);
    assert_int_equal(nj, 8);
    fc_coords_to_xy(c, 0.0, -0.45, &x, &y);
    assert_int_equal(fc_coords_nearest(s, c, x, y, &ni, &nj), 0);
    assert_int_equal(nj, 0);
    fc_coords_to_xy(c, 0.0, -0.55, &x, &y);
    assert_int_equal(fc_coords_nearest(s, c, x, y, &ni, &nj), -1);
    fc_coords_to_xy(c, o.inlines - 0.45, 2.0, &x, &y);
    assert_int_equal(fc_coords_nearest(s, c, x, y, &ni, &nj), -1);
    fc_survey_close(s);
}

/* One inline: the line's direction and spacing; points off the line count in bins of its spacing. */
static void test_one_line(void **state)
{
    (void)state;
    fc_synth_options o;
    fc_survey *s = synth_open("oneline", 1, 10, 120.0, 20.0, 25.0, &o);
    const fc_coords *c = NULL;
    fc_error err;
    assert_int_equal(fc_survey_coords(s, &c, &err), FC_OK);
    assert_int_equal(c->ncorners, 2);
    assert_true(fabs(c->azimuth_deg - 120.0) < 0.01 && fabs(c->crossline_spacing - 20.0) < 0.005);
    assert_true(c->inline_spacing == 0.0);
    double x, y;
    fc_synth_xy(&o, 0, 4, &x, &y);
    int ni, nj;
    assert_int_equal(fc_coords_nearest(s, c, x + 5.0, y, &ni, &nj), 0); /* 5 m off: a quarter bin */
    assert_int_equal(nj, 4);
    double a = 30.0 * 3.14159265358979323846 / 180.0; /* a right angle to the line (azimuth 30) */
    assert_int_equal(fc_coords_nearest(s, c, x + 15.0 * sin(a), y + 15.0 * cos(a), &ni, &nj), -1);
    fc_survey_close(s);
}

/* The bytes named: synth's source X/Y are zero, so the survey has no coordinates; one byte alone is refused. */
static void test_named_bytes(void **state)
{
    (void)state;
    fc_synth_options o;
    fc_survey *s = synth_open("bytes", 3, 3, 90.0, 25.0, 25.0, &o);
    const char *path = fc_survey_get_info(s)->path;
    char copy[4200];
    snprintf(copy, sizeof copy, "%s", path);
    fc_survey_close(s);
    fc_survey_options so = fc_survey_options_default();
    so.x_byte = 73;
    so.y_byte = 77;
    fc_error err;
    assert_int_equal(fc_survey_open(&s, copy, &so, &err), FC_OK);
    const fc_coords *c = NULL;
    assert_int_equal(fc_survey_coords(s, &c, &err), FC_OK);
    assert_false(c->present);
    fc_survey_close(s);
    so.y_byte = 0;
    assert_int_equal(fc_survey_open(&s, copy, &so, &err), FC_ERR_ARGUMENT);
    assert_contains(err.message, "--x-byte and --y-byte go together");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axis_aligned),
        cmocka_unit_test(test_rotated),
        cmocka_unit_test(test_one_line),
        cmocka_unit_test(test_named_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
