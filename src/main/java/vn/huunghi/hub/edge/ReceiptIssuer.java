package vn.huunghi.hub.edge;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;
import org.w3c.dom.Element;
import vn.huunghi.hub.DatabaseReachability;
import vn.huunghi.hub.Transactions;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.catalog.SchemaViolation;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.crypto.XmlSigner;

/**
 * Edge step: answers every message, accepted or rejected, with a Receipt signed by the hub, wrapped
 * in the SOAP response. An accepted message's receipt is kept so that a repeat gets the same bytes.
 */
@ApplicationScoped
@Named("issueReceipt")
public class ReceiptIssuer {

    private static final Logger LOG = Logger.getLogger(ReceiptIssuer.class);
    private static final Pattern UUID_SHAPE = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> MESSAGE_TYPES = Set.of("CargoPreDeclaration", "ExportShipmentData",
            "OriginCertificate", "AseanCustomsDeclaration", "AgencyView", "AgencyConfirmation", "ReleaseDecision",
            "GateEvent", "StatusNotification", "Receipt");
    private static final Set<String> PARTIES = Set.of("HUB", "VN-NSW", "ASEAN-SW", "CN-NANNING-CUSTOMS",
            "VN-CUSTOMS", "VN-BORDER-GUARD", "VN-PLANT-QUARANTINE", "VN-ANIMAL-QUARANTINE", "VN-HEALTH-QUARANTINE",
            "VN-PORT-OPERATOR", "EQUIPMENT-GATEWAY");

    private final XmlSigner signer;
    private final InboundLedger ledger;
    private final Clock clock;
    private final MeterRegistry metrics;

    private final vn.huunghi.hub.ops.FixtureRecorder recorder;
    private final DatabaseReachability database;

    ReceiptIssuer(HubKeys keys, InboundLedger ledger, Clock clock, MeterRegistry metrics,
            vn.huunghi.hub.ops.FixtureRecorder recorder, DatabaseReachability database) {
        this.recorder = recorder;
        this.database = database;
        this.signer = keys.signer();
        this.ledger = ledger;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Signs the receipt that will accept the message, before its admission: the ledger keeps it in
     * the admission's own statement, and it is sent only once the message is on its queue.
     */
    public void signAcceptance(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        inbound.acceptanceReceipt(receipt(inbound, null));
    }

    /** The message is archived and on its queue: say so with the receipt the ledger keeps for repeats. */
    public void accepted(Exchange exchange) throws SQLException {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        byte[] receipt = inbound.acceptanceReceipt();
        if (InboundLedger.resuming(exchange)) {
            ledger.recordReceipt(inbound.header().messageId(), receipt);
        } else {
            ledger.queued(inbound.header().messageId());
        }
        answer(exchange, inbound, receipt, "ACCEPTED");
    }

    /** A repeat of an accepted message: the body already holds the first receipt. */
    public void repeated(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        answer(exchange, inbound, exchange.getIn().getBody(byte[].class), "DUPLICATE");
    }

    public void rejected(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        EdgeRejection rejection = cause instanceof EdgeRejection r ? r
                : new EdgeRejection(RejectionCode.HUB_UNAVAILABLE, "internal error, send the message again later");
        if (!(cause instanceof EdgeRejection)) {
            reportFailure(cause);
        }
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        if (inbound == null) {
            inbound = new InboundDocument(new byte[0], clock.instant());
        }
        if (inbound.sha256() == null) {
            inbound.document(inbound.request(), HostileXmlGuard.sha256(inbound.request()));
        }
        metrics.counter("hub.edge.rejections", "code", rejection.code().name()).increment();
        answer(exchange, inbound, receipt(inbound, rejection), "REJECTED " + rejection.getMessage());
    }

    private void reportFailure(Exception cause) {
        SQLException onTheDatabase = Transactions.sqlCause(cause);
        if (onTheDatabase == null) {
            LOG.error("Edge failed on a message; answered " + RejectionCode.HUB_UNAVAILABLE, cause);
            return;
        }
        // an outage is one cause, not one stack trace per refused message
        LOG.warnf("Edge failed on the database (%s); answered %s", onTheDatabase.getMessage(), RejectionCode.HUB_UNAVAILABLE);
        database.failed(cause);
    }

    private void answer(Exchange exchange, InboundDocument inbound, byte[] receipt, String verdict) {
        MessageHeader header = inbound.header();
        if (recorder.recording()) {
            recorder.inbound(inbound.signerParty() != null ? inbound.signerParty() : header.sender(), header.messageType(),
                    inbound.document() != null ? inbound.document() : inbound.request(),
                    verdict.startsWith("REJECTED") ? "REJECTED " + receiptCodes(receipt) : verdict);
        }
        LOG.infof("messageId=%s type=%s sender=%s verdict=%s", header.messageId(), header.messageType(),
                inbound.signerParty() != null ? inbound.signerParty() : header.sender(), verdict);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "text/xml; charset=UTF-8");
        exchange.getIn().setBody(SoapEnvelope.wrap(receipt));
    }

    private static String receiptCodes(byte[] receipt) {
        org.w3c.dom.NodeList codes = HubDocuments.parse(receipt).getElementsByTagNameNS(
                vn.huunghi.hub.catalog.MessageCatalog.NAMESPACE_V1, "Code");
        java.util.Set<String> found = new java.util.TreeSet<>();
        for (int i = 0; i < codes.getLength(); i++) {
            found.add(codes.item(i).getTextContent());
        }
        return String.join(",", found);
    }

    byte[] receipt(InboundDocument inbound, EdgeRejection rejection) {
        MessageHeader received = inbound.header();
        boolean knownId = received.messageId() != null && UUID_SHAPE.matcher(received.messageId()).matches();
        Element body = HubDocuments.newMessage("Receipt", addressee(inbound), knownId ? received.messageId() : null,
                clock.instant());
        Element receipt = HubDocuments.add(body, "Receipt");
        if (knownId) {
            HubDocuments.text(receipt, "ReceivedMessageId", received.messageId());
        }
        if (received.messageType() != null && MESSAGE_TYPES.contains(received.messageType())) {
            HubDocuments.text(receipt, "ReceivedMessageType", received.messageType());
        }
        HubDocuments.text(receipt, "Verdict", rejection == null ? "ACCEPTED" : "REJECTED");
        HubDocuments.text(receipt, "ReceivedDigest", inbound.sha256()).setAttribute("algorithm", "SHA-256");
        HubDocuments.text(receipt, "ReceivedAt", HubDocuments.timestamp(inbound.receivedAt()));
        if (rejection != null) {
            List<SchemaViolation> violations = rejection.violations();
            if (violations.isEmpty()) {
                error(receipt, rejection.code().name(), null, rejection.detail());
            }
            for (SchemaViolation violation : violations) {
                error(receipt, rejection.code().name(), violation, violation.message());
            }
        }
        return signer.signToBytes(body.getOwnerDocument());
    }

    private static String addressee(InboundDocument inbound) {
        if (inbound.signerParty() != null) {
            return inbound.signerParty();
        }
        String sender = inbound.header().sender();
        // an unidentified sender still gets a receipt; it is addressed to the hub's own log
        return sender != null && PARTIES.contains(sender) ? sender : "HUB";
    }

    private static void error(Element receipt, String code, SchemaViolation at, String text) {
        Element error = HubDocuments.add(receipt, "Error");
        HubDocuments.text(error, "Code", code);
        if (at != null) {
            HubDocuments.text(error, "Path", at.path());
            HubDocuments.text(error, "Line", Integer.toString(at.line()));
            HubDocuments.text(error, "Column", Integer.toString(at.column()));
        }
        HubDocuments.text(error, "Text", text == null || text.isBlank() ? code : text);
    }
}
