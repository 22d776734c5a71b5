package dev.dojo.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal line-and-point chart written as SVG text: one left axis, an optional right axis fixed to
 * [0, 1] for accuracies, a legend below the axes (never over the data). Hand-written rather than a
 * library, because the plots need no more. Public for {@code compare}, which draws several runs in one.
 */
public final class SvgChart {

    /** One series: points in data units, drawn as a line, as dots, or both. */
    public record Series(String key, String label, String colour, double[] x, double[] y, boolean line, boolean dots, boolean rightAxis) {}

    private static final int W = 720;
    private static final int H = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 60;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    /** The legend sits under the x-axis label, two entries a row, so it never covers a point or a line. */
    private static final int LEGEND_TOP = H + 6;
    private static final int LEGEND_ROW = 18;
    private static final int LEGEND_COLUMN = (W - LEFT - RIGHT) / 2;
    /** A label longer than this (at about 7 px a character) would run into the next column: one entry a row then. */
    private static final int LEGEND_COLUMN_CHARS = 40;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final String rightLabel;
    private final List<Series> series = new ArrayList<>();

    public SvgChart(String title, String xLabel, String yLabel, String rightLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.rightLabel = rightLabel;
    }

    public SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    public String render() {
        double[] xr = range(true);
        double[] yr = range(false);
        int columns = series.stream().anyMatch(s -> s.label().length() > LEGEND_COLUMN_CHARS) ? 1 : 2;
        int height = LEGEND_TOP + (series.size() + columns - 1) / columns * LEGEND_ROW + 6;
        StringBuilder svg = new StringBuilder();
        svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n", W, height, W, height));
        svg.append("<title>").append(esc(title)).append("</title>\n");
        svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", W, height));
        svg.append(f("<text x=\"%d\" y=\"24\" font-size=\"16\" fill=\"#111\">%s</text>\n", LEFT, esc(title)));
        svg.append(f("<rect class=\"plot-area\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\"/>\n",
                LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
        axes(svg, xr, yr);
        for (int n = 0; n < series.size(); n++) {
            Series s = series.get(n);
            svg.append(f("<g class=\"series\" data-series=\"%s\" data-points=\"%d\">\n", esc(s.key()), s.x().length));
            double[] yrange = s.rightAxis() ? new double[] {0, 1} : yr;
            if (s.line() && s.x().length > 0) {
                svg.append(f("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", s.colour()));
                for (int i = 0; i < s.x().length; i++) {
                    svg.append(f("%.1f,%.1f ", px(s.x()[i], xr), py(s.y()[i], yrange)));
                }
                svg.append("\"/>\n");
            }
            if (s.dots()) {
                for (int i = 0; i < s.x().length; i++) {
                    svg.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", px(s.x()[i], xr), py(s.y()[i], yrange), s.colour()));
                }
            }
            svg.append("</g>\n");
            int lx = LEFT + n % columns * LEGEND_COLUMN;
            int ly = LEGEND_TOP + n / columns * LEGEND_ROW + 12;
            svg.append(f("<g class=\"legend\"><rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\" fill=\"#222\">%s</text></g>\n", lx, ly - 5, s.colour(), lx + 20, ly, esc(s.label())));
        }
        return svg.append("</svg>\n").toString();
    }

    private void axes(StringBuilder svg, double[] xr, double[] yr) {
        int x0 = LEFT;
        int x1 = W - RIGHT;
        int y0 = H - BOTTOM;
        int y1 = TOP;
        svg.append(f("<g class=\"axes\" stroke=\"#444\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>\n", x0, y0, x1, y0, x0, y0, x0, y1));
        for (int i = 0; i <= 5; i++) {
            double xv = xr[0] + (xr[1] - xr[0]) * i / 5;
            double yv = yr[0] + (yr[1] - yr[0]) * i / 5;
            svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\">%s</text>\n", px(xv, xr), y0 + 18, tick(xv)));
            svg.append(f("<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>", x0, x1, py(yv, yr), py(yv, yr)));
            svg.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#333\">%s</text>\n", x0 - 6, py(yv, yr) + 4, tick(yv)));
            if (rightLabel != null) {
                svg.append(f("<text x=\"%d\" y=\"%.1f\" fill=\"#1a7f37\">%s</text>\n", x1 + 6, py(i / 5.0, new double[] {0, 1}) + 4,
                        tick(i / 5.0)));
            }
        }
        svg.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#222\">%s</text>\n", (x0 + x1) / 2, H - 10, esc(xLabel)));
        svg.append(f("<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\" fill=\"#222\">%s</text>\n",
                (y0 + y1) / 2, esc(yLabel)));
        if (rightLabel != null) {
            svg.append(f("<text transform=\"translate(%d %d) rotate(90)\" text-anchor=\"middle\" fill=\"#1a7f37\">%s</text>\n",
                    W - 14, (y0 + y1) / 2, esc(rightLabel)));
        }
    }

    /** The data range over every series on the axis, padded by 5% so nothing sits on the frame. */
    private double[] range(boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            if (!x && s.rightAxis()) {
                continue;
            }
            for (double v : x ? s.x() : s.y()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        if (lo == hi) {
            return new double[] {lo - 1, hi + 1};
        }
        double pad = x ? 0 : (hi - lo) * 0.05;
        return new double[] {lo - pad, hi + pad};
    }

    private static double px(double v, double[] r) {
        return LEFT + (v - r[0]) / (r[1] - r[0]) * (W - LEFT - RIGHT);
    }

    private static double py(double v, double[] r) {
        double clamped = Double.isFinite(v) ? v : r[1];
        return H - BOTTOM - (clamped - r[0]) / (r[1] - r[0]) * (H - TOP - BOTTOM);
    }

    private static String tick(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 0.01 || a >= 100_000) ? f("%.1e", v) : a >= 100 ? f("%.0f", v) : f("%.3g", v);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
