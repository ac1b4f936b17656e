/*
 * TCX reader and writer: write -> read identity on the TCX grid (what TCX can carry), a TCX file
 * written by hand with another prefix and missing optional elements, laps and notes, ISO 8601
 * times, rejection of DOCTYPEs and entities (no DTD is loaded, nothing expands), bad fields with
 * their line, truncation, and split-read identity.
 */
#include "harness.h"
#include "io/activity_internal.h"
#include "test_activity_util.h"

static act_result a, b;
static bstep_activity_record walk[1000];

#define T0_US 1700000000000000LL

BSTEP_TEST(iso8601)
{
    bstep_time_us t;
    char s[40];
    BSTEP_ASSERT_EQ(bstep__iso8601_parse("1970-01-01T00:00:00Z", 20, &t), 0);
    BSTEP_ASSERT_EQ(t, 0);
    BSTEP_ASSERT_EQ(bstep__iso8601_parse("2023-11-14T22:13:20.250Z", 24, &t), 0);
    BSTEP_ASSERT_EQ(t, 1700000000250000LL);
    BSTEP_ASSERT_EQ(bstep__iso8601_parse(" 2023-11-14T23:13:20+01:00\n", 27, &t), 0);
    BSTEP_ASSERT_EQ(t, 1700000000000000LL);
    BSTEP_ASSERT_EQ(bstep__iso8601_parse("2024-02-29T12:00:00.1234567Z", 28, &t), 0);
    BSTEP_ASSERT_EQ(t % 1000000, 123457);
    BSTEP_ASSERT_EQ(bstep__iso8601_parse("2023-02-29T12:00:00Z", 20, &t), -1);
    BSTEP_ASSERT_EQ(bstep__iso8601_parse("2023-11-14 22:13:20Z", 20, &t), -1);
    BSTEP_ASSERT_EQ(bstep__iso8601_parse("2023-11-14T22:13:20Zx", 21, &t), -1);
    bstep__iso8601_format(1700000000250000LL, s, sizeof s);
    BSTEP_ASSERT_STR_CONTAINS(s, "2023-11-14T22:13:20.250Z");
    bstep__iso8601_format(-1000, s, sizeof s);
    BSTEP_ASSERT_STR_CONTAINS(s, "1969-12-31T23:59:59.999Z");
}

static const char *write_tcx(const char *name, size_t n, int laps, bstep_direction dir)
{
    const char *path = io_path(name);
    bstep_activity_writer *w = NULL;
    bstep_activity_info info;
    char err[512];
    size_t per = n / (size_t)laps, i;
    bstep_activity_info_clear(&info);
    info.start_us = T0_US;
    info.sport = BSTEP_SPORT_WALKING;
    info.direction = dir;
    if (bstep_activity_writer_open(&w, path, BSTEP_EXPORT_TCX, &info, err, sizeof err) != BSTEP_OK)
        abort();
    for (i = 0; i < (size_t)laps; i++) {
        size_t k = i == (size_t)laps - 1 ? n - i * per : per;
        if (bstep_activity_writer_records(w, walk + i * per, k) != BSTEP_OK ||
            bstep_activity_writer_lap(w, NULL) != BSTEP_OK)
            abort();
    }
    if (bstep_activity_writer_close(w, NULL, err, sizeof err) != BSTEP_OK)
        abort();
    return path;
}

BSTEP_TEST(written_file_reads_back)
{
    size_t i;
    act_make_walk(walk, 600, T0_US, 1);
    for (i = 0; i < 600; i++) {
        /* on the TCX grid: what it carries, at the writer's decimals */
        walk[i].cadence_spm = 2.0 * (double)(50 + (int)(i % 4));
        walk[i].latitude_deg = (double)(561234567 + (int)i) / 1e7;
        walk[i].longitude_deg = (double)(-31234567 - (int)i) / 1e7;
        walk[i].altitude_m = (double)(123 + (int)i) / 10.0;
        walk[i].t_us += 125000; /* milliseconds are kept */
    }
    act_read_file(write_tcx("walk.tcx", 600, 2, BSTEP_DIRECTION_BACKWARD), BSTEP_FORMAT_AUTO, 4096,
                  &a);
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 600);
    for (i = 0; i < 600; i++) {
        bstep_activity_record e = walk[i];
        e.incline_pct = e.energy_kcal = (double)NAN; /* TCX has neither */
        if (!same_record(&a.rec[i], &e))
            BSTEP__FAIL("trackpoint %zu differs: t %lld/%lld hr %g/%g lat %.9f/%.9f", i,
                        (long long)a.rec[i].t_us, (long long)e.t_us, a.rec[i].heart_rate_bpm,
                        e.heart_rate_bpm, a.rec[i].latitude_deg, e.latitude_deg);
    }
    BSTEP_ASSERT_EQ(a.info.direction, BSTEP_DIRECTION_BACKWARD);
    BSTEP_ASSERT_STR_CONTAINS(a.info.notes, "backstep: backward walking");
    BSTEP_ASSERT_EQ(a.info.start_us, T0_US);
    BSTEP_ASSERT_EQ(a.info.laps, 2);
    BSTEP_ASSERT_EQ(a.laps[1].start_us, walk[300].t_us);
    BSTEP_ASSERT_NEAR(a.laps[1].timer_s, 299.0, 1e-9);
    BSTEP_ASSERT_NEAR(a.laps[0].distance_m, walk[299].distance_m - walk[0].distance_m, 0.006);
    BSTEP_ASSERT_NEAR(a.info.elapsed_s, 598.0, 1e-9);
    act_read_file(io_path("walk.tcx"), BSTEP_FORMAT_TCX, 1, &b);
    BSTEP_ASSERT_EQ(b.n, a.n);
    for (i = 0; i < a.n; i++)
        BSTEP_ASSERT(same_record(&a.rec[i], &b.rec[i]));
    BSTEP_ASSERT(memcmp(&a.q, &b.q, sizeof a.q) == 0);
}

static const char *hand =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<tcx:TrainingCenterDatabase "
    "xmlns:tcx=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" "
    "xmlns:x=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n"
    " <tcx:Activities><tcx:Activity Sport=\"Running\">\n"
    "  <tcx:Id>2023-11-14T22:13:20Z</tcx:Id>\n"
    "  <tcx:Lap StartTime=\"2023-11-14T22:13:20Z\">\n"
    "   "
    "<tcx:TotalTimeSeconds>10.5</tcx:TotalTimeSeconds><tcx:DistanceMeters>25</tcx:DistanceMeters>\n"
    "   <tcx:Calories>3</tcx:Calories>\n"
    "   <tcx:AverageHeartRateBpm><tcx:Value>120</tcx:Value></tcx:AverageHeartRateBpm>\n"
    "   <tcx:Intensity>Active</tcx:Intensity><tcx:TriggerMethod>Manual</tcx:TriggerMethod>\n"
    "   <tcx:Track>\n"
    "    <tcx:Trackpoint><tcx:Time>2023-11-14T22:13:20Z</tcx:Time></tcx:Trackpoint>\n"
    "    <tcx:Trackpoint><tcx:Time>2023-11-14T22:13:21Z</tcx:Time>\n"
    "     <tcx:HeartRateBpm><tcx:Value> 121 </tcx:Value></tcx:HeartRateBpm>\n"
    "     <tcx:Cadence>80</tcx:Cadence><tcx:SensorState>Present</tcx:SensorState>\n"
    "     <tcx:Extensions><x:TPX><x:Speed>2.5</x:Speed><x:Watts>200</x:Watts></x:TPX>"
    "</tcx:Extensions>\n"
    "    </tcx:Trackpoint>\n"
    "    <tcx:Trackpoint><tcx:Time>2023-11-14T22:13:22Z</tcx:Time>\n"
    "     <tcx:Extensions><TPX xmlns=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">"
    "<RunCadence>85</RunCadence></TPX></tcx:Extensions></tcx:Trackpoint>\n"
    "   </tcx:Track>\n"
    "  </tcx:Lap>\n"
    "  <tcx:Creator><tcx:Name>Some watch</tcx:Name></tcx:Creator>\n"
    " </tcx:Activity></tcx:Activities>\n"
    "</tcx:TrainingCenterDatabase>\n";

BSTEP_TEST(hand_written_file)
{
    act_read_file(io_write("hand.tcx", hand), BSTEP_FORMAT_AUTO, 4096, &a);
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 3);
    BSTEP_ASSERT(isnan(a.rec[0].heart_rate_bpm));
    BSTEP_ASSERT_NEAR(a.rec[1].heart_rate_bpm, 121, 0);
    BSTEP_ASSERT_NEAR(a.rec[1].cadence_spm, 160, 0);
    BSTEP_ASSERT_NEAR(a.rec[1].speed_mps, 2.5, 0);
    BSTEP_ASSERT_NEAR(a.rec[2].cadence_spm, 170, 0);
    BSTEP_ASSERT_EQ(a.rec[2].t_us, 1700000002000000LL);
    BSTEP_ASSERT_EQ(a.info.sport, BSTEP_SPORT_RUNNING);
    BSTEP_ASSERT_EQ(a.info.laps, 1);
    BSTEP_ASSERT_NEAR(a.laps[0].timer_s, 10.5, 0);
    BSTEP_ASSERT_NEAR(a.laps[0].avg_heart_rate_bpm, 120, 0);
    BSTEP_ASSERT_NEAR(a.info.energy_kcal, 3, 0);
    BSTEP_ASSERT_EQ(a.info.direction, BSTEP_DIRECTION_UNKNOWN);
}

static void expect_error(const char *text, const char *msg)
{
    act_read_mem(text, strlen(text), BSTEP_FORMAT_TCX, 64, &a);
    if (a.read_rc == BSTEP_OK || strstr(a.err, msg) == NULL)
        BSTEP__FAIL("rc %d, message '%s', expected '%s'", a.read_rc, a.err, msg);
}

BSTEP_TEST(bad_files)
{
    static char big[200000];
    size_t k, i;
    expect_error("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
                 "\"&lol;&lol;&lol;&lol;\">]>\n<TrainingCenterDatabase>&lol2;"
                 "</TrainingCenterDatabase>",
                 "mem:2: a DOCTYPE is not allowed");
    expect_error("<?xml version=\"1.0\"?>\n<!DOCTYPE x SYSTEM \"http://example.invalid/x.dtd\">\n"
                 "<TrainingCenterDatabase/>",
                 "a DOCTYPE is not allowed");
    expect_error("<Activities/>",
                 "mem:1: root element is 'Activities', not TrainingCenterDatabase");
    expect_error("<TrainingCenterDatabase><Activities>\n<Activity><Lap><Track><Trackpoint>"
                 "<Time>2023-11-14T22:13:20Z</Time>\n<HeartRateBpm><Value>fast</Value>",
                 "mem:3: field 'HeartRateBpm/Value': not a number: 'fast'");
    expect_error("<TrainingCenterDatabase><Activities><Activity><Lap><Track>\n<Trackpoint>"
                 "<DistanceMeters>5</DistanceMeters></Trackpoint>",
                 "mem:2: Trackpoint without a Time");
    expect_error("<TrainingCenterDatabase><Activities><Activity><Lap><Track><Trackpoint>\n"
                 "<Time>yesterday</Time>",
                 "mem:2: field 'Trackpoint/Time': not an ISO 8601 time: 'yesterday'");
    expect_error("<TrainingCenterDatabase><Activities><Activity><Lap><Track><Trackpoint>"
                 "<Time>2023-11-14T22:13:20Z</Time><HeartRateBpm><Value>300</Value>",
                 "field 'HeartRateBpm/Value': value 300 is out of range (0 .. 250)");
    expect_error("<TrainingCenterDatabase><Activities>\n<Activity><Lap><Track></Lap>", "mem:2:");
    expect_error("<TrainingCenterDatabase><Activities><Activity>", "XML error: no element found");
    expect_error("", "mem:1:1: XML error: no element found");
    k = 0;
    k += (size_t)snprintf(big + k, sizeof big - k, "<TrainingCenterDatabase>");
    for (i = 0; i < 70; i++)
        k += (size_t)snprintf(big + k, sizeof big - k, "<a>");
    expect_error(big, "elements nested deeper than 64");
    /* every prefix of a written file is an error, never a crash or a hang */
    act_make_walk(walk, 5, T0_US, 1);
    {
        size_t len;
        char *data = act_slurp(write_tcx("short.tcx", 5, 1, BSTEP_DIRECTION_UNKNOWN), &len);
        BSTEP_ASSERT(data != NULL);
        for (i = 0; i + 1 < len; i++) {
            act_read_mem(data, i, BSTEP_FORMAT_TCX, 3, &a);
            if (a.read_rc == BSTEP_OK)
                BSTEP__FAIL("a TCX file cut to %zu of %zu bytes was accepted", i, len);
        }
        free(data);
    }
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(iso8601), BSTEP_TEST_ENTRY(written_file_reads_back),
                BSTEP_TEST_ENTRY(hand_written_file), BSTEP_TEST_ENTRY(bad_files))
