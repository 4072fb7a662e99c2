/* Internal: the network around the layers (nn_layer.h): nn_net.c builds it, nn_run.c runs the layers in order,
 * nn_optim.c updates their parameters, nn_spec.c parses spec strings and nn_towers.c wires multi-scale towers. */
#ifndef FACIES_NN_IMPL_H
#define FACIES_NN_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "facies/net.h"
#include "nn_layer.h"

struct fc_net {
    fc_net_config cfg;
    char spec[512];
    int threads;
    int nl;
    layer *L;
    float *probs; /* [max_batch][classes] */
    int64_t step; /* optimiser steps taken (Adam's bias correction, the dropout seeds) */
    /* Multi-scale (cfg.nscales > 1): layers [s * tower_len, (s + 1) * tower_len) are tower s, ending with its
     * flatten; the head starts at layer `head` and reads the towers' features side by side. */
    int towers, tower_len, head;
    float *xs, *dxs;   /* [towers][max_batch][in_size / towers]: each tower's input and its gradient */
    float *cat, *dcat; /* [max_batch][features of all towers] */
};

/* Parse a spec into layers (shapes, names, configs); params and buffers are allocated by nn_net.c. */
fc_status fc_nn_parse_spec(const char *spec, int in_c, int in_h, int in_w, int classes, layer **out, int *n,
                           fc_error *err);

/* The same for a multi-scale network: `towers` copies of the spec's layers up to its flatten (or gap) on in_c
 * channels each (tower s's names end in _x<factor>), then the rest of the spec on their features side by side. */
fc_status fc_nn_parse_towers(const char *spec, int in_c, int in_h, int in_w, int classes, int towers, const int *factor,
                             layer **out, int *n, int *tower_len, fc_error *err);

/* nn_towers.c: build the layers (of the spec, or of its towers), link each layer's input and gradient target (and
 * the towers' buffers), split a batch's input among the towers (or, with dx, gather their input gradients into dx),
 * join the towers' features for the head (back: hand the head's input gradient to each tower's top), and whether a
 * layer below i on its path from the input (its tower, or for the head everything) trains. */
fc_status fc_towers_build(fc_net *net, fc_error *err);
fc_status fc_towers_link(fc_net *net, fc_error *err);
void fc_towers_split(fc_net *net, const float *x, int n, float *dx);
void fc_towers_join(fc_net *net, int n, int back);
int fc_towers_trains_below(const fc_net *net, int i);

/* nn_optim.c: one optimiser step on every unfrozen layer from the gradients in their g (counts the step). */
void fc_nn_update(fc_net *net, const fc_optimizer *opt);

#endif
