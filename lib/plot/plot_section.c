/* The section pictures: facies over amplitude with time and line axes and a legend; their names on disk. */
#include "plot_section.h"

#include <cairo.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "folder.h"
#include "plot_util.h"

/* Data area limits (pixels) and pixels per trace or sample. */
#define MAX_W 1600.0
#define MAX_H 1000.0
#define MIN_W 160.0
#define MIN_H 200.0
#define MIN_PX 0.25
#define MAX_PX 6.0
#define MIN_CANVAS_W 560.0
#define LEFT 80.0   /* time axis */
#define RIGHT 230.0 /* legend */
#define TITLE_MARGIN 8.0
#define TITLE_SIZE 15.0

void fc_section_size(int traces, int samples, double *pw, double *ph)
{
    /* One scale for both axes where the limits allow: the section keeps its shape. */
    double s = fmin(MAX_W / traces, MAX_H / samples);
    s = fmin(fmax(s, MIN_PX), MAX_PX);
    *pw = traces * s;
    *ph = samples * s;
    /* Too small to read: stretch an axis, but never past MAX_PX pixels a trace or sample. */
    if (*pw < MIN_W)
        *pw = fmin(MIN_W, traces * MAX_PX);
    if (*ph < MIN_H)
        *ph = fmin(MIN_H, samples * MAX_PX);
}

void fc_section_canvas(double pw, double title_w, double *canvas_w, double *title_x)
{
    double w = fmax(fmax(LEFT + pw + RIGHT, MIN_CANVAS_W), title_w + 2 * TITLE_MARGIN);
    double x = LEFT + pw + RIGHT < MIN_CANVAS_W ? w / 2 : LEFT + pw / 2;
    /* Over the data where it fits; moved in where a long title over a narrow section would cross the edge. */
    *title_x = fmin(fmax(x, TITLE_MARGIN + title_w / 2), w - TITLE_MARGIN - title_w / 2);
    *canvas_w = ceil(w);
}

static double title_width(cairo_surface_t *any, const char *title)
{
    cairo_t *cr = cairo_create(any);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, TITLE_SIZE);
    cairo_text_extents_t e;
    cairo_text_extents(cr, title, &e);
    cairo_destroy(cr);
    return e.width;
}

/* About 8 ticks, fewer when labels `spacing` pixels apart would not fit in `length`. */
static int tick_target(double length, double spacing)
{
    int n = (int)(length / spacing);
    return n < 2 ? 2 : n > 8 ? 8 : n;
}

int fc_section_x_ticks(const int32_t *num, int n, int target, double *idx, int max)
{
    double values[64];
    int32_t lo = num[0] < num[n - 1] ? num[0] : num[n - 1], hi = num[0] < num[n - 1] ? num[n - 1] : num[0];
    int nv = fc_plot_ticks(lo, hi, target, values, 64), k = 0;
    for (int v = 0; v < nv && k < max; v++)
        for (int t = 0; t < n; t++) /* only numbers the section has: a gap gets no tick */
            if (num[t] == (int32_t)lround(values[v])) {
                idx[k++] = t;
                break;
            }
    if (k >= 2 || nv < 2)
        return k;
    /* Numbers that never hit a round value (odd lines stepping by 2): every round step from the first. */
    int32_t step = (int32_t)lround(values[1] - values[0]);
    k = 0;
    for (int t = 0; t < n && k < max; t++)
        if ((num[t] - num[0]) % step == 0)
            idx[k++] = t;
    return k;
}

/* Where the section's picture stands on the canvas (pixels): its top left corner and its size. */
typedef struct section_frame {
    double left, top, pw, ph;
} section_frame;

/* The section at one pixel a trace and a sample: the amplitude in grey under the class colours (rgb), light grey
 * where no trace is present. */
static cairo_surface_t *section_pixels(const fc_section_picture *p, double rgb[][3])
{
    int W = p->width, N = p->ns;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, N);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
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
    return img;
}

/* Time axis: round times, each at its sample's centre. */
static void time_axis(cairo_t *cr, const fc_section_picture *p, const section_frame *f)
{
    double left = f->left, top = f->top, ph = f->ph, ticks[64];
    int N = p->ns;
    int nt = fc_plot_ticks(p->t0_ms, p->t0_ms + (N - 1) * p->dt_ms, tick_target(ph, 40), ticks, 64);
    for (int q = 0; q < nt; q++) {
        double y = top + ((ticks[q] - p->t0_ms) / p->dt_ms + 0.5) * (ph / N);
        cairo_move_to(cr, left - 5, y);
        cairo_line_to(cr, left, y);
        cairo_stroke(cr);
        char buf[32];
        snprintf(buf, sizeof buf, "%g", ticks[q]);
        fc_plot_text(cr, left - 8, y, buf, 1.0, 0.5);
    }
    cairo_save(cr);
    cairo_translate(cr, 22, top + ph / 2);
    cairo_rotate(cr, -M_PI / 2);
    fc_plot_text(cr, 0, 0, "time (ms)", 0.5, 0.5);
    cairo_restore(cr);
}

/* Line-number axis: round numbers, at the traces that carry them (numbers may step by more than one). */
static void line_axis(cairo_t *cr, const fc_section_picture *p, const section_frame *f)
{
    double left = f->left, top = f->top, pw = f->pw, ph = f->ph, ticks[64];
    int W = p->width;
    int nx = fc_section_x_ticks(p->x_numbers, W, tick_target(pw, 60), ticks, 64);
    for (int q = 0; q < nx; q++) {
        double x = left + (ticks[q] + 0.5) * pw / W;
        cairo_move_to(cr, x, top + ph);
        cairo_line_to(cr, x, top + ph + 5);
        cairo_stroke(cr);
        char buf[32];
        snprintf(buf, sizeof buf, "%d", (int)p->x_numbers[(int)ticks[q]]);
        fc_plot_text(cr, x, top + ph + 8, buf, 0.5, 1.0);
    }
    fc_plot_text(cr, left + pw / 2, top + ph + 34, p->x_label, 0.5, 1.0);
}

/* The legend right of the section: a swatch, the code and the name of each class (the name alone under a legend
 * title). */
static void legend(cairo_t *cr, const fc_section_picture *p, double rgb[][3], const section_frame *f)
{
    double lx = f->left + f->pw + 20, ly = f->top + 4;
    cairo_set_font_size(cr, 13);
    fc_plot_text(cr, lx, ly, p->legend_title ? p->legend_title : "facies", 0.0, 1.0);
    for (int c = 0; c < p->classes->count; c++) {
        double y = ly + 24 + 22 * c;
        cairo_set_source_rgb(cr, rgb[c][0], rgb[c][1], rgb[c][2]);
        cairo_rectangle(cr, lx, y, 18, 14);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        char buf[96];
        if (p->legend_title)
            snprintf(buf, sizeof buf, "%s", p->classes->c[c].name);
        else
            snprintf(buf, sizeof buf, "%d %s", (int)p->classes->c[c].code, p->classes->c[c].name);
        fc_plot_text(cr, lx + 26, y + 7, buf, 0.0, 0.5);
    }
}

fc_status fc_plot_section(const char *png_path, const fc_section_picture *p, fc_error *err)
{
    double rgb[FC_MAX_CLASSES][3];
    for (int c = 0; c < p->classes->count; c++)
        fc_plot_colour(p->classes->c[c].colour, &rgb[c][0], &rgb[c][1], &rgb[c][2]);
    cairo_surface_t *img = section_pixels(p, rgb);
    section_frame f = {.left = LEFT, .top = 46};
    double bottom = 64, canvas_w, title_x;
    fc_section_size(p->width, p->ns, &f.pw, &f.ph);
    /* A narrow or short section still gets room for its title and its legend. */
    fc_section_canvas(f.pw, title_width(img, p->title), &canvas_w, &title_x);
    int SW = (int)canvas_w, SH = (int)fmax(f.top + f.ph + bottom, f.top + 40 + 22 * p->classes->count);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, SW, SH);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    fc_plot_image_framed(cr, img, p->width, p->ns, f.left, f.top, f.pw, f.ph);
    cairo_set_font_size(cr, TITLE_SIZE);
    fc_plot_text(cr, title_x, 14, p->title, 0.5, 1.0);
    cairo_set_font_size(cr, 12);
    time_axis(cr, p, &f);
    line_axis(cr, p, &f);
    legend(cr, p, rgb, &f);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    return fc_plot_save_png(s, png_path, err);
}

/* s is an optionally negative whole number followed by `end`; returns the rest after it, or NULL. */
static const char *number_then(const char *s, char end)
{
    const char *p = s + (*s == '-');
    const char *d = p;
    while (*p >= '0' && *p <= '9')
        p++;
    return p > d && *p == end ? p + 1 : NULL;
}

int fc_section_picture_name(const char *name)
{
    static const char *const kinds[] = {"inline_", "crossline_", "line_"};
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(kinds[k]);
        const char *rest = strncmp(name, kinds[k], n) ? NULL : number_then(name + n, '.');
        if (rest && !strcmp(rest, "png"))
            return 1;
    }
    const char *cdp = strstr(name, "_cdp_");
    for (; cdp; cdp = strstr(cdp + 1, "_cdp_")) {
        const char *rest = number_then(cdp + 5, '-');
        rest = rest ? number_then(rest, '.') : NULL;
        if (rest && !strcmp(rest, "png"))
            return 1;
    }
    return 0;
}

fc_status fc_section_pictures_prune(const char *dir, void (*removed)(void *ctx, const char *path), void *ctx,
                                    fc_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return fc_fail(err, FC_ERR_IO, "%s: cannot read the picture folder: %s", dir, strerror(errno));
    fc_status st = FC_OK;
    struct dirent *e;
    while (!st && (e = readdir(d))) {
        if (!fc_section_picture_name(e->d_name))
            continue;
        char path[4600];
        st = fc_path_format(path, sizeof path, err, "%s/%s", dir, e->d_name);
        if (st)
            break;
        if (remove(path) != 0)
            st = fc_fail(err, FC_ERR_IO, "%s: cannot remove the old picture: %s", path, strerror(errno));
        else if (removed)
            removed(ctx, path);
    }
    closedir(d);
    return st;
}
