package dev.dojo.support;

import ai.djl.Device;
import dev.dojo.training.DataSpec;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.InputKind;
import dev.dojo.training.InvalidSpecException;
import dev.dojo.training.Network;
import dev.dojo.training.Networks;
import dev.dojo.training.TaskDescription;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingResult;
import dev.dojo.training.TrainingSpec;
import dev.dojo.training.TrainingTask;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A test-only task for queue tests: each run appends its job's key (the seed) to a shared file,
 * so a test can count how often each job really ran, across any number of worker processes.
 */
@Component
@ConditionalOnProperty("dojo.test.run-log")
public class CountingTask implements TrainingTask {

    public static final String NAME = "count-runs";

    private final Path runLog;

    public CountingTask(@Value("${dojo.test.run-log}") String runLog) {
        this.runLog = Path.of(runLog);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TaskDescription describe() {
        return new TaskDescription(NAME, "Test task: records each run of a job in a shared file.", List.of(), List.of());
    }

    @Override
    public TrainingSpec resolve(Hyperparameters requested, DataSpec data) {
        if (requested == null || requested.seed() == null) {
            throw new InvalidSpecException("hyperparameters.seed", "is the job's key and is required");
        }
        return new TrainingSpec(NAME, new Hyperparameters(1, null, null, null, null, List.of(1), "relu", requested.seed(),
                null, null, null, null, null, null, null, null, null, null), DataSpec.none());
    }

    @Override
    public List<String> metrics() {
        return List.of("train_loss");
    }

    @Override
    public Network network(TrainingSpec spec) {
        return Networks.mlp(1, List.of(1), "relu", 1, new Shape(1, 1), false);
    }

    @Override
    public TrainingResult train(TrainingSpec spec, byte[] resumeFrom, TrainingListener listener, List<Device> devices) {
        byte[] line = (spec.hyperparameters().seed() + "\n").getBytes(StandardCharsets.US_ASCII);
        // A file lock excludes other processes; threads of this JVM must take turns before it.
        synchronized (CountingTask.class) {
            append(line);
        }
        listener.onMetric(1, 1, "train_loss", 0);
        listener.onEpochEnd(1);
        return new TrainingResult(TrainingResult.Outcome.COMPLETED, 1, 1);
    }

    @Override
    public long samplesPerEpoch(TrainingSpec spec) {
        return 1;
    }

    @Override
    public InputKind input() {
        return new InputKind.Number();
    }

    @Override
    public List<Object> predictions(float[][] outputs) {
        return List.of();
    }

    private void append(byte[] line) {
        try (FileChannel out = FileChannel.open(runLog, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
             FileLock lock = out.lock()) {
            out.write(ByteBuffer.wrap(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
