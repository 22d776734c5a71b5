package dev.dojo.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import dev.dojo.support.Postgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Labels, DELETE and the retention sweep on the real PostgreSQL, in a schema of its own: the label
 * filter's native query, the delete's row lock, and the sweep's database-clock arithmetic all run
 * as PostgreSQL runs them; nothing of a deleted or swept job remains in any table of the schema.
 */
@ActiveProfiles("postgres")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/deleting-pg-${random.uuid}", "dojo.node-id=deleting-pg",
                "dojo.jobs.retention=4s"})
class DeletingOnPostgresTest {

    static final Postgres PG = new Postgres("deleting");

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PG::url);
        registry.add("spring.flyway.schemas", PG::schema);
    }

    @AfterAll
    static void drop() {
        PG.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private List<String> rowsNaming(String id) {
        List<String> found = new ArrayList<>();
        List<Map<String, Object>> columns = jdbc.queryForList("""
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = ? AND data_type IN ('character varying', 'text', 'character')""", PG.schema());
        assertThat(columns).as("the scan sees the tables").hasSizeGreaterThan(10);
        for (Map<String, Object> c : columns) {
            Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM " + PG.schema() + ".\"" + c.get("table_name") + "\" WHERE \""
                    + c.get("column_name") + "\" LIKE ?", Integer.class, "%" + id + "%");
            if (n > 0) {
                found.add(c.get("table_name") + "." + c.get("column_name") + ": " + n);
            }
        }
        return found;
    }

    private static List<String> ids(Api.Response page) {
        List<String> ids = new ArrayList<>();
        page.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    @Test
    void labelsFilterDeleteRemovesEverythingAndTheSweepSparesKeep() {
        Api api = new Api(port);
        String trained = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":20,\"checkpointEvery\":5},"
                + "\"labels\":{\"git.sha\":\"abc123\",\"keep\":\"true\"},\"keepCheckpoints\":2}");
        String other = api.submit("{\"task\":\"sine-regression\",\"gpus\":8,\"labels\":{\"git.sha\":\"abc123\"}}");
        assertThat(api.await(trained, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(ids(api.get("/api/jobs?label=git.sha%3Dabc123"))).containsExactly(other, trained);
        assertThat(ids(api.get("/api/jobs?label=git.sha%3Dabc123&label=keep%3Dtrue"))).containsExactly(trained);
        List<Integer> numbers = new ArrayList<>();
        api.get("/api/jobs/" + trained + "/checkpoints").json().forEach(c -> numbers.add(c.get("number").asInt()));
        assertThat(numbers).containsExactly(3, 4);

        assertThat(api.request("DELETE", "/api/jobs/" + other, null).status()).isEqualTo(409);
        assertThat(api.post("/api/jobs/" + other + "/cancel", null).status()).isEqualTo(200);
        // The cancelled job goes with the sweep once its 4 s are up; the one labelled keep=true stays.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                api.get("/api/jobs/" + other).status() == 404);
        assertThat(rowsNaming(other)).isEmpty();
        assertThat(api.get("/api/jobs/" + trained).json().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(rowsNaming(trained)).anyMatch(r -> r.startsWith("job_checkpoint.")).anyMatch(r -> r.startsWith("job_metric."));

        assertThat(api.request("DELETE", "/api/jobs/" + trained, null).status()).isEqualTo(204);
        assertThat(rowsNaming(trained)).isEmpty();
        assertThat(api.get("/api/jobs/" + trained).status()).isEqualTo(404);
    }
}
