package dev.dojo.security;

import dev.dojo.support.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link AccessMatrix} on the real PostgreSQL, in a schema of its own. */
@ActiveProfiles("postgres")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/access-pg-${random.uuid}", "dojo.node-id=access-pg"})
class AccessOnPostgresTest extends AccessMatrix {

    static final Postgres PG = new Postgres("access");

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PG::url);
        registry.add("spring.flyway.schemas", PG::schema);
    }

    @AfterAll
    static void drop() {
        PG.close();
    }
}
