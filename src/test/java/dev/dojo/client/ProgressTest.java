package dev.dojo.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The CI-log progress lines, for a job the stream first sees running and for one it first sees ended. */
class ProgressTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String view(String status, int epoch, double fraction) {
        return "{\"id\":\"j1\",\"status\":\"" + status + "\",\"progress\":{\"epoch\":" + epoch + ",\"epochs\":30,\"fraction\":" + fraction
                + "},\"latestMetrics\":{\"train_loss\":{\"value\":0.0123,\"epoch\":" + epoch + ",\"step\":" + epoch + "}}}";
    }

    @Test
    void aJobThatEndedBeforeTheStreamSawItRunningStillGetsOneProgressLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        progress.job(JSON.readTree(view("QUEUED", 0, 0)));
        progress.job(JSON.readTree(view("SUCCEEDED", 30, 1.0)));
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "dojo: job j1 QUEUED", "dojo: epoch 30/30 100%  train_loss 0.012300  eta 0:00", "dojo: job j1 SUCCEEDED");
    }

    @Test
    void aRunningJobPrintsALineAtItsFirstEpochAndEachTenthAndNoSummaryAtTheEnd() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        for (int epoch = 1; epoch <= 30; epoch++) {
            progress.job(JSON.readTree(view("RUNNING", epoch, epoch / 30.0)));
        }
        progress.job(JSON.readTree(view("SUCCEEDED", 30, 1.0)));
        String err = out.toString(StandardCharsets.UTF_8);
        assertThat(err.lines().filter(l -> l.startsWith("dojo: epoch ")).count()).as("the first epoch, then one line per tenth").isEqualTo(11);
        assertThat(err).endsWith("dojo: job j1 SUCCEEDED" + System.lineSeparator());
    }
}
