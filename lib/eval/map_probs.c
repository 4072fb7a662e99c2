/* The class files of apply --probabilities-segy DIR beside a facies volume (see map_probs.h). */
#include "map_probs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/apply.h"
#include "fail.h"
#include "folder.h"

/* What of a class file's shape differs from the facies volume's, or NULL. */
static const char *differs(const fc_survey_info *a, const fc_survey_info *b)
{
    if (a->inline_count != b->inline_count || a->crossline_count != b->crossline_count ||
        a->trace_count != b->trace_count || a->missing_traces != b->missing_traces)
        return "its grid or trace count";
    if (memcmp(a->inline_numbers, b->inline_numbers, (size_t)a->inline_count * sizeof *a->inline_numbers) ||
        memcmp(a->crossline_numbers, b->crossline_numbers, (size_t)a->crossline_count * sizeof *a->crossline_numbers))
        return "its line numbers";
    if (a->sample_count != b->sample_count || a->sample_interval_ms != b->sample_interval_ms ||
        a->start_time_ms != b->start_time_ms)
        return "its samples, interval or start time";
    return NULL;
}

fc_status fc_map_probs_open(fc_map_probs *p, const char *dir, const fc_survey *facies, const fc_classes *legend,
                            const fc_survey_options *opt, fc_error *err)
{
    memset(p, 0, sizeof *p);
    const fc_survey_info *in = fc_survey_get_info(facies);
    if (legend->count == 0)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "--probabilities %s: the class files are named from the legend, and %s holds none: give "
                       "--classes",
                       dir, in->path);
    for (int c = 0; c < legend->count; c++) {
        char name[FC_CLASS_NAME_SIZE + 32], path[4400];
        fc_status st =
            fc_path_format(path, sizeof path, err, "%s/%s", dir, fc_probs_segy_name(&legend->c[c], name, sizeof name));
        if (!st)
            st = fc_survey_open(&p->file[c], path, opt, err);
        p->count = c + (st == FC_OK);
        if (st)
            return st;
        const char *what = differs(fc_survey_get_info(p->file[c]), in);
        if (what)
            return fc_fail(err, FC_ERR_MISMATCH,
                           "%s: %s differ from the facies volume %s's (--probabilities takes the class files apply "
                           "wrote beside it)",
                           path, what, in->path);
    }
    p->width = in->crossline_count;
    p->sec = malloc((size_t)legend->count * p->width * in->sample_count * sizeof *p->sec);
    p->present = malloc((size_t)p->width);
    if (!p->sec || !p->present)
        return fc_fail(err, FC_ERR_NOMEM, "--probabilities %s: out of memory for %d class sections", dir,
                       legend->count);
    return FC_OK;
}

fc_status fc_map_probs_read(fc_map_probs *p, fc_orientation o, int line, int k0, int nk, fc_error *err)
{
    p->nk = nk;
    fc_status st = FC_OK;
    for (int c = 0; c < p->count && !st; c++)
        st = fc_survey_read_section(p->file[c], o, line, k0, nk, p->sec + (size_t)c * p->width * nk, p->present, err);
    return st;
}

const float *fc_map_probs_trace(const fc_map_probs *p, int c, int j)
{
    return p->sec + ((size_t)c * p->width + j) * p->nk;
}

void fc_map_probs_close(fc_map_probs *p)
{
    for (int c = 0; c < p->count; c++)
        fc_survey_close(p->file[c]);
    free(p->sec);
    free(p->present);
    memset(p, 0, sizeof *p);
}
