/* Internal: an apply run's use of its resume state (apply_state.h): saved after every section, read back by
 * --resume. */
#ifndef FACIES_APPLY_RESUME_H
#define FACIES_APPLY_RESUME_H

#include "apply_run.h"

/* Flush every output, then write the resume state of r->done sections to r->state_path. */
fc_status fc_apply_save_state(apply_run *r, fc_error *err);

/* --resume: *resuming 1 when every rank has a state of this same run (r->skip: the sections to skip here), 0 to
 * start from the beginning; a state of another run is refused. */
fc_status fc_apply_resume_point(apply_run *r, int *resuming, fc_error *err);

#endif
