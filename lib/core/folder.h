/* Internal: output folders (synth OUTDIR, apply --png DIR). */
#ifndef FACIES_FOLDER_H
#define FACIES_FOLDER_H

#include "facies/error.h"

/* Create path and any missing parents (mkdir -p); an existing folder is fine. The message names the part that
 * could not be made and why (errno text). */
fc_status fc_folder_make(const char *path, fc_error *err);

/* Before a temporary file (NAME.partial) is created afresh: unlink whatever has that name, so that a stale link
 * there (a symlink or hard link to another file) is dropped instead of written through. Folders are left. */
void fc_partial_unlink(const char *partial);

#endif
