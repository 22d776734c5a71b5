package dev.dojo.job;

import dev.dojo.system.DomainProblem;
import dev.dojo.training.InvalidSpecException;
import dev.dojo.training.InvalidSpecException.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules for a job's labels and for the list's label filter: at most {@link #MAX} pairs; a key is
 * 1 to 63 letters, digits, '.', '_', '-' or '/', starting and ending with a letter or digit
 * ({@code git.sha}, {@code ci.pipeline}, {@code branch}); a value is 0 to 255 printable characters.
 */
public final class Labels {

    /** The most labels one job may carry, and the most label filters one list request may name. */
    public static final int MAX = 32;
    public static final int MAX_VALUE = 255;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    static final String KEY_RULE = "1 to 63 letters, digits, '.', '_', '-' or '/', starting and ending with a letter or digit";

    private Labels() {}

    /** Adds a violation for each broken rule of a spec's {@code labels}. */
    static void check(Map<String, String> labels, List<Violation> problems) {
        if (labels == null) {
            return;
        }
        if (labels.size() > MAX) {
            problems.add(new Violation("labels", "must hold at most " + MAX + " labels, held " + labels.size()));
            return;
        }
        labels.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                problems.add(new Violation("labels", "key " + InvalidSpecException.quote(key) + " must be " + KEY_RULE));
            } else if (value == null) {
                problems.add(new Violation("labels." + key, "must be a string"));
            } else if (value.length() > MAX_VALUE || !JobService.printable(value)) {
                problems.add(new Violation("labels." + key, "must be 0 to " + MAX_VALUE
                        + " printable characters (no control characters such as a line break), was " + InvalidSpecException.quote(value)));
            }
        });
    }

    /**
     * The list's {@code label} parameters, each {@code key=value} (split at the first '='), as a map
     * every pair of which a job must carry; a 400 naming {@code label} when one is malformed.
     */
    static Map<String, String> filter(List<String> params) {
        Map<String, String> wanted = new LinkedHashMap<>();
        if (params == null) {
            return wanted;
        }
        if (params.size() > MAX) {
            throw DomainProblem.badField("Invalid label filter", "label", "must be given at most " + MAX + " times, was " + params.size());
        }
        for (String param : params) {
            int eq = param.indexOf('=');
            String key = eq < 0 ? param : param.substring(0, eq);
            if (eq < 0 || !KEY.matcher(key).matches()) {
                throw DomainProblem.badField("Invalid label filter", "label", "must be key=value with a key of " + KEY_RULE
                        + ", was " + InvalidSpecException.quote(param));
            }
            String value = param.substring(eq + 1);
            if (value.length() > MAX_VALUE || !JobService.printable(value)) {
                throw DomainProblem.badField("Invalid label filter", "label", "value must be 0 to " + MAX_VALUE + " printable characters");
            }
            if (wanted.containsKey(key) && !wanted.get(key).equals(value)) {
                // Two values for one key: no job carries both.
                wanted.put(key, null);
            } else if (!wanted.containsKey(key)) {
                wanted.put(key, value);
            }
        }
        return wanted;
    }
}
