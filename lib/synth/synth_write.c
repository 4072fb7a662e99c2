#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "facies/rng.h"
#include "facies/segy_writer.h"
#include "facies/signal.h"
#include "facies/synth.h"
#include "facies/version.h"
#include "fail.h"
#include "folder.h"
#include "synth_angles.h"
#include "synth_model.h"
#include "text_file.h"

static const char *const names[FC_SYNTH_GAS + 1] = {
    NULL, "parallel_high", "parallel_low", "chaotic", "clinoform", "channel", "salt", "gas_sand",
};
static const char *const colours[FC_SYNTH_GAS + 1] = {
    NULL, "#2166ac", "#92c5de", "#b2182b", "#f4a582", "#ffd700", "#7b3294", "#1b7837",
};

const char *fc_synth_facies_name(int code)
{
    return code >= 1 && code <= FC_SYNTH_GAS ? names[code] : NULL;
}

const char *fc_synth_facies_colour(int code)
{
    return code >= 1 && code <= FC_SYNTH_GAS ? colours[code] : NULL;
}

fc_synth_options fc_synth_options_default(void)
{
    fc_synth_options o = {
        .inlines = 48,
        .crosslines = 96,
        .samples = 160,
        .first_inline = 1000,
        .first_crossline = 2000,
        .dt_ms = 4.0,
        .freq_hz = 30.0,
        .seed = 1,
        .noise = 0.1,
        .missing = 0.0,
        .format = FC_SAMPLE_FORMAT_IBM,
        .byte_order = FC_BYTE_ORDER_BIG,
        .iline_byte = 189,
        .xline_byte = 193,
        .azimuth_deg = 90.0,
        .bin_x = 25.0,
        .bin_y = 25.0,
    };
    return o;
}

void fc_synth_xy(const fc_synth_options *o, int i, int j, double *x, double *y)
{
    double a = o->azimuth_deg * (3.14159265358979323846 / 180.0), ux = sin(a), uy = cos(a);
    *x = 600000.0 + j * o->bin_x * ux - i * o->bin_y * uy;
    *y = 6000000.0 + j * o->bin_x * uy + i * o->bin_y * ux;
}

/* Whole metres (scalar 1, as synth always wrote) when the grid allows, else centimetres (scalar -100). */
static int xy_in_metres(const fc_synth_options *o)
{
    return fmod(o->azimuth_deg, 90.0) == 0.0 && o->bin_x == round(o->bin_x) && o->bin_y == round(o->bin_y);
}

static fc_status check_options(const fc_synth_options *o, fc_error *err)
{
    if (o->inlines < 1 || o->crosslines < 1 || o->inlines > 100000 || o->crosslines > 100000)
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: inlines and crosslines must be 1..100000");
    if (o->samples < 32 || o->samples > 32767)
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: samples must be 32..32767 (got %d)", o->samples);
    if (!(o->dt_ms >= 0.25 && o->dt_ms <= 32.0) || fabs(o->dt_ms * 1000.0 - round(o->dt_ms * 1000.0)) > 1e-9)
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: --dt-ms must be 0.25..32 in whole microseconds");
    if (!(o->noise >= 0.0 && o->noise <= 10.0))
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: --noise must be 0..10");
    if (!(o->missing >= 0.0 && o->missing < 0.9))
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: --missing must be at least 0 and below 0.9");
    if (!(o->freq_hz > 0.0 && o->freq_hz < 500.0 / o->dt_ms))
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: the wavelet frequency must be below Nyquist (%g Hz)",
                       500.0 / o->dt_ms);
    if (!(o->azimuth_deg >= -360.0 && o->azimuth_deg <= 360.0))
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: --azimuth must be -360..360 degrees");
    if (!(o->bin_x > 0.0 && o->bin_y > 0.0 && (o->inlines * o->bin_y + o->crosslines * o->bin_x) < 1e7))
        return fc_fail(err, FC_ERR_ARGUMENT,
                       "synth: --bin sizes must be above 0, and the survey under 10000 km across");
    if (o->format != FC_SAMPLE_FORMAT_IBM && o->format != FC_SAMPLE_FORMAT_IEEE && o->format != FC_SAMPLE_FORMAT_INT16)
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: format must be ibm, ieee or int16");
    /* Fields synth itself writes (byte, width); the line numbers must not overlap them. */
    static const int used[][2] = {{1, 4}, {21, 4}, {71, 2}, {115, 2}, {117, 2}, {181, 4}, {185, 4}};
    const int line_bytes[2] = {o->iline_byte, o->xline_byte};
    for (int k = 0; k < 2; k++) {
        int b = line_bytes[k];
        if (b < 1 || b > 237)
            return fc_fail(err, FC_ERR_ARGUMENT, "synth: header byte %d is outside 1..237", b);
        for (size_t u = 0; u < sizeof used / sizeof used[0]; u++)
            if (b + 4 > used[u][0] && b < used[u][0] + used[u][1])
                return fc_fail(err, FC_ERR_ARGUMENT, "synth: header byte %d overlaps the field at byte %d", b,
                               used[u][0]);
    }
    if (o->angles != 0 && (o->angles < 2 || o->angles > SYNTH_MAX_ANGLES))
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: --angles must be 2..%d (got %d)", SYNTH_MAX_ANGLES, o->angles);
    if (abs(o->iline_byte - o->xline_byte) < 4)
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: inline and crossline bytes overlap");
    return FC_OK;
}

typedef struct synth_run {
    synth_model m;
    fc_convolver *conv;
    int16_t *codes;
    float *imp, *refl, *trace;
    double scale, noise_sigma;
    float *stack[SYNTH_MAX_ANGLES];       /* --angles: one cell's trace of each angle stack */
    fc_segy_writer *wa[SYNTH_MAX_ANGLES]; /* and their files */
} synth_run;

/* Reflectivity of the impedance model convolved with the wavelet, unscaled. */
static void synth_signal(synth_run *r, int i, int j)
{
    int ns = r->m.o.samples;
    synth_trace(&r->m, i, j, r->codes, r->imp);
    for (int k = 0; k < ns - 1; k++)
        r->refl[k] = (r->imp[k + 1] - r->imp[k]) / (r->imp[k + 1] + r->imp[k]);
    r->refl[ns - 1] = 0.0f;
    fc_convolver_apply(r->conv, r->refl, r->trace);
}

/* Signal RMS from a fixed subset of cells, to size the noise and the scale. */
static double signal_rms(synth_run *r)
{
    double sum = 0.0;
    long n = 0;
    int ni = r->m.o.inlines, nj = r->m.o.crosslines;
    for (int s = 0; s < 64; s++) {
        int i = (int)((long)s * 37 % ni), j = (int)((long)s * 53 % nj);
        synth_signal(r, i, j);
        for (int k = 0; k < r->m.o.samples; k++)
            sum += (double)r->trace[k] * r->trace[k];
        n += r->m.o.samples;
    }
    return sqrt(sum / (double)n);
}

static void text_header(char *text, const fc_synth_options *o, const char *what)
{
    /* Lines are formatted with room to spare, then cut to 80 columns. */
    char lines[5][160];
    memset(lines, 0, sizeof lines);
    snprintf(lines[0], 160, "C 1 FACIES %s SYNTHETIC %s", FC_VERSION, what);
    snprintf(lines[1], 160, "C 2 GRID %d INLINES FROM %d x %d CROSSLINES FROM %d x %d SAMPLES", o->inlines,
             o->first_inline, o->crosslines, o->first_crossline, o->samples);
    snprintf(lines[2], 160, "C 3 SAMPLE INTERVAL %g MS, RICKER %g HZ, NOISE %g, SEED %llu", o->dt_ms, o->freq_hz,
             o->noise, (unsigned long long)o->seed);
    snprintf(lines[3], 160, "C 4 INLINE BYTE %d, CROSSLINE BYTE %d, CDP X/Y BYTES 181/185", o->iline_byte,
             o->xline_byte);
    snprintf(lines[4], 160, "C 5 FACIES 1 PARALLEL_HIGH 2 PARALLEL_LOW 3 CHAOTIC 4 CLINOFORM 5 CHANNEL 6 SALT");
    const char *ptr[5] = {lines[0], lines[1], lines[2], lines[3], lines[4]};
    fc_segy_text_lines(ptr, 5, text);
}

static void trace_header(unsigned char *th, const fc_synth_options *o, int64_t seq, int i, int j)
{
    memset(th, 0, 240);
    fc_header_set_i32(th, 1, (int32_t)(seq + 1));
    fc_header_set_i32(th, 21, (int32_t)((int64_t)i * o->crosslines + j + 1));
    int metres = xy_in_metres(o);
    double x, y;
    fc_synth_xy(o, i, j, &x, &y);
    fc_header_set_i16(th, 71, metres ? 1 : -100);
    fc_header_set_i16(th, 115, o->samples);
    fc_header_set_i16(th, 117, (int32_t)lround(o->dt_ms * 1000.0));
    fc_header_set_i32(th, 181, (int32_t)lround(metres ? x : x * 100.0));
    fc_header_set_i32(th, 185, (int32_t)lround(metres ? y : y * 100.0));
    fc_header_set_i32(th, o->iline_byte, o->first_inline + i);
    fc_header_set_i32(th, o->xline_byte, o->first_crossline + j);
}

/* --angles: the cell's angle stacks (scaled, each with its own noise) and, in r->trace, their mean signal, the full
 * stack before its noise. synth_signal has run for the cell. */
static void angle_traces(synth_run *r, int i, int j)
{
    const fc_synth_options *o = &r->m.o;
    int ns = o->samples;
    for (int k = 0; k < ns; k++)
        r->trace[k] = 0.0f;
    for (int a = 0; a < o->angles; a++) {
        float *t = r->stack[a];
        synth_angle_reflectivity(r->imp, r->codes, ns, synth_angle_deg(a, o->angles), r->refl);
        fc_convolver_apply(r->conv, r->refl, t);
        fc_rng noise;
        fc_rng_seed(&noise, (o->seed * 0x9e3779b97f4a7c15ull + (uint64_t)((int64_t)i * o->crosslines + j)) ^
                                (0x414e474c45ull * (uint64_t)(a + 1)));
        for (int k = 0; k < ns; k++) {
            r->trace[k] += t[k] / (float)o->angles;
            t[k] = (float)((t[k] + r->noise_sigma * fc_rng_normal(&noise)) * r->scale);
        }
    }
}

/* --angles: one SEG-Y per angle stack, with survey.sgy's layout. */
static fc_status create_angle_files(synth_run *r, const char *dir, fc_error *err)
{
    const fc_synth_options *o = &r->m.o;
    fc_status st = FC_OK;
    for (int a = 0; a < o->angles && !st; a++) {
        char path[4096], file[32], what[96], text[3201];
        unsigned char head[3600];
        synth_angle_file(a, o->angles, file, sizeof file);
        st = fc_path_format(path, sizeof path, err, "%s/%s", dir, file);
        if (st)
            break;
        snprintf(what, sizeof what, "SEISMIC, PARTIAL STACK AT %.1f DEG INCIDENCE", synth_angle_deg(a, o->angles));
        text_header(text, o, what);
        fc_segy_head_init(head, text, o->samples, (int)lround(o->dt_ms * 1000.0), o->format, o->byte_order);
        st = fc_segy_writer_create(&r->wa[a], path, head, o->byte_order, err);
    }
    return st;
}

static fc_status write_volumes(synth_run *r, const char *dir, fc_synth_summary *sum, fc_error *err)
{
    const fc_synth_options *o = &r->m.o;
    char path[4096], text[3201];
    unsigned char head[3600];
    fc_segy_writer *ws = NULL, *wl = NULL;
    int dt_us = (int)lround(o->dt_ms * 1000.0);
    fc_status st = fc_path_format(path, sizeof path, err, "%s/survey.sgy", dir);
    text_header(text, o, o->angles ? "SEISMIC, FULL STACK OF THE ANGLE STACKS" : "SEISMIC");
    fc_segy_head_init(head, text, o->samples, dt_us, o->format, o->byte_order);
    if (!st)
        st = fc_segy_writer_create(&ws, path, head, o->byte_order, err);
    if (!st && o->angles)
        st = create_angle_files(r, dir, err);
    if (!st) {
        st = fc_path_format(path, sizeof path, err, "%s/labels.sgy", dir);
        text_header(text, o, "FACIES LABELS (SAMPLE = FACIES CODE)");
        fc_segy_head_init(head, text, o->samples, dt_us, FC_SAMPLE_FORMAT_INT16, o->byte_order);
        if (!st)
            st = fc_segy_writer_create(&wl, path, head, o->byte_order, err);
    }
    float *codes_f = malloc(sizeof(float) * (size_t)o->samples);
    if (!st && !codes_f)
        st = fc_fail(err, FC_ERR_NOMEM, "synth: out of memory");
    int64_t seq = 0;
    unsigned char th[240];
    for (int i = 0; i < o->inlines && !st; i++) {
        for (int j = 0; j < o->crosslines && !st; j++) {
            if (synth_cell_missing(&r->m, i, j)) {
                sum->missing_traces++;
                continue;
            }
            synth_signal(r, i, j);
            if (o->angles)
                angle_traces(r, i, j);
            fc_rng noise;
            fc_rng_seed(&noise, o->seed * 0x9e3779b97f4a7c15ull + (uint64_t)((int64_t)i * o->crosslines + j));
            for (int k = 0; k < o->samples; k++) {
                double v = r->trace[k] + r->noise_sigma * fc_rng_normal(&noise);
                r->trace[k] = (float)(v * r->scale);
                codes_f[k] = r->codes[k];
                sum->samples_per_facies[r->codes[k]]++;
            }
            trace_header(th, o, seq, i, j);
            st = fc_segy_writer_put(ws, seq, th, r->trace, err);
            if (!st)
                st = fc_segy_writer_put(wl, seq, th, codes_f, err);
            for (int a = 0; a < o->angles && !st; a++)
                st = fc_segy_writer_put(r->wa[a], seq, th, r->stack[a], err);
            seq++;
        }
    }
    sum->traces = seq;
    if (!st && seq == 0)
        st = fc_fail(err, FC_ERR_ARGUMENT, "synth: --missing left no traces");
    if (!st)
        st = fc_segy_writer_commit(ws, err);
    if (!st)
        st = fc_segy_writer_commit(wl, err);
    for (int a = 0; a < o->angles && !st; a++)
        st = fc_segy_writer_commit(r->wa[a], err);
    for (int a = 0; a < o->angles; a++)
        fc_segy_writer_destroy(r->wa[a]);
    free(codes_f);
    fc_segy_writer_destroy(ws);
    fc_segy_writer_destroy(wl);
    return st;
}

/* Picks as an interpreter makes them: on every sixth inline, scattered points. */
static fc_status write_picks(synth_run *r, const char *dir, fc_synth_summary *sum, fc_error *err)
{
    const fc_synth_options *o = &r->m.o;
    char path[4096];
    fc_text_file t;
    fc_status st = fc_path_format(path, sizeof path, err, "%s/picks.csv", dir);
    if (!st)
        st = fc_text_file_open(&t, path, err);
    if (st)
        return st;
    fprintf(t.f, "inline,crossline,time_ms,facies\n");
    fc_rng rng;
    fc_rng_seed(&rng, o->seed ^ 0x5049434bull);
    int per_line = o->crosslines * o->samples / 64 + 8;
    /* A position drawn twice on a line is picked once: an interpreter does not pick a sample twice. */
    unsigned char *taken = malloc((size_t)o->crosslines * (size_t)o->samples);
    if (!taken) {
        fc_text_file_abort(&t);
        return fc_fail(err, FC_ERR_NOMEM, "synth: out of memory");
    }
    for (int i = 2 % o->inlines; i < o->inlines; i += 6) {
        memset(taken, 0, (size_t)o->crosslines * (size_t)o->samples);
        for (int p = 0; p < per_line; p++) {
            int j = (int)fc_rng_below(&rng, (uint64_t)o->crosslines);
            int k = (int)fc_rng_below(&rng, (uint64_t)o->samples);
            if (synth_cell_missing(&r->m, i, j) || taken[(size_t)j * o->samples + k])
                continue;
            taken[(size_t)j * o->samples + k] = 1;
            synth_trace(&r->m, i, j, r->codes, r->imp);
            fprintf(t.f, "%d,%d,%g,%d\n", o->first_inline + i, o->first_crossline + j, k * o->dt_ms, r->codes[k]);
            sum->picks++;
        }
    }
    free(taken);
    return fc_text_file_commit(&t, err);
}

static fc_status write_horizons(synth_run *r, const char *dir, fc_error *err)
{
    const fc_synth_options *o = &r->m.o;
    char path[4096];
    fc_status st = fc_path_format(path, sizeof path, err, "%s/horizons", dir);
    if (st)
        return st;
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return fc_fail(err, FC_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    for (int h = 0; h < SYNTH_HORIZONS && !st; h++) {
        fc_text_file t;
        st = fc_path_format(path, sizeof path, err, "%s/horizons/H%d.txt", dir, h);
        if (!st)
            st = fc_text_file_open(&t, path, err);
        if (st)
            break;
        for (int i = 0; i < o->inlines; i++) {
            for (int j = 0; j < o->crosslines; j++) {
                double hm[SYNTH_HORIZONS];
                synth_horizons_ms(&r->m, i, j, hm);
                fprintf(t.f, "%d %d %.2f\n", o->first_inline + i, o->first_crossline + j, hm[h]);
            }
        }
        st = fc_text_file_commit(&t, err);
    }
    if (st)
        return st;
    fc_text_file t;
    st = fc_path_format(path, sizeof path, err, "%s/horizons/intervals.csv", dir);
    if (!st)
        st = fc_text_file_open(&t, path, err);
    if (st)
        return st;
    fprintf(t.f, "top_horizon,base_horizon,facies\n");
    for (int u = 0; u < SYNTH_HORIZONS - 1; u++)
        fprintf(t.f, "H%d.txt,H%d.txt,%d\n", u, u + 1, synth_unit_facies[u]);
    return fc_text_file_commit(&t, err);
}

static fc_status write_classes(const char *dir, int angles, fc_error *err)
{
    char path[4096];
    fc_text_file t;
    fc_status st = fc_path_format(path, sizeof path, err, "%s/classes.csv", dir);
    if (!st)
        st = fc_text_file_open(&t, path, err);
    if (st)
        return st;
    fprintf(t.f, "code,name,colour\n");
    for (int c = 1; c <= (angles ? FC_SYNTH_GAS : FC_SYNTH_FACIES); c++)
        fprintf(t.f, "%d,%s,%s\n", c, names[c], colours[c]);
    return fc_text_file_commit(&t, err);
}

fc_status fc_synth_write(const char *dir, const fc_synth_options *o, fc_synth_summary *summary, fc_error *err)
{
    fc_status st = check_options(o, err);
    if (st)
        return st;
    if (strlen(dir) > 3000)
        return fc_fail(err, FC_ERR_ARGUMENT, "synth: output folder name too long");
    st = fc_folder_make(dir, err);
    if (st)
        return st;
    synth_run r;
    memset(&r, 0, sizeof r);
    synth_model_init(&r.m, o);
    int ns = o->samples;
    int wn = (int)(2.0 * 1000.0 / (o->freq_hz * o->dt_ms)) | 1; /* two dominant periods */
    if (wn > 2 * ns + 1)
        wn = 2 * ns + 1;
    float *wavelet = malloc(sizeof(float) * (size_t)wn);
    r.codes = malloc(sizeof(int16_t) * (size_t)ns);
    r.imp = malloc(sizeof(float) * (size_t)ns);
    r.refl = malloc(sizeof(float) * (size_t)ns);
    r.trace = malloc(sizeof(float) * (size_t)ns);
    for (int a = 0; a < o->angles && !st; a++)
        if (!(r.stack[a] = malloc(sizeof(float) * (size_t)ns)))
            st = fc_fail(err, FC_ERR_NOMEM, "synth: out of memory");
    if (!wavelet || !r.codes || !r.imp || !r.refl || !r.trace)
        st = fc_fail(err, FC_ERR_NOMEM, "synth: out of memory");
    if (!st) {
        fc_ricker(wavelet, wn, o->freq_hz, o->dt_ms);
        st = fc_convolver_create(&r.conv, ns, wavelet, wn, err);
    }
    fc_synth_summary sum;
    memset(&sum, 0, sizeof sum);
    if (!st) {
        double rms = signal_rms(&r);
        if (rms <= 0.0)
            rms = 1.0;
        /* Amplitudes like a real int16 survey: signal RMS of about 3000. */
        r.scale = 3000.0 / rms;
        r.noise_sigma = o->noise * rms;
        sum.signal_rms = 3000.0;
        sum.noise_rms = 3000.0 * o->noise;
        st = write_volumes(&r, dir, &sum, err);
    }
    if (!st)
        st = write_picks(&r, dir, &sum, err);
    if (!st)
        st = write_horizons(&r, dir, err);
    if (!st)
        st = write_classes(dir, o->angles, err);
    fc_convolver_destroy(r.conv);
    free(wavelet);
    free(r.codes);
    free(r.imp);
    free(r.refl);
    free(r.trace);
    for (int a = 0; a < SYNTH_MAX_ANGLES; a++)
        free(r.stack[a]);
    if (!st && summary)
        *summary = sum;
    return st;
}
