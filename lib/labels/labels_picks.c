/* Labels from a picks CSV: inline,crossline,time_ms|sample,facies (2-D: trace|cdp instead of inline,crossline; or
 * x,y on the nearest trace of a survey with coordinates). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "facies/coords.h"
#include "fail.h"
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

static fc_status parse_row(picks_ctx *p, char *line, long row, fc_error *err)
{
    char *fld[16];
    int n = fc_csv_split(line, p->sep, fld, 16);
    if (n == 1 && !fld[0][0])
        return FC_OK;
    if (n != p->nfields)
        return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld has %d fields, the header %d", p->path, row, n, p->nfields);
    const fc_survey_info *in = p->in;
    int32_t code;
    if (fc_parse_i32(fld[p->col[COL_FACIES]], &code))
        return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: facies '%s' is not a whole number", p->path, row,
                       fld[p->col[COL_FACIES]]);
    int i = 0, j;
    int32_t a, b = 0;
    enum { PLACE_ON_TRACE, PLACE_MISSING, PLACE_OFF_GRID } place = PLACE_ON_TRACE;
    if (p->xy) { /* the nearest trace's line numbers, then on as if the row had given them */
        double x, y;
        if (fc_parse_double(fld[p->col[COL_X]], &x) || fc_parse_double(fld[p->col[COL_Y]], &y))
            return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: x and y must be numbers", p->path, row);
        if (fc_coords_nearest(p->s, p->xy, x, y, &i, &j)) {
            double fi, fj;
            fc_coords_to_grid(p->xy, x, y, &fi, &fj);
            if (!fc_label_filter_of(p->c)->allow_off_grid)
                return fc_fail(err, FC_ERR_RANGE,
                               "%s: row %ld: x %.2f y %.2f is farther than half a bin from every trace of %s (it lies "
                               "%.1f inline and %.1f crossline bins from the first trace; see 'facies info')",
                               p->path, row, x, y, in->path, fi, fj);
            place = PLACE_OFF_GRID;
            a = INT32_MIN; /* no line numbers: counted whatever the line ranges */
        } else {
            a = in->inline_numbers[i];
            b = in->crossline_numbers[j];
        }
    }
    if (p->xy && place != PLACE_ON_TRACE) {
        /* off the grid, counted below */
    } else if (in->kind == FC_SURVEY_KIND_2D && !p->xy) {
        int by_cdp = p->col[COL_TRACE] < 0;
        if (fc_parse_i32(fld[by_cdp ? p->col[COL_CDP] : p->col[COL_TRACE]], &a))
            return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: %s is not a whole number", p->path, row,
                           by_cdp ? "cdp" : "trace");
        j = by_cdp ? fc_survey_crossline_index(p->s, a) : (a >= 1 && a <= in->crossline_count ? a - 1 : -1);
        if (j < 0)
            return fc_fail(err, FC_ERR_RANGE, "%s: row %ld: %s %d is not on the line (%s)", p->path, row,
                           by_cdp ? "cdp" : "trace", (int)a, by_cdp ? "see 'facies info'" : "traces start at 1");
    } else {
        if (!p->xy && (fc_parse_i32(fld[p->col[COL_IL]], &a) || fc_parse_i32(fld[p->col[COL_XL]], &b)))
            return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: inline and crossline must be whole numbers", p->path, row);
        i = fc_survey_inline_index(p->s, a);
        j = fc_survey_crossline_index(p->s, b);
        const fc_label_filter *f = fc_label_filter_of(p->c);
        if ((i < 0 || j < 0) && f->allow_off_grid)
            place = PLACE_OFF_GRID;
        else if (i < 0 || j < 0)
            return fc_fail(err, FC_ERR_RANGE,
                           "%s: row %ld: inline %d crossline %d is off the survey grid (inlines %d..%d step %d, "
                           "crosslines %d..%d step %d; check the line numbers and --iline-byte/--xline-byte)",
                           p->path, row, (int)a, (int)b, (int)in->inline_numbers[0],
                           (int)in->inline_numbers[in->inline_count - 1], in->inline_step,
                           (int)in->crossline_numbers[0], (int)in->crossline_numbers[in->crossline_count - 1],
                           in->crossline_step);
        else if (fc_survey_trace_at(p->s, i, j) < 0 && f->refuse_missing &&
                 fc_label_lines_wanted(p->c, a, b)) /* --strict, within the lines asked for */
            return fc_fail(err, FC_ERR_RANGE, "%s: row %ld: inline %d crossline %d is a missing trace in the survey %s",
                           p->path, row, (int)a, (int)b, in->path);
        else if (fc_survey_trace_at(p->s, i, j) < 0)
            place = PLACE_MISSING;
    }
    long k;
    if (p->col[COL_SAMPLE] >= 0) {
        int32_t ks;
        if (fc_parse_i32(fld[p->col[COL_SAMPLE]], &ks))
            return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: sample is not a whole number", p->path, row);
        k = ks;
    } else {
        double t;
        char *comma = p->sep == ';' ? strchr(fld[p->col[COL_TIME]], ',') : NULL;
        if (comma) /* semicolons separate where the comma is the decimal mark: 100,5 ms */
            *comma = '.';
        if (fc_parse_double(fld[p->col[COL_TIME]], &t))
            return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: time_ms '%s' is not a number", p->path, row,
                           fld[p->col[COL_TIME]]);
        k = lround((t - in->start_time_ms) / in->sample_interval_ms); /* snapped to the nearest sample */
        p->tmin = p->ntimes ? fmin(p->tmin, t) : t;
        p->tmax = p->ntimes ? fmax(p->tmax, t) : t;
        p->ntimes++;
    }
    if (k < 0 || k >= in->sample_count)
        return fc_fail(err, FC_ERR_RANGE, "%s: row %ld: the pick is outside the traces' %g..%g ms (samples 0..%d)",
                       p->path, row, in->start_time_ms,
                       in->start_time_ms + (in->sample_count - 1) * in->sample_interval_ms, in->sample_count - 1);
    /* Checked whole first: a row on a missing trace is skipped, not its mistakes. */
    if (place != PLACE_ON_TRACE) {
        if (a == INT32_MIN || fc_label_lines_wanted(p->c, a, b))
            place == PLACE_MISSING ? fc_label_note_missing(p->c, row) : fc_label_note_off_grid(p->c);
        return FC_OK;
    }
    return fc_label_push(p->c, p->s, i, j, (int32_t)k, code, row, err);
}

fc_status fc_labels_load_picks(fc_label_collector *c, fc_survey *s, const char *path, fc_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fc_fail(err, FC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
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
