/*
 * Period totals, trends and SVG charts: ISO weeks across a year end and a daylight-saving change,
 * empty periods kept, trend verdicts only beyond two standard errors, chart gaps at NAN values and
 * XML escaping.
 */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "report/progress.h"
#include "report/svg.h"

static bstep_store_session session_at(int64_t t_us, double speed, double back_s)
{
    bstep_store_session s;
    memset(&s, 0, sizeof(s));
    s.start_us = t_us;
    s.speed_mps = speed;
    s.cadence_spm = 90.0;
    s.toe_first_ratio = (double)NAN;
    s.stride_time_cv_pct = 3.0;
    s.walking_time_s = back_s + 60.0;
    s.backward_time_s = back_s;
    s.steps = 100;
    s.steps_backward = 80;
    s.distance_m = 50.0;
    s.energy_kcal = 5.0;
    return s;
}

static void set_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

BSTEP_TEST(iso_weeks_across_the_year_end)
{
    /* 2026-12-28 (Mon, W53 of 2026) .. 2027-01-12 (Tue, W02 of 2027), UTC */
    bstep_store_session s[3];
    bstep__period_row *rows = NULL;
    size_t n = 0;
    set_tz("UTC");
    s[0] = session_at(1798416000000000LL + 3600000000LL, 0.5, 60); /* 2026-12-28 01:00 */
    s[1] = session_at(1799020800000000LL, 0.6, 120);               /* 2027-01-04 00:00 */
    s[2] = session_at(1799712000000000LL, 0.7, 180);               /* 2027-01-12 00:00 */
    BSTEP_ASSERT_OK(bstep__progress_periods(s, 3, NULL, 0, BSTEP__PERIOD_WEEK, INT64_MIN, INT64_MAX,
                                            &rows, &n));
    BSTEP_ASSERT_EQ(n, 3);
    BSTEP_ASSERT(strcmp(rows[0].label, "2026-W53") == 0);
    BSTEP_ASSERT(strcmp(rows[1].label, "2027-W01") == 0);
    BSTEP_ASSERT(strcmp(rows[2].label, "2027-W02") == 0);
    BSTEP_ASSERT_EQ(rows[1].sessions, 1);
    BSTEP_ASSERT_NEAR(rows[2].backward_s, 180, 1e-9);
    BSTEP_ASSERT_EQ(rows[0].end_us - rows[0].start_us, 7LL * 86400 * 1000000);
    free(rows);
    BSTEP_ASSERT_OK(bstep__progress_periods(s, 3, NULL, 0, BSTEP__PERIOD_MONTH, INT64_MIN,
                                            INT64_MAX, &rows, &n));
    BSTEP_ASSERT_EQ(n, 2);
    BSTEP_ASSERT(strcmp(rows[0].label, "2026-12") == 0);
    BSTEP_ASSERT_EQ(rows[1].sessions, 2);
    BSTEP_ASSERT_NEAR(rows[1].speed_mps, 0.65, 1e-12);
    free(rows);
    BSTEP_ASSERT_OK(bstep__progress_periods(s, 3, NULL, 0, BSTEP__PERIOD_YEAR, INT64_MIN, INT64_MAX,
                                            &rows, &n));
    BSTEP_ASSERT_EQ(n, 2);
    BSTEP_ASSERT(strcmp(rows[1].label, "2027") == 0);
    free(rows);
}

BSTEP_TEST(weeks_follow_local_time_and_dst)
{
    /* Europe/Berlin switches to summer time on 2026-03-29: that week has 167 hours. Sessions on
     * Sunday 23:30 local belong to that week, not the next one. */
    bstep_store_session s[2];
    bstep__period_row *rows = NULL;
    size_t n = 0;
    set_tz("Europe/Berlin");
    s[0] = session_at(1774215000000000LL, 0.5, 60); /* 2026-03-22 22:30 CET (Sun) */
    s[1] = session_at(1774819800000000LL, 0.5, 60); /* 2026-03-29 23:30 CEST (Sun) */
    BSTEP_ASSERT_OK(bstep__progress_periods(s, 2, NULL, 0, BSTEP__PERIOD_WEEK, INT64_MIN, INT64_MAX,
                                            &rows, &n));
    BSTEP_ASSERT_EQ(n, 2);
    BSTEP_ASSERT(strcmp(rows[0].label, "2026-W12") == 0);
    BSTEP_ASSERT(strcmp(rows[1].label, "2026-W13") == 0);
    BSTEP_ASSERT_EQ(rows[1].sessions, 1);
    BSTEP_ASSERT_EQ(rows[1].end_us - rows[1].start_us, 167LL * 3600 * 1000000);
    free(rows);
    set_tz("UTC");
}

BSTEP_TEST(empty_periods_are_kept_and_checkins_counted)
{
    bstep_store_session s[2];
    bstep_store_checkin c[2];
    bstep__period_row *rows = NULL;
    size_t n = 0;
    set_tz("UTC");
    s[0] = session_at(1772409600000000LL, 0.5, 60);                        /* 2026-03-02 */
    s[1] = session_at(1772409600000000LL + 21LL * 86400000000LL, 0.7, 60); /* 2026-03-23 */
    memset(c, 0, sizeof(c));
    snprintf(c[0].date, sizeof(c[0].date), "2026-03-10");
    c[0].pain_0_10 = 6;
    c[0].wellbeing_0_10 = -1;
    snprintf(c[1].date, sizeof(c[1].date), "2026-03-11");
    c[1].pain_0_10 = 4;
    c[1].wellbeing_0_10 = 8;
    BSTEP_ASSERT_OK(
        bstep__progress_periods(s, 2, c, 2, BSTEP__PERIOD_WEEK, INT64_MIN, INT64_MAX, &rows, &n));
    BSTEP_ASSERT_EQ(n, 4);
    BSTEP_ASSERT_EQ(rows[1].sessions, 0);
    BSTEP_ASSERT_EQ(rows[1].checkins, 2);
    BSTEP_ASSERT_NEAR(rows[1].pain_0_10, 5.0, 1e-12);
    BSTEP_ASSERT_NEAR(rows[1].wellbeing_0_10, 8.0, 1e-12);
    BSTEP_ASSERT(isnan(rows[2].speed_mps));
    BSTEP_ASSERT_EQ(rows[2].sessions, 0);
    free(rows);
    BSTEP_ASSERT_OK(bstep__progress_periods(NULL, 0, NULL, 0, BSTEP__PERIOD_WEEK, INT64_MIN,
                                            INT64_MAX, &rows, &n));
    BSTEP_ASSERT_EQ(n, 0);
    free(rows);
}

BSTEP_TEST(trend_needs_a_slope_beyond_two_standard_errors)
{
    bstep_store_session s[8];
    bstep__trend t[BSTEP__N_TRENDS];
    int i;
    set_tz("UTC");
    for (i = 0; i < 8; i++) /* steady rise of 0.05 m/s per week with small noise */
        s[i] = session_at(1772409600000000LL + (int64_t)i * 604800000000LL,
                          0.5 + 0.05 * i + (i % 2 ? 0.005 : -0.005), 60);
    bstep__progress_trends(s, 8, NULL, 0, t);
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_SPEED].n, 8);
    BSTEP_ASSERT_NEAR(t[BSTEP__TREND_SPEED].slope_per_week, 0.05, 0.003);
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_SPEED].verdict, 1);
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_STRIDE_CV].verdict, 0); /* constant */
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_TOE_FIRST].n, 0);       /* never measured */
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_PAIN].n, 0);
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_BACKWARD_MIN].n, 8);
    /* noise as large as the change: no verdict */
    for (i = 0; i < 8; i++)
        s[i].speed_mps = 0.5 + 0.01 * i + (i % 2 ? 0.2 : -0.2);
    bstep__progress_trends(s, 8, NULL, 0, t);
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_SPEED].verdict, 0);
    /* two points: a slope but no verdict */
    bstep__progress_trends(s, 2, NULL, 0, t);
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_SPEED].n, 2);
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_SPEED].verdict, 0);
}

/* The week in progress is not a week's total yet: a short session today does not read as a drop. */
BSTEP_TEST(current_week_is_left_out_of_the_weekly_trend)
{
    bstep_store_session s[6];
    bstep__trend t[BSTEP__N_TRENDS];
    struct timespec ts;
    int64_t now_us, monday_us;
    struct tm tm;
    time_t tt;
    int i;
    set_tz("UTC");
    clock_gettime(CLOCK_REALTIME, &ts);
    now_us = (int64_t)ts.tv_sec * 1000000;
    tt = (time_t)ts.tv_sec;
    gmtime_r(&tt, &tm);
    monday_us = now_us - (int64_t)((tm.tm_wday + 6) % 7) * 86400000000LL -
                ((int64_t)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) * 1000000;
    for (i = 0; i < 5; i++) /* 30 min in each of the five weeks before this one, 10:00 Tuesday */
        s[i] = session_at(monday_us - (int64_t)(5 - i) * 604800000000LL + 122400000000LL, 0.6,
                          1800.0 + (i % 2 ? 30.0 : -30.0));
    s[5] = session_at(monday_us + 1000000, 0.6, 60.0); /* one minute so far this week */
    bstep__progress_trends(s, 6, NULL, 0, t);
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_BACKWARD_MIN].n, 5);
    BSTEP_ASSERT_EQ(t[BSTEP__TREND_BACKWARD_MIN].verdict, 0);
}

static char *render(int bars, const double *y, size_t n)
{
    static char buf[65536];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    bstep__svg_chart c;
    bstep__svg_series s;
    double x[16];
    static const char *const labels[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    size_t i;
    for (i = 0; i < n; i++)
        x[i] = 1772409600.0 + 86400.0 * (double)i;
    bstep__svg_chart_init(&c);
    c.title = "Speed <m/s> & \"more\"";
    c.y_label = "speed (m/s)";
    c.x_is_time = 1;
    s.name = "walk";
    s.color = NULL;
    s.x = x;
    s.y = y;
    s.n = n;
    if (bars)
        bstep__svg_bar_chart(f, &c, labels, n, &s, 1);
    else
        bstep__svg_line_chart(f, &c, &s, 1);
    fclose(f);
    return buf;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
        n++;
    return n;
}

BSTEP_TEST(svg_gaps_escaping_and_ticks)
{
    const double y[6] = {0.5, 0.55, (double)NAN, 0.6, 0.62, 0.7};
    const char *svg = render(0, y, 6);
    BSTEP_ASSERT(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    BSTEP_ASSERT_STR_CONTAINS(svg, "Speed &lt;m/s&gt; &amp; &quot;more&quot;");
    BSTEP_ASSERT(strstr(svg, "<m/s>") == NULL);
    BSTEP_ASSERT_EQ(count(svg, "<circle"), 5); /* no marker for the missing value */
    {
        const char *d = strstr(svg, " d=\"");
        const char *e = d ? strchr(d + 4, '"') : NULL;
        size_t moves = 0;
        BSTEP_ASSERT(d != NULL && e != NULL);
        for (d += 4; d < e; d++)
            moves += *d == 'M';
        BSTEP_ASSERT_EQ(moves, 2); /* the line restarts after the gap */
    }
    BSTEP_ASSERT_STR_CONTAINS(svg, "speed (m/s)");
    BSTEP_ASSERT_STR_CONTAINS(svg, "02 Mar"); /* date ticks */
    BSTEP_ASSERT_STR_CONTAINS(svg, "</svg>");
    svg = render(1, y, 6);
    BSTEP_ASSERT_EQ(count(svg, "<rect class=\"bar\""), 5);
    BSTEP_ASSERT_STR_CONTAINS(svg, ">0.0<"); /* bars start at zero */
    BSTEP_ASSERT_NEAR(bstep__svg_nice_step(7.3, 5), 2.0, 0);
    BSTEP_ASSERT_NEAR(bstep__svg_nice_step(0.23, 5), 0.05, 1e-15);
    BSTEP_ASSERT_NEAR(bstep__svg_nice_step(1000, 5), 200, 0);
    BSTEP_ASSERT_EQ(bstep__svg_line_chart(NULL, NULL, NULL, 0), -1);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(iso_weeks_across_the_year_end),
                BSTEP_TEST_ENTRY(weeks_follow_local_time_and_dst),
                BSTEP_TEST_ENTRY(empty_periods_are_kept_and_checkins_counted),
                BSTEP_TEST_ENTRY(trend_needs_a_slope_beyond_two_standard_errors),
                BSTEP_TEST_ENTRY(current_week_is_left_out_of_the_weekly_trend),
                BSTEP_TEST_ENTRY(svg_gaps_escaping_and_ticks))
