/* The patch store (patches.h5) in each dtype, through the public API: values written and read back within the
 * type's quantisation error (float32 exactly; float16 half an ulp, |x| 2^-11, and exactly where a half holds the
 * value, including rounding that carries into the exponent; int8 1/254 of full scale), labels and positions
 * unchanged, the dtype reported, kept on --append and another refused. */
#include "testutil.h"

#include <math.h>

#include "facies/facies.h"

enum { ROWS = 70, H = 5, W = 7, PF = H * W }; /* more rows than the writer buffers, so several flushes */

/* Row r's patch: hand-picked hard values first (ties, carries into the exponent, subnormal halves, the clip
 * limits), then values spread over [-1, 1] and over many binades. */
static void patch_values(int r, float *x)
{
    static const float hard[] = {
        0.0f,     1.0f,     -1.0f,   0.49995f, -0.49995f,   0.99999f, 0.5f + 0x1p-12f, 0.5f + 0x1p-11f + 0x1p-12f,
        0x1p-20f, 0x1p-25f, 6.1e-5f, -3e-6f,   0.33333334f, 1e-3f,    0.7853982f};
    const int nhard = (int)(sizeof hard / sizeof hard[0]);
    for (int i = 0; i < PF; i++) {
        int k = r * PF + i;
        if (k < nhard)
            x[i] = hard[k];
        else if (k % 3 == 0)
            x[i] = (float)sin(0.37 * k); /* [-1, 1] */
        else
            x[i] = (float)(cos(0.11 * k) * pow(2.0, -(double)(k % 23))); /* small values too */
    }
}

static void positions(int r, int32_t *pos)
{
    pos[0] = 0;
    pos[1] = 1000 + r / 10;
    pos[2] = 2000 + r % 10;
    pos[3] = 40;
}

static fc_patches_meta meta_of(fc_patch_dtype t)
{
    fc_patches_meta m;
    memset(&m, 0, sizeof m);
    m.channels = 1;
    m.height = H;
    m.width = W;
    m.dtype = t;
    m.channel[0] = FC_CHANNEL_AMPLITUDE;
    snprintf(m.norm.method, sizeof m.norm.method, "clip_abs_percentile");
    m.norm.percentile = 99.0;
    m.norm.scale = 1.0;
    m.sample_interval_ms = 4.0;
    m.classes.count = 2;
    m.classes.c[0].code = 1;
    m.classes.c[1].code = 2;
    snprintf(m.classes.c[0].name, sizeof m.classes.c[0].name, "a");
    snprintf(m.classes.c[1].name, sizeof m.classes.c[1].name, "b");
    return m;
}

/* Write ROWS rows (append: over an existing file, rows shifted by 100 so they are new). */
static fc_status write_rows(const char *path, fc_patch_dtype t, int append, fc_error *err)
{
    fc_patches_meta m = meta_of(t);
    fc_patches_writer *w = NULL;
    fc_status st = fc_patches_writer_open(&w, path, &m, append, err);
    float x[PF];
    int32_t pos[4];
    for (int r = 0; r < ROWS && !st; r++) {
        patch_values(r, x);
        positions(r + (append ? 100 : 0), pos);
        st = fc_patches_writer_put(w, x, 1 + r % 2, pos, NULL, err);
    }
    if (!st)
        st = fc_patches_writer_commit(w, err);
    fc_patches_writer_destroy(w);
    return st;
}

/* The largest error allowed for a stored x. */
static double bound(fc_patch_dtype t, float x)
{
    if (t == FC_PATCH_DTYPE_FLOAT32)
        return 0.0;
    if (t == FC_PATCH_DTYPE_INT8)
        return 0.5 / 127.0 + 1e-7;
    double a = fabs((double)x);
    return a < 0x1p-14 ? 0x1p-25 : a * 0x1p-11; /* half the spacing of halves around x */
}

static void check_file(const char *path, fc_patch_dtype t, int64_t rows)
{
    fc_error err;
    fc_patches *p = NULL;
    if (fc_patches_open(&p, path, &err))
        fail_msg("%s", err.message);
    assert_int_equal(fc_patches_get_meta(p)->dtype, t);
    assert_int_equal(fc_patches_count(p), rows);
    float *y = malloc(sizeof(float) * PF * (size_t)rows);
    int32_t *lab = malloc(sizeof(int32_t) * (size_t)rows), *pos = malloc(sizeof(int32_t) * 4 * (size_t)rows);
    assert_non_null(y);
    assert_non_null(lab);
    assert_non_null(pos);
    if (fc_patches_read(p, 0, rows, y, lab, pos, &err))
        fail_msg("%s", err.message);
    for (int64_t r = 0; r < rows; r++) {
        float x[PF];
        int32_t want[4];
        patch_values((int)(r % ROWS), x);
        positions((int)(r % ROWS) + (r >= ROWS ? 100 : 0), want);
        assert_int_equal(lab[r], (r % ROWS) % 2);
        assert_memory_equal(pos + 4 * r, want, sizeof want);
        for (int i = 0; i < PF; i++) {
            double got = y[(size_t)r * PF + (size_t)i], e = fabs(got - (double)x[i]);
            if (e > bound(t, x[i]))
                fail_msg("%s (%s): row %lld value %d: %.9g read back as %.9g (error %.3g, bound %.3g)", path,
                         fc_patch_dtype_name(t), (long long)r, i, (double)x[i], got, e, bound(t, x[i]));
        }
    }
    free(y);
    free(lab);
    free(pos);
    fc_patches_close(p);
}

static void test_round_trip_each_dtype(void **state)
{
    (void)state;
    static const fc_patch_dtype types[] = {FC_PATCH_DTYPE_FLOAT32, FC_PATCH_DTYPE_FLOAT16, FC_PATCH_DTYPE_INT8};
    for (int k = 0; k < 3; k++) {
        char path[4200], name[64];
        snprintf(name, sizeof name, "store-%s.h5", fc_patch_dtype_name(types[k]));
        test_path(path, sizeof path, name);
        fc_error err;
        if (write_rows(path, types[k], 0, &err))
            fail_msg("%s", err.message);
        check_file(path, types[k], ROWS);
        /* --append keeps the file's dtype (AUTO) or the same one named; another is refused, the file intact. */
        if (write_rows(path, FC_PATCH_DTYPE_AUTO, 1, &err))
            fail_msg("%s", err.message);
        check_file(path, types[k], 2 * ROWS);
        fc_patch_dtype other = types[(k + 1) % 3];
        assert_int_equal(write_rows(path, other, 1, &err), FC_ERR_MISMATCH);
        assert_contains(err.message, fc_patch_dtype_name(types[k]));
        assert_contains(err.message, fc_patch_dtype_name(other));
        check_file(path, types[k], 2 * ROWS);
    }
}

static void test_default_and_names(void **state)
{
    (void)state;
    char path[4200];
    test_path(path, sizeof path, "store-default.h5");
    fc_error err;
    if (write_rows(path, FC_PATCH_DTYPE_AUTO, 0, &err))
        fail_msg("%s", err.message);
    check_file(path, FC_PATCH_DTYPE_FLOAT16, ROWS); /* the default for a new dataset */
    fc_patch_dtype t;
    for (int k = FC_PATCH_DTYPE_FLOAT32; k <= FC_PATCH_DTYPE_INT8; k++) {
        assert_int_equal(fc_patch_dtype_parse(fc_patch_dtype_name((fc_patch_dtype)k), &t, NULL), FC_OK);
        assert_int_equal(t, k);
    }
    assert_int_equal(fc_patch_dtype_parse("float64", &t, NULL), FC_ERR_ARGUMENT);
    assert_int_equal(fc_patch_dtype_parse("auto", &t, NULL), FC_ERR_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_each_dtype),
        cmocka_unit_test(test_default_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
