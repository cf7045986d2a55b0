package vn.huunghi.hub.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.transform.Templates;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;

/**
 * The partners' own message formats and their XSLT mappings to and from the canonical catalog,
 * declared in mappings/partner-formats.yaml: the hub speaks its catalog inside, each partner its
 * format outside.
 */
@ApplicationScoped
public class PartnerFormats {

    /** One partner format: who speaks it, its namespace, and the two stylesheets. */
    public record Format(String id, String partner, String namespace, Templates toCanonical, Templates fromCanonical,
            Set<String> messageTypes) {
    }

    private final Map<String, Format> byNamespace = new LinkedHashMap<>();
    private final Map<String, Format> byId = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    public PartnerFormats() {
        TransformerFactory factory = TransformerFactory.newInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        } catch (TransformerConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("XSLT cannot be hardened", e);
        }
        try (InputStream in = resource("mappings/partner-formats.yaml").openStream()) {
            Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            for (Map<String, Object> entry : (List<Map<String, Object>>) file.get("formats")) {
                Format format = new Format((String) entry.get("id"), (String) entry.get("partner"),
                        (String) entry.get("namespace"), templates(factory, (String) entry.get("to-canonical")),
                        templates(factory, (String) entry.get("from-canonical")),
                        Set.copyOf((List<String>) entry.get("message-types")));
                byNamespace.put(format.namespace(), format);
                byId.put(format.id(), format);
            }
        } catch (IOException e) {
            throw new IllegalStateException("mappings/partner-formats.yaml cannot be read", e);
        }
    }

    /** The partner format of a document, told by its root element's namespace; empty for the catalog itself. */
    public Optional<Format> of(Document document) {
        return Optional.ofNullable(byNamespace.get(document.getDocumentElement().getNamespaceURI()));
    }

    public Optional<Format> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public static byte[] toCanonical(Format format, Document partnerDocument) {
        return transform(format.toCanonical(), partnerDocument);
    }

    public static byte[] fromCanonical(Format format, Document canonical) {
        return transform(format.fromCanonical(), canonical);
    }

    private static byte[] transform(Templates templates, Document document) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            templates.newTransformer().transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalArgumentException("mapping failed: " + e.getMessage(), e);
        }
    }

    private static Templates templates(TransformerFactory factory, String path) {
        try (InputStream in = resource(path).openStream()) {
            return factory.newTemplates(new StreamSource(new ByteArrayInputStream(in.readAllBytes()), path));
        } catch (IOException | TransformerConfigurationException e) {
            throw new IllegalStateException(path + " is not a usable stylesheet: " + e.getMessage(), e);
        }
    }

    private static URL resource(String path) {
        URL url = PartnerFormats.class.getClassLoader().getResource(path);
        if (url == null) {
            throw new IllegalStateException(path + " is not on the classpath");
        }
        return url;
    }
}
