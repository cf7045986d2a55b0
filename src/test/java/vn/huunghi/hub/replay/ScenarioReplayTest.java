package vn.huunghi.hub.replay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.edge.HubProcess;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.edge.TestFlow;
import vn.huunghi.hub.edge.TestRules;
import vn.huunghi.hub.workflow.CargoUnitQueries;

/**
 * Record a scenario with the hub's recorder, cut it out as a fixture, replay it: no difference.
 * Change one rule and replay again: the replayer reports the difference and exits non-zero.
 */
@QuarkusTest
class ScenarioReplayTest {

    @TestHTTPResource(value = "/", tls = true)
    URL hub;

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    HubConfig config;

    @Inject
    CargoUnitQueries queries;

    @Test
    void aRecordedScenarioReplaysWithoutDifferenceAndAChangedRuleMakesTheReplayFail() throws Exception {
        Path recording = config.recorder().dir().orElseThrow();
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        String unit = new TestFlow(edge, queries).release(cargo, "4860.000");
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(recording, "VN-NSW", cargo.reference(), "<State>RELEASED</State>"));
        Thread.sleep(1500); // let the last deliveries land in the recording

        Path fixture = Path.of("target", "replay-fixtures", UUID.randomUUID().toString());
        FixtureExtract.extract(recording, Set.of(cargo.reference(), cargo.plate(), unit), fixture);
        assertEquals(5, Files.readAllLines(fixture.resolve("inbound.txt")).size(), "declaration, 2 gate events, 2 confirmations");

        Replayer replay = new Replayer(fixture, hub, recording);
        assertEquals(0, replay.run(), String.join("\n", replay.report()));

        Path rules = TestRules.DIR.resolve("agency-selection.yaml");
        String original = Files.readString(rules);
        try {
            Files.writeString(rules, original + """

                      - id: test-replay-health-check
                        agency: VN-HEALTH-QUARANTINE
                        why: added by the replay test to change the outcome
                        when: "true()"
                    """);
            Files.setLastModifiedTime(rules, FileTime.from(Instant.now().plusSeconds(60)));
            Thread.sleep(1500);

            // the documented command, as a process: java ... Replayer FIXTURE HUB_URL RECORDING
            Process replayer = new ProcessBuilder(HubProcess.JAVA,
                    "-cp", System.getProperty("java.class.path"), Replayer.class.getName(), fixture.toString(),
                    hub.toString(), recording.toString()).redirectErrorStream(true)
                    .redirectOutput(new File("target/replay-changed-rule.txt")).start();
            assertTrue(replayer.waitFor(120, TimeUnit.SECONDS), "the replayer did not finish");
            String report = Files.readString(Path.of("target/replay-changed-rule.txt"), StandardCharsets.UTF_8);
            assertEquals(1, replayer.exitValue(), report);
            assertTrue(report.contains("VN-HEALTH-QUARANTINE"), report);
        } finally {
            Files.writeString(rules, original);
            Files.setLastModifiedTime(rules, FileTime.from(Instant.now().plusSeconds(120)));
        }
    }

    private static boolean delivered(Path recording, String party, String... texts) throws Exception {
        Path folder = recording.resolve("outbound").resolve(party);
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String xml = Files.readString(file, StandardCharsets.UTF_8);
                if (List.of(texts).stream().allMatch(xml::contains)) {
                    return true;
                }
            }
        }
        return false;
    }
}
