package dev.dojo.training;

import java.util.List;

/** A spec that can never run; each violation names the JSON field at fault. */
public class InvalidSpecException extends RuntimeException {

    /** One bad field: its JSON path (for example {@code hyperparameters.epochs}) and what to fix. */
    public record Violation(String field, String message) {}

    private static final int MAX_QUOTED = 64;

    /** The title of the 400 problem a job spec's violations make. */
    public static final String JOB_SPEC = "Invalid job spec";

    private final List<Violation> violations;
    private final String title;

    public InvalidSpecException(List<Violation> violations) {
        this(JOB_SPEC, violations);
    }

    /** Violations of something other than a job spec (a sweep), answered as a 400 problem with {@code title}. */
    public InvalidSpecException(String title, List<Violation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.message()).reduce((a, b) -> a + "; " + b).orElse("invalid spec"));
        this.violations = List.copyOf(violations);
        this.title = title;
    }

    public InvalidSpecException(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    /**
     * A client's value as a violation message quotes it: at most 64 characters between double
     * quotes, control characters escaped, so that an answer never repeats a large or hostile value.
     */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder("\"");
        int shown = 0;
        int i = 0;
        while (i < text.length() && shown < MAX_QUOTED) {
            int cp = text.codePointAt(i);
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT || cp == 0x2028 || cp == 0x2029) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
            shown++;
            i += Character.charCount(cp);
        }
        out.append('"');
        if (i < text.length()) {
            out.append(" (cut; ").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    public List<Violation> violations() {
        return violations;
    }

    /** The problem's title: {@value #JOB_SPEC} unless made for something else. */
    public String title() {
        return title;
    }

    /** The same violations under another title. */
    public InvalidSpecException titled(String title) {
        InvalidSpecException titled = new InvalidSpecException(title, violations);
        titled.initCause(this);
        return titled;
    }
}
