package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Duration;
import org.w3c.dom.Document;
import vn.huunghi.hub.workflow.CargoUnitQueries;

/** A cargo unit taken along the workflow through the real edge, step by step, as the partners would. */
public final class TestFlow {

    private final URL edge;
    private final CargoUnitQueries queries;

    public TestFlow(URL edge, CargoUnitQueries queries) {
        this.edge = edge;
        this.queries = queries;
    }

    /** Signs the document as the dev party and submits it; it must be accepted. */
    public void submit(Document document, String party) {
        PartnerClient.Receipt receipt = new PartnerClient(edge, party).submit(PartnerDocuments.sign(document, party));
        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
    }

    /** Declares the cargo and returns its cargo unit id once the workflow created it. */
    public String declare(TestCargo cargo) {
        submit(cargo.document(), "vn-nsw");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.byDeclarationReference(cargo.reference()).isPresent());
        return queries.byDeclarationReference(cargo.reference()).orElseThrow().id();
    }

    /** Reads the plate at ENTRY-1 and weighs the declared mass: the cargo unit then awaits its confirmations. */
    public void arriveAndWeigh(TestCargo cargo, String unit, String kilograms) {
        submit(TestMessages.entryRead(cargo.plate(), Character.isDigit(cargo.plate().charAt(0)) ? "VN" : "CN"),
                "equipment-gateway");
        awaitState(unit, "ARRIVED");
        submit(TestMessages.weighed(unit, kilograms), "equipment-gateway");
        awaitState(unit, "AWAITING_CONFIRMATIONS");
    }

    /** Every required agency approves, except the border guard, which decides as told. */
    public void confirmAll(TestCargo cargo, String unit, String borderGuardDecision) {
        for (String agency : queries.byId(unit).orElseThrow().requiredAgencies().keySet()) {
            submit(TestMessages.confirmation(unit, cargo.reference(), agency,
                    agency.equals("VN-BORDER-GUARD") ? borderGuardDecision : "APPROVED"), agency.toLowerCase());
        }
    }

    /** Declared, arrived, weighed and approved by every required agency: released. */
    public String release(TestCargo cargo, String kilograms) {
        String unit = declare(cargo);
        arriveAndWeigh(cargo, unit, kilograms);
        confirmAll(cargo, unit, "APPROVED");
        awaitState(unit, "RELEASED");
        return unit;
    }

    public void awaitState(String unit, String state) {
        await().atMost(Duration.ofSeconds(10)).until(() -> state(unit).equals(state));
    }

    public String state(String unit) {
        return queries.byId(unit).orElseThrow().state();
    }
}
