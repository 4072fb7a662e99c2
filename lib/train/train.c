#include "facies/train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "train_run.h"

/* A class without patches still gets an output of the network, which is then trained never to fire: a legend
 * entry the interpreter meant to label, or a typo in classes.csv, would pass unnoticed. */
static fc_status check_classes(const train_data *d, const fc_patches_meta *m, const char *path, fc_error *err)
{
    int64_t counts[FC_MAX_CLASSES] = {0};
    for (int64_t i = 0; i < d->n; i++)
        if (d->y[i] >= 0 && d->y[i] < m->classes.count)
            counts[d->y[i]]++;
    char empty[1024];
    int n = fc_classes_list_empty(&m->classes, counts, empty, sizeof empty);
    if (n) /* exit 1, not 2: the command line is fine, the dataset is not what training needs */
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: %d class%s of the legend %s no patches: %s (ingest labels of %s, or train with "
                       "--allow-empty-classes)",
                       path, n, n == 1 ? "" : "es", n == 1 ? "has" : "have", empty, n == 1 ? "it" : "them");
    return FC_OK;
}

/* The patches, in memory or (beyond --memory) as an index to stream from; *streamed says which. */
static fc_status load_patches(train_run *r, int *streamed, fc_error *err)
{
    const fc_train_options *o = r->o;
    fc_status st = fc_patches_open(&r->patches, o->patches_path, err);
    if (st)
        return st;
    r->pm = fc_patches_get_meta(r->patches);
    size_t psz = (size_t)r->pm->channels * (size_t)r->pm->height * (size_t)r->pm->width;
    *streamed = !train_stream_fits(fc_patches_count(r->patches), psz, o->memory_mb);
    return *streamed ? train_stream_load_index(&r->d, r->patches, err) : train_data_load(&r->d, r->patches, err);
}

static fc_status open_stream(train_run *r, fc_error *err)
{
    const fc_train_options *o = r->o;
    fc_status st =
        train_stream_open(&r->stream, r->patches, o->patches_path, &r->d, o->memory_mb, o->batch, o->comm, err);
    if (!st)
        train_say(o,
                  "%lld patches (%.0f MB as float32) exceed --memory %d MB: streaming them from %s, %lld at a time, "
                  "reading ahead",
                  (long long)r->d.n, (double)r->d.n * (double)r->d.psz * 4.0 / 1048576.0, o->memory_mb, o->patches_path,
                  (long long)train_stream_window(r->stream));
    return st;
}

/* A batch's patches and labels, the epoch's order and the class weights: Keras' "balanced" weights,
 * n / (classes present * n_c). */
static fc_status alloc_batches(train_run *r, fc_error *err)
{
    const fc_train_options *o = r->o;
    r->bx = malloc(sizeof(float) * r->d.psz * (size_t)o->batch);
    r->by = malloc(sizeof(int32_t) * (size_t)o->batch);
    r->order = malloc(sizeof(int64_t) * (size_t)r->d.ntrain);
    r->by_class = malloc(sizeof(int64_t) * (size_t)r->d.ntrain);
    r->class_w = malloc(sizeof(float) * (size_t)r->d.nclasses);
    if (!r->bx || !r->by || !r->order || !r->by_class || !r->class_w)
        return fc_fail(err, FC_ERR_NOMEM, "train: out of memory for batches of %d", o->batch);
    int present = 0;
    for (int c = 0; c < r->d.nclasses; c++)
        present += r->d.class_count[c] > 0;
    for (int c = 0; c < r->d.nclasses; c++)
        r->class_w[c] =
            r->d.class_count[c] ? (float)((double)r->d.ntrain / (present * (double)r->d.class_count[c])) : 0.0f;
    return FC_OK;
}

static void free_run(train_run *r)
{
    train_stream_close(r->stream);
    fc_patches_close(r->patches);
    train_data_free(&r->d);
    fc_net_destroy(r->net);
    fc_net_destroy(r->best);
    fc_history_free(&r->hist);
    free(r->bx);
    free(r->by);
    free(r->order);
    free(r->by_class);
    free(r->class_w);
}

fc_status fc_train(const fc_train_options *o, fc_train_summary *summary, fc_error *err)
{
    if (o->epochs < 1 || o->batch < 1 || o->batch > 4096 || !(o->val_fraction > 0.0 && o->val_fraction < 1.0) ||
        o->freeze < 0 || !(o->optimizer.lr > 0.0))
        return fc_fail(err, FC_ERR_ARGUMENT, "train: bad epochs, batch, learning rate, validation fraction or freeze");
    double t0 = train_now_s();
    train_run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.best_loss = INFINITY;
    fc_train_summary s;
    memset(&s, 0, sizeof s);
    int streamed = 0;
    fc_status st = load_patches(&r, &streamed, err);
    r.streamed = streamed;
    if (!st) /* model problems first: they are reported before anything else is said */
        st = o->resume ? train_resume(&r, err) : train_build_net(&r, err);
    if (!st && !o->allow_empty_classes)
        st = check_classes(&r.d, r.pm, o->patches_path, err);
    if (!st)
        st = train_data_split(&r.d, o, err);
    if (!st && streamed)
        st = open_stream(&r, err);
    if (!st)
        st = alloc_batches(&r, err);
    if (!st) {
        s.train_patches = r.d.ntrain;
        s.val_patches = r.d.nval;
        s.dropped_buffer = r.d.dropped;
        st = train_epochs(&r, &s, err);
    }
    s.seconds = train_now_s() - t0;
    free_run(&r);
    if (!st && summary)
        *summary = s;
    return st;
}
