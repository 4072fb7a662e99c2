/* clang-format off */
/* facies — model files (model.h5): a network with everything needed to use it.
 *
 * Layout (HDF5):
 *   root attributes  format_version, spec, input_channels, input_height, input_width, channels,
 *                    normalisation_method, normalisation_percentile, normalisation_scale, sample_interval_ms,
 *                    seed, optimizer, learning_rate, beta1, beta2, epsilon, momentum, weight_decay, step,
 *                    frozen_layers, best_epoch, temperature (calibration; absent: 1), parent_model,
 *                    data_provenance, command_line, program_version; with more input volumes than the
 *                    survey, the volume attributes of patches.h5 (patches.h), copied from the dataset
 *   /classes         compound [K] {code, name, colour}
 *   /layers/NN_name/ weights and bias (conv [F][C][k][k], dense [out][in]); batch norm gamma, beta,
 *                    moving_mean, moving_variance
 *   /optimizer/NN_name/ m_weights, v_weights, m_bias, v_bias ... (Adam moments or SGD velocity)
 *   /history/        loss, accuracy, val_loss, val_accuracy, seconds: one value per epoch
 *
 * Saving writes `<path>.partial` and renames it: a crash never leaves a damaged model.
 */
/* clang-format on */
#ifndef FACIES_MODEL_H
#define FACIES_MODEL_H

#include <stdint.h>

#include "facies/labels.h"
#include "facies/net.h"
#include "facies/patch.h"
#include "facies/patches.h"
#include "facies/volumes.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FC_MODEL_FORMAT_VERSION 1

#define FC_META_KEY 1024

typedef struct fc_model_meta {
    char spec[512];
    int in_c, in_h, in_w;
    int channels; /* of every volume: in_c */
    fc_channel channel[FC_MAX_CHANNELS];
    fc_volume_list volumes; /* the survey (norm.scale its training scale) and any more */
    fc_scales scales;       /* in_c = channels * fc_scales_count(&scales); attribute "scales", absent for one scale */
    fc_normalisation norm;
    double sample_interval_ms;
    fc_classes classes;
    fc_optimizer optimizer;
    int frozen_layers;
    uint64_t seed; /* the network's seed (initialisation, dropout masks), kept so training resumes exactly */
    /* The options a resumed run must repeat to end as the uninterrupted run would, as key=value words ("batch=32
     * seed=1 ..."; attribute "training_key"); "" when not recorded (files from before it: not checked). */
    char training_key[FC_META_KEY];
    int64_t best_epoch; /* 1-based; 0 before training */
    /* Calibration: the temperature T training fitted on the validation lines (attribute `temperature`); apply
     * divides the logits by it. 0: none fitted (models from before calibration, checkpoints), meaning T = 1. */
    double temperature;
    char parent_model[FC_META_TEXT];    /* path and hash of the model this one was fine-tuned from */
    char data_provenance[FC_META_TEXT]; /* the patches file, its survey and label sources */
    char command_line[FC_META_TEXT];
    char program_version[32];
} fc_model_meta;

/* Training history: one value per epoch and series. */
typedef struct fc_history {
    int n, cap;
    double *loss, *accuracy, *val_loss, *val_accuracy, *seconds;
} fc_history;

/* Append an epoch (FC_ERR_NOMEM when the series cannot grow; h unchanged). */
fc_status fc_history_push(fc_history *h, double loss, double accuracy, double val_loss, double val_accuracy,
                          double seconds, fc_error *err);
void fc_history_free(fc_history *h);

/* Carry a dataset's scales into a network's configuration (nothing for one scale). */
void fc_model_net_scales(fc_net_config *cfg, const fc_scales *scales);

/* Save the network, its metadata, optimiser state and history (h may be NULL). */
fc_status fc_model_save(const char *path, fc_net *net, const fc_model_meta *meta, const fc_history *h, fc_error *err);

/* Load a model: builds the network for max_batch samples and threads, fills
 * its weights (and optimiser state), meta and history (h may be NULL; free
 * with fc_history_free). Missing or mis-shaped datasets are refused. */
fc_status fc_model_load(const char *path, int max_batch, int threads, fc_net **net, fc_model_meta *meta, fc_history *h,
                        fc_error *err);

/* Divide the network's logits by t (t > 0) for good: the output layer's weights and bias are scaled by 1 / t,
 * so every pass (patch by patch or dense) gives softmax(logits / t). FC_ERR_ARGUMENT when the last layer with
 * weights is not a dense layer. */
fc_status fc_model_set_temperature(fc_net *net, double t, fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
