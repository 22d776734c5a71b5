package dev.dojo.system;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the layout of the machine out of answers: absolute file paths in a text (a failed job's
 * reason, a log line) become {@code …/<file name>}. The full text stays in the node's own log.
 */
public final class FilePaths {

    private static final String SEGMENT = "[^\\s/\\\\\"'`,;:()\\[\\]{}<>|]+";
    private static final Pattern UNIX = Pattern.compile("(?<![\\w.~/\\\\-])/(?:" + SEGMENT + "/)+(" + SEGMENT + ")?/?");
    private static final Pattern WINDOWS = Pattern.compile("(?<![\\w])[A-Za-z]:\\\\(?:" + SEGMENT + "\\\\)*(" + SEGMENT + ")?");
    private static final Pattern LAST = Pattern.compile("(" + SEGMENT + ")[/\\\\]?$");

    private FilePaths() {}

    /** The text with every absolute path of two or more segments replaced by {@code …/<last segment>}; null stays null. */
    public static String redact(String text) {
        if (text == null || (text.indexOf('/') < 0 && text.indexOf('\\') < 0)) {
            return text;
        }
        return replace(WINDOWS, replace(UNIX, text));
    }

    private static String replace(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            Matcher last = LAST.matcher(m.group());
            String name = last.find() ? last.group(1) : "";
            m.appendReplacement(out, Matcher.quoteReplacement("…/" + name));
        }
        m.appendTail(out);
        return out.toString();
    }
}
