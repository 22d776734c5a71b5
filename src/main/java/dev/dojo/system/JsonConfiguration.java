package dev.dojo.system;

import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How JSON bodies are read.
 * <ul>
 *   <li>NaN and Infinity get through the parser so that validation can name the field that holds
 *       them, instead of failing the whole body as unreadable.
 *   <li>A field sent twice is refused (by default the last one would silently win).
 *   <li>Arrays and objects nest at most {@code dojo.limits.max-json-depth} deep.
 * </ul>
 * The builder replaces Spring Boot's only to give the parser its limits (they belong to the
 * factory, which a customizer cannot change); Boot's customizers are applied as Boot applies them.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    @Bean
    @Scope("prototype")
    JsonMapper.Builder jsonMapperBuilder(List<JsonMapperBuilderCustomizer> customizers, LimitSettings limits) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(limits.maxJsonDepth()).build())
                .build();
        JsonMapper.Builder builder = JsonMapper.builder(factory);
        for (JsonMapperBuilderCustomizer customizer : customizers) {
            customizer.customize(builder);
        }
        return builder;
    }

    @Bean
    JsonMapperBuilderCustomizer strictReading() {
        return builder -> builder
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
