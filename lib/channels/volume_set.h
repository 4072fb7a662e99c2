/* Internal: the input volumes of an ingest or apply run (volumes.h), read section by section into channel planes.
 * The survey is the caller's; the other volumes are opened here, each checked to lie on the survey's grid, and
 * read a section at a time into one scratch section: memory grows by one section and the planes of the
 * channels, whatever the volumes' sizes. */
#ifndef FACIES_VOLUME_SET_H
#define FACIES_VOLUME_SET_H

#include "facies/patch.h"
#include "facies/survey.h"
#include "facies/volumes.h"

typedef struct fc_volume_set fc_volume_set;

/* Put the n volumes given in want's order (want->v[1..]: the dataset's or model's volumes beside the survey) into
 * ordered; FC_ERR_MISMATCH naming what (e.g. "model.h5") takes which volumes, and what is missing, extra or
 * misnamed, when the names differ. */
fc_status fc_volume_args_order(const fc_volume_list *want, const char *what, const fc_volume_arg *given, int n,
                               fc_volume_arg *ordered, fc_error *err);

/* Open the n volumes beside survey s (path survey_path, kept open by the caller until fc_volume_set_close), read
 * with options so; each must lie on s's grid (FC_ERR_MISMATCH naming the first difference). Free with
 * fc_volume_set_close. */
fc_status fc_volume_set_open(fc_volume_set **out, fc_survey *s, const char *survey_path, const fc_volume_arg *extra,
                             int n, const fc_survey_options *so, fc_error *err);
void fc_volume_set_close(fc_volume_set *vs);

/* The survey and the others: 1 + n. */
int fc_volume_set_count(const fc_volume_set *vs);

/* Names, paths, sizes and fingerprints of the volumes into vl (scales untouched), count set. */
void fc_volume_set_refs(const fc_volume_set *vs, fc_volume_list *vl);

/* Each volume's own normalisation scale (the percentile, 99 or 99.9, of |amplitude| over at most stats_traces of
 * its traces) into vl's scales. */
fc_status fc_volume_set_measure(fc_volume_set *vs, double percentile, int stats_traces, fc_volume_list *vl,
                                fc_error *err);

/* Sectioners for sections of nsm samples with these channel kinds (nkinds per volume), each volume normalised by
 * its scale in vl (vl->count must be the set's), with the coarse views of these scales (NULL or zeroed: one). */
fc_status fc_volume_set_prepare(fc_volume_set *vs, const fc_channel *kinds, int nkinds, const fc_scales *scales,
                                int nsm, const fc_volume_list *vl, fc_error *err);

/* What a caller does to each volume's raw section before its channels are made (apply --resample: onto the
 * model's samples); returns the section to use, [width][nsm]. */
typedef const float *(*fc_volume_prep_fn)(void *ctx, const float *raw, int width);

/* Section `line` of orientation o of every volume: the survey's samples into raw [width][ns] (and present), the
 * channels of every volume into planes [scales][count * nkinds][width][nsm]: scale by scale (fc_patch_cut_scales),
 * within a scale volume after volume. prep may be NULL. */
fc_status fc_volume_set_section(fc_volume_set *vs, fc_orientation o, int line, float *raw, unsigned char *present,
                                fc_volume_prep_fn prep, void *ctx, float *planes, fc_error *err);

/* Bytes of one trace summed over the volumes other than the survey (for counts of bytes read). */
int64_t fc_volume_set_extra_trace_bytes(const fc_volume_set *vs);

#endif
