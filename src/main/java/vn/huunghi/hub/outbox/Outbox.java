package vn.huunghi.hub.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
    /** The cargo units whose rows the transaction on this thread added, while a caller watches (watchAdds). */
    private final ThreadLocal<Set<String>> addedHere = new ThreadLocal<>();

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

    /** Adds an outbound message inside the caller's transaction. */
    public void add(Connection connection, String party, String messageType, String cargoUnitId, byte[] document)
            throws SQLException {
        String messageId = HubDocuments.messageId(document);
        Timestamp createdAt = Timestamp.from(clock.instant());
        if (Transactions.onPostgreSql(connection)) {
            // the four rows in one statement, one round trip to the database instead of four (docs/performance.md, session 34)
            try (PreparedStatement insert = connection.prepareStatement(ADD_IN_ONE_STATEMENT)) {
                setMessageRow(insert, messageId, party, messageType, cargoUnitId, createdAt);
                insert.setString(7, messageId);
                insert.setBytes(8, document);
                insert.setString(9, messageId);
                insert.setString(10, party);
                insert.executeUpdate();
            }
        } else {
            addStatementByStatement(connection, messageId, party, messageType, cargoUnitId, createdAt, document);
        }
        Set<String> watched = addedHere.get();
        if (watched != null) {
            watched.add(cargoUnitId);
        }
    }

    /**
     * Starts noting the cargo units whose rows this thread's transaction adds, for their relay as soon
     * as it commits (OutboxRelay.relayAtCommit); takeAdded ends it.
     */
    public void watchAdds() {
        addedHere.set(new HashSet<>());
    }

    /** The cargo units noted since watchAdds (null for a row of none), and stops noting. */
    public Set<String> takeAdded() {
        Set<String> added = addedHere.get();
        addedHere.remove();
        return added == null ? Set.of() : added;
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
        Transactions.run(dataSource, connection -> {
            if (Transactions.onPostgreSql(connection)) {
                try (Statement asynchronous = connection.createStatement()) {
                    asynchronous.execute("SET LOCAL synchronous_commit = off");
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE outbox_message SET relayed_at = ? WHERE seq = ?");
                    PreparedStatement relayed = connection.prepareStatement("DELETE FROM outbox_unrelayed WHERE seq = ?")) {
                Timestamp now = Timestamp.from(clock.instant());
                for (Pending pending : batch) {
                    update.setTimestamp(1, now);
                    update.setLong(2, pending.seq());
                    update.addBatch();
                    relayed.setLong(1, pending.seq());
                    relayed.addBatch();
                }
                update.executeBatch();
                relayed.executeBatch();
            }
        });
    }

    // the message's own row: the first six parameters of either way of adding it
    private void setMessageRow(PreparedStatement insert, String messageId, String party, String messageType,
            String cargoUnitId, Timestamp createdAt) throws SQLException {
        insert.setString(1, messageId);
        insert.setString(2, party);
        insert.setString(3, messageType);
        insert.setString(4, cargoUnitId);
        insert.setTimestamp(5, createdAt);
        insert.setString(6, instance);
    }

    private void addStatementByStatement(Connection connection, String messageId, String party, String messageType,
            String cargoUnitId, Timestamp createdAt, byte[] document) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_MESSAGE)) {
            setMessageRow(insert, messageId, party, messageType, cargoUnitId, createdAt);
            insert.executeUpdate();
        }
        // apart from the message's row, which is updated twice more: an update would write the document again (V12)
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO outbox_document (message_id, document) VALUES (?, ?)")) {
            insert.setString(1, messageId);
            insert.setBytes(2, document);
            insert.executeUpdate();
        }
        // what the relay and the outbox depth look for, in small tables of their own (V17)
        try (PreparedStatement unrelayed = connection.prepareStatement("INSERT INTO outbox_unrelayed"
                + " (seq, cargo_unit_id, written_by, created_at) SELECT seq, cargo_unit_id, written_by, created_at"
                + " FROM outbox_message WHERE message_id = ?");
                PreparedStatement unsettled = connection.prepareStatement(
                        "INSERT INTO outbox_unsettled (message_id, party) VALUES (?, ?)")) {
            unrelayed.setString(1, messageId);
            unrelayed.executeUpdate();
            unsettled.setString(1, messageId);
            unsettled.setString(2, party);
            unsettled.executeUpdate();
        }
    }

    /**
     * Marks the message settled, inside the caller's transaction: its receipt is kept or it is a dead
     * letter. The outbox depth counts the rows not settled (BusinessMetrics). A message that never
     * went through the outbox table (a barrier command) has no row to mark.
     */
    static void settle(Connection connection, String messageId, Instant at) throws SQLException {
        if (Transactions.onPostgreSql(connection)) {
            // one round trip instead of two (docs/performance.md, session 34)
            try (PreparedStatement settled = connection.prepareStatement(SETTLE_IN_ONE_STATEMENT)) {
                settled.setString(1, messageId);
                settled.setTimestamp(2, Timestamp.from(at));
                settled.executeUpdate();
            }
            return;
        }
        try (PreparedStatement settled = connection.prepareStatement("DELETE FROM outbox_unsettled WHERE message_id = ?")) {
            settled.setString(1, messageId);
            if (settled.executeUpdate() == 0) {
                return; // settled before (a replayed dead letter delivered at last), or never an outbox row
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox_message SET settled_at = ? WHERE message_id = ?")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setString(2, messageId);
            update.executeUpdate();
        }
    }
}
