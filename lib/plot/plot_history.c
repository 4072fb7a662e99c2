/* Training curves as a PNG (cairo): loss and accuracy per epoch, training against validation. */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "facies/plot.h"
#include "fail.h"
#include "plot_util.h"

typedef struct panel {
    double x, y, w, h;     /* plot area in pixels */
    double x0, x1, y0, y1; /* data range */
} panel;

/* How each series is drawn: the curves and their legend samples use the same entry, so they cannot differ. */
typedef struct series_style {
    const char *name;
    double rgb[3];
    int ndash;
    double dash[2];
    int markers;
} series_style;

enum { STYLE_TRAINING, STYLE_VALIDATION, STYLE_BEST, NSTYLES };
static const series_style styles[NSTYLES] = {
    {"training", {0.12, 0.47, 0.71}, 0, {0, 0}, 1},
    {"validation", {1.0, 0.5, 0.05}, 2, {6.0, 4.0}, 1},
    {"best epoch", {0.3, 0.6, 0.3}, 2, {3.0, 3.0}, 0},
};

static void use_style(cairo_t *cr, const series_style *st)
{
    cairo_set_source_rgb(cr, st->rgb[0], st->rgb[1], st->rgb[2]);
    cairo_set_line_width(cr, st->markers ? 2.0 : 1.0);
    cairo_set_dash(cr, st->dash, st->ndash, 0);
}

static double px(const panel *p, double v)
{
    return p->x + (v - p->x0) / (p->x1 - p->x0) * p->w;
}

static double py(const panel *p, double v)
{
    return p->y + p->h - (v - p->y0) / (p->y1 - p->y0) * p->h;
}

static void draw_series(cairo_t *cr, const panel *p, const double *v, int n, const series_style *st)
{
    use_style(cr, st);
    for (int e = 0; e < n; e++) {
        double X = px(p, e + 1), Y = py(p, v[e]);
        if (e == 0)
            cairo_move_to(cr, X, Y);
        else
            cairo_line_to(cr, X, Y);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    for (int e = 0; e < n; e++) {
        cairo_arc(cr, px(p, e + 1), py(p, v[e]), 3.0, 0, 2 * M_PI);
        cairo_fill(cr);
    }
}

void fc_plot_history_legend_sample(int i, int with_best, double *x0, double *x1, double *y)
{
    const double item = 150.0;
    fc_plot_rect a, b, l;
    int w, h;
    fc_plot_history_layout(&a, &b, &l, &w, &h);
    int n = with_best ? 3 : 2;
    *x0 = l.x + l.w / 2 - n * item / 2 + i * item;
    *x1 = *x0 + 34;
    *y = l.y + l.h / 2;
}

/* One row of samples and names below the panels (nothing of the data is covered), each sample drawn in its series'
 * own style. */
static void draw_legend(cairo_t *cr, int with_best)
{
    int n = with_best ? 3 : 2;
    cairo_set_font_size(cr, 13);
    for (int i = 0; i < n; i++) {
        double x, x1, y;
        fc_plot_history_legend_sample(i, with_best, &x, &x1, &y);
        use_style(cr, &styles[i]);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x1, y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        if (styles[i].markers) {
            cairo_arc(cr, x + 17, y, 3.0, 0, 2 * M_PI);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        fc_plot_text(cr, x + 42, y, styles[i].name, 0.0, 0.4);
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
        use_style(cr, &styles[STYLE_BEST]);
        cairo_move_to(cr, px(p, best), p->y);
        cairo_line_to(cr, px(p, best), p->y + p->h);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    draw_series(cr, p, train, n, &styles[STYLE_TRAINING]);
    draw_series(cr, p, val, n, &styles[STYLE_VALIDATION]);
}

void fc_plot_history_layout(fc_plot_rect *loss, fc_plot_rect *accuracy, fc_plot_rect *legend, int *width, int *height)
{
    *width = 1100;
    *height = 490;
    *loss = (fc_plot_rect){80, 50, 430, 330};
    *accuracy = (fc_plot_rect){640, 50, 430, 330};
    /* Below the axis titles ("epoch" at panel bottom + 26..40). */
    *legend = (fc_plot_rect){(*width - 450) / 2.0, 440, 450, 24};
}

fc_status fc_plot_history(const char *png_path, const fc_history *h, int best_epoch, const char *title, fc_error *err)
{
    fc_plot_rect ra, rb, rl;
    int W, H;
    fc_plot_history_layout(&ra, &rb, &rl, &W, &H);
    char t[600];
    snprintf(t, sizeof t, "facies training history: %s", title);
    cairo_surface_t *s;
    cairo_t *cr = fc_plot_begin(W, H, t, &s);
    panel a = {.x = ra.x, .y = ra.y, .w = ra.w, .h = ra.h}, b = {.x = rb.x, .y = rb.y, .w = rb.w, .h = rb.h};
    if (h->n > 0) {
        draw_panel(cr, &a, "loss (cross-entropy)", h->loss, h->val_loss, h->n, best_epoch, 0);
        draw_panel(cr, &b, "accuracy", h->accuracy, h->val_accuracy, h->n, best_epoch, 1);
        draw_legend(cr, best_epoch > 0);
    }
    cairo_destroy(cr);
    return fc_plot_save_png(s, png_path, err);
}
