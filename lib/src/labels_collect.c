#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/rng.h"
#include "fail.h"
#include "labels_impl.h"

typedef struct bucket {
    int32_t code;
    int64_t seen;
    int64_t n, cap;
    fc_label_point *p;
} bucket;

struct fc_label_collector {
    fc_label_filter f;
    fc_rng rng;
    int nb;
    bucket b[FC_MAX_CLASSES];
    int64_t seen;
    fc_label_point *all; /* merged and sorted on request */
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
    free(c->all);
    free(c);
}

int32_t fc_label_unlabelled_max(const fc_label_collector *c)
{
    return c->f.unlabelled_max;
}

int fc_label_code_allowed(const fc_label_collector *c, int32_t code)
{
    return !c->f.classes || fc_classes_find(c->f.classes, code) >= 0;
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
                        const char *path, fc_error *err)
{
    const fc_survey_info *in = fc_survey_get_info(s);
    int st = c->f.stride;
    if (i % st || j % st || k % st)
        return FC_OK;
    int32_t il = in->inline_numbers[i], xl = in->crossline_numbers[j];
    if (il < c->f.il_min || il > c->f.il_max || xl < c->f.xl_min || xl > c->f.xl_max)
        return FC_OK;
    bucket *b = bucket_of(c, code);
    if (!b)
        return fc_fail(err, FC_ERR_FORMAT, "%s: more than %d different facies codes; is this a label file?", path,
                       FC_MAX_CLASSES);
    c->seen++;
    b->seen++;
    fc_label_point p = {i, j, k, code};
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
        fc_label_point *np = realloc(b->p, (size_t)cap * sizeof *np);
        if (!np)
            return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory holding %lld labels", path, (long long)b->n);
        b->p = np;
        b->cap = cap;
    }
    b->p[b->n++] = p;
    return FC_OK;
}

static int cmp_point(const void *a, const void *b)
{
    const fc_label_point *x = a, *y = b;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    if (x->j != y->j)
        return x->j < y->j ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

const fc_label_point *fc_label_collector_points(fc_label_collector *c, int64_t *n)
{
    int64_t total = 0;
    for (int i = 0; i < c->nb; i++)
        total += c->b[i].n;
    free(c->all);
    c->all = malloc((size_t)(total ? total : 1) * sizeof *c->all);
    if (!c->all) {
        *n = 0;
        return NULL;
    }
    int64_t at = 0;
    for (int i = 0; i < c->nb; i++) {
        memcpy(c->all + at, c->b[i].p, (size_t)c->b[i].n * sizeof *c->all);
        at += c->b[i].n;
    }
    qsort(c->all, (size_t)total, sizeof *c->all, cmp_point);
    *n = total;
    return c->all;
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

/* --- classes.csv --- */

int fc_csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        char *start = p;
        while (*p && *p != ',' && *p != '\n' && *p != '\r')
            p++;
        char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        char stop = *p;
        *end = '\0';
        if (n < max)
            fields[n] = start;
        n++;
        if (stop != ',')
            break;
        p++;
    }
    return n < max ? n : max;
}

int fc_parse_i32(const char *s, int32_t *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < INT32_MIN || v > INT32_MAX)
        return -1;
    *out = (int32_t)v;
    return 0;
}

int fc_parse_double(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int fc_classes_find(const fc_classes *c, int32_t code)
{
    for (int i = 0; i < c->count; i++)
        if (c->c[i].code == code)
            return i;
    return -1;
}

static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

int fc_classes_add_default(fc_classes *c, int32_t code)
{
    int at = fc_classes_find(c, code);
    if (at >= 0)
        return at;
    if (c->count == FC_MAX_CLASSES)
        return -1;
    fc_class_info *ci = &c->c[c->count];
    ci->code = code;
    snprintf(ci->name, sizeof ci->name, "facies_%d", (int)code);
    snprintf(ci->colour, sizeof ci->colour, "%s", palette[c->count % 10]);
    return c->count++;
}

static int valid_colour(const char *s)
{
    if (strlen(s) != 7 || s[0] != '#')
        return 0;
    for (int i = 1; i < 7; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

fc_status fc_classes_load(fc_classes *out, const char *path, fc_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fc_fail(err, FC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    fc_classes c;
    memset(&c, 0, sizeof c);
    char line[1024];
    char *fld[4];
    fc_status st = FC_OK;
    long row = 0;
    while (!st && fgets(line, sizeof line, f)) {
        row++;
        if (!strchr(line, '\n') && !feof(f)) {
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld is longer than %zu characters", path, row, sizeof line - 2);
            break;
        }
        int n = fc_csv_split(line, fld, 4);
        if (row == 1) {
            if (n < 3 || strcmp(fld[0], "code") || strcmp(fld[1], "name") || strcmp(fld[2], "colour"))
                st = fc_fail(err, FC_ERR_FORMAT, "%s: row 1 must be the header 'code,name,colour'", path);
            continue;
        }
        if (n == 1 && fld[0][0] == '\0')
            continue; /* blank line */
        int32_t code;
        if (n != 3 || fc_parse_i32(fld[0], &code))
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: expected 'code,name,colour' with a whole-number code", path,
                         row);
        else if (!fld[1][0] || strlen(fld[1]) >= FC_CLASS_NAME_SIZE)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: the name must be 1 to %d characters", path, row,
                         FC_CLASS_NAME_SIZE - 1);
        else if (!valid_colour(fld[2]))
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: colour '%s' is not #rrggbb", path, row, fld[2]);
        else if (fc_classes_find(&c, code) >= 0)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: code %d is listed twice", path, row, (int)code);
        else if (c.count == FC_MAX_CLASSES)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: more than %d classes", path, row, FC_MAX_CLASSES);
        else {
            fc_class_info *ci = &c.c[c.count++];
            ci->code = code;
            snprintf(ci->name, sizeof ci->name, "%s", fld[1]);
            snprintf(ci->colour, sizeof ci->colour, "%s", fld[2]);
        }
    }
    fclose(f);
    if (!st && c.count == 0)
        st = fc_fail(err, FC_ERR_FORMAT, "%s: no classes listed", path);
    if (!st)
        *out = c;
    return st;
}
