/* Internal: output folders (synth OUTDIR, apply --png DIR), temporary names, and file names built from others. */
#ifndef FACIES_FOLDER_H
#define FACIES_FOLDER_H

#include <stddef.h>

#include "facies/error.h"
#include "fail.h"

/* Create path and any missing parents (mkdir -p); an existing folder is fine. The message names the part that
 * could not be made and why (errno text). */
fc_status fc_folder_make(const char *path, fc_error *err);

/* Before a temporary file (NAME.partial) is created afresh: unlink whatever has that name, so that a stale link
 * there (a symlink or hard link to another file) is dropped instead of written through. Folders are left. */
void fc_partial_unlink(const char *partial);

/* Format a file name into buf (size n). A name that does not fit is refused (FC_ERR_ARGUMENT, naming its start and
 * the limit) instead of being cut short, which would read or write another file. */
fc_status fc_path_format(char *buf, size_t n, fc_error *err, const char *fmt, ...) FC_PRINTF(4, 5);

#endif
