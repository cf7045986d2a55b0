package vn.huunghi.hub;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.jboss.logging.Logger;

/**
 * Compacts the embedded H2 database's file, which would otherwise only grow.
 *
 * <p>The embedded default commits with WRITE_DELAY=0 so that no receipt goes out before its commit
 * is in the file; that turns off H2's background writer, and with it the housekeeping that rewrites
 * half-empty chunks and frees their space. Every commit appends a chunk, most of it dead by the next
 * commit but kept by a page or two that stay live, so the file grew by ~380 KB per pre-declaration
 * (3.8 GB after the 10,000-message crash test). This runs the same compaction H2's SHUTDOWN COMPACT
 * does, a bounded slice at a time, on a schedule (routes/embedded-database-compaction.yaml).
 * PostgreSQL reclaims its own space (autovacuum): on any other database this does nothing.
 */
@ApplicationScoped
@Named("embeddedDatabaseCompaction")
public class EmbeddedDatabaseCompaction {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseCompaction.class);

    private final DataSource dataSource;
    private final int maxMillis;
    private final MeterRegistry registry;
    private final AtomicLong fileBytes = new AtomicLong(-1);

    @Inject
    EmbeddedDatabaseCompaction(DataSource dataSource, HubConfig config, MeterRegistry registry) {
        this(dataSource, config.database().compactionMaxMillis(), registry);
    }

    EmbeddedDatabaseCompaction(DataSource dataSource, int maxMillis, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.maxMillis = maxMillis;
        this.registry = registry;
    }

    /**
     * Compacts the embedded store for about the configured time and answers the file's size in
     * bytes after it; -1 when the hub does not run on an embedded H2 database.
     */
    public long compact() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            MVStore store = embeddedStore(connection);
            if (store == null) {
                return -1;
            }
            long before = store.getFileStore().size();
            // compactFile sets the store's retention time to 0 and leaves it so: the rewritten chunks
            // are synced before old ones are overwritten within the call, but after it the store must
            // again keep freed chunks for H2's 45 s, or a power failure could find a chunk overwritten
            // whose replacement the disk never saw
            int retention = store.getRetentionTime();
            try {
                store.compactFile(maxMillis);
            } finally {
                store.setRetentionTime(retention);
            }
            long after = store.getFileStore().size();
            LOG.debugf("embedded database compacted: %d to %d bytes", before, after);
            if (fileBytes.getAndSet(after) < 0) { // exported once there is an embedded file to measure
                Gauge.builder("hub.embedded.database.bytes", fileBytes, AtomicLong::get)
                        .description("size of the embedded H2 database's file after its last compaction")
                        .baseUnit("bytes").register(registry);
            }
            return after;
        }
    }

    private static MVStore embeddedStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)
                || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return null; // PostgreSQL, or an H2 server reached over TCP that compacts in its own process
        }
        return session.getDatabase().getStore().getMvStore();
    }
}
