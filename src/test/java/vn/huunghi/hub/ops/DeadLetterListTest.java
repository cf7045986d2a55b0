package vn.huunghi.hub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.huunghi.hub.ops.OperatorCalls.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The operators' list of dead letters: newest first, a page at a time, by status and partner; bad parameters refused with a code. */
@QuarkusTest
class DeadLetterListTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource(value = "/", tls = true)
    URL hub;

    @Inject
    DataSource dataSource;

    @Test
    void aPartnersDeadLettersComeNewestFirstAPageAtATimeEachPageLinkingTheNext() throws Exception {
        String party = "TEST-" + ThreadLocalRandom.current().nextInt(1_000_000);
        List<String> written = new ArrayList<>();
        for (String status : List.of("DEAD", "REPLAYED", "DEAD", "DISCARDED", "DEAD")) {
            written.add(keep(party, status));
        }
        List<String> newestFirst = new ArrayList<>(written);
        Collections.reverse(newestFirst);

        List<String> paged = new ArrayList<>();
        URI next = URI.create(hub + "ops/dead-letters?party=" + party + "&limit=2");
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = operator(HttpRequest.newBuilder(next).GET());
            assertEquals(200, page.statusCode(), page.body());
            JsonNode letters = JSON.readTree(page.body());
            assertTrue(letters.size() <= 2, page.body());
            letters.forEach(letter -> paged.add(letter.get("messageId").asText()));
            pages++;
            next = page.headers().firstValue("Link").map(DeadLetterListTest::nextOf).orElse(null);
        }
        assertEquals(newestFirst, paged, "every letter once, newest first");
        assertEquals(3, pages, "two full pages link a next one; the last, not full, does not");

        HttpResponse<String> dead = operator(HttpRequest.newBuilder(
                URI.create(hub + "ops/dead-letters?status=dead&party=" + party)).GET());
        List<String> deadOnes = new ArrayList<>();
        JSON.readTree(dead.body()).forEach(letter -> deadOnes.add(letter.get("messageId").asText()));
        assertEquals(List.of(written.get(4), written.get(2), written.get(0)), deadOnes, "only those awaiting an operator");
    }

    @Test
    void aListAskedWithAnUnknownStatusABadLimitOrABadCursorIsRefusedWithItsCode() throws Exception {
        for (String query : List.of("status=lost", "limit=0", "limit=501", "limit=many", "before=yesterday")) {
            HttpResponse<String> refused = operator(HttpRequest.newBuilder(URI.create(hub + "ops/dead-letters?" + query)).GET());
            assertEquals(400, refused.statusCode(), query);
            assertEquals("LIST_PARAMETER_INVALID", JSON.readTree(refused.body()).get("code").asText(), refused.body());
        }
    }

    @Test
    void replayingOrDiscardingALetterThatIsNotDeadIsRefusedWithItsCode() throws Exception {
        String party = "TEST-" + ThreadLocalRandom.current().nextInt(1_000_000);
        keep(party, "DISCARDED");
        HttpResponse<String> listed = operator(HttpRequest.newBuilder(URI.create(hub + "ops/dead-letters?party=" + party)).GET());
        long id = JSON.readTree(listed.body()).get(0).get("id").asLong();
        for (String action : List.of("replay", "discard")) {
            HttpResponse<String> refused = operator(HttpRequest.newBuilder(
                    URI.create(hub + "ops/dead-letters/" + id + "/" + action)).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(404, refused.statusCode(), action);
            assertEquals("DEAD_LETTER_NOT_FOUND", JSON.readTree(refused.body()).get("code").asText(), refused.body());
        }
    }

    /** A dead letter of this partner in this status, kept as the delivery keeps one; its messageId. */
    private String keep(String party, String status) throws Exception {
        String messageId = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO dead_letter (message_id, party,"
                        + " message_type, cargo_unit_id, reason, document, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, messageId);
            insert.setString(2, party);
            insert.setString(3, "StatusNotification");
            insert.setString(4, null);
            insert.setString(5, "the partner refused it");
            insert.setBytes(6, "<Message/>".getBytes(StandardCharsets.UTF_8));
            insert.setString(7, status);
            insert.setTimestamp(8, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
        return messageId;
    }

    /** The target of a Link header's rel="next". */
    private static URI nextOf(String link) {
        assertTrue(link.contains("rel=\"next\""), link);
        return URI.create(link.substring(link.indexOf('<') + 1, link.indexOf('>')));
    }
}
