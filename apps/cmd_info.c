/* facies info: what a SEG-Y file holds, as text or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_files.h"

static const char help[] =
    "usage: facies info SURVEY.sgy [--like B.sgy] [--json] [--stats-traces N] [survey options]\n\n"
    "Describe a SEG-Y file: sample format, byte order, sorting, inline/crossline\n"
    "ranges and steps (or the CDP range of a 2-D line), samples, interval, start\n"
    "time, traces, missing grid cells, amplitude percentiles from a bounded,\n"
    "evenly spread sample of traces, and the survey's coordinates: the grid's corners in X/Y,\n"
    "the inline and crossline spacing, the azimuth of increasing crosslines and the largest\n"
    "misfit of a trace's header X/Y from the fitted grid (or that the headers hold none).\n\n"
    "options:\n"
    "  --json             print JSON instead of text\n"
    "  --like B.sgy       also say whether B.sgy lies on SURVEY.sgy's grid, as ingest and apply\n"
    "                     --volume need: same kind, sample count, interval, start time, inline and\n"
    "                     crossline numbers and traces present (trace order and sample format may\n"
    "                     differ), or the first difference (line \"like\"; JSON key \"like\":\n"
    "                     path, same_grid, difference, detail); exit 0 either way\n"
    "  --stats-traces N   traces read for amplitude statistics (default 2000; 0 skips them)\n" CLI_SURVEY_HELP
    "  --help             this text\n";

enum { OPT_JSON = 1, OPT_STATS, OPT_LIKE, OPT_HELP };

/* --like: how B's grid compares with the survey's. */
typedef struct like_result {
    const char *path;
    fc_grid_difference diff;
    char why[600];
} like_result;

static void print_like(const like_result *l, int json)
{
    if (!l->path)
        return;
    if (json) {
        printf(",\n  \"like\": {\"path\": ");
        json_string(stdout, l->path);
        printf(", \"same_grid\": %s, \"difference\": \"%s\", \"detail\": ", l->diff ? "false" : "true",
               fc_grid_difference_name(l->diff));
        json_string(stdout, l->why);
        printf("}");
    } else if (l->diff) {
        printf("like          %s is not on this grid: %s\n", l->path, l->why);
    } else {
        printf("like          %s is on this grid (same lines, traces, samples, interval and start time)\n", l->path);
    }
}

/* Open B and compare; 0, or the exit status after saying why B cannot be read. */
static int compare_like(const fc_survey *s, const char *a_path, const fc_survey_options *so, like_result *l)
{
    if (!l->path)
        return 0;
    fc_error err;
    fc_error_clear(&err);
    fc_survey *b = NULL;
    if (fc_survey_open(&b, l->path, so, &err))
        return cli_fail_status("info", err.status, &err);
    l->diff = fc_survey_grid_compare(s, b, a_path, l->path, l->why, sizeof l->why);
    fc_survey_close(b);
    return 0;
}

/* "1000..1047 step 1 (48 lines, byte 189)", or "362 (1 line, byte 189)": one line has no range or step. */
static void print_lines(const char *label, const int32_t *numbers, int count, int step, int byte)
{
    if (count == 1)
        printf("%-14s%d (1 line, byte %d)\n", label, numbers[0], byte);
    else
        printf("%-14s%d..%d step %d (%d lines, byte %d)\n", label, numbers[0], numbers[count - 1], step, count, byte);
}

static const char *units_name(int units)
{
    switch (units) {
    case 0:
    case 1: return "m";
    case 2: return "arc seconds";
    case 3: return "degrees";
    default: return "DMS";
    }
}

static void print_coords_text(const fc_coords *c)
{
    if (c->same_point) {
        printf("coordinates   none (every trace has the same X/Y, %.2f %.2f)\n", c->x0, c->y0);
        return;
    }
    if (!c->present) {
        if (c->x_byte)
            printf("coordinates   none (X/Y at bytes %d/%d are 0 in every trace header)\n", c->x_byte, c->y_byte);
        else
            printf("coordinates   none (CDP and source X/Y are 0 in every trace header)\n");
        return;
    }
    const char *u = units_name(c->units);
    printf("coordinates   %s X/Y (bytes %d/%d, scalar byte 71), %lld traces fitted, max misfit %.3f %s at inline %d "
           "crossline %d\n",
           c->from_source     ? "source"
           : c->x_byte == 181 ? "CDP"
                              : "header",
           c->x_byte, c->y_byte, (long long)c->traces, c->max_misfit, u, (int)c->worst_inline, (int)c->worst_crossline);
    printf(
        "spacing       inlines %.3f %s apart, crosslines %.3f %s apart; crosslines increase towards azimuth %.3f deg\n",
        c->inline_spacing, u, c->crossline_spacing, u, c->azimuth_deg);
    for (int k = 0; k < c->ncorners; k++)
        printf("%-14sinline %d crossline %d: x %.2f y %.2f\n", k ? "" : "corners", (int)c->corners[k].inline_number,
               (int)c->corners[k].crossline_number, c->corners[k].x, c->corners[k].y);
}

static void print_coords_json(const fc_coords *c)
{
    if (!c->present) {
        printf(",\n  \"coordinates\": null");
        return;
    }
    printf(",\n  \"coordinates\": {\"x_byte\": %d, \"y_byte\": %d, \"source\": \"%s\", \"units\": %d, "
           "\"traces\": %lld,\n    \"corners\": [",
           c->x_byte, c->y_byte, c->from_source ? "source" : "cdp", c->units, (long long)c->traces);
    for (int k = 0; k < c->ncorners; k++)
        printf("%s{\"inline\": %d, \"crossline\": %d, \"x\": %.17g, \"y\": %.17g}", k ? ", " : "",
               (int)c->corners[k].inline_number, (int)c->corners[k].crossline_number, c->corners[k].x, c->corners[k].y);
    printf("],\n    \"inline_spacing\": %.17g, \"crossline_spacing\": %.17g, \"azimuth_deg\": %.17g, "
           "\"max_misfit\": %.17g, \"worst_inline\": %d, \"worst_crossline\": %d}",
           c->inline_spacing, c->crossline_spacing, c->azimuth_deg, c->max_misfit, (int)c->worst_inline,
           (int)c->worst_crossline);
}

static void print_text(const fc_survey_info *in, const fc_amplitude_stats *a, int64_t nonfinite,
                       const fc_coords *coords)
{
    printf("file          %s (%lld bytes)\n", in->path, (long long)in->file_size);
    printf("kind          %s\n", fc_survey_kind_name(in->kind));
    printf("format        %s (%d), %s, SEG-Y rev %d", fc_sample_format_name(in->format), (int)in->format,
           fc_byte_order_name(in->byte_order), in->revision);
    if (in->extended_text_headers)
        printf(", %d extended textual headers", in->extended_text_headers);
    printf("\nsorting       %s\n", fc_sorting_name(in->sorting));
    if (in->kind == FC_SURVEY_KIND_3D) {
        print_lines("inlines", in->inline_numbers, in->inline_count, in->inline_step, in->iline_byte);
        print_lines("crosslines", in->crossline_numbers, in->crossline_count, in->crossline_step, in->xline_byte);
    } else {
        printf("line          %d traces, CDP %d..%d (byte %d)\n", in->crossline_count, in->crossline_numbers[0],
               in->crossline_numbers[in->crossline_count - 1], in->cdp_byte);
    }
    static const char *dt_from[] = {"binary header", "trace header", "assumed: not set in the headers"};
    printf("samples       %d at %g ms (%s), start %g ms, end %g ms\n", in->sample_count, in->sample_interval_ms,
           dt_from[in->interval_source], in->start_time_ms,
           in->start_time_ms + (in->sample_count - 1) * in->sample_interval_ms);
    printf("traces        %lld", (long long)in->trace_count);
    if (in->kind == FC_SURVEY_KIND_3D)
        printf(", %lld missing of %lld grid cells", (long long)in->missing_traces,
               (long long)in->inline_count * in->crossline_count);
    printf("\n");
    if (a) {
        printf("amplitude     min %g, max %g, mean %g, rms %g (%lld traces, %lld samples)\n", a->min, a->max, a->mean,
               a->rms, (long long)a->traces_used, (long long)a->samples_used);
        printf("percentiles   p0.1 %g, p1 %g, p5 %g, p50 %g, p95 %g, p99 %g, p99.9 %g\n", a->p01, a->p1, a->p5, a->p50,
               a->p95, a->p99, a->p999);
        printf("|amplitude|   p99 %g, p99.9 %g\n", a->abs_p99, a->abs_p999);
        if (nonfinite)
            printf("warning       %lld NaN/Inf samples read as 0\n", (long long)nonfinite);
    }
    print_coords_text(coords);
}

static void print_json(const fc_survey_info *in, const fc_amplitude_stats *a, int64_t nonfinite,
                       const fc_coords *coords, const like_result *like)
{
    printf("{\n  \"path\": ");
    json_string(stdout, in->path);
    printf(",\n  \"file_size\": %lld,\n  \"kind\": \"%s\",\n", (long long)in->file_size,
           in->kind == FC_SURVEY_KIND_2D ? "2d" : "3d");
    printf("  \"format\": %d,\n  \"format_name\": \"%s\",\n  \"byte_order\": \"%s\",\n  \"revision\": %d,\n",
           (int)in->format, fc_sample_format_name(in->format), in->byte_order == FC_BYTE_ORDER_BIG ? "big" : "little",
           in->revision);
    printf("  \"sorting\": \"%s\",\n", fc_sorting_name(in->sorting));
    printf("  \"inline_count\": %d,\n  \"crossline_count\": %d,\n", in->inline_count, in->crossline_count);
    printf("  \"inline_first\": %d,\n  \"inline_last\": %d,\n  \"inline_step\": %d,\n", in->inline_numbers[0],
           in->inline_numbers[in->inline_count - 1], in->inline_step);
    printf("  \"crossline_first\": %d,\n  \"crossline_last\": %d,\n  \"crossline_step\": %d,\n",
           in->crossline_numbers[0], in->crossline_numbers[in->crossline_count - 1], in->crossline_step);
    printf("  \"iline_byte\": %d,\n  \"xline_byte\": %d,\n  \"cdp_byte\": %d,\n", in->iline_byte, in->xline_byte,
           in->cdp_byte);
    printf("  \"sample_count\": %d,\n  \"sample_interval_ms\": %.17g,\n  \"start_time_ms\": %.17g,\n", in->sample_count,
           in->sample_interval_ms, in->start_time_ms);
    printf("  \"sample_interval_source\": \"%s\",\n", in->interval_source == FC_INTERVAL_BINARY_HEADER ? "binary_header"
                                                      : in->interval_source == FC_INTERVAL_TRACE_HEADER ? "trace_header"
                                                                                                        : "assumed");
    printf("  \"trace_count\": %lld,\n  \"missing_traces\": %lld,\n  \"extended_text_headers\": %d",
           (long long)in->trace_count, (long long)in->missing_traces, in->extended_text_headers);
    if (a) {
        printf(",\n  \"amplitude\": {\"traces_used\": %lld, \"samples_used\": %lld, \"min\": %.9g, \"max\": %.9g, "
               "\"mean\": %.9g, \"rms\": %.9g, \"p0.1\": %.9g, \"p1\": %.9g, \"p5\": %.9g, \"p50\": %.9g, "
               "\"p95\": %.9g, \"p99\": %.9g, \"p99.9\": %.9g, \"abs_p99\": %.9g, \"abs_p99.9\": %.9g, "
               "\"nonfinite\": %lld}",
               (long long)a->traces_used, (long long)a->samples_used, a->min, a->max, a->mean, a->rms, a->p01, a->p1,
               a->p5, a->p50, a->p95, a->p99, a->p999, a->abs_p99, a->abs_p999, (long long)nonfinite);
    }
    print_coords_json(coords);
    print_like(like, 1);
    printf("\n}\n");
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"stats-traces", required_argument, NULL, OPT_STATS},
        {"like", required_argument, NULL, OPT_LIKE},
        {"help", no_argument, NULL, OPT_HELP},
        CLI_SURVEY_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cli_common c = cli_common_default();
    int json = 0;
    long stats_traces = 2000;
    like_result like = {0};
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int h = cli_common_option("info", opt, optarg, &c);
        if (h < 0)
            return EXIT_USAGE;
        if (h)
            continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case OPT_LIKE: like.path = optarg; break;
        case OPT_STATS:
            if (cli_parse_int(optarg, 0, 1000000, &stats_traces))
                return cli_usage_error("info", "--stats-traces '%s' must be a whole number from 0 to 1000000", optarg);
            break;
        case OPT_HELP: cli_help(help); return EXIT_OK;
        default: return cli_usage_error("info", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("info", "expected one SEG-Y file, got %d arguments", argc - optind);
    int rc = cli_files_check_one("info", "facies info SURVEY.sgy", argv[optind], FC_FILE_KIND_SEGY, "a SEG-Y survey");
    if (!rc && like.path)
        rc = cli_files_check_one("info", "facies info SURVEY.sgy --like B.sgy", like.path, FC_FILE_KIND_SEGY,
                                 "a SEG-Y survey");
    if (rc)
        return rc;
    fc_error err;
    fc_error_clear(&err);
    fc_survey *s = NULL;
    if (fc_survey_open(&s, argv[optind], &c.survey, &err))
        return cli_fail_status("info", err.status, &err);
    fc_amplitude_stats a;
    int have_stats = stats_traces > 0;
    if (have_stats && fc_survey_amplitude_stats(s, (int)stats_traces, &a, &err)) {
        fc_survey_close(s);
        return cli_fail(&err);
    }
    const fc_coords *coords = NULL;
    if (fc_survey_coords(s, &coords, &err)) {
        fc_survey_close(s);
        return cli_fail(&err);
    }
    const fc_survey_info *in = fc_survey_get_info(s);
    rc = compare_like(s, argv[optind], &c.survey, &like);
    if (rc) {
        fc_survey_close(s);
        return rc;
    }
    if (json)
        print_json(in, have_stats ? &a : NULL, fc_survey_nonfinite_count(s), coords, &like);
    else {
        print_text(in, have_stats ? &a : NULL, fc_survey_nonfinite_count(s), coords);
        print_like(&like, 0);
    }
    fc_survey_close(s);
    return EXIT_OK;
}
