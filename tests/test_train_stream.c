/* Streamed training data (train --memory): each epoch's order is a permutation of the training rows, the same for
 * the same seed and epoch, another for another epoch, mixed across the file (not in file order); balanced orders
 * draw every class present in a window; a pass hands out the patches the file holds for the rows asked, for one
 * process, for each rank's slice of every batch and for every other validation batch (rank 1 of 2). */
#include "testutil.h"

#include <stdlib.h>

#include "facies/facies.h"
#include "train_stream.h"

/* 64 x 64 patches are 16 kB, so --memory 1 holds two windows of 32 rows (batch 8). */
enum { ROWS = 400, H = 64, W = 64, PF = H * W, BATCH = 8 };

static char path[4200];

static float value_of(int64_t row, int i)
{
    return (float)((row * 7 + i) % 1000) / 1000.0f;
}

static int setup(void **state)
{
    (void)state;
    fc_patches_meta m;
    memset(&m, 0, sizeof m);
    m.channels = 1;
    m.height = H;
    m.width = W;
    m.dtype = FC_PATCH_DTYPE_FLOAT32;
    m.channel[0] = FC_CHANNEL_AMPLITUDE;
    snprintf(m.norm.method, sizeof m.norm.method, "clip_abs_percentile");
    m.norm.percentile = 99.0;
    m.norm.scale = 1.0;
    m.sample_interval_ms = 4.0;
    m.classes.count = 3;
    for (int c = 0; c < 3; c++) {
        m.classes.c[c].code = c + 1;
        snprintf(m.classes.c[c].name, sizeof m.classes.c[c].name, "c%d", c);
    }
    test_path(path, sizeof path, "stream.h5");
    fc_patches_writer *w = NULL;
    fc_error err;
    fc_status st = fc_patches_writer_open(&w, path, &m, 0, &err);
    static float x[PF];
    for (int r = 0; r < ROWS && !st; r++) {
        int32_t pos[4] = {0, 1000 + r / 20, 2000 + r % 20, 40};
        for (int i = 0; i < PF; i++)
            x[i] = value_of(r, i);
        st = fc_patches_writer_put(w, x, 1 + (r % 7 == 0 ? 2 : r % 2), pos, NULL, &err); /* class 2 rare */
    }
    if (!st)
        st = fc_patches_writer_commit(w, &err);
    fc_patches_writer_destroy(w);
    if (st)
        fail_msg("%s", err.message);
    return 0;
}

typedef struct fixture {
    fc_patches *p;
    train_data d;
    train_stream *s;
    int64_t *order;
} fixture;

static void open_fixture(fixture *f, const fc_comm *comm)
{
    fc_error err;
    memset(f, 0, sizeof *f);
    assert_int_equal(fc_patches_open(&f->p, path, &err), FC_OK);
    assert_false(train_stream_fits(ROWS, PF, 1));
    assert_int_equal(train_stream_load_index(&f->d, f->p, &err), FC_OK);
    fc_train_options o = fc_train_options_default();
    o.random_split = 1;
    assert_int_equal(train_data_split(&f->d, &o, &err), FC_OK);
    assert_int_equal(train_stream_open(&f->s, f->p, path, &f->d, 1, BATCH, comm, &err), FC_OK);
    assert_int_equal(train_stream_window(f->s), 32);
    f->order = malloc(sizeof(int64_t) * (size_t)f->d.ntrain);
    assert_non_null(f->order);
}

static void close_fixture(fixture *f)
{
    train_stream_close(f->s);
    train_data_free(&f->d);
    fc_patches_close(f->p);
    free(f->order);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void test_order_is_a_seeded_permutation(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL);
    int64_t n = f.d.ntrain, *again = malloc(sizeof(int64_t) * (size_t)n), *sorted = malloc(sizeof(int64_t) * (size_t)n);
    int64_t *train = malloc(sizeof(int64_t) * (size_t)n);
    assert_true(again && sorted && train);
    memcpy(train, f.d.train, sizeof(int64_t) * (size_t)n);
    qsort(train, (size_t)n, sizeof *train, cmp_i64);
    train_stream_epoch_order(f.s, &f.d, 5, 0, 0, f.order);
    memcpy(sorted, f.order, sizeof(int64_t) * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_i64);
    assert_memory_equal(sorted, train, sizeof(int64_t) * (size_t)n); /* every training row once */
    int64_t ascending = 0;
    for (int64_t i = 1; i < n; i++)
        ascending += f.order[i] > f.order[i - 1];
    assert_true(ascending < n * 3 / 4); /* shuffled, not file order */
    train_stream_epoch_order(f.s, &f.d, 5, 0, 0, again);
    assert_memory_equal(again, f.order, sizeof(int64_t) * (size_t)n);
    train_stream_epoch_order(f.s, &f.d, 5, 1, 0, again);
    assert_memory_not_equal(again, f.order, sizeof(int64_t) * (size_t)n);
    train_stream_epoch_order(f.s, &f.d, 6, 0, 0, again);
    assert_memory_not_equal(again, f.order, sizeof(int64_t) * (size_t)n);
    /* Balanced: in each window every class present there is drawn, the rare one far above its share. */
    train_stream_epoch_order(f.s, &f.d, 5, 0, 1, again);
    int64_t rare = 0;
    for (int64_t i = 0; i < n; i++)
        rare += f.d.y[again[i]] == 2;
    assert_true(rare > n / 5);
    free(again);
    free(sorted);
    free(train);
    close_fixture(&f);
}

/* A pass over order with share, rank 1 of 2 when comm is given: the batches this rank gets hold the file's
 * patches. */
static void check_pass(fixture *f, const int64_t *order, int64_t n, stream_share share, int rank, int size)
{
    fc_error err;
    static float x[BATCH * PF];
    int32_t y[BATCH];
    int64_t seen = 0;
    train_stream_begin(f->s, order, n, share);
    for (int64_t a = 0, b = 0; a < n; a += BATCH, b++) {
        int nb = (int)(n - a < BATCH ? n - a : BATCH), first = 0, end = nb;
        if (share == STREAM_SHARE_SLICES) {
            first = nb * rank / size;
            end = nb * (rank + 1) / size;
        } else if (share == STREAM_SHARE_BATCHES && b % size != rank) {
            continue;
        }
        assert_int_equal(train_stream_batch(f->s, &f->d, order + a + first, end - first, 0, 1, 0, a + first,
                                            (const fc_channel[]){FC_CHANNEL_AMPLITUDE}, x, y, &err),
                         FC_OK);
        for (int s = 0; s < end - first; s++) {
            int64_t row = order[a + first + s];
            assert_int_equal(y[s], f->d.y[row]);
            for (int i = 0; i < PF; i += 97)
                assert_float_equal(x[(size_t)s * PF + (size_t)i], value_of(row, i), 0.0);
        }
        seen += end - first;
    }
    train_stream_end(f->s);
    assert_true(seen > 0);
}

static void test_passes_read_the_rows_asked(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL);
    train_stream_epoch_order(f.s, &f.d, 1, 0, 0, f.order);
    check_pass(&f, f.order, f.d.ntrain, STREAM_SHARE_SLICES, 0, 1);
    check_pass(&f, f.d.val, f.d.nval, STREAM_SHARE_ALL, 0, 1);
    train_stream_epoch_order(f.s, &f.d, 1, 1, 1, f.order); /* balanced: rows drawn again */
    check_pass(&f, f.order, f.d.ntrain, STREAM_SHARE_SLICES, 0, 1);
    close_fixture(&f);
    /* Rank 1 of 2: its slices of the training batches, its validation batches. */
    fc_comm comm = {.rank = 1, .size = 2};
    open_fixture(&f, &comm);
    train_stream_epoch_order(f.s, &f.d, 1, 0, 0, f.order);
    check_pass(&f, f.order, f.d.ntrain, STREAM_SHARE_SLICES, 1, 2);
    check_pass(&f, f.d.val, f.d.nval, STREAM_SHARE_BATCHES, 1, 2);
    close_fixture(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_is_a_seeded_permutation),
        cmocka_unit_test(test_passes_read_the_rows_asked),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
