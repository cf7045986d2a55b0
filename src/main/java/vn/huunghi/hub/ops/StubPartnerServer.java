package vn.huunghi.hub.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.EdgeRejection;
import vn.huunghi.hub.edge.SignatureVerification;
import vn.huunghi.hub.edge.SoapEnvelope;

/**
 * DEV ONLY: every partner the outbox delivers to, as one real HTTPS server with mutual TLS on
 * loopback, one path per party, using the dev PKI. Like a real partner it verifies each document
 * with the hub's certificate alone, validates it against the catalog, checks it is addressed to
 * it, and answers with a receipt signed with its own dev key. Used by the tests and by the
 * `stub-partners` profile of the embedded run, so that the outbox has somewhere to deliver.
 */
public final class StubPartnerServer implements AutoCloseable {

    public static final List<String> PARTIES = List.of("CN-NANNING-CUSTOMS", "VN-NSW", "ASEAN-SW", "VN-CUSTOMS",
            "VN-BORDER-GUARD", "VN-PLANT-QUARANTINE", "VN-ANIMAL-QUARANTINE", "VN-HEALTH-QUARANTINE", "VN-PORT-OPERATOR");
    private static final char[] DEV_PASSWORD = "changeit".toCharArray();

    static {
        // The JDK's server writes an answer's headers and body separately and, unless told, with
        // Nagle's algorithm on: the body then waits up to 40 ms for the hub to acknowledge the headers.
        // A partner that slow would measure itself, not the hub (docs/performance.md, session 15). Read
        // once, when the JDK's first HTTP server in this JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Path devKeys;
    private final HttpsServer server;
    private final SignatureVerification pinnedToHub;
    // compiled once: compiled per delivery, it made the partners slow under load (docs/performance.md)
    private final MessageCatalog catalog = MessageCatalog.v1();
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> rejectionsLeft = new ConcurrentHashMap<>();
    private final Map<String, List<String>> rejected = new ConcurrentHashMap<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, XmlSigner> receiptSigners = new ConcurrentHashMap<>();
    private final Map<String, byte[]> receipts = new ConcurrentHashMap<>();
    private final AtomicInteger repeats = new AtomicInteger();
    private final ExecutorService handlers = Executors.newFixedThreadPool(
            PARTIES.size(), runnable -> {
                Thread thread = new Thread(runnable, "stub-partner");
                thread.setDaemon(true);
                return thread;
            });
    private volatile BiConsumer<String, Document> listener = (party, document) -> { };

    public StubPartnerServer(Path devKeys, int port) throws Exception {
        this.devKeys = devKeys;
        Set<TrustAnchor> hub = new HashSet<>();
        for (String stem : List.of("hub", "hub-ec")) { // the hub signs with RSA-2048 or ECDSA P-256
            if (Files.exists(devKeys.resolve(stem + ".p12"))) {
                hub.add(new TrustAnchor((X509Certificate) keystore(stem).getCertificate(stem), null));
            }
        }
        this.pinnedToHub = new SignatureVerification(hub, List.of(), SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setHttpsConfigurator(clientCertificateRequired(tls()));
        for (String party : PARTIES) {
            received.put(party, Collections.synchronizedList(new ArrayList<>()));
            failuresLeft.put(party, new AtomicInteger());
            server.createContext("/partner/" + party, exchange -> handle(exchange, party));
            refused.put(party, new AtomicInteger());
            rejectionsLeft.put(party, new AtomicInteger());
            rejected.put(party, Collections.synchronizedList(new ArrayList<>()));
            server.createContext("/control/outage/" + party, exchange -> outage(exchange, party));
        }
        server.setExecutor(handlers); // partners answer side by side, as separate systems would
        server.start();
    }

    /**
     * The same partners back up after {@code down} was closed: they remember what they accepted and
     * the receipts they gave, as real partners keep their records across a restart.
     */
    public static StubPartnerServer resume(StubPartnerServer down, int port) throws Exception {
        StubPartnerServer resumed = new StubPartnerServer(down.devKeys, port);
        down.received.forEach((party, ids) -> resumed.received.get(party).addAll(ids));
        resumed.receipts.putAll(down.receipts);
        resumed.repeats.set(down.repeats.get());
        resumed.listener = down.listener;
        return resumed;
    }

    /** Called with each document a partner accepted (the load generator times deliveries with it). */
    public void onDelivery(BiConsumer<String, Document> listener) {
        this.listener = listener;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String endpoint(String party) {
        return "https://localhost:" + port() + "/partner/" + party;
    }

    /** The hub's configuration that sends every partner's deliveries here: hub.partners.<PARTY>.endpoint. */
    public Map<String, String> endpointSettings() {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String party : PARTIES) {
            settings.put("hub.partners." + party + ".endpoint", endpoint(party));
        }
        return settings;
    }

    /** Documents that came again after they were accepted (the hub never got the receipt): answered with the first receipt. */
    public int repeats() {
        return repeats.get();
    }

    /** MessageIds this party accepted, in the order they arrived (each once: a repeat is counted in repeats()). */
    public List<String> received(String party) {
        synchronized (received.get(party)) {
            return List.copyOf(received.get(party));
        }
    }

    /** Anything a real partner would have refused: unverifiable signature, invalid document, wrong receiver. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Answers the next requests to this party with HTTP 503, as a partner that is down. */
    public void failNext(String party, int requests) {
        failuresLeft.get(party).set(requests);
    }

    /**
     * Answers the next documents to this party with a signed receipt whose verdict is REJECTED, as a
     * partner whose own rules refuse them; not a problem of the hub's.
     */
    public void rejectNext(String party, int documents) {
        rejectionsLeft.get(party).set(documents);
    }

    /** MessageIds this party rejected on being told to, once per delivery: a document sent again is listed again. */
    public List<String> rejected(String party) {
        return List.copyOf(rejected.get(party));
    }

    /** How many deliveries this party refused so far, and how many more it will refuse. */
    public record Outage(int refused, int refusing) {
    }

    public Outage outage(String party) {
        return new Outage(refused.get(party).get(), failuresLeft.get(party).get());
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange, String party) {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            if (failuresLeft.get(party).getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
                refused.get(party).incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            NodeList messages = HubDocuments.parse(request).getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "Message");
            Document document = HubDocuments.newDocument();
            document.appendChild(document.importNode(messages.item(0), true));
            String messageId = value(document, "MessageId");
            if (rejectionsLeft.get(party).getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
                rejected.get(party).add(messageId);
                answer(exchange, SoapEnvelope.wrap(receipt(party, document, false)));
                return;
            }
            String problem = null;
            try {
                pinnedToHub.verify(document, Instant.now());
            } catch (EdgeRejection e) {
                problem = messageId + " does not verify with the hub's certificate: " + e.getMessage();
            }
            var violations = catalog.validate(document, () -> XmlSigner.serialize(document));
            if (!violations.isEmpty()) {
                problem = messageId + " is not valid: " + violations;
            }
            if (!party.equals(value(document, "Receiver"))) {
                problem = messageId + " is addressed to " + value(document, "Receiver") + ", not " + party;
            }
            byte[] receipt;
            if (problem != null) {
                problems.add(problem);
                receipt = SoapEnvelope.wrap(receipt(party, document, false));
            } else {
                // like a real partner, a repeat (its receipt was lost on the way back) gets the first receipt again
                boolean[] first = {false};
                receipt = receipts.computeIfAbsent(messageId, id -> {
                    first[0] = true;
                    return SoapEnvelope.wrap(receipt(party, document, true));
                });
                if (first[0]) {
                    received.get(party).add(messageId);
                    listener.accept(party, document);
                } else {
                    repeats.incrementAndGet();
                }
            }
            answer(exchange, receipt);
        } catch (IOException connectionLost) {
            // the hub went away mid-exchange (a kill): it sends the document again, and a repeat is
            // answered with the first receipt
        } catch (Exception e) {
            problems.add("stub partner failed: " + e);
        }
    }

    /** The answer, a signed receipt in its SOAP envelope, this partner gave for a document it accepted. */
    public Optional<byte[]> answerTo(String messageId) {
        return Optional.ofNullable(receipts.get(messageId));
    }

    private static void answer(HttpExchange exchange, byte[] receipt) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=UTF-8");
        exchange.sendResponseHeaders(200, receipt.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(receipt);
        }
    }

    /**
     * The control call a replay uses to take a partner down: {@code POST /control/outage/<PARTY>?refuse=N}
     * makes it answer its next N deliveries with 503; {@code GET} tells how many it refused and will refuse.
     */
    private void outage(HttpExchange exchange, String party) throws IOException {
        try (exchange) {
            if ("POST".equals(exchange.getRequestMethod())) {
                String query = String.valueOf(exchange.getRequestURI().getQuery());
                Matcher refuse = Pattern.compile("(?:^|&)refuse=(\\d{1,6})(?:&|$)").matcher(query);
                if (!refuse.find()) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                refused.get(party).set(0);
                failNext(party, Integer.parseInt(refuse.group(1)));
            }
            Outage outage = outage(party);
            byte[] answer = ("{\"party\":\"" + party + "\",\"refused\":" + outage.refused() + ",\"refusing\":"
                    + outage.refusing() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private byte[] receipt(String party, Document received, boolean accepted) {
        try {
            return signedReceipt(party, received, accepted);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] signedReceipt(String party, Document received, boolean accepted) throws Exception {
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
        return receiptSigners.computeIfAbsent(party, this::signer).signToBytes(body.getOwnerDocument());
    }

    private XmlSigner signer(String party) {
        String stem = party.toLowerCase();
        try {
            KeyStore keys = keystore(stem);
            return new XmlSigner((PrivateKey) keys.getKey(stem, DEV_PASSWORD), (X509Certificate) keys.getCertificate(stem));
        } catch (Exception e) {
            throw new IllegalStateException("no dev key for " + party, e);
        }
    }

    private static String value(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private KeyStore keystore(String stem) throws Exception {
        return HubKeys.load(devKeys.resolve(stem + ".p12"), new String(DEV_PASSWORD));
    }

    /**
     * TLS that refuses a client without a certificate the trust store chains. Through the parameters'
     * own setNeedClientAuth the JDK's server never asked for one (until session 12 the stub partners
     * took any client); set in the SSL parameters, it does.
     */
    public static HttpsConfigurator clientCertificateRequired(SSLContext tls) {
        return new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = tls.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        };
    }

    private SSLContext tls() throws Exception {
        String password = new String(DEV_PASSWORD);
        return HubKeys.tls(devKeys.resolve("cn-nanning-customs.p12"), password, devKeys.resolve("truststore.p12"), password);
    }
}
