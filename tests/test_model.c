/* Model files: save -> load gives bit-identical outputs and state; damaged or mismatched files are refused. */
#include "testutil.h"

#include <hdf5.h>
#include <math.h>

#include "facies/facies.h"

static const char *SPEC = "conv4-batchnorm-pool-conv6k3s1psame-pool-flatten-dense10-dropout0.2-dense";

static fc_net *trained(fc_model_meta *m)
{
    fc_net_config cfg = {
        .spec = SPEC, .in_c = 2, .in_h = 13, .in_w = 11, .classes = 3, .max_batch = 8, .threads = 2, .seed = 4};
    fc_net *net = NULL;
    fc_error err;
    assert_int_equal(fc_net_create(&net, &cfg, &err), FC_OK);
    fc_rng r;
    fc_rng_seed(&r, 2);
    float x[8 * 2 * 13 * 11];
    int32_t y[8];
    fc_optimizer opt = fc_optimizer_default(FC_OPTIMIZER_ADAM);
    for (int s = 0; s < 5; s++) {
        for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
            x[i] = (float)fc_rng_normal(&r);
        for (int i = 0; i < 8; i++)
            y[i] = (int32_t)fc_rng_below(&r, 3);
        assert_int_equal(fc_net_train_step(net, &opt, x, y, 8, NULL, NULL, NULL, NULL), FC_OK);
    }
    memset(m, 0, sizeof *m);
    snprintf(m->spec, sizeof m->spec, "%s", SPEC);
    m->in_c = 2;
    m->in_h = 13;
    m->in_w = 11;
    m->channels = 2;
    m->channel[0] = FC_CHANNEL_AMPLITUDE;
    m->channel[1] = FC_CHANNEL_ENVELOPE;
    snprintf(m->norm.method, sizeof m->norm.method, "clip_abs_percentile");
    m->norm.percentile = 99;
    m->norm.scale = 1234.5;
    m->sample_interval_ms = 4;
    m->optimizer = opt;
    m->best_epoch = 2;
    for (int c = 0; c < 3; c++)
        fc_classes_add_default(&m->classes, 10 + c, NULL, NULL);
    snprintf(m->data_provenance, sizeof m->data_provenance, "patches.h5");
    return net;
}

static void test_round_trip_bit_for_bit(void **state)
{
    (void)state;
    fc_model_meta m, back;
    fc_net *net = trained(&m);
    fc_history h = {0};
    assert_int_equal(fc_history_push(&h, 1.0, 0.5, 1.1, 0.4, 3.0, NULL), FC_OK);
    assert_int_equal(fc_history_push(&h, 0.8, 0.6, 0.9, 0.55, 6.0, NULL), FC_OK);
    char path[4096];
    test_path(path, sizeof path, "model.h5");
    fc_error err;
    m.temperature = 1.75;
    snprintf(m.training_key, sizeof m.training_key, "batch=8 seed=3 validation=lines:-5:10");
    assert_int_equal(fc_model_save(path, net, &m, &h, &err), FC_OK);
    fc_net *loaded = NULL;
    fc_history hb;
    assert_int_equal(fc_model_load(path, 8, 2, &loaded, &back, &hb, &err), FC_OK);
    assert_string_equal(back.spec, SPEC);
    assert_int_equal(back.classes.count, 3);
    assert_int_equal(back.classes.c[2].code, 12);
    assert_true(back.norm.scale == 1234.5);
    assert_int_equal(back.channels, 2);
    assert_int_equal(back.channel[1], FC_CHANNEL_ENVELOPE);
    assert_int_equal(back.best_epoch, 2);
    assert_true(back.temperature == 1.75);
    assert_string_equal(back.training_key, "batch=8 seed=3 validation=lines:-5:10");
    assert_int_equal(hb.n, 2);
    assert_true(hb.val_accuracy[1] == 0.55);
    assert_int_equal(fc_net_steps(loaded), 5);
    /* Same outputs, bit for bit. */
    fc_rng r;
    fc_rng_seed(&r, 9);
    float x[8 * 286], pa[24], pb[24];
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
        x[i] = (float)fc_rng_normal(&r);
    assert_int_equal(fc_net_predict(net, x, 8, pa, NULL), FC_OK);
    assert_int_equal(fc_net_predict(loaded, x, 8, pb, NULL), FC_OK);
    assert_memory_equal(pa, pb, sizeof pa);
    /* And the same state: one more training step on each gives the same weights. */
    fc_optimizer opt = fc_optimizer_default(FC_OPTIMIZER_ADAM);
    int32_t y[8] = {0, 1, 2, 0, 1, 2, 0, 1};
    assert_int_equal(fc_net_train_step(net, &opt, x, y, 8, NULL, NULL, NULL, NULL), FC_OK);
    assert_int_equal(fc_net_train_step(loaded, &opt, x, y, 8, NULL, NULL, NULL, NULL), FC_OK);
    for (int li = 0; li < fc_net_layer_count(net); li++) {
        float *a[4], *b[4];
        int64_t na[4], nb[4];
        int k = fc_net_layer_params(net, li, a, na);
        fc_net_layer_params(loaded, li, b, nb);
        for (int p = 0; p < k; p++)
            assert_memory_equal(a[p], b[p], sizeof(float) * (size_t)na[p]);
    }
    fc_history_free(&h);
    fc_history_free(&hb);
    fc_net_destroy(net);
    fc_net_destroy(loaded);
}

/* Make a copy of the model with one dataset removed or replaced by a wrong-sized one. */
static void damage(const char *from, const char *to, const char *dataset, int replace)
{
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
    hid_t f = H5Fopen(to, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Ldelete(f, dataset, H5P_DEFAULT) >= 0);
    if (replace) {
        hsize_t dims[1] = {7};
        float v[7] = {0};
        hid_t sp = H5Screate_simple(1, dims, NULL);
        hid_t d = H5Dcreate2(f, dataset, H5T_IEEE_F32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
        H5Dclose(d);
        H5Sclose(sp);
    }
    H5Fclose(f);
}

static void test_damaged_models_refused(void **state)
{
    (void)state;
    fc_model_meta m;
    fc_net *net = trained(&m);
    char path[4096], bad[4096];
    test_path(path, sizeof path, "good.h5");
    test_path(bad, sizeof bad, "bad.h5");
    fc_error err;
    assert_int_equal(fc_model_save(path, net, &m, NULL, &err), FC_OK);
    fc_net_destroy(net);
    fc_net *loaded = (fc_net *)&err;
    fc_net *untouched = loaded;
    damage(path, bad, "layers/03_conv2d_1/weights", 0);
    assert_int_equal(fc_model_load(bad, 4, 1, &loaded, NULL, NULL, &err), FC_ERR_FORMAT);
    assert_contains(err.message, "/layers/03_conv2d_1/weights is missing");
    assert_ptr_equal(loaded, untouched);
    damage(path, bad, "layers/06_dense/bias", 1);
    assert_int_equal(fc_model_load(bad, 4, 1, &loaded, NULL, NULL, &err), FC_ERR_FORMAT);
    assert_contains(err.message, "has 7 values; the spec needs 10");
    damage(path, bad, "classes", 0);
    assert_int_equal(fc_model_load(bad, 4, 1, &loaded, NULL, NULL, &err), FC_ERR_FORMAT);
    assert_contains(err.message, "/classes");
    /* A spec that no longer matches the weights. */
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, bad);
    assert_int_equal(system(cmd), 0);
    hid_t f = H5Fopen(bad, H5F_ACC_RDWR, H5P_DEFAULT);
    H5Adelete(f, "spec");
    hid_t t = H5Tcopy(H5T_C_S1);
    const char *other = "conv5-pool-flatten-dense";
    H5Tset_size(t, strlen(other) + 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(f, "spec", t, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, other);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    H5Fclose(f);
    assert_int_equal(fc_model_load(bad, 4, 1, &loaded, NULL, NULL, &err), FC_ERR_FORMAT);
    assert_contains(err.message, bad);
    /* Truncated and not-HDF5 files. */
    snprintf(cmd, sizeof cmd, "head -c 3000 '%s' > '%s'", path, bad);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(fc_model_load(bad, 4, 1, &loaded, NULL, NULL, &err), FC_ERR_FORMAT);
    assert_contains(err.message, "cannot open as HDF5");
}

/* A model saved before calibration existed has no temperature attribute: it loads as 0 (T = 1). */
static void test_temperature_optional(void **state)
{
    (void)state;
    fc_model_meta m, back;
    fc_net *net = trained(&m);
    char path[4096];
    test_path(path, sizeof path, "uncalibrated.h5");
    fc_error err;
    m.temperature = 0.8;
    assert_int_equal(fc_model_save(path, net, &m, NULL, &err), FC_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Adelete(f, "temperature") >= 0);
    H5Fclose(f);
    fc_net *loaded = NULL;
    assert_int_equal(fc_model_load(path, 1, 1, &loaded, &back, NULL, &err), FC_OK);
    assert_true(back.temperature == 0.0);
    assert_string_equal(back.training_key, ""); /* not recorded: not checked on resume */
    fc_net_destroy(loaded);
    fc_net_destroy(net);
}

/* Kinds told from content: what facies writes, SEG-Y, text, a folder; a damaged HDF5 is plain HDF5. */
static void test_file_kinds(void **state)
{
    (void)state;
    fc_model_meta m;
    fc_net *net = trained(&m);
    char path[4096], other[4200], dir[4000], cmd[9000];
    test_path(path, sizeof path, "kind.h5");
    test_path(other, sizeof other, "kind-other.h5");
    test_path(dir, sizeof dir, "kind-synth");
    fc_error err;
    assert_int_equal(fc_model_save(path, net, &m, NULL, &err), FC_OK);
    fc_net_destroy(net);
    assert_int_equal(fc_file_detect(path), FC_FILE_KIND_MODEL);
    /* HDF5 from elsewhere is HDF5; one that does not open (the pre-1.8 layout that HDF5 writes by default,
     * truncation) is left to the reader that wants it, whose message says why. */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_LATEST);
    hid_t f = H5Fcreate(other, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Fclose(f);
    H5Pclose(fapl);
    assert_int_equal(fc_file_detect(other), FC_FILE_KIND_HDF5);
    f = H5Fcreate(other, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    assert_int_equal(fc_file_detect(other), FC_FILE_KIND_UNKNOWN);
    snprintf(cmd, sizeof cmd, "head -c 3000 '%s' > '%s'", path, other);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(fc_file_detect(other), FC_FILE_KIND_UNKNOWN);
    fc_synth_options so = fc_synth_options_default();
    so.inlines = 3;
    so.crosslines = 4;
    so.samples = 40;
    assert_int_equal(fc_synth_write(dir, &so, NULL, &err), FC_OK);
    assert_int_equal(fc_file_detect(dir), FC_FILE_KIND_FOLDER);
    snprintf(other, sizeof other, "%s/survey.sgy", dir);
    assert_int_equal(fc_file_detect(other), FC_FILE_KIND_SEGY);
    snprintf(other, sizeof other, "%s/picks.csv", dir);
    assert_int_equal(fc_file_detect(other), FC_FILE_KIND_TEXT);
    /* Binary bytes without a NUL are not text (they were called "a text file"); a Latin-1 legend with a tab is. */
    snprintf(other, sizeof other, "%s/binary.bin", dir);
    FILE *b = fopen(other, "wb");
    assert_non_null(b);
    fputs("\x89\x01\x02\x7f\xff\x10\x1b data", b);
    fclose(b);
    assert_int_equal(fc_file_detect(other), FC_FILE_KIND_UNKNOWN);
    b = fopen(other, "wb");
    assert_non_null(b);
    fputs("code\tname\tcolour\r\n1\tgr\xe8s\t#ff0000\r\n", b);
    fclose(b);
    assert_int_equal(fc_file_detect(other), FC_FILE_KIND_TEXT);
    snprintf(other, sizeof other, "%s/no-such-file", dir);
    assert_int_equal(fc_file_detect(other), FC_FILE_KIND_UNKNOWN);
    assert_string_equal(fc_file_kind_name(FC_FILE_KIND_PATCHES), "patch dataset");
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_bit_for_bit),
        cmocka_unit_test(test_damaged_models_refused),
        cmocka_unit_test(test_temperature_optional),
        cmocka_unit_test(test_file_kinds),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
