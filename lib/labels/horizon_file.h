/* Internal: a horizon file read onto a survey's grid.
 *
 * Rows are `inline crossline time_ms` (`cdp time_ms` on a 2-D line), numbers separated by spaces, tabs or commas;
 * `#` starts a comment line. A first line of words is a header: `x y time_ms` (also `cdp_x cdp_y`, `easting
 * northing`) says the rows place points by coordinates, on the nearest trace of the survey's fitted grid;
 * `inline crossline time_ms` (or `iline xline ...`, `cdp time_ms`) says line numbers, as without a header. */
#ifndef FACIES_HORIZON_FILE_H
#define FACIES_HORIZON_FILE_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/survey.h"

typedef struct fc_horizon_stats {
    int64_t points;     /* rows read */
    int64_t on_survey;  /* rows placed on a grid cell of the survey */
    int by_xy;          /* the header said x y */
    double tmin, tmax;  /* times read, ms */
    long first_off_row; /* first row off the survey (0: none) */
} fc_horizon_stats;

/* Fill t[inline_count * crossline_count] (cell i * crossline_count + j) with the file's times, NAN where it gives
 * none. Points off the survey are counted, not refused (horizons often cover wider areas). A time that is not a
 * finite number is refused naming its row (leave a hole out of the file instead). Refuses X/Y rows on a survey
 * without coordinates. stats may be NULL. */
fc_status fc_horizon_read(fc_survey *s, const char *path, float *t, fc_horizon_stats *stats, fc_error *err);

#endif
