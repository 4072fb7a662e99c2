/* Internal: one section of an apply run. */
#ifndef FACIES_APPLY_SECTION_H
#define FACIES_APPLY_SECTION_H

#include "apply_run.h"

/* Classify section `line` of orientation o, combine it with the other orientation's pass (both orientations), and
 * write its traces, probabilities and picture. */
fc_status fc_apply_section(apply_run *r, fc_orientation o, int line, fc_error *err);

#endif
