/* Internal: what the label loaders share. */
#ifndef FACIES_LABELS_IMPL_H
#define FACIES_LABELS_IMPL_H

#include "facies/labels.h"

/* Start the points of a label file: messages and conflict reports name it, and number its points by `unit`
 * ("row" of a CSV, "trace" of a SEG-Y). fc_labels_load calls it before a loader. */
fc_status fc_label_begin_source(fc_label_collector *c, const char *path, const char *unit, fc_error *err);

/* Whether the filter (stride, line ranges) keeps a position. */
int fc_label_wanted(const fc_label_collector *c, const fc_survey *s, int32_t i, int32_t j, int32_t k);

/* Offer a point from `row` of the current source; the filter (stride, line ranges) and the per-class cap
 * decide whether it is kept. Fails on a kept point whose code is not in the filter's legend, on too many codes
 * or no memory. */
fc_status fc_label_push(fc_label_collector *c, const fc_survey *s, int32_t i, int32_t j, int32_t k, int32_t code,
                        int64_t row, fc_error *err);

/* The filter's unlabelled threshold. */
int32_t fc_label_unlabelled_max(const fc_label_collector *c);

/* The filter the collector was made with. */
const fc_label_filter *fc_label_filter_of(const fc_label_collector *c);

/* Whether the filter's line ranges hold these line numbers (labels off the grid have numbers, no indices). */
int fc_label_lines_wanted(const fc_label_collector *c, int32_t il, int32_t xl);

/* Count a label of the current source (`row`: its row or trace) on a missing trace, one off the grid, and
 * survey traces a label SEG-Y has none for (see fc_label_outside). */
void fc_label_note_missing(fc_label_collector *c, int64_t row);
void fc_label_note_off_grid(fc_label_collector *c);
void fc_label_note_survey_traces(fc_label_collector *c, int64_t n);

/* fc_classes_write up to the rename: the legend written under its temporary name into *t, for a writer that
 * commits it with other files (fc_text_file_commit) or abandons it (fc_text_file_abort). */
struct fc_text_file;
fc_status fc_classes_write_begin(const fc_classes *c, const char *path, struct fc_text_file *t, fc_error *err);

fc_status fc_labels_load_segy(fc_label_collector *c, fc_survey *s, const char *path, const fc_survey_options *opt,
                              fc_error *err);
fc_status fc_labels_load_picks(fc_label_collector *c, fc_survey *s, const char *path, fc_error *err);
fc_status fc_labels_load_horizons(fc_label_collector *c, fc_survey *s, const char *path, fc_error *err);

/* Call `each` with every horizon file an interval table names, once each, resolved as the loader resolves it. */
fc_status fc_labels_list_horizons(const char *path, void (*each)(void *ctx, const char *horizon), void *ctx,
                                  fc_error *err);

/* The field separator of a CSV, told from its header line: a comma, else a semicolon, else a tab, else blanks (' '). */
char fc_csv_separator(const char *header);

/* Split a line in place at sep (' ': runs of spaces and tabs), trimming blanks around fields (spaces only for
 * tabs), the line end, a UTF-8 byte-order mark and double quotes around a field (no quoting within); returns the
 * number of fields (at most max). */
int fc_csv_split(char *line, char sep, char **fields, int max);

/* Parse a whole number / a number; 0 on success. */
int fc_parse_i32(const char *s, int32_t *out);
int fc_parse_double(const char *s, double *out);

/* --lines on a 2-D line would choose among inline numbers it does not have (every trace carries the same one, often
 * 0): refused, naming --crosslines, which chooses its CDPs. il_min..il_max: the range asked for (INT32_MIN..INT32_MAX:
 * none). */
fc_status fc_lines_on_2d(const fc_survey_info *in, const char *path, int32_t il_min, int32_t il_max, fc_error *err);

/* Times in seconds under a millisecond header snap every label to the first sample: refuse a file whose
 * `count` times (min..max, ms) all lie within the first sample interval. `what` names the column. */
fc_status fc_labels_check_ms(const fc_survey_info *in, const char *path, const char *what, int64_t count, double tmin,
                             double tmax, fc_error *err);

#endif
