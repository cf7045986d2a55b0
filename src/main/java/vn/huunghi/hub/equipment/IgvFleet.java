package vn.huunghi.hub.equipment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.catalog.CatalogMessages;
import vn.huunghi.hub.catalog.v1.MessageType;
import vn.huunghi.hub.equipment.EquipmentAlarms.Kind;
import vn.huunghi.hub.workflow.CargoUnitQueries;
import vn.huunghi.hub.workflow.CargoUnitWorkflow;

/**
 * The hub as VDA 5050 master control of the IGV fleet: a released export becomes an order (pick
 * at the yard, drop at the border handover point) for an idle, connected IGV; the IGVs' state
 * messages report the drop, which is the cargo unit's handover; their connection messages say
 * which IGVs can take orders.
 */
@ApplicationScoped
@Named("igvFleet")
public class IgvFleet {

    /** Header naming the MQTT topic an order is published to (camel-paho-mqtt5's override). */
    public static final String TOPIC = "CamelPahoMqtt5OverrideTopic";
    private static final String VERSION = "2.0.0";
    private static final Logger LOG = Logger.getLogger(IgvFleet.class);

    private final ObjectMapper json = new ObjectMapper();
    private final HubConfig.Equipment.Igv config;
    private final List<String> vehicles;
    private final CargoUnitWorkflow workflow;
    private final CargoUnitQueries queries;
    private final EquipmentAlarms alarms;
    private final Clock clock;
    private final AtomicLong headerId = new AtomicLong();
    /** What each IGV last reported: its current orderId ("" when idle) and whether it is connected. */
    private final Map<String, String> currentOrder = new ConcurrentHashMap<>();
    private final Set<String> offline = ConcurrentHashMap.newKeySet();
    private final Set<String> handedOver = ConcurrentHashMap.newKeySet();

    IgvFleet(HubConfig config, CargoUnitWorkflow workflow, CargoUnitQueries queries, EquipmentAlarms alarms, Clock clock) {
        this.config = config.equipment().igv();
        this.vehicles = this.config.vehicles().orElse(List.of());
        this.workflow = workflow;
        this.queries = queries;
        this.alarms = alarms;
        this.clock = clock;
    }

    /**
     * Makes a transport request (a GateEvent from the outbox) the VDA 5050 message for one IGV: an
     * order for a new transport, a cancelOrder instant action for a held one.
     */
    public void toVda5050(Exchange exchange) {
        MessageType message = CatalogMessages.read(exchange.getIn().getBody(byte[].class));
        String cargoUnitId = message.getBody().getGateEvent().getCargoUnitId();
        if ("CANCEL_REQUESTED".equals(message.getBody().getGateEvent().getIgvEvent().getState())) {
            cancel(exchange, cargoUnitId);
            return;
        }
        String vehicle = chooseVehicle();
        ObjectNode order = header(vehicle);
        order.put("orderId", cargoUnitId);
        order.put("orderUpdateId", 0);
        ArrayNode nodes = order.putArray("nodes");
        ArrayNode loads = json.createArrayNode();
        queries.containers(cargoUnitId).forEach(loads::add);
        node(nodes, config.pickupNode(), 0, action(cargoUnitId, "pick", loads));
        node(nodes, config.handoverNode(), 2, action(cargoUnitId, "drop", loads));
        ObjectNode edge = order.putArray("edges").addObject();
        edge.put("edgeId", config.pickupNode() + "->" + config.handoverNode());
        edge.put("sequenceId", 1);
        edge.put("released", true);
        edge.put("startNodeId", config.pickupNode());
        edge.put("endNodeId", config.handoverNode());
        edge.putArray("actions");
        currentOrder.put(vehicle, cargoUnitId);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(TOPIC, topic(vehicle, "order"));
        exchange.getIn().setBody(bytes(order));
        LOG.infof("order %s to IGV %s: %s to %s", cargoUnitId, vehicle, config.pickupNode(), config.handoverNode());
    }

    private void cancel(Exchange exchange, String orderId) {
        String vehicle = currentOrder.entrySet().stream().filter(e -> e.getValue().equals(orderId)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        exchange.getIn().removeHeaders("*");
        if (vehicle == null) {
            LOG.infof("order %s is on no IGV; nothing to cancel", orderId);
            exchange.getIn().setBody(null);
            return;
        }
        ObjectNode instantActions = header(vehicle);
        ObjectNode action = instantActions.putArray("actions").addObject();
        action.put("actionType", "cancelOrder");
        action.put("actionId", orderId + "-cancel");
        action.put("blockingType", "HARD");
        action.putArray("actionParameters");
        exchange.getIn().setHeader(TOPIC, topic(vehicle, "instantActions"));
        exchange.getIn().setBody(bytes(instantActions));
        LOG.infof("order %s cancelled on IGV %s: the cargo unit is held", orderId, vehicle);
    }

    /** An IGV's state message: the finished drop of an order at the handover node is the cargo unit's handover. */
    public void state(byte[] payload) {
        JsonNode state = read(payload);
        if (state == null) {
            return;
        }
        String vehicle = state.path("serialNumber").asText();
        String orderId = state.path("orderId").asText();
        boolean dropped = false;
        for (JsonNode action : state.path("actionStates")) {
            if ((orderId + "-drop").equals(action.path("actionId").asText())
                    && "FINISHED".equals(action.path("actionStatus").asText())) {
                dropped = true;
            }
        }
        for (JsonNode error : state.path("errors")) {
            if ("FATAL".equals(error.path("errorLevel").asText())) {
                alarms.raise(vehicle, Kind.IGV_ERROR, orderId.isEmpty() ? null : orderId,
                        error.path("errorType").asText()
                        + ": " + error.path("errorDescription").asText());
            }
        }
        currentOrder.put(vehicle, dropped || state.path("nodeStates").isEmpty() ? "" : orderId);
        if (dropped && handedOver.add(orderId)) {
            String eventId = UUID.nameUUIDFromBytes(("handover:" + orderId).getBytes(StandardCharsets.UTF_8)).toString();
            workflow.recordHandover(eventId, orderId, vehicle, state.path("lastNodeId").asText(config.handoverNode()));
        }
    }

    /** An IGV's connection message (ONLINE, OFFLINE, CONNECTIONBROKEN): only online IGVs get orders. */
    public void connection(byte[] payload) {
        JsonNode connection = read(payload);
        if (connection == null) {
            return;
        }
        String vehicle = connection.path("serialNumber").asText();
        String state = connection.path("connectionState").asText();
        if ("ONLINE".equals(state)) {
            offline.remove(vehicle);
            return;
        }
        if (offline.add(vehicle) && "CONNECTIONBROKEN".equals(state)) {
            alarms.raise(vehicle, Kind.IGV_CONNECTION_BROKEN, currentOrder.getOrDefault(vehicle, "").isEmpty() ? null
                    : currentOrder.get(vehicle), "IGV " + vehicle + " lost its connection to the broker");
        }
    }

    /** The first connected IGV without an order; if all are busy, the one listed first among the connected. */
    private String chooseVehicle() {
        List<String> connected = vehicles.stream().filter(v -> !offline.contains(v)).toList();
        if (connected.isEmpty()) {
            throw new IllegalStateException("no IGV is connected; the transport waits on its queue");
        }
        return connected.stream().filter(v -> currentOrder.getOrDefault(v, "").isEmpty()).findFirst()
                .orElse(connected.get(0));
    }

    private String topic(String vehicle, String topic) {
        return config.topicPrefix() + "/" + config.manufacturer() + "/" + vehicle + "/" + topic;
    }

    private ObjectNode header(String vehicle) {
        ObjectNode message = json.createObjectNode();
        message.put("headerId", headerId.incrementAndGet());
        message.put("timestamp", clock.instant().toString());
        message.put("version", VERSION);
        message.put("manufacturer", config.manufacturer());
        message.put("serialNumber", vehicle);
        return message;
    }

    private ObjectNode action(String orderId, String type, ArrayNode loads) {
        ObjectNode action = json.createObjectNode();
        action.put("actionType", type);
        action.put("actionId", orderId + "-" + type);
        action.put("blockingType", "HARD");
        ObjectNode parameter = action.putArray("actionParameters").addObject();
        parameter.put("key", "loadIds");
        parameter.set("value", loads);
        return action;
    }

    private static void node(ArrayNode nodes, String nodeId, int sequenceId, ObjectNode action) {
        ObjectNode node = nodes.addObject();
        node.put("nodeId", nodeId);
        node.put("sequenceId", sequenceId);
        node.put("released", true);
        node.putArray("actions").add(action);
    }

    private JsonNode read(byte[] payload) {
        try {
            return json.readTree(payload);
        } catch (IOException e) {
            LOG.warnf("VDA 5050 message is not JSON, dropped: %s", e.getMessage());
            return null;
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
