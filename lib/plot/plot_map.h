/* Internal: a plan-view map picture (cairo). */
#ifndef FACIES_PLOT_MAP_H
#define FACIES_PLOT_MAP_H

#include <stdint.h>

#include "facies/labels.h"

typedef struct fc_map_picture {
    const float *value; /* [n_il][n_xl]: a class index, or a probability 0..1; NAN is blank */
    int n_il, n_xl;
    const int32_t *il_numbers, *xl_numbers; /* axis labels */
    const fc_classes *classes;              /* legend (class indices into it) */
    int probability;                        /* values are probabilities: a colour ramp and its bar */
    double il_spacing, xl_spacing;          /* metres between grid lines; 0: unknown (square cells, no scale bar) */
    const char *title;
} fc_map_picture;

/* The data area of a map of n_il x n_xl cells: crosslines across, inlines up; cells keep the grid's aspect
 * (spacings) within 900 x 700 pixels, at most 12 pixels a cell unless that leaves the map under 240 across, and
 * at least 24 high. */
void fc_map_size(int n_il, int n_xl, double il_spacing, double xl_spacing, double *pw, double *ph);

/* The length of the scale bar, a round number of metres about a quarter of a data area `width_m` metres wide. */
double fc_map_scale_length(double width_m);

/* Cells coloured by the legend (or the ramp), blank where there is no value; axes in line numbers, the legend,
 * and a scale bar in metres when the spacings are known. Written under `<path>.partial`, then renamed. */
fc_status fc_plot_map(const char *png_path, const fc_map_picture *p, fc_error *err);

#endif
