/* SEG-Y writing: header copies byte for byte, sample formats, temporary
 * names and commit, files made from scratch. */
#include "testutil.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facies/files.h"
#include "facies/facies.h"
#include "fixture_segy.h"

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void copy_like(int little_endian, int out_format)
{
    fixture_spec f = fixture_default();
    f.little_endian = little_endian;
    f.format = 1;
    f.samples = 9;
    f.ext_headers = 1;
    unsigned char missing[12] = {0};
    missing[5] = 1;
    f.missing = missing;
    char src[4096], dst[4096], partial[4096];
    test_path(src, sizeof src, little_endian ? "src-lsb.sgy" : "src-msb.sgy");
    char name[64];
    snprintf(name, sizeof name, "dst-%s-%d.sgy", little_endian ? "lsb" : "msb", out_format);
    test_path(dst, sizeof dst, name);
    assert_int_equal(fixture_write(src, &f), 0);
    fc_error err;
    fc_survey *s = NULL;
    assert_int_equal(fc_survey_open(&s, src, NULL, &err), FC_OK);
    fc_segy_writer *w = NULL;
    assert_int_equal(fc_segy_writer_open_like(&w, dst, s, (fc_sample_format)out_format, NULL, &err), FC_OK);
    assert_true(exists(fc_partial_name(dst, partial, sizeof partial)));
    assert_false(exists(dst));
    const fc_survey_info *in = fc_survey_get_info(s);
    float tr[9];
    for (int64_t t = 0; t < in->trace_count; t++) {
        for (int k = 0; k < 9; k++)
            tr[k] = (float)(t * 10 + k);
        assert_int_equal(fc_segy_writer_put_like(w, t, tr, &err), FC_OK);
    }
    assert_int_equal(fc_segy_writer_commit(w, &err), FC_OK);
    fc_segy_writer_destroy(w);
    assert_false(exists(partial));

    long ns, nd;
    unsigned char *a = test_slurp(src, &ns), *b = test_slurp(dst, &nd);
    int bps = out_format == 3 ? 2 : 4;
    assert_int_equal(nd, 3600 + 3200 + in->trace_count * (240 + 9 * bps));
    /* Text, binary (but the format code) and extended headers byte-equal. */
    assert_memory_equal(a, b, 3224);
    assert_memory_equal(a + 3226, b + 3226, 3600 + 3200 - 3226);
    int fmt = little_endian ? b[3224] | b[3225] << 8 : b[3224] << 8 | b[3225];
    assert_int_equal(fmt, out_format);
    for (int64_t t = 0; t < in->trace_count; t++)
        assert_memory_equal(a + 6800 + t * (240 + 36), b + 6800 + t * (240 + 9 * bps), 240);

    fc_survey *o = NULL;
    assert_int_equal(fc_survey_open(&o, dst, NULL, &err), FC_OK);
    assert_int_equal(fc_survey_get_info(o)->missing_traces, 1);
    for (int64_t t = 0; t < in->trace_count; t++) {
        assert_int_equal(fc_survey_read_trace(o, t, tr, &err), FC_OK);
        for (int k = 0; k < 9; k++)
            assert_true(tr[k] == (float)(t * 10 + k));
    }
    fc_survey_close(o);
    fc_survey_close(s);
    free(a);
    free(b);
}

static void test_copy_headers_big_endian(void **state)
{
    (void)state;
    copy_like(0, 5);
    copy_like(0, 3);
}

static void test_copy_headers_little_endian(void **state)
{
    (void)state;
    copy_like(1, 5);
    copy_like(1, 3);
}

static void test_uncommitted_leaves_existing_file_intact(void **state)
{
    (void)state;
    fixture_spec f = fixture_default();
    char src[4096], dst[4096], partial[4096];
    test_path(src, sizeof src, "keep-src.sgy");
    test_path(dst, sizeof dst, "keep-dst.sgy");
    assert_int_equal(fixture_write(src, &f), 0);
    FILE *fp = fopen(dst, "w");
    fputs("precious", fp);
    fclose(fp);
    fc_error err;
    fc_survey *s = NULL;
    assert_int_equal(fc_survey_open(&s, src, NULL, &err), FC_OK);
    fc_segy_writer *w = NULL;
    assert_int_equal(fc_segy_writer_open_like(&w, dst, s, FC_SAMPLE_FORMAT_IEEE, "C 1 facies test", &err), FC_OK);
    float tr[7] = {0};
    assert_int_equal(fc_segy_writer_put_like(w, 0, tr, &err), FC_OK);
    fc_segy_writer_destroy(w); /* abandoned: no commit */
    assert_false(exists(fc_partial_name(dst, partial, sizeof partial)));
    long n;
    unsigned char *b = test_slurp(dst, &n);
    assert_int_equal(n, 8);
    assert_memory_equal(b, "precious", 8);
    free(b);
    assert_int_equal(fc_segy_writer_open_like(&w, dst, s, FC_SAMPLE_FORMAT_FIXED_GAIN, NULL, &err), FC_ERR_ARGUMENT);
    fc_survey_close(s);
}

static void test_create_from_scratch_ibm(void **state)
{
    (void)state;
    char path[4096];
    test_path(path, sizeof path, "scratch.sgy");
    unsigned char head[3600];
    fc_segy_head_init(head, "C 1 made by a test", 5, 2000, FC_SAMPLE_FORMAT_IBM, FC_BYTE_ORDER_LITTLE);
    fc_error err;
    fc_segy_writer *w = NULL;
    assert_int_equal(fc_segy_writer_create(&w, path, head, FC_BYTE_ORDER_LITTLE, &err), FC_OK);
    const float vals[5] = {0.0f, 1.5f, -3.25e-3f, 123456.7f, -7.0e20f};
    for (int t = 0; t < 6; t++) {
        unsigned char th[240] = {0};
        fc_header_set_i32(th, 189, 10 + t / 3);
        fc_header_set_i32(th, 193, 5 + t % 3);
        fc_header_set_i16(th, 115, 5);
        assert_int_equal(fc_segy_writer_put(w, t, th, vals, &err), FC_OK);
    }
    assert_int_equal(fc_segy_writer_commit(w, &err), FC_OK);
    fc_segy_writer_destroy(w);
    fc_survey *s = NULL;
    assert_int_equal(fc_survey_open(&s, path, NULL, &err), FC_OK);
    const fc_survey_info *in = fc_survey_get_info(s);
    assert_int_equal(in->byte_order, FC_BYTE_ORDER_LITTLE);
    assert_int_equal(in->format, FC_SAMPLE_FORMAT_IBM);
    assert_int_equal(in->inline_count, 2);
    assert_int_equal(in->crossline_count, 3);
    assert_true(in->sample_interval_ms == 2.0);
    float tr[5];
    assert_int_equal(fc_survey_read_trace(s, 4, tr, &err), FC_OK);
    for (int k = 0; k < 5; k++) /* IBM keeps 24 bits of mantissa, in hex steps: ~1e-6 relative */
        assert_true(fabsf(tr[k] - vals[k]) <= 1e-6f * fabsf(vals[k]));
    unsigned char text[3200];
    memcpy(text, fc_survey_text_header(s), sizeof text);
    fc_ebcdic_to_ascii(text, sizeof text);
    assert_memory_equal(text, "C 1 made by a test  ", 20);
    fc_survey_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_headers_big_endian),
        cmocka_unit_test(test_copy_headers_little_endian),
        cmocka_unit_test(test_uncommitted_leaves_existing_file_intact),
        cmocka_unit_test(test_create_from_scratch_ibm),
    };
    return cmocka_run_group_tests_name("segy_writer", tests, NULL, NULL);
}
