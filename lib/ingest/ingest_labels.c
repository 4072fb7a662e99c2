#include "ingest_labels.h"

#include <stdlib.h>
#include <string.h>

#include "fail.h"

/* The label files into the collector; what fell outside the survey goes into the summary. */
static fc_status collect_labels(const fc_ingest_options *o, fc_survey *s, fc_label_collector *col,
                                fc_ingest_summary *sum, fc_error *err)
{
    fc_survey_options lo = o->survey;
    lo.iline_byte = o->labels_iline_byte ? o->labels_iline_byte : lo.iline_byte;
    lo.xline_byte = o->labels_xline_byte ? o->labels_xline_byte : lo.xline_byte;
    fc_status st = FC_OK;
    for (int l = 0; l < o->nlabels && !st; l++)
        st = fc_labels_load(col, s, o->label_paths[l], &lo, err);
    if (!st) {
        fc_label_outside out;
        fc_label_collector_outside(col, &out, 5, sum->missing_examples, sizeof sum->missing_examples);
        sum->labels_missing = out.missing;
        sum->labels_off_grid = out.off_grid;
    }
    return st;
}

/* Positions labelled with two facies: counted for the summary, refused with --strict. */
static fc_status check_conflicts(const fc_ingest_options *o, const fc_survey *s, const fc_label_collector *col,
                                 fc_ingest_summary *sum, fc_error *err)
{
    sum->conflicts = fc_label_collector_conflicts(col, s, 3, sum->conflict_examples, sizeof sum->conflict_examples);
    if (sum->conflicts && o->strict)
        return fc_fail(err, FC_ERR_FORMAT, "%s: %lld position%s conflicting facies (--strict): %s", o->label_paths[0],
                       (long long)sum->conflicts, sum->conflicts == 1 ? " has" : "s have", sum->conflict_examples);
    return FC_OK;
}

/* Without a classes file, the legend is the codes found, in increasing order. */
static void default_legend(const fc_label_collector *col, fc_classes *classes)
{
    int32_t codes[FC_MAX_CLASSES];
    int64_t counts[FC_MAX_CLASSES];
    int nc = fc_label_collector_codes(col, codes, counts, FC_MAX_CLASSES);
    for (int a = 1; a < nc; a++) /* sorted codes give a stable legend */
        for (int b = a; b > 0 && codes[b - 1] > codes[b]; b--) {
            int32_t t = codes[b];
            codes[b] = codes[b - 1];
            codes[b - 1] = t;
        }
    for (int i = 0; i < nc; i++) /* nc <= FC_MAX_CLASSES: the collector holds no more codes */
        fc_classes_add_default(classes, codes[i], NULL, NULL);
}

fc_status ingest_load_labels(const fc_ingest_options *o, fc_survey *s, fc_classes *classes, fc_ingest_summary *sum,
                             fc_label_point **pts, int64_t *n, fc_error *err)
{
    fc_status st = FC_OK;
    if (o->classes_path)
        st = fc_classes_load(classes, o->classes_path, err);
    if (st)
        return st;
    fc_label_filter f = o->filter;
    f.classes = o->classes_path ? classes : NULL;
    f.refuse_missing = o->strict;
    fc_label_collector *col = NULL;
    st = fc_label_collector_create(&col, &f, err);
    if (!st)
        st = collect_labels(o, s, col, sum, err);
    const fc_label_point *kept = NULL;
    if (!st) {
        kept = fc_label_collector_points(col, n);
        if (!kept)
            st = fc_fail(err, FC_ERR_NOMEM, "ingest: out of memory");
        else if (*n == 0)
            st = fc_fail(err, FC_ERR_ARGUMENT, "%s: no labelled samples in the chosen lines", o->label_paths[0]);
    }
    if (!st)
        st = check_conflicts(o, s, col, sum, err);
    if (!st && !o->classes_path)
        default_legend(col, classes);
    if (!st) {
        sum->labels_seen = fc_label_collector_seen(col);
        sum->labels_kept = *n;
        *pts = malloc((size_t)*n * sizeof **pts);
        if (!*pts)
            st = fc_fail(err, FC_ERR_NOMEM, "ingest: out of memory for %lld labels", (long long)*n);
        else
            memcpy(*pts, kept, (size_t)*n * sizeof **pts);
    }
    fc_label_collector_destroy(col);
    return st;
}
