/* Input volumes as channels: names, channel lists and whether two surveys share a grid. */
#include "facies/volumes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "facies/signal.h"
#include "fail.h"

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}

fc_status fc_volume_arg_parse(const char *arg, fc_volume_arg *out, fc_error *err)
{
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : 0;
    if (!eq || len == 0 || !eq[1])
        return fc_fail(err, FC_ERR_ARGUMENT, "'%s' is not NAME=FILE (e.g. far=far.sgy)", arg);
    if (len >= FC_VOLUME_NAME_SIZE)
        return fc_fail(err, FC_ERR_ARGUMENT, "volume name '%.*s' is longer than %d characters", (int)len, arg,
                       FC_VOLUME_NAME_SIZE - 1);
    for (size_t i = 0; i < len; i++)
        if (!name_char(arg[i]))
            return fc_fail(err, FC_ERR_ARGUMENT, "volume name '%.*s' may hold only letters, digits, '_', '-' and '.'",
                           (int)len, arg);
    if (len == 6 && !strncmp(arg, "survey", 6))
        return fc_fail(err, FC_ERR_ARGUMENT, "'survey' names the survey itself; give the volume another name");
    memcpy(out->name, arg, len);
    out->name[len] = '\0';
    out->path = eq + 1;
    return FC_OK;
}

void fc_volume_names_format(const fc_volume_list *vl, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int v = 0; v < vl->count && at < n; v++) {
        int w = snprintf(buf + at, n - at, "%s%s", v ? "," : "", vl->v[v].name);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

void fc_volume_list_single(fc_volume_list *vl, double scale)
{
    memset(vl, 0, sizeof *vl);
    vl->count = 1;
    snprintf(vl->v[0].name, sizeof vl->v[0].name, "survey");
    vl->v[0].scale = scale;
}

int fc_channel_volume(int c, int channels, const fc_volume_list *vl)
{
    int nv = vl->count > 0 ? vl->count : 1, kinds = channels / nv;
    return kinds > 0 ? c / kinds : 0;
}

double fc_channel_scale(int c, const fc_channel *ch, int channels, const fc_volume_list *vl)
{
    if (ch[c] == FC_CHANNEL_COS_PHASE)
        return 1.0;
    return vl->v[fc_channel_volume(c, channels, vl)].scale;
}

void fc_channel_names_format(const fc_channel *ch, int channels, const fc_volume_list *vl, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int c = 0; c < channels && at < n; c++) {
        int v = fc_channel_volume(c, channels, vl);
        char kind[32];
        fc_channels_format(&ch[c], 1, kind, sizeof kind);
        int w = v == 0 ? snprintf(buf + at, n - at, "%s%s", c ? "," : "", kind)
                       : snprintf(buf + at, n - at, "%s%s:%s", c ? "," : "", vl->v[v].name, kind);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

fc_status fc_channel_names_parse(const char *list, fc_channel *ch, int max, fc_volume_list *vl, int *count,
                                 fc_error *err)
{
    fc_volume_list_single(vl, 0.0);
    int n = 0, vol[FC_MAX_CHANNELS];
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char tok[96];
        if (n == max || n == FC_MAX_CHANNELS || len >= sizeof tok)
            return fc_fail(err, FC_ERR_FORMAT, "channel list '%s': more than %d channels", list, n);
        memcpy(tok, p, len);
        tok[len] = '\0';
        char *colon = strchr(tok, ':');
        const char *kind = colon ? colon + 1 : tok;
        int v = 0;
        if (colon) {
            *colon = '\0';
            if (!tok[0] || strlen(tok) >= FC_VOLUME_NAME_SIZE || !strcmp(tok, "survey"))
                return fc_fail(err, FC_ERR_FORMAT, "channel list '%s': bad volume name '%s'", list, tok);
            v = vl->count - 1;
            if (v == 0 || strcmp(vl->v[v].name, tok)) { /* a new volume starts: a name not seen before */
                for (int u = 0; u < vl->count; u++)
                    if (!strcmp(vl->v[u].name, tok))
                        return fc_fail(err, FC_ERR_FORMAT, "channel list '%s': volume %s split", list, tok);
                if (vl->count == FC_MAX_VOLUMES)
                    return fc_fail(err, FC_ERR_FORMAT, "channel list '%s': more than %d volumes", list, FC_MAX_VOLUMES);
                v = vl->count++;
                snprintf(vl->v[v].name, sizeof vl->v[v].name, "%s", tok);
            }
        }
        int one;
        if (fc_channels_parse(kind, &ch[n], 1, &one, err))
            return FC_ERR_FORMAT;
        vol[n++] = v;
        if (!e)
            break;
        p = e + 1;
    }
    if (n == 0 || n % vl->count)
        return fc_fail(err, FC_ERR_FORMAT, "channel list '%s': the volumes do not give the same channels", list);
    int kinds = n / vl->count;
    for (int c = 0; c < n; c++) /* volume after volume, each with the first volume's kinds */
        if (vol[c] != c / kinds || ch[c] != ch[c % kinds])
            return fc_fail(err, FC_ERR_FORMAT, "channel list '%s': the volumes do not give the same channels", list);
    *count = n;
    return FC_OK;
}

/* The first grid cell that holds a trace in one survey and none in the other. */
static int first_hole(const fc_survey *a, const fc_survey *b, const char *an, const char *bn, char *why, size_t n)
{
    const fc_survey_info *ia = fc_survey_get_info(a);
    for (int i = 0; i < ia->inline_count; i++)
        for (int j = 0; j < ia->crossline_count; j++) {
            int ha = fc_survey_trace_at(a, i, j) >= 0, hb = fc_survey_trace_at(b, i, j) >= 0;
            if (ha == hb)
                continue;
            if (ia->kind == FC_SURVEY_KIND_2D)
                snprintf(why, n, "CDP %d has a trace in %s but none in %s", (int)ia->crossline_numbers[j], ha ? an : bn,
                         ha ? bn : an);
            else
                snprintf(why, n, "inline %d crossline %d has a trace in %s but none in %s", (int)ia->inline_numbers[i],
                         (int)ia->crossline_numbers[j], ha ? an : bn, ha ? bn : an);
            return 1;
        }
    return 0;
}

/* The first line number one grid has where the other has another (or none). */
static int first_line(const char *what, const int32_t *na, int ca, const int32_t *nb, int cb, const char *an,
                      const char *bn, char *why, size_t n)
{
    for (int x = 0; x < ca || x < cb; x++) {
        if (x < ca && x < cb && na[x] == nb[x])
            continue;
        if (x >= cb)
            snprintf(why, n, "%s %d of %s is not in %s (%d %ss against %d)", what, (int)na[x], an, bn, ca, what, cb);
        else if (x >= ca)
            snprintf(why, n, "%s %d of %s is not in %s (%d %ss against %d)", what, (int)nb[x], bn, an, cb, what, ca);
        else
            snprintf(why, n, "%s %d of %s is %s %d in %s (%s %d of the grid)", what, (int)na[x], an, what, (int)nb[x],
                     bn, what, x + 1);
        return 1;
    }
    return 0;
}

const char *fc_grid_difference_name(fc_grid_difference d)
{
    static const char *const names[] = {"same",       "kind",    "sample_count", "sample_interval",
                                        "start_time", "inlines", "crosslines",   "traces"};
    return d >= FC_GRID_SAME && d <= FC_GRID_TRACES ? names[d] : "unknown";
}

fc_grid_difference fc_survey_grid_compare(const fc_survey *a, const fc_survey *b, const char *a_name,
                                          const char *b_name, char *why, size_t n)
{
    const fc_survey_info *ia = fc_survey_get_info(a), *ib = fc_survey_get_info(b);
    const char *an = a_name, *bn = b_name;
    why[0] = '\0';
    if (ia->kind != ib->kind) {
        snprintf(why, n, "%s is a %s, %s a %s", an, fc_survey_kind_name(ia->kind), bn, fc_survey_kind_name(ib->kind));
        return FC_GRID_KIND;
    }
    if (ia->sample_count != ib->sample_count) {
        snprintf(why, n, "sample count %d in %s, %d in %s", ia->sample_count, an, ib->sample_count, bn);
        return FC_GRID_SAMPLE_COUNT;
    }
    if (!fc_sample_intervals_match(ia->sample_interval_ms, ib->sample_interval_ms)) {
        snprintf(why, n, "sample interval %g ms in %s, %g ms in %s", ia->sample_interval_ms, an, ib->sample_interval_ms,
                 bn);
        return FC_GRID_SAMPLE_INTERVAL;
    }
    if (fabs(ia->start_time_ms - ib->start_time_ms) > 1e-6) {
        snprintf(why, n, "start time %g ms in %s, %g ms in %s", ia->start_time_ms, an, ib->start_time_ms, bn);
        return FC_GRID_START_TIME;
    }
    const char *xl = ia->kind == FC_SURVEY_KIND_2D ? "CDP" : "crossline";
    if (first_line("inline", ia->inline_numbers, ia->inline_count, ib->inline_numbers, ib->inline_count, an, bn, why,
                   n))
        return FC_GRID_INLINES;
    if (first_line(xl, ia->crossline_numbers, ia->crossline_count, ib->crossline_numbers, ib->crossline_count, an, bn,
                   why, n))
        return FC_GRID_CROSSLINES;
    return first_hole(a, b, an, bn, why, n) ? FC_GRID_TRACES : FC_GRID_SAME;
}
