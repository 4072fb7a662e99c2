/* patches.h5: the labelled patch dataset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/files.h"
#include "facies/patches.h"
#include "fail.h"
#include "h5_util.h"

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

static size_t patch_floats(const fc_patches_meta *m)
{
    return (size_t)fc_patches_planes(m) * (size_t)m->height * (size_t)m->width;
}

int fc_patches_planes(const fc_patches_meta *m)
{
    return m->channels * fc_scales_count(&m->scales);
}

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

static fc_status read_meta(hid_t f, const char *path, fc_patches_meta *m, fc_error *err)
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

static int write_meta(hid_t f, const fc_patches_meta *m)
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
    st = read_meta(f, path, out, err);
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

static fc_status merge_for_append(fc_patches_writer *w, const fc_patches_meta *add, fc_error *err)
{
    fc_patches_meta old;
    fc_status st = read_meta(w->file, w->path, &old, err);
    if (st)
        return st;
    char a[FC_MAX_CHANNELS * 48], b[FC_MAX_CHANNELS * 48];
    fc_channel_names_format(old.channel, old.channels, &old.volumes, a, sizeof a);
    fc_channel_names_format(add->channel, add->channels, &add->volumes, b, sizeof b);
    if (old.height != add->height || old.width != add->width)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: holds %d x %d patches; cannot append %d x %d patches (use --patch %d)", w->path, old.height,
                       old.width, add->height, add->width, old.height);
    if (strcmp(a, b))
        return fc_fail(err, FC_ERR_MISMATCH, "%s: holds channels '%s'; cannot append channels '%s'", w->path, a, b);
    fc_scales_format(&old.scales, a, sizeof a);
    fc_scales_format(&add->scales, b, sizeof b);
    if (strcmp(a, b))
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: holds patches at scales %s; cannot append scales %s (use --scales %s)", w->path, a, b, a);
    if (strcmp(old.norm.method, add->norm.method))
        return fc_fail(err, FC_ERR_MISMATCH, "%s: normalised by '%s'; cannot append patches normalised by '%s'",
                       w->path, old.norm.method, add->norm.method);
    if (add->dtype != FC_PATCH_DTYPE_AUTO && add->dtype != old.dtype)
        return fc_fail(err, FC_ERR_MISMATCH,
                       "%s: stores patches as %s; cannot append %s patches (leave --dtype out to keep %s, or ingest "
                       "into a new --out)",
                       w->path, fc_patch_dtype_name(old.dtype), fc_patch_dtype_name(add->dtype),
                       fc_patch_dtype_name(old.dtype));
    fc_patches_meta m = old;
    for (int i = 0; i < add->classes.count; i++) {
        if (fc_classes_find(&m.classes, add->classes.c[i].code) >= 0)
            continue;
        if (m.classes.count == FC_MAX_CLASSES)
            return fc_fail(err, FC_ERR_FORMAT, "%s: more than %d classes", w->path, FC_MAX_CLASSES);
        m.classes.c[m.classes.count++] = add->classes.c[i];
    }
    append_line(m.label_sources, sizeof m.label_sources, add->label_sources);
    append_line(m.command_line, sizeof m.command_line, add->command_line);
    snprintf(m.program_version, sizeof m.program_version, "%s", add->program_version);
    w->meta = m;
    return FC_OK;
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
        st = merge_for_append(w, meta, err);
    if (!st && append)
        st = load_positions(w, err);
    if (!st && !append) {
        if (w->meta.dtype == FC_PATCH_DTYPE_AUTO)
            w->meta.dtype = FC_PATCH_DTYPE_FLOAT16;
        hsize_t tail[3] = {(hsize_t)fc_patches_planes(meta), (hsize_t)meta->height, (hsize_t)meta->width};
        hid_t type = fc_h5_patch_file_type(w->meta.dtype);
        size_t bytes = patch_floats(meta) * (type < 0 ? 4 : H5Tget_size(type));
        hsize_t rows = bytes >= (1u << 20) ? 1 : (1u << 20) / bytes;
        rows = rows > 256 ? 256 : rows; /* ~1 MB chunks, but small datasets stay small */
        hsize_t four = 4;
        w->dpatch = type < 0 ? -1 : create_extensible(w->file, "patches", type, 4, tail, rows);
        if (type >= 0)
            H5Tclose(type);
        w->dlabel = create_extensible(w->file, "labels", H5T_STD_I32LE, 1, NULL, 4096);
        w->dpos = create_extensible(w->file, "positions", H5T_STD_I32LE, 2, &four, 4096);
        if (w->dpatch < 0 || w->dlabel < 0 || w->dpos < 0 || fc_h5_patch_write_scale(w->dpatch, w->meta.dtype))
            st = fc_fail(err, FC_ERR_IO, "%s: cannot create the datasets", w->partial);
        else if (ensure_slots(w, 0) || ensure_pos(w, 1))
            st = fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    }
    if (!st) {
        w->buf = malloc(patch_floats(&w->meta) * BUFFER_ROWS * sizeof(float));
        size_t stored = fc_h5_patch_scratch_bytes(w->meta.dtype);
        if (stored)
            w->qbuf = malloc(patch_floats(&w->meta) * BUFFER_ROWS * stored);
        if (!w->buf || (stored && !w->qbuf))
            st = fc_fail(err, FC_ERR_NOMEM, "%s: out of memory", path);
    }
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
            rc |= fc_h5_patch_write(ds[d], w->meta.dtype, ms, fs, patches, patch_floats(&w->meta) * (size_t)count,
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
    size_t pf = patch_floats(&w->meta);
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
    if (!st && write_meta(w->file, &w->meta))
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

/* --- reading --- */

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
        st = read_meta(p->file, path, &p->meta, err);
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
                                        patch_floats(&patches->meta) * (size_t)count)
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
static fc_status count_classes(hid_t dlabel, int64_t n, int K, const char *path, int64_t *counts, fc_error *err)
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
    return count_classes(p->dlabel, p->n, p->meta.classes.count, p->path, counts, err);
}

fc_status fc_patches_writer_class_counts(fc_patches_writer *w, int64_t *counts, fc_error *err)
{
    fc_status st = flush(w, err);
    return st ? st : count_classes(w->dlabel, w->n, w->meta.classes.count, w->partial, counts, err);
}
