/* segy_rewrite IN OUT [options]: a big-endian SEG-Y (as `facies synth` writes) rewritten byte by byte, independently
 * of the library, into the dialects and cuts that label matching must handle (for the CLI tests):
 *   --bytes IL,XL       move the inline/crossline numbers from bytes 189/193 to these (the old bytes are zeroed)
 *   --crossline-sorted  traces ordered by crossline, then inline
 *   --lines A:B         keep inlines A..B only; --crosslines A:B likewise
 *   --drop IL:XL        leave out that trace (repeatable)
 *   --delay MS          delay recording time (bytes 109-110) of every trace
 *   --interval US       sample interval of the binary header (bytes 3217-3218)
 *   --trace-interval US sample interval of every trace header (bytes 117-118) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t get(const unsigned char *p, int bytes)
{
    uint32_t v = 0;
    for (int b = 0; b < bytes; b++)
        v = v << 8 | p[b];
    return v;
}

static void put(unsigned char *p, uint32_t v, int bytes)
{
    for (int b = 0; b < bytes; b++)
        p[b] = (unsigned char)(v >> (8 * (bytes - 1 - b)));
}

typedef struct trace {
    int32_t il, xl;
    unsigned char *bytes;
} trace;

static int by_crossline(const void *a, const void *b)
{
    const trace *x = a, *y = b;
    if (x->xl != y->xl)
        return x->xl < y->xl ? -1 : 1;
    return (x->il > y->il) - (x->il < y->il);
}

#define MAX_DROP 64

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: segy_rewrite IN OUT [--bytes IL,XL] [--crossline-sorted] [--lines A:B] "
                        "[--crosslines A:B] [--drop IL:XL] [--delay MS] [--interval US] [--trace-interval US]\n");
        return 2;
    }
    int il_byte = 189, xl_byte = 193, xsort = 0, ndrop = 0, delay = -1, interval = -1, trace_interval = -1;
    long lo[2] = {INT32_MIN, INT32_MIN}, hi[2] = {INT32_MAX, INT32_MAX}, drop[MAX_DROP][2];
    for (int a = 3; a < argc; a++) {
        const char *v = a + 1 < argc ? argv[a + 1] : "";
        if (!strcmp(argv[a], "--crossline-sorted"))
            xsort = 1;
        else if (!strcmp(argv[a], "--bytes") && sscanf(v, "%d,%d", &il_byte, &xl_byte) == 2)
            a++;
        else if (!strcmp(argv[a], "--lines") && sscanf(v, "%ld:%ld", &lo[0], &hi[0]) == 2)
            a++;
        else if (!strcmp(argv[a], "--crosslines") && sscanf(v, "%ld:%ld", &lo[1], &hi[1]) == 2)
            a++;
        else if (!strcmp(argv[a], "--drop") && ndrop < MAX_DROP &&
                 sscanf(v, "%ld:%ld", &drop[ndrop][0], &drop[ndrop][1]) == 2) {
            ndrop++;
            a++;
        } else if (!strcmp(argv[a], "--delay") && sscanf(v, "%d", &delay) == 1)
            a++;
        else if (!strcmp(argv[a], "--interval") && sscanf(v, "%d", &interval) == 1)
            a++;
        else if (!strcmp(argv[a], "--trace-interval") && sscanf(v, "%d", &trace_interval) == 1)
            a++;
        else {
            fprintf(stderr, "segy_rewrite: bad option %s\n", argv[a]);
            return 2;
        }
    }
    FILE *f = fopen(argv[1], "rb");
    unsigned char head[3600];
    if (!f || fread(head, 1, sizeof head, f) != sizeof head || get(head + 3504, 2) != 0) {
        fprintf(stderr, "segy_rewrite: %s: not a SEG-Y without extended headers\n", argv[1]);
        return 1;
    }
    int format = (int)get(head + 3224, 2), ns = (int)get(head + 3220, 2);
    size_t tb = 240 + (size_t)ns * (format == 3 ? 2 : format == 8 ? 1 : 4);
    if (interval >= 0)
        put(head + 3216, (uint32_t)interval, 2);
    trace *t = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        unsigned char *b = malloc(tb);
        if (!b || fread(b, 1, tb, f) != tb) {
            free(b);
            break;
        }
        trace x = {(int32_t)get(b + 188, 4), (int32_t)get(b + 192, 4), b};
        int keep = x.il >= lo[0] && x.il <= hi[0] && x.xl >= lo[1] && x.xl <= hi[1];
        for (int d = 0; d < ndrop; d++)
            keep = keep && !(x.il == drop[d][0] && x.xl == drop[d][1]);
        if (!keep) {
            free(b);
            continue;
        }
        put(b + 188, 0, 4);
        put(b + 192, 0, 4);
        put(b + il_byte - 1, (uint32_t)x.il, 4);
        put(b + xl_byte - 1, (uint32_t)x.xl, 4);
        if (delay >= 0)
            put(b + 108, (uint32_t)delay, 2);
        if (trace_interval >= 0)
            put(b + 116, (uint32_t)trace_interval, 2);
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            t = realloc(t, cap * sizeof *t);
        }
        t[n++] = x;
    }
    fclose(f);
    if (xsort)
        qsort(t, n, sizeof *t, by_crossline);
    FILE *o = fopen(argv[2], "wb");
    int bad = !o || fwrite(head, 1, sizeof head, o) != sizeof head;
    for (size_t i = 0; i < n; i++) {
        bad = bad || fwrite(t[i].bytes, 1, tb, o) != tb;
        free(t[i].bytes);
    }
    free(t);
    if (!o || fclose(o) != 0 || bad) {
        fprintf(stderr, "segy_rewrite: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
