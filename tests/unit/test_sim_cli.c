/*
 * `backstep simulate` end to end (the command's entry point is linked in): a recording with its
 * truth next to it, byte-identical output for the same seed, usage errors, and a scenario set
 * (the folder `backstep validate` scores in the test suite). Files go to $BSTEP_TEST_TMP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_simulate.h"
#include "harness.h"
#include "io/truth.h"

static void tmp_path(char *buf, size_t n, const char *name)
{
    const char *d = getenv("BSTEP_TEST_TMP");
    snprintf(buf, n, "%s/%s", d ? d : ".", name);
}

static int run(int argc, const char **argv)
{
    return bstep_cmd_simulate(argc, (char **)argv);
}

static long file_size_and_hash(const char *path, unsigned long long *hash)
{
    FILE *f = fopen(path, "rb");
    long n = 0;
    int c;
    unsigned long long h = 1469598103934665603ull;
    if (f == NULL)
        return -1;
    while ((c = fgetc(f)) != EOF) {
        h = (h ^ (unsigned char)c) * 1099511628211ull;
        n++;
    }
    fclose(f);
    *hash = h;
    return n;
}

BSTEP_TEST(recording_and_truth_deterministic)
{
    char a[1024], b[1024], ta[1100];
    unsigned long long ha, hb;
    bstep__truth t;
    char err[256];
    tmp_path(a, sizeof(a), "cli_sim_a.csv");
    tmp_path(b, sizeof(b), "cli_sim_b.csv");
    {
        const char *args[] = {"simulate", "--direction", "backward",   "--strike", "toe",
                              "--speed",  "0.6",         "--duration", "20",       "--seed",
                              "5",        "--noise",     "imu",        "--out",    a};
        BSTEP_ASSERT_EQ(run(15, args), BSTEP_EXIT_OK);
    }
    {
        const char *args[] = {"simulate",
                              "--direction=backward",
                              "--strike=toe",
                              "--speed=0.6",
                              "--duration=20",
                              "--seed=5",
                              "--noise=imu",
                              "--out",
                              b};
        BSTEP_ASSERT_EQ(run(9, args), BSTEP_EXIT_OK);
    }
    BSTEP_ASSERT(file_size_and_hash(a, &ha) > 1000);
    BSTEP_ASSERT(file_size_and_hash(b, &hb) > 1000);
    BSTEP_ASSERT(ha == hb);
    tmp_path(ta, sizeof(ta), "cli_sim_a.truth.json");
    BSTEP_ASSERT_OK(bstep__truth_load(ta, &t, err, sizeof(err)));
    BSTEP_ASSERT_GE(t.n_ic, 10);
    BSTEP_ASSERT(strcmp(t.placement, "foot-right") == 0);
    BSTEP_ASSERT(strcmp(t.stride_direction[t.n_strides / 2], "backward") == 0);
    BSTEP_ASSERT(strcmp(t.stride_strike[t.n_strides / 2], "toe") == 0);
    bstep__truth_free(&t);
}

BSTEP_TEST(usage_errors)
{
    const char *a1[] = {"simulate", "--speed", "fast"};
    const char *a2[] = {"simulate", "--toe-axis", "+x", "--up-axis", "-x"};
    const char *a3[] = {"simulate", "--scenario-text", "stand 2s;hop 3s"};
    const char *a4[] = {"simulate", "--bogus", "1"};
    const char *a5[] = {"simulate", "--help"};
    BSTEP_ASSERT_EQ(run(3, a1), BSTEP_EXIT_USAGE);
    BSTEP_ASSERT_EQ(run(5, a2), BSTEP_EXIT_USAGE);
    BSTEP_ASSERT_EQ(run(3, a3), BSTEP_EXIT_USAGE);
    BSTEP_ASSERT_EQ(run(3, a4), BSTEP_EXIT_USAGE);
    BSTEP_ASSERT_EQ(run(2, a5), BSTEP_EXIT_OK);
}

BSTEP_TEST(scenario_set_has_truth_for_every_recording)
{
    char dir[1024], p[1200];
    static const char *const names[] = {"s01_foot_fw_bw_toe", "s06_lowerback_fw_bw",
                                        "s08_pocket_fw_bw", "s10_foot_stumble_fall"};
    size_t i;
    tmp_path(dir, sizeof(dir), "sim_set");
    {
        const char *args[] = {"simulate", "--scenario-set", dir, "--seed", "1"};
        BSTEP_ASSERT_EQ(run(5, args), BSTEP_EXIT_OK);
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        bstep__truth t;
        char err[256];
        unsigned long long h;
        snprintf(p, sizeof(p), "%s/%s.truth.json", dir, names[i]);
        BSTEP_ASSERT_OK(bstep__truth_load(p, &t, err, sizeof(err)));
        BSTEP_ASSERT_GE(t.n_ic, 20);
        BSTEP_ASSERT_GE(t.n_segments, 4);
        bstep__truth_free(&t);
        snprintf(p, sizeof(p), "%s/%s.csv", dir, names[i]);
        BSTEP_ASSERT(file_size_and_hash(p, &h) > 10000);
    }
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(recording_and_truth_deterministic), BSTEP_TEST_ENTRY(usage_errors),
                BSTEP_TEST_ENTRY(scenario_set_has_truth_for_every_recording))
