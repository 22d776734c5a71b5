package dev.dojo.system;

import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TaskCatalog;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the tasks this build can train. */
@Configuration(proxyBeanMethods = false)
class TaskConfiguration {

    @Bean
    TaskCatalog taskCatalog() {
        return new TaskCatalog(List.of(new SineRegressionTask()));
    }
}
