package dev.dojo.system;

/**
 * Quotes a client's input inside an answer: a short prefix with control characters escaped, so
 * that an answer never repeats a large or hostile value (a 20 MB name, a CR-LF pair) back.
 */
public final class Echo {

    /** The most characters of one input value an answer repeats. */
    public static final int MAX = 64;

    private Echo() {}

    /** The value as an answer may show it: at most {@link #MAX} characters, control characters escaped. */
    public static String of(Object value) {
        return clip(String.valueOf(value), MAX);
    }

    /** {@link #of} between double quotes. */
    public static String quoted(Object value) {
        return "\"" + of(value) + "\"";
    }

    /** At most {@code max} characters of {@code text}, control characters escaped, the cut marked with its full length. */
    public static String clip(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        int shown = 0;
        int i = 0;
        while (i < text.length() && shown < max) {
            int cp = text.codePointAt(i);
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || Character.getType(cp) == Character.FORMAT) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
            shown++;
            i += Character.charCount(cp);
        }
        if (i < text.length()) {
            out.append("… (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }
}
