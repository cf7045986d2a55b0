package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.w3c.dom.Element;
import vn.huunghi.hub.catalog.HubDocuments;

/**
 * Edge step: makes the exchange the JMS message for the inbound queue: the canonical message's bytes,
 * with the header fields consumers route on, and the messageId as Artemis's duplicate-detection id
 * so that a copy re-sent between queueing and receipt is dropped by the broker (after a restart of the
 * embedded broker, which keeps the ids in memory only, the workflow recognises it by its messageId).
 * A gate event carries its lane as JMS group: one lane's events reach the workflow in the order the
 * lane saw them (a weighing never overtakes its vehicle's plate read), different lanes side by side.
 */
@ApplicationScoped
@Named("prepareQueueMessage")
public class QueueHandover {

    public static final String MESSAGE_ID = "HubMessageId";
    public static final String MESSAGE_TYPE = "HubMessageType";
    public static final String SENDER = "HubSender";
    static final String ARTEMIS_DUPLICATE_ID = "_AMQ_DUPL_ID";

    public void prepare(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        Message message = exchange.getIn();
        message.removeHeaders("*");
        message.setHeader(MESSAGE_ID, inbound.header().messageId());
        message.setHeader(MESSAGE_TYPE, inbound.header().messageType());
        message.setHeader(SENDER, inbound.header().sender());
        message.setHeader(ARTEMIS_DUPLICATE_ID, inbound.header().messageId());
        message.setBody(inbound.canonical());
        if ("GateEvent".equals(inbound.header().messageType())) {
            Element event = HubDocuments.child(HubDocuments.child(inbound.dom().getDocumentElement(), "Body"), "GateEvent");
            message.setHeader(JmsConstants.JMS_X_GROUP_ID, "lane " + HubDocuments.child(event, "Lane").getTextContent());
        }
    }
}
