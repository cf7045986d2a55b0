package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.crypto.CryptoProviders;
import vn.huunghi.hub.ops.StubPartnerServer;

/**
 * A run of pre-declarations from the National Single Window, 16 in flight, with a kill -9 in the
 * middle, and what must hold once it has finished: every message has exactly one receipt verdict
 * (a resend is answered with the very first receipt), none is lost, and each outbound document
 * reaches its partner once by messageId: one status per declaration to the declarant, one view
 * per cargo unit to customs. A partner sees a messageId again only for a delivery that was on the
 * wire when the hub died (its receipt was lost with the hub), and answers it with its first
 * receipt, as partners do; those repeats are bounded by the deliveries the dead hub had in flight.
 */
final class KillUnderLoad implements AutoCloseable {

    static final int MESSAGES = Integer.getInteger("crash.messages", 10_000);

    private final StubPartnerServer partners;
    private final Map<String, Set<String>> statusesByDeclaration = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> receiptsById = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ExecutorService senders = Executors.newFixedThreadPool(16);
    private final List<Future<?>> sent = new ArrayList<>();

    KillUnderLoad(int partnersPort) throws Exception {
        // the National Single Window and the partners sign with the provider a deployment's would: with
        // the JDK's this JVM took half as much CPU again from the machine the hub under test runs on
        CryptoProviders.install(CryptoProviders.ACCP);
        partners = new StubPartnerServer(PartnerDocuments.DEV_KEYS, partnersPort);
        partners.onDelivery((party, document) -> {
            if ("VN-NSW".equals(party)) {
                statusesByDeclaration.computeIfAbsent(value(document, "CorrelationId"), id -> ConcurrentHashMap.newKeySet())
                        .add(value(document, "MessageId"));
            }
        });
    }

    /** The hub settings that send its deliveries to these partners. */
    Map<String, String> partnerSettings() {
        return partners.endpointSettings();
    }

    /**
     * Sends every message; message i goes to the edge {@code edgeFor} names at each attempt, and
     * is sent again until some edge answers, as a partner does when the hub does not answer.
     */
    void send(IntFunction<PartnerClient> edgeFor) {
        for (int i = 0; i < MESSAGES; i++) {
            int message = i;
            sent.add(senders.submit(() -> {
                TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
                byte[] signed = PartnerDocuments.sign(cargo.document(), "vn-nsw");
                String receipt = new String(PartnerClient.submitUntilAnswered(() -> edgeFor.apply(message), signed,
                        Duration.ofMinutes(5)).signedReceipt(), StandardCharsets.UTF_8);
                receiptsById.computeIfAbsent(cargo.messageId(), id -> ConcurrentHashMap.newKeySet()).add(receipt);
                accepted.incrementAndGet();
                return null;
            }));
        }
    }

    void awaitHalfAnswered() {
        await().atMost(Duration.ofMinutes(10)).until(() -> accepted.get() >= MESSAGES / 2);
    }

    /**
     * Waits for every answer and every delivery, then checks the run; {@code inFlightAtKill}
     * bounds the deliveries the killed hub may have had on the wire.
     */
    void finishAndCheck(int inFlightAtKill) throws Exception {
        for (Future<?> each : sent) {
            each.get();
        }
        assertEquals(MESSAGES, receiptsById.size());
        for (Map.Entry<String, Set<String>> receipts : receiptsById.entrySet()) {
            assertEquals(1, receipts.getValue().size(), receipts.getKey() + " got different receipts: " + receipts.getValue());
            assertTrue(receipts.getValue().iterator().next().contains("<Verdict>ACCEPTED</Verdict>"), receipts.toString());
        }
        await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5))
                .until(() -> statusesByDeclaration.size() >= MESSAGES && partners.received("VN-CUSTOMS").size() >= MESSAGES);
        Thread.sleep(5_000); // a doubled delivery would arrive now
        assertEquals(receiptsById.keySet(), statusesByDeclaration.keySet(), "one declarant status per declaration");
        // all of them, not the first: how many were doubled says how much of the database the kill took
        List<String> declaredTwice = statusesByDeclaration.entrySet().stream().filter(statuses -> statuses.getValue().size() > 1)
                .map(statuses -> statuses.getKey() + " " + statuses.getValue()).toList();
        assertTrue(declaredTwice.isEmpty(), declaredTwice.size() + " declarations were declared twice: " + declaredTwice);
        assertEquals(MESSAGES, partners.received("VN-CUSTOMS").size(), "one agency view per cargo unit to customs");
        assertTrue(partners.repeats() <= inFlightAtKill, partners.repeats() + " deliveries were sent again, more than the "
                + inFlightAtKill + " the killed hub can have had in flight");
        assertTrue(partners.problems().isEmpty(), partners.problems().toString());
    }

    /**
     * What the database itself says about the transactions the kill interrupted: each pre-declaration
     * applied once, in one transaction (its processed-message row with its outcome, its cargo unit),
     * none half there. A half-applied one shows here even where the partners saw nothing wrong.
     */
    static void checkEveryWorkflowTransactionWholeOrAbsent(String jdbcUrl) throws SQLException {
        try (Connection database = DriverManager.getConnection(jdbcUrl, "hub", "");
                Statement query = database.createStatement()) {
            assertEquals(0, count(query, "SELECT COUNT(*) FROM processed_message WHERE outcome = 'IN_PROGRESS'"),
                    "messages claimed by a workflow transaction that never finished");
            assertEquals(0, count(query, "SELECT COUNT(*) FROM cargo_unit u WHERE NOT EXISTS"
                    + " (SELECT 1 FROM processed_message p WHERE p.message_id = u.pre_declaration_message_id)"),
                    "cargo units whose pre-declaration is not recorded as processed");
            assertEquals(MESSAGES, count(query, "SELECT COUNT(*) FROM cargo_unit"));
            assertEquals(MESSAGES, count(query, "SELECT COUNT(*) FROM processed_message WHERE outcome = 'APPLIED'"));
        }
    }

    private static long count(Statement query, String sql) throws SQLException {
        try (ResultSet row = query.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
        partners.close();
    }

    private static String value(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }
}
