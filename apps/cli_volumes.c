/* The --volume NAME=FILE option of ingest and apply. */
#include "cli_volumes.h"

#include <string.h>

#include "cli.h"

int cli_volume_option(const char *verb, const char *arg, fc_volume_arg *list, int *n)
{
    if (*n == FC_MAX_VOLUMES - 1)
        return cli_usage_error(verb, "at most %d --volume beside the survey", FC_MAX_VOLUMES - 1);
    fc_volume_arg a;
    fc_error err = {0};
    if (fc_volume_arg_parse(arg, &a, &err))
        return cli_usage_error(verb, "--volume: %s", err.message);
    for (int i = 0; i < *n; i++)
        if (!strcmp(list[i].name, a.name))
            return cli_usage_error(verb, "--volume %s is given twice", a.name);
    list[(*n)++] = a;
    return 0;
}

void cli_volume_files(cli_files *f, const fc_volume_arg *list, int n)
{
    for (int i = 0; i < n; i++)
        cli_files_input(f, "--volume", list[i].path, CLI_KIND(FC_FILE_KIND_SEGY), "a SEG-Y volume");
}
