/* facies — the labelled patch dataset (patches.h5).
 *
 * Layout (readable with h5py without this program):
 *   /patches    [N][C][H][W], chunked and extensible along N, stored as float32, float16 (an IEEE half float
 *               type that h5py reads as float16) or int8 (value = stored integer x the dataset's `scale`
 *               attribute, 1/127); see fc_patch_dtype
 *   /labels     int32 [N], class index 0..K-1 into /classes
 *   /positions  int32 [N][4]: orientation (0 inline, 1 crossline, 2 2-D line), inline, crossline (CDP on a
 *               2-D line), sample index
 *   /classes    compound [K] {code int32, name string, colour string}
 *   root attributes: format_version, patch_height, patch_width, channels, normalisation_method,
 *               normalisation_percentile, normalisation_scale, sample_interval_ms, source_survey,
 *               source_survey_size, source_survey_hash, label_sources, command_line, program_version; with
 *               more input volumes than the survey (volumes.h) also volumes, volume_sources, volume_hashes,
 *               volume_sizes, volume_scales and channel_scales
 *
 * Writers work on `<path>.partial` and rename on commit; --append copies the
 * existing file first, so a failed or interrupted run leaves it intact.
 */
#ifndef FACIES_PATCHES_H
#define FACIES_PATCHES_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/labels.h"
#include "facies/patch.h"
#include "facies/volumes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 2: /patches may be float16 or int8 (version 1 was float32 only; still read). */
#define FC_PATCHES_FORMAT_VERSION 2
#define FC_META_TEXT 4096

/* How /patches is stored. Amplitudes are normalised and clipped to [-1, 1] before they are stored, so each type
 * bounds the error of a stored value x by: float32 none; float16 |x| 2^-11 (round to nearest, 11 significant bits;
 * below 2^-14 the absolute step 2^-24); int8 1/254 (round(127 x)). Readers always get float32. */
typedef enum fc_patch_dtype {
    FC_PATCH_DTYPE_AUTO = -1, /* writers: float16 for a new dataset, the file's own on append */
    FC_PATCH_DTYPE_FLOAT32 = 0,
    FC_PATCH_DTYPE_FLOAT16 = 1,
    FC_PATCH_DTYPE_INT8 = 2,
} fc_patch_dtype;

/* "float32", "float16", "int8" ("auto" for FC_PATCH_DTYPE_AUTO). */
const char *fc_patch_dtype_name(fc_patch_dtype t);
/* Parse one of those names (not "auto"; anything else is FC_ERR_ARGUMENT). */
fc_status fc_patch_dtype_parse(const char *s, fc_patch_dtype *out, fc_error *err);

typedef struct fc_patches_meta {
    int channels, height, width; /* channels: of every volume */
    fc_patch_dtype dtype;        /* how /patches is stored (writers: may be FC_PATCH_DTYPE_AUTO) */
    fc_channel channel[FC_MAX_CHANNELS];
    fc_volume_list volumes; /* the survey (norm.scale its scale) and any more */
    fc_scales scales; /* --scales: /patches holds channels * fc_scales_count planes (attribute "scales", absent for
                       * one scale) */
    fc_normalisation norm;
    double sample_interval_ms;
    char survey_path[FC_META_TEXT];
    int64_t survey_size;
    char survey_hash[32];
    char label_sources[FC_META_TEXT]; /* one per line, accumulated by --append */
    char command_line[FC_META_TEXT];  /* one per line, accumulated by --append */
    char program_version[32];
    fc_classes classes;
} fc_patches_meta;

/* Planes of a patch: channels at every scale. */
int fc_patches_planes(const fc_patches_meta *m);

typedef struct fc_patches_writer fc_patches_writer;

/* Start a new dataset (append = 0) or add to an existing one (append = 1).
 * On append the patch shape and channels must match the file's, the
 * normalisation method too, and meta's dtype the file's unless AUTO (a different one is FC_ERR_MISMATCH); meta's
 * classes are merged into the file's (new codes appended) and its label source and command line added. */
fc_status fc_patches_writer_open(fc_patches_writer **out, const char *path, const fc_patches_meta *meta, int append,
                                 fc_error *err);

/* The dataset's metadata as it will be written (merged classes on append). */
const fc_patches_meta *fc_patches_writer_meta(const fc_patches_writer *w);

/* Add a patch [C][H][W] for facies `code` at `pos`; a position already in
 * the dataset is overwritten (patch and label) instead of duplicated, and
 * *replaced (if not NULL) says so. */
fc_status fc_patches_writer_put(fc_patches_writer *w, const float *patch, int32_t code, const int32_t pos[4],
                                int *replaced, fc_error *err);

/* Rows in the dataset so far. */
int64_t fc_patches_writer_count(const fc_patches_writer *w);

/* Rows of each class in the dataset so far, old rows included on append (counts[i] for the writer's meta
 * classes.c[i]; FC_MAX_CLASSES entries, zeroed first). */
fc_status fc_patches_writer_class_counts(fc_patches_writer *w, int64_t *counts, fc_error *err);

fc_status fc_patches_writer_commit(fc_patches_writer *w, fc_error *err);

/* Free; an uncommitted temporary file is removed. NULL is accepted. */
void fc_patches_writer_destroy(fc_patches_writer *w);

typedef struct fc_patches fc_patches;

/* Open a dataset for reading; checks shapes and attributes. */
fc_status fc_patches_open(fc_patches **out, const char *path, fc_error *err);
void fc_patches_close(fc_patches *p);
const fc_patches_meta *fc_patches_get_meta(const fc_patches *p);
int64_t fc_patches_count(const fc_patches *p);

/* Read rows [start, start + count): patches into [count][C][H][W] (NULL to
 * skip), labels [count] and positions [count][4] (either may be NULL). */
fc_status fc_patches_read(fc_patches *p, int64_t start, int64_t count, float *patches, int32_t *labels,
                          int32_t *positions, fc_error *err);

/* Read the patches of `count` rows given in ascending order, without repeats, into [count][C][H][W]: one read per
 * run of consecutive rows. May be called from a thread other than the one that opened p (HDF5's error printing is
 * turned off there too), as long as no other thread uses p meanwhile. */
fc_status fc_patches_read_rows(fc_patches *p, const int64_t *rows, int64_t count, float *patches, fc_error *err);

/* Rows of each class (counts[i] for meta classes.c[i]; FC_MAX_CLASSES entries, zeroed first). */
fc_status fc_patches_class_counts(fc_patches *p, int64_t *counts, fc_error *err);

/* Only the metadata of a dataset (for --append to reuse its normalisation). */
fc_status fc_patches_read_meta(const char *path, fc_patches_meta *out, fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
