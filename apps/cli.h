/* The facies program: shared command-line plumbing. */
#ifndef FACIES_CLI_H
#define FACIES_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "facies/facies.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

struct mpi_job;

/* A verb runs on one process (under mpirun: on rank 0 alone), or, with run_ranks, on every rank of the job. */
typedef struct cli_verb {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
    int (*run_ranks)(int argc, char **argv, const struct mpi_job *job);
} cli_verb;

/* Print "facies: <message>" for a library failure; returns EXIT_RUNTIME. */
int cli_fail(const fc_error *err);

/* A library failure: bad arguments as a usage error (without the library's own "VERB: " prefix, which would
 * repeat the verb), anything else as cli_fail. Returns the exit status. */
int cli_fail_status(const char *verb, fc_status st, const fc_error *err);

/* Print "facies VERB: <message>"; returns status. */
int cli_error(int status, const char *verb, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Print "facies VERB: <message>" and a pointer to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *verb, const char *fmt, ...);

/* Parse a whole decimal integer within [lo, hi] into *out; 0 on success. */
int cli_parse_int(const char *s, long lo, long hi, long *out);

/* Parse "a:b" (or "a") into two integers; 0 on success. */
int cli_parse_range(const char *s, long *a, long *b);

/* Parse "N,A:B,..." (line numbers and inclusive ranges) into at most max ranges; 0 on success. */
int cli_parse_line_list(const char *s, int32_t (*ranges)[2], int max, int *n);

/* An option that does nothing without another is refused: "--png-lines has no effect without --png".
 * Returns EXIT_USAGE (after printing) when `given` and not `other`, else 0. */
int cli_requires(const char *verb, int given, const char *option, int other, const char *other_option);

/* "facies VERB ARGS..." as one string, for provenance; the caller frees it (NULL when out of memory). */
char *cli_command_line(int argc, char **argv);

/* Parse "A:B" into an inclusive int32 range; 0 on success. */
int cli_parse_line_range(const char *s, int32_t *lo, int32_t *hi);

/* Write s as a JSON string literal. */
void json_string(FILE *f, const char *s);

/* Options every verb that reads a survey accepts, as getopt_long entries
 * (ids from OPT_SURVEY_FIRST); CLI_SURVEY_OPTIONS goes inside an option array. */
enum {
    OPT_ILINE_BYTE = 1000,
    OPT_XLINE_BYTE,
    OPT_CDP_BYTE,
    OPT_2D,
    OPT_3D,
    OPT_THREADS,
    OPT_QUIET,
    OPT_X_BYTE,
    OPT_Y_BYTE
};
#define CLI_SURVEY_OPTIONS                                                                                             \
    {"iline-byte", required_argument, NULL, OPT_ILINE_BYTE}, {"xline-byte", required_argument, NULL, OPT_XLINE_BYTE},  \
        {"cdp-byte", required_argument, NULL, OPT_CDP_BYTE}, {"2d", no_argument, NULL, OPT_2D},                        \
        {"x-byte", required_argument, NULL, OPT_X_BYTE}, {"y-byte", required_argument, NULL, OPT_Y_BYTE},              \
        {"3d", no_argument, NULL, OPT_3D}, {"threads", required_argument, NULL, OPT_THREADS},                          \
    {                                                                                                                  \
        "quiet", no_argument, NULL, OPT_QUIET                                                                          \
    }

/* Header bytes of the line numbers in a label SEG-Y, for verbs that read labels (0 when not given: the survey's). */
enum { OPT_LABELS_ILINE_BYTE = 1100, OPT_LABELS_XLINE_BYTE };
#define CLI_LABELS_BYTE_OPTIONS                                                                                        \
    {"labels-iline-byte", required_argument, NULL, OPT_LABELS_ILINE_BYTE},                                             \
    {                                                                                                                  \
        "labels-xline-byte", required_argument, NULL, OPT_LABELS_XLINE_BYTE                                            \
    }

/* Handle --labels-iline-byte / --labels-xline-byte into *il / *xl: 1 if handled, 0 if opt is neither, -1 (after
 * printing) on a bad value. */
int cli_labels_byte_option(const char *verb, int opt, const char *arg, int *il, int *xl);

/* Stands in a verb's help text for the survey options; cli_help writes them there, their descriptions in the
 * column of the option above, as each verb sizes its own column. */
#define CLI_SURVEY_HELP "  @survey-options\n"

/* Print a verb's --help text to stdout. */
void cli_help(const char *text);

typedef struct cli_common {
    fc_survey_options survey;
    int threads; /* 0: all cores */
    int quiet;
} cli_common;

cli_common cli_common_default(void);

/* Handle one of the common options; returns 1 if handled, 0 if opt is not
 * a common option, -1 (after printing) on a bad value. */
int cli_common_option(const char *verb, int opt, const char *arg, cli_common *c);

/* Per-verb entry points. */
int cmd_info(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_ingest(int argc, char **argv, const struct mpi_job *job);
int cmd_summary(int argc, char **argv);
int cmd_train(int argc, char **argv, const struct mpi_job *job);
int cmd_apply(int argc, char **argv, const struct mpi_job *job);
int cmd_eval(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_suggest(int argc, char **argv);

/* The Keras-style table of a network (m may be NULL). */
void summary_print(fc_net *net, const fc_model_meta *m, const char *title);

#endif
