/* Dense evaluation of a network: dilated ("a trous") convolutions and pools, dense layers as convolutions. The
 * public evaluator: one tower's evaluator for a single-scale network (sweep_tower.c), or a multi-scale network's
 * towers added up (sweep_scales.c). */
#include "facies/sweep.h"

#include <stdlib.h>

#include "fail.h"
#include "sweep_plan.h"
#include "sweep_tower.h"

fc_status fc_sweep_create(fc_sweep **out, fc_net *net, const fc_sweep_options *opt, fc_error *err)
{
    if (net->towers <= 1)
        return sweep_part_create(out, net, opt, -1, err);
    fc_sweep *d = calloc(1, sizeof *d); /* several scales: one evaluator per tower */
    if (!d)
        return fc_fail(err, FC_ERR_NOMEM, "dense: out of memory");
    d->net = net;
    d->part = -2;
    if (opt)
        d->opt = *opt;
    fc_status st = sweep_scales_create(&d->scales, net, &d->opt, err);
    if (st) {
        free(d);
        return st;
    }
    *out = d;
    return FC_OK;
}

void fc_sweep_destroy(fc_sweep *d)
{
    if (!d)
        return;
    if (!d->scales) {
        sweep_tower_destroy(d);
        return;
    }
    sweep_scales_destroy(d->scales);
    free(d);
}

int fc_sweep_exact(const fc_sweep *d)
{
    return d->scales ? fc_sweep_exact(sweep_scales_tower(d->scales, 0)) : d->exact;
}

fc_sweep_method fc_sweep_method_used(const fc_sweep *d)
{
    return d->scales ? fc_sweep_method_used(sweep_scales_tower(d->scales, 0)) : d->method;
}

const char *fc_sweep_describe(const fc_sweep *d)
{
    return d->scales ? sweep_scales_describe(d->scales) : sweep_tower_describe(d);
}

double fc_sweep_flops_per_position(const fc_sweep *d)
{
    return d->scales ? sweep_scales_flops(d->scales, 0) : sweep_tower_flops(d);
}

double fc_sweep_last_flops(const fc_sweep *d)
{
    return d->scales ? sweep_scales_flops(d->scales, 1) : sweep_tower_last_flops(d);
}

void fc_sweep_span(const fc_sweep *d, int *rows, int *cols)
{
    if (d->scales) {
        fc_sweep_span(sweep_scales_tower(d->scales, 0), rows, cols);
        return;
    }
    sweep_tower_span(d, rows, cols);
}

int fc_sweep_scales(const fc_sweep *d, int *factor)
{
    if (!d->scales) {
        if (factor)
            factor[0] = 1;
        return 1;
    }
    return sweep_scales_factors(d->scales, factor);
}

fc_status fc_sweep_run_scales(fc_sweep *d, const float *const *in, int rows, int cols, float *out, fc_error *err)
{
    if (!d->scales)
        return fc_sweep_run(d, in[0], rows + d->span_r - 1, cols + d->span_c - 1, out, err);
    return sweep_scales_run(d->scales, in, rows, cols, out, err);
}

fc_status fc_sweep_run(fc_sweep *d, const float *in, int H, int W, float *out, fc_error *err)
{
    if (d->scales)
        return fc_fail(err, FC_ERR_ARGUMENT, "dense: a network with several scales runs by fc_sweep_run_scales");
    return sweep_tower_run(d, in, H, W, out, err);
}
