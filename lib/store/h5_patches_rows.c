/* patches.h5: reading scattered rows (streamed training), one read per run of consecutive rows. */
#include "facies/patches.h"
#include "h5_util.h"

fc_status fc_patches_read_rows(fc_patches *p, const int64_t *rows, int64_t count, float *patches, fc_error *err)
{
    fc_h5_quiet(); /* a thread-safe HDF5 keeps the error printing setting per thread */
    const fc_patches_meta *m = fc_patches_get_meta(p);
    size_t psz = (size_t)m->channels * (size_t)m->height * (size_t)m->width;
    for (int64_t i = 0; i < count;) {
        int64_t j = i + 1;
        while (j < count && rows[j] == rows[j - 1] + 1)
            j++;
        fc_status st = fc_patches_read(p, rows[i], j - i, patches + psz * (size_t)i, NULL, NULL, err);
        if (st)
            return st;
        i = j;
    }
    return FC_OK;
}
