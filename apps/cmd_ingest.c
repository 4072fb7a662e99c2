/* facies ingest: labelled 2-D patches from a survey into an HDF5 dataset. */
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
    "usage: facies ingest SURVEY.sgy --labels L [--labels L2 ...] --out patches.h5 [options]\n\n"
    "Cut a 2-D amplitude patch around every labelled sample and store patches,\n"
    "labels and positions in an HDF5 dataset (readable with h5py). L is a label\n"
    "SEG-Y (sample = facies code; traces matched to the survey's by line numbers,\n"
    "samples as the survey's), a picks CSV\n"
    "(inline,crossline,time_ms|sample,facies; trace|cdp for 2-D lines; or x,y on the\n"
    "nearest trace of the survey's coordinates) or a horizon interval table\n"
    "(top_horizon,base_horizon,facies naming horizon files of 'inline crossline time_ms'\n"
    "rows, or 'x y time_ms' rows under that header line). Column names in any case and\n"
    "common spellings (iline, xline, twt_ms, code); commas, semicolons, tabs or blanks,\n"
    "told from the header. Streams section by section. An --out that is an input (any\n"
    "spelling, symlink or hard link) is refused before any work.\n\n"
    "options:\n"
    "  --out FILE           the dataset to write (required)\n"
    "  --append             add to an existing patch dataset (another kind of file is\n"
    "                       refused): same patch size, channels, normalisation and sample\n"
    "                       interval (another interval: a new dataset), and the same --volume\n"
    "                       names (any order; the files may differ); a position already there\n"
    "                       gets the new label\n"
    "  --classes FILE       legend code,name,colour; labels with other codes on the ingested\n"
    "                       lines are refused; classes left without patches get a warning\n"
    "  --strict             refuse labels that give one position different facies, and picks\n"
    "                       (or label traces) on missing traces of the survey (default: a\n"
    "                       warning counting them and naming the first rows); picks off the\n"
    "                       survey's grid are always refused\n"
    "  --labels-iline-byte N, --labels-xline-byte N\n"
    "                       trace-header bytes of the line numbers in label SEG-Ys (default:\n"
    "                       the survey's, --iline-byte/--xline-byte)\n"
    "  --patch N|HxW        patch size in samples x traces, odd (default 65); taller than the\n"
    "                       traces works (the traces are reflected) and is noted\n"
    "  --orientation O      inline, crossline or both (default inline; 2-D lines use the line)\n"
    "  --lines A:B          only inlines A..B (numbers; refused for a 2-D line: --crosslines)\n"
    "  --crosslines A:B     only crosslines (CDPs of a 2-D line) A..B\n"
    "  --per-class N        at most N labels per facies, drawn uniformly (default 10000; 0 = all)\n"
    "  --stride N           keep labels whose inline, crossline and sample indices are multiples of N\n"
    "  --unlabelled N       in a label SEG-Y, codes <= N mean unlabelled (default 0); needs a\n"
    "                       label SEG-Y in --labels\n"
    "  --attributes LIST    channels: amplitude, envelope, cos-phase (default amplitude); with\n"
    "                       --volume, each of them for every volume\n" CLI_VOLUME_HELP
    "  --scales LIST        1 then coarser factors, e.g. 1,4 (default 1): each channel also\n"
    "                       low-passed and sampled every K samples and traces (more channels)\n"
    "  --percentile P       normalise by this percentile of |amplitude| (99 or 99.9; default 99)\n"
    "  --stats-traces N     traces sampled for the normalisation (default 2000)\n"
    "  --dtype T            store patches as float32, float16 (half floats, h5py reads them as\n"
    "                       float16) or int8 (x 1/127); default float16; --append keeps the\n"
    "                       file's and refuses another\n"
    "  --seed S             seed for the per-class draw (default 1); not with --per-class 0\n" CLI_SURVEY_HELP
    "  --help               this text\n";

enum {
    O_LABELS = 1,
    O_SCALES,
    O_OUT,
    O_APPEND,
    O_CLASSES,
    O_PATCH,
    O_ORIENT,
    O_LINES,
    O_XLINES,
    O_PER_CLASS,
    O_DTYPE,
    O_STRIDE,
    O_UNLABELLED,
    O_ATTR,
    O_PERCENTILE,
    O_STATS,
    O_SEED,
    O_STRICT,
    O_VOLUME,
    O_HELP
};

static int parse_patch(const char *s, int *h, int *w)
{
    long a, b;
    const char *x = strchr(s, 'x');
    if (!x)
        return cli_parse_int(s, 1, 1025, &a) || (*h = *w = (int)a, 0);
    char first[16];
    size_t n = (size_t)(x - s);
    if (n == 0 || n >= sizeof first)
        return -1;
    memcpy(first, s, n);
    first[n] = '\0';
    if (cli_parse_int(first, 1, 1025, &a) || cli_parse_int(x + 1, 1, 1025, &b))
        return -1;
    *h = (int)a;
    *w = (int)b;
    return 0;
}

/* What ingest reports through: notes unless --quiet, and the progress bar. */
static void on_log(void *ctx, const char *line)
{
    const progress *p = ctx;
    if (!p->quiet)
        fprintf(stderr, "facies ingest: %s\n", line);
}

/* Before any work: inputs of their kinds, no dataset on an input, options that act on what is given. */
static int check_files(const fc_ingest_options *o, int unlabelled_given, int seed_given)
{
    int bytes_given = o->labels_iline_byte || o->labels_xline_byte;
    cli_files f;
    cli_files_init(&f, "ingest", "facies ingest SURVEY.sgy --labels L --out patches.h5");
    cli_files_input(&f, "the input survey", o->survey_path, CLI_KIND(FC_FILE_KIND_SEGY), "a SEG-Y survey");
    int segy_labels = cli_files_labels(&f, o->label_paths, o->nlabels, o->classes_path);
    cli_volume_files(&f, o->volumes, o->nvolumes);
    cli_files_output(&f, "--out", o->out_path);
    if (o->append)
        cli_files_added_to(&f, FC_FILE_KIND_PATCHES, "a patch dataset (facies ingest output)");
    int rc = cli_files_check(&f);
    if (!rc)
        rc = cli_requires("ingest", unlabelled_given, "--unlabelled", segy_labels > 0, "a label SEG-Y in --labels");
    if (!rc)
        rc = cli_requires("ingest", bytes_given, "--labels-iline-byte/--labels-xline-byte", segy_labels > 0,
                          "a label SEG-Y in --labels");
    if (!rc && seed_given && o->filter.per_class == 0)
        rc = cli_usage_error("ingest", "--seed has no effect with --per-class 0 (every label is kept, none drawn)");
    return rc;
}

/* Warnings go to stderr even with --quiet: they say the dataset may not be what was meant. */
static void warn_labels(const fc_ingest_options *o, const fc_ingest_summary *s)
{
    if (s->conflicts)
        fprintf(stderr,
                "facies ingest: warning: %lld labelled position%s got conflicting facies (the higher code is "
                "kept; --strict refuses): %s\n",
                (long long)s->conflicts, s->conflicts == 1 ? "" : "s", s->conflict_examples);
    int one = s->labels_missing == 1;
    if (s->labels_missing)
        fprintf(stderr, "facies ingest: warning: %lld %s of %s skipped (--strict refuses %s): %s%s\n",
                (long long)s->labels_missing, one ? "label on a missing trace" : "labels on missing traces",
                o->survey_path, one ? "it" : "them", s->missing_examples, s->labels_missing > 5 ? ", ..." : "");
    if (s->labels_off_grid)
        fprintf(stderr, "facies ingest: note: %lld label SEG-Y trace%s off the survey's grid ignored\n",
                (long long)s->labels_off_grid, s->labels_off_grid == 1 ? "" : "s");
    char empty[1024];
    int n = fc_classes_list_empty(&s->classes, s->class_rows, empty, sizeof empty);
    if (n)
        fprintf(stderr,
                "facies ingest: warning: %d class%s without patches in %s: %s (train refuses them unless "
                "--allow-empty-classes)\n",
                n, n == 1 ? "" : "es", o->out_path, empty);
}

int cmd_ingest(int argc, char **argv, const mpi_job *job)
{
    static const struct option opts[] = {
        {"labels", required_argument, NULL, O_LABELS},
        {"out", required_argument, NULL, O_OUT},
        {"append", no_argument, NULL, O_APPEND},
        {"classes", required_argument, NULL, O_CLASSES},
        {"patch", required_argument, NULL, O_PATCH},
        {"orientation", required_argument, NULL, O_ORIENT},
        {"lines", required_argument, NULL, O_LINES},
        {"crosslines", required_argument, NULL, O_XLINES},
        {"per-class", required_argument, NULL, O_PER_CLASS},
        {"stride", required_argument, NULL, O_STRIDE},
        {"unlabelled", required_argument, NULL, O_UNLABELLED},
        {"attributes", required_argument, NULL, O_ATTR},
        {"volume", required_argument, NULL, O_VOLUME},
        {"scales", required_argument, NULL, O_SCALES},
        {"percentile", required_argument, NULL, O_PERCENTILE},
        {"stats-traces", required_argument, NULL, O_STATS},
        {"dtype", required_argument, NULL, O_DTYPE},
        {"seed", required_argument, NULL, O_SEED},
        {"strict", no_argument, NULL, O_STRICT},
        {"help", no_argument, NULL, O_HELP},
        CLI_SURVEY_OPTIONS,
        CLI_LABELS_BYTE_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    fc_ingest_options o = fc_ingest_options_default();
    o.filter.per_class = 10000;
    cli_common c = cli_common_default();
    optind = 1;
    opterr = 0;
    int opt, unlabelled_given = 0, seed_given = 0;
    long v;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int h = cli_common_option("ingest", opt, optarg, &c);
        if (!h)
            h = cli_labels_byte_option("ingest", opt, optarg, &o.labels_iline_byte, &o.labels_xline_byte);
        if (h < 0)
            return EXIT_USAGE;
        if (h)
            continue;
        switch (opt) {
        case O_LABELS:
            if (o.nlabels == FC_INGEST_MAX_LABELS)
                return cli_usage_error("ingest", "at most %d --labels", FC_INGEST_MAX_LABELS);
            o.label_paths[o.nlabels++] = optarg;
            break;
        case O_OUT: o.out_path = optarg; break;
        case O_APPEND: o.append = 1; break;
        case O_CLASSES: o.classes_path = optarg; break;
        case O_PATCH:
            if (parse_patch(optarg, &o.patch_height, &o.patch_width) || o.patch_height % 2 == 0 ||
                o.patch_width % 2 == 0)
                return cli_usage_error("ingest", "--patch '%s' must be N or HxW with odd sizes up to 1025", optarg);
            break;
        case O_ORIENT:
            if (!strcmp(optarg, "inline"))
                o.orientations = FC_CUT_INLINE;
            else if (!strcmp(optarg, "crossline"))
                o.orientations = FC_CUT_CROSSLINE;
            else if (!strcmp(optarg, "both"))
                o.orientations = FC_CUT_INLINE | FC_CUT_CROSSLINE;
            else
                return cli_usage_error("ingest", "--orientation must be inline, crossline or both");
            break;
        case O_LINES:
        case O_XLINES:
            if (opt == O_LINES ? cli_parse_line_range(optarg, &o.filter.il_min, &o.filter.il_max)
                               : cli_parse_line_range(optarg, &o.filter.xl_min, &o.filter.xl_max))
                return cli_usage_error("ingest", "'%s' must be A:B with A <= B", optarg);
            break;
        case O_PER_CLASS:
            if (cli_parse_int(optarg, 0, 2000000000L, &v))
                return cli_usage_error("ingest", "--per-class '%s' must be a whole number from 0", optarg);
            o.filter.per_class = v;
            break;
        case O_STRIDE:
            if (cli_parse_int(optarg, 1, 10000, &v))
                return cli_usage_error("ingest", "--stride '%s' must be a whole number from 1", optarg);
            o.filter.stride = (int)v;
            break;
        case O_UNLABELLED:
            if (cli_parse_int(optarg, -2147483647L, 2147483647L, &v))
                return cli_usage_error("ingest", "--unlabelled '%s' must be a whole number", optarg);
            o.filter.unlabelled_max = (int32_t)v;
            unlabelled_given = 1;
            break;
        case O_ATTR:
            if (fc_channels_parse(optarg, o.channels, FC_CHANNEL_KINDS, &o.nchannels, NULL))
                return cli_usage_error("ingest", "--attributes '%s': use amplitude, envelope, cos-phase", optarg);
            break;
        case O_SCALES:
            if (fc_scales_parse(optarg, &o.scales, NULL))
                return cli_usage_error(
                    "ingest", "--scales '%s': give 1 then increasing factors 2..%d, at most %d in all (e.g. 1,4)",
                    optarg, FC_MAX_SCALE_FACTOR, FC_MAX_SCALES);
            break;
        case O_PERCENTILE:
            if (!strcmp(optarg, "99"))
                o.percentile = 99.0;
            else if (!strcmp(optarg, "99.9"))
                o.percentile = 99.9;
            else
                return cli_usage_error("ingest", "--percentile must be 99 or 99.9");
            break;
        case O_STATS:
            if (cli_parse_int(optarg, 1, 1000000, &v))
                return cli_usage_error("ingest", "--stats-traces '%s' must be 1..1000000", optarg);
            o.stats_traces = (int)v;
            break;
        case O_SEED:
            if (cli_parse_int(optarg, 0, 2147483647L, &v))
                return cli_usage_error("ingest", "--seed '%s' must be a whole number from 0", optarg);
            o.filter.seed = (uint64_t)v;
            seed_given = 1;
            break;
        case O_DTYPE:
            if (fc_patch_dtype_parse(optarg, &o.dtype, NULL))
                return cli_usage_error("ingest", "--dtype must be float32, float16 or int8");
            break;
        case O_STRICT: o.strict = 1; break;
        case O_VOLUME:
            if (cli_volume_option("ingest", optarg, o.volumes, &o.nvolumes))
                return EXIT_USAGE;
            break;
        case O_HELP: cli_help(help); return EXIT_OK;
        default: return cli_usage_error("ingest", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("ingest", "expected one SEG-Y survey, got %d arguments", argc - optind);
    if (!o.nlabels)
        return cli_usage_error("ingest", "--labels is required");
    if (!o.out_path)
        return cli_usage_error("ingest", "--out is required");
    o.survey_path = argv[optind];
    o.survey = c.survey;
    int rc = check_files(&o, unlabelled_given, seed_given);
    if (rc)
        return rc;
    char *cmdline = cli_command_line(argc, argv);
    if (!cmdline) /* provenance is part of the file: no file without it */
        return cli_error(EXIT_RUNTIME, "ingest", "out of memory");
    o.command_line = cmdline;
    o.comm = job->active ? &job->comm : NULL;
    progress p;
    progress_init(&p, "ingest", "sections", c.quiet);
    o.report = (fc_reporter){.log = on_log, .progress = progress_update, .ctx = &p};
    fc_error err;
    fc_error_clear(&err);
    fc_ingest_summary s;
    fc_status st = fc_ingest(&o, &s, &err);
    progress_done(&p);
    free(cmdline);
    if (st)
        return cli_fail_status("ingest", st, &err);
    warn_labels(&o, &s);
    double secs = progress_now() - p.start;
    if (!c.quiet) {
        printf("%s: %lld patches %dx%d %s (%lld replaced), %lld rows in all; %lld labels seen, %lld kept, %lld skipped "
               "(patch needs a missing trace)\n",
               o.out_path, (long long)s.patches_written, o.patch_height, o.patch_width, fc_patch_dtype_name(s.dtype),
               (long long)s.patches_replaced, (long long)s.dataset_rows, (long long)s.labels_seen,
               (long long)s.labels_kept, (long long)s.patches_skipped_missing);
        if (fc_scales_count(&o.scales) > 1) {
            char sc[64];
            fc_scales_format(&o.scales, sc, sizeof sc);
            printf("scales %s: %d planes per patch (each channel, then its coarser views)\n", sc,
                   o.nchannels * fc_scales_count(&o.scales));
        }
        printf("patches per class code:");
        for (int i = 0; i < s.nclasses; i++)
            printf(" %d:%lld", (int)s.class_code[i], (long long)s.class_patches[i]);
        if (s.volumes.count > 1) {
            char names[FC_MAX_CHANNELS * 48];
            fc_channel_names_format(s.channel, s.channels, &s.volumes, names, sizeof names);
            printf("\nchannels: %s\nvolumes, each normalised on its own:", names);
            for (int v = 0; v < s.volumes.count; v++)
                printf("%s %s p%g = %g", v ? "," : "", s.volumes.v[v].name, s.norm.percentile, s.volumes.v[v].scale);
        }
        printf("\nnormalisation: |amplitude| p%g = %g; %lld sections, %.1f MB of SEG-Y read in %.2f s (%.0f "
               "patches/s)\n",
               s.norm.percentile, s.norm.scale, (long long)s.sections_read, (double)s.bytes_read / 1e6, secs,
               secs > 0 ? (double)s.patches_written / secs : 0.0);
    }
    return EXIT_OK;
}
