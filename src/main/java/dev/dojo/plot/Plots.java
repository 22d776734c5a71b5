package dev.dojo.plot;

import ai.djl.Device;
import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.metric.MetricStore;
import dev.dojo.queue.TenantScope;
import dev.dojo.job.JobService;
import dev.dojo.job.JobSpec;
import dev.dojo.system.DomainProblem;
import dev.dojo.training.FitData;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainedModel;
import dev.dojo.training.TrainingTask;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Builds a job's plots from its metric rows, its spec and its latest checkpoint. */
@Service
class Plots {

    /** More points than this per series only slow the browser; the curve's shape survives striding. */
    static final int MAX_POINTS = 2000;
    static final int FIT_POINTS = 200;

    private final MetricStore metrics;
    private final JobService jobs;
    private final TaskCatalog tasks;
    private final CheckpointStore checkpoints;

    Plots(MetricStore metrics, JobService jobs, TaskCatalog tasks, CheckpointStore checkpoints) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.tasks = tasks;
        this.checkpoints = checkpoints;
    }

    String loss(String jobId, TenantScope scope) {
        jobs.requireVisible(jobId, scope);
        List<double[]> accuracy = metrics.series(jobId, "test_accuracy", MAX_POINTS);
        SvgChart chart = new SvgChart("Loss of job " + jobId, "step", "loss", accuracy.isEmpty() ? null : "test accuracy");
        chart.add(series("train_loss", metrics.series(jobId, "train_loss", MAX_POINTS), "train loss per logged step", "#1f5fa8",
                false, false));
        for (String[] s : new String[][] {{"epoch_train_loss", "train loss per epoch", "#b3261e"}, {"test_loss", "test loss per epoch", "#b35900"}}) {
            List<double[]> points = metrics.series(jobId, s[0], MAX_POINTS);
            if (!points.isEmpty()) {
                chart.add(series(s[0], points, s[1], s[2], true, false));
            }
        }
        if (!accuracy.isEmpty()) {
            chart.add(series("test_accuracy", accuracy, "test accuracy (right axis)", "#1a7f37", true, true));
        }
        return chart.render();
    }

    /** The seed's picture for a curve-fitting task: its training points, the trained model's curve, the untrained network's. */
    String fit(String jobId, TenantScope scope) {
        JobSpec spec = jobs.spec(jobId, scope).spec();
        TrainingTask task = tasks.get(spec.task());
        FitData data = task.fit(spec.training()).orElseThrow(() -> new DomainProblem(HttpStatus.NOT_FOUND, "No fit plot",
                "Job " + jobId + " is a " + spec.task() + " job; the fit plot is drawn for tasks that fit a curve, such as sine-regression."));
        double[] x = new double[FIT_POINTS];
        float[] in = new float[FIT_POINTS];
        for (int i = 0; i < FIT_POINTS; i++) {
            x[i] = data.xMin() + (data.xMax() - data.xMin()) * i / (FIT_POINTS - 1);
            in[i] = (float) x[i];
        }
        SvgChart chart = new SvgChart("Fit of job " + jobId, "x", "y", null);
        chart.add(new SvgChart.Series("targets", data.description(), "#555555", data.x(), data.y(), false, true, false));
        try (TrainedModel untrained = TrainedModel.untrained(task, spec.training(), Device.cpu())) {
            chart.add(new SvgChart.Series("untrained", "untrained network (same seed)", "#b35900", x, column(untrained.forward(in, FIT_POINTS)),
                    true, false, false));
        }
        checkpoints.latest(jobId).ifPresent(c -> {
            try (TrainedModel trained = TrainedModel.load(task, spec.training(), checkpoints.read(jobId, c.number()), Device.cpu())) {
                chart.add(new SvgChart.Series("trained", "trained (checkpoint " + c.number() + ", step " + c.step() + ")", "#1f5fa8", x,
                        column(trained.forward(in, FIT_POINTS)), true, false, false));
            }
        });
        return chart.render();
    }

    private static SvgChart.Series series(String name, List<double[]> points, String label, String colour, boolean dots,
                                          boolean right) {
        double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
        return new SvgChart.Series(name, label, colour, xs, ys, true, dots && xs.length <= 200, right);
    }

    private static double[] column(float[][] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][0];
        }
        return out;
    }
}
