package vn.huunghi.hub;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.jboss.logging.Logger;

/**
 * Compacts the embedded H2 database's file at start, while no connection has it open: H2 opens it
 * (rolling back what a killed hub left half done), closes it and copies the live data into a new
 * file that then replaces the old one in one rename (SHUTDOWN COMPACT). Compacting a file in use
 * lost committed transactions across a kill (docs/performance.md, session 14); a copy of a closed
 * file cannot, because until the rename the old file is the database, whole. H2's store-level copy
 * of a killed hub's file, without the database opening it first, made a file the hub could not open.
 */
@ApplicationScoped
public class EmbeddedDatabaseCompaction implements FlywayConfigurationCustomizer {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseCompaction.class);
    private static final String EMBEDDED_FILE_URL = "jdbc:h2:file:";
    private static final String H2_FILE_SUFFIX = ".mv.db";
    // the name H2's copy is written under before it replaces the file (MVStore.compact)
    private static final String H2_COPY_SUFFIX = ".tempFile";
    private static final long MEGABYTE = 1024 * 1024;

    private final Optional<String> jdbcUrl;
    private final Optional<String> user;
    private final Optional<String> password;
    private final HubConfig.EmbeddedDatabase settings;
    private final AtomicBoolean done = new AtomicBoolean();

    EmbeddedDatabaseCompaction(@ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password, HubConfig config) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.settings = config.embeddedDatabase();
    }

    /**
     * Quarkus configures Flyway to migrate at start before anything else asks the pool for a
     * connection, so this is the moment the file is certainly closed.
     */
    @Override
    public void customize(FluentConfiguration flyway) {
        if (done.compareAndSet(false, true)) {
            String url = jdbcUrl.orElse("");
            databaseFile(url).ifPresent(file -> compactIfMostlyDead(url, user.orElse(""), password.orElse(""), settings));
        }
    }

    /** The file of an embedded H2 database's URL; none for a server's or another database's. */
    static Optional<Path> databaseFile(String jdbcUrl) {
        if (!jdbcUrl.startsWith(EMBEDDED_FILE_URL)) {
            return Optional.empty();
        }
        String name = jdbcUrl.substring(EMBEDDED_FILE_URL.length()).split(";", 2)[0];
        return Optional.of(Path.of(name + H2_FILE_SUFFIX));
    }

    /** Compacts the database's file when it is large and mostly dead; answers whether it did. */
    static boolean compactIfMostlyDead(String jdbcUrl, String user, String password, HubConfig.EmbeddedDatabase settings) {
        Path file = databaseFile(jdbcUrl).orElseThrow();
        try {
            if (!Files.exists(file) || Files.size(file) < settings.compactAboveMegabytes() * MEGABYTE) {
                return false;
            }
            long before = Files.size(file);
            int livePercent = livePercent(file);
            if (livePercent >= settings.compactBelowLivePercent()) {
                return false;
            }
            long start = System.nanoTime();
            try (Connection database = DriverManager.getConnection(jdbcUrl, user, password);
                    Statement shutdown = database.createStatement()) {
                shutdown.execute("SHUTDOWN COMPACT");
            }
            LOG.infof("Compacted the embedded database %s: %.1f MB, %d %% live, to %.1f MB in %d ms", file,
                    (double) before / MEGABYTE, livePercent, (double) Files.size(file) / MEGABYTE,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            return true;
        } catch (Exception e) {
            // the hub starts on the file as it was: until H2's copy replaces it, the file is untouched
            LOG.warnf("The embedded database %s was not compacted at start, and is used as it is: %s", file, e);
            try {
                Files.deleteIfExists(Path.of(file + H2_COPY_SUFFIX));
            } catch (Exception left) {
                LOG.warnf("The unfinished copy %s%s is left behind: %s", file, H2_COPY_SUFFIX, left);
            }
            return false;
        }
    }

    /**
     * The share of the file that live pages fill, from the chunks' own bookkeeping (no page is read).
     * Opening the file also fails if a connection has it open, before anything is changed.
     */
    static int livePercent(Path file) {
        try (MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
            FileStore<?> fileStore = store.getFileStore();
            return fileStore.getFillRate() * fileStore.getChunksFillRate() / 100;
        }
    }
}
