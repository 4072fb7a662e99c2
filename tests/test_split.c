/* The validation split never leaks: read back from /positions, no training patch shares a single sample with a
 * validation patch, for inline, crossline and both-orientation datasets of a 3-D survey and for a 2-D line, with
 * the default block of lines and with lines named as --val-lines does. Checked geometrically (each patch is a box
 * of grid cells, reflect padding stays inside it), independently of how train_data_split decides. Every split, the
 * random one too, counts the training patches of each class. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "facies/facies.h"
#include "fixture_segy.h"
#include "train_data.h"

/* Inclusive ranges of inline, crossline (CDP on a 2-D line) and sample that a patch reads. */
typedef struct box {
    int64_t lo[3], hi[3];
} box;

static box box_of(const int32_t *pos, int h, int w, int il_step, int xl_step)
{
    int64_t reach = w / 2;
    box b = {{pos[1], pos[2], pos[3] - h / 2}, {pos[1], pos[2], pos[3] + h / 2}};
    if (pos[0] == 1) { /* a crossline section runs across inlines */
        b.lo[0] -= reach * il_step;
        b.hi[0] += reach * il_step;
    } else { /* an inline section, or a 2-D line, runs across crosslines (CDPs) */
        b.lo[1] -= reach * xl_step;
        b.hi[1] += reach * xl_step;
    }
    return b;
}

static int boxes_meet(const box *a, const box *b)
{
    for (int d = 0; d < 3; d++)
        if (a->hi[d] < b->lo[d] || b->hi[d] < a->lo[d])
            return 0;
    return 1;
}

/* Open the dataset and split it as training does; the caller frees both. */
static void split(const char *patches, const fc_train_options *o, fc_patches **p, train_data *d)
{
    fc_error err;
    if (fc_patches_open(p, patches, &err))
        fail_msg("%s", err.message);
    if (train_data_load(d, *p, &err) || train_data_split(d, o, &err))
        fail_msg("%s: %s", patches, err.message);
}

/* Split the dataset as training does and assert that no training patch meets a validation patch. */
static void assert_no_leak(const char *patches, const fc_train_options *o, int il_step, int xl_step)
{
    fc_patches *p = NULL;
    train_data d;
    split(patches, o, &p, &d);
    assert_true(d.nval > 0);
    assert_true(d.ntrain > 0);
    box *val = malloc(sizeof(box) * (size_t)d.nval);
    assert_non_null(val);
    for (int64_t v = 0; v < d.nval; v++)
        val[v] = box_of(d.pos + 4 * d.val[v], d.h, d.w, il_step, xl_step);
    for (int64_t t = 0; t < d.ntrain; t++) {
        box b = box_of(d.pos + 4 * d.train[t], d.h, d.w, il_step, xl_step);
        for (int64_t v = 0; v < d.nval; v++)
            if (boxes_meet(&b, &val[v])) {
                const int32_t *a = d.pos + 4 * d.train[t], *c = d.pos + 4 * d.val[v];
                fail_msg("%s: training patch (%d, %d, %d, %d) overlaps validation patch (%d, %d, %d, %d)", patches,
                         a[0], a[1], a[2], a[3], c[0], c[1], c[2], c[3]);
            }
    }
    free(val);
    train_data_free(&d);
    fc_patches_close(p);
}

/* Every split, the random one too, counts the training patches of each class (balancing weighs and draws by them). */
static void assert_class_counts(const char *patches, const fc_train_options *o)
{
    fc_patches *p = NULL;
    train_data d;
    split(patches, o, &p, &d);
    int64_t want[FC_MAX_CLASSES] = {0};
    for (int64_t t = 0; t < d.ntrain; t++)
        want[d.y[d.train[t]]]++;
    for (int c = 0; c < d.nclasses; c++)
        assert_int_equal(d.class_count[c], want[c]);
    train_data_free(&d);
    fc_patches_close(p);
}

static void ingest(const char *survey, const char *labels, const char *classes, int orientations, const char *name,
                   char *out, size_t n)
{
    fc_ingest_options o = fc_ingest_options_default();
    o.survey_path = survey;
    o.label_paths[0] = labels;
    o.nlabels = 1;
    o.classes_path = classes;
    o.patch_height = o.patch_width = 9;
    o.orientations = orientations;
    test_path(out, n, name);
    o.out_path = out;
    fc_error err;
    if (fc_ingest(&o, NULL, &err))
        fail_msg("%s: %s", name, err.message);
}

static void check_both_splits(const char *patches, int32_t val_lo, int32_t val_hi, int il_step, int xl_step)
{
    fc_train_options o = fc_train_options_default();
    assert_no_leak(patches, &o, il_step, xl_step); /* a block of val_fraction of the lines, drawn by the seed */
    o.seed = 7;
    assert_no_leak(patches, &o, il_step, xl_step);
    o.nval = 1; /* named lines, as --val-lines */
    o.val_lo[0] = val_lo;
    o.val_hi[0] = val_hi;
    assert_no_leak(patches, &o, il_step, xl_step);
    assert_class_counts(patches, &o);
    o.random_split = 1;
    assert_class_counts(patches, &o);
}

static void test_3d_inline_crossline_and_both(void **state)
{
    (void)state;
    char dir[4096], survey[4300], labels[4300], classes[4300], out[4200];
    fc_synth_options so = fc_synth_options_default();
    so.inlines = 40; /* crossline patches reach 4 lines across: room for training beside the validation block */
    so.crosslines = 16;
    so.samples = 32;
    so.missing = 0.05;
    test_path(dir, sizeof dir, "split-survey");
    fc_error err;
    if (fc_synth_write(dir, &so, NULL, &err))
        fail_msg("%s", err.message);
    snprintf(survey, sizeof survey, "%s/survey.sgy", dir);
    snprintf(labels, sizeof labels, "%s/labels.sgy", dir);
    snprintf(classes, sizeof classes, "%s/classes.csv", dir);
    fc_survey *s = NULL;
    if (fc_survey_open(&s, survey, NULL, &err))
        fail_msg("%s", err.message);
    int il_step = fc_survey_get_info(s)->inline_step, xl_step = fc_survey_get_info(s)->crossline_step;
    fc_survey_close(s);
    static const struct {
        int orientations;
        const char *name;
    } sets[] = {{FC_CUT_INLINE, "split-il.h5"},
                {FC_CUT_CROSSLINE, "split-xl.h5"},
                {FC_CUT_INLINE | FC_CUT_CROSSLINE, "split-both.h5"}};
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        ingest(survey, labels, classes, sets[i].orientations, sets[i].name, out, sizeof out);
        check_both_splits(out, so.first_inline + 30, so.first_inline + 32, il_step, xl_step);
    }
}

static void test_2d_line(void **state)
{
    (void)state;
    fixture_spec f = fixture_default();
    f.two_d = 1;
    f.n_il = 1;
    f.n_xl = 60; /* CDPs 1001..1060, step 1 */
    f.samples = 40;
    char survey[4200], picks[4200], out[4200];
    test_path(survey, sizeof survey, "split-line.sgy");
    assert_int_equal(fixture_write(survey, &f), 0);
    test_path(picks, sizeof picks, "split-line-picks.csv");
    FILE *fp = fopen(picks, "w");
    assert_non_null(fp);
    fprintf(fp, "cdp,sample,facies\n");
    for (int t = 0; t < f.n_xl; t++)
        for (int k = 4; k < f.samples; k += 8)
            fprintf(fp, "%d,%d,%d\n", 1001 + t, k, 1 + (t / 10 + k / 8) % 3);
    assert_int_equal(fclose(fp), 0);
    ingest(survey, picks, NULL, 0, "split-line.h5", out, sizeof out);
    check_both_splits(out, 1030, 1034, 1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_3d_inline_crossline_and_both),
        cmocka_unit_test(test_2d_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
