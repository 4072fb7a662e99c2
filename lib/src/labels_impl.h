/* Internal: what the label loaders share. */
#ifndef FACIES_LABELS_IMPL_H
#define FACIES_LABELS_IMPL_H

#include "facies/labels.h"

/* Offer a point; the filter (stride, line ranges) and the per-class cap
 * decide whether it is kept. Fails only on too many codes or no memory. */
fc_status fc_label_push(fc_label_collector *c, const fc_survey *s, int32_t i, int32_t j, int32_t k, int32_t code,
                        const char *path, fc_error *err);

/* The filter's unlabelled threshold. */
int32_t fc_label_unlabelled_max(const fc_label_collector *c);

/* Whether a code is allowed by the filter's legend (always, without one). */
int fc_label_code_allowed(const fc_label_collector *c, int32_t code);

fc_status fc_labels_load_segy(fc_label_collector *c, fc_survey *s, const char *path, const fc_survey_options *opt,
                              fc_error *err);
fc_status fc_labels_load_picks(fc_label_collector *c, fc_survey *s, const char *path, fc_error *err);
fc_status fc_labels_load_horizons(fc_label_collector *c, fc_survey *s, const char *path, fc_error *err);

/* Split a CSV line in place at commas (no quoting), trimming spaces and the
 * line end; returns the number of fields (at most max). */
int fc_csv_split(char *line, char **fields, int max);

/* Parse a whole number / a number; 0 on success. */
int fc_parse_i32(const char *s, int32_t *out);
int fc_parse_double(const char *s, double *out);

#endif
