/* Architecture spec strings: conv32-pool-conv64-pool-conv128-pool-flatten-dense128-dropout0.5-dense. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "nn_impl.h"

const char *fc_layer_kind_name(fc_layer_kind k)
{
    switch (k) {
    case FC_LAYER_CONV: return "conv2d";
    case FC_LAYER_MAXPOOL: return "max_pooling2d";
    case FC_LAYER_AVGPOOL: return "average_pooling2d";
    case FC_LAYER_BATCHNORM: return "batch_normalization";
    case FC_LAYER_DROPOUT: return "dropout";
    case FC_LAYER_FLATTEN: return "flatten";
    case FC_LAYER_GAP: return "global_average_pooling2d";
    case FC_LAYER_DENSE: return "dense";
    }
    return "layer";
}

/* Read an unsigned number at *p, advancing; -1 if none. */
static long number(const char **p)
{
    if (!isdigit((unsigned char)**p))
        return -1;
    long v = 0;
    while (isdigit((unsigned char)**p) && v < 1000000)
        v = v * 10 + (*(*p)++ - '0');
    return v;
}

static int starts(const char **p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*p, word, n))
        return 0;
    *p += n;
    return 1;
}

static fc_status parse_token(const char *tok, int last, int classes, layer *l, fc_error *err)
{
    const char *p = tok;
    memset(l, 0, sizeof *l);
    if (starts(&p, "conv")) {
        l->kind = FC_LAYER_CONV;
        l->filters = (int)number(&p);
        l->k = 3;
        l->stride = 1;
        l->relu = 1;
        int same = 0;
        for (;;) {
            if (*p == 'k' && isdigit((unsigned char)p[1])) {
                p++;
                l->k = (int)number(&p);
            } else if (*p == 's' && isdigit((unsigned char)p[1])) {
                p++;
                l->stride = (int)number(&p);
            } else if (starts(&p, "psame")) {
                same = 1;
            } else if (starts(&p, "pvalid")) {
                same = 0;
            } else {
                break;
            }
        }
        l->pad = same ? l->k / 2 : 0;
        if (l->filters < 1 || l->k < 1 || l->stride < 1 || *p)
            return fc_fail(err, FC_ERR_ARGUMENT, "architecture: '%s' is not convN[kK][sS][pvalid|psame]", tok);
        snprintf(l->config, sizeof l->config, "%d %dx%d s%d %s relu", l->filters, l->k, l->k, l->stride,
                 same ? "same" : "valid");
    } else if (starts(&p, "maxpool") || starts(&p, "pool") || starts(&p, "avgpool")) {
        l->kind = tok[0] == 'a' ? FC_LAYER_AVGPOOL : FC_LAYER_MAXPOOL;
        long k = number(&p);
        l->pk = k > 0 ? (int)k : 2;
        l->ps = l->pk;
        if (*p == 's') {
            p++;
            l->ps = (int)number(&p);
        }
        if (l->pk < 1 || l->ps < 1 || *p)
            return fc_fail(err, FC_ERR_ARGUMENT, "architecture: '%s' is not pool[K][sS] or avgpool[K][sS]", tok);
        snprintf(l->config, sizeof l->config, "%dx%d s%d", l->pk, l->pk, l->ps);
    } else if (!strcmp(tok, "batchnorm") || !strcmp(tok, "bn")) {
        l->kind = FC_LAYER_BATCHNORM;
        snprintf(l->config, sizeof l->config, "momentum " FC_BN_MOMENTUM_TEXT " eps " FC_BN_EPSILON_TEXT);
    } else if (starts(&p, "dropout")) {
        l->kind = FC_LAYER_DROPOUT;
        char *end = NULL;
        l->rate = *p ? strtof(p, &end) : 0.5f;
        if ((*p && *end) || !(l->rate >= 0.0f && l->rate < 1.0f))
            return fc_fail(err, FC_ERR_ARGUMENT, "architecture: '%s': the dropout rate must be in [0, 1)", tok);
        snprintf(l->config, sizeof l->config, "rate %g", (double)l->rate);
    } else if (!strcmp(tok, "flatten")) {
        l->kind = FC_LAYER_FLATTEN;
    } else if (!strcmp(tok, "gap")) {
        l->kind = FC_LAYER_GAP;
    } else if (starts(&p, "dense")) {
        l->kind = FC_LAYER_DENSE;
        long units = number(&p);
        if (*p || (units < 1 && !last) || units == 0)
            return fc_fail(err, FC_ERR_ARGUMENT, "architecture: '%s' is not denseN (only the last dense has no N)",
                           tok);
        l->filters = units > 0 ? (int)units : classes;
        l->relu = !last;
        if (last && units > 0 && units != classes)
            return fc_fail(err, FC_ERR_ARGUMENT, "architecture: the last dense has %ld units but there are %d classes",
                           units, classes);
        snprintf(l->config, sizeof l->config, "%d%s", l->filters, last ? " softmax" : " relu");
    } else {
        return fc_fail(err, FC_ERR_ARGUMENT, "architecture: unknown layer '%s'", tok);
    }
    return FC_OK;
}

/* Output shape of l given its input; fails if the input is too small. */
static fc_status shape(layer *l, const char *spec, fc_error *err)
{
    switch (l->kind) {
    case FC_LAYER_CONV:
        l->out_c = l->filters;
        l->out_h = (l->in_h + 2 * l->pad - l->k) / l->stride + 1;
        l->out_w = (l->in_w + 2 * l->pad - l->k) / l->stride + 1;
        if (l->in_h + 2 * l->pad < l->k || l->in_w + 2 * l->pad < l->k)
            l->out_h = l->out_w = 0;
        l->col_size = (size_t)l->in_c * l->k * l->k * (size_t)l->out_h * l->out_w;
        break;
    case FC_LAYER_MAXPOOL:
    case FC_LAYER_AVGPOOL:
        l->out_c = l->in_c;
        l->out_h = l->in_h >= l->pk ? (l->in_h - l->pk) / l->ps + 1 : 0;
        l->out_w = l->in_w >= l->pk ? (l->in_w - l->pk) / l->ps + 1 : 0;
        break;
    case FC_LAYER_BATCHNORM:
    case FC_LAYER_DROPOUT:
        l->out_c = l->in_c;
        l->out_h = l->in_h;
        l->out_w = l->in_w;
        break;
    case FC_LAYER_FLATTEN:
        l->out_c = l->in_c * l->in_h * l->in_w;
        l->out_h = l->out_w = 1;
        break;
    case FC_LAYER_GAP:
        l->out_c = l->in_c;
        l->out_h = l->out_w = 1;
        break;
    case FC_LAYER_DENSE:
        if (l->in_h != 1 || l->in_w != 1)
            return fc_fail(err, FC_ERR_ARGUMENT, "architecture '%s': dense needs flatten or gap before it", spec);
        l->out_c = l->filters;
        l->out_h = l->out_w = 1;
        break;
    }
    if (l->out_h < 1 || l->out_w < 1)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "architecture '%s': %s gets a %dx%d input, too small (use a larger --patch or fewer pools)",
                       spec, l->name, l->in_h, l->in_w);
    l->in_size = (size_t)l->in_c * l->in_h * l->in_w;
    l->out_size = (size_t)l->out_c * l->out_h * l->out_w;
    return FC_OK;
}

fc_status fc_nn_parse_spec(const char *spec, int in_c, int in_h, int in_w, int classes, layer **out, int *n,
                           fc_error *err)
{
    size_t len = strlen(spec);
    if (len == 0 || len >= 512)
        return fc_fail(err, FC_ERR_ARGUMENT, "architecture: empty or longer than 511 characters");
    char buf[512];
    memcpy(buf, spec, len + 1);
    int count = 1;
    for (size_t i = 0; i < len; i++)
        count += buf[i] == '-';
    layer *L = calloc((size_t)count, sizeof *L);
    if (!L)
        return fc_fail(err, FC_ERR_NOMEM, "architecture: out of memory");
    int seen[8] = {0};
    int c = in_c, h = in_h, w = in_w;
    char *save = NULL, *tok = strtok_r(buf, "-", &save);
    fc_status st = FC_OK;
    int i = 0;
    for (; tok && !st; tok = strtok_r(NULL, "-", &save), i++) {
        int last = i == count - 1;
        st = parse_token(tok, last, classes, &L[i], err);
        if (st)
            break;
        layer *l = &L[i];
        int k = (int)l->kind;
        if (seen[k])
            snprintf(l->name, sizeof l->name, "%s_%d", fc_layer_kind_name(l->kind), seen[k]);
        else
            snprintf(l->name, sizeof l->name, "%s", fc_layer_kind_name(l->kind));
        seen[k]++;
        l->tower = -1;
        l->in_c = c;
        l->in_h = h;
        l->in_w = w;
        st = shape(l, spec, err);
        c = l->out_c;
        h = l->out_h;
        w = l->out_w;
    }
    if (!st && (i != count || L[count - 1].kind != FC_LAYER_DENSE || L[count - 1].relu))
        st = fc_fail(err, FC_ERR_ARGUMENT, "architecture '%s': must end with 'dense' (the output layer)", spec);
    if (st) {
        free(L);
        return st;
    }
    *out = L;
    *n = count;
    return FC_OK;
}

fc_status fc_nn_parse_towers(const char *spec, int in_c, int in_h, int in_w, int classes, int towers, const int *factor,
                             layer **out, int *n, int *tower_len, fc_error *err)
{
    layer *L;
    int count;
    fc_status st = fc_nn_parse_spec(spec, in_c, in_h, in_w, classes, &L, &count, err);
    if (st)
        return st;
    int T = 0;
    while (T < count && L[T].kind != FC_LAYER_FLATTEN && L[T].kind != FC_LAYER_GAP)
        T++;
    if (T == count) {
        free(L);
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "architecture '%s': several scales need a flatten (or gap) to end each scale's tower", spec);
    }
    int T1 = T + 1, total = towers * T1 + count - T1;
    layer *M = calloc((size_t)total, sizeof *M);
    if (!M) {
        free(L);
        return fc_fail(err, FC_ERR_NOMEM, "architecture: out of memory");
    }
    for (int s = 0; s < towers; s++)
        for (int j = 0; j < T1; j++) {
            layer *m = &M[s * T1 + j];
            *m = L[j];
            m->tower = s;
            if (s > 0) {
                char name[64];
                snprintf(name, sizeof name, "%s_x%d", L[j].name, factor[s]);
                snprintf(m->name, sizeof m->name, "%.31s", name);
            }
        }
    int c = towers * L[T].out_c;
    for (int j = T1, k = towers * T1; j < count && !st; j++, k++) {
        layer *m = &M[k];
        *m = L[j];
        m->tower = -1;
        m->in_c = c;
        m->in_h = m->in_w = 1;
        st = shape(m, spec, err);
        c = m->out_c;
    }
    free(L);
    if (st) {
        free(M);
        return st;
    }
    *out = M;
    *n = total;
    *tower_len = T1;
    return FC_OK;
}
