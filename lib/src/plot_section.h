/* Internal: a picture of a classified section (cairo). */
#ifndef FACIES_PLOT_SECTION_H
#define FACIES_PLOT_SECTION_H

#include <stdint.h>

#include "facies/labels.h"

typedef struct fc_section_picture {
    const float *amplitude;       /* [width][ns], raw */
    const int32_t *class_index;   /* [width][ns], into classes */
    const unsigned char *present; /* [width] */
    int width, ns;
    const fc_classes *classes;
    const int32_t *x_numbers; /* [width] */
    const char *x_label, *title;
    double t0_ms, dt_ms, clip;
} fc_section_picture;

/* Seismic in grey with the facies colours over it, a legend, and axes
 * (line or CDP numbers across, time in ms down). */
fc_status fc_plot_section(const char *png_path, const fc_section_picture *p, fc_error *err);

#endif
