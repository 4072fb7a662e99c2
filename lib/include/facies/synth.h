/* facies — synthetic labelled surveys whose facies are known everywhere.
 *
 * The seismic is made the way geophysicists make synthetics: an impedance
 * model per facies, its reflectivity convolved with a Ricker wavelet (FFTW),
 * plus noise. Six facies with the textures interpreters label:
 *
 *   1 parallel_high  continuous high-amplitude parallel reflectors
 *   2 parallel_low   low-amplitude parallel reflectors
 *   3 chaotic        chaotic / mass-transport deposit
 *   4 clinoform      dipping clinoforms
 *   5 channel        concave-up channel fills cut into their host
 *   6 salt           transparent salt-like body with a strong top
 *
 * Layered units lie between folded, dipping horizons, so a facies is told by
 * its texture, not by its depth. Everything is deterministic for a seed.
 *
 * With `angles` (synth --angles N), N partial-angle stacks are written too, from
 * the same model with angle-dependent reflectivity (an AVO gradient per facies),
 * and a seventh facies appears:
 *
 *   7 gas_sand       lenses inside the parallel_high units with parallel_high's
 *                    impedance (alike on the near stack) that brighten with angle
 */
#ifndef FACIES_SYNTH_H
#define FACIES_SYNTH_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/survey.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FC_SYNTH_FACIES 6
#define FC_SYNTH_GAS 7 /* the facies that --angles adds */

typedef struct fc_synth_options {
    int inlines, crosslines, samples;  /* grid: default 48 x 96 x 160 */
    int first_inline, first_crossline; /* header numbers of the first lines (1000, 2000) */
    double dt_ms;                      /* sample interval (4) */
    double freq_hz;                    /* Ricker peak frequency (30) */
    uint64_t seed;                     /* (1) */
    double noise;                      /* noise RMS as a fraction of signal RMS (0.1) */
    double missing;                    /* fraction of traces dropped, 0 <= f < 1 (0) */
    fc_sample_format format;           /* survey.sgy sample format: IBM, IEEE or INT16 (IBM) */
    fc_byte_order byte_order;          /* (big) */
    int iline_byte, xline_byte;        /* (189, 193) */
    double azimuth_deg;                /* direction of increasing crosslines, clockwise from north (90: east) */
    double bin_x, bin_y;               /* metres between adjacent crosslines / inlines (25, 25) */
    int angles; /* 0: none (the default); 2..8: partial-angle stacks written beside survey.sgy, which is then their
                 * full stack (their mean, with its own noise), with gas sand (facies 7) in the model */
} fc_synth_options;

fc_synth_options fc_synth_options_default(void);

typedef struct fc_synth_summary {
    int64_t traces, missing_traces;
    int64_t picks;
    int64_t samples_per_facies[FC_SYNTH_GAS + 1]; /* index = code */
    double signal_rms, noise_rms;
} fc_synth_summary;

/* CDP X/Y of grid cell (i, j) in metres: the first trace at (600000, 6000000), crosslines stepping bin_x
 * towards azimuth_deg, inlines stepping bin_y a right angle anticlockwise of it (north with the defaults). */
void fc_synth_xy(const fc_synth_options *o, int i, int j, double *x, double *y);

/* Write survey.sgy, labels.sgy, picks.csv, horizons/ (H0.txt..H6.txt and
 * intervals.csv) and classes.csv into outdir (created if needed); with angles,
 * the angle stacks too (near.sgy, mid.sgy, far.sgy for 3; see synth --help). Each file
 * is written under a temporary name and renamed when complete. summary may
 * be NULL. */
fc_status fc_synth_write(const char *outdir, const fc_synth_options *o, fc_synth_summary *summary, fc_error *err);

/* Name and colour (#rrggbb) of a synthetic facies code 1..7; NULL otherwise. */
const char *fc_synth_facies_name(int code);
const char *fc_synth_facies_colour(int code);

#ifdef __cplusplus
}
#endif

#endif
