package vn.huunghi.hub.equipment;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;

/** The gate's ANPR cameras and scanners as the hub sees them: JSON over HTTPS with a client certificate. */
public final class EquipmentClient {

    /** The hub's answer: HTTP status and JSON body. */
    public record Answer(int status, String body) {
    }

    private final HttpClient http;
    private final URI base;

    public EquipmentClient(URL equipment, String devParty) {
        try {
            this.http = HttpClient.newBuilder().sslContext(PartnerClient.mutualTls(PartnerDocuments.keystore(
                    PartnerDocuments.DEV_KEYS.resolve(devParty + ".p12")))).connectTimeout(Duration.ofSeconds(5)).build();
            this.base = equipment.toURI();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Answer plateRead(String lane, String plate, String nationality, double confidence) {
        return post("anpr-reads", """
                {"eventId": "%s", "lane": "%s", "camera": "ANPR-%s-FRONT", "plate": "%s", "nationality": "%s",
                 "confidence": %s, "readAt": "%s", "imageReference": "https://anpr.huunghi-gate.local/images/%s/test.jpg"}"""
                .formatted(UUID.randomUUID(), lane, lane, plate, nationality, confidence, now(), lane));
    }

    public Answer scanResult(String lane, String container, String result) {
        return post("scan-results", """
                {"eventId": "%s", "lane": "%s", "scanner": "NII-%s", "containerNumber": "%s", "result": "%s",
                 "scannedAt": "%s", "imageReference": "file://scanner/%s/%s.uff"}"""
                .formatted(UUID.randomUUID(), lane, lane, container, result, now(), lane, container));
    }

    public Answer post(String path, String json) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/" + path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).toString();
    }
}
