/* facies — status codes and error details.
 *
 * Every fallible library function returns an fc_status (FC_OK = 0) and, when
 * given a non-NULL fc_error, fills it with one human-readable line that names
 * the file and the position (byte, trace, row) of the problem. Outputs are
 * written through out-pointers only on success.
 */
#ifndef FACIES_ERROR_H
#define FACIES_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fc_status {
    FC_OK = 0,
    FC_ERR_IO,          /* open, read, write, rename or seek failed */
    FC_ERR_FORMAT,      /* the input is malformed */
    FC_ERR_UNSUPPORTED, /* well-formed, but not something facies handles */
    FC_ERR_ARGUMENT,    /* the caller passed an invalid value */
    FC_ERR_NOMEM,       /* an allocation failed */
    FC_ERR_RANGE,       /* a line, trace or sample outside the survey */
    FC_ERR_MISMATCH,    /* two inputs that must agree do not */
} fc_status;

/* Room for the detail line, including the terminating NUL. */
#define FC_ERROR_MESSAGE_SIZE 512

/* Detail of the last failure. Stack-allocate one and pass its address. */
typedef struct fc_error {
    fc_status status;
    char message[FC_ERROR_MESSAGE_SIZE];
} fc_error;

/* Static English text for a status code; never NULL. */
const char *fc_strerror(fc_status status);

/* Clear an error record (status FC_OK, empty message). NULL is accepted. */
void fc_error_clear(fc_error *err);

#ifdef __cplusplus
}
#endif

#endif
