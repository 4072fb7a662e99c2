#include "plot_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fail.h"
#include "folder.h"

double fc_plot_tick_step(double range, int target)
{
    double raw = range / target, mag = pow(10.0, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

int fc_plot_rects_overlap(const fc_plot_rect *a, const fc_plot_rect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

int fc_plot_ticks(double lo, double hi, int target, double *out, int max)
{
    if (!(hi > lo)) {
        if (max > 0)
            out[0] = lo;
        return max > 0;
    }
    double step = fc_plot_tick_step(hi - lo, target);
    int n = 0;
    /* Integer multiples, not repeated sums: no drift to 99.99999 after many steps. */
    for (double m = ceil(lo / step - 1e-9); m * step <= hi + 1e-9 * step && n < max; m++)
        out[n++] = m * step + 0.0; /* not -0 */
    return n;
}

void fc_plot_text(cairo_t *cr, double x, double y, const char *s, double ax, double ay)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - e.width * ax - e.x_bearing, y + e.height * ay);
    cairo_show_text(cr, s);
}

fc_status fc_plot_save_png(cairo_surface_t *s, const char *path, fc_error *err)
{
    char part[4300];
    fc_status st = fc_path_format(part, sizeof part, err, "%s.partial", path);
    if (st) {
        cairo_surface_destroy(s);
        return st;
    }
    fc_partial_unlink(part);
    cairo_status_t cs = cairo_surface_write_to_png(s, part);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS || rename(part, path) != 0) {
        remove(part);
        return fc_fail(err, FC_ERR_IO, "%s: cannot write the picture (%s)", path, cairo_status_to_string(cs));
    }
    return FC_OK;
}

cairo_t *fc_plot_begin(int width, int height, const char *title, cairo_surface_t **surface)
{
    *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(*surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_font_size(cr, 15);
    fc_plot_text(cr, width / 2.0, 14, title, 0.5, 1.0);
    return cr;
}

void fc_plot_image_framed(cairo_t *cr, cairo_surface_t *img, int cols, int rows, double x, double y, double w, double h)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, w / cols, h / rows);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, x, y, w, h);
    cairo_stroke(cr);
}

void fc_plot_colour(const char *hex, double *r, double *g, double *b)
{
    unsigned v = 0x808080;
    if (hex && hex[0] == '#')
        v = (unsigned)strtoul(hex + 1, NULL, 16);
    *r = ((v >> 16) & 255) / 255.0;
    *g = ((v >> 8) & 255) / 255.0;
    *b = (v & 255) / 255.0;
}
