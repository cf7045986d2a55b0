package vn.huunghi.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The edge's knowledge of the database: away from a probe that finds it so until one that finds it back. */
class DatabaseReachabilityTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final JdbcDataSource database = new JdbcDataSource();
    private final DatabaseReachability reachability = new DatabaseReachability(database, Clock.systemUTC(), metrics);

    @AfterEach
    void stopProbing() {
        reachability.stop();
    }

    @Test
    void aFailureOnTheDatabaseWhileItDoesNotAnswerMakesItAwayUntilItAnswersAgain() throws Exception {
        database.setURL(downServer());
        assertFalse(reachability.away(), "nothing is known before a failure");
        assertEquals(0, metrics.get("hub.database.away").gauge().value());

        reachability.failed(new IllegalStateException("workflow transaction failed",
                new SQLException("Acquisition timeout while waiting for new connection")));
        await().atMost(Duration.ofSeconds(10)).until(reachability::away);
        assertEquals(1, metrics.get("hub.database.away").gauge().value());

        database.setURL("jdbc:h2:mem:back"); // the server is up again
        await().atMost(Duration.ofSeconds(10)).until(() -> !reachability.away());
        assertEquals(0, metrics.get("hub.database.away").gauge().value());
    }

    @Test
    void aProbeFindsTheDatabaseAwayOnlyWhenItDoesNotAnswer() throws Exception {
        database.setURL("jdbc:h2:mem:answering");
        reachability.probe();
        assertFalse(reachability.away(), "a failure such as a constraint violation leaves the database reachable");

        database.setURL(downServer());
        reachability.probe();
        assertTrue(reachability.away());
        assertFalse(reachability.answers());
    }

    @Test
    void aDatabaseFoundAwayByAnyoneIsAwayForTheEdgeUntilTheProbeFindsItBack() throws Exception {
        database.setURL(downServer());
        assertFalse(reachability.answers()); // as the workflow asks before holding a message
        assertTrue(reachability.away(), "known to the edge without a probe of its own");

        database.setURL("jdbc:h2:mem:back-again");
        await().atMost(Duration.ofSeconds(10)).until(() -> !reachability.away());
    }

    // a port nothing listens on: connecting is refused, as with a database server that is down
    private static String downServer() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "jdbc:h2:tcp://127.0.0.1:" + socket.getLocalPort() + "/hub";
        }
    }
}
