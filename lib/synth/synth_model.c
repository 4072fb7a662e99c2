#include "synth_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "facies/rng.h"

enum { F_HIGH = 1, F_LOW = 2, F_CHAOTIC = 3, F_CLINO = 4, F_CHANNEL = 5, F_SALT = 6, F_GAS = FC_SYNTH_GAS };

const int synth_unit_facies[SYNTH_HORIZONS - 1] = {F_LOW, F_HIGH, F_CLINO, F_CHAOTIC, F_HIGH, F_LOW};

/* Mean depth of each horizon as a fraction of the trace (H0 top, H6 base). */
static const double base_depth[SYNTH_HORIZONS] = {0.0, 0.15, 0.31, 0.49, 0.65, 0.81, 1.0};

void synth_model_init(synth_model *m, const fc_synth_options *o)
{
    fc_rng r;
    fc_rng_seed(&r, o->seed);
    m->o = *o;
    m->seed = o->seed;
    double ns = o->samples;
    for (int h = 0; h < SYNTH_HORIZONS; h++) {
        int interior = h > 0 && h < SYNTH_HORIZONS - 1;
        m->base_frac[h] = base_depth[h];
        /* Folds and dips shared in shape but not in size by all horizons, so
         * units thicken and thin: depth alone does not give the facies. */
        m->fold_amp[h] = interior ? ns * (0.05 + 0.04 * fc_rng_uniform(&r)) : 0.0;
        m->fold_kx[h] = 0.8 + 0.6 * fc_rng_uniform(&r);
        m->fold_ky[h] = 0.4 + 0.5 * fc_rng_uniform(&r);
        m->fold_phase[h] = 6.283185307179586 * fc_rng_uniform(&r);
        m->dip[h] = interior ? ns * (0.04 + 0.05 * fc_rng_uniform(&r)) : 0.0;
    }
    for (int c = 0; c < SYNTH_CHANNELS; c++) {
        synth_channel *ch = &m->channel[c];
        ch->axis0 = o->crosslines * (0.15 + 0.7 * (c + fc_rng_uniform(&r)) / SYNTH_CHANNELS);
        ch->amp = o->crosslines * (0.03 + 0.05 * fc_rng_uniform(&r));
        ch->wavelength = o->inlines * (0.6 + 0.8 * fc_rng_uniform(&r));
        ch->phase = 6.283185307179586 * fc_rng_uniform(&r);
        ch->half_width = o->crosslines * (0.04 + 0.04 * fc_rng_uniform(&r)) + 2.0;
        ch->depth = ns * (0.06 + 0.04 * fc_rng_uniform(&r)) + 3.0;
    }
    m->salt_i = o->inlines * (0.3 + 0.4 * fc_rng_uniform(&r));
    m->salt_j = o->crosslines * (0.3 + 0.4 * fc_rng_uniform(&r));
    m->salt_radius = 0.22 + 0.08 * fc_rng_uniform(&r);
    m->salt_height = ns * (0.42 + 0.08 * fc_rng_uniform(&r));
}

/* Horizon depth in samples before rounding. */
static double horizon_samples(const synth_model *m, int h, double x, double y)
{
    double ns = m->o.samples;
    if (h == 0)
        return 0.0;
    if (h == SYNTH_HORIZONS - 1)
        return ns - 1;
    double fold = m->fold_amp[h] * sin(6.283185307179586 * (m->fold_kx[h] * x + m->fold_ky[h] * y) + m->fold_phase[h]);
    return m->base_frac[h] * ns + fold + m->dip[h] * (x - 0.5);
}

static double round_ms(double v)
{
    /* The value a reader of "%.2f" gets back, so labels and horizon files agree exactly. */
    char buf[64];
    snprintf(buf, sizeof buf, "%.2f", v);
    return strtod(buf, NULL);
}

void synth_horizons_ms(const synth_model *m, int i, int j, double h_ms[SYNTH_HORIZONS])
{
    double x = m->o.crosslines > 1 ? (double)j / (m->o.crosslines - 1) : 0.0;
    double y = m->o.inlines > 1 ? (double)i / (m->o.inlines - 1) : 0.0;
    double min_gap = 0.06 * m->o.samples;
    double prev = 0.0;
    for (int h = 0; h < SYNTH_HORIZONS; h++) {
        double s = horizon_samples(m, h, x, y);
        if (h > 0 && h < SYNTH_HORIZONS - 1) {
            /* Keep units apart and inside the trace: horizons never cross. */
            double lo = prev + min_gap, hi = (m->o.samples - 1) - min_gap * (SYNTH_HORIZONS - 1 - h);
            s = s < lo ? lo : s > hi ? hi : s;
        }
        prev = s;
        h_ms[h] = round_ms(s * m->o.dt_ms);
    }
}

static double hash(const synth_model *m, int64_t a, int64_t b, int64_t c)
{
    return fc_hash_uniform(m->seed, a, b, c);
}

/* Impedance of a layered facies at stratal coordinate u in [0, 1) of its unit. */
static double unit_impedance(const synth_model *m, int facies, int unit, double u, double thick, int i, int j)
{
    double x = (double)j / (m->o.crosslines > 1 ? m->o.crosslines - 1 : 1);
    double y = (double)i / (m->o.inlines > 1 ? m->o.inlines - 1 : 1);
    switch (facies) {
    case F_HIGH: {
        int64_t layer = (int64_t)floor(u * thick / 5.0);
        return 1.0 + 0.32 * (hash(m, 1, unit, layer) - 0.5);
    }
    case F_LOW: {
        int64_t layer = (int64_t)floor(u * thick / 3.0);
        return 1.0 + 0.05 * (hash(m, 2, unit, layer) - 0.5);
    }
    case F_CLINO: {
        /* Oblique layers: stratal coordinate tilted against the unit's top and base. */
        double c = u * thick / 4.0 + (1.1 * x + 0.7 * y) * thick / 1.5;
        int64_t layer = (int64_t)floor(c);
        return 1.0 + 0.26 * (hash(m, 4, unit, layer) - 0.5);
    }
    case F_CHAOTIC: {
        /* Short reflector segments, each shifted and tilted at random. */
        int64_t seg_j = (int64_t)floor((j + 5.0 * hash(m, 30, unit, i / 3)) / 4.0);
        int64_t seg_i = i / 4;
        double shift = 3.0 * hash(m, 31, seg_i, seg_j);
        double tilt = 1.6 * (hash(m, 32, seg_i, seg_j) - 0.5) * (j % 4);
        int64_t layer = (int64_t)floor((u * thick + tilt) / 3.5 + shift);
        return 1.0 + 0.30 * (hash(m, 33, seg_j * 7919 + seg_i, layer) - 0.5);
    }
    default: return 1.0;
    }
}

/* --angles: whether cell (i, j) of a parallel_high unit lies in a gas lens (about a third of the unit's area, in
 * patches across the map that differ from unit to unit). */
static int gas_lens(const synth_model *m, int unit, int i, int j)
{
    double x = (double)j / (m->o.crosslines > 1 ? m->o.crosslines - 1 : 1);
    double y = (double)i / (m->o.inlines > 1 ? m->o.inlines - 1 : 1);
    double a = 6.283185307179586 * (1.3 * x + hash(m, 70, unit, 0)),
           b = 6.283185307179586 * (0.9 * y + hash(m, 71, unit, 0));
    return sin(a) * sin(b) > 0.2;
}

void synth_trace(const synth_model *m, int i, int j, int16_t *codes, float *imp)
{
    int ns = m->o.samples;
    double dt = m->o.dt_ms;
    double h[SYNTH_HORIZONS];
    synth_horizons_ms(m, i, j, h);
    /* Salt: a dome rising from the base. */
    double di = (i - m->salt_i) / (m->o.inlines > 1 ? m->o.inlines : 1);
    double dj = (j - m->salt_j) / (m->o.crosslines > 1 ? m->o.crosslines : 1);
    double r2 = (di * di + dj * dj) / (m->salt_radius * m->salt_radius);
    double salt_top = (ns - 1) + 0.15 * ns - m->salt_height * exp(-1.5 * r2);
    int unit = 0;
    for (int k = 0; k < ns; k++) {
        double t = k * dt;
        while (unit < SYNTH_HORIZONS - 2 && t >= h[unit + 1])
            unit++;
        double top = h[unit] / dt, base = h[unit + 1] / dt;
        double thick = base - top > 1.0 ? base - top : 1.0;
        double u = (k - top) / thick;
        int f = synth_unit_facies[unit];
        /* Layers are as thick in ms whatever the interval (thickness in 4 ms samples; exact at 4 ms): a survey at
         * 2 ms with twice the samples shows the model a 4 ms survey shows. */
        double z = unit_impedance(m, f, unit, u, thick * (dt / 4.0), i, j);
        if (m->o.angles && f == F_HIGH && gas_lens(m, unit, i, j))
            f = F_GAS; /* parallel_high's impedance: only its AVO gradient tells it apart */
        /* Channels cut down from the top of unit 1 (the high-amplitude unit). */
        double c_top = h[1] / dt;
        for (int c = 0; c < SYNTH_CHANNELS; c++) {
            const synth_channel *ch = &m->channel[c];
            double axis = ch->axis0 + ch->amp * sin(6.283185307179586 * i / ch->wavelength + ch->phase);
            double d = (j - axis) / ch->half_width;
            if (fabs(d) >= 1.0)
                continue;
            double c_base = c_top + ch->depth * (1.0 - d * d);
            if (k >= c_top && k < c_base) {
                /* Fill drapes the concave-up base: layers follow its shape. */
                double v = (k - c_top) / (c_base - c_top);
                int64_t layer = (int64_t)floor(v * ch->depth / 2.5);
                f = F_CHANNEL;
                z = 0.86 + 0.07 * (hash(m, 50 + c, layer, 0) - 0.5);
            }
        }
        if (k >= salt_top) {
            f = F_SALT;
            z = 1.45; /* transparent inside, strong contrast at its top */
        }
        codes[k] = (int16_t)f;
        imp[k] = (float)z;
    }
}

int synth_cell_missing(const synth_model *m, int i, int j)
{
    return m->o.missing > 0.0 && hash(m, 99, i, j) < m->o.missing;
}
