/* Internal: apply --probabilities-segy DIR, one IEEE-float SEG-Y per class (DIR/<code>_<name>.sgy, see
 * fc_probs_segy_name) shaped like the facies output: the input's headers, the same traces in the same order, each
 * sample the class's probability. Every file is written as NAME.partial and renamed by fc_probs_segy_publish, so a
 * run that stops leaves no half-written file under a final name and an existing one intact.
 *
 * Several processes follow the facies SEG-Y's scheme: one creates the files (and writes every trace header into
 * them through fc_probs_segy_writer), the others reopen them, put their own traces and end with
 * fc_probs_segy_close_shared; the creator commits. */
#ifndef FACIES_PROBS_SEGY_H
#define FACIES_PROBS_SEGY_H

#include <stddef.h>
#include <stdint.h>

#include "facies/labels.h"
#include "facies/segy_writer.h"
#include "facies/survey.h"

typedef struct fc_probs_segy fc_probs_segy;

/* Class c's textual header (3200 ASCII characters and a NUL), for fc_probs_segy_create. */
typedef void (*fc_probs_segy_text)(void *ctx, int c, char text[3201]);

/* Make DIR (with its parents) and start one file per class of `classes`, its textual header from text(ctx, c, ...).
 * `like` is the input survey and stays the caller's, open while traces are written. Free with fc_probs_segy_destroy. */
fc_status fc_probs_segy_create(fc_probs_segy **out, const char *dir, fc_survey *like, const fc_classes *classes,
                               fc_probs_segy_text text, void *ctx, fc_error *err);

/* Reopen the files' NAME.partial, left by an interrupted run (or made by another process), for more traces. */
fc_status fc_probs_segy_resume(fc_probs_segy **out, const char *dir, fc_survey *like, const fc_classes *classes,
                               fc_error *err);

/* Before a resume touches anything: every class file's NAME.partial is in DIR, or FC_ERR_ARGUMENT naming the first
 * one missing (the interrupted run wrote elsewhere, or wrote no class files). */
fc_status fc_probs_segy_resumable(const char *dir, const fc_classes *classes, fc_error *err);

/* The writer of class c (0-based), to write headers into before the traces (several processes). */
fc_segy_writer *fc_probs_segy_writer(fc_probs_segy *p, int c);

/* Write output trace `trace` (0-based) of every class file with trace header `header` (240 bytes, as
 * fc_survey_read_trace_header gives it); sample k of class c is probs[c * class_stride + k * sample_stride]. */
fc_status fc_probs_segy_put(fc_probs_segy *p, int64_t trace, const unsigned char header[240], const float *probs,
                            size_t class_stride, size_t sample_stride, fc_error *err);

/* Push what was written to the operating system (for resumable runs). */
fc_status fc_probs_segy_flush(fc_probs_segy *p, fc_error *err);

/* Another process's share is written: close without committing (see fc_segy_writer_close_shared). */
fc_status fc_probs_segy_close_shared(fc_probs_segy *p, fc_error *err);

/* Close and sync every class file (finish), then rename each to its final name (publish); see
 * fc_segy_writer_commit. */
fc_status fc_probs_segy_finish(fc_probs_segy *p, fc_error *err);
fc_status fc_probs_segy_publish(fc_probs_segy *p, fc_error *err);

/* Free; uncommitted temporary files this process made are removed. NULL is accepted. */
void fc_probs_segy_destroy(fc_probs_segy *p);

#endif
