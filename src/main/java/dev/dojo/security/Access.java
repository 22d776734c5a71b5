package dev.dojo.security;

import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * What each route needs, in one table: nothing (open), any valid key, or a key with a given scope.
 * The authorization check and the 403 answer that names the missing scope both read it.
 */
final class Access {

    /** What a route needs. */
    record Need(boolean open, Scope scope) {
        static final Need OPEN = new Need(true, null);
        static final Need ANY_KEY = new Need(false, null);

        static Need scope(Scope scope) {
            return new Need(false, scope);
        }

        boolean grants(Caller caller) {
            return open || (caller != null && (scope == null || caller.has(scope)));
        }
    }

    private record Rule(HttpMethod method, PathPattern path, Need need) {}

    private static final PathPatternParser PARSER = new PathPatternParser();

    /** First match wins. */
    private static final List<Rule> RULES = List.of(
            rule(null, "/actuator/health", Need.OPEN),
            rule(null, "/actuator/health/**", Need.OPEN),
            rule(null, "/actuator/**", Need.scope(Scope.METRICS)),
            rule(HttpMethod.GET, "/v3/api-docs/**", Need.OPEN),
            rule(HttpMethod.GET, "/swagger-ui/**", Need.OPEN),
            rule(HttpMethod.GET, "/swagger-ui.html", Need.OPEN),
            rule(null, "/api/keys/**", Need.scope(Scope.ADMIN)),
            rule(null, "/api/tenants/**", Need.scope(Scope.ADMIN)),
            rule(null, "/api/workers/**", Need.scope(Scope.ADMIN)),
            rule(HttpMethod.GET, "/api/tasks/**", Need.ANY_KEY),
            rule(HttpMethod.POST, "/api/jobs/*/predictions", Need.scope(Scope.PREDICT)),
            rule(HttpMethod.DELETE, "/api/jobs/*", Need.scope(Scope.JOBS_WRITE)),
            // Every read of a job, its checkpoints and its exported weights (GET /api/jobs/{id}/export).
            rule(HttpMethod.GET, "/api/jobs/*/export", Need.scope(Scope.JOBS_READ)),
            rule(HttpMethod.GET, "/api/jobs/**", Need.scope(Scope.JOBS_READ)),
            rule(HttpMethod.HEAD, "/api/jobs/**", Need.scope(Scope.JOBS_READ)),
            rule(null, "/api/jobs/**", Need.scope(Scope.JOBS_WRITE)),
            rule(HttpMethod.GET, "/api/sweeps/**", Need.scope(Scope.JOBS_READ)),
            rule(null, "/api/sweeps/**", Need.scope(Scope.JOBS_WRITE)),
            rule(HttpMethod.GET, "/api/compare/**", Need.scope(Scope.JOBS_READ)),
            rule(null, "/api/**", Need.ANY_KEY),
            rule(null, "/**", Need.OPEN));

    private Access() {}

    private static Rule rule(HttpMethod method, String path, Need need) {
        return new Rule(method, PARSER.parse(path), need);
    }

    /** What a request to {@code path} (without the context path) with {@code method} needs. */
    static Need needed(String method, String path) {
        var container = org.springframework.http.server.PathContainer.parsePath(path);
        Optional<Rule> rule = RULES.stream()
                .filter(r -> (r.method() == null || r.method().matches(method)) && r.path().matches(container))
                .findFirst();
        return rule.map(Rule::need).orElse(Need.ANY_KEY);
    }
}
