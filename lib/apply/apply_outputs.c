/* The outputs of an apply run: their textual headers, their creation (or reopening to resume), and the commit
 * that publishes them together. */
#include "apply_outputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facies/files.h"
#include "facies/version.h"
#include "apply_ranks.h"
#include "fail.h"
#include "folder.h"
#include "labels_impl.h"
#include "probs_segy.h"
#include "probs_store.h"
#include "segy_text_build.h"
#include "text_file.h"

/* Facies' own lines first (program, model, survey, legend), then the input survey's own header as far as it fits:
 * the legend is read back by eval, the input's lines keep telling where the data came from. */
static void text_header(const apply_run *r, const char *what, const fc_class_info *cls, char *text)
{
    fc_text_lines t;
    memset(&t, 0, sizeof t);
    char hash[17] = "", line[160];
    fc_file_hash(r->o->model_path, hash, NULL);
    snprintf(line, sizeof line, "%s: %s", FC_VERSION, what);
    fc_text_add(&t, "FACIES", line);
    if (cls) { /* a probability SEG-Y: whose probability its samples are */
        snprintf(line, sizeof line, "%d %s", (int)cls->code, cls->name);
        fc_text_add(&t, "PROBABILITY OF CLASS", line);
    }
    fc_text_add(&t, "MODEL", r->o->model_path);
    fc_text_add(&t, "MODEL FNV1A64", hash);
    for (int i = 0; i < r->o->nmembers; i++)
        fc_text_add(&t, "ENSEMBLE MODEL", r->o->member_paths[i]);
    if (r->o->tta_flip)
        fc_text_add(&t, "TEST-TIME AUGMENTATION", "LEFT-RIGHT FLIP, PROBABILITIES AVERAGED");
    if (r->meta.temperature > 0.0) {
        snprintf(line, sizeof line, "%.4f%s", r->meta.temperature, r->o->no_calibration ? " NOT USED" : "");
        fc_text_add(&t, "CALIBRATION TEMPERATURE", line);
    }
    fc_text_add(&t, "SPEC", r->meta.spec);
    fc_text_add(&t, "SURVEY", r->o->survey_path);
    /* Not the output's own name: a file must not depend on what it is called (MPI runs compare outputs). */
    fc_text_add(&t, "LEGEND",
                cls ? "CLASS CODE COLOUR NAME" : "CLASS CODE COLOUR NAME, ALSO IN <THIS FILE>.classes.csv");
    fc_text_add_legend(&t, &r->meta.classes, 0, cls ? "the model" : "<THIS FILE>.classes.csv");
    fc_text_add_header(&t, fc_survey_text_header(r->s));
    fc_text_finish(&t, text);
}

/* Several ranks, new run: the facies (and confidence) SEG-Y get every header and their full size before any rank
 * writes a trace. */
static fc_status prefill(apply_run *r, fc_segy_writer *w, fc_error *err)
{
    fc_status st = FC_OK;
    unsigned char th[240];
    for (int64_t t = 0; t < r->in->trace_count && !st; t++)
        if (r->out_index[t] >= 0) {
            st = fc_survey_read_trace_header(r->s, t, th, err);
            if (!st)
                st = fc_segy_writer_put_header(w, r->out_index[t], th, err);
        }
    return st ? st : fc_segy_writer_reserve(w, r->sum->traces, err);
}

/* --probabilities-segy: class c's textual header, the facies SEG-Y's naming the class. */
static void class_text(void *ctx, int c, char text[3201])
{
    const apply_run *r = ctx;
    text_header(r, "CLASS PROBABILITY, SAMPLE VALUE = PROBABILITY (0..1)", &r->meta.classes.c[c], text);
}

static fc_status create_probs_segy(apply_run *r, fc_error *err)
{
    fc_status st =
        fc_probs_segy_create(&r->ps, r->o->probabilities_segy_dir, r->s, &r->meta.classes, class_text, r, err);
    for (int c = 0; c < r->K && !st && fc_comm_parallel(r->o->comm); c++)
        st = prefill(r, fc_probs_segy_writer(r->ps, c), err);
    return st;
}

static fc_status create_segy(apply_run *r, fc_error *err)
{
    const fc_apply_options *o = r->o;
    char text[3201];
    text_header(r, "FACIES CLASSIFICATION, SAMPLE VALUE = FACIES CODE", NULL, text);
    fc_status st = fc_segy_writer_open_like(&r->wf, o->out_path, r->s, o->format, text, err);
    if (!st && o->confidence_path) {
        static const char *const what[4] = {"CONFIDENCE, SAMPLE VALUE = TOP-1 PROBABILITY",
                                            "UNCERTAINTY, SAMPLE VALUE = ENTROPY OF THE PROBABILITIES (NATS)",
                                            "CONFIDENCE, SAMPLE VALUE = TOP-1 MINUS TOP-2 PROBABILITY",
                                            "UNCERTAINTY, SAMPLE VALUE = MODELS' MUTUAL INFORMATION (NATS)"};
        text_header(r, what[o->uncertainty], NULL, text);
        st = fc_segy_writer_open_like(&r->wc, o->confidence_path, r->s, FC_SAMPLE_FORMAT_IEEE, text, err);
    }
    if (!st && fc_comm_parallel(o->comm))
        st = prefill(r, r->wf, err);
    if (!st && fc_comm_parallel(o->comm) && r->wc)
        st = prefill(r, r->wc, err);
    if (!st && o->probabilities_segy_dir)
        st = create_probs_segy(r, err);
    return st;
}

static fc_status open_probs(apply_run *r, int resuming, fc_error *err)
{
    const fc_apply_options *o = r->o;
    fc_probs_shape ps = {.n_il = r->in->inline_count,
                         .n_xl = r->in->crossline_count,
                         .ns = r->in->sample_count,
                         .classes = r->K,
                         .u8 = o->probabilities_u8,
                         .chunk_orientation = o->orientations == FC_CUT_INLINE || r->in->kind == FC_SURVEY_KIND_2D
                                                  ? FC_ORIENTATION_INLINE
                                                  : FC_ORIENTATION_CROSSLINE,
                         .il_numbers = r->in->inline_numbers,
                         .xl_numbers = r->in->crossline_numbers,
                         .classes_info = &r->meta.classes,
                         .dt_ms = r->in->sample_interval_ms,
                         .t0_ms = r->in->start_time_ms,
                         .model = o->model_path,
                         .survey = o->survey_path};
    return fc_probs_open(&r->pr, o->probabilities_path, &ps, resuming, err);
}

/* The inline pass's probabilities wait on disk for the crossline pass: memory stays at a few sections. */
static fc_status open_inline_store(apply_run *r, int create, fc_error *err)
{
    fc_status st = fc_path_format(r->inline_probs_path, sizeof r->inline_probs_path, err,
                                  "%s.partial.inline-probabilities", r->o->out_path);
    if (st)
        return st;
    if (create)
        fc_partial_unlink(r->inline_probs_path);
    r->inline_probs = fopen(r->inline_probs_path, create ? "w+b" : "r+b");
    r->column = malloc(sizeof(float) * (size_t)r->maxw * r->grid.nsm * (size_t)r->KS);
    /* Full size from the start, zeros where no inline was classified (--lines): every crossline reads whole. The
     * samples are the network's (the model's grid with --resample). */
    off_t size = (off_t)sizeof(float) * r->in->inline_count * r->in->crossline_count * r->grid.nsm * r->KS;
    if (!r->column)
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory for the crossline pass");
    if (!r->inline_probs || (create && ftruncate(fileno(r->inline_probs), size) != 0))
        return fc_fail(err, FC_ERR_IO, "%s: cannot %s the inline pass's probabilities", r->inline_probs_path,
                       create ? "create" : "reopen");
    return FC_OK;
}

/* One process, or rank 0 of several, creates the outputs (or reopens them to resume); the other ranks open
 * the same SEG-Y files once they exist and write their traces into them. Only rank 0 holds the probabilities. */
fc_status fc_apply_open_outputs(apply_run *r, int resuming, fc_error *err)
{
    const fc_apply_options *o = r->o;
    const fc_comm *c = o->comm;
    int root = fc_comm_rank(c) == 0;
    fc_status st = FC_OK;
    if (root && !resuming)
        st = create_segy(r, err);
    if (!st && root && !resuming && r->both)
        st = open_inline_store(r, 1, err);
    if (!st && fc_comm_parallel(c))
        st = fc_apply_sync_ranks(r, err);
    if (!st && (resuming || !root)) {
        st = fc_segy_writer_resume(&r->wf, o->out_path, r->s, o->format, err);
        if (!st && o->confidence_path)
            st = fc_segy_writer_resume(&r->wc, o->confidence_path, r->s, FC_SAMPLE_FORMAT_IEEE, err);
        if (!st && r->both)
            st = open_inline_store(r, 0, err);
        if (!st && o->probabilities_segy_dir)
            st = fc_probs_segy_resume(&r->ps, o->probabilities_segy_dir, r->s, &r->meta.classes, err);
    }
    if (!st && root && o->probabilities_path)
        st = open_probs(r, resuming, err);
    return st;
}

fc_status fc_apply_commit(apply_run *r, fc_error *err)
{
    const fc_comm *c = r->o->comm;
    fc_status st = FC_OK;
    if (fc_comm_parallel(c)) {
        fc_apply_sum_counts(r);
        if (c->rank != 0) {
            st = fc_segy_writer_close_shared(r->wf, err);
            if (!st && r->wc)
                st = fc_segy_writer_close_shared(r->wc, err);
            if (!st && r->ps)
                st = fc_probs_segy_close_shared(r->ps, err);
        }
        if (!st) /* every rank's traces are in the files */
            st = fc_apply_sync_ranks(r, err);
        if (!st && c->rank != 0) {
            remove(r->state_path);
            return st;
        }
    }
    /* Rank 0 alone is here. Every output is closed and synced before any replaces an old file, so a failure
     * (disk full) leaves all the old outputs as they were; the legend beside the facies SEG-Y (for interpretation
     * packages) is written under its temporary name first, so that nothing but a rename can fail after that. */
    fc_text_file legend;
    memset(&legend, 0, sizeof legend);
    if (!st)
        st = fc_segy_writer_finish(r->wf, err);
    if (!st && r->wc)
        st = fc_segy_writer_finish(r->wc, err);
    if (!st && r->pr)
        st = fc_probs_finish(r->pr, err);
    if (!st && r->ps)
        st = fc_probs_segy_finish(r->ps, err);
    if (!st) {
        char csv[4200];
        st = fc_path_format(csv, sizeof csv, err, "%s.classes.csv", r->o->out_path);
        if (!st)
            st = fc_classes_write_begin(&r->meta.classes, csv, &legend, err);
    }
    if (!st)
        st = fc_segy_writer_publish(r->wf, err);
    if (!st)
        st = fc_text_file_commit(&legend, err);
    fc_text_file_abort(&legend);
    if (!st && r->wc)
        st = fc_segy_writer_publish(r->wc, err);
    if (!st && r->pr)
        st = fc_probs_publish(r->pr, err);
    if (!st && r->ps)
        st = fc_probs_segy_publish(r->ps, err);
    remove(r->state_path); /* done, or the temporary files are gone with the failure: nothing to resume */
    return st;
}
