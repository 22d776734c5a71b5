package dev.dojo.system;

import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingTask;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Registers the tasks this build can train: every {@link TrainingTask} bean, in order. */
@Configuration(proxyBeanMethods = false)
class TaskConfiguration {

    @Bean
    @Order(1)
    SineRegressionTask sineRegressionTask() {
        return new SineRegressionTask();
    }

    @Bean
    TaskCatalog taskCatalog(List<TrainingTask> tasks) {
        return new TaskCatalog(tasks);
    }
}
