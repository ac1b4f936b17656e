/*
 * Status codes shared by every backstep function that can fail. Codes are negative; BSTEP_OK is 0.
 * Append only: never renumber or remove a code (the numbers are stored and compared by callers).
 */
#ifndef BACKSTEP_STATUS_H
#define BACKSTEP_STATUS_H

#include "backstep/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro table: name, value, message. The enum and bstep_strerror() are generated from it. */
#define BSTEP_STATUS_MAP(XX)                                                                       \
    XX(OK, 0, "success")                                                                           \
    XX(EINVAL, -1, "invalid argument")                                                             \
    XX(ENOMEM, -2, "out of memory")                                                                \
    XX(EIO, -3, "input/output error")                                                              \
    XX(EFORMAT, -4, "malformed input")                                                             \
    XX(EDB, -5, "database error")                                                                  \
    XX(ERANGE, -6, "value out of range")                                                           \
    XX(EGAP, -7, "gap in the data")                                                                \
    XX(EUNSUPPORTED, -8, "unsupported format or feature")                                          \
    XX(ENOTFOUND, -9, "not found")                                                                 \
    XX(EBUSY, -10, "database busy, retry")

typedef enum {
#define BSTEP__STATUS_ENUM(name, value, msg) BSTEP_##name = (value),
    BSTEP_STATUS_MAP(BSTEP__STATUS_ENUM)
#undef BSTEP__STATUS_ENUM
} bstep_status;

/**
 * @brief Static text for a status code.
 * @param[in] status a bstep_status value (any int is accepted).
 * @return a string with static storage; "unknown status" for codes not in the table.
 */
BSTEP_API const char *bstep_strerror(int status);

/**
 * @brief The status code's symbolic name, e.g. "BSTEP_EFORMAT".
 * @return a string with static storage; "BSTEP_UNKNOWN" for codes not in the table.
 */
BSTEP_API const char *bstep_status_name(int status);

/** @brief Library version as 0xXXYYZZ (compare with BSTEP_VERSION_HEX for header/runtime skew). */
BSTEP_API unsigned bstep_version(void);
/** @brief Library version as "major.minor.patch". */
BSTEP_API const char *bstep_version_string(void);

#ifdef __cplusplus
}
#endif
#endif
