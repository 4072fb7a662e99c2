/* apply --probabilities-segy DIR: one IEEE-float SEG-Y per class, written beside the facies SEG-Y's traces. */
#include "probs_segy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facies/files.h"
#include "facies/apply.h"
#include "fail.h"
#include "folder.h"

struct fc_probs_segy {
    int count;
    int ns;
    fc_segy_writer *w[FC_MAX_CLASSES];
    float *trace; /* one class's samples of one trace */
};

char *fc_probs_segy_name(const fc_class_info *c, char *buf, size_t n)
{
    char name[FC_CLASS_NAME_SIZE];
    size_t k = 0;
    /* File names travel between systems and packages: only characters every one of them takes. */
    for (const char *s = c->name; *s && k + 1 < sizeof name; s++) {
        char ch = *s;
        int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                   ch == '_' || ch == '.';
        name[k++] = keep ? ch : '_';
    }
    name[k] = '\0';
    snprintf(buf, n, k ? "%d_%s.sgy" : "%d%s.sgy", (int)c->code, name);
    return buf;
}

static fc_status probs_segy_alloc(fc_probs_segy **out, const fc_survey *like, const fc_classes *classes, fc_error *err)
{
    fc_probs_segy *p = calloc(1, sizeof *p);
    int ns = fc_survey_get_info(like)->sample_count;
    if (p)
        p->trace = malloc(sizeof(float) * (size_t)(ns > 0 ? ns : 1));
    if (!p || !p->trace) {
        fc_probs_segy_destroy(p);
        return fc_fail(err, FC_ERR_NOMEM, "--probabilities-segy: out of memory");
    }
    p->ns = ns;
    p->count = classes->count;
    *out = p;
    return FC_OK;
}

static fc_status class_path(const char *dir, const fc_class_info *c, char *path, size_t n, fc_error *err)
{
    char name[FC_CLASS_NAME_SIZE + 32];
    return fc_path_format(path, n, err, "%s/%s", dir, fc_probs_segy_name(c, name, sizeof name));
}

fc_status fc_probs_segy_create(fc_probs_segy **out, const char *dir, fc_survey *like, const fc_classes *classes,
                               fc_probs_segy_text text, void *ctx, fc_error *err)
{
    fc_probs_segy *p = NULL;
    fc_status st = fc_folder_make(dir, err);
    if (!st)
        st = probs_segy_alloc(&p, like, classes, err);
    for (int c = 0; !st && c < classes->count; c++) {
        char path[4300], head[FC_SEGY_TEXT_BYTES + 1];
        st = class_path(dir, &classes->c[c], path, sizeof path, err);
        if (st)
            break;
        text(ctx, c, head);
        st = fc_segy_writer_open_like(&p->w[c], path, like, FC_SAMPLE_FORMAT_IEEE, head, err);
    }
    if (st) {
        fc_probs_segy_destroy(p);
        return st;
    }
    *out = p;
    return FC_OK;
}

fc_status fc_probs_segy_resume(fc_probs_segy **out, const char *dir, fc_survey *like, const fc_classes *classes,
                               fc_error *err)
{
    fc_probs_segy *p = NULL;
    fc_status st = probs_segy_alloc(&p, like, classes, err);
    for (int c = 0; !st && c < classes->count; c++) {
        char path[4300];
        st = class_path(dir, &classes->c[c], path, sizeof path, err);
        if (!st)
            st = fc_segy_writer_resume(&p->w[c], path, like, FC_SAMPLE_FORMAT_IEEE, err);
    }
    if (st) {
        fc_probs_segy_destroy(p);
        return st;
    }
    *out = p;
    return FC_OK;
}

fc_status fc_probs_segy_resumable(const char *dir, const fc_classes *classes, fc_error *err)
{
    for (int c = 0; c < classes->count; c++) {
        char path[4300], partial[4400];
        fc_status st = class_path(dir, &classes->c[c], path, sizeof path, err);
        if (!st)
            st = fc_path_format(partial, sizeof partial, err, "%s.partial", path);
        if (st)
            return st;
        if (access(partial, F_OK) != 0)
            return fc_fail(err, FC_ERR_ARGUMENT,
                           "%s: not found; resume with the --probabilities-segy folder of the interrupted run",
                           partial);
    }
    return FC_OK;
}

fc_segy_writer *fc_probs_segy_writer(fc_probs_segy *p, int c)
{
    return c >= 0 && c < p->count ? p->w[c] : NULL;
}

fc_status fc_probs_segy_put(fc_probs_segy *p, int64_t trace, const unsigned char header[240], const float *probs,
                            size_t class_stride, size_t sample_stride, fc_error *err)
{
    fc_status st = FC_OK;
    for (int c = 0; c < p->count && !st; c++) {
        const float *src = probs + (size_t)c * class_stride;
        for (int k = 0; k < p->ns; k++)
            p->trace[k] = src[(size_t)k * sample_stride];
        st = fc_segy_writer_put(p->w[c], trace, header, p->trace, err);
    }
    return st;
}

/* One step on every class file, stopping at the first failure. */
static fc_status each(fc_probs_segy *p, fc_status (*step)(fc_segy_writer *, fc_error *), fc_error *err)
{
    fc_status st = FC_OK;
    for (int c = 0; c < p->count && !st; c++)
        st = step(p->w[c], err);
    return st;
}

fc_status fc_probs_segy_flush(fc_probs_segy *p, fc_error *err)
{
    return each(p, fc_segy_writer_flush, err);
}

fc_status fc_probs_segy_close_shared(fc_probs_segy *p, fc_error *err)
{
    return each(p, fc_segy_writer_close_shared, err);
}

fc_status fc_probs_segy_finish(fc_probs_segy *p, fc_error *err)
{
    return each(p, fc_segy_writer_finish, err);
}

fc_status fc_probs_segy_publish(fc_probs_segy *p, fc_error *err)
{
    return each(p, fc_segy_writer_publish, err);
}

void fc_probs_segy_destroy(fc_probs_segy *p)
{
    if (!p)
        return;
    for (int c = 0; c < p->count; c++)
        fc_segy_writer_destroy(p->w[c]);
    free(p->trace);
    free(p);
}
