/* patches.h5: the labelled patch dataset, read (its writer is h5_patches_writer.c, its attributes
 * h5_patches_meta.c). */
#include "h5_patches.h"

#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "h5_patches_meta.h"

struct fc_patches {
    hid_t file, dpatch, dlabel, dpos;
    char *path;
    fc_patches_meta meta;
    float scale; /* what a stored int8 is worth (1 for the float types) */
    int64_t n;
};

static int dims_of(hid_t d, int rank, hsize_t *dims)
{
    hid_t sp = H5Dget_space(d);
    int r = H5Sget_simple_extent_ndims(sp);
    if (r == rank)
        H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    return r == rank ? 0 : -1;
}

fc_status fc_patches_open(fc_patches **out, const char *path, fc_error *err)
{
    fc_patches *p = calloc(1, sizeof *p);
    if (!p)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    p->dpatch = p->dlabel = p->dpos = -1;
    p->path = strdup(path);
    fc_status st = p->path ? FC_OK : fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    p->file = -1;
    if (!st)
        st = fc_h5_open_read(path, "a patch dataset", &p->file, err);
    if (!st)
        st = fc_patches_meta_read(p->file, path, &p->meta, err);
    if (!st) {
        p->dpatch = H5Dopen2(p->file, "patches", H5P_DEFAULT);
        p->dlabel = H5Dopen2(p->file, "labels", H5P_DEFAULT);
        p->dpos = H5Dopen2(p->file, "positions", H5P_DEFAULT);
        hsize_t dp[4], dl[1], dq[2];
        if (p->dpatch < 0 || p->dlabel < 0 || p->dpos < 0 || dims_of(p->dpatch, 4, dp) || dims_of(p->dlabel, 1, dl) ||
            dims_of(p->dpos, 2, dq))
            st = fc_fail(err, FC_ERR_FORMAT, "%s: missing or mis-shaped /patches, /labels or /positions", path);
        else if (dp[1] != (hsize_t)fc_patches_planes(&p->meta) || dp[2] != (hsize_t)p->meta.height ||
                 dp[3] != (hsize_t)p->meta.width || dl[0] != dp[0] || dq[0] != dp[0] || dq[1] != 4)
            st = fc_fail(err, FC_ERR_FORMAT,
                         "%s: /patches is [%llu][%llu][%llu][%llu] but the attributes say %d channels of %d x %d, "
                         "or /labels and /positions disagree on the count",
                         path, (unsigned long long)dp[0], (unsigned long long)dp[1], (unsigned long long)dp[2],
                         (unsigned long long)dp[3], fc_patches_planes(&p->meta), p->meta.height, p->meta.width);
        else if (fc_h5_patch_read_scale(p->dpatch, p->meta.dtype, &p->scale))
            st = fc_fail(err, FC_ERR_FORMAT, "%s: int8 /patches without a valid 'scale' attribute in (0, 1)", path);
        else
            p->n = (int64_t)dp[0];
    }
    if (st) {
        fc_patches_close(p);
        return st;
    }
    *out = p;
    return FC_OK;
}

void fc_patches_close(fc_patches *p)
{
    if (!p)
        return;
    hid_t ds[3] = {p->dpatch, p->dlabel, p->dpos};
    for (int d = 0; d < 3; d++)
        if (ds[d] >= 0)
            H5Dclose(ds[d]);
    if (p->file >= 0)
        H5Fclose(p->file);
    free(p->path);
    free(p);
}

const fc_patches_meta *fc_patches_get_meta(const fc_patches *p)
{
    return &p->meta;
}

int64_t fc_patches_count(const fc_patches *p)
{
    return p->n;
}

/* Read rows [start, start + count) of d: as type, or (patches != NULL) as float32 from p's /patches. */
static int read_rows_as(hid_t d, hid_t type, const fc_patches *patches, int64_t start, int64_t count, void *out)
{
    hid_t fs = H5Dget_space(d);
    hsize_t dims[4];
    int rank = H5Sget_simple_extent_ndims(fs);
    H5Sget_simple_extent_dims(fs, dims, NULL);
    hsize_t st[4] = {(hsize_t)start, 0, 0, 0}, cnt[4];
    for (int i = 0; i < rank; i++)
        cnt[i] = i == 0 ? (hsize_t)count : dims[i];
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, st, NULL, cnt, NULL);
    hid_t ms = H5Screate_simple(rank, cnt, NULL);
    int rc = patches ? fc_h5_patch_read(d, patches->meta.dtype, patches->scale, ms, fs, out,
                                        fc_patches_floats(&patches->meta) * (size_t)count)
             : H5Dread(d, type, ms, fs, H5P_DEFAULT, out) < 0 ? -1
                                                              : 0;
    H5Sclose(ms);
    H5Sclose(fs);
    return rc;
}

static int read_rows(hid_t d, hid_t type, int64_t start, int64_t count, void *out)
{
    return read_rows_as(d, type, NULL, start, count, out);
}

/* Rows of each of the K classes among rows [0, n) of a /labels dataset. */
fc_status fc_patches_count_labels(hid_t dlabel, int64_t n, int K, const char *path, int64_t *counts, fc_error *err)
{
    enum { CHUNK = 65536 };
    memset(counts, 0, sizeof(int64_t) * FC_MAX_CLASSES);
    int32_t *y = malloc(sizeof(int32_t) * CHUNK);
    if (!y)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    fc_status st = FC_OK;
    for (int64_t at = 0; at < n && !st; at += CHUNK) {
        int64_t m = n - at < CHUNK ? n - at : CHUNK;
        if (read_rows(dlabel, H5T_NATIVE_INT32, at, m, y))
            st = fc_fail(err, FC_ERR_FORMAT, "%s: reading /labels failed (file damaged?)", path);
        for (int64_t i = 0; i < m && !st; i++) {
            if (y[i] < 0 || y[i] >= K)
                st = fc_fail(err, FC_ERR_FORMAT, "%s: row %lld of /labels is %d, outside the %d classes", path,
                             (long long)(at + i), (int)y[i], K);
            else
                counts[y[i]]++;
        }
    }
    free(y);
    return st;
}

fc_status fc_patches_read(fc_patches *p, int64_t start, int64_t count, float *patches, int32_t *labels,
                          int32_t *positions, fc_error *err)
{
    if (start < 0 || count < 0 || start + count > p->n)
        return fc_fail(err, FC_ERR_RANGE, "%s: rows %lld..%lld are outside 0..%lld", p->path, (long long)start,
                       (long long)(start + count - 1), (long long)p->n - 1);
    if (count == 0)
        return FC_OK;
    if ((patches && read_rows_as(p->dpatch, H5T_NATIVE_FLOAT, p, start, count, patches)) ||
        (labels && read_rows(p->dlabel, H5T_NATIVE_INT32, start, count, labels)) ||
        (positions && read_rows(p->dpos, H5T_NATIVE_INT32, start, count, positions)))
        return fc_fail(err, FC_ERR_FORMAT, "%s: reading rows %lld..%lld failed (file damaged?)", p->path,
                       (long long)start, (long long)(start + count - 1));
    if (labels)
        for (int64_t i = 0; i < count; i++)
            if (labels[i] < 0 || labels[i] >= p->meta.classes.count)
                return fc_fail(err, FC_ERR_FORMAT, "%s: row %lld of /labels is %d, outside the %d classes", p->path,
                               (long long)(start + i), (int)labels[i], p->meta.classes.count);
    return FC_OK;
}

fc_status fc_patches_class_counts(fc_patches *p, int64_t *counts, fc_error *err)
{
    return fc_patches_count_labels(p->dlabel, p->n, p->meta.classes.count, p->path, counts, err);
}
