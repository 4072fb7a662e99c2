/* Apply and eval: dense output equals patch-by-patch output (edges and next to missing traces included), output
 * headers copy the input's, previews are valid SEG-Y, metrics match a hand-computed confusion matrix. */
#include "testutil.h"

#include <hdf5.h>
#include <math.h>

#include "facies/facies.h"
#include "facies/eval.h"

static char dir[4096], model[4200], survey[4300], labels[4300];

static int setup(void **state)
{
    (void)state;
    fc_synth_options so = fc_synth_options_default();
    so.inlines = 12;
    so.crosslines = 30;
    so.samples = 60;
    so.missing = 0.05;
    test_path(dir, sizeof dir, "apply-survey");
    fc_error err;
    if (fc_synth_write(dir, &so, NULL, &err))
        fail_msg("%s", err.message);
    snprintf(survey, sizeof survey, "%s/survey.sgy", dir);
    snprintf(labels, sizeof labels, "%s/labels.sgy", dir);
    /* A small trained-looking model: random weights are enough to compare dense with patch-by-patch. */
    fc_net_config cfg = {.spec = "conv6-pool-conv8-batchnorm-pool-flatten-dense12-dropout0.3-dense",
                         .in_c = 2,
                         .in_h = 19,
                         .in_w = 15,
                         .classes = 6,
                         .max_batch = 8,
                         .threads = 1,
                         .seed = 5};
    fc_net *net = NULL;
    if (fc_net_create(&net, &cfg, &err))
        fail_msg("%s", err.message);
    fc_model_meta m;
    memset(&m, 0, sizeof m);
    snprintf(m.spec, sizeof m.spec, "%s", cfg.spec);
    m.in_c = 2;
    m.in_h = 19;
    m.in_w = 15;
    m.channels = 2;
    m.channel[0] = FC_CHANNEL_AMPLITUDE;
    m.channel[1] = FC_CHANNEL_COS_PHASE;
    snprintf(m.norm.method, sizeof m.norm.method, "clip_abs_percentile");
    m.norm.percentile = 99;
    m.norm.scale = 2500.0;
    for (int c = 1; c <= 6; c++)
        fc_classes_add_default(&m.classes, c, NULL, NULL);
    test_path(model, sizeof model, "apply-model.h5");
    if (fc_model_save(model, net, &m, NULL, &err))
        fail_msg("%s", err.message);
    fc_net_destroy(net);
    return 0;
}

static void read_probs(const char *path, float *p, size_t n)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    hid_t d = H5Dopen2(f, "probabilities", H5P_DEFAULT);
    hid_t sp = H5Dget_space(d);
    assert_int_equal((size_t)H5Sget_simple_extent_npoints(sp), n);
    assert_true(H5Dread(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, p) >= 0);
    H5Sclose(sp);
    H5Dclose(d);
    H5Fclose(f);
}

static void test_sweep_equals_patch_by_patch(void **state)
{
    (void)state;
    char out[4200], probs[4200];
    test_path(out, sizeof out, "facies.sgy");
    test_path(probs, sizeof probs, "probs.h5");
    fc_apply_options o = fc_apply_options_default();
    o.model_path = model;
    o.survey_path = survey;
    o.out_path = out;
    o.probabilities_path = probs;
    o.use_training_scale = 1;
    o.threads = 2;
    fc_apply_summary s;
    fc_error err;
    assert_int_equal(fc_apply(&o, &s, &err), FC_OK);
    assert_true(s.exact);
    fc_survey *sv = NULL;
    assert_int_equal(fc_survey_open(&sv, survey, NULL, &err), FC_OK);
    const fc_survey_info *in = fc_survey_get_info(sv);
    int NI = in->inline_count, NX = in->crossline_count, NS = in->sample_count;
    float *pv = malloc(sizeof(float) * (size_t)NI * NX * NS * 6);
    read_probs(probs, pv, (size_t)NI * NX * NS * 6);

    fc_net *net = NULL;
    fc_model_meta m;
    assert_int_equal(fc_model_load(model, 1, 1, &net, &m, NULL, &err), FC_OK);
    fc_sectioner *sec = NULL;
    assert_int_equal(fc_sectioner_create(&sec, NX, NS, m.channel, m.channels, &m.norm, &err), FC_OK);
    float *raw = malloc(sizeof(float) * (size_t)NX * NS), *planes = malloc(sizeof(float) * 2 * (size_t)NX * NS);
    unsigned char *present = malloc((size_t)NX);
    float patch[2 * 19 * 15], p[6];
    fc_rng r;
    fc_rng_seed(&r, 4);
    double worst = 0.0;
    int near_missing = 0;
    for (int i = 0; i < NI; i++) {
        assert_int_equal(fc_survey_read_section(sv, FC_ORIENTATION_INLINE, i, 0, NS, raw, present, &err), FC_OK);
        fc_sectioner_apply(sec, raw, planes);
        for (int q = 0; q < 40; q++) {
            int j = q < 4 ? (q & 1) * (NX - 1) : (int)fc_rng_below(&r, (uint64_t)NX);
            int k = q < 4 ? (q >> 1) * (NS - 1) : (int)fc_rng_below(&r, (uint64_t)NS);
            if (!present[j])
                continue;
            for (int w = -7; w <= 7; w++)
                near_missing += !present[fc_reflect(j + w, NX)];
            fc_patch_cut(planes, 2, NX, NS, NULL, j, k, 19, 15, patch);
            assert_int_equal(fc_net_predict(net, patch, 1, p, NULL), FC_OK);
            for (int c = 0; c < 6; c++) {
                double e = fabs(p[c] - pv[(((size_t)i * NX + j) * NS + k) * 6 + c]);
                worst = e > worst ? e : worst;
            }
        }
    }
    assert_true(near_missing > 0); /* some compared patches reach missing traces */
    if (worst > 2e-5)
        fail_msg("dense and patch-by-patch probabilities differ by %g", worst);
    free(pv);
    free(raw);
    free(planes);
    free(present);
    fc_sectioner_destroy(sec);
    fc_net_destroy(net);
    fc_survey_close(sv);
}

static void test_both_orientations_average(void **state)
{
    (void)state;
    const char *names[3] = {"p-inline.h5", "p-crossline.h5", "p-both.h5"};
    int orient[3] = {FC_CUT_INLINE, FC_CUT_CROSSLINE, FC_CUT_INLINE | FC_CUT_CROSSLINE};
    size_t n = 12 * 30 * 60 * 6;
    float *p[3];
    for (int v = 0; v < 3; v++) {
        char out[4200], probs[4200], fname[64];
        snprintf(fname, sizeof fname, "both-%d.sgy", v);
        test_path(out, sizeof out, fname);
        test_path(probs, sizeof probs, names[v]);
        fc_apply_options o = fc_apply_options_default();
        o.model_path = model;
        o.survey_path = survey;
        o.out_path = out;
        o.probabilities_path = probs;
        o.orientations = orient[v];
        o.threads = 2;
        fc_error err;
        assert_int_equal(fc_apply(&o, NULL, &err), FC_OK);
        p[v] = malloc(sizeof(float) * n);
        read_probs(probs, p[v], n);
    }
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = fabs(p[2][i] - 0.5 * (p[0][i] + p[1][i]));
        worst = e > worst ? e : worst;
    }
    assert_true(worst < 1e-6);
    assert_true(memcmp(p[0], p[1], sizeof(float) * n) != 0); /* the two orientations really differ */
    for (int v = 0; v < 3; v++)
        free(p[v]);
}

static void test_headers_copied_and_preview(void **state)
{
    (void)state;
    char out[4200];
    test_path(out, sizeof out, "preview.sgy");
    fc_apply_options o = fc_apply_options_default();
    o.model_path = model;
    o.survey_path = survey;
    o.out_path = out;
    o.step = 4;
    o.format = FC_SAMPLE_FORMAT_IBM;
    fc_error err;
    fc_apply_summary s;
    assert_int_equal(fc_apply(&o, &s, &err), FC_OK);
    assert_false(s.exact);
    long na, nb;
    unsigned char *a = test_slurp(survey, &na), *b = test_slurp(out, &nb);
    assert_int_equal(na, nb);                    /* IBM in, IBM out: same size */
    assert_memory_equal(a + 3200, b + 3200, 24); /* binary header but the format code ... */
    assert_memory_equal(a + 3226, b + 3226, 400 - 26);
    int traces = (int)((na - 3600) / (240 + 60 * 4));
    for (int t = 0; t < traces; t++) /* ... and every trace header byte for byte */
        assert_memory_equal(a + 3600 + (long)t * 480, b + 3600 + (long)t * 480, 240);
    unsigned char text[3200];
    memcpy(text, b, sizeof text);
    fc_ebcdic_to_ascii(text, sizeof text);
    assert_non_null(memmem(text, sizeof text, "LEGEND", 6));
    assert_non_null(memmem(text, sizeof text, "apply-model.h5", 14));
    free(a);
    free(b);
    /* Every sample is a legend code. */
    fc_survey *f = NULL;
    assert_int_equal(fc_survey_open(&f, out, NULL, &err), FC_OK);
    float tr[60];
    assert_int_equal(fc_survey_read_trace(f, 3, tr, &err), FC_OK);
    for (int k = 0; k < 60; k++)
        assert_true(tr[k] >= 1 && tr[k] <= 6 && tr[k] == floorf(tr[k]));
    fc_survey *in = NULL;
    assert_int_equal(fc_survey_open(&in, survey, NULL, &err), FC_OK);
    /* Missing traces stay missing: the same holes in the same places. */
    assert_true(fc_survey_get_info(in)->missing_traces > 0);
    assert_int_equal(fc_survey_get_info(f)->missing_traces, fc_survey_get_info(in)->missing_traces);
    for (int i = 0; i < fc_survey_get_info(in)->inline_count; i++)
        for (int j = 0; j < fc_survey_get_info(in)->crossline_count; j++)
            assert_int_equal(fc_survey_trace_at(f, i, j), fc_survey_trace_at(in, i, j));
    fc_survey_close(in);
    fc_survey_close(f);
}

static void test_metrics_hand_computed(void **state)
{
    (void)state;
    /* labels x predictions:  A: 5 1 0 | B: 2 3 0 | C: 0 0 0 (absent from labels) | plus one C predicted for A */
    int64_t m[9] = {5, 1, 1, 2, 3, 0, 0, 0, 0};
    fc_eval_result r;
    memset(&r, 0, sizeof r);
    r.n = 3;
    r.confusion = m;
    fc_eval_metrics(&r);
    assert_int_equal(r.total, 12);
    assert_true(fabs(r.pixel_accuracy - 8.0 / 12.0) < 1e-12);
    assert_true(fabs(r.class_accuracy[0] - 5.0 / 7.0) < 1e-12);
    assert_true(fabs(r.class_accuracy[1] - 3.0 / 5.0) < 1e-12);
    assert_true(isnan(r.class_accuracy[2]));
    assert_true(fabs(r.mean_class_accuracy - (5.0 / 7.0 + 3.0 / 5.0) / 2) < 1e-12);
    double iou_a = 5.0 / (7 + 7 - 5), iou_b = 3.0 / (5 + 4 - 3);
    assert_true(fabs(r.iou[0] - iou_a) < 1e-12);
    assert_true(fabs(r.iou[1] - iou_b) < 1e-12);
    assert_true(fabs(r.mean_iou - (iou_a + iou_b) / 2) < 1e-12);
    assert_true(fabs(r.fw_iou - (7.0 / 12 * iou_a + 5.0 / 12 * iou_b)) < 1e-12);
}

static void test_eval_perfect_against_itself(void **state)
{
    (void)state;
    fc_eval_options o = fc_eval_options_default();
    o.pred_path = labels; /* the truth scored against itself */
    o.labels_path = labels;
    o.il_min = 1003;
    o.il_max = 1005;
    fc_eval_result r;
    fc_error err;
    assert_int_equal(fc_eval(&o, &r, &err), FC_OK);
    assert_true(r.pixel_accuracy == 1.0 && r.mean_iou == 1.0 && fabs(r.fw_iou - 1.0) < 1e-12);
    assert_true(r.total > 0 && r.total % 60 == 0);
    fc_eval_free(&r);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_equals_patch_by_patch), cmocka_unit_test(test_both_orientations_average),
        cmocka_unit_test(test_headers_copied_and_preview),  cmocka_unit_test(test_metrics_hand_computed),
        cmocka_unit_test(test_eval_perfect_against_itself),
    };
    return cmocka_run_group_tests_name("apply", tests, setup, NULL);
}
