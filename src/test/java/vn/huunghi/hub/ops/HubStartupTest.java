package vn.huunghi.hub.ops;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.broker.EmbeddedBroker;

@QuarkusTest
class HubStartupTest {

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Inject
    EmbeddedBroker broker;

    @Test
    void readinessIsUpWithBrokerAndDatabase() {
        // not ready while Camel still starts its routes (the equipment's MQTT consumers), which can
        // outlast the start of the first test in a run
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get(readiness).then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("broker")));
    }

    @Test
    void metricsEndpointAnswersInPrometheusFormat() {
        given().when().get(metrics).then()
                .statusCode(200)
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
    }

    @Inject
    javax.sql.DataSource dataSource;

    @Test
    void theDatabaseIsTheOneThisRunAskedFor() throws Exception {
        String expected = "postgresql".equals(System.getProperty("test.database")) ? "PostgreSQL" : "H2";
        try (java.sql.Connection connection = dataSource.getConnection()) {
            org.junit.jupiter.api.Assertions.assertEquals(expected, connection.getMetaData().getDatabaseProductName());
        }
    }

    @Test
    void embeddedBrokerKeepsAPersistentJournalInTheDataFolder() {
        assertTrue(broker.isActive());
        assertTrue(Files.isDirectory(broker.journalRoot().resolve("journal")));
    }

    @Inject
    vn.huunghi.hub.HubConfig config;

    @Test
    void theEmbeddedBrokersJournalWaitsForMoreWritesOnlyAsLongAsConfiguredBeforeItsFsync() {
        long configured = java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(config.broker().journalBufferTimeoutMicros());
        assertEquals(configured, broker.journalBufferTimeoutNanos());
        assertTrue(configured < ActiveMQDefaultConfiguration.getDefaultJournalBufferTimeoutNio(),
                "shorter than Artemis's default for slow disks, which every durable send and commit waited for");
    }
}
