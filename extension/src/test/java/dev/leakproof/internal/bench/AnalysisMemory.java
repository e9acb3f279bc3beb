package dev.leakproof.internal.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What one analysis of a heap dump costs in memory, measured around it in the benchmark's JVM:
 * the Java heap it needs, what its threads allocate, and how much the process grows (the dump is
 * memory-mapped, so that part lives outside the heap). A window, opened right before the analysis
 * (after a full GC, so that what it measures from starts at the live heap) and closed right after:
 *
 * <pre>{@code
 * AnalysisMemory memory = AnalysisMemory.open();
 * LeakTraces.Result result = LeakTraces.analyseDump(dump, Targets.SUSPECTS, options, dumpStart);
 * AnalysisMemory.Figures figures = memory.close();
 * }</pre>
 *
 * <p>The heap figures are read from the JVM's heap pools; the allocation from
 * {@code com.sun.management.ThreadMXBean}, sampled every {@value #SAMPLE_MILLIS} ms by a thread of
 * this class, because the analysis runs on threads of its own that end with it (a thread's last few
 * milliseconds before it ends can be missed).
 */
final class AnalysisMemory implements NotificationListener {

    /** The production engine's analysis thread (and Shark's, today): its allocation is reported apart. */
    static final String ANALYSIS_THREAD = "leakproof-leak-trace";
    private static final int SAMPLE_MILLIS = 10;

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
    private final Set<String> heapPoolNames = new HashSet<>();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final long usedBefore;
    private final long residentBefore;
    private final long callerAllocatedBefore;
    private final long caller = Thread.currentThread().getId();
    private final long openedAtUptime = ManagementFactory.getRuntimeMXBean().getUptime();
    private volatile long closedAtUptime = Long.MAX_VALUE;
    /** Allocated bytes of each thread when the window opened (absent: started during it). */
    private final Map<Long, Long> allocatedAtOpen = new HashMap<>();
    /** The latest reading of each thread, and which ones were analysis threads. */
    private final Map<Long, Long> allocatedLatest = new HashMap<>();
    private final Set<Long> analysisThreads = new HashSet<>();
    private final Thread sampler;
    private volatile boolean open = true;
    private long maxUsedAfterGc = -1;
    private int collections;
    private long residentPeak;
    /** With a probe: a full GC every this many ms during the window, and the largest heap in use right after one. */
    private final long probeMillis;
    private Thread prober;
    private long maxLiveProbed = -1;
    private int probes;

    private AnalysisMemory(long probeMillis) {
        this.probeMillis = probeMillis;
        heapPools.forEach(p -> heapPoolNames.add(p.getName()));
        for (Thread thread : liveThreads()) {
            long bytes = threads.getThreadAllocatedBytes(thread.getId());
            if (bytes >= 0) {
                allocatedAtOpen.put(thread.getId(), bytes);
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
            }
        }
        residentBefore = BenchmarkAccess.residentSetBytes();
        residentPeak = residentBefore;
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        usedBefore = heapPools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        callerAllocatedBefore = threads.getCurrentThreadAllocatedBytes();
        sampler = new Thread(this::sample, "leakproof-bench-memory-sampler");
        sampler.setDaemon(true);
        sampler.start();
        if (probeMillis > 0) {
            prober = new Thread(this::probe, "leakproof-bench-memory-probe");
            prober.setDaemon(true);
            prober.start();
        }
    }

    /**
     * Runs a full GC, then opens the window: the heap in use is then the live heap, whatever ran before
     * (a dump's own GC, or another analysis's garbage in the engine comparison).
     */
    static AnalysisMemory open() {
        return open(0);
    }

    /**
     * As {@link #open()}, and with {@code probeMillis} > 0 a full GC every {@code probeMillis} ms until
     * the window closes: the heap in use right after each is what the analysis holds live at that
     * moment, garbage excluded (a lower bound of what it needs: a peak between two GCs is missed).
     * The GCs stop the analysis, so a probed analysis's time is not a time to report.
     */
    static AnalysisMemory open(long probeMillis) {
        System.gc();
        return new AnalysisMemory(probeMillis);
    }

    private void probe() {
        java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        while (open) {
            sleepQuietly(probeMillis);
            if (!open) {
                break;
            }
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            synchronized (this) {
                probes++;
                maxLiveProbed = Math.max(maxLiveProbed, used);
            }
        }
    }

    /**
     * The analysis's memory, {@code MiB}-ready in bytes.
     *
     * @param heapBefore Java heap in use when the window opened, right after a full GC: the live heap
     * @param peakOverBefore the heap pools' peak use during the window minus {@code heapBefore}: the
     *     sum of each pool's own peak, so an upper bound that counts garbage not yet collected (eden)
     * @param liveAfterGcOverBefore the largest heap in use right after a GC during the window, minus
     *     {@code heapBefore}: what the analysis held at that moment, plus garbage already promoted
     *     that only an old-generation collection frees; -1 when no GC ran during the window
     * @param collections GCs during the window
     * @param allocated bytes allocated during the window by every Java thread (the caller, the
     *     analysis threads, any helper they started)
     * @param allocatedByAnalysisThread of which by threads named {@value #ANALYSIS_THREAD}
     * @param residentGrowth resident set size, sampled peak minus before: heap pages touched for the
     *     first time, mapped dump pages read, native memory
     * @param liveProbed with a probe, the largest heap in use right after one of its full GCs minus
     *     {@code heapBefore}: what the analysis held live (a lower bound); -1 without a probe or when
     *     the analysis ended before the first
     * @param probes the probe's full GCs
     */
    record Figures(long heapBefore, long peakOverBefore, long liveAfterGcOverBefore, int collections, long allocated,
            long allocatedByAnalysisThread, long residentGrowth, long liveProbed, int probes) {

        private static final double MIB = 1024.0 * 1024.0;

        /** The figure the goal reads: the live heap the analysis needs, or the peak without a GC. */
        long needed() {
            return liveAfterGcOverBefore >= 0 ? liveAfterGcOverBefore : peakOverBefore;
        }

        String describe() {
            return String.format(Locale.ROOT, "heap needed %.0f MiB (%s), peak +%.0f MiB, allocated %.0f MiB"
                    + " (analysis thread %.0f MiB), RSS +%.0f MiB", needed() / MIB,
                    liveAfterGcOverBefore >= 0 ? "after GC, " + collections + " GCs" : "peak, no GC", peakOverBefore / MIB,
                    allocated / MIB, allocatedByAnalysisThread / MIB, residentGrowth / MIB)
                    + (probes == 0 ? "" : String.format(Locale.ROOT, ", live %.0f MiB (max after %d probing full GCs)",
                            liveProbed / MIB, probes));
        }
    }

    Figures close() {
        long callerAllocated = threads.getCurrentThreadAllocatedBytes() - callerAllocatedBefore;
        long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        closedAtUptime = ManagementFactory.getRuntimeMXBean().getUptime();
        open = false;
        try {
            sampler.join();
            if (prober != null) {
                prober.interrupt();
                prober.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // GC notifications arrive on a service thread shortly after each GC.
        sleepQuietly(100);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (javax.management.ListenerNotFoundException e) {
                    // never added
                }
            }
        }
        long allocated = callerAllocated;
        long byAnalysis = 0;
        synchronized (this) {
            for (Map.Entry<Long, Long> latest : allocatedLatest.entrySet()) {
                long bytes = latest.getValue() - allocatedAtOpen.getOrDefault(latest.getKey(), 0L);
                allocated += bytes;
                byAnalysis += analysisThreads.contains(latest.getKey()) ? bytes : 0;
            }
            // A GC during the window can free garbage that was there before it: nothing held is 0, not less.
            return new Figures(usedBefore, peak - usedBefore, maxUsedAfterGc < 0 ? -1 : Math.max(0, maxUsedAfterGc - usedBefore),
                    collections, allocated, byAnalysis, residentBefore < 0 ? -1 : residentPeak - residentBefore,
                    maxLiveProbed < 0 ? -1 : Math.max(0, maxLiveProbed - usedBefore), probes);
        }
    }

    private void sample() {
        while (open) {
            read();
            sleepQuietly(SAMPLE_MILLIS);
        }
        read();
    }

    private void read() {
        long resident = BenchmarkAccess.residentSetBytes();
        List<Thread> live = liveThreads();
        synchronized (this) {
            residentPeak = Math.max(residentPeak, resident);
            for (Thread thread : live) {
                long id = thread.getId();
                if (id == caller || thread == Thread.currentThread()) {
                    continue;
                }
                long bytes = threads.getThreadAllocatedBytes(id);
                if (bytes >= 0) {
                    allocatedLatest.put(id, bytes);
                    if (ANALYSIS_THREAD.equals(thread.getName())) {
                        analysisThreads.add(id);
                    }
                }
            }
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) notification.getUserData());
        // Notifications come late, on a service thread: a GC counts when it started inside the window.
        long startedAt = info.getGcInfo().getStartTime();
        if (startedAt < openedAtUptime || startedAt > closedAtUptime) {
            return;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            used += heapPoolNames.contains(pool.getKey()) ? pool.getValue().getUsed() : 0;
        }
        synchronized (this) {
            collections++;
            maxUsedAfterGc = Math.max(maxUsedAfterGc, used);
        }
    }

    private static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int count = root.enumerate(all, true);
        return java.util.Arrays.asList(all).subList(0, count);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
