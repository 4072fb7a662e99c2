/* The survey grid from trace-header values (survey_geometry.h), hand-worked: a regular grid with steps, missing
 * traces, crossline-sorted, unsorted and backwards files, negative numbers, a single trace, 2-D lines looked up by
 * CDP, and the refusals (a repeated cell, pre-stack gathers, a repeated CDP, numbers too sparse for a grid, no
 * traces). */
#include "testutil.h"

#include "survey_geometry.h"

enum { MAX_TRACES = 64 };

/* Header values of up to MAX_TRACES traces; offsets 0 and CDPs 0 unless set. */
typedef struct keys {
    int32_t il[MAX_TRACES], xl[MAX_TRACES], offset[MAX_TRACES], cdp[MAX_TRACES];
    int64_t n;
} keys;

static void add(keys *k, int32_t il, int32_t xl)
{
    assert_true(k->n < MAX_TRACES);
    k->il[k->n] = il;
    k->xl[k->n] = xl;
    k->offset[k->n] = 0;
    k->cdp[k->n] = 0;
    k->n++;
}

static fc_status build(fc_geometry *g, const keys *k, fc_geometry_mode mode, fc_error *err)
{
    fc_trace_keys tk = {.il = k->il,
                        .xl = k->xl,
                        .offset = k->offset,
                        .cdp = k->cdp,
                        .n = k->n,
                        .il_byte = 189,
                        .xl_byte = 193,
                        .cdp_byte = 21};
    fc_error_clear(err);
    return fc_geometry_build(g, &tk, mode, "g.sgy", err);
}

static void build_ok(fc_geometry *g, const keys *k, fc_geometry_mode mode)
{
    fc_error err;
    if (build(g, k, mode, &err))
        fail_msg("%s", err.message);
}

/* Inlines 10, 12, 14 and crosslines 1, 4, 7, 10, inline-sorted (crossline fastest). */
static void regular(keys *k, const unsigned char *skip)
{
    memset(k, 0, sizeof *k);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            if (!skip || !skip[i * 4 + j])
                add(k, 10 + 2 * i, 1 + 3 * j);
}

static void test_regular_grid(void **state)
{
    (void)state;
    keys k;
    regular(&k, NULL);
    fc_geometry g;
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.kind, FC_SURVEY_KIND_3D);
    assert_int_equal(g.sorting, FC_SORTING_INLINE);
    assert_int_equal(g.n_il, 3);
    assert_int_equal(g.n_xl, 4);
    assert_int_equal(g.il_step, 2);
    assert_int_equal(g.xl_step, 3);
    assert_int_equal(g.missing, 0);
    assert_null(g.xl_sorted);
    for (int i = 0; i < 3; i++)
        assert_int_equal(g.il_numbers[i], 10 + 2 * i);
    for (int j = 0; j < 4; j++)
        assert_int_equal(g.xl_numbers[j], 1 + 3 * j);
    for (int c = 0; c < 12; c++)
        assert_int_equal(g.cell_trace[c], c);
    /* Numbers on the grid, between its lines, before and after it. */
    static const int32_t il_in[] = {10, 12, 14, 11, 13, 8, 16, 0, INT32_MIN, INT32_MAX};
    static const int il_want[] = {0, 1, 2, -1, -1, -1, -1, -1, -1, -1};
    for (size_t q = 0; q < sizeof il_in / sizeof il_in[0]; q++)
        assert_int_equal(fc_geometry_il_index(&g, il_in[q]), il_want[q]);
    static const int32_t xl_in[] = {1, 4, 7, 10, 2, 9, -2, 13};
    static const int xl_want[] = {0, 1, 2, 3, -1, -1, -1, -1};
    for (size_t q = 0; q < sizeof xl_in / sizeof xl_in[0]; q++)
        assert_int_equal(fc_geometry_xl_index(&g, xl_in[q]), xl_want[q]);
    fc_geometry_free(&g);
    assert_null(g.il_numbers);
    fc_geometry_free(&g); /* twice: freed fields are NULL */
    fc_geometry_free(NULL);

    /* Forced 3-D reads the same. */
    build_ok(&g, &k, FC_GEOMETRY_3D);
    assert_int_equal(g.kind, FC_SURVEY_KIND_3D);
    assert_int_equal(g.n_il * g.n_xl, 12);
    fc_geometry_free(&g);
}

/* Traces (12, 4) and (14, 10) absent: their cells hold -1, the traces after them move up; an absent first or last
 * line of the grid shrinks it instead (the grid is what the headers span), and an absent middle inline leaves
 * inlines 10 and 14, step 4. */
static void test_missing_traces(void **state)
{
    (void)state;
    static const unsigned char holes[12] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
    keys k;
    regular(&k, holes);
    fc_geometry g;
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.n_il, 3);
    assert_int_equal(g.n_xl, 4);
    assert_int_equal(g.missing, 2);
    assert_int_equal(g.sorting, FC_SORTING_INLINE);
    static const int64_t want[12] = {0, 1, 2, 3, 4, -1, 5, 6, 7, 8, 9, -1};
    for (int c = 0; c < 12; c++)
        assert_int_equal(g.cell_trace[c], want[c]);
    fc_geometry_free(&g);

    static const unsigned char last_crossline[12] = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
    regular(&k, last_crossline);
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.n_xl, 3);
    assert_int_equal(g.xl_numbers[2], 7);
    assert_int_equal(g.missing, 0);
    assert_int_equal(fc_geometry_xl_index(&g, 10), -1);
    fc_geometry_free(&g);

    static const unsigned char middle_inline[12] = {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0};
    regular(&k, middle_inline);
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.n_il, 2);
    assert_int_equal(g.il_step, 4);
    assert_int_equal(g.il_numbers[1], 14);
    assert_int_equal(fc_geometry_il_index(&g, 12), -1);
    fc_geometry_free(&g);

    /* A missing inline and one uneven crossline gap: the steps are the gcd of the gaps (inlines 10, 14, 16: step 2,
     * inline 12 a line of missing traces). */
    memset(&k, 0, sizeof k);
    add(&k, 10, 1);
    add(&k, 14, 1);
    add(&k, 16, 1);
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.n_il, 4);
    assert_int_equal(g.il_step, 2);
    assert_int_equal(g.n_xl, 1);
    assert_int_equal(g.xl_step, 0);
    assert_int_equal(g.missing, 1);
    assert_int_equal(g.cell_trace[1], -1);
    assert_int_equal(g.cell_trace[2], 1);
    assert_int_equal(fc_geometry_xl_index(&g, 1), 0);
    assert_int_equal(fc_geometry_xl_index(&g, 2), -1);
    fc_geometry_free(&g);
}

/* The same grid written crossline by crossline (inline fastest), backwards along both axes, and in no order. */
static void test_sorting_and_order(void **state)
{
    (void)state;
    keys k;
    memset(&k, 0, sizeof k);
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 3; i++)
            add(&k, 10 + 2 * i, 1 + 3 * j);
    fc_geometry g;
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.sorting, FC_SORTING_CROSSLINE);
    assert_int_equal(g.n_il, 3);
    assert_int_equal(g.n_xl, 4);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            assert_int_equal(g.cell_trace[i * 4 + j], j * 3 + i);
    fc_geometry_free(&g);

    memset(&k, 0, sizeof k);
    for (int i = 2; i >= 0; i--)
        for (int j = 3; j >= 0; j--)
            add(&k, 10 + 2 * i, 1 + 3 * j);
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.sorting, FC_SORTING_INLINE);
    assert_int_equal(g.il_numbers[0], 10); /* the grid runs upwards whatever the file's order */
    assert_int_equal(g.cell_trace[0], 11);
    assert_int_equal(g.cell_trace[11], 0);
    assert_int_equal(g.cell_trace[1 * 4 + 2], (2 - 1) * 4 + (3 - 2));
    fc_geometry_free(&g);

    /* Inlines 10, 12, 14 by crosslines 1, 4 visited so that no two neighbours share a line. */
    memset(&k, 0, sizeof k);
    add(&k, 10, 1);
    add(&k, 12, 4);
    add(&k, 14, 1);
    add(&k, 10, 4);
    add(&k, 12, 1);
    add(&k, 14, 4);
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.sorting, FC_SORTING_UNSORTED);
    static const int64_t want[6] = {0, 3, 4, 1, 2, 5};
    for (int c = 0; c < 6; c++)
        assert_int_equal(g.cell_trace[c], want[c]);
    fc_geometry_free(&g);

    /* Negative line numbers: inlines -3, -1, 1. */
    memset(&k, 0, sizeof k);
    for (int i = 0; i < 3; i++)
        add(&k, -3 + 2 * i, 5);
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.il_numbers[0], -3);
    assert_int_equal(fc_geometry_il_index(&g, -1), 1);
    assert_int_equal(fc_geometry_il_index(&g, -2), -1);
    assert_int_equal(fc_geometry_il_index(&g, -5), -1);
    assert_int_equal(fc_geometry_il_index(&g, 3), -1);
    fc_geometry_free(&g);

    /* One trace: a 1 x 1 grid (not a 2-D line), steps 0. */
    memset(&k, 0, sizeof k);
    add(&k, 7, 9);
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.kind, FC_SURVEY_KIND_3D);
    assert_int_equal(g.sorting, FC_SORTING_INLINE);
    assert_int_equal(g.n_il * g.n_xl, 1);
    assert_int_equal(g.il_step, 0);
    assert_int_equal(fc_geometry_il_index(&g, 7), 0);
    assert_int_equal(fc_geometry_il_index(&g, 8), -1);
    assert_int_equal(fc_geometry_xl_index(&g, 9), 0);
    fc_geometry_free(&g);
}

/* A 2-D line: every trace at the same inline/crossline (0, 0), told apart by CDP, in file order; the CDPs need not
 * be sorted or evenly spaced. Lookups by CDP give the trace. */
static void test_two_d_lines(void **state)
{
    (void)state;
    static const int32_t cdps[] = {1010, 1007, 1008, 1001, 1030, 999};
    keys k;
    memset(&k, 0, sizeof k);
    for (int t = 0; t < 6; t++) {
        add(&k, 0, 0);
        k.cdp[t] = cdps[t];
    }
    fc_geometry g;
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.kind, FC_SURVEY_KIND_2D);
    assert_int_equal(g.sorting, FC_SORTING_LINE);
    assert_int_equal(g.n_il, 1);
    assert_int_equal(g.n_xl, 6);
    assert_int_equal(g.il_step, 0);
    assert_int_equal(g.xl_step, 0);
    assert_int_equal(g.missing, 0);
    assert_non_null(g.xl_sorted);
    for (int t = 0; t < 6; t++) {
        assert_int_equal(g.xl_numbers[t], cdps[t]);
        assert_int_equal(g.cell_trace[t], t);
        assert_int_equal(fc_geometry_xl_index(&g, cdps[t]), t);
    }
    static const int32_t off_line[] = {1000, 1002, 998, 1031, 0, INT32_MAX};
    for (size_t q = 0; q < sizeof off_line / sizeof off_line[0]; q++)
        assert_int_equal(fc_geometry_xl_index(&g, off_line[q]), -1);
    assert_int_equal(fc_geometry_il_index(&g, 0), 0);
    assert_int_equal(fc_geometry_il_index(&g, 1), -1);
    fc_geometry_free(&g);

    /* Forced 2-D: line numbers that vary are ignored, the CDPs place the traces. */
    for (int t = 0; t < 6; t++) {
        k.il[t] = 5;
        k.xl[t] = 100 + t;
    }
    build_ok(&g, &k, FC_GEOMETRY_2D);
    assert_int_equal(g.kind, FC_SURVEY_KIND_2D);
    assert_int_equal(g.il_numbers[0], 5);
    assert_int_equal(fc_geometry_xl_index(&g, 999), 5);
    fc_geometry_free(&g);
}

/* Refused with this status, the message naming the file and saying `text`. */
#define EXPECT(call, status, text)                                                                                     \
    do {                                                                                                               \
        assert_fails_with(call, status, err, text);                                                                    \
        assert_contains(err.message, "g.sgy");                                                                         \
    } while (0)

static void test_refusals(void **state)
{
    (void)state;
    keys k;
    fc_geometry g;
    fc_error err;
    memset(&k, 0, sizeof k);
    EXPECT(build(&g, &k, FC_GEOMETRY_AUTO, &err), FC_ERR_FORMAT, "holds no traces");

    /* A cell twice with the same offset: the header bytes are wrong; with different offsets: a gather. */
    regular(&k, NULL);
    k.xl[5] = 1; /* trace 6 at (12, 1), as trace 5 */
    EXPECT(build(&g, &k, FC_GEOMETRY_AUTO, &err), FC_ERR_FORMAT,
           "traces 5 and 6 are both at inline 12 crossline 1 (bytes 189/193)");
    assert_null(g.il_numbers); /* nothing left to free */
    k.offset[5] = 250;
    EXPECT(build(&g, &k, FC_GEOMETRY_AUTO, &err), FC_ERR_UNSUPPORTED, "with offsets 0 and 250 (byte 37)");
    assert_contains(err.message, "pre-stack");

    /* Every trace in one cell with varying offsets is a gather, not a 2-D line. */
    memset(&k, 0, sizeof k);
    for (int t = 0; t < 4; t++) {
        add(&k, 3, 3);
        k.offset[t] = 100 * t;
        k.cdp[t] = 1 + t;
    }
    EXPECT(build(&g, &k, FC_GEOMETRY_AUTO, &err), FC_ERR_UNSUPPORTED, "traces 1 and 2 are both at inline 3");

    /* A 2-D line with a CDP twice, named by the traces (1-based) and the byte. */
    memset(&k, 0, sizeof k);
    static const int32_t cdps[] = {5, 6, 9, 7, 6};
    for (int t = 0; t < 5; t++) {
        add(&k, 0, 0);
        k.cdp[t] = cdps[t];
    }
    EXPECT(build(&g, &k, FC_GEOMETRY_AUTO, &err), FC_ERR_UNSUPPORTED,
           "traces 2 and 5 of this 2-D line share CDP number 6 (byte 21)");
    assert_null(g.xl_sorted);

    /* Numbers spanning far more cells than traces: not line numbers. Within 8 per trace plus 1e6 they are kept. */
    memset(&k, 0, sizeof k);
    add(&k, 1, 1);
    add(&k, 2, 2);
    add(&k, 100000, 100000); /* step 1: 100000 lines each way */
    EXPECT(build(&g, &k, FC_GEOMETRY_AUTO, &err), FC_ERR_FORMAT,
           "inline numbers 1..100000 (byte 189) and crossline numbers 1..100000 (byte 193) span 10000000000 grid cells "
           "for only 3 traces");
    k.il[2] = 1000;
    k.xl[2] = 1000; /* 1e6 cells */
    build_ok(&g, &k, FC_GEOMETRY_AUTO);
    assert_int_equal(g.missing, 1000000 - 3);
    fc_geometry_free(&g);
    k.il[2] = 1001; /* 1001 x 1000 > 1e6 + 8 x 3 */
    EXPECT(build(&g, &k, FC_GEOMETRY_AUTO, &err), FC_ERR_FORMAT, "do not hold line numbers");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular_grid),      cmocka_unit_test(test_missing_traces),
        cmocka_unit_test(test_sorting_and_order), cmocka_unit_test(test_two_d_lines),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests_name("geometry", tests, NULL, NULL);
}
