/* Progress on stderr: a bar with ETA on a terminal, plain periodic lines otherwise. */
#ifndef FACIES_PROGRESS_H
#define FACIES_PROGRESS_H

#include <stdint.h>

typedef struct progress {
    const char *what; /* "ingest", "train", ... */
    const char *unit; /* "sections", "batches", ... */
    int tty, quiet;
    double start, last;
    int last_percent;
} progress;

void progress_init(progress *p, const char *what, const char *unit, int quiet);

/* Report done of total; suitable as an fc_reporter.progress with ctx = progress*. */
void progress_update(void *ctx, int64_t done, int64_t total);

/* End the bar's line (on a terminal). */
void progress_done(progress *p);

/* Seconds since an arbitrary start, monotonic. */
double progress_now(void);

#endif
