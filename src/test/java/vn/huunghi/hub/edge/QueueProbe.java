package vn.huunghi.hub.edge;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.Collections;

/** Looks at a queue without consuming: how many messages carry a given messageId. */
final class QueueProbe {

    private QueueProbe() {
    }

    static int count(ConnectionFactory factory, String queue, String messageId) {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queue),
                    QueueHandover.MESSAGE_ID + " = '" + messageId + "'");
            return Collections.list(browser.getEnumeration()).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
