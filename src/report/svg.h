/*
 * SVG charts (internal API, bstep__ layer): line charts and bar charts over time or categories,
 * with axes, tick labels, axis titles with units, a legend and a tooltip (<title>) per point.
 * The output is a self-contained <svg> element (no scripts, no external resources) that can be
 * written into an HTML page or served alone. Used by `backstep report --format html` and by the
 * dashboard of `backstep serve`.
 *
 *   bstep__svg_chart c;
 *   bstep__svg_chart_init(&c);
 *   c.title = "Speed"; c.y_label = "speed (m/s)"; c.x_is_time = 1;
 *   bstep__svg_series s = {"walking speed", NULL, x_s, y_mps, n};
 *   bstep__svg_line_chart(stdout, &c, &s, 1);
 *
 * Non-finite y values are gaps: a line is interrupted there, a bar is left out. Text is
 * XML-escaped.
 */
#ifndef BSTEP_REPORT_SVG_H
#define BSTEP_REPORT_SVG_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
    const char *title;   /**< above the plot; NULL: none */
    const char *x_label; /**< axis title, e.g. "date"; NULL: none */
    const char *y_label; /**< axis title with the unit, e.g. "speed (m/s)"; NULL: none */
    int width_px, height_px;
    int x_is_time;         /**< x values are seconds since 1970 UTC; ticks are local dates */
    double y_min, y_max;   /**< NAN: from the data (bar charts always include 0) */
    double x_min, x_max;   /**< NAN: from the data */
    int y_decimals;        /**< decimals of tick labels; -1: from the tick step */
    const char *css_class; /**< class attribute of the <svg>, NULL: "bstep-chart" */
} bstep__svg_chart;

typedef struct {
    const char *name;  /**< legend entry and tooltip prefix; NULL: no legend entry */
    const char *color; /**< CSS colour; NULL: the palette colour of the series index */
    const double *x;   /**< n x values (line charts); ignored by bar charts */
    const double *y;   /**< n y values; NAN = no value */
    size_t n;
} bstep__svg_series;

/** Defaults: 640 x 280 px, no titles, automatic ranges and decimals. */
void bstep__svg_chart_init(bstep__svg_chart *c);

/** Line chart with a marker at each point. Returns 0, or -1 for NULL arguments. */
int bstep__svg_line_chart(FILE *f, const bstep__svg_chart *c, const bstep__svg_series *s,
                          size_t n_series);

/**
 * Bar chart: one group of bars per category (labels[i], i < n_categories); each series gives
 * one bar per category from its y[i] (series n must be >= n_categories). Returns 0 or -1.
 */
int bstep__svg_bar_chart(FILE *f, const bstep__svg_chart *c, const char *const *labels,
                         size_t n_categories, const bstep__svg_series *s, size_t n_series);

/** "Nice" tick step for a range split into about `target` intervals (1, 2 or 5 x 10^k). */
double bstep__svg_nice_step(double range, int target);

/** Write s XML-escaped (&, <, >, ", '). */
void bstep__svg_escape(FILE *f, const char *s);

#endif
