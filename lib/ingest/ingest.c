#include "facies/ingest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/signal.h"
#include "facies/version.h"
#include "fail.h"
#include "ingest_labels.h"
#include "labels_impl.h"
#include "log_line.h"
#include "volume_set.h"

fc_ingest_options fc_ingest_options_default(void)
{
    fc_ingest_options o;
    memset(&o, 0, sizeof o);
    o.survey = fc_survey_options_default();
    o.filter = fc_label_filter_default();
    o.patch_height = o.patch_width = 65;
    o.orientations = FC_CUT_INLINE;
    o.channels[0] = FC_CHANNEL_AMPLITUDE;
    o.nchannels = 1;
    o.percentile = 99.0;
    o.stats_traces = 2000;
    o.dtype = FC_PATCH_DTYPE_AUTO;
    return o;
}

typedef struct ingest_run {
    const fc_ingest_options *o;
    fc_survey *s;
    const fc_survey_info *in;
    fc_patches_writer *w;
    fc_volume_set *vs; /* the survey and any more volumes */
    int C;             /* channels of every volume */
    float *raw, *planes, *patch;
    unsigned char *present;
    fc_ingest_summary *sum;
    int64_t done, total;
    /* Several ranks: patches cut by a rank other than 0 travel to rank 0 in chunks of records
     * (position [4], code, patch). */
    const fc_comm *comm;
    unsigned char *chunk;
    int64_t chunk_n;
    size_t record;
} ingest_run;

#define CHUNK_PATCHES 256

typedef struct chunk_head {
    int64_t count, last;
} chunk_head;

static fc_status build_meta(ingest_run *r, const fc_classes *classes, fc_patches_meta *m, fc_error *err)
{
    const fc_ingest_options *o = r->o;
    memset(m, 0, sizeof *m);
    m->channels = r->C;
    for (int c = 0; c < r->C; c++)
        m->channel[c] = o->channels[c % o->nchannels];
    fc_volume_set_refs(r->vs, &m->volumes);
    m->scales = o->scales;
    m->height = o->patch_height;
    m->width = o->patch_width;
    m->dtype = o->dtype;
    m->sample_interval_ms = r->in->sample_interval_ms;
    snprintf(m->survey_path, sizeof m->survey_path, "%s", o->survey_path);
    m->survey_size = r->in->file_size;
    fc_survey_fingerprint(r->s, m->survey_hash);
    for (int l = 0; l < o->nlabels; l++)
        snprintf(m->label_sources + strlen(m->label_sources), sizeof m->label_sources - strlen(m->label_sources),
                 "%s%s", l ? "\n" : "", o->label_paths[l]);
    snprintf(m->command_line, sizeof m->command_line, "%s", o->command_line ? o->command_line : "");
    snprintf(m->program_version, sizeof m->program_version, "facies %s", FC_VERSION);
    m->classes = *classes;
    if (o->append) {
        fc_patches_meta old;
        fc_status st = fc_patches_read_meta(o->out_path, &old, err);
        if (st)
            return st;
        if (!fc_sample_intervals_match(old.sample_interval_ms, m->sample_interval_ms))
            return fc_fail(err, FC_ERR_MISMATCH,
                           "%s: holds patches cut from %g ms samples, but %s samples every %g ms; ingest it into a new "
                           "dataset (another --out, without --append)",
                           o->out_path, old.sample_interval_ms, o->survey_path, m->sample_interval_ms);
        m->norm = old.norm; /* new patches must be scaled as the old ones were, volume by volume */
        for (int v = 0; v < m->volumes.count && v < old.volumes.count; v++)
            m->volumes.v[v].scale = old.volumes.v[v].scale;
        return FC_OK;
    }
    fc_status st = fc_volume_set_measure(r->vs, o->percentile, o->stats_traces, &m->volumes, err);
    if (st)
        return st;
    snprintf(m->norm.method, sizeof m->norm.method, "clip_abs_percentile");
    m->norm.percentile = o->percentile;
    m->norm.scale = m->volumes.v[0].scale;
    return FC_OK;
}

static int cmp_by_j(const void *a, const void *b)
{
    const fc_label_point *x = a, *y = b;
    if (x->j != y->j)
        return x->j < y->j ? -1 : 1;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

static fc_status put_patch(ingest_run *r, const float *patch, int32_t code, const int32_t pos[4], fc_error *err)
{
    int replaced = 0;
    fc_status st = fc_patches_writer_put(r->w, patch, code, pos, &replaced, err);
    r->sum->patches_written++;
    r->sum->patches_replaced += replaced;
    int c = fc_classes_find(&fc_patches_writer_meta(r->w)->classes, code);
    if (c >= 0)
        r->sum->class_patches[c]++;
    return st;
}

static fc_status send_chunk(ingest_run *r, int last, fc_error *err)
{
    const fc_comm *c = r->comm;
    chunk_head h = {r->chunk_n, last};
    if (c->send(c->ctx, 0, &h, sizeof h) ||
        (r->chunk_n > 0 && c->send(c->ctx, 0, r->chunk, r->chunk_n * (int64_t)r->record)))
        return fc_fail(err, FC_ERR_IO, "ingest: rank %d could not send its patches", c->rank);
    r->chunk_n = 0;
    return FC_OK;
}

static fc_status add_to_chunk(ingest_run *r, const float *patch, int32_t code, const int32_t pos[4], fc_error *err)
{
    unsigned char *at = r->chunk + (size_t)r->chunk_n * r->record;
    memcpy(at, pos, 4 * sizeof(int32_t));
    memcpy(at + 4 * sizeof(int32_t), &code, sizeof code);
    memcpy(at + 5 * sizeof(int32_t), patch, r->record - 5 * sizeof(int32_t));
    return ++r->chunk_n == CHUNK_PATCHES ? send_chunk(r, 0, err) : FC_OK;
}

/* Rank 0: the patches another rank cut from its section, written as they arrive. */
static fc_status receive_section(ingest_run *r, int from, fc_error *err)
{
    const fc_comm *c = r->comm;
    size_t psz = r->record - 5 * sizeof(int32_t);
    chunk_head h = {0, 0};
    fc_status st = FC_OK;
    while (!st && !h.last) {
        if (c->recv(c->ctx, from, &h, sizeof h) || h.count < 0 || h.count > CHUNK_PATCHES ||
            (h.count > 0 && c->recv(c->ctx, from, r->chunk, h.count * (int64_t)r->record)))
            return fc_fail(err, FC_ERR_IO, "ingest: no patches from rank %d", from);
        for (int64_t n = 0; n < h.count && !st; n++) {
            const unsigned char *at = r->chunk + (size_t)n * r->record;
            int32_t pos[4], code;
            memcpy(pos, at, sizeof pos);
            memcpy(&code, at + sizeof pos, sizeof code);
            memcpy(r->patch, at + 5 * sizeof(int32_t), psz);
            st = put_patch(r, r->patch, code, pos, err);
        }
    }
    return st;
}

/* Cut the patches of points [a, b), which all lie on section `line` of orientation o. */
static fc_status cut_section(ingest_run *r, fc_orientation o, int line, const fc_label_point *p, int64_t a, int64_t b,
                             fc_error *err)
{
    const fc_ingest_options *opt = r->o;
    int width = fc_survey_section_width(r->s, o), ns = r->in->sample_count;
    fc_status st = fc_volume_set_section(r->vs, o, line, r->raw, r->present, NULL, NULL, r->planes, err);
    if (st)
        return st;
    r->sum->sections_read++;
    r->sum->bytes_read += (int64_t)width * (r->in->trace_bytes + fc_volume_set_extra_trace_bytes(r->vs));
    for (int64_t n = a; n < b && !st; n++) {
        int t = o == FC_ORIENTATION_CROSSLINE ? p[n].i : p[n].j;
        if (fc_patch_cut_scales(r->planes, r->C, &opt->scales, width, ns, r->present, t, p[n].k, opt->patch_height,
                                opt->patch_width, r->patch)) {
            r->sum->patches_skipped_missing++;
            continue;
        }
        int32_t pos[4] = {(int32_t)o, r->in->inline_numbers[p[n].i], r->in->crossline_numbers[p[n].j], p[n].k};
        st = r->w ? put_patch(r, r->patch, p[n].code, pos, err) : add_to_chunk(r, r->patch, p[n].code, pos, err);
    }
    if (!st && !r->w)
        st = send_chunk(r, 1, err);
    r->done++;
    if (opt->report.progress)
        opt->report.progress(opt->report.ctx, r->done, r->total);
    return st;
}

/* Distinct inline (or crossline) indices among the points: the sections to read (-1: out of memory). */
static int64_t count_sections(const fc_label_point *p, int64_t n, int by_j, int lines)
{
    unsigned char *seen = calloc((size_t)lines, 1);
    if (!seen)
        return -1;
    int64_t c = 0;
    for (int64_t x = 0; x < n; x++) {
        int line = by_j ? p[x].j : p[x].i;
        c += !seen[line];
        seen[line] = 1;
    }
    free(seen);
    return c;
}

/* The sections of one orientation (points sorted by that section's index), in turn: in round q rank R cuts
 * section q * ranks + R; rank 0 writes its own and then, rank by rank, the others'. */
static fc_status cut_pass(ingest_run *r, fc_orientation o, const fc_label_point *p, int64_t n, int by_j, fc_error *err)
{
    int P = fc_comm_size(r->comm), R = fc_comm_rank(r->comm);
    fc_status st = FC_OK;
    int64_t g = 0; /* section number within the pass */
    for (int64_t a = 0; a < n && !st; g++) {
        int64_t b = a;
        int line = by_j ? p[a].j : p[a].i;
        while (b < n && (by_j ? p[b].j : p[b].i) == line)
            b++;
        if (g % P == R)
            st = cut_section(r, o, o == FC_ORIENTATION_LINE ? 0 : line, p, a, b, err);
        if (!st && R == 0 && g % P != 0) /* another rank's section: take its patches in order */
            st = receive_section(r, (int)(g % P), err);
        a = b;
    }
    return st;
}

static fc_status cut_all(ingest_run *r, fc_label_point *p, int64_t n, fc_error *err)
{
    int two_d = r->in->kind == FC_SURVEY_KIND_2D;
    int do_il = two_d || (r->o->orientations & FC_CUT_INLINE),
        do_xl = !two_d && (r->o->orientations & FC_CUT_CROSSLINE);
    int P = fc_comm_size(r->comm), R = fc_comm_rank(r->comm);
    int64_t nil = do_il ? count_sections(p, n, 0, r->in->inline_count) : 0,
            nxl = do_xl ? count_sections(p, n, 1, r->in->crossline_count) : 0;
    if (nil < 0 || nxl < 0)
        return fc_fail(err, FC_ERR_NOMEM, "ingest: out of memory counting sections");
    r->total = nil / P + (R < nil % P) + nxl / P + (R < nxl % P); /* this rank's */
    fc_status st = FC_OK;
    if (do_il)
        st = cut_pass(r, two_d ? FC_ORIENTATION_LINE : FC_ORIENTATION_INLINE, p, n, 0, err);
    if (do_xl && !st) {
        qsort(p, (size_t)n, sizeof *p, cmp_by_j);
        st = cut_pass(r, FC_ORIENTATION_CROSSLINE, p, n, 1, err);
    }
    return st;
}

/* Several ranks: what each read and skipped adds up (rank 0 counted what it wrote). */
static void sum_counts(ingest_run *r)
{
    int64_t v[3] = {r->sum->sections_read, r->sum->bytes_read, r->sum->patches_skipped_missing};
    r->comm->sum_i64(r->comm->ctx, v, 3);
    r->sum->sections_read = v[0];
    r->sum->bytes_read = v[1];
    r->sum->patches_skipped_missing = v[2];
}

static fc_status check_options(const fc_ingest_options *o, fc_error *err)
{
    if (o->patch_height < 1 || o->patch_width < 1 || o->patch_height % 2 == 0 || o->patch_width % 2 == 0 ||
        o->patch_height > 1025 || o->patch_width > 1025)
        return fc_fail(err, FC_ERR_ARGUMENT, "ingest: patch sizes must be odd, 1..1025 (got %d x %d)", o->patch_height,
                       o->patch_width);
    if (o->nlabels < 1)
        return fc_fail(err, FC_ERR_ARGUMENT, "ingest: no label file given");
    if (o->nvolumes < 0 || o->nvolumes > FC_MAX_VOLUMES - 1)
        return fc_fail(err, FC_ERR_ARGUMENT, "ingest: at most %d --volume beside the survey", FC_MAX_VOLUMES - 1);
    if (o->nchannels < 1 || o->nchannels > FC_CHANNEL_KINDS || !(o->percentile > 50.0 && o->percentile < 100.0))
        return fc_fail(err, FC_ERR_ARGUMENT, "ingest: bad channels or percentile");
    return FC_OK;
}

/* The dataset's description, the writer (rank 0) and the volumes' scales; meta is the caller's, kept until the
 * end of the run. */
static fc_status open_output(ingest_run *r, const fc_classes *classes, fc_patches_meta *meta, fc_error *err)
{
    const fc_ingest_options *o = r->o;
    fc_status st = build_meta(r, classes, meta, err);
    if (!st && fc_comm_rank(o->comm) == 0)
        st = fc_patches_writer_open(&r->w, o->out_path, meta, o->append, err);
    if (st)
        return st;
    const fc_patches_meta *wm = r->w ? fc_patches_writer_meta(r->w) : meta;
    return fc_volume_set_prepare(r->vs, o->channels, o->nchannels, &o->scales, r->in->sample_count, &wm->volumes, err);
}

/* Buffers for the widest section and one patch of every plane; on several ranks a chunk of records. */
static fc_status alloc_buffers(ingest_run *r, fc_error *err)
{
    const fc_ingest_options *o = r->o;
    int ns = r->in->sample_count;
    int maxw = r->in->inline_count > r->in->crossline_count ? r->in->inline_count : r->in->crossline_count;
    size_t planes = (size_t)r->C * (size_t)fc_scales_count(&o->scales);
    r->raw = malloc(sizeof(float) * (size_t)maxw * (size_t)ns);
    r->planes = malloc(sizeof(float) * (size_t)maxw * (size_t)ns * planes);
    r->patch = malloc(sizeof(float) * planes * (size_t)o->patch_height * (size_t)o->patch_width);
    r->present = malloc((size_t)maxw);
    r->record = 5 * sizeof(int32_t) + sizeof(float) * planes * (size_t)o->patch_height * (size_t)o->patch_width;
    if (fc_comm_parallel(o->comm))
        r->chunk = malloc(r->record * CHUNK_PATCHES);
    if (!r->raw || !r->planes || !r->patch || !r->present || (fc_comm_parallel(o->comm) && !r->chunk))
        return fc_fail(err, FC_ERR_NOMEM, "ingest: out of memory for a section of %d x %d", maxw, ns);
    return FC_OK;
}

/* Rank 0: the summary from what the writer holds, then the dataset committed. */
static fc_status finish(ingest_run *r, fc_error *err)
{
    const fc_patches_meta *wm = fc_patches_writer_meta(r->w);
    r->sum->dataset_rows = fc_patches_writer_count(r->w);
    r->sum->nclasses = wm->classes.count;
    for (int i = 0; i < wm->classes.count; i++)
        r->sum->class_code[i] = wm->classes.c[i].code;
    r->sum->classes = wm->classes;
    r->sum->norm = wm->norm;
    r->sum->channels = wm->channels;
    memcpy(r->sum->channel, wm->channel, sizeof r->sum->channel);
    r->sum->volumes = wm->volumes;
    r->sum->dtype = wm->dtype;
    /* Counted before the commit: a failure after it would report a failed ingest that replaced the file. */
    fc_status st = fc_patches_writer_class_counts(r->w, r->sum->class_rows, err);
    if (!st)
        st = fc_patches_writer_commit(r->w, err);
    return st;
}

static fc_status run(ingest_run *r, fc_error *err)
{
    const fc_ingest_options *o = r->o;
    fc_classes classes;
    memset(&classes, 0, sizeof classes);
    fc_label_point *pts = NULL;
    int64_t n = 0;
    fc_status st = ingest_load_labels(o, r->s, &classes, r->sum, &pts, &n, err);
    if (st)
        return st;
    fc_patches_meta *meta = calloc(1, sizeof *meta);
    if (!st && !meta)
        st = fc_fail(err, FC_ERR_NOMEM, "ingest: out of memory");
    if (!st)
        st = open_output(r, &classes, meta, err);
    if (!st)
        st = alloc_buffers(r, err);
    if (!st)
        st = cut_all(r, pts, n, err);
    if (!st && fc_comm_parallel(o->comm))
        sum_counts(r);
    if (!st && r->w && r->sum->patches_written == 0) /* rank 0 alone knows what was written */
        st =
            fc_fail(err, FC_ERR_ARGUMENT,
                    "%s: every labelled sample's patch needs a missing trace; no patch was cut (try a smaller --patch)",
                    o->survey_path);
    if (!st && r->w)
        st = finish(r, err);
    free(pts);
    free(meta);
    return st;
}

/* A patch taller than the traces or wider than the sections still works, since the edges are reflected as often
 * as it takes, but much of every patch is then mirrored copies: the user should know. */
static void note_patch_size(const ingest_run *r)
{
    const fc_ingest_options *o = r->o;
    const fc_survey_info *in = r->in;
    if (fc_comm_rank(o->comm) != 0)
        return;
    if (o->patch_height > in->sample_count)
        fc_log_line(o->report.log, o->report.ctx,
                    "note: patch height %d is taller than the traces (%d samples); patches reach past both ends, "
                    "where the traces are reflected",
                    o->patch_height, in->sample_count);
    int width = in->kind == FC_SURVEY_KIND_2D || (o->orientations & FC_CUT_INLINE) ? in->crossline_count : INT32_MAX;
    if (in->kind == FC_SURVEY_KIND_3D && (o->orientations & FC_CUT_CROSSLINE) && in->inline_count < width)
        width = in->inline_count;
    if (o->patch_width > width)
        fc_log_line(o->report.log, o->report.ctx,
                    "note: patch width %d is wider than the sections (%d traces); patches reach past both sides, "
                    "where the sections are reflected",
                    o->patch_width, width);
}

/* The volumes beside the survey; on append in the dataset's order, and only the dataset's own. */
static fc_status open_volumes(ingest_run *r, fc_error *err)
{
    const fc_ingest_options *o = r->o;
    fc_volume_arg ordered[FC_MAX_VOLUMES - 1];
    memcpy(ordered, o->volumes, sizeof ordered);
    fc_status st = FC_OK;
    if (o->append) {
        fc_patches_meta *old = malloc(sizeof *old);
        st = old ? fc_patches_read_meta(o->out_path, old, err) : fc_fail(err, FC_ERR_NOMEM, "ingest: out of memory");
        if (!st)
            st = fc_volume_args_order(&old->volumes, o->out_path, o->volumes, o->nvolumes, ordered, err);
        free(old);
    }
    if (!st)
        st = fc_volume_set_open(&r->vs, r->s, o->survey_path, ordered, o->nvolumes, &o->survey, err);
    if (!st)
        r->C = o->nchannels * fc_volume_set_count(r->vs);
    return st;
}

fc_status fc_ingest(const fc_ingest_options *o, fc_ingest_summary *summary, fc_error *err)
{
    fc_status st = check_options(o, err);
    if (st)
        return st;
    ingest_run r;
    memset(&r, 0, sizeof r);
    fc_ingest_summary sum;
    memset(&sum, 0, sizeof sum);
    r.o = o;
    r.sum = &sum;
    r.comm = o->comm;
    st = fc_survey_open(&r.s, o->survey_path, &o->survey, err);
    if (!st) {
        r.in = fc_survey_get_info(r.s);
        st = fc_lines_on_2d(r.in, o->survey_path, o->filter.il_min, o->filter.il_max, err);
    }
    if (!st)
        st = open_volumes(&r, err);
    if (!st) {
        note_patch_size(&r);
        st = run(&r, err);
    }
    fc_patches_writer_destroy(r.w);
    fc_volume_set_close(r.vs);
    free(r.raw);
    free(r.planes);
    free(r.patch);
    free(r.present);
    free(r.chunk);
    fc_survey_close(r.s);
    if (!st && summary)
        *summary = sum;
    return st;
}
