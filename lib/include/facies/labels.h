/* facies — the interpreter's labels.
 *
 * Three sources, because interpreters work in all three: a label SEG-Y
 * (sample value = facies code), a picks CSV, and horizon
 * intervals (horizon files plus a table of the facies between consecutive
 * horizons). Each becomes labelled points (grid position, sample, code).
 *
 * Points pass through a collector that can cap each class by reservoir
 * sampling (seeded), so memory stays bounded by the cap, not by the size of
 * a dense label volume.
 *
 * Labels are placed on the survey by line numbers. A label whose inline and
 * crossline numbers are on the survey's grid (within its ranges, on its line
 * steps) but where the file has no trace is on a *missing* trace: skipped and
 * counted (or refused, with refuse_missing). A label whose numbers are not on
 * the grid at all is *off the grid*: a pick off the grid is an error (wrong
 * line numbers or header bytes) unless allow_off_grid; label SEG-Y traces off
 * the grid are counted (a label volume may cover more than the survey), and
 * only a label volume with no trace on the grid is an error. Traces that are
 * present but hold only zeros are data, not holes: labels on them are kept.
 */
#ifndef FACIES_LABELS_H
#define FACIES_LABELS_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/survey.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A labelled sample: grid indices (inline i, crossline j; i = 0 and j = trace
 * for a 2-D line), sample index k, facies code. */
typedef struct fc_label_point {
    int32_t i, j, k, code;
} fc_label_point;

#define FC_CLASS_NAME_SIZE 64
#define FC_CLASS_COLOUR_SIZE 8

/* The legend: facies codes with names and colours (#rrggbb). */
typedef struct fc_class_info {
    int32_t code;
    char name[FC_CLASS_NAME_SIZE];
    char colour[FC_CLASS_COLOUR_SIZE];
} fc_class_info;

#define FC_MAX_CLASSES 256

typedef struct fc_classes {
    int count;
    fc_class_info c[FC_MAX_CLASSES];
} fc_classes;

/* Read a classes.csv (`code,name,colour`, header row first; `color` too, any case; commas or tabs). */
fc_status fc_classes_load(fc_classes *out, const char *path, fc_error *err);

/* Write a classes.csv (`code,name,colour`, a discrete colour table for interpretation packages) under a
 * temporary name, renamed when complete. */
fc_status fc_classes_write(const fc_classes *c, const char *path, fc_error *err);

/* Index of a code in the legend, or -1. */
int fc_classes_find(const fc_classes *c, int32_t code);

/* The classes whose count is 0 (counts[i] for c->c[i]), listed as "5 (facies_5), 6 (shale)" into text
 * (size n); returns how many. */
int fc_classes_list_empty(const fc_classes *c, const int64_t *counts, char *text, size_t n);

/* Add a code with a default name ("facies_<code>") and colour if missing; its index into *index (may be NULL).
 * A new code in a full legend (FC_MAX_CLASSES) is refused (FC_ERR_RANGE). */
fc_status fc_classes_add_default(fc_classes *c, int32_t code, int *index, fc_error *err);

/* Which labels to keep. */
typedef struct fc_label_filter {
    int32_t unlabelled_max;    /* codes <= this mean "unlabelled" in a label SEG-Y (0) */
    int stride;                /* keep points whose i, j and k are multiples of stride (1) */
    int32_t il_min, il_max;    /* inline numbers kept (inclusive; whole survey by default) */
    int32_t xl_min, xl_max;    /* crossline (or CDP) numbers kept */
    int64_t per_class;         /* at most this many points per code, drawn uniformly (0: all) */
    uint64_t seed;             /* for the per-class draw */
    const fc_classes *classes; /* if not NULL, every kept code must be in it (the loaders name the offending row) */
    int refuse_missing;        /* a label on a missing trace is an error (1) instead of skipped and counted (0) */
    int allow_off_grid;        /* picks off the grid are counted (1: a facies volume holding part of a survey)
                                * instead of refused (0) */
} fc_label_filter;

fc_label_filter fc_label_filter_default(void);

typedef struct fc_label_collector fc_label_collector;

fc_status fc_label_collector_create(fc_label_collector **out, const fc_label_filter *f, fc_error *err);
void fc_label_collector_destroy(fc_label_collector *c);

/* Points seen (before the per-class cap) and kept so far. */
int64_t fc_label_collector_seen(const fc_label_collector *c);

/* The kept points, sorted by (i, j, k); valid until the next load or destroy. */
const fc_label_point *fc_label_collector_points(fc_label_collector *c, int64_t *n);

/* Positions that received different facies codes among the kept points, as found by the last
 * fc_label_collector_points. text (size n) gets the first `show` (at most 8) of them, with the file and row
 * (or trace) of two of the codes: "inline 1002 crossline 2021 sample 0: 2 (picks.csv row 2) vs 3 (picks.csv
 * row 5); ...". */
int64_t fc_label_collector_conflicts(const fc_label_collector *c, const fc_survey *s, int show, char *text, size_t n);

/* Labels not placed, within the filter's line ranges: counted per pick (a CSV row) or per label SEG-Y trace. */
typedef struct fc_label_outside {
    int64_t missing;       /* on grid positions where the survey has no trace (label SEG-Y traces holding a label) */
    int64_t off_grid;      /* line numbers not on the survey's grid (label SEG-Y traces, labelled or not) */
    int64_t survey_traces; /* survey traces a label SEG-Y has no trace for (summed over label SEG-Ys; 0 without one) */
    int segy;              /* whether a label SEG-Y was loaded: the counts above are then traces */
} fc_label_outside;

/* What the loaders could not place so far. text (size n) gets the first `show` (at most 8) labels on missing
 * traces with their file and row (or trace): "picks.csv rows 3, 7; labels.sgy trace 12". */
void fc_label_collector_outside(const fc_label_collector *c, fc_label_outside *out, int show, char *text, size_t n);

/* Codes seen, with how many points of each were seen (before capping). */
int fc_label_collector_codes(const fc_label_collector *c, int32_t *codes, int64_t *counts, int max);

/* Load labels of a survey from `path` into the collector. The kind is told
 * from the content: a CSV whose header starts `top_horizon` is a horizon
 * interval table, another CSV is a picks file, anything else must be a
 * label SEG-Y, opened with `opt` (its own header bytes; NULL: defaults) and
 * matched to the survey's traces by line numbers; its samples, interval and
 * start time must be the survey's. Every error names the file and the row or
 * position. */
fc_status fc_labels_load(fc_label_collector *c, fc_survey *s, const char *path, const fc_survey_options *opt,
                         fc_error *err);

/* The horizon files that a horizon interval table at `path` names, each passed once to `each` as the loader
 * will open it (relative names resolved against the table's folder), so that a caller can keep its outputs off
 * them. Any other kind of label file names none: `each` is not called. */
fc_status fc_labels_horizon_files(const char *path, void (*each)(void *ctx, const char *horizon), void *ctx,
                                  fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
