/* patches.h5: the writer. Rows are buffered and written in blocks; a row at a position already written is
 * replaced (a hash of the positions finds it); the dataset is written under NAME.partial and renamed at commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/files.h"
#include "facies/patches.h"
#include "fail.h"
#include "h5_patches.h"
#include "h5_patches_meta.h"

#define BUFFER_ROWS 64

struct fc_patches_writer {
    hid_t file, dpatch, dlabel, dpos;
    char *path, *partial;
    fc_patches_meta meta;
    int64_t flushed; /* rows in the file */
    int64_t n;       /* rows in the file plus the buffer */
    int32_t *pos;    /* [n][4], all rows */
    int64_t pos_cap;
    int64_t *slots; /* open-addressing hash of rows by position, -1 empty */
    int64_t nslots;
    float *buf; /* BUFFER_ROWS patches */
    void *qbuf; /* float16 and int8: BUFFER_ROWS patches as stored */
    int32_t blabel[BUFFER_ROWS];
    int created, committed;
};

static uint64_t pos_hash(const int32_t *p)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 4; i++) {
        h ^= (uint32_t)p[i];
        h *= 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
}

static int64_t find_row(const fc_patches_writer *w, const int32_t *p)
{
    uint64_t m = (uint64_t)w->nslots - 1;
    for (uint64_t s = pos_hash(p) & m;; s = (s + 1) & m) {
        int64_t r = w->slots[s];
        if (r < 0)
            return -1;
        if (!memcmp(w->pos + 4 * r, p, 4 * sizeof *p))
            return r;
    }
}

static void insert_slot(fc_patches_writer *w, int64_t row)
{
    uint64_t m = (uint64_t)w->nslots - 1;
    uint64_t s = pos_hash(w->pos + 4 * row) & m;
    while (w->slots[s] >= 0)
        s = (s + 1) & m;
    w->slots[s] = row;
}

/* Keep the table at most half full; rebuild when it grows. */
static int ensure_slots(fc_patches_writer *w, int64_t rows)
{
    if (w->nslots >= 2 * (rows + 1))
        return 0;
    int64_t ns = 1024;
    while (ns < 2 * (rows + 1))
        ns *= 2;
    int64_t *s = malloc((size_t)ns * sizeof *s);
    if (!s)
        return -1;
    free(w->slots);
    w->slots = s;
    w->nslots = ns;
    for (int64_t i = 0; i < ns; i++)
        s[i] = -1;
    for (int64_t r = 0; r < w->n; r++)
        insert_slot(w, r);
    return 0;
}

static int ensure_pos(fc_patches_writer *w, int64_t rows)
{
    if (rows <= w->pos_cap)
        return 0;
    int64_t cap = w->pos_cap ? 2 * w->pos_cap : 4096;
    while (cap < rows)
        cap *= 2;
    int32_t *p = realloc(w->pos, (size_t)cap * 4 * sizeof *p);
    if (!p)
        return -1;
    w->pos = p;
    w->pos_cap = cap;
    return 0;
}

static hid_t create_extensible(hid_t file, const char *name, hid_t type, int rank, const hsize_t *tail,
                               hsize_t chunk_rows)
{
    hsize_t dims[4] = {0}, maxd[4] = {H5S_UNLIMITED}, chunk[4] = {chunk_rows};
    for (int i = 1; i < rank; i++)
        dims[i] = maxd[i] = chunk[i] = tail[i - 1];
    hid_t sp = H5Screate_simple(rank, dims, maxd);
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, rank, chunk);
    hid_t d = H5Dcreate2(file, name, type, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    H5Pclose(pl);
    H5Sclose(sp);
    return d;
}

static fc_status load_positions(fc_patches_writer *w, fc_error *err)
{
    w->dpatch = H5Dopen2(w->file, "patches", H5P_DEFAULT);
    w->dlabel = H5Dopen2(w->file, "labels", H5P_DEFAULT);
    w->dpos = H5Dopen2(w->file, "positions", H5P_DEFAULT);
    if (w->dpatch < 0 || w->dlabel < 0 || w->dpos < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: missing /patches, /labels or /positions", w->path);
    hid_t sp = H5Dget_space(w->dpos);
    hsize_t dims[2] = {0, 0};
    int rank = H5Sget_simple_extent_ndims(sp);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    if (rank != 2 || dims[1] != 4)
        return fc_fail(err, FC_ERR_FORMAT, "%s: /positions is not [N][4]", w->path);
    int64_t rows = (int64_t)dims[0];
    if (ensure_pos(w, rows + 1))
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory for %lld positions", w->path, (long long)rows);
    if (rows > 0 && H5Dread(w->dpos, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, w->pos) < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: cannot read /positions", w->path);
    /* Only now are the positions there to be hashed (ensure_slots indexes rows 0..n-1). */
    w->n = w->flushed = rows;
    if (ensure_slots(w, w->n))
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory for %lld positions", w->path, (long long)rows);
    return FC_OK;
}

/* A new dataset: its three extensible datasets (~1 MB chunks of patches), an empty position index. */
static fc_status create_datasets(fc_patches_writer *w, const fc_patches_meta *meta, const char *path, fc_error *err)
{
    if (w->meta.dtype == FC_PATCH_DTYPE_AUTO)
        w->meta.dtype = FC_PATCH_DTYPE_FLOAT16;
    hsize_t tail[3] = {(hsize_t)fc_patches_planes(meta), (hsize_t)meta->height, (hsize_t)meta->width};
    hid_t type = fc_h5_patch_file_type(w->meta.dtype);
    size_t bytes = fc_patches_floats(meta) * (type < 0 ? 4 : H5Tget_size(type));
    hsize_t rows = bytes >= (1u << 20) ? 1 : (1u << 20) / bytes;
    rows = rows > 256 ? 256 : rows; /* ~1 MB chunks, but small datasets stay small */
    hsize_t four = 4;
    w->dpatch = type < 0 ? -1 : create_extensible(w->file, "patches", type, 4, tail, rows);
    if (type >= 0)
        H5Tclose(type);
    w->dlabel = create_extensible(w->file, "labels", H5T_STD_I32LE, 1, NULL, 4096);
    w->dpos = create_extensible(w->file, "positions", H5T_STD_I32LE, 2, &four, 4096);
    if (w->dpatch < 0 || w->dlabel < 0 || w->dpos < 0 || fc_h5_patch_write_scale(w->dpatch, w->meta.dtype))
        return fc_fail(err, FC_ERR_IO, "%s: cannot create the datasets", w->partial);
    if (ensure_slots(w, 0) || ensure_pos(w, 1))
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    return FC_OK;
}

/* The buffer of BUFFER_ROWS patches, and of the same as stored (float16, int8). */
static fc_status alloc_buffers(fc_patches_writer *w, const char *path, fc_error *err)
{
    w->buf = malloc(fc_patches_floats(&w->meta) * BUFFER_ROWS * sizeof(float));
    size_t stored = fc_h5_patch_scratch_bytes(w->meta.dtype);
    if (stored)
        w->qbuf = malloc(fc_patches_floats(&w->meta) * BUFFER_ROWS * stored);
    if (!w->buf || (stored && !w->qbuf))
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    return FC_OK;
}

fc_status fc_patches_writer_open(fc_patches_writer **out, const char *path, const fc_patches_meta *meta, int append,
                                 fc_error *err)
{
    fc_h5_quiet();
    fc_patches_writer *w = calloc(1, sizeof *w);
    if (!w)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    w->file = w->dpatch = w->dlabel = w->dpos = -1;
    size_t n = strlen(path) + sizeof ".partial";
    w->path = strdup(path);
    w->partial = malloc(n);
    w->meta = *meta;
    fc_status st = FC_OK;
    if (!w->path || !w->partial)
        st = fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    if (!st) {
        fc_partial_name(path, w->partial, n);
        if (append)
            st = fc_h5_check_format(path, err);
        if (!st && append)
            st = fc_copy_file(path, w->partial, err);
    }
    if (!st) {
        w->created = 1;
        w->file = append ? H5Fopen(w->partial, H5F_ACC_RDWR, H5P_DEFAULT) : fc_h5_create(w->partial);
        if (w->file < 0)
            st = append ? fc_fail(err, FC_ERR_FORMAT, "%s: cannot open as HDF5", path)
                        : fc_h5_create_failed(w->partial, err);
    }
    if (!st && append)
        st = fc_patches_meta_merge(w->file, w->path, meta, &w->meta, err);
    if (!st && append)
        st = load_positions(w, err);
    if (!st && !append)
        st = create_datasets(w, meta, path, err);
    if (!st)
        st = alloc_buffers(w, path, err);
    if (st) {
        fc_patches_writer_destroy(w);
        return st;
    }
    *out = w;
    return FC_OK;
}

const fc_patches_meta *fc_patches_writer_meta(const fc_patches_writer *w)
{
    return &w->meta;
}

int64_t fc_patches_writer_count(const fc_patches_writer *w)
{
    return w->n;
}

/* Write rows [row, row + count) of all three datasets from memory. */
static int write_rows(fc_patches_writer *w, int64_t row, int64_t count, const float *patches, const int32_t *labels)
{
    int rc = 0;
    hid_t ds[3] = {w->dpatch, w->dlabel, w->dpos};
    hid_t types[3] = {H5T_NATIVE_FLOAT, H5T_NATIVE_INT32, H5T_NATIVE_INT32};
    const void *src[3] = {patches, labels, w->pos + 4 * row};
    for (int d = 0; d < 3 && !rc; d++) {
        hid_t fs = H5Dget_space(ds[d]);
        hsize_t dims[4];
        int rank = H5Sget_simple_extent_ndims(fs);
        H5Sget_simple_extent_dims(fs, dims, NULL);
        H5Sclose(fs);
        if (dims[0] < (hsize_t)(row + count)) {
            dims[0] = (hsize_t)(row + count);
            rc |= H5Dset_extent(ds[d], dims) < 0;
        }
        fs = H5Dget_space(ds[d]);
        hsize_t start[4] = {(hsize_t)row, 0, 0, 0}, cnt[4];
        for (int i = 0; i < rank; i++)
            cnt[i] = i == 0 ? (hsize_t)count : dims[i];
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, cnt, NULL);
        hid_t ms = H5Screate_simple(rank, cnt, NULL);
        if (d == 0)
            rc |= fc_h5_patch_write(ds[d], w->meta.dtype, ms, fs, patches, fc_patches_floats(&w->meta) * (size_t)count,
                                    w->qbuf);
        else
            rc |= H5Dwrite(ds[d], types[d], ms, fs, H5P_DEFAULT, src[d]) < 0;
        H5Sclose(ms);
        H5Sclose(fs);
    }
    return rc;
}

static fc_status flush(fc_patches_writer *w, fc_error *err)
{
    int64_t count = w->n - w->flushed;
    if (count == 0)
        return FC_OK;
    if (write_rows(w, w->flushed, count, w->buf, w->blabel))
        return fc_fail(err, FC_ERR_IO, "%s: writing patches failed (disk full?)", w->partial);
    w->flushed = w->n;
    return FC_OK;
}

fc_status fc_patches_writer_put(fc_patches_writer *w, const float *patch, int32_t code, const int32_t pos[4],
                                int *replaced, fc_error *err)
{
    int cls = fc_classes_find(&w->meta.classes, code);
    if (cls < 0)
        return fc_fail(err, FC_ERR_ARGUMENT, "%s: facies code %d is not among the dataset's classes", w->path,
                       (int)code);
    size_t pf = fc_patches_floats(&w->meta);
    int64_t row = find_row(w, pos);
    if (replaced)
        *replaced = row >= 0;
    if (row >= 0 && row < w->flushed) {
        int32_t label = cls;
        if (write_rows(w, row, 1, patch, &label))
            return fc_fail(err, FC_ERR_IO, "%s: rewriting row %lld failed", w->partial, (long long)row);
        return FC_OK;
    }
    if (row >= 0) {
        memcpy(w->buf + (size_t)(row - w->flushed) * pf, patch, pf * sizeof(float));
        w->blabel[row - w->flushed] = cls;
        return FC_OK;
    }
    if (ensure_pos(w, w->n + 1) || ensure_slots(w, w->n + 1))
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", w->path);
    memcpy(w->pos + 4 * w->n, pos, 4 * sizeof *pos);
    memcpy(w->buf + (size_t)(w->n - w->flushed) * pf, patch, pf * sizeof(float));
    w->blabel[w->n - w->flushed] = cls;
    insert_slot(w, w->n);
    w->n++;
    if (w->n - w->flushed == BUFFER_ROWS)
        return flush(w, err);
    return FC_OK;
}

fc_status fc_patches_writer_commit(fc_patches_writer *w, fc_error *err)
{
    fc_status st = flush(w, err);
    if (!st && fc_patches_meta_write(w->file, &w->meta))
        st = fc_fail(err, FC_ERR_IO, "%s: writing attributes failed", w->partial);
    hid_t ds[3] = {w->dpatch, w->dlabel, w->dpos};
    for (int d = 0; d < 3; d++)
        if (ds[d] >= 0)
            H5Dclose(ds[d]);
    w->dpatch = w->dlabel = w->dpos = -1;
    if (w->file >= 0 && H5Fclose(w->file) < 0 && !st)
        st = fc_fail(err, FC_ERR_IO, "%s: closing failed (disk full?)", w->partial);
    w->file = -1;
    if (!st && rename(w->partial, w->path) != 0)
        st = fc_fail(err, FC_ERR_IO, "%s: cannot rename to %s", w->partial, w->path);
    if (!st)
        w->committed = 1;
    return st;
}

void fc_patches_writer_destroy(fc_patches_writer *w)
{
    if (!w)
        return;
    hid_t ds[3] = {w->dpatch, w->dlabel, w->dpos};
    for (int d = 0; d < 3; d++)
        if (ds[d] >= 0)
            H5Dclose(ds[d]);
    if (w->file >= 0)
        H5Fclose(w->file);
    if (w->created && !w->committed)
        remove(w->partial);
    free(w->pos);
    free(w->slots);
    free(w->buf);
    free(w->qbuf);
    free(w->path);
    free(w->partial);
    free(w);
}

fc_status fc_patches_writer_class_counts(fc_patches_writer *w, int64_t *counts, fc_error *err)
{
    fc_status st = flush(w, err);
    return st ? st : fc_patches_count_labels(w->dlabel, w->n, w->meta.classes.count, w->partial, counts, err);
}
