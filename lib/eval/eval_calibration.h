/* Internal: eval's calibration scores, from apply's probability volume at the labelled samples. */
#ifndef FACIES_EVAL_CALIBRATION_H
#define FACIES_EVAL_CALIBRATION_H

#include <stdint.h>

#include "facies/calibration.h"
#include "facies/labels.h"
#include "facies/survey.h"
#include "facies/eval.h"

/* Score the probabilities at path against the n labels p, placed on the facies volume pred (traces matched by
 * inline and crossline numbers). The volume must hold every labelled trace, the facies volume's samples and a
 * class for every label code; FC_ERR_MISMATCH naming what is missing otherwise. */
fc_status fc_eval_calibration(const char *path, const fc_survey *pred, const char *pred_path, const fc_label_point *p,
                              int64_t n, fc_calibration *out, fc_error *err);

#endif
