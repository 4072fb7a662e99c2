/* facies — applying a model to whole surveys, and scoring the result.
 *
 * Apply streams section by section (memory: a few sections and the dense
 * evaluator's tiles, whatever the volume size), classifies every sample
 * densely and exactly (see dense.h) and writes a facies SEG-Y that copies the
 * input's headers, optionally with a probability volume (HDF5), a confidence
 * SEG-Y and pictures. Outputs are written under temporary names and renamed
 * when complete; `resume` picks an interrupted run up after its last
 * completed section.
 */
#ifndef FACIES_APPLY_H
#define FACIES_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "facies/calibration.h"
#include "facies/comm.h"
#include "facies/error.h"
#include "facies/labels.h"
#include "facies/report.h"
#include "facies/survey.h"
#include "facies/volumes.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fc_uncertainty {
    FC_UNCERTAINTY_TOP1 = 0,    /* probability of the chosen class */
    FC_UNCERTAINTY_ENTROPY = 1, /* Shannon entropy of the probabilities, in nats */
    FC_UNCERTAINTY_MARGIN = 2,  /* top-1 minus top-2 probability */
    /* Mutual information between the members of an ensemble and the class, in nats: the entropy of the members'
     * mean minus the mean of their entropies (calibration.h); 0 where they agree. */
    FC_UNCERTAINTY_DISAGREEMENT = 3,
} fc_uncertainty;

#define FC_APPLY_MAX_PNG 32
#define FC_APPLY_MAX_MODELS 16 /* models of an ensemble, the first included */

typedef struct fc_apply_options {
    const char *model_path, *survey_path, *out_path;
    /* An ensemble: more models beside model_path (nmembers of them). Each must take model_path's classes, patch
     * size, channels, normalisation and sample interval (else FC_ERR_MISMATCH naming the first difference, before
     * any output is touched); a section's probabilities are the members' mean. Time grows with the members. */
    const char *member_paths[FC_APPLY_MAX_MODELS - 1];
    int nmembers;
    int tta_flip;       /* 1: each model's probabilities are the mean of the section's and its mirror's (exact) */
    int no_calibration; /* 1: ignore the models' temperatures (logits divided by nothing) */
    const char *probabilities_path; /* optional HDF5 */
    int probabilities_u8;           /* store probabilities as round(255 p) */
    /* Optional folder (made with its parents): one IEEE-float SEG-Y per class, named by fc_probs_segy_name, with
     * the facies SEG-Y's headers and traces and the class's probability as samples. */
    const char *probabilities_segy_dir;
    const char *confidence_path; /* optional SEG-Y */
    fc_uncertainty uncertainty;  /* FC_UNCERTAINTY_DISAGREEMENT is refused with resample */
    const char *png_dir;         /* optional: pictures of sections */
    /* Lines to draw, as inclusive ranges of line numbers ({n, n}: line n); none given: the first, middle and last
     * section. A range that holds no classified section is refused (FC_ERR_ARGUMENT) before any work. */
    int32_t png_lines[FC_APPLY_MAX_PNG][2];
    int npng;
    fc_survey_options survey;
    int32_t il_min, il_max, xl_min, xl_max; /* the part of the survey to classify (numbers, inclusive) */
    int orientations;                       /* FC_CUT_INLINE, FC_CUT_CROSSLINE or both (probabilities averaged) */
    int step;                /* 1: every sample; N > 1: a preview classifying every Nth sample and trace */
    fc_sample_format format; /* facies SEG-Y sample format (IEEE) */
    int use_training_scale;  /* normalise with the model's stored scales instead of the volumes' own */
    /* The model's volumes beside the survey (volumes.h), by the names it was trained with, in any order; a
     * missing, extra or misnamed one is FC_ERR_MISMATCH listing the names the model takes. */
    fc_volume_arg volumes[FC_MAX_VOLUMES - 1];
    int nvolumes;
    int direct; /* 1: the direct method (im2col + SGEMM everywhere) instead of the fast one */
    /* A survey whose sample interval is not the model's is refused (FC_ERR_MISMATCH) unless this is 1: then each
     * trace is resampled to the model's interval (signal.h), classified there, and the classes (nearest sample)
     * and probabilities (linear) are mapped back to the survey's samples; every output keeps the survey's grid. */
    int resample;
    int threads;
    int resume;
    /* Several processes (NULL: one): the sections are dealt out in turn; every rank writes its traces into the
     * one facies SEG-Y, which rank 0 creates with every header; rank 0 writes the probabilities the others send.
     * The files are byte for byte those of one process. Each rank keeps its own resume state. */
    const fc_comm *comm;
    fc_reporter report; /* notes (rank 0); progress in this rank's sections */
} fc_apply_options;

fc_apply_options fc_apply_options_default(void);

typedef struct fc_apply_summary {
    int64_t sections, traces, samples;
    int exact;
    double seconds, scale;
    int nclasses;
    int32_t class_code[FC_MAX_CLASSES];
    int64_t class_samples[FC_MAX_CLASSES];
} fc_apply_summary;

fc_status fc_apply(const fc_apply_options *o, fc_apply_summary *summary, fc_error *err);

/* The file name (no folder) of a class's probability SEG-Y in probabilities_segy_dir: "<code>_<name>.sgy", the
 * name's characters other than ASCII letters, digits, '-', '_' and '.' replaced by '_' ("<code>.sgy" for an empty
 * name). Written into buf of size n (96 holds any); returns buf. */
char *fc_probs_segy_name(const fc_class_info *c, char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
