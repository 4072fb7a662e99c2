/* facies — training a facies classifier on a patch dataset.
 *
 * Validation is on separate lines by default: a contiguous block of inlines
 * (CDPs on a 2-D line), with a buffer of half a patch width between it and
 * the training patches, so no validation patch overlaps a training patch.
 * Patches from a single section (one inline or crossline) validate on a
 * contiguous block of its traces, with the same buffer.
 * A random patch split is available only on request and is reported as leaky.
 *
 * The best model by validation loss is saved to `out` whenever it improves;
 * at the end a temperature is fitted on the validation patches (calibration.h) and stored with it;
 * `<out>.checkpoint.h5` keeps the last epoch (weights, optimiser state,
 * history, early-stopping state) so `resume` continues exactly where an
 * interrupted run stopped, or trains on for more epochs. Data order, augmentation and dropout depend only
 * on the seed and the epoch (and memory_mb for a streamed dataset), so a resumed run ends with the same weights as
 * an uninterrupted one.
 */
#ifndef FACIES_TRAIN_H
#define FACIES_TRAIN_H

#include <stdint.h>

#include "facies/comm.h"
#include "facies/model.h"
#include "facies/net.h"
#include "facies/report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fc_balance { FC_BALANCE_NONE = 0, FC_BALANCE_WEIGHTS = 1, FC_BALANCE_SAMPLE = 2 } fc_balance;

#define FC_TRAIN_MAX_VAL_RANGES 16

typedef struct fc_train_options {
    const char *patches_path;
    const char *out_path;
    const char *arch; /* NULL: a default for the patch size (fc_default_arch) */
    int epochs;       /* 30 */
    int batch;        /* 32 */
    fc_optimizer optimizer;
    int patience; /* epochs without a better validation loss before stopping (5); 0 = never stop early */
    int32_t val_lo[FC_TRAIN_MAX_VAL_RANGES], val_hi[FC_TRAIN_MAX_VAL_RANGES];
    int nval; /* explicit validation line ranges; 0 = a block of val_fraction of the lines */
    /* Patches from one section (one inline, one crossline or a 2-D line) validate on a contiguous block of its
     * traces instead: val_traces = 1 names it, val_traces_lo..val_traces_hi inclusive, in crossline numbers along
     * an inline, inline numbers along a crossline, CDPs on a 2-D line; 0 = a block of val_fraction of the traces.
     * Refused for patches from several lines (and --val-lines for patches from one inline). */
    int val_traces;
    int32_t val_traces_lo, val_traces_hi;
    double val_fraction; /* 0.2 */
    int random_split;    /* leaky random patch split instead of lines */
    int augment;
    fc_balance balance;
    const char *init_path; /* fine-tune from this model */
    int freeze;            /* first K weight layers fixed */
    uint64_t seed;         /* 1 */
    int threads;           /* 0: all cores */
    int resume;
    /* Megabytes (2^20 bytes) for the patches (1024). A dataset that fits as float32 is read once; a larger one is
     * streamed from the file in windows of shuffled blocks, two windows in memory (one training, the next being
     * read by a thread), so the order depends on this bound too: resume with the same value. Validation patches
     * are streamed the same way, and under MPI each rank reads only the rows of its share. Labels and positions
     * (about 40 bytes a patch with the epoch's order) stay in memory apart from this bound. */
    int memory_mb;
    int allow_empty_classes; /* train although a class of the legend has no patches (refused otherwise) */
    const char *command_line;
    /* Several processes (NULL: one): each computes the gradient of its share of every batch and of the
     * validation batches, the sums are shared, every rank takes the same steps; only rank 0 writes files. */
    const fc_comm *comm;
    /* Reporting (all optional): notes, progress in batches within an epoch, and after each epoch its history line
     * (called with report.ctx). */
    fc_reporter report;
    void (*epoch_done)(void *ctx, int epoch, const fc_history *h, int best);
} fc_train_options;

fc_train_options fc_train_options_default(void);

/* A sensible network for patches of h x w: up to three conv-pool blocks. Writes into buf. */
void fc_default_arch(int h, int w, char *buf, size_t size);

typedef struct fc_train_summary {
    int64_t train_patches, val_patches, dropped_buffer;
    int epochs_run, best_epoch;
    double best_val_loss, best_val_accuracy;
    int stopped_early;
    double seconds;
    double patches_per_second;
    double temperature; /* fitted on the validation lines and stored in the model (0: no best epoch) */
} fc_train_summary;

fc_status fc_train(const fc_train_options *o, fc_train_summary *summary, fc_error *err);

/* Path of the history CSV, PNG and resume checkpoint written beside `out` ("model.h5" -> "model.history.csv"), into
 * buf of size bytes; a name that does not fit is refused (FC_ERR_ARGUMENT), never cut short. */
fc_status fc_train_side_path(const char *out, const char *suffix, char *buf, size_t size, fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
