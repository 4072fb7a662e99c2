/* Files: the temporary names outputs are written under, and a short hash of a file's bytes. */
#ifndef FACIES_FILES_H
#define FACIES_FILES_H

#include <stddef.h>

#include "facies/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The temporary name every output is written under before it is renamed into place ("PATH.partial"), into buf of
 * size n; returns buf. */
char *fc_partial_name(const char *path, char *buf, size_t n);

/* A short hash (16 hex digits, FNV-1a 64) of a file's bytes, for provenance. */
fc_status fc_file_hash(const char *path, char out[17], fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
