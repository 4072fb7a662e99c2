/* Internal: matrix products. blas.c is the only file that includes cblas.h. */
#ifndef FACIES_BLAS_H
#define FACIES_BLAS_H

/* Row-major C = alpha * op(A) * op(B) + beta * C, op(X) = X or X^T.
 * A is M x K after op, B is K x N after op. Runs in the calling thread. */
void fc_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda, const float *b,
              int ldb, float beta, float *c, int ldc);

/* Make the BLAS run single-threaded in the caller's thread (facies threads
 * itself, by sample). Idempotent. */
void fc_blas_single_thread(void);

#endif
