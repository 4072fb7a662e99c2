#include "facies/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void fc_rng_seed(fc_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t fc_rng_next(fc_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double fc_rng_uniform(fc_rng *r)
{
    return (double)(fc_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t fc_rng_below(fc_rng *r, uint64_t n)
{
    /* Rejection keeps the result exactly uniform. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = fc_rng_next(r);
    while (x >= limit);
    return x % n;
}

double fc_rng_normal(fc_rng *r)
{
    double u1 = fc_rng_uniform(r), u2 = fc_rng_uniform(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

double fc_hash_uniform(uint64_t seed, int64_t a, int64_t b, int64_t c)
{
    uint64_t x = seed ^ 0x243f6a8885a308d3ull;
    x = splitmix64(&x) ^ (uint64_t)a;
    x = splitmix64(&x) ^ (uint64_t)b;
    x = splitmix64(&x) ^ (uint64_t)c;
    return (double)(splitmix64(&x) >> 11) * 0x1.0p-53;
}
