/* Internal: partial-angle stacks of the synthetic model (synth --angles N). Reflectivity at incidence angle t is
 * Shuey's two-term approximation R(t) = A + B sin^2 t, the intercept A from the impedance contrast and the gradient
 * B = g A with g the AVO gradient factor of the facies on either side of the interface (their mean). Gas sand
 * (facies 7, lenses inside the parallel_high units) has parallel_high's impedance, so the two look alike on a near
 * stack, but a gradient of the opposite sign: it brightens with angle where parallel_high dims. */
#ifndef FACIES_SYNTH_ANGLES_H
#define FACIES_SYNTH_ANGLES_H

#include <stddef.h>
#include <stdint.h>

#define SYNTH_MAX_ANGLES 8

/* Incidence angle of stack a of n, degrees: 5 (near) to 40 (far), evenly spaced. */
double synth_angle_deg(int a, int n);

/* File name of stack a of n: near.sgy, far.sgy for 2; near.sgy, mid.sgy, far.sgy for 3; angle_DD.sgy (DD the
 * angle in whole degrees) otherwise. */
void synth_angle_file(int a, int n, char *buf, size_t size);

/* Reflectivity at angle_deg of impedance imp and facies codes (ns samples) into refl (refl[ns - 1] = 0). */
void synth_angle_reflectivity(const float *imp, const int16_t *codes, int ns, double angle_deg, float *refl);

#endif
