/*
 * backstep version macros. Versions with the same major number are ABI compatible.
 * Added in 0.1.
 */
#ifndef BACKSTEP_VERSION_H
#define BACKSTEP_VERSION_H

#define BSTEP_VERSION_MAJOR  0
#define BSTEP_VERSION_MINOR  1
#define BSTEP_VERSION_PATCH  0
#define BSTEP_VERSION_STRING "0.1.0"
/** 0xXXYYZZ: major, minor, patch. */
#define BSTEP_VERSION_HEX                                                                          \
    ((BSTEP_VERSION_MAJOR << 16) | (BSTEP_VERSION_MINOR << 8) | BSTEP_VERSION_PATCH)
/** True when the headers are at least version x.y.z. */
#define BSTEP_AT_LEAST_VERSION(x, y, z) (BSTEP_VERSION_HEX >= (((x) << 16) | ((y) << 8) | (z)))

#endif
