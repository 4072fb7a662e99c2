/* Internal: drawing helpers shared by the plots (cairo). */
#ifndef FACIES_PLOT_UTIL_H
#define FACIES_PLOT_UTIL_H

#include <cairo.h>

#include "facies/error.h"

/* A rectangle in pixels. */
typedef struct fc_plot_rect {
    double x, y, w, h;
} fc_plot_rect;

/* Whether two rectangles share any pixel area. */
int fc_plot_rects_overlap(const fc_plot_rect *a, const fc_plot_rect *b);

/* The history picture: its size and where the two panels (data areas) and the legend go. */
void fc_plot_history_layout(fc_plot_rect *loss, fc_plot_rect *accuracy, fc_plot_rect *legend, int *width, int *height);

/* Where the history legend draws the line sample of series i (0 training, 1 validation, 2 best epoch; the last only
 * with_best): from x0 to x1 at height y. */
void fc_plot_history_legend_sample(int i, int with_best, double *x0, double *x1, double *y);

/* Round tick values (multiples of a 1, 2 or 5 x 10^k step giving about `target` ticks) within [lo, hi], into
 * out (at most max); returns how many. */
int fc_plot_ticks(double lo, double hi, int target, double *out, int max);

/* A round tick step (1, 2 or 5 times a power of ten) giving about `target` ticks over `range`. */
double fc_plot_tick_step(double range, int target);

/* Text at (x, y), aligned by the fractions ax (0 left .. 1 right) and ay (0 top .. 1 bottom of the baseline box). */
void fc_plot_text(cairo_t *cr, double x, double y, const char *s, double ax, double ay);

/* A legend colour "#rrggbb" as fractions 0..1 (grey when it is not one). */
void fc_plot_colour(const char *hex, double *r, double *g, double *b);

/* A white picture of width x height with a title centred at its top (sans-serif 15 px, dark grey); *surface is
 * given to fc_plot_save_png, the context returned destroyed by the caller before that. */
cairo_t *fc_plot_begin(int width, int height, const char *title, cairo_surface_t **surface);

/* An image of cols x rows cells drawn over the rectangle (x, y, w, h), each cell a sharp block (no smoothing), and
 * a thin dark frame around it; leaves the sans-serif font and the dark grey colour set for the axes. */
void fc_plot_image_framed(cairo_t *cr, cairo_surface_t *img, int cols, int rows, double x, double y, double w,
                          double h);

/* Write a surface as PNG under `<path>.partial`, rename it to path, and destroy the surface. */
fc_status fc_plot_save_png(cairo_surface_t *s, const char *path, fc_error *err);

#endif
