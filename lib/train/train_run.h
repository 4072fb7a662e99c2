/* Internal: one training run's state, shared by its steps: train.c sets it up and frees it, train_model.c builds
 * or resumes the network, train_epochs.c trains it and writes the model. */
#ifndef FACIES_TRAIN_RUN_H
#define FACIES_TRAIN_RUN_H

#include <stdint.h>
#include <time.h>

#include "facies/model.h"
#include "facies/net.h"
#include "facies/patches.h"
#include "facies/train.h"
#include "log_line.h"
#include "train_data.h"
#include "train_stream.h"

typedef struct train_run {
    const fc_train_options *o;
    fc_patches *patches;
    const fc_patches_meta *pm;
    train_data d;
    train_stream *stream; /* patches read window by window (NULL: all in memory in d) */
    int streamed;         /* the patches will be streamed (known before the stream opens) */
    fc_net *net;
    fc_model_meta meta;
    fc_history hist;
    float *bx, *class_w;
    int32_t *by;
    int64_t *order, *by_class; /* the epoch's rows; scratch for balanced sampling */
    int start_epoch;           /* epochs already done (resume) */
    int best_epoch;
    double best_loss;
    /* The weights of the best epoch of this run and the meta saved with them (rank 0; NULL: no epoch of this run
     * was the best, and a resumed run's best is read back from the model file). */
    fc_net *best;
    fc_model_meta best_meta;
} train_run;

#define train_say(o, ...) fc_log_line((o)->report.log, (o)->report.ctx, __VA_ARGS__)

static inline double train_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A new network, or one fine-tuned from --init, into r->net and r->meta. */
fc_status train_build_net(train_run *r, fc_error *err);

/* The network, meta and history of the checkpoint beside the output (--resume). */
fc_status train_resume(train_run *r, fc_error *err);

/* The epochs from r->start_epoch on, until --epochs or --patience; then the best model, calibrated, with the
 * whole history. Fills the summary's epoch, loss and speed figures. */
fc_status train_epochs(train_run *r, fc_train_summary *s, fc_error *err);

#endif
