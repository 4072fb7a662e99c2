/* facies eval: a facies volume scored against labels (SEG-Y, picks or horizon intervals). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/apply.h"
#include "facies/eval.h"
#include "eval_calibration.h"
#include "fail.h"
#include "labels_impl.h"
#include "segy_text_build.h"

fc_eval_options fc_eval_options_default(void)
{
    fc_eval_options o;
    memset(&o, 0, sizeof o);
    o.survey = fc_survey_options_default();
    o.il_min = o.xl_min = INT32_MIN;
    o.il_max = o.xl_max = INT32_MAX;
    return o;
}

void fc_eval_free(fc_eval_result *r)
{
    free(r->confusion);
    r->confusion = NULL;
}

void fc_eval_metrics(fc_eval_result *r)
{
    int n = r->n;
    int64_t total = 0, diag = 0;
    int present = 0;
    double sum_acc = 0.0, sum_iou = 0.0, fw = 0.0;
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++)
            total += r->confusion[a * n + b];
    for (int c = 0; c < n; c++) {
        int64_t tp = r->confusion[c * n + c], row = 0, col = 0;
        for (int k = 0; k < n; k++) {
            row += r->confusion[c * n + k];
            col += r->confusion[k * n + c];
        }
        diag += tp;
        if (row == 0) {
            r->class_accuracy[c] = r->iou[c] = NAN;
            continue;
        }
        present++;
        r->class_accuracy[c] = (double)tp / (double)row;
        r->iou[c] = (double)tp / (double)(row + col - tp);
        sum_acc += r->class_accuracy[c];
        sum_iou += r->iou[c];
        fw += (double)row / (double)total * r->iou[c];
    }
    r->total = total;
    r->pixel_accuracy = total ? (double)diag / (double)total : NAN;
    r->mean_class_accuracy = present ? sum_acc / present : NAN;
    r->mean_iou = present ? sum_iou / present : NAN;
    r->fw_iou = total ? fw : NAN;
}

static int class_of(fc_eval_result *r, int32_t code)
{
    for (int i = 0; i < r->n; i++)
        if (r->code[i] == code)
            return i;
    if (r->n == FC_MAX_CLASSES)
        return -1;
    r->code[r->n] = code;
    snprintf(r->name[r->n], FC_CLASS_NAME_SIZE, "facies_%d", (int)code);
    return r->n++;
}

/* Counts by (label code, predicted code), grown as codes appear. */
typedef struct tally {
    int64_t m[FC_MAX_CLASSES][FC_MAX_CLASSES];
} tally;

static fc_status add(fc_eval_result *r, tally *t, int32_t label, float pred, const char *path, int64_t trace, int k,
                     fc_error *err)
{
    if (pred != floorf(pred))
        return fc_fail(err, FC_ERR_FORMAT, "%s: trace %lld sample %d holds %g, not a facies code", path,
                       (long long)trace + 1, k + 1, (double)pred);
    int a = class_of(r, label), b = class_of(r, (int32_t)pred);
    if (a < 0 || b < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: more than %d facies codes", path, FC_MAX_CLASSES);
    t->m[a][b]++;
    return FC_OK;
}

/* The confusion matrix with rows and columns in code order, whatever order the codes were met in. */
static fc_status order_by_code(fc_eval_result *r, const tally *t, const fc_classes *legend, fc_error *err)
{
    int order[FC_MAX_CLASSES];
    for (int i = 0; i < r->n; i++) {
        int at = i;
        while (at > 0 && r->code[order[at - 1]] > r->code[i]) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = i;
    }
    r->confusion = calloc((size_t)r->n * (size_t)r->n, sizeof *r->confusion);
    if (!r->confusion)
        return fc_fail(err, FC_ERR_NOMEM, "eval: out of memory");
    for (int a = 0; a < r->n; a++)
        for (int b = 0; b < r->n; b++)
            r->confusion[a * r->n + b] = t->m[order[a]][order[b]];
    int32_t code[FC_MAX_CLASSES];
    for (int i = 0; i < r->n; i++)
        code[i] = r->code[order[i]];
    for (int i = 0; i < r->n; i++) {
        r->code[i] = code[i];
        int k = fc_classes_find(legend, code[i]);
        if (k >= 0)
            snprintf(r->name[i], FC_CLASS_NAME_SIZE, "%s", legend->c[k].name);
        else
            snprintf(r->name[i], FC_CLASS_NAME_SIZE, "facies_%d", (int)code[i]);
    }
    return FC_OK;
}

/* The labels on the predicted volume's grid, into a new collector *c (the caller destroys it); those outside it are
 * counted in r. */
static fc_status load_labels(const fc_eval_options *o, fc_survey *pred, fc_eval_result *r, fc_label_collector **c,
                             fc_error *err)
{
    fc_label_filter f = fc_label_filter_default();
    f.unlabelled_max = o->unlabelled_max;
    f.il_min = o->il_min;
    f.il_max = o->il_max;
    f.xl_min = o->xl_min;
    f.xl_max = o->xl_max;
    f.allow_off_grid = 1; /* the facies volume may hold part of the labelled lines: the overlap is scored */
    fc_survey_options lo = o->survey;
    lo.iline_byte = o->labels_iline_byte ? o->labels_iline_byte : lo.iline_byte;
    lo.xline_byte = o->labels_xline_byte ? o->labels_xline_byte : lo.xline_byte;
    fc_status st = fc_label_collector_create(c, &f, err);
    /* The predicted volume is the grid the labels are placed on. */
    if (!st)
        st = fc_labels_load(*c, pred, o->labels_path, &lo, err);
    char unused[8];
    if (!st)
        fc_label_collector_outside(*c, &r->outside, 0, unused, sizeof unused);
    return st;
}

/* Every labelled sample against the prediction there, into the tally; conflicts, files that share no sample, and
 * the calibration scores (--probabilities). */
static fc_status score(const fc_eval_options *o, fc_survey *pred, fc_label_collector *c, fc_eval_result *r, tally *t,
                       fc_error *err)
{
    fc_status st = FC_OK;
    int64_t n = 0;
    const fc_label_point *p = fc_label_collector_points(c, &n);
    float *tr = malloc(sizeof(float) * (size_t)fc_survey_get_info(pred)->sample_count);
    if (!p || !tr)
        st = fc_fail(err, FC_ERR_NOMEM, "eval: out of memory");
    int64_t cur = -1;
    for (int64_t i = 0; i < n && !st; i++) {
        if (i + 1 < n && p[i + 1].i == p[i].i && p[i + 1].j == p[i].j && p[i + 1].k == p[i].k)
            continue; /* a position labelled twice is one sample: scored once, with its last (highest) code */
        int64_t trace = fc_survey_trace_at(pred, p[i].i, p[i].j);
        if (trace < 0)
            continue; /* a label where the prediction has no trace */
        if (trace != cur) {
            st = fc_survey_read_trace(pred, trace, tr, err);
            cur = trace;
        }
        if (!st)
            st = add(r, t, p[i].code, tr[p[i].k], o->pred_path, trace, p[i].k, err);
    }
    free(tr);
    if (!st)
        r->conflicts = fc_label_collector_conflicts(c, pred, 3, r->conflict_examples, sizeof r->conflict_examples);
    if (!st && n == 0 && r->outside.missing + r->outside.off_grid > 0)
        st = fc_fail(err, FC_ERR_MISMATCH,
                     "%s: no label lies on a trace of the facies volume %s (%lld labels outside it): check the "
                     "line numbers, --lines/--crosslines and the header bytes",
                     o->labels_path, o->pred_path, (long long)(r->outside.missing + r->outside.off_grid));
    else if (!st && n == 0)
        st = fc_fail(err, FC_ERR_ARGUMENT, "%s: no labelled samples in the chosen lines", o->labels_path);
    if (!st && o->probabilities_path)
        st = fc_eval_calibration(o->probabilities_path, pred, o->pred_path, p, n, &r->calibration, err);
    return st;
}

fc_status fc_eval(const fc_eval_options *o, fc_eval_result *out, fc_error *err)
{
    fc_eval_result r;
    memset(&r, 0, sizeof r);
    fc_classes legend;
    memset(&legend, 0, sizeof legend);
    fc_status st = FC_OK;
    if (o->classes_path) {
        st = fc_classes_load(&legend, o->classes_path, err);
        for (int i = 0; i < legend.count && !st; i++)
            class_of(&r, legend.c[i].code);
    }
    fc_survey *pred = NULL;
    if (!st)
        st = fc_survey_open(&pred, o->pred_path, &o->survey, err);
    if (!st)
        st = fc_lines_on_2d(fc_survey_get_info(pred), o->pred_path, o->il_min, o->il_max, err);
    if (!st && !o->classes_path) /* the legend apply wrote into the facies SEG-Y */
        for (int i = 0; i < fc_text_legend(fc_survey_text_header(pred), &legend); i++)
            class_of(&r, legend.c[i].code);
    fc_label_collector *c = NULL;
    if (!st)
        st = load_labels(o, pred, &r, &c, err);
    tally *t = calloc(1, sizeof *t);
    if (!st && !t)
        st = fc_fail(err, FC_ERR_NOMEM, "eval: out of memory");
    if (!st)
        st = score(o, pred, c, &r, t, err);
    if (!st)
        st = order_by_code(&r, t, &legend, err);
    if (!st)
        fc_eval_metrics(&r);
    free(t);
    fc_label_collector_destroy(c);
    fc_survey_close(pred);
    if (st) {
        fc_eval_free(&r);
        return st;
    }
    *out = r;
    return FC_OK;
}
