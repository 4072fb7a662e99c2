/* Which outputs an interrupted apply run was writing, kept in its resume state. */
#include "apply_outputs.h"

#include <stdio.h>
#include <string.h>

#include "fail.h"

void fc_apply_outputs_line(const fc_apply_options *o, char *buf, size_t n)
{
    snprintf(buf, n, "outputs --out%s%s%s", o->confidence_path ? " --confidence" : "",
             o->probabilities_path ? " --probabilities" : "", o->probabilities_segy_dir ? " --probabilities-segy" : "");
}

fc_status fc_apply_outputs_check(const char *state_path, const fc_apply_options *o, fc_error *err)
{
    FILE *f = fopen(state_path, "r");
    if (!f)
        return FC_OK; /* no state: nothing to resume, nothing to compare */
    char line[256], want[256], had[256] = "";
    while (!had[0] && fgets(line, sizeof line, f))
        if (!strncmp(line, "outputs ", 8)) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(had, sizeof had, "%s", line);
        }
    fclose(f);
    fc_apply_outputs_line(o, want, sizeof want);
    if (!had[0] || !strcmp(had, want))
        return FC_OK;
    return fc_fail(err, FC_ERR_ARGUMENT,
                   "%s: the interrupted run wrote %s, this one asks for %s; resume with the same outputs, or start "
                   "anew without --resume",
                   state_path, had + 8, want + 8);
}
