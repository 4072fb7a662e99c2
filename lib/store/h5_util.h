/* Internal: HDF5 helpers. The h5_*.c files are the only ones that include HDF5. */
#ifndef FACIES_H5_UTIL_H
#define FACIES_H5_UTIL_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "facies/error.h"
#include "facies/labels.h"
#include "facies/patch.h"
#include "facies/patches.h"
#include "facies/volumes.h"

/* Create a file in the HDF5 1.10 format, whose metadata carries checksums: a damaged header is then refused by
 * HDF5 instead of being parsed (HDF5 1.10.8 can read freed memory on some corrupted headers). */
hid_t fc_h5_create(const char *path);
/* The same with superblock version 2, which keeps no "open for writing" flag: a file flushed before its
 * process was killed opens again to be continued (apply --resume). */
hid_t fc_h5_create_resumable(const char *path);
/* After either failed: the reason, as the system gives it (no folder, no permission, disk full), in err. */
fc_status fc_h5_create_failed(const char *path, fc_error *err);

/* Before HDF5 parses a file: it must be HDF5 with a superblock of version 2 or later (HDF5 1.8+ format, metadata
 * with checksums). Older layouts are refused, since HDF5 1.10.8 mis-parses some damaged ones badly. */
fc_status fc_h5_check_format(const char *path, fc_error *err);

/* Open an existing file read-only after fc_h5_check_format (HDF5 kept quiet); what names the kind of file expected
 * ("a model") in the message. *out is closed by the caller with H5Fclose. */
fc_status fc_h5_open_read(const char *path, const char *what, hid_t *out, fc_error *err);

/* HDF5 prints its own error stack unless told not to: the library never prints. */
void fc_h5_quiet(void);

int fc_h5_write_str(hid_t obj, const char *name, const char *value);
int fc_h5_write_f64(hid_t obj, const char *name, double value);
int fc_h5_write_i64(hid_t obj, const char *name, int64_t value);
/* An attribute of n values of a native type (H5T_NATIVE_DOUBLE, H5T_NATIVE_INT64). */
int fc_h5_write_array(hid_t obj, const char *name, hid_t type, int n, const void *v);

/* Read attributes; return 0 on success, -1 if missing or of the wrong kind. */
int fc_h5_read_str(hid_t obj, const char *name, char *buf, size_t size);
int fc_h5_read_f64(hid_t obj, const char *name, double *out);
int fc_h5_read_i64(hid_t obj, const char *name, int64_t *out);

/* The attributes patches.h5 and model.h5 share about their input: channels, normalisation, sample interval, and
 * with more volumes than the survey their names, sources, sizes, hashes and scales (h5_volumes.c). */
int fc_h5_write_input_attrs(hid_t obj, const fc_channel *channel, int channels, const fc_volume_list *vl,
                            const fc_normalisation *norm, double sample_interval_ms);
/* Read the channels (kinds and volumes, the survey's scale from normalisation_scale) back; the `channels`
 * attribute's text into text (size n). 0 on success, -1 when it is missing, -2 when it or the volumes'
 * attributes make no sense. */
int fc_h5_read_input_channels(hid_t obj, fc_channel *channel, int *channels, fc_volume_list *vl, char *text, size_t n);

/* The /classes compound dataset. */
int fc_h5_write_classes(hid_t file, const char *name, const fc_classes *c);
int fc_h5_read_classes(hid_t file, const char *name, fc_classes *c);

/* /patches of patches.h5 in each fc_patch_dtype (h5_patch_store.c). */
/* The file datatype of a dtype (not AUTO); the caller closes it with H5Tclose. */
hid_t fc_h5_patch_file_type(fc_patch_dtype t);
/* The dtype /patches is stored in; -1 for a type facies does not write. */
int fc_h5_patch_dtype_of(hid_t dset, fc_patch_dtype *out);
/* int8: the dataset's `scale` attribute (what a stored integer is worth), written once at creation; read back
 * (1 for the float types), -1 if missing or not in (0, 1). */
int fc_h5_patch_write_scale(hid_t dset, fc_patch_dtype t);
int fc_h5_patch_read_scale(hid_t dset, fc_patch_dtype t, float *scale);
/* Write n floats x to the selection (memory space ms, file space fs), converted to t in scratch (room for n
 * values of fc_h5_patch_scratch_bytes(t) bytes; none needed for float32). Read converts back to float32 in x, in
 * place. 0 on success. */
size_t fc_h5_patch_scratch_bytes(fc_patch_dtype t);
int fc_h5_patch_write(hid_t dset, fc_patch_dtype t, hid_t ms, hid_t fs, const float *x, size_t n, void *scratch);
int fc_h5_patch_read(hid_t dset, fc_patch_dtype t, float scale, hid_t ms, hid_t fs, float *x, size_t n);

/* Copy a file byte for byte (for --append and resumable outputs). */
fc_status fc_copy_file(const char *from, const char *to, fc_error *err);

#endif
