package dev.dojo.training;

import java.util.ArrayList;
import java.util.List;

/** Keeps everything a run reports, and stops it when told to. */
class RecordingListener implements TrainingListener {

    record Point(int epoch, long step, String name, double value) {}

    record Saved(int epoch, long step, byte[] bytes) {}

    final List<Point> metrics = new ArrayList<>();
    final List<Saved> checkpoints = new ArrayList<>();
    final List<Evaluation> evaluations = new ArrayList<>();
    int stopAfterMetrics = Integer.MAX_VALUE;
    boolean gracefully;

    @Override
    public void onMetric(int epoch, long step, String name, double value) {
        metrics.add(new Point(epoch, step, name, value));
    }

    @Override
    public void onCheckpoint(int epoch, long step, byte[] checkpoint) {
        checkpoints.add(new Saved(epoch, step, checkpoint));
    }

    @Override
    public void onEvaluation(Evaluation evaluation) {
        evaluations.add(evaluation);
    }

    @Override
    public boolean shouldStop() {
        return metrics.size() >= stopAfterMetrics;
    }

    @Override
    public boolean checkpointOnStop() {
        return gracefully;
    }

    List<Double> values(String name) {
        return metrics.stream().filter(p -> p.name().equals(name)).map(Point::value).toList();
    }
}
