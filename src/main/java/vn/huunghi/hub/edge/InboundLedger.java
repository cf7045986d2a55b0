package vn.huunghi.hub.edge;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.Transactions;
import vn.huunghi.hub.Write;

/**
 * The idempotency ledger: which messageIds the edge has admitted, with the receipt each got. A
 * repeated message gets its first receipt again, byte for byte, and is queued only once, across
 * restarts and across hub instances sharing one database.
 *
 * <p>The admission's one statement keeps the receipt, signed beforehand, with the row in state
 * RECEIVED; once the message is on its queue the row is marked ACCEPTED, many rows a transaction
 * ({@link #markAccepted()}), instead of a second transaction per message. Until then this instance
 * knows the message is queued; another instance, or this one after a crash, treats the row as a
 * first copy still in flight (see {@link #admit}).
 */
@ApplicationScoped
@Named("inboundLedger")
public class InboundLedger {

    /** Exchange header set when the answer is a receipt already given; the route then skips the rest. */
    public static final String DUPLICATE = "hubDuplicate";
    /** Exchange property set when this copy completes a first copy that was interrupted before its receipt. */
    static final String RESUMING = "hubResumingInterruptedAdmission";

    private static final Logger LOG = Logger.getLogger(InboundLedger.class);
    private static final String RECEIVED = "RECEIVED";
    private static final String ACCEPTED = "ACCEPTED";

    private final DataSource dataSource;
    private final Clock clock;
    private final HubConfig.Edge edge;
    /** MessageIds this instance has put on their queues and not yet marked ACCEPTED in the ledger. */
    private final Set<String> queuedNotMarked = ConcurrentHashMap.newKeySet();

    InboundLedger(DataSource dataSource, Clock clock, HubConfig config) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.edge = config.edge();
    }

    record Entry(String messageId, String sha256, String state, byte[] receipt, Instant receivedAt) {
    }

    /**
     * Answers a refused document that is an exact repeat (same messageId, same bytes) of an accepted
     * one with its first receipt: those bytes passed every check when they were admitted, and a
     * partner re-sending after its replay window, or after its certificate expired, must not be told
     * otherwise. A repeat that passes the checks is answered by {@link #admit} instead. A refusal for
     * the hub's own failure stands: the ledger is then likely out of reach too.
     */
    public void answerRepeatOfAccepted(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (!(cause instanceof EdgeRejection rejection) || rejection.code() == RejectionCode.HUB_UNAVAILABLE
                || inbound == null || inbound.sha256() == null || inbound.header().messageId() == null) {
            return;
        }
        try {
            Optional<Entry> entry = find(inbound.header().messageId());
            if (entry.isPresent() && entry.get().sha256().equals(inbound.sha256()) && settled(entry.get())) {
                answerWith(exchange, entry.get());
            }
        } catch (SQLException e) {
            LOG.debugf("ledger not read for a refused document (%s); the refusal stands", e.getMessage());
        }
    }

    /**
     * Records the message as received, with the receipt that will accept it, and archives its
     * original bytes in the audit log, in one transaction. A twin arriving at the same instant loses
     * the insert and is answered with the winner's receipt once the winner's copy is on its queue.
     */
    public void admit(Exchange exchange) throws SQLException {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        if (resuming(exchange)) {
            return;
        }
        MessageHeader header = inbound.header();
        try {
            Transactions.run(dataSource, connection -> {
                // the ledger's row and the audit entry: one round trip to PostgreSQL
                List<Write> writes = new ArrayList<>();
                writes.add(new Write("INSERT INTO inbound_message (message_id, document_sha256, message_type, sender, state,"
                        + " received_at, receipt) VALUES (?, ?, ?, ?, ?, ?, ?)", header.messageId(), inbound.sha256(),
                        header.messageType(), header.sender(), RECEIVED, Timestamp.from(inbound.receivedAt()),
                        inbound.acceptanceReceipt()));
                writes.addAll(AuditLog.entry(Transactions.onPostgreSql(connection), AuditLog.Direction.IN, header.messageId(),
                        header.sender(), header.messageType(), inbound.receivedAt(), inbound.document(), inbound.sha256()));
                Write.together(connection, writes);
            });
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            Optional<Entry> twin = find(header.messageId());
            if (twin.isEmpty()) {
                throw e;
            }
            answerFromLedger(exchange, inbound, twin.get());
        }
    }

    /** The admitted message is on its queue: it is marked ACCEPTED with the next batch. */
    public void queued(String messageId) {
        queuedNotMarked.add(messageId);
    }

    /**
     * Marks the messages queued since the last call ACCEPTED, in one transaction; returns how many.
     * A crash loses only marks: their rows stay RECEIVED, and a repeat then queues the message again
     * (the broker drops the copy by its duplicate id) and answers with the kept receipt.
     */
    public int markAccepted() throws SQLException {
        if (queuedNotMarked.isEmpty()) {
            return 0;
        }
        List<String> batch = new ArrayList<>(queuedNotMarked);
        Transactions.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE inbound_message SET state = ? WHERE message_id = ?")) {
                for (String messageId : batch) {
                    update.setString(1, ACCEPTED);
                    update.setString(2, messageId);
                    update.addBatch();
                }
                update.executeBatch();
            }
        });
        batch.forEach(queuedNotMarked::remove);
        return batch.size();
    }

    /**
     * A graceful stop marks what this instance queued since the last batch, so that its ledger says
     * ACCEPTED for every message it answered so; only a crash leaves rows RECEIVED for a repeat to complete.
     */
    void markAcceptedBeforeStopping(@Observes ShutdownEvent stopping) {
        try {
            markAccepted();
        } catch (SQLException e) {
            LOG.warnf("queued messages not marked accepted before stopping (a repeat completes them): %s", e.getMessage());
        }
    }

    /**
     * Marks a message accepted at once and keeps its receipt: for a copy that completed an
     * interrupted admission, whose row may hold no receipt (admitted before receipts were kept
     * with the admission).
     */
    public void recordReceipt(String messageId, byte[] receipt) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE inbound_message SET state = ?, receipt = ? WHERE message_id = ?")) {
            update.setString(1, ACCEPTED);
            update.setBytes(2, receipt);
            update.setString(3, messageId);
            update.executeUpdate();
        }
        queuedNotMarked.remove(messageId);
    }

    /** Whether this copy completes a first copy interrupted before it was queued (it is not admitted again). */
    static boolean resuming(Exchange exchange) {
        return exchange.getProperty(RESUMING, false, Boolean.class);
    }

    private void answerFromLedger(Exchange exchange, InboundDocument inbound, Entry entry) throws SQLException {
        if (!entry.sha256().equals(inbound.sha256())) {
            throw new EdgeRejection(RejectionCode.MESSAGE_ID_REUSED,
                    "messageId " + inbound.header().messageId() + " was already used for a different document");
        }
        Entry settled = settled(entry) ? entry : awaitQueued(entry);
        if (settled != null) {
            answerWith(exchange, settled);
            return;
        }
        // still not queued when the first copy should long have been: it was interrupted before its
        // queue; this copy completes it, with the receipt kept for it where there is one
        exchange.setProperty(RESUMING, true);
        if (entry.receipt() != null) {
            inbound.acceptanceReceipt(entry.receipt());
        }
    }

    // on its queue: marked so, or queued by this instance and not yet marked
    private boolean settled(Entry entry) {
        return entry.receipt() != null && (ACCEPTED.equals(entry.state()) || queuedNotMarked.contains(entry.messageId()));
    }

    private static void answerWith(Exchange exchange, Entry accepted) {
        exchange.getIn().setHeader(DUPLICATE, true);
        exchange.getIn().setBody(accepted.receipt());
    }

    // A first copy in flight is queued within duplicateWait of its arrival; waiting longer than
    // that after it (a repeat after a crash) would only keep the partner waiting.
    private Entry awaitQueued(Entry first) throws SQLException {
        Instant deadline = first.receivedAt().plus(edge.duplicateWait());
        // the first copy's arrival is another instance's clock, which may run ahead of this one's
        Instant latest = clock.instant().plus(edge.duplicateWait());
        if (deadline.isAfter(latest)) {
            deadline = latest;
        }
        while (clock.instant().isBefore(deadline)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            Optional<Entry> entry = find(first.messageId());
            if (entry.isPresent() && settled(entry.get())) {
                return entry.get();
            }
        }
        return null;
    }

    Optional<Entry> find(String messageId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT document_sha256, state, receipt, received_at FROM inbound_message WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Entry(messageId, row.getString(1), row.getString(2), row.getBytes(3),
                        row.getTimestamp(4).toInstant())) : Optional.empty();
            }
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        // 23505: unique violation in both H2 and PostgreSQL
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
