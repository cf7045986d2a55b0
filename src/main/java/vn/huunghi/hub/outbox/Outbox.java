package vn.huunghi.hub.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.Transactions;
import vn.huunghi.hub.Write;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.cluster.HubInstance;

/**
 * The transactional outbox: an outbound message is written in the same database transaction as
 * the state change that caused it, so it is neither lost nor sent for a change that rolled back.
 * The relay route then moves pending messages to the partner's durable queue.
 */
@ApplicationScoped
@Named("outbox")
public class Outbox {

    // headers of a message on a partner queue
    public static final String PARTY = "HubParty";
    public static final String MESSAGE_ID = "HubMessageId";
    public static final String MESSAGE_TYPE = "HubMessageType";
    public static final String CARGO_UNIT_ID = "HubCargoUnitId";
    /** On an operator's replay of a dead letter: that dead letter's id. */
    public static final String REPLAY_OF = "HubReplayOf";
    static final String ARTEMIS_DUPLICATE_ID = "_AMQ_DUPL_ID";
    private static final String RELAY_WAKE_UP = "direct:outbox-relay-wake-up"; // routes/outbox-relay.yaml
    private static final String INSERT_MESSAGE = "INSERT INTO outbox_message (message_id, party, message_type,"
            + " cargo_unit_id, created_at, written_by) VALUES (?, ?, ?, ?, ?, ?)";
    // PostgreSQL: the message's row, its document, and its places in the relay's and the delivery's queues
    private static final String ADD_IN_ONE_STATEMENT = "WITH message AS (" + INSERT_MESSAGE
            + " RETURNING seq, cargo_unit_id, written_by, created_at),"
            + " document AS (INSERT INTO outbox_document (message_id, document) VALUES (?, ?)),"
            + " unsettled AS (INSERT INTO outbox_unsettled (message_id, party) VALUES (?, ?))"
            + " INSERT INTO outbox_unrelayed (seq, cargo_unit_id, written_by, created_at)"
            + " SELECT seq, cargo_unit_id, written_by, created_at FROM message";

    // PostgreSQL: off the delivery's queue and, if it was on it, marked settled
    private static final String SETTLE_IN_ONE_STATEMENT = "WITH settled AS (DELETE FROM outbox_unsettled WHERE message_id = ?"
            + " RETURNING message_id) UPDATE outbox_message SET settled_at = ? WHERE message_id IN (SELECT message_id FROM settled)";
    private static final String SELECT_PENDING = "SELECT u.seq, m.message_id, m.party, m.message_type, m.cargo_unit_id,"
            + " d.document FROM outbox_unrelayed u JOIN outbox_message m ON m.seq = u.seq"
            + " JOIN outbox_document d ON d.message_id = m.message_id";

    /** A message waiting for the relay. */
    public record Pending(long seq, String messageId, String party, String messageType, String cargoUnitId,
            byte[] document) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final ProducerTemplate camel;
    private final String instance;
    private final int batchSize;
    private final Duration adoptAfter;
    private final Duration leftToCommitRelay;
    /** The adds of the transaction on this thread, while its caller holds them (holdAdds). */
    private final ThreadLocal<Held> held = new ThreadLocal<>();

    private record Held(Connection connection, List<Write> writes, Set<String> cargoUnits) {
    }

    @Inject
    Outbox(DataSource dataSource, Clock clock, ProducerTemplate camel, HubConfig config, HubInstance instance) {
        this(dataSource, clock, camel, instance.id(), config.outbox().relayBatchSize(),
                Duration.ofMillis(config.outbox().adoptAfterMillis()),
                Duration.ofMillis(config.outbox().relayAtCommit() ? config.outbox().relayPeriodMillis() : 0));
    }

    Outbox(DataSource dataSource, Clock clock, ProducerTemplate camel, String instance, int batchSize, Duration adoptAfter,
            Duration leftToCommitRelay) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.camel = camel;
        this.instance = instance;
        this.batchSize = batchSize;
        this.adoptAfter = adoptAfter;
        this.leftToCommitRelay = leftToCommitRelay;
    }

    /**
     * The JMS group of a partner-queue message: its cargo unit, so that one consumer at a time
     * delivers a cargo unit's messages, in order, even with several consumers per queue.
     */
    static String jmsGroup(String party, String cargoUnitId) {
        return cargoUnitId != null ? cargoUnitId : party;
    }

    /**
     * Adds an outbound message inside the caller's transaction: written now, or, while this thread
     * holds its adds (holdAdds), with the transaction's last writes (takeHeldWrites).
     */
    public void add(Connection connection, String party, String messageType, String cargoUnitId, byte[] document)
            throws SQLException {
        String messageId = HubDocuments.messageId(document);
        Timestamp createdAt = Timestamp.from(clock.instant());
        List<Write> writes;
        if (Transactions.onPostgreSql(connection)) {
            // the four rows in one statement (docs/performance.md, session 34)
            writes = List.of(new Write(ADD_IN_ONE_STATEMENT, messageId, party, messageType, cargoUnitId, createdAt, instance,
                    messageId, document, messageId, party));
        } else {
            writes = List.of(new Write(INSERT_MESSAGE, messageId, party, messageType, cargoUnitId, createdAt, instance),
                    // apart from the message's row, which is updated twice more: an update would write the document again (V12)
                    new Write("INSERT INTO outbox_document (message_id, document) VALUES (?, ?)", messageId, document),
                    // what the relay and the outbox depth look for, in small tables of their own (V17)
                    new Write("INSERT INTO outbox_unrelayed (seq, cargo_unit_id, written_by, created_at)"
                            + " SELECT seq, cargo_unit_id, written_by, created_at FROM outbox_message WHERE message_id = ?",
                            messageId),
                    new Write("INSERT INTO outbox_unsettled (message_id, party) VALUES (?, ?)", messageId, party));
        }
        Held held = this.held.get();
        if (held != null) {
            held.cargoUnits.add(cargoUnitId);
        }
        if (held == null || held.connection != connection) {
            Write.together(connection, writes);
            return;
        }
        held.writes.addAll(writes);
    }

    /**
     * From now until takeAdded, this thread's adds on the connection given are held, to be written
     * with the transaction's last writes (takeHeldWrites): a pre-declaration's five or so outbound
     * messages are then one round trip to PostgreSQL, not one each. The cargo units whose rows it
     * adds are noted for their relay as soon as the transaction commits (OutboxRelay.relayAtCommit).
     */
    public void holdAdds(Connection connection) {
        held.set(new Held(connection, new ArrayList<>(), new HashSet<>()));
    }

    /**
     * The writes of the adds held since holdAdds, which the caller sends before its commit (with
     * its own last writes, Write.together); adds after this are held again.
     */
    public List<Write> takeHeldWrites() {
        Held current = held.get();
        if (current == null) {
            return List.of();
        }
        List<Write> writes = List.copyOf(current.writes);
        current.writes.clear();
        return writes;
    }

    /** The cargo units added to since holdAdds (null for a row of none); adds are no longer held. */
    public Set<String> takeAdded() {
        Held current = held.get();
        held.remove(); // writes still held are those of a transaction that failed before its last writes
        return current == null ? Set.of() : current.cargoUnits;
    }

    /**
     * Called after a transaction that added messages committed: the relay runs now rather than at
     * its next poll, which would add up to a period to every delivery's latency.
     */
    public void relaySoon() {
        try {
            camel.sendBody(RELAY_WAKE_UP, null);
        } catch (RuntimeException stopping) {
            // the transaction is committed and the relay's poll will find its rows; failing here would
            // only make the broker hand the message to the workflow again
        }
    }

    /**
     * The oldest messages not yet relayed that are this instance's to relay, in the order they were
     * written: its own rows, with every earlier row of the same cargo units (whoever wrote them, so
     * that a cargo unit's messages reach the partner queue in order), and rows another instance has
     * left unrelayed for longer than {@code hub.outbox.adopt-after-millis} (it died, or is stuck).
     * Each instance relaying its own rows first keeps two relays from racing for the same batch,
     * which the broker then refuses whole and the loser resends one message at a time. With the relay
     * at commit (hub.outbox.relay-at-commit) its own rows are left to the committing thread for a
     * relay period first, for the same reason: the route takes what that relay could not.
     */
    public List<Pending> pending() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SELECT_PENDING
                        + " WHERE (u.written_by = ? AND u.created_at <= ?) OR u.written_by IS NULL"
                        + " OR u.cargo_unit_id IS NULL OR u.created_at < ?"
                        + " OR u.cargo_unit_id IN (SELECT cargo_unit_id FROM outbox_unrelayed WHERE written_by = ? AND created_at <= ?)"
                        + " ORDER BY u.seq FETCH FIRST " + batchSize + " ROWS ONLY")) {
            Instant now = clock.instant();
            Timestamp leftUntil = Timestamp.from(now.minus(leftToCommitRelay));
            select.setString(1, instance);
            select.setTimestamp(2, leftUntil);
            select.setTimestamp(3, Timestamp.from(now.minus(adoptAfter)));
            select.setString(4, instance);
            select.setTimestamp(5, leftUntil);
            return read(select);
        }
    }

    /**
     * Every row not yet relayed of these cargo units, whoever wrote them, in the order written (at
     * most a batch): what a transaction that added rows of them relays as it commits, with the earlier
     * rows it must not overtake.
     */
    public List<Pending> unrelayedOf(Collection<String> cargoUnitIds) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SELECT_PENDING + " WHERE u.cargo_unit_id IN ("
                        + String.join(", ", Collections.nCopies(cargoUnitIds.size(), "?"))
                        + ") ORDER BY u.seq FETCH FIRST " + batchSize + " ROWS ONLY")) {
            int parameter = 1;
            for (String cargoUnitId : cargoUnitIds) {
                select.setString(parameter++, cargoUnitId);
            }
            return read(select);
        }
    }

    private static List<Pending> read(PreparedStatement select) throws SQLException {
        List<Pending> pending = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                pending.add(new Pending(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getBytes(6)));
            }
        }
        return pending;
    }

    /** The most rows the relay moves at once. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Marks the batch relayed, in one transaction, which on PostgreSQL does not wait for its log to
     * reach the disk: the relay's runs cannot overlap, and that wait was part of every run. A mark
     * lost with a crash of the database only makes the relay send the batch again, and the broker
     * drops each message it already has by its duplicate-detection id (routes/outbox-relay.yaml).
     */
    public void markRelayed(List<Pending> batch) throws SQLException {
        Transactions.run(dataSource, connection -> markRelayed(connection, batch));
    }

    /** The marks of {@link #markRelayed(List)} inside the caller's transaction: one round trip to PostgreSQL. */
    void markRelayed(Connection connection, List<Pending> batch) throws SQLException {
        Array seqs = connection.createArrayOf("BIGINT", batch.stream().map(Pending::seq).toArray(Long[]::new));
        List<Write> marks = new ArrayList<>();
        if (Transactions.onPostgreSql(connection)) {
            marks.add(new Write("SET LOCAL synchronous_commit = off"));
        }
        marks.add(new Write("UPDATE outbox_message SET relayed_at = ? WHERE seq = ANY (?)", Timestamp.from(clock.instant()),
                seqs));
        marks.add(new Write("DELETE FROM outbox_unrelayed WHERE seq = ANY (?)", seqs));
        Write.together(connection, marks);
    }

    /**
     * The writes that mark the message settled, for the caller to send inside its transaction
     * (Write.together): its receipt is kept or it is a dead letter. The outbox depth counts the rows
     * not settled (BusinessMetrics). A message that never went through the outbox table (a barrier
     * command) has no row to mark.
     */
    static List<Write> settlement(boolean postgreSql, String messageId, Instant at) {
        Timestamp settledAt = Timestamp.from(at);
        if (postgreSql) {
            return List.of(new Write(SETTLE_IN_ONE_STATEMENT, messageId, settledAt)); // (docs/performance.md, session 34)
        }
        // a message settled before (a replayed dead letter delivered at last), or never an outbox row, is left as it is
        return List.of(new Write("UPDATE outbox_message SET settled_at = ? WHERE message_id = ?"
                        + " AND message_id IN (SELECT message_id FROM outbox_unsettled WHERE message_id = ?)",
                        settledAt, messageId, messageId),
                new Write("DELETE FROM outbox_unsettled WHERE message_id = ?", messageId));
    }
}
