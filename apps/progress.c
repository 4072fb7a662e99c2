#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_init(progress *p, const char *what, const char *unit, int quiet)
{
    p->what = what;
    p->unit = unit;
    p->quiet = quiet;
    p->tty = isatty(STDERR_FILENO);
    p->start = p->last = progress_now();
    p->last_percent = -1;
}

static void clock_text(double s, char *buf, size_t n)
{
    long t = (long)(s + 0.5);
    snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

void progress_update(void *ctx, int64_t done, int64_t total)
{
    progress *p = ctx;
    if (p->quiet || total <= 0)
        return;
    double now = progress_now(), el = now - p->start;
    int percent = (int)(100 * done / total);
    double eta = done > 0 ? el * (double)(total - done) / (double)done : 0.0;
    char e[32], l[32];
    clock_text(eta, e, sizeof e);
    clock_text(el, l, sizeof l);
    if (p->tty) {
        if (percent == p->last_percent && now - p->last < 0.2 && done != total)
            return;
        char bar[31];
        int fill = (int)(30 * done / total);
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[30] = '\0';
        fprintf(stderr, "\r%s [%s] %3d%% %lld/%lld %s, elapsed %s, ETA %s ", p->what, bar, percent, (long long)done,
                (long long)total, p->unit, l, e);
    } else {
        /* Logs: a line every 10% or every 30 s, and at the end. */
        if (done != total && percent / 10 == p->last_percent / 10 && now - p->last < 30.0)
            return;
        fprintf(stderr, "%s: %lld/%lld %s (%d%%), elapsed %s, ETA %s\n", p->what, (long long)done, (long long)total,
                p->unit, percent, l, e);
    }
    p->last = now;
    p->last_percent = percent;
}

void progress_done(progress *p)
{
    if (!p->quiet && p->tty)
        fputc('\n', stderr);
}
