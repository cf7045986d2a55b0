package vn.huunghi.hub.equipment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.broker.BrokerManagement;
import vn.huunghi.hub.broker.EmbeddedBroker;

/**
 * An instance that stands down as the barriers' leader (Camel master stops its consumer) leaves
 * no barrier command behind: one queued after it stood down reaches whoever consumes next, here
 * the test in the place of the next leader, and not a consumer the stopped route kept open.
 */
@QuarkusTest
class LeadershipHandoverTest {

    private static final String BARRIER_COMMANDS = "outbox.GATE-BARRIERS";

    @Inject
    CamelContext camel;

    @Inject
    EmbeddedBroker broker;

    @Test
    void aBarrierCommandQueuedAfterTheLeaderStoodDownReachesTheNextLeader() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.tcpAcceptorUrl());
                Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            // this instance leads: its consumers are on the queue
            await().atMost(Duration.ofSeconds(30)).until(() -> consumers(session) > 0);
            camel.getRouteController().stopRoute("equipment-barriers"); // what losing the gate-barriers lease does
            // closed, not kept open by the connection factory with what the broker already sent them
            await().atMost(Duration.ofSeconds(10)).until(() -> consumers(session) == 0);
            MessageProducer producer = session.createProducer(session.createQueue(BARRIER_COMMANDS));
            Message command = session.createTextMessage("a barrier command");
            command.setStringProperty("LeadershipHandoverTest", marker);
            producer.send(command);

            try (MessageConsumer nextLeader = session.createConsumer(session.createQueue(BARRIER_COMMANDS),
                    "LeadershipHandoverTest = '" + marker + "'")) {
                Message received = nextLeader.receive(5_000);
                assertNotNull(received, "the command went to a consumer the stopped route kept open");
                assertEquals(marker, received.getStringProperty("LeadershipHandoverTest"));
                received.acknowledge();
            }
        } finally {
            camel.getRouteController().startRoute("equipment-barriers");
        }
    }

    private static int consumers(Session session) throws Exception {
        // the queue exists from its first consumer on
        if (!java.util.Arrays.asList((Object[]) BrokerManagement.attribute(session, ResourceNames.BROKER, "queueNames"))
                .contains(BARRIER_COMMANDS)) {
            return 0;
        }
        return ((Number) BrokerManagement.attribute(session, ResourceNames.QUEUE + BARRIER_COMMANDS, "consumerCount")).intValue();
    }
}
