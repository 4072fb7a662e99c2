/* Internal: the attributes of patches.h5, shared by its reader (h5_patches.c) and its writer
 * (h5_patches_writer.c). */
#ifndef FACIES_H5_PATCHES_META_H
#define FACIES_H5_PATCHES_META_H

#include <stddef.h>

#include "facies/patches.h"
#include "h5_util.h"

/* Floats of one patch: its planes (channels times scales) of height x width. */
size_t fc_patches_floats(const fc_patches_meta *m);

/* The attributes of open file f (path names it in messages); FC_ERR_FORMAT when they are missing or invalid. */
fc_status fc_patches_meta_read(hid_t f, const char *path, fc_patches_meta *m, fc_error *err);

/* Write m as f's attributes; nonzero when a write failed. */
int fc_patches_meta_write(hid_t f, const fc_patches_meta *m);

/* Appending `add` to the dataset open in f: its attributes with add's new classes and history, into *out; refused
 * (FC_ERR_MISMATCH) when the patches' size, channels, scales, normalisation or stored type differ. */
fc_status fc_patches_meta_merge(hid_t f, const char *path, const fc_patches_meta *add, fc_patches_meta *out,
                                fc_error *err);

#endif
