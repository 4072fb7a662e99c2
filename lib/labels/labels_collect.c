/* The label collector: points offered by the loaders, filtered, capped per class, and where each came from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/rng.h"
#include "fail.h"
#include "labels_impl.h"

/* A kept point and where it came from: the source file and its row (or trace), for messages about conflicts. */
typedef struct entry {
    fc_label_point p;
    int32_t src;
    int32_t row;
} entry;

typedef struct bucket {
    int32_t code;
    int64_t seen;
    int64_t n, cap;
    entry *p;
} bucket;

#define MAX_SOURCES 64
#define MAX_SHOWN 8

struct fc_label_collector {
    fc_label_filter f;
    fc_rng rng;
    int nb;
    bucket b[FC_MAX_CLASSES];
    int64_t seen;
    int nsrc;
    char *src_path[MAX_SOURCES];
    const char *src_unit[MAX_SOURCES]; /* "row" or "trace": what a source's row numbers count */
    entry *sorted;                     /* merged and sorted on request */
    fc_label_point *all;
    int64_t nconflicts;
    int64_t conflict_at[MAX_SHOWN]; /* index in sorted of the first entry of a conflicting position */
    fc_label_outside outside;
    int nmissing_shown;
    int32_t missing_src[MAX_SHOWN], missing_row[MAX_SHOWN]; /* the first labels on missing traces */
};

fc_label_filter fc_label_filter_default(void)
{
    fc_label_filter f = {.unlabelled_max = 0,
                         .stride = 1,
                         .il_min = INT32_MIN,
                         .il_max = INT32_MAX,
                         .xl_min = INT32_MIN,
                         .xl_max = INT32_MAX,
                         .per_class = 0,
                         .seed = 1};
    return f;
}

fc_status fc_label_collector_create(fc_label_collector **out, const fc_label_filter *f, fc_error *err)
{
    if (f->stride < 1 || f->per_class < 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "labels: stride must be at least 1 and the per-class cap not negative");
    fc_label_collector *c = calloc(1, sizeof *c);
    if (!c)
        return fc_fail(err, FC_ERR_NOMEM, "labels: out of memory");
    c->f = *f;
    fc_rng_seed(&c->rng, f->seed);
    *out = c;
    return FC_OK;
}

void fc_label_collector_destroy(fc_label_collector *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nb; i++)
        free(c->b[i].p);
    for (int i = 0; i < c->nsrc; i++)
        free(c->src_path[i]);
    free(c->sorted);
    free(c->all);
    free(c);
}

int32_t fc_label_unlabelled_max(const fc_label_collector *c)
{
    return c->f.unlabelled_max;
}

const fc_label_filter *fc_label_filter_of(const fc_label_collector *c)
{
    return &c->f;
}

fc_status fc_label_begin_source(fc_label_collector *c, const char *path, const char *unit, fc_error *err)
{
    if (c->nsrc == MAX_SOURCES)
        return fc_fail(err, FC_ERR_ARGUMENT, "%s: more than %d label files", path, MAX_SOURCES);
    c->src_path[c->nsrc] = malloc(strlen(path) + 1);
    if (!c->src_path[c->nsrc])
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    strcpy(c->src_path[c->nsrc], path);
    c->src_unit[c->nsrc++] = unit;
    return FC_OK;
}

/* The source being loaded (the loaders are only called through fc_labels_load, which begins one). */
static const char *current_path(const fc_label_collector *c)
{
    return c->nsrc ? c->src_path[c->nsrc - 1] : "labels";
}

static void position_text(const fc_survey *s, const fc_label_point *p, char *buf, size_t n)
{
    const fc_survey_info *in = fc_survey_get_info(s);
    if (in->kind == FC_SURVEY_KIND_2D)
        snprintf(buf, n, "cdp %d sample %d", (int)in->crossline_numbers[p->j], (int)p->k);
    else
        snprintf(buf, n, "inline %d crossline %d sample %d", (int)in->inline_numbers[p->i],
                 (int)in->crossline_numbers[p->j], (int)p->k);
}

int fc_label_lines_wanted(const fc_label_collector *c, int32_t il, int32_t xl)
{
    return il >= c->f.il_min && il <= c->f.il_max && xl >= c->f.xl_min && xl <= c->f.xl_max;
}

int fc_label_wanted(const fc_label_collector *c, const fc_survey *s, int32_t i, int32_t j, int32_t k)
{
    const fc_survey_info *in = fc_survey_get_info(s);
    int st = c->f.stride;
    if (i % st || j % st || k % st)
        return 0;
    return fc_label_lines_wanted(c, in->inline_numbers[i], in->crossline_numbers[j]);
}

void fc_label_note_missing(fc_label_collector *c, int64_t row)
{
    if (c->nmissing_shown < MAX_SHOWN) {
        c->missing_src[c->nmissing_shown] = c->nsrc - 1;
        c->missing_row[c->nmissing_shown++] = row > INT32_MAX ? INT32_MAX : (int32_t)row;
    }
    c->outside.missing++;
}

void fc_label_note_off_grid(fc_label_collector *c)
{
    c->outside.off_grid++;
}

void fc_label_note_survey_traces(fc_label_collector *c, int64_t n)
{
    c->outside.survey_traces += n;
    c->outside.segy = 1;
}

void fc_label_collector_outside(const fc_label_collector *c, fc_label_outside *out, int show, char *text, size_t n)
{
    *out = c->outside;
    size_t used = 0;
    if (n)
        text[0] = '\0';
    for (int q = 0; q < c->nmissing_shown && q < show && used < n; q++) {
        int src = c->missing_src[q], same = q && c->missing_src[q - 1] == src;
        int last = q + 1 == c->nmissing_shown || q + 1 == show || c->missing_src[q + 1] != src;
        const char *unit = c->src_unit[src];
        int w = same ? snprintf(text + used, n - used, ", %d", (int)c->missing_row[q])
                     : snprintf(text + used, n - used, "%s%s %s%s %d", q ? "; " : "", c->src_path[src], unit,
                                last ? "" : "s", (int)c->missing_row[q]);
        used += w > 0 ? (size_t)w : 0;
    }
}

int64_t fc_label_collector_seen(const fc_label_collector *c)
{
    return c->seen;
}

static bucket *bucket_of(fc_label_collector *c, int32_t code)
{
    for (int i = 0; i < c->nb; i++)
        if (c->b[i].code == code)
            return &c->b[i];
    if (c->nb == FC_MAX_CLASSES)
        return NULL;
    bucket *b = &c->b[c->nb++];
    memset(b, 0, sizeof *b);
    b->code = code;
    return b;
}

fc_status fc_label_push(fc_label_collector *c, const fc_survey *s, int32_t i, int32_t j, int32_t k, int32_t code,
                        int64_t row, fc_error *err)
{
    if (!fc_label_wanted(c, s, i, j, k))
        return FC_OK;
    const char *path = current_path(c);
    /* Checked after the filter: a code on a line that is not ingested does not matter. */
    if (c->f.classes && fc_classes_find(c->f.classes, code) < 0) {
        char where[96];
        fc_label_point p = {i, j, k, code};
        position_text(s, &p, where, sizeof where);
        return fc_fail(err, FC_ERR_FORMAT, "%s: %s %lld: facies code %d is not in the classes file (%s)", path,
                       c->src_unit[c->nsrc - 1], (long long)row, (int)code, where);
    }
    bucket *b = bucket_of(c, code);
    if (!b)
        return fc_fail(err, FC_ERR_FORMAT, "%s: more than %d different facies codes; is this a label file?", path,
                       FC_MAX_CLASSES);
    c->seen++;
    b->seen++;
    entry p = {{i, j, k, code}, c->nsrc - 1, row > INT32_MAX ? INT32_MAX : (int32_t)row};
    if (c->f.per_class > 0 && b->n == c->f.per_class) {
        /* Reservoir sampling: every point seen so far is kept with equal chance. */
        uint64_t r = fc_rng_below(&c->rng, (uint64_t)b->seen);
        if (r < (uint64_t)b->n)
            b->p[r] = p;
        return FC_OK;
    }
    if (b->n == b->cap) {
        int64_t cap = b->cap ? 2 * b->cap : 1024;
        if (c->f.per_class > 0 && cap > c->f.per_class)
            cap = c->f.per_class;
        entry *np = realloc(b->p, (size_t)cap * sizeof *np);
        if (!np)
            return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory holding %lld labels", path, (long long)b->n);
        b->p = np;
        b->cap = cap;
    }
    b->p[b->n++] = p;
    return FC_OK;
}

/* By position, then code: conflicting codes at a position end up side by side. */
static int cmp_entry(const void *a, const void *b)
{
    const fc_label_point *x = &((const entry *)a)->p, *y = &((const entry *)b)->p;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    if (x->j != y->j)
        return x->j < y->j ? -1 : 1;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return (x->code > y->code) - (x->code < y->code);
}

static int same_position(const fc_label_point *x, const fc_label_point *y)
{
    return x->i == y->i && x->j == y->j && x->k == y->k;
}

static void find_conflicts(fc_label_collector *c, int64_t n)
{
    c->nconflicts = 0;
    for (int64_t a = 0; a < n;) {
        int64_t b = a + 1;
        while (b < n && same_position(&c->sorted[a].p, &c->sorted[b].p))
            b++;
        if (c->sorted[a].p.code != c->sorted[b - 1].p.code) {
            if (c->nconflicts < MAX_SHOWN)
                c->conflict_at[c->nconflicts] = a;
            c->nconflicts++;
        }
        a = b;
    }
}

const fc_label_point *fc_label_collector_points(fc_label_collector *c, int64_t *n)
{
    int64_t total = 0;
    for (int i = 0; i < c->nb; i++)
        total += c->b[i].n;
    free(c->sorted);
    free(c->all);
    c->sorted = malloc((size_t)(total ? total : 1) * sizeof *c->sorted);
    c->all = malloc((size_t)(total ? total : 1) * sizeof *c->all);
    if (!c->sorted || !c->all) {
        *n = 0;
        return NULL;
    }
    int64_t at = 0;
    for (int i = 0; i < c->nb; i++) {
        memcpy(c->sorted + at, c->b[i].p, (size_t)c->b[i].n * sizeof *c->sorted);
        at += c->b[i].n;
    }
    qsort(c->sorted, (size_t)total, sizeof *c->sorted, cmp_entry);
    for (int64_t p = 0; p < total; p++)
        c->all[p] = c->sorted[p].p;
    find_conflicts(c, total);
    *n = total;
    return c->all;
}

static void describe_entry(const fc_label_collector *c, const entry *e, char *buf, size_t n)
{
    snprintf(buf, n, "%d (%s %s %d)", (int)e->p.code, c->src_path[e->src], c->src_unit[e->src], (int)e->row);
}

int64_t fc_label_collector_conflicts(const fc_label_collector *c, const fc_survey *s, int show, char *text, size_t n)
{
    size_t used = 0;
    if (n)
        text[0] = '\0';
    for (int64_t q = 0; q < c->nconflicts && q < show && q < MAX_SHOWN && used < n; q++) {
        const entry *e = &c->sorted[c->conflict_at[q]];
        char where[96], first[600], other[600];
        position_text(s, &e->p, where, sizeof where);
        const entry *f = e + 1;
        while (f->p.code == e->p.code) /* a conflict has a second code at the same position */
            f++;
        describe_entry(c, e, first, sizeof first);
        describe_entry(c, f, other, sizeof other);
        int w = snprintf(text + used, n - used, "%s%s: %s vs %s", q ? "; " : "", where, first, other);
        used += w > 0 ? (size_t)w : 0;
    }
    return c->nconflicts;
}

int fc_label_collector_codes(const fc_label_collector *c, int32_t *codes, int64_t *counts, int max)
{
    int n = c->nb < max ? c->nb : max;
    for (int i = 0; i < n; i++) {
        codes[i] = c->b[i].code;
        counts[i] = c->b[i].seen;
    }
    return n;
}
