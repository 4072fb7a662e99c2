/* What the layers share: thread ids, the per-thread gradient sum, buffers. */
#include "nn_support.h"

#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

int fc_thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

void fc_reduce_grads(layer *l, int threads)
{
    float *g = l->tgrad; /* thread 0's partials become the sum */
    for (int t = 1; t < threads; t++) {
        const float *gt = l->tgrad + (size_t)t * l->tgrad_len;
        for (int64_t i = 0; i < l->tgrad_len; i++)
            g[i] += gt[i];
    }
    int64_t at = 0;
    for (int p = 0; p < l->ntrain; p++) {
        memcpy(l->g[p], g + at, sizeof(float) * (size_t)l->psize[p]);
        at += l->psize[p];
    }
}

float *fc_nn_alloc_floats(size_t n)
{
    return calloc(n ? n : 1, sizeof(float));
}
