/* Choosing the BLAS kernel before the BLAS starts.
 *
 * Debian's OpenBLAS 0.3.21 does not recognise recent AVX-512 CPUs (AMD Zen 4,
 * some Intel parts) and falls back to its Haswell or Prescott kernels, at half
 * the speed or less (measured: 112 against 200 GFLOP/s per core). It reads
 * OPENBLAS_CORETYPE only when it loads, so when the CPU has AVX-512 and
 * OpenBLAS runs a kernel without it (detected, or named by an
 * OPENBLAS_CORETYPE such as the Haswell some machines set to work around the
 * Prescott fallback), the program sets OPENBLAS_CORETYPE=SkylakeX and
 * re-executes itself once. FACIES_NO_BLAS_SELECT=1 keeps OpenBLAS's choice. */
#include "blas_select.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facies/net.h"

static int has_avx512(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512cd");
#else
    return 0;
#endif
}

static int avx512_core(const char *core)
{
    static const char *const cores[] = {"SkylakeX", "Cooperlake", "SapphireRapids"};
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++)
        if (core && !strcmp(core, cores[i]))
            return 1;
    return 0;
}

void blas_select(char **argv)
{
    if (getenv("FACIES_NO_BLAS_SELECT") || getenv("FACIES_BLAS_SELECTED"))
        return; /* asked not to, or this is the re-executed process already */
    if (!has_avx512() || avx512_core(fc_blas_core()))
        return;
    const char *before = getenv("OPENBLAS_CORETYPE");
    char *saved = before ? strdup(before) : NULL;
    setenv("FACIES_BLAS_SELECTED", "1", 1);
    setenv("OPENBLAS_CORETYPE", "SkylakeX", 1);
    execv("/proc/self/exe", argv);
    /* exec failed (no /proc?): carry on with the kernel OpenBLAS chose */
    if (saved)
        setenv("OPENBLAS_CORETYPE", saved, 1);
    else
        unsetenv("OPENBLAS_CORETYPE");
    free(saved);
}
