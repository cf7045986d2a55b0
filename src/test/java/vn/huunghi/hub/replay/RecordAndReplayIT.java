package vn.huunghi.hub.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.edge.HubProcess;

/**
 * The recorder and the replayer on packaged hubs, as an operator and a tester use them: a fresh
 * hub records a scenario; another fresh hub replays that recording with no difference; after one
 * rule changes there, the replay command reports the difference and exits non-zero. The library's
 * partner outage replays on the packaged hub's own stub partners.
 */
class RecordAndReplayIT {

    private final Path root = Path.of("target", "record-replay-it").toAbsolutePath();

    @Test
    void aRecordingReplaysCleanOnAFreshHubAndAChangedRuleFailsTheReplay() throws Exception {
        HubProcess.deleteRecursively(root);
        Path recording = root.resolve("a/recordings");
        try (HubProcess recorder = start("record-a", root.resolve("a"), recording)) {
            // the traffic of a scenario, sent to a hub that records it
            Replayer scenario = new Replayer(Path.of("src/test/resources/fixtures/scenarios/ic-import-from-china"),
                    recorder.url("/"), recording);
            assertEquals(0, scenario.run(), String.join("\n", scenario.report()));
            Thread.sleep(2000);
        }
        assertEquals(5, Files.readAllLines(recording.resolve("inbound.txt")).size());

        Path rules = root.resolve("b/rules");
        Files.createDirectories(rules);
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/rules"))) {
            for (Path file : files.toList()) {
                Files.copy(file, rules.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path replayed = root.resolve("b/recordings");
        try (HubProcess fresh = start("replay-b", root.resolve("b"), replayed, "-Dhub.rules.dir=" + rules)) {
            Replayer replay = new Replayer(recording, fresh.url("/"), replayed);
            assertEquals(0, replay.run(), String.join("\n", replay.report()));
            // the library's outage, on the stub partners of the packaged hub (profile stub-partners)
            Replayer outage = new Replayer(Path.of("src/test/resources/fixtures/scenarios/partner-outage"),
                    fresh.url("/"), replayed);
            assertEquals(0, outage.run(), String.join("\n", outage.report()));
            assertTrue(String.join("\n", outage.report()).contains("refused 3 deliveries"), String.join("\n", outage.report()));

            Path selection = rules.resolve("agency-selection.yaml");
            Files.writeString(selection, Files.readString(selection) + """

                      - id: it-health-check-everything
                        agency: VN-HEALTH-QUARANTINE
                        why: added by the record-and-replay test
                        when: "true()"
                    """);
            Files.setLastModifiedTime(selection, FileTime.from(Instant.now().plusSeconds(5)));
            Thread.sleep(2000);

            Process command = new ProcessBuilder(HubProcess.JAVA,
                    "-cp", System.getProperty("java.class.path"), Replayer.class.getName(), recording.toString(),
                    fresh.url("/").toString(), replayed.toString()).redirectErrorStream(true)
                    .redirectOutput(new File("target/record-replay-it-changed-rule.txt")).start();
            assertTrue(command.waitFor(120, TimeUnit.SECONDS));
            String report = Files.readString(Path.of("target/record-replay-it-changed-rule.txt"), StandardCharsets.UTF_8);
            assertEquals(1, command.exitValue(), report);
            assertTrue(report.contains("VN-HEALTH-QUARANTINE"), report);
        }
    }

    private static HubProcess start(String name, Path dataDir, Path recording, String... more) throws Exception {
        List<String> properties = new java.util.ArrayList<>(List.of(
                "-Dquarkus.profile=stub-partners",
                "-Dhub.data-dir=" + dataDir,
                "-Dhub.recorder.dir=" + recording,
                "-Dhub.broker.tcp-port=" + HubProcess.freePort(),
                "-Dhub.broker.mqtt-port=" + HubProcess.freePort()));
        properties.addAll(List.of(more));
        return HubProcess.start(name, properties);
    }
}
