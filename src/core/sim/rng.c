/*
 * Deterministic random numbers for the simulator. splitmix64 expands the user's seed into the
 * 256-bit state of xoshiro256** (D. Blackman and S. Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021). Both use only 64-bit integer arithmetic, so the stream is identical
 * on every machine. Gaussian numbers are the Irwin-Hall sum of 12 uniforms minus 6 (variance 1,
 * tails cut at +-6): no log/sqrt/cos, hence no dependence on the C library's maths.
 */
#include "sim_internal.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void bstep__sim_rng_seed(uint64_t s[4], uint64_t seed)
{
    uint64_t x = seed;
    int i;
    for (i = 0; i < 4; i++)
        s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t bstep__sim_rng_u64(uint64_t s[4])
{
    const uint64_t result = rotl(s[1] * 5u, 7) * 9u;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double bstep__sim_rng_unit(uint64_t s[4])
{
    return (double)(bstep__sim_rng_u64(s) >> 11) * (1.0 / 9007199254740992.0);
}

double bstep__sim_rng_gauss(uint64_t s[4])
{
    double sum = 0.0;
    int i;
    for (i = 0; i < 12; i++)
        sum += bstep__sim_rng_unit(s);
    return sum - 6.0;
}
