/* Labels from a picks CSV: inline,crossline,time_ms|sample,facies (2-D: trace|cdp instead of inline,crossline; or
 * x,y on the nearest trace of a survey with coordinates). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "facies/coords.h"
#include "fail.h"
#include "input_file.h"
#include "labels_impl.h"

enum { COL_IL, COL_XL, COL_TRACE, COL_CDP, COL_TIME, COL_SAMPLE, COL_FACIES, COL_X, COL_Y, NCOL };
/* The spellings interpretation packages export, compared without case; the first is the documented one. */
static const char *const colnames[NCOL][5] = {
    {"inline", "iline", "il", "inline_no", NULL},
    {"crossline", "xline", "xl", "crossline_no", NULL},
    {"trace", NULL},
    {"cdp", "cdp_no", NULL},
    {"time_ms", "twt_ms", "time", "twt", NULL},
    {"sample", NULL},
    {"facies", "code", "facies_code", NULL},
    {"x", "cdp_x", "easting", NULL},
    {"y", "cdp_y", "northing", NULL},
};

static int column_of(const char *name)
{
    for (int c = 0; c < NCOL; c++)
        for (int a = 0; colnames[c][a]; a++)
            if (!strcasecmp(name, colnames[c][a]))
                return c;
    return -1;
}

typedef struct picks_ctx {
    fc_label_collector *c;
    fc_survey *s;
    const fc_survey_info *in;
    const char *path;
    int col[NCOL];
    int nfields;
    const fc_coords *xy; /* rows place picks by x,y: the survey's coordinates */
    char sep;            /* from the header line (fc_csv_separator) */
    int64_t ntimes;      /* times read, and their range, for the unit check */
    double tmin, tmax;
} picks_ctx;

static fc_status parse_header(picks_ctx *p, char *line, fc_error *err)
{
    char *fld[16];
    p->sep = fc_csv_separator(line);
    int n = fc_csv_split(line, p->sep, fld, 16);
    for (int c = 0; c < NCOL; c++)
        p->col[c] = -1;
    for (int f = 0; f < n; f++) {
        int c = column_of(fld[f]);
        if (c >= 0)
            p->col[c] = f;
    }
    p->nfields = n;
    int two_d = p->in->kind == FC_SURVEY_KIND_2D;
    int by_lines =
        two_d ? (p->col[COL_TRACE] >= 0 || p->col[COL_CDP] >= 0) : (p->col[COL_IL] >= 0 && p->col[COL_XL] >= 0);
    int by_xy = !by_lines && p->col[COL_X] >= 0 && p->col[COL_Y] >= 0;
    int when = p->col[COL_TIME] >= 0 || p->col[COL_SAMPLE] >= 0;
    if ((!by_lines && !by_xy) || !when || p->col[COL_FACIES] < 0)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: row 1 must be a header naming the columns: %s (or x, y), time_ms (or sample) and facies",
                       p->path, two_d ? "trace (1-based trace number) or cdp" : "inline, crossline");
    if (!by_xy)
        return FC_OK;
    fc_status st = fc_survey_coords(p->s, &p->xy, err);
    if (!st)
        st = fc_coords_require(p->s, p->xy, p->path, err);
    return st;
}

/* Where a row puts its pick: a trace (indices i, j), a missing trace or off the grid; a, b: the line numbers the
 * line ranges are checked against (a = INT32_MIN off the grid by x,y: counted whatever the ranges). */
typedef enum { PLACE_ON_TRACE, PLACE_MISSING, PLACE_OFF_GRID } place_kind;
typedef struct pick_place {
    int i, j;
    int32_t a, b;
    place_kind place;
} pick_place;

/* x,y: the nearest trace's line numbers, then on as if the row had given them. */
static fc_status place_by_xy(picks_ctx *p, char **fld, long row, pick_place *w, fc_error *err)
{
    const fc_survey_info *in = p->in;
    double x, y;
    if (fc_parse_double(fld[p->col[COL_X]], &x) || fc_parse_double(fld[p->col[COL_Y]], &y))
        return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: x and y must be numbers", p->path, row);
    if (fc_coords_nearest(p->s, p->xy, x, y, &w->i, &w->j)) {
        double fi, fj;
        fc_coords_to_grid(p->xy, x, y, &fi, &fj);
        if (!fc_label_filter_of(p->c)->allow_off_grid)
            return fc_fail(err, FC_ERR_RANGE,
                           "%s: row %ld: x %.2f y %.2f is farther than half a bin from every trace of %s (it lies "
                           "%.1f inline and %.1f crossline bins from the first trace; see 'facies info')",
                           p->path, row, x, y, in->path, fi, fj);
        w->place = PLACE_OFF_GRID;
        w->a = INT32_MIN; /* no line numbers: counted whatever the line ranges */
    } else {
        w->a = in->inline_numbers[w->i];
        w->b = in->crossline_numbers[w->j];
    }
    return FC_OK;
}

/* A 2-D line's pick by trace number (1-based) or CDP. */
static fc_status place_on_line(picks_ctx *p, char **fld, long row, pick_place *w, fc_error *err)
{
    const fc_survey_info *in = p->in;
    int by_cdp = p->col[COL_TRACE] < 0;
    if (fc_parse_i32(fld[by_cdp ? p->col[COL_CDP] : p->col[COL_TRACE]], &w->a))
        return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: %s is not a whole number", p->path, row,
                       by_cdp ? "cdp" : "trace");
    int32_t a = w->a;
    w->j = by_cdp ? fc_survey_crossline_index(p->s, a) : (a >= 1 && a <= in->crossline_count ? a - 1 : -1);
    if (w->j < 0)
        return fc_fail(err, FC_ERR_RANGE, "%s: row %ld: %s %d is not on the line (%s)", p->path, row,
                       by_cdp ? "cdp" : "trace", (int)a, by_cdp ? "see 'facies info'" : "traces start at 1");
    return FC_OK;
}

/* A pick by inline and crossline (read from the row unless x,y gave them): on a trace, a missing one, or off the
 * grid (refused unless the filter allows it). */
static fc_status place_on_grid(picks_ctx *p, char **fld, long row, pick_place *w, fc_error *err)
{
    const fc_survey_info *in = p->in;
    if (!p->xy && (fc_parse_i32(fld[p->col[COL_IL]], &w->a) || fc_parse_i32(fld[p->col[COL_XL]], &w->b)))
        return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: inline and crossline must be whole numbers", p->path, row);
    int32_t a = w->a, b = w->b;
    int i = w->i = fc_survey_inline_index(p->s, a);
    int j = w->j = fc_survey_crossline_index(p->s, b);
    const fc_label_filter *f = fc_label_filter_of(p->c);
    if ((i < 0 || j < 0) && f->allow_off_grid)
        w->place = PLACE_OFF_GRID;
    else if (i < 0 || j < 0)
        return fc_fail(err, FC_ERR_RANGE,
                       "%s: row %ld: inline %d crossline %d is off the survey grid (inlines %d..%d step %d, "
                       "crosslines %d..%d step %d; check the line numbers and --iline-byte/--xline-byte)",
                       p->path, row, (int)a, (int)b, (int)in->inline_numbers[0],
                       (int)in->inline_numbers[in->inline_count - 1], in->inline_step, (int)in->crossline_numbers[0],
                       (int)in->crossline_numbers[in->crossline_count - 1], in->crossline_step);
    else if (fc_survey_trace_at(p->s, i, j) < 0 && f->refuse_missing &&
             fc_label_lines_wanted(p->c, a, b)) /* --strict, within the lines asked for */
        return fc_fail(err, FC_ERR_RANGE, "%s: row %ld: inline %d crossline %d is a missing trace in the survey %s",
                       p->path, row, (int)a, (int)b, in->path);
    else if (fc_survey_trace_at(p->s, i, j) < 0)
        w->place = PLACE_MISSING;
    return FC_OK;
}

/* The pick's sample: given, or its time snapped to the nearest sample (the times' range kept for the unit check). */
static fc_status sample_of(picks_ctx *p, char **fld, long row, long *k, fc_error *err)
{
    const fc_survey_info *in = p->in;
    if (p->col[COL_SAMPLE] >= 0) {
        int32_t ks;
        if (fc_parse_i32(fld[p->col[COL_SAMPLE]], &ks))
            return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: sample is not a whole number", p->path, row);
        *k = ks;
    } else {
        double t;
        char *comma = p->sep == ';' ? strchr(fld[p->col[COL_TIME]], ',') : NULL;
        if (comma) /* semicolons separate where the comma is the decimal mark: 100,5 ms */
            *comma = '.';
        if (fc_parse_double(fld[p->col[COL_TIME]], &t))
            return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: time_ms '%s' is not a number", p->path, row,
                           fld[p->col[COL_TIME]]);
        *k = lround((t - in->start_time_ms) / in->sample_interval_ms); /* snapped to the nearest sample */
        p->tmin = p->ntimes ? fmin(p->tmin, t) : t;
        p->tmax = p->ntimes ? fmax(p->tmax, t) : t;
        p->ntimes++;
    }
    if (*k < 0 || *k >= in->sample_count)
        return fc_fail(err, FC_ERR_RANGE, "%s: row %ld: the pick is outside the traces' %g..%g ms (samples 0..%d)",
                       p->path, row, in->start_time_ms,
                       in->start_time_ms + (in->sample_count - 1) * in->sample_interval_ms, in->sample_count - 1);
    return FC_OK;
}

static fc_status parse_row(picks_ctx *p, char *line, long row, fc_error *err)
{
    char *fld[16];
    int n = fc_csv_split(line, p->sep, fld, 16);
    if (n == 1 && !fld[0][0])
        return FC_OK;
    if (n != p->nfields)
        return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld has %d fields, the header %d", p->path, row, n, p->nfields);
    int32_t code;
    if (fc_parse_i32(fld[p->col[COL_FACIES]], &code))
        return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: facies '%s' is not a whole number", p->path, row,
                       fld[p->col[COL_FACIES]]);
    pick_place w = {.i = 0, .j = 0, .a = 0, .b = 0, .place = PLACE_ON_TRACE};
    fc_status st = p->xy ? place_by_xy(p, fld, row, &w, err) : FC_OK;
    if (st || (p->xy && w.place != PLACE_ON_TRACE)) {
        /* an error, or off the grid: counted below */
    } else if (p->in->kind == FC_SURVEY_KIND_2D && !p->xy)
        st = place_on_line(p, fld, row, &w, err);
    else
        st = place_on_grid(p, fld, row, &w, err);
    long k = 0;
    if (!st)
        st = sample_of(p, fld, row, &k, err);
    if (st)
        return st;
    /* Checked whole first: a row on a missing trace is skipped, not its mistakes. */
    if (w.place != PLACE_ON_TRACE) {
        if (w.a == INT32_MIN || fc_label_lines_wanted(p->c, w.a, w.b))
            w.place == PLACE_MISSING ? fc_label_note_missing(p->c, row) : fc_label_note_off_grid(p->c);
        return FC_OK;
    }
    return fc_label_push(p->c, p->s, w.i, w.j, (int32_t)k, code, row, err);
}

fc_status fc_labels_load_picks(fc_label_collector *c, fc_survey *s, const char *path, fc_error *err)
{
    FILE *f;
    fc_status opened = fc_input_open(path, &f, err);
    if (opened)
        return opened;
    picks_ctx p = {.c = c, .s = s, .in = fc_survey_get_info(s), .path = path};
    char line[4096];
    long row = 0;
    fc_status st = FC_OK;
    while (!st && fgets(line, sizeof line, f)) {
        row++;
        if (!strchr(line, '\n') && !feof(f))
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld is longer than %zu characters", path, row, sizeof line - 2);
        else if (row == 1)
            st = parse_header(&p, line, err);
        else
            st = parse_row(&p, line, row, err);
    }
    if (!st && ferror(f))
        st = fc_fail(err, FC_ERR_IO, "%s: read error", path);
    if (!st && row == 0)
        st = fc_fail(err, FC_ERR_FORMAT, "%s: empty file", path);
    if (!st)
        st = fc_labels_check_ms(p.in, path, "time_ms", p.ntimes, p.tmin, p.tmax, err);
    fclose(f);
    return st;
}
