package vn.huunghi.hub.equipment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.Set;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.workflow.CargoUnitWorkflow;
import vn.huunghi.hub.workflow.WorkflowOutcome;

/**
 * GPS e-seal events as the seals' gateway publishes them over MQTT (JSON: eventId, seal, event
 * SEALED|OPENED|TAMPER|POSITION, latitude, longitude), handed to the cargo-unit workflow.
 */
@ApplicationScoped
@Named("esealEvents")
public class ESealEvents {

    private static final Logger LOG = Logger.getLogger(ESealEvents.class);
    private static final Set<String> EVENTS = Set.of("SEALED", "OPENED", "TAMPER", "POSITION");

    private final ObjectMapper json = new ObjectMapper();
    private final CargoUnitWorkflow workflow;
    private final HubConfig.Equipment.Yard yard;

    private final vn.huunghi.hub.ops.FixtureRecorder recorder;

    ESealEvents(CargoUnitWorkflow workflow, HubConfig config, vn.huunghi.hub.ops.FixtureRecorder recorder) {
        this.recorder = recorder;
        this.workflow = workflow;
        this.yard = config.equipment().yard();
    }

    public WorkflowOutcome apply(byte[] payload) {
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (IOException e) {
            LOG.warnf("e-seal payload is not JSON, dropped: %s", e.getMessage());
            return WorkflowOutcome.CARGO_UNIT_UNKNOWN;
        }
        String kind = event.path("event").asText();
        if (!EVENTS.contains(kind) || event.path("seal").asText().isBlank() || event.path("eventId").asText().isBlank()) {
            LOG.warnf("e-seal event without eventId, seal or a known event, dropped: %s", event);
            return WorkflowOutcome.CARGO_UNIT_UNKNOWN;
        }
        boolean insideYard = event.has("latitude") && event.has("longitude")
                && inside(event.path("latitude").asDouble(), event.path("longitude").asDouble());
        WorkflowOutcome outcome = workflow.recordESealEvent(event.path("eventId").asText(), event.path("seal").asText(),
                kind, insideYard);
        recorder.inbound("ESEAL-GATEWAY", "ESealEvent.json", payload, outcome.name());
        return outcome;
    }

    private boolean inside(double latitude, double longitude) {
        return latitude >= yard.minLatitude() && latitude <= yard.maxLatitude()
                && longitude >= yard.minLongitude() && longitude <= yard.maxLongitude();
    }
}
