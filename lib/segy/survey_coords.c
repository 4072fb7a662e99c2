/* Survey coordinates: trace-header X/Y fitted by the grid's affine transform (see coords.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "facies/coords.h"
#include "fail.h"
#include "survey_impl.h"

#define FC_DEG_PER_RAD (180.0 / 3.14159265358979323846)

/* Normal equations of x and y against (1, i, j), about a reference point so that the sums keep their digits. */
typedef struct lsq {
    double m[3][3], bx[3], by[3];
    double rx, ry;
    int64_t n, nonzero;
} lsq;

static double scaled(int32_t raw, int scalar)
{
    if (scalar > 0)
        return (double)raw * scalar;
    if (scalar < 0)
        return (double)raw / -(double)scalar;
    return raw;
}

static void lsq_add(lsq *q, double i, double j, int32_t rx, int32_t ry, int scalar)
{
    double x = scaled(rx, scalar), y = scaled(ry, scalar);
    if (q->n == 0) {
        q->rx = x;
        q->ry = y;
    }
    q->n++;
    q->nonzero += rx != 0 || ry != 0;
    double v[3] = {1.0, i, j};
    for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++)
            q->m[a][b] += v[a] * v[b];
        q->bx[a] += v[a] * (x - q->rx);
        q->by[a] += v[a] * (y - q->ry);
    }
}

/* Solve the normal equations over the columns `use` (column 0 always); unused coefficients are 0. Returns 0, or
 * -1 when the system is singular (traces all on one line of a grid with several). */
static int solve(const lsq *q, const int use[3], double *cx, double *cy)
{
    int col[3], k = 0;
    for (int a = 0; a < 3; a++)
        if (use[a])
            col[k++] = a;
    double m[3][5] = {{0}};
    for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++)
            m[a][b] = q->m[col[a]][col[b]];
        m[a][k] = q->bx[col[a]];
        m[a][k + 1] = q->by[col[a]];
    }
    for (int p = 0; p < k; p++) {
        int best = p;
        for (int r = p + 1; r < k; r++)
            if (fabs(m[r][p]) > fabs(m[best][p]))
                best = r;
        if (fabs(m[best][p]) < 1e-9 * (1.0 + fabs(m[0][0])))
            return -1;
        for (int c = 0; c < k + 2; c++) {
            double t = m[p][c];
            m[p][c] = m[best][c];
            m[best][c] = t;
        }
        for (int r = 0; r < k; r++) {
            if (r == p)
                continue;
            double f = m[r][p] / m[p][p];
            for (int c = p; c < k + 2; c++)
                m[r][c] -= f * m[p][c];
        }
    }
    for (int a = 0; a < 3; a++)
        cx[a] = cy[a] = 0.0;
    for (int a = 0; a < k; a++) {
        cx[col[a]] = m[a][k] / m[a][a];
        cy[col[a]] = m[a][k + 1] / m[a][a];
    }
    return 0;
}

/* Visit every trace in file order as far as the sorting allows: each gets its grid indices and its header. */
typedef fc_status (*visit_fn)(void *ctx, int i, int j, const unsigned char *th);

static fc_status each_trace(fc_survey *s, visit_fn fn, void *ctx, fc_error *err)
{
    const fc_survey_info *in = &s->info;
    int by_xl = in->sorting == FC_SORTING_CROSSLINE;
    int outer = by_xl ? in->crossline_count : in->inline_count, inner = by_xl ? in->inline_count : in->crossline_count;
    unsigned char th[240];
    for (int a = 0; a < outer; a++) {
        for (int b = 0; b < inner; b++) {
            int i = by_xl ? b : a, j = by_xl ? a : b;
            int64_t t = fc_survey_trace_at(s, i, j);
            if (t < 0)
                continue;
            fc_status st = fc_survey_read_trace_header(s, t, th, err);
            if (!st)
                st = fn(ctx, i, j, th);
            if (st)
                return st;
        }
    }
    return FC_OK;
}

typedef struct fit_ctx {
    lsq pair[2]; /* the bytes asked for (or CDP X/Y), and source X/Y */
    int bytes[2][2];
    int npairs, units, have_units;
    fc_coords *c; /* second pass: the fit, and the worst trace so far */
    int chosen;
} fit_ctx;

static fc_status accumulate(void *ctx, int i, int j, const unsigned char *th)
{
    fit_ctx *f = ctx;
    int scalar = fc_be_i16(th, 71);
    for (int p = 0; p < f->npairs; p++)
        lsq_add(&f->pair[p], i, j, fc_be_i32(th, f->bytes[p][0]), fc_be_i32(th, f->bytes[p][1]), scalar);
    if (!f->have_units) {
        f->units = fc_be_i16(th, 89);
        f->have_units = 1;
    }
    return FC_OK;
}

static fc_status misfit(void *ctx, int i, int j, const unsigned char *th)
{
    fit_ctx *f = ctx;
    int scalar = fc_be_i16(th, 71);
    double x = scaled(fc_be_i32(th, f->bytes[f->chosen][0]), scalar);
    double y = scaled(fc_be_i32(th, f->bytes[f->chosen][1]), scalar);
    double fx, fy;
    fc_coords_to_xy(f->c, i, j, &fx, &fy);
    double d = hypot(x - fx, y - fy);
    if (d > f->c->max_misfit || f->c->traces == 0) {
        f->c->max_misfit = d;
        f->c->worst_inline = (int32_t)i; /* indices now, numbers once the pass ends */
        f->c->worst_crossline = (int32_t)j;
    }
    f->c->traces++;
    return FC_OK;
}

static void set_corner(fc_coords *c, const fc_survey_info *in, int i, int j)
{
    fc_coords_corner *k = &c->corners[c->ncorners++];
    k->inline_number = in->inline_numbers[i];
    k->crossline_number = in->crossline_numbers[j];
    fc_coords_to_xy(c, i, j, &k->x, &k->y);
}

static void describe(fc_coords *c, const fc_survey_info *in)
{
    c->inline_spacing = hypot(c->x_il, c->y_il);
    c->crossline_spacing = hypot(c->x_xl, c->y_xl);
    double az = 0.0;
    if (c->crossline_spacing > 0)
        az = atan2(c->x_xl, c->y_xl) * FC_DEG_PER_RAD;
    else if (c->inline_spacing > 0) /* one crossline: crosslines would run a right angle clockwise of the inlines */
        az = atan2(c->x_il, c->y_il) * FC_DEG_PER_RAD + 90.0;
    c->azimuth_deg = fmod(az + 720.0, 360.0);
    int li = in->inline_count - 1, lj = in->crossline_count - 1;
    c->ncorners = 0;
    set_corner(c, in, 0, 0);
    if (lj > 0)
        set_corner(c, in, 0, lj);
    if (li > 0 && lj > 0)
        set_corner(c, in, li, lj);
    if (li > 0)
        set_corner(c, in, li, 0);
}

static fc_status fit(fc_survey *s, fc_coords *c, fc_error *err)
{
    const fc_survey_info *in = &s->info;
    fit_ctx f = {.npairs = 1};
    f.bytes[0][0] = s->x_byte ? s->x_byte : 181;
    f.bytes[0][1] = s->y_byte ? s->y_byte : 185;
    if (!s->x_byte) { /* automatic: source X/Y stand in when every CDP X/Y is zero */
        f.bytes[1][0] = 73;
        f.bytes[1][1] = 77;
        f.npairs = 2;
    }
    fc_status st = each_trace(s, accumulate, &f, err);
    if (st)
        return st;
    f.chosen = f.pair[0].nonzero ? 0 : f.npairs == 2 && f.pair[1].nonzero ? 1 : -1;
    memset(c, 0, sizeof *c);
    if (f.chosen < 0) { /* none: the bytes asked for, if any, for the message */
        c->x_byte = s->x_byte;
        c->y_byte = s->y_byte;
        return FC_OK;
    }
    const lsq *q = &f.pair[f.chosen];
    int use[3] = {1, in->inline_count > 1, in->crossline_count > 1};
    double cx[3], cy[3];
    while (solve(q, use, cx, cy)) /* a grid axis that the traces do not span is left out of the fit */
        use[use[2] ? 2 : 1] = 0;
    c->present = 1;
    c->x_byte = f.bytes[f.chosen][0];
    c->y_byte = f.bytes[f.chosen][1];
    c->from_source = f.chosen == 1;
    c->units = f.units;
    c->x0 = q->rx + cx[0];
    c->y0 = q->ry + cy[0];
    c->x_il = cx[1];
    c->y_il = cy[1];
    c->x_xl = cx[2];
    c->y_xl = cy[2];
    describe(c, in);
    if (c->inline_spacing == 0.0 && c->crossline_spacing == 0.0 && (in->inline_count > 1 || in->crossline_count > 1)) {
        double x0 = c->x0, y0 = c->y0;
        memset(c, 0, sizeof *c);
        c->same_point = 1;
        c->x0 = x0;
        c->y0 = y0;
        return FC_OK;
    }
    f.c = c;
    st = each_trace(s, misfit, &f, err);
    if (st)
        return st;
    c->worst_inline = in->inline_numbers[c->worst_inline];
    c->worst_crossline = in->crossline_numbers[c->worst_crossline];
    return FC_OK;
}

fc_status fc_survey_coords(fc_survey *s, const fc_coords **out, fc_error *err)
{
    if (!s->coords) {
        fc_coords *c = calloc(1, sizeof *c);
        if (!c)
            return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", s->path);
        fc_status st = fit(s, c, err);
        if (st) {
            free(c);
            return st;
        }
        s->coords = c;
    }
    *out = s->coords;
    return FC_OK;
}

void fc_coords_to_xy(const fc_coords *c, double i, double j, double *x, double *y)
{
    *x = c->x0 + c->x_il * i + c->x_xl * j;
    *y = c->y0 + c->y_il * i + c->y_xl * j;
}

/* Along one direction (u) and across it, in units of |u|. */
static void along_across(double ux, double uy, double dx, double dy, double *along, double *across)
{
    double n2 = ux * ux + uy * uy;
    *along = (dx * ux + dy * uy) / n2;
    *across = (ux * dy - uy * dx) / n2;
}

void fc_coords_to_grid(const fc_coords *c, double x, double y, double *i, double *j)
{
    double dx = x - c->x0, dy = y - c->y0;
    int has_il = c->inline_spacing > 0, has_xl = c->crossline_spacing > 0;
    if (has_il && has_xl) {
        double det = c->x_il * c->y_xl - c->x_xl * c->y_il;
        *i = (dx * c->y_xl - dy * c->x_xl) / det;
        *j = (c->x_il * dy - c->y_il * dx) / det;
    } else if (has_xl) {
        along_across(c->x_xl, c->y_xl, dx, dy, j, i);
    } else if (has_il) {
        along_across(c->x_il, c->y_il, dx, dy, i, j);
    } else { /* one trace: on it or nowhere */
        *i = *j = hypot(dx, dy) > 0 ? INFINITY : 0.0;
    }
}

int fc_coords_nearest(const fc_survey *s, const fc_coords *c, double x, double y, int *i, int *j)
{
    const fc_survey_info *in = fc_survey_get_info(s);
    double fi, fj;
    fc_coords_to_grid(c, x, y, &fi, &fj);
    if (!(fi >= -0.5 && fi <= in->inline_count - 0.5 && fj >= -0.5 && fj <= in->crossline_count - 0.5))
        return -1;
    long ri = lround(fi), rj = lround(fj);
    *i = (int)(ri < 0 ? 0 : ri >= in->inline_count ? in->inline_count - 1 : ri);
    *j = (int)(rj < 0 ? 0 : rj >= in->crossline_count ? in->crossline_count - 1 : rj);
    return 0;
}

fc_status fc_coords_require(const fc_survey *s, const fc_coords *c, const char *path, fc_error *err)
{
    const char *survey = fc_survey_get_info(s)->path;
    if (c->same_point)
        return fc_fail(err, FC_ERR_UNSUPPORTED,
                       "%s: points are given in X/Y, but every trace of %s has the same X/Y (%.2f, %.2f), which places "
                       "none (--x-byte/--y-byte name other bytes): give line numbers instead",
                       path, survey, c->x0, c->y0);
    if (!c->present)
        return fc_fail(err, FC_ERR_UNSUPPORTED,
                       "%s: points are given in X/Y, but %s has no coordinates (X/Y are 0 in every trace header; "
                       "--x-byte/--y-byte name other bytes): give line numbers instead",
                       path, survey);
    double bin = c->inline_spacing > 0 && c->crossline_spacing > 0 ? fmin(c->inline_spacing, c->crossline_spacing)
                                                                   : fmax(c->inline_spacing, c->crossline_spacing);
    if (c->max_misfit > 0.5 * bin)
        return fc_fail(err, FC_ERR_UNSUPPORTED,
                       "%s: points are given in X/Y, but the coordinates of %s do not fit a regular grid (inline %d "
                       "crossline %d lies %.2f off it, more than half a bin of %.2f; see 'facies info'), so the "
                       "nearest grid position may not be the nearest trace: give line numbers instead",
                       path, survey, (int)c->worst_inline, (int)c->worst_crossline, c->max_misfit, bin);
    return FC_OK;
}
