package vn.huunghi.hub.edge;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.apache.camel.Exchange;
import org.codehaus.stax2.XMLStreamReader2;
import vn.huunghi.hub.HubConfig;

/**
 * First step of the edge: reads the request once, with a streaming parser that resolves nothing,
 * and refuses it before anything else costs CPU or memory: over the size limit, a DOCTYPE (the
 * carrier of entity-expansion bombs and external entities), XInclude, too deep, too many
 * elements, or not a SOAP envelope with exactly one document in its body. What passes is the
 * document's exact bytes, cut out of the envelope.
 */
@ApplicationScoped
@Named("guardHostileXml")
public class HostileXmlGuard {

    private static final String XINCLUDE = "http://www.w3.org/2001/XInclude";

    private final HubConfig.Edge limits;
    private final XMLInputFactory streams;
    private final Clock clock;

    @jakarta.inject.Inject
    HostileXmlGuard(HubConfig config, Clock clock) {
        this(config.edge(), clock);
    }

    HostileXmlGuard(HubConfig.Edge limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        WstxInputFactory factory = new WstxInputFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, limits.maxDepth() + 1);
        factory.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 64);
        this.streams = factory;
    }

    /** Reads the request body and leaves an {@link InboundDocument} on the exchange. */
    public void guard(Exchange exchange) {
        InboundDocument inbound = new InboundDocument(readBounded(exchange.getIn().getBody(InputStream.class)),
                clock.instant());
        exchange.setProperty(InboundDocument.PROPERTY, inbound);
        byte[] payload = payloadOf(inbound.request());
        inbound.document(payload, sha256(payload));
    }

    byte[] readBounded(InputStream body) {
        if (body == null) {
            throw new EdgeRejection(RejectionCode.SOAP_ENVELOPE_INVALID, "empty request");
        }
        int max = limits.maxDocumentBytes();
        try (body) {
            byte[] bytes = body.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new EdgeRejection(RejectionCode.MESSAGE_TOO_LARGE,
                        "more than " + max + " bytes (hub.edge.max-document-bytes)");
            }
            return bytes;
        } catch (IOException e) {
            throw new EdgeRejection(RejectionCode.XML_MALFORMED, "request could not be read: " + e.getMessage());
        }
    }

    /** The bytes of the one element inside the SOAP Body, exactly as received. */
    byte[] payloadOf(byte[] request) {
        // Partners send UTF-8 (SOAP 1.1 over HTTP); decoding strictly first lets offsets be counted in characters.
        String text = strictUtf8(request);
        long start = -1;
        long end = -1;
        int depth = 0;
        int elements = 0;
        boolean inBody = false;
        try {
            XMLStreamReader2 reader = (XMLStreamReader2) streams.createXMLStreamReader(new StringReader(text));
            try {
                while (reader.hasNext()) {
                    int event = reader.next();
                    switch (event) {
                        case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE,
                                XMLStreamConstants.ENTITY_DECLARATION ->
                            throw new EdgeRejection(RejectionCode.XML_DTD_FORBIDDEN,
                                    "line " + reader.getLocation().getLineNumber() + ": DOCTYPE or entity");
                        case XMLStreamConstants.START_ELEMENT -> {
                            depth++;
                            if (++elements > limits.maxElements()) {
                                throw new EdgeRejection(RejectionCode.XML_TOO_MANY_ELEMENTS,
                                        "more than " + limits.maxElements() + " elements");
                            }
                            if (depth > limits.maxDepth()) {
                                throw new EdgeRejection(RejectionCode.XML_TOO_DEEP,
                                        "nesting deeper than " + limits.maxDepth());
                            }
                            if (XINCLUDE.equals(reader.getNamespaceURI())) {
                                throw new EdgeRejection(RejectionCode.XML_XINCLUDE_FORBIDDEN,
                                        "line " + reader.getLocation().getLineNumber() + ": xi:" + reader.getLocalName());
                            }
                            String ns = reader.getNamespaceURI();
                            boolean soap = SoapEnvelope.SOAP11.equals(ns) || SoapEnvelope.SOAP12.equals(ns);
                            if (depth == 1 && !(soap && "Envelope".equals(reader.getLocalName()))) {
                                throw new EdgeRejection(RejectionCode.SOAP_ENVELOPE_INVALID,
                                        "root is " + reader.getName() + ", not a SOAP Envelope");
                            }
                            if (depth == 2 && soap && "Body".equals(reader.getLocalName())) {
                                inBody = true;
                            }
                            if (depth == 3 && inBody) {
                                if (start >= 0) {
                                    throw new EdgeRejection(RejectionCode.SOAP_ENVELOPE_INVALID,
                                            "the SOAP Body holds more than one element");
                                }
                                start = reader.getLocationInfo().getStartingCharOffset();
                            }
                        }
                        case XMLStreamConstants.END_ELEMENT -> {
                            if (depth == 3 && inBody) {
                                end = reader.getLocationInfo().getEndingCharOffset();
                            }
                            if (depth == 2) {
                                inBody = false;
                            }
                            depth--;
                        }
                        default -> {
                            // text, comments and processing instructions cost nothing more to skip
                        }
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            // cut off inside a character reference (&#1...) is truncation, not an entity
            boolean truncated = message.contains("EOF") || message.contains("end of input");
            if (!truncated && (message.contains("DOCTYPE") || message.contains("entity"))) {
                throw new EdgeRejection(RejectionCode.XML_DTD_FORBIDDEN, firstLine(message));
            }
            if (message.contains("depth")) {
                throw new EdgeRejection(RejectionCode.XML_TOO_DEEP, firstLine(message));
            }
            throw new EdgeRejection(RejectionCode.XML_MALFORMED, firstLine(message));
        }
        if (start < 0 || end <= start) {
            throw new EdgeRejection(RejectionCode.SOAP_ENVELOPE_INVALID, "the SOAP Body holds no document");
        }
        int byteStart = utf8Length(text, 0, (int) start);
        int byteEnd = byteStart + utf8Length(text, (int) start, (int) end);
        return Arrays.copyOfRange(request, byteStart, byteEnd);
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new EdgeRejection(RejectionCode.XML_MALFORMED, "the request is not valid UTF-8");
        }
    }

    private static int utf8Length(String text, int from, int to) {
        return text.substring(from, to).getBytes(StandardCharsets.UTF_8).length;
    }

    static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
