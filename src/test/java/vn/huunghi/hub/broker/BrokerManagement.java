package vn.huunghi.hub.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/** Test helper: the broker's management address, as an administrator's tool would use it. */
public final class BrokerManagement {

    private BrokerManagement() {
    }

    public static Object invoke(Session session, String resource, String operation, Object... arguments) throws Exception {
        Message request = session.createMessage();
        JMSManagementHelper.putOperationInvocation(request, resource, operation, arguments);
        return answer(session, request, operation);
    }

    public static Object attribute(Session session, String resource, String attribute) throws Exception {
        Message request = session.createMessage();
        JMSManagementHelper.putAttribute(request, resource, attribute);
        return answer(session, request, attribute);
    }

    private static Object answer(Session session, Message request, String asked) throws Exception {
        Message answer = new QueueRequestor((QueueSession) session, (Queue) session.createQueue("activemq.management")).request(request);
        assertTrue(JMSManagementHelper.hasOperationSucceeded(answer), asked + ": " + JMSManagementHelper.getResult(answer));
        return JMSManagementHelper.getResult(answer);
    }
}
