/* The --volume NAME=FILE option of ingest and apply: more input volumes on the survey's grid (volumes.h). */
#ifndef FACIES_CLI_VOLUMES_H
#define FACIES_CLI_VOLUMES_H

#include "cli_files.h"
#include "facies/volumes.h"

#define CLI_VOLUME_HELP                                                                                                \
    "  --volume NAME=FILE   another volume on the survey's grid as more channels (repeatable, up to 7):\n"             \
    "                       partial-angle stacks, attribute volumes; traces matched by line numbers\n"                 \
    "                       (any trace order or sample format), normalised on its own; another grid,\n"                \
    "                       sample count, interval or start time is refused naming the first difference\n"

/* Add one --volume argument to list (n of them so far); 0, or EXIT_USAGE after saying why. */
int cli_volume_option(const char *verb, const char *arg, fc_volume_arg *list, int *n);

/* Register the volumes as inputs: SEG-Y surveys. */
void cli_volume_files(cli_files *f, const fc_volume_arg *list, int n);

#endif
