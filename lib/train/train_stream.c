#include "train_stream.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "facies/rng.h"
#include "fail.h"

#define MB ((int64_t)1 << 20)

typedef enum buffer_state { BUFFER_EMPTY, BUFFER_PENDING, BUFFER_READING, BUFFER_READY, BUFFER_FAILED } buffer_state;

typedef struct buffer {
    buffer_state state;
    int64_t window; /* which window it holds or is to hold */
    float *x;       /* [count][psz] */
    int64_t *rows;  /* ascending, no repeats */
    int64_t count;
    fc_error err;
} buffer;

struct train_stream {
    fc_patches *p;
    char *path;
    struct stat stamp; /* the file as training started */
    size_t psz;
    int batch, rank, size;
    int64_t window, block; /* rows per window (whole batches); rows per block of the epoch order */
    int64_t *sorted;       /* the training rows, ascending */
    int64_t ntrain, nblocks;
    int64_t *perm, *scratch; /* [nblocks], [window] */
    /* The pass: set by the caller while the thread is idle, read by the thread while it reads. */
    const int64_t *order;
    int64_t n, nwindows;
    stream_share share;
    buffer buf[2];
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t thread;
    int quit, started;
};

int train_stream_fits(int64_t n, size_t psz, int memory_mb)
{
    return (double)n * (double)psz * sizeof(float) <= (double)memory_mb * (double)MB;
}

fc_status train_stream_load_index(train_data *d, fc_patches *p, fc_error *err)
{
    fc_status st = train_data_shape(d, p, err);
    if (st)
        return st;
    d->y = malloc(sizeof(int32_t) * (size_t)d->n);
    d->pos = malloc(sizeof(int32_t) * 4 * (size_t)d->n);
    d->train = malloc(sizeof(int64_t) * (size_t)d->n);
    d->val = malloc(sizeof(int64_t) * (size_t)d->n);
    if (!d->y || !d->pos || !d->train || !d->val)
        return fc_fail(err, FC_ERR_NOMEM, "out of memory for the labels and positions of %lld patches",
                       (long long)d->n);
    return fc_patches_read(p, 0, d->n, NULL, d->y, d->pos, err);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Whether this rank reads position at of the pass. */
static int mine(const train_stream *s, int64_t at)
{
    int64_t b = at / s->batch, a = b * s->batch;
    int64_t nb = s->n - a < s->batch ? s->n - a : s->batch, off = at - a;
    switch (s->share) {
    case STREAM_SHARE_SLICES: return off >= nb * s->rank / s->size && off < nb * (s->rank + 1) / s->size;
    case STREAM_SHARE_BATCHES: return b % s->size == s->rank;
    case STREAM_SHARE_ALL: break;
    }
    return 1;
}

/* The rows of window k this rank needs, read into b; on the reading thread. */
static fc_status read_window(train_stream *s, buffer *b, fc_error *err)
{
    int64_t lo = b->window * s->window, hi = lo + s->window < s->n ? lo + s->window : s->n, m = 0;
    for (int64_t at = lo; at < hi; at++)
        if (mine(s, at))
            b->rows[m++] = s->order[at];
    qsort(b->rows, (size_t)m, sizeof *b->rows, cmp_i64);
    int64_t u = 0;
    for (int64_t i = 0; i < m; i++)
        if (u == 0 || b->rows[i] != b->rows[u - 1])
            b->rows[u++] = b->rows[i];
    b->count = u;
    fc_status st = fc_patches_read_rows(s->p, b->rows, u, b->x, err);
    /* A file cut short reads as zeros past its end, one written over as other numbers: the file's size and time
     * tell either, whatever the read said. A file replaced by another (a new inode) leaves the open one intact. */
    struct stat now;
    if (stat(s->path, &now) == 0 && now.st_ino == s->stamp.st_ino && now.st_dev == s->stamp.st_dev &&
        (now.st_size != s->stamp.st_size || now.st_mtim.tv_sec != s->stamp.st_mtim.tv_sec ||
         now.st_mtim.tv_nsec != s->stamp.st_mtim.tv_nsec))
        return fc_fail(err, FC_ERR_FORMAT, "%s: the file %s while training (%lld bytes, %lld when it started)", s->path,
                       now.st_size < s->stamp.st_size ? "was truncated" : "was written to", (long long)now.st_size,
                       (long long)s->stamp.st_size);
    if (st)
        return st;
    for (int64_t i = 0; i < u; i++)
        for (size_t j = 0; j < s->psz; j++)
            if (!isfinite(b->x[(size_t)i * s->psz + j]))
                return fc_fail(err, FC_ERR_FORMAT,
                               "%s: row %lld of /patches holds a value that is not a number "
                               "(the file is damaged)",
                               s->path, (long long)b->rows[i]);
    return FC_OK;
}

static void *reader(void *arg)
{
    train_stream *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        buffer *b = NULL;
        for (int i = 0; i < 2; i++) /* the earliest window asked for first */
            if (s->buf[i].state == BUFFER_PENDING && (!b || s->buf[i].window < b->window))
                b = &s->buf[i];
        if (s->quit)
            break;
        if (!b) {
            pthread_cond_wait(&s->changed, &s->lock);
            continue;
        }
        b->state = BUFFER_READING;
        pthread_mutex_unlock(&s->lock);
        fc_error_clear(&b->err);
        fc_status st = read_window(s, b, &b->err);
        pthread_mutex_lock(&s->lock);
        b->state = st ? BUFFER_FAILED : BUFFER_READY;
        pthread_cond_broadcast(&s->changed);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

fc_status train_stream_open(train_stream **out, fc_patches *p, const char *path, const train_data *d, int memory_mb,
                            int batch, const fc_comm *comm, fc_error *err)
{
    size_t bytes = d->psz * sizeof(float);
    int64_t rows = (int64_t)memory_mb * MB / 2 / (int64_t)bytes, window = rows / batch * batch;
    if (window < batch)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "--memory %d MB does not hold two batches of %d patches of %d x %d x %d (%.1f MB); give "
                       "--memory %lld or more, or a smaller --batch",
                       memory_mb, batch, d->c, d->h, d->w, 2.0 * batch * (double)bytes / (double)MB,
                       (long long)((2 * batch * (int64_t)bytes + MB - 1) / MB));
    int64_t most = d->ntrain > d->nval ? d->ntrain : d->nval;
    most = (most + batch - 1) / batch * batch;
    window = window < most ? window : most;
    train_stream *s = calloc(1, sizeof *s);
    if (!s)
        return fc_fail(err, FC_ERR_NOMEM, "train: out of memory for streaming");
    s->p = p;
    s->psz = d->psz;
    s->batch = batch;
    s->rank = fc_comm_rank(comm);
    s->size = fc_comm_size(comm);
    s->window = window;
    /* Blocks of about 1 MB of patches read as one run, at least eight to a window so that windows mix. */
    s->block = MB / (int64_t)bytes;
    s->block = s->block > window / 8 ? window / 8 : s->block;
    s->block = s->block < 1 ? 1 : s->block;
    s->ntrain = d->ntrain;
    s->nblocks = (d->ntrain + s->block - 1) / s->block;
    s->path = strdup(path);
    s->sorted = malloc(sizeof(int64_t) * (size_t)d->ntrain);
    s->perm = malloc(sizeof(int64_t) * (size_t)s->nblocks);
    s->scratch = malloc(sizeof(int64_t) * (size_t)window);
    int ok = s->path && s->sorted && s->perm && s->scratch;
    for (int i = 0; i < 2 && ok; i++) {
        s->buf[i].x = malloc(bytes * (size_t)window);
        s->buf[i].rows = malloc(sizeof(int64_t) * (size_t)window);
        s->buf[i].window = -1;
        ok = s->buf[i].x && s->buf[i].rows;
    }
    if (!ok) {
        train_stream_close(s);
        return fc_fail(err, FC_ERR_NOMEM, "train: out of memory for two windows of %lld patches (--memory %d)",
                       (long long)window, memory_mb);
    }
    if (stat(path, &s->stamp) != 0) {
        train_stream_close(s);
        return fc_fail(err, FC_ERR_IO, "%s: cannot stat the patch file", path);
    }
    memcpy(s->sorted, d->train, sizeof(int64_t) * (size_t)d->ntrain);
    qsort(s->sorted, (size_t)d->ntrain, sizeof *s->sorted, cmp_i64);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->changed, NULL);
    if (pthread_create(&s->thread, NULL, reader, s) != 0) {
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->changed);
        train_stream_close(s);
        return fc_fail(err, FC_ERR_NOMEM, "train: cannot start the thread that reads patches");
    }
    s->started = 1;
    *out = s;
    return FC_OK;
}

int64_t train_stream_window(const train_stream *s)
{
    return s->window;
}

static void shuffle(fc_rng *r, int64_t *v, int64_t n)
{
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)fc_rng_below(r, (uint64_t)i + 1), t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

/* Replace the rows of one window by as many draws: a class uniformly among those present in it, then one of its
 * rows there. */
static void balance_window(train_stream *s, const train_data *d, fc_rng *r, int64_t *rows, int64_t n)
{
    int64_t count[FC_MAX_CLASSES] = {0}, start[FC_MAX_CLASSES + 1] = {0}, fill[FC_MAX_CLASSES];
    int present[FC_MAX_CLASSES], np = 0;
    for (int64_t i = 0; i < n; i++)
        count[d->y[rows[i]]]++;
    for (int c = 0; c < d->nclasses; c++) {
        if (count[c] > 0)
            present[np++] = c;
        start[c + 1] = start[c] + count[c];
    }
    memcpy(fill, start, sizeof(int64_t) * (size_t)d->nclasses);
    for (int64_t i = 0; i < n; i++)
        s->scratch[fill[d->y[rows[i]]]++] = rows[i];
    for (int64_t i = 0; i < n; i++) {
        int c = present[fc_rng_below(r, (uint64_t)np)];
        rows[i] = s->scratch[start[c] + (int64_t)fc_rng_below(r, (uint64_t)count[c])];
    }
}

void train_stream_epoch_order(train_stream *s, const train_data *d, uint64_t seed, int epoch, int balanced,
                              int64_t *order)
{
    fc_rng r;
    fc_rng_seed(&r, (seed * 0x2545f4914f6cdd1dull + (uint64_t)epoch) ^ 0x53545245414dull);
    for (int64_t b = 0; b < s->nblocks; b++)
        s->perm[b] = b;
    shuffle(&r, s->perm, s->nblocks);
    int64_t at = 0;
    for (int64_t b = 0; b < s->nblocks; b++) {
        int64_t lo = s->perm[b] * s->block, n = lo + s->block < s->ntrain ? s->block : s->ntrain - lo;
        memcpy(order + at, s->sorted + lo, sizeof(int64_t) * (size_t)n);
        at += n;
    }
    for (int64_t lo = 0; lo < s->ntrain; lo += s->window) {
        int64_t n = lo + s->window < s->ntrain ? s->window : s->ntrain - lo;
        if (balanced)
            balance_window(s, d, &r, order + lo, n);
        else
            shuffle(&r, order + lo, n);
    }
}

/* Ask for window k in its buffer unless it holds it or is reading it; the lock is held. */
static void request(train_stream *s, int64_t k)
{
    if (k >= s->nwindows)
        return;
    buffer *b = &s->buf[k % 2];
    while (b->state == BUFFER_READING)
        pthread_cond_wait(&s->changed, &s->lock);
    if (b->window == k && b->state != BUFFER_EMPTY)
        return;
    b->window = k;
    b->state = BUFFER_PENDING;
    pthread_cond_broadcast(&s->changed);
}

void train_stream_begin(train_stream *s, const int64_t *order, int64_t n, stream_share share)
{
    pthread_mutex_lock(&s->lock);
    s->order = order;
    s->n = n;
    s->nwindows = (n + s->window - 1) / s->window;
    s->share = share;
    for (int i = 0; i < 2; i++) {
        s->buf[i].state = BUFFER_EMPTY;
        s->buf[i].window = -1;
    }
    request(s, 0);
    request(s, 1);
    pthread_mutex_unlock(&s->lock);
}

/* The buffer holding window k once it is read; the one before it is free then, so window k + 1 goes there. */
static fc_status window_of(train_stream *s, int64_t k, buffer **out, fc_error *err)
{
    pthread_mutex_lock(&s->lock);
    request(s, k);
    buffer *b = &s->buf[k % 2];
    while (b->state == BUFFER_PENDING || b->state == BUFFER_READING)
        pthread_cond_wait(&s->changed, &s->lock);
    fc_status st = FC_OK;
    if (b->state == BUFFER_FAILED) {
        st = b->err.status ? b->err.status : FC_ERR_IO;
        if (err)
            *err = b->err;
    } else {
        request(s, k + 1);
    }
    pthread_mutex_unlock(&s->lock);
    *out = b;
    return st;
}

fc_status train_stream_batch(train_stream *s, const train_data *d, const int64_t *rows, int n, int augment,
                             uint64_t seed, int epoch, int64_t first, const fc_channel *channels, float *x, int32_t *y,
                             fc_error *err)
{
    if (n <= 0)
        return FC_OK;
    buffer *b;
    fc_status st = window_of(s, (rows - s->order) / s->window, &b, err);
    if (st)
        return st;
    for (int i = 0; i < n; i++) {
        const int64_t *at = bsearch(&rows[i], b->rows, (size_t)b->count, sizeof *b->rows, cmp_i64);
        if (!at) /* cannot happen: the window holds every row of this rank's batches */
            return fc_fail(err, FC_ERR_ARGUMENT, "train: row %lld is not in the streamed window", (long long)rows[i]);
        y[i] = d->y[rows[i]];
        train_data_patch(d, b->x + s->psz * (size_t)(at - b->rows), augment, seed, epoch, first + i, channels,
                         x + s->psz * (size_t)i);
    }
    return FC_OK;
}

void train_stream_end(train_stream *s)
{
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < 2; i++) {
        while (s->buf[i].state == BUFFER_READING)
            pthread_cond_wait(&s->changed, &s->lock);
        s->buf[i].state = BUFFER_EMPTY;
        s->buf[i].window = -1;
    }
    pthread_mutex_unlock(&s->lock);
}

void train_stream_close(train_stream *s)
{
    if (!s)
        return;
    if (s->started) {
        pthread_mutex_lock(&s->lock);
        s->quit = 1;
        pthread_cond_broadcast(&s->changed);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->changed);
    }
    for (int i = 0; i < 2; i++) {
        free(s->buf[i].x);
        free(s->buf[i].rows);
    }
    free(s->path);
    free(s->sorted);
    free(s->perm);
    free(s->scratch);
    free(s);
}
