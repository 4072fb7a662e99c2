/* Test only: a failing allocator for facies' own code. facies_failalloc is the facies program linked with
 * -Wl,--wrap=malloc,... so that only the references made by facies' objects come here; HDF5, segyio, FFTW, BLAS,
 * cairo and the OpenMP runtime keep the real allocator, as the test is of facies' handling, not theirs.
 *
 *   FACIES_FAIL_ALLOC=N       the Nth allocation (1-based, counted over malloc, calloc, realloc and strdup)
 *                             returns NULL; every other succeeds. Unset or 0: none fails.
 *   FACIES_ALLOC_REPORT=FILE  at exit, write "ALLOCATIONS FAILED" to FILE: how many allocations the run made and
 *                             whether the Nth was refused (1) or the run ended before reaching it (0).
 *
 * The count is process-global mutable state, which the library itself never has; it is acceptable here because this
 * file is linked into a test program only. It is atomic because OpenMP regions allocate from several threads. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__) /* gcc */
#define FAILALLOC_LSAN 1
#elif defined(__has_feature) /* clang */
#if __has_feature(address_sanitizer)
#define FAILALLOC_LSAN 1
#endif
#endif
#ifdef FAILALLOC_LSAN
#include <sanitizer/lsan_interface.h>
#endif

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
_Noreturn void __real__exit(int status);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
_Noreturn void __wrap__exit(int status);

static atomic_ulong count;
static atomic_int failed;
static unsigned long fail_at;
static const char *report_path;

__attribute__((constructor)) static void failalloc_start(void)
{
    const char *n = getenv("FACIES_FAIL_ALLOC");
    fail_at = n ? strtoul(n, NULL, 10) : 0;
    report_path = getenv("FACIES_ALLOC_REPORT");
}

/* 1 when this allocation is the one to refuse. */
static int refuse(void)
{
    unsigned long n = atomic_fetch_add(&count, 1) + 1;
    if (n != fail_at)
        return 0;
    atomic_store(&failed, 1);
    return 1;
}

void *__wrap_malloc(size_t size)
{
    return refuse() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return refuse() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return refuse() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
    return refuse() ? NULL : __real_strdup(s);
}

static void report(void)
{
    if (!report_path)
        return;
    FILE *f = fopen(report_path, "w");
    if (!f)
        return;
    fprintf(f, "%lu %d\n", atomic_load(&count), atomic_load(&failed));
    fclose(f);
}

__attribute__((destructor)) static void failalloc_end(void)
{
    report();
}

/* facies leaves through _exit after a runtime error (see apps/main.c), which skips both the destructor above and
 * LeakSanitizer's exit-time check: run them here, so a failure path that leaks is reported too. */
_Noreturn void __wrap__exit(int status)
{
    report();
#ifdef FAILALLOC_LSAN
    __lsan_do_leak_check();
#endif
    __real__exit(status);
}
