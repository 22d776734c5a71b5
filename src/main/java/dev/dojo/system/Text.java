package dev.dojo.system;

/** Limits on text the service stores or echoes. */
public final class Text {

    /** The longest reason or log line a row holds (the width of those columns). */
    public static final int MAX_STORED = 4000;

    private Text() {}

    /** {@code s} cut to {@link #MAX_STORED} characters, ending in "..." when cut; null stays null. */
    public static String truncate(String s) {
        return truncate(s, MAX_STORED);
    }

    /** {@code s} cut to {@code max} characters, ending in "..." when cut; null stays null. */
    public static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
