/* The passes of an apply run over its sections, shared among the ranks in rounds, and what the ranks exchange:
 * rank 0's probabilities, the barriers, the counts. */
#include "apply_ranks.h"

#include <stdlib.h>
#include <string.h>

#include "apply_resume.h"
#include "apply_section.h"
#include "fail.h"
#include "probs_store.h"

/* Several ranks: wait until every rank is here. */
fc_status fc_apply_sync_ranks(const apply_run *r, fc_error *err)
{
    const fc_comm *c = r->o->comm;
    if (c->barrier(c->ctx))
        return fc_fail(err, FC_ERR_IO, "apply: rank %d: the other processes stopped answering (see their messages)",
                       c->rank);
    return FC_OK;
}

/* The line indices of the selected sections of one orientation, in order; returns how many. */
static int pass_lines(const apply_run *r, fc_orientation kind, int *lines)
{
    const fc_apply_options *o = r->o;
    const fc_survey_info *in = r->in;
    int n = 0;
    for (int line = 0; line < fc_survey_section_count(r->s, kind); line++) {
        int32_t num = kind == FC_ORIENTATION_CROSSLINE ? in->crossline_numbers[line] : in->inline_numbers[line];
        int32_t lo = kind == FC_ORIENTATION_CROSSLINE ? o->xl_min : o->il_min;
        int32_t hi = kind == FC_ORIENTATION_CROSSLINE ? o->xl_max : o->il_max;
        if (kind == FC_ORIENTATION_LINE || (num >= lo && num <= hi))
            lines[n++] = line;
    }
    return n;
}

/* On several ranks rank 0 alone writes the probability volume: in every round each other rank that had a
 * section sends its line (-1: none computed, it was done before an interruption) and then its probabilities. */
static fc_status exchange_probs(apply_run *r, fc_orientation kind, const int *lines, int n, int64_t round, int line,
                                fc_error *err)
{
    const fc_comm *c = r->o->comm;
    int ns = r->in->sample_count;
    if (c->rank != 0) {
        int32_t head = line;
        size_t bytes = line >= 0 ? sizeof(float) * (size_t)r->K * ns * fc_survey_section_width(r->s, kind) : 0;
        if (c->send(c->ctx, 0, &head, sizeof head) || (bytes && c->send(c->ctx, 0, r->probs, (int64_t)bytes)))
            return fc_fail(err, FC_ERR_IO, "apply: rank %d could not send its probabilities", c->rank);
        return FC_OK;
    }
    for (int from = 1; from < c->size; from++) {
        if (round * c->size + from >= n)
            break; /* no section for that rank in this round */
        int32_t got = -1;
        if (c->recv(c->ctx, from, &got, sizeof got))
            return fc_fail(err, FC_ERR_IO, "apply: no probabilities from rank %d", from);
        if (got < 0)
            continue;
        if (got != lines[round * c->size + from])
            return fc_fail(err, FC_ERR_IO, "apply: rank %d sent section %d out of turn", from, (int)got);
        int width = fc_survey_section_width(r->s, kind);
        if (c->recv(c->ctx, from, r->probs, (int64_t)(sizeof(float) * (size_t)r->K * ns * width)))
            return fc_fail(err, FC_ERR_IO, "apply: no probabilities from rank %d", from);
        fc_status st = fc_probs_put(r->pr, kind, got, width, r->probs, err);
        if (st)
            return st;
    }
    return FC_OK;
}

/* Every section of a pass, in rounds: in round q rank R classifies the pass's section q * ranks + R. One process
 * is one rank doing every section in turn. */
static fc_status run_pass(apply_run *r, fc_orientation kind, int *lines, int64_t *mine, fc_error *err)
{
    const fc_comm *c = r->o->comm;
    int P = fc_comm_size(c), R = fc_comm_rank(c);
    int n = pass_lines(r, kind, lines);
    int gather = fc_comm_parallel(c) && r->o->probabilities_path && !(r->both && kind == FC_ORIENTATION_INLINE);
    fc_status st = FC_OK;
    for (int64_t q = 0; q * P < n && !st; q++) {
        int64_t at = q * P + R;
        int line = -1;
        if (at < n && (*mine)++ >= r->skip) { /* skipped: done before the interruption */
            line = lines[at];
            st = fc_apply_section(r, kind, line, err);
        }
        if (!st && gather && at < n)
            st = exchange_probs(r, kind, lines, n, q, line, err);
        if (!st && gather && R == 0) /* the others' sections of the round are safe before they count them done */
            st = fc_probs_flush(r->pr, err);
        if (!st && gather) /* rank 0 has written the round: now it counts as done */
            st = fc_apply_sync_ranks(r, err);
        if (!st && line >= 0) {
            r->done = *mine;
            st = fc_apply_save_state(r, err);
            if (r->o->report.progress)
                r->o->report.progress(r->o->report.ctx, r->done, r->total);
        }
    }
    return st;
}

/* The passes of the run: the 2-D line, or the inline and/or crossline sections. */
static int pass_kinds(const apply_run *r, fc_orientation *kinds)
{
    int nk = 0;
    if (r->in->kind == FC_SURVEY_KIND_2D) {
        kinds[nk++] = FC_ORIENTATION_LINE;
    } else {
        if (r->o->orientations & FC_CUT_INLINE)
            kinds[nk++] = FC_ORIENTATION_INLINE;
        if (r->o->orientations & FC_CUT_CROSSLINE)
            kinds[nk++] = FC_ORIENTATION_CROSSLINE;
    }
    return nk;
}

static int *line_buffer(const apply_run *r)
{
    return malloc(sizeof(int) * (size_t)(r->maxw > 0 ? r->maxw : 1));
}

/* This rank's sections over every pass, into r->total. */
fc_status fc_apply_count_sections(apply_run *r, fc_error *err)
{
    int *lines = line_buffer(r);
    if (!lines)
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory");
    fc_orientation kinds[2];
    int nk = pass_kinds(r, kinds), P = fc_comm_size(r->o->comm), R = fc_comm_rank(r->o->comm);
    r->total = 0;
    for (int k = 0; k < nk; k++) {
        int n = pass_lines(r, kinds[k], lines);
        r->total += n / P + (R < n % P);
    }
    free(lines);
    return FC_OK;
}

fc_status fc_apply_run_sections(apply_run *r, fc_error *err)
{
    const fc_comm *c = r->o->comm;
    fc_orientation kinds[2];
    int nk = pass_kinds(r, kinds);
    int *lines = line_buffer(r);
    if (!lines)
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory");
    fc_status st = FC_OK;
    int64_t mine = 0;
    for (int k = 0; k < nk && !st; k++) {
        st = run_pass(r, kinds[k], lines, &mine, err);
        /* Both orientations: the crossline pass reads what every rank stored in the inline pass. */
        if (!st && fc_comm_parallel(c) && r->both)
            st = fc_apply_sync_ranks(r, err);
    }
    free(lines);
    return st;
}

/* Several ranks: the counts of every rank's sections add up on each. */
void fc_apply_sum_counts(apply_run *r)
{
    const fc_comm *c = r->o->comm;
    int64_t v[2 + FC_MAX_CLASSES];
    v[0] = r->sum->sections;
    v[1] = r->sum->samples;
    memcpy(v + 2, r->sum->class_samples, sizeof(int64_t) * FC_MAX_CLASSES);
    c->sum_i64(c->ctx, v, 2 + FC_MAX_CLASSES);
    r->sum->sections = v[0];
    r->sum->samples = v[1];
    memcpy(r->sum->class_samples, v + 2, sizeof(int64_t) * FC_MAX_CLASSES);
}
