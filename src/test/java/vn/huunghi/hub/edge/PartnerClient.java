package vn.huunghi.hub.edge;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.crypto.HubKeys;

/** A partner system as the hub sees it: HTTPS with its own client certificate, SOAP around a signed document. */
public final class PartnerClient {

    private final HttpClient http;
    private final URI edge;

    public PartnerClient(URL edge, String devParty) {
        this(edge, PartnerDocuments.keystore(PartnerDocuments.DEV_KEYS.resolve(devParty + ".p12")));
    }

    public PartnerClient(URL edge, KeyStore clientKeys) {
        try {
            this.http = HttpClient.newBuilder().sslContext(mutualTls(clientKeys)).connectTimeout(Duration.ofSeconds(5)).build();
            this.edge = edge.toURI();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS with these client keys, trusting the dev CA: how every party and device reaches the hub. */
    public static SSLContext mutualTls(KeyStore clientKeys) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(clientKeys, "changeit".toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(HubKeys.load(PartnerDocuments.DEV_KEYS.resolve("truststore.p12"), "changeit"));
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return tls;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the document inside a SOAP envelope, byte for byte, and returns the receipt. */
    public Receipt submit(byte[] document) {
        return post(SoapEnvelope.wrap(document));
    }

    /**
     * Sends the same signed bytes until the hub answers with a verdict, as a partner does while the
     * hub is down, restarting or answers HUB_UNAVAILABLE; a repeat is answered with the first receipt.
     */
    public static Receipt submitUntilAnswered(java.util.function.Supplier<PartnerClient> client, byte[] document,
            Duration giveUpAfter) throws InterruptedException {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Receipt receipt = client.get().submit(document);
                if (!receipt.errorCodes().contains(RejectionCode.HUB_UNAVAILABLE.name())) {
                    return receipt;
                }
            } catch (RuntimeException noAnswer) {
                // down, or not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the hub never answered within " + giveUpAfter);
    }

    public Receipt post(byte[] request) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(edge)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "text/xml; charset=UTF-8")
                    .header("SOAPAction", "\"urn:huunghi-gate:hub:edge:v1:Submit\"")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Receipt(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hub's answer: the SOAP response and the signed receipt document inside it. */
    public record Receipt(int status, byte[] soap) {

        public Document document() {
            return PartnerDocuments.parse(soap);
        }

        /** The receipt Message exactly as it sat in the SOAP body. */
        public byte[] signedReceipt() {
            String text = new String(soap, StandardCharsets.UTF_8);
            int start = text.indexOf("<Message");
            int end = text.lastIndexOf("</Message>") + "</Message>".length();
            return text.substring(start, end).getBytes(StandardCharsets.UTF_8);
        }

        public String verdict() {
            return value("Verdict");
        }

        public List<String> errorCodes() {
            List<String> codes = new ArrayList<>();
            NodeList nodes = document().getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "Code");
            for (int i = 0; i < nodes.getLength(); i++) {
                codes.add(nodes.item(i).getTextContent());
            }
            return codes;
        }

        public List<Element> errors() {
            List<Element> errors = new ArrayList<>();
            NodeList nodes = document().getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "Error");
            for (int i = 0; i < nodes.getLength(); i++) {
                errors.add((Element) nodes.item(i));
            }
            return errors;
        }

        public String value(String name) {
            NodeList nodes = document().getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name);
            return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
        }

        @Override
        public String toString() {
            return status + " " + new String(soap, StandardCharsets.UTF_8);
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static ByteArrayInputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }
}
