#include "train_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/patch.h"
#include "facies/rng.h"
#include "fail.h"
#include "log_line.h"

fc_status train_data_shape(train_data *d, fc_patches *p, fc_error *err)
{
    memset(d, 0, sizeof *d);
    const fc_patches_meta *m = fc_patches_get_meta(p);
    d->n = fc_patches_count(p);
    d->c = fc_patches_planes(m);
    d->nch = m->channels;
    d->h = m->height;
    d->w = m->width;
    d->psz = (size_t)d->c * (size_t)d->h * (size_t)d->w;
    d->nclasses = m->classes.count;
    if (d->n < 2)
        return fc_fail(err, FC_ERR_FORMAT, "the dataset has %lld patches; training needs more", (long long)d->n);
    return FC_OK;
}

fc_status train_data_load(train_data *d, fc_patches *p, fc_error *err)
{
    fc_status st = train_data_shape(d, p, err);
    if (st)
        return st;
    d->x = malloc(sizeof(float) * d->psz * (size_t)d->n);
    d->y = malloc(sizeof(int32_t) * (size_t)d->n);
    d->pos = malloc(sizeof(int32_t) * 4 * (size_t)d->n);
    d->train = malloc(sizeof(int64_t) * (size_t)d->n);
    d->val = malloc(sizeof(int64_t) * (size_t)d->n);
    if (!d->x || !d->y || !d->pos || !d->train || !d->val)
        return fc_fail(err, FC_ERR_NOMEM, "out of memory loading %lld patches (%.1f GB)", (long long)d->n,
                       (double)d->psz * 4.0 * (double)d->n / 1e9);
    return fc_patches_read(p, 0, d->n, d->x, d->y, d->pos, err);
}

void train_data_free(train_data *d)
{
    free(d->x);
    free(d->y);
    free(d->pos);
    free(d->train);
    free(d->val);
    memset(d, 0, sizeof *d);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The split runs along one axis of positions: inline numbers (pos[1]) across the lines of a volume or along one
 * crossline; crossline numbers (pos[2], CDPs on a 2-D line) along one inline or a 2-D line. */
enum { AXIS_INLINE = 1, AXIS_CROSSLINE = 2 };

/* How far (in numbers along the axis) a patch reaches: half its width if its section runs along the axis. A
 * crossline section runs along the inline axis; an inline section and a 2-D line run along the crossline axis. */
static int64_t reach_of(const int32_t *pos, int axis, int w, int32_t step)
{
    int along = pos[0] == 1 ? axis == AXIS_INLINE : axis == AXIS_CROSSLINE;
    return along ? (int64_t)(w / 2) * step : 0;
}

#define log_line(o, ...) fc_log_line((o)->report.log, (o)->report.ctx, __VA_ARGS__)

static void count_classes(train_data *d)
{
    memset(d->class_count, 0, sizeof d->class_count);
    for (int64_t i = 0; i < d->ntrain; i++)
        d->class_count[d->y[d->train[i]]]++;
}

static fc_status random_split(train_data *d, const fc_train_options *o, fc_error *err)
{
    int64_t *idx = d->train;
    for (int64_t i = 0; i < d->n; i++)
        idx[i] = i;
    fc_rng r;
    fc_rng_seed(&r, o->seed ^ 0x53504c4954ull);
    for (int64_t i = d->n - 1; i > 0; i--) {
        int64_t j = (int64_t)fc_rng_below(&r, (uint64_t)i + 1), t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    d->nval = (int64_t)(o->val_fraction * (double)d->n + 0.5);
    if (d->nval < 1)
        d->nval = 1;
    memcpy(d->val, idx, sizeof(int64_t) * (size_t)d->nval);
    memmove(d->train, idx + d->nval, sizeof(int64_t) * (size_t)(d->n - d->nval));
    d->ntrain = d->n - d->nval;
    count_classes(d);
    log_line(o, "warning: random patch split: neighbouring, overlapping patches fall on both sides, so validation "
                "scores are leaky and optimistic; prefer validation on separate lines");
    (void)err;
    return FC_OK;
}

static int32_t gcd(int32_t a, int32_t b)
{
    while (b) {
        int32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The distinct values of pos[axis] over the rows, ascending, into keys (room for d->n); returns their count and
 * sets *step to the greatest common divisor of their gaps (1 for a single value). */
static int64_t distinct_keys(const train_data *d, int axis, int32_t *keys, int32_t *step)
{
    for (int64_t i = 0; i < d->n; i++)
        keys[i] = d->pos[4 * i + axis];
    qsort(keys, (size_t)d->n, sizeof *keys, cmp_i32);
    int64_t n = 0;
    int32_t g = 0;
    for (int64_t i = 0; i < d->n; i++)
        if (i == 0 || keys[i] != keys[i - 1]) {
            if (n > 0)
                g = gcd(g, keys[i] - keys[n - 1]);
            keys[n++] = keys[i];
        }
    *step = g > 0 ? g : 1;
    return n;
}

/* What the split runs along: the lines of a volume, or the traces of one section (one inline, one crossline, a
 * 2-D line), which validates on a block of traces (--val-traces). */
typedef struct split_plan {
    int axis, one_section;
    int64_t nkeys; /* distinct positions along the axis */
    int32_t step;  /* between them */
    int32_t first, last;
    char what[96]; /* for the log: "lines", "crosslines of inline 362", ... */
} split_plan;

static void plan_split(const train_data *d, int32_t *keys, split_plan *p)
{
    int32_t step;
    memset(p, 0, sizeof *p);
    if (d->pos[0] == 2) {
        p->axis = AXIS_CROSSLINE;
        p->one_section = 1;
        snprintf(p->what, sizeof p->what, "CDPs of the 2-D line");
    } else if (distinct_keys(d, AXIS_INLINE, keys, &step) == 1) {
        p->axis = AXIS_CROSSLINE;
        p->one_section = 1;
        snprintf(p->what, sizeof p->what, "crosslines of inline %d", (int)keys[0]);
    } else if (distinct_keys(d, AXIS_CROSSLINE, keys, &step) == 1) {
        p->axis = AXIS_INLINE;
        p->one_section = 1;
        snprintf(p->what, sizeof p->what, "inlines of crossline %d", (int)keys[0]);
    } else {
        p->axis = AXIS_INLINE;
        snprintf(p->what, sizeof p->what, "lines");
    }
    p->nkeys = distinct_keys(d, p->axis, keys, &p->step);
    p->first = keys[0];
    p->last = keys[p->nkeys - 1];
}

/* The validation ranges along the plan's axis: named (--val-lines, --val-traces) or a block of val_fraction of the
 * positions drawn by the seed; keys holds the distinct positions. */
static fc_status val_ranges(const train_data *d, const fc_train_options *o, const split_plan *p, const int32_t *keys,
                            int32_t *lo, int32_t *hi, int *nr, fc_error *err)
{
    if (o->val_traces && !p->one_section)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "--val-traces names traces of one section, but the patches come from several inlines and "
                       "crosslines; name validation inlines with --val-lines");
    if (o->nval > 0 && p->one_section && p->axis == AXIS_CROSSLINE && d->pos[0] != 2)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "all patches come from inline %d, which --val-lines cannot split; name a block of its "
                       "crosslines with --val-traces A:B, or leave both out for a block of --val-fraction of them",
                       (int)d->pos[1]);
    if (o->val_traces) {
        lo[0] = o->val_traces_lo;
        hi[0] = o->val_traces_hi;
        *nr = 1;
        return FC_OK;
    }
    if (o->nval > 0) {
        memcpy(lo, o->val_lo, sizeof(int32_t) * (size_t)o->nval);
        memcpy(hi, o->val_hi, sizeof(int32_t) * (size_t)o->nval);
        *nr = o->nval;
        return FC_OK;
    }
    if (p->nkeys < 2)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "all patches come from one trace (inline %d, crossline %d); validation needs another; use "
                       "--random-split (leaky)",
                       (int)d->pos[1], (int)d->pos[2]);
    int64_t nv = (int64_t)(o->val_fraction * (double)p->nkeys + 0.5);
    nv = nv < 1 ? 1 : nv >= p->nkeys ? p->nkeys - 1 : nv;
    fc_rng r;
    fc_rng_seed(&r, o->seed ^ 0x56414cull);
    int64_t start = (int64_t)fc_rng_below(&r, (uint64_t)(p->nkeys - nv + 1));
    lo[0] = keys[start];
    hi[0] = keys[start + nv - 1];
    *nr = 1;
    return FC_OK;
}

fc_status train_data_split(train_data *d, const fc_train_options *o, fc_error *err)
{
    if (o->random_split)
        return random_split(d, o, err);
    int32_t *keys = malloc(sizeof(int32_t) * (size_t)d->n);
    if (!keys)
        return fc_fail(err, FC_ERR_NOMEM, "train: out of memory for the validation split");
    split_plan p;
    plan_split(d, keys, &p);
    int32_t lo[FC_TRAIN_MAX_VAL_RANGES], hi[FC_TRAIN_MAX_VAL_RANGES];
    int nr = 0;
    fc_status st = val_ranges(d, o, &p, keys, lo, hi, &nr, err);
    free(keys);
    if (st)
        return st;
    /* Validation rows, and how far their patches reach along the axis. */
    int64_t val_reach = 0;
    d->nval = d->ntrain = d->dropped = 0;
    for (int64_t i = 0; i < d->n; i++) {
        int32_t k = d->pos[4 * i + p.axis];
        for (int v = 0; v < nr; v++)
            if (k >= lo[v] && k <= hi[v]) {
                d->val[d->nval++] = i;
                int64_t reach = reach_of(d->pos + 4 * i, p.axis, d->w, p.step);
                val_reach = reach > val_reach ? reach : val_reach;
                break;
            }
    }
    for (int64_t i = 0, at = 0; i < d->n; i++) {
        if (at < d->nval && d->val[at] == i) {
            at++;
            continue;
        }
        int64_t k = d->pos[4 * i + p.axis], reach = reach_of(d->pos + 4 * i, p.axis, d->w, p.step);
        int overlaps = 0;
        for (int v = 0; v < nr && !overlaps; v++)
            overlaps = k + reach >= (int64_t)lo[v] - val_reach && k - reach <= (int64_t)hi[v] + val_reach;
        if (overlaps)
            d->dropped++;
        else
            d->train[d->ntrain++] = i;
    }
    char ranges[256] = "";
    for (int v = 0; v < nr; v++)
        snprintf(ranges + strlen(ranges), sizeof ranges - strlen(ranges), "%s%d..%d", v ? ", " : "", (int)lo[v],
                 (int)hi[v]);
    if (d->nval == 0 || d->ntrain == 0)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "the split leaves %lld training patches (%lld dropped within half a patch of validation) and "
                       "%lld validation patches (validation %s %s; the patches lie on %d..%d); choose other %s",
                       (long long)d->ntrain, (long long)d->dropped, (long long)d->nval,
                       p.one_section ? p.what : "lines", ranges, (int)p.first, (int)p.last,
                       o->nval > 0                      ? "--val-lines"
                       : o->val_traces || p.one_section ? "--val-traces"
                                                        : "--val-lines");
    if (p.one_section)
        log_line(o,
                 "validation traces %s (%s): %lld patches; training: %lld patches; %lld dropped within half a "
                 "patch of the validation traces so no patches overlap",
                 ranges, p.what, (long long)d->nval, (long long)d->ntrain, (long long)d->dropped);
    else
        log_line(o,
                 "validation lines %s: %lld patches; training: %lld patches; %lld dropped within half a patch of the "
                 "validation lines so no patches overlap",
                 ranges, (long long)d->nval, (long long)d->ntrain, (long long)d->dropped);
    count_classes(d);
    return FC_OK;
}

void train_data_epoch_order(const train_data *d, uint64_t seed, int epoch, int balanced, int64_t *by_class,
                            int64_t *order)
{
    fc_rng r;
    fc_rng_seed(&r, seed * 0x2545f4914f6cdd1dull + (uint64_t)epoch);
    if (!balanced) {
        memcpy(order, d->train, sizeof(int64_t) * (size_t)d->ntrain);
        for (int64_t i = d->ntrain - 1; i > 0; i--) {
            int64_t j = (int64_t)fc_rng_below(&r, (uint64_t)i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return;
    }
    /* Balanced: draw a class uniformly among those present, then a row of it. */
    int present[FC_MAX_CLASSES], np = 0;
    int64_t start[FC_MAX_CLASSES + 1] = {0};
    for (int c = 0; c < d->nclasses; c++) {
        if (d->class_count[c] > 0)
            present[np++] = c;
        start[c + 1] = start[c] + d->class_count[c];
    }
    int64_t fill[FC_MAX_CLASSES];
    memcpy(fill, start, sizeof(int64_t) * (size_t)d->nclasses);
    for (int64_t i = 0; i < d->ntrain; i++)
        by_class[fill[d->y[d->train[i]]]++] = d->train[i];
    for (int64_t i = 0; i < d->ntrain; i++) {
        int c = present[fc_rng_below(&r, (uint64_t)np)];
        order[i] = by_class[start[c] + (int64_t)fc_rng_below(&r, (uint64_t)d->class_count[c])];
    }
}

void train_data_patch(const train_data *d, const float *src, int augment, uint64_t seed, int epoch, int64_t index,
                      const fc_channel *channels, float *dst)
{
    if (!augment) {
        memcpy(dst, src, sizeof(float) * d->psz);
        return;
    }
    fc_rng r;
    fc_rng_seed(&r, seed ^ ((uint64_t)epoch << 40) ^ (uint64_t)index * 0x9e3779b97f4a7c15ull);
    int flip = fc_rng_below(&r, 2) == 1;
    int dx = (int)fc_rng_below(&r, 5) - 2, dy = (int)fc_rng_below(&r, 5) - 2;
    float scale = (float)exp(0.4 * fc_rng_uniform(&r) - 0.2);
    float sigma = 0.03f;
    int nch = d->nch > 0 ? d->nch : d->c; /* 0: one scale */
    for (int c = 0; c < d->c; c++) {
        fc_channel kind = channels[c % nch];
        int amplitude_like = kind != FC_CHANNEL_COS_PHASE;
        /* The coarse views of --scales are flipped with the patch but not shifted: a shift of theirs would be K times
         * the patch's own. */
        int sy = c < nch ? dy : 0, sx = c < nch ? dx : 0;
        for (int i = 0; i < d->h; i++)
            for (int j = 0; j < d->w; j++) {
                /* Left-right flip and small shifts only: time runs one way, so never a vertical flip. */
                int jj = flip ? d->w - 1 - j : j;
                long si = fc_reflect(i + sy, d->h), sj = fc_reflect(jj + sx, d->w);
                float v = src[((size_t)c * d->h + (size_t)si) * d->w + (size_t)sj];
                if (amplitude_like)
                    v = v * scale + (kind == FC_CHANNEL_AMPLITUDE ? sigma * (float)fc_rng_normal(&r) : 0.0f);
                dst[((size_t)c * d->h + i) * d->w + j] = v;
            }
    }
}

void train_data_batch(const train_data *d, const int64_t *rows, int n, int augment, uint64_t seed, int epoch,
                      int64_t first, const fc_channel *channels, float *x, int32_t *y)
{
    for (int s = 0; s < n; s++) {
        y[s] = d->y[rows[s]];
        train_data_patch(d, d->x + d->psz * (size_t)rows[s], augment, seed, epoch, first + s, channels,
                         x + d->psz * (size_t)s);
    }
}
