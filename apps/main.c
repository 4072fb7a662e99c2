/* facies: one program, one verb per stage of the facies workflow. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "blas_select.h"
#include "cli.h"

static const cli_verb verbs[] = {
    {"info", "describe a SEG-Y survey: format, geometry, amplitudes", cmd_info},
    {"ingest", "cut labelled patches from a survey into an HDF5 dataset", cmd_ingest},
    {"train", "train a CNN facies classifier on a patch dataset", cmd_train},
    {"apply", "classify every sample of a survey: facies SEG-Y, probabilities, pictures", cmd_apply},
    {"eval", "score a facies volume against labels: accuracy, IoU, confusion matrix", cmd_eval},
    {"summary", "Keras-style table of a model: layers, shapes, parameters", cmd_summary},
    {"synth", "write a synthetic labelled survey (seismic, labels, picks, horizons)", cmd_synth},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: facies VERB [OPTIONS] ...\n\n"
               "Seismic facies classification: SEG-Y in, trained CNN, facies SEG-Y out.\n\nverbs:\n");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        fprintf(f, "  %-9s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(f, "\n'facies VERB --help' describes a verb's options. Exit status: 0 success, 1 runtime error, "
               "2 bad usage.\n");
}

int main(int argc, char **argv)
{
    blas_select(argv);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("facies %s\n", FC_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (strcmp(argv[1], verbs[i].name))
            continue;
        int rc = verbs[i].run(argc - 1, argv + 1);
        if (rc == EXIT_RUNTIME) {
            /* After a failed write (disk full) HDF5 1.10 keeps a half-closed file that its exit handler then
             * crashes on; the error is reported and temporary files are gone, so leave without exit handlers. */
            fflush(NULL);
            _exit(rc);
        }
        return rc;
    }
    fprintf(stderr, "facies: unknown verb '%s' (see 'facies --help')\n", argv[1]);
    return EXIT_USAGE;
}
