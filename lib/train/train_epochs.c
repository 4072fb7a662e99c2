#include "train_run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/calibration.h"
#include "facies/files.h"
#include "facies/plot.h"
#include "fail.h"
#include "folder.h"

/* A patch file that fails while training streams from it: what is left and what to do. */
static fc_status stream_failed(const train_run *r, fc_status st, fc_error *err)
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
static fc_status batch_of(train_run *r, const int64_t *rows, int n, int augment, int epoch, int64_t first, float *x,
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

static void stream_begin(train_run *r, const int64_t *order, int64_t n, stream_share share)
{
    if (r->stream)
        train_stream_begin(r->stream, order, n, share);
}

static void stream_end(train_run *r)
{
    if (r->stream)
        train_stream_end(r->stream);
}

/* Validation loss and accuracy; on several ranks each takes every size-th batch and the sums are shared. */
static fc_status evaluate(train_run *r, double *loss, double *acc, fc_error *err)
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
static fc_status train_batch(train_run *r, int epoch, int64_t a, int n, double *loss, int64_t *right, fc_error *err)
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

static fc_status write_history_files(train_run *r, fc_error *err)
{
    char csv[4200], png[4200], part[4300];
    fc_status st = fc_train_side_path(r->o->out_path, ".history.csv", csv, sizeof csv, err);
    if (!st)
        st = fc_train_side_path(r->o->out_path, ".history.png", png, sizeof png, err);
    if (!st)
        st = fc_path_format(part, sizeof part, err, "%s.partial", csv);
    if (st)
        return st;
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
static fc_status calibrate(train_run *r, fc_net *best, double *temperature, fc_error *err)
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
    train_say(r->o, "calibration: temperature %.4f on %lld validation patches (NLL %.4f -> %.4f)", *temperature,
              (long long)d->nval, fc_temperature_nll(logp, labels, d->nval, K, 1.0),
              fc_temperature_nll(logp, labels, d->nval, K, *temperature));
    free(logp);
    free(labels);
    return FC_OK;
}

/* One pass over the epoch's training rows: the summed loss and the correct ones, over every rank. */
static fc_status train_epoch(train_run *r, int epoch, double *loss_sum, int64_t *right, fc_error *err)
{
    const fc_train_options *o = r->o;
    train_data *d = &r->d;
    if (r->stream)
        train_stream_epoch_order(r->stream, d, o->seed, epoch, o->balance == FC_BALANCE_SAMPLE, r->order);
    else
        train_data_epoch_order(d, o->seed, epoch, o->balance == FC_BALANCE_SAMPLE, r->by_class, r->order);
    int64_t nb = (d->ntrain + o->batch - 1) / o->batch;
    *loss_sum = 0.0;
    *right = 0;
    fc_status st = FC_OK;
    stream_begin(r, r->order, d->ntrain, STREAM_SHARE_SLICES);
    for (int64_t b = 0; b < nb && !st; b++) {
        int64_t a = b * o->batch;
        int n = (int)(d->ntrain - a < o->batch ? d->ntrain - a : o->batch);
        st = train_batch(r, epoch, a, n, loss_sum, right, err);
        if (o->report.progress)
            o->report.progress(o->report.ctx, b + 1, nb);
    }
    stream_end(r);
    if (st)
        return st;
    if (fc_comm_parallel(o->comm)) {
        double sums[2] = {*loss_sum, (double)*right};
        o->comm->sum_f64(o->comm->ctx, sums, 2);
        *loss_sum = sums[0];
        *right = (int64_t)sums[1];
    }
    return FC_OK;
}

/* The network's weights, optimiser moments and step count into r->best (built the first time), and the meta saved
 * with them: what the model file holds, kept for the final model. */
static fc_status keep_best(train_run *r, fc_error *err)
{
    if (!r->best) {
        fc_status st = fc_net_create(&r->best, fc_net_get_config(r->net), err);
        if (st)
            return st;
        fc_net_freeze(r->best, r->meta.frozen_layers);
    }
    for (int i = 0; i < fc_net_layer_count(r->net); i++) {
        float *from[4], *to[4], *fm[4], *fv[4], *tm[4], *tv[4];
        int64_t n[4], tn[4];
        int k = fc_net_layer_params(r->net, i, from, n);
        fc_net_layer_params(r->best, i, to, tn);
        for (int p = 0; p < k; p++)
            memcpy(to[p], from[p], sizeof(float) * (size_t)n[p]);
        k = fc_net_layer_state(r->net, i, fm, fv, n);
        fc_net_layer_state(r->best, i, tm, tv, tn);
        for (int p = 0; p < k; p++) {
            memcpy(tm[p], fm[p], sizeof(float) * (size_t)n[p]);
            memcpy(tv[p], fv[p], sizeof(float) * (size_t)n[p]);
        }
    }
    fc_net_set_steps(r->best, fc_net_steps(r->net));
    r->best_meta = r->meta;
    return FC_OK;
}

/* After an epoch's line of the history: on a new best the model file (and the weights kept), then the checkpoint
 * and the history files. *best: whether this epoch is the best so far. */
static fc_status record_epoch(train_run *r, int epoch, double vl, int *best, fc_error *err)
{
    const fc_train_options *o = r->o;
    /* Better by more than rounding noise: a flat plateau must not count as progress. */
    *best = isfinite(vl) && vl < r->best_loss - 1e-6;
    int writer = fc_comm_rank(o->comm) == 0; /* on several ranks, rank 0 writes the files */
    fc_status st = FC_OK;
    if (*best) {
        r->best_loss = vl;
        r->best_epoch = epoch + 1;
        r->meta.best_epoch = r->best_epoch;
        if (writer) /* the file at once, should the run be cut short */
            st = fc_model_save(o->out_path, r->net, &r->meta, &r->hist, err);
        if (!st && writer)
            st = keep_best(r, err);
    }
    r->meta.best_epoch = r->best_epoch;
    char ck[4200];
    if (!st)
        st = fc_train_side_path(o->out_path, ".checkpoint.h5", ck, sizeof ck, err);
    if (!st && writer)
        st = fc_model_save(ck, r->net, &r->meta, &r->hist, err);
    if (!st && writer)
        st = write_history_files(r, err);
    return st;
}

/* The best model, calibrated, with the whole history, the epochs after it included. The checkpoint stays:
 * --resume with more --epochs trains on from it. A resumed run whose best epoch came before it reads that
 * epoch's weights back from the model file. */
static fc_status save_best(train_run *r, double *temperature, fc_error *err)
{
    const fc_train_options *o = r->o;
    fc_net *loaded = NULL;
    fc_model_meta bm;
    fc_status st = FC_OK;
    if (r->best)
        bm = r->best_meta;
    else
        st = fc_model_load(o->out_path, o->batch, o->threads, &loaded, &bm, NULL, err);
    fc_net *best = r->best ? r->best : loaded;
    if (!st)
        st = calibrate(r, best, &bm.temperature, err);
    if (!st)
        st = fc_model_save(o->out_path, best, &bm, &r->hist, err);
    *temperature = bm.temperature;
    fc_net_destroy(loaded);
    return st;
}

fc_status train_epochs(train_run *r, fc_train_summary *s, fc_error *err)
{
    const fc_train_options *o = r->o;
    const train_data *d = &r->d;
    double train_time = 0.0;
    int64_t trained = 0;
    fc_status st = FC_OK;
    int epoch = r->start_epoch;
    for (; epoch < o->epochs && !st; epoch++) {
        if (o->patience > 0 && r->best_epoch > 0 && epoch - r->best_epoch >= o->patience)
            break;
        double t0 = train_now_s(), loss_sum, vl, va;
        int64_t right;
        st = train_epoch(r, epoch, &loss_sum, &right, err);
        if (st)
            break;
        train_time += train_now_s() - t0;
        trained += d->ntrain;
        st = evaluate(r, &vl, &va, err);
        if (st)
            break;
        if (fc_history_push(&r->hist, loss_sum / (double)d->ntrain, (double)right / (double)d->ntrain, vl, va,
                            train_now_s() - t0, NULL))
            return fc_fail(err, FC_ERR_NOMEM, "train: out of memory for the history");
        int best = 0;
        st = record_epoch(r, epoch, vl, &best, err);
        if (o->epoch_done)
            o->epoch_done(o->report.ctx, epoch + 1, &r->hist, best);
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
    if (r->best_epoch > 0 && fc_comm_rank(o->comm) == 0)
        st = save_best(r, &s->temperature, err);
    return st;
}
