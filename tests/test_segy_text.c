/* Textual headers assembled by facies: wrapping at separators, C01..C40 numbering, the input's own lines kept
 * below, the legend read back (internal API, segy_text_build.h). */
#include "testutil.h"

#include <string.h>

#include "facies/facies.h"
#include "segy_text_build.h"

/* Line l (0-based) of a finished header, without trailing blanks. */
static void line_of(const char *text, int l, char *out)
{
    memcpy(out, text + 80 * l, 80);
    int k = 80;
    while (k > 0 && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
}

static void expect_line(const char *text, int l, const char *want)
{
    char got[81];
    line_of(text, l, got);
    assert_string_equal(got, want);
}

/* A header of one line, the legend and (if raw is not NULL) another file's header. */
static void build(fc_text_lines *t, const fc_classes *c, const unsigned char *raw, char text[3201])
{
    memset(t, 0, sizeof *t);
    fc_text_add(t, "FACIES", "TEST");
    fc_text_add_legend(t, c, 0, "F.SGY.CLASSES.CSV");
    if (raw)
        fc_text_add_header(t, raw);
    fc_text_finish(t, text);
}

static void test_long_values_wrap_at_separators(void **state)
{
    (void)state;
    fc_text_lines t;
    memset(&t, 0, sizeof t);
    const char *spec = "conv32-pool-conv64-pool-conv128-pool-conv256-pool-flatten-dense128-dropout0.5-dense64-"
                       "dropout0.5-dense";
    assert_int_equal(fc_text_add(&t, "MODEL FNV1A64 0123456789abcdef SPEC", spec), 0);
    char text[3201], l[81];
    fc_text_finish(&t, text);
    assert_int_equal(strlen(text), 3200);
    expect_line(text, 0, "C01 MODEL FNV1A64 0123456789abcdef SPEC conv32-pool-conv64-pool-conv128-pool-");
    expect_line(text, 1, "C02                                     conv256-pool-flatten-dense128-");
    expect_line(text, 2, "C03                                     dropout0.5-dense64-dropout0.5-dense");
    expect_line(text, 3, "C04");
    expect_line(text, 39, "C40 END TEXTUAL HEADER");
    /* Glued together, the pieces give the value back: nothing is cut or lost. */
    char joined[200] = "";
    for (int i = 0; i < 3; i++) {
        line_of(text, i, l);
        strcat(joined, l + 40);
    }
    assert_string_equal(joined, spec);
}

static void test_input_header_kept_and_legend_read_back(void **state)
{
    (void)state;
    /* An input header in EBCDIC with its own numbers and end line. */
    const char *own[3] = {"C 1 CLIENT NORTH SEA SURVEY F3", "C 2 PROCESSED BY SOMEONE, PSTM", "C 3"};
    char in_text[3201];
    fc_segy_text_lines(own, 3, in_text);
    unsigned char raw[3200];
    memcpy(raw, in_text, 3200);
    fc_ascii_to_ebcdic(raw, 3200);

    fc_classes c;
    memset(&c, 0, sizeof c);
    fc_class_info k[3] = {{5, "channel sand", "#ffd700"}, {1, "parallel_high", "#2166ac"}, {3, "chaotic", "#b2182b"}};
    memcpy(c.c, k, sizeof k);
    c.count = 3;
    fc_text_lines t;
    char text[3201];
    build(&t, &c, raw, text);
    expect_line(text, 1, "C02 CLASS 5 #ffd700 channel sand");
    expect_line(text, 4, "C05 INPUT SURVEY TEXTUAL HEADER:");
    expect_line(text, 5, "C06 CLIENT NORTH SEA SURVEY F3");
    expect_line(text, 6, "C07 PROCESSED BY SOMEONE, PSTM");
    expect_line(text, 7, "C08");

    unsigned char written[3200];
    memcpy(written, text, 3200);
    fc_ascii_to_ebcdic(written, 3200);
    fc_classes back;
    assert_int_equal(fc_text_legend(written, &back), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(back.c[i].code, c.c[i].code);
        assert_string_equal(back.c[i].name, c.c[i].name);
        assert_string_equal(back.c[i].colour, c.c[i].colour);
    }
}

static void test_what_does_not_fit_is_counted(void **state)
{
    (void)state;
    fc_classes c;
    memset(&c, 0, sizeof c);
    for (int i = 0; i < 50; i++) {
        c.c[i].code = i + 1;
        snprintf(c.c[i].name, sizeof c.c[i].name, "f%d", i + 1);
        snprintf(c.c[i].colour, sizeof c.c[i].colour, "#000000");
    }
    c.count = 50;
    fc_text_lines t;
    char text[3201];
    build(&t, &c, NULL, text);
    assert_int_equal(fc_text_room(&t), 0);
    expect_line(text, 37, "C38 CLASS 37 #000000 f37");
    expect_line(text, 38, "C39 13 MORE CLASSES IN F.SGY.CLASSES.CSV");
    expect_line(text, 39, "C40 END TEXTUAL HEADER");
    /* A full header takes no more. */
    assert_int_equal(fc_text_add(&t, "MORE", "x"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_values_wrap_at_separators),
        cmocka_unit_test(test_input_header_kept_and_legend_read_back),
        cmocka_unit_test(test_what_does_not_fit_is_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
