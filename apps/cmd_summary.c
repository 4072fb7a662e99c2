/* facies summary: a Keras-style table of a model's layers, shapes and parameters. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_files.h"

static const char help[] = "usage: facies summary MODEL.h5\n\n"
                           "Print the model's layers (name, type, output shape, parameters), the totals\n"
                           "(trainable and not), its input, classes, normalisation and training history.\n\n"
                           "options:\n"
                           "  --help    this text\n";

static const char *keras_type(fc_layer_kind k)
{
    switch (k) {
    case FC_LAYER_CONV: return "Conv2D";
    case FC_LAYER_MAXPOOL: return "MaxPooling2D";
    case FC_LAYER_AVGPOOL: return "AveragePooling2D";
    case FC_LAYER_BATCHNORM: return "BatchNormalization";
    case FC_LAYER_DROPOUT: return "Dropout";
    case FC_LAYER_FLATTEN: return "Flatten";
    case FC_LAYER_GAP: return "GlobalAveragePooling2D";
    case FC_LAYER_DENSE: return "Dense";
    }
    return "?";
}

/* 683398 -> "683,398" */
static void grouped(long long v, char *buf, size_t n)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%lld", v);
    size_t len = strlen(raw), at = 0;
    for (size_t i = 0; i < len && at + 2 < n; i++) {
        buf[at++] = raw[i];
        if ((len - i - 1) % 3 == 0 && i + 1 < len)
            buf[at++] = ',';
    }
    buf[at] = '\0';
}

/* With volumes beside the survey: each channel, its volume's source and the scale it was normalised by (apply
 * takes the volumes by these names: --volume NAME=FILE). */
static void print_channels(const fc_model_meta *m)
{
    if (m->volumes.count <= 1)
        return;
    printf("channels (apply takes the volumes as SURVEY.sgy");
    for (int v = 1; v < m->volumes.count; v++)
        printf(" --volume %s=FILE", m->volumes.v[v].name);
    printf("):\n");
    for (int c = 0; c < m->channels; c++) {
        int v = fc_channel_volume(c, m->channels, &m->volumes);
        const fc_volume_ref *r = &m->volumes.v[v];
        char kind[32];
        fc_channels_format(&m->channel[c], 1, kind, sizeof kind);
        printf("  %2d  %-10s %-10s scale %-10g %s%s%s%s\n", c, r->name, kind,
               fc_channel_scale(c, m->channel, m->channels, &m->volumes), r->path, r->hash[0] ? " (fingerprint " : "",
               r->hash, r->hash[0] ? ")" : "");
    }
}

void summary_print(fc_net *net, const fc_model_meta *m, const char *title)
{
    const char *rule = "_________________________________________________________________";
    printf("Model: \"%s\"\n%s\n Layer (type)                Output Shape              Param #\n", title, rule);
    printf("=================================================================\n");
    int nl = fc_net_layer_count(net);
    for (int i = 0; i < nl; i++) {
        fc_layer_info li;
        fc_net_layer_info(net, i, &li);
        char name[64], shape[64], params[32];
        snprintf(name, sizeof name, "%s (%s)", li.name, keras_type(li.kind));
        if (li.out_h == 1 && li.out_w == 1 &&
            (li.kind == FC_LAYER_DENSE || li.kind == FC_LAYER_FLATTEN || li.kind == FC_LAYER_GAP || li.in_h == 1))
            snprintf(shape, sizeof shape, "(None, %d)", li.out_c);
        else
            snprintf(shape, sizeof shape, "(None, %d, %d, %d)", li.out_h, li.out_w, li.out_c);
        grouped(li.params, params, sizeof params);
        printf(" %-27s %-25s %s%s\n", name, shape, params, li.has_weights && !li.trainable ? " (frozen)" : "");
        if (i + 1 < nl)
            printf("\n");
    }
    int64_t trainable, total = fc_net_param_count(net, &trainable);
    char a[32], b[32], c[32];
    grouped(total, a, sizeof a);
    grouped(trainable, b, sizeof b);
    grouped(total - trainable, c, sizeof c);
    printf("=================================================================\n");
    printf("Total params: %s\nTrainable params: %s\nNon-trainable params: %s\n%s\n", a, b, c, rule);
    if (m) {
        char ch[FC_MAX_CHANNELS * 48];
        fc_channel_names_format(m->channel, m->channels, &m->volumes, ch, sizeof ch);
        printf("input: %d x %d x %d (%s), normalisation %s p%g = %g\n", m->in_c, m->in_h, m->in_w, ch, m->norm.method,
               m->norm.percentile, m->norm.scale);
        print_channels(m);
        if (fc_scales_count(&m->scales) > 1) {
            char sc[64];
            fc_scales_format(&m->scales, sc, sizeof sc);
            printf("scales: %s (one tower of the layers up to flatten per scale, names ending _x<factor>; the head "
                   "reads their features side by side)\n",
                   sc);
        }
        printf("classes:");
        for (int i = 0; i < m->classes.count; i++)
            printf(" %d %s%s", (int)m->classes.c[i].code, m->classes.c[i].name, i + 1 < m->classes.count ? "," : "");
        printf("\nspec: %s\n", m->spec);
        if (m->parent_model[0])
            printf("fine-tuned from: %s\n", m->parent_model);
        if (m->temperature > 0.0)
            printf("calibration: temperature %.4f (apply divides the logits by it)\n", m->temperature);
        else
            printf("calibration: none (temperature 1)\n");
    }
}

int cmd_summary(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == 'h') {
            cli_help(help);
            return EXIT_OK;
        }
        return cli_usage_error("summary", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind != argc - 1)
        return cli_usage_error("summary", "expected one model file");
    int rc = cli_files_check_one("summary", "facies summary MODEL.h5", argv[optind], FC_FILE_KIND_MODEL, "a model");
    if (rc)
        return rc;
    fc_error err;
    fc_error_clear(&err);
    fc_net *net = NULL;
    fc_model_meta m;
    fc_history h;
    if (fc_model_load(argv[optind], 1, 1, &net, &m, &h, &err))
        return cli_fail(&err);
    summary_print(net, &m, argv[optind]);
    if (h.n > 0) {
        int best = m.best_epoch > 0 ? (int)m.best_epoch - 1 : h.n - 1;
        printf("history: %d epochs; best epoch %d: loss %.4f accuracy %.4f val_loss %.4f val_accuracy %.4f\n", h.n,
               best + 1, h.loss[best], h.accuracy[best], h.val_loss[best], h.val_accuracy[best]);
    }
    fc_history_free(&h);
    fc_net_destroy(net);
    return EXIT_OK;
}
