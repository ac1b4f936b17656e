/*
 * Status strings and the runtime version. Generated from the single X-macro table in status.h so
 * the enum and its text can never drift apart.
 */
#include "backstep/status.h"
#include "backstep/version.h"

const char *bstep_strerror(int status)
{
    switch (status) {
#define BSTEP__STATUS_TEXT(name, value, msg)                                                       \
    case (value):                                                                                  \
        return (msg);
        BSTEP_STATUS_MAP(BSTEP__STATUS_TEXT)
#undef BSTEP__STATUS_TEXT
    default:
        return "unknown status";
    }
}

const char *bstep_status_name(int status)
{
    switch (status) {
#define BSTEP__STATUS_NAME(name, value, msg)                                                       \
    case (value):                                                                                  \
        return "BSTEP_" #name;
        BSTEP_STATUS_MAP(BSTEP__STATUS_NAME)
#undef BSTEP__STATUS_NAME
    default:
        return "BSTEP_UNKNOWN";
    }
}

unsigned bstep_version(void)
{
    return (unsigned)BSTEP_VERSION_HEX;
}

const char *bstep_version_string(void)
{
    return BSTEP_VERSION_STRING;
}
