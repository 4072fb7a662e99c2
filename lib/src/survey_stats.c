#include <math.h>
#include <stdlib.h>

#include "facies/survey.h"
#include "fail.h"

#define STATS_MAX_SAMPLES (4L << 20)

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted values, q in [0, 100]. */
static double percentile(const float *sorted, long n, double q)
{
    long i = (long)floor(q / 100.0 * (double)(n - 1) + 0.5);
    if (i < 0)
        i = 0;
    if (i > n - 1)
        i = n - 1;
    return sorted[i];
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
    qsort(v, (size_t)n, sizeof *v, cmp_float);
    r.min = v[0];
    r.max = v[n - 1];
    r.p01 = percentile(v, n, 0.1);
    r.p1 = percentile(v, n, 1);
    r.p5 = percentile(v, n, 5);
    r.p50 = percentile(v, n, 50);
    r.p95 = percentile(v, n, 95);
    r.p99 = percentile(v, n, 99);
    r.p999 = percentile(v, n, 99.9);
    for (long i = 0; i < n; i++)
        v[i] = fabsf(v[i]);
    qsort(v, (size_t)n, sizeof *v, cmp_float);
    r.abs_p99 = percentile(v, n, 99);
    r.abs_p999 = percentile(v, n, 99.9);
    free(v);
    *out = r;
    return FC_OK;
}
