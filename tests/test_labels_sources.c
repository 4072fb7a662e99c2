/* The label loaders on hand-worked files (labels_impl.h, horizon_file.h): picks snapped to samples and their column
 * spellings, a horizon file read onto the grid, horizon intervals (which samples fall between two horizons, at the
 * edges, holes, crossings, overlaps), the horizon files a table names, the seconds-for-milliseconds check and
 * --lines on a 2-D line. */
#include "testutil.h"

#include <math.h>

#include "facies/facies.h"
#include "fixture_segy.h"
#include "horizon_file.h"
#include "labels_impl.h"

/* Inlines 100..102, crosslines 20, 22, 24, 26, 7 samples at 0, 4, .., 24 ms; trace (101, 24) missing. */
static const unsigned char hole[12] = {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0};

static fc_survey *open_fixture(void)
{
    char path[4200];
    test_path(path, sizeof path, "sources.sgy");
    fixture_spec f = fixture_default();
    f.missing = hole;
    assert_int_equal(fixture_write(path, &f), 0);
    fc_survey *s = NULL;
    fc_error err;
    assert_int_equal(fc_survey_open(&s, path, NULL, &err), FC_OK);
    return s;
}

static fc_label_collector *collector(void)
{
    fc_label_collector *c = NULL;
    fc_error err;
    fc_label_filter f = fc_label_filter_default();
    assert_int_equal(fc_label_collector_create(&c, &f, &err), FC_OK);
    return c;
}

/* Load one file of `text` (named `name` in the temporary folder) into a fresh collector; *c keeps it. */
static fc_status load(fc_survey *s, const char *name, const char *text, fc_label_collector **c, fc_error *err)
{
    char path[4200];
    test_path(path, sizeof path, name);
    test_write_text(path, text);
    *c = collector();
    fc_error_clear(err);
    return fc_labels_load(*c, s, path, NULL, err);
}

static void expect_points(fc_label_collector *c, const fc_label_point *want, int64_t n_want)
{
    int64_t n = 0;
    const fc_label_point *p = fc_label_collector_points(c, &n);
    for (int64_t q = 0; q < n && q < n_want; q++)
        if (memcmp(&p[q], &want[q], sizeof *p))
            fail_msg("point %lld: (%d, %d, %d) code %d, expected (%d, %d, %d) code %d", (long long)q, p[q].i, p[q].j,
                     p[q].k, p[q].code, want[q].i, want[q].j, want[q].k, want[q].code);
    assert_int_equal(n, n_want);
}

/* Times snap to the nearest sample (within half a sample of the first and last); spellings of the columns, a
 * semicolon file with decimal commas, extra columns; the pick on the missing trace is counted. */
static void test_picks(void **state)
{
    (void)state;
    fc_survey *s = open_fixture();
    fc_label_collector *c;
    fc_error err;
    assert_int_equal(load(s, "p1.csv",
                          "IL;XL;TWT;Code\n100;20;9,9;3\n100;22;10,1;3\n102;26;25,9;4\n101;20;-1,9;5\n101;24;8;6\n", &c,
                          &err),
                     FC_OK);
    const fc_label_point want1[] = {{0, 0, 2, 3}, {0, 1, 3, 3}, {1, 0, 0, 5}, {2, 3, 6, 4}};
    expect_points(c, want1, 4);
    fc_label_outside out;
    char text[256];
    fc_label_collector_outside(c, &out, 8, text, sizeof text);
    assert_int_equal(out.missing, 1);
    assert_contains(text, "p1.csv row 6");
    fc_label_collector_destroy(c);

    assert_int_equal(
        load(s, "p2.csv", "note,iline,xline,sample,facies_code,comment\na,101,26,6,1,b\nc,100,20,0,2,\n", &c, &err),
        FC_OK);
    const fc_label_point want2[] = {{0, 0, 0, 2}, {1, 3, 6, 1}};
    expect_points(c, want2, 2);
    fc_label_collector_destroy(c);

    /* A single pick at the first sample is a real time, not seconds. */
    assert_int_equal(load(s, "p3.csv", "inline\tcrossline\ttime_ms\tfacies\n102\t20\t0\t1\n", &c, &err), FC_OK);
    fc_label_collector_destroy(c);

    static const struct {
        const char *text, *message;
    } bad[] = {
        {"inline,crossline,time_ms,facies\n100,20,26.1,1\n",
         "row 2: the pick is outside the traces' 0..24 ms (samples 0..6)"},
        {"inline,crossline,time_ms,facies\n100,20,-2.1,1\n", "row 2: the pick is outside"},
        {"inline,crossline,sample,facies\n100,20,1,1\n100,20,7,1\n", "row 3: the pick is outside"},
        {"inline,crossline,time_ms\n100,20,4\n", "row 1 must be a header naming the columns: inline, crossline"},
        {"inline,time_ms,facies\n100,4,1\n", "row 1 must be a header"},
        {"inline,crossline,sample,facies\n100,20,1\n", "row 2 has 3 fields, the header 4"},
        {"inline,crossline,sample,facies\n100,20,1,sand\n", "row 2: facies 'sand' is not a whole number"},
        {"inline,crossline,sample,facies\n100.5,20,1,1\n", "row 2: inline and crossline must be whole numbers"},
        {"inline,crossline,sample,facies\n100,20,1.5,1\n", "row 2: sample is not a whole number"},
        {"inline,crossline,time_ms,facies\n100,20,4 ms,1\n", "row 2: time_ms '4 ms' is not a number"},
        {"inline,crossline,time_ms,facies\n100,20,0.008,1\n100,22,0.012,1\n",
         "all 2 times lie within the first sample interval (0.008..0.012 ms, the survey samples every 4 ms): the "
         "time_ms column is in milliseconds, are these seconds?"},
        {"inline,crossline,time_ms,facies\n100,20,0.02,1\n", "the only time, 0.02 ms, lies within the first sample"},
        {"inline,crossline,sample,facies\n100,28,1,1\n", "row 2: inline 100 crossline 28 is off the survey grid"},
    };
    for (size_t q = 0; q < sizeof bad / sizeof bad[0]; q++) {
        fc_status st = load(s, "bad.csv", bad[q].text, &c, &err);
        if (st == FC_OK || !strstr(err.message, bad[q].message) || !strstr(err.message, "bad.csv"))
            fail_msg("case %zu: status %d, \"%s\"; expected \"%s\"", q, (int)st, err.message, bad[q].message);
        fc_label_collector_destroy(c);
    }
    fc_survey_close(s);
}

/* A horizon file onto the grid: comments, a header, blanks, commas and tabs; points off the survey (beyond its
 * inlines, between its crosslines, line numbers no int32_t holds or NaN) counted, the first one's row kept; cells
 * not given are NaN. A line number with a fraction is refused, not cut to a line (1e2 is a whole one). */
static void test_horizon_file(void **state)
{
    (void)state;
    fc_survey *s = open_fixture();
    char path[4200];
    test_path(path, sizeof path, "h.txt");
    test_write_text(path, "# picked by hand\ninline crossline time_ms\n100 20 4.0\n100,22,5.5\n101\t20\t8\n  \n"
                          "105 20 9\n100 21 9\n102 26 24\n4294967396 24 7\nnan 22 7\n100 -1e12 7\n");
    float t[12];
    fc_horizon_stats st;
    fc_error err;
    assert_int_equal(fc_horizon_read(s, path, t, &st, &err), FC_OK);
    const float want[12] = {4.0f, 5.5f, NAN, NAN, 8.0f, NAN, NAN, NAN, NAN, NAN, NAN, 24.0f};
    for (int cell = 0; cell < 12; cell++)
        if (!(isnan(want[cell]) ? isnan(t[cell]) : t[cell] == want[cell]))
            fail_msg("cell %d: %g, expected %g", cell, (double)t[cell], (double)want[cell]);
    assert_int_equal(st.points, 9);
    assert_int_equal(st.on_survey, 4);
    assert_int_equal(st.first_off_row, 7);
    assert_false(st.by_xy);
    assert_true(st.tmin == 4.0 && st.tmax == 24.0);
    assert_int_equal(fc_horizon_read(s, path, t, NULL, &err), FC_OK); /* stats may be NULL */

    static const struct {
        const char *text, *message;
    } bad[] = {
        {"100 20 nan\n", "row 1: time 'nan' is not a number of ms"},
        {"100 20 4\n100 22 inf\n", "row 2: time 'inf' is not a number of ms"},
        {"depth inline time\n100 20 4\n", "row 1: a header line must start 'x y time_ms'"},
        {"100 20\n", "row 1: expected 'inline crossline time_ms'"},
        {"100 20 4 5\n", "row 1: expected 'inline crossline time_ms'"},
        {"100 20 4 ms\n", "row 1: expected 'inline crossline time_ms'"},
        {"x y time_ms\n1000 2000 4\n", "has no coordinates"},
        {"100.7 20 4\n", "row 1: line number '100.7' is not a whole number"},
        {"100 20 4\n101 22.5 8\n", "row 2: line number '22.5' is not a whole number"},
        {"inline crossline time_ms\n100 20 4\n1e2 2.2e1 8\n100.5 1e12 8\n", "row 4: line number '100.5'"},
    };
    for (size_t q = 0; q < sizeof bad / sizeof bad[0]; q++) {
        test_write_text(path, bad[q].text);
        fc_error_clear(&err);
        if (fc_horizon_read(s, path, t, &st, &err) == FC_OK || !strstr(err.message, bad[q].message) ||
            !strstr(err.message, "h.txt"))
            fail_msg("case %zu: \"%s\"; expected \"%s\"", q, err.message, bad[q].message);
    }
    test_path(path, sizeof path, "no-such-horizon.txt");
    assert_fails_with(fc_horizon_read(s, path, t, &st, &err), FC_ERR_IO, err, "cannot open");
    fc_survey_close(s);
}

/* Horizon files giving `ms` at every cell but those listed in `except` as "i j ms" (ms NAN: left out). */
static void write_horizon(const char *name, double ms, const double (*except)[3], int n_except)
{
    char path[4200], text[2048] = "inline crossline time_ms\n";
    test_path(path, sizeof path, name);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            double v = ms;
            for (int e = 0; e < n_except; e++)
                if ((int)except[e][0] == i && (int)except[e][1] == j)
                    v = except[e][2];
            if (!isnan(v))
                snprintf(text + strlen(text), sizeof text - strlen(text), "%d %d %g\n", 100 + i, 20 + 2 * j, v);
        }
    test_write_text(path, text);
}

/* Top at 4 ms (5 at (0, 1)), mid at 12 (4 at (0, 2), none at (2, 0)), base at 20 (24 at (2, 3)); facies 1 from top
 * to mid, 2 from mid to base. A sample on a horizon belongs to the interval below it; the base of the last interval
 * is inside it. */
static void test_horizon_intervals(void **state)
{
    (void)state;
    fc_survey *s = open_fixture();
    const double top_x[][3] = {{0, 1, 5}}, mid_x[][3] = {{0, 2, 4}, {2, 0, NAN}}, base_x[][3] = {{2, 3, 24}};
    write_horizon("top.txt", 4, top_x, 1);
    write_horizon("mid.txt", 12, mid_x, 2);
    write_horizon("base.txt", 20, base_x, 1);
    fc_label_collector *c;
    fc_error err;
    if (load(s, "intervals.csv", "top_horizon,base_horizon,facies\ntop.txt,mid.txt,1\nmid.txt,base.txt,2\n", &c, &err))
        fail_msg("%s", err.message);
    fc_label_point want[12 * 7];
    int n = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            if ((i == 1 && j == 2) || (i == 2 && j == 0)) /* the missing trace; the hole in mid */
                continue;
            double top = i == 0 && j == 1 ? 5 : 4, mid = i == 0 && j == 2 ? 4 : 12, base = i == 2 && j == 3 ? 24 : 20;
            for (int k = 0; k < 7; k++) {
                double t = 4.0 * k;
                if (t >= top && t < mid)
                    want[n++] = (fc_label_point){i, j, k, 1};
                else if (t >= mid && t <= base)
                    want[n++] = (fc_label_point){i, j, k, 2};
            }
        }
    assert_int_equal(n, 10 * 5 - 1 + 1); /* 5 samples a cell, one fewer under the 5 ms top, one more over 24 ms */
    expect_points(c, want, n);
    fc_label_collector_destroy(c);

    /* Overlapping intervals: the first listed labels a sample. top -> base (7) covers all of top -> mid (1). */
    assert_int_equal(
        load(s, "overlap.csv", "top_horizon,base_horizon,facies\ntop.txt,base.txt,7\ntop.txt,mid.txt,1\n", &c, &err),
        FC_OK);
    int32_t codes[4];
    int64_t counts[4];
    assert_int_equal(fc_label_collector_codes(c, codes, counts, 4), 1);
    assert_int_equal(codes[0], 7);
    assert_int_equal(counts[0], 10 * 5 - 1 + 1 + 5); /* and (2, 0), where mid has a hole */
    fc_label_collector_destroy(c);

    /* Crossing horizons, named with the cell and both times. */
    const double cross_x[][3] = {{1, 3, 2}};
    write_horizon("cross.txt", 12, cross_x, 1);
    char dir[1024];
    test_path(dir, sizeof dir, "");
    assert_int_not_equal(load(s, "crossing.csv", "top_horizon,base_horizon,facies\ntop.txt,cross.txt,1\n", &c, &err),
                         FC_OK);
    char want_text[9000];
    snprintf(want_text, sizeof want_text,
             "crossing.csv: row 2: horizons %stop.txt and %scross.txt cross at inline 101 crossline 26 (top 4.00 ms is "
             "below base 2.00 ms)",
             dir, dir);
    assert_contains(err.message, want_text);
    fc_label_collector_destroy(c);

    /* Horizons in seconds; bad tables. */
    write_horizon("seconds.txt", 0.004, NULL, 0);
    write_horizon("seconds2.txt", 0.012, NULL, 0);
    assert_int_not_equal(load(s, "sec.csv", "top_horizon,base_horizon,facies\nseconds.txt,seconds2.txt,1\n", &c, &err),
                         FC_OK);
    assert_contains(err.message, "seconds.txt: all 12 times lie within the first sample interval");
    fc_label_collector_destroy(c);
    static const struct {
        const char *text, *message;
    } bad[] = {
        {"top_horizon,base_horizon,facies\ntop.txt,mid.txt\n", "row 2: expected 'top_horizon,base_horizon,facies'"},
        {"top_horizon,base_horizon,facies\ntop.txt,mid.txt,x\n", "row 2: expected"},
        {"top_horizon,base_horizon,facies\n,mid.txt,1\n", "row 2: expected"},
        {"top_horizon,base_horizon,facies\n\n", "no intervals listed"},
        {"top_horizon,base_horizon,facies\ntop.txt,none.txt,1\n", "none.txt: cannot open"},
    };
    for (size_t q = 0; q < sizeof bad / sizeof bad[0]; q++) {
        fc_status st = load(s, "bad-table.csv", bad[q].text, &c, &err);
        if (st == FC_OK || !strstr(err.message, bad[q].message))
            fail_msg("case %zu: status %d, \"%s\"; expected \"%s\"", q, (int)st, err.message, bad[q].message);
        fc_label_collector_destroy(c);
    }
    fc_survey_close(s);
}

static void collect_name(void *ctx, const char *horizon)
{
    char *names = ctx;
    snprintf(names + strlen(names), 9000 - strlen(names), "%s|", horizon);
}

/* The horizon files a table names, each once, relative names under the table's folder; none for picks or SEG-Y. */
static void test_horizon_files_listed(void **state)
{
    (void)state;
    char table[4200], dir[1024], names[9000] = "", want[4200];
    test_path(table, sizeof table, "list.csv");
    test_path(dir, sizeof dir, "");
    test_write_text(table, "top_horizon;base_horizon;facies\ntop.txt;sub/mid.txt;1\nsub/mid.txt;base.txt;2\n"
                           "/data/h.txt;top.txt;3\n");
    fc_error err;
    assert_int_equal(fc_labels_horizon_files(table, collect_name, names, &err), FC_OK);
    snprintf(want, sizeof want, "%stop.txt|%ssub/mid.txt|%sbase.txt|/data/h.txt|", dir, dir, dir);
    assert_string_equal(names, want);
    /* Told by its header, after a byte-order mark and in quotes too. */
    names[0] = '\0';
    test_write_text(table, "\xEF\xBB\xBF\"top_horizon\",\"base_horizon\",\"facies\"\ntop.txt,base.txt,1\n");
    assert_int_equal(fc_labels_horizon_files(table, collect_name, names, &err), FC_OK);
    snprintf(want, sizeof want, "%stop.txt|%sbase.txt|", dir, dir);
    assert_string_equal(names, want);
    names[0] = '\0';
    test_write_text(table, "inline,crossline,sample,facies\n100,20,1,1\n");
    assert_int_equal(fc_labels_horizon_files(table, collect_name, names, &err), FC_OK);
    assert_string_equal(names, "");
    fc_survey *s = open_fixture();
    assert_int_equal(fc_labels_horizon_files(fc_survey_get_info(s)->path, collect_name, names, &err), FC_OK);
    assert_string_equal(names, "");
    fc_survey_close(s);
}

/* Times all within the first sample interval are refused as seconds, unless they are all at its start (a flat
 * horizon at the top of the data) or any lies outside it. */
static void test_seconds_check_and_lines_on_2d(void **state)
{
    (void)state;
    fc_survey_info in;
    memset(&in, 0, sizeof in);
    in.sample_count = 7;
    in.sample_interval_ms = 4.0;
    in.start_time_ms = 100.0;
    fc_error err;
    assert_int_equal(fc_labels_check_ms(&in, "p.csv", "time_ms", 0, 0, 0, &err), FC_OK);
    assert_int_equal(fc_labels_check_ms(&in, "p.csv", "time_ms", 3, 100.0, 100.0, &err), FC_OK);
    assert_int_equal(fc_labels_check_ms(&in, "p.csv", "time_ms", 3, 100.5, 104.0, &err), FC_OK);
    assert_int_equal(fc_labels_check_ms(&in, "p.csv", "time_ms", 3, 0.1, 100.5, &err), FC_OK);
    assert_fails_with(fc_labels_check_ms(&in, "p.csv", "twt", 3, 100.0, 103.9, &err), FC_ERR_FORMAT, err,
                      "p.csv: all 3 times lie within the first sample interval (100..103.9 ms, the survey samples "
                      "every 4 ms): the twt column is in milliseconds");
    assert_fails_with(fc_labels_check_ms(&in, "p.csv", "time_ms", 1, 101.0, 101.0, &err), FC_ERR_FORMAT, err,
                      "p.csv: the only time, 101 ms, lies within the first sample interval");
    in.sample_count = 1; /* one sample: no interval to slip into */
    assert_int_equal(fc_labels_check_ms(&in, "p.csv", "time_ms", 3, 100.5, 101.0, &err), FC_OK);

    in.kind = FC_SURVEY_KIND_3D;
    assert_int_equal(fc_lines_on_2d(&in, "line.sgy", 5, 9, &err), FC_OK);
    in.kind = FC_SURVEY_KIND_2D;
    assert_int_equal(fc_lines_on_2d(&in, "line.sgy", INT32_MIN, INT32_MAX, &err), FC_OK);
    assert_fails_with(fc_lines_on_2d(&in, "line.sgy", 5, INT32_MAX, &err), FC_ERR_ARGUMENT, err,
                      "--lines has no effect on line.sgy");
    assert_fails_with(fc_lines_on_2d(&in, "line.sgy", INT32_MIN, 0, &err), FC_ERR_ARGUMENT, err, "--crosslines");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_picks),
        cmocka_unit_test(test_horizon_file),
        cmocka_unit_test(test_horizon_intervals),
        cmocka_unit_test(test_horizon_files_listed),
        cmocka_unit_test(test_seconds_check_and_lines_on_2d),
    };
    return cmocka_run_group_tests_name("labels_sources", tests, NULL, NULL);
}
