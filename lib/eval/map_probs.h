/* Internal: the class files of apply --probabilities-segy DIR, read beside a facies volume for its maps. */
#ifndef FACIES_MAP_PROBS_H
#define FACIES_MAP_PROBS_H

#include <stddef.h>

#include "facies/labels.h"
#include "facies/survey.h"

typedef struct fc_map_probs {
    int count;                       /* classes (the legend's), 0 when none are read */
    fc_survey *file[FC_MAX_CLASSES]; /* DIR/<code>_<name>.sgy */
    float *sec;                      /* [count][width][nk] the window last read */
    unsigned char *present;          /* [width] */
    int width, nk;
} fc_map_probs;

/* Open the class file of every class of `legend` in dir (named as apply names them) with the facies volume's
 * header bytes `opt`; each must have the facies volume's grid, samples, interval and start time (an error names
 * the file and what differs). Close with fc_map_probs_close, also after a failure. */
fc_status fc_map_probs_open(fc_map_probs *p, const char *dir, const fc_survey *facies, const fc_classes *legend,
                            const fc_survey_options *opt, fc_error *err);

/* Read samples [k0, k0 + nk) of a section of every class file. */
fc_status fc_map_probs_read(fc_map_probs *p, fc_orientation o, int line, int k0, int nk, fc_error *err);

/* Class c's samples of trace j of the window last read (nk of them). */
const float *fc_map_probs_trace(const fc_map_probs *p, int c, int j);

void fc_map_probs_close(fc_map_probs *p);

#endif
