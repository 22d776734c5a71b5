package dev.dojo.system;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Lets NaN and Infinity through the JSON parser so that validation can name the field that holds
 * them, instead of failing the whole body as unreadable.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer nonNumericNumbers() {
        return builder -> builder.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
    }
}
