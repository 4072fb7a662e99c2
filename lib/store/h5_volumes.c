/* The input volumes of patches.h5 and model.h5 as attributes (volumes.h): written only beside a survey's own
 * channels when there are more volumes, so that a one-volume file reads as it always did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5_util.h"

/* Exactly n values, or -1. */
static int read_array(hid_t obj, const char *name, hid_t mem, int n, void *v)
{
    if (H5Aexists(obj, name) <= 0)
        return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t sp = H5Aget_space(a);
    int rc = H5Sget_simple_extent_npoints(sp) == n && H5Aread(a, mem, v) >= 0 ? 0 : -1;
    H5Sclose(sp);
    H5Aclose(a);
    return rc;
}

int fc_h5_write_input_attrs(hid_t obj, const fc_channel *channel, int channels, const fc_volume_list *vl,
                            const fc_normalisation *norm, double sample_interval_ms)
{
    char names[FC_MAX_CHANNELS * 48];
    fc_channel_names_format(channel, channels, vl, names, sizeof names);
    int rc = fc_h5_write_str(obj, "channels", names);
    rc |= fc_h5_write_str(obj, "normalisation_method", norm->method);
    rc |= fc_h5_write_f64(obj, "normalisation_percentile", norm->percentile);
    rc |= fc_h5_write_f64(obj, "normalisation_scale", norm->scale);
    rc |= fc_h5_write_f64(obj, "sample_interval_ms", sample_interval_ms);
    if (vl->count <= 1)
        return rc;
    char list[FC_MAX_VOLUMES * 1040], hashes[FC_MAX_VOLUMES * 40];
    double scales[FC_MAX_VOLUMES], cscales[FC_MAX_CHANNELS];
    int64_t sizes[FC_MAX_VOLUMES];
    fc_volume_names_format(vl, list, sizeof list);
    rc |= fc_h5_write_str(obj, "volumes", list);
    list[0] = hashes[0] = '\0';
    for (int v = 0; v < vl->count; v++) {
        size_t a = strlen(list), b = strlen(hashes);
        snprintf(list + a, sizeof list - a, "%s%s", v ? "\n" : "", vl->v[v].path);
        snprintf(hashes + b, sizeof hashes - b, "%s%s", v ? "," : "", vl->v[v].hash);
        scales[v] = vl->v[v].scale;
        sizes[v] = vl->v[v].size;
    }
    for (int c = 0; c < channels; c++)
        cscales[c] = fc_channel_scale(c, channel, channels, vl);
    rc |= fc_h5_write_str(obj, "volume_sources", list);
    rc |= fc_h5_write_str(obj, "volume_hashes", hashes);
    rc |= fc_h5_write_array(obj, "volume_sizes", H5T_NATIVE_INT64, vl->count, sizes);
    rc |= fc_h5_write_array(obj, "volume_scales", H5T_NATIVE_DOUBLE, vl->count, scales);
    rc |= fc_h5_write_array(obj, "channel_scales", H5T_NATIVE_DOUBLE, channels, cscales);
    return rc;
}

/* Split a separated list into the volumes' field (at most size bytes each). */
static void split_into(const char *list, char sep, fc_volume_list *vl, int hashes)
{
    const char *p = list;
    for (int v = 0; v < vl->count && p; v++) {
        const char *e = strchr(p, sep);
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *dst = hashes ? vl->v[v].hash : vl->v[v].path;
        size_t size = hashes ? sizeof vl->v[v].hash : sizeof vl->v[v].path;
        snprintf(dst, size, "%.*s", (int)(len < size ? len : size - 1), p);
        p = e ? e + 1 : NULL;
    }
}

int fc_h5_read_input_channels(hid_t obj, fc_channel *channel, int *channels, fc_volume_list *vl, char *text, size_t n)
{
    if (fc_h5_read_str(obj, "channels", text, n))
        return -1;
    if (fc_channel_names_parse(text, channel, FC_MAX_CHANNELS, vl, channels, NULL))
        return -2;
    double scale = 0.0;
    fc_h5_read_f64(obj, "normalisation_scale", &scale);
    vl->v[0].scale = scale;
    if (vl->count == 1)
        return 0;
    char names[FC_MAX_VOLUMES * 40], want[FC_MAX_VOLUMES * 40];
    double scales[FC_MAX_VOLUMES];
    int64_t sizes[FC_MAX_VOLUMES];
    fc_volume_names_format(vl, want, sizeof want);
    if (fc_h5_read_str(obj, "volumes", names, sizeof names) || strcmp(names, want) ||
        read_array(obj, "volume_scales", H5T_NATIVE_DOUBLE, vl->count, scales))
        return -2;
    for (int v = 0; v < vl->count; v++) {
        if (!(scales[v] > 0.0))
            return -2;
        vl->v[v].scale = scales[v];
    }
    if (!read_array(obj, "volume_sizes", H5T_NATIVE_INT64, vl->count, sizes))
        for (int v = 0; v < vl->count; v++)
            vl->v[v].size = sizes[v];
    char *list = malloc(FC_MAX_VOLUMES * 1040);
    if (list && !fc_h5_read_str(obj, "volume_sources", list, FC_MAX_VOLUMES * 1040))
        split_into(list, '\n', vl, 0);
    if (list && !fc_h5_read_str(obj, "volume_hashes", list, FC_MAX_VOLUMES * 40))
        split_into(list, ',', vl, 1);
    free(list);
    return 0;
}
