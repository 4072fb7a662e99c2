/* Pictures: round ticks, section sizes that keep the section's shape, the history legend off the data, the
 * picture names a reused folder is cleaned of (internal API, plot_util.h and plot_section.h). */
#include "testutil.h"

#include <math.h>

#include "plot_map.h"
#include "facies/train.h"
#include "facies/plot.h"
#include "plot_section.h"
#include "plot_util.h"

static void expect_ticks(double lo, double hi, const double *want, int n)
{
    double got[64];
    assert_int_equal(fc_plot_ticks(lo, hi, 8, got, 64), n);
    for (int i = 0; i < n; i++)
        assert_true(fabs(got[i] - want[i]) < 1e-9);
}

static void test_round_ticks(void **state)
{
    (void)state;
    const double ms[] = {0, 100, 200, 300, 400, 500, 600};
    expect_ticks(0, 636, ms, 7);
    const double lines[] = {1000, 1005, 1010, 1015, 1020, 1025, 1030, 1035, 1040, 1045};
    expect_ticks(1000, 1047, lines, 10);
    const double f3[] = {300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200};
    expect_ticks(300, 1250, f3, 10);
    const double neg[] = {-20, -15, -10, -5, 0, 5, 10, 15};
    expect_ticks(-24, 16, neg, 8);
    /* Ticks sit on traces that carry a round number ... */
    int32_t num[48];
    for (int t = 0; t < 48; t++)
        num[t] = 1000 + t;
    double idx[64];
    int n = fc_section_x_ticks(num, 48, 8, idx, 64);
    assert_int_equal(n, 10);
    for (int i = 0; i < n; i++)
        assert_int_equal(num[(int)idx[i]], 1000 + 5 * i);
    /* ... or, for odd numbers stepping by 2, every round step from the first. */
    for (int t = 0; t < 30; t++)
        num[t] = 101 + 2 * t;
    n = fc_section_x_ticks(num, 30, 8, idx, 64);
    assert_int_equal(n, 6);
    for (int i = 0; i < n; i++)
        assert_int_equal(num[(int)idx[i]], 101 + 10 * i);
}

static void test_section_keeps_its_shape(void **state)
{
    (void)state;
    double pw, ph;
    fc_section_size(16, 160, &pw, &ph); /* 16 traces: not stretched over 500 pixels */
    assert_true(pw <= 16 * 6.0 && pw < 200);
    assert_true(fabs(pw / 16 - ph / 160) < 1e-9);
    fc_section_size(951, 462, &pw, &ph); /* F3 inline: wide, within the limits, same scale both ways */
    assert_true(pw <= 1600 && ph <= 1000 && pw > 1000);
    assert_true(fabs(pw / 951 - ph / 462) < 1e-9);
    fc_section_size(20000, 3000, &pw, &ph); /* huge: shrunk, never past the limits */
    assert_true(pw <= 20000 * 0.25 + 1e-9 && ph <= 1000);
    fc_section_size(3, 4, &pw, &ph); /* tiny: stretched to be readable, at most 6 pixels a trace */
    assert_true(pw == 18 && ph == 24);
}

static void test_section_title_inside(void **state)
{
    (void)state;
    double w, x;
    fc_section_canvas(1600, 300, &w, &x); /* a wide section: title over the data */
    assert_true(w == 80 + 1600 + 230 && x == 80 + 800);
    fc_section_canvas(262, 420, &w, &x); /* a 2-D line of 225 traces, its long title moved in from the left edge */
    assert_true(x - 210 >= 8 && x + 210 <= w - 8);
    fc_section_canvas(160, 900, &w, &x); /* a title wider than the picture widens it */
    assert_true(w >= 916 && x - 450 >= 8 && x + 450 <= w - 8);
}

static void test_history_legend_off_the_data(void **state)
{
    (void)state;
    fc_plot_rect a, b, l;
    int w, h;
    fc_plot_history_layout(&a, &b, &l, &w, &h);
    assert_false(fc_plot_rects_overlap(&l, &a));
    assert_false(fc_plot_rects_overlap(&l, &b));
    assert_true(l.x >= 0 && l.y >= 0 && l.x + l.w <= w && l.y + l.h <= h);
    assert_true(l.y > a.y + a.h + 40); /* below the axis titles too */
}

/* A map keeps the grid's shape (cells as long as their spacings) at every size, small ones enlarged; its scale
 * bar is a round length near a quarter of the map. */
static void test_map_keeps_its_shape(void **state)
{
    (void)state;
    static const int grids[][2] = {{12, 16}, {3, 4}, {480, 960}, {2000, 100}, {50, 50}};
    for (size_t g = 0; g < sizeof grids / sizeof grids[0]; g++) {
        double pw, ph;
        int ni = grids[g][0], nx = grids[g][1];
        fc_map_size(ni, nx, 25.0, 12.5, &pw, &ph);
        assert_true(fabs(pw / ph - (nx * 12.5) / (ni * 25.0)) < 1e-9);
        assert_true(pw <= 900.0 + 1e-9 && ph <= 700.0 + 1e-9);
        assert_true(pw >= 240.0 - 1e-9 || ph >= 700.0 - 1e-9);
    }
    double pw, ph;
    fc_map_size(1, 951, 0.0, 0.0, &pw, &ph); /* one line: still a visible band */
    assert_true(ph >= 24.0 && pw <= 900.0 + 1e-9);
    assert_true(fc_map_scale_length(375.0) == 100.0);
    assert_true(fc_map_scale_length(2400.0) == 500.0);
    assert_true(fc_map_scale_length(10000.0) == 2000.0);
    assert_true(fc_map_scale_length(40.0) == 10.0);
}

/* Pixels of the history picture: which series colour a pixel shows (antialiased edges and grid lines are neither). */
enum { PX_OTHER, PX_TRAINING, PX_VALIDATION, PX_BEST };

static int pixel_series(cairo_surface_t *s, int x, int y)
{
    const unsigned char *d = cairo_image_surface_get_data(s);
    uint32_t v = *(const uint32_t *)(d + (size_t)y * cairo_image_surface_get_stride(s) + 4 * (size_t)x);
    int r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
    if (b > 150 && r < 80)
        return PX_TRAINING; /* blue */
    if (r > 200 && g > 90 && g < 170 && b < 80)
        return PX_VALIDATION; /* orange */
    if (g > r + 30 && g > b + 30)
        return PX_BEST; /* green */
    return PX_OTHER;
}

/* Along row y from x0 to x1: how many pixels show the series, and whether it breaks off (a dash gap) in between. */
static int count_run(cairo_surface_t *s, int y, int x0, int x1, int series, int *gaps)
{
    int n = 0, first = -1, last = -1;
    for (int x = x0; x <= x1; x++)
        if (pixel_series(s, x, y) == series) {
            n++;
            first = first < 0 ? x : first;
            last = x;
        }
    *gaps = 0;
    for (int x = first; first >= 0 && x <= last; x++)
        *gaps += pixel_series(s, x, y) != series;
    return n;
}

/* The row of the loss panel where the series runs longest between x0 and x1 (a flat curve): its pixel count and
 * gaps. */
static int flat_curve(cairo_surface_t *s, const fc_plot_rect *p, int x0, int x1, int series, int *gaps)
{
    int best = 0;
    *gaps = 0;
    for (int y = (int)p->y + 2; y < (int)(p->y + p->h) - 2; y++) {
        int g, n = count_run(s, y, x0, x1, series, &g);
        if (n > best) {
            best = n;
            *gaps = g;
        }
    }
    return best;
}

/* The curves and the legend's samples are drawn alike: training solid, validation dashed, the best epoch dotted, each
 * in its own colour (the legend once showed solid samples for dashed and dotted curves). */
static void test_history_legend_matches_curves(void **state)
{
    (void)state;
    fc_history h = {0};
    for (int e = 0; e < 5; e++) /* flat curves: horizontal lines whose dashes can be counted */
        assert_int_equal(fc_history_push(&h, 2.0, 0.5, 1.0, 0.4, 1.0, NULL), FC_OK);
    char path[4096];
    test_path(path, sizeof path, "history.png");
    fc_error err;
    assert_int_equal(fc_plot_history(path, &h, 3, "test", &err), FC_OK);
    fc_history_free(&h);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(s);
    fc_plot_rect loss, acc, leg;
    int w, hh;
    fc_plot_history_layout(&loss, &acc, &leg, &w, &hh);
    /* Between the markers of epochs 1 and 2. */
    double step = loss.w / 5;
    int x0 = (int)(loss.x + step * 1.0 - step / 2 + 8), x1 = (int)(loss.x + step * 2.0 - step / 2 - 8);
    int gaps;
    assert_true(flat_curve(s, &loss, x0, x1, PX_TRAINING, &gaps) > (x1 - x0) * 9 / 10);
    assert_int_equal(gaps, 0); /* solid */
    assert_true(flat_curve(s, &loss, x0, x1, PX_VALIDATION, &gaps) > (x1 - x0) / 3);
    assert_true(gaps >= 3); /* dashed */
    int expect_gaps[3] = {0, 1, 1};
    for (int i = 0; i < 3; i++) {
        double a, b, y;
        fc_plot_history_legend_sample(i, 1, &a, &b, &y);
        int best = 0, g = 0;
        for (int row = (int)y - 2; row <= (int)y + 1; row++) {
            int gg, n = count_run(s, row, (int)a, (int)b, PX_TRAINING + i, &gg);
            if (n > best) {
                best = n;
                g = gg;
            }
        }
        assert_true(best >= 10);                 /* the sample is drawn in its series' colour ... */
        assert_int_equal(g > 0, expect_gaps[i]); /* ... and broken where the curve is */
    }
    /* The legend sits below the panels: none of its samples' pixels lie in them. */
    double a, b, y;
    fc_plot_history_legend_sample(2, 1, &a, &b, &y);
    assert_true(y > loss.y + loss.h && b < w);
    cairo_surface_destroy(s);
}

static void test_picture_names(void **state)
{
    (void)state;
    assert_true(fc_section_picture_name("inline_1003.png"));
    assert_true(fc_section_picture_name("crossline_-4.png"));
    assert_true(fc_section_picture_name("line_0.png"));
    assert_true(fc_section_picture_name("north_cdp_1-2400.png"));
    assert_false(fc_section_picture_name("inline_1003.png.bak"));
    assert_false(fc_section_picture_name("inline_.png"));
    assert_false(fc_section_picture_name("inline_12a.png"));
    assert_false(fc_section_picture_name("map.png"));
    assert_false(fc_section_picture_name("my_cdp_notes.png"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_ticks),
        cmocka_unit_test(test_section_keeps_its_shape),
        cmocka_unit_test(test_section_title_inside),
        cmocka_unit_test(test_history_legend_off_the_data),
        cmocka_unit_test(test_picture_names),
        cmocka_unit_test(test_map_keeps_its_shape),
        cmocka_unit_test(test_history_legend_matches_curves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
