/* The reliability diagram of eval --probabilities (cairo): accuracy against confidence per bin, and how many
 * samples each bin holds. */
#include <cairo.h>
#include <math.h>
#include <stdio.h>

#include "facies/calibration.h"
#include "facies/plot.h"
#include "fail.h"
#include "plot_util.h"

typedef struct frame {
    double x, y, w, h;
} frame;

/* Axes 0..1 along x (confidence) and 0..top along y, with ticks every 0.2 of the range. */
static void axes(cairo_t *cr, const frame *f, double top, const char *ylabel, int xlabels)
{
    cairo_set_line_width(cr, 1.0);
    cairo_set_font_size(cr, 12);
    for (int i = 0; i <= 5; i++) {
        double v = i / 5.0, X = f->x + v * f->w, Y = f->y + f->h - v * f->h;
        char lab[32];
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_move_to(cr, f->x, Y);
        cairo_line_to(cr, f->x + f->w, Y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        snprintf(lab, sizeof lab, "%.2g", v * top);
        fc_plot_text(cr, f->x - 6, Y, lab, 1.0, 0.5);
        if (xlabels) {
            snprintf(lab, sizeof lab, "%.1f", v);
            fc_plot_text(cr, X, f->y + f->h + 6, lab, 0.5, 1.0);
        }
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_rectangle(cr, f->x, f->y, f->w, f->h);
    cairo_stroke(cr);
    cairo_set_font_size(cr, 13);
    cairo_save(cr);
    cairo_translate(cr, f->x - 50, f->y + f->h / 2);
    cairo_rotate(cr, -M_PI / 2);
    fc_plot_text(cr, 0, 0, ylabel, 0.5, 0.5);
    cairo_restore(cr);
}

fc_status fc_plot_reliability(const char *png_path, const fc_calibration *c, const char *title, fc_error *err)
{
    const int W = 620, H = 720, B = FC_CALIBRATION_BINS;
    frame top = {80, 60, 500, 420}, bottom = {80, 540, 500, 120};
    cairo_surface_t *s;
    cairo_t *cr = fc_plot_begin(W, H, title, &s);
    char line[160];
    snprintf(line, sizeof line, "ECE %.4f   Brier %.4f   NLL %.4f   (%lld samples)", c->ece, c->brier, c->nll,
             (long long)c->n);
    cairo_set_font_size(cr, 13);
    fc_plot_text(cr, W / 2.0, 36, line, 0.5, 1.0);
    axes(cr, &top, 1.0, "accuracy", 0);
    int64_t most = 1;
    for (int b = 0; b < B; b++)
        most = c->bin_count[b] > most ? c->bin_count[b] : most;
    double bw = top.w / B, share = (double)most / (double)(c->n > 0 ? c->n : 1);
    for (int b = 0; b < B; b++) {
        double x = top.x + b * bw;
        if (c->bin_count[b] > 0) { /* accuracy as a bar, the bin's mean confidence as a red tick across it */
            double acc = c->bin_accuracy[b], conf = c->bin_confidence[b];
            cairo_set_source_rgb(cr, 0.12, 0.47, 0.71);
            cairo_rectangle(cr, x + 1, top.y + top.h * (1 - acc), bw - 2, top.h * acc);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.85, 0.15, 0.1);
            cairo_set_line_width(cr, 3.0);
            cairo_move_to(cr, x + 1, top.y + top.h * (1 - conf));
            cairo_line_to(cr, x + bw - 1, top.y + top.h * (1 - conf));
            cairo_stroke(cr);
        }
        double f = (double)c->bin_count[b] / (double)most;
        cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
        cairo_rectangle(cr, bottom.x + b * bw + 1, bottom.y + bottom.h * (1 - f), bw - 2, bottom.h * f);
        cairo_fill(cr);
    }
    double dash[2] = {6.0, 4.0};
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 1.5);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, top.x, top.y + top.h);
    cairo_line_to(cr, top.x + top.w, top.y);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_font_size(cr, 12);
    cairo_set_source_rgb(cr, 0.12, 0.47, 0.71);
    fc_plot_text(cr, top.x + 10, top.y + 12, "bars: accuracy of the bin", 0.0, 0.5);
    cairo_set_source_rgb(cr, 0.85, 0.15, 0.1);
    fc_plot_text(cr, top.x + 10, top.y + 30, "red: mean confidence of the bin", 0.0, 0.5);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    fc_plot_text(cr, top.x + 10, top.y + 48, "dashed: perfect calibration", 0.0, 0.5);
    axes(cr, &bottom, share, "fraction", 1);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    fc_plot_text(cr, bottom.x + bottom.w / 2, bottom.y + bottom.h + 26, "confidence (top-1 probability)", 0.5, 1.0);
    cairo_destroy(cr);
    return fc_plot_save_png(s, png_path, err);
}
