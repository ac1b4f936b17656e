/* Status table, names and version: the X-macro table must produce matching enum and text. */
#include "backstep/status.h"
#include "backstep/types.h"
#include "backstep/version.h"
#include "harness.h"

BSTEP_TEST(strerror_known_and_unknown)
{
    BSTEP_ASSERT(strcmp(bstep_strerror(BSTEP_OK), "success") == 0);
    BSTEP_ASSERT(strcmp(bstep_strerror(BSTEP_EFORMAT), "malformed input") == 0);
    BSTEP_ASSERT(strcmp(bstep_strerror(12345), "unknown status") == 0);
    BSTEP_ASSERT(strcmp(bstep_status_name(BSTEP_EGAP), "BSTEP_EGAP") == 0);
}

BSTEP_TEST(version_matches_headers)
{
    BSTEP_ASSERT_EQ(bstep_version(), BSTEP_VERSION_HEX);
    BSTEP_ASSERT(strcmp(bstep_version_string(), BSTEP_VERSION_STRING) == 0);
    BSTEP_ASSERT(BSTEP_AT_LEAST_VERSION(0, 1, 0));
    BSTEP_ASSERT(!BSTEP_AT_LEAST_VERSION(99, 0, 0));
}

BSTEP_TEST(names_round_trip)
{
    int i;
    for (i = 0; i <= (int)BSTEP_PLACEMENT_POCKET; i++) {
        bstep_placement p;
        BSTEP_ASSERT_OK(bstep_placement_parse(bstep_placement_name((bstep_placement)i), &p));
        BSTEP_ASSERT_EQ(p, i);
    }
    for (i = 0; i <= (int)BSTEP_AXIS_NEG_Z; i++) {
        bstep_axis a;
        BSTEP_ASSERT_OK(bstep_axis_parse(bstep_axis_name((bstep_axis)i), &a));
        BSTEP_ASSERT_EQ(a, i);
    }
    {
        bstep_direction d = BSTEP_DIRECTION_FORWARD;
        BSTEP_ASSERT_EQ(bstep_direction_parse("sideways", &d), BSTEP_EINVAL);
        BSTEP_ASSERT_EQ(d, BSTEP_DIRECTION_FORWARD);
        BSTEP_ASSERT_EQ(bstep_direction_parse(NULL, &d), BSTEP_EINVAL);
    }
    BSTEP_ASSERT(strcmp(bstep_strike_name((bstep_strike)99), "unknown") == 0);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(strerror_known_and_unknown),
                BSTEP_TEST_ENTRY(version_matches_headers), BSTEP_TEST_ENTRY(names_round_trip))
