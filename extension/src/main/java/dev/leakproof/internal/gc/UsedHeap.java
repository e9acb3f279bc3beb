package dev.leakproof.internal.gc;

import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The heap in use once the garbage is gone: what memory measurements compare across connection
 * counts.
 *
 * <pre>{@code
 * long before = UsedHeap.afterFullGc();
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class UsedHeap {

    private static final Pattern FULL_COLLECTORS =
            Pattern.compile(".*(Old Generation|MarkSweep|Major Cycles|ZGC Cycles|Shenandoah Cycles).*");

    private UsedHeap() {
    }

    /**
     * Used heap right after a full GC, as the collector reported it. Reading the heap's usage a moment
     * later would count the garbage allocated in between, and a server whose connections send
     * heartbeats allocates in proportion to its connections: that garbage would look like memory
     * per connection.
     */
    public static long afterFullGc() {
        GcForcer.fullGc();
        GcForcer.fullGc(); // the second collects what the first one's reference processing freed
        long afterGc = heapAfterLastFullCollection();
        return afterGc >= 0 ? afterGc : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Heap used after the latest full collection, from its GcInfo; -1 where the JVM does not say. */
    private static long heapAfterLastFullCollection() {
        GcInfo latest = null;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean hotspot && FULL_COLLECTORS.matcher(gc.getName()).matches()) {
                GcInfo info = hotspot.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return -1;
        }
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }
}
