/*
 * FIT reader and writer: the CRC oracle, write -> read identity on the FIT grid, read -> write ->
 * read identity for any values, laps and session, every truncation and every single-byte
 * corruption of a written file rejected, split-read identity, and the hand-made seed files of
 * tests/corpus/fuzz/fuzz_fit (written by tools/make_fit_corpus.py, not by backstep's writer).
 */
#include "harness.h"
#include "test_activity_util.h"

static act_result a, b;
static bstep_activity_record walk[1200];

#define T0_US 1700000000000000LL

static const char *write_walk(const char *name, size_t n, int laps, bstep_direction dir)
{
    const char *path = io_path(name);
    bstep_activity_writer *w = NULL;
    bstep_activity_info info;
    char err[512];
    size_t per = laps > 0 ? n / (size_t)laps : n, i;
    bstep_activity_info_clear(&info);
    info.start_us = T0_US;
    info.sport = BSTEP_SPORT_WALKING;
    info.sub_sport = BSTEP_SUB_SPORT_INDOOR_WALK;
    info.direction = dir;
    if (bstep_activity_writer_open(&w, path, BSTEP_EXPORT_FIT, &info, err, sizeof err) != BSTEP_OK)
        abort();
    for (i = 0; i < (size_t)(laps > 0 ? laps : 1); i++) {
        size_t k = i == (size_t)laps - 1 || laps == 0 ? n - i * per : per;
        if (bstep_activity_writer_records(w, walk + i * per, k) != BSTEP_OK)
            abort();
        if (laps > 0 && bstep_activity_writer_lap(w, NULL) != BSTEP_OK)
            abort();
    }
    if (bstep_activity_writer_close(w, NULL, err, sizeof err) != BSTEP_OK)
        abort();
    return path;
}

BSTEP_TEST(crc_oracle)
{
    BSTEP_ASSERT_EQ(bstep_fit_crc16(0, "123456789", 9), 0xBB3D);
    BSTEP_ASSERT_EQ(bstep_fit_crc16(bstep_fit_crc16(0, "1234", 4), "56789", 5), 0xBB3D);
}

BSTEP_TEST(written_file_reads_back_identically)
{
    size_t i, len;
    unsigned char *data;
    act_make_walk(walk, 900, T0_US, 1);
    act_read_file(write_walk("walk.fit", 900, 3, BSTEP_DIRECTION_BACKWARD), BSTEP_FORMAT_AUTO, 4096,
                  &a);
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 900);
    for (i = 0; i < 900; i++)
        if (!same_record(&a.rec[i], &walk[i]))
            BSTEP__FAIL("record %zu differs: hr %g/%g cad %g/%g v %g/%g", i,
                        a.rec[i].heart_rate_bpm, walk[i].heart_rate_bpm, a.rec[i].cadence_spm,
                        walk[i].cadence_spm, a.rec[i].speed_mps, walk[i].speed_mps);
    BSTEP_ASSERT_EQ(a.info.sport, BSTEP_SPORT_WALKING);
    BSTEP_ASSERT_EQ(a.info.sub_sport, BSTEP_SUB_SPORT_INDOOR_WALK);
    BSTEP_ASSERT_EQ(a.info.direction, BSTEP_DIRECTION_BACKWARD);
    BSTEP_ASSERT_STR_CONTAINS(a.info.name, "Backward walking");
    BSTEP_ASSERT_EQ(a.info.has_session, 1);
    BSTEP_ASSERT_EQ(a.info.start_us, T0_US);
    BSTEP_ASSERT_NEAR(a.info.elapsed_s, 899.0, 1e-9);
    BSTEP_ASSERT_NEAR(a.info.distance_m, walk[899].distance_m, 0.006);
    BSTEP_ASSERT_EQ(a.info.laps, 3);
    BSTEP_ASSERT_EQ(a.laps[1].start_us, walk[300].t_us);
    BSTEP_ASSERT_NEAR(a.laps[1].elapsed_s, 299.0, 1e-9);
    BSTEP_ASSERT_NEAR(a.laps[1].distance_m, walk[599].distance_m - walk[300].distance_m, 0.006);
    BSTEP_ASSERT_EQ(a.laps[2].sport, BSTEP_SPORT_WALKING);
    BSTEP_ASSERT_EQ(a.q.records, 900);
    BSTEP_ASSERT_NEAR(a.q.median_interval_s, 1.0, 1e-9);
    BSTEP_ASSERT_EQ(a.q.gaps, 0);
    /* the CRC over the whole file, its own CRC included, is 0; the header CRC checks too */
    data = act_slurp(io_path("walk.fit"), &len);
    BSTEP_ASSERT(data != NULL);
    BSTEP_ASSERT_EQ(bstep_fit_crc16(0, data, len), 0);
    BSTEP_ASSERT_EQ(bstep_fit_crc16(0, data, 12), data[12] | (data[13] << 8));
    BSTEP_ASSERT_EQ(len, 14 + (data[4] | data[5] << 8 | data[6] << 16) + 2);
    free(data);
}

BSTEP_TEST(read_write_read_is_identical_for_any_values)
{
    size_t i;
    unsigned s = 12345;
    for (i = 0; i < 500; i++) {
        bstep_activity_record *r = &walk[i];
        s = s * 1103515245u + 12345u;
        bstep_activity_record_clear(r);
        r->t_us = T0_US + (bstep_time_us)i * 1000000 + 7;
        r->heart_rate_bpm = 60.0 + (double)(s % 1000) * 0.1337;
        r->cadence_spm = (double)(s % 2000) * 0.0917;
        r->speed_mps = (double)(s % 3000) * 0.00097;
        r->distance_m = (double)i * 1.234567;
        r->incline_pct = -3.0 + (double)(s % 997) * 0.0123;
        r->altitude_m = 12.345 + (double)i * 0.01;
        r->latitude_deg = 48.1234567;
        r->longitude_deg = -122.7654321;
    }
    act_read_file(write_walk("any1.fit", 500, 0, BSTEP_DIRECTION_FORWARD), BSTEP_FORMAT_FIT, 100,
                  &a);
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 500);
    BSTEP_ASSERT_EQ(a.info.direction, BSTEP_DIRECTION_FORWARD);
    BSTEP_ASSERT_EQ(a.info.laps, 1);
    for (i = 0; i < 500; i++) {
        /* quantisation of the profile */
        BSTEP_ASSERT_NEAR(a.rec[i].heart_rate_bpm, walk[i].heart_rate_bpm, 0.5);
        BSTEP_ASSERT_NEAR(a.rec[i].cadence_spm, walk[i].cadence_spm, 1.0 / 128.0 + 1e-9);
        BSTEP_ASSERT_NEAR(a.rec[i].speed_mps, walk[i].speed_mps, 0.0005 + 1e-12);
        BSTEP_ASSERT_NEAR(a.rec[i].distance_m, walk[i].distance_m, 0.005 + 1e-9);
        BSTEP_ASSERT_NEAR(a.rec[i].incline_pct, walk[i].incline_pct, 0.005 + 1e-9);
        BSTEP_ASSERT_NEAR(a.rec[i].altitude_m, walk[i].altitude_m, 0.1 + 1e-9);
        BSTEP_ASSERT_NEAR(a.rec[i].latitude_deg, walk[i].latitude_deg, 1e-7);
        BSTEP_ASSERT_EQ(a.rec[i].t_us, T0_US + (bstep_time_us)i * 1000000);
        walk[i] = a.rec[i];
    }
    act_read_file(write_walk("any2.fit", 500, 0, BSTEP_DIRECTION_FORWARD), BSTEP_FORMAT_FIT, 1, &b);
    BSTEP_ASSERT_EQ(b.n, 500);
    for (i = 0; i < 500; i++)
        BSTEP_ASSERT(same_record(&a.rec[i], &b.rec[i]));
}

BSTEP_TEST(every_truncation_and_every_byte_flip_is_an_error)
{
    size_t len, i, bit_errors = 0;
    unsigned char *data;
    act_make_walk(walk, 40, T0_US, 0);
    data = act_slurp(write_walk("short.fit", 40, 2, BSTEP_DIRECTION_UNKNOWN), &len);
    BSTEP_ASSERT(data != NULL);
    for (i = 0; i < len; i++) {
        act_read_mem(data, i, BSTEP_FORMAT_FIT, 7, &a);
        if (a.read_rc == BSTEP_OK)
            BSTEP__FAIL("a file cut to %zu of %zu bytes was accepted", i, len);
        BSTEP_ASSERT(a.err[0] != '\0');
    }
    for (i = 0; i < len; i++) {
        data[i] ^= 0x10;
        act_read_mem(data, len, BSTEP_FORMAT_FIT, 64, &a);
        data[i] ^= 0x10;
        if (a.read_rc == BSTEP_OK)
            BSTEP__FAIL("a flipped bit at byte %zu of %zu was accepted", i, len);
        bit_errors += strstr(a.err, "CRC") != NULL;
    }
    BSTEP_ASSERT_GE(bit_errors, len / 2); /* most corruptions are found by the CRCs */
    free(data);
}

BSTEP_TEST(split_reads_give_the_same_records)
{
    size_t i;
    act_make_walk(walk, 300, T0_US, 1);
    write_walk("split.fit", 300, 2, BSTEP_DIRECTION_BACKWARD);
    act_read_file(io_path("split.fit"), BSTEP_FORMAT_AUTO, 1, &a);
    act_read_file(io_path("split.fit"), BSTEP_FORMAT_AUTO, 4096, &b);
    BSTEP_ASSERT_EQ(a.n, b.n);
    for (i = 0; i < a.n; i++)
        BSTEP_ASSERT(same_record(&a.rec[i], &b.rec[i]));
    BSTEP_ASSERT(memcmp(&a.q, &b.q, sizeof a.q) == 0);
}

static const char *seed(const char *name)
{
    static char p[2048];
    const char *src = getenv("BSTEP_SOURCE_DIR");
    snprintf(p, sizeof p, "%s/tests/corpus/fuzz/fuzz_fit/%s", src ? src : ".", name);
    return p;
}

BSTEP_TEST(hand_made_files)
{
    const bstep_time_us t0 = (1000000000LL + 631065600LL) * 1000000LL;
    act_read_file(seed("records.fit"), BSTEP_FORMAT_AUTO, 4096, &a);
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 10);
    BSTEP_ASSERT_EQ(a.rec[3].t_us, t0 + 3000000);
    BSTEP_ASSERT_NEAR(a.rec[3].heart_rate_bpm, 103, 0);
    BSTEP_ASSERT_NEAR(a.rec[3].cadence_spm, 110, 0); /* 55 strides/min */
    BSTEP_ASSERT_NEAR(a.rec[3].distance_m, 3.6, 1e-12);
    BSTEP_ASSERT_NEAR(a.rec[3].speed_mps, 1.2, 1e-12);
    BSTEP_ASSERT(isnan(a.rec[3].incline_pct));
    act_read_file(seed("legacy_header.fit"), BSTEP_FORMAT_AUTO, 4096, &b);
    BSTEP_ASSERT_EQ(b.n, 10);
    act_read_file(seed("big_endian.fit"), BSTEP_FORMAT_AUTO, 4096, &a);
    BSTEP_ASSERT_EQ(a.n, 5);
    BSTEP_ASSERT_NEAR(a.rec[4].distance_m, 4.0, 1e-12);
    BSTEP_ASSERT_NEAR(a.rec[4].heart_rate_bpm, 90, 0);
    act_read_file(seed("compressed.fit"), BSTEP_FORMAT_AUTO, 4096, &a);
    BSTEP_ASSERT_EQ(a.n, 5);
    /* last = 1000000030 (low 5 bits 30); offsets 31, 1 (roll-over), 2, 5 */
    BSTEP_ASSERT_EQ(a.rec[1].t_us - a.rec[0].t_us, 1000000);
    BSTEP_ASSERT_EQ(a.rec[2].t_us - a.rec[0].t_us, 3000000);
    BSTEP_ASSERT_EQ(a.rec[3].t_us - a.rec[0].t_us, 4000000);
    BSTEP_ASSERT_EQ(a.rec[4].t_us - a.rec[0].t_us, 7000000);
    act_read_file(seed("developer.fit"), BSTEP_FORMAT_AUTO, 4096, &a);
    BSTEP_ASSERT_EQ(a.n, 1);
    BSTEP_ASSERT_EQ(a.q.developer_fields, 2);
    BSTEP_ASSERT_EQ(a.q.skipped_messages, 1);
    BSTEP_ASSERT_NEAR(a.rec[0].speed_mps, 1.5, 1e-12);
    act_read_file(seed("chained.fit"), BSTEP_FORMAT_AUTO, 4096, &a);
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 20 - a.q.backward_timestamps);
    BSTEP_ASSERT_EQ(a.q.backward_timestamps, 9); /* the second file goes back in time */
    act_read_file(seed("session.fit"), BSTEP_FORMAT_AUTO, 4096, &a);
    BSTEP_ASSERT_EQ(a.info.sport, BSTEP_SPORT_WALKING);
    BSTEP_ASSERT_EQ(a.info.sub_sport, BSTEP_SUB_SPORT_INDOOR_WALK);
    BSTEP_ASSERT_EQ(a.info.direction, BSTEP_DIRECTION_BACKWARD);
    BSTEP_ASSERT_NEAR(a.info.elapsed_s, 9.0, 1e-12);
    BSTEP_ASSERT_NEAR(a.info.distance_m, 10.8, 1e-12);
    BSTEP_ASSERT_NEAR(a.info.steps, 18, 0);
    BSTEP_ASSERT_NEAR(a.info.energy_kcal, 12, 0);
    BSTEP_ASSERT_EQ(a.info.laps, 1);
    BSTEP_ASSERT_NEAR(a.laps[0].avg_heart_rate_bpm, 104, 0);
}

BSTEP_TEST(writer_rejects_bad_records)
{
    bstep_activity_writer *w = NULL;
    bstep_activity_record r;
    char err[256];
    BSTEP_ASSERT_EQ(bstep_activity_writer_open(&w, "-", BSTEP_EXPORT_FIT, NULL, err, sizeof err),
                    BSTEP_EINVAL);
    BSTEP_ASSERT_STR_CONTAINS(err, "standard output");
    BSTEP_ASSERT_OK(bstep_activity_writer_open(&w, io_path("bad.fit"), BSTEP_EXPORT_FIT, NULL, err,
                                               sizeof err));
    bstep_activity_record_clear(&r);
    r.t_us = T0_US;
    r.heart_rate_bpm = 300;
    BSTEP_ASSERT_EQ(bstep_activity_writer_records(w, &r, 1), BSTEP_ERANGE);
    r.heart_rate_bpm = 100;
    BSTEP_ASSERT_OK(bstep_activity_writer_records(w, &r, 1));
    r.t_us -= 1;
    BSTEP_ASSERT_EQ(bstep_activity_writer_records(w, &r, 1), BSTEP_EINVAL);
    BSTEP_ASSERT_OK(bstep_activity_writer_close(w, NULL, err, sizeof err));
    act_read_file(io_path("bad.fit"), BSTEP_FORMAT_AUTO, 16, &a);
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 1);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(crc_oracle), BSTEP_TEST_ENTRY(written_file_reads_back_identically),
                BSTEP_TEST_ENTRY(read_write_read_is_identical_for_any_values),
                BSTEP_TEST_ENTRY(every_truncation_and_every_byte_flip_is_an_error),
                BSTEP_TEST_ENTRY(split_reads_give_the_same_records),
                BSTEP_TEST_ENTRY(hand_made_files), BSTEP_TEST_ENTRY(writer_rejects_bad_records))
