/*
 * backstep energy: "what does this cost?" for forward or backward walking or running at a given
 * speed and grade, and from heart rate when given (docs/energy.md). A thin client of the energy
 * model in include/backstep/energy.h: every number printed comes from there.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backstep/energy.h"
#include "backstep/status.h"
#include "cli.h"
#include "cmd_energy.h"
#include "internal/jsonw.h"

#define SCHEMA_ID         "backstep.energy/1"
#define DEFAULT_MASS_KG   70.0
#define MPS_PER_MPH       0.44704
#define KMH_PER_MPS       3.6
#define DNAN              ((double)NAN)
#define OLDER_ADULT_AGE_Y 60.0

typedef struct {
    double speed_mps; /* NAN: not given */
    double grade_pct;
    bstep_direction direction;
    bstep_gait gait;
    double mass_kg;
    int mass_assumed;
    double minutes; /* NAN: not given */
    double hr_bpm;  /* NAN: not given */
    double age_y;   /* NAN: not given */
    bstep_sex sex;
    double vo2max_ml_kg_min; /* NAN: not given */
    int older_adult;
    int compendium_year;
    int json;
} energy_opts;

typedef struct {
    int have_cost;
    bstep_energy_cost cost;
    double kcal_per_min, kcal_per_min_net, kcal_per_min_low, kcal_per_min_high;
    double energy_kcal, energy_net_kcal, energy_low_kcal, energy_high_kcal;
    double speed_valid_mps[2], grade_valid_pct[2];
    const bstep_compendium_entry *compendium;
    int have_hr;
    double kcal_per_min_hr, energy_kcal_hr;
    unsigned hr_flags;
} energy_result;

static void help(void)
{
    printf(
        "Usage: backstep energy [OPTIONS]\n\n"
        "What an activity costs: oxygen uptake (VO2), METs and kcal for forward or backward\n"
        "walking or running at a speed and grade (treadmill settings or measured), and from\n"
        "heart rate when given (Keytel et al. 2005, reported separately). Backward walking uses\n"
        "backstep's own model, fitted to the 2024 Compendium of Physical Activities\n"
        "(docs/energy.md). Estimates for an average adult, not a medical assessment.\n\n"
        "Options:\n"
        "  --speed MPS          speed in m/s, 0..10 (or --speed-kmh KMH, --speed-mph MPH)\n"
        "  --grade PCT          treadmill incline or slope in %%, -20..40 (default 0; downhill is\n"
        "                       treated as level)\n"
        "  --direction D        backward | forward (default backward)\n"
        "  --gait G             walk | run | auto (default auto: running above 1.63 m/s\n"
        "                       backward, 2.0 m/s forward)\n"
        "  --mass KG            body mass, 20..300 kg (default 70, and the output says so)\n"
        "  --minutes M          duration for the total, 0..10080 min\n"
        "  --hr BPM             mean heart rate, 30..230 bpm; needs --age and --sex\n"
        "  --age Y              age in years, 5..110\n"
        "  --sex F|M            sex, for the heart-rate equations\n"
        "  --vo2max ML_KG_MIN   VO2max, 10..90 mL/kg/min, for the heart-rate equations\n"
        "  --older-adult        also show METs of the 2024 Older Adult Compendium\n"
        "                       (2.7 mL/kg/min per MET; automatic from --age 60)\n"
        "  --compendium-year Y  2024 (default) or 2011: edition for the Compendium comparison\n"
        "  --format F           text (default) | json (schema " SCHEMA_ID ", docs/energy.md)\n"
        "  --help               this text\n\n"
        "Examples:\n"
        "  backstep energy --speed 1.0 --mass 70 --minutes 30\n"
        "  backstep energy --speed-mph 2.5 --grade 10 --minutes 15 --format json\n"
        "  backstep energy --speed 1.0 --minutes 30 --hr 120 --age 35 --sex F --mass 62\n\n"
        "Exit status: 0 success, 2 usage error.\n");
}

static int parse_options(int argc, char **argv, energy_opts *o)
{
    const char *cmd = "energy";
    bstep__opts p;
    int speeds = 0;
    memset(o, 0, sizeof(*o));
    o->speed_mps = DNAN;
    o->grade_pct = 0.0;
    o->direction = BSTEP_DIRECTION_BACKWARD;
    o->gait = BSTEP_GAIT_AUTO;
    o->mass_kg = DEFAULT_MASS_KG;
    o->mass_assumed = 1;
    o->minutes = DNAN;
    o->hr_bpm = DNAN;
    o->age_y = DNAN;
    o->sex = BSTEP_SEX_UNKNOWN;
    o->vo2max_ml_kg_min = DNAN;
    o->compendium_year = 2024;
    bstep__opts_init(&p, argc, argv);
    while (bstep__opts_next(&p)) {
        const char *v;
        double d;
        if (p.arg != NULL)
            return bstep__usage_error(cmd, "unexpected argument '%s'", p.arg);
        if (strcmp(p.name, "help") == 0) {
            help();
            return -1;
        } else if (strcmp(p.name, "older-adult") == 0) {
            o->older_adult = 1;
            continue;
        }
        v = bstep__opts_value(&p, cmd);
        if (v == NULL)
            return BSTEP_EXIT_USAGE;
        if (strcmp(p.name, "speed") == 0) {
            if (bstep__parse_double(cmd, p.name, v, 0.0, 10.0, &o->speed_mps) != 0)
                return BSTEP_EXIT_USAGE;
            speeds++;
        } else if (strcmp(p.name, "speed-kmh") == 0) {
            if (bstep__parse_double(cmd, p.name, v, 0.0, 36.0, &d) != 0)
                return BSTEP_EXIT_USAGE;
            o->speed_mps = d / KMH_PER_MPS;
            speeds++;
        } else if (strcmp(p.name, "speed-mph") == 0) {
            if (bstep__parse_double(cmd, p.name, v, 0.0, 22.0, &d) != 0)
                return BSTEP_EXIT_USAGE;
            o->speed_mps = d * MPS_PER_MPH;
            speeds++;
        } else if (strcmp(p.name, "grade") == 0) {
            if (bstep__parse_double(cmd, p.name, v, -20.0, 40.0, &o->grade_pct) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(p.name, "direction") == 0) {
            if (strcmp(v, "backward") == 0)
                o->direction = BSTEP_DIRECTION_BACKWARD;
            else if (strcmp(v, "forward") == 0)
                o->direction = BSTEP_DIRECTION_FORWARD;
            else
                return bstep__usage_error(cmd,
                                          "--direction: expected backward or forward, not "
                                          "'%s'",
                                          v);
        } else if (strcmp(p.name, "gait") == 0) {
            if (bstep_gait_parse(v, &o->gait) != BSTEP_OK)
                return bstep__usage_error(cmd, "--gait: expected walk, run or auto, not '%s'", v);
        } else if (strcmp(p.name, "mass") == 0) {
            if (bstep__parse_double(cmd, p.name, v, 20.0, 300.0, &o->mass_kg) != 0)
                return BSTEP_EXIT_USAGE;
            o->mass_assumed = 0;
        } else if (strcmp(p.name, "minutes") == 0) {
            if (bstep__parse_double(cmd, p.name, v, 0.0, 10080.0, &o->minutes) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(p.name, "hr") == 0) {
            if (bstep__parse_double(cmd, p.name, v, 30.0, 230.0, &o->hr_bpm) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(p.name, "age") == 0) {
            if (bstep__parse_double(cmd, p.name, v, 5.0, 110.0, &o->age_y) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(p.name, "sex") == 0) {
            if (bstep_sex_parse(v, &o->sex) != BSTEP_OK)
                return bstep__usage_error(cmd, "--sex: expected F or M, not '%s'", v);
        } else if (strcmp(p.name, "vo2max") == 0) {
            if (bstep__parse_double(cmd, p.name, v, 10.0, 90.0, &o->vo2max_ml_kg_min) != 0)
                return BSTEP_EXIT_USAGE;
        } else if (strcmp(p.name, "compendium-year") == 0) {
            if (strcmp(v, "2011") == 0)
                o->compendium_year = 2011;
            else if (strcmp(v, "2024") == 0)
                o->compendium_year = 2024;
            else
                return bstep__usage_error(cmd, "--compendium-year: expected 2011 or 2024");
        } else if (strcmp(p.name, "format") == 0) {
            if (strcmp(v, "json") == 0)
                o->json = 1;
            else if (strcmp(v, "text") == 0)
                o->json = 0;
            else
                return bstep__usage_error(cmd, "--format: expected text or json, not '%s'", v);
        } else {
            return bstep__usage_error(cmd, "unknown option --%s", p.name);
        }
    }
    if (speeds > 1)
        return bstep__usage_error(cmd, "give one of --speed, --speed-kmh, --speed-mph");
    if (isnan(o->speed_mps) && isnan(o->hr_bpm))
        return bstep__usage_error(cmd, "give --speed (m/s) and/or --hr (bpm)");
    if (!isnan(o->hr_bpm) && (isnan(o->age_y) || o->sex == BSTEP_SEX_UNKNOWN))
        return bstep__usage_error(cmd, "--hr needs --age and --sex (Keytel et al. 2005)");
    if (!isnan(o->vo2max_ml_kg_min) && isnan(o->hr_bpm))
        return bstep__usage_error(cmd, "--vo2max is used only with --hr");
    if (!isnan(o->age_y) && o->age_y >= OLDER_ADULT_AGE_Y)
        o->older_adult = 1;
    return 0;
}

static int compute(const energy_opts *o, energy_result *r)
{
    memset(r, 0, sizeof(*r));
    r->energy_kcal = r->energy_net_kcal = r->energy_low_kcal = r->energy_high_kcal = DNAN;
    r->kcal_per_min = r->kcal_per_min_net = r->kcal_per_min_low = r->kcal_per_min_high = DNAN;
    r->kcal_per_min_hr = r->energy_kcal_hr = DNAN;
    if (!isnan(o->speed_mps)) {
        bstep_energy_activity a;
        const bstep_energy_cost *c = &r->cost;
        int rc;
        a.speed_mps = o->speed_mps;
        a.grade_pct = o->grade_pct;
        a.direction = o->direction;
        a.gait = o->gait;
        rc = bstep_energy_estimate(&a, &r->cost);
        if (rc != BSTEP_OK)
            return rc;
        r->have_cost = 1;
        r->kcal_per_min = bstep_energy_kcal_per_min(c->vo2_ml_kg_min, o->mass_kg);
        r->kcal_per_min_net = bstep_energy_kcal_per_min(c->vo2_net_ml_kg_min, o->mass_kg);
        if (!isnan(c->uncertainty_pct)) {
            r->kcal_per_min_low = bstep_energy_kcal_per_min(c->vo2_low_ml_kg_min, o->mass_kg);
            r->kcal_per_min_high = bstep_energy_kcal_per_min(c->vo2_high_ml_kg_min, o->mass_kg);
        }
        if (!isnan(o->minutes)) {
            r->energy_kcal = r->kcal_per_min * o->minutes;
            r->energy_net_kcal = r->kcal_per_min_net * o->minutes;
            r->energy_low_kcal = r->kcal_per_min_low * o->minutes;
            r->energy_high_kcal = r->kcal_per_min_high * o->minutes;
        }
        bstep_energy_model_validity(c->model, r->speed_valid_mps, r->grade_valid_pct);
        if (bstep_compendium_match(&a, o->compendium_year, &r->compendium) != BSTEP_OK)
            r->compendium = NULL;
    }
    if (!isnan(o->hr_bpm)) {
        int rc = bstep_energy_keytel_kcal_per_min(o->hr_bpm, o->mass_kg, o->age_y, o->sex,
                                                  o->vo2max_ml_kg_min, &r->kcal_per_min_hr,
                                                  &r->hr_flags);
        if (rc != BSTEP_OK)
            return rc;
        if (o->direction == BSTEP_DIRECTION_BACKWARD)
            r->hr_flags |= BSTEP_ENERGY_HR_BACKWARD;
        r->have_hr = 1;
        if (!isnan(o->minutes))
            r->energy_kcal_hr = r->kcal_per_min_hr * o->minutes;
    }
    return BSTEP_OK;
}

/* Plain-language notes for the flags; `out` receives up to `cap` strings. */
static size_t notes(const energy_opts *o, const energy_result *r, const char **out, size_t cap)
{
    size_t n = 0;
    unsigned f = (r->have_cost ? r->cost.flags : 0u) | (r->have_hr ? r->hr_flags : 0u);
#define NOTE(text)                                                                                 \
    do {                                                                                           \
        if (n < cap)                                                                               \
            out[n++] = (text);                                                                     \
    } while (0)
    if (o->mass_assumed)
        NOTE("No --mass given: 70 kg assumed for the kcal.");
    if (f & BSTEP_ENERGY_EXTRAPOLATED)
        NOTE("The speed or grade is outside the range the equation was derived for: the value is "
             "extrapolated and less certain.");
    if (f & BSTEP_ENERGY_GRADE_CLAMPED)
        NOTE("Downhill is treated as level: none of these equations is valid downhill, so the "
             "cost may be over-estimated.");
    if ((f & BSTEP_ENERGY_GAIT_ASSUMED) && o->direction == BSTEP_DIRECTION_BACKWARD)
        NOTE("Walking or running was chosen from the speed (running above 1.63 m/s backward); "
             "use --gait to set it.");
    else if (f & BSTEP_ENERGY_GAIT_ASSUMED)
        NOTE("Walking or running was chosen from the speed (running above 2.0 m/s forward); "
             "use --gait to set it.");
    if (r->have_cost && r->cost.direction == BSTEP_DIRECTION_BACKWARD)
        NOTE("The backward figures describe beginners; with practice backward walking costs "
             "less (learning effect), and holding the treadmill rails lowers it too.");
    if (f & BSTEP_ENERGY_HR_BACKWARD)
        NOTE("The heart-rate equations come from forward exercise; backward walking raises heart "
             "rate more than oxygen uptake in beginners, so the heart-rate figure is likely too "
             "high.");
    if (f & BSTEP_ENERGY_HR_EXTRAPOLATED)
        NOTE("The heart-rate equations were derived on adults aged 18-45, 47-120 kg, VO2max "
             "27-81 mL/kg/min; outside that they are extrapolated.");
    if (f & BSTEP_ENERGY_HR_LOW)
        NOTE("Below 90 bpm the heart-rate equations are not meaningful.");
    if (f & BSTEP_ENERGY_HR_CLAMPED)
        NOTE("The heart-rate equation gave a negative value; shown as 0.");
#undef NOTE
    return n;
}

static const char *direction_word(bstep_direction d)
{
    return d == BSTEP_DIRECTION_BACKWARD ? "backward" : "forward";
}

static const char *gait_word(bstep_gait g)
{
    return g == BSTEP_GAIT_RUN ? "running" : "walking";
}

static void print_text(const energy_opts *o, const energy_result *r)
{
    const char *nt[16];
    size_t nn = notes(o, r, nt, sizeof(nt) / sizeof(nt[0])), i;
    const bstep_energy_cost *c = &r->cost;
    if (r->have_cost) {
        printf("%s %s at %.2f m/s (%.1f km/h, %.1f mph), ",
               c->direction == BSTEP_DIRECTION_BACKWARD ? "Backward" : "Forward",
               gait_word(c->gait), o->speed_mps, o->speed_mps * KMH_PER_MPS,
               o->speed_mps / MPS_PER_MPH);
        if (c->flags & BSTEP_ENERGY_GRADE_CLAMPED)
            printf("%.1f %% grade treated as level", o->grade_pct);
        else if (c->grade_used_pct == 0.0)
            printf("level");
        else
            printf("%.1f %% grade", c->grade_used_pct);
        printf(", %.0f kg%s\n\n", o->mass_kg, o->mass_assumed ? " (assumed)" : "");
        printf("  Oxygen uptake  %.2f mL/kg/min (%.2f above rest)\n", c->vo2_ml_kg_min,
               c->vo2_net_ml_kg_min);
        printf("  METs           %.2f", c->met);
        if (o->older_adult)
            printf("  (older-adult METs at 2.7 mL/kg/min: %.2f)", c->met_older_adult);
        printf("\n");
        printf("  Energy         %.2f kcal/min (%.2f above rest)\n", r->kcal_per_min,
               r->kcal_per_min_net);
        if (!isnan(o->minutes))
            printf("                 %.1f kcal in %g min (%.1f above rest)\n", r->energy_kcal,
                   o->minutes, r->energy_net_kcal);
        if (!isnan(c->uncertainty_pct)) {
            printf("  Uncertainty    +-%.0f %%: %.2f-%.2f kcal/min", c->uncertainty_pct,
                   r->kcal_per_min_low, r->kcal_per_min_high);
            if (!isnan(o->minutes))
                printf(", %.1f-%.1f kcal", r->energy_low_kcal, r->energy_high_kcal);
            printf("\n");
        }
        if (c->direction == BSTEP_DIRECTION_BACKWARD)
            printf("  Forward        %s forward at the same speed and grade: %.2f mL/kg/min, "
                   "%.2f METs;\n                 backward costs %.2f times as much\n",
                   gait_word(c->gait), c->forward_vo2_ml_kg_min,
                   bstep_energy_met(c->forward_vo2_ml_kg_min), c->backward_to_forward_ratio);
        if (r->compendium != NULL)
            printf("  Compendium     %d edition, code %s (%s): %.1f METs\n",
                   r->compendium->edition_year, r->compendium->code, r->compendium->description,
                   r->compendium->met);
        else
            printf("  Compendium     no %d code for this speed and grade\n", o->compendium_year);
        printf("\nModel: %s\n  %s\n  Source: %s\n  Valid for %.2f-",
               bstep_energy_model_name(c->model), bstep_energy_model_equation(c->model),
               bstep_energy_model_source(c->model), r->speed_valid_mps[0]);
        if (isinf(r->speed_valid_mps[1]))
            printf("any m/s");
        else
            printf("%.2f m/s", r->speed_valid_mps[1]);
        if (!isnan(r->grade_valid_pct[0]))
            printf(" and %.0f-%.0f %% grade", r->grade_valid_pct[0], r->grade_valid_pct[1]);
        printf("%s.\n", (c->flags & BSTEP_ENERGY_EXTRAPOLATED) ? " (this input is outside: "
                                                                 "extrapolated)"
                                                               : "");
    }
    if (r->have_hr) {
        printf("%sFrom heart rate (Keytel et al. 2005, %s, %s VO2max): %.0f bpm -> %.2f kcal/min",
               r->have_cost ? "\n" : "", bstep_sex_name(o->sex),
               isnan(o->vo2max_ml_kg_min) ? "without" : "with", o->hr_bpm, r->kcal_per_min_hr);
        if (!isnan(o->minutes))
            printf(", %.1f kcal in %g min", r->energy_kcal_hr, o->minutes);
        printf("\n  (shown separately, never averaged with the speed-based figure)\n");
    }
    if (nn > 0) {
        printf("\nNotes:\n");
        for (i = 0; i < nn; i++)
            printf("  - %s\n", nt[i]);
    }
    printf("\nThese are estimates for an average adult, not a medical assessment.\n");
}

static void num(bstep__jsonw *w, const char *key, double v, int decimals)
{
    bstep__jsonw_key(w, key);
    bstep__jsonw_number(w, v, decimals);
}

static void flag_array(bstep__jsonw *w, unsigned flags)
{
    unsigned bit;
    bstep__jsonw_array_begin(w);
    for (bit = 1; bit != 0 && bit <= flags; bit <<= 1)
        if ((flags & bit) && bstep_energy_flag_name(bit) != NULL)
            bstep__jsonw_string(w, bstep_energy_flag_name(bit));
    bstep__jsonw_array_end(w);
}

static void print_json(const energy_opts *o, const energy_result *r)
{
    bstep__jsonw w;
    const bstep_energy_cost *c = &r->cost;
    const char *nt[16];
    size_t nn = notes(o, r, nt, sizeof(nt) / sizeof(nt[0])), i;
    int hc = r->have_cost;
    bstep__jsonw_init(&w, stdout, 1);
    bstep__jsonw_object_begin(&w);
    bstep__jsonw_key(&w, "schema");
    bstep__jsonw_string(&w, SCHEMA_ID);

    bstep__jsonw_key(&w, "input");
    bstep__jsonw_object_begin(&w);
    num(&w, "speed_mps", o->speed_mps, 4);
    num(&w, "grade_pct", o->grade_pct, 2);
    bstep__jsonw_key(&w, "direction");
    bstep__jsonw_string(&w, direction_word(o->direction));
    bstep__jsonw_key(&w, "gait");
    bstep__jsonw_string(&w, bstep_gait_name(o->gait));
    num(&w, "mass_kg", o->mass_kg, 2);
    bstep__jsonw_key(&w, "mass_assumed");
    bstep__jsonw_bool(&w, o->mass_assumed);
    num(&w, "minutes", o->minutes, 3);
    num(&w, "hr_bpm", o->hr_bpm, 1);
    num(&w, "age_y", o->age_y, 1);
    bstep__jsonw_key(&w, "sex");
    if (o->sex == BSTEP_SEX_UNKNOWN)
        bstep__jsonw_null(&w);
    else
        bstep__jsonw_string(&w, bstep_sex_name(o->sex));
    num(&w, "vo2max_ml_kg_min", o->vo2max_ml_kg_min, 1);
    bstep__jsonw_key(&w, "older_adult");
    bstep__jsonw_bool(&w, o->older_adult);
    bstep__jsonw_key(&w, "compendium_year");
    bstep__jsonw_int(&w, o->compendium_year);
    bstep__jsonw_object_end(&w);

    bstep__jsonw_key(&w, "model");
    if (hc) {
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "name");
        bstep__jsonw_string(&w, bstep_energy_model_name(c->model));
        bstep__jsonw_key(&w, "equation");
        bstep__jsonw_string(&w, bstep_energy_model_equation(c->model));
        bstep__jsonw_key(&w, "source");
        bstep__jsonw_string(&w, bstep_energy_model_source(c->model));
        bstep__jsonw_key(&w, "valid_speed_mps");
        bstep__jsonw_array_begin(&w);
        bstep__jsonw_number(&w, r->speed_valid_mps[0], 3);
        bstep__jsonw_number(&w, r->speed_valid_mps[1], 3);
        bstep__jsonw_array_end(&w);
        bstep__jsonw_key(&w, "valid_grade_pct");
        bstep__jsonw_array_begin(&w);
        bstep__jsonw_number(&w, r->grade_valid_pct[0], 1);
        bstep__jsonw_number(&w, r->grade_valid_pct[1], 1);
        bstep__jsonw_array_end(&w);
        bstep__jsonw_object_end(&w);
    } else {
        bstep__jsonw_null(&w);
    }
    bstep__jsonw_key(&w, "direction");
    if (hc)
        bstep__jsonw_string(&w, direction_word(c->direction));
    else
        bstep__jsonw_null(&w);
    bstep__jsonw_key(&w, "gait");
    if (hc)
        bstep__jsonw_string(&w, bstep_gait_name(c->gait));
    else
        bstep__jsonw_null(&w);
    num(&w, "grade_used_pct", hc ? c->grade_used_pct : DNAN, 2);
    num(&w, "vo2_ml_kg_min", hc ? c->vo2_ml_kg_min : DNAN, 3);
    num(&w, "vo2_net_ml_kg_min", hc ? c->vo2_net_ml_kg_min : DNAN, 3);
    num(&w, "met", hc ? c->met : DNAN, 3);
    num(&w, "met_older_adult", hc ? c->met_older_adult : DNAN, 3);
    num(&w, "kcal_per_min", r->kcal_per_min, 3);
    num(&w, "kcal_per_min_net", r->kcal_per_min_net, 3);
    num(&w, "kcal_per_min_low", r->kcal_per_min_low, 3);
    num(&w, "kcal_per_min_high", r->kcal_per_min_high, 3);
    num(&w, "energy_kcal", r->energy_kcal, 2);
    num(&w, "energy_net_kcal", r->energy_net_kcal, 2);
    num(&w, "uncertainty_pct", hc ? c->uncertainty_pct : DNAN, 1);
    num(&w, "vo2_low_ml_kg_min", hc ? c->vo2_low_ml_kg_min : DNAN, 3);
    num(&w, "vo2_high_ml_kg_min", hc ? c->vo2_high_ml_kg_min : DNAN, 3);
    num(&w, "energy_low_kcal", r->energy_low_kcal, 2);
    num(&w, "energy_high_kcal", r->energy_high_kcal, 2);
    num(&w, "forward_vo2_ml_kg_min", hc ? c->forward_vo2_ml_kg_min : DNAN, 3);
    num(&w, "forward_met", hc ? bstep_energy_met(c->forward_vo2_ml_kg_min) : DNAN, 3);
    num(&w, "backward_to_forward_ratio", hc ? c->backward_to_forward_ratio : DNAN, 3);
    bstep__jsonw_key(&w, "extrapolated");
    if (hc)
        bstep__jsonw_bool(&w, (c->flags & BSTEP_ENERGY_EXTRAPOLATED) != 0);
    else
        bstep__jsonw_null(&w);
    bstep__jsonw_key(&w, "flags");
    flag_array(&w, hc ? c->flags : 0u);

    bstep__jsonw_key(&w, "compendium");
    if (r->compendium != NULL) {
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "edition");
        bstep__jsonw_int(&w, r->compendium->edition_year);
        bstep__jsonw_key(&w, "citation");
        bstep__jsonw_string(&w, bstep_compendium_citation(r->compendium->edition_year));
        bstep__jsonw_key(&w, "code");
        bstep__jsonw_string(&w, r->compendium->code);
        bstep__jsonw_key(&w, "description");
        bstep__jsonw_string(&w, r->compendium->description);
        num(&w, "met", r->compendium->met, 1);
        bstep__jsonw_key(&w, "treadmill");
        bstep__jsonw_bool(&w, r->compendium->treadmill);
        bstep__jsonw_object_end(&w);
    } else {
        bstep__jsonw_null(&w);
    }

    num(&w, "kcal_per_min_hr", r->kcal_per_min_hr, 3);
    num(&w, "energy_kcal_hr", r->energy_kcal_hr, 2);
    bstep__jsonw_key(&w, "heart_rate");
    if (r->have_hr) {
        bstep__jsonw_object_begin(&w);
        bstep__jsonw_key(&w, "equation");
        bstep__jsonw_string(&w, isnan(o->vo2max_ml_kg_min) ? "keytel-2005" : "keytel-2005-vo2max");
        bstep__jsonw_key(&w, "source");
        bstep__jsonw_string(&w, "Keytel LR et al. J Sports Sci 2005;23(3):289-97");
        bstep__jsonw_key(&w, "flags");
        flag_array(&w, r->hr_flags);
        bstep__jsonw_object_end(&w);
    } else {
        bstep__jsonw_null(&w);
    }

    bstep__jsonw_key(&w, "notes");
    bstep__jsonw_array_begin(&w);
    for (i = 0; i < nn; i++)
        bstep__jsonw_string(&w, nt[i]);
    bstep__jsonw_array_end(&w);
    bstep__jsonw_object_end(&w);
}

int bstep_cmd_energy(int argc, char **argv)
{
    energy_opts o;
    energy_result r;
    int rc = parse_options(argc, argv, &o);
    if (rc < 0)
        return BSTEP_EXIT_OK; /* --help */
    if (rc != 0)
        return rc;
    rc = compute(&o, &r);
    if (rc != BSTEP_OK) {
        fprintf(stderr, "backstep energy: %s\n", bstep_strerror(rc));
        return BSTEP_EXIT_USAGE;
    }
    if (o.json)
        print_json(&o, &r);
    else
        print_text(&o, &r);
    fflush(stdout);
    return BSTEP_EXIT_OK;
}
