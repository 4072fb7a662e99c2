/* facies: one program, one verb per stage of the facies workflow. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "blas_select.h"
#include "cli.h"
#include "mpi_comm.h"

static const cli_verb verbs[] = {
    {"info", "describe a SEG-Y survey: format, geometry, amplitudes", cmd_info, NULL},
    {"ingest", "cut labelled patches from a survey into an HDF5 dataset", NULL, cmd_ingest},
    {"train", "train a CNN facies classifier on a patch dataset", NULL, cmd_train},
    {"apply", "classify every sample of a survey: facies SEG-Y, probabilities, pictures", NULL, cmd_apply},
    {"eval", "score a facies volume against labels: accuracy, IoU, confusion matrix", cmd_eval, NULL},
    {"map", "plan-view maps: facies along a horizon, in a window, between horizons, at a time", cmd_map, NULL},
    {"suggest", "where to label next: lines ranked by uncertainty, away from labelled lines", cmd_suggest, NULL},
    {"summary", "Keras-style table of a model: layers, shapes, parameters", cmd_summary, NULL},
    {"synth", "write a synthetic labelled survey (seismic, labels, picks, horizons)", cmd_synth, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: facies VERB [OPTIONS] ...\n\n"
               "Seismic facies classification: SEG-Y in, trained CNN, facies SEG-Y out.\n\nverbs:\n");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        fprintf(f, "  %-9s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(f,
            "\n'facies VERB --help' describes a verb's options. Exit status: 0 success, 1 runtime error, "
            "2 bad usage.\ningest, train and apply also run on several processes: 'mpirun -n N facies VERB ...' "
            "(%s; other verbs run on rank 0).\n",
            mpi_job_built_with());
}

static int run_verb(int argc, char **argv, const mpi_job *job)
{
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (strcmp(argv[1], verbs[i].name))
            continue;
        if (verbs[i].run_ranks)
            return verbs[i].run_ranks(argc - 1, argv + 1, job);
        return job->comm.rank == 0 ? verbs[i].run(argc - 1, argv + 1) : EXIT_OK;
    }
    fprintf(stderr, "facies: unknown verb '%s' (see 'facies --help')\n", argv[1]);
    return EXIT_USAGE;
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
        printf("facies %s (%s)\n", FC_VERSION, mpi_job_built_with());
        return EXIT_OK;
    }
    mpi_job job;
    int rc = mpi_job_start(&job, &argc, &argv);
    if (rc == EXIT_OK)
        rc = mpi_job_end(&job, run_verb(argc, argv, &job));
    if (rc == EXIT_RUNTIME) {
        /* After a failed write (disk full) HDF5 1.10 keeps a half-closed file that its exit handler then
         * crashes on; the error is reported and temporary files are gone, so leave without exit handlers. */
        fflush(NULL);
        _exit(rc);
    }
    return rc;
}
