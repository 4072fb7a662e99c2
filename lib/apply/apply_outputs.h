/* Internal: the outputs of an apply run: the facies SEG-Y and those asked for beside it. */
#ifndef FACIES_APPLY_OUTPUTS_H
#define FACIES_APPLY_OUTPUTS_H

#include "apply_run.h"

/* Create the outputs under their temporary names (rank 0 of a new run), or reopen them (resuming, other ranks). */
fc_status fc_apply_open_outputs(apply_run *r, int resuming, fc_error *err);

/* Close every output and publish them together, the legend CSV beside the facies SEG-Y; removes the resume state. */
fc_status fc_apply_commit(apply_run *r, fc_error *err);

#endif
