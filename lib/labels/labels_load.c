#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fail.h"
#include "input_file.h"
#include "labels_impl.h"

/* The kind of label file, from its first line. */
typedef enum { KIND_SEGY, KIND_PICKS, KIND_INTERVALS } label_kind;

static fc_status sniff(const char *path, label_kind *kind, fc_error *err)
{
    FILE *f;
    fc_status opened = fc_input_open(path, &f, err);
    if (opened)
        return opened;
    char head[4097] = {0};
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    /* A CSV's header line ends within its first 4 KiB and holds no NUL (UTF-8 names and a byte-order mark are
     * fine); a SEG-Y has NULs in its binary header at byte 3201 on, and its 3200-byte textual header no '\n'. */
    const char *start = strncmp(head, "\xEF\xBB\xBF", 3) ? head : head + 3;
    start += *start == '"'; /* a quoted header: "top_horizon","base_horizon","facies" */
    int text = n > 0 && memchr(head, '\0', n) == NULL && (memchr(head, '\n', n) != NULL || n < sizeof head - 1);
    if (!text)
        *kind = KIND_SEGY;
    else if (!strncasecmp(start, "top_horizon", 11))
        *kind = KIND_INTERVALS;
    else
        *kind = KIND_PICKS;
    return FC_OK;
}

fc_status fc_labels_load(fc_label_collector *c, fc_survey *s, const char *path, const fc_survey_options *opt,
                         fc_error *err)
{
    label_kind kind;
    fc_status st = sniff(path, &kind, err);
    if (st)
        return st;
    st = fc_label_begin_source(c, path, kind == KIND_SEGY ? "trace" : "row", err);
    if (st)
        return st;
    switch (kind) {
    case KIND_INTERVALS: return fc_labels_load_horizons(c, s, path, err);
    case KIND_PICKS: return fc_labels_load_picks(c, s, path, err);
    default: return fc_labels_load_segy(c, s, path, opt, err);
    }
}

fc_status fc_labels_horizon_files(const char *path, void (*each)(void *ctx, const char *horizon), void *ctx,
                                  fc_error *err)
{
    label_kind kind;
    fc_status st = sniff(path, &kind, err);
    return st || kind != KIND_INTERVALS ? st : fc_labels_list_horizons(path, each, ctx, err);
}

fc_status fc_lines_on_2d(const fc_survey_info *in, const char *path, int32_t il_min, int32_t il_max, fc_error *err)
{
    if (in->kind != FC_SURVEY_KIND_2D || (il_min == INT32_MIN && il_max == INT32_MAX))
        return FC_OK;
    return fc_fail(err, FC_ERR_ARGUMENT,
                   "--lines has no effect on %s: a 2-D line has no inlines to choose (choose its CDPs with "
                   "--crosslines)",
                   path);
}
