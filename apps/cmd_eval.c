/* facies eval: scores of a facies volume against labels. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "facies/calibration.h"
#include "facies/eval.h"

#include "cli.h"
#include "cli_files.h"

static const char help[] =
    "usage: facies eval FACIES.sgy --labels L [--lines A:B] [--crosslines A:B] [--classes C] [--json]\n"
    "                   [--probabilities P.h5 [--reliability-png FILE]]\n\n"
    "Score a facies volume against labels (a label SEG-Y, a picks CSV or a horizon interval\n"
    "table): pixel accuracy, accuracy and IoU per class, mean class accuracy, mean IoU,\n"
    "frequency-weighted IoU and the confusion matrix (rows: labels, columns: predictions, both in\n"
    "code order). Traces are matched by inline/crossline numbers: a facies volume holding some\n"
    "lines (apply --lines) is scored where it overlaps the labels, and one line on stderr counts\n"
    "the label traces (or picks) and facies traces outside the overlap; no overlap is an error.\n"
    "A label SEG-Y must have the facies volume's samples, interval and start time. Picks\n"
    "(x,y columns) and horizon files ('x y time_ms' header) in X/Y land on the nearest trace.\n\n"
    "options:\n"
    "  --labels FILE       the reference labels (required)\n"
    "  --lines A:B         only inlines A..B (e.g. blind lines kept out of training; refused\n"
    "                      for a 2-D line)\n"
    "  --crosslines A:B    only crosslines (CDPs of a 2-D line) A..B\n"
    "  --classes FILE      legend code,name,colour for the class names (default: the legend that\n"
    "                      apply writes into FACIES.sgy's textual header)\n"
    "  --unlabelled N      label SEG-Y codes <= N are unlabelled (default 0); needs a label SEG-Y\n"
    "  --labels-iline-byte N, --labels-xline-byte N\n"
    "                      trace-header bytes of the line numbers in a label SEG-Y (default: the\n"
    "                      facies volume's, --iline-byte/--xline-byte); needs a label SEG-Y\n"
    "  --probabilities P.h5\n"
    "                      the probability volume apply wrote with FACIES.sgy: also score how far its\n"
    "                      probabilities can be trusted at the labelled samples: expected calibration\n"
    "                      error (15 equal-width bins of top-1 probability), Brier score and negative\n"
    "                      log-likelihood; and draw the reliability diagram\n"
    "  --reliability-png FILE\n"
    "                      where to draw it (default: P.h5's name with .reliability.png for .h5);\n"
    "                      needs --probabilities\n"
    "  --json              JSON: pixel_accuracy, mean_class_accuracy, mean_iou, fw_iou, classes,\n"
    "                      confusion, outside; with --probabilities also calibration: {samples, ece,\n"
    "                      brier, nll, bins: [{lo, hi, samples, confidence, accuracy}], png}\n" CLI_SURVEY_HELP
    "  --help              this text\n";

enum { O_LABELS = 1, O_LINES, O_XLINES, O_CLASSES, O_UNL, O_JSON, O_PROBS, O_RELIABILITY, O_HELP };

static void json_number(double v)
{
    if (isnan(v))
        printf("null");
    else
        printf("%.6f", v);
}

/* The calibration object of --json (without its closing brace's line end). */
static void print_calibration_json(const fc_calibration *c, const char *png)
{
    printf(",\n  \"calibration\": {\"samples\": %lld, \"ece\": ", (long long)c->n);
    json_number(c->ece);
    printf(", \"brier\": ");
    json_number(c->brier);
    printf(", \"nll\": ");
    json_number(c->nll);
    printf(", \"png\": ");
    json_string(stdout, png);
    printf(",\n    \"bins\": [");
    for (int b = 0; b < FC_CALIBRATION_BINS; b++) {
        printf("%s\n      {\"lo\": %.6f, \"hi\": %.6f, \"samples\": %lld, \"confidence\": ", b ? "," : "",
               (double)b / FC_CALIBRATION_BINS, (double)(b + 1) / FC_CALIBRATION_BINS, (long long)c->bin_count[b]);
        json_number(c->bin_confidence[b]);
        printf(", \"accuracy\": ");
        json_number(c->bin_accuracy[b]);
        printf("}");
    }
    printf("\n    ]}");
}

static void print_json(const fc_eval_result *r, const char *png)
{
    printf("{\n  \"pixel_accuracy\": ");
    json_number(r->pixel_accuracy);
    printf(",\n  \"mean_class_accuracy\": ");
    json_number(r->mean_class_accuracy);
    printf(",\n  \"mean_iou\": ");
    json_number(r->mean_iou);
    printf(",\n  \"fw_iou\": ");
    json_number(r->fw_iou);
    printf(",\n  \"samples\": %lld,\n  \"classes\": [", (long long)r->total);
    for (int i = 0; i < r->n; i++) {
        printf("%s\n    {\"code\": %d, \"name\": ", i ? "," : "", (int)r->code[i]);
        json_string(stdout, r->name[i]);
        printf(", \"accuracy\": ");
        json_number(r->class_accuracy[i]);
        printf(", \"iou\": ");
        json_number(r->iou[i]);
        printf("}");
    }
    printf("\n  ],\n  \"confusion\": [");
    for (int a = 0; a < r->n; a++) {
        printf("%s\n    [", a ? "," : "");
        for (int b = 0; b < r->n; b++)
            printf("%s%lld", b ? ", " : "", (long long)r->confusion[a * r->n + b]);
        printf("]");
    }
    printf("\n  ],\n  \"conflicts\": %lld,\n  \"outside\": {\"labels\": %lld, \"facies_traces\": ",
           (long long)r->conflicts, (long long)(r->outside.missing + r->outside.off_grid));
    if (r->outside.segy)
        printf("%lld}", (long long)r->outside.survey_traces);
    else
        printf("null}");
    if (png)
        print_calibration_json(&r->calibration, png);
    printf("\n}\n");
}

/* One line when part of either side was not scored. */
static void note_outside(const fc_eval_options *o, const fc_eval_result *r)
{
    const fc_label_outside *x = &r->outside;
    int64_t labels = x->missing + x->off_grid;
    if (labels == 0 && x->survey_traces == 0)
        return;
    if (x->segy)
        fprintf(stderr,
                "facies eval: scored the overlap of %s and %s: %lld label traces outside the facies volume, %lld "
                "facies traces without a label trace\n",
                o->pred_path, o->labels_path, (long long)labels, (long long)x->survey_traces);
    else
        fprintf(stderr, "facies eval: scored the overlap of %s and %s: %lld picks outside the facies volume\n",
                o->pred_path, o->labels_path, (long long)labels);
}

static void print_calibration(const fc_calibration *c, const char *png)
{
    printf("\ncalibration (%lld labelled samples)\n", (long long)c->n);
    printf("expected calibration error (ECE) %.4f  (%d equal-width bins of top-1 probability)\n", c->ece,
           FC_CALIBRATION_BINS);
    printf("Brier score                      %.4f  (mean sum of squared errors over the classes, 0..2)\n", c->brier);
    printf("negative log-likelihood (NLL)    %.4f  (nats per sample)\n", c->nll);
    printf("%-13s %10s %11s %9s\n", "confidence", "samples", "confidence", "accuracy");
    for (int b = 0; b < FC_CALIBRATION_BINS; b++) {
        if (c->bin_count[b] == 0)
            continue;
        printf("%.3f-%.3f   %10lld %11.4f %9.4f\n", (double)b / FC_CALIBRATION_BINS,
               (double)(b + 1) / FC_CALIBRATION_BINS, (long long)c->bin_count[b], c->bin_confidence[b],
               c->bin_accuracy[b]);
    }
    printf("reliability diagram: %s\n", png);
}

static void print_table(const fc_eval_result *r)
{
    printf("samples scored: %lld\n", (long long)r->total);
    printf("pixel accuracy (PA)              %.4f\n", r->pixel_accuracy);
    printf("mean class accuracy (MCA)        %.4f\n", r->mean_class_accuracy);
    printf("mean IoU (mIoU)                  %.4f\n", r->mean_iou);
    printf("frequency-weighted IoU (FWIU)    %.4f\n\n", r->fw_iou);
    printf("%-6s %-20s %10s %10s\n", "code", "class", "accuracy", "IoU");
    for (int i = 0; i < r->n; i++) {
        printf("%-6d %-20s ", (int)r->code[i], r->name[i]);
        if (isnan(r->class_accuracy[i]))
            printf("%10s %10s\n", "-", "-");
        else
            printf("%10.4f %10.4f\n", r->class_accuracy[i], r->iou[i]);
    }
    printf("\nconfusion (rows: labels, columns: predictions)\n%-6s", "");
    for (int b = 0; b < r->n; b++)
        printf(" %9d", (int)r->code[b]);
    printf("\n");
    for (int a = 0; a < r->n; a++) {
        printf("%-6d", (int)r->code[a]);
        for (int b = 0; b < r->n; b++)
            printf(" %9lld", (long long)r->confusion[a * r->n + b]);
        printf("\n");
    }
}

int cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {
        {"labels", required_argument, NULL, O_LABELS},
        {"lines", required_argument, NULL, O_LINES},
        {"crosslines", required_argument, NULL, O_XLINES},
        {"classes", required_argument, NULL, O_CLASSES},
        {"unlabelled", required_argument, NULL, O_UNL},
        {"json", no_argument, NULL, O_JSON},
        {"probabilities", required_argument, NULL, O_PROBS},
        {"reliability-png", required_argument, NULL, O_RELIABILITY},
        {"help", no_argument, NULL, O_HELP},
        CLI_SURVEY_OPTIONS,
        CLI_LABELS_BYTE_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    fc_eval_options o = fc_eval_options_default();
    cli_common c = cli_common_default();
    int json = 0, unlabelled_given = 0;
    const char *png = NULL;
    char png_beside[CLI_FILES_PATH];
    optind = 1;
    opterr = 0;
    int opt;
    long v;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int h = cli_common_option("eval", opt, optarg, &c);
        if (!h)
            h = cli_labels_byte_option("eval", opt, optarg, &o.labels_iline_byte, &o.labels_xline_byte);
        if (h < 0)
            return EXIT_USAGE;
        if (h)
            continue;
        switch (opt) {
        case O_LABELS: o.labels_path = optarg; break;
        case O_LINES:
        case O_XLINES:
            if (opt == O_LINES ? cli_parse_line_range(optarg, &o.il_min, &o.il_max)
                               : cli_parse_line_range(optarg, &o.xl_min, &o.xl_max))
                return cli_usage_error("eval", "'%s' must be A:B with A <= B", optarg);
            break;
        case O_CLASSES: o.classes_path = optarg; break;
        case O_UNL:
            if (cli_parse_int(optarg, -2147483647L, 2147483647L, &v))
                return cli_usage_error("eval", "--unlabelled must be a whole number");
            o.unlabelled_max = (int32_t)v;
            unlabelled_given = 1;
            break;
        case O_JSON: json = 1; break;
        case O_PROBS: o.probabilities_path = optarg; break;
        case O_RELIABILITY: png = optarg; break;
        case O_HELP: cli_help(help); return EXIT_OK;
        default: return cli_usage_error("eval", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("eval", "expected one facies SEG-Y");
    if (!o.labels_path)
        return cli_usage_error("eval", "--labels is required");
    o.pred_path = argv[optind];
    cli_files f;
    cli_files_init(&f, "eval", "facies eval FACIES.sgy --labels L");
    cli_files_input(&f, "the facies volume", o.pred_path, CLI_KIND(FC_FILE_KIND_SEGY), "a facies SEG-Y");
    int segy_labels = cli_files_labels(&f, &o.labels_path, 1, o.classes_path);
    cli_files_input(&f, "--probabilities", o.probabilities_path, CLI_KIND(FC_FILE_KIND_PROBABILITIES),
                    "a probability volume of facies apply");
    if (o.probabilities_path && !png) {
        size_t n = strlen(o.probabilities_path);
        n = n > 3 && !strcmp(o.probabilities_path + n - 3, ".h5") ? n - 3 : n;
        snprintf(png_beside, sizeof png_beside, "%.*s.reliability.png", (int)(n < 4000 ? n : 4000),
                 o.probabilities_path);
        png = png_beside;
        cli_files_beside(&f, "--probabilities", o.probabilities_path, png);
    } else {
        cli_files_output(&f, "--reliability-png", png);
    }
    int rc = cli_requires("eval", png && !o.probabilities_path, "--reliability-png", 0, "--probabilities");
    if (!rc)
        rc = cli_files_check(&f);
    if (!rc)
        rc = cli_requires("eval", unlabelled_given, "--unlabelled", segy_labels > 0, "a label SEG-Y as --labels");
    if (!rc)
        rc = cli_requires("eval", o.labels_iline_byte || o.labels_xline_byte, "--labels-iline-byte/--labels-xline-byte",
                          segy_labels > 0, "a label SEG-Y as --labels");
    if (rc)
        return rc;
    o.survey = c.survey;
    fc_error err;
    fc_error_clear(&err);
    fc_eval_result r;
    fc_status st = fc_eval(&o, &r, &err);
    if (st)
        return cli_fail_status("eval", st, &err);
    note_outside(&o, &r);
    if (o.probabilities_path) {
        char title[4300];
        snprintf(title, sizeof title, "reliability of %.4000s", o.probabilities_path);
        st = fc_plot_reliability(png, &r.calibration, title, &err);
        if (st) {
            fc_eval_free(&r);
            return cli_fail_status("eval", st, &err);
        }
    }
    if (r.conflicts) /* stderr even with --json: the scores may not be what was meant */
        fprintf(stderr,
                "facies eval: warning: %lld labelled position%s got conflicting facies (each is scored once, with "
                "the higher code, as ingest keeps it): %s\n",
                (long long)r.conflicts, r.conflicts == 1 ? "" : "s", r.conflict_examples);
    if (json)
        print_json(&r, o.probabilities_path ? png : NULL);
    else
        print_table(&r);
    if (!json && o.probabilities_path)
        print_calibration(&r.calibration, png);
    fc_eval_free(&r);
    return EXIT_OK;
}
