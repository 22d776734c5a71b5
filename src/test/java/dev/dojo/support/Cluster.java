package dev.dojo.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A split deployment on this machine: one api-only JVM and any number of worker-only JVMs, all on
 * one PostgreSQL schema, with short leases so that takeovers happen in seconds. Tests talk to the
 * api over HTTP and read the database directly for what the API does not show.
 */
public final class Cluster implements AutoCloseable {

    private final Postgres postgres;
    private final List<String> common;
    private final NodeProcess api;
    private final List<NodeProcess> workers = new CopyOnWriteArrayList<>();
    private final JdbcTemplate jdbc;
    private final Api http;
    private int started;

    public Cluster(String purpose, Map<String, String> settings) {
        this.postgres = new Postgres(purpose);
        List<String> args = new ArrayList<>(postgres.springArgs());
        settings.forEach((k, v) -> args.add("--" + k + "=" + v));
        this.common = List.copyOf(args);
        List<String> apiArgs = new ArrayList<>(common);
        apiArgs.add("--dojo.roles=api");
        this.api = NodeProcess.start(purpose + "-api", apiArgs);
        DriverManagerDataSource ds = new DriverManagerDataSource(postgres.url(), "postgres", "");
        this.jdbc = new JdbcTemplate(ds);
        this.http = new Api(api.port());
    }

    /** Starts one more api-only JVM (node id {@code name}) on the same database, and waits until it is ready. */
    public NodeProcess startApi(String name) {
        List<String> args = new ArrayList<>(common);
        args.add("--dojo.roles=api");
        return NodeProcess.start(name, args).awaitReady(Duration.ofMinutes(3));
    }

    /** Starts worker JVMs without waiting for them. */
    public void startWorkers(int count) {
        for (int i = 0; i < count; i++) {
            List<String> args = new ArrayList<>(common);
            args.add("--dojo.roles=worker");
            workers.add(NodeProcess.start(postgres.schema() + "-w" + (started++), args));
        }
    }

    /** Starts one more worker in the background and returns at once. */
    public CompletableFuture<NodeProcess> startWorkerAsync() {
        List<String> args = new ArrayList<>(common);
        args.add("--dojo.roles=worker");
        NodeProcess w = NodeProcess.start(postgres.schema() + "-w" + (started++), args);
        workers.add(w);
        return CompletableFuture.supplyAsync(() -> w.awaitReady(Duration.ofMinutes(3)));
    }

    public Cluster awaitReady() {
        api.awaitReady(Duration.ofMinutes(3));
        workers.forEach(w -> w.awaitReady(Duration.ofMinutes(3)));
        return this;
    }

    public Api api() {
        return http;
    }

    public NodeProcess apiNode() {
        return api;
    }

    public JdbcTemplate db() {
        return jdbc;
    }

    public List<NodeProcess> workers() {
        return workers;
    }

    /** The worker process that holds the job now, if any. */
    public Optional<NodeProcess> holderOf(String jobId) {
        List<String> holder = jdbc.queryForList(
                "SELECT worker_id FROM training_job WHERE id = ? AND status = 'RUNNING'", String.class, jobId);
        if (holder.isEmpty() || holder.get(0) == null) {
            return Optional.empty();
        }
        String node = holder.get(0).substring(0, holder.get(0).indexOf('/'));
        return workers.stream().filter(w -> w.name().equals(node)).findFirst();
    }

    @Override
    public void close() {
        workers.forEach(NodeProcess::close);
        api.close();
        postgres.close();
    }
}
