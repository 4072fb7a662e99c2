/* Internal: the resume state of an apply run (OUT.partial.state, one per rank under MPI). It records how far the
 * run got, with how many ranks, which outputs it writes and what decides its sections and their content (the
 * inputs' sizes and times, the lines, orientations, step, method...), so that --resume continues only the same
 * run: a resume asking for other outputs, other lines or another model is refused instead of finishing a file
 * whose first sections came from another run. */
#ifndef FACIES_APPLY_STATE_H
#define FACIES_APPLY_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "facies/apply.h"

#define FC_APPLY_STATE_MAX 4096 /* bytes: a longer file is not a state facies wrote */

typedef struct fc_apply_state {
    int64_t done;       /* sections this rank completed */
    int64_t total;      /* sections this rank has in the run (-1: not recorded) */
    int ranks;          /* processes of the run */
    char outputs[1024]; /* "--out --confidence C.sgy ..." ("": not recorded) */
    char run[1024];     /* "survey=... model=... lines=..." ("": not recorded) */
} fc_apply_state;

/* The state of run o at `done` of `total` sections. Reads the sizes and modification times of the model and the
 * survey (a file that cannot be read counts as size -1). */
void fc_apply_state_of(const fc_apply_options *o, int64_t done, int64_t total, fc_apply_state *out);

/* Write the state to path (under path.partial, renamed when complete). */
fc_status fc_apply_state_write(const char *path, const fc_apply_state *st, fc_error *err);

/* Read the state at path: *found 0 when there is none (no file). A file that is not a state facies wrote (first
 * line, keys, numbers out of range, too long) is FC_ERR_FORMAT naming the path and the line. */
fc_status fc_apply_state_read(const char *path, fc_apply_state *out, int *found, fc_error *err);

/* The same, from text of n bytes (path only names it in messages). */
fc_status fc_apply_state_parse(const char *text, size_t n, const char *path, fc_apply_state *out, fc_error *err);

/* Whether the run `now` may resume the interrupted run `had` (read from path): the same ranks, outputs and run,
 * and no more sections done than the run has. Fields `had` did not record are not compared. FC_ERR_ARGUMENT with
 * the difference and the way out otherwise. */
fc_status fc_apply_state_check(const char *path, const fc_apply_state *had, const fc_apply_state *now, fc_error *err);

#endif
