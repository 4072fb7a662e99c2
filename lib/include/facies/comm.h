/* facies — running one job on several processes.
 *
 * The library does not talk to MPI itself: a caller that runs under MPI (the
 * facies program built with -Dmpi) hands the library an fc_comm whose
 * functions wrap MPI_Allreduce, MPI_Bcast, MPI_Send and MPI_Recv over its
 * communicator. A NULL fc_comm, or one of size 1, is one process: the code
 * paths are then those of a plain run.
 *
 * Every function is collective over all ranks except send and recv, which are
 * blocking point-to-point transfers of exact sizes. They return 0 on success.
 * A failure on one rank cannot be reported to ranks waiting in a collective;
 * the caller's answer to any error (see apps/mpi_comm.c) is to abort the job.
 * Inside a training step a failed sum is not checked: under MPI's default
 * error handler (errors are fatal) it has ended the job already.
 */
#ifndef FACIES_COMM_H
#define FACIES_COMM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fc_comm {
    int rank, size;
    void *ctx;
    /* Element-wise sums over all ranks, in place; every rank gets the same result. */
    int (*sum_f32)(void *ctx, float *v, int64_t n);
    int (*sum_f64)(void *ctx, double *v, int64_t n);
    int (*sum_i64)(void *ctx, int64_t *v, int64_t n);
    int (*barrier)(void *ctx);
    int (*send)(void *ctx, int to, const void *buf, int64_t bytes);
    int (*recv)(void *ctx, int from, void *buf, int64_t bytes);
} fc_comm;

/* Whether c spreads the work over more than one process. */
static inline int fc_comm_parallel(const fc_comm *c)
{
    return c && c->size > 1;
}

static inline int fc_comm_rank(const fc_comm *c)
{
    return c ? c->rank : 0;
}

static inline int fc_comm_size(const fc_comm *c)
{
    return c && c->size > 0 ? c->size : 1;
}

#ifdef __cplusplus
}
#endif

#endif
