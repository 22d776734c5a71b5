package dev.dojo.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document at {@code /v3/api-docs} (docs/api.md): its info, license and server, and the
 * customizer that derives each operation's 4xx answers. Which key and scope each operation needs is
 * added by the security package, from the same table that authorises requests.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // Types springdoc would otherwise describe by their Java getters: what they are on the wire.
        SpringDocUtils.getConfig()
                .replaceWithSchema(JsonNode.class, new JsonSchema().description("Any JSON value")
                        .types(new LinkedHashSet<>(List.of("array", "boolean", "integer", "number", "object", "string"))))
                .replaceWithSchema(SseEmitter.class, new Schema<>().type("string").types(Set.of("string"))
                        .description("Server-Sent Events: `status`, `metric`, `checkpoint` and `end` events, each with an id"))
                .replaceWithSchema(StreamingResponseBody.class, new Schema<>().type("string").types(Set.of("string"))
                        .format("binary"));
    }

    @Bean
    OpenAPI dojoOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Dojo training service")
                        .version("v1")
                        .description("Submit training jobs, watch their metrics, download checkpoints and get predictions.\n\n"
                                + "Every request but health and this document needs an API key, sent as "
                                + "`Authorization: Bearer dojo_<id>_<secret>`; each operation says which scope it needs "
                                + "(`x-required-scope`). A node with no key yet (a laptop) needs none.\n\n"
                                + "Every error is an RFC 9457 `application/problem+json` answer; each operation lists the 4xx "
                                + "answers it can give. A method a path does not take is a 405 with an `Allow` header, and a "
                                + "malformed query string a 400, on any path.")
                        .license(new License().name("Apache License 2.0").identifier("Apache-2.0")))
                // Relative: the document describes the node that serves it, whatever its address.
                .addServersItem(new Server().url("/").description("The node that serves this document"));
    }

    @Bean
    OpenApiCustomizer problemAnswers() {
        return new ProblemAnswers();
    }
}
