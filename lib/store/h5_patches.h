/* Internal: what the patches.h5 reader (h5_patches.c) lends its writer. */
#ifndef FACIES_H5_PATCHES_H
#define FACIES_H5_PATCHES_H

#include <stdint.h>

#include "facies/patches.h"
#include "h5_util.h"

/* Rows of each of the K classes among rows [0, n) of a /labels dataset, into counts[FC_MAX_CLASSES]; a label
 * outside 0..K-1 is FC_ERR_FORMAT naming path and the row. */
fc_status fc_patches_count_labels(hid_t dlabel, int64_t n, int K, const char *path, int64_t *counts, fc_error *err);

#endif
