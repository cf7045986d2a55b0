package vn.huunghi.hub.edge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.ContainerNumber;
import vn.huunghi.hub.catalog.MessageCatalog;

/**
 * A catalog sample made into a cargo unit of its own: fresh messageId, declaration reference,
 * plate and container numbers (with valid check digits), so tests never collide.
 */
public record TestCargo(Document document, String reference, String plate, Map<String, String> containers) {

    // Plates are counted, not drawn: a plate format holds under 100,000 values, and two cargo units in
    // flight with one plate let a plate read arrive the wrong one (the read takes the newest open
    // cargo unit with that plate). Counted from a random start, no two in one JVM share a plate.
    private static final AtomicInteger PLATES = new AtomicInteger(ThreadLocalRandom.current().nextInt(90_000));

    public static TestCargo of(String sample) {
        Document document = PartnerDocuments.fresh(sample);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String reference = null;
        NodeList references = document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "DeclarationReference");
        if (references.getLength() > 0) {
            reference = "TEST-" + random.nextLong(1_000_000_000_000L, 9_999_999_999_999L);
            references.item(0).setTextContent(reference);
        }
        Element plateElement = (Element) document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "VehiclePlate").item(0);
        int counted = PLATES.getAndIncrement() % 90_000;
        String plate = "CN".equals(plateElement.getAttribute("nationality"))
                ? "桂F" + (10_000 + counted)
                : String.format("12C-%03d.%02d", counted / 100, counted % 100);
        plateElement.setTextContent(plate);
        Map<String, String> containers = new LinkedHashMap<>();
        NodeList numbers = document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "ContainerNumber");
        for (int i = 0; i < numbers.getLength(); i++) {
            String old = numbers.item(i).getTextContent();
            String fresh = containers.computeIfAbsent(old, o -> {
                String firstTen = o.substring(0, 4) + String.format("%06d", random.nextInt(1_000_000));
                return firstTen + ContainerNumber.checkDigit(firstTen);
            });
            numbers.item(i).setTextContent(fresh);
        }
        return new TestCargo(document, reference, plate, containers);
    }

    public String messageId() {
        return PartnerDocuments.headerValue(document, "MessageId");
    }
}
