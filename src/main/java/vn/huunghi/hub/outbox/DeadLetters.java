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
import vn.huunghi.hub.Write;

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
            List<Write> writes = new ArrayList<>();
            writes.add(new Write("INSERT INTO dead_letter (message_id, party, message_type, cargo_unit_id, reason, document,"
                    + " status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'DEAD', ?)", messageId, party, messageType, cargoUnitId,
                    reason.length() > 1000 ? reason.substring(0, 1000) : reason, document, Timestamp.from(now)));
            writes.addAll(Outbox.settlement(Transactions.onPostgreSql(connection), messageId, now));
            Write.together(connection, writes);
        });
    }

    /** At most this many dead letters in one page of the operators' list. */
    public static final int MOST_PER_PAGE = 500;

    private static final String SELECT = "SELECT id, message_id, party, message_type, cargo_unit_id, reason, status,"
            + " created_at FROM dead_letter";

    /**
     * One page of dead letters, newest first: those with an id below {@code before} (the last of the
     * page before; empty for the newest), of this status and partner when given. Through the index on
     * (status, id) a page reads its own rows, however many letters the gate has kept.
     */
    public List<DeadLetter> page(Optional<Status> status, Optional<String> party, Optional<Long> before, int limit) {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        status.ifPresent(s -> {
            conditions.add("status = ?");
            values.add(s.name());
        });
        party.ifPresent(p -> {
            conditions.add("party = ?");
            values.add(p);
        });
        before.ifPresent(id -> {
            conditions.add("id < ?");
            values.add(id);
        });
        String sql = SELECT + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY id DESC FETCH FIRST " + Math.max(1, Math.min(limit, MOST_PER_PAGE)) + " ROWS ONLY";
        return query(sql, values.toArray());
    }

    /** The dead letter with this id, whatever its status. */
    public Optional<DeadLetter> find(long id) {
        return query(SELECT + " WHERE id = ?", id).stream().findFirst();
    }

    private List<DeadLetter> query(String sql, Object... values) {
        List<DeadLetter> found = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                select.setObject(i + 1, values[i]);
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
                        // sent before this transaction commits the REPLAYED status: the delivery must not
                        // take the copy for one of the dead letter handed out again
                        Outbox.REPLAY_OF, String.valueOf(id),
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
        return find(id);
    }
}
