#include "plot_section.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fail.h"
#include "plot_util.h"

static void colour_of(const char *hex, double *r, double *g, double *b)
{
    unsigned v = 0x808080;
    if (hex && hex[0] == '#')
        v = (unsigned)strtoul(hex + 1, NULL, 16);
    *r = ((v >> 16) & 255) / 255.0;
    *g = ((v >> 8) & 255) / 255.0;
    *b = (v & 255) / 255.0;
}

fc_status fc_plot_section(const char *png_path, const fc_section_picture *p, fc_error *err)
{
    int W = p->width, N = p->ns;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, N);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    double rgb[FC_MAX_CLASSES][3];
    for (int c = 0; c < p->classes->count; c++)
        colour_of(p->classes->c[c].colour, &rgb[c][0], &rgb[c][1], &rgb[c][2]);
    const double alpha = 0.45;
    cairo_surface_flush(img);
    for (int t = 0; t < W; t++)
        for (int k = 0; k < N; k++) {
            uint32_t *dst = (uint32_t *)(px + (size_t)k * stride) + t;
            if (p->present && !p->present[t]) {
                *dst = 0xf0f0f0;
                continue;
            }
            double a = p->amplitude[(size_t)t * N + k] / p->clip;
            a = a < -1 ? -1 : a > 1 ? 1 : a;
            double grey = 0.5 + 0.5 * a;
            int ci = p->class_index[(size_t)t * N + k];
            double r = grey, g = grey, b = grey;
            if (ci >= 0 && ci < p->classes->count) {
                r = (1 - alpha) * grey + alpha * rgb[ci][0];
                g = (1 - alpha) * grey + alpha * rgb[ci][1];
                b = (1 - alpha) * grey + alpha * rgb[ci][2];
            }
            *dst = (uint32_t)(r * 255) << 16 | (uint32_t)(g * 255) << 8 | (uint32_t)(b * 255);
        }
    cairo_surface_mark_dirty(img);
    double pw = W * 2.0 < 500 ? 500 : W * 2.0 > 1600 ? 1600 : W * 2.0;
    double ph = N * 2.0 < 360 ? 360 : N * 2.0 > 1000 ? 1000 : N * 2.0;
    double left = 80, top = 46, right = 230, bottom = 64;
    int SW = (int)(left + pw + right), SH = (int)(top + ph + bottom);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, SW, SH);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_save(cr);
    cairo_translate(cr, left, top);
    cairo_scale(cr, pw / W, ph / N);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, left, top, pw, ph);
    cairo_stroke(cr);
    cairo_set_font_size(cr, 15);
    fc_plot_text(cr, left + pw / 2, 14, p->title, 0.5, 1.0);
    cairo_set_font_size(cr, 12);
    /* Time axis. */
    double t_end = p->t0_ms + (N - 1) * p->dt_ms, ts = fc_plot_tick_step(t_end - p->t0_ms + p->dt_ms, 8);
    for (double t = ceil(p->t0_ms / ts) * ts; t <= t_end + 1e-9; t += ts) {
        double y = top + (t - p->t0_ms) / p->dt_ms * (ph / N) + 0.5 * ph / N;
        cairo_move_to(cr, left - 5, y);
        cairo_line_to(cr, left, y);
        cairo_stroke(cr);
        char buf[32];
        snprintf(buf, sizeof buf, "%g", t);
        fc_plot_text(cr, left - 8, y, buf, 1.0, 0.5);
    }
    cairo_save(cr);
    cairo_translate(cr, 22, top + ph / 2);
    cairo_rotate(cr, -M_PI / 2);
    fc_plot_text(cr, 0, 0, "time (ms)", 0.5, 0.5);
    cairo_restore(cr);
    /* Line-number axis. */
    int xs = (int)fc_plot_tick_step(W, 8);
    xs = xs < 1 ? 1 : xs;
    for (int t = 0; t < W; t += xs) {
        double x = left + (t + 0.5) * pw / W;
        cairo_move_to(cr, x, top + ph);
        cairo_line_to(cr, x, top + ph + 5);
        cairo_stroke(cr);
        char buf[32];
        snprintf(buf, sizeof buf, "%d", (int)p->x_numbers[t]);
        fc_plot_text(cr, x, top + ph + 8, buf, 0.5, 1.0);
    }
    fc_plot_text(cr, left + pw / 2, top + ph + 34, p->x_label, 0.5, 1.0);
    /* Legend. */
    double lx = left + pw + 20, ly = top + 4;
    cairo_set_font_size(cr, 13);
    fc_plot_text(cr, lx, ly, "facies", 0.0, 1.0);
    for (int c = 0; c < p->classes->count; c++) {
        double y = ly + 24 + 22 * c;
        cairo_set_source_rgb(cr, rgb[c][0], rgb[c][1], rgb[c][2]);
        cairo_rectangle(cr, lx, y, 18, 14);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        char buf[96];
        snprintf(buf, sizeof buf, "%d %s", (int)p->classes->c[c].code, p->classes->c[c].name);
        fc_plot_text(cr, lx + 26, y + 7, buf, 0.0, 0.5);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    return fc_plot_save_png(s, png_path, err);
}
