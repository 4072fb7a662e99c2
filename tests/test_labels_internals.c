/* Label internals (labels_impl.h) on hand-worked cases: the CSV helpers every label file goes through, the class
 * table (legend file, defaults, lookups), and the label collector: its filter, per-class cap, conflicts and the
 * labels it could not place. test_labels_sources.c has the loaders; test_labels.c the public API end to end. */
#include "testutil.h"

#include "facies/facies.h"
#include "fixture_segy.h"
#include "labels_impl.h"

/* The separator is told from the header line, a comma before a semicolon before a tab; fields are trimmed and
 * unquoted; the line end and a UTF-8 byte-order mark are not part of any field. */
static void test_csv_split(void **state)
{
    (void)state;
    assert_int_equal(fc_csv_separator("inline,crossline\n"), ',');
    assert_int_equal(fc_csv_separator("inline;crossline;time_ms\n"), ';');
    assert_int_equal(fc_csv_separator("inline\tcrossline\n"), '\t');
    assert_int_equal(fc_csv_separator("inline crossline\n"), ' ');
    assert_int_equal(fc_csv_separator("a;b,c\tx\n"), ',');
    assert_int_equal(fc_csv_separator("a;b\tc\n"), ';');

    char *f[8];
    char l1[] = "\xEF\xBB\xBF\"Inline\", crossline ,\"time ms\"\r\n";
    assert_int_equal(fc_csv_split(l1, ',', f, 8), 3);
    assert_string_equal(f[0], "Inline");
    assert_string_equal(f[1], "crossline");
    assert_string_equal(f[2], "time ms");
    char l2[] = "  100   20\t 4.5  \n";
    assert_int_equal(fc_csv_split(l2, ' ', f, 8), 3);
    assert_string_equal(f[0], "100");
    assert_string_equal(f[1], "20");
    assert_string_equal(f[2], "4.5");
    char l3[] = "top horizon\t base.txt \t3\n"; /* tabs: spaces inside a field stay */
    assert_int_equal(fc_csv_split(l3, '\t', f, 8), 3);
    assert_string_equal(f[0], "top horizon");
    assert_string_equal(f[1], "base.txt");
    assert_string_equal(f[2], "3");
    char l4[] = "1,2,\n"; /* an empty last field counts */
    assert_int_equal(fc_csv_split(l4, ',', f, 8), 3);
    assert_string_equal(f[2], "");
    char l5[] = "\n";
    assert_int_equal(fc_csv_split(l5, ',', f, 8), 1);
    assert_string_equal(f[0], "");
    char l6[] = "1,2,3,4,5\n"; /* at most max fields */
    assert_int_equal(fc_csv_split(l6, ',', f, 3), 3);
    assert_string_equal(f[2], "3");
    char l7[] = "100;20;8,5;\"\n"; /* a decimal comma under semicolons; a lone quote is a field */
    assert_int_equal(fc_csv_split(l7, ';', f, 8), 4);
    assert_string_equal(f[2], "8,5");
    assert_string_equal(f[3], "\"");
}

static void test_parse_numbers(void **state)
{
    (void)state;
    int32_t i = 0;
    assert_int_equal(fc_parse_i32("12", &i), 0);
    assert_int_equal(i, 12);
    assert_int_equal(fc_parse_i32("-2147483648", &i), 0);
    assert_int_equal(i, INT32_MIN);
    static const char *const bad_ints[] = {"", "1.5", "2147483648", "-2147483649", "1 ", "0x10", "12a", "--1"};
    for (size_t q = 0; q < sizeof bad_ints / sizeof bad_ints[0]; q++) {
        i = 77;
        if (fc_parse_i32(bad_ints[q], &i) == 0)
            fail_msg("'%s' parsed as the whole number %d", bad_ints[q], (int)i);
        assert_int_equal(i, 77); /* untouched on failure */
    }
    double d = 0;
    assert_int_equal(fc_parse_double("2.5", &d), 0);
    assert_true(d == 2.5);
    assert_int_equal(fc_parse_double("-1e3", &d), 0);
    assert_true(d == -1000.0);
    static const char *const bad_doubles[] = {"", "nan", "inf", "-inf", "1e999", "3ms", "8,5"};
    for (size_t q = 0; q < sizeof bad_doubles / sizeof bad_doubles[0]; q++)
        if (fc_parse_double(bad_doubles[q], &d) == 0)
            fail_msg("'%s' parsed as the number %g", bad_doubles[q], d);
}

/* Defaults: "facies_<code>" and the ten-colour palette in order, wrapping round; a code once; a full table. */
static void test_class_table(void **state)
{
    (void)state;
    static fc_classes c;
    memset(&c, 0, sizeof c);
    int at = -1;
    assert_int_equal(fc_classes_add_default(&c, 5, &at, NULL), FC_OK);
    assert_int_equal(at, 0);
    assert_int_equal(fc_classes_add_default(&c, 2, &at, NULL), FC_OK);
    assert_int_equal(at, 1);
    assert_int_equal(fc_classes_add_default(&c, 5, &at, NULL), FC_OK);
    assert_int_equal(at, 0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.c[0].name, "facies_5");
    assert_string_equal(c.c[0].colour, "#1f77b4");
    assert_string_equal(c.c[1].name, "facies_2");
    assert_string_equal(c.c[1].colour, "#ff7f0e");
    for (int code = 10; code < 19; code++)
        fc_classes_add_default(&c, code, NULL, NULL);
    assert_string_equal(c.c[9].colour, "#17becf");
    assert_string_equal(c.c[10].colour, "#1f77b4"); /* the eleventh wraps */
    assert_int_equal(fc_classes_add_default(&c, -4, &at, NULL), FC_OK);
    assert_int_equal(at, 11);
    assert_string_equal(c.c[11].name, "facies_-4");
    assert_int_equal(fc_classes_find(&c, 2), 1);
    assert_int_equal(fc_classes_find(&c, -4), 11);
    assert_int_equal(fc_classes_find(&c, 3), -1);
    for (int code = 100; c.count < FC_MAX_CLASSES; code++)
        assert_int_equal(fc_classes_add_default(&c, code, NULL, NULL), FC_OK);
    fc_error err = {0};
    at = -1;
    assert_int_equal(fc_classes_add_default(&c, 99999, &at, &err), FC_ERR_RANGE);
    assert_int_equal(at, -1);
    assert_non_null(strstr(err.message, "99999"));
    assert_int_equal(fc_classes_add_default(&c, 5, &at, NULL), FC_OK); /* a code already there is found, full or not */
    assert_int_equal(at, 0);

    /* The classes without points, named. */
    memset(&c, 0, sizeof c);
    fc_classes_add_default(&c, 1, NULL, NULL);
    fc_classes_add_default(&c, 2, NULL, NULL);
    fc_classes_add_default(&c, 9, NULL, NULL);
    snprintf(c.c[2].name, sizeof c.c[2].name, "shale");
    const int64_t counts[3] = {3, 0, 0};
    char text[64];
    assert_int_equal(fc_classes_list_empty(&c, counts, text, sizeof text), 2);
    assert_string_equal(text, "2 (facies_2), 9 (shale)");
    char small[8];
    assert_int_equal(fc_classes_list_empty(&c, counts, small, sizeof small), 2);
    assert_string_equal(small, "2 (faci"); /* cut, still terminated */
    const int64_t all[3] = {1, 1, 1};
    assert_int_equal(fc_classes_list_empty(&c, all, text, sizeof text), 0);
    assert_string_equal(text, "");
}

/* classes.csv: the header in any case, `color` too, semicolons, a byte-order mark, quotes and blank lines; written
 * back as `code,name,colour`; every mistake refused naming its row. */
static void test_class_file(void **state)
{
    (void)state;
    char path[4200], back[4200];
    test_path(path, sizeof path, "classes.csv");
    test_path(back, sizeof back, "classes-back.csv");
    static fc_classes c, d;
    fc_error err;
    test_write_text(path, "\xEF\xBB\xBF"
                          "Code;NAME;Color\n7;sand stone;#FFcc00\n\n-1;\"shale\";#000000\n");
    assert_int_equal(fc_classes_load(&c, path, &err), FC_OK);
    assert_int_equal(c.count, 2);
    assert_int_equal(c.c[0].code, 7);
    assert_string_equal(c.c[0].name, "sand stone");
    assert_string_equal(c.c[0].colour, "#FFcc00");
    assert_int_equal(c.c[1].code, -1);
    assert_string_equal(c.c[1].name, "shale");
    assert_int_equal(fc_classes_write(&c, back, &err), FC_OK);
    long size = 0;
    unsigned char *text = test_slurp(back, &size);
    text[size] = '\0';
    assert_string_equal((char *)text, "code,name,colour\n7,sand stone,#FFcc00\n-1,shale,#000000\n");
    free(text);
    assert_int_equal(fc_classes_load(&d, back, &err), FC_OK);
    assert_memory_equal(&c, &d, sizeof c);

    static const struct {
        const char *file, *message;
    } bad[] = {
        {"id,name,colour\n1,a,#000000\n", "row 1 must be the header 'code,name,colour'"},
        {"code,name\n1,a\n", "row 1 must be the header"},
        {"code,name,colour\n1,a,#12345\n", "row 2: colour '#12345' is not #rrggbb"},
        {"code,name,colour\n1,a,#12345g\n", "row 2: colour '#12345g' is not #rrggbb"},
        {"code,name,colour\n1,a,#000000\n2,b,#000000\n1,c,#000000\n", "row 4: code 1 is listed twice"},
        {"code,name,colour\nx,a,#000000\n", "row 2: expected 'code,name,colour' with a whole-number code"},
        {"code,name,colour\n1,a,#000000,extra\n", "row 2: expected 'code,name,colour'"},
        {"code,name,colour\n1,,#000000\n", "row 2: the name must be 1 to 63 characters"},
        {"code,name,colour\n\n", "no classes listed"},
    };
    for (size_t q = 0; q < sizeof bad / sizeof bad[0]; q++) {
        test_write_text(path, bad[q].file);
        c.count = 99;
        assert_fails_with(fc_classes_load(&c, path, &err), FC_ERR_FORMAT, err, bad[q].message);
        assert_contains(err.message, path);
        assert_int_equal(c.count, 99); /* untouched */
    }
    /* A name of 64 characters, 257 classes. */
    char line[200];
    snprintf(line, sizeof line, "code,name,colour\n1,%064d,#000000\n", 0);
    test_write_text(path, line);
    assert_fails_with(fc_classes_load(&c, path, &err), FC_ERR_FORMAT, err, "row 2: the name must be 1 to 63");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("code,name,colour\n", f);
    for (int k = 0; k <= FC_MAX_CLASSES; k++)
        fprintf(f, "%d,c%d,#00ff00\n", k, k);
    fclose(f);
    assert_fails_with(fc_classes_load(&c, path, &err), FC_ERR_FORMAT, err, "row 258: more than 256 classes");
    test_path(path, sizeof path, "no-such-classes.csv");
    assert_fails_with(fc_classes_load(&c, path, &err), FC_ERR_IO, err, "cannot open");
}

/* The survey of these tests: inlines 100..102, crosslines 20..26 step 2, 7 samples at 4 ms from 0 ms. */
static fc_survey *open_fixture(const char *name, const unsigned char *missing)
{
    char path[4200];
    test_path(path, sizeof path, name);
    fixture_spec f = fixture_default();
    f.missing = missing;
    assert_int_equal(fixture_write(path, &f), 0);
    fc_survey *s = NULL;
    fc_error err;
    assert_int_equal(fc_survey_open(&s, path, NULL, &err), FC_OK);
    return s;
}

static fc_label_collector *collector(const fc_label_filter *f, const char *source, const char *unit)
{
    fc_label_collector *c = NULL;
    fc_error err;
    assert_int_equal(fc_label_collector_create(&c, f, &err), FC_OK);
    assert_int_equal(fc_label_begin_source(c, source, unit, &err), FC_OK);
    return c;
}

/* Stride and line ranges: a point is kept when i, j and k are multiples of the stride and its line numbers are in
 * the ranges; the classes are checked on kept points only; points come back sorted by (i, j, k). */
static void test_collector_filter(void **state)
{
    (void)state;
    fc_survey *s = open_fixture("collect.sgy", NULL);
    fc_label_filter f = fc_label_filter_default();
    f.stride = 2;
    f.il_min = 101;
    f.il_max = 102; /* the ranges are inclusive */
    f.xl_max = 24;
    static fc_classes legend;
    memset(&legend, 0, sizeof legend);
    fc_classes_add_default(&legend, 1, NULL, NULL);
    fc_classes_add_default(&legend, 2, NULL, NULL);
    f.classes = &legend;
    fc_label_collector *c = collector(&f, "a.csv", "row");
    assert_true(fc_label_filter_of(c)->stride == 2);
    assert_int_equal(fc_label_unlabelled_max(c), 0);
    /* (i, j) = inline 100 + i, crossline 20 + 2 j. */
    assert_false(fc_label_wanted(c, s, 0, 0, 0)); /* inline 100 < 101 */
    assert_false(fc_label_wanted(c, s, 1, 0, 0)); /* i odd */
    assert_true(fc_label_wanted(c, s, 2, 0, 0));  /* inline 102 */
    assert_true(fc_label_wanted(c, s, 2, 2, 4));  /* crossline 24 */
    assert_false(fc_label_wanted(c, s, 2, 2, 3)); /* k odd */
    assert_false(fc_label_wanted(c, s, 2, 3, 0)); /* j odd */
    assert_true(fc_label_lines_wanted(c, 101, 24));
    assert_false(fc_label_lines_wanted(c, 101, 26));
    assert_false(fc_label_lines_wanted(c, 100, 20));

    fc_error err;
    assert_int_equal(fc_label_push(c, s, 2, 2, 4, 2, 10, &err), FC_OK);
    assert_int_equal(fc_label_push(c, s, 2, 0, 6, 1, 11, &err), FC_OK);
    assert_int_equal(fc_label_push(c, s, 2, 0, 2, 1, 12, &err), FC_OK);
    assert_int_equal(fc_label_push(c, s, 0, 0, 0, 9, 13, &err), FC_OK); /* filtered out: its code is not checked */
    assert_int_equal(fc_label_push(c, s, 1, 1, 1, 1, 14, &err), FC_OK); /* filtered out */
    assert_fails_with(fc_label_push(c, s, 2, 2, 0, 9, 15, &err), FC_ERR_FORMAT, err,
                      "a.csv: row 15: facies code 9 is not in the classes file (inline 102 crossline 24 sample 0)");
    assert_int_equal(fc_label_collector_seen(c), 3);
    int64_t n = 0;
    const fc_label_point *p = fc_label_collector_points(c, &n);
    assert_int_equal(n, 3);
    const fc_label_point want[3] = {{2, 0, 2, 1}, {2, 0, 6, 1}, {2, 2, 4, 2}};
    assert_memory_equal(p, want, sizeof want);
    int32_t codes[4];
    int64_t counts[4];
    assert_int_equal(fc_label_collector_codes(c, codes, counts, 4), 2);
    assert_int_equal(codes[0], 2); /* in the order first seen */
    assert_int_equal(counts[0], 1);
    assert_int_equal(codes[1], 1);
    assert_int_equal(counts[1], 2);
    assert_int_equal(fc_label_collector_codes(c, codes, counts, 1), 1);
    fc_label_collector_destroy(c);

    f = fc_label_filter_default();
    f.stride = 0;
    assert_fails_with(fc_label_collector_create(&c, &f, &err), FC_ERR_ARGUMENT, err, "stride");
    f.stride = 1;
    f.per_class = -1;
    assert_fails_with(fc_label_collector_create(&c, &f, &err), FC_ERR_ARGUMENT, err, "per-class cap");
    fc_label_collector_destroy(NULL);
    fc_survey_close(s);
}

/* The per-class cap keeps `cap` of each code's points, each point with the same chance: over 4000 seeds, the first,
 * a middle and the last of 40 points of code 1 are kept a quarter of the time (cap 10), within 0.03; the 3 points of
 * code 2, under the cap, always. The same seed keeps the same points. */
static void test_collector_cap(void **state)
{
    (void)state;
    fc_survey *s = open_fixture("cap.sgy", NULL);
    fc_label_filter f = fc_label_filter_default();
    f.per_class = 10;
    int kept_first = 0, kept_middle = 0, kept_last = 0;
    enum { SEEDS = 4000 };
    fc_label_point again[10];
    for (int seed = 1; seed <= SEEDS; seed++) {
        f.seed = (uint64_t)seed;
        fc_label_collector *c = collector(&f, "p.csv", "row");
        fc_error err;
        for (int q = 0; q < 40; q++) { /* points (q / 7 / 4, q / 7 % 4, q % 7) in order */
            assert_int_equal(fc_label_push(c, s, q / 28, q / 7 % 4, q % 7, 1, q + 2, &err), FC_OK);
            if (q % 13 == 0)
                assert_int_equal(fc_label_push(c, s, 2, 3, q % 7, 2, q + 100, &err), FC_OK);
        }
        int64_t n = 0;
        const fc_label_point *p = fc_label_collector_points(c, &n);
        assert_int_equal(n, 10 + 4); /* 10 of code 1, all 4 of code 2 (q = 0, 13, 26, 39) */
        assert_int_equal(fc_label_collector_seen(c), 44);
        int ones = 0;
        for (int64_t q = 0; q < n; q++) {
            if (p[q].code != 1)
                continue;
            int idx = p[q].i * 28 + p[q].j * 7 + p[q].k;
            kept_first += idx == 0;
            kept_middle += idx == 20;
            kept_last += idx == 39;
            if (seed == 7)
                again[ones] = p[q];
            ones++;
        }
        assert_int_equal(ones, 10);
        fc_label_collector_destroy(c);
    }
    print_message("kept of 4000: first %d, middle %d, last %d (1000 expected)\n", kept_first, kept_middle, kept_last);
    assert_true(abs(kept_first - 1000) < 120);
    assert_true(abs(kept_middle - 1000) < 120);
    assert_true(abs(kept_last - 1000) < 120);
    f.seed = 7;
    fc_label_collector *c = collector(&f, "p.csv", "row");
    fc_error err;
    for (int q = 0; q < 40; q++)
        assert_int_equal(fc_label_push(c, s, q / 28, q / 7 % 4, q % 7, 1, q + 2, &err), FC_OK);
    int64_t n = 0;
    const fc_label_point *p = fc_label_collector_points(c, &n);
    assert_int_equal(n, 10);
    assert_memory_equal(p, again, sizeof again);
    fc_label_collector_destroy(c);
    fc_survey_close(s);
}

/* Two codes at one position are a conflict, named with the file and row of each; the same code twice is not. Labels
 * on missing traces are listed by file and row (or trace), "rows" when a file has several. */
static void test_collector_conflicts_and_outside(void **state)
{
    (void)state;
    fc_survey *s = open_fixture("conflicts.sgy", NULL);
    fc_label_filter f = fc_label_filter_default();
    fc_label_collector *c = collector(&f, "a.csv", "row");
    fc_error err;
    assert_int_equal(fc_label_push(c, s, 1, 2, 3, 4, 2, &err), FC_OK);
    assert_int_equal(fc_label_push(c, s, 0, 0, 0, 1, 3, &err), FC_OK);
    assert_int_equal(fc_label_push(c, s, 2, 3, 6, 5, 4, &err), FC_OK);
    fc_label_note_missing(c, 7);
    fc_label_note_missing(c, 9);
    assert_int_equal(fc_label_begin_source(c, "b.sgy", "trace", &err), FC_OK);
    assert_int_equal(fc_label_push(c, s, 1, 2, 3, 2, 12, &err), FC_OK); /* a conflict with a.csv row 2 */
    assert_int_equal(fc_label_push(c, s, 0, 0, 0, 1, 13, &err), FC_OK); /* the same code: agreed */
    assert_int_equal(fc_label_push(c, s, 2, 3, 6, 6, 14, &err), FC_OK); /* another conflict */
    fc_label_note_missing(c, 30);
    fc_label_note_off_grid(c);
    fc_label_note_survey_traces(c, 5);
    int64_t n = 0;
    const fc_label_point *p = fc_label_collector_points(c, &n);
    assert_int_equal(n, 6);
    assert_int_equal(p[0].code, 1);
    assert_int_equal(p[1].code, 1);
    assert_int_equal(p[2].code, 2); /* at one position, codes in increasing order */
    assert_int_equal(p[3].code, 4);
    char text[512];
    assert_int_equal(fc_label_collector_conflicts(c, s, 8, text, sizeof text), 2);
    assert_string_equal(text, "inline 101 crossline 24 sample 3: 2 (b.sgy trace 12) vs 4 (a.csv row 2); "
                              "inline 102 crossline 26 sample 6: 5 (a.csv row 4) vs 6 (b.sgy trace 14)");
    assert_int_equal(fc_label_collector_conflicts(c, s, 1, text, sizeof text), 2);
    assert_string_equal(text, "inline 101 crossline 24 sample 3: 2 (b.sgy trace 12) vs 4 (a.csv row 2)");
    fc_label_outside out;
    fc_label_collector_outside(c, &out, 8, text, sizeof text);
    assert_int_equal(out.missing, 3);
    assert_int_equal(out.off_grid, 1);
    assert_int_equal(out.survey_traces, 5);
    assert_true(out.segy);
    assert_string_equal(text, "a.csv rows 7, 9; b.sgy trace 30");
    fc_label_collector_outside(c, &out, 1, text, sizeof text);
    assert_string_equal(text, "a.csv row 7");
    fc_label_collector_destroy(c);

    /* More than FC_MAX_CLASSES codes; more than 64 sources. */
    c = collector(&f, "many.csv", "row");
    for (int code = 0; code < FC_MAX_CLASSES; code++)
        assert_int_equal(fc_label_push(c, s, 0, 0, 0, code, code + 2, &err), FC_OK);
    assert_fails_with(fc_label_push(c, s, 0, 0, 0, 999, 300, &err), FC_ERR_FORMAT, err,
                      "many.csv: more than 256 different facies codes");
    fc_label_collector_destroy(c);
    c = collector(&f, "s0.csv", "row");
    for (int q = 1; q < 64; q++)
        assert_int_equal(fc_label_begin_source(c, "more.csv", "row", &err), FC_OK);
    assert_fails_with(fc_label_begin_source(c, "too-many.csv", "row", &err), FC_ERR_ARGUMENT, err,
                      "too-many.csv: more than 64 label files");
    fc_label_collector_destroy(c);
    fc_survey_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_split),
        cmocka_unit_test(test_parse_numbers),
        cmocka_unit_test(test_class_table),
        cmocka_unit_test(test_class_file),
        cmocka_unit_test(test_collector_filter),
        cmocka_unit_test(test_collector_cap),
        cmocka_unit_test(test_collector_conflicts_and_outside),
    };
    return cmocka_run_group_tests_name("labels_internals", tests, NULL, NULL);
}
