package dev.dojo.system;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tomcat.util.http.fileupload.InvalidFileNameException;
import org.apache.tomcat.util.http.fileupload.MultipartStream;
import org.springframework.web.multipart.MultipartException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Says what is wrong with an unreadable body or parameter in the API's words: the field (as a JSON
 * path such as {@code hyperparameters.hiddenUnits[0]}, or {@code body}) and what was expected. The
 * JSON library's own messages name Java types and its internals, so none of their text is used.
 */
final class JsonErrors {

    /** The field at fault and what to do about it. */
    record Described(String field, String message) {}

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private JsonErrors() {}

    static Described describe(Throwable e, int maxDepth) {
        JacksonException json = findCause(e, JacksonException.class);
        if (json == null) {
            return new Described("body", "is missing or is not JSON; send a JSON object");
        }
        String path = path(json.getPath());
        String original = json.getOriginalMessage() == null ? "" : json.getOriginalMessage();
        if (json instanceof StreamConstraintsException) {
            // Thrown by the parser, before the binder could add a path: the parser knows where it was.
            return new Described(orBody(path.isEmpty() ? parserPath(json) : path), constraint(original, maxDepth));
        }
        if (original.startsWith("Duplicate Object property") || original.startsWith("Duplicate field")) {
            Matcher m = QUOTED.matcher(original);
            String name = m.find() ? m.group(1) : null;
            String field = name == null ? orBody(path) : join(duplicateParent(path, name), Echo.of(name));
            return new Described(field, "appears more than once; send each field once");
        }
        if (original.startsWith("Trailing token")) {
            return new Described("body", "holds more after its JSON value; send exactly one JSON object");
        }
        if (json instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return new Described(orBody(path), "is not a known field; known fields are "
                    + (known == null ? List.of() : new TreeSet<>(known.stream().map(String::valueOf).toList())));
        }
        if (json instanceof InvalidNullException) {
            return new Described(orBody(path), "must not be null");
        }
        if (json instanceof InputCoercionException coercion) {
            return new Described(orBody(path), "is out of range: must be " + expected(coercion.getTargetType()) + range(coercion.getTargetType()));
        }
        if (json instanceof UnexpectedEndOfInputException) {
            return new Described("body", "ends before the JSON document is complete" + at(json.getLocation()));
        }
        if (json instanceof StreamReadException) {
            return new Described("body", "is not valid JSON" + at(json.getLocation()));
        }
        if (json instanceof MismatchedInputException mismatch) {
            Class<?> target = mismatch.getTargetType();
            if (original.contains("out of range")) {
                return new Described(orBody(path), "is out of range: must be " + expected(target) + range(target));
            }
            return new Described(orBody(path), "must be " + expected(target));
        }
        if (json instanceof ValueInstantiationException) {
            return new Described(orBody(path), "holds a value that cannot be used here");
        }
        return new Described(orBody(path), "has the wrong type or format");
    }

    /** What a query or path parameter should have been, and a short prefix of what it was. */
    static String expectedParameter(Class<?> type, Object value) {
        String was = ", was " + Echo.quoted(value);
        if (isIntegral(type) && value != null && String.valueOf(value).trim().matches("[-+]?\\d+")) {
            return "must be " + expected(type) + range(type) + was;
        }
        return "must be " + expected(type) + was;
    }

    static String multipart(MultipartException e) {
        if (findCause(e, InvalidFileNameException.class) != null) {
            return "has a part whose file name holds characters that are not allowed (such as NUL)";
        }
        if (findCause(e, MultipartStream.MalformedStreamException.class) != null) {
            return "ends before its closing boundary or has a malformed part; send a complete multipart/form-data body";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("boundary")) {
                return "has no multipart boundary; send Content-Type: multipart/form-data; boundary=… and parts separated by it";
            }
        }
        return "is not a readable multipart/form-data body";
    }

    /** A type as the API's documentation calls it. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (isIntegral(type)) {
            return "an integer";
        }
        if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList();
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }

    private static boolean isIntegral(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == byte.class || type == Byte.class
                || type == BigInteger.class;
    }

    private static String range(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == double.class || type == Double.class || type == BigDecimal.class) {
            return " within ±1.7976931348623157e308";
        }
        return "";
    }

    private static String constraint(String original, int maxDepth) {
        if (original.contains("nesting depth")) {
            return "nests arrays and objects more than " + maxDepth + " levels deep (dojo.limits.max-json-depth)";
        }
        if (original.contains("Number value length") || original.contains("number value length")) {
            return "holds a number with too many digits";
        }
        if (original.contains("Name length") || original.contains("name length")) {
            return "holds a field name that is too long";
        }
        if (original.contains("String value length") || original.contains("string value length")) {
            return "holds a string that is too long";
        }
        return "is larger or more complex than this service reads";
    }

    /** Where the parser stood when it failed, as a JSON path of at most four segments. */
    private static String parserPath(JacksonException e) {
        if (!(e.processor() instanceof JsonParser parser) || parser.streamReadContext() == null) {
            return "";
        }
        List<String> segments = new ArrayList<>();
        for (TokenStreamContext c = parser.streamReadContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.currentName() != null) {
                segments.add(0, "." + Echo.of(c.currentName()));
            } else if (c.inArray()) {
                segments.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        String path = String.join("", segments.subList(0, Math.min(4, segments.size())));
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * The path a duplicate was found at. Depending on where the parser notices it, the path may end
     * with the duplicated name itself; it should appear once.
     */
    private static String duplicateParent(String path, String name) {
        if (path.equals(name)) {
            return "";
        }
        if (path.endsWith("." + name)) {
            return path.substring(0, path.length() - name.length() - 1);
        }
        return path;
    }

    private static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    private static String orBody(String path) {
        return path.isEmpty() ? "body" : path;
    }

    /** A JSON path such as {@code hyperparameters.hiddenUnits[0]}; names longer than a short prefix are cut. */
    static String path(List<JacksonException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference r : references) {
            if (r.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(Echo.of(r.getPropertyName()));
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
