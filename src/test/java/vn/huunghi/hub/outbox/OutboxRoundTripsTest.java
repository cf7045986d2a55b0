package vn.huunghi.hub.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import vn.huunghi.hub.Transactions;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.AuditLog;
import vn.huunghi.hub.edge.StubPartners;

/**
 * What the workflow's and the deliveries' writes cost in round trips to PostgreSQL: an outbound
 * message's four rows, its settling, an audit entry with its document, each one statement there
 * (docs/performance.md, session 34), and on either database every row where it belongs.
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
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                boolean postgreSql = Transactions.onPostgreSql(connection);
                AtomicInteger statements = new AtomicInteger();
                Connection counted = counting(connection, statements);

                outbox.add(counted, "VN-NSW", "StatusNotification", cargoUnit, document);
                assertStatements(postgreSql, 1, statements, "an outbound message");
                assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_document WHERE message_id = ?", messageId));
                assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_unsettled WHERE message_id = ? AND party = 'VN-NSW'", messageId));
                assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_unrelayed u JOIN outbox_message m ON m.seq = u.seq"
                        + " WHERE m.message_id = ? AND u.cargo_unit_id = '" + cargoUnit + "'", messageId));

                statements.set(0);
                Outbox.settle(counted, messageId, Instant.now());
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
            } finally {
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

    // counts the statements prepared on the connection: each of the methods under test runs each once
    private static Connection counting(Connection connection, AtomicInteger statements) {
        return (Connection) Proxy.newProxyInstance(OutboxRoundTripsTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") || method.getName().equals("createStatement")) {
                        statements.incrementAndGet();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
