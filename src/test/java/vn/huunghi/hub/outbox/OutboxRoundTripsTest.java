package vn.huunghi.hub.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import vn.huunghi.hub.Transactions;
import vn.huunghi.hub.Write;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.AuditLog;
import vn.huunghi.hub.edge.StubPartners;

/**
 * What the workflow's and the deliveries' writes cost in round trips to PostgreSQL: an outbound
 * message's four rows, its settling, an audit entry with its document, each one statement there
 * (docs/performance.md, session 34); a transaction's outbound messages held and written with its
 * last writes, one round trip (session 35); and on either database every row where it belongs.
 */
@QuarkusTest
@QuarkusTestResource(StubPartners.class)
class OutboxRoundTripsTest {

    @Inject
    DataSource dataSource;

    @Inject
    Outbox outbox;

    @Inject
    AuditLog auditLog;

    @Test
    void anOutboundMessageItsSettlingAndAnAuditEntryAreOneStatementEachOnPostgreSql() throws Exception {
        String cargoUnit = "RT-" + ThreadLocalRandom.current().nextInt(1_000_000);
        Element body = HubDocuments.newMessage("StatusNotification", "VN-NSW", null, Instant.now());
        byte[] document = XmlSigner.serialize(body.getOwnerDocument());
        String messageId = HubDocuments.messageId(document);
        inRolledBackTransaction((connection, counted, statements, postgreSql) -> {
            outbox.add(counted, "VN-NSW", "StatusNotification", cargoUnit, document);
            assertStatements(postgreSql, 1, statements, "an outbound message");
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_document WHERE message_id = ?", messageId));
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_unsettled WHERE message_id = ? AND party = 'VN-NSW'", messageId));
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_unrelayed u JOIN outbox_message m ON m.seq = u.seq"
                    + " WHERE m.message_id = ? AND u.cargo_unit_id = '" + cargoUnit + "'", messageId));

            statements.set(0);
            Write.together(counted, Outbox.settlement(postgreSql, messageId, Instant.now()));
            assertStatements(postgreSql, 1, statements, "settling it");
            assertEquals(0, count(connection, "SELECT COUNT(*) FROM outbox_unsettled WHERE message_id = ?", messageId));
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_message WHERE message_id = ? AND settled_at IS NOT NULL", messageId));

            statements.set(0);
            byte[] archived = ("<archived>" + cargoUnit + "</archived>").getBytes(StandardCharsets.UTF_8);
            String sha256 = java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(archived));
            auditLog.append(counted, AuditLog.Direction.OUT, messageId, "VN-NSW", "StatusNotification", Instant.now(), archived, sha256);
            assertStatements(postgreSql, 1, statements, "an audit entry with its document");
            // the same document archived again is kept once, its entries twice
            auditLog.append(counted, AuditLog.Direction.OUT, messageId, "VN-NSW", "StatusNotification", Instant.now(), archived, sha256);
            assertEquals(2, count(connection, "SELECT COUNT(*) FROM audit_pending WHERE message_id = ?", messageId));
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM audit_document WHERE document_sha256 = ?", sha256));
        });
    }

    @Test
    void aTransactionsOutboundMessagesAreHeldAndWrittenWithItsLastWritesInOneRoundTripOnPostgreSql() throws Exception {
        String cargoUnit = "RT-" + ThreadLocalRandom.current().nextInt(1_000_000);
        List<String> parties = List.of("VN-CUSTOMS", "VN-BORDER-GUARD", "VN-NSW");
        List<String> messageIds = new ArrayList<>();
        inRolledBackTransaction((connection, counted, statements, postgreSql) -> {
            outbox.holdAdds(counted);
            for (String party : parties) {
                byte[] document = statusFor(party);
                messageIds.add(HubDocuments.messageId(document));
                outbox.add(counted, party, "StatusNotification", cargoUnit, document);
            }
            assertEquals(0, statements.get(), "held adds are not written yet");
            assertEquals(0, count(connection, "SELECT COUNT(*) FROM outbox_message WHERE cargo_unit_id = ?", cargoUnit));

            List<Write> last = new ArrayList<>(outbox.takeHeldWrites());
            last.add(new Write("UPDATE outbox_message SET created_at = created_at WHERE cargo_unit_id = ?", cargoUnit));
            Write.together(counted, last);
            assertStatements(postgreSql, 1, statements, "three outbound messages and one more write");
            assertEquals(Set.of(cargoUnit), outbox.takeAdded());
            // written in the order added, each with its document and its places in both queues
            assertEquals(messageIds, strings(connection, "SELECT message_id FROM outbox_message WHERE cargo_unit_id = ?"
                    + " ORDER BY seq", cargoUnit));
            assertEquals(3, count(connection, "SELECT COUNT(*) FROM outbox_document d JOIN outbox_message m"
                    + " ON m.message_id = d.message_id WHERE m.cargo_unit_id = ?", cargoUnit));
            assertEquals(3, count(connection, "SELECT COUNT(*) FROM outbox_unsettled s JOIN outbox_message m"
                    + " ON m.message_id = s.message_id AND m.party = s.party WHERE m.cargo_unit_id = ?", cargoUnit));
            assertEquals(3, count(connection, "SELECT COUNT(*) FROM outbox_unrelayed WHERE cargo_unit_id = ?", cargoUnit));

            statements.set(0);
            outbox.add(counted, "VN-NSW", "StatusNotification", cargoUnit, statusFor("VN-NSW"));
            assertStatements(postgreSql, 1, statements, "an add once the hold has ended, written at once");
            assertEquals(4, count(connection, "SELECT COUNT(*) FROM outbox_unrelayed WHERE cargo_unit_id = ?", cargoUnit));
        });
    }

    @Test
    void theRelaysMarksOfABatchAreOneRoundTripOnPostgreSql() throws Exception {
        String cargoUnit = "RT-" + ThreadLocalRandom.current().nextInt(1_000_000);
        inRolledBackTransaction((connection, counted, statements, postgreSql) -> {
            for (int m = 0; m < 3; m++) {
                outbox.add(connection, "VN-NSW", "StatusNotification", cargoUnit, statusFor("VN-NSW"));
            }
            List<Outbox.Pending> batch = new ArrayList<>();
            for (String seq : strings(connection, "SELECT CAST(seq AS VARCHAR(20)) FROM outbox_message WHERE cargo_unit_id = ?",
                    cargoUnit)) {
                batch.add(new Outbox.Pending(Long.parseLong(seq), null, "VN-NSW", "StatusNotification", cargoUnit, null));
            }
            assertEquals(3, batch.size());

            outbox.markRelayed(counted, batch);
            assertStatements(postgreSql, 1, statements, "a batch of three marked relayed");
            assertEquals(3, count(connection, "SELECT COUNT(*) FROM outbox_message WHERE cargo_unit_id = ?"
                    + " AND relayed_at IS NOT NULL", cargoUnit));
            assertEquals(0, count(connection, "SELECT COUNT(*) FROM outbox_unrelayed WHERE cargo_unit_id = ?", cargoUnit));
        });
    }

    /**
     * The driver's single execution is one round trip: the database's server process, which blocks
     * reading its socket once per round trip, is woken about once per transaction's last writes
     * (five outbound messages and one more), not once per message.
     */
    @Test
    void aTransactionsHeldWritesWakeThePostgreSqlServerProcessOnce() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assumeTrue(Transactions.onPostgreSql(connection), "PostgreSQL's server process, on this machine in the tests");
            connection.setAutoCommit(false);
            try {
                int serverProcess;
                try (PreparedStatement select = connection.prepareStatement("SELECT pg_backend_pid()");
                        ResultSet row = select.executeQuery()) {
                    assertTrue(row.next());
                    serverProcess = row.getInt(1);
                }
                int transactions = 20;
                long before = voluntarySwitches(serverProcess);
                for (int t = 0; t < transactions; t++) {
                    String cargoUnit = "RT-" + ThreadLocalRandom.current().nextInt(1_000_000);
                    outbox.holdAdds(connection);
                    for (int m = 0; m < 5; m++) {
                        outbox.add(connection, "VN-NSW", "StatusNotification", cargoUnit, statusFor("VN-NSW"));
                    }
                    List<Write> last = new ArrayList<>(outbox.takeHeldWrites());
                    last.add(new Write("UPDATE outbox_message SET created_at = created_at WHERE cargo_unit_id = ?", cargoUnit));
                    Write.together(connection, last);
                    outbox.takeAdded();
                }
                long woken = voluntarySwitches(serverProcess) - before;
                // one message at a time would wake it at least 5 times per transaction (measured: 244 for 250)
                assertTrue(woken < 2L * transactions, "server process woken " + woken + " times for " + transactions
                        + " transactions' writes");
            } finally {
                outbox.takeAdded();
                connection.rollback();
            }
        }
    }

    private static long voluntarySwitches(int pid) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no voluntary_ctxt_switches for process " + pid);
    }

    @Test
    void aStatementOfSeveralStopsAtItsFirstFailureWithThatFailuresCode() throws Exception {
        String messageId = "RT-" + ThreadLocalRandom.current().nextInt(1_000_000);
        Write delivery = new Write("INSERT INTO outbound_delivery (message_id, party, message_type, delivered_at, receipt)"
                + " VALUES (?, ?, ?, ?, ?)", messageId, "VN-NSW", "StatusNotification", Timestamp.from(Instant.now()),
                new byte[] {1});
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                boolean postgreSql = Transactions.onPostgreSql(connection);
                Write.together(connection, List.of(delivery));
                List<Write> again = new ArrayList<>(List.of(delivery));
                again.addAll(AuditLog.entry(postgreSql, AuditLog.Direction.OUT, messageId, "VN-NSW", "StatusNotification",
                        Instant.now(), new byte[] {2}, messageId));
                Savepoint before = connection.setSavepoint();
                SQLException twice = assertThrows(SQLException.class, () -> Write.together(connection, again));
                assertEquals("23505", twice.getSQLState(), "a receipt kept twice is told apart by its code (OutboxDelivery)");
                connection.rollback(before);
                assertEquals(0, count(connection, "SELECT COUNT(*) FROM audit_pending WHERE message_id = ?", messageId),
                        "nothing after the failed part is written");
                assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbound_delivery WHERE message_id = ?", messageId));
            } finally {
                connection.rollback();
            }
        }
    }

    private static byte[] statusFor(String party) {
        return XmlSigner.serialize(HubDocuments.newMessage("StatusNotification", party, null, Instant.now()).getOwnerDocument());
    }

    private static List<String> strings(Connection connection, String sql, String parameter) throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
        }
        return found;
    }

    /** Work on a connection whose statements are counted (counted), in a transaction rolled back after it. */
    @FunctionalInterface
    private interface CountedWork {
        void run(Connection connection, Connection counted, AtomicInteger statements, boolean postgreSql) throws Exception;
    }

    private void inRolledBackTransaction(CountedWork work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                AtomicInteger statements = new AtomicInteger();
                work.run(connection, counting(connection, statements), statements, Transactions.onPostgreSql(connection));
            } finally {
                outbox.takeAdded();
                connection.rollback(); // nothing of the test stays in the hub's tables
            }
        }
    }

    private static void assertStatements(boolean postgreSql, int onPostgreSql, AtomicInteger statements, String what) {
        if (postgreSql) {
            assertEquals(onPostgreSql, statements.get(), what + ": statements sent to PostgreSQL");
        }
    }

    private static long count(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                return row.getLong(1);
            }
        }
    }

    // counts the statements the connection executes: each execution is one round trip to PostgreSQL,
    // whose driver sends the parts of a statement of several at once (Write.together)
    private static Connection counting(Connection connection, AtomicInteger statements) {
        return (Connection) Proxy.newProxyInstance(OutboxRoundTripsTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object answer = invoke(connection, method, args);
                    if (method.getName().equals("prepareStatement")) {
                        PreparedStatement statement = (PreparedStatement) answer;
                        return Proxy.newProxyInstance(OutboxRoundTripsTest.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                                    if (m.getName().startsWith("execute")) {
                                        statements.incrementAndGet();
                                    }
                                    return invoke(statement, m, a);
                                });
                    }
                    if (method.getName().equals("createStatement")) {
                        throw new AssertionError("a plain statement: count its executions too");
                    }
                    return answer;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
