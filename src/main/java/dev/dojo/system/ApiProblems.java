package dev.dojo.system;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;

/**
 * The error answers of the OpenAPI document: every one is {@code application/problem+json} with a
 * schema of {@code #/components/schemas}. The customizers that derive an operation's 4xx answers
 * (here, and the security package's for 401 and 403) build them with these helpers; docs/api.md
 * says which operation gets which answer.
 */
public final class ApiProblems {

    public static final String MEDIA_TYPE = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    /** Every problem: RFC 9457's members, and any extension members. */
    public static final String PROBLEM = "ProblemDetail";
    /** A problem whose {@code errors} name each field at fault: every 400, and the 413s. */
    public static final String VALIDATION_PROBLEM = "ValidationProblem";
    /** One field at fault in a {@link #VALIDATION_PROBLEM}. */
    public static final String FIELD_ERROR = "FieldError";

    private ApiProblems() {}

    /** A {@code $ref} to the component schema {@code name}. */
    public static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    /** A schema of one JSON type (3.1 documents write the type as a set). */
    public static Schema<?> typed(String type) {
        return new Schema<>().type(type).types(Set.of(type));
    }

    /** A problem answer whose body has the component schema {@code schema}. */
    public static ApiResponse response(String description, String schema) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(MEDIA_TYPE, new MediaType().schema(ref(schema))));
    }

    /** Adds {@code answer} as {@code code} unless the operation lists that code already (an explicit {@code @ApiResponse} wins). */
    public static void addIfAbsent(Operation operation, String code, ApiResponse answer) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        operation.getResponses().putIfAbsent(code, answer);
    }

    /** Adds a header to an answer unless it has one of that name. */
    public static void addHeader(ApiResponse answer, String name, String description, Schema<?> schema) {
        if (answer.getHeaders() == null || !answer.getHeaders().containsKey(name)) {
            answer.addHeaderObject(name, new Header().description(description).schema(schema));
        }
    }

    /** Puts an operation's answers in the order of their codes, so a reader finds 2xx first and 4xx in order. */
    public static void sort(Operation operation) {
        ApiResponses answers = operation.getResponses();
        if (answers == null) {
            return;
        }
        ApiResponses sorted = new ApiResponses();
        answers.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .forEach(e -> sorted.addApiResponse(e.getKey(), e.getValue()));
        sorted.setExtensions(answers.getExtensions());
        operation.setResponses(sorted);
    }
}
