/* Internal: the geological model behind fc_synth_write. */
#ifndef FACIES_SYNTH_MODEL_H
#define FACIES_SYNTH_MODEL_H

#include <stdint.h>

#include "facies/synth.h"

#define SYNTH_HORIZONS 7 /* H0 (top) .. H6 (base): six units */
#define SYNTH_CHANNELS 3

typedef struct synth_channel {
    double axis0, amp, wavelength, phase; /* axis crossline index = axis0 + amp sin(2 pi i / wavelength + phase) */
    double half_width, depth;             /* crosslines, samples */
} synth_channel;

typedef struct synth_model {
    fc_synth_options o;
    double fold_amp[SYNTH_HORIZONS], fold_kx[SYNTH_HORIZONS], fold_ky[SYNTH_HORIZONS], fold_phase[SYNTH_HORIZONS];
    double dip[SYNTH_HORIZONS], base_frac[SYNTH_HORIZONS];
    synth_channel channel[SYNTH_CHANNELS];
    double salt_i, salt_j, salt_radius, salt_height; /* grid units, samples */
    uint64_t seed;
} synth_model;

/* The facies code of each unit, H_u to H_u+1, top down. */
extern const int synth_unit_facies[SYNTH_HORIZONS - 1];

void synth_model_init(synth_model *m, const fc_synth_options *o);

/* Horizon times in ms at grid cell (i, j), as they are written to the
 * horizon files (rounded to 0.01 ms), non-decreasing top down. */
void synth_horizons_ms(const synth_model *m, int i, int j, double h_ms[SYNTH_HORIZONS]);

/* One trace: facies codes and impedance per sample. */
void synth_trace(const synth_model *m, int i, int j, int16_t *codes, float *impedance);

/* Whether cell (i, j) is dropped from the survey (the --missing fraction). */
int synth_cell_missing(const synth_model *m, int i, int j);

#endif
