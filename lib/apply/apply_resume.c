/* An apply run's use of its resume state: saved after every section, read back by --resume to find where to go
 * on. */
#include "apply_resume.h"

#include <stdio.h>

#include "fail.h"
#include "probs_segy.h"
#include "probs_store.h"

fc_status fc_apply_save_state(apply_run *r, fc_error *err)
{
    fc_status st = fc_segy_writer_flush(r->wf, err);
    if (!st && r->wc)
        st = fc_segy_writer_flush(r->wc, err);
    if (!st && r->pr)
        st = fc_probs_flush(r->pr, err);
    if (!st && r->ps)
        st = fc_probs_segy_flush(r->ps, err);
    if (!st && r->inline_probs && fflush(r->inline_probs) != 0)
        st = fc_fail(err, FC_ERR_IO, "%s: write failed (disk full?)", r->inline_probs_path);
    if (st)
        return st;
    if (!r->state_known) { /* once: an ensemble's members are hashed, not worth redoing every section */
        fc_apply_state_of(r->o, r->done, r->total, &r->state);
        r->state_known = 1;
    }
    r->state.done = r->done;
    r->state.total = r->total;
    return fc_apply_state_write(r->state_path, &r->state, err);
}

/* Resume only when every rank has a state from a run with as many ranks; returns the sections to skip here
 * (0: start from the beginning). */
fc_status fc_apply_resume_point(apply_run *r, int *resuming, fc_error *err)
{
    const fc_apply_options *o = r->o;
    const fc_comm *c = o->comm;
    fc_apply_state had, now;
    int found = 0;
    fc_status st = fc_apply_state_read(r->state_path, &had, &found, err);
    if (st)
        return st;
    fc_apply_state_of(o, 0, r->total, &now);
    if (found && (st = fc_apply_state_check(r->state_path, &had, &now, err)))
        return st;
    int64_t n = found ? had.done : -1;
    int64_t stateless = n < 0; /* ranks without a state */
    if (fc_comm_parallel(c))
        c->sum_i64(c->ctx, &stateless, 1);
    *resuming = fc_comm_parallel(c) ? stateless == 0 : n > 0;
    r->skip = *resuming ? n : 0;
    if (*resuming && o->probabilities_segy_dir &&
        (st = fc_probs_segy_resumable(o->probabilities_segy_dir, &r->meta.classes, err)))
        return st;
    if (*resuming)
        say(o, "resuming after %lld completed sections%s", (long long)n, fc_comm_parallel(c) ? " (rank 0)" : "");
    else
        say(o, "no interrupted run of %s to resume: starting from the beginning", o->out_path);
    return FC_OK;
}
