/* Where to label next: lines ranked by mean uncertainty, away from labelled lines. */
#include "facies/suggest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "facies/calibration.h"
#include "facies/model.h"
#include "facies/patches.h"
#include "fail.h"
#include "suggest_impl.h"
#include "text_file.h"

fc_suggest_rule fc_suggest_rule_default(void)
{
    return (fc_suggest_rule){.min_distance = 3, .by_disagreement = 0, .labelled_fraction = 0.1};
}

void fc_suggest_mark_labelled(fc_suggest_line *lines, int n, const fc_suggest_rule *r)
{
    for (int q = 0; q < n; q++) {
        const fc_suggest_line *l = &lines[q];
        lines[q].labelled = l->labelled_traces > 0 && l->labelled_traces >= r->labelled_fraction * l->traces;
    }
}

static double score(const fc_suggest_line *l, int by_disagreement)
{
    return by_disagreement ? l->mean_disagreement : l->mean_entropy;
}

/* Whether a candidate lies within `d` lines of an excluding line (labelled or chosen) of its orientation. */
static int too_close(const fc_suggest_line *lines, const int *excl, int nexcl, const fc_suggest_line *c, int d)
{
    for (int e = 0; e < nexcl; e++) {
        const fc_suggest_line *x = &lines[excl[e]];
        if (x->orientation == c->orientation && abs(x->index - c->index) < d)
            return 1;
    }
    return 0;
}

int fc_suggest_rank(const fc_suggest_line *lines, int n, const fc_suggest_rule *r, int *order)
{
    int d = r->min_distance < 1 ? 1 : r->min_distance;
    int *excl = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    char *used = calloc((size_t)(n > 0 ? n : 1), 1);
    if (!excl || !used) {
        free(excl);
        free(used);
        return -1;
    }
    int nexcl = 0, chosen = 0;
    for (int q = 0; q < n; q++)
        if (lines[q].labelled) {
            excl[nexcl++] = q;
            used[q] = 1;
        }
    /* Greedy: the best line left that keeps its distance, until none does. O(n^2) over a few thousand lines. */
    for (;;) {
        int best = -1;
        for (int q = 0; q < n; q++) {
            if (used[q] || lines[q].samples == 0)
                continue;
            if (best >= 0 && score(&lines[q], r->by_disagreement) <= score(&lines[best], r->by_disagreement))
                continue;
            best = q;
        }
        if (best < 0)
            break;
        used[best] = 1;
        if (too_close(lines, excl, nexcl, &lines[best], d))
            continue;
        excl[nexcl++] = best;
        order[chosen++] = best;
    }
    free(excl);
    free(used);
    return chosen;
}

fc_status fc_suggest_open(fc_suggest **out, const char *probabilities_path, fc_error *err)
{
    fc_suggest *s = calloc(1, sizeof *s);
    if (!s)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", probabilities_path);
    fc_status st = fc_probs_reader_open(&s->reader, probabilities_path, err);
    if (!st) {
        const fc_probs_info *pi = fc_probs_reader_info(s->reader);
        s->info = (fc_suggest_info){.n_il = pi->n_il,
                                    .n_xl = pi->n_xl,
                                    .ns = pi->ns,
                                    .classes = pi->classes,
                                    .il_numbers = pi->il_numbers,
                                    .xl_numbers = pi->xl_numbers,
                                    .dt_ms = pi->dt_ms,
                                    .t0_ms = pi->t0_ms,
                                    .model = pi->model,
                                    .survey = pi->survey};
        s->chunk_crossline = pi->chunk_crossline;
        s->path = strdup(probabilities_path);
        s->labelled = calloc((size_t)pi->n_il * (size_t)pi->n_xl, 1);
        s->trace = malloc(sizeof(float) * (size_t)pi->ns * (size_t)pi->classes);
        s->other = malloc(sizeof(float) * (size_t)pi->ns);
        if (!s->path || !s->labelled || !s->trace || !s->other)
            st = fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", probabilities_path);
    }
    if (st) {
        fc_suggest_close(s);
        return st;
    }
    *out = s;
    return FC_OK;
}

void fc_suggest_close(fc_suggest *s)
{
    if (!s)
        return;
    fc_probs_reader_close(s->reader);
    free(s->path);
    free(s->labelled);
    free(s->trace);
    free(s->other);
    free(s->lines);
    free(s);
}

const fc_suggest_info *fc_suggest_get_info(const fc_suggest *s)
{
    return &s->info;
}

int fc_suggest_find(const int32_t *numbers, int n, int32_t v)
{
    for (int q = 0; q < n; q++)
        if (numbers[q] == v)
            return q;
    return -1;
}

void fc_suggest_label_trace(fc_suggest *s, int32_t inline_number, int32_t crossline_number)
{
    int i = fc_suggest_find(s->info.il_numbers, s->info.n_il, inline_number);
    int j = fc_suggest_find(s->info.xl_numbers, s->info.n_xl, crossline_number);
    if (i >= 0 && j >= 0)
        s->labelled[(size_t)i * (size_t)s->info.n_xl + (size_t)j] = 1;
}

void fc_suggest_label_points(fc_suggest *s, const fc_survey *sv, const fc_label_point *p, int64_t n)
{
    const fc_survey_info *si = fc_survey_get_info(sv);
    for (int64_t q = 0; q < n; q++) {
        if (q > 0 && p[q].i == p[q - 1].i && p[q].j == p[q - 1].j)
            continue; /* sorted by (i, j, k): one trace's samples follow each other */
        fc_suggest_label_trace(s, si->inline_numbers[p[q].i], si->crossline_numbers[p[q].j]);
    }
}

fc_status fc_suggest_label_patches(fc_suggest *s, const char *patches_path, fc_error *err)
{
    fc_patches *p = NULL;
    fc_status st = fc_patches_open(&p, patches_path, err);
    if (st)
        return st;
    enum { CHUNK = 4096 };
    int32_t *pos = malloc(sizeof(int32_t) * 4 * CHUNK);
    int64_t n = fc_patches_count(p);
    if (!pos)
        st = fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", patches_path);
    for (int64_t at = 0; !st && at < n; at += CHUNK) {
        int64_t count = n - at < CHUNK ? n - at : CHUNK;
        st = fc_patches_read(p, at, count, NULL, NULL, pos, err);
        for (int64_t q = 0; !st && q < count; q++)
            fc_suggest_label_trace(s, pos[4 * q + 1], pos[4 * q + 2]);
    }
    free(pos);
    fc_patches_close(p);
    return st;
}

fc_status fc_suggest_model_patches(const char *model_path, char *path, size_t n, fc_error *err)
{
    fc_model_meta *meta = calloc(1, sizeof *meta);
    fc_net *net = NULL;
    if (!meta)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", model_path);
    fc_status st = fc_model_load(model_path, 1, 1, &net, meta, NULL, err);
    fc_net_destroy(net);
    const char *p = st ? NULL : meta->data_provenance;
    const char *end = p && !strncmp(p, "patches ", 8) ? strstr(p, " (") : NULL;
    if (!st && (!end || (size_t)(end - p - 8) >= n))
        st = fc_fail(err, FC_ERR_FORMAT, "%s: the model's provenance names no patch dataset", model_path);
    if (!st) {
        memcpy(path, p + 8, (size_t)(end - p - 8));
        path[end - p - 8] = '\0';
    }
    free(meta);
    return st;
}

/* One trace's contribution to its inline and crossline. */
static void add_trace(fc_suggest *s, int i, int j, const float *dis, double threshold)
{
    const fc_suggest_info *in = &s->info;
    double h = 0, d = 0, norm = log((double)in->classes);
    int64_t above = 0, used = 0;
    for (int k = 0; k < in->ns; k++) {
        const float *p = s->trace + (size_t)k * (size_t)in->classes;
        double sum = 0;
        for (int c = 0; c < in->classes; c++)
            sum += p[c];
        if (sum < 0.5) /* a sample apply did not write */
            continue;
        double e = fc_entropy(p, in->classes, 1), u = dis ? dis[k] : e;
        h += e;
        d += dis ? dis[k] : 0;
        above += u / norm > threshold;
        used++;
    }
    fc_suggest_line *li = &s->lines[i];
    fc_suggest_line *lx = s->nlines > in->n_il ? &s->lines[in->n_il + j] : NULL;
    for (fc_suggest_line *l = li; l; l = l == li ? lx : NULL) {
        l->samples += used;
        l->mean_entropy += h;
        l->mean_disagreement += d;
        l->fraction_above += (double)above;
    }
}

static fc_status make_lines(fc_suggest *s, fc_error *err)
{
    const fc_suggest_info *in = &s->info;
    s->nlines = in->n_il + (in->n_il > 1 ? in->n_xl : 0);
    s->lines = calloc((size_t)s->nlines, sizeof *s->lines);
    if (!s->lines)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", s->path);
    for (int q = 0; q < s->nlines; q++) {
        fc_suggest_line *l = &s->lines[q];
        int il = q < in->n_il;
        l->orientation = il ? FC_ORIENTATION_INLINE : FC_ORIENTATION_CROSSLINE;
        l->index = il ? q : q - in->n_il;
        l->number = il ? in->il_numbers[l->index] : in->xl_numbers[l->index];
        l->traces = il ? in->n_xl : in->n_il;
    }
    return FC_OK;
}

/* Each labelled trace belongs to the line, of the two crossing there, that holds labels on the larger fraction of
 * its traces (to both on a tie): labels on two inlines touch every crossline once each, which does not make the
 * crosslines labelled; a fully labelled volume labels both. */
static fc_status attribute_labels(fc_suggest *s, fc_error *err)
{
    const fc_suggest_info *in = &s->info;
    int crosslines = s->nlines > in->n_il;
    int64_t *count = calloc((size_t)s->nlines, sizeof *count); /* labelled traces of each line */
    if (!count)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", s->path);
    for (int i = 0; i < in->n_il; i++)
        for (int j = 0; j < in->n_xl; j++)
            if (s->labelled[(size_t)i * (size_t)in->n_xl + (size_t)j]) {
                count[i]++;
                if (crosslines)
                    count[in->n_il + j]++;
            }
    for (int i = 0; i < in->n_il; i++)
        for (int j = 0; j < in->n_xl; j++) {
            if (!s->labelled[(size_t)i * (size_t)in->n_xl + (size_t)j])
                continue;
            /* Fractions count_i / n_xl against count_j / n_il, compared exactly. */
            int64_t fi = count[i] * in->n_il, fx = crosslines ? count[in->n_il + j] * in->n_xl : 0;
            s->lines[i].labelled_traces += fi >= fx;
            if (crosslines)
                s->lines[in->n_il + j].labelled_traces += fx >= fi;
        }
    free(count);
    return FC_OK;
}

fc_status fc_suggest_measure(fc_suggest *s, fc_survey *disagreement, double threshold, fc_suggest_line **lines, int *n,
                             fc_error *err)
{
    const fc_suggest_info *in = &s->info;
    free(s->lines);
    fc_status st = make_lines(s, err);
    if (!st && disagreement)
        st = fc_suggest_check_other(s, disagreement, err);
    /* In the file's chunk order: each chunk (a section) is read once. */
    int by_xl = s->chunk_crossline, outer = by_xl ? in->n_xl : in->n_il, inner = by_xl ? in->n_il : in->n_xl;
    for (int a = 0; !st && a < outer; a++)
        for (int b = 0; !st && b < inner; b++) {
            int i = by_xl ? b : a, j = by_xl ? a : b, has = 1;
            st = fc_probs_reader_trace(s->reader, i, j, s->trace, err);
            if (!st && disagreement)
                st = fc_suggest_read_other(s, disagreement, i, j, s->other, &has, err);
            if (!st && has)
                add_trace(s, i, j, disagreement ? s->other : NULL, threshold);
        }
    if (!st)
        st = attribute_labels(s, err);
    if (st)
        return st;
    for (int q = 0; q < s->nlines; q++) {
        fc_suggest_line *l = &s->lines[q];
        double m = l->samples > 0 ? (double)l->samples : 1;
        l->mean_entropy /= m;
        l->mean_disagreement /= m;
        l->fraction_above /= m;
    }
    *lines = s->lines;
    *n = s->nlines;
    return FC_OK;
}

fc_status fc_suggest_write_csv(const char *path, const fc_suggest_line *lines, const int *order, int count,
                               fc_error *err)
{
    fc_text_file t = {0};
    fc_status st = fc_text_file_open(&t, path, err);
    if (st)
        return st;
    fprintf(t.f, "rank,orientation,line,mean_entropy,mean_disagreement,fraction_above\n");
    for (int r = 0; r < count; r++) {
        const fc_suggest_line *l = &lines[order[r]];
        fprintf(t.f, "%d,%s,%d,%.6f,%.6f,%.6f\n", r + 1,
                l->orientation == FC_ORIENTATION_CROSSLINE ? "crossline" : "inline", (int)l->number, l->mean_entropy,
                l->mean_disagreement, l->fraction_above);
    }
    return fc_text_file_commit(&t, err);
}
