#include "h5_util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fail.h"
#include "input_file.h"
#include "folder.h"

void fc_h5_quiet(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static hid_t create_with(const char *path, H5F_libver_t low)
{
    fc_partial_unlink(path);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, low, H5F_LIBVER_V110);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    return f;
}

hid_t fc_h5_create(const char *path)
{
    return create_with(path, H5F_LIBVER_V110);
}

hid_t fc_h5_create_resumable(const char *path)
{
    return create_with(path, H5F_LIBVER_V18);
}

fc_status fc_h5_create_failed(const char *path, fc_error *err)
{
    /* HDF5 keeps the reason to its own error stack, which facies silences; a plain open asks the system again. */
    FILE *f = fopen(path, "wb");
    if (!f)
        return fc_fail(err, FC_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    fclose(f);
    remove(path);
    return fc_fail(err, FC_ERR_IO, "%s: cannot create as HDF5", path);
}

fc_status fc_h5_open_read(const char *path, const char *what, hid_t *out, fc_error *err)
{
    fc_h5_quiet();
    fc_status st = fc_h5_check_format(path, err);
    if (st)
        return st;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: cannot open as HDF5 (missing, truncated or not %s)", path, what);
    *out = f;
    return FC_OK;
}

fc_status fc_h5_check_format(const char *path, fc_error *err)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    FILE *f;
    fc_status opened = fc_input_open(path, &f, err); /* a pipe or a device is refused before HDF5 waits on it */
    if (opened)
        return opened;
    unsigned char head[9];
    int found = -1;
    /* The superblock sits at 0, 512, 1024, 2048, ... (after a user block). */
    for (long at = 0; at <= 65536 && found < 0; at = at ? at * 2 : 512) {
        if (fseek(f, at, SEEK_SET) != 0 || fread(head, 1, sizeof head, f) != sizeof head)
            break;
        if (!memcmp(head, sig, 8))
            found = head[8];
    }
    fclose(f);
    if (found < 0)
        return fc_fail(err, FC_ERR_FORMAT, "%s: not an HDF5 file (no signature)", path);
    if (found < 2)
        return fc_fail(err, FC_ERR_UNSUPPORTED,
                       "%s: HDF5 file in the pre-1.8 layout (superblock version %d) without metadata checksums; "
                       "rewrite it with h5py (libver='latest') or h5repack",
                       path, found);
    return FC_OK;
}

static hid_t str_type(size_t len)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, len > 0 ? len : 1);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    return t;
}

/* A scalar attribute (n = 0) or an array of n values. */
static int write_attr_n(hid_t obj, const char *name, hid_t type, int n, const void *v)
{
    if (H5Aexists(obj, name) > 0)
        H5Adelete(obj, name);
    hsize_t dims[1] = {(hsize_t)n};
    hid_t sp = n > 0 ? H5Screate_simple(1, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a >= 0 && H5Awrite(a, type, v) >= 0 ? 0 : -1;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    return rc;
}

static int write_attr(hid_t obj, const char *name, hid_t type, const void *v)
{
    return write_attr_n(obj, name, type, 0, v);
}

int fc_h5_write_array(hid_t obj, const char *name, hid_t type, int n, const void *v)
{
    return write_attr_n(obj, name, type, n > 0 ? n : 1, v);
}

int fc_h5_write_str(hid_t obj, const char *name, const char *value)
{
    hid_t t = str_type(strlen(value) + 1);
    int rc = write_attr(obj, name, t, value);
    H5Tclose(t);
    return rc;
}

int fc_h5_write_f64(hid_t obj, const char *name, double value)
{
    return write_attr(obj, name, H5T_NATIVE_DOUBLE, &value);
}

int fc_h5_write_i64(hid_t obj, const char *name, int64_t value)
{
    return write_attr(obj, name, H5T_NATIVE_INT64, &value);
}

static hid_t open_attr(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0)
        return -1;
    return H5Aopen(obj, name, H5P_DEFAULT);
}

int fc_h5_read_str(hid_t obj, const char *name, char *buf, size_t size)
{
    hid_t a = open_attr(obj, name);
    if (a < 0)
        return -1;
    int rc = -1;
    hid_t ft = H5Aget_type(a);
    if (H5Tget_class(ft) == H5T_STRING && !H5Tis_variable_str(ft)) {
        size_t n = H5Tget_size(ft);
        hid_t mt = str_type(n + 1);
        char tmp[8192];
        if (n < sizeof tmp && H5Aread(a, mt, tmp) >= 0) {
            tmp[n] = '\0';
            snprintf(buf, size, "%s", tmp);
            rc = 0;
        }
        H5Tclose(mt);
    }
    H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

int fc_h5_read_f64(hid_t obj, const char *name, double *out)
{
    hid_t a = open_attr(obj, name);
    if (a < 0)
        return -1;
    int rc = H5Aread(a, H5T_NATIVE_DOUBLE, out) >= 0 ? 0 : -1;
    H5Aclose(a);
    return rc;
}

int fc_h5_read_i64(hid_t obj, const char *name, int64_t *out)
{
    hid_t a = open_attr(obj, name);
    if (a < 0)
        return -1;
    int rc = H5Aread(a, H5T_NATIVE_INT64, out) >= 0 ? 0 : -1;
    H5Aclose(a);
    return rc;
}

typedef struct class_row {
    int32_t code;
    char name[FC_CLASS_NAME_SIZE];
    char colour[FC_CLASS_COLOUR_SIZE];
} class_row;

static hid_t class_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(class_row));
    hid_t sn = str_type(FC_CLASS_NAME_SIZE), sc = str_type(FC_CLASS_COLOUR_SIZE);
    H5Tinsert(t, "code", HOFFSET(class_row, code), H5T_NATIVE_INT32);
    H5Tinsert(t, "name", HOFFSET(class_row, name), sn);
    H5Tinsert(t, "colour", HOFFSET(class_row, colour), sc);
    H5Tclose(sn);
    H5Tclose(sc);
    return t;
}

int fc_h5_write_classes(hid_t file, const char *name, const fc_classes *c)
{
    if (H5Lexists(file, name, H5P_DEFAULT) > 0)
        H5Ldelete(file, name, H5P_DEFAULT);
    class_row rows[FC_MAX_CLASSES];
    memset(rows, 0, sizeof rows);
    for (int i = 0; i < c->count; i++) {
        rows[i].code = c->c[i].code;
        memcpy(rows[i].name, c->c[i].name, FC_CLASS_NAME_SIZE);
        memcpy(rows[i].colour, c->c[i].colour, FC_CLASS_COLOUR_SIZE);
    }
    hsize_t dims[1] = {(hsize_t)c->count};
    hid_t t = class_type(), sp = H5Screate_simple(1, dims, NULL);
    hid_t d = H5Dcreate2(file, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = d >= 0 && (c->count == 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0) ? 0 : -1;
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

int fc_h5_read_classes(hid_t file, const char *name, fc_classes *c)
{
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
        return -1;
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    hsize_t dims[1] = {0};
    int rc = -1;
    if (H5Sget_simple_extent_ndims(sp) == 1 && H5Sget_simple_extent_dims(sp, dims, NULL) == 1 &&
        dims[0] <= FC_MAX_CLASSES) {
        class_row rows[FC_MAX_CLASSES];
        hid_t t = class_type();
        if (dims[0] == 0 || H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0) {
            c->count = (int)dims[0];
            for (int i = 0; i < c->count; i++) {
                c->c[i].code = rows[i].code;
                memcpy(c->c[i].name, rows[i].name, FC_CLASS_NAME_SIZE);
                c->c[i].name[FC_CLASS_NAME_SIZE - 1] = '\0';
                memcpy(c->c[i].colour, rows[i].colour, FC_CLASS_COLOUR_SIZE);
                c->c[i].colour[FC_CLASS_COLOUR_SIZE - 1] = '\0';
            }
            rc = 0;
        }
        H5Tclose(t);
    }
    H5Sclose(sp);
    H5Dclose(d);
    return rc;
}

fc_status fc_copy_file(const char *from, const char *to, fc_error *err)
{
    FILE *a = fopen(from, "rb");
    if (!a)
        return fc_fail(err, FC_ERR_IO, "%s: cannot open: %s", from, strerror(errno));
    fc_partial_unlink(to); /* a temporary name: a stale link there is dropped, not written through */
    FILE *b = fopen(to, "wb");
    if (!b) {
        fclose(a);
        return fc_fail(err, FC_ERR_IO, "%s: cannot create: %s", to, strerror(errno));
    }
    char buf[1 << 16];
    size_t n;
    int ok = 1;
    while (ok && (n = fread(buf, 1, sizeof buf, a)) > 0)
        ok = fwrite(buf, 1, n, b) == n;
    ok = ok && !ferror(a);
    fclose(a);
    if (fclose(b) != 0)
        ok = 0;
    if (!ok) {
        remove(to);
        return fc_fail(err, FC_ERR_IO, "%s: copy to %s failed (disk full?)", from, to);
    }
    return FC_OK;
}
