package vn.huunghi.hub.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.crypto.XmlSigner;

/**
 * Every partner the outbox delivers to, as one real HTTPS server (mutual TLS) on loopback, one
 * path per party. Like a real partner it verifies each document with the hub's certificate alone,
 * validates it against the catalog, checks it is addressed to it, and answers with a receipt signed
 * with its own key. A test can make a party fail (HTTP 503) for a number of requests or for good.
 */
public class StubPartners implements QuarkusTestResourceLifecycleManager {

    public static final List<String> PARTIES = List.of("CN-NANNING-CUSTOMS", "VN-NSW", "ASEAN-SW", "VN-CUSTOMS",
            "VN-BORDER-GUARD", "VN-PLANT-QUARANTINE", "VN-ANIMAL-QUARANTINE", "VN-HEALTH-QUARANTINE", "VN-PORT-OPERATOR");

    private static final Map<String, List<String>> RECEIVED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> FAILURES_LEFT = new ConcurrentHashMap<>();
    private static final List<String> PROBLEMS = Collections.synchronizedList(new ArrayList<>());
    private HttpsServer server;

    @Override
    public Map<String, String> start() {
        try {
            X509Certificate hub = (X509Certificate) PartnerDocuments.keystore(PartnerDocuments.DEV_KEYS.resolve("hub.p12"))
                    .getCertificate("hub");
            vn.huunghi.hub.edge.SignatureVerification pinned = new SignatureVerification(
                    Set.of(new TrustAnchor(hub, null)), List.of(), SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            SSLContext tls = tls();
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters parameters) {
                    parameters.setNeedClientAuth(true);
                }
            });
            for (String party : PARTIES) {
                RECEIVED.put(party, Collections.synchronizedList(new ArrayList<>()));
                FAILURES_LEFT.put(party, new AtomicInteger());
                server.createContext("/partner/" + party, exchange -> handle(exchange, party, pinned));
            }
            server.start();
            Map<String, String> config = new HashMap<>();
            for (String party : PARTIES) {
                config.put("hub.partners." + party + ".endpoint",
                        "https://localhost:" + server.getAddress().getPort() + "/partner/" + party);
            }
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("stub partners did not start", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** MessageIds this party accepted, in the order they arrived (a repeat appears twice). */
    public static List<String> received(String party) {
        synchronized (RECEIVED.get(party)) {
            return List.copyOf(RECEIVED.get(party));
        }
    }

    /** Anything a real partner would have refused: unverifiable signature, invalid document, wrong receiver. */
    public static List<String> problems() {
        return List.copyOf(PROBLEMS);
    }

    public static void failNext(String party, int requests) {
        FAILURES_LEFT.get(party).set(requests);
    }

    private static void handle(HttpExchange exchange, String party, SignatureVerification pinned) {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            if (FAILURES_LEFT.get(party).getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            NodeList messages = HubDocuments.parse(request).getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "Message");
            Document document = HubDocuments.newDocument();
            document.appendChild(document.importNode(messages.item(0), true));
            String messageId = value(document, "MessageId");
            String problem = null;
            try {
                pinned.verify(document, Instant.now());
            } catch (EdgeRejection e) {
                problem = messageId + " does not verify with the hub's certificate: " + e.getMessage();
            }
            var violations = MessageCatalog.v1().validate(XmlSigner.serialize(document));
            if (!violations.isEmpty()) {
                problem = messageId + " is not valid: " + violations;
            }
            if (!party.equals(value(document, "Receiver"))) {
                problem = messageId + " is addressed to " + value(document, "Receiver") + ", not " + party;
            }
            if (problem != null) {
                PROBLEMS.add(problem);
            } else {
                RECEIVED.get(party).add(messageId);
            }
            byte[] receipt = SoapEnvelope.wrap(receipt(party, document, problem == null));
            exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=UTF-8");
            exchange.sendResponseHeaders(200, receipt.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(receipt);
            }
        } catch (Exception e) {
            PROBLEMS.add("stub partner failed: " + e);
        }
    }

    private static byte[] receipt(String party, Document received, boolean accepted) {
        Element body = HubDocuments.newMessage("Receipt", "HUB", value(received, "MessageId"), Instant.now());
        HubDocuments.child(HubDocuments.child(body.getOwnerDocument().getDocumentElement(), "Header"), "Sender")
                .setTextContent(party);
        Element receipt = HubDocuments.add(body, "Receipt");
        HubDocuments.text(receipt, "ReceivedMessageId", value(received, "MessageId"));
        HubDocuments.text(receipt, "ReceivedMessageType", value(received, "MessageType"));
        HubDocuments.text(receipt, "Verdict", accepted ? "ACCEPTED" : "REJECTED");
        HubDocuments.text(receipt, "ReceivedDigest", "AAAA").setAttribute("algorithm", "SHA-256");
        HubDocuments.text(receipt, "ReceivedAt", HubDocuments.timestamp(Instant.now()));
        if (!accepted) {
            Element error = HubDocuments.add(receipt, "Error");
            HubDocuments.text(error, "Code", "DOCUMENT_REFUSED");
            HubDocuments.text(error, "Text", "refused by the stub partner");
        }
        String stem = party.toLowerCase();
        return PartnerDocuments.signer(PartnerDocuments.keystore(PartnerDocuments.DEV_KEYS.resolve(stem + ".p12")), stem)
                .signToBytes(body.getOwnerDocument());
    }

    private static String value(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static SSLContext tls() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(PartnerDocuments.keystore(PartnerDocuments.DEV_KEYS.resolve("cn-nanning-customs.p12")),
                "changeit".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PartnerDocuments.keystore(PartnerDocuments.DEV_KEYS.resolve("truststore.p12")));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
