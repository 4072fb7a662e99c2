/* Internal: the training data in memory, its split, order and augmentation. */
#ifndef FACIES_TRAIN_DATA_H
#define FACIES_TRAIN_DATA_H

#include <stdint.h>

#include "facies/patches.h"
#include "facies/train.h"

typedef struct train_data {
    int64_t n;
    int c, h, w; /* c: planes (channels at every scale) */
    int nch;     /* channels per scale (0: c, one scale) */
    size_t psz;  /* floats per patch */
    float *x;
    int32_t *y;
    int32_t *pos;
    int64_t *train, *val; /* row indices */
    int64_t ntrain, nval, dropped;
    int nclasses;
    int64_t class_count[FC_MAX_CLASSES]; /* in the training set */
} train_data;

/* The dataset's size and patch shape into a cleared d; fewer than two rows are refused. */
fc_status train_data_shape(train_data *d, fc_patches *p, fc_error *err);

/* Load every row of the dataset into memory. */
fc_status train_data_load(train_data *d, fc_patches *p, fc_error *err);
void train_data_free(train_data *d);

/* Split into training and validation rows (see train.h). Messages for the log go to log(ctx, line). */
fc_status train_data_split(train_data *d, const fc_train_options *o, fc_error *err);

/* The rows of one epoch, in order: a seeded shuffle of the training rows, or
 * (balanced sampling) as many draws with equal chance per class. by_class is
 * scratch room for the training rows (d->ntrain), used for balanced sampling. */
void train_data_epoch_order(const train_data *d, uint64_t seed, int epoch, int balanced, int64_t *by_class,
                            int64_t *order);

/* Copy one patch src into dst, augmenting it (flip, shifts, amplitude scale, noise) if asked; the draw depends
 * only on the seed, the epoch and the patch's index in the epoch's order. */
void train_data_patch(const train_data *d, const float *src, int augment, uint64_t seed, int epoch, int64_t index,
                      const fc_channel *channels, float *dst);

/* Copy rows into a batch, augmenting each (flip, shifts, amplitude scale, noise) if asked. */
void train_data_batch(const train_data *d, const int64_t *rows, int n, int augment, uint64_t seed, int epoch,
                      int64_t first, const fc_channel *channels, float *x, int32_t *y);

#endif
