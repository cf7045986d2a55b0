package vn.huunghi.hub.ops;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.crypto.HubKeys;

/**
 * Readiness of the hub's key store and trust store: both readable, no certificate expired. A
 * certificate expiring within 30 days is a warning (still UP, named in the check's data).
 */
@Readiness
@ApplicationScoped
public class KeyStoreHealthCheck implements HealthCheck {

    static final Duration WARN_BEFORE = Duration.ofDays(30);

    private final HubConfig.Crypto crypto;
    private final Clock clock;
    private final HubKeys keys;

    KeyStoreHealthCheck(HubConfig config, HubKeys keys, Clock clock) {
        this.crypto = config.crypto();
        this.clock = clock;
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("key-stores").withData("provider", keys.provider());
        List<String> expired = new ArrayList<>();
        List<String> expiring = new ArrayList<>();
        try {
            check("keystore", crypto.keystore(), crypto.keystorePassword(), expired, expiring);
            check("truststore", crypto.truststore(), crypto.truststorePassword(), expired, expiring);
        } catch (Exception e) {
            return response.down().withData("error", "a key store cannot be read: " + e.getMessage()).build();
        }
        if (!expiring.isEmpty()) {
            response.withData("warning", "expiring within " + WARN_BEFORE.toDays() + " days: " + String.join(", ", expiring));
        }
        if (!expired.isEmpty()) {
            return response.down().withData("error", "expired: " + String.join(", ", expired)).build();
        }
        return response.up().build();
    }

    private void check(String store, Path file, String password, List<String> expired, List<String> expiring)
            throws Exception {
        KeyStore keys = HubKeys.load(file, password);
        Instant now = clock.instant();
        for (String alias : Collections.list(keys.aliases())) {
            Certificate certificate = keys.getCertificate(alias);
            if (certificate instanceof X509Certificate x509) {
                Instant notAfter = x509.getNotAfter().toInstant();
                String name = store + ":" + alias + " (" + notAfter + ")";
                if (notAfter.isBefore(now)) {
                    expired.add(name);
                } else if (notAfter.isBefore(now.plus(WARN_BEFORE))) {
                    expiring.add(name);
                }
            }
        }
    }
}
