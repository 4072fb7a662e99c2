/* facies — survey coordinates: where each trace lies in the world.
 *
 * Trace headers carry the CDP X/Y of every trace (bytes 181/185, scaled by
 * the coordinate scalar at byte 71 as SEG-Y says: negative divides, positive
 * multiplies, 0 means 1). A 3-D survey's traces lie on a grid, so one affine
 * transform takes (inline index, crossline index) to (x, y); facies fits it
 * by least squares over every trace and reports how far the worst trace lies
 * from it. The fit then places points given in X/Y (picks, horizons) on the
 * nearest trace, and gives maps their corners and scale.
 *
 * Indices are the survey's 0-based grid indices (see survey.h); x and y are
 * in the headers' units after the scalar (metres in practice: byte 89 says
 * 1 for length). The headers are read in two passes of one trace header at a
 * time: memory does not grow with the survey.
 */
#ifndef FACIES_COORDS_H
#define FACIES_COORDS_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/survey.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A corner of the grid: header line numbers and the fitted position. */
typedef struct fc_coords_corner {
    int32_t inline_number, crossline_number;
    double x, y;
} fc_coords_corner;

typedef struct fc_coords {
    int present;     /* 0: every trace's X/Y are zero, or all the same point (same_point): nothing else is set */
    int same_point;  /* every trace of a grid of several has the same nonzero X/Y (x0, y0): not coordinates */
    int x_byte;      /* where the coordinates were read: 181/185 (CDP X/Y), 73/77 (source X/Y, taken when */
    int y_byte;      /* every CDP X/Y is zero), or the bytes --x-byte/--y-byte named */
    int from_source; /* the CDP X/Y were all zero and source X/Y were used */
    int units;       /* coordinate units, byte 89: 0 unset, 1 length (metres or feet), 2 arc seconds, 3 degrees,
                      * 4 DMS; spacings and scale bars make sense for 0 and 1 only */
    int64_t traces;  /* traces fitted */
    /* The fit: x = x0 + x_il * i + x_xl * j, y = y0 + y_il * i + y_xl * j. */
    double x0, y0, x_il, x_xl, y_il, y_xl;
    double inline_spacing;                 /* distance between adjacent grid inlines (0 with one inline) */
    double crossline_spacing;              /* between adjacent grid crosslines (0 with one crossline) */
    double azimuth_deg;                    /* direction of increasing crosslines, clockwise from +y (north), 0..360 */
    double max_misfit;                     /* largest distance of a trace's header X/Y from the fit */
    int32_t worst_inline, worst_crossline; /* the trace of max_misfit */
    int ncorners;                          /* 4, or 2 (one line), or 1 (one trace) */
    fc_coords_corner corners[4];           /* first inline/first crossline, then around the grid */
} fc_coords;

/* The survey's coordinates, fitted on first use and kept with the handle (the pointer stays valid until
 * fc_survey_close). A survey without coordinates gives present = 0, not an error. Fails on a read error. */
fc_status fc_survey_coords(fc_survey *s, const fc_coords **out, fc_error *err);

/* Whether points given in X/Y can be placed on the survey's traces: 0, or an error naming `path` (the file of
 * points) and why not: the survey has no coordinates, or they do not fit a grid (its worst trace lies more than
 * half a bin off the fit, as on a crooked 2-D line), so that the nearest grid cell may not be the nearest trace. */
fc_status fc_coords_require(const fc_survey *s, const fc_coords *c, const char *path, fc_error *err);

/* The fitted position of a grid position (fractional indices allowed). */
void fc_coords_to_xy(const fc_coords *c, double i, double j, double *x, double *y);

/* The fractional grid position of a point: the inverse of fc_coords_to_xy. With one inline (or crossline) the
 * other index measures the distance off the line in bins of the line's spacing. */
void fc_coords_to_grid(const fc_coords *c, double x, double y, double *i, double *j);

/* The nearest grid cell to a point: 0 and (*i, *j) when it lies within half a bin of a cell of the grid along
 * both axes, -1 when it is farther than that from every cell. Whether the cell holds a trace is the caller's
 * question (fc_survey_trace_at). */
int fc_coords_nearest(const fc_survey *s, const fc_coords *c, double x, double y, int *i, int *j);

#ifdef __cplusplus
}
#endif

#endif
