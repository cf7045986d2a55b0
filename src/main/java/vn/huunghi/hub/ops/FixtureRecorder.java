package vn.huunghi.hub.ops;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;

/**
 * Records a running hub's traffic as a fixture folder (hub.recorder.dir), in the layout the
 * tests and the replayer read (docs/fixtures.md): every inbound document as the partner sent
 * it, with the verdict of its receipt, and every outbound document as delivered, per partner.
 */
@ApplicationScoped
public class FixtureRecorder {

    private static final Logger LOG = Logger.getLogger(FixtureRecorder.class);

    private final Optional<Path> dir;
    private final AtomicLong inboundSequence = new AtomicLong();
    private final AtomicLong outboundSequence = new AtomicLong();

    FixtureRecorder(HubConfig config) throws IOException {
        this.dir = config.recorder().dir().map(Path::toAbsolutePath);
        if (dir.isPresent()) {
            Files.createDirectories(dir.get().resolve("inbound"));
            Files.createDirectories(dir.get().resolve("outbound"));
            inboundSequence.set(count(dir.get().resolve("inbound")));
            outboundSequence.set(countAll(dir.get().resolve("outbound")));
            LOG.warnf("recording every inbound and outbound message to %s (hub.recorder.dir)", dir.get());
        }
    }

    public boolean recording() {
        return dir.isPresent();
    }

    /**
     * An inbound document as received, and the verdict the hub gave it (ACCEPTED, DUPLICATE,
     * REJECTED CODE; for an MQTT event, the workflow outcome). A type with an extension (e.g.
     * ESealEvent.json) keeps it; catalog documents are .xml.
     */
    public void inbound(String sender, String messageType, byte[] document, String verdict) {
        if (dir.isEmpty()) {
            return;
        }
        String type = messageType != null && messageType.contains(".") ? messageType : safe(messageType) + ".xml";
        String name = String.format("%04d-%s-%s", inboundSequence.incrementAndGet(), safe(sender), type);
        write(dir.get().resolve("inbound").resolve(name), document);
        append(dir.get().resolve("inbound.txt"), name + " " + verdict + "\n");
    }

    /** An outbound document exactly as delivered to its partner (signed by the hub). */
    public void outbound(String party, String messageType, byte[] signed) {
        if (dir.isEmpty()) {
            return;
        }
        Path folder = dir.get().resolve("outbound").resolve(safe(party));
        write(folder.resolve(String.format("%04d-%s.xml", outboundSequence.incrementAndGet(), safe(messageType))), signed);
    }

    private static String safe(String name) {
        return name == null || name.isBlank() ? "UNKNOWN" : name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static synchronized void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            LOG.warnf("could not record %s: %s", file, e.getMessage());
        }
    }

    private static synchronized void append(Path file, String line) {
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warnf("could not record %s: %s", file, e.getMessage());
        }
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    private static long countAll(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
