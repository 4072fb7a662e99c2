/* libFuzzer target: any bytes as a model file or a patch dataset. */
#include "facies/facies.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    fc_error err;
    fc_net *net = NULL;
    fc_model_meta m;
    if (fc_model_load(path, 2, 1, &net, &m, NULL, &err) == FC_OK)
        fc_net_destroy(net);
    fc_patches *p = NULL;
    if (fc_patches_open(&p, path, &err) == FC_OK) {
        float patch[4096];
        int32_t label, pos[4];
        const fc_patches_meta *pm = fc_patches_get_meta(p);
        if (fc_patches_count(p) > 0 && (size_t)pm->channels * pm->height * pm->width <= 4096)
            fc_patches_read(p, 0, 1, patch, &label, pos, &err);
        fc_patches_close(p);
    }
    close(fd);
    return 0;
}
