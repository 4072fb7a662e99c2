/* Internal: survey geometry from trace-header values. Pure (no I/O). */
#ifndef FACIES_SURVEY_GEOMETRY_H
#define FACIES_SURVEY_GEOMETRY_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/survey.h"

typedef struct fc_geometry {
    fc_survey_kind kind;
    fc_sorting sorting;
    int n_il, n_xl;
    int il_step, xl_step; /* 0 when the axis has one line or is a 2-D line */
    int32_t *il_numbers;  /* [n_il] */
    int32_t *xl_numbers;  /* [n_xl] */
    int32_t *xl_sorted;   /* 2-D only: indices of xl_numbers in increasing order */
    int64_t *cell_trace;  /* [n_il * n_xl], -1 where no trace */
    int *line_traces;     /* [n_il]: traces on each inline */
    int64_t missing;
} fc_geometry;

/* Header values of every trace, and where they came from (for messages). */
typedef struct fc_trace_keys {
    const int32_t *il, *xl, *offset, *cdp;
    int64_t n;
    int il_byte, xl_byte, cdp_byte;
} fc_trace_keys;

/* Build the grid. Refuses pre-stack data (several traces in a cell with
 * different offsets), repeated cells, and header numbers so sparse that the
 * grid would be far larger than the trace count. Free with fc_geometry_free. */
fc_status fc_geometry_build(fc_geometry *g, const fc_trace_keys *k, fc_geometry_mode mode, const char *path,
                            fc_error *err);

void fc_geometry_free(fc_geometry *g);

/* Grid index of a header number along an axis, -1 if not on the grid. */
int fc_geometry_il_index(const fc_geometry *g, int32_t number);
int fc_geometry_xl_index(const fc_geometry *g, int32_t number);

#endif
