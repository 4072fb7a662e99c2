/* Damaged HDF5 files: single bit flips anywhere in a model file are refused cleanly or load, never crash.
 * Its own suite because HDF5 1.10.8 leaks memory on some corrupted files (its leak, suppressed for this test). */
#include "testutil.h"

#include <hdf5.h>

#include "facies/facies.h"

static fc_net *small_net(fc_model_meta *m)
{
    fc_net_config cfg = {.spec = "conv4-batchnorm-pool-flatten-dense6-dense",
                         .in_c = 1,
                         .in_h = 9,
                         .in_w = 9,
                         .classes = 3,
                         .max_batch = 2,
                         .threads = 1,
                         .seed = 4};
    fc_net *net = NULL;
    fc_error err;
    assert_int_equal(fc_net_create(&net, &cfg, &err), FC_OK);
    memset(m, 0, sizeof *m);
    snprintf(m->spec, sizeof m->spec, "%s", cfg.spec);
    m->in_c = m->channels = 1;
    m->in_h = m->in_w = 9;
    snprintf(m->norm.method, sizeof m->norm.method, "clip_abs_percentile");
    m->norm.scale = 1.0;
    for (int c = 0; c < 3; c++)
        fc_classes_add_default(&m->classes, c, NULL, NULL);
    return net;
}

/* Single bit flips anywhere in a model file: each load fails cleanly or succeeds, never crashes. */
static void test_bit_flips(void **state)
{
    (void)state;
    fc_model_meta m;
    fc_net *net = small_net(&m);
    char path[4096], bad[4096];
    test_path(path, sizeof path, "flip-src.h5");
    test_path(bad, sizeof bad, "flip.h5");
    fc_error err;
    assert_int_equal(fc_model_save(path, net, &m, NULL, &err), FC_OK);
    fc_net_destroy(net);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    fc_rng r;
    fc_rng_seed(&r, 21);
    int refused = 0;
    for (int k = 0; k < 150; k++) {
        /* Mostly the first 4 KB (superblock, headers, attributes), where structure lives. */
        long at = k % 3 ? (long)fc_rng_below(&r, (uint64_t)(n < 4096 ? n : 4096)) : (long)fc_rng_below(&r, (uint64_t)n);
        unsigned char bit = (unsigned char)(1u << fc_rng_below(&r, 8));
        b[at] ^= bit;
        f = fopen(bad, "wb");
        fwrite(b, 1, (size_t)n, f);
        fclose(f);
        b[at] ^= bit;
        fc_net *loaded = NULL;
        if (fc_model_load(bad, 2, 1, &loaded, NULL, NULL, &err) == FC_OK)
            fc_net_destroy(loaded);
        else
            refused++;
    }
    assert_true(refused > 0);
    free(b);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bit_flips),
    };
    return cmocka_run_group_tests_name("model_damage", tests, NULL, NULL);
}
