/* The facies program under mpirun: an fc_comm over MPI_COMM_WORLD.
 *
 * MPI is started only when mpirun (or srun with PMIx) launched the process, so
 * a plain `facies ...` never touches MPI. On ranks other than 0, standard
 * output is discarded and standard error is held back: the job prints once,
 * and a rank's own messages are shown (prefixed with its rank) only when it
 * fails. Any failure on any rank aborts the whole job (MPI_Abort): a rank
 * waiting in a collective for a rank that gave up would otherwise wait for
 * ever.
 */
#ifndef FACIES_MPI_COMM_H
#define FACIES_MPI_COMM_H

#include <stdio.h>

#include "facies/comm.h"

typedef struct mpi_job {
    fc_comm comm;
    int active;      /* MPI is running (launched by mpirun) */
    int stderr_fd;   /* ranks > 0: the real standard error, while fd 2 goes to `held` */
    FILE *held;      /* ranks > 0: this rank's messages */
    int local_ranks; /* ranks on this machine (threads are shared out among them) */
} mpi_job;

/* Start MPI if launched by mpirun. Returns 0, or an exit status after printing why it cannot run. */
int mpi_job_start(mpi_job *job, int *argc, char ***argv);

/* End the job with the verb's exit status: MPI_Finalize when every rank succeeded, MPI_Abort otherwise. */
int mpi_job_end(mpi_job *job, int rc);

/* "MPI: Open MPI v4.1.4, ..." or "no MPI", for --version. */
const char *mpi_job_built_with(void);

/* Worker threads for --threads N (0: the cores of this machine shared among the ranks on it). */
int mpi_job_threads(const mpi_job *job, int requested);

#endif
