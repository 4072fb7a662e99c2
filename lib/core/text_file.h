/* Internal: text output files written under a temporary name and renamed
 * when complete, like the SEG-Y writer. */
#ifndef FACIES_TEXT_FILE_H
#define FACIES_TEXT_FILE_H

#include <stdio.h>

#include "facies/error.h"

typedef struct fc_text_file {
    FILE *f;
    char *path, *partial;
} fc_text_file;

fc_status fc_text_file_open(fc_text_file *t, const char *path, fc_error *err);
/* Close, check for write errors, rename. The handle is released either way. */
fc_status fc_text_file_commit(fc_text_file *t, fc_error *err);
/* Abandon: close and remove the temporary file. Safe after commit or on a zeroed handle. */
void fc_text_file_abort(fc_text_file *t);

#endif
