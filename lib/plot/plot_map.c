/* A plan-view map picture: cells in legend colours, line-number axes, legend, scale bar (cairo). */
#include "plot_map.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>

#include "fail.h"
#include "plot_util.h"

#define MAP_MAX_W 900.0
#define MAP_MAX_H 700.0
#define MAP_MIN_W 240.0
#define MAP_MAX_PX 12.0
#define LEFT 80.0
#define TOP 46.0
#define BOTTOM 100.0
#define RIGHT 230.0

void fc_map_size(int n_il, int n_xl, double il_spacing, double xl_spacing, double *pw, double *ph)
{
    double cw = 1.0, ch = 1.0; /* a cell's shape: the grid's spacings when known */
    if (il_spacing > 0 && xl_spacing > 0) {
        cw = xl_spacing / fmax(il_spacing, xl_spacing);
        ch = il_spacing / fmax(il_spacing, xl_spacing);
    }
    double s = fmin(MAP_MAX_W / (n_xl * cw), MAP_MAX_H / (n_il * ch));
    s = fmin(s, MAP_MAX_PX / fmax(cw, ch));
    if (n_xl * cw * s < MAP_MIN_W) /* a small map is enlarged, keeping its shape, as far as the height allows */
        s = fmin(MAP_MIN_W / (n_xl * cw), MAP_MAX_H / (n_il * ch));
    *pw = n_xl * cw * s;
    *ph = fmax(n_il * ch * s, 24.0); /* a line or two still shows (the scale bar measures along crosslines) */
}

double fc_map_scale_length(double width_m)
{
    static const double mult[] = {1.0, 2.0, 5.0, 10.0};
    double target = width_m / 4.0, step = pow(10.0, floor(log10(target))), best = step;
    for (int m = 0; m < 4; m++)
        if (mult[m] * step <= target * 1.5)
            best = mult[m] * step;
    return best;
}

static void ramp(double v, double *r, double *g, double *b)
{
    /* white-yellow-red-dark: a probability reads as heat */
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    *r = v < 0.75 ? 1.0 : 1.0 - (v - 0.75) * 2.0;
    *g = v < 0.5 ? 1.0 - v * 0.3 : fmax(0.0, 0.85 - (v - 0.5) * 1.7);
    *b = v < 0.25 ? 0.9 - v * 3.6 : 0.0;
}

static cairo_surface_t *cells_image(const fc_map_picture *p)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, p->n_xl, p->n_il);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    double rgb[FC_MAX_CLASSES][3];
    for (int c = 0; c < p->classes->count; c++)
        fc_plot_colour(p->classes->c[c].colour, &rgb[c][0], &rgb[c][1], &rgb[c][2]);
    cairo_surface_flush(img);
    for (int i = 0; i < p->n_il; i++) {
        uint32_t *row = (uint32_t *)(px + (size_t)(p->n_il - 1 - i) * stride); /* first inline at the bottom */
        for (int j = 0; j < p->n_xl; j++) {
            float v = p->value[(size_t)i * p->n_xl + j];
            double r, g, b;
            if (isnan(v)) {
                row[j] = 0; /* transparent: the white page shows */
                continue;
            }
            if (p->probability)
                ramp(v, &r, &g, &b);
            else {
                int c = (int)v;
                r = rgb[c][0];
                g = rgb[c][1];
                b = rgb[c][2];
            }
            row[j] = 0xffu << 24 | (uint32_t)(r * 255) << 16 | (uint32_t)(g * 255) << 8 | (uint32_t)(b * 255);
        }
    }
    cairo_surface_mark_dirty(img);
    return img;
}

/* Round line numbers along an axis of n lines drawn over `length` pixels; `at` places grid index q. */
static void axis(cairo_t *cr, const int32_t *num, int n, double length, int vertical, double x0, double y0, double cell)
{
    double ticks[64];
    int step = 1, target = (int)fmax(2.0, length / 70.0);
    if (n > 1) {
        double s = fc_plot_tick_step(fabs((double)num[n - 1] - num[0]), target);
        step = (int)fmax(1.0, s);
    }
    int nt = 0;
    for (int q = 0; q < n && nt < 64; q++)
        if (num[q] % step == 0 || n == 1)
            ticks[nt++] = q;
    if (nt == 0)
        ticks[nt++] = 0;
    for (int t = 0; t < nt; t++) {
        int q = (int)ticks[t];
        char buf[32];
        snprintf(buf, sizeof buf, "%d", (int)num[q]);
        if (vertical) {
            double y = y0 - (q + 0.5) * cell;
            cairo_move_to(cr, x0 - 5, y);
            cairo_line_to(cr, x0, y);
            cairo_stroke(cr);
            fc_plot_text(cr, x0 - 8, y, buf, 1.0, 0.5);
        } else {
            double x = x0 + (q + 0.5) * cell;
            cairo_move_to(cr, x, y0);
            cairo_line_to(cr, x, y0 + 5);
            cairo_stroke(cr);
            fc_plot_text(cr, x, y0 + 8, buf, 0.5, 1.0);
        }
    }
}

static void legend(cairo_t *cr, const fc_map_picture *p, double lx, double ly)
{
    cairo_set_font_size(cr, 13);
    fc_plot_text(cr, lx, ly, p->probability ? "probability" : "facies", 0.0, 1.0);
    if (p->probability) {
        for (int k = 0; k < 100; k++) {
            double r, g, b;
            ramp(1.0 - k / 99.0, &r, &g, &b);
            cairo_set_source_rgb(cr, r, g, b);
            cairo_rectangle(cr, lx, ly + 24 + 2 * k, 18, 2.5);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        fc_plot_text(cr, lx + 26, ly + 24, "1", 0.0, 0.5);
        fc_plot_text(cr, lx + 26, ly + 224, "0", 0.0, 0.5);
        return;
    }
    for (int c = 0; c < p->classes->count; c++) {
        double y = ly + 24 + 22 * c, r, g, b;
        fc_plot_colour(p->classes->c[c].colour, &r, &g, &b);
        cairo_set_source_rgb(cr, r, g, b);
        cairo_rectangle(cr, lx, y, 18, 14);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        char buf[96];
        snprintf(buf, sizeof buf, "%d %s", (int)p->classes->c[c].code, p->classes->c[c].name);
        fc_plot_text(cr, lx + 26, y + 7, buf, 0.0, 0.5);
    }
}

/* A bar of a round number of metres along the crossline axis, under the map. */
static void scale_bar(cairo_t *cr, const fc_map_picture *p, double pw, double x, double y)
{
    double px_per_m = pw / (p->n_xl * p->xl_spacing);
    double len = fc_map_scale_length(p->n_xl * p->xl_spacing);
    double w = len * px_per_m;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_rectangle(cr, x, y, w / 2, 6);
    cairo_fill(cr);
    cairo_rectangle(cr, x, y, w, 6);
    cairo_stroke(cr);
    char buf[48];
    if (len >= 1000)
        snprintf(buf, sizeof buf, "%g km", len / 1000.0);
    else
        snprintf(buf, sizeof buf, "%g m", len);
    fc_plot_text(cr, x + w + 8, y + 3, buf, 0.0, 0.5);
}

fc_status fc_plot_map(const char *png_path, const fc_map_picture *p, fc_error *err)
{
    double pw, ph;
    fc_map_size(p->n_il, p->n_xl, p->il_spacing, p->xl_spacing, &pw, &ph);
    int rows = p->probability ? 11 : p->classes->count;
    int W = (int)(LEFT + pw + RIGHT), H = (int)fmax(TOP + ph + BOTTOM, TOP + 60 + 22 * rows);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_surface_t *img = cells_image(p);
    fc_plot_image_framed(cr, img, p->n_xl, p->n_il, LEFT, TOP, pw, ph);
    cairo_surface_destroy(img);
    cairo_set_font_size(cr, 15);
    fc_plot_text(cr, LEFT + pw / 2, 14, p->title, 0.5, 1.0);
    cairo_set_font_size(cr, 12);
    axis(cr, p->xl_numbers, p->n_xl, pw, 0, LEFT, TOP + ph, pw / p->n_xl);
    axis(cr, p->il_numbers, p->n_il, ph, 1, LEFT, TOP + ph, ph / p->n_il);
    fc_plot_text(cr, LEFT + pw / 2, TOP + ph + 30, "crossline", 0.5, 1.0);
    cairo_save(cr);
    cairo_translate(cr, 18, TOP + ph / 2);
    cairo_rotate(cr, -3.14159265358979323846 / 2);
    fc_plot_text(cr, 0, 0, "inline", 0.5, 0.5);
    cairo_restore(cr);
    if (p->xl_spacing > 0)
        scale_bar(cr, p, pw, LEFT, TOP + ph + 62);
    legend(cr, p, LEFT + pw + 20, TOP + 4);
    cairo_destroy(cr);
    return fc_plot_save_png(s, png_path, err);
}
