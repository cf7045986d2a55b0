package vn.huunghi.hub.edge;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import vn.huunghi.hub.ops.StubPartnerServer;

/**
 * Runs the stub partners (a real HTTPS server with mutual TLS, verifying like a real partner) for
 * the test hub, and points every partner endpoint at it.
 */
public class StubPartners implements QuarkusTestResourceLifecycleManager {

    private static StubPartnerServer server;

    @Override
    public Map<String, String> start() {
        try {
            if (server == null) {
                server = new StubPartnerServer(PartnerDocuments.DEV_KEYS, 0);
            }
            return server.endpointSettings();
        } catch (Exception e) {
            throw new IllegalStateException("stub partners did not start", e);
        }
    }

    @Override
    public void stop() {
    }

    public static List<String> received(String party) {
        return server.received(party);
    }

    /** Deliveries of a messageId the partners had already received (answered with the first receipt). */
    public static int repeats() {
        return server.repeats();
    }

    public static List<String> problems() {
        return server.problems();
    }

    /** Where the stub partners listen, with their control calls (a replay takes a partner down there). */
    public static java.net.URL url() {
        try {
            return new java.net.URL("https://localhost:" + server.port() + "/");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static StubPartnerServer.Outage outage(String party) {
        return server.outage(party);
    }

    public static void failNext(String party, int requests) {
        server.failNext(party, requests);
    }

    public static void rejectNext(String party, int documents) {
        server.rejectNext(party, documents);
    }

    public static java.util.Optional<byte[]> answerTo(String messageId) {
        return server.answerTo(messageId);
    }

    public static List<String> rejected(String party) {
        return server.rejected(party);
    }
}
