/* Where to label next: the disagreement volume beside the probabilities, and the pictures of chosen lines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/calibration.h"
#include "fail.h"
#include "folder.h"
#include "plot_section.h"
#include "suggest_impl.h"

fc_status fc_suggest_check_other(fc_suggest *s, fc_survey *other, fc_error *err)
{
    const fc_survey_info *oi = fc_survey_get_info(other);
    if (oi->sample_count != s->info.ns)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: %d samples a trace, but %s has %d: give the disagreement volume "
                       "apply wrote with these probabilities",
                       oi->path, oi->sample_count, s->path, s->info.ns);
    for (int i = 0; i < s->info.n_il; i++)
        if (fc_survey_inline_index(other, s->info.il_numbers[i]) < 0)
            return fc_fail(err, FC_ERR_FORMAT,
                           "%s: no inline %d, which %s holds: give the disagreement volume apply "
                           "wrote with these probabilities",
                           oi->path, (int)s->info.il_numbers[i], s->path);
    for (int j = 0; j < s->info.n_xl; j++)
        if (fc_survey_crossline_index(other, s->info.xl_numbers[j]) < 0)
            return fc_fail(err, FC_ERR_FORMAT,
                           "%s: no crossline %d, which %s holds: give the disagreement volume "
                           "apply wrote with these probabilities",
                           oi->path, (int)s->info.xl_numbers[j], s->path);
    return FC_OK;
}

fc_status fc_suggest_read_other(fc_suggest *s, fc_survey *other, int i, int j, float *out, int *has, fc_error *err)
{
    int oi = fc_survey_inline_index(other, s->info.il_numbers[i]);
    int oj = fc_survey_crossline_index(other, s->info.xl_numbers[j]);
    int64_t t = fc_survey_trace_at(other, oi, oj);
    *has = t >= 0;
    return t >= 0 ? fc_survey_read_trace(other, t, out, err) : FC_OK;
}

/* Bands of uncertainty / log(classes), drawn as a legend of "classes" over the seismic; below 0.2 is left
 * undrawn. */
static void bands(fc_classes *c)
{
    static const char *const colour[] = {"#fde725", "#fca50a", "#e8551b", "#b81f4c", "#6a0a7e"};
    memset(c, 0, sizeof *c);
    c->count = 4;
    for (int b = 0; b < 4; b++) {
        c->c[b].code = b + 1;
        snprintf(c->c[b].name, sizeof c->c[b].name, "%.1f - %.1f", 0.2 * (b + 1), 0.2 * (b + 2));
        snprintf(c->c[b].colour, sizeof c->c[b].colour, "%s", colour[b]);
    }
}

static int band_of(double u)
{
    int b = (int)floor(u * 5) - 1;
    return b < 0 ? -1 : b > 3 ? 3 : b;
}

/* The line's seismic and uncertainty bands, trace-major [width][ns]. */
static fc_status fill(fc_suggest *s, fc_survey *seismic, fc_survey *dis, const fc_suggest_line *line, float *amp,
                      int32_t *band, unsigned char *present, int32_t *numbers, fc_error *err)
{
    const fc_suggest_info *in = &s->info;
    int il = line->orientation == FC_ORIENTATION_INLINE, width = il ? in->n_xl : in->n_il, ns = in->ns;
    double norm = log((double)in->classes);
    fc_status st = FC_OK;
    for (int t = 0; !st && t < width; t++) {
        int i = il ? line->index : t, j = il ? t : line->index;
        numbers[t] = il ? in->xl_numbers[j] : in->il_numbers[i];
        int64_t tr = fc_survey_trace_at(seismic, fc_survey_inline_index(seismic, in->il_numbers[i]),
                                        fc_survey_crossline_index(seismic, in->xl_numbers[j]));
        present[t] = tr >= 0;
        float *a = amp + (size_t)t * (size_t)ns;
        memset(a, 0, sizeof(float) * (size_t)ns);
        if (tr >= 0)
            st = fc_survey_read_trace(seismic, tr, a, err);
        int has = 1;
        if (!st)
            st = fc_probs_reader_trace(s->reader, i, j, s->trace, err);
        if (!st && dis)
            st = fc_suggest_read_other(s, dis, i, j, s->other, &has, err);
        for (int k = 0; !st && k < ns; k++) {
            const float *p = s->trace + (size_t)k * (size_t)in->classes;
            double u = dis ? (has ? s->other[k] : 0) : fc_entropy(p, in->classes, 1);
            band[(size_t)t * (size_t)ns + (size_t)k] = band_of(u / norm);
        }
    }
    return st;
}

static fc_status picture(fc_suggest *s, fc_survey *seismic, fc_survey *disagreement, const fc_suggest_line *line,
                         const char *png_path, fc_error *err)
{
    const fc_suggest_info *in = &s->info;
    const fc_survey_info *si = fc_survey_get_info(seismic);
    if (si->sample_count != in->ns)
        return fc_fail(err, FC_ERR_FORMAT, "%s: %d samples a trace, but %s has %d: give the survey apply classified",
                       si->path, si->sample_count, s->path, in->ns);
    int il = line->orientation == FC_ORIENTATION_INLINE, width = il ? in->n_xl : in->n_il;
    size_t n = (size_t)width * (size_t)in->ns;
    float *amp = malloc(sizeof(float) * n);
    int32_t *band = malloc(sizeof(int32_t) * n), *numbers = malloc(sizeof(int32_t) * (size_t)width);
    unsigned char *present = malloc((size_t)width);
    fc_status st =
        amp && band && numbers && present ? FC_OK : fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", png_path);
    if (!st)
        st = fill(s, seismic, disagreement, line, amp, band, present, numbers, err);
    double clip = 0;
    for (size_t q = 0; !st && q < n; q++)
        clip = fmax(clip, fabs(amp[q]));
    fc_classes legend;
    bands(&legend);
    char title[160];
    snprintf(title, sizeof title, "%s %d: %s %.3f nats", il ? "inline" : "crossline", (int)line->number,
             disagreement ? "mean disagreement" : "mean entropy",
             disagreement ? line->mean_disagreement : line->mean_entropy);
    fc_section_picture p = {.amplitude = amp,
                            .class_index = band,
                            .present = present,
                            .width = width,
                            .ns = in->ns,
                            .classes = &legend,
                            .x_numbers = numbers,
                            .x_label = il ? "crossline" : "inline",
                            .title = title,
                            .t0_ms = in->t0_ms,
                            .dt_ms = in->dt_ms > 0 ? in->dt_ms : si->sample_interval_ms,
                            .clip = clip > 0 ? 0.8 * clip : 1,
                            .legend_title = disagreement ? "disagreement / log K" : "entropy / log K"};
    if (!st)
        st = fc_plot_section(png_path, &p, err);
    free(amp);
    free(band);
    free(numbers);
    free(present);
    return st;
}

fc_status fc_suggest_pictures(fc_suggest *s, fc_survey *seismic, fc_survey *disagreement, const fc_suggest_line *lines,
                              const int *order, int count, const char *dir, fc_error *err)
{
    fc_status st = fc_folder_make(dir, err);
    if (!st) /* a reused folder then shows this run's suggestions only */
        st = fc_section_pictures_prune(dir, NULL, NULL, err);
    for (int r = 0; !st && r < count; r++) {
        const fc_suggest_line *l = &lines[order[r]];
        char path[4400];
        st = fc_path_format(path, sizeof path, err, "%s/%s_%d.png", dir,
                            l->orientation == FC_ORIENTATION_INLINE ? "inline" : "crossline", (int)l->number);
        if (!st)
            st = picture(s, seismic, disagreement, l, path, err);
    }
    return st;
}
