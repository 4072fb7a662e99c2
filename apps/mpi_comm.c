/* The facies program under mpirun (see mpi_comm.h). Built with MPI when meson's -Dmpi finds it. */
#include "mpi_comm.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* The size of the job mpirun (or a PMI launcher) started this process in; 0 when not launched by one. */
static int launched_size(void)
{
    static const char *vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && atoi(v) > 0)
            return atoi(v);
    }
    return getenv("PMIX_RANK") ? 1 : 0;
}

int mpi_job_threads(const mpi_job *job, int requested)
{
    if (requested > 0 || !job->active || job->local_ranks <= 1)
        return requested;
#ifdef _OPENMP
    int cores = omp_get_num_procs();
#else
    int cores = 1;
#endif
    int t = cores / job->local_ranks;
    return t > 0 ? t : 1;
}

#ifdef FACIES_MPI
#include <mpi.h>

/* Counts above INT_MAX go in pieces. */
#define PIECE ((int64_t)1 << 30)

static int all_sum(void *buf, int64_t n, MPI_Datatype type, size_t size)
{
    for (int64_t a = 0; a < n; a += PIECE) {
        int k = (int)(n - a < PIECE ? n - a : PIECE);
        if (MPI_Allreduce(MPI_IN_PLACE, (char *)buf + (size_t)a * size, k, type, MPI_SUM, MPI_COMM_WORLD) !=
            MPI_SUCCESS)
            return -1;
    }
    return 0;
}

static int sum_f32(void *ctx, float *v, int64_t n)
{
    (void)ctx;
    return all_sum(v, n, MPI_FLOAT, sizeof *v);
}

static int sum_f64(void *ctx, double *v, int64_t n)
{
    (void)ctx;
    return all_sum(v, n, MPI_DOUBLE, sizeof *v);
}

static int sum_i64(void *ctx, int64_t *v, int64_t n)
{
    (void)ctx;
    return all_sum(v, n, MPI_INT64_T, sizeof *v);
}

static int barrier(void *ctx)
{
    (void)ctx;
    return MPI_Barrier(MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
}

/* Point-to-point transfers of exact sizes, in pieces of at most PIECE bytes (one message when empty). */
static int send_bytes(void *ctx, int to, const void *buf, int64_t bytes)
{
    (void)ctx;
    int64_t a = 0;
    do {
        int k = (int)(bytes - a < PIECE ? bytes - a : PIECE);
        if (MPI_Send((const char *)buf + a, k, MPI_BYTE, to, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
            return -1;
        a += k;
    } while (a < bytes);
    return 0;
}

static int recv_bytes(void *ctx, int from, void *buf, int64_t bytes)
{
    (void)ctx;
    int64_t a = 0;
    do {
        int k = (int)(bytes - a < PIECE ? bytes - a : PIECE), got = -1;
        MPI_Status status;
        if (MPI_Recv((char *)buf + a, k, MPI_BYTE, from, 0, MPI_COMM_WORLD, &status) != MPI_SUCCESS ||
            MPI_Get_count(&status, MPI_BYTE, &got) != MPI_SUCCESS || got != k)
            return -1;
        a += k;
    } while (a < bytes);
    return 0;
}

/* Ranks > 0 keep their standard error in a temporary file until they know whether they failed. */
static void hold_messages(mpi_job *job)
{
    int out = open("/dev/null", O_WRONLY);
    if (out >= 0) {
        fflush(stdout);
        dup2(out, 1);
        close(out);
    }
    job->held = tmpfile();
    job->stderr_fd = job->held ? dup(2) : -1;
    if (job->stderr_fd >= 0) {
        fflush(stderr);
        dup2(fileno(job->held), 2);
    }
}

static void show_held_messages(mpi_job *job)
{
    if (!job->held || job->stderr_fd < 0)
        return;
    fflush(stderr);
    FILE *real = fdopen(job->stderr_fd, "w");
    if (!real)
        return;
    rewind(job->held);
    char line[4096];
    int start = 1;
    while (fgets(line, sizeof line, job->held)) {
        if (start)
            fprintf(real, "[rank %d] ", job->comm.rank);
        fputs(line, real);
        start = strchr(line, '\n') != NULL;
    }
    fflush(real);
}

const char *mpi_job_built_with(void)
{
#ifdef OMPI_MAJOR_VERSION
#define FC_STR2(x) #x
#define FC_STR(x) FC_STR2(x)
    return "with MPI: Open MPI " FC_STR(OMPI_MAJOR_VERSION) "." FC_STR(OMPI_MINOR_VERSION) "." FC_STR(
        OMPI_RELEASE_VERSION);
#else
    return "with MPI";
#endif
}

int mpi_job_start(mpi_job *job, int *argc, char ***argv)
{
    memset(job, 0, sizeof *job);
    job->stderr_fd = -1;
    job->comm.size = 1;
    job->local_ranks = 1;
    if (launched_size() == 0)
        return EXIT_OK;
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "facies: MPI could not start (launched by mpirun?)\n");
        return EXIT_RUNTIME;
    }
    job->active = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &job->comm.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &job->comm.size);
    MPI_Comm local;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local) == MPI_SUCCESS) {
        MPI_Comm_size(local, &job->local_ranks);
        MPI_Comm_free(&local);
    }
    job->comm.sum_f32 = sum_f32;
    job->comm.sum_f64 = sum_f64;
    job->comm.sum_i64 = sum_i64;
    job->comm.barrier = barrier;
    job->comm.send = send_bytes;
    job->comm.recv = recv_bytes;
    if (job->comm.rank > 0)
        hold_messages(job);
    return EXIT_OK;
}

int mpi_job_end(mpi_job *job, int rc)
{
    if (!job->active)
        return rc;
    if (rc != EXIT_OK) {
        show_held_messages(job);
        fflush(NULL);
        /* When every rank fails alike, rank 0's own line should reach the user before another
         * rank's abort ends the job: the other ranks give it a moment. */
        if (job->comm.rank > 0)
            usleep(500 * 1000);
        MPI_Abort(MPI_COMM_WORLD, rc); /* the other ranks may be waiting for this one */
        return rc;
    }
    MPI_Finalize();
    if (job->held)
        fclose(job->held);
    return rc;
}

#else /* built without MPI */

const char *mpi_job_built_with(void)
{
    return "without MPI";
}

int mpi_job_start(mpi_job *job, int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    memset(job, 0, sizeof *job);
    job->stderr_fd = -1;
    job->comm.size = 1;
    job->local_ranks = 1;
    if (launched_size() > 1) {
        fprintf(stderr, "facies: started by mpirun, but this facies was built without MPI, so every process would "
                        "do the whole job; rebuild with 'meson setup -Dmpi=enabled' (needs libopenmpi-dev)\n");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int mpi_job_end(mpi_job *job, int rc)
{
    (void)job;
    return rc;
}

#endif
