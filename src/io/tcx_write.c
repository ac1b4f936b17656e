/*
 * TCX v2 writer (Garmin TrainingCenterDatabase v2 with the ActivityExtension v2 "ns3" namespace;
 * reference/formats.md section 5). Element order follows the schema's sequences:
 *   Activity: Id, Lap+, Notes?            (Sport attribute: Running | Biking | Other)
 *   Lap(@StartTime): TotalTimeSeconds, DistanceMeters, MaximumSpeed?, Calories,
 *     AverageHeartRateBpm?, MaximumHeartRateBpm?, Intensity, TriggerMethod, Track, Extensions?
 *   Trackpoint: Time, Position?, AltitudeMeters?, DistanceMeters?, HeartRateBpm?, Extensions?
 *     with ns3:TPX { ns3:Speed (m/s), ns3:RunCadence (strides/min = steps/min / 2, at most 254) }
 *   Lap extension ns3:LX { ns3:AvgSpeed, ns3:AvgRunCadence }.
 * A lap's totals come before its trackpoints, so the trackpoints of the current lap wait in a
 * temporary file until the lap ends. Walking has no TCX sport: it is written as "Other" (running
 * as "Running"). The direction goes into the Activity's Notes ("backstep: backward walking"),
 * which Garmin Connect and other importers show as the activity's notes or ignore. TCX has no
 * incline or energy per point: those are not written.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/activity_internal.h"

static int io_fail(bstep_activity_writer *w)
{
    snprintf(w->err, sizeof w->err, "%s: write error: %s", w->path, strerror(errno));
    return BSTEP_EIO;
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
            fputc(*s, f);
    }
}

static const char *sport_name(int sport)
{
    if (sport == BSTEP_SPORT_RUNNING)
        return "Running";
    if (sport == BSTEP_SPORT_CYCLING)
        return "Biking";
    return "Other";
}

int bstep__tcx_writer_begin(bstep_activity_writer *w)
{
    char iso[40];
    bstep__iso8601_format(w->info.start_us, iso, sizeof iso);
    fprintf(w->f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<TrainingCenterDatabase "
            "xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" "
            "xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xsi:schemaLocation=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 "
            "http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd\">\n"
            "  <Activities>\n"
            "    <Activity Sport=\"%s\">\n",
            sport_name(w->info.sport));
    /* Id is written at the first lap, when the start time is known for sure */
    w->tcx_points = tmpfile();
    if (w->tcx_points == NULL)
        return io_fail(w);
    return ferror(w->f) ? io_fail(w) : BSTEP_OK;
}

int bstep__tcx_writer_records(bstep_activity_writer *w, const bstep_activity_record *rec, size_t n)
{
    size_t i;
    FILE *f = w->tcx_points;
    for (i = 0; i < n; i++) {
        const bstep_activity_record *r = &rec[i];
        char iso[40];
        bstep__iso8601_format(r->t_us, iso, sizeof iso);
        fprintf(f, "          <Trackpoint>\n            <Time>%s</Time>\n", iso);
        if (isfinite(r->latitude_deg) && isfinite(r->longitude_deg))
            fprintf(f,
                    "            <Position>\n"
                    "              <LatitudeDegrees>%.7f</LatitudeDegrees>\n"
                    "              <LongitudeDegrees>%.7f</LongitudeDegrees>\n"
                    "            </Position>\n",
                    r->latitude_deg, r->longitude_deg);
        if (isfinite(r->altitude_m))
            fprintf(f, "            <AltitudeMeters>%.1f</AltitudeMeters>\n", r->altitude_m);
        if (isfinite(r->distance_m))
            fprintf(f, "            <DistanceMeters>%.2f</DistanceMeters>\n", r->distance_m);
        if (isfinite(r->heart_rate_bpm) && r->heart_rate_bpm >= 0.5)
            fprintf(f,
                    "            <HeartRateBpm>\n              <Value>%.0f</Value>\n"
                    "            </HeartRateBpm>\n",
                    r->heart_rate_bpm);
        if (isfinite(r->speed_mps) || isfinite(r->cadence_spm)) {
            fprintf(f, "            <Extensions>\n              <ns3:TPX>\n");
            if (isfinite(r->speed_mps))
                fprintf(f, "                <ns3:Speed>%.3f</ns3:Speed>\n", r->speed_mps);
            if (isfinite(r->cadence_spm))
                fprintf(f, "                <ns3:RunCadence>%.0f</ns3:RunCadence>\n",
                        fmin(254.0, floor(r->cadence_spm / 2.0 + 0.5)));
            fprintf(f, "              </ns3:TPX>\n            </Extensions>\n");
        }
        fprintf(f, "          </Trackpoint>\n");
    }
    return ferror(f) ? io_fail(w) : BSTEP_OK;
}

int bstep__tcx_writer_lap(bstep_activity_writer *w, const bstep_activity_lap *l)
{
    char iso[40], buf[8192];
    size_t got;
    FILE *f = w->f;
    if (w->laps_written == 0) {
        bstep__iso8601_format(w->info.start_us > 0 ? w->info.start_us : l->start_us, iso,
                              sizeof iso);
        fprintf(f, "      <Id>%s</Id>\n", iso);
    }
    bstep__iso8601_format(l->start_us, iso, sizeof iso);
    fprintf(f, "      <Lap StartTime=\"%s\">\n", iso);
    fprintf(f, "        <TotalTimeSeconds>%.3f</TotalTimeSeconds>\n",
            isfinite(l->timer_s)     ? l->timer_s
            : isfinite(l->elapsed_s) ? l->elapsed_s
                                     : 0.0);
    fprintf(f, "        <DistanceMeters>%.2f</DistanceMeters>\n",
            isfinite(l->distance_m) ? l->distance_m : 0.0);
    if (isfinite(l->max_speed_mps))
        fprintf(f, "        <MaximumSpeed>%.3f</MaximumSpeed>\n", l->max_speed_mps);
    fprintf(f, "        <Calories>%.0f</Calories>\n",
            isfinite(l->energy_kcal) ? floor(l->energy_kcal + 0.5) : 0.0);
    if (isfinite(l->avg_heart_rate_bpm) && l->avg_heart_rate_bpm >= 0.5)
        fprintf(f,
                "        <AverageHeartRateBpm>\n          <Value>%.0f</Value>\n"
                "        </AverageHeartRateBpm>\n",
                l->avg_heart_rate_bpm);
    if (isfinite(l->max_heart_rate_bpm) && l->max_heart_rate_bpm >= 0.5)
        fprintf(f,
                "        <MaximumHeartRateBpm>\n          <Value>%.0f</Value>\n"
                "        </MaximumHeartRateBpm>\n",
                l->max_heart_rate_bpm);
    fprintf(f, "        <Intensity>Active</Intensity>\n"
               "        <TriggerMethod>Manual</TriggerMethod>\n        <Track>\n");
    if (fflush(w->tcx_points) != 0)
        return io_fail(w);
    rewind(w->tcx_points);
    while ((got = fread(buf, 1, sizeof buf, w->tcx_points)) > 0)
        if (fwrite(buf, 1, got, f) != got)
            return io_fail(w);
    if (ferror(w->tcx_points))
        return io_fail(w);
    fclose(w->tcx_points);
    w->tcx_points = tmpfile();
    if (w->tcx_points == NULL)
        return io_fail(w);
    fprintf(f, "        </Track>\n");
    if (isfinite(l->avg_speed_mps) || isfinite(l->avg_cadence_spm)) {
        fprintf(f, "        <Extensions>\n          <ns3:LX>\n");
        if (isfinite(l->avg_speed_mps))
            fprintf(f, "            <ns3:AvgSpeed>%.3f</ns3:AvgSpeed>\n", l->avg_speed_mps);
        if (isfinite(l->avg_cadence_spm))
            fprintf(f, "            <ns3:AvgRunCadence>%.0f</ns3:AvgRunCadence>\n",
                    fmin(254.0, floor(l->avg_cadence_spm / 2.0 + 0.5)));
        fprintf(f, "          </ns3:LX>\n        </Extensions>\n");
    }
    fprintf(f, "      </Lap>\n");
    return ferror(f) ? io_fail(w) : BSTEP_OK;
}

int bstep__tcx_writer_end(bstep_activity_writer *w, const bstep_activity_info *t)
{
    FILE *f = w->f;
    char notes[BSTEP_ACTIVITY_TEXT_MAX + 64];
    if (w->laps_written == 0) {
        char iso[40];
        bstep__iso8601_format(t->start_us, iso, sizeof iso);
        fprintf(f, "      <Id>%s</Id>\n", iso);
    }
    notes[0] = '\0';
    if (t->notes[0])
        snprintf(notes, sizeof notes, "%s", t->notes);
    else if (t->direction == BSTEP_DIRECTION_BACKWARD)
        snprintf(notes, sizeof notes, "backstep: backward walking");
    else if (t->direction == BSTEP_DIRECTION_FORWARD)
        snprintf(notes, sizeof notes, "backstep: forward walking");
    if (notes[0]) {
        fprintf(f, "      <Notes>");
        xml_text(f, notes);
        fprintf(f, "</Notes>\n");
    }
    fprintf(f, "    </Activity>\n  </Activities>\n</TrainingCenterDatabase>\n");
    return ferror(f) ? io_fail(w) : BSTEP_OK;
}
