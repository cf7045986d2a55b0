package vn.huunghi.hub.equipment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.w3c.dom.Element;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.XmlSigner;

/** Equipment readings and barrier commands as the catalog's GateEvent messages. */
public final class GateEvents {

    static final String GATEWAY = "EQUIPMENT-GATEWAY";

    private GateEvents() {
    }

    /** A command for a lane's barrier, issued by the hub for a cargo unit. */
    public static byte[] barrierCommand(String lane, String command, String cargoUnitId, String correlationId,
            Instant issuedAt) {
        Element event = event("HUB", GATEWAY, correlationId, UUID.randomUUID().toString(), lane, "BARRIER-" + lane,
                issuedAt, cargoUnitId);
        Element barrier = HubDocuments.add(event, "BarrierState");
        HubDocuments.text(barrier, "BarrierId", lane);
        HubDocuments.text(barrier, "State", "OPEN".equals(command) ? "CLOSED" : "OPEN");
        HubDocuments.text(barrier, "Command", command);
        return serialize(event);
    }

    /**
     * The hub's request to the IGV fleet about a cargo unit's transport to the border:
     * TRANSPORT_REQUESTED on release, CANCEL_REQUESTED when it is held after release.
     */
    public static byte[] igvTransport(String cargoUnitId, String container, String correlationId, Instant requestedAt,
            String request) {
        Element event = event("HUB", GATEWAY, correlationId, UUID.randomUUID().toString(), "IGV", "IGV-FLEET",
                requestedAt, cargoUnitId);
        Element igv = HubDocuments.add(event, "IgvEvent");
        HubDocuments.text(igv, "VehicleId", "FLEET");
        HubDocuments.text(igv, "State", request);
        HubDocuments.text(igv, "ContainerNumber", container);
        return serialize(event);
    }

    /** A plate read an ANPR camera posted. */
    static byte[] plateRead(String eventId, String lane, String camera, Instant readAt, String plate, String nationality,
            BigDecimal confidence, String imageReference) {
        Element event = event(GATEWAY, "HUB", null, eventId, lane, camera, readAt, null);
        Element read = HubDocuments.add(event, "AnprRead");
        HubDocuments.text(read, "Plate", plate).setAttribute("nationality", nationality);
        HubDocuments.text(read, "Confidence", confidence.toPlainString());
        HubDocuments.text(read, "ImageReference", imageReference);
        return serialize(event);
    }

    /** A stable weight read from a lane's weighbridge indicator for the cargo unit on it. */
    static byte[] weightReading(String eventId, String lane, Instant readAt, String cargoUnitId, long kilograms,
            boolean stable, boolean motion, boolean overload) {
        Element event = event(GATEWAY, "HUB", null, eventId, lane, "SCALE-" + lane, readAt, cargoUnitId);
        Element reading = HubDocuments.add(event, "WeightReading");
        HubDocuments.text(reading, "GrossMass", Long.toString(kilograms)).setAttribute("unitCode", "KGM");
        HubDocuments.text(reading, "Stable", Boolean.toString(stable));
        HubDocuments.text(reading, "Motion", Boolean.toString(motion));
        HubDocuments.text(reading, "Overload", Boolean.toString(overload));
        return serialize(event);
    }

    /** A container scanner's result. */
    static byte[] scanResult(String eventId, String lane, String scanner, Instant scannedAt, String container,
            String result, String imageReference) {
        Element event = event(GATEWAY, "HUB", null, eventId, lane, scanner, scannedAt, null);
        Element scan = HubDocuments.add(event, "ScanResult");
        HubDocuments.text(scan, "ContainerNumber", container);
        HubDocuments.text(scan, "Result", result);
        HubDocuments.text(scan, "ImageReference", imageReference);
        return serialize(event);
    }

    private static Element event(String sender, String receiver, String correlationId, String eventId, String lane,
            String equipment, Instant occurredAt, String cargoUnitId) {
        Element body = HubDocuments.newMessage("GateEvent", receiver, correlationId, occurredAt);
        Element header = HubDocuments.child(body.getOwnerDocument().getDocumentElement(), "Header");
        HubDocuments.child(header, "Sender").setTextContent(sender);
        // the event's own id is the message's, so a reading posted twice is applied once
        HubDocuments.child(header, "MessageId").setTextContent(eventId);
        Element event = HubDocuments.add(body, "GateEvent");
        HubDocuments.text(event, "EventId", eventId);
        HubDocuments.text(event, "Lane", lane);
        HubDocuments.text(event, "EquipmentId", equipment);
        HubDocuments.text(event, "OccurredAt", HubDocuments.timestamp(occurredAt));
        if (cargoUnitId != null) {
            HubDocuments.text(event, "CargoUnitId", cargoUnitId);
        }
        return event;
    }

    private static byte[] serialize(Element event) {
        return XmlSigner.serialize(event.getOwnerDocument());
    }
}
