package vn.huunghi.hub.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went, second by second: each hub's threads by name, PostgreSQL's
 * processes by role, the generator's threads (with its stub partners), and the rest of the machine.
 * A run at 80 % of the peak had some task waiting for a core in 870 ms of every second, and its
 * slowest seconds more (docs/performance.md, session 23): which part took the cores then is what
 * this answers. Every second goes to the CSV file -Dbench.cpu names, if it does.
 */
final class CpuByPart implements AutoCloseable {

    private static final long MILLIS_PER_TICK = 10; // USER_HZ is 100 on Linux
    private static final String OTHER = "other (the rest of the machine)";

    private final List<Long> hubPids;
    private final long ownPid = ProcessHandle.current().pid();
    private final Map<String, Long> lastTicks = new HashMap<>(); // by "pid/tid"
    private final Map<Long, String> roles = new HashMap<>(); // by pid: PostgreSQL's role, "" for another program
    private final Map<String, Long> totalTicks = new ConcurrentHashMap<>(); // by part, since the start
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cpu-by-part");
        thread.setDaemon(true);
        return thread;
    });
    private final BufferedWriter csv;
    private long lastMachineTicks = -1;

    CpuByPart(List<Long> hubPids) throws IOException {
        this.hubPids = hubPids;
        String path = System.getProperty("bench.cpu");
        csv = path == null ? null : Files.newBufferedWriter(Path.of(path), StandardCharsets.UTF_8);
        if (csv != null) {
            csv.write("epoch_ms,part,cpu_ms\n");
        }
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    /** CPU ticks by part since the start: two of these apart give a run's share. */
    Map<String, Long> totals() {
        return Map.copyOf(totalTicks);
    }

    /** Milliseconds of CPU per document by part between two totals, largest first, the parts over {@code floorMs}. */
    static String perDocument(Map<String, Long> before, Map<String, Long> after, long documents, double floorMs) {
        Map<String, Double> perDocument = new TreeMap<>();
        after.forEach((part, ticks) -> perDocument.put(part,
                (ticks - before.getOrDefault(part, 0L)) * MILLIS_PER_TICK / (double) Math.max(1, documents)));
        return perDocument.entrySet().stream().filter(part -> part.getValue() >= floorMs)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(part -> String.format(Locale.ROOT, "%s=%.2f", part.getKey().replace(' ', '_'), part.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** The parts' totals summed by process: "hub-1", "postgres", "generator", "other". */
    static Map<String, Long> byProcess(Map<String, Long> totals) {
        return totals.entrySet().stream().collect(Collectors.groupingBy(part -> part.getKey().split(" ", 2)[0],
                TreeMap::new, Collectors.summingLong(Map.Entry::getValue)));
    }

    private void sample() {
        try {
            boolean first = lastMachineTicks < 0;
            Map<String, Long> second = new TreeMap<>();
            for (int i = 0; i < hubPids.size(); i++) {
                String process = "hub-" + (i + 1);
                threads(hubPids.get(i), comm -> process + " " + threadGroup(comm), second);
            }
            threads(ownPid, comm -> "generator " + threadGroup(comm), second);
            postgres(second);
            long machine = machineBusyTicks();
            if (!first) {
                long parts = second.values().stream().mapToLong(Long::longValue).sum();
                second.put(OTHER, Math.max(0, machine - lastMachineTicks - parts));
                long now = System.currentTimeMillis();
                for (Map.Entry<String, Long> part : second.entrySet()) {
                    if (part.getValue() > 0) {
                        totalTicks.merge(part.getKey(), part.getValue(), Long::sum);
                        if (csv != null) {
                            csv.write(now + "," + part.getKey() + "," + part.getValue() * MILLIS_PER_TICK + "\n");
                        }
                    }
                }
                if (csv != null) {
                    csv.flush();
                }
            }
            lastMachineTicks = machine;
        } catch (IOException | RuntimeException e) {
            // a process that ended between listing and reading; the next second counts again
        }
    }

    /** Adds each thread's ticks since the last sample; a thread not seen before started since then. */
    private void threads(long pid, UnaryOperator<String> naming, Map<String, Long> into) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks.forEach(task -> {
                Stat stat = stat(task.resolve("stat"));
                if (stat != null) {
                    add(pid + "/" + task.getFileName(), naming.apply(stat.comm()), stat.ticks(), into);
                }
            });
        } catch (IOException | UncheckedIOException ended) {
            // the process is gone
        }
    }

    private void postgres(Map<String, Long> into) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.map(path -> path.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .forEach(name -> {
                        long pid = Long.parseLong(name);
                        String role = roles.computeIfAbsent(pid, CpuByPart::postgresRole);
                        if (!role.isEmpty()) {
                            Stat stat = stat(Path.of("/proc", name, "stat"));
                            if (stat != null) {
                                add(name, "postgres " + role, stat.ticks(), into);
                            }
                        }
                    });
        }
    }

    private void add(String key, String part, long ticks, Map<String, Long> into) {
        Long last = lastTicks.put(key, ticks);
        long delta = last == null ? (lastMachineTicks < 0 ? 0 : ticks) : ticks - last;
        if (delta > 0) {
            into.merge(part, delta, Long::sum);
        }
    }

    /** A process's or thread's name (Linux's first 15 characters of it) and CPU used, utime + stime in ticks. */
    record Stat(String comm, long ticks) {
    }

    /** The /proc stat file of a process or thread, or null if it is gone. */
    static Stat stat(Path path) {
        try {
            return parseStat(Files.readString(path));
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    // the name may hold spaces and parentheses ("Camel (camel-1) thread #3"): the fields follow the last ')'
    static Stat parseStat(String line) {
        int close = line.lastIndexOf(')');
        String[] fields = line.substring(close + 2).split(" ");
        return new Stat(line.substring(line.indexOf('(') + 1, close), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }

    /** A thread's name with its numbers folded, so that a pool's threads count as one part. */
    static String threadGroup(String comm) {
        return comm.replaceAll("[0-9]+", "#").trim();
    }

    /**
     * PostgreSQL's role for a process ("checkpointer", "autovacuum worker", "backend" for a client's
     * connection, "postmaster"), from the title it sets, or "" for another program.
     */
    static String postgresRole(long pid) {
        try {
            String comm = Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
            if (!comm.equals("postgres")) {
                return "";
            }
            String title = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
            return postgresRoleOf(title);
        } catch (IOException gone) {
            return "";
        }
    }

    static String postgresRoleOf(String title) {
        if (!title.startsWith("postgres:")) {
            return "postmaster";
        }
        String role = title.substring("postgres:".length()).trim();
        // a client's connection is titled "user database host(port) state"
        return role.contains("(") || role.split(" ").length > 3 ? "backend" : role;
    }

    private static long machineBusyTicks() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String cpu = lines.filter(line -> line.startsWith("cpu ")).findFirst().orElseThrow();
            String[] fields = cpu.trim().split(" +");
            long busy = 0;
            for (int i = 1; i <= 7 && i < fields.length; i++) { // user nice system idle iowait irq softirq (not steal)
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy;
        }
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        if (csv != null) {
            csv.close();
        }
    }
}
