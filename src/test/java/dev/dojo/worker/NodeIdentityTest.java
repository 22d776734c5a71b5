package dev.dojo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import dev.dojo.support.InProcessNode;
import dev.dojo.support.NodeProcess;
import dev.dojo.support.Postgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Node identity on one PostgreSQL schema: a second node that claims the id of a live node refuses to
 * start, naming the id and the setting, and leaves the first node's running job alone; and two
 * processes started without {@code dojo.node-id} or {@code HOSTNAME} pick ids of their own.
 */
class NodeIdentityTest {

    @Test
    void aSecondNodeWithALiveNodesIdRefusesToStartAndLeavesItsJobAlone() {
        try (Postgres pg = new Postgres("twins")) {
            List<String> args = new ArrayList<>(pg.springArgs());
            args.addAll(List.of("--dojo.worker.heartbeat-interval=1s", "--dojo.worker.poll-interval=100ms"));
            try (InProcessNode first = InProcessNode.start("twin", with(args, "--dojo.roles=api,worker"))) {
                Api api = first.api();
                String job = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":100000}}");
                await().atMost(Duration.ofMinutes(1)).until(() -> "RUNNING".equals(api.get("/api/jobs/" + job).json().get("status").asString()));

                assertThatThrownBy(() -> InProcessNode.start("twin", with(args, "--dojo.roles=worker")).close())
                        .satisfies(e -> assertThat(messages(e))
                                .contains("dojo.node-id=twin is in use by a live node")
                                .contains("DOJO_NODE_ID"));

                JsonNode still = api.get("/api/jobs/" + job).json();
                assertThat(still.get("status").asString()).isEqualTo("RUNNING");
                assertThat(still.get("workerId").asString()).isEqualTo("twin/0");
                assertThat(still.get("attempt").asInt()).isEqualTo(1);
                assertThat(still.get("attempts")).hasSize(1);
                assertThat(still.get("attempts").get(0).get("outcome").isNull()).as("the first attempt is not marked LOST").isTrue();
                assertThat(api.post("/api/jobs/" + job + "/cancel", null).json().get("status").asString()).isEqualTo("CANCELLED");
            }
        }
    }

    @Test
    void twoProcessesWithoutANodeIdOrHostnamePickDifferentIds() {
        try (Postgres pg = new Postgres("ids")) {
            List<String> args = with(pg.springArgs(), "--dojo.roles=worker");
            try (NodeProcess one = NodeProcess.startWithDefaultNodeId("default-id-1", args);
                 NodeProcess two = NodeProcess.startWithDefaultNodeId("default-id-2", args)) {
                one.awaitReady(Duration.ofMinutes(3));
                two.awaitReady(Duration.ofMinutes(3));
                JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(pg.url(), "postgres", ""));
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        db.queryForList("SELECT DISTINCT node_id FROM worker_node WHERE stopped_at IS NULL", String.class).size() == 2);
                List<String> ids = db.queryForList("SELECT DISTINCT node_id FROM worker_node", String.class);
                assertThat(ids).hasSize(2).allMatch(id -> id.startsWith("local-"));
                assertThat(one.isAlive()).isTrue();
                assertThat(two.isAlive()).isTrue();
            }
        }
    }

    private static List<String> with(List<String> common, String... more) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(more));
        return args;
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
