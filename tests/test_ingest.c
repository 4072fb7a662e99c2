/* Ingest: patches and labels round trip, append/replace, caps, missing traces, and every bad input refused
 * with nothing written. */
#include "testutil.h"

#include <math.h>
#include <sys/stat.h>

#include "facies/facies.h"

/* Two synthetic surveys: one with 8% of its traces missing, one complete. */
static char holes_dir[4096], full_dir[4096];
static const char *dir = holes_dir;

static int setup(void **state)
{
    (void)state;
    fc_synth_options o = fc_synth_options_default();
    o.inlines = 10;
    o.crosslines = 24;
    o.samples = 64;
    fc_error err;
    test_path(full_dir, sizeof full_dir, "ingest-full");
    if (fc_synth_write(full_dir, &o, NULL, &err))
        fail_msg("%s", err.message);
    o.missing = 0.08;
    test_path(holes_dir, sizeof holes_dir, "ingest-holes");
    if (fc_synth_write(holes_dir, &o, NULL, &err))
        fail_msg("%s", err.message);
    return 0;
}

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

static fc_ingest_options base_options(char *survey, char *labels, char *classes, char *out, const char *outname)
{
    path_in(survey, 4200, "survey.sgy");
    path_in(labels, 4200, "labels.sgy");
    path_in(classes, 4200, "classes.csv");
    test_path(out, 4200, outname);
    fc_ingest_options o = fc_ingest_options_default();
    o.survey_path = survey;
    o.label_paths[0] = labels;
    o.nlabels = 1;
    o.classes_path = classes;
    o.out_path = out;
    o.patch_height = 15;
    o.patch_width = 9;
    o.filter.per_class = 40;
    return o;
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static void test_round_trip_against_truth(void **state)
{
    (void)state;
    char survey[4200], labels[4200], classes[4200], out[4200];
    fc_ingest_options o = base_options(survey, labels, classes, out, "rt.h5");
    o.orientations = FC_CUT_INLINE | FC_CUT_CROSSLINE;
    o.dtype = FC_PATCH_DTYPE_FLOAT32; /* exact values; the compact types' errors are test_patches' */
    fc_ingest_summary sum;
    fc_error err;
    assert_int_equal(fc_ingest(&o, &sum, &err), FC_OK);
    assert_true(sum.patches_written > 0);
    assert_true(sum.patches_skipped_missing > 0); /* 8% of traces are missing */
    for (int c = 0; c < sum.nclasses; c++)
        assert_true(sum.class_patches[c] <= 2 * 40);

    fc_patches *p = NULL;
    assert_int_equal(fc_patches_open(&p, out, &err), FC_OK);
    const fc_patches_meta *m = fc_patches_get_meta(p);
    int64_t n = fc_patches_count(p);
    assert_int_equal(n, sum.dataset_rows);
    assert_int_equal(m->height, 15);
    assert_int_equal(m->width, 9);
    assert_int_equal(m->classes.count, 6);
    float *patches = malloc(sizeof(float) * (size_t)n * 15 * 9);
    int32_t *lab = malloc(sizeof(int32_t) * (size_t)n), *pos = malloc(sizeof(int32_t) * 4 * (size_t)n);
    assert_int_equal(fc_patches_read(p, 0, n, patches, lab, pos, &err), FC_OK);

    fc_survey *s = NULL, *l = NULL;
    assert_int_equal(fc_survey_open(&s, survey, NULL, &err), FC_OK);
    assert_int_equal(fc_survey_open(&l, labels, NULL, &err), FC_OK);
    float tr[64], tl[64];
    for (int64_t r = 0; r < n; r++) {
        int i = fc_survey_inline_index(s, pos[4 * r + 1]), j = fc_survey_crossline_index(s, pos[4 * r + 2]);
        int k = pos[4 * r + 3];
        /* No stored patch touches a missing trace: every trace across its width (reflected at the survey's edges,
         * as the patch itself is) exists. */
        const fc_survey_info *in = fc_survey_get_info(s);
        int across = pos[4 * r] == 0 ? in->crossline_count : in->inline_count, at = pos[4 * r] == 0 ? j : i;
        for (int d = -4; d <= 4; d++) {
            int q = at + d;
            while (q < 0 || q >= across)
                q = q < 0 ? -q : 2 * (across - 1) - q;
            int64_t u = pos[4 * r] == 0 ? fc_survey_trace_at(s, i, q) : fc_survey_trace_at(s, q, j);
            if (u < 0)
                fail_msg("patch %lld (orientation %d, inline %d, crossline %d) reads a missing trace", (long long)r,
                         pos[4 * r], pos[4 * r + 1], pos[4 * r + 2]);
        }
        int64_t t = fc_survey_trace_at(s, i, j);
        assert_true(t >= 0);
        assert_int_equal(fc_survey_read_trace(s, t, tr, &err), FC_OK);
        assert_int_equal(fc_survey_read_trace(l, t, tl, &err), FC_OK);
        assert_int_equal(m->classes.c[lab[r]].code, (int)tl[k]);
        /* Centre of the patch = the normalised sample; one trace over (inline orientation) = next crossline. */
        float centre = patches[(size_t)r * 135 + 7 * 9 + 4];
        float want = fminf(1.0f, fmaxf(-1.0f, (float)(tr[k] / m->norm.scale)));
        assert_true(fabsf(centre - want) < 1e-6f);
        assert_true(pos[4 * r] == 0 || pos[4 * r] == 1);
    }
    free(patches);
    free(lab);
    free(pos);
    fc_patches_close(p);
    fc_survey_close(s);
    fc_survey_close(l);
}

static void test_append_replaces_and_extends(void **state)
{
    (void)state;
    char survey[4200], labels[4200], classes[4200], out[4200], picks[4200], picks2[4200];
    dir = full_dir;
    fc_ingest_options o = base_options(survey, labels, classes, out, "append.h5");
    dir = holes_dir;
    o.classes_path = NULL;
    test_path(picks, sizeof picks, "p1.csv");
    test_path(picks2, sizeof picks2, "p2.csv");
    test_write_text(picks, "inline,crossline,time_ms,facies\n1004,2010,100,1\n1004,2011,100,1\n1005,2012,120,2\n");
    o.label_paths[0] = picks;
    fc_ingest_summary sum;
    fc_error err;
    assert_int_equal(fc_ingest(&o, &sum, &err), FC_OK);
    assert_int_equal(sum.dataset_rows, 3);
    /* A new interpretation: one pick relabelled, one new pick with a new code. */
    test_write_text(picks2, "inline,crossline,sample,facies\n1004,2011,25,7\n1006,2003,30,2\n");
    o.label_paths[0] = picks2;
    o.append = 1;
    assert_int_equal(fc_ingest(&o, &sum, &err), FC_OK);
    assert_int_equal(sum.patches_replaced, 1);
    assert_int_equal(sum.dataset_rows, 4);
    fc_patches *p = NULL;
    assert_int_equal(fc_patches_open(&p, out, &err), FC_OK);
    const fc_patches_meta *m = fc_patches_get_meta(p);
    assert_int_equal(m->classes.count, 3);
    assert_int_equal(m->classes.c[2].code, 7);
    assert_string_equal(m->classes.c[2].name, "facies_7");
    assert_non_null(strstr(m->label_sources, "p1.csv"));
    assert_non_null(strstr(m->label_sources, "p2.csv"));
    int32_t lab[4], pos[16];
    assert_int_equal(fc_patches_read(p, 0, 4, NULL, lab, pos, &err), FC_OK);
    assert_int_equal(pos[4 * 1 + 2], 2011);
    assert_int_equal(m->classes.c[lab[1]].code, 7);
    assert_int_equal(m->classes.c[lab[0]].code, 1);
    fc_patches_close(p);

    /* Another patch size: refused, file untouched, no temporary left. */
    long before_n, after_n;
    unsigned char *before = test_slurp(out, &before_n);
    o.patch_height = 17;
    assert_int_equal(fc_ingest(&o, &sum, &err), FC_ERR_MISMATCH);
    assert_contains(err.message, "15 x 9");
    unsigned char *after = test_slurp(out, &after_n);
    assert_int_equal(before_n, after_n);
    assert_memory_equal(before, after, (size_t)before_n);
    char partial[4300];
    snprintf(partial, sizeof partial, "%s.partial", out);
    assert_false(exists(partial));
    free(before);
    free(after);
}

static void expect_bad(fc_ingest_options *o, const char *needle)
{
    fc_error err;
    fc_error_clear(&err);
    assert_int_not_equal(fc_ingest(o, NULL, &err), FC_OK);
    assert_contains(err.message, needle);
    assert_false(exists(o->out_path));
    char partial[4300];
    snprintf(partial, sizeof partial, "%s.partial", o->out_path);
    assert_false(exists(partial));
}

/* Into labels (4200 bytes): the label SEG-Y of a synthetic survey of 24 crosslines written to folder `name`. */
static void synth_labels(char *labels, const char *name, int inlines, int samples)
{
    char folder[4096];
    test_path(folder, sizeof folder, name);
    fc_synth_options so = fc_synth_options_default();
    so.inlines = inlines;
    so.crosslines = 24;
    so.samples = samples;
    fc_error err;
    if (fc_synth_write(folder, &so, NULL, &err))
        fail_msg("%s", err.message);
    snprintf(labels, 4200, "%s/labels.sgy", folder);
}

static void test_bad_inputs_write_nothing(void **state)
{
    (void)state;
    char survey[4200], labels[4200], classes[4200], out[4200], f[4200], g[4200], h[4200];
    fc_ingest_options o = base_options(survey, labels, classes, out, "bad.h5");
    test_path(f, sizeof f, "bad-picks.csv");
    o.label_paths[0] = f;
    test_write_text(f, "inline,crossline,time_ms,facies\n1001,2001,40,3\n1001,2001,40,9\n");
    expect_bad(&o, "row 3: facies code 9 is not in the classes file");
    test_write_text(f, "inline,crossline,time_ms,facies\n1001,2001,40,3\n1020,2001,40,3\n");
    expect_bad(&o, "row 3: inline 1020 crossline 2001 is off the survey grid");
    test_write_text(f, "inline,crossline,time_ms,facies\n1001,2001,9000,3\n");
    expect_bad(&o, "row 2: the pick is outside");
    test_write_text(f, "inline,crossline,facies\n1001,2001,3\n");
    expect_bad(&o, "row 1 must be a header");
    /* Crossing horizons. */
    test_path(g, sizeof g, "top.txt");
    test_path(h, sizeof h, "base.txt");
    test_write_text(g, "1000 2000 40\n1003 2005 100\n");
    test_write_text(h, "1000 2000 80\n1003 2005 60\n");
    test_write_text(f, "top_horizon,base_horizon,facies\ntop.txt,base.txt,2\n");
    expect_bad(&o, "cross at inline 1003 crossline 2005");
    /* A label SEG-Y sampled otherwise. */
    synth_labels(f, "other-samples", 9, 48);
    expect_bad(&o, "label traces have 48 samples, the survey");
    /* Bad classes file. */
    o.label_paths[0] = labels;
    test_write_text(g, "code,name,colour\n1,a,#zzzzzz\n");
    o.classes_path = g;
    expect_bad(&o, "row 2: colour '#zzzzzz' is not #rrggbb");
}

/* Picks on missing traces are skipped and counted with their rows (refused with strict); a label SEG-Y covering part
 * of the survey labels that part. */
static void test_missing_and_partial_labels(void **state)
{
    (void)state;
    char survey[4200], labels[4200], classes[4200], out[4200], f[4200];
    dir = holes_dir;
    fc_ingest_options o = base_options(survey, labels, classes, out, "missing.h5");
    fc_survey *s = NULL;
    fc_error err;
    assert_int_equal(fc_survey_open(&s, survey, NULL, &err), FC_OK);
    const fc_survey_info *in = fc_survey_get_info(s);
    int hole = -1, live = -1;
    for (int c = 0; c < in->inline_count * in->crossline_count; c++) {
        int64_t t = fc_survey_trace_at(s, c / in->crossline_count, c % in->crossline_count);
        hole = hole < 0 && t < 0 ? c : hole;
        live = live < 0 && t >= 0 ? c : live;
    }
    assert_true(hole >= 0 && live >= 0);
    char text[512];
    int32_t hil = in->inline_numbers[hole / in->crossline_count],
            hxl = in->crossline_numbers[hole % in->crossline_count];
    int32_t lil = in->inline_numbers[live / in->crossline_count],
            lxl = in->crossline_numbers[live % in->crossline_count];
    snprintf(text, sizeof text, "inline,crossline,time_ms,facies\n%d,%d,40,1\n%d,%d,40,1\n%d,%d,80,2\n", (int)lil,
             (int)lxl, (int)hil, (int)hxl, (int)hil, (int)hxl);
    fc_survey_close(s);
    test_path(f, sizeof f, "missing-picks.csv");
    test_write_text(f, text);
    o.label_paths[0] = f;
    o.patch_width = o.patch_height = 1;
    fc_ingest_summary sum;
    assert_int_equal(fc_ingest(&o, &sum, &err), FC_OK);
    assert_int_equal(sum.labels_missing, 2);
    assert_int_equal(sum.labels_seen, 1);
    char want[4400];
    snprintf(want, sizeof want, "%s rows 3, 4", f);
    assert_string_equal(sum.missing_examples, want);
    o.strict = 1;
    remove(out);
    expect_bad(&o, "row 3: inline");
    expect_bad(&o, "is a missing trace in the survey");

    /* The first 4 of the 10 inlines of the complete survey, as a label volume of its own. */
    synth_labels(f, "part-labels", 4, 64);
    dir = full_dir;
    o = base_options(survey, labels, classes, out, "partial.h5");
    dir = holes_dir;
    o.label_paths[0] = f;
    o.filter.per_class = 0;
    assert_int_equal(fc_ingest(&o, &sum, &err), FC_OK);
    fc_survey *l = NULL;
    assert_int_equal(fc_survey_open(&l, f, NULL, &err), FC_OK);
    int64_t labelled = 0;
    float tr[64];
    for (int64_t t = 0; t < fc_survey_get_info(l)->trace_count; t++) {
        assert_int_equal(fc_survey_read_trace(l, t, tr, &err), FC_OK);
        for (int k = 0; k < 64; k++)
            labelled += tr[k] > 0.0f;
    }
    fc_survey_close(l);
    assert_true(labelled > 4 * 24 * 32);
    assert_int_equal(sum.labels_seen, labelled);
    assert_int_equal(sum.labels_missing, 0);
    assert_int_equal(sum.labels_off_grid, 0);
}

static void test_stride_and_lines(void **state)
{
    (void)state;
    char survey[4200], labels[4200], classes[4200], out[4200];
    dir = full_dir;
    fc_ingest_options o = base_options(survey, labels, classes, out, "stride.h5");
    dir = holes_dir;
    o.filter.stride = 3;
    o.filter.per_class = 0;
    o.filter.il_min = 1002;
    o.filter.il_max = 1004;
    fc_ingest_summary sum;
    fc_error err;
    assert_int_equal(fc_ingest(&o, &sum, &err), FC_OK);
    fc_patches *p = NULL;
    assert_int_equal(fc_patches_open(&p, out, &err), FC_OK);
    int64_t n = fc_patches_count(p);
    int32_t *pos = malloc(sizeof(int32_t) * 4 * (size_t)n);
    assert_int_equal(fc_patches_read(p, 0, n, NULL, NULL, pos, &err), FC_OK);
    for (int64_t r = 0; r < n; r++) {
        assert_int_equal(pos[4 * r + 1], 1003); /* the only inline index in 2..4 that is a multiple of 3 */
        assert_int_equal((pos[4 * r + 2] - 2000) % 3, 0);
        assert_int_equal(pos[4 * r + 3] % 3, 0);
    }
    assert_true(n > 100);
    free(pos);
    fc_patches_close(p);
}

static void keep_line(void *ctx, const char *line)
{
    snprintf(ctx, 256, "%s", line);
}

/* A dataset that cannot be created says why, as the system words it; a patch taller than the traces (which
 * works, by reflection) gets a note. */
static void test_reasons_and_notes(void **state)
{
    (void)state;
    char survey[4200], labels[4200], classes[4200], out[4200], line[256] = "";
    dir = full_dir;
    fc_ingest_options o = base_options(survey, labels, classes, out, "no-such-folder/p.h5");
    expect_bad(&o, "No such file or directory");
    o = base_options(survey, labels, classes, out, "tall.h5");
    o.patch_height = 1025;
    o.report.log = keep_line;
    o.report.ctx = line;
    fc_error err;
    assert_int_equal(fc_ingest(&o, NULL, &err), FC_OK);
    assert_contains(line, "patch height 1025 is taller than the traces");
}

static void test_damaged_dataset_refused(void **state)
{
    (void)state;
    char survey[4200], labels[4200], classes[4200], out[4200];
    fc_ingest_options o = base_options(survey, labels, classes, out, "damaged.h5");
    fc_error err;
    assert_int_equal(fc_ingest(&o, NULL, &err), FC_OK);
    long n;
    unsigned char *b = test_slurp(out, &n);
    FILE *f = fopen(out, "wb");
    fwrite(b, 1, (size_t)n / 2, f);
    fclose(f);
    free(b);
    fc_patches *p = NULL;
    assert_int_not_equal(fc_patches_open(&p, out, &err), FC_OK);
    assert_contains(err.message, out);
    test_write_text(out, "not hdf5 at all");
    assert_int_equal(fc_patches_open(&p, out, &err), FC_ERR_FORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_against_truth),   cmocka_unit_test(test_append_replaces_and_extends),
        cmocka_unit_test(test_bad_inputs_write_nothing),   cmocka_unit_test(test_stride_and_lines),
        cmocka_unit_test(test_damaged_dataset_refused),    cmocka_unit_test(test_reasons_and_notes),
        cmocka_unit_test(test_missing_and_partial_labels),
    };
    return cmocka_run_group_tests_name("ingest", tests, setup, NULL);
}
