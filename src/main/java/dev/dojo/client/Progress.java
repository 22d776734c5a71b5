package dev.dojo.client;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;

/**
 * Progress on stderr. On a terminal: one line with a bar and an ETA, redrawn with a carriage
 * return. In a CI log: one plain line per epoch, or per 10% when there are more than ten epochs.
 */
final class Progress {

    private static final int BAR = 24;
    private static final java.util.Set<String> ENDED = java.util.Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final PrintStream err;
    private final boolean terminal;
    private final Map<String, Double> latest = new LinkedHashMap<>();
    private String status;
    private int printedEpoch = -1;
    private int printedDecile = -1;
    private boolean barShown;
    private long firstNanos = -1;
    private double firstFraction;
    private long lastEtaSeconds = -1;
    /** While a question is on the terminal: no bar is drawn and lines wait, so nothing writes over it. */
    private java.util.List<String> held;

    Progress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A job view: from the submit, a {@code status} event or the {@code end} event. */
    synchronized void job(JsonNode job) {
        String s = job.path("status").asString("");
        if (!s.equals(status) && !terminal && printedEpoch < 0 && ENDED.contains(s) && job.path("progress").path("epoch").asInt(0) > 0) {
            // The job ran its course before the stream showed it running: one line for the whole run,
            // from its final view, so that a CI log always shows how far it got and its last metrics.
            job.path("latestMetrics").properties().forEach(e -> latest.put(e.getKey(), e.getValue().path("value").asDouble()));
            JsonNode p = job.path("progress");
            printedEpoch = p.path("epoch").asInt();
            line("epoch " + printedEpoch + "/" + p.path("epochs").asInt() + " " + percent(p.path("fraction").asDouble()) + metrics()
                    + "  eta 0:00");
        }
        if (!s.equals(status)) {
            status = s;
            line("job " + job.path("id").asString("") + " " + s + describe(job));
        }
        if (!"RUNNING".equals(s)) {
            return;
        }
        JsonNode p = job.path("progress");
        int epoch = p.path("epoch").asInt(0);
        int epochs = p.path("epochs").asInt(0);
        double fraction = p.path("fraction").asDouble(0);
        long now = System.nanoTime();
        if (firstNanos < 0) {
            firstNanos = now;
            firstFraction = fraction;
        }
        if (fraction > firstFraction) {
            double perFraction = (now - firstNanos) / 1e9 / (fraction - firstFraction);
            lastEtaSeconds = Math.round(perFraction * (1 - fraction));
        }
        if (epochs <= 0) {
            return;
        }
        if (terminal) {
            if (held != null) {
                return;
            }
            int filled = (int) Math.round(Math.min(1, fraction) * BAR);
            String bar = "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] ";
            String text = bar + percent(fraction) + " epoch " + epoch + "/" + epochs + metrics() + "  ETA " + eta();
            err.print("\r" + text + " ".repeat(Math.max(0, 100 - text.length())));
            err.flush();
            barShown = true;
            return;
        }
        int decile = (int) Math.floor(fraction * 10 + 1e-9);
        boolean due = epochs <= 10 ? epoch != printedEpoch : decile != printedDecile;
        if (due && epoch > 0) {
            printedEpoch = epoch;
            printedDecile = decile;
            line("epoch " + epoch + "/" + epochs + " " + percent(fraction) + metrics() + "  eta " + eta());
        }
    }

    /** A {@code metric} event's row: remembered for the next progress line. */
    synchronized void metric(JsonNode row) {
        String name = row.path("name").asString(null);
        if (name != null && row.has("value")) {
            latest.put(name, row.get("value").asDouble());
        }
    }

    /** A line of its own: a notice, or the end; it does not leave the bar half drawn. */
    synchronized void line(String text) {
        if (held != null) {
            held.add(text);
            return;
        }
        if (barShown) {
            err.println();
            barShown = false;
        }
        err.println("dojo: " + text);
        err.flush();
    }

    /** Stops drawing while a question is asked; the bar's line is ended first, the question starts on its own. */
    synchronized void hold() {
        if (barShown) {
            err.println();
            barShown = false;
        }
        err.flush();
        if (held == null) {
            held = new java.util.ArrayList<>();
        }
    }

    /** After the answer: the lines that waited are printed, and the bar is drawn again on the next view. */
    synchronized void release() {
        java.util.List<String> waiting = held;
        held = null;
        if (waiting != null) {
            waiting.forEach(this::line);
        }
    }

    private static String describe(JsonNode job) {
        StringBuilder s = new StringBuilder();
        if (job.hasNonNull("device") && "RUNNING".equals(job.path("status").asString(""))) {
            s.append(" on ").append(job.get("device").asString());
        }
        if (job.path("attempt").asInt(0) > 1) {
            s.append(" (attempt ").append(job.get("attempt").asInt()).append(')');
        }
        if (job.hasNonNull("failureReason")) {
            s.append(": ").append(job.get("failureReason").asString());
        }
        return s.toString();
    }

    private String metrics() {
        StringJoiner j = new StringJoiner("  ", "  ", "");
        j.setEmptyValue("");
        latest.entrySet().stream().limit(3).forEach(e -> j.add(e.getKey() + " " + String.format(Locale.ROOT, "%.5g", e.getValue())));
        return j.toString();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%3d%%", Math.round(Math.min(1, fraction) * 100));
    }

    private String eta() {
        if (lastEtaSeconds < 0) {
            return "?";
        }
        long s = lastEtaSeconds;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
