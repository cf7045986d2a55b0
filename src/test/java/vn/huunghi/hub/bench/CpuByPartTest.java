package vn.huunghi.hub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuByPartTest {

    @Test
    void namesPostgreSqlProcessesByTheRoleInTheirTitle() {
        assertEquals("checkpointer", CpuByPart.postgresRoleOf("postgres: checkpointer "));
        assertEquals("autovacuum worker", CpuByPart.postgresRoleOf("postgres: autovacuum worker"));
        assertEquals("walwriter", CpuByPart.postgresRoleOf("postgres: walwriter"));
        assertEquals("backend", CpuByPart.postgresRoleOf("postgres: postgres postgres 127.0.0.1(43122) idle"));
        assertEquals("backend", CpuByPart.postgresRoleOf("postgres: postgres postgres 127.0.0.1(43122) UPDATE waiting"));
        assertEquals("postmaster", CpuByPart.postgresRoleOf("/tmp/embedded-pg/bin/postgres -D /data -p 5432"));
    }

    @Test
    void readsTheNameAndCpuOfAThreadWhoseNameHoldsSpacesAndParentheses() {
        // /proc/<pid>/task/<tid>/stat: pid (comm) state, then utime and stime as the 14th and 15th fields
        CpuByPart.Stat stat = CpuByPart.parseStat(
                "4242 (Camel (camel-1) ) S 4200 4200 4200 0 -1 4194368 2171 0 0 0 731 58 0 0 20 0 1 0 9001 0 0");
        assertEquals("Camel (camel-1) ", stat.comm());
        assertEquals(731 + 58, stat.ticks());
    }

    @Test
    void foldsAPoolsThreadsIntoOnePart() {
        assertEquals("executor-thread-#", CpuByPart.threadGroup("executor-thread-12"));
        assertEquals("C# CompilerThre", CpuByPart.threadGroup("C2 CompilerThre"));
    }

    @Test
    void givesEachPartsMillisecondsPerDocumentLargestFirst() {
        Map<String, Long> before = Map.of("hub-1 executor-thread-#", 100L, "postgres backend", 50L);
        Map<String, Long> after = Map.of("hub-1 executor-thread-#", 300L, "postgres backend", 450L, "generator load-#", 1L);
        // ticks of 10 ms over 1,000 documents; the generator's 0.01 ms is under the floor
        assertEquals("postgres_backend=4.00 hub-1_executor-thread-#=2.00",
                CpuByPart.perDocument(before, after, 1000, 0.05));
        assertEquals(Map.of("hub-1", 300L, "postgres", 450L, "generator", 1L), CpuByPart.byProcess(after));
    }
}
