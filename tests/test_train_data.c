/* The training data in memory. The validation split never leaks: read back from /positions, no training patch
 * shares a single sample with a validation patch, for inline, crossline and both-orientation datasets of a 3-D
 * survey and for a 2-D line, with the default block of lines and with lines named as --val-lines does, and for
 * patches from one section (one inline, one crossline) split on a block of its traces as --val-traces does; checked
 * geometrically (each patch is a box of grid cells, reflect padding stays inside it), independently of how
 * train_data_split decides. Every split, the random one too, counts the training patches of each class. Balanced
 * sampling (--balance sample) draws every class equally often; augmentation flips left-right about half the time
 * and never flips time. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Cut 9 x 9 patches; lines (if not NULL) keeps inlines lines[0]..lines[1] and crosslines lines[2]..lines[3]. */
static void ingest_lines(const char *survey, const char *labels, const char *classes, int orientations,
                         const int32_t *lines, const char *name, char *out, size_t n)
{
    fc_ingest_options o = fc_ingest_options_default();
    if (lines) {
        o.filter.il_min = lines[0];
        o.filter.il_max = lines[1];
        o.filter.xl_min = lines[2];
        o.filter.xl_max = lines[3];
    }
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

static void ingest(const char *survey, const char *labels, const char *classes, int orientations, const char *name,
                   char *out, size_t n)
{
    ingest_lines(survey, labels, classes, orientations, NULL, name, out, n);
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

/* A synthetic survey of inlines x crosslines with 5% of its traces missing, in test_path(name). */
static void synth_survey(const char *name, int inlines, int crosslines, fc_synth_options *so, char *survey,
                         char *labels, char *classes, size_t n, int *il_step, int *xl_step)
{
    char dir[4096];
    *so = fc_synth_options_default();
    so->inlines = inlines;
    so->crosslines = crosslines;
    so->samples = 32;
    so->missing = 0.05;
    test_path(dir, sizeof dir, name);
    fc_error err;
    if (fc_synth_write(dir, so, NULL, &err))
        fail_msg("%s", err.message);
    snprintf(survey, n, "%s/survey.sgy", dir);
    snprintf(labels, n, "%s/labels.sgy", dir);
    snprintf(classes, n, "%s/classes.csv", dir);
    fc_survey *s = NULL;
    if (fc_survey_open(&s, survey, NULL, &err))
        fail_msg("%s", err.message);
    *il_step = fc_survey_get_info(s)->inline_step;
    *xl_step = fc_survey_get_info(s)->crossline_step;
    fc_survey_close(s);
}

/* The split of a dataset with these options fails with FC_ERR_ARGUMENT. */
static void assert_refused(const char *patches, const fc_train_options *o)
{
    fc_patches *p = NULL;
    train_data d;
    fc_error err;
    if (fc_patches_open(&p, patches, &err) || train_data_load(&d, p, &err))
        fail_msg("%s: %s", patches, err.message);
    assert_int_equal(train_data_split(&d, o, &err), FC_ERR_ARGUMENT);
    train_data_free(&d);
    fc_patches_close(p);
}

/* Patches from one section: the default block of its traces, another seed's, and a named block (--val-traces). */
static void check_section_splits(const char *patches, int32_t val_lo, int32_t val_hi, int il_step, int xl_step)
{
    fc_train_options o = fc_train_options_default();
    assert_no_leak(patches, &o, il_step, xl_step);
    o.seed = 7;
    assert_no_leak(patches, &o, il_step, xl_step);
    o.val_traces = 1;
    o.val_traces_lo = val_lo;
    o.val_traces_hi = val_hi;
    assert_no_leak(patches, &o, il_step, xl_step);
    assert_class_counts(patches, &o);
}

static void test_one_section(void **state)
{
    (void)state;
    char survey[4300], labels[4300], classes[4300], out[4200];
    fc_synth_options so;
    int il_step, xl_step;
    synth_survey("section-survey", 30, 30, &so, survey, labels, classes, sizeof survey, &il_step, &xl_step);
    const int32_t il = so.first_inline + 11, xl = so.first_crossline + 17;
    const int32_t one_inline[4] = {il, il, INT32_MIN, INT32_MAX}, one_crossline[4] = {INT32_MIN, INT32_MAX, xl, xl};
    /* One inline: inline patches reach across crosslines, crossline patches (orientation both) do not. */
    ingest_lines(survey, labels, classes, FC_CUT_INLINE, one_inline, "section-il.h5", out, sizeof out);
    check_section_splits(out, so.first_crossline + 20, so.first_crossline + 22, il_step, xl_step);
    fc_train_options o = fc_train_options_default();
    o.nval = 1; /* --val-lines cannot split one inline */
    o.val_lo[0] = o.val_hi[0] = il;
    assert_refused(out, &o);
    ingest_lines(survey, labels, classes, FC_CUT_INLINE | FC_CUT_CROSSLINE, one_inline, "section-il-both.h5", out,
                 sizeof out);
    check_section_splits(out, so.first_crossline + 5, so.first_crossline + 9, il_step, xl_step);
    /* One crossline: crossline patches reach across inlines. */
    ingest_lines(survey, labels, classes, FC_CUT_CROSSLINE, one_crossline, "section-xl.h5", out, sizeof out);
    check_section_splits(out, so.first_inline + 14, so.first_inline + 15, il_step, xl_step);
    ingest_lines(survey, labels, classes, FC_CUT_INLINE | FC_CUT_CROSSLINE, one_crossline, "section-xl-both.h5", out,
                 sizeof out);
    check_section_splits(out, so.first_inline + 20, so.first_inline + 24, il_step, xl_step);
    /* Patches from many lines: --val-traces is refused. */
    ingest(survey, labels, classes, FC_CUT_INLINE, "section-all.h5", out, sizeof out);
    o = fc_train_options_default();
    o.val_traces = 1;
    o.val_traces_lo = so.first_crossline;
    o.val_traces_hi = so.first_crossline + 3;
    assert_refused(out, &o);
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
    check_section_splits(out, 1010, 1012, 1, 1); /* --val-traces names CDPs too */
}

/* A hand-made training set of n 1 x 9 x 9 patches, patch value 10 * row + column (time runs down the rows), with
 * classes[i] rows of class i. */
static void hand_made(train_data *d, const int64_t *classes, int nclasses)
{
    memset(d, 0, sizeof *d);
    for (int c = 0; c < nclasses; c++)
        d->n += classes[c];
    d->c = 1;
    d->h = d->w = 9;
    d->psz = 81;
    d->x = malloc(sizeof(float) * d->psz * (size_t)d->n);
    d->y = malloc(sizeof(int32_t) * (size_t)d->n);
    d->train = malloc(sizeof(int64_t) * (size_t)d->n);
    assert_non_null(d->x);
    assert_non_null(d->y);
    assert_non_null(d->train);
    int64_t at = 0;
    for (int c = 0; c < nclasses; c++)
        for (int64_t k = 0; k < classes[c]; k++, at++) {
            d->y[at] = c;
            d->train[at] = at;
            for (int i = 0; i < 81; i++)
                d->x[(size_t)at * 81 + (size_t)i] = (float)(10 * (i / 9) + i % 9);
        }
    d->ntrain = d->n;
    d->nclasses = nclasses;
    memcpy(d->class_count, classes, sizeof(int64_t) * (size_t)nclasses);
}

static void free_hand_made(train_data *d)
{
    free(d->x);
    free(d->y);
    free(d->train);
}

static void test_balanced_sampling(void **state)
{
    (void)state;
    static const int64_t classes[] = {700, 250, 0, 50}; /* one class absent from the training rows */
    train_data d;
    hand_made(&d, classes, 4);
    int64_t *order = malloc(sizeof(int64_t) * (size_t)d.ntrain), *scratch = malloc(sizeof(int64_t) * (size_t)d.ntrain);
    assert_non_null(order);
    assert_non_null(scratch);
    int64_t drawn[4] = {0};
    const int epochs = 6;
    for (int e = 0; e < epochs; e++) {
        train_data_epoch_order(&d, 3, e, 1, scratch, order);
        for (int64_t i = 0; i < d.ntrain; i++)
            drawn[d.y[order[i]]]++;
    }
    /* 6000 draws over the 3 classes present: 2000 each, binomial sd 37; allow 5 sd. */
    assert_int_equal(drawn[2], 0);
    for (int c = 0; c < 4; c++)
        if (c != 2 && llabs(drawn[c] - 2000) > 185)
            fail_msg("class %d drawn %lld times of 6000, expected 2000", c, (long long)drawn[c]);
    /* Without balancing an epoch is a permutation of the training rows. */
    train_data_epoch_order(&d, 3, 0, 0, scratch, order);
    char *seen = calloc((size_t)d.ntrain, 1);
    assert_non_null(seen);
    for (int64_t i = 0; i < d.ntrain; i++) {
        assert_false(seen[order[i]]);
        seen[order[i]] = 1;
    }
    free(seen);
    free(order);
    free(scratch);
    free_hand_made(&d);
}

static void test_augmentation_never_flips_time(void **state)
{
    (void)state;
    static const int64_t classes[] = {64};
    train_data d;
    hand_made(&d, classes, 1);
    const int n = 64, epochs = 8;
    float *x = malloc(sizeof(float) * 81 * (size_t)n);
    int32_t y[64];
    assert_non_null(x);
    fc_channel amplitude = FC_CHANNEL_AMPLITUDE;
    int flipped = 0;
    for (int e = 0; e < epochs; e++) {
        train_data_batch(&d, d.train, n, 1, 5, e, 0, &amplitude, x, y);
        for (int s = 0; s < n; s++) {
            const float *p = x + (size_t)s * 81;
            /* Shifts move the centre by at most 2 rows and columns, so rows and columns 3..5 stay inside. Down the
             * rows the values must rise (time kept); across the columns they rise, or fall when flipped. */
            for (int j = 3; j <= 5; j++)
                if (!(p[5 * 9 + j] - p[3 * 9 + j] > 10.0f))
                    fail_msg("epoch %d patch %d column %d: time runs backwards (%g above %g)", e, s, j,
                             (double)p[3 * 9 + j], (double)p[5 * 9 + j]);
            float across = p[4 * 9 + 5] - p[4 * 9 + 3];
            assert_true(fabsf(across) > 1.0f);
            flipped += across < 0;
        }
    }
    /* 512 patches, each flipped with probability 1/2: 256, sd 11. */
    if (flipped < 200 || flipped > 312)
        fail_msg("%d of %d patches flipped left-right, expected about half", flipped, n * epochs);
    free(x);
    free_hand_made(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_3d_inline_crossline_and_both),
        cmocka_unit_test(test_2d_line),
        cmocka_unit_test(test_one_section),
        cmocka_unit_test(test_balanced_sampling),
        cmocka_unit_test(test_augmentation_never_flips_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
