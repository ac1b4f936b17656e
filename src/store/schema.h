/* Ordered schema migrations of the store (schema.c). */
#ifndef BSTEP_STORE_SCHEMA_H
#define BSTEP_STORE_SCHEMA_H

#include <stddef.h>

typedef struct {
    int version;            /* 1, 2, ... without holes */
    const char *name;       /* what it adds */
    const char *const *sql; /* DDL statements with {ID}/{BLOB} tokens (db.h), NULL-ended */
} bstep__migration;

/** The migrations in order; the last one's version is BSTEP_STORE_SCHEMA_VERSION. */
const bstep__migration *bstep__migrations(size_t *n);

#endif
