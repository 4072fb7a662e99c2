#include "testutil.h"

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
