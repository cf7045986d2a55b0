package vn.huunghi.hub.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/** The outbox's retry condition as a Camel predicate (retryWhile): attempts left, and not settled (delivered, dead) by another consumer. */
@ApplicationScoped
@Named("outboxStillUndelivered")
public class OutboxStillUndelivered implements Predicate {

    private final OutboxDelivery delivery;

    OutboxStillUndelivered(OutboxDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public boolean matches(Exchange exchange) {
        return delivery.stillUndelivered(exchange);
    }
}
