package vn.huunghi.hub.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsConstants;
import vn.huunghi.hub.Transactions;

/** Outbound messages no partner would take, with the reason; an operator lists, replays or discards them. */
@ApplicationScoped
public class DeadLetters {

    public enum Status { DEAD, REPLAYED, DISCARDED }

    public record DeadLetter(long id, String messageId, String party, String messageType, String cargoUnitId,
            String reason, Status status, Instant createdAt) {
    }

    private final DataSource dataSource;
    private final ProducerTemplate producer;
    private final Clock clock;

    DeadLetters(DataSource dataSource, ProducerTemplate producer, Clock clock) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.clock = clock;
    }

    void add(String messageId, String party, String messageType, String cargoUnitId, String reason, byte[] document)
            throws SQLException {
        Instant now = clock.instant();
        Transactions.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO dead_letter (message_id, party,"
                    + " message_type, cargo_unit_id, reason, document, status, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 'DEAD', ?)")) {
                insert.setString(1, messageId);
                insert.setString(2, party);
                insert.setString(3, messageType);
                insert.setString(4, cargoUnitId);
                insert.setString(5, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
                insert.setBytes(6, document);
                insert.setTimestamp(7, Timestamp.from(now));
                insert.executeUpdate();
            }
            Outbox.settle(connection, messageId, now);
        });
    }

    public List<DeadLetter> list(Optional<Status> status) {
        List<DeadLetter> found = new ArrayList<>();
        String sql = "SELECT id, message_id, party, message_type, cargo_unit_id, reason, status, created_at"
                + " FROM dead_letter" + (status.isPresent() ? " WHERE status = ?" : "") + " ORDER BY id";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            if (status.isPresent()) {
                select.setString(1, status.get().name());
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new DeadLetter(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), Status.valueOf(rows.getString(7)),
                            rows.getTimestamp(8).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Puts the message back on its partner's queue, once: only a DEAD letter can be replayed. */
    public Optional<DeadLetter> replay(long id) {
        return resolve(id, Status.REPLAYED, letter -> producer.sendBodyAndHeaders(
                "jms:queue:outbox." + letter.party() + "?exchangePattern=InOnly", letter.document(), Map.of(
                        Outbox.PARTY, letter.party(),
                        Outbox.MESSAGE_ID, letter.messageId(),
                        Outbox.MESSAGE_TYPE, String.valueOf(letter.messageType()),
                        Outbox.CARGO_UNIT_ID, letter.cargoUnitId() == null ? "" : letter.cargoUnitId(),
                        JmsConstants.JMS_X_GROUP_ID, Outbox.jmsGroup(letter.party(), letter.cargoUnitId()),
                        // a new duplicate-detection id: the broker already saw the first one
                        Outbox.ARTEMIS_DUPLICATE_ID, letter.messageId() + "/replay/" + id)));
    }

    public Optional<DeadLetter> discard(long id) {
        return resolve(id, Status.DISCARDED, letter -> { });
    }

    private record Stored(String messageId, String party, String messageType, String cargoUnitId, byte[] document) {
    }

    private Optional<DeadLetter> resolve(long id, Status to, java.util.function.Consumer<Stored> action) {
        boolean resolved;
        try {
            resolved = Transactions.call(dataSource, connection -> {
                Stored letter;
                try (PreparedStatement select = connection.prepareStatement("SELECT message_id, party, message_type,"
                        + " cargo_unit_id, document FROM dead_letter WHERE id = ? AND status = 'DEAD' FOR UPDATE")) {
                    select.setLong(1, id);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            return false;
                        }
                        letter = new Stored(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                                row.getBytes(5));
                    }
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE dead_letter SET status = ?, resolved_at = ? WHERE id = ?")) {
                    update.setString(1, to.name());
                    update.setTimestamp(2, Timestamp.from(clock.instant()));
                    update.setLong(3, id);
                    update.executeUpdate();
                }
                action.accept(letter);
                return true;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        if (!resolved) {
            return Optional.empty();
        }
        return list(Optional.empty()).stream().filter(letter -> letter.id() == id).findFirst();
    }
}
