/* Internal: record a failure in an fc_error and return its status. */
#ifndef FACIES_FAIL_H
#define FACIES_FAIL_H

#include "facies/error.h"

#if defined(__GNUC__)
#define FC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FC_PRINTF(a, b)
#endif

/* Formats the detail line into err (if non-NULL) and returns status. */
fc_status fc_fail(fc_error *err, fc_status status, const char *fmt, ...) FC_PRINTF(3, 4);

#endif
