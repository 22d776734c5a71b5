package dev.dojo.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a Dockerfile parser for the tests: logical lines (continuations joined, comments
 * dropped), global ARG defaults, stages with their base and instructions, and ARG/ENV values
 * substituted as the builder would ({@code $NAME} and {@code ${NAME}}; a variable the file does
 * not define, such as a base image's PATH, stays as written).
 */
record Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {

    record Instruction(String keyword, String raw, String resolved) {}

    record Stage(String name, String base, List<Instruction> instructions, Map<String, String> env) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> all = all(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }

        /** The {@code COPY --from=X} instructions: source stage to "src dest" (resolved). */
        List<String[]> copiesFrom(String stage) {
            List<String[]> out = new ArrayList<>();
            for (Instruction copy : all("COPY")) {
                String[] words = copy.resolved().trim().split("\\s+");
                if (words[0].equals("--from=" + stage)) {
                    out.add(new String[] {words[1], words[words.length - 1]});
                }
            }
            return out;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    static Dockerfile read(Path file) {
        List<String> lines = logicalLines(DeployFiles.read(file));
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        Map<String, String> scope = null;
        List<Instruction> instructions = null;
        Map<String, String> env = null;
        for (String line : lines) {
            String[] split = line.trim().split("\\s+", 2);
            String keyword = split[0].toUpperCase();
            String args = split.length > 1 ? split[1] : "";
            if (keyword.equals("FROM")) {
                String[] words = substitute(args, globalArgs).trim().split("\\s+");
                String name = words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : String.valueOf(stages.size());
                scope = new LinkedHashMap<>();
                instructions = new ArrayList<>();
                env = new LinkedHashMap<>();
                stages.add(new Stage(name, words[0], instructions, env));
                continue;
            }
            if (scope == null) {
                if (keyword.equals("ARG")) {
                    String[] kv = args.trim().split("=", 2);
                    globalArgs.put(kv[0], kv.length > 1 ? unquote(kv[1]) : "");
                }
                continue;
            }
            String resolved = substitute(args, scope);
            instructions.add(new Instruction(keyword, args, resolved));
            if (keyword.equals("ARG")) {
                String[] kv = args.trim().split("=", 2);
                scope.put(kv[0], kv.length > 1 ? unquote(substitute(kv[1], scope)) : globalArgs.getOrDefault(kv[0], ""));
            } else if (keyword.equals("ENV")) {
                for (Map.Entry<String, String> e : parseEnv(args).entrySet()) {
                    String value = substitute(e.getValue(), scope);
                    env.put(e.getKey(), value);
                    scope.put(e.getKey(), value);
                }
            }
        }
        return new Dockerfile(globalArgs, stages);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("Dockerfile has no stage " + name));
    }

    boolean hasStage(String name) {
        return stages.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Continuation lines joined, comment and blank lines dropped (also inside continuations, as Docker does). */
    static List<String> logicalLines(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String physical : text.split("\n", -1)) {
            String trimmed = physical.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            String content = continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
            if (current == null) {
                current = new StringBuilder(content);
            } else {
                current.append(' ').append(content);
            }
            if (!continues) {
                out.add(current.toString().replaceAll("\\s+", " ").trim());
                current = null;
            }
        }
        if (current != null) {
            out.add(current.toString().trim());
        }
        return out;
    }

    /** {@code ENV A=1 B="two words"} or the legacy {@code ENV A value with spaces}. */
    static Map<String, String> parseEnv(String args) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> words = shellWords(args);
        if (!words.isEmpty() && !words.get(0).contains("=")) {
            String trimmed = args.trim();
            String key = words.get(0);
            env.put(key, trimmed.substring(key.length()).trim());
            return env;
        }
        for (String word : words) {
            String[] kv = word.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("cannot parse ENV " + args);
            }
            env.put(kv[0], kv[1]);
        }
        return env;
    }

    /** Words split on blanks outside quotes; quotes removed, backslash escapes kept literal. */
    static List<String> shellWords(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                word.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static String unquote(String s) {
        String t = s.trim();
        if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    static String substitute(String s, Map<String, String> scope) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = scope.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
