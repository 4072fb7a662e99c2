/* facies synth: a synthetic labelled survey, for trying the tool and for tests. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_files.h"

static const char help[] =
    "usage: facies synth OUTDIR [options]\n\n"
    "Write a synthetic 3-D survey whose facies are known everywhere: seismic from an\n"
    "impedance model per facies convolved with a Ricker wavelet, plus noise. Six\n"
    "facies: parallel_high, parallel_low, chaotic, clinoform, channel, salt.\n\n"
    "OUTDIR receives: survey.sgy (seismic), labels.sgy (facies code per sample),\n"
    "picks.csv (sparse interpreter-style picks), horizons/ (H0.txt..H6.txt and\n"
    "intervals.csv mapping consecutive horizons to facies), classes.csv (legend).\n"
    "OUTDIR is made with its parents.\n"
    "The same options and seed give byte-identical files.\n\n"
    "options:\n"
    "  --inlines N        inlines (default 48)\n"
    "  --crosslines N     crosslines (default 96)\n"
    "  --samples N        samples per trace (default 160)\n"
    "  --dt-ms D          sample interval in ms (default 4)\n"
    "  --freq HZ          Ricker peak frequency (default 30)\n"
    "  --seed S           random seed (default 1)\n"
    "  --noise R          noise RMS as a fraction of signal RMS (default 0.1)\n"
    "  --missing F        drop this fraction of traces, like an irregular survey (default 0)\n"
    "  --format F         survey sample format: ibm, ieee or int16 (default ibm)\n"
    "  --little-endian    write little-endian SEG-Y\n"
    "  --iline-byte N     header byte for inline numbers (default 189)\n"
    "  --xline-byte N     header byte for crossline numbers (default 193)\n"
    "  --azimuth DEG      direction of increasing crosslines, degrees clockwise from north\n"
    "                     (default 90: crosslines east, inlines north)\n"
    "  --bin X,Y          metres between adjacent crosslines, and between inlines (default 25,25);\n"
    "                     CDP X/Y (bytes 181/185) start at 600000,6000000, in whole metres\n"
    "                     (scalar 1) on an unrotated whole-metre grid, else in cm (scalar -100)\n"
    "  --angles N         also write N partial-angle stacks (2..8), 5 to 40 degrees of incidence:\n"
    "                     near.sgy, far.sgy (N = 2); near.sgy, mid.sgy, far.sgy (N = 3); else\n"
    "                     angle_DD.sgy (DD: degrees). Reflectivity A + B sin^2(angle) (Shuey two-term)\n"
    "                     with an AVO gradient B per facies; a seventh facies, gas_sand, fills lenses in\n"
    "                     the parallel_high units with their impedance (alike on the near stack) and\n"
    "                     brightens with angle where they dim. survey.sgy is then the stacks' mean\n"
    "  --quiet            no summary\n"
    "  --help             this text\n";

enum {
    O_INL = 1,
    O_XL,
    O_NS,
    O_DT,
    O_FREQ,
    O_SEED,
    O_NOISE,
    O_MISSING,
    O_FORMAT,
    O_LE,
    O_IB,
    O_XB,
    O_AZ,
    O_BIN,
    O_ANGLES,
    O_QUIET,
    O_HELP
};

static int parse_double(const char *s, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (!s[0] || *end)
        return -1;
    *out = v;
    return 0;
}

int cmd_synth(int argc, char **argv)
{
    static const struct option opts[] = {
        {"inlines", required_argument, NULL, O_INL},   {"crosslines", required_argument, NULL, O_XL},
        {"samples", required_argument, NULL, O_NS},    {"dt-ms", required_argument, NULL, O_DT},
        {"freq", required_argument, NULL, O_FREQ},     {"seed", required_argument, NULL, O_SEED},
        {"noise", required_argument, NULL, O_NOISE},   {"missing", required_argument, NULL, O_MISSING},
        {"format", required_argument, NULL, O_FORMAT}, {"little-endian", no_argument, NULL, O_LE},
        {"iline-byte", required_argument, NULL, O_IB}, {"xline-byte", required_argument, NULL, O_XB},
        {"azimuth", required_argument, NULL, O_AZ},    {"bin", required_argument, NULL, O_BIN},
        {"angles", required_argument, NULL, O_ANGLES}, {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, O_HELP},           {NULL, 0, NULL, 0},
    };
    fc_synth_options o = fc_synth_options_default();
    int quiet = 0;
    optind = 1;
    opterr = 0;
    int opt;
    long v;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case O_INL:
        case O_XL:
        case O_NS:
            if (cli_parse_int(optarg, 1, 100000, &v))
                return cli_usage_error("synth", "--%s '%s' must be a whole number from 1 to 100000",
                                       opt == O_INL  ? "inlines"
                                       : opt == O_XL ? "crosslines"
                                                     : "samples",
                                       optarg);
            *(opt == O_INL ? &o.inlines : opt == O_XL ? &o.crosslines : &o.samples) = (int)v;
            break;
        case O_IB:
        case O_XB:
            if (cli_parse_int(optarg, 1, 237, &v))
                return cli_usage_error("synth", "--%s '%s' must be a header byte 1..237",
                                       opt == O_IB ? "iline-byte" : "xline-byte", optarg);
            *(opt == O_IB ? &o.iline_byte : &o.xline_byte) = (int)v;
            break;
        case O_SEED:
            if (cli_parse_int(optarg, 0, 2147483647L, &v))
                return cli_usage_error("synth", "--seed '%s' must be a whole number from 0", optarg);
            o.seed = (uint64_t)v;
            break;
        case O_DT:
        case O_FREQ:
        case O_NOISE:
        case O_MISSING: {
            double d;
            if (parse_double(optarg, &d))
                return cli_usage_error("synth", "--%s '%s' is not a number",
                                       opt == O_DT      ? "dt-ms"
                                       : opt == O_FREQ  ? "freq"
                                       : opt == O_NOISE ? "noise"
                                                        : "missing",
                                       optarg);
            *(opt == O_DT ? &o.dt_ms : opt == O_FREQ ? &o.freq_hz : opt == O_NOISE ? &o.noise : &o.missing) = d;
            break;
        }
        case O_FORMAT:
            if (!strcmp(optarg, "ibm"))
                o.format = FC_SAMPLE_FORMAT_IBM;
            else if (!strcmp(optarg, "ieee"))
                o.format = FC_SAMPLE_FORMAT_IEEE;
            else if (!strcmp(optarg, "int16"))
                o.format = FC_SAMPLE_FORMAT_INT16;
            else
                return cli_usage_error("synth", "--format must be ibm, ieee or int16, not '%s'", optarg);
            break;
        case O_AZ:
            if (parse_double(optarg, &o.azimuth_deg))
                return cli_usage_error("synth", "--azimuth '%s' is not a number of degrees", optarg);
            break;
        case O_BIN: {
            char *end = NULL;
            o.bin_x = strtod(optarg, &end);
            if (end == optarg || *end != ',' || parse_double(end + 1, &o.bin_y))
                return cli_usage_error("synth", "--bin '%s' must be two sizes in metres, X,Y (such as 25,12.5)",
                                       optarg);
            break;
        }
        case O_ANGLES:
            if (cli_parse_int(optarg, 2, 8, &v))
                return cli_usage_error("synth", "--angles '%s' must be a whole number from 2 to 8", optarg);
            o.angles = (int)v;
            break;
        case O_LE: o.byte_order = FC_BYTE_ORDER_LITTLE; break;
        case O_QUIET: quiet = 1; break;
        case O_HELP: cli_help(help); return EXIT_OK;
        default: return cli_usage_error("synth", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("synth", "expected one output folder, got %d arguments", argc - optind);
    cli_files f;
    cli_files_init(&f, "synth", "facies synth OUTDIR");
    cli_files_folder(&f, "the output folder", argv[optind]);
    int rc = cli_files_check(&f);
    if (rc)
        return rc;
    fc_error err;
    fc_error_clear(&err);
    fc_synth_summary s;
    fc_status st = fc_synth_write(argv[optind], &o, &s, &err);
    if (st)
        return cli_fail_status("synth", st, &err);
    if (!quiet) {
        printf("wrote %s: %d x %d x %d, %lld traces (%lld missing), %lld picks\n", argv[optind], o.inlines,
               o.crosslines, o.samples, (long long)s.traces, (long long)s.missing_traces, (long long)s.picks);
        printf("facies samples:");
        for (int c = 1; c <= (o.angles ? FC_SYNTH_GAS : FC_SYNTH_FACIES); c++)
            printf(" %s %lld", fc_synth_facies_name(c), (long long)s.samples_per_facies[c]);
        printf("\n");
    }
    return EXIT_OK;
}
