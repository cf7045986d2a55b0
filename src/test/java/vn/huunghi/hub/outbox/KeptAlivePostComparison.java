package vn.huunghi.hub.outbox;

import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.ops.StubPartnerServer;

/**
 * One delivery after another on a kept-alive HTTPS connection to a partner on this machine: the delivery
 * client as it posts (buffered) against a streamed POST, as it posted until session 36
 * (docs/performance.md). Not a test; run by hand: {@code java -cp ... vn.huunghi.hub.outbox.KeptAlivePostComparison 2000}.
 */
public final class KeptAlivePostComparison {

    private static final Path DEV = Path.of("certs-dev/out");

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // as the stub partners answer
        int posts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        HttpsServer partner = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        partner.setHttpsConfigurator(StubPartnerServer.clientCertificateRequired(tls("vn-customs.p12")));
        byte[] receipt = new byte[3_400]; // about a signed receipt in its envelope
        partner.createContext("/deliveries", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, receipt.length);
                exchange.getResponseBody().write(receipt);
            }
        });
        partner.start();
        try {
            SSLContext hub = tls("hub.p12");
            PartnerDeliveryClient client = new PartnerDeliveryClient(hub);
            SSLSocketFactory streamedTls = hub.getSocketFactory();
            String endpoint = "https://localhost:" + partner.getAddress().getPort() + "/deliveries";
            byte[] document = new byte[9_000]; // about a signed status in its envelope
            for (int round = 1; round <= 3; round++) {
                measure(round, "streamed", posts, () -> streamed(endpoint, streamedTls, document));
                measure(round, "buffered", posts, () -> client.post(endpoint, document));
            }
        } finally {
            partner.stop(0);
        }
    }

    private interface Post {
        void send() throws IOException;
    }

    private static void measure(int round, String how, int posts, Post post) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] nanos = new long[posts];
        long cpuBefore = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < posts; i++) {
            long start = System.nanoTime();
            post.send();
            nanos[i] = System.nanoTime() - start;
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "round %d %s: median %.3f ms, p90 %.3f ms, posting thread's CPU %.0f us per post%n",
                round, how, nanos[posts / 2] / 1e6, nanos[posts * 9 / 10] / 1e6, cpu / 1e3 / posts);
    }

    private static void streamed(String endpoint, SSLSocketFactory tls, byte[] document) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint).toURL().openConnection();
        ((HttpsURLConnection) connection).setSSLSocketFactory(tls);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(document.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(document);
        }
        if (connection.getResponseCode() != 200) {
            throw new IOException("HTTP " + connection.getResponseCode());
        }
        try (InputStream in = connection.getInputStream()) {
            in.readAllBytes();
        }
    }

    private static SSLContext tls(String keystore) throws Exception {
        return HubKeys.tls(DEV.resolve(keystore), "changeit", DEV.resolve("truststore.p12"), "changeit");
    }
}
