package vn.huunghi.hub.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Cuts one scenario out of a hub's recording (hub.recorder.dir): the inbound and outbound
 * documents that name one of the scenario's identifiers (declaration references, plates, cargo
 * unit ids), in the fixture layout of docs/fixtures.md.
 */
public final class FixtureExtract {

    private FixtureExtract() {
    }

    public static void extract(Path recording, Set<String> identifiers, Path fixture) throws IOException {
        Files.createDirectories(fixture.resolve("inbound"));
        List<String> verdicts = new ArrayList<>();
        for (String line : Files.readAllLines(recording.resolve("inbound.txt"))) {
            String file = line.substring(0, line.indexOf(' '));
            Path document = recording.resolve("inbound").resolve(file);
            if (names(document, identifiers)) {
                Files.copy(document, fixture.resolve("inbound").resolve(file));
                verdicts.add(line);
            }
        }
        Files.write(fixture.resolve("inbound.txt"), verdicts);
        try (Stream<Path> files = Files.walk(recording.resolve("outbound"))) {
            for (Path document : files.filter(Files::isRegularFile).sorted().toList()) {
                if (names(document, identifiers)) {
                    Path target = fixture.resolve("outbound").resolve(document.getParent().getFileName()).resolve(document.getFileName());
                    Files.createDirectories(target.getParent());
                    Files.copy(document, target);
                }
            }
        }
    }

    private static boolean names(Path document, Set<String> identifiers) throws IOException {
        // what a partner sent need not be UTF-8 at all (a hostile request): decode leniently
        String xml = new String(Files.readAllBytes(document), StandardCharsets.UTF_8);
        return identifiers.stream().anyMatch(xml::contains);
    }
}
