package vn.huunghi.hub.catalog;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.GregorianCalendar;
import java.util.UUID;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import vn.huunghi.hub.catalog.v1.BodyType;
import vn.huunghi.hub.catalog.v1.FunctionCode;
import vn.huunghi.hub.catalog.v1.HeaderType;
import vn.huunghi.hub.catalog.v1.MessageType;
import vn.huunghi.hub.catalog.v1.MessageTypeName;
import vn.huunghi.hub.catalog.v1.ObjectFactory;
import vn.huunghi.hub.catalog.v1.PartyCode;

/** Reads and writes catalog messages with the JAXB classes generated from schemas/v1. */
public final class CatalogMessages {

    private static final JAXBContext CONTEXT;
    private static final DatatypeFactory DATATYPES;
    private static final XMLInputFactory STREAMS = XMLInputFactory.newFactory();

    static {
        try {
            CONTEXT = JAXBContext.newInstance(ObjectFactory.class);
            DATATYPES = DatatypeFactory.newInstance();
        } catch (JAXBException | DatatypeConfigurationException e) {
            throw new ExceptionInInitializerError(e);
        }
        STREAMS.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        STREAMS.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private CatalogMessages() {
    }

    /** Reads a document the edge has already verified and validated. */
    public static MessageType read(byte[] document) {
        try {
            return CONTEXT.createUnmarshaller()
                    .unmarshal(new WithoutSignature(STREAMS.createXMLStreamReader(new ByteArrayInputStream(document))),
                            MessageType.class)
                    .getValue();
        } catch (JAXBException | XMLStreamException e) {
            throw new IllegalArgumentException("not a catalog message: " + e.getMessage(), e);
        }
    }

    /**
     * Passes a message to JAXB without its XML signature: the edge has verified it, and JAXB would
     * build a DOM tree for it (the schema's skipped xs:any), through a TransformerFactory looked up
     * on the class path, on every read, for nobody to use (docs/performance.md).
     */
    private static final class WithoutSignature extends StreamReaderDelegate {

        WithoutSignature(XMLStreamReader reader) {
            super(reader);
        }

        @Override
        public int next() throws XMLStreamException {
            int event = super.next();
            while (event == XMLStreamConstants.START_ELEMENT && XMLSignature.XMLNS.equals(getNamespaceURI())) {
                for (int depth = 1; depth > 0; ) {
                    event = super.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        depth++;
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                    }
                }
                event = super.next();
            }
            return event;
        }

        @Override
        public int nextTag() throws XMLStreamException {
            int event = next();
            while (event == XMLStreamConstants.CHARACTERS && isWhiteSpace()
                    || event == XMLStreamConstants.SPACE
                    || event == XMLStreamConstants.COMMENT
                    || event == XMLStreamConstants.PROCESSING_INSTRUCTION) {
                event = next();
            }
            if (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT) {
                throw new XMLStreamException("expected a start or end tag", getLocation());
            }
            return event;
        }
    }

    public static byte[] write(MessageType message) {
        try {
            Marshaller marshaller = CONTEXT.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            marshaller.marshal(new JAXBElement<>(new javax.xml.namespace.QName(MessageCatalog.NAMESPACE_V1, "Message"),
                    MessageType.class, message), out);
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new message from the hub with a fresh messageId, its header filled, its body empty. */
    public static MessageType fromHub(MessageTypeName type, PartyCode receiver, String correlationId, Instant now) {
        HeaderType header = new HeaderType();
        header.setMessageId(UUID.randomUUID().toString());
        header.setCorrelationId(correlationId);
        header.setMessageType(type);
        header.setFunctionCode(FunctionCode.NOTIFY);
        header.setSender(PartyCode.HUB);
        header.setReceiver(receiver);
        header.setCreatedAt(timestamp(now));
        header.setSchemaVersion("1.0");
        MessageType message = new MessageType();
        message.setHeader(header);
        message.setBody(new BodyType());
        return message;
    }

    public static XMLGregorianCalendar timestamp(Instant instant) {
        return DATATYPES.newXMLGregorianCalendar(GregorianCalendar.from(
                instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).atZone(ZoneOffset.UTC)));
    }
}
