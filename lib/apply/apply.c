/* facies apply: classify every sample of a survey, section by section, densely and exactly. */
#include "facies/apply.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "facies/comm.h"
#include "facies/files.h"
#include "facies/sweep.h"
#include "facies/model.h"
#include "facies/patch.h"
#include "facies/segy_writer.h"
#include "facies/version.h"
#include "apply_members.h"
#include "apply_resample.h"
#include "apply_state.h"
#include "apply_volumes.h"
#include "fail.h"
#include "folder.h"
#include "labels_impl.h"
#include "log_line.h"
#include "plot_section.h"
#include "probs_segy.h"
#include "probs_store.h"
#include "segy_text_build.h"
#include "text_file.h"

fc_apply_options fc_apply_options_default(void)
{
    fc_apply_options o;
    memset(&o, 0, sizeof o);
    o.survey = fc_survey_options_default();
    o.il_min = o.xl_min = INT32_MIN;
    o.il_max = o.xl_max = INT32_MAX;
    o.orientations = FC_CUT_INLINE;
    o.step = 1;
    o.format = FC_SAMPLE_FORMAT_IEEE;
    return o;
}

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

#define say(o, ...) fc_log_line((o)->log, (o)->ctx, __VA_ARGS__)

static int selected(const apply_run *r, int i, int j)
{
    int32_t il = r->in->inline_numbers[i], xl = r->in->crossline_numbers[j];
    return il >= r->o->il_min && il <= r->o->il_max && xl >= r->o->xl_min && xl <= r->o->xl_max;
}

/* Output trace of every input trace: the selected traces keep their input order. */
static fc_status map_traces(apply_run *r, fc_error *err)
{
    int64_t n = r->in->trace_count;
    r->out_index = malloc(sizeof(int64_t) * (size_t)n);
    if (!r->out_index)
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory");
    for (int64_t t = 0; t < n; t++)
        r->out_index[t] = -1;
    for (int i = 0; i < r->in->inline_count; i++)
        for (int j = 0; j < r->in->crossline_count; j++) {
            int64_t t = fc_survey_trace_at(r->s, i, j);
            if (t >= 0 && selected(r, i, j))
                r->out_index[t] = 0;
        }
    int64_t k = 0;
    for (int64_t t = 0; t < n; t++)
        if (r->out_index[t] == 0)
            r->out_index[t] = k++;
        else
            r->out_index[t] = -1;
    r->sum->traces = k;
    if (k == 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "%s: no traces in the chosen lines", r->o->survey_path);
    return FC_OK;
}

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

static float uncertainty(const apply_run *r, const float *p, int stride)
{
    float best = -1.0f, second = -1.0f;
    double h = 0.0;
    for (int c = 0; c < r->K; c++) {
        float v = p[(size_t)c * stride];
        if (v > best) {
            second = best;
            best = v;
        } else if (v > second) {
            second = v;
        }
        if (v > 0.0f)
            h -= v * log(v);
    }
    switch (r->o->uncertainty) {
    case FC_UNCERTAINTY_ENTROPY: return (float)h;
    case FC_UNCERTAINTY_DISAGREEMENT: { /* entropy of the mean minus the mean entropy, kept in plane K */
        double mi = h - p[(size_t)r->K * stride];
        return mi > 0.0 ? (float)mi : 0.0f;
    }
    case FC_UNCERTAINTY_MARGIN: return best - (second < 0 ? 0 : second);
    default: return best;
    }
}

static int in_png_list(const apply_run *r, int32_t number)
{
    for (int i = 0; i < r->npng; i++)
        if (number >= r->png_lines[i][0] && number <= r->png_lines[i][1])
            return 1;
    return 0;
}

/* The sections pictures are drawn of: crosslines when those are the sections written, inlines (or the 2-D line)
 * otherwise; their numbers and the chosen range of them. */
typedef struct picture_axis {
    const char *kind;
    const int32_t *num;
    int count;
    int32_t lo, hi;
} picture_axis;

static picture_axis pictured(const apply_run *r)
{
    const fc_apply_options *o = r->o;
    const fc_survey_info *in = r->in;
    int by_xl = o->orientations != FC_CUT_INLINE && in->kind == FC_SURVEY_KIND_3D;
    picture_axis a = {.kind = by_xl                           ? "crossline"
                              : in->kind == FC_SURVEY_KIND_2D ? "line"
                                                              : "inline",
                      .num = by_xl ? in->crossline_numbers : in->inline_numbers,
                      .count = by_xl ? in->crossline_count : in->inline_count,
                      .lo = by_xl ? o->xl_min : o->il_min,
                      .hi = by_xl ? o->xl_max : o->il_max};
    return a;
}

/* A picture asked for that no section would give is a typo: better refused than a run without it. */
static fc_status check_pictures(const apply_run *r, fc_error *err)
{
    if (r->in->kind == FC_SURVEY_KIND_2D && r->o->npng > 0) /* no number of its own to ask for ("line 0") */
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "--png-lines has no effect on %s: a 2-D line is one section, always drawn whole",
                       r->o->survey_path);
    picture_axis a = pictured(r);
    int32_t first = INT32_MAX, last = INT32_MIN;
    for (int i = 0; i < a.count; i++)
        if (a.num[i] >= a.lo && a.num[i] <= a.hi) {
            first = a.num[i] < first ? a.num[i] : first;
            last = a.num[i] > last ? a.num[i] : last;
        }
    if (first > last)
        return FC_OK; /* nothing chosen at all: map_traces says so */
    for (int p = 0; p < r->o->npng; p++) {
        int32_t lo = r->o->png_lines[p][0], hi = r->o->png_lines[p][1];
        int found = 0;
        for (int i = 0; i < a.count && !found; i++)
            found = a.num[i] >= lo && a.num[i] <= hi && a.num[i] >= a.lo && a.num[i] <= a.hi;
        if (found)
            continue;
        char asked[32];
        snprintf(asked, sizeof asked, lo == hi ? "%d" : "%d:%d", (int)lo, (int)hi);
        return fc_fail(err, FC_ERR_ARGUMENT, "--png-lines %s: no %s %s among the %ss classified, %d..%d of %s", asked,
                       a.kind, asked, a.kind, (int)first, (int)last, r->o->survey_path);
    }
    return FC_OK;
}

/* Pictures asked for, or by default the first, middle and last of the chosen sections. */
static void choose_pictures(apply_run *r)
{
    const fc_apply_options *o = r->o;
    if (o->npng > 0) {
        memcpy(r->png_lines, o->png_lines, sizeof r->png_lines[0] * (size_t)o->npng);
        r->npng = o->npng;
        return;
    }
    picture_axis a = pictured(r);
    const int32_t *num = a.num;
    int count = a.count;
    int32_t lo = a.lo, hi = a.hi;
    int first = -1, last = -1;
    for (int i = 0; i < count; i++)
        if (num[i] >= lo && num[i] <= hi) {
            first = first < 0 ? i : first;
            last = i;
        }
    if (first < 0)
        return;
    int mid = (first + last) / 2;
    int32_t pick[3] = {num[first], num[mid], num[last]};
    for (int i = 0; i < 3; i++)
        if (i == 0 || pick[i] != pick[i - 1]) {
            r->png_lines[r->npng][0] = r->png_lines[r->npng][1] = pick[i];
            r->npng++;
        }
}

static void picture_name_2d(const apply_run *r, char *path, size_t np, char *title, size_t nt)
{
    const char *file = strrchr(r->o->survey_path, '/');
    file = file ? file + 1 : r->o->survey_path;
    size_t stem = strlen(file);
    const char *dot = strrchr(file, '.');
    if (dot && dot != file)
        stem = (size_t)(dot - file);
    int a = (int)r->in->crossline_numbers[0], b = (int)r->in->crossline_numbers[r->in->crossline_count - 1];
    snprintf(path, np, "%s/%.*s_cdp_%d-%d.png", r->o->png_dir, (int)stem, file, a, b);
    snprintf(title, nt, "facies on 2-D line %s (CDP %d..%d)", file, a, b);
}

static void say_removed(void *ctx, const char *path)
{
    const fc_apply_options *o = ctx;
    say(o, "picture: removed the old %s", path);
}

static fc_status picture(apply_run *r, fc_orientation o, int line, int width, int ns, fc_error *err)
{
    const fc_survey_info *in = r->in;
    int32_t number = o == FC_ORIENTATION_CROSSLINE ? in->crossline_numbers[line] : in->inline_numbers[line];
    char path[4600], title[4400];
    const char *kind = o == FC_ORIENTATION_CROSSLINE ? "crossline" : "inline";
    if (o == FC_ORIENTATION_LINE) /* a 2-D line has no number of its own: the file and its CDP range name it */
        picture_name_2d(r, path, sizeof path, title, sizeof title);
    else {
        snprintf(path, sizeof path, "%s/%s_%d.png", r->o->png_dir, kind, (int)number);
        snprintf(title, sizeof title, "facies on %s %d (%s)", kind, (int)number, r->o->survey_path);
    }
    fc_section_picture pic = {.amplitude = r->raw,
                              .class_index = r->cls,
                              .present = r->present,
                              .width = width,
                              .ns = ns,
                              .classes = &r->meta.classes,
                              .x_numbers = o == FC_ORIENTATION_CROSSLINE ? in->inline_numbers : in->crossline_numbers,
                              .x_label = o == FC_ORIENTATION_CROSSLINE ? "inline"
                                         : o == FC_ORIENTATION_LINE    ? "CDP"
                                                                       : "crossline",
                              .title = title,
                              .t0_ms = in->start_time_ms,
                              .dt_ms = in->sample_interval_ms,
                              .clip = r->sum->scale};
    fc_status st = fc_plot_section(path, &pic, err);
    if (!st)
        say(r->o, "picture: %s", path);
    return st;
}

/* Both orientations, first pass: keep an inline section's probabilities for the crossline pass. */
static fc_status store_inline(apply_run *r, int line, int width, int ns, fc_error *err)
{
    int K = r->KS, n_il = r->in->inline_count; /* disagreement: the mean entropy rides along as a class */
    size_t block = (size_t)ns * K;
    for (int t = 0; t < width; t++) {
        for (int k = 0; k < ns; k++)
            for (int c = 0; c < K; c++)
                r->column[(size_t)k * K + c] = r->probs[((size_t)c * ns + k) * width + t];
        off_t at = (off_t)(((size_t)t * n_il + (size_t)line) * block * sizeof(float));
        if (fseeko(r->inline_probs, at, SEEK_SET) != 0 ||
            fwrite(r->column, sizeof(float), block, r->inline_probs) != block)
            return fc_fail(err, FC_ERR_IO, "%s: write failed (disk full?)", r->inline_probs_path);
    }
    return FC_OK;
}

/* Both orientations, second pass: average a crossline section with the stored inline probabilities. */
static fc_status average_crossline(apply_run *r, int line, int width, int ns, fc_error *err)
{
    int K = r->KS;
    size_t n = (size_t)width * ns * K;
    if (fflush(r->inline_probs) != 0 ||
        fseeko(r->inline_probs, (off_t)((size_t)line * n * sizeof(float)), SEEK_SET) != 0 ||
        fread(r->column, sizeof(float), n, r->inline_probs) != n)
        return fc_fail(err, FC_ERR_IO, "%s: read failed", r->inline_probs_path);
    for (int t = 0; t < width; t++) {
        float stored = 0.0f; /* zero: the inline pass did not classify this inline (outside --lines) */
        for (int c = 0; c < r->K; c++)
            stored += r->column[(size_t)t * ns * K + c];
        if (stored == 0.0f)
            continue;
        for (int k = 0; k < ns; k++)
            for (int c = 0; c < K; c++) {
                float *p = r->probs + ((size_t)c * ns + k) * width + t;
                *p = 0.5f * (*p + r->column[((size_t)t * ns + k) * K + c]);
            }
    }
    return FC_OK;
}

static fc_status section(apply_run *r, fc_orientation o, int line, fc_error *err)
{
    const fc_survey_info *in = r->in;
    int width = fc_survey_section_width(r->s, o), ns = in->sample_count;
    int nsm = r->grid.nsm; /* the samples the network sees: ns, or the model's grid with --resample */
    fc_status st = fc_volume_set_section(r->vs, o, line, r->raw, r->present,
                                         r->grid.rs ? fc_apply_volumes_resampled : NULL, &r->grid, r->planes, err);
    if (!st)
        st = fc_apply_members_run(&r->m, r->planes, width, nsm, r->probs, err);
    if (st)
        return st;
    if (r->both && o == FC_ORIENTATION_INLINE) {
        r->sum->sections++;
        return store_inline(r, line, width, nsm, err);
    }
    if (r->both && (st = average_crossline(r, line, width, nsm, err)))
        return st;
    if (r->grid.rs) { /* back on the survey's samples: classes from the nearest model sample, probabilities linear */
        fc_apply_grid_back(&r->grid, r->probs, width, r->K, r->cls);
        memcpy(r->probs, r->grid.probs, sizeof(float) * (size_t)r->K * ns * width);
    }
    size_t stride = (size_t)ns * width;
    for (int t = 0; t < width && !st; t++) {
        int i = o == FC_ORIENTATION_CROSSLINE ? t : o == FC_ORIENTATION_LINE ? 0 : line;
        int j = o == FC_ORIENTATION_CROSSLINE ? line : t;
        int64_t trace = fc_survey_trace_at(r->s, i, j);
        for (int k = 0; k < ns; k++) {
            const float *p = r->probs + (size_t)k * width + t;
            int best = r->grid.rs ? r->cls[(size_t)t * ns + k] : 0; /* resampled: chosen on the model's grid */
            for (int c = 1; c < r->K && !r->grid.rs; c++)
                if (p[(size_t)c * stride] > p[(size_t)best * stride])
                    best = c;
            r->cls[(size_t)t * ns + k] = best;
            r->codes[k] = (float)r->meta.classes.c[best].code;
            if (r->wc)
                r->conf[k] = uncertainty(r, p, (int)stride);
            if (trace >= 0 && r->out_index[trace] >= 0)
                r->sum->class_samples[best]++;
        }
        if (trace < 0 || r->out_index[trace] < 0)
            continue;
        unsigned char th[240];
        st = fc_survey_read_trace_header(r->s, trace, th, err);
        if (!st)
            st = fc_segy_writer_put(r->wf, r->out_index[trace], th, r->codes, err);
        if (!st && r->wc)
            st = fc_segy_writer_put(r->wc, r->out_index[trace], th, r->conf, err);
        if (!st && r->ps)
            st = fc_probs_segy_put(r->ps, r->out_index[trace], th, r->probs + t, stride, (size_t)width, err);
        r->sum->samples += ns;
    }
    if (!st && r->pr)
        st = fc_probs_put(r->pr, o, line, width, r->probs, err);
    if (!st && r->o->png_dir) {
        int32_t number = o == FC_ORIENTATION_CROSSLINE ? in->crossline_numbers[line] : in->inline_numbers[line];
        if (in_png_list(r, number))
            st = picture(r, o, line, width, ns, err);
    }
    r->sum->sections++;
    return st;
}

static fc_status save_state(apply_run *r, fc_error *err)
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

/* Several ranks: wait until every rank is here. */
static fc_status sync_ranks(const apply_run *r, fc_error *err)
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
            st = section(r, kind, line, err);
        }
        if (!st && gather && at < n)
            st = exchange_probs(r, kind, lines, n, q, line, err);
        if (!st && gather && R == 0) /* the others' sections of the round are safe before they count them done */
            st = fc_probs_flush(r->pr, err);
        if (!st && gather) /* rank 0 has written the round: now it counts as done */
            st = sync_ranks(r, err);
        if (!st && line >= 0) {
            r->done = *mine;
            st = save_state(r, err);
            if (r->o->progress)
                r->o->progress(r->o->ctx, r->done, r->total);
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
static fc_status count_sections(apply_run *r, fc_error *err)
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

static fc_status run_sections(apply_run *r, fc_error *err)
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
            st = sync_ranks(r, err);
    }
    free(lines);
    return st;
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
    snprintf(r->inline_probs_path, sizeof r->inline_probs_path, "%s.partial.inline-probabilities", r->o->out_path);
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
static fc_status open_outputs(apply_run *r, int resuming, fc_error *err)
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
        st = sync_ranks(r, err);
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

static fc_status prepare(apply_run *r, fc_error *err)
{
    const fc_apply_options *o = r->o;
    if (o->uncertainty == FC_UNCERTAINTY_DISAGREEMENT && o->resample)
        return fc_fail(err, FC_ERR_ARGUMENT, "apply: the disagreement of an ensemble is not measured with --resample");
    fc_status st = fc_apply_members_open(&r->m, o, &r->meta, err);
    if (st)
        return st;
    r->K = r->meta.classes.count;
    r->KS = fc_apply_members_planes(&r->m);
    r->maxw = r->in->inline_count > r->in->crossline_count ? r->in->inline_count : r->in->crossline_count;
    double survey_dt = r->in->sample_interval_ms;
    if (r->in->interval_source == FC_INTERVAL_ASSUMED && r->meta.sample_interval_ms > 0.0) {
        if (o->resample)
            return fc_fail(err, FC_ERR_MISMATCH,
                           "%s: records no sample interval (binary header bytes 3217-3218 and trace bytes 117-118 "
                           "are 0), so --resample cannot tell what to resample from; write the interval into its "
                           "binary header",
                           o->survey_path);
        say(o, "warning: %s records no sample interval (bytes 3217-3218, 117-118): taken to be the model's %g ms",
            o->survey_path, r->meta.sample_interval_ms);
        survey_dt = r->meta.sample_interval_ms;
    }
    char note[256];
    st = fc_apply_grid_open(&r->grid, o->resample, o->model_path, r->meta.sample_interval_ms, o->survey_path, survey_dt,
                            r->in->sample_count, r->maxw, r->K, note, sizeof note, err);
    if (st)
        return st;
    if (note[0])
        say(o, "%s", note);
    int ns = r->in->sample_count, nsm = r->grid.nsm, nsx = ns > nsm ? ns : nsm;
    st = fc_apply_volumes_open(&r->vs, r->s, o, &r->meta, nsm, &r->sum->scale, err);
    if (st)
        return st;
    choose_pictures(r);
    r->sum->exact = r->m.exact && o->step <= 1 && !r->grid.rs; /* resampled: interpolated back */
    if (!r->m.exact)
        say(o, "warning: the network pads with zeros inside the patch ('same'); dense apply is an approximation of "
               "patch-by-patch classification, computed with the direct method");
    size_t sec = (size_t)r->maxw * ns, C = (size_t)r->meta.in_c;
    r->raw = malloc(sizeof(float) * sec);
    r->planes = malloc(sizeof(float) * (size_t)r->maxw * nsm * C);
    r->probs = malloc(sizeof(float) * (size_t)r->maxw * nsx * (size_t)r->KS);
    r->cls = malloc(sizeof(int32_t) * sec);
    r->codes = malloc(sizeof(float) * (size_t)ns);
    r->conf = malloc(sizeof(float) * (size_t)ns);
    r->present = malloc((size_t)r->maxw);
    if (!r->raw || !r->planes || !r->probs || !r->cls || !r->codes || !r->conf || !r->present)
        return fc_fail(err, FC_ERR_NOMEM, "apply: out of memory for sections of %d x %d", r->maxw, ns);
    st = fc_apply_members_reserve(&r->m, r->maxw, nsm, err);
    if (!st)
        st = map_traces(r, err);
    if (!st)
        fc_apply_members_say(&r->m, o);
    return st;
}

/* Several ranks: the counts of every rank's sections add up on each. */
static void sum_counts(apply_run *r)
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

static fc_status commit(apply_run *r, fc_error *err)
{
    const fc_comm *c = r->o->comm;
    fc_status st = FC_OK;
    if (fc_comm_parallel(c)) {
        sum_counts(r);
        if (c->rank != 0) {
            st = fc_segy_writer_close_shared(r->wf, err);
            if (!st && r->wc)
                st = fc_segy_writer_close_shared(r->wc, err);
            if (!st && r->ps)
                st = fc_probs_segy_close_shared(r->ps, err);
        }
        if (!st) /* every rank's traces are in the files */
            st = sync_ranks(r, err);
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
        snprintf(csv, sizeof csv, "%s.classes.csv", r->o->out_path);
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

/* Resume only when every rank has a state from a run with as many ranks; returns the sections to skip here
 * (0: start from the beginning). */
static fc_status resume_point(apply_run *r, int *resuming, fc_error *err)
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

fc_status fc_apply(const fc_apply_options *o, fc_apply_summary *summary, fc_error *err)
{
    if (o->step < 1 || o->step > 1000 || !o->model_path || !o->survey_path || !o->out_path)
        return fc_fail(err, FC_ERR_ARGUMENT, "apply: a model, a survey, an output and a step of 1..1000 are needed");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    apply_run r;
    memset(&r, 0, sizeof r);
    fc_apply_summary sum;
    memset(&sum, 0, sizeof sum);
    r.o = o;
    r.sum = &sum;
    if (fc_comm_parallel(o->comm)) /* each rank remembers its own sections */
        snprintf(r.state_path, sizeof r.state_path, "%s.partial.state.%d", o->out_path, o->comm->rank);
    else
        snprintf(r.state_path, sizeof r.state_path, "%s.partial.state", o->out_path);
    fc_status st = fc_survey_open(&r.s, o->survey_path, &o->survey, err);
    if (!st) {
        r.in = fc_survey_get_info(r.s);
        st = fc_lines_on_2d(r.in, o->survey_path, o->il_min, o->il_max, err);
    }
    if (!st) {
        st = check_pictures(&r, err);
    }
    if (!st)
        st = prepare(&r, err);
    if (!st)
        st = count_sections(&r, err);
    int resuming = 0;
    if (!st && o->resume)
        st = resume_point(&r, &resuming, err);
    r.both = !st && o->orientations == (FC_CUT_INLINE | FC_CUT_CROSSLINE) && r.in->kind == FC_SURVEY_KIND_3D;
    if (!st && o->png_dir)
        st = fc_folder_make(o->png_dir, err);
    /* A new run's pictures replace the last run's: none of those is left to pass for this run's. */
    if (!st && o->png_dir && !resuming && fc_comm_rank(o->comm) == 0)
        st = fc_section_pictures_prune(o->png_dir, say_removed, (void *)o, err);
    int touched = !st; /* from here a failure leaves nothing worth resuming */
    if (!st)
        st = open_outputs(&r, resuming, err);
    if (!st && fc_comm_parallel(o->comm) && !resuming) /* a run killed before this rank's first section resumes */
        st = save_state(&r, err);
    if (!st)
        st = run_sections(&r, err);
    if (!st)
        st = commit(&r, err);
    if (st && touched)
        remove(r.state_path); /* failed outputs are removed below: nothing left to resume */
    if (r.inline_probs) {
        fclose(r.inline_probs);
        if (fc_comm_rank(o->comm) == 0)
            remove(r.inline_probs_path);
    }
    free(r.column);
    fc_segy_writer_destroy(r.wf);
    fc_segy_writer_destroy(r.wc);
    fc_probs_destroy(r.pr, 0);
    fc_probs_segy_destroy(r.ps);
    fc_volume_set_close(r.vs);
    fc_apply_members_free(&r.m);
    fc_survey_close(r.s);
    free(r.raw);
    free(r.planes);
    free(r.probs);
    free(r.cls);
    free(r.codes);
    free(r.conf);
    free(r.present);
    free(r.out_index);
    fc_apply_grid_free(&r.grid);
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sum.seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    sum.nclasses = r.meta.classes.count;
    for (int c = 0; c < sum.nclasses; c++)
        sum.class_code[c] = r.meta.classes.c[c].code;
    if (!st && summary)
        *summary = sum;
    return st;
}
