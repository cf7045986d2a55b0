package vn.huunghi.hub.replay;

import java.io.IOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.ComparisonResult;
import org.xmlunit.diff.ComparisonType;
import org.xmlunit.diff.Diff;
import org.xmlunit.diff.Difference;
import vn.huunghi.hub.catalog.ContainerNumber;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.equipment.TestMqtt;

/**
 * Replays a fixture folder (docs/fixtures.md) against a running hub: sends each inbound document
 * again, re-signed with the dev key of its party (documents whose signature was the point of the
 * fixture go as recorded), with fresh message ids, times, declaration references, plates,
 * containers and seals so a replay never collides with what the hub already holds; checks each
 * receipt's verdict; then collects what the hub delivered (from its own recorder folder) and
 * compares it per partner with the fixture's outbound documents using XMLUnit, ignoring
 * signatures, generated ids and times. Exit status 0: no difference; 1: differences; 2: usage.
 *
 * <pre>java vn.huunghi.hub.replay.Replayer FIXTURE HUB_URL HUB_RECORDER_DIR [MQTT_BROKER_URL [STUB_PARTNERS_URL]]</pre>
 */
public final class Replayer {

    static final String DEFAULT_MQTT_BROKER = "tcp://127.0.0.1:1883";
    static final String DEFAULT_STUB_PARTNERS = "https://localhost:8444/";

    /** Times of day (dates stay: an issue date is part of what a document says). */
    private static final Pattern TIME = Pattern.compile("<(\\w*(?:At|Time))>\\d{4}-\\d{2}-\\d{2}T[^<]*</\\1>");
    private static final Set<String> GENERATED = Set.of("MessageId", "CorrelationId", "ReceivedMessageId",
            "ConfirmationMessageId", "ReceivedDigest", "EventId");

    private final Path fixture;
    private final URL hub;
    private final Path emitted;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Map<String, String> messageIds = new HashMap<>();
    private final Map<String, byte[]> resent = new HashMap<>();
    private final Map<String, byte[]> receipts = new HashMap<>();
    private final List<String> report = new ArrayList<>();
    private int differences;

    private final String mqttBrokerUrl;
    private final URL stubPartners;

    public Replayer(Path fixture, URL hub, Path emitted) throws IOException {
        this(fixture, hub, emitted, DEFAULT_MQTT_BROKER, new URL(DEFAULT_STUB_PARTNERS));
    }

    /**
     * With the MQTT broker the hub's e-seals publish to (fixtures holding e-seal events) and the
     * stub partners the hub delivers to (fixtures holding a partner outage).
     */
    public Replayer(Path fixture, URL hub, Path emitted, String mqttBrokerUrl, URL stubPartners) {
        this.fixture = fixture;
        this.hub = hub;
        this.emitted = emitted;
        this.mqttBrokerUrl = mqttBrokerUrl;
        this.stubPartners = stubPartners;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 5) {
            System.err.println("usage: Replayer FIXTURE_DIR HUB_URL HUB_RECORDER_DIR [MQTT_BROKER_URL [STUB_PARTNERS_URL]]");
            System.exit(2);
        }
        Replayer replayer = new Replayer(Path.of(args[0]), new URL(args[1]), Path.of(args[2]),
                args.length >= 4 ? args[3] : DEFAULT_MQTT_BROKER, new URL(args.length == 5 ? args[4] : DEFAULT_STUB_PARTNERS));
        int result = replayer.run();
        replayer.report().forEach(System.out::println);
        System.exit(result == 0 ? 0 : 1);
    }

    public List<String> report() {
        return report;
    }

    /** Replays the fixture; returns the number of differences found. */
    public int run() throws Exception {
        Set<String> alreadyEmitted = emittedFiles();
        Map<String, String> verdicts = verdicts();
        mapTokens();
        Map<String, Integer> outages = outages();
        for (Map.Entry<String, Integer> outage : outages.entrySet()) {
            stubPartner(outage.getKey(), "POST", "?refuse=" + outage.getValue());
            report.add("  outage " + outage.getKey() + ": refuses its next " + outage.getValue() + " deliveries");
        }
        for (Map.Entry<String, String> inbound : verdicts.entrySet()) {
            send(inbound.getKey(), inbound.getValue());
        }
        compareOutbound(alreadyEmitted, outages.isEmpty() ? Duration.ofSeconds(5) : Duration.ofSeconds(20));
        for (String party : outages.keySet()) {
            checkOutageOver(party, outages.get(party));
        }
        report.add(differences == 0 ? "REPLAY " + fixture.getFileName() + ": no difference"
                : "REPLAY " + fixture.getFileName() + ": " + differences + " difference(s)");
        return differences;
    }

    // ------------------------------------------------------------------ inbound

    private void send(String file, String expectedVerdict) throws Exception {
        if (file.endsWith("-ESealEvent.json")) {
            publishESealEvent(file, expectedVerdict);
            return;
        }
        String type = file.substring(file.lastIndexOf('-') + 1, file.lastIndexOf('.'));
        String party = file.substring(5, file.lastIndexOf('-'));
        byte[] recorded = Files.readAllBytes(fixture.resolve("inbound").resolve(file));
        byte[] document;
        if (expectedVerdict.contains("SIGNATURE") || expectedVerdict.contains("DIGEST")) {
            document = recorded; // the signature is what this document is about: send it untouched
        } else {
            String recordedId = header(recorded, "MessageId");
            mapCargoUnits(new String(recorded, StandardCharsets.UTF_8));
            document = resent.get(recordedId);
            if (document == null) {
                document = resign(fresh(new String(recorded, StandardCharsets.UTF_8)), party);
                resent.put(recordedId, document);
            }
        }
        PartnerClient.Receipt receipt = new PartnerClient(new URL(hub, "soap/edge"), party.toLowerCase()).submit(document);
        String verdict = receipt.verdict() + ("REJECTED".equals(receipt.verdict())
                ? " " + String.join(",", new java.util.TreeSet<>(receipt.errorCodes())) : "");
        String sentId = header(document, "MessageId");
        byte[] first = receipts.putIfAbsent(sentId, receipt.signedReceipt());
        if (first != null && java.util.Arrays.equals(first, receipt.signedReceipt())) {
            verdict = "DUPLICATE"; // a repeat is answered with the very receipt the first one got
        }
        if (verdict.equals(expectedVerdict)) {
            report.add("  in  " + file + ": " + verdict);
        } else {
            differences++;
            report.add("  in  " + file + ": expected " + expectedVerdict + " but the hub answered " + verdict);
        }
        if ("ACCEPTED".equals(verdict)) {
            awaitApplied(header(document, "MessageId"), type);
        }
    }

    /** An e-seal event goes where the seals publish: the hub's MQTT broker, topic gate/eseals. */
    private void publishESealEvent(String file, String expectedOutcome) throws Exception {
        String json = Files.readString(fixture.resolve("inbound").resolve(file), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            json = json.replace(token.getKey(), token.getValue());
        }
        String eventId = UUID.randomUUID().toString();
        json = json.replaceAll("\"eventId\"\\s*:\\s*\"[^\"]*\"", "\"eventId\":\"" + eventId + "\"");
        TestMqtt.publish(mqttBrokerUrl, "gate/eseals", json);
        String outcome = awaitApplied(eventId, "ESealEvent");
        if (expectedOutcome.equals(outcome)) {
            report.add("  in  " + file + ": " + outcome);
        } else {
            differences++;
            report.add("  in  " + file + ": expected " + expectedOutcome + " but the workflow made it " + outcome);
        }
    }

    /** Waits until the workflow applied the message (operators' API), so the next one meets the same state. */
    private String awaitApplied(String messageId, String type) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> answer = operator(HttpRequest.newBuilder(new URL(hub, "ops/messages/" + messageId).toURI()).GET());
            if (answer.statusCode() == 200 && !answer.body().contains("IN_PROGRESS")) {
                Matcher outcome = Pattern.compile("\"outcome\"\\s*:\\s*\"([A-Z_]+)\"").matcher(answer.body());
                return outcome.find() ? outcome.group(1) : "?";
            }
            Thread.sleep(100);
        }
        differences++;
        report.add("  in  " + messageId + " (" + type + ") was accepted but never applied");
        return "NEVER_APPLIED";
    }

    /**
     * The hub numbers cargo units itself: a recorded cargo unit id is the one this replay's hub gave
     * the same declaration, read from what it delivered (a document naming both).
     */
    private void mapCargoUnits(String xml) throws Exception {
        for (String recordedUnit : values(xml, "CargoUnitId")) {
            if (tokens.containsKey(recordedUnit)) {
                continue;
            }
            String recordedReference = referenceOf(recordedUnit, fixture.resolve("outbound"));
            String reference = recordedReference == null ? null : tokens.get(recordedReference);
            Instant deadline = Instant.now().plusSeconds(20);
            String unit = null;
            while (reference != null && unit == null && Instant.now().isBefore(deadline)) {
                unit = unitOf(reference, emitted.resolve("outbound"));
                if (unit == null) {
                    Thread.sleep(200);
                }
            }
            if (unit == null) {
                differences++;
                report.add("  the hub delivered nothing naming the cargo unit recorded as " + recordedUnit);
                continue;
            }
            tokens.put(recordedUnit, unit);
        }
    }

    private static String referenceOf(String unit, Path root) throws IOException {
        for (List<Path> files : outboundByParty(root, Set.of()).values()) {
            for (Path file : files) {
                String xml = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                if (values(xml, "CargoUnitId").contains(unit) && !values(xml, "DeclarationReference").isEmpty()) {
                    return values(xml, "DeclarationReference").get(0);
                }
            }
        }
        return null;
    }

    private static String unitOf(String reference, Path root) throws IOException {
        for (List<Path> files : outboundByParty(root, Set.of()).values()) {
            for (Path file : files) {
                String xml = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                if (values(xml, "DeclarationReference").contains(reference) && !values(xml, "CargoUnitId").isEmpty()) {
                    return values(xml, "CargoUnitId").get(0);
                }
            }
        }
        return null;
    }

    private String fresh(String xml) {
        String fresh = xml;
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            fresh = fresh.replace(token.getKey(), token.getValue());
        }
        Matcher ids = Pattern.compile("<(MessageId|CorrelationId)>([^<]+)</\\1>").matcher(fresh);
        StringBuilder withIds = new StringBuilder();
        while (ids.find()) {
            String id = messageIds.computeIfAbsent(ids.group(2), old -> UUID.randomUUID().toString());
            ids.appendReplacement(withIds, "<" + ids.group(1) + ">" + id + "</" + ids.group(1) + ">");
        }
        ids.appendTail(withIds);
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        return TIME.matcher(withIds).replaceAll(m -> "<" + m.group(1) + ">" + now + "</" + m.group(1) + ">");
    }

    private static byte[] resign(String xml, String party) {
        Document document = PartnerDocuments.parse(xml.getBytes(StandardCharsets.UTF_8));
        NodeList signatures = document.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature");
        for (int i = signatures.getLength() - 1; i >= 0; i--) {
            signatures.item(i).getParentNode().removeChild(signatures.item(i));
        }
        return PartnerDocuments.sign(document, party.toLowerCase());
    }

    /** Fresh values for what identifies goods and vehicles, the same everywhere in one replay. */
    private void mapTokens() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (Path file : allFixtureFiles()) {
            String xml = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            for (String reference : values(xml, "DeclarationReference")) {
                tokens.computeIfAbsent(reference, r -> "RP-" + random.nextLong(1_000_000_000L, 9_999_999_999L));
            }
            for (String plate : values(xml, "VehiclePlate|Plate")) {
                tokens.computeIfAbsent(plate, p -> Character.isDigit(p.charAt(0))
                        ? String.format("%02dC-%03d.%02d", random.nextInt(11, 99), random.nextInt(1000), random.nextInt(100))
                        : "桂R" + random.nextInt(10000, 99999));
            }
            for (String container : values(xml, "ContainerNumber|ContainerId")) {
                tokens.computeIfAbsent(container, c -> {
                    String firstTen = c.substring(0, 4) + String.format("%06d", random.nextInt(1_000_000));
                    return firstTen + ContainerNumber.checkDigit(firstTen);
                });
            }
            for (String number : values(xml, "CertificateNumber|PreferentialOriginCertificate|OriginCertificateNumber|AcddReference")) {
                tokens.computeIfAbsent(number, n -> n.replaceAll("\\d+$", "") + random.nextInt(10_000_000, 99_999_999));
            }
            for (String seal : values(xml, "Seal|SealNumber")) {
                tokens.computeIfAbsent(seal, s -> s.replaceAll("\\d", "") + random.nextInt(10_000_000, 99_999_999));
            }
        }
    }

    // ------------------------------------------------------------------ partner outage

    /** The outage happened (each refusal was used up by a delivery) and the hub delivered after it. */
    private void checkOutageOver(String party, int refusals) throws Exception {
        String state = stubPartner(party, "GET", "");
        Matcher refused = Pattern.compile("\"refused\":(\\d+),\"refusing\":(\\d+)").matcher(state);
        if (refused.find() && Integer.parseInt(refused.group(1)) == refusals && "0".equals(refused.group(2))) {
            report.add("  outage " + party + ": refused " + refusals + " deliveries, then took each document once");
        } else {
            differences++;
            report.add("  outage " + party + ": expected " + refusals + " refused deliveries, the stub partner says " + state);
        }
    }

    /** The stub partners' control call (DEV ONLY, on the stub-partner server, not on the hub). */
    private String stubPartner(String party, String method, String query) throws Exception {
        HttpResponse<String> answer = operator(HttpRequest.newBuilder(new URL(stubPartners, "control/outage/" + party + query)
                .toURI()).method(method, HttpRequest.BodyPublishers.noBody()));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the stub partners at " + stubPartners + " answered " + answer.statusCode()
                    + " to " + method + " outage of " + party);
        }
        return answer.body();
    }

    // ------------------------------------------------------------------ outbound

    /** Waits for deliveries to settle: quiet for 2 s once all expected arrived, or for patience if not. */
    private void compareOutbound(Set<String> alreadyEmitted, Duration patience) throws Exception {
        Map<String, List<Path>> expected = outboundByParty(fixture.resolve("outbound"), Set.of());
        Set<String> fresh = new LinkedHashSet<>(tokens.values());
        Map<String, List<Path>> actual = Map.of();
        Map<String, Integer> seen = null;
        Instant lastChange = Instant.now();
        Instant deadline = Instant.now().plusSeconds(30).plus(patience);
        while (Instant.now().isBefore(deadline)) {
            actual = ours(outboundByParty(emitted.resolve("outbound"), alreadyEmitted), fresh);
            Map<String, Integer> now = counts(actual);
            if (!now.equals(seen)) {
                seen = now;
                lastChange = Instant.now();
            }
            Duration quiet = Duration.between(lastChange, Instant.now());
            if (quiet.toMillis() > (now.equals(counts(expected)) ? 2000 : patience.toMillis())) {
                break;
            }
            Thread.sleep(250);
        }
        Set<String> parties = new java.util.TreeSet<>(expected.keySet());
        parties.addAll(actual.keySet());
        for (String party : parties) {
            List<Path> want = expected.getOrDefault(party, List.of());
            List<Path> got = actual.getOrDefault(party, List.of());
            if (want.size() != got.size()) {
                differences++;
                report.add("  out " + party + ": expected " + types(want) + " but the hub delivered " + types(got));
                continue;
            }
            for (int i = 0; i < want.size(); i++) {
                compare(party, want.get(i), got.get(i));
            }
            report.add("  out " + party + ": " + types(got));
        }
    }

    private void compare(String party, Path expected, Path actual) throws IOException {
        String want = Files.readString(expected, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            want = want.replace(token.getKey(), token.getValue());
        }
        Diff diff = DiffBuilder.compare(want).withTest(Files.readString(actual, StandardCharsets.UTF_8))
                .ignoreWhitespace().ignoreComments()
                .withNodeFilter(node -> !"Signature".equals(node.getLocalName()))
                .withDifferenceEvaluator((comparison, outcome) -> {
                    if (outcome == ComparisonResult.EQUAL) {
                        return outcome;
                    }
                    Node target = comparison.getControlDetails().getTarget();
                    Node element = target == null ? null : target.getNodeType() == Node.TEXT_NODE ? target.getParentNode() : target;
                    String name = element == null ? "" : String.valueOf(element.getLocalName());
                    boolean generated = GENERATED.contains(name) || name.endsWith("At") || name.equals("CargoUnitId");
                    if (comparison.getType() == ComparisonType.TEXT_VALUE && generated) {
                        return ComparisonResult.SIMILAR;
                    }
                    return outcome;
                })
                .checkForSimilar().build();
        if (diff.hasDifferences()) {
            differences++;
            report.add("  out " + party + " " + actual.getFileName() + " differs from " + expected.getFileName() + ":");
            int shown = 0;
            for (Difference difference : diff.getDifferences()) {
                if (shown++ < 5) {
                    report.add("        " + difference.getComparison().toString());
                }
            }
        }
    }

    /** Only the documents this replay caused: those naming one of its fresh values. */
    private static Map<String, List<Path>> ours(Map<String, List<Path>> byParty, Set<String> fresh) {
        Map<String, List<Path>> ours = new java.util.TreeMap<>();
        byParty.forEach((party, files) -> {
            List<Path> mine = files.stream().filter(file -> {
                try {
                    String xml = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                    return fresh.stream().anyMatch(xml::contains);
                } catch (IOException e) {
                    return false;
                }
            }).toList();
            if (!mine.isEmpty()) {
                ours.put(party, mine);
            }
        });
        return ours;
    }

    private static Map<String, List<Path>> outboundByParty(Path root, Set<String> skip) throws IOException {
        Map<String, List<Path>> byParty = new java.util.TreeMap<>();
        if (!Files.isDirectory(root)) {
            return byParty;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).filter(f -> !skip.contains(f.toString())).sorted()
                    .forEach(f -> byParty.computeIfAbsent(f.getParent().getFileName().toString(), p -> new ArrayList<>()).add(f));
        }
        return byParty;
    }

    private Set<String> emittedFiles() throws IOException {
        Set<String> files = new java.util.HashSet<>();
        outboundByParty(emitted.resolve("outbound"), Set.of()).values().forEach(list -> list.forEach(f -> files.add(f.toString())));
        return files;
    }

    private static Map<String, Integer> counts(Map<String, List<Path>> byParty) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        byParty.forEach((party, files) -> counts.put(party, files.size()));
        return counts;
    }

    private static List<String> types(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString().replaceAll("^\\d+-|\\.xml$", "")).toList();
    }

    // ------------------------------------------------------------------ fixture

    private Map<String, String> verdicts() throws IOException {
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(fixture.resolve("inbound.txt"))) {
            if (!line.isBlank()) {
                int space = line.indexOf(' ');
                verdicts.put(line.substring(0, space), line.substring(space + 1).trim());
            }
        }
        return verdicts;
    }

    /** partner-outage.txt: "<PARTY> <N>" per line, the partner refusing its next N deliveries when the replay starts. */
    private Map<String, Integer> outages() throws IOException {
        Map<String, Integer> outages = new LinkedHashMap<>();
        Path file = fixture.resolve("partner-outage.txt");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 2 && !fields[0].startsWith("#")) {
                    outages.put(fields[0], Integer.parseInt(fields[1]));
                }
            }
        }
        return outages;
    }

    private List<Path> allFixtureFiles() throws IOException {
        try (Stream<Path> files = Files.walk(fixture)) {
            return files.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
        }
    }

    private static List<String> values(String xml, String elements) {
        List<String> values = new ArrayList<>();
        Matcher matcher = Pattern.compile("<(" + elements + ")(?:\\s[^>]*)?>([^<]+)</\\1>").matcher(xml);
        while (matcher.find()) {
            values.add(matcher.group(2).trim());
        }
        return values;
    }

    private static String header(byte[] document, String name) {
        Matcher matcher = Pattern.compile("<" + name + ">([^<]+)</" + name + ">")
                .matcher(new String(document, StandardCharsets.UTF_8));
        return matcher.find() ? matcher.group(1) : "";
    }

    private static HttpResponse<String> operator(HttpRequest.Builder request) throws Exception {
        return HttpClient.newBuilder().sslContext(PartnerClient.mutualTls(PartnerDocuments.keystore(
                PartnerDocuments.DEV_KEYS.resolve("hub-operator.p12")))).connectTimeout(Duration.ofSeconds(5)).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
