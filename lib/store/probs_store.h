/* Internal: the per-class probability volume (HDF5), written section by section.
 *   /probabilities  float32 or uint8 [inlines][crosslines][samples][classes], one chunk per section
 *   /inline_numbers, /crossline_numbers  int32; /classes compound; attributes: quantised (0/1; uint8 holds
 *   round(255 p)), sample_interval_ms, start_time_ms, model, survey, orientation
 * Works on `<path>.partial`; commit renames. */
#ifndef FACIES_PROBS_STORE_H
#define FACIES_PROBS_STORE_H

#include <stdint.h>

#include "facies/labels.h"
#include "facies/survey.h"

typedef struct fc_probs fc_probs;

typedef struct fc_probs_shape {
    int n_il, n_xl, ns, classes, u8;
    fc_orientation chunk_orientation; /* sections of this orientation are one chunk each */
    const int32_t *il_numbers, *xl_numbers;
    const fc_classes *classes_info;
    double dt_ms, t0_ms;
    const char *model, *survey;
} fc_probs_shape;

/* reopen: continue an existing `<path>.partial` (resume) instead of creating it. */
fc_status fc_probs_open(fc_probs **out, const char *path, const fc_probs_shape *s, int reopen, fc_error *err);

/* Store one section's probabilities, given as [classes][ns][width] (width = traces of the section). */
fc_status fc_probs_put(fc_probs *p, fc_orientation o, int line, int width, const float *probs, fc_error *err);

/* Push what was written to the file (for resumable runs). */
fc_status fc_probs_flush(fc_probs *p, fc_error *err);

/* Close the temporary file (finish), then rename it to the final name (publish); see fc_segy_writer_commit. */
fc_status fc_probs_finish(fc_probs *p, fc_error *err);
fc_status fc_probs_publish(fc_probs *p, fc_error *err);

/* Close; keep_partial leaves `<path>.partial` for a later resume, otherwise an uncommitted file is removed. */
void fc_probs_destroy(fc_probs *p, int keep_partial);

/* Reading a probability volume back (eval --probabilities). */
typedef struct fc_probs_reader fc_probs_reader;

typedef struct fc_probs_info {
    int n_il, n_xl, ns, classes, u8;
    const int32_t *il_numbers, *xl_numbers; /* n_il and n_xl of them, valid while the reader is open */
    fc_classes classes_info;
    int chunk_crossline; /* stored a crossline a chunk: read it crossline by crossline */
    double dt_ms, t0_ms; /* sample interval and time of sample 0 (0 when the file lacks them) */
    char model[1024];    /* the model and survey apply was given (attributes `model`, `survey`; "" if none) */
    char survey[1024];
} fc_probs_info;

/* Open a volume apply wrote; anything else (shape, numbers, classes missing or disagreeing) is FC_ERR_FORMAT
 * naming the path. Close with fc_probs_reader_close. */
fc_status fc_probs_reader_open(fc_probs_reader **out, const char *path, fc_error *err);
const fc_probs_info *fc_probs_reader_info(const fc_probs_reader *r);

/* One trace's probabilities, [ns][classes], as probabilities (a uint8 volume is divided by 255). */
fc_status fc_probs_reader_trace(fc_probs_reader *r, int i, int j, float *out, fc_error *err);

void fc_probs_reader_close(fc_probs_reader *r);

#endif
