package vn.huunghi.hub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.net.URL;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import vn.huunghi.hub.broker.BrokerManagement;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.TestCargo;

/** Test fixture: a pre-declaration accepted at the edge and then parked by the broker. */
final class BrokerParking {

    static final String PRE_DECLARATIONS = "edge.in.CargoPreDeclaration";

    private BrokerParking() {
    }

    /**
     * Parks a pre-declaration the way the broker does after its last failed delivery (its own move
     * to the dead-letter address, which marks the original queue), without waiting out ten attempts:
     * the queue paused so that the workflow does not take it first.
     */
    static void parkPreDeclaration(String brokerUrl, URL edge, TestCargo cargo) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
                Connection connection = factory.createConnection()) {
            connection.start();
            Session management = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BrokerManagement.invoke(management, ResourceNames.QUEUE + PRE_DECLARATIONS, "pause");
            try {
                PartnerClient.Receipt receipt = new PartnerClient(edge, "vn-nsw")
                        .submit(PartnerDocuments.sign(cargo.document(), "vn-nsw"));
                assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
                assertEquals(1, ((Number) BrokerManagement.invoke(management, ResourceNames.QUEUE + PRE_DECLARATIONS,
                        "sendMessagesToDeadLetterAddress", "HubMessageId = '" + cargo.messageId() + "'")).intValue(), "parked");
            } finally {
                BrokerManagement.invoke(management, ResourceNames.QUEUE + PRE_DECLARATIONS, "resume");
            }
        }
    }
}
