/* facies — how far class probabilities can be trusted: ensemble disagreement, temperature scaling and
 * calibration scores.
 *
 * Probabilities are given per sample as `classes` values; all logs are natural (nats). Temperature scaling
 * divides a network's logits by one number T fitted on held-out data: T > 1 softens over-confident
 * probabilities, T < 1 sharpens them; the class chosen never changes.
 */
#ifndef FACIES_CALIBRATION_H
#define FACIES_CALIBRATION_H

#include <stddef.h>
#include <stdint.h>

#include "facies/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Shannon entropy -sum p log p of K probabilities p[0], p[stride], ... (zeros contribute nothing). */
double fc_entropy(const float *p, int classes, size_t stride);

/* Mutual information between the members of an ensemble and the class, for p [members][classes]: the entropy of
 * the members' mean minus the mean of their entropies. 0 when the members agree; at most log(members). */
double fc_mutual_information(const float *p, int members, int classes);

/* Mean negative log-likelihood of labels under softmax(logits / T): logits [n][classes], labels [n] in
 * 0..classes-1. Logits may be log-probabilities (softmax is blind to a per-sample shift). */
double fc_temperature_nll(const float *logits, const int32_t *labels, int64_t n, int classes, double t);

/* The T in [0.05, 20] minimising fc_temperature_nll (golden-section search on log T: the NLL is convex in 1/T);
 * 1 when n is 0. */
double fc_temperature_fit(const float *logits, const int32_t *labels, int64_t n, int classes);

#define FC_CALIBRATION_BINS 15

/* Calibration scores accumulated sample by sample: zero it, add, finish. */
typedef struct fc_calibration {
    int64_t n;                                  /* samples added */
    int64_t bin_count[FC_CALIBRATION_BINS];     /* samples by confidence (top-1 probability), equal-width bins */
    double bin_confidence[FC_CALIBRATION_BINS]; /* sum, then (finish) mean of the confidence in the bin */
    double bin_accuracy[FC_CALIBRATION_BINS];   /* sum of correct, then (finish) fraction correct (NAN: empty) */
    double sum_nll, sum_brier;
    /* Filled by fc_calibration_finish: */
    double ece;   /* expected calibration error: sum over bins of count / n * |accuracy - confidence| */
    double brier; /* mean over samples of sum_k (p_k - [k = label])^2, 0..2 */
    double nll;   /* mean -log p_label, p floored at 1e-12 */
} fc_calibration;

/* One sample: probabilities p[0], p[stride], ... of `classes` classes, its label (0..classes-1). The predicted
 * class is the most probable (the first on ties). */
void fc_calibration_add(fc_calibration *c, const float *p, int classes, size_t stride, int label);

void fc_calibration_finish(fc_calibration *c);

#ifdef __cplusplus
}
#endif

#endif
