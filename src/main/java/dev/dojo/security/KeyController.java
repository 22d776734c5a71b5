package dev.dojo.security;

import dev.dojo.system.DomainProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Keys", description = "API keys: create (the key is shown once), list, revoke. Needs the admin scope.")
class KeyController {

    /** Tenant names: lower-case letters, digits and dashes, like a Kubernetes namespace. */
    static final Pattern TENANT = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");
    private static final int MAX_NAME = 100;

    /** A key to create. */
    @Schema(example = "{\"tenant\": \"team-a\", \"scopes\": [\"jobs:read\", \"jobs:write\", \"predict\"], \"name\": \"ci\"}")
    record KeyRequest(
            @Schema(description = "The tenant the key acts for: 1 to 64 lower-case letters, digits and dashes") String tenant,
            @Schema(description = "Any of jobs:read, jobs:write, predict, metrics, admin") List<String> scopes,
            @Schema(description = "A label for people, up to 100 characters; optional") String name) {}

    /** A created key: the only answer that ever holds {@code key}. */
    record CreatedKey(String id, String key, String tenant, Set<Scope> scopes, String name, Instant createdAt) {}

    /** A key as listed: never its secret. */
    record KeyView(String id, String tenant, Set<Scope> scopes, String name, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {}

    private final KeyStore keys;

    KeyController(KeyStore keys) {
        this.keys = keys;
    }

    @PostMapping(value = "/api/keys", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create an API key", description = "Answers 201 with the key, written dojo_<id>_<secret>. It is "
            + "shown this once: the service keeps only its SHA-256. Present it as Authorization: Bearer <key>.")
    @ApiResponse(responseCode = "201", description = "Created: the only answer that holds `key`")
    ResponseEntity<CreatedKey> create(@RequestBody(required = false) KeyRequest request) {
        if (request == null) {
            throw DomainProblem.badField("Invalid key request", "body",
                    "is empty; send {\"tenant\": \"team-a\", \"scopes\": [\"jobs:read\", \"jobs:write\"], \"name\": \"ci\"}");
        }
        List<String> problems = new ArrayList<>();
        if (request.tenant() == null || !TENANT.matcher(request.tenant()).matches()) {
            problems.add("tenant");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (request.scopes() == null || request.scopes().isEmpty() || request.scopes().size() > Scope.values().length) {
            problems.add("scopes");
        } else {
            for (int i = 0; i < request.scopes().size(); i++) {
                String s = request.scopes().get(i);
                if (s == null || Scope.parse(s).isEmpty()) {
                    throw DomainProblem.badField("Invalid key request", "scopes[" + i + "]",
                            "must be one of jobs:read, jobs:write, predict, metrics, admin");
                }
                scopes.add(Scope.parse(s).get());
            }
        }
        if (request.name() != null && (request.name().isBlank() || request.name().length() > MAX_NAME)) {
            problems.add("name");
        }
        if (!problems.isEmpty()) {
            String field = problems.get(0);
            throw DomainProblem.badField("Invalid key request", field, switch (field) {
                case "tenant" -> "must be 1 to 64 lower-case letters, digits and dashes, starting and ending with a letter or digit";
                case "scopes" -> "must hold 1 to 5 of jobs:read, jobs:write, predict, metrics, admin";
                default -> "must be 1 to " + MAX_NAME + " characters";
            });
        }
        KeyStore.CreatedKey created = keys.create(request.tenant(), scopes, request.name());
        KeyStore.ApiKey k = created.key();
        return ResponseEntity.created(URI.create("/api/keys/" + k.id()))
                .body(new CreatedKey(k.id(), created.secret(), k.tenant(), k.scopes(), k.name(), k.createdAt()));
    }

    @GetMapping(value = "/api/keys", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List API keys (never their secrets), newest first, with when each was last used")
    List<KeyView> list(@RequestParam(required = false) String tenant) {
        if (tenant != null && !TENANT.matcher(tenant).matches()) {
            throw DomainProblem.badField("Invalid parameter", "tenant", "must be 1 to 64 lower-case letters, digits and dashes");
        }
        return keys.list(tenant).stream()
                .map(k -> new KeyView(k.id(), k.tenant(), k.scopes(), k.name(), k.createdAt(), k.lastUsedAt(), k.revokedAt()))
                .toList();
    }

    @DeleteMapping("/api/keys/{id}")
    @Operation(summary = "Revoke an API key", description = "204; every node refuses the key within 2 s. 404 for an unknown "
            + "key, 409 for one already revoked.")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "404", description = "No API key with this id")
    @ApiResponse(responseCode = "409", description = "The key was revoked already")
    ResponseEntity<Void> revoke(@PathVariable String id) {
        if (id.length() > 40 || !keys.exists(id)) {
            throw new DomainProblem(HttpStatus.NOT_FOUND, "Key not found", "No API key with that id.");
        }
        if (!keys.revoke(id)) {
            throw new DomainProblem(HttpStatus.CONFLICT, "Key already revoked", "That API key was revoked already.");
        }
        return ResponseEntity.noContent().build();
    }
}
