package vn.huunghi.hub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How often the machine and each process switched threads: a document paced costs more CPU than one at
 * the peak (docs/performance.md, session 24), and a thread woken for each document, where at the peak
 * it would find the next one waiting, is one candidate; a thread pushed off its core (involuntary) is
 * the sign of cores too few.
 */
final class ContextSwitches {

    static final String MACHINE = "machine";

    private ContextSwitches() {
    }

    /** The counts since boot: the machine's, and each process's threads' by kind ("hub-1 voluntary", ...). */
    static Map<String, Long> snapshot(List<Long> hubPids) {
        Map<String, Long> counts = new TreeMap<>();
        counts.put(MACHINE, machine());
        for (int i = 0; i < hubPids.size(); i++) {
            addThreads(hubPids.get(i), "hub-" + (i + 1), true, counts);
        }
        addThreads(ProcessHandle.current().pid(), "generator", false, counts);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.map(path -> path.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .filter(name -> !CpuByPart.postgresRole(Long.parseLong(name)).isEmpty())
                    .forEach(name -> addThreads(Long.parseLong(name), "postgres", false, counts));
        } catch (IOException | RuntimeException gone) {
            // a process that ended while listed; its switches are missing from this snapshot
        }
        return counts;
    }

    /** Switches per document between two snapshots: "machine=41.2 hub-1=20.1+3.2 ...", voluntary + involuntary. */
    static String perDocument(Map<String, Long> before, Map<String, Long> after, long documents) {
        double n = Math.max(1, documents);
        Map<String, String> parts = new TreeMap<>();
        parts.put(MACHINE, String.format(Locale.ROOT, "%.1f", delta(before, after, MACHINE) / n));
        after.keySet().stream().filter(key -> key.endsWith(" voluntary")).map(key -> key.substring(0, key.indexOf(' ')))
                .forEach(process -> parts.put(process, String.format(Locale.ROOT, "%.1f+%.1f",
                        delta(before, after, process + " voluntary") / n, delta(before, after, process + " involuntary") / n)));
        return parts.entrySet().stream().map(part -> part.getKey() + "=" + part.getValue()).collect(Collectors.joining(" "));
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        return Math.max(0, after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L));
    }

    /** The thread groups' voluntary switches per document, the largest first, those over {@code floor}. */
    static String perDocumentByPart(Map<String, Long> before, Map<String, Long> after, long documents, double floor) {
        double n = Math.max(1, documents);
        return after.keySet().stream().filter(key -> key.endsWith("|voluntary"))
                .map(key -> Map.entry(key.substring(0, key.indexOf('|')), delta(before, after, key) / n))
                .filter(part -> part.getValue() >= floor)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(part -> String.format(Locale.ROOT, "%s=%.1f", part.getKey().replace(' ', '_'), part.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** Adds the process's threads' switches; by thread group too ("hub-1 executor-thread-#|voluntary"), which pool wakes. */
    private static void addThreads(long pid, String process, boolean byPart, Map<String, Long> into) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks.forEach(task -> {
                try {
                    String status = Files.readString(task.resolve("status"));
                    long[] switches = parseStatus(status);
                    into.merge(process + " voluntary", switches[0], Long::sum);
                    into.merge(process + " involuntary", switches[1], Long::sum);
                    if (byPart) {
                        // the status file's first line: "Name:\t<the thread's name>"
                        String part = process + " " + CpuByPart.threadGroup(status.substring(status.indexOf(':') + 1, status.indexOf('\n')));
                        into.merge(part + "|voluntary", switches[0], Long::sum);
                        into.merge(part + "|involuntary", switches[1], Long::sum);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while listed
                }
            });
        } catch (IOException | RuntimeException gone) {
            // the process is gone
        }
    }

    /** voluntary_ctxt_switches and nonvoluntary_ctxt_switches of a /proc status file. */
    static long[] parseStatus(String status) {
        long[] switches = new long[2];
        for (String line : status.split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                switches[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                switches[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return switches;
    }

    private static long machine() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            return lines.filter(line -> line.startsWith("ctxt ")).mapToLong(line -> Long.parseLong(line.substring(5).trim()))
                    .findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
