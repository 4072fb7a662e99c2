#include "text_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "facies/files.h"
#include "fail.h"
#include "folder.h"

fc_status fc_text_file_open(fc_text_file *t, const char *path, fc_error *err)
{
    memset(t, 0, sizeof *t);
    size_t n = strlen(path) + sizeof ".partial";
    t->path = strdup(path);
    t->partial = malloc(n);
    if (!t->path || !t->partial) {
        fc_text_file_abort(t);
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    }
    fc_partial_name(path, t->partial, n);
    fc_partial_unlink(t->partial);
    t->f = fopen(t->partial, "w");
    if (!t->f) {
        fc_status st = fc_fail(err, FC_ERR_IO, "%s: cannot create: %s", t->partial, strerror(errno));
        fc_text_file_abort(t);
        return st;
    }
    return FC_OK;
}

fc_status fc_text_file_commit(fc_text_file *t, fc_error *err)
{
    int bad = ferror(t->f);
    if (fclose(t->f) != 0)
        bad = 1;
    t->f = NULL;
    fc_status st = FC_OK;
    if (bad)
        st = fc_fail(err, FC_ERR_IO, "%s: write failed (disk full?)", t->partial);
    else if (rename(t->partial, t->path) != 0)
        st = fc_fail(err, FC_ERR_IO, "%s: cannot rename: %s", t->partial, strerror(errno));
    if (st)
        remove(t->partial);
    free(t->path);
    free(t->partial);
    memset(t, 0, sizeof *t);
    return st;
}

void fc_text_file_abort(fc_text_file *t)
{
    if (t->f) {
        fclose(t->f);
        remove(t->partial);
    }
    free(t->path);
    free(t->partial);
    memset(t, 0, sizeof *t);
}
