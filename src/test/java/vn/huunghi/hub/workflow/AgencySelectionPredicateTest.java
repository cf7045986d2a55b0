package vn.huunghi.hub.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.PartnerDocuments;

class AgencySelectionPredicateTest {

    static final String PLANT_PRODUCTS =
            "//h:GoodsItem[number(substring(h:HsCode, 1, 2)) >= 6 and number(substring(h:HsCode, 1, 2)) <= 14]";

    @Test
    void aPredicateSeesTheCatalogNamespaceAsPrefixH() {
        AgencySelection.Predicate plantProducts = new AgencySelection.Predicate(PLANT_PRODUCTS);
        assertEquals(true, plantProducts.matches(PartnerDocuments.fresh("CargoPreDeclaration-dragon-fruit-export")));
        assertEquals(false, plantProducts.matches(PartnerDocuments.fresh("CargoPreDeclaration-ic-import")));
    }

    @Test
    void aRuleThatIsNotXPathFailsWhenTheFileIsRead() {
        assertThrows(IllegalArgumentException.class, () -> new AgencySelection.Predicate("//h:GoodsItem[["));
    }

    @Test
    void aRuleMayNameOnlyTheCatalogPrefixTheCoreFunctionsAndNoVariable() {
        assertRefused("//h:GoodsItem[document('file:///etc/passwd')]", "not an XPath 1.0 core function: document()");
        assertRefused("upper-case(//h:CustomsChannel) = 'RED'", "not an XPath 1.0 core function: upper-case()");
        assertRefused("//h:GoodsItem[h:HsCode = $code]", "a rule has no variables: $code");
        assertRefused("//x:GoodsItem", "unknown prefix x:");
    }

    private static void assertRefused(String expression, String because) {
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> new AgencySelection.Predicate(expression));
        assertTrue(refused.getMessage().startsWith(because), refused.getMessage());
    }

    /**
     * The JDK's evaluator allocated about 300 KB per evaluation (a fresh context, two variable
     * stacks and a DTM copy of the DOM each time): with ten rules, 3 MB per pre-declaration and a
     * fifth of all the hub allocated (docs/performance.md).
     */
    @Test
    void anEvaluationAllocatesTensOfKilobytesNotHundreds() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AgencySelection.Predicate plantProducts = new AgencySelection.Predicate(PLANT_PRODUCTS);
        Document fruit = PartnerDocuments.fresh("CargoPreDeclaration-dragon-fruit-export");
        for (int i = 0; i < 200; i++) {
            plantProducts.matches(fruit);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        int evaluations = 1000;
        for (int i = 0; i < evaluations; i++) {
            assertTrue(plantProducts.matches(fruit));
        }
        long perEvaluation = (threads.getThreadAllocatedBytes(thread) - before) / evaluations;
        assertTrue(perEvaluation < 128 * 1024, perEvaluation + " bytes allocated per evaluation");
    }

    @Test
    void onePredicateAnswersRightlyOnManyThreadsAtOnce() throws Exception {
        AgencySelection.Predicate plantProducts = new AgencySelection.Predicate(PLANT_PRODUCTS);
        byte[] fruit = XmlSigner.serialize(PartnerDocuments.fresh("CargoPreDeclaration-dragon-fruit-export"));
        byte[] chips = XmlSigner.serialize(PartnerDocuments.fresh("CargoPreDeclaration-ic-import"));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                boolean even = i % 2 == 0;
                answers.add(threads.submit(() -> {
                    return plantProducts.matches(HubDocuments.parse(even ? fruit : chips)) == even;
                }));
            }
            for (Future<Boolean> answer : answers) {
                assertEquals(true, answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
