package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ErrorCodeDocumentationTest {

    @Test
    void everyRejectionCodeIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/error-codes.md"));
        for (RejectionCode code : RejectionCode.values()) {
            assertTrue(doc.contains("| `" + code.name() + "` |"), code + " is missing from docs/error-codes.md");
        }
    }

    @Test
    void everyWorkflowOutcomeIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/error-codes.md"));
        for (vn.huunghi.hub.workflow.WorkflowOutcome outcome : vn.huunghi.hub.workflow.WorkflowOutcome.values()) {
            assertTrue(doc.contains("| `" + outcome.name() + "` |"), outcome + " is missing from docs/error-codes.md");
        }
    }

    @Test
    void everyEquipmentWebhookCodeIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/error-codes.md"));
        for (vn.huunghi.hub.equipment.EquipmentPayloadRejected.Code code
                : vn.huunghi.hub.equipment.EquipmentPayloadRejected.Code.values()) {
            assertTrue(doc.contains("| `" + code.name() + "` |"), code + " is missing from docs/error-codes.md");
        }
    }

    @Test
    void everyOperatorApiCodeIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/error-codes.md"));
        for (vn.huunghi.hub.ops.OperatorApiProblem code : vn.huunghi.hub.ops.OperatorApiProblem.values()) {
            assertTrue(doc.contains("| `" + code.name() + "` |"), code + " is missing from docs/error-codes.md");
        }
    }

    @Test
    void everyEquipmentAlarmKindIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/error-codes.md"));
        String alarms = doc.substring(doc.indexOf("## Equipment alarms"), doc.indexOf("\n## ", doc.indexOf("## Equipment alarms")));
        for (vn.huunghi.hub.equipment.EquipmentAlarms.Kind kind
                : vn.huunghi.hub.equipment.EquipmentAlarms.Kind.values()) {
            assertTrue(alarms.contains("`" + kind.name() + "`"), kind + " is missing from the equipment alarms in docs/error-codes.md");
        }
    }
}
