/* Internal: which facies file an HDF5 file is, for fc_file_detect (kept apart so that HDF5 stays in h5_*.c). */
#ifndef FACIES_H5_KIND_H
#define FACIES_H5_KIND_H

#include "facies/file_kind.h"

/* The file starts with the HDF5 signature; a file HDF5 will not open is FC_FILE_KIND_HDF5. */
fc_file_kind fc_h5_file_kind(const char *path);

#endif
