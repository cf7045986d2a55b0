package vn.huunghi.hub.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.apache.camel.Exchange;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.edge.SoapEnvelope;

/**
 * Posts a signed SOAP request to its partner over HTTPS with mutual TLS (the hub's key, the
 * partner trust store) and hands back the partner's answer: the client side of
 * schemas/hub-edge.wsdl, byte for byte.
 */
@ApplicationScoped
@Named("partnerDeliveryClient")
public class PartnerDeliveryClient {

    // the WSDL's one operation (schemas/hub-edge.wsdl), quoted as SOAP 1.1 wants it
    static final String SOAP_ACTION = "\"urn:huunghi-gate:hub:edge:v1:Submit\"";
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final int FAULT_TEXT_LIMIT = 300;

    // The JDK keeps a connection alive for the next call with the same host, port and socket factory,
    // but at most five of them idle at once (http.maxConnections): with one factory the consumers of
    // partners on one host and port (the stub partners: 36 consumers) closed each other's connections
    // and handshook again every ten deliveries. A factory per delivering thread keeps each consumer
    // its own connection; the one context shares the TLS sessions they resume.
    private final ThreadLocal<SSLSocketFactory> mutualTls;

    @Inject
    PartnerDeliveryClient(HubConfig config) throws GeneralSecurityException, IOException {
        this(HubKeys.tls(config.crypto().keystore(), config.crypto().keystorePassword(), config.crypto().truststore(),
                config.crypto().truststorePassword()));
    }

    PartnerDeliveryClient(SSLContext mutualTls) {
        this.mutualTls = ThreadLocal.withInitial(mutualTls::getSocketFactory);
    }

    /**
     * Sends the exchange's body (a SOAP envelope) to the endpoint in {@link OutboxDelivery#ENDPOINT};
     * the body becomes the partner's answer. Anything but a 2xx answer is an {@link IOException}
     * naming the partner's status and, for a SOAP fault, its fault string: the delivery is retried.
     */
    public void post(Exchange exchange) throws IOException {
        String endpoint = exchange.getProperty(OutboxDelivery.ENDPOINT, String.class);
        byte[] request = exchange.getIn().getBody(byte[].class);
        exchange.getIn().setBody(post(endpoint, request));
    }

    byte[] post(String endpoint, byte[] request) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint).toURL().openConnection();
        if (connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(mutualTls.get());
        }
        connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        connection.setReadTimeout(READ_TIMEOUT_MILLIS);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        // Not in streaming mode: the JDK probes a kept-alive connection before a streamed POST with a 1-ms
        // read that normally times out, so every delivery waited a millisecond and threw an exception
        // (docs/performance.md, session 36). A buffered POST goes out with its length as well, and a
        // connection the partner closed while idle is found by the request itself, which the JDK then
        // sends once more on a new connection: a partner gets it once, or, if the connection broke after
        // the partner read it, twice with one messageId, as after any retry of the delivery route.
        connection.setRequestProperty("Content-Type", "text/xml; charset=UTF-8");
        connection.setRequestProperty("SOAPAction", SOAP_ACTION);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(request);
        }
        int status = connection.getResponseCode();
        if (status / 100 == 2) {
            try (InputStream in = connection.getInputStream()) {
                return in.readAllBytes();
            }
        }
        // read the error answer to its end, so that the connection can be kept alive for the next call
        byte[] answer;
        try (InputStream in = connection.getErrorStream()) {
            answer = in == null ? new byte[0] : in.readAllBytes();
        }
        throw new IOException(endpoint + " answered HTTP " + status + faultString(answer));
    }

    // A partner's SOAP fault says why in its own words; the operator's dead letter should too.
    static String faultString(byte[] answer) {
        if (answer.length == 0) {
            return "";
        }
        try {
            var fault = HubDocuments.parse(answer);
            NodeList soap11 = fault.getElementsByTagName("faultstring");
            NodeList soap12 = fault.getElementsByTagNameNS(SoapEnvelope.SOAP12, "Text");
            NodeList text = soap11.getLength() > 0 ? soap11 : soap12;
            if (text.getLength() > 0) {
                return ": " + shortened(text.item(0).getTextContent().strip());
            }
        } catch (RuntimeException notXml) {
            // not a SOAP fault: the start of the answer tells more than nothing
        }
        return ": " + shortened(new String(answer, StandardCharsets.UTF_8).strip());
    }

    private static String shortened(String text) {
        return text.length() <= FAULT_TEXT_LIMIT ? text : text.substring(0, FAULT_TEXT_LIMIT) + "...";
    }
}
