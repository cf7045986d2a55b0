package vn.huunghi.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database's file compacted at start: only when large and mostly dead, never losing a row. */
class EmbeddedDatabaseCompactionTest {

    private static final int ROWS = 2_000;
    private static final String BODY = "x".repeat(5_000);

    @TempDir
    Path dataDir;

    @Test
    void aKilledHubsLargeFileOfMostlyDeadChunksIsReplacedByASmallerCopyOfEveryCommittedRow() throws Exception {
        String url = databaseLeftAsAKilledHubLeavesIt();
        Path file = EmbeddedDatabaseCompaction.databaseFile(url).orElseThrow();
        long before = Files.size(file);
        assertTrue(EmbeddedDatabaseCompaction.livePercent(file) < 50,
                "a commit per statement leaves the file mostly dead: " + EmbeddedDatabaseCompaction.livePercent(file) + " %");

        assertTrue(EmbeddedDatabaseCompaction.compactIfMostlyDead(url, "hub", "", settings(1, 50)));

        assertTrue(Files.size(file) * 3 < before, "compacted from " + before + " to " + Files.size(file) + " bytes");
        assertEquals(committedContent(), content(url), "every committed row, every byte of it, and nothing else");
        assertFalse(Files.exists(Path.of(file + ".tempFile")), "H2's copy is renamed over the file, not left beside it");
    }

    @Test
    void aFileMostlyLiveIsLeftAsItIs() throws Exception {
        String url = databaseLeftAsAKilledHubLeavesIt();
        Path file = EmbeddedDatabaseCompaction.databaseFile(url).orElseThrow();
        EmbeddedDatabaseCompaction.compactIfMostlyDead(url, "hub", "", settings(1, 50));
        FileTime compacted = Files.getLastModifiedTime(file);

        assertFalse(EmbeddedDatabaseCompaction.compactIfMostlyDead(url, "hub", "", settings(1, 50)),
                "just compacted, " + EmbeddedDatabaseCompaction.livePercent(file) + " % live");
        assertEquals(compacted, Files.getLastModifiedTime(file));
    }

    @Test
    void aFileBelowTheSizeToCompactIsLeftAsItIs() throws Exception {
        String url = databaseLeftAsAKilledHubLeavesIt();
        Path file = EmbeddedDatabaseCompaction.databaseFile(url).orElseThrow();
        long before = Files.size(file);

        assertFalse(EmbeddedDatabaseCompaction.compactIfMostlyDead(url, "hub", "", settings(before / (1024 * 1024) + 1, 100)));
        assertEquals(before, Files.size(file));
    }

    @Test
    void aFileInUseIsNotCompactedAndStaysWhole() throws Exception {
        String url = databaseLeftAsAKilledHubLeavesIt();
        Path file = EmbeddedDatabaseCompaction.databaseFile(url).orElseThrow();
        try (Connection inUse = DriverManager.getConnection(url, "hub", "")) {
            assertFalse(EmbeddedDatabaseCompaction.compactIfMostlyDead(url, "hub", "", settings(1, 101)));
            try (Statement statement = inUse.createStatement();
                    ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM document")) {
                assertTrue(count.next());
                assertEquals(ROWS, count.getInt(1));
            }
        }
        assertEquals(committedContent(), content(url));
        assertFalse(Files.exists(Path.of(file + ".tempFile")));
    }

    @Test
    void onlyTheUrlOfAnEmbeddedFileNamesAFileToCompact() {
        assertEquals(Optional.of(Path.of("/var/lib/hub/db/hub.mv.db")),
                EmbeddedDatabaseCompaction.databaseFile("jdbc:h2:file:/var/lib/hub/db/hub;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"));
        assertEquals(Optional.of(Path.of("./data/db/hub.mv.db")), EmbeddedDatabaseCompaction.databaseFile("jdbc:h2:file:./data/db/hub"));
        assertEquals(Optional.empty(), EmbeddedDatabaseCompaction.databaseFile("jdbc:h2:tcp://127.0.0.1:9092/hub"));
        assertEquals(Optional.empty(), EmbeddedDatabaseCompaction.databaseFile("jdbc:h2:mem:hub"));
        assertEquals(Optional.empty(), EmbeddedDatabaseCompaction.databaseFile("jdbc:postgresql://db:5432/hub"));
        assertEquals(Optional.empty(), EmbeddedDatabaseCompaction.databaseFile(""));
    }

    /**
     * Rows written and rewritten one commit each, every commit to the file before it returns
     * (WRITE_DELAY=0), and the file left as a killed hub leaves it: a transaction half done, the
     * database not closed (SHUTDOWN IMMEDIATELY: no clean-up, no compaction).
     */
    private String databaseLeftAsAKilledHubLeavesIt() throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("hub") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        try (Connection connection = DriverManager.getConnection(url, "hub", "");
                Connection halfDone = DriverManager.getConnection(url, "hub", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE document (id INT PRIMARY KEY, state VARCHAR(20), body VARCHAR(10000))");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO document VALUES (?, 'RECEIVED', ?)");
                    PreparedStatement update = connection.prepareStatement("UPDATE document SET state = 'ACCEPTED' WHERE id = ?")) {
                for (int id = 0; id < ROWS; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, BODY + id);
                    insert.executeUpdate();
                    update.setInt(1, id);
                    update.executeUpdate();
                }
            }
            halfDone.setAutoCommit(false);
            try (Statement uncommitted = halfDone.createStatement()) {
                uncommitted.executeUpdate("INSERT INTO document VALUES (" + ROWS + ", 'RECEIVED', 'never committed')");
                uncommitted.executeUpdate("UPDATE document SET state = 'NEVER COMMITTED' WHERE id = 0");
            }
            statement.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException closedUnderTheConnections) {
            // the database is gone under both connections, as under a killed hub's
        }
        return url;
    }

    /** What the file holds as committed: every row written, each rewritten once, none of the half-done transaction. */
    private static long committedContent() {
        long hash = 0;
        for (int id = 0; id < ROWS; id++) {
            hash = 31 * hash + (id + "ACCEPTED" + BODY + id).hashCode();
        }
        return hash;
    }

    private static long content(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "hub", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, state, body FROM document ORDER BY id")) {
            long hash = 0;
            int count = 0;
            while (rows.next()) {
                hash = 31 * hash + (rows.getInt(1) + rows.getString(2) + rows.getString(3)).hashCode();
                count++;
            }
            assertEquals(ROWS, count);
            return hash;
        }
    }

    private static HubConfig.EmbeddedDatabase settings(long aboveMegabytes, int belowLivePercent) {
        return new HubConfig.EmbeddedDatabase() {
            @Override
            public long compactAboveMegabytes() {
                return aboveMegabytes;
            }

            @Override
            public int compactBelowLivePercent() {
                return belowLivePercent;
            }
        };
    }
}
