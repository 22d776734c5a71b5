package dev.dojo.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * On a node without the {@code api} role, {@code /api/**} answers a 404 problem that points to an
 * api node, so that a client sent to a worker by mistake learns why instead of being served from
 * a node that is not meant to take API traffic. {@code /actuator/**} (health, Prometheus) stays.
 */
class ApiRoleFilter extends OncePerRequestFilter {

    /**
     * Registered from a configuration class rather than as a component, so that web slice tests
     * (which pick up every Filter component but not NodeSettings) leave it out.
     */
    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<ApiRoleFilter> apiRoleFilter(NodeSettings node, JsonMapper json) {
            return new FilterRegistrationBean<>(new ApiRoleFilter(node, json));
        }
    }

    private final NodeSettings node;
    private final JsonMapper json;

    ApiRoleFilter(NodeSettings node, JsonMapper json) {
        this.node = node;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return node.isApi() || !(path.equals("/api") || path.startsWith("/api/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Not an api node");
        problem.put("status", HttpStatus.NOT_FOUND.value());
        problem.put("detail", "this node is a worker; use an api node (dojo.roles=" + node.roles().stream()
                .map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList() + ")");
        problem.put("instance", request.getRequestURI());
        response.setStatus(HttpStatus.NOT_FOUND.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
