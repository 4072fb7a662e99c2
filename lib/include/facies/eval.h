/* Scoring a facies volume against held-out labels: confusion matrix, pixel and class accuracies, IoU, and with
 * the probability volume the calibration of its confidences. */
#ifndef FACIES_EVAL_H
#define FACIES_EVAL_H

#include <stdint.h>

#include "facies/calibration.h"
#include "facies/error.h"
#include "facies/labels.h"
#include "facies/survey.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Scores of a facies volume against labels. */
typedef struct fc_eval_result {
    int n; /* classes (codes seen in labels or predictions) */
    int32_t code[FC_MAX_CLASSES];
    char name[FC_MAX_CLASSES][FC_CLASS_NAME_SIZE];
    int64_t *confusion; /* [n][n]: rows = label, columns = prediction; free with fc_eval_free */
    int64_t total;
    double pixel_accuracy, mean_class_accuracy, mean_iou, fw_iou;
    double class_accuracy[FC_MAX_CLASSES], iou[FC_MAX_CLASSES]; /* NAN for classes absent from the labels */
    /* Outside the overlap (within the chosen lines): labels with no facies trace (picks, or label SEG-Y traces),
     * and, for a label SEG-Y, facies traces it has no trace for (see fc_label_outside). */
    fc_label_outside outside;
    /* With probabilities_path: the probabilities at the scored samples against their labels (ECE over
     * FC_CALIBRATION_BINS confidence bins, Brier score, NLL); calibration.n is 0 without. */
    fc_calibration calibration;
    /* Positions labelled with different codes (in one file or across files): each is scored once, with the higher
     * code, as ingest keeps it; the first few, with their files and rows. */
    int64_t conflicts;
    char conflict_examples[1024];
} fc_eval_result;

typedef struct fc_eval_options {
    const char *pred_path, *labels_path, *classes_path;
    /* Optional: the probability volume apply wrote with pred_path (HDF5): scored for calibration too. */
    const char *probabilities_path;
    fc_survey_options survey;
    int32_t il_min, il_max, xl_min, xl_max;
    int32_t unlabelled_max;                   /* label SEG-Y codes <= this are unlabelled (0) */
    int labels_iline_byte, labels_xline_byte; /* header bytes of the line numbers in a label SEG-Y (0: survey's) */
} fc_eval_options;

fc_eval_options fc_eval_options_default(void);
fc_status fc_eval(const fc_eval_options *o, fc_eval_result *out, fc_error *err);
void fc_eval_free(fc_eval_result *r);

/* Metrics of a confusion matrix (fills the scores of r from r->confusion). */
void fc_eval_metrics(fc_eval_result *r);

#ifdef __cplusplus
}
#endif

#endif
