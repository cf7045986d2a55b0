package vn.huunghi.hub.equipment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import vn.huunghi.hub.catalog.ContainerNumber;
import vn.huunghi.hub.edge.ClientCertificate;
import vn.huunghi.hub.workflow.CargoUnitWorkflow;
import vn.huunghi.hub.workflow.WorkflowOutcome;

/**
 * Webhooks the gate's ANPR cameras and container scanners post to, over the partner port's
 * mutual TLS with the equipment gateway's certificate. A reading is applied (committed) before
 * the device gets its 202, so an acknowledged reading is never lost; a repeated eventId is
 * applied once.
 */
@Path("/equipment")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EquipmentWebhooks {

    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> SCAN_RESULTS = Set.of("CLEAR", "SUSPICIOUS");

    private final CargoUnitWorkflow workflow;

    EquipmentWebhooks(CargoUnitWorkflow workflow) {
        this.workflow = workflow;
    }

    /** {"eventId", "lane", "camera", "plate", "nationality" VN|CN, "confidence" 0..1, "readAt", "imageReference"} */
    @POST
    @Path("/anpr-reads")
    public Response plateRead(String read, @Context HttpServerRequest request) {
        authorize(request);
        Payload payload = Payload.parse(read);
        String nationality = payload.text("nationality");
        if (!Set.of("VN", "CN").contains(nationality)) {
            throw new EquipmentPayloadRejected("nationality must be VN or CN, not " + nationality);
        }
        BigDecimal confidence = payload.decimal("confidence");
        if (confidence.signum() < 0 || confidence.compareTo(BigDecimal.ONE) > 0) {
            throw new EquipmentPayloadRejected("confidence must be between 0 and 1, not " + confidence);
        }
        return applied(workflow.recordGateEvent(GateEvents.plateRead(payload.eventId(), payload.text("lane"),
                payload.text("camera"), payload.instant("readAt"), payload.text("plate"), nationality, confidence,
                payload.text("imageReference"))));
    }

    /** {"eventId", "lane", "scanner", "containerNumber", "result" CLEAR|SUSPICIOUS, "scannedAt", "imageReference" (UFF file)} */
    @POST
    @Path("/scan-results")
    public Response scanResult(String scan, @Context HttpServerRequest request) {
        authorize(request);
        Payload payload = Payload.parse(scan);
        String container = payload.text("containerNumber");
        if (!ContainerNumber.isValid(container)) {
            throw new EquipmentPayloadRejected("containerNumber " + container + " is not an ISO 6346 number with a valid check digit");
        }
        String result = payload.text("result");
        if (!SCAN_RESULTS.contains(result)) {
            throw new EquipmentPayloadRejected("result must be CLEAR or SUSPICIOUS, not " + result);
        }
        return applied(workflow.recordGateEvent(GateEvents.scanResult(payload.eventId(), payload.text("lane"),
                payload.text("scanner"), payload.instant("scannedAt"), container, result,
                payload.text("imageReference"))));
    }

    private static Response applied(WorkflowOutcome outcome) {
        return Response.accepted(Map.of("outcome", outcome.name(), "meaning", outcome.meaning())).build();
    }

    /** Only the equipment gateway's certificate may post equipment readings. */
    private static void authorize(HttpServerRequest request) {
        if (!ClientCertificate.commonName(request).filter(GateEvents.GATEWAY::equals).isPresent()) {
            throw new EquipmentPayloadRejected.NotAuthorized();
        }
    }

    /** Field access that names what is missing or malformed. */
    private record Payload(JsonNode json) {

        private static final ObjectMapper JSON = new ObjectMapper();

        static Payload parse(String body) {
            try {
                return new Payload(JSON.readTree(body == null ? "" : body));
            } catch (JsonProcessingException e) {
                throw new EquipmentPayloadRejected("the body is not JSON: " + e.getOriginalMessage());
            }
        }

        Payload {
            if (json == null || !json.isObject()) {
                throw new EquipmentPayloadRejected("the body must be a JSON object");
            }
        }

        String text(String field) {
            JsonNode node = json.get(field);
            if (node == null || !node.isTextual() || node.asText().isBlank()) {
                throw new EquipmentPayloadRejected(field + " is missing or not a text");
            }
            return node.asText();
        }

        String eventId() {
            String id = text("eventId");
            if (!UUID_TEXT.matcher(id).matches()) {
                throw new EquipmentPayloadRejected("eventId must be a UUID, not " + id);
            }
            return id.toLowerCase(java.util.Locale.ROOT);
        }

        BigDecimal decimal(String field) {
            JsonNode node = json.get(field);
            if (node == null || !node.isNumber()) {
                throw new EquipmentPayloadRejected(field + " is missing or not a number");
            }
            return node.decimalValue();
        }

        Instant instant(String field) {
            try {
                return OffsetDateTime.parse(text(field)).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw new EquipmentPayloadRejected(field + " must be an ISO 8601 time with offset, not " + json.get(field));
            }
        }
    }

}
