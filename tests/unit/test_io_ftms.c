/*
 * FTMS treadmill log reader: the Treadmill Data oracle of reference/formats.md section 6, every
 * flag's field size, inclination sign and "not available", More Data merging, Heart Rate
 * Measurement oracles, the log syntax (full UUIDs, separators, comments) and bad lines with their
 * line, column and field.
 */
#include "harness.h"
#include "test_activity_util.h"

static act_result a, b;

static void read_text(const char *text)
{
    act_read_mem(text, strlen(text), BSTEP_FORMAT_AUTO, 64, &a);
}

BSTEP_TEST(treadmill_data_oracle)
{
    read_text("# backstep ftms log 1\n"
              "1700000000.250 2acd 84 04 F4 01 10 27 00 2A 00 FF FF FF 3C 00\n");
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 1);
    BSTEP_ASSERT_EQ(a.rec[0].t_us, 1700000000250000LL);
    BSTEP_ASSERT_NEAR(a.rec[0].speed_mps, 5.0 / 3.6, 1e-12);
    BSTEP_ASSERT_NEAR(a.rec[0].distance_m, 10000, 0);
    BSTEP_ASSERT_NEAR(a.rec[0].energy_kcal, 42, 0);
    BSTEP_ASSERT(isnan(a.rec[0].heart_rate_bpm));
    BSTEP_ASSERT(isnan(a.rec[0].incline_pct));
}

BSTEP_TEST(every_field)
{
    /* flags 0x1FFE: More Data clear (speed present) and bits 1-12 */
    read_text("# backstep ftms log 1\n"
              "1700000001 2ACD fe1f 6400 5a00 102700 e2ff 0000 0a00 0000 05 06 0f00 ffff ff 5f 32 "
              "3c00 0000 0000 0000 aabb\n");
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_NEAR(a.rec[0].speed_mps, 1.0 / 3.6, 1e-12);
    BSTEP_ASSERT_NEAR(a.rec[0].distance_m, 10000, 0);
    BSTEP_ASSERT_NEAR(a.rec[0].incline_pct, -3.0, 1e-12);
    BSTEP_ASSERT_NEAR(a.rec[0].energy_kcal, 15, 0);
    BSTEP_ASSERT_NEAR(a.rec[0].heart_rate_bpm, 95, 0);
    /* inclination not available, total energy not available */
    read_text("# backstep ftms log 1\n1700000001 2acd 8800 0000 ff7f 0000 ffff ffff ff\n");
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT(isnan(a.rec[0].incline_pct));
    BSTEP_ASSERT(isnan(a.rec[0].energy_kcal));
    BSTEP_ASSERT_EQ(a.q.invalid_values, 2);
}

BSTEP_TEST(more_data_is_merged)
{
    read_text("# backstep ftms log 1\n"
              "1700000000.0 2acd 0d00 e80300 3200 0000\n" /* More Data: distance, incline */
              "1700000000.1 2acd 0000 2c01\n"             /* speed 3 km/h */
              "1700000005.0 2acd 0500 100000\n"           /* More Data, nothing follows soon */
              "1700000007.0 2acd 0000 9001\n");
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 3);
    BSTEP_ASSERT_EQ(a.rec[0].t_us, 1700000000100000LL);
    BSTEP_ASSERT_NEAR(a.rec[0].distance_m, 1000, 0);
    BSTEP_ASSERT_NEAR(a.rec[0].incline_pct, 5.0, 1e-12);
    BSTEP_ASSERT_NEAR(a.rec[0].speed_mps, 3.0 / 3.6, 1e-12);
    BSTEP_ASSERT_EQ(a.rec[1].t_us, 1700000005000000LL);
    BSTEP_ASSERT(isnan(a.rec[1].speed_mps));
    BSTEP_ASSERT_NEAR(a.rec[1].distance_m, 16, 0);
    BSTEP_ASSERT_NEAR(a.rec[2].speed_mps, 4.0 / 3.6, 1e-12);
    /* the same one line at a time */
    {
        const char *t = "# backstep ftms log 1\n1700000000.0 2acd 0500 100000\n";
        act_read_mem(t, strlen(t), BSTEP_FORMAT_FTMS, 1, &b);
    }
    BSTEP_ASSERT_EQ(b.n, 1); /* a held part at the end is delivered */
}

BSTEP_TEST(heart_rate_measurement)
{
    read_text("# backstep ftms log 1\n"
              "# heart rate strap\n\n"
              "1700000000.5 00002a37-0000-1000-8000-00805f9b34fb 00:96\n"
              "1700000001.5 0x2A37 10480004\n"
              "1700000002.5 2a37 01 8c 00\n"
              "1700000003.5 2a37 08 00 10 00\n"
              "1700000004.0 2ad3 0201\n");
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_EQ(a.n, 4);
    BSTEP_ASSERT_NEAR(a.rec[0].heart_rate_bpm, 150, 0);
    BSTEP_ASSERT_NEAR(a.rec[1].heart_rate_bpm, 72, 0);
    BSTEP_ASSERT_NEAR(a.rec[2].heart_rate_bpm, 140, 0);
    BSTEP_ASSERT(isnan(a.rec[3].heart_rate_bpm)); /* 0 = no reading */
    BSTEP_ASSERT(isnan(a.rec[0].speed_mps));
    BSTEP_ASSERT_EQ(a.q.skipped_messages, 1);
    BSTEP_ASSERT_EQ(a.q.messages, 5);
}

static void expect(const char *text, const char *msg)
{
    act_read_mem(text, strlen(text), BSTEP_FORMAT_FTMS, 64, &a);
    if (a.read_rc == BSTEP_OK || strstr(a.err, msg) == NULL)
        BSTEP__FAIL("rc %d, message '%s', expected '%s'", a.read_rc, a.err, msg);
}

BSTEP_TEST(bad_lines)
{
    expect("# backstep ftms log 1\n1700000000 2acd 0400 1027\n",
           "mem:2:3: field 'Total Distance': the notification has 4 bytes, its flags 0x0004 need "
           "at least 7");
    expect("1700000000 2acd 04\n", "mem:1:3: field 'Flags': Treadmill Data needs at least 2 bytes");
    expect("1700000000 2acd 0000 zz\n", "mem:1:3: field 'value': not hex bytes: 'zz'");
    expect("1700000000 2acd 000\n", "mem:1:3: field 'value': not hex bytes: '000'");
    expect("yesterday 2acd 0000\n",
           "mem:1:1: field 'time': not a Unix time in seconds: 'yesterday'");
    expect("1700000000 heart 0096\n", "mem:1:2: field 'characteristic': not a Bluetooth UUID");
    expect("1700000000\n", "mem:1: expected 'TIME CHARACTERISTIC HEX-BYTES'");
    expect("1700000000 2acd 0000 ffff\n",
           "mem:1:3: field 'Instantaneous Speed': value 182.042 m/s is out of range");
    /* 1000 x 0.1 % = 100 %: the limit itself is accepted */
    act_read_mem("1700000000 2acd 0800 0000 e803 0000\n", 36, BSTEP_FORMAT_FTMS, 4, &a);
    BSTEP_ASSERT_EQ(a.read_rc, BSTEP_OK);
    BSTEP_ASSERT_NEAR(a.rec[0].incline_pct, 100.0, 1e-9);
}

BSTEP_TEST(bad_values)
{
    expect("1700000000 2acd 0800 0000 e903 0000\n",
           "mem:1:3: field 'Inclination': value 100.1 % is out of range (-100 .. 100 %)");
    expect("1700000000 2acd 0001 0000 fb\n",
           "mem:1:3: field 'Heart Rate': value 251 bpm is out of range");
    expect("1700000000 2a37 00fb\n", "field 'Heart Rate Measurement Value': value 251 bpm");
    expect("1700000000 2a37 01 96\n",
           "field 'Heart Rate Measurement Value': the notification has 2 "
           "bytes, its flags 0x0001 need at least 3");
    expect("1700000000 2a37 10 48 00\n", "field 'RR-Interval': 1 bytes left");
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(treadmill_data_oracle), BSTEP_TEST_ENTRY(every_field),
                BSTEP_TEST_ENTRY(more_data_is_merged), BSTEP_TEST_ENTRY(heart_rate_measurement),
                BSTEP_TEST_ENTRY(bad_lines), BSTEP_TEST_ENTRY(bad_values))
