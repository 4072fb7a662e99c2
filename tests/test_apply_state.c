/* Apply's resume state: written and read back, every malformed text refused with its line, and a resume of another
 * run (other ranks, outputs, lines or method, more sections done than the run has) refused with the difference. */
#include "testutil.h"

#include <string.h>

#include "apply_state.h"

static const char *GOOD = "facies-apply 1\nsections_done 3\nsections_total 20\nranks 2\noutputs --out --confidence\n"
                          "run survey=10:20 model=30:40 lines=1000:1019 method=direct\n";

static void test_round_trip(void **state)
{
    (void)state;
    fc_apply_state s, back;
    fc_error err;
    assert_int_equal(fc_apply_state_parse(GOOD, strlen(GOOD), "st", &s, &err), FC_OK);
    assert_int_equal(s.done, 3);
    assert_int_equal(s.total, 20);
    assert_int_equal(s.ranks, 2);
    assert_string_equal(s.outputs, "--out --confidence");
    assert_string_equal(s.run, "survey=10:20 model=30:40 lines=1000:1019 method=direct");
    char path[4096];
    test_path(path, sizeof path, "state");
    assert_int_equal(fc_apply_state_write(path, &s, &err), FC_OK);
    int found = 0;
    assert_int_equal(fc_apply_state_read(path, &back, &found, &err), FC_OK);
    assert_int_equal(found, 1);
    assert_memory_equal(&s, &back, sizeof s);
    test_path(path, sizeof path, "no-such-state");
    assert_int_equal(fc_apply_state_read(path, &back, &found, &err), FC_OK);
    assert_int_equal(found, 0);
    /* A state from before the totals, outputs and run were recorded: accepted, those fields unknown. */
    const char *old = "facies-apply 1\nsections_done 5\n";
    assert_int_equal(fc_apply_state_parse(old, strlen(old), "st", &s, &err), FC_OK);
    assert_int_equal(s.done, 5);
    assert_int_equal(s.total, -1);
    assert_int_equal(s.ranks, 1);
    assert_string_equal(s.run, "");
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *text, *needle;
    } bad[] = {
        {"", "line 2: no sections_done"},
        {"facies-apply 2\nsections_done 3\n", "line 1: the first line"},
        {"facies-apply 1\nsections_done 3", "line 2: the last line does not end"},
        {"facies-apply 1\nsections_done -3\n", "line 2: a section count"},
        {"facies-apply 1\nsections_done 99999999999999999999\n", "line 2: a section count"},
        {"facies-apply 1\nsections_done 3x\n", "line 2: a section count"},
        {"facies-apply 1\nsections_done 3\nranks 0\n", "line 3: a process count"},
        {"facies-apply 1\nsections_done 3\nranks\n", "line 3: a line without a value"},
        {"facies-apply 1\nsections_done 3\ncolour red\n", "line 3: an unknown or overlong line"},
        {"facies-apply 1\nranks 2\n", "line 2: no sections_done"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fc_apply_state s;
        fc_error err;
        fc_error_clear(&err);
        assert_int_equal(fc_apply_state_parse(bad[i].text, strlen(bad[i].text), "st", &s, &err), FC_ERR_FORMAT);
        assert_contains(err.message, bad[i].needle);
        assert_contains(err.message, "not a resume state facies apply wrote");
    }
    char nul[] = "facies-apply 1\nsections_done 3\0\n";
    fc_apply_state s;
    fc_error err;
    assert_int_equal(fc_apply_state_parse(nul, sizeof nul - 1, "st", &s, &err), FC_ERR_FORMAT);
    assert_contains(err.message, "NUL");
}

static void test_resume_of_another_run_refused(void **state)
{
    (void)state;
    fc_apply_state had, now;
    fc_error err;
    assert_int_equal(fc_apply_state_parse(GOOD, strlen(GOOD), "st", &had, &err), FC_OK);
    now = had;
    now.done = 0;
    assert_int_equal(fc_apply_state_check("st", &had, &now, &err), FC_OK);
    now.ranks = 3;
    assert_int_equal(fc_apply_state_check("st", &had, &now, &err), FC_ERR_ARGUMENT);
    assert_contains(err.message, "had 2 processes; resume it with as many");
    now = had;
    snprintf(now.outputs, sizeof now.outputs, "--out");
    assert_int_equal(fc_apply_state_check("st", &had, &now, &err), FC_ERR_ARGUMENT);
    assert_contains(err.message, "wrote --out --confidence, this one asks for --out");
    now = had;
    snprintf(now.run, sizeof now.run, "survey=10:20 model=30:41 lines=1010:1029 method=direct");
    assert_int_equal(fc_apply_state_check("st", &had, &now, &err), FC_ERR_ARGUMENT);
    assert_contains(err.message, "other inputs or options: model 30:40 (now 30:41), lines 1000:1019 (now 1010:1029);");
    now = had;
    now.total = 10;
    assert_int_equal(fc_apply_state_check("st", &had, &now, &err), FC_ERR_ARGUMENT);
    assert_contains(err.message, "says 3 of 20 sections were done, but this run has 10");
    had.total = -1; /* an old state: only the count done is known */
    had.done = 12;
    assert_int_equal(fc_apply_state_check("st", &had, &now, &err), FC_ERR_ARGUMENT);
    assert_contains(err.message, "says 12 of 12 sections were done, but this run has 10");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_resume_of_another_run_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
