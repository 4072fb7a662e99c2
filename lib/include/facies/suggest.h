/* facies — where to label next.
 *
 * From apply's probability volume (HDF5, `--probabilities`), every inline and crossline gets its mean
 * uncertainty: the Shannon entropy of the class probabilities (nats), and, when an ensemble's disagreement
 * volume (apply `--uncertainty disagreement`, a SEG-Y of mutual information in nats) is given, its mean
 * disagreement. Lines are ranked by that mean (disagreement when given, else entropy), highest first, keeping
 * only lines at least `min_distance` lines (grid steps of the same orientation) from every labelled line and
 * from every line ranked before them.
 *
 * The volume is read one trace at a time, once: memory holds one trace and a few numbers per line (plus one
 * byte per trace for the labelled traces). Traces apply did not write (probabilities all zero) count nowhere.
 */
#ifndef FACIES_SUGGEST_H
#define FACIES_SUGGEST_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/labels.h"
#include "facies/survey.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One line's measures. */
typedef struct fc_suggest_line {
    fc_orientation orientation; /* FC_ORIENTATION_INLINE or FC_ORIENTATION_CROSSLINE */
    int index;                  /* 0-based grid index among lines of its orientation */
    int32_t number;             /* header line number */
    int64_t samples;            /* samples measured (traces apply wrote x samples) */
    double mean_entropy;        /* nats */
    double mean_disagreement;   /* nats; 0 without a disagreement volume */
    double fraction_above;      /* samples whose uncertainty / log(classes) exceeds the threshold */
    int64_t labelled_traces;    /* labelled traces that belong to this line: of the inline and the crossline
                                 * crossing at a labelled trace, the one labelled on the larger fraction of its
                                 * traces (both on a tie), so that two labelled inlines, which touch every
                                 * crossline, do not make the crosslines labelled */
    int traces;                 /* traces of the line (grid width) */
    int labelled;               /* counted as labelled (see fc_suggest_rule.labelled_fraction) */
} fc_suggest_line;

/* How lines are chosen. */
typedef struct fc_suggest_rule {
    int min_distance;         /* a chosen line is at least this many lines from labelled and chosen ones (>= 1) */
    int by_disagreement;      /* rank by mean disagreement (1) or mean entropy (0) */
    double labelled_fraction; /* a line is labelled when at least this fraction of its traces hold labels (0.1) */
} fc_suggest_rule;

fc_suggest_rule fc_suggest_rule_default(void);

/* Set each line's `labelled` from its labelled_traces and traces under the rule. */
void fc_suggest_mark_labelled(fc_suggest_line *lines, int n, const fc_suggest_rule *r);

/* Rank lines (both orientations may be mixed; distances count only between lines of one orientation): order
 * (sized n by the caller) gets the indices into lines of the chosen ones, best first; returns how many. Ties go
 * to the lower index, inlines first. */
int fc_suggest_rank(const fc_suggest_line *lines, int n, const fc_suggest_rule *r, int *order);

/* A probability volume being measured. */
typedef struct fc_suggest fc_suggest;

typedef struct fc_suggest_info {
    int n_il, n_xl, ns, classes;
    const int32_t *il_numbers, *xl_numbers;
    double dt_ms, t0_ms;
    const char *model, *survey; /* as apply recorded them ("" when not) */
} fc_suggest_info;

/* Open apply's probability volume (FC_ERR_FORMAT naming the path when it is not one). Close with
 * fc_suggest_close. */
fc_status fc_suggest_open(fc_suggest **out, const char *probabilities_path, fc_error *err);
void fc_suggest_close(fc_suggest *s);
const fc_suggest_info *fc_suggest_get_info(const fc_suggest *s);

/* Mark the trace at these line numbers labelled (numbers off the volume's grid are ignored). */
void fc_suggest_label_trace(fc_suggest *s, int32_t inline_number, int32_t crossline_number);

/* Mark the traces of the labelled points of survey sv (grid indices of sv, placed by line numbers). */
void fc_suggest_label_points(fc_suggest *s, const fc_survey *sv, const fc_label_point *p, int64_t n);

/* Mark the traces that a patch dataset's /positions name (the lines a model was trained on). */
fc_status fc_suggest_label_patches(fc_suggest *s, const char *patches_path, fc_error *err);

/* The patch dataset a model was trained on, from its provenance ("patches PATH (..."), into path (size n).
 * FC_ERR_FORMAT when the model does not name one. */
fc_status fc_suggest_model_patches(const char *model_path, char *path, size_t n, fc_error *err);

/* Read the volume once (and the disagreement volume, on the probabilities' grid by line numbers and with their
 * samples, when not NULL); threshold applies to uncertainty / log(classes). *lines (n_il + n_xl of them, or n_il
 * for a single line; inlines first) stays the handle's. */
fc_status fc_suggest_measure(fc_suggest *s, fc_survey *disagreement, double threshold, fc_suggest_line **lines, int *n,
                             fc_error *err);

/* Write the chosen lines as CSV (`rank,orientation,line,mean_entropy,mean_disagreement,fraction_above`),
 * under `<path>.partial` renamed when complete. */
fc_status fc_suggest_write_csv(const char *path, const fc_suggest_line *lines, const int *order, int count,
                               fc_error *err);

/* Pictures of the first `count` chosen lines (order from fc_suggest_rank) in folder dir (made with its parents):
 * dir/inline_N.png or dir/crossline_N.png (section pictures left there by an earlier run are removed), the seismic of
 * `seismic` (the survey the probabilities were computed on) in grey with the uncertainty (entropy, or disagreement when
 * that volume is not NULL) over it in four bands of uncertainty / log(classes) above 0.2. */
fc_status fc_suggest_pictures(fc_suggest *s, fc_survey *seismic, fc_survey *disagreement, const fc_suggest_line *lines,
                              const int *order, int count, const char *dir, fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
