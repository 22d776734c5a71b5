package dev.dojo.system;

import java.sql.Connection;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;

/** Which database a connection pool talks to, for the few statements that differ between H2 and PostgreSQL. */
public final class DatabaseProduct {

    private DatabaseProduct() {}

    public static boolean isPostgres(JdbcTemplate jdbc) {
        return Boolean.TRUE.equals(jdbc.execute((Connection c) ->
                c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")));
    }
}
