#include "facies/train.h"

#include <stdio.h>
#include <string.h>

#include "folder.h"

fc_train_options fc_train_options_default(void)
{
    fc_train_options o;
    memset(&o, 0, sizeof o);
    o.epochs = 30;
    o.batch = 32;
    o.optimizer = fc_optimizer_default(FC_OPTIMIZER_ADAM);
    o.patience = 5;
    o.val_fraction = 0.2;
    o.seed = 1;
    o.memory_mb = 1024;
    return o;
}

void fc_default_arch(int h, int w, char *buf, size_t size)
{
    static const int filters[3] = {32, 64, 128};
    char spec[256] = "";
    int blocks = 0;
    /* Each block is a valid 3x3 conv and a 2x2 pool; keep at least 2x2 after it. */
    while (blocks < 3 && (h - 2) / 2 >= 2 && (w - 2) / 2 >= 2) {
        snprintf(spec + strlen(spec), sizeof spec - strlen(spec), "conv%d-pool-", filters[blocks]);
        h = (h - 2) / 2;
        w = (w - 2) / 2;
        blocks++;
    }
    if (blocks == 0)
        snprintf(spec, sizeof spec, "conv16k1-");
    snprintf(buf, size, "%sflatten-dense128-dropout0.5-dense", spec);
}

fc_status fc_train_side_path(const char *out, const char *suffix, char *buf, size_t size, fc_error *err)
{
    size_t n = strlen(out);
    if (n > 3 && !strcmp(out + n - 3, ".h5"))
        n -= 3;
    return fc_path_format(buf, size, err, "%.*s%s", (int)n, out, suffix);
}
