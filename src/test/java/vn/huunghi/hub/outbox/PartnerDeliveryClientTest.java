package vn.huunghi.hub.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.edge.TestPki;
import vn.huunghi.hub.ops.StubPartnerServer;

/** The delivery client against a real HTTPS partner that asks for the hub's certificate. */
class PartnerDeliveryClientTest {

    private static final Path DEV = Path.of("certs-dev/out");
    private static final byte[] SOAP_FAULT = ("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>queue full, try later</faultstring>"
            + "</soap:Fault></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8);

    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();
    private final List<String> soapActions = new CopyOnWriteArrayList<>();
    private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
    private HttpsServer partner;
    private PartnerDeliveryClient client;

    @BeforeEach
    void partnerUp() throws Exception {
        partner = partner("vn-customs");
        client = new PartnerDeliveryClient(HubKeys.tls(DEV.resolve("hub.p12"), "changeit",
                DEV.resolve("truststore.p12"), "changeit"));
    }

    @AfterEach
    void partnerDown() {
        partner.stop(0);
    }

    @Test
    void postsTheEnvelopeWithTheHubsCertificateAndReturnsThePartnersAnswerOverOneKeptAliveConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            byte[] request = ("<request n=\"" + i + "\"/>").getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(("<answer><request n=\"" + i + "\"/></answer>").getBytes(StandardCharsets.UTF_8),
                    client.post(url("/echo"), request));
        }
        assertEquals(5, clientSubjects.size());
        assertTrue(clientSubjects.stream().allMatch(subject -> subject.contains("CN=HUB")), clientSubjects.toString());
        assertEquals(List.of(PartnerDeliveryClient.SOAP_ACTION), soapActions.stream().distinct().toList());
        // a TLS handshake per delivery would cost the partner and the hub a signature each
        assertEquals(1, connections.size(), "one connection for five calls: " + connections);
    }

    @Test
    void aDeliveryOnTheKeptAliveConnectionGoesOutWithoutTheJdksTimedProbeOfIt() throws Exception {
        client.post(url("/echo"), new byte[] {'<', 'x', '/', '>'});
        List<String> thrownHere = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaExceptionThrow");
            recording.start();
            for (int i = 0; i < 4; i++) {
                client.post(url("/echo"), new byte[] {'<', 'x', '/', '>'});
            }
            recording.stop();
            Path file = Files.createTempFile("deliveries", ".jfr");
            try {
                recording.dump(file);
                for (RecordedEvent thrown : RecordingFile.readAllEvents(file)) {
                    if (thrown.getThread("eventThread").getJavaThreadId() == Thread.currentThread().getId()) {
                        thrownHere.add(thrown.getClass("thrownClass").getName());
                    }
                }
            } finally {
                Files.delete(file);
            }
        }
        assertEquals(1, connections.size(), "five deliveries on one kept-alive connection: " + connections);
        // a streamed POST made the JDK read the kept-alive connection for 1 ms first, until that read timed out
        assertEquals(List.of(), thrownHere.stream().filter(name -> name.equals(SocketTimeoutException.class.getName())).toList());
    }

    @Test
    void aConnectionThePartnerClosedWhileIdleIsReplacedAndTheDocumentGoesOutOnce() throws Exception {
        client.post(url("/echo"), "<first/>".getBytes(StandardCharsets.UTF_8));
        int port = partner.getAddress().getPort();
        partner.stop(0); // closes the connection the client keeps alive
        partner = partner(DEV.resolve("vn-customs.p12"), port);
        assertArrayEquals("<answer><second/></answer>".getBytes(StandardCharsets.UTF_8),
                client.post(url("/echo"), "<second/>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, clientSubjects.size(), "each document reached the partner once");
        assertEquals(2, connections.size(), connections.toString());
    }

    @Test
    void moreConsumersThanTheJdksFiveIdleConnectionsPerHostEachKeepTheirOwnConnection() throws Exception {
        int consumers = 8;
        CyclicBarrier allIdle = new CyclicBarrier(consumers);
        ExecutorService threads = Executors.newFixedThreadPool(consumers);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                calls.add(threads.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        client.post(url("/echo"), new byte[] {'<', 'x', '/', '>'});
                        allIdle.await(10, TimeUnit.SECONDS); // every connection back in the cache at once
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(3 * consumers, clientSubjects.size());
        assertEquals(consumers, connections.size(), "a TLS handshake per consumer, not one per round: " + connections);
    }

    @Test
    void aSoapFaultNamesThePartnersStatusAndReasonAndTheConnectionIsKept() throws Exception {
        IOException fault = assertThrows(IOException.class, () -> client.post(url("/fault"), new byte[] {'<', 'x', '/', '>'}));
        assertTrue(fault.getMessage().contains("HTTP 500: queue full, try later"), fault.getMessage());
        IOException unavailable = assertThrows(IOException.class, () -> client.post(url("/unavailable"), new byte[1]));
        assertTrue(unavailable.getMessage().endsWith("answered HTTP 503"), unavailable.getMessage());
        client.post(url("/echo"), new byte[] {'<', 'x', '/', '>'});
        assertEquals(1, connections.size(), "the error answers were read to their end: " + connections);
    }

    @Test
    void aPartnerWhoseCertificateTheHubDoesNotTrustIsNotSentTheDocument() throws Exception {
        new TestPki().start();
        HttpsServer impostor = partner(Path.of("target/test-pki/untrusted.p12"));
        try {
            String address = "https://localhost:" + impostor.getAddress().getPort() + "/echo";
            assertThrows(SSLException.class, () -> client.post(address, new byte[] {'<', 'x', '/', '>'}));
            assertEquals(List.of(), clientSubjects, "nothing reached the impostor");
        } finally {
            impostor.stop(0);
        }
    }

    private String url(String path) {
        return "https://localhost:" + partner.getAddress().getPort() + path;
    }

    private HttpsServer partner(String party) throws Exception {
        return partner(DEV.resolve(party + ".p12"));
    }

    private HttpsServer partner(Path keystore) throws Exception {
        return partner(keystore, 0);
    }

    private HttpsServer partner(Path keystore, int port) throws Exception {
        SSLContext tls = HubKeys.tls(keystore, "changeit", DEV.resolve("truststore.p12"), "changeit");
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10);
        server.setHttpsConfigurator(StubPartnerServer.clientCertificateRequired(tls));
        server.createContext("/echo", exchange -> answer(exchange, 200, echo(exchange)));
        server.createContext("/fault", exchange -> answer(exchange, 500, SOAP_FAULT));
        server.createContext("/unavailable", exchange -> answer(exchange, 503, new byte[0]));
        server.start();
        return server;
    }

    private byte[] echo(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        return ("<answer>" + new String(request, StandardCharsets.UTF_8) + "</answer>").getBytes(StandardCharsets.UTF_8);
    }

    private void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            X509Certificate hub = (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
            clientSubjects.add(hub.getSubjectX500Principal().getName());
            soapActions.add(exchange.getRequestHeaders().getFirst("SOAPAction"));
            connections.add(exchange.getRemoteAddress());
            exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=UTF-8");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }
}
