package vn.huunghi.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The edge's knowledge of the database: away from a probe that finds it so until one that finds it back. */
class DatabaseReachabilityTest {

    private static final int POOL_SIZE = 4;

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

    @Test
    void aDatabaseRestartedUnderThePoolAnswersAtOnceAndThePoolHandsOutNoDeadConnectionAfterwards() throws Exception {
        int port = freePort();
        Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        // as the hub's pool (application.properties), a connection in steady use is handed out unchecked
        try (AgroalDataSource pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(settings -> settings.maxSize(POOL_SIZE)
                        .idleValidationTimeout(Duration.ofMinutes(1))
                        .connectionValidator(ConnectionValidator.defaultValidatorWithTimeout(2))
                        .connectionFactoryConfiguration(factory -> factory
                                .jdbcUrl("jdbc:h2:tcp://127.0.0.1:" + port + "/mem:restarted;DB_CLOSE_DELAY=-1")
                                .principal(new NamePrincipal("sa")))))) {
            DatabaseReachability restarted = new DatabaseReachability(pool, Clock.systemUTC(), metrics);
            try {
                assertEquals(POOL_SIZE, selectOneOnEveryConnection(pool), "the pool holds its connections");

                server.stop(); // the restart: every pooled connection is cut
                server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
                assertFalse(selectsOne(pool), "the pool still hands out a dead connection in steady use");

                assertTrue(restarted.answers(), "the database answers again: a dead connection is no outage");
                assertFalse(restarted.away());
                assertEquals(POOL_SIZE, selectOneOnEveryConnection(pool), "no dead connection is left in the pool");
            } finally {
                restarted.stop();
            }
        } finally {
            server.stop();
        }
    }

    private static boolean selectsOne(AgroalDataSource pool) {
        try (Connection connection = pool.getConnection(); Statement select = connection.createStatement()) {
            return select.execute("SELECT 1");
        } catch (SQLException dead) {
            return false;
        }
    }

    // holds every connection the pool has at once, so that each is used
    private static int selectOneOnEveryConnection(AgroalDataSource pool) throws SQLException {
        List<Connection> held = new ArrayList<>();
        int answered = 0;
        try {
            for (int i = 0; i < POOL_SIZE; i++) {
                Connection connection = pool.getConnection();
                held.add(connection);
                try (Statement select = connection.createStatement()) {
                    answered += select.execute("SELECT 1") ? 1 : 0;
                } catch (SQLException dead) {
                    // counted as not answering
                }
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        return answered;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // a port nothing listens on: connecting is refused, as with a database server that is down
    private static String downServer() throws IOException {
        return "jdbc:h2:tcp://127.0.0.1:" + freePort() + "/hub";
    }
}
