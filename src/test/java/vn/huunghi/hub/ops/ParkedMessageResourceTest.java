package vn.huunghi.hub.ops;

import static org.awaitility.Awaitility.await;
import static vn.huunghi.hub.ops.OperatorCalls.as;
import static vn.huunghi.hub.ops.OperatorCalls.operator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.broker.EmbeddedBroker;
import vn.huunghi.hub.broker.ParkedMessages;
import vn.huunghi.hub.edge.TestCargo;

/**
 * A pre-declaration the broker parked after its last failed delivery is listed for operators,
 * counted, and put back on its queue with one call, and the workflow then applies it once.
 */
@QuarkusTest
class ParkedMessageResourceTest {

    @TestHTTPResource(value = "/", tls = true)
    URL hub;

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    EmbeddedBroker broker;

    @Inject
    ParkedMessages parked;

    @Inject
    DataSource dataSource;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aParkedPreDeclarationIsListedAndRetriedOnceOnItsQueueAndThenApplied() throws Exception {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        long parkedBefore = parked.count();
        BrokerParking.parkPreDeclaration(broker.tcpAcceptorUrl(), edge, cargo);
        assertEquals(parkedBefore + 1, parked.count(), "hub_parked_messages counts it");

        HttpResponse<String> partner = as("vn-nsw", get("ops/parked-messages"));
        assertEquals(403, partner.statusCode(), "a partner's certificate is not an operator's");
        // the listing operator pages share may be up to a second old
        await().atMost(Duration.ofSeconds(5)).until(() -> listed(cargo.messageId()) != null);
        JsonNode message = listed(cargo.messageId());
        assertEquals(BrokerParking.PRE_DECLARATIONS, message.get("originalQueue").asText());
        assertEquals("CargoPreDeclaration", message.get("messageType").asText());
        assertEquals("VN-NSW", message.get("sender").asText());
        long brokerMessageId = message.get("brokerMessageId").asLong();

        HttpResponse<String> retried = operator(post("ops/parked-messages/" + brokerMessageId + "/retry"));
        assertEquals(200, retried.statusCode(), retried.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> applied(cargo.messageId()));
        assertEquals(null, listed(cargo.messageId()), "no longer parked");
        assertEquals(parkedBefore, parked.count());

        HttpResponse<String> again = operator(post("ops/parked-messages/" + brokerMessageId + "/retry"));
        assertEquals(404, again.statusCode());
        assertEquals("PARKED_MESSAGE_NOT_FOUND", json.readTree(again.body()).get("code").asText());
        assertEquals(1, count("SELECT COUNT(*) FROM cargo_unit WHERE declaration_reference = '" + cargo.reference() + "'"),
                "applied once");
    }

    private JsonNode listed(String messageId) throws Exception {
        HttpResponse<String> list = operator(get("ops/parked-messages"));
        assertEquals(200, list.statusCode(), list.body());
        for (JsonNode message : json.readTree(list.body())) {
            if (messageId.equals(message.path("messageId").asText())) {
                return message;
            }
        }
        return null;
    }

    private boolean applied(String messageId) throws Exception {
        return count("SELECT COUNT(*) FROM processed_message WHERE message_id = '" + messageId + "'") == 1;
    }

    private long count(String sql) throws Exception {
        try (java.sql.Connection connection = dataSource.getConnection();
                java.sql.ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private HttpRequest.Builder get(String path) throws Exception {
        return HttpRequest.newBuilder(new URL(hub, path).toURI()).GET();
    }

    private HttpRequest.Builder post(String path) throws Exception {
        return HttpRequest.newBuilder(new URL(hub, path).toURI()).POST(HttpRequest.BodyPublishers.noBody());
    }
}
