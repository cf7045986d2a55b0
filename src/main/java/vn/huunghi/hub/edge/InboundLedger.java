package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.Transactions;

/**
 * The idempotency ledger: which messageIds the edge has admitted, with the receipt each got. A
 * repeated message gets its first receipt again, byte for byte, and is queued only once, across
 * restarts and across hub instances sharing one database.
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
    private final AuditLog auditLog;
    private final Clock clock;
    private final HubConfig.Edge edge;

    InboundLedger(DataSource dataSource, AuditLog auditLog, Clock clock, HubConfig config) {
        this.dataSource = dataSource;
        this.auditLog = auditLog;
        this.clock = clock;
        this.edge = config.edge();
    }

    record Entry(String sha256, String state, byte[] receipt) {
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
            if (entry.isPresent() && entry.get().sha256().equals(inbound.sha256()) && ACCEPTED.equals(entry.get().state())) {
                answerWith(exchange, entry.get());
            }
        } catch (SQLException e) {
            LOG.debugf("ledger not read for a refused document (%s); the refusal stands", e.getMessage());
        }
    }

    /**
     * Records the message as received and archives its original bytes in the audit log, in one
     * transaction. A twin arriving at the same instant loses the insert and is answered with the
     * winner's receipt.
     */
    public void admit(Exchange exchange) throws SQLException {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        if (exchange.getProperty(RESUMING, false, Boolean.class)) {
            return;
        }
        MessageHeader header = inbound.header();
        try {
            Transactions.run(dataSource, connection -> {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inbound_message"
                        + " (message_id, document_sha256, message_type, sender, state, received_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, header.messageId());
                    insert.setString(2, inbound.sha256());
                    insert.setString(3, header.messageType());
                    insert.setString(4, header.sender());
                    insert.setString(5, RECEIVED);
                    insert.setTimestamp(6, Timestamp.from(inbound.receivedAt()));
                    insert.executeUpdate();
                }
                auditLog.append(connection, AuditLog.Direction.IN, header.messageId(), header.sender(),
                        header.messageType(), inbound.receivedAt(), inbound.document(), inbound.sha256());
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

    /** Marks the message accepted and keeps the receipt that said so. */
    public void recordReceipt(String messageId, byte[] receipt) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE inbound_message SET state = ?, receipt = ? WHERE message_id = ?")) {
            update.setString(1, ACCEPTED);
            update.setBytes(2, receipt);
            update.setString(3, messageId);
            update.executeUpdate();
        }
    }

    private void answerFromLedger(Exchange exchange, InboundDocument inbound, Entry entry) throws SQLException {
        if (!entry.sha256().equals(inbound.sha256())) {
            throw new EdgeRejection(RejectionCode.MESSAGE_ID_REUSED,
                    "messageId " + inbound.header().messageId() + " was already used for a different document");
        }
        Entry settled = ACCEPTED.equals(entry.state()) ? entry : awaitReceipt(inbound.header().messageId());
        if (settled != null) {
            answerWith(exchange, settled);
        } else {
            exchange.setProperty(RESUMING, true);
        }
        // still RECEIVED after the wait: the first copy was interrupted before its receipt; this copy completes it
    }

    private static void answerWith(Exchange exchange, Entry accepted) {
        exchange.getIn().setHeader(DUPLICATE, true);
        exchange.getIn().setBody(accepted.receipt());
    }

    private Entry awaitReceipt(String messageId) throws SQLException {
        Instant deadline = clock.instant().plus(edge.duplicateWait());
        while (clock.instant().isBefore(deadline)) {
            Optional<Entry> entry = find(messageId);
            if (entry.isPresent() && ACCEPTED.equals(entry.get().state())) {
                return entry.get();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    Optional<Entry> find(String messageId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT document_sha256, state, receipt FROM inbound_message WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Entry(row.getString(1), row.getString(2), row.getBytes(3)))
                        : Optional.empty();
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
