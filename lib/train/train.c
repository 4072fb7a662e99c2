#include "facies/train.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "facies/calibration.h"
#include "facies/files.h"
#include "facies/signal.h"
#include "facies/version.h"
#include "facies/plot.h"
#include "fail.h"
#include "folder.h"
#include "log_line.h"
#include "train_data.h"
#include "train_stream.h"

fc_train_options fc_train_options_default(void)
{
    fc_train_options o;
    memset(&o, 0, sizeof o);
    o.epochs = 30;
    o.batch = 32;
    o.optimizer = fc_optimizer_default(FC_OPTIMIZER_ADAM);
    o.patience = 5;
    o.val_fraction = 0.2;
    o.seed = 1;
    o.memory_mb = 1024;
    return o;
}

void fc_default_arch(int h, int w, char *buf, size_t size)
{
    static const int filters[3] = {32, 64, 128};
    char spec[256] = "";
    int blocks = 0;
    /* Each block is a valid 3x3 conv and a 2x2 pool; keep at least 2x2 after it. */
    while (blocks < 3 && (h - 2) / 2 >= 2 && (w - 2) / 2 >= 2) {
        snprintf(spec + strlen(spec), sizeof spec - strlen(spec), "conv%d-pool-", filters[blocks]);
        h = (h - 2) / 2;
        w = (w - 2) / 2;
        blocks++;
    }
    if (blocks == 0)
        snprintf(spec, sizeof spec, "conv16k1-");
    snprintf(buf, size, "%sflatten-dense128-dropout0.5-dense", spec);
}

void fc_train_side_path(const char *out, const char *suffix, char *buf, size_t size)
{
    size_t n = strlen(out);
    if (n > 3 && !strcmp(out + n - 3, ".h5"))
        n -= 3;
    snprintf(buf, size, "%.*s%s", (int)n, out, suffix);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

#define say(o, ...) fc_log_line((o)->log, (o)->ctx, __VA_ARGS__)

typedef struct run {
    const fc_train_options *o;
    fc_patches *patches;
    const fc_patches_meta *pm;
    train_data d;
    train_stream *stream; /* patches read window by window (NULL: all in memory in d) */
    fc_net *net;
    fc_model_meta meta;
    fc_history hist;
    float *bx, *class_w;
    int32_t *by;
    int64_t *order, *by_class; /* the epoch's rows; scratch for balanced sampling */
    int start_epoch;           /* epochs already done (resume) */
    int best_epoch;
    double best_loss;
} run;

static int same_classes(const fc_classes *a, const fc_classes *b)
{
    if (a->count != b->count)
        return 0;
    for (int i = 0; i < a->count; i++)
        if (a->c[i].code != b->c[i].code)
            return 0;
    return 1;
}

static void base_meta(run *r, const char *spec)
{
    const fc_patches_meta *pm = r->pm;
    fc_model_meta *m = &r->meta;
    memset(m, 0, sizeof *m);
    snprintf(m->spec, sizeof m->spec, "%s", spec);
    m->in_c = fc_patches_planes(pm);
    m->scales = pm->scales;
    m->in_h = pm->height;
    m->in_w = pm->width;
    m->channels = pm->channels;
    memcpy(m->channel, pm->channel, sizeof m->channel);
    m->volumes = pm->volumes;
    m->norm = pm->norm;
    m->sample_interval_ms = pm->sample_interval_ms;
    m->classes = pm->classes;
    m->optimizer = r->o->optimizer;
    m->frozen_layers = r->o->freeze;
    char hash[17] = "";
    fc_file_hash(r->o->patches_path, hash, NULL);
    int n =
        snprintf(m->data_provenance, sizeof m->data_provenance, "patches %s (fnv1a64 %s); survey %s (%s); labels: %s",
                 r->o->patches_path, hash, pm->survey_path, pm->survey_hash, pm->label_sources);
    if (n >= (int)sizeof m->data_provenance) /* long label lists are cut; the patches file keeps them all */
        memcpy(m->data_provenance + sizeof m->data_provenance - 4, "...", 4);
    snprintf(m->command_line, sizeof m->command_line, "%s", r->o->command_line ? r->o->command_line : "");
    snprintf(m->program_version, sizeof m->program_version, "facies %s", FC_VERSION);
}

/* A new network, or one fine-tuned from --init. */
static fc_status build_net(run *r, fc_error *err)
{
    const fc_train_options *o = r->o;
    char spec[512];
    if (o->arch)
        snprintf(spec, sizeof spec, "%s", o->arch);
    else
        fc_default_arch(r->pm->height, r->pm->width, spec, sizeof spec);
    if (!o->init_path) {
        base_meta(r, spec);
        fc_net_config cfg = {.spec = spec,
                             .in_c = r->pm->channels,
                             .in_h = r->pm->height,
                             .in_w = r->pm->width,
                             .classes = r->pm->classes.count,
                             .max_batch = o->batch,
                             .threads = o->threads,
                             .seed = o->seed};
        cfg.in_c = fc_patches_planes(r->pm);
        fc_model_net_scales(&cfg, &r->pm->scales);
        return fc_net_create(&r->net, &cfg, err);
    }
    fc_model_meta parent;
    fc_status st = fc_model_load(o->init_path, o->batch, o->threads, &r->net, &parent, NULL, err);
    if (st)
        return st;
    char a[FC_MAX_CHANNELS * 48], b[FC_MAX_CHANNELS * 48];
    fc_channel_names_format(parent.channel, parent.channels, &parent.volumes, a, sizeof a);
    fc_channel_names_format(r->pm->channel, r->pm->channels, &r->pm->volumes, b, sizeof b);
    char kinds[128], vols[FC_MAX_VOLUMES * 40] = "";
    int nk = parent.channels / (parent.volumes.count > 0 ? parent.volumes.count : 1);
    fc_channels_format(parent.channel, nk, kinds, sizeof kinds);
    for (int v = 1; v < parent.volumes.count; v++) /* the volumes it takes beside the survey */
        snprintf(vols + strlen(vols), sizeof vols - strlen(vols), " --volume %s=FILE", parent.volumes.v[v].name);
    char sa[64], sb[64];
    fc_scales_format(&parent.scales, sa, sizeof sa);
    fc_scales_format(&r->pm->scales, sb, sizeof sb);
    if (strcmp(sa, sb))
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: the model takes patches at scales %s; %s holds scales %s (re-ingest with --scales %s)",
                       o->init_path, sa, o->patches_path, sb, sa);
    if (parent.in_h != r->pm->height || parent.in_w != r->pm->width || strcmp(a, b))
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: the model takes %dx%d patches of %s; %s holds %dx%d patches of %s (re-ingest with "
                       "--patch %dx%d --attributes %s%s)",
                       o->init_path, parent.in_h, parent.in_w, a, o->patches_path, r->pm->height, r->pm->width, b,
                       parent.in_h, parent.in_w, kinds, vols);
    if (!fc_sample_intervals_match(parent.sample_interval_ms, r->pm->sample_interval_ms))
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: the model was trained on %g ms samples, but %s holds patches cut from %g ms samples; "
                       "--init needs a dataset ingested from a survey at %g ms",
                       o->init_path, parent.sample_interval_ms, o->patches_path, r->pm->sample_interval_ms,
                       parent.sample_interval_ms);
    base_meta(r, parent.spec);
    if (!same_classes(&parent.classes, &r->pm->classes)) {
        st = fc_net_replace_head(r->net, r->pm->classes.count, err);
        if (st)
            return st;
        say(o, "the dataset's classes differ from the model's: output layer replaced (%d -> %d classes)",
            parent.classes.count, r->pm->classes.count);
    }
    char hash[17] = "";
    fc_file_hash(o->init_path, hash, NULL);
    snprintf(r->meta.parent_model, sizeof r->meta.parent_model, "%s (fnv1a64 %s)", o->init_path, hash);
    fc_net_freeze(r->net, o->freeze);
    fc_net_reset_optimizer(r->net); /* fresh optimiser state for the new task */
    if (o->freeze)
        say(o, "fine-tuning %s with its first %d weight layers frozen", o->init_path, o->freeze);
    return FC_OK;
}

static fc_status resume(run *r, fc_error *err)
{
    char ck[4200];
    fc_train_side_path(r->o->out_path, ".checkpoint.h5", ck, sizeof ck);
    fc_model_meta m;
    fc_status st = fc_model_load(ck, r->o->batch, r->o->threads, &r->net, &m, &r->hist, err);
    if (st)
        return st;
    if (m.in_h != r->pm->height || m.in_w != r->pm->width || m.classes.count != r->pm->classes.count)
        return fc_fail(err, FC_ERR_MISMATCH, "%s: the checkpoint does not fit %s", ck, r->o->patches_path);
    r->meta = m;
    r->start_epoch = r->hist.n;
    r->best_epoch = (int)m.best_epoch;
    if (r->best_epoch > r->hist.n) /* a checkpoint whose history is gone */
        return fc_fail(err, FC_ERR_FORMAT, "%s: no training history up to its best epoch %d", ck, r->best_epoch);
    r->best_loss = r->best_epoch > 0 ? r->hist.val_loss[r->best_epoch - 1] : INFINITY;
    say(r->o, "resuming from %s after epoch %d (best epoch %d)", ck, r->start_epoch, r->best_epoch);
    return FC_OK;
}

/* A patch file that fails while training streams from it: what is left and what to do. */
static fc_status stream_failed(const run *r, fc_status st, fc_error *err)
{
    if (!err)
        return st;
    char what[FC_ERROR_MESSAGE_SIZE];
    snprintf(what, sizeof what, "%s", err->message);
    if (r->best_epoch > 0)
        return fc_fail(err, st,
                       "%s; the best model so far (epoch %d) is in %s; restore the patch file or ingest it again, "
                       "then train on with --resume",
                       what, r->best_epoch, r->o->out_path);
    return fc_fail(err, st, "%s; no epoch finished, no model written; restore the patch file or ingest it again", what);
}

/* A batch from memory or from the stream. */
static fc_status batch_of(run *r, const int64_t *rows, int n, int augment, int epoch, int64_t first, float *x,
                          int32_t *y, fc_error *err)
{
    if (r->stream) {
        fc_status st =
            train_stream_batch(r->stream, &r->d, rows, n, augment, r->o->seed, epoch, first, r->pm->channel, x, y, err);
        return st ? stream_failed(r, st, err) : FC_OK;
    }
    train_data_batch(&r->d, rows, n, augment, r->o->seed, epoch, first, r->pm->channel, x, y);
    return FC_OK;
}

static void stream_begin(run *r, const int64_t *order, int64_t n, stream_share share)
{
    if (r->stream)
        train_stream_begin(r->stream, order, n, share);
}

static void stream_end(run *r)
{
    if (r->stream)
        train_stream_end(r->stream);
}

/* Validation loss and accuracy; on several ranks each takes every size-th batch and the sums are shared. */
static fc_status evaluate(run *r, double *loss, double *acc, fc_error *err)
{
    const train_data *d = &r->d;
    const fc_comm *comm = r->o->comm;
    double sums[2] = {0.0, 0.0}; /* loss, correct */
    int64_t b = 0;
    fc_status st = FC_OK;
    stream_begin(r, d->val, d->nval, STREAM_SHARE_BATCHES);
    for (int64_t a = 0; a < d->nval && !st; a += r->o->batch, b++) {
        if (b % fc_comm_size(comm) != fc_comm_rank(comm))
            continue;
        int n = (int)(d->nval - a < r->o->batch ? d->nval - a : r->o->batch);
        st = batch_of(r, d->val + a, n, 0, 0, 0, r->bx, r->by, err);
        if (st)
            break;
        double l;
        int c;
        st = fc_net_evaluate(r->net, r->bx, r->by, n, &l, &c, err);
        if (st)
            break;
        sums[0] += l * n;
        sums[1] += c;
    }
    stream_end(r);
    if (st)
        return st;
    if (fc_comm_parallel(comm))
        comm->sum_f64(comm->ctx, sums, 2);
    *loss = sums[0] / (double)d->nval;
    *acc = sums[1] / (double)d->nval;
    return FC_OK;
}

/* One batch, or on several ranks this rank's share of it (rows [n r / size, n (r + 1) / size)). Adds the summed
 * loss of the rows here and their correct ones. */
static fc_status train_batch(run *r, int epoch, int64_t a, int n, double *loss, int64_t *right, fc_error *err)
{
    const fc_train_options *o = r->o;
    int rank = fc_comm_rank(o->comm), size = fc_comm_size(o->comm);
    int first = (int)((int64_t)n * rank / size), end = (int)((int64_t)n * (rank + 1) / size), c = 0;
    fc_status st = batch_of(r, r->order + a + first, end - first, o->augment, epoch, a + first, r->bx, r->by, err);
    if (st)
        return st;
    double l;
    st = fc_net_train_step_shard(r->net, &r->meta.optimizer, r->bx, r->by, end - first,
                                 o->balance == FC_BALANCE_WEIGHTS ? r->class_w : NULL, o->comm, first, n, &l, &c, err);
    if (st)
        return st;
    *loss += l;
    *right += c;
    return FC_OK;
}

static fc_status write_history_files(run *r, fc_error *err)
{
    char csv[4200], png[4200], part[4300];
    fc_train_side_path(r->o->out_path, ".history.csv", csv, sizeof csv);
    fc_train_side_path(r->o->out_path, ".history.png", png, sizeof png);
    snprintf(part, sizeof part, "%s.partial", csv);
    fc_partial_unlink(part);
    FILE *f = fopen(part, "w");
    if (!f)
        return fc_fail(err, FC_ERR_IO, "%s: cannot create: %s", part, strerror(errno));
    fprintf(f, "epoch,loss,accuracy,val_loss,val_accuracy,seconds,best\n");
    for (int e = 0; e < r->hist.n; e++)
        fprintf(f, "%d,%.6f,%.6f,%.6f,%.6f,%.3f,%d\n", e + 1, r->hist.loss[e], r->hist.accuracy[e], r->hist.val_loss[e],
                r->hist.val_accuracy[e], r->hist.seconds[e], e + 1 == r->best_epoch);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(part, csv) != 0) {
        remove(part);
        return fc_fail(err, FC_ERR_IO, "%s: write failed", csv);
    }
    return fc_plot_history(png, &r->hist, r->best_epoch, r->o->out_path, err);
}

/* Temperature scaling: the T minimising the validation patches' cross-entropy under the best model. Its
 * log-probabilities stand for the logits (softmax is blind to a per-patch shift). */
static fc_status calibrate(run *r, fc_net *best, double *temperature, fc_error *err)
{
    const train_data *d = &r->d;
    int K = d->nclasses;
    float *logp = malloc(sizeof(float) * (size_t)(d->nval > 0 ? d->nval : 1) * (size_t)K);
    int32_t *labels = malloc(sizeof(int32_t) * (size_t)(d->nval > 0 ? d->nval : 1));
    if (!logp || !labels) {
        free(logp);
        free(labels);
        return fc_fail(err, FC_ERR_NOMEM, "train: out of memory for calibration");
    }
    fc_status st = FC_OK;
    stream_begin(r, d->val, d->nval, STREAM_SHARE_ALL);
    for (int64_t a = 0; a < d->nval && !st; a += r->o->batch) {
        int n = (int)(d->nval - a < r->o->batch ? d->nval - a : r->o->batch);
        st = batch_of(r, d->val + a, n, 0, 0, 0, r->bx, labels + a, err);
        if (!st)
            st = fc_net_predict(best, r->bx, n, logp + (size_t)a * K, err);
    }
    stream_end(r);
    if (st) {
        free(logp);
        free(labels);
        return st;
    }
    for (int64_t i = 0; i < d->nval * K; i++) /* float softmax underflows to 0 about e^-103 below the top */
        logp[i] = logp[i] > 1e-45f ? logf(logp[i]) : -103.0f;
    *temperature = fc_temperature_fit(logp, labels, d->nval, K);
    say(r->o, "calibration: temperature %.4f on %lld validation patches (NLL %.4f -> %.4f)", *temperature,
        (long long)d->nval, fc_temperature_nll(logp, labels, d->nval, K, 1.0),
        fc_temperature_nll(logp, labels, d->nval, K, *temperature));
    free(logp);
    free(labels);
    return FC_OK;
}

static fc_status epochs(run *r, fc_train_summary *s, fc_error *err)
{
    const fc_train_options *o = r->o;
    train_data *d = &r->d;
    char ck[4200];
    fc_train_side_path(o->out_path, ".checkpoint.h5", ck, sizeof ck);
    double train_time = 0.0;
    int64_t trained = 0;
    fc_status st = FC_OK;
    int epoch = r->start_epoch;
    for (; epoch < o->epochs && !st; epoch++) {
        if (o->patience > 0 && r->best_epoch > 0 && epoch - r->best_epoch >= o->patience)
            break;
        double t0 = now_s();
        if (r->stream)
            train_stream_epoch_order(r->stream, d, o->seed, epoch, o->balance == FC_BALANCE_SAMPLE, r->order);
        else
            train_data_epoch_order(d, o->seed, epoch, o->balance == FC_BALANCE_SAMPLE, r->by_class, r->order);
        int64_t nb = (d->ntrain + o->batch - 1) / o->batch;
        double loss_sum = 0.0;
        int64_t right = 0;
        stream_begin(r, r->order, d->ntrain, STREAM_SHARE_SLICES);
        for (int64_t b = 0; b < nb && !st; b++) {
            int64_t a = b * o->batch;
            int n = (int)(d->ntrain - a < o->batch ? d->ntrain - a : o->batch);
            st = train_batch(r, epoch, a, n, &loss_sum, &right, err);
            if (o->progress)
                o->progress(o->ctx, b + 1, nb);
        }
        stream_end(r);
        if (st)
            break;
        if (fc_comm_parallel(o->comm)) {
            double sums[2] = {loss_sum, (double)right};
            o->comm->sum_f64(o->comm->ctx, sums, 2);
            loss_sum = sums[0];
            right = (int64_t)sums[1];
        }
        double t1 = now_s();
        train_time += t1 - t0;
        trained += d->ntrain;
        double vl, va;
        st = evaluate(r, &vl, &va, err);
        if (st)
            break;
        if (fc_history_push(&r->hist, loss_sum / (double)d->ntrain, (double)right / (double)d->ntrain, vl, va,
                            now_s() - t0, NULL))
            return fc_fail(err, FC_ERR_NOMEM, "train: out of memory for the history");
        /* Better by more than rounding noise: a flat plateau must not count as progress. */
        int best = isfinite(vl) && vl < r->best_loss - 1e-6;
        int writer = fc_comm_rank(o->comm) == 0; /* on several ranks, rank 0 writes the files */
        if (best) {
            r->best_loss = vl;
            r->best_epoch = epoch + 1;
            r->meta.best_epoch = r->best_epoch;
            if (writer)
                st = fc_model_save(o->out_path, r->net, &r->meta, &r->hist, err);
        }
        r->meta.best_epoch = r->best_epoch;
        if (!st && writer)
            st = fc_model_save(ck, r->net, &r->meta, &r->hist, err);
        if (!st && writer)
            st = write_history_files(r, err);
        if (o->epoch_done)
            o->epoch_done(o->ctx, epoch + 1, &r->hist, best);
    }
    if (st)
        return st;
    s->epochs_run = r->hist.n;
    s->stopped_early = epoch < o->epochs;
    s->best_epoch = r->best_epoch;
    if (r->best_epoch > 0) {
        s->best_val_loss = r->hist.val_loss[r->best_epoch - 1];
        s->best_val_accuracy = r->hist.val_accuracy[r->best_epoch - 1];
    }
    s->patches_per_second = train_time > 0 ? (double)trained / train_time : 0.0;
    /* The best model gets the whole history, the epochs after it included. The
     * checkpoint stays: --resume with more --epochs trains on from it. */
    if (r->best_epoch > 0 && fc_comm_rank(o->comm) == 0) {
        fc_net *best = NULL;
        fc_model_meta bm;
        st = fc_model_load(o->out_path, o->batch, o->threads, &best, &bm, NULL, err);
        if (!st)
            st = calibrate(r, best, &bm.temperature, err);
        if (!st)
            st = fc_model_save(o->out_path, best, &bm, &r->hist, err);
        s->temperature = bm.temperature;
        fc_net_destroy(best);
    }
    return st;
}

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

fc_status fc_train(const fc_train_options *o, fc_train_summary *summary, fc_error *err)
{
    if (o->epochs < 1 || o->batch < 1 || o->batch > 4096 || !(o->val_fraction > 0.0 && o->val_fraction < 1.0) ||
        o->freeze < 0 || !(o->optimizer.lr > 0.0))
        return fc_fail(err, FC_ERR_ARGUMENT, "train: bad epochs, batch, learning rate, validation fraction or freeze");
    double t0 = now_s();
    run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.best_loss = INFINITY;
    fc_train_summary s;
    memset(&s, 0, sizeof s);
    fc_status st = fc_patches_open(&r.patches, o->patches_path, err);
    int streamed = 0;
    if (!st) {
        r.pm = fc_patches_get_meta(r.patches);
        size_t psz = (size_t)r.pm->channels * (size_t)r.pm->height * (size_t)r.pm->width;
        streamed = !train_stream_fits(fc_patches_count(r.patches), psz, o->memory_mb);
        st = streamed ? train_stream_load_index(&r.d, r.patches, err) : train_data_load(&r.d, r.patches, err);
    }
    if (!st) /* model problems first: they are reported before anything else is said */
        st = o->resume ? resume(&r, err) : build_net(&r, err);
    if (!st && !o->allow_empty_classes)
        st = check_classes(&r.d, r.pm, o->patches_path, err);
    if (!st)
        st = train_data_split(&r.d, o, err);
    if (!st && streamed) {
        st = train_stream_open(&r.stream, r.patches, o->patches_path, &r.d, o->memory_mb, o->batch, o->comm, err);
        if (!st)
            say(o,
                "%lld patches (%.0f MB as float32) exceed --memory %d MB: streaming them from %s, %lld at a time, "
                "reading ahead",
                (long long)r.d.n, (double)r.d.n * (double)r.d.psz * 4.0 / 1048576.0, o->memory_mb, o->patches_path,
                (long long)train_stream_window(r.stream));
    }
    if (!st) {
        r.bx = malloc(sizeof(float) * r.d.psz * (size_t)o->batch);
        r.by = malloc(sizeof(int32_t) * (size_t)o->batch);
        r.order = malloc(sizeof(int64_t) * (size_t)r.d.ntrain);
        r.by_class = malloc(sizeof(int64_t) * (size_t)r.d.ntrain);
        r.class_w = malloc(sizeof(float) * (size_t)r.d.nclasses);
        if (!r.bx || !r.by || !r.order || !r.by_class || !r.class_w)
            st = fc_fail(err, FC_ERR_NOMEM, "train: out of memory for batches of %d", o->batch);
    }
    if (!st) {
        /* Keras' "balanced" weights: n / (classes present * n_c). */
        int present = 0;
        for (int c = 0; c < r.d.nclasses; c++)
            present += r.d.class_count[c] > 0;
        for (int c = 0; c < r.d.nclasses; c++)
            r.class_w[c] =
                r.d.class_count[c] ? (float)((double)r.d.ntrain / (present * (double)r.d.class_count[c])) : 0.0f;
        s.train_patches = r.d.ntrain;
        s.val_patches = r.d.nval;
        s.dropped_buffer = r.d.dropped;
        st = epochs(&r, &s, err);
    }
    s.seconds = now_s() - t0;
    train_stream_close(r.stream);
    fc_patches_close(r.patches);
    train_data_free(&r.d);
    fc_net_destroy(r.net);
    fc_history_free(&r.hist);
    free(r.bx);
    free(r.by);
    free(r.order);
    free(r.by_class);
    free(r.class_w);
    if (!st && summary)
        *summary = s;
    return st;
}
