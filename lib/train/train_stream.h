/* Internal: training patches streamed from patches.h5 when they do not fit the memory bound (--memory).
 *
 * Labels and positions (20 bytes a patch) stay in memory, so the split, the class counts and the leakage guard are
 * those of an in-memory run. Patches are read window by window: a window is a run of the pass's order (a whole
 * number of batches) whose rows are read, as runs of consecutive rows, into one of two buffers, the next window
 * in a thread of its own while the current one trains. Only that thread touches HDF5 while a pass is open; between
 * passes (begin .. end) the caller may. */
#ifndef FACIES_TRAIN_STREAM_H
#define FACIES_TRAIN_STREAM_H

#include <stdint.h>

#include "facies/comm.h"
#include "train_data.h"

typedef struct train_stream train_stream;

/* Which rows of a pass this rank reads. */
typedef enum stream_share {
    STREAM_SHARE_SLICES,  /* training: its slice [n r / size, n (r + 1) / size) of every batch */
    STREAM_SHARE_BATCHES, /* validation: every size-th batch, from its rank on */
    STREAM_SHARE_ALL,     /* every row (calibration on rank 0) */
} stream_share;

/* Whether n patches of psz floats fit memory_mb megabytes (2^20 bytes) as float32: then they are loaded whole. */
int train_stream_fits(int64_t n, size_t psz, int memory_mb);

/* Labels and positions of every row, no patches (d->x stays NULL). */
fc_status train_stream_load_index(train_data *d, fc_patches *p, fc_error *err);

/* Two buffers of a window each within memory_mb, and the reading thread, for the split training data d (its
 * rows are read from p, opened from path). Refused when memory_mb does not hold two batches. The caller frees
 * with train_stream_close. */
fc_status train_stream_open(train_stream **out, fc_patches *p, const char *path, const train_data *d, int memory_mb,
                            int batch, const fc_comm *comm, fc_error *err);

/* Patches per window. */
int64_t train_stream_window(const train_stream *s);

/* The training rows of one epoch, in order: blocks of consecutive rows in an order drawn from the seed and the
 * epoch, then each window shuffled, or (balanced) as many draws with equal chance per class present in it. */
void train_stream_epoch_order(train_stream *s, const train_data *d, uint64_t seed, int epoch, int balanced,
                              int64_t *order);

/* A pass over order[0 .. n) in batches of the stream's batch size; the first windows are read ahead at once. order
 * must stay unchanged until train_stream_end. */
void train_stream_begin(train_stream *s, const int64_t *order, int64_t n, stream_share share);

/* A batch like train_data_batch: rows points into the pass's order, at a batch (or this rank's slice of one);
 * waits for its window if it is still being read. A read that failed (the file truncated, changed or damaged) is
 * reported here. */
fc_status train_stream_batch(train_stream *s, const train_data *d, const int64_t *rows, int n, int augment,
                             uint64_t seed, int epoch, int64_t first, const fc_channel *channels, float *x, int32_t *y,
                             fc_error *err);

/* End the pass: waits for a read in progress, drops the rest. */
void train_stream_end(train_stream *s);

/* Stop the thread and free; NULL is accepted. */
void train_stream_close(train_stream *s);

#endif
