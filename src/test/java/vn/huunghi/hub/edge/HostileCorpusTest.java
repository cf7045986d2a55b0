package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's hostile input: a generated corpus of more than 500 mutated and malicious requests is
 * sent to the partner edge, a valid pre-declaration after every tenth. Each hostile request gets a
 * receipt REJECTED with a code that names its cause, the hub never stops answering, and every
 * valid document sent in between is accepted.
 */
@QuarkusTest
@QuarkusTestResource(TestPki.class)
class HostileCorpusTest {

    static final long SEED = 20261123L;

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Test
    void everyHostileRequestIsRefusedWithItsCauseAndEveryValidOneBetweenIsAccepted() {
        List<HostileCorpus.Case> corpus = HostileCorpus.generate(SEED);
        assertTrue(corpus.size() >= 500, "corpus of " + corpus.size());
        PartnerClient nsw = new PartnerClient(edge, HostileCorpus.NSW);
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> byCode = new TreeMap<>();
        int valid = 0;
        for (int i = 0; i < corpus.size(); i++) {
            HostileCorpus.Case hostile = corpus.get(i);
            PartnerClient.Receipt receipt;
            try {
                receipt = nsw.post(hostile.request().get());
            } catch (RuntimeException e) {
                wrong.add(hostile.name() + ": no receipt: " + e.getMessage());
                continue;
            }
            String code = receipt.errorCodes().isEmpty() ? "(none)" : receipt.errorCodes().get(0);
            byCode.merge(code, 1, Integer::sum);
            boolean named = "REJECTED".equals(receipt.verdict())
                    && hostile.causes().stream().anyMatch(cause -> cause.name().equals(code));
            if (!named) {
                wrong.add(hostile.name() + ": expected REJECTED " + hostile.causes() + " but got " + receipt.verdict() + " " + code);
            }
            if (i % 10 == 9) {
                PartnerClient.Receipt accepted = nsw.post(HostileCorpus.valid());
                assertEquals("ACCEPTED", accepted.verdict(), "the valid document after " + hostile.name() + ": " + accepted);
                valid++;
            }
        }
        assertEquals(List.of(), wrong, "codes seen: " + byCode);
        assertTrue(valid >= 50, valid + " valid documents sent between");
    }
}
