/* Internal: the outputs an apply run writes, as its resume state records them, so that a resume asking for other
 * outputs is refused instead of finishing some files and leaving the others half-written or never begun. */
#ifndef FACIES_APPLY_OUTPUTS_H
#define FACIES_APPLY_OUTPUTS_H

#include <stddef.h>

#include "facies/apply.h"

/* The state line: "outputs --out[ --confidence][ --probabilities][ --probabilities-segy]" (no newline). */
void fc_apply_outputs_line(const fc_apply_options *o, char *buf, size_t n);

/* A resume state at state_path whose outputs differ from o's is refused (FC_ERR_ARGUMENT), naming both sets. A
 * state without the line (written before outputs were recorded) is accepted. */
fc_status fc_apply_outputs_check(const char *state_path, const fc_apply_options *o, fc_error *err);

#endif
