/* The wiring of the network's layers: each layer's input and gradient target, and for a multi-scale network
 * (fc_net_config.nscales > 1) the towers, their inputs and the features they hand the head. */
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "nn_impl.h"
#include "nn_support.h"

/* The layers of the spec, or of its towers when the input has several scales. */
fc_status fc_towers_build(fc_net *net, fc_error *err)
{
    const fc_net_config *cfg = &net->cfg;
    if (cfg->nscales <= 1)
        return fc_nn_parse_spec(cfg->spec, cfg->in_c, cfg->in_h, cfg->in_w, cfg->classes, &net->L, &net->nl, err);
    if (cfg->nscales > FC_NET_MAX_SCALES || cfg->in_c % cfg->nscales)
        return fc_fail(err, FC_ERR_ARGUMENT, "network: %d input channels cannot be split into %d scales", cfg->in_c,
                       cfg->nscales);
    net->towers = cfg->nscales;
    fc_status st = fc_nn_parse_towers(cfg->spec, cfg->in_c / cfg->nscales, cfg->in_h, cfg->in_w, cfg->classes,
                                      cfg->nscales, cfg->scale, &net->L, &net->nl, &net->tower_len, err);
    net->head = net->towers * net->tower_len;
    return st;
}

/* Each layer's input and where its gradient goes: the layer before, or with towers their own inputs and the
 * concatenated features for the head. */
fc_status fc_towers_link(fc_net *net, fc_error *err)
{
    for (int i = 1; i < net->nl; i++) {
        net->L[i].src = net->L[i - 1].out;
        net->L[i].dsrc = net->L[i - 1].dout;
    }
    if (net->towers < 2)
        return FC_OK;
    size_t B = (size_t)net->cfg.max_batch, in = (size_t)net->cfg.in_c * net->cfg.in_h * net->cfg.in_w;
    size_t feats = (size_t)net->towers * net->L[net->tower_len - 1].out_size;
    net->xs = fc_nn_alloc_floats(B * in);
    net->dxs = fc_nn_alloc_floats(B * in);
    net->cat = fc_nn_alloc_floats(B * feats);
    net->dcat = fc_nn_alloc_floats(B * feats);
    if (!net->xs || !net->dxs || !net->cat || !net->dcat)
        return fc_fail(err, FC_ERR_NOMEM, "network: out of memory for the scales' inputs (batch %d)",
                       net->cfg.max_batch);
    for (int s = 0; s < net->towers; s++) {
        layer *l = &net->L[s * net->tower_len];
        l->src = net->xs + (size_t)s * B * (in / (size_t)net->towers);
        l->dsrc = net->dxs + (size_t)s * B * (in / (size_t)net->towers);
    }
    net->L[net->head].src = net->cat;
    net->L[net->head].dsrc = net->dcat;
    return FC_OK;
}

/* Tower s's share of the input [n][towers * C][H][W] into xs, or (back) its gradient from dxs into dx. */
void fc_towers_split(fc_net *net, const float *x, int n, float *dx)
{
    size_t B = (size_t)net->cfg.max_batch, in = (size_t)net->cfg.in_c * net->cfg.in_h * net->cfg.in_w;
    size_t part = in / (size_t)net->towers;
    for (int s = 0; s < net->towers; s++)
        for (int b = 0; b < n; b++) {
            float *mine = (dx ? net->dxs : net->xs) + ((size_t)s * B + (size_t)b) * part;
            if (dx)
                memcpy(dx + (size_t)b * in + (size_t)s * part, mine, sizeof(float) * part);
            else
                memcpy(mine, x + (size_t)b * in + (size_t)s * part, sizeof(float) * part);
        }
}

/* The towers' features side by side for the head, or (back) the head's input gradient to each tower's top. */
void fc_towers_join(fc_net *net, int n, int back)
{
    size_t F = net->L[net->tower_len - 1].out_size, all = F * (size_t)net->towers;
    for (int s = 0; s < net->towers; s++) {
        layer *top = &net->L[(s + 1) * net->tower_len - 1];
        for (int b = 0; b < n; b++) {
            if (back)
                memcpy(top->dout + (size_t)b * F, net->dcat + (size_t)b * all + (size_t)s * F, sizeof(float) * F);
            else
                memcpy(net->cat + (size_t)b * all + (size_t)s * F, top->out + (size_t)b * F, sizeof(float) * F);
        }
    }
}

/* Whether a layer below i on its path from the input (its tower, or for the head everything) trains. */
int fc_towers_trains_below(const fc_net *net, int i)
{
    int lo = net->towers > 1 && i < net->head ? i / net->tower_len * net->tower_len : 0;
    for (int j = lo; j < i; j++)
        if (net->L[j].nparam > 0 && !net->L[j].frozen)
            return 1;
    return 0;
}
