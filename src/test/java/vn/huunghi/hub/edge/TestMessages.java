package vn.huunghi.hub.edge;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.w3c.dom.Document;

/** Agency confirmations, customs release decisions and gate events for a test cargo unit. */
public final class TestMessages {

    private TestMessages() {
    }

    public static Document confirmation(String cargoUnitId, String reference, String agency, String decision) {
        return message("AgencyConfirmation", "ACCEPTED", agency, """
                <AgencyConfirmation>
                  <CargoUnitId>%s</CargoUnitId>
                  <DeclarationReference>%s</DeclarationReference>
                  <Agency>%s</Agency>
                  <Decision>%s</Decision>
                  <InspectorId>%s-OFFICER-7</InspectorId>
                  <DecidedAt>%s</DecidedAt>
                </AgencyConfirmation>""".formatted(cargoUnitId, reference, agency, decision, agency, now()));
    }

    public static Document releaseDecision(String cargoUnitId, String reference, String plate) {
        return message("ReleaseDecision", "COMPLETED", "VN-CUSTOMS", """
                <ReleaseDecision>
                  <CargoUnitId>%s</CargoUnitId>
                  <DeclarationReference>%s</DeclarationReference>
                  <Decision>RELEASED</Decision>
                  <DecidedBy>HQ-LS-CUS-1187</DecidedBy>
                  <DecidedAt>%s</DecidedAt>
                  <VehiclePlate nationality="VN">%s</VehiclePlate>
                  <ConsideredConfirmation>
                    <Agency>VN-CUSTOMS</Agency>
                    <ConfirmationMessageId>%s</ConfirmationMessageId>
                    <Decision>APPROVED</Decision>
                  </ConsideredConfirmation>
                </ReleaseDecision>""".formatted(cargoUnitId, reference, now(), plate, UUID.randomUUID()));
    }

    public static Document entryRead(String plate, String nationality) {
        return entryRead(plate, nationality, "ENTRY-1");
    }

    public static Document entryRead(String plate, String nationality, String lane) {
        return gateEvent(null, """
                <AnprRead>
                  <Plate nationality="%s">%s</Plate>
                  <Confidence>0.98</Confidence>
                  <ImageReference>https://anpr.huunghi-gate.local/images/%s/test.jpg</ImageReference>
                </AnprRead>""".formatted(nationality, plate, lane), lane);
    }

    public static Document weighed(String cargoUnitId, String kilograms) {
        return weighed(cargoUnitId, kilograms, "ENTRY-1");
    }

    public static Document weighed(String cargoUnitId, String kilograms, String lane) {
        return gateEvent(cargoUnitId, """
                <WeightReading>
                  <GrossMass unitCode="KGM">%s</GrossMass>
                  <Stable>true</Stable>
                  <Motion>false</Motion>
                  <Overload>false</Overload>
                </WeightReading>""".formatted(kilograms), lane);
    }

    private static Document gateEvent(String cargoUnitId, String reading, String lane) {
        return message("GateEvent", "NOTIFY", "EQUIPMENT-GATEWAY", """
                <GateEvent>
                  <EventId>%s</EventId>
                  <Lane>%s</Lane>
                  <EquipmentId>TEST-%s</EquipmentId>
                  <OccurredAt>%s</OccurredAt>
                  %s
                  %s
                </GateEvent>""".formatted(UUID.randomUUID(), lane, lane, now(),
                cargoUnitId == null ? "" : "<CargoUnitId>" + cargoUnitId + "</CargoUnitId>", reading));
    }

    private static Document message(String type, String function, String sender, String body) {
        String xml = """
                <Message xmlns="urn:huunghi-gate:hub:v1">
                  <Header>
                    <MessageId>%s</MessageId>
                    <MessageType>%s</MessageType>
                    <FunctionCode>%s</FunctionCode>
                    <Sender>%s</Sender>
                    <Receiver>HUB</Receiver>
                    <CreatedAt>%s</CreatedAt>
                    <SchemaVersion>1.0</SchemaVersion>
                  </Header>
                  <Body>
                %s
                  </Body>
                </Message>""".formatted(UUID.randomUUID(), type, function, sender, now(), body);
        return PartnerDocuments.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static String now() {
        return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now(ZoneOffset.UTC));
    }
}
