#include "facies/file_kind.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "facies/survey.h"
#include "h5_kind.h"

/* A sample format code sits at bytes 3225-3226 of every SEG-Y. Text cannot pass for one: two printable bytes
 * make a number of at least 0x2020 in either byte order. */
static int segy_format_code(const unsigned char *head)
{
    unsigned be = (unsigned)head[3224] << 8 | head[3225], le = (unsigned)head[3225] << 8 | head[3224];
    return (be >= 1 && be <= 16) || (le >= 1 && le <= 16);
}

/* Text: no NUL and no control byte but tab, line ends, form feed and the DOS end-of-file mark. Bytes above 127 pass
 * (UTF-8 or Latin-1 names); a binary file of any size holds control bytes within its first few hundred. */
static int looks_like_text(const unsigned char *head, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = head[i];
        if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v' && b != 0x1a) || b == 0x7f)
            return 0;
    }
    return n > 0;
}

fc_file_kind fc_file_detect(const char *path)
{
    struct stat sb;
    if (!path || stat(path, &sb) != 0)
        return FC_FILE_KIND_UNKNOWN;
    if (S_ISDIR(sb.st_mode))
        return FC_FILE_KIND_FOLDER;
    if (!S_ISREG(sb.st_mode)) /* a pipe or a device: not opened (a FIFO would wait for a writer) */
        return FC_FILE_KIND_UNKNOWN;
    static const unsigned char hdf5_sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char head[4096];
    FILE *f = fopen(path, "rb");
    if (!f)
        return FC_FILE_KIND_UNKNOWN;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n >= sizeof hdf5_sig && !memcmp(head, hdf5_sig, sizeof hdf5_sig))
        return fc_h5_file_kind(path);
    if (n >= FC_SEGY_HEAD_BYTES && segy_format_code(head))
        return FC_FILE_KIND_SEGY;
    if (looks_like_text(head, n))
        return FC_FILE_KIND_TEXT;
    return FC_FILE_KIND_UNKNOWN;
}

const char *fc_file_kind_name(fc_file_kind kind)
{
    switch (kind) {
    case FC_FILE_KIND_FOLDER: return "folder";
    case FC_FILE_KIND_SEGY: return "SEG-Y";
    case FC_FILE_KIND_TEXT: return "text";
    case FC_FILE_KIND_HDF5: return "HDF5";
    case FC_FILE_KIND_MODEL: return "model";
    case FC_FILE_KIND_PATCHES: return "patch dataset";
    case FC_FILE_KIND_PROBABILITIES: return "probability volume";
    case FC_FILE_KIND_UNKNOWN: break;
    }
    return "unknown";
}
