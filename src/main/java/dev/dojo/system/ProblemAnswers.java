package dev.dojo.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Derives the 4xx answers that follow from an operation's shape, so that no controller has to repeat
 * them: 400 where it takes input (a parameter or a body), 404 where it addresses a job, 406 where it
 * answers with a body, 413 and 415 where it takes a body. Every 4xx answer, explicit ones included,
 * gets an {@code application/problem+json} body with the shared schema, and every 429 a Retry-After
 * header. An explicit {@code @ApiResponse} for a code is kept (its body is made a problem); 401 and
 * 403 come from the security package, which knows what each route needs.
 */
class ProblemAnswers implements OpenApiCustomizer {

    private static final String JOB_PATH = "/api/jobs/{";

    @Override
    public void customise(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        // Replaces the schema springdoc derives from Spring's ProblemDetail class, which shows its
        // extension members as a nested "properties" object rather than as members of the problem.
        api.getComponents().addSchemas(ApiProblems.PROBLEM, problem());
        api.getComponents().addSchemas(ApiProblems.FIELD_ERROR, fieldError());
        api.getComponents().addSchemas(ApiProblems.VALIDATION_PROBLEM, validationProblem());
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            derive(path, method, operation);
            normalise(operation);
            ApiProblems.sort(operation);
        }));
    }

    private static void derive(String path, PathItem.HttpMethod method, Operation operation) {
        boolean body = operation.getRequestBody() != null;
        if (body || (operation.getParameters() != null && !operation.getParameters().isEmpty())) {
            ApiProblems.addIfAbsent(operation, "400", ApiProblems.response("The input is invalid: `errors` names each "
                    + "parameter, field or part at fault and says what it expects.", ApiProblems.VALIDATION_PROBLEM));
        }
        if (path.startsWith(JOB_PATH)) {
            String what = path.contains("/checkpoints/{") ? ", or the job has no checkpoint with this number" : "";
            ApiProblems.addIfAbsent(operation, "404", ApiProblems.response("No job with this id that this key may see "
                    + "(another tenant's job answers the same, as if it did not exist)" + what + ".", ApiProblems.PROBLEM));
        }
        Set<String> produced = produced(operation);
        if (!produced.isEmpty()) {
            ApiProblems.addIfAbsent(operation, "406", ApiProblems.response("The Accept header allows none of "
                    + String.join(", ", produced) + "; nothing was done.", ApiProblems.PROBLEM));
        }
        if (body) {
            ApiProblems.addIfAbsent(operation, "413", ApiProblems.response("The body is larger than "
                    + "dojo.limits.max-body-size (16 MB by default), or a multipart body has too many parts.",
                    ApiProblems.VALIDATION_PROBLEM));
            Content consumed = operation.getRequestBody().getContent();
            String types = consumed == null || consumed.isEmpty() ? "the types this operation takes"
                    : String.join(", ", consumed.keySet());
            ApiProblems.addIfAbsent(operation, "415", ApiProblems.response("The body's Content-Type is none of "
                    + types + ".", ApiProblems.PROBLEM));
        }
    }

    /** What the operation's successful answers can be: the types an Accept header must allow. */
    private static Set<String> produced(Operation operation) {
        Set<String> types = new LinkedHashSet<>();
        if (operation.getResponses() != null) {
            operation.getResponses().forEach((code, answer) -> {
                if (code.startsWith("2") && answer.getContent() != null) {
                    answer.getContent().keySet().stream().filter(t -> !t.equals(ApiProblems.MEDIA_TYPE)).forEach(types::add);
                }
            });
        }
        return types;
    }

    /** A success never has a problem body, and every 4xx has one (and nothing else). */
    private static void normalise(Operation operation) {
        operation.getResponses().forEach((code, answer) -> {
            if (code.startsWith("2") && answer.getContent() != null && answer.getContent().size() > 1) {
                answer.getContent().remove(ApiProblems.MEDIA_TYPE);
            }
            if (code.startsWith("4")) {
                MediaType problem = answer.getContent() == null ? null : answer.getContent().get(ApiProblems.MEDIA_TYPE);
                Schema<?> schema = problem != null && problem.getSchema() != null ? problem.getSchema()
                        : ApiProblems.ref(code.equals("400") || code.equals("413") ? ApiProblems.VALIDATION_PROBLEM : ApiProblems.PROBLEM);
                answer.setContent(new Content().addMediaType(ApiProblems.MEDIA_TYPE, new MediaType().schema(schema)));
            }
            if (code.equals("429")) {
                ApiProblems.addHeader(answer, "Retry-After", "Seconds to wait before trying again: dojo.quotas.retry-after "
                        + "for a tenant's full queue, dojo.limits.retry-after for a node's caps", ApiProblems.typed("integer").minimum(java.math.BigDecimal.ONE));
            }
        });
    }

    private static Schema<?> problem() {
        return ApiProblems.typed("object")
                .description("An RFC 9457 problem: the body of every error answer, the security filter's and the "
                        + "container's included. Some problems carry extension members, such as `requiredScope` on a 403 "
                        + "or `jobStatus` on a 409 of cancel.")
                .addProperty("type", ApiProblems.typed("string").format("uri-reference")
                        .description("What kind of problem; `about:blank` (or absent) when the status says it all, "
                                + "https://dojo.dev/problems/invalid-input when `errors` name the fields at fault"))
                .addProperty("title", ApiProblems.typed("string").description("A short summary of the problem"))
                .addProperty("status", ApiProblems.typed("integer").format("int32").minimum(java.math.BigDecimal.valueOf(400))
                        .maximum(java.math.BigDecimal.valueOf(599)).description("The HTTP status code"))
                .addProperty("detail", ApiProblems.typed("string").description("What went wrong with this request, in the API's words"))
                .addProperty("instance", ApiProblems.typed("string").format("uri-reference").description("The request's path (at most 100 characters)"))
                .required(new ArrayList<>(List.of("title", "status")))
                .additionalProperties(Boolean.TRUE);
    }

    private static Schema<?> fieldError() {
        return ApiProblems.typed("object")
                .description("One field at fault and what it expects")
                .addProperty("field", ApiProblems.typed("string").description("The parameter, JSON field (such as "
                        + "`hyperparameters.learningRate` or `instances[3]`) or part at fault; `body` or `query` when the "
                        + "whole body or query string is"))
                .addProperty("message", ApiProblems.typed("string").description("What it expects, such as `must be 600 or less`"))
                .required(new ArrayList<>(List.of("field", "message")));
    }

    private static Schema<?> validationProblem() {
        Schema<?> errors = ApiProblems.typed("array").items(ApiProblems.ref(ApiProblems.FIELD_ERROR))
                .description("Each field at fault, in the order they were found");
        Schema<?> own = ApiProblems.typed("object").addProperty("errors", errors)
                .required(new ArrayList<>(List.of("errors")));
        return new Schema<>().description("A problem with the input: `errors` names each field at fault")
                .allOf(new ArrayList<>(List.of(ApiProblems.ref(ApiProblems.PROBLEM), own)));
    }
}
