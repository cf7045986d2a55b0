package vn.huunghi.hub.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.StubPartners;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.edge.TestFlow;
import vn.huunghi.hub.outbox.DeadLetters;
import vn.huunghi.hub.outbox.Outbox;
import vn.huunghi.hub.workflow.CargoUnitQueries;

/**
 * The operator page in headless Chromium (Debian's chromium, driven by playwright-core from
 * src/test/browser): it shows a cargo unit moving to released, its timeline, replays a dead
 * letter and retries a parked message with a click. The screenshot lands in target/operator-page.png.
 */
@QuarkusTest
class OperatorPageTest {

    private static final String PARTY = "VN-ANIMAL-QUARANTINE";

    @TestHTTPResource(value = "/", tls = true)
    URL hub;

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    CargoUnitQueries queries;

    @Inject
    DeadLetters deadLetters;

    @Inject
    Outbox outbox;

    @Inject
    DataSource dataSource;

    @Inject
    vn.huunghi.hub.broker.EmbeddedBroker broker;

    @Inject
    vn.huunghi.hub.broker.ParkedMessages parked;

    @Test
    void theBoardShowsACargoUnitReleasedAndADeadLetterIsReplayedWithAClick() throws Exception {
        String messageId = deadLetter();
        long deadLetterId = deadLetterOf(messageId).orElseThrow().id();
        TestCargo parkedCargo = TestCargo.of("CargoPreDeclaration-ic-import");
        BrokerParking.parkPreDeclaration(broker.tcpAcceptorUrl(), edge, parkedCargo);
        long parkedId = parked.list().stream().filter(message -> parkedCargo.messageId().equals(message.messageId()))
                .findFirst().orElseThrow().brokerMessageId();

        TestFlow flow = new TestFlow(edge, queries);
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        String unit = flow.declare(cargo);

        Process browser = new ProcessBuilder("node", "src/test/browser/operator-page.mjs", hub.toString(),
                PartnerDocuments.DEV_KEYS.resolve("hub-operator.p12").toAbsolutePath().toString(), cargo.reference(),
                Long.toString(deadLetterId), Long.toString(parkedId), Path.of("target", "operator-page.png").toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        List<String> said = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("seen")) {
            said.add(line);
        }
        assertTrue(line != null, "the page never showed the cargo unit: " + said);
        said.add(line);
        assertEquals("seen DECLARED", line);

        // now the cargo unit moves on while the page watches
        flow.arriveAndWeigh(cargo, unit, "4860.000");
        flow.confirmAll(cargo, unit, "APPROVED");

        while ((line = out.readLine()) != null) {
            said.add(line);
        }
        assertTrue(browser.waitFor(60, TimeUnit.SECONDS), "the browser did not finish: " + said);
        assertEquals(0, browser.exitValue(), String.join("\n", said));
        assertEquals(List.of("seen DECLARED", "released", "timeline", "replayed", "retried", "routes", "OK"),
                said.stream().filter(s -> !s.isBlank()).toList());

        // the click replayed it: the partner gets the message, once
        await().atMost(Duration.ofSeconds(15)).until(() -> StubPartners.received(PARTY).contains(messageId));
        assertEquals(1, StubPartners.received(PARTY).stream().filter(messageId::equals).count());
        assertEquals(DeadLetters.Status.REPLAYED, deadLetterOf(messageId).orElseThrow().status());
        // and the parked pre-declaration, back on its queue, made its cargo unit
        await().atMost(Duration.ofSeconds(20)).until(() -> queries.byDeclarationReference(parkedCargo.reference()).isPresent());
    }

    /** A message for a partner that keeps failing until it is a dead letter; then the partner comes back. */
    private String deadLetter() throws Exception {
        StubPartners.failNext(PARTY, 1000);
        Element body = HubDocuments.newMessage("StatusNotification", PARTY, null, Instant.now());
        Element notification = HubDocuments.add(body, "StatusNotification");
        HubDocuments.text(notification, "CargoUnitId", "CU-20991230-000001");
        HubDocuments.text(notification, "DeclarationReference", "TEST-OPERATOR-PAGE");
        HubDocuments.text(notification, "State", "DECLARED");
        HubDocuments.text(notification, "OccurredAt", HubDocuments.timestamp(Instant.now()));
        Document document = body.getOwnerDocument();
        String messageId = HubDocuments.child(HubDocuments.child(document.getDocumentElement(), "Header"), "MessageId")
                .getTextContent();
        try (Connection connection = dataSource.getConnection()) {
            outbox.add(connection, PARTY, "StatusNotification", "CU-20991230-000001", XmlSigner.serialize(document));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterOf(messageId).isPresent());
        StubPartners.failNext(PARTY, 0);
        return messageId;
    }

    private Optional<DeadLetters.DeadLetter> deadLetterOf(String messageId) {
        return deadLetters.page(Optional.empty(), Optional.empty(), Optional.empty(), DeadLetters.MOST_PER_PAGE).stream().filter(l -> l.messageId().equals(messageId)).findFirst();
    }
}
