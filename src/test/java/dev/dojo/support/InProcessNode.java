package dev.dojo.support;

import dev.dojo.DojoApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Dojo node as a Spring context of its own inside the test's JVM, on a random port and a data
 * directory of its own: several of them share one PostgreSQL schema as separate nodes would, at a
 * fraction of a JVM's start-up cost. Use {@link NodeProcess} where the scenario needs a real process.
 */
public final class InProcessNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private InProcessNode(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts a node named {@code nodeId} with these Spring arguments ({@code --key=value}); throws when it fails to start. */
    public static InProcessNode start(String nodeId, List<String> args) {
        return start(nodeId, "target/test-data/" + nodeId + "-" + UUID.randomUUID(), args);
    }

    /** Starts a node on the data directory {@code dataDir}: a second start on it is a restart (the same H2 file). */
    public static InProcessNode start(String nodeId, String dataDir, List<String> args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--dojo.node-id=" + nodeId, "--dojo.data-dir=" + dataDir));
        all.addAll(args);
        return new InProcessNode(new SpringApplicationBuilder(DojoApplication.class).run(all.toArray(String[]::new)));
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /** A client of this node, without a key. */
    public Api api() {
        return new Api(port());
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
