/* Where to label next: the ranking on hand-made line measures (order by uncertainty, labelled lines and their
 * neighbours left out, chosen lines kept apart, orientations apart, disagreement instead of entropy), and when a
 * line counts as labelled. */
#include "testutil.h"

#include "facies/facies.h"

/* Inlines 0..9 with these entropies (and disagreements reversed), inline 4 labelled; crossline 4 of entropy 0.99. */
static int make_lines(fc_suggest_line *l)
{
    static const double e[10] = {0.1, 0.9, 0.8, 0.2, 0.5, 0.95, 0.3, 0.7, 0.6, 0.4};
    for (int i = 0; i < 10; i++)
        l[i] = (fc_suggest_line){.orientation = FC_ORIENTATION_INLINE,
                                 .index = i,
                                 .number = 100 + i,
                                 .samples = 50,
                                 .mean_entropy = e[i],
                                 .mean_disagreement = 1 - e[i],
                                 .labelled = i == 4};
    l[10] = (fc_suggest_line){.orientation = FC_ORIENTATION_CROSSLINE, .index = 4, .samples = 50, .mean_entropy = 0.99};
    return 11;
}

static void test_rank_min_distance(void **state)
{
    (void)state;
    fc_suggest_line l[11];
    int n = make_lines(l), order[11];
    fc_suggest_rule r = fc_suggest_rule_default();
    r.min_distance = 2;
    /* Crossline 4 first (the labelled inline 4 is no neighbour of it); inline 5 (0.95) is next to labelled 4;
     * 1 (0.9); 2 next to 1; 7; 8 next to 7; 9 two from 7; 6, 3, 0 next to chosen or labelled ones. */
    int k = fc_suggest_rank(l, n, &r, order);
    assert_int_equal(k, 4);
    assert_int_equal(order[0], 10);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 7);
    assert_int_equal(order[3], 9);
    /* Distance 1: every line but the labelled one, by entropy. */
    r.min_distance = 1;
    static const int all[10] = {10, 5, 1, 2, 7, 8, 9, 6, 3, 0};
    assert_int_equal(fc_suggest_rank(l, n, &r, order), 10);
    for (int q = 0; q < 10; q++)
        assert_int_equal(order[q], all[q]);
    /* 0 counts as 1: a labelled line is never suggested. */
    r.min_distance = 0;
    assert_int_equal(fc_suggest_rank(l, n, &r, order), 10);
}

static void test_rank_disagreement_and_unmeasured(void **state)
{
    (void)state;
    fc_suggest_line l[11];
    int n = make_lines(l), order[11];
    fc_suggest_rule r = fc_suggest_rule_default();
    r.min_distance = 3;
    r.by_disagreement = 1;
    /* Disagreement 1 - entropy: 0 (0.9) first; 3 (0.8) and 6 (0.7) within 3 of labelled 4; 9 (0.6); the rest
     * within 3 of 0, 4 or 9; crossline 4 (disagreement 0) last, by entropy it would have come first. */
    int k = fc_suggest_rank(l, n, &r, order);
    assert_int_equal(k, 3);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 9);
    assert_int_equal(order[2], 10);
    /* A line apply never wrote (no samples) is not suggested, however its numbers read. */
    l[10].samples = 0;
    assert_int_equal(fc_suggest_rank(l, n, &r, order), 2);
    assert_int_equal(order[1], 9);
}

static void test_mark_labelled(void **state)
{
    (void)state;
    fc_suggest_line l[3] = {{.traces = 100, .labelled_traces = 10},
                            {.traces = 100, .labelled_traces = 9},
                            {.traces = 100, .labelled_traces = 0}};
    fc_suggest_rule r = fc_suggest_rule_default(); /* 0.1 */
    fc_suggest_mark_labelled(l, 3, &r);
    assert_int_equal(l[0].labelled, 1);
    assert_int_equal(l[1].labelled, 0);
    assert_int_equal(l[2].labelled, 0);
    r.labelled_fraction = 0; /* any label makes a line labelled, none does not */
    fc_suggest_mark_labelled(l, 3, &r);
    assert_int_equal(l[1].labelled, 1);
    assert_int_equal(l[2].labelled, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank_min_distance),
        cmocka_unit_test(test_rank_disagreement_and_unmeasured),
        cmocka_unit_test(test_mark_labelled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
