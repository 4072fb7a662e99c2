#include "h5_kind.h"

#include "h5_util.h"

/* The marks each writer leaves at the root: h5_patches.c the /patches dataset, h5_probs.c /probabilities,
 * h5_model.c the `spec` attribute (a model has no dataset at the root). A file that does not open (the pre-1.8
 * layout, damage) is left to its reader, whose message says why. */
fc_file_kind fc_h5_file_kind(const char *path)
{
    hid_t f;
    if (fc_h5_open_read(path, "", &f, NULL))
        return FC_FILE_KIND_UNKNOWN;
    fc_file_kind kind = FC_FILE_KIND_HDF5;
    if (H5Lexists(f, "patches", H5P_DEFAULT) > 0)
        kind = FC_FILE_KIND_PATCHES;
    else if (H5Lexists(f, "probabilities", H5P_DEFAULT) > 0)
        kind = FC_FILE_KIND_PROBABILITIES;
    else if (H5Aexists(f, "spec") > 0)
        kind = FC_FILE_KIND_MODEL;
    H5Fclose(f);
    return kind;
}
