package vn.huunghi.hub.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.DatabaseReachability;

/** The workflow holds a message only for a failure on the database while the database does not answer. */
class DatabaseNotAnsweringTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @Test
    void aFailureOnTheDatabaseWhileItDoesNotAnswerIsTriedAgainAndCounted() throws Exception {
        DatabaseNotAnswering away = new DatabaseNotAnswering(reachability("jdbc:h2:tcp://127.0.0.1:" + closedPort() + "/hub"), metrics);

        assertTrue(away.matches(failedWith(new IllegalStateException("workflow transaction failed",
                new SQLException("Acquisition timeout while waiting for new connection")))));
        assertEquals(1, metrics.find("hub.workflow.database.waits").counter().count());
    }

    @Test
    void aFailureOnTheDatabaseWhileItAnswersGoesBackToTheBroker() {
        DatabaseNotAnswering answering = new DatabaseNotAnswering(reachability("jdbc:h2:mem:answering"), metrics);

        assertFalse(answering.matches(failedWith(new SQLException("value too long", "22001"))));
        assertTrue(metrics.find("hub.workflow.database.waits").counters().isEmpty());
    }

    @Test
    void aFailureNotOnTheDatabaseGoesBackToTheBrokerEvenWhileTheDatabaseIsAway() throws Exception {
        DatabaseNotAnswering away = new DatabaseNotAnswering(reachability("jdbc:h2:tcp://127.0.0.1:" + closedPort() + "/hub"), metrics);

        assertFalse(away.matches(failedWith(new IllegalArgumentException("not a pre-declaration"))));
    }

    private static Exchange failedWith(Exception failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure); // where Camel keeps it when it asks retryWhile
        return exchange;
    }

    private DatabaseReachability reachability(String url) {
        return new DatabaseReachability(database(url), Clock.systemUTC(), metrics);
    }

    private static JdbcDataSource database(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("hub");
        return dataSource;
    }

    // a port nothing listens on: connecting is refused, as with a database server that is down
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
