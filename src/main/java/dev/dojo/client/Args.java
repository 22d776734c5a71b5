package dev.dojo.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command line after {@code client}: the command, its positional arguments and its options. */
final class Args {

    /** Options that stand alone, without a value. */
    private static final Set<String> FLAGS = Set.of("--follow", "--help");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    final String command;
    final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();

    private Args(String command) {
        this.command = command;
    }

    static Args parse(String[] argv, Set<String> known) {
        if (argv.length == 0) {
            throw new Exit.Failure("no command; try: client help");
        }
        Args args = new Args(argv[0]);
        for (int i = 1; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                if (!known.contains(name) && !FLAGS.contains(name)) {
                    throw new Exit.Failure("unknown option " + name + " for " + args.command);
                }
                if (FLAGS.contains(name)) {
                    value = "true";
                } else if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new Exit.Failure(name + " needs a value");
                    }
                    value = argv[++i];
                }
                args.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                args.positional.add(a);
            }
        }
        return args;
    }

    String one(String name) {
        List<String> values = options.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw new Exit.Failure(name + " given more than once");
        }
        return values.get(0);
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** The single positional argument, named {@code what} in the message when it is missing. */
    String only(String what) {
        if (positional.size() != 1) {
            throw new Exit.Failure(command + " needs exactly one " + what + (positional.isEmpty() ? "" : ", got " + positional));
        }
        return positional.get(0);
    }

    Integer integer(String name, int min) {
        String v = one(name);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new Exit.Failure(name + " must be a whole number of " + min + " or more, got " + v);
    }

    /** {@code --timeout}: 90 (seconds), 90s, 30m, 2h, 500ms; null when absent. */
    Duration duration(String name) {
        String v = one(name);
        if (v == null) {
            return null;
        }
        Matcher m = DURATION.matcher(v.trim());
        if (!m.matches()) {
            throw new Exit.Failure(name + " must look like 90s, 30m or 2h, got " + v);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
