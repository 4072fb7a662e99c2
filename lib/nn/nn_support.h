/* Internal: what the layers share (nn_support.c): thread ids, the per-thread gradient sum, buffers. */
#ifndef FACIES_NN_SUPPORT_H
#define FACIES_NN_SUPPORT_H

#include <stddef.h>

#include "nn_layer.h"

/* Thread id inside a parallel region (0 outside). */
int fc_thread_id(void);

/* Sum the per-thread partial gradients of a layer (threads blocks of l->tgrad) into l->g, in thread order. */
void fc_reduce_grads(layer *l, int threads);

/* n zeroed floats (at least one, so that NULL means out of memory); free() them. */
float *fc_nn_alloc_floats(size_t n);

#endif
