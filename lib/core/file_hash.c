/* A short hash of a file's bytes: models, patch files and ensemble members are stamped with it. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "facies/files.h"
#include "fail.h"

fc_status fc_file_hash(const char *path, char out[17], fc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fc_fail(err, FC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    uint64_t h = 14695981039346656037ull;
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n; i++) {
            h ^= buf[i];
            h *= 1099511628211ull;
        }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return fc_fail(err, FC_ERR_IO, "%s: read error", path);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    return FC_OK;
}
