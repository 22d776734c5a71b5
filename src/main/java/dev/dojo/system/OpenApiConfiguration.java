package dev.dojo.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The title and description Swagger UI shows above the endpoints. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI dojoOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Dojo training service")
                .version("v1")
                .description("Submit training jobs, watch their metrics, download checkpoints and get predictions. "
                        + "Errors are RFC 9457 problem details."));
    }
}
