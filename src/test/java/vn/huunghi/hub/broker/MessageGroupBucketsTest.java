package vn.huunghi.hub.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's address settings keep a queue's memory of message groups bounded while each group keeps one consumer. */
class MessageGroupBucketsTest {

    private static final SimpleString QUEUE = SimpleString.of("outbox.VN-NSW");

    @Test
    void aQueueRemembersAtMostItsBucketsNotEveryCargoUnitItHasSeen(@TempDir Path dir) throws Exception {
        Configuration configuration = new ConfigurationImpl().setPersistenceEnabled(false).setSecurityEnabled(false)
                .setJMXManagementEnabled(false).setJournalDirectory(dir.toString());
        configuration.addAcceptorConfiguration("in-vm", "vm://7");
        configuration.addAddressSetting("#", EmbeddedBroker.hubAddressSettings());
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        try (ServerLocator locator = ActiveMQClient.createServerLocator("vm://7");
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession()) {
            session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST));
            ClientConsumer first = session.createConsumer(QUEUE);
            ClientConsumer second = session.createConsumer(QUEUE);
            session.start();
            ClientProducer producer = session.createProducer(QUEUE);
            int cargoUnits = 2 * EmbeddedBroker.GROUP_BUCKETS;
            for (int round = 0; round < 2; round++) {
                for (int unit = 0; unit < cargoUnits; unit++) {
                    ClientMessage message = session.createMessage(false);
                    message.putStringProperty(Message.HDR_GROUP_ID, SimpleString.of("CU-20261126-" + unit));
                    producer.send(message);
                }
            }
            Map<String, ClientConsumer> consumerOfGroup = new HashMap<>();
            for (ClientConsumer consumer : new ClientConsumer[] {first, second}) {
                ClientMessage message;
                while ((message = consumer.receive(200)) != null) {
                    message.acknowledge();
                    String group = message.getStringProperty(Message.HDR_GROUP_ID);
                    ClientConsumer earlier = consumerOfGroup.putIfAbsent(group, consumer);
                    assertTrue(earlier == null || earlier == consumer, group + " went to two consumers");
                }
            }
            assertEquals(cargoUnits, consumerOfGroup.size());
            assertTrue(consumerOfGroup.containsValue(first) && consumerOfGroup.containsValue(second),
                    "the groups are spread over both consumers");
            Queue queue = broker.getActiveMQServer().locateQueue(QUEUE);
            assertNotNull(queue);
            assertTrue(queue.getGroupCount() <= EmbeddedBroker.GROUP_BUCKETS,
                    queue.getGroupCount() + " groups remembered for " + cargoUnits + " cargo units");
        } finally {
            broker.stop();
        }
    }
}
