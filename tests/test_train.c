/* Training end to end on synthetic data: beats chance on separate lines, early stopping on a plateau, resume gives
 * the same weights as an uninterrupted run, the final model holds the best epoch's weights, fine-tuning with a new
 * head and frozen layers. */
#include "testutil.h"

#include <math.h>
#include <sys/stat.h>

#include "facies/facies.h"

static char patches[4200], patches4[4200];

static int setup(void **state)
{
    (void)state;
    char dir[4096], survey[4300], labels[4300], classes[4300];
    fc_synth_options so = fc_synth_options_default();
    so.inlines = 24;
    so.crosslines = 40;
    so.samples = 80;
    test_path(dir, sizeof dir, "train-survey");
    fc_error err;
    if (fc_synth_write(dir, &so, NULL, &err))
        fail_msg("%s", err.message);
    snprintf(survey, sizeof survey, "%s/survey.sgy", dir);
    snprintf(labels, sizeof labels, "%s/labels.sgy", dir);
    snprintf(classes, sizeof classes, "%s/classes.csv", dir);
    fc_ingest_options o = fc_ingest_options_default();
    o.survey_path = survey;
    o.label_paths[0] = labels;
    o.nlabels = 1;
    o.classes_path = classes;
    o.patch_height = o.patch_width = 25;
    o.filter.per_class = 300;
    test_path(patches, sizeof patches, "train.h5");
    o.out_path = patches;
    if (fc_ingest(&o, NULL, &err))
        fail_msg("%s", err.message);
    /* The same survey with only four of the classes, for fine-tuning to another legend. */
    o.filter.per_class = 60;
    o.classes_path = NULL;
    o.filter.seed = 3;
    test_path(patches4, sizeof patches4, "train4.h5");
    o.out_path = patches4;
    char picks[4300];
    snprintf(picks, sizeof picks, "%s/picks.csv", dir);
    o.label_paths[0] = picks;
    o.filter.per_class = 0;
    if (fc_ingest(&o, NULL, &err))
        fail_msg("%s", err.message);
    return 0;
}

static fc_train_options small(const char *out)
{
    fc_train_options o = fc_train_options_default();
    o.patches_path = patches;
    o.out_path = out;
    o.arch = "conv8-pool-conv16-pool-flatten-dense32-dropout0.2-dense";
    o.epochs = 4;
    o.batch = 16;
    o.threads = 2;
    o.patience = 0;
    o.optimizer.lr = 3e-3;
    return o;
}

static void test_beats_chance_on_separate_lines(void **state)
{
    (void)state;
    char out[4096];
    test_path(out, sizeof out, "m1.h5");
    fc_train_options o = small(out);
    o.epochs = 6;
    o.balance = FC_BALANCE_WEIGHTS;
    fc_train_summary s;
    fc_error err;
    assert_int_equal(fc_train(&o, &s, &err), FC_OK);
    assert_int_equal(s.epochs_run, 6);
    assert_true(s.val_patches > 0 && s.train_patches > 0);
    if (!(s.best_val_accuracy > 0.5)) /* chance is 1/6 */
        fail_msg("best validation accuracy %g", s.best_val_accuracy);
    char side[4200];
    struct stat st;
    assert_int_equal(fc_train_side_path(out, ".history.csv", side, sizeof side, NULL), FC_OK);
    assert_int_equal(stat(side, &st), 0);
    assert_int_equal(fc_train_side_path(out, ".history.png", side, sizeof side, NULL), FC_OK);
    assert_int_equal(stat(side, &st), 0);
    assert_true(st.st_size > 5000);
    /* A side name that does not fit is refused, not cut short into another file's name. */
    char small[16];
    fc_error long_err = {0};
    assert_int_equal(fc_train_side_path("folder/model.h5", ".checkpoint.h5", small, sizeof small, &long_err),
                     FC_ERR_ARGUMENT);
    assert_string_equal(small, "");
    assert_non_null(strstr(long_err.message, "too long"));
    assert_int_equal(fc_train_side_path("m.h5", ".history.csv", small, sizeof small, NULL), FC_OK);
    assert_string_equal(small, "m.history.csv");
    fc_net *net = NULL;
    fc_model_meta m;
    fc_history h;
    assert_int_equal(fc_model_load(out, 4, 1, &net, &m, &h, &err), FC_OK);
    assert_int_equal(h.n, 6);
    assert_int_equal(m.best_epoch, s.best_epoch);
    assert_int_equal(m.in_h, 25);
    assert_int_equal(m.classes.count, 6);
    assert_non_null(strstr(m.data_provenance, "train.h5"));
    fc_history_free(&h);
    fc_net_destroy(net);
}

static void test_early_stopping_on_a_plateau(void **state)
{
    (void)state;
    char out[4096];
    test_path(out, sizeof out, "plateau.h5");
    fc_train_options o = small(out);
    o.epochs = 20;
    o.patience = 2;
    o.optimizer = fc_optimizer_default(FC_OPTIMIZER_SGD);
    o.optimizer.lr = 1e-12; /* nothing moves: validation loss is flat from the first epoch */
    o.optimizer.momentum = 0.0;
    o.arch = "conv4-pool-flatten-dense";
    fc_train_summary s;
    fc_error err;
    assert_int_equal(fc_train(&o, &s, &err), FC_OK);
    assert_true(s.stopped_early);
    assert_int_equal(s.best_epoch, 1);
    assert_int_equal(s.epochs_run, 3);
}

static void assert_same_weights(const char *a, const char *b)
{
    fc_net *na = NULL, *nb = NULL;
    fc_error err;
    assert_int_equal(fc_model_load(a, 2, 1, &na, NULL, NULL, &err), FC_OK);
    assert_int_equal(fc_model_load(b, 2, 1, &nb, NULL, NULL, &err), FC_OK);
    for (int li = 0; li < fc_net_layer_count(na); li++) {
        float *pa[4], *pb[4];
        int64_t sa[4], sb[4];
        int k = fc_net_layer_params(na, li, pa, sa);
        fc_net_layer_params(nb, li, pb, sb);
        for (int p = 0; p < k; p++)
            assert_memory_equal(pa[p], pb[p], sizeof(float) * (size_t)sa[p]);
    }
    fc_net_destroy(na);
    fc_net_destroy(nb);
}

static void test_resume_matches_uninterrupted(void **state)
{
    (void)state;
    char whole[4096], parts[4096], ca[4200], cb[4200];
    test_path(whole, sizeof whole, "whole.h5");
    test_path(parts, sizeof parts, "parts.h5");
    fc_train_options o = small(whole);
    o.augment = 1;
    fc_error err;
    assert_int_equal(fc_train(&o, NULL, &err), FC_OK);
    o.out_path = parts;
    o.epochs = 2;
    assert_int_equal(fc_train(&o, NULL, &err), FC_OK);
    o.epochs = 4;
    o.resume = 1;
    fc_train_summary s;
    assert_int_equal(fc_train(&o, &s, &err), FC_OK);
    assert_int_equal(s.epochs_run, 4);
    assert_int_equal(fc_train_side_path(whole, ".checkpoint.h5", ca, sizeof ca, NULL), FC_OK);
    assert_int_equal(fc_train_side_path(parts, ".checkpoint.h5", cb, sizeof cb, NULL), FC_OK);
    assert_same_weights(ca, cb);       /* the last epoch */
    assert_same_weights(whole, parts); /* the best epoch */
}

/* The model file as written at each new best epoch (the model and optimiser state of that epoch). */
typedef struct best_seen {
    const char *out;
    fc_net *net;
    int epoch;
} best_seen;

static void note_best(void *ctx, int epoch, const fc_history *h, int best)
{
    (void)h;
    best_seen *b = ctx;
    if (!best)
        return;
    fc_net_destroy(b->net);
    b->net = NULL;
    fc_error err;
    assert_int_equal(fc_model_load(b->out, 2, 1, &b->net, NULL, NULL, &err), FC_OK);
    b->epoch = epoch;
}

static void test_final_model_is_the_best_epoch(void **state)
{
    (void)state;
    char out[4096];
    test_path(out, sizeof out, "best.h5");
    best_seen b = {.out = out};
    fc_train_options o = small(out);
    o.epochs = 6;
    o.optimizer.lr = 1e-1; /* a rate too high for a steady descent: later epochs do worse than the best */
    o.epoch_done = note_best;
    o.report.ctx = &b;
    fc_train_summary s;
    fc_error err;
    assert_int_equal(fc_train(&o, &s, &err), FC_OK);
    if (!(s.best_epoch >= 1 && s.best_epoch < s.epochs_run && b.epoch == s.best_epoch))
        fail_msg("best epoch %d of %d (noted %d): the test needs one before the last", s.best_epoch, s.epochs_run,
                 b.epoch);
    fc_net *net = NULL;
    fc_model_meta m;
    fc_history h;
    assert_int_equal(fc_model_load(out, 2, 1, &net, &m, &h, &err), FC_OK);
    assert_int_equal(m.best_epoch, s.best_epoch);
    assert_int_equal(h.n, s.epochs_run); /* the whole history, the epochs after the best included */
    assert_true(m.temperature > 0.0);
    for (int li = 0; li < fc_net_layer_count(net); li++) {
        float *pa[4], *pb[4], *ma[4], *mb[4], *va[4], *vb[4];
        int64_t sa[4], sb[4];
        int k = fc_net_layer_params(net, li, pa, sa);
        fc_net_layer_params(b.net, li, pb, sb);
        for (int p = 0; p < k; p++)
            assert_memory_equal(pa[p], pb[p], sizeof(float) * (size_t)sa[p]);
        k = fc_net_layer_state(net, li, ma, va, sa);
        fc_net_layer_state(b.net, li, mb, vb, sb);
        for (int p = 0; p < k; p++) {
            assert_memory_equal(ma[p], mb[p], sizeof(float) * (size_t)sa[p]);
            assert_memory_equal(va[p], vb[p], sizeof(float) * (size_t)sa[p]);
        }
    }
    fc_history_free(&h);
    fc_net_destroy(net);
    fc_net_destroy(b.net);
}

static void test_fine_tune_new_head_and_frozen(void **state)
{
    (void)state;
    char parent[4096], child[4096];
    test_path(parent, sizeof parent, "parent.h5");
    test_path(child, sizeof child, "child.h5");
    fc_train_options o = small(parent);
    o.epochs = 1;
    fc_error err;
    assert_int_equal(fc_train(&o, NULL, &err), FC_OK);
    o.out_path = child;
    o.init_path = parent;
    o.freeze = 2;
    o.patches_path = patches4;
    o.random_split = 1;
    o.epochs = 2;
    assert_int_equal(fc_train(&o, NULL, &err), FC_OK);
    fc_net *a = NULL, *b = NULL;
    fc_model_meta ma, mb;
    assert_int_equal(fc_model_load(parent, 2, 1, &a, &ma, NULL, &err), FC_OK);
    assert_int_equal(fc_model_load(child, 2, 1, &b, &mb, NULL, &err), FC_OK);
    assert_non_null(strstr(mb.parent_model, "parent.h5"));
    assert_int_equal(mb.frozen_layers, 2);
    /* The two frozen conv layers are the parent's, bit for bit; the trained dense is not. */
    for (int li = 0; li < 4; li++) {
        float *pa[4], *pb[4];
        int64_t sa[4], sb[4];
        int k = fc_net_layer_params(a, li, pa, sa);
        fc_net_layer_params(b, li, pb, sb);
        for (int p = 0; p < k; p++)
            assert_memory_equal(pa[p], pb[p], sizeof(float) * (size_t)sa[p]);
    }
    float *pa[4], *pb[4];
    int64_t sa[4], sb[4];
    fc_net_layer_params(a, 5, pa, sa);
    fc_net_layer_params(b, 5, pb, sb);
    assert_true(memcmp(pa[0], pb[0], sizeof(float) * (size_t)sa[0]) != 0);
    fc_net_destroy(a);
    fc_net_destroy(b);

    /* A model for other patch sizes is refused clearly. */
    char other[4096];
    test_path(other, sizeof other, "other.h5");
    fc_train_options bad = small(other);
    bad.init_path = parent;
    bad.patches_path = patches;
    fc_net_config cfg = {.spec = "conv4-pool-flatten-dense",
                         .in_c = 1,
                         .in_h = 21,
                         .in_w = 21,
                         .classes = 6,
                         .max_batch = 2,
                         .threads = 1,
                         .seed = 1};
    fc_net *net = NULL;
    assert_int_equal(fc_net_create(&net, &cfg, &err), FC_OK);
    fc_model_meta m = ma;
    m.in_h = m.in_w = 21;
    snprintf(m.spec, sizeof m.spec, "conv4-pool-flatten-dense");
    char wrong[4096];
    test_path(wrong, sizeof wrong, "wrong-size.h5");
    assert_int_equal(fc_model_save(wrong, net, &m, NULL, &err), FC_OK);
    fc_net_destroy(net);
    bad.init_path = wrong;
    assert_int_equal(fc_train(&bad, NULL, &err), FC_ERR_MISMATCH);
    assert_contains(err.message, "21x21");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_beats_chance_on_separate_lines), cmocka_unit_test(test_early_stopping_on_a_plateau),
        cmocka_unit_test(test_resume_matches_uninterrupted),   cmocka_unit_test(test_final_model_is_the_best_epoch),
        cmocka_unit_test(test_fine_tune_new_head_and_frozen),
    };
    return cmocka_run_group_tests_name("train", tests, setup, NULL);
}
