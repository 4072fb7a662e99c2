/* Internal: one apply run, what the units that carry it out share. apply.c opens and prepares the run and frees
 * it; apply_ranks.c runs its passes over the sections (shared among ranks), apply_section.c classifies and writes
 * one section, apply_pictures.c draws the chosen ones, apply_resume.c saves and reads its resume state, and
 * apply_outputs.c creates the outputs and commits them. */
#ifndef FACIES_APPLY_RUN_H
#define FACIES_APPLY_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "facies/apply.h"
#include "facies/comm.h"
#include "facies/model.h"
#include "facies/segy_writer.h"
#include "apply_members.h"
#include "apply_resample.h"
#include "apply_state.h"
#include "apply_volumes.h"
#include "log_line.h"
#include "probs_segy.h"
#include "probs_store.h"

typedef struct apply_run {
    const fc_apply_options *o;
    fc_apply_summary *sum;
    fc_survey *s;
    const fc_survey_info *in;
    fc_apply_members m; /* the model or the ensemble, with the section passes */
    fc_model_meta meta; /* the first model's */
    fc_volume_set *vs;  /* the survey and the model's other volumes */
    int K, KS, maxw;    /* classes; planes of probs (classes and, for disagreement, the members' mean entropy) */
    float *raw, *planes, *probs, *codes, *conf;
    int32_t *cls;
    unsigned char *present;
    int64_t *out_index;
    fc_segy_writer *wf, *wc;
    fc_probs *pr;
    fc_probs_segy *ps; /* --probabilities-segy */
    char state_path[4300];
    fc_apply_state state; /* what the resume state says of the run (done and total updated as it goes) */
    int state_known;
    int64_t done, total, skip;
    /* --orientation inline,crossline: the inline pass's probabilities, [crossline][inline][sample][class] */
    int both;
    FILE *inline_probs;
    char inline_probs_path[4300];
    float *column;                          /* one crossline's stored probabilities [inline][sample][class] */
    int32_t png_lines[FC_APPLY_MAX_PNG][2]; /* the options' picture lines, or the default three */
    int npng;
    fc_apply_grid grid; /* --resample: the model's sample grid (grid.nsm samples) when it is not the survey's */
} apply_run;

#define say(o, ...) fc_log_line((o)->report.log, (o)->report.ctx, __VA_ARGS__)

#endif
