package dev.dojo.plot;

import ai.djl.Device;
import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.dataset.SineData;
import dev.dojo.job.JobService;
import dev.dojo.job.JobSpec;
import dev.dojo.system.DomainProblem;
import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainedModel;
import dev.dojo.training.TrainingTask;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** Builds a job's plots from its metric rows, its spec and its latest checkpoint. */
@Service
class Plots {

    /** More points than this per series only slow the browser; the curve's shape survives striding. */
    static final int MAX_POINTS = 2000;
    static final int FIT_POINTS = 200;

    private final JdbcTemplate jdbc;
    private final JobService jobs;
    private final TaskCatalog tasks;
    private final CheckpointStore checkpoints;

    Plots(JdbcTemplate jdbc, JobService jobs, TaskCatalog tasks, CheckpointStore checkpoints) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.tasks = tasks;
        this.checkpoints = checkpoints;
    }

    String loss(String jobId) {
        jobs.requireExists(jobId);
        SvgChart chart = new SvgChart("Loss of job " + jobId, "step", "loss", hasRows(jobId, "test_accuracy") ? "test accuracy" : null);
        chart.add(series(jobId, "train_loss", "train loss per logged step", "#1f5fa8", true, false, false));
        for (String[] s : new String[][] {{"epoch_train_loss", "train loss per epoch", "#b3261e"}, {"test_loss", "test loss per epoch", "#b35900"}}) {
            if (hasRows(jobId, s[0])) {
                chart.add(series(jobId, s[0], s[1], s[2], true, true, false));
            }
        }
        if (hasRows(jobId, "test_accuracy")) {
            chart.add(series(jobId, "test_accuracy", "test accuracy (right axis)", "#1a7f37", true, true, true));
        }
        return chart.render();
    }

    /** The seed's picture: noisy targets, the trained model's curve, the untrained network's curve. */
    String fit(String jobId) {
        JobSpec spec = jobs.spec(jobId);
        if (!SineRegressionTask.NAME.equals(spec.task())) {
            throw new DomainProblem(HttpStatus.NOT_FOUND, "No fit plot", "Job " + jobId + " is a " + spec.task()
                    + " job; the fit plot is drawn for sine-regression jobs only.");
        }
        TrainingTask task = tasks.get(spec.task());
        SineData data = SineData.generate(spec.data().samples(), spec.data().noise(), spec.training().hyperparameters().seed());
        double[] x = new double[FIT_POINTS];
        float[] in = new float[FIT_POINTS];
        for (int i = 0; i < FIT_POINTS; i++) {
            x[i] = -1 + 2.0 * i / (FIT_POINTS - 1);
            in[i] = (float) x[i];
        }
        SvgChart chart = new SvgChart("Fit of job " + jobId, "x", "y", null);
        double[] tx = new double[data.inputs().length];
        double[] ty = new double[tx.length];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = data.inputs()[i];
            ty[i] = data.targets()[i];
        }
        chart.add(new SvgChart.Series("targets", "targets: sin(3.14x) + noise", "#555555", tx, ty, false, true, false));
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

    private boolean hasRows(String jobId, String name) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT COUNT(*) > 0 FROM job_metric WHERE job_id = ? AND name = ?", Boolean.class, jobId, name));
    }

    private SvgChart.Series series(String jobId, String name, String label, String colour, boolean line, boolean dots, boolean right) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM job_metric WHERE job_id = ? AND name = ?", Integer.class, jobId, name);
        int stride = Math.max(1, (count == null ? 0 : count) / MAX_POINTS + 1);
        List<double[]> points = new ArrayList<>();
        int[] index = {0};
        jdbc.query("SELECT step, metric_value FROM job_metric WHERE job_id = ? AND name = ? ORDER BY step", rs -> {
            if (index[0]++ % stride == 0 || rs.isLast()) {
                points.add(new double[] {rs.getLong(1), rs.getDouble(2)});
            }
        }, jobId, name);
        double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
        return new SvgChart.Series(name, label, colour, xs, ys, line, dots && xs.length <= 200, right);
    }

    private static double[] column(float[][] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][0];
        }
        return out;
    }
}
