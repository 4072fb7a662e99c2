/* facies — a small, explicit, seeded random number generator.
 *
 * xoshiro256** seeded through splitmix64: the same seed gives the same
 * sequence on every machine. State lives in the caller's struct; there is
 * no hidden global generator.
 */
#ifndef FACIES_RNG_H
#define FACIES_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fc_rng {
    uint64_t s[4];
} fc_rng;

/* Seed a generator; any seed (0 included) is valid. */
void fc_rng_seed(fc_rng *r, uint64_t seed);

/* Next 64 random bits. */
uint64_t fc_rng_next(fc_rng *r);

/* Uniform double in [0, 1). */
double fc_rng_uniform(fc_rng *r);

/* Uniform integer in [0, n) for n > 0. */
uint64_t fc_rng_below(fc_rng *r, uint64_t n);

/* Standard normal deviate (Box-Muller, one value per call). */
double fc_rng_normal(fc_rng *r);

/* A stateless hash of a key to [0, 1): for noise fields that must not depend
 * on the order in which they are evaluated. */
double fc_hash_uniform(uint64_t seed, int64_t a, int64_t b, int64_t c);

#ifdef __cplusplus
}
#endif

#endif
