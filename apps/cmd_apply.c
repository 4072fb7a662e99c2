/* facies apply: a facies volume from a model and a survey. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_files.h"
#include "cli_volumes.h"
#include "mpi_comm.h"
#include "progress.h"

static const char help[] =
    "usage: facies apply MODEL.h5 SURVEY.sgy --out FACIES.sgy [--model M2.h5 ...] [options]\n\n"
    "Classify every sample of a survey, section by section, with the model's\n"
    "fully convolutional equivalent: each sample gets exactly the probabilities\n"
    "its own patch would get, at the cost of one pass. Writes a SEG-Y with the\n"
    "input's textual, binary and trace headers and facies codes as samples.\n"
    "Refused before any work: an output that is an input or another output (by\n"
    "device and inode: any spelling, symlink or hard link), a folder that is missing,\n"
    "a name that is empty or that the folder cannot take.\n\n"
    "options:\n"
    "  --out FILE              facies SEG-Y to write (required)\n"
    "  --probabilities FILE    per-class probabilities, HDF5 [inline][crossline][sample][class]\n"
    "  --probabilities-u8      store them as bytes (round(255 p)); needs --probabilities\n"
    "  --probabilities-segy DIR\n"
    "                          one IEEE-float SEG-Y per class, DIR/<code>_<name>.sgy (names sanitised),\n"
    "                          with the input's headers, the facies output's traces and the class's\n"
    "                          probability as samples; resumable (DIR is made with its parents)\n"
    "  --confidence FILE       SEG-Y of confidence per sample (see --uncertainty)\n"
    "  --uncertainty KIND      top1 (probability of the chosen class, default), entropy, margin or\n"
    "                          disagreement (mutual information between the models of an ensemble, nats:\n"
    "                          entropy of their mean minus their mean entropy; needs --model); needs\n"
    "                          --confidence\n"
    "  --model FILE            one more model for an ensemble (repeatable, up to 15): the probabilities are\n"
    "                          the models' mean; every model must have MODEL.h5's classes, patch size,\n"
    "                          channels, normalisation and sample interval (else refused naming the first\n"
    "                          difference); time grows with the number of models\n"
    "  --tta flip              test-time augmentation: each model's probabilities are the mean of an exact\n"
    "                          pass on the section and one on its left-right mirror (mirrored back); twice\n"
    "                          the time\n"
    "  --no-calibration        ignore the temperature training fitted (logits not divided by it), to compare\n"
    "  --png DIR               pictures of sections: seismic, facies colours, legend, axes (DIR is\n"
    "                          made with its parents)\n"
    "  --png-lines LIST        lines to draw: numbers and ranges A:B, comma-separated, each naming a\n"
    "                          classified line (default: first, middle, last; crosslines when\n"
    "                          crossline sections are classified); needs --png; not for a 2-D\n"
    "                          line (one section, always drawn)\n"
    "  --lines A:B             only inlines A..B (refused for a 2-D line: --crosslines)\n"
    "  --crosslines A:B        only crosslines (CDPs of a 2-D line) A..B\n"
    "  --orientation O         inline (default), crossline, or inline,crossline (probabilities averaged)\n"
    "  --step N                fast preview: classify every Nth sample and trace, fill the rest\n"
    "  --format F              facies SEG-Y samples: ieee (default), ibm, int16, int8\n"
    "  --use-training-scale    normalise with the model's stored scales, not the volumes' own\n"
    "  --volume NAME=FILE      the model's other volumes, by name (repeatable; see ingest --help)\n"
    "  --resume                continue an interrupted run after its last completed section\n"
    "  --method M              fast (default: Winograd 3x3 convolutions and an FFT dense head, probabilities\n"
    "                          within 1e-4 of the per-patch pass) or direct (im2col + SGEMM everywhere)\n"
    "  --resample              a survey at another sample interval than the model's (refused without it):\n"
    "                          resample each trace to the model's interval (band-limited, FFT; low-pass\n"
    "                          first when decimating), classify, and map facies (nearest sample) and\n"
    "                          probabilities and confidence (linear) back to the survey's own samples\n" CLI_SURVEY_HELP
    "  --help                  this text\n";

enum {
    O_OUT = 1,
    O_PROB,
    O_U8,
    O_PROB_SEGY,
    O_CONF,
    O_UNC,
    O_PNG,
    O_PNGL,
    O_LINES,
    O_XLINES,
    O_ORIENT,
    O_STEP,
    O_FORMAT,
    O_TRAIN_SCALE,
    O_VOLUME,
    O_RESUME,
    O_METHOD,
    O_RESAMPLE,
    O_MODEL,
    O_TTA,
    O_NO_CAL,
    O_HELP
};

typedef struct apply_ui {
    progress bar;
    int quiet;
} apply_ui;

static void on_log(void *ctx, const char *line)
{
    apply_ui *ui = ctx;
    if (!ui->quiet)
        fprintf(stderr, "facies apply: %s\n", line);
}

static void on_progress(void *ctx, int64_t done, int64_t total)
{
    progress_update(&((apply_ui *)ctx)->bar, done, total);
}

/* The files --probabilities-segy writes, named after the model's classes; none when the model cannot be read (apply
 * says why). Returns how many, -1 when out of memory. */
static int class_files(const char *model, char (*names)[96], const char **list)
{
    fc_model_meta *meta = malloc(sizeof *meta);
    fc_net *net = NULL;
    fc_error err;
    fc_error_clear(&err);
    fc_status st = meta ? fc_model_load(model, 1, 1, &net, meta, NULL, &err) : FC_ERR_NOMEM;
    int n = st == FC_ERR_NOMEM ? -1 : 0;
    if (!st)
        for (n = 0; n < meta->classes.count; n++)
            list[n] = fc_probs_segy_name(&meta->classes.c[n], names[n], sizeof names[n]);
    fc_net_destroy(net);
    free(meta);
    return n;
}

/* Before any work: the model and the survey in their places, and no output on an input or on another output. */
static int check_files(const fc_apply_options *o, const mpi_job *job)
{
    char state[CLI_FILES_PATH], inline_probs[CLI_FILES_PATH], legend[CLI_FILES_PATH];
    if (job->active && fc_comm_parallel(&job->comm)) /* each rank keeps its own resume state, as fc_apply names it */
        snprintf(state, sizeof state, "%.4000s.partial.state.%d", o->out_path, job->comm.rank);
    else
        snprintf(state, sizeof state, "%.4000s.partial.state", o->out_path);
    snprintf(inline_probs, sizeof inline_probs, "%.4000s.partial.inline-probabilities", o->out_path);
    snprintf(legend, sizeof legend, "%.4000s.classes.csv", o->out_path);
    cli_files f;
    cli_files_init(&f, "apply", "facies apply MODEL.h5 SURVEY.sgy --out FACIES.sgy");
    cli_files_input(&f, "the model", o->model_path, CLI_KIND(FC_FILE_KIND_MODEL), "a model");
    cli_files_hint(&f, FC_FILE_KIND_SEGY, "MODEL.h5 comes first");
    cli_files_input(&f, "the input survey", o->survey_path, CLI_KIND(FC_FILE_KIND_SEGY), "a SEG-Y survey");
    cli_files_hint(&f, FC_FILE_KIND_MODEL, "SURVEY.sgy comes second");
    for (int i = 0; i < o->nmembers; i++)
        cli_files_input(&f, "--model", o->member_paths[i], CLI_KIND(FC_FILE_KIND_MODEL), "a model");
    cli_volume_files(&f, o->volumes, o->nvolumes);
    cli_files_output(&f, "--out", o->out_path);
    cli_files_beside(&f, "--out", o->out_path, state);
    cli_files_beside(&f, "--out", o->out_path, inline_probs);
    cli_files_beside(&f, "--out", o->out_path, legend);
    cli_files_output(&f, "--probabilities", o->probabilities_path);
    cli_files_output(&f, "--confidence", o->confidence_path);
    cli_files_folder(&f, "--png", o->png_dir);
    if (!o->probabilities_segy_dir)
        return cli_files_check(&f);
    char(*names)[96] = malloc(sizeof(char[96]) * FC_MAX_CLASSES);
    const char **list = malloc(sizeof(char *) * FC_MAX_CLASSES);
    if (!names || !list) {
        free(names);
        free(list);
        return cli_error(EXIT_RUNTIME, "apply", "out of memory");
    }
    int n = fc_file_detect(o->model_path) == FC_FILE_KIND_MODEL ? class_files(o->model_path, names, list) : 0;
    cli_files_folder_of(&f, "--probabilities-segy", o->probabilities_segy_dir, list, n > 0 ? n : 0);
    int rc = n < 0 ? cli_error(EXIT_RUNTIME, "apply", "out of memory") : cli_files_check(&f);
    free(names);
    free(list);
    return rc;
}

int cmd_apply(int argc, char **argv, const mpi_job *job)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, O_OUT},
        {"probabilities", required_argument, NULL, O_PROB},
        {"probabilities-u8", no_argument, NULL, O_U8},
        {"probabilities-segy", required_argument, NULL, O_PROB_SEGY},
        {"confidence", required_argument, NULL, O_CONF},
        {"uncertainty", required_argument, NULL, O_UNC},
        {"png", required_argument, NULL, O_PNG},
        {"png-lines", required_argument, NULL, O_PNGL},
        {"lines", required_argument, NULL, O_LINES},
        {"crosslines", required_argument, NULL, O_XLINES},
        {"orientation", required_argument, NULL, O_ORIENT},
        {"step", required_argument, NULL, O_STEP},
        {"format", required_argument, NULL, O_FORMAT},
        {"use-training-scale", no_argument, NULL, O_TRAIN_SCALE},
        {"volume", required_argument, NULL, O_VOLUME},
        {"resume", no_argument, NULL, O_RESUME},
        {"method", required_argument, NULL, O_METHOD},
        {"resample", no_argument, NULL, O_RESAMPLE},
        {"model", required_argument, NULL, O_MODEL},
        {"tta", required_argument, NULL, O_TTA},
        {"no-calibration", no_argument, NULL, O_NO_CAL},
        {"help", no_argument, NULL, O_HELP},
        CLI_SURVEY_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    fc_apply_options o = fc_apply_options_default();
    cli_common c = cli_common_default();
    optind = 1;
    opterr = 0;
    int opt, uncertainty_given = 0;
    long v;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int h = cli_common_option("apply", opt, optarg, &c);
        if (h < 0)
            return EXIT_USAGE;
        if (h)
            continue;
        switch (opt) {
        case O_OUT: o.out_path = optarg; break;
        case O_PROB: o.probabilities_path = optarg; break;
        case O_U8: o.probabilities_u8 = 1; break;
        case O_PROB_SEGY: o.probabilities_segy_dir = optarg; break;
        case O_CONF: o.confidence_path = optarg; break;
        case O_UNC:
            uncertainty_given = 1;
            if (!strcmp(optarg, "top1"))
                o.uncertainty = FC_UNCERTAINTY_TOP1;
            else if (!strcmp(optarg, "entropy"))
                o.uncertainty = FC_UNCERTAINTY_ENTROPY;
            else if (!strcmp(optarg, "margin"))
                o.uncertainty = FC_UNCERTAINTY_MARGIN;
            else if (!strcmp(optarg, "disagreement"))
                o.uncertainty = FC_UNCERTAINTY_DISAGREEMENT;
            else
                return cli_usage_error("apply", "--uncertainty must be top1, entropy, margin or disagreement");
            break;
        case O_PNG: o.png_dir = optarg; break;
        case O_PNGL:
            if (cli_parse_line_list(optarg, o.png_lines, FC_APPLY_MAX_PNG, &o.npng))
                return cli_usage_error("apply",
                                       "--png-lines '%s' must be line numbers or ranges A:B, comma-separated "
                                       "(at most %d)",
                                       optarg, FC_APPLY_MAX_PNG);
            break;
        case O_LINES:
        case O_XLINES:
            if (opt == O_LINES ? cli_parse_line_range(optarg, &o.il_min, &o.il_max)
                               : cli_parse_line_range(optarg, &o.xl_min, &o.xl_max))
                return cli_usage_error("apply", "'%s' must be A:B with A <= B", optarg);
            break;
        case O_ORIENT:
            if (!strcmp(optarg, "inline"))
                o.orientations = FC_CUT_INLINE;
            else if (!strcmp(optarg, "crossline"))
                o.orientations = FC_CUT_CROSSLINE;
            else if (!strcmp(optarg, "inline,crossline") || !strcmp(optarg, "both"))
                o.orientations = FC_CUT_INLINE | FC_CUT_CROSSLINE;
            else
                return cli_usage_error("apply", "--orientation must be inline, crossline or inline,crossline");
            break;
        case O_STEP:
            if (cli_parse_int(optarg, 1, 1000, &v))
                return cli_usage_error("apply", "--step must be 1..1000");
            o.step = (int)v;
            break;
        case O_FORMAT:
            if (!strcmp(optarg, "ieee"))
                o.format = FC_SAMPLE_FORMAT_IEEE;
            else if (!strcmp(optarg, "ibm"))
                o.format = FC_SAMPLE_FORMAT_IBM;
            else if (!strcmp(optarg, "int16"))
                o.format = FC_SAMPLE_FORMAT_INT16;
            else if (!strcmp(optarg, "int8"))
                o.format = FC_SAMPLE_FORMAT_INT8;
            else
                return cli_usage_error("apply", "--format must be ieee, ibm, int16 or int8");
            break;
        case O_TRAIN_SCALE: o.use_training_scale = 1; break;
        case O_VOLUME:
            if (cli_volume_option("apply", optarg, o.volumes, &o.nvolumes))
                return EXIT_USAGE;
            break;
        case O_RESUME: o.resume = 1; break;
        case O_METHOD:
            if (strcmp(optarg, "fast") && strcmp(optarg, "direct"))
                return cli_usage_error("apply", "--method must be fast or direct");
            o.direct = !strcmp(optarg, "direct");
            break;
        case O_RESAMPLE: o.resample = 1; break;
        case O_MODEL:
            if (o.nmembers == FC_APPLY_MAX_MODELS - 1)
                return cli_usage_error("apply", "at most %d models in an ensemble (MODEL.h5 and %d --model)",
                                       FC_APPLY_MAX_MODELS, FC_APPLY_MAX_MODELS - 1);
            o.member_paths[o.nmembers++] = optarg;
            break;
        case O_TTA:
            if (strcmp(optarg, "flip"))
                return cli_usage_error("apply", "--tta must be flip");
            o.tta_flip = 1;
            break;
        case O_NO_CAL: o.no_calibration = 1; break;
        case O_HELP: cli_help(help); return EXIT_OK;
        default: return cli_usage_error("apply", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 2)
        return cli_usage_error("apply", "expected a model and a survey, got %d argument%s", argc - optind,
                               argc - optind == 1 ? "" : "s");
    if (!o.out_path)
        return cli_usage_error("apply", "--out is required");
    o.model_path = argv[optind];
    o.survey_path = argv[optind + 1];
    if (cli_requires("apply", o.npng > 0, "--png-lines", o.png_dir != NULL, "--png") ||
        cli_requires("apply", uncertainty_given, "--uncertainty", o.confidence_path != NULL, "--confidence") ||
        cli_requires("apply", o.probabilities_u8, "--probabilities-u8", o.probabilities_path != NULL,
                     "--probabilities") ||
        cli_requires("apply", o.uncertainty == FC_UNCERTAINTY_DISAGREEMENT, "--uncertainty disagreement",
                     o.nmembers > 0, "an ensemble (--model)"))
        return EXIT_USAGE;
    if (o.uncertainty == FC_UNCERTAINTY_DISAGREEMENT && o.resample)
        return cli_usage_error("apply", "--uncertainty disagreement is not measured with --resample");
    int rc = check_files(&o, job);
    if (rc)
        return rc;
    o.survey = c.survey;
    o.threads = mpi_job_threads(job, c.threads);
    o.comm = job->active ? &job->comm : NULL;
    fc_error err;
    fc_error_clear(&err);
    apply_ui ui = {.quiet = c.quiet};
    progress_init(&ui.bar, "apply", "sections", c.quiet);
    o.report = (fc_reporter){.log = on_log, .progress = on_progress, .ctx = &ui};
    fc_apply_summary s;
    fc_status st = fc_apply(&o, &s, &err);
    progress_done(&ui.bar);
    if (st)
        return cli_fail_status("apply", st, &err);
    if (!ui.quiet) {
        printf("%s: %lld traces, %lld samples in %lld sections, %.2f s (%.2f s per section, %.0f samples/s)%s\n",
               o.out_path, (long long)s.traces, (long long)s.samples, (long long)s.sections, s.seconds,
               s.sections ? s.seconds / (double)s.sections : 0.0, s.seconds > 0 ? (double)s.samples / s.seconds : 0.0,
               s.exact ? ", dense and exact" : "");
        printf("samples per class code:");
        for (int k = 0; k < s.nclasses; k++)
            printf(" %d:%lld", (int)s.class_code[k], (long long)s.class_samples[k]);
        printf("\nnormalisation: |amplitude| scale %g\n", s.scale);
    }
    return EXIT_OK;
}
