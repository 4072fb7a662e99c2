/* Internal: a formatted line for a caller's log callback (the library never prints). */
#ifndef FACIES_LOG_LINE_H
#define FACIES_LOG_LINE_H

#include "fail.h"

typedef void (*fc_log_fn)(void *ctx, const char *line);

/* Format and hand one line to log(ctx, line); nothing when log is NULL. */
void fc_log_line(fc_log_fn log, void *ctx, const char *fmt, ...) FC_PRINTF(3, 4);

#endif
