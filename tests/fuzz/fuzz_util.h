/* Fuzz helpers: hand bytes to path-based readers through an in-memory file. */
#ifndef FACIES_FUZZ_UTIL_H
#define FACIES_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "facies/facies.h"

/* An anonymous in-memory file holding data; its path goes into path. Returns the fd (close it after) or -1. */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t n)
{
    int fd = memfd_create("fuzz", 0);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    snprintf(path, n, "/proc/self/fd/%d", fd);
    return fd;
}

/* A small synthetic survey (4 x 6 traces of 40 samples, a fraction `missing` of them left out), made once per fuzzing
 * process in a temporary folder and kept open for every input. */
static inline fc_survey *fuzz_survey(double missing)
{
    static fc_survey *s;
    if (!s) {
        char dir[] = "/tmp/facies-fuzz-XXXXXX";
        if (!mkdtemp(dir))
            abort();
        fc_synth_options o = fc_synth_options_default();
        o.inlines = 4;
        o.crosslines = 6;
        o.samples = 40;
        o.missing = missing;
        fc_error err;
        char path[64];
        if (fc_synth_write(dir, &o, NULL, &err))
            abort();
        snprintf(path, sizeof path, "%s/survey.sgy", dir);
        if (fc_survey_open(&s, path, NULL, &err))
            abort();
    }
    return s;
}

#endif
