package vn.huunghi.hub.equipment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.workflow.CargoUnitQueries;

@QuarkusTest
class ESealTest {

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @ConfigProperty(name = "hub.broker.mqtt-port")
    int mqttPort;

    @Inject
    CargoUnitQueries queries;

    @Test
    void anESealTamperEventOverMqttHoldsTheCargoUnitWithinOneSecond() throws Exception {
        String seal = declaredSeal();
        String unit = unitWithSeal(seal);

        publish("{\"eventId\":\"" + UUID.randomUUID() + "\",\"seal\":\"" + seal + "\",\"event\":\"TAMPER\","
                + "\"latitude\":21.8481,\"longitude\":106.7612}");

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> queries.byId(unit).orElseThrow().state().equals("HELD"));
    }

    @Test
    void anESealOpenedInsideTheYardDoesNotHoldButOutsideItDoes() throws Exception {
        String seal = declaredSeal();
        String unit = unitWithSeal(seal);

        String inside = UUID.randomUUID().toString();
        publish("{\"eventId\":\"" + inside + "\",\"seal\":\"" + seal + "\",\"event\":\"OPENED\","
                + "\"latitude\":21.8481,\"longitude\":106.7612}");
        await().atMost(Duration.ofSeconds(5)).until(() -> queries.outcomeOf(inside).filter("APPLIED"::equals).isPresent());
        assertEquals("DECLARED", queries.byId(unit).orElseThrow().state());

        publish("{\"eventId\":\"" + UUID.randomUUID() + "\",\"seal\":\"" + seal + "\",\"event\":\"OPENED\","
                + "\"latitude\":21.9010,\"longitude\":106.7001}");
        await().atMost(Duration.ofSeconds(5)).until(() -> queries.byId(unit).orElseThrow().state().equals("HELD"));
    }

    private String reference;

    private String declaredSeal() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        String seal = "ESEAL" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);
        NodeList seals = cargo.document().getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "Seal");
        seals.item(0).setTextContent(seal);
        PartnerClient.Receipt receipt = new PartnerClient(edge, "vn-nsw")
                .submit(PartnerDocuments.sign(cargo.document(), "vn-nsw"));
        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
        reference = cargo.reference();
        return seal;
    }

    private String unitWithSeal(String seal) {
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.byDeclarationReference(reference).isPresent());
        return queries.byDeclarationReference(reference).orElseThrow().id();
    }

    private void publish(String json) {
        TestMqtt.publish("tcp://127.0.0.1:" + mqttPort, "gate/eseals", json);
    }
}
