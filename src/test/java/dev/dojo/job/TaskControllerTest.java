package dev.dojo.job;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TaskCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.MockMvc;

/** The task controller in a web slice, with the real catalog and the real problem handler. */
@WebMvcTest(TaskController.class)
class TaskControllerTest {

    @TestConfiguration
    static class Catalog {
        @Bean
        TaskCatalog taskCatalog() {
            return new TaskCatalog(List.of(new SineRegressionTask()));
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void listsEachTaskWithDefaultsAndRanges() throws Exception {
        mvc.perform(get("/api/tasks"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].name").value("sine-regression"))
                .andExpect(jsonPath("$[0].hyperparameters[?(@.name == 'hiddenUnits')].defaultValue[0]").value(512))
                .andExpect(jsonPath("$[0].hyperparameters[?(@.name == 'optimizer')].allowed[1]").value("sgd"))
                .andExpect(jsonPath("$[0].data[?(@.name == 'samples')].defaultValue").value(64));
    }

    @Test
    void wrongMethodIsAProblem() throws Exception {
        mvc.perform(post("/api/tasks"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(content().contentType("application/problem+json"));
    }
}
