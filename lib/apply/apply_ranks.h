/* Internal: the passes of an apply run over its sections, shared among the ranks in rounds, and what the ranks
 * exchange. One process is one rank. */
#ifndef FACIES_APPLY_RANKS_H
#define FACIES_APPLY_RANKS_H

#include "apply_run.h"

/* This rank's sections over every pass, into r->total. */
fc_status fc_apply_count_sections(apply_run *r, fc_error *err);

/* Every pass of the run (the 2-D line, or the inline and/or crossline sections), skipping the r->skip sections
 * done before an interruption and saving the resume state after each section. */
fc_status fc_apply_run_sections(apply_run *r, fc_error *err);

/* Several ranks: wait until every rank is here. */
fc_status fc_apply_sync_ranks(const apply_run *r, fc_error *err);

/* Several ranks: the counts of every rank's sections add up on each. */
void fc_apply_sum_counts(apply_run *r);

#endif
