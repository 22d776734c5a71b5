package dev.dojo.compare;

import dev.dojo.plot.SvgChart;

/** A comparison drawn as one SVG chart: a line per run, its legend entry the run's name. */
final class ComparePlot {

    /**
     * Twenty colours a run can be told by, each at least 3:1 against the white background; after the
     * tenth they repeat darker, and the legend's names tell them apart.
     */
    static final String[] COLOURS = {"#1f5fa8", "#b3261e", "#1a7f37", "#8a3ffc", "#b35900", "#007d79", "#9f1853", "#6f6f00",
            "#4a5361", "#0b57d0", "#0f3d75", "#750e13", "#0e4f23", "#491d8b", "#6e3000", "#004144", "#510224", "#3e3e00",
            "#21272a", "#002d9c"};
    /** A legend entry longer than this would run off the picture (about 7 px a character). */
    static final int MAX_LEGEND = 84;

    private ComparePlot() {}

    static String render(Comparisons.Comparison c) {
        String what = c.sweep() == null ? c.series().size() + " runs" : "sweep " + c.sweep();
        SvgChart chart = new SvgChart(c.metric() + " of " + what, "step", c.metric(), null);
        for (int i = 0; i < c.series().size(); i++) {
            Comparisons.Series s = c.series().get(i);
            double[] x = s.points().stream().mapToDouble(Comparisons.Point::step).toArray();
            double[] y = s.points().stream().mapToDouble(Comparisons.Point::value).toArray();
            String label = s.name().length() <= MAX_LEGEND ? s.name() : s.name().substring(0, MAX_LEGEND - 1) + "…";
            // A run with few points (one per epoch) is drawn with dots too, so a single point still shows.
            chart.add(new SvgChart.Series(s.jobId(), label, COLOURS[i % COLOURS.length], x, y, true, x.length <= 50, false));
        }
        return chart.render();
    }
}
