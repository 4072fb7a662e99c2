/* patches.h5: its attributes (the patches' size, channels, scales, normalisation, classes and history), read,
 * written, and merged when a run appends to a dataset. */
#include "h5_patches_meta.h"

#include <stdio.h>
#include <string.h>

#include "fail.h"

size_t fc_patches_floats(const fc_patches_meta *m)
{
    return (size_t)fc_patches_planes(m) * (size_t)m->height * (size_t)m->width;
}

int fc_patches_planes(const fc_patches_meta *m)
{
    return m->channels * fc_scales_count(&m->scales);
}

fc_status fc_patches_meta_read(hid_t f, const char *path, fc_patches_meta *m, fc_error *err)
{
    memset(m, 0, sizeof *m);
    int64_t version = 0, h = 0, w = 0, size = 0;
    char channels[FC_MAX_CHANNELS * 48];
    if (fc_h5_read_i64(f, "format_version", &version) || version < 1 || version > FC_PATCHES_FORMAT_VERSION)
        return fc_fail(err, FC_ERR_FORMAT, "%s: not a facies patch dataset (format_version %lld, expected 1..%d)", path,
                       (long long)version, FC_PATCHES_FORMAT_VERSION);
    if (fc_h5_read_i64(f, "patch_height", &h) || fc_h5_read_i64(f, "patch_width", &w) || h < 1 || w < 1 || h > 4096 ||
        w > 4096 || fc_h5_read_str(f, "normalisation_method", m->norm.method, sizeof m->norm.method) ||
        fc_h5_read_f64(f, "normalisation_percentile", &m->norm.percentile) ||
        fc_h5_read_f64(f, "normalisation_scale", &m->norm.scale) || !(m->norm.scale > 0.0))
        return fc_fail(err, FC_ERR_FORMAT, "%s: missing or invalid patch-size, channel or normalisation attributes",
                       path);
    m->height = (int)h;
    m->width = (int)w;
    int rc = fc_h5_read_input_channels(f, m->channel, &m->channels, &m->volumes, channels, sizeof channels);
    if (rc == -1)
        return fc_fail(err, FC_ERR_FORMAT, "%s: missing channels attribute", path);
    if (rc)
        return fc_fail(err, FC_ERR_FORMAT, "%s: unknown channels '%s', or volume attributes that do not match them",
                       path, channels);
    char scales[64];
    if (!fc_h5_read_str(f, "scales", scales, sizeof scales) && fc_scales_parse(scales, &m->scales, NULL))
        return fc_fail(err, FC_ERR_FORMAT, "%s: invalid scales attribute '%s'", path, scales);
    fc_h5_read_f64(f, "sample_interval_ms", &m->sample_interval_ms);
    fc_h5_read_str(f, "source_survey", m->survey_path, sizeof m->survey_path);
    if (!fc_h5_read_i64(f, "source_survey_size", &size))
        m->survey_size = size;
    fc_h5_read_str(f, "source_survey_hash", m->survey_hash, sizeof m->survey_hash);
    fc_h5_read_str(f, "label_sources", m->label_sources, sizeof m->label_sources);
    fc_h5_read_str(f, "command_line", m->command_line, sizeof m->command_line);
    fc_h5_read_str(f, "program_version", m->program_version, sizeof m->program_version);
    if (fc_h5_read_classes(f, "classes", &m->classes))
        return fc_fail(err, FC_ERR_FORMAT, "%s: missing or malformed /classes", path);
    hid_t d = H5Dopen2(f, "patches", H5P_DEFAULT);
    int bad = d < 0 || fc_h5_patch_dtype_of(d, &m->dtype);
    if (d >= 0)
        H5Dclose(d);
    if (bad)
        return fc_fail(err, FC_ERR_FORMAT, "%s: /patches is missing or not float32, float16 or int8", path);
    return FC_OK;
}

int fc_patches_meta_write(hid_t f, const fc_patches_meta *m)
{
    int rc = 0;
    rc |= fc_h5_write_i64(f, "format_version", FC_PATCHES_FORMAT_VERSION);
    rc |= fc_h5_write_i64(f, "patch_height", m->height);
    rc |= fc_h5_write_i64(f, "patch_width", m->width);
    rc |= fc_h5_write_input_attrs(f, m->channel, m->channels, &m->volumes, &m->norm, m->sample_interval_ms);
    if (fc_scales_count(&m->scales) > 1) {
        char scales[64];
        fc_scales_format(&m->scales, scales, sizeof scales);
        rc |= fc_h5_write_str(f, "scales", scales);
    }
    rc |= fc_h5_write_str(f, "source_survey", m->survey_path);
    rc |= fc_h5_write_i64(f, "source_survey_size", m->survey_size);
    rc |= fc_h5_write_str(f, "source_survey_hash", m->survey_hash);
    rc |= fc_h5_write_str(f, "label_sources", m->label_sources);
    rc |= fc_h5_write_str(f, "command_line", m->command_line);
    rc |= fc_h5_write_str(f, "program_version", m->program_version);
    rc |= fc_h5_write_classes(f, "classes", &m->classes);
    return rc;
}

fc_status fc_patches_read_meta(const char *path, fc_patches_meta *out, fc_error *err)
{
    hid_t f;
    fc_status st = fc_h5_open_read(path, "a patch dataset", &f, err);
    if (st)
        return st;
    st = fc_patches_meta_read(f, path, out, err);
    H5Fclose(f);
    return st;
}

/* Join two newline-separated histories into dst (truncating at the end). */
static void append_line(char *dst, size_t size, const char *line)
{
    size_t n = strlen(dst);
    if (n && n < size - 1)
        dst[n++] = '\n';
    snprintf(dst + n, size - n, "%s", line);
}

fc_status fc_patches_meta_merge(hid_t f, const char *path, const fc_patches_meta *add, fc_patches_meta *out,
                                fc_error *err)
{
    fc_patches_meta old;
    fc_status st = fc_patches_meta_read(f, path, &old, err);
    if (st)
        return st;
    char a[FC_MAX_CHANNELS * 48], b[FC_MAX_CHANNELS * 48];
    fc_channel_names_format(old.channel, old.channels, &old.volumes, a, sizeof a);
    fc_channel_names_format(add->channel, add->channels, &add->volumes, b, sizeof b);
    if (old.height != add->height || old.width != add->width)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: holds %d x %d patches; cannot append %d x %d patches (use --patch %d)", path, old.height,
                       old.width, add->height, add->width, old.height);
    if (strcmp(a, b))
        return fc_fail(err, FC_ERR_MISMATCH, "%s: holds channels '%s'; cannot append channels '%s'", path, a, b);
    fc_scales_format(&old.scales, a, sizeof a);
    fc_scales_format(&add->scales, b, sizeof b);
    if (strcmp(a, b))
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: holds patches at scales %s; cannot append scales %s (use --scales %s)", path, a, b, a);
    if (strcmp(old.norm.method, add->norm.method))
        return fc_fail(err, FC_ERR_MISMATCH, "%s: normalised by '%s'; cannot append patches normalised by '%s'", path,
                       old.norm.method, add->norm.method);
    if (add->dtype != FC_PATCH_DTYPE_AUTO && add->dtype != old.dtype)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: stores patches as %s; cannot append %s patches (leave --dtype out to keep %s, or ingest "
                       "into a new --out)",
                       path, fc_patch_dtype_name(old.dtype), fc_patch_dtype_name(add->dtype),
                       fc_patch_dtype_name(old.dtype));
    fc_patches_meta m = old;
    for (int i = 0; i < add->classes.count; i++) {
        if (fc_classes_find(&m.classes, add->classes.c[i].code) >= 0)
            continue;
        if (m.classes.count == FC_MAX_CLASSES)
            return fc_fail(err, FC_ERR_FORMAT, "%s: more than %d classes", path, FC_MAX_CLASSES);
        m.classes.c[m.classes.count++] = add->classes.c[i];
    }
    append_line(m.label_sources, sizeof m.label_sources, add->label_sources);
    append_line(m.command_line, sizeof m.command_line, add->command_line);
    snprintf(m.program_version, sizeof m.program_version, "%s", add->program_version);
    *out = m;
    return FC_OK;
}
