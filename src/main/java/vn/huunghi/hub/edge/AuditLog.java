package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.Transactions;
import vn.huunghi.hub.Write;

/**
 * The hash-chained archive of original message bytes. Each entry's hash covers the previous
 * entry's hash, so removing, reordering or editing any archived entry breaks every hash after it.
 * Entries are written inside the business transaction that admits or delivers the message and
 * linked into the chain by {@link #chainPending()} shortly after it commits, so that no admission
 * or delivery holds the chain head's lock through its commit.
 */
@ApplicationScoped
@Named("auditLog")
public class AuditLog {

    public enum Direction { IN, OUT }

    private static final String APPEND_ENTRY = "INSERT INTO audit_pending (message_id, direction, party, message_type,"
            + " recorded_at, document_sha256) VALUES (?, ?, ?, ?, ?, ?)";
    // the same bytes archived again (a document sent twice) are kept once: their hash names them
    private static final String APPEND_IN_ONE_STATEMENT = "WITH entry AS (" + APPEND_ENTRY + ")"
            + " INSERT INTO audit_document (document_sha256, document) VALUES (?, ?) ON CONFLICT DO NOTHING";

    private final DataSource dataSource;
    private final int chainBatchSize;

    AuditLog(DataSource dataSource, HubConfig config) {
        this.dataSource = dataSource;
        this.chainBatchSize = config.audit().chainBatchSize();
    }

    /**
     * Writes one entry inside the caller's transaction; it joins the chain after that transaction commits.
     * The document is written here once, keyed by its SHA-256; linking the entry does not copy it.
     */
    public void append(Connection connection, Direction direction, String messageId, String party, String messageType,
            Instant recordedAt, byte[] document, String documentSha256) throws SQLException {
        Write.together(connection, entry(Transactions.onPostgreSql(connection), direction, messageId, party, messageType,
                recordedAt, document, documentSha256));
    }

    /** The writes of {@link #append}, to be sent with a transaction's others (Write.together). */
    public static List<Write> entry(boolean postgreSql, Direction direction, String messageId, String party, String messageType,
            Instant recordedAt, byte[] document, String documentSha256) {
        Timestamp at = Timestamp.from(recordedAt.truncatedTo(ChronoUnit.MILLIS));
        if (postgreSql) {
            // entry and document in one statement (docs/performance.md, session 34)
            return List.of(new Write(APPEND_IN_ONE_STATEMENT, messageId, direction.name(), party, messageType, at,
                    documentSha256, documentSha256, document));
        }
        return List.of(new Write(APPEND_ENTRY, messageId, direction.name(), party, messageType, at, documentSha256),
                new Write("MERGE INTO audit_document (document_sha256, document) KEY (document_sha256) VALUES (?, ?)",
                        documentSha256, document));
    }

    /**
     * Links the oldest committed entries not yet in the chain, up to a batch, in one transaction;
     * returns how many. The chain head's row lock orders chainers of several hub instances; an
     * entry another chainer linked meanwhile makes this batch roll back untouched.
     */
    public int chainPending() throws SQLException {
        return Transactions.call(dataSource, this::chainBatch);
    }

    private int chainBatch(Connection connection) throws SQLException {
        long seq;
        String previous;
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT last_seq, last_entry_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
                ResultSet head = lock.executeQuery()) {
            head.next();
            seq = head.getLong(1);
            previous = head.getString(2);
        }
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, message_id, direction, party,"
                + " message_type, recorded_at, document_sha256 FROM audit_pending ORDER BY id FETCH FIRST "
                + chainBatchSize + " ROWS ONLY");
                ResultSet pending = select.executeQuery();
                PreparedStatement link = connection.prepareStatement("INSERT INTO audit_log (seq, message_id, direction,"
                        + " party, message_type, recorded_at, document_sha256, previous_entry_hash, entry_hash)"
                        + " SELECT ?, message_id, direction, party, message_type, recorded_at, document_sha256, ?, ?"
                        + " FROM audit_pending WHERE id = ?")) {
            while (pending.next()) {
                seq++;
                String entryHash = entryHash(previous, seq, pending.getString(2),
                        Direction.valueOf(pending.getString(3)), pending.getString(4), pending.getString(5),
                        pending.getTimestamp(6).toInstant(), pending.getString(7));
                long id = pending.getLong(1);
                link.setLong(1, seq);
                link.setString(2, previous);
                link.setString(3, entryHash);
                link.setLong(4, id);
                link.addBatch();
                ids.add(id);
                previous = entryHash;
            }
            if (ids.isEmpty()) {
                return 0;
            }
            link.executeBatch();
        }
        try (PreparedStatement remove = connection.prepareStatement("DELETE FROM audit_pending WHERE id = ?")) {
            for (long id : ids) {
                remove.setLong(1, id);
                remove.addBatch();
            }
            for (int removed : remove.executeBatch()) {
                if (removed == 0) {
                    throw new IllegalStateException("an audit entry was linked by another chainer meanwhile");
                }
            }
        }
        try (PreparedStatement advance = connection.prepareStatement(
                "UPDATE audit_chain_head SET last_seq = ?, last_entry_hash = ? WHERE id = 1")) {
            advance.setLong(1, seq);
            advance.setString(2, previous);
            advance.executeUpdate();
        }
        return ids.size();
    }

    /**
     * Recomputes the chain from the first entry; returns the sequence number of the first entry
     * whose stored document (changed or missing), hash or link does not match, or empty when the
     * whole chain holds.
     */
    public OptionalLong firstBrokenEntry() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT a.seq, a.message_id, a.direction,"
                        + " a.party, a.message_type, a.recorded_at, a.document_sha256, a.previous_entry_hash,"
                        + " a.entry_hash, d.document FROM audit_log a"
                        + " LEFT JOIN audit_document d ON d.document_sha256 = a.document_sha256 ORDER BY a.seq");
                ResultSet rows = select.executeQuery()) {
            String previous = "GENESIS";
            long expectedSeq = 1;
            while (rows.next()) {
                long seq = rows.getLong(1);
                String documentSha256 = rows.getString(7);
                byte[] document = rows.getBytes(10);
                String recomputed = entryHash(previous, seq, rows.getString(2), Direction.valueOf(rows.getString(3)),
                        rows.getString(4), rows.getString(5), rows.getTimestamp(6).toInstant(), documentSha256);
                boolean intact = seq == expectedSeq
                        && previous.equals(rows.getString(8))
                        && recomputed.equals(rows.getString(9))
                        && document != null && documentSha256.equals(sha256(document));
                if (!intact) {
                    return OptionalLong.of(seq);
                }
                previous = recomputed;
                expectedSeq++;
            }
            return OptionalLong.empty();
        }
    }

    static String entryHash(String previous, long seq, String messageId, Direction direction, String party,
            String messageType, Instant recordedAt, String documentSha256) {
        String line = String.join("|", previous, Long.toString(seq), String.valueOf(messageId), direction.name(),
                String.valueOf(party), String.valueOf(messageType), Long.toString(recordedAt.toEpochMilli()),
                documentSha256);
        return sha256(line.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
