/* facies — several input volumes on one grid as the channels of a patch.
 *
 * A dataset or a model takes its input from a list of volumes: the survey itself (always first, named "survey")
 * and, with ingest/apply `--volume NAME=FILE`, more volumes on the same grid (partial-angle stacks, attribute
 * volumes from an interpretation package). Each volume gives the same channel kinds (amplitude and the attributes
 * asked for, patch.h), volume by volume: channel c is kind c % kinds of volume c / kinds. Each volume is
 * normalised on its own (its own scale). Channel names are the kind for the survey's channels ("amplitude", as
 * before there were volumes) and "NAME:kind" for the others ("far:amplitude").
 */
#ifndef FACIES_VOLUMES_H
#define FACIES_VOLUMES_H

#include <stddef.h>
#include <stdint.h>

#include "facies/error.h"
#include "facies/patch.h"
#include "facies/survey.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FC_MAX_VOLUMES 8       /* the survey and up to 7 more */
#define FC_VOLUME_NAME_SIZE 32 /* a name's bytes with its terminating zero */

/* One input volume as a dataset or model records it. */
typedef struct fc_volume_ref {
    char name[FC_VOLUME_NAME_SIZE]; /* "survey" for the first */
    char path[1024];                /* as given when the dataset was made */
    int64_t size;                   /* bytes; 0 when not recorded */
    char hash[32];                  /* fc_survey_fingerprint; "" when not recorded */
    double scale;                   /* normalisation scale (> 0) */
} fc_volume_ref;

typedef struct fc_volume_list {
    int count; /* 1..FC_MAX_VOLUMES: the survey and count - 1 more */
    fc_volume_ref v[FC_MAX_VOLUMES];
} fc_volume_list;

/* A volume named on the command line: NAME=FILE. */
typedef struct fc_volume_arg {
    char name[FC_VOLUME_NAME_SIZE];
    const char *path;
} fc_volume_arg;

/* Parse "NAME=FILE" into out (path points into arg). Refused (FC_ERR_ARGUMENT, the reason in err) when the name
 * is empty, "survey", longer than 31 bytes or holds other than ASCII letters, digits, '_', '-' and '.', or no file
 * follows. */
fc_status fc_volume_arg_parse(const char *arg, fc_volume_arg *out, fc_error *err);

/* The names of a list's volumes, comma-separated, into buf of size n ("survey,mid,far"). */
void fc_volume_names_format(const fc_volume_list *vl, char *buf, size_t n);

/* Channel names of `channels` channels of kinds ch over the list's volumes, comma-separated, into buf of size n. */
void fc_channel_names_format(const fc_channel *ch, int channels, const fc_volume_list *vl, char *buf, size_t n);

/* Parse channel names as fc_channel_names_format writes them: kinds into ch (max entries), the volumes' names
 * into vl (count and names; paths, sizes, hashes and scales cleared), the channel count into *count. Refused
 * (FC_ERR_FORMAT, the reason in err) when the names are not volume after volume with the same kinds in the same
 * order, or there are too many. */
fc_status fc_channel_names_parse(const char *list, fc_channel *ch, int max, fc_volume_list *vl, int *count,
                                 fc_error *err);

/* A list of the survey alone, of this scale. */
void fc_volume_list_single(fc_volume_list *vl, double scale);

/* The volume of channel c, and its normalisation scale (1 for cos-phase, which is not scaled). */
int fc_channel_volume(int c, int channels, const fc_volume_list *vl);
double fc_channel_scale(int c, const fc_channel *ch, int channels, const fc_volume_list *vl);

/* What differs first between two grids (fc_survey_grid_compare), checked in this order. */
typedef enum fc_grid_difference {
    FC_GRID_SAME = 0,
    FC_GRID_KIND = 1,            /* a 3-D volume and a 2-D line */
    FC_GRID_SAMPLE_COUNT = 2,    /* samples per trace */
    FC_GRID_SAMPLE_INTERVAL = 3, /* ms */
    FC_GRID_START_TIME = 4,      /* ms */
    FC_GRID_INLINES = 5,         /* the inline numbers of the grid */
    FC_GRID_CROSSLINES = 6,      /* the crossline (or CDP) numbers */
    FC_GRID_TRACES = 7,          /* a cell with a trace in one and none in the other */
} fc_grid_difference;

/* "same", "kind", "sample_count", "sample_interval", "start_time", "inlines", "crosslines", "traces". */
const char *fc_grid_difference_name(fc_grid_difference d);

/* Whether two surveys lie on the same grid: kind, sample count, interval, start time, inline and crossline
 * numbers and the cells that hold a trace (trace order and sample format may differ). FC_GRID_SAME when they do;
 * otherwise the first difference, described in why (size n): "inline 1003 crossline 2017 has a trace in A but
 * none in B", "sample count 160 in A, 200 in B", ...; a_name and b_name name the files in it. */
fc_grid_difference fc_survey_grid_compare(const fc_survey *a, const fc_survey *b, const char *a_name,
                                          const char *b_name, char *why, size_t n);

#ifdef __cplusplus
}
#endif

#endif
