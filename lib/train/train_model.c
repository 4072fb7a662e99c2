#include "train_run.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "facies/files.h"
#include "facies/signal.h"
#include "facies/version.h"
#include "fail.h"
#include "word_diff.h"

static int same_classes(const fc_classes *a, const fc_classes *b)
{
    if (a->count != b->count)
        return 0;
    for (int i = 0; i < a->count; i++)
        if (a->c[i].code != b->c[i].code)
            return 0;
    return 1;
}

/* The options that decide the batches, their order and the steps, as key=value words, every key always there (so
 * that fc_word_differences pairs them): a resumed run must repeat them. --epochs, --patience and --threads may change;
 * --memory counts only when the patches are streamed, since it sets the windows the order is drawn in. */
static void training_key(const train_run *r, char *buf, size_t size)
{
    const fc_train_options *o = r->o;
    static const char *const balance[] = {"none", "weights", "sample"};
    char split[FC_TRAIN_MAX_VAL_RANGES * 24] = "";
    size_t n = 0;
    for (int v = 0; v < o->nval && n < sizeof split; v++)
        n += (size_t)snprintf(split + n, sizeof split - n, "%s%d:%d", v ? "," : "lines:", (int)o->val_lo[v],
                              (int)o->val_hi[v]);
    if (o->val_traces)
        snprintf(split, sizeof split, "traces:%d:%d", (int)o->val_traces_lo, (int)o->val_traces_hi);
    else if (!o->nval)
        snprintf(split, sizeof split, "fraction:%.9g", o->val_fraction);
    char memory[16] = "-";
    if (r->streamed)
        snprintf(memory, sizeof memory, "%d", o->memory_mb);
    snprintf(buf, size,
             "batch=%d seed=%llu optimizer=%s lr=%.9g momentum=%.9g weight_decay=%.9g validation=%s random_split=%s "
             "augment=%s balance=%s freeze=%d memory=%s",
             o->batch, (unsigned long long)o->seed, o->optimizer.kind == FC_OPTIMIZER_SGD ? "sgd" : "adam",
             o->optimizer.lr, o->optimizer.momentum, o->optimizer.weight_decay, split, o->random_split ? "on" : "off",
             o->augment ? "on" : "off", balance[o->balance], o->freeze, memory);
}

static void base_meta(train_run *r, const char *spec)
{
    const fc_patches_meta *pm = r->pm;
    fc_model_meta *m = &r->meta;
    memset(m, 0, sizeof *m);
    snprintf(m->spec, sizeof m->spec, "%s", spec);
    m->in_c = fc_patches_planes(pm);
    m->scales = pm->scales;
    m->in_h = pm->height;
    m->in_w = pm->width;
    m->channels = pm->channels;
    memcpy(m->channel, pm->channel, sizeof m->channel);
    m->volumes = pm->volumes;
    m->norm = pm->norm;
    m->sample_interval_ms = pm->sample_interval_ms;
    m->classes = pm->classes;
    m->optimizer = r->o->optimizer;
    m->frozen_layers = r->o->freeze;
    char hash[17] = "";
    fc_file_hash(r->o->patches_path, hash, NULL);
    int n =
        snprintf(m->data_provenance, sizeof m->data_provenance, "patches %s (fnv1a64 %s); survey %s (%s); labels: %s",
                 r->o->patches_path, hash, pm->survey_path, pm->survey_hash, pm->label_sources);
    if (n >= (int)sizeof m->data_provenance) /* long label lists are cut; the patches file keeps them all */
        memcpy(m->data_provenance + sizeof m->data_provenance - 4, "...", 4);
    snprintf(m->command_line, sizeof m->command_line, "%s", r->o->command_line ? r->o->command_line : "");
    snprintf(m->program_version, sizeof m->program_version, "facies %s", FC_VERSION);
    training_key(r, m->training_key, sizeof m->training_key);
}

/* A network of the spec, freshly initialised. */
static fc_status new_net(train_run *r, const char *spec, fc_error *err)
{
    const fc_train_options *o = r->o;
    base_meta(r, spec);
    fc_net_config cfg = {.spec = spec,
                         .in_c = r->pm->channels,
                         .in_h = r->pm->height,
                         .in_w = r->pm->width,
                         .classes = r->pm->classes.count,
                         .max_batch = o->batch,
                         .threads = o->threads,
                         .seed = o->seed};
    cfg.in_c = fc_patches_planes(r->pm);
    fc_model_net_scales(&cfg, &r->pm->scales);
    return fc_net_create(&r->net, &cfg, err);
}

/* Whether the --init model takes the dataset's patches: scales, shape, channels and sample interval. */
static fc_status check_parent(const train_run *r, const fc_model_meta *parent, fc_error *err)
{
    const fc_train_options *o = r->o;
    char a[FC_MAX_CHANNELS * 48], b[FC_MAX_CHANNELS * 48];
    fc_channel_names_format(parent->channel, parent->channels, &parent->volumes, a, sizeof a);
    fc_channel_names_format(r->pm->channel, r->pm->channels, &r->pm->volumes, b, sizeof b);
    char kinds[128], vols[FC_MAX_VOLUMES * 40] = "";
    int nk = parent->channels / (parent->volumes.count > 0 ? parent->volumes.count : 1);
    fc_channels_format(parent->channel, nk, kinds, sizeof kinds);
    for (int v = 1; v < parent->volumes.count; v++) /* the volumes it takes beside the survey */
        snprintf(vols + strlen(vols), sizeof vols - strlen(vols), " --volume %s=FILE", parent->volumes.v[v].name);
    char sa[64], sb[64];
    fc_scales_format(&parent->scales, sa, sizeof sa);
    fc_scales_format(&r->pm->scales, sb, sizeof sb);
    if (strcmp(sa, sb))
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: the model takes patches at scales %s; %s holds scales %s (re-ingest with --scales %s)",
                       o->init_path, sa, o->patches_path, sb, sa);
    if (parent->in_h != r->pm->height || parent->in_w != r->pm->width || strcmp(a, b))
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: the model takes %dx%d patches of %s; %s holds %dx%d patches of %s (re-ingest with "
                       "--patch %dx%d --attributes %s%s)",
                       o->init_path, parent->in_h, parent->in_w, a, o->patches_path, r->pm->height, r->pm->width, b,
                       parent->in_h, parent->in_w, kinds, vols);
    if (!fc_sample_intervals_match(parent->sample_interval_ms, r->pm->sample_interval_ms))
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: the model was trained on %g ms samples, but %s holds patches cut from %g ms samples; "
                       "--init needs a dataset ingested from a survey at %g ms",
                       o->init_path, parent->sample_interval_ms, o->patches_path, r->pm->sample_interval_ms,
                       parent->sample_interval_ms);
    return FC_OK;
}

fc_status train_build_net(train_run *r, fc_error *err)
{
    const fc_train_options *o = r->o;
    char spec[512];
    if (o->arch)
        snprintf(spec, sizeof spec, "%s", o->arch);
    else
        fc_default_arch(r->pm->height, r->pm->width, spec, sizeof spec);
    if (!o->init_path)
        return new_net(r, spec, err);
    fc_model_meta parent;
    fc_status st = fc_model_load(o->init_path, o->batch, o->threads, &r->net, &parent, NULL, err);
    if (!st)
        st = check_parent(r, &parent, err);
    if (st)
        return st;
    base_meta(r, parent.spec);
    if (!same_classes(&parent.classes, &r->pm->classes)) {
        st = fc_net_replace_head(r->net, r->pm->classes.count, err);
        if (st)
            return st;
        train_say(o, "the dataset's classes differ from the model's: output layer replaced (%d -> %d classes)",
                  parent.classes.count, r->pm->classes.count);
    }
    char hash[17] = "";
    fc_file_hash(o->init_path, hash, NULL);
    snprintf(r->meta.parent_model, sizeof r->meta.parent_model, "%s (fnv1a64 %s)", o->init_path, hash);
    fc_net_freeze(r->net, o->freeze);
    fc_net_reset_optimizer(r->net); /* fresh optimiser state for the new task */
    if (o->freeze)
        train_say(o, "fine-tuning %s with its first %d weight layers frozen", o->init_path, o->freeze);
    return FC_OK;
}

fc_status train_resume(train_run *r, fc_error *err)
{
    char ck[4200];
    fc_model_meta m;
    fc_status st = fc_train_side_path(r->o->out_path, ".checkpoint.h5", ck, sizeof ck, err);
    if (!st)
        st = fc_model_load(ck, r->o->batch, r->o->threads, &r->net, &m, &r->hist, err);
    if (st)
        return st;
    if (m.in_h != r->pm->height || m.in_w != r->pm->width || m.classes.count != r->pm->classes.count)
        return fc_fail(err, FC_ERR_MISMATCH, "%s: the checkpoint does not fit %s", ck, r->o->patches_path);
    char key[FC_META_KEY];
    training_key(r, key, sizeof key);
    if (m.training_key[0] && strcmp(m.training_key, key)) {
        char what[FC_META_KEY];
        fc_word_differences(m.training_key, key, what, sizeof what);
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "%s: the interrupted run had other options: %s; resume with its options (only --epochs, "
                       "--patience and --threads may change), or train anew without --resume",
                       ck, what);
    }
    snprintf(m.training_key, sizeof m.training_key, "%s", key); /* recorded from now on */
    r->meta = m;
    r->start_epoch = r->hist.n;
    r->best_epoch = (int)m.best_epoch;
    if (r->best_epoch > r->hist.n) /* a checkpoint whose history is gone */
        return fc_fail(err, FC_ERR_FORMAT, "%s: no training history up to its best epoch %d", ck, r->best_epoch);
    r->best_loss = r->best_epoch > 0 ? r->hist.val_loss[r->best_epoch - 1] : INFINITY;
    train_say(r->o, "resuming from %s after epoch %d (best epoch %d)", ck, r->start_epoch, r->best_epoch);
    return FC_OK;
}
