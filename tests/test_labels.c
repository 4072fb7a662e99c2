/* Labels placed by line numbers: a label SEG-Y in another dialect, order and extent; picks on missing traces and
 * off the grid, counted with their rows; eval of a facies volume holding part of the labelled lines. The SEG-Y
 * files are test fixtures written byte by byte (fixture_segy.c), apart from the library's reader. */
#include "testutil.h"

#include "facies/facies.h"
#include "facies/eval.h"
#include "fixture_segy.h"

/* The survey: inlines 100..104, crosslines 20..26 step 2, 7 samples, traces (101, 22) and (103, 26) missing. */
static const unsigned char holes[20] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

static fixture_spec survey_spec(void)
{
    fixture_spec f = fixture_default();
    f.n_il = 5;
    f.n_xl = 4;
    f.il_byte = 9;
    f.xl_byte = 17;
    f.missing = holes;
    return f;
}

static fc_survey *open_survey(const char *name, const fixture_spec *f, int il_byte, int xl_byte)
{
    char path[4200];
    test_path(path, sizeof path, name);
    assert_int_equal(fixture_write(path, f), 0);
    fc_survey_options o = fc_survey_options_default();
    o.iline_byte = il_byte;
    o.xline_byte = xl_byte;
    fc_survey *s = NULL;
    fc_error err;
    assert_int_equal(fc_survey_open(&s, path, &o, &err), FC_OK);
    return s;
}

static fc_label_collector *collector(const fc_label_filter *f)
{
    fc_label_collector *c = NULL;
    fc_error err;
    assert_int_equal(fc_label_collector_create(&c, f, &err), FC_OK);
    return c;
}

/* A label volume at standard bytes, crossline-sorted, inlines 101..105 (one beyond the survey), with a hole of its
 * own at (102, 24): every labelled sample lands where its numbers say. */
static void test_segy_matched_by_numbers(void **state)
{
    (void)state;
    fixture_spec sf = survey_spec();
    fc_survey *s = open_survey("labels-survey.sgy", &sf, 9, 17);
    fixture_spec lf = fixture_default();
    static const unsigned char lholes[20] = {0, 0, 0, 0, 0, 0, 1, 0};
    lf.n_il = 5;
    lf.n_xl = 4;
    lf.il0 = 101;
    lf.crossline_sorted = 1;
    lf.missing = lholes;
    char lpath[4200];
    test_path(lpath, sizeof lpath, "labels-part.sgy");
    assert_int_equal(fixture_write(lpath, &lf), 0);
    fc_label_filter f = fc_label_filter_default();
    f.unlabelled_max = -1000; /* every fixture value is a code */
    fc_label_collector *c = collector(&f);
    fc_error err;
    if (fc_labels_load(c, s, lpath, NULL, &err))
        fail_msg("%s", err.message);
    int64_t n = 0;
    const fc_label_point *p = fc_label_collector_points(c, &n);
    /* Label cells 101..104 x 4 crosslines, less the label hole and the survey's two holes. */
    assert_int_equal(n, (4 * 4 - 1 - 2) * 7);
    for (int64_t q = 0; q < n; q++) {
        int li = p[q].i - 1, lj = p[q].j; /* survey inline index i is label inline index i - 1 */
        assert_true(fc_survey_trace_at(s, p[q].i, p[q].j) >= 0);
        assert_true(fixture_value(&lf, li, lj, p[q].k) == (float)p[q].code);
    }
    fc_label_outside out;
    char text[256];
    fc_label_collector_outside(c, &out, 8, text, sizeof text);
    assert_int_equal(out.off_grid, 4);      /* inline 105's traces */
    assert_int_equal(out.missing, 2);       /* label traces on the survey's holes */
    assert_int_equal(out.survey_traces, 5); /* survey inline 100 (4 traces) and the label hole (102, 24) */
    assert_true(out.segy);
    fc_label_collector_destroy(c);

    /* Refused with refuse_missing; with the numbers read from the wrong bytes, no trace overlaps. */
    f.refuse_missing = 1;
    c = collector(&f);
    assert_int_not_equal(fc_labels_load(c, s, lpath, NULL, &err), FC_OK);
    assert_contains(err.message, "labels a trace the survey");
    fc_label_collector_destroy(c);
    fc_survey_options wrong = fc_survey_options_default();
    wrong.iline_byte = 193; /* inline and crossline swapped */
    wrong.xline_byte = 189;
    c = collector(&f);
    assert_int_not_equal(fc_labels_load(c, s, lpath, &wrong, &err), FC_OK);
    assert_contains(err.message, "--labels-iline-byte");
    fc_label_collector_destroy(c);
    fc_survey_close(s);
}

/* Picks on the survey's holes are skipped and named by file and row; off the grid they are an error, or counted
 * with allow_off_grid; either count keeps to the filter's lines. */
static void test_picks_missing_and_off_grid(void **state)
{
    (void)state;
    fixture_spec sf = survey_spec();
    fc_survey *s = open_survey("picks-survey.sgy", &sf, 9, 17);
    char a[4200], b[4200];
    test_path(a, sizeof a, "a.csv");
    test_path(b, sizeof b, "b.csv");
    test_write_text(a, "inline,crossline,sample,facies\n100,20,1,1\n101,22,2,1\n103,26,3,2\n101,22,4,3\n");
    test_write_text(b, "inline,crossline,sample,facies\n103,26,0,1\n");
    fc_label_filter f = fc_label_filter_default();
    fc_label_collector *c = collector(&f);
    fc_error err;
    assert_int_equal(fc_labels_load(c, s, a, NULL, &err), FC_OK);
    assert_int_equal(fc_labels_load(c, s, b, NULL, &err), FC_OK);
    fc_label_outside out;
    char text[512], want[9000];
    fc_label_collector_outside(c, &out, 8, text, sizeof text);
    assert_int_equal(out.missing, 4);
    assert_int_equal(out.off_grid, 0);
    assert_false(out.segy);
    snprintf(want, sizeof want, "%s rows 3, 4, 5; %s row 2", a, b);
    assert_string_equal(text, want);
    fc_label_collector_outside(c, &out, 2, text, sizeof text);
    snprintf(want, sizeof want, "%s rows 3, 4", a);
    assert_string_equal(text, want);
    int64_t n = 0;
    fc_label_collector_points(c, &n);
    assert_int_equal(n, 1);
    fc_label_collector_destroy(c);

    /* Off the grid: 105 is beyond the inlines, 21 between the crosslines' steps. */
    test_write_text(a, "inline,crossline,sample,facies\n100,20,1,1\n100,21,1,1\n");
    c = collector(&f);
    assert_int_not_equal(fc_labels_load(c, s, a, NULL, &err), FC_OK);
    assert_contains(err.message, "row 3: inline 100 crossline 21 is off the survey grid");
    fc_label_collector_destroy(c);
    test_write_text(a, "inline,crossline,sample,facies\n100,20,1,1\n100,21,1,1\n105,20,1,1\n101,22,1,1\n102,24,1,1\n");
    f.allow_off_grid = 1;
    f.il_max = 104;
    c = collector(&f);
    assert_int_equal(fc_labels_load(c, s, a, NULL, &err), FC_OK);
    fc_label_collector_outside(c, &out, 8, text, sizeof text);
    assert_int_equal(out.off_grid, 1); /* 105 is outside the chosen lines */
    assert_int_equal(out.missing, 1);
    fc_label_collector_destroy(c);
    fc_survey_close(s);
}

/* eval of a facies volume holding inlines 101..102 of the labels' 100..104: the scores of the whole volume restricted
 * to those lines, and the traces outside counted. */
static void test_eval_partial_volume(void **state)
{
    (void)state;
    fixture_spec full = fixture_default(), part = fixture_default();
    full.n_il = 5;
    part.n_il = 2;
    part.il0 = 101;
    part.crossline_sorted = 1;
    part.il_byte = 9;
    part.xl_byte = 17;
    char fp[4200], pp[4200];
    test_path(fp, sizeof fp, "eval-full.sgy");
    test_path(pp, sizeof pp, "eval-part.sgy");
    assert_int_equal(fixture_write(fp, &full), 0);
    assert_int_equal(fixture_write(pp, &part), 0);
    /* The part's values are shifted by one inline against the full volume's: a prediction with mistakes, scored
     * as the same values in a volume of the labels' size restricted to inlines 101..102. */
    fc_eval_options o = fc_eval_options_default();
    o.pred_path = fp;
    o.labels_path = fp;
    o.unlabelled_max = -1000;
    o.il_min = 101;
    o.il_max = 102;
    fc_eval_result want, got;
    fc_error err;
    fixture_spec shifted = full;
    shifted.il0 = 101; /* inlines 101..105, holding at 101 and 102 what part holds */
    char sp[4200];
    test_path(sp, sizeof sp, "eval-shifted.sgy");
    assert_int_equal(fixture_write(sp, &shifted), 0);
    o.pred_path = sp;
    if (fc_eval(&o, &want, &err))
        fail_msg("%s", err.message);
    o = fc_eval_options_default();
    o.pred_path = pp;
    o.labels_path = fp;
    o.unlabelled_max = -1000;
    o.survey.iline_byte = 9;
    o.survey.xline_byte = 17;
    o.labels_iline_byte = 189;
    o.labels_xline_byte = 193;
    assert_int_equal(fc_eval(&o, &got, &err), FC_OK);
    assert_int_equal(got.total, 2 * 4 * 7);
    assert_int_equal(got.total, want.total);
    assert_true(got.pixel_accuracy < 1.0 && got.pixel_accuracy == want.pixel_accuracy);
    assert_int_equal(got.n, want.n);
    assert_memory_equal(got.confusion, want.confusion, sizeof *got.confusion * (size_t)got.n * (size_t)got.n);
    assert_int_equal(got.outside.off_grid, 3 * 4);
    assert_int_equal(got.outside.survey_traces, 0);
    fc_eval_free(&want);
    fc_eval_free(&got);
    /* No overlap at all is an error naming both files. */
    o.il_min = o.il_max = INT32_MIN;
    part.il0 = 200;
    assert_int_equal(fixture_write(pp, &part), 0);
    o = fc_eval_options_default();
    o.pred_path = pp;
    o.labels_path = fp;
    o.survey.iline_byte = 9;
    o.survey.xline_byte = 17;
    o.labels_iline_byte = 189;
    o.labels_xline_byte = 193;
    assert_int_not_equal(fc_eval(&o, &got, &err), FC_OK);
    assert_contains(err.message, "no trace of the label volume");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segy_matched_by_numbers),
        cmocka_unit_test(test_picks_missing_and_off_grid),
        cmocka_unit_test(test_eval_partial_volume),
    };
    return cmocka_run_group_tests_name("labels", tests, NULL, NULL);
}
