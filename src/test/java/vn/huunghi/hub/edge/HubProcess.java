package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** The packaged hub (target/quarkus-app) run as its own process, as an operator runs it. */
public final class HubProcess implements AutoCloseable {

    /** The java launcher of the JVM running the tests, for every process a test starts. */
    public static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final int httpsPort;
    private final int managementPort;
    private final Process process;

    private HubProcess(Process process, int httpsPort, int managementPort) {
        this.process = process;
        this.httpsPort = httpsPort;
        this.managementPort = managementPort;
    }

    /**
     * Starts the hub with these system properties and waits until it is ready. Its log is appended to
     * target/NAME-hub.log, so that a restarted hub's follows the killed one's instead of replacing it.
     */
    public static HubProcess start(String name, List<String> properties) throws Exception {
        int https = freePort();
        int management = freePort();
        List<String> command = new ArrayList<>(List.of(JAVA,
                "-Dquarkus.http.ssl-port=" + https, "-Dquarkus.management.port=" + management, "-Dquarkus.log.level=WARN"));
        // e.g. a flight recording of the hub under an IT's load (docs/performance.md)
        String javaOptions = System.getenv("HUB_IT_JAVA_OPTS");
        if (javaOptions != null && !javaOptions.isBlank()) {
            command.addAll(List.of(javaOptions.trim().split("\\s+")));
        }
        command.addAll(properties);
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        File log = new File("target/" + name + "-hub.log");
        // each start marked, so that a run's logs are told apart from an earlier local run's in the same file
        Files.writeString(log.toPath(), "=== hub " + name + " started " + Instant.now() + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        HubProcess hub = new HubProcess(process, https, management);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> hub.ready() || !process.isAlive());
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub " + name + " stopped: see target/" + name + "-hub.log");
            }
        } catch (RuntimeException notReady) {
            process.destroyForcibly();
            throw notReady;
        }
        return hub;
    }

    public URL url(String path) throws Exception {
        return new URL("https://localhost:" + httpsPort + path);
    }

    public boolean ready() {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(
                    "http://127.0.0.1:" + managementPort + "/q/health/ready").openConnection();
            return connection.getResponseCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    /** The hub's metrics in the Prometheus text format. */
    public String metrics() throws Exception {
        try (var in = new URL("http://127.0.0.1:" + managementPort + "/q/metrics").openStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no lease released. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /**
     * A port to give a hub or broker to listen on, below Linux's ephemeral range (32768-60999): a port
     * found free inside it can become the local end of any outgoing connection before the process
     * binds it (CI once saw a hub refuse to start so, with another hub under load beside it).
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    public static void deleteRecursively(Path root) throws Exception {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
