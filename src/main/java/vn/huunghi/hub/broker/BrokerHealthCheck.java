package vn.huunghi.hub.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while a JMS connection to the broker can be opened. */
@Readiness
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {

    private final ConnectionFactory connectionFactory;

    BrokerHealthCheck(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    public HealthCheckResponse call() {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            return HealthCheckResponse.named("broker").up().build();
        } catch (Exception e) {
            return HealthCheckResponse.named("broker").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
