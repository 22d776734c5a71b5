package dev.dojo.security;

import dev.dojo.system.ApiProblems;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * What each operation of the OpenAPI document needs, read from {@link Access} (the table that
 * authorises requests) so that the document cannot drift from what is enforced: the bearer scheme,
 * a key required everywhere but on open routes, each operation's scope as {@code x-required-scope},
 * as a sentence in its description, and as the role names of its security requirement (OpenAPI 3.1
 * lets a non-OAuth scheme list them), and the 401 and 403 problems it can give.
 */
@Component
class OpenApiSecurity implements OpenApiCustomizer {

    static final String SCHEME = "bearerKey";
    static final String REQUIRED_SCOPE = "x-required-scope";
    static final String SCOPE_PROBLEM = "ScopeProblem";

    @Override
    public void customise(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        api.getComponents().addSecuritySchemes(SCHEME, new SecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .bearerFormat("dojo_<id>_<secret>")
                .description("An API key, sent as `Authorization: Bearer dojo_<id>_<secret>`. `POST /api/keys` (admin) "
                        + "creates one and shows it once; `dojo.security.bootstrap-key` makes sure an admin key exists at "
                        + "start. Scopes: jobs:read, jobs:write, predict, metrics, admin (admin includes every other). "
                        + "While no key exists and none is configured, a node listens on 127.0.0.1 only and needs no key."));
        api.getComponents().addSchemas(SCOPE_PROBLEM, scopeProblem());
        api.setSecurity(new ArrayList<>(List.of(new SecurityRequirement().addList(SCHEME))));
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            describe(operation, Access.needed(method.name(), example(path)));
            ApiProblems.sort(operation);
        }));
    }

    private static void describe(Operation operation, Access.Need need) {
        if (need.open()) {
            operation.setSecurity(new ArrayList<>());
            append(operation, "**Access:** open; no key needed.");
            ApiProblems.addIfAbsent(operation, "401", unauthorized("A key was sent and it is malformed, unknown or revoked: "
                    + "this operation needs none, so send none."));
            return;
        }
        ApiProblems.addIfAbsent(operation, "401", unauthorized("No API key, or a malformed, unknown or revoked one."));
        if (need.scope() == null) {
            append(operation, "**Access:** any valid API key, whatever its scopes.");
            return;
        }
        Scope scope = need.scope();
        operation.addExtension(REQUIRED_SCOPE, scope.value());
        List<SecurityRequirement> either = new ArrayList<>();
        either.add(new SecurityRequirement().addList(SCHEME, scope.value()));
        if (scope != Scope.ADMIN) {
            either.add(new SecurityRequirement().addList(SCHEME, Scope.ADMIN.value()));
        }
        operation.setSecurity(either);
        String orAdmin = scope == Scope.ADMIN ? "" : " (or `admin`)";
        append(operation, "**Access:** an API key with the scope `" + scope.value() + "`" + orAdmin + ".");
        ApiProblems.addIfAbsent(operation, "403", ApiProblems.response("The key lacks the scope `" + scope.value() + "`"
                + orAdmin + "; `requiredScope` names it.", SCOPE_PROBLEM));
    }

    private static ApiResponse unauthorized(String description) {
        ApiResponse answer = ApiProblems.response(description, ApiProblems.PROBLEM);
        ApiProblems.addHeader(answer, "WWW-Authenticate", "`Bearer realm=\"dojo\"`, with `error=\"invalid_token\"` when a key "
                + "was sent", ApiProblems.typed("string"));
        return answer;
    }

    private static void append(Operation operation, String sentence) {
        String description = operation.getDescription();
        operation.setDescription(description == null || description.isBlank() ? sentence : description + "\n\n" + sentence);
    }

    /** A request path the document's path template stands for: each {variable} becomes one segment. */
    static String example(String template) {
        return template.replaceAll("\\{[^}/]*}", "x");
    }

    private static Schema<?> scopeProblem() {
        Schema<String> scopes = new Schema<String>().type("string").types(Set.of("string")).description("The scope this request needs");
        scopes.setEnum(new ArrayList<>(Arrays.stream(Scope.values()).map(Scope::value).toList()));
        Schema<?> own = ApiProblems.typed("object")
                .addProperty("requiredScope", scopes)
                .required(new ArrayList<>(List.of("requiredScope")));
        return new Schema<>().description("A key without the scope a request needs")
                .allOf(new ArrayList<>(List.of(ApiProblems.ref(ApiProblems.PROBLEM), own)));
    }
}
