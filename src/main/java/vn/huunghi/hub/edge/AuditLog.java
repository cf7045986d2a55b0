package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The hash-chained archive of original message bytes. Each entry's hash covers the previous
 * entry's hash, so removing, reordering or editing any archived entry breaks every hash after it.
 */
@ApplicationScoped
public class AuditLog {

    public enum Direction { IN, OUT }

    private final DataSource dataSource;

    AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Appends one entry inside the caller's transaction; the chain head's row lock orders concurrent appends. */
    public long append(Connection connection, Direction direction, String messageId, String party, String messageType,
            Instant recordedAt, byte[] document, String documentSha256) throws SQLException {
        recordedAt = recordedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        long seq;
        String previous;
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT last_seq, last_entry_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
                ResultSet head = lock.executeQuery()) {
            head.next();
            seq = head.getLong(1) + 1;
            previous = head.getString(2);
        }
        String entryHash = entryHash(previous, seq, messageId, direction, party, messageType, recordedAt, documentSha256);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log (seq, message_id, direction,"
                + " party, message_type, recorded_at, document_sha256, previous_entry_hash, entry_hash, document)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, seq);
            insert.setString(2, messageId);
            insert.setString(3, direction.name());
            insert.setString(4, party);
            insert.setString(5, messageType);
            insert.setTimestamp(6, Timestamp.from(recordedAt));
            insert.setString(7, documentSha256);
            insert.setString(8, previous);
            insert.setString(9, entryHash);
            insert.setBytes(10, document);
            insert.executeUpdate();
        }
        try (PreparedStatement advance = connection.prepareStatement(
                "UPDATE audit_chain_head SET last_seq = ?, last_entry_hash = ? WHERE id = 1")) {
            advance.setLong(1, seq);
            advance.setString(2, entryHash);
            advance.executeUpdate();
        }
        return seq;
    }

    /**
     * Recomputes the chain from the first entry; returns the sequence number of the first entry
     * whose stored document, hash or link does not match, or empty when the whole chain holds.
     */
    public OptionalLong firstBrokenEntry() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT seq, message_id, direction, party,"
                        + " message_type, recorded_at, document_sha256, previous_entry_hash, entry_hash, document"
                        + " FROM audit_log ORDER BY seq");
                ResultSet rows = select.executeQuery()) {
            String previous = "GENESIS";
            long expectedSeq = 1;
            while (rows.next()) {
                long seq = rows.getLong(1);
                String documentSha256 = rows.getString(7);
                String recomputed = entryHash(previous, seq, rows.getString(2), Direction.valueOf(rows.getString(3)),
                        rows.getString(4), rows.getString(5), rows.getTimestamp(6).toInstant(), documentSha256);
                boolean intact = seq == expectedSeq
                        && previous.equals(rows.getString(8))
                        && recomputed.equals(rows.getString(9))
                        && documentSha256.equals(sha256(rows.getBytes(10)));
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
