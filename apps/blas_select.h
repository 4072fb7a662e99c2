/* Re-execute once with OPENBLAS_CORETYPE=SkylakeX when OpenBLAS under-detects an AVX-512 CPU. */
#ifndef FACIES_BLAS_SELECT_H
#define FACIES_BLAS_SELECT_H

void blas_select(char **argv);

#endif
