package dev.dojo.system;

import java.sql.Connection;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which database this node's pool talks to, for the few statements that differ between H2 and
 * PostgreSQL. Learnt at the first question (the pool may not reach the database at start-up), then kept.
 */
@Component
public class Database {

    private final JdbcTemplate jdbc;
    private volatile Boolean postgres;

    public Database(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public boolean isPostgres() {
        Boolean known = postgres;
        if (known == null) {
            known = Boolean.TRUE.equals(jdbc.execute((Connection c) ->
                    c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")));
            postgres = known;
        }
        return known;
    }
}
