/* Pictures of training and scoring (cairo, PNG): the loss and accuracy history and the reliability diagram. Each is
 * written under PATH.partial and renamed when complete. */
#ifndef FACIES_PLOT_H
#define FACIES_PLOT_H

#include "facies/calibration.h"
#include "facies/error.h"
#include "facies/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Plot loss and accuracy, training against validation, per epoch (cairo). */
fc_status fc_plot_history(const char *png_path, const fc_history *h, int best_epoch, const char *title, fc_error *err);

/* The reliability diagram of finished scores c as a PNG (cairo): per confidence bin a bar of the accuracy with the
 * bin's mean confidence as a red tick, the diagonal of perfect calibration, and below the fraction of samples per
 * bin; ECE, Brier score and NLL in the heading. Written under path.partial and renamed. */
fc_status fc_plot_reliability(const char *png_path, const fc_calibration *c, const char *title, fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
