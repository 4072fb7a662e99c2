/* A horizon file read onto a survey's grid, by line numbers or by X/Y (see horizon_file.h). */
#include "horizon_file.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facies/coords.h"
#include "fail.h"
#include "input_file.h"

typedef struct reader {
    fc_survey *s;
    const fc_survey_info *in;
    const char *path;
    const fc_coords *xy; /* rows are x y time_ms */
    int header_seen;
} reader;

static int is_word(const char *w, const char *const *names)
{
    for (; *names; names++)
        if (!strcasecmp(w, *names))
            return 1;
    return 0;
}

/* A line of words: which columns the rows hold. */
static fc_status parse_header(reader *r, char *p, long row, fc_error *err)
{
    static const char *const xs[] = {"x", "cdp_x", "easting", NULL};
    static const char *const lines[] = {"inline", "iline", "il", "inline_no", "cdp", "cdp_no", "trace", NULL};
    char *save = NULL, *first = strtok_r(p, " \t,\r\n", &save);
    if (first && is_word(first, xs)) {
        fc_status st = fc_survey_coords(r->s, &r->xy, err);
        return st ? st : fc_coords_require(r->s, r->xy, r->path, err);
    }
    if (first && is_word(first, lines))
        return FC_OK;
    return fc_fail(err, FC_ERR_FORMAT,
                   "%s: row %ld: a header line must start 'x y time_ms' (rows by coordinates) or 'inline crossline "
                   "time_ms' (rows by line numbers), not '%s'",
                   r->path, row, first ? first : "");
}

/* Up to three numbers of a row; returns how many, or -1 when something else follows them. */
static int numbers(char *p, double v[3], char **text)
{
    int n = 0;
    while (n < 3) {
        char *end = p;
        double x = strtod(p, &end);
        if (end == p)
            break;
        text[n] = p;
        v[n++] = x;
        p = end;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
    }
    while (*p == '\n' || *p == '\r')
        p++;
    return *p ? -1 : n;
}

/* Whether a line number read as a double converts to int32_t: converting one that does not (or NaN) is undefined. */
static int fits_i32(double v)
{
    return v > (double)INT32_MIN - 1.0 && v < (double)INT32_MAX + 1.0;
}

/* The cell of a row's position, or -1 when it is off the survey. */
static int64_t cell_of(const reader *r, const double *v, int n)
{
    int i, j;
    int two_d = r->in->kind == FC_SURVEY_KIND_2D;
    if (r->xy) {
        if (fc_coords_nearest(r->s, r->xy, v[0], v[1], &i, &j))
            return -1;
    } else {
        if ((!two_d && !fits_i32(v[0])) || !fits_i32(v[n - 2]))
            return -1; /* no line has such a number */
        i = two_d ? 0 : fc_survey_inline_index(r->s, (int32_t)v[0]);
        j = fc_survey_crossline_index(r->s, (int32_t)v[n - 2]);
        if (i < 0 || j < 0)
            return -1;
    }
    return (int64_t)i * r->in->crossline_count + j;
}

/* A line number with a fraction names no line: refused (as picks are) rather than cut to the line below it. Numbers
 * outside int32 or NaN stay what they were, off the survey. */
static fc_status whole_lines(const reader *r, const double *v, char **text, int n, long row, fc_error *err)
{
    int two_d = r->in->kind == FC_SURVEY_KIND_2D;
    for (int k = two_d ? n - 2 : 0; k <= n - 2; k++) {
        if (!isfinite(v[k]) || !fits_i32(v[k]) || v[k] == floor(v[k]))
            continue;
        int len = (int)strcspn(text[k], " \t,\r\n");
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: row %ld: line number '%.*s' is not a whole number (rows by line numbers name a trace; "
                       "give 'x y time_ms' rows for positions between traces)",
                       r->path, row, len, text[k]);
    }
    return FC_OK;
}

static fc_status parse_row(reader *r, char *p, long row, float *t, fc_horizon_stats *st, fc_error *err)
{
    double v[3];
    char *text[3];
    int n = numbers(p, v, text);
    int two_d = r->in->kind == FC_SURVEY_KIND_2D && !r->xy;
    const char *want = r->xy ? "x y time_ms" : two_d ? "cdp time_ms" : "inline crossline time_ms";
    if (n != (two_d ? 2 : 3) && !(two_d && n == 3))
        return fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: expected '%s' (numbers separated by spaces)", r->path, row,
                       want);
    if (!isfinite(v[n - 1])) {
        int len = (int)strcspn(text[n - 1], " \t,\r\n");
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: row %ld: time '%.*s' is not a number of ms (leave a point out of the file for a hole "
                       "in the horizon)",
                       r->path, row, len, text[n - 1]);
    }
    if (!r->xy) {
        fc_status bad = whole_lines(r, v, text, n, row, err);
        if (bad)
            return bad;
    }
    st->tmin = st->points ? fmin(st->tmin, v[n - 1]) : v[n - 1];
    st->tmax = st->points ? fmax(st->tmax, v[n - 1]) : v[n - 1];
    st->points++;
    int64_t c = cell_of(r, v, n);
    if (c < 0) {
        if (!st->first_off_row)
            st->first_off_row = row;
        return FC_OK;
    }
    t[c] = (float)v[n - 1];
    st->on_survey++;
    return FC_OK;
}

fc_status fc_horizon_read(fc_survey *s, const char *path, float *t, fc_horizon_stats *stats, fc_error *err)
{
    reader r = {.s = s, .in = fc_survey_get_info(s), .path = path};
    size_t cells = (size_t)r.in->inline_count * (size_t)r.in->crossline_count;
    for (size_t c = 0; c < cells; c++)
        t[c] = NAN;
    fc_horizon_stats st = {0};
    FILE *f;
    fc_status opened = fc_input_open(path, &f, err);
    if (opened)
        return opened;
    char line[1024];
    long row = 0;
    fc_status status = FC_OK;
    int data_seen = 0;
    while (!status && fgets(line, sizeof line, f)) {
        row++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || !*p)
            continue;
        if (!strchr(line, '\n') && !feof(f))
            status =
                fc_fail(err, FC_ERR_FORMAT, "%s: row %ld is longer than %zu characters", path, row, sizeof line - 2);
        else if (!data_seen && !r.header_seen && (isalpha((unsigned char)*p) || *p == '_') &&
                 strncasecmp(p, "nan", 3) && strncasecmp(p, "inf", 3)) {
            r.header_seen = 1;
            status = parse_header(&r, p, row, err);
        } else {
            data_seen = 1;
            status = parse_row(&r, p, row, t, &st, err);
        }
    }
    if (!status && ferror(f))
        status = fc_fail(err, FC_ERR_IO, "%s: read error", path);
    fclose(f);
    st.by_xy = r.xy != NULL;
    if (!status && stats)
        *stats = st;
    return status;
}
