/* Plan-view maps of a facies (or probability) volume: at a horizon, in a window, between horizons, at a time. */
#include "facies/map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/coords.h"
#include "fail.h"
#include "horizon_file.h"
#include "map_probs.h"
#include "plot_map.h"
#include "segy_text_build.h"
#include "text_file.h"

fc_map_options fc_map_options_default(void)
{
    fc_map_options o = {.mode = FC_MAP_MODE_HORIZON};
    return o;
}

typedef struct map_run {
    fc_survey *s;
    const fc_survey_info *in;
    const fc_map_options *o;
    fc_classes legend;
    const fc_coords *xy;
    float *top, *base; /* [cells] horizon times, NAN in holes */
    float *value;      /* [cells] the map: class index or probability, NAN blank */
    float *sec;        /* one section's samples of the window needed */
    unsigned char *present;
    int64_t counts[FC_MAX_CLASSES];
    fc_map_probs probs; /* class files beside the facies volume, when given */
    fc_text_file csv;
    fc_map_summary sum;
} map_run;

enum { CELL_OK = 0, CELL_HOLE, CELL_OUTSIDE };

static int within(double x, int n)
{
    return x >= 0 && x < n;
}

/* The samples [*ka, *kb] a cell maps, or why none. */
static fc_status cell_window(map_run *r, int i, int j, int *ka, int *kb, int *why, fc_error *err)
{
    const fc_survey_info *in = r->in;
    size_t c = (size_t)i * in->crossline_count + j;
    double t0 = in->start_time_ms, dt = in->sample_interval_ms, a, b;
    *why = CELL_OK;
    switch (r->o->mode) {
    case FC_MAP_MODE_TIME_SLICE: a = b = r->o->time_ms; break;
    case FC_MAP_MODE_HORIZON: a = b = r->top[c]; break;
    case FC_MAP_MODE_WINDOW:
        a = r->top[c] + r->o->window_top_ms;
        b = r->top[c] + r->o->window_base_ms;
        break;
    default:
        a = r->top[c];
        b = r->base[c];
        if (a > b)
            return fc_fail(err, FC_ERR_FORMAT,
                           "%s and %s cross at inline %d crossline %d (%.2f ms is below %.2f ms): --between takes the "
                           "upper horizon first",
                           r->o->horizon, r->o->base, (int)in->inline_numbers[i], (int)in->crossline_numbers[j], a, b);
    }
    if (isnan(a) || isnan(b)) {
        *why = CELL_HOLE;
        return FC_OK;
    }
    if (r->o->mode == FC_MAP_MODE_HORIZON || r->o->mode == FC_MAP_MODE_TIME_SLICE) {
        double k = round((a - t0) / dt);
        *ka = *kb = within(k, in->sample_count) ? (int)k : -1;
    } else { /* samples whose time lies within [a, b] (a hair of slack for times written with few digits) */
        double ka_d = fmax(ceil((a - t0) / dt - 1e-6), 0.0),
               kb_d = fmin(floor((b - t0) / dt + 1e-6), in->sample_count - 1);
        *ka = (int)ka_d;
        *kb = ka_d <= kb_d ? (int)kb_d : -1;
    }
    if (*ka < 0 || *kb < 0)
        *why = CELL_OUTSIDE;
    return FC_OK;
}

/* A code's legend index; new codes join the legend with defaults where the mode allows. */
static fc_status class_of(map_run *r, float sample, int i, int j, int k, int *out, fc_error *err)
{
    int32_t code = (int32_t)lroundf(sample);
    int c = fc_classes_find(&r->legend, code);
    if (c < 0 && (r->o->mode == FC_MAP_MODE_HORIZON || r->o->mode == FC_MAP_MODE_TIME_SLICE))
        if (fc_classes_add_default(&r->legend, code, &c, NULL))
            c = -1;
    if (c < 0)
        return fc_fail(
            err, FC_ERR_FORMAT, "%s: inline %d crossline %d at %g ms holds facies code %d, which the legend lacks (%s)",
            r->in->path, (int)r->in->inline_numbers[i], (int)r->in->crossline_numbers[j],
            r->in->start_time_ms + k * r->in->sample_interval_ms, (int)code,
            r->legend.count >= FC_MAX_CLASSES ? "more codes than a legend holds" : "give --classes with every code");
    *out = c;
    return FC_OK;
}

static void write_header(map_run *r)
{
    FILE *f = r->csv.f;
    fprintf(f, "inline,crossline,x,y,");
    int window = r->o->mode == FC_MAP_MODE_WINDOW || r->o->mode == FC_MAP_MODE_BETWEEN;
    if (!window)
        fprintf(f, "time_ms,%s", r->o->probability ? "probability" : "facies,name");
    else if (r->o->probability)
        fprintf(f, "top_ms,base_ms,samples,mean_probability");
    else {
        fprintf(f, "top_ms,base_ms,samples,facies,name");
        for (int c = 0; c < r->legend.count; c++)
            fprintf(f, ",fraction_%s", r->legend.c[c].name);
    }
    for (int c = 0; c < r->probs.count; c++)
        fprintf(f, ",probability_%s", r->legend.c[c].name);
    fprintf(f, "\n");
}

/* The value of a point (ka == kb at a horizon or time) or a window: a class index, or a probability. Writes the
 * CSV's value columns. */
static fc_status cell_value(map_run *r, int i, int j, const float *v, int k0, int ka, int kb, float *out, fc_error *err)
{
    FILE *f = r->csv.f;
    const fc_survey_info *in = r->in;
    double t0 = in->start_time_ms, dt = in->sample_interval_ms;
    if (r->o->mode == FC_MAP_MODE_HORIZON || r->o->mode == FC_MAP_MODE_TIME_SLICE) {
        double t = r->o->mode == FC_MAP_MODE_HORIZON ? r->top[(size_t)i * in->crossline_count + j] : t0 + ka * dt;
        if (r->o->probability) {
            *out = v[ka - k0];
            fprintf(f, "%g,%.6g", t, (double)v[ka - k0]);
            return FC_OK;
        }
        int c;
        fc_status st = class_of(r, v[ka - k0], i, j, ka, &c, err);
        if (!st) {
            *out = (float)c;
            fprintf(f, "%g,%d,%s", t, (int)r->legend.c[c].code, r->legend.c[c].name);
        }
        return st;
    }
    int n = kb - ka + 1;
    fprintf(f, "%g,%g,%d,", t0 + ka * dt, t0 + kb * dt, n);
    if (r->o->probability) {
        double sum = 0.0;
        for (int k = ka; k <= kb; k++)
            sum += v[k - k0];
        *out = (float)(sum / n);
        fprintf(f, "%.6g", sum / n);
        return FC_OK;
    }
    memset(r->counts, 0, sizeof r->counts);
    for (int k = ka; k <= kb; k++) {
        int c;
        fc_status st = class_of(r, v[k - k0], i, j, k, &c, err);
        if (st)
            return st;
        r->counts[c]++;
    }
    int best = 0;
    for (int c = 1; c < r->legend.count; c++)
        if (r->counts[c] > r->counts[best])
            best = c;
    *out = (float)best;
    fprintf(f, "%d,%s", (int)r->legend.c[best].code, r->legend.c[best].name);
    for (int c = 0; c < r->legend.count; c++)
        fprintf(f, ",%.4f", (double)r->counts[c] / n);
    return FC_OK;
}

/* One mapped cell: its CSV row and its value in the map. nk samples of the trace from sample k0 are in v. */
static fc_status map_cell(map_run *r, int i, int j, const float *v, int k0, int ka, int kb, fc_error *err)
{
    const fc_survey_info *in = r->in;
    FILE *f = r->csv.f;
    fprintf(f, "%d,%d,", (int)in->inline_numbers[i], (int)in->crossline_numbers[j]);
    if (r->sum.has_coordinates) {
        double x, y;
        fc_coords_to_xy(r->xy, i, j, &x, &y);
        fprintf(f, "%.2f,%.2f,", x, y);
    } else {
        fprintf(f, ",,");
    }
    fc_status st = cell_value(r, i, j, v, k0, ka, kb, &r->value[(size_t)i * in->crossline_count + j], err);
    for (int c = 0; c < r->probs.count && !st; c++) { /* the class files: the mean over the samples mapped */
        const float *p = fc_map_probs_trace(&r->probs, c, j);
        double sum = 0.0;
        for (int k = ka; k <= kb; k++)
            sum += p[k - k0];
        fprintf(f, ",%.6g", sum / (kb - ka + 1));
    }
    fprintf(f, "\n");
    return st;
}

/* One section (an inline, or the line of a 2-D survey): the window of samples its cells need, read once. */
static fc_status map_section(map_run *r, int i, int *ka, int *kb, fc_error *err)
{
    const fc_survey_info *in = r->in;
    int nxl = in->crossline_count, lo = in->sample_count, hi = -1;
    fc_status st = FC_OK;
    for (int j = 0; j < nxl && !st; j++) {
        int why = CELL_OK;
        ka[j] = kb[j] = -1;
        if (fc_survey_trace_at(r->s, i, j) < 0) {
            r->sum.missing++;
            continue;
        }
        st = cell_window(r, i, j, &ka[j], &kb[j], &why, err);
        r->sum.holes += why == CELL_HOLE;
        r->sum.outside += why == CELL_OUTSIDE;
        if (!st && why == CELL_OK) {
            lo = ka[j] < lo ? ka[j] : lo;
            hi = kb[j] > hi ? kb[j] : hi;
        } else {
            ka[j] = kb[j] = -1;
        }
    }
    if (st || hi < 0)
        return st;
    int nk = hi - lo + 1;
    fc_orientation o = in->kind == FC_SURVEY_KIND_2D ? FC_ORIENTATION_LINE : FC_ORIENTATION_INLINE;
    st = fc_survey_read_section(r->s, o, i, lo, nk, r->sec, r->present, err);
    if (!st && r->probs.count)
        st = fc_map_probs_read(&r->probs, o, i, lo, nk, err);
    for (int j = 0; j < nxl && !st; j++)
        if (ka[j] >= 0) {
            st = map_cell(r, i, j, r->sec + (size_t)j * nk, lo, ka[j], kb[j], err);
            r->sum.mapped += !st;
        }
    return st;
}

static fc_status load_horizon(map_run *r, const char *path, float **out, fc_error *err)
{
    size_t cells = (size_t)r->in->inline_count * r->in->crossline_count;
    *out = malloc(cells * sizeof **out);
    if (!*out)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory for a %d x %d horizon", path, r->in->inline_count,
                       r->in->crossline_count);
    fc_horizon_stats hs;
    fc_status st = fc_horizon_read(r->s, path, *out, &hs, err);
    if (st)
        return st;
    r->sum.off_survey += hs.points - hs.on_survey;
    r->sum.by_xy |= hs.by_xy;
    if (hs.points == 0)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: no points (rows 'inline crossline time_ms', or 'x y time_ms' under "
                       "that header)",
                       path);
    if (hs.on_survey == 0)
        return fc_fail(err, FC_ERR_RANGE,
                       "%s: none of its %lld points lies on the survey %s (row %ld is the first; check the line "
                       "numbers, or the X/Y against 'facies info')",
                       path, (long long)hs.points, r->in->path, hs.first_off_row);
    return FC_OK;
}

static fc_status prepare(map_run *r, fc_error *err)
{
    const fc_map_options *o = r->o;
    const fc_survey_info *in = r->in;
    if (o->classes)
        r->legend = *o->classes;
    else
        fc_text_legend(fc_survey_text_header(r->s), &r->legend);
    int window = o->mode == FC_MAP_MODE_WINDOW || o->mode == FC_MAP_MODE_BETWEEN;
    if (window && !o->probability && r->legend.count == 0)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "%s: the textual header holds no legend (apply writes one): give --classes for the fractions",
                       in->path);
    if (o->mode == FC_MAP_MODE_TIME_SLICE) {
        double k = round((o->time_ms - in->start_time_ms) / in->sample_interval_ms);
        if (!within(k, in->sample_count))
            return fc_fail(err, FC_ERR_RANGE, "--time-slice %g ms is outside the traces of %s (%g..%g ms)", o->time_ms,
                           in->path, in->start_time_ms,
                           in->start_time_ms + (in->sample_count - 1) * in->sample_interval_ms);
    }
    fc_status st = FC_OK;
    if (o->probabilities && o->probability)
        return fc_fail(err, FC_ERR_ARGUMENT, "--probabilities goes with a facies volume, not with --probability");
    if (o->probabilities)
        st = fc_map_probs_open(&r->probs, o->probabilities, r->s, &r->legend, o->survey_options, err);
    if (!st)
        st = fc_survey_coords(r->s, &r->xy, err);
    if (st)
        return st;
    r->sum.has_coordinates = r->xy->present;
    if (o->mode != FC_MAP_MODE_TIME_SLICE)
        st = load_horizon(r, o->horizon, &r->top, err);
    if (!st && o->mode == FC_MAP_MODE_BETWEEN)
        st = load_horizon(r, o->base, &r->base, err);
    if (st)
        return st;
    size_t cells = (size_t)in->inline_count * in->crossline_count;
    r->sum.cells = (int64_t)cells;
    r->value = malloc(cells * sizeof *r->value);
    r->sec = malloc((size_t)in->crossline_count * in->sample_count * sizeof *r->sec);
    r->present = malloc((size_t)in->crossline_count);
    if (!r->value || !r->sec || !r->present)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory for a %d x %d map", in->path, in->inline_count,
                       in->crossline_count);
    for (size_t c = 0; c < cells; c++)
        r->value[c] = NAN;
    return FC_OK;
}

static void default_title(const map_run *r, char *buf, size_t n)
{
    const fc_map_options *o = r->o;
    const char *what = o->probability ? "probability" : "facies";
    const char *h = o->horizon ? strrchr(o->horizon, '/') ? strrchr(o->horizon, '/') + 1 : o->horizon : "";
    const char *b = o->base ? strrchr(o->base, '/') ? strrchr(o->base, '/') + 1 : o->base : "";
    switch (o->mode) {
    case FC_MAP_MODE_HORIZON: snprintf(buf, n, "%s at %s", what, h); break;
    case FC_MAP_MODE_WINDOW:
        snprintf(buf, n, "%s %s, %+g to %+g ms about %s", o->probability ? "mean" : "dominant", what, o->window_top_ms,
                 o->window_base_ms, h);
        break;
    case FC_MAP_MODE_BETWEEN:
        snprintf(buf, n, "%s %s between %s and %s", o->probability ? "mean" : "dominant", what, h, b);
        break;
    default: snprintf(buf, n, "%s at %g ms", what, o->time_ms);
    }
}

/* Codes found beyond the legend joined it as met: put them in code order for the picture's legend, and the map's
 * class indices with them. */
static void sort_found(map_run *r, int first)
{
    int n = r->legend.count, order[FC_MAX_CLASSES], where[FC_MAX_CLASSES];
    for (int c = 0; c < n; c++)
        order[c] = c;
    for (int a = first + 1; a < n; a++) /* insertion sort: a few codes */
        for (int b = a; b > first && r->legend.c[order[b]].code < r->legend.c[order[b - 1]].code; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    fc_classes sorted = r->legend;
    for (int c = 0; c < n; c++) {
        sorted.c[c] = r->legend.c[order[c]];
        where[order[c]] = c;
    }
    r->legend = sorted;
    for (int64_t k = 0; k < r->sum.cells; k++)
        if (!isnan(r->value[k]))
            r->value[k] = (float)where[(int)r->value[k]];
}

static fc_status run(map_run *r, fc_error *err)
{
    const fc_survey_info *in = r->in;
    fc_status st = prepare(r, err);
    if (!st)
        st = fc_text_file_open(&r->csv, r->o->csv_path, err);
    if (st)
        return st;
    write_header(r);
    int given = r->legend.count;
    int *ka = malloc(2 * (size_t)in->crossline_count * sizeof *ka);
    if (!ka)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", in->path);
    for (int i = 0; i < in->inline_count && !st; i++)
        st = map_section(r, i, ka, ka + in->crossline_count, err);
    free(ka);
    if (st)
        return st;
    if (r->sum.mapped == 0)
        return fc_fail(err, FC_ERR_RANGE,
                       "%s: no trace could be mapped (%lld horizon holes, %lld times outside the traces' %g..%g ms)",
                       in->path, (long long)r->sum.holes, (long long)r->sum.outside, in->start_time_ms,
                       in->start_time_ms + (in->sample_count - 1) * in->sample_interval_ms);
    if (!r->o->probability && r->legend.count > given)
        sort_found(r, given);
    if (r->o->png_path) {
        char title[512];
        default_title(r, title, sizeof title);
        int metres = r->xy->present && r->xy->units <= 1;
        fc_map_picture p = {.value = r->value,
                            .n_il = in->inline_count,
                            .n_xl = in->crossline_count,
                            .il_numbers = in->inline_numbers,
                            .xl_numbers = in->crossline_numbers,
                            .classes = &r->legend,
                            .probability = r->o->probability,
                            .il_spacing = metres ? r->xy->inline_spacing : 0.0,
                            .xl_spacing = metres ? r->xy->crossline_spacing : 0.0,
                            .title = r->o->title ? r->o->title : title};
        st = fc_plot_map(r->o->png_path, &p, err);
    }
    return st ? st : fc_text_file_commit(&r->csv, err);
}

fc_status fc_map_write(fc_survey *s, const fc_map_options *o, fc_map_summary *summary, fc_error *err)
{
    if (!s || !o || !o->csv_path || (o->mode != FC_MAP_MODE_TIME_SLICE && !o->horizon) ||
        (o->mode == FC_MAP_MODE_BETWEEN && !o->base))
        return fc_fail(err, FC_ERR_ARGUMENT, "fc_map_write: a survey, the CSV path and the horizons are needed");
    if (o->mode == FC_MAP_MODE_WINDOW && !(o->window_top_ms <= o->window_base_ms))
        return fc_fail(err, FC_ERR_ARGUMENT, "--window %g:%g: the window's top must not be below its base",
                       o->window_top_ms, o->window_base_ms);
    map_run *r = calloc(1, sizeof *r);
    if (!r)
        return fc_fail(err, FC_ERR_NOMEM, "out of memory");
    r->s = s;
    r->in = fc_survey_get_info(s);
    r->o = o;
    fc_status st = run(r, err);
    if (st)
        fc_text_file_abort(&r->csv);
    else if (summary) {
        r->sum.class_count = r->legend.count;
        *summary = r->sum;
    }
    free(r->top);
    free(r->base);
    free(r->value);
    free(r->sec);
    free(r->present);
    fc_map_probs_close(&r->probs);
    free(r);
    return st;
}
