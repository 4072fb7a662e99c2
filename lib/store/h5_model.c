/* model.h5: networks with their metadata, optimiser state and history. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/files.h"
#include "facies/model.h"
#include "facies/version.h"
#include "fail.h"
#include "h5_util.h"

static const char *const param_names[4][4] = {
    {"weights", "bias", NULL, NULL},                     /* conv, dense */
    {"gamma", "beta", "moving_mean", "moving_variance"}, /* batch norm */
};

static const char *param_name(fc_layer_kind k, int p)
{
    return param_names[k == FC_LAYER_BATCHNORM ? 1 : 0][p];
}

fc_status fc_history_push(fc_history *h, double loss, double acc, double vloss, double vacc, double seconds,
                          fc_error *err)
{
    if (h->n == h->cap) {
        int cap = h->cap ? 2 * h->cap : 64;
        double **series[5] = {&h->loss, &h->accuracy, &h->val_loss, &h->val_accuracy, &h->seconds};
        for (int s = 0; s < 5; s++) {
            double *p = realloc(*series[s], sizeof(double) * (size_t)cap);
            if (!p)
                return fc_fail(err, FC_ERR_NOMEM, "out of memory for the training history (%d epochs)", cap);
            *series[s] = p;
        }
        h->cap = cap;
    }
    h->loss[h->n] = loss;
    h->accuracy[h->n] = acc;
    h->val_loss[h->n] = vloss;
    h->val_accuracy[h->n] = vacc;
    h->seconds[h->n] = seconds;
    h->n++;
    return FC_OK;
}

void fc_history_free(fc_history *h)
{
    free(h->loss);
    free(h->accuracy);
    free(h->val_loss);
    free(h->val_accuracy);
    free(h->seconds);
    memset(h, 0, sizeof *h);
}

fc_status fc_model_set_temperature(fc_net *net, double t, fc_error *err)
{
    if (!(t > 0.0))
        return fc_fail(err, FC_ERR_ARGUMENT, "temperature %g is not positive", t);
    for (int i = fc_net_layer_count(net) - 1; i >= 0; i--) {
        float *p[4];
        int64_t n[4];
        int np = fc_net_layer_params(net, i, p, n);
        if (np == 0)
            continue; /* dropout after the output layer: nothing to scale */
        fc_layer_info li;
        fc_net_layer_info(net, i, &li);
        if (li.kind != FC_LAYER_DENSE)
            return fc_fail(err, FC_ERR_ARGUMENT, "the output layer (%s) is not dense: no logits to scale", li.name);
        for (int k = 0; k < np; k++)
            for (int64_t j = 0; j < n[k]; j++)
                p[k][j] = (float)(p[k][j] / t);
        return FC_OK;
    }
    return fc_fail(err, FC_ERR_ARGUMENT, "the network has no weights to scale");
}

static int write_array(hid_t loc, const char *name, int rank, const hsize_t *dims, const void *data, hid_t type)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t d = H5Dcreate2(loc, name, type == H5T_NATIVE_FLOAT ? H5T_IEEE_F32LE : H5T_IEEE_F64LE, sp, H5P_DEFAULT,
                         H5P_DEFAULT, H5P_DEFAULT);
    int rc = d >= 0 && H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0 ? 0 : -1;
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(sp);
    return rc;
}

/* Dataset shape of a parameter: conv weights [F][C][k][k], dense weights [out][in], vectors otherwise. */
static int param_dims(fc_net *net, int i, int p, int64_t size, hsize_t *dims)
{
    fc_layer_info li;
    fc_net_layer_info(net, i, &li);
    if (p == 0 && li.kind == FC_LAYER_CONV) {
        dims[0] = (hsize_t)li.out_c;
        dims[1] = (hsize_t)li.in_c;
        dims[2] = dims[3] = (hsize_t)li.kernel;
        return 4;
    }
    if (p == 0 && li.kind == FC_LAYER_DENSE) {
        dims[0] = (hsize_t)li.out_c;
        dims[1] = (hsize_t)(size / li.out_c);
        return 2;
    }
    dims[0] = (hsize_t)size;
    return 1;
}

static int write_layers(hid_t f, fc_net *net)
{
    hid_t g = H5Gcreate2(f, "layers", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t o = H5Gcreate2(f, "optimizer", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = g < 0 || o < 0;
    for (int i = 0; i < fc_net_layer_count(net) && !rc; i++) {
        fc_layer_info li;
        fc_net_layer_info(net, i, &li);
        float *p[4], *m[4], *v[4];
        int64_t n[4], ns[4];
        int np = fc_net_layer_params(net, i, p, n);
        if (np == 0)
            continue;
        int nt = fc_net_layer_state(net, i, m, v, ns);
        char name[64];
        snprintf(name, sizeof name, "%02d_%s", i, li.name);
        hid_t lg = H5Gcreate2(g, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        hid_t og = H5Gcreate2(o, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        rc |= lg < 0 || og < 0;
        for (int k = 0; k < np && !rc; k++) {
            hsize_t dims[4];
            int rank = param_dims(net, i, k, n[k], dims);
            rc |= write_array(lg, param_name(li.kind, k), rank, dims, p[k], H5T_NATIVE_FLOAT);
            if (k < nt) {
                char mn[64], vn[64];
                snprintf(mn, sizeof mn, "m_%s", param_name(li.kind, k));
                snprintf(vn, sizeof vn, "v_%s", param_name(li.kind, k));
                rc |= write_array(og, mn, rank, dims, m[k], H5T_NATIVE_FLOAT);
                rc |= write_array(og, vn, rank, dims, v[k], H5T_NATIVE_FLOAT);
            }
        }
        if (lg >= 0)
            H5Gclose(lg);
        if (og >= 0)
            H5Gclose(og);
    }
    if (g >= 0)
        H5Gclose(g);
    if (o >= 0)
        H5Gclose(o);
    return rc;
}

static int write_history(hid_t f, const fc_history *h)
{
    hid_t g = H5Gcreate2(f, "history", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    static const char *names[5] = {"loss", "accuracy", "val_loss", "val_accuracy", "seconds"};
    const double *series[5] = {h ? h->loss : NULL, h ? h->accuracy : NULL, h ? h->val_loss : NULL,
                               h ? h->val_accuracy : NULL, h ? h->seconds : NULL};
    double none = 0.0;
    int rc = 0;
    for (int s = 0; s < 5; s++) {
        hsize_t dims[1] = {(hsize_t)(h ? h->n : 0)};
        rc |= write_array(g, names[s], 1, dims, dims[0] ? series[s] : &none, H5T_NATIVE_DOUBLE);
    }
    H5Gclose(g);
    return rc;
}

void fc_model_net_scales(fc_net_config *cfg, const fc_scales *scales)
{
    cfg->nscales = fc_scales_count(scales) > 1 ? scales->n : 0;
    for (int i = 0; i < cfg->nscales; i++)
        cfg->scale[i] = scales->factor[i];
}

static const char *optimizer_name(fc_optimizer_kind k)
{
    return k == FC_OPTIMIZER_SGD ? "sgd" : "adam";
}

static int write_meta(hid_t f, fc_net *net, const fc_model_meta *m)
{
    int rc = 0;
    rc |= fc_h5_write_i64(f, "format_version", FC_MODEL_FORMAT_VERSION);
    rc |= fc_h5_write_str(f, "spec", m->spec);
    rc |= fc_h5_write_i64(f, "input_channels", m->in_c);
    rc |= fc_h5_write_i64(f, "input_height", m->in_h);
    rc |= fc_h5_write_i64(f, "input_width", m->in_w);
    rc |= fc_h5_write_input_attrs(f, m->channel, m->channels, &m->volumes, &m->norm, m->sample_interval_ms);
    if (fc_scales_count(&m->scales) > 1) {
        char scales[64];
        fc_scales_format(&m->scales, scales, sizeof scales);
        rc |= fc_h5_write_str(f, "scales", scales);
    }
    rc |= fc_h5_write_str(f, "optimizer", optimizer_name(m->optimizer.kind));
    rc |= fc_h5_write_f64(f, "learning_rate", m->optimizer.lr);
    rc |= fc_h5_write_f64(f, "beta1", m->optimizer.beta1);
    rc |= fc_h5_write_f64(f, "beta2", m->optimizer.beta2);
    rc |= fc_h5_write_f64(f, "epsilon", m->optimizer.epsilon);
    rc |= fc_h5_write_f64(f, "momentum", m->optimizer.momentum);
    rc |= fc_h5_write_f64(f, "weight_decay", m->optimizer.weight_decay);
    rc |= fc_h5_write_i64(f, "step", fc_net_steps(net));
    rc |= fc_h5_write_i64(f, "frozen_layers", m->frozen_layers);
    rc |= fc_h5_write_i64(f, "seed", (int64_t)fc_net_get_config(net)->seed);
    rc |= fc_h5_write_i64(f, "best_epoch", m->best_epoch);
    if (m->temperature > 0.0)
        rc |= fc_h5_write_f64(f, "temperature", m->temperature);
    rc |= fc_h5_write_str(f, "parent_model", m->parent_model);
    rc |= fc_h5_write_str(f, "data_provenance", m->data_provenance);
    rc |= fc_h5_write_str(f, "command_line", m->command_line);
    if (m->training_key[0])
        rc |= fc_h5_write_str(f, "training_key", m->training_key);
    rc |= fc_h5_write_str(f, "program_version", m->program_version[0] ? m->program_version : "facies " FC_VERSION);
    rc |= fc_h5_write_classes(f, "classes", &m->classes);
    return rc;
}

fc_status fc_model_save(const char *path, fc_net *net, const fc_model_meta *meta, const fc_history *h, fc_error *err)
{
    fc_h5_quiet();
    size_t n = strlen(path) + sizeof ".partial";
    char *partial = malloc(n);
    if (!partial)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    fc_partial_name(path, partial, n);
    fc_status st = FC_OK;
    hid_t f = fc_h5_create(partial);
    if (f < 0)
        st = fc_h5_create_failed(partial, err);
    else if (write_meta(f, net, meta) || write_layers(f, net) || write_history(f, h))
        st = fc_fail(err, FC_ERR_IO, "%s: writing the model failed (disk full?)", partial);
    if (f >= 0 && H5Fclose(f) < 0 && !st)
        st = fc_fail(err, FC_ERR_IO, "%s: closing failed (disk full?)", partial);
    if (!st && rename(partial, path) != 0)
        st = fc_fail(err, FC_ERR_IO, "%s: cannot rename to %s: %s", partial, path, strerror(errno));
    if (st)
        remove(partial);
    free(partial);
    return st;
}

static fc_status read_meta(hid_t f, const char *path, fc_model_meta *m, fc_error *err)
{
    memset(m, 0, sizeof *m);
    int64_t version = 0, c = 0, h = 0, w = 0, step = 0, frozen = 0, best = 0;
    char channels[FC_MAX_CHANNELS * 48], opt[16];
    if (fc_h5_read_i64(f, "format_version", &version) || version != FC_MODEL_FORMAT_VERSION)
        return fc_fail(err, FC_ERR_FORMAT, "%s: not a facies model (format_version %lld, expected %d)", path,
                       (long long)version, FC_MODEL_FORMAT_VERSION);
    if (fc_h5_read_str(f, "spec", m->spec, sizeof m->spec) || fc_h5_read_i64(f, "input_channels", &c) ||
        fc_h5_read_i64(f, "input_height", &h) || fc_h5_read_i64(f, "input_width", &w) || c < 1 || c > FC_MAX_CHANNELS ||
        h < 1 || h > 4096 || w < 1 || w > 4096 ||
        fc_h5_read_str(f, "normalisation_method", m->norm.method, sizeof m->norm.method) ||
        fc_h5_read_f64(f, "normalisation_scale", &m->norm.scale) || !(m->norm.scale > 0.0))
        return fc_fail(err, FC_ERR_FORMAT,
                       "%s: missing or invalid spec, input shape, channel or normalisation attributes", path);
    m->in_c = (int)c;
    m->in_h = (int)h;
    m->in_w = (int)w;
    channels[0] = '\0';
    int rc = fc_h5_read_input_channels(f, m->channel, &m->channels, &m->volumes, channels, sizeof channels);
    char scales[64] = "1";
    if (!fc_h5_read_str(f, "scales", scales, sizeof scales) && fc_scales_parse(scales, &m->scales, NULL))
        return fc_fail(err, FC_ERR_FORMAT, "%s: invalid scales attribute '%s'", path, scales);
    if (rc || m->channels < 1 || m->channels * fc_scales_count(&m->scales) != m->in_c)
        return fc_fail(err, FC_ERR_FORMAT, "%s: channels '%s' at scales %s do not match %d input channels", path,
                       channels, scales, m->in_c);
    fc_h5_read_f64(f, "normalisation_percentile", &m->norm.percentile);
    fc_h5_read_f64(f, "sample_interval_ms", &m->sample_interval_ms);
    m->optimizer = fc_optimizer_default(FC_OPTIMIZER_ADAM);
    if (!fc_h5_read_str(f, "optimizer", opt, sizeof opt) && !strcmp(opt, "sgd"))
        m->optimizer = fc_optimizer_default(FC_OPTIMIZER_SGD);
    fc_h5_read_f64(f, "learning_rate", &m->optimizer.lr);
    fc_h5_read_f64(f, "beta1", &m->optimizer.beta1);
    fc_h5_read_f64(f, "beta2", &m->optimizer.beta2);
    fc_h5_read_f64(f, "epsilon", &m->optimizer.epsilon);
    fc_h5_read_f64(f, "momentum", &m->optimizer.momentum);
    fc_h5_read_f64(f, "weight_decay", &m->optimizer.weight_decay);
    fc_h5_read_i64(f, "step", &step);
    fc_h5_read_i64(f, "frozen_layers", &frozen);
    fc_h5_read_i64(f, "best_epoch", &best);
    if (fc_h5_read_f64(f, "temperature", &m->temperature) || !(m->temperature > 0.0 && m->temperature < 1e6))
        m->temperature = 0.0; /* absent (older models) or not a temperature: T = 1 */
    int64_t seed = 1;
    fc_h5_read_i64(f, "seed", &seed);
    m->seed = (uint64_t)seed;
    m->frozen_layers = (int)frozen;
    m->best_epoch = best;
    fc_h5_read_str(f, "parent_model", m->parent_model, sizeof m->parent_model);
    fc_h5_read_str(f, "data_provenance", m->data_provenance, sizeof m->data_provenance);
    fc_h5_read_str(f, "command_line", m->command_line, sizeof m->command_line);
    if (fc_h5_read_str(f, "training_key", m->training_key, sizeof m->training_key))
        m->training_key[0] = '\0'; /* not recorded */
    fc_h5_read_str(f, "program_version", m->program_version, sizeof m->program_version);
    if (fc_h5_read_classes(f, "classes", &m->classes) || m->classes.count < 2)
        return fc_fail(err, FC_ERR_FORMAT, "%s: missing or malformed /classes (at least 2 needed)", path);
    return FC_OK;
}

/* Read a float dataset of exactly `size` values at loc/name. */
static fc_status read_exact(hid_t loc, const char *group, const char *name, float *dst, int64_t size, const char *path,
                            fc_error *err)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: /%s/%s is missing", path, group, name);
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: /%s/%s cannot be opened", path, group, name);
    hid_t sp = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    H5Sclose(sp);
    fc_status st = FC_OK;
    if (n != size)
        st = fc_fail(err, FC_ERR_FORMAT, "%s: /%s/%s has %lld values; the spec needs %lld (spec and weights disagree)",
                     path, group, name, (long long)n, (long long)size);
    else if (H5Dread(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, dst) < 0)
        st = fc_fail(err, FC_ERR_FORMAT, "%s: /%s/%s cannot be read (file damaged?)", path, group, name);
    H5Dclose(d);
    return st;
}

static fc_status read_layers(hid_t f, fc_net *net, const char *path, fc_error *err)
{
    hid_t g = H5Gopen2(f, "layers", H5P_DEFAULT);
    if (g < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: /layers is missing", path);
    hid_t o = H5Lexists(f, "optimizer", H5P_DEFAULT) > 0 ? H5Gopen2(f, "optimizer", H5P_DEFAULT) : -1;
    fc_status st = FC_OK;
    int expected = 0;
    for (int i = 0; i < fc_net_layer_count(net) && !st; i++) {
        fc_layer_info li;
        fc_net_layer_info(net, i, &li);
        float *p[4], *m[4], *v[4];
        int64_t n[4], ns[4];
        int np = fc_net_layer_params(net, i, p, n);
        if (np == 0)
            continue;
        expected++;
        int nt = fc_net_layer_state(net, i, m, v, ns);
        char name[64], group[80];
        snprintf(name, sizeof name, "%02d_%s", i, li.name);
        snprintf(group, sizeof group, "layers/%s", name);
        if (H5Lexists(g, name, H5P_DEFAULT) <= 0) {
            st = fc_fail(err, FC_ERR_FORMAT, "%s: /layers/%s is missing (spec and weights disagree)", path, name);
            break;
        }
        hid_t lg = H5Gopen2(g, name, H5P_DEFAULT);
        for (int k = 0; k < np && !st; k++)
            st = read_exact(lg, group, param_name(li.kind, k), p[k], n[k], path, err);
        H5Gclose(lg);
        if (o >= 0 && !st && H5Lexists(o, name, H5P_DEFAULT) > 0) {
            hid_t og = H5Gopen2(o, name, H5P_DEFAULT);
            snprintf(group, sizeof group, "optimizer/%s", name);
            for (int k = 0; k < nt && !st; k++) {
                char mn[64], vn[64];
                snprintf(mn, sizeof mn, "m_%s", param_name(li.kind, k));
                snprintf(vn, sizeof vn, "v_%s", param_name(li.kind, k));
                st = read_exact(og, group, mn, m[k], ns[k], path, err);
                if (!st)
                    st = read_exact(og, group, vn, v[k], ns[k], path, err);
            }
            H5Gclose(og);
        }
    }
    if (!st) {
        H5G_info_t info;
        if (H5Gget_info(g, &info) >= 0 && (int)info.nlinks != expected)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: /layers has %d groups; the spec has %d layers with weights", path,
                         (int)info.nlinks, expected);
    }
    if (o >= 0)
        H5Gclose(o);
    H5Gclose(g);
    return st;
}

/* The training history, when the file has a whole one (a series missing or of another length: none); fails only
 * for want of memory, leaving *h empty. */
static fc_status read_history(hid_t f, const char *path, fc_history *h, fc_error *err)
{
    memset(h, 0, sizeof *h);
    if (H5Lexists(f, "history", H5P_DEFAULT) <= 0)
        return FC_OK;
    static const char *names[5] = {"loss", "accuracy", "val_loss", "val_accuracy", "seconds"};
    double *series[5] = {NULL};
    hssize_t n = -1;
    int nomem = 0;
    for (int s = 0; s < 5; s++) {
        char p[64];
        snprintf(p, sizeof p, "history/%s", names[s]);
        if (H5Lexists(f, p, H5P_DEFAULT) <= 0)
            break;
        hid_t d = H5Dopen2(f, p, H5P_DEFAULT);
        hid_t sp = H5Dget_space(d);
        hssize_t k = H5Sget_simple_extent_npoints(sp);
        H5Sclose(sp);
        if (n < 0)
            n = k;
        if (k == n && k > 0 && k < 1000000) {
            series[s] = malloc(sizeof(double) * (size_t)k);
            nomem |= !series[s];
            if (series[s] && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, series[s]) < 0) {
                free(series[s]);
                series[s] = NULL;
            }
        }
        H5Dclose(d);
    }
    int ok = n > 0 && !nomem;
    for (int s = 0; s < 5; s++)
        ok = ok && series[s];
    for (int e = 0; ok && e < n; e++) {
        nomem = fc_history_push(h, series[0][e], series[1][e], series[2][e], series[3][e], series[4][e], NULL) != FC_OK;
        ok = !nomem;
    }
    for (int s = 0; s < 5; s++)
        free(series[s]);
    if (!nomem)
        return FC_OK;
    fc_history_free(h);
    return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory for the training history", path);
}

fc_status fc_model_load(const char *path, int max_batch, int threads, fc_net **out, fc_model_meta *meta, fc_history *h,
                        fc_error *err)
{
    hid_t f;
    fc_status st = fc_h5_open_read(path, "a model", &f, err);
    if (st)
        return st;
    fc_model_meta m;
    st = read_meta(f, path, &m, err);
    fc_net *net = NULL;
    if (!st) {
        fc_net_config cfg = {.spec = m.spec,
                             .in_c = m.in_c,
                             .in_h = m.in_h,
                             .in_w = m.in_w,
                             .classes = m.classes.count,
                             .max_batch = max_batch,
                             .threads = threads,
                             .seed = m.seed};
        fc_model_net_scales(&cfg, &m.scales);
        st = fc_net_create(&net, &cfg, err);
        if (st == FC_ERR_ARGUMENT)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: its spec '%s' does not build: %s", path, m.spec, err->message);
    }
    if (!st)
        st = read_layers(f, net, path, err);
    if (!st) {
        int64_t step = 0;
        fc_h5_read_i64(f, "step", &step);
        fc_net_set_steps(net, step);
        fc_net_freeze(net, m.frozen_layers);
        if (h)
            st = read_history(f, path, h, err);
    }
    H5Fclose(f);
    if (st) {
        fc_net_destroy(net);
        return st;
    }
    *out = net;
    if (meta)
        *meta = m;
    return FC_OK;
}
