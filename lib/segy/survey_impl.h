/* Internal: the survey handle. The survey module (survey_*.c) is the only
 * part of facies that includes segyio. */
#ifndef FACIES_SURVEY_IMPL_H
#define FACIES_SURVEY_IMPL_H

#include <segyio/segy.h>

#include "facies/survey.h"
#include "segy_layout.h"
#include "survey_geometry.h"

struct fc_survey {
    segy_file *fp;
    char *path;
    fc_segy_layout layout;
    fc_geometry geo;
    fc_survey_info info;
    unsigned char head[FC_SEGY_HEAD_BYTES]; /* text and binary header as stored */
    unsigned char *raw;                     /* one trace's sample bytes */
    int64_t nonfinite;
    int x_byte, y_byte;       /* as the options gave them (0: automatic) */
    struct fc_coords *coords; /* fitted on first use (survey_coords.c) */
};

/* segyio's format flag for a layout: format code plus byte order. */
int fc_segyio_flags(int format, fc_byte_order order);

/* One line naming what segyio reported. */
const char *fc_segyio_strerror(int code);

#endif
