/* facies map: plan-view maps of a facies volume along horizons, between them, or at a time. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_files.h"

static const char help[] =
    "usage: facies map FACIES.sgy --horizon H.txt --out MAP [--window A:B | --between H1 H2 | --time-slice T]\n\n"
    "Plan-view maps of a facies volume (apply's output), the map a geologist hands over:\n"
    "the facies at a horizon; with --window the dominant facies and each class's fraction\n"
    "within A..B ms of the horizon; with --between the same between two horizons; with\n"
    "--time-slice the facies at a fixed time. Writes MAP.csv (inline,crossline,x,y, then the\n"
    "values; one row per mapped trace) and MAP.png (crosslines across, inlines up, legend\n"
    "colours, a scale bar in metres when the survey has coordinates; traces the volume lacks,\n"
    "horizon holes and windows outside the traces are left blank). Horizon files hold\n"
    "'inline crossline time_ms' rows, or 'x y time_ms' rows under a header line saying so.\n"
    "The volume is read a section at a time: memory holds the horizons and one map.\n\n"
    "options:\n"
    "  --out MAP            write MAP.csv and MAP.png (required)\n"
    "  --horizon FILE       the horizon (required, except with --time-slice and --between)\n"
    "  --window A:B         dominant facies and fractions from A to B ms about the horizon\n"
    "                       (negative: above it; samples whose time lies within, ends included)\n"
    "  --between H1 H2      dominant facies and fractions from horizon H1 down to H2\n"
    "  --time-slice T       the facies at T ms (the nearest sample)\n"
    "  --probability        FACIES.sgy is a probability SEG-Y (apply --probabilities-segy): the\n"
    "                       probability at the horizon or time, its mean over a window\n"
    "  --probabilities DIR  apply --probabilities-segy's folder: the CSV gains each class's\n"
    "                       probability at the horizon or time, or its mean over the window\n"
    "  --classes FILE       legend code,name,colour (default: the legend that apply writes into\n"
    "                       FACIES.sgy's textual header)\n"
    "  --title TEXT         the picture's title (default: made from the options)\n" CLI_SURVEY_HELP
    "  --help               this text\n";

enum { O_OUT = 1, O_HORIZON, O_WINDOW, O_BETWEEN, O_SLICE, O_PROB, O_PROBS, O_CLASSES, O_TITLE, O_HELP };

static int parse_window(const char *s, double *a, double *b)
{
    char *end = NULL;
    *a = strtod(s, &end);
    if (end == s || *end != ':')
        return -1;
    const char *rest = end + 1;
    *b = strtod(rest, &end);
    return end == rest || *end || *a > *b ? -1 : 0;
}

/* The options into o; the output prefix into *out. Returns 0 or the exit status of a usage error. */
static int parse(int argc, char **argv, fc_map_options *o, cli_common *c, const char **out, const char **classes)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, O_OUT},
        {"horizon", required_argument, NULL, O_HORIZON},
        {"window", required_argument, NULL, O_WINDOW},
        {"between", required_argument, NULL, O_BETWEEN},
        {"time-slice", required_argument, NULL, O_SLICE},
        {"probability", no_argument, NULL, O_PROB},
        {"probabilities", required_argument, NULL, O_PROBS},
        {"classes", required_argument, NULL, O_CLASSES},
        {"title", required_argument, NULL, O_TITLE},
        {"help", no_argument, NULL, O_HELP},
        CLI_SURVEY_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int modes = 0, opt;
    const char *between[2] = {NULL, NULL};
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int h = cli_common_option("map", opt, optarg, c);
        if (h < 0)
            return EXIT_USAGE;
        if (h)
            continue;
        char *end = NULL;
        switch (opt) {
        case O_OUT: *out = optarg; break;
        case O_HORIZON: o->horizon = optarg; break;
        case O_WINDOW:
            if (parse_window(optarg, &o->window_top_ms, &o->window_base_ms))
                return cli_usage_error("map",
                                       "--window '%s' must be A:B in ms about the horizon, A <= B (such as "
                                       "-20:20)",
                                       optarg);
            o->mode = FC_MAP_MODE_WINDOW;
            modes++;
            break;
        case O_BETWEEN:
            if (optind >= argc || !strncmp(argv[optind], "--", 2))
                return cli_usage_error("map", "--between takes two horizon files: --between UPPER.txt LOWER.txt");
            between[0] = optarg;
            between[1] = argv[optind++];
            o->mode = FC_MAP_MODE_BETWEEN;
            modes++;
            break;
        case O_SLICE:
            o->time_ms = strtod(optarg, &end);
            if (end == optarg || *end)
                return cli_usage_error("map", "--time-slice '%s' must be a time in ms", optarg);
            o->mode = FC_MAP_MODE_TIME_SLICE;
            modes++;
            break;
        case O_PROB: o->probability = 1; break;
        case O_PROBS: o->probabilities = optarg; break;
        case O_CLASSES: *classes = optarg; break;
        case O_TITLE: o->title = optarg; break;
        case O_HELP: cli_help(help); return -1;
        default: return cli_usage_error("map", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("map", "expected one facies SEG-Y, got %d arguments", argc - optind);
    if (!*out)
        return cli_usage_error("map", "--out MAP is required (MAP.csv and MAP.png are written)");
    if (modes > 1)
        return cli_usage_error("map", "--window, --between and --time-slice exclude each other: give one");
    if (o->probabilities && o->probability)
        return cli_usage_error("map", "--probabilities adds class probabilities to a facies map, and --probability "
                                      "maps a probability volume: give one");
    if (o->mode == FC_MAP_MODE_BETWEEN && o->horizon)
        return cli_usage_error("map", "--horizon has no effect with --between H1 H2, which names both horizons");
    if (o->mode == FC_MAP_MODE_TIME_SLICE && o->horizon)
        return cli_usage_error("map", "--horizon has no effect with --time-slice");
    if (o->mode == FC_MAP_MODE_BETWEEN) {
        o->horizon = between[0];
        o->base = between[1];
    }
    if ((o->mode == FC_MAP_MODE_HORIZON || o->mode == FC_MAP_MODE_WINDOW) && !o->horizon)
        return cli_usage_error("map", "--horizon is required (or --time-slice T for a map at a fixed time)");
    return 0;
}

int cmd_map(int argc, char **argv)
{
    fc_map_options o = fc_map_options_default();
    cli_common c = cli_common_default();
    const char *out = NULL, *classes_path = NULL;
    int rc = parse(argc, argv, &o, &c, &out, &classes_path);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    char csv[CLI_FILES_PATH], png[CLI_FILES_PATH];
    if (snprintf(csv, sizeof csv, "%s.csv", out) >= (int)sizeof csv ||
        snprintf(png, sizeof png, "%s.png", out) >= (int)sizeof png)
        return cli_usage_error("map", "--out '%s' is too long", out);
    const char *volume = argv[optind];
    cli_files f;
    cli_files_init(&f, "map", "facies map FACIES.sgy --horizon H.txt --out MAP");
    cli_files_input(&f, "the facies volume", volume, CLI_KIND(FC_FILE_KIND_SEGY),
                    o.probability ? "a probability SEG-Y" : "a facies SEG-Y");
    cli_files_input(&f, o.mode == FC_MAP_MODE_BETWEEN ? "--between (upper)" : "--horizon", o.horizon,
                    CLI_KIND(FC_FILE_KIND_TEXT), "a horizon file");
    cli_files_input(&f, "--between (lower)", o.base, CLI_KIND(FC_FILE_KIND_TEXT), "a horizon file");
    cli_files_input(&f, "--classes", classes_path, CLI_KIND(FC_FILE_KIND_TEXT), "a legend code,name,colour");
    cli_files_output(&f, "--out", csv);
    cli_files_output(&f, "--out", png);
    rc = cli_files_check(&f);
    if (rc)
        return rc;
    fc_error err;
    fc_error_clear(&err);
    fc_classes legend;
    if (classes_path) {
        if (fc_classes_load(&legend, classes_path, &err))
            return cli_fail(&err);
        o.classes = &legend;
    }
    o.survey_options = &c.survey;
    o.csv_path = csv;
    o.png_path = png;
    fc_survey *s = NULL;
    if (fc_survey_open(&s, volume, &c.survey, &err))
        return cli_fail_status("map", err.status, &err);
    fc_map_summary sum;
    fc_status st = fc_map_write(s, &o, &sum, &err);
    fc_survey_close(s);
    if (st)
        return cli_fail_status("map", st, &err);
    if (!c.quiet) {
        fprintf(stderr,
                "facies map: %lld of %lld grid cells mapped (%lld without a trace, %lld horizon holes, %lld outside "
                "the traces)",
                (long long)sum.mapped, (long long)sum.cells, (long long)sum.missing, (long long)sum.holes,
                (long long)sum.outside);
        if (sum.off_survey)
            fprintf(stderr, "; %lld horizon points off the survey were ignored", (long long)sum.off_survey);
        fprintf(stderr, "%s; wrote %s and %s\n", sum.has_coordinates ? "" : "; no coordinates: x,y left empty", csv,
                png);
    }
    return EXIT_OK;
}
