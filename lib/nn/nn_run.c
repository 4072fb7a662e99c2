/* Running the network: its layers in order forward, the softmax cross-entropy loss, the layers backward; the calls
 * that take a batch (predict, evaluate, gradients, training steps) and refuse one larger than its buffers. */
#include <math.h>
#include <string.h>

#include "fail.h"
#include "nn_impl.h"

/* n samples within [least, max_batch]: the buffers hold max_batch. */
static fc_status check_batch(const fc_net *net, const char *what, int n, int least, fc_error *err)
{
    if (n >= least && n <= net->cfg.max_batch)
        return FC_OK;
    return fc_fail(err, FC_ERR_ARGUMENT,
                   "network: %s on %d samples refused: it takes %d to %d at a time (the max_batch it was built for)",
                   what, n, least, net->cfg.max_batch);
}

/* A pass with the whole batch in this process. */
static fc_pass pass_here(const fc_net *net, int n, int train, uint64_t mask_seed)
{
    fc_pass p = {.threads = net->threads, .train = train, .first = 0, .total = n, .mask_seed = mask_seed};
    return p;
}

/* Softmax of the last layer's logits into net->probs, stable. */
static void softmax(fc_net *net, int n)
{
    const layer *last = &net->L[net->nl - 1];
    int K = net->cfg.classes;
    for (int s = 0; s < n; s++) {
        const float *z = last->out + (size_t)s * K;
        float *p = net->probs + (size_t)s * K;
        float mx = z[0];
        for (int c = 1; c < K; c++)
            mx = z[c] > mx ? z[c] : mx;
        double sum = 0.0;
        for (int c = 0; c < K; c++) {
            p[c] = expf(z[c] - mx);
            sum += p[c];
        }
        for (int c = 0; c < K; c++)
            p[c] = (float)(p[c] / sum);
    }
}

static void forward(fc_net *net, const fc_pass *pass, const float *x, int n)
{
    if (net->towers > 1)
        fc_towers_split(net, x, n, NULL);
    for (int i = 0; i < net->nl; i++) {
        layer *l = &net->L[i];
        const float *in = l->src ? l->src : x;
        if (net->towers > 1 && i == net->head)
            fc_towers_join(net, n, 0);
        switch (l->kind) {
        case FC_LAYER_CONV: fc_conv_forward(pass, l, in, n); break;
        case FC_LAYER_MAXPOOL:
        case FC_LAYER_AVGPOOL: fc_pool_forward(pass, l, in, n); break;
        case FC_LAYER_BATCHNORM: fc_bn_forward(pass, l, in, n); break;
        case FC_LAYER_DROPOUT: fc_dropout_forward(pass, l, in, n); break;
        case FC_LAYER_FLATTEN: memcpy(l->out, in, sizeof(float) * l->out_size * (size_t)n); break;
        case FC_LAYER_GAP: fc_gap_forward(pass, l, in, n); break;
        case FC_LAYER_DENSE: fc_dense_forward(pass, l, in, n); break;
        }
    }
    softmax(net, n);
}

/* Summed weighted cross-entropy of the n samples here and their correct count; with dlogits, also the gradient of
 * the whole batch's mean loss (pass->total samples) into the last layer's dout. */
static double loss_of(fc_net *net, const fc_pass *pass, const int32_t *labels, int n, const float *w, int *correct,
                      int dlogits)
{
    int K = net->cfg.classes;
    layer *last = &net->L[net->nl - 1];
    double loss = 0.0;
    int ok = 0;
    for (int s = 0; s < n; s++) {
        const float *p = net->probs + (size_t)s * K;
        int y = labels[s];
        float ws = w ? w[y] : 1.0f;
        loss += -ws * log(p[y] > 1e-30f ? (double)p[y] : 1e-30);
        int best = 0;
        for (int c = 1; c < K; c++)
            if (p[c] > p[best])
                best = c;
        ok += best == y;
        if (dlogits) {
            float *d = last->dout + (size_t)s * K;
            for (int c = 0; c < K; c++)
                d[c] = ws * (p[c] - (c == y ? 1.0f : 0.0f)) / (float)pass->total;
        }
    }
    if (correct)
        *correct = ok;
    return loss;
}

/* Backward through every layer that needs it, from the input x of the forward pass: layers with nothing trainable at
 * or below them are skipped. */
static void backward(fc_net *net, const fc_pass *pass, const float *x, int n, float *dx)
{
    for (int i = net->nl - 1; i >= 0; i--) {
        layer *l = &net->L[i];
        int below = dx || fc_towers_trains_below(net, i);
        if (!below && !(l->nparam > 0 && !l->frozen))
            continue;
        const float *in = l->src ? l->src : x;
        float *din = !below ? NULL : l->dsrc ? l->dsrc : dx;
        const layer *prev = i > 0 && l->src == net->L[i - 1].out ? &net->L[i - 1] : NULL;
        switch (l->kind) {
        case FC_LAYER_CONV:
            if (l->pooled_back)
                fc_conv_backward_pooled(pass, l, &net->L[i + 1], in, din, n);
            else
                fc_conv_backward(pass, l, in, din, n);
            break;
        case FC_LAYER_MAXPOOL:
        case FC_LAYER_AVGPOOL:
            if (din && !(prev && prev->pooled_back)) /* a pooled conv reads its gradient itself */
                fc_pool_backward(pass, l, din, n, prev && prev->relu_by_next);
            break;
        case FC_LAYER_BATCHNORM: fc_bn_backward(pass, l, din, n); break;
        case FC_LAYER_DROPOUT:
            if (din)
                fc_dropout_backward(l, din, n);
            break;
        case FC_LAYER_FLATTEN:
            if (din)
                memcpy(din, l->dout, sizeof(float) * l->out_size * (size_t)n);
            break;
        case FC_LAYER_GAP:
            if (din)
                fc_gap_backward(pass, l, din, n);
            break;
        case FC_LAYER_DENSE: fc_dense_backward(pass, l, in, din, n); break;
        }
        if (net->towers > 1 && i == net->head && din)
            fc_towers_join(net, n, 1);
    }
    if (net->towers > 1 && dx)
        fc_towers_split(net, NULL, n, dx);
}

fc_status fc_net_loss_and_grads(fc_net *net, const float *x, const int32_t *labels, int n, const float *w,
                                uint64_t mask_seed, int do_backward, float *dx, double *loss, fc_error *err)
{
    fc_status st = check_batch(net, "a gradient pass", n, 1, err);
    if (st)
        return st;
    fc_pass pass = pass_here(net, n, 1, mask_seed);
    forward(net, &pass, x, n);
    double l = loss_of(net, &pass, labels, n, w, NULL, do_backward) / n;
    if (do_backward)
        backward(net, &pass, x, n, dx);
    if (loss)
        *loss = l;
    return FC_OK;
}

fc_status fc_net_train_step_shard(fc_net *net, const fc_optimizer *opt, const float *x, const int32_t *labels, int n,
                                  const float *class_weights, const fc_comm *comm, int first, int total, double *loss,
                                  int *correct, fc_error *err)
{
    fc_status st = check_batch(net, "a training step", n, 0, err);
    if (st)
        return st;
    if (first < 0 || first > total - n)
        return fc_fail(err, FC_ERR_ARGUMENT, "network: %d samples from row %d do not fit in a batch of %d", n, first,
                       total);
    fc_pass pass = {.threads = net->threads,
                    .train = 1,
                    .comm = comm,
                    .first = first,
                    .total = total,
                    .mask_seed = net->cfg.seed * 0x9e3779b97f4a7c15ull + (uint64_t)net->step};
    forward(net, &pass, x, n);
    double l = loss_of(net, &pass, labels, n, class_weights, correct, 1);
    backward(net, &pass, x, n, NULL);
    if (fc_comm_parallel(comm)) /* every rank steps with the whole batch's gradient */
        for (int i = 0; i < net->nl; i++) {
            layer *ly = &net->L[i];
            if (ly->frozen || ly->kind == FC_LAYER_BATCHNORM) /* batch norm's were summed in its backward */
                continue;
            for (int p = 0; p < ly->ntrain; p++)
                comm->sum_f32(comm->ctx, ly->g[p], ly->psize[p]);
        }
    fc_nn_update(net, opt);
    if (loss)
        *loss = l;
    return FC_OK;
}

fc_status fc_net_train_step(fc_net *net, const fc_optimizer *opt, const float *x, const int32_t *labels, int n,
                            const float *class_weights, double *loss, int *correct, fc_error *err)
{
    fc_status st = check_batch(net, "a training step", n, 1, err);
    double l = 0.0;
    if (!st)
        st = fc_net_train_step_shard(net, opt, x, labels, n, class_weights, NULL, 0, n, &l, correct, err);
    if (!st && loss)
        *loss = l / n;
    return st;
}

fc_status fc_net_evaluate(fc_net *net, const float *x, const int32_t *labels, int n, double *loss, int *correct,
                          fc_error *err)
{
    fc_status st = check_batch(net, "an evaluation", n, 1, err);
    if (st)
        return st;
    fc_pass pass = pass_here(net, n, 0, 0);
    forward(net, &pass, x, n);
    double l = loss_of(net, &pass, labels, n, NULL, correct, 0) / n;
    if (loss)
        *loss = l;
    return FC_OK;
}

fc_status fc_net_predict(fc_net *net, const float *x, int n, float *probs, fc_error *err)
{
    fc_status st = check_batch(net, "a prediction", n, 0, err);
    if (st)
        return st;
    fc_pass pass = pass_here(net, n, 0, 0);
    forward(net, &pass, x, n);
    memcpy(probs, net->probs, sizeof(float) * (size_t)n * (size_t)net->cfg.classes);
    return FC_OK;
}
