/* Fully connected layer: Y[n][o] = act(sum_i X[n][i] W[o][i] + b[o]); ReLU unless it is the output layer. */
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "blas.h"
#include "nn_support.h"

/* This thread's share [*a, *b) of n rows. */
static void share(int n, int *a, int *b)
{
#ifdef _OPENMP
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
#else
    int t = 0, nt = 1;
#endif
    *a = (int)((long)n * t / nt);
    *b = (int)((long)n * (t + 1) / nt);
}

void fc_dense_forward(const fc_pass *pass, layer *l, const float *in, int n)
{
    int I = (int)l->in_size, O = (int)l->out_size;
#pragma omp parallel num_threads(pass->threads)
    {
        int a, b;
        share(n, &a, &b);
        if (b > a) {
            float *y = l->out + (size_t)a * O;
            fc_sgemm(0, 1, b - a, O, I, 1.0f, in + (size_t)a * I, I, l->p[0], I, 0.0f, y, O);
            for (int s = 0; s < b - a; s++)
                for (int o = 0; o < O; o++) {
                    float v = y[(size_t)s * O + o] + l->p[1][o];
                    y[(size_t)s * O + o] = l->relu && v < 0.0f ? 0.0f : v;
                }
        }
    }
}

void fc_dense_backward(const fc_pass *pass, layer *l, const float *in, float *din, int n)
{
    int I = (int)l->in_size, O = (int)l->out_size;
    int grads = !l->frozen;
#pragma omp parallel num_threads(pass->threads)
    {
        int a, b;
        share(n, &a, &b);
        if (b <= a && grads) /* no rows for this thread: its partial gradients are zero */
            memset(l->tgrad + (size_t)fc_thread_id() * l->tgrad_len, 0, sizeof(float) * (size_t)l->tgrad_len);
        if (b > a) {
            float *dy = l->dout + (size_t)a * O;
            if (l->relu) {
                const float *y = l->out + (size_t)a * O;
                for (size_t i = 0; i < (size_t)(b - a) * O; i++)
                    if (y[i] <= 0.0f)
                        dy[i] = 0.0f;
            }
            if (grads) {
                float *dw = l->tgrad + (size_t)fc_thread_id() * l->tgrad_len, *db = dw + (size_t)O * I;
                fc_sgemm(1, 0, O, I, b - a, 1.0f, dy, O, in + (size_t)a * I, I, 0.0f, dw, I);
                memset(db, 0, sizeof(float) * (size_t)O);
                for (int s = 0; s < b - a; s++)
                    for (int o = 0; o < O; o++)
                        db[o] += dy[(size_t)s * O + o];
            }
            if (din)
                fc_sgemm(0, 0, b - a, I, O, 1.0f, dy, O, l->p[0], I, 0.0f, din + (size_t)a * I, I);
        }
    }
    if (grads)
        fc_reduce_grads(l, pass->threads);
}
