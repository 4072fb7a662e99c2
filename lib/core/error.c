#include "facies/error.h"

#include <stdarg.h>
#include <stdio.h>

#include "fail.h"

const char *fc_strerror(fc_status status)
{
    switch (status) {
    case FC_OK: return "success";
    case FC_ERR_IO: return "input/output error";
    case FC_ERR_FORMAT: return "malformed input";
    case FC_ERR_UNSUPPORTED: return "unsupported input";
    case FC_ERR_ARGUMENT: return "invalid argument";
    case FC_ERR_NOMEM: return "out of memory";
    case FC_ERR_RANGE: return "out of range";
    case FC_ERR_MISMATCH: return "inputs do not match";
    }
    return "unknown error";
}

void fc_error_clear(fc_error *err)
{
    if (!err)
        return;
    err->status = FC_OK;
    err->message[0] = '\0';
}

fc_status fc_fail(fc_error *err, fc_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}
