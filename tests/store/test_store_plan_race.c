/*
 * Two processes deciding one walker's plan at the same moment, on both backends
 * (BSTEP_TEST_BACKEND): each stores a session and decides the plan with it (bstep__plan_update,
 * what analyze, batch, import and every upload or live session of `serve` do). Writer A has
 * stored an ordinary session and read the store for its decision (the replay) when writer B
 * stores a session with a fall and decides; A is held there (bstep__plan_decide_pause) until B
 * is done or 1.5 s have passed, then writes its decision. The plan stored at the end must be the
 * one a fresh replay of everything stored gives (paused after the fall), never A's decision from
 * its older snapshot (active): the decision and its writes are one transaction under the user's
 * plan lock (SQLite: the database write lock taken at BEGIN IMMEDIATE; PostgreSQL: an advisory
 * lock of the user), so B waits for A and then decides with A's session and decision stored.
 */
#include <errno.h>
#include <poll.h>
#include <sys/wait.h>

#include "harness.h"
#include "store/coach_store.h"
#include "store/session_save.h"
#include "store/store_analysis.h"
#include "store_util.h"

static int to_b[2], to_a[2]; /* A -> B: "A has read"; B -> A: "B has decided" */
static int b_done_during_pause;

/* Wait up to ms for one byte on fd; 1 if it came. */
static int wait_byte(int fd, int ms)
{
    struct pollfd p;
    char c;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    while (poll(&p, 1, ms) < 0 && errno == EINTR) {
    }
    return (p.revents & POLLIN) && read(fd, &c, 1) == 1;
}

/* Writer A, between its replay and its sync. */
static void hold_a(int64_t user_id)
{
    const char c = 'r';
    (void)user_id;
    if (write(to_b[1], &c, 1) != 1)
        _exit(20);
    b_done_during_pause = wait_byte(to_a[0], 1500);
}

static void session_of(bstep_store_session *s, int64_t user, int key, int falls)
{
    memset(s, 0, sizeof(*s));
    bstep__store_session_unknown(s);
    s->user_id = user;
    snprintf(s->source_path, sizeof(s->source_path), "/race/%d.csv", key);
    snprintf(s->sha256_hex, sizeof(s->sha256_hex), "%064x", key);
    s->format = BSTEP_FORMAT_CSV;
    s->placement = BSTEP_PLACEMENT_LOWER_BACK;
    s->start_us = 1767614400000000LL + (int64_t)key * 86400000000LL; /* 2026-01-05 12:00 UTC + */
    s->duration_s = 660.0;
    s->walking_time_s = s->backward_time_s = s->time_backward_s = 600.0;
    s->steps = 1000;
    s->stumbles = 0;
    s->falls = falls;
}

/* One writer: store session `key` (a fall when falls = 1), then decide the plan with it. */
static void writer(const char *url, int key, int falls, int is_a)
{
    bstep_store *st = NULL;
    bstep_store_user u;
    bstep_store_session s;
    bstep_store_session_parts parts;
    bstep_coach_decision d;
    char err[512];
    int existed = 0, decided = 0, rc;
    if (!is_a && !wait_byte(to_b[0], 20000))
        _exit(10); /* A never got to its decision */
    if (bstep_store_open(&st, url, err, sizeof(err)) != BSTEP_OK ||
        bstep_store_user_ensure(st, "racer", &u) != BSTEP_OK)
        _exit(11);
    session_of(&s, u.id, key, falls);
    memset(&parts, 0, sizeof(parts));
    if (bstep_store_session_add(st, &s, &parts, &existed) != BSTEP_OK) {
        fprintf(stderr, "writer %c: %s\n", is_a ? 'A' : 'B', bstep_store_errmsg(st));
        _exit(12);
    }
    if (is_a)
        bstep__plan_decide_pause = hold_a;
    rc = bstep__plan_update(st, u.id, s.id, &d, &decided, err, sizeof(err));
    if (rc != BSTEP_OK || !decided) {
        fprintf(stderr, "writer %c: plan: %s\n", is_a ? 'A' : 'B', err);
        _exit(13);
    }
    if (!is_a) {
        const char c = 'd';
        if (write(to_a[1], &c, 1) != 1)
            _exit(14);
    } else {
        printf("  writer A: writer B %s while A held its decision open\n",
               b_done_during_pause ? "decided" : "could not decide");
    }
    bstep_store_close(st);
    fflush(stdout);
    _exit(0);
}

BSTEP_TEST(two_writers_deciding_at_once_store_the_latest_decision)
{
    char url[512], err[512], fresh[1024];
    bstep_store *st;
    bstep_store_user u;
    bstep_store_plan p;
    bstep_store_answer ans[16];
    bstep_screening q;
    bstep__plan_state ps;
    bstep_coach_status stt;
    bstep_store_plan_progress *pp = NULL;
    size_t np = 0, i, decisions = 0;
    pid_t a, b;
    int sa = -1, sb = -1;
    t_check_backend();
    st = t_open_fresh(url, sizeof(url));
    BSTEP_ASSERT(st != NULL);
    BSTEP_ASSERT_OK(bstep_store_user_ensure(st, "racer", &u));
    bstep_screening_init(&q);
    q.fell_past_year = q.unsteady = q.worried_falling = q.heart_condition = q.chest_pain = 0;
    q.dizziness = q.told_supervised = q.recent_surgery = q.neuro_condition = 0;
    q.pain_0_10 = 1;
    q.age_y = 40;
    memset(&p, 0, sizeof(p));
    p.user_id = u.id;
    snprintf(p.kind, sizeof(p.kind), "general");
    snprintf(p.start_date, sizeof(p.start_date), "2026-01-01");
    p.level = 1;
    p.active = 1;
    snprintf(p.params_json, sizeof(p.params_json), "{}");
    BSTEP_ASSERT_OK(bstep_store_plan_save(st, &p, ans, bstep__screening_to_answers(&q, ans, 16)));
    bstep_store_close(st);

    BSTEP_ASSERT(pipe(to_b) == 0 && pipe(to_a) == 0);
    fflush(stdout);
    fflush(stderr);
    if ((a = fork()) == 0)
        writer(url, 1, 0, 1);
    if ((b = fork()) == 0)
        writer(url, 2, 1, 0);
    BSTEP_ASSERT(a > 0 && b > 0);
    waitpid(a, &sa, 0);
    waitpid(b, &sb, 0);
    BSTEP_ASSERT(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
    BSTEP_ASSERT(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);

    /* what is stored against what everything stored gives */
    if (bstep_store_open(&st, url, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "open: %s\n", err);
        BSTEP_ASSERT(0);
    }
    BSTEP_ASSERT_OK(bstep_store_plan_active(st, u.id, &p));
    BSTEP_ASSERT_OK(bstep__plan_replay(st, u.id, INT32_MAX / 2, &ps, err, sizeof(err)));
    bstep_coach_get_status(&ps.coach, &stt);
    bstep__plan_params_json(&ps, fresh, sizeof(fresh));
    BSTEP_ASSERT_EQ(ps.sessions_done, 2);
    BSTEP_ASSERT(stt.paused); /* the fall of B's session */
    printf("  stored plan: level %d, %s\n  replay of the store: level %d, %s\n", p.level,
           p.params_json, stt.level, fresh);
    BSTEP_ASSERT_EQ(p.level, stt.level);
    BSTEP_ASSERT(strcmp(p.params_json, fresh) == 0);
    BSTEP_ASSERT_OK(bstep_store_plan_progress_list(st, p.id, &pp, &np));
    for (i = 0; i < np; i++)
        decisions += pp[i].session_id > 0;
    BSTEP_ASSERT_EQ(decisions, 2); /* each session decided once */
    bstep_store_free(pp);
    bstep__plan_state_free(&ps);
    bstep_store_close(st);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(two_writers_deciding_at_once_store_the_latest_decision))
