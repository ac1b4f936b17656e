/*
 * backstep token: create, list and revoke access tokens. A token is printed once, at creation;
 * the store keeps only its hash (src/server/auth.c), so a lost token cannot be shown again:
 * revoke it and create another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "backstep/status.h"
#include "cli.h"
#include "cmd_serve.h"
#include "server/server_internal.h"
#include "store/store.h"

#define CMD "token"

static void help(void)
{
    printf(
        "Usage: backstep token create --user NAME [--label L] [--role R] [--clinic C] [--db URL]\n"
        "       backstep token list --user NAME [--db URL]\n"
        "       backstep token revoke ID [--db URL]\n\n"
        "Access tokens for `backstep serve` (API calls, live ingest, the dashboard sign-in).\n"
        "create makes the user when needed (a walker unless --role clinician|admin; --clinic\n"
        "puts them in a clinic, created when new: a clinician sees only their clinic's\n"
        "walkers) and prints the new token once on standard output. Only its hash is stored.\n");
}

static int fail(bstep_store *st, const char *what)
{
    fprintf(stderr, "backstep token: %s: %s\n", what, bstep_store_errmsg(st));
    bstep_store_close(st);
    return BSTEP_EXIT_INPUT;
}

int bstep_cmd_token(int argc, char **argv)
{
    bstep__opts p;
    const char *action = NULL, *user = NULL, *label = "token", *db = NULL, *role = NULL,
               *clinic = NULL, *id_text = NULL;
    bstep_store *st = NULL;
    bstep_store_user u;
    char err[1024];
    bstep__opts_init(&p, argc, argv);
    while (bstep__opts_next(&p)) {
        const char *v;
        if (p.arg != NULL) {
            if (action == NULL)
                action = p.arg;
            else if (id_text == NULL)
                id_text = p.arg;
            else
                return bstep__usage_error(CMD, "unexpected argument '%s'", p.arg);
            continue;
        }
        if (strcmp(p.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        }
        v = bstep__opts_value(&p, CMD);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(p.name, "user") == 0)
            user = v;
        else if (strcmp(p.name, "label") == 0)
            label = v;
        else if (strcmp(p.name, "db") == 0)
            db = v;
        else if (strcmp(p.name, "role") == 0)
            role = v;
        else if (strcmp(p.name, "clinic") == 0)
            clinic = v;
        else
            return bstep__usage_error(CMD, "unknown option --%s", p.name);
    }
    if (action == NULL)
        return bstep__usage_error(CMD, "say create, list or revoke");
    if (strcmp(action, "create") != 0 && strcmp(action, "list") != 0 &&
        strcmp(action, "revoke") != 0)
        return bstep__usage_error(CMD, "unknown action '%s' (create, list or revoke)", action);
    if (strcmp(action, "revoke") != 0 && (user == NULL || user[0] == '\0'))
        return bstep__usage_error(CMD, "%s needs --user NAME", action);
    if (strcmp(action, "revoke") == 0 && id_text == NULL)
        return bstep__usage_error(CMD, "revoke needs the token id (see token list)");
    if (strlen(label) == 0 || strlen(label) >= BSTEP_STORE_NAME_MAX)
        return bstep__usage_error(CMD, "--label: 1 to %d characters", BSTEP_STORE_NAME_MAX - 1);
    if (sodium_init() < 0) {
        fprintf(stderr, "backstep token: libsodium could not be initialised\n");
        return BSTEP_EXIT_INPUT;
    }
    if (bstep_store_open(&st, db, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "backstep token: %s\n", err);
        return BSTEP_EXIT_INPUT;
    }
    if (strcmp(action, "revoke") == 0) {
        char *end;
        long long id = strtoll(id_text, &end, 10);
        if (*end != '\0' || id <= 0) {
            bstep_store_close(st);
            return bstep__usage_error(CMD, "token id '%s' is not a positive number", id_text);
        }
        if (bstep_store_token_revoke(st, id) != BSTEP_OK)
            return fail(st, "revoke");
        printf("revoked token %lld\n", id);
        bstep_store_close(st);
        return BSTEP_EXIT_OK;
    }
    if (strcmp(action, "list") == 0) {
        bstep_store_token *list = NULL;
        size_t n = 0, i;
        if (bstep_store_user_find(st, user, &u) != BSTEP_OK)
            return fail(st, user);
        if (bstep_store_token_list(st, u.id, &list, &n) != BSTEP_OK)
            return fail(st, "list");
        printf("id\tlabel\tcreated\tstate\n");
        for (i = 0; i < n; i++) {
            char when[32];
            time_t t = (time_t)(list[i].created_us / 1000000);
            struct tm tm;
            if (gmtime_r(&t, &tm) == NULL ||
                strftime(when, sizeof(when), "%Y-%m-%dT%H:%MZ", &tm) == 0)
                snprintf(when, sizeof(when), "?");
            printf("%lld\t%s\t%s\t%s\n", (long long)list[i].id, list[i].label, when,
                   list[i].revoked_us ? "revoked" : "valid");
        }
        bstep_store_free(list);
        bstep_store_close(st);
        return BSTEP_EXIT_OK;
    }
    /* create */
    {
        char token[128];
        unsigned char hash[BSTEP__TOKEN_HASH_BYTES];
        int64_t tid;
        int rc = bstep_store_user_find(st, user, &u);
        if (rc == BSTEP_ENOTFOUND) {
            bstep_store_user_init(&u);
            snprintf(u.name, sizeof(u.name), "%s", user);
            if (strlen(user) >= sizeof(u.name)) {
                bstep_store_close(st);
                return bstep__usage_error(CMD, "--user: at most %d characters",
                                          BSTEP_STORE_NAME_MAX - 1);
            }
            rc = bstep_store_user_create(st, &u);
        }
        if (rc != BSTEP_OK)
            return fail(st, user);
        if (role != NULL || clinic != NULL) {
            if (role != NULL && bstep_role_parse(role, &u.role) != BSTEP_OK) {
                bstep_store_close(st);
                return bstep__usage_error(CMD, "--role: walker, clinician or admin");
            }
            if (clinic != NULL) {
                int64_t cid;
                rc = bstep_store_clinic_find(st, clinic, &cid);
                if (rc == BSTEP_ENOTFOUND)
                    rc = bstep_store_clinic_create(st, clinic, &cid);
                if (rc != BSTEP_OK)
                    return fail(st, clinic);
                u.clinic_id = cid;
            }
            if (bstep_store_user_update(st, &u) != BSTEP_OK)
                return fail(st, user);
        }
        if (bstep__token_new(token, sizeof(token), hash) != 0) {
            bstep_store_close(st);
            fprintf(stderr, "backstep token: no random bytes\n");
            return BSTEP_EXIT_INPUT;
        }
        if (bstep_store_token_add(st, u.id, hash, sizeof(hash), label, &tid) != BSTEP_OK) {
            sodium_memzero(token, sizeof(token));
            return fail(st, "create");
        }
        printf("%s\n", token);
        fflush(stdout);
        sodium_memzero(token, sizeof(token));
        fprintf(stderr, "backstep token: token %lld for %s (%s) created; it is shown only now\n",
                (long long)tid, u.name, bstep_role_name(u.role));
        bstep_store_close(st);
        return BSTEP_EXIT_OK;
    }
}
