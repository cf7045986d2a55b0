package vn.huunghi.hub.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.StubPartners;

/**
 * Two hub instances on one database each relay the outbox rows they wrote, take along every
 * earlier row of the same cargo unit (so its messages reach the partner queue in order), and
 * adopt another instance's rows only once those have waited longer than the adoption delay.
 */
@QuarkusTest
@QuarkusTestResource(StubPartners.class)
class OutboxRelayOwnRowsTest {

    private static final Duration ADOPT_AFTER = Duration.ofSeconds(5);
    private static final Duration LEFT_TO_COMMIT_RELAY = Duration.ofMillis(500);
    // a day ahead of the running hub's clock, so that its own relay never adopts these rows; whole
    // milliseconds, because the database rounds a timestamp to microseconds and the test compares
    // at exactly a relay period after a row was written
    private static final Instant T0 = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS);

    @Inject
    DataSource dataSource;

    @Inject
    ProducerTemplate camel;

    private final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1_000_000));
    private final List<String> written = new ArrayList<>();

    @AfterEach
    void removeTheTestRows() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox_message WHERE message_id = ?")) {
            for (String messageId : written) {
                delete.setString(1, messageId);
                delete.executeUpdate();
            }
        }
    }

    @Test
    void eachInstanceRelaysItsOwnRowsWithItsCargoUnitsEarlierRowsAndAdoptsOthersOnlyWhenTheyWaitedTooLong()
            throws Exception {
        String x = "XU-" + suffix;
        String y = "YU-" + suffix;
        String x1 = add("hub-a", T0, x);
        String y1 = add("hub-a", T0, y);

        assertEquals(List.of(), pending("hub-a", T0.plus(LEFT_TO_COMMIT_RELAY).minusMillis(1)),
                "its own rows are left to the thread that committed them for a relay period");
        Instant second = T0.plusSeconds(1);
        assertEquals(List.of(x1, y1), pending("hub-a", second), "an instance relays its own rows");
        assertEquals(List.of(), pending("hub-b", second), "another instance leaves them to it");

        String x2 = add("hub-b", second, x);
        assertEquals(List.of(x1, x2), pending("hub-b", second.plus(LEFT_TO_COMMIT_RELAY)),
                "with its own row of cargo unit X it takes X's earlier row first, and not Y's");

        Instant late = T0.plus(ADOPT_AFTER).plusSeconds(1);
        assertEquals(List.of(x1, y1, x2), pending("hub-b", late), "rows left for longer than the delay are adopted");
    }

    @Test
    void onPostgreSqlTheRelayedMarkAloneCommitsWithoutWaitingForTheDisk() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assumeTrue(vn.huunghi.hub.Transactions.onPostgreSql(connection),
                    "synchronous_commit is PostgreSQL's; H2 has no such wait to leave out");
        }
        List<String> settingAtCommitThenAfter = new CopyOnWriteArrayList<>();
        DataSource watched = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (source, method, args) -> {
                    Object result = invoke(method, dataSource, args);
                    return method.getName().equals("getConnection") ? watchingCommits((Connection) result, settingAtCommitThenAfter) : result;
                });
        String x = "XU-" + suffix;
        add("hub-a", T0, x);
        Outbox outbox = new Outbox(watched, Clock.fixed(T0, ZoneOffset.UTC), camel, "hub-a-" + suffix, 100, ADOPT_AFTER, Duration.ZERO);

        outbox.markRelayed(outbox.pending().stream().filter(p -> written.contains(p.messageId())).toList());

        assertEquals(List.of("off", "on"), settingAtCommitThenAfter,
                "off for the mark's own transaction only; the connection goes back to the pool waiting again");
        assertEquals(List.of(), pending("hub-a", T0.plusSeconds(1)), "the rows are marked relayed");
    }

    /**
     * The connection, set to wait for the disk at every commit as a production database does (the
     * tests' embedded PostgreSQL does not, to run faster), recording its synchronous_commit setting as
     * each commit begins and once it is done; the setting is reset when it goes back to the pool.
     */
    private static Connection watchingCommits(Connection connection, List<String> settings) throws SQLException {
        try (java.sql.Statement production = connection.createStatement()) {
            production.execute("SET synchronous_commit = on");
        }
        return (Connection) Proxy.newProxyInstance(OutboxRelayOwnRowsTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        try (java.sql.Statement reset = connection.createStatement()) {
                            reset.execute("RESET synchronous_commit");
                        }
                    }
                    boolean commit = method.getName().equals("commit");
                    if (commit) {
                        settings.add(synchronousCommit(connection));
                    }
                    Object result = invoke(method, connection, args);
                    if (commit) {
                        settings.add(synchronousCommit(connection));
                    }
                    return result;
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String synchronousCommit(Connection connection) throws SQLException {
        try (java.sql.Statement show = connection.createStatement();
                java.sql.ResultSet row = show.executeQuery("SHOW synchronous_commit")) {
            row.next();
            return row.getString(1);
        }
    }

    private Outbox outboxOf(String instance, Instant now) {
        return new Outbox(dataSource, Clock.fixed(now, ZoneOffset.UTC), camel, instance + "-" + suffix, 100, ADOPT_AFTER, LEFT_TO_COMMIT_RELAY);
    }

    private String add(String instance, Instant now, String cargoUnitId) throws SQLException {
        Element body = HubDocuments.newMessage("StatusNotification", "VN-NSW", null, now);
        String messageId = HubDocuments.child(HubDocuments.child(body.getOwnerDocument().getDocumentElement(), "Header"),
                "MessageId").getTextContent();
        written.add(messageId);
        try (Connection connection = dataSource.getConnection()) {
            outboxOf(instance, now).add(connection, "VN-NSW", "StatusNotification", cargoUnitId,
                    XmlSigner.serialize(body.getOwnerDocument()));
        }
        return messageId;
    }

    /** The test's rows among those the instance would relay now, in the order it would relay them. */
    private List<String> pending(String instance, Instant now) throws SQLException {
        Set<String> ours = Set.copyOf(written);
        return outboxOf(instance, now).pending().stream().map(Outbox.Pending::messageId).filter(ours::contains).toList();
    }
}
