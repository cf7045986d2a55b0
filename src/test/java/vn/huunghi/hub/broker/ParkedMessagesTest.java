package vn.huunghi.hub.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jms.connection.SingleConnectionFactory;

/**
 * Operator pages polling the parked messages at once share one listing from the broker, and so
 * does their failure when the broker does not answer: the broker's work does not grow with the
 * number of open pages.
 */
@QuarkusTest
class ParkedMessagesTest {

    private static final int PAGES = 20;

    @Inject
    ConnectionFactory hubConnections;

    @Test
    void pagesPollingTogetherShareOneListing() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        ParkedMessages parked = new ParkedMessages(counting(brokerItself(), connections, false), new SimpleMeterRegistry());

        List<Future<List<ParkedMessages.ParkedMessage>>> polls = pollTogether(parked);
        List<ParkedMessages.ParkedMessage> first = polls.get(0).get();
        for (Future<List<ParkedMessages.ParkedMessage>> poll : polls) {
            assertEquals(first, poll.get());
        }
        // one listing, or two if the polls straddled the end of the shared second
        assertTrue(connections.get() <= 2, PAGES + " pages polling at once made " + connections.get() + " connections");
    }

    @Test
    void pagesPollingTogetherWhileTheBrokerDoesNotAnswerShareOneFailure() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        ParkedMessages parked = new ParkedMessages(counting(brokerItself(), connections, true), new SimpleMeterRegistry());

        for (Future<List<ParkedMessages.ParkedMessage>> poll : pollTogether(parked)) {
            ExecutionException failed = assertThrows(ExecutionException.class, poll::get);
            assertTrue(failed.getCause() instanceof ParkedMessages.BrokerNotAnswering, failed.getCause()::toString);
        }
        assertTrue(connections.get() <= 2, PAGES + " pages polling at once tried " + connections.get() + " connections");
    }

    private ConnectionFactory brokerItself() {
        return hubConnections instanceof SingleConnectionFactory shared ? shared.getTargetConnectionFactory() : hubConnections;
    }

    private static List<Future<List<ParkedMessages.ParkedMessage>>> pollTogether(ParkedMessages parked) throws Exception {
        ExecutorService pages = Executors.newFixedThreadPool(PAGES);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<ParkedMessages.ParkedMessage>>> polls = new ArrayList<>();
            for (int i = 0; i < PAGES; i++) {
                polls.add(pages.submit(() -> {
                    start.await();
                    return parked.list();
                }));
            }
            start.countDown();
            for (Future<?> poll : polls) {
                try {
                    poll.get();
                } catch (ExecutionException e) {
                    // each caller's outcome is checked by the test
                }
            }
            return polls;
        } finally {
            pages.shutdownNow();
        }
    }

    /** The broker's connection factory, counting the connections asked of it; refusing each one when told to. */
    private static ConnectionFactory counting(ConnectionFactory broker, AtomicInteger connections, boolean refuse) {
        return (ConnectionFactory) Proxy.newProxyInstance(ConnectionFactory.class.getClassLoader(),
                new Class<?>[] {ConnectionFactory.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("createConnection")) {
                        connections.incrementAndGet();
                        if (refuse) {
                            Thread.sleep(200); // as a broker that is slow to refuse
                            throw new JMSException("connection refused");
                        }
                    }
                    try {
                        return method.invoke(broker, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
