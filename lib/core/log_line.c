#include "log_line.h"

#include <stdarg.h>
#include <stdio.h>

void fc_log_line(fc_log_fn log, void *ctx, const char *fmt, ...)
{
    if (!log)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    log(ctx, buf);
}
