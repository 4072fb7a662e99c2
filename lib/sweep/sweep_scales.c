/* Dense evaluation of a multi-scale network. Tower s of factor K sees, for the patch whose top-left output position
 * is (y, x), rows y + K i and columns x + K j of its input: on the polyphase sub-grid (a, b) = (y mod K, x mod K)
 * those are consecutive rows and columns, so the tower's ordinary dense evaluation on each of the K x K sub-grids,
 * interleaved, gives every position's features, and the tower's share of the head's first dense layer with them.
 * The shares add up to that layer's pre-activation; the rest of the head is 1 x 1 and runs per position. */
#include "sweep_scales.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "sweep_tower.h"

#define HEAD_UNITS 1024 /* widest dense layer of the head, evaluated per position on the stack */

struct sweep_scales {
    fc_net *net;
    int towers, factor[FC_NET_MAX_SCALES];
    fc_sweep *tower[FC_NET_MAX_SCALES];
    int units, classes, sr, sc, c; /* the head's first dense layer's units; span; channels per scale */
    float *sum, *part, *sub;       /* [units][rows][cols], [units][sub-grid], [c][sub-grid input] */
    size_t sum_cap, part_cap, sub_cap;
    double last_flops;
    char describe[1024];
};

fc_status sweep_scales_create(sweep_scales **out, fc_net *net, const fc_sweep_options *opt, fc_error *err)
{
    sweep_scales *m = calloc(1, sizeof *m);
    if (!m)
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
    m->net = net;
    m->towers = net->towers;
    m->c = net->cfg.in_c / net->towers;
    m->classes = net->cfg.classes;
    fc_status st = FC_OK;
    for (int s = 0; s < m->towers && !st; s++) {
        m->factor[s] = s ? net->cfg.scale[s] : 1;
        if (m->factor[s] < 1)
            st = fc_fail(err, FC_ERR_ARGUMENT, "dense: scale %d has no factor", s);
        if (!st)
            st = sweep_part_create(&m->tower[s], net, opt, s, err);
    }
    if (!st) {
        sweep_tower_span(m->tower[0], &m->sr, &m->sc);
        int first = net->head;
        while (net->L[first].kind != FC_LAYER_DENSE) /* a dropout before it */
            first++;
        m->units = net->L[first].filters;
        for (int i = first; i < net->nl && !st; i++)
            if (net->L[i].kind == FC_LAYER_DENSE && net->L[i].filters > HEAD_UNITS)
                st = fc_fail(err, FC_ERR_UNSUPPORTED, "dense: a multi-scale head's dense layers take at most %d units",
                             HEAD_UNITS);
    }
    if (st) {
        sweep_scales_destroy(m);
        return st;
    }
    *out = m;
    return FC_OK;
}

void sweep_scales_destroy(sweep_scales *m)
{
    if (!m)
        return;
    for (int s = 0; s < m->towers; s++)
        sweep_tower_destroy(m->tower[s]);
    free(m->sum);
    free(m->part);
    free(m->sub);
    free(m);
}

fc_sweep *sweep_scales_tower(const sweep_scales *m, int s)
{
    return m->tower[s];
}

int sweep_scales_factors(const sweep_scales *m, int *factor)
{
    for (int s = 0; factor && s < m->towers; s++)
        factor[s] = m->factor[s];
    return m->towers;
}

const char *sweep_scales_describe(sweep_scales *m)
{
    size_t n = 0;
    for (int s = 0; s < m->towers && n < sizeof m->describe; s++) {
        int K = m->factor[s];
        if (s == 0)
            n += (size_t)snprintf(m->describe, sizeof m->describe, "scale 1 (the section): %s",
                                  sweep_tower_describe(m->tower[s]));
        else
            n += (size_t)snprintf(m->describe + n, sizeof m->describe - n,
                                  "; scale %d (each of its %d polyphase sub-grids, dilations x%d on the section): %s",
                                  K, K * K, K, sweep_tower_describe(m->tower[s]));
    }
    return m->describe;
}

double sweep_scales_flops(const sweep_scales *m, int last)
{
    if (last)
        return m->last_flops;
    double f = 0.0;
    for (int s = 0; s < m->towers; s++)
        f += sweep_tower_flops(m->tower[s]);
    return f;
}

static int grow(float **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    free(*buf);
    *buf = malloc(sizeof(float) * need);
    *cap = *buf ? need : 0;
    return *buf ? 0 : -1;
}

/* The rest of the head at every position: ReLU of the summed first layer, the further dense layers, softmax. */
static void head(sweep_scales *m, size_t positions, float *out)
{
    fc_net *net = m->net;
    int first = net->head;
    while (net->L[first].kind != FC_LAYER_DENSE)
        first++;
    int last_relu = net->L[first].relu;
#pragma omp parallel for schedule(static) num_threads(net->threads)
    for (size_t p = 0; p < positions; p++) {
        float a[HEAD_UNITS], b[HEAD_UNITS];
        int n = m->units;
        for (int u = 0; u < n; u++) {
            float v = m->sum[(size_t)u * positions + p];
            a[u] = last_relu && v < 0.0f ? 0.0f : v;
        }
        for (int i = first + 1; i < net->nl; i++) {
            const layer *l = &net->L[i];
            if (l->kind != FC_LAYER_DENSE)
                continue; /* dropout: off in inference */
            for (int f = 0; f < l->filters; f++) {
                const float *w = l->p[0] + (size_t)f * (size_t)n;
                float v = l->p[1][f];
                for (int u = 0; u < n; u++)
                    v += w[u] * a[u];
                b[f] = l->relu && v < 0.0f ? 0.0f : v;
            }
            n = l->filters;
            memcpy(a, b, sizeof(float) * (size_t)n);
        }
        float mx = a[0];
        for (int k = 1; k < n; k++)
            mx = a[k] > mx ? a[k] : mx;
        double total = 0.0;
        for (int k = 0; k < n; k++) {
            a[k] = expf(a[k] - mx);
            total += a[k];
        }
        for (int k = 0; k < n; k++)
            out[(size_t)k * positions + p] = (float)(a[k] / total);
    }
}

/* Tower s of factor K on sub-grid (a, b): its input rows a + K r, columns b + K c, then its share added to the sum at
 * output rows a + K y, columns b + K x. */
static fc_status phase(sweep_scales *m, int s, const float *in, int rows, int cols, int a, int b, fc_error *err)
{
    int K = m->factor[s], H = rows + K * (m->sr - 1), W = cols + K * (m->sc - 1);
    int my = (rows - a + K - 1) / K, mx = (cols - b + K - 1) / K;
    if (my < 1 || mx < 1)
        return FC_OK;
    int sh = my + m->sr - 1, sw = mx + m->sc - 1;
    if (grow(&m->sub, &m->sub_cap, (size_t)m->c * sh * sw) || grow(&m->part, &m->part_cap, (size_t)m->units * my * mx))
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory for a sub-grid of %d x %d", sh, sw);
    for (int c = 0; c < m->c; c++)
        for (int r = 0; r < sh; r++) {
            const float *src = in + ((size_t)c * H + (size_t)(a + K * r)) * W + b;
            float *dst = m->sub + ((size_t)c * sh + r) * sw;
            for (int x = 0; x < sw; x++)
                dst[x] = src[(size_t)K * x];
        }
    fc_status st = sweep_tower_run(m->tower[s], m->sub, sh, sw, m->part, err);
    if (st)
        return st;
    m->last_flops += sweep_tower_last_flops(m->tower[s]);
    for (int u = 0; u < m->units; u++)
        for (int y = 0; y < my; y++) {
            const float *src = m->part + ((size_t)u * my + y) * mx;
            float *dst = m->sum + ((size_t)u * rows + (size_t)(a + K * y)) * cols + b;
            for (int x = 0; x < mx; x++)
                dst[(size_t)K * x] += src[x];
        }
    return FC_OK;
}

fc_status sweep_scales_run(sweep_scales *m, const float *const *in, int rows, int cols, float *out, fc_error *err)
{
    if (rows < 1 || cols < 1)
        return fc_fail(err, FC_ERR_ARGUMENT, "dense: no output positions (%d x %d)", rows, cols);
    size_t positions = (size_t)rows * cols;
    if (grow(&m->sum, &m->sum_cap, (size_t)m->units * positions))
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory for %d x %d positions", rows, cols);
    m->last_flops = 0.0;
    fc_status st = sweep_tower_run(m->tower[0], in[0], rows + m->sr - 1, cols + m->sc - 1, m->sum, err);
    if (!st)
        m->last_flops += sweep_tower_last_flops(m->tower[0]);
    for (int s = 1; s < m->towers && !st; s++)
        for (int a = 0; a < m->factor[s] && !st; a++)
            for (int b = 0; b < m->factor[s] && !st; b++)
                st = phase(m, s, in[s], rows, cols, a, b, err);
    if (!st)
        head(m, positions, out);
    return st;
}
