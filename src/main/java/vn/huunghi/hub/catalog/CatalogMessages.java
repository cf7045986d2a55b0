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
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
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
                    .unmarshal(STREAMS.createXMLStreamReader(new ByteArrayInputStream(document)), MessageType.class)
                    .getValue();
        } catch (JAXBException | XMLStreamException e) {
            throw new IllegalArgumentException("not a catalog message: " + e.getMessage(), e);
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
