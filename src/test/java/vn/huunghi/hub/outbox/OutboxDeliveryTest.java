package vn.huunghi.hub.outbox;

import static org.awaitility.Awaitility.await;
import static vn.huunghi.hub.ops.OperatorCalls.as;
import static vn.huunghi.hub.ops.OperatorCalls.operator;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.component.jms.JmsEndpoint;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.StubPartners;
import vn.huunghi.hub.edge.TestCargo;

@QuarkusTest
@QuarkusTestResource(StubPartners.class)
class OutboxDeliveryTest {

    @TestHTTPResource(value = "/", tls = true)
    URL hub;

    @Inject
    Outbox outbox;

    @Inject
    DataSource dataSource;

    @Inject
    DeadLetters deadLetters;

    @Inject
    vn.huunghi.hub.HubConfig config;

    @Inject
    OutboxRelay relay;

    @Inject
    org.apache.camel.CamelContext camel;

    @Inject
    MeterRegistry metrics;

    @Test
    void aBatchRelayedAgainAfterACrashBeforeItWasMarkedIsRelayedAndEachMessageDeliveredOnce() throws Exception {
        String party = "VN-PORT-OPERATOR";
        int repeatsBefore = StubPartners.repeats();
        List<String> sent = new ArrayList<>();
        stopTheRelayRoute();
        try {
            String unit = cargoUnitId();
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                for (int i = 0; i < 3; i++) {
                    sent.add(add(connection, party, unit, "state " + i));
                }
                connection.commit();
            }
            // the crash: the first two reached the queue, the hub died before marking them relayed
            List<Outbox.Pending> crashed = outbox.unrelayedOf(List.of(unit)).subList(0, 2);
            assertEquals(2, crashed.size());
            relay.sendToPartnerQueues(crashed);
        } finally {
            startTheRelayRoute();
        }
        // the restarted relay sends all three again in one batch; the broker refuses the repeats
        await().atMost(Duration.ofSeconds(15)).until(() -> outbox.pending().stream().noneMatch(p -> sent.contains(p.messageId())));
        assertDeliveredOnceInOrder(party, sent, repeatsBefore);
    }

    @Test
    void aWorkflowTransactionsMessagesAreRelayedAsItCommitsWithoutWaitingForTheRelayRoute() throws Exception {
        stopTheRelayRoute();
        try {
            TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
            int quarantineBefore = StubPartners.received("VN-PLANT-QUARANTINE").size();
            PartnerClient.Receipt accepted = new PartnerClient(new URL(hub, "soap/edge"), "vn-nsw")
                    .submit(PartnerDocuments.sign(cargo.document(), "vn-nsw"));
            assertEquals("ACCEPTED", accepted.verdict());
            // the agency view reaches its partner with the relay route stopped: relayed by the workflow's own thread
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> StubPartners.received("VN-PLANT-QUARANTINE").size() > quarantineBefore);
        } finally {
            startTheRelayRoute();
        }
    }

    @Test
    void aRowTheRouteSentButDidNotMarkIsDroppedByTheBrokerWhenTheCommitRelaySendsItAgain() throws Exception {
        String party = "VN-PORT-OPERATOR";
        int repeatsBefore = StubPartners.repeats();
        List<String> sent = new ArrayList<>();
        String unit = cargoUnitId();
        stopTheRelayRoute();
        try {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                for (int i = 0; i < 3; i++) {
                    sent.add(add(connection, party, unit, "state " + i));
                }
                connection.commit();
            }
            // the route's run put the first on the queue and had not marked it when the next commit relayed them all
            relay.sendToPartnerQueues(outbox.unrelayedOf(List.of(unit)).subList(0, 1));
            double refusedBefore = refusedBatches();
            relay.relayAtCommit(Set.of(unit));
            assertEquals(List.of(), outbox.unrelayedOf(List.of(unit)), "all three relayed and marked at once");
            assertEquals(refusedBefore + 1, refusedBatches(), "the broker refused the batch for its repeat, counted");
        } finally {
            startTheRelayRoute();
        }
        assertDeliveredOnceInOrder(party, sent, repeatsBefore);
    }

    @Test
    void aCargoUnitsRelaysAtCommitGoOneAtATimeSoNoneSendsAnothersRowsAgain() throws Exception {
        String party = "VN-PORT-OPERATOR";
        String unit = cargoUnitId();
        List<String> sent = new ArrayList<>();
        stopTheRelayRoute();
        try {
            for (int i = 0; i < 3; i++) {
                sent.add(addAlone(party, unit, "state " + i));
            }
            double refusedBefore = refusedBatches();
            // eight transactions of the cargo unit committing at once, each relaying what it finds unrelayed
            ExecutorService committers = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> relays = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                relays.add(committers.submit(() -> {
                    start.await();
                    relay.relayAtCommit(Set.of(unit));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> done : relays) {
                done.get(30, TimeUnit.SECONDS);
            }
            committers.shutdown();
            assertEquals(List.of(), outbox.unrelayedOf(List.of(unit)));
            assertEquals(refusedBefore, refusedBatches(), "one relay sent the rows; the others found them relayed");
        } finally {
            startTheRelayRoute();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> StubPartners.received(party).containsAll(sent));
        assertEquals(sent, StubPartners.received(party).stream().filter(sent::contains).toList(), "each once, in order");
    }

    /** Each message reaches the partner once, in the order written, and no repeat got past the broker. */
    private static void assertDeliveredOnceInOrder(String party, List<String> sent, int repeatsBefore) throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> StubPartners.received(party).containsAll(sent));
        Thread.sleep(1000); // a doubled delivery would arrive now
        assertEquals(sent, StubPartners.received(party).stream().filter(sent::contains).toList(), "each once, in order");
        assertEquals(repeatsBefore, StubPartners.repeats(), "the broker dropped the repeats before any delivery");
    }

    private double refusedBatches() {
        return metrics.counter("hub.outbox.relay.batches.refused").count();
    }

    /** The poll first: while its wake-ups keep arriving every half second, the relay's graceful stop waits out Camel's whole shutdown timeout. */
    private void stopTheRelayRoute() throws Exception {
        camel.getRouteController().stopRoute("outbox-relay-poll");
        camel.getRouteController().stopRoute("outbox-relay");
        assertFalse(camel.getShutdownStrategy().isTimeoutOccurred(),
                "the relay stopped gracefully, not forced after the shutdown timeout");
    }

    private void startTheRelayRoute() throws Exception {
        camel.getRouteController().startRoute("outbox-relay");
        camel.getRouteController().startRoute("outbox-relay-poll");
    }

    private double retries(String party) {
        return metrics.find("hub.outbox.delivery.retries").tag("party", party).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    @Test
    void everyOutboundDocumentVerifiesWithTheHubsPublicCertificateAlone() throws Exception {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        PartnerClient.Receipt accepted = new PartnerClient(new URL(hub, "soap/edge"), "vn-nsw")
                .submit(PartnerDocuments.sign(cargo.document(), "vn-nsw"));
        assertEquals("ACCEPTED", accepted.verdict());

        // its three agency views and the declarant's notification reach their partners, checked there
        await().atMost(Duration.ofSeconds(15)).until(() -> !StubPartners.received("VN-PLANT-QUARANTINE").isEmpty()
                && !StubPartners.received("VN-BORDER-GUARD").isEmpty() && !StubPartners.received("VN-NSW").isEmpty());
        assertEquals(List.of(), StubPartners.problems());
    }

    @Test
    void withNanningDownForTheFirstAttemptsEveryMessageIsDeliveredOnceInCargoUnitOrder() throws Exception {
        String nanning = "CN-NANNING-CUSTOMS";
        StubPartners.failNext(nanning, 3);
        List<String> unitA = new ArrayList<>();
        List<String> unitB = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            String a = cargoUnitId();
            String b = cargoUnitId();
            for (int i = 0; i < 3; i++) {
                unitA.add(add(connection, nanning, a, "state " + i));
                unitB.add(add(connection, nanning, b, "state " + i));
            }
            connection.commit();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> StubPartners.received(nanning).containsAll(unitA)
                && StubPartners.received(nanning).containsAll(unitB));
        List<String> received = StubPartners.received(nanning);
        for (String messageId : union(unitA, unitB)) {
            assertEquals(1, received.stream().filter(messageId::equals).count(), messageId + " delivered once");
        }
        assertEquals(unitA, received.stream().filter(unitA::contains).toList());
        assertEquals(unitB, received.stream().filter(unitB::contains).toList());
        assertEquals(List.of(), StubPartners.problems());
    }

    @Test
    void aMessageWhosePartnerKeepsFailingBecomesADeadLetterAndAReplayDeliversItOnce() throws Exception {
        String party = "VN-HEALTH-QUARANTINE";
        StubPartners.failNext(party, 1000);
        int refusedBefore = StubPartners.outage(party).refused();
        double retriesBefore = retries(party);
        String messageId = addAlone(party, cargoUnitId(), "held for inspection");
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterOf(messageId).isPresent());
        DeadLetters.DeadLetter letter = deadLetterOf(messageId).orElseThrow();
        assertTrue(letter.reason().contains("503"), letter.reason());
        assertEquals(1 + config.outbox().maxRedeliveries(), StubPartners.outage(party).refused() - refusedBefore,
                "the first attempt and every redelivery, then the dead letter");
        assertEquals(config.outbox().maxRedeliveries(), retries(party) - retriesBefore, "each redelivery counted for operators");
        Set<String> causes = metrics.find("hub.outbox.delivery.retries").tag("party", party).counters().stream()
                .map(counter -> counter.getId().getTag("cause")).collect(java.util.stream.Collectors.toSet());
        assertTrue(causes.contains("IOException") && !causes.contains("unknown"), "retries counted by their cause: " + causes);

        StubPartners.failNext(party, 0);
        HttpResponse<String> partner = as("vn-nsw", HttpRequest.newBuilder(new URL(hub, "ops/dead-letters?status=dead").toURI()).GET());
        assertEquals(403, partner.statusCode(), "a partner's certificate is not an operator's");
        assertTrue(partner.body().contains("OPERATOR_NOT_AUTHORIZED"), partner.body());
        HttpResponse<String> listed = operator(HttpRequest.newBuilder(new URL(hub, "ops/dead-letters?status=dead").toURI()).GET());
        assertEquals(200, listed.statusCode());
        assertTrue(listed.body().contains(messageId), listed.body());
        HttpResponse<String> replayed = replay(letter.id());
        assertEquals(200, replayed.statusCode(), replayed.body());
        HttpResponse<String> again = replay(letter.id());
        assertEquals(404, again.statusCode(), "a dead letter is replayed once");

        await().atMost(Duration.ofSeconds(15)).until(() -> StubPartners.received(party).contains(messageId));
        assertEquals(1, StubPartners.received(party).stream().filter(messageId::equals).count());
    }

    @Test
    void aDocumentThePartnerRejectsBecomesADeadLetterAtOnceAndAReplaySendsItAsItWas() throws Exception {
        String party = "VN-ANIMAL-QUARANTINE";
        String cargoUnitId = cargoUnitId();
        String messageId = rejectedOnce(party, cargoUnitId);
        DeadLetters.DeadLetter letter = deadLetterOf(messageId).orElseThrow();
        assertEquals(party, letter.party());
        assertEquals("StatusNotification", letter.messageType());
        assertEquals(cargoUnitId, letter.cargoUnitId());
        assertTrue(letter.reason().contains("rejected") && letter.reason().contains("DOCUMENT_REFUSED"), letter.reason());
        assertEquals(List.of(messageId), StubPartners.rejected(party).stream().filter(messageId::equals).toList(),
                "sent once: a partner's rejection is not retried");

        // the dead letter keeps the document as the outbox had it, so that a replay signs and sends it anew
        HttpResponse<String> replayed = replay(letter.id());
        assertEquals(200, replayed.statusCode(), replayed.body());
        await().atMost(Duration.ofSeconds(15)).until(() -> StubPartners.received(party).contains(messageId));
        assertTrue(StubPartners.problems().stream().noneMatch(problem -> problem.contains(messageId)), StubPartners.problems()::toString);
    }

    @Test
    void aDeadLetterHandedOutAgainIsNeitherSentNorMadeADeadLetterTwiceAndItsReplayIsDelivered() throws Exception {
        String party = "VN-ANIMAL-QUARANTINE";
        String cargoUnitId = cargoUnitId();
        String messageId = rejectedOnce(party, cargoUnitId);
        byte[] document = deadLetterDocument(messageId);

        // the same message on its queue again, as the relay sends it after a restart of the embedded
        // broker (which keeps duplicate ids in memory only), then a later one of the same cargo unit
        try (org.apache.camel.ProducerTemplate producer = camel.createProducerTemplate()) {
            producer.sendBodyAndHeaders("jms:queue:outbox." + party + "?exchangePattern=InOnly", document, java.util.Map.of(
                    Outbox.PARTY, party, Outbox.MESSAGE_ID, messageId, Outbox.MESSAGE_TYPE, "StatusNotification",
                    Outbox.CARGO_UNIT_ID, cargoUnitId, org.apache.camel.component.jms.JmsConstants.JMS_X_GROUP_ID,
                    Outbox.jmsGroup(party, cargoUnitId), Outbox.ARTEMIS_DUPLICATE_ID, messageId + "/after-restart"));
        }
        String later = addAlone(party, cargoUnitId, "released");
        await().atMost(Duration.ofSeconds(15)).until(() -> StubPartners.received(party).contains(later));
        assertFalse(StubPartners.received(party).contains(messageId), "the dead letter's copy was sent");
        assertEquals(1, deadLetters.page(Optional.empty(), Optional.empty(), Optional.empty(), DeadLetters.MOST_PER_PAGE)
                .stream().filter(l -> l.messageId().equals(messageId)).count(), "one dead letter");

        HttpResponse<String> replayed = replay(deadLetterOf(messageId).orElseThrow().id());
        assertEquals(200, replayed.statusCode(), replayed.body());
        await().atMost(Duration.ofSeconds(15)).until(() -> StubPartners.received(party).contains(messageId));
        assertEquals(1, StubPartners.received(party).stream().filter(messageId::equals).count());
    }

    /** One outbound message the partner rejects, once it is a dead letter; its messageId. */
    private String rejectedOnce(String party, String cargoUnitId) throws Exception {
        StubPartners.rejectNext(party, 1);
        String messageId = addAlone(party, cargoUnitId, "held for inspection");
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterOf(messageId).isPresent());
        return messageId;
    }

    private HttpResponse<String> replay(long deadLetterId) throws Exception {
        return operator(HttpRequest.newBuilder(new URL(hub, "ops/dead-letters/" + deadLetterId + "/replay").toURI())
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private byte[] deadLetterDocument(String messageId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                java.sql.PreparedStatement select = connection.prepareStatement(
                        "SELECT document FROM dead_letter WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (java.sql.ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                return row.getBytes(1);
            }
        }
    }

    @Test
    void theReceiptKeptIsThePartnersSignedAnswerAsItCame() throws Exception {
        String party = "VN-HEALTH-QUARANTINE";
        String messageId = addAlone(party, cargoUnitId(), "released");
        await().atMost(Duration.ofSeconds(15)).until(() -> keptReceipt(messageId).isPresent());

        assertArrayEquals(StubPartners.answerTo(messageId).orElseThrow(), keptReceipt(messageId).orElseThrow());
    }

    @Test
    void relayingAndSettlingAMessageLeaveItsDocumentAsItWasWritten() throws Exception {
        String messageId;
        String written;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            messageId = add(connection, "VN-HEALTH-QUARANTINE", cargoUnitId(), "released");
            written = documentRowVersion(connection, messageId);
            connection.commit();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> settled(messageId, "outbound_delivery", "delivered_at").isPresent());

        try (Connection connection = dataSource.getConnection()) {
            assertEquals(written, documentRowVersion(connection, messageId),
                    "the document's row was not written again when its message was relayed and settled");
        }
    }

    @Test
    void relayingAndSettlingAMessageTakeItOffTheOutboxQueuesAndChangeNoIndexedColumnOfItsRow() throws Exception {
        String messageId;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            messageId = add(connection, "VN-HEALTH-QUARANTINE", cargoUnitId(), "released");
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_unrelayed u JOIN outbox_message m ON m.seq = u.seq"
                    + " WHERE m.message_id = ?", messageId), "written, the message waits for the relay");
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_unsettled WHERE message_id = ?", messageId),
                    "and counts in the outbox depth");
            connection.commit();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> settled(messageId, "outbound_delivery", "delivered_at").isPresent());

        try (Connection connection = dataSource.getConnection()) {
            assertEquals(0, count(connection, "SELECT COUNT(*) FROM outbox_unrelayed u JOIN outbox_message m ON m.seq = u.seq"
                    + " WHERE m.message_id = ?", messageId), "relayed, it no longer waits for the relay");
            assertEquals(0, count(connection, "SELECT COUNT(*) FROM outbox_unsettled WHERE message_id = ?", messageId),
                    "settled, it no longer counts in the outbox depth");
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM outbox_message WHERE message_id = ?"
                    + " AND relayed_at IS NOT NULL AND settled_at IS NOT NULL", messageId), "its row keeps both times");
            // an update that changes an indexed column writes every index entry of the row again, and
            // autovacuum then reads each index whole: the table keeps every message ever sent
            java.sql.DatabaseMetaData database = connection.getMetaData();
            String table = database.storesUpperCaseIdentifiers() ? "OUTBOX_MESSAGE" : "outbox_message";
            List<String> indexed = new ArrayList<>();
            try (ResultSet columns = database.getIndexInfo(null, null, table, false, true)) {
                while (columns.next()) {
                    if (columns.getString("COLUMN_NAME") != null) {
                        indexed.add(columns.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            assertTrue(indexed.contains("message_id"), "the index info is read: " + indexed);
            assertFalse(indexed.contains("relayed_at") || indexed.contains("settled_at"), "indexed: " + indexed);
        }
    }

    private static long count(Connection connection, String sql, String value) throws Exception {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, value);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /**
     * Where the document's row is: PostgreSQL writes every update of a row as a new version, with a new
     * place (ctid) and transaction (xmin); H2 updates a row in place, so there this is only its row id.
     */
    private static String documentRowVersion(Connection connection, String messageId) throws Exception {
        boolean postgresql = vn.huunghi.hub.Transactions.onPostgreSql(connection);
        try (PreparedStatement select = connection.prepareStatement((postgresql
                ? "SELECT ctid::text || ' ' || xmin::text" : "SELECT CAST(_ROWID_ AS VARCHAR)")
                + " FROM outbox_document WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "the message's document is kept in outbox_document");
                return row.getString(1);
            }
        }
    }

    private java.util.Optional<byte[]> keptReceipt(String messageId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT receipt FROM outbound_delivery WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? java.util.Optional.of(row.getBytes(1)) : java.util.Optional.empty();
            }
        }
    }

    @Test
    void theDeclarantsQueueHasItsOwnConsumersSinceItCarriesEveryCargoUnitsStatuses() {
        JmsEndpoint declarant = (JmsEndpoint) camel.getRoute("outbox-delivery-vn-nsw").getEndpoint();
        JmsEndpoint nanning = (JmsEndpoint) camel.getRoute("outbox-delivery-cn-nanning-customs").getEndpoint();

        assertEquals(config.outbox().declarantConsumers(), declarant.getConcurrentConsumers());
        assertEquals(config.outbox().consumersPerPartner(), nanning.getConcurrentConsumers());
        assertTrue(declarant.getConcurrentConsumers() > nanning.getConcurrentConsumers());
    }

    @Test
    void noRouteCopiesItsFirstMessageForAnErrorHandler() {
        // useOriginalMessage on any error handler makes Camel copy the incoming message of every
        // exchange of every route (a JMS message's copy throws inside camel-jms), for a dead letter
        // that has what it needs in the exchange's properties
        assertFalse(camel.isAllowUseOriginalMessage());
    }

    @Test
    void aRowIsSettledInTheTransactionThatKeepsItsReceiptOrMakesItADeadLetter() throws Exception {
        String delivered;
        String dead;
        StubPartners.failNext("VN-PORT-OPERATOR", 1000);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            delivered = add(connection, "VN-BORDER-GUARD", cargoUnitId(), "declared");
            dead = add(connection, "VN-PORT-OPERATOR", cargoUnitId(), "declared");
            connection.commit();
        }
        try {
            // the outbox depth counts the rows not settled (BusinessMetrics): each is settled with the same
            // clock reading as its receipt or dead letter, in that transaction
            await().atMost(Duration.ofSeconds(30)).until(() -> settled(delivered, "outbound_delivery", "delivered_at").isPresent()
                    && settled(dead, "dead_letter", "created_at").isPresent());
            List<Instant> receipt = settled(delivered, "outbound_delivery", "delivered_at").orElseThrow();
            assertEquals(receipt.get(1), receipt.get(0), "settled when its receipt was kept");
            List<Instant> letter = settled(dead, "dead_letter", "created_at").orElseThrow();
            assertEquals(letter.get(1), letter.get(0), "settled when it became a dead letter");
        } finally {
            StubPartners.failNext("VN-PORT-OPERATOR", 0);
        }
    }

    /** The outbox row's settled_at and the settling row's time, once both are there. */
    private Optional<List<Instant>> settled(String messageId, String table, String column) throws Exception {
        try (Connection connection = dataSource.getConnection();
                java.sql.PreparedStatement select = connection.prepareStatement("SELECT o.settled_at, s." + column
                        + " FROM outbox_message o JOIN " + table + " s ON s.message_id = o.message_id WHERE o.message_id = ?")) {
            select.setString(1, messageId);
            try (java.sql.ResultSet row = select.executeQuery()) {
                if (!row.next() || row.getTimestamp(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(List.of(row.getTimestamp(1).toInstant(), row.getTimestamp(2).toInstant()));
            }
        }
    }

    private Optional<DeadLetters.DeadLetter> deadLetterOf(String messageId) {
        return deadLetters.page(Optional.empty(), Optional.empty(), Optional.empty(), DeadLetters.MOST_PER_PAGE).stream().filter(l -> l.messageId().equals(messageId)).findFirst();
    }

    /** One outbound message, written and committed in a transaction of its own; its messageId. */
    private String addAlone(String party, String cargoUnitId, String reason) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            String messageId = add(connection, party, cargoUnitId, reason);
            connection.commit();
            return messageId;
        }
    }

    private String add(Connection connection, String party, String cargoUnitId, String reason) throws Exception {
        Element body = HubDocuments.newMessage("StatusNotification", party, null, Instant.now());
        Element notification = HubDocuments.add(body, "StatusNotification");
        HubDocuments.text(notification, "CargoUnitId", cargoUnitId);
        HubDocuments.text(notification, "DeclarationReference", "TEST-" + cargoUnitId);
        HubDocuments.text(notification, "State", "DECLARED");
        HubDocuments.text(notification, "Reason", reason);
        HubDocuments.text(notification, "OccurredAt", HubDocuments.timestamp(Instant.now()));
        byte[] document = XmlSigner.serialize(body.getOwnerDocument());
        outbox.add(connection, party, "StatusNotification", cargoUnitId, document);
        return HubDocuments.child(HubDocuments.child(body.getOwnerDocument().getDocumentElement(), "Header"), "MessageId")
                .getTextContent();
    }

    private static String cargoUnitId() {
        return String.format("CU-20991231-%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
