/* One section of an apply run: the members classify it, the two orientations' passes meet, its traces go out. */
#include "apply_section.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "apply_pictures.h"
#include "fail.h"
#include "probs_segy.h"
#include "probs_store.h"

static float uncertainty(const apply_run *r, const float *p, int stride)
{
    float best = -1.0f, second = -1.0f;
    double h = 0.0;
    for (int c = 0; c < r->K; c++) {
        float v = p[(size_t)c * stride];
        if (v > best) {
            second = best;
            best = v;
        } else if (v > second) {
            second = v;
        }
        if (v > 0.0f)
            h -= v * log(v);
    }
    switch (r->o->uncertainty) {
    case FC_UNCERTAINTY_ENTROPY: return (float)h;
    case FC_UNCERTAINTY_DISAGREEMENT: { /* entropy of the mean minus the mean entropy, kept in plane K */
        double mi = h - p[(size_t)r->K * stride];
        return mi > 0.0 ? (float)mi : 0.0f;
    }
    case FC_UNCERTAINTY_MARGIN: return best - (second < 0 ? 0 : second);
    default: return best;
    }
}

/* Both orientations, first pass: keep an inline section's probabilities for the crossline pass. */
static fc_status store_inline(apply_run *r, int line, int width, int ns, fc_error *err)
{
    int K = r->KS, n_il = r->in->inline_count; /* disagreement: the mean entropy rides along as a class */
    size_t block = (size_t)ns * K;
    for (int t = 0; t < width; t++) {
        for (int k = 0; k < ns; k++)
            for (int c = 0; c < K; c++)
                r->column[(size_t)k * K + c] = r->probs[((size_t)c * ns + k) * width + t];
        off_t at = (off_t)(((size_t)t * n_il + (size_t)line) * block * sizeof(float));
        if (fseeko(r->inline_probs, at, SEEK_SET) != 0 ||
            fwrite(r->column, sizeof(float), block, r->inline_probs) != block)
            return fc_fail(err, FC_ERR_IO, "%s: write failed (disk full?)", r->inline_probs_path);
    }
    return FC_OK;
}

/* Both orientations, second pass: average a crossline section with the stored inline probabilities. */
static fc_status average_crossline(apply_run *r, int line, int width, int ns, fc_error *err)
{
    int K = r->KS;
    size_t n = (size_t)width * ns * K;
    if (fflush(r->inline_probs) != 0 ||
        fseeko(r->inline_probs, (off_t)((size_t)line * n * sizeof(float)), SEEK_SET) != 0 ||
        fread(r->column, sizeof(float), n, r->inline_probs) != n)
        return fc_fail(err, FC_ERR_IO, "%s: read failed", r->inline_probs_path);
    for (int t = 0; t < width; t++) {
        float stored = 0.0f; /* zero: the inline pass did not classify this inline (outside --lines) */
        for (int c = 0; c < r->K; c++)
            stored += r->column[(size_t)t * ns * K + c];
        if (stored == 0.0f)
            continue;
        for (int k = 0; k < ns; k++)
            for (int c = 0; c < K; c++) {
                float *p = r->probs + ((size_t)c * ns + k) * width + t;
                *p = 0.5f * (*p + r->column[((size_t)t * ns + k) * K + c]);
            }
    }
    return FC_OK;
}

/* cls[t][k]: the most probable of K classes at each sample of probs [K][ns][width], row by row (each plane read in
 * order; cls's rows of ns stay in cache across the rows). */
static void choose_classes(const float *probs, int K, int width, int ns, int32_t *cls)
{
    size_t stride = (size_t)ns * width;
    for (int k = 0; k < ns; k++) {
        const float *p = probs + (size_t)k * width;
        for (int t = 0; t < width; t++) {
            int best = 0;
            for (int c = 1; c < K; c++)
                if (p[(size_t)c * stride + t] > p[(size_t)best * stride + t])
                    best = c;
            cls[(size_t)t * ns + k] = best;
        }
    }
}

fc_status fc_apply_section(apply_run *r, fc_orientation o, int line, fc_error *err)
{
    const fc_survey_info *in = r->in;
    int width = fc_survey_section_width(r->s, o), ns = in->sample_count;
    int nsm = r->grid.nsm; /* the samples the network sees: ns, or the model's grid with --resample */
    fc_status st = fc_volume_set_section(r->vs, o, line, r->raw, r->present,
                                         r->grid.rs ? fc_apply_volumes_resampled : NULL, &r->grid, r->planes, err);
    if (!st)
        st = fc_apply_members_run(&r->m, r->planes, width, nsm, r->probs, err);
    if (st)
        return st;
    if (r->both && o == FC_ORIENTATION_INLINE) {
        r->sum->sections++;
        return store_inline(r, line, width, nsm, err);
    }
    if (r->both && (st = average_crossline(r, line, width, nsm, err)))
        return st;
    if (r->grid.rs) { /* back on the survey's samples: classes from the nearest model sample, probabilities linear */
        fc_apply_grid_back(&r->grid, r->probs, width, r->K, r->cls);
        memcpy(r->probs, r->grid.probs, sizeof(float) * (size_t)r->K * ns * width);
    }
    size_t stride = (size_t)ns * width;
    if (!r->grid.rs) /* resampled: chosen on the model's grid already */
        choose_classes(r->probs, r->K, width, ns, r->cls);
    for (int t = 0; t < width && !st; t++) {
        int i = o == FC_ORIENTATION_CROSSLINE ? t : o == FC_ORIENTATION_LINE ? 0 : line;
        int j = o == FC_ORIENTATION_CROSSLINE ? line : t;
        int64_t trace = fc_survey_trace_at(r->s, i, j);
        for (int k = 0; k < ns; k++) {
            const float *p = r->probs + (size_t)k * width + t;
            int best = r->cls[(size_t)t * ns + k];
            r->codes[k] = (float)r->meta.classes.c[best].code;
            if (r->wc)
                r->conf[k] = uncertainty(r, p, (int)stride);
            if (trace >= 0 && r->out_index[trace] >= 0)
                r->sum->class_samples[best]++;
        }
        if (trace < 0 || r->out_index[trace] < 0)
            continue;
        unsigned char th[240];
        st = fc_survey_read_trace_header(r->s, trace, th, err);
        if (!st)
            st = fc_segy_writer_put(r->wf, r->out_index[trace], th, r->codes, err);
        if (!st && r->wc)
            st = fc_segy_writer_put(r->wc, r->out_index[trace], th, r->conf, err);
        if (!st && r->ps)
            st = fc_probs_segy_put(r->ps, r->out_index[trace], th, r->probs + t, stride, (size_t)width, err);
        r->sum->samples += ns;
    }
    if (!st && r->pr)
        st = fc_probs_put(r->pr, o, line, width, r->probs, err);
    if (!st && r->o->png_dir)
        st = fc_apply_pictures_draw(r, o, line, width, ns, err);
    r->sum->sections++;
    return st;
}
