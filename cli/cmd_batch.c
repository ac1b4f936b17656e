/*
 * backstep batch: analyse and store every recording under folders, on all cores. Worker threads
 * each take the next file, compute its checksum, skip it when that recording is already stored
 * (so a batch interrupted in any way resumes where it stopped), otherwise analyse and store it in
 * one transaction through their own database connection. A file that cannot be read is reported
 * and skipped; the batch never stops for it. The analysis core is reentrant (no globals), so the
 * threads share nothing but the job counter and the results.
 */
#define _XOPEN_SOURCE 700 /* realpath, nftw-free directory walking with lstat */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "activity_cli.h"
#include "backstep/io.h"
#include "cli.h"
#include "internal/sha256.h"
#include "report/report.h"
#include "store/coach_store.h"
#include "store/session_save.h"
#include "store_cli.h"

#define MAX_JOBS 64

static void help(void)
{
    printf("Usage: backstep batch DIR... [OPTIONS]\n\n"
           "Analyse every recording under the folders (recursively) and store each session in\n"
           "the history, using all processor cores, exactly as backstep analyze stores them.\n"
           "Recordings are files ending in .csv, .txt or .zip, Sensor Logger export folders, and\n"
           "activity files from watches and treadmills (.fit, .tcx, .ftms; a .txt holding an\n"
           "FTMS log is one too); *.truth.json, hidden files and other files are left alone.\n"
           "A recording already stored (same SHA-256 checksum) is skipped, so a\n"
           "batch that was interrupted continues where it stopped when run again. A file that\n"
           "cannot be read is reported and skipped; the batch goes on. When the database\n"
           "cannot be used (a full disk, a read-only or deleted file, a PostgreSQL server\n"
           "unreachable for 60 s, or $BACKSTEP_DB_RETRY_S) the batch stops after the files\n"
           "being analysed; run it again to continue. With an active plan (backstep plan)\n"
           "the plan is decided again once the files are stored, with every session in the\n"
           "order it was walked.\n\n"
           "Options:\n"
           "  --jobs N           worker threads (default: the number of processors)\n"
           "  --placement P      as for backstep analyze (default auto)\n"
           "  --input-format F   as for backstep analyze (default auto)\n"
           "  --toe-axis A       foot mounting (default auto)\n"
           "  --front-axis A     trunk/pocket mounting (default auto)\n"
           "  --accel-range G    foot accelerometer full scale in g or none (as for analyze;\n"
           "                     default 16)\n"
           "  --mass-kg KG       body mass for the energy estimate (default: the user's stored\n"
           "                     mass, else 70 kg assumed)\n"
           "  --direction D      forward | backward: how the activity files' walks were done\n"
           "                     (energy; as for backstep analyze; default: what each file\n"
           "                     notes, else unknown)\n"
           "  --user NAME        whose sessions (default $BACKSTEP_USER, else the login name)\n"
           "  --db URL           history database (default: see backstep analyze --help)\n"
           "  --progress         a progress bar on standard error (default when it is a\n"
           "                     terminal; otherwise one line per file on standard output)\n"
           "  --no-progress      no progress bar: one line per file\n"
           "  --help             this text\n\n"
           "Exit status: 0 every recording stored or already stored, 2 usage error, 3 at least\n"
           "one file failed (the others were stored), 4 database error, 130 interrupted\n"
           "(Ctrl-C or SIGTERM: the files being analysed are finished and stored first; a\n"
           "second Ctrl-C or SIGTERM stops at once without storing them).\n");
}

typedef enum { R_PENDING = 0, R_STORED, R_SKIPPED, R_FAILED, R_DBFAIL } result_kind;

typedef struct {
    char *path;
    result_kind kind;
    int64_t session_id;
    int64_t steps;
    char message[1100];
    int reported;
} job;

typedef struct {
    job *jobs;
    size_t n, next, done;
    size_t stored, skipped, failed, dbfailed;
    int stopped;         /* the database cannot be used: no new file is started */
    char stop_msg[1100]; /* why */
    int stop_sig;        /* the stop signal the main thread took (SIGINT, SIGTERM), else 0 */
    int exited;          /* workers that returned */
    pthread_mutex_t mu;
    const char *db_url;
    int64_t user_id;
    bstep__analysis_options opt;
    bstep__activity_options aopt; /* activity files (FIT, TCX, FTMS), as analyze reads them */
} batch;

/* The stop signals (SIGINT, SIGTERM). While the workers run they are blocked in every thread of
 * the batch (the workers inherit the mask of the thread that starts them), so a signal sent to the
 * process is not delivered to any thread: it stays pending in the process, where every thread sees
 * it at once (sigpending), whichever thread the scheduler happens to run. A worker asks before it
 * takes the next file, so no file is started after the signal was sent, however late the main
 * thread gets to run (as under valgrind, which runs one thread at a time). Nothing depends on a
 * handler running in some thread first. The main thread takes the first one (sigtimedwait) under
 * the job lock and records it in the batch (stop_sig), in the same critical section: a worker
 * asking under that lock (next_job) sees it either pending or recorded, never neither. Taken, it
 * no longer hides a second one (a standard signal pending twice is pending once): the main thread
 * waits for that while the workers finish, and stops the batch at once when it comes
 * (force_quit). A signal left pending after the workers is taken before the mask is restored. */
static volatile sig_atomic_t interrupted; /* the signal taken: SIGINT or SIGTERM, else 0 */

/* Installed while the signals are blocked, so that one sent while SIGINT is ignored (a script's
 * background job inherits that) is kept pending rather than discarded (POSIX leaves that open for
 * an ignored blocked signal). It runs only for a signal that comes after the mask is restored. */
static void on_signal(int sig)
{
    if (!interrupted)
        interrupted = sig;
}

static void stop_signal_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
}

/* A stop signal sent to the process and not yet taken: SIGINT or SIGTERM, else 0. */
static int stop_signal_pending(void)
{
    sigset_t p;
    if (sigpending(&p) != 0)
        return 0;
    return sigismember(&p, SIGINT) == 1 ? SIGINT : sigismember(&p, SIGTERM) == 1 ? SIGTERM : 0;
}

/* Whether the batch was asked to stop, with b->mu held: a signal still pending or the one the
 * main thread took (see above), so every thread asking gets the same answer from then on. */
static int stop_requested_locked(const batch *b)
{
    return b->stop_sig != 0 || stop_signal_pending() != 0;
}

static int stop_requested(batch *b)
{
    int r;
    pthread_mutex_lock(&b->mu);
    r = stop_requested_locked(b);
    pthread_mutex_unlock(&b->mu);
    return r;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf), i;
    if (a < b)
        return 0;
    for (i = 0; i < b; i++) {
        char c = s[a - b + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suf[i])
            return 0;
    }
    return 1;
}

static int is_recording_name(const char *name)
{
    if (name[0] == '.' || has_suffix(name, ".truth.json"))
        return 0;
    return has_suffix(name, ".csv") || has_suffix(name, ".txt") || has_suffix(name, ".zip") ||
           has_suffix(name, ".fit") || has_suffix(name, ".tcx") || has_suffix(name, ".ftms");
}

/* A Sensor Logger export folder holds its sensors as separate CSV files. */
static int is_sensorlogger_dir(const char *dir)
{
    static const char *const marks[] = {"TotalAcceleration.csv", "Accelerometer.csv"};
    char p[4096];
    size_t i;
    struct stat sb;
    for (i = 0; i < 2; i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, marks[i]);
        if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
            return 1;
    }
    return 0;
}

typedef struct {
    char **p;
    size_t n, cap;
} paths;

static int add_path(paths *l, const char *p)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        char **q = realloc(l->p, nc * sizeof(*q));
        if (q == NULL)
            return -1;
        l->p = q;
        l->cap = nc;
    }
    l->p[l->n] = malloc(strlen(p) + 1);
    if (l->p[l->n] == NULL)
        return -1;
    memcpy(l->p[l->n], p, strlen(p) + 1);
    l->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect recordings under dir (depth-limited, symlinks not followed into folders). */
static int walk(const char *dir, int depth, paths *out)
{
    DIR *d;
    struct dirent *e;
    paths here = {NULL, 0, 0};
    size_t i;
    int rc = 0;
    if (depth > 32)
        return 0;
    if (is_sensorlogger_dir(dir))
        return add_path(out, dir);
    d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "backstep batch: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        char p[4096];
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) >= sizeof(p))
            continue;
        if (lstat(p, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) || (S_ISREG(sb.st_mode) && is_recording_name(e->d_name)))
            if (add_path(&here, p) != 0) {
                rc = -1;
                break;
            }
    }
    closedir(d);
    if (here.n > 1)
        qsort(here.p, here.n, sizeof(*here.p), cmp_str);
    for (i = 0; i < here.n; i++) {
        struct stat sb;
        if (rc >= 0 && lstat(here.p[i], &sb) == 0) {
            int r =
                S_ISDIR(sb.st_mode) ? walk(here.p[i], depth + 1, out) : add_path(out, here.p[i]);
            if (r < 0)
                rc = -1;
            else if (r > 0 && rc == 0)
                rc = 1;
        }
        free(here.p[i]);
    }
    free(here.p);
    return rc;
}

static void finish_job(batch *b, job *j, result_kind k)
{
    pthread_mutex_lock(&b->mu);
    j->kind = k;
    b->done++;
    if (k == R_STORED)
        b->stored++;
    else if (k == R_SKIPPED)
        b->skipped++;
    else if (k == R_FAILED)
        b->failed++;
    else
        b->dbfailed++;
    pthread_mutex_unlock(&b->mu);
}

/* The message without a leading "PATH: " (the line names the file already). */
static void set_message(job *j, const char *msg)
{
    size_t n = strlen(j->path);
    if (strncmp(msg, j->path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        msg += n + 2;
    snprintf(j->message, sizeof(j->message), "%s", msg);
}

/* How a file's session is stored: as analyze stores it (session_save.h), the plan decided once
 * after the batch (bstep__plan_update in time order, not once per file). */
static const bstep__session_in *session_in(const batch *b, const char *path, const char *sha,
                                           bstep__session_in *in)
{
    bstep__session_in_init(in, b->user_id);
    in->path = path;
    in->sha256_hex = sha;
    in->toe_axis = b->opt.toe_axis;
    in->front_axis = b->opt.front_axis;
    in->decide_plan = 0;
    return in;
}

/* Analyse and store one file. Returns its result; *db_rc is the store's status when the result
 * is R_DBFAIL (BSTEP_EIO: the database cannot be used at all, e.g. the connection was lost or the
 * disk is full). The job's counters are updated by the caller (finish_job). */
static result_kind run_job(batch *b, bstep_store *st, job *j, int *db_rc)
{
    char sha[65], err[1024];
    bstep_store_session s;
    bstep__analysis a;
    bstep__session_in in;
    bstep__session_out out;
    int rc, existed = 0;
    *db_rc = BSTEP_OK;
    if (bstep__sha256_path(j->path, sha, err, sizeof(err)) != BSTEP_OK) {
        set_message(j, err);
        return R_FAILED;
    }
    rc = bstep_store_session_find_sha256(st, b->user_id, sha, &s);
    if (rc == BSTEP_OK) {
        j->session_id = s.id;
        j->steps = s.steps;
        snprintf(j->message, sizeof(j->message), "already stored as session %lld", (long long)s.id);
        return R_SKIPPED;
    }
    if (rc != BSTEP_ENOTFOUND) {
        snprintf(j->message, sizeof(j->message), "%s", bstep_store_errmsg(st));
        *db_rc = rc;
        return R_DBFAIL;
    }
    if (bstep__is_activity_file(j->path, b->opt.format)) {
        /* a watch's or treadmill's file: the session analyze gives from its records */
        bstep__activity_analysis aa;
        rc = bstep__analyze_activity(j->path, &b->aopt, &aa, err, sizeof(err));
        if (rc != BSTEP_OK) {
            set_message(j, err[0] ? err : bstep_strerror(rc));
            bstep__activity_analysis_free(&aa);
            return R_FAILED;
        }
        rc = bstep__session_save_activity(st, &aa, session_in(b, j->path, sha, &in), &out, err,
                                          sizeof(err));
        bstep__activity_analysis_free(&aa);
    } else {
        rc = bstep__analyze_file(j->path, &b->opt, &a, err, sizeof(err));
        if (rc != BSTEP_OK) {
            set_message(j, err[0] ? err : bstep_strerror(rc));
            bstep__analysis_free(&a);
            return R_FAILED;
        }
        rc = bstep__session_save(st, &a, session_in(b, j->path, sha, &in), &out, err, sizeof(err));
        bstep__analysis_free(&a);
    }
    s = out.s;
    existed = out.existed;
    if (rc != BSTEP_OK) {
        set_message(j, err);
        *db_rc = rc;
        return R_DBFAIL;
    }
    j->session_id = s.id;
    j->steps = s.steps;
    if (existed) { /* another process stored it meanwhile */
        snprintf(j->message, sizeof(j->message), "already stored as session %lld", (long long)s.id);
        return R_SKIPPED;
    }
    if (s.steps >= 0)
        snprintf(j->message, sizeof(j->message), "session %lld, %lld steps", (long long)s.id,
                 (long long)s.steps);
    else /* an activity file without the device's step count */
        snprintf(j->message, sizeof(j->message), "session %lld (%s), steps not counted",
                 (long long)s.id, bstep_format_name(s.format));
    return R_STORED;
}

/* No new file is started after this (the files being analysed are finished). */
static void stop_batch(batch *b, const char *why)
{
    pthread_mutex_lock(&b->mu);
    if (!b->stopped) {
        b->stopped = 1;
        snprintf(b->stop_msg, sizeof(b->stop_msg), "%s", why);
    }
    pthread_mutex_unlock(&b->mu);
}

static job *next_job(batch *b)
{
    job *j;
    pthread_mutex_lock(&b->mu);
    j = (b->next < b->n && !stop_requested_locked(b) && !b->stopped) ? &b->jobs[b->next++] : NULL;
    pthread_mutex_unlock(&b->mu);
    return j;
}

/* How long a worker waits for a PostgreSQL server that went away (a restart, a network outage)
 * before the batch stops: the same file is tried again after 1, 2, 4, 8, 16 and 29 s. The
 * default, 60 s, covers a restart; $BACKSTEP_DB_RETRY_S (0..3600) sets another. */
static int reconnect_wait_s(void)
{
    const char *v = getenv("BACKSTEP_DB_RETRY_S");
    char *end;
    long x;
    if (v == NULL || v[0] == '\0')
        return 60;
    x = strtol(v, &end, 10);
    return *end == '\0' && x >= 0 && x <= 3600 ? (int)x : 60;
}

/* Counted, so that the main thread waits for the workers (and for a second stop signal) until
 * every one returned, rather than in pthread_join, where no signal is taken. */
static void worker_exit(batch *b)
{
    pthread_mutex_lock(&b->mu);
    b->exited++;
    pthread_mutex_unlock(&b->mu);
}

static void *worker(void *arg)
{
    batch *b = arg;
    bstep_store *st = NULL;
    char err[1024];
    job *j;
    if (bstep_store_open(&st, b->db_url, err, sizeof(err)) != BSTEP_OK) {
        stop_batch(b, err);
        worker_exit(b);
        return NULL;
    }
    while ((j = next_job(b)) != NULL) {
        const int max_wait = reconnect_wait_s();
        int db_rc, waited = 0, wait = 1;
        result_kind k = run_job(b, st, j, &db_rc);
        /* The connection to a PostgreSQL server was lost: it is opened again on the next
         * statement (src/store/db_pg.c), so wait for the server and try the same file again. */
        while (k == R_DBFAIL && db_rc == BSTEP_EIO &&
               bstep_store_backend_of(st) == BSTEP_STORE_POSTGRESQL && waited < max_wait &&
               !stop_requested(b)) {
            int s_i;
            if (wait > max_wait - waited)
                wait = max_wait - waited;
            for (s_i = 0; s_i < wait && !stop_requested(b); s_i++) /* a signal ends the wait */
                sleep(1);
            waited += s_i;
            wait *= 2;
            if (stop_requested(b))
                break; /* the file stays not stored (R_DBFAIL): the next run stores it */
            k = run_job(b, st, j, &db_rc);
        }
        if (waited > 0 && k != R_DBFAIL) {
            size_t n = strlen(j->message);
            snprintf(j->message + n, sizeof(j->message) - n,
                     " (after the database connection was lost: waited %d s for it)", waited);
        }
        /* A database that cannot be used (unreachable, disk full, read-only, deleted) fails every
         * file the same way: stop rather than fail them all. */
        if (k == R_DBFAIL && db_rc == BSTEP_EIO)
            stop_batch(b, j->message);
        finish_job(b, j, k);
    }
    bstep_store_close(st);
    worker_exit(b);
    return NULL;
}

static const char *kind_word(result_kind k)
{
    switch (k) {
    case R_STORED:
        return "stored";
    case R_SKIPPED:
        return "skip  ";
    case R_FAILED:
        return "FAILED";
    case R_DBFAIL:
        return "DB ERR";
    default:
        return "?";
    }
}

/* Print what finished since the last call: lines (no bar) or failures above the bar. With b->mu
 * held. */
static void report_progress_locked(batch *b, int bar, time_t t0, size_t *line_no)
{
    size_t i, done;
    for (i = 0; i < b->n; i++) {
        job *j = &b->jobs[i];
        if (j->kind == R_PENDING || j->reported)
            continue;
        j->reported = 1;
        ++*line_no;
        if (!bar) {
            printf("[%zu/%zu] %s %s: %s\n", *line_no, b->n, kind_word(j->kind), j->path,
                   j->message);
        } else if (j->kind == R_FAILED || j->kind == R_DBFAIL) {
            fprintf(stderr, "\r\033[K%s %s: %s\n", kind_word(j->kind), j->path, j->message);
        }
    }
    done = b->done;
    if (bar) {
        const int width = 30;
        const int fill = b->n ? (int)((double)width * (double)done / (double)b->n) : width;
        const double el = difftime(time(NULL), t0);
        char eta[32] = "";
        if (done > 0 && done < b->n) {
            const double left = el / (double)done * (double)(b->n - done);
            snprintf(eta, sizeof(eta), ", %d:%02d left", (int)(left / 60.0), (int)fmod(left, 60.0));
        }
        fprintf(stderr, "\r\033[K[%.*s%.*s] %zu/%zu, %zu stored, %zu skipped, %zu failed%s", fill,
                "##############################", width - fill, "..............................",
                done, b->n, b->stored, b->skipped, b->failed + b->dbfailed, eta);
    }
}

static void report_progress(batch *b, int bar, time_t t0, size_t *line_no)
{
    pthread_mutex_lock(&b->mu);
    report_progress_locked(b, bar, t0, line_no);
    pthread_mutex_unlock(&b->mu);
    fflush(stdout);
    fflush(stderr);
}

static const char *signal_name(int sig)
{
    return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

/* The failed files, after the summary line. With b->mu held. */
static void print_failed_locked(const batch *b)
{
    size_t i;
    for (i = 0; i < b->n; i++)
        if (b->jobs[i].kind == R_FAILED || b->jobs[i].kind == R_DBFAIL)
            printf("  failed: %s: %s\n", b->jobs[i].path, b->jobs[i].message);
}

/* A second stop signal: the batch ends now, with the lines a normal stop prints for what is done
 * so far, and the files being analysed are not stored. Each is stored in one transaction
 * (bstep_store_session_add), which the process ends without committing: SQLite ignores a
 * transaction not committed in its write-ahead log, PostgreSQL rolls back the transaction of a
 * connection that is gone. A file whose commit was completing at that moment may be stored (the
 * next run skips it). The mutex is kept to the end so that the lines and counts agree; nothing is
 * freed or closed (_exit, after the output is flushed). */
static void force_quit(batch *b, int sig, int bar, time_t t0, size_t *line_no)
{
    size_t running;
    pthread_mutex_lock(&b->mu);
    report_progress_locked(b, bar, t0, line_no);
    running = b->next - b->done;
    fprintf(stderr,
            "%sbackstep batch: second %s: stopping now without storing the %zu being "
            "analysed\n",
            bar ? "\r\033[K" : "", signal_name(sig), running);
    printf("%zu recording%s: %zu stored, %zu already stored, %zu failed; interrupted with %zu not "
           "started and %zu being analysed not stored: run the same command again to continue\n",
           b->n, b->n == 1 ? "" : "s", b->stored, b->skipped, b->failed + b->dbfailed,
           b->n - b->next, running);
    if (b->stopped)
        printf("  database: %s\n", b->stop_msg);
    print_failed_locked(b);
    fflush(stdout);
    fflush(stderr);
    _exit(130); /* 128 + SIGINT, as an interrupted batch */
}

/* The walker's plan decided again with what the batch stored: once, after the workers, so old
 * recordings stored in any order are applied in the order they were walked (session_save.h). Also
 * after a batch that stored nothing new: a batch killed before this point is completed by the
 * next run, and so is one whose plan could not be decided (the database failed or went away):
 * then 1 is returned, and the batch ends with the database's exit status, not success. */
static int decide_plan(const batch *b)
{
    bstep_store *st = NULL;
    bstep_store_plan plan;
    char err[1024];
    int rc;
    if (bstep_store_open(&st, b->db_url, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "backstep batch: plan: %s\n", err);
        return 1;
    }
    rc = bstep__plan_update(st, b->user_id, 0, NULL, NULL, err, sizeof(err));
    if (rc == BSTEP_OK && bstep_store_plan_active(st, b->user_id, &plan) == BSTEP_OK)
        printf("plan: decided again with every stored session in the order walked: level %d\n",
               plan.level);
    else if (rc != BSTEP_OK && rc != BSTEP_ENOTFOUND)
        fprintf(stderr, "backstep batch: plan: %s\n", err);
    bstep_store_close(st);
    return rc != BSTEP_OK && rc != BSTEP_ENOTFOUND;
}

int bstep_cmd_batch(int argc, char **argv)
{
    const char *cmd = "batch";
    bstep__opts o;
    batch b;
    paths files = {NULL, 0, 0};
    const char *dirs[256];
    const char *user_arg = NULL;
    size_t ndirs = 0, i, line_no = 0;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    int bar = isatty(2), mass_given = 0, walk_rc = 0, exit_code, plan_failed = 0;
    pthread_t th[MAX_JOBS];
    int nth = 0;
    bstep_store *st = NULL;
    bstep_store_user user;
    char ubuf[128], location[1024];
    time_t t0;
    struct sigaction sa, old_int, old_term;
    sigset_t stop_set, old_mask;
    int told = 0;

    memset(&b, 0, sizeof(b));
    b.opt.placement = BSTEP_PLACEMENT_AUTO;
    b.opt.format = BSTEP_FORMAT_AUTO;
    b.opt.mass_kg = (double)NAN;
    b.opt.age_y = (double)NAN;
    b.opt.sex = BSTEP_SEX_UNKNOWN;
    b.opt.speed_max_mps = b.opt.planned_backward_s = (double)NAN;
    b.opt.sensor_height_m = b.opt.step_scale = (double)NAN;
    b.aopt.age_y = (double)NAN;
    b.aopt.sex = BSTEP_SEX_UNKNOWN;
    b.aopt.direction = BSTEP_DIRECTION_UNKNOWN;
    bstep__opts_init(&o, argc, argv);
    while (bstep__opts_next(&o)) {
        const char *v;
        if (o.arg != NULL) {
            if (ndirs == sizeof(dirs) / sizeof(dirs[0]))
                return bstep__usage_error(cmd, "too many folders (at most 256)");
            dirs[ndirs++] = o.arg;
            continue;
        }
        if (strcmp(o.name, "help") == 0) {
            help();
            return BSTEP_EXIT_OK;
        }
        if (strcmp(o.name, "progress") == 0) {
            bar = 1;
            continue;
        }
        if (strcmp(o.name, "no-progress") == 0) {
            bar = 0;
            continue;
        }
        v = bstep__opts_value(&o, cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(o.name, "jobs") == 0) {
            double d;
            if (bstep__parse_double(cmd, o.name, v, 1, MAX_JOBS, &d) != 0)
                return BSTEP_EXIT_USAGE;
            jobs = (long)d;
        } else if (strcmp(o.name, "placement") == 0) {
            if (bstep_placement_parse(v, &b.opt.placement) != BSTEP_OK)
                return bstep__usage_error(cmd, "--placement: unknown placement '%s'", v);
        } else if (strcmp(o.name, "input-format") == 0) {
            if (bstep_format_parse(v, &b.opt.format) != BSTEP_OK)
                return bstep__usage_error(cmd, "--input-format: unknown format '%s'", v);
        } else if (strcmp(o.name, "toe-axis") == 0) {
            if (bstep_axis_parse(v, &b.opt.toe_axis) != BSTEP_OK)
                return bstep__usage_error(cmd, "--toe-axis: expected +x|-x|+y|-y|+z|-z|auto");
        } else if (strcmp(o.name, "front-axis") == 0) {
            if (bstep_axis_parse(v, &b.opt.front_axis) != BSTEP_OK)
                return bstep__usage_error(cmd, "--front-axis: expected +x|-x|+y|-y|+z|-z|auto");
        } else if (strcmp(o.name, "accel-range") == 0) {
            if (bstep__parse_accel_range(cmd, v, &b.opt.accel_range_mps2) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(o.name, "mass-kg") == 0) {
            if (bstep__parse_double(cmd, o.name, v, 20.0, 300.0, &b.opt.mass_kg) != 0)
                return BSTEP_EXIT_USAGE;
            mass_given = 1;
        } else if (strcmp(o.name, "direction") == 0) {
            if (bstep_direction_parse(v, &b.aopt.direction) != BSTEP_OK ||
                (b.aopt.direction != BSTEP_DIRECTION_FORWARD &&
                 b.aopt.direction != BSTEP_DIRECTION_BACKWARD))
                return bstep__usage_error(cmd, "--direction: expected forward or backward");
        } else if (strcmp(o.name, "user") == 0) {
            user_arg = v;
        } else if (strcmp(o.name, "db") == 0) {
            b.db_url = v;
        } else {
            return bstep__usage_error(cmd, "unknown option --%s", o.name);
        }
    }
    if (ndirs == 0)
        return bstep__usage_error(cmd, "no folder given");
    if (jobs < 1)
        jobs = 1;
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    for (i = 0; i < ndirs; i++) {
        struct stat sb;
        int r;
        if (stat(dirs[i], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            fprintf(stderr, "backstep batch: %s: not a folder\n", dirs[i]);
            walk_rc = 1;
            continue;
        }
        r = walk(dirs[i], 0, &files);
        if (r < 0) {
            fprintf(stderr, "backstep batch: out of memory\n");
            return BSTEP_EXIT_INPUT;
        }
        if (r > 0)
            walk_rc = 1;
    }
    /* the user (and body mass) once, and the database created/migrated before the threads */
    if (bstep__cli_store_open(cmd, b.db_url, &st) != BSTEP_OK)
        return BSTEP_EXIT_DB;
    if (bstep_store_user_ensure(st, bstep__cli_user_name(user_arg, ubuf, sizeof(ubuf)), &user) !=
        BSTEP_OK) {
        fprintf(stderr, "backstep batch: %s\n", bstep_store_errmsg(st));
        bstep_store_close(st);
        return BSTEP_EXIT_DB;
    }
    snprintf(location, sizeof(location), "%s", bstep_store_location(st));
    b.user_id = user.id;
    if (!mass_given && isfinite(user.mass_kg))
        b.opt.mass_kg = user.mass_kg;
    /* as analyze: the walker's stored age and sex (heart-rate energy), the same options for
     * activity files */
    b.opt.age_y = isfinite(user.age_y) ? user.age_y : (double)NAN;
    b.opt.sex = user.sex;
    b.aopt.mass_kg = b.opt.mass_kg;
    b.aopt.format = b.opt.format;
    b.aopt.age_y = b.opt.age_y;
    b.aopt.sex = b.opt.sex;
    /* and the plan's context (the level's top speed, today's minutes) for the cues and advice */
    bstep__plan_context(st, user.id, &b.opt.speed_max_mps, &b.opt.planned_backward_s);
    bstep_store_close(st);
    st = NULL;
    b.jobs = calloc(files.n + 1, sizeof(*b.jobs));
    if (b.jobs == NULL) {
        fprintf(stderr, "backstep batch: out of memory\n");
        return BSTEP_EXIT_INPUT;
    }
    for (i = 0; i < files.n; i++)
        b.jobs[i].path = files.p[i];
    b.n = files.n;
    pthread_mutex_init(&b.mu, NULL);
    if (!bar)
        printf("backstep batch: %zu recording%s, %ld worker%s, database %s\n", b.n,
               b.n == 1 ? "" : "s", jobs, jobs == 1 ? "" : "s", location);
    /* blocked first, then the handler: it never runs while the workers do (see stop_requested) */
    stop_signal_set(&stop_set);
    pthread_sigmask(SIG_BLOCK, &stop_set, &old_mask);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    t0 = time(NULL);
    for (nth = 0; nth < jobs && (size_t)nth < (b.n ? b.n : 1); nth++)
        if (pthread_create(&th[nth], NULL, worker, &b) != 0)
            break;
    if (nth == 0 && b.n > 0) {
        fprintf(stderr, "backstep batch: cannot start worker threads\n");
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        return BSTEP_EXIT_INPUT;
    }
    for (;;) {
        struct timespec ts = {0, 100000000L};
        size_t done, next;
        int exited, sig;
        pthread_mutex_lock(&b.mu);
        /* the first stop signal taken and recorded under the lock the workers ask in (see
         * stop_requested_locked), then the counters read: no worker takes a file after it, so
         * next - done is what is still being analysed */
        if (b.stop_sig == 0 && stop_signal_pending() != 0) {
            const struct timespec zero = {0, 0};
            const int got = sigtimedwait(&stop_set, NULL, &zero);
            if (got > 0) /* else still pending (workers see it), taken on the next round */
                b.stop_sig = got;
        }
        sig = b.stop_sig;
        done = b.done;
        next = b.next;
        exited = b.exited;
        pthread_mutex_unlock(&b.mu);
        report_progress(&b, bar, t0, &line_no);
        if (!told && sig != 0) {
            told = sig;
            interrupted = sig;
            fprintf(stderr,
                    "%sbackstep batch: %s: no new file is started; finishing the %zu being "
                    "analysed\n",
                    bar ? "\r\033[K" : "", signal_name(sig), next - done);
        }
        if (exited == nth)
            break;
        if (told) { /* a second stop signal, while the workers finish, stops the batch now */
            const int again = sigtimedwait(&stop_set, NULL, &ts);
            if (again > 0)
                force_quit(&b, again, bar, t0, &line_no);
        } else {
            nanosleep(&ts, NULL);
        }
    }
    for (i = 0; i < (size_t)nth; i++)
        pthread_join(th[i], NULL);
    report_progress(&b, bar, t0, &line_no);
    /* a signal that came after the workers is taken here, then the mask and the handlers
     * restored (a second one then does not stop the batch: it is about to end) */
    {
        const struct timespec zero = {0, 0};
        int sig;
        while ((sig = sigtimedwait(&stop_set, NULL, &zero)) > 0)
            if (!interrupted)
                interrupted = sig;
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (bar)
        fputc('\n', stderr);
    if (!b.stopped)
        plan_failed = decide_plan(&b);
    printf("%zu recording%s: %zu stored, %zu already stored, %zu failed", b.n, b.n == 1 ? "" : "s",
           b.stored, b.skipped, b.failed + b.dbfailed);
    if (interrupted)
        printf("; interrupted with %zu not started: run the same command again to continue",
               b.n - b.done);
    else if (b.stopped)
        printf("; stopped with %zu not started because the database cannot be used: run the "
               "same command again to continue",
               b.n - b.done);
    else if (b.dbfailed)
        printf("; %zu not stored because of the database: run the same command again to store "
               "them",
               b.dbfailed);
    printf("\n");
    if (b.stopped)
        printf("  database: %s\n", b.stop_msg);
    print_failed_locked(&b); /* the workers are done: nothing else holds the lock */
    if (plan_failed)
        printf("  plan: not decided because of the database (the recordings are stored): run the "
               "same command again to decide it\n");
    exit_code = b.dbfailed || b.stopped || plan_failed ? BSTEP_EXIT_DB
                : interrupted           ? 130 /* 128 + SIGINT, the shell's convention */
                : (b.failed || walk_rc) ? BSTEP_EXIT_INPUT
                                        : BSTEP_EXIT_OK;
    pthread_mutex_destroy(&b.mu);
    for (i = 0; i < files.n; i++)
        free(files.p[i]);
    free(files.p);
    free(b.jobs);
    return exit_code;
}
