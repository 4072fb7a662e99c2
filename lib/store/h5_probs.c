/* The probability volume of apply. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/files.h"
#include "fail.h"
#include "h5_util.h"
#include "probs_store.h"

struct fc_probs {
    hid_t file, data;
    char *path, *partial;
    fc_probs_shape s;
    void *buf; /* one section, [width][ns][classes] */
    int committed;
};

static int write_i32_vector(hid_t f, const char *name, const int32_t *v, int n)
{
    hsize_t dims[1] = {(hsize_t)n};
    hid_t sp = H5Screate_simple(1, dims, NULL);
    hid_t d = H5Dcreate2(f, name, H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = d >= 0 && H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0 ? 0 : -1;
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(sp);
    return rc;
}

static fc_status create(fc_probs *p, fc_error *err)
{
    const fc_probs_shape *s = &p->s;
    p->file = fc_h5_create_resumable(p->partial);
    if (p->file < 0)
        return fc_h5_create_failed(p->partial, err);
    hsize_t dims[4] = {(hsize_t)s->n_il, (hsize_t)s->n_xl, (hsize_t)s->ns, (hsize_t)s->classes};
    hsize_t chunk[4] = {s->chunk_orientation == FC_ORIENTATION_CROSSLINE ? (hsize_t)s->n_il : 1,
                        s->chunk_orientation == FC_ORIENTATION_CROSSLINE ? 1 : (hsize_t)s->n_xl, (hsize_t)s->ns,
                        (hsize_t)s->classes};
    hid_t sp = H5Screate_simple(4, dims, NULL);
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, 4, chunk);
    /* Every chunk has its place from the start: writing a section never changes metadata, so what was flushed
     * stays whole if the process is killed. */
    H5Pset_alloc_time(pl, H5D_ALLOC_TIME_EARLY);
    H5Pset_fill_time(pl, H5D_FILL_TIME_NEVER);
    p->data =
        H5Dcreate2(p->file, "probabilities", s->u8 ? H5T_STD_U8LE : H5T_IEEE_F32LE, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    H5Pclose(pl);
    H5Sclose(sp);
    char orientation[16];
    snprintf(orientation, sizeof orientation, "%s",
             s->chunk_orientation == FC_ORIENTATION_CROSSLINE ? "crossline" : "inline");
    int rc = p->data < 0;
    rc |= write_i32_vector(p->file, "inline_numbers", s->il_numbers, s->n_il);
    rc |= write_i32_vector(p->file, "crossline_numbers", s->xl_numbers, s->n_xl);
    rc |= fc_h5_write_classes(p->file, "classes", s->classes_info);
    rc |= fc_h5_write_i64(p->file, "quantised", s->u8);
    rc |= fc_h5_write_f64(p->file, "sample_interval_ms", s->dt_ms);
    rc |= fc_h5_write_f64(p->file, "start_time_ms", s->t0_ms);
    rc |= fc_h5_write_str(p->file, "model", s->model ? s->model : "");
    rc |= fc_h5_write_str(p->file, "survey", s->survey ? s->survey : "");
    rc |= fc_h5_write_str(p->file, "orientation", orientation);
    if (rc)
        return fc_fail(err, FC_ERR_IO, "%s: cannot create the probability datasets", p->partial);
    return FC_OK;
}

fc_status fc_probs_open(fc_probs **out, const char *path, const fc_probs_shape *s, int reopen, fc_error *err)
{
    fc_h5_quiet();
    fc_probs *p = calloc(1, sizeof *p);
    if (!p)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    p->file = p->data = -1;
    p->s = *s;
    size_t n = strlen(path) + sizeof ".partial";
    p->path = strdup(path);
    p->partial = malloc(n);
    int width = s->n_il > s->n_xl ? s->n_il : s->n_xl;
    p->buf = malloc((size_t)width * (size_t)s->ns * (size_t)s->classes * (s->u8 ? 1 : sizeof(float)));
    fc_status st = p->path && p->partial && p->buf ? FC_OK : fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    if (!st) {
        fc_partial_name(path, p->partial, n);
        if (reopen) {
            p->file = H5Fopen(p->partial, H5F_ACC_RDWR, H5P_DEFAULT);
            p->data = p->file >= 0 ? H5Dopen2(p->file, "probabilities", H5P_DEFAULT) : -1;
            if (p->data < 0)
                st = fc_fail(err, FC_ERR_FORMAT, "%s: cannot reopen to resume (remove it and start again)", p->partial);
        } else {
            st = create(p, err);
        }
    }
    if (st) {
        fc_probs_destroy(p, reopen);
        return st;
    }
    *out = p;
    return FC_OK;
}

fc_status fc_probs_put(fc_probs *p, fc_orientation o, int line, int width, const float *probs, fc_error *err)
{
    int ns = p->s.ns, K = p->s.classes;
    /* [K][ns][width] -> [width][ns][K] */
    for (int t = 0; t < width; t++)
        for (int k = 0; k < ns; k++)
            for (int c = 0; c < K; c++) {
                float v = probs[((size_t)c * ns + k) * width + t];
                size_t at = ((size_t)t * ns + k) * K + c;
                if (p->s.u8)
                    ((unsigned char *)p->buf)[at] = (unsigned char)lrintf(fminf(fmaxf(v, 0.0f), 1.0f) * 255.0f);
                else
                    ((float *)p->buf)[at] = v;
            }
    hsize_t start[4] = {0, 0, 0, 0}, count[4] = {1, 1, (hsize_t)ns, (hsize_t)K};
    if (o == FC_ORIENTATION_CROSSLINE) {
        start[1] = (hsize_t)line;
        count[0] = (hsize_t)width;
    } else {
        start[0] = (hsize_t)line;
        count[1] = (hsize_t)width;
    }
    hid_t fs = H5Dget_space(p->data);
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    hid_t ms = H5Screate_simple(4, count, NULL);
    herr_t rc = H5Dwrite(p->data, p->s.u8 ? H5T_NATIVE_UCHAR : H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, p->buf);
    H5Sclose(ms);
    H5Sclose(fs);
    if (rc < 0)
        return fc_fail(err, FC_ERR_IO, "%s: writing section %d failed (disk full?)", p->partial, line);
    return FC_OK;
}

fc_status fc_probs_flush(fc_probs *p, fc_error *err)
{
    if (H5Fflush(p->file, H5F_SCOPE_LOCAL) < 0)
        return fc_fail(err, FC_ERR_IO, "%s: flush failed (disk full?)", p->partial);
    return FC_OK;
}

fc_status fc_probs_finish(fc_probs *p, fc_error *err)
{
    H5Dclose(p->data);
    p->data = -1;
    herr_t rc = H5Fclose(p->file);
    p->file = -1;
    if (rc < 0)
        return fc_fail(err, FC_ERR_IO, "%s: closing failed (disk full?)", p->partial);
    return FC_OK;
}

fc_status fc_probs_publish(fc_probs *p, fc_error *err)
{
    if (rename(p->partial, p->path) != 0)
        return fc_fail(err, FC_ERR_IO, "%s: cannot rename to %s", p->partial, p->path);
    p->committed = 1;
    return FC_OK;
}

void fc_probs_destroy(fc_probs *p, int keep_partial)
{
    if (!p)
        return;
    if (p->data >= 0)
        H5Dclose(p->data);
    if (p->file >= 0)
        H5Fclose(p->file);
    if (!p->committed && !keep_partial && p->partial)
        remove(p->partial);
    free(p->buf);
    free(p->path);
    free(p->partial);
    free(p);
}
