/*
 * What the store commands of the backstep CLI share (history, report, batch, checkin and the
 * storing part of analyze): opening the database, the current user, and parsing dates and times.
 */
#ifndef BSTEP_CLI_STORE_H
#define BSTEP_CLI_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "report/report.h"
#include "store/store.h"

/* Exit code of a database failure (cannot open, busy, error). */
#define BSTEP_EXIT_DB 4

int bstep_cmd_history(int argc, char **argv);
int bstep_cmd_report(int argc, char **argv);
int bstep_cmd_batch(int argc, char **argv);
int bstep_cmd_checkin(int argc, char **argv);

/** Open the store at url (NULL: the default); prints "backstep CMD: ..." on failure. */
int bstep__cli_store_open(const char *cmd, const char *url, bstep_store **st);
/** The user name to use: name if given, else $BACKSTEP_USER, else the login name, else "me". */
const char *bstep__cli_user_name(const char *name, char *buf, size_t cap);
/**
 * Parse a time: "YYYY-MM-DD" (local midnight), "YYYY-MM-DDTHH:MM[:SS]" or with a space instead of
 * 'T' (local time, TZ), the same ending in "Z" (UTC), or "@SECONDS" since 1970 UTC.
 * @return 0, or -1 for text that is none of these.
 */
int bstep__cli_parse_time(const char *text, int64_t *t_us);
/** A range bound: like bstep__cli_parse_time; an end (is_end) given as a date alone includes
 * that whole day, and an end time is inclusive. Returns 0 or -1. */
int bstep__cli_parse_bound(const char *text, int is_end, int64_t *t_us);
/** Look up the user (name_arg, else the default name). Returns 0 found, 1 no such user yet
 * (user->id = -1, name filled), -1 database error (printed). */
int bstep__cli_find_user(bstep_store *st, const char *cmd, const char *name_arg,
                         bstep_store_user *user);
/** Local "YYYY-MM-DD HH:MM" of a time. */
void bstep__cli_local_time(int64_t t_us, char out[17]);

#endif
