package vn.huunghi.hub.equipment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.edge.TestFlow;
import vn.huunghi.hub.workflow.CargoUnitQueries;

/** The IGV fleet over VDA 5050 on the embedded broker's MQTT acceptor, an IGV played by the test. */
@QuarkusTest
class IgvTest {

    private static final String ORDERS = "uagv/v2/HUUNGHI-IGV/+/order";
    private static final String INSTANT_ACTIONS = "uagv/v2/HUUNGHI-IGV/+/instantActions";

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @ConfigProperty(name = "hub.broker.mqtt-port")
    int mqttPort;

    @Inject
    CargoUnitQueries queries;

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, JsonNode> orders = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> instantActions = new ConcurrentHashMap<>();
    private MqttClient igv;

    @BeforeEach
    void igvListensForOrders() throws Exception {
        igv = new MqttClient("tcp://127.0.0.1:" + mqttPort, "test-igv-" + UUID.randomUUID(), new MemoryPersistence());
        igv.connect();
        IMqttMessageListener onOrder = (topic, message) -> {
            JsonNode order = json.readTree(message.getPayload());
            orders.put(order.path("orderId").asText(), order);
        };
        // the (topic, qos, listener) overload of Paho 1.2.5 calls itself
        IMqttMessageListener onInstantActions = (topic, message) -> {
            JsonNode actions = json.readTree(message.getPayload());
            instantActions.put(actions.path("actions").get(0).path("actionId").asText(), actions);
        };
        igv.subscribe(new MqttSubscription[] {new MqttSubscription(ORDERS, 1), new MqttSubscription(INSTANT_ACTIONS, 1)},
                new IMqttMessageListener[] {onOrder, onInstantActions});
    }

    @AfterEach
    void disconnect() throws Exception {
        igv.disconnect();
        igv.close();
    }

    @Test
    void aReleasedExportIsOrderedToTheBorderAndTheDropHandsItOverAndTellsNanning() throws Exception {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        String unit = release(cargo);

        await().atMost(Duration.ofSeconds(10)).until(() -> orders.containsKey(unit));
        JsonNode order = orders.get(unit);
        String vehicle = order.path("serialNumber").asText();
        assertTrue(List.of("IGV-T1", "IGV-T2").contains(vehicle), order.toString());
        assertEquals("2.0.0", order.path("version").asText());
        assertEquals("EXPORT-YARD", order.path("nodes").get(0).path("nodeId").asText());
        assertEquals("pick", order.path("nodes").get(0).path("actions").get(0).path("actionType").asText());
        assertEquals("BORDER-HANDOVER", order.path("nodes").get(1).path("nodeId").asText());
        assertEquals(cargo.containers().values().iterator().next(),
                order.path("nodes").get(1).path("actions").get(0).path("actionParameters").get(0).path("value").get(0).asText());
        assertEquals("RELEASED", queries.byId(unit).orElseThrow().state());

        // driving: not yet handed over
        publishState(vehicle, unit, "EXPORT-YARD", "RUNNING");
        Thread.sleep(500);
        assertEquals("RELEASED", queries.byId(unit).orElseThrow().state());

        // the drop at the handover point finished, reported twice as IGVs do: handed over once
        publishState(vehicle, unit, "BORDER-HANDOVER", "FINISHED");
        publishState(vehicle, unit, "BORDER-HANDOVER", "FINISHED");
        await().atMost(Duration.ofSeconds(5)).until(() -> queries.byId(unit).orElseThrow().state().equals("HANDED_OVER"));
        List<String> toNanning = queries.outboundMessages(unit).stream().filter(m -> m[0].equals("CN-NANNING-CUSTOMS"))
                .map(m -> m[1]).toList();
        assertEquals(1, toNanning.stream().filter("StatusNotification"::equals).count(), toNanning.toString());
        String notice = new String(queries.outboundDocuments(unit, "CN-NANNING-CUSTOMS").get(toNanning.size() - 1),
                StandardCharsets.UTF_8);
        assertTrue(notice.contains("<State>HANDED_OVER</State>"), notice);
    }

    @Test
    void aTamperAfterReleaseHoldsTheCargoUnitAndCancelsItsIgvOrder() throws Exception {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        String seal = "ESEAL" + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);
        cargo.document().getElementsByTagNameNS(vn.huunghi.hub.catalog.MessageCatalog.NAMESPACE_V1, "Seal").item(0)
                .setTextContent(seal);
        String unit = release(cargo);
        await().atMost(Duration.ofSeconds(10)).until(() -> orders.containsKey(unit));
        String vehicle = orders.get(unit).path("serialNumber").asText();
        publishState(vehicle, unit, "EXPORT-YARD", "WAITING");

        TestMqtt.publish("tcp://127.0.0.1:" + mqttPort, "gate/eseals", "{\"eventId\":\"" + UUID.randomUUID()
                + "\",\"seal\":\"" + seal + "\",\"event\":\"TAMPER\",\"latitude\":21.8481,\"longitude\":106.7612}");

        await().atMost(Duration.ofSeconds(5)).until(() -> queries.byId(unit).orElseThrow().state().equals("HELD"));
        await().atMost(Duration.ofSeconds(10)).until(() -> instantActions.containsKey(unit + "-cancel"));
        JsonNode cancel = instantActions.get(unit + "-cancel");
        assertEquals(vehicle, cancel.path("serialNumber").asText());
        assertEquals("cancelOrder", cancel.path("actions").get(0).path("actionType").asText());
    }

    private String release(TestCargo cargo) {
        return new TestFlow(edge, queries).release(cargo, "26350.000");
    }

    private void publishState(String vehicle, String orderId, String lastNode, String dropStatus) throws Exception {
        String state = """
                {"headerId": 1, "timestamp": "2026-11-23T08:00:00Z", "version": "2.0.0", "manufacturer": "HUUNGHI-IGV",
                 "serialNumber": "%s", "orderId": "%s", "orderUpdateId": 0, "lastNodeId": "%s", "lastNodeSequenceId": 0,
                 "driving": false, "operatingMode": "AUTOMATIC", "nodeStates": %s, "edgeStates": [],
                 "actionStates": [{"actionId": "%s-pick", "actionType": "pick", "actionStatus": "FINISHED"},
                                  {"actionId": "%s-drop", "actionType": "drop", "actionStatus": "%s"}],
                 "batteryState": {"batteryCharge": 81.5, "charging": false}, "errors": [],
                 "safetyState": {"eStop": "NONE", "fieldViolation": false}}"""
                .formatted(vehicle, orderId, lastNode, "FINISHED".equals(dropStatus) ? "[]"
                        : "[{\"nodeId\": \"BORDER-HANDOVER\", \"sequenceId\": 2, \"released\": true}]",
                        orderId, orderId, dropStatus);
        MqttMessage message = new MqttMessage(state.getBytes(StandardCharsets.UTF_8));
        message.setQos(0);
        igv.publish("uagv/v2/HUUNGHI-IGV/" + vehicle + "/state", message);
    }
}
