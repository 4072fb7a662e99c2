#include "survey_geometry.h"

#include <stdlib.h>
#include <string.h>

#include "fail.h"

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Sorted unique values: first, last, and the step (gcd of the gaps) of an axis. */
typedef struct axis {
    int32_t first, last;
    int64_t step, count;
} axis;

static fc_status axis_of(const int32_t *v, int64_t n, axis *out, const char *path, fc_error *err)
{
    int32_t *s = malloc((size_t)n * sizeof *s);
    if (!s)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory sorting %lld header values", path, (long long)n);
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_i32);
    int64_t step = 0;
    for (int64_t i = 1; i < n; i++)
        if (s[i] != s[i - 1])
            step = gcd64(step, (int64_t)s[i] - s[i - 1]);
    out->first = s[0];
    out->last = s[n - 1];
    out->step = step;
    out->count = step ? ((int64_t)s[n - 1] - s[0]) / step + 1 : 1;
    free(s);
    return FC_OK;
}

static fc_status alloc_axes(fc_geometry *g, const char *path, fc_error *err)
{
    g->il_numbers = malloc((size_t)g->n_il * sizeof *g->il_numbers);
    g->xl_numbers = malloc((size_t)g->n_xl * sizeof *g->xl_numbers);
    g->cell_trace = malloc((size_t)g->n_il * (size_t)g->n_xl * sizeof *g->cell_trace);
    g->line_traces = calloc((size_t)g->n_il, sizeof *g->line_traces);
    if (!g->il_numbers || !g->xl_numbers || !g->cell_trace || !g->line_traces)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory for a %d x %d grid", path, g->n_il, g->n_xl);
    return FC_OK;
}

static fc_status build_2d(fc_geometry *g, const fc_trace_keys *k, const char *path, fc_error *err)
{
    if (k->n > INT32_MAX)
        return fc_fail(err, FC_ERR_UNSUPPORTED, "%s: a 2-D line of %lld traces is too long", path, (long long)k->n);
    g->kind = FC_SURVEY_KIND_2D;
    g->sorting = FC_SORTING_LINE;
    g->n_il = 1;
    g->n_xl = (int)k->n;
    fc_status st = alloc_axes(g, path, err);
    if (st)
        return st;
    g->xl_sorted = malloc((size_t)k->n * sizeof *g->xl_sorted);
    if (!g->xl_sorted)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    g->il_numbers[0] = k->il[0];
    g->line_traces[0] = (int)k->n;
    for (int64_t t = 0; t < k->n; t++) {
        g->xl_numbers[t] = k->cdp[t];
        g->cell_trace[t] = t;
    }
    /* (CDP, trace) pairs sorted by CDP give the lookup order and expose repeats. */
    int32_t *pairs = malloc((size_t)k->n * 2 * sizeof *pairs);
    if (!pairs)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    for (int64_t t = 0; t < k->n; t++) {
        pairs[2 * t] = k->cdp[t];
        pairs[2 * t + 1] = (int32_t)t;
    }
    qsort(pairs, (size_t)k->n, 2 * sizeof *pairs, cmp_i32);
    for (int64_t t = 0; t < k->n; t++)
        g->xl_sorted[t] = pairs[2 * t + 1];
    for (int64_t t = 1; t < k->n; t++) {
        if (pairs[2 * t] == pairs[2 * (t - 1)]) {
            int32_t a = pairs[2 * (t - 1) + 1], b = pairs[2 * t + 1];
            if (a > b) {
                int32_t x = a;
                a = b;
                b = x;
            }
            free(pairs);
            return fc_fail(err, FC_ERR_UNSUPPORTED,
                           "%s: traces %d and %d of this 2-D line share CDP number %d (byte %d): this looks "
                           "like pre-stack gathers, and facies reads post-stack data only (name another "
                           "trace-number header with --cdp-byte if this is a stacked line)",
                           path, a + 1, b + 1, (int)k->cdp[b], k->cdp_byte);
        }
    }
    free(pairs);
    return FC_OK;
}

static fc_sorting sorting_of(const fc_trace_keys *k)
{
    int64_t same_il = 0, same_xl = 0;
    for (int64_t t = 1; t < k->n; t++) {
        same_il += k->il[t] == k->il[t - 1];
        same_xl += k->xl[t] == k->xl[t - 1];
    }
    if (same_il > same_xl)
        return FC_SORTING_INLINE;
    if (same_xl > same_il)
        return FC_SORTING_CROSSLINE;
    return k->n <= 1 ? FC_SORTING_INLINE : FC_SORTING_UNSORTED;
}

static fc_status build_3d(fc_geometry *g, const fc_trace_keys *k, const char *path, fc_error *err)
{
    axis ai, ax;
    fc_status st = axis_of(k->il, k->n, &ai, path, err);
    if (!st)
        st = axis_of(k->xl, k->n, &ax, path, err);
    if (st)
        return st;
    /* A grid much larger than the trace count means the bytes hold something
     * other than line numbers; refuse rather than allocate for it. */
    double cells = (double)ai.count * (double)ax.count;
    if (ai.count > INT32_MAX || ax.count > INT32_MAX || cells > 8.0 * (double)k->n + 1e6)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: inline numbers %d..%d (byte %d) and crossline numbers %d..%d (byte %d) span "
                       "%.0f grid cells for only %lld traces; these bytes do not hold line numbers: set "
                       "--iline-byte and --xline-byte",
                       path, (int)ai.first, (int)ai.last, k->il_byte, (int)ax.first, (int)ax.last, k->xl_byte, cells,
                       (long long)k->n);
    g->kind = FC_SURVEY_KIND_3D;
    g->n_il = (int)ai.count;
    g->n_xl = (int)ax.count;
    g->il_step = (int)ai.step;
    g->xl_step = (int)ax.step;
    st = alloc_axes(g, path, err);
    if (st)
        return st;
    for (int i = 0; i < g->n_il; i++)
        g->il_numbers[i] = (int32_t)(ai.first + (int64_t)i * ai.step);
    for (int j = 0; j < g->n_xl; j++)
        g->xl_numbers[j] = (int32_t)(ax.first + (int64_t)j * ax.step);
    int64_t ncell = (int64_t)g->n_il * g->n_xl;
    memset(g->cell_trace, 0xff, (size_t)ncell * sizeof *g->cell_trace); /* every cell -1 */
    for (int64_t t = 0; t < k->n; t++) {
        int64_t i = ai.step ? ((int64_t)k->il[t] - ai.first) / ai.step : 0;
        int64_t j = ax.step ? ((int64_t)k->xl[t] - ax.first) / ax.step : 0;
        int64_t c = i * g->n_xl + j;
        int64_t prev = g->cell_trace[c];
        if (prev >= 0) {
            if (k->offset[prev] != k->offset[t])
                return fc_fail(err, FC_ERR_UNSUPPORTED,
                               "%s: traces %lld and %lld are both at inline %d crossline %d with offsets %d and "
                               "%d (byte 37): pre-stack gathers are not supported; stack the data first",
                               path, (long long)prev + 1, (long long)t + 1, (int)k->il[t], (int)k->xl[t],
                               (int)k->offset[prev], (int)k->offset[t]);
            return fc_fail(err, FC_ERR_FORMAT,
                           "%s: traces %lld and %lld are both at inline %d crossline %d (bytes %d/%d); each "
                           "cell must hold one trace: check --iline-byte and --xline-byte",
                           path, (long long)prev + 1, (long long)t + 1, (int)k->il[t], (int)k->xl[t], k->il_byte,
                           k->xl_byte);
        }
        g->cell_trace[c] = t;
        g->line_traces[i]++;
    }
    g->missing = ncell - k->n;
    g->sorting = sorting_of(k);
    return FC_OK;
}

fc_status fc_geometry_build(fc_geometry *g, const fc_trace_keys *k, fc_geometry_mode mode, const char *path,
                            fc_error *err)
{
    memset(g, 0, sizeof *g);
    if (k->n <= 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: the file holds no traces", path);
    int one_cell = 1;
    for (int64_t t = 1; t < k->n && one_cell; t++)
        one_cell = k->il[t] == k->il[0] && k->xl[t] == k->xl[0];
    int two_d = mode == FC_GEOMETRY_2D || (mode == FC_GEOMETRY_AUTO && one_cell && k->n > 1);
    if (two_d && k->n > 1) {
        int constant_offset = 1;
        for (int64_t t = 1; t < k->n && constant_offset; t++)
            constant_offset = k->offset[t] == k->offset[0];
        /* Several traces in one cell with offsets that vary: a gather, not a
         * line; the 3-D builder refuses it as pre-stack. */
        if (!constant_offset && mode != FC_GEOMETRY_2D)
            two_d = 0;
    }
    fc_status st = two_d ? build_2d(g, k, path, err) : build_3d(g, k, path, err);
    if (st)
        fc_geometry_free(g);
    return st;
}

void fc_geometry_free(fc_geometry *g)
{
    if (!g)
        return;
    free(g->il_numbers);
    free(g->xl_numbers);
    free(g->xl_sorted);
    free(g->cell_trace);
    free(g->line_traces);
    memset(g, 0, sizeof *g);
}

static int regular_index(int32_t first, int step, int count, int32_t number)
{
    if (count == 1)
        return number == first ? 0 : -1;
    int64_t d = (int64_t)number - first;
    if (step == 0 || d % step != 0)
        return -1;
    int64_t i = d / step;
    return i >= 0 && i < count ? (int)i : -1;
}

int fc_geometry_il_index(const fc_geometry *g, int32_t number)
{
    return regular_index(g->il_numbers[0], g->il_step, g->n_il, number);
}

int fc_geometry_xl_index(const fc_geometry *g, int32_t number)
{
    if (g->kind == FC_SURVEY_KIND_3D)
        return regular_index(g->xl_numbers[0], g->xl_step, g->n_xl, number);
    int lo = 0, hi = g->n_xl - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int32_t v = g->xl_numbers[g->xl_sorted[mid]];
        if (v == number)
            return g->xl_sorted[mid];
        if (v < number)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}
