/* Ensemble disagreement, temperature scaling and calibration scores. */
#include "facies/calibration.h"

#include <math.h>

#include "facies/labels.h"

double fc_entropy(const float *p, int classes, size_t stride)
{
    double h = 0.0;
    for (int c = 0; c < classes; c++) {
        double v = p[(size_t)c * stride];
        if (v > 0.0)
            h -= v * log(v);
    }
    return h;
}

double fc_mutual_information(const float *p, int members, int classes)
{
    float mean[FC_MAX_CLASSES];
    double mean_h = 0.0;
    for (int c = 0; c < classes; c++)
        mean[c] = 0.0f;
    for (int m = 0; m < members; m++) {
        const float *q = p + (size_t)m * classes;
        mean_h += fc_entropy(q, classes, 1) / members;
        for (int c = 0; c < classes; c++)
            mean[c] += q[c] / (float)members;
    }
    double mi = fc_entropy(mean, classes, 1) - mean_h;
    return mi > 0.0 ? mi : 0.0; /* rounding only can make it negative */
}

double fc_temperature_nll(const float *logits, const int32_t *labels, int64_t n, int classes, double t)
{
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) {
        const float *z = logits + (size_t)i * classes;
        double top = z[0];
        for (int c = 1; c < classes; c++)
            top = z[c] > top ? z[c] : top;
        double s = 0.0;
        for (int c = 0; c < classes; c++)
            s += exp((z[c] - top) / t);
        /* -log softmax(z / t)_y = log sum exp((z - top) / t) - (z_y - top) / t */
        sum += log(s) - (z[labels[i]] - top) / t;
    }
    return n > 0 ? sum / (double)n : 0.0;
}

double fc_temperature_fit(const float *logits, const int32_t *labels, int64_t n, int classes)
{
    if (n <= 0)
        return 1.0;
    const double g = 0.5 * (sqrt(5.0) - 1.0);
    double a = log(0.05), b = log(20.0);
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    double f1 = fc_temperature_nll(logits, labels, n, classes, exp(x1));
    double f2 = fc_temperature_nll(logits, labels, n, classes, exp(x2));
    while (b - a > 1e-5) {
        if (f1 <= f2) {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = fc_temperature_nll(logits, labels, n, classes, exp(x1));
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = fc_temperature_nll(logits, labels, n, classes, exp(x2));
        }
    }
    return exp(0.5 * (a + b));
}

void fc_calibration_add(fc_calibration *c, const float *p, int classes, size_t stride, int label)
{
    int best = 0;
    double brier = 0.0;
    for (int k = 0; k < classes; k++) {
        double v = p[(size_t)k * stride];
        if (v > p[(size_t)best * stride])
            best = k;
        double d = v - (k == label);
        brier += d * d;
    }
    double conf = p[(size_t)best * stride];
    int bin = (int)(conf * FC_CALIBRATION_BINS);
    bin = bin < 0 ? 0 : bin >= FC_CALIBRATION_BINS ? FC_CALIBRATION_BINS - 1 : bin;
    c->bin_count[bin]++;
    c->bin_confidence[bin] += conf;
    c->bin_accuracy[bin] += best == label;
    double py = p[(size_t)label * stride];
    c->sum_nll -= log(py > 1e-12 ? py : 1e-12);
    c->sum_brier += brier;
    c->n++;
}

void fc_calibration_finish(fc_calibration *c)
{
    double ece = 0.0;
    for (int b = 0; b < FC_CALIBRATION_BINS; b++) {
        if (c->bin_count[b] == 0) {
            c->bin_confidence[b] = c->bin_accuracy[b] = NAN;
            continue;
        }
        c->bin_confidence[b] /= (double)c->bin_count[b];
        c->bin_accuracy[b] /= (double)c->bin_count[b];
        ece += (double)c->bin_count[b] / (double)c->n * fabs(c->bin_accuracy[b] - c->bin_confidence[b]);
    }
    c->ece = c->n ? ece : NAN;
    c->brier = c->n ? c->sum_brier / (double)c->n : NAN;
    c->nll = c->n ? c->sum_nll / (double)c->n : NAN;
}
