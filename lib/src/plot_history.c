/* Training curves as a PNG (cairo): loss and accuracy per epoch, training against validation. */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "facies/train.h"
#include "fail.h"
#include "plot_util.h"

typedef struct panel {
    double x, y, w, h;     /* plot area in pixels */
    double x0, x1, y0, y1; /* data range */
} panel;

static double px(const panel *p, double v)
{
    return p->x + (v - p->x0) / (p->x1 - p->x0) * p->w;
}

static double py(const panel *p, double v)
{
    return p->y + p->h - (v - p->y0) / (p->y1 - p->y0) * p->h;
}

static void draw_series(cairo_t *cr, const panel *p, const double *v, int n, double r, double g, double b, int dashed)
{
    cairo_set_source_rgb(cr, r, g, b);
    cairo_set_line_width(cr, 2.0);
    double dash[2] = {6.0, 4.0};
    cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
    for (int e = 0; e < n; e++) {
        double X = px(p, e + 1), Y = py(p, v[e]);
        if (e == 0)
            cairo_move_to(cr, X, Y);
        else
            cairo_line_to(cr, X, Y);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, dash, 0, 0);
    for (int e = 0; e < n; e++) {
        cairo_arc(cr, px(p, e + 1), py(p, v[e]), 3.0, 0, 2 * M_PI);
        cairo_fill(cr);
    }
}

static void draw_panel(cairo_t *cr, panel *p, const char *ylabel, const double *train, const double *val, int n,
                       int best, int is_accuracy)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int e = 0; e < n; e++) {
        double a = train[e], b = val[e];
        if (isfinite(a)) {
            lo = fmin(lo, a);
            hi = fmax(hi, a);
        }
        if (isfinite(b)) {
            lo = fmin(lo, b);
            hi = fmax(hi, b);
        }
    }
    if (!isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    if (is_accuracy) {
        lo = fmax(0.0, lo - 0.05);
        hi = fmin(1.0, hi + 0.05);
    } else {
        double pad = 0.08 * (hi - lo + 1e-9);
        lo = fmax(0.0, lo - pad);
        hi += pad;
    }
    if (hi - lo < 1e-6)
        hi = lo + 1.0;
    p->x0 = 0.5;
    p->x1 = n + 0.5;
    p->y0 = lo;
    p->y1 = hi;
    /* Frame, grid and ticks. */
    cairo_set_line_width(cr, 1.0);
    cairo_set_font_size(cr, 12);
    double ys = fc_plot_tick_step(hi - lo, 5);
    for (double v = ceil(lo / ys) * ys; v <= hi + 1e-12; v += ys) {
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_move_to(cr, p->x, py(p, v));
        cairo_line_to(cr, p->x + p->w, py(p, v));
        cairo_stroke(cr);
        char lab[32];
        snprintf(lab, sizeof lab, "%.3g", v);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        fc_plot_text(cr, p->x - 6, py(p, v), lab, 1.0, 0.5);
    }
    double xs = fmax(1.0, fc_plot_tick_step(n, 8));
    for (double e = 1; e <= n; e += xs) {
        char lab[32];
        snprintf(lab, sizeof lab, "%d", (int)e);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        fc_plot_text(cr, px(p, e), p->y + p->h + 6, lab, 0.5, 1.0);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_rectangle(cr, p->x, p->y, p->w, p->h);
    cairo_stroke(cr);
    cairo_set_font_size(cr, 13);
    fc_plot_text(cr, p->x + p->w / 2, p->y + p->h + 26, "epoch", 0.5, 1.0);
    cairo_save(cr);
    cairo_translate(cr, p->x - 52, p->y + p->h / 2);
    cairo_rotate(cr, -M_PI / 2);
    fc_plot_text(cr, 0, 0, ylabel, 0.5, 0.5);
    cairo_restore(cr);
    if (best > 0) {
        double dash[2] = {3.0, 3.0};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_source_rgb(cr, 0.3, 0.6, 0.3);
        cairo_move_to(cr, px(p, best), p->y);
        cairo_line_to(cr, px(p, best), p->y + p->h);
        cairo_stroke(cr);
        cairo_set_dash(cr, dash, 0, 0);
    }
    draw_series(cr, p, train, n, 0.12, 0.47, 0.71, 0);
    draw_series(cr, p, val, n, 1.0, 0.5, 0.05, 1);
    /* Legend. */
    double lx = p->x + p->w - 150, ly = p->y + 10;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, lx - 8, ly - 4, 150, best > 0 ? 62 : 44);
    cairo_fill(cr);
    const char *names[3] = {"training", "validation", "best epoch"};
    double col[3][3] = {{0.12, 0.47, 0.71}, {1.0, 0.5, 0.05}, {0.3, 0.6, 0.3}};
    for (int i = 0; i < (best > 0 ? 3 : 2); i++) {
        cairo_set_source_rgb(cr, col[i][0], col[i][1], col[i][2]);
        cairo_set_line_width(cr, 2.0);
        cairo_move_to(cr, lx, ly + 8 + 18 * i);
        cairo_line_to(cr, lx + 26, ly + 8 + 18 * i);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        fc_plot_text(cr, lx + 34, ly + 8 + 18 * i, names[i], 0.0, 0.4);
    }
}

fc_status fc_plot_history(const char *png_path, const fc_history *h, int best_epoch, const char *title, fc_error *err)
{
    const int W = 1100, H = 460;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_font_size(cr, 15);
    char t[600];
    snprintf(t, sizeof t, "facies training history: %s", title);
    fc_plot_text(cr, W / 2.0, 14, t, 0.5, 1.0);
    panel a = {.x = 80, .y = 50, .w = 430, .h = 330}, b = {.x = 640, .y = 50, .w = 430, .h = 330};
    if (h->n > 0) {
        draw_panel(cr, &a, "loss (cross-entropy)", h->loss, h->val_loss, h->n, best_epoch, 0);
        draw_panel(cr, &b, "accuracy", h->accuracy, h->val_accuracy, h->n, best_epoch, 1);
    }
    cairo_destroy(cr);
    return fc_plot_save_png(s, png_path, err);
}
