/* Several input volumes as channels: NAME=FILE arguments, channel names written and read back, and a volume set
 * given in any order put in a model's order or refused with the names it takes (internal API, volume_set.h). */
#include "testutil.h"

#include "facies/facies.h"
#include "volume_set.h"

static void test_volume_arguments(void **state)
{
    (void)state;
    fc_volume_arg a;
    fc_error err = {0};
    assert_int_equal(fc_volume_arg_parse("far=stacks/far=1.sgy", &a, &err), FC_OK);
    assert_string_equal(a.name, "far");
    assert_string_equal(a.path, "stacks/far=1.sgy");
    const char *bad[] = {"far.sgy",
                         "=far.sgy",
                         "far=",
                         "survey=x.sgy",
                         "f ar=x.sgy",
                         "a:b=x.sgy",
                         "abcdefghijklmnopqrstuvwxyz0123456=x.sgy"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err.message[0] = '\0';
        assert_int_equal(fc_volume_arg_parse(bad[i], &a, &err), FC_ERR_ARGUMENT);
        assert_true(err.message[0] != '\0');
    }
}

/* The survey (scale 2), mid (3) and far (5). */
static void three_volumes(fc_volume_list *vl)
{
    fc_volume_list_single(vl, 2.0);
    vl->count = 3;
    snprintf(vl->v[1].name, sizeof vl->v[1].name, "mid");
    snprintf(vl->v[2].name, sizeof vl->v[2].name, "far");
    vl->v[1].scale = 3.0;
    vl->v[2].scale = 5.0;
}

/* Channel kinds and scales as the command line gives them: counts through an out-parameter, every refusal an
 * FC_ERR_ARGUMENT with its reason. */
static void test_channel_and_scale_lists(void **state)
{
    (void)state;
    fc_channel ch[FC_CHANNEL_KINDS];
    int n = -1;
    fc_error err = {0};
    assert_int_equal(fc_channels_parse("envelope,amplitude", ch, FC_CHANNEL_KINDS, &n, &err), FC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ch[0], FC_CHANNEL_ENVELOPE);
    assert_int_equal(ch[1], FC_CHANNEL_AMPLITUDE);
    const char *bad[] = {"", "phase", "amplitude,amplitude", "amplitude,envelope,cos-phase"};
    int max[] = {3, 3, 3, 2};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = -1;
        err.message[0] = '\0';
        assert_int_equal(fc_channels_parse(bad[i], ch, max[i], &n, &err), FC_ERR_ARGUMENT);
        assert_int_equal(n, -1);
        assert_true(err.message[0] != '\0');
    }
    fc_scales sc = {0};
    assert_int_equal(fc_scales_parse("1,4,16", &sc, &err), FC_OK);
    assert_int_equal(sc.n, 3);
    assert_int_equal(sc.factor[2], 16);
    const char *bad_scales[] = {"", "4", "1,", "1,4,4", "1,4,2", "1,17", "1,x", "1,2,3,4,5"};
    for (size_t i = 0; i < sizeof bad_scales / sizeof bad_scales[0]; i++) {
        fc_scales keep = sc;
        assert_int_equal(fc_scales_parse(bad_scales[i], &sc, &err), FC_ERR_ARGUMENT);
        assert_int_equal(sc.n, keep.n);
    }
}

static void test_channel_names_round_trip(void **state)
{
    (void)state;
    fc_volume_list vl;
    three_volumes(&vl);
    fc_channel ch[6] = {FC_CHANNEL_AMPLITUDE, FC_CHANNEL_COS_PHASE, FC_CHANNEL_AMPLITUDE,
                        FC_CHANNEL_COS_PHASE, FC_CHANNEL_AMPLITUDE, FC_CHANNEL_COS_PHASE};
    char names[512];
    fc_channel_names_format(ch, 6, &vl, names, sizeof names);
    assert_string_equal(names, "amplitude,cos-phase,mid:amplitude,mid:cos-phase,far:amplitude,far:cos-phase");
    assert_int_equal(fc_channel_volume(3, 6, &vl), 1);
    assert_true(fc_channel_scale(4, ch, 6, &vl) == 5.0);
    assert_true(fc_channel_scale(5, ch, 6, &vl) == 1.0); /* cos-phase is not scaled */
    fc_channel back[FC_MAX_CHANNELS];
    fc_volume_list got;
    int count = 0;
    assert_int_equal(fc_channel_names_parse(names, back, FC_MAX_CHANNELS, &got, &count, NULL), FC_OK);
    assert_int_equal(count, 6);
    assert_int_equal(got.count, 3);
    assert_string_equal(got.v[0].name, "survey");
    assert_string_equal(got.v[2].name, "far");
    assert_memory_equal(back, ch, sizeof ch);
    /* One volume: the names facies always wrote. */
    assert_int_equal(fc_channel_names_parse("amplitude,envelope", back, FC_MAX_CHANNELS, &got, &count, NULL), FC_OK);
    assert_int_equal(count, 2);
    assert_int_equal(got.count, 1);
    /* Not volume after volume with the survey's kinds. */
    const char *bad[] = {"mid:amplitude,amplitude",
                         "amplitude,mid:envelope",
                         "amplitude,envelope,mid:amplitude",
                         "amplitude,mid:amplitude,far:amplitude,mid:amplitude",
                         "amplitude,survey:amplitude",
                         "amplitude,mid:colour",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(fc_channel_names_parse(bad[i], back, FC_MAX_CHANNELS, &got, &count, NULL), FC_ERR_FORMAT);
}

static void test_volume_set_in_model_order(void **state)
{
    (void)state;
    fc_volume_list want;
    three_volumes(&want);
    fc_volume_arg given[2] = {{"far", "f.sgy"}, {"mid", "m.sgy"}}, ordered[2];
    fc_error err;
    assert_int_equal(fc_volume_args_order(&want, "m.h5", given, 2, ordered, &err), FC_OK);
    assert_string_equal(ordered[0].name, "mid");
    assert_string_equal(ordered[1].path, "f.sgy");
    fc_volume_arg wrong[2] = {{"far", "f.sgy"}, {"mud", "m.sgy"}};
    assert_int_equal(fc_volume_args_order(&want, "m.h5", wrong, 2, ordered, &err), FC_ERR_MISMATCH);
    assert_contains(err.message, "m.h5 takes the survey and --volume mid=FILE --volume far=FILE");
    assert_contains(err.message, "missing: mid");
    assert_contains(err.message, "mud");
    assert_int_equal(fc_volume_args_order(&want, "m.h5", given, 1, ordered, &err), FC_ERR_MISMATCH);
    assert_contains(err.message, "missing: mid");
    fc_volume_list alone;
    fc_volume_list_single(&alone, 1.0);
    assert_int_equal(fc_volume_args_order(&alone, "m.h5", given, 1, ordered, &err), FC_ERR_MISMATCH);
    assert_contains(err.message, "takes the survey alone");
    assert_int_equal(fc_volume_args_order(&alone, "m.h5", given, 0, ordered, &err), FC_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_volume_arguments),
        cmocka_unit_test(test_channel_names_round_trip),
        cmocka_unit_test(test_channel_and_scale_lists),
        cmocka_unit_test(test_volume_set_in_model_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
