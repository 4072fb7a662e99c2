#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "facies/survey.h"
#include "fail.h"

#define STATS_MAX_SAMPLES (4L << 20)

/* Puts the k-th smallest of v[lo..hi] at v[k], smaller ones before it and larger ones after (quickselect with
 * Hoare's partition, which stays balanced on runs of equal values such as dead traces). NaNs were moved out. */
static void select_kth(float *v, long lo, long hi, long k)
{
    while (lo < hi) {
        float pivot = v[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                float t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

/* Rank of the nearest-rank percentile q in [0, 100] of n values. */
static long rank_of(long n, double q)
{
    long i = (long)floor(q / 100.0 * (double)(n - 1) + 0.5);
    return i < 0 ? 0 : i > n - 1 ? n - 1 : i;
}

/* The nearest-rank percentiles q[0] < q[1] < ... of v (reordered), NaNs ranked above every number as a sort
 * would leave them; out[j] for q[j]. Selection in increasing rank, each within what the last one left above it:
 * linear time, where sorting the (up to 4 M) values cost most of a short apply's set-up. */
static void percentiles(float *v, long n, const double *q, int nq, double *out)
{
    long finite = n;
    for (long i = 0; i < finite;)
        if (isnan(v[i])) {
            float t = v[i];
            v[i] = v[--finite];
            v[finite] = t;
        } else
            i++;
    long lo = 0;
    for (int j = 0; j < nq; j++) {
        long k = rank_of(n, q[j]);
        if (k >= finite) {
            out[j] = NAN;
            continue;
        }
        select_kth(v, lo, finite - 1, k);
        out[j] = v[k];
        lo = k;
    }
}

fc_status fc_survey_amplitude_stats(fc_survey *s, int max_traces, fc_amplitude_stats *out, fc_error *err)
{
    const fc_survey_info *in = fc_survey_get_info(s);
    long ns = in->sample_count;
    long want = max_traces > 0 ? max_traces : 1;
    if (want > in->trace_count)
        want = (long)in->trace_count;
    if (want * ns > STATS_MAX_SAMPLES)
        want = STATS_MAX_SAMPLES / ns > 0 ? STATS_MAX_SAMPLES / ns : 1;
    float *v = malloc((size_t)want * (size_t)ns * sizeof *v);
    if (!v)
        return fc_fail(err, FC_ERR_NOMEM, "%s: out of memory for amplitude statistics", in->path);
    double sum = 0, sum2 = 0;
    for (long i = 0; i < want; i++) {
        int64_t trace = (int64_t)((double)i * (double)in->trace_count / (double)want);
        fc_status st = fc_survey_read_trace(s, trace, v + i * ns, err);
        if (st) {
            free(v);
            return st;
        }
    }
    long n = want * ns;
    for (long i = 0; i < n; i++) {
        sum += v[i];
        sum2 += (double)v[i] * v[i];
    }
    fc_amplitude_stats r = {0};
    r.traces_used = want;
    r.samples_used = n;
    r.mean = sum / (double)n;
    r.rms = sqrt(sum2 / (double)n);
    static const double q[] = {0, 0.1, 1, 5, 50, 95, 99, 99.9, 100}, qa[] = {99, 99.9};
    double p[9], pa[2];
    percentiles(v, n, q, 9, p);
    r.min = p[0];
    r.p01 = p[1];
    r.p1 = p[2];
    r.p5 = p[3];
    r.p50 = p[4];
    r.p95 = p[5];
    r.p99 = p[6];
    r.p999 = p[7];
    r.max = p[8];
    for (long i = 0; i < n; i++)
        v[i] = fabsf(v[i]);
    percentiles(v, n, qa, 2, pa);
    r.abs_p99 = pa[0];
    r.abs_p999 = pa[1];
    free(v);
    *out = r;
    return FC_OK;
}

void fc_survey_fingerprint(const fc_survey *s, char out[17])
{
    uint64_t h = 14695981039346656037ull;
    int64_t size = fc_survey_get_info(s)->file_size;
    for (int b = 0; b < 8; b++) {
        h ^= (uint8_t)(size >> (8 * b));
        h *= 1099511628211ull;
    }
    const unsigned char *head = fc_survey_text_header(s);
    for (int i = 0; i < 3600; i++) {
        h ^= head[i];
        h *= 1099511628211ull;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}
