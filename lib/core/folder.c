#include "folder.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facies/files.h"
#include "fail.h"

static int make_one(const char *path)
{
    struct stat sb;
    if (mkdir(path, 0777) == 0)
        return 0;
    if (errno == EEXIST && stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return errno == EEXIST ? 0 : -1;
}

fc_status fc_folder_make(const char *path, fc_error *err)
{
    char *p = strdup(path);
    if (!p)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    fc_status st = FC_OK;
    /* Each parent in turn, from the top: the first that cannot be made is the one to name. */
    for (char *s = p + 1; *s && !st; s++) {
        if (*s != '/' || s[-1] == '/')
            continue;
        *s = '\0';
        if (make_one(p) != 0)
            st = fc_fail(err, FC_ERR_IO, "%s: cannot create the folder %s: %s", path, p, strerror(errno));
        *s = '/';
    }
    if (!st && make_one(p) != 0)
        st = fc_fail(err, FC_ERR_IO, "%s: cannot create the folder: %s", path, strerror(errno));
    free(p);
    return st;
}

void fc_partial_unlink(const char *partial)
{
    unlink(partial); /* nothing there, or a folder: creating the file says what is wrong */
}

char *fc_partial_name(const char *path, char *buf, size_t n)
{
    snprintf(buf, n, "%s.partial", path);
    return buf;
}

fc_status fc_path_format(char *buf, size_t n, fc_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= n) {
        fc_status st = fc_fail(err, FC_ERR_ARGUMENT,
                               "file name too long (%d bytes; at most %zu): %.60s...: use a shorter folder or name", w,
                               n ? n - 1 : 0, n ? buf : "");
        if (n)
            buf[0] = '\0';
        return st;
    }
    return FC_OK;
}
