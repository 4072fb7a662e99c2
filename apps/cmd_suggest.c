/* facies suggest: where to label next, from apply's probabilities. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_files.h"

static const char help[] =
    "usage: facies suggest PROBABILITIES.h5 --out SUGGEST.csv [--labels L ... --min-distance N --threshold X\n"
    "                      --top K --png DIR --survey S.sgy --disagreement D.sgy]\n\n"
    "Where new labels pay most: ranks the inlines and crosslines of apply's probability volume\n"
    "(apply --probabilities) by their mean uncertainty, the entropy of the class probabilities,\n"
    "or, with --disagreement, the members' mean disagreement (apply --confidence D.sgy\n"
    "--uncertainty disagreement with several --model). Lines already labelled are left out, and so\n"
    "are lines within --min-distance of them or of a line ranked higher. Labelled lines come from\n"
    "--labels, or else from the patch dataset the model was trained on (the probability file names\n"
    "the model, the model its patch dataset): a line is labelled when labels lie on at least\n"
    "--labelled-fraction of its traces. Writes SUGGEST.csv (rank,orientation,line,mean_entropy,\n"
    "mean_disagreement,fraction_above; entropy and disagreement in nats), and with --png pictures\n"
    "of the --top K lines with the uncertainty drawn over the seismic. The volume is read once,\n"
    "trace by trace: memory holds a trace and a few numbers a line.\n\n"
    "options:\n"
    "  --out FILE              the ranked lines, CSV (required)\n"
    "  --labels FILE           labels already used: a label SEG-Y, picks CSV or horizon table\n"
    "                          (repeatable; needs the survey: --survey or the probability file's)\n"
    "  --min-distance N        lines between a suggestion and a labelled or higher-ranked line of\n"
    "                          its orientation, at least (grid lines; default 3)\n"
    "  --threshold X           fraction_above counts samples whose uncertainty / log(classes)\n"
    "                          exceeds X (0..1; default 0.5)\n"
    "  --top K                 pictures of the K best lines (default 5)\n"
    "  --png DIR               write DIR/inline_N.png and DIR/crossline_N.png\n"
    "  --survey FILE           the survey the probabilities were computed on (for --labels and\n"
    "                          --png; default: the one apply recorded in the probability file)\n"
    "  --disagreement FILE     apply's disagreement SEG-Y of an ensemble: rank by it\n"
    "  --labelled-fraction F   a line is labelled from this fraction of its traces (default 0.1)\n"
    "  --no-provenance         do not look for the model's patch dataset\n" CLI_SURVEY_HELP
    "  --help                  this text\n";

enum { O_OUT = 1, O_LABELS, O_MIN, O_THRESHOLD, O_TOP, O_PNG, O_SURVEY, O_DIS, O_FRACTION, O_NOPROV, O_HELP };

#define MAX_LABELS 16

typedef struct suggest_args {
    const char *probs, *out, *png, *survey, *dis;
    const char *labels[MAX_LABELS];
    int nlabels, top, no_provenance;
    double threshold;
    fc_suggest_rule rule;
} suggest_args;

static int parse_fraction(const char *s, double *out)
{
    char *end = NULL;
    *out = strtod(s, &end);
    return end == s || *end || !(*out >= 0 && *out <= 1);
}

static int parse(int argc, char **argv, suggest_args *a, cli_common *c)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, O_OUT},
        {"labels", required_argument, NULL, O_LABELS},
        {"min-distance", required_argument, NULL, O_MIN},
        {"threshold", required_argument, NULL, O_THRESHOLD},
        {"top", required_argument, NULL, O_TOP},
        {"png", required_argument, NULL, O_PNG},
        {"survey", required_argument, NULL, O_SURVEY},
        {"disagreement", required_argument, NULL, O_DIS},
        {"labelled-fraction", required_argument, NULL, O_FRACTION},
        {"no-provenance", no_argument, NULL, O_NOPROV},
        {"help", no_argument, NULL, O_HELP},
        CLI_SURVEY_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int opt;
    long v;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int h = cli_common_option("suggest", opt, optarg, c);
        if (h < 0)
            return EXIT_USAGE;
        if (h)
            continue;
        switch (opt) {
        case O_OUT: a->out = optarg; break;
        case O_LABELS:
            if (a->nlabels == MAX_LABELS)
                return cli_usage_error("suggest", "at most %d --labels files", MAX_LABELS);
            a->labels[a->nlabels++] = optarg;
            break;
        case O_MIN:
            if (cli_parse_int(optarg, 1, 100000, &v))
                return cli_usage_error("suggest", "--min-distance '%s' must be a whole number of lines, 1 or more",
                                       optarg);
            a->rule.min_distance = (int)v;
            break;
        case O_THRESHOLD:
            if (parse_fraction(optarg, &a->threshold))
                return cli_usage_error("suggest", "--threshold '%s' must be a number from 0 to 1", optarg);
            break;
        case O_TOP:
            if (cli_parse_int(optarg, 0, 100000, &v))
                return cli_usage_error("suggest", "--top '%s' must be a whole number, 0 or more", optarg);
            a->top = (int)v;
            break;
        case O_PNG: a->png = optarg; break;
        case O_SURVEY: a->survey = optarg; break;
        case O_DIS: a->dis = optarg; break;
        case O_FRACTION:
            if (parse_fraction(optarg, &a->rule.labelled_fraction))
                return cli_usage_error("suggest", "--labelled-fraction '%s' must be a number from 0 to 1", optarg);
            break;
        case O_NOPROV: a->no_provenance = 1; break;
        case O_HELP: cli_help(help); return -1;
        default: return cli_usage_error("suggest", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("suggest", "expected one probability volume (apply --probabilities), got %d arguments",
                               argc - optind);
    a->probs = argv[optind];
    if (!a->out)
        return cli_usage_error("suggest", "--out SUGGEST.csv is required");
    a->rule.by_disagreement = a->dis != NULL;
    return 0;
}

static int check_files(const suggest_args *a)
{
    cli_files f;
    cli_files_init(&f, "suggest", "facies suggest PROBABILITIES.h5 --out SUGGEST.csv");
    cli_files_input(&f, "the probability volume", a->probs, CLI_KIND(FC_FILE_KIND_PROBABILITIES),
                    "a probability volume (apply --probabilities)");
    cli_files_labels(&f, a->labels, a->nlabels, NULL);
    cli_files_input(&f, "--survey", a->survey, CLI_KIND(FC_FILE_KIND_SEGY), "a SEG-Y survey");
    cli_files_input(&f, "--disagreement", a->dis, CLI_KIND(FC_FILE_KIND_SEGY),
                    "a disagreement SEG-Y (apply --uncertainty disagreement)");
    cli_files_output(&f, "--out", a->out);
    cli_files_folder(&f, "--png", a->png);
    return cli_files_check(&f);
}

static fc_status nomem(fc_error *err, const char *path)
{
    err->status = FC_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "%s: out of memory", path);
    return FC_ERR_NOMEM;
}

/* The labelled traces: from --labels on the survey, or from the model's patch dataset. */
static fc_status mark_labels(fc_suggest *s, fc_survey *sv, const suggest_args *a, char *note, size_t nn, fc_error *err)
{
    if (a->nlabels == 0) {
        const fc_suggest_info *in = fc_suggest_get_info(s);
        char patches[4096];
        if (a->no_provenance || !in->model[0])
            return FC_OK;
        fc_error e2;
        fc_error_clear(&e2);
        if (fc_suggest_model_patches(in->model, patches, sizeof patches, &e2) ||
            fc_suggest_label_patches(s, patches, &e2)) {
            if (e2.status == FC_ERR_NOMEM) {
                *err = e2;
                return e2.status;
            }
            snprintf(note, nn, "no labelled lines from the model's provenance (%s); give --labels", e2.message);
            return FC_OK;
        }
        snprintf(note, nn, "labelled lines from %s (the patch dataset of %s)", patches, in->model);
        return FC_OK;
    }
    fc_label_filter lf = fc_label_filter_default();
    lf.allow_off_grid = 1;
    lf.per_class = 4000000; /* a dense label volume is sampled: still hits nearly every labelled trace */
    fc_label_collector *col = NULL;
    fc_status st = fc_label_collector_create(&col, &lf, err);
    for (int q = 0; !st && q < a->nlabels; q++)
        st = fc_labels_load(col, sv, a->labels[q], NULL, err);
    if (!st) {
        int64_t n = 0;
        const fc_label_point *p = fc_label_collector_points(col, &n);
        if (p)
            fc_suggest_label_points(s, sv, p, n);
        else
            st = nomem(err, a->labels[0]);
    }
    fc_label_collector_destroy(col);
    return st;
}

static int run(const suggest_args *a, const cli_common *c, fc_suggest *s, fc_error *err)
{
    const fc_suggest_info *in = fc_suggest_get_info(s);
    const char *survey = a->survey ? a->survey : in->survey[0] ? in->survey : NULL;
    if (!survey && (a->nlabels || a->png))
        return cli_error(EXIT_USAGE, "suggest",
                         "%s names no survey, which --labels and --png need: give it with --survey S.sgy", a->probs);
    fc_survey *sv = NULL, *dis = NULL;
    fc_status st = FC_OK;
    char note[5000] = "";
    if (survey && (a->nlabels || a->png))
        st = fc_survey_open(&sv, survey, &c->survey, err);
    if (!st && a->dis)
        st = fc_survey_open(&dis, a->dis, &c->survey, err);
    if (!st)
        st = mark_labels(s, sv, a, note, sizeof note, err);
    fc_suggest_line *lines = NULL;
    int n = 0, chosen = 0;
    if (!st)
        st = fc_suggest_measure(s, dis, a->threshold, &lines, &n, err);
    int *order = st ? NULL : malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    if (!st && !order)
        st = nomem(err, a->probs);
    if (!st) {
        fc_suggest_mark_labelled(lines, n, &a->rule);
        chosen = fc_suggest_rank(lines, n, &a->rule, order);
        if (chosen < 0)
            st = nomem(err, a->probs);
    }
    /* The pictures first: a run that fails drawing them writes no list (the pictures drawn stay, as apply's). */
    int top = chosen < a->top ? chosen : a->top;
    if (!st && a->png)
        st = fc_suggest_pictures(s, sv, dis, lines, order, top, a->png, err);
    if (!st)
        st = fc_suggest_write_csv(a->out, lines, order, chosen, err);
    if (!st && !c->quiet) {
        if (note[0])
            fprintf(stderr, "facies suggest: %s\n", note);
        int labelled = 0;
        for (int q = 0; q < n; q++)
            labelled += lines[q].labelled;
        fprintf(stderr, "facies suggest: %d lines measured, %d labelled, %d suggested; wrote %s", n, labelled, chosen,
                a->out);
        if (a->png)
            fprintf(stderr, " and %d pictures in %s", top, a->png);
        fprintf(stderr, "\n");
    }
    free(order);
    fc_survey_close(sv);
    fc_survey_close(dis);
    return st ? cli_fail_status("suggest", st, err) : EXIT_OK;
}

int cmd_suggest(int argc, char **argv)
{
    suggest_args a = {.top = 5, .threshold = 0.5, .rule = fc_suggest_rule_default()};
    cli_common c = cli_common_default();
    int rc = parse(argc, argv, &a, &c);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    rc = check_files(&a);
    if (rc)
        return rc;
    fc_error err;
    fc_error_clear(&err);
    fc_suggest *s = NULL;
    if (fc_suggest_open(&s, a.probs, &err))
        return cli_fail_status("suggest", err.status, &err);
    rc = run(&a, &c, s, &err);
    fc_suggest_close(s);
    return rc;
}
