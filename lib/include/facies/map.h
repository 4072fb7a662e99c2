/* facies — plan-view maps of a facies volume.
 *
 * A map gives every trace of a facies SEG-Y one value read from its samples:
 *
 *   - at a horizon: the facies of the sample nearest the horizon's time;
 *   - in a window about a horizon (A..B ms, relative to it) or between two
 *     horizons: the dominant facies (most samples; a tie goes to the class
 *     listed first in the legend) and each class's fraction of the samples
 *     whose time lies within the window, ends included;
 *   - at a fixed time (a time slice): the facies of the sample nearest it.
 *
 * A probability SEG-Y (apply --probabilities-segy) maps the same way with
 * values in place of codes: the probability at the horizon or time, the
 * mean over a window.
 *
 * The volume is read one section at a time, and only the samples the map
 * needs; memory holds the horizons and one map, whatever the volume size.
 * Traces the volume lacks, horizon holes and windows outside the traces
 * are left out of the CSV and blank in the picture.
 */
#ifndef FACIES_MAP_H
#define FACIES_MAP_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/labels.h"
#include "facies/survey.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fc_map_mode {
    FC_MAP_MODE_HORIZON = 0,    /* the facies at a horizon */
    FC_MAP_MODE_WINDOW = 1,     /* a window about a horizon */
    FC_MAP_MODE_BETWEEN = 2,    /* between two horizons */
    FC_MAP_MODE_TIME_SLICE = 3, /* at a fixed time */
} fc_map_mode;

typedef struct fc_map_options {
    fc_map_mode mode;
    const char *horizon;       /* HORIZON, WINDOW: the horizon file; BETWEEN: the upper one (see horizon files in
                                * the README: `inline crossline time_ms` rows, or `x y time_ms` under that header) */
    const char *base;          /* BETWEEN: the lower horizon */
    double window_top_ms;      /* WINDOW: from horizon + top ... */
    double window_base_ms;     /* ... to horizon + base (top <= base; negative is above the horizon) */
    double time_ms;            /* TIME_SLICE */
    int probability;           /* the volume holds probabilities (floats 0..1), not facies codes */
    const fc_classes *classes; /* the legend; NULL: the one in the volume's textual header (apply writes it), else
                                * codes found get default names and colours (refused for WINDOW and BETWEEN, whose
                                * CSV needs every class up front) */
    const char *probabilities; /* apply --probabilities-segy's folder (NULL: none): the CSV gains each class's
                                * probability at the horizon or time, or its mean over the window */
    const fc_survey_options *survey_options; /* header bytes for the class files (NULL: defaults) */
    const char *csv_path;                    /* MAP.csv (required) */
    const char *png_path;                    /* MAP.png (NULL: none) */
    const char *title;                       /* the picture's title (NULL: made from the options) */
} fc_map_options;

fc_map_options fc_map_options_default(void);

typedef struct fc_map_summary {
    int64_t cells;       /* grid cells */
    int64_t mapped;      /* cells given a value (CSV rows) */
    int64_t missing;     /* cells without a trace in the volume */
    int64_t holes;       /* cells with a trace where the horizon gives no time */
    int64_t outside;     /* cells whose horizon time or window lies outside the traces */
    int64_t off_survey;  /* horizon points off the survey (both horizons) */
    int by_xy;           /* a horizon was given in X/Y */
    int has_coordinates; /* the CSV's x,y columns are filled and the picture has a scale bar */
    int class_count;     /* classes in the legend used */
} fc_map_summary;

/* Compute the map of survey s (a facies or probability SEG-Y) and write the CSV (`inline,crossline,x,y,` then
 * the values: see the README) and the picture, each under NAME.partial renamed when complete. Errors name the
 * file and row or trace: a horizon with no point on the survey, a NaN time, horizons that cross (BETWEEN), a
 * code not in the legend (WINDOW, BETWEEN). summary may be NULL. */
fc_status fc_map_write(fc_survey *s, const fc_map_options *o, fc_map_summary *summary, fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
