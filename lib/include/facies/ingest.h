/* facies — cutting labelled patches from a survey into patches.h5.
 *
 * Streams section by section: memory is bounded by one section (raw and
 * channel planes), the kept label points and one HDF5 chunk.
 */
#ifndef FACIES_INGEST_H
#define FACIES_INGEST_H

#include <stdint.h>

#include "facies/comm.h"
#include "facies/labels.h"
#include "facies/patches.h"
#include "facies/report.h"
#include "facies/survey.h"
#include "facies/volumes.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FC_INGEST_MAX_LABELS 16

typedef struct fc_ingest_options {
    const char *survey_path;
    const char *label_paths[FC_INGEST_MAX_LABELS];
    int nlabels;
    const char *classes_path; /* NULL: names and colours from the codes */
    const char *out_path;
    int append;
    fc_survey_options survey;
    int labels_iline_byte, labels_xline_byte; /* header bytes of the line numbers in label SEG-Ys (0: the survey's) */
    fc_label_filter filter;
    int patch_height, patch_width;         /* odd; 65 x 65 */
    int orientations;                      /* FC_CUT_* mask; ignored for 2-D lines (the line itself) */
    fc_channel channels[FC_CHANNEL_KINDS]; /* kinds, for every volume */
    int nchannels;
    /* More volumes on the survey's grid (volumes.h), each giving the same kinds, normalised on its own; on append
     * the dataset's own set, in any order. */
    fc_volume_arg volumes[FC_MAX_VOLUMES - 1];
    int nvolumes;
    fc_scales scales;     /* --scales: coarser views as further planes (zeroed: the section alone) */
    double percentile;    /* normalisation: |amplitude| percentile (99) */
    int stats_traces;     /* traces sampled for it (2000) */
    fc_patch_dtype dtype; /* how /patches is stored (FC_PATCH_DTYPE_AUTO: float16, or the file's own on append,
                           * where naming another is FC_ERR_MISMATCH) */
    int strict; /* refuse labels that give one position different codes, and labels on missing traces (otherwise
                 * both are counted in the summary) */
    const char *command_line;
    /* Several processes (NULL: one): the labelled sections are dealt out in turn, each rank cuts its own and
     * rank 0 writes them all, in the order one process would: the dataset is the same. */
    const fc_comm *comm;
    fc_reporter report; /* notes (rank 0); progress in sections (this rank's) */
} fc_ingest_options;

fc_ingest_options fc_ingest_options_default(void);

typedef struct fc_ingest_summary {
    int64_t labels_seen, labels_kept;
    int64_t patches_written, patches_replaced, patches_skipped_missing;
    int64_t dataset_rows;
    int64_t sections_read, bytes_read;
    int nclasses;
    int32_t class_code[FC_MAX_CLASSES];
    int64_t class_patches[FC_MAX_CLASSES]; /* written by this run */
    int64_t class_rows[FC_MAX_CLASSES];    /* in the whole dataset (with --append, old rows too) */
    fc_classes classes;                    /* the dataset's legend */
    /* Positions the labels gave different codes (among the kept labels), and the first few of them. */
    int64_t conflicts;
    char conflict_examples[1024];
    /* Labels on missing traces of the survey, skipped, and the first few of them ("picks.csv rows 3, 7"); label
     * SEG-Y traces off the survey's grid (see fc_label_outside). */
    int64_t labels_missing, labels_off_grid;
    char missing_examples[1024];
    fc_normalisation norm;
    int channels; /* the dataset's channels: kinds and volumes, each volume's scale */
    fc_channel channel[FC_MAX_CHANNELS];
    fc_volume_list volumes;
    fc_patch_dtype dtype; /* how the dataset stores its patches */
} fc_ingest_summary;

fc_status fc_ingest(const fc_ingest_options *o, fc_ingest_summary *summary, fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
