/* Internal: ingest's first step, the label files read into the points to cut and the legend. */
#ifndef FACIES_INGEST_LABELS_H
#define FACIES_INGEST_LABELS_H

#include "facies/ingest.h"
#include "facies/labels.h"

/* The legend (classes: loaded from o->classes_path, or the codes found in increasing order) and the labelled
 * points kept (*pts, n of them; the caller frees *pts). What was missing, off the grid or conflicting goes into
 * sum. Refuses files without a labelled sample in the chosen lines, and conflicts under --strict. */
fc_status ingest_load_labels(const fc_ingest_options *o, fc_survey *s, fc_classes *classes, fc_ingest_summary *sum,
                             fc_label_point **pts, int64_t *n, fc_error *err);

#endif
