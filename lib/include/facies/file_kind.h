/* facies — what kind of file a path names, told from its content.
 *
 * For front ends that want to say "this is a model, not a survey" before a
 * reader fails on the wrong kind of file with a message about its bytes.
 * Detection reads at most the first few kilobytes (and, for HDF5, the root
 * group's links and attributes); it never fails: a file it cannot place is
 * FC_FILE_KIND_UNKNOWN and is left to the reader that wants it.
 */
#ifndef FACIES_FILE_KIND_H
#define FACIES_FILE_KIND_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fc_file_kind {
    FC_FILE_KIND_UNKNOWN = 0,       /* missing, unreadable, empty or not recognised */
    FC_FILE_KIND_FOLDER = 1,        /* a directory */
    FC_FILE_KIND_SEGY = 2,          /* 3600-byte SEG-Y head with a sample format code 1..16 (either byte order) */
    FC_FILE_KIND_TEXT = 3,          /* no NUL or other control byte (but tab, line ends) in its first 4 KiB: a CSV,
                                       picks, horizons, legend */
    FC_FILE_KIND_HDF5 = 4,          /* HDF5 that facies did not write (one it cannot open is UNKNOWN) */
    FC_FILE_KIND_MODEL = 5,         /* facies model: root attribute `spec` (facies train) */
    FC_FILE_KIND_PATCHES = 6,       /* facies patch dataset: root dataset `/patches` (facies ingest) */
    FC_FILE_KIND_PROBABILITIES = 7, /* facies probability volume: root dataset `/probabilities` (apply) */
} fc_file_kind;

fc_file_kind fc_file_detect(const char *path);

/* Short lower-case name ("SEG-Y", "model", "patch dataset", ...); never NULL. */
const char *fc_file_kind_name(fc_file_kind kind);

#ifdef __cplusplus
}
#endif

#endif
