package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Audit entries: written with their transaction, their documents once, linked into the hash chain after it commits. */
@QuarkusTest
@QuarkusTestResource(TestPki.class)
class AuditLogTest {

    @Inject
    AuditLog auditLog;

    @Inject
    DataSource dataSource;

    @Test
    void anAdmissionNotYetCommittedHoldsUpNoOtherAdmission() throws Exception {
        String held = "held-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Connection open = dataSource.getConnection()) {
            open.setAutoCommit(false);
            auditLog.append(open, AuditLog.Direction.IN, held, "VN-NSW", "CargoPreDeclaration", Instant.now(),
                    document(held), AuditLog.sha256(document(held)));
            // with the chain head locked from append to commit, this waited for the open transaction
            executor.submit(() -> appendCommitted(other)).get(10, TimeUnit.SECONDS);
            auditLog.chainPending();
            assertEquals(1, chained(other));
            assertEquals(0, chained(held), "an entry joins the chain only once its transaction commits");
            open.commit();
        } finally {
            executor.shutdownNow();
        }
        auditLog.chainPending();
        assertEquals(1, chained(held));
        assertTrue(auditLog.firstBrokenEntry().isEmpty());
    }

    @Test
    void anEntryWhoseTransactionRollsBackNeverJoinsTheChain() throws Exception {
        String messageId = "rolled-back-" + UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            auditLog.append(connection, AuditLog.Direction.OUT, messageId, "VN-CUSTOMS", "AgencyView", Instant.now(),
                    document(messageId), AuditLog.sha256(document(messageId)));
            connection.rollback();
        }
        auditLog.chainPending();
        assertEquals(0, chained(messageId));
        assertEquals(0, pending(messageId));
        assertEquals(0, kept(AuditLog.sha256(document(messageId))), "its document goes with it");
    }

    @Test
    void aDocumentArchivedTwiceIsKeptOnceAndEachEntryHolds() throws Exception {
        String messageId = "twice-" + UUID.randomUUID();
        byte[] document = document(messageId);
        String sha256 = AuditLog.sha256(document);
        for (AuditLog.Direction direction : AuditLog.Direction.values()) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                auditLog.append(connection, direction, messageId, "VN-NSW", "CargoPreDeclaration", Instant.now(),
                        document, sha256);
                connection.commit();
            }
        }
        auditLog.chainPending();
        assertEquals(2, chained(messageId));
        assertEquals(1, kept(sha256));
        assertTrue(auditLog.firstBrokenEntry().isEmpty());
    }

    @Test
    void anArchivedDocumentRemovedFromTheDatabaseBreaksTheChainAtItsEntry() throws Exception {
        String messageId = "removed-" + UUID.randomUUID();
        byte[] document = document(messageId);
        String sha256 = AuditLog.sha256(document);
        appendCommitted(messageId);
        auditLog.chainPending();
        long seq;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement entry = connection.prepareStatement("SELECT seq FROM audit_log WHERE message_id = ?")) {
            entry.setString(1, messageId);
            try (ResultSet row = entry.executeQuery()) {
                row.next();
                seq = row.getLong(1);
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement remove = connection.prepareStatement(
                    "DELETE FROM audit_document WHERE document_sha256 = ?")) {
                remove.setString(1, sha256);
                assertEquals(1, remove.executeUpdate());
            }
            try {
                assertEquals(OptionalLong.of(seq), auditLog.firstBrokenEntry());
            } finally {
                try (PreparedStatement restore = connection.prepareStatement(
                        "INSERT INTO audit_document (document_sha256, document) VALUES (?, ?)")) {
                    restore.setString(1, sha256);
                    restore.setBytes(2, document);
                    restore.executeUpdate();
                }
            }
        }
        assertTrue(auditLog.firstBrokenEntry().isEmpty());
    }

    @Test
    void entriesCommittedSideBySideAreEachLinkedOnceByChainersRunningSideBySide() throws Exception {
        String prefix = "side-by-side-" + UUID.randomUUID() + "-";
        ExecutorService executor = Executors.newFixedThreadPool(8);
        AtomicBoolean appending = new AtomicBoolean(true);
        try {
            List<Future<?>> chainers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                chainers.add(executor.submit(() -> {
                    while (appending.get()) {
                        auditLog.chainPending();
                    }
                    return null;
                }));
            }
            List<Future<?>> appenders = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                appenders.add(executor.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        appendCommitted(prefix + thread + "-" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> appender : appenders) {
                appender.get(60, TimeUnit.SECONDS);
            }
            appending.set(false);
            for (Future<?> chainer : chainers) {
                chainer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        auditLog.chainPending();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement ours = connection.prepareStatement(
                        "SELECT COUNT(*), COUNT(DISTINCT message_id) FROM audit_log WHERE message_id LIKE ?");
                PreparedStatement whole = connection.prepareStatement(
                        "SELECT COUNT(*), MIN(seq), MAX(seq) FROM audit_log")) {
            ours.setString(1, prefix + "%");
            try (ResultSet counts = ours.executeQuery()) {
                counts.next();
                assertEquals(150, counts.getInt(1));
                assertEquals(150, counts.getInt(2));
            }
            try (ResultSet chain = whole.executeQuery()) {
                chain.next();
                assertEquals(chain.getLong(3) - chain.getLong(2) + 1, chain.getLong(1), "no gap and no repeat in seq");
            }
        }
        assertTrue(auditLog.firstBrokenEntry().isEmpty());
    }

    private Void appendCommitted(String messageId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            auditLog.append(connection, AuditLog.Direction.IN, messageId, "VN-NSW", "CargoPreDeclaration",
                    Instant.now(), document(messageId), AuditLog.sha256(document(messageId)));
            connection.commit();
        }
        return null;
    }

    private static byte[] document(String messageId) {
        return ("<Message><MessageId>" + messageId + "</MessageId></Message>").getBytes(StandardCharsets.UTF_8);
    }

    private int chained(String messageId) throws SQLException {
        return count("SELECT COUNT(*) FROM audit_log WHERE message_id = ?", messageId);
    }

    private int kept(String documentSha256) throws SQLException {
        return count("SELECT COUNT(*) FROM audit_document WHERE document_sha256 = ?", documentSha256);
    }

    private int pending(String messageId) throws SQLException {
        return count("SELECT COUNT(*) FROM audit_pending WHERE message_id = ?", messageId);
    }

    private int count(String sql, String messageId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, messageId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
