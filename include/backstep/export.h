/* Symbol visibility: the library is built with -fvisibility=hidden; BSTEP_API marks the API. */
#ifndef BACKSTEP_EXPORT_H
#define BACKSTEP_EXPORT_H
#if defined(__GNUC__) || defined(__clang__)
#define BSTEP_API __attribute__((visibility("default")))
#else
#define BSTEP_API
#endif
#endif
