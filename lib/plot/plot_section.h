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
    const char *legend_title; /* NULL: "facies", each entry "code name"; else this title, entries by name alone */
} fc_section_picture;

/* The data area of a section picture of traces x samples (pixels): one scale across and down (the section's
 * aspect) of at most 6 pixels a trace or sample, within 1600 x 1000, and stretched only to reach 160 x 200. */
void fc_section_size(int traces, int samples, double *pw, double *ph);

/* The width of a section picture whose data area is pw pixels wide (margins for the axis and the legend, at
 * least 560, and room for a title title_w pixels wide) and the x where the title is centred: over the data area,
 * or the picture when that was widened for a narrow section, moved in so that the whole title shows. */
void fc_section_canvas(double pw, double title_w, double *canvas_w, double *title_x);

/* Trace indices (into idx, at most max) of the round line numbers (1/2/5 x 10^k steps, about `target` of them)
 * that num[0..n) holds;
 * numbers that hold no two round values (odd lines stepping by 2) get the round step from the first number. */
int fc_section_x_ticks(const int32_t *num, int n, int target, double *idx, int max);

/* Whether a file name is one facies gives section pictures: inline_N.png, crossline_N.png, line_N.png or
 * NAME_cdp_A-B.png. */
int fc_section_picture_name(const char *name);

/* Remove the section pictures (by name, as above) from dir, before a run draws its own: a reused folder then
 * holds this run's pictures only. Other files are left alone; removed (may be NULL) hears of each. */
fc_status fc_section_pictures_prune(const char *dir, void (*removed)(void *ctx, const char *path), void *ctx,
                                    fc_error *err);

/* Seismic in grey with the facies colours over it, a legend, and axes
 * (line or CDP numbers across, time in ms down). */
fc_status fc_plot_section(const char *png_path, const fc_section_picture *p, fc_error *err);

#endif
