package vn.huunghi.hub.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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
