package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import org.apache.camel.Exchange;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.ContainerNumber;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.catalog.SchemaViolation;

/** Edge step: validates the document against the message catalog; the rejection lists every error with its path. */
@ApplicationScoped
@Named("validateAgainstCatalog")
public class CatalogValidation {

    private final MessageCatalog catalog = MessageCatalog.v1();

    public void validate(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        List<SchemaViolation> violations = catalog.validate(inbound.dom(), inbound::canonical);
        if (!violations.isEmpty()) {
            throw new EdgeRejection(RejectionCode.SCHEMA_INVALID,
                    violations.size() + " schema error(s), first: " + violations.get(0), violations);
        }
        // the schema checks a container number's shape; only its check digit catches a mistyped one
        NodeList containers = inbound.dom().getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "ContainerNumber");
        for (int i = 0; i < containers.getLength(); i++) {
            String number = containers.item(i).getTextContent().trim();
            if (!ContainerNumber.isValid(number)) {
                throw new EdgeRejection(RejectionCode.CONTAINER_CHECK_DIGIT_INVALID, number + ": check digit should be "
                        + ContainerNumber.checkDigit(number.substring(0, 10)));
            }
        }
    }
}
