/* facies train: a facies classifier from a patch dataset, with validation on separate lines. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_files.h"
#include "mpi_comm.h"
#include "progress.h"

static const char help[] =
    "usage: facies train PATCHES.h5 --out MODEL.h5 [options]\n\n"
    "Train a CNN facies classifier. Validation is on separate lines: a block of\n"
    "inlines (CDPs of a 2-D line), with patches near it left out so that no\n"
    "validation patch overlaps a training patch. Patches from one section (one\n"
    "inline or crossline) validate on a block of its traces the same way. Keeps the best model by\n"
    "validation loss in MODEL.h5 as training goes, stops early when validation\n"
    "loss stops improving, and writes MODEL.history.csv and MODEL.history.png.\n"
    "None of these may be an input (any spelling, symlink or hard link); a missing\n"
    "folder is refused before the first epoch.\n\n"
    "options:\n"
    "  --out FILE          the model to write (required)\n"
    "  --arch SPEC         network, e.g. conv32-pool-conv64-pool-flatten-dense128-dropout0.5-dense\n"
    "                      (default: up to three conv32/64/128-pool blocks for the patch size)\n"
    "  --epochs N          at most N epochs (default 30)\n"
    "  --batch N           batch size (default 32)\n"
    "  --optimizer NAME    adam or sgd (default adam)\n"
    "  --lr X              learning rate (default 0.001 for adam, 0.01 for sgd)\n"
    "  --momentum X        sgd momentum (default 0.9); needs --optimizer sgd\n"
    "  --weight-decay X    sgd L2 weight decay (default 0); needs --optimizer sgd\n"
    "  --val-lines A:B     validation inlines (CDPs on a 2-D line) A..B; repeatable\n"
    "  --val-traces A:B    patches from one section: validation traces A..B (crosslines along an\n"
    "                      inline, inlines along a crossline, CDPs on a 2-D line)\n"
    "  --val-fraction F    without --val-lines/--val-traces: a block of this fraction of the lines\n"
    "                      (of the traces for one section; default 0.2)\n"
    "  --random-split      random patch split instead (leaky: overlapping patches on both sides;\n"
    "                      not with --val-lines or --val-traces)\n"
    "  --patience N        stop after N epochs without a better validation loss (default 5; 0 = never)\n"
    "  --augment           flip left-right, shift, scale amplitudes and add noise to training patches\n"
    "  --balance MODE      none, weights (class-weighted loss) or sample (balanced batches)\n"
    "  --init MODEL        start from this model's weights (transfer learning); the dataset must be\n"
    "                      cut at the model's sample interval\n"
    "  --freeze K          keep the first K weight layers fixed\n"
    "  --allow-empty-classes\n"
    "                      train although some classes of the legend have no patches (they are\n"
    "                      never predicted); without it such a dataset is refused (exit 1)\n"
    "  --resume            continue an interrupted run from MODEL.checkpoint.h5 with its options\n"
    "                      (only --epochs, --patience and --threads may change)\n"
    "  --memory MB         memory for the patches (default 1024): a dataset larger as float32 is\n"
    "                      streamed from the file in shuffled windows, read ahead in a thread\n"
    "  --seed S            seed for initialisation, split, order, augmentation, dropout (default 1)\n"
    "  --threads N         threads (default: all cores; under mpirun, a machine's cores shared by its ranks)\n"
    "  --quiet             only errors\n"
    "  --help              this text\n";

enum {
    O_OUT = 1,
    O_ARCH,
    O_EPOCHS,
    O_BATCH,
    O_OPT,
    O_LR,
    O_MOM,
    O_WD,
    O_VAL,
    O_VALF,
    O_VALT,
    O_RANDOM,
    O_PATIENCE,
    O_AUGMENT,
    O_BALANCE,
    O_INIT,
    O_FREEZE,
    O_RESUME,
    O_SEED,
    O_THREADS,
    O_QUIET,
    O_ALLOW_EMPTY,
    O_MEMORY,
    O_HELP
};

typedef struct train_ui {
    progress bar;
    int quiet;
    int epochs;
} train_ui;

static void on_log(void *ctx, const char *line)
{
    train_ui *ui = ctx;
    if (!ui->quiet)
        fprintf(stderr, "facies train: %s\n", line);
}

static void on_progress(void *ctx, int64_t done, int64_t total)
{
    train_ui *ui = ctx;
    if (ui->bar.tty) /* in logs the epoch lines are enough */
        progress_update(&ui->bar, done, total);
}

static void on_epoch(void *ctx, int epoch, const fc_history *h, int best)
{
    train_ui *ui = ctx;
    if (ui->quiet)
        return;
    if (ui->bar.tty) {
        fputs("\r\033[K", stderr);
        progress_init(&ui->bar, "train", "batches", 0);
    }
    int e = epoch - 1;
    printf("epoch %3d/%d  loss %.4f  accuracy %.4f  val_loss %.4f  val_accuracy %.4f  %6.1f s%s\n", epoch, ui->epochs,
           h->loss[e], h->accuracy[e], h->val_loss[e], h->val_accuracy[e], h->seconds[e], best ? "  * best" : "");
    fflush(stdout);
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

/* Before the first epoch: the inputs of their kinds, and no model, checkpoint or history on an input. */
static int check_files(const fc_train_options *o)
{
    static const char *const side[] = {".checkpoint.h5", ".history.csv", ".history.png"};
    char path[3][CLI_FILES_PATH];
    cli_files f;
    cli_files_init(&f, "train", "facies train PATCHES.h5 --out MODEL.h5");
    cli_files_input(&f, "the patch dataset", o->patches_path, CLI_KIND(FC_FILE_KIND_PATCHES),
                    "a patch dataset (facies ingest output)");
    cli_files_input(&f, "--init", o->init_path, CLI_KIND(FC_FILE_KIND_MODEL), "a model");
    cli_files_output(&f, "--out", o->out_path);
    for (int i = 0; i < 3; i++) {
        fc_error err = {0};
        if (fc_train_side_path(o->out_path, side[i], path[i], sizeof path[i], &err))
            return cli_error(EXIT_RUNTIME, "train", "--out %s: %s", o->out_path, err.message);
        cli_files_beside(&f, "--out", o->out_path, path[i]);
    }
    return cli_files_check(&f);
}

int cmd_train(int argc, char **argv, const mpi_job *job)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, O_OUT},
        {"arch", required_argument, NULL, O_ARCH},
        {"epochs", required_argument, NULL, O_EPOCHS},
        {"batch", required_argument, NULL, O_BATCH},
        {"optimizer", required_argument, NULL, O_OPT},
        {"lr", required_argument, NULL, O_LR},
        {"momentum", required_argument, NULL, O_MOM},
        {"weight-decay", required_argument, NULL, O_WD},
        {"val-lines", required_argument, NULL, O_VAL},
        {"val-traces", required_argument, NULL, O_VALT},
        {"val-fraction", required_argument, NULL, O_VALF},
        {"random-split", no_argument, NULL, O_RANDOM},
        {"patience", required_argument, NULL, O_PATIENCE},
        {"augment", no_argument, NULL, O_AUGMENT},
        {"balance", required_argument, NULL, O_BALANCE},
        {"init", required_argument, NULL, O_INIT},
        {"freeze", required_argument, NULL, O_FREEZE},
        {"resume", no_argument, NULL, O_RESUME},
        {"seed", required_argument, NULL, O_SEED},
        {"threads", required_argument, NULL, O_THREADS},
        {"quiet", no_argument, NULL, O_QUIET},
        {"allow-empty-classes", no_argument, NULL, O_ALLOW_EMPTY},
        {"memory", required_argument, NULL, O_MEMORY},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    fc_train_options o = fc_train_options_default();
    double lr = 0.0;
    int sgd = 0, momentum_given = 0, decay_given = 0, fraction_given = 0;
    train_ui ui = {.quiet = 0};
    optind = 1;
    opterr = 0;
    int opt;
    long v, a, b;
    double d;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case O_OUT: o.out_path = optarg; break;
        case O_ARCH: o.arch = optarg; break;
        case O_EPOCHS:
        case O_BATCH:
        case O_PATIENCE:
        case O_FREEZE:
        case O_THREADS:
            a = opt == O_EPOCHS || opt == O_BATCH ? 1 : 0;
            b = opt == O_BATCH ? 4096 : 100000;
            if (cli_parse_int(optarg, a, b, &v))
                return cli_usage_error("train", "--%s '%s' must be a whole number from %ld to %ld",
                                       opt == O_EPOCHS     ? "epochs"
                                       : opt == O_BATCH    ? "batch"
                                       : opt == O_PATIENCE ? "patience"
                                       : opt == O_FREEZE   ? "freeze"
                                                           : "threads",
                                       optarg, a, b);
            *(opt == O_EPOCHS     ? &o.epochs
              : opt == O_BATCH    ? &o.batch
              : opt == O_PATIENCE ? &o.patience
              : opt == O_FREEZE   ? &o.freeze
                                  : &o.threads) = (int)v;
            break;
        case O_OPT:
            if (!strcmp(optarg, "sgd"))
                sgd = 1;
            else if (strcmp(optarg, "adam"))
                return cli_usage_error("train", "--optimizer must be adam or sgd");
            break;
        case O_LR:
            if (parse_double(optarg, 1e-9, 10.0, &lr))
                return cli_usage_error("train", "--lr '%s' must be a number in (0, 10]", optarg);
            break;
        case O_MOM:
        case O_WD:
            if (parse_double(optarg, 0.0, 1.0, &d))
                return cli_usage_error("train", "'%s' must be a number in [0, 1]", optarg);
            *(opt == O_MOM ? &o.optimizer.momentum : &o.optimizer.weight_decay) = d;
            *(opt == O_MOM ? &momentum_given : &decay_given) = 1;
            break;
        case O_VAL:
            if (o.nval == FC_TRAIN_MAX_VAL_RANGES || cli_parse_range(optarg, &a, &b))
                return cli_usage_error("train", "--val-lines '%s' must be A:B (at most %d ranges)", optarg,
                                       FC_TRAIN_MAX_VAL_RANGES);
            o.val_lo[o.nval] = (int32_t)a;
            o.val_hi[o.nval++] = (int32_t)b;
            break;
        case O_VALT:
            if (cli_parse_range(optarg, &a, &b))
                return cli_usage_error("train", "--val-traces '%s' must be A:B", optarg);
            if (o.val_traces)
                return cli_usage_error("train", "--val-traces names one block; given twice");
            o.val_traces = 1;
            o.val_traces_lo = (int32_t)a;
            o.val_traces_hi = (int32_t)b;
            break;
        case O_VALF:
            if (parse_double(optarg, 0.01, 0.9, &o.val_fraction))
                return cli_usage_error("train", "--val-fraction must be in [0.01, 0.9]");
            fraction_given = 1;
            break;
        case O_RANDOM: o.random_split = 1; break;
        case O_AUGMENT: o.augment = 1; break;
        case O_BALANCE:
            if (!strcmp(optarg, "none"))
                o.balance = FC_BALANCE_NONE;
            else if (!strcmp(optarg, "weights"))
                o.balance = FC_BALANCE_WEIGHTS;
            else if (!strcmp(optarg, "sample"))
                o.balance = FC_BALANCE_SAMPLE;
            else
                return cli_usage_error("train", "--balance must be none, weights or sample");
            break;
        case O_INIT: o.init_path = optarg; break;
        case O_RESUME: o.resume = 1; break;
        case O_SEED:
            if (cli_parse_int(optarg, 0, 2147483647L, &v))
                return cli_usage_error("train", "--seed must be a whole number from 0");
            o.seed = (uint64_t)v;
            break;
        case O_QUIET: ui.quiet = 1; break;
        case O_ALLOW_EMPTY: o.allow_empty_classes = 1; break;
        case O_MEMORY:
            if (cli_parse_int(optarg, 1, 1048576L, &v))
                return cli_usage_error("train", "--memory '%s' must be a whole number of megabytes from 1 to 1048576",
                                       optarg);
            o.memory_mb = (int)v;
            break;
        case O_HELP: cli_help(help); return EXIT_OK;
        default: return cli_usage_error("train", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("train", "expected one patch dataset, got %d arguments", argc - optind);
    if (!o.out_path)
        return cli_usage_error("train", "--out is required");
    if (o.resume && o.init_path)
        return cli_usage_error("train", "--resume and --init do not go together");
    if (cli_requires("train", momentum_given, "--momentum", sgd, "--optimizer sgd") ||
        cli_requires("train", decay_given, "--weight-decay", sgd, "--optimizer sgd"))
        return EXIT_USAGE;
    if (o.nval > 0 && o.random_split)
        return cli_usage_error("train", "--val-lines has no effect with --random-split (validation patches drawn at "
                                        "random)");
    if (o.val_traces && o.random_split)
        return cli_usage_error("train", "--val-traces has no effect with --random-split (validation patches drawn at "
                                        "random)");
    if (o.val_traces && o.nval > 0)
        return cli_usage_error("train", "--val-traces and --val-lines do not go together (one names traces of a "
                                        "single section, the other lines)");
    if (o.val_traces && fraction_given)
        return cli_usage_error("train", "--val-fraction has no effect with --val-traces (the validation traces named)");
    if (o.nval > 0 && fraction_given)
        return cli_usage_error("train", "--val-fraction has no effect with --val-lines (the validation lines named)");
    if (sgd) {
        double mom = o.optimizer.momentum, wd = o.optimizer.weight_decay;
        o.optimizer = fc_optimizer_default(FC_OPTIMIZER_SGD);
        o.optimizer.momentum = mom;
        o.optimizer.weight_decay = wd;
    }
    if (lr > 0.0)
        o.optimizer.lr = lr;
    o.patches_path = argv[optind];
    int rc = check_files(&o);
    if (rc)
        return rc;
    char *cmdline = cli_command_line(argc, argv);
    if (!cmdline) /* provenance is part of the file: no file without it */
        return cli_error(EXIT_RUNTIME, "train", "out of memory");
    o.command_line = cmdline;
    o.threads = mpi_job_threads(job, o.threads);
    o.comm = job->active ? &job->comm : NULL;
    ui.epochs = o.epochs;
    progress_init(&ui.bar, "train", "batches", ui.quiet);
    o.report = (fc_reporter){.log = on_log, .progress = on_progress, .ctx = &ui};
    o.epoch_done = on_epoch;
    fc_error err;
    fc_error_clear(&err);
    fc_train_summary s;
    fc_status st = fc_train(&o, &s, &err);
    free(cmdline);
    if (st)
        return cli_fail_status("train", st, &err);
    if (!ui.quiet) {
        char csv[4200], png[4200];
        fc_train_side_path(o.out_path, ".history.csv", csv, sizeof csv, NULL); /* checked before training */
        fc_train_side_path(o.out_path, ".history.png", png, sizeof png, NULL);
        printf("best epoch %d of %d%s: val_loss %.4f, val_accuracy %.4f; %.0f patches/s over %lld training "
               "patches; %.1f s in all\n",
               s.best_epoch, s.epochs_run, s.stopped_early ? " (stopped early)" : "", s.best_val_loss,
               s.best_val_accuracy, s.patches_per_second, (long long)s.train_patches, s.seconds);
        if (s.temperature > 0.0)
            printf("calibration: temperature %.4f fitted on the validation patches, stored in the model\n",
                   s.temperature);
        printf("model: %s\nhistory: %s\nplot: %s\n", o.out_path, csv, png);
    }
    return EXIT_OK;
}
