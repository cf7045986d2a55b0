package vn.huunghi.hub.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
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
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.jboss.logging.Logger;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.DatabaseReachability;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.Transactions;
import vn.huunghi.hub.Write;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.AuditLog;
import vn.huunghi.hub.edge.EdgeRejection;
import vn.huunghi.hub.edge.SignatureVerification;
import vn.huunghi.hub.edge.SoapEnvelope;

/**
 * Delivers one outbound message to its partner: signs it with the hub's key, posts it in a SOAP
 * envelope, verifies the partner's signed receipt, and keeps receipt and signed document. A
 * message the partner will not take after the last attempt becomes a dead letter with the reason.
 */
@ApplicationScoped
@Named("outboxDelivery")
public class OutboxDelivery {

    static final String DOCUMENT = "hubOutboundDocument";
    static final String SIGNED = "hubSignedDocument";
    static final String PARTY = "hubOutboundParty";
    static final String MESSAGE_ID = "hubOutboundMessageId";
    static final String MESSAGE_TYPE = "hubOutboundMessageType";
    static final String CARGO_UNIT = "hubOutboundCargoUnit";
    public static final String ENDPOINT = "hubPartnerEndpoint";
    static final String ALREADY_SETTLED = "hubAlreadySettled";
    static final String REPLAY_OF = "hubReplayOf";
    private static final String OUTAGE_REDELIVERIES = "hubOutageRedeliveries";
    private static final Logger LOG = Logger.getLogger(OutboxDelivery.class);

    private final XmlSigner signer;
    private final DatabaseReachability database;
    private final SignatureVerification receipts;
    private final HubConfig config;
    private final DataSource dataSource;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final MeterRegistry metrics;

    private final vn.huunghi.hub.ops.FixtureRecorder recorder;

    OutboxDelivery(HubKeys keys, HubConfig config, DataSource dataSource, DatabaseReachability database,
            DeadLetters deadLetters, Clock clock, MeterRegistry metrics,
            vn.huunghi.hub.ops.FixtureRecorder recorder) {
        this.recorder = recorder;
        this.database = database;
        this.signer = keys.signer();
        this.receipts = new SignatureVerification(keys.trustAnchors(), keys.revocationLists(),
                SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
        this.config = config;
        this.dataSource = dataSource;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Turns the queued (unsigned) message into the signed SOAP request for its partner, addressed to
     * its endpoint; or, when its receipt is already kept or it is a dead letter, marks it settled so
     * that it is not sent again.
     */
    public void prepare(Exchange exchange) throws SQLException {
        Message in = exchange.getIn();
        exchange.setProperty(REPLAY_OF, in.getHeader(Outbox.REPLAY_OF, String.class));
        if (settled(exchange)) {
            exchange.setProperty(ALREADY_SETTLED, true);
            LOG.infof("messageId=%s receiver=%s already delivered or a dead letter: not sent again",
                    in.getHeader(Outbox.MESSAGE_ID, String.class), in.getHeader(Outbox.PARTY, String.class));
            return;
        }
        byte[] document = in.getBody(byte[].class);
        String party = in.getHeader(Outbox.PARTY, String.class);
        exchange.setProperty(DOCUMENT, document);
        exchange.setProperty(PARTY, party);
        exchange.setProperty(MESSAGE_ID, in.getHeader(Outbox.MESSAGE_ID, String.class));
        exchange.setProperty(MESSAGE_TYPE, in.getHeader(Outbox.MESSAGE_TYPE, String.class));
        exchange.setProperty(CARGO_UNIT, in.getHeader(Outbox.CARGO_UNIT_ID, String.class));
        String endpoint = config.partners().containsKey(party) ? config.partners().get(party).endpoint().orElse(null) : null;
        if (endpoint == null) {
            throw new IllegalStateException("no endpoint configured for " + party + " (hub.partners." + party + ".endpoint)");
        }
        exchange.setProperty(ENDPOINT, endpoint);
        byte[] signed = signer.signToBytes(HubDocuments.parse(document));
        exchange.setProperty(SIGNED, signed);
        // a plain message without the queue's headers: Camel copies the message before each later
        // step (for redelivery), and inside camel-jms every copy of a JMS message throws and catches
        // a NullPointerException (docs/performance.md)
        Message request = new DefaultMessage(exchange);
        request.setBody(SoapEnvelope.wrap(signed));
        exchange.setIn(request);
    }

    /**
     * Whether to try again: no other consumer delivered the message or made it a dead letter
     * meanwhile, and attempts are left or the database does not answer. After a broker restart the
     * broker hands a message out again while the consumer that held it may still be retrying on its
     * dead session; this stops that one from sending it a second time. While the database is away nothing can be kept, not
     * even a dead letter, so the message stays with its consumer however long that lasts, and the
     * attempts made meanwhile do not use up the partner's (a receipt that came back during the outage
     * is kept once the database answers; docs/outbox.md).
     */
    public boolean stillUndelivered(Exchange exchange) {
        boolean settled;
        try {
            settled = settled(exchange);
        } catch (SQLException databaseAway) {
            // the probe drops the pool's dead connections, this consumer's among them, after a restart
            database.failed(databaseAway);
            exchange.setProperty(OUTAGE_REDELIVERIES, exchange.getProperty(OUTAGE_REDELIVERIES, 0, Integer.class) + 1);
            countRetry(exchange);
            return true;
        }
        // Camel counts the redelivery about to be made, so the last one allowed has the number
        // max-redeliveries; those made while the database was away do not count against it
        int redelivery = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)
                - exchange.getProperty(OUTAGE_REDELIVERIES, 0, Integer.class);
        if (settled || redelivery > config.outbox().maxRedeliveries()) {
            return false;
        }
        countRetry(exchange);
        return true;
    }

    // An operator sees retries as a rate by partner and cause before anything becomes a dead letter.
    private void countRetry(Exchange exchange) {
        // when Camel asks whether to retry, the failure is no longer on the exchange but in EXCEPTION_CAUGHT
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String party = String.valueOf(queued(exchange, PARTY, Outbox.PARTY));
        metrics.counter("hub.outbox.delivery.retries", "party", party,
                "cause", cause == null ? "unknown" : cause.getClass().getSimpleName()).increment();
        LOG.debugf("messageId=%s receiver=%s retry after: %s", queued(exchange, MESSAGE_ID, Outbox.MESSAGE_ID), party,
                reason(cause));
    }

    // prepare() moves the queue message's headers to properties (the SOAP request must not carry them);
    // a failure before that still has them as headers
    private static String queued(Exchange exchange, String property, String header) {
        String value = exchange.getProperty(property, String.class);
        return value != null ? value : exchange.getIn().getHeader(header, String.class);
    }

    // Its receipt is kept, or it is a dead letter no operator has replayed (other than the one this
    // copy replays): a copy handed out again (after a crash before its acknowledgement, or relayed
    // again after a restart of the embedded broker, which keeps duplicate ids in memory only) is not
    // sent, nor made a dead letter twice.
    private boolean settled(Exchange exchange) throws SQLException {
        String messageId = queued(exchange, MESSAGE_ID, Outbox.MESSAGE_ID);
        String replayOf = queued(exchange, REPLAY_OF, Outbox.REPLAY_OF);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT 1 FROM outbound_delivery WHERE message_id = ?"
                        + " UNION ALL SELECT 1 FROM dead_letter WHERE message_id = ? AND status <> 'REPLAYED' AND id <> ?")) {
            select.setString(1, messageId);
            select.setString(2, messageId);
            select.setLong(3, replayOf == null ? -1 : Long.parseLong(replayOf));
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Verifies the partner's receipt: signed by that partner, and ACCEPTED; then keeps it. */
    public void acceptReceipt(Exchange exchange) throws SQLException {
        String party = exchange.getProperty(PARTY, String.class);
        String messageId = exchange.getProperty(MESSAGE_ID, String.class);
        byte[] answer = exchange.getIn().getBody(byte[].class);
        Document receipt = receiptIn(answer);
        SignatureVerification.Signer signedBy;
        try {
            signedBy = receipts.verify(receipt, clock.instant());
        } catch (EdgeRejection e) {
            throw new IllegalStateException("the receipt from " + party + " does not verify: " + e.getMessage());
        }
        if (!party.equals(signedBy.party())) {
            throw new IllegalStateException("the receipt for " + party + " is signed by " + signedBy.party());
        }
        String verdict = text(receipt, "Verdict");
        if (!"ACCEPTED".equals(verdict)) {
            throw new PartnerRejection(party + " rejected " + messageId + ": " + errors(receipt));
        }
        byte[] signed = exchange.getProperty(SIGNED, byte[].class);
        Instant now = clock.instant();
        try {
            String messageType = exchange.getProperty(MESSAGE_TYPE, String.class);
            Transactions.run(dataSource, connection -> {
                boolean postgreSql = Transactions.onPostgreSql(connection);
                // the receipt, the outbox row settled and the audit entry: one round trip to PostgreSQL
                List<Write> writes = new ArrayList<>();
                // the partner's answer as it came, its signed receipt inside: serializing the parsed
                // receipt again cost 4 % of the hub's CPU (docs/performance.md, session 20)
                writes.add(new Write("INSERT INTO outbound_delivery (message_id, party, message_type, delivered_at, receipt)"
                        + " VALUES (?, ?, ?, ?, ?)", messageId, party, messageType, Timestamp.from(now), answer));
                writes.addAll(Outbox.settlement(postgreSql, messageId, now));
                writes.addAll(AuditLog.entry(postgreSql, AuditLog.Direction.OUT, messageId, party, messageType, now, signed,
                        sha256(signed)));
                Write.together(connection, writes);
            });
            recorder.outbound(party, exchange.getProperty(MESSAGE_TYPE, String.class), signed);
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            // delivered before (a redelivery after a crash): the partner deduplicates by messageId
        }
        metrics.counter("hub.outbox.deliveries", "party", party).increment();
        LOG.infof("messageId=%s type=%s receiver=%s verdict=DELIVERED", messageId,
                exchange.getProperty(MESSAGE_TYPE, String.class), party);
    }

    /** After the last attempt, or at once for a rejection: keep the message and why, for an operator. */
    public void deadLetter(Exchange exchange) throws SQLException {
        String messageId = queued(exchange, MESSAGE_ID, Outbox.MESSAGE_ID);
        if (settled(exchange)) {
            return; // another consumer settled it while this one was retrying (see stillUndelivered)
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = reason(cause);
        String party = queued(exchange, PARTY, Outbox.PARTY);
        // the document as the outbox queued it, unsigned: a replay signs it anew
        byte[] document = exchange.getProperty(DOCUMENT, byte[].class);
        deadLetters.add(messageId, party, queued(exchange, MESSAGE_TYPE, Outbox.MESSAGE_TYPE),
                queued(exchange, CARGO_UNIT, Outbox.CARGO_UNIT_ID), reason,
                document != null ? document : exchange.getIn().getBody(byte[].class));
        metrics.counter("hub.outbox.dead.letters", "party", String.valueOf(party)).increment();
        LOG.warnf("messageId=%s receiver=%s verdict=DEAD_LETTER reason=%s", messageId, party, reason);
    }

    // The client's own words ("Could not send Message") hide the partner's answer (an HTTP status,
    // a refused connection) in the cause chain: the operator needs both.
    static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == cause ? reason : reason + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private static Document receiptIn(byte[] soap) {
        Document envelope = HubDocuments.parse(soap);
        NodeList messages = envelope.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "Message");
        if (messages.getLength() != 1) {
            throw new IllegalStateException("the partner's answer holds no receipt");
        }
        Document receipt = HubDocuments.newDocument();
        receipt.appendChild(receipt.importNode(messages.item(0), true));
        return receipt;
    }

    private static String text(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static String errors(Document receipt) {
        List<String> errors = new ArrayList<>();
        NodeList nodes = receipt.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "Error");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element error = (Element) nodes.item(i);
            errors.add(HubDocuments.child(error, "Code").getTextContent() + " " + HubDocuments.child(error, "Text").getTextContent());
        }
        return String.join("; ", errors);
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
