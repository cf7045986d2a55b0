package vn.huunghi.hub.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextSwitchesTest {

    @Test
    void readsBothKindsOfSwitchFromAThreadsStatus() {
        String status = "Name:\tCamel (camel-1) \nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t1523\n"
                + "nonvoluntary_ctxt_switches:\t87\n";
        assertArrayEquals(new long[] {1523, 87}, ContextSwitches.parseStatus(status));
    }

    @Test
    void givesEachProcessesSwitchesPerDocumentVoluntaryThenInvoluntary() {
        Map<String, Long> before = Map.of("machine", 1_000L, "hub-1 voluntary", 100L, "hub-1 involuntary", 10L);
        Map<String, Long> after = Map.of("machine", 41_000L, "hub-1 voluntary", 20_100L, "hub-1 involuntary", 3_010L,
                "postgres voluntary", 5_000L, "postgres involuntary", 500L);
        assertEquals("hub-1=20.0+3.0 machine=40.0 postgres=5.0+0.5", ContextSwitches.perDocument(before, after, 1000));
    }

    @Test
    void givesEachThreadGroupsVoluntarySwitchesPerDocumentLargestFirst() {
        Map<String, Long> before = Map.of("hub-1 executor-thread-#|voluntary", 1_000L, "hub-1 activemq-buffer|voluntary", 0L);
        Map<String, Long> after = Map.of("hub-1 executor-thread-#|voluntary", 3_000L, "hub-1 activemq-buffer|voluntary", 9_500L,
                "hub-1 activemq-buffer|involuntary", 700L, "hub-1 voluntary", 99_999L);
        // 1,000 documents; the process's own total is not a thread group, and 2.0 is the floor
        assertEquals("hub-1_activemq-buffer=9.5 hub-1_executor-thread-#=2.0",
                ContextSwitches.perDocumentByPart(before, after, 1000, 2.0));
    }

    @Test
    void countsThisProcesssOwnThreads() {
        // this JVM stands in for a hub too: its threads are then counted by group as well
        Map<String, Long> snapshot = ContextSwitches.snapshot(List.of(ProcessHandle.current().pid()));
        assertTrue(snapshot.get("machine") > 0);
        assertTrue(snapshot.get("generator voluntary") > 0);
        long byGroup = snapshot.entrySet().stream().filter(entry -> entry.getKey().startsWith("hub-1 ")
                && entry.getKey().endsWith("|voluntary")).mapToLong(Map.Entry::getValue).sum();
        assertEquals(snapshot.get("hub-1 voluntary"), byGroup, "the groups' switches are the process's, read once");
        assertTrue(snapshot.containsKey("hub-1 Finalizer|voluntary"), snapshot.keySet().toString());
    }
}
