package vn.huunghi.hub.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Validator;
import javax.xml.validation.ValidatorHandler;
import org.w3c.dom.Document;
import org.xml.sax.ContentHandler;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/** The hub's message catalog (the XSDs under {@code schemas/}), and validation of documents against it. */
public final class MessageCatalog {

    public static final String NAMESPACE_V1 = "urn:huunghi-gate:hub:v1";
    static final String ENTRY_SCHEMA_V1 = "schemas/v1/hub-message.xsd";

    private static final SAXParserFactory PARSERS = SecureXml.saxParserFactory();
    // A new SAX parser sets up its whole configuration; one per thread, reset before each document.
    private static final ThreadLocal<SAXParser> THREAD_PARSERS = ThreadLocal.withInitial(() -> {
        try {
            return PARSERS.newSAXParser();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
    });

    private final Schema schema;
    // Setting up a validator costs as much as validating a small document; one per thread, each
    // document starts it afresh (startDocument resets it, after a broken document too)
    private final ThreadLocal<ValidatorHandler> validators;

    // the same for documents already parsed
    private final ThreadLocal<Validator> domValidators;

    private MessageCatalog(Schema schema) {
        this.schema = schema;
        this.validators = ThreadLocal.withInitial(schema::newValidatorHandler);
        this.domValidators = ThreadLocal.withInitial(schema::newValidator);
    }

    /** Loads version 1 of the catalog from the classpath, where the build copies {@code schemas/}. */
    public static MessageCatalog v1() {
        URL entry = MessageCatalog.class.getClassLoader().getResource(ENTRY_SCHEMA_V1);
        if (entry == null) {
            throw new IllegalStateException(ENTRY_SCHEMA_V1 + " is not on the classpath");
        }
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // The catalog's own xs:include files are the only schema documents ever read.
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file,jar");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            return new MessageCatalog(factory.newSchema(entry));
        } catch (SAXException e) {
            throw new IllegalStateException("Message catalog " + entry + " does not compile", e);
        }
    }

    public Schema schema() {
        return schema;
    }

    /**
     * Validates one document and returns every violation found, each with its line and element path;
     * an empty list means the document is valid. A document that is not well-formed XML yields one
     * violation for the place where parsing stopped.
     */
    public List<SchemaViolation> validate(byte[] document) {
        // Keeping the element path was more than half of the validation's time in a compiled hub's
        // profile (docs/performance.md); nearly every document is valid, so the path is kept only
        // when a faulty document is validated again to report its faults.
        return isValid(document) ? List.of() : violations(document);
    }

    /**
     * Validates a document already parsed, without reading its bytes again: the edge has parsed
     * each document before it validates it, and parsing was the larger part of validating bytes.
     * Only a faulty document's bytes are read again, for the lines and paths of its violations.
     */
    public List<SchemaViolation> validate(Document parsed, Supplier<byte[]> bytes) {
        return isValid(parsed) ? List.of() : violations(bytes.get());
    }

    boolean isValid(Document document) {
        Validator validator = domValidators.get();
        boolean[] faulty = {false};
        validator.setErrorHandler(reporting(fault -> faulty[0] = true));
        try {
            validator.validate(new DOMSource(document));
        } catch (SAXException | IOException e) {
            return false;
        }
        return !faulty[0];
    }

    private boolean isValid(byte[] document) {
        ValidatorHandler validator = validators.get();
        boolean[] faulty = {false};
        validator.setErrorHandler(reporting(fault -> faulty[0] = true));
        try {
            parse(document, validator, validator.getErrorHandler());
        } catch (SAXException | IOException e) {
            return false;
        }
        return !faulty[0];
    }

    private List<SchemaViolation> violations(byte[] document) {
        List<SchemaViolation> violations = new ArrayList<>();
        ValidatorHandler validator = validators.get();
        ElementPathTracker tracker = new ElementPathTracker(validator);
        validator.setErrorHandler(reporting(fault -> violations.add(violation(fault, tracker.currentPath()))));
        try {
            parse(document, tracker, validator.getErrorHandler());
        } catch (SAXParseException e) {
            if (violations.isEmpty() || !sameAs(violations.get(violations.size() - 1), e)) {
                violations.add(violation(e, tracker.currentPath()));
            }
        } catch (SAXException | IOException e) {
            violations.add(new SchemaViolation(0, 0, tracker.currentPath(), e.getMessage()));
        }
        return List.copyOf(violations);
    }

    private static ErrorHandler reporting(Consumer<SAXParseException> faults) {
        return new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // warnings do not make a document invalid
            }

            @Override
            public void error(SAXParseException e) {
                faults.accept(e);
            }

            @Override
            public void fatalError(SAXParseException e) {
                faults.accept(e);
            }
        };
    }

    private static void parse(byte[] document, ContentHandler handler, ErrorHandler errors) throws SAXException, IOException {
        SAXParser parser = THREAD_PARSERS.get();
        parser.reset();
        XMLReader reader = parser.getXMLReader();
        reader.setContentHandler(handler);
        reader.setErrorHandler(errors);
        reader.parse(new InputSource(new ByteArrayInputStream(document)));
    }

    private static SchemaViolation violation(SAXParseException e, String path) {
        return new SchemaViolation(e.getLineNumber(), e.getColumnNumber(), path, e.getMessage());
    }

    private static boolean sameAs(SchemaViolation last, SAXParseException e) {
        return last.line() == e.getLineNumber() && last.column() == e.getColumnNumber()
                && last.message().equals(e.getMessage());
    }
}
