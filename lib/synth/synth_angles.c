/* Partial-angle stacks of the synthetic model: Shuey two-term reflectivity with a gradient per facies. */
#include "synth_angles.h"

#include <math.h>
#include <stdio.h>

#include "facies/synth.h"

/* AVO gradient factor g (B = g A) by facies code: most facies dim a little with angle, as brine-filled rocks do;
 * gas sand brightens strongly (class III). */
static const double gradient[FC_SYNTH_GAS + 1] = {0.0, -0.8, -0.5, 0.3, -0.3, 1.0, -0.6, 3.0};

double synth_angle_deg(int a, int n)
{
    return n > 1 ? 5.0 + 35.0 * a / (n - 1) : 5.0;
}

void synth_angle_file(int a, int n, char *buf, size_t size)
{
    static const char *const three[3] = {"near", "mid", "far"};
    if (n == 2 || n == 3)
        snprintf(buf, size, "%s.sgy", three[n == 2 && a == 1 ? 2 : a]);
    else
        snprintf(buf, size, "angle_%02d.sgy", (int)lround(synth_angle_deg(a, n)));
}

static double factor(int16_t code)
{
    return code >= 0 && code <= FC_SYNTH_GAS ? gradient[code] : 0.0;
}

void synth_angle_reflectivity(const float *imp, const int16_t *codes, int ns, double angle_deg, float *refl)
{
    double s = sin(angle_deg * (3.14159265358979323846 / 180.0)), s2 = s * s;
    for (int k = 0; k < ns - 1; k++) {
        double a = (imp[k + 1] - imp[k]) / (imp[k + 1] + imp[k]);
        double g = 0.5 * (factor(codes[k]) + factor(codes[k + 1]));
        refl[k] = (float)(a * (1.0 + g * s2));
    }
    refl[ns - 1] = 0.0f;
}
