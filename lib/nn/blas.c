/* The only module that includes the BLAS. */
#include "blas.h"

#include <cblas.h>

#include "facies/net.h"

/* OpenBLAS extensions (declared by its cblas.h in most builds; repeated for safety). */
void openblas_set_num_threads(int num_threads);
char *openblas_get_corename(void);

void fc_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda, const float *b,
              int ldb, float beta, float *c, int ldc)
{
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha,
                a, lda, b, ldb, beta, c, ldc);
}

void fc_blas_single_thread(void)
{
    openblas_set_num_threads(1);
}

const char *fc_blas_core(void)
{
    return openblas_get_corename();
}
