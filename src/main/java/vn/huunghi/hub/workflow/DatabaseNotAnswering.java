package vn.huunghi.hub.workflow;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.jboss.logging.Logger;
import vn.huunghi.hub.DatabaseReachability;
import vn.huunghi.hub.Transactions;
import vn.huunghi.hub.edge.QueueHandover;

/**
 * The workflow's retry condition as a Camel predicate (retryWhile): the step failed on the
 * database and the database does not answer now. While that holds, the consumer keeps the message
 * and tries again, so that an outage does not use up the broker's delivery attempts and park
 * accepted messages in its DLQ (docs/deployment.md). Any other failure goes back to the broker.
 */
@ApplicationScoped
@Named("databaseNotAnswering")
public class DatabaseNotAnswering implements Predicate {

    private static final Logger LOG = Logger.getLogger(DatabaseNotAnswering.class);

    private final DatabaseReachability database;
    private final MeterRegistry metrics;

    DatabaseNotAnswering(DatabaseReachability database, MeterRegistry metrics) {
        this.database = database;
        this.metrics = metrics;
    }

    @Override
    public boolean matches(Exchange exchange) {
        // Camel has moved the failure from the exchange to EXCEPTION_CAUGHT when it asks this
        SQLException failure = Transactions.sqlCause(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        // a database found away here is away for the edge too (DatabaseReachability)
        if (failure == null || database.answers()) {
            return false;
        }
        metrics.counter("hub.workflow.database.waits", "route", String.valueOf(exchange.getFromRouteId())).increment();
        if (exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) <= 1) {
            LOG.warnf("messageId=%s held: the database does not answer (%s); tried again until it does",
                    exchange.getIn().getHeader(QueueHandover.MESSAGE_ID), failure.getMessage());
        }
        return true;
    }
}
