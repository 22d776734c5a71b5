package dev.dojo.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.job.PageView;
import dev.dojo.queue.TenantScope;
import dev.dojo.support.Api;
import dev.dojo.support.StatementCounter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A page of {@code GET /api/sweeps} costs the same statements however many sweeps it shows: the page,
 * its count, the trial rows of all its sweeps and the jobs of all their trials (with those jobs' attempts),
 * counted on the real embedded database; and each sweep on it reads as {@code GET /api/sweeps/{id}} does.
 */
class SweepListQueriesTest extends SweepNode {

    private static final String TENANT = "sweep-list";

    @Autowired
    SweepService sweeps;

    @Autowired
    JsonMapper json;

    @Test
    void aPageOfSweepsCostsTheSameStatementsWhateverItsSize() {
        Api team = keyOf(TENANT);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(start(team, """
                    {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 5, "hiddenUnits": [8]}},
                     "space": {"hyperparameters.seed": {"values": [%d, %d]}},
                     "objective": {"metric": "train_loss", "mode": "min"}, "parallelism": 2}""".formatted(2 * i, 2 * i + 1)));
        }
        for (String id : ids) {
            assertThat(awaitEnd(team, id, sweep -> {}).get("status").asString()).isEqualTo("SUCCEEDED");
        }

        TenantScope scope = TenantScope.of(TENANT);
        StatementCounter.reset();
        PageView<SweepView> one = sweeps.list(scope, 0, 1);
        int forOne = StatementCounter.count();
        StatementCounter.reset();
        PageView<SweepView> five = sweeps.list(scope, 0, 5);
        int forFive = StatementCounter.count();

        assertThat(one.items()).hasSize(1);
        assertThat(five.items()).hasSize(5);
        assertThat(five.totalItems()).isEqualTo(5);
        assertThat(forFive).as("statements for a page of 5 sweeps and of 1").isEqualTo(forOne).isLessThanOrEqualTo(5);
        // Newest first, each grouped with its own trials' jobs: the page reads as each sweep does on its own.
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertThat(five.items().stream().map(SweepView::id).toList()).isEqualTo(newestFirst);
        for (SweepView listed : five.items()) {
            assertThat(listed.trials()).hasSize(2).allSatisfy(t -> assertThat(t.status()).isEqualTo("SUCCEEDED"));
            JsonNode alone = json.valueToTree(sweeps.get(listed.id(), scope));
            JsonNode onPage = json.valueToTree(listed);
            assertThat(onPage).isEqualTo(alone);
        }
        JsonNode firstOfOne = json.valueToTree(one.items().get(0));
        JsonNode firstOfFive = json.valueToTree(five.items().get(0));
        assertThat(firstOfOne).isEqualTo(firstOfFive);
        // Over HTTP too, and an admin's page (every tenant's) groups the same trials under each sweep.
        JsonNode page = team.get("/api/sweeps?size=5").json();
        JsonNode adminPage = admin.get("/api/sweeps?size=50").json();
        int compared = 0;
        for (JsonNode sweep : page.get("items")) {
            for (JsonNode a : adminPage.get("items")) {
                if (a.get("id").equals(sweep.get("id"))) {
                    assertThat(a.get("trials")).isEqualTo(sweep.get("trials"));
                    compared++;
                }
            }
        }
        assertThat(page.get("items").size()).isEqualTo(5);
        assertThat(compared).as("each of the tenant's sweeps is on the admin's page").isEqualTo(5);
    }
}
