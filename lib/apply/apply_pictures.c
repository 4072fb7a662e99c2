/* The pictures of an apply run: which sections are drawn, their names and titles. */
#include "apply_pictures.h"

#include <stdio.h>
#include <string.h>

#include "fail.h"
#include "folder.h"
#include "plot_section.h"

static int in_png_list(const apply_run *r, int32_t number)
{
    for (int i = 0; i < r->npng; i++)
        if (number >= r->png_lines[i][0] && number <= r->png_lines[i][1])
            return 1;
    return 0;
}

/* The sections pictures are drawn of: crosslines when those are the sections written, inlines (or the 2-D line)
 * otherwise; their numbers and the chosen range of them. */
typedef struct picture_axis {
    const char *kind;
    const int32_t *num;
    int count;
    int32_t lo, hi;
} picture_axis;

static picture_axis pictured(const apply_run *r)
{
    const fc_apply_options *o = r->o;
    const fc_survey_info *in = r->in;
    int by_xl = o->orientations != FC_CUT_INLINE && in->kind == FC_SURVEY_KIND_3D;
    picture_axis a = {.kind = by_xl                           ? "crossline"
                              : in->kind == FC_SURVEY_KIND_2D ? "line"
                                                              : "inline",
                      .num = by_xl ? in->crossline_numbers : in->inline_numbers,
                      .count = by_xl ? in->crossline_count : in->inline_count,
                      .lo = by_xl ? o->xl_min : o->il_min,
                      .hi = by_xl ? o->xl_max : o->il_max};
    return a;
}

/* A picture asked for that no section would give is a typo: better refused than a run without it. */
fc_status fc_apply_pictures_check(const apply_run *r, fc_error *err)
{
    if (r->in->kind == FC_SURVEY_KIND_2D && r->o->npng > 0) /* no number of its own to ask for ("line 0") */
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "--png-lines has no effect on %s: a 2-D line is one section, always drawn whole",
                       r->o->survey_path);
    picture_axis a = pictured(r);
    int32_t first = INT32_MAX, last = INT32_MIN;
    for (int i = 0; i < a.count; i++)
        if (a.num[i] >= a.lo && a.num[i] <= a.hi) {
            first = a.num[i] < first ? a.num[i] : first;
            last = a.num[i] > last ? a.num[i] : last;
        }
    if (first > last)
        return FC_OK; /* nothing chosen at all: map_traces says so */
    for (int p = 0; p < r->o->npng; p++) {
        int32_t lo = r->o->png_lines[p][0], hi = r->o->png_lines[p][1];
        int found = 0;
        for (int i = 0; i < a.count && !found; i++)
            found = a.num[i] >= lo && a.num[i] <= hi && a.num[i] >= a.lo && a.num[i] <= a.hi;
        if (found)
            continue;
        char asked[32];
        snprintf(asked, sizeof asked, lo == hi ? "%d" : "%d:%d", (int)lo, (int)hi);
        return fc_fail(err, FC_ERR_ARGUMENT, "--png-lines %s: no %s %s among the %ss classified, %d..%d of %s", asked,
                       a.kind, asked, a.kind, (int)first, (int)last, r->o->survey_path);
    }
    return FC_OK;
}

/* Pictures asked for, or by default the first, middle and last of the chosen sections. */
void fc_apply_pictures_choose(apply_run *r)
{
    const fc_apply_options *o = r->o;
    if (o->npng > 0) {
        memcpy(r->png_lines, o->png_lines, sizeof r->png_lines[0] * (size_t)o->npng);
        r->npng = o->npng;
        return;
    }
    picture_axis a = pictured(r);
    const int32_t *num = a.num;
    int count = a.count;
    int32_t lo = a.lo, hi = a.hi;
    int first = -1, last = -1;
    for (int i = 0; i < count; i++)
        if (num[i] >= lo && num[i] <= hi) {
            first = first < 0 ? i : first;
            last = i;
        }
    if (first < 0)
        return;
    int mid = (first + last) / 2;
    int32_t pick[3] = {num[first], num[mid], num[last]};
    for (int i = 0; i < 3; i++)
        if (i == 0 || pick[i] != pick[i - 1]) {
            r->png_lines[r->npng][0] = r->png_lines[r->npng][1] = pick[i];
            r->npng++;
        }
}

static fc_status picture_name_2d(const apply_run *r, char *path, size_t np, char *title, size_t nt, fc_error *err)
{
    const char *file = strrchr(r->o->survey_path, '/');
    file = file ? file + 1 : r->o->survey_path;
    size_t stem = strlen(file);
    const char *dot = strrchr(file, '.');
    if (dot && dot != file)
        stem = (size_t)(dot - file);
    int a = (int)r->in->crossline_numbers[0], b = (int)r->in->crossline_numbers[r->in->crossline_count - 1];
    snprintf(title, nt, "facies on 2-D line %s (CDP %d..%d)", file, a, b);
    return fc_path_format(path, np, err, "%s/%.*s_cdp_%d-%d.png", r->o->png_dir, (int)stem, file, a, b);
}

static void say_removed(void *ctx, const char *path)
{
    const fc_apply_options *o = ctx;
    say(o, "picture: removed the old %s", path);
}

static fc_status picture(apply_run *r, fc_orientation o, int line, int width, int ns, fc_error *err)
{
    const fc_survey_info *in = r->in;
    int32_t number = o == FC_ORIENTATION_CROSSLINE ? in->crossline_numbers[line] : in->inline_numbers[line];
    char path[4600], title[4400];
    const char *kind = o == FC_ORIENTATION_CROSSLINE ? "crossline" : "inline";
    fc_status st;
    if (o == FC_ORIENTATION_LINE) /* a 2-D line has no number of its own: the file and its CDP range name it */
        st = picture_name_2d(r, path, sizeof path, title, sizeof title, err);
    else {
        snprintf(title, sizeof title, "facies on %s %d (%s)", kind, (int)number, r->o->survey_path);
        st = fc_path_format(path, sizeof path, err, "%s/%s_%d.png", r->o->png_dir, kind, (int)number);
    }
    if (st)
        return st;
    fc_section_picture pic = {.amplitude = r->raw,
                              .class_index = r->cls,
                              .present = r->present,
                              .width = width,
                              .ns = ns,
                              .classes = &r->meta.classes,
                              .x_numbers = o == FC_ORIENTATION_CROSSLINE ? in->inline_numbers : in->crossline_numbers,
                              .x_label = o == FC_ORIENTATION_CROSSLINE ? "inline"
                                         : o == FC_ORIENTATION_LINE    ? "CDP"
                                                                       : "crossline",
                              .title = title,
                              .t0_ms = in->start_time_ms,
                              .dt_ms = in->sample_interval_ms,
                              .clip = r->sum->scale};
    st = fc_plot_section(path, &pic, err);
    if (!st)
        say(r->o, "picture: %s", path);
    return st;
}

fc_status fc_apply_pictures_folder(const apply_run *r, int resuming, fc_error *err)
{
    const fc_apply_options *o = r->o;
    fc_status st = fc_folder_make(o->png_dir, err);
    /* A new run's pictures replace the last run's: none of those is left to pass for this run's. */
    if (!st && !resuming && fc_comm_rank(o->comm) == 0)
        st = fc_section_pictures_prune(o->png_dir, say_removed, (void *)o, err);
    return st;
}

fc_status fc_apply_pictures_draw(apply_run *r, fc_orientation o, int line, int width, int ns, fc_error *err)
{
    const fc_survey_info *in = r->in;
    int32_t number = o == FC_ORIENTATION_CROSSLINE ? in->crossline_numbers[line] : in->inline_numbers[line];
    return in_png_list(r, number) ? picture(r, o, line, width, ns, err) : FC_OK;
}
