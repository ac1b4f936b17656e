/*
 * Reliability of the store, on both backends (BSTEP_TEST_BACKEND), with real processes:
 * - a writer killed with SIGKILL at random moments (also while the database is being created and
 *   migrated) leaves a database that opens, passes its integrity check and holds every session the
 *   writer reported stored, complete with its steps;
 * - several processes writing at once all succeed, or get BSTEP_EBUSY with "database busy, retry"
 *   and succeed on retrying: nothing is lost, nothing is stored twice;
 * - processes racing to store the same recording store it exactly once;
 * - processes opening a new database at once migrate it once.
 * The random moments come from a seeded generator (BSTEP_TEST_SEED, default 1) and are printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"
#include "store_util.h"

#define STEPS_PER_SESSION 300

static uint64_t rng_state = 1;

static uint32_t rnd(void)
{
    /* xorshift64* (Vigna 2016) */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static void sleep_us(long us)
{
    struct timespec ts;
    ts.tv_sec = us / 1000000;
    ts.tv_nsec = (us % 1000000) * 1000;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void make_session(bstep_store_session *s, int64_t user, uint64_t key)
{
    memset(s, 0, sizeof(*s));
    s->user_id = user;
    snprintf(s->source_path, sizeof(s->source_path), "/rel/%llu.csv", (unsigned long long)key);
    snprintf(s->sha256_hex, sizeof(s->sha256_hex), "%064llx", (unsigned long long)key);
    s->format = BSTEP_FORMAT_CSV;
    s->placement = BSTEP_PLACEMENT_FOOT_RIGHT;
    s->start_us = 1767261600000000LL + (int64_t)(key % 100000) * 1000000;
    s->duration_s = 60.0;
    s->steps = STEPS_PER_SESSION;
    s->steps_forward = s->steps_backward = s->steps_sideways = s->bouts = -1;
    s->samples = s->gaps = s->look_backs = s->stumbles = s->falls = -1;
    s->walking_time_s = 55.0;
    s->speed_mps = 0.7;
}

static int add_with_steps(bstep_store *st, int64_t user, uint64_t key, int *existed)
{
    static bstep_store_step steps[STEPS_PER_SESSION];
    bstep_store_session s;
    bstep_store_session_parts p;
    size_t i;
    make_session(&s, user, key);
    for (i = 0; i < STEPS_PER_SESSION; i++) {
        memset(&steps[i], 0, sizeof(steps[i]));
        steps[i].ic_s = 0.5 * (double)i;
        steps[i].fc_s = steps[i].strike_angle_deg = steps[i].stride_length_m = (double)NAN;
        steps[i].stride_time_s = (double)key; /* lets the checker see whose steps these are */
        steps[i].stride_forward_m = steps[i].stride_left_m = steps[i].speed_mps = (double)NAN;
        steps[i].clearance_m = steps[i].turn_deg = steps[i].fc_angle_deg = (double)NAN;
        steps[i].step_length_m = steps[i].trunk_lean_deg = (double)NAN;
        steps[i].side_lean_deg = steps[i].confidence = (double)NAN;
        steps[i].direction = BSTEP_DIRECTION_BACKWARD;
    }
    memset(&p, 0, sizeof(p));
    p.steps = steps;
    p.n_steps = STEPS_PER_SESSION;
    return bstep_store_session_add(st, &s, &p, existed);
}

/* Is session `key` stored completely (row and all its steps)? */
static int complete(bstep_store *st, int64_t user, uint64_t key)
{
    bstep_store_session s;
    bstep_store_session_full *f = NULL;
    char sha[65];
    size_t i;
    int ok;
    snprintf(sha, sizeof(sha), "%064llx", (unsigned long long)key);
    if (bstep_store_session_find_sha256(st, user, sha, &s) != BSTEP_OK)
        return 0;
    if (bstep_store_session_load(st, s.id, &f) != BSTEP_OK)
        return 0;
    ok = f->n_steps == STEPS_PER_SESSION;
    for (i = 0; ok && i < f->n_steps; i++)
        ok = f->steps[i].stride_time_s == (double)key;
    bstep_store_session_full_free(f);
    return ok;
}

/* Child: open (maybe create and migrate), then store sessions forever, reporting each key on the
 * pipe after its transaction committed. */
static void writer(const char *url, int fd, uint64_t first_key)
{
    bstep_store *st = NULL;
    bstep_store_user u;
    char err[512];
    uint64_t key = first_key;
    if (bstep_store_open(&st, url, err, sizeof(err)) != BSTEP_OK)
        _exit(3);
    if (bstep_store_user_ensure(st, "crash", &u) != BSTEP_OK)
        _exit(4);
    for (;;) {
        int existed = 0;
        if (add_with_steps(st, u.id, key, &existed) == BSTEP_OK) {
            uint64_t k = key;
            if (write(fd, &k, sizeof(k)) != (ssize_t)sizeof(k))
                _exit(5);
        }
        key++;
    }
}

BSTEP_TEST(sigkill_while_writing_loses_nothing_reported)
{
    const char *seed = getenv("BSTEP_TEST_SEED");
    const int rounds = 30;
    char url[512], err[512];
    int r, total_reported = 0, killed_early = 0;
    uint64_t next_key = 1;
    t_check_backend();
    rng_state = seed ? strtoull(seed, NULL, 10) * 2654435761ULL + 1 : 88172645463325252ULL;
    printf("  seed %s\n", seed ? seed : "1 (default)");
    BSTEP_ASSERT_EQ(t_fresh_url(url, sizeof(url)), 0);
    for (r = 0; r < rounds; r++) {
        int fds[2], status, n_rep = 0;
        uint64_t reported[4096], k;
        pid_t pid;
        long delay_us;
        bstep_store *st = NULL;
        bstep_store_user u;
        int i;
        if (r % 8 == 7) /* a new database: the kill may land while it is created and migrated */
            BSTEP_ASSERT_EQ(t_fresh_url(url, sizeof(url)), 0);
        BSTEP_ASSERT_EQ(pipe(fds), 0);
        pid = fork();
        BSTEP_ASSERT(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            writer(url, fds[1], next_key);
        }
        close(fds[1]);
        /* Odd rounds kill at a random moment from the start (opening, creating, migrating,
         * writing); even rounds wait for the first commit, so that they kill a writer in full
         * flow whatever the speed of the machine. */
        if (r % 2 == 0 && read(fds[0], &k, sizeof(k)) == (ssize_t)sizeof(k))
            reported[n_rep++] = k;
        delay_us = (long)(rnd() % 250000); /* 0..250 ms */
        sleep_us(delay_us);
        kill(pid, SIGKILL);
        BSTEP_ASSERT_EQ(waitpid(pid, &status, 0), pid);
        BSTEP_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        while (read(fds[0], &k, sizeof(k)) == (ssize_t)sizeof(k) && n_rep < 4096)
            reported[n_rep++] = k;
        close(fds[0]);
        if (n_rep == 0)
            killed_early++;
        next_key += 100000; /* keys of the next writer never collide with this one's */
        /* The database opens (finishing any interrupted creation), checks, and has them all. */
        if (bstep_store_open(&st, url, err, sizeof(err)) != BSTEP_OK)
            fprintf(stderr, "round %d (kill after %ld us): %s\n", r, delay_us, err);
        BSTEP_ASSERT(st != NULL);
        if (bstep_store_check(st) != BSTEP_OK)
            fprintf(stderr, "round %d: %s\n", r, bstep_store_errmsg(st));
        BSTEP_ASSERT_OK(bstep_store_check(st));
        if (n_rep > 0) {
            BSTEP_ASSERT_OK(bstep_store_user_find(st, "crash", &u));
            for (i = 0; i < n_rep; i++) {
                if (!complete(st, u.id, reported[i]))
                    fprintf(stderr, "round %d: session %llu reported stored but missing\n", r,
                            (unsigned long long)reported[i]);
                BSTEP_ASSERT(complete(st, u.id, reported[i]));
            }
        }
        total_reported += n_rep;
        bstep_store_close(st);
    }
    printf("  %d kills, %d sessions reported stored and all found complete; %d kills came before "
           "the first commit\n",
           rounds, total_reported, killed_early);
    BSTEP_ASSERT(rounds - killed_early >= rounds / 2); /* at least half killed while writing */
}

/* Children store `per_child` sessions each; on BSTEP_EBUSY they record it and retry. Each child
 * writes to its pipe: for every session, the key and the number of busy answers it got. */
static void concurrent_writer(const char *url, int fd, uint64_t key0, int per_child)
{
    bstep_store *st = NULL;
    bstep_store_user u;
    char err[512];
    int i, rc;
    for (i = 0; i < 1000; i++) { /* opening may be busy too when the lock is not waited for */
        rc = bstep_store_open(&st, url, err, sizeof(err));
        if (rc == BSTEP_OK)
            break;
        if (rc != BSTEP_EBUSY || strstr(err, "database busy, retry") == NULL)
            _exit(3);
        sleep_us(1000 + (long)(rnd() % 4000));
    }
    if (st == NULL)
        _exit(3);
    for (i = 0; i < 1000; i++) {
        rc = bstep_store_user_ensure(st, "many", &u);
        if (rc == BSTEP_OK)
            break;
        if (rc != BSTEP_EBUSY)
            _exit(4);
        sleep_us(1000 + (long)(rnd() % 4000));
    }
    if (rc != BSTEP_OK)
        _exit(4);
    for (i = 0; i < per_child; i++) {
        uint64_t rec[2] = {key0 + (uint64_t)i, 0};
        int existed = 0;
        for (;;) {
            rc = add_with_steps(st, u.id, rec[0], &existed);
            if (rc != BSTEP_EBUSY)
                break;
            if (strstr(bstep_store_errmsg(st), "database busy, retry") == NULL)
                _exit(6);
            rec[1]++;
            sleep_us(1000 + (long)(rnd() % 4000));
        }
        if (rc != BSTEP_OK || existed)
            _exit(7);
        if (write(fd, rec, sizeof(rec)) != (ssize_t)sizeof(rec))
            _exit(5);
    }
    bstep_store_close(st);
    _exit(0);
}

static void run_concurrent(int children, int per_child, const char *busy_ms, int *busy_total)
{
    char url[512];
    int fds[2], c, status;
    pid_t pids[16];
    uint64_t rec[2];
    int got = 0;
    bstep_store *st = NULL;
    bstep_store_user u;
    bstep_store_filter f;
    bstep_store_session *list = NULL;
    size_t n = 0;
    char err[512];
    *busy_total = 0;
    BSTEP_ASSERT_EQ(t_fresh_url(url, sizeof(url)), 0);
    if (busy_ms)
        setenv("BACKSTEP_DB_BUSY_MS", busy_ms, 1);
    BSTEP_ASSERT_EQ(pipe(fds), 0);
    for (c = 0; c < children; c++) {
        pids[c] = fork();
        BSTEP_ASSERT(pids[c] >= 0);
        if (pids[c] == 0) {
            close(fds[0]);
            rng_state += (uint64_t)c * 7919 + 1;
            concurrent_writer(url, fds[1], (uint64_t)(c + 1) * 1000000, per_child);
        }
    }
    close(fds[1]);
    while (read(fds[0], rec, sizeof(rec)) == (ssize_t)sizeof(rec)) {
        got++;
        *busy_total += (int)rec[1];
    }
    close(fds[0]);
    for (c = 0; c < children; c++) {
        BSTEP_ASSERT_EQ(waitpid(pids[c], &status, 0), pids[c]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fprintf(stderr, "writer %d ended with status %d\n", c, status);
        BSTEP_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    unsetenv("BACKSTEP_DB_BUSY_MS");
    BSTEP_ASSERT_EQ(got, children * per_child);
    BSTEP_ASSERT_OK(bstep_store_open(&st, url, err, sizeof(err)));
    BSTEP_ASSERT_OK(bstep_store_check(st));
    BSTEP_ASSERT_OK(bstep_store_user_find(st, "many", &u));
    bstep_store_filter_init(&f);
    BSTEP_ASSERT_OK(bstep_store_session_list(st, &f, &list, &n));
    BSTEP_ASSERT_EQ(n, (size_t)(children * per_child));
    bstep_store_free(list);
    for (c = 0; c < children; c++) {
        int i;
        for (i = 0; i < per_child; i += 7)
            BSTEP_ASSERT(complete(st, u.id, (uint64_t)(c + 1) * 1000000 + (uint64_t)i));
    }
    bstep_store_close(st);
}

BSTEP_TEST(concurrent_writers_all_succeed)
{
    int busy = 0;
    /* Under valgrind every transaction runs 20 to 50 times slower, so four writers can hold the
     * lock longer than the default 5 s between them: the timeout is scaled the same way (the
     * guarantee is that a writer waits up to the timeout, not that valgrind is fast). */
    const char *under_vg = getenv("BSTEP_TEST_UNDER_VALGRIND");
    const int vg = under_vg != NULL && strcmp(under_vg, "1") == 0;
    t_check_backend();
    run_concurrent(4, 25, vg ? "120000" : NULL, &busy);
    printf("  4 processes x 25 sessions: all 100 stored, %d busy answers (busy timeout %s)\n", busy,
           vg ? "120 s under valgrind" : "5 s");
    BSTEP_ASSERT_EQ(busy, 0); /* with the default timeout nobody waits that long */
}

/* Without waiting for the lock (busy timeout 0) SQLite writers collide: they get a clear busy
 * answer, retry, and still nothing is lost or doubled. PostgreSQL writers never block each other
 * here (row locks only), so this is the same test with no busy answers expected. */
BSTEP_TEST(busy_writers_retry_and_lose_nothing)
{
    int busy = 0;
    t_check_backend();
    run_concurrent(4, 25, "0", &busy);
    printf("  4 processes x 25 sessions with no busy wait: all 100 stored after %d busy "
           "answers\n",
           busy);
}

BSTEP_TEST(racing_to_store_the_same_recording_stores_it_once)
{
    char url[512], err[512];
    int fds[2], c, status, fresh = 0, seen = 0;
    pid_t pids[6];
    int64_t ids[6];
    bstep_store *st = NULL;
    bstep_store_user u;
    t_check_backend();
    BSTEP_ASSERT_EQ(t_fresh_url(url, sizeof(url)), 0);
    BSTEP_ASSERT_OK(bstep_store_open(&st, url, err, sizeof(err)));
    BSTEP_ASSERT_OK(bstep_store_user_ensure(st, "race", &u));
    bstep_store_close(st);
    BSTEP_ASSERT_EQ(pipe(fds), 0);
    for (c = 0; c < 6; c++) {
        pids[c] = fork();
        BSTEP_ASSERT(pids[c] >= 0);
        if (pids[c] == 0) {
            bstep_store *cs = NULL;
            int existed = 0, rc;
            int64_t rec[2];
            close(fds[0]);
            if (bstep_store_open(&cs, url, err, sizeof(err)) != BSTEP_OK)
                _exit(3);
            do
                rc = add_with_steps(cs, u.id, 424242, &existed);
            while (rc == BSTEP_EBUSY);
            if (rc != BSTEP_OK)
                _exit(4);
            {
                bstep_store_session s;
                char sha[65];
                snprintf(sha, sizeof(sha), "%064llx", 424242ULL);
                if (bstep_store_session_find_sha256(cs, u.id, sha, &s) != BSTEP_OK)
                    _exit(6);
                rec[0] = s.id;
            }
            rec[1] = existed;
            if (write(fds[1], rec, sizeof(rec)) != (ssize_t)sizeof(rec))
                _exit(5);
            bstep_store_close(cs);
            _exit(0);
        }
    }
    close(fds[1]);
    for (;;) {
        int64_t rec[2];
        if (read(fds[0], rec, sizeof(rec)) != (ssize_t)sizeof(rec))
            break;
        ids[seen++] = rec[0];
        fresh += rec[1] == 0;
    }
    close(fds[0]);
    for (c = 0; c < 6; c++) {
        BSTEP_ASSERT_EQ(waitpid(pids[c], &status, 0), pids[c]);
        BSTEP_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    BSTEP_ASSERT_EQ(seen, 6);
    BSTEP_ASSERT_EQ(fresh, 1); /* exactly one of them stored it */
    for (c = 1; c < 6; c++)
        BSTEP_ASSERT_EQ(ids[c], ids[0]);
    {
        char out[64];
        BSTEP_ASSERT_OK(bstep__store_query_raw(url, "SELECT count(*) FROM sessions", out,
                                               sizeof(out), err, sizeof(err)));
        BSTEP_ASSERT(strcmp(out, "1\n") == 0);
        BSTEP_ASSERT_OK(bstep__store_query_raw(url, "SELECT count(*) FROM steps", out, sizeof(out),
                                               err, sizeof(err)));
        BSTEP_ASSERT_EQ(strtol(out, NULL, 10), STEPS_PER_SESSION);
    }
}

BSTEP_TEST(processes_creating_a_database_at_once_migrate_it_once)
{
    char url[512], err[512], out[64];
    pid_t pids[6];
    int c, status;
    t_check_backend();
    BSTEP_ASSERT_EQ(t_fresh_url(url, sizeof(url)), 0);
    for (c = 0; c < 6; c++) {
        pids[c] = fork();
        BSTEP_ASSERT(pids[c] >= 0);
        if (pids[c] == 0) {
            bstep_store *cs = NULL;
            int rc = bstep_store_open(&cs, url, err, sizeof(err));
            if (rc != BSTEP_OK) {
                fprintf(stderr, "child %d: %s\n", c, err);
                _exit(3);
            }
            bstep_store_close(cs);
            _exit(0);
        }
    }
    for (c = 0; c < 6; c++) {
        BSTEP_ASSERT_EQ(waitpid(pids[c], &status, 0), pids[c]);
        BSTEP_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    BSTEP_ASSERT_OK(bstep__store_query_raw(url, "SELECT count(*) FROM schema_version", out,
                                           sizeof(out), err, sizeof(err)));
    BSTEP_ASSERT_EQ(strtol(out, NULL, 10), BSTEP_STORE_SCHEMA_VERSION);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(sigkill_while_writing_loses_nothing_reported),
                BSTEP_TEST_ENTRY(concurrent_writers_all_succeed),
                BSTEP_TEST_ENTRY(busy_writers_retry_and_lose_nothing),
                BSTEP_TEST_ENTRY(racing_to_store_the_same_recording_stores_it_once),
                BSTEP_TEST_ENTRY(processes_creating_a_database_at_once_migrate_it_once))
