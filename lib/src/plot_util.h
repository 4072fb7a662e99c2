/* Internal: drawing helpers shared by the plots (cairo). */
#ifndef FACIES_PLOT_UTIL_H
#define FACIES_PLOT_UTIL_H

#include <cairo.h>

#include "facies/error.h"

/* A round tick step (1, 2 or 5 times a power of ten) giving about `target` ticks over `range`. */
double fc_plot_tick_step(double range, int target);

/* Text at (x, y), aligned by the fractions ax (0 left .. 1 right) and ay (0 top .. 1 bottom of the baseline box). */
void fc_plot_text(cairo_t *cr, double x, double y, const char *s, double ax, double ay);

/* Write a surface as PNG under `<path>.partial`, rename it to path, and destroy the surface. */
fc_status fc_plot_save_png(cairo_surface_t *s, const char *path, fc_error *err);

#endif
