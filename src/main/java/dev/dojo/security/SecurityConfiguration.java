package dev.dojo.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The filter chain: stateless (no session, no cookie), bearer keys read by Spring Security's own
 * {@link AuthenticationFilter} with {@link BearerKeys} as its converter and provider, every route
 * authorised by the {@link Access} table, and every refusal an {@code application/problem+json} answer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

    /** The page's policy: its own scripts, styles and images only, never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * Swagger UI's pages ({@code /swagger-ui/**}): the same, but for the one inline style Swagger UI writes,
     * the {@code <style>} in its logo's SVG, allowed by its hash (not {@code 'unsafe-inline'}). Swagger UI
     * of another version may write another; the browser test then fails naming the new hash.
     */
    static final String SWAGGER_UI_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self';",
            "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';");

    private static final String CONTENT_SECURITY_POLICY_HEADER = "Content-Security-Policy";

    @Bean
    SecurityFilterChain filterChain(HttpSecurity http, BearerKeys keys, ProblemWriter problems) throws Exception {
        RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
        AuthenticationFilter authentication = new AuthenticationFilter(new ProviderManager(keys), keys);
        authentication.setSecurityContextRepository(contexts);
        // Open routes (health, the API document, the page) read no key: a stale or wrong key there is
        // no reason to refuse a health probe.
        authentication.setRequestMatcher(request -> !Access.needed(request.getMethod(), path(request)).open());
        // On success the request goes on down the chain (the handler's default for a filter chain).
        authentication.setSuccessHandler((request, response, result) -> {});
        authentication.setFailureHandler((request, response, e) -> problems.unauthorized(response, e.getMessage(), true));
        AuthorizationManager<RequestAuthorizationContext> byTable = (auth, context) -> {
            HttpServletRequest request = context.getRequest();
            return new AuthorizationDecision(Access.needed(request.getMethod(), path(request)).grants(caller(auth.get())));
        };
        http.csrf(c -> c.disable())
                .cors(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(contexts))
                .addFilterAt(authentication, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .anyRequest().access(byTable))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> problems.unauthorized(response,
                                "This request needs an API key: send it as Authorization: Bearer <key>.", false))
                        .accessDeniedHandler((request, response, ex) ->
                                problems.forbidden(response, Access.needed(request.getMethod(), path(request)).scope())))
                .headers(h -> {
                    // Before the handler, not after: an event stream's response is written by another
                    // thread once the handler returns, and headers added then would race with it.
                    h.addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                        @Override
                        public <O extends HeaderWriterFilter> O postProcess(O filter) {
                            filter.setShouldWriteHeadersEagerly(true);
                            return filter;
                        }
                    });
                    h.addHeaderWriter((request, response) -> {
                        if (!response.containsHeader(CONTENT_SECURITY_POLICY_HEADER)) {
                            response.setHeader(CONTENT_SECURITY_POLICY_HEADER,
                                    path(request).startsWith("/swagger-ui/") ? SWAGGER_UI_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY);
                        }
                    });
                    h.frameOptions(f -> f.deny())
                            .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER));
                });
        return http.build();
    }

    /**
     * Spring Security's firewall, with some of its refusals handed to Tomcat and Spring MVC instead: a
     * method it does not know gets MVC's 405, and a double-encoded character in an id MVC's 404.
     */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setUnsafeAllowAnyHttpMethod(true);
        firewall.setAllowUrlEncodedPercent(true);
        // Tomcat itself refuses a plain encoded slash; one that was double-encoded is just an unknown id.
        firewall.setAllowUrlEncodedSlash(true);
        return firewall;
    }

    private static Caller caller(Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof Caller c ? c : null;
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }
}
