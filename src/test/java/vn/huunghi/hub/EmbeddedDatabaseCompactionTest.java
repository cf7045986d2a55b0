package vn.huunghi.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

/**
 * The embedded H2 database's file stays near the size of its live data when compacted on a
 * schedule, where without it the same commits leave a file many times larger; the hub compacts its
 * own embedded database and leaves PostgreSQL alone.
 */
@QuarkusTest
class EmbeddedDatabaseCompactionTest {

    private static final int ROWS = 2_000;
    private static final int ROW_BYTES = 5_000;
    private static final int COMPACT_EVERY = 250;

    @Inject
    EmbeddedDatabaseCompaction hubCompaction;

    @Inject
    HubConfig config;

    @Inject
    MeterRegistry registry;

    @Test
    void theEmbeddedFileStaysNearItsLiveDataAndTheStoreKeepsItsRetentionTime() throws Exception {
        long uncompacted = writeAndUpdate(false);
        long compacted = writeAndUpdate(true);
        long live = (long) ROWS * ROW_BYTES;
        assertTrue(uncompacted > 5 * live, "the test's load no longer makes H2 grow: " + uncompacted + " bytes");
        assertTrue(compacted < 3 * live, "compacted file " + compacted + " bytes for " + live + " bytes of rows"
                + " (" + uncompacted + " without compaction)");
    }

    @Test
    void theHubCompactsItsOwnEmbeddedDatabaseAndLeavesPostgresqlAlone() throws Exception {
        long size = hubCompaction.compact();
        if ("postgresql".equals(System.getProperty("test.database"))) {
            assertEquals(-1, size);
        } else {
            // the hub keeps committing (leases, relay) and compacting on its own schedule: the file's
            // size moves, so this checks there is one and that it is measured and exported
            assertTrue(Files.exists(config.dataDir().resolve("db").resolve("hub.mv.db")));
            assertTrue(size > 0, "the hub's embedded database was not compacted");
            assertTrue(registry.get("hub.embedded.database.bytes").gauge().value() > 0, "the file's size is not exported");
        }
    }

    /** Inserts rows and updates each once, one commit apiece, as a pre-declaration's rows are; answers the file's size. */
    private static long writeAndUpdate(boolean compactOnSchedule) throws SQLException, java.io.IOException {
        Path folder = Path.of("target", "compaction-test", UUID.randomUUID().toString()).toAbsolutePath();
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + folder + "/db;WRITE_DELAY=0");
        EmbeddedDatabaseCompaction compaction = new EmbeddedDatabaseCompaction(dataSource, 200, new SimpleMeterRegistry());
        byte[] body = new byte[ROW_BYTES];
        try (Connection connection = dataSource.getConnection()) {
            MVStore store = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                    .getMvStore();
            int retention = store.getRetentionTime();
            connection.createStatement().execute("CREATE TABLE document (id BIGINT PRIMARY KEY, state VARCHAR(10), body VARBINARY(10000))");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO document VALUES (?, 'RECEIVED', ?)");
                    PreparedStatement update = connection.prepareStatement("UPDATE document SET state = 'DONE' WHERE id = ?")) {
                for (int id = 0; id < ROWS; id++) {
                    body[id % ROW_BYTES] ^= 1;
                    insert.setLong(1, id);
                    insert.setBytes(2, body);
                    insert.executeUpdate();
                    update.setLong(1, id);
                    update.executeUpdate();
                    if (compactOnSchedule && id % COMPACT_EVERY == COMPACT_EVERY - 1) {
                        assertTrue(compaction.compact() > 0, "an embedded H2 store was not compacted");
                        assertEquals(retention, store.getRetentionTime(), "compaction left the store's retention time changed");
                    }
                }
            }
            return Files.size(folder.resolve("db.mv.db"));
        }
    }
}
