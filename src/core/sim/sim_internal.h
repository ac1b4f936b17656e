/* Internal helpers of the simulator shared by its source files (bstep__ layer, no API promise). */
#ifndef BSTEP_CORE_SIM_INTERNAL_H
#define BSTEP_CORE_SIM_INTERNAL_H

#include <stdint.h>

#define BSTEP__SIM_PI  3.14159265358979323846
#define BSTEP__SIM_DEG (BSTEP__SIM_PI / 180.0)
#define BSTEP__SIM_G   9.80665

/** Seed a xoshiro256** state from one 64-bit seed through splitmix64. */
void bstep__sim_rng_seed(uint64_t s[4], uint64_t seed);
/** Next 64 random bits (xoshiro256**, Blackman & Vigna 2018). */
uint64_t bstep__sim_rng_u64(uint64_t s[4]);
/** Uniform in [0, 1) with 53 bits. */
double bstep__sim_rng_unit(uint64_t s[4]);
/** Approximately standard normal: sum of 12 uniforms minus 6 (Irwin-Hall); no libm involved. */
double bstep__sim_rng_gauss(uint64_t s[4]);

#endif
