package vn.huunghi.hub.workflow;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.Transactions;
import vn.huunghi.hub.Write;
import vn.huunghi.hub.catalog.CatalogMessages;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.catalog.v1.AgencyConfirmationType;
import vn.huunghi.hub.catalog.v1.CargoPreDeclarationType;
import vn.huunghi.hub.catalog.v1.CargoUnitState;
import vn.huunghi.hub.catalog.v1.ExportShipmentDataType;
import vn.huunghi.hub.catalog.v1.GateEventType;
import vn.huunghi.hub.catalog.v1.MessageType;
import vn.huunghi.hub.catalog.v1.ReleaseDecisionType;
import vn.huunghi.hub.catalog.v1.TransportEquipmentType;
import vn.huunghi.hub.equipment.EquipmentAlarms.Kind;
import vn.huunghi.hub.equipment.EquipmentAlarms;
import vn.huunghi.hub.equipment.GateEvents;
import vn.huunghi.hub.outbox.Outbox;
import vn.huunghi.hub.outbox.OutboxRelay;

/**
 * The cargo-unit workflow: declare once, select the agencies by rule, collect each agency's
 * confirmation once, and release when customs has decided and every required agency approved.
 * Each inbound message is applied in one database transaction that also records it as processed
 * and writes every resulting outbound message to the outbox, so a redelivery changes nothing.
 */
@ApplicationScoped
@Named("cargoUnitWorkflow")
public class CargoUnitWorkflow {

    static final String NSW = "VN-NSW";
    static final String CUSTOMS = "VN-CUSTOMS";
    static final String NANNING = "CN-NANNING-CUSTOMS";
    static final String PLANT_QUARANTINE = "VN-PLANT-QUARANTINE";
    /** The outbox party whose queue the barrier route consumes: commands for the gate's barriers. */
    public static final String BARRIERS = "GATE-BARRIERS";
    /** The outbox party whose queue the IGV route consumes: transports to the border handover point. */
    public static final String IGVS = "GATE-IGVS";
    private static final Logger LOG = Logger.getLogger(CargoUnitWorkflow.class);

    /** A cargo unit as the workflow reads it, locked for the rest of the transaction. */
    record CargoUnit(String id, String declarationReference, String exportDeclarationNumber, String direction,
            CargoUnitState state, String vehiclePlate, BigDecimal declaredGrossMass, byte[] preDeclaration) {

        String reference() {
            return declarationReference != null ? declarationReference
                    : exportDeclarationNumber != null ? exportDeclarationNumber : id;
        }
    }

    @FunctionalInterface
    interface Work {
        WorkflowOutcome apply(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final CargoUnitNumbers numbers;
    private final AgencySelection selection;
    private final AgencyViews views;
    private final Outbox outbox;
    private final OutboxRelay outboxRelay;
    private final ShipmentMatching matching;
    private final OriginClaims originClaims;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final double weightTolerance;
    private final HubConfig.Equipment.Anpr anpr;
    private final Map<String, HubConfig.Equipment.Lane> lanes;
    private final EquipmentAlarms alarms;
    private final boolean igvFleet;

    CargoUnitWorkflow(DataSource dataSource, CargoUnitNumbers numbers, AgencySelection selection, AgencyViews views,
            Outbox outbox, OutboxRelay outboxRelay, ShipmentMatching matching, OriginClaims originClaims, Clock clock,
            MeterRegistry metrics, HubConfig config, EquipmentAlarms alarms) {
        this.anpr = config.equipment().anpr();
        this.lanes = config.equipment().lanes();
        this.alarms = alarms;
        this.igvFleet = config.equipment().igv().vehicles().filter(vehicles -> !vehicles.isEmpty()).isPresent();
        this.matching = matching;
        this.originClaims = originClaims;
        this.dataSource = dataSource;
        this.numbers = numbers;
        this.selection = selection;
        this.views = views;
        this.outbox = outbox;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
        this.metrics = metrics;
        this.weightTolerance = config.workflow().weightTolerance();
    }

    // ------------------------------------------------------------------ declarations

    /** A pre-declaration from the National Single Window: creates (or completes) the cargo unit and asks its agencies. */
    public WorkflowOutcome declare(byte[] document) {
        MessageType message = CatalogMessages.read(document);
        CargoPreDeclarationType declaration = message.getBody().getCargoPreDeclaration();
        String messageId = message.getHeader().getMessageId();
        return inTransaction(messageId, connection -> {
            Optional<CargoUnit> existing = findForUpdate(connection,
                    "declaration_reference = ?", declaration.getDeclarationReference());
            if (existing.isPresent()) {
                timeline(connection, existing.get().id(), "DECLARATION_REFUSED", null, null, messageId,
                        WorkflowOutcome.CARGO_UNIT_ALREADY_DECLARED.name());
                return WorkflowOutcome.CARGO_UNIT_ALREADY_DECLARED;
            }
            List<String> containers = declaration.getTransportEquipment().stream()
                    .map(TransportEquipmentType::getContainerNumber).toList();
            Optional<CargoUnit> fromNanning = findExportFirst(connection, declaration.getDeclarationReference(), containers);
            Instant now = clock.instant();
            String id;
            List<Write> declared = new ArrayList<>();
            if (fromNanning.isPresent()) {
                id = fromNanning.get().id();
                try (PreparedStatement update = connection.prepareStatement("UPDATE cargo_unit SET"
                        + " declaration_reference = ?, direction = ?, customs_channel = ?, vehicle_plate = ?,"
                        + " vehicle_plate_key = ?, declared_gross_mass = ?, pre_declaration_message_id = ?,"
                        + " pre_declaration = ?, updated_at = ?, version = version + 1 WHERE id = ?")) {
                    String plate = declaration.getTransportMeans().getVehiclePlate().getValue();
                    update.setString(1, declaration.getDeclarationReference());
                    update.setString(2, declaration.getDirection().value());
                    update.setString(3, declaration.getCustomsChannel() == null ? null : declaration.getCustomsChannel().value());
                    update.setString(4, plate);
                    update.setString(5, normalizedPlate(plate));
                    update.setBigDecimal(6, declaration.getTotalGrossMass().getValue());
                    update.setString(7, messageId);
                    update.setBytes(8, document);
                    update.setTimestamp(9, Timestamp.from(now));
                    update.setString(10, id);
                    update.executeUpdate();
                }
                timeline(connection, id, "PRE_DECLARATION_LINKED", null, null, messageId,
                        "linked to the export shipment data already received from Nanning Customs");
                recordDiscrepancies(connection, id, document, exportShipment(connection, id), messageId);
            } else {
                id = numbers.next(now);
                String plate = declaration.getTransportMeans().getVehiclePlate().getValue();
                // the new cargo unit's rows and the agencies' selection below: one round trip to PostgreSQL
                declared.add(new Write("INSERT INTO cargo_unit (id, declaration_reference, direction, customs_channel,"
                        + " vehicle_plate, vehicle_plate_key, declared_gross_mass, state, pre_declaration_message_id,"
                        + " pre_declaration, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                        id, declaration.getDeclarationReference(), declaration.getDirection().value(),
                        declaration.getCustomsChannel() == null ? null : declaration.getCustomsChannel().value(), plate,
                        normalizedPlate(plate), declaration.getTotalGrossMass().getValue(), CargoUnitState.DECLARED.value(),
                        messageId, document, Timestamp.from(now), Timestamp.from(now)));
                declared.addAll(containerRows(id, containers));
                declared.addAll(sealRows(id, declaration.getTransportEquipment()));
                declared.add(timelineEvent(id, "DECLARED", null, CargoUnitState.DECLARED.value(), messageId,
                        "pre-declaration " + declaration.getDeclarationReference()));
            }
            Document dom = HubDocuments.parse(document);
            AgencySelection.Decision decision = selection.select(dom);
            declared.addAll(decisionRows(id, decision));
            Write.together(connection, declared);
            for (Map.Entry<String, List<String>> agency : decision.requiredAgencies().entrySet()) {
                outbox.add(connection, agency.getKey(), "AgencyView", id, views.render(id, agency.getKey(),
                        agency.getValue(), dom, messageId, now));
            }
            List<String> flagged = originClaims.claim(connection, id, declaration);
            if (!flagged.isEmpty()) {
                timeline(connection, id, "ORIGIN_CERTIFICATE_MISSING", null, null, messageId,
                        "ASEAN preferential origin claimed without a matching e-Form D: " + String.join(", ", flagged));
                metrics.counter("hub.workflow.origin.flags").increment(flagged.size());
            }
            CargoUnit unit = findForUpdate(connection, "id = ?", id).orElseThrow();
            notifyDeclarant(connection, unit, unit.state(), null, "declared; agencies asked: "
                    + String.join(", ", decision.requiredAgencies().keySet()), messageId);
            if ("EXPORT".equals(declaration.getDirection().value())) {
                // declare once: China's import side gets the Vietnamese export data as soon as it is accepted
                outbox.add(connection, NANNING, "CargoPreDeclaration", id, forNanning(document, messageId, "NEW", null, now));
            }
            return WorkflowOutcome.APPLIED;
        });
    }

    /** Nanning Customs' export data for goods bound to Vietnam: creates the cargo unit or enriches the one declared. */
    public WorkflowOutcome recordExportShipment(byte[] document) {
        MessageType message = CatalogMessages.read(document);
        ExportShipmentDataType shipment = message.getBody().getExportShipmentData();
        String messageId = message.getHeader().getMessageId();
        return inTransaction(messageId, connection -> {
            List<String> containers = shipment.getTransportEquipment().stream()
                    .map(TransportEquipmentType::getContainerNumber).toList();
            Optional<CargoUnit> declared = shipment.getVietnameseDeclarationReference() != null
                    ? findForUpdate(connection, "declaration_reference = ?", shipment.getVietnameseDeclarationReference())
                    : Optional.empty();
            if (declared.isEmpty()) {
                declared = findByContainers(connection, containers);
            }
            Instant now = clock.instant();
            if (declared.isPresent()) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE cargo_unit SET"
                        + " export_declaration_number = ?, export_shipment_message_id = ?, export_shipment = ?,"
                        + " updated_at = ?, version = version + 1 WHERE id = ?")) {
                    update.setString(1, shipment.getExportDeclarationNumber());
                    update.setString(2, messageId);
                    update.setBytes(3, document);
                    update.setTimestamp(4, Timestamp.from(now));
                    update.setString(5, declared.get().id());
                    update.executeUpdate();
                }
                timeline(connection, declared.get().id(), "EXPORT_SHIPMENT_LINKED", null, null, messageId,
                        "China export declaration " + shipment.getExportDeclarationNumber());
                if (declared.get().preDeclaration() != null) {
                    recordDiscrepancies(connection, declared.get().id(), declared.get().preDeclaration(), document, messageId);
                }
                return WorkflowOutcome.APPLIED;
            }
            String id = numbers.next(now);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cargo_unit (id,"
                    + " export_declaration_number, direction, vehicle_plate, vehicle_plate_key, declared_gross_mass, state,"
                    + " export_shipment_message_id, export_shipment, created_at, updated_at, version)"
                    + " VALUES (?, ?, 'IMPORT', ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
                String plate = shipment.getTransportMeans().getVehiclePlate().getValue();
                insert.setString(1, id);
                insert.setString(2, shipment.getExportDeclarationNumber());
                insert.setString(3, plate);
                insert.setString(4, normalizedPlate(plate));
                insert.setBigDecimal(5, shipment.getTotalGrossMass().getValue());
                insert.setString(6, CargoUnitState.DECLARED.value());
                insert.setString(7, messageId);
                insert.setBytes(8, document);
                insert.setTimestamp(9, Timestamp.from(now));
                insert.setTimestamp(10, Timestamp.from(now));
                insert.executeUpdate();
            }
            List<Write> rows = new ArrayList<>(containerRows(id, containers));
            rows.add(timelineEvent(id, "DECLARED", null, CargoUnitState.DECLARED.value(), messageId,
                    "from Nanning Customs export declaration " + shipment.getExportDeclarationNumber()
                            + "; awaiting the Vietnamese pre-declaration"));
            Write.together(connection, rows);
            return WorkflowOutcome.APPLIED;
        });
    }

    private void recordDiscrepancies(Connection connection, String id, byte[] preDeclaration, byte[] exportShipment,
            String messageId) throws SQLException {
        int found = matching.record(connection, id, preDeclaration, exportShipment);
        if (found > 0) {
            timeline(connection, id, "DISCREPANCIES", null, null, messageId,
                    found + " difference(s) between the Vietnamese and the Chinese declaration, for customs' risk review");
            metrics.counter("hub.workflow.discrepancies").increment(found);
        }
    }

    private byte[] exportShipment(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT export_shipment FROM cargo_unit WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBytes(1);
            }
        }
    }

    // ------------------------------------------------------------------ ASEAN Single Window

    /** An ATIGA e-Form D: kept, and linked to the goods items that were waiting for it. */
    public WorkflowOutcome recordOriginCertificate(byte[] document) {
        MessageType message = CatalogMessages.read(document);
        vn.huunghi.hub.catalog.v1.OriginCertificateType certificate = message.getBody().getOriginCertificate();
        String messageId = message.getHeader().getMessageId();
        return inTransaction(messageId, connection -> {
            String subheadings = certificate.getItem().stream()
                    .map(vn.huunghi.hub.catalog.v1.OriginItemType::getHsSubheading).distinct()
                    .collect(java.util.stream.Collectors.joining(","));
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM origin_certificate WHERE certificate_number = ?")) {
                delete.setString(1, certificate.getCertificateNumber()); // a re-issued certificate replaces the first
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO origin_certificate"
                    + " (certificate_number, issuing_country, hs_subheadings, message_id, received_at, document)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, certificate.getCertificateNumber());
                insert.setString(2, certificate.getIssuingCountry());
                insert.setString(3, subheadings);
                insert.setString(4, messageId);
                insert.setTimestamp(5, Timestamp.from(clock.instant()));
                insert.setBytes(6, document);
                insert.executeUpdate();
            }
            for (String unit : originClaims.certificateArrived(connection, certificate.getCertificateNumber())) {
                timeline(connection, unit, "ORIGIN_CERTIFICATE_LINKED", null, null, messageId,
                        "e-Form D " + certificate.getCertificateNumber() + " from " + certificate.getIssuingCountry());
            }
            return WorkflowOutcome.APPLIED;
        });
    }

    /** An ASEAN Customs Declaration Document: kept, and attached to the claims on the certificates it names. */
    public WorkflowOutcome recordAseanCustomsDeclaration(byte[] document) {
        MessageType message = CatalogMessages.read(document);
        vn.huunghi.hub.catalog.v1.AseanCustomsDeclarationType acdd = message.getBody().getAseanCustomsDeclaration();
        String messageId = message.getHeader().getMessageId();
        return inTransaction(messageId, connection -> {
            List<String> certificates = acdd.getItem().stream()
                    .map(vn.huunghi.hub.catalog.v1.AcddItemType::getOriginCertificateNumber)
                    .filter(java.util.Objects::nonNull).distinct().toList();
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM asean_customs_declaration WHERE acdd_reference = ?")) {
                delete.setString(1, acdd.getAcddReference());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO asean_customs_declaration"
                    + " (acdd_reference, certificate_numbers, message_id, received_at, document) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, acdd.getAcddReference());
                insert.setString(2, String.join(",", certificates));
                insert.setString(3, messageId);
                insert.setTimestamp(4, Timestamp.from(clock.instant()));
                insert.setBytes(5, document);
                insert.executeUpdate();
            }
            for (String unit : new java.util.LinkedHashSet<>(originClaims.acddArrived(connection, acdd.getAcddReference(),
                    certificates))) {
                timeline(connection, unit, "ACDD_LINKED", null, null, messageId, "ACDD " + acdd.getAcddReference());
            }
            return WorkflowOutcome.APPLIED;
        });
    }

    // ------------------------------------------------------------------ confirmations and release

    /** An agency's confirmation: applied once, only from an agency the cargo unit requires. */
    public WorkflowOutcome confirm(byte[] document) {
        MessageType message = CatalogMessages.read(document);
        AgencyConfirmationType confirmation = message.getBody().getAgencyConfirmation();
        String messageId = message.getHeader().getMessageId();
        String sender = message.getHeader().getSender().value();
        return inTransaction(messageId, connection -> {
            Optional<CargoUnit> found = findForUpdate(connection, "id = ?", confirmation.getCargoUnitId());
            if (found.isEmpty()) {
                found = findForUpdate(connection, "declaration_reference = ?", confirmation.getDeclarationReference());
            }
            if (found.isEmpty()) {
                LOG.warnf("messageId=%s %s: %s", messageId, WorkflowOutcome.CARGO_UNIT_UNKNOWN, confirmation.getCargoUnitId());
                return WorkflowOutcome.CARGO_UNIT_UNKNOWN;
            }
            CargoUnit unit = found.get();
            if (!sender.equals(confirmation.getAgency().value())) {
                return refuse(connection, unit, sender, WorkflowOutcome.CONFIRMATION_AGENCY_MISMATCH, messageId);
            }
            Optional<String> status = requiredStatus(connection, unit.id(), sender);
            if (status.isEmpty()) {
                return refuse(connection, unit, sender, WorkflowOutcome.CONFIRMATION_NOT_REQUIRED, messageId);
            }
            if (!"PENDING".equals(status.get())) {
                return refuse(connection, unit, sender, WorkflowOutcome.CONFIRMATION_DUPLICATE, messageId);
            }
            String decision = confirmation.getDecision();
            recordConfirmation(connection, unit.id(), sender, decision, messageId, confirmation.getInspectorId());
            timeline(connection, unit.id(), "CONFIRMATION", null, null, messageId, sender + " " + decision
                    + (confirmation.getReason() == null ? "" : ": " + confirmation.getReason()));
            metrics.counter("hub.workflow.confirmations", "agency", sender, "decision", decision).increment();
            if (!"APPROVED".equals(decision)) {
                hold(connection, unit, sender + " decided " + decision, messageId);
                return WorkflowOutcome.APPLIED;
            }
            if (PLANT_QUARANTINE.equals(sender) && "EXPORT".equals(unit.direction())
                    && confirmation.getPhytosanitaryCertificateNumber() != null && unit.preDeclaration() != null) {
                outbox.add(connection, NANNING, "CargoPreDeclaration", unit.id(), forNanning(unit.preDeclaration(),
                        messageId, "SUPPLEMENT", confirmation.getPhytosanitaryCertificateNumber(), clock.instant()));
            }
            releaseIfComplete(connection, unit, messageId);
            return WorkflowOutcome.APPLIED;
        });
    }

    /** Customs' release decision: refused until every other required agency approved. */
    public WorkflowOutcome decideRelease(byte[] document) {
        MessageType message = CatalogMessages.read(document);
        ReleaseDecisionType release = message.getBody().getReleaseDecision();
        String messageId = message.getHeader().getMessageId();
        String sender = message.getHeader().getSender().value();
        return inTransaction(messageId, connection -> {
            Optional<CargoUnit> found = findForUpdate(connection, "id = ?", release.getCargoUnitId());
            if (found.isEmpty()) {
                return WorkflowOutcome.CARGO_UNIT_UNKNOWN;
            }
            CargoUnit unit = found.get();
            if (!CUSTOMS.equals(sender)) {
                return refuse(connection, unit, sender, WorkflowOutcome.RELEASE_NOT_BY_CUSTOMS, messageId);
            }
            if ("REFUSED".equals(release.getDecision())) {
                recordConfirmationIfPending(connection, unit.id(), "HOLD", messageId, release.getDecidedBy());
                hold(connection, unit, "customs refused release", messageId);
                return WorkflowOutcome.APPLIED;
            }
            List<String> awaited = awaitedAgencies(connection, unit.id());
            awaited.remove(CUSTOMS);
            if (!awaited.isEmpty() || !approvedOnly(connection, unit.id(), CUSTOMS)) {
                return refuse(connection, unit, sender, WorkflowOutcome.RELEASE_BEFORE_APPROVALS, messageId);
            }
            if (unit.state() != CargoUnitState.AWAITING_CONFIRMATIONS) {
                return refuse(connection, unit, sender, WorkflowOutcome.RELEASE_NOT_ALLOWED_IN_STATE, messageId);
            }
            recordConfirmationIfPending(connection, unit.id(), "APPROVED", messageId, release.getDecidedBy());
            releaseIfComplete(connection, unit, messageId);
            return WorkflowOutcome.APPLIED;
        });
    }

    // ------------------------------------------------------------------ gate events

    /**
     * Equipment readings: a plate read at an entry lane is the arrival of a declared cargo unit and,
     * at any lane with a barrier, opens it for a released one; a stable weight within tolerance
     * moves an arrived one on; a suspicious scan holds it.
     */
    public WorkflowOutcome recordGateEvent(byte[] document) {
        MessageType message = CatalogMessages.read(document);
        GateEventType event = message.getBody().getGateEvent();
        String messageId = message.getHeader().getMessageId();
        return inTransaction(messageId, connection -> {
            if (event.getAnprRead() != null) {
                return plateRead(connection, event, messageId);
            }
            if (event.getScanResult() != null) {
                return scanResult(connection, event, messageId);
            }
            if (event.getWeightReading() != null && event.getCargoUnitId() != null
                    && event.getWeightReading().isStable() && !event.getWeightReading().isOverload()) {
                Optional<CargoUnit> found = findForUpdate(connection, "id = ?", event.getCargoUnitId());
                if (found.isEmpty() || found.get().state() != CargoUnitState.ARRIVED) {
                    return WorkflowOutcome.APPLIED;
                }
                CargoUnit unit = found.get();
                BigDecimal weighed = event.getWeightReading().getGrossMass().getValue();
                double deviation = weighed.subtract(unit.declaredGrossMass()).abs().doubleValue()
                        / unit.declaredGrossMass().doubleValue();
                String detail = "weighed " + weighed.toPlainString() + " kg at " + event.getLane() + " against "
                        + unit.declaredGrossMass().toPlainString() + " kg declared";
                if (deviation > weightTolerance) {
                    hold(connection, unit, detail + ": beyond the " + (weightTolerance * 100) + " % tolerance", messageId);
                    return WorkflowOutcome.APPLIED;
                }
                CargoUnit weighedUnit = transition(connection, unit, CargoUnitState.WEIGHED, detail, messageId);
                CargoUnit awaiting = transition(connection, weighedUnit, CargoUnitState.AWAITING_CONFIRMATIONS,
                        "awaiting the required confirmations", messageId);
                releaseIfComplete(connection, awaiting, messageId);
            }
            return WorkflowOutcome.APPLIED;
        });
    }

    private WorkflowOutcome plateRead(Connection connection, GateEventType event, String messageId) throws SQLException {
        String lane = event.getLane();
        String plate = event.getAnprRead().getPlate().getValue();
        String device = event.getEquipmentId();
        if (event.getAnprRead().getConfidence().doubleValue() < anpr.minConfidence()) {
            alarms.raise(connection, device, Kind.PLATE_READ_UNCERTAIN, null, "plate " + plate + " read at " + lane
                    + " with confidence " + event.getAnprRead().getConfidence() + "; the barrier stays closed");
            return WorkflowOutcome.PLATE_READ_UNCERTAIN;
        }
        Optional<CargoUnit> found = findForUpdate(connection, OPEN_WITH_PLATE, normalizedPlate(plate));
        if (found.isEmpty()) {
            alarms.raise(connection, device, Kind.PLATE_UNKNOWN, null, "plate " + plate + " read at " + lane
                    + " is on no open cargo unit; the barrier stays closed");
            return WorkflowOutcome.PLATE_UNKNOWN;
        }
        CargoUnit unit = found.get();
        setLane(connection, unit.id(), lane);
        if (unit.state() == CargoUnitState.DECLARED && lane.startsWith("ENTRY")) {
            transition(connection, unit, CargoUnitState.ARRIVED, "plate read at " + lane, messageId);
            return WorkflowOutcome.APPLIED;
        }
        HubConfig.Equipment.Lane devices = lanes.get(lane);
        if (devices == null || devices.barrierCoil().isEmpty()) {
            timeline(connection, unit.id(), "PLATE_READ", null, null, messageId, "plate read at " + lane);
            return WorkflowOutcome.APPLIED;
        }
        if (unit.state() != CargoUnitState.RELEASED) {
            timeline(connection, unit.id(), "BARRIER_KEPT_CLOSED", null, null, messageId, "plate read at " + lane
                    + " but the cargo unit is " + unit.state().value());
            return WorkflowOutcome.BARRIER_NOT_ALLOWED;
        }
        Instant readAt = event.getOccurredAt().toGregorianCalendar().toInstant();
        if (readAt.isBefore(clock.instant().minus(anpr.maxReadAge()))) {
            timeline(connection, unit.id(), "BARRIER_KEPT_CLOSED", null, null, messageId, "plate read at " + lane
                    + " at " + readAt + ": too old to open the barrier");
            return WorkflowOutcome.PLATE_READ_STALE;
        }
        outbox.add(connection, BARRIERS, "GateEvent", unit.id(),
                GateEvents.barrierCommand(lane, "OPEN", unit.id(), messageId, readAt));
        timeline(connection, unit.id(), "BARRIER_OPEN_REQUESTED", null, null, messageId, "barrier " + lane);
        return WorkflowOutcome.APPLIED;
    }

    private WorkflowOutcome scanResult(Connection connection, GateEventType event, String messageId) throws SQLException {
        String container = event.getScanResult().getContainerNumber();
        Optional<CargoUnit> found = findByContainers(connection, List.of(container));
        if (found.isEmpty()) {
            alarms.raise(connection, event.getEquipmentId(), Kind.CONTAINER_UNKNOWN, null,
                    "scan of container " + container
                    + " which is on no open cargo unit");
            return WorkflowOutcome.CARGO_UNIT_UNKNOWN;
        }
        CargoUnit unit = found.get();
        String detail = "scan of " + container + ": " + event.getScanResult().getResult() + ", image "
                + event.getScanResult().getImageReference();
        if ("SUSPICIOUS".equals(event.getScanResult().getResult())) {
            hold(connection, unit, detail + "; for customs to inspect", messageId);
        } else {
            timeline(connection, unit.id(), "SCAN_CLEAR", null, null, messageId, detail);
        }
        return WorkflowOutcome.APPLIED;
    }

    /** Plates compare without spaces, dots and dashes: "12C-123.45" is read as "12C12345". */
    static String normalizedPlate(String plate) {
        return plate.replaceAll("[\\s.\\-]", "").toUpperCase(java.util.Locale.ROOT);
    }

    // through the index cargo_unit_vehicle_plate_key (V11): a plate read does not scan the gate's history
    static final String OPEN_WITH_PLATE = "vehicle_plate_key = ? AND state NOT IN ("
            + CargoUnitStates.FINAL_STATES_SQL + ")"
            + " ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY";

    private void setLane(Connection connection, String id, String lane) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE cargo_unit SET lane = ? WHERE id = ?")) {
            update.setString(1, lane);
            update.setString(2, id);
            update.executeUpdate();
        }
    }

    // through the index cargo_unit_awaiting (V10): the poll reads the arrived cargo units, not the whole history
    static final String AWAITING_WEIGHING = "SELECT lane, id FROM cargo_unit WHERE state = ? AND lane IS NOT NULL ORDER BY updated_at";

    /** Cargo units whose vehicle was read at a lane and is waiting there to be weighed, one per lane. */
    public Map<String, String> awaitingWeighing(Set<String> scaleLanes) {
        Map<String, String> byLane = new java.util.LinkedHashMap<>();
        if (scaleLanes.isEmpty()) {
            return byLane;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(AWAITING_WEIGHING)) {
            select.setString(1, CargoUnitState.ARRIVED.value());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (scaleLanes.contains(rows.getString(1))) {
                        byLane.put(rows.getString(1), rows.getString(2)); // the latest arrival is on the scale
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return byLane;
    }

    // ------------------------------------------------------------------ steps

    private byte[] releaseDecision(Connection connection, CargoUnit unit, String messageId, Instant now) throws SQLException {
        Element body = HubDocuments.newMessage("ReleaseDecision", NANNING, messageId, now);
        Element decision = HubDocuments.add(body, "ReleaseDecision");
        HubDocuments.text(decision, "CargoUnitId", unit.id());
        HubDocuments.text(decision, "DeclarationReference", unit.reference());
        HubDocuments.text(decision, "Decision", "RELEASED");
        HubDocuments.text(decision, "DecidedBy", decidedBy(connection, unit.id()));
        HubDocuments.text(decision, "DecidedAt", HubDocuments.timestamp(now));
        HubDocuments.text(decision, "VehiclePlate", unit.vehiclePlate())
                .setAttribute("nationality", Character.isLetter(unit.vehiclePlate().charAt(0))
                        && unit.vehiclePlate().charAt(0) > 0x2E80 ? "CN" : "VN");
        for (String container : containers(connection, unit.id())) {
            HubDocuments.text(decision, "ContainerNumber", container);
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT agency, confirmation_message_id, status"
                + " FROM required_agency WHERE cargo_unit_id = ? ORDER BY agency")) {
            select.setString(1, unit.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Element considered = HubDocuments.add(decision, "ConsideredConfirmation");
                    HubDocuments.text(considered, "Agency", rows.getString(1));
                    HubDocuments.text(considered, "ConfirmationMessageId", rows.getString(2));
                    HubDocuments.text(considered, "Decision", rows.getString(3));
                }
            }
        }
        return vn.huunghi.hub.crypto.XmlSigner.serialize(body.getOwnerDocument());
    }

    private void releaseIfComplete(Connection connection, CargoUnit unit, String messageId) throws SQLException {
        if (unit.state() != CargoUnitState.AWAITING_CONFIRMATIONS || !awaitedAgencies(connection, unit.id()).isEmpty()
                || !allApproved(connection, unit.id())) {
            return;
        }
        Instant now = clock.instant();
        CargoUnit released = transition(connection, unit, CargoUnitState.RELEASED, "released by customs", messageId);
        // Nanning Customs is told of an export's release. The gate gets no document: the hub opens its
        // barriers itself on the release and a matching plate (routes/equipment-barriers.yaml).
        if ("EXPORT".equals(released.direction())) {
            outbox.add(connection, NANNING, "ReleaseDecision", unit.id(), releaseDecision(connection, unit, messageId, now));
            if (igvFleet) {
                outbox.add(connection, IGVS, "GateEvent", unit.id(), GateEvents.igvTransport(unit.id(),
                        containers(connection, unit.id()).get(0), messageId, now, "TRANSPORT_REQUESTED"));
            }
        }
        metrics.counter("hub.workflow.releases").increment();
        declaredAt(connection, unit.id()).ifPresent(declared -> io.micrometer.core.instrument.Timer
                .builder("hub.workflow.declaration.to.release")
                .description("time from the pre-declaration's arrival to the cargo unit's release")
                .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofSeconds(1))
                .maximumExpectedValue(java.time.Duration.ofDays(2)).register(metrics)
                .record(java.time.Duration.between(declared, now)));
    }

    /** When the hub took in the cargo unit's pre-declaration. */
    private Optional<Instant> declaredAt(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT p.processed_at FROM cargo_unit u"
                + " JOIN processed_message p ON p.message_id = u.pre_declaration_message_id WHERE u.id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    /**
     * The Vietnamese export declaration re-addressed from the hub to Nanning Customs: a new messageId
     * correlated to the declarant's, the declarant's signature removed (the hub signs on delivery),
     * and, in a SUPPLEMENT, the ePhyto certificate number plant quarantine issued.
     */
    static byte[] forNanning(byte[] preDeclaration, String correlationId, String functionCode, String ephyto,
            Instant now) {
        Document document = HubDocuments.parse(preDeclaration);
        Element root = document.getDocumentElement();
        Element header = HubDocuments.child(root, "Header");
        HubDocuments.child(header, "MessageId").setTextContent(java.util.UUID.randomUUID().toString());
        Element correlation = HubDocuments.child(header, "CorrelationId");
        if (correlation == null) {
            correlation = document.createElementNS(root.getNamespaceURI(), "CorrelationId");
            header.insertBefore(correlation, HubDocuments.child(header, "MessageType"));
        }
        correlation.setTextContent(correlationId);
        HubDocuments.child(header, "FunctionCode").setTextContent(functionCode);
        HubDocuments.child(header, "Sender").setTextContent("HUB");
        HubDocuments.child(header, "Receiver").setTextContent(NANNING);
        HubDocuments.child(header, "CreatedAt").setTextContent(HubDocuments.timestamp(now));
        org.w3c.dom.NodeList signatures = root.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature");
        for (int i = signatures.getLength() - 1; i >= 0; i--) {
            signatures.item(i).getParentNode().removeChild(signatures.item(i));
        }
        if (ephyto != null) {
            Element declaration = HubDocuments.child(HubDocuments.child(root, "Body"), "CargoPreDeclaration");
            Element existing = HubDocuments.child(declaration, "PhytosanitaryCertificateNumber");
            if (existing != null) {
                declaration.removeChild(existing);
            }
            HubDocuments.text(declaration, "PhytosanitaryCertificateNumber", ephyto);
        }
        return vn.huunghi.hub.crypto.XmlSigner.serialize(document);
    }

    private void hold(Connection connection, CargoUnit unit, String reason, String messageId) throws SQLException {
        if (unit.state() != CargoUnitState.HELD && CargoUnitStates.allows(unit.state(), CargoUnitState.HELD)) {
            transition(connection, unit, CargoUnitState.HELD, reason, messageId);
            if (unit.state() == CargoUnitState.RELEASED && igvFleet && "EXPORT".equals(unit.direction())) {
                // an IGV may already be carrying it to the border: stop that transport
                outbox.add(connection, IGVS, "GateEvent", unit.id(), GateEvents.igvTransport(unit.id(),
                        containers(connection, unit.id()).get(0), messageId, clock.instant(), "CANCEL_REQUESTED"));
            }
        } else {
            timeline(connection, unit.id(), "HOLD_NOTED", null, null, messageId, reason);
        }
    }

    private CargoUnit transition(Connection connection, CargoUnit unit, CargoUnitState to, String reason,
            String messageId) throws SQLException {
        if (!CargoUnitStates.allows(unit.state(), to)) {
            throw new IllegalStateException(unit.id() + ": " + unit.state() + " cannot become " + to);
        }
        Write.together(connection, List.of(
                new Write("UPDATE cargo_unit SET state = ?, updated_at = ?, version = version + 1 WHERE id = ?", to.value(),
                        Timestamp.from(clock.instant()), unit.id()),
                timelineEvent(unit.id(), "STATE_CHANGED", unit.state().value(), to.value(), messageId, reason)));
        CargoUnit moved = new CargoUnit(unit.id(), unit.declarationReference(), unit.exportDeclarationNumber(),
                unit.direction(), to, unit.vehiclePlate(), unit.declaredGrossMass(), unit.preDeclaration());
        notifyDeclarant(connection, moved, to, unit.state(), reason, messageId);
        return moved;
    }

    private void notifyDeclarant(Connection connection, CargoUnit unit, CargoUnitState state, CargoUnitState previous,
            String reason, String correlationId) throws SQLException {
        outbox.add(connection, NSW, "StatusNotification", unit.id(),
                statusNotification(connection, unit, NSW, state, previous, reason, correlationId));
    }

    private WorkflowOutcome refuse(Connection connection, CargoUnit unit, String party, WorkflowOutcome outcome,
            String messageId) throws SQLException {
        timeline(connection, unit.id(), "REFUSED", null, null, messageId, party + ": " + outcome.name());
        outbox.add(connection, party, "StatusNotification", unit.id(), statusNotification(connection, unit, party,
                unit.state(), null, outcome.name() + ": " + outcome.meaning(), messageId));
        metrics.counter("hub.workflow.refusals", "code", outcome.name()).increment();
        LOG.infof("messageId=%s cargoUnit=%s sender=%s verdict=%s", messageId, unit.id(), party, outcome);
        return outcome;
    }

    private byte[] statusNotification(Connection connection, CargoUnit unit, String receiver, CargoUnitState state,
            CargoUnitState previous, String reason, String correlationId) throws SQLException {
        Instant now = clock.instant();
        Element body = HubDocuments.newMessage("StatusNotification", receiver, correlationId, now);
        Element notification = HubDocuments.add(body, "StatusNotification");
        HubDocuments.text(notification, "CargoUnitId", unit.id());
        HubDocuments.text(notification, "DeclarationReference", unit.reference());
        HubDocuments.text(notification, "State", state.value());
        if (previous != null) {
            HubDocuments.text(notification, "PreviousState", previous.value());
        }
        if (reason != null) {
            HubDocuments.text(notification, "Reason", reason);
        }
        HubDocuments.text(notification, "OccurredAt", HubDocuments.timestamp(now));
        for (String agency : awaitedAgencies(connection, unit.id())) {
            HubDocuments.text(notification, "AwaitedAgency", agency);
        }
        return vn.huunghi.hub.crypto.XmlSigner.serialize(body.getOwnerDocument());
    }

    // ------------------------------------------------------------------ storage

    private WorkflowOutcome inTransaction(String messageId, Work work) {
        WorkflowOutcome outcome;
        Set<String> added;
        try {
            outcome = Transactions.call(dataSource, connection -> {
                if (!claim(connection, messageId)) {
                    connection.rollback(); // on PostgreSQL the failed insert aborted the transaction
                    return WorkflowOutcome.ALREADY_PROCESSED;
                }
                outbox.holdAdds(connection);
                WorkflowOutcome done = work.apply(connection);
                // the outbound messages and the outcome: one round trip to PostgreSQL before the commit
                List<Write> last = new ArrayList<>(outbox.takeHeldWrites());
                last.add(new Write("UPDATE processed_message SET outcome = ? WHERE message_id = ?", done.name(), messageId));
                Write.together(connection, last);
                return done;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("workflow transaction failed for messageId " + messageId, e);
        } finally {
            added = outbox.takeAdded();
        }
        if (outcome != WorkflowOutcome.ALREADY_PROCESSED) {
            outboxRelay.relayAtCommit(added);
        }
        return outcome;
    }

    private boolean claim(Connection connection, String messageId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO processed_message (message_id, outcome, processed_at) VALUES (?, 'IN_PROGRESS', ?)")) {
            insert.setString(1, messageId);
            insert.setTimestamp(2, Timestamp.from(clock.instant()));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private Optional<CargoUnit> findForUpdate(Connection connection, String where, String... values) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, declaration_reference,"
                + " export_declaration_number, direction, state, vehicle_plate, declared_gross_mass, pre_declaration"
                + " FROM cargo_unit WHERE " + where + " FOR UPDATE")) {
            for (int i = 0; i < values.length; i++) {
                select.setString(i + 1, values[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new CargoUnit(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        CargoUnitState.fromValue(row.getString(5)), row.getString(6), row.getBigDecimal(7),
                        row.getBytes(8)));
            }
        }
    }

    private Optional<CargoUnit> findExportFirst(Connection connection, String declarationReference,
            List<String> containers) throws SQLException {
        Optional<CargoUnit> byContainers = findByContainers(connection, containers);
        return byContainers.filter(unit -> unit.preDeclaration() == null);
    }

    private Optional<CargoUnit> findByContainers(Connection connection, List<String> containers) throws SQLException {
        for (String container : containers) {
            try (PreparedStatement select = connection.prepareStatement("SELECT c.cargo_unit_id FROM cargo_unit_container c"
                    + " JOIN cargo_unit u ON u.id = c.cargo_unit_id WHERE c.container_number = ?"
                    + " AND u.state NOT IN (" + CargoUnitStates.FINAL_STATES_SQL + ")")) {
                select.setString(1, container);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        return findForUpdate(connection, "id = ?", row.getString(1));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<Write> containerRows(String id, List<String> containers) {
        return containers.stream().map(container -> new Write(
                "INSERT INTO cargo_unit_container (cargo_unit_id, container_number) VALUES (?, ?)", id, container)).toList();
    }

    private static List<Write> sealRows(String id, List<TransportEquipmentType> equipment) {
        List<Write> rows = new ArrayList<>();
        for (TransportEquipmentType container : equipment) {
            for (String seal : new java.util.LinkedHashSet<>(container.getSeal())) {
                rows.add(new Write("INSERT INTO cargo_unit_seal (cargo_unit_id, seal_number, container_number)"
                        + " VALUES (?, ?, ?)", id, seal, container.getContainerNumber()));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ handover

    /**
     * An IGV put the cargo unit's containers down at the border handover point (VDA 5050 drop
     * finished): the cargo unit is handed over to the Chinese side (IGVs carry exports only).
     */
    public WorkflowOutcome recordHandover(String eventId, String cargoUnitId, String vehicle, String node) {
        return inTransaction(eventId, connection -> {
            Optional<CargoUnit> found = findForUpdate(connection, "id = ?", cargoUnitId);
            if (found.isEmpty()) {
                LOG.warnf("IGV %s reported a handover for %s, which is no cargo unit", vehicle, cargoUnitId);
                return WorkflowOutcome.CARGO_UNIT_UNKNOWN;
            }
            return leave(connection, found.get(), CargoUnitState.HANDED_OVER, "handed over at " + node + " by IGV "
                    + vehicle, eventId, vehicle, Kind.HANDOVER_NOT_RELEASED);
        });
    }

    /**
     * A released cargo unit leaves the gate (HANDED_OVER or EXITED): the declarant is told, and for
     * an export Nanning Customs too. One that is not released does not change: the device raising
     * the event gets the alarm.
     */
    private WorkflowOutcome leave(Connection connection, CargoUnit unit, CargoUnitState to, String reason,
            String eventId, String device, Kind notReleased) throws SQLException {
        if (unit.state() != CargoUnitState.RELEASED) {
            alarms.raise(connection, device, notReleased, unit.id(), reason + ", but the cargo unit is "
                    + unit.state().value() + "; nothing changed");
            return WorkflowOutcome.RELEASE_NOT_ALLOWED_IN_STATE;
        }
        CargoUnit left = transition(connection, unit, to, reason, eventId);
        if ("EXPORT".equals(unit.direction())) {
            outbox.add(connection, NANNING, "StatusNotification", unit.id(), statusNotification(connection, left,
                    NANNING, to, CargoUnitState.RELEASED, reason, eventId));
        }
        return WorkflowOutcome.APPLIED;
    }

    // ------------------------------------------------------------------ exit

    /**
     * The barrier of a lane out of the gate confirmed open for a released cargo unit: its vehicle
     * leaves, so the cargo unit is EXITED (and no later read of its plate opens a barrier again).
     * The declarant is told, and for an export Nanning Customs too, as on a handover.
     */
    public WorkflowOutcome recordExit(String eventId, String cargoUnitId, String lane) {
        return inTransaction(eventId, connection -> {
            Optional<CargoUnit> found = findForUpdate(connection, "id = ?", cargoUnitId);
            if (found.isEmpty()) {
                LOG.warnf("barrier %s opened for %s, which is no cargo unit", lane, cargoUnitId);
                return WorkflowOutcome.CARGO_UNIT_UNKNOWN;
            }
            CargoUnit unit = found.get();
            if (unit.state() == CargoUnitState.EXITED) {
                timeline(connection, unit.id(), "BARRIER_OPENED_AGAIN", null, null, eventId, "barrier " + lane
                        + " opened again after the exit");
                return WorkflowOutcome.APPLIED;
            }
            WorkflowOutcome outcome = leave(connection, unit, CargoUnitState.EXITED, "left the gate through barrier "
                    + lane, eventId, "BARRIER-" + lane, Kind.EXIT_NOT_RELEASED);
            if (outcome == WorkflowOutcome.APPLIED) {
                metrics.counter("hub.workflow.exits").increment();
            }
            return outcome;
        });
    }

    // ------------------------------------------------------------------ e-seals

    /**
     * A GPS e-seal event (MQTT): a tamper, or an opening outside the yard, holds the cargo unit the
     * seal is on; other events go on its timeline.
     */
    public WorkflowOutcome recordESealEvent(String eventId, String sealNumber, String event, boolean insideYard) {
        return inTransaction(eventId, connection -> {
            String unitId = null;
            try (PreparedStatement select = connection.prepareStatement("SELECT s.cargo_unit_id FROM cargo_unit_seal s"
                    + " JOIN cargo_unit u ON u.id = s.cargo_unit_id WHERE s.seal_number = ?"
                    + " AND u.state NOT IN (" + CargoUnitStates.FINAL_STATES_SQL + ") ORDER BY u.created_at DESC")) {
                select.setString(1, sealNumber);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        unitId = row.getString(1);
                    }
                }
            }
            if (unitId == null) {
                LOG.warnf("e-seal %s reported %s but is on no open cargo unit", sealNumber, event);
                return WorkflowOutcome.CARGO_UNIT_UNKNOWN;
            }
            CargoUnit unit = findForUpdate(connection, "id = ?", unitId).orElseThrow();
            timeline(connection, unit.id(), "ESEAL_" + event, null, null, eventId, "seal " + sealNumber
                    + (insideYard ? " inside the yard" : " outside the yard"));
            if ("TAMPER".equals(event) || ("OPENED".equals(event) && !insideYard)) {
                alarms.raise(connection, sealNumber, Kind.valueOf("ESEAL_" + event), unit.id(),
                        "e-seal " + sealNumber + ": " + event + (insideYard ? " inside the yard" : " outside the yard"));
                hold(connection, unit, "e-seal " + sealNumber + ": " + event
                        + ("OPENED".equals(event) ? " outside the yard" : ""), eventId);
            }
            return WorkflowOutcome.APPLIED;
        });
    }

    private List<String> containers(Connection connection, String id) throws SQLException {
        List<String> containers = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT container_number FROM cargo_unit_container WHERE cargo_unit_id = ? ORDER BY container_number")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    containers.add(rows.getString(1));
                }
            }
        }
        return containers;
    }

    private List<Write> decisionRows(String id, AgencySelection.Decision decision) {
        List<Write> rows = new ArrayList<>();
        for (AgencySelection.Rule rule : decision.fired()) {
            rows.add(new Write("INSERT INTO agency_selection (cargo_unit_id, rule_id, agency, effect, why)"
                    + " VALUES (?, ?, ?, ?, ?)", id, rule.id(), rule.agency(), rule.effect().name(), rule.why()));
        }
        for (Map.Entry<String, List<String>> agency : decision.requiredAgencies().entrySet()) {
            List<String> inspections = decision.inspections().getOrDefault(agency.getKey(), List.of());
            rows.add(new Write("INSERT INTO required_agency (cargo_unit_id, agency, rule_ids, inspections, status)"
                    + " VALUES (?, ?, ?, ?, 'PENDING')", id, agency.getKey(), String.join(",", agency.getValue()),
                    inspections.isEmpty() ? null : String.join(",", inspections)));
        }
        rows.add(timelineEvent(id, "AGENCIES_SELECTED", null, null, null, decision.requiredAgencies().toString()));
        return rows;
    }

    private Optional<String> requiredStatus(Connection connection, String id, String agency) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status FROM required_agency WHERE cargo_unit_id = ? AND agency = ?")) {
            select.setString(1, id);
            select.setString(2, agency);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    private void recordConfirmation(Connection connection, String id, String agency, String decision, String messageId,
            String inspector) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE required_agency SET status = ?,"
                + " confirmation_message_id = ?, inspector_id = ?, decided_at = ?"
                + " WHERE cargo_unit_id = ? AND agency = ? AND status = 'PENDING'")) {
            update.setString(1, decision);
            update.setString(2, messageId);
            update.setString(3, inspector);
            update.setTimestamp(4, Timestamp.from(clock.instant()));
            update.setString(5, id);
            update.setString(6, agency);
            update.executeUpdate();
        }
    }

    private void recordConfirmationIfPending(Connection connection, String id, String decision, String messageId,
            String inspector) throws SQLException {
        recordConfirmation(connection, id, CUSTOMS, decision, messageId, inspector);
    }

    private List<String> awaitedAgencies(Connection connection, String id) throws SQLException {
        List<String> awaited = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT agency FROM required_agency WHERE cargo_unit_id = ? AND status = 'PENDING' ORDER BY agency")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    awaited.add(rows.getString(1));
                }
            }
        }
        return awaited;
    }

    private boolean allApproved(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COUNT(*) FROM required_agency WHERE cargo_unit_id = ? AND status <> 'APPROVED'")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1) == 0;
            }
        }
    }

    /** True unless the agency decided something other than an approval (pending counts as not yet refused). */
    private boolean approvedOnly(Connection connection, String id, String agency) throws SQLException {
        Optional<String> status = requiredStatus(connection, id, agency);
        return status.isEmpty() || "PENDING".equals(status.get()) || "APPROVED".equals(status.get());
    }

    private String decidedBy(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT inspector_id FROM required_agency WHERE cargo_unit_id = ? AND agency = ?")) {
            select.setString(1, id);
            select.setString(2, CUSTOMS);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getString(1) != null ? row.getString(1) : CUSTOMS;
            }
        }
    }

    void timeline(Connection connection, String id, String kind, String from, String to, String messageId,
            String detail) throws SQLException {
        Write.together(connection, List.of(timelineEvent(id, kind, from, to, messageId, detail)));
    }

    private Write timelineEvent(String id, String kind, String from, String to, String messageId, String detail) {
        return new Write("INSERT INTO timeline_event (cargo_unit_id, occurred_at, kind, from_state, to_state, message_id,"
                + " detail) VALUES (?, ?, ?, ?, ?, ?, ?)", id, Timestamp.from(clock.instant()), kind, from, to, messageId,
                detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail);
    }

}
