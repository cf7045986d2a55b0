package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class QueueHandoverTest {

    @Test
    void aGateEventGoesToTheWorkflowInItsLanesGroup() {
        Exchange plateRead = handOver(TestMessages.entryRead("29C-123.45", "VN", "ENTRY-3"));
        Exchange weighing = handOver(TestMessages.weighed("HN-20261125-00001", "26350.000", "ENTRY-3"));
        Exchange otherLane = handOver(TestMessages.entryRead("29C-678.90", "VN", "ENTRY-4"));

        assertEquals("lane ENTRY-3", plateRead.getIn().getHeader(JmsConstants.JMS_X_GROUP_ID));
        assertEquals("lane ENTRY-3", weighing.getIn().getHeader(JmsConstants.JMS_X_GROUP_ID));
        assertEquals("lane ENTRY-4", otherLane.getIn().getHeader(JmsConstants.JMS_X_GROUP_ID));
    }

    @Test
    void otherMessagesHaveNoGroup() {
        Exchange confirmation = handOver(TestMessages.confirmation("HN-20261125-00001", "REF-1", "VN-CUSTOMS", "APPROVED"));

        assertFalse(confirmation.getIn().getHeaders().containsKey(JmsConstants.JMS_X_GROUP_ID));
        assertEquals("AgencyConfirmation", confirmation.getIn().getHeader(QueueHandover.MESSAGE_TYPE));
    }

    private static Exchange handOver(Document document) {
        InboundDocument inbound = new InboundDocument(new byte[0], Instant.now());
        inbound.dom(document, MessageHeader.of(document));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(InboundDocument.PROPERTY, inbound);
        new QueueHandover().prepare(exchange);
        return exchange;
    }
}
