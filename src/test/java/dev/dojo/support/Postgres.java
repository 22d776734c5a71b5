package dev.dojo.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * A fresh schema on the local PostgreSQL (127.0.0.1:5432, database {@code test}, trust auth) for
 * one test class, dropped afterwards. An unreachable server fails the test: these tests never skip.
 */
public final class Postgres implements AutoCloseable {

    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String schema;

    public Postgres(String purpose) {
        this.schema = "dojo_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
        execute("CREATE SCHEMA " + schema);
    }

    public String schema() {
        return schema;
    }

    public String url() {
        return SERVER + "?currentSchema=" + schema;
    }

    /** Spring arguments that point a node at this schema with the postgres profile. */
    public List<String> springArgs() {
        return List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + url(),
                "--spring.flyway.schemas=" + schema, "--spring.datasource.username=postgres");
    }

    public static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is not reachable; .ci/run starts it: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
