/* make_fixture OUT KIND: write one of the named SEG-Y test fixtures (for the CLI tests). */
#include <stdio.h>
#include <string.h>

#include "fixture_segy.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make_fixture OUT lsb-int16|holes|line2d|prestack|truncated\n");
        return 2;
    }
    fixture_spec f = fixture_default();
    static const unsigned char holes[20] = {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const char *kind = argv[2];
    if (!strcmp(kind, "lsb-int16")) {
        f.little_endian = 1;
        f.format = 3;
        f.samples = 75;
    } else if (!strcmp(kind, "holes")) {
        f.n_il = 4;
        f.n_xl = 5;
        f.crossline_sorted = 1;
        f.missing = holes;
        f.format = 1;
        f.delay_ms = 100;
    } else if (!strcmp(kind, "line2d")) {
        f.two_d = 1;
        f.n_il = 1;
        f.n_xl = 9;
    } else if (!strcmp(kind, "prestack")) {
        f.offsets = 2;
    } else if (!strcmp(kind, "truncated")) {
        f.truncate_bytes = 3;
    } else {
        fprintf(stderr, "make_fixture: unknown kind %s\n", kind);
        return 2;
    }
    return fixture_write(argv[1], &f) ? 1 : 0;
}
