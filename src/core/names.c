/*
 * Names of the public enums, in one table each so printing and parsing agree. These strings are
 * part of the JSON and CLI contract (DESIGN.md section 6): never change an existing one.
 */
#include <string.h>

#include "backstep/status.h"
#include "backstep/types.h"

static const char *const placement_names[] = {"auto",       "foot-left", "foot-right",
                                              "lower-back", "pocket",    "foot"};
static const char *const axis_names[] = {"auto", "+x", "-x", "+y", "-y", "+z", "-z"};
static const char *const direction_names[] = {
    "unknown", "forward", "backward", "sideways-left", "sideways-right", "in-place", "turn"};
static const char *const strike_names[] = {"unknown", "toe", "flat", "heel"};
static const char *const foot_names[] = {"unknown", "left", "right"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *table, size_t n, int v)
{
    return (v >= 0 && (size_t)v < n) ? table[v] : table[0];
}

static int index_of(const char *const *table, size_t n, const char *text)
{
    size_t i;
    if (text == NULL)
        return -1;
    for (i = 0; i < n; i++)
        if (strcmp(table[i], text) == 0)
            return (int)i;
    return -1;
}

const char *bstep_placement_name(bstep_placement p)
{
    return name_of(placement_names, COUNT(placement_names), (int)p);
}
const char *bstep_axis_name(bstep_axis a)
{
    return name_of(axis_names, COUNT(axis_names), (int)a);
}
const char *bstep_direction_name(bstep_direction d)
{
    return name_of(direction_names, COUNT(direction_names), (int)d);
}
const char *bstep_strike_name(bstep_strike s)
{
    return name_of(strike_names, COUNT(strike_names), (int)s);
}
const char *bstep_foot_name(bstep_foot f)
{
    return name_of(foot_names, COUNT(foot_names), (int)f);
}

int bstep_placement_parse(const char *text, bstep_placement *out)
{
    int i = index_of(placement_names, COUNT(placement_names), text);
    if (i < 0)
        return BSTEP_EINVAL;
    *out = (bstep_placement)i;
    return 0;
}

int bstep_axis_parse(const char *text, bstep_axis *out)
{
    int i = index_of(axis_names, COUNT(axis_names), text);
    if (i < 0)
        return BSTEP_EINVAL;
    *out = (bstep_axis)i;
    return 0;
}

int bstep_direction_parse(const char *text, bstep_direction *out)
{
    int i = index_of(direction_names, COUNT(direction_names), text);
    if (i < 0)
        return BSTEP_EINVAL;
    *out = (bstep_direction)i;
    return 0;
}

int bstep_strike_parse(const char *text, bstep_strike *out)
{
    int i = index_of(strike_names, COUNT(strike_names), text);
    if (i < 0)
        return BSTEP_EINVAL;
    *out = (bstep_strike)i;
    return 0;
}
