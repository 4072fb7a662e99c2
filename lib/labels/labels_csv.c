/* The small CSV helpers the label loaders share: separators, fields, numbers, and the check of times given in
 * seconds under a millisecond header. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "labels_impl.h"

char fc_csv_separator(const char *header)
{
    /* Spreadsheets export commas, or semicolons where the comma is the decimal mark; tab-separated and
     * blank-separated (as horizon files are) exports are common too. */
    return strchr(header, ',') ? ',' : strchr(header, ';') ? ';' : strchr(header, '\t') ? '\t' : ' ';
}

int fc_csv_split(char *line, char sep, char **fields, int max)
{
    int blanks = sep == ' '; /* runs of spaces and tabs separate */
    const char *trim = sep == '\t' ? " " : " \t";
    int n = 0;
    char *p = line;
    if (!strncmp(p, "\xEF\xBB\xBF", 3)) /* the UTF-8 byte-order mark spreadsheet programs put before a CSV */
        p += 3;
    for (;;) {
        while (*p && strchr(trim, *p))
            p++;
        char *start = p;
        while (*p && *p != '\n' && *p != '\r' && (blanks ? *p != ' ' && *p != '\t' : *p != sep))
            p++;
        char *end = p;
        while (end > start && strchr(trim, end[-1]))
            end--;
        char stop = *p;
        if (end - start >= 2 && *start == '"' && end[-1] == '"') { /* a quoted field ("Inline") */
            start++;
            end--;
        }
        *end = '\0';
        if (n < max)
            fields[n] = start;
        n++;
        if (blanks) {
            if (stop != ' ' && stop != '\t')
                break;
            p++;
            while (*p == ' ' || *p == '\t')
                p++;
            if (!*p || *p == '\n' || *p == '\r') /* blanks before the line end separate nothing */
                break;
            continue;
        }
        if (stop != sep)
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

fc_status fc_labels_check_ms(const fc_survey_info *in, const char *path, const char *what, int64_t count, double tmin,
                             double tmax, fc_error *err)
{
    double t0 = in->start_time_ms, dt = in->sample_interval_ms;
    /* A flat horizon at the first sample (the top of the data) is a real surface, not a unit slip; a single pick
     * between the first two samples (`1002,2021,0.020,2`) is as likely a slip as many. */
    if (count < 1 || in->sample_count < 2 || tmin < t0 || tmax >= t0 + dt || tmax == t0)
        return FC_OK;
    if (count == 1)
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: the only time, %g ms, lies within the first sample interval (the survey samples every %g "
                       "ms): the %s column is in milliseconds, is this seconds?",
                       path, tmax, dt, what);
    return fc_fail(err, FC_ERR_FORMAT,
                   "%s: all %lld times lie within the first sample interval (%g..%g ms, the survey samples every %g "
                   "ms): the %s column is in milliseconds, are these seconds?",
                   path, (long long)count, tmin, tmax, dt, what);
}
