/* Labels from horizon intervals: an interval table (top_horizon,base_horizon,facies) naming horizon files
 * (`inline crossline time_ms` per line, `cdp time_ms` on a 2-D line, or `x y time_ms` under such a header line; see
 * horizon_file.h), rasterised between the surfaces. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "input_file.h"
#include "folder.h"
#include "horizon_file.h"
#include "labels_impl.h"

#define MAX_INTERVALS 64

typedef struct horizon {
    char path[4096];
    float *t; /* [cells] time in ms, NAN where the horizon is not given */
} horizon;

typedef struct interval {
    int top, base; /* horizon indices */
    int32_t code;
    long row;
    int base_is_final; /* no interval starts at this base: the base sample belongs to the interval */
} interval;

static fc_status dir_of(const char *path, char *dir, size_t n, fc_error *err)
{
    fc_status st = fc_path_format(dir, n, err, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    return st;
}

static fc_status load_horizon(horizon *h, fc_survey *s, fc_error *err)
{
    const fc_survey_info *in = fc_survey_get_info(s);
    size_t cells = (size_t)in->inline_count * (size_t)in->crossline_count;
    h->t = malloc(cells * sizeof *h->t);
    if (!h->t)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", h->path);
    fc_horizon_stats st;
    fc_status status = fc_horizon_read(s, h->path, h->t, &st, err);
    return status ? status : fc_labels_check_ms(in, h->path, "time_ms", st.points, st.tmin, st.tmax, err);
}

static int find_or_add(horizon *hs, int *nh, const char *path)
{
    for (int i = 0; i < *nh; i++)
        if (!strcmp(hs[i].path, path))
            return i;
    snprintf(hs[*nh].path, sizeof hs[*nh].path, "%s", path);
    return (*nh)++;
}

/* The intervals of a table, and its horizons in *hs (the caller frees it, even on failure). */
static fc_status read_table(const char *path, horizon **out, int *nh, interval *iv, int *niv, fc_error *err)
{
    horizon *hs = *out = calloc(2 * MAX_INTERVALS, sizeof *hs);
    if (!hs)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    FILE *f;
    fc_status opened = fc_input_open(path, &f, err);
    if (opened)
        return opened;
    char dir[4096], line[2048], full[4096];
    long row = 0;
    fc_status st = dir_of(path, dir, sizeof dir, err);
    char sep = ',';
    while (!st && fgets(line, sizeof line, f)) {
        row++;
        char *fld[4];
        if (row == 1)
            sep = fc_csv_separator(line);
        int n = fc_csv_split(line, sep, fld, 4);
        if (row == 1)
            continue; /* header, checked by the caller */
        if (n == 1 && !fld[0][0])
            continue;
        int32_t code;
        if (n != 3 || !fld[0][0] || !fld[1][0] || fc_parse_i32(fld[2], &code))
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: expected 'top_horizon,base_horizon,facies'", path, row);
        else if (*niv == MAX_INTERVALS)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: more than %d intervals", path, MAX_INTERVALS);
        else {
            interval *v = &iv[(*niv)++];
            char base[4096];
            int a = snprintf(full, sizeof full, "%s%s", fld[0][0] == '/' ? "" : dir, fld[0]);
            int b = snprintf(base, sizeof base, "%s%s", fld[1][0] == '/' ? "" : dir, fld[1]);
            if (a < 0 || b < 0 || (size_t)a >= sizeof full || (size_t)b >= sizeof base) {
                st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: horizon path too long", path, row);
                break;
            }
            v->top = find_or_add(hs, nh, full);
            v->base = find_or_add(hs, nh, base);
            v->code = code;
            v->row = row;
        }
    }
    fclose(f);
    if (!st && *niv == 0)
        st = fc_fail(err, FC_ERR_FORMAT, "%s: no intervals listed", path);
    return st;
}

fc_status fc_labels_list_horizons(const char *path, void (*each)(void *ctx, const char *horizon), void *ctx,
                                  fc_error *err)
{
    horizon *hs = NULL;
    interval iv[MAX_INTERVALS];
    int nh = 0, niv = 0;
    fc_status st = read_table(path, &hs, &nh, iv, &niv, err);
    for (int h = 0; h < nh && !st; h++)
        each(ctx, hs[h].path);
    free(hs);
    return st;
}

fc_status fc_labels_load_horizons(fc_label_collector *c, fc_survey *s, const char *path, fc_error *err)
{
    horizon *hs = NULL;
    interval iv[MAX_INTERVALS];
    int nh = 0, niv = 0;
    fc_status st = read_table(path, &hs, &nh, iv, &niv, err);
    for (int h = 0; h < nh && !st; h++)
        st = load_horizon(&hs[h], s, err);
    for (int a = 0; a < niv; a++) {
        iv[a].base_is_final = 1;
        for (int b = 0; b < niv; b++)
            if (iv[b].top == iv[a].base)
                iv[a].base_is_final = 0;
    }
    const fc_survey_info *in = fc_survey_get_info(s);
    unsigned char *done = malloc((size_t)in->sample_count);
    if (!st && !done)
        st = fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    for (int i = 0; i < in->inline_count && !st; i++) {
        for (int j = 0; j < in->crossline_count && !st; j++) {
            if (fc_survey_trace_at(s, i, j) < 0)
                continue;
            size_t cell = (size_t)i * in->crossline_count + j;
            memset(done, 0, (size_t)in->sample_count);
            for (int v = 0; v < niv && !st; v++) {
                float top = hs[iv[v].top].t[cell], base = hs[iv[v].base].t[cell];
                if (isnan(top) || isnan(base))
                    continue;
                if (top > base) {
                    st = fc_fail(err, FC_ERR_FORMAT,
                                 "%s: row %ld: horizons %s and %s cross at inline %d crossline %d (top %.2f ms is "
                                 "below base %.2f ms)",
                                 path, iv[v].row, hs[iv[v].top].path, hs[iv[v].base].path, (int)in->inline_numbers[i],
                                 (int)in->crossline_numbers[j], (double)top, (double)base);
                    break;
                }
                for (int k = 0; k < in->sample_count && !st; k++) {
                    double t = in->start_time_ms + k * in->sample_interval_ms;
                    int inside = t >= top && (t < base || (iv[v].base_is_final && t <= base));
                    if (inside && !done[k]) {
                        done[k] = 1;
                        st = fc_label_push(c, s, i, j, k, iv[v].code, iv[v].row, err);
                    }
                }
            }
        }
    }
    free(done);
    for (int h = 0; h < nh; h++)
        free(hs[h].t);
    free(hs);
    return st;
}
