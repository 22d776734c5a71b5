package dev.dojo.system;

import dev.dojo.dataset.MnistFiles;
import dev.dojo.training.MnistTask;
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
    @Order(2)
    MnistTask mnistTask(NodeSettings node, DatasetSettings datasets) {
        if (!datasets.verifyChecksums() && datasets.mnistDir() != null) {
            return MnistTask.mnist(MnistFiles.unpinned("MNIST", datasets.mnistDir()));
        }
        return MnistTask.mnist(MnistFiles.mnist(datasets.mnistDir(), node.dataPath(), "dojo.datasets.mnist-dir"));
    }

    @Bean
    @Order(3)
    MnistTask fashionMnistTask(DatasetSettings datasets) {
        if (!datasets.verifyChecksums() && datasets.fashionMnistDir() != null) {
            return MnistTask.fashionMnist(MnistFiles.unpinned("Fashion-MNIST", datasets.fashionMnistDir()));
        }
        return MnistTask.fashionMnist(MnistFiles.fashionMnist(datasets.fashionMnistDir(), "dojo.datasets.fashion-mnist-dir"));
    }

    @Bean
    TaskCatalog taskCatalog(List<TrainingTask> tasks) {
        return new TaskCatalog(tasks);
    }
}
