#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_fail(const fc_error *err)
{
    fprintf(stderr, "facies: %s\n", err->message[0] ? err->message : fc_strerror(err->status));
    return EXIT_RUNTIME;
}

int cli_fail_status(const char *verb, fc_status st, const fc_error *err)
{
    if (st != FC_ERR_ARGUMENT)
        return cli_fail(err);
    const char *m = err->message;
    size_t n = strlen(verb);
    if (!strncmp(m, verb, n) && !strncmp(m + n, ": ", 2))
        m += n + 2;
    return cli_usage_error(verb, "%s", m);
}

int cli_error(int status, const char *verb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "facies %s: ", verb);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

int cli_usage_error(const char *verb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "facies %s: ", verb);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'facies %s --help')\n", verb);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_parse_int(const char *s, long lo, long hi, long *out)
{
    if (!s || !*s)
        return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_range(const char *s, long *a, long *b)
{
    const char *colon = strchr(s, ':');
    if (!colon)
        return cli_parse_int(s, -2147483647L, 2147483647L, a) || (*b = *a, 0);
    char first[32];
    size_t n = (size_t)(colon - s);
    if (n == 0 || n >= sizeof first)
        return -1;
    memcpy(first, s, n);
    first[n] = '\0';
    if (cli_parse_int(first, -2147483647L, 2147483647L, a) || cli_parse_int(colon + 1, -2147483647L, 2147483647L, b))
        return -1;
    return *a <= *b ? 0 : -1;
}

void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* Where an option line's description starts: after the option and its argument (single spaces) and a gap of
 * two or more spaces; 0 when the line is not an option line. */
static int description_column(const char *line, size_t len)
{
    if (len < 3 || strncmp(line, "  -", 3))
        return 0;
    for (size_t i = 3; i + 2 < len; i++)
        if (line[i] == ' ' && line[i + 1] == ' ') {
            while (i < len && line[i] == ' ')
                i++;
            return (int)i;
        }
    return 0;
}

void cli_help(const char *text)
{
    static const char *const rows[][2] = {
        {"--iline-byte N", "trace-header byte of the 4-byte inline number (default 189)"},
        {"--xline-byte N", "trace-header byte of the 4-byte crossline number (default 193)"},
        {"--cdp-byte N", "trace-header byte of the CDP number of a 2-D line (default 21)"},
        {"--x-byte N", "trace-header byte of the 4-byte X coordinate (default: CDP X, 181; source X, 73, when "
                       "every CDP X/Y is 0)"},
        {"--y-byte N", "likewise for Y (default 185, or 77); both scaled by the coordinate scalar at byte 71"},
        {"--2d, --3d", "treat the file as a 2-D line / a 3-D volume (default: decide from the headers)"},
        {"--threads N", "worker threads (default: all cores; under mpirun, a machine's cores shared by its ranks)"},
        {"--quiet", "no progress output"},
    };
    int column = 21;
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        if (!strncmp(line, CLI_SURVEY_HELP, len + 1)) {
            for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
                printf("  %-*s%s\n", column - 2, rows[r][0], rows[r][1]);
        } else {
            printf("%.*s\n", (int)len, line);
            column = description_column(line, len) ? description_column(line, len) : column;
        }
        line += len + (line[len] == '\n');
    }
}

cli_common cli_common_default(void)
{
    cli_common c = {.survey = fc_survey_options_default(), .threads = 0, .quiet = 0};
    return c;
}

int cli_common_option(const char *verb, int opt, const char *arg, cli_common *c)
{
    long v = 0;
    switch (opt) {
    case OPT_ILINE_BYTE:
    case OPT_XLINE_BYTE:
    case OPT_CDP_BYTE:
    case OPT_X_BYTE:
    case OPT_Y_BYTE:
        if (cli_parse_int(arg, 1, 237, &v)) {
            cli_usage_error(verb, "header byte '%s' must be a whole number from 1 to 237", arg);
            return -1;
        }
        if (opt == OPT_ILINE_BYTE)
            c->survey.iline_byte = (int)v;
        else if (opt == OPT_XLINE_BYTE)
            c->survey.xline_byte = (int)v;
        else if (opt == OPT_X_BYTE)
            c->survey.x_byte = (int)v;
        else if (opt == OPT_Y_BYTE)
            c->survey.y_byte = (int)v;
        else
            c->survey.cdp_byte = (int)v;
        return 1;
    case OPT_2D: c->survey.mode = FC_GEOMETRY_2D; return 1;
    case OPT_3D: c->survey.mode = FC_GEOMETRY_3D; return 1;
    case OPT_THREADS:
        if (cli_parse_int(arg, 0, 1024, &v)) {
            cli_usage_error(verb, "--threads '%s' must be a whole number from 0 (all cores) to 1024", arg);
            return -1;
        }
        c->threads = (int)v;
        return 1;
    case OPT_QUIET: c->quiet = 1; return 1;
    default: return 0;
    }
}

int cli_labels_byte_option(const char *verb, int opt, const char *arg, int *il, int *xl)
{
    long v = 0;
    if (opt != OPT_LABELS_ILINE_BYTE && opt != OPT_LABELS_XLINE_BYTE)
        return 0;
    if (cli_parse_int(arg, 1, 237, &v)) {
        cli_usage_error(verb, "label header byte '%s' must be a whole number from 1 to 237", arg);
        return -1;
    }
    *(opt == OPT_LABELS_ILINE_BYTE ? il : xl) = (int)v;
    return 1;
}

char *cli_command_line(int argc, char **argv)
{
    size_t n = sizeof "facies";
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s)
        return NULL;
    strcpy(s, "facies");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

int cli_parse_line_list(const char *s, int32_t (*ranges)[2], int max, int *n)
{
    char item[64];
    int count = 0;
    for (const char *p = s;; p++) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof item || count == max)
            return -1;
        memcpy(item, p, len);
        item[len] = '\0';
        long a, b;
        if (cli_parse_range(item, &a, &b))
            return -1;
        ranges[count][0] = (int32_t)a;
        ranges[count++][1] = (int32_t)b;
        p += len;
        if (!*p)
            break;
    }
    *n = count;
    return 0;
}

int cli_requires(const char *verb, int given, const char *option, int other, const char *other_option)
{
    return given && !other ? cli_usage_error(verb, "%s has no effect without %s", option, other_option) : 0;
}

int cli_parse_line_range(const char *s, int32_t *lo, int32_t *hi)
{
    long a, b;
    if (cli_parse_range(s, &a, &b))
        return -1;
    *lo = (int32_t)a;
    *hi = (int32_t)b;
    return 0;
}
