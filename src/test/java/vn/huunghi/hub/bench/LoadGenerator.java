package vn.huunghi.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.crypto.CryptoProviders;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.edge.TestMessages;
import vn.huunghi.hub.ops.StubPartnerServer;

/**
 * The benchmark's load generator (scripts/benchmark): cargo units taken through a running hub's
 * real edge as the partners would, signed with the dev keys: a pre-declaration, the entry plate
 * read and the weighing from the gate, then a confirmation from each agency that received a view,
 * customs last. Its own stub partners receive what the hub delivers; latency is from sending a
 * document to the partner's receipt of the first document it caused (correlation id). Runs closed
 * loop at a concurrency (the peak), then measures the bare-crypto baseline on the same documents,
 * then runs paced at a fraction of the peak; prints one result line per figure, with each run's stages
 * (StageLatency).
 *
 * <pre>LoadGenerator HUB_URL[,HUB_URL...] STUB_PORT CONCURRENCY SECONDS PACED_FRACTION(0 = peak only) HUB_PID[,...] METRICS_URL[,...] HUB_KEYSTORE HUB_ALIAS PROVIDER JDBC_URL</pre>
 */
public final class LoadGenerator {

    private static final String[] SAMPLES = {"CargoPreDeclaration-dragon-fruit-export", "CargoPreDeclaration-ic-import"};
    // entry lanes whose weighbridges report through the equipment gateway: lanes the packaged hub has no
    // PLC for, so that it does not poll a scale that is not there (ENTRY-1's) twice a second
    private static final String[] ENTRY_LANES = {"ENTRY-2", "ENTRY-3", "ENTRY-4", "ENTRY-5"};
    private static final Map<String, String> MASS = Map.of(SAMPLES[0], "26350.000", SAMPLES[1], "4860.000");

    private final List<URL> edges;
    private final Map<String, PartnerClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> awaitedAtNsw = new ConcurrentHashMap<>();
    private final Map<String, String> unitOfCorrelation = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> viewsByUnit = new ConcurrentHashMap<>();
    // the agencies the declared status says the hub awaits (AwaitedAgency), by cargo unit
    private final Map<String, Set<String>> awaitedByUnit = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> deliveryLatenciesByKind = new ConcurrentHashMap<>();
    private final List<Long> receiptLatencies = Collections.synchronizedList(new ArrayList<>());
    private final List<byte[]> baselineDocuments = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    // why cargo units were refused or abandoned: a count alone says nothing about what to fix
    private final Map<String, Long> refusalCauses = new ConcurrentHashMap<>();
    private final AtomicLong released = new AtomicLong();
    private final AtomicBoolean measuring = new AtomicBoolean();
    private Semaphore pace;
    private CpuByPart cpu;

    private LoadGenerator(List<URL> edges) {
        this.edges = edges;
    }

    public static void main(String[] args) throws Exception {
        List<URL> hubs = new ArrayList<>();
        for (String hub : args[0].split(",")) { // several instances: cargo units spread over them
            hubs.add(new URL(new URL(hub), "soap/edge"));
        }
        int stubPort = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        double pacedFraction = Double.parseDouble(args[4]);
        List<Long> hubPids = java.util.Arrays.stream(args[5].split(",")).map(Long::parseLong).toList();
        List<URI> metrics = java.util.Arrays.stream(args[6].split(",")).map(URI::create).toList();
        String provider = CryptoProviders.install(args[9]);
        String jdbcUrl = args[10];

        LoadGenerator load = new LoadGenerator(hubs);
        // one JVM for the peak run, the baseline and the paced run: a paced run in a fresh JVM began with its
        // stub partners compiling their own code on the two loaded cores, and the declarant's deliveries
        // waited on them for the first 20 to 30 s (docs/performance.md, session 11)
        try (StubPartnerServer partners = new StubPartnerServer(PartnerDocuments.DEV_KEYS, stubPort);
                CpuByPart cpu = new CpuByPart(hubPids)) {
            load.cpu = cpu;
            partners.onDelivery(load::delivered);
            int warmup = Math.min(30, Math.max(10, seconds / 6));
            // the peak's own warm-up may be longer: the hub's JIT compiler settles after about 200 s here;
            // the paced run follows in the same hub, compiled by then
            int peakWarmup = args.length > 11 ? Integer.parseInt(args[11]) : warmup;
            Result peak = load.drive(concurrency, peakWarmup, seconds, 0, hubPids, metrics);
            peak.print("peak: ", concurrency, 0, provider);
            StageLatency.print(jdbcUrl, peak.measuredFrom(), peak.runStart(), "peak stage: ");
            // the hub is still working off what the run queued; the baseline gets a quiet machine
            awaitIdle(hubPids, Duration.ofMinutes(3));
            CryptoBaseline baseline = new CryptoBaseline(load.baselineDocuments, Path.of(args[7]), args[8]);
            double perSecond = baseline.run(Runtime.getRuntime().availableProcessors(), 20);
            System.out.printf(Locale.ROOT, "baseline_docs_per_s=%.1f%n", perSecond);
            System.out.printf(Locale.ROOT, "hub_fraction_of_baseline=%.3f%n", peak.docsPerSecond() / perSecond);
            if (pacedFraction > 0) {
                // a rate of its own (scripts/benchmark --rate) compares two runs at one rate
                String fixedRate = System.getProperty("bench.rate");
                double rate = fixedRate != null ? Double.parseDouble(fixedRate)
                        : Math.round(peak.docsPerSecond() * pacedFraction * 10) / 10.0;
                String label = fixedRate != null ? "at-" + fixedRate + "/s" : "at-" + Math.round(pacedFraction * 100) + "%";
                Result paced = load.drive(concurrency * 4, warmup, seconds, rate, hubPids, metrics);
                paced.print(label + ": ", concurrency * 4, rate, provider);
                StageLatency.print(jdbcUrl, paced.measuredFrom(), paced.runStart(), label + " stage: ");
            }
            List<String> problems = partners.problems();
            if (!problems.isEmpty()) {
                System.out.println("stub partner problems: " + problems.size() + ", first: " + problems.get(0));
            }
        }
        System.exit(0);
    }

    record Result(Instant runStart, Instant measuredFrom, double seconds, long accepted, long refused, long released,
            Map<String, List<Long>> deliveryByKind, List<Long> receipt, double hubCpuCores,
            double hubJitCpuCores, long hubMaxHeapBytes,
            double generatorCpuCores, Map<String, Long> refusalCauses, Map<String, Long> cpuBefore, Map<String, Long> cpuAfter,
            Map<String, Long> switchesBefore, Map<String, Long> switchesAfter) {

        List<Long> delivery() {
            return deliveryByKind.values().stream().flatMap(List::stream).toList();
        }

        double docsPerSecond() {
            return accepted / seconds;
        }

        void print(String prefix, int concurrency, double rate, String provider) {
            System.out.printf(Locale.ROOT, "%sprovider=%s concurrency=%d rate=%s seconds=%.0f%n", prefix, provider, concurrency,
                    rate == 0 ? "closed-loop" : String.valueOf(rate), seconds);
            System.out.printf(Locale.ROOT, "%shub_docs_per_s=%.1f accepted=%d refused=%d released=%d%n", prefix,
                    docsPerSecond(), accepted, refused, released);
            refusalCauses.forEach((cause, count) ->
                    System.out.printf(Locale.ROOT, "%srefused_because count=%d %s%n", prefix, count, cause));
            List<Long> delivery = delivery();
            System.out.printf(Locale.ROOT, "%sdelivery_latency_ms p50=%.1f p99=%.1f p999=%.1f samples=%d%n", prefix,
                    percentile(delivery, 50), percentile(delivery, 99), percentile(delivery, 99.9), delivery.size());
            printByKind(prefix);
            System.out.printf(Locale.ROOT, "%sreceipt_latency_ms p50=%.1f p99=%.1f p999=%.1f samples=%d%n", prefix,
                    percentile(receipt, 50), percentile(receipt, 99), percentile(receipt, 99.9), receipt.size());
            System.out.printf(Locale.ROOT, "%shub_cpu_cores=%.2f hub_jit_cpu_cores=%.2f hub_max_heap_mb=%d"
                    + " generator_and_partners_cpu_cores=%.2f%n", prefix, hubCpuCores, hubJitCpuCores, hubMaxHeapBytes >> 20,
                    generatorCpuCores);
            System.out.printf(Locale.ROOT, "%scpu_ms_per_doc by_process %s%n", prefix, CpuByPart.perDocument(
                    CpuByPart.byProcess(cpuBefore), CpuByPart.byProcess(cpuAfter), accepted, 0));
            System.out.printf(Locale.ROOT, "%scpu_ms_per_doc by_part %s%n", prefix,
                    CpuByPart.perDocument(cpuBefore, cpuAfter, accepted, 0.05));
            System.out.printf(Locale.ROOT, "%scontext_switches_per_doc voluntary+involuntary %s%n", prefix,
                    ContextSwitches.perDocument(switchesBefore, switchesAfter, accepted));
            System.out.printf(Locale.ROOT, "%scontext_switches_per_doc voluntary by_part %s%n", prefix,
                    ContextSwitches.perDocumentByPart(switchesBefore, switchesAfter, accepted, 0.5));
        }

        /**
         * Each kind of document's own percentiles, and how many of the run's slowest 1 % it holds: whether the
         * tail is one kind's (a confirmation sent beside others of its cargo unit might wait for theirs) or all.
         */
        private void printByKind(String prefix) {
            double p99 = percentile(delivery(), 99);
            new TreeMap<>(deliveryByKind).forEach((kind, nanos) -> {
                long slowest = nanos.stream().filter(n -> n / 1e6 > p99).count();
                System.out.printf(Locale.ROOT, "%sdelivery_latency_ms kind=%s p50=%.1f p99=%.1f samples=%d above_run_p99=%d%n",
                        prefix, kind, percentile(nanos, 50), percentile(nanos, 99), nanos.size(), slowest);
            });
        }

        private static double percentile(List<Long> nanos, double p) {
            if (nanos.isEmpty()) {
                return Double.NaN;
            }
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            int index = (int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1);
            return sorted.get(Math.max(0, index)) / 1e6;
        }
    }

    private static String cause(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        return e.getClass().getSimpleName() + ": " + (message.length() > 200 ? message.substring(0, 200) : message);
    }

    /**
     * Warm-up, then measurement, by the same workers without a pause between them. Each worker starts at a
     * random moment of the warm-up's first half: workers that all started together, and started again
     * together after a drained warm-up, moved as one cohort (every cargo unit's pre-declaration in the same
     * seconds, then every confirmation), so the pre-declarations' fan-out came in waves about ten seconds
     * apart, not at the rate's average (docs/performance.md, session 11).
     */
    private Result drive(int concurrency, int warmup, int seconds, double rate, List<Long> hubPids, List<URI> metrics)
            throws Exception {
        measuring.set(false);
        Instant runStart = Instant.now();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        if (rate > 0) {
            pace = new Semaphore(0);
            long periodMicros = (long) (1_000_000 / rate);
            // one document per tick, no credit saved up while workers wait on deliveries: saved credit
            // went out as bursts of up to the concurrency at once, which measured the burst, not the rate
            ticker.scheduleAtFixedRate(() -> {
                if (pace.availablePermits() < 2) {
                    pace.release();
                }
            }, 0, Math.max(1, periodMicros), TimeUnit.MICROSECONDS);
        }
        AtomicLong maxHeap = new AtomicLong();
        // every 5 s, not every second: a scrape also reads the business figures, counts in the database
        // the hub works in (BusinessMetrics), some over whole tables: once a second is 15 times a usual
        // Prometheus interval and loaded PostgreSQL the hub shares (docs/performance.md, session 9)
        ticker.scheduleAtFixedRate(() -> maxHeap.accumulateAndGet(metrics.stream().mapToLong(LoadGenerator::heap).max()
                .orElse(0), Math::max), 0, 5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + (warmup + seconds) * 1_000_000_000L;
        long staggerMillis = warmup * 500L;
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            URL edge = edges.get(i % edges.size());
            long startDelay = ThreadLocalRandom.current().nextLong(staggerMillis);
            Thread worker = new Thread(() -> {
                try {
                    Thread.sleep(startDelay);
                } catch (InterruptedException e) {
                    return;
                }
                while (!stop.get() && System.nanoTime() < deadline) {
                    try {
                        cargoUnit(edge);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        refused.incrementAndGet();
                        refusalCauses.merge(cause(e), 1L, Long::sum);
                    }
                }
            }, "load-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        Thread.sleep(warmup * 1000L);
        deliveryLatenciesByKind.clear();
        receiptLatencies.clear();
        accepted.set(0);
        refused.set(0);
        refusalCauses.clear();
        released.set(0);
        maxHeap.set(0);
        measuring.set(true);
        long cpuBefore = hubPids.stream().mapToLong(LoadGenerator::cpuTicks).sum();
        long jitBefore = hubPids.stream().mapToLong(LoadGenerator::jitCpuTicks).sum();
        long ownCpuBefore = cpuTicks(ProcessHandle.current().pid());
        Map<String, Long> partsBefore = cpu.totals();
        Map<String, Long> switchesBefore = ContextSwitches.snapshot(hubPids);
        Instant measuredFrom = Instant.now();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpuAfter = hubPids.stream().mapToLong(LoadGenerator::cpuTicks).sum();
        long jitAfter = hubPids.stream().mapToLong(LoadGenerator::jitCpuTicks).sum();
        long ownCpuAfter = cpuTicks(ProcessHandle.current().pid());
        Map<String, Long> switchesAfter = ContextSwitches.snapshot(hubPids);
        Result result = new Result(runStart, measuredFrom, elapsed, accepted.get(), refused.get(), released.get(),
                copyByKind(deliveryLatenciesByKind), List.copyOf(receiptLatencies), (cpuAfter - cpuBefore) / 100.0 / elapsed,
                (jitAfter - jitBefore) / 100.0 / elapsed,
                maxHeap.get(),
                (ownCpuAfter - ownCpuBefore) / 100.0 / elapsed, Map.copyOf(refusalCauses), partsBefore, cpu.totals(),
                switchesBefore, switchesAfter);
        stop.set(true);
        for (Thread worker : workers) {
            worker.join(60_000);
        }
        ticker.shutdownNow();
        return result;
    }

    /** One cargo unit, declared to released, as its partners would send it. */
    private void cargoUnit(URL edge) throws InterruptedException {
        String sample = SAMPLES[(int) (accepted.get() % SAMPLES.length)];
        TestCargo cargo = TestCargo.of(sample);
        String declaration = sendAndAwaitStatus(edge, cargo.document(), "vn-nsw", "1-pre-declaration");
        String unit = unitOfCorrelation.get(declaration);
        if (unit == null) {
            throw new IllegalStateException("no status for the declaration");
        }
        String lane = ENTRY_LANES[(int) (accepted.get() % ENTRY_LANES.length)];
        sendAndAwaitStatus(edge, TestMessages.entryRead(cargo.plate(), Character.isDigit(cargo.plate().charAt(0)) ? "VN" : "CN",
                lane), "equipment-gateway", "2-entry-read");
        sendAndAwaitStatus(edge, TestMessages.weighed(unit, MASS.get(sample), lane), "equipment-gateway", "3-weighing");
        // An agency confirms once its view has reached it. The views leave with the declaration's status
        // but may reach their agencies after the weighing's status reached the declarant: confirming only
        // those already there left an awaited agency unconfirmed and the cargo unit unreleased (session 21).
        Set<String> awaited = awaitedByUnit.getOrDefault(unit, Set.of());
        long viewsDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!viewsByUnit.getOrDefault(unit, Set.of()).containsAll(awaited) && System.nanoTime() < viewsDeadline) {
            Thread.sleep(5);
        }
        Set<String> agencies = new LinkedHashSet<>(viewsByUnit.getOrDefault(unit, Set.of()));
        agencies.remove("VN-CUSTOMS");
        // The agencies confirm side by side, and the workflow may apply customs' approval before another
        // agency's: the release then follows the last approval and is correlated with that one. The cargo
        // unit is released when the declarant has the status any of its confirmations caused.
        CountDownLatch releaseStatus = new CountDownLatch(1);
        List<String> confirmations = new ArrayList<>();
        for (String agency : agencies) {
            confirmations.add(send(edge, TestMessages.confirmation(unit, cargo.reference(), agency, "APPROVED"),
                    agency.toLowerCase(), confirmationKind(confirmations.size(), agencies.size() + 1), releaseStatus));
        }
        confirmations.add(send(edge, TestMessages.confirmation(unit, cargo.reference(), "VN-CUSTOMS", "APPROVED"), "vn-customs",
                confirmationKind(confirmations.size(), agencies.size() + 1), releaseStatus));
        awaitStatus(releaseStatus, confirmations);
        released.incrementAndGet();
        viewsByUnit.remove(unit);
        awaitedByUnit.remove(unit);
    }

    /** A confirmation's place among its cargo unit's, sent side by side: "4-confirmation-2-of-3". */
    private static String confirmationKind(int sentBefore, int all) {
        return "4-confirmation-" + (sentBefore + 1) + "-of-" + all;
    }

    /** Signs and sends, then waits until the declarant's status for it arrived. Returns the messageId. */
    private String sendAndAwaitStatus(URL edge, Document document, String party, String kind) throws InterruptedException {
        CountDownLatch status = new CountDownLatch(1);
        String messageId = send(edge, document, party, kind, status);
        awaitStatus(status, List.of(messageId));
        return messageId;
    }

    /** Signs and sends; a status to the declarant correlated with it counts down {@code status}. Returns the messageId. */
    private String send(URL edge, Document document, String party, String kind, CountDownLatch status)
            throws InterruptedException {
        if (pace != null) {
            pace.acquire();
        }
        byte[] signed = PartnerDocuments.sign(document, party);
        if (baselineDocuments.size() < 400) {
            baselineDocuments.add(signed);
        }
        String messageId = PartnerDocuments.headerValue(document, "MessageId");
        awaitedAtNsw.put(messageId, status);
        long start = System.nanoTime();
        sent.put(messageId, new Sent(start, kind));
        PartnerClient.Receipt receipt = clients.computeIfAbsent(party + " " + edge, key -> new PartnerClient(edge, party)).submit(signed);
        long answered = System.nanoTime();
        if (!"ACCEPTED".equals(receipt.verdict())) {
            awaitedAtNsw.remove(messageId);
            throw new IllegalStateException(messageId + " " + receipt);
        }
        accepted.incrementAndGet();
        if (measuring.get()) {
            receiptLatencies.add(answered - start);
        }
        return messageId;
    }

    /** A document sent, awaiting the declarant's status it causes: when, and what kind ("1-pre-declaration"). */
    private record Sent(long at, String kind) {
    }

    private static Map<String, List<Long>> copyByKind(Map<String, List<Long>> byKind) {
        Map<String, List<Long>> copy = new HashMap<>();
        byKind.forEach((kind, nanos) -> {
            synchronized (nanos) {
                copy.put(kind, List.copyOf(nanos));
            }
        });
        return copy;
    }

    private void awaitStatus(CountDownLatch status, List<String> messageIds) throws InterruptedException {
        boolean arrived = status.await(30, TimeUnit.SECONDS);
        messageIds.forEach(id -> {
            awaitedAtNsw.remove(id);
            sent.remove(id);
        });
        if (!arrived) {
            throw new IllegalStateException(messageIds + " caused no status to the declarant within 30 s");
        }
    }

    /** A partner accepted a document from the hub: time it against what caused it. */
    private void delivered(String party, Document document) {
        String correlation = value(document, "CorrelationId");
        if (correlation == null) {
            return;
        }
        String unit = value(document, "CargoUnitId");
        if ("AgencyView".equals(value(document, "MessageType")) && unit != null) {
            viewsByUnit.computeIfAbsent(unit, u -> ConcurrentHashMap.newKeySet()).add(party);
        }
        if (!"VN-NSW".equals(party)) {
            return;
        }
        Sent cause = sent.remove(correlation);
        if (cause != null && measuring.get()) {
            deliveryLatenciesByKind.computeIfAbsent(cause.kind(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(System.nanoTime() - cause.at());
        }
        if (unit != null) {
            unitOfCorrelation.put(correlation, unit);
            if ("DECLARED".equals(value(document, "State"))) {
                awaitedByUnit.put(unit, values(document, "AwaitedAgency"));
            }
        }
        CountDownLatch waiting = awaitedAtNsw.remove(correlation);
        if (waiting != null) {
            waiting.countDown();
        }
    }

    private static Set<String> values(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name);
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent());
        }
        return values;
    }

    private static String value(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static final HttpClient METRICS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.E+]+)");

    /** The hub's heap in use: the sum of its heap pools, from its Prometheus endpoint. */
    private static long heap(URI metrics) {
        try {
            String text = METRICS.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher pools = HEAP.matcher(text);
            double sum = 0;
            while (pools.find()) {
                sum += Double.parseDouble(pools.group(1));
            }
            return (long) sum;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Waits until the hubs together use under a tenth of a core over two seconds, or the limit passes. */
    private static void awaitIdle(List<Long> hubPids, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            long before = hubPids.stream().mapToLong(LoadGenerator::cpuTicks).sum();
            Thread.sleep(2000);
            if (hubPids.stream().mapToLong(LoadGenerator::cpuTicks).sum() - before < 20) {
                return;
            }
        }
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) {
        return ticks(Path.of("/proc/" + pid + "/stat"));
    }

    /** utime + stime of a JVM's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre"), in clock ticks. */
    private static long jitCpuTicks(long pid) {
        try (var threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return threads.filter(thread -> {
                try {
                    return Files.readString(thread.resolve("comm")).contains("CompilerThre");
                } catch (IOException gone) {
                    return false;
                }
            }).mapToLong(thread -> ticks(thread.resolve("stat"))).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long ticks(Path stat) {
        CpuByPart.Stat read = CpuByPart.stat(stat);
        return read == null ? 0 : read.ticks();
    }

}
