/* facies — sections as network input: normalisation, attribute channels and
 * patches. Ingest and apply both use these, so a sample classified densely
 * by apply sees exactly the patch ingest would have cut around it.
 */
#ifndef FACIES_PATCH_H
#define FACIES_PATCH_H

#include <stdint.h>

#include "facies/error.h"
#include "facies/signal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Channel kinds; a dataset's channels are a list of these. */
typedef enum fc_channel {
    FC_CHANNEL_AMPLITUDE = 0, /* clip(x / scale, -1, 1) */
    FC_CHANNEL_ENVELOPE = 1,  /* clip(|x + iH[x]| / scale, 0, 1), along each trace */
    FC_CHANNEL_COS_PHASE = 2, /* cos of instantaneous phase, in [-1, 1] */
} fc_channel;

#define FC_CHANNEL_KINDS 3
/* Channels of a network's input: every kind for each of up to FC_MAX_VOLUMES (8) input volumes (volumes.h). */
#define FC_MAX_CHANNELS 24

/* Parse "amplitude,envelope,cos-phase" into at most max kinds, their number into *count. An unknown or repeated
 * name, too many or none is refused (FC_ERR_ARGUMENT, the reason in err). */
fc_status fc_channels_parse(const char *list, fc_channel *out, int max, int *count, fc_error *err);
/* Write the comma-separated names of channels into buf. */
void fc_channels_format(const fc_channel *ch, int n, char *buf, size_t size);

/* Normalisation: divide by `scale`, a high percentile of |amplitude| taken
 * survey-wide from a bounded sample of traces, then clip. */
typedef struct fc_normalisation {
    char method[32];   /* "clip_abs_percentile" */
    double percentile; /* 99 */
    double scale;      /* > 0 */
} fc_normalisation;

/* Scales (--scales 1,4): factor[0] = 1 is the section itself; each further factor K adds, for every channel, a
 * coarser view centred on the same sample: the plane low-passed for K (fc_lowpass) and sampled every K samples and
 * K traces, so a 65 x 65 patch at K = 4 sees 257 x 257 samples. A patch then holds nch * n planes, scale by scale.
 * A zeroed struct means one scale. */
#define FC_MAX_SCALES 4
typedef struct fc_scales {
    int n;
    int factor[FC_MAX_SCALES];
} fc_scales;

/* Parse "1,4": 1 first, then increasing factors 2..FC_MAX_SCALE_FACTOR, at most FC_MAX_SCALES. Anything else is
 * refused (FC_ERR_ARGUMENT; out untouched). */
fc_status fc_scales_parse(const char *list, fc_scales *out, fc_error *err);
/* "1,4" into buf. */
void fc_scales_format(const fc_scales *s, char *buf, size_t size);
/* How many scales (1 for a zeroed struct). */
int fc_scales_count(const fc_scales *s);

/* Turns raw sections into channel planes. Owns its FFT plans and scratch. */
typedef struct fc_sectioner fc_sectioner;

/* Sections of `width` traces of `samples` samples, with these channels. */
fc_status fc_sectioner_create(fc_sectioner **out, int width, int samples, const fc_channel *ch, int nch,
                              const fc_normalisation *norm, fc_error *err);
void fc_sectioner_destroy(fc_sectioner *s);

/* Add the coarse views of these scales to every section (call once, after create). */
fc_status fc_sectioner_set_scales(fc_sectioner *s, const fc_scales *scales, fc_error *err);

/* raw: trace-major [width][samples]. out: [nch][width][samples], then with scales the low-passed planes of each
 * further scale: [nch * scales][width][samples] in all. */
void fc_sectioner_apply(fc_sectioner *s, const float *raw, float *out);

/* Cut the patch centred on trace t, sample k of channel planes
 * [nch][width][samples] into out [nch][height][pw] (rows = time, columns =
 * traces), reflect-padding at the edges. Returns 0, or -1 (out untouched) if
 * the patch would need a trace with present[] = 0 (present may be NULL). */
int fc_patch_cut(const float *planes, int nch, int width, int samples, const unsigned char *present, int t, int k,
                 int height, int pw, float *out);

/* The same for planes [nch * scales][width][samples] of a sectioner with scales: out [nch * scales][height][pw],
 * the planes of scale K sampled every K samples and K traces around (t, k), reflecting at the section's edges.
 * -1 when any scale's patch would need a missing trace. */
int fc_patch_cut_scales(const float *planes, int nch, const fc_scales *scales, int width, int samples,
                        const unsigned char *present, int t, int k, int height, int pw, float *out);

/* The input of the sweep (fc_sweep_run_scales) for a section: the planes of scale K reflect-padded so that
 * row y, column x is section sample y - K (height / 2), trace x - K (pw / 2), each reflected as fc_patch_cut_scales
 * reflects them; [nch][samples + K (sr - 1)][width + K (sc - 1)] per scale, one after the other in out (sized by
 * fc_patch_pad_floats); in[s] gets where scale s starts. (sr, sc): the network's dense span. */
size_t fc_patch_pad_floats(int nch, const fc_scales *scales, int width, int samples, int sr, int sc);
void fc_patch_pad_scales(const float *planes, int nch, const fc_scales *scales, int width, int samples, int height,
                         int pw, int sr, int sc, float *out, const float **in);

#ifdef __cplusplus
}
#endif

#endif
