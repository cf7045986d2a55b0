package vn.huunghi.hub.ops;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import vn.huunghi.hub.HubConfig;

/**
 * Each partner endpoint's last delivery and its open dead letters, for operators. A partner that
 * is down does not make the hub unready (its messages wait on their queue), so this check is UP
 * whenever the database answers; the data says which partner to look at.
 */
@Readiness
@ApplicationScoped
public class PartnerDeliveryHealthCheck implements HealthCheck {

    /** A partner's last delivery: read through the index on (party, delivered_at), V15. */
    static final String LAST_DELIVERY = "SELECT MAX(delivered_at) FROM outbound_delivery WHERE party = ?";

    private final DataSource dataSource;
    private final Map<String, HubConfig.Partner> partners;

    PartnerDeliveryHealthCheck(DataSource dataSource, HubConfig config) {
        this.dataSource = dataSource;
        this.partners = config.partners();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("partner-deliveries");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement last = connection.prepareStatement(LAST_DELIVERY);
                PreparedStatement dead = connection.prepareStatement(
                        "SELECT COUNT(*) FROM dead_letter WHERE party = ? AND status = 'DEAD'")) {
            for (Map.Entry<String, HubConfig.Partner> partner : new java.util.TreeMap<>(partners).entrySet()) {
                if (partner.getValue().endpoint().isEmpty()) {
                    continue;
                }
                last.setString(1, partner.getKey());
                dead.setString(1, partner.getKey());
                String lastDelivery;
                try (ResultSet row = last.executeQuery()) {
                    row.next();
                    lastDelivery = row.getTimestamp(1) == null ? "never" : row.getTimestamp(1).toInstant().toString();
                }
                long deadLetters;
                try (ResultSet row = dead.executeQuery()) {
                    row.next();
                    deadLetters = row.getLong(1);
                }
                response.withData(partner.getKey(), "last delivery " + lastDelivery + ", open dead letters " + deadLetters);
            }
        } catch (Exception e) {
            return response.down().withData("error", "deliveries cannot be read: " + e.getMessage()).build();
        }
        return response.up().build();
    }
}
