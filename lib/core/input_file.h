/* Internal: opening an input file to read. */
#ifndef FACIES_INPUT_FILE_H
#define FACIES_INPUT_FILE_H

#include <stdio.h>

#include "facies/error.h"

/* Open path to read (binary). Only a regular file is taken: a folder, a pipe (a FIFO, /dev/stdin) or a device is
 * refused with one line, without waiting on it (opening a FIFO would block until something writes to it, reading a
 * device might never end). FC_ERR_IO with "PATH: cannot open: why" or "PATH: not a regular file ...". */
fc_status fc_input_open(const char *path, FILE **out, fc_error *err);

#endif
