/* The probability volume of apply, read back trace by trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "h5_util.h"
#include "probs_store.h"

struct fc_probs_reader {
    hid_t file, data;
    char *path;
    fc_probs_info info;
    int32_t *il, *xl;
    unsigned char *bytes; /* one trace of a uint8 volume */
};

/* A 1-D int32 dataset of exactly n values into *out (a new array): 0, or -1 when missing or of another size, -2
 * when out of memory. */
static int read_numbers(hid_t f, const char *name, int n, int32_t **out)
{
    if (H5Lexists(f, name, H5P_DEFAULT) <= 0)
        return -1;
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    int rc = H5Sget_simple_extent_npoints(sp) == n ? 0 : -1;
    H5Sclose(sp);
    int32_t *v = rc ? NULL : malloc(sizeof(int32_t) * (size_t)(n > 0 ? n : 1));
    rc = rc ? rc : v ? 0 : -2;
    if (!rc && H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        rc = -1;
    H5Dclose(d);
    if (rc)
        free(v);
    else
        *out = v;
    return rc;
}

static fc_status shape(fc_probs_reader *r, fc_error *err)
{
    /* A chunk cache that holds a whole chunk (a section) up to 64 MB, so that reading a section's traces one by
     * one reads the chunk once; chunks are not compressed, so a larger one is read piecewise, trace by trace. */
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    H5Pset_chunk_cache(dapl, 521, (size_t)64 << 20, 1.0);
    if (H5Lexists(r->file, "probabilities", H5P_DEFAULT) > 0)
        r->data = H5Dopen2(r->file, "probabilities", dapl);
    H5Pclose(dapl);
    if (r->data < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: no /probabilities: not a probability volume of facies apply", r->path);
    hid_t sp = H5Dget_space(r->data);
    hsize_t dims[4] = {0, 0, 0, 0};
    int rank = H5Sget_simple_extent_ndims(sp);
    if (rank == 4)
        H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    hid_t cp = H5Dget_create_plist(r->data);
    hsize_t chunk[4] = {1, 1, 1, 1};
    if (cp >= 0 && H5Pget_layout(cp) == H5D_CHUNKED)
        H5Pget_chunk(cp, 4, chunk);
    if (cp >= 0)
        H5Pclose(cp);
    r->info.chunk_crossline = chunk[0] > 1 && chunk[1] == 1;
    if (rank != 4 || dims[0] < 1 || dims[1] < 1 || dims[2] < 1 || dims[3] < 2 || dims[0] > INT32_MAX ||
        dims[1] > INT32_MAX || dims[2] > INT32_MAX || dims[3] > FC_MAX_CLASSES)
        return fc_fail(err, FC_ERR_FORMAT, "%s: /probabilities is not [inlines][crosslines][samples][classes]",
                       r->path);
    fc_probs_info *in = &r->info;
    in->n_il = (int)dims[0];
    in->n_xl = (int)dims[1];
    in->ns = (int)dims[2];
    in->classes = (int)dims[3];
    int64_t q = 0;
    fc_h5_read_i64(r->file, "quantised", &q);
    in->u8 = q != 0;
    fc_h5_read_f64(r->file, "sample_interval_ms", &in->dt_ms);
    fc_h5_read_f64(r->file, "start_time_ms", &in->t0_ms);
    fc_h5_read_str(r->file, "model", in->model, sizeof in->model);
    fc_h5_read_str(r->file, "survey", in->survey, sizeof in->survey);
    int a = read_numbers(r->file, "inline_numbers", in->n_il, &r->il);
    int b = a ? a : read_numbers(r->file, "crossline_numbers", in->n_xl, &r->xl);
    in->il_numbers = r->il;
    in->xl_numbers = r->xl;
    if (a == -2 || b == -2)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", r->path);
    if (a || b)
        return fc_fail(err, FC_ERR_FORMAT, "%s: /inline_numbers or /crossline_numbers missing or of another size",
                       r->path);
    if (fc_h5_read_classes(r->file, "classes", &in->classes_info) || in->classes_info.count != in->classes)
        return fc_fail(err, FC_ERR_FORMAT, "%s: /classes missing or not one per probability (%d)", r->path,
                       in->classes);
    r->bytes = malloc((size_t)in->ns * (size_t)in->classes);
    return r->bytes ? FC_OK : fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", r->path);
}

fc_status fc_probs_reader_open(fc_probs_reader **out, const char *path, fc_error *err)
{
    fc_probs_reader *r = calloc(1, sizeof *r);
    if (!r)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    r->file = r->data = -1;
    r->path = strdup(path);
    fc_status st = r->path ? fc_h5_open_read(path, "a probability volume", &r->file, err)
                           : fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    if (!st)
        st = shape(r, err);
    if (st) {
        fc_probs_reader_close(r);
        return st;
    }
    *out = r;
    return FC_OK;
}

const fc_probs_info *fc_probs_reader_info(const fc_probs_reader *r)
{
    return &r->info;
}

fc_status fc_probs_reader_trace(fc_probs_reader *r, int i, int j, float *out, fc_error *err)
{
    const fc_probs_info *in = &r->info;
    hsize_t start[4] = {(hsize_t)i, (hsize_t)j, 0, 0}, count[4] = {1, 1, (hsize_t)in->ns, (hsize_t)in->classes};
    hid_t fs = H5Dget_space(r->data);
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    hid_t ms = H5Screate_simple(4, count, NULL);
    herr_t rc = H5Dread(r->data, in->u8 ? H5T_NATIVE_UCHAR : H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT,
                        in->u8 ? (void *)r->bytes : (void *)out);
    H5Sclose(ms);
    H5Sclose(fs);
    if (rc < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: cannot read the probabilities of inline %d crossline %d (damaged?)",
                       r->path, (int)r->il[i], (int)r->xl[j]);
    size_t n = (size_t)in->ns * (size_t)in->classes;
    for (size_t k = 0; in->u8 && k < n; k++)
        out[k] = (float)r->bytes[k] / 255.0f;
    return FC_OK;
}

void fc_probs_reader_close(fc_probs_reader *r)
{
    if (!r)
        return;
    if (r->data >= 0)
        H5Dclose(r->data);
    if (r->file >= 0)
        H5Fclose(r->file);
    free(r->il);
    free(r->xl);
    free(r->bytes);
    free(r->path);
    free(r);
}
