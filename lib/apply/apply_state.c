/* The resume state of an apply run: its text, its checks. */
#include "apply_state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "facies/files.h"
#include "facies/model.h"
#include "fail.h"
#include "folder.h"
#include "input_file.h"
#include "word_diff.h"

static void file_stamp(const char *path, char *buf, size_t n)
{
    struct stat sb;
    if (!path || stat(path, &sb) != 0)
        snprintf(buf, n, "-1");
    else
        snprintf(buf, n, "%lld:%lld", (long long)sb.st_size, (long long)sb.st_mtime);
}

void fc_apply_state_of(const fc_apply_options *o, int64_t done, int64_t total, fc_apply_state *out)
{
    memset(out, 0, sizeof *out);
    out->done = done;
    out->total = total;
    out->ranks = fc_comm_size(o->comm);
    size_t n = (size_t)snprintf(out->outputs, sizeof out->outputs, "--out");
    const char *flag[3] = {"--confidence", "--probabilities", "--probabilities-segy"};
    const char *path[3] = {o->confidence_path, o->probabilities_path, o->probabilities_segy_dir};
    for (int i = 0; i < 3; i++)
        if (path[i] && n < sizeof out->outputs)
            n += (size_t)snprintf(out->outputs + n, sizeof out->outputs - n, " %s %.300s", flag[i], path[i]);
    char survey[64], model[64];
    file_stamp(o->survey_path, survey, sizeof survey);
    file_stamp(o->model_path, model, sizeof model);
    snprintf(out->run, sizeof out->run,
             "survey=%s model=%s lines=%d:%d crosslines=%d:%d orientation=%d step=%d method=%s resample=%d "
             "format=%d training-scale=%d uncertainty=%d u8=%d bytes=%d,%d,%d",
             survey, model, (int)o->il_min, (int)o->il_max, (int)o->xl_min, (int)o->xl_max, o->orientations, o->step,
             o->direct ? "direct" : "fast", o->resample, (int)o->format, o->use_training_scale, (int)o->uncertainty,
             o->probabilities_u8, o->survey.iline_byte, o->survey.xline_byte, o->survey.cdp_byte);
    /* Written only when asked for, so that a state of a plain run reads as before. Members by their bytes' hash:
     * two models trained alike can share size and time. */
    size_t at = strlen(out->run);
    for (int i = 0; i < o->nmembers && at < sizeof out->run; i++) {
        char hash[17] = "-1";
        fc_file_hash(o->member_paths[i], hash, NULL);
        at += (size_t)snprintf(out->run + at, sizeof out->run - at, "%s%s", i ? "," : " members=", hash);
    }
    int order[FC_MAX_VOLUMES]; /* the volumes by name: given in any order, the same run */
    for (int i = 0; i < o->nvolumes; i++) {
        int k = i;
        for (; k > 0 && strcmp(o->volumes[order[k - 1]].name, o->volumes[i].name) > 0; k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
    for (int n = 0; n < o->nvolumes && at < sizeof out->run; n++) { /* other volumes, other channels */
        int i = order[n];
        /* With the inode: angle stacks are often written together, alike in size and time. */
        struct stat sb;
        char stamp[64] = "-1";
        if (stat(o->volumes[i].path, &sb) == 0)
            snprintf(stamp, sizeof stamp, "%lld:%lld:%llu", (long long)sb.st_size, (long long)sb.st_mtime,
                     (unsigned long long)sb.st_ino);
        at += (size_t)snprintf(out->run + at, sizeof out->run - at, "%s%s=%s",
                               n ? "," : " volumes=", o->volumes[i].name, stamp);
    }
    if (o->tta_flip && at < sizeof out->run)
        at += (size_t)snprintf(out->run + at, sizeof out->run - at, " tta=flip");
    if (o->no_calibration && at < sizeof out->run)
        snprintf(out->run + at, sizeof out->run - at, " calibration=off");
}

fc_status fc_apply_state_write(const char *path, const fc_apply_state *st, fc_error *err)
{
    char part[4400];
    fc_status ps = fc_path_format(part, sizeof part, err, "%s.partial", path); /* the temporary name of every output */
    if (ps)
        return ps;
    fc_partial_unlink(part);
    FILE *f = fopen(part, "w");
    if (!f)
        return fc_fail(err, FC_ERR_IO, "%s: cannot write the resume state: %s", part, strerror(errno));
    fprintf(f, "facies-apply 1\nsections_done %lld\nsections_total %lld\nranks %d\noutputs %s\nrun %s\n",
            (long long)st->done, (long long)st->total, st->ranks, st->outputs, st->run);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(part, path) != 0) {
        remove(part);
        return fc_fail(err, FC_ERR_IO, "%s: cannot write the resume state (disk full?)", path);
    }
    return FC_OK;
}

/* A whole decimal number in [lo, hi], nothing else. */
static int parse_count(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static fc_status not_a_state(const char *path, int line, const char *what, fc_error *err)
{
    return fc_fail(err, FC_ERR_FORMAT,
                   "%s: line %d: %s: not a resume state facies apply wrote; remove it, or start anew without "
                   "--resume",
                   path, line, what);
}

fc_status fc_apply_state_parse(const char *text, size_t n, const char *path, fc_apply_state *out, fc_error *err)
{
    memset(out, 0, sizeof *out);
    out->done = out->total = -1;
    if (n > FC_APPLY_STATE_MAX)
        return not_a_state(path, 1, "too long", err);
    char line[FC_APPLY_STATE_MAX + 1];
    size_t at = 0;
    for (int number = 1; at < n; number++) {
        size_t len = 0;
        while (at + len < n && text[at + len] != '\n')
            len++;
        if (at + len == n)
            return not_a_state(path, number, "the last line does not end", err);
        memcpy(line, text + at, len);
        line[len] = '\0';
        at += len + 1;
        if (strlen(line) != len)
            return not_a_state(path, number, "a NUL byte", err);
        if (number == 1) {
            if (strcmp(line, "facies-apply 1") != 0)
                return not_a_state(path, 1, "the first line is not 'facies-apply 1'", err);
            continue;
        }
        char *value = strchr(line, ' ');
        if (!value)
            return not_a_state(path, number, "a line without a value", err);
        *value++ = '\0';
        int64_t v = 0;
        int done = !strcmp(line, "sections_done");
        if (done || !strcmp(line, "sections_total")) {
            if (parse_count(value, 0, INT64_C(1) << 40, &v))
                return not_a_state(path, number, "a section count that is not a number of sections", err);
            *(done ? &out->done : &out->total) = v;
        } else if (!strcmp(line, "ranks")) {
            if (parse_count(value, 1, 1 << 20, &v))
                return not_a_state(path, number, "a process count out of range", err);
            out->ranks = (int)v;
        } else if (!strcmp(line, "outputs") && strlen(value) < sizeof out->outputs) {
            snprintf(out->outputs, sizeof out->outputs, "%s", value);
        } else if (!strcmp(line, "run") && strlen(value) < sizeof out->run) {
            snprintf(out->run, sizeof out->run, "%s", value);
        } else {
            return not_a_state(path, number, "an unknown or overlong line", err);
        }
    }
    if (out->done < 0)
        return not_a_state(path, 2, "no sections_done line", err);
    if (out->ranks == 0)
        out->ranks = 1; /* states written before ranks were recorded: one process */
    return FC_OK;
}

fc_status fc_apply_state_read(const char *path, fc_apply_state *out, int *found, fc_error *err)
{
    *found = 0;
    struct stat sb;
    if (stat(path, &sb) != 0 && errno == ENOENT)
        return FC_OK;
    FILE *f;
    fc_status opened = fc_input_open(path, &f, err); /* a pipe there is refused, not waited on */
    if (opened)
        return opened;
    char text[FC_APPLY_STATE_MAX + 1];
    size_t n = fread(text, 1, sizeof text, f);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return fc_fail(err, FC_ERR_IO, "%s: cannot read the resume state", path);
    *found = 1;
    return fc_apply_state_parse(text, n, path, out, err);
}

fc_status fc_apply_state_check(const char *path, const fc_apply_state *had, const fc_apply_state *now, fc_error *err)
{
    if (had->ranks != now->ranks)
        return fc_fail(err, FC_ERR_ARGUMENT, "%s: the interrupted run had %d process%s; resume it with as many", path,
                       had->ranks, had->ranks == 1 ? "" : "es");
    if (had->outputs[0] && strcmp(had->outputs, now->outputs) != 0)
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "%s: the interrupted run wrote %s, this one asks for %s; resume with the same outputs, or "
                       "start anew without --resume",
                       path, had->outputs, now->outputs);
    if (had->run[0] && strcmp(had->run, now->run) != 0) {
        char what[400];
        fc_word_differences(had->run, now->run, what, sizeof what);
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "%s: the interrupted run had other inputs or options: %s; resume with the same command and "
                       "unchanged files, or start anew without --resume",
                       path, what);
    }
    int64_t total = had->total >= 0 ? had->total : now->total;
    if (had->done > total || (had->total >= 0 && had->total != now->total))
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "%s: says %lld of %lld sections were done, but this run has %lld; start anew without --resume",
                       path, (long long)had->done, (long long)(had->total >= 0 ? had->total : had->done),
                       (long long)now->total);
    return FC_OK;
}
