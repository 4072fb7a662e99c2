/* How /patches of patches.h5 is stored: float32, IEEE half floats or int8 with a scale, and the conversions. */
#include <math.h>
#include <string.h>

#include "facies/patches.h"
#include "fail.h"
#include "h5_util.h"

static const char *const dtype_names[] = {"float32", "float16", "int8"};

const char *fc_patch_dtype_name(fc_patch_dtype t)
{
    return t >= FC_PATCH_DTYPE_FLOAT32 && t <= FC_PATCH_DTYPE_INT8 ? dtype_names[t] : "auto";
}

fc_status fc_patch_dtype_parse(const char *s, fc_patch_dtype *out, fc_error *err)
{
    for (int t = FC_PATCH_DTYPE_FLOAT32; t <= FC_PATCH_DTYPE_INT8; t++)
        if (!strcmp(s, dtype_names[t])) {
            *out = (fc_patch_dtype)t;
            return FC_OK;
        }
    return fc_fail(err, FC_ERR_ARGUMENT, "'%s' is no patch type: use float32, float16 or int8", s);
}

/* IEEE 754 binary16 in the byte order of base (a 4-byte IEEE float type): sign bit 15, exponent bits 10..14 (bias
 * 15), mantissa bits 0..9 with an implied leading one. HDF5 1.10 has no predefined half type; h5py maps exactly
 * this layout to float16. */
static hid_t half_type(hid_t base)
{
    hid_t h = H5Tcopy(base);
    if (h < 0)
        return h;
    if (H5Tset_fields(h, 15, 10, 5, 0, 10) < 0 || H5Tset_size(h, 2) < 0 || H5Tset_precision(h, 16) < 0 ||
        H5Tset_ebias(h, 15) < 0) {
        H5Tclose(h);
        return -1;
    }
    return h;
}

hid_t fc_h5_patch_file_type(fc_patch_dtype t)
{
    return t == FC_PATCH_DTYPE_INT8      ? H5Tcopy(H5T_STD_I8LE)
           : t == FC_PATCH_DTYPE_FLOAT16 ? half_type(H5T_IEEE_F32LE)
                                         : H5Tcopy(H5T_IEEE_F32LE);
}

int fc_h5_patch_dtype_of(hid_t dset, fc_patch_dtype *out)
{
    hid_t t = H5Dget_type(dset);
    if (t < 0)
        return -1;
    H5T_class_t c = H5Tget_class(t);
    size_t size = H5Tget_size(t);
    int rc = 0;
    if (c == H5T_FLOAT && size == 4)
        *out = FC_PATCH_DTYPE_FLOAT32;
    else if (c == H5T_FLOAT && size == 2)
        *out = FC_PATCH_DTYPE_FLOAT16;
    else if (c == H5T_INTEGER && size == 1 && H5Tget_sign(t) == H5T_SGN_2)
        *out = FC_PATCH_DTYPE_INT8;
    else
        rc = -1;
    H5Tclose(t);
    return rc;
}

/* int8 patches: round(127 x), x clipped to [-1, 1]. */
#define INT8_STEPS 127

int fc_h5_patch_write_scale(hid_t dset, fc_patch_dtype t)
{
    return t == FC_PATCH_DTYPE_INT8 ? fc_h5_write_f64(dset, "scale", 1.0 / INT8_STEPS) : 0;
}

size_t fc_h5_patch_scratch_bytes(fc_patch_dtype t)
{
    return t == FC_PATCH_DTYPE_INT8 ? 1 : t == FC_PATCH_DTYPE_FLOAT16 ? 2 : 0;
}

/* IEEE half of a float, rounded to nearest, ties to even. HDF5 1.10.8's own float-to-half conversion is not used:
 * when rounding carries into the exponent it loses the carry (0.49995 becomes 0.25). */
static uint16_t half_of(float f)
{
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    uint32_t a = x & 0x7fffffffu;
    if (a > 0x7f800000u) /* NaN */
        return sign | 0x7e00u;
    if (a >= 0x477ff000u) /* 65520 and up round to infinity */
        return sign | 0x7c00u;
    if (a < 0x38800000u) { /* below 2^-14: a subnormal half, m 2^-24 (rounding up to 2^-14 gives its code) */
        float v;
        memcpy(&v, &a, sizeof v);
        return sign | (uint16_t)lrintf(v * 16777216.0f);
    }
    uint32_t h = a - 0x38000000u; /* exponent bias 127 to 15; a carry out of the mantissa lands in the exponent */
    return sign | (uint16_t)((h + 0x0fffu + ((h >> 13) & 1u)) >> 13);
}

static float float_of(uint16_t h)
{
    uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu, x;
    float v;
    if (e == 0) { /* zero or subnormal: exact */
        v = (float)m * (1.0f / 16777216.0f);
        memcpy(&x, &v, sizeof x);
    } else {
        x = e == 31 ? 0x7f800000u | (m << 13) : ((e + 112u) << 23) | (m << 13);
    }
    x |= (uint32_t)(h & 0x8000u) << 16;
    memcpy(&v, &x, sizeof v);
    return v;
}

int fc_h5_patch_write(hid_t dset, fc_patch_dtype t, hid_t ms, hid_t fs, const float *x, size_t n, void *scratch)
{
    if (t == FC_PATCH_DTYPE_FLOAT32)
        return H5Dwrite(dset, H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, x) < 0 ? -1 : 0;
    if (t == FC_PATCH_DTYPE_FLOAT16) {
        uint16_t *h = scratch;
        for (size_t i = 0; i < n; i++)
            h[i] = half_of(x[i]);
        hid_t type = half_type(H5T_NATIVE_FLOAT); /* halves in the host's byte order */
        int rc = type < 0 || H5Dwrite(dset, type, ms, fs, H5P_DEFAULT, h) < 0 ? -1 : 0;
        if (type >= 0)
            H5Tclose(type);
        return rc;
    }
    int8_t *q = scratch;
    for (size_t i = 0; i < n; i++) {
        float v = x[i] > 1.0f ? 1.0f : x[i] < -1.0f ? -1.0f : x[i] == x[i] ? x[i] : 0.0f;
        q[i] = (int8_t)lrintf(v * INT8_STEPS);
    }
    return H5Dwrite(dset, H5T_NATIVE_SCHAR, ms, fs, H5P_DEFAULT, q) < 0 ? -1 : 0;
}

int fc_h5_patch_read_scale(hid_t dset, fc_patch_dtype t, float *scale)
{
    double s = 1.0;
    if (t == FC_PATCH_DTYPE_INT8 && (fc_h5_read_f64(dset, "scale", &s) || !(s > 0.0 && s < 1.0)))
        return -1;
    *scale = (float)s;
    return 0;
}

int fc_h5_patch_read(hid_t dset, fc_patch_dtype t, float scale, hid_t ms, hid_t fs, float *x, size_t n)
{
    if (t == FC_PATCH_DTYPE_FLOAT32)
        return H5Dread(dset, H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, x) < 0 ? -1 : 0;
    /* The stored values land at the start of x and widen in place, last first: float i covers bytes 4i..4i+3,
     * which hold only stored values already widened (those after i, and i itself, read first), so no scratch
     * buffer is needed. */
    int rc;
    if (t == FC_PATCH_DTYPE_FLOAT16) {
        hid_t type = half_type(H5T_NATIVE_FLOAT);
        uint16_t *h = (uint16_t *)(void *)x;
        rc = type < 0 || H5Dread(dset, type, ms, fs, H5P_DEFAULT, h) < 0 ? -1 : 0;
        if (type >= 0)
            H5Tclose(type);
        for (size_t i = n; !rc && i-- > 0;) {
            uint16_t v;
            memcpy(&v, (const unsigned char *)x + 2 * i, sizeof v);
            x[i] = float_of(v);
        }
        return rc;
    }
    int8_t *q = (int8_t *)x;
    rc = H5Dread(dset, H5T_NATIVE_SCHAR, ms, fs, H5P_DEFAULT, q) < 0 ? -1 : 0;
    for (size_t i = n; !rc && i-- > 0;)
        x[i] = (float)q[i] * scale;
    return rc;
}
