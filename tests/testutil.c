#include "testutil.h"

#include <stdlib.h>

#include "facies/rng.h"

#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[4096];

const char *test_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/facies-test-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmpdir))
            fail_msg("cannot create a temporary directory");
    }
    return tmpdir;
}

void test_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", test_tmpdir(), name);
}

const char *test_realdata(void)
{
    const char *p = getenv("FACIES_REALDATA");
    struct stat st;
    if (p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode))
        return p;
    return NULL;
}

void test_write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f))
        fail_msg("cannot write %s", path);
}

unsigned char *test_slurp(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)*size + 1);
    if (!b || fread(b, 1, (size_t)*size, f) != (size_t)*size)
        fail_msg("cannot read %s", path);
    fclose(f);
    return b;
}

float *test_normal_floats(size_t n, uint64_t seed)
{
    fc_rng r;
    fc_rng_seed(&r, seed);
    float *p = malloc(sizeof(float) * n);
    for (size_t i = 0; p && i < n; i++)
        p[i] = (float)fc_rng_normal(&r);
    return p;
}
