package vn.huunghi.hub.equipment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.equipment.EquipmentAlarms.Kind;
import vn.huunghi.hub.workflow.CargoUnitWorkflow;

/**
 * Reads the lanes' weighbridge indicators while a vehicle waits on them: the gross weight (32
 * bits over two holding registers) is taken only when the status says stable, without motion or
 * overload, and goes to the workflow as the cargo unit's weighing.
 */
@ApplicationScoped
@Named("weighbridges")
public class Weighbridges {

    /** The exchange property holding the weighing being read. */
    public static final String WEIGHING = "HubWeighing";
    static final int MOTION = 1;
    static final int STABLE = 1 << 1;
    static final int OVERLOAD = 1 << 2;

    /** A cargo unit waiting on a lane's scale, and how to read that scale. */
    public record Weighing(String lane, String cargoUnitId, String plc, String grossTag, String statusTag) {

        /** Camel PLC4X endpoint reading gross weight and status in one request. */
        public String readUri() {
            return "plc4x:" + plc + "?autoReconnect=true&tag.gross=" + grossTag + "&tag.status=" + statusTag;
        }
    }

    private final Map<String, HubConfig.Equipment.Lane> scales;
    private final CargoUnitWorkflow workflow;
    private final EquipmentAlarms alarms;
    private final Clock clock;
    private final Set<String> silentScales = ConcurrentHashMap.newKeySet();

    private final io.micrometer.core.instrument.MeterRegistry metrics;

    Weighbridges(HubConfig config, CargoUnitWorkflow workflow, EquipmentAlarms alarms, Clock clock,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        this.metrics = metrics;
        this.scales = config.equipment().lanes().entrySet().stream()
                .filter(lane -> lane.getValue().scaleGrossWeight().isPresent() && lane.getValue().scaleStatus().isPresent())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        this.workflow = workflow;
        this.alarms = alarms;
        this.clock = clock;
    }

    /** The scales with a vehicle waiting to be weighed; nothing to read when none waits. */
    public List<Weighing> awaitingWeighing() {
        List<Weighing> weighings = new ArrayList<>();
        workflow.awaitingWeighing(scales.keySet()).forEach((lane, cargoUnitId) -> {
            HubConfig.Equipment.Lane scale = scales.get(lane);
            weighings.add(new Weighing(lane, cargoUnitId, scale.plc(), scale.scaleGrossWeight().get(),
                    scale.scaleStatus().get()));
        });
        return weighings;
    }

    /** Takes the indicator's answer (tag name to value; empty when the PLC did not answer). */
    public void record(Exchange exchange) {
        Weighing weighing = exchange.getProperty(WEIGHING, Weighing.class);
        Map<?, ?> answer = exchange.getIn().getBody(Map.class);
        String device = "SCALE-" + weighing.lane();
        metrics.counter("hub.equipment.plc.reads", "device", device).increment();
        if (answer == null || !(answer.get("gross") instanceof Number gross) || !(answer.get("status") instanceof Number status)) {
            if (silentScales.add(weighing.lane())) {
                alarms.raise(device, Kind.PLC_NOT_ANSWERING, weighing.cargoUnitId(), "the weighbridge indicator at "
                        + weighing.plc() + " did not answer; the cargo unit waits on the scale");
            }
            return;
        }
        silentScales.remove(weighing.lane());
        int bits = status.intValue();
        if ((bits & STABLE) == 0 || (bits & MOTION) != 0 || (bits & OVERLOAD) != 0) {
            return; // not yet a reading to take: read again on the next poll
        }
        // one weighing per cargo unit: the event id is derived from it, so a second reading changes nothing
        String eventId = UUID.nameUUIDFromBytes(("weighing:" + weighing.cargoUnitId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        workflow.recordGateEvent(GateEvents.weightReading(eventId, weighing.lane(), clock.instant(),
                weighing.cargoUnitId(), gross.longValue(), true, false, false));
    }
}
