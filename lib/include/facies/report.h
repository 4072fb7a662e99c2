/* What a long operation (ingest, train, apply) tells its caller while it runs: note lines and progress, through
 * one reporter the caller fills. The library never prints; the program decides what reaches the terminal. */
#ifndef FACIES_REPORT_H
#define FACIES_REPORT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fc_reporter {
    /* A note: one line without its newline (on several ranks: rank 0's). NULL: none. */
    void (*log)(void *ctx, const char *line);
    /* done of total units of work (sections, batches: the operation's header says which). NULL: none. */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *ctx; /* passed to both */
} fc_reporter;

#ifdef __cplusplus
}
#endif

#endif
